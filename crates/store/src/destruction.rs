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
use crate::id_set::{IdSet, Of};
use crate::in_list::padded;
use crate::rows::micros;
use crate::{StoreError, Tx};

/// What was destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Client,
    Trajectory,
    Entry,
    /// A newsletter contact removed when it unsubscribed (NWS-1).
    NewsletterContact,
    /// Recorded camera files past their term, per camera and run (CAM-1).
    CameraImages,
    /// A group activity with its participants, attendance and consents (GRP-1).
    GroupActivity,
    /// Photos and video of an activity past their term, per activity and run (GRP-3).
    ActivityMedia,
    /// Handled correspondence past its term, per run (RET-3).
    Correspondence,
    /// Applicants with their CV and letter past their term, per run (RET-2).
    Applicant,
    /// Staff records with their documents past their term, per run (RET-2).
    StaffRecord,
    /// Copies of staff identity documents past their own term, per run (RET-2).
    StaffIdCopy,
    /// Financial records with their documents past their term, per run (RET-2).
    FinancialRecord,
}

impl SubjectKind {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Trajectory => "trajectory",
            Self::Entry => "entry",
            Self::NewsletterContact => "newsletter_contact",
            Self::CameraImages => "camera_images",
            Self::GroupActivity => "group_activity",
            Self::ActivityMedia => "activity_media",
            Self::Correspondence => "correspondence",
            Self::Applicant => "applicant",
            Self::StaffRecord => "staff_record",
            Self::StaffIdCopy => "staff_id_copy",
            Self::FinancialRecord => "financial_record",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "client" => Some(Self::Client),
            "trajectory" => Some(Self::Trajectory),
            "entry" => Some(Self::Entry),
            "newsletter_contact" => Some(Self::NewsletterContact),
            "camera_images" => Some(Self::CameraImages),
            "group_activity" => Some(Self::GroupActivity),
            "activity_media" => Some(Self::ActivityMedia),
            "correspondence" => Some(Self::Correspondence),
            "applicant" => Some(Self::Applicant),
            "staff_record" => Some(Self::StaffRecord),
            "staff_id_copy" => Some(Self::StaffIdCopy),
            "financial_record" => Some(Self::FinancialRecord),
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
    let mut more = SetOutcome::default();
    for table in ["retention_extensions", "retention_holds"] {
        delete_where(tx, &mut more, table, col_in("client_id", &[id])).await?;
    }
    for (table, n) in more.totals {
        count(&mut out, &table, n);
    }
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
    let mut more = SetOutcome::default();
    trajectory_leftovers(tx, &mut more, &IdSet::Listed(vec![id])).await?;
    for (table, n) in more.totals {
        count(&mut out, &table, n);
    }
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

// ---------------------------------------------------------------------------------------
// Destruction in sets: the retention sweep (RET-4) destroys a whole batch of trajectories,
// and then the clients left without any, with one statement per table for the batch
// instead of one per item (`WHERE trajectory_id IN (...)`). What it reaches is every
// table that holds a trajectory's or client's data; the sweep test plants a marker in
// each kind of record and looks for it afterwards.
// ---------------------------------------------------------------------------------------

/// The destruction register's view of `destruction_records`, with the columns added for
/// the sweep (m0024): outcome, the day the term ended, which job.
pub(crate) mod register_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "destruction_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub rule: String,
        pub reason: String,
        pub by_user: Option<Uuid>,
        pub counts: String,
        pub outcome: Option<String>,
        pub term_ended_on: Option<Date>,
        pub by_job: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What a set destruction removed: per table in total, per subject the main records
/// (for its register line), and the attachment files to delete after the commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetOutcome {
    pub totals: BTreeMap<String, u64>,
    pub per_subject: std::collections::HashMap<Uuid, BTreeMap<String, u64>>,
    pub attachment_ids: Vec<AttachmentId>,
}

impl SetOutcome {
    fn add(&mut self, table: &str, n: u64) {
        if n > 0 {
            *self.totals.entry(table.to_owned()).or_default() += n;
        }
    }
}

fn ids_select(table: &'static str, column: &'static str, cond: Condition) -> SelectStatement {
    Query::select()
        .column("id")
        .from(table)
        .cond_where(cond)
        .and_where(Expr::col(column).is_not_null())
        .to_owned()
}

/// Whether `table` has no row at all (SQLite only; `false` on PostgreSQL). A set
/// destruction's statement walks every id of its set (hundreds in a sweep batch) even
/// where the table is empty; with the ids in a padded list, as before the sets' temporary
/// tables (`id_set`), that cost about 0.2 ms per statement. Tables whose feature an
/// organisation does not use stay empty: in the demo 34 of those a destruction visits,
/// and its forty statements on them were 8% of a sweep (docs/performance.md, session
/// 39). The look at the first row is one step. On PostgreSQL it would be a round trip
/// of its own, as dear as the statement it saves. Inside the write transaction no other
/// writer can add a row between the look and the statement it stands for.
async fn is_empty(tx: &Tx, table: &'static str) -> Result<bool, StoreError> {
    use sea_orm::ConnectionTrait;
    if tx.engine() != crate::Engine::Sqlite {
        return Ok(false);
    }
    let stmt = Query::select()
        .expr(Expr::val(1))
        .from(table)
        .limit(1)
        .to_owned();
    Ok(tx.inner.query_one(&stmt).await?.is_none())
}

async fn delete_where(
    tx: &Tx,
    out: &mut SetOutcome,
    table: &'static str,
    cond: Condition,
) -> Result<(), StoreError> {
    use sea_orm::ConnectionTrait;
    if is_empty(tx, table).await? {
        return Ok(());
    }
    let stmt = Query::delete()
        .from_table(table)
        .cond_where(cond)
        .to_owned();
    let n = tx.inner.execute(&stmt).await?.rows_affected();
    out.add(table, n);
    Ok(())
}

/// Counts rows per subject before they go, for the register (one query per table).
async fn count_per(
    tx: &Tx,
    out: &mut SetOutcome,
    table: &'static str,
    column: &'static str,
    ids: &IdSet,
) -> Result<(), StoreError> {
    use sea_orm::{ConnectionTrait, TryGetable};
    if is_empty(tx, table).await? {
        return Ok(());
    }
    let stmt = Query::select()
        .column(column)
        .expr(Expr::col(column).count())
        .from(table)
        .cond_where(ids.cond(column))
        .group_by_col(column)
        .to_owned();
    for row in tx.inner.query_all(&stmt).await? {
        let id = Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
        let n = i64::try_get_by_index(&row, 1).map_err(sea_orm::DbErr::from)?;
        if n > 0 {
            out.per_subject
                .entry(id)
                .or_default()
                .insert(table.to_owned(), u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(())
}

fn col_in(column: &'static str, ids: &[Uuid]) -> Condition {
    Condition::all().add(Expr::col(column).is_in(ids.iter().copied()))
}

fn col_in_select(column: &'static str, select: SelectStatement) -> Condition {
    Condition::all().add(Expr::col(column).in_subquery(select))
}

/// Destroys a set of trajectories with everything that hangs off them: entries with
/// their versions, progress, attachments (and recording agreements), withholdings,
/// meldcode steps and cases, work notes and the note releases of access copies,
/// request scopes, processing stops and objection decisions, mandates' trajectories,
/// disclosures, complaints with their steps and grants, grants on the trajectories,
/// extensions and holds, worker assignments and the rows themselves. The clients stay.
pub async fn destroy_trajectories(
    tx: &Tx,
    trajectories: &[TrajectoryId],
) -> Result<SetOutcome, StoreError> {
    let mut out = SetOutcome::default();
    if trajectories.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Uuid> = trajectories.iter().map(|t| t.as_uuid()).collect();
    for id in &ids {
        out.per_subject
            .entry(*id)
            .or_default()
            .insert("trajectories".to_owned(), 0);
    }
    let t = IdSet::of(tx, Of::Trajectories, &ids).await?;
    count_per(tx, &mut out, "entries", "trajectory_id", &t).await?;
    count_per(tx, &mut out, "work_notes", "trajectory_id", &t).await?;
    // On PostgreSQL the entries by name, not as a subquery: it planned `entry_id IN
    // (SELECT id FROM entries WHERE trajectory_id IN (…))` on a small table as a merge
    // join over the key of every entry there is (docs/performance.md, session 31).
    let entry_ids = IdSet::select(
        tx,
        Of::Entries,
        ids_select("entries", "trajectory_id", t.cond("trajectory_id")),
    )
    .await?;
    for by_entry in entry_ids.conds("entry_id") {
        destroy_entries_where(tx, &mut out, by_entry.clone()).await?;
        delete_where(tx, &mut out, "withholdings", by_entry.clone()).await?;
        delete_where(tx, &mut out, "meldcode_steps", by_entry).await?;
    }
    for table in [
        "withholdings",
        "meldcode_steps",
        "meldcode_cases",
        "entries",
    ] {
        delete_where(tx, &mut out, table, t.cond("trajectory_id")).await?;
    }
    trajectory_leftovers(tx, &mut out, &t).await?;
    for table in [
        "work_notes",
        "rights_request_trajectories",
        "processing_stops",
        "objection_decisions",
        "mandate_trajectories",
        "disclosures",
        "trajectory_workers",
    ] {
        delete_where(tx, &mut out, table, t.cond("trajectory_id")).await?;
    }
    delete_where(tx, &mut out, "trajectories", t.cond("id")).await?;
    for counts in out.per_subject.values_mut() {
        counts.insert("trajectories".to_owned(), 1);
    }
    Ok(out)
}

/// What a trajectory leaves outside its dossier proper: the release decisions of its
/// work notes in access copies, complaints about it with their steps and grants, grants
/// on it, and its extensions and holds (RET-5). Runs before the work notes go.
async fn trajectory_leftovers(tx: &Tx, out: &mut SetOutcome, t: &IdSet) -> Result<(), StoreError> {
    let notes = || ids_select("work_notes", "trajectory_id", t.cond("trajectory_id"));
    let complaints = || ids_select("complaints", "trajectory_id", t.cond("trajectory_id"));
    delete_where(
        tx,
        out,
        "access_copy_note_releases",
        col_in_select("work_note_id", notes()),
    )
    .await?;
    delete_where(
        tx,
        out,
        "complaint_steps",
        col_in_select("complaint_id", complaints()),
    )
    .await?;
    delete_where(
        tx,
        out,
        "access_grants",
        Condition::any()
            .add(t.expr("trajectory_id"))
            .add(Expr::col("complaint_id").in_subquery(complaints())),
    )
    .await?;
    for table in ["complaints", "retention_extensions", "retention_holds"] {
        delete_where(tx, out, table, t.cond("trajectory_id")).await?;
    }
    Ok(())
}

/// The rows hanging off a set of entries (`entry_id` in the condition): attachments
/// (their ids kept for the files) with recording agreements, goal progress, versions.
async fn destroy_entries_where(
    tx: &Tx,
    out: &mut SetOutcome,
    by_entry: Condition,
) -> Result<(), StoreError> {
    let ids: Vec<Uuid> = attachments::Entity::find()
        .select_only()
        .column(attachments::Column::Id)
        .filter(by_entry.clone())
        .into_tuple()
        .all(&tx.inner)
        .await?;
    for chunk in ids.chunks(1000) {
        delete_where(
            tx,
            out,
            "recording_agreements",
            col_in("attachment_id", &padded(chunk.iter().copied())),
        )
        .await?;
    }
    delete_where(tx, out, "attachments", by_entry.clone()).await?;
    out.attachment_ids
        .extend(ids.into_iter().map(AttachmentId::from_uuid));
    delete_where(tx, out, "goal_progress", by_entry.clone()).await?;
    delete_where(tx, out, "entry_versions", by_entry).await?;
    Ok(())
}

/// Destroys a set of clients: their trajectories (as [`destroy_trajectories`]) and every
/// client-level record, the search tokens and the data keys. The caller has checked
/// that nothing of theirs is held.
pub async fn destroy_clients(tx: &Tx, clients: &[ClientId]) -> Result<SetOutcome, StoreError> {
    let mut out = SetOutcome::default();
    if clients.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Uuid> = clients.iter().map(|c| c.as_uuid()).collect();
    let c = IdSet::of(tx, Of::Clients, &ids).await?;
    // Any trajectory still there goes first, with everything under it.
    let left: Vec<Uuid> = trajectories::Entity::find()
        .select_only()
        .column(trajectories::Column::Id)
        .filter(c.cond("client_id"))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    if !left.is_empty() {
        let ids: Vec<TrajectoryId> = left.into_iter().map(TrajectoryId::from_uuid).collect();
        let t = destroy_trajectories(tx, &ids).await?;
        for (table, n) in t.totals {
            out.add(&table, n);
        }
        out.attachment_ids.extend(t.attachment_ids);
    }
    count_per(tx, &mut out, "related_persons", "client_id", &c).await?;
    for id in &ids {
        out.per_subject
            .entry(*id)
            .or_default()
            .insert("clients".to_owned(), 1);
    }
    let of = |column: &'static str| c.cond(column);
    // What is left under the clients' own id, whatever trajectory it named.
    let entries = || ids_select("entries", "client_id", of("client_id"));
    let attachments_cond = Condition::any()
        .add(c.expr("client_id"))
        .add(Expr::col("entry_id").in_subquery(entries()));
    let ids: Vec<Uuid> = attachments::Entity::find()
        .select_only()
        .column(attachments::Column::Id)
        .filter(attachments_cond.clone())
        .into_tuple()
        .all(&tx.inner)
        .await?;
    delete_where(tx, &mut out, "recording_agreements", of("client_id")).await?;
    delete_where(tx, &mut out, "attachments", attachments_cond).await?;
    out.attachment_ids
        .extend(ids.into_iter().map(AttachmentId::from_uuid));
    delete_where(tx, &mut out, "goal_progress", of("client_id")).await?;
    delete_where(
        tx,
        &mut out,
        "entry_versions",
        col_in_select("entry_id", entries()),
    )
    .await?;
    delete_where(tx, &mut out, "withholdings", of("client_id")).await?;
    delete_where(tx, &mut out, "meldcode_steps", of("client_id")).await?;
    delete_where(tx, &mut out, "meldcode_cases", of("client_id")).await?;
    delete_where(tx, &mut out, "entries", of("client_id")).await?;
    delete_where(tx, &mut out, "access_copy_note_releases", of("client_id")).await?;
    delete_where(tx, &mut out, "work_notes", of("client_id")).await?;
    let complaints = || ids_select("complaints", "client_id", of("client_id"));
    delete_where(
        tx,
        &mut out,
        "access_grants",
        Condition::any()
            .add(c.expr("client_id"))
            .add(Expr::col("complaint_id").in_subquery(complaints())),
    )
    .await?;
    delete_where(tx, &mut out, "complaint_steps", of("client_id")).await?;
    delete_where(tx, &mut out, "complaints", of("client_id")).await?;
    let requests = || ids_select("rights_requests", "client_id", of("client_id"));
    delete_where(
        tx,
        &mut out,
        "rights_request_workflow",
        col_in_select("request_id", requests()),
    )
    .await?;
    delete_where(
        tx,
        &mut out,
        "rights_request_trajectories",
        col_in_select("request_id", requests()),
    )
    .await?;
    for table in [
        "access_copies",
        "portability_exports",
        "portability_decisions",
        "processing_stops",
        "objection_decisions",
        "consent_withdrawals",
        "rectifications",
    ] {
        delete_where(tx, &mut out, table, of("client_id")).await?;
    }
    delete_where(tx, &mut out, "rights_requests", of("client_id")).await?;
    // RTS-6: an erasure's decision per part stays as proof, without the sealed texts.
    {
        use sea_orm::ConnectionTrait;
        let stmt = Query::update()
            .table("erasure_parts")
            .value("reason_ct", Option::<Vec<u8>>::None)
            .value("subject_ct", Option::<Vec<u8>>::None)
            .cond_where(of("client_id"))
            .cond_where(
                Condition::any()
                    .add(Expr::col("reason_ct").is_not_null())
                    .add(Expr::col("subject_ct").is_not_null()),
            )
            .to_owned();
        let n = tx.inner.execute(&stmt).await?.rows_affected();
        out.add("erasure_parts_texts", n);
    }
    delete_where(tx, &mut out, "statement_receipts", of("client_id")).await?;
    let consents = || ids_select("consents", "client_id", of("client_id"));
    delete_where(
        tx,
        &mut out,
        "consent_givers",
        Condition::any()
            .add(c.expr("client_id"))
            .add(Expr::col("consent_id").in_subquery(consents())),
    )
    .await?;
    delete_where(tx, &mut out, "consents", of("client_id")).await?;
    delete_where(tx, &mut out, "disclosures", of("client_id")).await?;
    // The portal: accounts, their sessions and codes, links and invitations. Few clients
    // have any, so the portal's own rules run only for those.
    let with_portal: Vec<Uuid> = {
        use sea_orm::{ConnectionTrait, TryGetable};
        let mut found = std::collections::BTreeSet::new();
        for table in [
            "portal_accounts",
            "portal_account_links",
            "portal_invitations",
        ] {
            let stmt = Query::select()
                .distinct()
                .column("client_id")
                .from(table)
                .cond_where(of("client_id"))
                .to_owned();
            for row in tx.inner.query_all(&stmt).await? {
                found.insert(Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?);
            }
        }
        found.into_iter().collect()
    };
    for id in &with_portal {
        let client = ClientId::from_uuid(*id);
        let n = crate::minors::delete_of_client(tx, client).await?;
        out.add("portal_minors", n);
        let n = crate::portal::delete_of_client(tx, client).await?;
        out.add("portal", n);
    }
    let mandated = || {
        Query::select()
            .column("related_person_id")
            .from("representative_mandates")
            .cond_where(of("client_id"))
            .to_owned()
    };
    delete_where(
        tx,
        &mut out,
        "mandate_trajectories",
        col_in_select("related_person_id", mandated()),
    )
    .await?;
    for table in [
        "representative_mandates",
        "parent_access_blocks",
        "youth_consents",
        "retention_extensions",
        "retention_holds",
    ] {
        delete_where(tx, &mut out, table, of("client_id")).await?;
    }
    delete_where(tx, &mut out, "related_persons", of("client_id")).await?;
    {
        use sea_orm::ConnectionTrait;
        let stmt = Query::update()
            .table("related_persons")
            .value("linked_client_id", Option::<Uuid>::None)
            .cond_where(c.cond("linked_client_id"))
            .to_owned();
        let n = tx.inner.execute(&stmt).await?.rows_affected();
        out.add("related_persons_unlinked", n);
    }
    delete_where(tx, &mut out, "search_tokens", of("client_id")).await?;
    delete_where(tx, &mut out, "clients", c.cond("id")).await?;
    let n = client_keys::Entity::delete_many()
        .filter(c.cond("client_id"))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    out.add("client_keys", n);
    Ok(out)
}

/// One line of the destruction register as the sweep writes it (RET-6).
#[derive(Debug, Clone)]
pub struct NewRegisterRecord {
    pub at: DateTime<Utc>,
    pub kind: SubjectKind,
    pub subject: Uuid,
    pub rule: String,
    pub reason: String,
    /// `destroyed` or `anonymised`.
    pub outcome: &'static str,
    pub term_ended_on: Option<chrono::NaiveDate>,
    pub by_user: Option<UserId>,
    pub by_job: Option<String>,
    pub counts: BTreeMap<String, u64>,
}

/// Writes register lines in bulk; a subject that already has a record (a re-run after a
/// crash between commit and report cannot happen, but an item destroyed by hand in the
/// meantime can) gets no second one.
pub async fn insert_register_records(
    tx: &Tx,
    records: Vec<NewRegisterRecord>,
) -> Result<u64, StoreError> {
    if records.is_empty() {
        return Ok(0);
    }
    let mut rows = Vec::with_capacity(records.len());
    for r in records {
        let counts = serde_json::to_string(&r.counts).map_err(|e| {
            StoreError::Db(sea_orm::DbErr::Custom(format!("destruction counts: {e}")))
        })?;
        rows.push(register_entity::ActiveModel {
            id: Set(Uuid::now_v7()),
            at: Set(micros(r.at)),
            subject_kind: Set(r.kind.code().to_owned()),
            subject_id: Set(r.subject),
            rule: Set(r.rule),
            reason: Set(r.reason),
            by_user: Set(r.by_user.map(|u| u.as_uuid())),
            counts: Set(counts),
            outcome: Set(Some(r.outcome.to_owned())),
            term_ended_on: Set(r.term_ended_on),
            by_job: Set(r.by_job),
        });
    }
    crate::bulk::insert_all(tx, rows).await
}

/// A line of the destruction register as read (RET-6): no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub rule: String,
    pub reason: String,
    pub outcome: Option<String>,
    pub term_ended_on: Option<chrono::NaiveDate>,
    pub by_user: Option<UserId>,
    pub by_job: Option<String>,
    pub counts: BTreeMap<String, u64>,
}

/// Which register lines: made in `[from, to)`, of a kind, under a rule.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<String>,
    pub rule: Option<String>,
}

fn register_query(f: &RegisterFilter) -> sea_orm::Select<register_entity::Entity> {
    use register_entity::{Column, Entity};
    let mut q = Entity::find();
    if let Some(from) = f.from {
        q = q.filter(Column::At.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(Column::At.lt(to));
    }
    if let Some(kind) = &f.kind {
        q = q.filter(Column::SubjectKind.eq(kind.clone()));
    }
    if let Some(rule) = &f.rule {
        q = q.filter(Column::Rule.eq(rule.clone()));
    }
    q
}

/// One page of the register, newest first, and how many lines match in all.
pub async fn register_page(
    tx: &Tx,
    filter: &RegisterFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<RegisterRow>, u64), StoreError> {
    use register_entity::Column;
    let total = register_query(filter).count(&tx.inner).await?;
    let rows = register_query(filter)
        .order_by_desc(Column::At)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(&tx.inner)
        .await?;
    let rows = rows
        .into_iter()
        .map(register_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, total))
}

/// The rules named in the register, for the filter's choices.
pub async fn register_rules(tx: &Tx) -> Result<Vec<String>, StoreError> {
    use register_entity::{Column, Entity};
    Ok(Entity::find()
        .select_only()
        .column(Column::Rule)
        .distinct()
        .order_by_asc(Column::Rule)
        .into_tuple()
        .all(&tx.inner)
        .await?)
}

fn register_row(m: register_entity::Model) -> Result<RegisterRow, StoreError> {
    Ok(RegisterRow {
        id: m.id,
        at: m.at,
        kind: m.subject_kind,
        rule: m.rule,
        reason: m.reason,
        outcome: m.outcome,
        term_ended_on: m.term_ended_on,
        by_user: m.by_user.map(UserId::from_uuid),
        by_job: m.by_job,
        counts: serde_json::from_str(&m.counts).map_err(|_| {
            StoreError::Db(sea_orm::DbErr::Type(
                "unreadable destruction_records.counts".into(),
            ))
        })?,
    })
}
