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
    /// At most this many requests worked on at once; the others wait their turn. Bounds
    /// the server's memory under load, whatever the number of connections.
    #[arg(long, env = "ZV_MAX_REQUESTS", default_value = "64")]
    pub max_requests: std::num::NonZeroUsize,
}

/// How often the mail sender looks for due mail.
const MAIL_EVERY: Duration = Duration::from_secs(10);
/// How often overdue rights requests are looked for (RTS-3); deadlines are days.
const ESCALATE_EVERY: Duration = Duration::from_secs(15 * 60);
/// How often the 72-hour clocks of data breaches are looked at (TRN-3): hours matter, so
/// a mail goes out within minutes of a clock passing 24 hours left or its deadline.
const BREACH_ESCALATE_EVERY: Duration = Duration::from_secs(5 * 60);

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<ExitCode> {
    let mut resolved = global.resolve()?;
    resolved.settings = resolved.settings.for_serving();
    let smtp = resolved.smtp.clone();
    let app = super::open_resolved(resolved).await?;
    serve(app, &args, smtp.as_ref()).await
}

pub async fn serve(app: App, args: &ServeArgs, smtp: Option<&SmtpSettings>) -> Result<ExitCode> {
    start_mail_sender(&app, smtp).await?;
    tokio::spawn(app.clone().run_request_escalation(ESCALATE_EVERY));
    tokio::spawn(app.clone().run_breach_escalation(BREACH_ESCALATE_EVERY));
    tokio::spawn(nightly_jobs(app.clone()));
    tokio::spawn(fill_report_facts(app.clone()));
    if !app.database_tidied_by_server().await? {
        tracing::warn!(
            "the PostgreSQL server runs without autovacuum; the nightly jobs vacuum and analyze the database instead"
        );
    }
    println!("Zorgvuldig listens on http://{}/", args.listen);
    zv_web::serve(
        app,
        zv_web::WebOptions {
            tls: args.behind_tls,
            max_requests: Some(args.max_requests),
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

/// The jobs that run once a day inside `serve`, at the policy's
/// `retention.sweep_daily_at` (Europe/Amsterdam): the retention sweep (RET-4). Each job is
/// also a CLI command for cron (`zorgvuldig retention run`); a sweep run from cron at the
/// same time finds the lease taken and does nothing.
/// Gives trajectories from before the report facts were kept their age band and gender
/// (SHR-5), once at start; the job is idempotent, so a restart finds nothing to do.
async fn fill_report_facts(app: App) {
    match app
        .fill_report_facts(&zv_core::gate::Actor::cli("report-facts"))
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(trajectories = n, "report facts filled"),
        Err(e) => {
            tracing::error!(error = %e, "filling the report facts failed; it runs again at the next start")
        }
    }
}

async fn nightly_jobs(app: App) {
    loop {
        let at = app.policy().retention_settings().sweep_daily_at;
        let now = chrono::Utc::now();
        let next = zv_core::destruction::next_daily_run(now, at);
        let wait = (next - now).to_std().unwrap_or(Duration::from_secs(60));
        tokio::time::sleep(wait).await;
        run_nightly_jobs(&app).await;
    }
}

/// One night's jobs. A failure is logged once and the next night tries again: every job
/// is idempotent and picks up what an earlier run left.
async fn run_nightly_jobs(app: &App) {
    let opts = zv_core::destruction::SweepOptions::default();
    match app.run_retention_sweep("scheduler", &opts, &mut ()).await {
        Ok(r) if r.busy => {
            tracing::info!("retention sweep skipped: another run holds the lease");
        }
        Ok(r) => tracing::info!(
            sweep.due = r.due,
            sweep.destroyed = r.destroyed,
            sweep.anonymised = r.anonymised,
            sweep.skipped_held = r.skipped_held,
            sweep.clients_destroyed = r.clients_destroyed,
            sweep.files = r.files,
            sweep.orphan_files = r.orphan_files,
            sweep.mails_pruned = r.mails_pruned,
            sweep.camera_files_deleted = r.camera_files_deleted,
            sweep.camera_files_held = r.camera_files_held,
            sweep.activities_destroyed = r.activities_destroyed,
            sweep.activity_media_destroyed = r.activity_media_destroyed,
            sweep.correspondence_destroyed = r.correspondence_destroyed,
            sweep.applicants_destroyed = r.applicants_destroyed,
            sweep.staff_id_copies_destroyed = r.staff_id_copies_destroyed,
            sweep.staff_records_destroyed = r.staff_records_destroyed,
            sweep.financial_records_destroyed = r.financial_records_destroyed,
            "retention sweep done"
        ),
        Err(e) => tracing::error!(error = %e, "the retention sweep failed; it runs again tomorrow"),
    }
    // ACC-7: audit events past the policy's term go under a signed checkpoint.
    match app.prune_audit_log(false).await {
        Ok(r) => tracing::info!(audit.pruned = r.pruned, "audit log pruned to its term"),
        Err(e) => {
            tracing::error!(error = %e, "pruning the audit log failed; it runs again tomorrow")
        }
    }
    // What the sweep and the pruning deleted, a server without autovacuum keeps as dead
    // rows, and its planner would work from statistics of before.
    match app.database_tidied_by_server().await {
        Ok(true) => {}
        Ok(false) => match app.tidy_database().await {
            Ok(_) => tracing::info!("database tidied (vacuum and statistics)"),
            Err(e) => {
                tracing::error!(error = %e, "tidying the database failed; it runs again tomorrow")
            }
        },
        Err(e) => {
            tracing::error!(error = %e, "cannot tell whether the database server tidies itself")
        }
    }
}
