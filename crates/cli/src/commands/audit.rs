use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use zv_core::audit_retention::is_checkpoint_problem;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain of the whole audit log; report the first broken link.
    Verify,
    /// Remove the events older than the policy's term (`[audit] log_retention`), under
    /// signed checkpoints so that `audit verify` still proves the rest. Safe to run
    /// nightly from cron, twice, or after an interruption.
    Prune {
        /// Only count what would be removed; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(global: &GlobalArgs, cmd: AuditCommand) -> Result<ExitCode> {
    match cmd {
        AuditCommand::Verify => verify(global).await,
        AuditCommand::Prune { dry_run } => prune(global, dry_run).await,
    }
}

async fn verify(global: &GlobalArgs) -> Result<ExitCode> {
    let app = super::open(global).await?;
    let report = app.verify_audit().await?;
    if let Some(c) = &report.latest_checkpoint {
        println!(
            "pruned under the retention term: events 1..{} (from before {}), {} signed \
             checkpoint(s) verified with key {}",
            c.last_seq, c.kept_from, report.checkpoints, report.key_id
        );
    }
    match report.first_broken {
        None => {
            println!(
                "audit log intact: {} events, hash chain verified",
                report.events
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(broken) if is_checkpoint_problem(broken.reason) => {
            println!(
                "audit log BROKEN at the checkpoint of event {}: {}",
                broken.seq, broken.reason
            );
            Ok(ExitCode::FAILURE)
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

async fn prune(global: &GlobalArgs, dry_run: bool) -> Result<ExitCode> {
    let app = super::open(global).await?;
    let r = app.prune_audit_log(dry_run).await?;
    let range = match (r.first_seq, r.last_seq) {
        (Some(a), Some(b)) => format!(" (events {a}..{b})"),
        _ => String::new(),
    };
    if dry_run {
        println!(
            "dry run: {} audit event(s) from before {} would be removed under the retention \
             term of {}{range}; nothing changed",
            r.pruned, r.kept_from, r.term
        );
    } else {
        println!(
            "removed {} audit event(s) from before {} under the retention term of {}{range}; \
             {} signed checkpoint(s) written",
            r.pruned, r.kept_from, r.term, r.checkpoints
        );
    }
    Ok(ExitCode::SUCCESS)
}
