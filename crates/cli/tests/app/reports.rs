//! Anonymous reports to municipalities (SHR-5), through HTTP on both engines: counts
//! from the trajectories' non-identifying facts only; small numbers suppressed, a second
//! cell where a total would reveal one, rounding to the policy's base; a report compared
//! with one released earlier over an overlapping period leaves out the cells whose
//! difference would single out the one person who came in between; released reports are
//! frozen, registered and downloadable as CSV and PDF with charts; bad input refused field
//! by field in Dutch with nothing released; only management, quality and the privacy
//! officer reach reports; the municipality of a trajectory is chosen at intake where a
//! branch serves several; trajectories from before the facts were kept get them from a
//! recorded job.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use zv_core::clients::NewClientInput;
use zv_core::gate::Actor;
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{AuditAction, AuditObject, BirthDate, Gender, PersonName, Role};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, conforms, make_token};
use crate::fixtures::pdf_text;

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

/// Registers `n` clients of `service`, born on `birth`, of `gender`, opened `on`, in the
/// first team (LEVgroep: Helmond), with unique names.
async fn clients(
    s: &TestServer,
    worker: &Actor,
    n: usize,
    service: &str,
    birth: &str,
    gender: Gender,
    on: &str,
) {
    for i in 0..n {
        s.t.app
            .register_client(
                worker,
                NewClientInput {
                    branch: "helmond".into(),
                    name: PersonName::parse(&format!(
                        "Rapport{} Cliënt{i}",
                        uuid::Uuid::new_v4().simple()
                    ))
                    .unwrap(),
                    birth_date: BirthDate::parse(birth, s.t.clock_today()).unwrap(),
                    gender,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                TrajectoryInput {
                    service_type: service.into(),
                    team: s.t.first_team(),
                    domestic_violence: false,
                    opened_on: date(on),
                    municipality: None,
                },
            )
            .await
            .unwrap();
    }
}

fn cell<'a>(report: &'a Value, key: &str) -> &'a Value {
    &report["cells"][key]
}

fn value(report: &Value, key: &str) -> Option<i64> {
    cell(report, key)["value"].as_i64()
}

/// No relation between parts and a total has exactly one suppressed member, which the
/// others would give away.
fn no_relation_leaks(report: &Value, services: &[String]) {
    for rel in zv_core::reports::relations(services, true) {
        let hidden = rel
            .parts
            .iter()
            .chain(std::iter::once(&rel.total))
            .filter(|k| value(report, k).is_none())
            .count();
        assert_ne!(hidden, 1, "{rel:?} gives its hidden cell away: {report}");
    }
}

fn why(report: &Value, key: &str) -> String {
    cell(report, key)["suppressed"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

// promise: SHR-5
#[tokio::test(flavor = "multi_thread")]
async fn reports_suppress_small_numbers_and_never_single_out_by_differencing() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        s.t.clock
            .set(Utc.with_ymd_and_hms(2026, 6, 15, 10, 0, 0).unwrap());
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let team = s.t.first_team();
        let (worker, _) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        // Twelve adults in social work (seven women, five men), three young people in
        // youth care: a small group in a small municipality.
        clients(
            &s,
            &worker,
            7,
            "amw",
            "1980-03-01",
            Gender::Female,
            "2026-02-01",
        )
        .await;
        clients(
            &s,
            &worker,
            5,
            "amw",
            "1975-07-01",
            Gender::Male,
            "2026-02-10",
        )
        .await;
        clients(
            &s,
            &worker,
            3,
            "jeugdhulp",
            "2012-05-01",
            Gender::Female,
            "2026-03-01",
        )
        .await;

        let (manager_actor, manager_secret) =
            s.staff("manager.rapport", Role::Manager, Some(&team)).await;
        let _ = manager_actor;
        let manager = s.client();
        manager.sign_in("manager.rapport", &manager_secret).await;
        let until = "2026-07-15";
        let api = Api::new(
            &s,
            &make_token(&manager, "Rapportages", &["read", "write"], until).await,
        );

        // The page: the menu leads there, the form offers municipalities and branches.
        let home = manager.get("/").await;
        assert!(home.body.contains("href=\"/rapportages\""), "{engine:?}");
        let page = manager
            .get("/rapportages?gebied=municipality%3AHelmond&dienst=&van=2026-01-01&tot=2026-03-31")
            .await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("Gemeente Helmond"));
        assert!(page.body.contains("Cliënten in zorg per dienst"));
        assert!(
            page.body
                .contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(page.body.contains("Aantallen van 1 tot 5 zijn weggelaten"));
        assert!(!page.body.contains("Cliënt0"), "no client name on the page");

        // The numbers: three in youth care are suppressed; a cell in every relation
        // they are part of goes too, so no total gives them away; what is published is
        // rounded to five.
        let q1 = "/reports?area=municipality:Helmond&from=2026-01-01&to=2026-03-31";
        let r1 = api.get(q1).await;
        assert_eq!(r1.status, 200, "{engine:?}: {}", r1.text());
        conforms(&doc, "get", "/reports", &r1);
        let r = &r1.json;
        assert_eq!(why(r, "clients_in_care|jeugdhulp|*|*"), "small");
        assert_eq!(why(r, "clients_in_care|jeugdhulp|*|female"), "small");
        assert_eq!(why(r, "clients_in_care|*|consultative|*"), "small");
        assert_eq!(value(r, "clients_in_care|*|*|*"), Some(15));
        assert_eq!(value(r, "trajectories_started|*|*|*"), Some(15));
        let services: Vec<String> = r["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        no_relation_leaks(r, &services);
        for (key, cell) in r["cells"].as_object().unwrap() {
            if let Some(v) = cell["value"].as_i64() {
                assert_eq!(v % 5, 0, "{key} is rounded");
            }
        }
        // Zero is published as zero, never confused with a suppressed cell.
        assert_eq!(value(r, "clients_ended|*|*|*"), Some(0));
        assert_eq!(value(r, "clients_in_care|*|*|non_binary"), Some(0));

        // Released to the municipality: frozen and registered.
        let released = api
            .post(
                "/reports/releases",
                &json!({"area": "municipality:Helmond", "from": "2026-01-01", "to": "2026-03-31", "recipient": "Gemeente Helmond, afdeling Welzijn"}),
            )
            .await;
        assert_eq!(released.status, 201, "{engine:?}: {}", released.text());
        conforms(&doc, "post", "/reports/releases", &released);
        let first = released.json["id"].as_str().unwrap().to_owned();

        // One more woman starts in social work in April. A report over February to
        // April, subtracted from the released one, would show exactly her: the cells
        // that moved by one are left out, for the difference's sake.
        clients(
            &s,
            &worker,
            1,
            "amw",
            "1990-01-01",
            Gender::Female,
            "2026-04-10",
        )
        .await;
        let r2 = api
            .get("/reports?area=municipality:Helmond&from=2026-01-01&to=2026-04-30")
            .await;
        assert_eq!(r2.status, 200, "{engine:?}: {}", r2.text());
        let r = &r2.json;
        let before = &r1.json;
        // Every cell she is counted in that the release published is left out now.
        let hers = [
            "clients_started|*|*|*",
            "clients_started|amw|*|*",
            "trajectories_started|*|*|*",
            "trajectories_started|amw|*|*",
            "clients_in_care|*|*|*",
            "clients_in_care|amw|*|*",
            "trajectories_in_care|*|*|*",
            "trajectories_in_care|amw|*|*",
            "clients_in_care|*|*|female",
            "clients_in_care|amw|*|female",
            "clients_in_care|*|adult|*",
            "clients_in_care|amw|adult|*",
        ];
        let mut compared = 0;
        for key in hers {
            if value(before, key).is_some() {
                compared += 1;
                assert!(value(r, key).is_none(), "{engine:?} {key}: {r}");
            }
        }
        assert!(compared >= 4, "{before}");
        assert_eq!(why(r, "clients_started|*|*|*"), "difference", "{r}");
        assert_eq!(why(r, "trajectories_started|*|*|*"), "difference", "{r}");
        no_relation_leaks(r, &services);
        // The same period as the release, after her start (outside it), publishes the
        // same numbers: nothing to single out.
        let again = api.get(q1).await.json;
        assert_eq!(value(&again, "clients_in_care|*|*|*"), Some(15));
        // And the branch, which covers the same municipality, is compared too.
        let branch = api
            .get("/reports?area=branch:helmond&from=2026-01-01&to=2026-04-30")
            .await
            .json;
        assert_eq!(
            why(&branch, "clients_in_care|*|*|*"),
            "difference",
            "{branch}"
        );

        // The register and the downloads of the released report, not of a draft.
        let list = api.get("/reports/releases").await;
        assert_eq!(list.status, 200);
        conforms(&doc, "get", "/reports/releases", &list);
        assert_eq!(list.json.as_array().unwrap().len(), 1);
        let page = manager.get("/rapportages").await;
        assert!(page.body.contains("Gemeente Helmond, afdeling Welzijn"));
        let shown = manager.get(&format!("/rapportages/{first}")).await;
        assert_eq!(shown.status, 200, "{}", shown.body);
        assert!(
            shown
                .body
                .contains("Verstrekt aan Gemeente Helmond, afdeling Welzijn")
        );
        let csv = manager.get(&format!("/rapportages/{first}/csv")).await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.body.starts_with("tabel,rij,kolom,waarde"),
            "{}",
            csv.body
        );
        assert!(
            csv.body
                .contains("Per dienst,Alle diensten,Cliënten in zorg,15")
        );
        assert!(
            csv.body.contains("Per dienst,Jeugdhulp,Cliënten in zorg,•") || csv.body.contains(",•")
        );
        assert!(!csv.body.contains("Cliënt0"));
        let pdf = api
            .get(&format!("/reports/releases/{first}/pdf?lang=en"))
            .await;
        assert_eq!(pdf.status, 200, "{}", pdf.text());
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let text = pdf_text(&pdf.bytes);
        assert!(text.contains("Anonymous report"), "{text}");
        assert!(text.contains("Clients in care by age at start"), "{text}");
        assert!(text.contains("How the numbers are protected"));

        // Every step is in the audit log: computed, released, exported.
        let events = audit(&s, "fg.audit").await;
        for action in [AuditAction::Read, AuditAction::Create, AuditAction::Export] {
            assert!(
                events
                    .iter()
                    .any(|e| e.object == AuditObject::MunicipalityReport && e.action == action),
                "{engine:?} {action:?}"
            );
        }
    }
}

// promise: SHR-5
#[tokio::test(flavor = "multi_thread")]
async fn bad_choices_are_refused_in_dutch_and_only_management_reaches_reports() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let manager = signed_in(&s, "manager.rapport", Role::Manager).await;
        let page = manager.get("/rapportages").await;
        let csrf = page.csrf();

        for (query, field_text) in [
            (
                "gebied=onzin&van=2026-01-01&tot=2026-03-31",
                "Kies een gemeente of vestiging",
            ),
            (
                "gebied=municipality%3AAmsterdam&van=2026-01-01&tot=2026-03-31",
                "Kies een gemeente of vestiging",
            ),
            (
                "gebied=municipality%3AHelmond&van=2026-04-01&tot=2026-03-31",
                "Kies een einddatum op of na de begindatum",
            ),
            (
                "gebied=municipality%3AHelmond&van=2099-01-01&tot=2099-03-31",
                "Kies een begindatum van vandaag of eerder",
            ),
            (
                "gebied=municipality%3AHelmond&dienst=onbekend&van=2026-01-01&tot=2026-03-31",
                "Onbekende dienst",
            ),
            (
                "gebied=municipality%3AHelmond&van=gisteren&tot=2026-03-31",
                "<p class=\"error\"",
            ),
        ] {
            let r = manager.get(&format!("/rapportages?{query}")).await;
            assert_eq!(r.status, 422, "{engine:?} {query}: {}", r.body);
            assert!(r.body.contains(field_text), "{engine:?} {query}");
        }
        // A release without a recipient releases nothing.
        let r = manager
            .post(
                "/rapportages/vrijgeven",
                &[
                    ("csrf", csrf.as_str()),
                    ("gebied", "municipality:Helmond"),
                    ("dienst", ""),
                    ("van", "2026-01-01"),
                    ("tot", "2026-03-31"),
                    ("ontvanger", " "),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{engine:?}: {}", r.body);
        assert!(r.body.contains("Vul in aan wie u de rapportage verstrekt"));
        assert!(
            manager
                .get("/rapportages")
                .await
                .body
                .contains("Er zijn nog geen rapportages verstrekt")
        );
        // Without the form's token nothing happens either.
        let forged = manager
            .post(
                "/rapportages/vrijgeven",
                &[
                    ("gebied", "municipality:Helmond"),
                    ("van", "2026-01-01"),
                    ("tot", "2026-03-31"),
                    ("ontvanger", "X Y"),
                ],
            )
            .await;
        assert!(
            forged.status == 403 || forged.status == 400,
            "{}",
            forged.status
        );

        // The quality officer reads, but hands nothing over.
        let quality = signed_in(&s, "kwaliteit", Role::QualityOfficer).await;
        let read = quality
            .get("/rapportages?gebied=municipality%3AHelmond&van=2026-01-01&tot=2026-03-31")
            .await;
        assert_eq!(read.status, 200, "{engine:?}");
        assert!(!read.body.contains("action=\"/rapportages/vrijgeven\""));
        let refused = quality
            .post(
                "/rapportages/vrijgeven",
                &[
                    ("csrf", read.csrf().as_str()),
                    ("gebied", "municipality:Helmond"),
                    ("van", "2026-01-01"),
                    ("tot", "2026-03-31"),
                    ("ontvanger", "Gemeente Helmond"),
                ],
            )
            .await;
        assert!(matches!(refused.status, 403 | 404), "{}", refused.status);

        // Caseworkers, team leads and the administrator reach nothing of it.
        for (name, role) in [
            ("hulpverlener", Role::Caseworker),
            ("teamleider", Role::TeamLead),
            ("beheerder", Role::Administrator),
        ] {
            let c = signed_in(&s, name, role).await;
            assert!(!c.get("/").await.body.contains("href=\"/rapportages\""));
            let r = c
                .get("/rapportages?gebied=municipality%3AHelmond&van=2026-01-01&tot=2026-03-31")
                .await;
            assert!(
                matches!(r.status, 403 | 404),
                "{engine:?} {role:?}: {}",
                r.status
            );
        }
        let visitor = s.client().get("/rapportages").await;
        assert!(
            matches!(visitor.status, 303 | 401 | 403),
            "{}",
            visitor.status
        );
    }
}

// promise: SHR-5
#[tokio::test(flavor = "multi_thread")]
async fn the_municipality_is_chosen_at_intake_and_old_trajectories_get_their_facts() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let branch = s.t.app.policy().team(&team).unwrap().branch.clone();
        let municipalities =
            s.t.app
                .policy()
                .branch(&branch)
                .unwrap()
                .municipalities
                .clone();
        assert!(municipalities.len() > 1, "a branch serving several");
        let other = &municipalities[1];
        let worker = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        let form = worker.get("/clienten/nieuw").await;
        assert!(form.body.contains("name=\"municipality\""), "{engine:?}");
        assert!(form.body.contains(&format!("<option value=\"{other}\"")));
        let service = s.t.app.policy().service_types()[0].code.clone();
        let intake = |municipality: &str| {
            vec![
                ("csrf".to_owned(), form.csrf()),
                (
                    "name".to_owned(),
                    format!("Gemeente{} Test", uuid::Uuid::new_v4().simple()),
                ),
                ("birth_date".to_owned(), "1985-04-04".to_owned()),
                ("gender".to_owned(), "female".to_owned()),
                ("team".to_owned(), team.clone()),
                ("service_type".to_owned(), service.clone()),
                ("opened_on".to_owned(), s.t.clock_today().to_string()),
                ("municipality".to_owned(), municipality.to_owned()),
                ("statement_given".to_owned(), "1".to_owned()),
                ("privacy_card_given".to_owned(), "1".to_owned()),
                (
                    "statement_given_on".to_owned(),
                    s.t.clock_today().to_string(),
                ),
            ]
        };
        // A municipality of another branch is refused, in Dutch, and nothing registered.
        let wrong = intake("Urk");
        let wrong: Vec<(&str, &str)> = wrong
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let refused = worker.post("/clienten/nieuw", &wrong).await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);
        assert!(
            refused
                .body
                .contains("Kies een gemeente van de vestiging van het team")
        );
        let good = intake(other);
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let done = worker.post("/clienten/nieuw", &good).await;
        assert!(
            matches!(done.status, 303 | 302),
            "{engine:?}: {}",
            done.body
        );

        // The report for that municipality counts her; the branch's first does not.
        let fg =
            s.t.staff("fg.rapport", Role::PrivacyOfficer, Some(&team))
                .await;
        let year = s.t.clock_today();
        let q = |m: &str| zv_core::reports::ReportQuery {
            scope: zv_core::reports::Scope::Municipality(m.to_owned()),
            service_type: None,
            from: year - chrono::Duration::days(30),
            to: year,
        };
        let here = s.t.app.municipality_report(&fg, &q(other)).await.unwrap();
        assert_eq!(
            here.cell(zv_core::reports::Measure::ClientsStarted, "*", "*", "*")
                .suppressed,
            Some(zv_core::reports::Suppressed::Small),
            "one person: suppressed, but counted"
        );
        let there =
            s.t.app
                .municipality_report(&fg, &q(&municipalities[0]))
                .await
                .unwrap();
        assert_eq!(
            there
                .cell(zv_core::reports::Measure::ClientsStarted, "*", "*", "*")
                .value,
            Some(0)
        );

        // Trajectories from before the facts were kept: the job fills them, each read
        // of a birth date recorded first, and a second run finds nothing to do.
        let old_worker =
            s.t.staff("hulpverlener.oud", Role::Caseworker, Some(&team))
                .await;
        for i in 0..6 {
            s.t.intake(
                &old_worker,
                &format!("Oud{i} Dossier"),
                "2001-01-01",
                &service,
            )
            .await;
        }
        let store = s.t.store().await;
        sea_orm::ConnectionTrait::execute_unprepared(
            store.connection_for_tests_only(),
            "UPDATE trajectories SET age_band = NULL, gender = NULL",
        )
        .await
        .unwrap();
        let job = Actor::cli("report-facts");
        let filled = s.t.app.fill_report_facts(&job).await.unwrap();
        assert_eq!(filled, 7, "{engine:?}");
        assert_eq!(s.t.app.fill_report_facts(&job).await.unwrap(), 0);
        let events = audit(&s, "fg.audit").await;
        assert!(
            events
                .iter()
                .filter(|e| e.purpose == zv_domain::Purpose::Statistics
                    && e.object == AuditObject::ClientProfile)
                .count()
                >= 7
        );
    }
}

/// The audit log's latest events, read by a privacy officer.
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
