//! A realistic, entirely fictional data set for either organisation (`zorgvuldig demo`):
//! families with children in every age band, every service type, staff in every role,
//! entries of every kind, some closed trajectories past their term. The content is
//! deterministic for a given seed and reference date; keys and nonces are always fresh.
//!
//! Generation and encryption run on a blocking thread and hand batches to the loader,
//! which writes each batch in one transaction with multi-row inserts.

mod minors;
mod names;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;
use zv_domain::{
    Address, AuditAction, AuditObject, AuditOutcome, BirthDate, ClientId, Email, EntryContent,
    EntryId, EntryKind, Gender, NewAuditEvent, PersonName, Phone, Purpose, Role, SpecialCategory,
    TrajectoryId, UserId, WorkNoteId,
};
use zv_store::{
    DemoBatch, NewEntry, NewGoalProgress, NewTrajectory, NewWorkNote, TrajectoryClosing,
};

use crate::app::App;
use crate::clients::NewClientInput;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor, event};
use crate::keys::Sealer;
use crate::related::RelatedPersonInput;
use crate::users::NewUserInput;

pub use minors::DEMO_PARENT_USERNAME;
use names::*;

/// The password of every demo account. Demo data only: never use on real data.
pub const DEMO_PASSWORD: &str = "zorgvuldig-demo";
/// The second-factor secret shared by every demo account, so one entry in an
/// authenticator app serves them all (base32).
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub clients: u32,
    pub seed: u64,
    /// The day the data set is generated for (ages and terms are relative to it).
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
}

/// The demo's account for the client portal: a client of the first team's caseworker
/// with a small dossier, given the privacy statement at intake. It signs in with
/// [`DEMO_PASSWORD`] and the code of [`DEMO_TOTP_SECRET`], like the staff accounts.
#[derive(Debug, Clone)]
pub struct DemoPortalAccount {
    pub username: String,
    /// The staff account of the client's caseworker.
    pub caseworker: String,
}

/// The username of the demo's portal account.
pub const DEMO_PORTAL_USERNAME: &str = "demo.client";

#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    pub accounts: Vec<DemoAccount>,
    pub portal_account: Option<DemoPortalAccount>,
    /// A parent with authority who reads a child's dossier in the portal (MIN-1).
    pub parent_account: Option<DemoPortalAccount>,
    pub clients: u64,
    pub related_persons: u64,
    pub trajectories: u64,
    pub closed_trajectories: u64,
    pub past_term: u64,
    pub entries: u64,
    pub entry_versions: u64,
    pub goal_progress: u64,
    pub work_notes: u64,
    pub attachments: u64,
    pub special_category_entries: u64,
    /// The audit events of the generated data: each client's registration, and the
    /// history its caseworkers' work would have left ([`HISTORY_RULE`]).
    pub audit_events: u64,
    pub elapsed: Duration,
}

impl DemoReport {
    #[must_use]
    pub fn entries_per_second(&self) -> f64 {
        self.entries as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

const BATCH_CLIENTS: u32 = 500;

/// The rule id of the demo's audit history: the events a trajectory's years of work
/// would have left (opened, each entry written after reading the dossier, closed), so
/// the log is as large as an installation's after years of use (issue 10: some twenty
/// events per client). They name the caseworker who did the work and carry the demo's
/// purpose and access point, so nobody mistakes them for real work; they are stamped
/// with the load's time, like every demo event, so the chain stays in time order.
pub const HISTORY_RULE: &str = "demo-history";

/// 2020-01-01T00:00:00Z: the demo ids count up from here.
const DEMO_EPOCH_MS: u64 = 1_577_836_800_000;

/// Encrypted attachment files of a batch, by attachment id.
type Blobs = Vec<(Uuid, Vec<u8>)>;

impl App {
    /// Loads the demo data set. Refuses a database that already holds clients, so a demo
    /// can never mix with real data.
    pub async fn load_demo(&self, opts: DemoOptions) -> CoreResult<DemoReport> {
        if opts.clients == 0 {
            return Err(CoreError::invalid("clients", "at least one client"));
        }
        let existing = self.client_count().await?;
        if existing > 0 {
            return Err(CoreError::Conflict(format!(
                "this database already holds {existing} clients; the demo loads only into an empty installation"
            )));
        }
        let started = Instant::now();
        let actor = Actor::cli("demo");
        let mut report = DemoReport::default();
        let staff = self.demo_staff(&actor, &mut report).await?;
        let mut generator = Generator::new(self.clone(), opts, staff)?;
        let (sender, mut receiver) =
            tokio::sync::mpsc::channel::<CoreResult<(DemoBatch, Blobs)>>(2);
        let producer = tokio::task::spawn_blocking(move || {
            let mut next = 0u32;
            while next < opts.clients {
                let n = BATCH_CLIENTS.min(opts.clients - next);
                let batch = generator.batch(next, n);
                next += n;
                if sender.blocking_send(batch).is_err() {
                    break;
                }
            }
            generator.counts
        });
        while let Some(batch) = receiver.recv().await {
            let (batch, blobs) = batch?;
            let files = blobs
                .into_iter()
                .map(|(id, bytes)| (zv_domain::AttachmentId::from_uuid(id), bytes))
                .collect();
            // The files are synced while the rows are inserted; both are done before the
            // rows commit, so no committed row lacks its file.
            let tx = self.store.begin().await?;
            let (written, inserted) = tokio::join!(
                zv_store::blobs::put_many(&self.store, files),
                zv_store::demo::insert_batch(&tx, &batch, self.now())
            );
            written?;
            inserted?;
            tx.commit().await?;
        }
        let counts = producer
            .await
            .map_err(|e| CoreError::Internal(format!("demo generator: {e}")))?;
        report.portal_account = Some(self.demo_portal_client(opts).await?);
        report.parent_account = Some(self.demo_parent(opts).await?);
        self.demo_recipients("fg.privacy").await?;
        self.demo_activities().await?;
        self.demo_personnel().await?;
        // The planner's statistics describe the empty tables of before the load.
        self.refresh_planner_statistics().await?;
        report.clients = counts.clients;
        report.related_persons = counts.related_persons;
        report.trajectories = counts.trajectories;
        report.closed_trajectories = counts.closed_trajectories;
        report.past_term = counts.past_term;
        report.entries = counts.entries;
        report.entry_versions = counts.entry_versions;
        report.goal_progress = counts.goal_progress;
        report.work_notes = counts.work_notes;
        report.attachments = counts.attachments;
        report.special_category_entries = counts.special;
        report.audit_events = counts.audit_events;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// A client to try the portal with (POR-1, POR-3, ORG-3), besides the generated
    /// ones (not in the counts): registered by the first team's caseworker as at intake, with a goal and a conversation report, the privacy
    /// statement (and card) recorded, the dossier read once, and a portal account.
    async fn demo_portal_client(&self, opts: DemoOptions) -> CoreResult<DemoPortalAccount> {
        let team = self.policy.teams().first().ok_or_else(|| {
            CoreError::Internal("the policy has no teams to give the demo client".into())
        })?;
        let caseworker = "hulpverlener1";
        let worker = self.staff_actor(caseworker, "demo").await?;
        let service = self
            .policy
            .service_types()
            .iter()
            .find(|s| !s.youth_care)
            .or_else(|| self.policy.service_types().first())
            .ok_or_else(|| CoreError::Internal("the policy has no service types".into()))?;
        let opened_on = opts
            .as_of
            .checked_sub_days(chrono::Days::new(60))
            .unwrap_or(opts.as_of);
        let born = opts
            .as_of
            .checked_sub_months(chrono::Months::new(12 * 34))
            .unwrap_or(opts.as_of);
        let (client, trajectory) = self
            .register_client(
                &worker,
                NewClientInput {
                    branch: team.branch.clone(),
                    name: PersonName::parse("Sanne de Wit").map_err(CoreError::field("name"))?,
                    birth_date: BirthDate::parse(&born.to_string(), self.clock.today())
                        .map_err(CoreError::field("birth_date"))?,
                    gender: Gender::Female,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                crate::trajectories::TrajectoryInput {
                    service_type: service.code.clone(),
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on,
                    municipality: None,
                },
            )
            .await?;
        self.record_statement_receipt(
            &worker,
            client,
            crate::statement_receipts::StatementReceiptInput {
                given_on: opened_on.min(self.clock.today()),
                statement_given: true,
                privacy_card_given: self.policy.organisation().privacy_card,
            },
        )
        .await?;
        let content = |title: &str, body: &str, progress| EntryContent {
            title: title.to_owned(),
            body: body.to_owned(),
            progress,
        };
        let goal = self
            .add_entry(
                &worker,
                trajectory,
                EntryKind::Goal,
                content(
                    "Rust en overzicht in de financiën",
                    "Samen een overzicht maken van inkomsten, vaste lasten en schulden.",
                    Some(30),
                ),
                None,
            )
            .await?;
        self.add_goal_progress(&worker, goal, 50, "Vaste lasten op een rij gezet.")
            .await?;
        self.add_entry(
            &worker,
            trajectory,
            EntryKind::ConversationReport,
            content(
                "Kennismakingsgesprek",
                "Besproken wat Sanne wil bereiken en hoe we samenwerken. Volgende afspraak over twee weken.",
                None,
            ),
            None,
        )
        .await?;
        self.dossier(&worker, trajectory).await?;
        let secret = totp_rs::Secret::try_from_base32(DEMO_TOTP_SECRET)
            .map_err(|e| CoreError::Internal(format!("demo totp secret: {e}")))?
            .as_bytes()
            .to_vec();
        self.demo_portal_account(
            &worker,
            client,
            DEMO_PORTAL_USERNAME,
            DEMO_PASSWORD,
            &secret,
        )
        .await?;
        Ok(DemoPortalAccount {
            username: DEMO_PORTAL_USERNAME.to_owned(),
            caseworker: caseworker.to_owned(),
        })
    }

    /// Staff in every role: per team a caseworker and a team lead, and one manager,
    /// quality officer, administrator and privacy officer.
    async fn demo_staff(
        &self,
        actor: &Actor,
        report: &mut DemoReport,
    ) -> CoreResult<Vec<Caseworker>> {
        let secret = totp_rs::Secret::try_from_base32(DEMO_TOTP_SECRET)
            .map_err(|e| CoreError::Internal(format!("demo totp secret: {e}")))?
            .as_bytes()
            .to_vec();
        let today = self.clock.today();
        let mut caseworkers = Vec::new();
        let mut plan: Vec<(String, String, Role, Option<String>)> = Vec::new();
        for (i, team) in self.policy.teams().iter().enumerate() {
            plan.push((
                format!("hulpverlener{}", i + 1),
                format!("Hulpverlener {} ({})", i + 1, team.name),
                Role::Caseworker,
                Some(team.code.clone()),
            ));
            plan.push((
                format!("teamleider{}", i + 1),
                format!("Teamleider {}", team.name),
                Role::TeamLead,
                Some(team.code.clone()),
            ));
        }
        plan.push(("manager".into(), "Manager".into(), Role::Manager, None));
        plan.push((
            "kwaliteit".into(),
            "Kwaliteitsmedewerker".into(),
            Role::QualityOfficer,
            None,
        ));
        plan.push((
            "beheerder".into(),
            "Beheerder".into(),
            Role::Administrator,
            None,
        ));
        plan.push((
            "fg.privacy".into(),
            "Functionaris Gegevensbescherming".into(),
            Role::PrivacyOfficer,
            None,
        ));
        // RET-2: HR and finance, where the policy names them for a record category.
        for (username, display_name, role) in [
            ("personeelszaken", "HR-medewerker", Role::HrOfficer),
            ("financien", "Financieel medewerker", Role::FinanceOfficer),
        ] {
            let named = self
                .policy
                .record_categories()
                .iter()
                .any(|c| c.access.iter().any(|a| a == role.code()));
            if named {
                plan.push((username.into(), display_name.into(), role, None));
            }
        }
        for (username, display_name, role, team) in plan {
            let id = self
                .insert_user(
                    actor,
                    NewUserInput {
                        username: username.clone(),
                        display_name: display_name.clone(),
                        password: zeroize::Zeroizing::new(DEMO_PASSWORD.to_owned()),
                        roles: vec![role],
                        teams: team.iter().cloned().collect(),
                        branch: team
                            .as_ref()
                            .and_then(|t| self.policy.team(t))
                            .map(|t| t.branch.clone()),
                        confidentiality_signed_on: Some(today),
                    },
                    secret.clone(),
                )
                .await?;
            // The shared demo secret is printed with the accounts, so it counts as
            // enrolled: signing in asks for its code straight away.
            let tx = self.store.begin().await?;
            zv_store::staff::confirm_totp(&tx, id).await?;
            tx.commit().await?;
            if let (Role::Caseworker, Some(t)) = (role, &team) {
                caseworkers.push(Caseworker {
                    id,
                    team: t.clone(),
                    name: display_name.clone(),
                });
            }
            report.accounts.push(DemoAccount {
                username,
                display_name,
                role,
                team,
            });
        }
        Ok(caseworkers)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    clients: u64,
    related_persons: u64,
    trajectories: u64,
    closed_trajectories: u64,
    past_term: u64,
    entries: u64,
    entry_versions: u64,
    goal_progress: u64,
    work_notes: u64,
    attachments: u64,
    special: u64,
    audit_events: u64,
}

/// A demo caseworker: who writes a trajectory's entries and leaves its history.
#[derive(Debug, Clone)]
struct Caseworker {
    id: UserId,
    team: String,
    /// As the audit log names the user.
    name: String,
}

struct Generator {
    app: App,
    opts: DemoOptions,
    rng: StdRng,
    staff: Vec<Caseworker>,
    adult_services: Vec<String>,
    youth_services: Vec<String>,
    counts: Counts,
    service_turn: usize,
    ids: u64,
}

impl Generator {
    fn new(app: App, opts: DemoOptions, staff: Vec<Caseworker>) -> CoreResult<Self> {
        if staff.is_empty() {
            return Err(CoreError::Internal(
                "the policy has no teams to give the demo caseworkers".into(),
            ));
        }
        let all: Vec<_> = app.policy.service_types().iter().collect();
        let youth: Vec<String> = all
            .iter()
            .filter(|s| s.youth_care)
            .map(|s| s.code.clone())
            .collect();
        let adult: Vec<String> = all
            .iter()
            .filter(|s| !s.youth_care)
            .map(|s| s.code.clone())
            .collect();
        let fallback: Vec<String> = all.iter().map(|s| s.code.clone()).collect();
        Ok(Self {
            app,
            opts,
            rng: StdRng::seed_from_u64(opts.seed),
            staff,
            adult_services: if adult.is_empty() {
                fallback.clone()
            } else {
                adult
            },
            youth_services: if youth.is_empty() { fallback } else { youth },
            counts: Counts::default(),
            service_turn: 0,
            ids: 0,
        })
    }

    /// Time-ordered (UUIDv7 layout) and deterministic: a counter stands in for the clock,
    /// so rows append to the end of every primary-key index instead of landing at random.
    fn id(&mut self) -> Uuid {
        self.ids += 1;
        let random: [u8; 10] = self.rng.r#gen();
        uuid::Builder::from_unix_timestamp_millis(DEMO_EPOCH_MS + self.ids, &random).into_uuid()
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.gen_range(0..list.len())]
    }

    fn name(&mut self, gender: Gender, surname: &str) -> CoreResult<PersonName> {
        let given = if gender == Gender::Female {
            self.pick(GIVEN_FEMALE)
        } else {
            self.pick(GIVEN_MALE)
        };
        PersonName::parse(&format!("{given} {surname}")).map_err(CoreError::field("name"))
    }

    fn surname(&mut self) -> String {
        let prefix = self.pick(PREFIXES);
        let surname = self.pick(SURNAMES);
        if prefix.is_empty() {
            surname.to_owned()
        } else {
            format!("{prefix} {surname}")
        }
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + chrono::Duration::days(self.rng.gen_range(0..=span))
    }

    fn service(&mut self, youth: bool) -> String {
        self.service_turn += 1;
        let list = if youth {
            &self.youth_services
        } else {
            &self.adult_services
        };
        list[self.service_turn % list.len()].clone()
    }

    /// One batch of clients, starting with client number `first`.
    fn batch(&mut self, first: u32, n: u32) -> CoreResult<(DemoBatch, Blobs)> {
        let mut batch = DemoBatch::default();
        let mut blobs = Vec::new();
        let today = self.opts.as_of;
        let mut made = 0u32;
        while made < n {
            let number = first + made;
            // A family: one adult and up to three children, the first families covering
            // every age band (under 12, 12 to 16, 16 to 18).
            let kids = (n - made - 1).min(match number % 4 {
                0 => 3,
                1 => 0,
                2 => 1,
                _ => 2,
            });
            let surname = self.surname();
            let street = format!("{} {}", self.pick(STREETS), self.rng.gen_range(1..200));
            let branch = self.app.policy.branches()
                [number as usize % self.app.policy.branches().len()]
            .code
            .clone();
            let parent_gender = if self.rng.gen_bool(0.8) {
                Gender::Female
            } else {
                Gender::Male
            };
            let parent_birth = self.date_between(
                today - chrono::Duration::days(365 * 60),
                today - chrono::Duration::days(365 * 24),
            );
            let mut children = Vec::new();
            for k in 0..kids {
                let age_years = match (number / 4 + k) % 3 {
                    0 => self.rng.gen_range(1..12),
                    1 => self.rng.gen_range(12..16),
                    _ => self.rng.gen_range(16..18),
                };
                let birth = self.date_between(
                    today - chrono::Duration::days(365 * i64::from(age_years) + 300),
                    today - chrono::Duration::days(365 * i64::from(age_years) + 1),
                );
                let gender = if self.rng.gen_bool(0.5) {
                    Gender::Female
                } else {
                    Gender::Male
                };
                children.push((
                    self.name(gender, &surname)?,
                    birth.max(parent_birth + chrono::Duration::days(365 * 18)),
                    gender,
                ));
            }
            let parent_name = self.name(parent_gender, &surname)?;
            let parent_id = self.client(
                &mut batch,
                &mut blobs,
                &branch,
                parent_name.clone(),
                parent_birth,
                parent_gender,
                &street,
                false,
                &children,
                None,
            )?;
            made += 1;
            for (name, birth, gender) in children.clone() {
                self.client(
                    &mut batch,
                    &mut blobs,
                    &branch,
                    name,
                    birth,
                    gender,
                    &street,
                    true,
                    &[],
                    Some((parent_id, parent_name.clone(), birth)),
                )?;
                made += 1;
            }
        }
        Ok((batch, blobs))
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one family member's facts, used once"
    )]
    fn client(
        &mut self,
        batch: &mut DemoBatch,
        blobs: &mut Blobs,
        branch: &str,
        name: PersonName,
        birth: NaiveDate,
        gender: Gender,
        street: &str,
        is_child: bool,
        children: &[(PersonName, NaiveDate, Gender)],
        parent: Option<(ClientId, PersonName, NaiveDate)>,
    ) -> CoreResult<ClientId> {
        let today = self.opts.as_of;
        let id = ClientId::from_uuid(self.id());
        let (key, wrapped) = self.app.keys.new_client_key(id)?;
        let number = self.counts.clients;
        let email = (!is_child)
            .then(|| Email::parse(&format!("client{number}@voorbeeld.nl")))
            .transpose()
            .map_err(CoreError::field("email"))?;
        let input = NewClientInput {
            branch: branch.to_owned(),
            birth_date: BirthDate::from_date(birth, today)
                .map_err(CoreError::field("birth_date"))?,
            gender,
            address: Some(
                Address::parse(&format!("{street}\n5701 AB Voorbeeldstad"))
                    .map_err(CoreError::field("address"))?,
            ),
            phone: (!is_child)
                .then(|| Phone::parse(&format!("06 {:08}", 10_000_000 + number % 89_999_999)))
                .transpose()
                .map_err(CoreError::field("phone"))?,
            email,
            confidential_address: self.rng.gen_bool(0.05),
            name,
        };
        let mut sealed = self.app.seal_client(id, &input, &key);
        sealed.row.created_at = Utc.from_utc_datetime(
            &(today - chrono::Duration::days(self.rng.gen_range(0..3000)))
                .and_hms_opt(9, 0, 0)
                .unwrap_or_default(),
        );
        batch.keys.push((id, wrapped));
        batch.tokens.extend(sealed.tokens.iter().map(|t| (*t, id)));
        batch.clients.push(sealed.row);
        batch.audit.push(event(
            &Actor::cli("demo"),
            &Access::new(AuditAction::Create, AuditObject::ClientProfile, Some(id)).object_id(id),
            AuditOutcome::Success,
            &crate::access::Decision::recorded("system-maintenance"),
        ));
        self.counts.audit_events += 1;
        self.counts.clients += 1;

        let mut related = Vec::new();
        for (child_name, child_birth, _) in children {
            related.push(RelatedPersonInput {
                relation: zv_domain::RelationKind::Child,
                name: child_name.clone(),
                birth_date: BirthDate::from_date(*child_birth, today).ok(),
                phone: None,
                email: None,
                address: None,
                authority_since: None,
                mandate: None,
                linked_client: None,
            });
        }
        if let Some((parent_id, parent_name, child_birth)) = parent {
            related.push(RelatedPersonInput {
                relation: zv_domain::RelationKind::ParentWithAuthority,
                name: parent_name,
                birth_date: None,
                phone: None,
                email: None,
                address: None,
                authority_since: Some(child_birth),
                mandate: None,
                linked_client: Some(parent_id),
            });
        }
        for r in &related {
            let rid = zv_domain::RelatedPersonId::from_uuid(self.id());
            batch.related.push(r.seal(rid, id, &key, sealed_now(today)));
            self.counts.related_persons += 1;
        }

        let trajectories = if self.rng.gen_bool(0.3) { 2 } else { 1 };
        for t in 0..trajectories {
            let closed = t == 1 || self.rng.gen_bool(0.25);
            self.trajectory(
                batch,
                blobs,
                (id, birth, gender),
                &key,
                is_child,
                closed,
                children,
            )?;
        }
        Ok(id)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one trajectory's facts, used once"
    )]
    fn trajectory(
        &mut self,
        batch: &mut DemoBatch,
        blobs: &mut Blobs,
        (client, birth, gender): (ClientId, NaiveDate, Gender),
        key: &zv_crypto::DataKey,
        youth: bool,
        closed: bool,
        children: &[(PersonName, NaiveDate, Gender)],
    ) -> CoreResult<()> {
        let today = self.opts.as_of;
        let service = self.service(youth);
        let caseworker = self.staff[self.rng.gen_range(0..self.staff.len())].clone();
        let (worker, team_code) = (caseworker.id, caseworker.team.clone());
        let team = self
            .app
            .policy
            .team(&team_code)
            .cloned()
            .ok_or_else(|| CoreError::Internal("demo team vanished".into()))?;
        let domestic_violence = self
            .app
            .policy
            .service_type(&service)
            .is_some_and(|s| s.domestic_violence_service)
            || self.rng.gen_bool(0.15);
        // Closed trajectories lie further back, so some are past their term.
        let opened_on = if closed {
            self.date_between(
                today - chrono::Duration::days(365 * 22),
                today - chrono::Duration::days(400),
            )
        } else {
            self.date_between(today - chrono::Duration::days(700), today)
        };
        let id = TrajectoryId::from_uuid(self.id());
        let opened_at = Utc.from_utc_datetime(&opened_on.and_hms_opt(9, 0, 0).unwrap_or_default());
        // A branch serving several municipalities spreads its clients over them.
        let municipality = self
            .app
            .policy
            .branches()
            .iter()
            .find(|b| b.code == team.branch)
            .and_then(|b| {
                (!b.municipalities.is_empty()).then(|| {
                    b.municipalities[self.rng.gen_range(0..b.municipalities.len())].clone()
                })
            });
        let report_facts = self
            .app
            .report_facts(municipality, birth, gender, opened_on);
        batch.trajectories.push(NewTrajectory {
            id,
            client_id: client,
            service_type: service.clone(),
            branch_code: team.branch.clone(),
            team_code: team.code.clone(),
            domestic_violence,
            opened_on,
            created_at: opened_at,
            facts: report_facts.clone(),
        });
        batch.workers.push((id, worker, opened_on));
        let history = |action, object, object_id: Uuid, detail: Option<&str>| NewAuditEvent {
            action,
            outcome: AuditOutcome::Success,
            object,
            object_id: Some(object_id),
            client_id: Some(client),
            user_id: Some(caseworker.id),
            user_name: caseworker.name.clone(),
            role: Role::Caseworker.code().to_owned(),
            on_behalf_of: None,
            purpose: Purpose::Demo,
            access_point: "demo".to_owned(),
            rule_ids: vec![HISTORY_RULE.to_owned()],
            detail: detail.map(str::to_owned),
        };
        let history_before = batch.audit.len();
        batch.audit.push(history(
            AuditAction::Create,
            AuditObject::Trajectory,
            id.as_uuid(),
            None,
        ));
        self.counts.trajectories += 1;

        let entry_count = self.rng.gen_range(3..=10);
        let mut last_change = opened_at;
        let special_allowed = self
            .app
            .policy
            .service_type(&service)
            .is_some_and(|s| s.special_categories_allowed);
        for e in 0..entry_count {
            let kind = EntryKind::WRITTEN_FREELY
                [(e + self.rng.gen_range(0..5)) % EntryKind::WRITTEN_FREELY.len()];
            let text = match kind {
                EntryKind::Goal => self.pick(GOALS),
                EntryKind::ConversationReport => self.pick(CONVERSATIONS),
                EntryKind::PlanDocument => self.pick(PLANS),
                EntryKind::ThirdPartyReport => self.pick(REFERRALS),
                EntryKind::EmailSummary | EntryKind::Meldcode => self.pick(EMAILS),
            };
            let title = match kind {
                EntryKind::Goal => text.to_owned(),
                EntryKind::ConversationReport => format!("Gesprek {}", e + 1),
                EntryKind::PlanDocument => "Plan van aanpak".to_owned(),
                EntryKind::ThirdPartyReport => "Verwijzing".to_owned(),
                EntryKind::EmailSummary | EntryKind::Meldcode => "Samenvatting e-mail".to_owned(),
            };
            let progress = (kind == EntryKind::Goal).then(|| self.rng.gen_range(0..=100u8));
            let content = EntryContent::parse(kind, &title, text, progress)
                .map_err(CoreError::field("entry"))?;
            let entry_id = EntryId::from_uuid(self.id());
            let at = last_change + chrono::Duration::days(self.rng.gen_range(1..30));
            let at = at.min(Utc.from_utc_datetime(&today.and_hms_opt(8, 0, 0).unwrap_or_default()));
            last_change = at;
            let special = (special_allowed && self.rng.gen_bool(0.05)).then(|| {
                (
                    SpecialCategory::ALL[self.rng.gen_range(0..SpecialCategory::ALL.len())],
                    self.pick(NECESSITY),
                )
            });
            let edited = self.rng.gen_bool(0.1);
            // The caseworker reads the dossier, then writes the entry.
            batch.audit.push(history(
                AuditAction::Read,
                AuditObject::Trajectory,
                id.as_uuid(),
                None,
            ));
            batch.audit.push(history(
                AuditAction::Create,
                AuditObject::Entry,
                entry_id.as_uuid(),
                None,
            ));
            batch.entries.push(NewEntry {
                id: entry_id,
                trajectory_id: id,
                client_id: client,
                kind: kind.code().to_owned(),
                special_category: special.map(|(c, _)| c.code().to_owned()),
                necessity_ct: special.map(|(_, n)| {
                    Sealer { key }.seal(crate::entries::T_ENTRY, "necessity", entry_id.as_uuid(), n)
                }),
                content_ct: crate::entries::seal_content(key, entry_id, 1, &content)?,
                created_by: worker,
                created_at: at,
            });
            self.counts.entries += 1;
            self.counts.entry_versions += 1;
            if special.is_some() {
                self.counts.special += 1;
            }
            if edited {
                let mut revised = content.clone();
                revised.body.push_str(" (aangevuld na overleg met cliënt)");
                batch.versions.push(zv_store::NewEntryVersion {
                    entry_id,
                    version: 2,
                    content_ct: crate::entries::seal_content(key, entry_id, 2, &revised)?,
                    author_id: worker,
                    created_at: at,
                });
                self.counts.entry_versions += 1;
            }
            if kind == EntryKind::Goal {
                let pid = self.id();
                batch.progress.push(NewGoalProgress {
                    id: pid,
                    entry_id,
                    client_id: client,
                    progress: i32::from(progress.unwrap_or(0)),
                    note_ct: Sealer { key }.seal(
                        "goal_progress",
                        "note",
                        pid,
                        "Voortgang besproken in het gesprek.",
                    ),
                    author_id: worker,
                    created_at: at,
                });
                self.counts.goal_progress += 1;
            }
            if kind == EntryKind::ThirdPartyReport && self.counts.attachments < 200 {
                let aid = self.id();
                let body = format!(
                    "%PDF-1.4\n% Fictieve verwijsbrief voor de demo, nummer {}\n",
                    self.counts.attachments
                );
                blobs.push((
                    aid,
                    key.encrypt(
                        body.as_bytes(),
                        &zv_crypto::Aad::new(crate::attachments::T, "content", aid),
                    ),
                ));
                batch.attachments.push(zv_store::NewAttachment {
                    id: zv_domain::AttachmentId::from_uuid(aid),
                    entry_id,
                    client_id: client,
                    filename_ct: Sealer { key }.seal(
                        crate::attachments::T,
                        "filename",
                        aid,
                        "verwijsbrief.pdf",
                    ),
                    media_type: "application/pdf".to_owned(),
                    size_bytes: i64::try_from(body.len()).unwrap_or(0),
                    created_by: worker,
                    created_at: at,
                });
                self.counts.attachments += 1;
            }
        }
        if closed {
            let closed_on = (last_change.date_naive()
                + chrono::Duration::days(self.rng.gen_range(1..60)))
            .min(today);
            let facts = zv_policy::RetentionFacts {
                closed_on: Some(closed_on),
                last_change: Some(closed_on),
                recorded_on: None,
                employment_ended_on: None,
                procedure_ended_on: None,
                children_birth_dates: children.iter().map(|c| c.1).collect(),
            };
            let meta = zv_store::TrajectoryRow {
                id,
                client_id: client,
                service_type: service,
                branch_code: team.branch.clone(),
                team_code: team.code.clone(),
                domestic_violence,
                opened_on,
                closed_on: Some(closed_on),
                last_change_at: last_change,
                retention_until: None,
                created_at: opened_at,
                frozen_since: None,
                frozen_kind: None,
                facts: report_facts,
            };
            let until = self.app.retention_until(&meta, &facts)?;
            if until < today {
                self.counts.past_term += 1;
            }
            batch.audit.push(history(
                AuditAction::Update,
                AuditObject::Trajectory,
                id.as_uuid(),
                Some("closed"),
            ));
            batch.closings.push(TrajectoryClosing {
                id,
                closed_on,
                last_change_at: last_change,
                retention_until: Some(until),
            });
            self.counts.closed_trajectories += 1;
        } else {
            batch.last_changes.push((id, last_change));
            if self.rng.gen_bool(0.3) {
                let nid = WorkNoteId::from_uuid(self.id());
                batch.work_notes.push(NewWorkNote {
                    id: nid,
                    trajectory_id: id,
                    client_id: client,
                    author_id: worker,
                    body_ct: Sealer { key }.seal(
                        "work_notes",
                        "body",
                        nid.as_uuid(),
                        self.pick(WORK_NOTES),
                    ),
                    created_at: last_change,
                });
                self.counts.work_notes += 1;
            }
        }
        self.counts.audit_events += (batch.audit.len() - history_before) as u64;
        Ok(())
    }
}

fn sealed_now(today: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&today.and_hms_opt(9, 0, 0).unwrap_or_default())
}
