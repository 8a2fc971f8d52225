//! `zorgvuldig mail`: the outbox from the command line, for cron or when `serve` runs
//! without a mail server.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use zv_core::mail::Mailer;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Try every due mail once through the configured SMTP server.
    SendDue,
    /// List the mails that wait to be sent: kind, age, attempts, last error.
    Queue,
}

pub async fn run(global: &GlobalArgs, cmd: MailCommand) -> Result<ExitCode> {
    let resolved = global.resolve()?;
    let smtp = resolved.smtp.clone();
    let app = super::open_resolved(resolved).await?;
    match cmd {
        MailCommand::SendDue => {
            let Some(settings) = smtp else {
                bail!(
                    "mail is not configured: set ZV_SMTP_HOST and ZV_MAIL_FROM (or [mail] in the config file); {} mail(s) stay queued",
                    app.unsent_mail_count().await?
                );
            };
            let mailer = Mailer::new(&settings).context("the mail settings are not valid")?;
            let report = app.send_due_mail(&mailer).await?;
            println!(
                "sent {}, failed {}; {} still queued",
                report.sent, report.failed, report.unsent
            );
            Ok(if report.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        MailCommand::Queue => {
            let queued = app.unsent_mail().await?;
            if queued.is_empty() {
                println!("no mail waits to be sent");
            }
            for m in queued {
                println!(
                    "{}  {:<18} queued {}  attempts {}  next {}  {}",
                    m.id,
                    m.kind,
                    m.created_at.format("%Y-%m-%d %H:%M UTC"),
                    m.attempts,
                    m.next_attempt_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    m.last_error.unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
