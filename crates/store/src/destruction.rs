//! Destruction (RET-4, RET-6): every row of the subject in every table, the search tokens
//! and (for a client) the data key; a record without personal data remains. Idempotent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zv_domain::{AttachmentId, ClientId, EntryId, TrajectoryId, UserId};

use crate::dialect::{exec, query};
use crate::rows::get;
use crate::{StoreError, Tx};

#[derive(Debug, Clone)]
pub struct NewDestructionRecord {
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub rule: String,
    pub reason: String,
    pub by_user: Option<UserId>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct DestroyOutcome {
    pub counts: BTreeMap<String, u64>,
    /// Files to delete after commit.
    pub attachment_ids: Vec<AttachmentId>,
}

async fn attachments(tx: &Tx, where_sql: &str, id: Uuid) -> Result<Vec<AttachmentId>, StoreError> {
    query(
        tx,
        &format!("SELECT a.id FROM attachments a WHERE {where_sql}"),
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|r| Ok(AttachmentId::from_uuid(get(r, "id")?)))
    .collect()
}

async fn run(
    tx: &Tx,
    steps: &[(&str, &str)],
    id: Uuid,
    out: &mut DestroyOutcome,
) -> Result<(), StoreError> {
    for (table, sql) in steps {
        let n = exec(tx, sql, vec![id.into()]).await?;
        *out.counts.entry((*table).to_owned()).or_default() += n;
    }
    Ok(())
}

async fn record(tx: &Tx, r: NewDestructionRecord, out: &DestroyOutcome) -> Result<(), StoreError> {
    let counts = serde_json::to_string(&out.counts).unwrap_or_default();
    exec(tx, "INSERT INTO destruction_records (id, at, subject_kind, subject_id, rule, reason, by_user, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", vec![Uuid::now_v7().into(), r.at.into(), r.subject_kind.into(), r.subject_id.into(), r.rule.into(), r.reason.into(), r.by_user.map(|u| u.as_uuid()).into(), counts.into()]).await?;
    Ok(())
}

pub async fn destroy_client(
    tx: &Tx,
    client: ClientId,
    r: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = client.as_uuid();
    let mut out = DestroyOutcome {
        attachment_ids: attachments(tx, "a.client_id = ?", id).await?,
        ..DestroyOutcome::default()
    };
    run(tx, &[
        ("client_keys", "DELETE FROM zv_keys.client_keys WHERE client_id = ?"),
        ("attachments", "DELETE FROM attachments WHERE client_id = ?"),
        ("goal_progress", "DELETE FROM goal_progress WHERE client_id = ?"),
        ("entry_versions", "DELETE FROM entry_versions WHERE entry_id IN (SELECT id FROM entries WHERE client_id = ?)"),
        ("entries", "DELETE FROM entries WHERE client_id = ?"),
        ("work_notes", "DELETE FROM work_notes WHERE client_id = ?"),
        ("trajectory_workers", "DELETE FROM trajectory_workers WHERE trajectory_id IN (SELECT id FROM trajectories WHERE client_id = ?)"),
        ("trajectories", "DELETE FROM trajectories WHERE client_id = ?"),
        ("related_persons", "DELETE FROM related_persons WHERE client_id = ?"),
        ("search_tokens", "DELETE FROM search_tokens WHERE client_id = ?"),
        ("clients", "DELETE FROM clients WHERE id = ?"),
    ], id, &mut out).await?;
    // A client who was another's related person is unlinked, not destroyed with them.
    exec(
        tx,
        "UPDATE related_persons SET linked_client_id = NULL WHERE linked_client_id = ?",
        vec![id.into()],
    )
    .await?;
    record(tx, r, &out).await?;
    Ok(out)
}

pub async fn destroy_trajectory(
    tx: &Tx,
    trajectory: TrajectoryId,
    r: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = trajectory.as_uuid();
    let mut out = DestroyOutcome {
        attachment_ids: attachments(
            tx,
            "a.entry_id IN (SELECT id FROM entries WHERE trajectory_id = ?)",
            id,
        )
        .await?,
        ..DestroyOutcome::default()
    };
    run(tx, &[
        ("attachments", "DELETE FROM attachments WHERE entry_id IN (SELECT id FROM entries WHERE trajectory_id = ?)"),
        ("goal_progress", "DELETE FROM goal_progress WHERE entry_id IN (SELECT id FROM entries WHERE trajectory_id = ?)"),
        ("entry_versions", "DELETE FROM entry_versions WHERE entry_id IN (SELECT id FROM entries WHERE trajectory_id = ?)"),
        ("entries", "DELETE FROM entries WHERE trajectory_id = ?"),
        ("work_notes", "DELETE FROM work_notes WHERE trajectory_id = ?"),
        ("trajectory_workers", "DELETE FROM trajectory_workers WHERE trajectory_id = ?"),
        ("trajectories", "DELETE FROM trajectories WHERE id = ?"),
    ], id, &mut out).await?;
    record(tx, r, &out).await?;
    Ok(out)
}

pub async fn destroy_entry(
    tx: &Tx,
    entry: EntryId,
    r: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = entry.as_uuid();
    let mut out = DestroyOutcome {
        attachment_ids: attachments(tx, "a.entry_id = ?", id).await?,
        ..DestroyOutcome::default()
    };
    run(
        tx,
        &[
            ("attachments", "DELETE FROM attachments WHERE entry_id = ?"),
            (
                "goal_progress",
                "DELETE FROM goal_progress WHERE entry_id = ?",
            ),
            (
                "entry_versions",
                "DELETE FROM entry_versions WHERE entry_id = ?",
            ),
            ("entries", "DELETE FROM entries WHERE id = ?"),
        ],
        id,
        &mut out,
    )
    .await?;
    record(tx, r, &out).await?;
    Ok(out)
}
