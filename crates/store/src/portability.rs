//! Portability files (RTS-8, AVG art. 20): held sealed with the client's key until their
//! one download, to the client through a one-time link (kept as a hash) or by the
//! privacy officer to send to the organisation the client chose. The file is handed out
//! only with a proof for its client; dates, ids and countries are not personal content.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod exports {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portability_exports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub request_id: Uuid,
        pub client_id: Uuid,
        pub destination: String,
        pub portal_account_id: Option<Uuid>,
        pub recipient_name_ct: Option<Vec<u8>>,
        pub recipient_country: Option<String>,
        pub prepared_by: Uuid,
        pub prepared_at: DateTimeUtc,
        pub available_until: DateTimeUtc,
        pub file_ct: Option<Vec<u8>>,
        pub size_bytes: i64,
        pub link_hash: Option<Vec<u8>>,
        pub link_expires_at: Option<DateTimeUtc>,
        pub downloaded_at: Option<DateTimeUtc>,
        pub downloaded_by: Option<Uuid>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A prepared portability file, without the file.
#[derive(Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub client_id: ClientId,
    /// `client` or `organisation`.
    pub destination: String,
    /// The client's portal account that may download it (destination `client`).
    pub portal_account: Option<PortalAccountId>,
    pub recipient_name_ct: Option<Vec<u8>>,
    pub recipient_country: Option<String>,
    pub prepared_by: UserId,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    /// Whether the file is still held (not downloaded, not expired and erased).
    pub held: bool,
    pub size_bytes: i64,
    pub downloaded_at: Option<DateTime<Utc>>,
    /// The staff member who downloaded it to send it to the organisation.
    pub downloaded_by: Option<UserId>,
}

impl std::fmt::Debug for ExportRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExportRow({}, {}, ***)", self.id, self.destination)
    }
}

impl From<exports::Model> for ExportRow {
    fn from(m: exports::Model) -> Self {
        Self {
            id: m.id,
            request_id: m.request_id,
            client_id: ClientId::from_uuid(m.client_id),
            destination: m.destination,
            portal_account: m.portal_account_id.map(PortalAccountId::from_uuid),
            recipient_name_ct: m.recipient_name_ct,
            recipient_country: m.recipient_country,
            prepared_by: UserId::from_uuid(m.prepared_by),
            prepared_at: m.prepared_at,
            available_until: m.available_until,
            held: m.file_ct.is_some(),
            size_bytes: m.size_bytes,
            downloaded_at: m.downloaded_at,
            downloaded_by: m.downloaded_by.map(UserId::from_uuid),
        }
    }
}

/// A new file to hold until it is downloaded.
pub struct NewExport {
    pub id: Uuid,
    pub request_id: Uuid,
    pub client_id: ClientId,
    pub destination: &'static str,
    pub portal_account: Option<PortalAccountId>,
    pub recipient_name_ct: Option<Vec<u8>>,
    pub recipient_country: Option<String>,
    pub prepared_by: UserId,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    pub file_ct: Vec<u8>,
}

impl std::fmt::Debug for NewExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewExport({}, ***)", self.id)
    }
}

pub async fn insert(tx: &Tx, e: &NewExport) -> Result<(), StoreError> {
    let size = i64::try_from(e.file_ct.len()).unwrap_or(i64::MAX);
    exports::Entity::insert(exports::ActiveModel {
        id: Set(e.id),
        request_id: Set(e.request_id),
        client_id: Set(e.client_id.as_uuid()),
        destination: Set(e.destination.to_owned()),
        portal_account_id: Set(e.portal_account.map(|a| a.as_uuid())),
        recipient_name_ct: Set(e.recipient_name_ct.clone()),
        recipient_country: Set(e.recipient_country.clone()),
        prepared_by: Set(e.prepared_by.as_uuid()),
        prepared_at: Set(micros(e.prepared_at)),
        available_until: Set(micros(e.available_until)),
        file_ct: Set(Some(e.file_ct.clone())),
        size_bytes: Set(size),
        link_hash: Set(None),
        link_expires_at: Set(None),
        downloaded_at: Set(None),
        downloaded_by: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The files of a request, newest first.
pub async fn of_request(tx: &Tx, request: Uuid) -> Result<Vec<ExportRow>, StoreError> {
    Ok(exports::Entity::find()
        .filter(exports::Column::RequestId.eq(request))
        .order_by_desc(exports::Column::PreparedAt)
        .order_by_desc(exports::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ExportRow::from)
        .collect())
}

/// The transfers of a client's data to other organisations, oldest first: with their
/// sealed recipient names, for the proof's client.
pub async fn transfers_of_client(tx: &Tx, auth: &Authorized) -> Result<Vec<ExportRow>, StoreError> {
    Ok(exports::Entity::find()
        .filter(exports::Column::ClientId.eq(auth.client_id().as_uuid()))
        .filter(exports::Column::Destination.eq("organisation"))
        .filter(exports::Column::DownloadedAt.is_not_null())
        .order_by_asc(exports::Column::DownloadedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ExportRow::from)
        .collect())
}

/// The files a portal account may download, newest first.
pub async fn of_portal_account(
    tx: &Tx,
    account: PortalAccountId,
) -> Result<Vec<ExportRow>, StoreError> {
    Ok(exports::Entity::find()
        .filter(exports::Column::PortalAccountId.eq(account.as_uuid()))
        .order_by_desc(exports::Column::PreparedAt)
        .order_by_desc(exports::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ExportRow::from)
        .collect())
}

pub async fn meta(tx: &Tx, id: Uuid) -> Result<Option<ExportRow>, StoreError> {
    Ok(exports::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(ExportRow::from))
}

/// The file a link's hash opens, while the link has not expired.
pub async fn find_by_link(
    tx: &Tx,
    hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<ExportRow>, StoreError> {
    Ok(exports::Entity::find()
        .filter(exports::Column::LinkHash.eq(hash.to_vec()))
        .filter(exports::Column::LinkExpiresAt.gt(micros(now)))
        .one(&tx.inner)
        .await?
        .map(ExportRow::from))
}

/// Sets a fresh link on a file still held; an earlier link stops working.
pub async fn set_link(
    tx: &Tx,
    id: Uuid,
    hash: Vec<u8>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = exports::Entity::update_many()
        .col_expr(exports::Column::LinkHash, Expr::value(hash))
        .col_expr(
            exports::Column::LinkExpiresAt,
            Expr::value(micros(expires_at)),
        )
        .filter(exports::Column::Id.eq(id))
        .filter(exports::Column::FileCt.is_not_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Takes a file out for its one download: returns the ciphertext and, in the caller's
/// transaction, empties it and its link and records when and by whom (staff only), so a
/// second use finds nothing.
pub async fn take_file(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(m) = exports::Entity::find_by_id(id).one(&tx.inner).await? else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    let Some(file) = m.file_ct else {
        return Ok(None);
    };
    let n = exports::Entity::update_many()
        .col_expr(
            exports::Column::FileCt,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .col_expr(
            exports::Column::LinkHash,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .col_expr(exports::Column::DownloadedAt, Expr::value(micros(at)))
        .col_expr(
            exports::Column::DownloadedBy,
            Expr::value(by.map(|u| u.as_uuid())),
        )
        .filter(exports::Column::Id.eq(id))
        .filter(exports::Column::FileCt.is_not_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    // Another download took it between the read and the update.
    Ok((n == 1).then_some(file))
}

/// Erases the files not downloaded in time; returns how many.
pub async fn erase_expired(tx: &Tx, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(exports::Entity::update_many()
        .col_expr(
            exports::Column::FileCt,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .col_expr(
            exports::Column::LinkHash,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .filter(exports::Column::FileCt.is_not_null())
        .filter(exports::Column::AvailableUntil.lte(micros(now)))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Removes a client's files and transfer records (destruction, RET-4).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(exports::Entity::delete_many()
        .filter(exports::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
