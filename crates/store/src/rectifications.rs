//! Rectifications of a client's factual data and its children's birth dates (RTS-5): which field, the old and the new
//! value (ciphertext sealed with the client's key), the reason, who and when. The
//! history is personal data and is released only with an [`Authorized`] proof.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, RelatedPersonId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rectifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub related_person_id: Option<Uuid>,
        pub request_id: Option<Uuid>,
        pub field: String,
        pub old_value_ct: Option<Vec<u8>>,
        pub new_value_ct: Option<Vec<u8>>,
        pub reason_ct: Vec<u8>,
        pub corrected_by: Uuid,
        pub corrected_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One corrected field, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct RectificationRow {
    pub id: Uuid,
    pub client_id: ClientId,
    /// The child whose birth date was corrected (`child_birth_date`); `None` for the
    /// client's own data.
    pub related_person: Option<RelatedPersonId>,
    pub request_id: Option<Uuid>,
    /// `name`, `address`, `birth_date` or `child_birth_date`.
    pub field: String,
    pub old_value_ct: Option<Vec<u8>>,
    pub new_value_ct: Option<Vec<u8>>,
    pub reason_ct: Vec<u8>,
    pub corrected_by: UserId,
    pub corrected_at: DateTime<Utc>,
}

impl std::fmt::Debug for RectificationRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RectificationRow({}, {}, ***)", self.id, self.field)
    }
}

impl From<entity::Model> for RectificationRow {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            related_person: m.related_person_id.map(RelatedPersonId::from_uuid),
            request_id: m.request_id,
            field: m.field,
            old_value_ct: m.old_value_ct,
            new_value_ct: m.new_value_ct,
            reason_ct: m.reason_ct,
            corrected_by: UserId::from_uuid(m.corrected_by),
            corrected_at: m.corrected_at,
        }
    }
}

pub async fn insert(tx: &Tx, r: &RectificationRow) -> Result<(), StoreError> {
    entity::Entity::insert(entity::ActiveModel {
        id: Set(r.id),
        client_id: Set(r.client_id.as_uuid()),
        related_person_id: Set(r.related_person.map(|p| p.as_uuid())),
        request_id: Set(r.request_id),
        field: Set(r.field.clone()),
        old_value_ct: Set(r.old_value_ct.clone()),
        new_value_ct: Set(r.new_value_ct.clone()),
        reason_ct: Set(r.reason_ct.clone()),
        corrected_by: Set(r.corrected_by.as_uuid()),
        corrected_at: Set(micros(r.corrected_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// A client's rectifications, newest first.
pub async fn of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<RectificationRow>, StoreError> {
    auth.check(client)?;
    Ok(entity::Entity::find()
        .filter(entity::Column::ClientId.eq(client.as_uuid()))
        .order_by_desc(entity::Column::CorrectedAt)
        .order_by_asc(entity::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(RectificationRow::from)
        .collect())
}

/// Destruction: the history goes with the client.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(entity::Entity::delete_many()
        .filter(entity::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
