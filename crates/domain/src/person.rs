//! Validated values about a person. Constructors parse untrusted input; a value that exists
//! is valid. None of these types print their content through `Debug`.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// Why a value was refused. Messages name the rule, never the value: the value may be
/// personal data and errors end up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("a BSN has 8 or 9 digits")]
    BsnLength,
    #[error("a BSN consists of digits only")]
    BsnNotDigits,
    #[error("this BSN fails the elfproef (check digit)")]
    BsnElfproef,
    #[error("the field is required")]
    Required,
    #[error("the field is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the field contains control characters")]
    ControlCharacters,
    #[error("a date is written as YYYY-MM-DD")]
    DateFormat,
    #[error("a birth date cannot lie in the future")]
    BirthDateInFuture,
    #[error("a birth date before 1900 is not plausible")]
    BirthDateTooEarly,
    #[error("an e-mail address looks like name@example.nl")]
    Email,
    #[error("a telephone number has 6 to 15 digits and may start with +")]
    Phone,
    #[error("unknown gender code (use female, male, non_binary or unknown)")]
    Gender,
    #[error("a file name cannot contain slashes")]
    FileNameSlash,
}

fn clean_text(input: &str, max: usize, allow_newlines: bool) -> Result<String, ValueError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ValueError::Required);
    }
    if trimmed.chars().count() > max {
        return Err(ValueError::TooLong { max });
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(ValueError::ControlCharacters);
    }
    Ok(trimmed.to_owned())
}

/// Deserialising goes through `parse`, so a value from JSON (a request body, a stored
/// document) is as valid as one typed into a form; the refused text is wiped.
macro_rules! parsed_from_string {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = ValueError;

            fn try_from(mut input: String) -> Result<Self, Self::Error> {
                let parsed = Self::parse(&input);
                input.zeroize();
                parsed
            }
        }
    };
}

macro_rules! redacted_debug {
    ($name:ident) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}(***)", stringify!($name))
            }
        }
    };
}

/// A citizen service number ("burgerservicenummer", BSN). Checked with the elfproef
/// (DOMAIN.md). Passing the check does not prove the number was issued.
#[derive(Clone, PartialEq, Eq, Zeroize)]
#[zeroize(drop)]
pub struct Bsn(String);
redacted_debug!(Bsn);

impl Bsn {
    /// Parses a BSN; spaces, dots and dashes are ignored, 8 digits get a leading zero.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValueError::BsnNotDigits);
        }
        let digits = match digits.len() {
            9 => digits,
            8 => format!("0{digits}"),
            _ => return Err(ValueError::BsnLength),
        };
        let sum: i64 = digits
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let d = i64::from(b - b'0');
                if i == 8 { -d } else { d * (9 - i as i64) }
            })
            .sum();
        if sum <= 0 || sum % 11 != 0 {
            return Err(ValueError::BsnElfproef);
        }
        Ok(Self(digits))
    }

    /// The nine digits, for encryption. Never for display.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The BSN as staff see it by default (DOS-4): only the last three digits.
    #[must_use]
    pub fn masked(&self) -> String {
        format!("******{}", &self.0[6..])
    }
}

/// A person's name as written by the person. One field: Dutch names do not split
/// reliably into given name, prefix ("tussenvoegsel") and surname.
#[derive(Clone, PartialEq, Eq, Zeroize, Serialize, Deserialize)]
#[serde(try_from = "String")]
#[zeroize(drop)]
pub struct PersonName(String);
redacted_debug!(PersonName);
parsed_from_string!(PersonName);

impl PersonName {
    pub const MAX: usize = 200;

    pub fn parse(input: &str) -> Result<Self, ValueError> {
        clean_text(input, Self::MAX, false).map(Self)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The parts of the name a search may start with, normalised (lower case, accents
    /// removed), so "Émile de Vries-Özdemir" is found by "emi", "de", "vri" and "ozd".
    #[must_use]
    pub fn search_parts(&self) -> Vec<String> {
        normalise_for_search(&self.0)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// Lower-cases and strips diacritics for the blind index (search by name prefix).
#[must_use]
pub fn normalise_for_search(input: &str) -> String {
    input
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_diacritic)
        .collect()
}

fn fold_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'ş' | 'ś' | 'š' => 's',
        'ğ' => 'g',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        other => other,
    }
}

/// A birth date: a local (Europe/Amsterdam) calendar date, not in the future. It has no
/// `Deserialize`: "not in the future" needs today's date from the clock, so every birth
/// date from outside comes through [`BirthDate::parse`] or [`BirthDate::from_date`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BirthDate(NaiveDate);
redacted_debug!(BirthDate);

impl BirthDate {
    /// Parses `YYYY-MM-DD`, refusing dates after `today` and before 1900.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, ValueError> {
        let date = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
            .map_err(|_| ValueError::DateFormat)?;
        Self::from_date(date, today)
    }

    pub fn from_date(date: NaiveDate, today: NaiveDate) -> Result<Self, ValueError> {
        if date > today {
            return Err(ValueError::BirthDateInFuture);
        }
        if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
            return Err(ValueError::BirthDateTooEarly);
        }
        Ok(Self(date))
    }

    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.0
    }
}

/// An e-mail address, checked for shape only.
#[derive(Clone, PartialEq, Eq, Zeroize, Serialize, Deserialize)]
#[serde(try_from = "String")]
#[zeroize(drop)]
pub struct Email(String);
redacted_debug!(Email);
parsed_from_string!(Email);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let s = clean_text(input, 254, false)?;
        let (local, domain) = s.split_once('@').ok_or(ValueError::Email)?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(char::is_whitespace)
            && !domain.contains('@');
        if ok {
            Ok(Self(s))
        } else {
            Err(ValueError::Email)
        }
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A telephone number: digits with optional leading `+`, spaces and dashes allowed.
#[derive(Clone, PartialEq, Eq, Zeroize, Serialize, Deserialize)]
#[serde(try_from = "String")]
#[zeroize(drop)]
pub struct Phone(String);
redacted_debug!(Phone);
parsed_from_string!(Phone);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let s = clean_text(input, 30, false)?;
        let body = s.strip_prefix('+').unwrap_or(&s);
        let digits = body.chars().filter(char::is_ascii_digit).count();
        let allowed = body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'));
        if allowed && (6..=15).contains(&digits) {
            Ok(Self(s))
        } else {
            Err(ValueError::Phone)
        }
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A postal address, free text of up to four lines.
#[derive(Clone, PartialEq, Eq, Zeroize, Serialize, Deserialize)]
#[serde(try_from = "String")]
#[zeroize(drop)]
pub struct Address(String);
redacted_debug!(Address);
parsed_from_string!(Address);

impl Address {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        clean_text(input, 300, true).map(Self)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Gender as registered (GRP-1 lists it as one of the participant fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    NonBinary,
    Unknown,
}

impl Gender {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        match input.trim() {
            "female" | "v" | "vrouw" => Ok(Self::Female),
            "male" | "m" | "man" => Ok(Self::Male),
            "non_binary" | "x" => Ok(Self::NonBinary),
            "unknown" | "" => Ok(Self::Unknown),
            _ => Err(ValueError::Gender),
        }
    }

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::NonBinary => "non_binary",
            Self::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    // promise: DOS-4
    #[test]
    fn bsn_elfproef_accepts_the_known_valid_numbers() {
        for valid in [
            "123456782",
            "111222333",
            "249566758",
            "1234 5678 2",
            "12.345.678-2",
        ] {
            assert!(Bsn::parse(valid).is_ok(), "{valid}");
        }
    }

    // promise: DOS-4
    #[test]
    fn bsn_elfproef_refuses_wrong_numbers() {
        assert_eq!(Bsn::parse("123456789"), Err(ValueError::BsnElfproef));
        assert_eq!(Bsn::parse("000000000"), Err(ValueError::BsnElfproef));
        assert_eq!(Bsn::parse("12345678a"), Err(ValueError::BsnNotDigits));
        assert_eq!(Bsn::parse("1234567"), Err(ValueError::BsnLength));
        assert_eq!(Bsn::parse("1234567890"), Err(ValueError::BsnLength));
    }

    #[test]
    fn bsn_of_eight_digits_gets_a_leading_zero() {
        let b = Bsn::parse("12345672").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.expose(), "012345672");
    }

    // promise: DOS-4
    #[test]
    fn bsn_is_masked_and_never_debug_printed() {
        let bsn = Bsn::parse("123456782").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bsn.masked(), "******782");
        assert_eq!(format!("{bsn:?}"), "Bsn(***)");
    }

    #[test]
    fn names_are_trimmed_and_refused_when_empty_or_with_control_characters() {
        assert_eq!(PersonName::parse("  ").err(), Some(ValueError::Required));
        assert_eq!(
            PersonName::parse("a\u{7}b").err(),
            Some(ValueError::ControlCharacters)
        );
        let n = PersonName::parse(" Émile de Vries-Özdemir ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n.expose(), "Émile de Vries-Özdemir");
        assert_eq!(n.search_parts(), vec!["emile", "de", "vries", "ozdemir"]);
        assert_eq!(format!("{n:?}"), "PersonName(***)");
    }

    #[test]
    fn birth_dates_are_checked() {
        assert!(BirthDate::parse("2026-11-22", today()).is_ok());
        assert_eq!(
            BirthDate::parse("2026-11-23", today()).err(),
            Some(ValueError::BirthDateInFuture)
        );
        assert_eq!(
            BirthDate::parse("1899-12-31", today()).err(),
            Some(ValueError::BirthDateTooEarly)
        );
        assert_eq!(
            BirthDate::parse("22-11-2020", today()).err(),
            Some(ValueError::DateFormat)
        );
        assert_eq!(
            BirthDate::parse("2023-02-29", today()).err(),
            Some(ValueError::DateFormat)
        );
    }

    #[test]
    fn emails_and_phones_are_checked() {
        assert!(Email::parse("a.b@example.nl").is_ok());
        for bad in ["a@b", "@x.nl", "a b@x.nl", "a@.nl"] {
            assert_eq!(Email::parse(bad).err(), Some(ValueError::Email), "{bad}");
        }
        assert!(Phone::parse("+31 6 1234 5678").is_ok());
        assert!(Phone::parse("088 234 24 50").is_ok());
        assert_eq!(Phone::parse("12ab34").err(), Some(ValueError::Phone));
        assert_eq!(Phone::parse("123").err(), Some(ValueError::Phone));
    }

    #[test]
    fn values_from_json_are_parsed_as_typed_ones_are() {
        let name: PersonName = serde_json::from_str("\"  Amal de Vries \"").unwrap();
        assert_eq!(name.expose(), "Amal de Vries", "trimmed as parse trims");
        assert!(serde_json::from_str::<PersonName>("\"\"").is_err());
        assert!(serde_json::from_str::<PersonName>("\"a\\u0000b\"").is_err());
        assert!(serde_json::from_str::<Email>("\"geen-adres\"").is_err());
        assert!(serde_json::from_str::<Phone>("\"12ab34\"").is_err());
        assert!(serde_json::from_str::<Address>(&format!("\"{}\"", "x".repeat(301))).is_err());
        let email: Email = serde_json::from_str("\"a.b@example.nl\"").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            "\"a.b@example.nl\"",
            "what is written reads back"
        );
        // The refusal names the rule, never the value.
        let refused = serde_json::from_str::<Email>("\"jan.jansen-at-example.nl\"")
            .err()
            .unwrap()
            .to_string();
        assert!(!refused.contains("jansen"), "{refused}");
    }
}
