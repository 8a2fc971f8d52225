//! Crashes and faults, with the real binary as a process: `zorgvuldig serve` killed with
//! SIGKILL under a load of concurrent writes and reads, its PostgreSQL database made
//! unreachable mid-load, and its SQLite files unable to grow (a full disk). Afterwards
//! every write that was acknowledged is there, every read that was answered has its audit
//! event, `zorgvuldig audit verify` passes and SQLite's integrity check says `ok`; while
//! the database is unreachable or full the app answers 503 with a plain message, never a
//! 500, and it recovers without a restart once the database is back.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::{Value, json};
use zv_core::api_tokens::Scope;
use zv_core::clients::NewClientInput;
use zv_core::trajectories::TrajectoryInput;
use zv_core::users::NewUserInput;
use zv_core::{Actor, App, Settings};
use zv_domain::{
    AuditAction, AuditObject, BirthDate, ClientId, Clock, Gender, PersonName, Role, SystemClock,
    TrajectoryId,
};
use zv_testkit::{Engine, PgDatabase, TEST_PASSWORD, engines, policy, policy_path};

/// The client whose dossier the load works on: a name that must never appear in an
/// error page or an error body.
const CLIENT_NAME: &str = "Crashtest Vandermolen";
const USERNAME: &str = "hulpverlener";
/// Words of internal detail that an answer to a user must never carry.
const INTERNALS: [&str; 10] = [
    "sqlx",
    "sqlite",
    "postgres",
    "database error",
    "disk i/o",
    "terminating",
    "panicked",
    ".rs:",
    "stack backtrace",
    "connection error",
];
/// The longest a step of these tests may take before it counts as hung.
const PATIENCE: Duration = Duration::from_secs(120);

/// An installation made as an operator would before the first `serve`: a caseworker with
/// an API token (read and write) and a second factor, and one client whose dossier the
/// load works on.
struct Install {
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    token: String,
    totp_secret: String,
    client: ClientId,
    trajectory: TrajectoryId,
}

async fn install(engine: Engine) -> Install {
    let dir = tempfile::tempdir().unwrap();
    let pg = match engine {
        Engine::Sqlite => None,
        Engine::Postgres => Some(PgDatabase::create().await),
    };
    let mut settings = Settings::new(dir.path().join("data"));
    settings.database_url = pg.as_ref().map(|p| p.url.clone());
    let app = App::create(settings, policy("blijfgroep"), Arc::new(SystemClock))
        .await
        .unwrap();
    let today = SystemClock.today();
    let team = app.policy().teams()[0].code.clone();
    let enrolment = app
        .add_user(
            &Actor::cli("test"),
            NewUserInput {
                username: USERNAME.to_owned(),
                display_name: "Medewerker Crash".to_owned(),
                password: zeroize::Zeroizing::new(TEST_PASSWORD.to_owned()),
                roles: vec![Role::Caseworker],
                teams: vec![team.clone()],
                branch: None,
                confidentiality_signed_on: Some(today),
            },
        )
        .await
        .unwrap();
    let totp_secret = zv_core::sign_in::otpauth_secret(&enrolment.otpauth_uri)
        .unwrap()
        .to_owned();
    let worker = app.staff_actor(USERNAME, "test").await.unwrap();
    let (client, trajectory) = app
        .register_client(
            &worker,
            NewClientInput {
                branch: app.policy().branches()[0].code.clone(),
                name: PersonName::parse(CLIENT_NAME).unwrap(),
                birth_date: BirthDate::parse("1981-04-05", today).unwrap(),
                gender: Gender::Unknown,
                address: None,
                phone: None,
                email: None,
                confidential_address: false,
            },
            TrajectoryInput {
                service_type: "opvang".to_owned(),
                team,
                domestic_violence: false,
                opened_on: today,
                municipality: None,
            },
        )
        .await
        .unwrap();
    let token = app
        .create_api_token(
            &worker,
            "belasting",
            &[Scope::Read, Scope::Write],
            today + chrono::Duration::days(30),
        )
        .await
        .unwrap()
        .token
        .to_string();
    Install {
        dir,
        pg,
        token,
        totp_secret,
        client,
        trajectory,
    }
}

impl Install {
    fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// The binary, configured for this installation as an operator's environment would.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_remove("ZV_DATABASE_URL")
            .env_remove("ZV_MASTER_KEY")
            .env("ZV_DATA_DIR", self.data_dir())
            .env("ZV_POLICY", policy_path("blijfgroep"))
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(pg) = &self.pg {
            cmd.env("ZV_DATABASE_URL", &pg.url);
        }
        cmd
    }

    /// `zorgvuldig audit verify`, run as an operator would.
    fn audit_verify(&self) -> Output {
        self.command(env!("CARGO_BIN_EXE_zorgvuldig"))
            .args(["audit", "verify"])
            .output()
            .unwrap()
    }

    /// The store, opened beside the app to count audit events without adding any.
    async fn store(&self) -> zv_store::Store {
        zv_store::Store::open(
            &zv_store::StoreConfig {
                database_url: self.pg.as_ref().map(|p| p.url.clone()),
                data_dir: self.data_dir(),
                page_cache: zv_store::PageCache::default(),
            },
            zv_store::OpenMode::MustExist,
        )
        .await
        .unwrap()
    }

    /// The recorded reads of the dossier the load works on.
    async fn dossier_read_events(&self) -> usize {
        self.dossier_reads().await.len()
    }

    /// The recorded reads of the dossier the load works on: when each was recorded and
    /// where from (`web …` for a page, the API otherwise).
    async fn dossier_reads(&self) -> Vec<(chrono::DateTime<chrono::Utc>, String)> {
        let store = self.store().await;
        let tx = store.read_tx().await.unwrap();
        let events = zv_store::audit::search(
            &tx,
            &zv_store::AuditFilter {
                client: Some(self.client),
                action: Some(AuditAction::Read),
                ..zv_store::AuditFilter::default()
            },
            10_000_000,
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        store.close().await.unwrap();
        events
            .iter()
            .filter(|e| {
                e.event.object == AuditObject::Trajectory
                    && e.event.object_id == Some(self.trajectory.as_uuid())
            })
            .map(|e| (e.at, e.event.access_point.clone()))
            .collect()
    }

    /// The first column of every row `sql` returns from one of the SQLite files, opened
    /// beside the server (`mode` `ro` while it runs, `rw` to run recovery after a kill).
    async fn sqlite_column<T: sea_orm::TryGetable>(
        &self,
        file: &str,
        mode: &str,
        sql: &str,
    ) -> Vec<T> {
        let path = self.data_dir().join(file);
        let conn = Database::connect(format!("sqlite://{}?mode={mode}", path.display()))
            .await
            .unwrap();
        let rows = conn
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap();
        conn.close().await.unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index::<T>(0).unwrap())
            .collect()
    }

    /// The rows of a table of the data file, as the server has committed them.
    async fn sqlite_count(&self, table: &str) -> i64 {
        self.sqlite_column(
            "zorgvuldig.db",
            "ro",
            &format!("SELECT count(*) FROM {table}"),
        )
        .await[0]
    }

    /// SQLite's own check of both files (the data and the key store), with the server
    /// down: opening them runs the recovery a restarted server would run.
    async fn sqlite_integrity(&self) {
        if self.pg.is_some() {
            return;
        }
        for file in ["zorgvuldig.db", "keys.db"] {
            let verdict: Vec<String> = self
                .sqlite_column(file, "rw", "PRAGMA integrity_check")
                .await;
            assert_eq!(verdict, ["ok"], "integrity of {file}");
        }
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `zorgvuldig serve` as a process, its output collected as it comes.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server; with `file_blocks`, no file it writes may grow past that many
    /// blocks (`ulimit -f`), and the signal for it is ignored, so a write past the limit
    /// fails with EFBIG as on a full disk instead of killing the process.
    fn start(inst: &Install, file_blocks: Option<u64>) -> Self {
        let port = free_port();
        let bin = env!("CARGO_BIN_EXE_zorgvuldig");
        let mut cmd = match file_blocks {
            None => inst.command(bin),
            Some(blocks) => {
                let mut c = inst.command("sh");
                c.args([
                    "-c",
                    "trap '' XFSZ; ulimit -f \"$1\" || exit 99; shift; exec \"$@\"",
                    "sh",
                    &blocks.to_string(),
                    bin,
                ]);
                c
            }
        };
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
        let mut child = cmd.spawn().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()) as Box<dyn Read + Send>,
        ] {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            });
        }
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits until the API answers the token.
    async fn ready(&mut self, inst: &Install) {
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            assert!(
                self.is_running(),
                "the server stopped at start:\n{}",
                self.log()
            );
            if let Ok(r) = http
                .get(format!("{}/api/v1/me", self.base))
                .bearer_auth(&inst.token)
                .send()
                .await
                && r.status() == 200
            {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the server never answered:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown code runs, no buffer is flushed.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn api_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(PATIENCE)
        .build()
        .unwrap()
}

/// The session cookie a response sets, if it sets one.
fn set_session(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("zv_session="))
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.is_empty())
        .map(|v| format!("zv_session={v}"))
}

/// Signs the caseworker in to the web app as a person does (password, then the code of
/// the authenticator app, enrolling it) and returns the session cookie.
async fn sign_in(server: &Server, inst: &Install) -> String {
    let http = api_client();
    let first = http
        .post(format!("{}/aanmelden", server.base))
        .form(&[("username", USERNAME), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let mut cookie = set_session(&first).unwrap();
    let step = first
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(step, "/aanmelden/koppelen");
    let form = http
        .get(format!("{}{step}", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = zv_core::sign_in::totp_code(&inst.totp_secret, now).unwrap();
    let done = http
        .post(format!("{}{step}", server.base))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    if let Some(rotated) = set_session(&done) {
        cookie = rotated;
    }
    cookie
}

/// What one task of the load does over and over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    /// `POST /api/v1/trajectories/{id}/entries` with a unique marker as the title.
    Write,
    /// `GET /api/v1/trajectories/{id}`: the dossier through the API.
    Read,
    /// `GET /trajecten/{id}`: the dossier as a page, signed in.
    Page,
}

/// A read answered 200: its event must carry a time between these two.
#[derive(Debug, Clone, Copy)]
struct ReadWindow {
    op: Op,
    sent: chrono::DateTime<chrono::Utc>,
    answered: chrono::DateTime<chrono::Utc>,
}

/// The answered reads that no recorded event can account for: each read takes the
/// earliest unused event of its kind (page or API) recorded between its sending and its
/// answer, the reads taken in the order they were answered.
fn unaccounted_reads(
    windows: &[ReadWindow],
    events: &[(chrono::DateTime<chrono::Utc>, String)],
) -> Vec<ReadWindow> {
    let mut windows = windows.to_vec();
    windows.sort_by_key(|w| w.answered);
    let mut events: Vec<(chrono::DateTime<chrono::Utc>, bool)> = events
        .iter()
        .map(|(at, point)| (*at, point.starts_with("web ")))
        .collect();
    events.sort();
    let mut used = vec![false; events.len()];
    let mut missing = Vec::new();
    for w in windows {
        let page = w.op == Op::Page;
        // Event times are in microseconds; the client's clock reads the same system clock.
        let lo = w.sent - chrono::Duration::microseconds(1);
        let hi = w.answered + chrono::Duration::microseconds(1);
        let found = events
            .iter()
            .enumerate()
            .position(|(i, (at, web))| !used[i] && *web == page && *at >= lo && *at <= hi);
        match found {
            Some(i) => used[i] = true,
            None => missing.push(w),
        }
    }
    missing
}

/// An answer that was not a success, with the phases (see [`Load::phase`]) in which its
/// request started and ended.
struct Refusal {
    op: Op,
    started: u8,
    ended: u8,
    status: u16,
    body: String,
}

/// Concurrent writers and readers against one server, recording what was acknowledged.
struct Load {
    base: String,
    token: String,
    cookie: String,
    trajectory: TrajectoryId,
    tag: String,
    http: reqwest::Client,
    stop: AtomicBool,
    /// Set by the test: 0 before a fault, 1 while it lasts, 2 after it ended.
    phase: AtomicU8,
    /// The markers of the writes answered 201.
    acked: Mutex<Vec<String>>,
    /// Reads (API and page) answered 200.
    reads: AtomicU64,
    /// When each read answered 200 was sent and answered, to match it with its event.
    read_windows: Mutex<Vec<ReadWindow>>,
    /// Successes by (op, phase started, phase ended).
    successes: Mutex<BTreeMap<(Op, u8, u8), u64>>,
    refusals: Mutex<Vec<Refusal>>,
    /// Requests that got no answer at all (the server gone).
    unanswered: AtomicU64,
}

impl Load {
    fn new(server: &Server, inst: &Install, cookie: &str, tag: &str) -> Arc<Self> {
        Arc::new(Self {
            base: server.base.clone(),
            token: inst.token.clone(),
            cookie: cookie.to_owned(),
            trajectory: inst.trajectory,
            tag: tag.to_owned(),
            http: api_client(),
            stop: AtomicBool::new(false),
            phase: AtomicU8::new(0),
            acked: Mutex::new(Vec::new()),
            reads: AtomicU64::new(0),
            read_windows: Mutex::new(Vec::new()),
            successes: Mutex::new(BTreeMap::new()),
            refusals: Mutex::new(Vec::new()),
            unanswered: AtomicU64::new(0),
        })
    }

    /// Starts `writers` writing tasks, `readers` API readers and one page reader.
    fn start(self: &Arc<Self>, writers: usize, readers: usize) -> Vec<tokio::task::JoinHandle<()>> {
        let mut tasks = Vec::new();
        for w in 0..writers {
            tasks.push(tokio::spawn(Arc::clone(self).run(Op::Write, w)));
        }
        for r in 0..readers {
            tasks.push(tokio::spawn(Arc::clone(self).run(Op::Read, r)));
        }
        tasks.push(tokio::spawn(Arc::clone(self).run(Op::Page, 0)));
        tasks
    }

    /// The refusals so far, taken out of the load.
    fn take_refusals(&self) -> Vec<Refusal> {
        std::mem::take(&mut *self.refusals.lock().unwrap())
    }

    fn acked(&self) -> usize {
        self.acked.lock().unwrap().len()
    }

    fn successes(&self, op: Op, started: u8, ended: u8) -> u64 {
        self.successes
            .lock()
            .unwrap()
            .get(&(op, started, ended))
            .copied()
            .unwrap_or(0)
    }

    async fn run(self: Arc<Self>, op: Op, worker: usize) {
        let dossier = format!("{}/api/v1/trajectories/{}", self.base, self.trajectory);
        let mut i = 0u64;
        while !self.stop.load(Ordering::SeqCst) {
            i += 1;
            let marker = format!("merk-{}-{worker}-{i}", self.tag);
            let started = self.phase.load(Ordering::SeqCst);
            let sent_at = chrono::Utc::now();
            let sent = match op {
                Op::Write => {
                    let body = json!({
                        "kind": "conversation_report",
                        "title": marker,
                        "body": format!("Gesprek {marker}"),
                    });
                    self.http
                        .post(format!("{dossier}/entries"))
                        .bearer_auth(&self.token)
                        .header("content-type", "application/json")
                        .body(serde_json::to_vec(&body).unwrap())
                        .send()
                        .await
                }
                Op::Read => {
                    self.http
                        .get(&dossier)
                        .bearer_auth(&self.token)
                        .send()
                        .await
                }
                Op::Page => {
                    self.http
                        .get(format!("{}/trajecten/{}", self.base, self.trajectory))
                        .header("cookie", &self.cookie)
                        .send()
                        .await
                }
            };
            let Ok(answer) = sent else {
                self.unanswered.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            // A status is the server's answer: a 201 means the write was committed
            // (acknowledged), a 200 read was released after its audit event.
            let status = answer.status().as_u16();
            let success = match (op, status) {
                (Op::Write, 201) => {
                    self.acked.lock().unwrap().push(marker);
                    true
                }
                (Op::Read | Op::Page, 200) => {
                    self.reads.fetch_add(1, Ordering::SeqCst);
                    self.read_windows.lock().unwrap().push(ReadWindow {
                        op,
                        sent: sent_at,
                        answered: chrono::Utc::now(),
                    });
                    true
                }
                _ => false,
            };
            let body = answer.text().await.unwrap_or_default();
            let ended = self.phase.load(Ordering::SeqCst);
            if success {
                *self
                    .successes
                    .lock()
                    .unwrap()
                    .entry((op, started, ended))
                    .or_default() += 1;
            } else {
                self.refusals.lock().unwrap().push(Refusal {
                    op,
                    started,
                    ended,
                    status,
                    body,
                });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    async fn stop(&self, tasks: Vec<tokio::task::JoinHandle<()>>) {
        self.stop.store(true, Ordering::SeqCst);
        for t in tasks {
            t.await.unwrap();
        }
    }

    /// Waits until `pred` holds of the load, or fails with the server's log.
    async fn wait_for(&self, server: &mut Server, what: &str, pred: impl Fn(&Self) -> bool) {
        let started = Instant::now();
        while !pred(self) {
            assert!(server.is_running(), "the server died:\n{}", server.log());
            assert!(
                started.elapsed() < PATIENCE,
                "waited in vain for {what}:\n{}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Every acknowledged write is in the dossier the (restarted) server shows.
async fn assert_all_present(server: &Server, inst: &Install, acked: &[String]) {
    let r = api_client()
        .get(format!(
            "{}/api/v1/trajectories/{}",
            server.base, inst.trajectory
        ))
        .bearer_auth(&inst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let dossier: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    let titles: std::collections::BTreeSet<&str> = dossier["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    let missing: Vec<&String> = acked
        .iter()
        .filter(|m| !titles.contains(m.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are lost: {missing:?}",
        missing.len(),
        acked.len()
    );
}

/// An answer to a user while the database is out of reach: 503, a plain message, and
/// nothing of the inside or of the client.
fn assert_plain_unavailable(r: &Refusal) {
    assert_eq!(r.status, 503, "{:?}: {}", r.op, r.body);
    let lower = r.body.to_lowercase();
    for word in INTERNALS {
        assert!(
            !lower.contains(word),
            "{:?} tells `{word}`: {}",
            r.op,
            r.body
        );
    }
    assert!(!r.body.contains(CLIENT_NAME), "{}", r.body);
    assert!(!r.body.contains("Vandermolen"), "{}", r.body);
    match r.op {
        Op::Page => assert!(
            r.body.contains("Tijdelijk niet beschikbaar") && r.body.contains("niets opgeslagen"),
            "a Dutch page that says what happened: {}",
            r.body
        ),
        Op::Read | Op::Write => {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(body["error"], "unavailable", "{}", r.body);
        }
    }
}

fn assert_verifies(inst: &Install) {
    let verify = inst.audit_verify();
    assert!(
        verify.status.success(),
        "audit verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}

/// How many writes each kill waits for before it strikes.
const WRITES_PER_CYCLE: usize = 150;
const CYCLES: usize = 3;

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_under_load_keeps_every_acknowledged_write_and_audits_every_answered_read()
{
    for engine in engines() {
        let inst = install(engine).await;
        let mut server = Server::start(&inst, None);
        server.ready(&inst).await;
        let cookie = sign_in(&server, &inst).await;
        let mut acked: Vec<String> = Vec::new();
        let mut reads = 0u64;
        let mut unanswered = 0u64;
        for cycle in 0..CYCLES {
            let load = Load::new(&server, &inst, &cookie, &format!("c{cycle}"));
            let tasks = load.start(3, 2);
            load.wait_for(&mut server, "acknowledged writes", |l| {
                l.acked() >= WRITES_PER_CYCLE
            })
            .await;
            server.kill();
            load.stop(tasks).await;
            let refusals = load.take_refusals();
            // Before the kill every request succeeds; after it, none is answered.
            assert!(
                refusals.is_empty(),
                "{engine:?}: {:?}",
                refusals
                    .iter()
                    .map(|r| (r.op, r.status, &r.body))
                    .collect::<Vec<_>>()
            );
            acked.extend(load.acked.lock().unwrap().iter().cloned());
            reads += load.reads.load(Ordering::SeqCst);
            unanswered += load.unanswered.load(Ordering::SeqCst);

            // Down: the files survive the kill, the chain holds, every released read
            // was recorded before it was released.
            inst.sqlite_integrity().await;
            assert_verifies(&inst);
            let recorded = inst.dossier_read_events().await;
            assert!(
                recorded as u64 >= reads,
                "{engine:?}: {reads} reads answered, {recorded} recorded"
            );

            // Up again: every acknowledged write is there.
            server = Server::start(&inst, None);
            server.ready(&inst).await;
            assert_all_present(&server, &inst, &acked).await;
            reads += 1;
        }
        server.kill();
        assert!(!server.log().contains("panicked"), "{}", server.log());
        println!(
            "{engine:?}: {CYCLES} SIGKILL cycles survived; {} acknowledged writes present, {reads} answered reads audited, {unanswered} requests cut off by the kills",
            acked.len()
        );
    }
}

/// How long the database stays unreachable while the load goes on.
const OUTAGE: Duration = Duration::from_secs(4);

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn while_postgresql_is_unreachable_the_app_answers_503_and_recovers_without_a_restart() {
    if !engines().contains(&Engine::Postgres) {
        return;
    }
    let inst = install(Engine::Postgres).await;
    let name = inst.pg.as_ref().unwrap().name.clone();
    let mut server = Server::start(&inst, None);
    server.ready(&inst).await;
    let cookie = sign_in(&server, &inst).await;
    let load = Load::new(&server, &inst, &cookie, "pg");
    let tasks = load.start(2, 2);
    load.wait_for(&mut server, "writes before the outage", |l| l.acked() >= 50)
        .await;

    // The PostgreSQL server is shared with the other tests running at the same time, so
    // it is not restarted. For this app a restart looks the same as what is done here
    // instead: every connection it holds is terminated (as a shutdown does) and new ones
    // are refused (as while the server is down or starting), then connections are
    // accepted again, with the data as it was committed.
    let admin = Database::connect(zv_testkit::postgres_admin_url().unwrap())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"
        ))
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let rows = admin
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ),
            ))
            .await
            .unwrap();
        if rows.is_empty() {
            break;
        }
        assert!(started.elapsed() < PATIENCE, "the backends never ended");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    load.phase.store(1, Ordering::SeqCst);
    tokio::time::sleep(OUTAGE).await;
    load.phase.store(2, Ordering::SeqCst);
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"
        ))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let back = |l: &Load| {
        l.successes(Op::Write, 2, 2) >= 20
            && l.successes(Op::Read, 2, 2) >= 2
            && l.successes(Op::Page, 2, 2) >= 2
    };
    load.wait_for(&mut server, "answers after the outage", back)
        .await;
    load.stop(tasks).await;
    assert!(server.is_running(), "the same process, never restarted");

    let refusals = load.take_refusals();
    for r in refusals.iter() {
        assert_plain_unavailable(r);
    }
    let mut during = BTreeMap::new();
    for r in refusals.iter().filter(|r| (r.started, r.ended) == (1, 1)) {
        *during.entry(r.op).or_insert(0u64) += 1;
    }
    for op in [Op::Write, Op::Read, Op::Page] {
        assert_eq!(load.successes(op, 1, 1), 0, "{op:?} answered while down");
        assert!(
            during.get(&op).copied().unwrap_or(0) > 0,
            "{op:?} was asked and refused while down"
        );
    }
    assert_eq!(load.unanswered.load(Ordering::SeqCst), 0);
    let acked = load.acked.lock().unwrap().clone();
    assert_all_present(&server, &inst, &acked).await;
    let reads = load.reads.load(Ordering::SeqCst);
    let recorded = inst.dossier_read_events().await;
    assert!(
        recorded as u64 >= reads,
        "{reads} reads answered, {recorded} recorded"
    );
    server.kill();
    assert_verifies(&inst);
    assert!(!server.log().contains("panicked"), "{}", server.log());
    println!(
        "Postgres: {} acknowledged writes present, {reads} answered reads audited, {} answers 503 during a {}s outage ({during:?}), recovered without a restart",
        acked.len(),
        refusals.len(),
        OUTAGE.as_secs()
    );
}

/// The size of the largest file in `dir`.
fn largest_file(dir: &Path) -> u64 {
    zv_testkit::files_under(dir)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .max()
        .unwrap_or(0)
}

/// How the disk fills up under the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Full {
    /// No file may grow past a size (`ulimit -f`): a write past it fails with EFBIG.
    FileSize,
    /// The data directory is a small file system (tmpfs) with little room left: a write
    /// fails with ENOSPC, as on a real full disk. Mounting it takes root, as CI has.
    FileSystem,
}

/// A small tmpfs mounted over a directory, holding what the directory held; unmounted
/// with the files copied back, or (after a failure) unmounted by `Drop`.
struct SmallFileSystem {
    dir: std::path::PathBuf,
    mounted: bool,
}

impl SmallFileSystem {
    /// Mounts `bytes` of tmpfs over `dir` with its files; `None` where mounting is not
    /// allowed (then `dir` is as it was).
    fn mount(dir: &Path, bytes: u64) -> Option<Self> {
        let aside = dir.with_extension("aside");
        std::fs::rename(dir, &aside).unwrap();
        std::fs::create_dir(dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            std::fs::remove_dir(dir).unwrap();
            std::fs::rename(&aside, dir).unwrap();
            return None;
        }
        copy_tree(&aside, dir);
        std::fs::remove_dir_all(&aside).unwrap();
        Some(Self {
            dir: dir.to_owned(),
            mounted: true,
        })
    }

    /// Unmounts, keeping the files where they were.
    fn unmount(mut self) {
        let aside = self.dir.with_extension("aside");
        std::fs::create_dir(&aside).unwrap();
        copy_tree(&self.dir, &aside);
        assert!(
            Command::new("umount")
                .arg(&self.dir)
                .status()
                .unwrap()
                .success()
        );
        self.mounted = false;
        std::fs::remove_dir(&self.dir).unwrap();
        std::fs::rename(&aside, &self.dir).unwrap();
    }
}

impl Drop for SmallFileSystem {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// `cp -a from/. to/`: files, modes (the key file's 0600) and subdirectories.
fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from.join("."))
        .arg(to)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cp -a {} {}",
        from.display(),
        to.display()
    );
}

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_answers_503_keeps_what_was_acknowledged_and_corrupts_nothing() {
    full_disk(Full::FileSize).await;
}

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_full_file_system_answers_503_keeps_what_was_acknowledged_and_corrupts_nothing() {
    full_disk(Full::FileSystem).await;
}

async fn full_disk(kind: Full) {
    let inst = install(Engine::Sqlite).await;
    let mut server = Server::start(&inst, None);
    server.ready(&inst).await;
    let cookie = sign_in(&server, &inst).await;
    let before = Load::new(&server, &inst, &cookie, "vooraf");
    let tasks = before.start(1, 1);
    before
        .wait_for(&mut server, "writes before the limit", |l| l.acked() >= 20)
        .await;
    before.stop(tasks).await;
    server.kill();
    let mut acked = before.acked.lock().unwrap().clone();

    // Fold the write-ahead log into the database so the files start from their settled
    // sizes; then no file may grow more than 256 KiB past the largest of them.
    {
        let conn = Database::connect(format!(
            "sqlite://{}?mode=rw",
            inst.data_dir().join("zorgvuldig.db").display()
        ))
        .await
        .unwrap();
        conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let (mut server, limit, small) = match kind {
        Full::FileSize => {
            let limit = largest_file(&inst.data_dir()) + 256 * 1024;
            (Server::start(&inst, Some(limit.div_ceil(512))), limit, None)
        }
        Full::FileSystem => {
            // What the files take in whole pages, and 256 KiB more.
            let files = zv_testkit::files_under(&inst.data_dir());
            let used: u64 = files
                .iter()
                .map(|p| std::fs::metadata(p).unwrap().len().div_ceil(4096) * 4096)
                .sum();
            let size = used + 256 * 1024;
            let Some(small) = SmallFileSystem::mount(&inst.data_dir(), size) else {
                eprintln!("skipped: mounting a tmpfs is not allowed here");
                return;
            };
            (Server::start(&inst, None), size, Some(small))
        }
    };
    server.ready(&inst).await;
    let full = Load::new(&server, &inst, &cookie, "vol");
    full.phase.store(1, Ordering::SeqCst);
    let tasks = full.start(2, 1);
    let refused = |l: &Load| {
        let r = l.refusals.lock().unwrap();
        [Op::Write, Op::Read, Op::Page]
            .iter()
            .all(|op| r.iter().any(|x| x.op == *op))
    };
    full.wait_for(&mut server, "writes refused for a full disk", refused)
        .await;
    full.stop(tasks).await;
    assert!(server.is_running(), "a full disk does not end the server");
    let refusals = full.take_refusals();
    for r in refusals.iter() {
        assert_plain_unavailable(r);
    }
    assert_eq!(full.unanswered.load(Ordering::SeqCst), 0);
    acked.extend(full.acked.lock().unwrap().iter().cloned());
    let reads = before.reads.load(Ordering::SeqCst) + full.reads.load(Ordering::SeqCst);
    // What the server had committed when it was killed is what the files hold after.
    let live = (
        inst.sqlite_count("entries").await,
        inst.sqlite_count("audit_log").await,
    );
    server.kill();
    if let Some(small) = small {
        small.unmount();
    }
    let after_kill = (
        inst.sqlite_count("entries").await,
        inst.sqlite_count("audit_log").await,
    );
    assert_eq!(
        live, after_kill,
        "(entries, audit events) live and after the kill"
    );
    let full_log = server.log();
    assert!(!full_log.contains("panicked"), "{full_log}");

    // The limit lifted: nothing is corrupt, nothing acknowledged is lost, and the app
    // writes again.
    inst.sqlite_integrity().await;
    assert_verifies(&inst);
    // Every read answered 200 has its own event, recorded between its request and its
    // answer. (Until 2026-12-03 one run in three lost a write or a read's event here: a
    // failed COMMIT left the driver counting a transaction SQLite had rolled back, see
    // `vendor/sqlx-sqlite` and the store test
    // `after_a_full_disk_ends_a_transaction_every_later_commit_is_durable`.)
    let recorded = inst.dossier_reads().await;
    let mut windows = before.read_windows.lock().unwrap().clone();
    windows.extend(full.read_windows.lock().unwrap().iter().copied());
    let missing = unaccounted_reads(&windows, &recorded);
    assert!(
        recorded.len() as u64 >= reads && missing.is_empty(),
        "{reads} reads answered, {} recorded; without an event: {missing:?}\n{}",
        recorded.len(),
        full_log
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("WARN"))
            .take(40)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut server = Server::start(&inst, None);
    server.ready(&inst).await;
    assert_all_present(&server, &inst, &acked).await;
    let after = Load::new(&server, &inst, &cookie, "daarna");
    let tasks = after.start(1, 1);
    after
        .wait_for(&mut server, "writes after the limit", |l| l.acked() >= 5)
        .await;
    after.stop(tasks).await;
    assert!(after.take_refusals().is_empty());
    server.kill();
    println!(
        "SQLite, {kind:?} limited to {limit} bytes: {} writes acknowledged before the disk was full, {} refusals with 503, {reads} answered reads audited; integrity ok and audit verified after",
        acked.len(),
        refusals.len()
    );
}
