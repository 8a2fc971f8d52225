//! The access matrix: every role against every kind of client data, through HTTP as a
//! browser asks, on both engines, compared with the table below, which is the promise
//! (ACC-1..8, DOS-2) written out. `Y` means the page or action succeeds; `-` means the
//! user gets "not found" (or, for a disabled account, the sign-in page) and the refusal
//! is in the audit log.

use chrono::Duration;
use zv_core::entries::SpecialMarking;
use zv_core::{Actor, StaffActor};
use zv_domain::{
    AuditOutcome, Bsn, ClientId, EntryContent, EntryId, EntryKind, Role, SpecialCategory,
    TrajectoryId,
};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

/// Columns of the table, in order.
const KINDS: [&str; 10] = [
    "services overview",
    "found by a search",
    "dossier",
    "entry",
    "special-category entry",
    "BSN",
    "own work note",
    "another's work note",
    "attachment",
    "add an entry",
];

/// The expected table.
const EXPECTED: [(&str, &str); 15] = [
    //                                 ovw fnd dos ent spc bsn own oth att add
    ("assigned worker", "Y Y Y Y Y Y Y - Y Y"),
    ("colleague of another team", "Y Y - - - - - - - -"),
    ("team lead, not assigned", "Y Y - - - - - - - -"),
    ("manager without complaint", "Y Y - - - - - - - -"),
    ("manager handling a complaint", "Y Y Y Y Y - - - Y -"),
    ("quality officer, in scope", "Y Y Y Y - - - - Y -"),
    ("quality officer, out of scope", "Y Y - - - - - - - -"),
    ("substitute, during", "Y Y Y Y Y Y Y - Y Y"),
    ("administrator", "- - - - - - - - - -"),
    ("administrator, emergency access", "Y - Y Y Y Y Y - Y Y"),
    ("privacy officer", "- - - - - - - - - -"),
    ("disabled account", "- - - - - - - - - -"),
    ("quality officer, after the end", "Y Y - - - - - - - -"),
    ("substitute, after the end", "Y Y - - - - - - - -"),
    ("manager, complaint closed", "Y Y - - - - - - - -"),
];

struct Scene {
    client: ClientId,
    trajectory: TrajectoryId,
    entry: EntryId,
    special: EntryId,
    attachment: String,
    others_note: String,
    own_note: String,
}

fn id_of(actor: &Actor) -> String {
    match actor {
        Actor::Staff(StaffActor { user_id, .. }) => user_id.to_string(),
        Actor::System { .. } | Actor::Portal(_) => unreachable!(),
    }
}

/// What one user can do with each kind, as `Y`/`-` in the table's order.
async fn row(c: &WebClient, s: &Scene) -> String {
    // Success is a page, or a redirect anywhere but the sign-in page.
    let ok = |p: zv_testkit::web::Page| {
        if p.status == 200 || (p.status == 303 && p.location() != Some("/aanmelden")) {
            "Y"
        } else {
            "-"
        }
    };
    let home = c.get("/").await;
    let csrf = home.csrf();
    let mut cells = Vec::new();
    let overview = c.get(&format!("/clienten/{}", s.client)).await;
    let links_dossier = overview.status == 200
        && overview
            .body
            .contains(&format!("href=\"/trajecten/{}\"", s.trajectory));
    cells.push(ok(overview));
    // The search decides for all its candidates at once, the overview for all of a
    // client's trajectories at once; the pages below decide for one.
    let search = c
        .post(
            "/clienten",
            &[("csrf", &csrf), ("naam", "Sanne"), ("geboortedatum", "")],
        )
        .await;
    let found = search.status == 200 && search.body.contains(&format!("/clienten/{}", s.client));
    cells.push(if found { "Y" } else { "-" });
    cells.push(ok(c.get(&format!("/trajecten/{}", s.trajectory)).await));
    // The overview links the dossier exactly for those who may open it.
    assert_eq!(
        links_dossier,
        cells[2] == "Y",
        "the overview's link: {cells:?}"
    );
    cells.push(ok(c.get(&format!("/items/{}/geschiedenis", s.entry)).await));
    cells.push(ok(c
        .get(&format!("/items/{}/geschiedenis", s.special))
        .await));
    let bsn = c
        .post(&format!("/clienten/{}/bsn", s.client), &[("csrf", &csrf)])
        .await;
    cells.push(if bsn.status == 200 && bsn.body.contains("123456782") {
        "Y"
    } else {
        "-"
    });
    // One's own note: the assigned worker reads theirs; anyone else tries to write one.
    let own = if s.own_note.is_empty() {
        c.post(
            &format!("/trajecten/{}/werkaantekeningen", s.trajectory),
            &[("csrf", &csrf), ("body", "Eigen aantekening")],
        )
        .await
    } else {
        c.get(&format!("/werkaantekeningen/{}", s.own_note)).await
    };
    cells.push(ok(own));
    cells.push(ok(c
        .get(&format!("/werkaantekeningen/{}", s.others_note))
        .await));
    cells.push(ok(c.get(&format!("/bijlagen/{}", s.attachment)).await));
    let add = c
        .post(
            &format!("/trajecten/{}/items", s.trajectory),
            &[
                ("csrf", &csrf),
                ("kind", "conversation_report"),
                ("title", "Gesprek"),
                ("body", "Verslag"),
                ("progress", ""),
                ("special", ""),
                ("necessity", ""),
            ],
        )
        .await;
    cells.push(ok(add));
    cells.join(" ")
}

fn expected(who: &str) -> &'static str {
    EXPECTED
        .iter()
        .find(|(w, _)| *w == who)
        .map(|(_, r)| *r)
        .unwrap()
}

fn compare(who: &str, got: &str, engine: zv_testkit::Engine) {
    let want = expected(who);
    if got != want {
        let mut diff = String::new();
        for ((kind, g), w) in KINDS.iter().zip(got.split(' ')).zip(want.split(' ')) {
            if g != w {
                diff.push_str(&format!("\n  {kind}: got {g}, expected {w}"));
            }
        }
        panic!("{engine:?}, {who}:{diff}");
    }
}

// promise: ACC-1
// promise: ACC-2
// promise: ACC-3
// promise: ACC-4
// promise: ACC-5
// promise: ACC-6
// promise: ACC-7
// promise: ACC-8
// promise: DOS-2
#[tokio::test(flavor = "multi_thread")]
async fn every_role_against_every_kind_of_client_data() {
    for engine in engines() {
        let srv = TestServer::start(engine, "levgroep").await;
        let t = &srv.t;
        let app = &t.app;
        let team = "amw-helmond";
        let other_team = "jeugd-eindhoven";
        let (worker, worker_secret) = srv.staff("werker", Role::Caseworker, Some(team)).await;
        let (worker2, _) = srv.staff("werker2", Role::Caseworker, Some(team)).await;
        let mut users = Vec::new();
        for (name, role, team) in [
            ("collega", Role::Caseworker, Some(other_team)),
            ("teamleider", Role::TeamLead, Some(team)),
            ("manager", Role::Manager, None),
            ("kwaliteit", Role::QualityOfficer, None),
            ("kwaliteit2", Role::QualityOfficer, None),
            ("vervanger", Role::Caseworker, Some(other_team)),
            ("beheerder", Role::Administrator, None),
            ("privacy", Role::PrivacyOfficer, None),
            ("uitdienst", Role::Caseworker, Some(team)),
        ] {
            let (actor, secret) = srv.staff(name, role, team).await;
            users.push((name, actor, secret));
        }
        let find = |name: &str| {
            users
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, a, s)| (a.clone(), s.clone()))
                .unwrap()
        };

        // The dossier: a youth care trajectory (BSN allowed) with an ordinary entry, a
        // special-category entry, an attachment and two workers' notes.
        let (client, trajectory) = t
            .intake(&worker, "Sanne de Vries", "2012-03-04", "jeugdhulp")
            .await;
        app.assign_worker(&worker, trajectory, worker2.user_id().unwrap())
            .await
            .unwrap();
        app.assign_worker(&worker, trajectory, find("uitdienst").0.user_id().unwrap())
            .await
            .unwrap();
        app.record_bsn(&worker, client, &Bsn::parse("123456782").unwrap())
            .await
            .unwrap();
        let report = |title: &str| {
            EntryContent::parse(EntryKind::ConversationReport, title, "Inhoud", None).unwrap()
        };
        let entry = app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                report("Intake"),
                None,
            )
            .await
            .unwrap();
        let special = app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                report("Gezondheid"),
                Some(SpecialMarking {
                    category: SpecialCategory::Health,
                    necessity: "Nodig om de juiste hulp te bieden".into(),
                }),
            )
            .await
            .unwrap();
        let attachment = app
            .add_attachment(
                &worker,
                entry,
                "brief.pdf",
                "application/pdf",
                b"%PDF-1.4 brief",
            )
            .await
            .unwrap();
        let own_note = app
            .add_work_note(&worker, trajectory, "Mijn aantekening")
            .await
            .unwrap();
        let others_note = app
            .add_work_note(&worker2, trajectory, "Aantekening van een collega")
            .await
            .unwrap();
        let mut scene = Scene {
            client,
            trajectory,
            entry,
            special,
            attachment: attachment.to_string(),
            others_note: others_note.to_string(),
            own_note: own_note.to_string(),
        };

        let signed_in = |name: &'static str, secret: String| {
            let c = srv.client();
            async move {
                c.sign_in(name, &secret).await;
                c
            }
        };

        let c = signed_in("werker", worker_secret.clone()).await;
        compare("assigned worker", &row(&c, &scene).await, engine);
        scene.own_note = String::new();

        // Each user signs in once at this moment (a code is good once).
        let mut clients = std::collections::HashMap::new();
        for (who, name) in [
            ("colleague of another team", "collega"),
            ("team lead, not assigned", "teamleider"),
            ("manager without complaint", "manager"),
            ("administrator", "beheerder"),
            ("privacy officer", "privacy"),
        ] {
            let c = signed_in(name, find(name).1).await;
            compare(who, &row(&c, &scene).await, engine);
            clients.insert(name, c);
        }

        // ACC-3: the manager registers a complaint about the trajectory; the access is
        // bound to it.
        let today = t.clock_today().to_string();
        let manager = clients.remove("manager").unwrap();
        let m_csrf = manager.get("/").await.csrf();
        let registered = manager
            .post(
                &format!("/trajecten/{trajectory}/klacht"),
                &[
                    ("csrf", &m_csrf),
                    ("received_on", &today),
                    ("channel", "letter"),
                    ("subject", "De cliënt is niet tevreden over de bejegening"),
                    ("ends_on", &today),
                ],
            )
            .await;
        assert_eq!(registered.status, 303, "{engine:?}: {}", registered.body);
        compare(
            "manager handling a complaint",
            &row(&manager, &scene).await,
            engine,
        );

        // ACC-4: a review of the team, and one of another team.
        for (reviewer, review_team) in [("kwaliteit", team), ("kwaliteit2", other_team)] {
            let r = manager
                .post(
                    "/toegang/kwaliteitsreview",
                    &[
                        ("csrf", &m_csrf),
                        ("reviewer", &id_of(&find(reviewer).0)),
                        ("team", review_team),
                        ("service_type", ""),
                        ("ends_on", &today),
                        ("purpose", "Jaarlijkse dossiertoets van het team"),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "{engine:?}: {}", r.body);
        }
        let quality = signed_in("kwaliteit", find("kwaliteit").1).await;
        compare(
            "quality officer, in scope",
            &row(&quality, &scene).await,
            engine,
        );
        let quality2 = signed_in("kwaliteit2", find("kwaliteit2").1).await;
        compare(
            "quality officer, out of scope",
            &row(&quality2, &scene).await,
            engine,
        );

        // ACC-6: the team lead appoints a substitute for the worker.
        let lead = clients.remove("teamleider").unwrap();
        let l_csrf = lead.get("/").await.csrf();
        let set = lead
            .post(
                "/toegang/vervanging",
                &[
                    ("csrf", &l_csrf),
                    ("absent", &id_of(&worker)),
                    ("substitute", &id_of(&find("vervanger").0)),
                    ("ends_on", &today),
                    ("reason", "Ziekte van de vaste hulpverlener"),
                ],
            )
            .await;
        assert_eq!(set.status, 303, "{engine:?}: {}", set.body);
        let substitute = signed_in("vervanger", find("vervanger").1).await;
        compare(
            "substitute, during",
            &row(&substitute, &scene).await,
            engine,
        );

        // ACC-5: the administrator breaks the glass; the privacy officer sees it at once.
        let admin = clients.remove("beheerder").unwrap();
        let a_csrf = admin.get("/").await.csrf();
        let opened = admin
            .post(
                &format!("/trajecten/{trajectory}/noodtoegang"),
                &[
                    ("csrf", &a_csrf),
                    (
                        "reason",
                        "Crisismelding in de nacht, hulpverlener onbereikbaar",
                    ),
                    ("hours", "2"),
                ],
            )
            .await;
        assert_eq!(opened.status, 303, "{engine:?}: {}", opened.body);
        compare(
            "administrator, emergency access",
            &row(&admin, &scene).await,
            engine,
        );
        let fg = clients.remove("privacy").unwrap();
        assert!(
            fg.get("/").await.body.contains("1 noodtoegang(en) wachten"),
            "{engine:?}: the privacy officer is told at once"
        );
        // Longer than the policy allows is refused and changes nothing.
        let too_long = admin
            .post(
                &format!("/trajecten/{trajectory}/noodtoegang"),
                &[
                    ("csrf", &a_csrf),
                    (
                        "reason",
                        "Crisismelding in de nacht, hulpverlener onbereikbaar",
                    ),
                    ("hours", "9"),
                ],
            )
            .await;
        assert_eq!(too_long.status, 422);

        // ACC-8: an account disabled after signing in reaches nothing.
        let gone = signed_in("uitdienst", find("uitdienst").1).await;
        app.disable_user(&Actor::cli("test"), "uitdienst")
            .await
            .unwrap();
        compare("disabled account", &row(&gone, &scene).await, engine);

        // ACC-3: closing the complaint ends the manager's access at once.
        let complaints = manager.get("/toegang").await;
        // A staff registration is acknowledged in the same series as the portal's.
        let year = &today[..4];
        assert!(
            complaints.body.contains(&format!("KL-{year}-")),
            "the complaint's reference is listed"
        );
        let close = complaints
            .body
            .split("action=\"/klachten/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        let closed = manager
            .post(&format!("/klachten/{close}"), &[("csrf", &m_csrf)])
            .await;
        assert_eq!(closed.status, 303, "{engine:?}: {}", closed.body);
        compare(
            "manager, complaint closed",
            &row(&manager, &scene).await,
            engine,
        );

        // Every grant ends by itself: two days on, the review and the delegation are over.
        t.clock.advance(Duration::days(2));
        let quality = signed_in("kwaliteit", find("kwaliteit").1).await;
        compare(
            "quality officer, after the end",
            &row(&quality, &scene).await,
            engine,
        );
        let substitute = signed_in("vervanger", find("vervanger").1).await;
        compare(
            "substitute, after the end",
            &row(&substitute, &scene).await,
            engine,
        );

        // The audit log names the deciding rules and the ground of each access.
        let query = zv_core::audit_log::AuditQuery {
            client: Some(client),
            ..Default::default()
        };
        let events = app
            .audit_events(&find("privacy").0, &query, 1000)
            .await
            .unwrap()
            .events;
        let find_event = |user: &str, outcome: AuditOutcome| {
            events
                .iter()
                .filter(|e| e.event.user_name.ends_with(user) && e.event.outcome == outcome)
                .map(|e| {
                    (
                        e.event.rule_ids.clone(),
                        e.event.purpose,
                        e.event.on_behalf_of,
                    )
                })
                .collect::<Vec<_>>()
        };
        let sub = find_event("vervanger", AuditOutcome::Success);
        assert!(
            sub.iter().any(|(rules, purpose, behalf)| rules
                .contains(&"acc6-substitute".to_owned())
                && *purpose == zv_domain::Purpose::Substitution
                && *behalf == worker.user_id()),
            "{engine:?}: a substitute's reads are on behalf of the absent worker"
        );
        let refused = find_event("collega", AuditOutcome::Denied);
        assert!(
            refused
                .iter()
                .any(|(rules, _, _)| rules == &vec!["acc7-nobody-else".to_owned()]),
            "{engine:?}: refusals are recorded with the rule that decided"
        );
        let other = find_event("werker", AuditOutcome::Denied);
        assert!(
            other
                .iter()
                .any(|(rules, _, _)| rules == &vec!["dos2-work-note-author-only".to_owned()]),
            "{engine:?}: another's work note is refused by DOS-2"
        );
        assert!(
            find_event("beheerder", AuditOutcome::Success)
                .iter()
                .any(|(_, purpose, _)| *purpose == zv_domain::Purpose::Emergency),
            "{engine:?}: emergency reads are marked as such"
        );
    }
}

/// Registers a client with a first trajectory of a team and service, by `actor`.
async fn intake_in(
    t: &zv_testkit::TestApp,
    actor: &Actor,
    name: &str,
    team: &str,
    service: &str,
) -> TrajectoryId {
    let today = t.clock_today();
    t.app
        .register_client(
            actor,
            zv_core::clients::NewClientInput {
                branch: t.app.policy().branches()[0].code.clone(),
                name: zv_domain::PersonName::parse(name).unwrap(),
                birth_date: zv_domain::BirthDate::parse("1990-01-01", today).unwrap(),
                gender: zv_domain::Gender::Unknown,
                address: None,
                phone: None,
                email: None,
                confidential_address: false,
            },
            zv_core::trajectories::TrajectoryInput {
                service_type: service.to_owned(),
                team: team.to_owned(),
                domestic_violence: false,
                opened_on: zv_testkit::date("2026-02-01"),
                municipality: None,
            },
        )
        .await
        .unwrap()
        .1
}

// promise: ACC-1
// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn the_listing_of_reachable_dossiers_agrees_with_the_rules() {
    for engine in engines() {
        let t = zv_testkit::TestApp::start(engine, "levgroep").await;
        let app = &t.app;
        let (a, b) = ("amw-helmond", "jeugd-eindhoven");
        let w_a1 = t.staff("werker.a1", Role::Caseworker, Some(a)).await;
        let w_a2 = t.staff("werker.a2", Role::Caseworker, Some(a)).await;
        let w_b = t.staff("werker.b", Role::Caseworker, Some(b)).await;
        let lead = t.staff("lead", Role::TeamLead, Some(a)).await;
        let manager = t.staff("manager", Role::Manager, None).await;
        let q_team = t.staff("qteam", Role::QualityOfficer, None).await;
        let q_service = t.staff("qservice", Role::QualityOfficer, None).await;
        let q_both = t.staff("qboth", Role::QualityOfficer, None).await;
        let sub = t.staff("vervanger", Role::Caseworker, Some(b)).await;
        let admin = t.staff("admin", Role::Administrator, None).await;
        let mut all = Vec::new();
        for (i, (who, team, service)) in [
            (&w_a1, a, "amw"),
            (&w_a1, a, "jeugdhulp"),
            (&w_a2, a, "amw"),
            (&w_b, b, "jeugdhulp"),
            (&w_b, b, "amw"),
            (&w_a2, a, "jeugdhulp"),
        ]
        .into_iter()
        .enumerate()
        {
            all.push(intake_in(&t, who, &format!("Client Nummer {i}"), team, service).await);
        }
        let today = t.clock_today();
        app.register_complaint(&manager, all[4], today, "email", "Klacht", today)
            .await
            .unwrap();
        for (q, team, service) in [
            (&q_team, Some(a), None),
            (&q_service, None, Some("jeugdhulp")),
            (&q_both, Some(b), Some("amw")),
        ] {
            let scope = zv_core::grants::ReviewScope {
                team: team.map(str::to_owned),
                service_type: service.map(str::to_owned),
            };
            app.start_quality_review(
                &manager,
                q.user_id().unwrap(),
                scope,
                today,
                "Dossiertoets van dit kwartaal",
            )
            .await
            .unwrap();
        }
        app.set_substitute(
            &lead,
            w_a1.user_id().unwrap(),
            sub.user_id().unwrap(),
            today,
            "Ziekte van de vaste hulpverlener",
        )
        .await
        .unwrap();
        app.break_the_glass(&admin, all[3], "Crisis in de nacht, niemand bereikbaar", 1)
            .await
            .unwrap();

        for user in [
            &w_a1, &w_a2, &w_b, &lead, &manager, &q_team, &q_service, &q_both, &sub, &admin,
        ] {
            let caseload = app.caseload(user).await.unwrap();
            let listed: std::collections::BTreeSet<TrajectoryId> = caseload
                .open
                .iter()
                .chain(caseload.closed.iter())
                .map(|i| i.trajectory.id)
                .chain(caseload.granted.iter().map(|(i, _)| i.trajectory.id))
                .collect();
            let mut allowed = std::collections::BTreeSet::new();
            for tr in &all {
                if app.dossier(user, *tr).await.is_ok() {
                    allowed.insert(*tr);
                }
            }
            let Actor::Staff(s) = user else {
                unreachable!()
            };
            assert_eq!(
                listed, allowed,
                "{engine:?}: {} lists what the rules allow",
                s.display_name
            );
        }
    }
}
