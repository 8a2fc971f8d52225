//! `zorgvuldig serve`: the web app on an address.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use zv_core::App;

use crate::settings::GlobalArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "ZV_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Browsers reach the app over HTTPS (a TLS proxy in front): cookies get `Secure`
    /// and the `__Host-` prefix.
    #[arg(long, env = "ZV_BEHIND_TLS")]
    pub behind_tls: bool,
}

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<ExitCode> {
    let app = super::open(global).await?;
    serve(app, &args).await
}

pub async fn serve(app: App, args: &ServeArgs) -> Result<ExitCode> {
    println!("Zorgvuldig listens on http://{}/", args.listen);
    zv_web::serve(
        app,
        zv_web::WebOptions {
            tls: args.behind_tls,
        },
        args.listen,
    )
    .await
    .with_context(|| format!("cannot serve on {}", args.listen))?;
    Ok(ExitCode::SUCCESS)
}
