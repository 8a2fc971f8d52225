//! The recorded agreement of those recorded in an image or sound recording attached to
//! a dossier entry (SEC-3). Who was recorded and how each agreed is one sealed value
//! (names of people), sealed with the client's key; the day is not personal content.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;
use zv_domain::{AttachmentId, ClientId, UserId};

use crate::fixed::PerLength;
use crate::rows::micros;
use crate::{ReadProof, StoreError, Tx};

mod recording_agreements {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recording_agreements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attachment_id: Uuid,
        pub client_id: Uuid,
        pub persons_ct: Vec<u8>,
        pub agreed_on: Date,
        pub recorded_by: Uuid,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An agreement as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct AgreementRow {
    pub attachment_id: AttachmentId,
    pub client_id: ClientId,
    pub persons_ct: Vec<u8>,
    pub agreed_on: NaiveDate,
    pub recorded_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for AgreementRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgreementRow({}, ***)", self.attachment_id)
    }
}

pub async fn insert(tx: &Tx, a: &AgreementRow) -> Result<(), StoreError> {
    recording_agreements::Entity::insert(recording_agreements::ActiveModel {
        attachment_id: Set(a.attachment_id.as_uuid()),
        client_id: Set(a.client_id.as_uuid()),
        persons_ct: Set(a.persons_ct.clone()),
        agreed_on: Set(a.agreed_on),
        recorded_by: Set(a.recorded_by.as_uuid()),
        created_at: Set(micros(a.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The agreements for the proof's client's attachments among `ids`.
pub async fn of_attachments(
    tx: &Tx,
    auth: &impl ReadProof,
    ids: &[AttachmentId],
) -> Result<Vec<AgreementRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    static Q: PerLength<8> = PerLength::new();
    let client = auth.client_id().as_uuid();
    let ids: Vec<Uuid> = ids.iter().map(|i| i.as_uuid()).collect();
    let values = std::iter::once(client.into())
        .chain(ids.iter().map(|&i| i.into()))
        .collect();
    Ok(Q.models(tx, ids.len(), values, || {
        recording_agreements::Entity::find()
            .filter(recording_agreements::Column::ClientId.eq(client))
            .filter(recording_agreements::Column::AttachmentId.is_in(ids.iter().copied()))
    })
    .await?
    .into_iter()
    .map(|m| AgreementRow {
        attachment_id: AttachmentId::from_uuid(m.attachment_id),
        client_id: ClientId::from_uuid(m.client_id),
        persons_ct: m.persons_ct,
        agreed_on: m.agreed_on,
        recorded_by: UserId::from_uuid(m.recorded_by),
        created_at: m.created_at,
    })
    .collect())
}

/// Removes the agreements of attachments being destroyed.
pub async fn delete_of_attachments(tx: &Tx, ids: &[Uuid]) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(recording_agreements::Entity::delete_many()
        .filter(recording_agreements::Column::AttachmentId.is_in(ids.to_vec()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Removes every agreement of a client (destruction).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(recording_agreements::Entity::delete_many()
        .filter(recording_agreements::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
