//! Retention dates and keeping longer (RET-1, RET-2, RET-5) through HTTP on both
//! engines: LEVgroep's terms (general social work 2 years from closing, 15 with domestic
//! violence, youth care 20 years from the last change, moving with a change to the closed
//! dossier); Blijf Groep's youngest-child rule, moved by a child added later and by a
//! corrected birth date; extensions refused without a reason, outside the rule's bounds
//! and for a caseworker, and accepted for the privacy officer and the team's lead, a later
//! one superseding; holds (by hand, an open complaint, an open rights request) that keep
//! a trajectory off the sweep's work list until released; the destruction schedule with
//! what is due within the horizon and nothing beyond; bad input refused field by field in
//! Dutch with nothing changed.

use chrono::{Duration, Months, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use zv_core::requests::{Channel, NewRegisteredRequest, RequestKind, RequestScope};
use zv_domain::{EntryKind, Role, TrajectoryId};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{TestApp, date, engines};

use crate::api::{Api, conforms, make_token};
use crate::fixtures;

const REASON: &str = "Lopende procedure bij de rechtbank, stukken nodig BEWAAR-7X";

fn years(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * n)).unwrap()
}

async fn signed_in(s: &TestServer, username: &str, secret: &str) -> WebClient {
    let c = s.client();
    c.sign_in(username, secret).await;
    c
}

/// A read and write token of a signed-in browser, valid for a month from today.
async fn api_of(s: &TestServer, c: &WebClient) -> Api {
    let until = (s.t.clock_today() + Duration::days(30)).to_string();
    Api::new(
        s,
        &make_token(c, "Bewaartermijnen", &["read", "write"], &until).await,
    )
}

async fn retention(api: &Api, t: TrajectoryId) -> Value {
    let a = api.get(&format!("/trajectories/{t}/retention")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json
}

fn on(v: &Value, field: &str) -> Option<NaiveDate> {
    v[field].as_str().map(date)
}

async fn close(api: &Api, t: TrajectoryId, closed_on: &str) -> NaiveDate {
    let a = api
        .post(
            &format!("/trajectories/{t}/close"),
            &json!({"closed_on": closed_on}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    date(a.json["retention_until"].as_str().unwrap())
}

async fn attach(api: &Api, entry: zv_domain::EntryId) -> u16 {
    api.send_with(
        "post",
        &format!("/entries/{entry}/attachments"),
        Some(("application/pdf", b"%PDF-1.4 aanvulling".to_vec())),
        &[(
            "content-disposition",
            "attachment; filename=aanvulling.pdf".to_owned(),
        )],
    )
    .await
    .status
}

/// The sweep's work list on `on`, read as the sweep reads it.
async fn due(t: &TestApp, on: NaiveDate) -> Vec<TrajectoryId> {
    let store = t.store().await;
    let tx = store.read_tx().await.unwrap();
    let mut all = Vec::new();
    let mut after = None;
    // In pages of two, as a sweep walks a long list.
    loop {
        let page = zv_store::retention::due_trajectories(&tx, on, after, 2)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().copied();
        all.extend(page);
    }
    tx.commit().await.unwrap();
    all
}

async fn blocked(t: &TestApp, trajectory: TrajectoryId, on: NaiveDate) -> bool {
    let store = t.store().await;
    let tx = store.read_tx().await.unwrap();
    let b = zv_store::retention::is_blocked(&tx, trajectory, on)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    b
}

// promise: RET-1
#[tokio::test(flavor = "multi_thread")]
async fn levgroep_terms_run_from_closing_or_from_the_last_change() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let team = s.t.first_team();
        let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let today = s.t.clock_today();
        let api = api_of(&s, &signed_in(&s, "hulpverlener", &secret).await).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        // General social work: no date while open; 2 years from closing.
        let (client, amw) =
            s.t.intake(&worker, "Bram Termijn", "1980-01-01", "amw")
                .await;
        let amw_entry = fixtures::entry(
            &s,
            worker.clone(),
            amw,
            EntryKind::ConversationReport,
            "Gesprek".into(),
            "Eerste gesprek".into(),
        )
        .await;
        let open = api.get(&format!("/trajectories/{amw}/retention")).await;
        assert_eq!(open.status, 200, "{engine:?}: {}", open.text());
        conforms(&doc, "get", "/trajectories/{id}/retention", &open);
        assert_eq!(open.json["status"], "open");
        assert!(open.json["retention_until"].is_null());
        assert!(open.json["client_keep_until"].is_null());
        assert_eq!(open.json["rule"], "amw-2y");
        assert_eq!(
            open.json["may_decide"], false,
            "a caseworker reads, not decides"
        );
        let second =
            s.t.open_trajectory(&worker, client, "amw", "2026-03-01")
                .await;
        assert_eq!(close(&api, amw, &today.to_string()).await, years(today, 2));
        let closed = retention(&api, amw).await;
        assert_eq!(on(&closed, "retention_until"), Some(years(today, 2)));
        assert_eq!(closed["status"], "kept");
        // The client's own data stays while a trajectory of theirs is open...
        assert!(closed["client_keep_until"].is_null());
        // ...and then as long as the longest of them.
        close(&api, second, "2026-10-01").await;
        assert_eq!(
            on(&retention(&api, amw).await, "client_keep_until"),
            Some(years(today, 2))
        );

        // Domestic violence: 15 years.
        let (_, dv) =
            fixtures::amw_client(&s, &worker, "Dana Geweld", "1985-05-05", true, "2026-02-01")
                .await;
        assert_eq!(close(&api, dv, &today.to_string()).await, years(today, 15));
        let dv_term = retention(&api, dv).await;
        assert_eq!(dv_term["rule"], "huiselijk-geweld-15y");
        assert_eq!(on(&dv_term, "retention_until"), Some(years(today, 15)));

        // Youth care: 20 years from the last change in the dossier.
        let (_, jh) =
            s.t.intake(&worker, "Jip Jeugd", "2012-03-03", "jeugdhulp")
                .await;
        let jh_entry = fixtures::entry(
            &s,
            worker.clone(),
            jh,
            EntryKind::ConversationReport,
            "Gesprek".into(),
            "Gesprek met Jip".into(),
        )
        .await;
        assert_eq!(close(&api, jh, "2026-06-01").await, years(today, 20));
        assert_eq!(retention(&api, jh).await["rule"], "jeugdhulp-20y");

        // A year later a document is added to both closed dossiers: the youth care term
        // moves with the change, general social work keeps its term from closing.
        s.t.clock.advance(Duration::days(365));
        let later = s.t.clock_today();
        let api = api_of(&s, &signed_in(&s, "hulpverlener", &secret).await).await;
        assert_eq!(attach(&api, jh_entry).await, 201);
        assert_eq!(attach(&api, amw_entry).await, 201);
        assert_eq!(
            on(&retention(&api, jh).await, "retention_until"),
            Some(years(later, 20)),
            "{engine:?}"
        );
        assert_eq!(
            on(&retention(&api, amw).await, "retention_until"),
            Some(years(today, 2))
        );
    }
}

// promise: RET-2
#[tokio::test(flavor = "multi_thread")]
async fn blijfgroep_keeps_the_dossier_until_the_youngest_child_is_18() {
    for engine in engines() {
        let s = TestServer::start(engine, "blijfgroep").await;
        let team = s.t.first_team();
        let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let today = s.t.clock_today();
        let web = signed_in(&s, "hulpverlener", &secret).await;
        let api = api_of(&s, &web).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let (client, t) =
            s.t.intake(&worker, "Mira Opvang", "1990-02-02", "opvang")
                .await;
        let child =
            |name: &str, born: &str| json!({"relation": "child", "name": name, "birth_date": born});
        let first = api
            .post(
                &format!("/clients/{client}/related-persons"),
                &child("Noor Opvang", "2020-03-01"),
            )
            .await;
        assert_eq!(first.status, 201, "{}", first.text());
        // The child turns 18 in 2038, before the 15 years from closing end.
        assert_eq!(close(&api, t, &today.to_string()).await, years(today, 15));

        // A younger child added after closing: kept until that child is 18.
        let second = api
            .post(
                &format!("/clients/{client}/related-persons"),
                &child("Sem Opvang", "2026-01-10"),
            )
            .await;
        assert_eq!(second.status, 201, "{}", second.text());
        let second = second.json["id"].as_str().unwrap().to_owned();
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(date("2044-01-10")),
            "{engine:?}"
        );

        // Its birth date corrected: the date moves with it, both ways, and the client's
        // rectification history keeps the old and the new date and why (RTS-5).
        let path = format!("/related-persons/{second}/birth-date");
        let fix =
            |d: &str| json!({"birth_date": d, "reason": "Geboortedatum verkeerd overgenomen"});
        let corrected = api.put(&path, &fix("2026-05-20")).await;
        assert_eq!(corrected.status, 201, "{}", corrected.text());
        conforms(&doc, "put", "/related-persons/{id}/birth-date", &corrected);
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(date("2044-05-20"))
        );
        let corrected = api.put(&path, &fix("2010-05-20")).await;
        assert_eq!(corrected.status, 201, "{}", corrected.text());
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(years(today, 15))
        );
        let history = api.get(&format!("/clients/{client}/rectifications")).await;
        assert_eq!(history.status, 200, "{}", history.text());
        conforms(&doc, "get", "/clients/{id}/rectifications", &history);
        let lines = history.json["history"].as_array().unwrap();
        assert_eq!(lines.len(), 2, "{engine:?}: {lines:?}");
        assert!(lines.iter().all(|l| l["field"] == "child_birth_date"
            && l["related_person"] == second.as_str()
            && l["reason"] == "Geboortedatum verkeerd overgenomen"));
        let values: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| {
                (
                    l["old_value"].as_str().unwrap(),
                    l["new_value"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(values.contains(&("2026-01-10", "2026-05-20")), "{values:?}");
        assert!(values.contains(&("2026-05-20", "2010-05-20")), "{values:?}");

        // The same on the client page: refused field by field in Dutch, then done.
        let page = web.get(&format!("/clienten/{client}")).await;
        assert!(page.body.contains("Geboortedatum van een kind corrigeren"));
        let form = format!("/clienten/{client}/betrokkenen/geboortedatum");
        let refused = web
            .post(
                &form,
                &[
                    ("csrf", &page.csrf()),
                    ("person", &second),
                    ("birth_date", "2031-13-01"),
                    ("reason", "kort"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine:?}");
        assert!(refused.body.contains("Vul een geldige geboortedatum in."));
        assert!(
            refused
                .body
                .contains("Geef een reden van minstens 10 tekens.")
        );
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(years(today, 15))
        );
        let done = web
            .post(
                &form,
                &[
                    ("csrf", &page.csrf()),
                    ("person", &second),
                    ("birth_date", "2026-02-02"),
                    ("reason", "Kopie van het uittreksel ontvangen"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{engine:?}: {}", done.body);
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(date("2044-02-02"))
        );
        let history = web.get(&format!("/clienten/{client}/rechten")).await;
        assert!(
            history.body.contains("Geboortedatum van een kind"),
            "{engine:?}"
        );
        // Back to the date the API tests below start from.
        let reset = api.put(&path, &fix("2010-05-20")).await;
        assert_eq!(reset.status, 201, "{}", reset.text());

        // Bad input changes nothing: a date in the future, no reason, the date already
        // recorded, a person who is no child.
        let refused = api.put(&path, &fix("2031-01-01")).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "birth_date");
        let refused = api
            .put(
                &path,
                &json!({"birth_date": "2012-01-01", "reason": "fout"}),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "reason");
        let refused = api.put(&path, &fix("2010-05-20")).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.json["field"], "birth_date");
        let other = api
            .post(
                &format!("/clients/{client}/related-persons"),
                &json!({"relation": "family_member", "name": "Ayse Opvang", "birth_date": "2025-12-01"}),
            )
            .await;
        let other = other.json["id"].as_str().unwrap().to_owned();
        let refused = api
            .put(
                &format!("/related-persons/{other}/birth-date"),
                &fix("2026-09-01"),
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(
            on(&retention(&api, t).await, "retention_until"),
            Some(years(today, 15))
        );
    }
}

// promise: RET-5
#[tokio::test(flavor = "multi_thread")]
async fn keeping_longer_takes_a_reason_a_date_and_an_authorised_person() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let team = s.t.first_team();
        let other_team = s.t.app.policy().teams()[1].code.clone();
        let (worker, w_secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let (_, lead_secret) = s.staff("teamleider", Role::TeamLead, Some(&team)).await;
        let (_, other_secret) = s
            .staff("teamleider.ander", Role::TeamLead, Some(&other_team))
            .await;
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let worker_web = signed_in(&s, "hulpverlener", &w_secret).await;
        let worker_api = api_of(&s, &worker_web).await;
        let lead = api_of(&s, &signed_in(&s, "teamleider", &lead_secret).await).await;
        let other_lead = api_of(&s, &signed_in(&s, "teamleider.ander", &other_secret).await).await;
        let fg_web = signed_in(&s, "fg.privacy", &fg_secret).await;
        let fg = api_of(&s, &fg_web).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        let (_, t) =
            s.t.intake(&worker, "Kees Verlengd", "1970-01-01", "amw")
                .await;
        let (_, group) =
            s.t.intake(&worker, "Gerda Groep", "1960-01-01", "groepsactiviteiten")
                .await;
        let term = close(&worker_api, t, "2026-02-01").await;
        assert_eq!(term, date("2028-02-01"));
        close(&worker_api, group, "2026-02-01").await;
        let path = format!("/trajectories/{t}/retention/extensions");

        // Refused: by the caseworker on the case, by another team's lead (who learns
        // nothing), without a reason, not after the term, where the rule allows none.
        let a = worker_api
            .post(&path, &json!({"until": "2030-01-01", "reason": REASON}))
            .await;
        assert_eq!(a.status, 403, "{engine:?}: {}", a.text());
        let a = other_lead
            .post(&path, &json!({"until": "2030-01-01", "reason": REASON}))
            .await;
        assert_eq!(a.status, 404, "{}", a.text());
        let a = fg
            .post(&path, &json!({"until": "2030-01-01", "reason": "  "}))
            .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("reason")));
        let a = fg
            .post(&path, &json!({"until": "2028-02-01", "reason": REASON}))
            .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("until")));
        let a = fg
            .post(
                &format!("/trajectories/{group}/retention/extensions"),
                &json!({"until": "2030-01-01", "reason": REASON}),
            )
            .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("until")));
        // The form says what is wrong, field by field, in Dutch.
        let form = fg_web.get(&format!("/trajecten/{t}/bewaartermijn")).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("Bewaartermijn") && form.body.contains("amw-2y"));
        let refused = fg_web
            .post(
                &format!("/trajecten/{t}/bewaartermijn/verlenging"),
                &[
                    ("csrf", &form.csrf()),
                    ("until", "morgen"),
                    ("reason", "kort"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Geef een reden van minstens 10 tekens.")
        );
        assert!(refused.body.contains("Kies een nieuwe einddatum"));
        let refused = fg_web
            .post(
                &format!("/trajecten/{t}/bewaartermijn/blokkades"),
                &[("csrf", &form.csrf()), ("kind", ""), ("reason", "")],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("Kies een soort."));
        assert!(
            refused
                .body
                .contains("Geef een reden van minstens 10 tekens.")
        );
        let unchanged = retention(&fg, t).await;
        assert!(unchanged["extension"].is_null() && unchanged["holds"] == json!([]));
        assert_eq!(unchanged["may_decide"], true);

        // Accepted for the team's lead; the privacy officer's later one supersedes it.
        let a = lead
            .post(&path, &json!({"until": "2031-01-01", "reason": REASON}))
            .await;
        assert_eq!(a.status, 201, "{}", a.text());
        conforms(&doc, "post", "/trajectories/{id}/retention/extensions", &a);
        let a = fg
            .post(&path, &json!({"until": "2030-06-30", "reason": REASON}))
            .await;
        assert_eq!(a.status, 201, "{}", a.text());
        let v = retention(&worker_api, t).await;
        assert_eq!(v["status"], "extended");
        assert_eq!(on(&v["extension"], "until"), Some(date("2030-06-30")));
        assert_eq!(v["extension"]["decided_by_name"], "Medewerker fg.privacy");
        assert_eq!(
            on(&v["earlier_extensions"][0], "until"),
            Some(date("2031-01-01"))
        );
        assert_eq!(on(&v, "keep_until"), Some(date("2030-06-30")));
        // The client's own data follows the extension in force, not the superseded one.
        assert_eq!(on(&v, "client_keep_until"), Some(date("2030-06-30")));
        // The dossier shows it, with the reason.
        let dossier = worker_web.get(&format!("/trajecten/{t}")).await;
        assert!(
            dossier.body.contains("id=\"bewaartermijn\""),
            "{}",
            dossier.body
        );
        assert!(dossier.body.contains("Verlengd tot 2030-06-30") && dossier.body.contains(REASON));
        assert!(
            !dossier.body.contains("/bewaartermijn/verlenging"),
            "no form for a caseworker"
        );
    }
}

// promise: RET-5
#[tokio::test(flavor = "multi_thread")]
async fn holds_keep_a_dossier_off_the_sweep_and_the_schedule_shows_what_is_due() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let team = s.t.first_team();
        let (worker, w_secret) = s.staff("hulpverlener", Role::Caseworker, Some(&team)).await;
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let officer = s.t.staff("fg.register", Role::PrivacyOfficer, None).await;
        let manager = s.t.staff("manager", Role::Manager, None).await;
        let worker_api = api_of(&s, &signed_in(&s, "hulpverlener", &w_secret).await).await;
        let fg = api_of(&s, &signed_in(&s, "fg.privacy", &fg_secret).await).await;
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        // Four dossiers whose terms end on 2028-02-01 and one that ends later.
        let mut ts = Vec::new();
        let mut clients = Vec::new();
        for name in ["Anna Een", "Bert Twee", "Cor Drie", "Dirk Vier"] {
            let (c, t) = s.t.intake(&worker, name, "1970-01-01", "amw").await;
            close(&worker_api, t, "2026-02-01").await;
            clients.push(c);
            ts.push(t);
        }
        let (_, later) = s.t.intake(&worker, "Eva Later", "1970-01-01", "amw").await;
        close(&worker_api, later, "2026-11-22").await;
        let [extended, held, complained, requested] = [ts[0], ts[1], ts[2], ts[3]];
        let a = fg
            .post(
                &format!("/trajectories/{extended}/retention/extensions"),
                &json!({"until": "2029-02-01", "reason": REASON}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.text());
        let hold = fg
            .post(
                &format!("/trajectories/{held}/retention/holds"),
                &json!({"kind": "legal_claim", "reason": REASON}),
            )
            .await;
        assert_eq!(hold.status, 201, "{engine:?}: {}", hold.text());
        conforms(&doc, "post", "/trajectories/{id}/retention/holds", &hold);
        let hold = hold.json["id"].as_str().unwrap().to_owned();
        let a = fg
            .post(
                &format!("/trajectories/{held}/retention/holds"),
                &json!({"kind": "vergeten", "reason": REASON}),
            )
            .await;
        assert_eq!((a.status, a.json["field"].as_str()), (422, Some("kind")));
        let a = worker_api
            .post(
                &format!("/trajectories/{held}/retention/holds"),
                &json!({"kind": "incident", "reason": REASON}),
            )
            .await;
        assert_eq!(a.status, 403, "a caseworker places no hold: {}", a.text());
        let today = s.t.clock_today();
        let complaint =
            s.t.app
                .register_complaint(&manager, complained, today, "email", "Klacht", today)
                .await
                .unwrap();
        s.t.app
            .register_rights_request(
                &officer,
                NewRegisteredRequest {
                    client: clients[3],
                    kind: RequestKind::Access,
                    scope: RequestScope::All,
                    channel: Channel::Letter,
                    received_on: today,
                    text: String::new(),
                    filed_by: None,
                },
            )
            .await
            .unwrap();

        // Past the term: only what nothing holds is on the sweep's list.
        s.t.clock
            .set(Utc.with_ymd_and_hms(2028, 2, 10, 10, 0, 0).unwrap());
        let day = s.t.clock_today();
        let fg_web = signed_in(&s, "fg.privacy", &fg_secret).await;
        let fg = api_of(&s, &fg_web).await;
        assert_eq!(
            due(&s.t, day).await,
            Vec::<TrajectoryId>::new(),
            "{engine:?}"
        );
        for t in [extended, held, complained, requested, later] {
            assert!(blocked(&s.t, t, day).await, "{t}");
        }
        let v = retention(&fg, requested).await;
        assert_eq!(
            (v["status"].as_str(), v["open_request"].as_bool()),
            (Some("held"), Some(true))
        );
        let v = retention(&fg, complained).await;
        assert_eq!(
            (v["status"].as_str(), v["open_complaint"].as_bool()),
            (Some("held"), Some(true))
        );

        // The schedule: what ends by 2028-03-11 (30 days), held and why; not the
        // extended one, not the one that ends later; no names.
        let schedule = fg.get("/retention/schedule").await;
        assert_eq!(schedule.status, 200, "{}", schedule.text());
        conforms(&doc, "get", "/retention/schedule", &schedule);
        assert_eq!(schedule.json["until"], "2028-03-11");
        let lines = schedule.json["lines"].as_array().unwrap();
        let listed: Vec<&str> = lines
            .iter()
            .map(|l| l["trajectory"].as_str().unwrap())
            .collect();
        let mut expected = vec![
            held.to_string(),
            complained.to_string(),
            requested.to_string(),
        ];
        expected.sort();
        let mut got: Vec<String> = listed.iter().map(|s| (*s).to_owned()).collect();
        got.sort();
        assert_eq!(got, expected);
        let line = |t: TrajectoryId| {
            lines
                .iter()
                .find(|l| l["trajectory"] == t.to_string())
                .unwrap()
                .clone()
        };
        assert_eq!(line(held)["held_by"], json!(["legal_claim"]));
        assert_eq!(line(held)["hold_reasons"], json!([REASON]));
        assert_eq!(line(complained)["held_by"], json!(["complaint"]));
        assert_eq!(line(requested)["held_by"], json!(["rights_request"]));
        assert_eq!(line(held)["rule"], "amw-2y");
        let page = fg_web.get("/privacy/bewaartermijnen").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains(&held.to_string()) && page.body.contains("Juridische claim"));
        assert!(
            !page.body.contains(&later.to_string()) && !page.body.contains(&extended.to_string())
        );
        // Full names: a first name alone is part of ordinary words ("Cor" of the menu's
        // "Correspondentie").
        for name in [
            "Anna Een",
            "Bert Twee",
            "Cor Drie",
            "Dirk Vier",
            "Eva Later",
        ] {
            assert!(!page.body.contains(name) && !schedule.text().contains(name));
        }
        let start = fg_web.get("/").await;
        assert!(
            start
                .body
                .contains("Bewaartermijnen: 3 lopen binnenkort af"),
            "{}",
            start.body
        );
        let worker_api = api_of(&s, &signed_in(&s, "hulpverlener", &w_secret).await).await;
        assert_eq!(worker_api.get("/retention/schedule").await.status, 403);

        // Releasing the hold and closing the complaint bring them back; the request still
        // holds.
        let released = fg
            .post(&format!("/retention/holds/{hold}/release"), &json!({}))
            .await;
        assert_eq!(released.status, 204, "{}", released.text());
        let again = fg
            .post(&format!("/retention/holds/{hold}/release"), &json!({}))
            .await;
        assert_eq!(again.status, 409);
        s.t.app.close_complaint(&manager, complaint).await.unwrap();
        let mut expected = vec![held, complained];
        expected.sort_by_key(|t| t.as_uuid());
        assert_eq!(due(&s.t, day).await, expected, "{engine:?}");
        assert!(!blocked(&s.t, held, day).await);
        assert!(blocked(&s.t, requested, day).await);
        let v = retention(&fg, held).await;
        assert_eq!(v["status"], "due");
        assert!(v["holds"][0]["released_at"].is_string());
        assert_eq!(v["holds"][0]["released_by_name"], "Medewerker fg.privacy");
        // The extension ends: then it is due too.
        assert!(due(&s.t, date("2029-02-02")).await.contains(&extended));
    }
}
