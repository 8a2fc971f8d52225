//! What a granted rights request does, in the staff web app, on one page per client
//! (`/clienten/{id}/rechten`): correct factual data with its history (RTS-5), freeze
//! trajectories on a ground of art. 18 with the notice before lifting (RTS-7), record
//! the balancing of an objection (RTS-9) and register a withdrawal of consent (RTS-10).
//! The core decides who may do what (`access/rts7_restriction.cedar`); a refused form
//! keeps what was typed and names the field.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zv_core::processing_stops::{
    NoticeChannel, ObjectionInput, ObjectionOutcome, RestrictionGround, RestrictionInput, StopKind,
    WithdrawalInput,
};
use zv_core::rectification::{RectificationInput, RectifiedField};
use zv_core::{Actor, CoreError};
use zv_domain::{ClientId, TrajectoryId};

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The staff's routes of this module; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clienten/{id}/rechten", get(page))
        .route("/clienten/{id}/rechten/rectificatie", post(rectify))
        .route("/clienten/{id}/rechten/beperking", post(restrict))
        .route("/clienten/{id}/rechten/bezwaar", post(objection))
        .route("/clienten/{id}/rechten/toestemming", post(withdraw))
        .route("/bevriezingen/{id}/kennisgeving", post(notice))
        .route("/bevriezingen/{id}/opheffen", post(lift))
}

/// Everything any form of the page can hold; each form posts its own fields.
#[derive(Default, Deserialize)]
pub struct RightsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    ground: String,
    /// The restriction's scope: one trajectory, or blank for all of them.
    #[serde(default)]
    trajectories: String,
    #[serde(default)]
    trajectory: String,
    #[serde(default)]
    situation: String,
    #[serde(default)]
    grounds: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    withdrawn_on: String,
    #[serde(default)]
    notice_on: String,
    #[serde(default)]
    how: String,
}

struct TrajectoryLine {
    id: String,
    label: String,
    basis: String,
    frozen: Option<String>,
}

struct HistoryLine {
    field: String,
    old: String,
    new: String,
    reason: String,
    by: String,
    at: String,
}

struct StopLine {
    id: String,
    trajectory: String,
    kind: String,
    ground: Option<String>,
    reason: String,
    by: String,
    at: String,
    notice: Option<String>,
    lifted: Option<String>,
    in_force: bool,
    has_notice: bool,
}

#[derive(Template)]
#[template(path = "rights_effects.html")]
struct RightsPage {
    l: Layout,
    client_id: String,
    trajectories: Vec<TrajectoryLine>,
    history: Vec<HistoryLine>,
    may_rectify: bool,
    stops: Vec<StopLine>,
    objections: Vec<(String, String, String, String, String)>,
    withdrawals: Vec<(String, String, String)>,
    may_freeze: bool,
    may_withdraw: bool,
    fields: Vec<(String, String)>,
    grounds: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    /// Which form the typed values and errors belong to.
    open: String,
    /// The freeze whose notice or lift form was refused.
    open_stop: String,
    form: RightsForm,
    errors: HashMap<&'static str, String>,
    today: String,
}

fn field_label(tr: Tr, f: RectifiedField) -> String {
    tr.t(&format!("rights-field-{}", f.code().replace('_', "-")))
}

fn kind_label(tr: Tr, k: StopKind) -> String {
    tr.t(&format!("rights-kind-{}", k.code().replace('_', "-")))
}

fn ground_label(tr: Tr, g: RestrictionGround) -> String {
    tr.t(&format!("rights-ground-{}", g.code().replace('_', "-")))
}

fn channel_label(tr: Tr, c: NoticeChannel) -> String {
    tr.t(&format!("rights-how-{}", c.code().replace('_', "-")))
}

/// The refusal of one field of these forms, in the reader's language.
fn refusal(tr: Tr, e: &CoreError) -> (&'static str, String) {
    match e {
        CoreError::Invalid { field, .. } => {
            let key = match *field {
                "value" => "rights-error-value",
                "field" => "rights-error-field",
                "reason" => "rights-error-reason",
                "request" => "rights-error-request",
                "ground" => "rights-error-ground",
                "trajectories" => "rights-error-trajectories",
                "trajectory" => "rights-error-trajectory",
                "situation" => "rights-error-situation",
                "grounds" => "rights-error-grounds",
                "outcome" => "rights-error-outcome",
                "withdrawn_on" => "rights-error-withdrawn-on",
                "notice_on" => "rights-error-notice-on",
                "how" => "rights-error-how",
                _ => "invalid-generic",
            };
            (*field, tr.t(key))
        }
        CoreError::Conflict(why) if why.contains("told before") => {
            ("_form", tr.t("rights-error-notice-first"))
        }
        CoreError::Conflict(_) => ("_form", tr.t("rights-error-conflict")),
        _ => ("_form", tr.t("invalid-generic")),
    }
}

fn client_of(raw: &str) -> Result<ClientId, WebError> {
    forms::uuid_of(raw).map(ClientId::from_uuid)
}

/// An optional request id: blank is none.
fn request_of(raw: &str) -> Result<Option<uuid::Uuid>, CoreError> {
    forms::uuid_opt("request", "not a request id", raw)
}

async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    client: ClientId,
    open: &str,
    open_stop: String,
    form: RightsForm,
    errors: HashMap<&'static str, String>,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let tr = staff.tr;
    let stops = state.app.processing_stops_of_client(&actor, client).await?;
    let rect = state.app.rectifications(&actor, client).await?;
    let label_of = |id: &TrajectoryId| {
        stops
            .trajectories
            .iter()
            .find(|t| t.id == *id)
            .map(|t| format!("{} ({})", t.service_type, t.opened_on))
            .unwrap_or_default()
    };
    let name = |u: &zv_domain::UserId| stops.names.get(u).cloned().unwrap_or_default();
    let trajectories = stops
        .trajectories
        .iter()
        .map(|t| TrajectoryLine {
            id: t.id.to_string(),
            label: format!("{} ({})", t.service_type, t.opened_on),
            basis: state
                .app
                .policy()
                .service_type(&t.service_type)
                .map(|s| zv_core::processing_stops::legal_basis_code(s.legal_basis).to_owned())
                .unwrap_or_default(),
            frozen: t
                .frozen
                .map(|f| tr.t1(f.banner_key(), "date", &f.since_day())),
        })
        .collect();
    let history = rect
        .history
        .iter()
        .map(|h| {
            let value = |v: &Option<String>| {
                if h.values_withheld {
                    tr.t("rights-withheld")
                } else {
                    v.clone().unwrap_or_default()
                }
            };
            HistoryLine {
                field: field_label(tr, h.field),
                old: value(&h.old_value),
                new: value(&h.new_value),
                reason: h.reason.clone(),
                by: h.corrected_by_name.clone(),
                at: local_time(h.corrected_at),
            }
        })
        .collect();
    let stop_lines = stops
        .stops
        .iter()
        .map(|s| StopLine {
            id: s.id.to_string(),
            trajectory: label_of(&s.trajectory),
            kind: kind_label(tr, s.kind),
            ground: s.ground.map(|g| ground_label(tr, g)),
            reason: s.reason.clone(),
            by: name(&s.started_by),
            at: local_time(s.started_at),
            notice: s.notice_on.map(|d| {
                format!(
                    "{d} · {} · {}",
                    s.notice_how
                        .map(|c| channel_label(tr, c))
                        .unwrap_or_default(),
                    s.notice_by.as_ref().map(name).unwrap_or_default()
                )
            }),
            lifted: s.lifted_at.map(|at| {
                format!(
                    "{} · {} · {}",
                    local_time(at),
                    s.lifted_by.as_ref().map(name).unwrap_or_default(),
                    s.lift_reason.clone().unwrap_or_default()
                )
            }),
            in_force: s.lifted_at.is_none(),
            has_notice: s.notice_on.is_some(),
        })
        .collect();
    let objections = stops
        .objections
        .iter()
        .map(|o| {
            (
                label_of(&o.trajectory),
                tr.t(&format!("rights-outcome-{}", o.outcome.code())),
                o.situation.clone(),
                o.grounds.clone(),
                format!("{} · {}", name(&o.decided_by), local_time(o.decided_at)),
            )
        })
        .collect();
    let withdrawals = stops
        .withdrawals
        .iter()
        .map(|w| {
            (
                w.withdrawn_on.to_string(),
                format!(
                    "{} · {}",
                    tr.t1("rights-withdrawal-frozen", "count", &w.trajectories_frozen),
                    tr.t1("rights-withdrawal-ended", "count", &w.consents_ended)
                ),
                format!(
                    "{} · {}",
                    name(&w.registered_by),
                    local_time(w.registered_at)
                ),
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&RightsPage {
        l: Layout::staff(staff, "title-rights-effects"),
        client_id: client.to_string(),
        trajectories,
        history,
        may_rectify: rect.may_rectify,
        stops: stop_lines,
        objections,
        withdrawals,
        may_freeze: stops.may_freeze,
        may_withdraw: stops.may_withdraw,
        fields: RectifiedField::ALL
            .iter()
            .map(|f| (f.code().to_owned(), field_label(tr, *f)))
            .collect(),
        grounds: RestrictionGround::ALL
            .iter()
            .map(|g| (g.code().to_owned(), ground_label(tr, *g)))
            .collect(),
        channels: NoticeChannel::ALL
            .iter()
            .map(|c| (c.code().to_owned(), channel_label(tr, *c)))
            .collect(),
        outcomes: ObjectionOutcome::ALL
            .iter()
            .map(|o| {
                (
                    o.code().to_owned(),
                    tr.t(&format!("rights-outcome-{}", o.code())),
                )
            })
            .collect(),
        open: open.to_owned(),
        open_stop,
        form,
        errors,
        today: state.app.clock().today().to_string(),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// After a form: back to the page, or the page again with the refusals.
async fn outcome(
    state: &AppState,
    staff: &CurrentStaff,
    client: ClientId,
    open: &str,
    open_stop: String,
    form: RightsForm,
    result: Result<(), CoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/clienten/{client}/rechten#{open}")).into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (field, message) = refusal(staff.tr, &e);
            let errors = HashMap::from([(field, message)]);
            render(state, staff, client, open, open_stop, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The page: history of corrections, freezes, decisions, and the forms the reader may use.
/// `?verzoek=` names the rights request the privacy officer came from (the request page
/// links here by kind); its id is filled in on every form. Anything else is ignored.
#[derive(Deserialize, Default)]
pub struct FromRequest {
    #[serde(default)]
    verzoek: String,
}

pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(from): Query<FromRequest>,
) -> Result<Response, WebError> {
    let client = client_of(&id)?;
    let request = request_of(&from.verzoek)
        .ok()
        .flatten()
        .map(|r| r.to_string())
        .unwrap_or_default();
    render(
        &state,
        &staff,
        client,
        "",
        String::new(),
        RightsForm {
            request,
            ..RightsForm::default()
        },
        HashMap::new(),
    )
    .await
}

/// Runs a form of the client's page: the CSRF check, the core call with what was typed,
/// then back to the page, or the page again with the refusal under `open`'s form.
async fn on_client(
    state: &AppState,
    staff: &CurrentStaff,
    id: &str,
    open: &str,
    f: RightsForm,
    act: impl AsyncFnOnce(&Actor, ClientId, &RightsForm) -> Result<(), CoreError>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let client = client_of(id)?;
    let result = act(&staff.as_actor(), client, &f).await;
    outcome(state, staff, client, open, String::new(), f, result).await
}

/// Runs a form of one freeze (`id`) on the client's page, as [`on_client`] does.
async fn on_stop(
    state: &AppState,
    staff: &CurrentStaff,
    id: &str,
    f: RightsForm,
    act: impl AsyncFnOnce(&Actor, uuid::Uuid, &RightsForm) -> Result<(), CoreError>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let stop = forms::uuid_of(id)?;
    let client = client_of(&f.client)?;
    let result = act(&staff.as_actor(), stop, &f).await;
    outcome(state, staff, client, "stops", stop.to_string(), f, result).await
}

pub async fn rectify(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_client(
        &state,
        &staff,
        &id,
        "rectify",
        f,
        async |actor, client, f| {
            let field = RectifiedField::from_code(f.field.trim())
                .ok_or_else(|| CoreError::invalid("field", "choose a field"))?;
            let request = request_of(&f.request)?;
            let input = RectificationInput {
                field,
                value: f.value.clone(),
                reason: f.reason.clone(),
                request,
            };
            state.app.rectify(actor, client, input).await.map(|_| ())
        },
    )
    .await
}

pub async fn restrict(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_client(
        &state,
        &staff,
        &id,
        "restrict",
        f,
        async |actor, client, f| {
            let ground = RestrictionGround::from_code(f.ground.trim())
                .ok_or_else(|| CoreError::invalid("ground", "choose a ground"))?;
            let trajectories =
                forms::uuid_opt("trajectories", "not a trajectory", &f.trajectories)?
                    .map(TrajectoryId::from_uuid)
                    .into_iter()
                    .collect();
            let input = RestrictionInput {
                trajectories,
                ground,
                reason: f.reason.clone(),
                request: request_of(&f.request)?,
            };
            let app = &state.app;
            app.restrict_processing(actor, client, input)
                .await
                .map(|_| ())
        },
    )
    .await
}

pub async fn objection(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_client(&state, &staff, &id, "objection", f, async |actor, _, f| {
        let trajectory = f
            .trajectory
            .trim()
            .parse::<uuid::Uuid>()
            .map(TrajectoryId::from_uuid)
            .map_err(|_| CoreError::invalid("trajectory", "choose a trajectory"))?;
        let input = ObjectionInput {
            situation: f.situation.clone(),
            grounds: f.grounds.clone(),
            outcome: ObjectionOutcome::from_code(f.outcome.trim())
                .ok_or_else(|| CoreError::invalid("outcome", "choose an outcome"))?,
            request: request_of(&f.request)?,
        };
        let app = &state.app;
        app.decide_objection(actor, trajectory, input)
            .await
            .map(|_| ())
    })
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_client(
        &state,
        &staff,
        &id,
        "withdraw",
        f,
        async |actor, client, f| {
            let input = WithdrawalInput {
                withdrawn_on: forms::date("withdrawn_on", &f.withdrawn_on)?,
                request: request_of(&f.request)?,
            };
            let app = &state.app;
            app.withdraw_consent(actor, client, input).await.map(|_| ())
        },
    )
    .await
}

pub async fn notice(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_stop(&state, &staff, &id, f, async |actor, stop, f| {
        let on = forms::date("notice_on", &f.notice_on);
        let how = NoticeChannel::from_code(f.how.trim())
            .ok_or_else(|| CoreError::invalid("how", "choose how"));
        state.app.record_stop_notice(actor, stop, on?, how?).await
    })
    .await
}

pub async fn lift(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    on_stop(&state, &staff, &id, f, async |actor, stop, f| {
        state.app.lift_stop(actor, stop, &f.reason).await
    })
    .await
}
