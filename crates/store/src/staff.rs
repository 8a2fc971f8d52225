//! Staff accounts, roles and team memberships.

use chrono::NaiveDate;
use zv_domain::UserId;

use crate::dialect::{exec, is_unique_violation, query, query_one};
use crate::rows::{NewStaffUser, StaffUserRow, get as col};
use crate::{StoreError, Tx};

pub async fn insert(tx: &Tx, u: &NewStaffUser) -> Result<(), StoreError> {
    let r = exec(
        tx,
        "INSERT INTO staff_users (id, username, display_name, password_hash, totp_secret_ct, totp_confirmed, branch_code, confidentiality_signed_on, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![u.id.as_uuid().into(), u.username.clone().into(), u.display_name.clone().into(), u.password_hash.clone().into(), u.totp_secret_ct.clone().into(), false.into(), u.branch_code.clone().into(), u.confidentiality_signed_on.into(), false.into(), u.created_at.into()],
    )
    .await;
    match r {
        Err(StoreError::Db(e)) if is_unique_violation(&e) => return Err(StoreError::Conflict),
        other => other?,
    };
    for role in &u.roles {
        exec(
            tx,
            "INSERT INTO staff_roles (user_id, role) VALUES (?, ?)",
            vec![u.id.as_uuid().into(), role.clone().into()],
        )
        .await?;
    }
    for team in &u.teams {
        exec(
            tx,
            "INSERT INTO team_members (user_id, team_code) VALUES (?, ?)",
            vec![u.id.as_uuid().into(), team.clone().into()],
        )
        .await?;
    }
    Ok(())
}

async fn complete(tx: &Tx, r: &sea_orm::QueryResult) -> Result<StaffUserRow, StoreError> {
    let id = UserId::from_uuid(col(r, "id")?);
    let roles = query(
        tx,
        "SELECT role FROM staff_roles WHERE user_id = ? ORDER BY role",
        vec![id.as_uuid().into()],
    )
    .await?
    .iter()
    .map(|r| col(r, "role"))
    .collect::<Result<_, _>>()?;
    let teams = query(
        tx,
        "SELECT team_code FROM team_members WHERE user_id = ? ORDER BY team_code",
        vec![id.as_uuid().into()],
    )
    .await?
    .iter()
    .map(|r| col(r, "team_code"))
    .collect::<Result<_, _>>()?;
    Ok(StaffUserRow {
        id,
        username: col(r, "username")?,
        display_name: col(r, "display_name")?,
        password_hash: col(r, "password_hash")?,
        totp_secret_ct: col(r, "totp_secret_ct")?,
        totp_confirmed: col(r, "totp_confirmed")?,
        branch_code: col(r, "branch_code")?,
        confidentiality_signed_on: col(r, "confidentiality_signed_on")?,
        disabled: col(r, "disabled")?,
        roles,
        teams,
    })
}

pub async fn get(tx: &Tx, id: UserId) -> Result<Option<StaffUserRow>, StoreError> {
    match query_one(
        tx,
        "SELECT * FROM staff_users WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await?
    {
        Some(r) => Ok(Some(complete(tx, &r).await?)),
        None => Ok(None),
    }
}

pub async fn find_by_username(tx: &Tx, username: &str) -> Result<Option<StaffUserRow>, StoreError> {
    match query_one(
        tx,
        "SELECT * FROM staff_users WHERE username = ?",
        vec![username.into()],
    )
    .await?
    {
        Some(r) => Ok(Some(complete(tx, &r).await?)),
        None => Ok(None),
    }
}

pub async fn list(tx: &Tx) -> Result<Vec<StaffUserRow>, StoreError> {
    let rows = query(tx, "SELECT * FROM staff_users ORDER BY username", vec![]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(complete(tx, r).await?);
    }
    Ok(out)
}

pub async fn set_disabled(tx: &Tx, id: UserId, disabled: bool) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE staff_users SET disabled = ? WHERE id = ?",
        vec![disabled.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}

pub async fn set_confidentiality_signed(
    tx: &Tx,
    id: UserId,
    on: Option<NaiveDate>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE staff_users SET confidentiality_signed_on = ? WHERE id = ?",
        vec![on.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}
