//! The organisation's policy file (ORG-2): any text given to `zv_policy::parse` is either
//! a policy or a list of problems, each pointing at a place in the file; it never panics.
//! A policy that parses then goes through the rule arithmetic with dates at the ends of
//! the calendar, since its terms come from the same file.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use zv_policy::RetentionFacts;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let policy = match zv_policy::parse(text) {
        Ok(policy) => policy,
        Err(errors) => {
            assert!(!errors.problems.is_empty(), "refused without a problem");
            let lines = text.lines().count().max(1);
            for p in &errors.problems {
                assert!(p.line >= 1 && p.column >= 1, "{p}");
                assert!(p.line <= lines + 1, "line {} of {lines}", p.line);
            }
            let _ = errors.to_string();
            return;
        }
    };
    let days = [
        NaiveDate::MIN,
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_default(),
        NaiveDate::MAX,
    ];
    for &day in &days {
        let facts = RetentionFacts {
            closed_on: Some(day),
            last_change: Some(day),
            recorded_on: Some(day),
            employment_ended_on: Some(day),
            procedure_ended_on: Some(day),
            children_birth_dates: vec![day],
        };
        for rule in policy.retention_rules() {
            let _ = rule.retention_until(&facts);
            let _ = rule.extension_bounds(&facts);
        }
        let requests = policy.requests();
        let _ = requests.effective_complete_by(day, true);
        let _ = requests.respond_by(day);
        let _ = requests.may_extend(day, false, day);
        for &on in &days {
            let _ = requests.is_due_soon(day, on);
            let bands = policy.age_bands();
            let _ = bands.band(day, on);
            let _ = bands.next_change(day, on);
        }
    }
});
