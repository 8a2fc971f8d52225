//! Anonymous reports to municipalities (SHR-5, decision 0038): per municipality or
//! branch, service type and period, how many clients and trajectories started, were in
//! care and ended, how many goals were set and reached, and the clients in care by age
//! band and gender. Computed only from the trajectories' non-identifying facts
//! ([`facts`]), published under the disclosure rules ([`protection`]); a report handed to
//! a municipality is released: frozen, registered, and only then exported.

pub mod facts;
pub mod protection;
pub mod training;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, UserId};
use zv_store::reports::{FactRow, ReleaseRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
pub use protection::{Cell, Relation, Rules, Suppressed};

/// The key of the "all" member of a dimension.
const ALL: &str = "*";
/// The age band and gender of trajectories whose facts are not known.
pub const UNKNOWN: &str = "unknown";
/// The age bands in report order (the policy's bands, youngest first), then unknown.
pub const AGE_BANDS: [&str; 5] = [
    "under_own_access",
    "consultative",
    "independent",
    "adult",
    UNKNOWN,
];
/// The gender codes in report order.
pub const GENDERS: [&str; 4] = ["female", "male", "non_binary", UNKNOWN];
/// The longest period one report covers.
const MAX_PERIOD_DAYS: i64 = 366 * 5;

/// Who the report is about: one municipality, or a whole branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Scope {
    Municipality(String),
    Branch(String),
}

impl Scope {
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Municipality(_) => "municipality",
            Self::Branch(_) => "branch",
        }
    }

    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            Self::Municipality(c) | Self::Branch(c) => c,
        }
    }
}

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub scope: Scope,
    /// One service type, or all.
    pub service_type: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    ClientsStarted,
    ClientsInCare,
    ClientsEnded,
    TrajectoriesStarted,
    TrajectoriesInCare,
    TrajectoriesEnded,
    GoalsSet,
    GoalsReached,
}

impl Measure {
    pub const ALL: [Self; 8] = [
        Self::ClientsStarted,
        Self::ClientsInCare,
        Self::ClientsEnded,
        Self::TrajectoriesStarted,
        Self::TrajectoriesInCare,
        Self::TrajectoriesEnded,
        Self::GoalsSet,
        Self::GoalsReached,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::ClientsStarted => "clients_started",
            Self::ClientsInCare => "clients_in_care",
            Self::ClientsEnded => "clients_ended",
            Self::TrajectoriesStarted => "trajectories_started",
            Self::TrajectoriesInCare => "trajectories_in_care",
            Self::TrajectoriesEnded => "trajectories_ended",
            Self::GoalsSet => "goals_set",
            Self::GoalsReached => "goals_reached",
        }
    }
}

/// The key of a cell: measure, service type, age band, gender (`*` for all).
#[must_use]
pub fn cell_key(measure: Measure, service: &str, age_band: &str, gender: &str) -> String {
    format!("{}|{service}|{age_band}|{gender}", measure.code())
}

/// A published cell: the number, or why there is none. The count behind it stays in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub value: Option<i64>,
    pub suppressed: Option<Suppressed>,
}

/// A report as it may be shown or handed over: published numbers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub query: ReportQuery,
    /// The municipalities the scope covers.
    pub municipalities: Vec<String>,
    /// The service types reported, in the policy's order.
    pub services: Vec<String>,
    /// Whether an "all services" column is included (not when one service is asked).
    pub with_total: bool,
    pub cells: BTreeMap<String, Published>,
    pub threshold: i64,
    pub rounding: i64,
    pub secondary_suppression: bool,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
}

impl Report {
    /// The service columns: each service, then `*` for all where included.
    #[must_use]
    pub fn service_columns(&self) -> Vec<String> {
        let mut out = self.services.clone();
        if self.with_total {
            out.push(ALL.to_owned());
        }
        out
    }

    /// A cell by its dimensions; a cell the report does not have reads as suppressed.
    #[must_use]
    pub fn cell(&self, measure: Measure, service: &str, age_band: &str, gender: &str) -> Published {
        self.cells
            .get(&cell_key(measure, service, age_band, gender))
            .copied()
            .unwrap_or(Published {
                value: None,
                suppressed: Some(Suppressed::Small),
            })
    }

    /// The "all" member, for callers outside.
    #[must_use]
    pub const fn all() -> &'static str {
        ALL
    }
}

/// A report handed to a municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    pub id: Uuid,
    pub recipient: String,
    pub released_by: String,
    pub released_at: DateTime<Utc>,
    pub report: Report,
}

/// What a release keeps: the published report and the counts behind it.
#[derive(Serialize, Deserialize)]
struct Frozen {
    report: Report,
    counts: BTreeMap<String, i64>,
}

/// Counts per cell, before any rule.
struct Tally {
    trajectories: HashMap<String, i64>,
    clients: HashMap<String, HashSet<ClientId>>,
}

impl Tally {
    fn new() -> Self {
        Self {
            trajectories: HashMap::new(),
            clients: HashMap::new(),
        }
    }

    fn add(&mut self, measure: Measure, services: [&str; 2], age: &str, gender: &str, n: i64) {
        for s in services {
            *self
                .trajectories
                .entry(cell_key(measure, s, age, gender))
                .or_default() += n;
        }
    }

    fn person(
        &mut self,
        measure: Measure,
        services: [&str; 2],
        age: &str,
        gender: &str,
        c: ClientId,
    ) {
        for s in services {
            self.clients
                .entry(cell_key(measure, s, age, gender))
                .or_default()
                .insert(c);
        }
    }
}

fn in_period(d: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    from <= d && d <= to
}

/// The disclosure relations among the cells of a report's shape: each measure's
/// services add up to its total; the clients in care by age band and by gender add up
/// per service and per band.
#[must_use]
pub fn relations(services: &[String], with_total: bool) -> Vec<Relation> {
    let mut out = Vec::new();
    let columns: Vec<&str> = services
        .iter()
        .map(String::as_str)
        .chain(with_total.then_some(ALL))
        .collect();
    if with_total {
        for m in Measure::ALL {
            out.push(Relation {
                parts: services.iter().map(|s| cell_key(m, s, ALL, ALL)).collect(),
                total: cell_key(m, ALL, ALL, ALL),
            });
        }
    }
    let care = Measure::ClientsInCare;
    for (dimension, members) in [(0usize, &AGE_BANDS[..]), (1, &GENDERS[..])] {
        let key = |s: &str, v: &str| {
            if dimension == 0 {
                cell_key(care, s, v, ALL)
            } else {
                cell_key(care, s, ALL, v)
            }
        };
        for s in &columns {
            out.push(Relation {
                parts: members.iter().map(|v| key(s, v)).collect(),
                total: key(s, ALL),
            });
        }
        if with_total {
            for v in members {
                out.push(Relation {
                    parts: services.iter().map(|s| key(s, v)).collect(),
                    total: key(ALL, v),
                });
            }
        }
    }
    out
}

/// The true counts of every cell, from the facts of the trajectories in scope.
fn count(
    rows: &[FactRow],
    goals: &HashMap<zv_domain::TrajectoryId, (i64, i64)>,
    services: &[String],
    with_total: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<String, i64> {
    let mut t = Tally::new();
    for r in rows {
        let s = r.service_type.as_str();
        let both = [s, ALL];
        let age = r.age_band.as_deref().unwrap_or(UNKNOWN);
        let gender = r.gender.as_deref().unwrap_or(UNKNOWN);
        let c = r.client_id;
        t.add(Measure::TrajectoriesInCare, both, ALL, ALL, 1);
        t.person(Measure::ClientsInCare, both, ALL, ALL, c);
        t.person(Measure::ClientsInCare, both, age, ALL, c);
        t.person(Measure::ClientsInCare, both, ALL, gender, c);
        if in_period(r.opened_on, from, to) {
            t.add(Measure::TrajectoriesStarted, both, ALL, ALL, 1);
            t.person(Measure::ClientsStarted, both, ALL, ALL, c);
        }
        if r.closed_on.is_some_and(|d| in_period(d, from, to)) {
            t.add(Measure::TrajectoriesEnded, both, ALL, ALL, 1);
            t.person(Measure::ClientsEnded, both, ALL, ALL, c);
        }
        if let Some((set, reached)) = goals.get(&r.trajectory_id) {
            t.add(Measure::GoalsSet, both, ALL, ALL, *set);
            t.add(Measure::GoalsReached, both, ALL, ALL, *reached);
        }
    }
    // Every cell of the shape exists, zero where nothing was counted, so an absent
    // row can never be told from a suppressed one.
    let columns: Vec<&str> = services
        .iter()
        .map(String::as_str)
        .chain(with_total.then_some(ALL))
        .collect();
    let mut out = BTreeMap::new();
    for s in &columns {
        for m in Measure::ALL {
            out.insert(cell_key(m, s, ALL, ALL), 0);
        }
        for a in AGE_BANDS {
            out.insert(cell_key(Measure::ClientsInCare, s, a, ALL), 0);
        }
        for g in GENDERS {
            out.insert(cell_key(Measure::ClientsInCare, s, ALL, g), 0);
        }
    }
    for (k, n) in t.trajectories {
        if let Some(v) = out.get_mut(&k) {
            *v = n;
        }
    }
    for (k, set) in t.clients {
        if let Some(v) = out.get_mut(&k) {
            *v = i64::try_from(set.len()).unwrap_or(i64::MAX);
        }
    }
    out
}

fn access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::MunicipalityReport, None)
        .target(Target::Organisation(AuditObject::MunicipalityReport))
        .purpose(Purpose::Statistics)
}

impl App {
    /// Whether the actor may compute reports, and whether hand them over.
    pub fn report_capabilities(&self, actor: &Actor) -> CoreResult<(bool, bool)> {
        let target = Target::Organisation(AuditObject::MunicipalityReport);
        Ok((
            self.capability(actor, AuditAction::Read, target)?,
            self.capability(actor, AuditAction::Create, target)?,
        ))
    }

    /// Checks a query against the policy and today; returns the branches and the
    /// municipalities it covers.
    fn report_scope(&self, q: &ReportQuery) -> CoreResult<(Vec<String>, Vec<String>)> {
        let branches = self.policy.branches();
        let (codes, municipalities) = match &q.scope {
            Scope::Municipality(m) => {
                let of: Vec<String> = branches
                    .iter()
                    .filter(|b| b.municipalities.iter().any(|x| x == m))
                    .map(|b| b.code.clone())
                    .collect();
                if of.is_empty() {
                    return Err(CoreError::invalid(
                        "area",
                        "not a municipality of the organisation",
                    ));
                }
                (of, vec![m.clone()])
            }
            Scope::Branch(code) => {
                let b = branches
                    .iter()
                    .find(|b| &b.code == code)
                    .ok_or_else(|| CoreError::invalid("area", "unknown branch"))?;
                (vec![b.code.clone()], b.municipalities.clone())
            }
        };
        if let Some(s) = &q.service_type
            && self.policy.service_type(s).is_none()
        {
            return Err(CoreError::invalid("service_type", "unknown service type"));
        }
        if q.to < q.from {
            return Err(CoreError::invalid(
                "report_to",
                "the period ends before it starts",
            ));
        }
        if q.from > self.clock.today() {
            return Err(CoreError::invalid(
                "report_from",
                "the period starts in the future",
            ));
        }
        if (q.to - q.from).num_days() > MAX_PERIOD_DAYS {
            return Err(CoreError::invalid(
                "report_to",
                "a report covers at most five years",
            ));
        }
        Ok((codes, municipalities))
    }

    /// Computes a report under the disclosure rules, compared against every released
    /// report over an overlapping population. Returns it with the counts behind it.
    async fn compute_report(
        &self,
        tx: &zv_store::Tx,
        q: &ReportQuery,
    ) -> CoreResult<(Report, BTreeMap<String, i64>)> {
        let (branches, municipalities) = self.report_scope(q)?;
        let services: Vec<String> = self
            .policy
            .service_types()
            .iter()
            .map(|s| s.code.clone())
            .filter(|s| q.service_type.as_ref().is_none_or(|x| x == s))
            .collect();
        let with_total = q.service_type.is_none();
        let rows: Vec<FactRow> =
            zv_store::reports::trajectories_in_period(tx, &branches, q.from, q.to)
                .await?
                .into_iter()
                .filter(|r| match &q.scope {
                    Scope::Municipality(m) => r.municipality.as_deref() == Some(m.as_str()),
                    Scope::Branch(_) => true,
                })
                .filter(|r| services.contains(&r.service_type))
                .collect();
        let goals = zv_store::reports::goals_in_period(tx, &branches, q.from, q.to).await?;
        let counts = count(&rows, &goals, &services, with_total, q.from, q.to);
        let released = self.overlapping_releases(tx, q, &municipalities).await?;
        let p = self.policy.reports();
        let rules = Rules {
            threshold: i64::from(p.small_number_threshold),
            rounding: i64::from(p.rounding),
            secondary: p.secondary_suppression,
        };
        let cells =
            protection::protect(&counts, &relations(&services, with_total), &released, rules)
                .into_iter()
                .map(|(k, c)| {
                    (
                        k,
                        Published {
                            value: c.published,
                            suppressed: c.suppressed,
                        },
                    )
                })
                .collect();
        Ok((
            Report {
                query: q.clone(),
                municipalities,
                services,
                with_total,
                cells,
                threshold: rules.threshold,
                rounding: rules.rounding,
                secondary_suppression: rules.secondary,
                computed_at: self.now(),
            },
            counts,
        ))
    }

    /// The counts behind the published cells of every release whose population overlaps
    /// this one's: a period sharing a day, a municipality in common (a branch report
    /// covers its municipalities and its trajectories without one), a service in common.
    async fn overlapping_releases(
        &self,
        tx: &zv_store::Tx,
        q: &ReportQuery,
        municipalities: &[String],
    ) -> CoreResult<Vec<BTreeMap<String, i64>>> {
        let mut cover: HashSet<String> = municipalities.iter().cloned().collect();
        if let Scope::Branch(b) = &q.scope {
            cover.insert(format!("branch:{b}"));
        }
        let mut out = Vec::new();
        for r in zv_store::reports::releases_overlapping(tx, q.from, q.to).await? {
            let frozen: Frozen = serde_json::from_str(&r.cells)
                .map_err(|_| CoreError::Internal("a released report is unreadable".into()))?;
            let mut theirs: HashSet<String> =
                frozen.report.municipalities.iter().cloned().collect();
            if let Scope::Branch(b) = &frozen.report.query.scope {
                theirs.insert(format!("branch:{b}"));
            }
            let services_meet = match (&q.service_type, &frozen.report.query.service_type) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            if cover.is_disjoint(&theirs) || !services_meet {
                continue;
            }
            out.push(
                frozen
                    .counts
                    .into_iter()
                    .filter(|(k, _)| {
                        frozen
                            .report
                            .cells
                            .get(k)
                            .is_some_and(|c| c.value.is_some())
                    })
                    .collect(),
            );
        }
        Ok(out)
    }

    /// A report as it would be released now (a recorded read; nothing is handed over).
    /// The read is recorded and committed first; the counting then runs in a read
    /// transaction, so a large report never holds the writer's lock.
    pub async fn municipality_report(&self, actor: &Actor, q: &ReportQuery) -> CoreResult<Report> {
        self.report_scope(q)?;
        self.authorize_organisation_write(actor, access(AuditAction::Read).detail(describe(q)))
            .await?
            .commit()
            .await?;
        let tx = self.store.read_tx().await?;
        let (report, _) = self.compute_report(&tx, q).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Hands a report to `recipient`: computed now, frozen and registered in one
    /// transaction with its audit event. Returns the release's id.
    pub async fn release_report(
        &self,
        actor: &Actor,
        q: &ReportQuery,
        recipient: &str,
    ) -> CoreResult<Uuid> {
        let recipient = recipient.trim();
        if recipient.chars().count() < 2 || recipient.chars().count() > 200 {
            return Err(CoreError::invalid(
                "report_recipient",
                "name who receives the report (2 to 200 characters)",
            ));
        }
        self.report_scope(q)?;
        let user = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a release is made by a person".into()))?;
        let id = Uuid::new_v4();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create)
                    .object_id(id)
                    .detail(format!("{} released", describe(q))),
            )
            .await?;
        let (report, counts) = self.compute_report(&tx, q).await?;
        let frozen = Frozen { report, counts };
        let cells = serde_json::to_string(&frozen)
            .map_err(|_| CoreError::Internal("a report could not be frozen".into()))?;
        zv_store::reports::insert_release(
            &tx,
            &ReleaseRow {
                id,
                scope_kind: q.scope.kind().to_owned(),
                scope_code: q.scope.code().to_owned(),
                municipalities: serde_json::to_string(&frozen.report.municipalities)
                    .unwrap_or_default(),
                service_type: q.service_type.clone(),
                period_from: q.from,
                period_to: q.to,
                recipient: recipient.to_owned(),
                released_by: user,
                released_at: self.now(),
                cells,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The register of released reports, newest first (a recorded read).
    pub async fn report_releases(&self, actor: &Actor) -> CoreResult<Vec<Release>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read).detail("released reports listed"),
            )
            .await?;
        let rows = zv_store::reports::releases(&tx).await?;
        let ids: Vec<UserId> = rows.iter().map(|r| r.released_by).collect();
        let names = zv_store::staff::names_of(&tx, &ids).await?;
        tx.commit().await?;
        rows.into_iter().map(|r| release_of(r, &names)).collect()
    }

    /// One released report, as it was handed over; `export` records a download.
    pub async fn report_release(
        &self,
        actor: &Actor,
        id: Uuid,
        export: bool,
    ) -> CoreResult<Release> {
        let action = if export {
            AuditAction::Export
        } else {
            AuditAction::Read
        };
        let tx = self
            .authorize_organisation_write(
                actor,
                access(action).object_id(id).detail("released report"),
            )
            .await?;
        let row = zv_store::reports::release(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let names = zv_store::staff::names_of(&tx, &[row.released_by]).await?;
        tx.commit().await?;
        release_of(row, &names)
    }
}

fn release_of(r: ReleaseRow, names: &HashMap<UserId, String>) -> CoreResult<Release> {
    let frozen: Frozen = serde_json::from_str(&r.cells)
        .map_err(|_| CoreError::Internal("a released report is unreadable".into()))?;
    Ok(Release {
        id: r.id,
        recipient: r.recipient,
        released_by: names.get(&r.released_by).cloned().unwrap_or_default(),
        released_at: r.released_at,
        report: frozen.report,
    })
}

/// A query in words for the audit log: codes and dates, no person.
fn describe(q: &ReportQuery) -> String {
    format!(
        "report {} {} {}..{}{}",
        q.scope.kind(),
        q.scope.code(),
        q.from,
        q.to,
        q.service_type
            .as_deref()
            .map(|s| format!(" service {s}"))
            .unwrap_or_default()
    )
}

pub use zv_documents::{BarChart, MunicipalityReportDoc, ReportTable, bar_chart_svg};

/// A worded report as a PDF (off the async threads: typst is CPU-bound).
pub async fn render_pdf(
    doc: MunicipalityReportDoc,
    language: zv_documents::Language,
) -> CoreResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || zv_documents::render_municipality_report(&doc, language))
        .await
        .map_err(|e| CoreError::Internal(format!("rendering the report: {e}")))?
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// A worded report as CSV, one line per cell.
pub fn render_csv(doc: &MunicipalityReportDoc, header: [&str; 4]) -> CoreResult<Vec<u8>> {
    zv_documents::municipality_report_csv(doc, header)
        .map_err(|e| CoreError::Internal(e.to_string()))
}
