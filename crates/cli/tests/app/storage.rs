use zv_core::Actor;
use zv_core::entries::SpecialMarking;
use zv_domain::{EntryContent, EntryKind, Role, SpecialCategory};
use zv_testkit::{TestApp, engines, file_contains, files_under};

fn content(kind: EntryKind, title: &str, body: &str) -> EntryContent {
    EntryContent::parse(kind, title, body, None).unwrap()
}

// promise: RET-4
// promise: RET-6
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_destroyed_client_leaves_no_readable_trace_anywhere() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let marker = format!("Zq{}", uuid::Uuid::new_v4().simple());
        let (client, trajectory) = t
            .intake(&worker, &format!("Anna {marker}"), "1990-04-01", "amw")
            .await;
        let entry = t
            .app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                content(
                    EntryKind::ConversationReport,
                    "Gesprek",
                    &format!("Besproken: {marker}"),
                ),
                None,
            )
            .await
            .unwrap();
        t.app
            .add_attachment(
                &worker,
                entry,
                "brief.txt",
                "text/plain",
                format!("Verwijsbrief {marker}").as_bytes(),
            )
            .await
            .unwrap();
        t.app
            .add_work_note(&worker, trajectory, &format!("Notitie {marker}"))
            .await
            .unwrap();
        // The data reads back whole through the gate.
        let dossier = t.app.dossier(&worker, trajectory).await.unwrap();
        assert!(dossier.entries[0].body.contains(&marker));
        assert_eq!(
            t.app
                .download_attachment(&worker, dossier.entries[0].attachments[0].id)
                .await
                .unwrap()
                .bytes
                .as_slice(),
            format!("Verwijsbrief {marker}").as_bytes()
        );

        let backup = t.dir.path().join("backup.db");
        t.app.backup(&Actor::cli("test"), &backup).await.unwrap();

        let report = t
            .app
            .destroy_client(&Actor::cli("test"), client, "amw-2y", "test of destruction")
            .await
            .unwrap();
        assert_eq!(report.rows.get("clients"), Some(&1));
        assert_eq!(report.files, 1);

        // No plaintext of the marker in any file of the data directory (database, WAL,
        // key store, attachments) nor in the backup.
        for f in files_under(t.data_dir())
            .into_iter()
            .chain([backup.clone()])
        {
            assert!(
                !file_contains(&f, marker.as_bytes()),
                "marker found in {}",
                f.display()
            );
        }
        // The client is gone, and its dossier too.
        assert!(matches!(
            t.app.client_profile(&worker, client).await,
            Err(zv_core::CoreError::NotFound)
        ));
        assert!(t.app.dossier(&worker, trajectory).await.is_err());
        // The backup still holds the rows but no key: its data stays unreadable.
        if engine == zv_testkit::Engine::Sqlite {
            let conn = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", backup.display()))
                .await
                .unwrap();
            use sea_orm::ConnectionTrait;
            let rows = conn
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    "SELECT name FROM sqlite_master WHERE name = 'client_keys'",
                ))
                .await
                .unwrap();
            assert!(rows.is_empty(), "the data backup holds no key table");
            let clients = conn
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    "SELECT id FROM clients",
                ))
                .await
                .unwrap();
            assert_eq!(clients.len(), 1, "the backup predates the destruction");
        }
        assert!(t.app.verify_audit().await.unwrap().first_broken.is_none());
    }
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_detects_a_changed_byte() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (client, _) = t.intake(&worker, "Piet Jansen", "1980-01-01", "amw").await;
        t.app.client_profile(&worker, client).await.unwrap();
        let ok = t.app.verify_audit().await.unwrap();
        assert!(ok.first_broken.is_none());
        assert!(ok.events >= 4);
        let store = t.store().await;
        use sea_orm::ConnectionTrait;
        let conn = store.connection_for_tests_only();
        // The log refuses changes through SQL...
        assert!(
            conn.execute_unprepared("UPDATE audit_log SET user_name = 'x' WHERE seq = 2")
                .await
                .is_err()
        );
        assert!(
            conn.execute_unprepared("DELETE FROM audit_log WHERE seq = 2")
                .await
                .is_err()
        );
        // ...and someone who removes the trigger to change one byte is caught.
        match engine {
            zv_testkit::Engine::Sqlite => conn
                .execute_unprepared("DROP TRIGGER audit_log_no_update")
                .await
                .unwrap(),
            zv_testkit::Engine::Postgres => conn
                .execute_unprepared("DROP TRIGGER audit_log_no_change ON audit_log")
                .await
                .unwrap(),
        };
        conn.execute_unprepared("UPDATE audit_log SET access_point = 'tesu' WHERE seq = 3")
            .await
            .unwrap();
        let broken = t.app.verify_audit().await.unwrap().first_broken.unwrap();
        assert_eq!(broken.seq, 3);
    }
}

// promise: ACC-1
// promise: ACC-7
// promise: DOS-2
// promise: DOS-3
#[tokio::test(flavor = "multi_thread")]
async fn only_the_assigned_worker_reads_and_work_notes_stay_with_their_author() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let colleague = t
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let admin = t.staff("beheer", Role::Administrator, None).await;
        let (client, trajectory) = t
            .intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
            .await;
        let marking = SpecialMarking {
            category: SpecialCategory::Health,
            necessity: "Nodig om de dagbesteding af te stemmen".into(),
        };
        t.app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::Goal,
                content(EntryKind::Goal, "Werk vinden", ""),
                Some(marking),
            )
            .await
            .unwrap();
        let short = SpecialMarking {
            category: SpecialCategory::Health,
            necessity: "x".into(),
        };
        assert!(matches!(
            t.app
                .add_entry(
                    &worker,
                    trajectory,
                    EntryKind::Goal,
                    content(EntryKind::Goal, "t", ""),
                    Some(short)
                )
                .await,
            Err(zv_core::CoreError::Invalid {
                field: "necessity",
                ..
            })
        ));
        t.app
            .add_work_note(&worker, trajectory, "eigen notitie")
            .await
            .unwrap();
        for other in [&colleague, &admin] {
            assert!(matches!(
                t.app.dossier(other, trajectory).await,
                Err(zv_core::CoreError::NotFound)
            ));
            assert!(matches!(
                t.app.client_profile(other, client).await,
                Err(zv_core::CoreError::NotFound)
            ));
        }
        assert_eq!(
            t.app
                .my_work_notes(&worker, trajectory)
                .await
                .unwrap()
                .len(),
            1
        );
        t.app
            .assign_worker(&worker, trajectory, colleague.user_id().unwrap())
            .await
            .unwrap();
        assert_eq!(
            t.app
                .dossier(&colleague, trajectory)
                .await
                .unwrap()
                .entries
                .len(),
            1
        );
        assert!(
            t.app
                .my_work_notes(&colleague, trajectory)
                .await
                .unwrap()
                .is_empty(),
            "another's work notes are never shown"
        );
        // Closing destroys the work notes (DOS-2) and fixes the retention date (RET-1).
        let until = t
            .app
            .close_trajectory(&worker, trajectory, zv_testkit::date("2026-03-31"))
            .await
            .unwrap();
        assert_eq!(until, zv_testkit::date("2028-03-31"));
        assert!(
            t.app
                .my_work_notes(&worker, trajectory)
                .await
                .unwrap()
                .is_empty()
        );
        // Search by name prefix and birth date finds the client for the worker only.
        assert_eq!(
            t.app
                .search_clients(&worker, "yil", None)
                .await
                .unwrap()
                .found
                .len(),
            1
        );
        assert_eq!(
            t.app
                .search_clients(&worker, "fat yilm", None)
                .await
                .unwrap()
                .found
                .len(),
            1
        );
        // Administrators do not look clients up at all (ACC-5).
        assert!(matches!(
            t.app.search_clients(&admin, "yil", None).await,
            Err(zv_core::CoreError::NotAllowed(_))
        ));
    }
}

// promise: DOS-4
#[tokio::test(flavor = "multi_thread")]
async fn bsn_only_for_a_service_with_a_legal_basis_masked_and_revealed_with_an_audit_event() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let worker = t
            .staff("hulpverlener", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let bsn = zv_domain::Bsn::parse("123456782").unwrap();
        let (adult, _) = t.intake(&worker, "Jan de Vries", "1970-01-01", "amw").await;
        assert!(matches!(
            t.app.record_bsn(&worker, adult, &bsn).await,
            Err(zv_core::CoreError::Invalid { field: "bsn", .. })
        ));
        let (child, _) = t
            .intake(&worker, "Daan de Vries", "2015-01-01", "jeugdhulp")
            .await;
        t.app.record_bsn(&worker, child, &bsn).await.unwrap();
        assert_eq!(
            t.app
                .client_profile(&worker, child)
                .await
                .unwrap()
                .bsn_masked
                .as_deref(),
            Some("******782")
        );
        let before = t.app.verify_audit().await.unwrap().events;
        assert_eq!(
            t.app.reveal_bsn(&worker, child).await.unwrap().as_deref(),
            Some("123456782")
        );
        assert_eq!(t.app.verify_audit().await.unwrap().events, before + 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_key_file_is_refused() {
    let t = TestApp::start(zv_testkit::Engine::Sqlite, "levgroep").await;
    let mut settings = t.settings.clone();
    let other = t.dir.path().join("other.key");
    zv_crypto_keyfile(&other);
    settings.key_source = zv_core::KeySource::File(other);
    let err = zv_core::App::open(
        settings,
        t.app.policy().clone(),
        std::sync::Arc::new(t.clock.clone()),
    )
    .await
    .err()
    .unwrap();
    assert!(
        err.to_string().contains("does not belong to this database"),
        "{err}"
    );
}

fn zv_crypto_keyfile(path: &std::path::Path) {
    zv_crypto::keyfile::create(path, &zv_crypto::KeyRing::generate()).unwrap();
}
