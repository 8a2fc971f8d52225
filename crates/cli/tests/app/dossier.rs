//! Working in the dossier at the core: versions kept, stale edits refused.

use zv_core::CoreError;
use zv_domain::{EntryContent, EntryKind, Role};
use zv_testkit::{TestApp, engines};

fn report(title: &str, body: &str) -> EntryContent {
    EntryContent::parse(EntryKind::ConversationReport, title, body, None).unwrap()
}

// promise: DOS-1
#[tokio::test]
async fn an_edit_keeps_every_version_and_a_stale_edit_changes_nothing() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let me = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, trajectory) = t.intake(&me, "Fatima Yilmaz", "1985-06-15", "amw").await;
        let entry = t
            .app
            .add_entry(
                &me,
                trajectory,
                EntryKind::ConversationReport,
                report("Eerste gesprek", "Kennismaking"),
                None,
            )
            .await
            .unwrap();
        let v2 = t
            .app
            .edit_entry(
                &me,
                entry,
                1,
                report("Eerste gesprek", "Kennismaking, met zus"),
            )
            .await
            .unwrap();
        assert_eq!(v2, 2, "{engine:?}");
        // A second form, opened on version 1, is refused and saves nothing.
        let stale = t
            .app
            .edit_entry(&me, entry, 1, report("Eerste gesprek", "Overschreven"))
            .await;
        assert!(
            matches!(stale, Err(CoreError::Stale { current: 2 })),
            "{stale:?}"
        );
        let history = t.app.entry_history(&me, entry).await.unwrap();
        let bodies: Vec<&str> = history.iter().map(|v| v.body.as_str()).collect();
        assert_eq!(bodies, ["Kennismaking", "Kennismaking, met zus"]);
    }
}

async fn audit_count(t: &TestApp) -> u64 {
    let store = t.store().await;
    let tx = store.read_tx().await.unwrap();
    let n = zv_store::audit::count(&tx).await.unwrap();
    tx.commit().await.unwrap();
    store.close().await.unwrap();
    n
}

// The page's rows are fetched while the read's event is being written (decision 0059):
// when the event cannot be written, nothing of them is shown, and the next view, once it
// can, records exactly itself.
// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn a_dossier_whose_read_cannot_be_recorded_is_not_shown_until_it_can_be() {
    for engine in engines() {
        let t = TestApp::start(engine, "levgroep").await;
        let me = t
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, trajectory) = t.intake(&me, "Fatima Yilmaz", "1985-06-15", "amw").await;
        t.app
            .add_entry(
                &me,
                trajectory,
                EntryKind::ConversationReport,
                report("Eerste gesprek", "Kennismaking met de zus"),
                None,
            )
            .await
            .unwrap();
        let before = audit_count(&t).await;

        t.refuse_inserts("audit_log").await;
        for _ in 0..3 {
            let refused = t.app.dossier(&me, trajectory).await;
            let Err(e) = refused else {
                panic!("{engine:?}: a dossier shown without its audit event");
            };
            let said = format!("{e} {e:?}");
            assert!(!said.contains("Kennismaking"), "{engine:?}: {said}");
        }
        assert_eq!(
            audit_count(&t).await,
            before,
            "{engine:?}: nothing recorded"
        );

        t.allow_inserts("audit_log").await;
        let shown = t.app.dossier(&me, trajectory).await.unwrap();
        assert_eq!(shown.entries.len(), 1, "{engine:?}");
        assert_eq!(shown.entries[0].body, "Kennismaking met de zus");
        // The view's two reads (the dossier, and my own work notes), one group;
        // nothing of the three refused views.
        assert_eq!(audit_count(&t).await - before, 2, "{engine:?}");
    }
}
