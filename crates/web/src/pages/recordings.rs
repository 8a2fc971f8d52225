//! Recordings in a dossier (SEC-3): the upload form's fields about a recording of people
//! (the mark on an image, who were recorded and how each agreed, the day), and the
//! agreement as the dossier shows it next to the attachment.

use zv_core::CoreError;
use zv_core::recordings::{AgreementForm, RecordedPersonInput, RecordingAgreement, RecordingInput};
use zv_domain::AttachmentId;

use crate::i18n::Tr;

/// The recording fields of a multipart upload, as they arrive.
#[derive(Default)]
pub struct RecordingFields {
    marked: bool,
    names: Vec<String>,
    hows: Vec<String>,
    agreed_on: String,
}

impl RecordingFields {
    /// Whether a form field belongs to the recording's agreement.
    pub fn takes(name: &str) -> bool {
        matches!(
            name,
            "recording" | "recorded_name" | "recorded_how" | "agreed_on"
        )
    }

    pub fn add(&mut self, name: &str, value: String) {
        match name {
            "recording" => self.marked = !value.trim().is_empty(),
            "recorded_name" => self.names.push(value),
            "recorded_how" => self.hows.push(value),
            "agreed_on" => self.agreed_on = value,
            _ => {}
        }
    }

    /// What the core decides on; the rows pair names and ways of agreeing in order.
    pub fn input(&self) -> Result<RecordingInput, CoreError> {
        Ok(RecordingInput {
            marked: self.marked,
            persons: self
                .names
                .iter()
                .enumerate()
                .map(|(i, name)| RecordedPersonInput {
                    name: name.clone(),
                    agreed: self.hows.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            agreed_on: super::forms::date_opt("agreed_on", &self.agreed_on)?,
        })
    }
}

fn how_label(tr: Tr, code: &str) -> String {
    match AgreementForm::from_code(code) {
        Some(AgreementForm::Written) => tr.t("rec-how-written"),
        Some(AgreementForm::Oral) => tr.t("rec-how-oral"),
        Some(AgreementForm::InRecording) => tr.t("rec-how-in-recording"),
        None => code.to_owned(),
    }
}

/// The agreement shown next to a recording, or empty for an attachment that is none.
pub fn agreement_text(tr: Tr, agreements: &[RecordingAgreement], id: AttachmentId) -> String {
    agreements
        .iter()
        .find(|a| a.attachment == id)
        .map(|a| {
            let persons = a
                .persons
                .iter()
                .map(|p| format!("{} ({})", p.name, how_label(tr, &p.agreed)))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "{} {persons}, {}",
                tr.t("rec-shown"),
                tr.t1("rec-shown-on", "date", &a.agreed_on)
            )
        })
        .unwrap_or_default()
}
