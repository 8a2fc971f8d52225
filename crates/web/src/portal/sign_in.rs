//! Portal sign-in (POR-1, with the staff's rules of ACC-9): the invitation code the
//! worker handed over, a username and password of the client's choosing, the second
//! factor set up with a QR code and recovery codes; after that, password and code.
//! Refusals of sign-in read the same whatever was wrong; a refused invitation code says
//! why (unknown, used, expired), since guessing one is hopeless anyway.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::sign_in::Stage;

use super::session::{
    CurrentClient, Language, PendingPortal, clear_session_cookie, cookie_name, lang_code,
    session_cookie,
};
use super::{PortalLayout, with_cookie};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::html;
use crate::pages::sign_in::{qr_svg, refusal};
use crate::session::{ClientAddress, LANG_COOKIE, constant_time_eq};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal_sign_in.html")]
struct SignInPage {
    l: PortalLayout,
    username: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_redeem.html")]
struct RedeemPage {
    l: PortalLayout,
    code: String,
    username: String,
    min_password: usize,
    code_error: Option<String>,
    username_error: Option<String>,
    password_error: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_code.html")]
struct CodePage {
    l: PortalLayout,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_enrol.html")]
struct EnrolPage {
    l: PortalLayout,
    qr_svg: String,
    secret: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_recovery.html")]
struct RecoveryPage {
    l: PortalLayout,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: zeroize::Zeroizing<String>,
}

#[derive(Default, Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: zeroize::Zeroizing<String>,
    #[serde(default)]
    password_repeat: zeroize::Zeroizing<String>,
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

fn after_password(stage: Stage) -> &'static str {
    match stage {
        Stage::Enrol => "/portaal/aanmelden/koppelen",
        _ => "/portaal/aanmelden/code",
    }
}

fn with_status(mut r: Response, status: StatusCode) -> Response {
    *r.status_mut() = status;
    r
}

pub async fn form(
    State(state): State<AppState>,
    Language(tr): Language,
) -> Result<Response, WebError> {
    html(&SignInPage {
        l: PortalLayout::new(&state, tr, "title-portal-sign-in"),
        username: String::new(),
        error: None,
    })
}

pub async fn password(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    Language(tr): Language,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match state
        .app
        .portal_sign_in_password(&f.username, &f.password, &from)
        .await
    {
        Ok(issued) => Ok(with_cookie(
            Redirect::to(after_password(issued.stage)).into_response(),
            &session_cookie(state.options.tls, &issued.token),
        )),
        Err(e) => match refusal(tr, &e) {
            Some((status, message)) => Ok(with_status(
                html(&SignInPage {
                    l: PortalLayout::new(&state, tr, "title-portal-sign-in"),
                    username: f.username.clone(),
                    error: Some(message),
                })?,
                status,
            )),
            None => Err(e.into()),
        },
    }
}

fn redeem_page(state: &AppState, tr: Tr, f: &RedeemForm) -> RedeemPage {
    RedeemPage {
        l: PortalLayout::new(state, tr, "title-portal-redeem"),
        code: f.code.trim().to_owned(),
        username: f.username.trim().to_owned(),
        min_password: zv_core::users::MIN_PASSWORD_CHARS,
        code_error: None,
        username_error: None,
        password_error: None,
        error: None,
    }
}

pub async fn redeem_form(
    State(state): State<AppState>,
    Language(tr): Language,
) -> Result<Response, WebError> {
    html(&redeem_page(&state, tr, &RedeemForm::default()))
}

/// Redeems the code with the chosen username and password; then on to the second
/// factor. A refusal names the field, keeps what was typed (never the password) and
/// uses nothing up: the code stays good until the account is made.
pub async fn redeem(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    Language(tr): Language,
    Form(f): Form<RedeemForm>,
) -> Result<Response, WebError> {
    let mut page = redeem_page(&state, tr, &f);
    if *f.password != *f.password_repeat {
        page.password_error = Some(tr.t("portal-password-mismatch"));
        return Ok(with_status(html(&page)?, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let result = state
        .app
        .redeem_portal_invitation(&f.code, &f.username, &f.password, &from)
        .await;
    let status = match result {
        Ok(issued) => {
            return Ok(with_cookie(
                Redirect::to(after_password(issued.stage)).into_response(),
                &session_cookie(state.options.tls, &issued.token),
            ));
        }
        Err(CoreError::Invalid { field, problem }) => {
            match field {
                "code" => {
                    let key = match problem.as_str() {
                        zv_core::portal::CODE_EXPIRED => "portal-code-expired",
                        zv_core::portal::CODE_USED => "portal-code-used",
                        _ => "portal-code-unknown",
                    };
                    page.code_error = Some(tr.t(key));
                }
                "password" => {
                    page.password_error = Some(tr.t1(
                        "portal-password-short",
                        "count",
                        &zv_core::users::MIN_PASSWORD_CHARS,
                    ));
                }
                _ => page.username_error = Some(tr.t("portal-username-rules")),
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => match refusal(tr, &e) {
            Some((status, message)) => {
                page.error = Some(message);
                status
            }
            None => return Err(e.into()),
        },
    };
    Ok(with_status(html(&page)?, status))
}

pub async fn code_form(
    State(state): State<AppState>,
    pending: PendingPortal,
) -> Result<Response, WebError> {
    if pending.stage != Stage::Code {
        return Ok(Redirect::to("/portaal/aanmelden").into_response());
    }
    let mut l = PortalLayout::new(&state, pending.tr, "title-portal-second-factor");
    l.csrf = pending.csrf;
    html(&CodePage { l, error: None })
}

pub async fn code(
    State(state): State<AppState>,
    pending: PendingPortal,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    if !constant_time_eq(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    match state
        .app
        .portal_sign_in_code(&pending.token, &f.code, &pending.address)
        .await
    {
        Ok(issued) => Ok(with_cookie(
            Redirect::to("/portaal").into_response(),
            &session_cookie(state.options.tls, &issued.token),
        )),
        Err(e) => match refusal(pending.tr, &e) {
            Some((status, message)) => {
                let mut l = PortalLayout::new(&state, pending.tr, "title-portal-second-factor");
                l.csrf = pending.csrf;
                Ok(with_status(
                    html(&CodePage {
                        l,
                        error: Some(message),
                    })?,
                    status,
                ))
            }
            None => Err(e.into()),
        },
    }
}

async fn enrol_page(
    state: &AppState,
    pending: &PendingPortal,
    error: Option<String>,
) -> Result<Response, WebError> {
    let enrolment = state.app.portal_enrolment(&pending.token).await?;
    let mut l = PortalLayout::new(state, pending.tr, "title-portal-enrol");
    l.csrf.clone_from(&pending.csrf);
    html(&EnrolPage {
        l,
        qr_svg: qr_svg(&enrolment.otpauth_uri)?,
        secret: enrolment.secret_base32.to_string(),
        error,
    })
}

pub async fn enrol_form(
    State(state): State<AppState>,
    pending: PendingPortal,
) -> Result<Response, WebError> {
    if pending.stage != Stage::Enrol {
        return Ok(Redirect::to("/portaal/aanmelden").into_response());
    }
    enrol_page(&state, &pending, None).await
}

pub async fn enrol(
    State(state): State<AppState>,
    pending: PendingPortal,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    if !constant_time_eq(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    match state
        .app
        .portal_confirm_enrolment(&pending.token, &f.code, &pending.address)
        .await
    {
        Ok((issued, codes)) => {
            let page = html(&RecoveryPage {
                l: PortalLayout::new(&state, pending.tr, "title-portal-recovery-codes"),
                codes: codes.iter().map(|c| c.to_string()).collect(),
            })?;
            Ok(with_cookie(
                page,
                &session_cookie(state.options.tls, &issued.token),
            ))
        }
        Err(CoreError::Invalid { .. }) => {
            let message = pending.tr.t("enrol-code-wrong");
            Ok(with_status(
                enrol_page(&state, &pending, Some(message)).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => match refusal(pending.tr, &e) {
            Some((status, message)) => Ok(with_status(
                enrol_page(&state, &pending, Some(message)).await?,
                status,
            )),
            None => Err(e.into()),
        },
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    client: CurrentClient,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    if let Some(token) = crate::session::cookie(&headers, cookie_name(state.options.tls)) {
        state.app.portal_sign_out(&token, &from).await?;
    }
    Ok(with_cookie(
        Redirect::to("/portaal/aanmelden").into_response(),
        &clear_session_cookie(state.options.tls),
    ))
}

/// Sets the language cookie (functional only) and goes back to the portal.
pub async fn switch_language(Path(lang): Path<String>) -> Result<Response, WebError> {
    let lang = lang_code(&lang)?;
    Ok(with_cookie(
        Redirect::to("/portaal").into_response(),
        &format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000",
            lang.code()
        ),
    ))
}
