//! The mail outbox (decision 0009): a notification is a row written in the same
//! transaction as the event that causes it, so an event that rolls back sends nothing and
//! one that commits cannot lose its mail. A sender delivers the rows later and records
//! each attempt. Rows hold no client data (the core writes them that way); the recipient
//! is an organisation's own address.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::rows::micros;
use crate::{StoreError, Tx};

mod table {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub created_at: DateTimeUtc,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub kind: String,
        pub attempts: i32,
        pub last_error: Option<String>,
        pub next_attempt_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use table::{ActiveModel, Column, Entity, Model};

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// What caused it (`emergency-access`), for counts and logs.
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

/// A mail as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRow {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    /// Delivery attempts begun, including one that may still be under way.
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<Model> for MailRow {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            created_at: m.created_at,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            kind: m.kind,
            attempts: u32::try_from(m.attempts).unwrap_or_default(),
            last_error: m.last_error,
            next_attempt_at: m.next_attempt_at,
            sent_at: m.sent_at,
        }
    }
}

/// Queues a mail in the caller's transaction; it is due at once.
pub async fn enqueue(tx: &Tx, mail: &NewMail) -> Result<(), StoreError> {
    let at = micros(mail.created_at);
    Entity::insert(ActiveModel {
        id: Set(mail.id),
        created_at: Set(at),
        recipient: Set(mail.recipient.clone()),
        subject: Set(mail.subject.clone()),
        body: Set(mail.body.clone()),
        kind: Set(mail.kind.clone()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(at),
        sent_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The ids of unsent mails due at `now`, longest waiting first (at most `limit`).
pub async fn due(tx: &Tx, now: DateTime<Utc>, limit: u64) -> Result<Vec<Uuid>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(micros(now)))
        .order_by_asc(Column::NextAttemptAt)
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(&tx.inner)
        .await?)
}

/// Claims a due mail for one delivery attempt: counts the attempt and moves its next
/// attempt to `lease_until`, so that another sender (a second server on the same
/// database) skips it meanwhile, and a sender that dies mid-attempt leaves it to be tried
/// again after the lease. Returns the mail when this caller won it, `None` when it was
/// sent or claimed by another in the meantime.
pub async fn claim(
    tx: &Tx,
    id: Uuid,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<MailRow>, StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::NextAttemptAt, Expr::value(micros(lease_until)))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .filter(Column::NextAttemptAt.lte(micros(now)))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        return Ok(None);
    }
    find(tx, id).await
}

/// Records a delivered mail. Returns whether it was still unsent.
pub async fn mark_sent(tx: &Tx, id: Uuid, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::SentAt, Expr::value(Some(micros(at))))
        .col_expr(Column::LastError, Expr::value(None::<String>))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Records a failed attempt: a short error (no personal data) and when to try again.
pub async fn record_failure(
    tx: &Tx,
    id: Uuid,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastError, Expr::value(Some(error.to_owned())))
        .col_expr(Column::NextAttemptAt, Expr::value(micros(next_attempt_at)))
        .filter(Column::Id.eq(id))
        .filter(Column::SentAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(())
}

pub async fn find(tx: &Tx, id: Uuid) -> Result<Option<MailRow>, StoreError> {
    Ok(Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(MailRow::from))
}

/// Every mail not yet sent, oldest first (at most `limit`).
pub async fn unsent(tx: &Tx, limit: u64) -> Result<Vec<MailRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::SentAt.is_null())
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(MailRow::from)
        .collect())
}

/// How many mails wait to be sent.
pub async fn count_unsent(tx: &Tx) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::SentAt.is_null())
        .count(&tx.inner)
        .await?)
}

/// Removes the mails sent before `before`: a sent mail's row only records its delivery
/// (the event behind it is in the audit log), and it names a staff member or a request's
/// reference, so it is not kept longer than needed. Unsent mail stays whatever its age.
pub async fn prune_sent(tx: &Tx, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::SentAt.is_not_null())
        .filter(Column::SentAt.lt(micros(before)))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
