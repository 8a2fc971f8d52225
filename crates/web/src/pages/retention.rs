//! Retention on screen (RET-1, RET-2, RET-5): the "Bewaartermijn" block of a dossier
//! (date, rule, extension, holds, with the forms for those who may decide), its own page
//! for a refused form and for the privacy officer coming from the schedule, and the
//! destruction schedule `/privacy/bewaartermijnen`, which names no client.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::retention::{
    ExtensionInput, HoldInput, HoldKind, RetentionStatus, RetentionView, Schedule,
};
use zv_domain::TrajectoryId;

use super::forms::{self, FieldErrors};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// One hold as shown.
pub struct HoldLine {
    pub id: String,
    pub kind: String,
    pub reason: String,
    pub scope: String,
    pub placed: String,
    pub released: Option<String>,
}

/// The "Bewaartermijn" block, ready for the template, with the forms' values and
/// refusals when a form came back.
pub struct RetentionBlock {
    pub trajectory: String,
    pub rule: String,
    pub rule_note: Option<String>,
    pub retention_until: Option<String>,
    pub keep_until: Option<String>,
    pub status: String,
    /// The extension in force: until, reason, by whom and when.
    pub extension: Option<(String, String, String)>,
    pub earlier: Vec<(String, String, String)>,
    pub holds: Vec<HoldLine>,
    /// Why it is held without a hold by hand: an open rights request, an open complaint.
    pub automatic: Vec<String>,
    pub client_keep_until: Option<String>,
    pub may_decide: bool,
    /// The rule allows an extension and the term has started.
    pub extendable: bool,
    pub extension_from: String,
    pub extension_to: Option<String>,
    pub kinds: Vec<(String, String)>,
    pub until_value: String,
    pub reason_value: String,
    pub hold_reason_value: String,
    pub hold_kind_value: String,
    pub errors: BlockErrors,
}

/// The refusals of the block's two forms, per field.
#[derive(Default)]
pub struct BlockErrors {
    pub until: Option<String>,
    pub reason: Option<String>,
    pub kind: Option<String>,
    pub hold_reason: Option<String>,
    pub general: Option<String>,
}

fn status_label(tr: Tr, s: RetentionStatus) -> String {
    match s {
        RetentionStatus::Open => tr.t("retention-status-open"),
        RetentionStatus::Kept => tr.t("retention-status-kept"),
        RetentionStatus::Extended => tr.t("retention-status-extended"),
        RetentionStatus::Held => tr.t("retention-status-held"),
        RetentionStatus::Due => tr.t("retention-status-due"),
    }
}

fn held_by_label(tr: Tr, code: &str) -> String {
    match code {
        "legal_claim" => tr.t("retention-hold-legal-claim"),
        "incident" => tr.t("retention-hold-incident"),
        "rights_request" => tr.t("retention-held-by-request"),
        "complaint" => tr.t("retention-held-by-complaint"),
        _ => code.to_owned(),
    }
}

fn day(at: chrono::DateTime<chrono::Utc>) -> String {
    super::dossier::local_time(at)
}

impl RetentionBlock {
    pub(crate) fn of(tr: Tr, v: RetentionView) -> Self {
        let automatic = [
            (v.open_request, "rights_request"),
            (v.open_complaint, "complaint"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, code)| held_by_label(tr, code))
        .collect();
        Self {
            trajectory: v.trajectory.to_string(),
            rule: v.rule.clone(),
            rule_note: v.rule_note.clone(),
            retention_until: v.retention_until.map(|d| d.to_string()),
            keep_until: v.keep_until.map(|d| d.to_string()),
            status: status_label(tr, v.status),
            extension: v.extension.as_ref().map(|e| {
                (
                    e.until.to_string(),
                    e.reason.clone(),
                    format!("{} · {}", e.decided_by_name, day(e.decided_at)),
                )
            }),
            earlier: v
                .earlier_extensions
                .iter()
                .map(|e| {
                    (
                        e.until.to_string(),
                        e.reason.clone(),
                        format!("{} · {}", e.decided_by_name, day(e.decided_at)),
                    )
                })
                .collect(),
            holds: v
                .holds
                .iter()
                .map(|h| HoldLine {
                    id: h.id.to_string(),
                    kind: held_by_label(tr, &h.kind),
                    reason: h.reason.clone(),
                    scope: if h.whole_client {
                        tr.t("retention-hold-scope-client")
                    } else {
                        tr.t("retention-hold-scope-trajectory")
                    },
                    placed: format!("{} · {}", h.placed_by_name, day(h.placed_at)),
                    released: h.released_at.map(|at| {
                        format!(
                            "{} · {}",
                            h.released_by_name.clone().unwrap_or_default(),
                            day(at)
                        )
                    }),
                })
                .collect(),
            automatic,
            client_keep_until: v.client_keep_until.map(|d| d.to_string()),
            may_decide: v.may_decide,
            extendable: v.extension_from.is_some(),
            extension_from: v.extension_from.map(|d| d.to_string()).unwrap_or_default(),
            extension_to: v.extension_to.map(|d| d.to_string()),
            kinds: HoldKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), held_by_label(tr, k.code())))
                .collect(),
            until_value: String::new(),
            reason_value: String::new(),
            hold_reason_value: String::new(),
            hold_kind_value: String::new(),
            errors: BlockErrors::default(),
        }
    }
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    l: Layout,
    retention: RetentionBlock,
}

fn trajectory_id(raw: &str) -> Result<TrajectoryId, WebError> {
    forms::uuid_of(raw).map(TrajectoryId::from_uuid)
}

async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    trajectory: TrajectoryId,
    fill: impl FnOnce(&mut RetentionBlock),
) -> Result<Response, WebError> {
    let v = state
        .app
        .retention_of(&staff.as_actor(), trajectory)
        .await?;
    let mut retention = RetentionBlock::of(staff.tr, v);
    fill(&mut retention);
    let failed = retention.errors.until.is_some()
        || retention.errors.reason.is_some()
        || retention.errors.kind.is_some()
        || retention.errors.hold_reason.is_some()
        || retention.errors.general.is_some();
    let mut r = html(&RetentionPage {
        l: Layout::staff(staff, "title-retention"),
        retention,
    })?;
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `/trajecten/{id}/bewaartermijn`: the block on its own page (the schedule links here).
pub async fn view(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    page(&state, &staff, trajectory_id(&id)?, |_| {}).await
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// Extends the term (RET-5). Every field is checked, so one submit shows every problem.
pub async fn extend(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ExtendForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_id(&id)?;
    let mut errors = FieldErrors::new(staff.tr);
    let until = errors.check(forms::date("until", &f.until));
    errors.check(zv_core::retention::keep_longer::check_reason(&f.reason));
    if let Some(until) = until {
        let result = state
            .app
            .extend_retention(
                &staff.as_actor(),
                trajectory,
                ExtensionInput {
                    until,
                    reason: f.reason.clone(),
                },
            )
            .await;
        match result {
            Ok(_) if errors.is_empty() => {
                return Ok(
                    Redirect::to(&format!("/trajecten/{trajectory}#bewaartermijn")).into_response(),
                );
            }
            // A refused reason was caught above; the core's own refusal names its field.
            Ok(_) => {}
            Err(e @ (CoreError::Invalid { .. } | CoreError::NotAllowed(_))) => errors.add(&e),
            Err(e) => return Err(e.into()),
        }
    }
    page(&state, &staff, trajectory, |b| {
        b.until_value = f.until.clone();
        b.reason_value = f.reason.clone();
        b.errors.until = errors.get("until").cloned();
        b.errors.reason = errors.get("reason").cloned();
        b.errors.general = errors.general().cloned();
    })
    .await
}

#[derive(Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    whole_client: Option<String>,
}

/// Places a hold (RET-5).
pub async fn hold(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HoldForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_id(&id)?;
    let mut errors = FieldErrors::new(staff.tr);
    errors.check(
        HoldKind::from_code(f.kind.trim())
            .ok_or_else(|| CoreError::invalid("kind", "choose a legal claim or an incident")),
    );
    errors.check(zv_core::retention::keep_longer::check_reason(&f.reason));
    if errors.is_empty() {
        let result = state
            .app
            .place_retention_hold(
                &staff.as_actor(),
                trajectory,
                HoldInput {
                    kind: f.kind.clone(),
                    reason: f.reason.clone(),
                    whole_client: forms::checked(&f.whole_client),
                },
            )
            .await;
        match result {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/trajecten/{trajectory}#bewaartermijn")).into_response(),
                );
            }
            Err(e @ (CoreError::Invalid { .. } | CoreError::NotAllowed(_))) => errors.add(&e),
            Err(e) => return Err(e.into()),
        }
    }
    page(&state, &staff, trajectory, |b| {
        b.hold_kind_value = f.kind.clone();
        b.hold_reason_value = f.reason.clone();
        b.errors.kind = errors.get("kind").cloned();
        b.errors.hold_reason = errors.get("reason").cloned();
        b.errors.general = errors.general().cloned();
    })
    .await
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    trajectory: String,
}

/// Releases a hold and goes back to the trajectory it was released from.
pub async fn release(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ReleaseForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let hold = forms::uuid_of(&id)?;
    let back = trajectory_id(&f.trajectory)?;
    match state
        .app
        .release_retention_hold(&staff.as_actor(), hold)
        .await
    {
        Ok(()) | Err(CoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/trajecten/{back}#bewaartermijn")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One line of the schedule as shown.
pub struct ScheduleRow {
    pub trajectory: String,
    pub service: String,
    pub team: String,
    pub rule: String,
    pub until: String,
    pub status: String,
    pub why: Vec<String>,
}

/// A line of records outside the dossiers (activities, photos and video, camera images).
pub struct RecordRow {
    pub category: String,
    pub label: String,
    pub team: String,
    pub rule: String,
    pub until: String,
    pub items: u64,
}

#[derive(Template)]
#[template(path = "retention_schedule.html")]
struct SchedulePage {
    l: Layout,
    today: String,
    until: String,
    truncated: bool,
    rows: Vec<ScheduleRow>,
    records: Vec<RecordRow>,
}

fn rows_of(state: &AppState, tr: Tr, s: &Schedule) -> Vec<ScheduleRow> {
    let policy = state.app.policy();
    let english = tr.lang == crate::i18n::Lang::En;
    s.lines
        .iter()
        .map(|l| {
            let service = policy.service_type(&l.service_type).map_or_else(
                || l.service_type.clone(),
                |st| {
                    if english {
                        st.name_en.clone()
                    } else {
                        st.name_nl.clone()
                    }
                },
            );
            let team = policy
                .team(&l.team)
                .map_or_else(|| l.team.clone(), |t| t.name.clone());
            let mut why: Vec<String> = l.held_by.iter().map(|c| held_by_label(tr, c)).collect();
            why.extend(l.hold_reasons.iter().cloned());
            if let Some(e) = l.extended_until {
                why.push(tr.t1("retention-extended-until", "until", &e));
            }
            ScheduleRow {
                trajectory: l.trajectory.to_string(),
                service,
                team,
                rule: l.rule.clone(),
                until: l.retention_until.to_string(),
                status: status_label(tr, l.status),
                why,
            }
        })
        .collect()
}

/// `/privacy/bewaartermijnen`: the destruction schedule (the privacy officer's).
pub async fn schedule(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let s = state.app.retention_schedule(&staff.as_actor()).await?;
    let rows = rows_of(&state, staff.tr, &s);
    let policy = state.app.policy();
    let records = s
        .records
        .iter()
        .map(|r| RecordRow {
            category: staff.tr.t(&format!("destruction-category-{}", r.category)),
            label: r.label.clone(),
            team: policy
                .team(&r.team)
                .map(|t| t.name.clone())
                .or_else(|| policy.branch(&r.team).map(|b| b.name.clone()))
                .unwrap_or_else(|| r.team.clone()),
            rule: r.rule.clone(),
            until: r.retention_until.to_string(),
            items: r.items,
        })
        .collect();
    html(&SchedulePage {
        l: Layout::staff(&staff, "title-retention-schedule"),
        today: s.today.to_string(),
        until: s.until.to_string(),
        truncated: s.truncated,
        rows,
        records,
    })
}
