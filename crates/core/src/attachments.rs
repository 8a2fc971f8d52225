//! Attachments to dossier entries (reports from others, plans). The file is encrypted
//! under the client's key, bound to its attachment id, and kept as a blob in the data
//! directory; its name is encrypted too, since names of files carry names of people.

use zv_domain::{AttachmentId, AuditAction, AuditObject, EntryId};
use zv_store::NewAttachment;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::recordings::RecordingInput;

pub(crate) const T: &str = "attachments";

/// Media types a dossier accepts: documents, images, and sound and video recordings
/// (which need the agreement of those recorded, SEC-3); nothing executable.
pub const ACCEPTED_MEDIA_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
    "audio/wav",
    "audio/webm",
    "video/mp4",
    "video/webm",
    "video/quicktime",
];

/// A downloaded attachment.
pub struct AttachmentFile {
    pub filename: String,
    pub media_type: String,
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl App {
    /// Adds a file that is not a recording of people (a document, a scanned letter); a
    /// sound or video file is refused here, since it needs an agreement (SEC-3).
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        entry: EntryId,
        filename: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> CoreResult<AttachmentId> {
        self.add_attachment_with(
            actor,
            entry,
            filename,
            media_type,
            bytes,
            &RecordingInput::default(),
        )
        .await
    }

    /// Adds a file to an entry; a recording of people only with the recorded agreement
    /// of those recorded, stored in the same transaction (SEC-3, [`crate::recordings`]).
    pub async fn add_attachment_with(
        &self,
        actor: &Actor,
        entry: EntryId,
        filename: &str,
        media_type: &str,
        bytes: &[u8],
        recording: &RecordingInput,
    ) -> CoreResult<AttachmentId> {
        let filename = zv_domain::upload::file_name(filename).map_err(|_| {
            CoreError::invalid(
                "filename",
                "a file name of 1 to 255 characters without slashes",
            )
        })?;
        if !ACCEPTED_MEDIA_TYPES.contains(&media_type) {
            return Err(CoreError::invalid(
                "file",
                "this type of file is not accepted (PDF, PNG, JPEG, text, Word or OpenDocument text, or a sound or video recording)",
            ));
        }
        // SEC-3: refused before anything is stored.
        let agreement =
            crate::recordings::agreement_for(media_type, recording, self.clock.today())?;
        if bytes.is_empty() {
            return Err(CoreError::invalid("file", "the file is empty"));
        }
        if bytes.len() as u64 > self.settings.max_attachment_bytes {
            return Err(CoreError::invalid(
                "file",
                format!(
                    "the file is larger than {} MB",
                    self.settings.max_attachment_bytes / (1024 * 1024)
                ),
            ));
        }
        // A renamed program or archive is refused here, before it reaches a dossier
        // whose readers would open it trusting its type.
        if !zv_domain::upload::content_matches(media_type, bytes) {
            return Err(CoreError::invalid(
                "file",
                "the file's content does not match its type (is it a renamed file?)",
            ));
        }
        let (meta, _, entry_target) = self.entry_meta(entry).await?;
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("attachments are added by staff".into()))?;
        let id = AttachmentId::new();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::Attachment,
                    Some(meta.client_id),
                )
                .in_trajectory(meta.id)
                .target(attachment_target(entry_target))
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let sealed = key.encrypt(bytes, &zv_crypto::Aad::new(T, "content", id.as_uuid()));
        // The blob is written before the row commits: a crash in between leaves an
        // unreferenced encrypted file, never a row without its file.
        zv_store::blobs::put(&self.store, id, &sealed).await?;
        let row = NewAttachment {
            id,
            entry_id: entry,
            client_id: meta.client_id,
            filename_ct: Sealer { key: &key }.seal(T, "filename", id.as_uuid(), filename),
            media_type: media_type.to_owned(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            created_by: author,
            created_at: self.now(),
        };
        let agreement = agreement
            .map(|a| {
                crate::recordings::sealed_row(&key, &a, id, meta.client_id, author, row.created_at)
            })
            .transpose()?;
        let written = async {
            zv_store::attachments::insert(&tx, &row).await?;
            if let Some(a) = &agreement {
                zv_store::recordings::insert(&tx, a).await?;
            }
            self.touch_last_change(&tx, &meta, row.created_at).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(())
        }
        .await;
        if let Err(e) = written {
            let _ = zv_store::blobs::delete(&self.store, id).await;
            return Err(e);
        }
        Ok(id)
    }

    pub async fn download_attachment(
        &self,
        actor: &Actor,
        id: AttachmentId,
    ) -> CoreResult<AttachmentFile> {
        let tx = self.store.read_tx().await?;
        let entry = zv_store::attachments::entry_of(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        // MIN-1..3: an attachment is dated as its entry, for a parent's authority date.
        let dated = zv_store::entries::meta(&tx, entry)
            .await?
            .map(|m| crate::minors::local_date(m.created_at));
        // POR-2: an entry withheld from the client as a whole takes its attachments along.
        let withheld = matches!(actor, Actor::Portal(_))
            && zv_store::withholdings::entry_withheld_whole(&tx, entry).await?;
        tx.commit().await?;
        let (meta, _, entry_target) = self.entry_meta(entry).await?;
        let access = Access::new(
            AuditAction::PrintCopy,
            AuditObject::Attachment,
            Some(meta.client_id),
        )
        .in_trajectory(meta.id)
        .target(attachment_target(entry_target))
        .object_id(id)
        .minors(crate::minors::MinorsAccess::dated(dated));
        if withheld {
            let refused = crate::withholdings::withheld_from_client();
            return Err(self.refuse(actor, &access, refused).await);
        }
        let auth = self.authorize_read(actor, access).await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::attachments::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let sealed = zv_store::blobs::get(&self.store, &auth, id).await?;
        let bytes = key.decrypt(&sealed, &zv_crypto::Aad::new(T, "content", id.as_uuid()))?;
        Ok(AttachmentFile {
            filename: Sealer { key: &key }.open(T, "filename", id.as_uuid(), &row.filename_ct)?,
            media_type: row.media_type,
            bytes,
        })
    }
}

/// An attachment of a special-category entry is as protected as the entry itself.
fn attachment_target(entry: Target) -> Target {
    match entry {
        Target::Entry {
            special_category: true,
        } => entry,
        _ => Target::Attachment,
    }
}
