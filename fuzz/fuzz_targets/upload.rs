//! An upload's metadata (attachments, staff documents, activity photos and video): the
//! `Content-Disposition` header a file's name arrives in, the name itself, and the check
//! that the bytes start as the declared media type does. None of them may panic, and what
//! they accept keeps its promises.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zv_domain::upload;

/// The media types the upload paths accept, and a few they do not.
const MEDIA_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "text/plain",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
    "audio/wav",
    "audio/webm",
    "application/x-msdownload",
];

#[derive(Debug, Arbitrary)]
struct Upload<'a> {
    disposition: &'a str,
    declared_type: u8,
    other_type: &'a str,
    bytes: &'a [u8],
}

fuzz_target!(|u: Upload<'_>| {
    let name = upload::disposition_file_name(u.disposition);
    if let Some(Ok(accepted)) = name.as_deref().map(upload::file_name) {
        assert!(!accepted.is_empty());
        assert!(accepted.chars().count() <= upload::FILE_NAME_MAX);
        assert!(!accepted.contains(['/', '\\']));
        assert!(!accepted.chars().any(char::is_control));
        assert_eq!(accepted, accepted.trim());
    }
    // Whatever name was decoded comes back from its percent-encoding unchanged.
    if let Some(name) = name {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert_eq!(
            upload::percent_decode(&encoded).as_deref(),
            Some(name.as_str())
        );
    }
    let declared = MEDIA_TYPES[usize::from(u.declared_type) % MEDIA_TYPES.len()];
    if upload::content_matches(declared, u.bytes) {
        assert!(!u.bytes.is_empty());
    }
    let _ = upload::content_matches(u.other_type, u.bytes);
    let _ = upload::file_name(u.other_type);
});
