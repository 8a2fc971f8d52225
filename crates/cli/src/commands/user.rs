use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use zv_core::Actor;
use zv_core::users::NewUserInput;
use zv_domain::Role;

use crate::output::{qr, read_new_password};
use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account; the password is prompted (or read from stdin).
    Add {
        username: String,
        /// Display name, shown to colleagues and (per policy) to clients in the access log.
        #[arg(long)]
        name: String,
        /// Role(s): caseworker, team_lead, manager, quality_officer, administrator, privacy_officer, hr_officer, finance_officer.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Team code(s) from the policy.
        #[arg(long = "team")]
        teams: Vec<String>,
        /// Branch code from the policy.
        #[arg(long)]
        branch: Option<String>,
        /// Date the confidentiality statement was signed (ACC-8), YYYY-MM-DD.
        #[arg(long)]
        confidentiality_signed: Option<NaiveDate>,
    },
    /// List staff accounts (no secrets).
    List,
    /// Disable an account at once.
    Disable { username: String },
    /// Record that a staff member signed the confidentiality statement.
    SignConfidentiality {
        username: String,
        /// YYYY-MM-DD
        #[arg(long)]
        signed_on: NaiveDate,
    },
}

pub async fn run(global: &GlobalArgs, cmd: UserCommand) -> Result<ExitCode> {
    let app = super::open(global).await?;
    let actor = Actor::cli("user");
    match cmd {
        UserCommand::Add {
            username,
            name,
            roles,
            teams,
            branch,
            confidentiality_signed,
        } => {
            let password = read_new_password(&format!("Password for {username}"))?;
            let enrolment = app
                .add_user(
                    &actor,
                    NewUserInput {
                        username: username.clone(),
                        display_name: name,
                        password,
                        roles,
                        teams,
                        branch,
                        confidentiality_signed_on: confidentiality_signed,
                    },
                )
                .await?;
            println!(
                "Added `{username}` ({}). Second factor for an authenticator app:",
                enrolment.user_id
            );
            println!("{}", enrolment.otpauth_uri.as_str());
            println!("{}", qr(enrolment.otpauth_uri.as_str())?);
        }
        UserCommand::List => {
            println!(
                "{:<20} {:<32} {:<28} {:<12} STATUS",
                "USERNAME", "NAME", "ROLES", "SIGNED"
            );
            for u in app.list_users(&actor).await? {
                println!(
                    "{:<20} {:<32} {:<28} {:<12} {}",
                    u.username,
                    u.display_name,
                    u.roles
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join(","),
                    u.confidentiality_signed_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
        UserCommand::Disable { username } => {
            app.disable_user(&actor, &username).await?;
            println!("Disabled `{username}`.");
        }
        UserCommand::SignConfidentiality {
            username,
            signed_on,
        } => {
            app.record_confidentiality(&actor, &username, signed_on)
                .await?;
            println!("Recorded the confidentiality statement of `{username}`, signed {signed_on}.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
