//! Withholding parts of the dossier from the client (POR-2) in the staff web app: the
//! worker on the case withholds an entry or an exact passage of it on a ground, with an
//! explanation the client never sees, and lifts it with a reason; the privacy officer
//! reviews the withholdings in force. The core decides who may do what (the Cedar rules
//! of `access/por2_withholding.cedar`) and what the client then sees.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::withholdings::{
    EntryWithholdings, Ground, NewWithholding, ReviewOutcome, Scope, WithholdingView,
};
use zv_domain::{EntryId, UserId};

use super::dossier::{kind_label, local_time};
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// A ground in the reader's language.
pub(crate) fn ground_label(tr: Tr, g: Ground) -> String {
    match g {
        Ground::OthersData => tr.t("withhold-ground-others-data"),
        Ground::ProtectionOfOthers => tr.t("withhold-ground-protection-of-others"),
        Ground::PreventionOfCrime => tr.t("withhold-ground-prevention-of-crime"),
        Ground::Safety => tr.t("withhold-ground-safety"),
    }
}

/// What stands in the client's text where a passage was withheld.
pub(crate) fn marker(tr: Tr, g: Ground) -> String {
    match g {
        Ground::OthersData => tr.t("withhold-marker-others-data"),
        Ground::ProtectionOfOthers => tr.t("withhold-marker-protection-of-others"),
        Ground::PreventionOfCrime => tr.t("withhold-marker-prevention-of-crime"),
        Ground::Safety => tr.t("withhold-marker-safety"),
    }
}

/// What the client reads in place of an entry withheld as a whole.
pub(crate) fn withheld_notice(tr: Tr, g: Ground) -> String {
    match g {
        Ground::OthersData => tr.t("withhold-notice-others-data"),
        Ground::ProtectionOfOthers => tr.t("withhold-notice-protection-of-others"),
        Ground::PreventionOfCrime => tr.t("withhold-notice-prevention-of-crime"),
        Ground::Safety => tr.t("withhold-notice-safety"),
    }
}

fn scope_label(tr: Tr, s: Scope) -> String {
    match s {
        Scope::Entry => tr.t("withhold-scope-entry"),
        Scope::Passage => tr.t("withhold-scope-passage"),
    }
}

fn outcome_label(tr: Tr, o: ReviewOutcome) -> String {
    match o {
        ReviewOutcome::Agree => tr.t("withhold-review-agree"),
        ReviewOutcome::AskToLift => tr.t("withhold-review-ask-to-lift"),
    }
}

/// The badge a withholding in force gets on its entry in the staff's dossier.
pub(crate) fn badge(tr: Tr, w: &WithholdingView) -> String {
    let mut parts = vec![
        tr.t("withhold-badge"),
        scope_label(tr, w.scope),
        ground_label(tr, w.ground),
    ];
    if w.hide_fact {
        parts.push(tr.t("withhold-hide-fact-short"));
    }
    parts.push(match &w.review {
        None => tr.t("withhold-not-reviewed"),
        Some(r) => outcome_label(tr, r.outcome),
    });
    if w.passage_found == Some(false) {
        parts.push(tr.t("withhold-passage-lost"));
    }
    parts.join(" · ")
}

/// The refusal of one field of these forms, in the reader's language. The core names the
/// field; its English message says which rule, for the API and the logs.
fn refusal(tr: Tr, e: &CoreError) -> (&'static str, String) {
    match e {
        CoreError::Invalid { field, problem } => {
            let key = match *field {
                // The one refusal the worker can only fix by looking at the text again.
                "passage" if problem.contains("does not occur") => {
                    "withhold-error-passage-not-found"
                }
                "passage" => "withhold-error-passage",
                "scope" => "withhold-error-scope",
                "ground" => "withhold-error-ground",
                "explanation" => "withhold-error-explanation",
                "reason" => "withhold-error-reason",
                "outcome" => "withhold-error-outcome",
                "note" => "withhold-error-note",
                _ => "invalid-generic",
            };
            (*field, tr.t(key))
        }
        CoreError::Conflict(_) => ("_form", tr.t("withhold-error-conflict")),
        _ => ("_form", tr.t("invalid-generic")),
    }
}

/// A withholding as a line of the entry's page.
struct Line {
    id: String,
    scope: String,
    passage: Option<String>,
    ground: String,
    explanation: String,
    hide_fact: bool,
    by: String,
    at: String,
    in_force: bool,
    lifted: Option<String>,
    review: Option<String>,
    passage_lost: bool,
}

fn line(tr: Tr, w: &WithholdingView, names: &HashMap<UserId, String>) -> Line {
    let name = |u: &UserId| names.get(u).cloned().unwrap_or_default();
    Line {
        id: w.id.to_string(),
        scope: scope_label(tr, w.scope),
        passage: w.passage.clone(),
        ground: ground_label(tr, w.ground),
        explanation: w.explanation.clone(),
        hide_fact: w.hide_fact,
        by: name(&w.created_by),
        at: local_time(w.created_at),
        in_force: w.lifted_at.is_none(),
        lifted: w.lifted_at.map(|at| {
            format!(
                "{} {} · {}",
                local_time(at),
                w.lifted_by.as_ref().map(name).unwrap_or_default(),
                w.lift_reason.clone().unwrap_or_default()
            )
        }),
        review: w.review.as_ref().map(|r| {
            let mut s = format!(
                "{} · {} · {}",
                outcome_label(tr, r.outcome),
                name(&r.by),
                local_time(r.at)
            );
            if let Some(n) = &r.note {
                s.push_str(" · ");
                s.push_str(n);
            }
            s
        }),
        passage_lost: w.passage_found == Some(false),
    }
}

/// What the withhold form held, kept when it is refused.
#[derive(Default, Deserialize)]
pub struct WithholdForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    passage: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    hide_fact: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct LiftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    entry: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "withhold.html")]
struct EntryPage {
    l: Layout,
    entry_id: String,
    trajectory_id: String,
    kind: String,
    title: String,
    body: String,
    lines: Vec<Line>,
    may_withhold: bool,
    grounds: Vec<(String, String)>,
    form: WithholdForm,
    errors: HashMap<&'static str, String>,
    /// The withholding whose lift form was refused, and why.
    lift_error: Option<(String, String)>,
    lift_reason: String,
}

fn grounds(tr: Tr) -> Vec<(String, String)> {
    Ground::ALL
        .iter()
        .map(|g| (g.code().to_owned(), ground_label(tr, *g)))
        .collect()
}

async fn entry_page(
    state: &AppState,
    staff: &CurrentStaff,
    entry: EntryId,
    form: WithholdForm,
    errors: HashMap<&'static str, String>,
    lift_error: Option<(String, String)>,
    lift_reason: String,
) -> Result<Response, WebError> {
    let EntryWithholdings {
        trajectory,
        entry: e,
        withholdings,
        may_withhold,
    } = state
        .app
        .entry_withholdings(&staff.as_actor(), entry)
        .await?;
    let names = state.app.staff_names().await?;
    let tr = staff.tr;
    let status = if errors.is_empty() && lift_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut form = form;
    if form.scope.is_empty() {
        Scope::Passage.code().clone_into(&mut form.scope);
    }
    let mut r = html(&EntryPage {
        l: Layout::staff(staff, "title-withhold-entry"),
        entry_id: e.id.to_string(),
        trajectory_id: trajectory.id.to_string(),
        kind: kind_label(tr, e.kind).to_owned(),
        title: e.title.clone(),
        body: e.body.clone(),
        lines: withholdings.iter().map(|w| line(tr, w, &names)).collect(),
        may_withhold,
        grounds: grounds(tr),
        form,
        errors,
        lift_error,
        lift_reason,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

fn entry_of(raw: &str) -> Result<EntryId, WebError> {
    forms::uuid_of(raw).map(EntryId::from_uuid)
}

/// The entry's page: its text, what is withheld of it, and the forms.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let entry = entry_of(&id)?;
    entry_page(
        &state,
        &staff,
        entry,
        WithholdForm::default(),
        HashMap::new(),
        None,
        String::new(),
    )
    .await
}

/// Withholds the entry or a passage of it. Every field is checked; a refusal keeps what
/// was typed and stores nothing.
pub async fn withhold(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<WithholdForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let entry = entry_of(&id)?;
    let tr = staff.tr;
    let mut errors = HashMap::new();
    let scope = Scope::from_code(f.scope.trim());
    if scope.is_none() {
        errors.insert("scope", tr.t("withhold-error-scope"));
    }
    let ground = Ground::from_code(f.ground.trim());
    if ground.is_none() {
        errors.insert("ground", tr.t("withhold-error-ground"));
    }
    // The core checks these again; checked here too so one submit names every field.
    if scope == Some(Scope::Passage)
        && f.passage.trim().chars().count() < zv_core::withholdings::PASSAGE_MIN_CHARS
    {
        errors.insert("passage", tr.t("withhold-error-passage"));
    }
    if f.explanation.trim().chars().count() < 10 {
        errors.insert("explanation", tr.t("withhold-error-explanation"));
    }
    let result = match (scope, ground) {
        (Some(scope), Some(ground)) if errors.is_empty() => {
            state
                .app
                .withhold(
                    &staff.as_actor(),
                    entry,
                    NewWithholding {
                        scope,
                        // A passage typed while "the whole entry" is chosen is ignored,
                        // not refused: the choice of scope says what is meant.
                        passage: (scope == Scope::Passage).then(|| f.passage.clone()),
                        ground,
                        explanation: f.explanation.clone(),
                        hide_fact: forms::checked(&f.hide_fact),
                    },
                )
                .await
                .map(|_| ())
        }
        _ => Ok(()),
    };
    match result {
        Ok(()) if errors.is_empty() => {
            Ok(Redirect::to(&format!("/items/{entry}/achterhouden#withholdings")).into_response())
        }
        Ok(()) => entry_page(&state, &staff, entry, f, errors, None, String::new()).await,
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (field, message) = refusal(tr, &e);
            errors.insert(field, message);
            entry_page(&state, &staff, entry, f, errors, None, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Lifts a withholding, with a reason: the client sees that part again.
pub async fn lift(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<LiftForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let entry = entry_of(&f.entry)?;
    match state
        .app
        .lift_withholding(&staff.as_actor(), id, &f.reason)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/items/{entry}/achterhouden#withholdings")).into_response())
        }
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (_, message) = refusal(staff.tr, &e);
            entry_page(
                &state,
                &staff,
                entry,
                WithholdForm::default(),
                HashMap::new(),
                Some((id.to_string(), message)),
                f.reason,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// The privacy officer's review

struct OpenLine {
    id: String,
    client: String,
    scope: String,
    ground: String,
    hide_fact: bool,
    by: String,
    at: String,
    asked_to_lift: Option<String>,
}

#[derive(Template)]
#[template(path = "withholdings_review.html")]
struct ReviewListPage {
    l: Layout,
    open: Vec<OpenLine>,
}

#[derive(Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "withholding_review.html")]
struct ReviewPage {
    l: Layout,
    w: Line,
    id: String,
    client: String,
    trajectory: String,
    form: ReviewForm,
    errors: HashMap<&'static str, String>,
}

/// The withholdings the privacy officer still has to look at.
pub async fn review_list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let open = state.app.withholdings_to_review(&staff.as_actor()).await?;
    let names = state.app.staff_names().await?;
    let tr = staff.tr;
    html(&ReviewListPage {
        l: Layout::staff(&staff, "title-withhold-review-list"),
        open: open
            .iter()
            .map(|w| OpenLine {
                id: w.id.to_string(),
                client: w.client.to_string(),
                scope: scope_label(tr, w.scope),
                ground: ground_label(tr, w.ground),
                hide_fact: w.hide_fact,
                by: names.get(&w.created_by).cloned().unwrap_or_default(),
                at: local_time(w.created_at),
                asked_to_lift: w.asked_to_lift_at.map(local_time),
            })
            .collect(),
    })
}

async fn review_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    form: ReviewForm,
    errors: HashMap<&'static str, String>,
) -> Result<Response, WebError> {
    let w = state
        .app
        .withholding_for_review(&staff.as_actor(), id)
        .await?;
    let names = state.app.staff_names().await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&ReviewPage {
        l: Layout::staff(staff, "title-withhold-review"),
        id: w.id.to_string(),
        client: w.client.to_string(),
        trajectory: w.trajectory.to_string(),
        w: line(staff.tr, &w, &names),
        form,
        errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// One withholding with its passage and explanation, and the review form.
pub async fn review_detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    review_page(&state, &staff, id, ReviewForm::default(), HashMap::new()).await
}

/// Records the privacy officer's review: agree, or ask to lift with a note.
pub async fn review(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let Some(outcome) = ReviewOutcome::from_code(f.outcome.trim()) else {
        let errors = HashMap::from([("outcome", staff.tr.t("withhold-error-outcome"))]);
        return review_page(&state, &staff, id, f, errors).await;
    };
    match state
        .app
        .review_withholding(&staff.as_actor(), id, outcome, &f.note)
        .await
    {
        Ok(()) => Ok(Redirect::to("/privacy/achterhoudingen").into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (field, message) = refusal(staff.tr, &e);
            let errors = HashMap::from([(field, message)]);
            review_page(&state, &staff, id, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
