//! The two shipped policy files, the statements' terms computed from them, and every
//! validation rule refusing a broken variant at the right place.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use zv_domain::RecipientKind;
use zv_domain::Role;
use zv_policy::{
    AgeBand, DataCategory, Extension, LegalBasis, Policy, PolicyErrors, Problem, RecordKind,
    RetentionFacts, ShownAs, Term, parse,
};

const LEV: &str = include_str!("../../../policies/levgroep.toml");
const BLIJF: &str = include_str!("../../../policies/blijfgroep.toml");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn lev() -> Policy {
    parse(LEV).unwrap_or_else(|e| panic!("levgroep.toml:\n{e}"))
}

fn blijf() -> Policy {
    parse(BLIJF).unwrap_or_else(|e| panic!("blijfgroep.toml:\n{e}"))
}

fn closed(on: &str) -> RetentionFacts {
    RetentionFacts {
        closed_on: Some(d(on)),
        last_change: Some(d(on)),
        ..RetentionFacts::default()
    }
}

fn until(p: &Policy, rule: &str, facts: &RetentionFacts) -> Option<NaiveDate> {
    p.retention_rule(rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
        .retention_until(facts)
}

fn service_until(p: &Policy, service: &str, dv: bool, facts: &RetentionFacts) -> NaiveDate {
    p.service_retention_rule(service, dv)
        .unwrap_or_else(|| panic!("no rule for {service}"))
        .retention_until(facts)
        .unwrap()
}

// promise: ORG-1
#[test]
fn levgroep_has_its_head_office_and_eleven_branches() {
    let p = lev();
    assert_eq!(p.head_office().name, "Helmond");
    let names: Vec<_> = p.branches().iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        [
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
            "Waalre"
        ]
    );
    assert_eq!(p.branches().iter().filter(|b| b.head_office).count(), 1);
    assert_eq!(
        p.branch_for_municipality("Nuenen, Gerwen en Nederwetten")
            .map(|b| b.code.as_str()),
        Some("nuenen")
    );
    for b in p.branches() {
        assert!(!b.municipalities.is_empty(), "{}", b.code);
    }
    assert!(p.teams().len() >= 2);
    for t in p.teams() {
        assert!(p.branch(&t.branch).is_some(), "{}", t.code);
    }
    assert!(p.teams_of("helmond").any(|t| t.code == "amw-helmond"));
    let b = blijf();
    assert_eq!(b.head_office().code, "amsterdam");
    assert!(b.teams().len() >= 2);
}

// promise: ORG-2
#[test]
fn both_policies_carry_the_contacts_of_their_statements() {
    let p = lev();
    assert_eq!(p.organisation().name, "LEVgroep");
    assert_eq!(p.privacy_officer().name, "L.R. Juchter van Bergen Quast");
    assert_eq!(p.privacy_officer().email, "fg@levgroep.nl");
    assert_eq!(
        p.organisation().privacy_statement_url,
        "https://www.levgroep.nl/privacyverklaring"
    );
    assert_eq!(p.organisation().statement_version, "januari 2025");
    assert_eq!(
        p.complaints().supervisory_authority.website,
        "https://www.autoriteitpersoonsgegevens.nl"
    );
    assert_eq!(p.timezone(), "Europe/Amsterdam");

    let b = blijf();
    assert_eq!(
        b.complaints().email.as_deref(),
        Some("klacht@blijfgroep.nl")
    );
    assert_eq!(b.help().help_phone, "088 234 24 50");
    assert_eq!(b.help().emergency_phone, "112");
    let ap = &b.complaints().supervisory_authority;
    assert_eq!(ap.name, "Autoriteit Persoonsgegevens");
    assert_eq!(ap.phone, "088 - 1805 250");
    assert_eq!(ap.postal_address, "Postbus 93374, 2509 AJ DEN HAAG");
    assert_eq!(ap.website, "https://autoriteitpersoonsgegevens.nl");
    assert!(
        b.service_types()
            .iter()
            .all(|s| s.domestic_violence_service)
    );
    assert_eq!(b.reports().small_number_threshold, 5);
    assert_eq!(p.reports().small_number_threshold, 5);
    assert_eq!(b.reports().training_k, 5);
    assert_eq!(p.reports().training_k, 5);
    assert!(Term::years(5).never_longer_than(&b.audit().log_retention));

    for policy in [&p, &b] {
        for role in Role::ALL {
            let label = policy.role_label(role);
            assert_eq!(label.role, role.code());
            assert!(!label.label_nl.is_empty() && !label.label_en.is_empty());
        }
        assert_eq!(policy.roles().len(), Role::ALL.len());
    }
    assert_eq!(
        p.role_label(Role::Caseworker).shown_to_client_as,
        ShownAs::Name
    );
    assert_eq!(
        b.role_label(Role::Caseworker).shown_to_client_as,
        ShownAs::Function
    );
    assert_eq!(
        p.role_label(Role::PrivacyOfficer).label_nl,
        "Functionaris Gegevensbescherming"
    );
}

// promise: DOS-4
#[test]
fn the_bsn_only_where_a_law_names_it() {
    let p = lev();
    let allowed: Vec<_> = p
        .service_types()
        .iter()
        .filter(|s| s.bsn_allowed())
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(allowed, ["jeugdhulp"]);
    let youth = p.service_type("jeugdhulp").unwrap();
    assert!(
        youth
            .bsn_legal_basis
            .as_deref()
            .unwrap()
            .contains("Jeugdwet")
    );
    assert_eq!(youth.legal_basis, LegalBasis::LegalObligation);
    assert!(!p.service_type("amw").unwrap().bsn_allowed());
    assert!(!p.service_type("groepsactiviteiten").unwrap().bsn_allowed());
}

// promise: RET-1
#[test]
fn levgroep_terms_of_the_statement() {
    let p = lev();
    // Algemeen maatschappelijk werk: 2 years; with domestic violence 15 years.
    assert_eq!(
        service_until(&p, "amw", false, &closed("2026-03-31")),
        d("2028-03-31")
    );
    assert_eq!(
        service_until(&p, "amw", true, &closed("2026-03-31")),
        d("2041-03-31")
    );
    // Jeugdhulp: 20 years from the last change, longer by recorded reason (RET-5).
    let youth = RetentionFacts {
        last_change: Some(d("2026-01-31")),
        closed_on: Some(d("2025-06-01")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        service_until(&p, "jeugdhulp", false, &youth),
        d("2046-01-31")
    );
    assert_eq!(
        p.service_retention_rule("jeugdhulp", false)
            .unwrap()
            .extension,
        Extension::RecordedReason
    );
    // Groepsactiviteiten, cursussen, workshops: 2 years; vluchtelingen: 5 years.
    assert_eq!(
        service_until(&p, "groepsactiviteiten", false, &closed("2026-05-01")),
        d("2028-05-01")
    );
    assert_eq!(
        service_until(&p, "vluchtelingen", false, &closed("2026-05-01")),
        d("2031-05-01")
    );
    // A leap-day closing: 2 years later there is no 29 February.
    assert_eq!(
        service_until(&p, "amw", false, &closed("2028-02-29")),
        d("2030-02-28")
    );
    // An open trajectory is never due.
    let open = RetentionFacts {
        last_change: Some(d("2026-01-01")),
        ..RetentionFacts::default()
    };
    assert_eq!(until(&p, "amw-2y", &open), None);
    // Records outside the dossier.
    let media = RetentionFacts {
        recorded_on: Some(d("2026-06-13")),
        ..RetentionFacts::default()
    };
    let rule = p.record_retention_rule(RecordKind::ActivityMedia).unwrap();
    assert_eq!(rule.retention_until(&media), Some(d("2028-06-13")));
    let fin = p
        .record_retention_rule(RecordKind::FinancialRecords)
        .unwrap();
    assert_eq!(fin.retention_until(&media), Some(d("2033-12-31")));
}

// promise: RET-2
#[test]
fn blijfgroep_clients_15_years_or_until_the_youngest_child_is_18() {
    let p = blijf();
    let mut f = closed("2026-06-30");
    assert_eq!(service_until(&p, "opvang", false, &f), d("2041-06-30"));
    // The youngest child turns 18 on 2038-05-01: the 15 years end later.
    f.children_birth_dates = vec![d("2020-05-01")];
    assert_eq!(service_until(&p, "ambulant", false, &f), d("2041-06-30"));
    // The youngest child turns 18 on 2042-01-01: later than the 15 years.
    f.children_birth_dates = vec![d("2010-01-01"), d("2024-01-01"), d("2015-03-03")];
    assert_eq!(service_until(&p, "nazorg", false, &f), d("2042-01-01"));
    // Born on a leap day: 18 on 1 March 2042.
    f.children_birth_dates = vec![d("2024-02-29")];
    assert_eq!(service_until(&p, "opvang", false, &f), d("2042-03-01"));
    // "of zo mogelijk langer als dit noodzakelijk is voor het kind (aparte procedure)".
    let rule = p.service_retention_rule("opvang", false).unwrap();
    assert_eq!(rule.extension, Extension::RecordedReason);
    assert_eq!(rule.extension_bounds(&f), Some((d("2042-03-02"), None)));
    // Support for children: youth care under the Jeugdwet, 20 years from the last change.
    let child = RetentionFacts {
        last_change: Some(d("2026-01-31")),
        closed_on: Some(d("2026-01-31")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        service_until(&p, "kinderondersteuning", false, &child),
        d("2046-01-31")
    );
}

// promise: RET-2
#[test]
fn blijfgroep_terms_of_other_records() {
    let p = blijf();
    let rule = |kind| p.record_retention_rule(kind).unwrap();
    // Camera images: 4 weeks from the recording, longer only on hold for an incident.
    let cam = RetentionFacts {
        recorded_on: Some(d("2026-11-01")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        rule(RecordKind::CameraImages).retention_until(&cam),
        Some(d("2026-11-29"))
    );
    assert_eq!(
        rule(RecordKind::CameraImages).extension,
        Extension::RecordedReason
    );
    // Financial data: 7 years from the end of the financial year.
    let fin = RetentionFacts {
        recorded_on: Some(d("2026-03-10")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        rule(RecordKind::FinancialRecords).retention_until(&fin),
        Some(d("2033-12-31"))
    );
    // Staff: 7 years after leaving; ID copies 5 full calendar years after the year of leaving.
    let staff = RetentionFacts {
        employment_ended_on: Some(d("2026-04-15")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        rule(RecordKind::StaffRecords).retention_until(&staff),
        Some(d("2033-04-15"))
    );
    assert_eq!(
        rule(RecordKind::StaffIdCopies).retention_until(&staff),
        Some(d("2031-12-31"))
    );
    let new_year = RetentionFacts {
        employment_ended_on: Some(d("2026-12-31")),
        ..RetentionFacts::default()
    };
    assert_eq!(
        rule(RecordKind::StaffIdCopies).retention_until(&new_year),
        Some(d("2031-12-31"))
    );
    // Applicants: 2 months after the vacancy closed, or 1 to 3 years with explicit consent.
    let applicant = RetentionFacts {
        procedure_ended_on: Some(d("2026-01-31")),
        ..RetentionFacts::default()
    };
    let applicants = rule(RecordKind::Applicants);
    assert_eq!(
        applicants.retention_until(&applicant),
        Some(d("2026-03-31"))
    );
    assert_eq!(
        applicants.extension,
        Extension::WrittenConsent {
            min: Term::years(1),
            max: Term::years(3)
        }
    );
    assert_eq!(
        applicants.extension_bounds(&applicant),
        Some((d("2027-01-31"), Some(d("2029-01-31"))))
    );
    // Nothing is due before the event.
    assert_eq!(applicants.retention_until(&RetentionFacts::default()), None);
}

// promise: RET-3
#[test]
fn correspondence_is_kept_only_while_it_is_being_handled() {
    for p in [lev(), blijf()] {
        let rule = p.record_retention_rule(RecordKind::Correspondence).unwrap();
        let handled = RetentionFacts {
            procedure_ended_on: Some(d("2026-01-31")),
            ..RetentionFacts::default()
        };
        assert_eq!(rule.retention_until(&handled), Some(d("2026-04-30")));
        // Not yet handled: not due.
        assert_eq!(rule.retention_until(&RetentionFacts::default()), None);
    }
}

// promise: RTS-3
#[test]
fn request_deadlines_of_both_organisations() {
    let lev = lev();
    let r = lev.requests();
    assert_eq!(r.respond_by(d("2026-11-02")), d("2026-11-16"));
    assert_eq!(r.complete_by(d("2026-11-02")), d("2026-11-30"));
    assert_eq!(r.respond_by(d("2026-12-24")), d("2027-01-07"));
    assert_eq!(r.complete_by(d("2026-12-24")), d("2027-01-21"));
    assert_eq!(r.extended_complete_by(d("2026-11-02")), None);
    assert_eq!(r.extension_notice_by(d("2026-11-02")), None);
    let blijf = blijf();
    let r = blijf.requests();
    assert_eq!(r.respond_by(d("2026-01-31")), d("2026-02-28"));
    assert_eq!(r.complete_by(d("2026-01-31")), d("2026-02-28"));
    assert_eq!(r.complete_by(d("2028-01-31")), d("2028-02-29"));
    assert_eq!(
        r.extended_complete_by(d("2026-01-31")),
        Some(d("2026-04-28"))
    );
    assert_eq!(
        r.extended_complete_by(d("2026-03-15")),
        Some(d("2026-06-15"))
    );
    assert_eq!(
        r.extension_notice_by(d("2026-01-31")),
        Some(d("2026-02-28"))
    );
}

// promise: MIN-4
#[test]
fn age_bands_of_the_policies_change_on_the_birthday() {
    for p in [lev(), blijf()] {
        let bands = p.age_bands();
        let on = d("2026-03-01");
        assert_eq!(bands.band(d("2014-03-02"), on), AgeBand::UnderOwnAccess);
        assert_eq!(bands.band(d("2014-03-01"), on), AgeBand::Consultative);
        assert_eq!(bands.band(d("2010-03-02"), on), AgeBand::Consultative);
        assert_eq!(bands.band(d("2010-03-01"), on), AgeBand::Independent);
        // Born 29 February 2008: 17 on 28 February 2026, 18 on 1 March 2026.
        assert_eq!(
            bands.band(d("2008-02-29"), d("2026-02-28")),
            AgeBand::Independent
        );
        assert_eq!(bands.band(d("2008-02-29"), on), AgeBand::Adult);
    }
}

// ---------------------------------------------------------------------------------------
// Broken policies.

/// `src` with `from` replaced by `to`; `from` must occur.
fn swap(src: &str, from: &str, to: &str) -> String {
    assert!(
        src.contains(from),
        "the test's text `{from}` is not in the file"
    );
    src.replacen(from, to, 1)
}

fn line(src: &str, n: usize) -> &str {
    src.lines().nth(n - 1).unwrap_or("")
}

/// The problem at `path` whose message contains `needle`, after checking that its line
/// holds `on_line` and its column points into that line's text.
fn refused(src: &str, path: &str, needle: &str, on_line: &str) -> Problem {
    let errors: PolicyErrors = match parse(src) {
        Ok(_) => panic!("a policy broken at {path} was accepted"),
        Err(e) => e,
    };
    let p = errors
        .problems
        .iter()
        .find(|p| p.path == path && p.message.contains(needle))
        .unwrap_or_else(|| panic!("no problem at `{path}` saying `{needle}`:\n{errors}"))
        .clone();
    let text = line(src, p.line);
    assert!(
        text.contains(on_line),
        "{p:?} points at line {} `{text}`, expected `{on_line}`",
        p.line
    );
    assert!(
        p.column >= 1 && p.column <= text.chars().count(),
        "{p:?}: column outside `{text}`"
    );
    p
}

// promise: ORG-2
#[test]
fn unknown_references_are_refused() {
    let src = swap(LEV, "retention = \"amw-2y\"", "retention = \"nope\"");
    let p = refused(
        &src,
        "service_types[0].retention",
        "retention rule `nope` is not defined in [[retention_rules]]",
        "retention = \"nope\"",
    );
    assert_eq!(p.column, 1);
    let src = swap(
        LEV,
        "retention_if_domestic_violence = \"huiselijk-geweld-15y\"",
        "retention_if_domestic_violence = \"hg-15\"",
    );
    refused(
        &src,
        "service_types[0].retention_if_domestic_violence",
        "retention rule `hg-15` is not defined",
        "hg-15",
    );
    let src = swap(LEV, "retention = \"financieel-7y\"", "retention = \"fin\"");
    refused(
        &src,
        "record_categories[3].retention",
        "`fin` is not defined",
        "\"fin\"",
    );
    let src = swap(LEV, "branch = \"deurne\"", "branch = \"atlantis\"");
    refused(
        &src,
        "teams[2].branch",
        "branch `atlantis` is not defined in [[branches]]",
        "atlantis",
    );
}

// promise: ORG-2
#[test]
fn duplicate_codes_are_refused() {
    let src = swap(LEV, "code = \"asten\"", "code = \"helmond\"");
    refused(
        &src,
        "branches[1].code",
        "branch code `helmond` is defined twice",
        "code = \"helmond\"",
    );
    let src = swap(LEV, "code = \"jeugd-eindhoven\"", "code = \"amw-helmond\"");
    let p = refused(
        &src,
        "teams[1].code",
        "team code `amw-helmond` is defined twice",
        "amw-helmond",
    );
    assert!(
        p.line
            > src
                .find("amw-helmond")
                .map_or(0, |o| src[..o].lines().count())
    );
    let src = swap(LEV, "code = \"vluchtelingen\"", "code = \"amw\"");
    refused(
        &src,
        "service_types[3].code",
        "service type code `amw` is defined twice",
        "code = \"amw\"",
    );
    let src = swap(
        BLIJF,
        "code = \"medewerkers-7y\"",
        "code = \"financieel-7y\"",
    );
    refused(
        &src,
        "retention_rules[4].code",
        "retention rule code `financieel-7y` is defined twice",
        "financieel-7y",
    );
    let src = swap(
        LEV,
        "code = \"beeldmateriaal\"",
        "code = \"groepsdeelnemers\"",
    );
    refused(
        &src,
        "record_categories[1].code",
        "record category code `groepsdeelnemers` is defined twice",
        "groepsdeelnemers",
    );
    let src = swap(LEV, "code = \"best\"", "code = \"Best Centrum\"");
    refused(
        &src,
        "branches[2].code",
        "lower-case letters",
        "Best Centrum",
    );
}

// promise: ORG-2
#[test]
fn impossible_terms_are_refused() {
    let src = swap(
        LEV,
        "term = { years = 2 }\nstart = \"trajectory_closed\"\nextension",
        "term = { years = -2 }\nstart = \"trajectory_closed\"\nextension",
    );
    refused(
        &src,
        "retention_rules[0].term",
        "a term must not be negative",
        "years = -2",
    );
    let src = swap(LEV, "term = { years = 15 }", "term = { years = 0 }");
    refused(
        &src,
        "retention_rules[1].term",
        "longer than zero",
        "years = 0",
    );
    let src = swap(
        BLIJF,
        "min = { years = 1 }, max = { years = 3 }",
        "min = { years = 4 }, max = { years = 3 }",
    );
    refused(
        &src,
        "retention_rules[6].extension.min",
        "shortest extension (4 years) is longer than the longest (3 years)",
        "min = { years = 4 }",
    );
    let src = swap(
        BLIJF,
        "min = { years = 1 }, max = { years = 3 }",
        "min = { weeks = 2 }, max = { years = 3 }",
    );
    refused(
        &src,
        "retention_rules[6].extension.min",
        "must end later than the term itself",
        "min = { weeks = 2 }",
    );
    let src = swap(BLIJF, "max = { years = 3 }", "max = { years = -3 }");
    refused(
        &src,
        "retention_rules[6].extension.max",
        "must not be negative",
        "max = { years = -3 }",
    );
    let src = swap(BLIJF, "age = 18", "age = 0");
    refused(
        &src,
        "retention_rules[0].not_before[0].age",
        "at least 1",
        "age = 0",
    );
    let src = swap(
        BLIJF,
        "term = { weeks = 4 }\nstart = \"recording\"",
        "term = { weeks = 4 }\nstart = \"recording\"",
    );
    assert!(parse(&src).is_ok());
}

// promise: ORG-2
#[test]
fn a_dossier_rule_must_start_at_the_end_of_the_help_or_the_last_change() {
    let src = swap(
        LEV,
        "retention = \"vluchtelingen-5y\"",
        "retention = \"beeldmateriaal-2y\"",
    );
    refused(
        &src,
        "service_types[3].retention",
        "would never run out",
        "beeldmateriaal-2y",
    );
}

// promise: DOS-4
#[test]
fn bsn_without_a_named_law_is_refused() {
    let src = swap(
        LEV,
        "bsn_legal_basis = \"Jeugdwet art. 7.4.4\"",
        "bsn_legal_basis = \"\"",
    );
    refused(
        &src,
        "service_types[1].bsn_legal_basis",
        "BSN is allowed but no legal basis is named: set bsn_legal_basis to the law that requires it (consent is not enough)",
        "bsn_legal_basis = \"\"",
    );
    let src = swap(
        LEV,
        "bsn_legal_basis = \"Jeugdwet art. 7.4.4\"",
        "bsn_legal_basis = \"  \"",
    );
    refused(
        &src,
        "service_types[1].bsn_legal_basis",
        "no legal basis is named",
        "bsn_legal_basis",
    );
    let src = swap(
        LEV,
        "legal_basis = \"consent\"\nretention = \"groep-2y\"",
        "legal_basis = \"consent\"\nbsn_legal_basis = \"toestemming\"\nretention = \"groep-2y\"",
    );
    refused(
        &src,
        "service_types[2].bsn_legal_basis",
        "consent is not enough",
        "toestemming",
    );
}

// promise: SHR-5
#[test]
fn report_thresholds_that_reveal_a_person_are_refused() {
    let src = swap(
        LEV,
        "small_number_threshold = 5",
        "small_number_threshold = 1",
    );
    refused(
        &src,
        "reports.small_number_threshold",
        "the small-number threshold must be at least 2",
        "small_number_threshold = 1",
    );
    let src = swap(LEV, "rounding = 5", "rounding = 0");
    refused(&src, "reports.rounding", "at least 1", "rounding = 0");
    let src = swap(
        LEV,
        "small_number_threshold = 5",
        "small_number_threshold = 2",
    );
    assert!(parse(&src).is_ok());
}

// promise: SHR-5
#[test]
fn a_training_export_k_that_leaves_one_person_alone_is_refused() {
    let src = swap(LEV, "training_k = 5", "training_k = 1");
    refused(
        &src,
        "reports.training_k",
        "k must be at least 2",
        "training_k = 1",
    );
    let src = swap(BLIJF, "training_k = 5", "training_k = 0");
    refused(
        &src,
        "reports.training_k",
        "k must be at least 2",
        "training_k = 0",
    );
    // The organisation states its k: there is no default to fall back on.
    let src = swap(LEV, "training_k = 5\n", "");
    refused(
        &src,
        "reports.training_k",
        "the required field `training_k` is missing",
        "[reports]",
    );
    let src = swap(LEV, "training_k = 5", "training_k = 2");
    assert_eq!(parse(&src).unwrap().reports().training_k, 2);
}

// promise: ORG-1
#[test]
fn exactly_one_head_office_and_municipalities_per_branch() {
    let src = swap(LEV, "head_office = true\n", "");
    refused(
        &src,
        "branches[0].head_office",
        "no branch is the head office",
        "[[branches]]",
    );
    let src = swap(
        LEV,
        "code = \"asten\"\nname = \"Asten\"\n",
        "code = \"asten\"\nname = \"Asten\"\nhead_office = true\n",
    );
    let p = refused(
        &src,
        "branches[1].head_office",
        "branch `asten` is a second head office (the first is `helmond`)",
        "head_office = true",
    );
    assert_eq!(line(&src, p.line - 2), "code = \"asten\"");
    let src = swap(LEV, "municipalities = [\"Best\"]", "municipalities = []");
    refused(
        &src,
        "branches[2].municipalities",
        "branch `best` serves no municipality",
        "municipalities = []",
    );
    let src = swap(
        LEV,
        "municipalities = [\"Best\"]",
        "municipalities = [\"Best\", \" \"]",
    );
    refused(
        &src,
        "branches[2].municipalities[1]",
        "must not be empty",
        "municipalities = [\"Best\", \" \"]",
    );
}

// promise: MIN-4
#[test]
fn age_bands_out_of_order_are_refused() {
    let src = swap(LEV, "own_access_from = 12", "own_access_from = 17");
    refused(
        &src,
        "age_bands.parents_access_until",
        "age bands must rise",
        "parents_access_until = 16",
    );
    let src = swap(LEV, "independent_from = 16", "independent_from = 15");
    refused(
        &src,
        "age_bands.independent_from",
        "must not be below parents_access_until",
        "independent_from = 15",
    );
    let src = swap(LEV, "adult_at = 18", "adult_at = 16");
    refused(
        &src,
        "age_bands.adult_at",
        "must be above independent_from",
        "adult_at = 16",
    );
    let src = swap(LEV, "own_access_from = 12", "own_access_from = 0");
    refused(
        &src,
        "age_bands.own_access_from",
        "at least 1",
        "own_access_from = 0",
    );
}

// promise: RTS-3
#[test]
fn request_deadlines_beyond_the_law_are_refused() {
    let src = swap(
        LEV,
        "complete_within = { weeks = 4 }",
        "complete_within = { weeks = 5 }",
    );
    refused(
        &src,
        "requests.complete_within",
        "at most one month",
        "complete_within = { weeks = 5 }",
    );
    let src = swap(
        LEV,
        "complete_within = { weeks = 4 }",
        "complete_within = { days = 30 }",
    );
    refused(
        &src,
        "requests.complete_within",
        "at most one month",
        "days = 30",
    );
    let src = swap(
        LEV,
        "respond_within = { weeks = 2 }",
        "respond_within = { weeks = 6 }",
    );
    refused(
        &src,
        "requests.respond_within",
        "respond_within must not be longer than complete_within",
        "weeks = 6",
    );
    let src = swap(
        LEV,
        "respond_within = { weeks = 2 }",
        "respond_within = { weeks = -2 }",
    );
    refused(
        &src,
        "requests.respond_within",
        "must not be negative",
        "weeks = -2",
    );
    let src = swap(BLIJF, "by = { months = 2 }", "by = { months = 3 }");
    refused(
        &src,
        "requests.extension.by",
        "at most three months from receipt",
        "by = { months = 3 }",
    );
    let src = swap(
        BLIJF,
        "by = { months = 2 }",
        "by = { months = 2, days = 1 }",
    );
    refused(
        &src,
        "requests.extension.by",
        "at most three months",
        "by = { months = 2, days = 1 }",
    );
    let src = swap(
        BLIJF,
        "notice_within = { months = 1 }",
        "notice_within = { months = 2 }",
    );
    refused(
        &src,
        "requests.extension.notice_within",
        "within one month of receipt",
        "notice_within = { months = 2 }",
    );
    let src = swap(
        LEV,
        "complete_within = { weeks = 4 }",
        "complete_within = { weeks = 4 }\nextension = { by = { weeks = 8 }, notice_within = { months = 1 } }",
    );
    refused(
        &src,
        "requests.extension.notice_within",
        "before the regular deadline passes",
        "notice_within = { months = 1 }",
    );
    // What the law allows passes.
    let src = swap(
        LEV,
        "complete_within = { weeks = 4 }",
        "complete_within = { weeks = 4 }\nextension = { by = { weeks = 8 }, notice_within = { weeks = 3 } }",
    );
    assert!(parse(&src).is_ok());
}

// promise: ACC-7
#[test]
fn an_access_log_kept_less_than_5_years_is_refused() {
    let src = swap(
        LEV,
        "log_retention = { years = 5 }",
        "log_retention = { years = 2 }",
    );
    refused(
        &src,
        "audit.log_retention",
        "at least 5 years (NEN 7513); 2 years is too short",
        "log_retention = { years = 2 }",
    );
    let src = swap(
        LEV,
        "log_retention = { years = 5 }",
        "log_retention = { months = 59 }",
    );
    refused(
        &src,
        "audit.log_retention",
        "at least 5 years",
        "months = 59",
    );
    let src = swap(
        LEV,
        "log_retention = { years = 5 }",
        "log_retention = { months = 60 }",
    );
    assert!(parse(&src).is_ok());
}

// promise: ORG-2
#[test]
fn organisation_and_contacts_are_checked() {
    let src = swap(LEV, "name = \"LEVgroep\"", "name = \" \"");
    refused(&src, "organisation.name", "needs a name", "name = \" \"");
    let src = swap(
        LEV,
        "email = \"fg@levgroep.nl\"\n\n[complaints]",
        "email = \"fg-at-levgroep\"\n\n[complaints]",
    );
    refused(
        &src,
        "privacy_officer.email",
        "`fg-at-levgroep` is not an e-mail address",
        "fg-at-levgroep",
    );
    let src = swap(
        BLIJF,
        "email = \"klacht@blijfgroep.nl\"",
        "email = \"klacht\"",
    );
    refused(&src, "complaints.email", "not an e-mail address", "klacht");
    let src = swap(LEV, "timezone = \"Europe/Amsterdam\"", "timezone = \"UTC\"");
    refused(
        &src,
        "organisation.timezone",
        "must be Europe/Amsterdam, not `UTC`",
        "UTC",
    );
    let src = swap(
        BLIJF,
        "phone = \"088 - 1805 250\"",
        "phone = \"088 - 1805 250 (ma-vr)\"",
    );
    refused(
        &src,
        "complaints.supervisory_authority.phone",
        "not a telephone number",
        "(ma-vr)",
    );
    let src = swap(LEV, "help_phone = \"0492 59 89 89\"", "help_phone = \"\"");
    refused(
        &src,
        "help.help_phone",
        "not a telephone number",
        "help_phone",
    );
    let src = swap(
        LEV,
        "privacy_statement_url = \"https://www.levgroep.nl/privacyverklaring\"",
        "privacy_statement_url = \"www.levgroep.nl/privacyverklaring\"",
    );
    refused(
        &src,
        "organisation.privacy_statement_url",
        "starting with https://",
        "privacy_statement_url",
    );
    let src = swap(
        LEV,
        "timezone = \"Europe/Amsterdam\"",
        "timezone = \"Europe/Amsterdam\"\nchamber_of_commerce = \"1234\"",
    );
    refused(&src, "organisation.chamber_of_commerce", "8 digits", "1234");
}

// promise: POR-3
#[test]
fn every_role_is_labelled_once_and_known() {
    let src = swap(LEV, "role = \"manager\"", "role = \"boss\"");
    refused(&src, "roles[2].role", "unknown role `boss`", "boss");
    refused(&src, "roles", "role `manager` has no labels", "[[roles]]");
    let src = swap(LEV, "role = \"manager\"", "role = \"caseworker\"");
    refused(
        &src,
        "roles[2].role",
        "role `caseworker` is labelled twice",
        "role = \"caseworker\"",
    );
    let src = swap(
        LEV,
        "shown_to_client_as = \"name\"",
        "shown_to_client_as = \"photo\"",
    );
    refused(
        &src,
        "roles[0].shown_to_client_as",
        "unknown variant `photo`",
        "photo",
    );
}

// promise: ORG-2
#[test]
fn a_record_kind_has_one_category() {
    let src = swap(
        LEV,
        "kind = \"activity_media\"",
        "kind = \"group_participants\"",
    );
    refused(
        &src,
        "record_categories[1].kind",
        "already has a category (`groepsdeelnemers`)",
        "group_participants",
    );
}

// promise: ORG-2
#[test]
fn typos_types_and_syntax_are_refused_at_their_place() {
    let src = swap(
        LEV,
        "retention = \"groep-2y\"\n\n[[service_types]]",
        "retentoin = \"groep-2y\"\n\n[[service_types]]",
    );
    let p = refused(
        &src,
        "service_types[2].retentoin",
        "unknown field `retentoin` (a typo?)",
        "retentoin",
    );
    assert_eq!(p.column, 1);
    assert!(p.message.contains("`retention`"), "{}", p.message);
    let src = swap(
        LEV,
        "small_number_threshold = 5",
        "small_number_threshold = \"five\"",
    );
    let p = refused(&src, "reports.small_number_threshold", "", "\"five\"");
    assert_eq!(p.column, "small_number_threshold = ".len() + 1);
    let src = swap(LEV, "name_en = \"Youth care\"\n", "");
    refused(
        &src,
        "service_types[1].name_en",
        "the required field `name_en` is missing",
        "[[service_types]]",
    );
    let src = swap(LEV, "[age_bands]", "[age_bands");
    let p = parse(&src).unwrap_err();
    assert_eq!(p.problems.len(), 1);
    assert!(line(&src, p.problems[0].line).contains("[age_bands"), "{p}");
    let src = swap(
        LEV,
        "extension = { requires = \"recorded_reason\" }",
        "extension = { requires = \"recorded_reason\", min = { years = 3 } }",
    );
    refused(
        &src,
        "retention_rules[0].extension",
        "min and max belong only to requires = \"written_consent\"",
        "extension = {",
    );
    let src = swap(BLIJF, ", max = { years = 3 }", "");
    refused(
        &src,
        "retention_rules[6].extension",
        "needs min and max",
        "requires = \"written_consent\"",
    );
    let src = swap(LEV, "term = { years = 2 }", "term = { yaers = 2 }");
    refused(
        &src,
        "retention_rules[0].term.yaers",
        "unknown field `yaers`",
        "yaers",
    );
}

// promise: ORG-2
#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let src = swap(
        LEV,
        "small_number_threshold = 5",
        "small_number_threshold = 0",
    );
    let src = swap(&src, "code = \"jeugd-eindhoven\"", "code = \"amw-helmond\"");
    let src = swap(
        &src,
        "email = \"fg@levgroep.nl\"\n\n[complaints]",
        "email = \"nobody\"\n\n[complaints]",
    );
    let src = swap(
        &src,
        "log_retention = { years = 5 }",
        "log_retention = { years = 1 }",
    );
    let errors = parse(&src).unwrap_err();
    assert_eq!(errors.problems.len(), 4, "{errors}");
    let lines: Vec<_> = errors.problems.iter().map(|p| p.line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
    let shown = errors.to_string();
    assert_eq!(shown.lines().count(), 4);
    let first = &errors.problems[0];
    assert_eq!(
        shown.lines().next(),
        Some(
            format!(
                "{}:{}: privacy_officer.email: {}",
                first.line, first.column, first.message
            )
            .as_str()
        )
    );
}

// promise: ACC-5
#[test]
fn security_limits_are_bounded() {
    refused(
        &swap(
            LEV,
            "emergency_access_max_hours = 8",
            "emergency_access_max_hours = 0",
        ),
        "security.emergency_access_max_hours",
        "between 1 and 72 hours; 0 is outside",
        "emergency_access_max_hours = 0",
    );
    refused(
        &swap(
            LEV,
            "session_idle_minutes = 30",
            "session_idle_minutes = 900",
        ),
        "security.session_idle_minutes",
        "cannot be longer than the absolute session limit",
        "session_idle_minutes = 900",
    );
    refused(
        &swap(LEV, "recovery_codes = 10", "recovery_codes = 1"),
        "security.recovery_codes",
        "between 4 and 20 codes",
        "recovery_codes = 1",
    );
    let b = parse(BLIJF).expect("valid");
    assert_eq!(b.security().session_idle_minutes, 15);
}

/// The portal invitation's validity is policy (POR-1): a week when a file does not say,
/// and refused outside 1 to 30 days.
#[test]
fn a_portal_invitation_is_valid_for_the_policys_days() {
    assert_eq!(
        parse(LEV).expect("valid").security().portal_invitation_days,
        7
    );
    let unset = swap(LEV, "portal_invitation_days = 7\n", "");
    assert_eq!(
        parse(&unset)
            .expect("valid")
            .security()
            .portal_invitation_days,
        7
    );
    let longer = swap(
        LEV,
        "portal_invitation_days = 7",
        "portal_invitation_days = 14",
    );
    assert_eq!(
        parse(&longer)
            .expect("valid")
            .security()
            .portal_invitation_days,
        14
    );
    refused(
        &swap(
            LEV,
            "portal_invitation_days = 7",
            "portal_invitation_days = 0",
        ),
        "security.portal_invitation_days",
        "between 1 and 30 days",
        "portal_invitation_days = 0",
    );
}

// promise: CMP-1
#[test]
fn the_complaint_handling_term_is_the_wkkgz_six_weeks_and_checked() {
    for src in [LEV, BLIJF] {
        let p = parse(src).unwrap();
        assert_eq!(p.complaints().handling_term, zv_policy::Term::weeks(6));
        let received = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            p.complaints().handling_term.add_to(received).to_string(),
            "2027-01-03"
        );
    }
    let src = swap(
        LEV,
        "handling_term = { weeks = 6 }",
        "handling_term = { weeks = 0 }",
    );
    refused(
        &src,
        "complaints.handling_term",
        "longer than zero",
        "handling_term",
    );
    let src = swap(
        LEV,
        "handling_term = { weeks = 6 }",
        "handling_term = { weeks = 12 }",
    );
    refused(
        &src,
        "complaints.handling_term",
        "at most 10 weeks",
        "handling_term",
    );
}

/// `[retention]`: the destruction schedule's horizon and the sweep's time of day are policy
/// (RET-4, RET-5); a file without the table gets 30 days and 02:30, and nonsense is
/// refused at its place.
// promise: RET-5
#[test]
fn the_retention_schedule_and_sweep_time_are_policy() {
    for p in [lev(), blijf()] {
        let r = p.retention_settings();
        assert_eq!(r.schedule_horizon, Term::days(30));
        assert_eq!(
            r.sweep_daily_at,
            chrono::NaiveTime::from_hms_opt(2, 30, 0).unwrap()
        );
    }
    let start = LEV.find("[retention]\n").unwrap();
    let last = "sent_mail_kept = { days = 30 }\n";
    let end = LEV.find(last).unwrap() + last.len();
    let without = format!("{}{}", &LEV[..start], &LEV[end..]);
    let r = parse(&without)
        .expect("valid without [retention]")
        .retention_settings();
    assert_eq!(r.schedule_horizon, Term::days(30));
    assert_eq!(r.sweep_daily_at.to_string(), "02:30:00");
    assert_eq!(r.sent_mail_kept, Term::days(30));
    refused(
        &swap(
            LEV,
            "sent_mail_kept = { days = 30 }",
            "sent_mail_kept = { days = 0 }",
        ),
        "retention.sent_mail_kept",
        "longer than zero",
        "sent_mail_kept",
    );
    let other = swap(
        LEV,
        "sweep_daily_at = \"02:30\"",
        "sweep_daily_at = \"23:05\"",
    );
    assert_eq!(
        parse(&other)
            .unwrap()
            .retention_settings()
            .sweep_daily_at
            .to_string(),
        "23:05:00"
    );
    for bad in ["\"25:00\"", "\"2:30\"", "\"02:30:00\"", "\"nacht\""] {
        let src = swap(
            LEV,
            "sweep_daily_at = \"02:30\"",
            &format!("sweep_daily_at = {bad}"),
        );
        refused(
            &src,
            "retention.sweep_daily_at",
            "is not a time of day",
            "sweep_daily_at",
        );
    }
    refused(
        &swap(
            LEV,
            "schedule_horizon = { days = 30 }",
            "schedule_horizon = { days = 0 }",
        ),
        "retention.schedule_horizon",
        "longer than zero",
        "schedule_horizon",
    );
    refused(
        &swap(
            LEV,
            "schedule_horizon = { days = 30 }",
            "schedule_horizon = { months = 13 }",
        ),
        "retention.schedule_horizon",
        "at most a year ahead",
        "schedule_horizon",
    );
}

// promise: DOS-5
#[test]
fn every_category_of_data_is_tied_to_a_purpose_from_the_statement() {
    for p in [lev(), blijf()] {
        let categories = p.data_categories();
        for c in [
            DataCategory::ClientIdentity,
            DataCategory::Dossier,
            DataCategory::Bsn,
            DataCategory::SpecialCategories,
            DataCategory::WorkNotes,
            DataCategory::AccessLog,
            DataCategory::StaffAccounts,
            DataCategory::FinancialRecords,
            DataCategory::Correspondence,
        ] {
            assert!(categories.contains(&c), "{c:?}");
        }
        for c in &categories {
            assert!(p.purposes_of(*c).next().is_some(), "{c:?} has no purpose");
        }
        for purpose in p.purposes() {
            for c in &purpose.categories {
                assert!(categories.contains(c), "{}: {c:?}", purpose.code);
            }
        }
    }
    // Each organisation holds what its own statement names, and only that.
    let lev = lev().data_categories();
    assert!(lev.contains(&DataCategory::GroupParticipants));
    assert!(lev.contains(&DataCategory::NewsletterContacts));
    assert!(!lev.contains(&DataCategory::CameraImages));
    assert!(!lev.contains(&DataCategory::Applicants));
    let blijf_policy = blijf();
    let blijf = blijf_policy.data_categories();
    for c in [
        DataCategory::CameraImages,
        DataCategory::Applicants,
        DataCategory::StaffRecords,
        DataCategory::StaffIdCopies,
    ] {
        assert!(blijf.contains(&c), "{c:?}");
    }
    assert!(!blijf.contains(&DataCategory::GroupParticipants));
    // Research institutes receive anonymised data only (SHR-5).
    assert!(blijf_policy.purposes().iter().all(|p| {
        !p.recipients.contains(&RecipientKind::ResearchInstitute)
            || p.recipients_receive_anonymised_only
    }));
}

// promise: DOS-5
#[test]
fn data_without_a_purpose_and_a_purpose_without_data_are_refused() {
    // Camera images are recorded but the purpose that named them now names other data.
    let src = swap(
        BLIJF,
        "categories = [\"camera_images\"]",
        "categories = [\"correspondence\"]",
    );
    refused(
        &src,
        "purposes",
        "`camera_images` is processed (record category `camerabeelden`) but no purpose names it",
        "[[purposes]]",
    );
    // The BSN is stored for youth care, so a purpose must name it.
    let src = swap(
        LEV,
        "categories = [\"client_identity\", \"bsn\", ",
        "categories = [\"client_identity\", ",
    );
    refused(
        &src,
        "purposes",
        "`bsn` is processed (service type `jeugdhulp` stores the BSN)",
        "[[purposes]]",
    );
    // LEVgroep has no cameras: a purpose may not claim their images.
    let src = swap(
        LEV,
        "categories = [\"newsletter_contacts\"]",
        "categories = [\"newsletter_contacts\", \"camera_images\"]",
    );
    refused(
        &src,
        "purposes[4].categories",
        "`camera_images` is not processed under this policy (no record category of this kind)",
        "camera_images",
    );
    let src = swap(
        LEV,
        "categories = [\"newsletter_contacts\"]",
        "categories = []",
    );
    refused(
        &src,
        "purposes[4].categories",
        "name the categories of personal data",
        "categories = []",
    );
    // A category the software does not know is refused by name.
    let src = swap(
        LEV,
        "categories = [\"newsletter_contacts\"]",
        "categories = [\"hobbies\"]",
    );
    let e = parse(&src).unwrap_err().to_string();
    assert!(e.contains("hobbies"), "{e}");
}

// promise: RET-2
// promise: ACC-7
#[test]
fn a_record_category_names_only_known_roles_for_its_access() {
    let b = blijf();
    for (kind, role) in [
        (RecordKind::Applicants, Role::HrOfficer),
        (RecordKind::StaffRecords, Role::HrOfficer),
        (RecordKind::StaffIdCopies, Role::HrOfficer),
        (RecordKind::FinancialRecords, Role::FinanceOfficer),
    ] {
        assert!(b.record_access_names(kind, &[role]), "{kind:?}");
        for other in Role::ALL.into_iter().filter(|r| *r != role) {
            assert!(!b.record_access_names(kind, &[other]), "{kind:?} {other:?}");
        }
    }
    // LEVgroep keeps financial records only; finance keeps them.
    let l = lev();
    assert!(l.record_access_names(RecordKind::FinancialRecords, &[Role::FinanceOfficer]));
    assert!(!l.record_access_names(RecordKind::Applicants, &[Role::HrOfficer]));
    let src = swap(
        BLIJF,
        "access = [\"hr_officer\"]",
        "access = [\"hr_manager\"]",
    );
    let errors = parse(&src).expect_err("an unknown role was accepted");
    assert!(
        errors
            .problems
            .iter()
            .any(|p| p.path.ends_with(".access[0]") && p.message.contains("unknown role")),
        "{errors}"
    );
}

// ---------------------------------------------------------------------------------------
// Inputs found by fuzzing (`fuzz/`, target `policy`): each once made `parse` panic.

#[test]
fn text_that_made_the_field_locator_panic_is_refused_with_its_problem() {
    // toml_edit 0.23 panics on it ("all items have spans"); `toml` refuses it first.
    let errors = parse("={[]\n.").expect_err("not a policy");
    assert_eq!(errors.problems.len(), 1, "{errors}");
    let p = &errors.problems[0];
    assert!(p.line >= 1 && p.line <= 2 && p.column >= 1, "{p:?}");
}
