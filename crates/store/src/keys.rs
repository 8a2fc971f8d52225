//! The key store (schema `zv_keys`): wrapped data keys per client and system keys.

use sea_orm::Value;
use zv_domain::ClientId;

use crate::dialect::{exec, query, query_one};
use crate::rows::{WrappedKeyRow, get};
use crate::{Authorized, StoreError, Tx};

fn row(r: &sea_orm::QueryResult) -> Result<WrappedKeyRow, StoreError> {
    Ok(WrappedKeyRow {
        kek_version: get(r, "kek_version")?,
        key_version: get(r, "key_version")?,
        wrapped: get(r, "wrapped")?,
    })
}

pub async fn put_system_key(tx: &Tx, name: &str, k: &WrappedKeyRow) -> Result<(), StoreError> {
    exec(
        tx,
        "DELETE FROM zv_keys.system_keys WHERE name = ?",
        vec![name.into()],
    )
    .await?;
    exec(tx, "INSERT INTO zv_keys.system_keys (name, kek_version, key_version, wrapped) VALUES (?, ?, ?, ?)", vec![name.into(), k.kek_version.into(), k.key_version.into(), k.wrapped.clone().into()]).await?;
    Ok(())
}

pub async fn get_system_key(tx: &Tx, name: &str) -> Result<Option<WrappedKeyRow>, StoreError> {
    query_one(
        tx,
        "SELECT kek_version, key_version, wrapped FROM zv_keys.system_keys WHERE name = ?",
        vec![name.into()],
    )
    .await?
    .as_ref()
    .map(row)
    .transpose()
}

pub async fn insert_client_key(
    tx: &Tx,
    client: ClientId,
    k: &WrappedKeyRow,
) -> Result<(), StoreError> {
    exec(tx, "INSERT INTO zv_keys.client_keys (client_id, kek_version, key_version, wrapped) VALUES (?, ?, ?, ?)", vec![client.as_uuid().into(), k.kek_version.into(), k.key_version.into(), k.wrapped.clone().into()]).await?;
    Ok(())
}

pub async fn get_client_key(
    tx: &Tx,
    auth: &Authorized,
) -> Result<Option<WrappedKeyRow>, StoreError> {
    client_key_for_write(tx, auth.client_id()).await
}

/// The wrapped key, for encrypting new data of the client (nothing is decrypted with it
/// on this path, so it needs no read proof).
pub async fn client_key_for_write(
    tx: &Tx,
    client: ClientId,
) -> Result<Option<WrappedKeyRow>, StoreError> {
    query_one(
        tx,
        "SELECT kek_version, key_version, wrapped FROM zv_keys.client_keys WHERE client_id = ?",
        vec![client.as_uuid().into()],
    )
    .await?
    .as_ref()
    .map(row)
    .transpose()
}

pub async fn client_keys_page(
    tx: &Tx,
    after: Option<ClientId>,
    limit: u32,
) -> Result<Vec<(ClientId, WrappedKeyRow)>, StoreError> {
    let rows = match after {
        Some(a) => query(tx, "SELECT client_id, kek_version, key_version, wrapped FROM zv_keys.client_keys WHERE client_id > ? ORDER BY client_id LIMIT ?", vec![a.as_uuid().into(), Value::from(i64::from(limit))]).await?,
        None => query(tx, "SELECT client_id, kek_version, key_version, wrapped FROM zv_keys.client_keys ORDER BY client_id LIMIT ?", vec![Value::from(i64::from(limit))]).await?,
    };
    rows.iter()
        .map(|r| Ok((ClientId::from_uuid(get(r, "client_id")?), row(r)?)))
        .collect()
}

pub async fn update_client_key(
    tx: &Tx,
    client: ClientId,
    k: &WrappedKeyRow,
) -> Result<(), StoreError> {
    exec(tx, "UPDATE zv_keys.client_keys SET kek_version = ?, key_version = ?, wrapped = ? WHERE client_id = ?", vec![k.kek_version.into(), k.key_version.into(), k.wrapped.clone().into(), client.as_uuid().into()]).await?;
    Ok(())
}
