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
