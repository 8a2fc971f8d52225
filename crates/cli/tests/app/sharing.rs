//! Sharing (SHR-1..4) through HTTP on both engines, as the privacy officer and the
//! caseworker use it: the register refuses an organisation outside the EEA; a disclosure
//! is refused without a valid ground (no consent in force, a withdrawn one, no law, no
//! reason), to a processor without an agreement, to a research institute, and by a
//! colleague not on the case, and then nothing is recorded; a recorded one keeps its
//! package (PDF and JSON) with exactly what was chosen; the client is told when the
//! ground is not consent, unless a safety reason the privacy officer reviews forbids it,
//! and then the client sees nothing of it in the portal or in the access log.

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::Actor;
use zv_core::consents::{ConsentChannel, ConsentInput, ConsentPerson, ConsentPurpose};
use zv_domain::{ClientId, EntryKind, TrajectoryId};
use zv_testkit::engines;
use zv_testkit::web::TestServer;

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

/// A report the caseworker chooses to disclose.
const CHOSEN: &str = "VERSLAG-GEDEELD-4S";
/// A report not chosen: it never leaves.
const KEPT: &str = "VERSLAG-BINNEN-8K";
/// A goal: in the generated summary.
const GOAL: &str = "DOEL-SAMENVATTING-2G";

struct Scene {
    people: fixtures::Staff,
    client: ClientId,
    trajectory: TrajectoryId,
    chosen: uuid::Uuid,
    officer_api: Api,
    worker_api: Api,
    doc: Value,
}

async fn scene(s: &TestServer) -> Scene {
    let people = fixtures::staff(s, "amw-helmond", "jeugd-eindhoven").await;
    let worker = people.worker.clone();
    let today = s.t.clock_today();
    let (client, trajectory) = fixtures::amw_client(
        s,
        &worker,
        "Noor Verstrekking",
        "1988-02-03",
        false,
        "2026-01-05",
    )
    .await;
    let chosen = fixtures::entry(
        s,
        worker.clone(),
        trajectory,
        EntryKind::ConversationReport,
        "Gesprek over wonen".into(),
        CHOSEN.into(),
    )
    .await;
    fixtures::entry(
        s,
        worker.clone(),
        trajectory,
        EntryKind::ConversationReport,
        "Gesprek over familie".into(),
        KEPT.into(),
    )
    .await;
    fixtures::entry(
        s,
        worker,
        trajectory,
        EntryKind::Goal,
        format!("Veilig wonen {GOAL}"),
        String::new(),
    )
    .await;
    let until = (today + Duration::days(30)).to_string();
    let officer_api = Api::new(
        s,
        &make_token(&people.officer, "register", &["audit", "read"], &until).await,
    );
    let worker_api = Api::new(
        s,
        &make_token(&people.staff, "dossier", &["read", "write"], &until).await,
    );
    let doc = Api::anonymous(s).get("/openapi.json").await.json;
    Scene {
        people,
        client,
        trajectory,
        chosen: chosen.as_uuid(),
        officer_api,
        worker_api,
        doc,
    }
}

/// Adds an organisation as the privacy officer; its id.
async fn register(sc: &Scene, name: &str, country: &str, kind: &str) -> uuid::Uuid {
    let a = sc
        .officer_api
        .post(
            "/recipients",
            &json!({"name": name, "country": country, "kind": kind}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.json);
    conforms(&sc.doc, "post", "/recipients", &a);
    a.json["id"].as_str().unwrap().parse().unwrap()
}

async fn disclose(sc: &Scene, body: &Value) -> crate::api::Answer {
    sc.worker_api
        .post(
            &format!("/trajectories/{}/disclosures", sc.trajectory),
            body,
        )
        .await
}

async fn recorded(sc: &Scene) -> usize {
    let a = sc
        .worker_api
        .get(&format!("/trajectories/{}/disclosures", sc.trajectory))
        .await;
    assert_eq!(a.status, 200, "{}", a.json);
    conforms(&sc.doc, "get", "/trajectories/{id}/disclosures", &a);
    a.json["disclosures"].as_array().unwrap().len()
}

async fn consent_to(
    s: &TestServer,
    worker: &Actor,
    client: ClientId,
    recipient: uuid::Uuid,
) -> uuid::Uuid {
    s.t.app
        .record_consent(
            worker,
            client,
            ConsentInput {
                purpose: ConsentPurpose::Sharing,
                recipient: Some(recipient),
                how: ConsentChannel::Written,
                given_on: s.t.clock_today(),
                given_by: vec![ConsentPerson::Client],
                description: None,
            },
        )
        .await
        .unwrap()
}

// promise: SHR-1
// promise: SHR-2
// promise: SHR-3
// promise: RTS-10
#[tokio::test(flavor = "multi_thread")]
async fn data_leaves_only_on_a_recorded_ground_to_an_organisation_that_may_receive_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let worker = sc.people.worker.clone();

        // SHR-2: outside the EEA the register refuses, field by field, and adds nothing.
        for country in ["CH", "GB", "US"] {
            let a = sc
                .officer_api
                .post(
                    "/recipients",
                    &json!({"name": "Kliniek", "country": country, "kind": "care_partner"}),
                )
                .await;
            assert_eq!(a.status, 422, "{engine:?} {country}: {}", a.json);
            assert_eq!(a.json["field"], "country", "{}", a.json);
        }
        let listed = sc.officer_api.get("/recipients").await;
        conforms(&sc.doc, "get", "/recipients", &listed);
        assert_eq!(listed.json.as_array().unwrap().len(), 0);
        // A caseworker does not keep the register.
        let a = sc
            .worker_api
            .post(
                "/recipients",
                &json!({"name": "X", "country": "NL", "kind": "care_partner"}),
            )
            .await;
        assert_eq!(a.status, 403, "{}", a.json);

        let partner = register(&sc, "Zorgpartner Noord", "NL", "care_partner").await;
        let processor = register(&sc, "Opslag BV", "DE", "processor").await;
        let institute = register(&sc, "Kennisinstituut", "NL", "research_institute").await;
        // An organisation in the register cannot be moved outside the EEA either.
        let a = sc
            .officer_api
            .put(
                &format!("/recipients/{partner}"),
                &json!({"name": "Zorgpartner Noord", "country": "CH", "kind": "care_partner"}),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.json);

        let summary_only = |recipient: uuid::Uuid, ground: &str| json!({"recipient": recipient, "ground": ground, "summary": true});
        // SHR-1: consent is checked: none recorded, so refused, and nothing recorded.
        let a = disclose(&sc, &summary_only(partner, "consent")).await;
        assert_eq!(a.status, 422, "{engine:?}: {}", a.json);
        assert_eq!(a.json["field"], "ground");
        assert_eq!(recorded(&sc).await, 0);

        // With the client's consent for this recipient it goes, and the client knows.
        let consent = consent_to(&s, &worker, sc.client, partner).await;
        let a = disclose(
            &sc,
            &json!({"recipient": partner, "ground": "consent", "entries": [sc.chosen], "summary": true}),
        )
        .await;
        assert_eq!(a.status, 201, "{engine:?}: {}", a.json);
        conforms(&sc.doc, "post", "/trajectories/{id}/disclosures", &a);
        assert_eq!(a.json["client_notice"], "not_needed");
        assert_eq!(a.json["entry_count"], 1);
        let first: uuid::Uuid = a.json["id"].as_str().unwrap().parse().unwrap();

        // The package is what was chosen: the chosen report and the summary with the
        // goal, never the report not chosen; as JSON and as a PDF.
        let pkg = sc
            .worker_api
            .get(&format!("/disclosures/{first}/json"))
            .await;
        assert_eq!(pkg.status, 200);
        let text = String::from_utf8(pkg.bytes.clone()).unwrap();
        assert!(text.contains(CHOSEN) && text.contains(GOAL), "{text}");
        assert!(!text.contains(KEPT), "{text}");
        assert_eq!(pkg.json["schema"], "zorgvuldig.disclosure/1");
        assert_eq!(pkg.json["recipient"]["name"], "Zorgpartner Noord");
        let (status, kind, pdf) = fixtures::get_file(
            &sc.people.staff,
            &format!("/verstrekkingen/{first}/pakket.pdf"),
        )
        .await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        let pdf = fixtures::pdf_text(&pdf);
        assert!(pdf.contains(CHOSEN) && !pdf.contains(KEPT), "{pdf}");

        // RTS-10: a withdrawn consent no longer carries a disclosure, at once.
        s.t.app
            .withdraw_recorded_consent(
                &worker,
                consent,
                ConsentChannel::Written,
                ConsentPerson::Client,
            )
            .await
            .unwrap();
        let a = disclose(&sc, &summary_only(partner, "consent")).await;
        assert_eq!(a.status, 422, "{}", a.json);
        assert_eq!(a.json["field"], "ground");

        // SHR-3: a processor without an agreement in force receives nothing ...
        let legal = |recipient: uuid::Uuid| json!({"recipient": recipient, "ground": "legal_obligation", "law": "Wet op de jeugdzorg art. 1", "summary": true});
        let a = disclose(&sc, &legal(processor)).await;
        assert_eq!(a.status, 422, "{}", a.json);
        assert_eq!(a.json["field"], "recipient");
        let today = s.t.clock_today();
        let a = sc
            .officer_api
            .post(
                &format!("/recipients/{processor}/agreements"),
                &json!({"reference": "VWO-2026-1", "signed_on": today.to_string(), "valid_from": today.to_string(), "valid_until": (today + Duration::days(30)).to_string()}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);
        conforms(&sc.doc, "post", "/recipients/{id}/agreements", &a);
        // ... and the register warns before the agreement ends.
        assert_eq!(a.json["agreement"], "ending_soon");
        // An agreement ending before it starts is refused.
        let a = sc
            .officer_api
            .post(
                &format!("/recipients/{processor}/agreements"),
                &json!({"reference": "VWO-X", "signed_on": today.to_string(), "valid_from": today.to_string(), "valid_until": (today - Duration::days(1)).to_string()}),
            )
            .await;
        assert_eq!(
            (a.status, a.json["field"].as_str()),
            (422, Some("valid_until"))
        );
        // A legal ground names its law.
        let a = disclose(
            &sc,
            &json!({"recipient": processor, "ground": "legal_obligation", "summary": true}),
        )
        .await;
        assert_eq!(
            (a.status, a.json["field"].as_str()),
            (422, Some("law")),
            "{}",
            a.json
        );
        let a = disclose(
            &sc,
            &json!({"recipient": partner, "ground": "protect_person", "summary": true}),
        )
        .await;
        assert_eq!(
            (a.status, a.json["field"].as_str()),
            (422, Some("reason")),
            "{}",
            a.json
        );
        let a = disclose(&sc, &legal(processor)).await;
        assert_eq!(a.status, 201, "{engine:?}: {}", a.json);
        assert_eq!(a.json["client_notice"], "due");

        // A research institute receives anonymised data only, never a client's.
        let a = disclose(&sc, &legal(institute)).await;
        assert_eq!(
            (a.status, a.json["field"].as_str()),
            (422, Some("recipient"))
        );
        // Nothing chosen, or an entry of another trajectory, is refused.
        let a = disclose(
            &sc,
            &json!({"recipient": partner, "ground": "legal_obligation", "law": "Wet"}),
        )
        .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("entries")));
        let a = disclose(
            &sc,
            &json!({"recipient": partner, "ground": "legal_obligation", "law": "Wet", "entries": [uuid::Uuid::now_v7()]}),
        )
        .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("entries")));
        assert_eq!(recorded(&sc).await, 2);

        // A colleague of another team sees none of it and discloses nothing (ACC-2).
        let path = format!("/trajecten/{}/verstrekkingen", sc.trajectory);
        assert_eq!(sc.people.colleague.get(&path).await.status, 404);
        assert_eq!(
            sc.people
                .colleague
                .get(&format!("/verstrekkingen/{first}"))
                .await
                .status,
            404
        );
        let csrf = sc.people.colleague.get("/").await.csrf();
        let r = sc
            .people
            .colleague
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("recipient", &partner.to_string()),
                    ("ground", "legal_obligation"),
                    ("law", "Wet"),
                    ("summary", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 404);
        assert_eq!(recorded(&sc).await, 2);

        // Every disclosure is in the audit log as an export, before the data left.
        let fg =
            s.t.staff("fg.audit", zv_domain::Role::PrivacyOfficer, None)
                .await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let exports = events
            .iter()
            .filter(|e| {
                e.event.object == zv_domain::AuditObject::Disclosure
                    && e.event.action == zv_domain::AuditAction::Export
                    && e.event.outcome == zv_domain::AuditOutcome::Success
            })
            .count();
        assert_eq!(exports, 2, "{engine:?}");
    }
}

// promise: SHR-4
#[tokio::test(flavor = "multi_thread")]
async fn the_client_is_told_unless_a_reviewed_safety_reason_forbids_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let portal = fixtures::portal(&s, &sc.people.staff, sc.client, "noor.portaal").await;
        let vt = register(&sc, "Veilig Thuis Brabant-Zuidoost", "NL", "veilig_thuis").await;
        let police = register(&sc, "Politie Oost-Brabant", "NL", "care_partner").await;

        // Through the web form: nothing filled in is refused field by field, in Dutch.
        let path = format!("/trajecten/{}/verstrekkingen", sc.trajectory);
        let page = sc.people.staff.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Veilig Thuis Brabant-Zuidoost"));
        let r = sc
            .people
            .staff
            .post(&path, &[("csrf", page.csrf().as_str())])
            .await;
        assert_eq!(r.status, 422);
        for said in [
            "Kies de organisatie waar de gegevens naartoe gaan.",
            "Kies de grond waarop de verstrekking berust.",
            "Kies onderdelen van het dossier, de samenvatting, of beide.",
        ] {
            assert!(r.body.contains(said), "{said}: {}", r.body);
        }
        // A report on the reporting right, recorded through the form: the client is to
        // be told.
        let r = sc
            .people
            .staff
            .post(
                &path,
                &[
                    ("csrf", page.csrf().as_str()),
                    ("recipient", &vt.to_string()),
                    ("ground", "legal_permission"),
                    ("law", "Wmo 2015 art. 5.2.6"),
                    ("entry", &sc.chosen.to_string()),
                    ("summary", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let told_path = r.headers["location"].to_str().unwrap().to_owned();
        let told: uuid::Uuid = told_path.rsplit('/').next().unwrap().parse().unwrap();

        // With a safety reason: not told, pending the privacy officer's review.
        let a = disclose(
            &sc,
            &json!({"recipient": police, "ground": "protect_person", "reason": "Dreiging", "summary": true, "safety_reason": "Partner leest mee"}),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.json);
        assert_eq!(a.json["client_notice"], "withheld_for_safety");
        let hidden: uuid::Uuid = a.json["id"].as_str().unwrap().parse().unwrap();
        // A safety reason where the client consented is refused.
        let a = disclose(
            &sc,
            &json!({"recipient": police, "ground": "consent", "summary": true, "safety_reason": "x"}),
        )
        .await;
        assert_eq!(
            (a.status, a.json["field"].as_str()),
            (422, Some("safety_reason"))
        );

        // The privacy officer's queue has both.
        let q = sc.officer_api.get("/disclosure-queue").await;
        assert_eq!(q.status, 200, "{}", q.json);
        conforms(&sc.doc, "get", "/disclosure-queue", &q);
        assert_eq!(q.json["notices_due"][0]["id"], told.to_string());
        assert_eq!(q.json["safety_reviews"][0]["id"], hidden.to_string());
        // The worker may not review the reason.
        let a = sc
            .worker_api
            .post(
                &format!("/disclosures/{hidden}/review"),
                &json!({"upheld": true}),
            )
            .await;
        assert_eq!(a.status, 403, "{}", a.json);

        // The client sees the one to be told of, not the one kept from them, in the
        // portal and in the access log alike.
        let p = portal.get("/portaal/verstrekkingen").await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(
            p.body.contains("Veilig Thuis Brabant-Zuidoost"),
            "{}",
            p.body
        );
        assert!(p.body.contains("Wmo 2015 art. 5.2.6"));
        assert!(!p.body.contains("Politie Oost-Brabant"), "{}", p.body);
        let log = portal.get("/portaal/inzage-log").await;
        assert_eq!(log.status, 200);
        let mentions = log
            .body
            .matches("aan een andere organisatie zijn gegeven")
            .count();
        assert!(mentions >= 1, "{}", log.body);

        // The caseworker records that the client was told, through the form.
        let page = sc.people.staff.get(&told_path).await;
        assert!(page.body.contains("Nog inlichten"), "{}", page.body);
        // The letter to send the client: to whom, on which ground and law, the rights.
        let (status, media, pdf) =
            fixtures::get_file(&sc.people.staff, &format!("{told_path}/brief.pdf")).await;
        assert_eq!((status, media.as_str()), (200, "application/pdf"));
        let text = fixtures::pdf_text(&pdf);
        for words in [
            "Veilig Thuis Brabant-Zuidoost",
            "Wmo 2015 art. 5.2.6",
            "Autoriteit Persoonsgegevens",
            "Uw rechten",
        ] {
            assert!(text.contains(words), "{words}: {text}");
        }
        let (status, _, pdf) =
            fixtures::get_file(&sc.people.staff, &format!("{told_path}/brief.pdf?taal=en")).await;
        assert_eq!(status, 200);
        assert!(fixtures::pdf_text(&pdf).contains("Your rights"));
        let a = sc
            .worker_api
            .get(&format!("/disclosures/{told}/letter?lang=xx"))
            .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("lang")));
        // Never while a safety reason keeps the disclosure from the client.
        let a = sc
            .worker_api
            .get(&format!("/disclosures/{hidden}/letter"))
            .await;
        assert_eq!(a.status, 409, "{}", a.text());
        let r = sc
            .people
            .staff
            .post(
                &format!("{told_path}/melding"),
                &[
                    ("csrf", page.csrf().as_str()),
                    ("given_on", &s.t.clock_today().to_string()),
                    ("channel", "in_person"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        // Twice is a conflict.
        let a = sc
            .worker_api
            .post(
                &format!("/disclosures/{told}/notice"),
                &json!({"given_on": s.t.clock_today().to_string(), "channel": "letter"}),
            )
            .await;
        assert_eq!(a.status, 409, "{}", a.json);

        // The officer overrules the safety reason: now the client is to be told, and
        // sees it.
        let page = sc
            .people
            .officer
            .get(&format!("/verstrekkingen/{hidden}"))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Partner leest mee"));
        let r = sc
            .people
            .officer
            .post(
                &format!("/verstrekkingen/{hidden}/beoordeling"),
                &[("csrf", page.csrf().as_str()), ("outcome", "overruled")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let q = sc.officer_api.get("/disclosure-queue").await;
        assert_eq!(
            q.json["notices_due"][0]["id"],
            hidden.to_string(),
            "{}",
            q.json
        );
        assert_eq!(q.json["safety_reviews"].as_array().unwrap().len(), 0);
        let p = portal.get("/portaal/verstrekkingen").await;
        assert!(p.body.contains("Politie Oost-Brabant"), "{}", p.body);

        // An upheld reason keeps it from the client for good.
        let a = disclose(
            &sc,
            &json!({"recipient": police, "ground": "prevent_crime", "reason": "Aangifte", "summary": true, "safety_reason": "Vergelding"}),
        )
        .await;
        let kept: uuid::Uuid = a.json["id"].as_str().unwrap().parse().unwrap();
        let a = sc
            .officer_api
            .post(
                &format!("/disclosures/{kept}/review"),
                &json!({"upheld": true}),
            )
            .await;
        assert_eq!(a.status, 204, "{}", a.json);
        let a = sc.worker_api.get(&format!("/disclosures/{kept}")).await;
        conforms(&sc.doc, "get", "/disclosures/{id}", &a);
        assert_eq!(a.json["safety_review"], "upheld");
        let p = portal.get("/portaal/verstrekkingen").await;
        assert_eq!(
            p.body.matches("Politie Oost-Brabant").count(),
            1,
            "{}",
            p.body
        );
    }
}

// promise: SHR-2
#[tokio::test(flavor = "multi_thread")]
async fn the_register_page_refuses_outside_the_eea_in_dutch_and_keeps_what_was_typed() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let people = fixtures::staff(&s, "amw-helmond", "amw-helmond").await;
        let page = people.officer.get("/register/ontvangers").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let r = people
            .officer
            .post(
                "/register/ontvangers",
                &[
                    ("csrf", page.csrf().as_str()),
                    ("name", "Clinique Genève"),
                    ("country", "CH"),
                    ("kind", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{engine:?}");
        assert!(r.body.contains("Clinique Genève"), "{}", r.body);
        assert!(r.body.contains("Kies de soort organisatie."), "{}", r.body);
        assert!(
            r.body.contains("EER") || r.body.contains("EEA"),
            "{}",
            r.body
        );
        let r = people
            .officer
            .post(
                "/register/ontvangers",
                &[
                    ("csrf", page.csrf().as_str()),
                    ("name", "Gemeente Helmond"),
                    ("country", "nl"),
                    ("kind", "municipality"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let list = people.staff.get("/register/ontvangers").await;
        assert!(list.body.contains("Gemeente Helmond") && !list.body.contains("Genève"));
        // Caseworkers read the register but do not keep it.
        assert!(!list.body.contains("name=\"kind\""), "{}", list.body);
    }
}

// promise: SHR-4
// promise: RTS-4
#[tokio::test(flavor = "multi_thread")]
async fn the_access_copy_names_what_left_except_what_safety_keeps_from_the_client() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let portal = fixtures::portal(&s, &sc.people.staff, sc.client, "noor.kopie").await;
        let vt = register(&sc, "Veilig Thuis Brabant-Zuidoost", "NL", "veilig_thuis").await;
        let police = register(&sc, "Politie Oost-Brabant", "NL", "care_partner").await;
        let a = disclose(
            &sc,
            &json!({"recipient": vt, "ground": "legal_permission", "law": "Wmo 2015 art. 5.2.6", "entries": [sc.chosen]}),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.json);
        let a = disclose(
            &sc,
            &json!({"recipient": police, "ground": "protect_person", "reason": "Dreiging", "summary": true, "safety_reason": "Partner leest mee"}),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.json);

        let request =
            fixtures::file_in_portal(&s, &portal, zv_core::requests::RequestKind::Copy).await;
        let page_path = format!("/privacy/verzoeken/{request}/kopie");
        let csrf = sc.people.officer.get(&page_path).await.csrf();
        let r = sc
            .people
            .officer
            .post(&page_path, &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(r.status, 303, "{engine:?}: {}", r.body);
        let location = crate::access_copy::link(&portal).await;
        let (status, _, bytes) = fixtures::get_file(&portal, &location).await;
        assert_eq!(status, 200);
        let files = crate::access_copy::unzip(&bytes);
        let file = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.clone())
                .unwrap()
        };
        let json = String::from_utf8(file("kopie.json")).unwrap();
        let pdf = fixtures::pdf_text(&file("kopie.pdf"));
        for (what, text) in [("json", &json), ("pdf", &pdf)] {
            assert!(
                text.contains("Veilig Thuis Brabant-Zuidoost (NL)"),
                "{what}: {text}"
            );
            assert!(text.contains("Wmo 2015 art. 5.2.6"), "{what}");
            assert!(!text.contains("Politie Oost-Brabant"), "{what}: {text}");
            assert!(!text.contains("Partner leest mee"), "{what}");
        }
    }
}
