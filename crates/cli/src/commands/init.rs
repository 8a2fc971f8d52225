use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use zv_core::users::NewUserInput;
use zv_core::{Actor, App};
use zv_domain::Role;

use crate::output::{qr, read_new_password};
use crate::settings::{GlobalArgs, load_policy};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Username of the first administrator.
    #[arg(long, default_value = "beheerder")]
    pub admin_username: String,
    /// Display name of the first administrator.
    #[arg(long, default_value = "Beheerder")]
    pub admin_name: String,
}

/// Creates the installation. The administrator's password is prompted (or read from the
/// first line of standard input); the second-factor secret is shown once, as an otpauth
/// URI and a QR code, and stored only encrypted.
pub async fn run(global: &GlobalArgs, args: InitArgs) -> Result<ExitCode> {
    let resolved = global.resolve()?;
    let policy = load_policy(resolved.policy_path.as_deref())?;
    let password = read_new_password("Password for the first administrator")?;
    let label = resolved.settings.database_label();
    let key = resolved.settings.key_source.describe();
    let app = App::create(resolved.settings, policy, Arc::new(zv_domain::SystemClock)).await?;
    let enrolment = app
        .add_user(
            &Actor::cli("init"),
            NewUserInput {
                username: args.admin_username.clone(),
                display_name: args.admin_name,
                password,
                roles: vec![Role::Administrator],
                teams: vec![],
                branch: None,
                confidentiality_signed_on: None,
            },
        )
        .await;
    let enrolment = match enrolment {
        Ok(e) => e,
        Err(e) => {
            anyhow::bail!(
                "the installation was created at {label}, but the administrator was not: {e}. Add one with `zorgvuldig user add`."
            );
        }
    };
    println!(
        "Initialised {} for {}.",
        label,
        app.policy().organisation().name
    );
    println!(
        "Key file: {key} (mode 0600). Keep a copy apart from the backups; without it the data cannot be read."
    );
    println!();
    println!(
        "Administrator `{}`: add this second factor to an authenticator app:",
        args.admin_username
    );
    println!("{}", enrolment.otpauth_uri.as_str());
    println!("{}", qr(enrolment.otpauth_uri.as_str())?);
    Ok(ExitCode::SUCCESS)
}
