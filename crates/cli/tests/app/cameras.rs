//! Camera images (CAM-1), through HTTP on both engines with real files on disk: the
//! register per location, recorded files found and given their last day, files past the
//! term gone from disk and recorded in the destruction register, a period on hold for an
//! incident kept until released, and images looked at only under a hold, recorded.

use std::time::{Duration as StdDuration, SystemTime};

use chrono::Duration;
use serde_json::json;
use zv_core::destruction::{SweepOptions, SweepReport};
use zv_domain::{Clock, Role};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, conforms, make_token};

async fn signed_in(s: &TestServer, username: &str, role: Role) -> WebClient {
    let team = s.t.first_team();
    let (_, secret) = s.staff(username, role, Some(&team)).await;
    let c = s.client();
    c.sign_in(username, &secret).await;
    c
}

/// Writes a recorded file as a recorder would, last written `days_ago` before the test
/// clock's now.
fn record(s: &TestServer, path: &str, days_ago: i64, bytes: &[u8]) -> std::path::PathBuf {
    let file = s.t.app.camera_dir().join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, bytes).unwrap();
    let at = Clock::now(&s.t.clock) - Duration::days(days_ago);
    let secs = u64::try_from(at.timestamp()).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + StdDuration::from_secs(secs))
        .unwrap();
    file
}

async fn sweep(s: &TestServer) -> SweepReport {
    s.t.app
        .run_retention_sweep("test", &SweepOptions::default(), &mut ())
        .await
        .unwrap()
}

// promise: CAM-1
// promise: RET-2
#[tokio::test(flavor = "multi_thread")]
async fn camera_files_past_four_weeks_vanish_from_disk_unless_held_for_an_incident() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let admin = signed_in(&s, "beheerder", Role::Administrator).await;
        let lead = signed_in(&s, "teamleider", Role::TeamLead).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        // The register: refused field by field in Dutch, then registered.
        let page = admin.get("/camerabeelden").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        let refused = admin
            .post(
                "/camerabeelden",
                &[
                    ("csrf", &page.csrf()),
                    ("code", "Entree!"),
                    ("branch", "nergens"),
                    ("location", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        for words in [
            "Gebruik 2 tot 40 kleine letters",
            "Onbekende vestiging.",
            "Geef aan waar de camera hangt",
        ] {
            assert!(refused.body.contains(words), "{engine:?}: {words}");
        }
        let added = admin
            .post(
                "/camerabeelden",
                &[
                    ("csrf", &page.csrf()),
                    ("code", "entree-opvang"),
                    ("branch", "amsterdam"),
                    ("location", "Entree van de opvang"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
        let camera_path = added.location().unwrap().to_owned();
        let camera = camera_path.rsplit('/').next().unwrap().to_owned();

        // Three recorded files: six weeks old, five weeks old, three days old.
        let old = record(&s, "entree-opvang/2026-10/a.mp4", 42, b"beeld oud");
        let incident = record(&s, "entree-opvang/2026-10/b.mp4", 35, b"beeld incident");
        let recent = record(&s, "entree-opvang/2026-11/c.mp4", 3, b"beeld recent");
        let incident_day = (s.t.clock_today() - Duration::days(35)).to_string();

        // A team lead keeps the incident's day; the description is checked first.
        let page = lead.get(&camera_path).await;
        assert_eq!(page.status, 200);
        let hold_path = format!("{camera_path}/bewaren");
        let refused = lead
            .post(
                &hold_path,
                &[
                    ("csrf", &page.csrf()),
                    ("from_on", &incident_day),
                    ("to_on", "2020-01-01"),
                    ("incident", "kort"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused
                .body
                .contains("De laatste dag ligt op of na de eerste dag.")
        );
        assert!(
            refused
                .body
                .contains("Beschrijf het incident in 10 tot 1000 tekens")
        );
        let held = lead
            .post(
                &hold_path,
                &[
                    ("csrf", &page.csrf()),
                    ("from_on", &incident_day),
                    ("to_on", &incident_day),
                    ("incident", "Inbraakpoging bij de achterdeur van de opvang"),
                ],
            )
            .await;
        assert_eq!(held.status, 303, "{}", held.body);

        // The sweep: all three registered, the old one gone from disk, the held one and
        // the recent one kept.
        let report = sweep(&s).await;
        assert_eq!(
            (
                report.camera_files_registered,
                report.camera_files_deleted,
                report.camera_files_held
            ),
            (3, 1, 1),
            "{engine:?}: {report:?}"
        );
        assert!(!old.exists() && incident.exists() && recent.exists());
        let again = sweep(&s).await;
        assert_eq!(
            (again.camera_files_registered, again.camera_files_deleted),
            (0, 0)
        );

        // The camera's page, and the API: the files with their last day.
        let until = (s.t.clock_today() + Duration::days(30)).to_string();
        let api = Api::new(
            &s,
            &make_token(&lead, "Camerabeelden", &["read", "write"], &until).await,
        );
        let detail = api.get(&format!("/cameras/{camera}")).await;
        assert_eq!(detail.status, 200, "{}", detail.text());
        conforms(&doc, "get", "/cameras/{id}", &detail);
        let recordings = detail.json["recordings"].as_array().unwrap();
        assert_eq!(recordings.len(), 2);
        let held_one = recordings.iter().find(|r| r["held"] == true).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let free_one = recordings.iter().find(|r| r["held"] == false).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let recent_kept = recordings.iter().find(|r| r["held"] == false).unwrap();
        assert_eq!(
            recent_kept["keep_until"],
            (s.t.clock_today() - Duration::days(3) + Duration::weeks(4)).to_string()
        );

        // Looked at only under the hold, recorded; not otherwise, not by a caseworker.
        let image = lead
            .get(&format!("/camerabeelden/opnamen/{held_one}"))
            .await;
        assert_eq!(image.status, 200);
        assert_eq!(image.body, "beeld incident");
        assert_eq!(
            lead.get(&format!("/camerabeelden/opnamen/{free_one}"))
                .await
                .status,
            404
        );
        assert_eq!(
            admin
                .get(&format!("/camerabeelden/opnamen/{held_one}"))
                .await
                .status,
            403
        );
        let worker = signed_in(&s, "hulpverlener", Role::Caseworker).await;
        assert_eq!(worker.get("/camerabeelden").await.status, 403);
        let reads =
            s.t.app
                .audit_events(
                    &s.staff("fg.privacy", Role::PrivacyOfficer, None).await.0,
                    &zv_core::audit_log::AuditQuery::default(),
                    500,
                )
                .await
                .unwrap()
                .events
                .into_iter()
                .filter(|e| {
                    e.event.object == zv_domain::AuditObject::CameraImage
                        && e.event.action == zv_domain::AuditAction::Read
                        && e.event.outcome == zv_domain::AuditOutcome::Success
                })
                .count();
        assert_eq!(
            reads, 1,
            "{engine:?}: one look, one event (and the refusal its own)"
        );

        // Released when the incident is handled: the next run deletes the file.
        let hold = detail.json["holds"][0]["id"].as_str().unwrap().to_owned();
        let short = api
            .post(
                &format!("/camera-holds/{hold}/release"),
                &json!({"outcome": "klaar"}),
            )
            .await;
        assert_eq!(short.status, 422);
        let released = api
            .post(
                &format!("/camera-holds/{hold}/release"),
                &json!({"outcome": "Aangifte gedaan, beelden aan de politie gegeven"}),
            )
            .await;
        assert_eq!(released.status, 200, "{}", released.text());
        let after = sweep(&s).await;
        assert_eq!(after.camera_files_deleted, 1, "{after:?}");
        assert!(!incident.exists() && recent.exists());

        // The destruction register names the category and the rule, no image, no name.
        let fg = s.client();
        let (_, secret) = s.staff("fg.tweede", Role::PrivacyOfficer, None).await;
        fg.sign_in("fg.tweede", &secret).await;
        let register = fg.get("/privacy/vernietigingen").await;
        assert_eq!(register.status, 200);
        assert_eq!(
            register
                .body
                .matches("<td>camerabeelden</td><td>vernietigd</td><td>camera-4w</td>")
                .count(),
            2,
            "{engine:?}: {}",
            register.body
        );
    }
}

// promise: CAM-1
#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_without_cameras_has_no_camera_pages() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let admin = signed_in(&s, "beheerder", Role::Administrator).await;
        assert!(!admin.get("/").await.body.contains("/camerabeelden"));
        assert_eq!(admin.get("/camerabeelden").await.status, 404);
        let report = sweep(&s).await;
        assert_eq!(report.camera_files_registered, 0);
    }
}
