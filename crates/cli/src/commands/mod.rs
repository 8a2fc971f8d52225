pub mod audit;
pub mod backup;
pub mod bench;
pub mod bench_http;
pub mod breaches;
pub mod demo;
pub mod init;
pub mod keys;
pub mod mail;
pub mod policy;
pub mod requests;
pub mod restore;
pub mod retention;
pub mod serve;
pub mod user;

use std::sync::Arc;

use anyhow::Result;
use zv_core::App;

use crate::settings::{GlobalArgs, Resolved, load_policy};

/// Opens an existing installation with its policy.
pub async fn open(global: &GlobalArgs) -> Result<App> {
    open_resolved(global.resolve()?).await
}

/// Opens an existing installation from settings already resolved.
pub async fn open_resolved(resolved: Resolved) -> Result<App> {
    let policy = load_policy(resolved.policy_path.as_deref())?;
    Ok(App::open(resolved.settings, policy, Arc::new(zv_domain::SystemClock)).await?)
}
