//! The register of data breaches (TRN-3), through HTTP on both engines: a staff member's
//! report starts the 72-hour clock; the privacy officer sees the deadline in Dutch time
//! across a weekend and the end of summer time; with less than a day left the start page
//! escalates and one mail is queued, and past the deadline the clock is overdue (one
//! more mail); a late notification needs the reason for the delay, a decision not to
//! notify its reason; the notification's content is a PDF with the facts; bad input is
//! refused field by field in Dutch with nothing stored; unknown JSON fields are refused;
//! and nobody but the privacy officer reads the register.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use zv_core::breaches::KIND_BREACH_DEADLINE;
use zv_domain::{AuditAction, AuditObject, Clock as _, Role};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, conforms, make_token};
use crate::fixtures::pdf_text;

async fn signed_in(s: &TestServer, username: &str, role: Role) -> (WebClient, String) {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    (c, secret)
}

/// The same person signing in again (after the clock moved past the session's life).
async fn again(s: &TestServer, username: &str, secret: &str) -> WebClient {
    let c = s.client();
    c.sign_in(username, secret).await;
    c
}

async fn breach_mails(s: &TestServer) -> usize {
    s.t.app
        .unsent_mail()
        .await
        .unwrap()
        .iter()
        .filter(|m| m.kind == KIND_BREACH_DEADLINE)
        .count()
}

/// The id in the first link to a breach on a page.
fn breach_link(body: &str) -> String {
    body.split("href=\"/privacy/datalekken/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned()
}

// promise: TRN-3
#[tokio::test(flavor = "multi_thread")]
async fn a_staff_report_starts_the_clock_that_escalates_and_runs_out() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        // Friday 23 October 2026, 10:00 in the Netherlands (summer time, UTC+2). Summer
        // time ends on Sunday the 25th: 72 hours later it is Monday 09:00 winter time.
        s.t.clock
            .set(Utc.with_ymd_and_hms(2026, 10, 23, 8, 0, 0).unwrap());
        let marker = format!("Lekmelding{}", uuid::Uuid::new_v4().simple());
        let (worker, _) = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        let (officer, officer_secret) = signed_in(&s, "fg.privacy", Role::PrivacyOfficer).await;

        // Any staff member reports, from the link in the menu.
        let home = worker.get("/").await;
        assert!(home.body.contains("href=\"/datalek-melden\""), "{engine:?}");
        assert!(!home.body.contains("href=\"/privacy/datalekken\""));
        let form = worker.get("/datalek-melden").await;
        assert_eq!(form.status, 200, "{engine:?}: {}", form.body);
        assert!(
            form.body.contains("value=\"2026-10-23T10:00\""),
            "Dutch time"
        );
        let reported = worker
            .post(
                "/datalek-melden",
                &[
                    ("csrf", &form.csrf()),
                    ("noticed_at", "2026-10-23T09:40"),
                    (
                        "what_happened",
                        &format!("{marker}: een verslag is naar de verkeerde ouder gemaild"),
                    ),
                ],
            )
            .await;
        assert_eq!(reported.status, 303, "{engine:?}: {}", reported.body);
        let back = reported.location().unwrap().to_owned();
        assert_eq!(back, "/datalek-melden?gemeld=DL-2026-0001");
        let confirmed = worker.get(&back).await;
        assert!(
            confirmed
                .body
                .contains("Uw melding is ontvangen onder kenmerk DL-2026-0001"),
            "{}",
            confirmed.body
        );
        // The reporter sees the reference of their own report, never its content or the
        // register.
        assert!(!confirmed.body.contains(&marker));
        let register = worker.get("/privacy/datalekken").await;
        assert_eq!(register.status, 403, "{engine:?}");
        assert!(!register.body.contains("DL-2026-0001") && !register.body.contains(&marker));

        // The privacy officer: the clock from the moment of reporting, in Dutch time,
        // across the weekend and the end of summer time.
        let start = officer.get("/").await;
        assert!(start.body.contains("id=\"datalekken\""), "{}", start.body);
        assert!(start.body.contains("DL-2026-0001"));
        assert!(
            start.body.contains("2026-10-26 09:00 CET"),
            "{}",
            start.body
        );
        assert!(start.body.contains("data-clock=\"running\""));
        assert!(
            start.body.contains("href=\"/privacy/datalekken\""),
            "the menu"
        );
        let list = officer.get("/privacy/datalekken").await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains("data-clock=\"running\""));
        let id = breach_link(&list.body);
        let page = officer.get(&format!("/privacy/datalekken/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains("<strong id=\"aware-at\">2026-10-23 10:00 CEST</strong>"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<strong id=\"deadline\">2026-10-26 09:00 CET</strong>")
        );
        assert!(page.body.contains("Nog 72 uur"));
        assert!(page.body.contains(&marker), "the officer reads the report");
        // A caseworker cannot open it either.
        let direct = worker.get(&format!("/privacy/datalekken/{id}")).await;
        assert_eq!(direct.status, 403);
        assert!(!direct.body.contains(&marker));
        assert_eq!(
            s.t.app
                .escalate_breach_deadlines("test")
                .await
                .unwrap()
                .queued,
            0
        );
        assert_eq!(breach_mails(&s).await, 0);

        // Sunday 25 October 11:00 UTC (12:00 winter time): 21 hours left. Escalated on
        // the start page, and one mail however often the job runs.
        s.t.clock
            .set(Utc.with_ymd_and_hms(2026, 10, 25, 11, 0, 0).unwrap());
        let first = s.t.app.escalate_breach_deadlines("test").await.unwrap();
        assert_eq!(first.queued, 1, "{engine:?}");
        let second = s.t.app.escalate_breach_deadlines("test").await.unwrap();
        assert_eq!((second.queued, second.already), (0, 1));
        assert_eq!(breach_mails(&s).await, 1);
        let officer = again(&s, "fg.privacy", &officer_secret).await;
        let start = officer.get("/").await;
        assert!(
            start.body.contains("data-clock=\"escalated\""),
            "{}",
            start.body
        );
        assert!(start.body.contains("Minder dan 24 uur: nog 21 uur"));

        // Monday 26 October 08:01 UTC (09:01): past the deadline, not notified: overdue,
        // and one more mail.
        s.t.clock
            .set(Utc.with_ymd_and_hms(2026, 10, 26, 8, 1, 0).unwrap());
        assert_eq!(
            s.t.app
                .escalate_breach_deadlines("test")
                .await
                .unwrap()
                .queued,
            1
        );
        assert_eq!(
            s.t.app
                .escalate_breach_deadlines("test")
                .await
                .unwrap()
                .queued,
            0
        );
        assert_eq!(breach_mails(&s).await, 2);
        let officer = again(&s, "fg.privacy", &officer_secret).await;
        let path = format!("/privacy/datalekken/{id}");
        let page = officer.get(&path).await;
        assert!(
            page.body.contains("data-clock=\"overdue\""),
            "{}",
            page.body
        );
        assert!(page.body.contains("Termijn verstreken, nog niet gemeld"));

        // Decided to notify; the notification, now late, needs the reason for the delay.
        let decided = officer
            .post(
                &format!("{path}/besluit"),
                &[
                    ("csrf", &page.csrf()),
                    ("notify", "notify"),
                    ("inform", "inform"),
                ],
            )
            .await;
        assert_eq!(decided.status, 303, "{}", decided.body);
        let page = officer.get(&path).await;
        let late = officer
            .post(
                &format!("{path}/gemeld"),
                &[
                    ("csrf", &page.csrf()),
                    ("notified_at", "2026-10-26T09:01"),
                    ("ap_reference", "AP-2026-12345"),
                    ("late_reason", ""),
                ],
            )
            .await;
        assert_eq!(late.status, 422, "{}", late.body);
        assert!(
            late.body.contains(
                "De melding is later dan 72 uur gedaan: geef de reden van de vertraging."
            )
        );
        assert!(!officer.get(&path).await.body.contains("id=\"notified-at\""));
        let notified = officer
            .post(
                &format!("{path}/gemeld"),
                &[
                    ("csrf", &page.csrf()),
                    ("notified_at", "2026-10-26T09:01"),
                    ("ap_reference", "AP-2026-12345"),
                    (
                        "late_reason",
                        "Het datalek werd pas na het weekend beoordeeld",
                    ),
                ],
            )
            .await;
        assert_eq!(notified.status, 303, "{}", notified.body);
        let page = officer.get(&path).await;
        assert!(
            page.body
                .contains("<strong id=\"notified-at\">2026-10-26 09:01 CET</strong>")
        );
        assert!(page.body.contains("Te laat gemeld, met reden"));
        assert!(page.body.contains("data-clock=\"notified_late\""));
        // Notified: no more escalation, and off the start page's alarm.
        assert_eq!(
            s.t.app
                .escalate_breach_deadlines("test")
                .await
                .unwrap()
                .queued,
            0
        );
        assert!(
            !officer
                .get("/")
                .await
                .body
                .contains("data-clock=\"escalated\"")
        );
        // Informing the people concerned is recorded once, then the breach closes.
        let informed = officer
            .post(
                &format!("{path}/geinformeerd"),
                &[("csrf", &page.csrf()), ("informed_at", "2026-10-26T09:01")],
            )
            .await;
        assert_eq!(informed.status, 303, "{}", informed.body);
        let closed = officer
            .post(&format!("{path}/sluiten"), &[("csrf", &page.csrf())])
            .await;
        assert_eq!(closed.status, 303, "{}", closed.body);
        let page = officer.get(&path).await;
        assert!(page.body.contains("<span id=\"status\">afgesloten</span>"));
        assert!(!page.body.contains("action=\"/privacy/datalekken/"));
    }
}

// promise: TRN-3
#[tokio::test(flavor = "multi_thread")]
async fn the_officer_completes_decides_and_prints_the_notification_through_the_api() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let today = s.t.clock_today();
        let until = (today + Duration::days(30)).to_string();
        let marker = format!("Datalekfeit{}", uuid::Uuid::new_v4().simple());
        let (fg, _) = signed_in(&s, "fg.privacy", Role::PrivacyOfficer).await;
        let officer = Api::new(
            &s,
            &make_token(&fg, "Datalekken", &["read", "write"], &until).await,
        );
        let (worker, _) = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        let staff = Api::new(
            &s,
            &make_token(&worker, "Melden", &["read", "write"], &until).await,
        );

        // A caseworker reports through the API and sees only the reference.
        let reported = staff
            .post(
                "/breaches",
                &json!({"what_happened": format!("{marker} lag op de printer bij de receptie")}),
            )
            .await;
        assert_eq!(reported.status, 201, "{engine:?}: {}", reported.text());
        conforms(&doc, "post", "/breaches", &reported);
        let reference = reported.json["reference"].as_str().unwrap().to_owned();
        assert!(reference.starts_with("DL-2026-"), "{reference}");
        let id = reported.json["id"].as_str().unwrap().to_owned();
        let mine = staff.get("/breach-reports").await;
        assert_eq!(mine.status, 200, "{}", mine.text());
        conforms(&doc, "get", "/breach-reports", &mine);
        assert_eq!(mine.json.as_array().unwrap().len(), 1);
        assert!(!mine.text().contains(&marker));
        assert_eq!(officer.get("/breach-reports").await.json, json!([]));
        // The register stays closed to the caseworker: no content in any answer.
        for path in [
            "/breaches".to_owned(),
            format!("/breaches/{id}"),
            format!("/breaches/{id}/notification.pdf"),
        ] {
            let a = staff.get(&path).await;
            assert_eq!(a.status, 403, "{path}");
            assert!(!a.text().contains(&marker) && !a.text().contains(&reference));
        }
        let refused = staff
            .post(
                &format!("/breaches/{id}/decision"),
                &json!({"notify": "not_notify", "notify_reason": "geen risico", "inform": "not_inform", "inform_reason": "geen"}),
            )
            .await;
        assert_eq!(refused.status, 403);

        // Unknown fields are refused, and nothing is stored.
        let unknown = staff
            .post(
                "/breaches",
                &json!({"what_happened": "Iets is misgegaan met een lijst", "client": "Noor"}),
            )
            .await;
        assert_eq!(unknown.status, 422, "{}", unknown.text());
        let list = officer.get("/breaches").await;
        assert_eq!(list.status, 200, "{}", list.text());
        conforms(&doc, "get", "/breaches", &list);
        assert_eq!(list.json.as_array().unwrap().len(), 1);

        // The officer completes the facts.
        let aware = (s.t.clock.now() - Duration::hours(2)).to_rfc3339();
        let facts = json!({
            "aware_at": aware,
            "occurred_from": (today - Duration::days(1)).to_string(),
            "occurred_to": today.to_string(),
            "discovered": "Een collega vond de uitdraai",
            "facts": format!("{marker} lag op de printer bij de receptie, met adressen"),
            "data_categories": ["client_identity", "dossier"],
            "special_categories": true,
            "people_categories": ["clients", "relatives"],
            "people_count": 12,
            "records_count": 40,
            "consequences": "Bezoekers konden adressen van cliënten lezen",
            "measures": "De uitdraai is vernietigd; printen gaat voortaan met een pas",
        });
        let put = officer.put(&format!("/breaches/{id}"), &facts).await;
        assert_eq!(put.status, 204, "{}", put.text());
        conforms(&doc, "put", "/breaches/{id}", &put);
        let mut with_extra = facts.clone();
        with_extra["bsn"] = json!("123456782");
        assert_eq!(
            officer
                .put(&format!("/breaches/{id}"), &with_extra)
                .await
                .status,
            422,
            "unknown fields are refused"
        );
        let future = json!({"aware_at": (s.t.clock.now() + Duration::hours(1)).to_rfc3339(),
            "facts": "Iets wat nog moet gebeuren", "data_categories": ["dossier"], "people_categories": ["clients"]});
        let bad = officer.put(&format!("/breaches/{id}"), &future).await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json["field"], "aware_at");
        let one = officer.get(&format!("/breaches/{id}")).await;
        assert_eq!(one.status, 200, "{}", one.text());
        conforms(&doc, "get", "/breaches/{id}", &one);
        assert_eq!(one.json["status"], "open");
        assert_eq!(one.json["people_count"], 12);
        assert_eq!(one.json["clock"]["state"], "running");
        assert_eq!(one.json["clock"]["minutes_left"], 70 * 60);

        // Not notifying needs its reason; the clock stops.
        let no_reason = officer
            .post(
                &format!("/breaches/{id}/decision"),
                &json!({"notify": "not_notify", "inform": "not_inform", "inform_reason": "Geen hoog risico"}),
            )
            .await;
        assert_eq!(no_reason.status, 422);
        assert_eq!(no_reason.json["field"], "notify_reason");
        assert!(
            officer.get(&format!("/breaches/{id}")).await.json["notify_decision"].is_null(),
            "nothing stored"
        );
        let decided = officer
            .post(
                &format!("/breaches/{id}/decision"),
                &json!({"notify": "not_notify", "notify_reason": "De uitdraai lag korter dan een uur in een afgesloten ruimte: waarschijnlijk geen risico",
                        "inform": "not_inform", "inform_reason": "Geen hoog risico"}),
            )
            .await;
        assert_eq!(decided.status, 204, "{}", decided.text());
        conforms(&doc, "post", "/breaches/{id}/decision", &decided);
        let one = officer.get(&format!("/breaches/{id}")).await;
        assert_eq!(one.json["clock"]["state"], "not_notifying");
        // Not deciding to notify, no notification is recorded.
        let notified = officer
            .post(
                &format!("/breaches/{id}/notified"),
                &json!({"ap_reference": "AP-1"}),
            )
            .await;
        assert_eq!(notified.status, 409, "{}", notified.text());
        conforms(&doc, "post", "/breaches/{id}/notified", &notified);

        // The notification's content as a PDF, Dutch and English, with the facts and
        // the privacy officer as the contact point.
        let pdf = officer
            .get(&format!("/breaches/{id}/notification.pdf"))
            .await;
        assert_eq!(pdf.status, 200, "{}", pdf.text());
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let text = pdf_text(&pdf.bytes);
        assert!(text.contains(&marker), "{text}");
        assert!(
            text.contains("Melding datalek") && text.contains(&reference),
            "{text}"
        );
        let contact = &s.t.app.policy().privacy_officer().email;
        assert!(text.contains(contact.as_str()), "{text}");
        assert!(
            text.contains("Identificatie- en contactgegevens van cliënten"),
            "{text}"
        );
        assert!(text.contains("12"), "{text}");
        let en = officer
            .get(&format!("/breaches/{id}/notification.pdf?lang=en"))
            .await;
        assert!(pdf_text(&en.bytes).contains("Data breach notification"));
        assert_eq!(
            officer
                .get(&format!("/breaches/{id}/notification.pdf?lang=fr"))
                .await
                .status,
            422
        );
        // The page's PDF link works too.
        let page = fg.get(&format!("/privacy/datalekken/{id}")).await;
        assert!(
            page.body
                .contains(&format!("/privacy/datalekken/{id}/melding.pdf"))
        );
        let bytes = fg
            .http
            .get(format!("{}/privacy/datalekken/{id}/melding.pdf", fg.base))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(pdf_text(&bytes).contains(&marker));

        // Closed, it changes no more.
        let closed = officer
            .post(&format!("/breaches/{id}/close"), &json!({}))
            .await;
        assert_eq!(closed.status, 204, "{}", closed.text());
        assert_eq!(
            officer.put(&format!("/breaches/{id}"), &facts).await.status,
            409
        );
        assert_eq!(
            officer.get(&format!("/breaches/{id}")).await.json["status"],
            "closed"
        );

        // Every step is in the audit log, by id and without content.
        let auditor = s.staff("fg.audit", Role::PrivacyOfficer, None).await.0;
        let events =
            s.t.app
                .audit_events(&auditor, &zv_core::audit_log::AuditQuery::default(), 500)
                .await
                .unwrap()
                .events;
        let of_it: Vec<_> = events
            .iter()
            .filter(|e| e.event.object_id.map(|o| o.to_string()) == Some(id.clone()))
            .collect();
        for (object, action) in [
            (AuditObject::DataBreachReport, AuditAction::Create),
            (AuditObject::DataBreach, AuditAction::Read),
            (AuditObject::DataBreach, AuditAction::Update),
            (AuditObject::DataBreach, AuditAction::Export),
        ] {
            assert!(
                of_it
                    .iter()
                    .any(|e| e.event.object == object && e.event.action == action),
                "{engine:?}: {object:?} {action:?}"
            );
        }
        assert!(events.iter().all(|e| {
            !e.event
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains(&marker)
        }));

        // Sealed on disk: nothing of the facts is readable in any file.
        for f in zv_testkit::files_under(s.t.data_dir()) {
            assert!(
                !zv_testkit::file_contains(&f, marker.as_bytes()),
                "{}",
                f.display()
            );
        }

        // The administrator and the quality officer reach nothing of the register.
        for (name, role) in [
            ("beheerder", Role::Administrator),
            ("kwaliteit", Role::QualityOfficer),
        ] {
            let (c, _) = signed_in(&s, name, role).await;
            assert!(
                !c.get("/")
                    .await
                    .body
                    .contains("href=\"/privacy/datalekken\"")
            );
            let list = c.get("/privacy/datalekken").await;
            assert_eq!(list.status, 403, "{name}");
            assert!(!list.body.contains(&reference));
            assert_eq!(
                c.get(&format!("/privacy/datalekken/{id}")).await.status,
                403
            );
        }
    }
}

// promise: TRN-3
#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_field_by_field_in_dutch_and_nothing_is_stored() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let (worker, _) = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        let (fg, _) = signed_in(&s, "fg.privacy", Role::PrivacyOfficer).await;

        let form = worker.get("/datalek-melden").await;
        let refused = worker
            .post(
                "/datalek-melden",
                &[
                    ("csrf", &form.csrf()),
                    ("noticed_at", "2099-01-01T10:00"),
                    ("what_happened", "kort"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);
        for words in [
            "Vul in wanneer u het merkte, als datum en tijd; dat ligt niet in de toekomst.",
            "Beschrijf wat er is gebeurd (10 tot 4.000 tekens).",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let unparsable = worker
            .post(
                "/datalek-melden",
                &[
                    ("csrf", &form.csrf()),
                    ("noticed_at", "vanochtend"),
                    ("what_happened", "Een map met dossiers is zoekgeraakt"),
                ],
            )
            .await;
        assert_eq!(unparsable.status, 422);
        assert!(unparsable.body.contains("Vul in wanneer u het merkte"));
        // Without the form's token nothing happens.
        let forged = worker
            .post(
                "/datalek-melden",
                &[
                    ("noticed_at", "2026-11-22T10:00"),
                    ("what_happened", "Een map met dossiers is zoekgeraakt"),
                ],
            )
            .await;
        assert_eq!(forged.status, 403);
        let list = fg.get("/privacy/datalekken").await;
        assert!(
            list.body.contains("Er zijn geen datalekken geregistreerd."),
            "{}",
            list.body
        );

        // The facts, every field at once.
        let ok = worker
            .post(
                "/datalek-melden",
                &[
                    ("csrf", &form.csrf()),
                    ("noticed_at", "2026-11-22T10:30"),
                    ("what_happened", "Een map met dossiers is zoekgeraakt"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let id = breach_link(&fg.get("/privacy/datalekken").await.body);
        let path = format!("/privacy/datalekken/{id}");
        let page = fg.get(&path).await;
        let refused = fg
            .post(
                &format!("{path}/feiten"),
                &[
                    ("csrf", &page.csrf()),
                    ("aware_at", "2026-11-23T10:00"),
                    ("occurred_from", "2026-11-30"),
                    ("occurred_to", "gisteren"),
                    ("facts", ""),
                    ("data_categories", "hobby's"),
                    ("people_count", "twaalf"),
                    ("records_count", "-3"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for words in [
            "Vul het moment in waarop de organisatie het wist, als datum en tijd; niet in de toekomst en niet na de melding.",
            "Kies een geldige begindatum, vandaag of eerder.",
            "Kies een geldige einddatum, vandaag of eerder en niet voor de begindatum.",
            "Beschrijf wat er is gebeurd (10 tot 8.000 tekens).",
            "Kies ten minste één soort gegevens uit de lijst.",
            "Kies ten minste één categorie betrokkenen uit de lijst.",
            "Vul een aantal betrokkenen in als heel getal van 0 of meer, of laat het leeg.",
            "Vul een aantal records in als heel getal van 0 of meer, of laat het leeg.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let page = fg.get(&path).await;
        assert!(
            page.body.contains("gemeld, nog niet beoordeeld"),
            "nothing stored"
        );
        assert!(page.body.contains("Een map met dossiers is zoekgeraakt"));

        // A decision with a "no" and no reason.
        let refused = fg
            .post(
                &format!("{path}/besluit"),
                &[
                    ("csrf", &page.csrf()),
                    ("notify", "not_notify"),
                    ("notify_reason", ""),
                    ("inform", "misschien"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Geef de reden waarom het datalek waarschijnlijk geen risico oplevert (2 tot 4.000 tekens).",
            "Kies of de betrokkenen worden geïnformeerd.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let page = fg.get(&path).await;
        assert!(
            page.body
                .contains("Er is nog geen besluit over melden en informeren.")
        );
        assert!(page.body.contains("data-clock=\"running\""));
        // Closing before the decisions is refused.
        let close = fg
            .post(&format!("{path}/sluiten"), &[("csrf", &page.csrf())])
            .await;
        assert_eq!(close.status, 409);
        assert!(
            close
                .body
                .contains("Afsluiten kan pas als de feiten zijn vastgelegd")
        );

        // A newcomer whose confidentiality statement is not recorded yet reports too: the
        // duty to report comes first, and a report reads nothing. The register stays
        // closed to them.
        let enrolment =
            s.t.app
                .add_user(
                    &zv_core::Actor::cli("test"),
                    zv_core::users::NewUserInput {
                        username: "nieuw".into(),
                        display_name: "Nieuwe Medewerker".into(),
                        password: zeroize::Zeroizing::new(zv_testkit::TEST_PASSWORD.to_owned()),
                        roles: vec![Role::Caseworker],
                        teams: vec![s.t.first_team()],
                        branch: None,
                        confidentiality_signed_on: None,
                    },
                )
                .await
                .unwrap();
        let secret = zv_core::sign_in::otpauth_secret(&enrolment.otpauth_uri)
            .unwrap()
            .to_owned();
        let newcomer = s.client();
        newcomer.sign_in("nieuw", &secret).await;
        let form = newcomer.get("/datalek-melden").await;
        assert_eq!(form.status, 200, "{engine:?}: {}", form.body);
        let reported = newcomer
            .post(
                "/datalek-melden",
                &[
                    ("csrf", &form.csrf()),
                    ("noticed_at", "2026-11-22T10:45"),
                    (
                        "what_happened",
                        "Mijn laptop met de cliëntenlijst is gestolen",
                    ),
                ],
            )
            .await;
        assert_eq!(reported.status, 303, "{engine:?}: {}", reported.body);
        assert_eq!(
            reported.location(),
            Some("/datalek-melden?gemeld=DL-2026-0002")
        );
        assert_eq!(newcomer.get("/privacy/datalekken").await.status, 403);
    }
}

// promise: TRN-3
#[test]
fn cron_runs_the_escalation_as_serve_does() {
    let dir = tempfile::tempdir().unwrap();
    let init = crate::cli::zv(&["init"], dir.path(), "a long enough password\n");
    assert!(init.status.success());
    let run = crate::cli::zv(&["breaches", "escalate"], dir.path(), "");
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{out}");
    assert!(
        out.contains("queued 0 mail(s) about data breach deadlines; 0 escalated earlier"),
        "{out}"
    );
}
