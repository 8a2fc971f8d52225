//! The client portal through HTTP, on both engines: the assigned worker invites a client,
//! the client redeems the code, sets up TOTP and signs in, and reads their own dossier:
//! every kind of entry, attachments to download, never a work note, never another
//! client's trajectory. Portal and staff sessions never pass for each other, invitation
//! codes work once and expire, and every portal read is in the audit log under the
//! portal account.

use chrono::Duration;
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_domain::{
    AttachmentId, AuditAction, AuditObject, AuditOutcome, ClientId, EntryContent, EntryKind, Role,
    TrajectoryId,
};
use zv_testkit::engines;
use zv_testkit::web::{Page, TestServer, WebClient};

/// The password the client chooses.
const CLIENT_PASSWORD: &str = "een zin die ik onthoud";
/// Planted in a work note: it must never reach a portal page.
const WORK_NOTE_MARKER: &str = "WERKNOTITIE-nooit-in-het-portaal";
/// Planted in another client's dossier.
const OTHER_MARKER: &str = "ANDERE-CLIENT-geheim";

fn cookie_value(page: &Page, name: &str) -> String {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|r| r.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie set: {:?}", page.headers))
        .to_owned()
}

/// The caseworker makes an invitation on the client page; the code shown once.
pub(crate) async fn invite(staff: &WebClient, client: ClientId) -> String {
    let page = staff.get(&format!("/clienten/{client}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let made = staff
        .post(
            &format!("/clienten/{client}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let code = made
        .body
        .split("id=\"invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 14, "{code}");
    assert!(
        !staff
            .get(&format!("/clienten/{client}"))
            .await
            .body
            .contains(&code),
        "the code is shown once"
    );
    code
}

/// The client redeems a code, chooses a username and password and sets up TOTP.
/// Returns the TOTP secret and the signed-in portal token.
pub(crate) async fn redeem_and_enrol(
    p: &WebClient,
    code: &str,
    username: &str,
) -> (String, String) {
    let redeemed = p
        .post(
            "/portaal/uitnodiging",
            &[
                ("code", code),
                ("username", username),
                ("password", CLIENT_PASSWORD),
                ("password_repeat", CLIENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, 303, "{}", redeemed.body);
    assert_eq!(redeemed.location(), Some("/portaal/aanmelden/koppelen"));
    let enrol = p.get("/portaal/aanmelden/koppelen").await;
    assert_eq!(enrol.status, 200, "{}", enrol.body);
    assert!(enrol.body.contains("<svg"), "the QR code is an inline SVG");
    let secret = enrol
        .body
        .split("<code>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    let done = p
        .post(
            "/portaal/aanmelden/koppelen",
            &[("csrf", &enrol.csrf()), ("code", &p.code(&secret))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = done.body.matches("<li><code>").count();
    assert_eq!(codes, 10, "the policy's number of recovery codes");
    (secret, cookie_value(&done, "zv_portal"))
}

/// A client of `worker` with a trajectory whose dossier holds every kind of DOS-1 with
/// a goal's progress and an attachment, and a work note of the worker's.
async fn client_with_a_dossier(
    s: &TestServer,
    worker: &Actor,
    name: &str,
    marker: &str,
) -> (ClientId, TrajectoryId, AttachmentId) {
    let (client, trajectory) = s.t.intake(worker, name, "1984-05-06", "amw").await;
    let app = &s.t.app;
    let content = |title: &str, body: &str, progress: Option<u8>| EntryContent {
        title: title.to_owned(),
        body: body.to_owned(),
        progress,
    };
    let goal = app
        .add_entry(
            worker,
            trajectory,
            EntryKind::Goal,
            content(
                &format!("Doel {marker}"),
                "Eigen woonruimte vinden",
                Some(20),
            ),
            None,
        )
        .await
        .unwrap();
    app.add_goal_progress(worker, goal, 40, &format!("Voortgang {marker}"))
        .await
        .unwrap();
    for (kind, title) in [
        (EntryKind::ConversationReport, "Gespreksverslag"),
        (EntryKind::PlanDocument, "Hulpplan"),
        (EntryKind::EmailSummary, "Samenvatting e-mail"),
    ] {
        app.add_entry(
            worker,
            trajectory,
            kind,
            content(
                &format!("{title} {marker}"),
                &format!("Inhoud {marker}"),
                None,
            ),
            None,
        )
        .await
        .unwrap();
    }
    let report = app
        .add_entry(
            worker,
            trajectory,
            EntryKind::ThirdPartyReport,
            content(&format!("Verwijzing huisarts {marker}"), "", None),
            None,
        )
        .await
        .unwrap();
    let attachment = app
        .add_attachment(
            worker,
            report,
            &format!("verwijzing-{marker}.txt"),
            "text/plain",
            format!("Bijlage {marker}").as_bytes(),
        )
        .await
        .unwrap();
    app.add_work_note(worker, trajectory, &format!("{WORK_NOTE_MARKER} {marker}"))
        .await
        .unwrap();
    (client, trajectory, attachment)
}

// promise: POR-1
// promise: DOS-2
#[tokio::test(flavor = "multi_thread")]
async fn a_client_is_invited_enrols_signs_in_and_reads_their_own_dossier_without_work_notes() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (own, trajectory, attachment) =
            client_with_a_dossier(&s, &worker, "Amal Haddad", "EIGEN").await;
        let (_, other_trajectory, other_attachment) =
            client_with_a_dossier(&s, &worker, "Bram de Vries", OTHER_MARKER).await;
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let page = staff.get(&format!("/clienten/{own}")).await;
        assert!(
            page.body
                .contains("Deze cliënt heeft geen toegang tot Mijn dossier."),
            "{engine:?}"
        );
        let code = invite(&staff, own).await;
        assert!(
            staff
                .get(&format!("/clienten/{own}"))
                .await
                .body
                .contains("Uitgenodigd; de code is geldig tot 2026-11-29"),
            "valid for the policy's 7 days"
        );

        // Nothing of the portal without signing in to it.
        let p = s.client();
        assert_eq!(
            p.get("/portaal").await.location(),
            Some("/portaal/aanmelden")
        );
        let form = p.get("/portaal/aanmelden").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("/portaal/uitnodiging"));
        // Refusals name the field, keep what was typed and use nothing up.
        let mistyped = p
            .post(
                "/portaal/uitnodiging",
                &[
                    ("code", "AAAA-BBBB-CCCC"),
                    ("username", "amal"),
                    ("password", CLIENT_PASSWORD),
                    ("password_repeat", CLIENT_PASSWORD),
                ],
            )
            .await;
        assert_eq!(mistyped.status, 422);
        assert!(
            mistyped
                .body
                .contains("Deze uitnodigingscode kennen we niet")
        );
        assert!(mistyped.body.contains("value=\"amal\""));
        let different = p
            .post(
                "/portaal/uitnodiging",
                &[
                    ("code", &code),
                    ("username", "amal"),
                    ("password", CLIENT_PASSWORD),
                    ("password_repeat", "iets anders dan dat"),
                ],
            )
            .await;
        assert_eq!(different.status, 422);
        assert!(
            different
                .body
                .contains("De twee wachtwoorden zijn niet gelijk.")
        );
        let short = p
            .post(
                "/portaal/uitnodiging",
                &[
                    ("code", &code),
                    ("username", "amal"),
                    ("password", "kort"),
                    ("password_repeat", "kort"),
                ],
            )
            .await;
        assert_eq!(short.status, 422);
        assert!(
            short.body.contains("ten minste 12 tekens"),
            "{}",
            short.body
        );
        assert!(!short.body.contains("kort\""), "a password is never echoed");

        // Typed in lower case with spaces, the code still works.
        let typed = code.to_lowercase().replace('-', " ");
        let (client_secret, _) = redeem_and_enrol(&p, &typed, "Amal").await;

        // The dossier: the trajectory listed, every kind of entry, the goal's progress,
        // the attachment; never the work note.
        let home = p.get("/portaal").await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert!(home.body.contains("Algemeen maatschappelijk werk"));
        assert!(
            home.body
                .contains(&format!("/portaal/trajecten/{trajectory}"))
        );
        assert!(!home.body.contains(&other_trajectory.to_string()));
        let dossier = p.get(&format!("/portaal/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 200, "{}", dossier.body);
        for shown in [
            "Doel EIGEN",
            "Voortgang EIGEN",
            "Gespreksverslag EIGEN",
            "Hulpplan EIGEN",
            "Samenvatting e-mail EIGEN",
            "Verwijzing huisarts EIGEN",
            "verwijzing-EIGEN.txt",
            "Medewerker hulpverlener",
        ] {
            assert!(dossier.body.contains(shown), "{shown}: {}", dossier.body);
        }
        for page in [&home, &dossier] {
            assert!(!page.body.contains(WORK_NOTE_MARKER), "DOS-2");
            assert!(!page.body.contains(OTHER_MARKER));
            assert!(!page.body.contains("<script"));
            // The portal allows the app's own script file (the quick exit of a
            // domestic-violence service, POR-5), never an inline one.
            let csp = page.headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"));
        }
        let file = p.get(&format!("/portaal/bijlagen/{attachment}")).await;
        assert_eq!(file.status, 200);
        assert_eq!(file.body, "Bijlage EIGEN");

        // Another client's trajectory and attachment do not exist for this client.
        for path in [
            format!("/portaal/trajecten/{other_trajectory}"),
            format!("/portaal/bijlagen/{other_attachment}"),
            format!("/portaal/trajecten/{}", uuid::Uuid::now_v7()),
            "/portaal/trajecten/geen-id".to_owned(),
        ] {
            let r = p.get(&path).await;
            assert_eq!(r.status, 404, "{path}");
            assert!(!r.body.contains(OTHER_MARKER));
        }

        // Sign out, and in again with password and a code from the app.
        let out = p.post("/portaal/afmelden", &[("csrf", &home.csrf())]).await;
        assert_eq!(out.location(), Some("/portaal/aanmelden"));
        assert_eq!(
            p.get("/portaal").await.location(),
            Some("/portaal/aanmelden")
        );
        s.t.clock.advance(Duration::minutes(1));
        let wrong = p
            .post(
                "/portaal/aanmelden",
                &[("username", "amal"), ("password", "niet mijn wachtwoord")],
            )
            .await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("klopt niet"));
        let first = p
            .post(
                "/portaal/aanmelden",
                &[("username", "AMAL"), ("password", CLIENT_PASSWORD)],
            )
            .await;
        assert_eq!(
            first.location(),
            Some("/portaal/aanmelden/code"),
            "{}",
            first.body
        );
        let form = p.get("/portaal/aanmelden/code").await;
        let done = p
            .post(
                "/portaal/aanmelden/code",
                &[("csrf", &form.csrf()), ("code", &p.code(&client_secret))],
            )
            .await;
        assert_eq!(done.location(), Some("/portaal"), "{}", done.body);
        assert_ne!(
            cookie_value(&first, "zv_portal"),
            cookie_value(&done, "zv_portal"),
            "a new session token after the second factor"
        );
        assert_eq!(
            p.get(&format!("/portaal/trajecten/{trajectory}"))
                .await
                .status,
            200
        );

        // The worker sees the account.
        assert!(
            staff
                .get(&format!("/clienten/{own}"))
                .await
                .body
                .contains("Heeft een account voor Mijn dossier sinds")
        );

        // The audit log: each portal read names the portal account and the client's own
        // access as its ground, decided by the portal's rule; the look at another
        // client's trajectory is recorded as refused.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(&officer, &AuditQuery::default(), 500)
                .await
                .unwrap()
                .events;
        let portal_reads: Vec<_> = events
            .iter()
            .map(|e| &e.event)
            .filter(|e| e.role == "client" && e.action == AuditAction::Read)
            .collect();
        let dossier_read = portal_reads
            .iter()
            .find(|e| {
                e.object == AuditObject::Trajectory
                    && e.object_id == Some(trajectory.as_uuid())
                    && e.outcome == AuditOutcome::Success
            })
            .expect("the portal's dossier read is in the audit log");
        assert_eq!(dossier_read.client_id, Some(own));
        assert_eq!(dossier_read.purpose, zv_domain::Purpose::OwnAccess);
        assert_eq!(dossier_read.rule_ids, vec!["por1-own-dossier"]);
        let account = dossier_read.user_id.expect("the portal account acts");
        assert_eq!(dossier_read.user_name, format!("portal:{account}"));
        assert!(dossier_read.access_point.starts_with("portal "));
        let refused = portal_reads
            .iter()
            .find(|e| e.object_id == Some(other_trajectory.as_uuid()))
            .expect("the refused look is recorded");
        assert_eq!(refused.outcome, AuditOutcome::Denied);
        assert_eq!(refused.user_id, Some(account));
        assert!(events.iter().any(|e| {
            e.event.action == AuditAction::PrintCopy
                && e.event.object_id == Some(attachment.as_uuid())
                && e.event.user_id == Some(account)
        }));
        // Nothing in the log names the client or the chosen username.
        for e in &events {
            let text = format!("{:?}", e.event);
            assert!(!text.contains("Amal") && !text.contains("amal"), "{text}");
        }
    }
}

/// A raw request with exactly this cookie and no jar.
async fn with_cookie(base: &str, path: &str, cookie: &str) -> (u16, Option<String>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (r.status().as_u16(), location)
}

// promise: POR-1
#[tokio::test(flavor = "multi_thread")]
async fn a_portal_session_never_opens_a_staff_page_or_the_api_and_a_staff_session_never_the_portal()
{
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (client, trajectory, _) =
            client_with_a_dossier(&s, &worker, "Amal Haddad", "EIGEN").await;
        // The worker's signed-in staff token, as the browser holds it.
        let raw = s.client();
        raw.post(
            "/aanmelden",
            &[
                ("username", "hulpverlener"),
                ("password", zv_testkit::TEST_PASSWORD),
            ],
        )
        .await;
        let enrol = raw.get("/aanmelden/koppelen").await;
        let done = raw
            .post(
                "/aanmelden/koppelen",
                &[("csrf", &enrol.csrf()), ("code", &raw.code(&secret))],
            )
            .await;
        let staff_token = cookie_value(&done, "zv_session");
        let code = invite(&raw, client).await;
        let p = s.client();
        let (_, portal_token) = redeem_and_enrol(&p, &code, "amal").await;
        let base = &s.base;
        let staff_cookie = |t: &str| format!("zv_session={t}");
        let portal_cookie = |t: &str| format!("zv_portal={t}");

        // Each token works where it belongs, so the refusals below are about the kind.
        assert_eq!(
            with_cookie(base, "/", &staff_cookie(&staff_token)).await.0,
            200
        );
        assert_eq!(
            with_cookie(base, "/portaal", &portal_cookie(&portal_token))
                .await
                .0,
            200,
            "{engine:?}"
        );

        // A portal session on staff pages, under either cookie name: sign in first.
        for path in [
            "/".to_owned(),
            format!("/clienten/{client}"),
            format!("/trajecten/{trajectory}"),
            "/api-sleutels".to_owned(),
        ] {
            for cookie in [staff_cookie(&portal_token), portal_cookie(&portal_token)] {
                assert_eq!(
                    with_cookie(base, &path, &cookie).await,
                    (303, Some("/aanmelden".to_owned())),
                    "{path} with {cookie}"
                );
            }
        }
        // Nor does the API take it, as a bearer token or as a cookie.
        let http = reqwest::Client::new();
        for request in [
            http.get(format!("{base}/api/v1/me"))
                .bearer_auth(&portal_token),
            http.get(format!("{base}/api/v1/me"))
                .header("cookie", portal_cookie(&portal_token)),
            http.get(format!("{base}/api/v1/clients/{client}/portal"))
                .header("cookie", staff_cookie(&portal_token)),
        ] {
            assert_eq!(request.send().await.unwrap().status().as_u16(), 401);
        }

        // A staff session on portal pages, under either cookie name: the portal's
        // sign-in.
        for path in [
            "/portaal".to_owned(),
            format!("/portaal/trajecten/{trajectory}"),
            "/portaal/aanmelden/code".to_owned(),
        ] {
            for cookie in [portal_cookie(&staff_token), staff_cookie(&staff_token)] {
                assert_eq!(
                    with_cookie(base, &path, &cookie).await,
                    (303, Some("/portaal/aanmelden".to_owned())),
                    "{path} with {cookie}"
                );
            }
        }
        // A portal form without the session's token changes nothing.
        let out = p.post("/portaal/afmelden", &[("csrf", "verkeerd")]).await;
        assert_eq!(out.status, 403);
        assert_eq!(p.get("/portaal").await.status, 200);
        // The policy's idle limit ends a portal session as it ends a staff one.
        s.t.clock.advance(Duration::minutes(31));
        assert_eq!(
            p.get("/portaal").await.location(),
            Some("/portaal/aanmelden")
        );
    }
}

// promise: POR-1
// promise: MIN-1
#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_works_once_expires_after_the_policys_days_and_not_for_a_child_under_12() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let (client, _, _) = client_with_a_dossier(&s, &worker, "Amal Haddad", "EIGEN").await;
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;

        // Used once, then refused with a clear Dutch message.
        let code = invite(&staff, client).await;
        redeem_and_enrol(&s.client(), &code, "amal").await;
        let again = s
            .client()
            .post(
                "/portaal/uitnodiging",
                &[
                    ("code", &code),
                    ("username", "iemand.anders"),
                    ("password", CLIENT_PASSWORD),
                    ("password_repeat", CLIENT_PASSWORD),
                ],
            )
            .await;
        assert_eq!(again.status, 422, "{engine:?}");
        assert!(
            again.body.contains("Deze uitnodigingscode is al gebruikt."),
            "{}",
            again.body
        );
        // A client with an account is not invited again until access is revoked.
        let page = staff.get(&format!("/clienten/{client}")).await;
        assert!(!page.body.contains("/portaal/uitnodiging\""));
        let refused = staff
            .post(
                &format!("/clienten/{client}/portaal/uitnodiging"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("heeft al een account"));

        // Revoking ends the account and its sessions; the username may sign in no more.
        let revoked = staff
            .post(
                &format!("/clienten/{client}/portaal/intrekken"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(revoked.status, 303, "{}", revoked.body);
        let gone = s
            .client()
            .post(
                "/portaal/aanmelden",
                &[("username", "amal"), ("password", CLIENT_PASSWORD)],
            )
            .await;
        assert_eq!(gone.status, 401);

        // A new code is valid for the policy's 7 days and not a moment longer.
        let code = invite(&staff, client).await;
        s.t.clock.advance(Duration::days(7) + Duration::minutes(1));
        let late = s
            .client()
            .post(
                "/portaal/uitnodiging",
                &[
                    ("code", &code),
                    ("username", "amal"),
                    ("password", CLIENT_PASSWORD),
                    ("password_repeat", CLIENT_PASSWORD),
                ],
            )
            .await;
        assert_eq!(late.status, 422);
        assert!(
            late.body.contains(
                "Deze uitnodigingscode is verlopen. Vraag uw hulpverlener om een nieuwe code."
            ),
            "{}",
            late.body
        );

        // Only the worker on the case invites; a colleague of another team does not.
        let colleague = s.client();
        colleague.sign_in("collega", &colleague_secret).await;
        let home = colleague.get("/").await;
        let other = colleague
            .post(
                &format!("/clienten/{client}/portaal/uitnodiging"),
                &[("csrf", &home.csrf())],
            )
            .await;
        assert_eq!(other.status, 404);
        assert!(
            !colleague
                .get(&format!("/clienten/{client}"))
                .await
                .body
                .contains("Mijn dossier")
        );

        // MIN-1: a child under 12 gets no account of its own (the parents with
        // authority read).
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let (child, _) =
            s.t.intake(&worker, "Sami Haddad", "2016-02-03", "amw")
                .await;
        let page = staff.get(&format!("/clienten/{child}")).await;
        let minor = staff
            .post(
                &format!("/clienten/{child}/portaal/uitnodiging"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(minor.status, 422);
        assert!(
            minor
                .body
                .contains("Een kind jonger dan 12 krijgt geen eigen account")
        );
        assert!(!minor.body.contains("id=\"invitation-code\""));
    }
}

async fn json_of(r: reqwest::Response) -> serde_json::Value {
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

// promise: POR-1
#[tokio::test(flavor = "multi_thread")]
async fn the_api_shows_invites_and_revokes_portal_access() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (client, trajectory, _) =
            client_with_a_dossier(&s, &worker, "Amal Haddad", "EIGEN").await;
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let page = staff.get("/api-sleutels").await;
        let made = staff
            .post(
                "/api-sleutels",
                &[
                    ("csrf", &page.csrf()),
                    ("name", "portaal"),
                    ("expires_on", "2026-12-01"),
                    ("scope_read", "1"),
                    ("scope_write", "1"),
                ],
            )
            .await;
        let token = made
            .body
            .split("id=\"new-token\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_owned();
        let http = reqwest::Client::new();
        let api = |method: reqwest::Method, path: &str| {
            http.request(method, format!("{}/api/v1{path}", s.base))
                .bearer_auth(&token)
        };
        let status = json_of(
            api(reqwest::Method::GET, &format!("/clients/{client}/portal"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status["account"], serde_json::Value::Null, "{engine:?}");
        assert_eq!(status["pending_invitation"], serde_json::Value::Null);
        let r = api(
            reqwest::Method::POST,
            &format!("/clients/{client}/portal/invitations"),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let issued = json_of(r).await;
        let code = issued["code"].as_str().unwrap().to_owned();
        assert!(
            issued["expires_at"]
                .as_str()
                .unwrap()
                .starts_with("2026-11-29")
        );

        let p = s.client();
        redeem_and_enrol(&p, &code, "amal").await;
        assert_eq!(
            p.get(&format!("/portaal/trajecten/{trajectory}"))
                .await
                .status,
            200
        );
        let status = json_of(
            api(reqwest::Method::GET, &format!("/clients/{client}/portal"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status["account"]["second_factor_enrolled"], true);

        let r = api(
            reqwest::Method::POST,
            &format!("/clients/{client}/portal/revoke"),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 204);
        assert_eq!(
            p.get("/portaal").await.location(),
            Some("/portaal/aanmelden"),
            "revoking ends the client's sessions"
        );
        let r = api(
            reqwest::Method::POST,
            &format!("/clients/{client}/portal/revoke"),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 409, "nothing left to revoke");
        // The invitation and the revocation are decided and recorded under the worker.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        client: Some(client),
                        ..AuditQuery::default()
                    },
                    500,
                )
                .await
                .unwrap()
                .events;
        for action in [AuditAction::Create, AuditAction::Delete] {
            let e = events
                .iter()
                .map(|e| &e.event)
                .find(|e| {
                    e.object == AuditObject::PortalAccount
                        && e.action == action
                        && e.role == "caseworker"
                })
                .unwrap_or_else(|| panic!("{action:?} of the portal access"));
            assert_eq!(e.outcome, AuditOutcome::Success);
            assert!(
                e.rule_ids
                    .contains(&"por1-assigned-worker-invites".to_owned())
            );
            assert!(e.access_point.starts_with("api "));
        }
    }
}
