//! The k-anonymous export for training and research (SHR-5, decision 0039): one record
//! per trajectory, with no id, name, free text or exact date, generalised until every
//! combination of quasi-identifiers is shared by at least the policy's `training_k`
//! people.
//!
//! Full-domain generalisation on a fixed ladder: every attribute has a hierarchy of
//! levels (municipality, branch, all), and one level holds for the whole column, so a
//! value always means the same thing and the file can be read without knowing which
//! record was coarsened. The ladder raises one attribute by one level at a time, in the
//! order of [`LADDER`], and stops at the first rung where the records of the classes
//! still smaller than k are at most [`MAX_SUPPRESSED_PERCENT`] of all; those records are
//! left out. At the top every quasi-identifier is `*`: then either everyone forms one
//! class of at least k people, or nothing is exported (and the summary says so).
//!
//! A class is counted in people, not trajectories: a client with two trajectories in
//! the same class is one of its k, never two.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose};
use zv_policy::AgeBand;

use super::facts::age_band_code;
use super::{ALL, GENDERS, UNKNOWN};
use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// How many records the export may leave out instead of generalising further, as a
/// percentage of all. A few records in rare combinations would otherwise coarsen every
/// other record; more than a few, and leaving them out would bias what is studied.
pub const MAX_SUPPRESSED_PERCENT: usize = 5;

/// Goals set and reached are shown up to this number and as "5+" from it: a long list
/// of goals is rare enough to point at one person.
pub const GOALS_CAP: i64 = 5;

/// A generalisable attribute: a quasi-identifier, something a person who knows the
/// client could know too (where, how old, which gender, when the help started, how long
/// it took, which help). Serialized by its column's name, as [`Attribute::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Attribute {
    #[serde(rename = "service_type")]
    Service,
    #[serde(rename = "place")]
    Place,
    #[serde(rename = "age_band")]
    Age,
    #[serde(rename = "gender")]
    Gender,
    #[serde(rename = "start_period")]
    Period,
    #[serde(rename = "duration")]
    Duration,
}

impl Attribute {
    /// In the order of the export's columns.
    pub const ALL: [Self; 6] = [
        Self::Service,
        Self::Place,
        Self::Age,
        Self::Gender,
        Self::Period,
        Self::Duration,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Service => "service_type",
            Self::Place => "place",
            Self::Age => "age_band",
            Self::Gender => "gender",
            Self::Period => "start_period",
            Self::Duration => "duration",
        }
    }

    /// The names of the levels, finest first; the last is `*` for everyone.
    #[must_use]
    pub const fn levels(self) -> &'static [&'static str] {
        match self {
            Self::Service => &["service_type", "all"],
            Self::Place => &["municipality", "branch", "all"],
            Self::Age => &["band", "minor_or_adult", "all"],
            Self::Gender => &["gender", "all"],
            Self::Period => &["quarter", "year", "all"],
            Self::Duration => &["band", "closed_or_ongoing", "all"],
        }
    }

    const fn index(self) -> usize {
        match self {
            Self::Service => 0,
            Self::Place => 1,
            Self::Age => 2,
            Self::Gender => 3,
            Self::Period => 4,
            Self::Duration => 5,
        }
    }
}

/// The order in which attributes are coarsened, one level per rung. First what is most
/// telling and least needed at its finest (the quarter a trajectory started, a small
/// municipality), then the rare sub-bands of minors and the exact duration; gender,
/// which a study of domestic violence needs, before the year and the branch go; the
/// service type, the axis of nearly every question, last.
pub const LADDER: [Attribute; 10] = [
    Attribute::Period,
    Attribute::Place,
    Attribute::Age,
    Attribute::Duration,
    Attribute::Gender,
    Attribute::Period,
    Attribute::Place,
    Attribute::Duration,
    Attribute::Age,
    Attribute::Service,
];

/// One trajectory as the export starts from. `person` stands for the client (any number
/// that is the same for the same client), so a class counts people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub person: usize,
    pub service_type: String,
    pub branch: String,
    pub municipality: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub domestic_violence: bool,
    pub goals_set: i64,
    pub goals_reached: i64,
}

/// One record of the export: the quasi-identifiers at the levels of the summary, and
/// what is studied (the domestic-violence flag, goals set and reached). Fields in the
/// order of the columns, so sorting sorts the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TrainingRecord {
    pub service_type: String,
    pub place: String,
    pub age_band: String,
    pub gender: String,
    pub start_period: String,
    pub duration: String,
    pub domestic_violence: bool,
    pub goals_set: String,
    pub goals_reached: String,
}

/// The level an attribute was generalised to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generalisation {
    pub attribute: Attribute,
    /// 0 is the finest.
    pub level: usize,
    /// The level's name, from [`Attribute::levels`].
    pub name: &'static str,
}

/// What the export achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingSummary {
    /// The day the export was made: durations and "ongoing" are as of this day.
    pub as_of: NaiveDate,
    /// The policy's k.
    pub k_required: usize,
    /// The fewest people sharing a combination of quasi-identifiers in the export;
    /// `None` when the export is empty, which reaches no k at all.
    pub k_achieved: Option<usize>,
    /// Trajectories considered (frozen ones are not).
    pub records_in: usize,
    pub records_out: usize,
    /// Records of combinations shared by fewer than k people, left out.
    pub records_suppressed: usize,
    /// The most records the export would leave out rather than generalise further.
    pub suppression_limit: usize,
    /// Per attribute, in column order.
    pub levels: Vec<Generalisation>,
}

/// The export: its summary and its records, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingExport {
    pub summary: TrainingSummary,
    pub records: Vec<TrainingRecord>,
}

/// The columns of the CSV, as codes: the values are codes too, and a research tool reads
/// the same header whatever the language of who downloaded it.
pub const CSV_HEADER: [&str; 9] = [
    "service_type",
    "place",
    "age_band",
    "gender",
    "start_period",
    "duration",
    "domestic_violence",
    "goals_set",
    "goals_reached",
];

/// Levels of the six attributes, indexed by [`Attribute::index`].
type Levels = [usize; 6];

/// Interned values: a source's value of every attribute at every level, as numbers, so
/// a class is found by comparing six numbers instead of six strings.
struct Values {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Values {
    fn id(&mut self, value: String) -> u32 {
        if let Some(i) = self.index.get(&value) {
            return *i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(value.clone());
        self.index.insert(value, i);
        i
    }
}

/// Every level's value of every attribute of one source (levels past the top repeat it).
type Ladder = [[u32; 3]; 6];

fn quarter(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

fn duration_band(opened: NaiveDate, closed: Option<NaiveDate>) -> &'static str {
    let after = |months| {
        opened
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX)
    };
    match closed {
        None => "ongoing",
        Some(c) if c < after(3) => "<3m",
        Some(c) if c < after(12) => "3-12m",
        Some(_) => "12m+",
    }
}

fn known<'a>(value: Option<&'a str>, codes: &[&str]) -> &'a str {
    match value {
        Some(v) if codes.contains(&v) => v,
        _ => UNKNOWN,
    }
}

fn minor_or_adult(band: &str) -> &'static str {
    let minors = [
        AgeBand::UnderOwnAccess,
        AgeBand::Consultative,
        AgeBand::Independent,
    ]
    .map(age_band_code);
    if minors.contains(&band) {
        "minor"
    } else if band == age_band_code(AgeBand::Adult) {
        "adult"
    } else {
        UNKNOWN
    }
}

fn capped(n: i64) -> String {
    if n >= GOALS_CAP {
        format!("{GOALS_CAP}+")
    } else {
        n.max(0).to_string()
    }
}

/// The values of one source at every level.
fn ladder(s: &Source, v: &mut Values) -> Ladder {
    let bands = super::AGE_BANDS;
    let age = known(s.age_band.as_deref(), &bands);
    let gender = known(s.gender.as_deref(), &GENDERS);
    let levels: [[String; 3]; 6] = [
        [s.service_type.clone(), ALL.into(), ALL.into()],
        [
            s.municipality.clone().unwrap_or_else(|| UNKNOWN.into()),
            s.branch.clone(),
            ALL.into(),
        ],
        [age.into(), minor_or_adult(age).into(), ALL.into()],
        [gender.into(), ALL.into(), ALL.into()],
        [
            quarter(s.opened_on),
            s.opened_on.year().to_string(),
            ALL.into(),
        ],
        [
            duration_band(s.opened_on, s.closed_on).into(),
            if s.closed_on.is_some() {
                "closed"
            } else {
                "ongoing"
            }
            .into(),
            ALL.into(),
        ],
    ];
    levels.map(|l| l.map(|x| v.id(x)))
}

fn key(l: &Ladder, levels: &Levels) -> [u32; 6] {
    std::array::from_fn(|a| l[a][levels[a]])
}

/// The number of people in each class at `levels`.
fn class_sizes(
    sources: &[Source],
    ladders: &[Ladder],
    levels: &Levels,
) -> HashMap<[u32; 6], usize> {
    let people: HashSet<([u32; 6], usize)> = sources
        .iter()
        .zip(ladders)
        .map(|(s, l)| (key(l, levels), s.person))
        .collect();
    let mut sizes = HashMap::new();
    for (k, _) in people {
        *sizes.entry(k).or_insert(0) += 1;
    }
    sizes
}

/// Generalises `sources` until every combination of quasi-identifiers is shared by at
/// least `k` people, leaving out at most [`MAX_SUPPRESSED_PERCENT`] of the records (or,
/// at the top of the ladder, whatever is still too small). Pure and deterministic: the
/// same sources in any order give the same export.
#[must_use]
pub fn anonymise(sources: &[Source], k: usize, as_of: NaiveDate) -> TrainingExport {
    let mut values = Values {
        names: Vec::new(),
        index: HashMap::new(),
    };
    let ladders: Vec<Ladder> = sources.iter().map(|s| ladder(s, &mut values)).collect();
    let limit = sources.len() * MAX_SUPPRESSED_PERCENT / 100;
    let mut levels: Levels = [0; 6];
    let mut rungs = LADDER.iter();
    let sizes = loop {
        let sizes = class_sizes(sources, &ladders, &levels);
        let small: usize = ladders
            .iter()
            .filter(|l| sizes.get(&key(l, &levels)).is_none_or(|n| *n < k))
            .count();
        if small <= limit {
            break sizes;
        }
        match rungs.next() {
            Some(a) => levels[a.index()] += 1,
            None => break sizes,
        }
    };
    let mut records: Vec<TrainingRecord> = Vec::new();
    let mut k_achieved: Option<usize> = None;
    for (s, l) in sources.iter().zip(&ladders) {
        let class = key(l, &levels);
        let n = sizes.get(&class).copied().unwrap_or(0);
        if n < k {
            continue;
        }
        k_achieved = Some(k_achieved.map_or(n, |m| m.min(n)));
        let name = |a: Attribute| values.names[class[a.index()] as usize].clone();
        records.push(TrainingRecord {
            service_type: name(Attribute::Service),
            place: name(Attribute::Place),
            age_band: name(Attribute::Age),
            gender: name(Attribute::Gender),
            start_period: name(Attribute::Period),
            duration: name(Attribute::Duration),
            domestic_violence: s.domestic_violence,
            goals_set: capped(s.goals_set),
            goals_reached: capped(s.goals_reached.min(s.goals_set)),
        });
    }
    // Sorted, so the order says nothing about when or in which order people came.
    records.sort();
    TrainingExport {
        summary: TrainingSummary {
            as_of,
            k_required: k,
            k_achieved,
            records_in: sources.len(),
            records_out: records.len(),
            records_suppressed: sources.len() - records.len(),
            suppression_limit: limit,
            levels: Attribute::ALL
                .iter()
                .map(|a| Generalisation {
                    attribute: *a,
                    level: levels[a.index()],
                    name: a.levels()[levels[a.index()]],
                })
                .collect(),
        },
        records,
    }
}

/// The records as CSV, with [`CSV_HEADER`]; nothing else is in the file.
pub fn render_csv(records: &[TrainingRecord]) -> CoreResult<Vec<u8>> {
    let fail = |e: csv::Error| CoreError::Internal(format!("writing the training export: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(fail)?;
    for r in records {
        w.write_record([
            r.service_type.as_str(),
            r.place.as_str(),
            r.age_band.as_str(),
            r.gender.as_str(),
            r.start_period.as_str(),
            r.duration.as_str(),
            if r.domestic_violence { "true" } else { "false" },
            r.goals_set.as_str(),
            r.goals_reached.as_str(),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| CoreError::Internal(format!("writing the training export: {e}")))
}

fn access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::TrainingExport, None)
        .target(Target::Organisation(AuditObject::TrainingExport))
        .purpose(Purpose::Statistics)
}

impl App {
    /// Whether the actor may see the export's summary and take the export out.
    pub fn training_export_capability(&self, actor: &Actor) -> CoreResult<bool> {
        self.capability(
            actor,
            AuditAction::Export,
            Target::Organisation(AuditObject::TrainingExport),
        )
    }

    /// The export's summary as it would be now (a recorded read; no record leaves).
    pub async fn training_summary(&self, actor: &Actor) -> CoreResult<TrainingSummary> {
        Ok(self
            .make_training_export(actor, AuditAction::Read)
            .await?
            .summary)
    }

    /// The export for training and research, recorded as an export before it leaves.
    pub async fn training_export(&self, actor: &Actor) -> CoreResult<TrainingExport> {
        self.make_training_export(actor, AuditAction::Export).await
    }

    async fn make_training_export(
        &self,
        actor: &Actor,
        action: AuditAction,
    ) -> CoreResult<TrainingExport> {
        let k = usize::try_from(self.policy.reports().training_k).unwrap_or(usize::MAX);
        let tx = self
            .authorize_organisation_write(
                actor,
                access(action).detail(format!("training export, k {k}")),
            )
            .await?;
        let rows = zv_store::reports::training_facts(&tx).await?;
        tx.commit().await?;
        // The client's id becomes a number that counts people and is dropped with them.
        let mut people: HashMap<ClientId, usize> = HashMap::new();
        let sources: Vec<Source> = rows
            .into_iter()
            .map(|r| {
                let next = people.len();
                Source {
                    person: *people.entry(r.client_id).or_insert(next),
                    service_type: r.service_type,
                    branch: r.branch_code,
                    municipality: r.municipality,
                    age_band: r.age_band,
                    gender: r.gender,
                    opened_on: r.opened_on,
                    closed_on: r.closed_on,
                    domestic_violence: r.domestic_violence,
                    goals_set: r.goals_set,
                    goals_reached: r.goals_reached,
                }
            })
            .collect();
        let today = self.clock.today();
        // The arithmetic is CPU-bound and grows with the organisation: off the async
        // threads.
        tokio::task::spawn_blocking(move || anonymise(&sources, k, today))
            .await
            .map_err(|e| CoreError::Internal(format!("the training export: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => d,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn source(person: usize, municipality: &str, band: &str, gender: &str, opened: &str) -> Source {
        Source {
            person,
            service_type: "amw".into(),
            branch: "helmond".into(),
            municipality: Some(municipality.into()),
            age_band: Some(band.into()),
            gender: Some(gender.into()),
            opened_on: d(opened),
            closed_on: None,
            domestic_violence: false,
            goals_set: 1,
            goals_reached: 0,
        }
    }

    fn quasi(r: &TrainingRecord) -> [&str; 6] {
        [
            &r.service_type,
            &r.place,
            &r.age_band,
            &r.gender,
            &r.start_period,
            &r.duration,
        ]
        .map(String::as_str)
    }

    /// The smallest number of records sharing a combination of quasi-identifiers.
    fn smallest_class(records: &[TrainingRecord]) -> Option<usize> {
        let mut n: HashMap<[&str; 6], usize> = HashMap::new();
        for r in records {
            *n.entry(quasi(r)).or_default() += 1;
        }
        n.values().copied().min()
    }

    fn level(e: &TrainingExport, a: Attribute) -> &'static str {
        e.summary
            .levels
            .iter()
            .find(|g| g.attribute == a)
            .map(|g| g.name)
            .unwrap_or_default()
    }

    /// A varied population: `n` people in two municipalities, bands, genders and
    /// quarters spread by a simple rule.
    fn population(n: usize) -> Vec<Source> {
        let bands = ["under_own_access", "consultative", "independent", "adult"];
        let genders = ["female", "male", "non_binary"];
        (0..n)
            .map(|i| {
                let mut s = source(
                    i,
                    if i % 3 == 0 {
                        "Gemert-Bakel"
                    } else {
                        "Helmond"
                    },
                    bands[i % 7 % 4],
                    genders[i % 11 % 3],
                    &format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 27),
                );
                s.closed_on = (i % 4 != 0)
                    .then(|| s.opened_on + chrono::Duration::days(20 * (i % 30) as i64));
                s.domestic_violence = i % 5 == 0;
                s.goals_set = (i % 8) as i64;
                s.goals_reached = (i % 3) as i64;
                s
            })
            .collect()
    }

    // promise: SHR-5
    #[test]
    fn every_combination_is_shared_by_k_people_and_the_summary_says_so() {
        let sources = population(400);
        for k in [2, 5, 10, 25] {
            let e = anonymise(&sources, k, d("2025-06-30"));
            let s = &e.summary;
            assert!(!e.records.is_empty(), "k {k}");
            assert!(smallest_class(&e.records).is_some_and(|n| n >= k), "k {k}");
            assert!(s.k_achieved.is_some_and(|a| a >= k), "k {k}: {s:?}");
            // The achieved k is the smallest class, not a claim.
            assert_eq!(
                s.k_achieved,
                smallest_class(&e.records),
                "one record per person"
            );
            assert_eq!(s.records_in, 400);
            assert_eq!(s.records_out + s.records_suppressed, 400);
            assert_eq!(s.records_out, e.records.len());
            assert!(s.records_suppressed <= s.suppression_limit, "k {k}: {s:?}");
            assert_eq!(s.suppression_limit, 20);
        }
        // A larger k never gives finer data.
        let fine = anonymise(&sources, 2, d("2025-06-30"));
        let coarse = anonymise(&sources, 25, d("2025-06-30"));
        for a in Attribute::ALL {
            let lf = fine
                .summary
                .levels
                .iter()
                .find(|g| g.attribute == a)
                .map(|g| g.level);
            let lc = coarse
                .summary
                .levels
                .iter()
                .find(|g| g.attribute == a)
                .map(|g| g.level);
            assert!(lf <= lc, "{a:?}");
        }
    }

    // promise: SHR-5
    #[test]
    fn two_trajectories_of_one_person_count_once_towards_k() {
        // Four people, one of them with two identical trajectories: five records, but
        // only four people share the combination, which is not k = 5.
        let mut sources: Vec<Source> = (0..4)
            .map(|p| source(p, "Helmond", "adult", "female", "2025-02-01"))
            .collect();
        sources.push(source(0, "Helmond", "adult", "female", "2025-02-01"));
        let e = anonymise(&sources, 5, d("2025-06-30"));
        assert!(e.records.is_empty());
        assert_eq!(e.summary.k_achieved, None, "an empty export claims no k");
        assert_eq!(e.summary.records_suppressed, 5);
        // Everything was generalised before giving up.
        for a in Attribute::ALL {
            assert_eq!(level(&e, a), "all", "{a:?}");
        }
        // With a fifth person they are exported, at the finest levels.
        sources.push(source(4, "Helmond", "adult", "female", "2025-02-01"));
        let e = anonymise(&sources, 5, d("2025-06-30"));
        assert_eq!(e.records.len(), 6);
        assert_eq!(e.summary.k_achieved, Some(5));
        assert_eq!(level(&e, Attribute::Place), "municipality");
        assert_eq!(level(&e, Attribute::Period), "quarter");
        assert_eq!(e.records[0].start_period, "2025-Q1");
        assert_eq!(e.records[0].place, "Helmond");
    }

    // promise: SHR-5
    #[test]
    fn the_ladder_coarsens_one_level_at_a_time_and_suppresses_at_most_the_bound() {
        // Twenty people in one quarter, five in another of the same year: k = 10 needs
        // the quarters merged into the year, and nothing else.
        let mut sources: Vec<Source> = (0..20)
            .map(|p| source(p, "Helmond", "adult", "female", "2025-02-01"))
            .collect();
        sources.extend((20..25).map(|p| source(p, "Helmond", "adult", "female", "2025-05-01")));
        let e = anonymise(&sources, 10, d("2025-06-30"));
        assert_eq!(level(&e, Attribute::Period), "year");
        assert_eq!(level(&e, Attribute::Place), "municipality");
        assert_eq!(level(&e, Attribute::Gender), "gender");
        assert!(e.records.iter().all(|r| r.start_period == "2025"));
        assert_eq!(e.summary.records_suppressed, 0);

        // One odd person among forty (2.5%, under the 5% bound) is left out rather than
        // coarsening everyone.
        let mut sources: Vec<Source> = (0..39)
            .map(|p| source(p, "Helmond", "adult", "female", "2025-02-01"))
            .collect();
        sources.push(source(
            39,
            "Gemert-Bakel",
            "consultative",
            "non_binary",
            "2023-11-01",
        ));
        let e = anonymise(&sources, 5, d("2025-06-30"));
        assert_eq!(e.summary.records_suppressed, 1);
        assert_eq!(level(&e, Attribute::Place), "municipality");
        assert!(e.records.iter().all(|r| r.place == "Helmond"));

        // Three odd people among forty (7.5%) are too many to leave out: the ladder
        // climbs until they fit in a class.
        let mut sources: Vec<Source> = (0..37)
            .map(|p| source(p, "Helmond", "adult", "female", "2025-02-01"))
            .collect();
        sources.push(source(
            37,
            "Gemert-Bakel",
            "consultative",
            "non_binary",
            "2023-11-01",
        ));
        sources.push(source(
            38,
            "Gemert-Bakel",
            "independent",
            "male",
            "2024-11-01",
        ));
        sources.push(source(
            39,
            "Gemert-Bakel",
            "under_own_access",
            "unknown",
            "2022-11-01",
        ));
        let e = anonymise(&sources, 5, d("2025-06-30"));
        assert!(e.summary.records_suppressed <= e.summary.suppression_limit);
        assert_eq!(e.summary.suppression_limit, 2);
        assert!(smallest_class(&e.records).is_some_and(|n| n >= 5));
        assert_ne!(level(&e, Attribute::Place), "municipality");
    }

    // promise: SHR-5
    #[test]
    fn records_hold_no_exact_date_and_the_same_data_gives_the_same_file() {
        let mut sources = population(200);
        let e = anonymise(&sources, 5, d("2025-06-30"));
        let csv = String::from_utf8(render_csv(&e.records).unwrap()).unwrap();
        assert!(csv.starts_with(&CSV_HEADER.join(",")));
        assert_eq!(csv.lines().count(), e.records.len() + 1);
        for s in &sources {
            assert!(!csv.contains(&s.opened_on.to_string()), "an exact date");
        }
        // Any order of the trajectories gives the same file.
        sources.reverse();
        let again = anonymise(&sources, 5, d("2025-06-30"));
        assert_eq!(render_csv(&again.records).unwrap(), csv.as_bytes());
        assert_eq!(again.summary, e.summary);
    }

    #[test]
    fn an_attribute_is_serialized_as_its_column() {
        for a in Attribute::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.code());
            assert!(CSV_HEADER.contains(&a.code()));
        }
    }

    #[test]
    fn values_at_each_level() {
        assert_eq!(quarter(d("2025-07-01")), "2025-Q3");
        assert_eq!(quarter(d("2025-12-31")), "2025-Q4");
        assert_eq!(quarter(d("2025-01-01")), "2025-Q1");
        let o = d("2025-01-31");
        assert_eq!(duration_band(o, None), "ongoing");
        assert_eq!(duration_band(o, Some(d("2025-04-29"))), "<3m");
        assert_eq!(duration_band(o, Some(d("2025-04-30"))), "3-12m");
        assert_eq!(duration_band(o, Some(d("2026-01-30"))), "3-12m");
        assert_eq!(duration_band(o, Some(d("2026-01-31"))), "12m+");
        assert_eq!(minor_or_adult("independent"), "minor");
        assert_eq!(minor_or_adult("adult"), "adult");
        assert_eq!(minor_or_adult(UNKNOWN), UNKNOWN);
        assert_eq!(capped(0), "0");
        assert_eq!(capped(4), "4");
        assert_eq!(capped(5), "5+");
        assert_eq!(capped(17), "5+");
        // An unexpected code is unknown, never shown as it is.
        assert_eq!(known(Some("x"), &GENDERS), UNKNOWN);
        assert_eq!(known(None, &GENDERS), UNKNOWN);
        // Every attribute reaches `*` at its top, and the ladder climbs to every top.
        for a in Attribute::ALL {
            let rungs = LADDER.iter().filter(|x| **x == a).count();
            assert_eq!(rungs, a.levels().len() - 1, "{a:?}");
            assert_eq!(a.levels().last(), Some(&"all"));
        }
    }
}
