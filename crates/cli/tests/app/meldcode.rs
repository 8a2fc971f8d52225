//! The meldcode workflow (MLD-1) through HTTP on both engines, as the caseworker, a
//! colleague of another team, the client and the privacy officer meet it: the steps from
//! the signals to a report to Veilig Thuis, each an entry of the dossier and the report a
//! disclosure on the reporting right; the framework's questions only in order; a
//! decision against the framework only with a reason; nothing for a colleague of another
//! team (ACC-2); a step shielded for safety never in the client's portal or access copy,
//! and on the privacy officer's list of withholdings with the ground "safety".

use std::io::Read;

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::Actor;
use zv_core::requests::RequestKind;
use zv_domain::{AuditObject, ClientId, TrajectoryId};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

/// A signal's fact, and the opinion kept apart from it.
const FACT: &str = "FEIT-BLAUWE-PLEK-4R op de arm van de dochter";
const OPINION: &str = "MENING-ZORGEN-7T: ik denk dat vader slaat";
/// A step shielded for safety: never in the portal or the copy.
const SHIELDED: &str = "AFGESCHERMD-SIGNAAL-2W";
/// A step the client may read.
const OPEN: &str = "OPEN-ADVIES-6N";

struct Scene {
    people: fixtures::Staff,
    worker: Actor,
    client: ClientId,
    trajectory: TrajectoryId,
    worker_api: Api,
    officer_api: Api,
    colleague_api: Api,
    doc: Value,
}

async fn scene(s: &TestServer) -> Scene {
    let people = fixtures::staff(s, "amw-helmond", "jeugd-eindhoven").await;
    let worker = people.worker.clone();
    let today = s.t.clock_today();
    let (client, trajectory) = fixtures::amw_client(
        s,
        &worker,
        "Sara Meldcode",
        "1990-04-05",
        true,
        "2026-01-05",
    )
    .await;
    let until = (today + Duration::days(30)).to_string();
    let worker_api = Api::new(
        s,
        &make_token(&people.staff, "meldcode", &["read", "write"], &until).await,
    );
    let officer_api = Api::new(
        s,
        &make_token(&people.officer, "register", &["audit", "read"], &until).await,
    );
    let colleague_api = Api::new(
        s,
        &make_token(&people.colleague, "elders", &["read", "write"], &until).await,
    );
    let doc = Api::anonymous(s).get("/openapi.json").await.json;
    Scene {
        people,
        worker,
        client,
        trajectory,
        worker_api,
        officer_api,
        colleague_api,
        doc,
    }
}

impl Scene {
    fn path(&self, step: &str) -> String {
        if step.is_empty() {
            format!("/trajectories/{}/meldcode", self.trajectory)
        } else {
            format!("/trajectories/{}/meldcode/{step}", self.trajectory)
        }
    }

    async fn post(&self, step: &str, body: &Value) -> crate::api::Answer {
        let a = self.worker_api.post(&self.path(step), body).await;
        if a.status == 201 {
            conforms(
                &self.doc,
                "post",
                &format!("/trajectories/{{id}}/meldcode/{step}"),
                &a,
            );
        }
        a
    }

    async fn answer(&self, question: &str, answer: bool) -> crate::api::Answer {
        self.post(
            "answers",
            &json!({"question": question, "answer": answer, "explanation": "Toelichting"}),
        )
        .await
    }

    async fn view(&self) -> Value {
        let a = self.worker_api.get(&self.path("")).await;
        assert_eq!(a.status, 200, "{}", a.json);
        conforms(&self.doc, "get", "/trajectories/{id}/meldcode", &a);
        a.json
    }

    /// The Veilig Thuis in the register, added by the privacy officer.
    async fn veilig_thuis(&self) -> uuid::Uuid {
        let a = self
            .officer_api
            .post(
                "/recipients",
                &json!({"name": "Veilig Thuis Brabant-Zuidoost", "country": "NL", "kind": "veilig_thuis"}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);
        a.json["id"].as_str().unwrap().parse().unwrap()
    }
}

fn signals(fact: &str, kind: &str, shielded: bool) -> Value {
    json!({
        "occurred_on": "2026-02-02",
        "place": "Kantoor Helmond",
        "signals": [
            {"kind": kind, "fact": fact, "opinion": OPINION},
            {"fact": "De dochter (6) wil niet naar huis"},
        ],
        "children": "yes",
        "children_ages": [6, 9],
        "shielded": shielded,
    })
}

fn consultation(consulted: &str, advice: &str) -> Value {
    json!({
        "occurred_on": "2026-02-03",
        "place": "telefonisch",
        "consulted": consulted,
        "with_whom": "aandachtsfunctionaris J. de Wit",
        "advice": advice,
    })
}

fn skipped_conversation() -> Value {
    json!({
        "occurred_on": "2026-02-04",
        "place": "Kantoor Helmond",
        "held": false,
        "skipped_reason": "Vader mag niet weten dat wij signalen zien: gevaar voor moeder",
    })
}

// promise: MLD-1
#[tokio::test(flavor = "multi_thread")]
async fn the_meldcode_runs_from_signals_to_a_report_with_every_step_in_the_dossier() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;

        // No question before the signals, a consultation and the conversation.
        let a = sc.answer("suspicion", true).await;
        assert_eq!(a.status, 409, "{engine:?}: {}", a.json);
        assert_eq!(
            sc.post("signals", &signals("", "general", false))
                .await
                .status,
            422
        );
        assert!(
            sc.view().await["cases"].as_array().unwrap().is_empty(),
            "nothing stored"
        );

        // Step 1: an FGM signal asks to consult Veilig Thuis directly.
        let a = sc.post("signals", &signals(FACT, "fgm", false)).await;
        assert_eq!(a.status, 201, "{}", a.json);
        let v = sc.view().await;
        let case = &v["cases"][0];
        assert_eq!(case["veilig_thuis_required"], true);
        assert_eq!(case["next_question"], "suspicion");
        let a = sc
            .post(
                "consultations",
                &consultation("colleague", "Overleg met Veilig Thuis"),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);
        assert_eq!(
            sc.post("conversation", &skipped_conversation())
                .await
                .status,
            201
        );
        let a = sc.answer("suspicion", true).await;
        assert_eq!(a.status, 422, "Veilig Thuis first: {}", a.json);
        let v = sc.view().await;
        assert_eq!(
            v["cases"][0]["before_assessment"],
            json!(["veilig_thuis"]),
            "{v}"
        );
        let a = sc
            .post(
                "consultations",
                &consultation("veilig_thuis", "Melden bij VT"),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);

        // Steps 4 and 5: the questions only in order; each answer says what is next.
        let a = sc.answer("acute_unsafety", true).await;
        assert_eq!(a.status, 422, "out of order: {}", a.json);
        let a = sc.answer("suspicion", true).await;
        assert_eq!(a.status, 201, "{}", a.json);
        assert_eq!(a.json["next_question"], "acute_unsafety");
        let a = sc.answer("suspicion", true).await;
        assert_eq!(a.status, 422, "asked once: {}", a.json);
        let a = sc.answer("acute_unsafety", true).await;
        assert_eq!(a.status, 201, "{}", a.json);
        assert_eq!(a.json["outcome"], "report");
        assert_eq!(a.json["next_question"], Value::Null);
        assert_eq!(sc.answer("effective_help", true).await.status, 422);

        // A decision against the framework needs a reason; help needs agreements.
        let a = sc.post("decision", &json!({"decision": "close"})).await;
        assert_eq!(a.status, 422, "{}", a.json);
        assert_eq!(a.json["field"], "reason", "{}", a.json);
        let a = sc
            .post(
                "decision",
                &json!({"decision": "help", "reason": "Hulp loopt al goed"}),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.json);
        assert_eq!(a.json["field"], "agreements", "{}", a.json);
        let a = sc.post("decision", &json!({"decision": "report"})).await;
        assert_eq!(a.status, 422, "a report names Veilig Thuis: {}", a.json);
        assert!(
            sc.view().await["cases"][0]["decided_at"].is_null(),
            "nothing stored"
        );

        // The report: a disclosure on the reporting right; the client is told.
        let vt = sc.veilig_thuis().await;
        let a = sc
            .post(
                "decision",
                &json!({"decision": "report", "recipient": vt, "client_informed": true}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);
        let v = sc.view().await;
        let case = &v["cases"][0];
        assert!(case["decided_at"].is_string(), "{v}");
        assert_eq!(case["decision"], "report");
        let steps = case["steps"].as_array().unwrap();
        let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "signals",
                "consultation",
                "conversation",
                "consultation",
                "answer",
                "answer",
                "decision"
            ]
        );
        let signals_record = &steps[0]["record"];
        assert_eq!(signals_record["signals"][0]["fact"], FACT, "facts apart");
        assert_eq!(signals_record["signals"][0]["opinion"], OPINION);
        assert_eq!(signals_record["children_ages"], json!([6, 9]));
        let disclosure = steps[6]["record"]["disclosure"]
            .as_str()
            .unwrap()
            .to_owned();

        // Every step is an entry of the dossier, with date, who and place.
        let dossier = sc
            .worker_api
            .get(&format!("/trajectories/{}", sc.trajectory))
            .await;
        assert_eq!(dossier.status, 200, "{}", dossier.json);
        let entries: Vec<&Value> = dossier.json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "meldcode")
            .collect();
        assert_eq!(entries.len(), 7, "{}", dossier.json);
        for step in steps {
            assert!(entries.iter().any(|e| e["id"] == step["entry"]), "{step}");
        }
        let text = dossier.json.to_string();
        for shown in [
            FACT,
            OPINION,
            "Kantoor Helmond",
            "Datum: 2026-02-02",
            "Door: ",
            "Veilig Thuis",
            "melden bij Veilig Thuis",
        ] {
            assert!(text.contains(shown), "{shown} in {text}");
        }
        // A recorded step is not edited through the dossier.
        let entry = steps[0]["entry"].as_str().unwrap();
        let edit = sc
            .worker_api
            .put(
                &format!("/entries/{entry}"),
                &json!({"title": "anders", "body": "anders", "version": 1}),
            )
            .await;
        assert!(edit.status == 409 || edit.status == 422, "{}", edit.json);

        // The report is in the client's disclosures, on the reporting right.
        let listed = sc
            .worker_api
            .get(&format!("/trajectories/{}/disclosures", sc.trajectory))
            .await;
        assert_eq!(listed.status, 200, "{}", listed.json);
        let disclosures = listed.json["disclosures"].as_array().unwrap();
        assert_eq!(disclosures.len(), 1, "{}", listed.json);
        assert_eq!(disclosures[0]["id"], disclosure.as_str());
        assert_eq!(disclosures[0]["ground"], "legal_permission");
        assert!(
            disclosures[0]["law"].as_str().unwrap().contains("5.2.6"),
            "{}",
            listed.json
        );

        // Each write and read is in the audit log, by id only.
        let fg =
            s.t.staff("fg.meldcode", zv_domain::Role::PrivacyOfficer, None)
                .await;
        let events = fixtures::client_events(&s, &fg, sc.client).await;
        let meldcode: Vec<_> = events
            .iter()
            .filter(|e| e.event.object == AuditObject::Meldcode)
            .collect();
        assert!(meldcode.len() >= 7, "{meldcode:?}");
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("FEIT-BLAUWE") && !text.contains("MENING-ZORGEN"),
                "{text}"
            );
        }
        let _ = &sc.worker;
    }
}

// promise: MLD-1
#[tokio::test(flavor = "multi_thread")]
async fn no_suspicion_closes_and_helping_where_the_framework_says_report_needs_a_reason() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        assert_eq!(
            sc.post("signals", &signals(FACT, "general", false))
                .await
                .status,
            201
        );
        assert_eq!(
            sc.post("consultations", &consultation("colleague", "Afwachten"))
                .await
                .status,
            201
        );
        assert_eq!(
            sc.post("conversation", &skipped_conversation())
                .await
                .status,
            201
        );
        let a = sc.answer("suspicion", false).await;
        assert_eq!(a.json["outcome"], "close", "{engine:?}: {}", a.json);
        assert_eq!(sc.answer("acute_unsafety", false).await.status, 422);
        let a = sc.post("decision", &json!({"decision": "close"})).await;
        assert_eq!(a.status, 201, "{}", a.json);
        // Decided: no further answer or decision on it; new signals start a new case.
        assert_eq!(
            sc.post("decision", &json!({"decision": "close"}))
                .await
                .status,
            409
        );
        assert_eq!(
            sc.post("signals", &signals(FACT, "general", false))
                .await
                .status,
            201
        );
        assert_eq!(
            sc.post("consultations", &consultation("expert", "Hulp inzetten"))
                .await
                .status,
            201
        );
        let held = json!({
            "occurred_on": "2026-02-04", "place": "Huisbezoek", "held": true,
            "with_whom": "moeder", "summary": "Moeder wil hulp",
        });
        assert_eq!(sc.post("conversation", &held).await.status, 201);
        for (q, a) in [
            ("suspicion", true),
            ("acute_unsafety", false),
            ("effective_help", true),
            ("accepts_help", true),
        ] {
            assert_eq!(sc.answer(q, a).await.status, 201, "{q}");
        }
        let a = sc.answer("safety_in_time", false).await;
        assert_eq!(a.json["outcome"], "report", "{}", a.json);
        let a = sc
            .post(
                "decision",
                &json!({"decision": "help", "agreements": "Wekelijks huisbezoek, evaluatie over zes weken"}),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.json);
        assert_eq!(a.json["field"], "reason");
        let a = sc
            .post(
                "decision",
                &json!({
                    "decision": "help",
                    "reason": "Veilig Thuis adviseerde hulp met strak toezicht, geen melding",
                    "agreements": "Wekelijks huisbezoek, evaluatie over zes weken",
                }),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.json);
        let v = sc.view().await;
        assert_eq!(v["cases"].as_array().unwrap().len(), 2);
        assert_eq!(v["cases"][1]["outcome"], "report");
        assert_eq!(v["cases"][1]["decision"], "help");
        let listed = sc
            .worker_api
            .get(&format!("/trajectories/{}/disclosures", sc.trajectory))
            .await;
        assert!(
            listed.json["disclosures"].as_array().unwrap().is_empty(),
            "no report, no disclosure: {}",
            listed.json
        );
    }
}

// promise: MLD-1
// promise: ACC-2
#[tokio::test(flavor = "multi_thread")]
async fn a_colleague_of_another_team_neither_reads_nor_works_the_meldcode() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        assert_eq!(
            sc.post("signals", &signals(FACT, "general", false))
                .await
                .status,
            201
        );
        let page = sc
            .people
            .colleague
            .get(&format!("/trajecten/{}/meldcode", sc.trajectory))
            .await;
        assert_eq!(page.status, 404, "{engine:?}");
        assert!(!page.body.contains("FEIT-BLAUWE"));
        let a = sc.colleague_api.get(&sc.path("")).await;
        assert_eq!(a.status, 404, "{}", a.json);
        let a = sc
            .colleague_api
            .post(
                &sc.path("signals"),
                &signals("ANDERS-FEIT", "general", false),
            )
            .await;
        assert_eq!(a.status, 404, "{}", a.json);
        let v = sc.view().await;
        assert_eq!(
            v["cases"][0]["steps"].as_array().unwrap().len(),
            1,
            "nothing added"
        );
        // The worker on the case reads it on the page.
        let page = sc
            .people
            .staff
            .get(&format!("/trajecten/{}/meldcode", sc.trajectory))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("FEIT-BLAUWE-PLEK-4R"), "{}", page.body);
    }
}

/// Posts a form with the CSRF token of `page`.
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

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
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

// promise: MLD-1
// promise: POR-2
#[tokio::test(flavor = "multi_thread")]
async fn a_step_shielded_for_safety_stays_out_of_the_portal_and_the_access_copy() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let shielded = format!("{SHIELDED} gezien bij de school");
        assert_eq!(
            sc.post("signals", &signals(&shielded, "general", true))
                .await
                .status,
            201
        );
        assert_eq!(
            sc.post("consultations", &consultation("colleague", OPEN))
                .await
                .status,
            201
        );
        let staff_view = sc.view().await;
        assert_eq!(staff_view["cases"][0]["steps"][0]["shielded"], true);

        // The client reads the open step and nothing of the shielded one, not even that
        // something is withheld.
        let portal = fixtures::portal(&s, &sc.people.staff, sc.client, "sara").await;
        let page = portal
            .get(&format!("/portaal/trajecten/{}", sc.trajectory))
            .await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains(OPEN), "{}", page.body);
        for never in [SHIELDED, "FEIT-BLAUWE", "veiligheid", "signalen in kaart"] {
            assert!(!page.body.contains(never), "{never}: {}", page.body);
        }

        // The privacy officer sees it among the withholdings, on the ground "safety".
        let list = sc.people.officer.get("/privacy/achterhoudingen").await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains("veiligheid (meldcode)"), "{}", list.body);
        let open: Vec<Value> = sc
            .officer_api
            .get("/withholdings")
            .await
            .json
            .as_array()
            .unwrap()
            .clone();
        assert!(
            open.iter()
                .any(|w| w["ground"] == "safety" && w["hide_fact"] == true),
            "{open:?}"
        );

        // The access copy holds the open step, not the shielded one.
        let request = fixtures::file_in_portal(&s, &portal, RequestKind::Copy).await;
        let page_path = format!("/privacy/verzoeken/{request}/kopie");
        let (status, body, _) = post_on(&sc.people.officer, &page_path, &page_path, &[]).await;
        assert_eq!(status, 303, "{body}");
        let (status, body, location) = post_on(
            &portal,
            "/portaal/kopieen",
            &format!("/portaal/kopieen/{}/link", {
                let p = portal.get("/portaal/kopieen").await;
                p.body
                    .split("action=\"/portaal/kopieen/")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .unwrap()
                    .to_owned()
            }),
            &[],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let (status, _, bytes) = fixtures::get_file(&portal, &location.unwrap()).await;
        assert_eq!(status, 200);
        let files = unzip(&bytes);
        let json_text = files
            .iter()
            .find(|(n, _)| n.ends_with("kopie.json"))
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
            .unwrap();
        let pdf = fixtures::pdf_text(
            &files
                .iter()
                .find(|(n, _)| n.ends_with("kopie.pdf"))
                .unwrap()
                .1,
        );
        for (what, text) in [("json", &json_text), ("pdf", &pdf)] {
            assert!(text.contains(OPEN), "{what}: {text}");
            assert!(!text.contains(SHIELDED), "{what}");
            assert!(!text.contains("FEIT-BLAUWE"), "{what}");
        }
    }
}

// promise: MLD-1
#[tokio::test(flavor = "multi_thread")]
async fn the_meldcode_page_asks_the_next_question_only_and_names_every_refused_field_in_dutch() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let sc = scene(&s).await;
        let c = &sc.people.staff;
        let page_path = format!("/trajecten/{}/meldcode", sc.trajectory);
        let dossier = c.get(&format!("/trajecten/{}", sc.trajectory)).await;
        assert!(
            dossier.body.contains(&page_path),
            "the dossier links the meldcode"
        );
        let page = c.get(&page_path).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("Stap 1: signalen in kaart brengen"));
        assert!(!page.body.contains("meldcode-question"), "no question yet");

        // Refused: every field named in Dutch, what was typed kept, nothing stored.
        let (status, body, _) = post_on(
            c,
            &page_path,
            &format!("{page_path}/signalen"),
            &[
                ("occurred_on", ""),
                ("place", ""),
                ("fact1", "TYPED-FEIT-1Q"),
                ("children", ""),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        for shown in [
            "Vul een geldige datum in",
            "Vul de plaats in.",
            "Geef aan of er kinderen in het gezin zijn.",
            "TYPED-FEIT-1Q",
        ] {
            assert!(body.contains(shown), "{shown}: {body}");
        }
        assert!(sc.view().await["cases"].as_array().unwrap().is_empty());

        // The walk through the forms.
        let today = s.t.clock_today().to_string();
        for (path, fields) in [
            (
                "signalen",
                vec![
                    ("occurred_on", today.as_str()),
                    ("place", "Opvang"),
                    ("kind1", "honour_related"),
                    ("fact1", "Zij zegt bedreigd te worden door haar broer"),
                    ("opinion1", ""),
                    ("children", "no"),
                ],
            ),
            (
                "overleg",
                vec![
                    ("occurred_on", today.as_str()),
                    ("place", "telefonisch"),
                    ("consulted", "veilig_thuis"),
                    ("with_whom", "Veilig Thuis adviseur"),
                    ("advice", "Melden"),
                ],
            ),
            (
                "gesprek",
                vec![
                    ("occurred_on", today.as_str()),
                    ("place", "Opvang"),
                    ("held", "yes"),
                    ("with_whom", "cliënte"),
                    ("summary", "Besproken wat wij zien"),
                ],
            ),
        ] {
            let (status, body, location) =
                post_on(c, &page_path, &format!("{page_path}/{path}"), &fields).await;
            assert_eq!(status, 303, "{path}: {body}");
            assert!(location.unwrap().starts_with(&page_path));
        }
        let page = c.get(&page_path).await;
        assert!(
            page.body.contains("Afweging 1: is er een vermoeden"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("Afweging 2"),
            "only the question asked now"
        );
        let (status, _, _) = post_on(
            c,
            &page_path,
            &format!("{page_path}/afweging"),
            &[("question", "suspicion"), ("answer", "yes")],
        )
        .await;
        assert_eq!(status, 303);
        let page = c.get(&page_path).await;
        assert!(page.body.contains("Afweging 2: is er sprake van acute"));
        // A question out of order, as a hand-made form would send it: refused in Dutch.
        let (status, body, _) = post_on(
            c,
            &page_path,
            &format!("{page_path}/afweging"),
            &[("question", "accepts_help"), ("answer", "yes")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Deze vraag is nu niet aan de orde"), "{body}");
        let (status, _, _) = post_on(
            c,
            &page_path,
            &format!("{page_path}/afweging"),
            &[("question", "acute_unsafety"), ("answer", "yes")],
        )
        .await;
        assert_eq!(status, 303);
        let page = c.get(&page_path).await;
        assert!(
            page.body.contains("Uitkomst van het afwegingskader"),
            "{}",
            page.body
        );
        assert!(page.body.contains("melden bij Veilig Thuis"));
        let (status, body, _) = post_on(
            c,
            &page_path,
            &format!("{page_path}/besluit"),
            &[("decision", "close")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("Uw besluit wijkt af van de uitkomst"),
            "{body}"
        );
        let _ = &sc.worker;
    }
}
