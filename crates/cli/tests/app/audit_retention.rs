//! Audit-log retention (ACC-7, decision 0028): events older than the policy's term are
//! pruned under signed checkpoints; `audit verify` proves what remains, and catches a
//! forged, altered or deleted checkpoint, a pruned event put back and a tampered event.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::ConnectionTrait;
use zv_core::audit_log::AuditQuery;
use zv_core::{Actor, App};
use zv_domain::{AuditAction, AuditObject, ClientId, FixedClock, Role, start_of_local_day};
use zv_store::BreakReason;
use zv_testkit::web::TestServer;
use zv_testkit::{Engine, TestApp, date, engines, policy, policy_path, reference_now};

use crate::portal::redeem_and_enrol;

/// Every event of the log with its time, oldest first (read as the privacy officer).
async fn all_events(app: &App, fg: &Actor) -> Vec<(i64, chrono::DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = app
            .audit_events(
                fg,
                &AuditQuery {
                    before_seq: before,
                    ..Default::default()
                },
                500,
            )
            .await
            .unwrap();
        out.extend(page.events.iter().map(|e| (e.seq, e.at)));
        match page.next_before {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    out.reverse();
    out
}

/// The zorgvuldig binary on the installation of `settings`, as cron or an operator runs it.
fn zv(settings: &zv_core::Settings, policy_name: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zorgvuldig"));
    cmd.args(args)
        .env_remove("ZV_DATABASE_URL")
        .env_remove("ZV_MASTER_KEY")
        .env("ZV_DATA_DIR", &settings.data_dir)
        .env("ZV_POLICY", policy_path(policy_name))
        .current_dir(&settings.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = &settings.database_url {
        cmd.env("ZV_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"").unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Seven years of a client's file being read, every half year, starting at the tests'
/// reference day (2026-11-22); the clock ends at 2033-11-22 10:00.
async fn seven_years(t: &TestApp) -> (Actor, Actor, ClientId) {
    let worker = t
        .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
        .await;
    let fg = t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
    let (client, _) = t.intake(&worker, "Noor Bakker", "1988-03-04", "amw").await;
    for half_year in 0..=14 {
        let at = reference_now()
            .checked_add_months(chrono::Months::new(6 * half_year))
            .unwrap();
        t.clock.set(at);
        t.app.client_profile(&worker, client).await.unwrap();
    }
    assert_eq!(t.clock_today(), date("2033-11-22"));
    (worker, fg, client)
}

/// The due events, computed here from the statement's rule (kept at least 5 years; the
/// day exactly 5 years back is still kept), not from the code under test.
fn due(events: &[(i64, chrono::DateTime<Utc>)]) -> Vec<i64> {
    let kept_from = start_of_local_day(date("2028-11-22"));
    events
        .iter()
        .filter(|(_, at)| *at < kept_from)
        .map(|(s, _)| *s)
        .collect()
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn events_past_the_term_are_pruned_under_signed_checkpoints_and_the_rest_still_proves_intact()
{
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let t = &s.t;
        let (_, fg_secret) = s.staff("fg.privacy.web", Role::PrivacyOfficer, None).await;
        let (worker, fg, client) = seven_years(t).await;
        let before = all_events(&t.app, &fg).await;
        let expected = due(&before);
        assert!(expected.len() >= 6, "{engine:?}: {}", expected.len());
        // A prefix of the log: seq 1 up to the last event before the cutoff.
        assert_eq!(expected, (1..=expected.len() as i64).collect::<Vec<_>>());

        // A dry run counts and changes nothing, not even the log.
        let head = t.app.audit_event_count().await.unwrap();
        let dry = t.app.prune_audit_log(true).await.unwrap();
        assert_eq!(dry.pruned, expected.len() as u64, "{engine:?}");
        assert_eq!(dry.kept_from, date("2028-11-22"));
        assert_eq!(dry.checkpoints, 0);
        assert_eq!(t.app.audit_event_count().await.unwrap(), head);
        let untouched = t.app.verify_audit().await.unwrap();
        assert!(untouched.is_intact() && untouched.checkpoints == 0);

        // Pruned in batches of 4: one signed checkpoint per batch.
        let report = t.app.prune_audit_log_in_batches(false, 4).await.unwrap();
        assert_eq!(report.pruned, expected.len() as u64);
        assert_eq!(report.first_seq, Some(1));
        assert_eq!(report.last_seq, expected.last().copied());
        assert_eq!(report.checkpoints, (expected.len() as u64).div_ceil(4));
        let after = all_events(&t.app, &fg).await;
        let remaining: Vec<i64> = after.iter().map(|(s, _)| *s).collect();
        assert!(remaining.iter().all(|s| !expected.contains(s)));
        // Everything not due is still there, and the prune's own events follow.
        let kept: Vec<i64> = before
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| !expected.contains(s))
            .collect();
        assert_eq!(&remaining[..kept.len()], kept.as_slice());
        let prunes = t
            .app
            .audit_events(
                &fg,
                &AuditQuery {
                    action: Some(AuditAction::Delete),
                    ..Default::default()
                },
                100,
            )
            .await
            .unwrap();
        let prune_events: Vec<_> = prunes
            .events
            .iter()
            .filter(|e| e.event.object == AuditObject::AuditLog)
            .collect();
        assert_eq!(prune_events.len() as u64, report.checkpoints);
        assert!(prune_events.iter().all(|e| e.event.client_id.is_none()
            && e.event.detail.as_deref().unwrap_or("").contains("5 years")));

        let verified = t.app.verify_audit().await.unwrap();
        assert!(verified.is_intact(), "{engine:?}: {verified:?}");
        assert_eq!(verified.checkpoints, report.checkpoints);
        let latest = verified.latest_checkpoint.clone().unwrap();
        assert_eq!(latest.last_seq, *expected.last().unwrap());
        assert_eq!(latest.kept_from, date("2028-11-22"));
        assert_eq!(latest.term, Some(zv_policy::Term::years(5)));
        // ...and as the operator's command, in another process.
        let cli = zv(&t.settings, "levgroep", &["audit", "verify"]);
        assert!(cli.status.success(), "{engine:?}: {}", text(&cli));
        assert!(text(&cli).contains("audit log intact"), "{}", text(&cli));
        assert!(
            text(&cli).contains("from before 2028-11-22"),
            "{}",
            text(&cli)
        );

        // Twice: the second run does nothing.
        let again = t.app.prune_audit_log(false).await.unwrap();
        assert_eq!((again.pruned, again.checkpoints), (0, 0));
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // The privacy officer's screen says what was removed and under which term.
        let web = s.client();
        web.sign_in("fg.privacy.web", &fg_secret).await;
        let screen = web.get("/auditlog").await;
        assert_eq!(screen.status, 200, "{}", screen.body);
        assert!(
            screen
                .body
                .contains("Gebeurtenissen van vóór 2028-11-22 zijn verwijderd onder de bewaartermijn van 5 jaar"),
            "{}",
            screen.body
        );
        let of_client = web.get(&format!("/auditlog?client={client}")).await;
        assert_eq!(of_client.status, 200);
        assert!(of_client.body.contains(&client.to_string()));

        // The client's own access log still answers, with the reads of the kept years.
        t.app.client_profile(&worker, client).await.unwrap();
        let issued = t.app.invite_to_portal(&worker, client).await.unwrap();
        let p = s.client();
        redeem_and_enrol(&p, &issued.code, "noor").await;
        let log = p.get("/portaal/inzage-log").await;
        assert_eq!(log.status, 200, "{engine:?}: {}", log.body);
        assert!(log.body.contains("Medewerker hulpverlener"), "{}", log.body);
        assert!(t.app.verify_audit().await.unwrap().is_intact());
    }
}

/// Raw SQL on the installation's database, as someone with database access would.
struct Sql {
    store: zv_store::Store,
    engine: Engine,
}

impl Sql {
    async fn open(t: &TestApp) -> Self {
        let store = t.store().await;
        Self {
            store,
            engine: t.engine,
        }
    }

    async fn run(&self, sql: &str) -> Result<u64, sea_orm::DbErr> {
        self.store
            .connection_for_tests_only()
            .execute_unprepared(sql)
            .await
            .map(|r| r.rows_affected())
    }

    async fn ok(&self, sql: &str) -> u64 {
        self.run(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    async fn drop_triggers(&self) {
        match self.engine {
            Engine::Sqlite => {
                for t in zv_store::dialect::SQLITE_AUDIT_TRIGGERS
                    .iter()
                    .chain(zv_store::dialect::SQLITE_CHECKPOINT_TRIGGERS.iter())
                {
                    self.ok(&format!("DROP TRIGGER {t}")).await;
                }
            }
            Engine::Postgres => {
                self.ok(&format!(
                    "DROP TRIGGER {} ON audit_log",
                    zv_store::dialect::POSTGRES_AUDIT_TRIGGER
                ))
                .await;
                self.ok(&format!(
                    "DROP TRIGGER {} ON audit_checkpoints",
                    zv_store::dialect::POSTGRES_CHECKPOINT_TRIGGER
                ))
                .await;
            }
        }
    }
}

async fn broken(t: &TestApp) -> (i64, BreakReason) {
    let report = t.app.verify_audit().await.unwrap();
    let b = report
        .first_broken
        .unwrap_or_else(|| panic!("verify passed: {report:?}"));
    (b.seq, b.reason)
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn a_forged_altered_or_deleted_checkpoint_a_pruned_event_put_back_or_a_changed_event_fails_verify()
 {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let (_, fg, _) = seven_years(&t).await;
        let expected = due(&all_events(&t.app, &fg).await);
        let sql = Sql::open(&t).await;
        // A copy of what will be pruned, to put an event back later.
        sql.ok("CREATE TABLE pruned_copy AS SELECT * FROM audit_log")
            .await;
        let report = t.app.prune_audit_log_in_batches(false, 2).await.unwrap();
        assert!(report.checkpoints >= 3, "{report:?}");
        let last = *expected.last().unwrap();
        let first_cp = 2i64;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // The database itself refuses: events not yet pruned, and any checkpoint.
        let latest = format!("last_seq = {last}");
        assert!(
            sql.run(&format!("DELETE FROM audit_log WHERE seq = {}", last + 1))
                .await
                .is_err()
        );
        assert!(
            sql.run(&format!("DELETE FROM audit_checkpoints WHERE {latest}"))
                .await
                .is_err()
        );
        assert!(
            sql.run(&format!(
                "UPDATE audit_checkpoints SET term = 'P1Y' WHERE {latest}"
            ))
            .await
            .is_err()
        );
        sql.drop_triggers().await;

        // An altered checkpoint (a shorter term written into it) no longer verifies.
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET term = 'P1Y' WHERE {latest}"
        ))
        .await;
        assert_eq!(
            broken(&t).await,
            (last, BreakReason::CheckpointForged),
            "{engine:?}"
        );
        let cli = zv(&t.settings, "levgroep", &["audit", "verify"]);
        assert!(!cli.status.success());
        assert!(
            text(&cli).contains("BROKEN at the checkpoint of event"),
            "{}",
            text(&cli)
        );
        assert!(text(&cli).contains("forged or altered"), "{}", text(&cli));
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET term = 'P5Y' WHERE {latest}"
        ))
        .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // A checkpoint that names another key.
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET key_id = '0000000000000000' WHERE {latest}"
        ))
        .await;
        assert_eq!(broken(&t).await, (last, BreakReason::CheckpointUnknownKey));
        let key_id = t.app.verify_audit().await.unwrap().key_id;
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET key_id = '{key_id}' WHERE {latest}"
        ))
        .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // A forged checkpoint claiming more was pruned than was.
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET last_seq = {} WHERE {latest}",
            last + 1
        ))
        .await;
        assert_eq!(broken(&t).await, (last + 1, BreakReason::CheckpointForged));
        sql.ok(&format!(
            "UPDATE audit_checkpoints SET last_seq = {last} WHERE last_seq = {}",
            last + 1
        ))
        .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // The latest checkpoint deleted: the events it accounted for are simply missing.
        sql.ok(&format!(
            "CREATE TABLE cp_copy AS SELECT * FROM audit_checkpoints WHERE {latest}"
        ))
        .await;
        sql.ok(&format!("DELETE FROM audit_checkpoints WHERE {latest}"))
            .await;
        let (seq, reason) = broken(&t).await;
        assert_eq!(reason, BreakReason::MissingAtStart, "{engine:?}");
        assert!(seq <= last, "{seq}");
        let cli = zv(&t.settings, "levgroep", &["audit", "verify"]);
        assert!(!cli.status.success());
        assert!(
            text(&cli).contains("no signed checkpoint accounts for them"),
            "{}",
            text(&cli)
        );
        sql.ok("INSERT INTO audit_checkpoints SELECT * FROM cp_copy")
            .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // An earlier checkpoint deleted: the next no longer follows.
        sql.ok("DROP TABLE cp_copy").await;
        sql.ok(&format!(
            "CREATE TABLE cp_copy AS SELECT * FROM audit_checkpoints WHERE last_seq = {first_cp}"
        ))
        .await;
        sql.ok(&format!(
            "DELETE FROM audit_checkpoints WHERE last_seq = {first_cp}"
        ))
        .await;
        assert_eq!(broken(&t).await.1, BreakReason::CheckpointUnlinked);
        sql.ok("INSERT INTO audit_checkpoints SELECT * FROM cp_copy")
            .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // Every checkpoint deleted: the log starts at an event nothing vouches for.
        sql.ok("CREATE TABLE all_cp AS SELECT * FROM audit_checkpoints")
            .await;
        sql.ok("DELETE FROM audit_checkpoints").await;
        assert_eq!(broken(&t).await, (1, BreakReason::MissingAtStart));
        sql.ok("INSERT INTO audit_checkpoints SELECT * FROM all_cp")
            .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // A pruned event put back, exactly as it was.
        let back = last - 1;
        sql.ok(&format!(
            "INSERT INTO audit_log SELECT * FROM pruned_copy WHERE seq = {back}"
        ))
        .await;
        assert_eq!(broken(&t).await, (back, BreakReason::PrunedEventPresent));
        let cli = zv(&t.settings, "levgroep", &["audit", "verify"]);
        assert!(text(&cli).contains("has been put back"), "{}", text(&cli));
        sql.ok(&format!("DELETE FROM audit_log WHERE seq = {back}"))
            .await;
        assert!(t.app.verify_audit().await.unwrap().is_intact());

        // A remaining event changed.
        let changed = last + 2;
        sql.ok(&format!(
            "UPDATE audit_log SET access_point = 'elders' WHERE seq = {changed}"
        ))
        .await;
        assert_eq!(broken(&t).await, (changed, BreakReason::HashMismatch));
        let cli = zv(&t.settings, "levgroep", &["audit", "verify"]);
        assert!(!cli.status.success());
        assert!(
            text(&cli).contains(&format!("BROKEN at event {changed}")),
            "{}",
            text(&cli)
        );
        sql.store.close().await.unwrap();
    }
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn a_restored_backup_of_a_pruned_log_verifies_and_a_key_rotation_keeps_the_checkpoints() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        seven_years(&t).await;
        let report = t.app.prune_audit_log(false).await.unwrap();
        assert!(report.pruned > 0 && report.checkpoints == 1);
        let before = t.app.verify_audit().await.unwrap();
        assert!(before.is_intact());

        // A key rotation re-wraps the system key; the checkpoints still verify.
        t.app.rotate_keys(&Actor::cli("test")).await.unwrap();
        let rotated = t.app.verify_audit().await.unwrap();
        assert!(rotated.is_intact(), "{engine:?}: {rotated:?}");
        assert_eq!(rotated.key_id, before.key_id);
        assert!(
            t.reopen()
                .await
                .unwrap()
                .verify_audit()
                .await
                .unwrap()
                .is_intact()
        );

        let data = t.dir.path().join("data.backup");
        let keys = t.dir.path().join("keys.backup");
        t.app.backup(&Actor::cli("test"), &data).await.unwrap();
        t.app
            .backup_key_store(&Actor::cli("test"), &keys)
            .await
            .unwrap();

        // Restored as the operations guide says: the data, the key-store copy, the key file.
        let restored_dir = tempfile::tempdir().unwrap();
        let mut settings = zv_core::Settings::new(restored_dir.path().join("data"));
        std::fs::create_dir_all(&settings.data_dir).unwrap();
        std::fs::copy(
            t.data_dir().join(zv_core::keys::KEY_FILE_NAME),
            settings.data_dir.join(zv_core::keys::KEY_FILE_NAME),
        )
        .unwrap();
        let _pg = match engine {
            Engine::Sqlite => {
                std::fs::copy(&data, settings.data_dir.join("zorgvuldig.db")).unwrap();
                std::fs::copy(&keys, settings.data_dir.join("keys.db")).unwrap();
                None
            }
            Engine::Postgres => {
                let pg = zv_testkit::PgDatabase::create().await;
                for dump in [&keys, &data] {
                    let out = Command::new("pg_restore")
                        .arg("--no-owner")
                        .arg("--dbname")
                        .arg(&pg.url)
                        .arg(dump)
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", text(&out));
                }
                settings.database_url = Some(pg.url.clone());
                Some(pg)
            }
        };
        let restored = App::open(settings, policy("levgroep"), Arc::new(t.clock.clone()))
            .await
            .unwrap();
        let verified = restored.verify_audit().await.unwrap();
        assert!(verified.is_intact(), "{engine:?}: {verified:?}");
        assert_eq!(verified.checkpoints, 1);
        assert_eq!(verified.latest_checkpoint, rotated.latest_checkpoint);
    }
}

// promise: ACC-7
#[test]
fn the_operator_prunes_from_cron_with_a_dry_run_first_and_a_restored_copy_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let settings = zv_core::Settings::new(dir.path().join("data"));
    // An installation that has run since 2019: accounts made then and in 2025.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let clock = FixedClock::at(Utc.with_ymd_and_hms(2019, 3, 1, 9, 0, 0).unwrap());
        let app = App::create(
            settings.clone(),
            policy("blijfgroep"),
            Arc::new(clock.clone()),
        )
        .await
        .unwrap();
        let team = app.policy().teams()[0].code.clone();
        for (i, year) in [2019, 2019, 2020, 2025].into_iter().enumerate() {
            clock.set(Utc.with_ymd_and_hms(year, 6, 1, 9, 0, 0).unwrap());
            app.add_user(
                &Actor::cli("test"),
                zv_core::users::NewUserInput {
                    username: format!("medewerker{i}"),
                    display_name: format!("Medewerker {i}"),
                    password: zeroize::Zeroizing::new("a long enough password".to_owned()),
                    roles: vec![Role::Caseworker],
                    teams: vec![team.clone()],
                    branch: None,
                    confidentiality_signed_on: Some(NaiveDate::from_ymd_opt(year, 6, 1).unwrap()),
                },
            )
            .await
            .unwrap();
        }
    });
    let dry = zv(&settings, "blijfgroep", &["audit", "prune", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(text(&dry).contains("dry run:"), "{}", text(&dry));
    assert!(text(&dry).contains("nothing changed"), "{}", text(&dry));
    assert!(!text(&dry).contains("dry run: 0 "), "{}", text(&dry));
    let verify = zv(&settings, "blijfgroep", &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        !text(&verify).contains("pruned"),
        "the dry run pruned nothing: {}",
        text(&verify)
    );

    let prune = zv(&settings, "blijfgroep", &["audit", "prune"]);
    assert!(prune.status.success(), "{}", text(&prune));
    assert!(
        text(&prune).contains("1 signed checkpoint(s) written"),
        "{}",
        text(&prune)
    );
    assert!(
        text(&prune).contains("retention term of 5 years"),
        "{}",
        text(&prune)
    );
    let again = zv(&settings, "blijfgroep", &["audit", "prune"]);
    assert!(
        text(&again).contains("removed 0 audit event(s)"),
        "{}",
        text(&again)
    );
    let verify = zv(&settings, "blijfgroep", &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("1 signed checkpoint(s) verified"),
        "{}",
        text(&verify)
    );

    let backup = zv(
        &settings,
        "blijfgroep",
        &["backup", "--out", "../b.db", "--key-store-out", "../k.db"],
    );
    assert!(backup.status.success(), "{}", text(&backup));
    let restored = zv_core::Settings::new(dir.path().join("restored"));
    std::fs::create_dir_all(&restored.data_dir).unwrap();
    std::fs::copy(
        dir.path().join("b.db"),
        restored.data_dir.join("zorgvuldig.db"),
    )
    .unwrap();
    std::fs::copy(dir.path().join("k.db"), restored.data_dir.join("keys.db")).unwrap();
    std::fs::copy(
        settings.data_dir.join(zv_core::keys::KEY_FILE_NAME),
        restored.data_dir.join(zv_core::keys::KEY_FILE_NAME),
    )
    .unwrap();
    let verify = zv(&restored, "blijfgroep", &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("1 signed checkpoint(s) verified"),
        "{}",
        text(&verify)
    );
}
