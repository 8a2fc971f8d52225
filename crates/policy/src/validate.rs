//! Consistency rules of a policy file. Each problem names the field path and explains in
//! plain words what is wrong and, where it helps, what to do.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::{Extension, Policy, Term};

type Found = Vec<(String, String)>;

fn duplicates<'a>(found: &mut Found, list: &str, what: &str, codes: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for (i, code) in codes.enumerate() {
        if code.trim().is_empty() {
            found.push((
                format!("{list}[{i}].code"),
                format!("a {what} needs a code"),
            ));
        } else if !seen.insert(code) {
            found.push((
                format!("{list}[{i}].code"),
                format!("{what} code `{code}` is defined twice"),
            ));
        }
    }
}

fn term(found: &mut Found, path: &str, t: &Term) {
    if t.is_negative() {
        found.push((path.to_owned(), "a term must not be negative".into()));
    } else if t.is_zero() {
        found.push((path.to_owned(), "a term must be longer than zero".into()));
    }
}

fn email(found: &mut Found, path: &str, value: &str) {
    if zv_domain::Email::parse(value).is_err() {
        found.push((
            path.to_owned(),
            "this is not an e-mail address (name@example.nl)".into(),
        ));
    }
}

fn required(found: &mut Found, path: &str, value: &str) {
    if value.trim().is_empty() {
        found.push((path.to_owned(), "this field must not be empty".into()));
    }
}

/// The latest date a term can reach from a few reference dates, to compare terms given
/// in different units against a legal maximum.
fn exceeds(t: &Term, max: &Term) -> bool {
    ["2025-01-31", "2026-02-28", "2024-03-31", "2026-07-15"]
        .iter()
        .any(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok_and(|d| t.add_to(d) > max.add_to(d))
        })
}

pub(crate) fn validate(p: &Policy) -> Found {
    let mut f = Found::new();
    required(&mut f, "organisation.name", &p.organisation.name);
    required(
        &mut f,
        "organisation.legal_name",
        &p.organisation.legal_name,
    );
    required(
        &mut f,
        "organisation.statement_version",
        &p.organisation.statement_version,
    );
    if p.organisation.timezone != "Europe/Amsterdam" {
        f.push((
            "organisation.timezone".into(),
            "legal dates are Dutch dates: the timezone must be Europe/Amsterdam".into(),
        ));
    }
    required(&mut f, "privacy_officer.name", &p.privacy_officer.name);
    email(&mut f, "privacy_officer.email", &p.privacy_officer.email);
    if let Some(e) = &p.complaints.email {
        email(&mut f, "complaints.email", e);
    }
    required(&mut f, "help.help_phone", &p.help.help_phone);
    required(&mut f, "help.emergency_phone", &p.help.emergency_phone);

    duplicates(
        &mut f,
        "branches",
        "branch",
        p.branches.iter().map(|b| b.code.as_str()),
    );
    duplicates(
        &mut f,
        "teams",
        "team",
        p.teams.iter().map(|t| t.code.as_str()),
    );
    duplicates(
        &mut f,
        "service_types",
        "service type",
        p.service_types.iter().map(|s| s.code.as_str()),
    );
    duplicates(
        &mut f,
        "retention_rules",
        "retention rule",
        p.retention_rules.iter().map(|r| r.code.as_str()),
    );
    duplicates(
        &mut f,
        "record_categories",
        "record category",
        p.record_categories.iter().map(|r| r.code.as_str()),
    );

    if p.branches.is_empty() {
        f.push((
            "branches".into(),
            "define at least one branch ([[branches]])".into(),
        ));
    }
    let heads = p.branches.iter().filter(|b| b.head_office).count();
    if !p.branches.is_empty() && heads != 1 {
        f.push((
            "branches".into(),
            format!("exactly one branch is the head office (head_office = true); found {heads}"),
        ));
    }
    for (i, b) in p.branches.iter().enumerate() {
        if b.municipalities.iter().all(|m| m.trim().is_empty()) {
            f.push((
                format!("branches[{i}].municipalities"),
                "a branch serves at least one municipality".into(),
            ));
        }
    }
    if p.teams.is_empty() {
        f.push((
            "teams".into(),
            "define at least one team ([[teams]])".into(),
        ));
    }
    for (i, t) in p.teams.iter().enumerate() {
        if p.branch(&t.branch).is_none() {
            f.push((
                format!("teams[{i}].branch"),
                format!("branch `{}` is not defined in [[branches]]", t.branch),
            ));
        }
    }
    let mut roles = HashSet::new();
    for (i, r) in p.roles.iter().enumerate() {
        if r.role.parse::<zv_domain::Role>().is_err() {
            f.push((format!("roles[{i}].role"), format!("unknown role `{}` (known: caseworker, team_lead, manager, quality_officer, administrator, privacy_officer)", r.role)));
        } else if !roles.insert(r.role.as_str()) {
            f.push((
                format!("roles[{i}].role"),
                format!("role `{}` is labelled twice", r.role),
            ));
        }
    }
    for role in zv_domain::Role::ALL {
        if !roles.contains(role.code()) && !p.roles.is_empty() {
            f.push((
                "roles".into(),
                format!("role `{}` has no labels", role.code()),
            ));
        }
    }

    if p.service_types.is_empty() {
        f.push((
            "service_types".into(),
            "define at least one service type ([[service_types]])".into(),
        ));
    }
    for (i, s) in p.service_types.iter().enumerate() {
        let at = format!("service_types[{i}]");
        if p.retention_rule(&s.retention).is_none() {
            f.push((
                format!("{at}.retention"),
                format!(
                    "retention rule `{}` is not defined in [[retention_rules]]",
                    s.retention
                ),
            ));
        }
        if let Some(dv) = s
            .retention_if_domestic_violence
            .as_ref()
            .filter(|dv| p.retention_rule(dv).is_none())
        {
            f.push((
                format!("{at}.retention_if_domestic_violence"),
                format!("retention rule `{dv}` is not defined in [[retention_rules]]"),
            ));
        }
        if s.bsn_legal_basis
            .as_deref()
            .is_some_and(|l| l.trim().is_empty())
        {
            f.push((format!("{at}.bsn_legal_basis"), "BSN is allowed but no legal basis is named: set bsn_legal_basis to the law that requires it (consent is not enough), or remove the line".into()));
        }
    }
    let mut kinds = HashSet::new();
    for (i, r) in p.record_categories.iter().enumerate() {
        if p.retention_rule(&r.retention).is_none() {
            f.push((
                format!("record_categories[{i}].retention"),
                format!(
                    "retention rule `{}` is not defined in [[retention_rules]]",
                    r.retention
                ),
            ));
        }
        if !kinds.insert(format!("{:?}", r.kind)) {
            f.push((
                format!("record_categories[{i}].kind"),
                "this kind of record already has a category".into(),
            ));
        }
    }
    for (i, r) in p.retention_rules.iter().enumerate() {
        term(&mut f, &format!("retention_rules[{i}].term"), &r.term);
        if let Extension::WrittenConsent { min, max } = &r.extension {
            term(&mut f, &format!("retention_rules[{i}].extension.min"), min);
            term(&mut f, &format!("retention_rules[{i}].extension.max"), max);
            if exceeds(min, max) {
                f.push((
                    format!("retention_rules[{i}].extension"),
                    "the minimum extension is longer than the maximum".into(),
                ));
            }
        }
    }

    // GDPR art. 12(3): one month, extendable by two further months.
    let month = Term {
        months: 1,
        ..Term::default()
    };
    let three = Term {
        months: 3,
        ..Term::default()
    };
    let r = &p.requests;
    term(&mut f, "requests.respond_within", &r.respond_within);
    term(&mut f, "requests.complete_within", &r.complete_within);
    if exceeds(&r.complete_within, &month) {
        f.push(("requests.complete_within".into(), "the law allows at most one month to carry out a request (extensions go in requests.extension)".into()));
    }
    if exceeds(&r.respond_within, &r.complete_within) {
        f.push((
            "requests.respond_within".into(),
            "the first reaction cannot come after the request is carried out".into(),
        ));
    }
    if let Some(e) = &r.extension {
        term(&mut f, "requests.extension.by", &e.by);
        term(&mut f, "requests.extension.notice_within", &e.notice_within);
        let total = Term {
            months: r.complete_within.months + e.by.months,
            years: r.complete_within.years + e.by.years,
            weeks: r.complete_within.weeks + e.by.weeks,
            days: r.complete_within.days + e.by.days,
        };
        if exceeds(&total, &three) {
            f.push((
                "requests.extension.by".into(),
                "with the extension a request may take at most three months from receipt".into(),
            ));
        }
        if exceeds(&e.notice_within, &month) {
            f.push((
                "requests.extension.notice_within".into(),
                "the extension must be announced within the first month".into(),
            ));
        }
    }

    let a = &p.age_bands;
    if !(a.own_access_from < a.parents_access_until
        && a.parents_access_until <= a.independent_from
        && a.independent_from < a.adult_at)
    {
        f.push(("age_bands".into(), "age bands must rise: own_access_from < parents_access_until <= independent_from < adult_at".into()));
    }
    if p.reports.small_number_threshold < 2 {
        f.push((
            "reports.small_number_threshold".into(),
            "the small-number threshold must be at least 2, or single persons become visible"
                .into(),
        ));
    }
    if p.reports.rounding == 0 {
        f.push((
            "reports.rounding".into(),
            "rounding base must be at least 1".into(),
        ));
    }
    term(&mut f, "audit.log_retention", &p.audit.log_retention);
    if exceeds(
        &Term {
            years: 5,
            ..Term::default()
        },
        &p.audit.log_retention,
    ) {
        f.push((
            "audit.log_retention".into(),
            "access logs are kept at least 5 years (NEN 7513)".into(),
        ));
    }
    f
}
