//! The staff web app: HTML pages over the core. Handlers call the core (never the
//! store); every page with client data goes through the core's gate, so what a page
//! shows is what the access rules allow and what the audit log records.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod admission;
mod api;
mod disposition;
mod error;
mod escape;
mod i18n;
mod pages;
mod portal;
mod security;
mod session;
mod state;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};

pub use i18n::Lang;
pub use state::{AppState, WebOptions};

/// The whole web app over an opened core.
/// The privacy statement (or, with `card`, the privacy card) generated from `policy` in
/// `lang`, as a standalone HTML page or a PDF (TRN-2, ORG-3): what `/privacyverklaring`
/// serves, for `zorgvuldig policy render`. `None` when the policy has no card.
pub fn render_statement(
    policy: &zv_policy::Policy,
    lang: Lang,
    card: bool,
    pdf: bool,
) -> Result<Option<Vec<u8>>, zv_core::CoreError> {
    let doc = if card {
        pages::statement::card(policy, lang)
    } else {
        Some(pages::statement::statement(policy, lang))
    };
    doc.map(|d| pages::statement::render(&d, lang, pdf, card))
        .transpose()
}

pub fn router(app: zv_core::App, options: WebOptions) -> Router {
    // The body limit refuses an oversized upload before it is read; the core checks the
    // exact limit again. A little room for the form's other fields.
    let upload_limit = usize::try_from(app.settings().max_attachment_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let state = AppState::new(app, options);
    Router::new()
        .route("/", get(pages::home::dashboard))
        .route(
            "/aanmelden",
            get(pages::sign_in::form).post(pages::sign_in::password),
        )
        .route(
            "/aanmelden/code",
            get(pages::sign_in::code_form).post(pages::sign_in::code),
        )
        .route(
            "/aanmelden/koppelen",
            get(pages::sign_in::enrol_form).post(pages::sign_in::enrol),
        )
        .route("/afmelden", post(pages::sign_in::sign_out))
        .route("/taal/{lang}", post(pages::sign_in::switch_language))
        .route(
            "/clienten",
            get(pages::clients::search_form).post(pages::clients::search),
        )
        .route(
            "/clienten/nieuw",
            get(pages::intake::form).post(pages::intake::register),
        )
        .route("/clienten/{id}", get(pages::clients::profile))
        .route(
            "/clienten/{id}/betrokkenen",
            post(pages::clients::add_related),
        )
        .route(
            "/clienten/{id}/betrokkenen/geboortedatum",
            post(pages::clients::correct_child_birth_date),
        )
        .route(
            "/clienten/{id}/trajecten",
            post(pages::clients::open_trajectory),
        )
        .route(
            "/clienten/{id}/bsn-vastleggen",
            post(pages::clients::record_bsn),
        )
        .route("/clienten/{id}/bsn", post(pages::clients::reveal_bsn))
        .route(
            "/clienten/{id}/portaal/uitnodiging",
            post(pages::portal_access::invite),
        )
        .route(
            "/clienten/{id}/portaal/intrekken",
            post(pages::portal_access::revoke),
        )
        .route(
            "/clienten/{id}/privacyverklaring",
            post(pages::statement_receipts::record),
        )
        .route("/trajecten/{id}", get(pages::dossier::view))
        .route("/trajecten/{id}/medewerkers", post(pages::dossier::assign))
        .route(
            "/trajecten/{id}/medewerkers/{user}/verwijderen",
            post(pages::dossier::unassign),
        )
        .route("/trajecten/{id}/afsluiten", post(pages::dossier::close))
        .route("/trajecten/{id}/items", post(pages::dossier::add_entry))
        .route(
            "/trajecten/{id}/werkaantekeningen",
            post(pages::dossier::add_work_note),
        )
        .route(
            "/items/{id}",
            get(pages::dossier::edit_form).post(pages::dossier::edit),
        )
        .route("/items/{id}/geschiedenis", get(pages::dossier::history))
        .route("/items/{id}/voortgang", post(pages::dossier::add_progress))
        .route(
            "/items/{id}/bijlagen",
            post(pages::dossier::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/bijlagen/{id}", get(pages::dossier::download))
        .route("/werkaantekeningen/{id}", get(pages::dossier::work_note))
        // MLD-1: the meldcode workflow of a trajectory.
        .route("/trajecten/{id}/meldcode", get(pages::meldcode::page))
        .route(
            "/trajecten/{id}/meldcode/signalen",
            post(pages::meldcode::signals),
        )
        .route(
            "/trajecten/{id}/meldcode/overleg",
            post(pages::meldcode::consultation),
        )
        .route(
            "/trajecten/{id}/meldcode/gesprek",
            post(pages::meldcode::conversation),
        )
        .route(
            "/trajecten/{id}/meldcode/afweging",
            post(pages::meldcode::answer),
        )
        .route(
            "/trajecten/{id}/meldcode/besluit",
            post(pages::meldcode::decide),
        )
        .route(
            "/items/{id}/achterhouden",
            get(pages::withholdings::page).post(pages::withholdings::withhold),
        )
        .route(
            "/achterhoudingen/{id}/opheffen",
            post(pages::withholdings::lift),
        )
        .route(
            "/privacy/achterhoudingen",
            get(pages::withholdings::review_list),
        )
        .route(
            "/privacy/achterhoudingen/{id}",
            get(pages::withholdings::review_detail),
        )
        .route(
            "/privacy/achterhoudingen/{id}/beoordeling",
            post(pages::withholdings::review),
        )
        // RET-5: the destruction schedule and a trajectory's term.
        .route("/privacy/bewaartermijnen", get(pages::retention::schedule))
        .route("/trajecten/{id}/bewaartermijn", get(pages::retention::view))
        .route(
            "/trajecten/{id}/bewaartermijn/verlenging",
            post(pages::retention::extend),
        )
        .route(
            "/trajecten/{id}/bewaartermijn/blokkades",
            post(pages::retention::hold),
        )
        .route(
            "/bewaartermijn/blokkades/{id}/opheffen",
            post(pages::retention::release),
        )
        // TRN-2, ORG-3: the privacy statement and card, public, from the policy.
        .route("/privacyverklaring", get(pages::statement::public))
        .route("/privacyverklaring.pdf", get(pages::statement::public_pdf))
        .route("/privacykaart", get(pages::statement::public_card))
        .route("/privacykaart.pdf", get(pages::statement::public_card_pdf))
        .route(
            "/privacyverklaring/versies",
            get(pages::statement::versions),
        )
        .route(
            "/privacyverklaring/versies/{number}",
            get(pages::statement::version),
        )
        .route(
            "/privacyverklaring/versies/{number}/pdf",
            get(pages::statement::version_pdf),
        )
        .route(
            "/privacyverklaring/verschil",
            get(pages::statement::compare),
        )
        .route(
            "/privacy/verklaring",
            get(pages::statement::publish_form).post(pages::statement::publish),
        )
        // TRN-2, DOS-5: the register of processing activities.
        .route(
            "/register/verwerkingen",
            get(pages::processing_register::screen),
        )
        .route(
            "/register/verwerkingen.csv",
            get(pages::processing_register::export_csv),
        )
        .route(
            "/register/verwerkingen.pdf",
            get(pages::processing_register::export_pdf),
        )
        // SHR-5: anonymous reports to municipalities.
        .route("/rapportages", get(pages::reports::screen))
        .route("/rapportages/vrijgeven", post(pages::reports::release))
        .route("/rapportages/{id}", get(pages::reports::released))
        .route("/rapportages/{id}/csv", get(pages::reports::export_csv))
        .route("/rapportages/{id}/pdf", get(pages::reports::export_pdf))
        // SHR-5: the k-anonymous export for training and research. Static segments, so
        // they win over `/rapportages/{id}`.
        .route("/rapportages/training", get(pages::training_export::screen))
        .route(
            "/rapportages/training.csv",
            get(pages::training_export::export_csv),
        )
        // RET-6: the destruction register.
        .route("/privacy/vernietigingen", get(pages::destruction::screen))
        .route(
            "/privacy/vernietigingen.csv",
            get(pages::destruction::export_csv),
        )
        .route(
            "/privacy/vernietigingen.pdf",
            get(pages::destruction::export_pdf),
        )
        .route("/privacy/verzoeken", get(pages::requests::list))
        .route("/privacy/verzoeken/{id}", get(pages::requests::detail))
        .route(
            "/privacy/verzoeken/nieuw",
            get(pages::requests::register_form).post(pages::requests::register),
        )
        .route(
            "/clienten/{id}/verzoeken/nieuw",
            get(pages::requests::register_form_for_client)
                .post(pages::requests::register_for_client),
        )
        .route(
            "/privacy/verzoeken/{id}/identiteit",
            post(pages::requests::identity)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/privacy/verzoeken/{id}/reactie",
            post(pages::requests::reaction),
        )
        .route(
            "/privacy/verzoeken/{id}/verlenging",
            post(pages::requests::extension),
        )
        .route(
            "/privacy/verzoeken/{id}/besluit",
            post(pages::requests::decide),
        )
        .route(
            "/privacy/verzoeken/{id}/besluitbrief",
            get(pages::requests::letter),
        )
        .route(
            "/trajecten/{id}/noodtoegang",
            post(pages::access::break_the_glass),
        )
        .route(
            "/trajecten/{id}/klacht",
            post(pages::access::register_complaint),
        )
        .route(
            "/klachten/{id}/sluiten",
            post(pages::access::close_complaint),
        )
        .route("/toegang", get(pages::access::page))
        .route("/toegang/vervanging", post(pages::access::set_substitute))
        .route(
            "/toegang/kwaliteitsreview",
            post(pages::access::start_review),
        )
        .route("/toegang/{id}/beeindigen", post(pages::access::end_grant))
        .route(
            "/toegang/{id}/beoordeeld",
            post(pages::access::review_grant),
        )
        .route(
            "/api-sleutels",
            get(pages::tokens::page).post(pages::tokens::create),
        )
        .route("/api-sleutels/{id}/intrekken", post(pages::tokens::revoke))
        .nest("/api/v1", api::router(&state, upload_limit))
        .route("/auditlog", get(pages::audit::screen))
        .route("/auditlog.csv", get(pages::audit::export))
        .route(
            "/beheer/gebruikers",
            get(pages::admin::list).post(pages::admin::create),
        )
        .route(
            "/beheer/gebruikers/{id}",
            get(pages::admin::detail).post(pages::admin::set_roles_and_teams),
        )
        .route(
            "/beheer/gebruikers/{id}/geheimhouding",
            post(pages::admin::record_confidentiality),
        )
        .route(
            "/beheer/gebruikers/{id}/blokkeren",
            post(pages::admin::disable),
        )
        .route(
            "/beheer/gebruikers/{id}/deblokkeren",
            post(pages::admin::enable),
        )
        .route(
            "/beheer/gebruikers/{id}/tweede-factor",
            post(pages::admin::reset_second_factor),
        )
        .merge(portal::routes())
        .merge(pages::minors::routes())
        .merge(pages::rights_effects::routes())
        .merge(pages::erasure::routes())
        .merge(pages::access_copy::routes())
        .merge(pages::portability::routes())
        .merge(pages::complaints::routes())
        .merge(pages::consents::routes())
        .merge(pages::sharing::routes())
        .merge(pages::newsletters::routes())
        .merge(pages::cameras::routes())
        .merge(pages::correspondence::routes())
        .merge(pages::breaches::routes())
        .merge(pages::personnel::routes(upload_limit))
        .merge(pages::activities::routes(upload_limit))
        .route("/static/style.css", get(pages::assets::stylesheet))
        .fallback(pages::assets::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves the app until the process ends.
pub async fn serve(
    app: zv_core::App,
    options: WebOptions,
    listen: SocketAddr,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let mut service = router(app, options);
    if let Some(max) = options.max_requests {
        service = admission::bounded(service, max);
    }
    axum::serve(
        listener,
        service.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
