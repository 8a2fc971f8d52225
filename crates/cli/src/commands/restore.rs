use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use zv_core::restore::{KeyStoreUsed, RESTORE_RULE, RestoreSource};

use crate::settings::{GlobalArgs, load_policy};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The data backup (`zorgvuldig backup --out`). It is restored into the fresh
    /// installation that --data-dir / ZV_DATABASE_URL name: no database there yet (an
    /// empty PostgreSQL database), no stored files. Live data is never overwritten.
    #[arg(long)]
    pub from: PathBuf,
    /// The backup's files (attachments, activity media, record files); by default the
    /// directory `FROM.files` the backup wrote beside it.
    #[arg(long)]
    pub files_from: Option<PathBuf>,
    /// Put this key-store copy in place. Leave it out to use the current key store at the
    /// target: normally right, since it no longer holds the keys of destroyed clients
    /// (docs/operations/backup-and-keys.md).
    #[arg(long)]
    pub key_store_from: Option<PathBuf>,
}

pub async fn run(global: &GlobalArgs, args: RestoreArgs) -> Result<ExitCode> {
    let resolved = global.resolve()?;
    let policy = load_policy(resolved.policy_path.as_deref())?;
    let target = resolved.settings.database_label();
    let report = zv_core::restore::restore(
        resolved.settings,
        policy,
        Arc::new(zv_domain::SystemClock),
        RestoreSource {
            data: args.from.clone(),
            files: args.files_from,
            key_store: args.key_store_from.clone(),
        },
    )
    .await?;
    println!(
        "Backup {} checked: integrity ok, schema of {} migrations known to this version.",
        args.from.display(),
        report.migrations
    );
    println!(
        "audit log intact: {} events, hash chain verified",
        report.audit.events
    );
    match (&report.key_store, &args.key_store_from) {
        (KeyStoreUsed::Restored, Some(k)) => {
            println!("Key store restored from {}.", k.display());
        }
        _ => println!("Key store: the current one of the target was used."),
    }
    println!("{} stored files restored.", report.files);
    if report.destroyed_clients > 0 {
        println!(
            "{} client(s) had no data key in the key store (destroyed after the backup was \
             made): their rows were destroyed again, recorded under rule '{RESTORE_RULE}'.",
            report.destroyed_clients
        );
    }
    println!(
        "Restored into {target}; the restore is recorded in the audit log, which now holds {} \
         events. Run `zorgvuldig retention run` next: what passed its term since the backup \
         was made goes again.",
        report.audit_events
    );
    Ok(ExitCode::SUCCESS)
}
