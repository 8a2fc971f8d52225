use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use zv_core::demo::{
    DEMO_PARENT_USERNAME, DEMO_PASSWORD, DEMO_PORTAL_USERNAME, DEMO_TOTP_SECRET, DemoOptions,
    DemoReport,
};
use zv_core::{App, CoreError};
use zv_domain::Clock;

use crate::settings::{GlobalArgs, load_policy};

/// The generator's seed unless one is given.
const DEFAULT_SEED: u64 = 20_251_122;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many clients to generate.
    #[arg(long, default_value_t = 200)]
    pub clients: u32,
    /// Seed of the generator: the same seed and date give the same data set.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// The date the data set is generated for (YYYY-MM-DD; default today).
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Then serve the web app (an installation that already holds the demo is served
    /// as it is).
    #[arg(long)]
    pub serve: bool,
    #[command(flatten)]
    pub server: super::serve::ServeArgs,
}

/// Loads the demo into a new installation (initialising it when the data directory is
/// empty) and prints what it made and how to sign in.
pub async fn run(global: &GlobalArgs, args: DemoArgs) -> Result<ExitCode> {
    let resolved = global.resolve()?;
    let smtp = resolved.smtp.clone();
    let policy = load_policy(resolved.policy_path.as_deref())?;
    let clock = Arc::new(zv_domain::SystemClock);
    let as_of = args.as_of.unwrap_or_else(|| clock.today());
    // Loading is bulk work; serving afterwards opens the installation again as `serve`
    // does, with the server's page cache (decision 0045).
    let online = resolved.settings.clone().for_serving();
    let reopen = {
        let (policy, clock) = (policy.clone(), clock.clone());
        move || App::open(online, policy, clock)
    };
    let (app, _) = open_or_create(resolved.settings, policy, clock).await?;
    let loaded = app
        .load_demo(DemoOptions {
            clients: args.clients,
            seed: args.seed,
            as_of,
        })
        .await;
    let report = match loaded {
        Ok(report) => report,
        Err(CoreError::Conflict(_)) if args.serve => {
            println!("This installation already holds data; serving it as it is.");
            print_accounts_hint();
            drop(app);
            return super::serve::serve(reopen().await?, &args.server, smtp.as_ref()).await;
        }
        Err(e) => return Err(e.into()),
    };
    print_made(&app, &report, args.seed, as_of);
    println!();
    println!(
        "Demo accounts (password `{DEMO_PASSWORD}`, second factor: TOTP secret {DEMO_TOTP_SECRET}):"
    );
    for a in &report.accounts {
        println!(
            "  {:<16} {:<16} {}",
            a.username,
            a.role.code(),
            a.team.as_deref().unwrap_or("-")
        );
    }
    if let Some(p) = &report.portal_account {
        println!();
        println!(
            "Demo client portal account (sign in at /portaal/aanmelden; the same password and TOTP secret):"
        );
        println!(
            "  {:<16} client of {}, with a dossier, the privacy statement given at intake and an access log",
            p.username, p.caseworker
        );
    }
    if let Some(p) = &report.parent_account {
        println!(
            "  {:<16} a parent with authority who reads the dossier of a child of 9 (client of {}), never its work notes or confidential address",
            p.username, p.caseworker
        );
    }
    if args.serve {
        println!();
        drop(app);
        return super::serve::serve(reopen().await?, &args.server, smtp.as_ref()).await;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_accounts_hint() {
    println!(
        "Demo accounts: hulpverlener1, teamleider1, ..., manager, kwaliteit, beheerder, fg.privacy, personeelszaken (HR, Blijf Groep), financien (finance); password `{DEMO_PASSWORD}`, second factor: TOTP secret {DEMO_TOTP_SECRET}"
    );
    println!(
        "Demo client portal account: {DEMO_PORTAL_USERNAME} at /portaal/aanmelden, with the same password and TOTP secret"
    );
    println!(
        "Demo parent portal account: {DEMO_PARENT_USERNAME} at /portaal/aanmelden, with the same password and TOTP secret"
    );
}

fn database_size(app: &App) -> Option<u64> {
    if app.settings().database_url.is_some() {
        return None;
    }
    ["zorgvuldig.db", "zorgvuldig.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(app.data_dir().join(f)).ok())
        .map(|m| m.len())
        .reduce(|a, b| a + b)
}

/// The installation in `settings`, initialised first when its data directory is empty;
/// and whether it was.
async fn open_or_create(
    settings: zv_core::Settings,
    policy: zv_policy::Policy,
    clock: Arc<zv_domain::SystemClock>,
) -> Result<(App, bool)> {
    match App::open(settings.clone(), policy.clone(), clock.clone()).await {
        Ok(app) => Ok((app, false)),
        Err(CoreError::NotInitialised(_)) => {
            Ok((App::create(settings, policy, clock).await?, true))
        }
        Err(e) => Err(e.into()),
    }
}

/// What the demo made, counted.
fn print_made(app: &App, report: &DemoReport, seed: u64, as_of: chrono::NaiveDate) {
    let size = database_size(app);
    println!(
        "Demo data for {} (seed {seed}, as of {as_of}):",
        app.policy().organisation().name,
    );
    println!("  clients               {:>10}", report.clients);
    println!("  related persons       {:>10}", report.related_persons);
    println!(
        "  trajectories          {:>10}  ({} closed, {} past their retention term)",
        report.trajectories, report.closed_trajectories, report.past_term
    );
    println!(
        "  entries               {:>10}  ({} versions, {} special category)",
        report.entries, report.entry_versions, report.special_category_entries
    );
    println!("  goal progress updates {:>10}", report.goal_progress);
    println!("  work notes            {:>10}", report.work_notes);
    println!("  attachments           {:>10}", report.attachments);
    println!(
        "  audit events          {:>10}  (registrations and the caseworkers' history)",
        report.audit_events
    );
    println!(
        "  loaded in {:.1} s: {:.0} encrypted entries per second{}",
        report.elapsed.as_secs_f64(),
        report.entries_per_second(),
        size.map(|s| format!("; database {:.1} MB", s as f64 / 1_048_576.0))
            .unwrap_or_default()
    );
}

/// The benchmark's data set (issue 10: "builds or reuses"): an existing installation is
/// reused as it is; a new one is loaded with the demo of `clients` first. Says which,
/// with the size.
pub(super) async fn ensure_data_set(global: &GlobalArgs, clients: u32) -> Result<()> {
    let resolved = global.resolve()?;
    let policy = load_policy(resolved.policy_path.as_deref())?;
    let clock = Arc::new(zv_domain::SystemClock);
    let (app, created) = open_or_create(resolved.settings, policy, clock.clone()).await?;
    if !created {
        println!(
            "data set: this installation as it is, {} clients and {} audit events (--clients loads a new installation only)",
            app.client_count().await?,
            app.audit_event_count().await?
        );
        return Ok(());
    }
    let as_of = clock.today();
    println!("data set: a new installation; loading the demo of {clients} clients first...");
    let report = app
        .load_demo(DemoOptions {
            clients,
            seed: DEFAULT_SEED,
            as_of,
        })
        .await?;
    print_made(&app, &report, DEFAULT_SEED, as_of);
    Ok(())
}
