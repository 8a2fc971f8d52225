//! Complaints handled end to end (CMP-1, ACC-3) through HTTP on both engines: a
//! complaint from the portal is assigned to a manager by the privacy officer, which opens
//! the manager's access to the trajectories named and no other; bad input is refused
//! field by field and nothing changes; the manager records steps and the decision; the
//! client follows the state in the portal and downloads the answer letter, which names
//! the Autoriteit Persoonsgegevens with its website, phone and postal address; closing
//! the complaint ends the manager's access. Overdue complaints are flagged by the
//! policy's term in the lists and the API.

use serde_json::json;
use zv_core::complaints::{ComplaintLine, ComplaintState};
use zv_domain::Role;
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

const SUBJECT: &str = "Bejegening bij het intakegesprek";
const REASON: &str = "Het intakegesprek is te laat ingepland KLACHT-REDEN-7Q.";
const STEP: &str = "Gesprek gevoerd met de cliënt en de hulpverlener STAP-4K.";

async fn manager(s: &TestServer, username: &str) -> (zv_core::Actor, WebClient) {
    let (actor, secret) = s.staff(username, Role::Manager, None).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    (actor, c)
}

async fn line(s: &TestServer, officer: &zv_core::Actor, reference_or_all: &str) -> ComplaintLine {
    s.t.app
        .complaints_overview(officer)
        .await
        .unwrap()
        .into_iter()
        .find(|l| reference_or_all.is_empty() || l.reference.as_deref() == Some(reference_or_all))
        .unwrap()
}

// promise: CMP-1
// promise: ACC-3
#[tokio::test(flavor = "multi_thread")]
async fn a_portal_complaint_is_assigned_handled_decided_and_answered_and_access_ends_with_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let people = fixtures::staff(&s, &s.t.first_team(), &s.t.first_team()).await;
        let worker = people.worker.clone();
        let (client, t1) =
            s.t.intake(&worker, "Amal Klager", "1980-04-05", "amw")
                .await;
        let t2 =
            s.t.open_trajectory(&worker, client, "amw", "2026-03-01")
                .await;
        let portal = fixtures::portal(&s, &people.staff, client, "amal.klager").await;
        let fg = s.t.staff("fg.klachten", Role::PrivacyOfficer, None).await;
        let (_, m) = manager(&s, "manager.klacht").await;
        let (_, other_manager) = manager(&s, "manager.ander").await;

        // The client files a complaint in the portal: received, nobody handles it yet.
        let form = portal.get("/portaal/verzoeken").await;
        let filed = portal
            .post(
                "/portaal/klachten",
                &[
                    ("csrf", &form.csrf()),
                    ("subject", SUBJECT),
                    ("text", "Ik moest drie weken wachten op een gesprek."),
                ],
            )
            .await;
        assert_eq!(filed.status, 303, "{engine:?}: {}", filed.body);
        let c = line(&s, &fg, "").await;
        let id = c.id;
        let reference = c.reference.clone().unwrap();
        assert_eq!(c.state, ComplaintState::Received);
        // Six weeks from today (the Wkkgz term in the policy): 42 days left.
        assert_eq!(c.days_left, 42, "{engine:?}");
        assert!(!c.overdue);
        let mine = portal.get("/portaal/mijn-klachten").await;
        assert_eq!(mine.status, 200, "{}", mine.body);
        assert!(mine.body.contains(&reference) && mine.body.contains("Ontvangen"));

        // Before assignment the manager cannot read the dossier; the register offers
        // the complaint to assign, without naming the client.
        assert_eq!(m.get(&format!("/trajecten/{t1}")).await.status, 404);
        let register = m.get("/klachten").await;
        assert_eq!(register.status, 200, "{}", register.body);
        assert!(register.body.contains(&reference));
        assert!(register.body.contains(&format!("/klachten/{id}/toewijzen")));
        assert!(!register.body.contains("Amal"));

        // Refusals: no trajectory, a handler who is not a manager, an end date in the
        // past. Each names its field in Dutch; nothing changes.
        let officer = &people.officer;
        let assign_page = officer.get(&format!("/klachten/{id}/toewijzen")).await;
        assert_eq!(assign_page.status, 200, "{}", assign_page.body);
        let csrf = assign_page.csrf();
        let manager_id = id_in(&assign_page.body, "Medewerker manager.klacht");
        let today = s.t.clock_today();
        let ends = (today + chrono::Duration::days(30)).to_string();
        let refused = officer
            .post(
                &format!("/klachten/{id}/toewijzen"),
                &[
                    ("csrf", &csrf),
                    ("handler", &manager_id),
                    ("ends_on", &ends),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);
        assert!(refused.body.contains("Kies een of meer trajecten"));
        let worker_id = worker.user_id().unwrap().to_string();
        let refused = officer
            .post(
                &format!("/klachten/{id}/toewijzen"),
                &[
                    ("csrf", &csrf),
                    ("handler", &worker_id),
                    ("trajectories", &t1.to_string()),
                    ("ends_on", &ends),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("Kies een manager"));
        let refused = officer
            .post(
                &format!("/klachten/{id}/toewijzen"),
                &[
                    ("csrf", &csrf),
                    ("handler", &manager_id),
                    ("trajectories", &t1.to_string()),
                    ("ends_on", "2026-01-01"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("einddatum"));
        assert_eq!(
            line(&s, &fg, &reference).await.state,
            ComplaintState::Received
        );
        assert_eq!(m.get(&format!("/trajecten/{t1}")).await.status, 404);

        // ACC-3: assigned, naming the first trajectory only: the manager reads that
        // dossier and not the other, and another manager neither.
        let assigned = officer
            .post(
                &format!("/klachten/{id}/toewijzen"),
                &[
                    ("csrf", &csrf),
                    ("handler", &manager_id),
                    ("trajectories", &t1.to_string()),
                    ("ends_on", &ends),
                ],
            )
            .await;
        assert_eq!(assigned.status, 303, "{engine:?}: {}", assigned.body);
        assert_eq!(m.get(&format!("/trajecten/{t1}")).await.status, 200);
        assert_eq!(m.get(&format!("/trajecten/{t2}")).await.status, 404);
        assert_eq!(
            other_manager.get(&format!("/trajecten/{t1}")).await.status,
            404
        );
        assert_eq!(
            other_manager.get(&format!("/klachten/{id}")).await.status,
            404
        );
        // Assigned once only.
        let again = officer
            .post(
                &format!("/klachten/{id}/toewijzen"),
                &[
                    ("csrf", &csrf),
                    ("handler", &manager_id),
                    ("trajectories", &t2.to_string()),
                    ("ends_on", &ends),
                ],
            )
            .await;
        assert_eq!(again.status, 422, "{}", again.body);
        assert_eq!(m.get(&format!("/trajecten/{t2}")).await.status, 404);

        // The case: the manager reads the complaint and records a step; a step without
        // text or dated in the future is refused and not recorded.
        let case = m.get(&format!("/klachten/{id}")).await;
        assert_eq!(case.status, 200, "{}", case.body);
        assert!(case.body.contains(SUBJECT) && case.body.contains("nog 42 dagen"));
        let csrf = case.csrf();
        let tomorrow = (today + chrono::Duration::days(1)).to_string();
        let bad = m
            .post(
                &format!("/klachten/{id}/stappen"),
                &[
                    ("csrf", &csrf),
                    ("taken_on", &today.to_string()),
                    ("text", " "),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("Beschrijf wat er is gedaan"));
        let bad = m
            .post(
                &format!("/klachten/{id}/stappen"),
                &[("csrf", &csrf), ("taken_on", &tomorrow), ("text", STEP)],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("niet in de toekomst"));
        assert!(bad.body.contains(STEP), "what was typed is kept");
        let stepped = m
            .post(
                &format!("/klachten/{id}/stappen"),
                &[
                    ("csrf", &csrf),
                    ("taken_on", &today.to_string()),
                    ("text", STEP),
                ],
            )
            .await;
        assert_eq!(stepped.status, 303, "{}", stepped.body);
        let steps = s.t.app.complaint_case(&fg, id).await.unwrap().steps;
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].text, STEP);
        assert_eq!(steps[0].recorded_by_name, "Medewerker manager.klacht");

        // The decision: refused without a choice or reasons; recorded once.
        let bad = m
            .post(
                &format!("/klachten/{id}/besluit"),
                &[("csrf", &csrf), ("decision", "maybe"), ("reasons", "")],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("Kies het besluit"));
        assert!(bad.body.contains("Vul de overwegingen"));
        assert_eq!(
            line(&s, &fg, &reference).await.state,
            ComplaintState::InHandling
        );
        assert_eq!(
            portal
                .get(&format!("/portaal/mijn-klachten/{id}/brief"))
                .await
                .status,
            404,
            "no letter before the decision"
        );
        let decided = m
            .post(
                &format!("/klachten/{id}/besluit"),
                &[
                    ("csrf", &csrf),
                    ("decision", "partly_upheld"),
                    ("reasons", REASON),
                ],
            )
            .await;
        assert_eq!(decided.status, 303, "{}", decided.body);
        let twice = m
            .post(
                &format!("/klachten/{id}/besluit"),
                &[("csrf", &csrf), ("decision", "upheld"), ("reasons", REASON)],
            )
            .await;
        assert_eq!(twice.status, 422, "{}", twice.body);
        let c = line(&s, &fg, &reference).await;
        assert_eq!(c.state, ComplaintState::Decided);
        assert!(!c.overdue);

        // The client sees the outcome and downloads the answer, which names the
        // Autoriteit Persoonsgegevens as the policy does.
        let mine = portal.get("/portaal/mijn-klachten").await;
        assert!(mine.body.contains("Gedeeltelijk gegrond"), "{}", mine.body);
        let (status, kind, pdf) = fixtures::get_file(
            &portal,
            &format!("/portaal/mijn-klachten/{id}/brief?taal=nl"),
        )
        .await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        let text = fixtures::pdf_text(&pdf);
        let ap = &s.t.app.policy().complaints().supervisory_authority;
        for needle in [
            "Autoriteit Persoonsgegevens",
            ap.website.as_str(),
            ap.phone.as_str(),
            ap.postal_address.as_str(),
            "gedeeltelijk gegrond",
            "KLACHT-REDEN-7Q",
            reference.as_str(),
            "Amal Klager",
        ] {
            assert!(text.contains(needle), "{engine:?}: {needle} in {text}");
        }
        let (status, _, pdf) = fixtures::get_file(
            &portal,
            &format!("/portaal/mijn-klachten/{id}/brief?taal=en"),
        )
        .await;
        assert_eq!(status, 200);
        let text = fixtures::pdf_text(&pdf);
        assert!(text.contains("partly justified") && text.contains("Autoriteit Persoonsgegevens"));
        // Someone else's portal account gets nothing.
        let (other, _) = s.t.intake(&worker, "Bram Ander", "1979-01-01", "amw").await;
        let other_portal = fixtures::portal(&s, &people.staff, other, "bram.ander").await;
        assert_eq!(
            other_portal
                .get(&format!("/portaal/mijn-klachten/{id}/brief"))
                .await
                .status,
            404
        );

        // ACC-3: closing ends the manager's access at once.
        let close = m
            .post(&format!("/klachten/{id}/sluiten"), &[("csrf", &csrf)])
            .await;
        assert_eq!(close.status, 303, "{}", close.body);
        assert_eq!(m.get(&format!("/trajecten/{t1}")).await.status, 404);
        assert_eq!(m.get(&format!("/klachten/{id}")).await.status, 404);
        assert_eq!(
            line(&s, &fg, &reference).await.state,
            ComplaintState::Closed
        );
        let mine = portal.get("/portaal/mijn-klachten").await;
        assert!(mine.body.contains("Afgesloten") && mine.body.contains("Gedeeltelijk gegrond"));
        // The privacy officer still reads the case and its letter.
        let (status, _, _) =
            fixtures::get_file(officer, &format!("/klachten/{id}/brief?taal=nl")).await;
        assert_eq!(status, 200);
    }
}

/// The value of the `<option>` whose label is `label`.
fn id_in(body: &str, label: &str) -> String {
    let before = body.split(&format!("\">{label}<")).next().unwrap();
    before.rsplit("value=\"").next().unwrap().to_owned()
}

// promise: CMP-1
#[tokio::test(flavor = "multi_thread")]
async fn overdue_complaints_are_flagged_and_the_api_handles_a_complaint() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let people = fixtures::staff(&s, &s.t.first_team(), &s.t.first_team()).await;
        let worker = people.worker.clone();
        let (client, t1) = s.t.intake(&worker, "Sara Laat", "1975-02-03", "amw").await;
        let (_, m) = manager(&s, "manager.termijn").await;
        let fg = s.t.staff("fg.termijn", Role::PrivacyOfficer, None).await;
        let today = s.t.clock_today();
        let ends = (today + chrono::Duration::days(30)).to_string();

        // Registered by the manager: one received long ago (past six weeks), one recent.
        let csrf = m.get("/").await.csrf();
        for (received, subject) in [("2026-09-01", "Oud"), ("2026-11-01", "Recent")] {
            let r = m
                .post(
                    &format!("/trajecten/{t1}/klacht"),
                    &[
                        ("csrf", &csrf),
                        ("received_on", received),
                        ("channel", "letter"),
                        ("subject", subject),
                        ("ends_on", &ends),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "{engine:?}: {}", r.body);
        }
        let lines = s.t.app.complaints_overview(&fg).await.unwrap();
        let old = lines
            .iter()
            .find(|l| l.received_on.to_string() == "2026-09-01")
            .unwrap();
        let recent = lines
            .iter()
            .find(|l| l.received_on.to_string() == "2026-11-01")
            .unwrap();
        // 2026-09-01 + 6 weeks = 2026-10-13, 40 days before 2026-11-22.
        assert_eq!(old.due_on.to_string(), "2026-10-13");
        assert_eq!((old.days_left, old.overdue), (-40, true));
        assert_eq!((recent.days_left, recent.overdue), (21, false));

        // The manager's and the privacy officer's lists mark it.
        let register = m.get("/klachten").await;
        assert!(
            register.body.contains("40 dagen te laat"),
            "{}",
            register.body
        );
        assert!(register.body.contains("nog 21 dagen"));
        assert!(register.body.contains("class=\"overdue\""));
        let officer = people.officer.get("/klachten").await;
        assert_eq!(officer.status, 200, "{}", officer.body);
        assert!(officer.body.contains("overdue-banner") && officer.body.contains("Te laat"));
        // A caseworker handles no complaints: an empty register.
        let none = people.staff.get("/klachten").await;
        assert_eq!(none.status, 200);
        assert!(!none.body.contains("2026-09-01"));

        // Through the API: the handler's list carries the term; steps, decision and the
        // letter; bad input is refused with the field and changes nothing.
        let month = (today + chrono::Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&m, "Klachten", &["read", "write"], &month).await,
        );
        let doc: serde_json::Value =
            serde_json::from_slice(&Api::anonymous(&s).get("/openapi.json").await.bytes).unwrap();
        let mine = api.get("/complaints").await;
        assert_eq!(mine.status, 200, "{}", mine.text());
        conforms(&doc, "get", "/complaints", &mine);
        let items = mine.json.as_array().unwrap();
        let late = items.iter().find(|c| c["subject"] == "Oud").unwrap();
        assert_eq!(late["overdue"], true);
        assert_eq!(late["days_left"], -40);
        let overview = api.get("/complaints/overview").await;
        conforms(&doc, "get", "/complaints/overview", &overview);
        let id = late["id"].as_str().unwrap().to_owned();
        let bad = api
            .post(
                &format!("/complaints/{id}/decision"),
                &json!({"decision": "granted", "reasons": "x"}),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text());
        assert!(bad.text().contains("decision"));
        let step = api
            .post(
                &format!("/complaints/{id}/steps"),
                &json!({"taken_on": today.to_string(), "text": "Brief gestuurd."}),
            )
            .await;
        assert_eq!(step.status, 201, "{}", step.text());
        let decided = api
            .post(
                &format!("/complaints/{id}/decision"),
                &json!({"decision": "not_upheld", "reasons": "De afspraak is nagekomen."}),
            )
            .await;
        assert_eq!(decided.status, 204, "{}", decided.text());
        let case = api.get(&format!("/complaints/{id}")).await;
        assert_eq!(case.status, 200, "{}", case.text());
        conforms(&doc, "get", "/complaints/{id}", &case);
        assert_eq!(case.json["decision"], "not_upheld");
        assert_eq!(case.json["overdue"], false, "decided: no longer overdue");
        assert_eq!(case.json["steps"].as_array().unwrap().len(), 1);
        let letter = api.get(&format!("/complaints/{id}/letter?lang=en")).await;
        assert_eq!(letter.status, 200);
        let text = fixtures::pdf_text(&letter.bytes);
        assert!(text.contains("unjustified") && text.contains("Autoriteit Persoonsgegevens"));
        // A manager cannot assign a complaint that has a handler; one without a handler
        // is assigned through the API too (the client filed it in the portal).
        let portal = fixtures::portal(&s, &people.staff, client, "sara.laat").await;
        let form = portal.get("/portaal/verzoeken").await;
        let filed = portal
            .post(
                "/portaal/klachten",
                &[
                    ("csrf", &form.csrf()),
                    ("subject", "Wachttijd"),
                    ("text", "Te lang."),
                ],
            )
            .await;
        assert_eq!(filed.status, 303);
        let open = api.get("/complaints/overview").await;
        let portal_complaint = open
            .json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["state"] == "received")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let me = api.get("/me").await.json["user_id"].clone();
        let refused = api
            .post(
                &format!("/complaints/{portal_complaint}/assign"),
                &json!({"handler": me, "trajectories": [], "ends_on": ends}),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        let assigned = api
            .post(
                &format!("/complaints/{portal_complaint}/assign"),
                &json!({"handler": me, "trajectories": [t1.to_string()], "ends_on": ends}),
            )
            .await;
        assert_eq!(assigned.status, 204, "{}", assigned.text());
        let twice = api
            .post(
                &format!("/complaints/{portal_complaint}/assign"),
                &json!({"handler": me, "trajectories": [t1.to_string()], "ends_on": ends}),
            )
            .await;
        assert_eq!(twice.status, 409, "{}", twice.text());
    }
}
