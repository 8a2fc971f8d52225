//! Staff accounts, their roles and team memberships. No client data: no proof needed.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::entity::{staff_roles, staff_users, team_members};
use crate::fixed::{Fixed, PerLength};
use crate::rows::micros;
use crate::rows::{NewStaffUser, StaffUserRow};
use crate::{StoreError, Tx};

/// Inserts an account with its roles and teams. [`StoreError::Conflict`] if the
/// username (or id) is taken; the transaction stays usable then, on both engines.
pub async fn insert(tx: &Tx, u: &NewStaffUser) -> Result<(), StoreError> {
    let model = staff_users::ActiveModel {
        id: Set(u.id.as_uuid()),
        username: Set(u.username.clone()),
        display_name: Set(u.display_name.clone()),
        password_hash: Set(u.password_hash.clone()),
        totp_secret_ct: Set(u.totp_secret_ct.clone()),
        totp_confirmed: Set(false),
        branch_code: Set(u.branch_code.clone()),
        confidentiality_signed_on: Set(u.confidentiality_signed_on),
        disabled: Set(false),
        created_at: Set(micros(u.created_at)),
    };
    let savepoint = tx.savepoint().await?;
    let result = staff_users::Entity::insert(model)
        .exec_without_returning(&savepoint)
        .await;
    crate::release(savepoint, result).await?;
    set_roles(tx, u.id, &u.roles).await?;
    set_teams(tx, u.id, &u.teams).await
}

/// Replaces the account's roles.
pub async fn set_roles(tx: &Tx, id: UserId, roles: &[String]) -> Result<(), StoreError> {
    staff_roles::Entity::delete_many()
        .filter(staff_roles::Column::UserId.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?;
    let mut roles: Vec<&String> = roles.iter().collect();
    roles.sort();
    roles.dedup();
    let rows = roles.into_iter().map(|r| staff_roles::ActiveModel {
        user_id: Set(id.as_uuid()),
        role: Set(r.clone()),
    });
    staff_roles::Entity::insert_many(rows)
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Replaces the account's team memberships.
pub async fn set_teams(tx: &Tx, id: UserId, teams: &[String]) -> Result<(), StoreError> {
    team_members::Entity::delete_many()
        .filter(team_members::Column::UserId.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?;
    let mut teams: Vec<&String> = teams.iter().collect();
    teams.sort();
    teams.dedup();
    let rows = teams.into_iter().map(|t| team_members::ActiveModel {
        user_id: Set(id.as_uuid()),
        team_code: Set(t.clone()),
    });
    team_members::Entity::insert_many(rows)
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn roles(tx: &Tx, id: UserId) -> Result<Vec<String>, StoreError> {
    Ok(roles_of(tx, &[id.as_uuid()])
        .await?
        .remove(&id.as_uuid())
        .unwrap_or_default())
}

pub async fn teams(tx: &Tx, id: UserId) -> Result<Vec<String>, StoreError> {
    Ok(teams_of(tx, &[id.as_uuid()])
        .await?
        .remove(&id.as_uuid())
        .unwrap_or_default())
}

async fn roles_of(tx: &Tx, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for m in staff_roles::Entity::find()
        .filter(staff_roles::Column::UserId.is_in(ids.iter().copied()))
        .order_by_asc(staff_roles::Column::Role)
        .all(&tx.inner)
        .await?
    {
        out.entry(m.user_id).or_default().push(m.role);
    }
    Ok(out)
}

async fn teams_of(tx: &Tx, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for m in team_members::Entity::find()
        .filter(team_members::Column::UserId.is_in(ids.iter().copied()))
        .order_by_asc(team_members::Column::TeamCode)
        .all(&tx.inner)
        .await?
    {
        out.entry(m.user_id).or_default().push(m.team_code);
    }
    Ok(out)
}

async fn complete(
    tx: &Tx,
    users: Vec<staff_users::Model>,
) -> Result<Vec<StaffUserRow>, StoreError> {
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let mut roles = HashMap::new();
    let mut teams = HashMap::new();
    // Bounded IN lists, whatever the number of accounts.
    for chunk in ids.chunks(1_000) {
        roles.extend(roles_of(tx, chunk).await?);
        teams.extend(teams_of(tx, chunk).await?);
    }
    Ok(users
        .into_iter()
        .map(|u| StaffUserRow {
            id: UserId::from_uuid(u.id),
            roles: roles.remove(&u.id).unwrap_or_default(),
            teams: teams.remove(&u.id).unwrap_or_default(),
            username: u.username,
            display_name: u.display_name,
            password_hash: u.password_hash,
            totp_secret_ct: u.totp_secret_ct,
            totp_confirmed: u.totp_confirmed,
            branch_code: u.branch_code,
            confidentiality_signed_on: u.confidentiality_signed_on,
            disabled: u.disabled,
            created_at: u.created_at,
        })
        .collect())
}

async fn one(
    tx: &Tx,
    user: Option<staff_users::Model>,
) -> Result<Option<StaffUserRow>, StoreError> {
    match user {
        Some(u) => Ok(complete(tx, vec![u]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn get(tx: &Tx, id: UserId) -> Result<Option<StaffUserRow>, StoreError> {
    let user = staff_users::Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?;
    one(tx, user).await
}

pub async fn find_by_username(tx: &Tx, username: &str) -> Result<Option<StaffUserRow>, StoreError> {
    let user = staff_users::Entity::find()
        .filter(staff_users::Column::Username.eq(username))
        .one(&tx.inner)
        .await?;
    one(tx, user).await
}

/// All accounts, by username.
pub async fn list(tx: &Tx) -> Result<Vec<StaffUserRow>, StoreError> {
    let users = staff_users::Entity::find()
        .order_by_asc(staff_users::Column::Username)
        .all(&tx.inner)
        .await?;
    complete(tx, users).await
}

async fn set(
    tx: &Tx,
    id: UserId,
    column: staff_users::Column,
    value: sea_orm::Value,
) -> Result<(), StoreError> {
    let n = staff_users::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(staff_users::Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn set_disabled(tx: &Tx, id: UserId, disabled: bool) -> Result<(), StoreError> {
    set(tx, id, staff_users::Column::Disabled, disabled.into()).await
}

pub async fn set_password_hash(tx: &Tx, id: UserId, hash: &str) -> Result<(), StoreError> {
    set(tx, id, staff_users::Column::PasswordHash, hash.into()).await
}

/// Records the date the confidentiality statement was signed (or clears it).
pub async fn set_confidentiality_signed(
    tx: &Tx,
    id: UserId,
    on: Option<NaiveDate>,
) -> Result<(), StoreError> {
    set(
        tx,
        id,
        staff_users::Column::ConfidentialitySignedOn,
        on.into(),
    )
    .await
}

/// Marks the second factor as confirmed (the user entered a valid code once).
pub async fn confirm_totp(tx: &Tx, id: UserId) -> Result<(), StoreError> {
    set(tx, id, staff_users::Column::TotpConfirmed, true.into()).await
}

/// Replaces the second-factor secret (a reset); it must be confirmed again. The last
/// accepted time step is forgotten with the old secret: a code of the new one cannot be
/// a replay, even within the same 30 seconds.
pub async fn reset_totp(tx: &Tx, id: UserId, totp_secret_ct: Vec<u8>) -> Result<(), StoreError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, ExprTrait, Query};
    set(
        tx,
        id,
        staff_users::Column::TotpSecretCt,
        totp_secret_ct.into(),
    )
    .await?;
    let forget = Query::update()
        .table(Alias::new("staff_users"))
        .value(Alias::new("totp_last_step"), Option::<i64>::None)
        .and_where(Expr::col(Alias::new("id")).eq(id.as_uuid()))
        .to_owned();
    tx.inner.execute(&forget).await?;
    set(tx, id, staff_users::Column::TotpConfirmed, false.into()).await
}

/// An account's id and display name from a row that selected those two columns.
fn id_and_name(r: &sea_orm::QueryResult) -> Result<(UserId, String), StoreError> {
    Ok((
        UserId::from_uuid(r.try_get("", "id")?),
        r.try_get("", "display_name")?,
    ))
}

/// Display names of the given accounts (authors shown on a page); unknown ids are absent.
pub async fn names_of(tx: &Tx, ids: &[UserId]) -> Result<HashMap<UserId, String>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    static Q: PerLength<8> = PerLength::new();
    let ids: Vec<Uuid> = ids.iter().map(|i| i.as_uuid()).collect();
    let values = ids.iter().map(|&i| i.into()).collect();
    Q.rows(tx, ids.len(), values, || {
        Query::select()
            .columns([staff_users::Column::Id, staff_users::Column::DisplayName])
            .from(staff_users::Entity)
            .and_where(Expr::col(staff_users::Column::Id).is_in(ids.iter().copied()))
            .to_owned()
    })
    .await?
    .iter()
    .map(id_and_name)
    .collect()
}

/// Enabled accounts of `team` holding one of `roles`, by display name: who can be
/// assigned to the team's trajectories. One query, whatever the number of accounts.
pub async fn team_members_with_role(
    tx: &Tx,
    team: &str,
    roles: [&str; 2],
) -> Result<Vec<(UserId, String)>, StoreError> {
    static Q: Fixed = Fixed::new();
    let values = vec![
        false.into(),
        1_i32.into(),
        team.into(),
        1_i32.into(),
        roles[0].into(),
        roles[1].into(),
    ];
    Q.rows(tx, values, || {
        let has_role = Query::select()
            .expr(Expr::val(1))
            .from(staff_roles::Entity)
            .and_where(
                Expr::col((staff_roles::Entity, staff_roles::Column::UserId))
                    .equals((staff_users::Entity, staff_users::Column::Id)),
            )
            .and_where(
                Expr::col((staff_roles::Entity, staff_roles::Column::Role))
                    .is_in(roles.iter().map(|r| (*r).to_owned())),
            )
            .to_owned();
        let in_team = Query::select()
            .expr(Expr::val(1))
            .from(team_members::Entity)
            .and_where(
                Expr::col((team_members::Entity, team_members::Column::UserId))
                    .equals((staff_users::Entity, staff_users::Column::Id)),
            )
            .and_where(Expr::col((team_members::Entity, team_members::Column::TeamCode)).eq(team))
            .to_owned();
        Query::select()
            .columns([staff_users::Column::Id, staff_users::Column::DisplayName])
            .from(staff_users::Entity)
            .and_where(Expr::col(staff_users::Column::Disabled).eq(false))
            .and_where(Expr::exists(in_team))
            .and_where(Expr::exists(has_role))
            .order_by(staff_users::Column::DisplayName, sea_orm::Order::Asc)
            .order_by(staff_users::Column::Id, sea_orm::Order::Asc)
            .to_owned()
    })
    .await?
    .iter()
    .map(id_and_name)
    .collect()
}
