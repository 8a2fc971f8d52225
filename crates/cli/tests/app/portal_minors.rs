//! Parents, young people and representatives in the portal (MIN-1..4), through HTTP on
//! both engines, with "today" moved by the app's clock: the rules are decided per
//! request with the age of that day in Europe/Amsterdam, so they change by themselves on
//! the birthday.
//!
//! The age-band matrix (the test day is 10:00 in Amsterdam; "reads" is the parent's
//! GET of the child's trajectory page, 200 with the child's entries, otherwise 404):
//!
//! | case                                   | day        | age | block | consent | parent reads | own account |
//! |----------------------------------------|------------|-----|-------|---------|--------------|-------------|
//! | Noor, the day before her 12th birthday | 2026-11-22 | 11  |       |         | yes (MIN-1)  | refused     |
//! | Noor, on her 12th birthday             | 2026-11-23 | 12  |       |         | yes (MIN-2)  | yes         |
//! | Sem, the day before his 16th birthday  | 2026-11-22 | 15  |       |         | yes (MIN-2)  | yes         |
//! | Sem, on his 16th birthday              | 2026-11-23 | 16  |       | none    | no (MIN-3)   | yes         |
//! | Lotte, 15, blocked parent              | 2026-11-22 | 15  | yes   |         | no (MIN-2)   |             |
//! | Lotte, 15, the other (unblocked) parent| 2026-11-22 | 15  | no    |         | yes (MIN-2)  |             |
//! | Lotte, 15, after the block is lifted   | 2026-11-22 | 15  | no    |         | yes (MIN-2)  |             |
//! | Daan, 17, without consent              | 2026-11-22 | 17  |       | none    | no (MIN-3)   | yes         |
//! | Daan, 17, with consent                 | 2026-11-22 | 17  |       | given   | yes (MIN-3)  | yes         |
//! | Daan, 17, consent withdrawn            | 2026-11-22 | 17  |       | gone    | no (MIN-3)   | yes         |
//! | Mila, 8, authority since 2026-05-01    | 2026-11-22 | 8   |       |         | entries from 2026-05-01 only; her own record always |
//! | Henk, adult, curator with mandate (T1) | 2026-11-22 | 76  |       |         | T1 yes, T2 no (MIN-4)        |
//! | Henk, adult, mentor without mandate    | 2026-11-22 | 76  |       |         | no (MIN-4)   |             |
//! | Henk, the mandate's last day           | 2026-12-31 | 76  |       |         | T1 yes (MIN-4)               |
//! | Henk, the day after the mandate ends   | 2027-01-01 | 77  |       |         | no (MIN-4)   |             |
//!
//! Besides: no work note and no confidential address on any portal page of a parent or
//! representative (their HTML searched for planted markers); the confidential address is
//! shown to the assigned worker only, each display an audit event of its own.

use chrono::Duration;
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_core::clients::NewClientInput;
use zv_core::related::RelatedPersonInput;
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{
    Address, AuditAction, AuditObject, AuditOutcome, BirthDate, ClientId, EntryContent, EntryKind,
    Gender, PersonName, Purpose, RelatedPersonId, RelationKind, Role, TrajectoryId,
};
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{date, engines};

/// The password every portal user here chooses.
pub(crate) const PASSWORD: &str = "een zin die ik onthoud";
/// Planted in every work note: it must never reach a portal page.
const WORK_NOTE: &str = "WERKNOTITIE-MARKER";
/// Planted in a confidential address.
const SECRET_ADDRESS: &str = "Geheimstraat 1 OPVANG-MARKER";
/// A visible (not confidential) address, which a reading parent does see.
const VISIBLE_ADDRESS: &str = "Zichtbare Laan 5";

/// 10:00 in Amsterdam on a day.
fn at(s: &TestServer, day: &str) {
    s.t.clock
        .set(zv_domain::clock::start_of_local_day(date(day)) + Duration::hours(10));
}

/// A staff member who signs in through the web.
struct Staff {
    actor: Actor,
    username: &'static str,
    secret: String,
}

impl Staff {
    async fn new(s: &TestServer, username: &'static str, role: Role, team: Option<&str>) -> Self {
        let (actor, secret) = s.staff(username, role, team).await;
        Self {
            actor,
            username,
            secret,
        }
    }

    /// A fresh signed-in session at the clock's time (a minute on, so a TOTP step is
    /// never claimed twice).
    async fn web(&self, s: &TestServer) -> WebClient {
        s.t.clock.advance(Duration::minutes(1));
        let c = s.client();
        c.sign_in(self.username, &self.secret).await;
        c
    }
}

/// Someone with a portal account.
pub(crate) struct PortalUser {
    username: String,
    password: String,
    secret: String,
}

impl PortalUser {
    /// Signs in again at the clock's time: password, then a code from the app.
    pub(crate) async fn web(&self, s: &TestServer) -> WebClient {
        s.t.clock.advance(Duration::minutes(1));
        let p = s.client();
        let first = p
            .post(
                "/portaal/aanmelden",
                &[("username", &self.username), ("password", &self.password)],
            )
            .await;
        assert_eq!(
            first.location(),
            Some("/portaal/aanmelden/code"),
            "{}",
            first.body
        );
        let form = p.get("/portaal/aanmelden/code").await;
        let done = p
            .post(
                "/portaal/aanmelden/code",
                &[("csrf", &form.csrf()), ("code", &p.code(&self.secret))],
            )
            .await;
        assert_eq!(done.location(), Some("/portaal"), "{}", done.body);
        p
    }
}

/// Redeems a code with a username, sets up TOTP.
pub(crate) async fn enrol(s: &TestServer, code: &str, username: &str) -> PortalUser {
    let p = s.client();
    let redeemed = p
        .post(
            "/portaal/uitnodiging",
            &[
                ("code", code),
                ("username", username),
                ("password", PASSWORD),
                ("password_repeat", PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, 303, "{}", redeemed.body);
    let enrol = p.get("/portaal/aanmelden/koppelen").await;
    let secret = enrol
        .body
        .split("<code>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    let done = p
        .post(
            "/portaal/aanmelden/koppelen",
            &[("csrf", &enrol.csrf()), ("code", &p.code(&secret))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    PortalUser {
        username: username.to_owned(),
        password: PASSWORD.to_owned(),
        secret,
    }
}

/// The worker invites a related person on the client page: the code shown once.
pub(crate) async fn invite_related(
    staff: &WebClient,
    client: ClientId,
    person: RelatedPersonId,
) -> String {
    let made = try_invite_related(staff, client, person).await;
    assert_eq!(made.status, 200, "{}", made.body);
    made.body
        .split("id=\"related-invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned()
}

async fn try_invite_related(staff: &WebClient, client: ClientId, person: RelatedPersonId) -> Page {
    let page = staff.get(&format!("/clienten/{client}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    staff
        .post(
            &format!("/betrokkenen/{person}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await
}

/// The worker invites the client themselves: the page, with a code or a refusal.
async fn try_invite_client(staff: &WebClient, client: ClientId) -> Page {
    let page = staff.get(&format!("/clienten/{client}")).await;
    staff
        .post(
            &format!("/clienten/{client}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await
}

fn code_of(page: &Page) -> String {
    page.body
        .split("id=\"invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_else(|| panic!("no code: {}", page.body))
        .to_owned()
}

/// A client of `worker` with an address (confidential or not) and a trajectory with an
/// entry `marker` and a work note.
async fn client(
    s: &TestServer,
    worker: &Actor,
    name: &str,
    birth: &str,
    address: Option<(&str, bool)>,
    marker: &str,
) -> (ClientId, TrajectoryId) {
    let today = s.t.clock_today();
    let (client, trajectory) =
        s.t.app
            .register_client(
                worker,
                NewClientInput {
                    branch: s.t.app.policy().branches()[0].code.clone(),
                    name: PersonName::parse(name).unwrap(),
                    birth_date: BirthDate::parse(birth, today).unwrap(),
                    gender: Gender::Unknown,
                    address: address.map(|(a, _)| Address::parse(a).unwrap()),
                    phone: None,
                    email: None,
                    confidential_address: address.is_some_and(|(_, c)| c),
                },
                TrajectoryInput {
                    service_type: "amw".to_owned(),
                    team: s.t.first_team(),
                    domestic_violence: false,
                    opened_on: date("2026-02-01"),
                    municipality: None,
                },
            )
            .await
            .unwrap();
    entry(s, worker, trajectory, marker).await;
    s.t.app
        .add_work_note(worker, trajectory, &format!("{WORK_NOTE} {marker}"))
        .await
        .unwrap();
    (client, trajectory)
}

async fn entry(
    s: &TestServer,
    worker: &Actor,
    trajectory: TrajectoryId,
    marker: &str,
) -> zv_domain::EntryId {
    s.t.app
        .add_entry(
            worker,
            trajectory,
            EntryKind::ConversationReport,
            EntryContent {
                title: format!("Gesprek {marker}"),
                body: format!("Inhoud {marker}"),
                progress: None,
            },
            None,
        )
        .await
        .unwrap()
}

pub(crate) async fn related(
    s: &TestServer,
    worker: &Actor,
    client: ClientId,
    relation: RelationKind,
    name: &str,
    authority_since: Option<&str>,
) -> RelatedPersonId {
    s.t.app
        .add_related_person(
            worker,
            client,
            RelatedPersonInput {
                relation,
                name: PersonName::parse(name).unwrap(),
                birth_date: None,
                phone: None,
                email: None,
                address: None,
                authority_since: authority_since.map(date),
                mandate: (relation == RelationKind::LegalRepresentative)
                    .then(|| "Curatele: financiën en zorg".to_owned()),
                linked_client: None,
            },
        )
        .await
        .unwrap()
}

/// Whether the portal user reads the trajectory with its entry `marker` (200), or it
/// does not exist for them (404). Checks the page never shows a work note or a
/// confidential address.
async fn reads(p: &WebClient, trajectory: TrajectoryId, marker: &str) -> bool {
    let page = p.get(&format!("/portaal/trajecten/{trajectory}")).await;
    assert_clean(&page);
    match page.status {
        200 => {
            assert!(page.body.contains(marker), "{}", page.body);
            true
        }
        404 => {
            assert!(!page.body.contains(marker));
            false
        }
        other => panic!("status {other}: {}", page.body),
    }
}

/// DOS-2 and the confidential address: neither on any portal page of a parent or
/// representative.
fn assert_clean(page: &Page) {
    assert!(!page.body.contains(WORK_NOTE), "a work note: {}", page.body);
    assert!(
        !page.body.contains("OPVANG-MARKER"),
        "a confidential address: {}",
        page.body
    );
}

/// Every portal page a parent or representative can reach, searched.
async fn every_page_clean(p: &WebClient, clients: &[ClientId], trajectories: &[TrajectoryId]) {
    let mut paths = vec!["/portaal".to_owned(), "/portaal/code-toevoegen".to_owned()];
    for c in clients {
        paths.push(format!("/portaal/dossiers/{c}"));
        paths.push(format!("/portaal/dossiers/{c}/mijn-gegevens"));
    }
    for t in trajectories {
        paths.push(format!("/portaal/trajecten/{t}"));
    }
    for path in paths {
        let page = p.get(&path).await;
        assert!([200, 404].contains(&page.status), "{path}: {}", page.status);
        assert_clean(&page);
    }
}

// promise: MIN-1
// promise: MIN-2
// promise: MIN-3
// promise: MIN-4
// promise: POR-1
#[tokio::test(flavor = "multi_thread")]
async fn the_age_bands_decide_what_a_parent_reads_and_change_on_the_birthday() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        let (noor, noor_t) = client(
            &s,
            w,
            "Noor Jansen",
            "2014-11-23",
            Some((VISIBLE_ADDRESS, false)),
            "NOOR",
        )
        .await;
        let (sem, sem_t) = client(&s, w, "Sem Jansen", "2010-11-23", None, "SEM").await;
        let noor_parent = related(
            &s,
            w,
            noor,
            RelationKind::ParentWithAuthority,
            "Eva Jansen",
            Some("2014-11-23"),
        )
        .await;
        let sem_parent = related(
            &s,
            w,
            sem,
            RelationKind::ParentWithAuthority,
            "Eva Jansen",
            Some("2010-11-23"),
        )
        .await;

        // 2026-11-22: Noor is 11, Sem 15.
        at(&s, "2026-11-22");
        let staff = worker.web(&s).await;
        let code = invite_related(&staff, noor, noor_parent).await;
        assert_eq!(code.len(), 14);
        let eva = enrol(&s, &code, "eva.jansen").await;
        // One person, two children: the second code is added to the same account.
        let code = invite_related(&staff, sem, sem_parent).await;
        let p = eva.web(&s).await;
        let form = p.get("/portaal/code-toevoegen").await;
        let wrong = p
            .post(
                "/portaal/code-toevoegen",
                &[("csrf", &form.csrf()), ("code", "AAAA-BBBB-CCCC")],
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("Deze uitnodigingscode kennen we niet"));
        assert!(wrong.body.contains("value=\"AAAA-BBBB-CCCC\""));
        let added = p
            .post(
                "/portaal/code-toevoegen",
                &[("csrf", &form.csrf()), ("code", &code)],
            )
            .await;
        assert_eq!(added.location(), Some("/portaal"), "{}", added.body);

        // The parent's list: both children, each with what may be read today.
        let home = p.get("/portaal").await;
        assert_eq!(home.status, 200, "{engine:?} {}", home.body);
        assert!(home.body.contains("Noor Jansen") && home.body.contains("Sem Jansen"));
        assert!(home.body.contains(&format!("/portaal/trajecten/{noor_t}")));
        assert!(home.body.contains(&format!("/portaal/trajecten/{sem_t}")));
        assert_clean(&home);

        // The day before the 12th birthday: the parent reads (MIN-1); no own account.
        assert!(reads(&p, noor_t, "NOOR").await, "MIN-1 {engine:?}");
        let refused = try_invite_client(&staff, noor).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Een kind jonger dan 12 krijgt geen eigen account")
        );
        // The day before the 16th birthday: the parent reads (MIN-2).
        assert!(reads(&p, sem_t, "SEM").await, "MIN-2 at 15");
        let sem_code = code_of(&try_invite_client(&staff, sem).await);
        let sem_user = enrol(&s, &sem_code, "sem").await;
        // The parent sees the child's visible address, never a work note.
        let noor_page = p.get(&format!("/portaal/dossiers/{noor}")).await;
        assert_eq!(noor_page.status, 200);
        assert!(
            noor_page.body.contains(VISIBLE_ADDRESS),
            "{}",
            noor_page.body
        );

        // On the birthday (MIN-4: nothing stored changed, only the day).
        at(&s, "2026-11-23");
        let p = eva.web(&s).await;
        assert!(reads(&p, noor_t, "NOOR").await, "MIN-2 at 12 {engine:?}");
        assert!(!reads(&p, sem_t, "SEM").await, "MIN-3 at 16 {engine:?}");
        let home = p.get("/portaal").await;
        assert!(home.body.contains("Sem Jansen"), "still listed");
        assert!(!home.body.contains(&format!("/portaal/trajecten/{sem_t}")));
        assert!(home.body.contains("op dit moment niet inzien"));
        // From 12 the child has its own account.
        let staff = worker.web(&s).await;
        let noor_code = code_of(&try_invite_client(&staff, noor).await);
        let noor_user = enrol(&s, &noor_code, "noor").await;
        let own = noor_user.web(&s).await;
        assert!(reads(&own, noor_t, "NOOR").await);
        // Sem reads his own dossier still, and is the one who decides now.
        let sem_web = sem_user.web(&s).await;
        assert!(reads(&sem_web, sem_t, "SEM").await);
        let consent = sem_web.get("/portaal/toestemming").await;
        assert!(consent.body.contains("Eva Jansen"), "{}", consent.body);
        assert!(
            consent
                .body
                .contains(&format!("/portaal/toestemming/{sem_parent}/geven"))
        );

        every_page_clean(&p, &[noor, sem], &[noor_t, sem_t]).await;

        // The audit log: the parent's reads name the account in the role of
        // representative, on the ground of representation, decided by the minors rules;
        // the refused read is recorded too, and so is the gate's read of the birth date.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(&officer, &AuditQuery::default(), 1000)
                .await
                .unwrap()
                .events;
        let parent_reads: Vec<_> = events
            .iter()
            .map(|e| &e.event)
            .filter(|e| e.role == "representative" && e.object == AuditObject::Trajectory)
            .collect();
        assert!(parent_reads.iter().any(|e| {
            e.object_id == Some(noor_t.as_uuid())
                && e.outcome == AuditOutcome::Success
                && e.purpose == Purpose::RepresentativeAccess
                && e.rule_ids == vec!["min1-parent-reads-child-under-12"]
        }));
        assert!(parent_reads.iter().any(|e| {
            e.object_id == Some(noor_t.as_uuid())
                && e.rule_ids == vec!["min2-parent-reads-unless-blocked"]
        }));
        assert!(parent_reads.iter().any(|e| {
            e.object_id == Some(sem_t.as_uuid()) && e.outcome == AuditOutcome::Denied
        }));
        assert!(events.iter().any(|e| {
            e.event.object == AuditObject::ClientProfile
                && e.event.role == "representative"
                && e.event.rule_ids == vec!["min4-age-on-the-day"]
        }));
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("Jansen") && !text.contains("eva.jansen"),
                "{text}"
            );
        }
    }
}

// promise: MIN-2
#[tokio::test(flavor = "multi_thread")]
async fn a_caseworker_blocks_one_parent_of_a_15_year_old_and_the_privacy_officer_reviews_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let officer = Staff::new(&s, "functionaris", Role::PrivacyOfficer, None).await;
        let w = &worker.actor;
        let (lotte, lotte_t) = client(&s, w, "Lotte Bakker", "2011-05-01", None, "LOTTE").await;
        let mother = related(
            &s,
            w,
            lotte,
            RelationKind::ParentWithAuthority,
            "Anna Bakker",
            Some("2011-05-01"),
        )
        .await;
        let father = related(
            &s,
            w,
            lotte,
            RelationKind::ParentWithAuthority,
            "Kees Bakker",
            Some("2011-05-01"),
        )
        .await;
        at(&s, "2026-11-22");
        let staff = worker.web(&s).await;
        let code = invite_related(&staff, lotte, mother).await;
        let anna = enrol(&s, &code, "anna").await;
        let code = invite_related(&staff, lotte, father).await;
        let kees = enrol(&s, &code, "kees").await;

        // A block needs its reason; a refused form keeps what was typed and changes
        // nothing.
        let page = staff.get(&format!("/clienten/{lotte}")).await;
        assert!(
            page.body.contains("De cliënt is 12 tot 16"),
            "{}",
            page.body
        );
        let empty = staff
            .post(
                &format!("/betrokkenen/{father}/blokkade"),
                &[("csrf", &page.csrf()), ("reason", "   ")],
            )
            .await;
        assert_eq!(empty.status, 422, "{engine:?} {}", empty.body);
        assert!(empty.body.contains("Vul de reden in."));
        let kees_web = kees.web(&s).await;
        assert!(reads(&kees_web, lotte_t, "LOTTE").await, "nothing changed");
        const REASON: &str = "Lotte vertelde dat vader haar bedreigt REDEN-MARKER";
        let blocked = staff
            .post(
                &format!("/betrokkenen/{father}/blokkade"),
                &[("csrf", &page.csrf()), ("reason", REASON)],
            )
            .await;
        assert_eq!(blocked.status, 303, "{}", blocked.body);
        let page = staff.get(&format!("/clienten/{lotte}")).await;
        assert!(page.body.contains("Inzage geblokkeerd."));
        assert!(
            page.body.contains(REASON),
            "the worker on the case sees why"
        );

        // At once: the blocked parent reads nothing, the other parent reads.
        assert!(
            !reads(&kees_web, lotte_t, "LOTTE").await,
            "blocked {engine:?}"
        );
        let home = kees_web.get("/portaal").await;
        assert!(home.body.contains("op dit moment niet inzien"));
        assert!(
            !home.body.contains("REDEN-MARKER"),
            "the reason stays with staff"
        );
        let own = kees_web
            .get(&format!("/portaal/dossiers/{lotte}/mijn-gegevens"))
            .await;
        assert_eq!(own.status, 200, "own record always: {}", own.body);
        assert!(own.body.contains("Kees Bakker"));
        assert!(!own.body.contains("REDEN-MARKER"));
        let anna_web = anna.web(&s).await;
        assert!(reads(&anna_web, lotte_t, "LOTTE").await, "unblocked parent");

        // The privacy officer reviews it, on the page and through the API.
        let po = officer.web(&s).await;
        let review = po.get("/privacy/ouderblokkades").await;
        assert_eq!(review.status, 200, "{}", review.body);
        assert!(review.body.contains(REASON));
        assert!(review.body.contains("Van kracht"));
        let colleague = Staff::new(&s, "collega", Role::Caseworker, Some("amw-helmond")).await;
        let other = colleague.web(&s).await;
        assert_eq!(other.get("/privacy/ouderblokkades").await.status, 404);

        // Lifted through the JSON API; the next request decides on it.
        let api = token(&staff, &["scope_read", "scope_write"]).await;
        let http = reqwest::Client::new();
        let lift = http
            .post(format!(
                "{}/api/v1/related-persons/{father}/parent-block/lift",
                s.base
            ))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap();
        assert_eq!(lift.status().as_u16(), 204);
        assert!(reads(&kees_web, lotte_t, "LOTTE").await, "lifted");
        let again = http
            .post(format!(
                "{}/api/v1/related-persons/{father}/parent-block/lift",
                s.base
            ))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 409);
        // Recorded again through the API, with its reason required there too.
        let no_reason = http
            .post(format!(
                "{}/api/v1/related-persons/{father}/parent-block",
                s.base
            ))
            .bearer_auth(&api)
            .json(&serde_json::json!({"reason": ""}))
            .send()
            .await
            .unwrap();
        assert_eq!(no_reason.status().as_u16(), 422);
        // The JSON answers are what the OpenAPI document says.
        let client_api = crate::api::Api::new(&s, &api);
        let doc = client_api.get("/openapi.json").await.json;
        let states = client_api
            .get(&format!("/clients/{lotte}/related-persons/portal"))
            .await;
        assert_eq!(states.status, 200);
        crate::api::conforms(&doc, "get", "/clients/{id}/related-persons/portal", &states);
        let of_client = client_api
            .get(&format!("/clients/{lotte}/parent-blocks"))
            .await;
        assert_eq!(of_client.status, 200);
        crate::api::conforms(&doc, "get", "/clients/{id}/parent-blocks", &of_client);
        assert_eq!(of_client.json[0]["reason"], REASON);
        let father_state = states
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["related_person_id"] == father.to_string())
            .unwrap();
        assert_eq!(father_state["blocked_since"], serde_json::Value::Null);
        assert!(!father_state["account_since"].is_null());
        let po_api = token(&po, &["scope_audit"]).await;
        let reviewed = crate::api::Api::new(&s, &po_api)
            .get("/parent-blocks")
            .await;
        assert_eq!(reviewed.status, 200);
        crate::api::conforms(&doc, "get", "/parent-blocks", &reviewed);
        let b = &reviewed.json[0];
        assert_eq!(b["reason"], REASON);
        assert!(!b["lifted_at"].is_null());

        // Recording and lifting are audited under the worker; reading the reasons under
        // the privacy officer; never with the reason or a name in the log.
        let events =
            s.t.app
                .audit_events(&officer.actor, &AuditQuery::default(), 1000)
                .await
                .unwrap()
                .events;
        for (action, role) in [
            (AuditAction::Create, "caseworker"),
            (AuditAction::Update, "caseworker"),
            (AuditAction::Read, "privacy_officer"),
        ] {
            assert!(
                events
                    .iter()
                    .any(|e| e.event.object == AuditObject::ParentBlock
                        && e.event.action == action
                        && e.event.role == role
                        && e.event.outcome == AuditOutcome::Success),
                "{action:?} by {role}"
            );
        }
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("MARKER") && !text.contains("Bakker"),
                "{text}"
            );
        }

        // Destroying the child leaves nothing of it: the links, the block, and the
        // parents' accounts that read for nobody else.
        let destroyed =
            s.t.app
                .destroy_client(&Actor::cli("test"), lotte, "amw-2y", "test of destruction")
                .await
                .unwrap();
        assert!(
            destroyed.rows.get("portal_minors").is_some_and(|n| *n >= 5),
            "{:?}",
            destroyed.rows
        );
        s.t.clock.advance(Duration::minutes(1));
        let gone = s
            .client()
            .post(
                "/portaal/aanmelden",
                &[("username", "kees"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(gone.status, 401, "{engine:?}");
    }
}

/// An API token of a signed-in staff member with these scope fields.
async fn token(staff: &WebClient, scopes: &[&str]) -> String {
    let page = staff.get("/api-sleutels").await;
    let csrf = page.csrf();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "minderjarigen"),
        ("expires_on", "2027-01-31"),
    ];
    for s in scopes {
        form.push((s, "1"));
    }
    let made = staff.post("/api-sleutels", &form).await;
    made.body
        .split("id=\"new-token\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_else(|| panic!("no token: {}", made.body))
        .to_owned()
}

// promise: MIN-3
#[tokio::test(flavor = "multi_thread")]
async fn a_17_year_old_gives_and_withdraws_a_parents_consent_with_immediate_effect() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        let (daan, daan_t) = client(&s, w, "Daan Smit", "2009-06-01", None, "DAAN").await;
        let father = related(
            &s,
            w,
            daan,
            RelationKind::ParentWithAuthority,
            "Piet Smit",
            Some("2009-06-01"),
        )
        .await;
        at(&s, "2026-11-22");
        let staff = worker.web(&s).await;
        let piet = enrol(&s, &invite_related(&staff, daan, father).await, "piet").await;
        let young = enrol(&s, &code_of(&try_invite_client(&staff, daan).await), "daan").await;

        // Without consent: nothing (MIN-3).
        let piet_web = piet.web(&s).await;
        assert!(!reads(&piet_web, daan_t, "DAAN").await, "{engine:?}");
        // The young person gives consent in the portal.
        let d = young.web(&s).await;
        let consent = d.get("/portaal/toestemming").await;
        assert_eq!(consent.status, 200, "{}", consent.body);
        assert!(consent.body.contains("Piet Smit"));
        assert!(consent.body.contains("Geen toestemming."));
        let given = d
            .post(
                &format!("/portaal/toestemming/{father}/geven"),
                &[("csrf", &consent.csrf())],
            )
            .await;
        assert_eq!(
            given.location(),
            Some("/portaal/toestemming"),
            "{}",
            given.body
        );
        // Without the session's token nothing changes.
        let forged = d
            .post(
                &format!("/portaal/toestemming/{father}/intrekken"),
                &[("csrf", "verkeerd")],
            )
            .await;
        assert_eq!(forged.status, 403);
        // With consent: the parent reads, at once.
        assert!(
            reads(&piet_web, daan_t, "DAAN").await,
            "with consent {engine:?}"
        );
        // The worker sees the consent; only the young person gives it (the API offers
        // no way).
        let staff_page = staff.get(&format!("/clienten/{daan}")).await;
        assert!(
            staff_page
                .body
                .contains("De jongere heeft toestemming gegeven op")
        );
        // Withdrawn: the parent's next request is refused.
        let consent = d.get("/portaal/toestemming").await;
        assert!(consent.body.contains("Toestemming gegeven op"));
        let withdrawn = d
            .post(
                &format!("/portaal/toestemming/{father}/intrekken"),
                &[("csrf", &consent.csrf())],
            )
            .await;
        assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
        assert!(
            !reads(&piet_web, daan_t, "DAAN").await,
            "withdrawn {engine:?}"
        );
        let twice = d
            .post(
                &format!("/portaal/toestemming/{father}/intrekken"),
                &[("csrf", &consent.csrf())],
            )
            .await;
        assert_eq!(twice.status, 409);
        // The parent cannot give consent on the child's behalf: the page is not theirs.
        assert_eq!(piet_web.get("/portaal/toestemming").await.status, 404);
        let by_parent = piet_web
            .post(
                &format!("/portaal/toestemming/{father}/geven"),
                &[("csrf", &piet_web.get("/portaal").await.csrf())],
            )
            .await;
        assert_eq!(by_parent.status, 404);
        assert!(!reads(&piet_web, daan_t, "DAAN").await);

        // A 12-year-old has no say yet: the page says so and lists nobody.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(&officer, &AuditQuery::default(), 1000)
                .await
                .unwrap()
                .events;
        for action in [AuditAction::Create, AuditAction::Delete] {
            assert!(
                events
                    .iter()
                    .any(|e| e.event.object == AuditObject::YouthConsent
                        && e.event.action == action
                        && e.event.role == "client"
                        && e.event.outcome == AuditOutcome::Success
                        && e.event.rule_ids == vec!["min3-young-person-decides"])
            );
        }
    }
}

// promise: MIN-1
// promise: DOS-2
#[tokio::test(flavor = "multi_thread")]
async fn a_parent_reads_only_what_is_dated_from_their_authority_and_always_their_own_record() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        at(&s, "2026-03-01");
        let (mila, mila_t) = client(
            &s,
            w,
            "Mila de Groot",
            "2018-01-01",
            Some((SECRET_ADDRESS, true)),
            "VOOR-GEZAG",
        )
        .await;
        let before = entry(&s, w, mila_t, "VOOR-GEZAG-MET-BIJLAGE").await;
        let early_file =
            s.t.app
                .add_attachment(w, before, "verslag-voor.txt", "text/plain", b"VOOR-BIJLAGE")
                .await
                .unwrap();
        at(&s, "2026-06-01");
        entry(&s, w, mila_t, "NA-GEZAG").await;
        let stepfather = related(
            &s,
            w,
            mila,
            RelationKind::Guardian,
            "Joris de Groot",
            Some("2026-05-01"),
        )
        .await;
        at(&s, "2026-11-22");
        let staff = worker.web(&s).await;
        let joris = enrol(&s, &invite_related(&staff, mila, stepfather).await, "joris").await;
        let p = joris.web(&s).await;
        let dossier = p.get(&format!("/portaal/trajecten/{mila_t}")).await;
        assert_eq!(dossier.status, 200, "{engine:?} {}", dossier.body);
        assert!(dossier.body.contains("NA-GEZAG"));
        assert!(!dossier.body.contains("VOOR-GEZAG"), "{}", dossier.body);
        assert!(!dossier.body.contains("verslag-voor.txt"));
        assert_eq!(
            p.get(&format!("/portaal/bijlagen/{early_file}"))
                .await
                .status,
            404,
            "an attachment dated before the authority"
        );
        // Their own record, always.
        let own = p
            .get(&format!("/portaal/dossiers/{mila}/mijn-gegevens"))
            .await;
        assert_eq!(own.status, 200, "{}", own.body);
        assert!(own.body.contains("Joris de Groot") && own.body.contains("2026-05-01"));
        // The child's confidential address never; the child's page still opens.
        let page = p.get(&format!("/portaal/dossiers/{mila}")).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("Geheimstraat"));
        every_page_clean(&p, &[mila], &[mila_t]).await;
        // The worker on the case sees the whole dossier and the address.
        let staff_page = staff.get(&format!("/clienten/{mila}")).await;
        assert!(staff_page.body.contains(SECRET_ADDRESS));
    }
}

// promise: MIN-4
#[tokio::test(flavor = "multi_thread")]
async fn a_representative_reads_within_the_recorded_mandate_until_it_ends() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        let (henk, t1) = client(&s, w, "Henk Visser", "1950-01-01", None, "HENK-EEN").await;
        let t2 = s.t.open_trajectory(w, henk, "amw", "2026-03-01").await;
        entry(&s, w, t2, "HENK-TWEE").await;
        let curator = related(
            &s,
            w,
            henk,
            RelationKind::LegalRepresentative,
            "Mr. Bos",
            None,
        )
        .await;
        let mentor = related(
            &s,
            w,
            henk,
            RelationKind::LegalRepresentative,
            "Mw. Kok",
            None,
        )
        .await;
        let parent = related(
            &s,
            w,
            henk,
            RelationKind::ParentWithAuthority,
            "Oude Visser",
            Some("1950-01-01"),
        )
        .await;
        at(&s, "2026-11-22");
        let staff = worker.web(&s).await;
        // A parent's authority ends at 18: no account for an adult's parent.
        let refused = try_invite_related(&staff, henk, parent).await;
        assert_eq!(refused.status, 422, "{engine:?}");
        assert!(refused.body.contains("Het gezag van een ouder eindigt"));

        // The mandate: only the first trajectory, until the end of the year. A refused
        // form keeps the input.
        let page = staff.get(&format!("/clienten/{henk}")).await;
        let bad = staff
            .post(
                &format!("/betrokkenen/{curator}/mandaat"),
                &[
                    ("csrf", &page.csrf()),
                    ("scope", "trajectories"),
                    ("ends_on", "2026-12-31"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("ten minste één traject"));
        assert!(bad.body.contains("value=\"2026-12-31\""));
        let done = staff
            .post(
                &format!("/betrokkenen/{curator}/mandaat"),
                &[
                    ("csrf", &page.csrf()),
                    ("scope", "trajectories"),
                    ("trajectory", &t1.to_string()),
                    ("ends_on", "2026-12-31"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let bos = enrol(&s, &invite_related(&staff, henk, curator).await, "mr.bos").await;
        let kok = enrol(&s, &invite_related(&staff, henk, mentor).await, "mw.kok").await;

        let p = bos.web(&s).await;
        assert!(
            reads(&p, t1, "HENK-EEN").await,
            "within the mandate {engine:?}"
        );
        assert!(!reads(&p, t2, "HENK-TWEE").await, "outside the mandate");
        let home = p.get("/portaal").await;
        assert!(home.body.contains("Henk Visser"));
        assert!(home.body.contains(&format!("/portaal/trajecten/{t1}")));
        assert!(!home.body.contains(&format!("/portaal/trajecten/{t2}")));
        let own = p
            .get(&format!("/portaal/dossiers/{henk}/mijn-gegevens"))
            .await;
        assert!(own.body.contains("Curatele: financiën en zorg"));
        // Without a mandate: nothing of the dossier, but their own record.
        let q = kok.web(&s).await;
        assert!(!reads(&q, t1, "HENK-EEN").await, "no mandate {engine:?}");
        assert!(!reads(&q, t2, "HENK-TWEE").await);
        assert_eq!(
            q.get(&format!("/portaal/dossiers/{henk}/mijn-gegevens"))
                .await
                .status,
            200
        );
        every_page_clean(&q, &[henk], &[t1, t2]).await;

        // The mandate's last day it still covers; the day after nothing, by itself.
        at(&s, "2026-12-31");
        let p = bos.web(&s).await;
        assert!(reads(&p, t1, "HENK-EEN").await, "the last day {engine:?}");
        at(&s, "2027-01-01");
        let p = bos.web(&s).await;
        assert!(!reads(&p, t1, "HENK-EEN").await, "mandate ended {engine:?}");
        every_page_clean(&p, &[henk], &[t1, t2]).await;
    }
}

// promise: ACC-1
// promise: MIN-1
#[tokio::test(flavor = "multi_thread")]
async fn a_confidential_address_is_shown_to_the_assigned_workers_only_and_each_display_is_audited()
{
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let helper = Staff::new(&s, "noodhulp", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        let (mother, mother_t) = client(
            &s,
            w,
            "Sara Meijer",
            "1990-04-04",
            Some((SECRET_ADDRESS, true)),
            "SARA",
        )
        .await;
        let (child, child_t) = client(
            &s,
            w,
            "Tim Meijer",
            "2020-04-04",
            Some((SECRET_ADDRESS, true)),
            "TIM",
        )
        .await;
        let father = related(
            &s,
            w,
            child,
            RelationKind::ParentWithAuthority,
            "Rob Meijer",
            Some("2020-04-04"),
        )
        .await;
        at(&s, "2026-11-22");
        // The assigned worker sees it; the page and the API name it.
        let staff = worker.web(&s).await;
        let page = staff.get(&format!("/clienten/{mother}")).await;
        assert!(page.body.contains(SECRET_ADDRESS), "{engine:?}");
        // A colleague who breaks the glass reads the dossier, not the address.
        s.t.app
            .break_the_glass(
                &helper.actor,
                mother_t,
                "Crisis in de opvang, direct nodig",
                2,
            )
            .await
            .unwrap();
        let other = helper.web(&s).await;
        let page = other.get(&format!("/clienten/{mother}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(!page.body.contains("Geheimstraat"), "{}", page.body);
        assert!(page.body.contains("Alleen zichtbaar voor de hulpverleners"));
        let api = token(&other, &["scope_read"]).await;
        let json: serde_json::Value = reqwest::Client::new()
            .get(format!("{}/api/v1/clients/{mother}", s.base))
            .bearer_auth(&api)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(json["profile"]["confidential_address"], true, "{json}");
        assert_eq!(json["profile"]["address"], serde_json::Value::Null);
        assert!(!json.to_string().contains("Geheimstraat"));

        // The father reads the child's dossier (MIN-1), never the address.
        let rob = enrol(&s, &invite_related(&staff, child, father).await, "rob").await;
        let p = rob.web(&s).await;
        assert!(reads(&p, child_t, "TIM").await);
        every_page_clean(&p, &[child, mother], &[child_t, mother_t]).await;
        // The mother's own portal shows her own address.
        let sara = enrol(
            &s,
            &code_of(&try_invite_client(&staff, mother).await),
            "sara",
        )
        .await;
        let own = sara.web(&s).await.get("/portaal/mijn-gegevens").await;
        assert_eq!(own.status, 200, "{}", own.body);
        assert!(own.body.contains(SECRET_ADDRESS));

        // Every display is an audit event of its own (object "address"); the refusals
        // of the others are not displays.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        client: Some(mother),
                        ..AuditQuery::default()
                    },
                    1000,
                )
                .await
                .unwrap()
                .events;
        let shown: Vec<_> = events
            .iter()
            .map(|e| &e.event)
            .filter(|e| e.object == AuditObject::Address && e.outcome == AuditOutcome::Success)
            .collect();
        assert!(shown.iter().any(|e| e.role == "caseworker"
            && e.user_id == worker.actor.user_id()
            && e.rule_ids.contains(&"acc1-assigned-worker".to_owned())));
        assert!(shown.iter().any(|e| e.role == "client"));
        assert!(
            !shown.iter().any(|e| e.user_id == helper.actor.user_id()),
            "no display to the emergency reader"
        );
        assert!(!shown.iter().any(|e| e.role == "representative"));
    }
}

// promise: MIN-1
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_parent_signs_in_with_the_printed_secret_and_reads_the_childs_dossier() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let report =
            s.t.app
                .load_demo(zv_core::demo::DemoOptions {
                    clients: 20,
                    seed: 11,
                    as_of: date("2026-11-22"),
                })
                .await
                .unwrap();
        let account = report.parent_account.expect("a demo parent");
        assert_eq!(account.username, zv_core::demo::DEMO_PARENT_USERNAME);
        let parent = PortalUser {
            username: account.username,
            password: zv_core::demo::DEMO_PASSWORD.to_owned(),
            secret: zv_core::demo::DEMO_TOTP_SECRET.to_owned(),
        };
        let p = parent.web(&s).await;
        let home = p.get("/portaal").await;
        assert!(
            home.body.contains("Lieke Mulder"),
            "{engine:?} {}",
            home.body
        );
        let trajectory = home
            .body
            .split("/portaal/trajecten/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        let dossier = p.get(&format!("/portaal/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 200, "{}", dossier.body);
        assert!(dossier.body.contains("Gesprek met Lieke en haar vader"));
        for page in [&home, &dossier] {
            assert!(!page.body.contains("Eigen aantekening"), "a work note");
            assert!(!page.body.contains("Opvangadres"), "a confidential address");
        }
    }
}

// promise: POR-3
// promise: MIN-2
// promise: MIN-4
#[tokio::test(flavor = "multi_thread")]
async fn a_parent_sees_who_looked_at_the_childs_dossier_on_the_dossiers_own_terms() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = Staff::new(&s, "hulpverlener", Role::Caseworker, Some("amw-helmond")).await;
        let w = &worker.actor;
        // The dossier is made in March: those events predate the stepfather's authority.
        at(&s, "2026-03-02");
        let (lotte, lotte_t) = client(&s, w, "Lotte Bakker", "2011-05-01", None, "LOTTE").await;
        let (other, _) = client(&s, w, "Sem de Wit", "2016-01-01", None, "SEM").await;
        let mother = related(
            &s,
            w,
            lotte,
            RelationKind::ParentWithAuthority,
            "Anna Bakker",
            Some("2011-05-01"),
        )
        .await;
        let stepfather = related(
            &s,
            w,
            lotte,
            RelationKind::ParentWithAuthority,
            "Kees Bakker",
            Some("2026-06-01"),
        )
        .await;
        at(&s, "2026-11-23");
        let staff = worker.web(&s).await;
        assert_eq!(
            staff.get(&format!("/trajecten/{lotte_t}")).await.status,
            200
        );
        let code = invite_related(&staff, lotte, mother).await;
        let anna = enrol(&s, &code, "anna").await;
        let code = invite_related(&staff, lotte, stepfather).await;
        let kees = enrol(&s, &code, "kees").await;
        let log = format!("/portaal/dossiers/{lotte}/inzage-log");

        // Lotte is 15: both parents with authority read her log, each from the day
        // their authority began; a parent's own reads are "you", on request.
        let anna_web = anna.web(&s).await;
        assert!(reads(&anna_web, lotte_t, "LOTTE").await);
        let dossier = anna_web.get(&format!("/portaal/dossiers/{lotte}")).await;
        assert!(dossier.body.contains(&log), "{}", dossier.body);
        let page = anna_web.get(&log).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("Wie keek in dit dossier"));
        assert!(
            page.body.contains("2026-03-02"),
            "from 2011 on: {}",
            page.body
        );
        assert!(page.body.contains("2026-11-23"));
        assert!(!page.body.contains("U zelf"), "own reads only on request");
        let own = anna_web.get(&format!("{log}?eigen=1")).await;
        assert!(own.body.contains("U zelf"), "{}", own.body);
        assert_clean(&page);
        let kees_web = kees.web(&s).await;
        let page = kees_web.get(&log).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("2026-11-23"));
        assert!(
            !page.body.contains("2026-03-02"),
            "nothing from before his authority: {}",
            page.body
        );
        // The filter's errors stay on the linked log's own address.
        let bad = kees_web.get(&format!("{log}?van=gisteren")).await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(&format!("action=\"{log}\"")));

        // A blocked parent sees the log no more than the dossier; another child's log,
        // or a made-up id, is not there.
        let page = staff.get(&format!("/clienten/{lotte}")).await;
        let blocked = staff
            .post(
                &format!("/betrokkenen/{stepfather}/blokkade"),
                &[
                    ("csrf", &page.csrf()),
                    ("reason", "Lotte wil niet dat hij meekijkt"),
                ],
            )
            .await;
        assert_eq!(blocked.status, 303, "{}", blocked.body);
        let refused = kees_web.get(&log).await;
        assert_eq!(refused.status, 404, "{engine:?}");
        assert!(!refused.body.contains("2026-11-23"));
        assert_eq!(
            anna_web.get(&log).await.status,
            200,
            "the other parent still"
        );
        let elsewhere = anna_web
            .get(&format!("/portaal/dossiers/{other}/inzage-log"))
            .await;
        assert_eq!(elsewhere.status, 404);
        assert_eq!(
            anna_web
                .get("/portaal/dossiers/niet-een-id/inzage-log")
                .await
                .status,
            404
        );
    }
}
