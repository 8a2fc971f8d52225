//! Client rows.

use chrono::{DateTime, Utc};
use zv_domain::ClientId;

use crate::dialect::{exec, query_one};
use crate::rows::{ClientRow, NewClient};
use crate::{Authorized, StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO clients (id, branch_code, name_ct, birth_date_ct, gender_ct, address_ct, phone_ct, email_ct, bsn_ct, confidential_address, created_at, updated_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) fn values(c: &NewClient) -> Vec<sea_orm::Value> {
    vec![
        c.id.as_uuid().into(),
        c.branch_code.clone().into(),
        c.name_ct.clone().into(),
        c.birth_date_ct.clone().into(),
        c.gender_ct.clone().into(),
        c.address_ct.clone().into(),
        c.phone_ct.clone().into(),
        c.email_ct.clone().into(),
        c.bsn_ct.clone().into(),
        c.confidential_address.into(),
        c.created_at.into(),
        c.created_at.into(),
    ]
}

pub async fn insert(tx: &Tx, c: &NewClient) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(c)).await?;
    Ok(())
}

pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: ClientId,
) -> Result<Option<ClientRow>, StoreError> {
    auth.check(id)?;
    let Some(r) = query_one(
        tx,
        "SELECT * FROM clients WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(ClientRow {
        id,
        branch_code: self::get_col(&r, "branch_code")?,
        name_ct: self::get_col(&r, "name_ct")?,
        birth_date_ct: self::get_col(&r, "birth_date_ct")?,
        gender_ct: self::get_col(&r, "gender_ct")?,
        address_ct: self::get_col(&r, "address_ct")?,
        phone_ct: self::get_col(&r, "phone_ct")?,
        email_ct: self::get_col(&r, "email_ct")?,
        bsn_ct: self::get_col(&r, "bsn_ct")?,
        confidential_address: self::get_col(&r, "confidential_address")?,
        created_at: self::get_col(&r, "created_at")?,
    }))
}

fn get_col<T: sea_orm::TryGetable>(r: &sea_orm::QueryResult, c: &str) -> Result<T, StoreError> {
    crate::rows::get(r, c)
}

pub async fn set_bsn(
    tx: &Tx,
    id: ClientId,
    bsn_ct: Option<Vec<u8>>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE clients SET bsn_ct = ?, updated_at = ? WHERE id = ?",
        vec![bsn_ct.into(), at.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}

pub async fn count(tx: &Tx) -> Result<u64, StoreError> {
    let r = query_one(tx, "SELECT COUNT(*) AS n FROM clients", vec![])
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(u64::try_from(crate::rows::get::<i64>(&r, "n")?).unwrap_or(0))
}
