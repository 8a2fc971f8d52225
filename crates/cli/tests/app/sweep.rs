//! The retention sweep (RET-4, RET-5, RET-6, DOS-2): what has passed its term goes,
//! destroyed or anonymised as its rule says, and nothing else; a held or extended dossier
//! stays; every table is reached; the register records it without personal data; a
//! killed run leaves a consistent database and a run again completes it.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{Months, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use zv_core::Actor;
use zv_core::clients::NewClientInput;
use zv_core::destruction::{RegisterQuery, SweepOptions, SweepReport};
use zv_core::related::RelatedPersonInput;
use zv_core::retention::{ExtensionInput, HoldInput};
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{
    BirthDate, ClientId, EntryContent, EntryKind, Gender, PersonName, RelationKind, Role,
    TrajectoryId,
};
use zv_testkit::web::TestServer;
use zv_testkit::{Engine, TestApp, engines, file_contains, files_under, policy_path};

use crate::api::{Api, make_token};
use crate::cli::{text, zv, zv_spawn};
use crate::fixtures::{get_file, pdf_text};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(d: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(10, 0, 0).unwrap())
}

async fn sweep(app: &zv_core::App, on: Option<NaiveDate>) -> SweepReport {
    app.run_retention_sweep(
        "test",
        &SweepOptions {
            on,
            batch_size: 4,
            ..SweepOptions::default()
        },
        &mut (),
    )
    .await
    .unwrap()
}

/// A raw connection to the app's database, to look at the rows themselves.
async fn raw(t: &TestApp) -> DatabaseConnection {
    let url = match &t.settings.database_url {
        Some(url) => url.clone(),
        None => format!(
            "sqlite://{}?mode=ro",
            t.data_dir().join("zorgvuldig.db").display()
        ),
    };
    sea_orm::Database::connect(url).await.unwrap()
}

fn backend(t: &TestApp) -> DbBackend {
    match t.engine {
        Engine::Sqlite => DbBackend::Sqlite,
        Engine::Postgres => DbBackend::Postgres,
    }
}

async fn count(db: &DatabaseConnection, b: DbBackend, sql: &str, v: Vec<Value>) -> i64 {
    let sql = if b == DbBackend::Postgres {
        let mut out = String::new();
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(b, sql, v))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn trajectory_exists(t: &TestApp, db: &DatabaseConnection, id: TrajectoryId) -> bool {
    count(
        db,
        backend(t),
        "SELECT COUNT(*) FROM trajectories WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await
        > 0
}

async fn client_exists(t: &TestApp, db: &DatabaseConnection, id: ClientId) -> bool {
    count(
        db,
        backend(t),
        "SELECT COUNT(*) FROM clients WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await
        > 0
}

/// Every (table, column) of the database, but the audit log and the destruction
/// records, which name destroyed ids by design (ACC-7, RET-6).
async fn all_columns(t: &TestApp, db: &DatabaseConnection) -> Vec<(String, String)> {
    let b = backend(t);
    let mut out = Vec::new();
    match t.engine {
        Engine::Sqlite => {
            let tables = db
                .query_all_raw(Statement::from_string(
                    b,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                ))
                .await
                .unwrap();
            for r in tables {
                let table: String = r.try_get_by_index(0).unwrap();
                let cols = db
                    .query_all_raw(Statement::from_string(
                        b,
                        format!("SELECT name FROM pragma_table_info('{table}')"),
                    ))
                    .await
                    .unwrap();
                for c in cols {
                    out.push((table.clone(), c.try_get_by_index::<String>(0).unwrap()));
                }
            }
        }
        Engine::Postgres => {
            let cols = db
                .query_all_raw(Statement::from_string(
                    b,
                    "SELECT table_name, column_name FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND data_type = 'uuid'",
                ))
                .await
                .unwrap();
            for c in cols {
                out.push((
                    c.try_get_by_index::<String>(0).unwrap(),
                    c.try_get_by_index::<String>(1).unwrap(),
                ));
            }
        }
    }
    out.retain(|(table, _)| {
        !table.starts_with("audit") && table != "destruction_records" && table != "seaql_migrations"
    });
    out
}

/// The tables and columns that still hold one of `ids`.
async fn rows_naming(t: &TestApp, ids: &[uuid::Uuid]) -> Vec<String> {
    let db = raw(t).await;
    let b = backend(t);
    let mut found = Vec::new();
    for (table, column) in all_columns(t, &db).await {
        for id in ids {
            let n = count(
                &db,
                b,
                &format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = ?"),
                vec![(*id).into()],
            )
            .await;
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

/// A child of the client, with its birth date.
fn child(name: &str, born: BirthDate) -> RelatedPersonInput {
    RelatedPersonInput {
        relation: RelationKind::Child,
        name: PersonName::parse(name).unwrap(),
        birth_date: Some(born),
        phone: None,
        email: None,
        address: None,
        authority_since: None,
        mandate: None,
        linked_client: None,
    }
}

/// One trajectory of a time-travel organisation.
struct Case {
    service: &'static str,
    domestic_violence: bool,
    opened: &'static str,
    closed: Option<&'static str>,
    held: bool,
    extended_until: Option<&'static str>,
    /// Another trajectory of the same client as case `n`.
    same_client_as: Option<usize>,
    /// The birth dates of the client's children, registered when the case opens.
    children: &'static [&'static str],
}

const fn case(service: &'static str, opened: &'static str, closed: &'static str) -> Case {
    Case {
        service,
        domestic_violence: false,
        opened,
        closed: Some(closed),
        held: false,
        extended_until: None,
        same_client_as: None,
        children: &[],
    }
}

/// An organisation run forward: its policy, its trajectories and the statement's terms
/// written down here independently of the policy file.
struct Organisation {
    policy: &'static str,
    cases: Vec<Case>,
    /// The term's last day from the closing day and the client's children, before any
    /// extension.
    term_ends: fn(&Case, NaiveDate, &[NaiveDate]) -> NaiveDate,
    /// Whether the rule anonymises (the policy's choice, decision 0027).
    anonymised: fn(&Case) -> bool,
    /// The municipality the anonymised facts name: the branch's, when it serves one.
    municipality: Option<&'static str>,
}

fn years_after(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years)).unwrap()
}

impl Organisation {
    /// The children of case `i`'s client, wherever they were registered.
    fn children_of(&self, i: usize) -> Vec<NaiveDate> {
        let root = self.cases[i].same_client_as.unwrap_or(i);
        self.cases
            .iter()
            .enumerate()
            .filter(|(j, c)| *j == root || c.same_client_as == Some(root))
            .flat_map(|(_, c)| c.children.iter().map(|d| day(d)))
            .collect()
    }

    fn last_day_kept(&self, i: usize) -> Option<NaiveDate> {
        let c = &self.cases[i];
        let term = (self.term_ends)(c, day(c.closed?), &self.children_of(i));
        Some(match c.extended_until {
            Some(e) => day(e).max(term),
            None => term,
        })
    }

    /// Whether the statements say case `i` is gone after a sweep on `on`.
    fn gone_on(&self, i: usize, on: NaiveDate) -> bool {
        !self.cases[i].held && self.last_day_kept(i).is_some_and(|last| last < on)
    }

    /// Whether case `i`'s client is gone on `on`: with its last trajectory, not before.
    fn client_gone_on(&self, i: usize, on: NaiveDate) -> bool {
        let root = self.cases[i].same_client_as.unwrap_or(i);
        (0..self.cases.len())
            .filter(|j| *j == root || self.cases[*j].same_client_as == Some(root))
            .all(|j| self.gone_on(j, on))
    }
}

/// LEVgroep keeps general social work 2 years, with domestic violence 15, youth care 20
/// from the last change (here: the closing day, nothing changed after), group activities
/// 2 and the guidance of refugees 5 years; all but group activities are anonymised.
fn levgroep() -> Organisation {
    Organisation {
        policy: "levgroep",
        cases: vec![
            case("amw", "2019-01-10", "2019-06-01"),
            case("amw", "2024-01-10", "2025-03-15"),
            Case {
                domestic_violence: true,
                ..case("amw", "2023-05-01", "2024-02-01")
            },
            case("jeugdhulp", "2022-01-01", "2023-09-30"),
            case("groepsactiviteiten", "2025-01-01", "2025-06-30"),
            case("vluchtelingen", "2020-01-01", "2022-12-31"),
            case("vluchtelingen", "2026-01-05", "2026-10-01"),
            case("amw", "2021-01-01", "2021-12-01"),
            Case {
                same_client_as: Some(7),
                ..case("jeugdhulp", "2021-02-01", "2021-11-01")
            },
            Case {
                closed: None,
                ..case("amw", "2026-03-01", "")
            },
            Case {
                held: true,
                ..case("amw", "2018-01-01", "2018-02-01")
            },
            Case {
                extended_until: Some("2035-01-01"),
                ..case("amw", "2019-01-01", "2019-05-01")
            },
            case("groepsactiviteiten", "2016-01-01", "2016-12-31"),
        ],
        term_ends: |c, closed, _| {
            let years = match (c.service, c.domestic_violence) {
                ("amw", false) | ("groepsactiviteiten", _) => 2,
                ("amw", true) => 15,
                ("jeugdhulp", _) => 20,
                ("vluchtelingen", _) => 5,
                _ => unreachable!(),
            };
            years_after(closed, years)
        },
        anonymised: |c| c.service != "groepsactiviteiten",
        municipality: Some("Helmond"),
    }
}

/// Blijf Groep keeps a client's dossier 15 years from closing and, while the youngest
/// child is not yet 18, until that child's 18th birthday (RET-2); support for children
/// 20 years from the last change (Jeugdwet). Everything is anonymised.
fn blijfgroep() -> Organisation {
    Organisation {
        policy: "blijfgroep",
        cases: vec![
            case("opvang", "2007-01-10", "2008-03-01"),
            Case {
                children: &["2012-04-01"],
                ..case("opvang", "2012-05-01", "2013-06-01")
            },
            Case {
                children: &["2005-01-01", "2019-08-08"],
                ..case("opvang", "2019-09-01", "2020-01-15")
            },
            Case {
                children: &["2000-01-01"],
                ..case("ambulant", "2023-01-01", "2024-05-01")
            },
            case("kinderondersteuning", "2014-01-01", "2015-02-01"),
            Case {
                closed: None,
                ..case("opvang", "2026-03-01", "")
            },
            Case {
                same_client_as: Some(1),
                ..case("nazorg", "2014-01-01", "2026-10-01")
            },
            Case {
                children: &["2009-12-31"],
                ..case("opvang", "2010-01-01", "2011-01-01")
            },
            Case {
                held: true,
                children: &["2001-01-01"],
                ..case("opvang", "2008-01-01", "2009-01-01")
            },
            Case {
                extended_until: Some("2040-01-01"),
                ..case("opvang", "2008-01-01", "2009-01-01")
            },
            Case {
                children: &["2026-01-15"],
                ..case("ambulant", "2026-02-01", "2026-09-01")
            },
        ],
        term_ends: |c, closed, children| match c.service {
            "kinderondersteuning" => years_after(closed, 20),
            "opvang" | "ambulant" | "nazorg" => {
                let youngest_adult = children.iter().map(|b| years_after(*b, 18)).max();
                youngest_adult.map_or(years_after(closed, 15), |d| d.max(years_after(closed, 15)))
            }
            _ => unreachable!(),
        },
        anonymised: |_| true,
        municipality: None,
    }
}

// promise: RET-1
// promise: RET-2
// promise: RET-4
// promise: RET-5
// promise: RET-6
#[tokio::test(flavor = "multi_thread")]
async fn a_demo_organisation_run_forward_25_years_loses_exactly_what_has_passed_its_term() {
    for engine in engines() {
        run_forward(engine, &levgroep()).await;
        run_forward(engine, &blijfgroep()).await;
    }
}

async fn run_forward(engine: Engine, org: &Organisation) {
    let policy = org.policy;
    let t = TestApp::start(engine, policy).await;
    let team = t.first_team();
    let worker = t.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let officer = t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
    let branch = t.app.policy().branches()[0].code.clone();
    let cases = &org.cases;
    let mut ids: Vec<(ClientId, TrajectoryId)> = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let opened = day(c.opened);
        t.clock.set(at(opened));
        let input = TrajectoryInput {
            service_type: c.service.to_owned(),
            team: team.clone(),
            domestic_violence: c.domestic_violence,
            opened_on: opened,
            municipality: None,
        };
        let pair = match c.same_client_as {
            Some(n) => {
                let client = ids[n].0;
                (
                    client,
                    t.app.open_trajectory(&worker, client, input).await.unwrap(),
                )
            }
            None => t
                .app
                .register_client(
                    &worker,
                    NewClientInput {
                        branch: branch.clone(),
                        name: PersonName::parse(&format!("Cliënt Tijdreis {i}")).unwrap(),
                        birth_date: BirthDate::parse("1980-05-05", opened).unwrap(),
                        gender: Gender::Unknown,
                        address: None,
                        phone: None,
                        email: None,
                        confidential_address: false,
                    },
                    input,
                )
                .await
                .unwrap(),
        };
        for (n, born) in c.children.iter().enumerate() {
            t.app
                .add_related_person(
                    &worker,
                    pair.0,
                    child(
                        &format!("Kind Tijdreis {i} {n}"),
                        BirthDate::parse(born, opened).unwrap(),
                    ),
                )
                .await
                .unwrap();
        }
        ids.push(pair);
        if let Some(closed) = c.closed {
            t.clock.set(at(day(closed)));
            t.app
                .close_trajectory(&worker, pair.1, day(closed))
                .await
                .unwrap();
        }
    }
    let start = day("2026-11-22");
    t.clock.set(at(start));
    for (c, (_, trajectory)) in cases.iter().zip(&ids) {
        if c.held {
            t.app
                .place_retention_hold(
                    &officer,
                    *trajectory,
                    HoldInput {
                        kind: "legal_claim".into(),
                        reason: "Lopende juridische procedure".into(),
                        whole_client: false,
                    },
                )
                .await
                .unwrap();
        }
        if let Some(until) = c.extended_until {
            t.app
                .extend_retention(
                    &officer,
                    *trajectory,
                    ExtensionInput {
                        until: day(until),
                        reason: "Nodig voor de nazorg van het gezin".into(),
                    },
                )
                .await
                .unwrap();
        }
    }
    // The engine's dates are the statements' dates, before anything is swept.
    for (i, (_, trajectory)) in ids.iter().enumerate() {
        let kept = t.app.retention_of(&officer, *trajectory).await.unwrap();
        assert_eq!(
            kept.keep_until,
            org.last_day_kept(i),
            "{engine:?} {policy}: case {i}"
        );
    }

    let db = raw(&t).await;
    let mut register_lines = 0;
    for year in 0..=25u32 {
        let on = years_after(start, year);
        t.clock.set(at(on));
        let report = sweep(&t.app, None).await;
        assert!(!report.busy);
        let mut expect_gone = 0;
        for (i, (c, (client, trajectory))) in cases.iter().zip(&ids).enumerate() {
            let gone = org.gone_on(i, on);
            expect_gone += u64::from(gone);
            assert_eq!(
                !trajectory_exists(&t, &db, *trajectory).await,
                gone,
                "{engine:?} {policy} {on}: case {i} ({}, closed {:?})",
                c.service,
                c.closed
            );
            assert_eq!(
                !client_exists(&t, &db, *client).await,
                org.client_gone_on(i, on),
                "{engine:?} {policy} {on}: client of case {i}"
            );
        }
        let facts = zv_store_facts(&t).await;
        let expect_facts = (0..cases.len())
            .filter(|i| org.gone_on(*i, on) && (org.anonymised)(&cases[*i]))
            .count();
        assert_eq!(facts.len(), expect_facts, "{engine:?} {policy} {on}");
        register_lines += report.destroyed + report.anonymised + report.clients_destroyed;
        let total = t
            .app
            .destruction_register(&officer, &RegisterQuery::default())
            .await
            .unwrap()
            .total;
        assert_eq!(
            total, register_lines,
            "{engine:?} {policy} {on}: one line per item"
        );
        let trajectories_in_register = t
            .app
            .destruction_register(
                &officer,
                &RegisterQuery {
                    category: Some("trajectory".into()),
                    ..RegisterQuery::default()
                },
            )
            .await
            .unwrap()
            .total;
        assert_eq!(
            trajectories_in_register, expect_gone,
            "{engine:?} {policy} {on}"
        );
    }
    // The anonymised facts say what the reports need and nothing of the person.
    let facts = zv_store_facts(&t).await;
    assert!(!facts.is_empty());
    assert!(
        facts
            .iter()
            .all(|f| f.municipality.as_deref() == org.municipality
                && f.age_band.as_deref() == Some("adult")
                && (2007..=2026).contains(&f.year)),
        "{engine:?} {policy}: {facts:?}"
    );
    assert!(t.app.verify_audit().await.unwrap().first_broken.is_none());
}

/// The anonymised facts, read the way the reports will.
async fn zv_store_facts(t: &TestApp) -> Vec<zv_store::sweep::AnonymisedFacts> {
    let store = t.store().await;
    let tx = store.read_tx().await.unwrap();
    let facts = zv_store::sweep::all_facts(&tx).await.unwrap();
    tx.commit().await.unwrap();
    facts
}

// promise: RET-4
// promise: RET-6
// promise: DOS-2
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_swept_client_leaves_no_row_no_marker_and_a_register_without_names() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let t = &s.t;
        let (worker, _) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (officer, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let marker = format!("Zq{}", uuid::Uuid::new_v4().simple());
        let name = format!("Anna {marker}");
        let (client, trajectory) = t.intake(&worker, &name, "1990-04-01", "amw").await;
        let second = t
            .open_trajectory(&worker, client, "groepsactiviteiten", "2026-03-01")
            .await;
        let goal = t
            .app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::Goal,
                EntryContent::parse(
                    EntryKind::Goal,
                    "Doel",
                    &format!("Werk vinden {marker}"),
                    Some(0),
                )
                .unwrap(),
                None,
            )
            .await
            .unwrap();
        t.app
            .add_goal_progress(&worker, goal, 100, &format!("Gelukt {marker}"))
            .await
            .unwrap();
        let report = t
            .app
            .add_entry(
                &worker,
                second,
                EntryKind::ConversationReport,
                EntryContent::parse(
                    EntryKind::ConversationReport,
                    "Gesprek",
                    &format!("Besproken: {marker}"),
                    None,
                )
                .unwrap(),
                None,
            )
            .await
            .unwrap();
        t.app
            .add_attachment(
                &worker,
                report,
                "brief.txt",
                "text/plain",
                format!("Verwijsbrief {marker}").as_bytes(),
            )
            .await
            .unwrap();
        let child = t
            .app
            .add_related_person(
                &worker,
                client,
                child(
                    &format!("Kind {marker}"),
                    BirthDate::parse("2001-01-01", t.clock_today()).unwrap(),
                ),
            )
            .await
            .unwrap();
        t.app
            .add_work_note(&worker, second, &format!("Notitie {marker}"))
            .await
            .unwrap();
        let today = t.clock_today();
        t.app
            .close_trajectory(&worker, trajectory, today)
            .await
            .unwrap();
        t.app
            .close_trajectory(&worker, second, today)
            .await
            .unwrap();
        let backup = t.dir.path().join("before-the-sweep.db");
        t.app.backup(&Actor::cli("test"), &backup).await.unwrap();

        // The dry run says what would go and changes nothing.
        let far = day("2030-01-01");
        let dry = t
            .app
            .run_retention_sweep(
                "test",
                &SweepOptions {
                    on: Some(far),
                    dry_run: true,
                    ..SweepOptions::default()
                },
                &mut (),
            )
            .await
            .unwrap();
        assert_eq!(
            (dry.destroyed, dry.anonymised, dry.clients_destroyed),
            (1, 1, 1),
            "{engine:?}: {dry:?}"
        );
        let db = raw(t).await;
        assert!(
            trajectory_exists(t, &db, trajectory).await && trajectory_exists(t, &db, second).await
        );
        assert!(
            t.app
                .destruction_register(&officer, &RegisterQuery::default())
                .await
                .unwrap()
                .lines
                .is_empty()
        );

        let done = sweep(&t.app, Some(far)).await;
        assert_eq!(
            (
                done.destroyed,
                done.anonymised,
                done.clients_destroyed,
                done.files
            ),
            (1, 1, 1, 1),
            "{engine:?}: {done:?}"
        );
        // A second run finds nothing left and records nothing new.
        let again = sweep(&t.app, Some(far)).await;
        assert_eq!(again.due, 0);

        // No row anywhere names the client, its trajectories, entries or relatives.
        let ids = [
            client.as_uuid(),
            trajectory.as_uuid(),
            second.as_uuid(),
            goal.as_uuid(),
            report.as_uuid(),
            child.as_uuid(),
        ];
        let left = rows_naming(t, &ids).await;
        assert!(left.is_empty(), "{engine:?}: rows left in {left:?}");
        // No plaintext of the marker in any file, nor in the backup taken before; the
        // backup has the rows but not the key.
        for f in files_under(t.data_dir())
            .into_iter()
            .chain([backup.clone()])
        {
            assert!(!file_contains(&f, marker.as_bytes()), "{}", f.display());
        }
        // The anonymised trajectory left its facts: the goal was reached.
        let facts = zv_store_facts(t).await;
        assert_eq!(facts.len(), 1);
        assert_eq!(
            (
                facts[0].service_type.as_str(),
                facts[0].goals,
                facts[0].goals_reached
            ),
            ("amw", 1, 1)
        );

        // The register, for the privacy officer on screen, as CSV, PDF and JSON: the
        // categories and rules, no name and no marker.
        let fg = s.client();
        fg.sign_in("fg.privacy", &officer_secret).await;
        let page = fg.get("/privacy/vernietigingen").await;
        assert_eq!(page.status, 200);
        for word in [
            "Vernietigingsregister",
            "amw-2y",
            "groep-2y",
            "geanonimiseerd",
            "vernietigd",
            "retention-sweep",
        ] {
            assert!(page.body.contains(word), "{engine:?}: {word}");
        }
        assert!(!page.body.contains(&marker));
        let filtered = fg.get("/privacy/vernietigingen?soort=client").await;
        assert_eq!(
            filtered.body.matches("<tr><td>").count(),
            1,
            "{}",
            filtered.body
        );
        let bad = fg
            .get("/privacy/vernietigingen?van=2027-01-01&tot=2026-01-01")
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("einddatum"));
        let (status, kind, csv) = get_file(&fg, "/privacy/vernietigingen.csv").await;
        assert_eq!((status, kind.starts_with("text/csv")), (200, true));
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), 4, "{csv}");
        assert!(
            csv.contains("anonymised")
                && csv.contains("client")
                && !csv.contains(&marker)
                && !csv.contains("Anna")
        );
        for (path, word) in [
            ("/privacy/vernietigingen.pdf", "Vernietigingsregister"),
            (
                "/privacy/vernietigingen.pdf?taal=en",
                "Destruction register",
            ),
        ] {
            let (status, kind, pdf) = get_file(&fg, path).await;
            assert_eq!((status, kind.as_str()), (200, "application/pdf"));
            let text = pdf_text(&pdf);
            assert!(text.contains(word) && text.contains("amw-2y"), "{text}");
            assert!(!text.contains(&marker) && !text.contains("Anna"));
        }
        // Not for a caseworker.
        let w = s.client();
        let (_, worker2_secret) = s
            .staff("collega", Role::Caseworker, Some("amw-helmond"))
            .await;
        w.sign_in("collega", &worker2_secret).await;
        assert_ne!(w.get("/privacy/vernietigingen").await.status, 200);
        let token = make_token(&fg, "Register", &["audit"], "2026-12-22").await;
        let api = Api::new(&s, &token);
        let json = api.get("/destructions?category=trajectory").await;
        assert_eq!(json.status, 200, "{}", json.text());
        assert_eq!(json.json["total"], 2);
        assert!(!json.text().contains(&marker));
        let refused = api.get("/destructions?category=nonsense").await;
        assert_eq!(refused.status, 422);
        // A page past what an offset holds is refused, not a panic (found by schemathesis).
        let far = api.get("/destructions?page=9223372036854775808").await;
        assert_eq!(far.status, 422, "{}", far.text());
        assert!(t.app.verify_audit().await.unwrap().first_broken.is_none());
    }
}

/// `n` trajectories of group activities, opened and closed today, for a sweep years on.
async fn closed_for_the_sweep(
    t: &TestApp,
    worker: &Actor,
    name: &str,
    n: usize,
) -> Vec<TrajectoryId> {
    let today = t.clock_today();
    let mut trajectories = Vec::new();
    for i in 0..n {
        let (_, tr) = t
            .intake(
                worker,
                &format!("{name} {i}"),
                "1980-01-01",
                "groepsactiviteiten",
            )
            .await;
        t.app.close_trajectory(worker, tr, today).await.unwrap();
        trajectories.push(tr);
    }
    trajectories
}

/// A sweep on `on` in a task of its own, one trajectory per batch, `pause` after each.
fn spawn_sweep(
    t: &TestApp,
    on: NaiveDate,
    pause: Duration,
) -> tokio::task::JoinHandle<SweepReport> {
    let app = t.app.clone();
    tokio::spawn(async move {
        app.run_retention_sweep(
            "test",
            &SweepOptions {
                on: Some(on),
                batch_size: 1,
                pause,
                ..SweepOptions::default()
            },
            &mut (),
        )
        .await
        .unwrap()
    })
}

// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn two_runs_at_once_the_second_does_nothing_and_says_so() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let trajectories = closed_for_the_sweep(&t, &worker, "Gelijktijdig", 6).await;
        let on = day("2030-01-01");
        let first = spawn_sweep(&t, on, Duration::from_millis(300));
        // The first run holds the lease from before its first batch to after its last.
        let db = raw(&t).await;
        while count(&db, backend(&t), "SELECT COUNT(*) FROM job_leases", vec![]).await == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let second = sweep(&t.app, Some(on)).await;
        assert!(second.busy, "{engine:?}: {second:?}");
        assert_eq!(second.destroyed, 0);
        let first = first.await.unwrap();
        assert_eq!(
            (first.destroyed, first.clients_destroyed),
            (6, 6),
            "{first:?}"
        );
        // Afterwards the lease is free and nothing is left.
        let third = sweep(&t.app, Some(on)).await;
        assert!(!third.busy && third.due == 0);
        for tr in trajectories {
            assert!(!trajectory_exists(&t, &db, tr).await);
        }
    }
}

/// The dossier reads of `trajectory` in the log.
async fn dossier_reads(t: &TestApp, trajectory: TrajectoryId) -> i64 {
    let db = raw(t).await;
    let n = count(
        &db,
        backend(t),
        "SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ? AND object_id = ?",
        vec![
            zv_domain::AuditAction::Read.code().into(),
            zv_domain::AuditObject::Trajectory.code().into(),
            trajectory.as_uuid().into(),
        ],
    )
    .await;
    db.close().await.unwrap();
    n
}

// promise: ACC-7
// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn dossier_views_while_a_sweep_runs_are_each_in_the_log_once() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        closed_for_the_sweep(&t, &worker, "Opgeschoond", 12).await;
        let (_, open) = t
            .intake(
                &worker,
                "Bekeken tijdens opschoning",
                "1980-01-01",
                "groepsactiviteiten",
            )
            .await;
        let before = dossier_reads(&t, open).await;
        let sweeping = spawn_sweep(&t, day("2030-01-01"), Duration::ZERO);
        // On SQLite a view's audit event goes to the intake while a batch holds the
        // write turn (decision 0056), and into the log with the next write.
        let mut views = 0;
        while !sweeping.is_finished() {
            t.app.dossier(&worker, open).await.unwrap();
            views += 1;
        }
        t.app.dossier(&worker, open).await.unwrap();
        views += 1;
        let report = sweeping.await.unwrap();
        assert_eq!(
            report.destroyed + report.anonymised,
            12,
            "{engine:?}: {report:?}"
        );
        let chain = t.app.verify_audit().await.unwrap();
        assert!(chain.first_broken.is_none(), "{engine:?}: {chain:?}");
        assert_eq!(dossier_reads(&t, open).await - before, views, "{engine:?}");
    }
}

// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn files_left_without_their_record_and_old_sent_mail_go_with_the_sweep() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, trajectory) = t
            .intake(&worker, "Bestand Blijft", "1980-01-01", "amw")
            .await;
        let entry = t
            .app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                EntryContent::parse(EntryKind::ConversationReport, "Gesprek", "Tekst", None)
                    .unwrap(),
                None,
            )
            .await
            .unwrap();
        let kept = t
            .app
            .add_attachment(&worker, entry, "brief.txt", "text/plain", b"blijft")
            .await
            .unwrap();
        // A file whose row never committed, or whose destruction was killed between
        // its commit and its files: ciphertext nobody can read, but not to be left.
        let store = t.store().await;
        let orphan = zv_domain::AttachmentId::new();
        zv_store::blobs::put(&store, orphan, b"ciphertext")
            .await
            .unwrap();
        let files =
            |id: zv_domain::AttachmentId| t.data_dir().join("attachments").join(id.to_string());

        // Mail: one sent long ago, one sent yesterday, one never sent.
        let now = zv_domain::Clock::now(&t.clock);
        let tx = store.begin().await.unwrap();
        let mut mails = Vec::new();
        for (n, sent) in [Some(40), Some(1), None].into_iter().enumerate() {
            let id = uuid::Uuid::now_v7();
            zv_store::outbox::enqueue(
                &tx,
                &zv_store::outbox::NewMail {
                    id,
                    recipient: "fg@example.org".into(),
                    subject: format!("Melding {n}"),
                    body: "Zie de app".into(),
                    kind: "test".into(),
                    created_at: now - chrono::Duration::days(50),
                },
            )
            .await
            .unwrap();
            if let Some(days) = sent {
                zv_store::outbox::mark_sent(&tx, id, now - chrono::Duration::days(days))
                    .await
                    .unwrap();
            }
            mails.push(id);
        }
        tx.commit().await.unwrap();

        let opts = |dry_run| SweepOptions {
            dry_run,
            settled: Duration::ZERO,
            ..SweepOptions::default()
        };
        let dry = t
            .app
            .run_retention_sweep("test", &opts(true), &mut ())
            .await
            .unwrap();
        assert_eq!(
            (dry.orphan_files, dry.mails_pruned),
            (1, 1),
            "{engine:?}: {dry:?}"
        );
        assert!(files(orphan).exists());

        // A young file may be an upload about to commit: the default run leaves it.
        let young = sweep(&t.app, None).await;
        assert_eq!(
            (young.orphan_files, young.mails_pruned),
            (0, 1),
            "{engine:?}: {young:?}"
        );
        assert!(files(orphan).exists());

        let done = t
            .app
            .run_retention_sweep("test", &opts(false), &mut ())
            .await
            .unwrap();
        assert_eq!(
            (done.orphan_files, done.mails_pruned),
            (1, 0),
            "{engine:?}: {done:?}"
        );
        assert!(!files(orphan).exists());
        assert!(files(kept).exists(), "a file with its record stays");
        let tx = store.read_tx().await.unwrap();
        let left: Vec<bool> = {
            let mut v = Vec::new();
            for id in &mails {
                v.push(zv_store::outbox::find(&tx, *id).await.unwrap().is_some());
            }
            v
        };
        tx.commit().await.unwrap();
        assert_eq!(
            left,
            [false, true, true],
            "{engine:?}: only old sent mail goes"
        );
    }
}

/// The number after `label` in the summary.
fn figure(out: &str, label: &str) -> u64 {
    out.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{label}` in {out}"))
}

// promise: RET-4
// promise: RET-6
#[test]
fn a_killed_run_and_a_run_again_leave_a_consistent_database_and_a_complete_register() {
    let dir = tempfile::tempdir().unwrap();
    let demo = zv(&["demo", "--clients", "150"], dir.path(), "");
    assert!(demo.status.success(), "{}", text(&demo));
    // Far enough ahead that every closed trajectory of the demo is past its term.
    let on = "2060-01-01";
    let dry = zv(
        &["retention", "run", "--dry-run", "--on", on],
        dir.path(),
        "",
    );
    let dry_text = text(&dry);
    assert!(dry.status.success(), "{dry_text}");
    assert!(dry_text.contains("nothing was changed"), "{dry_text}");
    let would =
        figure(&dry_text, "would be destroyed:") + figure(&dry_text, "would be anonymised:");
    let would_clients = figure(&dry_text, "clients would be destroyed:");
    assert!(would > 10, "{dry_text}");
    // A dry run changes nothing: a second one says the same.
    let dry_again = text(&zv(
        &["retention", "run", "--dry-run", "--on", on],
        dir.path(),
        "",
    ));
    assert_eq!(
        figure(&dry_again, "would be destroyed:") + figure(&dry_again, "would be anonymised:"),
        would
    );

    // Killed between batches, after some have committed.
    let mut child = zv_spawn(
        &[
            "retention",
            "run",
            "--on",
            on,
            "--batch-size",
            "2",
            "--pause-ms",
            "250",
            "--lease-seconds",
            "5",
        ],
        dir.path(),
    );
    std::thread::sleep(Duration::from_millis(2_500));
    child.kill().unwrap();
    let killed = child.wait_with_output().unwrap();
    assert!(
        !killed.status.success(),
        "the run was still busy when killed"
    );
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());
    let partial = text(&zv(
        &["retention", "run", "--dry-run", "--on", on],
        dir.path(),
        "",
    ));
    let left = figure(&partial, "would be destroyed:") + figure(&partial, "would be anonymised:");
    assert!(
        left < would && left > 0,
        "{left} of {would} left: {partial}"
    );

    // Run again: it waits for the dead run's lease, then completes the work.
    let again = zv(
        &[
            "retention",
            "run",
            "--on",
            on,
            "--wait",
            "--lease-seconds",
            "5",
        ],
        dir.path(),
        "",
    );
    let again_text = text(&again);
    assert!(again.status.success(), "{again_text}");
    assert_eq!(
        figure(&again_text, "destroyed:") + figure(&again_text, "anonymised:"),
        left,
        "{again_text}"
    );
    let after = text(&zv(
        &["retention", "run", "--dry-run", "--on", on],
        dir.path(),
        "",
    ));
    assert_eq!(
        figure(&after, "would be destroyed:") + figure(&after, "would be anonymised:"),
        0
    );
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());

    // The register holds exactly one line per trajectory and client that went.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let policy =
            zv_policy::parse(&std::fs::read_to_string(policy_path("blijfgroep")).unwrap()).unwrap();
        let app = zv_core::App::open(
            zv_core::Settings::new(dir.path().join("data")),
            policy,
            std::sync::Arc::new(zv_domain::SystemClock),
        )
        .await
        .unwrap();
        let officer = app.staff_actor("fg.privacy", "test").await.unwrap();
        let mut per_kind = BTreeMap::new();
        for kind in ["trajectory", "client"] {
            let total = app
                .destruction_register(
                    &officer,
                    &RegisterQuery {
                        category: Some(kind.into()),
                        ..RegisterQuery::default()
                    },
                )
                .await
                .unwrap()
                .total;
            per_kind.insert(kind, total);
        }
        assert_eq!(per_kind["trajectory"], would);
        assert_eq!(per_kind["client"], would_clients);
    });
}
