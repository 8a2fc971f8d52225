//! The consent register through HTTP on both engines (SHR-1 consent ground, RTS-10,
//! MIN-1..3): recording and listing on the staff page and through the API, refusals
//! field by field, who must give a consent by the client's age band on the day, the
//! withdrawal by staff and in the portal (by the client, and by a parent for a child
//! under 16) taking effect at once, ACC-2 for a colleague of another team, and the
//! audit log of every read and change.

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::Actor;
use zv_core::clients::NewClientInput;
use zv_core::related::RelatedPersonInput;
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, BirthDate, ClientId, Gender, PersonName,
    RelatedPersonId, RelationKind, Role,
};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, make_token};
use crate::fixtures;

/// Planted in a consent's description: it is shown to those who may read the consent,
/// and never appears in the audit log.
const COVERS: &str = "BESCHRIJVING-TOESTEMMING-8C";

/// 10:00 in Amsterdam on the test day.
fn today(s: &TestServer) {
    s.t.clock
        .set(zv_domain::clock::start_of_local_day(date("2026-11-22")) + Duration::hours(10));
}

/// A client of `worker` in team amw-helmond, born on `birth`.
async fn client(s: &TestServer, worker: &Actor, name: &str, birth: &str) -> ClientId {
    let today = s.t.clock_today();
    s.t.app
        .register_client(
            worker,
            NewClientInput {
                branch: s.t.app.policy().branches()[0].code.clone(),
                name: PersonName::parse(name).unwrap(),
                birth_date: BirthDate::parse(birth, today).unwrap(),
                gender: Gender::Unknown,
                address: None,
                phone: None,
                email: None,
                confidential_address: false,
            },
            TrajectoryInput {
                service_type: "amw".to_owned(),
                team: "amw-helmond".to_owned(),
                domestic_violence: false,
                opened_on: date("2026-02-01"),
                municipality: None,
            },
        )
        .await
        .unwrap()
        .0
}

/// A parent with authority (since `since`) of the client.
async fn parent(
    s: &TestServer,
    worker: &Actor,
    client: ClientId,
    name: &str,
    since: &str,
) -> RelatedPersonId {
    s.t.app
        .add_related_person(
            worker,
            client,
            RelatedPersonInput {
                relation: RelationKind::ParentWithAuthority,
                name: PersonName::parse(name).unwrap(),
                birth_date: None,
                phone: None,
                email: None,
                address: None,
                authority_since: Some(date(since)),
                mandate: None,
                linked_client: None,
            },
        )
        .await
        .unwrap()
}

/// A token's last day: a month on.
fn expires(s: &TestServer) -> String {
    (s.t.clock_today() + Duration::days(30)).to_string()
}

/// A recipient in the register, added by the privacy officer through the API.
async fn recipient(s: &TestServer, officer: &WebClient, name: &str) -> String {
    let token = make_token(officer, "register", &["audit", "read"], &expires(s)).await;
    let added = Api::new(s, &token)
        .post(
            "/recipients",
            &json!({"name": name, "country": "NL", "kind": "care_partner", "contact": null}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text());
    added.json["id"].as_str().unwrap().to_owned()
}

/// The worker's API client, with read and write scopes.
async fn worker_api(s: &TestServer, staff: &WebClient) -> Api {
    let token = make_token(staff, "koppeling", &["read", "write"], &expires(s)).await;
    Api::new(s, &token)
}

fn consent(purpose: &str, recipient: Option<&str>, given_by: &[&str]) -> Value {
    json!({
        "purpose": purpose,
        "recipient": recipient,
        "how": "written",
        "given_on": "2026-11-20",
        "given_by": given_by,
        "description": COVERS,
    })
}

/// Posts the staff form; the page answered.
async fn record_on_page(
    staff: &WebClient,
    client: ClientId,
    fields: &[(&str, &str)],
) -> zv_testkit::web::Page {
    let page = staff
        .get(&format!("/clienten/{client}/toestemmingen"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    staff
        .post(&format!("/clienten/{client}/toestemmingen"), &form)
        .await
}

/// The audit events of the client of one object, as (action, outcome, user).
async fn consent_events(
    s: &TestServer,
    fg: &Actor,
    client: ClientId,
) -> Vec<(
    AuditAction,
    AuditOutcome,
    Option<zv_domain::UserId>,
    Option<String>,
)> {
    fixtures::client_events(s, fg, client)
        .await
        .into_iter()
        .filter(|e| e.event.object == AuditObject::Consent)
        .map(|e| {
            (
                e.event.action,
                e.event.outcome,
                e.event.user_id,
                e.event.detail,
            )
        })
        .collect()
}

// promise: SHR-1
// promise: ACC-1
// promise: ACC-2
#[tokio::test(flavor = "multi_thread")]
async fn consents_are_recorded_listed_and_refused_field_by_field() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        today(&s);
        let people = fixtures::staff(&s, "amw-helmond", "jeugd-eindhoven").await;
        let worker = people.worker.clone();
        let amal = client(&s, &worker, "Amal Haddad", "1984-05-06").await;
        let partner = recipient(&s, &people.officer, "Zorgpartner Helmond").await;
        let api = worker_api(&s, &people.staff).await;

        // Through the API: a consent to share with a named recipient.
        let made = api
            .post(
                &format!("/clients/{amal}/consents"),
                &consent("sharing", Some(&partner), &["client"]),
            )
            .await;
        assert_eq!(made.status, 201, "{engine:?} {}", made.text());
        let shared = made.json["id"].as_str().unwrap().to_owned();
        // On the staff page: photo and video, given in person, without a description.
        let done = record_on_page(
            &people.staff,
            amal,
            &[
                ("purpose", "photo_video"),
                ("recipient", ""),
                ("how", "in_person"),
                ("given_on", "2026-11-21"),
                ("given_by", "client"),
                ("description", ""),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let page = people
            .staff
            .get(&format!("/clienten/{amal}/toestemmingen"))
            .await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Zorgpartner Helmond"), "{}", page.body);
        assert!(page.body.contains(" en video"), "{}", page.body);
        assert!(page.body.contains(COVERS));
        assert!(page.body.contains("Van kracht"));
        // The client page links to it.
        let profile = people.staff.get(&format!("/clienten/{amal}")).await;
        assert!(
            profile
                .body
                .contains(&format!("/clienten/{amal}/toestemmingen"))
        );

        let list = api.get(&format!("/clients/{amal}/consents")).await;
        assert_eq!(list.status, 200, "{}", list.text());
        let all = list.json.as_array().unwrap();
        assert_eq!(all.len(), 2);
        let sharing = all.iter().find(|c| c["id"] == shared.as_str()).unwrap();
        assert_eq!(sharing["purpose"], "sharing");
        assert_eq!(sharing["recipient"]["id"], partner.as_str());
        assert_eq!(sharing["given_by"], json!(["client"]));
        assert_eq!(sharing["description"], COVERS);
        assert_eq!(sharing["in_force"], true);
        assert!(sharing["withdrawal"].is_null());

        // Refused, nothing recorded, the field named: sharing without a recipient, with
        // one that does not exist, a day still to come, values that are no choice.
        let path = format!("/clients/{amal}/consents");
        for (body, field) in [
            (consent("sharing", None, &["client"]), "recipient"),
            (
                consent(
                    "sharing",
                    Some(&uuid::Uuid::now_v7().to_string()),
                    &["client"],
                ),
                "recipient",
            ),
            (
                consent("newsletter", Some(&partner), &["client"]),
                "recipient",
            ),
            (
                json!({"purpose": "newsletter", "how": "written", "given_on": "2026-11-23", "given_by": ["client"]}),
                "given_on",
            ),
            (
                json!({"purpose": "everything", "how": "written", "given_on": "2026-11-20", "given_by": ["client"]}),
                "purpose",
            ),
            (
                json!({"purpose": "newsletter", "how": "by_pigeon", "given_on": "2026-11-20", "given_by": ["client"]}),
                "how",
            ),
            (
                json!({"purpose": "newsletter", "how": "written", "given_on": "2026-11-20", "given_by": []}),
                "given_by",
            ),
        ] {
            let refused = api.post(&path, &body).await;
            assert_eq!(refused.status, 422, "{body} {}", refused.text());
            assert_eq!(refused.json["field"], field, "{body} {}", refused.text());
            assert!(!refused.text().contains(COVERS));
        }
        // On the page every field at once, in Dutch, the typed values kept.
        let refused = record_on_page(
            &people.staff,
            amal,
            &[
                ("purpose", "sharing"),
                ("recipient", ""),
                ("how", "per_duif"),
                ("given_on", "2026-12-01"),
                ("description", "Nog te geven"),
            ],
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for (id, text) in [
            ("error-recipient", "Kies bij delen de organisatie"),
            ("error-how", "Kies hoe de toestemming is gegeven"),
            ("error-given-on", "op een dag die nog moet komen"),
            ("error-given-by", "Geef aan wie de toestemming gaf"),
        ] {
            assert!(refused.body.contains(id), "{id}: {}", refused.body);
            assert!(refused.body.contains(text), "{text}: {}", refused.body);
        }
        assert!(refused.body.contains("Nog te geven"));
        assert_eq!(
            api.get(&path).await.json.as_array().unwrap().len(),
            2,
            "nothing was recorded"
        );

        // ACC-2: a colleague of another team sees no consent, on the page or in the API.
        let other = people
            .colleague
            .get(&format!("/clienten/{amal}/toestemmingen"))
            .await;
        assert_eq!(other.status, 404);
        assert!(!other.body.contains(COVERS));
        let tried = people
            .colleague
            .post(
                &format!("/clienten/{amal}/toestemmingen"),
                &[
                    ("csrf", &other.csrf()),
                    ("purpose", "newsletter"),
                    ("how", "written"),
                    ("given_on", "2026-11-20"),
                    ("given_by", "client"),
                ],
            )
            .await;
        assert_ne!(tried.status, 303, "{}", tried.body);

        // The audit log: the reads and the recordings under the worker, the colleague's
        // refused read, and no description anywhere.
        let fg =
            s.t.staff("fg.toestemming", Role::PrivacyOfficer, None)
                .await;
        let events = consent_events(&s, &fg, amal).await;
        let worker_id = worker.user_id();
        assert_eq!(
            events
                .iter()
                .filter(|(a, o, u, _)| *a == AuditAction::Create
                    && *o == AuditOutcome::Success
                    && *u == worker_id)
                .count(),
            2,
            "{events:?}"
        );
        assert!(events.iter().any(|(a, o, u, _)| *a == AuditAction::Read
            && *o == AuditOutcome::Success
            && *u == worker_id));
        assert!(events.iter().any(|(a, o, u, _)| *a == AuditAction::Read
            && *o == AuditOutcome::Denied
            && *u != worker_id));
        assert!(
            events
                .iter()
                .all(|(_, _, _, d)| !d.as_deref().unwrap_or_default().contains(COVERS))
        );
    }
}

// promise: MIN-1
// promise: MIN-2
// promise: MIN-3
// promise: SHR-1
#[tokio::test(flavor = "multi_thread")]
async fn who_gives_consent_follows_the_age_band_on_the_day() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        today(&s);
        let people = fixtures::staff(&s, "amw-helmond", "jeugd-eindhoven").await;
        let worker = people.worker.clone();
        let api = worker_api(&s, &people.staff).await;
        // On 2026-11-20 (the day the consents are given): Sem is 13, Lotte 16, Noor 8.
        let sem = client(&s, &worker, "Sem de Vries", "2013-05-01").await;
        let sem_parent = parent(&s, &worker, sem, "Eva de Vries", "2013-05-01").await;
        let lotte = client(&s, &worker, "Lotte Bakker", "2010-03-01").await;
        let lotte_parent = parent(&s, &worker, lotte, "Kees Bakker", "2010-03-01").await;
        let noor = client(&s, &worker, "Noor Jansen", "2018-01-01").await;
        let noor_parent = parent(&s, &worker, noor, "Mila Jansen", "2018-01-01").await;

        let post = |client: ClientId, givers: Vec<String>| {
            let api = &api;
            async move {
                let givers: Vec<&str> = givers.iter().map(String::as_str).collect();
                api.post(
                    &format!("/clients/{client}/consents"),
                    &consent("photo_video", None, &givers),
                )
                .await
            }
        };
        let client_only = || vec!["client".to_owned()];

        // 13: the child alone is refused, the parent alone too; both together stand.
        let alone = post(sem, client_only()).await;
        assert_eq!(alone.status, 422, "{engine:?} {}", alone.text());
        assert_eq!(alone.json["field"], "given_by");
        assert!(
            alone.text().contains("every parent with authority"),
            "{}",
            alone.text()
        );
        let parent_alone = post(sem, vec![sem_parent.to_string()]).await;
        assert_eq!(parent_alone.status, 422);
        assert!(
            parent_alone
                .text()
                .contains("the child gives consent as well")
        );
        let both = post(sem, vec!["client".to_owned(), sem_parent.to_string()]).await;
        assert_eq!(both.status, 201, "{}", both.text());
        // The page words the refusal in Dutch at the field.
        let page = record_on_page(
            &people.staff,
            sem,
            &[
                ("purpose", "newsletter"),
                ("how", "written"),
                ("given_on", "2026-11-20"),
                ("given_by", "client"),
            ],
        )
        .await;
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.body.contains("error-given-by"));
        assert!(
            page.body
                .contains("Onder 16 jaar geven alle ouders met gezag toestemming")
        );

        // 16: the young person alone; with a parent it is refused.
        let sixteen = post(lotte, client_only()).await;
        assert_eq!(sixteen.status, 201, "{}", sixteen.text());
        let with_parent = post(lotte, vec!["client".to_owned(), lotte_parent.to_string()]).await;
        assert_eq!(with_parent.status, 422);
        assert!(
            with_parent
                .text()
                .contains("from 16 the client gives consent alone")
        );

        // 8: the parents with authority; not the child.
        let eight = post(noor, client_only()).await;
        assert_eq!(eight.status, 422);
        assert!(eight.text().contains("under 12 the parents with authority"));
        let with_child = post(noor, vec!["client".to_owned(), noor_parent.to_string()]).await;
        assert_eq!(with_child.status, 422);
        let parents = post(noor, vec![noor_parent.to_string()]).await;
        assert_eq!(parents.status, 201, "{}", parents.text());
        // Someone who is not a parent with authority of this client gives nothing.
        let stranger = post(noor, vec![sem_parent.to_string()]).await;
        assert_eq!(stranger.status, 422);
        assert_eq!(stranger.json["field"], "given_by");

        // MIN-2, RTS-10: Sem's parent with authority sees Sem's consents in the portal
        // and withdraws one, at once.
        let code = crate::portal_minors::invite_related(&people.staff, sem, sem_parent).await;
        let eva = crate::portal_minors::enrol(&s, &code, "eva.devries").await;
        let p = eva.web(&s).await;
        let list = p
            .get(&format!("/portaal/dossiers/{sem}/toestemmingen"))
            .await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains(COVERS));
        let id = both.json["id"].as_str().unwrap();
        let withdrawn = p
            .post(
                &format!("/portaal/toestemmingen/{id}/intrekken"),
                &[("csrf", &list.csrf())],
            )
            .await;
        assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
        let after = p
            .get(&format!("/portaal/dossiers/{sem}/toestemmingen"))
            .await;
        assert!(after.body.contains("Ingetrokken op"), "{}", after.body);
        let listed = api.get(&format!("/clients/{sem}/consents")).await;
        let c = &listed.json.as_array().unwrap()[0];
        assert_eq!(c["in_force"], false);
        assert_eq!(c["withdrawal"]["how"], "portal");
        assert_eq!(c["withdrawal"]["by"], sem_parent.to_string());
        assert_eq!(c["withdrawal"]["recorded_in"], "portal");
        // Lotte is 16: that parent (not linked to her) sees nothing of her consents.
        let none = p
            .get(&format!("/portaal/dossiers/{lotte}/toestemmingen"))
            .await;
        assert_eq!(none.status, 404);
    }
}

// promise: RTS-10
// promise: SHR-1
#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawal_by_staff_or_in_the_portal_takes_effect_at_once() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        today(&s);
        let people = fixtures::staff(&s, "amw-helmond", "jeugd-eindhoven").await;
        let worker = people.worker.clone();
        let amal = client(&s, &worker, "Amal Haddad", "1984-05-06").await;
        let partner = recipient(&s, &people.officer, "Wijkteam Helmond").await;
        let partner_id: uuid::Uuid = partner.parse().unwrap();
        let api = worker_api(&s, &people.staff).await;
        let on = date("2026-11-22");
        let in_force = |s: &TestServer| {
            let worker = worker.clone();
            let app = s.t.app.clone();
            async move {
                app.sharing_consent(&worker, amal, partner_id, on)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(in_force(&s).await, None);

        // Given, in force; withdrawn by staff on the client's letter: no longer.
        let first = api
            .post(
                &format!("/clients/{amal}/consents"),
                &consent("sharing", Some(&partner), &["client"]),
            )
            .await;
        assert_eq!(first.status, 201, "{engine:?} {}", first.text());
        let first_id: uuid::Uuid = first.json["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(in_force(&s).await, Some(first_id));
        let page = people
            .staff
            .get(&format!("/clienten/{amal}/toestemmingen"))
            .await;
        let withdrawn = people
            .staff
            .post(
                &format!("/toestemmingen/{first_id}/intrekken"),
                &[("csrf", &page.csrf()), ("how", "written"), ("by", "client")],
            )
            .await;
        assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
        assert_eq!(in_force(&s).await, None, "in force no more, at once");
        let page = people
            .staff
            .get(&format!("/clienten/{amal}/toestemmingen"))
            .await;
        assert!(page.body.contains("Ingetrokken op"), "{}", page.body);
        // Once: a second withdrawal changes nothing.
        let again = api
            .post(
                &format!("/consents/{first_id}/withdraw"),
                &json!({"how": "in_person", "by": "client"}),
            )
            .await;
        assert_eq!(again.status, 409, "{}", again.text());
        // A withdrawal "through the portal" is made in the portal, not recorded by staff.
        let wrong = api
            .post(
                &format!("/consents/{first_id}/withdraw"),
                &json!({"how": "portal", "by": "client"}),
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.json["field"], "how");

        // Given again, and withdrawn by the client in the portal: at once as well.
        let second = api
            .post(
                &format!("/clients/{amal}/consents"),
                &consent("sharing", Some(&partner), &["client"]),
            )
            .await;
        assert_eq!(second.status, 201);
        let second_id: uuid::Uuid = second.json["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(in_force(&s).await, Some(second_id));
        let portal = fixtures::portal(&s, &people.staff, amal, "amal.haddad").await;
        let mine = portal.get("/portaal/toestemmingen").await;
        assert_eq!(mine.status, 200, "{}", mine.body);
        assert!(mine.body.contains("Wijkteam Helmond") && mine.body.contains(COVERS));
        let done = portal
            .post(
                &format!("/portaal/toestemmingen/{second_id}/intrekken"),
                &[("csrf", &mine.csrf())],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(in_force(&s).await, None);
        let mine = portal.get("/portaal/toestemmingen").await;
        assert!(!mine.body.contains("Van kracht"), "{}", mine.body);
        let listed = api.get(&format!("/clients/{amal}/consents")).await;
        let second = listed
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == second_id.to_string().as_str())
            .unwrap()
            .clone();
        assert_eq!(second["withdrawal"]["how"], "portal");
        assert_eq!(second["withdrawal"]["by"], "client");
        assert_eq!(second["withdrawal"]["recorded_in"], "portal");
        // Another client's portal account cannot withdraw it (not found).
        let other = client(&s, &worker, "Bram Peters", "1979-01-01").await;
        let bram = fixtures::portal(&s, &people.staff, other, "bram.peters").await;
        let third = api
            .post(
                &format!("/clients/{amal}/consents"),
                &consent("newsletter", None, &["client"]),
            )
            .await;
        let third_id = third.json["id"].as_str().unwrap();
        let bram_page = bram.get("/portaal/toestemmingen").await;
        let foreign = bram
            .post(
                &format!("/portaal/toestemmingen/{third_id}/intrekken"),
                &[("csrf", &bram_page.csrf())],
            )
            .await;
        assert_eq!(foreign.status, 404, "{}", foreign.body);

        // The audit log: the withdrawals, by the worker and by the portal account.
        let fg = s.t.staff("fg.intrekking", Role::PrivacyOfficer, None).await;
        let events = consent_events(&s, &fg, amal).await;
        let updates: Vec<_> = events
            .iter()
            .filter(|(a, o, _, _)| *a == AuditAction::Update && *o == AuditOutcome::Success)
            .collect();
        assert_eq!(updates.len(), 2, "{events:?}");
        assert!(updates.iter().any(|(_, _, u, _)| *u == worker.user_id()));
        assert!(
            events
                .iter()
                .any(|(a, o, _, _)| *a == AuditAction::Update && *o == AuditOutcome::Denied)
        );

        // Destroying the client takes its consents and their givers with it (RET-4).
        let report =
            s.t.app
                .destroy_client(&Actor::cli("test"), amal, "amw-2y", "test of destruction")
                .await
                .unwrap();
        assert_eq!(report.rows.get("consents"), Some(&6), "{:?}", report.rows);
        assert_eq!(
            api.get(&format!("/clients/{amal}/consents")).await.status,
            404
        );
    }
}

/// Posts the portal's give form on `path`; the page answered.
async fn give_in_portal(
    p: &WebClient,
    path: &str,
    fields: &[(&str, &str)],
) -> zv_testkit::web::Page {
    let page = p.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form = vec![("csrf", page.csrf())];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    p.post(path, &form).await
}

/// Posts a button's form (confirm, withdraw) of the portal's consents page on `page_path`.
async fn press(p: &WebClient, page_path: &str, action: &str) -> zv_testkit::web::Page {
    let page = p.get(page_path).await;
    p.post(action, &[("csrf", &page.csrf())]).await
}

/// The consent's id from a redirect to `...#consent-<id>`.
fn consent_of(done: &zv_testkit::web::Page) -> uuid::Uuid {
    done.location()
        .and_then(|l| l.split("#consent-").nth(1))
        .unwrap()
        .parse()
        .unwrap()
}

// promise: MIN-2
// promise: MIN-4
// promise: SHR-1
#[tokio::test(flavor = "multi_thread")]
async fn a_consent_given_in_the_portal_takes_effect_when_every_giver_confirmed() {
    use crate::portal_minors::{enrol, invite_related, related};
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        today(&s);
        let people = fixtures::staff(&s, "amw-helmond", "jeugd-eindhoven").await;
        let worker = people.worker.clone();
        let partner = recipient(&s, &people.officer, "Wijkteam Helmond").await;
        let partner_id: uuid::Uuid = partner.parse().unwrap();
        let on = date("2026-11-22");
        let in_force = |client: ClientId| {
            let worker = worker.clone();
            let app = s.t.app.clone();
            async move {
                app.sharing_consent(&worker, client, partner_id, on)
                    .await
                    .unwrap()
            }
        };

        // Sem is 13: he and his mother both give a consent to share.
        let sem = client(&s, &worker, "Sem de Vries", "2013-05-01").await;
        let eva = related(
            &s,
            &worker,
            sem,
            RelationKind::ParentWithAuthority,
            "Eva de Vries",
            Some("2013-05-01"),
        )
        .await;
        let sem_portal = fixtures::portal(&s, &people.staff, sem, "sem.devries").await;
        let eva_user = enrol(
            &s,
            &invite_related(&people.staff, sem, eva).await,
            "eva.devries",
        )
        .await;
        let eva_portal = eva_user.web(&s).await;
        let eva_path = format!("/portaal/dossiers/{sem}/toestemmingen");

        // Bad input is refused field by field, in Dutch, and changes nothing.
        let bad = give_in_portal(
            &eva_portal,
            &eva_path,
            &[("purpose", "alles"), ("recipient", "")],
        )
        .await;
        assert_eq!(bad.status, 422, "{engine:?} {}", bad.body);
        assert!(bad.body.contains("id=\"error-purpose\""), "{}", bad.body);
        let no_recipient = give_in_portal(
            &eva_portal,
            &eva_path,
            &[("purpose", "sharing"), ("recipient", "")],
        )
        .await;
        assert_eq!(no_recipient.status, 422);
        assert!(
            no_recipient.body.contains("id=\"error-recipient\""),
            "{}",
            no_recipient.body
        );
        assert!(no_recipient.body.contains("value=\"sharing\" selected"));

        // The mother proposes it: it waits for Sem.
        let done = give_in_portal(
            &eva_portal,
            &eva_path,
            &[
                ("purpose", "sharing"),
                ("recipient", &partner),
                ("description", COVERS),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{engine:?} {}", done.body);
        let id = consent_of(&done);
        assert_eq!(
            in_force(sem).await,
            None,
            "not in force before Sem confirms"
        );
        let eva_page = eva_portal.get(&eva_path).await;
        assert!(
            eva_page
                .body
                .contains("Wacht op bevestiging van: De cliënt"),
            "{}",
            eva_page.body
        );
        assert!(
            !eva_page.body.contains("consent-confirm"),
            "nothing for her to confirm"
        );
        let api = worker_api(&s, &people.staff).await;
        let listed = api.get(&format!("/clients/{sem}/consents")).await;
        let row = listed
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id.to_string().as_str())
            .unwrap()
            .clone();
        assert_eq!(row["how"], "portal");
        assert_eq!(row["recorded_in"], "portal");
        assert_eq!(row["in_force"], false);
        assert_eq!(row["in_force_from"], Value::Null);
        assert_eq!(row["awaiting"], json!(["client"]));
        assert_eq!(row["given_by"], json!(["client", eva.to_string()]));

        // Sem confirms in his own portal: in force from today.
        let sem_page = sem_portal.get("/portaal/toestemmingen").await;
        assert!(sem_page.body.contains("consent-confirm") && sem_page.body.contains(COVERS));
        let confirmed = press(
            &sem_portal,
            "/portaal/toestemmingen",
            &format!("/portaal/toestemmingen/{id}/bevestigen"),
        )
        .await;
        assert_eq!(confirmed.status, 303, "{}", confirmed.body);
        assert_eq!(in_force(sem).await, Some(id));
        // Confirming twice is a conflict, shown on the page; nothing changes.
        let twice = press(
            &sem_portal,
            "/portaal/toestemmingen",
            &format!("/portaal/toestemmingen/{id}/bevestigen"),
        )
        .await;
        assert_eq!(twice.status, 409, "{}", twice.body);
        assert!(twice.body.contains("kon niet worden bevestigd"));

        // Sem proposes a newsletter consent; his mother declines: never in force.
        let news = give_in_portal(
            &sem_portal,
            "/portaal/toestemmingen",
            &[("purpose", "newsletter")],
        )
        .await;
        assert_eq!(news.status, 303, "{}", news.body);
        let news_id = consent_of(&news);
        let declined = press(
            &eva_portal,
            &eva_path,
            &format!("/portaal/toestemmingen/{news_id}/intrekken"),
        )
        .await;
        assert_eq!(declined.status, 303, "{}", declined.body);
        let late = press(
            &sem_portal,
            "/portaal/toestemmingen",
            &format!("/portaal/toestemmingen/{news_id}/bevestigen"),
        )
        .await;
        assert_eq!(late.status, 409, "a declined consent takes no confirmation");
        let listed = api.get(&format!("/clients/{sem}/consents")).await;
        let news_row = listed
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == news_id.to_string().as_str())
            .unwrap()
            .clone();
        assert_eq!(news_row["in_force"], false);
        assert_eq!(news_row["withdrawal"]["by"], eva.to_string().as_str());

        // Henk is an adult under curatele: his curator, with a mandate for the whole
        // dossier, gives consent alone and at once; one without a mandate cannot.
        let henk = client(&s, &worker, "Henk Visser", "1950-01-01").await;
        let bos = related(
            &s,
            &worker,
            henk,
            RelationKind::LegalRepresentative,
            "Mr. Bos",
            None,
        )
        .await;
        let kok = related(
            &s,
            &worker,
            henk,
            RelationKind::LegalRepresentative,
            "Mw. Kok",
            None,
        )
        .await;
        let page = people.staff.get(&format!("/clienten/{henk}")).await;
        let mandate = people
            .staff
            .post(
                &format!("/betrokkenen/{bos}/mandaat"),
                &[
                    ("csrf", &page.csrf()),
                    ("scope", "whole"),
                    ("ends_on", "2027-12-31"),
                ],
            )
            .await;
        assert_eq!(mandate.status, 303, "{}", mandate.body);
        let bos_portal = enrol(
            &s,
            &invite_related(&people.staff, henk, bos).await,
            "mr.bos",
        )
        .await
        .web(&s)
        .await;
        let henk_path = format!("/portaal/dossiers/{henk}/toestemmingen");
        let given = give_in_portal(
            &bos_portal,
            &henk_path,
            &[("purpose", "sharing"), ("recipient", &partner)],
        )
        .await;
        assert_eq!(given.status, 303, "{engine:?} {}", given.body);
        assert_eq!(in_force(henk).await, Some(consent_of(&given)));
        let kok_portal = enrol(
            &s,
            &invite_related(&people.staff, henk, kok).await,
            "mw.kok",
        )
        .await
        .web(&s)
        .await;
        assert_eq!(
            kok_portal.get(&henk_path).await.status,
            404,
            "no mandate, no consents"
        );
        // Staff record a written consent of the curator given today; one dated before
        // the mandate was recorded is refused, and so is the mentor's.
        let before = api
            .post(
                &format!("/clients/{henk}/consents"),
                &consent("photo_video", None, &[&bos.to_string()]),
            )
            .await;
        assert_eq!(before.status, 422, "{}", before.text());
        let mut today_consent = consent("photo_video", None, &[&bos.to_string()]);
        today_consent["given_on"] = json!("2026-11-22");
        let by_bos = api
            .post(&format!("/clients/{henk}/consents"), &today_consent)
            .await;
        assert_eq!(by_bos.status, 201, "{}", by_bos.text());
        today_consent["given_by"] = json!([kok.to_string()]);
        let by_kok = api
            .post(&format!("/clients/{henk}/consents"), &today_consent)
            .await;
        assert_eq!(by_kok.status, 422, "{}", by_kok.text());
        assert_eq!(by_kok.json["field"], "given_by");
        assert!(by_kok.text().contains("mandate"), "{}", by_kok.text());

        // Lotte is 17: her father can no longer give a consent for her.
        let lotte = client(&s, &worker, "Lotte Bakker", "2009-03-01").await;
        let kees = related(
            &s,
            &worker,
            lotte,
            RelationKind::ParentWithAuthority,
            "Kees Bakker",
            Some("2009-03-01"),
        )
        .await;
        let kees_portal = enrol(
            &s,
            &invite_related(&people.staff, lotte, kees).await,
            "kees.bakker",
        )
        .await
        .web(&s)
        .await;
        let refused = give_in_portal_status(
            &kees_portal,
            &format!("/portaal/dossiers/{lotte}/toestemmingen"),
        )
        .await;
        assert_eq!(refused, 404);

        // The audit log holds the proposal and the confirmation, by the portal accounts.
        let fg = s.t.staff("fg.portaal", Role::PrivacyOfficer, None).await;
        let events = consent_events(&s, &fg, sem).await;
        assert!(
            events.iter().any(|(a, o, _, d)| *a == AuditAction::Create
                && *o == AuditOutcome::Success
                && d.as_deref() == Some("consent given in the portal: sharing")),
            "{events:?}"
        );
        assert!(events.iter().any(|(a, o, _, d)| *a == AuditAction::Update
            && *o == AuditOutcome::Success
            && d.as_deref() == Some("consent confirmed in the portal")));
        assert!(
            events
                .iter()
                .all(|(_, _, _, d)| !d.as_deref().unwrap_or("").contains(COVERS))
        );
    }
}

/// The status of the portal's consents page at `path` (a client the account may not
/// see the consents of answers 404, and so does its give form).
async fn give_in_portal_status(p: &WebClient, path: &str) -> u16 {
    let page = p.get(path).await;
    if page.status != 200 {
        return page.status;
    }
    p.post(path, &[("csrf", &page.csrf()), ("purpose", "newsletter")])
        .await
        .status
}
