//! The rights-request workflow (RTS-1..3 and the decision), through HTTP on both
//! engines, as the worker on the case, the privacy officer and the client use it: a
//! request phoned in is registered with its channel and day received and gets a
//! reference; identity is recorded and an ID copy is refused without a trace; nothing is
//! granted before identity; the deadlines come from each organisation's policy, at month
//! ends and with the one extension Blijf Groep allows and LEVgroep does not; the queue
//! flags what is due within a week and what is overdue; an overdue request escalates
//! once, with a mail that names no one; and the client sees the outcome in the portal.

use chrono::Duration;
use serde_json::json;
use zv_core::Actor;
use zv_core::mail::Mailer;
use zv_core::requests::KIND_REQUEST_OVERDUE;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, Role};
use zv_testkit::smtp::SmtpReceiver;
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{engines, file_contains, files_under};

use crate::api::{Api, conforms, make_token};
use crate::fixtures::{self, get_file, pdf_text};

const CLIENT_NAME: &str = "Amal Haddad";
/// What the client asked on the phone, in the worker's words: content, never in a log.
const ASKED: &str = "GEBELD-VERZOEK-7T wil alles zien";
/// Bytes of a would-be ID copy: found in no database file afterwards.
const ID_COPY: &[u8] = b"PASPOORT-KOPIE-MRZ-P<NLDHADDAD<<AMAL<<<<<<<<";

struct Scene {
    worker: Actor,
    staff: WebClient,
    officer: WebClient,
    officer_secret: String,
    colleague: WebClient,
    client: ClientId,
}

/// A client of an assigned worker; the worker, a colleague of another team and the
/// privacy officer signed in.
async fn scene(s: &TestServer) -> Scene {
    let team = s.t.first_team();
    let service = s.t.app.policy().service_types()[0].code.clone();
    let other_team = s.t.app.policy().teams()[1].code.clone();
    let people = fixtures::staff(s, &team, &other_team).await;
    let (client, _) =
        s.t.intake(&people.worker, CLIENT_NAME, "1984-05-06", &service)
            .await;
    Scene {
        worker: people.worker,
        staff: people.staff,
        officer: people.officer,
        officer_secret: people.officer_secret,
        colleague: people.colleague,
        client,
    }
}

/// Posts the registration form on the client's page as the worker fills it in.
async fn register(c: &WebClient, client: ClientId, fields: &[(&str, &str)]) -> Page {
    let path = format!("/clienten/{client}/verzoeken/nieuw");
    let page = c.get(&path).await;
    let mut form = vec![("csrf", page.csrf())];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(&path, &form).await
}

/// The privacy officer registers a request (received on `received`) and gets its id.
async fn officer_registers(c: &WebClient, client: ClientId, kind: &str, received: &str) -> String {
    let page = c.get("/privacy/verzoeken/nieuw").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let client = client.to_string();
    let done = c
        .post(
            "/privacy/verzoeken/nieuw",
            &[
                ("csrf", &page.csrf()),
                ("client", &client),
                ("kind", kind),
                ("channel", "letter"),
                ("received_on", received),
                ("scope", "all"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    done.location()
        .unwrap()
        .trim_start_matches("/privacy/verzoeken/")
        .to_owned()
}

/// Posts one of the handling forms of a request's page.
async fn step(c: &WebClient, id: &str, what: &str, fields: &[(&str, &str)]) -> Page {
    let page = c.get(&format!("/privacy/verzoeken/{id}")).await;
    let mut form = vec![("csrf", page.csrf())];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(&format!("/privacy/verzoeken/{id}/{what}"), &form)
        .await
}

async fn record_identity(c: &WebClient, id: &str, on: &str) -> Page {
    step(
        c,
        id,
        "identiteit",
        &[
            ("method", "in_person"),
            ("on", on),
            ("note", "Gezien aan de balie door de FG"),
        ],
    )
    .await
}

// promise: RTS-1
#[tokio::test(flavor = "multi_thread")]
async fn the_worker_registers_a_phoned_in_request_with_its_channel_and_day() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let form = sc
            .staff
            .get(&format!("/clienten/{}/verzoeken/nieuw", sc.client))
            .await;
        assert_eq!(form.status, 200, "{engine:?}: {}", form.body);
        for shown in ["Telefoon", "Brief", "E-mail", "In een gesprek", "Inzage"] {
            assert!(form.body.contains(shown), "{shown}");
        }

        // Refused per field in Dutch, what was typed kept, nothing stored.
        let refused = register(
            &sc.staff,
            sc.client,
            &[
                ("channel", "portal"),
                ("received_on", "2026-12-01"),
                ("scope", "all"),
                ("text", ASKED),
            ],
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for message in [
            "Kies welk verzoek de cliënt doet.",
            "Kies hoe het verzoek binnenkwam",
            "Vul de dag van ontvangst in (niet in de toekomst).",
        ] {
            assert!(refused.body.contains(message), "{message}");
        }
        assert!(refused.body.contains(&format!(">{ASKED}</textarea>")));
        assert_eq!(s.t.app.count_filings().await.unwrap(), (0, 0));

        // Phoned in yesterday: a reference at once.
        let done = register(
            &sc.staff,
            sc.client,
            &[
                ("kind", "access"),
                ("channel", "phone"),
                ("received_on", "2026-11-21"),
                ("scope", "all"),
                ("text", ASKED),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let ack = sc.staff.get(done.location().unwrap()).await;
        assert!(
            ack.body
                .contains("geregistreerd met kenmerk <strong class=\"reference\">VZ-2026-000001")
        );
        // The worker registers, but does not read requests back.
        assert_eq!(sc.staff.get("/privacy/verzoeken").await.status, 403);

        // Nobody else on the client's behalf: a colleague of another team.
        let elsewhere = sc
            .colleague
            .get(&format!("/clienten/{}/verzoeken/nieuw", sc.client))
            .await;
        assert_eq!(elsewhere.status, 404);
        let csrf = sc.colleague.get("/").await.csrf();
        let forged = sc
            .colleague
            .post(
                &format!("/clienten/{}/verzoeken/nieuw", sc.client),
                &[
                    ("csrf", &csrf),
                    ("kind", "erasure"),
                    ("channel", "letter"),
                    ("received_on", "2026-11-20"),
                    ("scope", "all"),
                ],
            )
            .await;
        assert_eq!(forged.status, 404);
        assert_eq!(s.t.app.count_filings().await.unwrap(), (1, 0));

        // The privacy officer sees it with its channel, day and deadlines.
        let queue = sc.officer.get("/privacy/verzoeken").await;
        assert_eq!(queue.status, 200, "{}", queue.body);
        for shown in ["VZ-2026-000001", "Telefoon", "2026-11-21", "2026-12-05"] {
            assert!(queue.body.contains(shown), "{shown}");
        }
        let id =
            s.t.app
                .request_queue(&s.t.staff("fg.x", Role::PrivacyOfficer, None).await)
                .await
                .unwrap()[0]
                .line
                .id;
        let detail = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(detail.body.contains(ASKED) && detail.body.contains(CLIENT_NAME));
        assert!(detail.body.contains("Geregistreerd door"));
        assert!(
            detail
                .body
                .contains(&format!("/privacy/verzoeken/{id}/kopie")),
            "an access request links to the copy"
        );

        // The privacy officer registers a letter too.
        let by_letter = officer_registers(&sc.officer, sc.client, "erasure", "2026-11-20").await;
        assert!(!by_letter.is_empty());

        // Recorded on the ground of the request, naming the client by id only.
        let events = fixtures::client_events(
            &s,
            &s.t.staff("fg.y", Role::PrivacyOfficer, None).await,
            sc.client,
        )
        .await;
        let created: Vec<_> = events
            .iter()
            .filter(|e| {
                e.event.action == AuditAction::Create
                    && e.event.object == AuditObject::RightsRequest
                    && e.event.outcome == zv_domain::AuditOutcome::Success
            })
            .collect();
        assert_eq!(created.len(), 2);
        assert!(
            created
                .iter()
                .all(|e| e.event.purpose == zv_domain::Purpose::RightsRequest)
        );
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("GEBELD-VERZOEK") && !text.contains("Haddad"),
                "{text}"
            );
        }
    }
}

// promise: RTS-2
#[tokio::test(flavor = "multi_thread")]
async fn identity_is_recorded_before_a_grant_and_an_id_copy_is_refused_without_a_trace() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let id = officer_registers(&sc.officer, sc.client, "copy", "2026-11-20").await;
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(page.body.contains("nog niet vastgesteld"));

        // No grant before identity: the decision is refused and nothing changes.
        let early = step(
            &sc.officer,
            &id,
            "besluit",
            &[("outcome", "granted"), ("answer_sent_on", "2026-11-22")],
        )
        .await;
        assert_eq!(early.status, 422, "{engine:?}: {}", early.body);
        assert!(early.body.contains(
            "kan pas worden toegewezen als de identiteit van de verzoeker is vastgesteld"
        ));
        assert!(early.body.contains("value=\"granted\" checked"), "kept");

        // An ID copy on the identity form: refused, explained, nothing stored.
        let csrf = page.csrf();
        let upload = sc
            .officer
            .upload(
                &format!("/privacy/verzoeken/{id}/identiteit"),
                &csrf,
                "paspoort.jpg",
                "image/jpeg",
                ID_COPY.to_vec(),
            )
            .await;
        assert_eq!(upload.status, 422, "{}", upload.body);
        for said in [
            "Een kopie van een identiteitsbewijs nemen wij niet aan en bewaren wij niet",
            "persoonlijk tonen",
            "nooit een kopie te sturen",
            "vernietig die dan en bewaar haar niet",
        ] {
            assert!(upload.body.contains(said), "{said}");
        }
        let officer = s.t.staff("fg.x", Role::PrivacyOfficer, None).await;
        let uuid: uuid::Uuid = id.parse().unwrap();
        let h = s.t.app.request_handling(&officer, uuid).await.unwrap();
        assert!(h.identity.is_none(), "nothing recorded");
        if engine == zv_testkit::Engine::Sqlite {
            for f in files_under(s.t.data_dir()) {
                assert!(!file_contains(&f, ID_COPY), "{}", f.display());
            }
        }

        // Through the API too: 422 on `id_copy`, nothing stored.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let refused = api
            .post(
                &format!("/requests/{id}/identity"),
                &json!({"method": "in_person", "on": "2026-11-21", "id_copy": "base64-PASPOORT"}),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "id_copy");
        conforms(&doc, "post", "/requests/{id}/identity", &refused);
        assert!(
            s.t.app
                .request_handling(&officer, uuid)
                .await
                .unwrap()
                .identity
                .is_none()
        );

        // Seen in person: recorded with who and when; then granted and closed.
        let bad_day = record_identity(&sc.officer, &id, "2026-12-24").await;
        assert_eq!(bad_day.status, 422);
        assert!(
            bad_day
                .body
                .contains("Vul een dag in tussen de dag van ontvangst en vandaag.")
        );
        let done = record_identity(&sc.officer, &id, "2026-11-21").await;
        assert_eq!(done.status, 303, "{}", done.body);
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(
            page.body
                .contains("Persoonlijk gezien, identiteitsbewijs getoond")
        );
        assert!(page.body.contains("Gezien aan de balie door de FG"));
        let granted = step(
            &sc.officer,
            &id,
            "besluit",
            &[("outcome", "granted"), ("answer_sent_on", "2026-11-22")],
        )
        .await;
        assert_eq!(granted.status, 303, "{}", granted.body);
        let h = s.t.app.request_handling(&officer, uuid).await.unwrap();
        assert_eq!(h.filed.detail.line.status.code(), "closed");
        let one = api.get(&format!("/requests/{id}/handling")).await;
        assert_eq!(one.status, 200, "{}", one.text());
        conforms(&doc, "get", "/requests/{id}/handling", &one);
        assert_eq!(one.json["identity"]["method"], "in_person");
        assert_eq!(one.json["outcome"]["outcome"], "granted");

        // A request from the portal: identity recorded by the sign-in itself.
        let portal = fixtures::portal(&s, &sc.staff, sc.client, "amal").await;
        let form = portal.get("/portaal/verzoeken").await;
        let filed = portal
            .post(
                "/portaal/verzoeken",
                &[("csrf", &form.csrf()), ("kind", "access"), ("scope", "all")],
            )
            .await;
        assert_eq!(filed.status, 303, "{}", filed.body);
        let queue = s.t.app.request_queue(&officer).await.unwrap();
        assert_eq!(
            queue[0].identity,
            Some(zv_core::requests::IdentityMethod::PortalSecondFactor)
        );
    }
}

// promise: RTS-3
#[tokio::test(flavor = "multi_thread")]
async fn blijf_groep_deadlines_at_month_ends_extend_once_within_the_first_month() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let sc = scene(&s).await;
        // Received 31 October: one month is 30 November; the extension adds two months.
        let id = officer_registers(&sc.officer, sc.client, "access", "2026-10-31").await;
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("Reageren uiterlijk: 2026-11-30"));
        assert!(page.body.contains("Afhandelen uiterlijk: 2026-11-30"));
        assert!(page.body.contains("nog 8 dagen"));

        let short = step(&sc.officer, &id, "verlenging", &[("reasons", "kort")]).await;
        assert_eq!(short.status, 422);
        assert!(short.body.contains("Schrijf de redenen op"));
        assert!(short.body.contains(">kort</textarea>"));
        let extended = step(
            &sc.officer,
            &id,
            "verlenging",
            &[(
                "reasons",
                "Het dossier is omvangrijk en loopt over drie trajecten.",
            )],
        )
        .await;
        assert_eq!(extended.status, 303, "{}", extended.body);
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(
            page.body.contains("Afhandelen uiterlijk: 2027-01-30"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Verlengd op 2026-11-22"));

        // Once only: a second extension is refused.
        let officer = s.t.staff("fg.x", Role::PrivacyOfficer, None).await;
        let uuid: uuid::Uuid = id.parse().unwrap();
        let again =
            s.t.app
                .extend_request(&officer, uuid, "Nogmaals verlengen graag")
                .await;
        assert!(
            matches!(again, Err(zv_core::CoreError::Conflict(ref m)) if m == zv_core::requests::EXTENSION_TWICE)
        );

        // Received 1 October: the first month ended on 1 November, too late to extend.
        let late = officer_registers(&sc.officer, sc.client, "erasure", "2026-10-01").await;
        let page = sc.officer.get(&format!("/privacy/verzoeken/{late}")).await;
        assert!(page.body.contains("Afhandelen uiterlijk: 2026-11-01"));
        assert!(
            page.body.contains("die is voorbij"),
            "the form says why not"
        );
        let refused = step(
            &sc.officer,
            &late,
            "verlenging",
            &[("reasons", "Het dossier is omvangrijk en complex.")],
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains("binnen de eerste termijn na ontvangst worden gemeld")
        );
        let h =
            s.t.app
                .request_handling(&officer, late.parse().unwrap())
                .await
                .unwrap();
        assert!(h.extension.is_none(), "nothing changed");
    }
}

// promise: RTS-3
#[tokio::test(flavor = "multi_thread")]
async fn levgroep_reacts_in_two_weeks_completes_in_four_and_allows_no_extension() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let id = officer_registers(&sc.officer, sc.client, "rectification", "2026-10-31").await;
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(
            page.body.contains("Reageren uiterlijk: 2026-11-14"),
            "{engine:?}"
        );
        assert!(page.body.contains("Afhandelen uiterlijk: 2026-11-28"));
        assert!(page.body.contains("8 dagen te laat"));
        assert!(
            page.body
                .contains("staat geen verlenging van de termijn toe")
        );
        let refused = step(
            &sc.officer,
            &id,
            "verlenging",
            &[("reasons", "Het dossier is omvangrijk en complex.")],
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains("staat geen verlenging van de termijn toe")
        );

        // The reaction recorded: the completion counts next.
        let reacted = step(
            &sc.officer,
            &id,
            "reactie",
            &[("responded_on", "2026-11-10")],
        )
        .await;
        assert_eq!(reacted.status, 303, "{}", reacted.body);
        let page = sc.officer.get(&format!("/privacy/verzoeken/{id}")).await;
        assert!(page.body.contains("Gereageerd op 2026-11-10"));
        assert!(page.body.contains("nog 6 dagen"));
    }
}

// promise: RTS-3
#[tokio::test(flavor = "multi_thread")]
async fn the_queue_flags_due_soon_and_overdue_and_an_overdue_request_escalates_once() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        // Today is 22 November. Reaction due 6 December, 26 November, 15 November.
        let fresh = officer_registers(&sc.officer, sc.client, "access", "2026-11-22").await;
        let soon = officer_registers(&sc.officer, sc.client, "objection", "2026-11-12").await;
        let late = officer_registers(&sc.officer, sc.client, "erasure", "2026-11-01").await;
        let queue = sc.officer.get("/privacy/verzoeken").await;
        let row = |id: &str| {
            queue
                .body
                .split(&format!("<tr id=\"queue-{id}\""))
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .unwrap()
                .to_owned()
        };
        assert!(row(&fresh).contains("nog 14 dagen"), "{engine:?}");
        assert!(!row(&fresh).contains("class=\"flag"));
        assert!(row(&soon).contains("binnen een week") && row(&soon).contains("nog 4 dagen"));
        assert!(row(&late).contains(">te laat<") && row(&late).contains("7 dagen te laat"));
        assert!(!queue.body.contains("Over de termijn"), "not escalated yet");

        // The API says the same.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let q = api.get("/request-queue").await;
        assert_eq!(q.status, 200, "{}", q.text());
        conforms(&doc, "get", "/request-queue", &q);
        let lines = q.json.as_array().unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], late.as_str(), "the most urgent first");
        assert_eq!(lines[0]["deadlines"]["overdue"], true);
        assert_eq!(lines[1]["deadlines"]["due_soon"], true);

        // Escalation: one notice, one mail, without the client or the request's text.
        let report = s.t.app.escalate_overdue_requests("test").await.unwrap();
        assert_eq!((report.escalated, report.already), (1, 0));
        let queued = s.t.app.unsent_mail().await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].kind, KIND_REQUEST_OVERDUE);
        let receiver = SmtpReceiver::start().await;
        let mailer = Mailer::new(&receiver.settings()).unwrap();
        s.t.app.send_due_mail(&mailer).await.unwrap();
        let received = receiver.received();
        assert_eq!(received.len(), 1);
        let mail = &received[0];
        let text = format!(
            "{}\n{}",
            mail.header("Subject").unwrap_or_default(),
            mail.text()
        );
        assert!(
            text.contains("VZ-2026-000003") && text.contains("15-11-2026"),
            "{text}"
        );
        assert!(text.contains(&format!("/privacy/verzoeken/{late}")));
        for never in ["Haddad", "Amal", "1984", &sc.client.to_string()] {
            assert!(!text.contains(never), "{never} in:\n{text}");
        }
        let queue = sc.officer.get("/privacy/verzoeken").await;
        assert!(queue.body.contains(&format!("id=\"escalated-{late}\"")));
        // The notice is on the privacy officer's start page too, not on a worker's.
        let home = sc.officer.get("/").await;
        assert!(
            home.body.contains("id=\"verzoeken-over-termijn\"")
                && home
                    .body
                    .contains(&format!("href=\"/privacy/verzoeken/{late}\"")),
            "{}",
            home.body
        );
        assert!(
            !sc.staff
                .get("/")
                .await
                .body
                .contains("verzoeken-over-termijn")
        );

        // Safe to run again: nothing new.
        let again = s.t.app.escalate_overdue_requests("test").await.unwrap();
        assert_eq!((again.escalated, again.already), (0, 1));
        assert!(s.t.app.unsent_mail().await.unwrap().is_empty());
        s.t.app.send_due_mail(&mailer).await.unwrap();
        assert_eq!(receiver.received().len(), 1);

        // Handled: the notice goes with the request.
        record_identity(&sc.officer, &late, "2026-11-02").await;
        let done = step(
            &sc.officer,
            &late,
            "besluit",
            &[
                ("outcome", "refused"),
                ("reasons", "Wettelijke bewaarplicht van toepassing."),
                ("answer_sent_on", "2026-11-22"),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let queue = sc.officer.get("/privacy/verzoeken").await;
        assert!(!queue.body.contains(&format!("id=\"escalated-{late}\"")));
        assert!(!queue.body.contains(&format!("id=\"queue-{late}\"")));
        assert!(
            !sc.officer
                .get("/")
                .await
                .body
                .contains("verzoeken-over-termijn")
        );

        // The clock moves on: the request due soon becomes overdue and escalates.
        s.t.clock.advance(Duration::days(5));
        let later = s.t.app.escalate_overdue_requests("test").await.unwrap();
        assert_eq!(later.escalated, 1);
        let _ = (&soon, &sc.officer_secret);
    }
}

// promise: RTS-3
#[tokio::test(flavor = "multi_thread")]
async fn the_client_sees_deadlines_and_the_outcome_in_the_portal() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let portal = fixtures::portal(&s, &sc.staff, sc.client, "amal").await;
        let form = portal.get("/portaal/verzoeken").await;
        let filed = portal
            .post(
                "/portaal/verzoeken",
                &[
                    ("csrf", &form.csrf()),
                    ("kind", "erasure"),
                    ("scope", "all"),
                ],
            )
            .await;
        assert_eq!(filed.status, 303, "{engine:?}: {}", filed.body);
        let mine = portal.get("/portaal/verzoeken").await;
        assert!(mine.body.contains("Wij reageren uiterlijk op 2026-12-06"));
        assert!(
            mine.body
                .contains("Wij handelen het af uiterlijk op 2026-12-20")
        );

        let officer = s.t.staff("fg.x", Role::PrivacyOfficer, None).await;
        let id = s.t.app.request_queue(&officer).await.unwrap()[0]
            .line
            .id
            .to_string();
        let refused = step(
            &sc.officer,
            &id,
            "besluit",
            &[
                ("outcome", "partly_granted"),
                ("answer_sent_on", "2026-11-22"),
            ],
        )
        .await;
        assert_eq!(refused.status, 422, "reasons are required");
        assert!(refused.body.contains("Schrijf de redenen op"));
        let decided = step(
            &sc.officer,
            &id,
            "besluit",
            &[
                ("outcome", "partly_granted"),
                (
                    "reasons",
                    "REDEN-BESLUIT-5K: gegevens over uw broer blijven staan.",
                ),
                ("answer_sent_on", "2026-11-22"),
            ],
        )
        .await;
        assert_eq!(decided.status, 303, "{}", decided.body);
        let mine = portal.get("/portaal/verzoeken").await;
        for shown in [
            "Gedeeltelijk toegewezen",
            "REDEN-BESLUIT-5K",
            "antwoord verstuurd op 2026-11-22",
            "afgehandeld",
            "Autoriteit Persoonsgegevens",
        ] {
            assert!(mine.body.contains(shown), "{shown}");
        }
        assert!(
            !mine.body.contains("Wij reageren uiterlijk"),
            "closed: no deadline"
        );
        // Decided once: a second decision is refused.
        let again = step(
            &sc.officer,
            &id,
            "besluit",
            &[
                ("outcome", "refused"),
                ("reasons", "Toch anders besloten."),
                ("answer_sent_on", "2026-11-22"),
            ],
        )
        .await;
        assert_eq!(again.status, 422);
        assert!(again.body.contains("al afgehandeld"));
    }
}

// promise: RTS-1
#[tokio::test(flavor = "multi_thread")]
async fn only_the_privacy_officer_reads_the_queue_and_handles_requests() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let id = officer_registers(&sc.officer, sc.client, "access", "2026-11-20").await;
        for c in [&sc.staff, &sc.colleague] {
            assert_eq!(c.get("/privacy/verzoeken").await.status, 403, "{engine:?}");
            assert_eq!(c.get(&format!("/privacy/verzoeken/{id}")).await.status, 404);
            let csrf = c.get("/").await.csrf();
            let tried = c
                .post(
                    &format!("/privacy/verzoeken/{id}/reactie"),
                    &[("csrf", &csrf), ("responded_on", "2026-11-21")],
                )
                .await;
            assert_eq!(tried.status, 404);
        }
        let officer = s.t.staff("fg.x", Role::PrivacyOfficer, None).await;
        let h =
            s.t.app
                .request_handling(&officer, id.parse().unwrap())
                .await
                .unwrap();
        assert!(h.responded_on.is_none(), "nothing changed");
        // Through the API: a worker's token lacks the scope; the worker registers.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let worker_api = Api::new(
            &s,
            &make_token(&sc.staff, "werk", &["read", "write"], &expires).await,
        );
        assert_eq!(worker_api.get("/request-queue").await.status, 403);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let made = worker_api
            .post(
                &format!("/clients/{}/requests", sc.client),
                &json!({"kind": "objection", "channel": "email", "received_on": "2026-11-21"}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        conforms(&doc, "post", "/clients/{id}/requests", &made);
        assert!(
            made.json["reference"]
                .as_str()
                .unwrap()
                .starts_with("VZ-2026-")
        );
        let bad = worker_api
            .post(
                &format!("/clients/{}/requests", sc.client),
                &json!({"kind": "objection", "channel": "portal", "received_on": "2026-11-21"}),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json["field"], "channel");
        let _ = &sc.worker;
    }
}

/// The letter of a request in a language, as the privacy officer downloads it.
async fn letter_text(c: &WebClient, id: &str, lang: &str) -> String {
    let (status, kind, bytes) = get_file(
        c,
        &format!("/privacy/verzoeken/{id}/besluitbrief?taal={lang}"),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    assert!(bytes.starts_with(b"%PDF"));
    pdf_text(&bytes)
}

const REFUSAL: &str = "BEWAARPLICHT-REDEN-3R: de wet verplicht ons het dossier te bewaren.";
const PARTLY: &str = "DEELS-REDEN-8P: gegevens over uw broer blijven buiten de kopie.";

// promise: RTS-4
#[tokio::test(flavor = "multi_thread")]
async fn decision_letters_give_the_reasons_and_the_way_to_the_authority_and_court_in_dutch_and_english()
 {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let refused = officer_registers(&sc.officer, sc.client, "erasure", "2026-11-10").await;
        let partly = officer_registers(&sc.officer, sc.client, "access", "2026-11-12").await;

        // The request page is the hub: it links to where each kind is carried out.
        let page = sc
            .officer
            .get(&format!("/privacy/verzoeken/{refused}"))
            .await;
        assert!(
            page.body.contains(&format!(
                "href=\"/privacy/verzoeken/{refused}/verwijdering\""
            )),
            "{engine:?}: {}",
            page.body
        );
        assert!(!page.body.contains("besluitbrief"), "no letter while open");
        let page = sc
            .officer
            .get(&format!("/privacy/verzoeken/{partly}"))
            .await;
        assert!(
            page.body
                .contains(&format!("href=\"/privacy/verzoeken/{partly}/kopie\""))
        );
        // A restriction is carried out on the client's rights page, with the request's id
        // filled in on its forms.
        let restrict = officer_registers(&sc.officer, sc.client, "restriction", "2026-11-13").await;
        let page = sc
            .officer
            .get(&format!("/privacy/verzoeken/{restrict}"))
            .await;
        let rights = format!("/clienten/{}/rechten?verzoek={restrict}", sc.client);
        assert!(page.body.contains(&rights), "{engine:?}: {}", page.body);
        let rights_page = sc.officer.get(&rights).await;
        assert!(
            rights_page
                .body
                .contains(&format!("name=\"request\" value=\"{restrict}\"")),
            "{engine:?}: {}",
            rights_page.body
        );
        let (status, _, _) = get_file(
            &sc.officer,
            &format!("/privacy/verzoeken/{partly}/besluitbrief"),
        )
        .await;
        assert_eq!(status, 404, "an open request has no letter");

        let done = step(
            &sc.officer,
            &refused,
            "besluit",
            &[
                ("outcome", "refused"),
                ("reasons", REFUSAL),
                ("answer_sent_on", "2026-11-20"),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        record_identity(&sc.officer, &partly, "2026-11-13").await;
        let done = step(
            &sc.officer,
            &partly,
            "besluit",
            &[
                ("outcome", "partly_granted"),
                ("reasons", PARTLY),
                ("answer_sent_on", "2026-11-21"),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let page = sc
            .officer
            .get(&format!("/privacy/verzoeken/{refused}"))
            .await;
        assert!(page.body.contains(&format!(
            "href=\"/privacy/verzoeken/{refused}/besluitbrief?taal=en\""
        )));

        let nl = letter_text(&sc.officer, &refused, "nl").await;
        for shown in [
            "Besluit op uw verzoek",
            "VZ-2026-000001",
            "om verwijdering van uw gegevens",
            "2026-11-10",
            "Wij hebben uw verzoek afgewezen.",
            "BEWAARPLICHT-REDEN-3R",
            "Autoriteit Persoonsgegevens",
            "het recht om naar de rechter te gaan",
            CLIENT_NAME,
        ] {
            assert!(nl.contains(shown), "{shown} in {nl}");
        }
        let en = letter_text(&sc.officer, &refused, "en").await;
        for shown in [
            "Decision on your request",
            "We have refused your request.",
            "BEWAARPLICHT-REDEN-3R",
            "Autoriteit Persoonsgegevens",
            "the right to go to court",
        ] {
            assert!(en.contains(shown), "{shown} in {en}");
        }
        let nl = letter_text(&sc.officer, &partly, "nl").await;
        for shown in [
            "Wij hebben uw verzoek gedeeltelijk toegewezen.",
            "om inzage in uw gegevens",
            "DEELS-REDEN-8P",
            "Autoriteit Persoonsgegevens",
            "naar de rechter",
        ] {
            assert!(nl.contains(shown), "{shown} in {nl}");
        }
        let en = letter_text(&sc.officer, &partly, "en").await;
        assert!(en.contains("We have granted your request in part."), "{en}");
        assert!(en.contains("DEELS-REDEN-8P") && en.contains("go to court"));
        let (status, _, _) = get_file(
            &sc.officer,
            &format!("/privacy/verzoeken/{refused}/besluitbrief?taal=fr"),
        )
        .await;
        assert_eq!(status, 422, "only Dutch or English");

        // Nobody but the privacy officer: a worker on the case and a colleague get 404.
        for c in [&sc.staff, &sc.colleague] {
            let (status, _, _) =
                get_file(c, &format!("/privacy/verzoeken/{refused}/besluitbrief")).await;
            assert_eq!(status, 404);
        }

        // The API gives the same letter.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let token = make_token(&sc.officer, "fg", &["audit"], &expires).await;
        let get_api = |path: String| {
            let token = token.clone();
            let base = s.base.clone();
            async move {
                let r = reqwest::Client::new()
                    .get(format!("{base}/api/v1{path}"))
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let kind = r
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                (status, kind, r.bytes().await.unwrap().to_vec())
            }
        };
        let (status, kind, bytes) =
            get_api(format!("/requests/{partly}/decision-letter?lang=en")).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(kind, "application/pdf");
        let text = pdf_text(&bytes);
        assert!(text.contains("DEELS-REDEN-8P") && text.contains("go to court"));
        let (status, _, _) = get_api(format!("/requests/{partly}/decision-letter?lang=xx")).await;
        assert_eq!(status, 422);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        assert!(
            doc["paths"]["/requests/{id}/decision-letter"]["get"].is_object(),
            "documented"
        );

        // Each download is an export recorded at the gate, naming no reasons.
        let fg = s.t.staff("fg.brief", Role::PrivacyOfficer, None).await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let letters = events
            .iter()
            .filter(|e| {
                e.event.action == AuditAction::Export
                    && e.event.outcome == AuditOutcome::Success
                    && e.event.object == AuditObject::RightsRequest
                    && e.event
                        .detail
                        .as_deref()
                        .is_some_and(|d| d.contains("decision letter"))
            })
            .count();
        assert_eq!(letters, 5, "four pages and one API download");
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(!text.contains("BEWAARPLICHT-REDEN") && !text.contains("DEELS-REDEN"));
        }
    }
}

// promise: RTS-4
#[tokio::test(flavor = "multi_thread")]
async fn a_client_downloads_the_letter_of_their_own_request_only() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let portal = fixtures::portal(&s, &sc.staff, sc.client, "amal").await;
        let service = s.t.app.policy().service_types()[0].code.clone();
        let (other, _) =
            s.t.intake(&sc.worker, "Bram de Vries", "1990-01-02", &service)
                .await;
        let other_portal = fixtures::portal(&s, &sc.staff, other, "bram").await;

        let form = portal.get("/portaal/verzoeken").await;
        let filed = portal
            .post(
                "/portaal/verzoeken",
                &[("csrf", &form.csrf()), ("kind", "access"), ("scope", "all")],
            )
            .await;
        assert_eq!(filed.status, 303, "{engine:?}: {}", filed.body);
        let fg = s.t.staff("fg.y", Role::PrivacyOfficer, None).await;
        let id = s.t.app.request_queue(&fg).await.unwrap()[0]
            .line
            .id
            .to_string();
        let path = format!("/portaal/verzoeken/{id}/besluitbrief");
        assert_eq!(get_file(&portal, &path).await.0, 404, "not decided yet");
        assert!(!portal.get("/portaal/verzoeken").await.body.contains(&path));

        let done = step(
            &sc.officer,
            &id,
            "besluit",
            &[
                ("outcome", "partly_granted"),
                ("reasons", PARTLY),
                ("answer_sent_on", "2026-11-22"),
            ],
        )
        .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let mine = portal.get("/portaal/verzoeken").await;
        assert!(
            mine.body.contains(&format!("{path}?taal=nl")),
            "{}",
            mine.body
        );
        assert!(mine.body.contains(&format!("{path}?taal=en")));
        let (status, kind, bytes) = get_file(&portal, &format!("{path}?taal=nl")).await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/pdf");
        let text = pdf_text(&bytes);
        assert!(text.contains("DEELS-REDEN-8P") && text.contains("Autoriteit Persoonsgegevens"));
        let (status, _, bytes) = get_file(&portal, &format!("{path}?taal=en")).await;
        assert_eq!(status, 200);
        assert!(pdf_text(&bytes).contains("We have granted your request in part."));

        // Another client's session: not found, and not in their list.
        assert_eq!(get_file(&other_portal, &path).await.0, 404);
        assert!(
            !other_portal
                .get("/portaal/verzoeken")
                .await
                .body
                .contains(&id)
        );
        // Without a portal session: no letter.
        assert_ne!(get_file(&s.client(), &path).await.0, 200);

        // The client's download is recorded as their own access.
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        assert!(events.iter().any(|e| e.event.action == AuditAction::Export
            && e.event.role == "client"
            && format!("{:?}", e.event).contains("decision letter")));
    }
}
