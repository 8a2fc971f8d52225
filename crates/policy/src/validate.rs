//! The consistency rules of a policy file (ORG-2). Each problem names the field path and
//! explains in plain words what is wrong and, where it helps, what to do. Every rule runs,
//! so an administrator sees all problems at once.

use std::collections::{HashMap, HashSet};

use zv_domain::Role;

use crate::model::{LegalBasis, PolicyFile, TIMEZONE, parse_time_of_day};
use crate::purposes::{DataCategory, InUseBecause, categories_in_use};
use crate::retention::{Condition, Extension, StartEvent};
use crate::term::{Term, always_earlier, never_later};

/// Problems found: (field path, message).
pub(crate) type Found = Vec<(String, String)>;

/// The least time access logs are kept (NEN 7513; DOMAIN.md "Access logging").
const LEAST_LOG_RETENTION: Term = Term::years(5);
/// The Wkkgz's six weeks for answering a complaint, with its extension of at most four.
const LONGEST_COMPLAINT_TERM: Term = Term::weeks(10);
/// The destruction schedule is a review list, not a forecast: beyond a year it would list
/// trajectories nobody can act on yet.
const LONGEST_SCHEDULE_HORIZON: Term = Term::years(1);
/// AVG art. 12(3): a request is carried out within one month of receipt...
const LEGAL_COMPLETE_WITHIN: Term = Term::months(1);
/// ...extendable to three months from receipt in all...
const LEGAL_EXTENDED_WITHIN: Term = Term::months(3);
/// ...when the person is told within the first month.
const LEGAL_NOTICE_WITHIN: Term = Term::months(1);

struct Check<'p> {
    file: &'p PolicyFile,
    found: Found,
}

impl Check<'_> {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.found.push((path.into(), message.into()));
    }

    fn required(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(path, "this field must not be empty");
        }
    }

    fn email(&mut self, path: &str, value: &str) {
        if zv_domain::Email::parse(value).is_err() {
            self.push(
                path,
                format!("`{value}` is not an e-mail address (it should look like name@example.nl)"),
            );
        }
    }

    fn phone(&mut self, path: &str, value: &str) {
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'));
        if !allowed || !(3..=15).contains(&digits) {
            self.push(
                path,
                format!(
                    "`{value}` is not a telephone number: use digits, spaces and - only (opening hours go in a separate field)"
                ),
            );
        }
    }

    fn url(&mut self, path: &str, value: &str) {
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"));
        if !rest.is_some_and(|r| r.contains('.') && !r.contains(char::is_whitespace)) {
            self.push(
                path,
                format!("`{value}` is not a web address: write it in full, starting with https://"),
            );
        }
    }

    fn term(&mut self, path: &str, t: &Term) -> bool {
        if t.is_negative() {
            self.push(path, "a term must not be negative");
            false
        } else if t.is_zero() {
            self.push(
                path,
                "a term must be longer than zero: set years, months, weeks or days",
            );
            false
        } else {
            true
        }
    }

    /// Codes appear in the database, addresses and the audit log: lower case letters,
    /// digits, `-` and `_`, each defined once.
    fn codes<'a>(&mut self, list: &str, what: &str, codes: impl Iterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for (i, code) in codes.enumerate() {
            let path = format!("{list}[{i}].code");
            if code.trim().is_empty() {
                self.push(path, format!("a {what} needs a code"));
            } else if !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                self.push(
                    path,
                    format!(
                        "{what} code `{code}` may only contain lower-case letters, digits, - and _"
                    ),
                );
            } else if !seen.insert(code) {
                self.push(path, format!("{what} code `{code}` is defined twice"));
            }
        }
    }

    fn rule_exists(&mut self, path: &str, code: &str) -> bool {
        if self.file.retention_rules.iter().any(|r| r.code == code) {
            true
        } else {
            self.push(
                path,
                format!("retention rule `{code}` is not defined in [[retention_rules]]"),
            );
            false
        }
    }
}

pub(crate) fn validate(file: &PolicyFile) -> Found {
    let mut c = Check {
        file,
        found: Found::new(),
    };
    organisation(&mut c);
    contacts(&mut c);
    branches_and_teams(&mut c);
    roles(&mut c);
    retention_rules(&mut c);
    service_types(&mut c);
    record_categories(&mut c);
    newsletters(&mut c);
    purposes(&mut c);
    retention_settings(&mut c);
    requests(&mut c);
    age_bands(&mut c);
    reports_and_audit(&mut c);
    security(&mut c);
    c.found
}

fn organisation(c: &mut Check<'_>) {
    let o = &c.file.organisation;
    if o.name.trim().is_empty() {
        c.push(
            "organisation.name",
            "the organisation needs a name: clients see it on every page and letter",
        );
    }
    c.required("organisation.legal_name", &o.legal_name);
    c.required("organisation.address", &o.address);
    c.required("organisation.statement_version", &o.statement_version);
    c.url("organisation.website", &o.website);
    c.url(
        "organisation.privacy_statement_url",
        &o.privacy_statement_url,
    );
    if let Some(kvk) = &o.chamber_of_commerce
        && !(kvk.len() == 8 && kvk.chars().all(|ch| ch.is_ascii_digit()))
    {
        c.push(
            "organisation.chamber_of_commerce",
            "a chamber of commerce (KvK) number has 8 digits",
        );
    }
    if o.timezone != TIMEZONE {
        c.push(
            "organisation.timezone",
            format!(
                "legal dates (terms, deadlines, birthdays) are Dutch dates: the timezone must be {TIMEZONE}, not `{}`",
                o.timezone
            ),
        );
    }
}

fn contacts(c: &mut Check<'_>) {
    let f = c.file;
    c.required("privacy_officer.name", &f.privacy_officer.name);
    c.email("privacy_officer.email", &f.privacy_officer.email);
    if let Some(phone) = &f.privacy_officer.phone {
        c.phone("privacy_officer.phone", phone);
    }
    if let Some(email) = &f.complaints.email {
        c.email("complaints.email", email);
    }
    c.required("complaints.channels", &f.complaints.channels);
    if let Some(url) = &f.complaints.procedure_url {
        c.url("complaints.procedure_url", url);
    }
    if c.term("complaints.handling_term", &f.complaints.handling_term)
        && !f
            .complaints
            .handling_term
            .never_longer_than(&LONGEST_COMPLAINT_TERM)
    {
        c.push(
            "complaints.handling_term",
            format!(
                "a complaint is answered within at most 10 weeks (Wkkgz art. 17: 6 weeks, extended by at most 4); {} is too long",
                f.complaints.handling_term
            ),
        );
    }
    let ap = &f.complaints.supervisory_authority;
    c.required("complaints.supervisory_authority.name", &ap.name);
    c.url("complaints.supervisory_authority.website", &ap.website);
    c.phone("complaints.supervisory_authority.phone", &ap.phone);
    c.required(
        "complaints.supervisory_authority.postal_address",
        &ap.postal_address,
    );
    c.phone("help.help_phone", &f.help.help_phone);
    c.phone("help.emergency_phone", &f.help.emergency_phone);
    if let Some(url) = &f.help.chat_url {
        c.url("help.chat_url", url);
    }
    if let Some(url) = &f.help.website {
        c.url("help.website", url);
    }
    if let Some(url) = &f.help.quick_exit_url {
        c.url("help.quick_exit_url", url);
    }
}

fn branches_and_teams(c: &mut Check<'_>) {
    let f = c.file;
    if f.branches.is_empty() {
        c.push(
            "branches",
            "define at least one branch ([[branches]]); one of them is the head office",
        );
    }
    c.codes(
        "branches",
        "branch",
        f.branches.iter().map(|b| b.code.as_str()),
    );
    let mut head: Option<&str> = None;
    for (i, b) in f.branches.iter().enumerate() {
        c.required(&format!("branches[{i}].name"), &b.name);
        if b.municipalities.is_empty() {
            c.push(
                format!("branches[{i}].municipalities"),
                format!(
                    "branch `{}` serves no municipality: name at least one (municipalities = [\"...\"])",
                    b.code
                ),
            );
        }
        for (j, m) in b.municipalities.iter().enumerate() {
            c.required(&format!("branches[{i}].municipalities[{j}]"), m);
        }
        if b.head_office {
            match head {
                None => head = Some(&b.code),
                Some(first) => c.push(
                    format!("branches[{i}].head_office"),
                    format!(
                        "branch `{}` is a second head office (the first is `{first}`): exactly one branch has head_office = true",
                        b.code
                    ),
                ),
            }
        }
    }
    if head.is_none() && !f.branches.is_empty() {
        c.push(
            "branches[0].head_office",
            "no branch is the head office: set head_office = true on exactly one branch",
        );
    }

    if f.teams.is_empty() {
        c.push(
            "teams",
            "define at least one team ([[teams]]): staff and dossiers belong to a team",
        );
    }
    c.codes("teams", "team", f.teams.iter().map(|t| t.code.as_str()));
    for (i, t) in f.teams.iter().enumerate() {
        c.required(&format!("teams[{i}].name"), &t.name);
        if !f.branches.iter().any(|b| b.code == t.branch) {
            c.push(
                format!("teams[{i}].branch"),
                format!("branch `{}` is not defined in [[branches]]", t.branch),
            );
        }
    }
}

fn roles(c: &mut Check<'_>) {
    let f = c.file;
    let mut labelled = HashSet::new();
    for (i, r) in f.roles.iter().enumerate() {
        let path = format!("roles[{i}].role");
        match r.role.parse::<Role>() {
            Err(e) => c.push(path, e.to_string()),
            Ok(role) => {
                if !labelled.insert(role) {
                    c.push(path, format!("role `{}` is labelled twice", r.role));
                }
            }
        }
        c.required(&format!("roles[{i}].label_nl"), &r.label_nl);
        c.required(&format!("roles[{i}].label_en"), &r.label_en);
    }
    for role in Role::ALL {
        if !labelled.contains(&role) {
            c.push(
                "roles",
                format!(
                    "role `{role}` has no labels: add a [[roles]] entry with role = \"{role}\", label_nl, label_en and shown_to_client_as"
                ),
            );
        }
    }
}

fn retention_rules(c: &mut Check<'_>) {
    let f = c.file;
    c.codes(
        "retention_rules",
        "retention rule",
        f.retention_rules.iter().map(|r| r.code.as_str()),
    );
    for (i, r) in f.retention_rules.iter().enumerate() {
        let at = format!("retention_rules[{i}]");
        let term_ok = c.term(&format!("{at}.term"), &r.term);
        for (j, cond) in r.not_before.iter().enumerate() {
            match cond {
                Condition::YoungestChildReaches { age } => {
                    if *age == 0 {
                        c.push(
                            format!("{at}.not_before[{j}].age"),
                            "the age the youngest child must reach must be at least 1",
                        );
                    }
                }
            }
        }
        if let Extension::WrittenConsent { min, max } = &r.extension {
            let min_ok = c.term(&format!("{at}.extension.min"), min);
            let max_ok = c.term(&format!("{at}.extension.max"), max);
            if min_ok && max_ok && !min.never_longer_than(max) {
                c.push(
                    format!("{at}.extension.min"),
                    format!("the shortest extension ({min}) is longer than the longest ({max})"),
                );
            }
            if term_ok && min_ok && !always_earlier(|d| r.term.add_to(d), |d| min.add_to(d)) {
                c.push(
                    format!("{at}.extension.min"),
                    format!(
                        "an extension with consent must end later than the term itself ({}): make min longer than the term",
                        r.term
                    ),
                );
            }
        }
    }
}

fn service_types(c: &mut Check<'_>) {
    let f = c.file;
    if f.service_types.is_empty() {
        c.push(
            "service_types",
            "define at least one service type ([[service_types]])",
        );
    }
    c.codes(
        "service_types",
        "service type",
        f.service_types.iter().map(|s| s.code.as_str()),
    );
    for (i, s) in f.service_types.iter().enumerate() {
        let at = format!("service_types[{i}]");
        c.required(&format!("{at}.name_nl"), &s.name_nl);
        c.required(&format!("{at}.name_en"), &s.name_en);
        let rules = std::iter::once(("retention", s.retention.as_str())).chain(
            s.retention_if_domestic_violence
                .as_deref()
                .map(|dv| ("retention_if_domestic_violence", dv)),
        );
        for (field, code) in rules {
            let path = format!("{at}.{field}");
            if c.rule_exists(&path, code)
                && let Some(rule) = f.retention_rules.iter().find(|r| r.code == code)
                && !matches!(
                    rule.start,
                    StartEvent::TrajectoryClosed | StartEvent::LastChange
                )
            {
                c.push(
                    path,
                    format!(
                        "a dossier's term counts from the end of the trajectory (start = \"trajectory_closed\") or the last change in the dossier (start = \"last_change\"); rule `{code}` starts at another event, so it would never run out"
                    ),
                );
            }
        }
        match s.bsn_legal_basis.as_deref() {
            Some(law) if law.trim().is_empty() => c.push(
                format!("{at}.bsn_legal_basis"),
                "BSN is allowed but no legal basis is named: set bsn_legal_basis to the law that requires it (consent is not enough), or remove the line",
            ),
            Some(_) if s.legal_basis == LegalBasis::Consent => c.push(
                format!("{at}.bsn_legal_basis"),
                "the BSN may only be stored where a law requires it, and this service rests on consent (legal_basis = \"consent\"): consent is not enough",
            ),
            _ => {}
        }
    }
}

fn record_categories(c: &mut Check<'_>) {
    let f = c.file;
    c.codes(
        "record_categories",
        "record category",
        f.record_categories.iter().map(|r| r.code.as_str()),
    );
    let mut kinds = HashMap::new();
    for (i, r) in f.record_categories.iter().enumerate() {
        let at = format!("record_categories[{i}]");
        c.required(&format!("{at}.name_nl"), &r.name_nl);
        c.required(&format!("{at}.name_en"), &r.name_en);
        c.rule_exists(&format!("{at}.retention"), &r.retention);
        // RET-2, ACC-7: the roles that keep these records must be roles the rules know.
        for (j, role) in r.access.iter().enumerate() {
            if let Err(e) = role.parse::<Role>() {
                c.push(format!("{at}.access[{j}]"), e.to_string());
            }
        }
        if let Some(first) = kinds.insert(r.kind, r.code.as_str()) {
            c.push(
                format!("{at}.kind"),
                format!(
                    "this kind of record already has a category (`{first}`): each kind has one category and one term"
                ),
            );
        }
    }
}

fn newsletters(c: &mut Check<'_>) {
    let f = c.file;
    c.codes(
        "newsletters",
        "newsletter",
        f.newsletters.iter().map(|n| n.code.as_str()),
    );
    for (i, n) in f.newsletters.iter().enumerate() {
        c.required(&format!("newsletters[{i}].name_nl"), &n.name_nl);
        c.required(&format!("newsletters[{i}].name_en"), &n.name_en);
    }
}

/// DOS-5: every category of data the software holds under this policy is tied to a
/// purpose, and no purpose claims a category that is not held, so the register of
/// processing activities (TRN-2) says exactly what happens.
fn purposes(c: &mut Check<'_>) {
    let f = c.file;
    c.codes(
        "purposes",
        "purpose",
        f.purposes.iter().map(|p| p.code.as_str()),
    );
    let in_use = categories_in_use(f);
    for (i, p) in f.purposes.iter().enumerate() {
        let at = format!("purposes[{i}]");
        c.required(&format!("{at}.name_nl"), &p.name_nl);
        c.required(&format!("{at}.name_en"), &p.name_en);
        c.required(&format!("{at}.statement"), &p.statement);
        if p.categories.is_empty() {
            c.push(
                format!("{at}.categories"),
                "name the categories of personal data processed for this purpose (DOS-5)",
            );
        }
        let mut seen = HashSet::new();
        for category in &p.categories {
            if !seen.insert(*category) {
                c.push(
                    format!("{at}.categories"),
                    format!("`{}` is named twice", category.code()),
                );
            } else if !in_use.iter().any(|(u, _)| u == category) {
                c.push(
                    format!("{at}.categories"),
                    format!(
                        "`{}` is not processed under this policy ({}): a purpose names only data the organisation holds",
                        category.code(),
                        not_in_use_hint(*category)
                    ),
                );
            }
        }
        let mut seen = HashSet::new();
        for r in &p.recipients {
            if !seen.insert(*r) {
                c.push(
                    format!("{at}.recipients"),
                    format!("`{}` is named twice", r.code()),
                );
            }
        }
        if p.recipients_receive_anonymised_only && p.recipients.is_empty() {
            c.push(
                format!("{at}.recipients_receive_anonymised_only"),
                "no recipients are named, so nobody receives anonymised data for this purpose",
            );
        }
    }
    for (category, because) in in_use {
        if !f.purposes.iter().any(|p| p.categories.contains(&category)) {
            c.push(
                "purposes",
                format!(
                    "`{}` is processed ({}) but no purpose names it: tie every category of data to a purpose in [[purposes]] (DOS-5)",
                    category.code(),
                    in_use_reason(f, because)
                ),
            );
        }
    }
}

fn in_use_reason(f: &PolicyFile, because: InUseBecause) -> String {
    match because {
        InUseBecause::Always => "every installation has staff accounts and an access log".into(),
        InUseBecause::Dossiers => "the organisation keeps client dossiers".into(),
        InUseBecause::BsnService(i) => {
            format!("service type `{}` stores the BSN", f.service_types[i].code)
        }
        InUseBecause::SpecialService(i) => format!(
            "service type `{}` allows special categories",
            f.service_types[i].code
        ),
        InUseBecause::RecordCategory(i) => {
            format!("record category `{}`", f.record_categories[i].code)
        }
        InUseBecause::Newsletters => "the policy names newsletters".into(),
    }
}

fn not_in_use_hint(category: DataCategory) -> &'static str {
    match category {
        DataCategory::Bsn => "no service type names a law that requires the BSN",
        DataCategory::SpecialCategories => "no service type allows special categories",
        DataCategory::NewsletterContacts => "the policy names no newsletters",
        c if c.record_kind().is_some() => "no record category of this kind",
        _ => "the policy has no service types, so no dossiers",
    }
}

fn retention_settings(c: &mut Check<'_>) {
    let r = &c.file.retention;
    if c.term("retention.schedule_horizon", &r.schedule_horizon)
        && !r
            .schedule_horizon
            .never_longer_than(&LONGEST_SCHEDULE_HORIZON)
    {
        c.push(
            "retention.schedule_horizon",
            format!(
                "the destruction schedule looks at most a year ahead; {} is too long to review",
                r.schedule_horizon
            ),
        );
    }
    c.term("retention.sent_mail_kept", &r.sent_mail_kept);
    if parse_time_of_day(&r.sweep_daily_at).is_none() {
        c.push(
            "retention.sweep_daily_at",
            format!(
                "`{}` is not a time of day: write hours and minutes as \"HH:MM\", e.g. \"02:30\"",
                r.sweep_daily_at
            ),
        );
    }
}

fn requests(c: &mut Check<'_>) {
    let r = &c.file.requests;
    let respond_ok = c.term("requests.respond_within", &r.respond_within);
    let complete_ok = c.term("requests.complete_within", &r.complete_within);
    if complete_ok && !r.complete_within.never_longer_than(&LEGAL_COMPLETE_WITHIN) {
        c.push(
            "requests.complete_within",
            format!(
                "the law (AVG art. 12(3)) allows at most one month from receipt to carry out a request, and {} can be longer; a longer period is only possible as an extension (requests.extension)",
                r.complete_within
            ),
        );
    }
    if respond_ok && complete_ok && !r.respond_within.never_longer_than(&r.complete_within) {
        c.push(
            "requests.respond_within",
            "the first reaction cannot come later than the request is carried out: respond_within must not be longer than complete_within",
        );
    }
    if c.term("requests.due_soon", &r.due_soon)
        && complete_ok
        && !r.due_soon.never_longer_than(&r.complete_within)
    {
        c.push(
            "requests.due_soon",
            "a request would be flagged as due soon on the day it arrives: due_soon must be shorter than complete_within",
        );
    }
    if let Some(e) = &r.extension {
        let by_ok = c.term("requests.extension.by", &e.by);
        let notice_ok = c.term("requests.extension.notice_within", &e.notice_within);
        if complete_ok
            && by_ok
            && !never_later(
                |d| e.by.add_to(r.complete_within.add_to(d)),
                |d| LEGAL_EXTENDED_WITHIN.add_to(d),
            )
        {
            c.push(
                "requests.extension.by",
                "with the extension a request may take at most three months from receipt (AVG art. 12(3)): complete_within plus the extension must stay within 3 months",
            );
        }
        if notice_ok && !e.notice_within.never_longer_than(&LEGAL_NOTICE_WITHIN) {
            c.push(
                "requests.extension.notice_within",
                "an extension must be announced, with reasons, within one month of receipt (AVG art. 12(3))",
            );
        } else if notice_ok && complete_ok && !e.notice_within.never_longer_than(&r.complete_within)
        {
            c.push(
                "requests.extension.notice_within",
                "an extension must be announced before the regular deadline passes: notice_within must not be longer than complete_within",
            );
        }
    }
}

fn age_bands(c: &mut Check<'_>) {
    let a = &c.file.age_bands;
    if a.own_access_from == 0 {
        c.push(
            "age_bands.own_access_from",
            "the age of own access must be at least 1",
        );
    }
    if a.own_access_from >= a.parents_access_until {
        c.push(
            "age_bands.parents_access_until",
            format!(
                "age bands must rise: parents_access_until ({}) must be above own_access_from ({})",
                a.parents_access_until, a.own_access_from
            ),
        );
    }
    if a.parents_access_until > a.independent_from {
        c.push(
            "age_bands.independent_from",
            format!(
                "age bands must rise: independent_from ({}) must not be below parents_access_until ({}), or parents would read without consent after the young person decides alone",
                a.independent_from, a.parents_access_until
            ),
        );
    }
    if a.independent_from >= a.adult_at {
        c.push(
            "age_bands.adult_at",
            format!(
                "age bands must rise: adult_at ({}) must be above independent_from ({})",
                a.adult_at, a.independent_from
            ),
        );
    }
}

fn reports_and_audit(c: &mut Check<'_>) {
    let f = c.file;
    if f.reports.small_number_threshold < 2 {
        c.push(
            "reports.small_number_threshold",
            "the small-number threshold must be at least 2, or a single person can be recognised in a report (SHR-5)",
        );
    }
    if f.reports.rounding == 0 {
        c.push(
            "reports.rounding",
            "the rounding base must be at least 1 (1 means no rounding)",
        );
    }
    if f.reports.training_k < 2 {
        c.push(
            "reports.training_k",
            "k must be at least 2, or a record of the training export can be one person's alone (SHR-5)",
        );
    }
    if c.term("audit.log_retention", &f.audit.log_retention)
        && !LEAST_LOG_RETENTION.never_longer_than(&f.audit.log_retention)
    {
        c.push(
            "audit.log_retention",
            format!(
                "access logs are kept at least 5 years (NEN 7513); {} is too short",
                f.audit.log_retention
            ),
        );
    }
}

fn security(c: &mut Check<'_>) {
    let s = &c.file.security;
    let bounded = [
        (
            "security.session_idle_minutes",
            s.session_idle_minutes,
            1,
            24 * 60,
            "minutes",
        ),
        (
            "security.session_absolute_hours",
            s.session_absolute_hours,
            1,
            24,
            "hours",
        ),
        (
            "security.login_failures_before_backoff",
            s.login_failures_before_backoff,
            1,
            20,
            "failures",
        ),
        (
            "security.login_backoff_max_seconds",
            s.login_backoff_max_seconds,
            1,
            24 * 3600,
            "seconds",
        ),
        ("security.recovery_codes", s.recovery_codes, 4, 20, "codes"),
        (
            "security.emergency_access_max_hours",
            s.emergency_access_max_hours,
            1,
            72,
            "hours",
        ),
        (
            "security.access_grant_max_days",
            s.access_grant_max_days,
            1,
            366,
            "days",
        ),
        (
            "security.api_token_max_days",
            s.api_token_max_days,
            1,
            366,
            "days",
        ),
        (
            "security.portal_invitation_days",
            s.portal_invitation_days,
            1,
            30,
            "days",
        ),
    ];
    for (path, value, least, most, unit) in bounded {
        if value < least || value > most {
            c.push(
                path,
                format!("must be between {least} and {most} {unit}; {value} is outside"),
            );
        }
    }
    if u64::from(s.session_idle_minutes) > u64::from(s.session_absolute_hours) * 60 {
        c.push(
            "security.session_idle_minutes",
            "the idle limit cannot be longer than the absolute session limit",
        );
    }
}
