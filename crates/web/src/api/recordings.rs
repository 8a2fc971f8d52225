//! SEC-3 through the API: an upload's body is the file itself, so what the uploader says
//! about a recording of people travels in headers, like the file's name (names of people
//! never go in a URL): `Zv-Recording: people` marks an image as a recording of people,
//! and `Zv-Recording-Agreement` carries the agreement as percent-encoded JSON:
//! `{"agreed_on": "2026-11-20", "recorded": [{"name": "…", "agreed": "oral"}]}`.

use axum::http::HeaderMap;
use chrono::NaiveDate;
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::recordings::{RecordedPersonInput, RecordingInput};

pub const MARK: &str = "zv-recording";
pub const AGREEMENT: &str = "zv-recording-agreement";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Agreement {
    #[serde(default)]
    agreed_on: Option<String>,
    #[serde(default)]
    recorded: Vec<Person>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Person {
    name: String,
    #[serde(default)]
    agreed: String,
}

/// What the headers say; an agreement header that cannot be read is refused as such.
pub fn from_headers(headers: &HeaderMap) -> Result<RecordingInput, CoreError> {
    let marked = headers
        .get(MARK)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("people"));
    let Some(raw) = headers.get(AGREEMENT) else {
        return Ok(RecordingInput {
            marked,
            ..RecordingInput::default()
        });
    };
    let unreadable = || {
        CoreError::invalid(
            "recorded_name",
            "the agreement header is not percent-encoded JSON of the documented shape",
        )
    };
    let text = raw
        .to_str()
        .ok()
        .and_then(zv_domain::upload::percent_decode)
        .ok_or_else(unreadable)?;
    let a: Agreement = serde_json::from_str(&text).map_err(|_| unreadable())?;
    let agreed_on = match a.agreed_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| CoreError::invalid("agreed_on", "a date is written as YYYY-MM-DD"))?,
        ),
    };
    Ok(RecordingInput {
        marked,
        persons: a
            .recorded
            .into_iter()
            .map(|p| RecordedPersonInput {
                name: p.name,
                agreed: p.agreed,
            })
            .collect(),
        agreed_on,
    })
}
