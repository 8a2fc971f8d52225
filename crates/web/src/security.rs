//! Security headers on every response (SEC-1, SEC-2): a strict Content-Security-Policy
//! (our own origin only, no inline script at all, no framing), no sniffing, no referrer,
//! no powerful features, and no caching of pages that may hold personal data.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The client portal's pages may run the app's own script and nothing else: the quick
/// exit of a domestic-violence service (POR-5, `static/quick-exit.js`), which keeps the
/// portal to one entry of the tab's history and sends forms with `fetch`. Still no
/// inline script, no other origin.
const PORTAL_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
                          style-src 'self'; img-src 'self' data:; form-action 'self'; \
                          frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/static/");
    let csp = if request.uri().path().starts_with("/portaal") {
        PORTAL_CSP
    } else {
        CSP
    };
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
