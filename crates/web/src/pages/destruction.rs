//! The destruction register for the privacy officer (RET-6): what was destroyed or
//! anonymised, when, under which rule and by whom, without personal data. Filter by
//! period, category and rule; page through; export as CSV or PDF (Dutch or English).
//! The core decides who may.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::destruction::{RegisterLine, RegisterQuery};

use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The filter as the form sends it (Dutch field names, as the other screens).
#[derive(Default, Deserialize, Serialize)]
pub struct RegisterForm {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    regel: String,
    #[serde(default, skip_serializing)]
    pagina: String,
    /// The PDF's language (`nl` default, `en`).
    #[serde(default, skip_serializing)]
    taal: String,
}

struct Line {
    destroyed_on: String,
    category: String,
    outcome: String,
    rule: String,
    term_ended_on: String,
    by: String,
    rows: u64,
}

#[derive(Template)]
#[template(path = "destruction_register.html")]
struct RegisterPage {
    l: Layout,
    q: RegisterForm,
    query_string: String,
    categories: Vec<(String, String)>,
    rules: Vec<String>,
    lines: Vec<Line>,
    total: u64,
    page: u64,
    pages: u64,
    errors: Vec<String>,
}

const CATEGORIES: [&str; 12] = [
    "client",
    "trajectory",
    "entry",
    "newsletter_contact",
    "camera_images",
    "group_activity",
    "activity_media",
    "correspondence",
    "applicant",
    "staff_record",
    "staff_id_copy",
    "financial_record",
];

fn category_word(tr: Tr, code: &str) -> String {
    tr.t(&format!("destruction-category-{code}"))
}

fn parse(f: &RegisterForm) -> Result<RegisterQuery, CoreError> {
    let date = |raw: &str, field: &'static str| -> Result<Option<chrono::NaiveDate>, CoreError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| CoreError::invalid(field, "not a date"))
    };
    let text = |raw: &str| Some(raw.trim().to_owned()).filter(|s| !s.is_empty());
    let query = RegisterQuery {
        from: date(&f.van, "register_from")?,
        to: date(&f.tot, "register_to")?,
        category: text(&f.soort),
        rule: text(&f.regel),
        page: match f.pagina.trim() {
            "" => 1,
            p => p
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| CoreError::invalid("register_page", "a page number"))?,
        },
    };
    query.check()?;
    Ok(query)
}

/// The filter as a query string; values are dates, codes and rule codes, anything else
/// is percent-encoded.
fn query_string(f: &RegisterForm) -> String {
    [
        ("van", &f.van),
        ("tot", &f.tot),
        ("soort", &f.soort),
        ("regel", &f.regel),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| {
        let encoded: String = v
            .trim()
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        format!("{k}={encoded}")
    })
    .collect::<Vec<_>>()
    .join("&")
}

fn line(tr: Tr, l: RegisterLine) -> Line {
    Line {
        destroyed_on: l.destroyed_on.to_string(),
        category: category_word(tr, &l.category),
        outcome: tr.t(&format!("destruction-outcome-{}", l.outcome)),
        rule: l.rule,
        term_ended_on: l.term_ended_on.map(|d| d.to_string()).unwrap_or_default(),
        by: l.by,
        rows: l.rows,
    }
}

pub async fn screen(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<RegisterForm>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let categories = CATEGORIES
        .iter()
        .map(|c| ((*c).to_owned(), category_word(tr, c)))
        .collect();
    let l = Layout::staff(&staff, "title-destruction-register");
    let result = match parse(&f) {
        Ok(q) => state.app.destruction_register(&staff.as_actor(), &q).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(page) => html(&RegisterPage {
            l,
            query_string: query_string(&f),
            q: f,
            categories,
            rules: page.rules.into_iter().map(|r| r.code).collect(),
            lines: page.lines.into_iter().map(|x| line(tr, x)).collect(),
            total: page.total,
            page: page.page,
            pages: page.pages,
            errors: Vec::new(),
        }),
        Err(e @ CoreError::Invalid { .. }) => {
            let mut r = html(&RegisterPage {
                l,
                query_string: query_string(&f),
                q: f,
                categories,
                rules: Vec::new(),
                lines: Vec::new(),
                total: 0,
                page: 1,
                pages: 1,
                errors: vec![field_error(tr, &e)],
            })?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn export_csv(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<RegisterForm>,
) -> Result<Response, WebError> {
    let query = parse(&f)?;
    let csv = state
        .app
        .destruction_register_csv(&staff.as_actor(), &query)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"vernietigingsregister.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn export_pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<RegisterForm>,
) -> Result<Response, WebError> {
    let query = parse(&f)?;
    let lang = Lang::from_code(f.taal.trim()).unwrap_or(staff.tr.lang);
    let (selection, language) = selection_words(Tr { lang }, &query);
    let pdf = state
        .app
        .destruction_register_pdf(&staff.as_actor(), &query, selection, language)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"vernietigingsregister.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// The filter in words, in the document's language, and that language for the PDF.
pub fn selection_words(tr: Tr, q: &RegisterQuery) -> (String, zv_core::requests::LetterLanguage) {
    let mut parts = Vec::new();
    match (q.from, q.to) {
        (None, None) => parts.push(tr.t("destruction-selection-all")),
        (from, to) => parts.push(format!(
            "{} {} {} {}",
            tr.t("from"),
            from.map(|d| d.to_string())
                .unwrap_or_else(|| "…".to_owned()),
            tr.t("to").to_lowercase(),
            to.map(|d| d.to_string()).unwrap_or_else(|| "…".to_owned()),
        )),
    }
    if let Some(c) = &q.category {
        parts.push(category_word(tr, c));
    }
    if let Some(r) = &q.rule {
        parts.push(r.clone());
    }
    let language = match tr.lang {
        Lang::Nl => zv_core::requests::LetterLanguage::Nl,
        Lang::En => zv_core::requests::LetterLanguage::En,
    };
    (parts.join("; "), language)
}
