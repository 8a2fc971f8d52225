//! What every handler shares.

/// Deployment choices the web layer needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebOptions {
    /// Served over TLS (directly or behind a proxy): cookies get `Secure` and the
    /// `__Host-` prefix.
    pub tls: bool,
    /// At most this many requests worked on at once (`admission`); `None`: no limit.
    pub max_requests: Option<std::num::NonZeroUsize>,
}

#[derive(Clone)]
pub struct AppState {
    pub app: zv_core::App,
    pub options: WebOptions,
}

impl AppState {
    pub fn new(app: zv_core::App, options: WebOptions) -> Self {
        Self { app, options }
    }
}
