//! The staff web app through HTTP, as a browser uses it, on both engines.

use chrono::Duration;
use zv_domain::Role;
use zv_testkit::web::TestServer;
use zv_testkit::{TEST_PASSWORD, engines};

// promise: ACC-9
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_enrols_the_second_factor_gives_recovery_codes_and_rotates_the_session() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let c = s.client();
        // Nothing without signing in.
        assert_eq!(
            c.get("/").await.location(),
            Some("/aanmelden"),
            "{engine:?}"
        );

        let first = c
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(first.location(), Some("/aanmelden/koppelen"));
        let before = first.headers["set-cookie"].to_str().unwrap().to_owned();
        let enrol = c.get("/aanmelden/koppelen").await;
        assert!(enrol.body.contains("<svg"), "the QR code is an inline SVG");
        // A wrong code is refused and changes nothing.
        let wrong = c
            .post(
                "/aanmelden/koppelen",
                &[("csrf", &enrol.csrf()), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert_eq!(c.get("/").await.location(), Some("/aanmelden"));
        let done = c
            .post(
                "/aanmelden/koppelen",
                &[("csrf", &enrol.csrf()), ("code", &c.code(&secret))],
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.body);
        let after = done.headers["set-cookie"].to_str().unwrap().to_owned();
        assert_ne!(before, after, "a new session id after the second factor");
        let codes: Vec<String> = done
            .body
            .split("<li><code>")
            .skip(1)
            .filter_map(|r| r.split('<').next())
            .map(str::to_owned)
            .collect();
        assert_eq!(codes.len(), 10, "the policy's number of recovery codes");
        let home = c.get("/").await;
        assert_eq!(home.status, 200);
        assert!(home.body.contains("Mijn cliënten"));

        // Sign out, then in again with a recovery code instead of the app; a used code
        // does not work twice.
        let out = c.post("/afmelden", &[("csrf", &home.csrf())]).await;
        assert_eq!(out.location(), Some("/aanmelden"));
        assert_eq!(c.get("/").await.location(), Some("/aanmelden"));
        for (attempt, expect_ok) in [(0, true), (1, false)] {
            let c2 = s.client();
            c2.post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
            let form = c2.get("/aanmelden/code").await;
            let r = c2
                .post(
                    "/aanmelden/code",
                    &[("csrf", &form.csrf()), ("code", &codes[0])],
                )
                .await;
            assert_eq!(
                r.location() == Some("/"),
                expect_ok,
                "attempt {attempt}: {}",
                r.body
            );
        }
    }
}

// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_never_tells_whether_the_username_exists_and_repeated_failures_wait() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let c = s.client();
        let unknown = c
            .post(
                "/aanmelden",
                &[("username", "niemand"), ("password", "wat dan ook 123")],
            )
            .await;
        let wrong = c
            .post(
                "/aanmelden",
                &[
                    ("username", "hulpverlener"),
                    ("password", "verkeerd wachtwoord"),
                ],
            )
            .await;
        assert_eq!(unknown.status, 401, "{engine:?}");
        assert_eq!(wrong.status, unknown.status);
        let strip = |b: &str| b.replace("niemand", "").replace("hulpverlener", "");
        assert_eq!(
            strip(&unknown.body),
            strip(&wrong.body),
            "the same page either way"
        );

        // Five failures in all (policy), then even the right password waits.
        for _ in 0..3 {
            c.post(
                "/aanmelden",
                &[
                    ("username", "hulpverlener"),
                    ("password", "nog steeds fout"),
                ],
            )
            .await;
        }
        let c2 = s.client();
        let blocked = c2
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(blocked.status, 429, "{}", blocked.body);
        assert!(blocked.body.contains("seconden"));
        // After the wait, the right password works again.
        s.t.clock.advance(Duration::minutes(20));
        c2.sign_in("hulpverlener", &secret).await;
        assert_eq!(c2.get("/").await.status, 200);
    }
}

// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn sessions_end_after_the_policys_idle_and_absolute_limits() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        s.t.clock.advance(Duration::minutes(29));
        assert_eq!(
            c.get("/").await.status,
            200,
            "{engine:?}: 29 idle minutes are fine"
        );
        s.t.clock.advance(Duration::minutes(31));
        assert_eq!(
            c.get("/").await.location(),
            Some("/aanmelden"),
            "30 idle minutes end it"
        );

        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let mut alive = 0;
        for _ in 0..30 {
            s.t.clock.advance(Duration::minutes(29));
            if c.get("/").await.status != 200 {
                break;
            }
            alive += 1;
        }
        assert_eq!(
            alive, 20,
            "active use keeps it for 20 x 29 minutes, not the 21st"
        );
        assert_eq!(
            c.get("/").await.location(),
            Some("/aanmelden"),
            "however active, a session ends after 10 hours"
        );
    }
}

// promise: SEC-1
// promise: SEC-2
#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers_and_forms_need_their_token() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret, _, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let c = s.client();
        let first = c
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        let cookie = first.headers["set-cookie"].to_str().unwrap().to_owned();
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(flag), "{engine:?}: {cookie}");
        }
        assert!(
            !cookie.contains("Max-Age"),
            "a session cookie, no persistent one"
        );
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let dossier = format!("/trajecten/{trajectory}");
        for path in [
            "/",
            "/aanmelden",
            dossier.as_str(),
            "/bestaat-niet",
            "/static/style.css",
        ] {
            let p = c.get(path).await;
            let h = &p.headers;
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
                "{path}"
            );
            assert!(!csp.contains("http"), "no third-party sources: {csp}");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["referrer-policy"], "no-referrer");
            if !path.starts_with("/static") {
                assert_eq!(h["cache-control"], "no-store", "{path}");
            }
            assert!(!p.body.contains("<script"), "{path}: no script at all");
        }
        // A form without or with a wrong token is refused and saves nothing.
        for token in ["", "verkeerd"] {
            let r = c
                .post(
                    &format!("{dossier}/items"),
                    &[
                        ("csrf", token),
                        ("kind", "goal"),
                        ("title", "Stiekem"),
                        ("body", ""),
                    ],
                )
                .await;
            assert_eq!(r.status, 403);
        }
        assert!(!c.get(&dossier).await.body.contains("Stiekem"));
    }
}

// promise: DOS-1
// promise: DOS-2
// promise: DOS-3
// promise: ACC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_caseworkers_day_through_the_web() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let (client, trajectory) =
            s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
                .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;

        let home = c.get("/").await;
        assert!(
            home.body.contains("Fatima Yilmaz"),
            "{engine:?}: on the caseload"
        );
        // A search is posted: names never travel in a URL.
        assert!(!c.get("/clienten?naam=fat").await.body.contains("Fatima"));
        let found = c
            .post("/clienten", &[("csrf", &home.csrf()), ("naam", "fat")])
            .await;
        assert!(
            found.body.contains(&format!("/clienten/{client}")),
            "{}",
            found.body
        );
        let dossier_path = format!("/trajecten/{trajectory}");
        let dossier = c.get(&dossier_path).await;
        assert_eq!(dossier.status, 200);

        // A report with a special category needs its reason; the form keeps what was typed.
        let refused = c
            .post(
                &format!("{dossier_path}/items"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("kind", "conversation_report"),
                    ("title", "Gesprek over gezondheid"),
                    ("body", "Slaapt slecht <b>sinds</b> de verhuizing"),
                    ("special", "health"),
                    ("necessity", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("Gesprek over gezondheid"),
            "kept what was typed"
        );
        assert!(refused.body.contains("waarom"), "{}", refused.body);
        let saved = c
            .post(
                &format!("{dossier_path}/items"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("kind", "conversation_report"),
                    ("title", "Gesprek over gezondheid"),
                    ("body", "Slaapt slecht <b>sinds</b> de verhuizing"),
                    ("special", "health"),
                    ("necessity", "Nodig om de dagbesteding af te stemmen"),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let page = c.get(&dossier_path).await;
        assert!(
            page.body.contains("Gezondheid"),
            "marked as a special category"
        );
        assert!(
            page.body.contains("&#60;b&#62;sinds"),
            "user text is escaped"
        );
        let entry = page
            .body
            .split("href=\"/items/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();

        // Edit: version 2; a second form still on version 1 is refused with the newer one shown.
        let edit = c.get(&format!("/items/{entry}")).await;
        let v2 = c
            .post(
                &format!("/items/{entry}"),
                &[
                    ("csrf", &edit.csrf()),
                    ("version", "1"),
                    ("title", "Gesprek over gezondheid"),
                    (
                        "body",
                        "Slaapt slecht sinds de verhuizing; huisarts ingeschakeld",
                    ),
                ],
            )
            .await;
        assert_eq!(v2.status, 303, "{}", v2.body);
        let stale = c
            .post(
                &format!("/items/{entry}"),
                &[
                    ("csrf", &edit.csrf()),
                    ("version", "1"),
                    ("title", "Gesprek over gezondheid"),
                    ("body", "Oude versie overschrijft"),
                ],
            )
            .await;
        assert_eq!(stale.status, 409);
        assert!(
            stale.body.contains("huisarts ingeschakeld"),
            "the newer version is shown"
        );
        let history = c.get(&format!("/items/{entry}/geschiedenis")).await;
        assert_eq!(
            history.body.matches("class=\"entry\"").count(),
            2,
            "{}",
            history.body
        );
        assert!(
            history.body.contains("&#60;b&#62;sinds")
                && history.body.contains("huisarts ingeschakeld")
        );
        assert!(!history.body.contains("Oude versie overschrijft"));

        // A goal, and progress on it.
        let goal = c
            .post(
                &format!("{dossier_path}/items"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("kind", "goal"),
                    ("title", "Eigen woonruimte vinden"),
                    ("body", ""),
                    ("progress", "10"),
                ],
            )
            .await;
        assert_eq!(goal.status, 303, "{}", goal.body);
        let goal_id = goal
            .location()
            .and_then(|l| l.split("#item-").nth(1))
            .unwrap()
            .to_owned();
        let bad = c
            .post(
                &format!("/items/{goal_id}/voortgang"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("progress", "140"),
                    ("note", "x"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        let ok = c
            .post(
                &format!("/items/{goal_id}/voortgang"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("progress", "40"),
                    ("note", "Ingeschreven bij de woningcorporatie"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let with_progress = c.get(&dossier_path).await;
        assert!(
            with_progress
                .body
                .contains("<strong>40%</strong> Ingeschreven bij de woningcorporatie")
        );

        // A work note is the author's own.
        let r = c
            .post(
                &format!("{dossier_path}/werkaantekeningen"),
                &[
                    ("csrf", &dossier.csrf()),
                    ("body", "Eigen notitie: bellen met zus"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        assert!(c.get(&dossier_path).await.body.contains("bellen met zus"));

        // A colleague of another team finds no dossier: 404, and no content in the body.
        let other = s.client();
        other.sign_in("collega", &colleague_secret).await;
        let denied = other.get(&dossier_path).await;
        assert_eq!(denied.status, 404);
        assert!(!denied.body.contains("Fatima") && !denied.body.contains("Slaapt"));
        // ACC-2: the colleague sees who the client is and which services they use, with
        // no way into the dossier.
        let overview = other.get(&format!("/clienten/{client}")).await;
        assert_eq!(overview.status, 200);
        assert!(overview.body.contains("Fatima") && !overview.body.contains("Slaapt"));
        assert!(!overview.body.contains(&format!("href=\"{dossier_path}\"")));
    }
}

// promise: ACC-8
#[tokio::test(flavor = "multi_thread")]
async fn without_a_confidentiality_statement_the_web_shows_no_client_data() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, _, client, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let secret = crate::fixtures::unsigned_newcomer(&s, &worker, trajectory).await;
        let c = s.client();
        c.sign_in("nieuw", &secret).await;
        let home = c.get("/").await;
        assert_eq!(home.status, 200, "{engine:?}");
        assert!(home.body.contains("geheimhoudingsverklaring"));
        assert!(!home.body.contains("Fatima"));
        assert_eq!(c.get(&format!("/trajecten/{trajectory}")).await.status, 404);
        assert_eq!(c.get(&format!("/clienten/{client}")).await.status, 404);
    }
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_officer_reads_the_audit_log_on_screen_and_as_csv_and_nobody_else() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret, client, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        c.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(c.get("/auditlog").await.status, 404, "{engine:?}");

        let fg = s.client();
        fg.sign_in("fg.privacy", &fg_secret).await;
        let screen = fg.get(&format!("/auditlog?client={client}")).await;
        assert_eq!(screen.status, 200, "{}", screen.body);
        assert!(
            screen.body.contains("acc1-assigned-worker"),
            "the deciding rule is shown"
        );
        assert!(!screen.body.contains("Fatima"), "clients by id only");
        let bad = fg.get("/auditlog?van=2026-12-01&tot=2026-11-01").await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("einddatum"));
        let csv = fg.get(&format!("/auditlog.csv?client={client}")).await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(csv.body.starts_with("seq,at,action"));
    }
}

// promise: DOS-1
#[tokio::test(flavor = "multi_thread")]
async fn a_report_from_others_is_uploaded_and_downloaded_and_wrong_files_are_refused() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret, _, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let entry =
            s.t.app
                .add_entry(
                    &worker,
                    trajectory,
                    zv_domain::EntryKind::ThirdPartyReport,
                    zv_domain::EntryContent::parse(
                        zv_domain::EntryKind::ThirdPartyReport,
                        "Verwijzing huisarts",
                        "",
                        None,
                    )
                    .unwrap(),
                    None,
                )
                .await
                .unwrap();
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let dossier = c.get(&format!("/trajecten/{trajectory}")).await;
        let upload = format!("/items/{entry}/bijlagen");
        let pdf = b"%PDF-1.4 verwijzing van de huisarts".to_vec();
        let r = c
            .upload(
                &upload,
                &dossier.csrf(),
                "verwijzing huisarts.pdf",
                "application/pdf",
                pdf.clone(),
            )
            .await;
        assert_eq!(r.status, 303, "{engine:?}: {}", r.body);
        let page = c.get(&format!("/trajecten/{trajectory}")).await;
        assert!(page.body.contains("verwijzing huisarts.pdf"));
        let link = page
            .body
            .split("href=\"/bijlagen/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        // A second device signs in with the next code: a code is good once (RFC 6238).
        s.t.clock.advance(chrono::Duration::seconds(30));
        let download = s.client();
        download.sign_in("hulpverlener", &secret).await;
        let got = download
            .http
            .get(format!("{}/bijlagen/{link}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        assert!(
            got.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);

        let exe = c
            .upload(
                &upload,
                &dossier.csrf(),
                "programma.exe",
                "application/x-msdownload",
                b"MZ".to_vec(),
            )
            .await;
        assert_eq!(exe.status, 422);
        assert!(exe.body.contains("niet geaccepteerd"), "{}", exe.body);
        // The same program renamed: its declared type is accepted, its content is not.
        let renamed = c
            .upload(
                &upload,
                &dossier.csrf(),
                "factuur.pdf",
                "application/pdf",
                b"MZ\x90\0\x03\0\0\0".to_vec(),
            )
            .await;
        assert_eq!(renamed.status, 422, "{engine:?}: {}", renamed.body);
        assert!(
            renamed.body.contains("inhoud die bij het type past"),
            "{}",
            renamed.body
        );
        let huge = c
            .upload(
                &upload,
                &dossier.csrf(),
                "groot.pdf",
                "application/pdf",
                vec![b'x'; 26 * 1024 * 1024],
            )
            .await;
        assert!(
            huge.status == 413 || huge.status == 0,
            "refused as too large (or cut off while sending): {} {}",
            huge.status,
            huge.body
        );
        // The server answered before reading the whole body and closed that connection;
        // look with the other browser.
        let after = download.get(&format!("/trajecten/{trajectory}")).await;
        assert!(
            !after.body.contains("programma.exe")
                && !after.body.contains("groot.pdf")
                && !after.body.contains("factuur.pdf")
        );
    }
}

// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn a_second_factor_code_is_accepted_once() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let first = s.client();
        first.sign_in("hulpverlener", &secret).await;
        // Someone who saw the code over a shoulder tries it within its window.
        let thief = s.client();
        thief
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        let form = thief.get("/aanmelden/code").await;
        let replay = thief
            .post(
                "/aanmelden/code",
                &[("csrf", &form.csrf()), ("code", &thief.code(&secret))],
            )
            .await;
        assert_eq!(replay.status, 401, "{engine:?}: {}", replay.body);
        assert_eq!(thief.get("/").await.location(), Some("/aanmelden"));
        // The next code, in the next window, works.
        s.t.clock.advance(Duration::seconds(30));
        let later = s.client();
        later.sign_in("hulpverlener", &secret).await;
        assert_eq!(later.get("/").await.status, 200);
    }
}
