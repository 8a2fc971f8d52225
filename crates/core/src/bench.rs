//! Fixtures and baselines for `zorgvuldig bench`: a fictional subject with a dossier of a
//! known size, added to a demo installation, and the plain read the gate is compared with.

use zeroize::Zeroizing;
use zv_domain::{
    BirthDate, ClientId, EntryContent, EntryKind, Gender, PersonName, Role, TrajectoryId,
};

use crate::app::App;
use crate::clients::NewClientInput;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;
use crate::trajectories::TrajectoryInput;
use crate::users::NewUserInput;

/// The caseworker the benchmark acts as; created on first use.
pub const BENCH_USER: &str = "bench.caseworker";

/// Who reads, which dossier (it keeps its size), and where the write workload writes.
#[derive(Debug, Clone)]
pub struct BenchSubject {
    pub actor: Actor,
    /// The client of the read dossier.
    pub client: ClientId,
    pub trajectory: TrajectoryId,
    pub write_trajectory: TrajectoryId,
}

impl App {
    /// Finds the benchmark's subject, or makes it: a caseworker of the first team and one
    /// fictional client whose trajectory holds `entries` conversation reports.
    pub async fn bench_subject(&self, entries: u32) -> CoreResult<BenchSubject> {
        let system = Actor::cli("bench");
        let team = self
            .policy()
            .teams()
            .first()
            .ok_or_else(|| CoreError::Internal("the policy has no teams".into()))?
            .clone();
        if self.staff_actor(BENCH_USER, "bench").await.is_err() {
            self.add_user(
                &system,
                NewUserInput {
                    username: BENCH_USER.to_owned(),
                    display_name: "Benchmark Hulpverlener".to_owned(),
                    password: Zeroizing::new(zv_crypto::random_token(24)),
                    roles: vec![Role::Caseworker],
                    teams: vec![team.code.clone()],
                    branch: None,
                    confidentiality_signed_on: Some(self.clock.today()),
                },
            )
            .await?;
        }
        let actor = self.staff_actor(BENCH_USER, "bench").await?;
        // The read dossier is made first, so it sorts first among same-day trajectories.
        let mut open: Vec<_> = self.caseload(&actor).await?.open;
        open.sort_by_key(|i| i.trajectory.id);
        if let [read, write, ..] = open.as_slice() {
            return Ok(BenchSubject {
                client: read.trajectory.client_id,
                trajectory: read.trajectory.id,
                write_trajectory: write.trajectory.id,
                actor,
            });
        }
        let service = self
            .policy()
            .service_types()
            .iter()
            .find(|s| !s.youth_care)
            .or_else(|| self.policy().service_types().first())
            .ok_or_else(|| CoreError::Internal("the policy has no service types".into()))?
            .code
            .clone();
        let today = self.clock.today();
        let (client, trajectory) = self
            .register_client(
                &actor,
                NewClientInput {
                    branch: team.branch.clone(),
                    name: PersonName::parse("Bench Vijftig").map_err(CoreError::field("name"))?,
                    birth_date: BirthDate::parse("1980-05-05", today)
                        .map_err(CoreError::field("birth_date"))?,
                    gender: Gender::Unknown,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                TrajectoryInput {
                    service_type: service.clone(),
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on: today,
                    municipality: None,
                },
            )
            .await?;
        for n in 1..=entries {
            self.add_entry(
                &actor,
                trajectory,
                EntryKind::ConversationReport,
                bench_report(n)?,
                None,
            )
            .await?;
        }
        let write_trajectory = self
            .open_trajectory(
                &actor,
                client,
                TrajectoryInput {
                    service_type: service,
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on: today,
                    municipality: None,
                },
            )
            .await?;
        Ok(BenchSubject {
            actor,
            client,
            trajectory,
            write_trajectory,
        })
    }

    /// The portal's subject (issue 4's measure): a client of the benchmark caseworker
    /// whose trajectory holds `entries` reports, with a portal account of their own, and
    /// that account as the actor, as a signed-in client is one. Made on first use, after
    /// [`Self::bench_subject`], so it is the caseworker's third trajectory.
    pub async fn bench_portal_subject(
        &self,
        worker: &Actor,
        entries: u32,
    ) -> CoreResult<(Actor, TrajectoryId)> {
        let mut open: Vec<_> = self.caseload(worker).await?.open;
        open.sort_by_key(|i| i.trajectory.id);
        let trajectory = if let Some(item) = open.get(2) {
            item.trajectory.id
        } else {
            let first = open
                .first()
                .ok_or_else(|| CoreError::Internal("make the bench subject first".into()))?;
            let meta = self.trajectory_meta(first.trajectory.id).await?;
            let today = self.clock.today();
            let (client, trajectory) = self
                .register_client(
                    worker,
                    NewClientInput {
                        branch: self
                            .policy()
                            .team(&meta.team_code)
                            .map(|t| t.branch.clone())
                            .unwrap_or_default(),
                        name: PersonName::parse("Bench Portaal")
                            .map_err(CoreError::field("name"))?,
                        birth_date: BirthDate::parse("1985-03-03", today)
                            .map_err(CoreError::field("birth_date"))?,
                        gender: Gender::Unknown,
                        address: None,
                        phone: None,
                        email: None,
                        confidential_address: false,
                    },
                    TrajectoryInput {
                        service_type: meta.service_type.clone(),
                        team: meta.team_code.clone(),
                        domestic_violence: false,
                        opened_on: today,
                        municipality: None,
                    },
                )
                .await?;
            for n in 1..=entries {
                self.add_entry(
                    worker,
                    trajectory,
                    EntryKind::ConversationReport,
                    bench_report(n)?,
                    None,
                )
                .await?;
            }
            let password = zv_crypto::random_token(24);
            let secret = zv_crypto::random_token(20);
            self.demo_portal_account(
                worker,
                client,
                "bench.portaal",
                &password,
                secret.as_bytes(),
            )
            .await?;
            trajectory
        };
        let client = self.trajectory_meta(trajectory).await?.client_id;
        let tx = self.store.read_tx().await?;
        let account = zv_store::portal::account_of_client(&tx, client).await?;
        tx.commit().await?;
        let account = account
            .ok_or_else(|| CoreError::Internal("the portal bench client has no account".into()))?;
        Ok((
            Actor::Portal(crate::portal::PortalActor {
                account_id: account.id,
                client_id: Some(client),
                access_point: "bench".to_owned(),
            }),
            trajectory,
        ))
    }

    /// The gate's part of a dossier view alone: the reader's standing, the decision and
    /// the read's audit event made durable, and no data read. Its ratio to the plain read
    /// is the least privacy tax a view can have (rule 2: the event is durable before any
    /// data leaves).
    pub async fn bench_gate(&self, actor: &Actor, trajectory: TrajectoryId) -> CoreResult<()> {
        let meta = self.trajectory_meta(trajectory).await?;
        self.authorize_read(actor, crate::entries::dossier_access(&meta))
            .await?;
        Ok(())
    }

    /// The baseline: the same entry rows by plain SQL, no gate, audit or decryption.
    pub async fn bench_plain_read(
        &self,
        client: ClientId,
        trajectory: TrajectoryId,
    ) -> CoreResult<usize> {
        let tx = self.store.read_tx().await?;
        let bytes =
            zv_store::entries::plain_read_bytes_for_benchmark(&tx, client, trajectory).await?;
        tx.commit().await?;
        Ok(bytes)
    }
}

/// The `n`th conversation report of a benchmark dossier, of a realistic length.
fn bench_report(n: u32) -> CoreResult<EntryContent> {
    let body = format!(
        "Gesprek {n}: de cliënt vertelt over de week, de afspraken met de school en het \
         budgetplan. We spreken af dat zij de brief van de gemeente meeneemt. {}",
        "Vervolgafspraak over twee weken. ".repeat(8)
    );
    EntryContent::parse(
        EntryKind::ConversationReport,
        &format!("Gesprek {n}"),
        &body,
        None,
    )
    .map_err(CoreError::field("body"))
}

/// The privacy officer the access copy benchmark acts as; created on first use.
pub const BENCH_OFFICER: &str = "bench.privacy";

impl App {
    /// The access copy's subject (issue 5's measure): a client of the benchmark
    /// caseworker with one trajectory of `entries` reports, `attachments` of them with a
    /// file, a portal account, and a request for a copy of everything filed from it; and
    /// the privacy officer who prepares the copy. Made on first use; found again after.
    /// Returns the officer and the request.
    pub async fn bench_access_copy_subject(
        &self,
        worker: &Actor,
        entries: u32,
        attachments: u32,
    ) -> CoreResult<(Actor, uuid::Uuid)> {
        let system = Actor::cli("bench");
        if self.staff_actor(BENCH_OFFICER, "bench").await.is_err() {
            self.add_user(
                &system,
                NewUserInput {
                    username: BENCH_OFFICER.to_owned(),
                    display_name: "Benchmark Functionaris".to_owned(),
                    password: Zeroizing::new(zv_crypto::random_token(24)),
                    roles: vec![Role::PrivacyOfficer],
                    teams: Vec::new(),
                    branch: None,
                    confidentiality_signed_on: Some(self.clock.today()),
                },
            )
            .await?;
        }
        let officer = self.staff_actor(BENCH_OFFICER, "bench").await?;
        let tx = self.store.read_tx().await?;
        let existing = zv_store::requests::list_requests(&tx, 500).await?;
        tx.commit().await?;
        if let Some(r) = existing
            .iter()
            .find(|r| r.kind == crate::requests::RequestKind::Copy.code() && r.channel == "portal")
        {
            return Ok((officer, r.id));
        }
        let mut open: Vec<_> = self.caseload(worker).await?.open;
        open.sort_by_key(|i| i.trajectory.id);
        let first = open
            .first()
            .ok_or_else(|| CoreError::Internal("make the bench subject first".into()))?;
        let meta = self.trajectory_meta(first.trajectory.id).await?;
        let today = self.clock.today();
        let (client, trajectory) = self
            .register_client(
                worker,
                NewClientInput {
                    branch: self
                        .policy()
                        .team(&meta.team_code)
                        .map(|t| t.branch.clone())
                        .unwrap_or_default(),
                    name: PersonName::parse("Bench Inzage").map_err(CoreError::field("name"))?,
                    birth_date: BirthDate::parse("1982-04-04", today)
                        .map_err(CoreError::field("birth_date"))?,
                    gender: Gender::Unknown,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                TrajectoryInput {
                    service_type: meta.service_type.clone(),
                    team: meta.team_code.clone(),
                    domestic_violence: false,
                    opened_on: today,
                    municipality: None,
                },
            )
            .await?;
        // A realistic referral letter: some tens of kilobytes of text.
        let letter = "Verwijsbrief van de huisarts over de cliënt. ".repeat(500);
        for n in 1..=entries {
            let entry = self
                .add_entry(
                    worker,
                    trajectory,
                    EntryKind::ConversationReport,
                    bench_report(n)?,
                    None,
                )
                .await?;
            if n <= attachments {
                self.add_attachment(
                    worker,
                    entry,
                    &format!("verwijzing-{n}.txt"),
                    "text/plain",
                    letter.as_bytes(),
                )
                .await?;
            }
        }
        let password = zv_crypto::random_token(24);
        let secret = zv_crypto::random_token(20);
        self.demo_portal_account(worker, client, "bench.inzage", &password, secret.as_bytes())
            .await?;
        let tx = self.store.read_tx().await?;
        let account = zv_store::portal::account_of_client(&tx, client).await?;
        tx.commit().await?;
        let account = account
            .ok_or_else(|| CoreError::Internal("the copy's bench client has no account".into()))?;
        let portal = Actor::Portal(crate::portal::PortalActor {
            account_id: account.id,
            client_id: Some(client),
            access_point: "bench".to_owned(),
        });
        let filed = self
            .file_rights_request(
                &portal,
                crate::requests::NewRightsRequest {
                    kind: crate::requests::RequestKind::Copy,
                    scope: crate::requests::RequestScope::All,
                    text: String::new(),
                },
            )
            .await?;
        Ok((officer, filed.id))
    }
}

/// The manager who computes the benchmark's municipality reports (issue 9).
const BENCH_MANAGER: &str = "bench.manager";

impl App {
    /// A manager for the report workload, made on first use, and the largest branch's
    /// query for the last full calendar year: the report a municipality asks for most.
    pub async fn bench_report_subject(&self) -> CoreResult<(Actor, crate::reports::ReportQuery)> {
        if self.staff_actor(BENCH_MANAGER, "bench").await.is_err() {
            self.add_user(
                &Actor::cli("bench"),
                NewUserInput {
                    username: BENCH_MANAGER.to_owned(),
                    display_name: "Benchmark Manager".to_owned(),
                    password: Zeroizing::new(zv_crypto::random_token(24)),
                    roles: vec![Role::Manager],
                    teams: Vec::new(),
                    branch: None,
                    confidentiality_signed_on: Some(self.clock.today()),
                },
            )
            .await?;
        }
        let actor = self.staff_actor(BENCH_MANAGER, "bench").await?;
        let branch = self
            .policy()
            .teams()
            .first()
            .ok_or_else(|| CoreError::Internal("the policy has no teams".into()))?
            .branch
            .clone();
        let year = chrono::Datelike::year(&self.clock.today()) - 1;
        let day = |m, d| {
            chrono::NaiveDate::from_ymd_opt(year, m, d)
                .ok_or_else(|| CoreError::Internal("no such day".into()))
        };
        Ok((
            actor,
            crate::reports::ReportQuery {
                scope: crate::reports::Scope::Branch(branch),
                service_type: None,
                from: day(1, 1)?,
                to: day(12, 31)?,
            },
        ))
    }
}
