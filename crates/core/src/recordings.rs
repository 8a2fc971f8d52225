//! Recordings in a dossier (SEC-3; decision 0024): no image or sound recording goes into
//! a dossier without a recorded agreement of those recorded.
//!
//! Which uploads are recordings: every sound or video file (`audio/*`, `video/*`) is one;
//! an image is one when the uploader marks it as a recording of people (a photo), since
//! an image may just as well be a scanned letter, which needs no agreement. The
//! agreement names who were recorded and how each agreed (in writing, orally, or in the
//! recording itself) and on which day; the names are sealed with the client's key. It is
//! stored in the attachment's own transaction, so a recording without its agreement can
//! never be in the dossier; without one the upload is refused before anything is kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zv_domain::{AttachmentId, UserId};

use crate::error::{CoreError, CoreResult};
use crate::keys::Sealer;
use crate::withholdings::code_enum;

pub(crate) const T: &str = "recording_agreements";
const NAME_MAX_CHARS: usize = 200;
const PERSONS_MAX: usize = 50;

code_enum!(
    /// How someone recorded agreed to the recording.
    AgreementForm {
        /// Schriftelijk.
        Written = "written",
        /// Mondeling.
        Oral = "oral",
        /// In de opname zelf.
        InRecording = "in_recording",
    }
);

/// One person recorded and how they agreed, as the uploader states it.
#[derive(Clone, Default)]
pub struct RecordedPersonInput {
    pub name: String,
    /// An [`AgreementForm`] code.
    pub agreed: String,
}

impl std::fmt::Debug for RecordedPersonInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordedPersonInput(***, {})", self.agreed)
    }
}

/// What the uploader says about a file being a recording of people.
#[derive(Debug, Clone, Default)]
pub struct RecordingInput {
    /// The uploader marks an image as a recording of people (a photo). Sound and video
    /// are recordings whatever this says.
    pub marked: bool,
    /// Who were recorded; rows without a name are ignored (a form's empty rows).
    pub persons: Vec<RecordedPersonInput>,
    pub agreed_on: Option<NaiveDate>,
}

/// A person recorded, as stored (sealed) and shown.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecordedPerson {
    pub name: String,
    pub agreed: String,
}

impl std::fmt::Debug for RecordedPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordedPerson(***, {})", self.agreed)
    }
}

/// The agreement shown with a recording in the dossier.
#[derive(Debug, Clone, Serialize)]
pub struct RecordingAgreement {
    pub attachment: AttachmentId,
    pub persons: Vec<RecordedPerson>,
    pub agreed_on: NaiveDate,
    pub recorded_by: UserId,
}

/// A validated agreement, ready to be sealed.
pub(crate) struct Agreement {
    pub persons: Vec<RecordedPerson>,
    pub agreed_on: NaiveDate,
}

/// Sound and video are always recordings.
#[must_use]
pub fn is_sound_or_video(media_type: &str) -> bool {
    media_type.starts_with("audio/") || media_type.starts_with("video/")
}

/// Whether an upload needs an agreement, and the agreement if it does (SEC-3). Refuses,
/// field by field, a recording without a complete agreement, and a mark on a file that
/// cannot be a recording.
pub(crate) fn agreement_for(
    media_type: &str,
    input: &RecordingInput,
    today: NaiveDate,
) -> CoreResult<Option<Agreement>> {
    let image = media_type.starts_with("image/");
    let named: Vec<&RecordedPersonInput> = input
        .persons
        .iter()
        .filter(|p| !p.name.trim().is_empty())
        .collect();
    if input.marked && !image && !is_sound_or_video(media_type) {
        return Err(CoreError::invalid(
            "recording",
            "only an image, sound or video file is a recording",
        ));
    }
    // An image with who were recorded filled in is a recording too.
    let recording = is_sound_or_video(media_type) || (image && (input.marked || !named.is_empty()));
    if !recording {
        return Ok(None);
    }
    if named.is_empty() {
        return Err(CoreError::invalid(
            "recorded_name",
            "a recording of people is added only with the agreement of those recorded: name who were recorded",
        ));
    }
    if named.len() > PERSONS_MAX {
        return Err(CoreError::invalid(
            "recorded_name",
            format!("at most {PERSONS_MAX} people per recording"),
        ));
    }
    let mut persons = Vec::with_capacity(named.len());
    for p in named {
        let name = p.name.trim();
        if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(CoreError::invalid(
                "recorded_name",
                format!("a name of at most {NAME_MAX_CHARS} characters"),
            ));
        }
        let Some(form) = AgreementForm::from_code(p.agreed.trim()) else {
            return Err(CoreError::invalid(
                "recorded_how",
                "say for each person how they agreed: in writing, orally or in the recording",
            ));
        };
        persons.push(RecordedPerson {
            name: name.to_owned(),
            agreed: form.code().to_owned(),
        });
    }
    let Some(agreed_on) = input.agreed_on else {
        return Err(CoreError::invalid(
            "agreed_on",
            "give the day the agreement was given",
        ));
    };
    if agreed_on > today {
        return Err(CoreError::invalid(
            "agreed_on",
            "the day of the agreement lies in the future",
        ));
    }
    Ok(Some(Agreement { persons, agreed_on }))
}

/// The stored agreement row for an attachment.
pub(crate) fn sealed_row(
    key: &zv_crypto::DataKey,
    agreement: &Agreement,
    attachment: AttachmentId,
    client: zv_domain::ClientId,
    by: UserId,
    at: chrono::DateTime<chrono::Utc>,
) -> CoreResult<zv_store::recordings::AgreementRow> {
    let json = serde_json::to_string(&agreement.persons)
        .map_err(|e| CoreError::Internal(format!("agreement: {e}")))?;
    Ok(zv_store::recordings::AgreementRow {
        attachment_id: attachment,
        client_id: client,
        persons_ct: Sealer { key }.seal(T, "persons", attachment.as_uuid(), &json),
        agreed_on: agreement.agreed_on,
        recorded_by: by,
        created_at: at,
    })
}

/// Opens stored agreements for display.
pub(crate) fn open_all(
    key: &zv_crypto::DataKey,
    rows: &[zv_store::recordings::AgreementRow],
) -> CoreResult<Vec<RecordingAgreement>> {
    rows.iter()
        .map(|r| {
            let json =
                Sealer { key }.open(T, "persons", r.attachment_id.as_uuid(), &r.persons_ct)?;
            let persons: Vec<RecordedPerson> = serde_json::from_str(&json)
                .map_err(|e| CoreError::Internal(format!("agreement unreadable: {e}")))?;
            Ok(RecordingAgreement {
                attachment: r.attachment_id,
                persons,
                agreed_on: r.agreed_on,
                recorded_by: r.recorded_by,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(name: &str, agreed: &str) -> RecordedPersonInput {
        RecordedPersonInput {
            name: name.into(),
            agreed: agreed.into(),
        }
    }

    #[test]
    fn sound_and_video_always_need_an_agreement() {
        let today = day("2026-03-01");
        for media in ["audio/mpeg", "video/mp4"] {
            let e = agreement_for(media, &RecordingInput::default(), today)
                .err()
                .unwrap();
            assert!(matches!(
                e,
                CoreError::Invalid {
                    field: "recorded_name",
                    ..
                }
            ));
        }
        let ok = agreement_for(
            "audio/mpeg",
            &RecordingInput {
                marked: false,
                persons: vec![person("Amal", "oral"), person(" ", "")],
                agreed_on: Some(today),
            },
            today,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok.persons.len(), 1);
    }

    #[test]
    fn an_image_needs_one_only_when_it_is_a_recording_of_people() {
        let today = day("2026-03-01");
        assert!(
            agreement_for("image/png", &RecordingInput::default(), today)
                .unwrap()
                .is_none()
        );
        let marked = RecordingInput {
            marked: true,
            ..RecordingInput::default()
        };
        assert!(agreement_for("image/jpeg", &marked, today).is_err());
        assert!(agreement_for("application/pdf", &marked, today).is_err());
        let no_day = RecordingInput {
            marked: true,
            persons: vec![person("Amal", "written")],
            agreed_on: None,
        };
        let e = agreement_for("image/jpeg", &no_day, today).err().unwrap();
        assert!(matches!(
            e,
            CoreError::Invalid {
                field: "agreed_on",
                ..
            }
        ));
        let bad_how = RecordingInput {
            persons: vec![person("Amal", "nodded")],
            agreed_on: Some(today),
            ..marked
        };
        let e = agreement_for("image/jpeg", &bad_how, today).err().unwrap();
        assert!(matches!(
            e,
            CoreError::Invalid {
                field: "recorded_how",
                ..
            }
        ));
    }
}
