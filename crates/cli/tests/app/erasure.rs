//! Erasure requests (RTS-6) through HTTP on both engines, as the privacy officer handles
//! them: a closed trajectory on the organisation's own term is granted and destroyed
//! with its destruction record and audit event; an open trajectory (duty of care) and a
//! youth care trajectory (legal retention duty) are refused with their reasons; a
//! Jeugdwet destruction request is granted from 12 and refused under 12; one part
//! granted and one refused is a partial grant; an open complaint holds the erasure; an
//! override without a reason is refused field by field with nothing changed; erasing
//! everything destroys the client's record last and keeps the request as proof; and a
//! caseworker reaches neither the page nor the API.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_core::requests::{
    Channel, IdentityInput, IdentityMethod, NewRegisteredRequest, Outcome, RequestKind,
    RequestScope,
};
use zv_domain::{ClientId, Role, TrajectoryId};
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, make_token};

const RECEIVED: &str = "2026-11-20";

struct Scene {
    worker: Actor,
    officer: Actor,
    officer_web: WebClient,
    api: Api,
}

async fn scene(s: &TestServer) -> Scene {
    let team = s.t.first_team();
    let (worker, _) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let (officer, secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
    s.t.clock.advance(Duration::minutes(1));
    let officer_web = s.client();
    officer_web.sign_in("fg.privacy", &secret).await;
    let token = make_token(
        &officer_web,
        "verwijdering",
        &["read", "write"],
        "2026-12-31",
    )
    .await;
    let api = Api::new(s, &token);
    Scene {
        worker,
        officer,
        officer_web,
        api,
    }
}

/// A client with a first trajectory of `service`, closed on 2026-06-01 when `closed`.
async fn client_with(
    s: &TestServer,
    sc: &Scene,
    name: &str,
    birth: &str,
    service: &str,
    closed: bool,
) -> (ClientId, TrajectoryId) {
    let (client, t) = s.t.intake(&sc.worker, name, birth, service).await;
    if closed {
        s.t.app
            .close_trajectory(&sc.worker, t, date("2026-06-01"))
            .await
            .unwrap();
    }
    (client, t)
}

/// An erasure request received by letter on [`RECEIVED`], identity established.
async fn erasure_request(
    s: &TestServer,
    sc: &Scene,
    client: ClientId,
    scope: RequestScope,
) -> Uuid {
    let filed =
        s.t.app
            .register_rights_request(
                &sc.officer,
                NewRegisteredRequest {
                    client,
                    kind: RequestKind::Erasure,
                    scope,
                    channel: Channel::Letter,
                    received_on: date(RECEIVED),
                    text: String::new(),
                    filed_by: None,
                },
            )
            .await
            .unwrap();
    s.t.app
        .record_request_identity(
            &sc.officer,
            filed.id,
            IdentityInput {
                method: IdentityMethod::InPerson,
                on: date(RECEIVED),
                note: "Gezien aan de balie door de FG".into(),
                document_offered: false,
            },
        )
        .await
        .unwrap();
    filed.id
}

/// Posts the decision form of the erasure page with the given fields.
async fn submit(c: &WebClient, id: Uuid, fields: &[(String, String)]) -> Page {
    let path = format!("/privacy/verzoeken/{id}/verwijdering");
    let page = c.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form = vec![("csrf".to_owned(), page.csrf())];
    form.extend(fields.iter().cloned());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(&path, &form).await
}

fn decision(t: TrajectoryId, d: &str) -> (String, String) {
    (format!("decision-trajectory-{t}"), d.to_owned())
}

fn answered() -> (String, String) {
    ("answer_sent_on".to_owned(), "2026-11-22".to_owned())
}

/// The part of a plan about `subject`.
fn part(plan: &Value, subject: impl std::fmt::Display) -> Value {
    plan["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subject"] == subject.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("no part {subject} in {plan}"))
}

async fn outcome_of(s: &TestServer, sc: &Scene, id: Uuid) -> Option<Outcome> {
    s.t.app
        .request_handling(&sc.officer, id)
        .await
        .unwrap()
        .outcome
        .map(|o| o.outcome)
}

/// Whether the audit log of the client holds a destruction of `subject`.
async fn destruction_audited(s: &TestServer, sc: &Scene, client: ClientId, subject: Uuid) -> bool {
    let page =
        s.t.app
            .audit_events(
                &sc.officer,
                &AuditQuery {
                    client: Some(client),
                    user: None,
                    from: None,
                    to: None,
                    action: None,
                    emergency_only: false,
                    before_seq: None,
                },
                500,
            )
            .await
            .unwrap();
    page.events.iter().any(|e| {
        e.event.object.code() == "destruction"
            && e.event.action.code() == "delete"
            && e.event.object_id == Some(subject)
    })
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn a_closed_amw_trajectory_is_granted_and_destroyed_with_its_record() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, t) = client_with(&s, &sc, "Noor Bakker", "1984-05-06", "amw", true).await;
        let id = erasure_request(&s, &sc, client, RequestScope::Trajectories(vec![t])).await;
        let page = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(
            page.body
                .contains("Geen wettelijke bewaarplicht, de hulp is afgesloten"),
            "{}",
            page.body
        );
        let done = submit(&sc.officer_web, id, &[decision(t, "grant"), answered()]).await;
        assert_eq!(done.status, 303, "{engine:?}: {}", done.body);
        // The rows are gone; the destruction record and the audit event remain.
        assert!(s.t.app.dossier(&sc.worker, t).await.is_err());
        assert!(destruction_audited(&s, &sc, client, t.as_uuid()).await);
        let after = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert!(after.body.contains("Vernietigd op"), "{}", after.body);
        assert!(after.body.contains("erasure-request"));
        let plan = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(plan.status, 200, "{}", plan.text());
        let p = part(&plan.json, t);
        assert_eq!(p["decision"], "grant");
        assert_eq!(p["pending"], false);
        assert_eq!(p["destruction"]["rule"], "erasure-request");
        assert!(
            p["destruction"]["reason"]
                .as_str()
                .unwrap()
                .contains("VZ-2026-")
        );
        assert_eq!(outcome_of(&s, &sc, id).await, Some(Outcome::Granted));
        // Submitting again changes nothing: the decision is recorded once.
        let again = submit(&sc.officer_web, id, &[answered()]).await;
        assert_eq!(again.status, 303, "{}", again.body);
        assert_eq!(outcome_of(&s, &sc, id).await, Some(Outcome::Granted));
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn an_open_trajectory_and_a_youth_care_dossier_are_refused_with_their_reasons() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, open) = client_with(&s, &sc, "Daan Visser", "2010-05-05", "amw", false).await;
        let youth =
            s.t.open_trajectory(&sc.worker, client, "jeugdhulp", "2026-03-01")
                .await;
        s.t.app
            .close_trajectory(&sc.worker, youth, date("2026-06-01"))
            .await
            .unwrap();
        let id = erasure_request(&s, &sc, client, RequestScope::All).await;
        let plan = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(plan.status, 200, "{engine:?}: {}", plan.text());
        let o = part(&plan.json, open);
        assert_eq!(o["proposal"]["decision"], "refuse");
        assert_eq!(o["proposal"]["reason"], "duty_of_care");
        let y = part(&plan.json, youth);
        assert_eq!(y["proposal"]["reason"], "legal_retention");
        assert_eq!(y["proposal"]["binding"], true);
        let c = part(&plan.json, client);
        assert_eq!(c["kind"], "client");
        assert_eq!(c["proposal"]["reason"], "parts_kept");
        // The legal retention duty cannot be overridden.
        let forced = sc
            .api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": open, "decision": "refuse"},
                    {"kind": "trajectory", "subject": youth, "decision": "grant", "reason": "Client wil het echt kwijt"},
                    {"kind": "client", "subject": client, "decision": "refuse"},
                ]}),
            )
            .await;
        assert_eq!(forced.status, 422, "{}", forced.text());
        assert_eq!(forced.json["parts"][0]["problem"], "grant_forbidden");
        assert_eq!(forced.json["parts"][0]["subject"], youth.to_string());
        let refused = sc
            .api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": open, "decision": "refuse"},
                    {"kind": "trajectory", "subject": youth, "decision": "refuse"},
                    {"kind": "client", "subject": client, "decision": "refuse"},
                ]}),
            )
            .await;
        assert_eq!(refused.status, 200, "{}", refused.text());
        assert_eq!(refused.json["outcome"], "refused");
        assert!(s.t.app.dossier(&sc.worker, open).await.is_ok());
        assert!(s.t.app.dossier(&sc.worker, youth).await.is_ok());
        // The reasons reach the outcome the letter and the portal show.
        let handling = s.t.app.request_handling(&sc.officer, id).await.unwrap();
        let reasons = handling.outcome.unwrap().reasons.unwrap();
        assert!(reasons.contains("zorgplicht"), "{reasons}");
        assert!(reasons.contains("wettelijke bewaarplicht"), "{reasons}");
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn a_jeugdwet_destruction_request_is_granted_from_12_and_refused_under_12() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (teen, t_teen) =
            client_with(&s, &sc, "Sem de Groot", "2014-11-20", "jeugdhulp", true).await;
        let (child, t_child) =
            client_with(&s, &sc, "Lot de Groot", "2014-11-21", "jeugdhulp", true).await;
        let id_teen =
            erasure_request(&s, &sc, teen, RequestScope::Trajectories(vec![t_teen])).await;
        let id_child =
            erasure_request(&s, &sc, child, RequestScope::Trajectories(vec![t_child])).await;
        // Without the destruction request: the legal retention duty.
        let plain = sc.api.get(&format!("/requests/{id_teen}/erasure")).await;
        assert_eq!(
            part(&plain.json, t_teen)["proposal"]["reason"],
            "legal_retention"
        );
        // 12 on the day received: destroyed within three months of it.
        let asked = sc
            .api
            .get(&format!(
                "/requests/{id_teen}/erasure?jeugdwet_request=true"
            ))
            .await;
        assert_eq!(asked.status, 200, "{engine:?}: {}", asked.text());
        let p = part(&asked.json, t_teen);
        assert_eq!(p["proposal"]["decision"], "grant");
        assert_eq!(p["proposal"]["reason"], "jeugdwet_request");
        assert_eq!(p["proposal"]["destroy_by"], "2027-02-20");
        // One day short of 12: no such request, the duty stays.
        let young = sc
            .api
            .get(&format!(
                "/requests/{id_child}/erasure?jeugdwet_request=true"
            ))
            .await;
        let p = part(&young.json, t_child);
        assert_eq!(p["proposal"]["reason"], "jeugdwet_under_age");
        assert_eq!(p["proposal"]["binding"], true);
        let forced = sc
            .api
            .post(
                &format!("/requests/{id_child}/erasure"),
                &json!({"jeugdwet_request": true, "answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": t_child, "decision": "grant", "reason": "Ouders vragen het namens het kind"},
                ]}),
            )
            .await;
        assert_eq!(forced.status, 422, "{}", forced.text());
        assert!(s.t.app.dossier(&sc.worker, t_child).await.is_ok());
        // The teenager's request over the web form, with the Jeugdwet box ticked.
        let done = submit(
            &sc.officer_web,
            id_teen,
            &[
                ("jeugdwet".to_owned(), "1".to_owned()),
                decision(t_teen, "grant"),
                answered(),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert!(s.t.app.dossier(&sc.worker, t_teen).await.is_err());
        assert!(destruction_audited(&s, &sc, teen, t_teen.as_uuid()).await);
        assert_eq!(outcome_of(&s, &sc, id_teen).await, Some(Outcome::Granted));
        let page = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id_teen}/verwijdering"))
            .await;
        assert!(page.body.contains("2027-02-20"), "{}", page.body);
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn one_part_granted_and_one_refused_is_a_partial_grant() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, closed) =
            client_with(&s, &sc, "Fenna Mulder", "1979-02-02", "amw", true).await;
        let open =
            s.t.open_trajectory(&sc.worker, client, "amw", "2026-09-01")
                .await;
        let id = erasure_request(
            &s,
            &sc,
            client,
            RequestScope::Trajectories(vec![closed, open]),
        )
        .await;
        let done = submit(
            &sc.officer_web,
            id,
            &[
                decision(closed, "grant"),
                decision(open, "refuse"),
                answered(),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{engine:?}: {}", done.body);
        assert_eq!(outcome_of(&s, &sc, id).await, Some(Outcome::PartlyGranted));
        assert!(s.t.app.dossier(&sc.worker, closed).await.is_err());
        assert!(s.t.app.dossier(&sc.worker, open).await.is_ok());
        let page = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert!(
            page.body.contains("gedeeltelijk toegewezen"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Bewaard"));
        let handling = s.t.app.request_handling(&sc.officer, id).await.unwrap();
        let reasons = handling.outcome.unwrap().reasons.unwrap();
        assert!(reasons.contains("ingewilligd") && reasons.contains("afgewezen"));
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn an_open_complaint_holds_the_erasure() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let manager = s.t.staff("manager", Role::Manager, None).await;
        let (client, t) = client_with(&s, &sc, "Joris Smit", "1970-07-07", "amw", true).await;
        let today = s.t.clock_today();
        s.t.app
            .register_complaint(
                &manager,
                t,
                today,
                "email",
                "Klacht over de afhandeling",
                today,
            )
            .await
            .unwrap();
        let id = erasure_request(&s, &sc, client, RequestScope::Trajectories(vec![t])).await;
        let plan = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(plan.status, 200, "{engine:?}: {}", plan.text());
        let p = part(&plan.json, t);
        assert_eq!(p["proposal"]["reason"], "hold_complaint");
        assert_eq!(p["proposal"]["binding"], true);
        let page = submit(&sc.officer_web, id, &[decision(t, "grant"), answered()]).await;
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(
            page.body
                .contains("Blokkade: een klacht van de cliënt loopt nog")
        );
        assert!(page.body.contains("kan niet worden toegewezen"));
        assert!(s.t.app.dossier(&sc.worker, t).await.is_ok());
        assert_eq!(outcome_of(&s, &sc, id).await, None);
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn an_override_without_a_reason_is_refused_field_by_field_and_nothing_changes() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, first) = client_with(&s, &sc, "Anna Kok", "1988-08-08", "amw", true).await;
        let second =
            s.t.open_trajectory(&sc.worker, client, "amw", "2026-03-01")
                .await;
        s.t.app
            .close_trajectory(&sc.worker, second, date("2026-07-01"))
            .await
            .unwrap();
        let id = erasure_request(
            &s,
            &sc,
            client,
            RequestScope::Trajectories(vec![first, second]),
        )
        .await;
        // The first refused against the proposal without a reason, the second granted:
        // the first's reason field is named, and the second is not destroyed either.
        let page = submit(
            &sc.officer_web,
            id,
            &[
                decision(first, "refuse"),
                decision(second, "grant"),
                answered(),
            ],
        )
        .await;
        assert_eq!(page.status, 422, "{engine:?}: {}", page.body);
        let at_first = page
            .body
            .split(&format!("id=\"deel-trajectory-{first}\""))
            .nth(1)
            .unwrap()
            .split("</fieldset>")
            .next()
            .unwrap();
        assert!(at_first.contains("Geef een reden als u van het voorstel afwijkt."));
        let at_second = page
            .body
            .split(&format!("id=\"deel-trajectory-{second}\""))
            .nth(1)
            .unwrap()
            .split("</fieldset>")
            .next()
            .unwrap();
        assert!(!at_second.contains("role=\"alert\""), "{at_second}");
        assert!(s.t.app.dossier(&sc.worker, first).await.is_ok());
        assert!(s.t.app.dossier(&sc.worker, second).await.is_ok());
        assert_eq!(outcome_of(&s, &sc, id).await, None);
        // The same over the API: per part, field and problem.
        let api = sc
            .api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": first, "decision": "refuse", "reason": ""},
                    {"kind": "trajectory", "subject": second, "decision": "grant"},
                ]}),
            )
            .await;
        assert_eq!(api.status, 422, "{}", api.text());
        assert_eq!(api.json["field"], "parts");
        let issues = api.json["parts"].as_array().unwrap();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0]["subject"], first.to_string());
        assert_eq!(issues[0]["field"], "reason");
        assert_eq!(issues[0]["problem"], "reason_required");
        assert!(!destruction_audited(&s, &sc, client, second.as_uuid()).await);
        let plan = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(plan.json["decided"], false);
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn erasing_everything_destroys_the_client_last_and_keeps_the_request_as_proof() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, t) = client_with(&s, &sc, "Bram Dekker", "1975-03-03", "amw", true).await;
        let id = erasure_request(&s, &sc, client, RequestScope::All).await;
        let decided = sc
            .api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": t, "decision": "grant"},
                    {"kind": "client", "subject": client, "decision": "grant"},
                ]}),
            )
            .await;
        assert_eq!(decided.status, 200, "{engine:?}: {}", decided.text());
        assert_eq!(decided.json["outcome"], "granted");
        assert_eq!(decided.json["client_record_pending"], true);
        // The client's record waits for this step; the answer could still be sent.
        let waiting = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(
            waiting.json["client_record_pending"],
            true,
            "{}",
            waiting.text()
        );
        assert_eq!(waiting.json["client"], client.to_string());
        assert!(waiting.json["proof"].is_null());
        let page = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert!(page.body.contains("clientgegevens"), "{}", page.body);
        let gone = sc
            .officer_web
            .post(
                &format!("/privacy/verzoeken/{id}/verwijdering/clientgegevens"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(gone.status, 303, "{}", gone.body);
        // Nothing of the client is left to destroy.
        let rerun =
            s.t.app
                .destroy_client(&Actor::cli("test"), client, "amw-2y", "test of destruction")
                .await
                .unwrap();
        assert_eq!(rerun.rows.values().sum::<u64>(), 0, "{:?}", rerun.rows);
        // The request survives as proof, without personal data.
        let proof = sc.api.get(&format!("/requests/{id}/erasure")).await;
        assert_eq!(proof.status, 200, "{}", proof.text());
        assert_eq!(proof.json["proof"]["outcome"], "granted");
        assert!(
            proof.json["reference"]
                .as_str()
                .unwrap()
                .starts_with("VZ-2026-")
        );
        assert!(!proof.text().contains("Bram"));
        let page = sc
            .officer_web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert!(
            page.body.contains("Bewijs van afhandeling"),
            "{}",
            page.body
        );
    }
}

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn a_caseworker_reaches_neither_the_erasure_page_nor_the_api() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, t) = client_with(&s, &sc, "Iris Jansen", "1990-10-10", "amw", true).await;
        let id = erasure_request(&s, &sc, client, RequestScope::Trajectories(vec![t])).await;
        let (_, secret) = s
            .staff("collega", Role::Caseworker, Some(&s.t.first_team()))
            .await;
        s.t.clock.advance(Duration::minutes(1));
        let web = s.client();
        web.sign_in("collega", &secret).await;
        let page = web
            .get(&format!("/privacy/verzoeken/{id}/verwijdering"))
            .await;
        assert_eq!(page.status, 403, "{engine:?}: {}", page.body);
        let token = make_token(&web, "poging", &["read", "write"], "2026-12-31").await;
        let api = Api::new(&s, &token);
        assert_eq!(
            api.get(&format!("/requests/{id}/erasure")).await.status,
            403
        );
        let post = api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": t, "decision": "grant"},
                ]}),
            )
            .await;
        assert_eq!(post.status, 403, "{}", post.text());
        assert!(s.t.app.dossier(&sc.worker, t).await.is_ok());
    }
}

/// The decision letter of a request in a language, as the privacy officer downloads it.
async fn letter(c: &WebClient, id: Uuid, lang: &str) -> String {
    let (status, kind, bytes) = crate::fixtures::get_file(
        c,
        &format!("/privacy/verzoeken/{id}/besluitbrief?taal={lang}"),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    crate::fixtures::pdf_text(&bytes)
}

/// The officer's own words on a part: kept as written in either language.
const OFFICER_WORDS: &str = "OFFICIER-TEKST-5T besproken aan de balie.";

// promise: RTS-6
#[tokio::test(flavor = "multi_thread")]
async fn the_erasure_letter_names_each_part_by_its_service_and_gives_its_reasons_in_the_letters_language()
 {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let (client, amw) = client_with(&s, &sc, "Lieke Maas", "1981-04-04", "amw", true).await;
        let youth =
            s.t.open_trajectory(&sc.worker, client, "jeugdhulp", "2026-03-01")
                .await;
        s.t.app
            .close_trajectory(&sc.worker, youth, date("2026-06-01"))
            .await
            .unwrap();
        let id = erasure_request(
            &s,
            &sc,
            client,
            RequestScope::Trajectories(vec![amw, youth]),
        )
        .await;
        let decided = sc
            .api
            .post(
                &format!("/requests/{id}/erasure"),
                &json!({"answer_sent_on": "2026-11-22", "parts": [
                    {"kind": "trajectory", "subject": amw, "decision": "grant", "reason": OFFICER_WORDS},
                    {"kind": "trajectory", "subject": youth, "decision": "refuse"},
                ]}),
            )
            .await;
        assert_eq!(decided.status, 200, "{engine:?}: {}", decided.text());
        assert_eq!(decided.json["outcome"], "partly_granted");
        // The general social work trajectory is gone; the letter still names it.
        assert!(s.t.app.dossier(&sc.worker, amw).await.is_err());

        let en = letter(&sc.officer_web, id, "en").await;
        for shown in [
            "We have granted your request in part.",
            "The service ‘General social work’ (started on 1 February 2026): we erase this data.",
            "The help has ended and no law requires us to keep this data.",
            "The service ‘Youth care’ (started on 1 March 2026): we keep this data.",
            "A legal retention duty applies",
            &format!("Explanation: {OFFICER_WORDS}"),
        ] {
            assert!(en.contains(shown), "{engine:?}: {shown} in {en}");
        }
        for dutch in [
            "wij verwijderen",
            "wij bewaren",
            "wettelijke bewaarplicht",
            "ingewilligd",
            "Algemeen maatschappelijk werk",
            "Jeugdhulp",
            "Traject ",
        ] {
            assert!(!en.contains(dutch), "{engine:?}: no {dutch} in {en}");
        }

        let nl = letter(&sc.officer_web, id, "nl").await;
        for shown in [
            "Wij hebben uw verzoek gedeeltelijk toegewezen.",
            "Het hulptraject ‘Algemeen maatschappelijk werk’ (gestart op 1 februari 2026): wij verwijderen deze gegevens.",
            "Het hulptraject ‘Jeugdhulp’ (gestart op 1 maart 2026): wij bewaren deze gegevens.",
            "Er geldt een wettelijke bewaarplicht",
            &format!("Toelichting: {OFFICER_WORDS}"),
        ] {
            assert!(nl.contains(shown), "{engine:?}: {shown} in {nl}");
        }
        assert!(
            !nl.contains("we erase") && !nl.contains("Youth care"),
            "{nl}"
        );
        for t in [amw, youth] {
            let prefix = &t.to_string()[..8];
            assert!(!en.contains(prefix) && !nl.contains(prefix), "never an id");
        }

        // The record the staff page and the portal show names the services too.
        let handling = s.t.app.request_handling(&sc.officer, id).await.unwrap();
        let reasons = handling.outcome.unwrap().reasons.unwrap();
        assert!(
            reasons.contains("Algemeen maatschappelijk werk") && reasons.contains("Jeugdhulp"),
            "{reasons}"
        );
        assert!(!reasons.contains(&amw.to_string()[..8]), "{reasons}");
    }
}
