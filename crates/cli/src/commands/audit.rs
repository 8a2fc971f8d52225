use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain of the whole audit log; report the first broken link.
    Verify,
}

pub async fn run(global: &GlobalArgs, cmd: AuditCommand) -> Result<ExitCode> {
    let AuditCommand::Verify = cmd;
    let app = super::open(global).await?;
    let report = app.verify_audit().await?;
    match report.first_broken {
        None => {
            println!(
                "audit log intact: {} events, hash chain verified",
                report.events
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(broken) => {
            println!(
                "audit log BROKEN at event {}: {} ({} events checked before it)",
                broken.seq, broken.reason, report.events
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
