use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use zv_core::Actor;

use crate::settings::GlobalArgs;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the data backup (must not exist). SQLite: a database file made with
    /// VACUUM INTO; PostgreSQL: a pg_dump custom-format archive. The stored files
    /// (attachments, activity media, record files) go to the directory `OUT.files`.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write a copy of the key store here. Keep it apart from the data backups and
    /// only briefly (docs/operations/backup-and-keys.md).
    #[arg(long)]
    pub key_store_out: Option<PathBuf>,
}

pub async fn run(global: &GlobalArgs, args: BackupArgs) -> Result<ExitCode> {
    let app = super::open(global).await?;
    let actor = Actor::cli("backup");
    app.backup(&actor, &args.out).await?;
    println!(
        "Data backup written to {} (it holds no keys), its stored files to {}.",
        args.out.display(),
        zv_core::restore::files_dir_of(&args.out).display()
    );
    if let Some(out) = args.key_store_out {
        app.backup_key_store(&actor, &out).await?;
        println!("Key store backup written to {}.", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
