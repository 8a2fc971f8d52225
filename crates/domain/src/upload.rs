//! An uploaded file's metadata, checked at the edge: the name it arrives with (in a
//! `Content-Disposition` header or a form field) and whether its bytes start as a file of
//! its declared media type does. Pure and total, so the fuzz targets in `fuzz/` drive the
//! same functions the upload paths call.

use crate::person::ValueError;

/// The longest file name accepted, in characters.
pub const FILE_NAME_MAX: usize = 255;

/// The name of an uploaded file, trimmed: 1 to [`FILE_NAME_MAX`] characters, no control
/// characters and no slashes (a name is never a path).
///
/// # Errors
/// [`ValueError::Required`], [`ValueError::TooLong`], [`ValueError::ControlCharacters`] or
/// [`ValueError::FileNameSlash`]; never the name itself, which may name a person.
pub fn file_name(input: &str) -> Result<&str, ValueError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(ValueError::Required);
    }
    if name.chars().count() > FILE_NAME_MAX {
        return Err(ValueError::TooLong { max: FILE_NAME_MAX });
    }
    if name.chars().any(char::is_control) {
        return Err(ValueError::ControlCharacters);
    }
    if name.contains(['/', '\\']) {
        return Err(ValueError::FileNameSlash);
    }
    Ok(name)
}

/// How much of a text file is looked at for NUL bytes.
const TEXT_SNIFF: usize = 8192;

/// Whether `bytes` start as a file of `media_type` does (its "magic bytes"). A type this
/// function does not know is never a match; each upload path first checks the type
/// against its own list of accepted types.
#[must_use]
pub fn content_matches(media_type: &str, bytes: &[u8]) -> bool {
    match media_type {
        // Text has no signature; a NUL byte near the start is what gives a binary file
        // (a program, an archive, UTF-16) away.
        "text/plain" => !bytes.is_empty() && !bytes[..bytes.len().min(TEXT_SNIFF)].contains(&0),
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "image/webp" => bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
        "video/mp4" | "video/quicktime" | "audio/mp4" => bytes.len() > 8 && &bytes[4..8] == b"ftyp",
        "video/webm" | "audio/webm" => bytes.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]),
        // An ID3 tag, or straight into an MPEG audio frame (eleven sync bits).
        "audio/mpeg" => {
            bytes.starts_with(b"ID3")
                || (bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0)
        }
        "audio/ogg" => bytes.starts_with(b"OggS"),
        "audio/wav" => bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WAVE",
        // Both are zip containers.
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.oasis.opendocument.text" => bytes.starts_with(b"PK\x03\x04"),
        _ => false,
    }
}

/// The file name in the value of a `Content-Disposition` header (RFC 6266): the
/// percent-encoded `filename*=UTF-8''…` when present, otherwise a plain `filename="…"`.
/// `None` when there is none, or when the encoded name is not percent-encoded UTF-8.
#[must_use]
pub fn disposition_file_name(value: &str) -> Option<String> {
    let mut plain = None;
    for p in value.split(';').map(str::trim) {
        if let Some(encoded) = p.strip_prefix("filename*=UTF-8''") {
            return percent_decode(encoded);
        }
        if let Some(quoted) = p.strip_prefix("filename=") {
            plain = Some(quoted.trim_matches('"').to_owned());
        }
    }
    plain
}

/// Decodes `%XX` escapes (RFC 3986) into UTF-8 text. `None` for an escape that is cut
/// short or not hexadecimal, and for bytes that are not UTF-8.
#[must_use]
pub fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let high = hex_digit(it.next()?)?;
            let low = hex_digit(it.next()?)?;
            bytes.push(high << 4 | low);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

const fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_trimmed_and_refused_when_empty_long_or_a_path() {
        assert_eq!(file_name("  verwijzing.pdf "), Ok("verwijzing.pdf"));
        assert_eq!(file_name(" "), Err(ValueError::Required));
        assert_eq!(
            file_name(&"a".repeat(FILE_NAME_MAX + 1)),
            Err(ValueError::TooLong { max: FILE_NAME_MAX })
        );
        assert!(
            file_name(&"é".repeat(FILE_NAME_MAX)).is_ok(),
            "counts characters"
        );
        assert_eq!(file_name("a\u{0}b"), Err(ValueError::ControlCharacters));
        assert_eq!(file_name("../etc/passwd"), Err(ValueError::FileNameSlash));
        assert_eq!(file_name("c:\\brief.pdf"), Err(ValueError::FileNameSlash));
    }

    #[test]
    fn content_must_start_as_its_type_says() {
        assert!(content_matches("application/pdf", b"%PDF-1.7"));
        assert!(!content_matches("application/pdf", b"MZ"));
        assert!(content_matches("image/jpeg", b"\xff\xd8\xff\xe0rest"));
        assert!(!content_matches("image/jpeg", b"%PDF-1.7"));
        assert!(content_matches("image/png", b"\x89PNG\r\n"));
        assert!(content_matches("image/webp", b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(
            !content_matches("image/webp", b"RIFF\0\0\0\0WEBP"),
            "too short"
        );
        assert!(content_matches("video/mp4", b"\0\0\0\x18ftypmp42"));
        assert!(!content_matches("video/mp4", b"\0\0\0\x18moov"));
        assert!(!content_matches("video/mp4", b"\0\0\0"), "too short");
        assert!(content_matches(
            "application/vnd.oasis.opendocument.text",
            b"PK\x03\x04"
        ));
        assert!(!content_matches("application/x-msdownload", b"MZ"));
    }

    #[test]
    fn text_and_sound_are_checked_as_well() {
        assert!(content_matches(
            "text/plain",
            "Brief van de school, één pagina".as_bytes()
        ));
        assert!(content_matches(
            "text/plain",
            b"oude tekst in Windows-1252: caf\xe9"
        ));
        assert!(
            !content_matches("text/plain", b"MZ\x90\0\x03\0"),
            "a program is not text"
        );
        assert!(!content_matches("text/plain", b""));
        let mut late = vec![b'a'; super::TEXT_SNIFF];
        late.push(0);
        assert!(
            content_matches("text/plain", &late),
            "only the start is looked at"
        );
        assert!(content_matches("audio/mpeg", b"ID3\x04\0"));
        assert!(content_matches("audio/mpeg", b"\xff\xfb\x90\x64"));
        assert!(!content_matches("audio/mpeg", b"\xff\x10"));
        assert!(content_matches("audio/mp4", b"\0\0\0\x20ftypM4A "));
        assert!(content_matches("audio/ogg", b"OggS\0\x02"));
        assert!(content_matches("audio/wav", b"RIFF\0\0\0\0WAVEfmt "));
        assert!(!content_matches("audio/wav", b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(content_matches("audio/webm", b"\x1a\x45\xdf\xa3"));
        assert!(!content_matches("audio/ogg", b"ID3"));
    }

    #[test]
    fn a_disposition_names_its_file_and_bad_encodings_are_refused() {
        assert_eq!(
            disposition_file_name("attachment; filename*=UTF-8''verwijzing%20caf%C3%A9.pdf")
                .as_deref(),
            Some("verwijzing café.pdf")
        );
        assert_eq!(
            disposition_file_name("attachment; filename=\"brief.pdf\"").as_deref(),
            Some("brief.pdf")
        );
        assert_eq!(
            disposition_file_name("attachment; filename=\"a.pdf\"; filename*=UTF-8''b.pdf")
                .as_deref(),
            Some("b.pdf"),
            "the encoded name wins"
        );
        assert_eq!(disposition_file_name("attachment"), None);
        assert_eq!(
            disposition_file_name("filename*=UTF-8''%C3"),
            None,
            "not UTF-8"
        );
        assert_eq!(
            disposition_file_name("filename*=UTF-8''%G1"),
            None,
            "not hex"
        );
        assert_eq!(
            disposition_file_name("filename*=UTF-8''%4"),
            None,
            "cut short"
        );
    }

    #[test]
    fn percent_decoding_refuses_signs_inside_an_escape() {
        // `u8::from_str_radix` takes a leading sign, so "%+A" decoded as 0x0A before.
        assert_eq!(percent_decode("%+A"), None);
        assert_eq!(percent_decode("%-1"), None);
        assert_eq!(percent_decode("%41%62"), Some("Ab".to_owned()));
    }
}
