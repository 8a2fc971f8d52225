//! The HTTP workload of `zorgvuldig bench`: authenticated dossier views at a number of
//! concurrent connections against the real server, every view audited, with the audit
//! count checked against the 200 responses.
//!
//! The server is `zorgvuldig serve` in a process of its own, started as an operator
//! starts it: its start-up time to the first answer and its resident memory at idle and
//! under the load are its own, not mixed with the load generator's or with what the
//! in-process workloads before it left with the allocator.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use zv_core::audit_log::AuditQuery;
use zv_core::users::NewUserInput;
use zv_core::{Actor, App};
use zv_domain::{AuditAction, AuditObject, Role, TrajectoryId};

use crate::settings::GlobalArgs;

pub struct HttpResult {
    pub samples: Vec<Duration>,
    pub ok: u64,
    pub other: u64,
    pub elapsed: Duration,
    pub dossier_reads_audited: u64,
    /// From starting the server process to its first answer.
    pub server_start_up: Duration,
    /// The server's resident memory once it answers, before the load (kB).
    pub server_idle_kb: u64,
    /// The highest resident memory of the server seen while the load ran (kB), sampled
    /// every 50 ms, and the kernel's peak for the process (VmHWM) at the end.
    pub server_load_kb: u64,
    pub server_peak_kb: u64,
}

fn csrf(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Signs in a throw-away caseworker of the subject's team over HTTP, runs the load, and
/// disables the account again.
pub async fn run(
    app: &App,
    global: &GlobalArgs,
    trajectory: TrajectoryId,
    team: &str,
    connections: usize,
    seconds: u64,
) -> Result<HttpResult> {
    let system = Actor::cli("bench");
    let username = format!(
        "bench.http.{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let password = uuid::Uuid::new_v4().simple().to_string();
    let enrolment = app
        .add_user(
            &system,
            NewUserInput {
                username: username.clone(),
                display_name: "Benchmark HTTP".into(),
                password: zeroize::Zeroizing::new(password.clone()),
                roles: vec![Role::Caseworker],
                teams: vec![team.to_owned()],
                branch: None,
                confidentiality_signed_on: Some(app.clock().today()),
            },
        )
        .await?;
    app.assign_worker(&system, trajectory, enrolment.user_id)
        .await?;
    let secret = zv_core::sign_in::otpauth_secret(&enrolment.otpauth_uri)
        .unwrap_or_default()
        .to_owned();

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let started = Instant::now();
    let mut server = Server::start(global, addr)?;
    let base = format!("http://{addr}");
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(connections)
        .build()?;
    loop {
        if http.get(format!("{base}/aanmelden")).send().await.is_ok() {
            break;
        }
        if let Some(status) = server.child.try_wait()? {
            bail!("the server stopped before it answered ({status})");
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not answer within a minute");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let server_start_up = started.elapsed();
    let server_idle_kb = server.status_kb("VmRSS:");
    http.post(format!("{base}/aanmelden"))
        .form(&[
            ("username", username.as_str()),
            ("password", password.as_str()),
        ])
        .send()
        .await?;
    let enrol_page = http
        .get(format!("{base}/aanmelden/koppelen"))
        .send()
        .await?
        .text()
        .await?;
    let done = http
        .post(format!("{base}/aanmelden/koppelen"))
        .form(&[
            ("csrf", csrf(&enrol_page)),
            (
                "code",
                zv_core::sign_in::totp_code(
                    &secret,
                    u64::try_from(app.clock().now().timestamp())?,
                )?,
            ),
        ])
        .send()
        .await?;
    if done.status() != 200 {
        bail!(
            "the benchmark could not sign in over HTTP ({})",
            done.status()
        );
    }
    // The load itself comes from a lean keep-alive HTTP/1.1 client: one connection per
    // worker, a fixed request, responses read by Content-Length. A full HTTP client would
    // spend the two cores' time that the server is being measured on.
    let cookie = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &base.parse()?)
        .and_then(|v| v.to_str().ok().map(str::to_owned))
        .unwrap_or_default();
    let request: Arc<[u8]> =
        format!("GET /trajecten/{trajectory} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n")
            .into_bytes()
            .into();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let sampler = {
        let pid = server.pid;
        tokio::spawn(async move {
            let mut highest = 0;
            while Instant::now() < deadline {
                highest = highest.max(process_status_kb(pid, "VmRSS:"));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            highest
        })
    };
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let (mut ok, mut other) = (0u64, 0u64);
            let mut conn = Connection::open(addr).await?;
            while Instant::now() < deadline {
                let t = Instant::now();
                match conn.get(&request).await {
                    Ok(200) => ok += 1,
                    Ok(_) => other += 1,
                    Err(_) => {
                        other += 1;
                        conn = Connection::open(addr).await?;
                    }
                }
                samples.push(t.elapsed());
            }
            Ok::<_, std::io::Error>((samples, ok, other))
        }));
    }
    let mut result = HttpResult {
        samples: Vec::new(),
        ok: 0,
        other: 0,
        elapsed: Duration::ZERO,
        dossier_reads_audited: 0,
        server_start_up,
        server_idle_kb,
        server_load_kb: 0,
        server_peak_kb: 0,
    };
    for t in tasks {
        let (s, ok, other) = t.await??;
        result.samples.extend(s);
        result.ok += ok;
        result.other += other;
    }
    result.elapsed = started.elapsed();
    result.server_load_kb = sampler.await?;
    result.server_peak_kb = server.status_kb("VmHWM:");
    // Every answered view's event was committed before its answer left (ACC-7), so
    // stopping the server here loses none of what is counted below.
    server.stop().await?;

    // Every 200 must have its dossier read in the log.
    result.dossier_reads_audited = dossier_reads_by(app, enrolment.user_id).await?;
    app.disable_user(&system, &username).await?;
    Ok(result)
}

/// How many dossier reads the log holds for `user`: their reads of a trajectory (the
/// dossier page also records the read of the user's own work notes, not counted).
/// Paged, because a long run writes more events than one CSV export may hold.
pub(super) async fn dossier_reads_by(app: &App, user: zv_domain::UserId) -> Result<u64> {
    let system = Actor::cli("bench");
    let mut query = AuditQuery {
        user: Some(user),
        action: Some(AuditAction::Read),
        ..Default::default()
    };
    let mut reads = 0;
    loop {
        let page = app.audit_events(&system, &query, 500).await?;
        reads += page
            .events
            .iter()
            .filter(|e| e.event.object == AuditObject::Trajectory)
            .count() as u64;
        match page.next_before {
            Some(seq) => query.before_seq = Some(seq),
            None => break,
        }
    }
    Ok(reads)
}

/// `zorgvuldig serve` as a child process, with this command's settings (the environment
/// is inherited, so `ZV_*` variables hold as well). Killed if the benchmark fails midway.
struct Server {
    child: tokio::process::Child,
    pid: u32,
}

impl Server {
    fn start(global: &GlobalArgs, addr: std::net::SocketAddr) -> Result<Self> {
        let mut command = tokio::process::Command::new(std::env::current_exe()?);
        let settings = [
            ("--data-dir", global.data_dir.as_ref()),
            ("--policy", global.policy.as_ref()),
            ("--key-file", global.key_file.as_ref()),
            ("--camera-dir", global.camera_dir.as_ref()),
            ("--config", global.config.as_ref()),
        ];
        for (flag, value) in settings {
            if let Some(v) = value {
                command.arg(flag).arg(v);
            }
        }
        if let Some(url) = &global.database_url {
            // Through the environment, not the command line: the URL may hold a password
            // and a process's arguments are readable by every user of the machine.
            command.env("ZV_DATABASE_URL", url);
        }
        command
            .arg("serve")
            .arg("--listen")
            .arg(addr.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        let child = command.spawn()?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow::anyhow!("the server process has no id"))?;
        Ok(Self { child, pid })
    }

    fn status_kb(&self, field: &str) -> u64 {
        process_status_kb(self.pid, field)
    }

    async fn stop(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

/// A figure of /proc/PID/status in kB (Linux); 0 where it cannot be read.
fn process_status_kb(pid: u32, field: &str) -> u64 {
    super::bench::status_field(&pid.to_string(), field)
        .and_then(|v| v.split(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// One keep-alive connection of the load generator.
struct Connection {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
    body: Vec<u8>,
}

impl Connection {
    async fn open(addr: std::net::SocketAddr) -> std::io::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: tokio::io::BufReader::with_capacity(64 * 1024, stream),
            body: Vec::new(),
        })
    }

    /// Sends the request and reads the whole response; returns its status.
    async fn get(&mut self, request: &[u8]) -> std::io::Result<u16> {
        use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        self.stream.get_mut().write_all(request).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status line"))?;
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(bad("connection closed in the headers"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.ok_or_else(|| bad("a response without Content-Length"))?;
        self.body.resize(length, 0);
        self.stream.read_exact(&mut self.body).await?;
        Ok(status)
    }
}
