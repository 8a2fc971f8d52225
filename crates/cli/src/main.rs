//! `zorgvuldig`: the one binary. Errors reach the user here, once, as a plain message and
//! a non-zero exit code; they never carry personal data (the core guarantees that).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod commands;
mod output;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::settings::GlobalArgs;

// The server allocates and frees many small buffers per request on several threads
// (rows, HTML, audit events); glibc's allocator spent a tenth of the dossier benchmark's
// time in contention and consolidation, mimalloc's per-thread heaps avoid that. It also
// stands in for `malloc` itself (feature `override`), so SQLite's page caches, which are
// freed and refilled whenever another connection commits, come from the same heaps
// instead of one glibc arena per connection thread. It does not ask for transparent huge
// pages on its arenas (feature `no_thp`): with them, a touched 4 KiB could make 2 MiB
// resident, about 40 MB of the server's memory under load (decision 0044).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "zorgvuldig", version, about = "Client dossiers that keep the privacy statement's promises", long_about = None)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new installation: database, key file (mode 0600) and the first administrator.
    Init(commands::init::InitArgs),
    /// Load a realistic, entirely fictional data set into a new installation.
    Demo(commands::demo::DemoArgs),
    /// Check the organisation's policy file.
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Inspect the audit log.
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Make a consistent backup of the data (and, separately, of the key store).
    Backup(commands::backup::BackupArgs),
    /// Restore a backup into a fresh installation, verify its audit chain and keep
    /// destroyed clients destroyed.
    Restore(commands::restore::RestoreArgs),
    /// Manage the key-encryption key.
    #[command(subcommand)]
    Keys(commands::keys::KeysCommand),
    /// Send or inspect the mail outbox (notifications such as emergency access).
    #[command(subcommand)]
    Mail(commands::mail::MailCommand),
    /// Data-breach jobs (escalation of the 72-hour clock, TRN-3).
    #[command(subcommand)]
    Breaches(commands::breaches::BreachesCommand),
    /// Rights-request jobs (escalation of overdue requests).
    #[command(subcommand)]
    Requests(commands::requests::RequestsCommand),
    /// The retention sweep: destroy or anonymise what has passed its term (RET-4).
    #[command(subcommand)]
    Retention(commands::retention::RetentionCommand),
    /// Serve the web app.
    Serve(commands::serve::ServeArgs),
    /// Measure the main workloads against their baselines on an existing installation.
    Bench(commands::bench::BenchArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZV_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Init(args) => commands::init::run(&cli.global, args).await,
            Command::Demo(args) => commands::demo::run(&cli.global, args).await,
            Command::Policy(cmd) => commands::policy::run(&cli.global, cmd),
            Command::User(cmd) => commands::user::run(&cli.global, cmd).await,
            Command::Audit(cmd) => commands::audit::run(&cli.global, cmd).await,
            Command::Backup(args) => commands::backup::run(&cli.global, args).await,
            Command::Restore(args) => commands::restore::run(&cli.global, args).await,
            Command::Keys(cmd) => commands::keys::run(&cli.global, cmd).await,
            Command::Mail(cmd) => commands::mail::run(&cli.global, cmd).await,
            Command::Breaches(cmd) => commands::breaches::run(&cli.global, cmd).await,
            Command::Requests(cmd) => commands::requests::run(&cli.global, cmd).await,
            Command::Retention(cmd) => commands::retention::run(&cli.global, cmd).await,
            Command::Serve(args) => commands::serve::run(&cli.global, args).await,
            Command::Bench(args) => commands::bench::run(&cli.global, args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
