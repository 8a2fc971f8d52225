//! Parents and representatives file rights requests and complaints in the portal for a
//! client they read for (RTS-1, MIN-1..4), through HTTP on both engines, with "today"
//! moved by the app's clock. Who may file for whom, decided by the rules on the day:
//!
//! | filer                                   | client               | day        | files |
//! |-----------------------------------------|----------------------|------------|-------|
//! | Eva, parent with authority              | Noor, 9              | 2026-11-22 | yes   |
//! | Piet, parent with authority             | Daan, 17, no consent | 2026-11-22 | 404   |
//! | Piet, after Daan's consent              | Daan, 17             | 2026-11-22 | yes   |
//! | Mr. Bos, curator, mandate whole dossier | Henk, 76             | 2026-11-22 | yes   |
//! | Mw. Kok, mentor, mandate on T1 only     | Henk: all / T1 / T2  | 2026-11-22 | 404 / yes / 404 |
//! | Mr. Bos, the day after the mandate ends | Henk, 76             | 2027-01-01 | 404   |
//! | Eva, not linked                         | Daan                 | 2026-11-22 | 404   |
//!
//! A refusal stores nothing. Each account sees only what it filed itself; the client sees
//! a parent's filing about them, marked, without the parent's name; the decision letter
//! is addressed to the parent "on behalf of" the child; staff register a request "filed
//! by" a parent from the client's page.

use crate::fixtures::{get_file, pdf_text};
use crate::portal_minors::{enrol, invite_related};
use chrono::Duration;
use zv_core::Actor;
use zv_core::clients::NewClientInput;
use zv_core::minors::MandateInput;
use zv_core::related::RelatedPersonInput;
use zv_core::requests::{Outcome, OutcomeInput};
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{
    BirthDate, ClientId, Gender, PersonName, RelatedPersonId, RelationKind, Role, TrajectoryId,
};
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{date, engines};

/// 10:00 in Amsterdam on a day.
fn at(s: &TestServer, day: &str) {
    s.t.clock
        .set(zv_domain::clock::start_of_local_day(date(day)) + Duration::hours(10));
}

/// The worker invites the client themselves: the one-time code.
async fn invite_client(staff: &WebClient, client: ClientId) -> String {
    let page = staff.get(&format!("/clienten/{client}")).await;
    let made = staff
        .post(
            &format!("/clienten/{client}/portaal/uitnodiging"),
            &[("csrf", &page.csrf())],
        )
        .await;
    made.body
        .split("id=\"invitation-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_else(|| panic!("no code: {}", made.body))
        .to_owned()
}

async fn client(
    s: &TestServer,
    worker: &Actor,
    name: &str,
    birth: &str,
) -> (ClientId, TrajectoryId) {
    let today = s.t.clock_today();
    s.t.app
        .register_client(
            worker,
            NewClientInput {
                branch: s.t.app.policy().branches()[0].code.clone(),
                name: PersonName::parse(name).unwrap(),
                birth_date: BirthDate::parse(birth, today).unwrap(),
                gender: Gender::Unknown,
                address: None,
                phone: None,
                email: None,
                confidential_address: false,
            },
            TrajectoryInput {
                service_type: "amw".to_owned(),
                team: s.t.first_team(),
                domestic_violence: false,
                opened_on: date("2026-02-01"),
                municipality: None,
            },
        )
        .await
        .unwrap()
}

async fn related(
    s: &TestServer,
    worker: &Actor,
    client: ClientId,
    relation: RelationKind,
    name: &str,
    authority_since: Option<&str>,
) -> RelatedPersonId {
    s.t.app
        .add_related_person(
            worker,
            client,
            RelatedPersonInput {
                relation,
                name: PersonName::parse(name).unwrap(),
                birth_date: None,
                phone: None,
                email: None,
                address: None,
                authority_since: authority_since.map(date),
                mandate: (relation == RelationKind::LegalRepresentative)
                    .then(|| "Curatele: financiën en zorg".to_owned()),
                linked_client: None,
            },
        )
        .await
        .unwrap()
}

/// Files a request in the portal for `client` (empty: the account's own) about everything
/// (`scope` empty) or the given trajectories.
async fn file(p: &WebClient, client: &str, kind: &str, scope: &[TrajectoryId]) -> Page {
    let form = p.get("/portaal/verzoeken").await;
    let ids: Vec<String> = scope.iter().map(ToString::to_string).collect();
    let csrf = form.csrf();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("client", client),
        ("kind", kind),
        (
            "scope",
            if scope.is_empty() {
                "all"
            } else {
                "trajectories"
            },
        ),
        ("text", "Graag alles wat over mijn kind is vastgelegd."),
    ];
    for id in &ids {
        fields.push(("trajectories", id.as_str()));
    }
    p.post("/portaal/verzoeken", &fields).await
}

/// The reference a filing was acknowledged with.
fn reference_of(filed: &Page) -> String {
    let location = filed.location().unwrap_or_else(|| panic!("{}", filed.body));
    location
        .split("kenmerk=")
        .nth(1)
        .and_then(|r| r.split('#').next())
        .unwrap()
        .to_owned()
}

// promise: RTS-1
// promise: MIN-1
// promise: MIN-3
// promise: MIN-4
#[tokio::test(flavor = "multi_thread")]
async fn parents_and_representatives_file_for_whom_the_rules_allow_on_the_day() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (w, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let officer = s.t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (noor, _) = client(&s, &w, "Noor Jansen", "2017-06-01").await;
        let (daan, _) = client(&s, &w, "Daan Smit", "2009-06-01").await;
        let (henk, t1) = client(&s, &w, "Henk Visser", "1950-01-01").await;
        let t2 = s.t.open_trajectory(&w, henk, "amw", "2026-03-01").await;
        let eva_person = related(
            &s,
            &w,
            noor,
            RelationKind::ParentWithAuthority,
            "Eva Jansen",
            Some("2017-06-01"),
        )
        .await;
        let piet_person = related(
            &s,
            &w,
            daan,
            RelationKind::ParentWithAuthority,
            "Piet Smit",
            Some("2009-06-01"),
        )
        .await;
        let bos_person = related(
            &s,
            &w,
            henk,
            RelationKind::LegalRepresentative,
            "Mr. Bos",
            None,
        )
        .await;
        let kok_person = related(
            &s,
            &w,
            henk,
            RelationKind::LegalRepresentative,
            "Mw. Kok",
            None,
        )
        .await;
        s.t.app
            .record_mandate(
                &w,
                bos_person,
                MandateInput {
                    whole_dossier: true,
                    trajectories: Vec::new(),
                    ends_on: date("2026-12-31"),
                },
            )
            .await
            .unwrap();
        s.t.app
            .record_mandate(
                &w,
                kok_person,
                MandateInput {
                    whole_dossier: false,
                    trajectories: vec![t1],
                    ends_on: date("2026-12-31"),
                },
            )
            .await
            .unwrap();

        at(&s, "2026-11-22");
        s.t.clock.advance(Duration::minutes(1));
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let eva = enrol(&s, &invite_related(&staff, noor, eva_person).await, "eva").await;
        let piet = enrol(&s, &invite_related(&staff, daan, piet_person).await, "piet").await;
        let bos = enrol(&s, &invite_related(&staff, henk, bos_person).await, "bos").await;
        let kok = enrol(&s, &invite_related(&staff, henk, kok_person).await, "kok").await;
        let daan_own = enrol(&s, &invite_client(&staff, daan).await, "daan").await;

        let refused = |what: &'static str| {
            move |page: Page| {
                assert_eq!(page.status, 404, "{what} {engine:?}: {}", page.body);
            }
        };
        let count = || async { s.t.app.count_filings().await.unwrap() };

        // The parent of a nine-year-old files (MIN-1): the page offers the child, the
        // request is acknowledged with its reference.
        let e = eva.web(&s).await;
        let page = e.get("/portaal/verzoeken").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("Voor wie dient u het in?"),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("value=\"{noor}\"")));
        assert!(!page.body.contains(&format!("value=\"{daan}\"")));
        let filed = file(&e, &noor.to_string(), "copy", &[]).await;
        assert_eq!(filed.status, 303, "{engine:?} {}", filed.body);
        let eva_ref = reference_of(&filed);
        let acknowledged = e.get(filed.location().unwrap()).await;
        assert!(acknowledged.body.contains(&eva_ref));
        assert!(acknowledged.body.contains("Noor Jansen"));

        // A complaint too.
        let form = e.get("/portaal/verzoeken").await;
        let complained = e
            .post(
                "/portaal/klachten",
                &[
                    ("csrf", &form.csrf()),
                    ("client", &noor.to_string()),
                    ("subject", "Bejegening"),
                    ("text", "De afspraak werd twee keer verzet."),
                ],
            )
            .await;
        assert_eq!(complained.status, 303, "{}", complained.body);

        // A client the parent is not linked to: not found, nothing stored; a form
        // without a choice keeps what was typed and names the field.
        let before = count().await;
        refused("not linked")(file(&e, &daan.to_string(), "access", &[]).await);
        refused("not linked, chosen trajectory")(
            file(&e, &henk.to_string(), "access", &[t1]).await,
        );
        let form = e.get("/portaal/verzoeken").await;
        let forged = e
            .post(
                "/portaal/klachten",
                &[
                    ("csrf", &form.csrf()),
                    ("client", &daan.to_string()),
                    ("subject", "Iets"),
                    ("text", "Iets anders."),
                ],
            )
            .await;
        refused("complaint, not linked")(forged);
        let unchosen = file(&e, "", "access", &[]).await;
        assert_eq!(unchosen.status, 422, "{}", unchosen.body);
        assert!(unchosen.body.contains("Kies voor wie u dit indient."));
        assert!(unchosen.body.contains("Graag alles wat over mijn kind"));
        assert_eq!(count().await, before, "{engine:?}");

        // A parent of a 17-year-old without consent: not found (MIN-3), nothing stored.
        let p = piet.web(&s).await;
        let page = p.get("/portaal/verzoeken").await;
        assert!(
            page.body.contains("U kunt op dit moment voor niemand"),
            "{}",
            page.body
        );
        refused("17 without consent")(file(&p, &daan.to_string(), "access", &[]).await);
        assert_eq!(count().await, before, "{engine:?}");
        // The young person consents; the parent files at once.
        let d = daan_own.web(&s).await;
        let consent = d.get("/portaal/toestemming").await;
        let given = d
            .post(
                &format!("/portaal/toestemming/{piet_person}/geven"),
                &[("csrf", &consent.csrf())],
            )
            .await;
        assert_eq!(given.status, 303, "{}", given.body);
        let filed = file(&p, &daan.to_string(), "erasure", &[]).await;
        assert_eq!(filed.status, 303, "with consent {engine:?}: {}", filed.body);
        let piet_ref = reference_of(&filed);
        // Daan files one himself.
        let own = file(&d, "", "access", &[]).await;
        assert_eq!(own.status, 303, "{}", own.body);
        let daan_ref = reference_of(&own);

        // A curator within a running mandate over the whole dossier (MIN-4).
        let b = bos.web(&s).await;
        let filed = file(&b, &henk.to_string(), "objection", &[]).await;
        assert_eq!(filed.status, 303, "mandate {engine:?}: {}", filed.body);
        // A mentor whose mandate names one trajectory: about that one only.
        let k = kok.web(&s).await;
        refused("mandate on T1, all")(file(&k, &henk.to_string(), "access", &[]).await);
        refused("mandate on T1, T2")(file(&k, &henk.to_string(), "access", &[t2]).await);
        let filed = file(&k, &henk.to_string(), "access", &[t1]).await;
        assert_eq!(filed.status, 303, "mandate T1 {engine:?}: {}", filed.body);

        // Lists: each account sees only what it filed; the client sees the parent's
        // filing about them, marked, without the parent's name.
        let piet_list = p.get("/portaal/verzoeken").await;
        assert!(piet_list.body.contains(&piet_ref), "{}", piet_list.body);
        assert!(!piet_list.body.contains(&daan_ref), "{}", piet_list.body);
        assert!(!piet_list.body.contains(&eva_ref));
        let eva_list = e.get("/portaal/verzoeken").await;
        assert!(eva_list.body.contains(&eva_ref));
        assert!(!eva_list.body.contains(&piet_ref) && !eva_list.body.contains(&daan_ref));
        let daan_list = d.get("/portaal/verzoeken").await;
        assert!(daan_list.body.contains(&daan_ref) && daan_list.body.contains(&piet_ref));
        assert!(
            daan_list
                .body
                .contains("ingediend door uw ouder/vertegenwoordiger"),
            "{}",
            daan_list.body
        );
        assert!(!daan_list.body.contains("Piet Smit"), "{}", daan_list.body);

        // The letter answers the parent, on behalf of the child.
        let requests = s.t.app.filed_requests(&officer).await.unwrap();
        let eva_id = requests
            .iter()
            .find(|l| l.reference == eva_ref)
            .map(|l| l.id)
            .unwrap();
        s.t.app
            .decide_request(
                &officer,
                eva_id,
                OutcomeInput {
                    outcome: Outcome::Granted,
                    reasons: String::new(),
                    answer_sent_on: date("2026-11-22"),
                },
            )
            .await
            .unwrap();
        // The privacy officer (and the API's request detail) sees who filed: a related
        // person, or the client.
        let officer_view = s.t.app.filed_request(&officer, eva_id).await.unwrap();
        assert!(officer_view.detail.line.filed_by_related_person);
        let daan_id = requests
            .iter()
            .find(|l| l.reference == daan_ref)
            .map(|l| l.id)
            .unwrap();
        let officer_view = s.t.app.filed_request(&officer, daan_id).await.unwrap();
        assert!(!officer_view.detail.line.filed_by_related_person);
        let eva_list = e.get("/portaal/verzoeken").await;
        assert!(
            eva_list
                .body
                .contains(&format!("/portaal/verzoeken/{eva_id}/besluitbrief?taal=nl")),
            "{}",
            eva_list.body
        );
        let (status, _, bytes) = get_file(
            &e,
            &format!("/portaal/verzoeken/{eva_id}/besluitbrief?taal=nl"),
        )
        .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let letter = pdf_text(&bytes);
        assert!(letter.contains("Geachte Eva Jansen"), "{letter}");
        assert!(letter.contains("Namens Noor Jansen"), "{letter}");
        let (status, _, bytes) = get_file(
            &e,
            &format!("/portaal/verzoeken/{eva_id}/besluitbrief?taal=en"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(pdf_text(&bytes).contains("On behalf of Noor Jansen"));
        // Another account never gets it.
        let (status, _, _) = get_file(
            &p,
            &format!("/portaal/verzoeken/{eva_id}/besluitbrief?taal=nl"),
        )
        .await;
        assert_eq!(status, 404);

        // The day after the mandate ends: nothing more (MIN-4), nothing stored.
        at(&s, "2027-01-01");
        let b = bos.web(&s).await;
        let before = count().await;
        refused("mandate ended")(file(&b, &henk.to_string(), "access", &[]).await);
        assert_eq!(count().await, before, "{engine:?}");
    }
}

// promise: RTS-1
#[tokio::test(flavor = "multi_thread")]
async fn staff_register_a_request_filed_by_a_parent_from_the_clients_page() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (w, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (noor, _) = client(&s, &w, "Noor Jansen", "2017-06-01").await;
        let (daan, _) = client(&s, &w, "Daan Smit", "2009-06-01").await;
        let eva_person = related(
            &s,
            &w,
            noor,
            RelationKind::ParentWithAuthority,
            "Eva Jansen",
            Some("2017-06-01"),
        )
        .await;
        let piet_person = related(
            &s,
            &w,
            daan,
            RelationKind::ParentWithAuthority,
            "Piet Smit",
            Some("2009-06-01"),
        )
        .await;
        at(&s, "2026-11-22");
        s.t.clock.advance(Duration::minutes(1));
        let staff = s.client();
        staff.sign_in("hulpverlener", &secret).await;
        let eva = enrol(&s, &invite_related(&staff, noor, eva_person).await, "eva").await;
        enrol(&s, &invite_related(&staff, daan, piet_person).await, "piet").await;

        let path = format!("/clienten/{noor}/verzoeken/nieuw");
        let form = staff.get(&path).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("Ingediend door"), "{}", form.body);
        assert!(form.body.contains(&format!("value=\"{eva_person}\"")));
        assert!(form.body.contains("Eva Jansen"));
        assert!(!form.body.contains(&format!("value=\"{piet_person}\"")));
        let post = |filed_by: String| {
            let staff = &staff;
            let path = &path;
            let csrf = form.csrf();
            async move {
                staff
                    .post(
                        path,
                        &[
                            ("csrf", csrf.as_str()),
                            ("channel", "letter"),
                            ("received_on", "2026-11-20"),
                            ("kind", "access"),
                            ("scope", "all"),
                            ("filed_by", filed_by.as_str()),
                            ("text", "Per brief van moeder."),
                        ],
                    )
                    .await
            }
        };
        let before = s.t.app.count_filings().await.unwrap();
        // Garbage, and a parent of another client: the field is named, the input kept,
        // nothing stored.
        for wrong in ["iemand".to_owned(), piet_person.to_string()] {
            let refused = post(wrong).await;
            assert_eq!(refused.status, 422, "{engine:?} {}", refused.body);
            assert!(
                refused
                    .body
                    .contains("Kies een ouder of vertegenwoordiger die voor deze cliënt meeleest"),
                "{}",
                refused.body
            );
            assert!(refused.body.contains("Per brief van moeder."));
        }
        assert_eq!(s.t.app.count_filings().await.unwrap(), before);
        let done = post(eva_person.to_string()).await;
        assert_eq!(done.status, 303, "{engine:?} {}", done.body);
        let reference = done
            .location()
            .and_then(|l| l.split("kenmerk=").nth(1))
            .unwrap()
            .to_owned();
        // The request carries the parent's account: it is on her list.
        let e = eva.web(&s).await;
        let list = e.get("/portaal/verzoeken").await;
        assert!(list.body.contains(&reference), "{}", list.body);
    }
}
