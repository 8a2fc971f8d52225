//! The k-anonymous export for training and research (SHR-5, decision 0039), through HTTP
//! on both engines: on the demo data every combination of quasi-identifiers in the CSV
//! is shared by at least the policy's k, the achieved k is reported and reached, and no
//! column holds a name, an id, a birth date, an exact date or free text (every cell is
//! from a closed vocabulary); the page, the CSV and the API agree, two downloads are the
//! same file, a frozen trajectory stays out, and every export is in the audit log. Only
//! management and the privacy officer reach it; too few people give an empty export
//! that says so instead of claiming k.

use std::collections::{BTreeSet, HashMap};

use zv_core::processing_stops::{RestrictionGround, RestrictionInput};
use zv_domain::{AuditAction, AuditObject, Purpose, Role};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, conforms, make_token};

const HEADER: [&str; 9] = [
    "service_type",
    "place",
    "age_band",
    "gender",
    "start_period",
    "duration",
    "domestic_violence",
    "goals_set",
    "goals_reached",
];

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

fn rows(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Whether `cell` of column `i` is a value the column may hold: codes of the policy and
/// of the export, nothing typed by a person.
fn allowed(s: &TestServer, i: usize, cell: &str) -> bool {
    let policy = s.t.app.policy();
    let period = |c: &str| {
        let (year, quarter) = c.split_once("-Q").unwrap_or((c, "1"));
        year.len() == 4
            && year.chars().all(|d| d.is_ascii_digit())
            && ["1", "2", "3", "4"].contains(&quarter)
    };
    let goals = |c: &str| ["0", "1", "2", "3", "4", "5+"].contains(&c);
    cell == "*"
        || match i {
            0 => policy.service_types().iter().any(|t| t.code == cell),
            1 => {
                cell == "unknown"
                    || policy
                        .branches()
                        .iter()
                        .any(|b| b.code == cell || b.municipalities.iter().any(|m| m == cell))
            }
            2 => [
                "under_own_access",
                "consultative",
                "independent",
                "adult",
                "minor",
                "unknown",
            ]
            .contains(&cell),
            3 => ["female", "male", "non_binary", "unknown"].contains(&cell),
            4 => period(cell),
            5 => ["<3m", "3-12m", "12m+", "ongoing", "closed"].contains(&cell),
            6 => cell == "true" || cell == "false",
            _ => goals(cell),
        }
}

/// The events of the audit log, read by a privacy officer.
async fn audit(s: &TestServer, name: &str) -> Vec<zv_domain::NewAuditEvent> {
    let auditor = s.staff(name, Role::PrivacyOfficer, None).await.0;
    s.t.app
        .audit_events(&auditor, &zv_core::audit_log::AuditQuery::default(), 500)
        .await
        .unwrap()
        .events
        .into_iter()
        .map(|e| e.event)
        .collect()
}

// promise: SHR-5
#[tokio::test(flavor = "multi_thread")]
async fn the_training_export_reaches_k_on_the_demo_data_and_holds_nothing_that_names_anyone() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let today = s.t.clock_today();
        let demo =
            s.t.app
                .load_demo(zv_core::demo::DemoOptions {
                    clients: 250,
                    seed: 5,
                    as_of: today,
                })
                .await
                .unwrap();
        // One more client, whose name and birth date must appear nowhere.
        let worker =
            s.t.staff("hulpverlener.k", Role::Caseworker, Some(&s.t.first_team()))
                .await;
        let (marked, _) =
            s.t.intake(&worker, "Merkteken Zeldzaamheid", "1961-07-23", "amw")
                .await;
        let k = usize::try_from(s.t.app.policy().reports().training_k).unwrap();
        assert!(k >= 2);

        // The manager finds it from the reports page and reads what it achieves.
        let manager = signed_in(&s, "manager.k", Role::Manager).await;
        let reports = manager.get("/rapportages").await;
        assert!(
            reports.body.contains("href=\"/rapportages/training\""),
            "{engine:?}"
        );
        let page = manager.get("/rapportages/training").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(
            page.body
                .contains("Anonieme export voor training en onderzoek")
        );
        assert!(page.body.contains("Bereikte k"));
        assert!(page.body.contains("href=\"/rapportages/training.csv\""));
        assert!(!page.body.contains("Merkteken"));

        // The file: a header of codes, every combination shared by at least k.
        let file = manager.get("/rapportages/training.csv").await;
        assert_eq!(file.status, 200, "{engine:?}: {}", file.body);
        assert!(
            file.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let (header, records) = rows(&file.body);
        assert_eq!(header, HEADER);
        assert!(!records.is_empty(), "{engine:?}: the demo gives an export");
        let mut classes: HashMap<&[String], usize> = HashMap::new();
        for r in &records {
            assert_eq!(r.len(), HEADER.len());
            *classes.entry(&r[..6]).or_default() += 1;
        }
        let smallest = classes.values().copied().min().unwrap();
        assert!(
            smallest >= k,
            "{engine:?}: a combination of {smallest} < {k}"
        );
        // No name, id, birth date, exact date or free text: every cell is a code.
        for r in &records {
            for (i, cell) in r.iter().enumerate() {
                assert!(
                    allowed(&s, i, cell),
                    "{engine:?}: column {} holds `{cell}`",
                    HEADER[i]
                );
                assert!(uuid::Uuid::parse_str(cell).is_err());
                assert!(chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_err());
            }
        }
        for absent in ["Merkteken", "Zeldzaamheid", "1961", &marked.to_string()] {
            assert!(!file.body.contains(absent), "{engine:?}: {absent}");
        }
        // The same data gives the same file.
        let again = manager.get("/rapportages/training.csv").await;
        assert_eq!(again.body, file.body, "{engine:?}");

        // The API: the same records, and the summary reaches k.
        let token = make_token(&manager, "Training", &["read"], "2026-12-31").await;
        let api = Api::new(&s, &token);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let json = api.get("/training-export").await;
        assert_eq!(json.status, 200, "{engine:?}: {}", json.text());
        conforms(&doc, "get", "/training-export", &json);
        let summary = &json.json["summary"];
        let achieved = summary["k_achieved"].as_u64().unwrap();
        assert!(achieved >= k as u64, "{engine:?}: {summary}");
        assert!(
            achieved <= smallest as u64,
            "counted in people, never more than records"
        );
        assert_eq!(summary["k_required"].as_u64(), Some(k as u64));
        // Every trajectory: the generated ones, the demo's portal client's and child's,
        // and the one just registered.
        let records_in = summary["records_in"].as_u64().unwrap();
        assert!(
            records_in > demo.trajectories && records_in <= demo.trajectories + 5,
            "{engine:?}: {} generated, {summary}",
            demo.trajectories
        );
        assert_eq!(summary["records_out"].as_u64(), Some(records.len() as u64));
        assert_eq!(
            summary["records_out"].as_u64().unwrap()
                + summary["records_suppressed"].as_u64().unwrap(),
            records_in
        );
        assert!(
            summary["records_suppressed"].as_u64() <= summary["suppression_limit"].as_u64(),
            "{summary}"
        );
        let levels: BTreeSet<&str> = summary["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["attribute"].as_str().unwrap())
            .collect();
        assert_eq!(levels, HEADER[..6].iter().copied().collect());
        let from_api: Vec<Vec<String>> = json.json["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                HEADER
                    .iter()
                    .map(|h| match &r[*h] {
                        serde_json::Value::String(v) => v.clone(),
                        v => v.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(from_api, records, "{engine:?}: the API and the file agree");
        let csv = api.get("/training-export.csv").await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.text(), file.body);

        // A frozen trajectory (a restriction, RTS-7) is not processed for training.
        let officer = s.t.staff("fg.k", Role::PrivacyOfficer, None).await;
        s.t.app
            .restrict_processing(
                &officer,
                marked,
                RestrictionInput {
                    trajectories: Vec::new(),
                    ground: RestrictionGround::ALL[0],
                    reason: "Cliënt betwist de juistheid van de gegevens".into(),
                    request: None,
                },
            )
            .await
            .unwrap();
        let after = api.get("/training-export").await.json;
        assert_eq!(
            after["summary"]["records_in"].as_u64(),
            Some(records_in - 1),
            "{engine:?}"
        );

        // Every view and export is recorded first, for statistics.
        let events = audit(&s, "fg.audit").await;
        let of = |action: AuditAction| {
            events
                .iter()
                .filter(|e| {
                    e.object == AuditObject::TrainingExport
                        && e.action == action
                        && e.purpose == Purpose::Statistics
                        && e.role == "manager"
                })
                .count()
        };
        assert_eq!(of(AuditAction::Read), 1, "{engine:?}: the page");
        assert_eq!(
            of(AuditAction::Export),
            5,
            "{engine:?}: the page's file twice, the API's JSON twice and its CSV once"
        );
    }
}

// promise: SHR-5
#[tokio::test(flavor = "multi_thread")]
async fn only_management_and_the_privacy_officer_take_the_export_and_too_few_people_give_none() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker =
            s.t.staff("hulpverlener.k", Role::Caseworker, Some(&s.t.first_team()))
                .await;
        for (i, name) in ["Anna Eerste", "Bram Tweede", "Cor Derde"]
            .iter()
            .enumerate()
        {
            s.t.intake(&worker, name, &format!("198{i}-03-04"), "amw")
                .await;
        }

        // Three people cannot make k = 5: the export is empty and says so.
        let officer = signed_in(&s, "fg.k", Role::PrivacyOfficer).await;
        let page = officer.get("/rapportages/training").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(
            page.body.contains("Niet bereikt: de export is leeg"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("href=\"/rapportages/training.csv\""));
        // The same in English.
        officer.post("/taal/en", &[]).await;
        let english = officer.get("/rapportages/training").await;
        assert!(
            english
                .body
                .contains("Anonymous export for training and research"),
            "{}",
            english.body
        );
        assert!(english.body.contains("Not reached: the export is empty"));
        assert!(english.body.contains("Start period"));
        officer.post("/taal/nl", &[]).await;
        let file = officer.get("/rapportages/training.csv").await;
        assert_eq!(file.status, 200);
        let (header, records) = rows(&file.body);
        assert_eq!(header, HEADER);
        assert!(records.is_empty(), "{engine:?}: {}", file.body);
        let token = make_token(&officer, "Training", &["read"], "2026-12-31").await;
        let json = Api::new(&s, &token).get("/training-export").await;
        assert_eq!(json.status, 200, "{}", json.text());
        assert!(
            json.json["summary"]["k_achieved"].is_null(),
            "{}",
            json.json
        );
        assert_eq!(json.json["summary"]["records_in"].as_u64(), Some(3));
        assert_eq!(json.json["summary"]["records_suppressed"].as_u64(), Some(3));

        // The static paths win over a released report's `/rapportages/{id}`, which
        // still answers for an id.
        let unknown = officer
            .get(&format!("/rapportages/{}", uuid::Uuid::new_v4()))
            .await;
        assert_eq!(unknown.status, 404, "{engine:?}");

        // The quality officer reads the municipality reports, but not this export, and
        // is not shown the way to it.
        let quality = signed_in(&s, "kwaliteit.k", Role::QualityOfficer).await;
        let reports = quality.get("/rapportages").await;
        assert_eq!(reports.status, 200);
        assert!(!reports.body.contains("/rapportages/training"));
        // Caseworkers, team leads and the administrator reach nothing of it, and their
        // menu does not lead there.
        let mut refused = vec![("kwaliteit.k", quality)];
        for (name, role) in [
            ("hulpverlener.web", Role::Caseworker),
            ("teamleider.k", Role::TeamLead),
            ("beheerder.k", Role::Administrator),
        ] {
            let c = signed_in(&s, name, role).await;
            assert!(!c.get("/").await.body.contains("/rapportages/training"));
            refused.push((name, c));
        }
        for (name, c) in &refused {
            for path in ["/rapportages/training", "/rapportages/training.csv"] {
                let r = c.get(path).await;
                assert!(
                    matches!(r.status, 403 | 404),
                    "{engine:?} {name} {path}: {}",
                    r.status
                );
                assert!(!r.body.contains("service_type"), "{name}");
            }
            let token = make_token(c, "Training", &["read"], "2026-12-31").await;
            let api = Api::new(&s, &token);
            for path in ["/training-export", "/training-export.csv"] {
                let r = api.get(path).await;
                assert_eq!(r.status, 403, "{engine:?} {name} {path}: {}", r.text());
            }
        }
        let visitor = s.client().get("/rapportages/training.csv").await;
        assert!(
            matches!(visitor.status, 303 | 401 | 403),
            "{}",
            visitor.status
        );

        // Refusals are recorded too; no export left for anyone refused.
        let events = audit(&s, "fg.audit").await;
        let exports: Vec<_> = events
            .iter()
            .filter(|e| e.object == AuditObject::TrainingExport && e.action == AuditAction::Export)
            .collect();
        assert!(
            exports
                .iter()
                .any(|e| e.role == "privacy_officer"
                    && e.outcome == zv_domain::AuditOutcome::Success)
        );
        assert!(
            exports
                .iter()
                .filter(|e| e.outcome == zv_domain::AuditOutcome::Success)
                .all(|e| e.role == "privacy_officer"),
            "{engine:?}"
        );
    }
}
