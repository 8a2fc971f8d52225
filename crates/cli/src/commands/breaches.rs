//! `zorgvuldig breaches`: the data-breach jobs from the command line, for cron or a run by
//! hand. `serve` runs the same escalation on its own schedule.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum BreachesCommand {
    /// Mail the privacy officer once when a data breach has less than 24 hours left to be
    /// notified to the Autoriteit Persoonsgegevens, and once more when the 72 hours have
    /// passed (TRN-3). Safe to run again.
    Escalate,
}

pub async fn run(global: &GlobalArgs, cmd: BreachesCommand) -> Result<ExitCode> {
    let app = super::open(global).await?;
    match cmd {
        BreachesCommand::Escalate => {
            let report = app.escalate_breach_deadlines("cli").await?;
            println!(
                "queued {} mail(s) about data breach deadlines; {} escalated earlier",
                report.queued, report.already
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
