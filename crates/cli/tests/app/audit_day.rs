//! Audit completeness: a scripted day of a caseworker in the web app, and the audit log
//! afterwards holds exactly the expected events, in order, with the deciding rules.

use zv_core::audit_log::AuditQuery;
use zv_domain::{EntryContent, EntryKind, Role};
use zv_testkit::engines;
use zv_testkit::web::TestServer;

/// What the log must hold for the day, in order: action, object, outcome, rule ids.
/// Sign-in and sign-out are account events; every page with client data records each
/// read it shows, each change records itself, and a colleague's refused look is
/// recorded with the rule that refuses it.
const EXPECTED_DAY: &[(&str, &str, &str, &str)] = &[
    // First sign-in: the second factor is enrolled, then the session starts.
    ("update", "user_account", "success", "acc9-second-factor"),
    ("sign_in", "user_account", "success", "acc9-second-factor"),
    // The client page: the services overview (the worker's own dossier, and what any
    // colleague may see), the profile, the related persons, the portal access (POR-1),
    // the privacy statements the client was given (ORG-3).
    (
        "read",
        "services_overview",
        "success",
        "acc1-assigned-worker acc2-services-overview",
    ),
    ("read", "client_profile", "success", "acc1-assigned-worker"),
    ("read", "related_person", "success", "acc1-assigned-worker"),
    (
        "read",
        "portal_account",
        "success",
        "acc1-assigned-worker por1-assigned-worker-invites",
    ),
    (
        "read",
        "statement_receipt",
        "success",
        "acc1-assigned-worker",
    ),
    // Showing the BSN is its own read; the page is shown again.
    ("read", "bsn", "success", "acc1-assigned-worker"),
    (
        "read",
        "services_overview",
        "success",
        "acc1-assigned-worker acc2-services-overview",
    ),
    ("read", "client_profile", "success", "acc1-assigned-worker"),
    ("read", "related_person", "success", "acc1-assigned-worker"),
    (
        "read",
        "portal_account",
        "success",
        "acc1-assigned-worker por1-assigned-worker-invites",
    ),
    (
        "read",
        "statement_receipt",
        "success",
        "acc1-assigned-worker",
    ),
    // The dossier with the reader's own work notes.
    ("read", "trajectory", "success", "acc1-assigned-worker"),
    ("read", "work_note", "success", "acc1-assigned-worker"),
    // A conversation report, then the dossier again.
    ("create", "entry", "success", "acc1-assigned-worker"),
    ("read", "trajectory", "success", "acc1-assigned-worker"),
    ("read", "work_note", "success", "acc1-assigned-worker"),
    // The history of the goal: one read of that entry, nothing else.
    ("read", "entry", "success", "acc1-assigned-worker"),
    ("sign_out", "user_account", "success", "acc9-second-factor"),
];

// promise: ACC-7
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_scripted_day_leaves_exactly_the_expected_audit_events() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (me, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, other_secret) = s
            .staff("andere.collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let fg = s.t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, trajectory) =
            s.t.intake(&me, "Fatima Yilmaz", "1985-06-15", "jeugdhulp")
                .await;
        s.t.app
            .record_bsn(&me, client, &zv_domain::Bsn::parse("111222333").unwrap())
            .await
            .unwrap();
        let entry =
            s.t.app
                .add_entry(
                    &me,
                    trajectory,
                    EntryKind::Goal,
                    EntryContent::parse(EntryKind::Goal, "Werk vinden", "", Some(10)).unwrap(),
                    None,
                )
                .await
                .unwrap();
        let before =
            s.t.app
                .audit_events(
                    &fg,
                    &AuditQuery {
                        user: me.user_id(),
                        ..Default::default()
                    },
                    1000,
                )
                .await
                .unwrap()
                .events
                .len();

        // The day.
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let page = c.get(&format!("/clienten/{client}")).await;
        assert_eq!(page.status, 200, "{engine:?}");
        let csrf = page.csrf();
        let shown = c
            .post(&format!("/clienten/{client}/bsn"), &[("csrf", &csrf)])
            .await;
        assert!(shown.body.contains("111222333"));
        assert_eq!(c.get(&format!("/trajecten/{trajectory}")).await.status, 200);
        let added = c
            .post(
                &format!("/trajecten/{trajectory}/items"),
                &[
                    ("csrf", &csrf),
                    ("kind", "conversation_report"),
                    ("title", "Gesprek over werk"),
                    ("body", "Sollicitatie besproken"),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.body);
        assert_eq!(c.get(&format!("/trajecten/{trajectory}")).await.status, 200);
        assert_eq!(
            c.get(&format!("/items/{entry}/geschiedenis")).await.status,
            200
        );
        let out = c.post("/afmelden", &[("csrf", &csrf)]).await;
        assert_eq!(out.status, 303);

        // A colleague of another team tries the dossier: refused, and recorded.
        let other = s.client();
        other.sign_in("andere.collega", &other_secret).await;
        assert_eq!(
            other.get(&format!("/trajecten/{trajectory}")).await.status,
            404
        );

        let mut events =
            s.t.app
                .audit_events(
                    &fg,
                    &AuditQuery {
                        user: me.user_id(),
                        ..Default::default()
                    },
                    1000,
                )
                .await
                .unwrap()
                .events;
        events.reverse();
        let day: Vec<(String, String, String, String)> = events[before..]
            .iter()
            .map(|e| {
                (
                    e.event.action.code().to_owned(),
                    e.event.object.code().to_owned(),
                    e.event.outcome.code().to_owned(),
                    e.event.rule_ids.join(" "),
                )
            })
            .collect();
        let expected: Vec<(String, String, String, String)> = EXPECTED_DAY
            .iter()
            .map(|(a, o, r, ids)| ((*a).into(), (*o).into(), (*r).into(), (*ids).into()))
            .collect();
        assert_eq!(day, expected, "{engine:?}");
        assert!(
            events[before..]
                .iter()
                .all(|e| e.event.client_id.is_none() || e.event.client_id == Some(client)),
            "every client event names the client"
        );

        let refused =
            s.t.app
                .audit_events(
                    &fg,
                    &AuditQuery {
                        client: Some(client),
                        ..Default::default()
                    },
                    1000,
                )
                .await
                .unwrap()
                .events
                .into_iter()
                .filter(|e| e.event.outcome.code() == "denied")
                .map(|e| (e.event.object.code(), e.event.rule_ids.join(" ")))
                .collect::<Vec<_>>();
        assert_eq!(refused, [("trajectory", "acc7-nobody-else".to_owned())]);
    }
}
