//! The key store (schema `zv_keys`, kept out of data backups; see the crate docs): one
//! wrapped data key per client, and named system keys (blind index, system data).

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use zv_domain::ClientId;

use crate::entity::{client_keys, system_keys};
use crate::fixed::Fixed;
use crate::rows::WrappedKeyRow;
use crate::{Authorized, ReadProof, StoreError, Tx, bulk};

fn client_active(client: ClientId, k: &WrappedKeyRow) -> client_keys::ActiveModel {
    client_keys::ActiveModel {
        client_id: Set(client.as_uuid()),
        kek_version: Set(k.kek_version),
        key_version: Set(k.key_version),
        wrapped: Set(k.wrapped.clone()),
    }
}

/// Stores a new client's wrapped key. [`StoreError::Conflict`] if the client has one;
/// the transaction stays usable then, on both engines.
pub async fn insert_client_key(
    tx: &Tx,
    client: ClientId,
    k: &WrappedKeyRow,
) -> Result<(), StoreError> {
    let savepoint = tx.savepoint().await?;
    let result = client_keys::Entity::insert(client_active(client, k))
        .exec_without_returning(&savepoint)
        .await;
    crate::release(savepoint, result).await
}

/// Bulk insert (demo load).
pub async fn insert_many(tx: &Tx, keys: &[(ClientId, WrappedKeyRow)]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, keys.iter().map(|(c, k)| client_active(*c, k)).collect()).await
}

/// The client's wrapped key for reading its data: released by a proof for that client.
pub async fn get_client_key(
    tx: &Tx,
    auth: &impl ReadProof,
) -> Result<Option<WrappedKeyRow>, StoreError> {
    find_client_key(tx, auth.client_id()).await
}

/// Several clients' wrapped keys for reading, each released by its own proof; in no
/// particular order, and without those destroyed.
pub async fn get_client_keys(
    tx: &Tx,
    auths: &[Authorized],
) -> Result<Vec<(ClientId, WrappedKeyRow)>, StoreError> {
    if auths.is_empty() {
        return Ok(Vec::new());
    }
    Ok(client_keys::Entity::find()
        .filter(client_keys::Column::ClientId.is_in(auths.iter().map(|a| a.client_id().as_uuid())))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| (ClientId::from_uuid(m.client_id), WrappedKeyRow::from(m)))
        .collect())
}

/// The client's wrapped key for sealing NEW data of the client (intake, a new entry, an
/// update), where nothing is read. Reading goes through [`get_client_key`] with a proof;
/// a caller that decrypts stored data with this key bypasses the gate.
pub async fn client_key_for_write(
    tx: &Tx,
    client: ClientId,
) -> Result<Option<WrappedKeyRow>, StoreError> {
    find_client_key(tx, client).await
}

async fn find_client_key(tx: &Tx, client: ClientId) -> Result<Option<WrappedKeyRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let client = client.as_uuid();
    Ok(Q.models(tx, vec![client.into()], || {
        client_keys::Entity::find_by_id(client)
    })
    .await?
    .into_iter()
    .next()
    .map(WrappedKeyRow::from))
}

/// Destroys a client's key (crypto-shredding, RET-4). Returns whether there was one.
pub async fn delete_client_key(tx: &Tx, client: ClientId) -> Result<bool, StoreError> {
    let n = client_keys::Entity::delete_many()
        .filter(client_keys::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Client keys in client id order after `after`, for re-wrapping under a new
/// key-encryption key in batches. Key material only, no data: no proof needed.
pub async fn all_client_keys_page(
    tx: &Tx,
    after: Option<ClientId>,
    limit: u64,
) -> Result<Vec<(ClientId, WrappedKeyRow)>, StoreError> {
    let mut q = client_keys::Entity::find()
        .order_by_asc(client_keys::Column::ClientId)
        .limit(limit);
    if let Some(after) = after {
        q = q.filter(client_keys::Column::ClientId.gt(after.as_uuid()));
    }
    Ok(q.all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| (ClientId::from_uuid(m.client_id), WrappedKeyRow::from(m)))
        .collect())
}

/// Replaces a client key's wrapping (rotation of the key-encryption key). The data key
/// itself, and so all data, is unchanged. [`StoreError::NotFound`] if there is no key.
pub async fn update_client_key_wrap(
    tx: &Tx,
    client: ClientId,
    k: &WrappedKeyRow,
) -> Result<(), StoreError> {
    let n = client_keys::Entity::update_many()
        .set(client_keys::ActiveModel {
            client_id: sea_orm::ActiveValue::NotSet,
            kek_version: Set(k.kek_version),
            key_version: Set(k.key_version),
            wrapped: Set(k.wrapped.clone()),
        })
        .filter(client_keys::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Stores or replaces a named system key.
pub async fn put_system_key(tx: &Tx, name: &str, k: &WrappedKeyRow) -> Result<(), StoreError> {
    let model = system_keys::ActiveModel {
        name: Set(name.to_owned()),
        kek_version: Set(k.kek_version),
        key_version: Set(k.key_version),
        wrapped: Set(k.wrapped.clone()),
    };
    system_keys::Entity::insert(model)
        .on_conflict(
            OnConflict::column(system_keys::Column::Name)
                .update_columns([
                    system_keys::Column::KekVersion,
                    system_keys::Column::KeyVersion,
                    system_keys::Column::Wrapped,
                ])
                .to_owned(),
        )
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn get_system_key(tx: &Tx, name: &str) -> Result<Option<WrappedKeyRow>, StoreError> {
    Ok(system_keys::Entity::find_by_id(name.to_owned())
        .one(&tx.inner)
        .await?
        .map(WrappedKeyRow::from))
}

/// All system keys with their names, in name order.
pub async fn list_system_keys(tx: &Tx) -> Result<Vec<(String, WrappedKeyRow)>, StoreError> {
    Ok(system_keys::Entity::find()
        .order_by_asc(system_keys::Column::Name)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| (m.name.clone(), WrappedKeyRow::from(m)))
        .collect())
}
