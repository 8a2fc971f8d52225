//! The privacy officer's audit screen at the core: filters, paging, CSV, and nobody else.

use sea_orm::ConnectionTrait as _;
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

/// The benchmark's data set must have the log of years of use (issue 10: some twenty
/// events per client), not one event per client: the demo leaves, for every generated
/// trajectory, the events its caseworker's work would have left, each marked as demo
/// data, and the chain over them is intact.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_leaves_the_audit_history_of_its_generated_work() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let demo = t
            .app
            .load_demo(zv_core::demo::DemoOptions {
                clients: 40,
                seed: 11,
                as_of: t.clock_today(),
            })
            .await
            .unwrap();
        let store = t.store().await;
        let db = store.connection_for_tests_only();
        let count = |sql: &'static str| async move {
            let backend = db.get_database_backend();
            db.query_one_raw(sea_orm::Statement::from_string(backend, sql))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        };
        let history =
            count("SELECT COUNT(*) FROM audit_log WHERE rule_ids LIKE '%\"demo-history\"%'").await;
        // Opened, each entry read and then written, closed.
        let expected = demo.trajectories + 2 * demo.entries + demo.closed_trajectories;
        assert_eq!(u64::try_from(history).unwrap(), expected, "{engine:?}");
        assert_eq!(demo.audit_events, demo.clients + expected, "{engine:?}");
        assert!(
            demo.audit_events >= 15 * demo.clients,
            "{engine:?}: {} events for {} clients",
            demo.audit_events,
            demo.clients
        );
        // Every entry has the event of its writing, by its author.
        let unwritten = count(
            "SELECT COUNT(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM audit_log a \
             WHERE a.object_id = e.id AND a.object = 'entry' AND a.action = 'create' \
             AND a.user_id = e.created_by)",
        )
        .await;
        assert_eq!(unwritten, 0, "{engine:?}");
        // Nobody can take them for real work.
        let unmarked = count(
            "SELECT COUNT(*) FROM audit_log WHERE rule_ids LIKE '%\"demo-history\"%' \
             AND (purpose <> 'demo' OR access_point <> 'demo' OR role <> 'caseworker')",
        )
        .await;
        assert_eq!(unmarked, 0, "{engine:?}");
        store.close().await.unwrap();
        let verified = t.app.verify_audit().await.unwrap();
        assert!(verified.first_broken.is_none(), "{engine:?}");
        assert!(verified.events >= demo.audit_events, "{engine:?}");
    }
}
