//! The k-anonymous export for training and research (SHR-5, decision 0039): a page with
//! what the export achieves (the policy's k and the k reached, how many records go out
//! and how many are left out, how far each attribute was coarsened) and the CSV itself.
//! The core generalises and records; this module words the summary. The CSV's header
//! and values are codes, the same in either language, so a research tool reads every
//! download alike; the page explains each column in the reader's language.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use zv_core::reports::training::{Attribute, TrainingSummary, render_csv};

use super::processing_register::file;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// One attribute's line in the summary.
pub(crate) struct LevelLine {
    pub attribute: String,
    pub level: String,
}

#[derive(Template)]
#[template(path = "training_export.html")]
struct TrainingPage {
    l: Layout,
    summary: TrainingSummary,
    levels: Vec<LevelLine>,
    may_export: bool,
    suppression_percent: usize,
}

/// An attribute in the reader's words.
pub(crate) fn attribute_words(tr: Tr, a: Attribute) -> String {
    match a {
        Attribute::Service => tr.t("training-attr-service"),
        Attribute::Place => tr.t("training-attr-place"),
        Attribute::Age => tr.t("training-attr-age"),
        Attribute::Gender => tr.t("training-attr-gender"),
        Attribute::Period => tr.t("training-attr-period"),
        Attribute::Duration => tr.t("training-attr-duration"),
    }
}

/// A level of an attribute (0 the finest) in the reader's words; the top is "everyone".
pub(crate) fn level_words(tr: Tr, a: Attribute, level: usize) -> String {
    if level + 1 >= a.levels().len() {
        return tr.t("training-level-all");
    }
    match (a, level) {
        (Attribute::Service, _) => tr.t("training-level-service"),
        (Attribute::Place, 0) => tr.t("training-level-municipality"),
        (Attribute::Place, _) => tr.t("training-level-branch"),
        (Attribute::Age, 0) => tr.t("training-level-age-band"),
        (Attribute::Age, _) => tr.t("training-level-minor-or-adult"),
        (Attribute::Gender, _) => tr.t("training-level-gender"),
        (Attribute::Period, 0) => tr.t("training-level-quarter"),
        (Attribute::Period, _) => tr.t("training-level-year"),
        (Attribute::Duration, 0) => tr.t("training-level-duration-band"),
        (Attribute::Duration, _) => tr.t("training-level-closed-or-ongoing"),
    }
}

/// The levels of a summary in the reader's words.
pub(crate) fn level_lines(tr: Tr, s: &TrainingSummary) -> Vec<LevelLine> {
    s.levels
        .iter()
        .map(|g| LevelLine {
            attribute: attribute_words(tr, g.attribute),
            level: level_words(tr, g.attribute, g.level),
        })
        .collect()
}

pub async fn screen(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let summary = state.app.training_summary(&actor).await?;
    html(&TrainingPage {
        levels: level_lines(staff.tr, &summary),
        may_export: state.app.training_export_capability(&actor)?,
        suppression_percent: zv_core::reports::training::MAX_SUPPRESSED_PERCENT,
        summary,
        l: Layout::staff(&staff, "training-title"),
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let export = state.app.training_export(&staff.as_actor()).await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "training-export.csv",
        render_csv(&export.records)?,
    ))
}
