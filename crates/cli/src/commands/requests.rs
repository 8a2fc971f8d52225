//! `zorgvuldig requests`: the rights-request jobs from the command line, for cron or a
//! run by hand. `serve` runs the same escalation on its own schedule.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// Escalate every overdue request to the privacy officer, once each: a notice on the
    /// queue and a mail through the outbox (RTS-3). Safe to run again.
    Escalate,
}

pub async fn run(global: &GlobalArgs, cmd: RequestsCommand) -> Result<ExitCode> {
    let app = super::open(global).await?;
    match cmd {
        RequestsCommand::Escalate => {
            let report = app.escalate_overdue_requests("cli").await?;
            println!(
                "escalated {} overdue request(s); {} escalated earlier",
                report.escalated, report.already
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
