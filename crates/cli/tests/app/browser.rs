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
