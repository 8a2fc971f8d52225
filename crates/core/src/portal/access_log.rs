//! "Who looked at my dossier" (POR-3): the client's own view of the access log. For each
//! event about their data: when, who (the staff member's name and function, or only the
//! function where the policy's `shown_to_client_as` says so), what was done with which
//! data, on what ground (the purpose and the deciding rules the event holds), and whether
//! it was emergency access; newest first, filtered by period.
//!
//! Reading it is itself a read through the gate (`por3-own-access-log`), recorded before
//! the log is searched. Only events naming the client's own id are read, so another
//! client's events can never appear. Left out: events about work notes, which are not
//! part of the dossier (DOS-2) and whose existence is their author's; events about
//! withholdings, since whether the client learns of one is POR-2's to decide; and,
//! unless the client asks for them, the client's own doings in the portal.
//!
//! A parent or representative who may read a client's dossier in the portal sees that
//! client's log the same way (MIN-1..4), from the day their authority began; there the
//! client's own doings are the client's, and the viewer's are "you".

use chrono::{DateTime, NaiveDate, Utc};
use zv_domain::audit::AuditEvent;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, ClientId, Purpose, Role, UserId, start_of_local_day,
};
use zv_policy::ShownAs;
use zv_store::AuditFilter;

use super::{AUDIT_ROLE, PortalActor};
use crate::access::{Relation, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What the client asks for: local dates, both ends included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessLogQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Also show what the client did in the portal themselves.
    pub include_own: bool,
    /// Continue below this sequence number (the next page).
    pub before_seq: Option<i64>,
}

/// Who acted, as the client may know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogActor {
    /// The client, in the portal.
    You,
    /// A sign-in to the client's portal account that failed: the client mistyping, or
    /// someone else trying.
    SignInAttempt,
    /// A staff member: the name only where every role they acted in is shown by name.
    Staff {
        name: Option<String>,
        roles: Vec<Role>,
    },
    /// Another account of the portal (a parent or representative).
    OtherPortalAccount,
    /// The client in their own portal account, as a parent or representative reading
    /// for them sees it.
    TheClient,
    /// The system itself: a scheduled job or the operator's command.
    System,
}

/// One line of the client's overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub who: LogActor,
    pub action: AuditAction,
    pub object: AuditObject,
    pub outcome: AuditOutcome,
    /// The ground of the access (NEN 7513 "doel").
    pub purpose: Purpose,
    /// The access rules that decided, as recorded.
    pub rule_ids: Vec<String>,
    /// Done on behalf of the absent worker (a substitute, ACC-6).
    pub on_behalf: bool,
    /// Break-the-glass access, or what it enabled (ACC-5).
    pub emergency: bool,
}

/// One page of the overview, newest first.
#[derive(Debug, Clone, Default)]
pub struct AccessLogPage {
    pub entries: Vec<AccessLogEntry>,
    /// Pass as `before_seq` for the next page; `None` when this was the last.
    pub next_before: Option<i64>,
}

/// Events read per query while a page is filled.
const BATCH: u64 = 250;
/// The most events one page looks through; past it, the page offers the next one.
const MAX_SCAN: usize = 5_000;

impl AccessLogQuery {
    fn describe(&self) -> String {
        let mut parts = vec!["own view".to_owned()];
        if let Some(d) = self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={d}"));
        }
        if self.include_own {
            parts.push("with own".to_owned());
        }
        parts.join(" ")
    }
}

impl App {
    /// A page of the access log of the signed-in client's own data (POR-3).
    pub async fn portal_access_log(
        &self,
        actor: &Actor,
        query: &AccessLogQuery,
        page_size: usize,
    ) -> CoreResult<AccessLogPage> {
        // Only a client's own log: a parent's or representative's account without a
        // dossier of its own has none here.
        let Actor::Portal(PortalActor {
            client_id: Some(client),
            ..
        }) = actor
        else {
            return Err(CoreError::NotFound);
        };
        let client = *client;
        check_period(query)?;
        self.authorize_read(
            actor,
            Access::new(AuditAction::Read, AuditObject::AuditLog, Some(client))
                .target(Target::AccessLog)
                .purpose(Purpose::OwnAccess)
                .detail(query.describe()),
        )
        .await?;
        self.access_log_page(actor, client, query, page_size, None)
            .await
    }

    /// A page of the access log of a client a parent or representative reads for
    /// (POR-3 with MIN-1..4): allowed exactly where the minors rules let the account read
    /// the dossier (a parent of a child under 12, of a child of 12 to 16 unless blocked,
    /// of a young person of 16 or older with their consent; a representative whose
    /// mandate covers the whole dossier). A parent sees nothing from before the day
    /// their authority began, as with the dossier itself.
    pub async fn portal_linked_access_log(
        &self,
        actor: &Actor,
        client: ClientId,
        query: &AccessLogQuery,
        page_size: usize,
    ) -> CoreResult<AccessLogPage> {
        let facts = self.portal_facts_of(actor, client).await?;
        if facts.person.is_none() || facts.relation == Relation::Client {
            return Err(CoreError::NotFound);
        }
        check_period(query)?;
        let access = Access::new(AuditAction::Read, AuditObject::AuditLog, Some(client))
            .target(Target::AccessLog)
            .purpose(Purpose::RepresentativeAccess)
            .detail(query.describe());
        let standing = facts.standing(&access);
        self.authorize_read_on(actor, access, &standing).await?;
        let not_before = match facts.relation {
            Relation::Parent => facts.authority_since.map(start_of_local_day),
            _ => None,
        };
        self.access_log_page(actor, client, query, page_size, not_before)
            .await
    }

    /// The page itself, once the read is authorized and recorded: events about
    /// `client`, newest first, from `not_before` on, as `viewer` may see them.
    async fn access_log_page(
        &self,
        viewer: &Actor,
        client: ClientId,
        query: &AccessLogQuery,
        page_size: usize,
        not_before: Option<chrono::DateTime<chrono::Utc>>,
    ) -> CoreResult<AccessLogPage> {
        let viewer = match viewer {
            Actor::Portal(p) => Some(UserId::from_uuid(p.account_id.as_uuid())),
            _ => None,
        };
        let page_size = page_size.clamp(1, 500);
        let from = query.from.map(start_of_local_day);
        let mut filter = AuditFilter {
            client: Some(client),
            from: match (from, not_before) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            to: query.to.and_then(|d| d.succ_opt()).map(start_of_local_day),
            before_seq: query.before_seq,
            ..AuditFilter::default()
        };
        // Reads audited in the intake during a sweep are shown as soon as they are
        // durable, not only after the sweep's next batch (decision 0056).
        self.store.settle_audit_intake().await?;
        let tx = self.store.read_tx().await?;
        // SHR-4: a disclosure a safety reason keeps from the client is not in their log
        // either; the others are on their disclosures page too.
        let shown = zv_store::disclosures::shown_ids_of_client(&tx, client).await?;
        let mut entries = Vec::new();
        let mut scanned = 0;
        let mut next_before = None;
        'pages: loop {
            let batch = zv_store::audit::search(&tx, &filter, BATCH).await?;
            let exhausted = (batch.len() as u64) < BATCH;
            scanned += batch.len();
            for e in batch {
                filter.before_seq = Some(e.seq);
                let Some(entry) = self.entry_for(client, viewer, e, query.include_own, &shown)
                else {
                    continue;
                };
                if entries.len() == page_size {
                    next_before = entries.last().map(|l: &AccessLogEntry| l.seq);
                    break 'pages;
                }
                entries.push(entry);
            }
            if exhausted {
                break;
            }
            if scanned >= MAX_SCAN {
                next_before = filter.before_seq;
                break;
            }
        }
        tx.commit().await?;
        Ok(AccessLogPage {
            entries,
            next_before,
        })
    }

    /// The viewer's line for an event about `client`, or `None` when it is not shown.
    fn entry_for(
        &self,
        client: ClientId,
        viewer: Option<UserId>,
        e: AuditEvent,
        include_own: bool,
        shown_disclosures: &[uuid::Uuid],
    ) -> Option<AccessLogEntry> {
        let v = e.event;
        // The search names the client; a second look costs nothing and keeps it so.
        // Work notes are not part of the dossier (DOS-2). What is withheld from the
        // client, and that something is, is for the withholding to say (POR-2: not even
        // that, where the worker recorded it would endanger someone), never the log.
        if v.client_id != Some(client)
            || matches!(v.object, AuditObject::WorkNote | AuditObject::Withholding)
            || (v.object == AuditObject::Disclosure
                && !v
                    .object_id
                    .is_some_and(|id| shown_disclosures.contains(&id)))
        {
            return None;
        }
        let who = self.log_actor(&v.role, v.user_id, &v.user_name, viewer);
        if who == LogActor::You && !include_own {
            return None;
        }
        Some(AccessLogEntry {
            seq: e.seq,
            at: e.at,
            who,
            action: v.action,
            object: v.object,
            outcome: v.outcome,
            purpose: v.purpose,
            on_behalf: v.on_behalf_of.is_some(),
            emergency: v.action == AuditAction::EmergencyAccess || v.purpose == Purpose::Emergency,
            rule_ids: v.rule_ids,
        })
    }

    /// Who acted, from the event's role and name, as the policy lets the client see it.
    fn log_actor(
        &self,
        role: &str,
        user: Option<UserId>,
        user_name: &str,
        viewer: Option<UserId>,
    ) -> LogActor {
        let portal_role = role == AUDIT_ROLE || role == crate::portal::REPRESENTATIVE_AUDIT_ROLE;
        if portal_role && user.is_some() && user == viewer {
            return LogActor::You;
        }
        if role == AUDIT_ROLE {
            return if user.is_some() {
                LogActor::TheClient
            } else {
                LogActor::SignInAttempt
            };
        }
        if role == "system" || user_name.starts_with("system:") {
            return LogActor::System;
        }
        let roles: Vec<Role> = role
            .split(',')
            .filter_map(|r| r.trim().parse::<Role>().ok())
            .collect();
        if roles.is_empty() && user_name.starts_with("portal:") {
            // Not a staff role: another principal of the portal (a parent or a
            // representative). Never a name.
            return LogActor::OtherPortalAccount;
        }
        // The most protective label wins: one role shown by function hides the name.
        // Without a known role there is no label saying the name may be shown.
        let by_name = !roles.is_empty()
            && roles
                .iter()
                .all(|r| self.policy.role_label(*r).shown_to_client_as == ShownAs::Name);
        LogActor::Staff {
            name: (by_name && !user_name.is_empty()).then(|| user_name.to_owned()),
            roles,
        }
    }
}

/// A period whose end lies before its start is refused, naming the end.
fn check_period(query: &AccessLogQuery) -> CoreResult<()> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(CoreError::invalid(
            "to",
            "the end date lies before the start date",
        ));
    }
    Ok(())
}
