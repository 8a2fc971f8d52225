//! Withholding from the client (POR-2) and requests and complaints from the portal
//! (POR-4), through HTTP on both engines, as the caseworker, the client and the privacy
//! officer use them: a withheld passage never reaches any portal page, the ground does
//! unless even that is hidden, lifting shows the content again, only the worker on the
//! case withholds and only the privacy officer reviews; a request or complaint gets a
//! reference, shows up for the client and the privacy officer, and a refused form stores
//! nothing.

use chrono::Duration;
use serde_json::json;
use zv_core::Actor;
use zv_domain::{
    AttachmentId, AuditAction, AuditObject, ClientId, EntryId, EntryKind, Role, TrajectoryId,
};
use zv_testkit::engines;
use zv_testkit::web::{Page, TestServer, WebClient};

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

/// The passage withheld on the ground of others' data: never on a portal page.
const PASSAGE: &str = "de broer PASSAGE-BROER-7Q drinkt elke avond";
/// Withheld as a whole with the ground shown.
const WHOLE: &str = "MELDING-HEEL-3K";
/// Withheld as a whole, the fact hidden too.
const HIDDEN: &str = "VERBORGEN-ITEM-9X";
/// A passage withheld with the fact hidden.
const HIDDEN_PASSAGE: &str = "ADRES-VADER-5M Dorpsstraat 12";
/// The caseworker's explanation: for staff and the privacy officer only.
const EXPLANATION: &str = "UITLEG-ALLEEN-INTERN over de broer";

struct Scene {
    worker: Actor,
    staff: WebClient,
    portal: WebClient,
    officer: WebClient,
    colleague: WebClient,
    client: ClientId,
    trajectory: TrajectoryId,
    /// With the passage, and the hidden passage in another entry.
    passage_entry: EntryId,
    whole_entry: EntryId,
    whole_attachment: AttachmentId,
    hidden_entry: EntryId,
    hidden_passage_entry: EntryId,
}

/// A client of an assigned caseworker with a dossier, signed in to the portal; the
/// caseworker, a colleague of another team and the privacy officer signed in to the
/// staff app.
async fn scene(s: &TestServer) -> Scene {
    let people = fixtures::staff(s, "amw-helmond", "amw-helmond").await;
    let worker = people.worker;
    let (client, trajectory) =
        s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
            .await;
    let app = &s.t.app;
    let add = |kind, title, body| fixtures::entry(s, worker.clone(), trajectory, kind, title, body);
    let passage_entry = add(
        EntryKind::ConversationReport,
        "Gesprek met moeder".to_owned(),
        format!("Moeder vertelde dat {PASSAGE}. Verder gaat het goed met de kinderen."),
    )
    .await;
    let whole_entry = add(
        EntryKind::ThirdPartyReport,
        format!("Politie {WHOLE}"),
        format!("Inhoud {WHOLE}"),
    )
    .await;
    let whole_attachment = app
        .add_attachment(
            &worker,
            whole_entry,
            "melding.txt",
            "text/plain",
            format!("Bijlage {WHOLE}").as_bytes(),
        )
        .await
        .unwrap();
    let hidden_entry = add(
        EntryKind::EmailSummary,
        format!("E-mail {HIDDEN}"),
        format!("Inhoud {HIDDEN}"),
    )
    .await;
    let hidden_passage_entry = add(
        EntryKind::PlanDocument,
        "Hulpplan".to_owned(),
        format!("Afspraken. Vader woont op {HIDDEN_PASSAGE} en mag dat niet weten."),
    )
    .await;
    let portal = fixtures::portal(s, &people.staff, client, "amal").await;
    Scene {
        worker,
        staff: people.staff,
        portal,
        officer: people.officer,
        colleague: people.colleague,
        client,
        trajectory,
        passage_entry,
        whole_entry,
        whole_attachment,
        hidden_entry,
        hidden_passage_entry,
    }
}

/// Posts the withhold form of an entry's page as its reader fills it in.
async fn withhold(
    c: &WebClient,
    entry: EntryId,
    scope: &str,
    passage: &str,
    ground: &str,
    explanation: &str,
    hide_fact: bool,
) -> Page {
    let page = c.get("/").await;
    let mut form = vec![
        ("csrf", page.csrf()),
        ("scope", scope.to_owned()),
        ("passage", passage.to_owned()),
        ("ground", ground.to_owned()),
        ("explanation", explanation.to_owned()),
    ];
    if hide_fact {
        form.push(("hide_fact", "1".to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(&format!("/items/{entry}/achterhouden"), &form).await
}

async fn withholdings_in_force(s: &TestServer, sc: &Scene) -> usize {
    s.t.app
        .trajectory_withholdings(&sc.worker, sc.trajectory)
        .await
        .unwrap()
        .len()
}

/// Every portal page the client can open, with its body.
async fn portal_pages(sc: &Scene) -> Vec<(String, Page)> {
    let mut out = Vec::new();
    for path in [
        "/portaal".to_owned(),
        format!("/portaal/trajecten/{}", sc.trajectory),
        "/portaal/verzoeken".to_owned(),
    ] {
        let page = sc.portal.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        out.push((path, page));
    }
    out
}

// promise: POR-2
#[tokio::test(flavor = "multi_thread")]
async fn what_the_caseworker_withholds_never_reaches_the_portal_and_comes_back_when_lifted() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let before = sc
            .portal
            .get(&format!("/portaal/trajecten/{}", sc.trajectory))
            .await;
        assert!(before.body.contains("PASSAGE-BROER-7Q"), "{engine:?}");
        assert!(before.body.contains(WHOLE) && before.body.contains(HIDDEN));

        // Refusals name each field in Dutch, keep what was typed, and store nothing.
        let page = sc
            .staff
            .get(&format!("/items/{}/achterhouden", sc.passage_entry))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Iets achterhouden"));
        let refused = withhold(
            &sc.staff,
            sc.passage_entry,
            "passage",
            "een zin die er niet in staat",
            "others_data",
            EXPLANATION,
            false,
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("staat niet letterlijk in de tekst"));
        assert!(
            refused.body.contains("een zin die er niet in staat"),
            "kept"
        );
        let refused = withhold(
            &sc.staff,
            sc.passage_entry,
            "passage",
            PASSAGE,
            "",
            "kort",
            false,
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Kies de grond waarop u achterhoudt."));
        assert!(refused.body.contains("ten minste 10 tekens toe waarom"));
        assert!(refused.body.contains(">kort</textarea>"), "kept");
        let refused = withhold(
            &sc.staff,
            sc.passage_entry,
            "passage",
            "ab",
            "others_data",
            EXPLANATION,
            false,
        )
        .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("ten minste 3 tekens"));
        assert_eq!(withholdings_in_force(&s, &sc).await, 0, "nothing stored");

        // A caseworker not assigned to the trajectory cannot even open the page.
        assert_eq!(
            sc.colleague
                .get(&format!("/items/{}/achterhouden", sc.passage_entry))
                .await
                .status,
            404
        );
        let theirs = withhold(
            &sc.colleague,
            sc.passage_entry,
            "passage",
            PASSAGE,
            "others_data",
            EXPLANATION,
            false,
        )
        .await;
        assert_eq!(theirs.status, 404, "{}", theirs.body);
        assert_eq!(withholdings_in_force(&s, &sc).await, 0);

        // The worker withholds: a passage, an entry with the ground shown, an entry and
        // a passage with even the fact hidden.
        for (entry, scope, passage, ground, hide) in [
            (sc.passage_entry, "passage", PASSAGE, "others_data", false),
            (sc.whole_entry, "entry", "", "prevention_of_crime", false),
            (sc.hidden_entry, "entry", "", "protection_of_others", true),
            (
                sc.hidden_passage_entry,
                "passage",
                HIDDEN_PASSAGE,
                "protection_of_others",
                true,
            ),
        ] {
            let done = withhold(&sc.staff, entry, scope, passage, ground, EXPLANATION, hide).await;
            assert_eq!(done.status, 303, "{scope} {ground}: {}", done.body);
        }
        assert_eq!(withholdings_in_force(&s, &sc).await, 4);

        // Staff see the full content with a badge on each entry.
        let dossier = sc.staff.get(&format!("/trajecten/{}", sc.trajectory)).await;
        assert_eq!(dossier.status, 200);
        assert!(dossier.body.contains("PASSAGE-BROER-7Q") && dossier.body.contains(HIDDEN));
        assert_eq!(
            dossier.body.matches("Achtergehouden voor cliënt").count(),
            4
        );

        // The portal: the passage replaced by its ground, the entry a notice, the hidden
        // ones nowhere, and no explanation on any page.
        let pages = portal_pages(&sc).await;
        for (path, page) in &pages {
            for secret in [
                "PASSAGE-BROER-7Q",
                WHOLE,
                HIDDEN,
                "ADRES-VADER-5M",
                "UITLEG-ALLEEN-INTERN",
                "bescherming van anderen",
            ] {
                assert!(
                    !page.body.contains(secret),
                    "{engine:?} {path} shows {secret}"
                );
            }
        }
        let dossier = &pages[1].1.body;
        assert!(
            dossier.contains(
                "Moeder vertelde dat [weggelaten: gegevens over anderen]. Verder gaat het goed"
            ),
            "{dossier}"
        );
        assert!(dossier.contains("om strafbare feiten te voorkomen"));
        assert!(
            dossier.contains("Vader woont op  en mag dat niet weten."),
            "the hidden passage leaves no marker"
        );
        assert!(
            !dossier.contains(&format!("item-{}", sc.hidden_entry)),
            "not even the entry"
        );
        assert!(!dossier.contains(&sc.whole_attachment.to_string()));
        assert_eq!(
            sc.portal
                .get(&format!("/portaal/bijlagen/{}", sc.whole_attachment))
                .await
                .status,
            404,
            "the attachment of a withheld entry"
        );

        // Lifting, with a reason; a short reason changes nothing.
        let views =
            s.t.app
                .trajectory_withholdings(&sc.worker, sc.trajectory)
                .await
                .unwrap();
        let of = |e: EntryId| views.iter().find(|w| w.entry == e).unwrap().id;
        let page = sc.staff.get("/").await;
        let short = sc
            .staff
            .post(
                &format!("/achterhoudingen/{}/opheffen", of(sc.passage_entry)),
                &[
                    ("csrf", &page.csrf()),
                    ("entry", &sc.passage_entry.to_string()),
                    ("reason", "te kort"),
                ],
            )
            .await;
        assert_eq!(short.status, 422);
        assert!(short.body.contains("reden van opheffen"));
        assert_eq!(withholdings_in_force(&s, &sc).await, 4);
        for entry in [sc.passage_entry, sc.whole_entry] {
            let lifted = sc
                .staff
                .post(
                    &format!("/achterhoudingen/{}/opheffen", of(entry)),
                    &[
                        ("csrf", &page.csrf()),
                        ("entry", &entry.to_string()),
                        ("reason", "Besproken met de cliënt; geen bezwaar meer"),
                    ],
                )
                .await;
            assert_eq!(lifted.status, 303, "{}", lifted.body);
        }
        assert_eq!(withholdings_in_force(&s, &sc).await, 2);
        let after = sc
            .portal
            .get(&format!("/portaal/trajecten/{}", sc.trajectory))
            .await;
        assert!(after.body.contains("PASSAGE-BROER-7Q"), "shown again");
        assert!(after.body.contains(WHOLE));
        assert!(!after.body.contains(HIDDEN) && !after.body.contains("ADRES-VADER-5M"));
        let file = sc
            .portal
            .get(&format!("/portaal/bijlagen/{}", sc.whole_attachment))
            .await;
        assert_eq!(file.status, 200);

        // Each write is in the audit log under the worker, naming no content.
        let officer = s.t.staff("fg.controle", Role::PrivacyOfficer, None).await;
        let events = fixtures::client_events(&s, &officer, sc.client).await;
        let writes: Vec<_> = events
            .iter()
            .filter(|e| {
                e.event.object == AuditObject::Withholding
                    && e.event.outcome == zv_domain::AuditOutcome::Success
            })
            .collect();
        assert_eq!(
            writes
                .iter()
                .filter(|e| e.event.action == AuditAction::Create)
                .count(),
            4
        );
        assert_eq!(
            writes
                .iter()
                .filter(|e| e.event.action == AuditAction::Update)
                .count(),
            2
        );
        assert!(
            writes
                .iter()
                .all(|e| e.event.user_id == sc.worker.user_id())
        );
        // The colleague's two tries: a refused read of the entry, a refused withholding.
        assert!(
            events
                .iter()
                .any(|e| e.event.object == AuditObject::Withholding
                    && e.event.outcome == zv_domain::AuditOutcome::Denied)
        );
        for e in &events {
            let text = format!("{:?}", e.event);
            for secret in ["PASSAGE-BROER", "UITLEG-ALLEEN", "ADRES-VADER", "Amal"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
    }
}

// promise: POR-2
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_officer_reviews_withholdings_and_nobody_else_does() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        for (entry, scope, passage, ground, hide) in [
            (sc.passage_entry, "passage", PASSAGE, "others_data", false),
            (sc.hidden_entry, "entry", "", "protection_of_others", true),
        ] {
            let done = withhold(&sc.staff, entry, scope, passage, ground, EXPLANATION, hide).await;
            assert_eq!(done.status, 303, "{}", done.body);
        }
        let views =
            s.t.app
                .trajectory_withholdings(&sc.worker, sc.trajectory)
                .await
                .unwrap();
        let passage_id = views
            .iter()
            .find(|w| w.entry == sc.passage_entry)
            .unwrap()
            .id;
        let hidden_id = views
            .iter()
            .find(|w| w.entry == sc.hidden_entry)
            .unwrap()
            .id;

        // The list: both open, with ground, date, who and the hide-fact flag; no content.
        let list = sc.officer.get("/privacy/achterhoudingen").await;
        assert_eq!(list.status, 200, "{engine:?}: {}", list.body);
        for id in [passage_id, hidden_id] {
            assert!(list.body.contains(&format!("withholding-{id}")));
        }
        assert!(list.body.contains("gegevens over anderen"));
        assert!(list.body.contains("Medewerker hulpverlener"));
        assert!(!list.body.contains("PASSAGE-BROER") && !list.body.contains("UITLEG-ALLEEN"));
        // The detail shows what was withheld and why.
        let detail = sc
            .officer
            .get(&format!("/privacy/achterhoudingen/{passage_id}"))
            .await;
        assert_eq!(detail.status, 200, "{}", detail.body);
        assert!(detail.body.contains("PASSAGE-BROER-7Q") && detail.body.contains(EXPLANATION));

        // Nobody else reviews: not the worker on the case, not a colleague.
        for c in [&sc.staff, &sc.colleague] {
            assert_eq!(
                c.get(&format!("/privacy/achterhoudingen/{passage_id}"))
                    .await
                    .status,
                404
            );
            let page = c.get("/").await;
            let tried = c
                .post(
                    &format!("/privacy/achterhoudingen/{passage_id}/beoordeling"),
                    &[("csrf", &page.csrf()), ("outcome", "agree"), ("note", "")],
                )
                .await;
            assert_eq!(tried.status, 404, "{}", tried.body);
            assert_eq!(c.get("/privacy/achterhoudingen").await.status, 403);
        }

        // Asking to lift takes a note; without one nothing is recorded.
        let page = sc.officer.get("/").await;
        let refused = sc
            .officer
            .post(
                &format!("/privacy/achterhoudingen/{hidden_id}/beoordeling"),
                &[
                    ("csrf", &page.csrf()),
                    ("outcome", "ask_to_lift"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains("waarom het achterhouden moet worden opgeheven")
        );
        let refused = sc
            .officer
            .post(
                &format!("/privacy/achterhoudingen/{hidden_id}/beoordeling"),
                &[("csrf", &page.csrf()), ("note", "iets")],
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains(">iets</textarea>"), "kept");
        assert_eq!(
            s.t.app
                .withholding_for_review(
                    &s.t.staff("fg.b", Role::PrivacyOfficer, None).await,
                    hidden_id
                )
                .await
                .unwrap()
                .review
                .map(|r| r.at),
            None
        );

        let agreed = sc
            .officer
            .post(
                &format!("/privacy/achterhoudingen/{passage_id}/beoordeling"),
                &[("csrf", &page.csrf()), ("outcome", "agree"), ("note", "")],
            )
            .await;
        assert_eq!(agreed.status, 303, "{}", agreed.body);
        let asked = sc
            .officer
            .post(
                &format!("/privacy/achterhoudingen/{hidden_id}/beoordeling"),
                &[
                    ("csrf", &page.csrf()),
                    ("outcome", "ask_to_lift"),
                    ("note", "Geen gevaar meer sinds de verhuizing"),
                ],
            )
            .await;
        assert_eq!(asked.status, 303, "{}", asked.body);
        let list = sc.officer.get("/privacy/achterhoudingen").await;
        assert!(
            !list.body.contains(&format!("withholding-{passage_id}")),
            "reviewed"
        );
        assert!(
            list.body.contains(&format!("withholding-{hidden_id}")),
            "asked to lift, still in force"
        );
        assert!(list.body.contains("gevraagd op te heffen"));
        // Agreed once is done.
        let again = sc
            .officer
            .post(
                &format!("/privacy/achterhoudingen/{passage_id}/beoordeling"),
                &[("csrf", &page.csrf()), ("outcome", "agree"), ("note", "")],
            )
            .await;
        assert_eq!(again.status, 422);
        assert!(again.body.contains("al opgeheven of beoordeeld"));

        // The worker sees the review and the note on the entry's page.
        let entry_page = sc
            .staff
            .get(&format!("/items/{}/achterhouden", sc.hidden_entry))
            .await;
        assert!(
            entry_page
                .body
                .contains("Geen gevaar meer sinds de verhuizing")
        );
        let dossier = sc.staff.get(&format!("/trajecten/{}", sc.trajectory)).await;
        assert!(dossier.body.contains("gevraagd op te heffen"));
        assert!(dossier.body.contains("Achtergehouden voor cliënt · het hele item · bescherming van anderen · ook het feit verborgen"));
    }
}

// promise: POR-2
#[tokio::test(flavor = "multi_thread")]
async fn withholdings_through_the_api_follow_the_same_rules() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&sc.staff, "dossier", &["read", "write"], &expires).await,
        );
        let theirs = Api::new(
            &s,
            &make_token(&sc.colleague, "collega", &["read", "write"], &expires).await,
        );
        let officer = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        let body = json!({
            "scope": "passage",
            "passage": PASSAGE,
            "ground": "others_data",
            "explanation": EXPLANATION,
        });
        let path = format!("/entries/{}/withholdings", sc.passage_entry);
        assert_eq!(theirs.post(&path, &body).await.status, 404, "not assigned");
        let missing = api
            .post(
                &path,
                &json!({"scope": "passage", "ground": "others_data", "explanation": EXPLANATION}),
            )
            .await;
        assert_eq!(missing.status, 422);
        assert_eq!(missing.json["field"], "passage");
        let wrong = api
            .post(&path, &json!({"scope": "passage", "passage": "staat er niet", "ground": "others_data", "explanation": EXPLANATION}))
            .await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.json["field"], "passage");
        assert!(
            !wrong.text().contains("staat er niet"),
            "a value is never echoed"
        );
        let made = api.post(&path, &body).await;
        assert_eq!(made.status, 201, "{engine:?}: {}", made.text());
        conforms(&doc, "post", "/entries/{id}/withholdings", &made);
        let id = made.json["id"].as_str().unwrap().to_owned();

        let list = api
            .get(&format!("/trajectories/{}/withholdings", sc.trajectory))
            .await;
        assert_eq!(list.status, 200, "{}", list.text());
        conforms(&doc, "get", "/trajectories/{id}/withholdings", &list);
        assert_eq!(list.json[0]["passage"], PASSAGE);
        assert_eq!(list.json[0]["passage_found"], true);
        assert_eq!(
            theirs
                .get(&format!("/trajectories/{}/withholdings", sc.trajectory))
                .await
                .status,
            404
        );

        let open = officer.get("/withholdings").await;
        assert_eq!(open.status, 200, "{}", open.text());
        conforms(&doc, "get", "/withholdings", &open);
        assert_eq!(open.json.as_array().unwrap().len(), 1);
        assert!(
            !open.text().contains("PASSAGE-BROER"),
            "the list has no content"
        );
        let one = officer.get(&format!("/withholdings/{id}")).await;
        assert_eq!(one.status, 200);
        conforms(&doc, "get", "/withholdings/{id}", &one);
        assert_eq!(one.json["explanation"], EXPLANATION);
        assert_eq!(
            api.get("/withholdings").await.status,
            403,
            "the audit scope"
        );
        let no_note = officer
            .post(
                &format!("/withholdings/{id}/review"),
                &json!({"outcome": "ask_to_lift"}),
            )
            .await;
        assert_eq!(no_note.status, 422);
        assert_eq!(no_note.json["field"], "note");
        let reviewed = officer
            .post(
                &format!("/withholdings/{id}/review"),
                &json!({"outcome": "agree"}),
            )
            .await;
        assert_eq!(reviewed.status, 204, "{}", reviewed.text());
        assert_eq!(officer.get("/withholdings").await.json, json!([]));

        let lift = format!("/withholdings/{id}/lift");
        assert_eq!(
            theirs
                .post(&lift, &json!({"reason": "Geen reden meer om"}))
                .await
                .status,
            404
        );
        assert_eq!(
            api.post(&lift, &json!({"reason": "kort"})).await.status,
            422
        );
        assert_eq!(
            api.post(&lift, &json!({"reason": "Besproken met de cliënt"}))
                .await
                .status,
            204
        );
        assert_eq!(
            api.post(&lift, &json!({"reason": "Besproken met de cliënt"}))
                .await
                .status,
            409
        );
        let page = sc
            .portal
            .get(&format!("/portaal/trajecten/{}", sc.trajectory))
            .await;
        assert!(page.body.contains("PASSAGE-BROER-7Q"));
    }
}

/// Posts the rights-request form as the client fills it in.
async fn file_request(p: &WebClient, fields: &[(&str, &str)]) -> Page {
    let page = p.get("/portaal/verzoeken").await;
    let mut form = vec![("csrf", page.csrf())];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    p.post("/portaal/verzoeken", &form).await
}

async fn file_complaint(p: &WebClient, subject: &str, text: &str) -> Page {
    let page = p.get("/portaal/verzoeken").await;
    p.post(
        "/portaal/klachten",
        &[("csrf", &page.csrf()), ("subject", subject), ("text", text)],
    )
    .await
}

// promise: POR-4
#[tokio::test(flavor = "multi_thread")]
async fn a_client_files_requests_and_complaints_from_the_portal_with_a_reference() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let p = &sc.portal;
        let home = p.get("/portaal").await;
        assert!(home.body.contains("/portaal/verzoeken"));
        let form = p.get("/portaal/verzoeken").await;
        assert_eq!(form.status, 200, "{engine:?}: {}", form.body);
        for right in [
            "Inzage",
            "Kopie",
            "Correctie",
            "Verwijdering",
            "Beperking van de verwerking",
            "Overdracht van gegevens",
            "Bezwaar",
            "Toestemming intrekken",
        ] {
            assert!(form.body.contains(right), "{right}");
        }
        assert!(form.body.contains("U heeft nog niets ingediend."));

        // Refused: every field named, what was typed kept, nothing stored.
        let refused = file_request(
            p,
            &[("scope", "trajectories"), ("text", "Mijn eigen woorden")],
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("Kies welk verzoek u doet."));
        assert!(
            refused
                .body
                .contains("vink ten minste één van uw hulptrajecten aan")
        );
        assert!(refused.body.contains(">Mijn eigen woorden</textarea>"));
        let (_, elsewhere) =
            s.t.intake(&sc.worker, "Bram de Vries", "1990-01-02", "amw")
                .await;
        let elsewhere = elsewhere.to_string();
        let not_theirs = file_request(
            p,
            &[
                ("kind", "access"),
                ("scope", "trajectories"),
                ("trajectories", &elsewhere),
            ],
        )
        .await;
        assert_eq!(not_theirs.status, 422, "another client's trajectory");
        let too_long = "x".repeat(5_001);
        let long = file_request(
            p,
            &[("kind", "access"), ("scope", "all"), ("text", &too_long)],
        )
        .await;
        assert_eq!(long.status, 422);
        assert!(long.body.contains("ten hoogste 5000 tekens"));
        let forged = p
            .post(
                "/portaal/verzoeken",
                &[("csrf", "vervalst"), ("kind", "access"), ("scope", "all")],
            )
            .await;
        assert_eq!(forged.status, 403);
        let refused = file_complaint(p, "", "").await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Geef uw klacht een kort onderwerp"));
        assert!(refused.body.contains("Beschrijf uw klacht"));
        let kept = file_complaint(p, "Bejegening", "").await;
        assert!(kept.body.contains("value=\"Bejegening\""));
        assert_eq!(
            s.t.app.count_filings().await.unwrap(),
            (0, 0),
            "nothing stored"
        );
        assert!(
            p.get("/portaal/verzoeken")
                .await
                .body
                .contains("U heeft nog niets ingediend.")
        );

        // Filed: a reference at once, without anything personal in it.
        let filed = file_request(
            p,
            &[
                ("kind", "access"),
                ("scope", "all"),
                ("text", "TOELICHTING-VERZOEK-4R graag alles"),
            ],
        )
        .await;
        assert_eq!(filed.status, 303, "{}", filed.body);
        assert_eq!(
            filed.location(),
            Some("/portaal/verzoeken?kenmerk=VZ-2026-000001#ontvangen")
        );
        let ack = p.get("/portaal/verzoeken?kenmerk=VZ-2026-000001").await;
        assert!(
            ack.body
                .contains("Uw kenmerk is <strong class=\"reference\">VZ-2026-000001</strong>")
        );
        let trajectory = sc.trajectory.to_string();
        let chosen = file_request(
            p,
            &[
                ("kind", "rectification"),
                ("scope", "trajectories"),
                ("trajectories", &trajectory),
            ],
        )
        .await;
        assert_eq!(
            chosen.location(),
            Some("/portaal/verzoeken?kenmerk=VZ-2026-000002#ontvangen")
        );
        let complaint =
            file_complaint(p, "Bejegening", "KLACHT-TEKST-8P ik werd niet teruggebeld").await;
        assert_eq!(
            complaint.location(),
            Some("/portaal/verzoeken?kenmerk=KL-2026-000001#ontvangen")
        );
        assert_eq!(s.t.app.count_filings().await.unwrap(), (2, 1));
        // Another's reference is never echoed.
        let echo = p.get("/portaal/verzoeken?kenmerk=VZ-2026-999999").await;
        assert!(!echo.body.contains("VZ-2026-999999"));

        let mine = p.get("/portaal/verzoeken").await;
        for shown in [
            "VZ-2026-000001",
            "VZ-2026-000002",
            "KL-2026-000001",
            "Inzage",
            "Correctie",
            "Bejegening",
            "ontvangen",
        ] {
            assert!(mine.body.contains(shown), "{shown}");
        }

        // The privacy officer sees them, and what the client wrote.
        let list = sc.officer.get("/privacy/verzoeken").await;
        assert_eq!(list.status, 200, "{}", list.body);
        for shown in [
            "VZ-2026-000001",
            "VZ-2026-000002",
            "KL-2026-000001",
            "Mijn dossier",
        ] {
            assert!(list.body.contains(shown), "{shown}");
        }
        assert!(
            !list.body.contains("TOELICHTING-VERZOEK"),
            "the list has no content"
        );
        let filings =
            s.t.app
                .filed_requests(&s.t.staff("fg.c", Role::PrivacyOfficer, None).await)
                .await
                .unwrap();
        let request_id = filings
            .iter()
            .find(|f| f.reference == "VZ-2026-000001")
            .unwrap()
            .id;
        let complaint_id = filings
            .iter()
            .find(|f| f.reference == "KL-2026-000001")
            .unwrap()
            .id;
        let detail = sc
            .officer
            .get(&format!("/privacy/verzoeken/{request_id}"))
            .await;
        assert_eq!(detail.status, 200, "{}", detail.body);
        assert!(
            detail.body.contains("TOELICHTING-VERZOEK-4R") && detail.body.contains("Amal Haddad")
        );
        let detail = sc
            .officer
            .get(&format!("/privacy/verzoeken/{complaint_id}"))
            .await;
        assert!(detail.body.contains("KLACHT-TEKST-8P"));
        // Not the caseworker.
        assert_eq!(sc.staff.get("/privacy/verzoeken").await.status, 403);
        assert_eq!(
            sc.staff
                .get(&format!("/privacy/verzoeken/{request_id}"))
                .await
                .status,
            404
        );

        // The API, for the privacy officer's audit scope.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let officer = Api::new(
            &s,
            &make_token(&sc.officer, "fg", &["audit"], &expires).await,
        );
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let all = officer.get("/requests").await;
        assert_eq!(all.status, 200, "{}", all.text());
        conforms(&doc, "get", "/requests", &all);
        assert_eq!(all.json.as_array().unwrap().len(), 3);
        let one = officer.get(&format!("/requests/{request_id}")).await;
        conforms(&doc, "get", "/requests/{id}", &one);
        assert_eq!(one.json["filed"]["kind"], "access");
        assert_eq!(one.json["filed"]["status"], "received");
        assert_eq!(one.json["filed"]["channel"], "portal");

        // Filed under the portal account, on the client's own ground, naming no content.
        let fg = s.t.staff("fg.d", Role::PrivacyOfficer, None).await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let created: Vec<_> = events
            .iter()
            .filter(|e| {
                e.event.action == AuditAction::Create
                    && matches!(
                        e.event.object,
                        AuditObject::RightsRequest | AuditObject::Complaint
                    )
            })
            .collect();
        assert_eq!(created.len(), 3);
        assert!(
            created
                .iter()
                .all(|e| e.event.role == "client"
                    && e.event.purpose == zv_domain::Purpose::OwnAccess)
        );
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("TOELICHTING") && !text.contains("KLACHT-TEKST"),
                "{text}"
            );
        }
    }
}

// promise: POR-4
#[tokio::test(flavor = "multi_thread")]
async fn a_client_sees_only_their_own_requests() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let filed = file_request(&sc.portal, &[("kind", "erasure"), ("scope", "all")]).await;
        assert_eq!(filed.status, 303, "{engine:?}: {}", filed.body);
        let (other, _) =
            s.t.intake(&sc.worker, "Bram de Vries", "1990-01-02", "amw")
                .await;
        let p2 = fixtures::portal(&s, &sc.staff, other, "bram").await;
        let theirs = p2.get("/portaal/verzoeken").await;
        assert_eq!(theirs.status, 200);
        assert!(!theirs.body.contains("VZ-2026-000001"));
        assert!(theirs.body.contains("U heeft nog niets ingediend."));
        let own = file_complaint(&p2, "Wachttijd", "Te lang gewacht").await;
        assert_eq!(
            own.location(),
            Some("/portaal/verzoeken?kenmerk=KL-2026-000001#ontvangen")
        );
        assert!(
            !sc.portal
                .get("/portaal/verzoeken")
                .await
                .body
                .contains("KL-2026-000001")
        );
    }
}
