//! Destruction (RET-4, RET-6; ARCHITECTURE rule 6): every row of the subject in every
//! table, the search tokens and, for a client, the data key, in one transaction. What
//! remains is a destruction record without personal data: what kind of subject, its id,
//! the rule and reason, who, when, and how many rows of each table went.
//!
//! Not destroyed: audit events (they name the client by id only and have their own
//! retention under NEN 7513) and earlier destruction records.
//!
//! Attachment files are not touched here: the ids are returned and the caller deletes the
//! files with [`crate::blobs::delete`] after the commit (a file without a row is harmless
//! and its key is gone; a row without its file would not be).
//!
//! Idempotent: destroying what is already destroyed is not an error. It deletes nothing,
//! records nothing new and says so ([`DestroyOutcome::already_destroyed`]), so an
//! interrupted job can simply run again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{AttachmentId, ClientId, EntryId, TrajectoryId, UserId};

use crate::entity::{
    attachments, client_keys, clients, destruction_records, entries, entry_versions, goal_progress,
    related_persons, search_tokens, trajectories, trajectory_workers, work_notes,
};
use crate::rows::micros;
use crate::{StoreError, Tx};

/// What was destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Client,
    Trajectory,
    Entry,
}

impl SubjectKind {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Trajectory => "trajectory",
            Self::Entry => "entry",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "client" => Some(Self::Client),
            "trajectory" => Some(Self::Trajectory),
            "entry" => Some(Self::Entry),
            _ => None,
        }
    }
}

/// Why and by whom. Must not carry personal data: `rule` is a retention rule id of the
/// policy, `reason` a short text the core checks. The subject comes from the call.
#[derive(Debug, Clone)]
pub struct NewDestructionRecord {
    pub at: DateTime<Utc>,
    pub rule: String,
    pub reason: String,
    /// The user who decided; `None` for the retention job.
    pub by_user: Option<UserId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DestroyOutcome {
    /// Rows deleted per table (`client_keys` for the key).
    pub counts: BTreeMap<String, u64>,
    /// Attachment files to delete after the commit.
    pub attachment_ids: Vec<AttachmentId>,
    /// Nothing was left to destroy and a record already existed: a re-run.
    pub already_destroyed: bool,
}

impl DestroyOutcome {
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// A destruction record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestructionRecordRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub rule: String,
    pub reason: String,
    pub by_user: Option<UserId>,
    pub counts: BTreeMap<String, u64>,
}

/// `SELECT id FROM trajectories WHERE client_id = ?`
fn trajectories_of_client(client: Uuid) -> SelectStatement {
    Query::select()
        .column(trajectories::Column::Id)
        .from(trajectories::Entity)
        .and_where(Expr::col(trajectories::Column::ClientId).eq(client))
        .to_owned()
}

/// The client's entries: by their own client id, and any under the client's
/// trajectories, so an inconsistent row cannot escape.
fn entries_of_client(client: Uuid) -> SelectStatement {
    Query::select()
        .column(entries::Column::Id)
        .from(entries::Entity)
        .cond_where(
            Condition::any()
                .add(Expr::col(entries::Column::ClientId).eq(client))
                .add(
                    Expr::col(entries::Column::TrajectoryId)
                        .in_subquery(trajectories_of_client(client)),
                ),
        )
        .to_owned()
}

fn entries_of_trajectory(trajectory: Uuid) -> SelectStatement {
    Query::select()
        .column(entries::Column::Id)
        .from(entries::Entity)
        .and_where(Expr::col(entries::Column::TrajectoryId).eq(trajectory))
        .to_owned()
}

/// Deletes the rows hanging off a set of entries, then the entries. Returns the
/// attachment ids.
async fn destroy_entries(
    tx: &Tx,
    attachments_cond: Condition,
    progress_cond: Condition,
    versions_cond: Condition,
    entries_cond: Condition,
    out: &mut DestroyOutcome,
) -> Result<(), StoreError> {
    let ids: Vec<Uuid> = attachments::Entity::find()
        .select_only()
        .column(attachments::Column::Id)
        .filter(attachments_cond.clone())
        .order_by_asc(attachments::Column::Id)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    // SEC-3: a recording's agreement goes with the recording.
    let n = crate::recordings::delete_of_attachments(tx, &ids).await?;
    count(out, "recording_agreements", n);
    out.attachment_ids
        .extend(ids.into_iter().map(AttachmentId::from_uuid));
    let n = attachments::Entity::delete_many()
        .filter(attachments_cond)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(out, "attachments", n);
    let n = goal_progress::Entity::delete_many()
        .filter(progress_cond)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(out, "goal_progress", n);
    let n = entry_versions::Entity::delete_many()
        .filter(versions_cond)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(out, "entry_versions", n);
    let n = entries::Entity::delete_many()
        .filter(entries_cond)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(out, "entries", n);
    Ok(())
}

fn count(out: &mut DestroyOutcome, table: &str, n: u64) {
    *out.counts.entry(table.to_owned()).or_default() += n;
}

/// Destroys a client: every row in every table, the search tokens and the data key.
pub async fn destroy_client(
    tx: &Tx,
    client: ClientId,
    record: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = client.as_uuid();
    let mut out = DestroyOutcome::default();
    let in_entries = || entries_of_client(id);
    destroy_entries(
        tx,
        Condition::any()
            .add(attachments::Column::ClientId.eq(id))
            .add(attachments::Column::EntryId.in_subquery(in_entries())),
        Condition::any()
            .add(goal_progress::Column::ClientId.eq(id))
            .add(goal_progress::Column::EntryId.in_subquery(in_entries())),
        Condition::all().add(entry_versions::Column::EntryId.in_subquery(in_entries())),
        Condition::any()
            .add(entries::Column::ClientId.eq(id))
            .add(entries::Column::TrajectoryId.in_subquery(trajectories_of_client(id))),
        &mut out,
    )
    .await?;
    let n = work_notes::Entity::delete_many()
        .filter(
            Condition::any()
                .add(work_notes::Column::ClientId.eq(id))
                .add(work_notes::Column::TrajectoryId.in_subquery(trajectories_of_client(id))),
        )
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "work_notes", n);
    let n = crate::grants::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "grants_and_complaints", n);
    let n = crate::minors::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "portal_minors", n);
    let n = crate::portal::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "portal", n);
    let n = crate::statement_receipts::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "statement_receipts", n);
    let n = crate::withholdings::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "withholdings", n);
    let n = crate::access_copies::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "access_copies", n);
    let n = crate::portability::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "portability_exports", n);
    let n = crate::requests::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "rights_requests", n);
    let n = crate::processing_stops::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "processing_stops", n);
    let n = crate::rectifications::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "rectifications", n);
    let n = crate::meldcode::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "meldcode", n);
    let n = crate::consents::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "consents", n);
    let n = crate::disclosures::delete_of_client(tx, ClientId::from_uuid(id)).await?;
    count(&mut out, "disclosures", n);
    let n = trajectory_workers::Entity::delete_many()
        .filter(trajectory_workers::Column::TrajectoryId.in_subquery(trajectories_of_client(id)))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "trajectory_workers", n);
    let n = trajectories::Entity::delete_many()
        .filter(trajectories::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "trajectories", n);
    let n = related_persons::Entity::delete_many()
        .filter(related_persons::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "related_persons", n);
    // Where the client was someone else's related person, that person stays (it belongs
    // to the other client's file) but no longer points here.
    let n = related_persons::Entity::update_many()
        .col_expr(
            related_persons::Column::LinkedClientId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(related_persons::Column::LinkedClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "related_persons_unlinked", n);
    let n = search_tokens::Entity::delete_many()
        .filter(search_tokens::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "search_tokens", n);
    let n = clients::Entity::delete_many()
        .filter(clients::Column::Id.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "clients", n);
    let n = client_keys::Entity::delete_many()
        .filter(client_keys::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "client_keys", n);
    finish(tx, SubjectKind::Client, id, record, out).await
}

/// Destroys one trajectory: its entries with their versions, progress and attachments,
/// its work notes and worker assignments, and the trajectory row. The client, its key
/// and its other trajectories stay.
pub async fn destroy_trajectory(
    tx: &Tx,
    trajectory: TrajectoryId,
    record: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = trajectory.as_uuid();
    let mut out = DestroyOutcome::default();
    destroy_entries(
        tx,
        Condition::all().add(attachments::Column::EntryId.in_subquery(entries_of_trajectory(id))),
        Condition::all().add(goal_progress::Column::EntryId.in_subquery(entries_of_trajectory(id))),
        Condition::all()
            .add(entry_versions::Column::EntryId.in_subquery(entries_of_trajectory(id))),
        Condition::all().add(entries::Column::TrajectoryId.eq(id)),
        &mut out,
    )
    .await?;
    let n = crate::withholdings::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "withholdings", n);
    let n = crate::requests::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "rights_request_trajectories", n);
    let n = crate::processing_stops::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "processing_stops", n);
    let n = crate::minors::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "mandate_trajectories", n);
    let n = crate::meldcode::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "meldcode", n);
    let n = crate::disclosures::delete_of_trajectory(tx, trajectory).await?;
    count(&mut out, "disclosures", n);
    let n = work_notes::Entity::delete_many()
        .filter(work_notes::Column::TrajectoryId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "work_notes", n);
    let n = trajectory_workers::Entity::delete_many()
        .filter(trajectory_workers::Column::TrajectoryId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "trajectory_workers", n);
    let n = trajectories::Entity::delete_many()
        .filter(trajectories::Column::Id.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "trajectories", n);
    finish(tx, SubjectKind::Trajectory, id, record, out).await
}

/// Destroys one entry: all its versions, progress notes and attachments.
pub async fn destroy_entry(
    tx: &Tx,
    entry: EntryId,
    record: NewDestructionRecord,
) -> Result<DestroyOutcome, StoreError> {
    let id = entry.as_uuid();
    let mut out = DestroyOutcome::default();
    destroy_entries(
        tx,
        Condition::all().add(attachments::Column::EntryId.eq(id)),
        Condition::all().add(goal_progress::Column::EntryId.eq(id)),
        Condition::all().add(entry_versions::Column::EntryId.eq(id)),
        Condition::all().add(entries::Column::Id.eq(id)),
        &mut out,
    )
    .await?;
    let n = crate::withholdings::delete_of_entry(tx, entry).await?;
    count(&mut out, "withholdings", n);
    let n = crate::meldcode::delete_of_entry(tx, entry).await?;
    count(&mut out, "meldcode", n);
    finish(tx, SubjectKind::Entry, id, record, out).await
}

async fn finish(
    tx: &Tx,
    kind: SubjectKind,
    subject: Uuid,
    record: NewDestructionRecord,
    mut out: DestroyOutcome,
) -> Result<DestroyOutcome, StoreError> {
    if out.total() == 0 {
        let earlier = destruction_records::Entity::find()
            .filter(destruction_records::Column::SubjectKind.eq(kind.code()))
            .filter(destruction_records::Column::SubjectId.eq(subject))
            .count(&tx.inner)
            .await?;
        if earlier > 0 {
            out.already_destroyed = true;
            return Ok(out);
        }
    }
    let counts = serde_json::to_string(&out.counts)
        .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("destruction counts: {e}"))))?;
    destruction_records::Entity::insert(destruction_records::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(micros(record.at)),
        subject_kind: Set(kind.code().to_owned()),
        subject_id: Set(subject),
        rule: Set(record.rule),
        reason: Set(record.reason),
        by_user: Set(record.by_user.map(|u| u.as_uuid())),
        counts: Set(counts),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(out)
}

/// The destruction records of a subject (a client, trajectory or entry id), oldest first.
pub async fn records_of(tx: &Tx, subject: Uuid) -> Result<Vec<DestructionRecordRow>, StoreError> {
    destruction_records::Entity::find()
        .filter(destruction_records::Column::SubjectId.eq(subject))
        .order_by_asc(destruction_records::Column::At)
        .order_by_asc(destruction_records::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(record_row)
        .collect()
}

/// Destruction records made in `[from, to)`, oldest first (reports, the register).
pub async fn records_between(
    tx: &Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DestructionRecordRow>, StoreError> {
    destruction_records::Entity::find()
        .filter(destruction_records::Column::At.gte(from))
        .filter(destruction_records::Column::At.lt(to))
        .order_by_asc(destruction_records::Column::At)
        .order_by_asc(destruction_records::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(record_row)
        .collect()
}

fn record_row(m: destruction_records::Model) -> Result<DestructionRecordRow, StoreError> {
    let bad = |what: &str| {
        StoreError::Db(sea_orm::DbErr::Type(format!(
            "unreadable destruction_records.{what}"
        )))
    };
    Ok(DestructionRecordRow {
        id: m.id,
        at: m.at,
        subject_kind: SubjectKind::from_code(&m.subject_kind).ok_or_else(|| bad("subject_kind"))?,
        subject_id: m.subject_id,
        rule: m.rule,
        reason: m.reason,
        by_user: m.by_user.map(UserId::from_uuid),
        counts: serde_json::from_str(&m.counts).map_err(|_| bad("counts"))?,
    })
}
