//! One module per capability. Each handler: extract who is asking, call the core, render.

pub mod access;
pub mod access_copy;
pub mod activities;
pub mod admin;
pub mod assets;
pub mod audit;
pub mod breaches;
pub mod cameras;
pub mod clients;
pub mod complaints;
pub mod consents;
pub mod correspondence;
pub mod destruction;
pub mod dossier;
pub mod erasure;
pub mod forms;
pub mod home;
pub mod intake;
pub mod meldcode;
pub mod minors;
pub mod newsletters;
pub mod personnel;
pub mod portability;
pub mod portal_access;
pub mod processing_register;
pub mod recordings;
pub mod reports;
pub mod requests;
pub mod retention;
pub mod rights_effects;
pub mod sharing;
pub mod sign_in;
pub mod statement;
pub mod statement_receipts;
pub mod tokens;
pub mod training_export;
pub mod withholdings;

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zv_domain::Role;

use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;

/// What the base layout needs.
pub struct Layout {
    pub tr: Tr,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub show_audit: bool,
    /// The administration of accounts, for administrators (ACC-5).
    pub show_admin: bool,
    /// The newsletters' mailing lists, for who keeps or oversees them (NWS-1).
    pub show_newsletters: bool,
    /// The register of cameras, for who keeps it or holds images (CAM-1).
    pub show_cameras: bool,
    /// Group activities, courses and workshops, for who runs or reviews them (GRP-1..3).
    pub show_activities: bool,
    /// The correspondence register, for who handles or oversees it (RET-3).
    pub show_correspondence: bool,
    /// Vacancies, applicants and staff records, for the roles the policy names (RET-2).
    pub show_personnel: bool,
    /// Financial records, for the roles the policy names (RET-2).
    pub show_finance: bool,
    /// Anonymous reports to municipalities, for management, quality and the privacy
    /// officer (SHR-5).
    pub show_reports: bool,
    /// The k-anonymous export for training and research, for management and the
    /// privacy officer (SHR-5): its link on the reports page.
    pub show_training_export: bool,
}

impl Layout {
    pub fn staff(staff: &CurrentStaff, title_key: &str) -> Self {
        Self {
            tr: staff.tr,
            title: staff.tr.t(title_key),
            user: Some(staff.actor.display_name.clone()),
            csrf: staff.csrf.clone(),
            show_audit: staff.actor.roles.contains(&Role::PrivacyOfficer),
            show_admin: staff.actor.roles.contains(&Role::Administrator),
            show_newsletters: staff.sends_newsletters
                && staff
                    .actor
                    .roles
                    .iter()
                    .any(|r| matches!(r, Role::Manager | Role::TeamLead | Role::PrivacyOfficer)),
            show_cameras: staff.records_camera_images
                && staff.actor.roles.iter().any(|r| {
                    matches!(
                        r,
                        Role::Administrator | Role::TeamLead | Role::PrivacyOfficer
                    )
                }),
            show_activities: staff.runs_activities,
            show_correspondence: staff.keeps_correspondence
                && staff.actor.roles.iter().any(|r| {
                    matches!(
                        r,
                        Role::Caseworker | Role::TeamLead | Role::Manager | Role::PrivacyOfficer
                    )
                }),
            show_personnel: staff.personnel.hr,
            show_finance: staff.personnel.finance,
            show_reports: staff.actor.roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Manager | Role::QualityOfficer | Role::PrivacyOfficer
                )
            }),
            show_training_export: staff
                .actor
                .roles
                .iter()
                .any(|r| matches!(r, Role::Manager | Role::PrivacyOfficer)),
        }
    }

    pub fn anonymous(tr: Tr, title_key: &str, csrf: String) -> Self {
        Self {
            tr,
            title: tr.t(title_key),
            user: None,
            csrf,
            show_audit: false,
            show_admin: false,
            show_newsletters: false,
            show_cameras: false,
            show_activities: false,
            show_correspondence: false,
            show_personnel: false,
            show_finance: false,
            show_reports: false,
            show_training_export: false,
        }
    }
}

/// Renders a template as an HTML response.
pub fn html<T: Template>(t: &T) -> Result<Response, WebError> {
    html_sized(t, 0)
}

/// As [`html`], written into room for `capacity` bytes from the start. askama sizes its
/// buffer by the template's own text, so a page made mostly of rows (a dossier of fifty
/// entries) grew it by doubling, copying what it held each time.
pub fn html_sized<T: Template>(t: &T, capacity: usize) -> Result<Response, WebError> {
    let mut page = String::with_capacity(capacity.max(T::SIZE_HINT));
    t.render_into(&mut page)?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

/// The Dutch (or English) words for a field's refusal. The core's own message is for
/// logs and the API; people get the field named in their language.
pub fn field_error(tr: Tr, e: &zv_core::CoreError) -> String {
    match e {
        zv_core::CoreError::Invalid { field, .. } => {
            let key = format!("invalid-{}", field.replace('_', "-"));
            let text = tr.t(&key);
            if text == key || text.starts_with("Unknown localization") {
                tr.t("invalid-generic")
            } else {
                text
            }
        }
        _ => tr.t("invalid-generic"),
    }
}
