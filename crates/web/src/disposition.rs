//! A file's name travels in `Content-Disposition` (RFC 6266), both ways: a name can
//! identify a person, so it never goes in a URL.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

/// A download: the file's bytes and media type, its name percent-encoded (`filename*`)
/// with a neutral plain fallback.
pub fn attachment(file: zv_core::attachments::AttachmentFile) -> Response {
    let encoded = encoded(&file.filename);
    let disposition = format!("attachment; filename=\"bijlage\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, file.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.bytes.to_vec(),
    )
        .into_response()
}

/// A photo or video of a group activity (GRP-2): `inline` to look at it in the app,
/// otherwise a download. Its name as for an attachment, never in the URL.
pub fn media(file: zv_core::activities::MediaFile, inline: bool) -> Response {
    let kind = if inline { "inline" } else { "attachment" };
    let disposition = format!(
        "{kind}; filename=\"beeld\"; filename*=UTF-8''{}",
        encoded(&file.file_name)
    );
    (
        [
            (header::CONTENT_TYPE, file.media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.bytes,
    )
        .into_response()
}

/// A document of an applicant, a staff record or a financial record (RET-2): always a
/// download, its name as for an attachment, never in the URL.
pub fn record_file(file: zv_core::personnel::RecordFile) -> Response {
    let disposition = format!(
        "attachment; filename=\"document\"; filename*=UTF-8''{}",
        encoded(&file.file_name)
    );
    (
        [
            (header::CONTENT_TYPE, file.media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.bytes.to_vec(),
    )
        .into_response()
}

/// A name percent-encoded for `filename*` (RFC 5987).
fn encoded(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The name of an uploaded file: `filename*=UTF-8''…` percent-encoded, or a plain
/// quoted `filename="…"`.
/// The parsing is [`zv_domain::upload::disposition_file_name`], fuzzed in `fuzz/`.
pub fn filename_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
    zv_domain::upload::disposition_file_name(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_survives_the_round_trip_and_bad_encodings_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename*=UTF-8''verwijzing%20caf%C3%A9.pdf"
                .parse()
                .unwrap(),
        );
        assert_eq!(filename_of(&h).as_deref(), Some("verwijzing café.pdf"));
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"brief.pdf\"".parse().unwrap(),
        );
        assert_eq!(filename_of(&h).as_deref(), Some("brief.pdf"));
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename*=UTF-8''%C3".parse().unwrap(),
        );
        assert_eq!(filename_of(&h), None, "not UTF-8");
        h.insert(
            header::CONTENT_DISPOSITION,
            "attachment; filename*=UTF-8''%G1".parse().unwrap(),
        );
        assert_eq!(filename_of(&h), None, "not hex");
    }
}
