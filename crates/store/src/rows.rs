//! Row types: what goes in (`New*`) and what comes out (`*Row`). Personal fields are
//! ciphertext (`*_ct`).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::QueryResult;
use uuid::Uuid;
use zv_domain::{
    AttachmentId, ClientId, EntryId, RelatedPersonId, TrajectoryId, UserId, WorkNoteId,
};

use crate::StoreError;

pub(crate) fn get<T: sea_orm::TryGetable>(r: &QueryResult, col: &str) -> Result<T, StoreError> {
    Ok(r.try_get::<T>("", col)?)
}

#[derive(Debug, Clone)]
pub struct WrappedKeyRow {
    pub kek_version: i32,
    pub key_version: i32,
    pub wrapped: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewClient {
    pub id: ClientId,
    pub branch_code: String,
    pub name_ct: Vec<u8>,
    pub birth_date_ct: Vec<u8>,
    pub gender_ct: Option<Vec<u8>>,
    pub address_ct: Option<Vec<u8>>,
    pub phone_ct: Option<Vec<u8>>,
    pub email_ct: Option<Vec<u8>>,
    pub bsn_ct: Option<Vec<u8>>,
    pub confidential_address: bool,
    pub created_at: DateTime<Utc>,
}

pub type ClientRow = NewClient;

#[derive(Debug, Clone)]
pub struct NewRelatedPerson {
    pub id: RelatedPersonId,
    pub client_id: ClientId,
    pub relation: String,
    pub name_ct: Vec<u8>,
    pub birth_date_ct: Option<Vec<u8>>,
    pub phone_ct: Option<Vec<u8>>,
    pub email_ct: Option<Vec<u8>>,
    pub address_ct: Option<Vec<u8>>,
    pub authority_since: Option<NaiveDate>,
    pub mandate_ct: Option<Vec<u8>>,
    pub linked_client_id: Option<ClientId>,
    pub created_at: DateTime<Utc>,
}

pub type RelatedPersonRow = NewRelatedPerson;

#[derive(Debug, Clone)]
pub struct NewTrajectory {
    pub id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub branch_code: String,
    pub team_code: String,
    pub domestic_violence: bool,
    pub opened_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// A trajectory's metadata: no dossier content, so it needs no proof to read.
#[derive(Debug, Clone)]
pub struct TrajectoryRow {
    pub id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub branch_code: String,
    pub team_code: String,
    pub domestic_violence: bool,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub last_change_at: DateTime<Utc>,
    pub retention_until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: EntryId,
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub kind: String,
    pub special_category: Option<String>,
    pub necessity_ct: Option<Vec<u8>>,
    /// Version 1's content.
    pub content_ct: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// An entry with its current version's content.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: EntryId,
    pub trajectory_id: TrajectoryId,
    pub kind: String,
    pub special_category: Option<String>,
    pub necessity_ct: Option<Vec<u8>>,
    pub current_version: i32,
    pub content_ct: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct EntryVersionRow {
    pub version: i32,
    pub content_ct: Vec<u8>,
    pub author_id: UserId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewGoalProgress {
    pub id: Uuid,
    pub entry_id: EntryId,
    pub client_id: ClientId,
    pub progress: i32,
    pub note_ct: Vec<u8>,
    pub author_id: UserId,
    pub created_at: DateTime<Utc>,
}

pub type GoalProgressRow = NewGoalProgress;

#[derive(Debug, Clone)]
pub struct NewWorkNote {
    pub id: WorkNoteId,
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub author_id: UserId,
    pub body_ct: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct WorkNoteRow {
    pub id: WorkNoteId,
    pub body_ct: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: AttachmentId,
    pub entry_id: EntryId,
    pub client_id: ClientId,
    pub filename_ct: Vec<u8>,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

pub type AttachmentRow = NewAttachment;

#[derive(Debug, Clone)]
pub struct NewStaffUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub totp_secret_ct: Vec<u8>,
    pub branch_code: Option<String>,
    pub confidentiality_signed_on: Option<NaiveDate>,
    pub roles: Vec<String>,
    pub teams: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct StaffUserRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub totp_secret_ct: Vec<u8>,
    pub totp_confirmed: bool,
    pub branch_code: Option<String>,
    pub confidentiality_signed_on: Option<NaiveDate>,
    pub disabled: bool,
    pub roles: Vec<String>,
    pub teams: Vec<String>,
}
