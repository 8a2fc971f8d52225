//! The register of processing activities (TRN-2) and the purposes behind every category
//! of data (DOS-5), through HTTP on both engines and for both organisations: the page a
//! caseworker opens, the CSV and the PDF in Dutch and English, and the API's JSON, all
//! generated from the policy and the register of recipients, so that each purpose, each
//! category with its purposes, each service type with its term and each recipient
//! appears; refused to a visitor who is not signed in and for bad parameters.

use chrono::Duration;
use zv_domain::Role;
use zv_testkit::engines;
use zv_testkit::web::TestServer;

use crate::api::{Api, conforms, make_token};
use crate::fixtures::pdf_text;

// promise: TRN-2
// promise: DOS-5
#[tokio::test(flavor = "multi_thread")]
async fn the_register_names_every_purpose_category_service_term_and_recipient() {
    for engine in engines() {
        for org in ["levgroep", "blijfgroep"] {
            let s = TestServer::start(engine, org).await;
            let policy = s.t.app.policy().clone();
            let team = s.t.first_team();
            let (_, worker_secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
            let (_, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
            let worker = s.client();
            worker.sign_in("hulpverlener", &worker_secret).await;
            let officer = s.client();
            officer.sign_in("fg.privacy", &officer_secret).await;

            // A recipient the privacy officer registers shows up under its purposes.
            let page = officer.get("/register/ontvangers").await;
            let added = officer
                .post(
                    "/register/ontvangers",
                    &[
                        ("csrf", page.csrf().as_str()),
                        ("name", "Veilig Thuis Regio Test"),
                        ("country", "NL"),
                        ("kind", "veilig_thuis"),
                    ],
                )
                .await;
            assert_eq!(added.status, 303, "{engine:?} {org}: {}", added.body);

            // The caseworker finds it in the menu and reads it in Dutch.
            let home = worker.get("/").await;
            assert!(home.body.contains("href=\"/register/verwerkingen\""));
            let page = worker.get("/register/verwerkingen").await;
            assert_eq!(page.status, 200, "{engine:?} {org}: {}", page.body);
            let body = page.body.replace("&#39;", "'");
            assert!(body.contains("Register van verwerkingsactiviteiten"));
            assert!(body.contains(&policy.organisation().legal_name));
            assert!(body.contains(&policy.privacy_officer().email));
            for p in policy.purposes() {
                assert!(body.contains(&p.name_nl), "{org}: purpose {}", p.code);
            }
            for service in policy.service_types() {
                assert!(
                    body.contains(&format!("{}: ", service.name_nl)),
                    "{org}: service type {} has no term in the register",
                    service.code
                );
            }
            assert!(body.contains("Veilig Thuis Regio Test (NL)"), "{org}");
            assert!(body.contains("elke ontvanger is gevestigd in de Europese Economische Ruimte"));
            assert!(body.contains("Burgerservicenummer (alleen waar een wet het vereist)"));
            assert!(body.contains(&format!(
                "{} minuten zonder activiteit",
                policy.security().session_idle_minutes
            )));
            match org {
                "blijfgroep" => {
                    assert!(body.contains("15 jaar na het einde van de hulp of de activiteit"));
                    assert!(body.contains("niet eerder dan wanneer het jongste kind 18 jaar is"));
                    assert!(body.contains("4 weken na de opname"));
                    assert!(
                        body.contains(
                            "met schriftelijke toestemming langer, van 1 jaar tot 3 jaar"
                        )
                    );
                    assert!(body.contains("gerekend vanaf het einde van dat kalenderjaar"));
                    assert!(!body.contains("Deelnemers aan groepsactiviteiten"));
                }
                _ => {
                    assert!(body.contains(
                        "Algemeen maatschappelijk werk: 2 jaar na het einde van de hulp"
                    ));
                    assert!(body.contains("bij huiselijk geweld: 15 jaar"));
                    assert!(body.contains("20 jaar na de laatste wijziging van het dossier"));
                    assert!(body.contains("Deelnemers aan groepsactiviteiten"));
                    assert!(!body.contains("Camerabeelden"));
                }
            }
            // DOS-5: every category the software holds here is listed with a purpose.
            let categories = policy.data_categories();
            let table = body.split("id=\"categorieen\"").nth(1).unwrap();
            assert_eq!(
                table.matches("<tr><td>").count(),
                categories.len(),
                "{org}: {table}"
            );
            for c in &categories {
                assert!(policy.purposes_of(*c).next().is_some(), "{c:?}");
            }

            // The CSV: a row per purpose and category, worded as the page, English on request.
            let csv = worker.get("/register/verwerkingen.csv").await;
            assert_eq!(csv.status, 200);
            assert!(
                csv.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            let rows: usize = policy.purposes().iter().map(|p| p.categories.len()).sum();
            let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
            assert_eq!(
                reader.headers().unwrap().iter().next(),
                Some("Doel"),
                "{}",
                csv.body
            );
            assert_eq!(reader.records().count(), rows);
            let english = worker.get("/register/verwerkingen.csv?taal=en").await;
            assert!(
                english
                    .body
                    .starts_with("Purpose,Legal basis,Category of personal data")
            );

            // The API: JSON by the document's schema, and the PDF in English.
            let expires = (s.t.clock_today() + Duration::days(30)).to_string();
            let token = make_token(&worker, "Register", &["read"], &expires).await;
            let api = Api::new(&s, &token);
            let doc = Api::anonymous(&s).get("/openapi.json").await.json;
            let json = api.get("/processing-register").await;
            assert_eq!(json.status, 200, "{}", json.text());
            conforms(&doc, "get", "/processing-register", &json);
            let activities = json.json["activities"].as_array().unwrap();
            assert_eq!(activities.len(), policy.purposes().len());
            let lines = json.json["categories"].as_array().unwrap();
            assert_eq!(lines.len(), categories.len());
            for line in lines {
                assert!(!line["purposes"].as_array().unwrap().is_empty(), "{line}");
                assert!(!line["kept"].as_array().unwrap().is_empty(), "{line}");
            }
            let pdf = api.get("/processing-register.pdf?lang=en").await;
            assert_eq!(pdf.status, 200);
            assert!(pdf.bytes.starts_with(b"%PDF"));
            let text = pdf_text(&pdf.bytes);
            assert!(text.contains("Register of processing activities"), "{text}");
            assert!(text.contains(&policy.service_types()[0].name_en), "{text}");
            let csv = api.get("/processing-register.csv").await;
            assert_eq!(csv.status, 200);
            assert!(csv.bytes.starts_with(b"Doel,"));

            // Bad parameters are refused and name the field; no token, no register.
            let bad = api.get("/processing-register.pdf?lang=fr").await;
            assert_eq!(bad.status, 422, "{}", bad.text());
            assert!(bad.text().contains("lang"));
            let bad = api.get("/processing-register.csv?format=xls").await;
            assert_eq!(bad.status, 422);
            let none = Api::anonymous(&s).get("/processing-register").await;
            assert_eq!(none.status, 401);
            let visitor = s.client().get("/register/verwerkingen").await;
            assert!(
                visitor.status == 303 || visitor.status == 401,
                "{}",
                visitor.status
            );
            assert!(!visitor.body.contains("Verwerkingsactiviteiten"));
        }
    }
}
