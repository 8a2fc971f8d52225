//! Retention ("bewaartermijnen", RET-1, RET-2, RET-5): the date until which each dossier
//! is kept, recomputed whenever an event moves it ([`dates`]); keeping longer by an
//! extension or a hold ([`keep_longer`]); and the privacy officer's destruction schedule
//! ([`schedule`]). The sweep that destroys what is due lives in [`crate::destruction`]
//! and asks `zv_store::retention::due_trajectories` what it may take.
//!
//! Every rule comes from the policy file: the service type names its retention rule, the
//! rule its term, start event, "not before" conditions and whether it may be extended.

pub mod dates;
pub mod keep_longer;
pub mod schedule;

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, ClientId, TrajectoryId};
use zv_policy::RetentionRule;
use zv_store::TrajectoryRow;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Access;

pub use dates::client_keep_until;
pub use keep_longer::{ExtensionInput, ExtensionView, HoldInput, HoldKind, HoldView};
pub use schedule::{Schedule, ScheduleLine};

/// Where a trajectory stands towards its term on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionStatus {
    /// Still open: the term has not started, nothing is due.
    Open,
    /// The term runs; the date lies ahead.
    Kept,
    /// Kept longer by an extension beyond the term.
    Extended,
    /// Past its term (or reaching it) but held: a hold, an open rights request or an open
    /// complaint.
    Held,
    /// Past its term and nothing holds it: the sweep destroys or anonymises it.
    Due,
}

impl RetentionStatus {
    pub const ALL: &'static [Self] = &[
        Self::Open,
        Self::Kept,
        Self::Extended,
        Self::Held,
        Self::Due,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Kept => "kept",
            Self::Extended => "extended",
            Self::Held => "held",
            Self::Due => "due",
        }
    }
}

/// A trajectory's term as the dossier and the API show it: date, rule, extension,
/// holds, and what the reader may do about it. No dossier content.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionView {
    pub trajectory: TrajectoryId,
    pub client: ClientId,
    pub service_type: String,
    pub team: String,
    /// The retention rule's code, and its note from the policy (the statement's words).
    pub rule: String,
    pub rule_note: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// The date the term ends under the rule; `None` while the trajectory is open.
    pub retention_until: Option<NaiveDate>,
    /// The extension in force, and the earlier ones it superseded.
    pub extension: Option<ExtensionView>,
    pub earlier_extensions: Vec<ExtensionView>,
    /// The last day the dossier is kept: the later of the term and the extension.
    pub keep_until: Option<NaiveDate>,
    /// The range a new end date may lie in (RET-5); `None` when the rule cannot be
    /// extended or the term has not started. The upper end is open for a recorded reason.
    pub extension_from: Option<NaiveDate>,
    pub extension_to: Option<NaiveDate>,
    /// Holds placed by hand on the trajectory or its client, open ones first.
    pub holds: Vec<HoldView>,
    /// Read live: an open rights request of the client holds every trajectory of it.
    pub open_request: bool,
    /// Read live: an open complaint about the trajectory holds it.
    pub open_complaint: bool,
    pub status: RetentionStatus,
    /// The client's own data is kept as long as any of its trajectories: the latest of
    /// their dates, `None` while one is open.
    pub client_keep_until: Option<NaiveDate>,
    /// The reader may extend and place or release holds here (the privacy officer, the
    /// team lead of the trajectory's team).
    pub may_decide: bool,
}

impl RetentionView {
    /// Held by anything: a hold by hand, an open request, an open complaint.
    #[must_use]
    pub fn held(&self) -> bool {
        self.open_request || self.open_complaint || self.holds.iter().any(HoldView::is_open)
    }
}

/// The status from the facts of one day.
pub(crate) fn status_on(
    today: NaiveDate,
    retention_until: Option<NaiveDate>,
    extended_until: Option<NaiveDate>,
    held: bool,
) -> RetentionStatus {
    match retention_until {
        None => RetentionStatus::Open,
        Some(until) if extended_until.is_some_and(|e| e > until && e >= today) => {
            RetentionStatus::Extended
        }
        Some(until) if until >= today => RetentionStatus::Kept,
        Some(_) if held => RetentionStatus::Held,
        Some(_) => RetentionStatus::Due,
    }
}

impl App {
    /// The retention rule of a trajectory's service type (RET-1, RET-2).
    pub(crate) fn rule_of(&self, meta: &TrajectoryRow) -> CoreResult<&RetentionRule> {
        self.policy
            .service_retention_rule(&meta.service_type, meta.domestic_violence)
            .ok_or_else(|| {
                CoreError::Internal(
                    "trajectory of a service type or rule the policy no longer has".into(),
                )
            })
    }

    /// An access to a trajectory's term: decided on the trajectory's team (the team
    /// lead's rule) and recorded under the retention purpose.
    pub(crate) fn retention_access(action: AuditAction, meta: &TrajectoryRow) -> Access {
        Access::new(action, AuditObject::RetentionTerm, Some(meta.client_id))
            .in_trajectory(meta.id)
            .team(meta.team_code.clone())
            .target(Target::Retention)
            .purpose(zv_domain::Purpose::Retention)
            .object_id(meta.id)
    }
}
