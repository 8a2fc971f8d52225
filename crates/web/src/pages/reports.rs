//! Anonymous reports to municipalities (SHR-5): choose a municipality or branch, a service
//! and a period, see the report as it would be handed over (tables and charts), release
//! it to a recipient, and download a released report as CSV or PDF. The core computes and
//! protects the numbers; this module words them once for the page, the CSV and the PDF.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::reports::{
    AGE_BANDS, BarChart, GENDERS, Measure, MunicipalityReportDoc, Published, Release, Report,
    ReportQuery, ReportTable, Scope, Suppressed, bar_chart_svg, render_csv, render_pdf,
};
use zv_core::requests::LetterLanguage;

use super::forms::FieldErrors;
use super::processing_register::file;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The choice of a report, as the form sends it (GET, so a report can be bookmarked; the
/// values are a municipality or branch, a service code and dates: nothing personal).
#[derive(Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub gebied: String,
    #[serde(default)]
    pub dienst: String,
    #[serde(default)]
    pub van: String,
    #[serde(default)]
    pub tot: String,
}

#[derive(Default, Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    gebied: String,
    #[serde(default)]
    dienst: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    ontvanger: String,
}

/// `?taal=en` for a file in English; the reader's language otherwise.
#[derive(Default, Deserialize)]
pub struct FileForm {
    #[serde(default)]
    taal: String,
}

/// A report worded for the page: the tables and the charts as SVG.
struct Worded {
    doc: MunicipalityReportDoc,
    svgs: Vec<String>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    l: Layout,
    f: ReportForm,
    errors: FieldErrors,
    scopes: Vec<(String, String)>,
    services: Vec<(String, String)>,
    report: Option<Worded>,
    may_release: bool,
    recipient: String,
    releases: Vec<ReleaseLine>,
}

struct ReleaseLine {
    id: Uuid,
    released_at: String,
    recipient: String,
    released_by: String,
    about: String,
}

#[derive(Template)]
#[template(path = "report_release.html")]
struct ReleasePage {
    l: Layout,
    release: ReleaseLine,
    report: Worded,
}

fn service_name(state: &AppState, tr: Tr, code: &str) -> String {
    if code == Report::all() {
        return tr.t("report-all-services");
    }
    state
        .app
        .policy()
        .service_type(code)
        .map(|s| match tr.lang {
            Lang::Nl => s.name_nl.clone(),
            Lang::En => s.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_owned())
}

fn scope_words(state: &AppState, tr: Tr, scope: &Scope) -> String {
    match scope {
        Scope::Municipality(m) => tr.t1("report-scope-municipality", "name", m),
        Scope::Branch(b) => {
            let name = state
                .app
                .policy()
                .branch(b)
                .map_or_else(|| b.clone(), |x| x.name.clone());
            tr.t1("report-scope-branch", "name", &name)
        }
    }
}

fn age_words(state: &AppState, tr: Tr, band: &str) -> String {
    let a = state.app.policy().age_bands();
    match band {
        "under_own_access" => tr.t1("report-age-under", "age", &a.own_access_from),
        "consultative" => format!(
            "{}–{}",
            a.own_access_from,
            a.independent_from.saturating_sub(1)
        ),
        "independent" => format!("{}–{}", a.independent_from, a.adult_at.saturating_sub(1)),
        "adult" => tr.t1("report-age-adult", "age", &a.adult_at),
        _ => tr.t("report-unknown"),
    }
}

fn gender_words(tr: Tr, g: &str) -> String {
    if g == zv_core::reports::UNKNOWN {
        return tr.t("report-unknown");
    }
    tr.t(&format!("gender-{}", g.replace('_', "-")))
}

/// A published cell in words: the number, or the mark of a suppressed one.
fn cell_words(tr: Tr, p: Published) -> String {
    match (p.value, p.suppressed) {
        (Some(v), _) => v.to_string(),
        (None, Some(Suppressed::Small)) => tr.t("report-mark-small"),
        (None, _) => tr.t("report-mark-other"),
    }
}

fn period_words(q: &ReportQuery, tr: Tr) -> String {
    tr.t1(
        "report-period",
        "period",
        &format!(
            "{} – {}",
            q.from.format("%d-%m-%Y"),
            q.to.format("%d-%m-%Y")
        ),
    )
}

/// The whole report in `tr`'s language, for the page, the CSV and the PDF.
fn words(state: &AppState, tr: Tr, report: &Report, release: Option<&Release>) -> Worded {
    let q = &report.query;
    let columns = report.service_columns();
    let all = Report::all();
    let mut facts = vec![
        state.app.policy().organisation().name.clone(),
        scope_words(state, tr, &q.scope),
        period_words(q, tr),
    ];
    if let Some(s) = &q.service_type {
        facts.push(service_name(state, tr, s));
    }
    match release {
        Some(r) => facts.push(tr.t1(
            "report-released-line",
            "what",
            &format!(
                "{} · {} · {}",
                r.recipient,
                r.released_at.format("%d-%m-%Y %H:%M UTC"),
                r.released_by
            ),
        )),
        None => facts.push(tr.t("report-not-released")),
    }
    let mut notes = vec![tr.t1("report-note-small", "n", &report.threshold)];
    if report.secondary_suppression {
        notes.push(tr.t("report-note-secondary"));
    }
    notes.push(tr.t("report-note-difference"));
    if report.rounding > 1 {
        notes.push(tr.t1("report-note-rounding", "n", &report.rounding));
    }
    notes.push(tr.t("report-note-marks"));

    let by_service = ReportTable {
        title: tr.t("report-table-services"),
        corner: tr.t("report-service"),
        columns: Measure::ALL
            .iter()
            .map(|m| tr.t(&format!("report-measure-{}", m.code().replace('_', "-"))))
            .collect(),
        rows: columns
            .iter()
            .map(|s| {
                (
                    service_name(state, tr, s),
                    Measure::ALL
                        .iter()
                        .map(|m| cell_words(tr, report.cell(*m, s, all, all)))
                        .collect(),
                )
            })
            .collect(),
    };
    let crossed = |title: &str, labels: Vec<(String, String)>, age: bool| ReportTable {
        title: tr.t(title),
        corner: tr.t(if age { "report-age" } else { "report-gender" }),
        columns: columns.iter().map(|s| service_name(state, tr, s)).collect(),
        rows: labels
            .into_iter()
            .map(|(code, label)| {
                (
                    label,
                    columns
                        .iter()
                        .map(|s| {
                            let p = if age {
                                report.cell(Measure::ClientsInCare, s, &code, all)
                            } else {
                                report.cell(Measure::ClientsInCare, s, all, &code)
                            };
                            cell_words(tr, p)
                        })
                        .collect(),
                )
            })
            .collect(),
    };
    let ages: Vec<(String, String)> = AGE_BANDS
        .iter()
        .map(|a| ((*a).to_owned(), age_words(state, tr, a)))
        .collect();
    let genders: Vec<(String, String)> = GENDERS
        .iter()
        .map(|g| ((*g).to_owned(), gender_words(tr, g)))
        .collect();
    let total = if report.with_total {
        all.to_owned()
    } else {
        report.services.first().cloned().unwrap_or_default()
    };
    let mark = tr.t("report-mark-other");
    let charts = vec![
        BarChart {
            title: tr.t("report-chart-services"),
            bars: report
                .services
                .iter()
                .map(|s| {
                    (
                        service_name(state, tr, s),
                        report.cell(Measure::ClientsInCare, s, all, all).value,
                    )
                })
                .collect(),
            mark: mark.clone(),
        },
        BarChart {
            title: tr.t("report-chart-ages"),
            bars: ages
                .iter()
                .map(|(code, label)| {
                    (
                        label.clone(),
                        report.cell(Measure::ClientsInCare, &total, code, all).value,
                    )
                })
                .collect(),
            mark: mark.clone(),
        },
        BarChart {
            title: tr.t("report-chart-genders"),
            bars: genders
                .iter()
                .map(|(code, label)| {
                    (
                        label.clone(),
                        report.cell(Measure::ClientsInCare, &total, all, code).value,
                    )
                })
                .collect(),
            mark,
        },
    ];
    let doc = MunicipalityReportDoc {
        title: tr.t("report-doc-title"),
        facts,
        notes,
        tables: vec![
            by_service,
            crossed("report-table-ages", ages, true),
            crossed("report-table-genders", genders, false),
        ],
        charts,
    };
    let svgs = doc.charts.iter().map(bar_chart_svg).collect();
    Worded { doc, svgs }
}

/// The municipalities and branches to choose from: `municipality:<name>`, `branch:<code>`.
fn scopes(state: &AppState, tr: Tr) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in state.app.policy().branches() {
        for m in &b.municipalities {
            let value = format!("municipality:{m}");
            if !out.iter().any(|(v, _)| v == &value) {
                out.push((value, tr.t1("report-scope-municipality", "name", m)));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    for b in state.app.policy().branches() {
        out.push((
            format!("branch:{}", b.code),
            tr.t1("report-scope-branch", "name", &b.name),
        ));
    }
    out
}

fn services(state: &AppState, tr: Tr) -> Vec<(String, String)> {
    state
        .app
        .policy()
        .service_types()
        .iter()
        .map(|s| (s.code.clone(), service_name(state, tr, &s.code)))
        .collect()
}

/// Reads the form into a query, each refusal under its field.
fn query(
    errors: &mut FieldErrors,
    gebied: &str,
    dienst: &str,
    van: &str,
    tot: &str,
) -> Option<ReportQuery> {
    let scope = match gebied.trim().split_once(':') {
        Some(("municipality", m)) if !m.is_empty() => Some(Scope::Municipality(m.to_owned())),
        Some(("branch", b)) if !b.is_empty() => Some(Scope::Branch(b.to_owned())),
        _ => {
            errors.add(&CoreError::invalid(
                "area",
                "choose a municipality or branch",
            ));
            None
        }
    };
    let from = errors.check(super::forms::date("report_from", van));
    let to = errors.check(super::forms::date("report_to", tot));
    Some(ReportQuery {
        scope: scope?,
        service_type: Some(dienst.trim().to_owned()).filter(|s| !s.is_empty()),
        from: from?,
        to: to?,
    })
}

fn release_line(state: &AppState, tr: Tr, r: &Release) -> ReleaseLine {
    let q = &r.report.query;
    let mut about = format!(
        "{}, {}",
        scope_words(state, tr, &q.scope),
        period_words(q, tr)
    );
    if let Some(s) = &q.service_type {
        about.push_str(", ");
        about.push_str(&service_name(state, tr, s));
    }
    ReleaseLine {
        id: r.id,
        released_at: r.released_at.format("%d-%m-%Y %H:%M").to_string(),
        recipient: r.recipient.clone(),
        released_by: r.released_by.clone(),
        about,
    }
}

async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    f: ReportForm,
    mut errors: FieldErrors,
    recipient: String,
    compute: bool,
    status: axum::http::StatusCode,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let (read, release) = state.app.report_capabilities(&actor)?;
    if !read {
        return Err(CoreError::NotAllowed("reports are for management".into()).into());
    }
    let mut report = None;
    if compute && let Some(q) = query(&mut errors, &f.gebied, &f.dienst, &f.van, &f.tot) {
        match state.app.municipality_report(&actor, &q).await {
            Ok(r) => report = Some(words(state, staff.tr, &r, None)),
            Err(e @ CoreError::Invalid { .. }) => errors.add(&e),
            Err(e) => return Err(e.into()),
        }
    }
    let releases = state
        .app
        .report_releases(&actor)
        .await?
        .iter()
        .map(|r| release_line(state, staff.tr, r))
        .collect();
    let status = if errors.is_empty() {
        status
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&ReportsPage {
        l: Layout::staff(staff, "report-title"),
        f,
        errors,
        scopes: scopes(state, staff.tr),
        services: services(state, staff.tr),
        report,
        may_release: release,
        recipient,
        releases,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn screen(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(mut f): Query<ReportForm>,
) -> Result<Response, WebError> {
    let compute = !f.gebied.is_empty();
    if f.van.is_empty() && f.tot.is_empty() {
        // The last full calendar year, the period municipalities ask for most.
        let year = chrono::Datelike::year(&state.app.clock().today()) - 1;
        f.van = format!("{year}-01-01");
        f.tot = format!("{year}-12-31");
    }
    let errors = FieldErrors::new(staff.tr);
    page(
        &state,
        &staff,
        f,
        errors,
        String::new(),
        compute,
        axum::http::StatusCode::OK,
    )
    .await
}

pub async fn release(
    State(state): State<AppState>,
    staff: CurrentStaff,
    axum::Form(f): axum::Form<ReleaseForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let mut errors = FieldErrors::new(staff.tr);
    let q = query(&mut errors, &f.gebied, &f.dienst, &f.van, &f.tot);
    if let Some(q) = q {
        match state
            .app
            .release_report(&staff.as_actor(), &q, &f.ontvanger)
            .await
        {
            Ok(id) => {
                return Ok(axum::response::IntoResponse::into_response(Redirect::to(
                    &format!("/rapportages/{id}"),
                )));
            }
            Err(e @ CoreError::Invalid { .. }) => errors.add(&e),
            Err(e) => return Err(e.into()),
        }
    }
    let form = ReportForm {
        gebied: f.gebied,
        dienst: f.dienst,
        van: f.van,
        tot: f.tot,
    };
    page(
        &state,
        &staff,
        form,
        errors,
        f.ontvanger,
        true,
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn release_id(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| WebError::from(CoreError::NotFound))
}

pub async fn released(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let r = state
        .app
        .report_release(&staff.as_actor(), release_id(&id)?, false)
        .await?;
    let mut l = Layout::staff(&staff, "report-released-title");
    l.title = format!("{} · {}", l.title, r.recipient);
    html(&ReleasePage {
        release: release_line(&state, staff.tr, &r),
        report: words(&state, staff.tr, &r.report, Some(&r)),
        l,
    })
}

/// A released report as CSV in `lang`.
pub(crate) fn csv_bytes(state: &AppState, lang: Lang, r: &Release) -> Result<Vec<u8>, CoreError> {
    let tr = Tr { lang };
    let header = [
        tr.t("report-csv-table"),
        tr.t("report-csv-row"),
        tr.t("report-csv-column"),
        tr.t("report-csv-value"),
    ];
    render_csv(
        &words(state, tr, &r.report, Some(r)).doc,
        header.each_ref().map(String::as_str),
    )
}

/// A released report as PDF in `lang`.
pub(crate) async fn pdf_bytes(
    state: &AppState,
    lang: Lang,
    r: &Release,
) -> Result<Vec<u8>, CoreError> {
    let language = match lang {
        Lang::Nl => LetterLanguage::Nl,
        Lang::En => LetterLanguage::En,
    };
    render_pdf(words(state, Tr { lang }, &r.report, Some(r)).doc, language).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(f): Query<FileForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(f.taal.trim()).unwrap_or(staff.tr.lang);
    let r = state
        .app
        .report_release(&staff.as_actor(), release_id(&id)?, true)
        .await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "rapportage.csv",
        csv_bytes(&state, lang, &r)?,
    ))
}

pub async fn export_pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(f): Query<FileForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(f.taal.trim()).unwrap_or(staff.tr.lang);
    let r = state
        .app
        .report_release(&staff.as_actor(), release_id(&id)?, true)
        .await?;
    Ok(file(
        "application/pdf",
        "rapportage.pdf",
        pdf_bytes(&state, lang, &r).await?,
    ))
}
