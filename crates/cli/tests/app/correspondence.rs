//! The correspondence register (RET-3), through HTTP on both engines: letters, contact
//! forms, e-mails and calls registered and handled on the pages and through the API,
//! refused field by field in Dutch; sealed on disk; a handled item kept for the policy's
//! three months from the day it was handled and gone the day after, with a line in the
//! destruction register; an open item never destroyed, however old; and the register
//! closed to the roles that do not handle correspondence.

use chrono::{Duration, Months, NaiveDate};
use serde_json::json;
use zv_core::destruction::{SweepOptions, SweepReport};
use zv_domain::Role;
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{engines, file_contains, files_under};

use crate::api::{Api, conforms, make_token};

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

async fn sweep(s: &TestServer) -> SweepReport {
    s.t.app
        .run_retention_sweep("test", &SweepOptions::default(), &mut ())
        .await
        .unwrap()
}

/// Moves the test clock to `day`, keeping the time of day.
fn travel_to(s: &TestServer, day: NaiveDate) {
    let days = (day - s.t.clock_today()).num_days();
    s.t.clock.advance(Duration::days(days));
}

fn id_of(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_owned()
}

// promise: RET-3
#[tokio::test(flavor = "multi_thread")]
async fn handled_correspondence_is_kept_three_months_after_handling_then_destroyed() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let worker = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let today = s.t.clock_today();
        let handled_day = today;
        let last_day = handled_day + Months::new(3);
        let marker = format!("Brievenschrijver{}", uuid::Uuid::new_v4().simple());

        // A letter registered and handled on the pages.
        let page = worker.get("/correspondentie").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        let received = (today - Duration::days(2)).to_string();
        let team = s.t.first_team();
        let added = worker
            .post(
                "/correspondentie",
                &[
                    ("csrf", &page.csrf()),
                    ("kind", "letter"),
                    ("direction", "incoming"),
                    ("received_on", &received),
                    ("correspondent", &format!("{marker} de Vries")),
                    ("contact", &format!("{marker}straat 1\n1011 AA Amsterdam")),
                    ("subject", &format!("Vraag van {marker}")),
                    ("summary", &format!("{marker} vraagt naar de wachtlijst")),
                    ("team", &team),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{engine:?}: {}", added.body);
        let letter_path = added.location().unwrap().to_owned();
        let letter = id_of(&letter_path);
        let shown = worker.get(&letter_path).await;
        assert_eq!(shown.status, 200);
        assert!(shown.body.contains(&format!("{marker} de Vries")));
        assert!(shown.body.contains("<span id=\"status\">open</span>"));
        let refused = worker
            .post(
                &format!("{letter_path}/afhandelen"),
                &[
                    ("csrf", &shown.csrf()),
                    ("handled_on", &(today + Duration::days(1)).to_string()),
                    ("outcome", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Kies de datum van afhandeling: vandaag of eerder",
            "Beschrijf hoe het is afgehandeld",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let handled = worker
            .post(
                &format!("{letter_path}/afhandelen"),
                &[
                    ("csrf", &shown.csrf()),
                    ("handled_on", &handled_day.to_string()),
                    (
                        "outcome",
                        "Beantwoord per brief met de informatie over de wachtlijst",
                    ),
                ],
            )
            .await;
        assert_eq!(handled.status, 303, "{}", handled.body);
        let shown = worker.get(&letter_path).await;
        assert!(
            shown
                .body
                .contains(&format!("<strong id=\"keep-until\">{last_day}</strong>")),
            "{engine:?}: {}",
            shown.body
        );
        // Handled: no longer changed.
        let changed = worker
            .post(
                &format!("{letter_path}/wijzigen"),
                &[
                    ("csrf", &shown.csrf()),
                    ("kind", "letter"),
                    ("direction", "incoming"),
                    ("received_on", &received),
                    ("correspondent", "Iemand anders"),
                    ("contact", "Kerkstraat 2\n1011 AA Amsterdam"),
                    ("subject", "Ander onderwerp"),
                ],
            )
            .await;
        assert_eq!(changed.status, 409);

        // An e-mail and a call through the API.
        let until = (today + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&worker, "Correspondentie", &["read", "write"], &until).await,
        );
        let mail = api
            .post(
                "/correspondence",
                &json!({
                    "kind": "email",
                    "direction": "incoming",
                    "received_on": today.to_string(),
                    "correspondent": format!("{marker} Bakker"),
                    "contact": "bakker@example.nl",
                    "subject": format!("Contact over {marker}"),
                }),
            )
            .await;
        assert_eq!(mail.status, 201, "{}", mail.text());
        conforms(&doc, "post", "/correspondence", &mail);
        let mail = mail.json["id"].as_str().unwrap().to_owned();
        let call = api
            .post(
                "/correspondence",
                &json!({
                    "kind": "call",
                    "direction": "incoming",
                    "received_on": today.to_string(),
                    "correspondent": "Anonieme beller",
                    "subject": "Vraag over de opvang",
                }),
            )
            .await;
        assert_eq!(call.status, 201, "{}", call.text());
        let call = call.json["id"].as_str().unwrap().to_owned();
        let put = api
            .put(
                &format!("/correspondence/{call}"),
                &json!({
                    "kind": "call",
                    "direction": "incoming",
                    "received_on": today.to_string(),
                    "correspondent": "Anonieme beller",
                    "contact": "020 123 4567",
                    "subject": "Vraag over de opvang en de wachttijd",
                    "team": team,
                }),
            )
            .await;
        assert_eq!(put.status, 204, "{}", put.text());
        conforms(&doc, "put", "/correspondence/{id}", &put);
        let unknown = api
            .post(
                "/correspondence",
                &json!({"kind": "email", "direction": "incoming", "received_on": today.to_string(),
                        "correspondent": "X Y", "subject": "Onderwerp", "bsn": "123456782"}),
            )
            .await;
        assert_eq!(unknown.status, 422, "unknown fields are refused");

        // Handled through the API, reopened for a follow-up (its last day cleared), and
        // handled again.
        let handle = |id: String| {
            let api = &api;
            async move {
                api.post(
                    &format!("/correspondence/{id}/handled"),
                    &json!({"outcome": "Teruggemaild met het antwoord"}),
                )
                .await
            }
        };
        let done = handle(mail.clone()).await;
        assert_eq!(done.status, 200, "{}", done.text());
        conforms(&doc, "post", "/correspondence/{id}/handled", &done);
        assert_eq!(done.json["keep_until"], last_day.to_string());
        let reopened = api
            .post(&format!("/correspondence/{mail}/reopen"), &json!({}))
            .await;
        assert_eq!(reopened.status, 204, "{}", reopened.text());
        let item = api.get(&format!("/correspondence/{mail}")).await;
        conforms(&doc, "get", "/correspondence/{id}", &item);
        assert_eq!(item.json["status"], "open");
        assert!(item.json["keep_until"].is_null());
        assert_eq!(handle(mail.clone()).await.status, 200);
        assert_eq!(handle(mail.clone()).await.status, 409, "handled once");

        // The list: open first; and the filter.
        let all = api.get("/correspondence").await;
        assert_eq!(all.status, 200, "{}", all.text());
        conforms(&doc, "get", "/correspondence", &all);
        let statuses: Vec<&str> = all
            .json
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["open", "handled", "handled"]);
        let open = api.get("/correspondence?status=open").await;
        assert_eq!(open.json.as_array().unwrap().len(), 1);
        assert_eq!(open.json[0]["id"], call.as_str());
        assert_eq!(api.get("/correspondence?status=weg").await.status, 422);

        // Sealed on disk: nothing of what was written is readable in any file.
        for f in files_under(s.t.data_dir()) {
            assert!(!file_contains(&f, marker.as_bytes()), "{}", f.display());
        }

        // On its last day the handled items are still there, and on the schedule by kind
        // and reference only.
        travel_to(&s, last_day);
        let report = sweep(&s).await;
        assert_eq!(report.correspondence_destroyed, 0, "{engine:?}: {report:?}");
        let officer = s.staff("fg.privacy", Role::PrivacyOfficer, None).await.0;
        let schedule = s.t.app.retention_schedule(&officer).await.unwrap();
        let lines: Vec<_> = schedule
            .records
            .iter()
            .filter(|r| r.category == "correspondence")
            .collect();
        assert_eq!(lines.len(), 2, "{engine:?}: {:?}", schedule.records);
        assert!(lines.iter().all(|l| l.retention_until == last_day
            && l.team.is_empty()
            && !l.label.contains(&marker)));
        assert!(lines.iter().any(|l| l.label.starts_with("letter C-")));

        // The day after, they are gone; the open call stays.
        travel_to(&s, last_day + Duration::days(1));
        let report = sweep(&s).await;
        assert_eq!(report.correspondence_destroyed, 2, "{engine:?}: {report:?}");
        assert_eq!(sweep(&s).await.correspondence_destroyed, 0);
        let worker = signed_in(&s, "hulpverlener.twee", Role::Caseworker).await;
        assert_eq!(worker.get(&letter_path).await.status, 404);
        let register = worker.get("/correspondentie").await;
        assert!(!register.body.contains(&letter), "{engine:?}");
        assert!(register.body.contains(&call), "{engine:?}");

        // An open item is never destroyed, however old.
        travel_to(&s, last_day + Months::new(120));
        assert_eq!(sweep(&s).await.correspondence_destroyed, 0);
        let officer = s.staff("fg.later", Role::PrivacyOfficer, None).await.0;
        let left =
            s.t.app
                .correspondence(&officer, zv_core::correspondence::StatusFilter::All)
                .await
                .unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id.to_string(), call);

        // The destruction register: one line for the run, by category and rule, no name.
        let fg = signed_in(&s, "fg.register", Role::PrivacyOfficer).await;
        let page = fg.get("/privacy/vernietigingen").await;
        assert_eq!(page.status, 200);
        assert_eq!(
            page.body
                .matches("<td>correspondentie</td><td>vernietigd</td><td>correspondentie</td>")
                .count(),
            1,
            "{engine:?}: {}",
            page.body
        );
        assert!(!page.body.contains(&marker));
    }
}

// promise: RET-3
#[tokio::test(flavor = "multi_thread")]
async fn correspondence_is_refused_field_by_field_and_closed_to_other_roles() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let lead = signed_in(&s, "teamleider", Role::TeamLead).await;
        let today = s.t.clock_today();

        // Every refused field at once, in Dutch, next to its field.
        let page = lead.get("/correspondentie").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("href=\"/correspondentie\""));
        let refused = lead
            .post(
                "/correspondentie",
                &[
                    ("csrf", &page.csrf()),
                    ("kind", "fax"),
                    ("direction", "zijwaarts"),
                    ("received_on", &(today + Duration::days(1)).to_string()),
                    ("correspondent", "X"),
                    ("contact", ""),
                    ("subject", ""),
                    ("team", "geen-team"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Kies brief, contactformulier, e-mail of telefoongesprek.",
            "Kies ontvangen of verstuurd.",
            "Kies de datum van ontvangst of verzending; die ligt niet in de toekomst.",
            "Vul de naam van de afzender of geadresseerde in",
            "Vul het onderwerp in",
            "Kies een team uit de lijst, of geen team.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let wrong_contact = lead
            .post(
                "/correspondentie",
                &[
                    ("csrf", &page.csrf()),
                    ("kind", "email"),
                    ("direction", "incoming"),
                    ("received_on", "gisteren"),
                    ("correspondent", "Sanne de Wit"),
                    ("contact", "020 123 4567"),
                    ("subject", "Vraag"),
                ],
            )
            .await;
        assert_eq!(wrong_contact.status, 422);
        assert!(
            wrong_contact
                .body
                .contains("een e-mailadres bij een e-mail")
        );
        assert!(wrong_contact.body.contains("Kies de datum van ontvangst"));
        let until = (today + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&lead, "Correspondentie", &["read", "write"], &until).await,
        );
        let refused = api
            .post(
                "/correspondence",
                &json!({"kind": "email", "direction": "incoming", "received_on": today.to_string(),
                        "correspondent": "Sanne de Wit", "contact": "geen adres", "subject": "Vraag"}),
            )
            .await;
        assert_eq!(refused.status, 422);
        assert_eq!(refused.json["field"], "contact");
        let added = api
            .post(
                "/correspondence",
                &json!({"kind": "contact_form", "direction": "incoming", "received_on": today.to_string(),
                        "correspondent": "Sanne de Wit", "contact": "sanne@example.nl", "subject": "Vraag"}),
            )
            .await;
        assert_eq!(added.status, 201, "{}", added.text());
        let id = added.json["id"].as_str().unwrap().to_owned();

        // The privacy officer reads the register but does not handle it.
        let fg = signed_in(&s, "fg.privacy", Role::PrivacyOfficer).await;
        let seen = fg.get("/correspondentie").await;
        assert_eq!(seen.status, 200);
        assert!(!seen.body.contains("action=\"/correspondentie\""));
        let item = fg.get(&format!("/correspondentie/{id}")).await;
        assert_eq!(item.status, 200);
        let refused = fg
            .post(
                &format!("/correspondentie/{id}/afhandelen"),
                &[
                    ("csrf", &item.csrf()),
                    ("handled_on", &today.to_string()),
                    ("outcome", "Beantwoord"),
                ],
            )
            .await;
        assert_eq!(refused.status, 403);

        // The administrator and the quality officer do not see it at all.
        for (name, role) in [
            ("beheerder", Role::Administrator),
            ("kwaliteit", Role::QualityOfficer),
        ] {
            let c = signed_in(&s, name, role).await;
            assert!(!c.get("/").await.body.contains("href=\"/correspondentie\""));
            assert_eq!(c.get("/correspondentie").await.status, 403, "{name}");
            assert_eq!(
                c.get(&format!("/correspondentie/{id}")).await.status,
                403,
                "{name}"
            );
            let api = Api::new(
                &s,
                &make_token(&c, "Correspondentie", &["read", "write"], &until).await,
            );
            assert_eq!(api.get("/correspondence").await.status, 403, "{name}");
            assert_eq!(
                api.post(
                    &format!("/correspondence/{id}/handled"),
                    &json!({"outcome": "Beantwoord"})
                )
                .await
                .status,
                403,
                "{name}"
            );
        }
        let still_open = api.get(&format!("/correspondence/{id}")).await;
        assert_eq!(still_open.json["status"], "open");
    }
}
