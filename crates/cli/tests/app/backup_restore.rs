//! `zorgvuldig backup` and `zorgvuldig restore` as an operator runs them: a round trip into
//! a fresh installation, a destroyed client that a restore of an older backup does not
//! bring back, and the restores that are refused.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, Statement, TryGetable};
use zv_core::{Actor, App, Settings};
use zv_domain::{AttachmentId, ClientId, EntryContent, EntryKind, FixedClock, Role, TrajectoryId};
use zv_testkit::{
    Engine, PgDatabase, TestApp, engines, file_contains, files_under, policy, reference_now,
};

use crate::cli::{text, zv};

/// A small organisation: two clients of one caseworker, each with an entry, an attachment
/// and a work note. The first carries a unique marker in its name and texts.
struct Scene {
    t: TestApp,
    marker: String,
    marked: (ClientId, TrajectoryId),
    kept: (ClientId, TrajectoryId),
    kept_attachment: (AttachmentId, Vec<u8>),
}

async fn scene(engine: Engine) -> Scene {
    let t = TestApp::start(engine, "blijfgroep").await;
    let worker = t
        .staff("hulpverlener", Role::Caseworker, Some("opvang-amsterdam"))
        .await;
    let marker = format!("Zq{}", uuid::Uuid::new_v4().simple());
    let marked = t
        .intake(&worker, &format!("Anna {marker}"), "1990-04-01", "opvang")
        .await;
    let kept = t
        .intake(&worker, "Piet Jansen", "1980-01-01", "opvang")
        .await;
    let mut kept_attachment = None;
    for ((_, trajectory), text) in [
        (marked, format!("Besproken: {marker}")),
        (kept, "Besproken: woonsituatie".to_owned()),
    ] {
        let entry = t
            .app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                EntryContent::parse(EntryKind::ConversationReport, "Gesprek", &text, None).unwrap(),
                None,
            )
            .await
            .unwrap();
        let bytes = format!("Verwijsbrief {text}").into_bytes();
        let id = t
            .app
            .add_attachment(&worker, entry, "brief.txt", "text/plain", &bytes)
            .await
            .unwrap();
        t.app
            .add_work_note(&worker, trajectory, &format!("Notitie {text}"))
            .await
            .unwrap();
        kept_attachment = Some((id, bytes));
    }
    Scene {
        t,
        marker,
        marked,
        kept,
        kept_attachment: kept_attachment.unwrap(),
    }
}

/// A fresh place to restore into: an empty directory with `data/` holding only the key
/// file (an operator keeps it apart and puts it there first), and on PostgreSQL an empty
/// database.
struct Target {
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
}

impl Target {
    async fn fresh(s: &Scene) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::copy(
            s.t.data_dir().join("zorgvuldig.key"),
            dir.path().join("data/zorgvuldig.key"),
        )
        .unwrap();
        let pg = match s.t.engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PgDatabase::create().await),
        };
        Self { dir, pg }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn settings(&self) -> Settings {
        let mut settings = Settings::new(self.data_dir());
        settings.database_url = self.pg.as_ref().map(|p| p.url.clone());
        settings
    }

    /// The binary, run in this target (`data/` and, on PostgreSQL, its database).
    fn zv(&self, args: &[&str]) -> Output {
        zv(
            &with_url(args, self.pg.as_ref().map(|p| p.url.as_str())),
            self.dir.path(),
            "",
        )
    }

    async fn open(&self) -> App {
        App::open(
            self.settings(),
            policy("blijfgroep"),
            Arc::new(FixedClock::at(reference_now())),
        )
        .await
        .unwrap()
    }
}

fn with_url<'a>(args: &[&'a str], url: Option<&'a str>) -> Vec<&'a str> {
    let mut all: Vec<&str> = url.map(|u| vec!["--database-url", u]).unwrap_or_default();
    all.extend_from_slice(args);
    all
}

/// The binary, run against the scene's own installation.
fn zv_source(s: &Scene, args: &[&str]) -> Output {
    zv(
        &with_url(args, s.t.pg.as_ref().map(|p| p.url.as_str())),
        s.t.dir.path(),
        "",
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The store of an installation, beside the app, to count rows and read audit hashes.
async fn raw_store(settings: &Settings) -> zv_store::Store {
    zv_store::Store::open(
        &zv_store::StoreConfig {
            database_url: settings.database_url.clone(),
            data_dir: settings.data_dir.clone(),
            page_cache: zv_store::PageCache::default(),
        },
        zv_store::OpenMode::MustExist,
    )
    .await
    .unwrap()
}

async fn query<T: TryGetable>(store: &zv_store::Store, sql: &str) -> Vec<T> {
    let backend = match store.engine() {
        zv_store::Engine::Sqlite => DbBackend::Sqlite,
        zv_store::Engine::Postgres => DbBackend::Postgres,
    };
    store
        .connection_for_tests_only()
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| T::try_get_by_index(row, 0).unwrap())
        .collect()
}

/// Row counts of the tables a round trip must keep.
async fn counts(store: &zv_store::Store) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for table in [
        "clients",
        "trajectories",
        "entries",
        "attachments",
        "work_notes",
        "staff_users",
    ] {
        let n = query::<i64>(store, &format!("SELECT count(*) FROM {table}")).await[0];
        out.push((table, n));
    }
    out
}

async fn audit_hashes(store: &zv_store::Store) -> Vec<Vec<u8>> {
    query(store, "SELECT hash FROM audit_log ORDER BY seq").await
}

fn attachment_files(data_dir: &Path) -> usize {
    files_under(&data_dir.join("attachments")).len()
}

/// A backup by the binary: the data (with its files beside it) and a key-store copy.
fn backup(s: &Scene, name: &str) -> (PathBuf, PathBuf) {
    let data = s.t.dir.path().join(format!("{name}.db"));
    let keys = s.t.dir.path().join(format!("{name}-keys.db"));
    let out = zv_source(
        s,
        &[
            "backup",
            "--out",
            path(&data),
            "--key-store-out",
            path(&keys),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(zv_core::restore::files_dir_of(&data).is_dir());
    (data, keys)
}

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn backup_then_restore_into_a_fresh_installation_keeps_every_row_file_and_audit_event() {
    for engine in engines() {
        let s = scene(engine).await;
        let source = raw_store(&s.t.settings).await;
        let before = counts(&source).await;
        let hashes_at_backup = audit_hashes(&source).await;
        let (data, keys) = backup(&s, "nightly");
        // The backup's files are the encrypted ones: no plaintext in any of them.
        for f in files_under(&zv_core::restore::files_dir_of(&data))
            .into_iter()
            .chain([data.clone(), keys.clone()])
        {
            assert!(!file_contains(&f, s.marker.as_bytes()), "{}", f.display());
        }
        assert_eq!(
            attachment_files(&zv_core::restore::files_dir_of(&data)),
            attachment_files(s.t.data_dir())
        );

        let target = Target::fresh(&s).await;
        let out = target.zv(&[
            "restore",
            "--from",
            path(&data),
            "--key-store-from",
            path(&keys),
        ]);
        let said = text(&out);
        assert!(out.status.success(), "{engine:?}: {said}");
        assert!(
            said.contains(&format!(
                "audit log intact: {} events, hash chain verified",
                hashes_at_backup.len()
            )),
            "{said}"
        );
        assert!(said.contains("2 stored files restored"), "{said}");
        assert!(!said.contains(&s.marker), "no personal data in the output");

        // Every row, every file, and the audit chain: the backup's events unchanged,
        // followed by the restore's own.
        let restored = raw_store(&target.settings()).await;
        assert_eq!(counts(&restored).await, before, "{engine:?}");
        assert_eq!(attachment_files(&target.data_dir()), 2);
        let hashes = audit_hashes(&restored).await;
        assert_eq!(hashes.len(), hashes_at_backup.len() + 1, "{engine:?}");
        assert_eq!(hashes[..hashes_at_backup.len()], hashes_at_backup[..]);
        let last: Vec<String> = query(
            &restored,
            "SELECT user_name FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
        .await;
        assert!(last[0].contains("restore"), "{last:?}");
        let verify = target.zv(&["audit", "verify"]);
        assert!(verify.status.success(), "{}", text(&verify));
        assert!(
            text(&verify).contains(&format!(
                "audit log intact: {} events",
                hashes_at_backup.len() + 1
            )),
            "{}",
            text(&verify)
        );
        restored.close().await.unwrap();

        // The dossiers read back whole through the gate, attachments byte for byte.
        let app = target.open().await;
        let worker = app.staff_actor("hulpverlener", "test").await.unwrap();
        for (_, trajectory) in [s.marked, s.kept] {
            let dossier = app.dossier(&worker, trajectory).await.unwrap();
            assert!(dossier.entries[0].body.starts_with("Besproken: "));
        }
        let marked = app.dossier(&worker, s.marked.1).await.unwrap();
        assert!(marked.entries[0].body.contains(&s.marker));
        let (id, bytes) = &s.kept_attachment;
        assert_eq!(
            app.download_attachment(&worker, *id)
                .await
                .unwrap()
                .bytes
                .as_slice(),
            bytes.as_slice()
        );
        assert!(
            app.client_profile(&worker, s.kept.0).await.is_ok(),
            "{engine:?}"
        );
        assert!(app.verify_audit().await.unwrap().is_intact());
    }
}

// promise: RET-4
// promise: RET-6
#[tokio::test(flavor = "multi_thread")]
async fn a_backup_from_before_a_destruction_restored_with_the_current_key_store_does_not_bring_the_client_back()
 {
    for engine in engines() {
        let s = scene(engine).await;
        let (old, _) = backup(&s, "before");
        let report =
            s.t.app
                .destroy_client(
                    &Actor::cli("test"),
                    s.marked.0,
                    "opvang-15y",
                    "test of destruction",
                )
                .await
                .unwrap();
        assert_eq!(report.rows.get("clients"), Some(&1));
        // The current key store, as it is after the destruction.
        let current = s.t.dir.path().join("current-keys.db");
        s.t.app
            .backup_key_store(&Actor::cli("test"), &current)
            .await
            .unwrap();

        let target = Target::fresh(&s).await;
        let out = match engine {
            // SQLite: the current key store is already in place (the database was lost,
            // keys.db was not); the restore uses it.
            Engine::Sqlite => {
                std::fs::copy(&current, target.data_dir().join("keys.db")).unwrap();
                target.zv(&["restore", "--from", path(&old)])
            }
            Engine::Postgres => target.zv(&[
                "restore",
                "--from",
                path(&old),
                "--key-store-from",
                path(&current),
            ]),
        };
        let said = text(&out);
        assert!(out.status.success(), "{engine:?}: {said}");
        assert!(said.contains("1 client(s) had no data key"), "{said}");

        // Through the app: the client is gone, it cannot be found, its dossier is gone;
        // the other client reads as before.
        let app = target.open().await;
        let worker = app.staff_actor("hulpverlener", "test").await.unwrap();
        assert!(matches!(
            app.client_profile(&worker, s.marked.0).await,
            Err(zv_core::CoreError::NotFound)
        ));
        assert!(app.dossier(&worker, s.marked.1).await.is_err());
        assert!(
            app.search_clients(&worker, &s.marker, None)
                .await
                .unwrap()
                .found
                .is_empty()
        );
        assert!(
            !app.search_clients(&worker, "Jansen", None)
                .await
                .unwrap()
                .found
                .is_empty()
        );
        assert!(app.dossier(&worker, s.kept.1).await.is_ok());
        assert!(app.verify_audit().await.unwrap().is_intact());
        drop(app);

        // Nothing of it is left in the rows, and the destruction is in the register again.
        let restored = raw_store(&target.settings()).await;
        assert_eq!(
            query::<i64>(&restored, "SELECT count(*) FROM clients").await,
            [1]
        );
        let rules: Vec<String> = query(
            &restored,
            "SELECT rule FROM destruction_records WHERE subject_kind = 'client'",
        )
        .await;
        assert_eq!(rules, [zv_core::restore::RESTORE_RULE], "{engine:?}");
        restored.close().await.unwrap();

        // No plaintext of the marker in any file of the restored installation, and only
        // the other client's attachment file is there.
        for f in files_under(&target.data_dir()) {
            assert!(
                !file_contains(&f, s.marker.as_bytes()),
                "marker found in {}",
                f.display()
            );
        }
        assert_eq!(attachment_files(&target.data_dir()), 1);
    }
}

/// Every file under `dir` with its length, to prove a refused restore changed nothing.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out: Vec<(PathBuf, u64)> = files_under(dir)
        .into_iter()
        .filter(|p| {
            // SQLite's shared-memory index changes when any process opens the database.
            !p.to_string_lossy().ends_with("-shm")
        })
        .map(|p| {
            let len = std::fs::metadata(&p).unwrap().len();
            (p, len)
        })
        .collect();
    out.sort();
    out
}

// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn a_restore_into_live_data_or_from_a_damaged_backup_is_refused_and_leaves_nothing() {
    for engine in engines() {
        let s = scene(engine).await;
        let (data, keys) = backup(&s, "nightly");
        let source = raw_store(&s.t.settings).await;
        let events = audit_hashes(&source).await.len();

        // Into the live installation itself: refused, nothing changed.
        let files_before = listing(s.t.data_dir());
        let out = zv_source(&s, &["restore", "--from", path(&data)]);
        assert!(!out.status.success());
        let said = text(&out);
        assert!(
            said.contains("fresh installation") || said.contains("empty database"),
            "{engine:?}: {said}"
        );
        assert!(said.contains("never overwrites"), "{said}");
        assert_eq!(audit_hashes(&source).await.len(), events);
        assert_eq!(listing(s.t.data_dir()), files_before, "{engine:?}");

        // A truncated and a garbage backup, into a fresh target: refused, clearly, and the
        // target stays fresh.
        let target = Target::fresh(&s).await;
        let bytes = std::fs::read(&data).unwrap();
        let truncated = s.t.dir.path().join("truncated.db");
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
        let garbage = s.t.dir.path().join("garbage.db");
        std::fs::write(
            &garbage,
            b"this is no backup at all, just some bytes".repeat(200),
        )
        .unwrap();
        let files = zv_core::restore::files_dir_of(&data);
        let fresh = listing(&target.data_dir());
        for bad in [&truncated, &garbage] {
            let out = target.zv(&[
                "restore",
                "--from",
                path(bad),
                "--files-from",
                path(&files),
                "--key-store-from",
                path(&keys),
            ]);
            assert!(!out.status.success(), "{engine:?}: {}", text(&out));
            let said = text(&out);
            assert!(
                said.contains("is not usable") || said.contains("pg_restore failed"),
                "{engine:?}: {said}"
            );
            assert_eq!(listing(&target.data_dir()), fresh, "{engine:?}: {said}");
            assert_eq!(
                std::fs::read_dir(target.data_dir()).unwrap().count(),
                1,
                "only the key file: no staging left behind"
            );
            if let Some(pg) = &target.pg {
                let db = sea_orm::Database::connect(&pg.url).await.unwrap();
                let n = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'zv_keys')",
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(i64::try_get_by_index(&n, 0).unwrap(), 0, "{said}");
                db.close().await.unwrap();
            }
        }
        // An audit intake left in the target belongs to the database that was moved
        // away (decision 0056): refused too, and left as it was.
        if engine == Engine::Sqlite {
            let intake = target.data_dir().join(zv_store::AUDIT_INTAKE_FILE);
            std::fs::write(&intake, b"left behind").unwrap();
            let out = target.zv(&[
                "restore",
                "--from",
                path(&data),
                "--files-from",
                path(&files),
                "--key-store-from",
                path(&keys),
            ]);
            assert!(!out.status.success());
            let said = text(&out);
            assert!(
                said.contains("fresh installation") && said.contains("audit-intake.db"),
                "{said}"
            );
            assert_eq!(std::fs::read(&intake).unwrap(), b"left behind");
            std::fs::remove_file(&intake).unwrap();
        }
        // A backup without its files is refused too, unless they are named.
        let alone = s.t.dir.path().join("alone.db");
        std::fs::copy(&data, &alone).unwrap();
        let out = target.zv(&["restore", "--from", path(&alone)]);
        assert!(!out.status.success());
        assert!(text(&out).contains("--files-from"), "{}", text(&out));

        // The target is still fresh: the good backup restores into it.
        let out = target.zv(&[
            "restore",
            "--from",
            path(&data),
            "--key-store-from",
            path(&keys),
        ]);
        assert!(out.status.success(), "{engine:?}: {}", text(&out));
        // And a second restore into it is refused: it is live now.
        let again = target.zv(&[
            "restore",
            "--from",
            path(&data),
            "--key-store-from",
            path(&keys),
        ]);
        assert!(!again.status.success());
        assert!(
            text(&again).contains("never overwrites"),
            "{}",
            text(&again)
        );
        source.close().await.unwrap();
    }
}
