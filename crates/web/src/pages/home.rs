//! The caseworker's start page: their caseload and a search box.

use askama::Template;
use axum::response::Response;
use zv_core::caseload::CaseloadItem;

use super::{Layout, html};
use crate::error::WebError;
use crate::session::CurrentStaff;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    l: Layout,
    confidentiality_signed: bool,
    open: Vec<CaseloadItem>,
    closed: Vec<CaseloadItem>,
}

pub async fn dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let signed = staff.actor.confidentiality_signed;
    // ACC-8: without the statement the core refuses every client read; the page says why
    // instead of failing.
    let caseload = if signed {
        state.app.caseload(&staff.as_actor()).await?
    } else {
        zv_core::caseload::Caseload::default()
    };
    html(&Dashboard {
        l: Layout::staff(&staff, "title-caseload"),
        confidentiality_signed: signed,
        open: caseload.open,
        closed: caseload.closed,
    })
}
