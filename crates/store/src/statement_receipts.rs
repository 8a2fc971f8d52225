//! Which privacy statement a client was given, and when (ORG-3): the version of the
//! statement, whether the statement itself and the privacy card were handed over, the
//! day, and the staff member who recorded it.
//!
//! Data about a client, so reading it takes the gate's [`Authorized`] proof like any
//! other read of a client's file; writing happens in the transaction the gate opened
//! with the write's audit event.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod receipts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_receipts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub statement_version: String,
        pub statement_given: bool,
        pub privacy_card_given: bool,
        pub given_on: Date,
        pub recorded_by: Option<Uuid>,
        pub recorded_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A receipt as stored, and as it is inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementReceiptRow {
    pub id: Uuid,
    pub client_id: ClientId,
    /// The version of the statement as the policy named it that day.
    pub statement_version: String,
    pub statement_given: bool,
    pub privacy_card_given: bool,
    pub given_on: NaiveDate,
    /// The staff member who recorded it; `None` for the system (the demo loader).
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
}

impl From<receipts::Model> for StatementReceiptRow {
    fn from(m: receipts::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            statement_version: m.statement_version,
            statement_given: m.statement_given,
            privacy_card_given: m.privacy_card_given,
            given_on: m.given_on,
            recorded_by: m.recorded_by.map(UserId::from_uuid),
            recorded_at: m.recorded_at,
        }
    }
}

pub async fn insert(tx: &Tx, r: &StatementReceiptRow) -> Result<(), StoreError> {
    receipts::Entity::insert(receipts::ActiveModel {
        id: Set(r.id),
        client_id: Set(r.client_id.as_uuid()),
        statement_version: Set(r.statement_version.clone()),
        statement_given: Set(r.statement_given),
        privacy_card_given: Set(r.privacy_card_given),
        given_on: Set(r.given_on),
        recorded_by: Set(r.recorded_by.map(|u| u.as_uuid())),
        recorded_at: Set(micros(r.recorded_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The client's receipts, oldest first.
pub async fn list_of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<StatementReceiptRow>, StoreError> {
    auth.check(client)?;
    Ok(receipts::Entity::find()
        .filter(receipts::Column::ClientId.eq(client.as_uuid()))
        .order_by_asc(receipts::Column::GivenOn)
        .order_by_asc(receipts::Column::RecordedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(StatementReceiptRow::from)
        .collect())
}

/// Removes every receipt of a client (destruction, RET-4). Returns how many went.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(receipts::Entity::delete_many()
        .filter(receipts::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
