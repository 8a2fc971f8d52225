//! Keeping longer (RET-5): "or longer when needed" takes a recorded reason and a new end
//! date by an authorised person, and a hold (a legal claim, an incident under
//! investigation) stops destruction while it is open. Who may decide: the privacy
//! officer, and the team lead of the trajectory's team (`access/ret5_keep_longer.cedar`).
//! Open rights requests and complaints hold too; they are read live, never copied.
//!
//! Reasons are stored as written, without the client's key: the forms ask for a reason
//! that does not name the client, so the privacy officer's schedule can show why a
//! dossier is kept without opening it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, TrajectoryId, UserId};
use zv_policy::Extension;
use zv_store::Tx;
use zv_store::retention::{ExtensionRow, HoldRow, NewExtension, NewHold};

use super::{RetentionView, status_on};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;
use crate::processing_stops::MIN_REASON_CHARS;

/// The longest reason kept: a sentence or two, not a report.
const MAX_REASON_CHARS: usize = 1_000;

/// Why a hold was placed by hand. Open rights requests and complaints hold by
/// themselves and are not placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldKind {
    /// The data may be needed in a legal claim (AVG art. 17(3)(e)).
    LegalClaim,
    /// An incident under investigation (camera images: "zoveel langer als de beelden
    /// gebruikt worden voor nader onderzoek bij incidenten").
    Incident,
}

impl HoldKind {
    pub const ALL: &'static [Self] = &[Self::LegalClaim, Self::Incident];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::LegalClaim => "legal_claim",
            Self::Incident => "incident",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// An extension as typed.
#[derive(Debug, Clone)]
pub struct ExtensionInput {
    pub until: NaiveDate,
    pub reason: String,
}

/// A hold as typed: on the trajectory, or on every trajectory of its client.
#[derive(Debug, Clone)]
pub struct HoldInput {
    pub kind: String,
    pub reason: String,
    pub whole_client: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtensionView {
    pub id: Uuid,
    pub until: NaiveDate,
    pub reason: String,
    pub decided_by: UserId,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoldView {
    pub id: Uuid,
    pub kind: String,
    pub reason: String,
    /// On every trajectory of the client rather than this one alone.
    pub whole_client: bool,
    pub placed_by: UserId,
    pub placed_by_name: String,
    pub placed_at: DateTime<Utc>,
    pub released_by: Option<UserId>,
    pub released_by_name: Option<String>,
    pub released_at: Option<DateTime<Utc>>,
}

impl HoldView {
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.released_at.is_none()
    }
}

/// A reason: trimmed, long enough to say something, short enough to stay a reason.
/// Public so a form checks it with the other fields and shows every refusal at once.
pub fn check_reason(raw: &str) -> CoreResult<String> {
    let r = raw.trim();
    let n = r.chars().count();
    if n < MIN_REASON_CHARS {
        Err(CoreError::invalid(
            "reason",
            "say why the data is kept longer (at least 10 characters)",
        ))
    } else if n > MAX_REASON_CHARS {
        Err(CoreError::invalid(
            "reason",
            "keep the reason under 1000 characters",
        ))
    } else {
        Ok(r.to_owned())
    }
}

impl App {
    /// A trajectory's term with its extension and holds (a recorded read): for whoever may
    /// read the dossier's term (its workers, the team lead, the privacy officer).
    pub async fn retention_of(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<RetentionView> {
        let meta = self.trajectory_meta(trajectory).await?;
        let _auth = self
            .authorize_read(actor, Self::retention_access(AuditAction::Read, &meta))
            .await?;
        self.retention_view(actor, meta).await
    }

    /// The dossier with its retention block (`None` for a reader who may not see the
    /// term), as the dossier page shows them: the term's permissions are decided on the
    /// dossier's own standing, and its rows are read in the dossier's transaction.
    ///
    /// The term is decided by the same rules but not recorded again: the dossier's own
    /// read events already record that this reader looked at this trajectory, and the
    /// term adds no client content (dates, rule, staff names, reasons written without the
    /// client), so a second event per view would only add noise to the log.
    pub async fn dossier_with_retention(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<(crate::entries::Dossier, Option<RetentionView>)> {
        let read = self.dossier_read(actor, trajectory, true).await?;
        Ok((read.dossier, read.retention))
    }

    async fn retention_view(
        &self,
        actor: &Actor,
        meta: zv_store::TrajectoryRow,
    ) -> CoreResult<RetentionView> {
        let may_decide = self
            .permitted(actor, &Self::retention_access(AuditAction::Create, &meta))
            .await?;
        let tx = self.store.read_tx().await?;
        let view = self.retention_view_in(&tx, &meta, may_decide).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// A trajectory's term view, read in the caller's transaction.
    pub(crate) async fn retention_view_in(
        &self,
        tx: &Tx,
        meta: &zv_store::TrajectoryRow,
        may_decide: bool,
    ) -> CoreResult<RetentionView> {
        let trajectory = meta.id;
        let holds = zv_store::retention::holds_of(tx, trajectory, meta.client_id).await?;
        let (open_request, open_complaint) =
            zv_store::retention::automatic_holds(tx, trajectory).await?;
        let siblings = zv_store::trajectories::of_client(tx, meta.client_id).await?;
        let sibling_ids: Vec<TrajectoryId> = siblings.iter().map(|t| t.id).collect();
        let mut extensions = zv_store::retention::extensions_of_all(tx, &sibling_ids).await?;
        let keep: Vec<_> = {
            let in_force: HashMap<TrajectoryId, &ExtensionRow> = extensions
                .iter()
                .filter(|e| e.superseded_at.is_none())
                .map(|e| (e.trajectory_id, e))
                .collect();
            siblings
                .iter()
                .map(|t| keep_until(t.retention_until, in_force.get(&t.id).copied()))
                .collect()
        };
        extensions.retain(|e| e.trajectory_id == trajectory);
        let mut ids: Vec<UserId> = extensions.iter().map(|e| e.decided_by).collect();
        ids.extend(holds.iter().map(|h| h.placed_by));
        ids.extend(holds.iter().filter_map(|h| h.released_by));
        let names = zv_store::staff::names_of(tx, &ids).await?;
        let name = |u: &UserId| names.get(u).cloned().unwrap_or_default();
        let rule = self.rule_of(meta)?;
        let mut extensions = extensions.into_iter().map(|e| ExtensionView {
            id: e.id,
            until: e.extended_until,
            decided_by_name: name(&e.decided_by),
            decided_by: e.decided_by,
            reason: e.reason,
            decided_at: e.decided_at,
            superseded_at: e.superseded_at,
        });
        let (extension, earlier_extensions) = match extensions.next() {
            Some(first) if first.superseded_at.is_none() => (Some(first), extensions.collect()),
            Some(first) => (None, std::iter::once(first).chain(extensions).collect()),
            None => (None, Vec::new()),
        };
        let holds: Vec<HoldView> = holds
            .into_iter()
            .map(|h| HoldView {
                id: h.id,
                kind: h.kind,
                reason: h.reason,
                whole_client: h.trajectory_id.is_none(),
                placed_by_name: name(&h.placed_by),
                placed_by: h.placed_by,
                placed_at: h.placed_at,
                released_by_name: h.released_by.as_ref().map(name),
                released_by: h.released_by,
                released_at: h.released_at,
            })
            .collect();
        let (extension_from, extension_to) = match (rule.extension, meta.retention_until) {
            (Extension::None, _) | (_, None) => (None, None),
            // The lower bound follows the stored date, which holds the youngest child too.
            (Extension::RecordedReason, Some(u)) => (u.succ_opt(), None),
            (Extension::WrittenConsent { .. }, Some(_)) => rule
                .extension_bounds(&super::dates::facts_of(meta, Vec::new()))
                .map_or((None, None), |(from, to)| (Some(from), to)),
        };
        let held = open_request || open_complaint || holds.iter().any(HoldView::is_open);
        let extended_until = extension.as_ref().map(|e| e.until);
        Ok(RetentionView {
            trajectory,
            client: meta.client_id,
            service_type: meta.service_type.clone(),
            team: meta.team_code.clone(),
            rule: rule.code.clone(),
            rule_note: rule.note.clone(),
            closed_on: meta.closed_on,
            retention_until: meta.retention_until,
            keep_until: meta
                .retention_until
                .map(|u| extended_until.map_or(u, |e| e.max(u))),
            status: status_on(
                self.clock.today(),
                meta.retention_until,
                extended_until,
                held,
            ),
            extension,
            earlier_extensions,
            extension_from,
            extension_to,
            holds,
            open_request,
            open_complaint,
            client_keep_until: super::client_keep_until(keep),
            may_decide,
        })
    }

    /// Keeps a trajectory's dossier until a later date, with a reason (RET-5): only where
    /// the rule allows an extension, within its bounds, after the term started. A later
    /// extension supersedes the one in force.
    pub async fn extend_retention(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: ExtensionInput,
    ) -> CoreResult<Uuid> {
        let meta = self.trajectory_meta(trajectory).await?;
        let reason = check_reason(&input.reason);
        let rule = self.rule_of(&meta)?;
        let until = match (rule.extension, meta.retention_until) {
            (Extension::None, _) => Err(CoreError::invalid(
                "until",
                "the rule of this dossier allows no longer keeping",
            )),
            (_, None) => Err(CoreError::invalid(
                "until",
                "the term starts when the trajectory closes; extend it after closing",
            )),
            (Extension::RecordedReason, Some(term)) if input.until <= term => {
                Err(CoreError::invalid(
                    "until",
                    "the new end date must lie after the end of the term",
                ))
            }
            (Extension::WrittenConsent { .. }, Some(_)) => {
                match rule.extension_bounds(&super::dates::facts_of(&meta, Vec::new())) {
                    Some((from, Some(to))) if input.until < from || input.until > to => {
                        Err(CoreError::invalid(
                            "until",
                            "the new end date lies outside what the rule allows",
                        ))
                    }
                    _ => Ok(input.until),
                }
            }
            _ => Ok(input.until),
        };
        let (until, reason) = (until?, reason?);
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("terms are extended by staff".into()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_retention_write(
                actor,
                &meta,
                AuditAction::Create,
                format!("extension {id}: kept until {until}"),
            )
            .await?;
        zv_store::retention::insert_extension(
            &tx,
            &NewExtension {
                id,
                trajectory_id: trajectory,
                client_id: meta.client_id,
                extended_until: until,
                reason,
                decided_by: by,
                decided_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(trajectory.id = %trajectory, "retention extended");
        Ok(id)
    }

    /// Places a hold on a trajectory, or on every trajectory of its client (RET-5): while
    /// it is open nothing it covers is destroyed.
    pub async fn place_retention_hold(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: HoldInput,
    ) -> CoreResult<Uuid> {
        let meta = self.trajectory_meta(trajectory).await?;
        let kind = HoldKind::from_code(input.kind.trim())
            .ok_or_else(|| CoreError::invalid("kind", "choose a legal claim or an incident"));
        let reason = check_reason(&input.reason);
        let (kind, reason) = (kind?, reason?);
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("holds are placed by staff".into()))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_retention_write(
                actor,
                &meta,
                AuditAction::Create,
                format!(
                    "hold {id} placed: {}{}",
                    kind.code(),
                    if input.whole_client {
                        " (every trajectory of the client)"
                    } else {
                        ""
                    }
                ),
            )
            .await?;
        zv_store::retention::insert_hold(
            &tx,
            &NewHold {
                id,
                trajectory_id: (!input.whole_client).then_some(trajectory),
                client_id: meta.client_id,
                kind: kind.code().to_owned(),
                reason,
                placed_by: by,
                placed_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(trajectory.id = %trajectory, hold.id = %id, "retention hold placed");
        Ok(id)
    }

    /// Releases an open hold; what it held falls due again on its own dates.
    pub async fn release_retention_hold(&self, actor: &Actor, hold: Uuid) -> CoreResult<()> {
        let tx = self.store.read_tx().await?;
        let row: Option<HoldRow> = zv_store::retention::find_hold(&tx, hold).await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Err(CoreError::NotFound);
        };
        // A client-wide hold is decided on one of the client's trajectories: the team
        // lead of any of them may release it, as they may place it.
        let trajectories = zv_store::trajectories::of_client(&tx, row.client_id).await?;
        tx.commit().await?;
        let meta = match row.trajectory_id {
            Some(t) => trajectories.into_iter().find(|m| m.id == t),
            None => {
                let mut allowed = None;
                for m in trajectories {
                    if self
                        .permitted(actor, &Self::retention_access(AuditAction::Update, &m))
                        .await?
                    {
                        allowed = Some(m);
                        break;
                    }
                }
                allowed
            }
        }
        .ok_or(CoreError::NotFound)?;
        if row.released_at.is_some() {
            return Err(CoreError::Conflict("this hold was released already".into()));
        }
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("holds are released by staff".into()))?;
        let tx = self
            .authorize_retention_write(
                actor,
                &meta,
                AuditAction::Update,
                format!("hold {hold} released"),
            )
            .await?;
        if !zv_store::retention::release_hold(&tx, hold, by, self.now()).await? {
            return Err(CoreError::Conflict("this hold was released already".into()));
        }
        tx.commit().await?;
        tracing::info!(hold.id = %hold, "retention hold released");
        Ok(())
    }

    /// Opens the transaction of a decision on a term, with its audit event. Someone who
    /// may read the term but not decide is told so; anyone else learns nothing.
    async fn authorize_retention_write(
        &self,
        actor: &Actor,
        meta: &zv_store::TrajectoryRow,
        action: AuditAction,
        detail: String,
    ) -> CoreResult<zv_store::Tx> {
        let result = self
            .authorize_write(actor, Self::retention_access(action, meta).detail(detail))
            .await;
        if matches!(result, Err(CoreError::NotFound))
            && self
                .permitted(actor, &Self::retention_access(AuditAction::Read, meta))
                .await?
        {
            return Err(CoreError::NotAllowed(
                "only the privacy officer or the team's lead keeps data longer".into(),
            ));
        }
        result
    }
}

/// The last day a trajectory is kept: the later of its term and its extension.
pub(crate) fn keep_until(
    retention_until: Option<NaiveDate>,
    extension: Option<&ExtensionRow>,
) -> Option<NaiveDate> {
    retention_until.map(|u| extension.map_or(u, |e| e.extended_until.max(u)))
}
