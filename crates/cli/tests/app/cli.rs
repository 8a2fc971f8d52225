use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use zv_testkit::policy_path;

/// Runs the binary as an operator does, in `dir` with `dir/data` and Blijf Groep's
/// policy, with `stdin` typed in.
pub(crate) fn zv(args: &[&str], dir: &std::path::Path, stdin: &str) -> Output {
    let mut child = zv_spawn(args, dir);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Starts the binary as [`zv`] does, to be waited for or killed.
pub(crate) fn zv_spawn(args: &[&str], dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_zorgvuldig"))
        .args(args)
        .env_remove("ZV_DATABASE_URL")
        .env_remove("ZV_MASTER_KEY")
        .env("ZV_DATA_DIR", dir.join("data"))
        .env("ZV_POLICY", policy_path("blijfgroep"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub(crate) fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

// promise: ORG-2
#[test]
fn policy_check_accepts_both_policies_and_names_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let ok = zv(
        &[
            "policy",
            "check",
            policy_path("levgroep").to_str().unwrap(),
            policy_path("blijfgroep").to_str().unwrap(),
        ],
        dir.path(),
        "",
    );
    assert!(ok.status.success(), "{}", text(&ok));
    let broken = std::fs::read_to_string(policy_path("levgroep"))
        .unwrap()
        .replace("small_number_threshold = 5", "small_number_threshold = 1");
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, broken).unwrap();
    let bad = zv(&["policy", "check", file.to_str().unwrap()], dir.path(), "");
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("reports.small_number_threshold"),
        "{}",
        text(&bad)
    );
}

#[test]
fn commands_refuse_a_missing_database_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = zv(&["audit", "verify"], dir.path(), "");
    assert!(!out.status.success());
    assert!(text(&out).contains("zorgvuldig init"), "{}", text(&out));
    assert!(!dir.path().join("data/zorgvuldig.db").exists());
    let unknown = zv(&["audit", "verify", "--frobnicate"], dir.path(), "");
    assert_eq!(unknown.status.code(), Some(2));
}

// promise: ACC-7
// promise: ACC-9
#[test]
fn init_user_demo_verify_backup_and_rotate_as_an_operator_would() {
    let dir = tempfile::tempdir().unwrap();
    let init = zv(&["init"], dir.path(), "a long enough password\n");
    assert!(init.status.success(), "{}", text(&init));
    assert!(text(&init).contains("otpauth://totp/"));
    assert!(
        !text(&init).contains("a long enough password"),
        "secrets never print"
    );
    let again = zv(&["init"], dir.path(), "a long enough password\n");
    assert!(!again.status.success(), "init twice is refused");
    let short = zv(
        &[
            "user",
            "add",
            "kees",
            "--name",
            "Kees",
            "--role",
            "caseworker",
        ],
        dir.path(),
        "short\n",
    );
    assert!(!short.status.success());
    let add = zv(
        &[
            "user",
            "add",
            "kees",
            "--name",
            "Kees",
            "--role",
            "caseworker",
            "--team",
            "opvang-amsterdam",
            "--confidentiality-signed",
            "2026-01-01",
        ],
        dir.path(),
        "another long password\n",
    );
    assert!(add.status.success(), "{}", text(&add));
    let list = zv(&["user", "list"], dir.path(), "");
    assert!(text(&list).contains("kees"));
    assert!(
        zv(&["user", "disable", "kees"], dir.path(), "")
            .status
            .success()
    );
    let verify = zv(&["audit", "verify"], dir.path(), "");
    assert!(verify.status.success(), "{}", text(&verify));
    let backup = zv(&["backup", "--out", "b.db"], dir.path(), "");
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(dir.path().join("b.db").exists());
    let rotate = zv(&["keys", "rotate"], dir.path(), "");
    assert!(rotate.status.success(), "{}", text(&rotate));
    assert!(text(&rotate).contains("version 2"));
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());

    // The benchmark runs on the installation it finds, and every dossier view it makes
    // is audited.
    let bench = zv(
        &[
            "bench",
            "--entries",
            "5",
            "--iterations",
            "10",
            "--connections",
            "4",
            "--http-seconds",
            "1",
        ],
        dir.path(),
        "",
    );
    let b = text(&bench);
    assert!(bench.status.success(), "{b}");
    for workload in [
        "this installation as it is, 0 clients",
        "plain SQL read",
        "dossier view",
        "the gate alone",
        "the disk's sync",
        "portal dossier of 500 entries",
        "client search",
        "create an entry",
        "HTTP dossier views at 4 connections",
        "equal",
    ] {
        assert!(b.contains(workload), "{b}");
    }
    assert!(
        !dir.path().join("data").join("bench-sync-probe").exists(),
        "the benchmark leaves no file of its own behind"
    );
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());

    // Into a new installation it loads the demo first.
    let new = tempfile::tempdir().unwrap();
    let sweep = zv(&["bench", "--clients", "30", "--sweep"], new.path(), "");
    let s = text(&sweep);
    assert!(sweep.status.success(), "{s}");
    assert!(
        s.contains("loading the demo of 30 clients") && s.contains("audit events"),
        "{s}"
    );
    assert!(zv(&["audit", "verify"], new.path(), "").status.success());
}

#[test]
fn demo_loads_a_fictional_data_set_and_prints_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let out = zv(&["demo", "--clients", "60"], dir.path(), "");
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("clients")
            && t.contains("hulpverlener1")
            && t.contains("fg.privacy")
            && t.contains("demo.ouder"),
        "{t}"
    );
    let again = zv(&["demo", "--clients", "10"], dir.path(), "");
    assert!(
        !again.status.success(),
        "a demo never mixes into a filled installation"
    );
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());
}

/// Opens the installation in `dir` in this process, as the binary does.
async fn open_app(dir: &std::path::Path) -> zv_core::App {
    let policy =
        zv_policy::parse(&std::fs::read_to_string(policy_path("blijfgroep")).unwrap()).unwrap();
    zv_core::App::open(
        zv_core::Settings::new(dir.join("data")),
        policy,
        std::sync::Arc::new(zv_domain::SystemClock),
    )
    .await
    .unwrap()
}

// promise: RTS-3
#[tokio::test(flavor = "multi_thread")]
async fn requests_escalate_escalates_an_overdue_request_once_as_cron_runs_it() {
    use zv_core::requests::{Channel, NewRegisteredRequest, RequestKind, RequestScope};

    let dir = tempfile::tempdir().unwrap();
    let init = zv(&["init"], dir.path(), "a long enough password\n");
    assert!(init.status.success(), "{}", text(&init));
    let nothing = zv(&["requests", "escalate"], dir.path(), "");
    assert!(nothing.status.success(), "{}", text(&nothing));
    assert!(
        text(&nothing).contains("escalated 0 overdue request(s); 0 escalated earlier"),
        "{}",
        text(&nothing)
    );

    // A letter received two months ago, never answered: Blijf Groep's month is over.
    {
        let app = open_app(dir.path()).await;
        let team = app.policy().teams()[0].code.clone();
        app.add_user(
            &zv_core::Actor::cli("test"),
            zv_core::users::NewUserInput {
                username: "fg.privacy".to_owned(),
                display_name: "Functionaris".to_owned(),
                password: zeroize::Zeroizing::new("a long enough password".to_owned()),
                roles: vec![zv_domain::Role::PrivacyOfficer, zv_domain::Role::Caseworker],
                teams: vec![team.clone()],
                branch: None,
                confidentiality_signed_on: Some(app.clock().today()),
            },
        )
        .await
        .unwrap();
        let fg = app.staff_actor("fg.privacy", "test").await.unwrap();
        let today = app.clock().today();
        let (client, _) = app
            .register_client(
                &fg,
                zv_core::clients::NewClientInput {
                    branch: app.policy().branches()[0].code.clone(),
                    name: zv_domain::PersonName::parse("Amal Haddad").unwrap(),
                    birth_date: zv_domain::BirthDate::parse("1984-05-06", today).unwrap(),
                    gender: zv_domain::Gender::Unknown,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                zv_core::trajectories::TrajectoryInput {
                    service_type: app.policy().service_types()[0].code.clone(),
                    team,
                    domestic_violence: false,
                    opened_on: today - chrono::Duration::days(90),
                    municipality: None,
                },
            )
            .await
            .unwrap();
        app.register_rights_request(
            &fg,
            NewRegisteredRequest {
                client,
                kind: RequestKind::Erasure,
                scope: RequestScope::All,
                channel: Channel::Letter,
                received_on: today - chrono::Duration::days(60),
                text: String::new(),
                filed_by: None,
            },
        )
        .await
        .unwrap();
    }

    let first = zv(&["requests", "escalate"], dir.path(), "");
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("escalated 1 overdue request(s); 0 escalated earlier"),
        "{}",
        text(&first)
    );
    assert!(!text(&first).contains("Haddad"), "no one is named");
    // Run again by cron: nothing new, no second mail.
    let again = zv(&["requests", "escalate"], dir.path(), "");
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("escalated 0 overdue request(s); 1 escalated earlier"),
        "{}",
        text(&again)
    );
    let app = open_app(dir.path()).await;
    let queued = app.unsent_mail().await.unwrap();
    assert_eq!(queued.len(), 1, "one mail, once");
    assert_eq!(queued[0].kind, zv_core::requests::KIND_REQUEST_OVERDUE);
    drop(app);
    assert!(zv(&["audit", "verify"], dir.path(), "").status.success());
}
