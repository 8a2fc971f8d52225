//! Client rows ("cliënten"). Reading a client's profile takes an [`Authorized`] proof;
//! existence, branch and id listings do not (they carry no personal data).

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use zv_domain::ClientId;

use crate::entity::clients::{ActiveModel, Column, Entity};
use crate::rows::micros;
use crate::rows::{ClientRow, ClientUpdate, NewClient};
use crate::{Authorized, StoreError, Tx, bulk};

pub(crate) fn active(c: &NewClient) -> ActiveModel {
    ActiveModel {
        id: Set(c.id.as_uuid()),
        branch_code: Set(c.branch_code.clone()),
        name_ct: Set(c.name_ct.clone()),
        birth_date_ct: Set(c.birth_date_ct.clone()),
        gender_ct: Set(c.gender_ct.clone()),
        address_ct: Set(c.address_ct.clone()),
        phone_ct: Set(c.phone_ct.clone()),
        email_ct: Set(c.email_ct.clone()),
        bsn_ct: Set(c.bsn_ct.clone()),
        confidential_address: Set(c.confidential_address),
        created_at: Set(micros(c.created_at)),
        updated_at: Set(micros(c.created_at)),
    }
}

pub async fn insert(tx: &Tx, c: &NewClient) -> Result<(), StoreError> {
    Entity::insert(active(c))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Bulk insert (demo load, imports).
pub async fn insert_many(tx: &Tx, clients: &[NewClient]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, clients.iter().map(active).collect()).await
}

/// The client's profile (ciphertext), released by a proof for this client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: ClientId,
) -> Result<Option<ClientRow>, StoreError> {
    auth.check(id)?;
    Ok(Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?
        .map(ClientRow::from))
}

/// Several clients' profiles (ciphertext), each released by its own proof; in no
/// particular order, and without those that no longer exist.
pub async fn get_many(tx: &Tx, auths: &[Authorized]) -> Result<Vec<ClientRow>, StoreError> {
    if auths.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::Id.is_in(auths.iter().map(|a| a.client_id().as_uuid())))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ClientRow::from)
        .collect())
}

/// Replaces the given fields' ciphertexts. [`StoreError::NotFound`] if there is no such
/// client.
pub async fn update_fields(
    tx: &Tx,
    id: ClientId,
    u: &ClientUpdate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    fn opt<T: Clone + Into<sea_orm::Value>>(v: Option<&T>) -> sea_orm::ActiveValue<T> {
        v.map_or(NotSet, |v| Set(v.clone()))
    }
    let model = ActiveModel {
        id: NotSet,
        branch_code: opt(u.branch_code.as_ref()),
        name_ct: opt(u.name_ct.as_ref()),
        birth_date_ct: opt(u.birth_date_ct.as_ref()),
        gender_ct: opt(u.gender_ct.as_ref()),
        address_ct: opt(u.address_ct.as_ref()),
        phone_ct: opt(u.phone_ct.as_ref()),
        email_ct: opt(u.email_ct.as_ref()),
        bsn_ct: opt(u.bsn_ct.as_ref()),
        confidential_address: opt(u.confidential_address.as_ref()),
        created_at: NotSet,
        updated_at: Set(micros(at)),
    };
    let n = Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Sets or clears the BSN ciphertext.
pub async fn set_bsn(
    tx: &Tx,
    id: ClientId,
    bsn_ct: Option<Vec<u8>>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    update_fields(
        tx,
        id,
        &ClientUpdate {
            bsn_ct: Some(bsn_ct),
            ..ClientUpdate::default()
        },
        at,
    )
    .await
}

pub async fn exists(tx: &Tx, id: ClientId) -> Result<bool, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(Column::Id)
        .into_tuple::<uuid::Uuid>()
        .one(&tx.inner)
        .await?
        .is_some())
}

/// The branch a client belongs to (for the access rules), if the client exists.
pub async fn branch_of(tx: &Tx, id: ClientId) -> Result<Option<String>, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(Column::BranchCode)
        .into_tuple::<String>()
        .one(&tx.inner)
        .await?)
}

/// Client ids in id order after `after`, for jobs that walk all clients in batches.
pub async fn ids_page(
    tx: &Tx,
    after: Option<ClientId>,
    limit: u64,
) -> Result<Vec<ClientId>, StoreError> {
    let mut q = Entity::find()
        .select_only()
        .column(Column::Id)
        .order_by_asc(Column::Id)
        .limit(limit);
    if let Some(after) = after {
        q = q.filter(Column::Id.gt(after.as_uuid()));
    }
    Ok(q.into_tuple::<uuid::Uuid>()
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ClientId::from_uuid)
        .collect())
}

pub async fn count(tx: &Tx) -> Result<u64, StoreError> {
    Ok(Entity::find().count(&tx.inner).await?)
}

/// Whether the client has an address marked confidential (a shelter): a flag, no
/// content, which the gate reads before deciding who may see the address.
pub async fn has_confidential_address(tx: &Tx, id: ClientId) -> Result<bool, StoreError> {
    Ok(Entity::find()
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::ConfidentialAddress.eq(true))
        .filter(Column::AddressCt.is_not_null())
        .count(&tx.inner)
        .await?
        > 0)
}
