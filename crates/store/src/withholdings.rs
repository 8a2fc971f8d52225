//! Withholdings (POR-2): what the caseworker keeps from the client's online dossier, an
//! entry as a whole or a passage of it, on a stated ground, until it is lifted; and the
//! privacy officer's review of each. The passage, the explanation, the reason for lifting
//! and the review note are ciphertext sealed with the client's key; scope, ground, flags,
//! who and when are not personal content and are readable without a proof.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{ClientId, EntryId, TrajectoryId, UserId};

use crate::fixed::Fixed;
use crate::rows::micros;
use crate::{Authorized, ReadProof, StoreError, Tx};

mod table {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "withholdings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub entry_id: Uuid,
        pub scope: String,
        pub passage_ct: Option<Vec<u8>>,
        pub ground: String,
        pub explanation_ct: Vec<u8>,
        pub hide_fact: bool,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub lifted_at: Option<DateTimeUtc>,
        pub lifted_by: Option<Uuid>,
        pub lift_reason_ct: Option<Vec<u8>>,
        pub reviewed_at: Option<DateTimeUtc>,
        pub reviewed_by: Option<Uuid>,
        pub review_outcome: Option<String>,
        pub review_note_ct: Option<Vec<u8>>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use table::{Column, Entity};

/// A withholding as stored. Read without a proof, the ciphertext fields are empty.
#[derive(Clone, PartialEq, Eq)]
pub struct WithholdingRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub entry_id: EntryId,
    /// `entry` or `passage`.
    pub scope: String,
    pub passage_ct: Option<Vec<u8>>,
    pub ground: String,
    pub explanation_ct: Vec<u8>,
    pub hide_fact: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<UserId>,
    pub lift_reason_ct: Option<Vec<u8>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<UserId>,
    /// `agree` or `ask_to_lift`.
    pub review_outcome: Option<String>,
    pub review_note_ct: Option<Vec<u8>>,
}

impl std::fmt::Debug for WithholdingRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WithholdingRow({}, {}, ***)", self.id, self.scope)
    }
}

impl From<table::Model> for WithholdingRow {
    fn from(m: table::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            entry_id: EntryId::from_uuid(m.entry_id),
            scope: m.scope,
            passage_ct: m.passage_ct,
            ground: m.ground,
            explanation_ct: m.explanation_ct,
            hide_fact: m.hide_fact,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            lifted_at: m.lifted_at,
            lifted_by: m.lifted_by.map(UserId::from_uuid),
            lift_reason_ct: m.lift_reason_ct,
            reviewed_at: m.reviewed_at,
            reviewed_by: m.reviewed_by.map(UserId::from_uuid),
            review_outcome: m.review_outcome,
            review_note_ct: m.review_note_ct,
        }
    }
}

impl WithholdingRow {
    /// The row without any of its ciphertext.
    fn without_content(mut self) -> Self {
        self.passage_ct = self.passage_ct.map(|_| Vec::new());
        self.explanation_ct = Vec::new();
        self.lift_reason_ct = self.lift_reason_ct.map(|_| Vec::new());
        self.review_note_ct = self.review_note_ct.map(|_| Vec::new());
        self
    }
}

pub async fn insert(tx: &Tx, w: &WithholdingRow) -> Result<(), StoreError> {
    Entity::insert(table::ActiveModel {
        id: Set(w.id),
        client_id: Set(w.client_id.as_uuid()),
        trajectory_id: Set(w.trajectory_id.as_uuid()),
        entry_id: Set(w.entry_id.as_uuid()),
        scope: Set(w.scope.clone()),
        passage_ct: Set(w.passage_ct.clone()),
        ground: Set(w.ground.clone()),
        explanation_ct: Set(w.explanation_ct.clone()),
        hide_fact: Set(w.hide_fact),
        created_by: Set(w.created_by.as_uuid()),
        created_at: Set(micros(w.created_at)),
        lifted_at: Set(w.lifted_at.map(micros)),
        lifted_by: Set(w.lifted_by.map(|u| u.as_uuid())),
        lift_reason_ct: Set(w.lift_reason_ct.clone()),
        reviewed_at: Set(w.reviewed_at.map(micros)),
        reviewed_by: Set(w.reviewed_by.map(|u| u.as_uuid())),
        review_outcome: Set(w.review_outcome.clone()),
        review_note_ct: Set(w.review_note_ct.clone()),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// A withholding without its content: whose client, which entry (for the gate).
pub async fn meta(tx: &Tx, id: Uuid) -> Result<Option<WithholdingRow>, StoreError> {
    Ok(Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(|m| WithholdingRow::from(m).without_content()))
}

/// One withholding with its sealed content, if it belongs to the proof's client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<WithholdingRow>, StoreError> {
    let Some(m) = Entity::find_by_id(id).one(&tx.inner).await? else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.into()))
}

/// The withholdings in force on a trajectory's entries, oldest first.
pub async fn active_of_trajectory(
    tx: &Tx,
    auth: &impl ReadProof,
    trajectory: TrajectoryId,
) -> Result<Vec<WithholdingRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client) = (trajectory.as_uuid(), auth.client_id().as_uuid());
    Ok(Q.models(tx, vec![trajectory.into(), client.into()], || {
        Entity::find()
            .filter(Column::TrajectoryId.eq(trajectory))
            .filter(Column::ClientId.eq(client))
            .filter(Column::LiftedAt.is_null())
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
    })
    .await?
    .into_iter()
    .map(WithholdingRow::from)
    .collect())
}

/// Every withholding of one entry, lifted ones too, oldest first.
pub async fn of_entry(
    tx: &Tx,
    auth: &Authorized,
    entry: EntryId,
) -> Result<Vec<WithholdingRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::EntryId.eq(entry.as_uuid()))
        .filter(Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(WithholdingRow::from)
        .collect())
}

/// Whether an entry is withheld from the client as a whole (its attachments with it).
/// Metadata only: no content is read.
pub async fn entry_withheld_whole(tx: &Tx, entry: EntryId) -> Result<bool, StoreError> {
    Ok(Entity::find()
        .filter(Column::EntryId.eq(entry.as_uuid()))
        .filter(Column::Scope.eq("entry"))
        .filter(Column::LiftedAt.is_null())
        .count(&tx.inner)
        .await?
        > 0)
}

/// Lifts a withholding in force. Returns whether it was in force.
pub async fn lift(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    reason_ct: Vec<u8>,
) -> Result<bool, StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::LiftedAt, Expr::value(micros(at)))
        .col_expr(Column::LiftedBy, Expr::value(by.as_uuid()))
        .col_expr(Column::LiftReasonCt, Expr::value(reason_ct))
        .filter(Column::Id.eq(id))
        .filter(Column::LiftedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Records the privacy officer's review of a withholding in force. A withholding the
/// officer asked to lift may be reviewed again (the caseworker kept it, with reasons);
/// one the officer agreed with is done. Returns whether the review was recorded.
pub async fn record_review(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    outcome: &str,
    note_ct: Option<Vec<u8>>,
) -> Result<bool, StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::ReviewedAt, Expr::value(micros(at)))
        .col_expr(Column::ReviewedBy, Expr::value(by.as_uuid()))
        .col_expr(Column::ReviewOutcome, Expr::value(outcome.to_owned()))
        .col_expr(Column::ReviewNoteCt, Expr::value(note_ct))
        .filter(Column::Id.eq(id))
        .filter(Column::LiftedAt.is_null())
        .filter(
            Condition::any()
                .add(Column::ReviewedAt.is_null())
                .add(Column::ReviewOutcome.eq("ask_to_lift")),
        )
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// The withholdings in force the privacy officer still has to look at: not reviewed
/// yet, or asked to be lifted and still in force. Oldest first, without content.
pub async fn open_for_review(tx: &Tx, limit: u64) -> Result<Vec<WithholdingRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::LiftedAt.is_null())
        .filter(
            Condition::any()
                .add(Column::ReviewedAt.is_null())
                .add(Column::ReviewOutcome.eq("ask_to_lift")),
        )
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| WithholdingRow::from(m).without_content())
        .collect())
}

/// Removes every withholding of a client (destruction).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Removes the withholdings of one trajectory's entries (its destruction).
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Removes the withholdings of one entry (its destruction).
pub async fn delete_of_entry(tx: &Tx, entry: EntryId) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::EntryId.eq(entry.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
