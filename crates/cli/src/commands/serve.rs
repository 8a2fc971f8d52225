//! `zorgvuldig serve`: the web app on an address.

use std::net::SocketAddr;
use std::process::ExitCode;

use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use zv_core::App;
use zv_core::mail::{Mailer, SmtpSettings};

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

/// How often the mail sender looks for due mail.
const MAIL_EVERY: Duration = Duration::from_secs(10);
/// How often overdue rights requests are looked for (RTS-3); deadlines are days.
const ESCALATE_EVERY: Duration = Duration::from_secs(15 * 60);

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<ExitCode> {
    let resolved = global.resolve()?;
    let smtp = resolved.smtp.clone();
    let app = super::open_resolved(resolved).await?;
    serve(app, &args, smtp.as_ref()).await
}

pub async fn serve(app: App, args: &ServeArgs, smtp: Option<&SmtpSettings>) -> Result<ExitCode> {
    start_mail_sender(&app, smtp).await?;
    tokio::spawn(app.clone().run_request_escalation(ESCALATE_EVERY));
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

/// Runs the mail sender beside the web app when an SMTP server is configured. Without
/// one, mail stays in the outbox (nothing is lost) and this says so once.
async fn start_mail_sender(app: &App, smtp: Option<&SmtpSettings>) -> Result<()> {
    match smtp {
        Some(settings) => {
            let mailer = Mailer::new(settings).context("the mail settings are not valid")?;
            println!(
                "Mail goes out through {}:{} ({}).",
                settings.host,
                settings.port,
                settings.security.as_str()
            );
            tokio::spawn(app.clone().run_mail_sender(mailer, MAIL_EVERY));
        }
        None => {
            let unsent = app.unsent_mail_count().await?;
            tracing::warn!(
                mail.unsent = unsent,
                "mail is not configured (ZV_SMTP_HOST); notifications stay queued until it is"
            );
        }
    }
    Ok(())
}
