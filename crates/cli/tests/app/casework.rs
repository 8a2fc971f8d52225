//! The caseworker's own case administration through the web UI, on both engines: intake
//! of a new client, related persons, a further trajectory, the BSN where a law requires
//! it, assigning colleagues and closing. Bad input is refused per field, in Dutch, and
//! changes nothing.

use zv_domain::Role;
use zv_testkit::engines;
use zv_testkit::web::{Page, TestServer};

fn after<'a>(page: &'a Page, prefix: &str) -> &'a str {
    page.location()
        .and_then(|l| l.strip_prefix(prefix))
        .map(|l| l.split('#').next().unwrap_or(l))
        .unwrap_or_else(|| panic!("expected a redirect to {prefix}…: {}", page.status))
}

fn client_link(page: &Page) -> String {
    page.body
        .split("href=\"/clienten/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned()
}

// promise: DOS-1
// promise: DOS-4
// promise: MIN-1
#[tokio::test(flavor = "multi_thread")]
async fn intake_related_persons_bsn_and_a_further_trajectory_through_the_web() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let search = c.get("/clienten").await;
        assert!(search.body.contains("/clienten/nieuw"), "{engine:?}");
        let form = c.get("/clienten/nieuw").await;
        assert_eq!(form.status, 200);
        let csrf = form.csrf();

        // Every wrong field is named at once, in Dutch, and what was typed stays.
        let refused = c
            .post(
                "/clienten/nieuw",
                &[
                    ("csrf", &csrf),
                    ("name", ""),
                    ("birth_date", "2199-01-01"),
                    ("gender", "female"),
                    ("email", "geen-adres"),
                    ("phone", "06-12345678"),
                    ("team", "geen-team"),
                    ("service_type", "amw"),
                    ("opened_on", "2026-11-01"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}");
        for message in [
            "Vul een naam in van ten minste twee letters",
            "Vul een geldige geboortedatum in.",
            "Vul een geldig e-mailadres in.",
            "Onbekend team.",
        ] {
            assert!(
                refused.body.contains(message),
                "{message}: {}",
                refused.body
            );
        }
        assert!(refused.body.contains("value=\"geen-adres\""));
        assert!(refused.body.contains("value=\"06-12345678\""));
        let nothing = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "Amal")])
            .await;
        assert!(
            !nothing.body.contains("Amal Haddad"),
            "nothing was registered"
        );

        let done = c
            .post(
                "/clienten/nieuw",
                &[
                    ("csrf", &csrf),
                    ("name", "Amal Haddad"),
                    ("birth_date", "1990-03-04"),
                    ("gender", "female"),
                    ("email", "amal@example.org"),
                    ("team", "amw-helmond"),
                    ("service_type", "amw"),
                    ("domestic_violence", "1"),
                    ("opened_on", "2026-11-01"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let first = after(&done, "/trajecten/").to_owned();
        let dossier = c.get(&format!("/trajecten/{first}")).await;
        assert_eq!(dossier.status, 200);
        let client = client_link(&dossier);
        let found = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "Amal")])
            .await;
        assert!(found.body.contains("Amal Haddad"), "{engine:?}");

        // A parent with authority needs the date authority began.
        let page = c.get(&format!("/clienten/{client}")).await;
        assert!(
            page.body
                .contains("Er zijn geen betrokkenen geregistreerd.")
        );
        let no_date = c
            .post(
                &format!("/clienten/{client}/betrokkenen"),
                &[
                    ("csrf", &csrf),
                    ("relation", "parent_with_authority"),
                    ("name", "Karim Haddad"),
                ],
            )
            .await;
        assert_eq!(no_date.status, 422);
        assert!(
            no_date
                .body
                .contains("Vul de datum in waarop het gezag begon")
        );
        assert!(no_date.body.contains("value=\"Karim Haddad\""));
        let added = c
            .post(
                &format!("/clienten/{client}/betrokkenen"),
                &[
                    ("csrf", &csrf),
                    ("relation", "parent_with_authority"),
                    ("name", "Karim Haddad"),
                    ("authority_since", "1990-03-04"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
        let page = c.get(&format!("/clienten/{client}")).await;
        assert!(page.body.contains("Karim Haddad"));
        assert!(page.body.contains("Ouder met gezag"));

        // No service of this client needs the BSN yet: no form, and a post is refused.
        assert!(!page.body.contains("bsn-vastleggen"));
        let early = c
            .post(
                &format!("/clienten/{client}/bsn-vastleggen"),
                &[("csrf", &csrf), ("bsn", "111222333")],
            )
            .await;
        assert_eq!(early.status, 422);

        // Youth care needs it (Jeugdwet): a further trajectory, then the BSN.
        let opened = c
            .post(
                &format!("/clienten/{client}/trajecten"),
                &[
                    ("csrf", &csrf),
                    ("team", "amw-helmond"),
                    ("service_type", "jeugdhulp"),
                    ("opened_on", "2026-11-02"),
                ],
            )
            .await;
        assert_eq!(opened.status, 303, "{}", opened.body);
        let second = after(&opened, "/trajecten/").to_owned();
        assert_ne!(first, second);
        assert_eq!(c.get(&format!("/trajecten/{second}")).await.status, 200);
        let page = c.get(&format!("/clienten/{client}")).await;
        assert!(page.body.contains("bsn-vastleggen"));
        let wrong = c
            .post(
                &format!("/clienten/{client}/bsn-vastleggen"),
                &[("csrf", &csrf), ("bsn", "123456789")],
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("Dit is geen geldig BSN"));
        assert!(wrong.body.contains("value=\"123456789\""));
        let recorded = c
            .post(
                &format!("/clienten/{client}/bsn-vastleggen"),
                &[("csrf", &csrf), ("bsn", "111222333")],
            )
            .await;
        assert_eq!(recorded.status, 303, "{}", recorded.body);
        let page = c.get(&format!("/clienten/{client}")).await;
        assert!(!page.body.contains("111222333"), "masked until shown");
        assert!(
            page.body.contains("******333"),
            "the masked BSN is on the page"
        );
    }
}

// promise: ACC-1
// promise: DOS-2
#[tokio::test(flavor = "multi_thread")]
async fn assigning_a_colleague_opens_the_dossier_to_them_and_closing_ends_the_work() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (me, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (colleague, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, trajectory) = s.t.intake(&me, "Noor de Vries", "1979-09-09", "amw").await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let other = s.client();
        other.sign_in("collega", &colleague_secret).await;
        let path = format!("/trajecten/{trajectory}");
        assert_eq!(other.get(&path).await.status, 404, "{engine:?}");

        let page = c.get(&path).await;
        let colleague_id = colleague.user_id().unwrap().to_string();
        assert!(page.body.contains(&colleague_id), "offered for assignment");
        let csrf = page.csrf();
        let assigned = c
            .post(
                &format!("{path}/medewerkers"),
                &[("csrf", &csrf), ("worker", &colleague_id)],
            )
            .await;
        assert_eq!(assigned.status, 303, "{}", assigned.body);
        let theirs = other.get(&path).await;
        assert_eq!(theirs.status, 200);
        assert!(
            theirs.body.contains("Medewerker collega"),
            "listed among the workers"
        );

        let removed = c
            .post(
                &format!("{path}/medewerkers/{colleague_id}/verwijderen"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(removed.status, 303);
        assert_eq!(other.get(&path).await.status, 404);
        // The last worker stays on an open trajectory.
        let my_id = me.user_id().unwrap().to_string();
        let last = c
            .post(
                &format!("{path}/medewerkers/{my_id}/verwijderen"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(last.status, 422);
        assert!(
            last.body
                .contains("een open traject houdt minstens één medewerker")
        );

        // A work note, then closing: the note is gone, the retention date is shown.
        let noted = c
            .post(
                &format!("{path}/werkaantekeningen"),
                &[("csrf", &csrf), ("body", "Nabellen over de huur")],
            )
            .await;
        assert_eq!(noted.status, 303);
        let future = c
            .post(
                &format!("{path}/afsluiten"),
                &[("csrf", &csrf), ("closed_on", "2199-01-01")],
            )
            .await;
        assert_eq!(future.status, 422);
        assert!(
            future.body.contains("Nabellen over de huur"),
            "nothing changed"
        );
        let closed = c
            .post(
                &format!("{path}/afsluiten"),
                &[
                    ("csrf", &csrf),
                    ("closed_on", &s.t.clock_today().to_string()),
                ],
            )
            .await;
        assert_eq!(closed.status, 303, "{}", closed.body);
        let page = c.get(&path).await;
        assert!(page.body.contains("Bewaren tot"));
        assert!(!page.body.contains("Nabellen over de huur"));
        assert!(!page.body.contains("/afsluiten"), "closed once");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_start_page_shows_recent_dossiers_and_those_that_went_quiet() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (me, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        s.t.intake(&me, "Noor de Vries", "1979-09-09", "amw").await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let today = c.get("/").await;
        assert!(today.body.contains("Recent gewijzigd"), "{engine:?}");
        assert!(today.body.contains("Noor de Vries"));
        assert!(!today.body.contains("Vraagt aandacht"));

        // A month and a day without a report: the dossier asks for attention.
        s.t.clock.advance(chrono::Duration::days(31));
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let later = c.get("/").await;
        let attention = later
            .body
            .split("Vraagt aandacht")
            .nth(1)
            .and_then(|r| r.split("</section>").next())
            .unwrap_or_default();
        assert!(attention.contains("Noor de Vries"), "{}", later.body);
    }
}
