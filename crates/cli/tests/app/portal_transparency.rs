//! What the portal makes visible to the client, through HTTP on both engines: who looked
//! at their dossier (POR-3), the organisation's help numbers on every portal page and
//! the quick exit of a domestic-violence service (POR-5), and which privacy statement
//! the client was given at intake (ORG-3).

use chrono::Duration;
use serde_json::json;
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, Role};
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::{Api, conforms, make_token};
use crate::portal::{invite, redeem_and_enrol};

/// The Dutch help line of each shipped policy, and the emergency number.
const LEV_HELP: &str = "0492 59 89 89";
const BLIJF_HELP: &str = "088 234 24 50";
const EMERGENCY: &str = "112";
const QUICK_EXIT: &str = "href=\"/portaal/snel-weg\"";
const QUICK_EXIT_SCRIPT: &str = "<script src=\"/static/quick-exit.js\"";

/// The worker invites (through the core, at the server's clock) and the client redeems
/// the code, enrols and is signed in. Returns the portal client and its session token.
async fn portal_client(
    s: &TestServer,
    worker: &Actor,
    client: ClientId,
    username: &str,
) -> (WebClient, String) {
    let issued = s.t.app.invite_to_portal(worker, client).await.unwrap();
    let p = s.client();
    let (_, token) = redeem_and_enrol(&p, &issued.code, username).await;
    (p, token)
}

/// The rows of the access log's table.
fn log_rows(page: &Page) -> Vec<&str> {
    page.body
        .split("<tbody>")
        .nth(1)
        .and_then(|r| r.split("</tbody>").next())
        .map(|t| t.split("<tr").skip(1).collect())
        .unwrap_or_default()
}

fn row_with<'a>(page: &'a Page, needle: &str) -> Option<&'a str> {
    log_rows(page).into_iter().find(|r| r.contains(needle))
}

// promise: POR-3
#[tokio::test(flavor = "multi_thread")]
async fn the_client_sees_who_looked_by_name_or_function_on_what_ground_and_emergencies_marked() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let admin = s.t.staff("beheerder1", Role::Administrator, None).await;
        let colleague =
            s.t.staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
                .await;
        let other_worker =
            s.t.staff("anderewerker", Role::Caseworker, Some("amw-helmond"))
                .await;
        let (own, trajectory) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
                .await;
        // Another client, only ever touched by a worker who never touches Amal's.
        let (_, other_trajectory) =
            s.t.intake(&other_worker, "Bram de Vries", "1979-01-02", "amw")
                .await;
        s.t.app
            .dossier(&other_worker, other_trajectory)
            .await
            .unwrap();

        // The assigned worker reads the dossier on the web.
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        assert_eq!(
            staff.get(&format!("/trajecten/{trajectory}")).await.status,
            200
        );
        // A colleague of another team tries and is refused (ACC-2).
        assert!(s.t.app.dossier(&colleague, trajectory).await.is_err());
        // An administrator breaks the glass and reads (ACC-5).
        s.t.app
            .break_the_glass(
                &admin,
                trajectory,
                "Crisis: niemand van het team bereikbaar",
                2,
            )
            .await
            .unwrap();
        s.t.app.dossier(&admin, trajectory).await.unwrap();

        let (p, _) = portal_client(&s, &worker, own, "amal").await;
        let home = p.get("/portaal").await;
        assert!(
            home.body.contains("href=\"/portaal/inzage-log\""),
            "linked from home and nav"
        );
        let log = p.get("/portaal/inzage-log").await;
        assert_eq!(log.status, 200, "{engine:?}: {}", log.body);
        assert!(log.body.contains("Wie keek in mijn dossier"));

        // The worker, by name and function (LEVgroep shows caseworkers by name), reading
        // the dossier as the worker on the case.
        let read = log_rows(&log)
            .into_iter()
            .find(|r| {
                r.contains("Medewerker hulpverlener")
                    && r.contains("Ingezien")
                    && r.contains("uw dossier (een hulptraject)")
            })
            .unwrap_or_else(|| panic!("the worker's read is listed: {}", log.body));
        assert!(read.contains("Hulpverlener"), "the function: {read}");
        assert!(read.contains("Werkt aan uw hulp"), "the ground: {read}");
        assert!(
            read.contains("acc1-assigned-worker"),
            "the deciding rule: {read}"
        );
        assert!(!read.contains("class=\"emergency\""));

        // The emergency access, marked, by function only: LEVgroep does not name its
        // administrators to clients.
        let emergency = row_with(&log, "Noodtoegang geopend")
            .unwrap_or_else(|| panic!("the glass broken is listed: {}", log.body));
        assert!(emergency.starts_with(" class=\"emergency\""), "{emergency}");
        assert!(emergency.contains("Beheerder"), "{emergency}");
        let emergency_read = log_rows(&log)
            .into_iter()
            .find(|r| r.contains("Noodsituatie") && r.contains("Ingezien"))
            .unwrap_or_else(|| panic!("the read under emergency access: {}", log.body));
        assert!(emergency_read.contains("Noodtoegang"), "{emergency_read}");
        assert!(
            !log.body.contains("Medewerker beheerder1"),
            "no name where the policy says function"
        );

        // The refused look is there too, as refused.
        let refused = row_with(&log, "Medewerker collega")
            .unwrap_or_else(|| panic!("the refused look: {}", log.body));
        assert!(refused.contains("geweigerd"), "{refused}");

        // Nothing of another client, no work note, nothing internal.
        assert!(!log.body.contains("Medewerker anderewerker"));
        assert!(!log.body.contains(&other_trajectory.to_string()));
        assert!(
            !log.body.contains(&trajectory.to_string()),
            "no ids, only words"
        );
        assert!(!log.body.contains("Crisis"), "no detail of an event");

        // The client's own doings only when asked for.
        assert!(!log.body.contains("U zelf"));
        let with_own = p.get("/portaal/inzage-log?eigen=1").await;
        let own_row = row_with(&with_own, "U zelf").expect("own reads on request");
        assert!(with_own.body.contains("Uw eigen inzage"), "{own_row}");

        // Reading the overview is itself a recorded read through the gate, under the
        // portal account, of this client only.
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let events =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        client: Some(own),
                        ..AuditQuery::default()
                    },
                    500,
                )
                .await
                .unwrap()
                .events;
        let reads: Vec<_> = events
            .iter()
            .map(|e| &e.event)
            .filter(|e| e.object == AuditObject::AuditLog && e.role == "client")
            .collect();
        assert!(reads.len() >= 2, "each visit is recorded: {reads:?}");
        for e in reads {
            assert_eq!(e.action, AuditAction::Read);
            assert_eq!(e.outcome, AuditOutcome::Success);
            assert_eq!(e.rule_ids, vec!["por3-own-access-log"]);
            assert_eq!(e.purpose, zv_domain::Purpose::OwnAccess);
            assert_eq!(e.client_id, Some(own));
        }

        // English is complete.
        let switched = p.post("/portaal/taal/en", &[]).await;
        assert_eq!(switched.status, 303);
        let english = p.get("/portaal/inzage-log").await;
        assert!(
            english.body.contains("Who looked at my file"),
            "{}",
            english.body
        );
        assert!(english.body.contains("Opened emergency access"));
    }
}

// promise: POR-3
#[tokio::test(flavor = "multi_thread")]
async fn the_overview_is_filtered_by_period_refuses_bad_dates_per_field_and_pages() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, _) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (own, trajectory) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
                .await;
        // A read on 22 November and, ten days later, on 2 December (11:00 in Amsterdam).
        s.t.app.dossier(&worker, trajectory).await.unwrap();
        s.t.clock.advance(Duration::days(10));
        s.t.app.dossier(&worker, trajectory).await.unwrap();
        let (p, _) = portal_client(&s, &worker, own, "amal").await;

        let all = p.get("/portaal/inzage-log").await;
        assert!(
            all.body.contains("2026-11-22 11:00"),
            "{engine:?}: {}",
            all.body
        );
        assert!(all.body.contains("2026-12-02 11:00"));
        let later = p.get("/portaal/inzage-log?van=2026-11-30").await;
        assert_eq!(later.status, 200);
        assert!(later.body.contains("2026-12-02 11:00"));
        assert!(!later.body.contains("2026-11-22"), "older events left out");
        assert!(
            later.body.contains("value=\"2026-11-30\""),
            "the filter is kept"
        );
        let earlier = p
            .get("/portaal/inzage-log?van=2026-11-22&tot=2026-11-25")
            .await;
        assert!(earlier.body.contains("2026-11-22 11:00"));
        assert!(
            !earlier.body.contains("2026-12-02"),
            "later events left out"
        );
        let none = p
            .get("/portaal/inzage-log?van=2026-10-01&tot=2026-10-31")
            .await;
        assert_eq!(none.status, 200);
        assert!(
            none.body
                .contains("In deze periode heeft niemand uw gegevens bekeken")
        );

        // Each wrong field is named in Dutch; the other is not blamed.
        let bad_from = p
            .get("/portaal/inzage-log?van=2026-02-30&tot=2026-12-01")
            .await;
        assert_eq!(bad_from.status, 422);
        assert!(bad_from.body.contains("Vanaf: vul een geldige datum in"));
        assert!(!bad_from.body.contains("Tot en met: vul"));
        assert!(
            bad_from.body.contains("value=\"2026-02-30\""),
            "what was typed is kept"
        );
        assert!(log_rows(&bad_from).is_empty());
        let bad_to = p.get("/portaal/inzage-log?tot=morgen").await;
        assert_eq!(bad_to.status, 422);
        assert!(bad_to.body.contains("Tot en met: vul een geldige datum in"));
        assert!(!bad_to.body.contains("Vanaf: vul"));
        let reversed = p
            .get("/portaal/inzage-log?van=2026-12-01&tot=2026-11-01")
            .await;
        assert_eq!(reversed.status, 422);
        assert!(
            reversed
                .body
                .contains("Tot en met: deze datum ligt voor de datum bij Vanaf.")
        );

        // A long overview comes in pages of 100, newest first; the next page continues
        // where the first stopped and keeps the filter.
        for _ in 0..110 {
            s.t.app.dossier(&worker, trajectory).await.unwrap();
        }
        let first = p.get("/portaal/inzage-log?van=2026-11-01").await;
        assert_eq!(log_rows(&first).len(), 100, "{engine:?}");
        let next = first
            .body
            .split("href=\"/portaal/inzage-log?")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("a link to the older events")
            .replace("&amp;", "&");
        assert!(
            next.contains("van=2026-11-01") && next.contains("voor="),
            "{next}"
        );
        let second = p.get(&format!("/portaal/inzage-log?{next}")).await;
        assert_eq!(second.status, 200);
        let rest = log_rows(&second);
        assert!(!rest.is_empty() && rest.len() < 100, "{}", rest.len());
        assert!(
            second.body.contains("2026-11-22 11:00"),
            "the oldest on the last page"
        );
        assert!(!first.body.contains("2026-11-22 11:00"));
    }
}

/// Every portal page a client passes through, signed in or not, with the help line.
async fn assert_help_everywhere(s: &TestServer, worker: &Actor, client: ClientId, help: &str) {
    let check = |path: &str, page: &Page| {
        assert!(
            page.body.contains(help) && page.body.contains(EMERGENCY),
            "{path}: help numbers missing\n{}",
            page.body
        );
        assert!(
            page.body.contains("href=\"tel:112\""),
            "{path}: one tap to call"
        );
    };
    let p = s.client();
    for path in ["/portaal/aanmelden", "/portaal/uitnodiging"] {
        let page = p.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        check(path, &page);
    }
    let issued = s.t.app.invite_to_portal(worker, client).await.unwrap();
    let redeemed = p
        .post(
            "/portaal/uitnodiging",
            &[
                ("code", &issued.code),
                ("username", "amal"),
                ("password", "een zin die ik onthoud"),
                ("password_repeat", "een zin die ik onthoud"),
            ],
        )
        .await;
    assert_eq!(redeemed.status, 303, "{}", redeemed.body);
    let enrol = p.get("/portaal/aanmelden/koppelen").await;
    check("/portaal/aanmelden/koppelen", &enrol);
    let secret = enrol
        .body
        .split("<code>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    let recovery = p
        .post(
            "/portaal/aanmelden/koppelen",
            &[("csrf", &enrol.csrf()), ("code", &p.code(&secret))],
        )
        .await;
    assert_eq!(recovery.status, 200);
    check("recovery codes", &recovery);
    let home = p.get("/portaal").await;
    check("/portaal", &home);
    let trajectory = home
        .body
        .split("href=\"/portaal/trajecten/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    for path in [
        format!("/portaal/trajecten/{trajectory}"),
        "/portaal/inzage-log".to_owned(),
        "/portaal/privacyverklaring".to_owned(),
    ] {
        let page = p.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        check(&path, &page);
    }
    // The second step of a later sign-in.
    s.t.clock.advance(Duration::minutes(1));
    let again = s.client();
    let first = again
        .post(
            "/portaal/aanmelden",
            &[("username", "amal"), ("password", "een zin die ik onthoud")],
        )
        .await;
    assert_eq!(first.location(), Some("/portaal/aanmelden/code"));
    let code = again.get("/portaal/aanmelden/code").await;
    check("/portaal/aanmelden/code", &code);
}

// promise: POR-5
#[tokio::test(flavor = "multi_thread")]
async fn help_numbers_are_on_every_portal_page_of_both_organisations() {
    for engine in engines() {
        for (policy, help) in [("levgroep", LEV_HELP), ("blijfgroep", BLIJF_HELP)] {
            let s = TestServer::start(engine, policy).await;
            let team = s.t.first_team();
            let (worker, _) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
            let service = s.t.app.policy().service_types()[0].code.clone();
            let (client, _) =
                s.t.intake(&worker, "Amal Haddad", "1984-05-06", &service)
                    .await;
            assert_help_everywhere(&s, &worker, client, help).await;
        }
    }
}

/// A raw request with exactly this cookie and no jar.
async fn status_with_cookie(base: &str, path: &str, cookie: &str) -> (u16, Option<String>) {
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

fn assert_no_inline_script(path: &str, page: &Page) {
    for tag in page.body.split("<script").skip(1) {
        assert!(
            tag.starts_with(" src=\"/static/quick-exit.js\""),
            "{path}: only the app's own script file: <script{}",
            &tag[..tag.len().min(80)]
        );
    }
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    assert!(!csp.contains("http"), "no other origin: {csp}");
}

// promise: POR-5
#[tokio::test(flavor = "multi_thread")]
async fn a_domestic_violence_service_has_a_quick_exit_that_ends_the_session_and_leaves() {
    for engine in engines() {
        // Blijf Groep: every service is a domestic-violence service.
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (worker, _) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let (client, _) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "opvang")
                .await;
        // Before sign-in too: the sign-in pages of a domestic-violence organisation.
        let anonymous = s.client();
        for path in ["/portaal/aanmelden", "/portaal/uitnodiging"] {
            let page = anonymous.get(path).await;
            assert!(page.body.contains(QUICK_EXIT), "{engine:?} {path}");
            assert!(page.body.contains(QUICK_EXIT_SCRIPT), "{path}");
            assert!(
                page.body.contains("twee keer op Esc"),
                "{path}: the key is told"
            );
            assert_no_inline_script(path, &page);
        }
        let (p, token) = portal_client(&s, &worker, client, "amal").await;
        for path in [
            "/portaal",
            "/portaal/inzage-log",
            "/portaal/privacyverklaring",
        ] {
            let page = p.get(path).await;
            assert_eq!(page.status, 200, "{path}");
            assert!(page.body.contains(QUICK_EXIT), "{path}");
            assert!(page.body.contains(QUICK_EXIT_SCRIPT), "{path}");
            assert_no_inline_script(path, &page);
        }
        // The script is served by the app itself, as a script.
        let script = p.get("/static/quick-exit.js").await;
        assert_eq!(script.status, 200);
        assert!(
            script.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
        assert!(script.body.contains("location.replace"));
        assert!(script.body.contains("Escape"));

        // Leaving: the session ends, its cookie is cleared, and the browser goes on to
        // the policy's neutral site.
        let left = p.get("/portaal/snel-weg").await;
        assert_eq!(left.status, 303);
        assert_eq!(left.location(), Some("https://www.buienradar.nl"));
        assert!(
            left.headers
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("zv_portal=;")),
            "the cookie is cleared"
        );
        assert_eq!(
            status_with_cookie(&s.base, "/portaal", &format!("zv_portal={token}")).await,
            (303, Some("/portaal/aanmelden".to_owned())),
            "the old session no longer opens the portal"
        );
        // Without a session it still leaves.
        let nobody = s.client().get("/portaal/snel-weg").await;
        assert_eq!(nobody.location(), Some("https://www.buienradar.nl"));
        // The leaving is in the audit log as a sign-out, nothing more.
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
        assert!(
            events
                .iter()
                .any(|e| e.event.action == AuditAction::SignOut && e.event.role == "client")
        );

        // LEVgroep: no domestic-violence service, so no quick exit before sign-in, nor
        // for a client of general social work; but for a client whose trajectory has
        // domestic violence recorded, there is.
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, _) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let anonymous = s.client();
        for path in ["/portaal/aanmelden", "/portaal/uitnodiging"] {
            let page = anonymous.get(path).await;
            assert!(!page.body.contains(QUICK_EXIT), "{engine:?} {path}");
            assert!(!page.body.contains("<script"), "{path}");
        }
        let (plain, _) =
            s.t.intake(&worker, "Bram de Vries", "1979-01-02", "amw")
                .await;
        let (p, _) = portal_client(&s, &worker, plain, "bram").await;
        for path in [
            "/portaal",
            "/portaal/inzage-log",
            "/portaal/privacyverklaring",
        ] {
            let page = p.get(path).await;
            assert_eq!(page.status, 200, "{path}");
            assert!(!page.body.contains(QUICK_EXIT), "{path}");
            assert!(!page.body.contains("<script"), "{path}");
            assert!(page.body.contains(LEV_HELP), "{path}: help is always there");
        }
        let (at_risk, _) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
                .await;
        s.t.app
            .open_trajectory(
                &worker,
                at_risk,
                TrajectoryInput {
                    service_type: "amw".to_owned(),
                    team: "amw-helmond".to_owned(),
                    domestic_violence: true,
                    opened_on: date("2026-11-01"),
                    municipality: None,
                },
            )
            .await
            .unwrap();
        let (p, _) = portal_client(&s, &worker, at_risk, "amal").await;
        let home = p.get("/portaal").await;
        assert!(home.body.contains(QUICK_EXIT), "{}", home.body);
        assert_no_inline_script("/portaal", &home);
        // Without a neutral site in the policy, the app's own neutral page: nothing of
        // the portal, the organisation or its help line on it.
        let left = p.get("/portaal/snel-weg").await;
        assert_eq!(left.location(), Some("/start"));
        let neutral = p.get("/start").await;
        assert_eq!(neutral.status, 200);
        assert!(neutral.body.contains("Nieuw tabblad"));
        for giveaway in ["Mijn dossier", "LEVgroep", LEV_HELP, "portaal", "<script"] {
            assert!(
                !neutral.body.contains(giveaway),
                "{giveaway}: {}",
                neutral.body
            );
        }
        assert_eq!(
            p.get("/portaal").await.location(),
            Some("/portaal/aanmelden")
        );
    }
}

/// The client id a dossier page links to.
fn client_of(dossier: &Page) -> ClientId {
    let id = dossier
        .body
        .split("href=\"/clienten/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap();
    ClientId::from_uuid(id.parse().unwrap())
}

fn intake_form<'a>(
    csrf: &'a str,
    team: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("name", "Amal Haddad"),
        ("birth_date", "1984-05-06"),
        ("gender", "female"),
        ("address", ""),
        ("phone", ""),
        ("email", ""),
        ("team", team),
        ("service_type", "opvang"),
        ("opened_on", "2026-11-20"),
    ];
    form.extend_from_slice(extra);
    form
}

// promise: ORG-3
#[tokio::test(flavor = "multi_thread")]
async fn the_statement_and_privacy_card_given_at_intake_are_recorded_and_shown_in_the_portal() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;

        // The intake form offers the current version and the card, ticked, dated today.
        let form = staff.get("/clienten/nieuw").await;
        assert_eq!(form.status, 200);
        assert!(
            form.body
                .contains("De cliënt heeft de privacyverklaring gekregen (versie 2024)")
        );
        assert!(
            form.body
                .contains("De cliënt heeft de privacykaart gekregen")
        );
        assert!(
            form.body
                .contains("name=\"statement_given\" value=\"1\" checked")
        );
        assert!(
            form.body
                .contains("name=\"privacy_card_given\" value=\"1\" checked")
        );
        assert!(
            form.body
                .contains("name=\"statement_given_on\" type=\"date\" value=\"2026-11-22\"")
        );
        let csrf = form.csrf();

        // A day in the future is refused at its field, and nothing is registered.
        let refused = staff
            .post(
                "/clienten/nieuw",
                &intake_form(
                    &csrf,
                    &team,
                    &[
                        ("statement_given", "1"),
                        ("privacy_card_given", "1"),
                        ("statement_given_on", "2026-12-24"),
                    ],
                ),
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);
        assert!(refused.body.contains("Deze datum ligt in de toekomst."));
        assert!(refused.body.contains("value=\"2026-12-24\""));
        let officer = s.t.staff("functionaris", Role::PrivacyOfficer, None).await;
        let registered = |events: &[zv_domain::audit::AuditEvent]| {
            events
                .iter()
                .filter(|e| {
                    e.event.object == AuditObject::ClientProfile
                        && e.event.action == AuditAction::Create
                })
                .count()
        };
        let all =
            s.t.app
                .audit_events(&officer, &AuditQuery::default(), 500)
                .await
                .unwrap()
                .events;
        assert_eq!(registered(&all), 0, "a refused intake registers nobody");

        // Given two days ago: statement and card.
        let done = staff
            .post(
                "/clienten/nieuw",
                &intake_form(
                    &csrf,
                    &team,
                    &[
                        ("statement_given", "1"),
                        ("privacy_card_given", "1"),
                        ("statement_given_on", "2026-11-20"),
                    ],
                ),
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let dossier = staff.get(done.location().unwrap()).await;
        let client = client_of(&dossier);
        let page = staff.get(&format!("/clienten/{client}")).await;
        let receipts = page
            .body
            .split("id=\"statement-receipts\"")
            .nth(1)
            .and_then(|r| r.split("</table>").next())
            .unwrap_or_else(|| panic!("the receipts on the client page: {}", page.body));
        assert!(receipts.contains("2026-11-20"));
        assert!(receipts.contains("2024"));
        assert!(receipts.contains("privacyverklaring, privacykaart"));

        // Later on the client page: a refusal names the field and keeps what was typed.
        let bad = staff
            .post(
                &format!("/clienten/{client}/privacyverklaring"),
                &[
                    ("csrf", &page.csrf()),
                    ("statement_given", "1"),
                    ("given_on", "gisteren"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("Vul een geldige datum in (jjjj-mm-dd)."));
        assert!(bad.body.contains("value=\"gisteren\""));
        let nothing = staff
            .post(
                &format!("/clienten/{client}/privacyverklaring"),
                &[("csrf", &page.csrf()), ("given_on", "2026-11-21")],
            )
            .await;
        assert_eq!(nothing.status, 422);
        assert!(
            nothing
                .body
                .contains("Vink aan wat de cliënt heeft gekregen")
        );
        let again = staff
            .post(
                &format!("/clienten/{client}/privacyverklaring"),
                &[
                    ("csrf", &page.csrf()),
                    ("statement_given", "1"),
                    ("given_on", "2026-11-22"),
                ],
            )
            .await;
        assert_eq!(again.status, 303, "{}", again.body);

        // Each recording is a write decided at the gate and audited, without content.
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
        let recorded: Vec<_> = events
            .iter()
            .map(|e| &e.event)
            .filter(|e| {
                e.object == AuditObject::StatementReceipt && e.action == AuditAction::Create
            })
            .collect();
        assert_eq!(recorded.len(), 2, "{recorded:?}");
        // The one given at intake is written with the client, under the intake's rule;
        // the later one under the assigned worker's.
        let mut rules: Vec<_> = recorded.iter().map(|e| e.rule_ids.clone()).collect();
        rules.sort();
        assert_eq!(
            rules,
            vec![vec!["acc1-assigned-worker"], vec!["acc1-intake"]],
            "{recorded:?}"
        );
        for e in &recorded {
            assert_eq!(e.role, "caseworker");
            assert!(!format!("{e:?}").contains("Amal"));
        }

        // The client reads it in the portal: the current version on every page, and
        // what they were given and when on their own page.
        let (other, _) =
            s.t.intake(&worker, "Bram de Vries", "1979-01-02", "opvang")
                .await;
        s.t.app
            .record_statement_receipt(
                &worker,
                other,
                zv_core::statement_receipts::StatementReceiptInput {
                    given_on: date("2026-01-15"),
                    statement_given: true,
                    privacy_card_given: false,
                },
            )
            .await
            .unwrap();
        let code = invite(&staff, client).await;
        let p = s.client();
        redeem_and_enrol(&p, &code, "amal").await;
        let home = p.get("/portaal").await;
        assert!(home.body.contains("Privacyverklaring, versie 2024."));
        assert!(
            home.body
                .contains("href=\"https://www.blijfgroep.nl/privacy\"")
        );
        let mine = p.get("/portaal/privacyverklaring").await;
        assert_eq!(mine.status, 200, "{}", mine.body);
        let table = mine
            .body
            .split("id=\"statement-receipts\"")
            .nth(1)
            .and_then(|r| r.split("</table>").next())
            .unwrap_or_else(|| panic!("{}", mine.body));
        assert!(table.contains("2026-11-20") && table.contains("2026-11-22"));
        assert!(table.contains("privacyverklaring, privacykaart"));
        assert!(table.contains("geldt nu"));
        assert!(!table.contains("2026-01-15"), "never another client's");
        // Destroying a client destroys what it was given with it (RET-4).
        let destroyed =
            s.t.app
                .destroy_client(
                    &Actor::cli("test"),
                    other,
                    "clienten-15y",
                    "test of destruction",
                )
                .await
                .unwrap();
        assert_eq!(destroyed.rows.get("statement_receipts"), Some(&1));
        // Reading it is a recorded read of the client's own data.
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
        assert!(
            events
                .iter()
                .any(|e| e.event.object == AuditObject::StatementReceipt
                    && e.event.action == AuditAction::Read
                    && e.event.role == "client"
                    && e.event.rule_ids == vec!["por1-own-dossier"])
        );

        // The same through the API, described by the OpenAPI document.
        let token = make_token(&staff, "intake", &["read", "write"], "2026-12-01").await;
        let api = Api::new(&s, &token);
        let doc = api.get("/openapi.json").await.json;
        let listed = api
            .get(&format!("/clients/{client}/statement-receipts"))
            .await;
        assert_eq!(listed.status, 200, "{}", listed.text());
        conforms(&doc, "get", "/clients/{id}/statement-receipts", &listed);
        assert_eq!(listed.json.as_array().unwrap().len(), 2);
        assert_eq!(listed.json[0]["statement_version"], "2024");
        assert_eq!(listed.json[0]["privacy_card_given"], true);
        let made = api
            .post(
                &format!("/clients/{client}/statement-receipts"),
                &json!({"given_on": "2026-11-22", "privacy_card_given": true}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        conforms(&doc, "post", "/clients/{id}/statement-receipts", &made);
        assert_eq!(made.json["statement_given"], true);
        assert_eq!(made.json["is_current"], true);
        let future = api
            .post(
                &format!("/clients/{client}/statement-receipts"),
                &json!({"given_on": "2027-01-01"}),
            )
            .await;
        assert_eq!(future.status, 422);
        let registered = api
            .post(
                "/clients",
                &json!({
                    "branch": s.t.app.policy().branches()[0].code,
                    "name": "Sara Bakker",
                    "birth_date": "1990-03-04",
                    "trajectory": {"service_type": "opvang", "team": team, "opened_on": "2026-11-22"},
                    "statement_receipt": {"given_on": "2026-11-22", "privacy_card_given": true}
                }),
            )
            .await;
        assert_eq!(registered.status, 201, "{}", registered.text());
        let sara = registered.json["client_id"].as_str().unwrap().to_owned();
        let hers = api
            .get(&format!("/clients/{sara}/statement-receipts"))
            .await;
        assert_eq!(hers.json.as_array().unwrap().len(), 1);
    }
}

// promise: ORG-3
#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_without_a_privacy_card_records_the_statement_only() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (client, _) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
                .await;
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let form = staff.get("/clienten/nieuw").await;
        assert!(form.body.contains("(versie januari 2025)"));
        assert!(
            !form.body.contains("privacy_card_given"),
            "LEVgroep hands out no card"
        );
        let page = staff.get(&format!("/clienten/{client}")).await;
        assert!(
            page.body
                .contains("Nog niet vastgelegd welke privacyverklaring")
        );
        let card = staff
            .post(
                &format!("/clienten/{client}/privacyverklaring"),
                &[
                    ("csrf", &page.csrf()),
                    ("statement_given", "1"),
                    ("privacy_card_given", "1"),
                    ("given_on", "2026-11-22"),
                ],
            )
            .await;
        assert_eq!(card.status, 422, "{engine:?}");
        assert!(
            card.body
                .contains("Deze organisatie geeft geen privacykaart mee.")
        );
        // Only the assigned worker records it: a colleague of another team is told the
        // client does not exist.
        let (_, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let colleague = s.client();
        colleague.sign_in("collega", &colleague_secret).await;
        let home = colleague.get("/").await;
        let not_theirs = colleague
            .post(
                &format!("/clienten/{client}/privacyverklaring"),
                &[
                    ("csrf", &home.csrf()),
                    ("statement_given", "1"),
                    ("given_on", "2026-11-22"),
                ],
            )
            .await;
        assert_eq!(not_theirs.status, 404);
        let (p, _) = portal_client(&s, &worker, client, "amal").await;
        let mine = p.get("/portaal/privacyverklaring").await;
        assert!(
            mine.body
                .contains("Er is nog niet vastgelegd welke privacyverklaring u heeft gekregen")
        );
        assert!(
            mine.body
                .contains("De privacyverklaring die nu geldt, is versie januari 2025.")
        );
        assert!(!mine.body.contains("privacykaart"));
    }
}

// promise: POR-3
#[tokio::test(flavor = "multi_thread")]
async fn a_domestic_violence_organisation_shows_its_staff_by_function_only() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (worker, _) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let (client, trajectory) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "opvang")
                .await;
        s.t.app.dossier(&worker, trajectory).await.unwrap();
        let (p, _) = portal_client(&s, &worker, client, "amal").await;
        let log = p.get("/portaal/inzage-log").await;
        let read = log_rows(&log)
            .into_iter()
            .find(|r| r.contains("Ingezien") && r.contains("uw dossier"))
            .unwrap_or_else(|| panic!("{engine:?}: {}", log.body));
        assert!(read.contains("Hulpverlener"), "{read}");
        assert!(
            !log.body.contains("Medewerker hulpverlener"),
            "Blijf Groep names no staff"
        );
    }
}

/// The demo's portal account, for a newcomer to try the portal (README).
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_has_a_portal_account_that_signs_in_with_the_printed_secret() {
    let s = TestServer::start(zv_testkit::Engine::Sqlite, "levgroep").await;
    let report =
        s.t.app
            .load_demo(zv_core::demo::DemoOptions {
                clients: 20,
                seed: 7,
                as_of: date("2026-11-22"),
            })
            .await
            .unwrap();
    let account = report.portal_account.expect("a demo portal account");
    let p = s.client();
    let first = p
        .post(
            "/portaal/aanmelden",
            &[
                ("username", account.username.as_str()),
                ("password", zv_core::demo::DEMO_PASSWORD),
            ],
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
            &[
                ("csrf", &form.csrf()),
                ("code", &p.code(zv_core::demo::DEMO_TOTP_SECRET)),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/portaal"), "{}", done.body);
    let home = p.get("/portaal").await;
    assert!(
        home.body.contains("/portaal/trajecten/"),
        "a dossier to read"
    );
    let log = p.get("/portaal/inzage-log").await;
    assert!(!log_rows(&log).is_empty(), "and someone who looked at it");
    let mine = p.get("/portaal/privacyverklaring").await;
    assert!(mine.body.contains("januari 2025"));
}
