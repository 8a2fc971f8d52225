//! Newsletters to contacts of partner organisations (NWS-1), through HTTP on both
//! engines: a contact holds exactly what a mailing needs; the mailing list has only who is
//! subscribed, each with a link that unsubscribes in one step from a fresh browser,
//! without an account, at once; the objection is absolute; the register records the
//! removal without the person; and it is all for the people who keep the relations.

use chrono::Duration;
use serde_json::json;
use zv_domain::Role;
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{engines, file_contains, files_under};

use crate::api::{Api, make_token};

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

/// The unsubscribe link of the contact with this address, read off the mailing list.
fn link_of(csv: &str, email: &str) -> Option<String> {
    csv.lines()
        .find(|l| l.contains(email))
        .and_then(|l| l.rsplit(',').next())
        .map(str::to_owned)
}

// promise: NWS-1
#[tokio::test(flavor = "multi_thread")]
async fn a_contact_unsubscribes_in_one_step_at_once_and_for_good() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let manager = signed_in(&s, "manager", Role::Manager).await;
        let marker = format!("Zq{}", uuid::Uuid::new_v4().simple());

        // Bad input changes nothing and is refused field by field, in Dutch.
        let page = manager.get("/relaties/nieuwsbrieven").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        let refused = manager
            .post(
                "/relaties/nieuwsbrieven",
                &[
                    ("csrf", &page.csrf()),
                    ("name", ""),
                    ("organisation", "W"),
                    ("email", "geen adres"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Vul een naam in",
            "Vul de naam van de organisatie in",
            "Vul een geldig e-mailadres in.",
            "Kies ten minste één nieuwsbrief.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        assert!(
            manager
                .get("/relaties/nieuwsbrieven")
                .await
                .body
                .contains("Er staan geen contactpersonen")
        );

        // Added in the form: shown, and its name is nowhere on disk in plain text.
        let added = manager
            .post(
                "/relaties/nieuwsbrieven",
                &[
                    ("csrf", &page.csrf()),
                    ("name", &format!("Sanne {marker}")),
                    ("organisation", "Wijkteam Helmond"),
                    ("email", "Sanne.de.Wit@wijkteam.example"),
                    ("newsletters", "relaties"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{engine:?}: {}", added.body);
        let list = manager.get("/relaties/nieuwsbrieven").await;
        assert!(list.body.contains(&marker) && list.body.contains("Wijkteam Helmond"));

        // The API: GRP-1's rule for newsletters too, no field beyond what a mailing needs.
        let until = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&manager, "Relaties", &["read", "write"], &until).await,
        );
        let extra = api
            .post(
                "/newsletter-contacts",
                &json!({"name": "Piet Partner", "organisation": "GGD", "email": "piet@ggd.example",
                        "newsletters": ["relaties"], "birth_date": "1970-01-01"}),
            )
            .await;
        assert_eq!(extra.status, 422, "{}", extra.text());
        let piet = api
            .post(
                "/newsletter-contacts",
                &json!({"name": "Piet Partner", "organisation": "GGD", "email": "piet@ggd.example",
                        "newsletters": ["relaties"]}),
            )
            .await;
        assert_eq!(piet.status, 201, "{}", piet.text());
        let piet = piet.json["id"].as_str().unwrap().to_owned();
        let twice = api
            .post(
                "/newsletter-contacts",
                &json!({"name": "Piet", "organisation": "GGD", "email": "PIET@ggd.example",
                        "newsletters": ["relaties"]}),
            )
            .await;
        assert_eq!(twice.status, 422);
        assert_eq!(twice.json["field"], "email");
        let contacts = api.get("/newsletter-contacts").await;
        assert_eq!(contacts.status, 200);
        assert_eq!(contacts.json.as_array().unwrap().len(), 2);

        // The mailing list: both, each with a link of its own.
        let mailing = api.get("/newsletter-mailing.csv?newsletter=relaties").await;
        assert_eq!(mailing.status, 200, "{}", mailing.text());
        let csv = mailing.text();
        let link = link_of(&csv, "sanne.de.wit@wijkteam.example").unwrap();
        assert!(link.contains("/nieuwsbrief/afmelden/"), "{csv}");
        assert!(link_of(&csv, "piet@ggd.example").is_some());
        assert_eq!(
            api.get("/newsletter-mailing.csv?newsletter=onbekend")
                .await
                .status,
            404
        );
        for f in files_under(s.t.data_dir()) {
            assert!(!file_contains(&f, marker.as_bytes()), "{}", f.display());
        }

        // From a fresh browser, without an account: opening the link changes nothing (mail
        // scanners open links too); the one button unsubscribes, at once.
        let path = link
            .split_once("/nieuwsbrief")
            .map(|(_, p)| format!("/nieuwsbrief{p}"))
            .unwrap();
        let fresh = s.client();
        let opened = fresh.get(&path).await;
        assert_eq!(opened.status, 200);
        assert!(opened.body.contains("Afmelden"));
        assert!(
            manager
                .get("/relaties/nieuwsbrieven")
                .await
                .body
                .contains(&marker)
        );
        let done = fresh.post(&path, &[]).await;
        assert_eq!(done.status, 200);
        assert!(done.body.contains("U bent afgemeld"), "{}", done.body);
        let list = manager.get("/relaties/nieuwsbrieven").await;
        assert!(!list.body.contains(&marker));
        let csv = api
            .get("/newsletter-mailing.csv?newsletter=relaties")
            .await
            .text();
        assert!(link_of(&csv, "sanne.de.wit@wijkteam.example").is_none());
        // Again: said so, nothing else happens. An altered link names nothing.
        assert!(
            fresh
                .post(&path, &[])
                .await
                .body
                .contains("U was al afgemeld")
        );
        let flipped = if path.ends_with('0') { '1' } else { '0' };
        let altered = format!("{}{flipped}", &path[..path.len() - 1]);
        assert_eq!(fresh.get(&altered).await.status, 404);
        assert_eq!(fresh.post(&altered, &[]).await.status, 404);

        // The objection is absolute: the address is not added again, however written.
        let page = manager.get("/relaties/nieuwsbrieven").await;
        let again = manager
            .post(
                "/relaties/nieuwsbrieven",
                &[
                    ("csrf", &page.csrf()),
                    ("name", "Sanne de Wit"),
                    ("organisation", "Wijkteam Helmond"),
                    ("email", " SANNE.de.wit@WIJKTEAM.example "),
                    ("newsletters", "relaties"),
                ],
            )
            .await;
        assert_eq!(again.status, 422);
        assert!(
            again
                .body
                .contains("Bezwaar tegen nieuwsbrieven is absoluut")
        );

        // A manager unsubscribes Piet at his request: the same, at once.
        let gone = api
            .post(
                &format!("/newsletter-contacts/{piet}/unsubscribe"),
                &json!({}),
            )
            .await;
        assert_eq!(gone.status, 204, "{}", gone.text());
        assert_eq!(
            api.get("/newsletter-contacts")
                .await
                .json
                .as_array()
                .unwrap()
                .len(),
            0
        );

        // The register: two lines without the person; on disk no trace of the name.
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let fg = s.client();
        fg.sign_in("fg.privacy", &fg_secret).await;
        let register = fg.get("/privacy/vernietigingen").await;
        assert_eq!(register.status, 200);
        assert!(
            register.body.matches("nieuwsbriefcontact").count() >= 2,
            "{engine:?}"
        );
        assert!(!register.body.contains("Sanne") && !register.body.contains("Piet"));

        // Only who keeps the relations: a caseworker is refused, and the privacy officer
        // reads but does not keep.
        let worker = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        assert_eq!(worker.get("/relaties/nieuwsbrieven").await.status, 403);
        let seen = fg.get("/relaties/nieuwsbrieven").await;
        assert_eq!(seen.status, 200);
        assert!(!seen.body.contains("Contactpersoon toevoegen"));
    }
}

// promise: NWS-1
#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_without_newsletters_has_no_newsletter_pages() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let manager = signed_in(&s, "manager", Role::Manager).await;
        let home = manager.get("/").await;
        assert!(!home.body.contains("/relaties/nieuwsbrieven"));
        assert_eq!(manager.get("/relaties/nieuwsbrieven").await.status, 404);
    }
}
