//! The client portal's sign-in state (POR-1): invitations (by code hash), the clients'
//! accounts (username as a blind-index token, argon2id password hash, sealed TOTP
//! secret), their server-side sessions (by token hash) and recovery codes (hashed).
//!
//! Separate tables from the staff's: a portal token is looked up only here and a staff
//! token only in `staff_sessions`, so neither can ever pass for the other. Nothing here
//! is dossier content; which client an account belongs to is the core's to guard.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, PortalInvitationId, RelatedPersonId, UserId};

use crate::rows::micros;
use crate::{StoreError, Tx};

mod invitations {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub code_hash: Vec<u8>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
        pub related_person_id: Option<Uuid>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod accounts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Option<Uuid>,
        pub username_token: Vec<u8>,
        pub password_hash: String,
        pub totp_secret_ct: Vec<u8>,
        pub totp_confirmed: bool,
        pub totp_last_step: Option<i64>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod sessions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: Vec<u8>,
        pub account_id: Uuid,
        pub stage: String,
        pub csrf: String,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod recovery_codes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_recovery_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub code_hash: Vec<u8>,
        pub used_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A new invitation: the code's hash, never the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPortalInvitation {
    pub id: PortalInvitationId,
    pub client_id: ClientId,
    /// For one of the client's related persons (a parent, a representative); `None`
    /// for the client's own account.
    pub related_person_id: Option<RelatedPersonId>,
    pub code_hash: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalInvitationRow {
    pub id: PortalInvitationId,
    pub client_id: ClientId,
    pub related_person_id: Option<RelatedPersonId>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl From<invitations::Model> for PortalInvitationRow {
    fn from(m: invitations::Model) -> Self {
        Self {
            id: PortalInvitationId::from_uuid(m.id),
            client_id: ClientId::from_uuid(m.client_id),
            related_person_id: m.related_person_id.map(RelatedPersonId::from_uuid),
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            expires_at: m.expires_at,
            used_at: m.used_at,
        }
    }
}

/// A new portal account. The username arrives as its blind-index token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPortalAccount {
    pub id: PortalAccountId,
    /// The client whose own dossier the account reads; `None` for a parent or a
    /// representative who is not a client (they read through links).
    pub client_id: Option<ClientId>,
    pub username_token: Vec<u8>,
    pub password_hash: String,
    pub totp_secret_ct: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// A portal account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalAccountRow {
    pub id: PortalAccountId,
    pub client_id: Option<ClientId>,
    pub username_token: Vec<u8>,
    pub password_hash: String,
    pub totp_secret_ct: Vec<u8>,
    pub totp_confirmed: bool,
    pub created_at: DateTime<Utc>,
}

impl From<accounts::Model> for PortalAccountRow {
    fn from(m: accounts::Model) -> Self {
        Self {
            id: PortalAccountId::from_uuid(m.id),
            client_id: m.client_id.map(ClientId::from_uuid),
            username_token: m.username_token,
            password_hash: m.password_hash,
            totp_secret_ct: m.totp_secret_ct,
            totp_confirmed: m.totp_confirmed,
            created_at: m.created_at,
        }
    }
}

/// A portal session as stored (by the hash of its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalSessionRow {
    pub token_hash: Vec<u8>,
    pub account_id: PortalAccountId,
    pub stage: String,
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl From<sessions::Model> for PortalSessionRow {
    fn from(m: sessions::Model) -> Self {
        Self {
            token_hash: m.token_hash,
            account_id: PortalAccountId::from_uuid(m.account_id),
            stage: m.stage,
            csrf: m.csrf,
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
        }
    }
}

pub async fn insert_invitation(tx: &Tx, i: &NewPortalInvitation) -> Result<(), StoreError> {
    invitations::Entity::insert(invitations::ActiveModel {
        id: Set(i.id.as_uuid()),
        client_id: Set(i.client_id.as_uuid()),
        code_hash: Set(i.code_hash.clone()),
        created_by: Set(i.created_by.as_uuid()),
        created_at: Set(micros(i.created_at)),
        expires_at: Set(micros(i.expires_at)),
        used_at: Set(None),
        related_person_id: Set(i.related_person_id.map(|p| p.as_uuid())),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Removes a client's own invitations that were never used (a new one replaces them, a
/// revocation ends them). Returns how many went.
pub async fn delete_unused_invitations_of(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(invitations::Entity::delete_many()
        .filter(invitations::Column::ClientId.eq(client.as_uuid()))
        .filter(invitations::Column::RelatedPersonId.is_null())
        .filter(invitations::Column::UsedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Removes the unused invitations of one of a client's related persons.
pub async fn delete_unused_invitations_of_person(
    tx: &Tx,
    person: RelatedPersonId,
) -> Result<u64, StoreError> {
    Ok(invitations::Entity::delete_many()
        .filter(invitations::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(invitations::Column::UsedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// The newest invitation of a related person that is neither used nor expired at `now`.
pub async fn pending_invitation_of_person(
    tx: &Tx,
    person: RelatedPersonId,
    now: DateTime<Utc>,
) -> Result<Option<PortalInvitationRow>, StoreError> {
    Ok(invitations::Entity::find()
        .filter(invitations::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(invitations::Column::UsedAt.is_null())
        .filter(invitations::Column::ExpiresAt.gt(micros(now)))
        .order_by_desc(invitations::Column::CreatedAt)
        .limit(1)
        .one(&tx.inner)
        .await?
        .map(PortalInvitationRow::from))
}

/// The invitation with this code hash, used or not, expired or not.
pub async fn find_invitation(
    tx: &Tx,
    code_hash: &[u8],
) -> Result<Option<PortalInvitationRow>, StoreError> {
    Ok(invitations::Entity::find()
        .filter(invitations::Column::CodeHash.eq(code_hash.to_vec()))
        .one(&tx.inner)
        .await?
        .map(PortalInvitationRow::from))
}

/// Uses an invitation once: true when it was unused (it is now used), false when another
/// request used it first.
pub async fn use_invitation(
    tx: &Tx,
    id: PortalInvitationId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = invitations::Entity::update_many()
        .col_expr(invitations::Column::UsedAt, Expr::value(Some(micros(at))))
        .filter(invitations::Column::Id.eq(id.as_uuid()))
        .filter(invitations::Column::UsedAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The client's newest own invitation that is neither used nor expired at `now`.
pub async fn pending_invitation_of(
    tx: &Tx,
    client: ClientId,
    now: DateTime<Utc>,
) -> Result<Option<PortalInvitationRow>, StoreError> {
    Ok(invitations::Entity::find()
        .filter(invitations::Column::ClientId.eq(client.as_uuid()))
        .filter(invitations::Column::RelatedPersonId.is_null())
        .filter(invitations::Column::UsedAt.is_null())
        .filter(invitations::Column::ExpiresAt.gt(micros(now)))
        .order_by_desc(invitations::Column::CreatedAt)
        .limit(1)
        .one(&tx.inner)
        .await?
        .map(PortalInvitationRow::from))
}

/// Stores a new account. [`StoreError::Conflict`] when the username token or the client
/// already has one.
pub async fn insert_account(tx: &Tx, a: &NewPortalAccount) -> Result<(), StoreError> {
    let savepoint = tx.savepoint().await?;
    let result = accounts::Entity::insert(accounts::ActiveModel {
        id: Set(a.id.as_uuid()),
        client_id: Set(a.client_id.map(|c| c.as_uuid())),
        username_token: Set(a.username_token.clone()),
        password_hash: Set(a.password_hash.clone()),
        totp_secret_ct: Set(a.totp_secret_ct.clone()),
        totp_confirmed: Set(false),
        totp_last_step: Set(None),
        created_at: Set(micros(a.created_at)),
    })
    .exec_without_returning(&savepoint)
    .await;
    crate::release(savepoint, result).await
}

pub async fn account_of_client(
    tx: &Tx,
    client: ClientId,
) -> Result<Option<PortalAccountRow>, StoreError> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::ClientId.eq(client.as_uuid()))
        .one(&tx.inner)
        .await?
        .map(PortalAccountRow::from))
}

pub async fn find_account_by_username(
    tx: &Tx,
    username_token: &[u8],
) -> Result<Option<PortalAccountRow>, StoreError> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::UsernameToken.eq(username_token.to_vec()))
        .one(&tx.inner)
        .await?
        .map(PortalAccountRow::from))
}

pub async fn get_account(
    tx: &Tx,
    id: PortalAccountId,
) -> Result<Option<PortalAccountRow>, StoreError> {
    Ok(accounts::Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?
        .map(PortalAccountRow::from))
}

/// Marks the second factor as set up.
pub async fn confirm_totp(tx: &Tx, id: PortalAccountId) -> Result<(), StoreError> {
    accounts::Entity::update_many()
        .col_expr(accounts::Column::TotpConfirmed, Expr::value(true))
        .filter(accounts::Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Sets an account's second-factor secret (sealed by the core) as enrolled: only the
/// demo loader does this, with the shared secret it prints (`zorgvuldig demo`).
pub async fn set_confirmed_totp_secret(
    tx: &Tx,
    id: PortalAccountId,
    totp_secret_ct: &[u8],
) -> Result<(), StoreError> {
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::TotpSecretCt,
            Expr::value(totp_secret_ct.to_vec()),
        )
        .col_expr(accounts::Column::TotpConfirmed, Expr::value(true))
        .filter(accounts::Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Accepts a TOTP time step for an account once: true when `step` is later than any step
/// accepted before (and is now recorded), false for a replay.
pub async fn claim_totp_step(tx: &Tx, id: PortalAccountId, step: u64) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Condition;
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let done = accounts::Entity::update_many()
        .col_expr(accounts::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(accounts::Column::Id.eq(id.as_uuid()))
        .filter(
            Condition::any()
                .add(accounts::Column::TotpLastStep.is_null())
                .add(accounts::Column::TotpLastStep.lt(step)),
        )
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Removes the accounts `accounts` selects, with their sessions and recovery codes.
async fn delete_accounts_in(
    tx: &Tx,
    accounts: impl Fn() -> sea_orm::sea_query::SelectStatement,
) -> Result<u64, StoreError> {
    let mut n = sessions::Entity::delete_many()
        .filter(sessions::Column::AccountId.in_subquery(accounts()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    n += recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.in_subquery(accounts()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    n += accounts::Entity::delete_many()
        .filter(accounts::Column::Id.in_subquery(accounts()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n)
}

/// Removes a client's own access: the account with its sessions, recovery codes and the
/// links it read for others through, and the client's own invitations (a revocation).
/// Invitations for the client's parents or representatives stay. Returns how many rows
/// went.
pub async fn delete_own_access_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let accounts_of = || {
        sea_orm::sea_query::Query::select()
            .column(accounts::Column::Id)
            .from(accounts::Entity)
            .and_where(Expr::col(accounts::Column::ClientId).eq(client.as_uuid()))
            .to_owned()
    };
    let mut n = crate::minors::delete_links_of_accounts_of_client(tx, client).await?;
    n += delete_accounts_in(tx, accounts_of).await?;
    n += invitations::Entity::delete_many()
        .filter(invitations::Column::ClientId.eq(client.as_uuid()))
        .filter(invitations::Column::RelatedPersonId.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n)
}

/// Removes a client's account with its sessions and recovery codes, and every
/// invitation of the client, its related persons' included: destruction. Returns how
/// many rows went.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let mut n = delete_own_access_of_client(tx, client).await?;
    n += invitations::Entity::delete_many()
        .filter(invitations::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n)
}

/// Removes one account with its sessions and recovery codes (its links must be gone).
pub async fn delete_account(tx: &Tx, id: PortalAccountId) -> Result<u64, StoreError> {
    let one = || {
        sea_orm::sea_query::Query::select()
            .column(accounts::Column::Id)
            .from(accounts::Entity)
            .and_where(Expr::col(accounts::Column::Id).eq(id.as_uuid()))
            .to_owned()
    };
    delete_accounts_in(tx, one).await
}

/// Removes the accounts of parents and representatives who are no client themselves
/// and no longer read for anyone (their last link went).
pub async fn delete_accounts_without_links(tx: &Tx) -> Result<u64, StoreError> {
    let orphans = || {
        let linked = sea_orm::sea_query::Query::select()
            .column("account_id")
            .from("portal_account_links")
            .to_owned();
        sea_orm::sea_query::Query::select()
            .column(accounts::Column::Id)
            .from(accounts::Entity)
            .and_where(Expr::col(accounts::Column::ClientId).is_null())
            .and_where(Expr::col(accounts::Column::Id).not_in_subquery(linked))
            .to_owned()
    };
    delete_accounts_in(tx, orphans).await
}

/// Gives an account without a dossier of its own the client's (a parent who turns out
/// to be a client too redeems the client's own invitation). False when the account has
/// one already.
pub async fn set_account_client(
    tx: &Tx,
    id: PortalAccountId,
    client: ClientId,
) -> Result<bool, StoreError> {
    let savepoint = tx.savepoint().await?;
    let result = accounts::Entity::update_many()
        .col_expr(
            accounts::Column::ClientId,
            Expr::value(Some(client.as_uuid())),
        )
        .filter(accounts::Column::Id.eq(id.as_uuid()))
        .filter(accounts::Column::ClientId.is_null())
        .exec(&savepoint)
        .await;
    match result {
        Ok(done) => {
            savepoint.commit().await?;
            Ok(done.rows_affected == 1)
        }
        Err(e) => {
            savepoint.rollback().await?;
            Err(e.into())
        }
    }
}

pub async fn insert_session(tx: &Tx, s: &PortalSessionRow) -> Result<(), StoreError> {
    sessions::Entity::insert(sessions::ActiveModel {
        token_hash: Set(s.token_hash.clone()),
        account_id: Set(s.account_id.as_uuid()),
        stage: Set(s.stage.clone()),
        csrf: Set(s.csrf.clone()),
        created_at: Set(micros(s.created_at)),
        last_seen_at: Set(micros(s.last_seen_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// A session with its account, in one statement: it runs on every portal request.
pub async fn session_with_account(
    tx: &Tx,
    token_hash: &[u8],
) -> Result<Option<(PortalSessionRow, PortalAccountRow)>, StoreError> {
    use sea_orm::sea_query::{Alias, JoinType, Query};
    use sea_orm::{ConnectionTrait as _, FromQueryResult, Iterable as _};

    let mut q = Query::select();
    for c in sessions::Column::iter() {
        q.expr_as(
            Expr::col((sessions::Entity, c)),
            Alias::new(format!("s_{}", sea_orm::IdenStatic::as_str(&c))),
        );
    }
    for c in accounts::Column::iter() {
        q.expr_as(
            Expr::col((accounts::Entity, c)),
            Alias::new(format!("a_{}", sea_orm::IdenStatic::as_str(&c))),
        );
    }
    q.from(sessions::Entity)
        .join(
            JoinType::InnerJoin,
            accounts::Entity,
            Expr::col((accounts::Entity, accounts::Column::Id))
                .equals((sessions::Entity, sessions::Column::AccountId)),
        )
        .and_where(
            Expr::col((sessions::Entity, sessions::Column::TokenHash)).eq(token_hash.to_vec()),
        );
    let Some(row) = tx.inner.query_one(&q).await? else {
        return Ok(None);
    };
    let s = sessions::Model::from_query_result(&row, "s_")?;
    let a = accounts::Model::from_query_result(&row, "a_")?;
    Ok(Some((PortalSessionRow::from(s), PortalAccountRow::from(a))))
}

pub async fn touch_session(
    tx: &Tx,
    token_hash: &[u8],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastSeenAt, Expr::value(micros(at)))
        .filter(sessions::Column::TokenHash.eq(token_hash.to_vec()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Ends a session; the account it belonged to, if it still existed.
pub async fn delete_session(
    tx: &Tx,
    token_hash: &[u8],
) -> Result<Option<PortalAccountId>, StoreError> {
    let account: Option<Uuid> = sessions::Entity::find_by_id(token_hash.to_vec())
        .select_only()
        .column(sessions::Column::AccountId)
        .into_tuple()
        .one(&tx.inner)
        .await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(token_hash.to_vec()))
        .exec(&tx.inner)
        .await?;
    Ok(account.map(PortalAccountId::from_uuid))
}

/// Replaces an account's recovery codes with new ones (hashes).
pub async fn replace_recovery_codes(
    tx: &Tx,
    account: PortalAccountId,
    hashes: &[Vec<u8>],
) -> Result<(), StoreError> {
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.eq(account.as_uuid()))
        .exec(&tx.inner)
        .await?;
    if hashes.is_empty() {
        return Ok(());
    }
    recovery_codes::Entity::insert_many(hashes.iter().map(|h| recovery_codes::ActiveModel {
        account_id: Set(account.as_uuid()),
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
    account: PortalAccountId,
    hash: &[u8],
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = recovery_codes::Entity::update_many()
        .col_expr(
            recovery_codes::Column::UsedAt,
            Expr::value(Some(micros(at))),
        )
        .filter(recovery_codes::Column::AccountId.eq(account.as_uuid()))
        .filter(recovery_codes::Column::CodeHash.eq(hash.to_vec()))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected == 1)
}
