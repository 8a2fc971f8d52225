//! Sign-in (ACC-9): password, then the second factor (or its enrolment with a QR code
//! and recovery codes), and sign-out. Every refusal reads the same, so a username's
//! existence cannot be learned here.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::sign_in::Stage;

use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::{
    ClientAddress, CurrentStaff, LANG_COOKIE, PendingSession, clear_session_cookie, lang_of,
    session_cookie,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    l: Layout,
    username: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    l: Layout,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    l: Layout,
    qr_svg: String,
    secret: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryPage {
    l: Layout,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: zeroize::Zeroizing<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub(crate) fn refusal(tr: Tr, e: &CoreError) -> Option<(StatusCode, String)> {
    match e {
        CoreError::SignInFailed => Some((StatusCode::UNAUTHORIZED, tr.t("sign-in-failed"))),
        CoreError::TooManyAttempts { wait_seconds } => Some((
            StatusCode::TOO_MANY_REQUESTS,
            tr.t1("sign-in-wait", "seconds", wait_seconds),
        )),
        _ => None,
    }
}

pub async fn form(headers: HeaderMap) -> Result<Response, WebError> {
    let tr = Tr {
        lang: lang_of(&headers),
    };
    html(&SignInPage {
        l: Layout::anonymous(tr, "title-sign-in", String::new()),
        username: String::new(),
        error: None,
    })
}

pub async fn password(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let tr = Tr {
        lang: lang_of(&headers),
    };
    match state
        .app
        .sign_in_password(&f.username, &f.password, &from)
        .await
    {
        Ok(issued) => {
            let next = match issued.stage {
                Stage::Enrol => "/aanmelden/koppelen",
                _ => "/aanmelden/code",
            };
            Ok(with_cookie(
                Redirect::to(next).into_response(),
                &session_cookie(state.options.tls, &issued.token),
            ))
        }
        Err(e) => match refusal(tr, &e) {
            Some((status, message)) => {
                let mut r = html(&SignInPage {
                    l: Layout::anonymous(tr, "title-sign-in", String::new()),
                    username: f.username.clone(),
                    error: Some(message),
                })?;
                *r.status_mut() = status;
                Ok(r)
            }
            None => Err(e.into()),
        },
    }
}

pub async fn code_form(pending: PendingSession) -> Result<Response, WebError> {
    if pending.stage != Stage::Code {
        return Ok(Redirect::to("/aanmelden").into_response());
    }
    html(&CodePage {
        l: Layout::anonymous(pending.tr, "title-second-factor", pending.csrf),
        error: None,
    })
}

pub async fn code(
    State(state): State<AppState>,
    pending: PendingSession,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    if !crate::session::constant_time_eq(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    match state
        .app
        .sign_in_code(&pending.token, &f.code, &pending.address)
        .await
    {
        Ok(issued) => Ok(with_cookie(
            Redirect::to("/").into_response(),
            &session_cookie(state.options.tls, &issued.token),
        )),
        Err(e) => match refusal(pending.tr, &e) {
            Some((status, message)) => {
                let mut r = html(&CodePage {
                    l: Layout::anonymous(pending.tr, "title-second-factor", pending.csrf),
                    error: Some(message),
                })?;
                *r.status_mut() = status;
                Ok(r)
            }
            None => Err(e.into()),
        },
    }
}

pub(crate) fn qr_svg(uri: &str) -> Result<String, WebError> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| WebError::Core(CoreError::Internal(format!("qr: {e}"))))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build())
}

async fn enrol_page(
    state: &AppState,
    pending: &PendingSession,
    error: Option<String>,
) -> Result<Response, WebError> {
    let enrolment = state.app.enrolment(&pending.token).await?;
    html(&EnrolPage {
        l: Layout::anonymous(pending.tr, "title-enrol", pending.csrf.clone()),
        qr_svg: qr_svg(&enrolment.otpauth_uri)?,
        secret: enrolment.secret_base32.to_string(),
        error,
    })
}

pub async fn enrol_form(
    State(state): State<AppState>,
    pending: PendingSession,
) -> Result<Response, WebError> {
    if pending.stage != Stage::Enrol {
        return Ok(Redirect::to("/aanmelden").into_response());
    }
    enrol_page(&state, &pending, None).await
}

pub async fn enrol(
    State(state): State<AppState>,
    pending: PendingSession,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    if !crate::session::constant_time_eq(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    // A session past (or before) this step has nothing to enrol, as the form says: without
    // this, its refusal would render an enrolment that does not exist (a 500).
    if pending.stage != Stage::Enrol {
        return Ok(Redirect::to("/aanmelden").into_response());
    }
    match state
        .app
        .confirm_enrolment(&pending.token, &f.code, &pending.address)
        .await
    {
        Ok((issued, codes)) => {
            let page = html(&RecoveryPage {
                l: Layout::anonymous(pending.tr, "title-recovery-codes", String::new()),
                codes: codes.iter().map(|c| c.to_string()).collect(),
            })?;
            Ok(with_cookie(
                page,
                &session_cookie(state.options.tls, &issued.token),
            ))
        }
        Err(CoreError::Invalid { .. }) => {
            let message = pending.tr.t("enrol-code-wrong");
            let mut r = enrol_page(&state, &pending, Some(message)).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => match refusal(pending.tr, &e) {
            Some((status, message)) => {
                let mut r = enrol_page(&state, &pending, Some(message)).await?;
                *r.status_mut() = status;
                Ok(r)
            }
            None => Err(e.into()),
        },
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    staff: CurrentStaff,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    if let Some(token) =
        crate::session::cookie(&headers, crate::session::cookie_name(state.options.tls))
    {
        state.app.sign_out(&token).await?;
    }
    Ok(with_cookie(
        Redirect::to("/aanmelden").into_response(),
        &clear_session_cookie(state.options.tls),
    ))
}

/// Sets the language cookie (functional only: it holds "nl" or "en").
pub async fn switch_language(Path(lang): Path<String>) -> Result<Response, WebError> {
    let lang = Lang::from_code(&lang).ok_or(WebError::NotFound)?;
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        &format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000",
            lang.code()
        ),
    ))
}
