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
    /// Render the privacy statement (or the privacy card) from the policy, as the public
    /// page /privacyverklaring shows it (TRN-2, ORG-3).
    Render {
        /// Language: nl (default) or en.
        #[arg(long, default_value = "nl")]
        lang: String,
        /// html (default) or pdf.
        #[arg(long, default_value = "html")]
        format: String,
        /// The one-page privacy card instead of the statement (if the policy has one).
        #[arg(long)]
        card: bool,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(global: &GlobalArgs, cmd: PolicyCommand) -> Result<ExitCode> {
    let files = match cmd {
        PolicyCommand::Check { files } => files,
        PolicyCommand::Render {
            lang,
            format,
            card,
            out,
        } => return render(global, &lang, &format, card, out),
    };
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

fn render(
    global: &GlobalArgs,
    lang: &str,
    format: &str,
    card: bool,
    out: Option<PathBuf>,
) -> Result<ExitCode> {
    let lang = zv_web::Lang::from_code(lang)
        .with_context(|| format!("--lang `{lang}`: choose nl or en"))?;
    let pdf = match format {
        "html" => false,
        "pdf" => true,
        other => anyhow::bail!("--format `{other}`: choose html or pdf"),
    };
    let file = global
        .resolve()?
        .policy_path
        .context("name a policy file with --policy or ZV_POLICY")?;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let policy = zv_policy::parse(&text).map_err(|errors| {
        anyhow::anyhow!(
            "{}: {} problem(s)\n{}",
            file.display(),
            errors.problems.len(),
            prefix_lines(&file.display().to_string(), &errors)
        )
    })?;
    let bytes = zv_web::render_statement(&policy, lang, card, pdf)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .context("this policy has no privacy card (organisation.privacy_card = false)")?;
    match out {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
