#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use zv_policy::{AgeBand, RetentionFacts, age_on, birthday_in, parse};

const LEV: &str = include_str!("../../../policies/levgroep.toml");
const BLIJF: &str = include_str!("../../../policies/blijfgroep.toml");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn closed(on: &str) -> RetentionFacts {
    RetentionFacts {
        closed_on: Some(d(on)),
        last_change: Some(d(on)),
        ..RetentionFacts::default()
    }
}

// promise: ORG-1
// promise: ORG-2
#[test]
fn both_shipped_policies_are_valid_and_complete() {
    let lev = parse(LEV).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = lev.branches().iter().map(|b| b.name.as_str()).collect();
    for b in [
        "Helmond",
        "Asten",
        "Best",
        "Deurne",
        "Eindhoven",
        "Geldrop-Mierlo",
        "Laarbeek",
        "Oirschot",
        "Son en Breugel",
        "Nuenen",
        "Waalre",
    ] {
        assert!(names.contains(&b), "{b}");
    }
    assert_eq!(
        lev.branches()
            .iter()
            .filter(|b| b.head_office)
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["Helmond"]
    );
    assert_eq!(lev.privacy_officer.email, "fg@levgroep.nl");
    assert_eq!(lev.privacy_officer.name, "L.R. Juchter van Bergen Quast");
    let blijf = parse(BLIJF).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        blijf.complaints.email.as_deref(),
        Some("klacht@blijfgroep.nl")
    );
    assert_eq!(blijf.help.help_phone, "088 234 24 50");
    assert_eq!(blijf.help.emergency_phone, "112");
    assert!(
        blijf
            .complaints
            .supervisory_authority
            .postal_address
            .contains("Postbus 93374")
    );
}

// promise: RET-1
#[test]
fn levgroep_terms() {
    let p = parse(LEV).unwrap();
    let rule = |s: &str, dv: bool| {
        let st = p.service_type(s).unwrap();
        let code = if dv {
            st.retention_if_domestic_violence.as_deref().unwrap()
        } else {
            st.retention.as_str()
        };
        p.retention_rule(code).unwrap().clone()
    };
    assert_eq!(
        rule("amw", false).retention_until(&closed("2026-03-31")),
        Some(d("2028-03-31"))
    );
    assert_eq!(
        rule("amw", true).retention_until(&closed("2026-03-31")),
        Some(d("2041-03-31"))
    );
    let youth = RetentionFacts {
        last_change: Some(d("2026-01-31")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        rule("jeugdhulp", false).retention_until(&youth),
        Some(d("2046-01-31"))
    );
    assert_eq!(
        rule("groepsactiviteiten", false).retention_until(&closed("2026-05-01")),
        Some(d("2028-05-01"))
    );
    assert_eq!(
        rule("vluchtelingen", false).retention_until(&closed("2026-05-01")),
        Some(d("2031-05-01"))
    );
    assert_eq!(
        rule("amw", false).retention_until(&RetentionFacts::default()),
        None,
        "open trajectory"
    );
}

// promise: RET-2
// promise: RET-3
#[test]
fn blijfgroep_terms() {
    let p = parse(BLIJF).unwrap();
    let r = |c: &str| p.retention_rule(c).unwrap().clone();
    let mut f = closed("2026-06-30");
    assert_eq!(r("clienten-15y").retention_until(&f), Some(d("2041-06-30")));
    f.children_birth_dates = vec![d("2010-01-01"), d("2024-01-01")];
    assert_eq!(
        r("clienten-15y").retention_until(&f),
        Some(d("2042-01-01")),
        "youngest child turns 18 later"
    );
    f.children_birth_dates = vec![d("2020-05-01")];
    assert_eq!(
        r("clienten-15y").retention_until(&f),
        Some(d("2041-06-30")),
        "the 15 years end later"
    );
    let staff = RetentionFacts {
        employment_ended_on: Some(d("2026-04-15")),
        ..RetentionFacts::default()
    };
    assert_eq!(r("id-5y").retention_until(&staff), Some(d("2031-12-31")));
    assert_eq!(
        r("medewerkers-7y").retention_until(&staff),
        Some(d("2033-04-15"))
    );
    let cam = RetentionFacts {
        recorded_on: Some(d("2026-11-01")),
        ..RetentionFacts::default()
    };
    assert_eq!(r("camera-4w").retention_until(&cam), Some(d("2026-11-29")));
    let appl = RetentionFacts {
        procedure_ended_on: Some(d("2026-01-31")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        r("sollicitanten-2m").retention_until(&appl),
        Some(d("2026-03-31"))
    );
    let fin = RetentionFacts {
        recorded_on: Some(d("2026-03-10")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        r("financieel-7y").retention_until(&fin),
        Some(d("2033-12-31"))
    );
    assert_eq!(
        r("correspondentie").retention_until(&appl),
        Some(d("2026-04-30"))
    );
}

// promise: RTS-3
#[test]
fn request_deadlines_of_both_organisations() {
    let lev = parse(LEV).unwrap();
    assert_eq!(lev.requests.respond_by(d("2026-11-02")), d("2026-11-16"));
    assert_eq!(lev.requests.complete_by(d("2026-11-02")), d("2026-11-30"));
    assert_eq!(lev.requests.extended_complete_by(d("2026-11-02")), None);
    let blijf = parse(BLIJF).unwrap();
    assert_eq!(blijf.requests.complete_by(d("2026-01-31")), d("2026-02-28"));
    assert_eq!(
        blijf.requests.extended_complete_by(d("2026-01-31")),
        Some(d("2026-04-28"))
    );
    assert_eq!(
        blijf.requests.extension_notice_by(d("2026-01-31")),
        Some(d("2026-02-28"))
    );
}

// promise: MIN-4
#[test]
fn ages_change_on_the_birthday() {
    assert_eq!(age_on(d("2010-11-22"), d("2026-11-21")), 15);
    assert_eq!(age_on(d("2010-11-22"), d("2026-11-22")), 16);
    // Born on a leap day: in a non-leap year the birthday is 1 March.
    assert_eq!(birthday_in(d("2008-02-29"), 2026), d("2026-03-01"));
    assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
    assert_eq!(age_on(d("2008-02-29"), d("2026-03-01")), 18);
    assert_eq!(birthday_in(d("2008-02-29"), 2028), d("2028-02-29"));
    let p = parse(LEV).unwrap();
    assert_eq!(
        p.age_bands.band(d("2014-11-23"), d("2026-11-22")),
        AgeBand::UnderOwnAccess
    );
    assert_eq!(
        p.age_bands.band(d("2014-11-22"), d("2026-11-22")),
        AgeBand::Consultative
    );
    assert_eq!(
        p.age_bands.band(d("2010-11-22"), d("2026-11-22")),
        AgeBand::Independent
    );
    assert_eq!(
        p.age_bands.band(d("2008-11-22"), d("2026-11-22")),
        AgeBand::Adult
    );
}

#[test]
fn term_arithmetic_at_month_ends_and_leap_days() {
    let month = zv_policy::Term {
        months: 1,
        ..Default::default()
    };
    assert_eq!(month.add_to(d("2026-01-31")), d("2026-02-28"));
    assert_eq!(month.add_to(d("2028-01-31")), d("2028-02-29"));
    let year = zv_policy::Term {
        years: 1,
        ..Default::default()
    };
    assert_eq!(year.add_to(d("2028-02-29")), d("2029-02-28"));
    let weeks = zv_policy::Term {
        weeks: 4,
        ..Default::default()
    };
    assert_eq!(weeks.add_to(d("2026-12-20")), d("2027-01-17"));
}

fn refused(source: &str, path: &str, needle: &str) {
    let errors = parse(source)
        .err()
        .unwrap_or_else(|| panic!("accepted a policy broken at {path}"));
    let p = errors
        .problems
        .iter()
        .find(|p| p.path.starts_with(path) && p.message.contains(needle))
        .unwrap_or_else(|| panic!("no problem at {path} with `{needle}`: {errors}"));
    assert!(p.line > 1, "{p:?}");
}

// promise: ORG-2
#[test]
fn broken_policies_are_refused_with_the_field_named() {
    refused(
        &LEV.replace("retention = \"amw-2y\"", "retention = \"nope\""),
        "service_types[0].retention",
        "not defined",
    );
    refused(
        &LEV.replace(
            "term = { years = 2 }\nstart = \"trajectory_closed\"\nextension",
            "term = { years = -2 }\nstart = \"trajectory_closed\"\nextension",
        ),
        "retention_rules[0].term",
        "negative",
    );
    refused(
        &LEV.replace(
            "bsn_legal_basis = \"Jeugdwet art. 7.4.4\"",
            "bsn_legal_basis = \"\"",
        ),
        "service_types[1].bsn_legal_basis",
        "legal basis",
    );
    refused(
        &LEV.replace("small_number_threshold = 5", "small_number_threshold = 1"),
        "reports.small_number_threshold",
        "at least 2",
    );
    refused(
        &LEV.replace("code = \"jeugd-eindhoven\"", "code = \"amw-helmond\""),
        "teams[1].code",
        "twice",
    );
    refused(
        &LEV.replace("branch = \"deurne\"", "branch = \"atlantis\""),
        "teams[2].branch",
        "atlantis",
    );
    refused(
        &LEV.replace(
            "complete_within = { weeks = 4 }",
            "complete_within = { weeks = 8 }",
        ),
        "requests.complete_within",
        "one month",
    );
    refused(
        &LEV.replace(
            "log_retention = { years = 5 }",
            "log_retention = { years = 2 }",
        ),
        "audit.log_retention",
        "5 years",
    );
    refused(
        &LEV.replace(
            "email = \"fg@levgroep.nl\"\n\n[complaints]",
            "email = \"fg-at-levgroep\"\n\n[complaints]",
        ),
        "privacy_officer.email",
        "e-mail",
    );
    refused(
        &LEV.replace("role = \"manager\"", "role = \"boss\""),
        "roles[2].role",
        "unknown role",
    );
    refused(
        &LEV.replace("head_office = true\n", ""),
        "branches",
        "head office",
    );
    refused(
        &LEV.replace("own_access_from = 12", "own_access_from = 17"),
        "age_bands",
        "rise",
    );
    refused(
        &LEV.replace(
            "retention = \"groep-2y\"\n\n[[service_types]]",
            "retentoin = \"groep-2y\"\n\n[[service_types]]",
        ),
        "service_types",
        "retentoin",
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let broken = LEV
        .replace("small_number_threshold = 5", "small_number_threshold = 0")
        .replace("code = \"jeugd-eindhoven\"", "code = \"amw-helmond\"");
    let errors = parse(&broken).unwrap_err();
    assert!(errors.problems.len() >= 2, "{errors}");
}

#[test]
fn eea() {
    assert!(zv_policy::is_eea("NL") && zv_policy::is_eea("no"));
    assert!(!zv_policy::is_eea("CH") && !zv_policy::is_eea("GB") && !zv_policy::is_eea("US"));
}
