//! Finding a client by the start of each word of the name and by birth date, in the web
//! app and the API, on both engines; a search that matches more clients than it looks at
//! says so, so the reader narrows it instead of concluding a client is not there.

use chrono::Duration;
use serde_json::json;
use zv_core::audit_log::AuditQuery;
use zv_core::clients::MAX_SEARCH_RESULTS;
use zv_domain::{AuditAction, AuditObject, Role};
use zv_testkit::engines;
use zv_testkit::web::TestServer;

use crate::api::{Api, conforms, make_token};

const TOO_WIDE: &str = "Meer dan 50 cliënten passen bij deze zoekopdracht";

fn rows(body: &str) -> usize {
    body.matches("<tr><td><a href=\"/clienten/").count()
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn a_search_wider_than_it_looks_says_so_and_narrowing_finds_the_one() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let officer = s.t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        for _ in 0..MAX_SEARCH_RESULTS {
            s.t.intake(&worker, "Sanne Bakker", "1990-01-01", "amw")
                .await;
        }
        let (visser, _) =
            s.t.intake(&worker, "Sanne Visser", "1991-02-03", "amw")
                .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let csrf = c.get("/clienten").await.csrf();

        // Exactly as many matches as a search looks at: all shown, no notice.
        let page = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "bak")])
            .await;
        assert_eq!(page.status, 200, "{engine:?}");
        assert_eq!(rows(&page.body), MAX_SEARCH_RESULTS, "{engine:?}");
        assert!(!page.body.contains(TOO_WIDE), "{engine:?}");

        // One more, and the reader is told the search looked at the first 50 only.
        let (last, _) =
            s.t.intake(&worker, "Sanne Bakker", "1992-03-04", "amw")
                .await;
        let page = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "bak")])
            .await;
        assert_eq!(rows(&page.body), MAX_SEARCH_RESULTS, "{engine:?}");
        assert!(page.body.contains(TOO_WIDE), "{engine:?}: {}", page.body);
        c.post("/taal/en", &[]).await;
        let page = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "bak")])
            .await;
        assert!(
            page.body.contains("More than 50 clients match"),
            "{engine:?}: {}",
            page.body
        );
        c.post("/taal/nl", &[]).await;

        // Every word must match the start of a word of the name, and a birth date
        // narrows further.
        let page = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "san vis")])
            .await;
        assert_eq!(rows(&page.body), 1, "{engine:?}");
        assert!(page.body.contains(&format!("/clienten/{visser}")));
        assert!(!page.body.contains(TOO_WIDE));
        let page = c
            .post(
                "/clienten",
                &[
                    ("csrf", &csrf),
                    ("naam", "sanne bakker"),
                    ("geboortedatum", "1992-03-04"),
                ],
            )
            .await;
        assert_eq!(rows(&page.body), 1, "{engine:?}");
        assert!(page.body.contains(&format!("/clienten/{last}")));
        let page = c
            .post("/clienten", &[("csrf", &csrf), ("naam", "bakker visser")])
            .await;
        assert_eq!(rows(&page.body), 0, "{engine:?}");

        // The API answers the same, in its documented shape.
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let token = make_token(&c, "Zoeken", &["read"], &expires).await;
        let api = Api::new(&s, &token);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let wide = api.post("/clients/search", &json!({"name": "bak"})).await;
        assert_eq!(wide.status, 200, "{engine:?}: {}", wide.text());
        conforms(&doc, "post", "/clients/search", &wide);
        assert_eq!(wide.json["more"], true);
        assert_eq!(
            wide.json["results"].as_array().map(Vec::len),
            Some(MAX_SEARCH_RESULTS)
        );
        let narrow = api
            .post(
                "/clients/search",
                &json!({"name": "sanne", "birth_date": "1991-02-03"}),
            )
            .await;
        assert_eq!(narrow.json["more"], false);
        assert_eq!(narrow.json["results"][0]["id"], visser.to_string());
        assert_eq!(narrow.json["results"].as_array().map(Vec::len), Some(1));

        // The log tells a search that could not look at every match from one that did.
        let searches: Vec<String> =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        action: Some(AuditAction::Search),
                        ..AuditQuery::default()
                    },
                    100,
                )
                .await
                .unwrap()
                .events
                .into_iter()
                .filter(|e| e.event.object == AuditObject::ClientSearch)
                .filter_map(|e| e.event.detail)
                .collect();
        assert!(
            searches.contains(&"candidates>50".to_owned()),
            "{searches:?}"
        );
        assert!(
            searches.contains(&"candidates=50".to_owned()),
            "{searches:?}"
        );
        assert!(
            searches.contains(&"candidates=1".to_owned()),
            "{searches:?}"
        );
    }
}
