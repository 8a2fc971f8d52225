//! The one migration set for both engines, with the column types from the dialect.

use sea_orm::ConnectionTrait;

use crate::dialect::{append_only_audit, types};
use crate::{Engine, Store, StoreError};

fn v1(engine: Engine) -> Vec<String> {
    let t = types(engine);
    let (u, b, ts, d, bo, bi) = (t.uuid, t.bytes, t.time, t.date, t.boolean, t.bigint);
    let mut s = Vec::new();
    if engine == Engine::Postgres {
        s.push("CREATE SCHEMA IF NOT EXISTS zv_keys".to_owned());
    }
    s.extend([
        "CREATE TABLE IF NOT EXISTS branches (code TEXT PRIMARY KEY, name TEXT NOT NULL)".to_owned(),
        "CREATE TABLE IF NOT EXISTS teams (code TEXT PRIMARY KEY, name TEXT NOT NULL, branch_code TEXT NOT NULL REFERENCES branches(code))".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS staff_users (id {u} PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, password_hash TEXT NOT NULL, totp_secret_ct {b} NOT NULL, totp_confirmed {bo} NOT NULL, branch_code TEXT NULL, confidentiality_signed_on {d} NULL, disabled {bo} NOT NULL, created_at {ts} NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS staff_roles (user_id {u} NOT NULL REFERENCES staff_users(id), role TEXT NOT NULL, PRIMARY KEY (user_id, role))"),
        format!("CREATE TABLE IF NOT EXISTS team_members (user_id {u} NOT NULL REFERENCES staff_users(id), team_code TEXT NOT NULL REFERENCES teams(code), PRIMARY KEY (user_id, team_code))"),
        format!("CREATE TABLE IF NOT EXISTS clients (id {u} PRIMARY KEY, branch_code TEXT NOT NULL REFERENCES branches(code), name_ct {b} NOT NULL, birth_date_ct {b} NOT NULL, gender_ct {b} NULL, address_ct {b} NULL, phone_ct {b} NULL, email_ct {b} NULL, bsn_ct {b} NULL, confidential_address {bo} NOT NULL, created_at {ts} NOT NULL, updated_at {ts} NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS search_tokens (token {b} NOT NULL, client_id {u} NOT NULL REFERENCES clients(id), PRIMARY KEY (token, client_id))"),
        "CREATE INDEX IF NOT EXISTS search_tokens_client ON search_tokens (client_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS related_persons (id {u} PRIMARY KEY, client_id {u} NOT NULL REFERENCES clients(id), relation TEXT NOT NULL, name_ct {b} NOT NULL, birth_date_ct {b} NULL, phone_ct {b} NULL, email_ct {b} NULL, address_ct {b} NULL, authority_since {d} NULL, mandate_ct {b} NULL, linked_client_id {u} NULL, created_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS related_persons_client ON related_persons (client_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS trajectories (id {u} PRIMARY KEY, client_id {u} NOT NULL REFERENCES clients(id), service_type TEXT NOT NULL, branch_code TEXT NOT NULL, team_code TEXT NOT NULL, domestic_violence {bo} NOT NULL, opened_on {d} NOT NULL, closed_on {d} NULL, last_change_at {ts} NOT NULL, retention_until {d} NULL, created_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS trajectories_client ON trajectories (client_id)".to_owned(),
        "CREATE INDEX IF NOT EXISTS trajectories_retention ON trajectories (retention_until)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS trajectory_workers (trajectory_id {u} NOT NULL REFERENCES trajectories(id), user_id {u} NOT NULL REFERENCES staff_users(id), assigned_on {d} NOT NULL, PRIMARY KEY (trajectory_id, user_id))"),
        "CREATE INDEX IF NOT EXISTS trajectory_workers_user ON trajectory_workers (user_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS entries (id {u} PRIMARY KEY, trajectory_id {u} NOT NULL REFERENCES trajectories(id), client_id {u} NOT NULL, kind TEXT NOT NULL, special_category TEXT NULL, necessity_ct {b} NULL, current_version INTEGER NOT NULL, created_by {u} NOT NULL, created_at {ts} NOT NULL, updated_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS entries_trajectory ON entries (trajectory_id, created_at)".to_owned(),
        "CREATE INDEX IF NOT EXISTS entries_client ON entries (client_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS entry_versions (entry_id {u} NOT NULL REFERENCES entries(id), version INTEGER NOT NULL, content_ct {b} NOT NULL, author_id {u} NOT NULL, created_at {ts} NOT NULL, PRIMARY KEY (entry_id, version))"),
        format!("CREATE TABLE IF NOT EXISTS goal_progress (id {u} PRIMARY KEY, entry_id {u} NOT NULL REFERENCES entries(id), client_id {u} NOT NULL, progress INTEGER NOT NULL, note_ct {b} NOT NULL, author_id {u} NOT NULL, created_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS goal_progress_entry ON goal_progress (entry_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS work_notes (id {u} PRIMARY KEY, trajectory_id {u} NOT NULL REFERENCES trajectories(id), client_id {u} NOT NULL, author_id {u} NOT NULL, body_ct {b} NOT NULL, created_at {ts} NOT NULL, updated_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS work_notes_trajectory ON work_notes (trajectory_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS attachments (id {u} PRIMARY KEY, entry_id {u} NOT NULL REFERENCES entries(id), client_id {u} NOT NULL, filename_ct {b} NOT NULL, media_type TEXT NOT NULL, size_bytes {bi} NOT NULL, created_by {u} NOT NULL, created_at {ts} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS attachments_entry ON attachments (entry_id)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS audit_log (seq {bi} PRIMARY KEY, id {u} NOT NULL, at {ts} NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL, object TEXT NOT NULL, object_id {u} NULL, client_id {u} NULL, user_id {u} NULL, user_name TEXT NOT NULL, role TEXT NOT NULL, on_behalf_of {u} NULL, purpose TEXT NOT NULL, access_point TEXT NOT NULL, rule_ids TEXT NOT NULL, detail TEXT NULL, prev_hash {b} NOT NULL, hash {b} NOT NULL)"),
        "CREATE INDEX IF NOT EXISTS audit_log_client ON audit_log (client_id, seq)".to_owned(),
        format!("CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY, seq {bi} NOT NULL, hash {b} NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS destruction_records (id {u} PRIMARY KEY, at {ts} NOT NULL, subject_kind TEXT NOT NULL, subject_id {u} NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL, by_user {u} NULL, counts TEXT NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS zv_keys.client_keys (client_id {u} PRIMARY KEY, kek_version INTEGER NOT NULL, key_version INTEGER NOT NULL, wrapped {b} NOT NULL)"),
        format!("CREATE TABLE IF NOT EXISTS zv_keys.system_keys (name TEXT PRIMARY KEY, kek_version INTEGER NOT NULL, key_version INTEGER NOT NULL, wrapped {b} NOT NULL)"),
    ]);
    s.extend(append_only_audit(engine).into_iter().map(str::to_owned));
    s
}

/// Applies the migrations not yet applied; idempotent.
pub(crate) async fn migrate(store: &Store) -> Result<(), StoreError> {
    let engine = store.engine();
    let tx = store.begin().await?;
    tx.inner
        .execute_unprepared(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        )
        .await
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    let applied = crate::dialect::query_one(
        &tx,
        "SELECT MAX(version) AS v FROM schema_migrations",
        vec![],
    )
    .await?
    .and_then(|r| r.try_get::<Option<i32>>("", "v").ok().flatten())
    .unwrap_or(0);
    if applied < 1 {
        for sql in v1(engine) {
            tx.inner.execute_unprepared(&sql).await.map_err(|e| {
                StoreError::Migration(format!(
                    "{e} in: {}",
                    sql.chars().take(80).collect::<String>()
                ))
            })?;
        }
        crate::dialect::exec(
            &tx,
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)",
            vec![vec![0u8; 32].into()],
        )
        .await?;
        crate::dialect::exec(
            &tx,
            "INSERT INTO schema_migrations (version) VALUES (1)",
            vec![],
        )
        .await?;
    }
    tx.commit().await
}
