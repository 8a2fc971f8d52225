//! Group activities, courses and workshops (GRP-1..3), through HTTP on both engines: a
//! participant holds exactly the statement's six fields and nothing else can be sent; an
//! opt-out of photos shows on every list and attendance sheet; photos and video are used
//! only with everyone's written consent for that use, and a withdrawal stops them at once;
//! the policy's terms remove activities and media, files included, with the register's
//! lines; and it is all for the team that runs the activity.

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::destruction::{SweepOptions, SweepReport};
use zv_domain::Role;
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{engines, file_contains, files_under};

use crate::api::{Api, conforms, make_token};

const TEAM: &str = "groepen-best";
/// A photo as a camera writes it: the JPEG magic bytes, then a marker to find it by.
const PHOTO: &[u8] = b"\xff\xd8\xff\xe0 foto van de cursus";

async fn signed_in(s: &TestServer, username: &str, role: Role, team: &str) -> WebClient {
    let (_, secret) = s.staff(username, role, Some(team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

async fn api_of(s: &TestServer, c: &WebClient) -> Api {
    let until = (s.t.clock_today() + Duration::days(30)).to_string();
    Api::new(
        s,
        &make_token(c, "Groepen", &["read", "write"], &until).await,
    )
}

fn id_of(a: &crate::api::Answer) -> String {
    a.json["id"].as_str().unwrap_or_default().to_owned()
}

async fn sweep(s: &TestServer) -> SweepReport {
    s.t.app
        .run_retention_sweep(
            "test",
            &SweepOptions {
                settled: std::time::Duration::ZERO,
                ..SweepOptions::default()
            },
            &mut (),
        )
        .await
        .unwrap()
}

/// A course with two sessions, photos announced, and three participants: an adult, a
/// child of ten (a parent signs), a teenager of fourteen (both sign).
async fn course(api: &Api) -> (String, [String; 3]) {
    let created = api
        .post(
            "/activities",
            &json!({"team": TEAM, "kind": "course", "title": "Cursus Opvoeden met plezier",
                    "location": "Wijkhuis Best", "starts_on": "2026-10-05",
                    "ends_on": "2026-11-16", "photos": true}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let activity = id_of(&created);
    let notice = api
        .put(
            &format!("/activities/{activity}/photo-notice"),
            &json!({"on": "2026-09-28", "how": "In de uitnodiging en bij de aanmelding"}),
        )
        .await;
    assert!(notice.status < 300, "{}", notice.text());
    let mut ids = Vec::new();
    for (name, birth) in [
        ("Anouk Verbeek", "1985-06-01"),
        ("Daan Verbeek", "2016-03-01"),
        ("Lotte Verbeek", "2012-05-01"),
    ] {
        let p = api
            .post(
                &format!("/activities/{activity}/participants"),
                &json!({"name": name, "address": "Kerkstraat 1, Best", "birth_date": birth,
                        "gender": "unknown", "phone": "", "email": "", "photo_opt_out": false}),
            )
            .await;
        assert_eq!(p.status, 201, "{}", p.text());
        ids.push(id_of(&p));
    }
    (activity, [ids[0].clone(), ids[1].clone(), ids[2].clone()])
}

fn participant_named<'a>(detail: &'a Value, id: &str) -> &'a Value {
    detail["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

fn use_of<'a>(media: &'a Value, use_: &str) -> &'a Value {
    media["uses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["use"] == use_)
        .unwrap()
}

// promise: GRP-1
#[tokio::test(flavor = "multi_thread")]
async fn a_participant_holds_the_six_fields_and_no_form_or_body_can_add_another() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = signed_in(&s, "groepswerker", Role::Caseworker, TEAM).await;
        let api = api_of(&s, &worker).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let (activity, [anouk, ..]) = course(&api).await;
        let marker = format!("Zq{}", uuid::Uuid::new_v4().simple());

        // The API refuses a body with a seventh field, and stores nothing.
        let extra = api
            .post(
                &format!("/activities/{activity}/participants"),
                &json!({"name": format!("Extra {marker}"), "address": "", "birth_date": "1990-01-01",
                        "gender": "female", "phone": "", "email": "", "photo_opt_out": false,
                        "bsn": "111222333"}),
            )
            .await;
        assert_eq!(extra.status, 422, "{engine:?}: {}", extra.text());

        // So does the form: an extra field is refused as a whole, nothing stored.
        let page = worker.get(&format!("/activiteiten/{activity}")).await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        let refused = worker
            .post(
                &format!("/activiteiten/{activity}/deelnemers"),
                &[
                    ("csrf", &page.csrf()),
                    ("name", &format!("Formulier {marker}")),
                    ("address", ""),
                    ("birth_date", "1990-01-01"),
                    ("gender", "female"),
                    ("phone", ""),
                    ("email", ""),
                    ("diagnose", "iets gevoeligs"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.body);

        // Bad values are refused field by field.
        let bad = worker
            .post(
                &format!("/activiteiten/{activity}/deelnemers"),
                &[
                    ("csrf", &page.csrf()),
                    ("name", ""),
                    ("address", ""),
                    ("birth_date", "2030-01-01"),
                    ("gender", "onbekend-x"),
                    ("phone", "12"),
                    ("email", "geen"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);

        // A good one, opted out of photos: the marker on the list and the attendance sheet.
        let added = worker
            .post(
                &format!("/activiteiten/{activity}/deelnemers"),
                &[
                    ("csrf", &page.csrf()),
                    ("name", &format!("Sem {marker}")),
                    ("address", "Dorpsstraat 2, Best"),
                    ("birth_date", "1979-02-03"),
                    ("gender", "male"),
                    ("phone", "06-12345678"),
                    ("email", "sem@example.nl"),
                    ("photo_opt_out", "on"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{engine:?}: {}", added.body);
        let session = api
            .post(
                &format!("/activities/{activity}/sessions"),
                &json!({"held_on": "2026-10-05"}),
            )
            .await;
        assert_eq!(session.status, 201, "{}", session.text());
        let outside = api
            .post(
                &format!("/activities/{activity}/sessions"),
                &json!({"held_on": "2026-12-01"}),
            )
            .await;
        assert_eq!(outside.status, 422);
        let detail = api.get(&format!("/activities/{activity}")).await;
        assert_eq!(detail.status, 200, "{}", detail.text());
        conforms(&doc, "get", "/activities/{id}", &detail);
        let people = detail.json["participants"].as_array().unwrap();
        assert_eq!(
            people.len(),
            4,
            "{engine:?}: the refused ones were not stored"
        );
        let sem = people
            .iter()
            .find(|p| p["name"].as_str().unwrap().contains(&marker))
            .unwrap();
        assert_eq!(sem["photo_opt_out"], true);
        let keys: Vec<&String> = sem.as_object().unwrap().keys().collect();
        for k in &keys {
            assert!(
                [
                    "id",
                    "name",
                    "address",
                    "birth_date",
                    "gender",
                    "phone",
                    "email",
                    "photo_opt_out",
                    "consents",
                    "added_by",
                    "added_at"
                ]
                .contains(&k.as_str()),
                "{k}"
            );
        }
        let sem_id = sem["id"].as_str().unwrap().to_owned();
        let attended = api
            .put(
                &format!("/activity-sessions/{}/attendance", id_of(&session)),
                &json!({"present": [anouk, sem_id]}),
            )
            .await;
        assert!(attended.status < 300, "{}", attended.text());
        let page = worker.get(&format!("/activiteiten/{activity}")).await;
        assert!(
            page.body.matches("Wil niet op de foto").count() >= 2,
            "{engine:?}: the opt-out on the list and on the attendance sheet"
        );

        // Sealed: the name is nowhere on disk in plain text.
        for f in files_under(s.t.data_dir()) {
            assert!(!file_contains(&f, marker.as_bytes()), "{f:?}");
        }

        // Another team sees nothing of it; the privacy officer reads, but changes nothing.
        let other = signed_in(&s, "andere.werker", Role::Caseworker, &s.t.first_team()).await;
        assert!(
            other.get(&format!("/activiteiten/{activity}")).await.status >= 403,
            "{engine:?}"
        );
        let other_api = api_of(&s, &other).await;
        assert!(
            other_api
                .get(&format!("/activities/{activity}"))
                .await
                .status
                >= 403
        );
        let (_, secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let fg = s.client();
        fg.sign_in("fg.privacy", &secret).await;
        let read = fg.get(&format!("/activiteiten/{activity}")).await;
        assert_eq!(read.status, 200);
        assert!(read.body.contains(&marker));
        let fg_api = api_of(&s, &fg).await;
        assert!(
            fg_api
                .post(
                    &format!("/activities/{activity}/sessions"),
                    &json!({"held_on": "2026-10-12"}),
                )
                .await
                .status
                >= 403
        );
    }
}

// promise: GRP-2
#[tokio::test(flavor = "multi_thread")]
async fn media_are_used_only_with_everyone_s_written_consent_and_a_withdrawal_stops_them() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = signed_in(&s, "groepswerker", Role::Caseworker, TEAM).await;
        let api = api_of(&s, &worker).await;
        let (activity, [anouk, daan, lotte]) = course(&api).await;

        // Consents by the age rules on the day of signing.
        let consent = |p: &str, use_: &str, by: &str| {
            let path = format!("/activity-participants/{p}/consents");
            let body = json!({"use": use_, "signed_on": "2026-10-01", "signed_by": by});
            let api = &api;
            async move { api.post(&path, &body).await }
        };
        let child_alone = consent(&daan, "publication", "participant").await;
        assert_eq!(child_alone.status, 422, "{}", child_alone.text());
        assert_eq!(child_alone.json["field"], "signed_by");
        let teen_alone = consent(&lotte, "publication", "participant").await;
        assert_eq!(teen_alone.status, 422);
        for (p, by) in [
            (&anouk, "participant"),
            (&daan, "parent"),
            (&lotte, "participant_and_parent"),
        ] {
            let given = consent(p, "internal", by).await;
            assert_eq!(given.status, 201, "{}", given.text());
        }
        let anouk_publication = consent(&anouk, "publication", "participant").await;
        assert_eq!(anouk_publication.status, 201);
        let daan_publication = consent(&daan, "publication", "parent").await;
        assert_eq!(daan_publication.status, 201);

        // A photo of Anouk and Lotte: Lotte has no consent for publication.
        let upload = |tags: String| {
            let path = format!(
                "/activities/{activity}/media?recorded_on=2026-10-05&tags={tags}&no_people=false"
            );
            let api = &api;
            async move {
                api.upload(&path, "image/jpeg", "groepsfoto.jpg", PHOTO.to_vec())
                    .await
            }
        };
        let nobody = api
            .upload(
                &format!("/activities/{activity}/media?recorded_on=2026-10-05&no_people=false"),
                "image/jpeg",
                "zaal.jpg",
                PHOTO.to_vec(),
            )
            .await;
        assert_eq!(nobody.status, 422, "untagged and not stated empty");
        let fake = api
            .upload(
                &format!("/activities/{activity}/media?recorded_on=2026-10-05&tags={anouk}"),
                "image/jpeg",
                "nep.jpg",
                b"%PDF-1.7 geen foto".to_vec(),
            )
            .await;
        assert_eq!(fake.status, 422);
        let both = upload(format!("{anouk},{lotte}")).await;
        assert_eq!(both.status, 201, "{}", both.text());
        let both = id_of(&both);
        let refused = api
            .post(
                &format!("/activity-media/{both}/publish"),
                &json!({"publication": "Website LEVgroep"}),
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}: {}", refused.text());
        let download = api
            .get(&format!("/activity-media/{both}/content?use=publication"))
            .await;
        assert_eq!(download.status, 422);
        let internal = api
            .get(&format!("/activity-media/{both}/content?use=internal"))
            .await;
        assert_eq!(internal.status, 200);
        assert_eq!(internal.bytes, PHOTO);
        let detail = api.get(&format!("/activities/{activity}")).await;
        let media = &detail.json["media"][0];
        assert_eq!(use_of(media, "publication")["usable"], false);
        assert_eq!(
            use_of(media, "publication")["without_consent"],
            json!([lotte])
        );

        // A photo of Anouk and Daan: published; Daan's parent withdraws, and it stops.
        let pair = upload(format!("{anouk},{daan}")).await;
        assert_eq!(pair.status, 201);
        let pair = id_of(&pair);
        let published = api
            .post(
                &format!("/activity-media/{pair}/publish"),
                &json!({"publication": "Nieuwsbrief december"}),
            )
            .await;
        assert!(published.status < 300, "{}", published.text());
        let withdrawn = api
            .post(
                &format!("/activity-consents/{}/withdraw", id_of(&daan_publication)),
                &json!({}),
            )
            .await;
        assert!(withdrawn.status < 300, "{}", withdrawn.text());
        let detail = api.get(&format!("/activities/{activity}")).await;
        let media = detail.json["media"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == pair.as_str())
            .unwrap();
        assert!(media["stopped_at"].is_string(), "{engine:?}: {media}");
        assert_eq!(use_of(media, "publication")["usable"], false);
        assert_eq!(
            api.get(&format!("/activity-media/{pair}/content?use=publication"))
                .await
                .status,
            422
        );
        let page = worker.get(&format!("/activiteiten/{activity}")).await;
        assert!(page.body.contains("Nieuwsbrief december"));
        assert!(
            page.body
                .contains("Publicatie gestopt: toestemming ingetrokken")
        );

        // Taken down from the newsletter: recorded, and the request to take it down goes.
        let down = worker
            .post(
                &format!("/activiteiten/beeldmateriaal/{pair}/weggehaald?activiteit={activity}"),
                &[("csrf", &page.csrf())],
            )
            .await;
        assert_eq!(down.status, 303, "{engine:?}: {}", down.body);
        let page = worker.get(&format!("/activiteiten/{activity}")).await;
        assert!(
            !page
                .body
                .contains("Publicatie gestopt: toestemming ingetrokken")
        );
        let twice = api
            .post(&format!("/activity-media/{pair}/taken-down"), &json!({}))
            .await;
        assert_eq!(twice.status, 422, "not published any more");

        // Opting out withdraws what is left: Anouk's internal use goes too.
        let mut anouk_now = participant_named(&detail.json, &anouk).clone();
        anouk_now["photo_opt_out"] = json!(true);
        let body = json!({
            "name": anouk_now["name"], "address": anouk_now["address"],
            "birth_date": anouk_now["birth_date"], "gender": anouk_now["gender"],
            "phone": anouk_now["phone"], "email": anouk_now["email"], "photo_opt_out": true
        });
        let opted = api
            .put(&format!("/activity-participants/{anouk}"), &body)
            .await;
        assert!(opted.status < 300, "{}", opted.text());
        assert_eq!(
            api.get(&format!("/activity-media/{both}/content?use=internal"))
                .await
                .status,
            422
        );
        let again = consent(&anouk, "publication", "participant").await;
        assert_eq!(again.status, 422, "no consent while opted out");

        // Looking at it to tag it is a recorded read for the team, as the web shows it.
        let look = worker
            .get(&format!("/activiteiten/beeldmateriaal/{both}/bekijken"))
            .await;
        assert_eq!(look.status, 200);
        assert!(look.body.contains("foto van de cursus"));
    }
}

// promise: GRP-3
// promise: RET-1
#[tokio::test(flavor = "multi_thread")]
async fn activities_and_their_photos_go_after_the_policy_s_terms_files_and_all() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let worker = signed_in(&s, "groepswerker", Role::Caseworker, TEAM).await;
        let api = api_of(&s, &worker).await;
        let (activity, [anouk, ..]) = course(&api).await;
        let photo = api
            .upload(
                &format!("/activities/{activity}/media?recorded_on=2026-10-05&tags={anouk}"),
                "image/jpeg",
                "groepsfoto.jpg",
                PHOTO.to_vec(),
            )
            .await;
        assert_eq!(photo.status, 201, "{}", photo.text());
        let detail = api.get(&format!("/activities/{activity}")).await;
        // LEVgroep: two years from the last day; the photo two years from the day it was made.
        assert_eq!(detail.json["activity"]["keep_until"], "2028-11-16");
        assert_eq!(detail.json["media"][0]["keep_until"], "2028-10-05");
        let media_dir = s.t.data_dir().join("activity-media");
        assert_eq!(files_under(&media_dir).len(), 1);
        for f in files_under(&media_dir) {
            assert!(!file_contains(&f, b"foto van de cursus"), "sealed on disk");
        }

        // Nothing goes before its day.
        let report = sweep(&s).await;
        assert_eq!(
            (report.activities_destroyed, report.activity_media_destroyed),
            (0, 0)
        );

        // On the privacy officer's schedule before it goes.
        s.t.clock.advance(Duration::days(2 * 365 - 50));
        let (_, secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let fg = s.client();
        fg.sign_in("fg.privacy", &secret).await;
        // At a glance on the start page: the photo is due within the horizon, the course
        // itself not yet.
        let home = fg.get("/").await;
        assert!(
            home.body
                .contains("Bewaartermijnen: 1 lopen binnenkort af of zijn verlopen"),
            "{engine:?}: {}",
            home.body
        );
        let schedule = fg.get("/privacy/bewaartermijnen").await;
        assert_eq!(schedule.status, 200);
        assert!(
            schedule.body.contains("Cursus Opvoeden met plezier")
                && schedule.body.contains("beeldmateriaal-2y"),
            "{engine:?}: {}",
            schedule.body
        );

        // The day after the photo's last day: the photo goes, the activity stays.
        s.t.clock.set(
            zv_testkit::date("2028-10-06")
                .and_hms_opt(10, 0, 0)
                .unwrap()
                .and_utc(),
        );
        let report = sweep(&s).await;
        assert_eq!(
            (report.activities_destroyed, report.activity_media_destroyed),
            (0, 1),
            "{engine:?}: {report:?}"
        );
        assert!(files_under(&media_dir).is_empty());
        let later = signed_in(&s, "groepswerker2", Role::Caseworker, TEAM).await;
        let api = api_of(&s, &later).await;
        let detail = api.get(&format!("/activities/{activity}")).await;
        assert_eq!(detail.status, 200);
        assert!(detail.json["media"].as_array().unwrap().is_empty());

        // The day after the activity's last day: it goes with its participants.
        s.t.clock.set(
            zv_testkit::date("2028-11-16")
                .and_hms_opt(10, 0, 0)
                .unwrap()
                .and_utc(),
        );
        assert_eq!(
            sweep(&s).await.activities_destroyed,
            0,
            "its last day itself"
        );
        s.t.clock.set(
            zv_testkit::date("2028-11-17")
                .and_hms_opt(10, 0, 0)
                .unwrap()
                .and_utc(),
        );
        let report = sweep(&s).await;
        assert_eq!(report.activities_destroyed, 1, "{engine:?}: {report:?}");
        assert_eq!(sweep(&s).await.activities_destroyed, 0, "idempotent");
        let fg = s.client();
        let (_, secret) = s.staff("fg.later", Role::PrivacyOfficer, None).await;
        fg.sign_in("fg.later", &secret).await;
        let register = fg.get("/privacy/vernietigingen").await;
        assert!(
            register
                .body
                .contains("<td>groepsactiviteit</td><td>vernietigd</td><td>groep-2y</td>")
                && register
                    .body
                    .contains("<td>foto&#39;s en video&#39;s</td><td>vernietigd</td><td>beeldmateriaal-2y</td>"),
            "{engine:?}: {}",
            register.body
        );
        let worker = signed_in(&s, "groepswerker3", Role::Caseworker, TEAM).await;
        assert_eq!(
            worker
                .get(&format!("/activiteiten/{activity}"))
                .await
                .status,
            404
        );
    }
}

// promise: GRP-1
#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_without_group_activities_has_no_activity_pages() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let worker = signed_in(&s, "hulpverlener", Role::Caseworker, &s.t.first_team()).await;
        assert!(!worker.get("/").await.body.contains("/activiteiten"));
        assert_eq!(worker.get("/activiteiten").await.status, 404);
    }
}
