//! The mail outbox: the privacy officer is mailed of an emergency access in the same
//! transaction that opens it, the mail names no client, and a mail that cannot be
//! delivered waits and is tried again.

use chrono::Duration;
use zv_core::mail::{KIND_EMERGENCY_ACCESS, Mailer, SendReport};
use zv_domain::{Clock, Role};
use zv_testkit::smtp::{SmtpReceiver, closed_port, settings_for_port};
use zv_testkit::web::TestServer;
use zv_testkit::{Engine, TestApp, engines};

const CLIENT: &str = "Zeynep Zonnebloem";
const REASON: &str = "Crisismelding Zonnebloem-reden, vaste hulpverlener onbereikbaar";

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_officer_is_mailed_of_emergency_access_without_client_data() {
    for engine in engines() {
        let srv = TestServer::start(engine, "levgroep").await;
        let t = &srv.t;
        let (worker, _) = srv
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, admin_secret) = srv.staff("beheerder", Role::Administrator, None).await;
        let (client, trajectory) = t.intake(&worker, CLIENT, "1990-04-12", "amw").await;

        // The administrator breaks the glass through the web app.
        let admin = srv.client();
        admin.sign_in("beheerder", &admin_secret).await;
        let csrf = admin.get("/").await.csrf();
        let opened = admin
            .post(
                &format!("/trajecten/{trajectory}/noodtoegang"),
                &[("csrf", &csrf), ("reason", REASON), ("hours", "2")],
            )
            .await;
        assert_eq!(opened.status, 303, "{engine:?}: {}", opened.body);

        // Queued at once, before anything is sent.
        let queued = t.app.unsent_mail().await.unwrap();
        assert_eq!(queued.len(), 1, "{engine:?}");
        assert_eq!(
            (queued[0].kind.as_str(), queued[0].attempts),
            (KIND_EMERGENCY_ACCESS, 0)
        );

        let receiver = SmtpReceiver::start().await;
        let mailer = Mailer::new(&receiver.settings()).unwrap();
        let report = t.app.send_due_mail(&mailer).await.unwrap();
        assert_eq!(
            report,
            SendReport {
                sent: 1,
                failed: 0,
                unsent: 0
            },
            "{engine:?}"
        );
        let received = receiver.received();
        assert_eq!(received.len(), 1, "{engine:?}");
        let mail = &received[0];
        let officer = t.app.policy().privacy_officer().email.clone();
        assert_eq!(mail.rcpt_to, std::slice::from_ref(&officer));
        assert_eq!(mail.header("To").as_deref(), Some(officer.as_str()));
        assert_eq!(
            mail.header("Subject").as_deref(),
            Some("Noodtoegang geopend (LEVgroep)")
        );
        let text = mail.text();
        // Who, when (the test clock in Dutch time), how long and where to review it...
        for expected in [
            "Medewerker beheerder",
            "22-11-2026 11:00",
            "2 uur",
            "/toegang",
        ] {
            assert!(
                text.contains(expected),
                "{engine:?}: `{expected}` missing from:\n{text}"
            );
        }
        // ...and nothing of the client: no name, no reason, no id to look up.
        for forbidden in [
            "Zeynep",
            "Zonnebloem",
            "Crisismelding",
            "onbereikbaar",
            &client.to_string(),
            &trajectory.to_string(),
        ] {
            assert!(
                !mail.data.contains(forbidden) && !text.contains(forbidden),
                "{engine:?}: the mail holds `{forbidden}`:\n{text}"
            );
        }

        // Sent once: a second pass sends nothing again.
        let again = t.app.send_due_mail(&mailer).await.unwrap();
        assert_eq!((again.sent, again.failed), (0, 0), "{engine:?}");
        assert_eq!(receiver.received().len(), 1, "{engine:?}");
    }
}

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_mail_server_leaves_the_mail_queued_to_be_tried_again() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let admin = t.staff("beheerder", Role::Administrator, None).await;
        let (_, trajectory) = t.intake(&worker, CLIENT, "1990-04-12", "amw").await;
        t.app
            .break_the_glass(&admin, trajectory, REASON, 1)
            .await
            .unwrap();

        let nowhere = Mailer::new(&settings_for_port(closed_port().await)).unwrap();
        let report = t.app.send_due_mail(&nowhere).await.unwrap();
        assert_eq!(
            report,
            SendReport {
                sent: 0,
                failed: 1,
                unsent: 1
            },
            "{engine:?}"
        );
        let now = t.clock.now();
        let queued = t.app.unsent_mail().await.unwrap();
        assert_eq!(queued.len(), 1, "{engine:?}");
        assert_eq!(queued[0].attempts, 1, "{engine:?}");
        assert!(queued[0].next_attempt_at > now, "{engine:?}");
        assert_eq!(queued[0].next_attempt_at, now + Duration::seconds(30));
        assert_eq!(
            queued[0].last_error.as_deref(),
            Some("no connection to the server")
        );

        // Not due again before its time: the next pass leaves it alone.
        let early = t.app.send_due_mail(&nowhere).await.unwrap();
        assert_eq!((early.sent, early.failed, early.unsent), (0, 0, 1));
        assert_eq!(t.app.unsent_mail().await.unwrap()[0].attempts, 1);

        // A second failure waits twice as long.
        t.clock.advance(Duration::seconds(30));
        t.app.send_due_mail(&nowhere).await.unwrap();
        let queued = t.app.unsent_mail().await.unwrap();
        assert_eq!(queued[0].attempts, 2);
        assert_eq!(
            queued[0].next_attempt_at,
            t.clock.now() + Duration::seconds(60)
        );

        // Once the server is back and the wait is over, it goes out.
        t.clock.advance(Duration::seconds(60));
        let receiver = SmtpReceiver::start().await;
        let back = Mailer::new(&receiver.settings()).unwrap();
        let report = t.app.send_due_mail(&back).await.unwrap();
        assert_eq!((report.sent, report.unsent), (1, 0), "{engine:?}");
        assert_eq!(receiver.received().len(), 1);
    }
}

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn the_emergency_access_and_its_mail_commit_together_or_not_at_all() {
    for engine in engines() {
        // The access fails after the mail could have been queued: no mail remains.
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let admin = t.staff("beheerder", Role::Administrator, None).await;
        let (_, trajectory) = t.intake(&worker, CLIENT, "1990-04-12", "amw").await;
        t.refuse_inserts("access_grants").await;
        assert!(
            t.app
                .break_the_glass(&admin, trajectory, REASON, 1)
                .await
                .is_err()
        );
        assert!(t.app.unsent_mail().await.unwrap().is_empty(), "{engine:?}");

        // The mail cannot be queued: the access is not opened either.
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let admin = t.staff("beheerder", Role::Administrator, None).await;
        let (_, trajectory) = t.intake(&worker, CLIENT, "1990-04-12", "amw").await;
        t.refuse_inserts("mail_outbox").await;
        assert!(
            t.app
                .break_the_glass(&admin, trajectory, REASON, 1)
                .await
                .is_err()
        );
        let fg = t.staff("privacy", Role::PrivacyOfficer, None).await;
        assert_eq!(
            t.app.unreviewed_emergency_accesses(&fg).await.unwrap(),
            0,
            "{engine:?}: no access without its mail"
        );
        assert!(
            t.app
                .all_grants(&fg, Some("emergency"))
                .await
                .unwrap()
                .is_empty(),
            "{engine:?}"
        );
    }
}

/// The `zorgvuldig` binary on `t`'s installation, with mail settings from `env`.
async fn zv(t: &TestApp, args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_zorgvuldig"));
    command
        .args(args)
        .env_remove("ZV_DATABASE_URL")
        .env_remove("ZV_MASTER_KEY")
        .env_remove("ZV_SMTP_HOST")
        .env("ZV_DATA_DIR", t.data_dir())
        .env("ZV_POLICY", zv_testkit::policy_path("levgroep"))
        .current_dir(t.dir.path());
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().await.unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_lists_the_queue_and_sends_it_from_the_command_line() {
    // The CLI opens the installation's SQLite files; one engine proves the command.
    let t = TestApp::start(Engine::Sqlite, "levgroep").await;
    let worker = t
        .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
        .await;
    let admin = t.staff("beheerder", Role::Administrator, None).await;
    let (_, trajectory) = t.intake(&worker, CLIENT, "1990-04-12", "amw").await;
    t.app
        .break_the_glass(&admin, trajectory, REASON, 1)
        .await
        .unwrap();

    let (ok, out) = zv(&t, &["mail", "queue"], &[]).await;
    assert!(ok && out.contains(KIND_EMERGENCY_ACCESS), "{out}");
    assert!(
        !out.contains("Zonnebloem") && !out.contains("beheerder"),
        "{out}"
    );
    // Without a mail server the mail stays queued, and the command says why.
    let (ok, out) = zv(&t, &["mail", "send-due"], &[]).await;
    assert!(
        !ok && out.contains("ZV_SMTP_HOST") && out.contains("1 mail"),
        "{out}"
    );

    let receiver = SmtpReceiver::start().await;
    let smtp = [
        ("ZV_SMTP_HOST", "127.0.0.1".to_owned()),
        ("ZV_SMTP_PORT", receiver.port.to_string()),
        ("ZV_SMTP_SECURITY", "none".to_owned()),
        (
            "ZV_MAIL_FROM",
            "Zorgvuldig <noreply@levgroep.nl>".to_owned(),
        ),
    ];
    let (ok, out) = zv(&t, &["mail", "send-due"], &smtp).await;
    assert!(ok, "{out}");
    assert!(out.contains("sent 1, failed 0; 0 still queued"), "{out}");
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].mail_from, "noreply@levgroep.nl");
    let (ok, out) = zv(&t, &["mail", "queue"], &[]).await;
    assert!(ok && out.contains("no mail waits"), "{out}");
}
