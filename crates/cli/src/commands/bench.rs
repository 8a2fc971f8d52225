//! `zorgvuldig bench`: the project's benchmark command. Runs each workload against an
//! installation (a new one is loaded with the demo of `--clients` first, an existing one
//! is reused) and prints one table: median, p99, throughput, and the ratio to the workload's baseline
//! measured in the same run. Timing lives here, never in tests.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;
use zv_domain::{EntryContent, EntryKind};

use crate::settings::GlobalArgs;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Clients of the data set: a new installation (an empty data directory or database)
    /// is loaded with the demo of this many first, as `zorgvuldig demo --clients` does;
    /// an existing one is reused as it is.
    #[arg(long, default_value_t = 100_000)]
    pub clients: u32,
    /// Entries in the dossier that is read.
    #[arg(long, default_value_t = 50)]
    pub entries: u32,
    /// Measured repetitions per workload (after a warm-up of a tenth as many).
    #[arg(long, default_value_t = 2_000)]
    pub iterations: u32,
    /// Concurrent connections of the HTTP workload, one run per number (0 skips it).
    #[arg(long, value_delimiter = ',', default_value = "32,128")]
    pub connections: Vec<usize>,
    /// How long the HTTP workload runs.
    #[arg(long, default_value_t = 10)]
    pub http_seconds: u64,
    /// Instead of the workloads: time the retention sweep (RET-4) over every trajectory
    /// past its term on `--sweep-on`, with dossier views measured while it runs. It
    /// destroys those trajectories: run it on a demo installation
    /// (`zorgvuldig demo --clients 100000`).
    #[arg(long)]
    pub sweep: bool,
    /// The day the sweep runs for; by default 30 years from today, so every closed
    /// trajectory of the demo is past its term.
    #[arg(long, value_parser = parse_day)]
    pub sweep_on: Option<chrono::NaiveDate>,
    /// Entries of the access copy's subject (issue 5 measures 5,000).
    #[arg(long, default_value_t = 5_000)]
    pub copy_entries: u32,
    /// Trajectories per transaction of the measured sweep: a smaller batch holds the
    /// write lock shorter (the views' latency) at some cost in rate.
    #[arg(long, default_value_t = 500)]
    pub sweep_batch: u64,
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

struct Row {
    name: &'static str,
    samples: Vec<Duration>,
    baseline: Option<&'static str>,
}

impl Row {
    fn percentile(&self, p: f64) -> Duration {
        let mut s = self.samples.clone();
        s.sort_unstable();
        let i = ((s.len() as f64 - 1.0) * p).round() as usize;
        s.get(i).copied().unwrap_or_default()
    }

    fn per_second(&self) -> f64 {
        let total: Duration = self.samples.iter().sum();
        self.samples.len() as f64 / total.as_secs_f64().max(1e-9)
    }
}

async fn measure<F, Fut>(n: u32, mut f: F) -> Result<Vec<Duration>>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    for i in 0..(n / 10).max(1) {
        f(i).await?;
    }
    let mut samples = Vec::with_capacity(n as usize);
    for i in 0..n {
        let started = Instant::now();
        f(i).await?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}

/// A file of the benchmark's own in the data directory, whose first 4 KiB are rewritten
/// and synced as a commit's log is: the disk's floor under every durable audit event.
struct SyncProbe {
    path: std::path::PathBuf,
    file: std::fs::File,
    round: u8,
}

impl SyncProbe {
    fn create(dir: &std::path::Path) -> Result<Self> {
        use std::io::Write as _;
        let path = dir.join("bench-sync-probe");
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&[0; 4096])?;
        file.sync_all()?;
        Ok(Self {
            path,
            file,
            round: 0,
        })
    }

    fn rewrite_and_sync(&mut self) -> Result<()> {
        use std::io::{Seek as _, Write as _};
        self.round = self.round.wrapping_add(1);
        self.file.rewind()?;
        self.file.write_all(&[self.round; 4096])?;
        self.file.sync_all()?;
        Ok(())
    }

    fn remove(self) -> Result<()> {
        drop(self.file);
        std::fs::remove_file(&self.path)?;
        Ok(())
    }
}

/// The size of the client's dossier the portal workload reads (issue 4).
const PORTAL_ENTRIES: u32 = 500;

pub async fn run(global: &GlobalArgs, args: BenchArgs) -> Result<ExitCode> {
    super::demo::ensure_data_set(global, args.clients).await?;
    // Start-up as `serve` does it: open the database (migrations checked), the key ring,
    // the policy and the compiled access rules, then build the router.
    // The sweep is measured as `retention run` does it, in bulk; the rest as `serve` works.
    let started = Instant::now();
    let mut resolved = global.resolve()?;
    let data_dir = resolved.settings.data_dir.clone();
    if !args.sweep {
        resolved.settings = resolved.settings.for_serving();
    }
    let app = super::open_resolved(resolved).await?;
    let router = zv_web::router(app.clone(), zv_web::WebOptions::default());
    drop(std::hint::black_box(router));
    let start_up = started.elapsed();
    let resident_idle = proc_status("VmRSS:");
    if args.sweep {
        return sweep(&app, &args).await;
    }
    println!(
        "start-up (open database, keys, policy and rules; build the router): {:.0} ms; resident memory at idle: {resident_idle} (target: start-up under 1 s)",
        start_up.as_secs_f64() * 1e3
    );
    println!(
        "preparing the benchmark subject ({} entries)...",
        args.entries
    );
    let subject = app.bench_subject(args.entries).await?;
    let (actor, trajectory, write_trajectory) =
        (&subject.actor, subject.trajectory, subject.write_trajectory);
    println!("preparing the portal's subject ({PORTAL_ENTRIES} entries)...");
    let (client, portal_trajectory) = app.bench_portal_subject(actor, PORTAL_ENTRIES).await?;
    let n = args.iterations;
    let audit_before = app.audit_event_count().await?;
    let mut rows = Vec::new();

    rows.push(Row {
        name: "plain SQL read of the dossier rows",
        samples: measure(n, |_| async {
            app.bench_plain_read(subject.client, trajectory).await?;
            Ok(())
        })
        .await?,
        baseline: None,
    });
    let (mut views, mut gates) = (0u64, 0u64);
    rows.push(Row {
        name: "dossier view (authorize, read, decrypt, audit, render JSON)",
        samples: measure(n, |_| {
            views += 1;
            async {
                let dossier = app.dossier(actor, trajectory).await?;
                let rendered = serde_json::to_vec(&dossier)?;
                std::hint::black_box(rendered);
                Ok(())
            }
        })
        .await?,
        baseline: Some("plain SQL read of the dossier rows"),
    });
    // The part of the privacy tax no view can shed: the gate alone, and under it the
    // disk's sync that makes its audit event durable (whose figure also tells a fast
    // hour from a slow one).
    rows.push(Row {
        name: "  of which the gate alone (decide, audit durably)",
        samples: measure(n, |_| {
            gates += 1;
            async {
                app.bench_gate(actor, trajectory).await?;
                Ok(())
            }
        })
        .await?,
        baseline: Some("plain SQL read of the dossier rows"),
    });
    let mut probe = SyncProbe::create(&data_dir)?;
    rows.push(Row {
        name: "  of which the disk's sync (4 KiB rewritten, fsync)",
        samples: measure(n, |_| {
            let synced = probe.rewrite_and_sync();
            async move { synced }
        })
        .await?,
        baseline: Some("plain SQL read of the dossier rows"),
    });
    probe.remove()?;
    rows.push(Row {
        name: "portal dossier of 500 entries (as its client reads it, JSON)",
        samples: measure(n, |_| async {
            let dossier = app.portal_dossier(&client, portal_trajectory).await?;
            std::hint::black_box(serde_json::to_vec(&dossier)?);
            Ok(())
        })
        .await?,
        baseline: None,
    });
    rows.push(Row {
        name: "client search by name prefix",
        samples: measure(n, |_| async {
            std::hint::black_box(app.search_clients(actor, "be", None).await?);
            Ok(())
        })
        .await?,
        baseline: None,
    });
    let write_n = (n / 4).max(10);
    rows.push(Row {
        name: "create an entry",
        samples: measure(write_n, |i| {
            let app = &app;
            async move {
                let content = EntryContent::parse(
                    EntryKind::ConversationReport,
                    &format!("Benchmark {i}"),
                    "Korte notitie van het gesprek.",
                    None,
                )?;
                app.add_entry(
                    actor,
                    write_trajectory,
                    EntryKind::ConversationReport,
                    content,
                    None,
                )
                .await?;
                Ok(())
            }
        })
        .await?,
        baseline: None,
    });
    // Issue 9's measure: a municipality report for a year, over every trajectory.
    let (manager, report_query) = app.bench_report_subject().await?;
    rows.push(Row {
        name: "municipality report for a year (a whole branch)",
        samples: measure((n / 20).max(5), |_| async {
            std::hint::black_box(app.municipality_report(&manager, &report_query).await?);
            Ok(())
        })
        .await?,
        baseline: None,
    });
    let audit_after = app.audit_event_count().await?;

    println!();
    println!(
        "{:<62} {:>7} {:>10} {:>10} {:>10} {:>8}",
        "workload", "n", "median", "p99", "per s", "ratio"
    );
    for r in &rows {
        let ratio = r
            .baseline
            .and_then(|b| rows.iter().find(|x| x.name == b))
            .map(|b| {
                format!(
                    "{:.1}x",
                    r.percentile(0.5).as_secs_f64() / b.percentile(0.5).as_secs_f64().max(1e-12)
                )
            })
            .unwrap_or_else(|| "-".to_owned());
        println!(
            "{:<62} {:>7} {:>10} {:>10} {:>10.0} {:>8}",
            r.name,
            r.samples.len(),
            format!("{:.2} ms", r.percentile(0.5).as_secs_f64() * 1e3),
            format!("{:.2} ms", r.percentile(0.99).as_secs_f64() * 1e3),
            r.per_second(),
            ratio
        );
    }
    println!();
    println!(
        "audit events written during the run: {} (dossier views measured and warmed up: {views}; the gate alone: {gates})",
        audit_after.saturating_sub(audit_before)
    );
    for &connections in args.connections.iter().filter(|c| **c > 0) {
        let team = app
            .policy()
            .teams()
            .first()
            .map(|t| t.code.clone())
            .unwrap_or_default();
        let events_before = app.audit_event_count().await?;
        let http = super::bench_http::run(
            &app,
            global,
            trajectory,
            &team,
            connections,
            args.http_seconds,
        )
        .await?;
        let events_after = app.audit_event_count().await?;
        let row = Row {
            name: "HTTP dossier view",
            samples: http.samples.clone(),
            baseline: None,
        };
        println!();
        println!(
            "HTTP dossier views at {connections} connections for {:.1} s: {} x 200, {} other; {:.0} audited views/s; median {:.2} ms, p99 {:.2} ms",
            http.elapsed.as_secs_f64(),
            http.ok,
            http.other,
            http.ok as f64 / http.elapsed.as_secs_f64().max(1e-9),
            row.percentile(0.5).as_secs_f64() * 1e3,
            row.percentile(0.99).as_secs_f64() * 1e3,
        );
        println!(
            "the server (`zorgvuldig serve`, a process of its own): start-up to its first answer {:.0} ms; resident memory at idle {} MB, under this load up to {} MB (peak {} MB) (targets: start-up under 1 s, under 150 MB under load)",
            http.server_start_up.as_secs_f64() * 1e3,
            http.server_idle_kb / 1024,
            http.server_load_kb / 1024,
            http.server_peak_kb / 1024,
        );
        println!(
            "dossier reads in the audit log: {} (200 responses: {}; {}); all audit events written meanwhile: {}",
            http.dossier_reads_audited,
            http.ok,
            if http.dossier_reads_audited == http.ok {
                "equal"
            } else {
                "NOT EQUAL"
            },
            events_after.saturating_sub(events_before)
        );
    }
    println!(
        "peak resident memory of this process (the in-process workloads and the load generator): {}",
        peak_memory()
    );

    // `audit verify` over the whole log: the hash chain from the first kept event.
    let started = Instant::now();
    let verified = app.verify_audit().await?;
    let took = started.elapsed();
    println!(
        "audit verify: {} events in {:.2} s, {:.0} events/s ({}) (target: at least 1,000,000 events/s)",
        verified.events,
        took.as_secs_f64(),
        verified.events as f64 / took.as_secs_f64().max(1e-9),
        if verified.first_broken.is_none() {
            "intact"
        } else {
            "BROKEN"
        }
    );

    // Issue 5's measure: the access copy of a client with 5,000 entries and 50
    // attachments (PDF, JSON and the ZIP with the attachments), as the privacy officer
    // prepares it. The peak is reset first, so the memory printed is this workload's.
    println!();
    println!(
        "preparing the access copy's subject ({} entries, {COPY_ATTACHMENTS} attachments)...",
        args.copy_entries
    );
    let (officer, copy_request) = app
        .bench_access_copy_subject(actor, args.copy_entries, COPY_ATTACHMENTS)
        .await?;
    reset_peak_memory();
    // What the process held before (the app, its pools and caches, and what the earlier
    // workloads left with the allocator): part of the peak, not of the copy.
    let resident_before = proc_status("VmRSS:");
    let bundle_bytes = std::sync::atomic::AtomicI64::new(0);
    let copy = Row {
        name: "access copy (PDF and JSON) with 50 attachments",
        samples: measure(COPY_ITERATIONS, |_| async {
            let prepared = app.prepare_access_copy(&officer, copy_request).await?;
            bundle_bytes.store(prepared.size_bytes, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .await?,
        baseline: None,
    };
    println!(
        "{} of {} entries: median {:.2} s, slowest {:.2} s over {} runs; peak resident memory while preparing: {} (resident before: {}; bundle {} KiB) (target: under 3 s and 200 MB)",
        copy.name,
        args.copy_entries,
        copy.percentile(0.5).as_secs_f64(),
        copy.percentile(1.0).as_secs_f64(),
        copy.samples.len(),
        peak_memory(),
        resident_before,
        bundle_bytes.load(std::sync::atomic::Ordering::Relaxed) / 1024
    );
    Ok(ExitCode::SUCCESS)
}

/// The access copy's attachments (issue 5).
const COPY_ATTACHMENTS: u32 = 50;
/// Each run stores a copy; a few show the spread.
const COPY_ITERATIONS: u32 = 3;

/// Resets the peak resident memory the kernel reports (VmHWM) to the current size, so a
/// later reading is the peak of what ran since (Linux; ignored elsewhere).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// VmHWM from /proc (Linux); "unknown" elsewhere.
fn peak_memory() -> String {
    proc_status("VmHWM:")
}

/// One figure of /proc/self/status (Linux); "unknown" elsewhere.
fn proc_status(field: &str) -> String {
    status_field("self", field).unwrap_or_else(|| "unknown".to_owned())
}

/// The value of one line of /proc/PROCESS/status ("41234 kB"), where there is one.
pub(super) fn status_field(process: &str, field: &str) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{process}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l.trim_start_matches(field).trim().to_owned())
}

/// Issue 6's measure: the retention sweep over every trajectory past its term, items per
/// second and peak memory, with dossier views answered meanwhile (their p99).
async fn sweep(app: &zv_core::App, args: &BenchArgs) -> Result<ExitCode> {
    use zv_core::destruction::SweepOptions;
    let on = match args.sweep_on {
        Some(d) => d,
        None => {
            let today = zv_domain::Clock::today(app.clock());
            today
                .checked_add_months(chrono::Months::new(12 * 30))
                .unwrap_or(today)
        }
    };
    println!("preparing the benchmark subject (an open trajectory to view meanwhile)...");
    let subject = app.bench_subject(args.entries).await?;
    let dry = app
        .run_retention_sweep(
            "bench",
            &SweepOptions {
                on: Some(on),
                dry_run: true,
                ..SweepOptions::default()
            },
            &mut (),
        )
        .await?;
    let items = dry.destroyed + dry.anonymised;
    println!(
        "sweep for {on}: {} trajectories past their term ({} to destroy, {} to anonymise, {} clients); dry run took its own time",
        dry.due, dry.destroyed, dry.anonymised, dry.clients_destroyed
    );
    let viewer_id = subject
        .actor
        .user_id()
        .ok_or_else(|| anyhow::anyhow!("the benchmark's subject is viewed by a staff member"))?;
    let reads_before = super::bench_http::dossier_reads_by(app, viewer_id).await?;
    reset_peak_memory();
    let resident_before = proc_status("VmRSS:");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let viewer = {
        let app = app.clone();
        let done = done.clone();
        let actor = subject.actor.clone();
        let trajectory = subject.trajectory;
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                if app.dossier(&actor, trajectory).await.is_err() {
                    break;
                }
                samples.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            samples
        })
    };
    let started = Instant::now();
    let report = app
        .run_retention_sweep(
            "bench",
            &SweepOptions {
                on: Some(on),
                batch_size: args.sweep_batch.max(1),
                ..SweepOptions::default()
            },
            &mut (),
        )
        .await;
    let elapsed = started.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let views = Row {
        name: "dossier view while the sweep runs",
        samples: viewer.await.unwrap_or_default(),
        baseline: None,
    };
    let report = report?;
    let gone = report.destroyed + report.anonymised;
    println!(
        "retention sweep: {gone} trajectories ({} destroyed, {} anonymised) and {} clients in {:.2} s: {:.0} trajectories/s (target: at least 5,000/s on SQLite); {} files; expected {items}",
        report.destroyed,
        report.anonymised,
        report.clients_destroyed,
        elapsed.as_secs_f64(),
        gone as f64 / elapsed.as_secs_f64().max(1e-9),
        report.files,
    );
    println!(
        "dossier views meanwhile: {} (median {:.2} ms, p99 {:.2} ms; target p99 under 20 ms)",
        views.samples.len(),
        views.percentile(0.5).as_secs_f64() * 1e3,
        views.percentile(0.99).as_secs_f64() * 1e3,
    );
    println!(
        "peak resident memory during the sweep: {} (resident before: {resident_before})",
        peak_memory()
    );
    // Every view answered during the sweep must have its read in the log, whether its
    // event waited for a batch or went through the audit intake (decision 0056).
    let reads = super::bench_http::dossier_reads_by(app, viewer_id)
        .await?
        .saturating_sub(reads_before);
    let views = views.samples.len() as u64;
    println!(
        "dossier reads in the audit log from the views meanwhile: {reads} (views answered: {views}; {})",
        if reads == views { "equal" } else { "NOT EQUAL" }
    );
    Ok(ExitCode::SUCCESS)
}
