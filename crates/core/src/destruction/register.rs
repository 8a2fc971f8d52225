//! The destruction register (RET-6): per destroyed item its category, what was done, the
//! rule, the day its term ended, the day it went, who or which job, and a row count.
//! No personal data: no name, no content, not even the destroyed item's id (the audit
//! log keeps that, under its own access rules). For the privacy officer, on screen and
//! as CSV and PDF.

use chrono::NaiveDate;
use serde::Serialize;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, start_of_local_day};
use zv_store::destruction::{RegisterFilter, RegisterRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;

/// Lines per page on screen and in the JSON API.
pub const REGISTER_PAGE_SIZE: u64 = 50;
/// The most lines one export holds; a longer period is exported in parts.
const EXPORT_LIMIT: u64 = 100_000;

/// Which lines: a period of local days (inclusive), a category, a rule, a page.
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `client`, `trajectory`, `entry`.
    pub category: Option<String>,
    pub rule: Option<String>,
    /// 1-based.
    pub page: u64,
}

/// One line as shown and exported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegisterLine {
    /// The local day it went.
    pub destroyed_on: NaiveDate,
    pub category: String,
    /// `destroyed` or `anonymised`.
    pub outcome: String,
    pub rule: String,
    pub term_ended_on: Option<NaiveDate>,
    /// The job's name (`retention-sweep`) or the staff member's name.
    pub by: String,
    pub rows: u64,
}

/// A rule to filter on, with its name in the policy when it still has it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegisterRuleChoice {
    pub code: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegisterPage {
    pub lines: Vec<RegisterLine>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub rules: Vec<RegisterRuleChoice>,
}

impl RegisterQuery {
    /// Checks the filter: the period runs forward, the category is one of the known.
    pub fn check(&self) -> CoreResult<()> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to < from
        {
            return Err(CoreError::invalid(
                "register_to",
                "the end of the period lies on or after its start",
            ));
        }
        if let Some(c) = &self.category
            && zv_store::SubjectKind::from_code(c).is_none()
        {
            return Err(CoreError::invalid(
                "register_category",
                "choose client, trajectory, entry, newsletter contact, camera images, group activity, activity media, correspondence, applicant, staff record, staff ID copy or financial record",
            ));
        }
        if self.rule.as_ref().is_some_and(|r| r.len() > 100) {
            return Err(CoreError::invalid(
                "register_rule",
                "at most 100 characters",
            ));
        }
        Ok(())
    }

    fn filter(&self) -> RegisterFilter {
        RegisterFilter {
            from: self.from.map(start_of_local_day),
            to: self.to.and_then(|d| d.succ_opt()).map(start_of_local_day),
            kind: self.category.clone(),
            rule: self.rule.clone(),
        }
    }
}

impl App {
    fn may_use_register(&self, actor: &Actor, action: AuditAction) -> CoreResult<()> {
        if self.capability(
            actor,
            action,
            Target::Organisation(AuditObject::DestructionRegister),
        )? {
            Ok(())
        } else {
            Err(CoreError::NotAllowed(
                "the destruction register is for the privacy officer".into(),
            ))
        }
    }

    /// One page of the register, newest first (RET-6).
    pub async fn destruction_register(
        &self,
        actor: &Actor,
        query: &RegisterQuery,
    ) -> CoreResult<RegisterPage> {
        self.may_use_register(actor, AuditAction::Read)?;
        query.check()?;
        let page = query.page.max(1);
        // A page number from a URL can be anything: one past what an offset can hold
        // names no page (found by schemathesis: page=2^63 overflowed here).
        let offset = (page - 1)
            .checked_mul(REGISTER_PAGE_SIZE)
            .filter(|o| i64::try_from(*o).is_ok())
            .ok_or_else(|| CoreError::invalid("page", "no such page"))?;
        let tx = self.store.read_tx().await?;
        let (rows, total) =
            zv_store::destruction::register_page(&tx, &query.filter(), offset, REGISTER_PAGE_SIZE)
                .await?;
        let rules = zv_store::destruction::register_rules(&tx).await?;
        let lines = self.register_lines(&tx, rows).await?;
        tx.commit().await?;
        Ok(RegisterPage {
            lines,
            total,
            page,
            pages: total.div_ceil(REGISTER_PAGE_SIZE).max(1),
            rules: rules
                .into_iter()
                .map(|code| RegisterRuleChoice { code })
                .collect(),
        })
    }

    /// Every line of the filter (not paged), for an export.
    async fn register_all(
        &self,
        actor: &Actor,
        query: &RegisterQuery,
    ) -> CoreResult<Vec<RegisterLine>> {
        self.may_use_register(actor, AuditAction::Export)?;
        query.check()?;
        let tx = self.store.read_tx().await?;
        let (rows, _) =
            zv_store::destruction::register_page(&tx, &query.filter(), 0, EXPORT_LIMIT).await?;
        let lines = self.register_lines(&tx, rows).await?;
        tx.commit().await?;
        Ok(lines)
    }

    async fn register_lines(
        &self,
        tx: &zv_store::Tx,
        rows: Vec<RegisterRow>,
    ) -> CoreResult<Vec<RegisterLine>> {
        let mut users: Vec<_> = rows.iter().filter_map(|r| r.by_user).collect();
        users.sort_by_key(|u| u.as_uuid());
        users.dedup();
        let names = zv_store::staff::names_of(tx, &users).await?;
        Ok(rows
            .into_iter()
            .map(|r| RegisterLine {
                destroyed_on: r
                    .at
                    .with_timezone(&chrono_tz::Europe::Amsterdam)
                    .date_naive(),
                outcome: r.outcome.unwrap_or_else(|| "destroyed".to_owned()),
                rule: r.rule,
                term_ended_on: r.term_ended_on,
                by: match (r.by_job, r.by_user) {
                    (Some(job), _) => job,
                    (None, Some(u)) => names.get(&u).cloned().unwrap_or_else(|| u.to_string()),
                    (None, None) => "system".to_owned(),
                },
                rows: r.counts.values().sum(),
                category: r.kind,
            })
            .collect())
    }

    /// The register as CSV (RET-6), with a header row in English codes so it reads the
    /// same in every language.
    pub async fn destruction_register_csv(
        &self,
        actor: &Actor,
        query: &RegisterQuery,
    ) -> CoreResult<Vec<u8>> {
        let lines = self.register_all(actor, query).await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let bad = |e: csv::Error| CoreError::Internal(format!("writing the register: {e}"));
        out.write_record([
            "destroyed_on",
            "category",
            "outcome",
            "rule",
            "term_ended_on",
            "by",
            "rows",
        ])
        .map_err(bad)?;
        for l in &lines {
            out.write_record([
                l.destroyed_on.to_string(),
                l.category.clone(),
                l.outcome.clone(),
                l.rule.clone(),
                l.term_ended_on.map(|d| d.to_string()).unwrap_or_default(),
                l.by.clone(),
                l.rows.to_string(),
            ])
            .map_err(bad)?;
        }
        out.into_inner()
            .map_err(|e| CoreError::Internal(format!("writing the register: {e}")))
    }

    /// The register as PDF (RET-6), Dutch by default. `selection` describes the filter
    /// in the document's language (the web layer words it).
    pub async fn destruction_register_pdf(
        &self,
        actor: &Actor,
        query: &RegisterQuery,
        selection: String,
        language: docs::Language,
    ) -> CoreResult<Vec<u8>> {
        let lines = self.register_all(actor, query).await?;
        let register = docs::DestructionRegister {
            organisation: self.policy.organisation().name.clone(),
            date: self.clock.today().to_string(),
            selection,
            lines: lines
                .into_iter()
                .map(|l| docs::DestructionRegisterLine {
                    destroyed_on: l.destroyed_on.to_string(),
                    category: l.category,
                    outcome: l.outcome,
                    rule: l.rule,
                    term_ended_on: l.term_ended_on.map(|d| d.to_string()),
                    by: l.by,
                    rows: l.rows,
                })
                .collect(),
        };
        tokio::task::spawn_blocking(move || docs::render_destruction_register(&register, language))
            .await
            .map_err(|e| CoreError::Internal(format!("rendering the register: {e}")))?
            .map_err(|e| CoreError::Internal(e.to_string()))
    }
}
