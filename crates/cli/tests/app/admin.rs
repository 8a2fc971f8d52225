//! The administration screens through HTTP, on both engines: accounts made, changed,
//! blocked and unblocked, the confidentiality statement recorded and the second factor
//! reset by an administrator, each change audited once; nobody else gets in.

use chrono::Duration;
use uuid::Uuid;
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_domain::audit::AuditEvent;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, Role};
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{TEST_PASSWORD, engines};

/// The id at the end of a redirect to an account's page.
fn account_id(page: &Page) -> Uuid {
    let location = page.location().unwrap_or_default();
    let id = location
        .strip_prefix("/beheer/gebruikers/")
        .unwrap_or_else(|| panic!("redirect to {location:?}: {}", page.body));
    id.parse().unwrap()
}

/// Signs in with the password and sets up the second factor from the secret the
/// enrolment page shows (as a person copies it into an app). Returns that secret.
async fn enrol(c: &WebClient, username: &str) -> String {
    let first = c
        .post(
            "/aanmelden",
            &[("username", username), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        first.location(),
        Some("/aanmelden/koppelen"),
        "{}",
        first.body
    );
    let form = c.get("/aanmelden/koppelen").await;
    let secret = form
        .body
        .split("<code>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    let done = c
        .post(
            "/aanmelden/koppelen",
            &[("csrf", &form.csrf()), ("code", &c.code(&secret))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    secret
}

/// The events that changed one account (created or updated it, by the system or an
/// administrator), oldest first, as the privacy officer reads them.
async fn changes_of(s: &TestServer, officer: &Actor, account: Uuid) -> Vec<AuditEvent> {
    let mut all = Vec::new();
    let mut query = AuditQuery::default();
    loop {
        let page = s.t.app.audit_events(officer, &query, 500).await.unwrap();
        all.extend(page.events);
        match page.next_before {
            Some(seq) => query.before_seq = Some(seq),
            None => break,
        }
    }
    let mut events: Vec<AuditEvent> = all
        .into_iter()
        .filter(|e| {
            e.event.object == AuditObject::UserAccount
                && e.event.object_id == Some(account)
                && e.event.outcome == AuditOutcome::Success
                && matches!(e.event.action, AuditAction::Create | AuditAction::Update)
                // Not the user's own sign-in and enrolment.
                && !e.event.rule_ids.iter().any(|r| r == "acc9-second-factor")
        })
        .collect();
    events.reverse();
    events
}

fn details(events: &[AuditEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.event.detail.clone().unwrap_or_default())
        .collect()
}

/// An administrator signed in through the web, with their account id.
async fn admin_client(s: &TestServer) -> (WebClient, Uuid) {
    let (admin, secret) = s.staff("beheerder", Role::Administrator, None).await;
    let c = s.client();
    c.sign_in("beheerder", &secret).await;
    (c, admin.user_id().unwrap().as_uuid())
}

// promise: ACC-5
// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_creates_an_account_whose_user_enrols_at_first_sign_in() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (a, _) = admin_client(&s).await;
        let home = a.get("/").await;
        assert!(
            home.body.contains("href=\"/beheer/gebruikers\""),
            "{engine:?}: administrators see the link"
        );
        let list = a.get("/beheer/gebruikers").await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains("fg.privacy"));

        let created = a
            .post(
                "/beheer/gebruikers",
                &[
                    ("csrf", &list.csrf()),
                    ("username", "nieuwe.collega"),
                    ("display_name", "Nieuwe Collega"),
                    ("password", TEST_PASSWORD),
                    ("roles", "caseworker"),
                    ("roles", "team_lead"),
                    ("teams", "amw-helmond"),
                    ("branch", "helmond"),
                    ("signed_on", "2026-11-02"),
                ],
            )
            .await;
        assert_eq!(created.status, 303, "{}", created.body);
        let id = account_id(&created);
        let detail = a.get(&format!("/beheer/gebruikers/{id}")).await;
        assert_eq!(detail.status, 200);
        for shown in [
            "nieuwe.collega",
            "Nieuwe Collega",
            "Hulpverlener",
            "Teamleider",
            "2026-11-02",
            "Nog niet ingesteld",
        ] {
            assert!(detail.body.contains(shown), "{shown}: {}", detail.body);
        }

        // The new user sets up the second factor at first sign-in, then is in.
        let c = s.client();
        enrol(&c, "nieuwe.collega").await;
        let their_home = c.get("/").await;
        assert_eq!(their_home.status, 200);
        assert!(
            !their_home.body.contains("href=\"/beheer/gebruikers\""),
            "no administration link for a caseworker"
        );
        assert!(
            a.get(&format!("/beheer/gebruikers/{id}"))
                .await
                .body
                .contains("Ingesteld")
        );

        let events = changes_of(&s, &officer, id).await;
        assert_eq!(events.len(), 1, "{:?}", details(&events));
        let e = &events[0].event;
        assert_eq!(e.action, AuditAction::Create);
        let detail = e.detail.clone().unwrap_or_default();
        assert!(
            detail.contains("roles: caseworker,team_lead")
                && detail.contains("teams: amw-helmond")
                && detail.contains("signed on 2026-11-02"),
            "{detail}"
        );
        assert!(!detail.contains(TEST_PASSWORD) && !detail.contains("Nieuwe Collega"));
    }
}

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn refused_input_shows_the_fields_error_keeps_what_was_typed_and_changes_nothing() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (worker, _) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let worker_id = worker.user_id().unwrap().as_uuid();
        let (a, _) = admin_client(&s).await;
        let csrf = a.get("/beheer/gebruikers").await.csrf();
        let create = |username: &'static str, password: &'static str, role: &'static str| {
            let csrf = csrf.clone();
            let a = &a;
            async move {
                a.post(
                    "/beheer/gebruikers",
                    &[
                        ("csrf", csrf.as_str()),
                        ("username", username),
                        ("display_name", "Getypte <Naam>"),
                        ("password", password),
                        ("roles", role),
                        ("signed_on", "2026-11-02"),
                    ],
                )
                .await
            }
        };
        for (page, message) in [
            (
                create("Fout Naam!", TEST_PASSWORD, "caseworker").await,
                "Kies een gebruikersnaam",
            ),
            (
                create("hulpverlener", TEST_PASSWORD, "caseworker").await,
                "nog niet in gebruik",
            ),
            (
                create("kort.wachtwoord", "kort", "caseworker").await,
                "Het beginwachtwoord is te kort.",
            ),
            (
                create("geen.rol", TEST_PASSWORD, "").await,
                "Kies minstens één rol uit de lijst.",
            ),
            (
                create("rare.rol", TEST_PASSWORD, "superuser").await,
                "Kies minstens één rol uit de lijst.",
            ),
        ] {
            assert_eq!(page.status, 422, "{engine:?} {message}: {}", page.body);
            assert!(page.body.contains(message), "{message}: {}", page.body);
            // What was typed stays, escaped; the password is never sent back.
            assert!(
                page.body.contains("value=\"Getypte &#60;Naam&#62;\"")
                    || page.body.contains("value=\"Getypte &lt;Naam&gt;\""),
                "{}",
                page.body
            );
            assert!(page.body.contains("value=\"2026-11-02\""));
            assert!(!page.body.contains(TEST_PASSWORD));
        }
        let list = a.get("/beheer/gebruikers").await;
        for never in ["kort.wachtwoord", "geen.rol", "rare.rol"] {
            assert!(!list.body.contains(never), "{never} was not created");
        }

        // The account page: a refused change shows its field and leaves the account.
        let page = format!("/beheer/gebruikers/{worker_id}");
        let csrf = a.get(&page).await.csrf();
        let no_roles = a
            .post(&page, &[("csrf", &csrf), ("teams", "jeugd-eindhoven")])
            .await;
        assert_eq!(no_roles.status, 422);
        assert!(
            no_roles
                .body
                .contains("Kies minstens één rol uit de lijst.")
        );
        assert!(
            no_roles.body.contains("value=\"jeugd-eindhoven\" checked"),
            "the choice is kept"
        );
        let bad_team = a
            .post(
                &page,
                &[
                    ("csrf", &csrf),
                    ("roles", "manager"),
                    ("teams", "geen-team"),
                ],
            )
            .await;
        assert_eq!(bad_team.status, 422);
        assert!(bad_team.body.contains("Kies alleen teams uit de lijst."));
        assert!(bad_team.body.contains("value=\"manager\" checked"));
        for date in ["2026-11-23", "gisteren"] {
            let refused = a
                .post(
                    &format!("{page}/geheimhouding"),
                    &[("csrf", &csrf), ("signed_on", date)],
                )
                .await;
            assert_eq!(refused.status, 422, "{date}");
            assert!(refused.body.contains("niet in de toekomst"), "{date}");
            assert!(refused.body.contains(&format!("value=\"{date}\"")));
        }
        let unchanged = s.t.app.staff_actor("hulpverlener", "test").await.unwrap();
        let Actor::Staff(unchanged) = unchanged else {
            panic!("a staff member")
        };
        assert_eq!(unchanged.roles, vec![Role::Caseworker]);
        assert_eq!(unchanged.teams, vec!["amw-helmond".to_owned()]);
        let events = changes_of(&s, &officer, worker_id).await;
        assert_eq!(events.len(), 1, "only the creation: {:?}", details(&events));
    }
}

// promise: ACC-8
#[tokio::test(flavor = "multi_thread")]
async fn client_data_opens_only_once_the_administrator_records_the_confidentiality_statement() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (worker, _, client, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let (a, _) = admin_client(&s).await;
        let csrf = a.get("/beheer/gebruikers").await.csrf();
        let created = a
            .post(
                "/beheer/gebruikers",
                &[
                    ("csrf", csrf.as_str()),
                    ("username", "nieuw"),
                    ("display_name", "Nieuwe Medewerker"),
                    ("password", TEST_PASSWORD),
                    ("roles", "caseworker"),
                    ("teams", "amw-helmond"),
                ],
            )
            .await;
        let id = account_id(&created);
        s.t.app
            .assign_worker(&worker, trajectory, zv_domain::UserId::from_uuid(id))
            .await
            .unwrap();
        let c = s.client();
        enrol(&c, "nieuw").await;
        let home = c.get("/").await;
        assert!(home.body.contains("geheimhoudingsverklaring"), "{engine:?}");
        assert!(!home.body.contains("Fatima"));
        assert_eq!(c.get(&format!("/trajecten/{trajectory}")).await.status, 404);
        assert_eq!(c.get(&format!("/clienten/{client}")).await.status, 404);

        let recorded = a
            .post(
                &format!("/beheer/gebruikers/{id}/geheimhouding"),
                &[("csrf", csrf.as_str()), ("signed_on", "2026-11-20")],
            )
            .await;
        assert_eq!(recorded.status, 303, "{}", recorded.body);
        // The same session, the next request: the statement counts at once.
        let dossier = c.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 200);
        assert!(
            c.get(&format!("/clienten/{client}"))
                .await
                .body
                .contains("Fatima")
        );

        let events = changes_of(&s, &officer, id).await;
        assert_eq!(
            details(&events),
            vec![
                "account created; roles: caseworker; teams: amw-helmond".to_owned(),
                "confidentiality statement signed on 2026-11-20".to_owned()
            ]
        );
    }
}

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn roles_and_teams_change_at_once_and_the_change_is_audited_once() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let id = worker.user_id().unwrap().as_uuid();
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        assert_eq!(c.get("/toegang").await.status, 200);
        let (a, admin_id) = admin_client(&s).await;
        let page = format!("/beheer/gebruikers/{id}");
        let csrf = a.get(&page).await.csrf();
        let changed = a
            .post(
                &page,
                &[
                    ("csrf", csrf.as_str()),
                    ("roles", "caseworker"),
                    ("roles", "team_lead"),
                    ("teams", "amw-helmond"),
                    ("teams", "jeugd-eindhoven"),
                ],
            )
            .await;
        assert_eq!(changed.status, 303, "{engine:?}: {}", changed.body);
        let detail = a.get(&page).await;
        assert!(detail.body.contains("Teamleider"));
        assert!(detail.body.contains("Jeugd en gezin Eindhoven"));
        let Actor::Staff(now) = s.t.app.staff_actor("hulpverlener", "test").await.unwrap() else {
            panic!("a staff member")
        };
        assert_eq!(now.roles, vec![Role::Caseworker, Role::TeamLead]);
        // A team lead may set a substitute: the page offers it in the same session.
        assert!(c.get("/toegang").await.body.contains("/toegang/vervanging"));

        // Nor may an administrator take away their own administrator role.
        let own = a
            .post(
                &format!("/beheer/gebruikers/{admin_id}"),
                &[("csrf", csrf.as_str()), ("roles", "caseworker")],
            )
            .await;
        assert_eq!(own.status, 422);
        assert!(
            own.body.contains("rol Beheerder niet afnemen"),
            "{}",
            own.body
        );
        assert_eq!(
            a.get("/beheer/gebruikers").await.status,
            200,
            "still an administrator"
        );

        let events = changes_of(&s, &officer, id).await;
        assert_eq!(
            details(&events)[1..],
            [
                "roles: caseworker -> caseworker,team_lead; teams: amw-helmond -> amw-helmond,jeugd-eindhoven"
                    .to_owned()
            ]
        );
        assert_eq!(events[1].event.user_id.map(|u| u.as_uuid()), Some(admin_id));
        assert_eq!(events[1].event.purpose, zv_domain::Purpose::Administration);
        assert_eq!(
            changes_of(&s, &officer, admin_id).await.len(),
            1,
            "only its creation"
        );
    }
}

// promise: ACC-8
// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_account_is_signed_out_refused_and_reaches_nothing_until_unblocked() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let id = worker.user_id().unwrap().as_uuid();
        let (client, trajectory) =
            s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
                .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let dossier = format!("/trajecten/{trajectory}");
        assert_eq!(c.get(&dossier).await.status, 200, "{engine:?}");

        let (a, admin_id) = admin_client(&s).await;
        let page = format!("/beheer/gebruikers/{id}");
        let csrf = a.get(&page).await.csrf();
        let blocked = a
            .post(&format!("{page}/blokkeren"), &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(blocked.status, 303, "{}", blocked.body);
        assert!(a.get(&page).await.body.contains("Geblokkeerd"));

        // The open session has ended, a new sign-in is refused, and the core refuses
        // the account's every read.
        let after = c.get(&dossier).await;
        assert_eq!(after.location(), Some("/aanmelden"));
        assert!(!after.body.contains("Fatima"));
        let refused = s
            .client()
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(refused.status, 401, "{}", refused.body);
        let gone = s.t.app.staff_actor("hulpverlener", "test").await.unwrap();
        assert!(s.t.app.client_profile(&gone, client).await.is_err());

        // An administrator cannot block their own account.
        let own = a
            .post(
                &format!("/beheer/gebruikers/{admin_id}/blokkeren"),
                &[("csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(own.status, 422);
        assert!(
            own.body
                .contains("role=\"alert\">U kunt uw eigen account niet blokkeren"),
            "{}",
            own.body
        );
        assert_eq!(a.get("/beheer/gebruikers").await.status, 200);

        let unblocked = a
            .post(&format!("{page}/deblokkeren"), &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(unblocked.status, 303);
        // The session that was open when the account was blocked does not come back.
        assert_eq!(c.get("/").await.location(), Some("/aanmelden"));
        // A code is good once: the next sign-in uses the next one.
        s.t.clock.advance(Duration::seconds(30));
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        assert_eq!(c.get(&dossier).await.status, 200);

        let events = changes_of(&s, &officer, id).await;
        assert_eq!(
            details(&events)[1..],
            [
                "account disabled; sessions ended; API tokens revoked".to_owned(),
                "account enabled".to_owned()
            ]
        );
        assert_eq!(changes_of(&s, &officer, admin_id).await.len(), 1);
    }
}

// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn a_reset_second_factor_ends_the_sessions_and_the_next_sign_in_enrols_again() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (worker, old_secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let id = worker.user_id().unwrap().as_uuid();
        let c = s.client();
        let old_recovery = c.sign_in("hulpverlener", &old_secret).await;
        assert!(!old_recovery.is_empty());
        let (a, _) = admin_client(&s).await;
        let page = format!("/beheer/gebruikers/{id}");
        assert!(a.get(&page).await.body.contains("Ingesteld"));
        let csrf = a.get(&page).await.csrf();
        let reset = a
            .post(&format!("{page}/tweede-factor"), &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(reset.status, 303, "{engine:?}: {}", reset.body);
        assert!(a.get(&page).await.body.contains("Nog niet ingesteld"));
        assert_eq!(
            c.get("/").await.location(),
            Some("/aanmelden"),
            "signed out"
        );

        s.t.clock.advance(Duration::seconds(30));
        let c = s.client();
        let first = c
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        assert_eq!(first.location(), Some("/aanmelden/koppelen"), "enrol again");
        let form = c.get("/aanmelden/koppelen").await;
        let new_secret = form
            .body
            .split("<code>")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_owned();
        assert_ne!(new_secret, old_secret, "a new secret");
        let old_code = c
            .post(
                "/aanmelden/koppelen",
                &[("csrf", &form.csrf()), ("code", &c.code(&old_secret))],
            )
            .await;
        assert_eq!(old_code.status, 422, "the old app's code is refused");
        let done = c
            .post(
                "/aanmelden/koppelen",
                &[("csrf", &form.csrf()), ("code", &c.code(&new_secret))],
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(c.get("/").await.status, 200);

        // The old recovery codes are gone (removed by the reset, and replaced again by the
        // new enrolment).
        let out = c
            .post("/afmelden", &[("csrf", &c.get("/").await.csrf())])
            .await;
        assert_eq!(out.location(), Some("/aanmelden"));
        let c = s.client();
        c.post(
            "/aanmelden",
            &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
        )
        .await;
        let form = c.get("/aanmelden/code").await;
        let old = c
            .post(
                "/aanmelden/code",
                &[("csrf", &form.csrf()), ("code", &old_recovery[0])],
            )
            .await;
        assert_ne!(old.location(), Some("/"), "an old recovery code is refused");

        let events = changes_of(&s, &officer, id).await;
        assert_eq!(
            details(&events)[1..],
            ["second factor reset; recovery codes removed; sessions ended".to_owned()]
        );
    }
}

// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn nobody_but_an_administrator_reaches_the_administration_and_it_shows_no_dossier() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret, _, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let (officer, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (a, admin_id) = admin_client(&s).await;
        let admin_page = format!("/beheer/gebruikers/{admin_id}");

        for (username, secret) in [("hulpverlener", &secret), ("fg.privacy", &officer_secret)] {
            let c = s.client();
            c.sign_in(username, secret).await;
            let home = c.get("/").await;
            assert!(
                !home.body.contains("href=\"/beheer/gebruikers\""),
                "{engine:?}"
            );
            let csrf = home.csrf();
            assert_eq!(c.get("/beheer/gebruikers").await.status, 403, "{username}");
            assert_eq!(c.get(&admin_page).await.status, 403);
            let create = c
                .post(
                    "/beheer/gebruikers",
                    &[
                        ("csrf", csrf.as_str()),
                        ("username", "indringer"),
                        ("display_name", "Indringer"),
                        ("password", TEST_PASSWORD),
                        ("roles", "administrator"),
                    ],
                )
                .await;
            assert_eq!(create.status, 403, "{username}: {}", create.body);
            for action in ["blokkeren", "tweede-factor", "geheimhouding"] {
                let r = c
                    .post(
                        &format!("{admin_page}/{action}"),
                        &[("csrf", csrf.as_str()), ("signed_on", "2026-11-01")],
                    )
                    .await;
                assert_eq!(r.status, 403, "{username} {action}");
            }
            let roles = c
                .post(
                    &admin_page,
                    &[("csrf", csrf.as_str()), ("roles", "caseworker")],
                )
                .await;
            assert_eq!(roles.status, 403);
        }
        // Nothing changed, and the refusals are in the log.
        let list = a.get("/beheer/gebruikers").await;
        assert!(!list.body.contains("indringer"));
        assert_eq!(a.get(&admin_page).await.status, 200, "still active");
        assert_eq!(changes_of(&s, &officer, admin_id).await.len(), 1);
        let refusals =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        user: worker.user_id(),
                        ..Default::default()
                    },
                    1_000,
                )
                .await
                .unwrap()
                .events
                .into_iter()
                .filter(|e| {
                    e.event.object == AuditObject::UserAccount
                        && e.event.outcome == AuditOutcome::Denied
                })
                .count();
        assert_eq!(refusals, 7, "every refused attempt of the caseworker");

        // Without the form's token, nothing happens either.
        let no_token = a
            .post(
                "/beheer/gebruikers",
                &[
                    ("username", "zonder.token"),
                    ("display_name", "Zonder Token"),
                    ("password", TEST_PASSWORD),
                    ("roles", "caseworker"),
                ],
            )
            .await;
        assert_eq!(no_token.status, 403);
        let worker_id = worker.user_id().unwrap().as_uuid();
        let no_token = a
            .post(
                &format!("/beheer/gebruikers/{worker_id}/blokkeren"),
                &[("csrf", "fout")],
            )
            .await;
        assert_eq!(no_token.status, 403);
        assert!(
            !a.get("/beheer/gebruikers")
                .await
                .body
                .contains("zonder.token")
        );
        assert!(
            !a.get(&format!("/beheer/gebruikers/{worker_id}"))
                .await
                .body
                .contains("Geblokkeerd")
        );

        // The administrator manages accounts but reads no dossier.
        let dossier = a.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 404);
        assert!(!dossier.body.contains("Fatima"));
        assert!(
            !a.get(&format!("/beheer/gebruikers/{worker_id}"))
                .await
                .body
                .contains("Fatima")
        );
        assert_eq!(
            a.get(&format!("/beheer/gebruikers/{}", Uuid::new_v4()))
                .await
                .status,
            404
        );
    }
}
