//! JSON bodies of the API. The body types live in `zv_web`, whose build pulls in the whole
//! product (typst among it); they are plain strings that the handlers turn into domain
//! values, so this target mirrors the shapes of a few central bodies (registering a
//! client, recording a BSN, a dossier entry, a rights request, the client search) and
//! passes each field through the same domain parsers the handlers call, then the dates
//! through the policy's rule arithmetic. Nothing may panic, and what a parser accepts
//! keeps its promises. The domain types that are themselves read from JSON (stored entry
//! content, identifiers, codes) are read straight from the same bytes.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::IgnoredAny;
use zv_crypto::BlindIndexKey;
use zv_domain::person::normalise_for_search;
use zv_domain::{
    Address, BirthDate, Bsn, ClientId, Email, EntryContent, EntryKind, Gender, PersonName, Phone,
    RelationKind, Role, SpecialCategory,
};
use zv_policy::{Policy, RetentionFacts};

/// `zv_web::api::clients::NewClient` and its `NewTrajectory`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewClient {
    branch: String,
    name: String,
    birth_date: String,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    confidential_address: bool,
    trajectory: NewTrajectory,
    #[serde(default)]
    statement_receipt: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTrajectory {
    service_type: String,
    team: String,
    #[serde(default)]
    domestic_violence: bool,
    opened_on: String,
    #[serde(default)]
    municipality: Option<String>,
}

/// `zv_web::api::clients::BsnInput`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BsnInput {
    bsn: String,
}

/// `zv_web::api::clients::SearchQuery`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
}

/// `zv_web::api::dossier::NewEntry`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewEntry {
    kind: String,
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: Option<u8>,
    #[serde(default)]
    special_category: Option<String>,
    #[serde(default)]
    necessity: Option<String>,
}

/// `zv_web::api::requests::NewRegisteredRequestIn`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRequest {
    kind: String,
    channel: String,
    received_on: String,
    #[serde(default)]
    trajectories: Option<Vec<uuid::Uuid>>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    filed_by: Option<uuid::Uuid>,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

/// The handlers' date parser (`zv_web::api::clients::date`).
fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        zv_policy::parse(include_str!("../../policies/levgroep.toml"))
            .unwrap_or_else(|e| panic!("the shipped policy is refused: {e}"))
    })
}

fn blind_key() -> &'static BlindIndexKey {
    static KEY: OnceLock<BlindIndexKey> = OnceLock::new();
    KEY.get_or_init(|| BlindIndexKey::from_secret(&[9; 32]))
}

fn check_bsn(raw: &str) {
    if let Ok(bsn) = Bsn::parse(raw) {
        let digits = bsn.expose();
        assert_eq!(digits.len(), 9);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(Bsn::parse(digits).ok().as_ref(), Some(&bsn));
        assert_eq!(bsn.masked().len(), 9);
    }
}

fn check_birth_date(raw: &str) -> Option<NaiveDate> {
    let birth = BirthDate::parse(raw, today()).ok()?.date();
    assert!(birth <= today());
    let policy = policy();
    let bands = policy.age_bands();
    let _ = bands.band(birth, today());
    let _ = bands.next_change(birth, today());
    let _ = zv_policy::age_on(birth, today());
    Some(birth)
}

fn check_client(b: &NewClient) {
    let _ = PersonName::parse(&b.name).map(|n| n.search_parts());
    check_birth_date(&b.birth_date);
    let _ = Gender::parse(b.gender.as_deref().unwrap_or_default());
    for (raw, parse) in [
        (&b.address, parse_address as fn(&str)),
        (&b.phone, parse_phone),
        (&b.email, parse_email),
    ] {
        if let Some(raw) = raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            parse(raw);
        }
    }
    let _ = (
        b.branch.trim(),
        b.confidential_address,
        &b.statement_receipt,
    );
    let t = &b.trajectory;
    let policy = policy();
    let _ = policy.branch_for_municipality(t.municipality.as_deref().unwrap_or_default());
    let _ = policy.team(t.team.trim());
    if let (Some(opened), Some(rule)) = (
        date(&t.opened_on),
        policy.service_retention_rule(t.service_type.trim(), t.domestic_violence),
    ) {
        let facts = RetentionFacts {
            closed_on: Some(opened),
            recorded_on: Some(opened),
            last_change: Some(opened),
            ..RetentionFacts::default()
        };
        let _ = rule.retention_until(&facts);
        let _ = rule.extension_bounds(&facts);
    }
}

fn parse_address(raw: &str) {
    let _ = Address::parse(raw);
}

fn parse_phone(raw: &str) {
    if let Ok(p) = Phone::parse(raw) {
        assert!(p.expose().chars().count() <= 30);
    }
}

fn parse_email(raw: &str) {
    if let Ok(e) = Email::parse(raw) {
        assert!(e.expose().contains('@'));
    }
}

fn check_entry(b: &NewEntry) {
    let Ok(kind) = b.kind.trim().parse::<EntryKind>() else {
        return;
    };
    if let Ok(content) = EntryContent::parse(kind, &b.title, &b.body, b.progress) {
        assert!(!content.title.is_empty());
        assert!(content.title.chars().count() <= EntryContent::TITLE_MAX);
        assert!(content.progress.is_none_or(|p| p <= 100));
        // Stored as JSON inside the ciphertext, and read back.
        let stored = serde_json::to_vec(&content).unwrap_or_default();
        let back: Option<EntryContent> = serde_json::from_slice(&stored).ok();
        assert_eq!(back.as_ref(), Some(&content));
    }
    if let Some(code) = b.special_category.as_deref() {
        let _ = code.trim().parse::<SpecialCategory>();
    }
    let _ = &b.necessity;
}

fn check_request(b: &NewRequest) {
    let _ = (
        b.kind.trim(),
        b.channel.trim(),
        &b.text,
        &b.trajectories,
        b.filed_by,
    );
    if let Some(received) = date(&b.received_on) {
        let deadlines = policy().requests();
        let respond = deadlines.respond_by(received);
        let complete = deadlines.effective_complete_by(received, true);
        let _ = deadlines.may_extend(received, false, today());
        let _ = deadlines.is_due_soon(complete, today());
        assert!(respond >= received || respond == NaiveDate::MAX);
    }
}

fn check_search(q: &SearchQuery) {
    let prefix = normalise_for_search(q.name.trim());
    let _ = blind_key().name_query_token(&prefix);
    if let Some(birth) = check_birth_date(q.birth_date.trim()) {
        let _ = blind_key().birth_date_token(&birth.to_string());
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(b) = serde_json::from_slice::<NewClient>(data) {
        check_client(&b);
    }
    if let Ok(b) = serde_json::from_slice::<BsnInput>(data) {
        check_bsn(&b.bsn);
    }
    if let Ok(q) = serde_json::from_slice::<SearchQuery>(data) {
        check_search(&q);
    }
    if let Ok(b) = serde_json::from_slice::<NewEntry>(data) {
        check_entry(&b);
    }
    if let Ok(b) = serde_json::from_slice::<NewRequest>(data) {
        check_request(&b);
    }
    // Domain values read from JSON directly, and the same text as a bare field value.
    let _ = serde_json::from_slice::<EntryContent>(data);
    let _ = serde_json::from_slice::<ClientId>(data);
    let _ = serde_json::from_slice::<RelationKind>(data);
    let _ = serde_json::from_slice::<Role>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        check_bsn(text);
        check_birth_date(text);
        let _ = text.parse::<ClientId>();
        let _ = text.parse::<Role>();
        let _ = text.parse::<RelationKind>();
        let _ = date(text);
    }
});
