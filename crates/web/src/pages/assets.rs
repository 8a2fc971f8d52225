//! The stylesheet, compiled into the binary (no third-party assets, SEC-2), and the
//! fallback 404.

use axum::http::header;
use axum::response::IntoResponse;

use crate::error::WebError;

const STYLE: &str = include_str!("../../static/style.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
