//! Rights requests and complaints a client files (POR-4, RTS-1, CMP-1), and the
//! references that acknowledge them. A request's free text and a complaint's subject and
//! body are ciphertext sealed with the client's key; reference, kind, scope, channel,
//! dates and status are not personal content.
//!
//! Complaints live in the one `complaints` table of ACC-3 (see `grants`); a complaint from
//! the portal is a row with channel `portal`, a reference, and no handler yet.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod rights_requests {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rights_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub reference: String,
        pub client_id: Uuid,
        pub kind: String,
        pub scope: String,
        pub channel: String,
        pub received_on: Date,
        pub status: String,
        pub text_ct: Option<Vec<u8>>,
        pub portal_account_id: Option<Uuid>,
        pub registered_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod request_trajectories {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rights_request_trajectories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub trajectory_id: Uuid,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How a request is handled (RTS-1..3 and the outcome): one row per request, made on
/// the first step recorded.
mod workflow {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rights_request_workflow")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        pub identity_method: Option<String>,
        pub identity_on: Option<Date>,
        pub identity_recorded_by: Option<Uuid>,
        pub identity_recorded_at: Option<DateTimeUtc>,
        pub identity_note_ct: Option<Vec<u8>>,
        pub responded_on: Option<Date>,
        pub responded_by: Option<Uuid>,
        pub extended_on: Option<Date>,
        pub extension_reasons_ct: Option<Vec<u8>>,
        pub extended_by: Option<Uuid>,
        pub outcome: Option<String>,
        pub outcome_reasons_ct: Option<Vec<u8>>,
        pub answer_sent_on: Option<Date>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub escalated_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The complaints table as a complaint from the portal sees it: every column, the
/// optional ones optional.
mod complaints {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Option<Uuid>,
        pub received_on: Date,
        pub channel: String,
        pub subject_ct: Vec<u8>,
        pub handler_id: Option<Uuid>,
        pub closed_on: Option<Date>,
        pub created_at: DateTimeUtc,
        pub reference: Option<String>,
        pub body_ct: Option<Vec<u8>>,
        pub portal_account_id: Option<Uuid>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A rights request as stored. Read without a proof, `text_ct` is empty.
#[derive(Clone, PartialEq, Eq)]
pub struct RightsRequestRow {
    pub id: Uuid,
    /// `VZ-2026-000123`: unique, without personal data.
    pub reference: String,
    pub client_id: ClientId,
    /// `access`, `copy`, `rectification`, `erasure`, `restriction`, `portability`,
    /// `objection` or `withdrawal_of_consent`.
    pub kind: String,
    /// `all`, or `trajectories` (then [`Self::trajectories`] names them).
    pub scope: String,
    pub trajectories: Vec<TrajectoryId>,
    /// `portal`, later also `letter`, `email`, `phone`, `conversation`.
    pub channel: String,
    pub received_on: NaiveDate,
    pub status: String,
    pub text_ct: Option<Vec<u8>>,
    pub portal_account: Option<PortalAccountId>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for RightsRequestRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RightsRequestRow({}, {}, ***)",
            self.reference, self.kind
        )
    }
}

fn request_of(m: rights_requests::Model, trajectories: Vec<TrajectoryId>) -> RightsRequestRow {
    RightsRequestRow {
        id: m.id,
        reference: m.reference,
        client_id: ClientId::from_uuid(m.client_id),
        kind: m.kind,
        scope: m.scope,
        trajectories,
        channel: m.channel,
        received_on: m.received_on,
        status: m.status,
        text_ct: m.text_ct,
        portal_account: m.portal_account_id.map(PortalAccountId::from_uuid),
        created_at: m.created_at,
    }
}

/// A complaint filed from the portal, as stored. Read without a proof, the ciphertext
/// fields are empty.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalComplaintRow {
    pub id: Uuid,
    /// `KL-2026-000045`.
    pub reference: String,
    pub client_id: ClientId,
    pub trajectory_id: Option<TrajectoryId>,
    pub received_on: NaiveDate,
    pub subject_ct: Vec<u8>,
    pub body_ct: Vec<u8>,
    /// Set once a manager handles it (ACC-3).
    pub handler: Option<zv_domain::UserId>,
    pub closed_on: Option<NaiveDate>,
    pub portal_account: Option<PortalAccountId>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for PortalComplaintRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PortalComplaintRow({}, ***)", self.reference)
    }
}

impl From<complaints::Model> for PortalComplaintRow {
    fn from(m: complaints::Model) -> Self {
        Self {
            id: m.id,
            reference: m.reference.unwrap_or_default(),
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: m.trajectory_id.map(TrajectoryId::from_uuid),
            received_on: m.received_on,
            subject_ct: m.subject_ct,
            body_ct: m.body_ct.unwrap_or_default(),
            handler: m.handler_id.map(zv_domain::UserId::from_uuid),
            closed_on: m.closed_on,
            portal_account: m.portal_account_id.map(PortalAccountId::from_uuid),
            created_at: m.created_at,
        }
    }
}

/// The next number of a reference series (a prefix and a year), counted in the caller's
/// transaction: two requests filed at once never get the same number, and a request
/// that is not committed gives its number back.
pub async fn next_reference_number(tx: &Tx, prefix: &str, year: i32) -> Result<i64, StoreError> {
    let statement = Query::insert()
        .into_table("reference_counters")
        .columns(["prefix", "year", "last"])
        .values_panic([prefix.into(), i64::from(year).into(), 1i64.into()])
        .on_conflict(
            OnConflict::columns(["prefix", "year"])
                .value("last", Expr::col(("reference_counters", "last")).add(1i64))
                .to_owned(),
        )
        .returning_col("last")
        .to_owned();
    let row = tx
        .inner
        .query_one(&statement)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.try_get::<i64>("", "last")?)
}

pub async fn insert_request(tx: &Tx, r: &RightsRequestRow) -> Result<(), StoreError> {
    insert_request_registered(tx, r, None).await
}

/// Inserts a request a staff member registered (RTS-1: received by letter, e-mail,
/// phone or in conversation), naming who registered it.
pub async fn insert_request_registered(
    tx: &Tx,
    r: &RightsRequestRow,
    registered_by: Option<UserId>,
) -> Result<(), StoreError> {
    rights_requests::Entity::insert(rights_requests::ActiveModel {
        id: Set(r.id),
        reference: Set(r.reference.clone()),
        client_id: Set(r.client_id.as_uuid()),
        kind: Set(r.kind.clone()),
        scope: Set(r.scope.clone()),
        channel: Set(r.channel.clone()),
        received_on: Set(r.received_on),
        status: Set(r.status.clone()),
        text_ct: Set(r.text_ct.clone()),
        portal_account_id: Set(r.portal_account.map(|a| a.as_uuid())),
        registered_by: Set(registered_by.map(|u| u.as_uuid())),
        created_at: Set(micros(r.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    for t in &r.trajectories {
        request_trajectories::Entity::insert(request_trajectories::ActiveModel {
            request_id: Set(r.id),
            trajectory_id: Set(t.as_uuid()),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

async fn with_trajectories(
    tx: &Tx,
    rows: Vec<rights_requests::Model>,
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let pairs: Vec<(Uuid, Uuid)> = if ids.is_empty() {
        Vec::new()
    } else {
        request_trajectories::Entity::find()
            .filter(request_trajectories::Column::RequestId.is_in(ids))
            .order_by_asc(request_trajectories::Column::TrajectoryId)
            .select_only()
            .column(request_trajectories::Column::RequestId)
            .column(request_trajectories::Column::TrajectoryId)
            .into_tuple()
            .all(&tx.inner)
            .await?
    };
    Ok(rows
        .into_iter()
        .map(|m| {
            let of = pairs
                .iter()
                .filter(|(r, _)| *r == m.id)
                .map(|(_, t)| TrajectoryId::from_uuid(*t))
                .collect();
            request_of(m, of)
        })
        .collect())
}

/// The rights requests of the proof's client, newest first, with their sealed text.
pub async fn requests_of_client(
    tx: &Tx,
    auth: &Authorized,
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let rows = rights_requests::Entity::find()
        .filter(rights_requests::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_desc(rights_requests::Column::CreatedAt)
        .order_by_desc(rights_requests::Column::Id)
        .all(&tx.inner)
        .await?;
    with_trajectories(tx, rows).await
}

/// A request without its text: whose client (for the gate).
pub async fn request_meta(tx: &Tx, id: Uuid) -> Result<Option<RightsRequestRow>, StoreError> {
    let Some(m) = rights_requests::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    let mut rows = with_trajectories(tx, vec![m]).await?;
    Ok(rows.pop().map(|mut r| {
        r.text_ct = r.text_ct.map(|_| Vec::new());
        r
    }))
}

/// One request with its sealed text, if it belongs to the proof's client.
pub async fn get_request(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<RightsRequestRow>, StoreError> {
    let Some(m) = rights_requests::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(with_trajectories(tx, vec![m]).await?.pop())
}

/// Every rights request, newest first, without text (the privacy officer's list).
pub async fn list_requests(tx: &Tx, limit: u64) -> Result<Vec<RightsRequestRow>, StoreError> {
    let rows = rights_requests::Entity::find()
        .order_by_desc(rights_requests::Column::CreatedAt)
        .order_by_desc(rights_requests::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?;
    Ok(with_trajectories(tx, rows)
        .await?
        .into_iter()
        .map(|mut r| {
            r.text_ct = r.text_ct.map(|_| Vec::new());
            r
        })
        .collect())
}

pub async fn count_requests(tx: &Tx) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(rights_requests::Entity::find().count(&tx.inner).await?)
}

pub async fn insert_portal_complaint(tx: &Tx, c: &PortalComplaintRow) -> Result<(), StoreError> {
    complaints::Entity::insert(complaints::ActiveModel {
        id: Set(c.id),
        client_id: Set(c.client_id.as_uuid()),
        trajectory_id: Set(c.trajectory_id.map(|t| t.as_uuid())),
        received_on: Set(c.received_on),
        channel: Set("portal".to_owned()),
        subject_ct: Set(c.subject_ct.clone()),
        handler_id: Set(None),
        closed_on: Set(None),
        created_at: Set(micros(c.created_at)),
        reference: Set(Some(c.reference.clone())),
        body_ct: Set(Some(c.body_ct.clone())),
        portal_account_id: Set(c.portal_account.map(|a| a.as_uuid())),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Complaints filed from the portal: with a reference and channel `portal`. A complaint a
/// manager registered about a trajectory may come from someone else than the client, so
/// it is not one of these.
fn from_portal() -> Condition {
    Condition::all()
        .add(complaints::Column::Channel.eq("portal"))
        .add(complaints::Column::Reference.is_not_null())
}

/// The complaints the proof's client filed from the portal, newest first, sealed.
pub async fn portal_complaints_of_client(
    tx: &Tx,
    auth: &Authorized,
) -> Result<Vec<PortalComplaintRow>, StoreError> {
    Ok(complaints::Entity::find()
        .filter(from_portal())
        .filter(complaints::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_desc(complaints::Column::CreatedAt)
        .order_by_desc(complaints::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(PortalComplaintRow::from)
        .collect())
}

/// A complaint from the portal without its content: whose client (for the gate).
pub async fn portal_complaint_meta(
    tx: &Tx,
    id: Uuid,
) -> Result<Option<PortalComplaintRow>, StoreError> {
    Ok(complaints::Entity::find_by_id(id)
        .filter(from_portal())
        .one(&tx.inner)
        .await?
        .map(|m| PortalComplaintRow {
            subject_ct: Vec::new(),
            body_ct: Vec::new(),
            ..PortalComplaintRow::from(m)
        }))
}

/// One complaint from the portal with its sealed subject and body.
pub async fn get_portal_complaint(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<PortalComplaintRow>, StoreError> {
    let Some(m) = complaints::Entity::find_by_id(id)
        .filter(from_portal())
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.into()))
}

/// Every complaint filed from the portal, newest first, without content.
pub async fn list_portal_complaints(
    tx: &Tx,
    limit: u64,
) -> Result<Vec<PortalComplaintRow>, StoreError> {
    Ok(complaints::Entity::find()
        .filter(from_portal())
        .order_by_desc(complaints::Column::CreatedAt)
        .order_by_desc(complaints::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| PortalComplaintRow {
            subject_ct: Vec::new(),
            body_ct: Vec::new(),
            ..PortalComplaintRow::from(m)
        })
        .collect())
}

pub async fn count_portal_complaints(tx: &Tx) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(complaints::Entity::find()
        .filter(from_portal())
        .count(&tx.inner)
        .await?)
}

/// Removes every rights request of a client (destruction); its complaints go with the
/// grants (`grants::delete_of_client`).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let of_client = Query::select()
        .column(rights_requests::Column::Id)
        .from(rights_requests::Entity)
        .and_where(Expr::col(rights_requests::Column::ClientId).eq(client.as_uuid()))
        .to_owned();
    let handling = workflow::Entity::delete_many()
        .filter(workflow::Column::RequestId.in_subquery(of_client.clone()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let scopes = request_trajectories::Entity::delete_many()
        .filter(request_trajectories::Column::RequestId.in_subquery(of_client))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let requests = rights_requests::Entity::delete_many()
        .filter(rights_requests::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(handling + scopes + requests)
}

/// A destroyed trajectory leaves the scope of the requests that named it.
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    Ok(request_trajectories::Entity::delete_many()
        .filter(request_trajectories::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// How a request is handled, as stored. Read without a proof, the sealed fields are
/// `Some(empty)` where something is recorded.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestWorkflowRow {
    pub request_id: Uuid,
    /// The staff member who registered a request received outside the portal.
    pub registered_by: Option<UserId>,
    /// RTS-2: how identity was established (a code of the core).
    pub identity_method: Option<String>,
    pub identity_on: Option<NaiveDate>,
    /// `None` with a method recorded: the portal sign-in recorded it by itself.
    pub identity_recorded_by: Option<UserId>,
    pub identity_recorded_at: Option<DateTime<Utc>>,
    pub identity_note_ct: Option<Vec<u8>>,
    pub responded_on: Option<NaiveDate>,
    pub responded_by: Option<UserId>,
    pub extended_on: Option<NaiveDate>,
    pub extension_reasons_ct: Option<Vec<u8>>,
    pub extended_by: Option<UserId>,
    /// `granted`, `partly_granted` or `refused`.
    pub outcome: Option<String>,
    pub outcome_reasons_ct: Option<Vec<u8>>,
    pub answer_sent_on: Option<NaiveDate>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for RequestWorkflowRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RequestWorkflowRow({}, ***)", self.request_id)
    }
}

fn workflow_of(m: workflow::Model, registered_by: Option<Uuid>) -> RequestWorkflowRow {
    RequestWorkflowRow {
        request_id: m.request_id,
        registered_by: registered_by.map(UserId::from_uuid),
        identity_method: m.identity_method,
        identity_on: m.identity_on,
        identity_recorded_by: m.identity_recorded_by.map(UserId::from_uuid),
        identity_recorded_at: m.identity_recorded_at,
        identity_note_ct: m.identity_note_ct,
        responded_on: m.responded_on,
        responded_by: m.responded_by.map(UserId::from_uuid),
        extended_on: m.extended_on,
        extension_reasons_ct: m.extension_reasons_ct,
        extended_by: m.extended_by.map(UserId::from_uuid),
        outcome: m.outcome,
        outcome_reasons_ct: m.outcome_reasons_ct,
        answer_sent_on: m.answer_sent_on,
        decided_by: m.decided_by.map(UserId::from_uuid),
        decided_at: m.decided_at,
        escalated_at: m.escalated_at,
    }
}

fn without_content(mut w: RequestWorkflowRow) -> RequestWorkflowRow {
    let blank = |c: Option<Vec<u8>>| c.map(|_| Vec::new());
    w.identity_note_ct = blank(w.identity_note_ct);
    w.extension_reasons_ct = blank(w.extension_reasons_ct);
    w.outcome_reasons_ct = blank(w.outcome_reasons_ct);
    w
}

/// The handling of the given requests, without sealed content; a request with nothing
/// recorded yet gets an empty row. In the order of `ids`.
pub async fn workflow_meta(tx: &Tx, ids: &[Uuid]) -> Result<Vec<RequestWorkflowRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = workflow::Entity::find()
        .filter(workflow::Column::RequestId.is_in(ids.iter().copied()))
        .all(&tx.inner)
        .await?;
    let registered: Vec<(Uuid, Option<Uuid>)> = rights_requests::Entity::find()
        .filter(rights_requests::Column::Id.is_in(ids.iter().copied()))
        .select_only()
        .column(rights_requests::Column::Id)
        .column(rights_requests::Column::RegisteredBy)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(ids
        .iter()
        .map(|id| {
            let by = registered
                .iter()
                .find(|(r, _)| r == id)
                .and_then(|(_, b)| *b);
            rows.iter().find(|m| m.request_id == *id).map_or_else(
                || RequestWorkflowRow {
                    request_id: *id,
                    registered_by: by.map(UserId::from_uuid),
                    ..RequestWorkflowRow::default()
                },
                |m| without_content(workflow_of(m.clone(), by)),
            )
        })
        .collect())
}

/// The handling of one request with its sealed content, if the request belongs to the
/// proof's client.
pub async fn get_workflow(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<RequestWorkflowRow>, StoreError> {
    let Some(r) = rights_requests::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(r.client_id))?;
    let m = workflow::Entity::find_by_id(id).one(&tx.inner).await?;
    Ok(Some(m.map_or_else(
        || RequestWorkflowRow {
            request_id: id,
            registered_by: r.registered_by.map(UserId::from_uuid),
            ..RequestWorkflowRow::default()
        },
        |m| workflow_of(m, r.registered_by),
    )))
}

/// Every request not yet closed, oldest received first, without text (the queue and
/// the escalation job).
pub async fn open_requests(tx: &Tx, limit: u64) -> Result<Vec<RightsRequestRow>, StoreError> {
    let rows = rights_requests::Entity::find()
        .filter(rights_requests::Column::Status.ne("closed"))
        .order_by_asc(rights_requests::Column::ReceivedOn)
        .order_by_asc(rights_requests::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?;
    Ok(with_trajectories(tx, rows)
        .await?
        .into_iter()
        .map(|mut r| {
            r.text_ct = r.text_ct.map(|_| Vec::new());
            r
        })
        .collect())
}

/// Makes the request's handling row if it has none yet.
async fn ensure_workflow(tx: &Tx, id: Uuid) -> Result<(), StoreError> {
    let statement = Query::insert()
        .into_table("rights_request_workflow")
        .columns(["request_id"])
        .values_panic([id.into()])
        .on_conflict(OnConflict::column("request_id").do_nothing().to_owned())
        .to_owned();
    tx.inner.execute(&statement).await?;
    Ok(())
}

/// Sets the columns of one request's handling row where `only_if` holds; how many rows
/// changed (0 or 1).
async fn update_workflow(
    tx: &Tx,
    id: Uuid,
    values: Vec<(workflow::Column, sea_orm::sea_query::SimpleExpr)>,
    only_if: Option<Condition>,
) -> Result<u64, StoreError> {
    ensure_workflow(tx, id).await?;
    let mut update = workflow::Entity::update_many().filter(workflow::Column::RequestId.eq(id));
    if let Some(c) = only_if {
        update = update.filter(c);
    }
    for (column, value) in values {
        update = update.col_expr(column, value);
    }
    Ok(update.exec(&tx.inner).await?.rows_affected)
}

fn v<T: Into<sea_orm::Value>>(value: T) -> sea_orm::sea_query::SimpleExpr {
    Expr::value(value)
}

/// Sets a request's status (`received`, `in_progress`, `closed`).
pub async fn set_status(tx: &Tx, id: Uuid, status: &str) -> Result<(), StoreError> {
    rights_requests::Entity::update_many()
        .filter(rights_requests::Column::Id.eq(id))
        .col_expr(rights_requests::Column::Status, v(status))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// What identity was established with (RTS-2). Never an ID copy: there is no column
/// that could hold one.
pub struct NewIdentity<'a> {
    pub method: &'a str,
    pub on: NaiveDate,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    pub note_ct: Option<Vec<u8>>,
}

pub async fn record_identity(tx: &Tx, id: Uuid, i: NewIdentity<'_>) -> Result<(), StoreError> {
    update_workflow(
        tx,
        id,
        vec![
            (workflow::Column::IdentityMethod, v(i.method.to_owned())),
            (workflow::Column::IdentityOn, v(i.on)),
            (
                workflow::Column::IdentityRecordedBy,
                v(i.recorded_by.map(|u| u.as_uuid())),
            ),
            (
                workflow::Column::IdentityRecordedAt,
                v(micros(i.recorded_at)),
            ),
            (workflow::Column::IdentityNoteCt, v(i.note_ct)),
        ],
        None,
    )
    .await?;
    Ok(())
}

/// Records the first reaction (RTS-3); a later record replaces the day.
pub async fn record_reaction(
    tx: &Tx,
    id: Uuid,
    on: NaiveDate,
    by: UserId,
) -> Result<(), StoreError> {
    update_workflow(
        tx,
        id,
        vec![
            (workflow::Column::RespondedOn, v(on)),
            (workflow::Column::RespondedBy, v(by.as_uuid())),
        ],
        None,
    )
    .await?;
    Ok(())
}

/// Records the extension (RTS-3) unless one is recorded already: whether it was.
pub async fn record_extension(
    tx: &Tx,
    id: Uuid,
    on: NaiveDate,
    reasons_ct: Vec<u8>,
    by: UserId,
) -> Result<bool, StoreError> {
    let changed = update_workflow(
        tx,
        id,
        vec![
            (workflow::Column::ExtendedOn, v(on)),
            (workflow::Column::ExtensionReasonsCt, v(reasons_ct)),
            (workflow::Column::ExtendedBy, v(by.as_uuid())),
        ],
        Some(Condition::all().add(workflow::Column::ExtendedOn.is_null())),
    )
    .await?;
    Ok(changed == 1)
}

/// The decision on a request.
pub struct NewOutcome<'a> {
    pub outcome: &'a str,
    pub reasons_ct: Option<Vec<u8>>,
    pub answer_sent_on: NaiveDate,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

/// Records the decision and closes the request, unless decided already: whether it was.
pub async fn record_outcome(tx: &Tx, id: Uuid, o: NewOutcome<'_>) -> Result<bool, StoreError> {
    let changed = update_workflow(
        tx,
        id,
        vec![
            (workflow::Column::Outcome, v(o.outcome.to_owned())),
            (workflow::Column::OutcomeReasonsCt, v(o.reasons_ct)),
            (workflow::Column::AnswerSentOn, v(o.answer_sent_on)),
            (workflow::Column::DecidedBy, v(o.decided_by.as_uuid())),
            (workflow::Column::DecidedAt, v(micros(o.decided_at))),
        ],
        Some(Condition::all().add(workflow::Column::Outcome.is_null())),
    )
    .await?;
    if changed == 1 {
        set_status(tx, id, "closed").await?;
    }
    Ok(changed == 1)
}

/// Marks an overdue request escalated, unless it was already: whether this call did.
/// The condition in the statement itself makes two runs at once escalate it once.
pub async fn mark_escalated(tx: &Tx, id: Uuid, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let changed = update_workflow(
        tx,
        id,
        vec![(workflow::Column::EscalatedAt, v(micros(at)))],
        Some(Condition::all().add(workflow::Column::EscalatedAt.is_null())),
    )
    .await?;
    Ok(changed == 1)
}
