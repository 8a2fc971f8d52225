//! The one download that access copies (RTS-4) and portability files (RTS-8) share: a
//! file sealed under the client's key, held until it is downloaded once or its time is
//! up, reached through a one-time link that is kept only as a hash. Both tables keep
//! the same columns for this under the same names, except the sealed file itself, so
//! one set of statements serves both, parameterised by [`HeldTable`].

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait as _, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait as _, DbErr, QueryResult};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

/// A table of files held for one download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldTable {
    /// `access_copies`: the bundle of an access copy.
    AccessCopies,
    /// `portability_exports`: a portability file.
    PortabilityExports,
}

impl HeldTable {
    fn table(self) -> Alias {
        Alias::new(match self {
            Self::AccessCopies => "access_copies",
            Self::PortabilityExports => "portability_exports",
        })
    }

    /// The column with the sealed file; empty once downloaded or erased.
    fn file_name(self) -> &'static str {
        match self {
            Self::AccessCopies => "bundle_ct",
            Self::PortabilityExports => "file_ct",
        }
    }

    fn file(self) -> Alias {
        Alias::new(self.file_name())
    }

    /// The column naming the staff member who downloaded the file, where one may:
    /// access copies only ever go to the portal account that asked.
    fn downloaded_by(self) -> Option<Alias> {
        match self {
            Self::AccessCopies => None,
            Self::PortabilityExports => Some(Alias::new("downloaded_by")),
        }
    }
}

fn col(name: &'static str) -> Expr {
    Expr::col(Alias::new(name))
}

/// What a download decides on, common to every held file: whose it is, which account
/// may have it, and whether and until when it is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldFile {
    pub id: Uuid,
    pub request_id: Uuid,
    pub client_id: ClientId,
    pub portal_account: Option<PortalAccountId>,
    pub available_until: DateTime<Utc>,
    /// Whether the file is still held (not downloaded, not expired and erased).
    pub held: bool,
}

/// A row of a [`HeldTable`], without its file.
pub trait HeldRow: Sized {
    /// The table the row is read from.
    const TABLE: HeldTable;

    /// Reads the row from a result of `SELECT *` on [`Self::TABLE`].
    ///
    /// # Errors
    /// When a column is missing or of another type.
    fn from_result(r: &QueryResult) -> Result<Self, DbErr>;
}

/// A row read with the part of it a download decides on.
fn held<R: HeldRow>(r: &QueryResult) -> Result<(R, HeldFile), DbErr> {
    let file = HeldFile {
        id: r.try_get("", "id")?,
        request_id: r.try_get("", "request_id")?,
        client_id: ClientId::from_uuid(r.try_get("", "client_id")?),
        portal_account: r
            .try_get::<Option<Uuid>>("", "portal_account_id")?
            .map(PortalAccountId::from_uuid),
        available_until: r.try_get("", "available_until")?,
        held: r
            .try_get::<Option<Vec<u8>>>("", R::TABLE.file_name())?
            .is_some(),
    };
    Ok((R::from_result(r)?, file))
}

fn select<R: HeldRow>() -> SelectStatement {
    Query::select()
        .column(Asterisk)
        .from(R::TABLE.table())
        .to_owned()
}

async fn one<R: HeldRow>(
    tx: &Tx,
    q: &SelectStatement,
) -> Result<Option<(R, HeldFile)>, StoreError> {
    match tx.inner.query_one(q).await? {
        Some(r) => Ok(Some(held(&r)?)),
        None => Ok(None),
    }
}

/// A held row by its id.
pub async fn meta<R: HeldRow>(tx: &Tx, id: Uuid) -> Result<Option<(R, HeldFile)>, StoreError> {
    one(tx, &select::<R>().and_where(col("id").eq(id)).to_owned()).await
}

/// The rows a portal account may download, newest first.
pub async fn of_portal_account<R: HeldRow>(
    tx: &Tx,
    account: PortalAccountId,
) -> Result<Vec<(R, HeldFile)>, StoreError> {
    let q = select::<R>()
        .and_where(col("portal_account_id").eq(account.as_uuid()))
        .order_by(Alias::new("prepared_at"), Order::Desc)
        .order_by(Alias::new("id"), Order::Desc)
        .to_owned();
    let rows = tx.inner.query_all(&q).await?;
    Ok(rows.iter().map(held).collect::<Result<_, DbErr>>()?)
}

/// The row a link's hash opens, while the link has not expired.
pub async fn find_by_link<R: HeldRow>(
    tx: &Tx,
    hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<(R, HeldFile)>, StoreError> {
    let q = select::<R>()
        .and_where(col("link_hash").eq(hash.to_vec()))
        .and_where(col("link_expires_at").gt(micros(now)))
        .to_owned();
    one(tx, &q).await
}

/// Sets a fresh link on a file still held; an earlier link stops working.
pub async fn set_link(
    tx: &Tx,
    table: HeldTable,
    id: Uuid,
    hash: Vec<u8>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let update = Query::update()
        .table(table.table())
        .value(Alias::new("link_hash"), hash)
        .value(Alias::new("link_expires_at"), micros(expires_at))
        .and_where(col("id").eq(id))
        .and_where(Expr::col(table.file()).is_not_null())
        .to_owned();
    if tx.inner.execute(&update).await?.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Takes a file out for its one download: returns the ciphertext and, in the caller's
/// transaction, empties it and its link and records when (and, where the table keeps
/// it, by which staff member), so a second use finds nothing.
pub async fn take(
    tx: &Tx,
    table: HeldTable,
    auth: &Authorized,
    id: Uuid,
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> Result<Option<Vec<u8>>, StoreError> {
    let q = Query::select()
        .column(Alias::new("client_id"))
        .expr_as(Expr::col(table.file()), Alias::new("zv_file"))
        .from(table.table())
        .and_where(col("id").eq(id))
        .to_owned();
    let Some(r) = tx.inner.query_one(&q).await? else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(r.try_get::<Uuid>("", "client_id")?))?;
    let Some(file) = r.try_get::<Option<Vec<u8>>>("", "zv_file")? else {
        return Ok(None);
    };
    let mut update = Query::update();
    update
        .table(table.table())
        .value(table.file(), Option::<Vec<u8>>::None)
        .value(Alias::new("link_hash"), Option::<Vec<u8>>::None)
        .value(Alias::new("downloaded_at"), micros(at));
    if let Some(column) = table.downloaded_by() {
        update.value(column, by.map(|u| u.as_uuid()));
    }
    update
        .and_where(col("id").eq(id))
        .and_where(Expr::col(table.file()).is_not_null());
    // Another download took it between the read and the update.
    Ok((tx.inner.execute(&update).await?.rows_affected() == 1).then_some(file))
}

/// Erases the files not downloaded in time; returns how many.
pub async fn erase_expired(
    tx: &Tx,
    table: HeldTable,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let update = Query::update()
        .table(table.table())
        .value(table.file(), Option::<Vec<u8>>::None)
        .value(Alias::new("link_hash"), Option::<Vec<u8>>::None)
        .and_where(Expr::col(table.file()).is_not_null())
        .and_where(col("available_until").lte(micros(now)))
        .to_owned();
    Ok(tx.inner.execute(&update).await?.rows_affected())
}
