//! The destruction schedule (issue 6, item 3): what reaches its term within the policy's
//! horizon (`[retention] schedule_horizon`), and what is past and waiting, for the privacy
//! officer to review, extend or hold before the sweep takes it. Per trajectory: its id,
//! service type, team, rule, date and status; never a name or any content, which the
//! review does not need.

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, Role, TrajectoryId};

use super::{RetentionStatus, keep_longer::keep_until, status_on};
use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// The most lines one schedule shows; past it the page says there are more, so a
/// backlog the sweep has not yet taken cannot make the page unusable.
const MAX_LINES: u64 = 500;

/// Why a trajectory is held, in codes the screens translate.
pub const HELD_BY_RIGHTS_REQUEST: &str = "rights_request";
pub const HELD_BY_COMPLAINT: &str = "complaint";

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleLine {
    pub trajectory: TrajectoryId,
    pub service_type: String,
    pub team: String,
    pub rule: String,
    pub retention_until: NaiveDate,
    /// The extension in force, when it ends within the horizon (one beyond it leaves the
    /// trajectory off the schedule).
    pub extended_until: Option<NaiveDate>,
    pub status: RetentionStatus,
    /// What holds it: `legal_claim`, `incident` (by hand), `rights_request`, `complaint`.
    pub held_by: Vec<String>,
    /// The reasons of the holds placed by hand, as written (without the client's name).
    pub hold_reasons: Vec<String>,
}

/// Records outside the dossiers that reach their term within the horizon: per group
/// activity (with its participants), per activity's photos and video, per camera's
/// recordings. No name or content: the activity's title and team, the camera's code.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLine {
    /// The register's category: `group_activity`, `activity_media`, `camera_images`.
    pub category: &'static str,
    /// The activity or camera.
    pub subject: uuid::Uuid,
    /// The activity's title, or the camera's code.
    pub label: String,
    /// The team, or the camera's branch.
    pub team: String,
    pub rule: String,
    /// The earliest last day among the items.
    pub retention_until: NaiveDate,
    /// How many items: 1 for an activity, photos and video or recorded files otherwise.
    pub items: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    pub today: NaiveDate,
    /// The last day the schedule looks at: today plus the policy's horizon.
    pub until: NaiveDate,
    pub lines: Vec<ScheduleLine>,
    /// More trajectories are due than the schedule shows.
    pub truncated: bool,
    /// Group activities, photos and video, and camera images due within the horizon.
    pub records: Vec<RecordLine>,
}

impl App {
    /// The destruction schedule (a recorded read, the privacy officer's).
    pub async fn retention_schedule(&self, actor: &Actor) -> CoreResult<Schedule> {
        let today = self.clock.today();
        let until = self
            .policy
            .retention_settings()
            .schedule_horizon
            .add_to(today);
        let access = Access::new(AuditAction::Read, AuditObject::RetentionTerm, None)
            .target(Target::Retention)
            .purpose(zv_domain::Purpose::Retention)
            .detail(format!("destruction schedule until {until}"));
        let tx = self.authorize_organisation_write(actor, access).await?;
        let rows = zv_store::retention::schedule(&tx, until, MAX_LINES + 1).await?;
        let truncated = u64::try_from(rows.len()).unwrap_or(u64::MAX) > MAX_LINES;
        let mut lines = Vec::with_capacity(rows.len());
        for r in rows
            .into_iter()
            .take(usize::try_from(MAX_LINES).unwrap_or(usize::MAX))
        {
            let ext = zv_store::retention::current_extension(&tx, r.trajectory_id).await?;
            let mut held_by = Vec::new();
            let mut hold_reasons = Vec::new();
            if r.manual_hold {
                for h in zv_store::retention::holds_of(&tx, r.trajectory_id, r.client_id)
                    .await?
                    .into_iter()
                    .filter(|h| h.released_at.is_none())
                {
                    if !held_by.contains(&h.kind) {
                        held_by.push(h.kind.clone());
                    }
                    hold_reasons.push(h.reason);
                }
            }
            if r.open_request {
                held_by.push(HELD_BY_RIGHTS_REQUEST.to_owned());
            }
            if r.open_complaint {
                held_by.push(HELD_BY_COMPLAINT.to_owned());
            }
            let rule = self
                .policy
                .service_retention_rule(&r.service_type, r.domestic_violence)
                .map(|rule| rule.code.clone())
                .unwrap_or_default();
            let extended_until = ext
                .as_ref()
                .map(|e| e.extended_until)
                .filter(|e| *e > r.retention_until);
            // On the schedule the term is reached within the horizon: "kept" reads as
            // "will be destroyed on its date" unless something holds it.
            let status = match status_on(
                today,
                Some(r.retention_until),
                extended_until,
                !held_by.is_empty(),
            ) {
                RetentionStatus::Kept if !held_by.is_empty() => RetentionStatus::Held,
                RetentionStatus::Kept => RetentionStatus::Due,
                other => other,
            };
            lines.push(ScheduleLine {
                trajectory: r.trajectory_id,
                service_type: r.service_type,
                team: r.team_code,
                rule,
                retention_until: r.retention_until,
                extended_until: keep_until(Some(r.retention_until), ext.as_ref())
                    .filter(|_| extended_until.is_some()),
                status,
                held_by,
                hold_reasons,
            });
        }
        let records = self.record_lines(&tx, until).await?;
        tx.commit().await?;
        Ok(Schedule {
            today,
            until,
            lines,
            truncated,
            records,
        })
    }

    /// How many trajectories, and lines of other records (activities, photos and video,
    /// camera images, correspondence), reach their term within the horizon or are past
    /// it and waiting: the line on the privacy officer's start page. A count, no client.
    pub async fn retention_due_count(&self, actor: &Actor) -> CoreResult<u64> {
        let is_officer = matches!(actor, Actor::Staff(s) if s.roles.contains(&Role::PrivacyOfficer) && !s.disabled);
        if !is_officer {
            return Err(CoreError::NotFound);
        }
        let until = self
            .policy
            .retention_settings()
            .schedule_horizon
            .add_to(self.clock.today());
        let tx = self.store.read_tx().await?;
        let n = zv_store::retention::count_due_by(&tx, until).await?;
        let records = self.record_lines(&tx, until).await?.len() as u64;
        tx.commit().await?;
        Ok(n + records)
    }

    /// The records outside the dossiers that reach their term by `until`.
    async fn record_lines(
        &self,
        tx: &zv_store::Tx,
        until: NaiveDate,
    ) -> CoreResult<Vec<RecordLine>> {
        use zv_policy::RecordKind;
        let rule_of = |kind| {
            self.policy
                .record_retention_rule(kind)
                .map(|r| r.code.clone())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        if self.runs_group_activities() {
            let activities = zv_store::activities::retention::activities_until(tx, until).await?;
            let going: std::collections::HashSet<uuid::Uuid> =
                activities.iter().map(|a| a.id).collect();
            let rule = rule_of(RecordKind::GroupParticipants);
            for a in &activities {
                out.push(RecordLine {
                    category: "group_activity",
                    subject: a.id,
                    label: a.title.clone(),
                    team: a.team_code.clone(),
                    rule: rule.clone(),
                    retention_until: a.keep_until,
                    items: 1,
                });
            }
            let mut media: std::collections::BTreeMap<uuid::Uuid, (NaiveDate, u64)> =
                std::collections::BTreeMap::new();
            for m in zv_store::activities::retention::media_until(tx, until)
                .await?
                .into_iter()
                .filter(|m| !going.contains(&m.activity_id))
            {
                let e = media.entry(m.activity_id).or_insert((m.keep_until, 0));
                e.0 = e.0.min(m.keep_until);
                e.1 += 1;
            }
            let rule = rule_of(RecordKind::ActivityMedia);
            for (activity, (first, n)) in media {
                let Some(a) = zv_store::activities::activity(tx, activity).await? else {
                    continue;
                };
                out.push(RecordLine {
                    category: "activity_media",
                    subject: activity,
                    label: a.title,
                    team: a.team_code,
                    rule: rule.clone(),
                    retention_until: first,
                    items: n,
                });
            }
        }
        if self.records_camera_images() {
            let rule = rule_of(RecordKind::CameraImages);
            let after = until.succ_opt().unwrap_or(until);
            for c in zv_store::cameras::cameras(tx).await? {
                let due = zv_store::cameras::past_term(tx, c.id, after).await?;
                if let Some(first) = due.iter().map(|r| r.keep_until).min() {
                    out.push(RecordLine {
                        category: "camera_images",
                        subject: c.id,
                        label: c.code.clone(),
                        team: c.branch_code.clone(),
                        rule: rule.clone(),
                        retention_until: first,
                        items: due.len() as u64,
                    });
                }
            }
        }
        if self.keeps_correspondence() {
            // RET-3: per handled item, by its kind and reference; never the
            // correspondent, the subject or a team.
            let rule = rule_of(RecordKind::Correspondence);
            for c in zv_store::correspondence::handled_until(tx, until).await? {
                out.push(RecordLine {
                    category: "correspondence",
                    subject: c.id,
                    label: format!("{} {}", c.kind, crate::correspondence::reference(c.id)),
                    team: String::new(),
                    rule: rule.clone(),
                    retention_until: c.keep_until,
                    items: 1,
                });
            }
        }
        // RET-2: applicants, staff records, ID copies and financial records, by reference.
        out.extend(self.personnel_record_lines(tx, until).await?);
        out.sort_by(|a, b| (a.retention_until, a.category).cmp(&(b.retention_until, b.category)));
        Ok(out)
    }
}
