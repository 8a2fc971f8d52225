//! The European Economic Area (SHR-2: personal data never goes to a recipient or processor
//! outside it).

/// The EEA member states as ISO 3166-1 alpha-2 codes: the 27 EU member states plus
/// Iceland, Liechtenstein and Norway. Switzerland (CH) and the United Kingdom (GB) are not
/// in the EEA. Greece is `GR` in ISO 3166 (the EU's own abbreviation "EL" is not accepted).
pub const EEA_COUNTRIES: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Whether `code` (ISO 3166-1 alpha-2, any case, surrounding blanks ignored) is an EEA
/// country (SHR-2).
#[must_use]
pub fn is_eea(code: &str) -> bool {
    let code = code.trim();
    EEA_COUNTRIES
        .iter()
        .any(|country| country.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    // promise: SHR-2
    #[test]
    fn eea_members_and_not() {
        for c in EEA_COUNTRIES {
            assert!(is_eea(c), "{c}");
        }
        assert!(is_eea("nl") && is_eea(" NO ") && is_eea("is") && is_eea("LI"));
        for c in ["CH", "GB", "UK", "US", "EL", "", "NLD", "N"] {
            assert!(!is_eea(c), "{c}");
        }
        let mut sorted = EEA_COUNTRIES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 30);
    }
}
