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
    granted: Vec<(CaseloadItem, String)>,
    recent: Vec<(CaseloadItem, String)>,
    attention: Vec<CaseloadItem>,
    quiet_days: i64,
    /// For the privacy officer: emergency accesses not yet reviewed (ACC-5).
    unreviewed_emergencies: Option<u64>,
    /// For the privacy officer: open requests escalated past their deadline (RTS-3), id
    /// and the notice naming the reference; it goes when the request is closed.
    escalated: Vec<(String, String)>,
    /// For the privacy officer: disclosures to tell the client of or to review, and
    /// processors whose agreement is missing or ends soon (SHR-3, SHR-4).
    sharing_due: usize,
    /// For the privacy officer: trajectories reaching their term within the schedule's
    /// horizon or past it and waiting (RET-5).
    retention_due: u64,
    /// For the privacy officer: the breaches not closed with their 72-hour clock
    /// (TRN-3): id, reference, deadline in local time, the clock in words, escalated.
    breaches: Vec<(String, String, String, String, bool)>,
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
    let officer = staff.actor.roles.contains(&zv_domain::Role::PrivacyOfficer);
    let unreviewed_emergencies = if officer {
        Some(
            state
                .app
                .unreviewed_emergency_accesses(&staff.as_actor())
                .await?,
        )
    } else {
        None
    };
    // RTS-3: the in-app notice of an escalated request, on the start page too.
    let escalated = if officer {
        state
            .app
            .request_queue(&staff.as_actor())
            .await?
            .into_iter()
            .filter(|q| q.escalated_at.is_some())
            .map(|q| {
                (
                    q.line.id.to_string(),
                    staff
                        .tr
                        .t1("dashboard-escalated-notice", "reference", &q.line.reference),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let sharing_due = if officer {
        let q = state.app.disclosure_queue(&staff.as_actor()).await?;
        q.notices_due.len()
            + q.safety_reviews.len()
            + state
                .app
                .agreements_needing_attention(&staff.as_actor())
                .await?
                .len()
    } else {
        0
    };
    let retention_due = if officer {
        state.app.retention_due_count(&staff.as_actor()).await?
    } else {
        0
    };
    let tr = staff.tr;
    // TRN-3: the running clocks, escalated ones first, at every visit.
    let breaches = if officer {
        state
            .app
            .breach_clocks(&staff.as_actor())
            .await?
            .into_iter()
            .map(|b| {
                (
                    b.id.to_string(),
                    b.reference,
                    b.clock.deadline_local.clone(),
                    super::breaches::clock_words(tr, &b.clock),
                    b.clock.state.escalated(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    html(&Dashboard {
        breaches,
        retention_due,
        sharing_due,
        l: Layout::staff(&staff, "title-caseload"),
        confidentiality_signed: signed,
        open: caseload.open,
        closed: caseload.closed,
        recent: caseload
            .recent
            .into_iter()
            .map(|i| {
                let at = super::dossier::local_time(i.trajectory.last_change_at);
                (i, at)
            })
            .collect(),
        attention: caseload.attention,
        quiet_days: zv_core::caseload::QUIET_DAYS,
        granted: caseload
            .granted
            .into_iter()
            .map(|(item, kind)| {
                (
                    item,
                    tr.t(&format!("grant-kind-{}", kind.replace('_', "-"))),
                )
            })
            .collect(),
        unreviewed_emergencies,
        escalated,
    })
}
