//! The privacy statement and the privacy card, generated from the policy file (TRN-2,
//! ORG-3): who the organisation is, which data it processes and why, who has access, with
//! whom it shares, how long it keeps what, the rights and their deadlines, security,
//! complaints, contacts and help numbers, in the project's own wording, in Dutch or
//! English. The same rules decide what the software does, so the statement cannot say
//! something the system does not keep. Public: `/privacyverklaring`, `/privacykaart`, as
//! HTML and PDF; `zorgvuldig policy render` prints the same documents.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::statement::{
    DiffLine, Documents, PublishProblem, StatementDoc, StatementSection, Version, diff, render_pdf,
    render_pdf_blocking,
};
use zv_domain::Role;
use zv_policy::Policy;

use super::audit::term_words;
use super::dossier::local_time;
use super::processing_register::{file, rule_words};
use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::{CurrentStaff, lang_of};
use crate::state::AppState;

fn section(heading: String, paragraphs: Vec<String>, items: Vec<String>) -> StatementSection {
    StatementSection {
        heading,
        paragraphs,
        items,
    }
}

fn name<'a>(tr: Tr, nl: &'a str, en: &'a str) -> &'a str {
    match tr.lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

fn who(tr: Tr, p: &Policy) -> StatementSection {
    let o = p.organisation();
    let mut lines = vec![
        tr.t1("stmt-who-controller", "name", &o.legal_name),
        tr.t1("stmt-who-address", "address", &o.address),
    ];
    if let Some(kvk) = &o.chamber_of_commerce {
        lines.push(format!("{} {kvk}", tr.t("procreg-kvk")));
    }
    let branches: Vec<&str> = p.branches().iter().map(|b| b.name.as_str()).collect();
    lines.push(tr.t1("stmt-who-branches", "names", &branches.join(", ")));
    section(tr.t("stmt-who"), lines, Vec::new())
}

fn data(tr: Tr, p: &Policy) -> StatementSection {
    section(
        tr.t("stmt-data"),
        vec![tr.t("stmt-data-intro")],
        p.data_categories()
            .into_iter()
            .map(|c| tr.t(&format!("procreg-cat-{}", c.code())))
            .collect(),
    )
}

fn purposes(tr: Tr, p: &Policy) -> StatementSection {
    section(
        tr.t("stmt-why"),
        vec![tr.t("stmt-why-intro")],
        p.purposes()
            .iter()
            .map(|purpose| {
                format!(
                    "{} ({})",
                    name(tr, &purpose.name_nl, &purpose.name_en),
                    tr.t(&format!(
                        "port-basis-{}",
                        purpose.legal_basis.code().replace('_', "-")
                    ))
                )
            })
            .collect(),
    )
}

fn access(tr: Tr, p: &Policy) -> StatementSection {
    let mut items: Vec<String> = p
        .roles()
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                name(tr, &r.label_nl, &r.label_en),
                tr.t(&format!("stmt-role-{}", r.role))
            )
        })
        .collect();
    items.push(tr.t1(
        "stmt-role-emergency",
        "hours",
        &p.security().emergency_access_max_hours,
    ));
    section(tr.t("stmt-access"), vec![tr.t("stmt-access-intro")], items)
}

fn sharing(tr: Tr, p: &Policy) -> StatementSection {
    let mut kinds: Vec<(zv_domain::RecipientKind, bool)> = Vec::new();
    for purpose in p.purposes() {
        for k in &purpose.recipients {
            match kinds.iter_mut().find(|(known, _)| known == k) {
                Some((_, anonymised)) => *anonymised &= purpose.recipients_receive_anonymised_only,
                None => kinds.push((*k, purpose.recipients_receive_anonymised_only)),
            }
        }
    }
    let items = kinds
        .into_iter()
        .map(|(k, anonymised)| {
            let kind = tr.t(&format!("share-kind-{}", k.code().replace('_', "-")));
            if anonymised {
                format!("{kind}: {}", tr.t("stmt-share-anonymised"))
            } else {
                kind
            }
        })
        .collect();
    section(
        tr.t("stmt-share"),
        vec![tr.t("stmt-share-intro"), tr.t("stmt-share-eea")],
        items,
    )
}

fn terms(tr: Tr, p: &Policy) -> StatementSection {
    let mut items = Vec::new();
    for s in p.service_types() {
        if let Some(rule) = p.retention_rule(&s.retention) {
            items.push(format!(
                "{}: {}",
                name(tr, &s.name_nl, &s.name_en),
                rule_words(tr, rule)
            ));
        }
        if let Some(rule) = s
            .retention_if_domestic_violence
            .as_deref()
            .and_then(|c| p.retention_rule(c))
        {
            items.push(format!(
                "{}, {}: {}",
                name(tr, &s.name_nl, &s.name_en),
                tr.t("procreg-domestic-violence"),
                rule_words(tr, rule)
            ));
        }
    }
    for c in p.record_categories() {
        if let Some(rule) = p.retention_rule(&c.retention) {
            items.push(format!(
                "{}: {}",
                name(tr, &c.name_nl, &c.name_en),
                rule_words(tr, rule)
            ));
        }
    }
    items.push(format!(
        "{}: {}",
        tr.t("procreg-cat-work_notes"),
        tr.t("procreg-kept-until-closed")
    ));
    items.push(format!(
        "{}: {}",
        tr.t("procreg-cat-access_log"),
        term_words(tr, &p.audit().log_retention)
    ));
    section(tr.t("stmt-terms"), vec![tr.t("stmt-terms-intro")], items)
}

fn rights(tr: Tr, p: &Policy) -> StatementSection {
    let r = p.requests();
    let mut paragraphs = vec![
        tr.t("stmt-rights-how"),
        format!(
            "{} {}",
            tr.t1(
                "stmt-rights-respond",
                "term",
                &term_words(tr, &r.respond_within)
            ),
            tr.t1(
                "stmt-rights-complete",
                "term",
                &term_words(tr, &r.complete_within)
            )
        ),
    ];
    if let Some(e) = &r.extension {
        paragraphs.push(format!(
            "{} {}",
            tr.t1("stmt-rights-extend", "term", &term_words(tr, &e.by)),
            tr.t1(
                "stmt-rights-extend-notice",
                "term",
                &term_words(tr, &e.notice_within)
            )
        ));
    }
    let a = p.age_bands();
    paragraphs.push(tr.t1("stmt-minors-own", "age", &a.own_access_from));
    paragraphs.push(tr.t1("stmt-minors-parents", "age", &a.parents_access_until));
    paragraphs.push(tr.t("stmt-rights-withheld"));
    section(
        tr.t("stmt-rights"),
        paragraphs,
        [
            "access", "copy", "rectify", "erase", "restrict", "port", "object", "withdraw",
        ]
        .iter()
        .map(|k| tr.t(&format!("stmt-right-{k}")))
        .collect(),
    )
}

fn security(tr: Tr, p: &Policy) -> StatementSection {
    let s = p.security();
    section(
        tr.t("stmt-security"),
        vec![tr.t("stmt-security-intro")],
        vec![
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
            tr.t("procreg-measure-access-rules"),
            tr.t1(
                "procreg-measure-audit",
                "term",
                &term_words(tr, &p.audit().log_retention),
            ),
            tr.t("procreg-measure-confidentiality"),
            tr.t("procreg-measure-cookies"),
        ],
    )
}

fn complaints(tr: Tr, p: &Policy) -> StatementSection {
    let c = p.complaints();
    let a = &c.supervisory_authority;
    let mut paragraphs = vec![tr.t1("stmt-complaints-channels", "channels", &c.channels)];
    if let Some(email) = &c.email {
        paragraphs.push(tr.t1("stmt-complaints-email", "email", email));
    }
    if let Some(url) = &c.procedure_url {
        paragraphs.push(tr.t1("stmt-complaints-procedure", "url", url));
    }
    paragraphs.push(tr.t1(
        "stmt-complaints-term",
        "term",
        &term_words(tr, &c.handling_term),
    ));
    paragraphs.push(tr.t1("stmt-complaints-authority", "name", &a.name));
    let phone = match &a.phone_hours {
        Some(hours) => format!("{} ({hours})", a.phone),
        None => a.phone.clone(),
    };
    section(
        tr.t("stmt-complaints"),
        paragraphs,
        vec![
            format!("{}: {phone}", tr.t("stmt-phone")),
            format!("{}: {}", tr.t("stmt-post"), a.postal_address),
            format!("{}: {}", tr.t("stmt-website"), a.website),
        ],
    )
}

fn contact(tr: Tr, p: &Policy) -> StatementSection {
    let fg = p.privacy_officer();
    let mut items = vec![
        fg.name.clone(),
        format!("{}: {}", tr.t("stmt-email"), fg.email),
    ];
    if let Some(phone) = &fg.phone {
        items.push(format!("{}: {phone}", tr.t("stmt-phone")));
    }
    section(
        tr.t("stmt-contact"),
        vec![tr.t("stmt-contact-intro")],
        items,
    )
}

fn help(tr: Tr, p: &Policy) -> StatementSection {
    let h = p.help();
    let mut items = vec![
        tr.t1("stmt-help-phone", "phone", &h.help_phone),
        tr.t1("stmt-help-emergency", "phone", &h.emergency_phone),
    ];
    if let Some(site) = &h.website {
        items.push(format!("{}: {site}", tr.t("stmt-website")));
    }
    section(tr.t("stmt-help"), Vec::new(), items)
}

fn changes(tr: Tr, p: &Policy) -> StatementSection {
    let o = p.organisation();
    section(
        tr.t("stmt-changes"),
        vec![
            tr.t1("stmt-changes-version", "version", &o.statement_version),
            tr.t1("stmt-changes-where", "url", &o.privacy_statement_url),
        ],
        Vec::new(),
    )
}

fn subtitle(tr: Tr, p: &Policy) -> String {
    format!(
        "{}, {}",
        p.organisation().name,
        tr.t1(
            "procreg-statement-version",
            "version",
            &p.organisation().statement_version
        )
    )
}

/// The whole privacy statement in `lang`.
#[must_use]
pub fn statement(policy: &Policy, lang: Lang) -> StatementDoc {
    let tr = Tr { lang };
    StatementDoc {
        title: tr.t("stmt-title"),
        subtitle: subtitle(tr, policy),
        sections: vec![
            who(tr, policy),
            data(tr, policy),
            purposes(tr, policy),
            access(tr, policy),
            sharing(tr, policy),
            terms(tr, policy),
            rights(tr, policy),
            security(tr, policy),
            complaints(tr, policy),
            contact(tr, policy),
            help(tr, policy),
            changes(tr, policy),
        ],
    }
}

/// The privacy card: the statement's summary handed to every client at intake (ORG-3),
/// on one page. `None` when the policy has no card.
#[must_use]
pub fn card(policy: &Policy, lang: Lang) -> Option<StatementDoc> {
    if !policy.organisation().privacy_card {
        return None;
    }
    let tr = Tr { lang };
    let mut rights = rights(tr, policy);
    rights.paragraphs.truncate(2);
    let mut complaints = complaints(tr, policy);
    complaints.paragraphs.retain(|p| !p.is_empty());
    Some(StatementDoc {
        title: tr.t("stmt-card-title"),
        subtitle: format!("{} {}", subtitle(tr, policy), tr.t("stmt-card-more")),
        sections: vec![
            purposes(tr, policy),
            terms(tr, policy),
            rights,
            complaints,
            contact(tr, policy),
            help(tr, policy),
        ],
    })
}

/// A statement or card as bytes: `html` (a standalone page) or `pdf`.
pub fn render(
    doc: &StatementDoc,
    lang: Lang,
    pdf: bool,
    compact: bool,
) -> Result<Vec<u8>, CoreError> {
    if pdf {
        return render_pdf_blocking(doc, compact);
    }
    let page = StatementPage {
        l: Layout::anonymous(Tr { lang }, "stmt-title", String::new()),
        doc: doc.clone(),
        note: String::new(),
        links: Vec::new(),
    };
    page.render()
        .map(String::into_bytes)
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// The four documents of the policy as it is now, for publishing or comparing.
#[must_use]
pub fn documents(policy: &Policy) -> Documents {
    Documents {
        statement_nl: statement(policy, Lang::Nl),
        statement_en: statement(policy, Lang::En),
        card_nl: card(policy, Lang::Nl),
        card_en: card(policy, Lang::En),
    }
}

fn pick(d: &Documents, lang: Lang, want_card: bool) -> Option<StatementDoc> {
    match (want_card, lang) {
        (false, Lang::Nl) => Some(d.statement_nl.clone()),
        (false, Lang::En) => Some(d.statement_en.clone()),
        (true, Lang::Nl) => d.card_nl.clone(),
        (true, Lang::En) => d.card_en.clone(),
    }
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage {
    l: Layout,
    doc: StatementDoc,
    /// Which version this is, in words; empty for the generated, unpublished text.
    note: String,
    /// (address, words)
    links: Vec<(String, String)>,
}

/// `?taal=en`: the language of the document; the visitor's otherwise.
#[derive(Default, Deserialize)]
pub struct LangForm {
    #[serde(default)]
    taal: String,
}

fn lang(headers: &HeaderMap, f: &LangForm) -> Lang {
    Lang::from_code(f.taal.trim()).unwrap_or_else(|| lang_of(headers))
}

fn version_note(tr: Tr, v: &Version) -> String {
    format!(
        "{} {} ({}), {} {}.",
        tr.t("stmt-version"),
        v.number,
        v.label,
        tr.t("stmt-published-on"),
        local_time(v.published_at)
    )
}

/// The newest published version's document, or the generated one when none was.
async fn current(
    state: &AppState,
    lang: Lang,
    want_card: bool,
) -> Result<(Option<StatementDoc>, Option<Version>), WebError> {
    Ok(match state.app.latest_statement().await? {
        Some(v) => (pick(&v.documents, lang, want_card), Some(v)),
        None => (pick(&documents(state.app.policy()), lang, want_card), None),
    })
}

fn page(
    doc: StatementDoc,
    lang: Lang,
    pdf: String,
    version: Option<&Version>,
) -> Result<Response, WebError> {
    let tr = Tr { lang };
    let mut l = Layout::anonymous(tr, "stmt-title", String::new());
    l.title.clone_from(&doc.title);
    let mut links = vec![
        (pdf, tr.t("stmt-download-pdf")),
        (
            "/privacyverklaring/versies".to_owned(),
            tr.t("stmt-versions"),
        ),
    ];
    links.push((
        format!("?taal={}", tr.other().code()),
        tr.t("stmt-other-language"),
    ));
    html(&StatementPage {
        l,
        note: version.map(|v| version_note(tr, v)).unwrap_or_default(),
        links,
        doc,
    })
}

/// The public privacy statement (no sign-in): the newest published version.
pub async fn public(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let (doc, version) = current(&state, lang, false).await?;
    let doc = doc.ok_or(WebError::NotFound)?;
    page(
        doc,
        lang,
        format!("/privacyverklaring.pdf?taal={}", lang.code()),
        version.as_ref(),
    )
}

pub async fn public_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let doc = current(&state, lang, false)
        .await?
        .0
        .ok_or(WebError::NotFound)?;
    let bytes = render_pdf(doc, false).await?;
    Ok(file("application/pdf", "privacyverklaring.pdf", bytes))
}

/// The public privacy card; 404 where the policy has none.
pub async fn public_card(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let (doc, version) = current(&state, lang, true).await?;
    page(
        doc.ok_or(WebError::NotFound)?,
        lang,
        format!("/privacykaart.pdf?taal={}", lang.code()),
        version.as_ref(),
    )
}

pub async fn public_card_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let doc = current(&state, lang, true)
        .await?
        .0
        .ok_or(WebError::NotFound)?;
    let bytes = render_pdf(doc, true).await?;
    Ok(file("application/pdf", "privacykaart.pdf", bytes))
}

fn version_number(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or(WebError::NotFound)
}

/// One published version, as it was published.
pub async fn version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let v = state
        .app
        .statement_version(version_number(&number)?)
        .await?;
    let doc = pick(&v.documents, lang, false).ok_or(WebError::NotFound)?;
    page(
        doc,
        lang,
        format!(
            "/privacyverklaring/versies/{}/pdf?taal={}",
            v.number,
            lang.code()
        ),
        Some(&v),
    )
}

pub async fn version_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let lang = lang(&headers, &f);
    let v = state
        .app
        .statement_version(version_number(&number)?)
        .await?;
    let doc = pick(&v.documents, lang, false).ok_or(WebError::NotFound)?;
    let bytes = render_pdf(doc, false).await?;
    Ok(file("application/pdf", "privacyverklaring.pdf", bytes))
}

struct VersionRow {
    number: i64,
    label: String,
    published: String,
}

#[derive(Template)]
#[template(path = "statement_versions.html")]
struct VersionsPage {
    l: Layout,
    versions: Vec<VersionRow>,
}

/// Every published version, with a form to compare two.
pub async fn versions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<LangForm>,
) -> Result<Response, WebError> {
    let tr = Tr {
        lang: lang(&headers, &f),
    };
    let versions = state
        .app
        .statement_versions()
        .await?
        .into_iter()
        .map(|v| VersionRow {
            number: v.number,
            label: v.label,
            published: local_time(v.published_at),
        })
        .collect();
    html(&VersionsPage {
        l: Layout::anonymous(tr, "stmt-versions", String::new()),
        versions,
    })
}

/// `?van=1&tot=2`: two versions; `tot=concept` is the statement as generated now.
#[derive(Default, Deserialize)]
pub struct DiffForm {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    taal: String,
}

struct Line {
    change: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "statement_diff.html")]
struct DiffPage {
    l: Layout,
    from: String,
    to: String,
    lines: Vec<Line>,
    changes: usize,
}

/// The lines of one side: a version's statement, or the draft.
async fn side(state: &AppState, raw: &str, lang: Lang) -> Result<(String, Vec<String>), WebError> {
    let tr = Tr { lang };
    if raw.trim() == "concept" {
        let d = documents(state.app.policy());
        let doc = pick(&d, lang, false).ok_or(WebError::NotFound)?;
        return Ok((tr.t("stmt-draft"), doc.lines()));
    }
    let v = state
        .app
        .statement_version(version_number(raw.trim())?)
        .await?;
    let doc = pick(&v.documents, lang, false).ok_or(WebError::NotFound)?;
    Ok((
        format!("{} {} ({})", tr.t("stmt-version"), v.number, v.label),
        doc.lines(),
    ))
}

/// What changed between two versions (or a version and the draft), line by line.
pub async fn compare(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<DiffForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(f.taal.trim()).unwrap_or_else(|| lang_of(&headers));
    let (from, before) = side(&state, &f.van, lang).await?;
    let (to, after) = side(&state, &f.tot, lang).await?;
    let lines: Vec<Line> = diff(&before, &after)
        .into_iter()
        .map(|l| match l {
            DiffLine::Same(text) => Line {
                change: "same",
                text,
            },
            DiffLine::Removed(text) => Line {
                change: "removed",
                text,
            },
            DiffLine::Added(text) => Line {
                change: "added",
                text,
            },
        })
        .collect();
    html(&DiffPage {
        l: Layout::anonymous(Tr { lang }, "stmt-compare", String::new()),
        changes: lines.iter().filter(|l| l.change != "same").count(),
        from,
        to,
        lines,
    })
}

#[derive(Template)]
#[template(path = "statement_publish.html")]
struct PublishPage {
    l: Layout,
    latest: String,
    latest_number: i64,
    label: String,
    error: String,
}

/// The privacy officer's page: what is published, what the policy says now, publish.
pub async fn publish_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    publish_page(
        &state,
        &staff,
        state.app.policy().organisation().statement_version.clone(),
        None,
    )
    .await
}

async fn publish_page(
    state: &AppState,
    staff: &CurrentStaff,
    label: String,
    error: Option<&CoreError>,
) -> Result<Response, WebError> {
    if !staff.actor.roles.contains(&Role::PrivacyOfficer) {
        return Err(WebError::NotFound);
    }
    let tr = staff.tr;
    let latest = state.app.latest_statement().await?;
    let mut r = html(&PublishPage {
        l: Layout::staff(staff, "stmt-publish-title"),
        latest: latest
            .as_ref()
            .map_or_else(|| tr.t("stmt-none-published"), |v| version_note(tr, v)),
        latest_number: latest.as_ref().map_or(0, |v| v.number),
        label,
        error: error
            .map(|e| match PublishProblem::of(e) {
                Some(p) => tr.t(&format!("stmt-problem-{}", p.code())),
                None => field_error(tr, e),
            })
            .unwrap_or_default(),
    })?;
    if error.is_some() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<PublishForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let docs = documents(state.app.policy());
    match state
        .app
        .publish_statement(&staff.as_actor(), &f.label, &docs)
        .await
    {
        Ok(number) => {
            Ok(Redirect::to(&format!("/privacyverklaring/versies/{number}")).into_response())
        }
        Err(e @ CoreError::Invalid { .. }) => publish_page(&state, &staff, f.label, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
