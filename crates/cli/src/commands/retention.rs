//! `zorgvuldig retention run`: the retention sweep from the command line, for cron or a
//! run by hand (RET-4). `serve` runs the same sweep daily at the policy's
//! `retention.sweep_daily_at`. A progress bar on a terminal, plain lines otherwise, and a
//! summary at the end.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use zv_core::destruction::{SweepOptions, SweepProgress, SweepReport};

use crate::settings::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Destroy or anonymise, as the policy's rules say, everything whose retention term has
    /// passed; never what is under hold or extended. Safe to interrupt and to run again.
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Report what would go, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The day to run for (YYYY-MM-DD); today by default.
    #[arg(long, value_parser = parse_day)]
    pub on: Option<NaiveDate>,
    /// When another run is busy, wait for it instead of stopping at once.
    #[arg(long)]
    pub wait: bool,
    /// Trajectories per transaction.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=5_000))]
    pub batch_size: u64,
    /// Pause between batches, in milliseconds (to leave the database room for other work).
    #[arg(long, default_value_t = 0)]
    pub pause_ms: u64,
    /// How long the run's lease lasts without renewal, in seconds: a killed run keeps
    /// others out this long.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(5..=3_600))]
    pub lease_seconds: u64,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

pub async fn run(global: &GlobalArgs, cmd: RetentionCommand) -> Result<ExitCode> {
    match cmd {
        RetentionCommand::Run(args) => run_sweep(global, args).await,
    }
}

async fn run_sweep(global: &GlobalArgs, args: RunArgs) -> Result<ExitCode> {
    let app = super::open(global).await?;
    let opts = SweepOptions {
        on: args.on,
        dry_run: args.dry_run,
        batch_size: args.batch_size,
        wait: args.wait,
        lease: Duration::from_secs(args.lease_seconds),
        pause: Duration::from_millis(args.pause_ms),
        ..SweepOptions::default()
    };
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let report = app.run_retention_sweep("cli", &opts, &mut progress).await?;
    progress.finish();
    print_summary(&report);
    Ok(ExitCode::SUCCESS)
}

/// The summary, one fact per line, the same on a terminal and in a log.
pub fn print_summary(r: &SweepReport) {
    let day = r.on.map(|d| d.to_string()).unwrap_or_default();
    if r.busy {
        println!(
            "another retention run is busy; this one did nothing (run again later, or with --wait)"
        );
        return;
    }
    let (verb, prefix) = if r.dry_run {
        ("would be", "dry run: nothing was changed. ")
    } else {
        ("", "")
    };
    println!(
        "{prefix}retention run for {day}: {} trajectories past their term",
        r.due
    );
    let v = |s: &str| {
        if verb.is_empty() {
            s.to_owned()
        } else {
            format!("{verb} {s}")
        }
    };
    println!("  {}: {}", v("destroyed"), r.destroyed);
    println!("  {}: {}", v("anonymised"), r.anonymised);
    println!("  skipped, held or extended: {}", r.skipped_held);
    if r.skipped_unknown_rule > 0 {
        println!(
            "  skipped, service type or rule no longer in the policy: {}",
            r.skipped_unknown_rule
        );
    }
    println!("  clients {}: {}", v("destroyed"), r.clients_destroyed);
    if !r.dry_run {
        println!("  files deleted: {}", r.files);
    }
    println!(
        "  files without their record {}: {}",
        v("deleted"),
        r.orphan_files
    );
    println!(
        "  sent mail past the policy's term {}: {}",
        v("removed"),
        r.mails_pruned
    );
    println!(
        "  handled correspondence past its term {}: {}",
        v("removed"),
        r.correspondence_destroyed
    );
    if r.applicants_destroyed
        + r.staff_id_copies_destroyed
        + r.staff_records_destroyed
        + r.financial_records_destroyed
        > 0
    {
        println!(
            "  applicants {}, staff ID copies {}, staff records {}, financial records {} past their term {}",
            r.applicants_destroyed,
            r.staff_id_copies_destroyed,
            r.staff_records_destroyed,
            r.financial_records_destroyed,
            v("removed"),
        );
    }
    if r.activities_destroyed + r.activity_media_destroyed > 0 {
        println!(
            "  group activities: {} with their participants {}, {} photos and video {}",
            r.activities_destroyed,
            if r.dry_run { "would go" } else { "removed" },
            r.activity_media_destroyed,
            if r.dry_run { "would go" } else { "removed" },
        );
    }
    if r.camera_files_registered + r.camera_files_deleted + r.camera_files_held > 0 {
        println!(
            "  camera files: {} new registered, {} past their term {}, {} kept for an incident",
            r.camera_files_registered,
            r.camera_files_held + r.camera_files_deleted,
            v("deleted"),
            r.camera_files_held
        );
    }
}

/// A progress bar on a terminal (redrawn in place), plain lines every few seconds when
/// the output is a log.
struct Progress {
    tty: bool,
    total: u64,
    started: Instant,
    last_line: Instant,
}

const LINE_EVERY: Duration = Duration::from_secs(5);
const BAR_WIDTH: u64 = 30;

impl Progress {
    fn new(tty: bool) -> Self {
        Self {
            tty,
            total: 0,
            started: Instant::now(),
            last_line: Instant::now(),
        }
    }

    fn finish(&self) {
        if self.tty && self.total > 0 {
            eprintln!();
        }
    }
}

impl SweepProgress for Progress {
    fn start(&mut self, due: u64) {
        self.total = due;
        self.started = Instant::now();
        if !self.tty {
            eprintln!("retention run: {due} trajectories past their term");
        }
    }

    fn advance(&mut self, done: u64, report: &SweepReport) {
        let gone = report.destroyed + report.anonymised;
        let rate = gone as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        if self.tty {
            let filled = (done * BAR_WIDTH)
                .checked_div(self.total)
                .unwrap_or(BAR_WIDTH);
            let bar: String = (0..BAR_WIDTH)
                .map(|i| if i < filled { '#' } else { '-' })
                .collect();
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r[{bar}] {done}/{} ({gone} gone, {} held, {rate:.0}/s)",
                self.total, report.skipped_held
            );
            let _ = err.flush();
        } else if self.last_line.elapsed() >= LINE_EVERY || done >= self.total {
            self.last_line = Instant::now();
            eprintln!(
                "retention run: {done} of {} handled ({gone} gone, {} held, {rate:.0}/s)",
                self.total, report.skipped_held
            );
        }
    }
}
