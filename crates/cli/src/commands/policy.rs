use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::settings::{GlobalArgs, prefix_lines};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate policy files; prints every problem with line, column and field.
    Check {
        /// The policy files to check (default: the configured policy).
        files: Vec<PathBuf>,
    },
}

pub fn run(global: &GlobalArgs, cmd: PolicyCommand) -> Result<ExitCode> {
    let PolicyCommand::Check { files } = cmd;
    let files = if files.is_empty() {
        vec![
            global
                .resolve()?
                .policy_path
                .context("name a policy file, or set --policy / ZV_POLICY")?,
        ]
    } else {
        files
    };
    let mut failed = false;
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        match zv_policy::parse(&text) {
            Ok(policy) => println!(
                "{}: valid ({}; {} branches, {} teams, {} service types, {} retention rules)",
                file.display(),
                policy.organisation().name,
                policy.branches().len(),
                policy.teams().len(),
                policy.service_types().len(),
                policy.retention_rules().len()
            ),
            Err(errors) => {
                failed = true;
                eprintln!(
                    "{}: {} problem(s)\n{}",
                    file.display(),
                    errors.problems.len(),
                    prefix_lines(&file.display().to_string(), &errors)
                );
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
