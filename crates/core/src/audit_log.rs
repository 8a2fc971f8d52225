//! The privacy officer's view of the audit log (ACC-7): filter by client, user, period,
//! action and emergency access, page through it, export it as CSV. Reading the log is
//! itself recorded, in the same transaction as the read.

use chrono::NaiveDate;
use zv_domain::audit::AuditEvent;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, UserId, start_of_local_day};
use zv_store::AuditFilter;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// A filter as a person states it: local dates, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub client: Option<ClientId>,
    pub user: Option<UserId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub action: Option<AuditAction>,
    pub emergency_only: bool,
    /// Continue below this sequence number (the next page).
    pub before_seq: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> CoreResult<AuditFilter> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(CoreError::invalid(
                "to",
                "the end date lies before the start date",
            ));
        }
        Ok(AuditFilter {
            client: self.client,
            user: self.user,
            from: self.from.map(start_of_local_day),
            to: self.to.and_then(|d| d.succ_opt()).map(start_of_local_day),
            action: self.action,
            emergency_only: self.emergency_only,
            before_seq: self.before_seq,
        })
    }

    /// What was asked, for the audit event: ids and codes only, never names.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.client {
            parts.push(format!("client={c}"));
        }
        if let Some(u) = self.user {
            parts.push(format!("user={u}"));
        }
        if let Some(d) = self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={d}"));
        }
        if let Some(a) = self.action {
            parts.push(format!("action={}", a.code()));
        }
        if self.emergency_only {
            parts.push("emergency_only".to_owned());
        }
        parts.join(" ")
    }
}

/// One page of events, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Pass as `before_seq` for the next page; `None` when this was the last.
    pub next_before: Option<i64>,
}

/// The most events one CSV export holds; a wider export is refused with advice to
/// narrow the filter, rather than truncated silently.
const MAX_EXPORT: u64 = 100_000;

impl App {
    /// A page of the audit log for the privacy officer.
    pub async fn audit_events(
        &self,
        actor: &Actor,
        query: &AuditQuery,
        page_size: u64,
    ) -> CoreResult<AuditPage> {
        let filter = query.filter()?;
        let page_size = page_size.clamp(1, 500);
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::AuditLog, None)
                    .purpose(Purpose::Administration)
                    .detail(query.describe()),
            )
            .await?;
        let mut events = zv_store::audit::search(&tx, &filter, page_size + 1).await?;
        tx.commit().await?;
        let more = events.len() as u64 > page_size;
        events.truncate(usize::try_from(page_size).unwrap_or(usize::MAX));
        let next_before = if more {
            events.last().map(|e| e.seq)
        } else {
            None
        };
        Ok(AuditPage {
            events,
            next_before,
        })
    }

    /// The events a filter selects, oldest first, as CSV (UTF-8, comma-separated, with a
    /// header row). The export is recorded as an export of the audit log.
    pub async fn audit_csv(&self, actor: &Actor, query: &AuditQuery) -> CoreResult<String> {
        let filter = query.filter()?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Export, AuditObject::AuditLog, None)
                    .purpose(Purpose::Administration)
                    .detail(query.describe()),
            )
            .await?;
        let mut events = zv_store::audit::search(&tx, &filter, MAX_EXPORT + 1).await?;
        if events.len() as u64 > MAX_EXPORT {
            return Err(CoreError::invalid(
                "from",
                format!(
                    "more than {MAX_EXPORT} events: choose a shorter period or a client or user"
                ),
            ));
        }
        tx.commit().await?;
        events.reverse();
        let mut out = csv::Writer::from_writer(Vec::new());
        let header = [
            "seq",
            "at",
            "action",
            "outcome",
            "object",
            "object_id",
            "client_id",
            "user_id",
            "user_name",
            "role",
            "on_behalf_of",
            "purpose",
            "access_point",
            "rule_ids",
            "detail",
        ];
        out.write_record(header).map_err(csv_error)?;
        for e in &events {
            let v = &e.event;
            let opt = |u: Option<String>| u.unwrap_or_default();
            out.write_record(
                [
                    e.seq.to_string(),
                    e.at.to_rfc3339(),
                    v.action.code().to_owned(),
                    v.outcome.code().to_owned(),
                    v.object.code().to_owned(),
                    opt(v.object_id.map(|u| u.to_string())),
                    opt(v.client_id.map(|u| u.to_string())),
                    opt(v.user_id.map(|u| u.to_string())),
                    v.user_name.clone(),
                    v.role.clone(),
                    opt(v.on_behalf_of.map(|u| u.to_string())),
                    v.purpose.code().to_owned(),
                    v.access_point.clone(),
                    v.rule_ids.join(" "),
                    opt(v.detail.clone()),
                ]
                .map(|cell| spreadsheet_safe(&cell)),
            )
            .map_err(csv_error)?;
        }
        let bytes = out
            .into_inner()
            .map_err(|e| CoreError::Internal(format!("csv: {e}")))?;
        String::from_utf8(bytes).map_err(|e| CoreError::Internal(format!("csv: {e}")))
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with an
/// apostrophe, so opening the export cannot execute what a name or detail holds.
pub(crate) fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

pub(crate) fn csv_error(e: csv::Error) -> CoreError {
    CoreError::Internal(format!("csv: {e}"))
}
