//! What every handler shares.

use std::sync::Arc;

/// Deployment choices the web layer needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebOptions {
    /// Served over TLS (directly or behind a proxy): cookies get `Secure` and the
    /// `__Host-` prefix.
    pub tls: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: zv_core::App,
    pub options: WebOptions,
    pub i18n: Arc<crate::i18n::I18n>,
}

impl AppState {
    pub fn new(app: zv_core::App, options: WebOptions) -> Self {
        Self {
            app,
            options,
            i18n: Arc::new(crate::i18n::I18n),
        }
    }
}
