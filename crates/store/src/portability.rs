//! Portability files (RTS-8, AVG art. 20): held sealed with the client's key until their
//! one download, to the client through a one-time link (kept as a hash) or by the
//! privacy officer to send to the organisation the client chose. The file is handed out
//! only with a proof for its client; dates, ids and countries are not personal content.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QueryResult,
};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, UserId};

use crate::downloads::{self, HeldRow, HeldTable};
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

impl HeldRow for ExportRow {
    const TABLE: HeldTable = HeldTable::PortabilityExports;

    fn from_result(r: &QueryResult) -> Result<Self, DbErr> {
        exports::Model::from_query_result(r, "").map(Self::from)
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

/// A file by its id, without the file.
pub async fn meta(tx: &Tx, id: Uuid) -> Result<Option<ExportRow>, StoreError> {
    Ok(downloads::meta(tx, id).await?.map(|(row, _)| row))
}

/// Takes a file out for its one download (see [`downloads::take`]); `by` is the staff
/// member who downloads it to send it to the organisation.
pub async fn take_file(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> Result<Option<Vec<u8>>, StoreError> {
    downloads::take(tx, HeldTable::PortabilityExports, auth, id, at, by).await
}

/// Erases the files not downloaded in time; returns how many.
pub async fn erase_expired(tx: &Tx, now: DateTime<Utc>) -> Result<u64, StoreError> {
    downloads::erase_expired(tx, HeldTable::PortabilityExports, now).await
}

/// Removes a client's files and transfer records (destruction, RET-4), and the facts of
/// their portability decisions.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let files = exports::Entity::delete_many()
        .filter(exports::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let facts = decisions::Entity::delete_many()
        .filter(decisions::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(files + facts)
}

// ---------------------------------------------------------------------------------------
// The facts of a decision (m0017)

/// What the generated reasons of a portability decision rest on, sealed with the client's
/// key: the decision letter words them in its own language from these.
mod decisions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portability_decisions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        pub client_id: Uuid,
        pub facts_ct: Vec<u8>,
        pub decided_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Records the sealed facts of a request's generated reasons; once per request.
pub async fn insert_decision_facts(
    tx: &Tx,
    request: Uuid,
    client: ClientId,
    facts_ct: Vec<u8>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    decisions::Entity::insert(decisions::ActiveModel {
        request_id: Set(request),
        client_id: Set(client.as_uuid()),
        facts_ct: Set(facts_ct),
        decided_at: Set(micros(at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The sealed facts of a request's generated reasons, if they are the proof's client's;
/// `None` when the privacy officer wrote the reasons.
pub async fn decision_facts(
    tx: &Tx,
    auth: &Authorized,
    request: Uuid,
) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(m) = decisions::Entity::find_by_id(request)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.facts_ct))
}
