use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use zv_core::Actor;

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new key-encryption key and re-wrap every data key under it, online.
    Rotate,
}

pub async fn run(global: &GlobalArgs, cmd: KeysCommand) -> Result<ExitCode> {
    let KeysCommand::Rotate = cmd;
    let app = super::open(global).await?;
    let report = app.rotate_keys(&Actor::cli("keys-rotate")).await?;
    println!(
        "Key-encryption key rotated to version {}; {} client keys re-wrapped.",
        report.new_version, report.client_keys
    );
    Ok(ExitCode::SUCCESS)
}
