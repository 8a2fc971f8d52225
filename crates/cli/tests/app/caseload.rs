//! The caseworker's caseload: their own trajectories, each name an audited read.

use zv_core::audit_log::AuditQuery;
use zv_domain::{AuditAction, AuditObject, Role};
use zv_testkit::{TestApp, engines};

// promise: ACC-1
#[tokio::test]
async fn the_caseload_holds_my_trajectories_and_each_name_shown_is_audited() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let me = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let other = t
            .staff("collega", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (mine, first) = t.intake(&me, "Fatima Yilmaz", "1985-06-15", "amw").await;
        let (_, theirs) = t
            .intake(&other, "Johan de Vries", "1990-01-02", "amw")
            .await;
        t.app
            .close_trajectory(&me, first, t.clock_today())
            .await
            .unwrap();

        let caseload = t.app.caseload(&me).await.unwrap();
        assert!(caseload.open.is_empty(), "{engine:?}");
        assert_eq!(caseload.closed.len(), 1);
        assert_eq!(caseload.closed[0].client_name, "Fatima Yilmaz");
        assert_eq!(caseload.closed[0].trajectory.id, first);
        let theirs_seen = t.app.caseload(&other).await.unwrap();
        assert_eq!(theirs_seen.open.len(), 1);
        assert_eq!(theirs_seen.open[0].trajectory.id, theirs);

        let fg = t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let query = AuditQuery {
            client: Some(mine),
            ..Default::default()
        };
        let events = t.app.audit_events(&fg, &query, 100).await.unwrap().events;
        assert!(
            events.iter().any(|e| e.event.action == AuditAction::Read
                && e.event.object == AuditObject::ClientProfile
                && e.event.user_id == me.user_id()),
            "{engine:?}: the name shown in the caseload is a recorded read"
        );
    }
}
