//! Sign-in state: server-side staff sessions (by token hash), failed attempts per subject
//! (an account or an address) for the backoff, and one-time recovery codes (hashed).
//! Nothing here is client data.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use zv_domain::UserId;

use crate::fixed::Fixed;
use crate::rows::micros;
use crate::{Store, StoreError, Tx};

mod staff_sessions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: Vec<u8>,
        pub user_id: Uuid,
        pub stage: String,
        pub csrf: String,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod login_failures {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub subject: String,
        pub failures: i64,
        pub last_failure_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod recovery_codes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recovery_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub code_hash: Vec<u8>,
        pub used_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub stage: String,
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn insert_session(tx: &Tx, s: &SessionRow) -> Result<(), StoreError> {
    staff_sessions::Entity::insert(staff_sessions::ActiveModel {
        token_hash: Set(s.token_hash.clone()),
        user_id: Set(s.user_id.as_uuid()),
        stage: Set(s.stage.clone()),
        csrf: Set(s.csrf.clone()),
        created_at: Set(micros(s.created_at)),
        last_seen_at: Set(micros(s.last_seen_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

pub async fn get_session(tx: &Tx, token_hash: &[u8]) -> Result<Option<SessionRow>, StoreError> {
    Ok(staff_sessions::Entity::find_by_id(token_hash.to_vec())
        .one(&tx.inner)
        .await?
        .map(|m| SessionRow {
            token_hash: m.token_hash,
            user_id: UserId::from_uuid(m.user_id),
            stage: m.stage,
            csrf: m.csrf,
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
        }))
}

pub async fn touch_session(
    tx: &Tx,
    token_hash: &[u8],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    staff_sessions::Entity::update_many()
        .col_expr(staff_sessions::Column::LastSeenAt, Expr::value(micros(at)))
        .filter(staff_sessions::Column::TokenHash.eq(token_hash.to_vec()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

pub async fn delete_session(tx: &Tx, token_hash: &[u8]) -> Result<(), StoreError> {
    staff_sessions::Entity::delete_many()
        .filter(staff_sessions::Column::TokenHash.eq(token_hash.to_vec()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Ends every session of a user (disabled account, second factor reset).
pub async fn delete_sessions_of(tx: &Tx, user: UserId) -> Result<(), StoreError> {
    staff_sessions::Entity::delete_many()
        .filter(staff_sessions::Column::UserId.eq(user.as_uuid()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Failures recorded for a subject, and when the last was.
pub async fn failures(tx: &Tx, subject: &str) -> Result<Option<(i64, DateTime<Utc>)>, StoreError> {
    Ok(login_failures::Entity::find_by_id(subject.to_owned())
        .one(&tx.inner)
        .await?
        .map(|m| (m.failures, m.last_failure_at)))
}

pub async fn record_failure(tx: &Tx, subject: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    login_failures::Entity::insert(login_failures::ActiveModel {
        subject: Set(subject.to_owned()),
        failures: Set(1),
        last_failure_at: Set(micros(at)),
    })
    .on_conflict(
        OnConflict::column(login_failures::Column::Subject)
            .value(
                login_failures::Column::Failures,
                Expr::col((login_failures::Entity, login_failures::Column::Failures)).add(1),
            )
            .value(login_failures::Column::LastFailureAt, micros(at))
            .to_owned(),
    )
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

pub async fn clear_failures(tx: &Tx, subject: &str) -> Result<(), StoreError> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Subject.eq(subject.to_owned()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Replaces a user's recovery codes with new ones (hashes).
pub async fn replace_recovery_codes(
    tx: &Tx,
    user: UserId,
    hashes: &[Vec<u8>],
) -> Result<(), StoreError> {
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::UserId.eq(user.as_uuid()))
        .exec(&tx.inner)
        .await?;
    if hashes.is_empty() {
        return Ok(());
    }
    recovery_codes::Entity::insert_many(hashes.iter().map(|h| recovery_codes::ActiveModel {
        user_id: Set(user.as_uuid()),
        code_hash: Set(h.clone()),
        used_at: Set(None),
    }))
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Uses a recovery code: true when an unused code with this hash existed (it is now used).
pub async fn use_recovery_code(
    tx: &Tx,
    user: UserId,
    hash: &[u8],
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = recovery_codes::Entity::update_many()
        .col_expr(
            recovery_codes::Column::UsedAt,
            Expr::value(Some(micros(at))),
        )
        .filter(recovery_codes::Column::UserId.eq(user.as_uuid()))
        .filter(recovery_codes::Column::CodeHash.eq(hash.to_vec()))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected == 1)
}

/// How many unused recovery codes a user has left.
pub async fn unused_recovery_codes(tx: &Tx, user: UserId) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_codes::Entity::find()
        .filter(recovery_codes::Column::UserId.eq(user.as_uuid()))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .count(&tx.inner)
        .await?)
}

/// Accepts a TOTP time step for a user once: true when `step` is later than any step
/// accepted before (and is now recorded), false for a replay.
pub async fn claim_totp_step(tx: &Tx, user: UserId, step: u64) -> Result<bool, StoreError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Cond, Query};
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let last = Alias::new("totp_last_step");
    let update = Query::update()
        .table(Alias::new("staff_users"))
        .value(last.clone(), step)
        .and_where(Expr::col(Alias::new("id")).eq(user.as_uuid()))
        .cond_where(
            Cond::any()
                .add(Expr::col(last.clone()).is_null())
                .add(Expr::col(last).lt(step)),
        )
        .to_owned();
    Ok(tx.inner.execute(&update).await?.rows_affected() == 1)
}

/// A session with its account, roles and teams, in one statement: it runs on every
/// request, so it is one round trip instead of four. The joins give one row per pair of
/// role and team (a handful at most). It runs outside a transaction: one SELECT reads
/// one consistent state on both engines, and a BEGIN and COMMIT around it would double
/// the statements the connection runs for it.
pub async fn session_with_user(
    store: &Store,
    token_hash: &[u8],
) -> Result<Option<(SessionRow, crate::rows::StaffUserRow)>, StoreError> {
    use sea_orm::sea_query::{Alias, JoinType, Query};
    use sea_orm::{FromQueryResult, Iterable as _};

    use crate::entity::{staff_roles, staff_users, team_members};

    static Q: Fixed = Fixed::new();
    let rows = Q
        .rows_on(store.db(), vec![token_hash.to_vec().into()], || {
            let mut q = Query::select();
            for c in staff_sessions::Column::iter() {
                q.expr_as(
                    Expr::col((staff_sessions::Entity, c)),
                    Alias::new(format!("s_{}", sea_orm::IdenStatic::as_str(&c))),
                );
            }
            for c in staff_users::Column::iter() {
                q.expr_as(
                    Expr::col((staff_users::Entity, c)),
                    Alias::new(format!("u_{}", sea_orm::IdenStatic::as_str(&c))),
                );
            }
            q.expr_as(
                Expr::col((staff_roles::Entity, staff_roles::Column::Role)),
                Alias::new("r_role"),
            )
            .expr_as(
                Expr::col((team_members::Entity, team_members::Column::TeamCode)),
                Alias::new("t_team"),
            )
            .from(staff_sessions::Entity)
            .join(
                JoinType::InnerJoin,
                staff_users::Entity,
                Expr::col((staff_users::Entity, staff_users::Column::Id))
                    .equals((staff_sessions::Entity, staff_sessions::Column::UserId)),
            )
            .join(
                JoinType::LeftJoin,
                staff_roles::Entity,
                Expr::col((staff_roles::Entity, staff_roles::Column::UserId))
                    .equals((staff_users::Entity, staff_users::Column::Id)),
            )
            .join(
                JoinType::LeftJoin,
                team_members::Entity,
                Expr::col((team_members::Entity, team_members::Column::UserId))
                    .equals((staff_users::Entity, staff_users::Column::Id)),
            )
            .and_where(
                Expr::col((staff_sessions::Entity, staff_sessions::Column::TokenHash))
                    .eq(token_hash.to_vec()),
            );
            q
        })
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let s = staff_sessions::Model::from_query_result(first, "s_")?;
    let u = staff_users::Model::from_query_result(first, "u_")?;
    let mut roles: Vec<String> = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    for r in &rows {
        if let Some(role) = r.try_get::<Option<String>>("", "r_role")? {
            roles.push(role);
        }
        if let Some(team) = r.try_get::<Option<String>>("", "t_team")? {
            teams.push(team);
        }
    }
    roles.sort_unstable();
    roles.dedup();
    teams.sort_unstable();
    teams.dedup();
    Ok(Some((
        SessionRow {
            token_hash: s.token_hash,
            user_id: UserId::from_uuid(s.user_id),
            stage: s.stage,
            csrf: s.csrf,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        },
        crate::rows::StaffUserRow {
            id: UserId::from_uuid(u.id),
            username: u.username,
            display_name: u.display_name,
            password_hash: u.password_hash,
            totp_secret_ct: u.totp_secret_ct,
            totp_confirmed: u.totp_confirmed,
            branch_code: u.branch_code,
            confidentiality_signed_on: u.confidentiality_signed_on,
            disabled: u.disabled,
            roles,
            teams,
            created_at: u.created_at,
        },
    )))
}
