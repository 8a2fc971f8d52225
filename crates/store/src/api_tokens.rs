//! API tokens: bearer tokens for integrations, created and revoked by their owner, each
//! with its scopes and an expiry. Only a token's SHA-256 is stored. Nothing here is
//! client data.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

mod table {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub name: String,
        pub token_hash: Vec<u8>,
        pub scopes: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub last_used_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use table::{ActiveModel, Column, Entity, Model};

/// A token as stored: its hash, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: Uuid,
    pub user_id: UserId,
    /// What the owner called it ("planning koppeling"); shown to the owner only.
    pub name: String,
    pub token_hash: Vec<u8>,
    /// Scope codes.
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<Model> for ApiTokenRow {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            user_id: UserId::from_uuid(m.user_id),
            name: m.name,
            token_hash: m.token_hash,
            scopes: m.scopes.split_whitespace().map(str::to_owned).collect(),
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            last_used_at: m.last_used_at,
        }
    }
}

/// Stores a new token. [`StoreError::Conflict`] if its hash exists already.
pub async fn insert(tx: &Tx, t: &ApiTokenRow) -> Result<(), StoreError> {
    let savepoint = tx.savepoint().await?;
    let result = Entity::insert(ActiveModel {
        id: Set(t.id),
        user_id: Set(t.user_id.as_uuid()),
        name: Set(t.name.clone()),
        token_hash: Set(t.token_hash.clone()),
        scopes: Set(t.scopes.join(" ")),
        created_at: Set(micros(t.created_at)),
        expires_at: Set(micros(t.expires_at)),
        revoked_at: Set(t.revoked_at.map(micros)),
        last_used_at: Set(t.last_used_at.map(micros)),
    })
    .exec_without_returning(&savepoint)
    .await;
    crate::release(savepoint, result).await
}

/// The token with this hash, whatever its state.
pub async fn find_by_hash(tx: &Tx, token_hash: &[u8]) -> Result<Option<ApiTokenRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::TokenHash.eq(token_hash.to_vec()))
        .one(&tx.inner)
        .await?
        .map(ApiTokenRow::from))
}

/// A user's tokens, newest first, revoked and expired ones included.
pub async fn of_user(tx: &Tx, user: UserId) -> Result<Vec<ApiTokenRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user.as_uuid()))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ApiTokenRow::from)
        .collect())
}

/// Revokes a token of `user`. Returns whether a token of theirs that was not yet revoked
/// was found: another user's token id finds nothing.
pub async fn revoke(
    tx: &Tx,
    id: Uuid,
    user: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(micros(at))))
        .filter(Column::Id.eq(id))
        .filter(Column::UserId.eq(user.as_uuid()))
        .filter(Column::RevokedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Revokes every token of `user` still running (the account is disabled). Returns how many.
pub async fn revoke_all_of(tx: &Tx, user: UserId, at: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(Some(micros(at))))
        .filter(Column::UserId.eq(user.as_uuid()))
        .filter(Column::RevokedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Records when a token was last used.
pub async fn touch(tx: &Tx, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(Some(micros(at))))
        .filter(Column::Id.eq(id))
        .exec(&tx.inner)
        .await?;
    Ok(())
}
