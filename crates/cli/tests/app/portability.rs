//! Data portability (RTS-8, AVG art. 20) through HTTP on both engines, as the privacy
//! officer and the client use it: only trajectories on consent or contract are in the
//! file, only data the client provided (personal details, goals), never a work note, a
//! staff report, a withheld entry, a related person or another client; the client
//! downloads it once in the portal; a transfer to an organisation outside the EEA is
//! refused field by field and nothing is recorded; a transfer inside it is downloaded
//! once by the privacy officer and recorded; Blijf Groep, with no such processing,
//! refuses with the reason; a caseworker is refused.

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::clients::NewClientInput;
use zv_core::related::RelatedPersonInput;
use zv_core::requests::{Channel, NewRegisteredRequest, Outcome, RequestKind, RequestScope};
use zv_core::trajectories::TrajectoryInput;
use zv_core::withholdings::{Ground, NewWithholding, Scope};
use zv_domain::{
    Address, AuditAction, BirthDate, ClientId, Email, EntryContent, EntryKind, Gender, PersonName,
    Phone, RelationKind, Role,
};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

/// The client's details as given.
const ADDRESS: &str = "Dorpsstraat 12 ADRES-PORT-6D";
const EMAIL: &str = "amal.port@example.nl";
/// A goal in the group-activities trajectory (consent): in the file.
const GOAL: &str = "DOEL-GROEP-7K";
/// A report a professional wrote in that trajectory: not provided by the client.
const REPORT: &str = "VERSLAG-GROEP-3R";
/// A goal withheld as a whole.
const WITHHELD: &str = "DOEL-WEG-5W";
/// A work note in the group trajectory.
const NOTE: &str = "NOTITIE-GROEP-1N";
/// A goal in the general social work trajectory (public task): excluded.
const AMW_GOAL: &str = "DOEL-AMW-4A";
/// A related person of the client.
const RELATED: &str = "Joris Relatienaam";
/// Another client's group trajectory.
const OTHER: &str = "ANDERE-CLIENT-9Q";

struct Scene {
    staff: WebClient,
    officer: WebClient,
    portal: WebClient,
    client: ClientId,
}

fn content(title: &str, body: &str, progress: Option<u8>) -> EntryContent {
    EntryContent {
        title: title.to_owned(),
        body: body.to_owned(),
        progress,
    }
}

async fn scene(s: &TestServer) -> Scene {
    let people = fixtures::staff(s, "amw-helmond", "amw-helmond").await;
    let worker = people.worker.clone();
    let app = &s.t.app;
    let today = s.t.clock_today();
    let (client, amw) = app
        .register_client(
            &worker,
            NewClientInput {
                branch: app.policy().branches()[0].code.clone(),
                name: PersonName::parse("Amal Haddad").unwrap(),
                birth_date: BirthDate::parse("1984-05-06", today).unwrap(),
                gender: Gender::Unknown,
                address: Some(Address::parse(ADDRESS).unwrap()),
                phone: Some(Phone::parse("0612345678").unwrap()),
                email: Some(Email::parse(EMAIL).unwrap()),
                confidential_address: false,
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
    let group =
        s.t.open_trajectory(&worker, client, "groepsactiviteiten", "2026-03-01")
            .await;
    app.add_entry(
        &worker,
        group,
        EntryKind::Goal,
        content(&format!("Nederlands oefenen {GOAL}"), "", Some(40)),
        None,
    )
    .await
    .unwrap();
    app.add_entry(
        &worker,
        group,
        EntryKind::ConversationReport,
        content("Gesprek", REPORT, None),
        None,
    )
    .await
    .unwrap();
    let withheld = app
        .add_entry(
            &worker,
            group,
            EntryKind::Goal,
            content(&format!("Doel {WITHHELD}"), "", Some(10)),
            None,
        )
        .await
        .unwrap();
    app.withhold(
        &worker,
        withheld,
        NewWithholding {
            scope: Scope::Entry,
            passage: None,
            ground: Ground::ProtectionOfOthers,
            explanation: "uitleg voor de functionaris".to_owned(),
            hide_fact: false,
        },
    )
    .await
    .unwrap();
    app.add_work_note(&worker, group, &format!("Indruk {NOTE}"))
        .await
        .unwrap();
    app.add_entry(
        &worker,
        amw,
        EntryKind::Goal,
        content(&format!("Schulden op orde {AMW_GOAL}"), "", Some(20)),
        None,
    )
    .await
    .unwrap();
    app.add_related_person(
        &worker,
        client,
        RelatedPersonInput {
            relation: RelationKind::ParentWithAuthority,
            name: PersonName::parse(RELATED).unwrap(),
            birth_date: None,
            phone: None,
            email: None,
            address: None,
            authority_since: Some(date("2026-01-01")),
            mandate: None,
            linked_client: None,
        },
    )
    .await
    .unwrap();
    let (other, _) =
        s.t.intake(&worker, "Bram de Vries", "1990-01-02", "amw")
            .await;
    let other_group =
        s.t.open_trajectory(&worker, other, "groepsactiviteiten", "2026-03-01")
            .await;
    app.add_entry(
        &worker,
        other_group,
        EntryKind::Goal,
        content(OTHER, "", Some(90)),
        None,
    )
    .await
    .unwrap();

    let portal = fixtures::portal(s, &people.staff, client, "amal").await;
    Scene {
        staff: people.staff,
        officer: people.officer,
        portal,
        client,
    }
}

/// The client asks in the portal for their data to take along; the request's id.
async fn file_request(s: &TestServer, p: &WebClient) -> uuid::Uuid {
    fixtures::file_in_portal(s, p, RequestKind::Portability).await
}

async fn post_on(c: &WebClient, page: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let csrf = c.get(page).await.csrf();
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = c.post(path, &form).await;
    (r.status, r.body)
}

async fn exports(s: &TestServer, fg: &zv_core::Actor, request: uuid::Uuid) -> usize {
    s.t.app
        .portability_preview(fg, request)
        .await
        .unwrap()
        .exports
        .len()
}

// promise: RTS-8
#[tokio::test(flavor = "multi_thread")]
async fn the_client_takes_along_only_what_they_provided_on_consent_once_through_the_portal() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_request(&s, &sc.portal).await;
        let page_path = format!("/privacy/verzoeken/{request}/overdracht");

        // The officer sees the group trajectory in and general social work out, with why.
        let page = sc.officer.get(&page_path).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        for shown in [
            "Amal Haddad",
            "Groepsactiviteiten, cursussen en workshops",
            "Algemeen maatschappelijk werk",
            "toestemming",
            "taak van algemeen belang",
            "gedeeltelijk toegewezen",
        ] {
            assert!(page.body.contains(shown), "{shown}: {}", page.body);
        }
        // A caseworker is refused.
        assert_eq!(sc.staff.get(&page_path).await.status, 403);
        let (status, _) = post_on(&sc.staff, "/", &page_path, &[("destination", "client")]).await;
        assert_eq!(status, 403);

        // Prepared for the client.
        let (status, body) = post_on(
            &sc.officer,
            &page_path,
            &page_path,
            &[("destination", "client")],
        )
        .await;
        assert_eq!(status, 303, "{body}");

        // Listed next to the copies; downloaded once through a one-time link.
        let copies = sc.portal.get("/portaal/kopieen").await;
        assert!(
            copies.body.contains("Uw gegevens om mee te nemen"),
            "{}",
            copies.body
        );
        let id = copies
            .body
            .split("action=\"/portaal/overdracht/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_owned();
        let linked = sc
            .portal
            .post(
                &format!("/portaal/overdracht/{id}/link"),
                &[("csrf", &copies.csrf())],
            )
            .await;
        assert_eq!(linked.status, 303, "{}", linked.body);
        let location = linked.location().unwrap().to_owned();
        assert!(location.starts_with("/portaal/overdracht/"), "{location}");
        let file = sc.portal.get(&location).await;
        assert_eq!(file.status, 200, "{}", file.body);
        assert_eq!(
            file.headers["content-type"].to_str().unwrap(),
            "application/json"
        );
        let json: Value = serde_json::from_str(&file.body).unwrap();
        assert_eq!(json["schema"], "zorgvuldig.portability/1");
        assert_eq!(json["subject"]["name"], "Amal Haddad");
        assert_eq!(json["subject"]["birth_date"], "1984-05-06");
        assert_eq!(json["subject"]["email"], EMAIL);
        assert!(json["recipient"].is_null());
        let trajectories = json["trajectories"].as_array().unwrap();
        assert_eq!(trajectories.len(), 1, "{trajectories:?}");
        assert_eq!(trajectories[0]["service"], "groepsactiviteiten");
        assert_eq!(trajectories[0]["legal_basis"], "consent");
        assert_eq!(trajectories[0]["goals"][0]["progress"], 40);
        for shown in [GOAL, ADDRESS, EMAIL, "Amal Haddad"] {
            assert!(file.body.contains(shown), "{shown} in {}", file.body);
        }
        for never in [
            AMW_GOAL,
            REPORT,
            WITHHELD,
            NOTE,
            RELATED,
            OTHER,
            "Bram de Vries",
            "uitleg voor de functionaris",
        ] {
            assert!(!file.body.contains(never), "{never} in {}", file.body);
        }
        // Once only.
        assert_eq!(sc.portal.get(&location).await.status, 404, "a second use");
        assert!(
            sc.portal
                .get("/portaal/kopieen")
                .await
                .body
                .contains("gedownload op")
        );

        // Prepared by the privacy officer, downloaded by the client: both recorded.
        let fg = s.t.staff("fg.c", Role::PrivacyOfficer, None).await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let exported: Vec<&str> = events
            .iter()
            .filter(|e| e.event.action == AuditAction::Export)
            .map(|e| e.event.role.as_str())
            .collect();
        assert!(exported.contains(&"privacy_officer"), "{exported:?}");
        assert!(exported.contains(&"client"), "{exported:?}");
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(!text.contains(GOAL) && !text.contains(ADDRESS), "{text}");
        }
    }
}

// promise: RTS-8
#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_goes_only_inside_the_eea_and_is_recorded_with_its_recipient() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_request(&s, &sc.portal).await;
        let page_path = format!("/privacy/verzoeken/{request}/overdracht");
        let fg0 = s.t.staff("fg.telt", Role::PrivacyOfficer, None).await;

        // Outside the EEA and without a name: refused field by field, nothing recorded.
        let (status, body) = post_on(
            &sc.officer,
            &page_path,
            &page_path,
            &[
                ("destination", "organisation"),
                ("recipient_name", ""),
                ("recipient_country", "US"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {body}");
        assert!(
            body.contains("Vul de naam van de organisatie in."),
            "{body}"
        );
        assert!(
            body.contains("buiten de Europese Economische Ruimte"),
            "{body}"
        );
        assert!(body.contains("value=\"US\""), "what was typed is kept");
        assert_eq!(exports(&s, &fg0, request).await, 0);

        // The API refuses the same, and records nothing either.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let officer = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let path = format!("/requests/{request}/portability");
        let refused = officer
            .post(
                &path,
                &json!({"destination": "organisation", "recipient": {"name": "Zorg AG", "country": "CH"}}),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "recipient_country");
        assert_eq!(exports(&s, &fg0, request).await, 0);

        let preview = officer.get(&path).await;
        assert_eq!(preview.status, 200, "{}", preview.text());
        conforms(&doc, "get", "/requests/{id}/portability", &preview);
        assert_eq!(preview.json["outcome"], "partly_granted");
        assert_eq!(preview.json["excluded"][0]["legal_basis"], "public_task");

        // Inside the EEA: prepared, downloaded once to send, and recorded.
        let prepared = officer
            .post(
                &path,
                &json!({"destination": "organisation", "recipient": {"name": "Buurtzorg Best", "country": "nl"}}),
            )
            .await;
        assert_eq!(prepared.status, 201, "{}", prepared.text());
        conforms(&doc, "post", "/requests/{id}/portability", &prepared);
        let file_id = prepared.json["id"].as_str().unwrap().to_owned();
        let sent = officer
            .post(&format!("{path}/transfers"), &json!({"file": file_id}))
            .await;
        assert_eq!(sent.status, 200, "{}", sent.text());
        let json: Value = serde_json::from_str(&sent.text()).unwrap();
        assert_eq!(json["recipient"]["name"], "Buurtzorg Best");
        assert_eq!(json["recipient"]["country"], "NL");
        assert!(sent.text().contains(GOAL) && !sent.text().contains(AMW_GOAL));
        let again = officer
            .post(&format!("{path}/transfers"), &json!({"file": file_id}))
            .await;
        assert_eq!(again.status, 404, "once");
        let after = officer.get(&path).await;
        let file = &after.json["files"][0];
        assert_eq!(file["recipient_name"], "Buurtzorg Best");
        assert_eq!(file["recipient_country"], "NL");
        assert!(file["downloaded_at"].is_string() && file["downloaded_by"].is_string());
        let page = sc.officer.get(&page_path).await;
        assert!(page.body.contains("Buurtzorg Best (NL)"), "{}", page.body);
        assert!(page.body.contains("gedownload op"));
        let fg = s.t.staff("fg.d", Role::PrivacyOfficer, None).await;
        let auth_events = fixtures::client_events(&s, &fg, sc.client).await;
        assert!(
            auth_events
                .iter()
                .any(|e| format!("{:?}", e.event).contains("transfer to an organisation in NL")),
            "the transfer is recorded"
        );

        // The outcome: partly granted, after identity, with the reasons naming the basis.
        let handling = sc
            .officer
            .get(&format!("/privacy/verzoeken/{request}"))
            .await;
        let identity = sc
            .officer
            .post(
                &format!("/privacy/verzoeken/{request}/identiteit"),
                &[
                    ("csrf", &handling.csrf()),
                    ("method", "in_person"),
                    ("on", &s.t.clock_today().to_string()),
                    ("note", "Gezien aan de balie door de FG"),
                ],
            )
            .await;
        assert_eq!(identity.status, 303, "{}", identity.body);
        let decided = officer
            .post(
                &format!("{path}/decision"),
                &json!({"answer_sent_on": s.t.clock_today().to_string()}),
            )
            .await;
        assert_eq!(decided.status, 200, "{}", decided.text());
        conforms(
            &doc,
            "post",
            "/requests/{id}/portability/decision",
            &decided,
        );
        assert_eq!(decided.json["outcome"], "partly_granted");
        let h = s.t.app.request_handling(&fg, request).await.unwrap();
        let outcome = h.outcome.unwrap();
        assert_eq!(outcome.outcome, Outcome::PartlyGranted);
        assert!(outcome.reasons.unwrap().contains("artikel 20 AVG"));

        // The transfer shows among the recipients of a later access copy.
        let page = sc.portal.get("/portaal/verzoeken").await;
        let filed = sc
            .portal
            .post(
                "/portaal/verzoeken",
                &[("csrf", &page.csrf()), ("kind", "copy"), ("scope", "all")],
            )
            .await;
        assert_eq!(filed.status, 303, "{}", filed.body);
        let copy_request =
            s.t.app
                .filed_requests(&fg)
                .await
                .unwrap()
                .iter()
                .find(|f| f.kind == Some(RequestKind::Copy))
                .unwrap()
                .id;
        s.t.app
            .prepare_access_copy(&fg, copy_request)
            .await
            .unwrap();
        let copies = sc.portal.get("/portaal/kopieen").await;
        let copy_id = copies
            .body
            .split("action=\"/portaal/kopieen/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_owned();
        let linked = sc
            .portal
            .post(
                &format!("/portaal/kopieen/{copy_id}/link"),
                &[("csrf", &copies.csrf())],
            )
            .await;
        let zipped = sc
            .portal
            .http
            .get(format!("{}{}", sc.portal.base, linked.location().unwrap()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped.to_vec())).unwrap();
        let mut copy_json = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("kopie.json").unwrap(), &mut copy_json)
            .unwrap();
        assert!(copy_json.contains("Buurtzorg Best (NL)"), "{copy_json}");

        // A caseworker's token lacks the scope.
        let (_, worker_secret) = s
            .staff("werker2", Role::Caseworker, Some("amw-helmond"))
            .await;
        let worker = s.client();
        worker.sign_in("werker2", &worker_secret).await;
        let worker_api = Api::new(
            &s,
            &make_token(&worker, "werk", &["read", "write"], &expires).await,
        );
        assert_eq!(worker_api.get(&path).await.status, 403);
    }
}

// promise: RTS-8
#[tokio::test(flavor = "multi_thread")]
async fn blijf_groep_has_no_portable_processing_and_refuses_with_the_reason() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (worker, _) = s.staff("hulp", Role::Caseworker, Some(team.as_str())).await;
        let (officer_actor, officer_secret) = s.staff("fg.blijf", Role::PrivacyOfficer, None).await;
        let service = s.t.app.policy().service_types()[0].code.clone();
        let (client, _) =
            s.t.intake(&worker, "Sanne Bakker", "1988-03-04", &service)
                .await;
        let filed =
            s.t.app
                .register_rights_request(
                    &officer_actor,
                    NewRegisteredRequest {
                        client,
                        kind: RequestKind::Portability,
                        scope: RequestScope::All,
                        channel: Channel::Email,
                        received_on: s.t.clock_today(),
                        text: String::new(),
                        filed_by: None,
                    },
                )
                .await
                .unwrap();
        let officer = s.client();
        officer.sign_in("fg.blijf", &officer_secret).await;
        let page_path = format!("/privacy/verzoeken/{}/overdracht", filed.id);
        let page = officer.get(&page_path).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(
            page.body
                .contains("Geen enkel traject in dit verzoek berust op toestemming")
        );
        assert!(page.body.contains("afgewezen"));
        assert!(
            !page.body.contains("Bestand klaarzetten"),
            "nothing to prepare"
        );

        // Preparing anyway is refused and nothing is held.
        let (status, body) = post_on(
            &officer,
            &page_path,
            &page_path,
            &[
                ("destination", "organisation"),
                ("recipient_name", "Fier"),
                ("recipient_country", "NL"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(exports(&s, &officer_actor, filed.id).await, 0);

        // The refusal, with the standard reason naming the legal basis.
        let (status, body) = post_on(
            &officer,
            &page_path,
            &format!("{page_path}/besluit"),
            &[
                ("reasons", ""),
                ("answer_sent_on", &s.t.clock_today().to_string()),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let h =
            s.t.app
                .request_handling(&officer_actor, filed.id)
                .await
                .unwrap();
        let outcome = h.outcome.unwrap();
        assert_eq!(outcome.outcome, Outcome::Refused);
        let reasons = outcome.reasons.unwrap();
        assert!(
            reasons.contains("artikel 20 AVG") && reasons.contains("taak van algemeen belang"),
            "{reasons}"
        );
    }
}

/// The text of a page's reasons field, as a browser sends it back: its line breaks CRLF.
fn offered_reasons(body: &str) -> String {
    body.split("<textarea id=\"reasons\" name=\"reasons\" rows=\"5\">")
        .nth(1)
        .and_then(|r| r.split("</textarea>").next())
        .unwrap_or_else(|| panic!("no reasons field in {body}"))
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace('\n', "\r\n")
}

/// A decision letter's text.
async fn letter(c: &WebClient, path: &str) -> String {
    let (status, kind, bytes) = crate::fixtures::get_file(c, path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    crate::fixtures::pdf_text(&bytes)
}

// promise: RTS-8
#[tokio::test(flavor = "multi_thread")]
async fn the_portability_letter_names_the_services_and_their_basis_in_the_letters_language() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_request(&s, &sc.portal).await;
        let fg = s.t.staff("fg.brief", Role::PrivacyOfficer, None).await;
        s.t.app
            .record_request_identity(
                &fg,
                request,
                zv_core::requests::IdentityInput {
                    method: zv_core::requests::IdentityMethod::InPerson,
                    on: s.t.clock_today(),
                    note: "Gezien aan de balie door de FG".into(),
                    document_offered: false,
                },
            )
            .await
            .unwrap();
        // The officer sends the reasons the page offers back unchanged: still the
        // system's own, so the letter words them in its language.
        let page_path = format!("/privacy/verzoeken/{request}/overdracht");
        let page = sc.officer.get(&page_path).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        let offered = offered_reasons(&page.body);
        assert!(offered.contains("U ontvangt"), "{offered}");
        let (status, body) = post_on(
            &sc.officer,
            &page_path,
            &format!("{page_path}/besluit"),
            &[
                ("reasons", &offered),
                ("answer_sent_on", &s.t.clock_today().to_string()),
            ],
        )
        .await;
        assert_eq!(status, 303, "{engine:?}: {body}");
        let outcome =
            s.t.app
                .request_handling(&fg, request)
                .await
                .unwrap()
                .outcome;
        assert_eq!(outcome.unwrap().outcome, Outcome::PartlyGranted);

        let officer_letter =
            |lang: &str| format!("/privacy/verzoeken/{request}/besluitbrief?taal={lang}");
        let en = letter(&sc.officer, &officer_letter("en")).await;
        for shown in [
            "We have granted your request in part.",
            "You receive the data you gave us yourself for: ‘Group activities, courses and workshops’ (started on 1 March 2026).",
            "The service ‘General social work’ (started on 1 February 2026): we process this data on the basis of a task in the public interest.",
            "article 20 GDPR",
        ] {
            assert!(en.contains(shown), "{engine:?}: {shown} in {en}");
        }
        for dutch in [
            "U ontvangt",
            "op grond van",
            "artikel 20 AVG",
            "Algemeen maatschappelijk werk",
            "Groepsactiviteiten",
        ] {
            assert!(!en.contains(dutch), "{engine:?}: no {dutch} in {en}");
        }
        // The client gets the same English letter in the portal.
        let own = letter(
            &sc.portal,
            &format!("/portaal/verzoeken/{request}/besluitbrief?taal=en"),
        )
        .await;
        assert!(
            own.contains("The service ‘General social work’ (started on 1 February 2026)"),
            "{own}"
        );

        let nl = letter(&sc.officer, &officer_letter("nl")).await;
        for shown in [
            "Wij hebben uw verzoek gedeeltelijk toegewezen.",
            "U ontvangt de gegevens die u ons zelf gaf bij: ‘Groepsactiviteiten, cursussen en workshops’ (gestart op 1 maart 2026).",
            "Het hulptraject ‘Algemeen maatschappelijk werk’ (gestart op 1 februari 2026): deze gegevens verwerken wij op grond van een taak van algemeen belang.",
            "artikel 20 AVG",
        ] {
            assert!(nl.contains(shown), "{engine:?}: {shown} in {nl}");
        }
        assert!(!nl.contains("You receive") && !nl.contains("General social work"));
    }
}
