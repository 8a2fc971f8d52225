//! Row types: what goes in (`New*`) and what comes out (`*Row`). Personal fields are
//! ciphertext (`*_ct`), sealed and opened by the core; the store never sees plaintext.
//! The `Debug` output of these types shows ciphertext as bytes, which is harmless but
//! useless: log ids, not rows.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use zv_domain::{
    AttachmentId, ClientId, EntryId, RelatedPersonId, TrajectoryId, UserId, WorkNoteId,
};

use crate::entity;

/// Instants are stored to the microsecond, the precision both engines keep (PostgreSQL's
/// `timestamptz`; SQLite would keep nanoseconds in its text). Truncating before every
/// write makes what is read back identical on both engines.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(t, 6)
}

/// A data key as stored: wrapped by the key-encryption key of `kek_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKeyRow {
    pub kek_version: i32,
    pub key_version: i32,
    pub wrapped: Vec<u8>,
}

/// A client ("cliënt") to insert.
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

#[derive(Debug, Clone)]
pub struct ClientRow {
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
    pub updated_at: DateTime<Utc>,
}

/// New ciphertexts for a client's profile; `None` leaves a field as it is. For the
/// optional fields, `Some(None)` clears the field.
#[derive(Debug, Clone, Default)]
pub struct ClientUpdate {
    pub name_ct: Option<Vec<u8>>,
    pub birth_date_ct: Option<Vec<u8>>,
    pub gender_ct: Option<Option<Vec<u8>>>,
    pub address_ct: Option<Option<Vec<u8>>>,
    pub phone_ct: Option<Option<Vec<u8>>>,
    pub email_ct: Option<Option<Vec<u8>>>,
    pub bsn_ct: Option<Option<Vec<u8>>>,
    pub confidential_address: Option<bool>,
    pub branch_code: Option<String>,
}

/// A related person: parent, guardian, representative, family member.
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

#[derive(Debug, Clone)]
pub struct RelatedPersonRow {
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

/// A trajectory ("traject"): one service for one client.
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
    pub facts: ReportFacts,
}

/// What anonymous reports count of a trajectory (SHR-5): codes only, never a date of
/// birth or a name. `None` where it is not known (yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFacts {
    /// One of the branch's municipalities.
    pub municipality: Option<String>,
    /// The policy's age band on the day the trajectory opened.
    pub age_band: Option<String>,
    /// The gender code.
    pub gender: Option<String>,
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
    /// The freeze in force (RTS-7, RTS-9, RTS-10): since when, and its kind
    /// (`restriction`, `objection`, `consent_withdrawn`).
    pub frozen_since: Option<DateTime<Utc>>,
    pub frozen_kind: Option<String>,
    pub facts: ReportFacts,
}

/// A worker assigned to a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    pub trajectory_id: TrajectoryId,
    pub user_id: UserId,
    pub assigned_on: NaiveDate,
}

/// A dossier entry with its first version's content.
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
    pub client_id: ClientId,
    pub kind: String,
    pub special_category: Option<String>,
    pub necessity_ct: Option<Vec<u8>>,
    pub current_version: i32,
    pub content_ct: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An entry without content: enough for the gate to decide and for listings.
#[derive(Debug, Clone)]
pub struct EntryMeta {
    pub id: EntryId,
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub kind: String,
    pub special_category: Option<String>,
    pub current_version: i32,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A later version of an entry.
#[derive(Debug, Clone)]
pub struct NewEntryVersion {
    pub entry_id: EntryId,
    pub version: i32,
    pub content_ct: Vec<u8>,
    pub author_id: UserId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct EntryVersionRow {
    pub entry_id: EntryId,
    pub version: i32,
    pub content_ct: Vec<u8>,
    pub author_id: UserId,
    pub created_at: DateTime<Utc>,
}

/// Progress on a goal (an entry of kind goal).
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

#[derive(Debug, Clone)]
pub struct GoalProgressRow {
    pub id: Uuid,
    pub entry_id: EntryId,
    pub client_id: ClientId,
    pub progress: i32,
    pub note_ct: Vec<u8>,
    pub author_id: UserId,
    pub created_at: DateTime<Utc>,
}

/// A personal work note ("werkaantekening"), not part of the dossier.
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
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub author_id: UserId,
    pub body_ct: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An attachment's row; its content is a file (see `blobs`).
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

#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub entry_id: EntryId,
    pub client_id: ClientId,
    pub filename_ct: Vec<u8>,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// A staff account with its roles and teams.
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
    pub created_at: DateTime<Utc>,
}

impl From<entity::clients::Model> for ClientRow {
    fn from(m: entity::clients::Model) -> Self {
        Self {
            id: ClientId::from_uuid(m.id),
            branch_code: m.branch_code,
            name_ct: m.name_ct,
            birth_date_ct: m.birth_date_ct,
            gender_ct: m.gender_ct,
            address_ct: m.address_ct,
            phone_ct: m.phone_ct,
            email_ct: m.email_ct,
            bsn_ct: m.bsn_ct,
            confidential_address: m.confidential_address,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl From<entity::related_persons::Model> for RelatedPersonRow {
    fn from(m: entity::related_persons::Model) -> Self {
        Self {
            id: RelatedPersonId::from_uuid(m.id),
            client_id: ClientId::from_uuid(m.client_id),
            relation: m.relation,
            name_ct: m.name_ct,
            birth_date_ct: m.birth_date_ct,
            phone_ct: m.phone_ct,
            email_ct: m.email_ct,
            address_ct: m.address_ct,
            authority_since: m.authority_since,
            mandate_ct: m.mandate_ct,
            linked_client_id: m.linked_client_id.map(ClientId::from_uuid),
            created_at: m.created_at,
        }
    }
}

impl From<entity::trajectories::Model> for TrajectoryRow {
    fn from(m: entity::trajectories::Model) -> Self {
        Self {
            id: TrajectoryId::from_uuid(m.id),
            client_id: ClientId::from_uuid(m.client_id),
            service_type: m.service_type,
            branch_code: m.branch_code,
            team_code: m.team_code,
            domestic_violence: m.domestic_violence,
            opened_on: m.opened_on,
            closed_on: m.closed_on,
            last_change_at: m.last_change_at,
            retention_until: m.retention_until,
            created_at: m.created_at,
            frozen_since: m.frozen_since,
            frozen_kind: m.frozen_kind,
            facts: ReportFacts {
                municipality: m.municipality,
                age_band: m.age_band,
                gender: m.gender,
            },
        }
    }
}

impl From<entity::trajectory_workers::Model> for WorkerRow {
    fn from(m: entity::trajectory_workers::Model) -> Self {
        Self {
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            user_id: UserId::from_uuid(m.user_id),
            assigned_on: m.assigned_on,
        }
    }
}

impl From<entity::entries::Model> for EntryMeta {
    fn from(m: entity::entries::Model) -> Self {
        Self {
            id: EntryId::from_uuid(m.id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            client_id: ClientId::from_uuid(m.client_id),
            kind: m.kind,
            special_category: m.special_category,
            current_version: m.current_version,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl From<entity::entry_versions::Model> for EntryVersionRow {
    fn from(m: entity::entry_versions::Model) -> Self {
        Self {
            entry_id: EntryId::from_uuid(m.entry_id),
            version: m.version,
            content_ct: m.content_ct,
            author_id: UserId::from_uuid(m.author_id),
            created_at: m.created_at,
        }
    }
}

impl From<entity::work_notes::Model> for WorkNoteRow {
    fn from(m: entity::work_notes::Model) -> Self {
        Self {
            id: WorkNoteId::from_uuid(m.id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            client_id: ClientId::from_uuid(m.client_id),
            author_id: UserId::from_uuid(m.author_id),
            body_ct: m.body_ct,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl From<entity::attachments::Model> for AttachmentRow {
    fn from(m: entity::attachments::Model) -> Self {
        Self {
            id: AttachmentId::from_uuid(m.id),
            entry_id: EntryId::from_uuid(m.entry_id),
            client_id: ClientId::from_uuid(m.client_id),
            filename_ct: m.filename_ct,
            media_type: m.media_type,
            size_bytes: m.size_bytes,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
        }
    }
}

impl From<entity::client_keys::Model> for WrappedKeyRow {
    fn from(m: entity::client_keys::Model) -> Self {
        Self {
            kek_version: m.kek_version,
            key_version: m.key_version,
            wrapped: m.wrapped,
        }
    }
}

impl From<entity::system_keys::Model> for WrappedKeyRow {
    fn from(m: entity::system_keys::Model) -> Self {
        Self {
            kek_version: m.kek_version,
            key_version: m.key_version,
            wrapped: m.wrapped,
        }
    }
}
