//! The register of processing activities for staff (AVG art. 30, TRN-2, DOS-5): every
//! purpose with its categories, data subjects, recipients, transfers and terms, every
//! category with its purposes, and the security measures, as a page, a CSV and a PDF in
//! Dutch or English. The core builds the register from the policy; this module words it,
//! once, for all three renderings and for the API's files.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::processing_register::{
    ActivityDoc, CategoryDoc, Kept, ProcessingRegister, ProcessingRegisterDoc, render_csv,
    render_pdf,
};
use zv_core::requests::LetterLanguage;
use zv_policy::{Align, Condition, DataCategory, DataSubject, Extension, RetentionRule};

use super::audit::term_words;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::CurrentStaff;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "processing_register.html")]
struct RegisterPage {
    l: Layout,
    doc: ProcessingRegisterDoc,
}

/// `?taal=en` for a file in English; the reader's language otherwise.
#[derive(Default, Deserialize)]
pub struct FileForm {
    #[serde(default)]
    taal: String,
}

fn category_word(tr: Tr, c: DataCategory) -> String {
    tr.t(&format!("procreg-cat-{}", c.code()))
}

fn subject_word(tr: Tr, s: DataSubject) -> String {
    tr.t(&format!("procreg-subject-{}", s.code()))
}

/// The serialized code of a policy enum (start events), which names its message.
fn code_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// "15 jaar na afsluiting van het traject, niet eerder dan ..., daarna geanonimiseerd".
pub(crate) fn rule_words(tr: Tr, rule: &RetentionRule) -> String {
    let mut parts = vec![format!(
        "{} {}",
        term_words(tr, &rule.term),
        tr.t(&format!("procreg-start-{}", code_of(&rule.start)))
    )];
    if let Some(Align::EndOfYear) = rule.align {
        parts.push(tr.t("procreg-align-end_of_year"));
    }
    for c in &rule.not_before {
        match c {
            Condition::YoungestChildReaches { age } => {
                parts.push(tr.t1("procreg-not-before-child", "age", age));
            }
        }
    }
    match rule.extension {
        Extension::None => {}
        Extension::RecordedReason => parts.push(tr.t("procreg-extension-recorded_reason")),
        Extension::WrittenConsent { min, max } => parts.push(format!(
            "{} {} {} {}",
            tr.t("procreg-extension-written_consent"),
            term_words(tr, &min),
            tr.t("procreg-extension-to"),
            term_words(tr, &max)
        )),
    }
    parts.push(tr.t(&format!("procreg-expiry-{}", rule.on_expiry.code())));
    parts.join(", ")
}

fn kept_words(tr: Tr, kept: &Kept) -> String {
    match kept {
        Kept::Rule { service, rule } => {
            let words = rule_words(tr, rule);
            match service {
                None => words,
                Some(s) => {
                    let name = match tr.lang {
                        Lang::Nl => &s.name_nl,
                        Lang::En => &s.name_en,
                    };
                    if s.domestic_violence {
                        format!("{name}, {}: {words}", tr.t("procreg-domestic-violence"))
                    } else {
                        format!("{name}: {words}")
                    }
                }
            }
        }
        Kept::UntilTrajectoryCloses => tr.t("procreg-kept-until-closed"),
        Kept::WhileSubscribed => tr.t("procreg-kept-while-subscribed"),
        Kept::WhileAccountInUse => tr.t("procreg-kept-while-account"),
        Kept::AccessLog { term } => tr.t1("procreg-kept-access-log", "term", &term_words(tr, term)),
    }
}

/// The register in the reader's words: the page, the CSV and the PDF all show this.
pub(crate) fn words(tr: Tr, r: &ProcessingRegister) -> ProcessingRegisterDoc {
    let purpose_name = |code: &str| {
        r.activities
            .iter()
            .find(|a| a.code == code)
            .map(|a| match tr.lang {
                Lang::Nl => a.name_nl.clone(),
                Lang::En => a.name_en.clone(),
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let categories: Vec<CategoryDoc> = r
        .categories
        .iter()
        .map(|c| CategoryDoc {
            category: category_word(tr, c.category),
            subjects: c.subjects.iter().map(|s| subject_word(tr, *s)).collect(),
            purposes: c.purposes.iter().map(|p| purpose_name(p)).collect(),
            terms: c.kept.iter().map(|k| kept_words(tr, k)).collect(),
        })
        .collect();
    let activities = r
        .activities
        .iter()
        .map(|a| {
            let mut recipients: Vec<String> = a
                .recipients
                .iter()
                .map(|g| {
                    let kind = tr.t(&format!("share-kind-{}", g.kind.code().replace('_', "-")));
                    let names = if g.organisations.is_empty() {
                        tr.t("procreg-no-organisations")
                    } else {
                        g.organisations
                            .iter()
                            .map(|o| format!("{} ({})", o.name, o.country))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    format!("{kind}: {names}")
                })
                .collect();
            if recipients.is_empty() {
                recipients.push(tr.t("procreg-recipients-none"));
            } else if a.recipients_receive_anonymised_only {
                recipients.push(tr.t("procreg-recipients-anonymised"));
            }
            let mut terms: Vec<String> = Vec::new();
            for c in &a.categories {
                if let Some(line) = r.categories.iter().find(|l| l.category == *c) {
                    for k in &line.kept {
                        terms.push(format!("{}: {}", category_word(tr, *c), kept_words(tr, k)));
                    }
                }
            }
            ActivityDoc {
                purpose: match tr.lang {
                    Lang::Nl => a.name_nl.clone(),
                    Lang::En => a.name_en.clone(),
                },
                statement: a.statement.clone(),
                legal_basis: tr.t(&format!(
                    "port-basis-{}",
                    a.legal_basis.code().replace('_', "-")
                )),
                categories: a.categories.iter().map(|c| category_word(tr, *c)).collect(),
                subjects: a.subjects.iter().map(|s| subject_word(tr, *s)).collect(),
                recipients,
                transfers: tr.t(if a.transfers_outside_eea {
                    "procreg-transfers-some"
                } else {
                    "procreg-transfers-none"
                }),
                terms,
            }
        })
        .collect();
    let s = &r.security;
    let c = &r.controller;
    let mut controller = vec![c.name.clone(), c.legal_name.clone(), c.address.clone()];
    if let Some(kvk) = &c.chamber_of_commerce {
        controller.push(format!("{} {kvk}", tr.t("procreg-kvk")));
    }
    controller.push(c.website.clone());
    let officer = &r.privacy_officer;
    ProcessingRegisterDoc {
        controller,
        privacy_officer: match &officer.phone {
            Some(phone) => format!("{}, {}, {phone}", officer.name, officer.email),
            None => format!("{}, {}", officer.name, officer.email),
        },
        statement: format!(
            "{}, {}",
            tr.t1("procreg-statement-version", "version", &r.statement_version),
            r.statement_url
        ),
        date: r.generated_on.to_string(),
        activities,
        categories,
        measures: vec![
            tr.t("procreg-measure-encryption"),
            tr.t("procreg-measure-two-factor"),
            format!(
                "{} {}",
                tr.t1(
                    "procreg-measure-session-idle",
                    "minutes",
                    &s.session_idle_minutes
                ),
                tr.t1(
                    "procreg-measure-session-absolute",
                    "hours",
                    &s.session_absolute_hours
                )
            ),
            format!(
                "{} {}",
                tr.t1(
                    "procreg-measure-backoff",
                    "failures",
                    &s.login_failures_before_backoff
                ),
                tr.t1(
                    "procreg-measure-backoff-max",
                    "seconds",
                    &s.login_backoff_max_seconds
                )
            ),
            tr.t("procreg-measure-access-rules"),
            tr.t1("procreg-measure-grants", "days", &s.access_grant_max_days),
            tr.t1(
                "procreg-measure-emergency",
                "hours",
                &s.emergency_access_max_hours,
            ),
            tr.t1(
                "procreg-measure-audit",
                "term",
                &term_words(tr, &s.audit_log_retention),
            ),
            tr.t("procreg-measure-confidentiality"),
            tr.t("procreg-measure-cookies"),
        ],
    }
}

/// The CSV's header in the document's language.
pub(crate) fn csv_header(tr: Tr) -> [String; 8] {
    [
        "purpose",
        "basis",
        "category",
        "subjects",
        "recipients",
        "transfers",
        "terms",
        "statement",
    ]
    .map(|k| tr.t(&format!("procreg-csv-{k}")))
}

/// The register worded in `lang` as CSV bytes.
pub(crate) fn csv_bytes(lang: Lang, r: &ProcessingRegister) -> Result<Vec<u8>, CoreError> {
    let tr = Tr { lang };
    let header = csv_header(tr);
    render_csv(&words(tr, r), header.each_ref().map(String::as_str))
}

/// The register worded in `lang` as PDF bytes.
pub(crate) async fn pdf_bytes(lang: Lang, r: &ProcessingRegister) -> Result<Vec<u8>, CoreError> {
    let language = match lang {
        Lang::Nl => LetterLanguage::Nl,
        Lang::En => LetterLanguage::En,
    };
    render_pdf(words(Tr { lang }, r), language).await
}

pub async fn screen(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let register = state.app.processing_register(&staff.as_actor()).await?;
    html(&RegisterPage {
        doc: words(staff.tr, &register),
        l: Layout::staff(&staff, "procreg-title"),
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<FileForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(f.taal.trim()).unwrap_or(staff.tr.lang);
    let register = state.app.processing_register(&staff.as_actor()).await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "verwerkingsregister.csv",
        csv_bytes(lang, &register)?,
    ))
}

pub async fn export_pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<FileForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(f.taal.trim()).unwrap_or(staff.tr.lang);
    let register = state.app.processing_register(&staff.as_actor()).await?;
    Ok(file(
        "application/pdf",
        "verwerkingsregister.pdf",
        pdf_bytes(lang, &register).await?,
    ))
}

/// A download with its type and file name.
pub(crate) fn file(content_type: &'static str, name: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
