//! The privacy officer's audit screen at the core: filters, paging, CSV, and nobody else.

use zv_core::CoreError;
use zv_core::audit_log::AuditQuery;
use zv_domain::{AuditAction, AuditObject, Role};
use zv_testkit::{TestApp, engines};

// promise: ACC-7
#[tokio::test]
async fn the_privacy_officer_filters_pages_and_exports_the_log_and_nobody_else_reads_it() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let fg = t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let admin = t.staff("beheer", Role::Administrator, None).await;
        let (a, _) = t
            .intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
            .await;
        let (b, _) = t
            .intake(&worker, "Johan de Vries", "1990-01-02", "amw")
            .await;
        for _ in 0..3 {
            t.app.client_profile(&worker, a).await.unwrap();
        }
        t.app.client_profile(&worker, b).await.unwrap();

        let of_a = AuditQuery {
            client: Some(a),
            action: Some(AuditAction::Read),
            ..Default::default()
        };
        let first = t.app.audit_events(&fg, &of_a, 2).await.unwrap();
        assert_eq!(first.events.len(), 2, "{engine:?}");
        assert!(first.events[0].seq > first.events[1].seq, "newest first");
        assert!(first.events.iter().all(|e| e.event.client_id == Some(a)));
        let rest = t
            .app
            .audit_events(
                &fg,
                &AuditQuery {
                    before_seq: first.next_before,
                    ..of_a.clone()
                },
                2,
            )
            .await
            .unwrap();
        assert_eq!(rest.events.len(), 1);
        assert_eq!(rest.next_before, None);

        let today = t.clock_today();
        let csv = t
            .app
            .audit_csv(
                &fg,
                &AuditQuery {
                    user: worker.user_id(),
                    from: Some(today),
                    to: Some(today),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("seq,at,action,outcome,object"));
        assert!(lines.len() > 5, "{csv}");
        assert!(!csv.contains("Fatima"), "the log names clients by id only");
        let tomorrow = today.succ_opt().unwrap();
        let none = AuditQuery {
            from: Some(tomorrow),
            ..Default::default()
        };
        assert!(
            t.app
                .audit_events(&fg, &none, 10)
                .await
                .unwrap()
                .events
                .is_empty()
        );
        let backwards = AuditQuery {
            from: Some(tomorrow),
            to: Some(today),
            ..Default::default()
        };
        assert!(matches!(
            t.app.audit_events(&fg, &backwards, 10).await,
            Err(CoreError::Invalid { .. })
        ));

        for other in [&worker, &admin] {
            assert!(matches!(
                t.app.audit_events(other, &AuditQuery::default(), 10).await,
                Err(CoreError::NotFound)
            ));
        }
        // Reading and exporting the log are themselves in it.
        let own = AuditQuery {
            user: fg.user_id(),
            ..Default::default()
        };
        let mine = t.app.audit_events(&fg, &own, 50).await.unwrap().events;
        assert!(
            mine.iter().any(|e| e.event.action == AuditAction::Export
                && e.event.object == AuditObject::AuditLog)
        );
    }
}
