//! The HTTP workload of `zorgvuldig bench`: authenticated dossier views at a number of
//! concurrent connections against the real server, every view audited, with the audit
//! count checked against the 200 responses.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use zv_core::audit_log::AuditQuery;
use zv_core::users::NewUserInput;
use zv_core::{Actor, App};
use zv_domain::{AuditAction, Role, TrajectoryId};

pub struct HttpResult {
    pub samples: Vec<Duration>,
    pub ok: u64,
    pub other: u64,
    pub elapsed: Duration,
    pub dossier_reads_audited: u64,
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
    let server_app = app.clone();
    let server = tokio::spawn(async move {
        zv_web::serve(server_app, zv_web::WebOptions::default(), addr).await
    });
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(connections)
        .build()?;
    for _ in 0..50 {
        if http.get(format!("{base}/aanmelden")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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
    let url = Arc::new(format!("{base}/trajecten/{trajectory}"));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let http = http.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let (mut ok, mut other) = (0u64, 0u64);
            while Instant::now() < deadline {
                let t = Instant::now();
                match http.get(url.as_str()).send().await {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                        ok += 1;
                    }
                    _ => other += 1,
                }
                samples.push(t.elapsed());
            }
            (samples, ok, other)
        }));
    }
    let mut result = HttpResult {
        samples: Vec::new(),
        ok: 0,
        other: 0,
        elapsed: Duration::ZERO,
        dossier_reads_audited: 0,
    };
    for t in tasks {
        let (s, ok, other) = t.await?;
        result.samples.extend(s);
        result.ok += ok;
        result.other += other;
    }
    result.elapsed = started.elapsed();
    server.abort();

    // Every 200 must have its dossier read in the log: count this user's reads of the
    // trajectory (the page also records the read of the user's own work notes).
    let csv = app
        .audit_csv(
            &system,
            &AuditQuery {
                user: Some(enrolment.user_id),
                action: Some(AuditAction::Read),
                ..Default::default()
            },
        )
        .await?;
    result.dossier_reads_audited = csv
        .lines()
        .filter(|l| l.split(',').nth(4) == Some("trajectory"))
        .count() as u64;
    app.disable_user(&system, &username).await?;
    Ok(result)
}
