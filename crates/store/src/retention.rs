//! Keeping longer (RET-5) and what is due (RET-4): extensions of a trajectory's term,
//! holds on a trajectory or a client, and the queries that decide what the sweep may
//! destroy. Metadata only: reasons are written without naming the client, and nothing
//! here returns dossier content, so no proof is needed.
//!
//! What blocks destruction of a trajectory on a day:
//! - its current extension ends after that day;
//! - an open hold on it, or on its client (legal claim, incident);
//! - an open rights request of its client (the answer may need the data);
//! - an open complaint about it, or one of its client not yet tied to a trajectory.
//!
//! Requests and complaints are read live from their own tables, so a hold cannot outlive
//! the request or complaint it stands for, and none is forgotten.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait as _};
use uuid::Uuid;
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::entity::trajectories;
use crate::fixed::{Fixed, PerLength};
use crate::rows::micros;
use crate::{StoreError, Tx};

mod extension_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "retention_extensions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub trajectory_id: Uuid,
        pub client_id: Uuid,
        pub extended_until: Date,
        pub reason: String,
        pub decided_by: Uuid,
        pub decided_at: DateTimeUtc,
        pub superseded_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod hold_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "retention_holds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub trajectory_id: Option<Uuid>,
        pub client_id: Uuid,
        pub kind: String,
        pub reason: String,
        pub placed_by: Uuid,
        pub placed_at: DateTimeUtc,
        pub released_by: Option<Uuid>,
        pub released_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A new end date for a trajectory's dossier (RET-5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExtension {
    pub id: Uuid,
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub extended_until: NaiveDate,
    pub reason: String,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

/// An extension as stored; `superseded_at` is set once a later one replaced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRow {
    pub id: Uuid,
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub extended_until: NaiveDate,
    pub reason: String,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
}

impl From<extension_rows::Model> for ExtensionRow {
    fn from(m: extension_rows::Model) -> Self {
        Self {
            id: m.id,
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            client_id: ClientId::from_uuid(m.client_id),
            extended_until: m.extended_until,
            reason: m.reason,
            decided_by: UserId::from_uuid(m.decided_by),
            decided_at: m.decided_at,
            superseded_at: m.superseded_at,
        }
    }
}

/// A hold placed by hand: on one trajectory, or on every trajectory of a client when
/// `trajectory_id` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHold {
    pub id: Uuid,
    pub trajectory_id: Option<TrajectoryId>,
    pub client_id: ClientId,
    /// `legal_claim` or `incident`.
    pub kind: String,
    pub reason: String,
    pub placed_by: UserId,
    pub placed_at: DateTime<Utc>,
}

/// A hold as stored; open while `released_at` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRow {
    pub id: Uuid,
    pub trajectory_id: Option<TrajectoryId>,
    pub client_id: ClientId,
    pub kind: String,
    pub reason: String,
    pub placed_by: UserId,
    pub placed_at: DateTime<Utc>,
    pub released_by: Option<UserId>,
    pub released_at: Option<DateTime<Utc>>,
}

impl From<hold_rows::Model> for HoldRow {
    fn from(m: hold_rows::Model) -> Self {
        Self {
            id: m.id,
            trajectory_id: m.trajectory_id.map(TrajectoryId::from_uuid),
            client_id: ClientId::from_uuid(m.client_id),
            kind: m.kind,
            reason: m.reason,
            placed_by: UserId::from_uuid(m.placed_by),
            placed_at: m.placed_at,
            released_by: m.released_by.map(UserId::from_uuid),
            released_at: m.released_at,
        }
    }
}

/// Records an extension; the one in force until now is superseded at the same moment.
pub async fn insert_extension(tx: &Tx, e: &NewExtension) -> Result<(), StoreError> {
    extension_rows::Entity::update_many()
        .col_expr(
            extension_rows::Column::SupersededAt,
            Expr::value(micros(e.decided_at)),
        )
        .filter(extension_rows::Column::TrajectoryId.eq(e.trajectory_id.as_uuid()))
        .filter(extension_rows::Column::SupersededAt.is_null())
        .exec(&tx.inner)
        .await?;
    extension_rows::Entity::insert(extension_rows::ActiveModel {
        id: Set(e.id),
        trajectory_id: Set(e.trajectory_id.as_uuid()),
        client_id: Set(e.client_id.as_uuid()),
        extended_until: Set(e.extended_until),
        reason: Set(e.reason.clone()),
        decided_by: Set(e.decided_by.as_uuid()),
        decided_at: Set(micros(e.decided_at)),
        superseded_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The extension in force for a trajectory, if any.
pub async fn current_extension(
    tx: &Tx,
    trajectory: TrajectoryId,
) -> Result<Option<ExtensionRow>, StoreError> {
    Ok(extension_rows::Entity::find()
        .filter(extension_rows::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .filter(extension_rows::Column::SupersededAt.is_null())
        .one(&tx.inner)
        .await?
        .map(ExtensionRow::from))
}

/// Every extension of several trajectories (a client's), in one query: each
/// trajectory's current one (not superseded) before its earlier ones, and those newest
/// first. A dossier shows its own history and keeps the client's data until the latest
/// term in force among all of them.
pub async fn extensions_of_all(
    tx: &Tx,
    trajectories: &[TrajectoryId],
) -> Result<Vec<ExtensionRow>, StoreError> {
    if trajectories.is_empty() {
        return Ok(Vec::new());
    }
    static Q: PerLength<8> = PerLength::new();
    let ids: Vec<Uuid> = trajectories.iter().map(|t| t.as_uuid()).collect();
    let values = ids.iter().map(|&t| t.into()).collect();
    let mut rows: Vec<ExtensionRow> = Q
        .models(tx, ids.len(), values, || {
            extension_rows::Entity::find()
                .filter(extension_rows::Column::TrajectoryId.is_in(ids.iter().copied()))
                .order_by_desc(extension_rows::Column::DecidedAt)
                .order_by_desc(extension_rows::Column::Id)
        })
        .await?
        .into_iter()
        .map(ExtensionRow::from)
        .collect();
    rows.sort_by_key(|r| r.superseded_at.is_some());
    Ok(rows)
}

pub async fn insert_hold(tx: &Tx, h: &NewHold) -> Result<(), StoreError> {
    hold_rows::Entity::insert(hold_rows::ActiveModel {
        id: Set(h.id),
        trajectory_id: Set(h.trajectory_id.map(|t| t.as_uuid())),
        client_id: Set(h.client_id.as_uuid()),
        kind: Set(h.kind.clone()),
        reason: Set(h.reason.clone()),
        placed_by: Set(h.placed_by.as_uuid()),
        placed_at: Set(micros(h.placed_at)),
        released_by: Set(None),
        released_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// One hold by its id.
pub async fn find_hold(tx: &Tx, id: Uuid) -> Result<Option<HoldRow>, StoreError> {
    Ok(hold_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(HoldRow::from))
}

/// Releases an open hold; `false` when it was released already (or never existed).
pub async fn release_hold(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = hold_rows::Entity::update_many()
        .col_expr(hold_rows::Column::ReleasedBy, Expr::value(by.as_uuid()))
        .col_expr(hold_rows::Column::ReleasedAt, Expr::value(micros(at)))
        .filter(hold_rows::Column::Id.eq(id))
        .filter(hold_rows::Column::ReleasedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// The holds that cover a trajectory: its own and its client's, open first, then the
/// released ones, each newest first.
pub async fn holds_of(
    tx: &Tx,
    trajectory: TrajectoryId,
    client: ClientId,
) -> Result<Vec<HoldRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client) = (trajectory.as_uuid(), client.as_uuid());
    let mut rows: Vec<HoldRow> = Q
        .models(tx, vec![trajectory.into(), client.into()], || {
            hold_rows::Entity::find()
                .filter(
                    Condition::any()
                        .add(hold_rows::Column::TrajectoryId.eq(trajectory))
                        .add(
                            Condition::all()
                                .add(hold_rows::Column::TrajectoryId.is_null())
                                .add(hold_rows::Column::ClientId.eq(client)),
                        ),
                )
                .order_by_desc(hold_rows::Column::PlacedAt)
                .order_by_desc(hold_rows::Column::Id)
        })
        .await?
        .into_iter()
        .map(HoldRow::from)
        .collect();
    rows.sort_by_key(|r| r.released_at.is_some());
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// What blocks destruction, as subqueries correlated with the outer `trajectories` row.

fn t(table: &'static str, column: &'static str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// An extension in force that keeps the data on `on`: its date is the last day kept,
/// as a retention date is.
fn extended_beyond(on: NaiveDate) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("retention_extensions"))
        .and_where(
            t("retention_extensions", "trajectory_id")
                .equals((trajectories::Entity, trajectories::Column::Id)),
        )
        .and_where(t("retention_extensions", "superseded_at").is_null())
        .and_where(t("retention_extensions", "extended_until").gte(on))
        .to_owned()
}

/// A row of `table` about the outer trajectory: on it, or on its client without naming
/// any trajectory.
fn on_trajectory_or_client(table: &'static str) -> Condition {
    Condition::any()
        .add(t(table, "trajectory_id").equals((trajectories::Entity, trajectories::Column::Id)))
        .add(
            Condition::all()
                .add(t(table, "trajectory_id").is_null())
                .add(
                    t(table, "client_id")
                        .equals((trajectories::Entity, trajectories::Column::ClientId)),
                ),
        )
}

/// An open hold placed by hand on the trajectory or on its client.
fn manual_hold() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("retention_holds"))
        .and_where(t("retention_holds", "released_at").is_null())
        .cond_where(on_trajectory_or_client("retention_holds"))
        .to_owned()
}

/// An open rights request of the trajectory's client.
fn open_request() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("rights_requests"))
        .and_where(
            t("rights_requests", "client_id")
                .equals((trajectories::Entity, trajectories::Column::ClientId)),
        )
        .and_where(t("rights_requests", "status").ne("closed"))
        .to_owned()
}

/// An open complaint about the trajectory: its first trajectory, one of its complaint
/// grants, or a complaint of the client not yet tied to any trajectory.
fn open_complaint() -> SelectStatement {
    let granted = Query::select()
        .column(Alias::new("complaint_id"))
        .from(Alias::new("access_grants"))
        .and_where(t("access_grants", "kind").eq("complaint"))
        .and_where(
            t("access_grants", "trajectory_id")
                .equals((trajectories::Entity, trajectories::Column::Id)),
        )
        .to_owned();
    Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("complaints"))
        .and_where(t("complaints", "closed_on").is_null())
        .cond_where(
            on_trajectory_or_client("complaints").add(t("complaints", "id").in_subquery(granted)),
        )
        .to_owned()
}

/// The ids of the closed trajectories nothing keeps on `on`: the one definition of
/// "may be destroyed" that the work list and the single check share.
fn destroyable_on(on: NaiveDate) -> sea_orm::Select<trajectories::Entity> {
    trajectories::Entity::find()
        .select_only()
        .column(trajectories::Column::Id)
        .filter(trajectories::Column::ClosedOn.is_not_null())
        .filter(trajectories::Column::RetentionUntil.lt(on))
        .filter(Expr::exists(extended_beyond(on)).not())
        .filter(Expr::exists(manual_hold()).not())
        .filter(Expr::exists(open_request()).not())
        .filter(Expr::exists(open_complaint()).not())
}

/// The trajectories the sweep may destroy on `on`: a retention date before it, no
/// extension beyond it, no open hold of any kind. Ordered by id after `after`, so a run
/// can walk the list in pages and resume after an interruption.
pub async fn due_trajectories(
    tx: &Tx,
    on: NaiveDate,
    after: Option<TrajectoryId>,
    limit: u64,
) -> Result<Vec<TrajectoryId>, StoreError> {
    let mut q = destroyable_on(on);
    if let Some(after) = after {
        q = q.filter(trajectories::Column::Id.gt(after.as_uuid()));
    }
    let ids: Vec<Uuid> = q
        .order_by_asc(trajectories::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(ids.into_iter().map(TrajectoryId::from_uuid).collect())
}

/// Whether anything stops destroying the trajectory on `on`: still open, no retention
/// date or one on or after `on`, an extension beyond it, or an open hold. A trajectory that
/// no longer exists is blocked too: there is nothing left to destroy. The sweep asks this
/// again inside the transaction that destroys, so a hold placed after its work list was
/// read still counts.
pub async fn is_blocked(
    tx: &Tx,
    trajectory: TrajectoryId,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let due: Option<Uuid> = destroyable_on(on)
        .filter(trajectories::Column::Id.eq(trajectory.as_uuid()))
        .into_tuple()
        .one(&tx.inner)
        .await?;
    Ok(due.is_none())
}

/// One line of the destruction schedule: a trajectory whose term ends by the horizon
/// (or has ended), with what holds it. No content, no name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub team_code: String,
    pub domestic_violence: bool,
    pub retention_until: NaiveDate,
    pub manual_hold: bool,
    pub open_request: bool,
    pub open_complaint: bool,
}

/// The trajectories whose term ends on or before `until`, earliest first, leaving out
/// those extended beyond `until` (they are not due in the period). At most `limit`.
pub async fn schedule(
    tx: &Tx,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<ScheduleRow>, StoreError> {
    type Line = (
        Uuid,
        Uuid,
        String,
        String,
        bool,
        NaiveDate,
        bool,
        bool,
        bool,
    );
    let rows: Vec<Line> = trajectories::Entity::find()
        .select_only()
        .column(trajectories::Column::Id)
        .column(trajectories::Column::ClientId)
        .column(trajectories::Column::ServiceType)
        .column(trajectories::Column::TeamCode)
        .column(trajectories::Column::DomesticViolence)
        .column(trajectories::Column::RetentionUntil)
        .expr_as(Expr::exists(manual_hold()), "zv_manual_hold")
        .expr_as(Expr::exists(open_request()), "zv_open_request")
        .expr_as(Expr::exists(open_complaint()), "zv_open_complaint")
        .filter(trajectories::Column::RetentionUntil.lte(until))
        .filter(Expr::exists(extended_beyond(until)).not())
        .order_by_asc(trajectories::Column::RetentionUntil)
        .order_by_asc(trajectories::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, client, service, team, dv, until, manual, request, complaint)| ScheduleRow {
                trajectory_id: TrajectoryId::from_uuid(id),
                client_id: ClientId::from_uuid(client),
                service_type: service,
                team_code: team,
                domestic_violence: dv,
                retention_until: until,
                manual_hold: manual,
                open_request: request,
                open_complaint: complaint,
            },
        )
        .collect())
}

/// How many trajectories' terms end on or before `until` without an extension beyond
/// it (the privacy officer's start page).
pub async fn count_due_by(tx: &Tx, until: NaiveDate) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait as _;
    Ok(trajectories::Entity::find()
        .filter(trajectories::Column::RetentionUntil.lte(until))
        .filter(Expr::exists(extended_beyond(until)).not())
        .count(&tx.inner)
        .await?)
}

/// Whether an open rights request of the client or an open complaint about the
/// trajectory holds it, read live (for the dossier's retention block).
pub async fn automatic_holds(
    tx: &Tx,
    trajectory: TrajectoryId,
) -> Result<(bool, bool), StoreError> {
    static Q: Fixed = Fixed::new();
    let trajectory = trajectory.as_uuid();
    // The values of `open_request` and `open_complaint`, then the trajectory's id.
    let values = vec![
        1_i32.into(),
        "closed".into(),
        1_i32.into(),
        "complaint".into(),
        trajectory.into(),
    ];
    let row = Q
        .row(tx, values, || {
            trajectories::Entity::find()
                .select_only()
                .expr_as(Expr::exists(open_request()), "zv_open_request")
                .expr_as(Expr::exists(open_complaint()), "zv_open_complaint")
                .filter(trajectories::Column::Id.eq(trajectory))
                .into_query()
        })
        .await?;
    let Some(row) = row else {
        return Ok((false, false));
    };
    Ok((
        row.try_get("", "zv_open_request")?,
        row.try_get("", "zv_open_complaint")?,
    ))
}
