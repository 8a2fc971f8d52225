//! What a granted rights request does, through HTTP on both engines: a rectification
//! keeps who, when and why and moves search and the age rules at once (RTS-5); a
//! restriction freezes a trajectory with a banner for every reader, refuses every change
//! over the web app and the API, and lifts only after the notice (RTS-7); an objection
//! is refused against consent and an upheld one freezes (RTS-9); a withdrawal of consent
//! freezes the consent-based trajectory and ends the parent's consent at once (RTS-10).

use chrono::Duration;
use serde_json::json;
use zv_core::audit_log::AuditQuery;
use zv_core::minors::AgeBand;
use zv_domain::{AuditObject, EntryContent, EntryKind, RelationKind, Role};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

use crate::api::{Api, make_token};
use crate::portal::{invite, redeem_and_enrol};

async fn signed_in(s: &TestServer, username: &str, secret: &str) -> WebClient {
    s.t.clock.advance(Duration::minutes(1));
    let c = s.client();
    c.sign_in(username, secret).await;
    c
}

fn content(title: &str) -> EntryContent {
    EntryContent {
        title: title.to_owned(),
        body: format!("Inhoud {title}"),
        progress: None,
    }
}

/// The audit objects of a client's events, as the privacy officer reads them.
async fn audited(
    s: &TestServer,
    officer: &zv_core::Actor,
    client: zv_domain::ClientId,
) -> Vec<(String, String)> {
    let page =
        s.t.app
            .audit_events(
                officer,
                &AuditQuery {
                    client: Some(client),
                    user: None,
                    from: None,
                    to: None,
                    action: None,
                    emergency_only: false,
                    before_seq: None,
                },
                500,
            )
            .await
            .unwrap();
    page.events
        .iter()
        .map(|e| {
            (
                e.event.object.code().to_owned(),
                e.event.action.code().to_owned(),
            )
        })
        .collect()
}

// promise: RTS-5
#[tokio::test]
async fn a_rectified_name_and_birth_date_keep_their_history_and_move_search_and_age_band() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, _) =
            s.t.intake(&worker, "Sanne de Vries", "2012-01-10", "amw")
                .await;
        let before = s.t.app.client_profile(&worker, client).await.unwrap();
        assert_eq!(
            s.t.app.age_band_today(before.birth_date),
            AgeBand::Consultative
        );
        let web = signed_in(&s, "hulpverlener", &secret).await;
        let page = web.get(&format!("/clienten/{client}/rechten")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Er is nog geen") || page.body.contains("geen correcties"));
        // Bad input: the field is named and what was typed stays.
        let bad = web
            .post(
                &format!("/clienten/{client}/rechten/rectificatie"),
                &[
                    ("csrf", &page.csrf()),
                    ("field", "birth_date"),
                    ("value", "2099-01-01"),
                    ("reason", "Geboortedatum verkeerd overgenomen"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{engine:?}");
        assert!(bad.body.contains("JJJJ-MM-DD"), "{}", bad.body);
        assert!(bad.body.contains("2099-01-01"));
        let short = web
            .post(
                &format!("/clienten/{client}/rechten/rectificatie"),
                &[
                    ("csrf", &page.csrf()),
                    ("field", "birth_date"),
                    ("value", "2009-06-01"),
                    ("reason", "kort"),
                ],
            )
            .await;
        assert_eq!(short.status, 422);
        assert!(short.body.contains("ten minste 10 tekens"));
        // The birth date over the web app: the age band follows at once (MIN-4).
        let done = web
            .post(
                &format!("/clienten/{client}/rechten/rectificatie"),
                &[
                    ("csrf", &page.csrf()),
                    ("field", "birth_date"),
                    ("value", "2009-06-01"),
                    (
                        "reason",
                        "Geboortedatum verkeerd overgenomen van het verwijsformulier",
                    ),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let after = s.t.app.client_profile(&worker, client).await.unwrap();
        assert_eq!(after.birth_date, zv_testkit::date("2009-06-01"));
        assert_eq!(
            s.t.app.age_band_today(after.birth_date),
            AgeBand::Independent
        );
        // The name over the API: search finds the new name, never the old.
        let token = make_token(&web, "correcties", &["read", "write"], "2026-12-31").await;
        let api = Api::new(&s, &token);
        let named = api
            .post(
                &format!("/clients/{client}/rectifications"),
                &json!({"field": "name", "value": "Sanne Jansen", "reason": "Naam na huwelijk, cliënt vroeg om correctie"}),
            )
            .await;
        assert_eq!(named.status, 201, "{}", named.text());
        let bad_api = api
            .post(
                &format!("/clients/{client}/rectifications"),
                &json!({"field": "name", "value": "Sanne Jansen", "reason": "Nogmaals dezelfde naam"}),
            )
            .await;
        assert_eq!(bad_api.status, 422);
        assert_eq!(bad_api.json["field"], "value");
        let found =
            s.t.app
                .search_clients(&worker, "Jansen", None)
                .await
                .unwrap()
                .found;
        assert_eq!(found.len(), 1, "{engine:?}");
        assert!(
            s.t.app
                .search_clients(&worker, "Vries", None)
                .await
                .unwrap()
                .found
                .is_empty()
        );
        let by_birth =
            s.t.app
                .search_clients(
                    &worker,
                    "",
                    Some(zv_domain::BirthDate::parse("2009-06-01", s.t.clock_today()).unwrap()),
                )
                .await
                .unwrap();
        assert_eq!(by_birth.found.len(), 1);
        // History: who, when, what and why, with the old values.
        let history = web.get(&format!("/clienten/{client}/rechten")).await;
        assert!(history.body.contains("Sanne de Vries"), "{}", history.body);
        assert!(history.body.contains("2012-01-10"));
        assert!(history.body.contains("Naam na huwelijk"));
        assert!(history.body.contains("Medewerker hulpverlener"));
        assert!(history.body.contains("legt nog geen verstrekkingen"));
        let listed = api.get(&format!("/clients/{client}/rectifications")).await;
        assert_eq!(listed.status, 200);
        assert_eq!(listed.json["history"].as_array().unwrap().len(), 2);
        assert_eq!(listed.json["recipients_recorded"], false);
        // The audit log holds the corrections.
        let events = audited(&s, &officer, client).await;
        assert_eq!(
            events
                .iter()
                .filter(|(o, a)| o == AuditObject::Rectification.code() && a == "create")
                .count(),
            2,
            "{events:?}"
        );
    }
}

// promise: RTS-7
#[tokio::test]
async fn a_restricted_trajectory_shows_its_banner_refuses_every_change_and_lifts_after_notice() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let (officer, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, trajectory) =
            s.t.intake(&worker, "Amal Haddad", "1984-05-06", "amw")
                .await;
        let entry =
            s.t.app
                .add_entry(
                    &worker,
                    trajectory,
                    EntryKind::ConversationReport,
                    content("Eerste gesprek"),
                    None,
                )
                .await
                .unwrap();
        let staff = signed_in(&s, "hulpverlener", &secret).await;
        let code = invite(&staff, client).await;
        let portal = s.client();
        redeem_and_enrol(&portal, &code, "amal").await;

        // The privacy officer freezes the trajectory; a bad form names its fields.
        let fg = signed_in(&s, "fg.privacy", &officer_secret).await;
        let page = fg.get(&format!("/clienten/{client}/rechten")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let bad = fg
            .post(
                &format!("/clienten/{client}/rechten/beperking"),
                &[
                    ("csrf", &page.csrf()),
                    ("ground", ""),
                    ("reason", "Cliënt betwist de juistheid van het verslag"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("Kies een grond"));
        assert!(
            bad.body
                .contains("Cliënt betwist de juistheid van het verslag")
        );
        let frozen = fg
            .post(
                &format!("/clienten/{client}/rechten/beperking"),
                &[
                    ("csrf", &page.csrf()),
                    ("trajectories", &trajectory.to_string()),
                    ("ground", "contested_accuracy"),
                    ("reason", "Cliënt betwist de juistheid van het verslag"),
                ],
            )
            .await;
        assert_eq!(frozen.status, 303, "{}", frozen.body);

        // The banner: the caseworker's dossier, a colleague's services overview, the portal.
        let staff = signed_in(&s, "hulpverlener", &secret).await;
        let dossier = staff.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(dossier.status, 200);
        assert!(
            dossier.body.contains("Verwerking beperkt sinds"),
            "{engine:?}"
        );
        assert!(dossier.body.contains("Eerste gesprek"), "still readable");
        let colleague = signed_in(&s, "collega", &colleague_secret).await;
        let overview = colleague.get(&format!("/clienten/{client}")).await;
        assert_eq!(overview.status, 200, "{}", overview.body);
        assert!(overview.body.contains("Verwerking beperkt sinds"));
        let mine = portal
            .get(&format!("/portaal/trajecten/{trajectory}"))
            .await;
        assert_eq!(mine.status, 200);
        assert!(mine.body.contains("Verwerking beperkt sinds"));

        // Every change is refused with the reason, over the web app and the API.
        let csrf = dossier.csrf();
        for (path, form) in [
            (
                format!("/trajecten/{trajectory}/items"),
                vec![
                    ("kind", "conversation_report"),
                    ("title", "Nieuw"),
                    ("body", "Nieuwe inhoud"),
                ],
            ),
            (
                format!("/items/{entry}"),
                vec![
                    ("base_version", "1"),
                    ("title", "Gewijzigd"),
                    ("body", "Anders"),
                ],
            ),
            (
                format!("/items/{entry}/voortgang"),
                vec![("progress", "50"), ("note", "Half")],
            ),
            (
                format!("/trajecten/{trajectory}/werkaantekeningen"),
                vec![("text", "Notitie")],
            ),
            (
                format!("/trajecten/{trajectory}/afsluiten"),
                vec![("closed_on", "2026-11-22")],
            ),
        ] {
            let mut form = form;
            form.push(("csrf", &csrf));
            let refused = staff.post(&path, &form).await;
            assert_ne!(refused.status / 100, 3, "{path} changed: {}", refused.body);
            assert_ne!(refused.status, 200, "{path}");
        }
        let refused = staff
            .post(
                &format!("/trajecten/{trajectory}/items"),
                &[
                    ("csrf", &csrf),
                    ("kind", "conversation_report"),
                    ("title", "Nieuw"),
                    ("body", "Nieuwe inhoud"),
                ],
            )
            .await;
        assert_eq!(refused.status, 409);
        assert!(refused.body.contains("bevroren"));
        let token = make_token(&staff, "koppeling", &["read", "write"], "2026-12-31").await;
        let api = Api::new(&s, &token);
        let added = api
            .post(
                &format!("/trajectories/{trajectory}/entries"),
                &json!({"kind": "conversation_report", "title": "Via API", "body": "Inhoud"}),
            )
            .await;
        assert_eq!(added.status, 409, "{}", added.text());
        assert_eq!(added.error(), "frozen");
        let d = s.t.app.dossier(&worker, trajectory).await.unwrap();
        assert_eq!(d.entries.len(), 1, "nothing changed");
        assert_eq!(d.entries[0].version, 1);
        assert!(!d.may.add && !d.may.edit && !d.may.close);

        // Lifting needs the notice to the client first.
        let stops =
            s.t.app
                .processing_stops_of_client(&officer, client)
                .await
                .unwrap();
        let stop = stops.stops[0].id;
        let fg = signed_in(&s, "fg.privacy", &officer_secret).await;
        let page = fg.get(&format!("/clienten/{client}/rechten")).await;
        let early = fg
            .post(
                &format!("/bevriezingen/{stop}/opheffen"),
                &[
                    ("csrf", &page.csrf()),
                    ("client", &client.to_string()),
                    ("reason", "Juistheid is nagegaan en klopt"),
                ],
            )
            .await;
        assert_eq!(early.status, 422, "{}", early.body);
        assert!(early.body.contains("Informeer de cliënt eerst"));
        let told = fg
            .post(
                &format!("/bevriezingen/{stop}/kennisgeving"),
                &[
                    ("csrf", &page.csrf()),
                    ("client", &client.to_string()),
                    ("notice_on", "2026-11-22"),
                    ("how", "letter"),
                ],
            )
            .await;
        assert_eq!(told.status, 303, "{}", told.body);
        let lifted = fg
            .post(
                &format!("/bevriezingen/{stop}/opheffen"),
                &[
                    ("csrf", &page.csrf()),
                    ("client", &client.to_string()),
                    ("reason", "Juistheid is nagegaan en klopt"),
                ],
            )
            .await;
        assert_eq!(lifted.status, 303, "{}", lifted.body);
        let dossier = staff.get(&format!("/trajecten/{trajectory}")).await;
        assert!(!dossier.body.contains("Verwerking beperkt sinds"));
        s.t.app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                content("Na opheffen"),
                None,
            )
            .await
            .unwrap();
        // The audit log holds the freeze, the notice, the lift and the refusals.
        let events = audited(&s, &officer, client).await;
        let stop_code = AuditObject::ProcessingStop.code();
        assert!(
            events.iter().any(|(o, a)| o == stop_code && a == "create"),
            "{events:?}"
        );
        assert_eq!(
            events
                .iter()
                .filter(|(o, a)| o == stop_code && a == "update")
                .count(),
            2
        );
    }
}

// promise: RTS-9
#[tokio::test]
async fn an_objection_against_consent_is_refused_and_an_upheld_one_freezes() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, _) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (officer, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, amw) =
            s.t.intake(&worker, "Bram Peters", "1980-03-03", "amw")
                .await;
        let group =
            s.t.open_trajectory(&worker, client, "groepsactiviteiten", "2026-03-01")
                .await;
        let fg = signed_in(&s, "fg.privacy", &officer_secret).await;
        let token = make_token(&fg, "bezwaar", &["read", "write"], "2026-12-31").await;
        let api = Api::new(&s, &token);
        let body = json!({
            "situation": "Cliënt wil niet dat zijn deelname bekend wordt bij de gemeente",
            "grounds": "Verantwoording aan de gemeente gebeurt anoniem",
            "outcome": "upheld",
        });
        let refused = api
            .post(&format!("/trajectories/{group}/objection-decisions"), &body)
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "trajectory");
        assert!(
            refused.json["message"]
                .as_str()
                .unwrap()
                .contains("consent")
        );
        let short = api
            .post(
                &format!("/trajectories/{amw}/objection-decisions"),
                &json!({"situation": "kort", "grounds": "Wettelijke taak van de gemeente", "outcome": "upheld"}),
            )
            .await;
        assert_eq!(short.status, 422);
        assert_eq!(short.json["field"], "situation");
        let rejected = api
            .post(
                &format!("/trajectories/{amw}/objection-decisions"),
                &json!({"situation": "Cliënt wil geen verslaglegging meer", "grounds": "Zorgplicht weegt zwaarder dan het bezwaar", "outcome": "rejected"}),
            )
            .await;
        assert_eq!(rejected.status, 201, "{}", rejected.text());
        assert!(
            s.t.app
                .dossier(&worker, amw)
                .await
                .unwrap()
                .trajectory
                .frozen
                .is_none()
        );
        let upheld = api
            .post(&format!("/trajectories/{amw}/objection-decisions"), &body)
            .await;
        assert_eq!(upheld.status, 201, "{}", upheld.text());
        let d = s.t.app.dossier(&worker, amw).await.unwrap();
        let frozen = d.trajectory.frozen.expect("an upheld objection freezes");
        assert_eq!(frozen.kind, zv_core::processing_stops::StopKind::Objection);
        let listed = api
            .get(&format!("/clients/{client}/processing-stops"))
            .await;
        assert_eq!(listed.status, 200, "{}", listed.text());
        assert_eq!(listed.json["objections"].as_array().unwrap().len(), 2);
        assert_eq!(listed.json["stops"][0]["kind"], "objection");
        let events = audited(&s, &officer, client).await;
        assert_eq!(
            events
                .iter()
                .filter(|(o, a)| o == AuditObject::ObjectionDecision.code() && a == "create")
                .count(),
            2
        );
    }
}

// promise: RTS-10
#[tokio::test]
async fn a_withdrawal_of_consent_freezes_the_consent_based_trajectory_and_ends_the_parents_consent()
{
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (officer, _) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, amw) = s.t.intake(&worker, "Daan Smit", "2009-06-01", "amw").await;
        let group =
            s.t.open_trajectory(&worker, client, "groepsactiviteiten", "2026-03-01")
                .await;
        let father =
            s.t.app
                .add_related_person(
                    &worker,
                    client,
                    zv_core::related::RelatedPersonInput {
                        relation: RelationKind::ParentWithAuthority,
                        name: zv_domain::PersonName::parse("Piet Smit").unwrap(),
                        birth_date: None,
                        phone: None,
                        email: None,
                        address: None,
                        authority_since: Some(zv_testkit::date("2009-06-01")),
                        mandate: None,
                        linked_client: None,
                    },
                )
                .await
                .unwrap();
        // The young person gives the father consent in the portal (MIN-3).
        let staff = signed_in(&s, "hulpverlener", &secret).await;
        let code = invite(&staff, client).await;
        let young = s.client();
        redeem_and_enrol(&young, &code, "daan").await;
        let consent = young.get("/portaal/toestemming").await;
        assert_eq!(consent.status, 200, "{}", consent.body);
        let given = young
            .post(
                &format!("/portaal/toestemming/{father}/geven"),
                &[("csrf", &consent.csrf())],
            )
            .await;
        assert_eq!(given.status, 303, "{}", given.body);

        // A bad date is named; then the withdrawal, registered by the caseworker.
        let page = staff.get(&format!("/clienten/{client}/rechten")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let bad = staff
            .post(
                &format!("/clienten/{client}/rechten/toestemming"),
                &[("csrf", &page.csrf()), ("withdrawn_on", "2027-01-01")],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("niet in de toekomst"));
        assert!(bad.body.contains("2027-01-01"));
        let done = staff
            .post(
                &format!("/clienten/{client}/rechten/toestemming"),
                &[("csrf", &page.csrf()), ("withdrawn_on", "2026-11-22")],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        // At once: the group trajectory is frozen, the public-task one is not, and the
        // father's consent has ended.
        let frozen =
            s.t.app
                .dossier(&worker, group)
                .await
                .unwrap()
                .trajectory
                .frozen;
        assert_eq!(
            frozen.map(|f| f.kind),
            Some(zv_core::processing_stops::StopKind::ConsentWithdrawn)
        );
        assert!(
            s.t.app
                .dossier(&worker, amw)
                .await
                .unwrap()
                .trajectory
                .frozen
                .is_none()
        );
        let consent = young.get("/portaal/toestemming").await;
        assert!(
            consent.body.contains("Geen toestemming."),
            "{}",
            consent.body
        );
        let page = staff.get(&format!("/clienten/{client}/rechten")).await;
        assert!(page.body.contains("Toestemming ingetrokken op"));
        assert!(
            page.body
                .contains("1 toestemming(en) voor ouders beëindigd"),
            "{}",
            page.body
        );
        let events = audited(&s, &officer, client).await;
        assert!(
            events
                .iter()
                .any(|(o, a)| o == AuditObject::ConsentWithdrawal.code() && a == "create"),
            "{events:?}"
        );
        assert!(
            events
                .iter()
                .any(|(o, a)| o == AuditObject::YouthConsent.code() && a == "update")
        );
    }
}
