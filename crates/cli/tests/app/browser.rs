//! The caseworker's main journey in headless Chromium (CI runs this suite with
//! `ZV_BROWSER_TESTS=1` after installing Debian's chromium and chromium-driver).

use zv_domain::Role;
use zv_testkit::browser::{self, Browser};
use zv_testkit::web::TestServer;
use zv_testkit::{Engine, TEST_PASSWORD};

// promise: ACC-9
// promise: DOS-1
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_caseworker_signs_in_finds_a_client_writes_a_report_sees_its_history_and_signs_out() {
    if !browser::enabled() {
        return;
    }
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let (worker, secret) = s
        .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
        .await;
    // Enrolled before, so the journey is the everyday one: password, then the code.
    let setup = s.client();
    setup.sign_in("hulpverlener", &secret).await;
    s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
        .await;

    // The browser signs in with the next code: a code is good once.
    s.t.clock.advance(chrono::Duration::seconds(30));
    let b = Browser::start().await;
    b.goto(&format!("{}/", s.base)).await;
    assert!(b.url().await.ends_with("/aanmelden"));
    b.fill("#username", "hulpverlener").await;
    b.fill("#password", TEST_PASSWORD).await;
    b.click_and_wait("form.card button[type=submit]").await;
    b.screenshot("01-code").await;
    b.fill("#code", &setup.code(&secret)).await;
    b.click_and_wait("form.card button[type=submit]").await;
    b.screenshot("02-caseload").await;
    let home = b.text().await;
    assert!(home.contains("Mijn cliënten"), "{home}");

    b.fill("#naam", "fat").await;
    b.click_and_wait("form.search button[type=submit]").await;
    b.click_and_wait("table a").await;
    assert!(b.text().await.contains("Fatima Yilmaz"));
    b.click_and_wait("table a").await;
    b.screenshot("03-dossier").await;

    let payload =
        "<script>window.__zv_xss=true</script><img src=x onerror=\"window.__zv_xss=true\">";
    b.fill("#title", &format!("Gesprek met moeder {payload}"))
        .await;
    b.fill("#body", "Afspraak gemaakt over de school.").await;
    b.click_and_wait("form.card button[type=submit]").await;
    let page = b.text().await;
    assert!(
        page.contains("Gesprek met moeder <script>"),
        "shown as text: {page}"
    );
    assert!(
        page.contains("Gespreksverslag"),
        "a conversation report: {page}"
    );
    assert!(!b.script_ran().await, "no injected script ran");
    b.screenshot("04-report-added").await;

    b.click_and_wait("article.entry a[href$='/geschiedenis']")
        .await;
    let history = b.text().await;
    assert!(
        history.contains("Afspraak gemaakt over de school."),
        "{history}"
    );
    b.screenshot("05-history").await;

    b.click_and_wait("header form[action='/afmelden'] button")
        .await;
    assert!(b.url().await.ends_with("/aanmelden"));
    b.goto(&format!("{}/", s.base)).await;
    assert!(b.url().await.ends_with("/aanmelden"), "signed out for real");
}

// promise: POR-3
// promise: POR-5
#[tokio::test(flavor = "multi_thread")]
async fn a_client_is_invited_enrols_reads_their_dossier_and_its_access_log_and_leaves_quickly() {
    if !browser::enabled() {
        return;
    }
    // Blijf Groep, with its quick exit sent to a neutral site on this machine (the shipped
    // policy names a weather site on the internet, which a test must not reach).
    let neutral = zv_testkit::web::neutral_site().await;
    let text = std::fs::read_to_string(zv_testkit::policy_path("blijfgroep")).unwrap();
    let shipped = "quick_exit_url = \"https://www.buienradar.nl\"";
    assert!(text.contains(shipped));
    let policy =
        zv_policy::parse(&text.replace(shipped, &format!("quick_exit_url = \"{neutral}/weer\"")))
            .unwrap_or_else(|e| panic!("{e}"));
    let s = TestServer::start_with_policy(Engine::Sqlite, policy).await;
    let team = s.t.first_team();
    let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let (client, trajectory) =
        s.t.intake(&worker, "Amal Haddad", "1984-05-06", "opvang")
            .await;
    s.t.app
        .add_entry(
            &worker,
            trajectory,
            zv_domain::EntryKind::ConversationReport,
            zv_domain::EntryContent {
                title: "Eerste gesprek in de opvang".to_owned(),
                body: "Afspraken over de komende week.".to_owned(),
                progress: None,
            },
            None,
        )
        .await
        .unwrap();
    // The caseworker makes the invitation code on the client page.
    let staff = s.client();
    staff.sign_in("hulpverlener", &secret).await;
    let page = staff.get(&format!("/clienten/{client}")).await;
    let made = staff
        .post(
            &format!("/clienten/{client}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await;
    let code = made
        .body
        .split("id=\"invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();

    let b = Browser::start().await;
    b.goto(&format!("{}/portaal/uitnodiging", s.base)).await;
    let entries_at_start = b.execute("return history.length;").await;
    b.screenshot("client-01-invitation").await;
    assert!(
        b.text().await.contains("Snel weg"),
        "the quick exit before sign-in"
    );
    b.fill("#code", &code).await;
    b.fill("#username", "amal").await;
    b.fill("#password", "een zin die ik onthoud").await;
    b.fill("#password_repeat", "een zin die ik onthoud").await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_url(|u| u.ends_with("/portaal/aanmelden/koppelen"))
        .await;
    b.wait_for_text("Tweestapsverificatie instellen").await;
    b.screenshot("client-02-enrol").await;
    let totp = b
        .execute("return document.querySelector('main code').textContent;")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    b.fill("#code", &staff.code(&totp)).await;
    b.click_and_wait_for("form.card button[type=submit]", "Uw herstelcodes")
        .await;
    b.screenshot("client-03-recovery-codes").await;

    b.click("main a.button").await;
    b.wait_for_text("Opvang").await;
    b.click("ul.trajectories a").await;
    b.wait_for_text("Eerste gesprek in de opvang").await;
    b.screenshot("client-04-dossier").await;
    b.click("nav.portal-nav a[href='/portaal/inzage-log']")
        .await;
    b.wait_for_text("Hier ziet u wie uw gegevens").await;
    let log = b.text().await;
    assert!(log.contains("Hulpverlener"), "{log}");
    assert!(log.contains("Toegevoegd"), "the report written: {log}");
    assert!(
        !log.contains("Medewerker hulpverlener"),
        "Blijf Groep shows the function, not the name"
    );
    assert!(log.contains("088 234 24 50"), "the help line on every page");
    b.screenshot("client-05-access-log").await;
    assert_eq!(
        b.execute("return history.length;").await,
        entries_at_start,
        "the portal keeps to one entry of the tab's history"
    );

    // Escape twice: the neutral site, and going back does not return to the portal.
    b.press_keys(&["\u{E00C}", "\u{E00C}"]).await;
    b.wait_for_url(|u| u.starts_with(&neutral)).await;
    b.wait_for_text("Het weer").await;
    b.screenshot("client-06-quick-exit").await;
    b.back().await;
    let back = b.url().await;
    assert!(
        !back.starts_with(&s.base),
        "back leads out of the portal, not into it: {back}"
    );
    // And the session ended: the portal asks to sign in again.
    b.goto(&format!("{}/portaal", s.base)).await;
    assert!(
        b.url().await.ends_with("/portaal/aanmelden"),
        "signed out by the quick exit"
    );
}

// promise: MIN-1
// promise: POR-1
#[tokio::test(flavor = "multi_thread")]
async fn a_parent_is_invited_enrols_and_reads_their_young_childs_dossier_without_the_shelter_address()
 {
    if !browser::enabled() {
        return;
    }
    const SHELTER: &str = "Schuilplaats 7 OPVANG-MARKER";
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let team = s.t.first_team();
    let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let today = s.t.clock_today();
    // A child of nine, in a shelter with one parent: the address is confidential.
    let (child, trajectory) =
        s.t.app
            .register_client(
                &worker,
                zv_core::clients::NewClientInput {
                    branch: s.t.app.policy().branches()[0].code.clone(),
                    name: zv_domain::PersonName::parse("Noor Bakker").unwrap(),
                    birth_date: zv_domain::BirthDate::parse(
                        &today
                            .checked_sub_months(chrono::Months::new(9 * 12))
                            .unwrap()
                            .to_string(),
                        today,
                    )
                    .unwrap(),
                    gender: zv_domain::Gender::Unknown,
                    address: Some(zv_domain::Address::parse(SHELTER).unwrap()),
                    phone: None,
                    email: None,
                    confidential_address: true,
                },
                zv_core::trajectories::TrajectoryInput {
                    service_type: "amw".to_owned(),
                    team: team.clone(),
                    domestic_violence: false,
                    opened_on: today,
                    municipality: None,
                },
            )
            .await
            .unwrap();
    s.t.app
        .add_entry(
            &worker,
            trajectory,
            zv_domain::EntryKind::ConversationReport,
            zv_domain::EntryContent {
                title: "Gesprek over school".to_owned(),
                body: "Noor gaat graag naar school.".to_owned(),
                progress: None,
            },
            None,
        )
        .await
        .unwrap();
    let parent =
        s.t.app
            .add_related_person(
                &worker,
                child,
                zv_core::related::RelatedPersonInput {
                    relation: zv_domain::RelationKind::ParentWithAuthority,
                    name: zv_domain::PersonName::parse("Sanne Bakker").unwrap(),
                    birth_date: None,
                    phone: None,
                    email: None,
                    address: None,
                    authority_since: Some(zv_testkit::date("2017-01-01")),
                    mandate: None,
                    linked_client: None,
                },
            )
            .await
            .unwrap();
    // The caseworker makes the parent's invitation code on the child's page.
    let staff = s.client();
    staff.sign_in("hulpverlener", &secret).await;
    let page = staff.get(&format!("/clienten/{child}")).await;
    let made = staff
        .post(
            &format!("/betrokkenen/{parent}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let code = made
        .body
        .split("id=\"related-invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();

    let b = Browser::start().await;
    b.goto(&format!("{}/portaal/uitnodiging", s.base)).await;
    b.fill("#code", &code).await;
    b.fill("#username", "sanne").await;
    b.fill("#password", "een zin die ik onthoud").await;
    b.fill("#password_repeat", "een zin die ik onthoud").await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_url(|u| u.ends_with("/portaal/aanmelden/koppelen"))
        .await;
    b.wait_for_text("Tweestapsverificatie instellen").await;
    b.screenshot("parent-01-enrol").await;
    let totp = b
        .execute("return document.querySelector('main code').textContent;")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    b.fill("#code", &staff.code(&totp)).await;
    b.click_and_wait_for("form.card button[type=submit]", "Uw herstelcodes")
        .await;
    b.click("main a.button").await;
    b.wait_for_text("Noor Bakker").await;
    b.screenshot("parent-02-home").await;
    b.click("ul.trajectories a").await;
    b.wait_for_text("Gesprek over school").await;
    b.screenshot("parent-03-dossier").await;
    let dossier = b.text().await;
    assert!(
        dossier.contains("Noor gaat graag naar school."),
        "{dossier}"
    );
    assert!(!dossier.contains("OPVANG-MARKER"), "{dossier}");
    // The child's own details page names no address to the parent either.
    b.goto(&format!("{}/portaal/dossiers/{child}", s.base))
        .await;
    let details = b.text().await;
    assert!(details.contains("Noor Bakker"), "{details}");
    assert!(!details.contains("OPVANG-MARKER"), "{details}");
    // A parent has no access log of their own, but sees who looked at the child's
    // dossier (POR-3 on the dossier's own terms), without any address in it.
    assert!(details.contains("Wie keek in dit dossier"), "{details}");
    b.screenshot("parent-04-child").await;
    b.goto(&format!("{}/portaal/dossiers/{child}/inzage-log", s.base))
        .await;
    b.wait_for_text("Wie keek in dit dossier").await;
    let log = b.text().await;
    assert!(!log.contains("OPVANG-MARKER"), "{log}");
    b.screenshot("parent-05-access-log").await;
}

// promise: RTS-4
// promise: TRN-1
#[tokio::test(flavor = "multi_thread")]
async fn a_client_asks_for_a_copy_in_the_portal_and_downloads_the_answer_through_the_one_time_link()
{
    if !browser::enabled() {
        return;
    }
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let team = s.t.first_team();
    let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let (fg, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
    let (client, trajectory) =
        s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
            .await;
    s.t.app
        .add_entry(
            &worker,
            trajectory,
            zv_domain::EntryKind::ConversationReport,
            zv_domain::EntryContent {
                title: "Eerste gesprek".to_owned(),
                body: "Afspraken over de komende week.".to_owned(),
                progress: None,
            },
            None,
        )
        .await
        .unwrap();
    let staff = s.client();
    staff.sign_in("hulpverlener", &secret).await;
    let page = staff.get(&format!("/clienten/{client}")).await;
    let made = staff
        .post(
            &format!("/clienten/{client}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await;
    let code = made
        .body
        .split("id=\"invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();

    // The client enrols and asks for a copy of everything.
    let b = Browser::start().await;
    b.goto(&format!("{}/portaal/uitnodiging", s.base)).await;
    b.fill("#code", &code).await;
    b.fill("#username", "amal").await;
    b.fill("#password", "een zin die ik onthoud").await;
    b.fill("#password_repeat", "een zin die ik onthoud").await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_url(|u| u.ends_with("/portaal/aanmelden/koppelen"))
        .await;
    b.wait_for_text("Tweestapsverificatie instellen").await;
    let totp = b
        .execute("return document.querySelector('main code').textContent;")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    b.fill("#code", &staff.code(&totp)).await;
    b.click_and_wait_for("form.card button[type=submit]", "Uw herstelcodes")
        .await;
    b.goto(&format!("{}/portaal/verzoeken", s.base)).await;
    b.click("input[name=kind][value=copy]").await;
    b.screenshot("copy-01-request-form").await;
    b.click_and_wait_for(
        "form[action='/portaal/verzoeken'] button[type=submit]",
        "VZ-2026-000001",
    )
    .await;
    b.screenshot("copy-02-request-filed").await;

    // The privacy officer records identity and prepares the copy (HTTP, as in the app).
    let request = s.t.app.request_queue(&fg).await.unwrap()[0].line.id;
    let officer = s.client();
    officer.sign_in("fg.privacy", &officer_secret).await;
    let copy_page = format!("/privacy/verzoeken/{request}/kopie");
    let csrf = officer.get(&copy_page).await.csrf();
    let prepared = officer.post(&copy_page, &[("csrf", &csrf)]).await;
    assert_eq!(prepared.status, 303, "{}", prepared.body);

    // The client sees it ready, and the one-time link hands over the ZIP once.
    b.goto(&format!("{}/portaal/kopieen", s.base)).await;
    b.wait_for_text("VZ-2026-000001").await;
    b.screenshot("copy-03-ready").await;
    b.execute(
        "const f = document.querySelector(\"form[action^='/portaal/kopieen/']\");
         window.__zv_download = null;
         fetch(f.action, {method: 'POST', body: new URLSearchParams(new FormData(f)), credentials: 'same-origin'})
           .then(r => r.arrayBuffer().then(b => {
             const u = new Uint8Array(b);
             window.__zv_download = r.status + ' ' + r.headers.get('content-type') + ' '
               + new URL(r.url).pathname.split('/').slice(0, 3).join('/') + ' '
               + String.fromCharCode(u[0], u[1]) + ' ' + u.length;
           }))
           .catch(e => { window.__zv_download = 'failed ' + e; });
         return true;",
    )
    .await;
    let mut download = String::new();
    for _ in 0..100 {
        if let Some(d) = b.execute("return window.__zv_download;").await.as_str() {
            download = d.to_owned();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        download.starts_with("200 application/zip /portaal/kopie PK "),
        "{download}"
    );
    b.goto(&format!("{}/portaal/kopieen", s.base)).await;
    b.wait_for_text("gedownload op").await;
    b.screenshot("copy-04-downloaded").await;
    assert_eq!(
        b.execute(
            "return document.querySelectorAll(\"form[action^='/portaal/kopieen/']\").length;"
        )
        .await,
        serde_json::json!(0),
        "nothing left to download"
    );
}

// promise: MLD-1
#[tokio::test(flavor = "multi_thread")]
async fn a_caseworker_walks_the_meldcode_from_signals_to_the_frameworks_outcome_and_decides() {
    if !browser::enabled() {
        return;
    }
    let s = TestServer::start(Engine::Sqlite, "blijfgroep").await;
    let team = s.t.first_team();
    let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
    let setup = s.client();
    setup.sign_in("hulpverlener", &secret).await;
    let (_, trajectory) =
        s.t.intake(&worker, "Lina Meldcode", "1991-03-04", "opvang")
            .await;
    s.t.clock.advance(chrono::Duration::seconds(30));
    let b = Browser::start().await;
    b.goto(&format!("{}/", s.base)).await;
    b.fill("#username", "hulpverlener").await;
    b.fill("#password", TEST_PASSWORD).await;
    b.click_and_wait("form.card button[type=submit]").await;
    b.fill("#code", &setup.code(&secret)).await;
    b.click_and_wait("form.card button[type=submit]").await;

    // From the dossier to the meldcode.
    b.goto(&format!("{}/trajecten/{trajectory}", s.base)).await;
    b.click_and_wait(&format!("a[href='/trajecten/{trajectory}/meldcode']"))
        .await;
    assert!(b.text().await.contains("Stap 1: signalen in kaart brengen"));
    b.fill("#s-place", "Opvang Amsterdam").await;
    b.fill("#fact1", "Blauwe plek op de wang van de zoon").await;
    b.fill("#opinion1", "Ik vermoed dat vader slaat").await;
    b.click("input[name=children][value=yes]").await;
    b.fill("#children-ages", "7").await;
    b.screenshot("meldcode-01-signals").await;
    b.click_and_wait("#meldcode-signals form button[type=submit]")
        .await;
    let page = b.text().await;
    assert!(
        page.contains("Blauwe plek op de wang van de zoon"),
        "{page}"
    );
    assert!(page.contains("Ik vermoed dat vader slaat"));
    assert!(
        page.contains("Stap 2: collegiale consultatie"),
        "recorded: {page}"
    );

    b.fill("#c-place", "telefonisch").await;
    b.click("input[name=consulted][value=colleague]").await;
    b.fill("#c-with-whom", "aandachtsfunctionaris").await;
    b.fill("#c-advice", "Gesprek voeren en afwegen").await;
    b.click_and_wait("#meldcode-consultation form button[type=submit]")
        .await;
    b.fill("#g-place", "Opvang Amsterdam").await;
    b.click("input[name=held][value=no]").await;
    b.fill(
        "#g-skipped",
        "Vader is dreigend; een gesprek brengt moeder in gevaar",
    )
    .await;
    b.click_and_wait("#meldcode-conversation form button[type=submit]")
        .await;
    b.screenshot("meldcode-02-framework").await;

    // The framework asks one question at a time, the next one only when it follows.
    let page = b.text().await;
    assert!(page.contains("Afweging 1"), "{page}");
    assert!(!page.contains("Afweging 2"));
    b.click("#meldcode-question input[value=yes]").await;
    b.click_and_wait("#meldcode-question button[type=submit]")
        .await;
    let page = b.text().await;
    assert!(page.contains("Afweging 2"), "{page}");
    b.click("#meldcode-question input[value=no]").await;
    b.click_and_wait("#meldcode-question button[type=submit]")
        .await;
    b.click("#meldcode-question input[value=yes]").await;
    b.click_and_wait("#meldcode-question button[type=submit]")
        .await;
    b.click("#meldcode-question input[value=yes]").await;
    b.click_and_wait("#meldcode-question button[type=submit]")
        .await;
    b.click("#meldcode-question input[value=yes]").await;
    b.click_and_wait("#meldcode-question button[type=submit]")
        .await;
    let page = b.text().await;
    assert!(page.contains("Uitkomst van het afwegingskader"), "{page}");
    assert!(page.contains("hulp bieden met vervolgafspraken"), "{page}");
    b.screenshot("meldcode-03-outcome").await;

    b.fill(
        "#d-agreements",
        "Wekelijks gesprek; evaluatie over vier weken",
    )
    .await;
    b.click_and_wait("#meldcode-decision button[type=submit]")
        .await;
    let page = b.text().await;
    assert!(page.contains("besloten op"), "{page}");
    assert!(page.contains("Wekelijks gesprek; evaluatie over vier weken"));
    b.screenshot("meldcode-04-decided").await;

    // Every step is in the dossier.
    b.goto(&format!("{}/trajecten/{trajectory}", s.base)).await;
    let dossier = b.text().await;
    assert!(
        dossier.contains("Meldcode stap 1: signalen in kaart"),
        "{dossier}"
    );
    assert!(dossier.contains("Meldcode: besluit"), "{dossier}");
}

// promise: NWS-1
#[tokio::test(flavor = "multi_thread")]
async fn a_contact_unsubscribes_from_a_fresh_browser_with_the_link_in_the_newsletter() {
    if !browser::enabled() {
        return;
    }
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let manager = s
        .staff("manager", Role::Manager, Some("amw-helmond"))
        .await
        .0;
    let id =
        s.t.app
            .add_newsletter_contact(
                &manager,
                &zv_core::newsletters::ContactInput {
                    name: "Sanne de Wit".into(),
                    organisation: "Wijkteam Helmond".into(),
                    email: "sanne@wijkteam.example".into(),
                    newsletters: vec!["relaties".into()],
                },
            )
            .await
            .unwrap();
    let link = format!("{}{}", s.base, s.t.app.unsubscribe_path(id));

    // A browser that never signed in, as a newsletter's reader has.
    let b = Browser::start().await;
    b.goto(&link).await;
    b.screenshot("nws-01-link").await;
    assert!(b.text().await.contains("Afmelden voor de nieuwsbrief"));
    // The page posts to its own address: it shows the outcome in place.
    b.click_and_wait_for("form.card button[type=submit]", "U bent afgemeld")
        .await;
    b.screenshot("nws-02-done").await;
    let left =
        s.t.app
            .newsletter_mailing(&manager, "relaties")
            .await
            .unwrap();
    assert!(left.is_empty(), "unsubscribed at once");
}

// promise: GRP-1
// promise: GRP-2
#[tokio::test(flavor = "multi_thread")]
async fn a_group_worker_registers_a_course_and_a_participant_who_does_not_want_to_be_photographed()
{
    if !browser::enabled() {
        return;
    }
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let (_, secret) = s
        .staff("groepswerker", Role::Caseworker, Some("groepen-best"))
        .await;
    let setup = s.client();
    setup.sign_in("groepswerker", &secret).await;
    s.t.clock.advance(chrono::Duration::seconds(30));
    let b = Browser::start().await;
    b.goto(&format!("{}/", s.base)).await;
    b.fill("#username", "groepswerker").await;
    b.fill("#password", TEST_PASSWORD).await;
    b.click_and_wait("form.card button[type=submit]").await;
    b.fill("#code", &setup.code(&secret)).await;
    b.click_and_wait("form.card button[type=submit]").await;

    b.click_and_wait("a[href='/activiteiten']").await;
    b.fill("#act-title", "Cursus Opvoeden met plezier").await;
    b.fill("#act-location", "Wijkhuis Best").await;
    // Date fields take their value as the page's own script would set it.
    b.execute(
        "document.querySelector('#act-starts').value='2026-11-02';\
         document.querySelector('#act-ends').value='2026-12-14';",
    )
    .await;
    b.click("input[name=photos]").await;
    b.click_and_wait("#nieuw button[type=submit]").await;
    let page = b.text().await;
    assert!(page.contains("Cursus Opvoeden met plezier"), "{page}");
    b.screenshot("activity-01-created").await;

    b.fill("#p-name", "Sem de Vries").await;
    b.execute("document.querySelector('#p-birth').value='1979-02-03';")
        .await;
    b.click("form[action$='/deelnemers'] input[name=photo_opt_out]")
        .await;
    // The page comes back at its own address, with the participant on it.
    b.click_and_wait_for(
        "form[action$='/deelnemers'] button[type=submit]",
        "Sem de Vries",
    )
    .await;
    let page = b.text().await;
    assert!(page.contains("Wil niet op de foto"), "{page}");
    b.screenshot("activity-02-participant").await;
}
