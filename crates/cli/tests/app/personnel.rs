//! HR's and finance's records (RET-2), through HTTP on both engines: applicants with their
//! CV and letter gone with their files the day after the policy's two months from the end
//! of the procedure, or after their chosen portfolio day with consent; the copy of a staff
//! member's identity document gone after 31 December of the fifth year after leaving, the
//! rest of the record seven years after leaving; financial records seven years from the
//! end of the financial year; every refusal field by field in Dutch; and the records
//! closed to every role the policy does not name.

use chrono::{Months, NaiveDate};
use serde_json::json;
use zv_core::destruction::{SweepOptions, SweepReport};
use zv_domain::Role;
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{engines, file_contains, files_under};

use crate::api::{Api, conforms, make_token};

const PDF: &[u8] = b"%PDF-1.4\n% a test document\n%%EOF\n";

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let (_, secret) = s.staff(username, role, None).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

async fn api_of(s: &TestServer, c: &WebClient) -> Api {
    let until = (s.t.clock_today() + chrono::Duration::days(30)).to_string();
    Api::new(
        s,
        &make_token(c, "Personeel", &["read", "write"], &until).await,
    )
}

/// The sweep as it runs on `on`.
async fn sweep_on(s: &TestServer, on: NaiveDate) -> SweepReport {
    s.t.app
        .run_retention_sweep(
            "test",
            &SweepOptions {
                on: Some(on),
                ..SweepOptions::default()
            },
            &mut (),
        )
        .await
        .unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn id_of(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_owned()
}

/// The sealed file of a document on disk.
fn stored(s: &TestServer, file: &str) -> std::path::PathBuf {
    s.t.data_dir().join("record-files").join(file)
}

// promise: RET-2
// promise: RET-4
// promise: RET-6
#[tokio::test(flavor = "multi_thread")]
async fn applicants_go_with_their_cv_and_letter_two_months_after_the_procedure_or_after_their_portfolio_day()
 {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let hr = signed_in(&s, "personeelszaken", Role::HrOfficer).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let today = s.t.clock_today();
        // The procedure ended 40 days ago, so the last day lies within the schedule's
        // horizon (30 days).
        let closing = today - chrono::Duration::days(70);
        let ended_on = today - chrono::Duration::days(40);
        let marker = format!("Sollicitant{}", uuid::Uuid::new_v4().simple());

        // The vacancy and one applicant on the pages, with the CV and letter uploaded.
        let page = hr.get("/personeel").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(page.body.contains("href=\"/personeel\""), "menu link");
        let added = hr
            .post(
                "/personeel/vacatures",
                &[
                    ("csrf", &page.csrf()),
                    ("title", "Ambulant hulpverlener"),
                    ("closing_on", &closing.to_string()),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{engine:?}: {}", added.body);
        let vacancy_path = added.location().unwrap().to_owned();
        let vacancy = id_of(&vacancy_path);
        let shown = hr.get(&vacancy_path).await;
        let applicant = hr
            .post(
                &format!("{vacancy_path}/sollicitanten"),
                &[
                    ("csrf", &shown.csrf()),
                    ("name", &format!("{marker} de Graaf")),
                    ("email", "sollicitant@example.nl"),
                    (
                        "applied_on",
                        &(closing - chrono::Duration::days(3)).to_string(),
                    ),
                ],
            )
            .await;
        assert_eq!(applicant.status, 303, "{engine:?}: {}", applicant.body);
        let first_path = applicant.location().unwrap().to_owned();
        let first = id_of(&first_path);
        let shown = hr.get(&first_path).await;
        assert!(shown.body.contains(&format!("{marker} de Graaf")));
        for (kind, name) in [("cv", "cv.pdf"), ("letter", "brief.pdf")] {
            let up = hr
                .upload_form(
                    &format!("{first_path}/bestanden"),
                    &[("csrf", &shown.csrf()), ("kind", kind)],
                    (name, "application/pdf", [PDF, marker.as_bytes()].concat()),
                )
                .await;
            assert_eq!(up.status, 303, "{engine:?}: {}", up.body);
        }
        // A file that is not what its type says is refused, in Dutch, and nothing is kept.
        let refused = hr
            .upload_form(
                &format!("{first_path}/bestanden"),
                &[("csrf", &shown.csrf()), ("kind", "cv")],
                ("cv.pdf", "application/pdf", b"MZ not a pdf".to_vec()),
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains("Kies een PDF, een JPEG- of PNG-afbeelding")
        );

        // A second applicant through the API, with a CV, kept in portfolio by consent.
        let api = api_of(&s, &hr).await;
        let second = api
            .post(
                &format!("/vacancies/{vacancy}/applicants"),
                &json!({"name": format!("{marker} Jansen"), "applied_on": closing.to_string()}),
            )
            .await;
        assert_eq!(second.status, 201, "{}", second.text());
        conforms(&doc, "post", "/vacancies/{id}/applicants", &second);
        let second = second.json["id"].as_str().unwrap().to_owned();
        let cv = api
            .upload(
                &format!("/applicants/{second}/files?kind=cv"),
                "application/pdf",
                "cv jansen.pdf",
                [PDF, marker.as_bytes()].concat(),
            )
            .await;
        assert_eq!(cv.status, 201, "{}", cv.text());
        conforms(&doc, "post", "/applicants/{id}/files", &cv);
        let second_cv = cv.json["id"].as_str().unwrap().to_owned();
        let portfolio_until = closing + Months::new(18);
        let without = api
            .post(
                &format!("/applicants/{second}/portfolio"),
                &json!({"explicit_written_consent": false, "until": portfolio_until.to_string()}),
            )
            .await;
        assert_eq!(without.status, 422, "no portfolio without explicit consent");
        let too_long = api
            .post(
                &format!("/applicants/{second}/portfolio"),
                &json!({"explicit_written_consent": true, "until": (closing + Months::new(37)).to_string()}),
            )
            .await;
        assert_eq!(too_long.status, 422);
        assert_eq!(too_long.json["field"], "until");
        let kept = api
            .post(
                &format!("/applicants/{second}/portfolio"),
                &json!({"explicit_written_consent": true, "until": portfolio_until.to_string()}),
            )
            .await;
        assert_eq!(kept.status, 200, "{}", kept.text());
        conforms(&doc, "post", "/applicants/{id}/portfolio", &kept);
        assert!(
            kept.json["keep_until"].is_null(),
            "the procedure still runs"
        );

        // Sealed on disk: neither the name nor the documents are readable in any file.
        for f in files_under(s.t.data_dir()) {
            assert!(!file_contains(&f, marker.as_bytes()), "{}", f.display());
        }

        // The procedure ended: the first applicant is kept two months from that day, the
        // second until the chosen portfolio day.
        let before = api
            .post(
                &format!("/vacancies/{vacancy}/procedure-ended"),
                &json!({"ended_on": (closing - chrono::Duration::days(1)).to_string()}),
            )
            .await;
        assert_eq!(before.status, 422, "not before the closing date");
        let ended = api
            .post(
                &format!("/vacancies/{vacancy}/procedure-ended"),
                &json!({"ended_on": ended_on.to_string()}),
            )
            .await;
        assert_eq!(ended.status, 200, "{}", ended.text());
        conforms(&doc, "post", "/vacancies/{id}/procedure-ended", &ended);
        assert_eq!(ended.json["applicants"], 2);
        let last_day = ended_on + Months::new(2);
        let v = api.get(&format!("/vacancies/{vacancy}")).await;
        conforms(&doc, "get", "/vacancies/{id}", &v);
        let list = v.json["applicant_list"].as_array().unwrap();
        assert_eq!(list[0]["keep_until"], last_day.to_string());
        assert_eq!(list[1]["keep_until"], portfolio_until.to_string());
        // The portfolio's bounds count from the closing date: 1 to 3 years.
        assert_eq!(
            list[1]["portfolio_from"],
            (closing + Months::new(12)).to_string()
        );
        assert_eq!(
            list[1]["portfolio_to"],
            (closing + Months::new(36)).to_string()
        );
        let first_files: Vec<String> = list[0]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(first_files.len(), 2);
        let shown = hr.get(&first_path).await;
        assert!(
            shown
                .body
                .contains(&format!("<strong id=\"keep-until\">{last_day}</strong>")),
            "{engine:?}: {}",
            shown.body
        );
        let download = api
            .get(&format!("/record-files/{}/content", first_files[0]))
            .await;
        assert_eq!(download.status, 200);
        assert!(download.bytes.starts_with(PDF));
        conforms(&doc, "get", "/record-files/{id}/content", &download);

        // The schedule names them by reference only.
        let officer = s.staff("fg.privacy", Role::PrivacyOfficer, None).await.0;
        let schedule = s.t.app.retention_schedule(&officer).await.unwrap();
        let lines: Vec<_> = schedule
            .records
            .iter()
            .filter(|r| r.category == "applicant")
            .collect();
        assert_eq!(lines.len(), 1, "{engine:?}: {:?}", schedule.records);
        assert_eq!(lines[0].retention_until, last_day);
        assert!(lines[0].label.starts_with("S-") && !lines[0].label.contains(&marker));

        // On the last day all is there; the day after, the first applicant and their CV
        // and letter are gone, rows and files; the second stays.
        let report = sweep_on(&s, last_day).await;
        assert_eq!(report.applicants_destroyed, 0, "{engine:?}: {report:?}");
        assert!(first_files.iter().all(|f| stored(&s, f).exists()));
        let report = sweep_on(&s, last_day + chrono::Duration::days(1)).await;
        assert_eq!(report.applicants_destroyed, 1, "{engine:?}: {report:?}");
        assert_eq!(
            sweep_on(&s, last_day + chrono::Duration::days(1))
                .await
                .applicants_destroyed,
            0,
            "safe twice"
        );
        for f in &first_files {
            assert!(!stored(&s, f).exists(), "{engine:?}: {f} left on disk");
            assert_eq!(
                api.get(&format!("/record-files/{f}/content")).await.status,
                404
            );
        }
        assert_eq!(hr.get(&first_path).await.status, 404);
        assert_eq!(api.get(&format!("/applicants/{first}")).await.status, 404);
        assert_eq!(api.get(&format!("/applicants/{second}")).await.status, 200);
        assert!(stored(&s, &second_cv).exists());

        // The portfolio applicant goes the day after the chosen day.
        assert_eq!(sweep_on(&s, portfolio_until).await.applicants_destroyed, 0);
        let report = sweep_on(&s, portfolio_until + chrono::Duration::days(1)).await;
        assert_eq!(report.applicants_destroyed, 1, "{engine:?}: {report:?}");
        assert!(!stored(&s, &second_cv).exists());
        assert_eq!(api.get(&format!("/applicants/{second}")).await.status, 404);
        let v = api.get(&format!("/vacancies/{vacancy}")).await;
        assert!(v.json["applicant_list"].as_array().unwrap().is_empty());

        // The destruction register: a line per run, by category and rule, no name.
        let fg = signed_in(&s, "fg.register", Role::PrivacyOfficer).await;
        let page = fg.get("/privacy/vernietigingen").await;
        assert_eq!(page.status, 200);
        assert_eq!(
            page.body
                .matches("<td>sollicitant</td><td>vernietigd</td><td>sollicitanten-2m</td>")
                .count(),
            2,
            "{engine:?}: {}",
            page.body
        );
        assert!(!page.body.contains(&marker));
    }
}

// promise: RET-2
// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn the_id_copy_goes_at_the_end_of_the_fifth_year_after_leaving_the_rest_after_seven_years() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let hr = signed_in(&s, "personeelszaken", Role::HrOfficer).await;
        let api = api_of(&s, &hr).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let mut people = Vec::new();
        for (name, left, id_until, keep_until) in [
            ("Mila Bos", "2020-12-15", "2025-12-31", "2027-12-15"),
            ("Sem Kok", "2021-01-02", "2026-12-31", "2028-01-02"),
        ] {
            let r = api
                .post(
                    "/staff-records",
                    &json!({"name": name, "job_title": "Hulpverlener", "started_on": "2015-03-01"}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            let id = r.json["id"].as_str().unwrap().to_owned();
            let mut files = Vec::new();
            for kind in ["id_copy", "document"] {
                let f = api
                    .upload(
                        &format!("/staff-records/{id}/files?kind={kind}"),
                        "application/pdf",
                        &format!("{kind}.pdf"),
                        PDF.to_vec(),
                    )
                    .await;
                assert_eq!(f.status, 201, "{}", f.text());
                files.push(f.json["id"].as_str().unwrap().to_owned());
            }
            let terms = api
                .post(
                    &format!("/staff-records/{id}/leaving"),
                    &json!({"left_on": left}),
                )
                .await;
            assert_eq!(terms.status, 200, "{}", terms.text());
            conforms(&doc, "post", "/staff-records/{id}/leaving", &terms);
            assert_eq!(terms.json["id_copy_until"], id_until, "{engine:?} {left}");
            assert_eq!(terms.json["keep_until"], keep_until, "{engine:?} {left}");
            people.push((id, files, day(id_until), day(keep_until)));
        }
        let page = hr
            .get(&format!("/personeel/medewerkers/{}", people[0].0))
            .await;
        assert!(
            page.body
                .contains("<strong id=\"id-copy-until\">2025-12-31</strong>"),
            "{engine:?}: {}",
            page.body
        );
        let again = api
            .post(
                &format!("/staff-records/{}/leaving", people[0].0),
                &json!({"left_on": "2020-12-16"}),
            )
            .await;
        assert_eq!(again.status, 409, "the day of leaving is recorded once");

        // The first ID copy is there on 31-12-2025 and gone on 1-1-2026; the record and
        // its other document stay, as does the second person's copy.
        let (first, first_files, first_copy, first_keep) = people[0].clone();
        let (second, second_files, second_copy, second_keep) = people[1].clone();
        assert_eq!(sweep_on(&s, first_copy).await.staff_id_copies_destroyed, 0);
        let r = sweep_on(&s, day("2026-01-01")).await;
        assert_eq!(r.staff_id_copies_destroyed, 1, "{engine:?}: {r:?}");
        assert_eq!(r.staff_records_destroyed, 0);
        assert!(!stored(&s, &first_files[0]).exists());
        assert!(stored(&s, &first_files[1]).exists());
        assert!(stored(&s, &second_files[0]).exists());
        let record = api.get(&format!("/staff-records/{first}")).await;
        conforms(&doc, "get", "/staff-records/{id}", &record);
        let kinds: Vec<&str> = record.json["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["document"]);
        assert_eq!(sweep_on(&s, second_copy).await.staff_id_copies_destroyed, 0);
        assert_eq!(
            sweep_on(&s, day("2027-01-01"))
                .await
                .staff_id_copies_destroyed,
            1
        );
        assert!(!stored(&s, &second_files[0]).exists());

        // The rest of the record: seven years after leaving, then gone with its files.
        assert_eq!(sweep_on(&s, first_keep).await.staff_records_destroyed, 0);
        let r = sweep_on(&s, first_keep + chrono::Duration::days(1)).await;
        assert_eq!(r.staff_records_destroyed, 1, "{engine:?}: {r:?}");
        assert!(!stored(&s, &first_files[1]).exists());
        assert_eq!(
            api.get(&format!("/staff-records/{first}")).await.status,
            404
        );
        assert_eq!(
            api.get(&format!("/staff-records/{second}")).await.status,
            200
        );
        assert_eq!(sweep_on(&s, second_keep).await.staff_records_destroyed, 0);
        assert_eq!(
            sweep_on(&s, second_keep + chrono::Duration::days(1))
                .await
                .staff_records_destroyed,
            1
        );
        assert!(!stored(&s, &second_files[1]).exists());
        let left = api.get("/staff-records").await;
        conforms(&doc, "get", "/staff-records", &left);
        assert!(left.json.as_array().unwrap().is_empty());
    }
}

// promise: RET-2
// promise: RET-4
#[tokio::test(flavor = "multi_thread")]
async fn financial_records_are_kept_seven_years_from_the_end_of_their_financial_year() {
    for engine in engines() {
        // LEVgroep keeps financial records too, and has no HR records.
        for policy in ["blijfgroep", "levgroep"] {
            let s = TestServer::start(engine, policy).await;
            let finance = signed_in(&s, "financien", Role::FinanceOfficer).await;
            let doc = Api::anonymous(&s).get("/openapi.json").await.json;
            let page = finance.get("/financien").await;
            assert_eq!(page.status, 200, "{engine:?} {policy}: {}", page.body);
            assert!(page.body.contains("href=\"/financien\""));
            assert!(!page.body.contains("href=\"/personeel\""));
            let added = finance
                .post(
                    "/financien",
                    &[
                        ("csrf", &page.csrf()),
                        ("booked_on", "2019-12-31"),
                        ("description", "Factuur schoonmaak"),
                        ("party", "Helder B.V."),
                        ("amount", "1.250,00"),
                    ],
                )
                .await;
            assert_eq!(added.status, 303, "{}", added.body);
            let first_path = added.location().unwrap().to_owned();
            let shown = finance.get(&first_path).await;
            assert!(
                shown
                    .body
                    .contains("<strong id=\"keep-until\">2026-12-31</strong>"),
                "{engine:?}: {}",
                shown.body
            );
            let up = finance
                .upload_form(
                    &format!("{first_path}/bestanden"),
                    &[("csrf", &shown.csrf()), ("kind", "document")],
                    ("factuur.pdf", "application/pdf", PDF.to_vec()),
                )
                .await;
            assert_eq!(up.status, 303, "{}", up.body);
            let api = api_of(&s, &finance).await;
            let second = api
                .post(
                    "/financial-records",
                    &json!({"booked_on": "2020-01-01", "description": "Declaratie reiskosten"}),
                )
                .await;
            assert_eq!(second.status, 201, "{}", second.text());
            conforms(&doc, "post", "/financial-records", &second);
            // The year end decides: a day later, a year longer.
            assert_eq!(second.json["keep_until"], "2027-12-31");
            let first = api
                .get(&format!("/financial-records/{}", id_of(&first_path)))
                .await;
            conforms(&doc, "get", "/financial-records/{id}", &first);
            let file = first.json["files"][0]["id"].as_str().unwrap().to_owned();

            assert_eq!(
                sweep_on(&s, day("2026-12-31"))
                    .await
                    .financial_records_destroyed,
                0
            );
            let r = sweep_on(&s, day("2027-01-01")).await;
            assert_eq!(r.financial_records_destroyed, 1, "{engine:?}: {r:?}");
            assert!(!stored(&s, &file).exists());
            assert_eq!(finance.get(&first_path).await.status, 404);
            assert_eq!(
                sweep_on(&s, day("2027-12-31"))
                    .await
                    .financial_records_destroyed,
                0
            );
            assert_eq!(
                sweep_on(&s, day("2028-01-01"))
                    .await
                    .financial_records_destroyed,
                1
            );
            let left = api.get("/financial-records").await;
            conforms(&doc, "get", "/financial-records", &left);
            assert!(left.json.as_array().unwrap().is_empty());
            if policy == "levgroep" {
                // No HR records in LEVgroep's policy: no pages, no API, no menu link.
                let hr = signed_in(&s, "personeelszaken", Role::HrOfficer).await;
                assert!(!hr.get("/").await.body.contains("href=\"/personeel\""));
                assert_eq!(hr.get("/personeel").await.status, 404);
                let hr_api = api_of(&s, &hr).await;
                assert_eq!(hr_api.get("/vacancies").await.status, 404);
                assert_eq!(hr_api.get("/staff-records").await.status, 404);
            }
        }
    }
}

// promise: RET-2
// promise: ACC-7
// promise: ACC-5
#[tokio::test(flavor = "multi_thread")]
async fn only_the_roles_the_policy_names_reach_these_records_and_bad_input_changes_nothing() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let hr = signed_in(&s, "personeelszaken", Role::HrOfficer).await;
        let today = s.t.clock_today();
        let marker = format!("Geheim{}", uuid::Uuid::new_v4().simple());

        // Every refused field at once, in Dutch, next to its field; nothing is stored.
        let page = hr.get("/personeel").await;
        let refused = hr
            .post(
                "/personeel/vacatures",
                &[
                    ("csrf", &page.csrf()),
                    ("title", "X"),
                    ("closing_on", "morgen"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Vul de functie van de vacature in",
            "Kies de sluitingsdatum van de vacature.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let refused = hr
            .post(
                "/personeel/medewerkers",
                &[
                    ("csrf", &page.csrf()),
                    ("name", ""),
                    ("job_title", &"x".repeat(201)),
                    (
                        "started_on",
                        &(today + chrono::Duration::days(1)).to_string(),
                    ),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Vul de naam in (2 tot 200 tekens).",
            "De functie is hoogstens 200 tekens.",
            "Kies de datum van indiensttreding; die ligt niet in de toekomst.",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let api = api_of(&s, &hr).await;
        assert!(
            api.get("/staff-records")
                .await
                .json
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert!(
            api.get("/vacancies")
                .await
                .json
                .as_array()
                .unwrap()
                .is_empty()
        );
        let unknown = api
            .post(
                "/staff-records",
                &json!({"name": "Mila Bos", "started_on": "2020-01-01", "bsn": "123456782"}),
            )
            .await;
        assert_eq!(unknown.status, 422, "unknown fields are refused");
        let unknown = api
            .post(
                "/vacancies",
                &json!({"title": "Hulpverlener", "closing_on": "2026-01-01", "salaris": "veel"}),
            )
            .await;
        assert_eq!(unknown.status, 422, "unknown fields are refused");
        let bad = api
            .post(
                "/staff-records",
                &json!({"name": "Mila Bos", "started_on": "gisteren"}),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json["field"], "started_on");
        assert!(
            api.get("/staff-records")
                .await
                .json
                .as_array()
                .unwrap()
                .is_empty()
        );

        // A vacancy with an applicant and a staff record with an ID copy.
        let v = api
            .post(
                "/vacancies",
                &json!({"title": "Groepsleider", "closing_on": (today - chrono::Duration::days(70)).to_string()}),
            )
            .await;
        let vacancy = v.json["id"].as_str().unwrap().to_owned();
        let a = api
            .post(
                &format!("/vacancies/{vacancy}/applicants"),
                &json!({"name": format!("{marker} Sollicitant"), "applied_on": today.to_string(),
                        "email": "geen-adres"}),
            )
            .await;
        assert_eq!(a.status, 422);
        assert_eq!(a.json["field"], "email");
        let a = api
            .post(
                &format!("/vacancies/{vacancy}/applicants"),
                &json!({"name": format!("{marker} Sollicitant"), "applied_on": today.to_string()}),
            )
            .await;
        let applicant = a.json["id"].as_str().unwrap().to_owned();
        let cv = api
            .upload(
                &format!("/applicants/{applicant}/files?kind=cv"),
                "application/pdf",
                "cv.pdf",
                PDF.to_vec(),
            )
            .await;
        let cv = cv.json["id"].as_str().unwrap().to_owned();
        let wrong_kind = api
            .upload(
                &format!("/applicants/{applicant}/files?kind=id_copy"),
                "application/pdf",
                "id.pdf",
                PDF.to_vec(),
            )
            .await;
        assert_eq!(wrong_kind.status, 422);
        let r = api
            .post(
                "/staff-records",
                &json!({"name": format!("{marker} Medewerker"), "started_on": "2020-01-01"}),
            )
            .await;
        let record = r.json["id"].as_str().unwrap().to_owned();
        let f = api
            .post(
                "/financial-records",
                &json!({"booked_on": today.to_string(), "description": "Reiskosten"}),
            )
            .await;
        assert_eq!(f.status, 403, "HR does not keep financial records");

        // Everyone else: no link, refused, and nothing of the records in the answer.
        for (name, role) in [
            ("hulpverlener", Role::Caseworker),
            ("teamleider", Role::TeamLead),
            ("manager", Role::Manager),
            ("kwaliteit", Role::QualityOfficer),
            ("beheerder", Role::Administrator),
            ("fg.privacy", Role::PrivacyOfficer),
            ("financien", Role::FinanceOfficer),
        ] {
            let c = signed_in(&s, name, role).await;
            assert!(
                !c.get("/").await.body.contains("href=\"/personeel\""),
                "{name}"
            );
            for path in [
                "/personeel".to_owned(),
                format!("/personeel/vacatures/{vacancy}"),
                format!("/personeel/sollicitanten/{applicant}"),
                format!("/personeel/medewerkers/{record}"),
                format!("/personeel/bestanden/{cv}"),
            ] {
                let p = c.get(&path).await;
                assert!(
                    p.status == 403 || p.status == 404,
                    "{engine:?} {name} {path}: {}",
                    p.status
                );
                assert!(!p.body.contains(&marker), "{name} {path}");
            }
            let other = api_of(&s, &c).await;
            for path in [
                "/vacancies".to_owned(),
                "/staff-records".to_owned(),
                format!("/vacancies/{vacancy}"),
                format!("/applicants/{applicant}"),
                format!("/staff-records/{record}"),
                format!("/record-files/{cv}/content"),
            ] {
                let a = other.get(&path).await;
                assert!(
                    a.status == 403 || a.status == 404,
                    "{engine:?} {name} {path}: {}",
                    a.status
                );
                assert!(!a.text().contains(&marker), "{name} {path}");
            }
            let write = other
                .post(
                    "/staff-records",
                    &json!({"name": "Iemand", "started_on": "2020-01-01"}),
                )
                .await;
            assert_eq!(write.status, 403, "{name}");
            if role != Role::FinanceOfficer {
                assert!(
                    !c.get("/").await.body.contains("href=\"/financien\""),
                    "{name}"
                );
                assert_eq!(c.get("/financien").await.status, 403, "{name}");
            }
        }
        // The privacy officer sees the schedule's lines, without names.
        let ended = api
            .post(
                &format!("/vacancies/{vacancy}/procedure-ended"),
                &json!({"ended_on": (today - chrono::Duration::days(40)).to_string()}),
            )
            .await;
        assert_eq!(ended.status, 200, "{}", ended.text());
        let fg = signed_in(&s, "fg.schema", Role::PrivacyOfficer).await;
        let schedule = fg.get("/privacy/bewaartermijnen").await;
        assert_eq!(schedule.status, 200, "{}", schedule.body);
        assert!(schedule.body.contains(&schedule_reference(&applicant)));
        assert!(!schedule.body.contains(&marker));
        // And the line on the privacy officer's start page counts it.
        let officer = s.staff("fg.telling", Role::PrivacyOfficer, None).await.0;
        assert_eq!(s.t.app.retention_due_count(&officer).await.unwrap(), 1);
    }
}

/// The reference of a record on the schedule: `S-` and the end of its id.
fn schedule_reference(id: &str) -> String {
    let hex = id.replace('-', "");
    format!("S-{}", hex[hex.len() - 8..].to_uppercase())
}
