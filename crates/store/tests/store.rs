//! The store on both engines: connection and migrations, row round trips, the proof
//! check, the audit chain, destruction, backups. Every test runs on SQLite, and on
//! PostgreSQL when `ZV_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;
use zv_domain::{
    AttachmentId, AuditAction, AuditObject, AuditOutcome, ClientId, EntryId, NewAuditEvent,
    Purpose, RelatedPersonId, TrajectoryId, UserId, WorkNoteId,
};
use zv_store::audit::BreakReason;
use zv_store::{
    Authorized, ClientUpdate, DemoBatch, Engine, NewAttachment, NewClient, NewDestructionRecord,
    NewEntry, NewEntryVersion, NewGoalProgress, NewRelatedPerson, NewStaffUser, NewTrajectory,
    NewWorkNote, OpenMode, Store, StoreConfig, StoreError, TrajectoryClosing, Tx, WrappedKeyRow,
};

use support::TestDb;

// ---------------------------------------------------------------------------------------
// Fixtures

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap() + Duration::nanoseconds(123_456_789)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Ciphertext stand-in: recognisable bytes, so a scan can find them.
fn ct(marker: &str, field: &str) -> Vec<u8> {
    format!("{marker}:{field}").into_bytes()
}

fn key(n: u8) -> WrappedKeyRow {
    WrappedKeyRow {
        kek_version: 1,
        key_version: 1,
        wrapped: vec![n; 40],
    }
}

async fn organisation(tx: &Tx) {
    zv_store::organisation::sync(
        tx,
        &[
            ("amw".into(), "Algemeen maatschappelijk werk".into()),
            ("jgd".into(), "Jeugd".into()),
        ],
        &[
            ("amw-1".into(), "AMW Helmond".into(), "amw".into()),
            ("jgd-1".into(), "Jeugd Eindhoven".into(), "jgd".into()),
        ],
    )
    .await
    .unwrap();
}

async fn staff(tx: &Tx, username: &str) -> UserId {
    let id = UserId::new();
    zv_store::staff::insert(
        tx,
        &NewStaffUser {
            id,
            username: username.into(),
            display_name: format!("{username} display"),
            password_hash: "$argon2id$fake".into(),
            totp_secret_ct: vec![7; 20],
            branch_code: Some("amw".into()),
            confidentiality_signed_on: None,
            roles: vec!["caseworker".into()],
            teams: vec!["amw-1".into()],
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    id
}

fn new_client(marker: &str) -> NewClient {
    NewClient {
        id: ClientId::new(),
        branch_code: "amw".into(),
        name_ct: ct(marker, "name"),
        birth_date_ct: ct(marker, "birth"),
        gender_ct: None,
        address_ct: Some(ct(marker, "address")),
        phone_ct: Some(ct(marker, "phone")),
        email_ct: None,
        bsn_ct: Some(ct(marker, "bsn")),
        confidential_address: false,
        created_at: t0(),
    }
}

fn event(client: Option<ClientId>, n: usize) -> NewAuditEvent {
    NewAuditEvent {
        action: AuditAction::Read,
        outcome: AuditOutcome::Success,
        object: AuditObject::ClientProfile,
        object_id: client.map(|c| c.as_uuid()),
        client_id: client,
        user_id: Some(UserId::from_uuid(Uuid::from_u128(n as u128 + 1))),
        user_name: format!("user {n}"),
        role: "caseworker".into(),
        on_behalf_of: None,
        purpose: Purpose::Care,
        access_point: "127.0.0.1 session".into(),
        rule_ids: vec!["assigned-worker".into(), format!("rule,{n}")],
        detail: n.is_multiple_of(2).then(|| format!("{{\"n\":{n}}}")),
    }
}

fn record(rule: &str) -> NewDestructionRecord {
    NewDestructionRecord {
        at: t0(),
        rule: rule.into(),
        reason: "retention term passed".into(),
        by_user: None,
    }
}

/// A proof as the gate would mint it (these tests play the gate).
fn proof(client: ClientId) -> Authorized {
    Authorized::minted_by_gate_after_audit(client, 1)
}

/// A client with one trajectory, an entry with two versions, progress, an attachment
/// (row and file), a work note, a related person, search tokens and a key.
struct Dossier {
    client: ClientId,
    trajectory: TrajectoryId,
    entry: EntryId,
    attachment: AttachmentId,
    worker: UserId,
}

async fn dossier(db: &TestDb, marker: &str, worker: UserId) -> Dossier {
    let tx = db.store.begin().await.unwrap();
    let c = new_client(marker);
    let client = c.id;
    zv_store::keys::insert_client_key(&tx, client, &key(3))
        .await
        .unwrap();
    zv_store::clients::insert(&tx, &c).await.unwrap();
    zv_store::search::replace_tokens(&tx, client, &[[1; 16], [2; 16], [2; 16]])
        .await
        .unwrap();
    zv_store::related_persons::insert(
        &tx,
        &NewRelatedPerson {
            id: RelatedPersonId::new(),
            client_id: client,
            relation: "parent".into(),
            name_ct: ct(marker, "parent"),
            birth_date_ct: None,
            phone_ct: Some(ct(marker, "parent-phone")),
            email_ct: None,
            address_ct: None,
            authority_since: Some(day("2020-01-01")),
            mandate_ct: None,
            linked_client_id: None,
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    let trajectory = TrajectoryId::new();
    zv_store::trajectories::insert(
        &tx,
        &NewTrajectory {
            id: trajectory,
            client_id: client,
            service_type: "amw".into(),
            branch_code: "amw".into(),
            team_code: "amw-1".into(),
            domestic_violence: false,
            opened_on: day("2026-02-01"),
            created_at: t0(),
            facts: Default::default(),
        },
    )
    .await
    .unwrap();
    zv_store::trajectories::assign_worker(&tx, trajectory, worker, day("2026-02-01"))
        .await
        .unwrap();
    let entry = EntryId::new();
    zv_store::entries::insert(
        &tx,
        &NewEntry {
            id: entry,
            trajectory_id: trajectory,
            client_id: client,
            kind: "goal".into(),
            special_category: Some("health".into()),
            necessity_ct: Some(ct(marker, "necessity")),
            content_ct: ct(marker, "v1"),
            created_by: worker,
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    let v = zv_store::entries::next_version(&tx, entry).await.unwrap();
    zv_store::entries::add_version(
        &tx,
        &NewEntryVersion {
            entry_id: entry,
            version: v,
            content_ct: ct(marker, "v2"),
            author_id: worker,
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    zv_store::entries::insert_progress(
        &tx,
        &NewGoalProgress {
            id: Uuid::now_v7(),
            entry_id: entry,
            client_id: client,
            progress: 40,
            note_ct: ct(marker, "progress"),
            author_id: worker,
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    let attachment = AttachmentId::new();
    zv_store::blobs::put(&db.store, attachment, &ct(marker, "file"))
        .await
        .unwrap();
    zv_store::attachments::insert(
        &tx,
        &NewAttachment {
            id: attachment,
            entry_id: entry,
            client_id: client,
            filename_ct: ct(marker, "filename"),
            media_type: "text/plain".into(),
            size_bytes: 12,
            created_by: worker,
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    zv_store::work_notes::insert(
        &tx,
        &NewWorkNote {
            id: WorkNoteId::new(),
            trajectory_id: trajectory,
            client_id: client,
            author_id: worker,
            body_ct: ct(marker, "note"),
            created_at: t0(),
        },
    )
    .await
    .unwrap();
    zv_store::audit::append(&tx, &[event(Some(client), 0)], t0())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Dossier {
        client,
        trajectory,
        entry,
        attachment,
        worker,
    }
}

async fn raw(store: &Store, sql: &str) -> Result<u64, sea_orm::DbErr> {
    store
        .connection_for_tests_only()
        .execute_unprepared(sql)
        .await
        .map(|r| r.rows_affected())
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    let backend = match store.engine() {
        Engine::Sqlite => DbBackend::Sqlite,
        Engine::Postgres => DbBackend::Postgres,
    };
    let row = store
        .connection_for_tests_only()
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// A uuid literal as each engine stores it (a 16-byte blob on SQLite).
fn uuid_literal(engine: Engine, id: Uuid) -> String {
    match engine {
        Engine::Sqlite => format!("X'{}'", id.simple()),
        Engine::Postgres => format!("'{id}'::uuid"),
    }
}

// ---------------------------------------------------------------------------------------
// Connection, migrations, dialect

both_engines! {
    async fn migrations_apply_twice_and_report_the_schema(db) {
        db.store.migrate().await.unwrap();
        db.reopen().await.migrate().await.unwrap();
        assert!(db.store.has_schema().await.unwrap());
        // Not initialised until `init` stored the system keys.
        assert!(!db.store.is_initialised().await.unwrap());
        let tx = db.store.begin().await.unwrap();
        zv_store::keys::put_system_key(&tx, "blind_index", &key(1)).await.unwrap();
        tx.commit().await.unwrap();
        assert!(db.store.is_initialised().await.unwrap());
        // The genesis head is there exactly once.
        assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM audit_head").await, 1);
    }

    /// PostgreSQL plans from statistics that nothing gathers after a bulk load when the
    /// server runs without autovacuum (as the development machine's does); the product
    /// gathers them itself. SQLite plans without them and is left alone.
    async fn the_planner_statistics_are_gathered_where_the_engine_plans_from_them(db) {
        let postgres = db.store.engine() == Engine::Postgres;
        let stats = "SELECT COUNT(*) FROM pg_stats WHERE schemaname = 'public' \
                     AND tablename = 'audit_head'";
        if postgres {
            assert_eq!(scalar(&db.store, stats).await, 0, "a fresh database has none");
        }
        assert_eq!(zv_store::statistics::refresh(&db.store).await.unwrap(), postgres);
        if postgres {
            assert!(scalar(&db.store, stats).await > 0);
        }
        // The nightly tidying, for a server that does not do it itself.
        assert_eq!(zv_store::statistics::tidy(&db.store).await.unwrap(), postgres);
        if postgres {
            let vacuumed = "SELECT COUNT(*) FROM pg_stat_user_tables \
                            WHERE relname = 'audit_head' AND last_vacuum IS NOT NULL";
            assert_eq!(scalar(&db.store, vacuumed).await, 1);
        }
        let autovacuum = zv_store::statistics::kept_by_server(&db.store).await.unwrap();
        if !postgres {
            assert!(autovacuum, "SQLite needs no tidying by the product");
        }
    }

    async fn migrations_of_concurrent_processes_do_not_collide(db) {
        // A fresh database (not the migrated one) migrated by three pools at once.
        let fresh = db.fresh_like().await;
        let stores = [fresh.reopen().await, fresh.reopen().await, fresh.reopen().await];
        let results = futures_join(stores.iter().cloned().map(|s| async move { s.migrate().await })).await;
        for r in results {
            r.unwrap();
        }
        assert!(fresh.store.has_schema().await.unwrap());
        for s in stores {
            s.close().await.unwrap();
        }
        fresh.finish().await;
    }

    async fn the_dialect_sets_up_each_engine(db) {
        match db.engine() {
            Engine::Sqlite => {
                let conn = db.store.connection_for_tests_only();
                let text = |sql: &'static str| async move {
                    let r = conn.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap();
                    r.try_get_by_index::<String>(0).unwrap()
                };
                assert_eq!(text("PRAGMA journal_mode").await, "wal");
                assert_eq!(text("PRAGMA zv_keys.journal_mode").await, "wal");
                for (pragma, want) in [
                    ("PRAGMA synchronous", 2),
                    ("PRAGMA zv_keys.synchronous", 2),
                    ("PRAGMA secure_delete", 1),
                    ("PRAGMA zv_keys.secure_delete", 1),
                    ("PRAGMA foreign_keys", 1),
                    ("PRAGMA busy_timeout", 10_000),
                ] {
                    assert_eq!(scalar(&db.store, pragma).await, want, "{pragma}");
                }
                // The key tables live in the attached file, not in the main one.
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM zv_keys.sqlite_master WHERE name = 'client_keys'").await, 1);
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM main.sqlite_master WHERE name = 'client_keys'").await, 0);
                assert!(db.config.data_dir.join("keys.db").is_file());
                // The audit sequence is the rowid (no second index to walk).
                let sql = text("SELECT sql FROM sqlite_master WHERE name = 'audit_log'").await;
                assert!(sql.contains(r#""seq" integer NOT NULL PRIMARY KEY"#), "{sql}");
            }
            Engine::Postgres => {
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'zv_keys'").await, 2);
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'client_keys'").await, 0);
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'audit_log_no_change'").await, 1);
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC' AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')").await, 0);
                // Instants are timestamptz, ciphertext bytea.
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'audit_log' AND column_name = 'at' AND data_type = 'timestamp with time zone'").await, 1);
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'clients' AND column_name = 'name_ct' AND data_type = 'bytea'").await, 1);
                // No statement waits for its compilation to machine code (decision 0057).
                assert_eq!(scalar(&db.store, "SELECT COUNT(*) FROM pg_settings WHERE name = 'jit' AND setting = 'off'").await, 1);
            }
        }
    }

    async fn a_read_transaction_is_read_only_on_postgres(db) {
        let tx = db.store.read_tx().await.unwrap();
        assert_eq!(zv_store::clients::count(&tx).await.unwrap(), 0);
        let write = zv_store::organisation::sync(&tx, &[("x".into(), "X".into())], &[]).await;
        match db.engine() {
            Engine::Postgres => assert!(write.is_err(), "a write in a read-only transaction fails"),
            Engine::Sqlite => assert!(write.is_ok()),
        }
        tx.rollback().await.unwrap();
    }
}

/// `join_all` without a dependency on the futures crate.
async fn futures_join<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn must_exist_refuses_a_missing_sqlite_database_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nowhere");
    let config = StoreConfig {
        database_url: None,
        data_dir: data_dir.clone(),
        page_cache: zv_store::PageCache::default(),
    };
    match Store::open(&config, OpenMode::MustExist).await {
        Err(StoreError::NotInitialised { path }) => {
            assert!(path.ends_with("zorgvuldig.db"), "{path}")
        }
        other => panic!("expected NotInitialised, got {other:?}"),
    }
    assert!(!data_dir.exists(), "nothing was created");

    // A sqlite:// URL to a missing file, likewise.
    let url = format!("sqlite://{}", dir.path().join("other.db").display());
    let config = StoreConfig {
        database_url: Some(url),
        data_dir: data_dir.clone(),
        page_cache: zv_store::PageCache::default(),
    };
    assert!(matches!(
        Store::open(&config, OpenMode::MustExist).await,
        Err(StoreError::NotInitialised { .. })
    ));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // A database whose key store went missing is refused too: never start with an empty
    // key store, which would make every client unreadable.
    let config = StoreConfig {
        database_url: None,
        data_dir: data_dir.clone(),
        page_cache: zv_store::PageCache::default(),
    };
    let store = Store::open(&config, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.close().await.unwrap();
    assert!(Store::open(&config, OpenMode::MustExist).await.is_ok());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("keys.db{suffix}")));
    }
    match Store::open(&config, OpenMode::MustExist).await {
        Err(StoreError::NotInitialised { path }) => assert!(path.ends_with("keys.db"), "{path}"),
        other => panic!("expected NotInitialised, got {other:?}"),
    }
    assert!(!data_dir.join("keys.db").exists());
}

/// Deleting a row that a foreign key points at makes the database look for rows that
/// still point at it: without an index on the key's column, a scan of the whole table
/// for every row deleted (the retention sweep deletes thousands). The schema comes from
/// the same migrations on both engines, so SQLite's catalogue answers for both.
#[tokio::test]
async fn every_foreign_key_leads_an_index() {
    let unindexed = columns_without_an_index(
        "SELECT m.name AS t, f.\"from\" AS c \
         FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
    )
    .await;
    assert!(
        unindexed.is_empty(),
        "foreign keys without an index: {unindexed:?}"
    );
}

/// The retention sweep finds what a dossier leaves behind by its client, trajectory,
/// entry or complaint, and asks per trajectory whether a complaint or grant holds it
/// (RET-5); a rights request, or the removal of a person, finds that person's rows by the
/// related person, portal account or handler they name. A table holding one of those
/// columns without an index under it is scanned whole for every such lookup: for the
/// sweep, for every batch or every trajectory. The demo has no rows in several of these
/// tables, so no benchmark would notice; this test does.
// promise: RET-4
#[tokio::test]
async fn every_column_rows_are_found_by_leads_an_index() {
    let unindexed = columns_without_an_index(
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND p.pk = 0 \
         AND p.name IN ('client_id', 'trajectory_id', 'entry_id', 'complaint_id', \
         'related_person_id', 'portal_account_id', 'handler_id')",
    )
    .await;
    assert!(
        unindexed.is_empty(),
        "columns rows are found by without an index: {unindexed:?}"
    );
}

/// Of the pairs `pairs` selects (a table as `t`, a column of it as `c`), those whose
/// column leads no index of its table, as `table.column`.
async fn columns_without_an_index(pairs: &str) -> Vec<String> {
    let db = TestDb::sqlite().await;
    let rows = db
        .store
        .connection_for_tests_only()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!(
                "SELECT t || '.' || c FROM ({pairs}) WHERE NOT EXISTS \
                 (SELECT 1 FROM pragma_index_list(t) l, pragma_index_info(l.name) i \
                  WHERE i.seqno = 0 AND i.name = c) ORDER BY 1"
            ),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_without_its_password() {
    let config = StoreConfig {
        database_url: Some("postgres://zv:TopSecret-42@127.0.0.1:1/zorgdb".into()),
        data_dir: "/nonexistent".into(),
        page_cache: zv_store::PageCache::default(),
    };
    match Store::open(&config, OpenMode::MustExist).await {
        Err(StoreError::Connect(message)) => {
            assert!(message.contains("127.0.0.1:1"), "{message}");
            assert!(message.contains("zorgdb"), "{message}");
            assert!(!message.contains("TopSecret"), "{message}");
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    assert!(!format!("{config:?}").contains("TopSecret"));
}

// ---------------------------------------------------------------------------------------
// Rows

both_engines! {
    async fn rows_round_trip(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let d = dossier(db, "ROUNDTRIP", worker).await;
        let auth = proof(d.client);

        let tx = db.store.begin().await.unwrap();
        // Client.
        let row = zv_store::clients::get(&tx, &auth, d.client).await.unwrap().unwrap();
        assert_eq!(row.name_ct, ct("ROUNDTRIP", "name"));
        assert_eq!(row.bsn_ct, Some(ct("ROUNDTRIP", "bsn")));
        assert_eq!(row.gender_ct, None);
        assert_eq!(row.created_at, t0().trunc_subsecs_micro());
        assert!(zv_store::clients::exists(&tx, d.client).await.unwrap());
        assert!(!zv_store::clients::exists(&tx, ClientId::new()).await.unwrap());
        assert_eq!(zv_store::clients::branch_of(&tx, d.client).await.unwrap().as_deref(), Some("amw"));
        assert_eq!(zv_store::clients::count(&tx).await.unwrap(), 1);
        assert_eq!(zv_store::clients::ids_page(&tx, None, 10).await.unwrap(), vec![d.client]);
        assert!(zv_store::clients::ids_page(&tx, Some(d.client), 10).await.unwrap().is_empty());
        let later = t0() + Duration::days(1);
        zv_store::clients::update_fields(
            &tx,
            d.client,
            &ClientUpdate { email_ct: Some(Some(b"mail".to_vec())), phone_ct: Some(None), ..ClientUpdate::default() },
            later,
        )
        .await
        .unwrap();
        zv_store::clients::set_bsn(&tx, d.client, None, later).await.unwrap();
        let row = zv_store::clients::get(&tx, &auth, d.client).await.unwrap().unwrap();
        assert_eq!((row.email_ct.as_deref(), row.phone_ct, row.bsn_ct), (Some(&b"mail"[..]), None, None));
        assert_eq!(row.name_ct, ct("ROUNDTRIP", "name"), "untouched fields stay");
        assert!(matches!(
            zv_store::clients::update_fields(&tx, ClientId::new(), &ClientUpdate::default(), later).await,
            Err(StoreError::NotFound)
        ));

        // Search tokens: a client carrying every token.
        assert_eq!(zv_store::search::find_clients_with_all(&tx, &[[1; 16]], 10).await.unwrap(), vec![d.client]);
        assert_eq!(zv_store::search::find_clients_with_all(&tx, &[[1; 16], [2; 16], [1; 16]], 10).await.unwrap(), vec![d.client]);
        assert!(zv_store::search::find_clients_with_all(&tx, &[[1; 16], [9; 16]], 10).await.unwrap().is_empty());
        assert!(zv_store::search::find_clients_with_all(&tx, &[], 10).await.unwrap().is_empty());
        zv_store::search::replace_tokens(&tx, d.client, &[[9; 16]]).await.unwrap();
        assert!(zv_store::search::find_clients_with_all(&tx, &[[1; 16]], 10).await.unwrap().is_empty());
        assert_eq!(zv_store::search::find_clients_with_all(&tx, &[[9; 16]], 10).await.unwrap(), vec![d.client]);

        // Keys.
        assert_eq!(zv_store::keys::get_client_key(&tx, &auth).await.unwrap(), Some(key(3)));
        assert_eq!(zv_store::keys::client_key_for_write(&tx, d.client).await.unwrap(), Some(key(3)));
        assert!(matches!(zv_store::keys::insert_client_key(&tx, d.client, &key(4)).await, Err(StoreError::Conflict)));
        let page = zv_store::keys::all_client_keys_page(&tx, None, 10).await.unwrap();
        assert_eq!(page, vec![(d.client, key(3))]);
        let rewrapped = WrappedKeyRow { kek_version: 2, key_version: 1, wrapped: vec![5; 40] };
        zv_store::keys::update_client_key_wrap(&tx, d.client, &rewrapped).await.unwrap();
        assert_eq!(zv_store::keys::get_client_key(&tx, &auth).await.unwrap(), Some(rewrapped));
        assert!(matches!(zv_store::keys::update_client_key_wrap(&tx, ClientId::new(), &key(1)).await, Err(StoreError::NotFound)));
        zv_store::keys::put_system_key(&tx, "system", &key(8)).await.unwrap();
        zv_store::keys::put_system_key(&tx, "blind_index", &key(9)).await.unwrap();
        zv_store::keys::put_system_key(&tx, "system", &key(10)).await.unwrap();
        assert_eq!(zv_store::keys::get_system_key(&tx, "system").await.unwrap(), Some(key(10)));
        assert_eq!(zv_store::keys::get_system_key(&tx, "none").await.unwrap(), None);
        let names: Vec<String> = zv_store::keys::list_system_keys(&tx).await.unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["blind_index", "system"]);

        // Related persons.
        let related = zv_store::related_persons::of_client(&tx, &auth).await.unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0].name_ct, ct("ROUNDTRIP", "parent"));
        assert_eq!(related[0].authority_since, Some(day("2020-01-01")));
        assert!(zv_store::related_persons::get(&tx, &auth, related[0].id).await.unwrap().is_some());

        // Trajectories and workers.
        let meta = zv_store::trajectories::get_meta(&tx, d.trajectory).await.unwrap().unwrap();
        assert_eq!((meta.client_id, meta.team_code.as_str(), meta.opened_on), (d.client, "amw-1", day("2026-02-01")));
        assert_eq!(zv_store::trajectories::of_client(&tx, d.client).await.unwrap().len(), 1);
        assert_eq!(zv_store::trajectories::of_worker(&tx, worker).await.unwrap()[0].id, d.trajectory);
        assert!(zv_store::trajectories::is_worker_of_client(&tx, worker, d.client).await.unwrap());
        let colleague = staff(&tx, "bert").await;
        assert!(!zv_store::trajectories::is_worker_of_client(&tx, colleague, d.client).await.unwrap());
        zv_store::trajectories::assign_worker(&tx, d.trajectory, colleague, day("2026-02-02")).await.unwrap();
        zv_store::trajectories::assign_worker(&tx, d.trajectory, colleague, day("2026-02-03")).await.unwrap();
        assert_eq!(zv_store::trajectories::workers_of(&tx, d.trajectory).await.unwrap().len(), 2);
        assert!(zv_store::trajectories::unassign_worker(&tx, d.trajectory, colleague).await.unwrap());
        assert!(!zv_store::trajectories::unassign_worker(&tx, d.trajectory, colleague).await.unwrap());
        zv_store::trajectories::close(&tx, d.trajectory, day("2026-03-31")).await.unwrap();
        zv_store::trajectories::set_retention_until(&tx, d.trajectory, Some(day("2028-03-31"))).await.unwrap();
        zv_store::trajectories::touch_last_change(&tx, d.trajectory, later).await.unwrap();
        let meta = zv_store::trajectories::get_meta(&tx, d.trajectory).await.unwrap().unwrap();
        assert_eq!((meta.closed_on, meta.retention_until), (Some(day("2026-03-31")), Some(day("2028-03-31"))));
        assert_eq!(meta.last_change_at, later.trunc_subsecs_micro());
        assert!(zv_store::trajectories::due_for_destruction(&tx, day("2028-03-30"), 10).await.unwrap().is_empty());
        assert_eq!(zv_store::trajectories::due_for_destruction(&tx, day("2028-03-31"), 10).await.unwrap(), vec![(d.trajectory, d.client, day("2028-03-31"))]);
        assert!(matches!(zv_store::trajectories::close(&tx, TrajectoryId::new(), day("2026-01-01")).await, Err(StoreError::NotFound)));

        // Entries and versions.
        let entries = zv_store::entries::list_of_trajectory(&tx, &auth, d.trajectory).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!((entries[0].current_version, entries[0].content_ct.clone()), (2, ct("ROUNDTRIP", "v2")));
        assert_eq!(entries[0].necessity_ct, Some(ct("ROUNDTRIP", "necessity")));
        let one = zv_store::entries::get(&tx, &auth, d.entry).await.unwrap().unwrap();
        assert_eq!(one.content_ct, ct("ROUNDTRIP", "v2"));
        assert!(zv_store::entries::get(&tx, &auth, EntryId::new()).await.unwrap().is_none());
        let versions = zv_store::entries::versions(&tx, &auth, d.entry).await.unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(versions[0].content_ct, ct("ROUNDTRIP", "v1"));
        let meta = zv_store::entries::meta(&tx, d.entry).await.unwrap().unwrap();
        assert_eq!((meta.client_id, meta.trajectory_id, meta.kind.as_str()), (d.client, d.trajectory, "goal"));
        // A stale version number is a conflict, not an overwrite.
        let stale = NewEntryVersion { entry_id: d.entry, version: 2, content_ct: vec![1], author_id: worker, created_at: later };
        assert!(matches!(zv_store::entries::add_version(&tx, &stale).await, Err(StoreError::Conflict)));
        let missing = NewEntryVersion { entry_id: EntryId::new(), ..stale };
        assert!(matches!(zv_store::entries::add_version(&tx, &missing).await, Err(StoreError::NotFound)));
        let progress = zv_store::entries::progress_of_entry(&tx, &auth, d.entry).await.unwrap();
        assert_eq!((progress.len(), progress[0].progress), (1, 40));
        assert_eq!(zv_store::entries::progress_of_trajectory(&tx, &auth, d.trajectory).await.unwrap().len(), 1);
        assert_eq!(zv_store::entries::list_meta_of_trajectory(&tx, d.trajectory).await.unwrap().len(), 1);

        // Attachments.
        assert_eq!(zv_store::attachments::client_of(&tx, d.attachment).await.unwrap(), Some(d.client));
        let att = zv_store::attachments::get(&tx, &auth, d.attachment).await.unwrap().unwrap();
        assert_eq!((att.filename_ct, att.size_bytes), (ct("ROUNDTRIP", "filename"), 12));
        assert_eq!(zv_store::attachments::list_of_entry(&tx, &auth, d.entry).await.unwrap().len(), 1);
        assert_eq!(zv_store::attachments::list_of_trajectory(&tx, &auth, d.trajectory).await.unwrap().len(), 1);

        // Work notes: the author's own only.
        let notes = zv_store::work_notes::list_for_author(&tx, &auth, d.trajectory, worker).await.unwrap();
        assert_eq!(notes.len(), 1);
        assert!(zv_store::work_notes::list_for_author(&tx, &auth, d.trajectory, colleague).await.unwrap().is_empty());
        assert!(matches!(
            zv_store::work_notes::update(&tx, notes[0].id, colleague, vec![0], later).await,
            Err(StoreError::NotFound)
        ));
        zv_store::work_notes::update(&tx, notes[0].id, worker, b"new".to_vec(), later).await.unwrap();
        let notes = zv_store::work_notes::list_for_author(&tx, &auth, d.trajectory, worker).await.unwrap();
        assert_eq!((notes[0].body_ct.as_slice(), notes[0].updated_at), (&b"new"[..], later.trunc_subsecs_micro()));
        assert_eq!(zv_store::work_notes::delete_of_trajectory(&tx, d.trajectory).await.unwrap(), 1);
        tx.commit().await.unwrap();

        // The attachment file.
        assert_eq!(zv_store::blobs::get(&db.store, &auth, d.attachment).await.unwrap(), ct("ROUNDTRIP", "file"));
        assert_eq!(zv_store::blobs::list(&db.store).await.unwrap(), vec![d.attachment]);
        assert!(matches!(zv_store::blobs::get(&db.store, &auth, AttachmentId::new()).await, Err(StoreError::NotFound)));
    }

    async fn staff_accounts_round_trip(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let anna = staff(&tx, "anna").await;
        // A taken username is a conflict, and the transaction goes on after it.
        let dup = NewStaffUser {
            id: UserId::new(),
            username: "anna".into(),
            display_name: "Other".into(),
            password_hash: "x".into(),
            totp_secret_ct: vec![],
            branch_code: None,
            confidentiality_signed_on: None,
            roles: vec![],
            teams: vec![],
            created_at: t0(),
        };
        assert!(matches!(zv_store::staff::insert(&tx, &dup).await, Err(StoreError::Conflict)));
        let row = zv_store::staff::find_by_username(&tx, "anna").await.unwrap().unwrap();
        assert_eq!((row.id, row.roles.clone(), row.teams.clone()), (anna, vec!["caseworker".to_owned()], vec!["amw-1".to_owned()]));
        assert!(!row.totp_confirmed && !row.disabled);
        zv_store::staff::set_roles(&tx, anna, &["privacy_officer".into(), "caseworker".into(), "caseworker".into()]).await.unwrap();
        zv_store::staff::set_teams(&tx, anna, &["jgd-1".into(), "amw-1".into()]).await.unwrap();
        zv_store::staff::confirm_totp(&tx, anna).await.unwrap();
        zv_store::staff::set_disabled(&tx, anna, true).await.unwrap();
        zv_store::staff::set_password_hash(&tx, anna, "$argon2id$new").await.unwrap();
        zv_store::staff::set_confidentiality_signed(&tx, anna, Some(day("2026-01-15"))).await.unwrap();
        let row = zv_store::staff::get(&tx, anna).await.unwrap().unwrap();
        assert_eq!(row.roles, ["caseworker", "privacy_officer"]);
        assert_eq!(row.teams, ["amw-1", "jgd-1"]);
        assert!(row.totp_confirmed && row.disabled);
        assert_eq!((row.password_hash.as_str(), row.confidentiality_signed_on), ("$argon2id$new", Some(day("2026-01-15"))));
        zv_store::staff::reset_totp(&tx, anna, vec![1, 2]).await.unwrap();
        assert!(!zv_store::staff::get(&tx, anna).await.unwrap().unwrap().totp_confirmed);
        staff(&tx, "bert").await;
        let all = zv_store::staff::list(&tx).await.unwrap();
        assert_eq!(all.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["anna", "bert"]);
        assert_eq!(zv_store::staff::roles(&tx, anna).await.unwrap().len(), 2);
        assert_eq!(zv_store::staff::teams(&tx, anna).await.unwrap().len(), 2);
        assert!(matches!(zv_store::staff::set_disabled(&tx, UserId::new(), true).await, Err(StoreError::NotFound)));
        tx.commit().await.unwrap();
    }

    async fn the_organisation_follows_the_policy_but_keeps_what_is_referenced(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        staff(&tx, "anna").await; // member of amw-1, branch amw
        zv_store::organisation::sync(
            &tx,
            &[("amw".into(), "AMW (renamed)".into()), ("new".into(), "New".into())],
            &[("new-1".into(), "New team".into(), "new".into())],
        )
        .await
        .unwrap();
        let branches = zv_store::organisation::branch_list(&tx).await.unwrap();
        assert_eq!(branches, [("amw".to_owned(), "AMW (renamed)".to_owned()), ("new".to_owned(), "New".to_owned())]);
        let teams: Vec<String> = zv_store::organisation::team_list(&tx).await.unwrap().into_iter().map(|t| t.0).collect();
        assert_eq!(teams, ["amw-1", "new-1"], "amw-1 has a member and stays; jgd-1 and branch jgd go");
        tx.commit().await.unwrap();
    }

    async fn bulk_loading_writes_what_single_inserts_write(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let batch = demo_batch(worker, 300, 4);
        let tx = db.store.begin().await.unwrap();
        zv_store::demo::insert_batch(&tx, &batch, t0()).await.unwrap();
        tx.commit().await.unwrap();
        let tx = db.store.read_tx().await.unwrap();
        assert_eq!(zv_store::clients::count(&tx).await.unwrap(), 300);
        let client = batch.clients[7].id;
        let auth = proof(client);
        let trajectory = batch.trajectories[7].id;
        let entries = zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await.unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].current_version, 2, "the later version is current");
        assert_eq!(entries[0].content_ct, b"v2".to_vec());
        let meta = zv_store::trajectories::get_meta(&tx, trajectory).await.unwrap().unwrap();
        assert_eq!(meta.closed_on, Some(day("2026-02-20")));
        assert_eq!(zv_store::search::find_clients_with_all(&tx, &[token(7)], 10).await.unwrap(), vec![client]);
        assert_eq!(zv_store::audit::count(&tx).await.unwrap(), 300);
        tx.commit().await.unwrap();
        assert!(zv_store::audit::verify(&db.store).await.unwrap().first_broken.is_none());
    }
}

fn token(i: usize) -> [u8; 16] {
    let mut t = [0; 16];
    t[..8].copy_from_slice(&(i as u64).to_be_bytes());
    t
}

/// `clients` clients with one trajectory each and `per` entries per trajectory, each
/// entry with a second version.
fn demo_batch(worker: UserId, clients: usize, per: usize) -> DemoBatch {
    let mut b = DemoBatch::default();
    let content = vec![0xAB; 600];
    for i in 0..clients {
        let c = new_client(&format!("bulk{i}"));
        b.keys.push((c.id, key(1)));
        b.tokens.push((token(i), c.id));
        b.tokens.push((token(i), c.id));
        let t = TrajectoryId::new();
        b.trajectories.push(NewTrajectory {
            id: t,
            client_id: c.id,
            service_type: "amw".into(),
            branch_code: "amw".into(),
            team_code: "amw-1".into(),
            domestic_violence: false,
            opened_on: day("2026-01-01"),
            created_at: t0(),
            facts: Default::default(),
        });
        b.workers.push((t, worker, day("2026-01-01")));
        b.closings.push(TrajectoryClosing {
            id: t,
            closed_on: day("2026-02-20"),
            last_change_at: t0(),
            retention_until: None,
        });
        for j in 0..per {
            let e = EntryId::new();
            b.entries.push(NewEntry {
                id: e,
                trajectory_id: t,
                client_id: c.id,
                kind: "conversation_report".into(),
                special_category: None,
                necessity_ct: None,
                content_ct: if j == 0 {
                    b"v1".to_vec()
                } else {
                    content.clone()
                },
                created_by: worker,
                created_at: t0() + Duration::seconds(j as i64),
            });
            b.versions.push(NewEntryVersion {
                entry_id: e,
                version: 2,
                content_ct: if j == 0 {
                    b"v2".to_vec()
                } else {
                    content.clone()
                },
                author_id: worker,
                created_at: t0() + Duration::hours(1),
            });
        }
        b.audit.push(event(Some(c.id), i));
        b.clients.push(c);
    }
    b
}

/// The bulk path (the demo data set) lands every row it is given. Its speed is measured by
/// `zorgvuldig demo`, never asserted in a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_load_lands_every_row_on_sqlite() {
    let db = TestDb::sqlite().await;
    let tx = db.store.begin().await.unwrap();
    organisation(&tx).await;
    let worker = staff(&tx, "anna").await;
    tx.commit().await.unwrap();
    let batches: Vec<DemoBatch> = (0..5).map(|_| demo_batch(worker, 500, 12)).collect();
    let entries: usize = batches.iter().map(|b| b.entries.len()).sum();
    for b in &batches {
        let tx = db.store.begin().await.unwrap();
        zv_store::demo::insert_batch(&tx, b, t0()).await.unwrap();
        tx.commit().await.unwrap();
    }
    use sea_orm::ConnectionTrait;
    let row = db
        .store
        .connection_for_tests_only()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT COUNT(*) AS n FROM entries",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), entries as i64);
    db.finish().await;
}

/// SQLite ends a transaction by itself when a statement or its COMMIT fails for a full
/// disk or an I/O error. The driver must notice: otherwise it still counts the transaction
/// as open, the next transaction on that pooled connection becomes a SAVEPOINT, a rollback
/// of it leaves SQLite's transaction open, and every later "commit" only releases a
/// savepoint inside it: acknowledged and never written (found by the disk-full test in
/// `crates/cli/tests/app/crash.rs`). `max_page_count` makes the full disk here.
#[tokio::test]
async fn after_a_full_disk_ends_a_transaction_every_later_commit_is_durable() {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.db");
    let options = SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    // One connection, so every transaction below runs on the one that saw the failure.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap();
    let db = sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    let sql = |s: &str| Statement::from_string(DbBackend::Sqlite, s.to_owned());
    db.execute_raw(sql("CREATE TABLE t (name TEXT NOT NULL, filler BLOB)"))
        .await
        .unwrap();
    let immediate = || TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    };
    let insert = |name: &str, bytes: usize| {
        sql(&format!(
            "INSERT INTO t (name, filler) VALUES ('{name}', zeroblob({bytes}))"
        ))
    };

    // The disk is full: the insert fails and SQLite rolls the transaction back itself.
    let pages = db
        .query_one_raw(sql("PRAGMA page_count"))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    db.execute_raw(sql(&format!("PRAGMA max_page_count = {pages}")))
        .await
        .unwrap();
    let tx = db.begin_with_options(immediate()).await.unwrap();
    let full = tx.execute_raw(insert("lost", 1_000_000)).await;
    assert!(full.is_err(), "the insert cannot fit");
    // The rest of that transaction fails too, rather than commit on its own.
    let small = tx.execute_raw(insert("after the failure", 10)).await;
    assert!(
        small.is_err(),
        "a statement outside the caller's transaction ran"
    );
    assert!(tx.commit().await.is_err());
    db.execute_raw(sql("PRAGMA max_page_count = 1000000"))
        .await
        .unwrap();

    // Space again: a commit, a rollback, and a commit on the same connection.
    let tx = db.begin_with_options(immediate()).await.unwrap();
    tx.execute_raw(insert("first", 10)).await.unwrap();
    tx.commit().await.unwrap();
    let tx = db.begin_with_options(immediate()).await.unwrap();
    tx.execute_raw(insert("rolled back", 10)).await.unwrap();
    tx.rollback().await.unwrap();
    let tx = db.begin_with_options(immediate()).await.unwrap();
    tx.execute_raw(insert("second", 10)).await.unwrap();
    tx.commit().await.unwrap();

    // What another connection sees is what was committed.
    let other = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display()))
        .await
        .unwrap();
    let names: Vec<String> = other
        .query_all_raw(sql("SELECT name FROM t ORDER BY rowid"))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    assert_eq!(names, ["first", "second"]);
    other.close().await.unwrap();
    db.close().await.unwrap();
}

// ---------------------------------------------------------------------------------------
// The proof

both_engines! {
    async fn a_proof_for_another_client_is_refused(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let d = dossier(db, "MINE", worker).await;
        let other = dossier(db, "OTHER", worker).await;
        let wrong = proof(other.client);
        let tx = db.store.begin().await.unwrap();
        let refused = |r: Result<(), StoreError>| assert!(matches!(r, Err(StoreError::WrongAuthorization)), "{r:?}");
        refused(zv_store::clients::get(&tx, &wrong, d.client).await.map(drop));
        refused(zv_store::entries::get(&tx, &wrong, d.entry).await.map(drop));
        refused(zv_store::entries::versions(&tx, &wrong, d.entry).await.map(drop));
        refused(zv_store::entries::progress_of_entry(&tx, &wrong, d.entry).await.map(drop));
        refused(zv_store::attachments::get(&tx, &wrong, d.attachment).await.map(drop));
        let related = zv_store::related_persons::of_client(&tx, &proof(d.client)).await.unwrap();
        refused(zv_store::related_persons::get(&tx, &wrong, related[0].id).await.map(drop));
        tx.commit().await.unwrap();
        refused(zv_store::blobs::get(&db.store, &wrong, d.attachment).await.map(drop));
        // Listings scoped by the proof return only the proof's client's rows: nothing
        // of the other client's trajectory.
        let tx = db.store.read_tx().await.unwrap();
        assert!(zv_store::entries::list_of_trajectory(&tx, &wrong, d.trajectory).await.unwrap().is_empty());
        assert!(zv_store::entries::progress_of_trajectory(&tx, &wrong, d.trajectory).await.unwrap().is_empty());
        assert!(zv_store::attachments::list_of_entry(&tx, &wrong, d.entry).await.unwrap().is_empty());
        assert!(zv_store::attachments::list_of_trajectory(&tx, &wrong, d.trajectory).await.unwrap().is_empty());
        assert!(zv_store::work_notes::list_for_author(&tx, &wrong, d.trajectory, d.worker).await.unwrap().is_empty());
        assert_eq!(zv_store::keys::get_client_key(&tx, &wrong).await.unwrap(), Some(key(3)), "the proof's own key");
        tx.commit().await.unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// The audit chain (ACC-7)

async fn append_events(store: &Store, n: usize, client: Option<ClientId>) -> Vec<i64> {
    let tx = store.begin().await.unwrap();
    let events: Vec<NewAuditEvent> = (0..n).map(|i| event(client, i)).collect();
    let seqs = zv_store::audit::append(&tx, &events, t0()).await.unwrap();
    tx.commit().await.unwrap();
    seqs
}

/// Decision 0048: under a steady stream of readers the store's own checkpoint task still
/// starts SQLite's write-ahead log over from its beginning. Without the restart a reader
/// is always in the log, and it would hold everything written since it opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_log_starts_over_while_readers_keep_reading() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let db = TestDb::sqlite().await;
    let log = db.store.data_dir().join("zorgvuldig.db-wal");
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop, reads) = (db.store.clone(), stop.clone(), reads.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let tx = store.read_tx().await.unwrap();
                    zv_store::audit::head(&tx).await.unwrap();
                    tx.commit().await.unwrap();
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Three times the restart mark (16 MB) in audit events, a few writes per round of the
    // task; the passive checkpoints move them into the database file whether or not the
    // log starts over. Without the restart the log would hold all of it; with it, the
    // mark and what came in while the task waited (seconds on a machine busy with other
    // tests: 27.6 MB once, against a first bound of 26 MB).
    let file = db.store.data_dir().join("zorgvuldig.db");
    let mut largest = 0;
    for _ in 0..2_000 {
        if file.metadata().unwrap().len() >= 48 << 20 {
            break;
        }
        append_events(&db.store, 2_000, None).await;
        largest = largest.max(log.metadata().map_or(0, |m| m.len()));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let written = file.metadata().unwrap().len();
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.await.unwrap();
    }
    assert!(
        reads.load(Ordering::Relaxed) > 100,
        "the readers kept reading"
    );
    assert!(written >= 48 << 20, "{written} bytes written");
    assert!(
        largest < 36 << 20,
        "the log grew to {largest} bytes for {written} written"
    );
}

/// Drops the append-only triggers, as someone with database access would.
async fn drop_audit_triggers(store: &Store) {
    match store.engine() {
        Engine::Sqlite => {
            for t in zv_store::dialect::SQLITE_AUDIT_TRIGGERS {
                raw(store, &format!("DROP TRIGGER {t}")).await.unwrap();
            }
        }
        Engine::Postgres => {
            raw(
                store,
                &format!(
                    "DROP TRIGGER {} ON audit_log",
                    zv_store::dialect::POSTGRES_AUDIT_TRIGGER
                ),
            )
            .await
            .unwrap();
        }
    }
}

both_engines! {
    // promise: ACC-7
    async fn audit_append_and_verify(db) {
        let client = ClientId::new();
        assert_eq!(zv_store::audit::verify(&db.store).await.unwrap(), zv_store::VerifyReport { events: 0, first_broken: None });
        assert_eq!(append_events(&db.store, 3, Some(client)).await, [1, 2, 3]);
        assert_eq!(append_events(&db.store, 2, None).await, [4, 5]);
        // An empty append appends nothing.
        let tx = db.store.begin().await.unwrap();
        assert!(zv_store::audit::append(&tx, &[], t0()).await.unwrap().is_empty());
        // A rolled-back append leaves no trace and no gap.
        zv_store::audit::append(&tx, &[event(None, 9)], t0()).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(append_events(&db.store, 1, None).await, [6]);
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report, zv_store::VerifyReport { events: 6, first_broken: None });

        let tx = db.store.read_tx().await.unwrap();
        assert_eq!(zv_store::audit::count(&tx).await.unwrap(), 6);
        let head = zv_store::audit::head(&tx).await.unwrap();
        assert_eq!(head.seq, 6);
        let events = zv_store::audit::list_for_client(&tx, client, t0() - Duration::days(1), t0() + Duration::days(1), 100).await.unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        // What was written is what is read back, the time truncated to microseconds.
        assert_eq!(events[1].event, event(Some(client), 1));
        assert_eq!(events[0].at, t0().trunc_subsecs_micro());
        assert_eq!(events[0].prev_hash, vec![0; 32]);
        assert_eq!(events[1].prev_hash, events[0].hash);
        assert!(zv_store::audit::list_for_client(&tx, client, t0() + Duration::seconds(1), t0() + Duration::days(1), 100).await.unwrap().is_empty());
        let page = zv_store::audit::page(&tx, 4, 10).await.unwrap();
        assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 6]);
        assert_eq!(page.last().unwrap().hash, head.hash);
        tx.commit().await.unwrap();
    }

    // promise: ACC-7
    async fn the_audit_log_refuses_update_and_delete(db) {
        append_events(&db.store, 3, None).await;
        assert!(raw(&db.store, "UPDATE audit_log SET user_name = 'x' WHERE seq = 2").await.is_err());
        assert!(raw(&db.store, "DELETE FROM audit_log WHERE seq = 2").await.is_err());
        assert!(raw(&db.store, "DELETE FROM audit_log").await.is_err());
        if db.engine() == Engine::Postgres {
            // The trigger stops TRUNCATE too, and binds superusers (these tests run as one).
            assert!(raw(&db.store, "TRUNCATE audit_log").await.is_err());
        }
        assert_eq!(zv_store::audit::verify(&db.store).await.unwrap().events, 3);
    }

    // promise: ACC-7
    async fn verify_finds_a_changed_byte(db) {
        append_events(&db.store, 5, None).await;
        drop_audit_triggers(&db.store).await;
        assert_eq!(raw(&db.store, "UPDATE audit_log SET access_point = '127.0.0.2 session' WHERE seq = 3").await.unwrap(), 1);
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report.first_broken, Some(zv_store::BrokenLink { seq: 3, reason: BreakReason::HashMismatch }));
        assert_eq!(report.events, 2);
    }

    // promise: ACC-7
    async fn verify_finds_a_rehashed_row_by_its_broken_link(db) {
        append_events(&db.store, 5, None).await;
        drop_audit_triggers(&db.store).await;
        // Someone who changes a row and replaces its hash breaks the next link instead.
        let sql = match db.engine() {
            Engine::Sqlite => "UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 2",
            Engine::Postgres => "UPDATE audit_log SET hash = decode(repeat('00', 32), 'hex') WHERE seq = 2",
        };
        raw(&db.store, sql).await.unwrap();
        let broken = zv_store::audit::verify(&db.store).await.unwrap().first_broken.unwrap();
        assert_eq!((broken.seq, broken.reason), (2, BreakReason::HashMismatch));
    }

    // promise: ACC-7
    async fn verify_finds_a_deleted_row(db) {
        append_events(&db.store, 5, None).await;
        drop_audit_triggers(&db.store).await;
        raw(&db.store, "DELETE FROM audit_log WHERE seq = 2").await.unwrap();
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report.first_broken, Some(zv_store::BrokenLink { seq: 2, reason: BreakReason::Gap }));
        assert_eq!(report.events, 1);
    }

    // promise: ACC-7
    async fn verify_finds_rows_removed_at_the_end(db) {
        append_events(&db.store, 5, None).await;
        drop_audit_triggers(&db.store).await;
        raw(&db.store, "DELETE FROM audit_log WHERE seq >= 4").await.unwrap();
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report.first_broken, Some(zv_store::BrokenLink { seq: 4, reason: BreakReason::HeadMismatch }));
        assert_eq!(report.events, 3);
    }

    // promise: ACC-7
    async fn verify_names_an_unreadable_row(db) {
        append_events(&db.store, 4, None).await;
        drop_audit_triggers(&db.store).await;
        // Only SQLite lets a column hold a value of another type.
        if db.engine() == Engine::Sqlite {
            raw(&db.store, "UPDATE audit_log SET id = 'not a uuid' WHERE seq = 3").await.unwrap();
            let broken = zv_store::audit::verify(&db.store).await.unwrap().first_broken.unwrap();
            assert_eq!((broken.seq, broken.reason), (3, BreakReason::Unreadable));
        }
    }

    // promise: ACC-7
    async fn concurrent_appenders_keep_one_chain(db) {
        let tasks: Vec<_> = (0..8)
            .map(|t| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let mut seqs = Vec::new();
                    for i in 0..20 {
                        let tx = store.begin().await.unwrap();
                        let events: Vec<NewAuditEvent> = (0..3).map(|k| event(None, t * 1000 + i * 10 + k)).collect();
                        seqs.extend(zv_store::audit::append(&tx, &events, Utc::now()).await.unwrap());
                        tokio::task::yield_now().await;
                        tx.commit().await.unwrap();
                    }
                    seqs
                })
            })
            .collect();
        let mut all = BTreeSet::new();
        for t in tasks {
            for s in t.await.unwrap() {
                assert!(all.insert(s), "sequence number {s} handed out twice");
            }
        }
        assert_eq!(all.len(), 480);
        assert_eq!((all.first().copied(), all.last().copied()), (Some(1), Some(480)));
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report, zv_store::VerifyReport { events: 480, first_broken: None });
    }

    // promise: ACC-7
    async fn the_audit_log_is_searched_by_client_user_period_action_and_emergency(db) {
        let (a, b) = (ClientId::new(), ClientId::new());
        let mut events = Vec::new();
        for n in 0..6 {
            events.push(event(Some(if n % 2 == 0 { a } else { b }), n % 3));
        }
        let mut emergency = event(Some(a), 7);
        emergency.action = AuditAction::EmergencyAccess;
        let mut enabled = event(Some(b), 7);
        enabled.purpose = Purpose::Emergency;
        events.push(emergency);
        events.push(enabled);
        let tx = db.store.begin().await.unwrap();
        zv_store::audit::append(&tx, &events[..4], t0()).await.unwrap();
        zv_store::audit::append(&tx, &events[4..], t0() + chrono::Duration::days(2)).await.unwrap();
        let seqs = |found: Vec<zv_domain::audit::AuditEvent>| found.iter().map(|e| e.seq).collect::<Vec<_>>();
        let search = |f: zv_store::AuditFilter, limit| {
            let tx = &tx;
            async move { seqs(zv_store::audit::search(tx, &f, limit).await.unwrap()) }
        };
        assert_eq!(search(Default::default(), 100).await, vec![8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(search(zv_store::AuditFilter { client: Some(a), ..Default::default() }, 100).await, vec![7, 5, 3, 1]);
        let user1 = UserId::from_uuid(Uuid::from_u128(2));
        assert_eq!(search(zv_store::AuditFilter { user: Some(user1), ..Default::default() }, 100).await, vec![5, 2]);
        let from = t0() + chrono::Duration::days(1);
        assert_eq!(search(zv_store::AuditFilter { from: Some(from), ..Default::default() }, 100).await, vec![8, 7, 6, 5]);
        assert_eq!(search(zv_store::AuditFilter { to: Some(from), ..Default::default() }, 100).await, vec![4, 3, 2, 1]);
        assert_eq!(search(zv_store::AuditFilter { emergency_only: true, ..Default::default() }, 100).await, vec![8, 7]);
        assert_eq!(search(zv_store::AuditFilter { action: Some(AuditAction::EmergencyAccess), ..Default::default() }, 100).await, vec![7]);
        assert_eq!(search(zv_store::AuditFilter { before_seq: Some(4), ..Default::default() }, 2).await, vec![3, 2]);
        tx.commit().await.unwrap();
    }

    // On PostgreSQL a group is written in one statement on the head the group before it
    // left (decision 0058). It must write exactly what the usual append writes, and step
    // back to the usual append whenever another write has moved the head in between.
    // promise: ACC-7
    async fn a_group_on_the_head_the_last_one_left_keeps_one_chain_beside_other_writers(db) {
        let store = &db.store;
        let group = |events: Vec<NewAuditEvent>| zv_store::audit_group::append_committed(store, events, Utc::now());
        let pair = |n: usize| vec![event(None, n), event(None, n + 1)];
        // The head is not known yet: the usual transaction.
        assert_eq!(group(pair(0)).await.unwrap(), vec![1, 2]);
        assert_eq!(group(pair(2)).await.unwrap(), vec![3, 4]);
        let tx = store.begin().await.unwrap();
        assert_eq!(zv_store::audit::append(&tx, &[event(None, 4)], Utc::now()).await.unwrap(), vec![5]);
        tx.commit().await.unwrap();
        // Another write moved the head: this group finds out and appends after it.
        assert_eq!(group(pair(5)).await.unwrap(), vec![6, 7]);
        assert_eq!(group(pair(7)).await.unwrap(), vec![8, 9]);
        // More events than the kept statement texts cover.
        let many: Vec<_> = (100..140).map(|n| event(None, n)).collect();
        assert_eq!(group(many).await.unwrap(), (10..50).collect::<Vec<i64>>());
        let in_one = zv_store::audit_group::groups_in_one_statement(store);
        match store.engine() {
            Engine::Postgres => assert_eq!(in_one, 3, "the second, fourth and fifth groups"),
            Engine::Sqlite => assert_eq!(in_one, 0),
        }
        let report = zv_store::audit::verify(store).await.unwrap();
        assert_eq!(report, zv_store::VerifyReport { events: 49, first_broken: None });
        let tx = store.read_tx().await.unwrap();
        let names: Vec<String> = zv_store::audit::page(&tx, 0, 100).await.unwrap().into_iter().map(|e| e.event.user_name).collect();
        tx.commit().await.unwrap();
        let expected: Vec<String> = (0..9).chain(100..140).map(|n| format!("user {n}")).collect();
        assert_eq!(names, expected);
    }

    // promise: ACC-7
    async fn group_commit_makes_every_callers_events_durable_in_one_chain(db) {
        let tasks: Vec<_> = (0..32)
            .map(|t| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let mut seqs = Vec::new();
                    for i in 0..10 {
                        let events = vec![event(None, t * 100 + i)];
                        let got = zv_store::audit_group::append_committed(&store, events, Utc::now()).await.unwrap();
                        assert_eq!(got.len(), 1);
                        // Released only after commit: a fresh transaction already sees it.
                        let tx = store.begin().await.unwrap();
                        assert!(zv_store::audit::count(&tx).await.unwrap() >= u64::try_from(got[0]).unwrap());
                        tx.commit().await.unwrap();
                        seqs.extend(got);
                    }
                    seqs
                })
            })
            .collect();
        let mut all = BTreeSet::new();
        for t in tasks {
            for s in t.await.unwrap() {
                assert!(all.insert(s), "sequence number {s} handed out twice");
            }
        }
        assert_eq!((all.len(), all.last().copied()), (320, Some(320)));
        let report = zv_store::audit::verify(&db.store).await.unwrap();
        assert_eq!(report, zv_store::VerifyReport { events: 320, first_broken: None });
    }
}

// ---------------------------------------------------------------------------------------
// The audit intake (decision 0056): reads audited while a long write holds SQLite's turn

/// Makes two read events durable, as the gate does for a dossier view, and returns
/// what the group commit answered.
async fn read_events(store: &Store) -> Vec<i64> {
    let events = vec![event(None, 10), event(None, 11)];
    zv_store::audit_group::append_committed(store, events, Utc::now())
        .await
        .unwrap()
}

async fn chain_length(store: &Store) -> u64 {
    let tx = store.read_tx().await.unwrap();
    let n = zv_store::audit::count(&tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

/// Runs one statement on the intake file from outside the store, as someone with access
/// to the data directory could.
async fn tamper_with_intake(store: &Store, sql: &str) {
    use sea_orm::sqlx::Connection as _;
    let file = store.data_dir().join("audit-intake.db");
    let mut conn =
        sea_orm::sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
    sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_audited_during_a_long_write_are_durable_at_once_and_enter_the_chain_once() {
    let db = TestDb::sqlite().await;
    append_events(&db.store, 3, None).await;
    let long = db.store.begin_long().await.unwrap();
    // The long write holds the turn: the read does not wait for it, and is answered
    // with its places in the intake.
    let store = db.store.clone();
    let read = tokio::spawn(async move { read_events(&store).await });
    let seqs = tokio::time::timeout(std::time::Duration::from_secs(60), read)
        .await
        .expect("the read waited for the long write")
        .unwrap();
    assert_eq!(seqs, vec![-1, -2]);
    long.commit().await.unwrap();
    assert_eq!(
        chain_length(&db.store).await,
        3,
        "in the chain only with the next write"
    );
    // The next write moves them in first; later writes do not move them again.
    assert_eq!(append_events(&db.store, 1, None).await, vec![6]);
    assert_eq!(append_events(&db.store, 1, None).await, vec![7]);
    let report = zv_store::audit::verify(&db.store).await.unwrap();
    assert_eq!(
        report,
        zv_store::VerifyReport {
            events: 7,
            first_broken: None
        }
    );
    let tx = db.store.read_tx().await.unwrap();
    let moved = zv_store::audit::page(&tx, 3, 2).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        moved
            .iter()
            .map(|e| (e.seq, e.event.clone()))
            .collect::<Vec<_>>(),
        vec![(4, event(None, 10)), (5, event(None, 11))]
    );
    // Once the long write has ended, reads go straight to the chain again.
    assert_eq!(read_events(&db.store).await, vec![8, 9]);
    // And a second long write's reads continue the intake's own chain.
    let long = db.store.begin_long().await.unwrap();
    assert_eq!(read_events(&db.store).await, vec![-3, -4]);
    drop(long);
    assert_eq!(append_events(&db.store, 1, None).await, vec![12]);
    let report = zv_store::audit::verify(&db.store).await.unwrap();
    assert_eq!(
        report,
        zv_store::VerifyReport {
            events: 12,
            first_broken: None
        }
    );
    db.finish().await;
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_in_the_intake_when_the_process_ends_enter_the_chain_with_the_next_process() {
    let db = TestDb::sqlite().await;
    let long = db.store.begin_long().await.unwrap();
    assert_eq!(read_events(&db.store).await, vec![-1, -2]);
    drop(long);
    // The process ends before any write: the next one, on the same files, moves them
    // into the chain first, here for a check of the chain.
    let next = db.reopen().await;
    let report = zv_store::audit::verify(&next).await.unwrap();
    assert_eq!(
        report,
        zv_store::VerifyReport {
            events: 2,
            first_broken: None
        }
    );
    assert_eq!(append_events(&next, 1, None).await, vec![3]);
    // The first process, still open, does not move them a second time.
    assert_eq!(append_events(&db.store, 1, None).await, vec![4]);
    let report = zv_store::audit::verify(&next).await.unwrap();
    assert_eq!(
        report,
        zv_store::VerifyReport {
            events: 4,
            first_broken: None
        }
    );
    next.close().await.unwrap();
    db.finish().await;
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_altered_or_removed_intake_event_stops_every_write_until_looked_into() {
    for tampering in [
        "UPDATE intake SET user_name = 'someone else' WHERE seq = 1",
        "DELETE FROM intake WHERE seq = 1",
        "UPDATE intake SET seq = 9 WHERE seq = 2",
    ] {
        let db = TestDb::sqlite().await;
        let long = db.store.begin_long().await.unwrap();
        read_events(&db.store).await;
        drop(long);
        tamper_with_intake(&db.store, tampering).await;
        let refused = db
            .store
            .begin()
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.contains("the audit intake is broken at its event"),
            "{tampering}: {refused}"
        );
        assert_eq!(chain_length(&db.store).await, 0, "{tampering}");
        db.finish().await;
    }
}

// ---------------------------------------------------------------------------------------
// Destruction (RET-4, RET-6)

/// Rows per table that mention the client, by any column that can.
async fn rows_of_client(store: &Store, client: ClientId) -> Vec<(&'static str, i64)> {
    let c = uuid_literal(store.engine(), client.as_uuid());
    let queries = [
        ("clients", format!("SELECT COUNT(*) FROM clients WHERE id = {c}")),
        ("search_tokens", format!("SELECT COUNT(*) FROM search_tokens WHERE client_id = {c}")),
        ("related_persons", format!("SELECT COUNT(*) FROM related_persons WHERE client_id = {c} OR linked_client_id = {c}")),
        ("trajectories", format!("SELECT COUNT(*) FROM trajectories WHERE client_id = {c}")),
        ("trajectory_workers", format!("SELECT COUNT(*) FROM trajectory_workers w JOIN trajectories t ON t.id = w.trajectory_id WHERE t.client_id = {c}")),
        ("entries", format!("SELECT COUNT(*) FROM entries WHERE client_id = {c}")),
        ("entry_versions", "SELECT COUNT(*) FROM entry_versions v WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = v.entry_id)".to_owned()),
        ("goal_progress", format!("SELECT COUNT(*) FROM goal_progress WHERE client_id = {c}")),
        ("work_notes", format!("SELECT COUNT(*) FROM work_notes WHERE client_id = {c}")),
        ("attachments", format!("SELECT COUNT(*) FROM attachments WHERE client_id = {c}")),
        ("client_keys", format!("SELECT COUNT(*) FROM zv_keys.client_keys WHERE client_id = {c}")),
    ];
    let mut out = Vec::new();
    for (table, sql) in queries {
        out.push((table, scalar(store, &sql).await));
    }
    out
}

both_engines! {
    // promise: RET-4
    // promise: RET-6
    async fn destroying_a_client_removes_every_row_and_the_key(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let d = dossier(db, "DESTROYME", worker).await;
        let keep = dossier(db, "KEEPME", worker).await;
        // The destroyed client is a related person of the kept one.
        let tx = db.store.begin().await.unwrap();
        zv_store::related_persons::insert(&tx, &NewRelatedPerson {
            id: RelatedPersonId::new(),
            client_id: keep.client,
            relation: "sibling".into(),
            name_ct: vec![1],
            birth_date_ct: None,
            phone_ct: None,
            email_ct: None,
            address_ct: None,
            authority_since: None,
            mandate_ct: None,
            linked_client_id: Some(d.client),
            created_at: t0(),
        }).await.unwrap();
        tx.commit().await.unwrap();
        assert!(rows_of_client(&db.store, d.client).await.iter().filter(|(t, _)| *t != "entry_versions").all(|(_, n)| *n > 0));

        let tx = db.store.begin().await.unwrap();
        let outcome = zv_store::destruction::destroy_client(&tx, d.client, record("amw-2y")).await.unwrap();
        tx.commit().await.unwrap();
        for f in &outcome.attachment_ids {
            zv_store::blobs::delete(&db.store, *f).await.unwrap();
        }
        assert_eq!(outcome.attachment_ids, vec![d.attachment]);
        for (table, n) in [("clients", 1), ("client_keys", 1), ("entries", 1), ("entry_versions", 2), ("goal_progress", 1),
            ("attachments", 1), ("work_notes", 1), ("trajectories", 1), ("trajectory_workers", 1), ("related_persons", 1),
            ("related_persons_unlinked", 1), ("search_tokens", 2)] {
            assert_eq!(outcome.counts.get(table), Some(&n), "{table}");
        }
        for (table, n) in rows_of_client(&db.store, d.client).await {
            assert_eq!(n, 0, "{table} still holds rows of the destroyed client");
        }
        assert!(matches!(zv_store::blobs::get(&db.store, &proof(d.client), d.attachment).await, Err(StoreError::NotFound)));
        let tx = db.store.read_tx().await.unwrap();
        assert_eq!(zv_store::keys::client_key_for_write(&tx, d.client).await.unwrap(), None);
        // The record remains, without personal data.
        let records = zv_store::destruction::records_of(&tx, d.client.as_uuid()).await.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!((records[0].subject_kind, records[0].rule.as_str()), (zv_store::SubjectKind::Client, "amw-2y"));
        assert_eq!(records[0].counts, outcome.counts);
        // The other client is untouched; its related person no longer points here.
        assert!(zv_store::clients::get(&tx, &proof(keep.client), keep.client).await.unwrap().is_some());
        assert_eq!(zv_store::entries::versions(&tx, &proof(keep.client), keep.entry).await.unwrap().len(), 2);
        assert_eq!(zv_store::related_persons::of_client(&tx, &proof(keep.client)).await.unwrap().len(), 2);
        assert!(zv_store::keys::client_key_for_write(&tx, keep.client).await.unwrap().is_some());
        tx.commit().await.unwrap();
        // The audit log is kept (ids only) and intact.
        assert!(zv_store::audit::verify(&db.store).await.unwrap().first_broken.is_none());

        // Again: nothing to do, not an error, no second record.
        let tx = db.store.begin().await.unwrap();
        let again = zv_store::destruction::destroy_client(&tx, d.client, record("amw-2y")).await.unwrap();
        tx.commit().await.unwrap();
        assert!(again.already_destroyed);
        assert_eq!(again.total(), 0);
        let tx = db.store.read_tx().await.unwrap();
        assert_eq!(zv_store::destruction::records_of(&tx, d.client.as_uuid()).await.unwrap().len(), 1);
        let between = zv_store::destruction::records_between(&tx, t0() - Duration::days(1), t0() + Duration::days(1), 10).await.unwrap();
        assert_eq!(between.len(), 1);
        tx.commit().await.unwrap();
    }

    // promise: RET-4
    // promise: RET-6
    async fn destroying_a_trajectory_or_an_entry_leaves_the_rest(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let d = dossier(db, "PART", worker).await;
        let auth = proof(d.client);

        let tx = db.store.begin().await.unwrap();
        let outcome = zv_store::destruction::destroy_entry(&tx, d.entry, record("entry-rule")).await.unwrap();
        assert_eq!(outcome.attachment_ids, vec![d.attachment]);
        assert_eq!((outcome.counts["entries"], outcome.counts["entry_versions"], outcome.counts["goal_progress"]), (1, 2, 1));
        assert!(zv_store::entries::get(&tx, &auth, d.entry).await.unwrap().is_none());
        assert!(zv_store::trajectories::get_meta(&tx, d.trajectory).await.unwrap().is_some());
        let outcome = zv_store::destruction::destroy_trajectory(&tx, d.trajectory, record("amw-2y")).await.unwrap();
        assert_eq!((outcome.counts["trajectories"], outcome.counts["work_notes"], outcome.counts["trajectory_workers"]), (1, 1, 1));
        assert!(zv_store::trajectories::get_meta(&tx, d.trajectory).await.unwrap().is_none());
        // The client, its key and its tokens stay.
        assert!(zv_store::clients::get(&tx, &auth, d.client).await.unwrap().is_some());
        assert!(zv_store::keys::get_client_key(&tx, &auth).await.unwrap().is_some());
        assert_eq!(zv_store::search::find_clients_with_all(&tx, &[[1; 16]], 10).await.unwrap(), vec![d.client]);
        let again = zv_store::destruction::destroy_trajectory(&tx, d.trajectory, record("amw-2y")).await.unwrap();
        assert!(again.already_destroyed);
        tx.commit().await.unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Backups

both_engines! {
    // promise: RET-4
    async fn a_backup_holds_the_data_but_never_the_keys(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        dossier(db, "BACKEDUP", worker).await;
        let out = db.dir.path().join("backup.data");
        zv_store::backup::backup(&db.store, &out).await.unwrap();
        assert!(matches!(zv_store::backup::backup(&db.store, &out).await, Err(StoreError::Backup(_))), "never overwrites");
        let keys_out = db.dir.path().join("backup.keys");
        zv_store::backup::backup_key_store(&db.store, &keys_out).await.unwrap();
        let key_bytes = key(3).wrapped;
        match db.engine() {
            Engine::Sqlite => {
                let data = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", out.display())).await.unwrap();
                let count = |sql: &'static str| {
                    let data = &data;
                    async move {
                        let r = data.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap();
                        r.try_get_by_index::<i64>(0).unwrap()
                    }
                };
                assert_eq!(count("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('client_keys', 'system_keys')").await, 0);
                assert_eq!(count("SELECT COUNT(*) FROM clients").await, 1);
                assert_eq!(count("SELECT COUNT(*) FROM audit_log").await, 1);
                data.close().await.unwrap();
                assert!(!contains(&out, &key_bytes), "no wrapped key in the data backup");
                let keys = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", keys_out.display())).await.unwrap();
                let r = keys.query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT COUNT(*) FROM client_keys")).await.unwrap().unwrap();
                assert_eq!(r.try_get_by_index::<i64>(0).unwrap(), 1);
                keys.close().await.unwrap();
            }
            Engine::Postgres => {
                let list = |file: &std::path::Path| {
                    let o = std::process::Command::new("pg_restore").arg("--list").arg(file).output().unwrap();
                    assert!(o.status.success());
                    String::from_utf8(o.stdout).unwrap()
                };
                let data = list(&out);
                assert!(data.contains("TABLE DATA public clients"), "{data}");
                assert!(!data.contains("zv_keys"), "{data}");
                let keys = list(&keys_out);
                assert!(keys.contains("zv_keys client_keys"), "{keys}");
                assert!(!keys.contains("public clients"), "{keys}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The mail outbox

fn mail(subject: &str) -> zv_store::outbox::NewMail {
    zv_store::outbox::NewMail {
        id: Uuid::now_v7(),
        recipient: "fg@example.nl".into(),
        subject: subject.into(),
        body: "Er is noodtoegang geopend.".into(),
        kind: "emergency-access".into(),
        created_at: t0(),
    }
}

fn emergency_grant(holder: UserId) -> zv_store::grants::GrantRow {
    zv_store::grants::GrantRow {
        id: Uuid::now_v7(),
        kind: "emergency".into(),
        holder,
        trajectory: Some(TrajectoryId::new()),
        client: Some(ClientId::new()),
        absent_user: None,
        scope_team: None,
        scope_service_type: None,
        complaint: None,
        purpose: "Crisis in de nacht".into(),
        starts_at: t0(),
        ends_at: t0() + Duration::hours(2),
        ended_at: None,
        granted_by: Some(holder),
        reviewed_at: None,
        reviewed_by: None,
        created_at: t0(),
    }
}

both_engines! {
    async fn a_mail_is_queued_with_its_cause_or_not_at_all_and_claimed_once(db) {
        use zv_store::outbox;
        let holder = UserId::new();
        // Rolled back with the grant it belongs to: no mail remains.
        let tx = db.store.begin().await.unwrap();
        zv_store::grants::insert(&tx, &emergency_grant(holder)).await.unwrap();
        outbox::enqueue(&tx, &mail("rolled back")).await.unwrap();
        tx.rollback().await.unwrap();
        let tx = db.store.begin().await.unwrap();
        assert_eq!(outbox::count_unsent(&tx).await.unwrap(), 0);
        assert_eq!(zv_store::grants::unreviewed_emergencies(&tx).await.unwrap(), 0);
        // A transaction dropped without commit rolls back too.
        outbox::enqueue(&tx, &mail("dropped")).await.unwrap();
        drop(tx);
        let tx = db.store.begin().await.unwrap();
        assert_eq!(outbox::count_unsent(&tx).await.unwrap(), 0);

        // Committed with the grant: both are there, and the mail is due at once.
        let queued = mail("committed");
        zv_store::grants::insert(&tx, &emergency_grant(holder)).await.unwrap();
        outbox::enqueue(&tx, &queued).await.unwrap();
        tx.commit().await.unwrap();
        let tx = db.store.begin().await.unwrap();
        assert_eq!(zv_store::grants::unreviewed_emergencies(&tx).await.unwrap(), 1);
        assert!(outbox::due(&tx, t0() - Duration::seconds(1), 10).await.unwrap().is_empty());
        assert_eq!(outbox::due(&tx, t0(), 10).await.unwrap(), [queued.id]);

        // The first claim wins; a second sender finds it taken until the lease ends.
        let lease = t0() + Duration::minutes(5);
        let claimed = outbox::claim(&tx, queued.id, t0(), lease).await.unwrap().unwrap();
        assert_eq!((claimed.attempts, claimed.next_attempt_at, claimed.subject.as_str()), (1, lease.trunc_subsecs_micro(), "committed"));
        assert!(outbox::claim(&tx, queued.id, t0(), lease).await.unwrap().is_none());
        assert!(outbox::due(&tx, t0() + Duration::minutes(1), 10).await.unwrap().is_empty());

        // A failure is recorded and waits; the next claim counts the second attempt.
        let retry = t0() + Duration::seconds(30);
        outbox::record_failure(&tx, queued.id, "no connection to the server", retry).await.unwrap();
        let row = outbox::find(&tx, queued.id).await.unwrap().unwrap();
        assert_eq!((row.attempts, row.next_attempt_at, row.last_error.as_deref()), (1, retry.trunc_subsecs_micro(), Some("no connection to the server")));
        assert!(outbox::claim(&tx, queued.id, t0(), lease).await.unwrap().is_none());
        let again = outbox::claim(&tx, queued.id, retry, retry + Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!(again.attempts, 2);

        // Sent: kept as a record, never due again, and not sent twice.
        assert!(outbox::mark_sent(&tx, queued.id, retry).await.unwrap());
        assert!(!outbox::mark_sent(&tx, queued.id, retry).await.unwrap());
        let row = outbox::find(&tx, queued.id).await.unwrap().unwrap();
        assert_eq!((row.sent_at, row.last_error), (Some(retry.trunc_subsecs_micro()), None));
        assert!(outbox::due(&tx, retry + Duration::days(1), 10).await.unwrap().is_empty());
        assert!(outbox::unsent(&tx, 10).await.unwrap().is_empty());
        assert!(outbox::claim(&tx, queued.id, retry + Duration::days(1), retry + Duration::days(2)).await.unwrap().is_none());
        tx.commit().await.unwrap();
    }
}

fn contains(file: &std::path::Path, needle: &[u8]) -> bool {
    std::fs::read(file)
        .unwrap()
        .windows(needle.len())
        .any(|w| w == needle)
}

/// Truncation to microseconds, the precision both engines keep.
trait Micro {
    fn trunc_subsecs_micro(self) -> Self;
}

impl Micro for DateTime<Utc> {
    fn trunc_subsecs_micro(self) -> Self {
        chrono::SubsecRound::trunc_subsecs(self, 6)
    }
}

// ---------------------------------------------------------------------------------------
// Withholdings (POR-2), requests and complaints from the portal (POR-4)

fn withholding(d: &Dossier, scope: &str, marker: &str) -> zv_store::withholdings::WithholdingRow {
    zv_store::withholdings::WithholdingRow {
        id: Uuid::now_v7(),
        client_id: d.client,
        trajectory_id: d.trajectory,
        entry_id: d.entry,
        scope: scope.into(),
        passage_ct: (scope == "passage").then(|| ct(marker, "passage")),
        ground: "others_data".into(),
        explanation_ct: ct(marker, "explanation"),
        hide_fact: false,
        created_by: d.worker,
        created_at: t0(),
        lifted_at: None,
        lifted_by: None,
        lift_reason_ct: None,
        reviewed_at: None,
        reviewed_by: None,
        review_outcome: None,
        review_note_ct: None,
    }
}

both_engines! {
    async fn withholdings_requests_and_portal_complaints_keep_to_their_client_and_go_with_it(db) {
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        tx.commit().await.unwrap();
        let d = dossier(db, "WITHHELD", worker).await;
        let keep = dossier(db, "KEPT", worker).await;
        let passage = withholding(&d, "passage", "WITHHELD");
        let whole = withholding(&d, "entry", "WITHHELD");
        let tx = db.store.begin().await.unwrap();
        zv_store::withholdings::insert(&tx, &passage).await.unwrap();
        zv_store::withholdings::insert(&tx, &whole).await.unwrap();
        zv_store::withholdings::insert(&tx, &withholding(&keep, "entry", "KEPT")).await.unwrap();
        assert!(zv_store::withholdings::entry_withheld_whole(&tx, d.entry).await.unwrap());
        // Lifted once, not twice; reviewed once with agreement, again after asking to lift.
        assert!(zv_store::withholdings::lift(&tx, whole.id, worker, t0(), ct("WITHHELD", "reason")).await.unwrap());
        assert!(!zv_store::withholdings::lift(&tx, whole.id, worker, t0(), vec![]).await.unwrap());
        assert!(!zv_store::withholdings::entry_withheld_whole(&tx, d.entry).await.unwrap());
        assert!(zv_store::withholdings::record_review(&tx, passage.id, worker, t0(), "ask_to_lift", Some(vec![1])).await.unwrap());
        assert!(zv_store::withholdings::record_review(&tx, passage.id, worker, t0(), "agree", None).await.unwrap());
        assert!(!zv_store::withholdings::record_review(&tx, passage.id, worker, t0(), "agree", None).await.unwrap());
        assert!(!zv_store::withholdings::record_review(&tx, whole.id, worker, t0(), "agree", None).await.unwrap(), "lifted");
        let open = zv_store::withholdings::open_for_review(&tx, 10).await.unwrap();
        assert_eq!(open.len(), 1, "only the kept client's, unreviewed");
        assert!(open[0].explanation_ct.is_empty(), "the list carries no content");

        // References: one series per prefix and year, counted in the transaction.
        let n = |p: &'static str, y: i32| {
            let tx = &tx;
            async move { zv_store::requests::next_reference_number(tx, p, y).await.unwrap() }
        };
        assert_eq!((n("VZ", 2026).await, n("VZ", 2026).await, n("KL", 2026).await, n("VZ", 2027).await), (1, 2, 1, 1));
        let request = zv_store::requests::RightsRequestRow {
            id: Uuid::now_v7(),
            reference: "VZ-2026-000001".into(),
            client_id: d.client,
            kind: "access".into(),
            scope: "trajectories".into(),
            trajectories: vec![d.trajectory],
            channel: "portal".into(),
            received_on: day("2026-03-01"),
            status: "received".into(),
            text_ct: Some(ct("WITHHELD", "request")),
            portal_account: None,
            created_at: t0().trunc_subsecs_micro(),
        };
        zv_store::requests::insert_request(&tx, &request).await.unwrap();
        let duplicate = zv_store::requests::RightsRequestRow { id: Uuid::now_v7(), trajectories: vec![], ..request.clone() };
        assert_eq!(zv_store::requests::count_requests(&tx).await.unwrap(), 1);
        let complaint = zv_store::requests::PortalComplaintRow {
            id: Uuid::now_v7(),
            reference: "KL-2026-000001".into(),
            client_id: d.client,
            trajectory_id: None,
            received_on: day("2026-03-01"),
            subject_ct: ct("WITHHELD", "subject"),
            body_ct: ct("WITHHELD", "body"),
            handler: None,
            closed_on: None,
            portal_account: None,
            created_at: t0().trunc_subsecs_micro(),
        };
        zv_store::requests::insert_portal_complaint(&tx, &complaint).await.unwrap();
        tx.commit().await.unwrap();
        // A reference is unique.
        let tx = db.store.begin().await.unwrap();
        assert!(matches!(zv_store::requests::insert_request(&tx, &duplicate).await, Err(StoreError::Conflict)));
        drop(tx);

        let tx = db.store.read_tx().await.unwrap();
        let mine = zv_store::requests::requests_of_client(&tx, &proof(d.client)).await.unwrap();
        assert_eq!(mine, vec![request.clone()]);
        assert!(zv_store::requests::requests_of_client(&tx, &proof(keep.client)).await.unwrap().is_empty());
        assert!(matches!(zv_store::requests::get_request(&tx, &proof(keep.client), request.id).await, Err(StoreError::WrongAuthorization)));
        assert_eq!(zv_store::requests::portal_complaints_of_client(&tx, &proof(d.client)).await.unwrap(), vec![complaint.clone()]);
        assert!(matches!(zv_store::withholdings::get(&tx, &proof(keep.client), passage.id).await, Err(StoreError::WrongAuthorization)));
        assert_eq!(zv_store::withholdings::active_of_trajectory(&tx, &proof(d.client), d.trajectory).await.unwrap().len(), 1);
        assert_eq!(zv_store::withholdings::of_entry(&tx, &proof(d.client), d.entry).await.unwrap().len(), 2);
        // The staff's complaint register (ACC-3) reads around a complaint without handler.
        assert!(zv_store::grants::complaints_of_client(&tx, &proof(d.client), d.client).await.unwrap().is_empty());
        assert!(zv_store::grants::complaint_meta(&tx, complaint.id).await.unwrap().is_none());
        tx.commit().await.unwrap();

        let tx = db.store.begin().await.unwrap();
        let outcome = zv_store::destruction::destroy_client(&tx, d.client, record("amw-2y")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(outcome.counts.get("withholdings"), Some(&2));
        assert_eq!(outcome.counts.get("rights_requests"), Some(&2), "the request and its scope");
        let c = uuid_literal(db.store.engine(), d.client.as_uuid());
        for sql in [
            format!("SELECT COUNT(*) FROM withholdings WHERE client_id = {c}"),
            format!("SELECT COUNT(*) FROM rights_requests WHERE client_id = {c}"),
            "SELECT COUNT(*) FROM rights_request_trajectories".to_owned(),
            format!("SELECT COUNT(*) FROM complaints WHERE client_id = {c}"),
        ] {
            assert_eq!(scalar(&db.store, &sql).await, 0, "{sql}");
        }
        let k = uuid_literal(db.store.engine(), keep.client.as_uuid());
        assert_eq!(scalar(&db.store, &format!("SELECT COUNT(*) FROM withholdings WHERE client_id = {k}")).await, 1);
    }
}

// ---------------------------------------------------------------------------------------
// Anonymous reports (SHR-5)

/// A trajectory of `branch` (team `team`) for a new client, opened `opened`, closed
/// `closed` if given.
async fn report_trajectory(
    tx: &Tx,
    branch: &str,
    team: &str,
    opened: &str,
    closed: Option<&str>,
) -> (ClientId, TrajectoryId) {
    let c = new_client("REPORT");
    let client = c.id;
    zv_store::clients::insert(tx, &c).await.unwrap();
    let trajectory = TrajectoryId::new();
    zv_store::trajectories::insert(
        tx,
        &NewTrajectory {
            id: trajectory,
            client_id: client,
            service_type: branch.into(),
            branch_code: branch.into(),
            team_code: team.into(),
            domestic_violence: false,
            opened_on: day(opened),
            created_at: t0(),
            facts: Default::default(),
        },
    )
    .await
    .unwrap();
    if let Some(closed) = closed {
        zv_store::trajectories::close(tx, trajectory, day(closed))
            .await
            .unwrap();
    }
    (client, trajectory)
}

/// An entry of `kind` created at `at` (UTC), with a progress note per `(percent, at)`.
async fn report_entry(
    tx: &Tx,
    (client, trajectory): (ClientId, TrajectoryId),
    worker: UserId,
    kind: &str,
    at: DateTime<Utc>,
    progress: &[(i32, DateTime<Utc>)],
) {
    let entry = EntryId::new();
    zv_store::entries::insert(
        tx,
        &NewEntry {
            id: entry,
            trajectory_id: trajectory,
            client_id: client,
            kind: kind.into(),
            special_category: None,
            necessity_ct: None,
            content_ct: ct("REPORT", "goal"),
            created_by: worker,
            created_at: at,
        },
    )
    .await
    .unwrap();
    for &(percent, at) in progress {
        zv_store::entries::insert_progress(
            tx,
            &NewGoalProgress {
                id: Uuid::now_v7(),
                entry_id: entry,
                client_id: client,
                progress: percent,
                note_ct: ct("REPORT", "progress"),
                author_id: worker,
                created_at: at,
            },
        )
        .await
        .unwrap();
    }
}

both_engines! {
    async fn a_report_counts_the_goals_set_and_reached_on_its_dutch_days(db) {
        let utc = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        let tx = db.store.begin().await.unwrap();
        organisation(&tx).await;
        let worker = staff(&tx, "anna").await;
        // Running through 2025, in the branch reported on.
        let running = report_trajectory(&tx, "amw", "amw-1", "2024-06-01", None).await;
        // 00:30 on 1 January in Amsterdam: set in 2025.
        report_entry(&tx, running, worker, "goal", utc(2024, 12, 31, 23, 30), &[]).await;
        // 23:30 on 31 December in Amsterdam: set before 2025, reached in it (twice noted,
        // one goal), and a progress note short of 100% that reaches nothing.
        let reached = [(100, utc(2025, 3, 1, 9, 0)), (100, utc(2025, 4, 1, 9, 0))];
        report_entry(&tx, running, worker, "goal", utc(2024, 12, 31, 22, 30), &reached).await;
        let short = [(80, utc(2025, 6, 1, 9, 0)), (100, utc(2025, 12, 31, 23, 30))];
        report_entry(&tx, running, worker, "goal", utc(2025, 5, 1, 9, 0), &short).await;
        // Not a goal, and a goal set on 1 January 2026 in Amsterdam.
        let full = [(100, utc(2025, 7, 1, 9, 0))];
        report_entry(&tx, running, worker, "conversation_report", utc(2025, 7, 1, 9, 0), &full)
            .await;
        report_entry(&tx, running, worker, "goal", utc(2025, 12, 31, 23, 30), &[]).await;
        // Ended the day before 2025 began; opened after it ended; another branch; goals of
        // 2023 only.
        let ended = report_trajectory(&tx, "amw", "amw-1", "2023-01-01", Some("2024-12-31")).await;
        report_entry(&tx, ended, worker, "goal", utc(2024, 12, 1, 9, 0), &full).await;
        let later = report_trajectory(&tx, "amw", "amw-1", "2026-01-01", None).await;
        report_entry(&tx, later, worker, "goal", utc(2025, 12, 31, 23, 30), &[]).await;
        let other = report_trajectory(&tx, "jgd", "jgd-1", "2024-01-01", None).await;
        report_entry(&tx, other, worker, "goal", utc(2025, 2, 1, 9, 0), &full).await;
        let quiet = report_trajectory(&tx, "amw", "amw-1", "2023-01-01", Some("2025-01-01")).await;
        report_entry(&tx, quiet, worker, "goal", utc(2023, 2, 1, 9, 0), &[(100, utc(2023, 3, 1, 9, 0))])
            .await;
        tx.commit().await.unwrap();

        let tx = db.store.begin().await.unwrap();
        let branches = ["amw".to_owned()];
        let (from, to) = (day("2025-01-01"), day("2025-12-31"));
        let in_period: BTreeSet<TrajectoryId> =
            zv_store::reports::trajectories_in_period(&tx, &branches, from, to)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.trajectory_id)
                .collect();
        assert_eq!(in_period, BTreeSet::from([running.1, quiet.1]));
        let goals = zv_store::reports::goals_in_period(&tx, &branches, from, to)
            .await
            .unwrap();
        // Two set (00:30 on 1 January and May), one reached (the March goal, noted twice):
        // the goal reached at 00:30 on 1 January 2026 is not, nor is the quiet one's.
        assert_eq!(goals, std::collections::HashMap::from([(running.1, (2, 1))]));
        // Over their whole lives (the training export): every goal, and every goal ever
        // noted at 100%, once.
        let whole: BTreeSet<(ClientId, i64, i64)> = zv_store::reports::training_facts(&tx)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.client_id, f.goals_set, f.goals_reached))
            .collect();
        let expected = BTreeSet::from([
            (running.0, 4, 2),
            (ended.0, 1, 1),
            (later.0, 1, 0),
            (other.0, 1, 1),
            (quiet.0, 1, 1),
        ]);
        assert_eq!(whole, expected);
        tx.commit().await.unwrap();
    }
}

/// A sqlx pool of one PostgreSQL connection, when the tests have a server: each checkout
/// gets the connection the last one gave back, and a slot the pool never gets back leaves
/// nothing to acquire (a 10 s timeout, not a hang).
async fn pool_of_one_postgres_connection() -> Option<sea_orm::sqlx::PgPool> {
    let url = std::env::var(support::PG_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())?;
    let pool = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(&url)
        .await
        .unwrap();
    Some(pool)
}

/// A statement dropped halfway, as when a browser goes away during its request, costs its
/// PostgreSQL connection and never the pool's slot. Over TLS sqlx's `close_hard`, which
/// the pool calls after the dropped statement's late error, waited for the server forever
/// (decision 0061).
#[tokio::test]
async fn a_statement_dropped_halfway_gives_its_postgres_connection_back() {
    use sea_orm::sqlx;
    let Some(pool) = pool_of_one_postgres_connection().await else {
        return;
    };
    let offered: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&pool)
        .await
        .unwrap();
    let over_tls: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        over_tls,
        offered == "on",
        "the pool talks TLS wherever the server offers it, as an installation does"
    );
    for round in 0..5 {
        {
            let mut conn = pool.acquire().await.unwrap();
            let failing_later = sqlx::query_scalar::<_, i64>(
                "SELECT (1 / (length(pg_sleep(0.3)::text) * 0))::bigint",
            )
            .fetch_one(&mut *conn);
            let waited =
                tokio::time::timeout(std::time::Duration::from_millis(50), failing_later).await;
            assert!(waited.is_err(), "the statement was dropped while it ran");
        }
        let answer: Result<i64, sqlx::Error> = sqlx::query_scalar("SELECT 42::bigint")
            .fetch_one(&pool)
            .await;
        assert_eq!(
            answer.unwrap(),
            42,
            "round {round}: the pool has a connection again"
        );
    }
    pool.close().await;
}

/// The pool takes a clean PostgreSQL connection back without pinging it (decision 0060),
/// and only a clean one: a transaction dropped open is rolled back before the connection's
/// next user has it. (A statement dropped halfway: the test above.)
#[tokio::test]
async fn a_postgres_connection_taken_back_without_a_ping_carries_nothing_over() {
    use sea_orm::sqlx::{self, Connection as _};
    let Some(pool) = pool_of_one_postgres_connection().await else {
        return;
    };
    const BACKEND: &str = "SELECT pg_backend_pid()::bigint";
    let backend = || async {
        sqlx::query_scalar::<_, i64>(BACKEND)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // A connection used to the end comes back as it went: the same server process.
    let first = backend().await;
    assert_eq!(backend().await, first);

    // A transaction dropped open is rolled back before anyone uses the connection again.
    {
        let mut conn = pool.acquire().await.unwrap();
        let mut tx = conn.begin().await.unwrap();
        sqlx::query("CREATE TEMP TABLE left_behind (x int)")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let left_behind: bool =
        sqlx::query_scalar("SELECT to_regclass('pg_temp.left_behind') IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!left_behind, "the dropped transaction was rolled back");
    assert_eq!(backend().await, first, "and the connection was kept");
    pool.close().await;
}
