//! The access copy of a rights request (RTS-4, TRN-1) through HTTP on both engines, as
//! the privacy officer and the client use it: the officer sees what the copy will hold
//! and the work notes in scope, releases one with a reason and prepares the copy; the
//! client downloads it once through a one-time link. Planted markers show what reaches
//! the PDF and the JSON: the dossier text, the released note, the purposes, terms and
//! rights, the withholdings with their grounds; never an unreleased work note, a
//! withheld entry or passage, or another client's data.

use std::io::Read;

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::clients::NewClientInput;
use zv_core::related::RelatedPersonInput;
use zv_core::requests::RequestKind;
use zv_core::trajectories::TrajectoryInput;
use zv_core::withholdings::{Ground, NewWithholding, Scope};
use zv_domain::{
    Address, AuditAction, BirthDate, ClientId, EntryKind, Gender, PersonName, RelationKind, Role,
};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, conforms, make_token};
use crate::fixtures::{self, content, get_file, pdf_text};
use crate::portal::redeem_and_enrol;

/// In the dossier, shown to the client.
const DOSSIER: &str = "DOSSIERTEKST-5T";
/// A passage withheld on the ground of others' data.
const PASSAGE: &str = "PASSAGE-WEG-8H over de broer";
/// An entry withheld as a whole, the ground shown.
const WHOLE: &str = "HEEL-WEG-2J";
/// An entry withheld as a whole, even the fact hidden.
const HIDDEN: &str = "VERBORGEN-3V";
/// An attachment the client sees, and one of the withheld entry.
const ATTACHMENT: &str = "BIJLAGE-INHOUD-6B";
const WITHHELD_ATTACHMENT: &str = "BIJLAGE-WEG-4C";
/// Work notes: one never released, one released by the privacy officer.
const NOTE_KEPT: &str = "NOTITIE-GEHEIM-1A";
const NOTE_RELEASED: &str = "NOTITIE-VRIJ-2B";
/// Another client's dossier and work note.
const OTHER: &str = "ANDERE-CLIENT-9Q";
/// The client's confidential address: in the copy the client asked for themselves.
const ADDRESS: &str = "Schuilhuisweg 7 GEHEIMADRES-4K";

struct Scene {
    staff: WebClient,
    officer: WebClient,
    colleague: WebClient,
    portal: WebClient,
    other_portal: WebClient,
    client: ClientId,
}

async fn scene(s: &TestServer) -> Scene {
    let people = fixtures::staff(s, "amw-helmond", "amw-helmond").await;
    let worker = people.worker.clone();
    let app = &s.t.app;
    let today = s.t.clock_today();
    let (client, trajectory) = app
        .register_client(
            &worker,
            NewClientInput {
                branch: app.policy().branches()[0].code.clone(),
                name: PersonName::parse("Amal Haddad").unwrap(),
                birth_date: BirthDate::parse("1984-05-06", today).unwrap(),
                gender: Gender::Unknown,
                address: Some(Address::parse(ADDRESS).unwrap()),
                phone: None,
                email: None,
                confidential_address: true,
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
    let add = |kind, title, body| fixtures::entry(s, worker.clone(), trajectory, kind, title, body);
    let shown = add(
        EntryKind::ConversationReport,
        "Gesprek met Amal".to_owned(),
        format!("{DOSSIER}: het gaat beter. Moeder vertelde dat {PASSAGE}."),
    )
    .await;
    app.add_attachment(
        &worker,
        shown,
        "verwijzing.txt",
        "text/plain",
        ATTACHMENT.as_bytes(),
    )
    .await
    .unwrap();
    let whole = add(
        EntryKind::ThirdPartyReport,
        format!("Melding {WHOLE}"),
        format!("Inhoud {WHOLE}"),
    )
    .await;
    app.add_attachment(
        &worker,
        whole,
        "melding.txt",
        "text/plain",
        WITHHELD_ATTACHMENT.as_bytes(),
    )
    .await
    .unwrap();
    let hidden = add(
        EntryKind::EmailSummary,
        format!("E-mail {HIDDEN}"),
        format!("Inhoud {HIDDEN}"),
    )
    .await;
    for (entry, scope, passage, ground, hide_fact) in [
        (
            shown,
            Scope::Passage,
            Some(PASSAGE),
            Ground::OthersData,
            false,
        ),
        (whole, Scope::Entry, None, Ground::ProtectionOfOthers, false),
        (hidden, Scope::Entry, None, Ground::PreventionOfCrime, true),
    ] {
        app.withhold(
            &worker,
            entry,
            NewWithholding {
                scope,
                passage: passage.map(str::to_owned),
                ground,
                explanation: "uitleg voor de functionaris".to_owned(),
                hide_fact,
            },
        )
        .await
        .unwrap();
    }
    app.add_work_note(&worker, trajectory, &format!("Eigen indruk {NOTE_KEPT}"))
        .await
        .unwrap();
    app.add_work_note(&worker, trajectory, &format!("Afspraak {NOTE_RELEASED}"))
        .await
        .unwrap();

    // Another client of the same worker, with a dossier and a note of its own.
    let (other, other_trajectory) =
        s.t.intake(&worker, "Bram de Vries", "1990-01-02", "amw")
            .await;
    app.add_entry(
        &worker,
        other_trajectory,
        EntryKind::ConversationReport,
        content("Gesprek", OTHER),
        None,
    )
    .await
    .unwrap();
    app.add_work_note(&worker, other_trajectory, &format!("Notitie {OTHER}"))
        .await
        .unwrap();

    let portal = fixtures::portal(s, &people.staff, client, "amal").await;
    let other_portal = fixtures::portal(s, &people.staff, other, "bram").await;
    Scene {
        staff: people.staff,
        officer: people.officer,
        colleague: people.colleague,
        portal,
        other_portal,
        client,
    }
}

/// The client asks for a copy of everything in the portal; the request's id.
async fn file_copy_request(s: &TestServer, p: &WebClient) -> uuid::Uuid {
    fixtures::file_in_portal(s, p, RequestKind::Copy).await
}

/// Posts a form of a page, with that page's CSRF token.
async fn post_on(
    c: &WebClient,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let csrf = c.get(page).await.csrf();
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = c.post(path, &form).await;
    (r.status, r.body.clone(), r.location().map(str::to_owned))
}

/// The files of a downloaded copy, by name.
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// The client asks for the download: the one-time link the portal follows.
pub(crate) async fn link(p: &WebClient) -> String {
    let (status, body, location) = post_on(
        p,
        "/portaal/kopieen",
        &format!("/portaal/kopieen/{}/link", first_available(p).await),
        &[],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let location = location.unwrap();
    assert!(location.starts_with("/portaal/kopie/"), "{location}");
    location
}

/// The first copy the portal offers for download.
async fn first_available(p: &WebClient) -> String {
    let page = p.get("/portaal/kopieen").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
        .split("action=\"/portaal/kopieen/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no copy to download: {}", page.body))
        .to_owned()
}

// promise: RTS-4
// promise: TRN-1
#[tokio::test(flavor = "multi_thread")]
async fn the_access_copy_holds_the_dossier_and_the_answer_and_nothing_withheld_or_unreleased() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_copy_request(&s, &sc.portal).await;
        let page_path = format!("/privacy/verzoeken/{request}/kopie");

        // The officer sees what the copy holds and the notes in scope, not their text.
        let page = sc.officer.get(&page_path).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        for shown in [
            "Amal Haddad",
            "Werkaantekeningen",
            "gegevens over anderen",
            "bescherming van anderen",
            "kosteloos",
        ] {
            assert!(page.body.contains(shown), "{shown}: {}", page.body);
        }
        for never in [
            NOTE_KEPT,
            NOTE_RELEASED,
            OTHER,
            "voorkomen van strafbare feiten",
        ] {
            assert!(!page.body.contains(never), "{never}");
        }
        let notes: Vec<String> = page
            .body
            .split(&format!(
                "action=\"/privacy/verzoeken/{request}/kopie/notities/"
            ))
            .skip(1)
            .map(|r| r.split('"').next().unwrap().to_owned())
            .collect();
        assert_eq!(notes.len(), 2, "the client's two notes, not the other's");

        // Releasing a note needs a reason; a refusal keeps what was typed.
        let notes_now =
            s.t.app
                .access_copy_preview(
                    &s.t.staff("fg.b", Role::PrivacyOfficer, None).await,
                    request,
                )
                .await
                .unwrap()
                .notes;
        let released = notes_now[1].id.to_string();
        let (status, body, _) = post_on(
            &sc.officer,
            &page_path,
            &format!("{page_path}/notities/{released}"),
            &[("reason", "kort")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("ten minste 10 tekens"), "{body}");
        assert!(body.contains(">kort</textarea>"), "kept");
        let (status, body, _) = post_on(
            &sc.officer,
            &page_path,
            &format!("{page_path}/notities/{released}"),
            &[("reason", "Geen rechten van anderen in het geding")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        assert!(
            sc.officer
                .get(&page_path)
                .await
                .body
                .contains("Geen rechten van anderen in het geding")
        );

        // Prepared: the first copy.
        let (status, body, location) = post_on(&sc.officer, &page_path, &page_path, &[]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(
            location.as_deref(),
            Some(format!("{page_path}?klaar=1#kopieen").as_str())
        );

        // Downloaded once by the client.
        let location = link(&sc.portal).await;
        let (status, kind, bytes) = get_file(&sc.portal, &location).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(kind, "application/zip");
        let files = unzip(&bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"kopie.pdf") && names.contains(&"kopie.json"),
            "{names:?}"
        );
        let file = |suffix: &str| {
            files
                .iter()
                .find(|(n, _)| n.ends_with(suffix))
                .map(|(_, b)| b.clone())
                .unwrap_or_else(|| panic!("{suffix} in {names:?}"))
        };
        assert_eq!(file("-verwijzing.txt"), ATTACHMENT.as_bytes());
        assert!(!names.iter().any(|n| n.contains("melding")), "{names:?}");

        let json_bytes = file("kopie.json");
        let json: Value = serde_json::from_slice(&json_bytes).unwrap();
        let json_text = String::from_utf8(json_bytes).unwrap();
        let pdf = pdf_text(&file("kopie.pdf"));
        assert_eq!(json["schema"], "zorgvuldig.access-copy/1");
        for (what, text) in [("json", &json_text), ("pdf", &pdf)] {
            for shown in [
                DOSSIER,
                NOTE_RELEASED,
                "Amal Haddad",
                "GEHEIMADRES-4K",
                "Autoriteit Persoonsgegevens",
                "[weggelaten: gegevens over anderen]",
                "Algemeen maatschappelijk werk",
            ] {
                assert!(text.contains(shown), "{what}: {shown} in {text}");
            }
            for never in [
                "PASSAGE-WEG-8H",
                WHOLE,
                HIDDEN,
                NOTE_KEPT,
                OTHER,
                WITHHELD_ATTACHMENT,
                "Bram de Vries",
                "uitleg voor de functionaris",
            ] {
                assert!(!text.contains(never), "{what}: {never}");
            }
        }
        // The answer of art. 15: purposes, legal bases, terms, sources, rights, and the
        // withholdings with their grounds (not the one whose fact is hidden).
        let withheld: Vec<(&str, &str)> = json["withheld"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w["scope"].as_str().unwrap(), w["ground"].as_str().unwrap()))
            .collect();
        assert_eq!(withheld.len(), 2, "{withheld:?}");
        assert!(withheld.contains(&("passage", "others_data")));
        assert!(withheld.contains(&("entry", "protection_of_others")));
        let processing = &json["processing"][0];
        assert!(
            processing["purpose"]
                .as_str()
                .unwrap()
                .contains("Algemeen maatschappelijk werk")
        );
        assert!(processing["legal_basis"].is_string());
        assert!(processing["retention"].as_str().unwrap().contains("jaar"));
        assert!(!json["sources"].as_array().unwrap().is_empty());
        assert!(json["rights"].as_array().unwrap().len() >= 7);
        assert_eq!(json["request"]["copy_number"], 1);
        for shown in [
            "Waarom wij uw gegevens verwerken",
            "Bewaartermijn",
            "Uw rechten",
            "Wat niet in deze kopie staat",
            "bescherming van anderen",
        ] {
            assert!(pdf.contains(shown), "{shown} in {pdf}");
        }

        // Exported by the privacy officer, downloaded by the client: both recorded.
        let fg = s.t.staff("fg.c", Role::PrivacyOfficer, None).await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let exports: Vec<_> = events
            .iter()
            .filter(|e| e.event.action == AuditAction::Export)
            .collect();
        assert!(
            exports.iter().any(|e| e.event.role == "privacy_officer"),
            "{exports:?}"
        );
        assert!(
            exports.iter().any(|e| e.event.role == "client"),
            "{exports:?}"
        );
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains(DOSSIER) && !text.contains(NOTE_RELEASED),
                "{text}"
            );
        }
    }
}

// promise: TRN-1
#[tokio::test(flavor = "multi_thread")]
async fn the_copy_is_downloaded_once_by_its_requester_through_a_link_that_expires() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_copy_request(&s, &sc.portal).await;
        let page_path = format!("/privacy/verzoeken/{request}/kopie");
        assert!(
            sc.portal
                .get("/portaal/kopieen")
                .await
                .body
                .contains("Er staat geen kopie voor u klaar.")
        );
        let (status, _, _) = post_on(&sc.officer, &page_path, &page_path, &[]).await;
        assert_eq!(status, 303, "{engine:?}");

        // Another client's session can neither ask for the link nor use it.
        assert!(
            sc.other_portal
                .get("/portaal/kopieen")
                .await
                .body
                .contains("Er staat geen kopie voor u klaar.")
        );
        let location = link(&sc.portal).await;
        let token = location.trim_start_matches("/portaal/kopie/");
        assert!(!token.contains("Amal") && token.len() >= 40, "{token}");
        let (status, _, _) = get_file(&sc.other_portal, &location).await;
        assert_eq!(status, 404, "someone else's session");
        let (status, _, _) = get_file(&sc.staff, &location).await;
        assert_ne!(status, 200, "a staff session is no portal session");

        // Once, then never again.
        let (status, _, bytes) = get_file(&sc.portal, &location).await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(b"PK"));
        let (status, _, _) = get_file(&sc.portal, &location).await;
        assert_eq!(status, 404, "a second use");
        assert!(
            sc.portal
                .get("/portaal/kopieen")
                .await
                .body
                .contains("gedownload op")
        );

        // A further copy: the officer is told the first was free.
        let page = sc.officer.get(&page_path).await;
        assert!(
            page.body.contains("Dit wordt een extra kopie"),
            "{}",
            page.body
        );
        let (status, _, _) = post_on(&sc.officer, &page_path, &page_path, &[]).await;
        assert_eq!(status, 303);

        // A link works for the policy's minutes only.
        let location = link(&sc.portal).await;
        s.t.clock.advance(Duration::minutes(16));
        let (status, _, _) = get_file(&sc.portal, &location).await;
        assert_eq!(status, 404, "an expired link");

        // A copy not downloaded in time is erased: nothing left to download.
        s.t.clock.advance(Duration::days(29));
        let fg = s.t.staff("fg.d", Role::PrivacyOfficer, None).await;
        let preview = s.t.app.access_copy_preview(&fg, request).await.unwrap();
        assert_eq!(preview.prepared_for_client, 2);
        assert_eq!(preview.delivered_to_client, 1);
        assert!(preview.copies.iter().all(|c| !c.available));
        assert!(
            preview
                .copies
                .iter()
                .any(|c| c.copy_number == 2 && c.downloaded_at.is_none())
        );
    }
}

// promise: RTS-4
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_officer_alone_prepares_copies_and_the_api_does_what_the_page_does() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let request = file_copy_request(&s, &sc.portal).await;
        let page_path = format!("/privacy/verzoeken/{request}/kopie");
        for c in [&sc.staff, &sc.colleague] {
            assert_eq!(c.get(&page_path).await.status, 404, "{engine:?}");
            let (status, _, _) = post_on(c, "/", &page_path, &[]).await;
            assert_eq!(status, 404);
        }
        // Nor does the client prepare one from the portal's side of things.
        assert_eq!(sc.portal.get(&page_path).await.status, 303);
        let fg = s.t.staff("fg.e", Role::PrivacyOfficer, None).await;
        assert_eq!(
            s.t.app
                .access_copy_preview(&fg, request)
                .await
                .unwrap()
                .prepared_for_client,
            0
        );

        // The API, with the privacy officer's token.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let officer = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let preview = officer
            .get(&format!("/requests/{request}/access-copy"))
            .await;
        assert_eq!(preview.status, 200, "{}", preview.text());
        conforms(&doc, "get", "/requests/{id}/access-copy", &preview);
        assert_eq!(preview.json["requester"], "client");
        assert_eq!(preview.json["work_notes"].as_array().unwrap().len(), 2);
        assert!(!preview.text().contains(NOTE_KEPT));
        let note = preview.json["work_notes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let refused = officer
            .post(
                &format!("/requests/{request}/access-copy/releases"),
                &json!({"work_note": note, "reason": "kort"}),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        let released = officer
            .post(
                &format!("/requests/{request}/access-copy/releases"),
                &json!({"work_note": note, "reason": "Geen rechten van anderen in het geding"}),
            )
            .await;
        assert_eq!(released.status, 204, "{}", released.text());
        let withdrawn = officer
            .post(
                &format!("/requests/{request}/access-copy/withdrawals"),
                &json!({"work_note": note}),
            )
            .await;
        assert_eq!(withdrawn.status, 204, "{}", withdrawn.text());
        let prepared = officer
            .post(&format!("/requests/{request}/access-copy"), &json!({}))
            .await;
        assert_eq!(prepared.status, 201, "{}", prepared.text());
        conforms(&doc, "post", "/requests/{id}/access-copy", &prepared);
        assert_eq!(prepared.json["copy_number"], 1);

        // The withdrawn note is not in the copy the client gets.
        let location = link(&sc.portal).await;
        let (status, _, bytes) = get_file(&sc.portal, &location).await;
        assert_eq!(status, 200);
        let json = unzip(&bytes)
            .into_iter()
            .find(|(n, _)| n == "kopie.json")
            .unwrap()
            .1;
        let json = String::from_utf8(json).unwrap();
        assert!(!json.contains(NOTE_KEPT) && !json.contains(NOTE_RELEASED));
        assert!(json.contains(DOSSIER));
    }
}

/// 10:00 in Amsterdam on a day.
fn at(s: &TestServer, day: &str) {
    s.t.clock
        .set(zv_domain::clock::start_of_local_day(date(day)) + Duration::hours(10));
}

/// In the child's dossier before the parent's authority began: never in their copy.
const BEFORE_AUTHORITY: &str = "VOOR-GEZAG-KOPIE-6M";
/// After it: in their copy.
const AFTER_AUTHORITY: &str = "NA-GEZAG-KOPIE-2N";

// promise: MIN-1
// promise: RTS-4
#[tokio::test(flavor = "multi_thread")]
async fn a_parents_copy_holds_nothing_from_before_their_authority_and_never_the_shelter_address() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let app = &s.t.app;
        at(&s, "2026-03-01");
        let today = s.t.clock_today();
        let (child, trajectory) = app
            .register_client(
                &worker,
                NewClientInput {
                    branch: app.policy().branches()[0].code.clone(),
                    name: PersonName::parse("Mila de Groot").unwrap(),
                    birth_date: BirthDate::parse("2018-01-01", today).unwrap(),
                    gender: Gender::Unknown,
                    address: Some(Address::parse(ADDRESS).unwrap()),
                    phone: None,
                    email: None,
                    confidential_address: true,
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
        app.add_entry(
            &worker,
            trajectory,
            EntryKind::ConversationReport,
            content("Gesprek in maart", BEFORE_AUTHORITY),
            None,
        )
        .await
        .unwrap();
        at(&s, "2026-06-01");
        app.add_entry(
            &worker,
            trajectory,
            EntryKind::ConversationReport,
            content("Gesprek in juni", AFTER_AUTHORITY),
            None,
        )
        .await
        .unwrap();
        let parent = app
            .add_related_person(
                &worker,
                child,
                RelatedPersonInput {
                    relation: RelationKind::ParentWithAuthority,
                    name: PersonName::parse("Joris de Groot").unwrap(),
                    birth_date: None,
                    phone: None,
                    email: None,
                    address: None,
                    authority_since: Some(date("2026-05-01")),
                    mandate: None,
                    linked_client: None,
                },
            )
            .await
            .unwrap();
        at(&s, "2026-11-22");
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let page = staff.get(&format!("/clienten/{child}")).await;
        let made = staff
            .post(
                &format!("/betrokkenen/{parent}/portaal/uitnodiging"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(made.status, 200, "{engine:?}: {}", made.body);
        let code = made
            .body
            .split("id=\"related-invitation-code\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_owned();
        let portal = s.client();
        redeem_and_enrol(&portal, &code, "joris").await;
        let officer = s.client();
        officer.sign_in("fg.privacy", &officer_secret).await;
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&officer, "fg", &["audit", "write"], &expires).await,
        );

        // The father asked by letter; the privacy officer registers it as his.
        let stranger = api
            .post(
                &format!("/clients/{child}/requests"),
                &json!({"kind": "copy", "channel": "letter", "received_on": "2026-11-20",
                        "filed_by": "00000000-0000-4000-8000-000000000001"}),
            )
            .await;
        assert_eq!(stranger.status, 422, "{}", stranger.text());
        let filed = api
            .post(
                &format!("/clients/{child}/requests"),
                &json!({"kind": "copy", "channel": "letter", "received_on": "2026-11-20",
                        "filed_by": parent.to_string()}),
            )
            .await;
        assert_eq!(filed.status, 201, "{}", filed.text());
        let request = filed.json["id"].as_str().unwrap().to_owned();
        let identity = api
            .post(
                &format!("/requests/{request}/identity"),
                &json!({"method": "in_person", "on": "2026-11-21"}),
            )
            .await;
        assert_eq!(identity.status, 204, "{}", identity.text());
        let preview = api.get(&format!("/requests/{request}/access-copy")).await;
        assert_eq!(preview.status, 200, "{}", preview.text());
        assert_eq!(preview.json["requester"], "representative");
        let prepared = api
            .post(&format!("/requests/{request}/access-copy"), &json!({}))
            .await;
        assert_eq!(prepared.status, 201, "{}", prepared.text());

        // The father downloads it: from his authority on, and no shelter address.
        let location = link(&portal).await;
        let (status, _, bytes) = get_file(&portal, &location).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let files = unzip(&bytes);
        let file = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.clone())
                .unwrap()
        };
        let json_text = String::from_utf8(file("kopie.json")).unwrap();
        let pdf = pdf_text(&file("kopie.pdf"));
        for (what, text) in [("json", &json_text), ("pdf", &pdf)] {
            assert!(text.contains(AFTER_AUTHORITY), "{what}: {text}");
            assert!(text.contains("Mila de Groot"), "{what}");
            for never in [BEFORE_AUTHORITY, "GEHEIMADRES-4K", "Schuilhuisweg"] {
                assert!(!text.contains(never), "{what}: {never} in {text}");
            }
        }

        // Decided: the letter goes to whoever filed the request, in the portal.
        let decided = api
            .post(
                &format!("/requests/{request}/outcome"),
                &json!({"outcome": "granted", "answer_sent_on": "2026-11-22"}),
            )
            .await;
        assert_eq!(decided.status, 204, "{}", decided.text());
        let (status, kind, bytes) = get_file(
            &portal,
            &format!("/portaal/verzoeken/{request}/besluitbrief"),
        )
        .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(kind, "application/pdf");
        let letter = pdf_text(&bytes);
        assert!(
            letter.contains("Wij hebben uw verzoek toegewezen."),
            "{letter}"
        );
        assert!(!letter.contains("Schuilhuisweg"));
    }
}
