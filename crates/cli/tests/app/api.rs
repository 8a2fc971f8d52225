//! The JSON API under `/api/v1` through HTTP, on both engines: tokens made and revoked in
//! the web app, the same gate and audit log as the web pages, scopes, expiry, and an
//! OpenAPI document that lists every route and describes what the routes answer.

use chrono::Duration;
use serde_json::{Value, json};
use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_domain::{AuditAction, AuditObject, ClientId, Role};
use zv_testkit::engines;
use zv_testkit::web::{TestServer, WebClient};

/// Every operation of the API, as (method, path below `/api/v1`).
/// The operations anyone may call without a token: the privacy statement's versions.
const PUBLIC: [&str; 3] = ["/statements", "/statement", "/statements/diff"];

const ROUTES: [(&str, &str); 200] = [
    ("get", "/openapi.json"),
    ("get", "/me"),
    ("get", "/caseload"),
    ("post", "/clients"),
    ("post", "/clients/search"),
    ("get", "/clients/{id}"),
    ("post", "/clients/{id}/bsn/reveal"),
    ("post", "/clients/{id}/bsn"),
    ("get", "/clients/{id}/related-persons"),
    ("post", "/clients/{id}/related-persons"),
    ("get", "/clients/{id}/statement-receipts"),
    ("post", "/clients/{id}/statement-receipts"),
    ("get", "/clients/{id}/portal"),
    ("post", "/clients/{id}/portal/invitations"),
    ("post", "/clients/{id}/portal/revoke"),
    ("post", "/clients/{id}/trajectories"),
    ("get", "/trajectories/{id}"),
    ("post", "/trajectories/{id}/entries"),
    ("get", "/trajectories/{id}/work-notes"),
    ("post", "/trajectories/{id}/work-notes"),
    ("post", "/trajectories/{id}/close"),
    ("post", "/trajectories/{id}/workers"),
    ("post", "/trajectories/{id}/workers/remove"),
    ("post", "/trajectories/{id}/emergency-access"),
    ("post", "/trajectories/{id}/complaints"),
    ("get", "/entries/{id}"),
    ("put", "/entries/{id}"),
    ("get", "/entries/{id}/history"),
    ("post", "/entries/{id}/progress"),
    ("post", "/entries/{id}/attachments"),
    ("get", "/attachments/{id}"),
    ("get", "/work-notes/{id}"),
    ("get", "/complaints"),
    ("post", "/complaints/{id}/close"),
    ("get", "/complaints/overview"),
    ("get", "/complaints/{id}"),
    ("post", "/complaints/{id}/assign"),
    ("post", "/complaints/{id}/steps"),
    ("post", "/complaints/{id}/decision"),
    ("get", "/complaints/{id}/letter"),
    ("get", "/grants"),
    ("post", "/grants/substitutes"),
    ("post", "/grants/quality-reviews"),
    ("post", "/grants/{id}/end"),
    ("get", "/grants/register"),
    ("post", "/grants/{id}/review"),
    ("get", "/audit"),
    ("get", "/users"),
    ("get", "/trajectories/{id}/withholdings"),
    ("post", "/entries/{id}/withholdings"),
    ("post", "/withholdings/{id}/lift"),
    ("get", "/withholdings"),
    ("get", "/withholdings/{id}"),
    ("post", "/withholdings/{id}/review"),
    ("get", "/requests"),
    ("get", "/requests/{id}"),
    ("get", "/requests/{id}/access-copy"),
    ("post", "/requests/{id}/access-copy"),
    ("post", "/requests/{id}/access-copy/releases"),
    ("post", "/requests/{id}/access-copy/withdrawals"),
    ("get", "/requests/{id}/portability"),
    ("post", "/requests/{id}/portability"),
    ("post", "/requests/{id}/portability/transfers"),
    ("post", "/requests/{id}/portability/decision"),
    ("get", "/clients/{id}/related-persons/portal"),
    ("get", "/clients/{id}/parent-blocks"),
    ("post", "/related-persons/{id}/portal/invitations"),
    ("post", "/related-persons/{id}/portal/revoke"),
    ("post", "/related-persons/{id}/parent-block"),
    ("post", "/related-persons/{id}/parent-block/lift"),
    ("put", "/related-persons/{id}/mandate"),
    ("get", "/parent-blocks"),
    ("get", "/clients/{id}/rectifications"),
    ("post", "/clients/{id}/rectifications"),
    ("get", "/clients/{id}/processing-stops"),
    ("post", "/clients/{id}/restrictions"),
    ("post", "/processing-stops/{id}/notice"),
    ("post", "/processing-stops/{id}/lift"),
    ("post", "/trajectories/{id}/objection-decisions"),
    ("post", "/clients/{id}/consent-withdrawals"),
    ("get", "/request-queue"),
    ("get", "/requests/{id}/handling"),
    ("post", "/clients/{id}/requests"),
    ("post", "/requests/{id}/identity"),
    ("post", "/requests/{id}/reaction"),
    ("post", "/requests/{id}/extension"),
    ("post", "/requests/{id}/outcome"),
    ("get", "/requests/{id}/decision-letter"),
    ("get", "/requests/{id}/erasure"),
    ("post", "/requests/{id}/erasure"),
    ("post", "/requests/{id}/erasure/client-record"),
    ("get", "/trajectories/{id}/meldcode"),
    ("post", "/trajectories/{id}/meldcode/signals"),
    ("post", "/trajectories/{id}/meldcode/consultations"),
    ("post", "/trajectories/{id}/meldcode/conversation"),
    ("post", "/trajectories/{id}/meldcode/answers"),
    ("post", "/trajectories/{id}/meldcode/decision"),
    ("get", "/clients/{id}/consents"),
    ("post", "/clients/{id}/consents"),
    ("post", "/consents/{id}/withdraw"),
    ("get", "/recipients"),
    ("post", "/recipients"),
    ("get", "/recipients/{id}"),
    ("put", "/recipients/{id}"),
    ("post", "/recipients/{id}/retire"),
    ("post", "/recipients/{id}/agreements"),
    ("get", "/trajectories/{id}/disclosures"),
    ("post", "/trajectories/{id}/disclosures"),
    ("get", "/disclosures/{id}"),
    ("get", "/disclosures/{id}/pdf"),
    ("get", "/disclosures/{id}/json"),
    ("get", "/disclosures/{id}/letter"),
    ("post", "/disclosures/{id}/notice"),
    ("post", "/disclosures/{id}/review"),
    ("get", "/disclosure-queue"),
    ("get", "/retention/schedule"),
    ("get", "/trajectories/{id}/retention"),
    ("post", "/trajectories/{id}/retention/extensions"),
    ("post", "/trajectories/{id}/retention/holds"),
    ("post", "/retention/holds/{id}/release"),
    ("put", "/related-persons/{id}/birth-date"),
    ("get", "/destructions"),
    ("get", "/destructions.csv"),
    ("get", "/destructions.pdf"),
    ("get", "/newsletter-contacts"),
    ("post", "/newsletter-contacts"),
    ("post", "/newsletter-contacts/{id}/unsubscribe"),
    ("get", "/newsletter-mailing.csv"),
    ("get", "/cameras"),
    ("post", "/cameras"),
    ("get", "/cameras/{id}"),
    ("post", "/cameras/{id}/holds"),
    ("post", "/camera-holds/{id}/release"),
    ("get", "/camera-recordings/{id}"),
    ("get", "/activities"),
    ("post", "/activities"),
    ("get", "/activities/{id}"),
    ("put", "/activities/{id}"),
    ("put", "/activities/{id}/photo-notice"),
    ("post", "/activities/{id}/sessions"),
    ("put", "/activity-sessions/{id}/attendance"),
    ("post", "/activities/{id}/participants"),
    ("put", "/activity-participants/{id}"),
    ("post", "/activity-participants/{id}/consents"),
    ("post", "/activity-consents/{id}/withdraw"),
    ("post", "/activities/{id}/media"),
    ("put", "/activity-media/{id}/tags"),
    ("post", "/activity-media/{id}/publish"),
    ("post", "/activity-media/{id}/taken-down"),
    ("get", "/activity-media/{id}/content"),
    ("get", "/correspondence"),
    ("post", "/correspondence"),
    ("get", "/correspondence/{id}"),
    ("put", "/correspondence/{id}"),
    ("post", "/correspondence/{id}/handled"),
    ("post", "/correspondence/{id}/reopen"),
    ("get", "/breaches"),
    ("post", "/breaches"),
    ("get", "/breach-reports"),
    ("get", "/breaches/{id}"),
    ("put", "/breaches/{id}"),
    ("post", "/breaches/{id}/decision"),
    ("post", "/breaches/{id}/notified"),
    ("post", "/breaches/{id}/informed"),
    ("post", "/breaches/{id}/close"),
    ("get", "/breaches/{id}/notification.pdf"),
    ("get", "/vacancies"),
    ("post", "/vacancies"),
    ("get", "/vacancies/{id}"),
    ("post", "/vacancies/{id}/procedure-ended"),
    ("post", "/vacancies/{id}/applicants"),
    ("get", "/applicants/{id}"),
    ("post", "/applicants/{id}/portfolio"),
    ("post", "/applicants/{id}/portfolio/withdraw"),
    ("post", "/applicants/{id}/files"),
    ("get", "/staff-records"),
    ("post", "/staff-records"),
    ("get", "/staff-records/{id}"),
    ("post", "/staff-records/{id}/leaving"),
    ("post", "/staff-records/{id}/files"),
    ("get", "/financial-records"),
    ("post", "/financial-records"),
    ("get", "/financial-records/{id}"),
    ("post", "/financial-records/{id}/files"),
    ("get", "/record-files/{id}/content"),
    ("get", "/processing-register"),
    ("get", "/processing-register.csv"),
    ("get", "/processing-register.pdf"),
    ("get", "/reports"),
    ("get", "/reports/releases"),
    ("post", "/reports/releases"),
    ("get", "/reports/releases/{id}"),
    ("get", "/reports/releases/{id}/csv"),
    ("get", "/reports/releases/{id}/pdf"),
    ("get", "/training-export"),
    ("get", "/training-export.csv"),
    ("get", "/statements"),
    ("post", "/statements"),
    ("get", "/statement"),
    ("get", "/statements/diff"),
];

/// One answer of the API.
pub(crate) struct Answer {
    pub(crate) status: u16,
    headers: reqwest::header::HeaderMap,
    pub(crate) json: Value,
    pub(crate) bytes: Vec<u8>,
}

impl Answer {
    pub(crate) fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or_default()
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// A client of the API with one token (or none).
pub(crate) struct Api {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    pub(crate) fn new(s: &TestServer, token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
            ..Self::anonymous(s)
        }
    }

    pub(crate) fn anonymous(s: &TestServer) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/api/v1", s.base),
            token: None,
        }
    }

    async fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Answer {
        self.send_with(method, path, body, &[]).await
    }

    pub(crate) async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(&str, String)],
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        if let Some((content_type, bytes)) = body {
            if !content_type.is_empty() {
                req = req.header("content-type", content_type);
            }
            req = req.body(bytes);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap().to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            json,
            bytes,
        }
    }

    /// A file as the body, its name in `Content-Disposition` (never in the URL).
    pub(crate) async fn upload(
        &self,
        path: &str,
        media_type: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Answer {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.send_with(
            "post",
            path,
            Some((media_type, bytes)),
            &[(
                "content-disposition",
                format!("attachment; filename*=UTF-8''{encoded}"),
            )],
        )
        .await
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        self.send("get", path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(
            "post",
            path,
            Some(("application/json", serde_json::to_vec(body).unwrap())),
        )
        .await
    }

    pub(crate) async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(
            "put",
            path,
            Some(("application/json", serde_json::to_vec(body).unwrap())),
        )
        .await
    }
}

/// Makes a token on `/api-sleutels` as a person does, and reads it off the page.
pub(crate) async fn make_token(
    c: &WebClient,
    name: &str,
    scopes: &[&str],
    expires_on: &str,
) -> String {
    let page = c.get("/api-sleutels").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form = vec![
        ("csrf".to_owned(), page.csrf()),
        ("name".to_owned(), name.to_owned()),
        ("expires_on".to_owned(), expires_on.to_owned()),
    ];
    for s in scopes {
        form.push((format!("scope_{s}"), "1".to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let made = c.post("/api-sleutels", &form).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let token = made
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    assert!(token.starts_with("zv_"), "{token}");
    assert!(
        !c.get("/api-sleutels").await.body.contains(&token),
        "a token is shown once"
    );
    token
}

/// Whether a value fits a schema of the document (the subset of JSON Schema it uses).
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "no schema {name}");
        return check(doc, target, v, at);
    }
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        return if alternatives.iter().any(|s| check(doc, s, v, at).is_ok()) {
            Ok(())
        } else {
            Err(format!("{at}: fits no alternative"))
        };
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(()),
    };
    let fits = types.iter().any(|t| match (*t, v) {
        ("null", Value::Null)
        | ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    });
    if !fits {
        return Err(format!("{at}: {v} is not of type {types:?}"));
    }
    if let (Some(Value::Array(allowed)), Value::String(_)) = (schema.get("enum"), v)
        && !allowed.contains(v)
    {
        return Err(format!("{at}: {v} is not one of {allowed:?}"));
    }
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(doc, &schema["items"], item, &format!("{at}[{i}]"))?;
            }
        }
        Value::Object(o) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, val) in o {
                    match props.get(k) {
                        Some(s) => check(doc, s, val, &format!("{at}.{k}"))?,
                        None if schema["additionalProperties"] == json!(false) => {
                            return Err(format!("{at}: `{k}` is not in the schema"));
                        }
                        None => {}
                    }
                }
                for required in schema["required"].as_array().into_iter().flatten() {
                    let name = required.as_str().unwrap();
                    if !o.contains_key(name) {
                        return Err(format!("{at}: `{name}` is missing"));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Asserts that an answer is what the document says the operation answers.
pub(crate) fn conforms(doc: &Value, method: &str, path: &str, a: &Answer) {
    let responses = &doc["paths"][path][method]["responses"];
    assert!(
        !responses.is_null(),
        "{method} {path} is not in the document"
    );
    let response = &responses[a.status.to_string()];
    assert!(
        !response.is_null(),
        "{method} {path} answered {}, which the document does not list: {}",
        a.status,
        a.text()
    );
    if let Some(schema) = response
        .get("content")
        .and_then(|c| c.get("application/json"))
        .map(|c| &c["schema"])
        && let Err(e) = check(doc, schema, &a.json, "body")
    {
        panic!("{method} {path} {}: {e}\n{}", a.status, a.json);
    }
}

/// The events about a client, newest first.
async fn events_of(
    s: &TestServer,
    officer: &Actor,
    client: ClientId,
) -> Vec<zv_domain::audit::AuditEvent> {
    s.t.app
        .audit_events(
            officer,
            &AuditQuery {
                client: Some(client),
                ..AuditQuery::default()
            },
            500,
        )
        .await
        .unwrap()
        .events
}

// promise: ACC-1
// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn a_token_made_in_the_web_app_works_the_dossier_through_the_same_gate() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (colleague, _) = s
            .staff("collega", Role::Caseworker, Some("jeugd-eindhoven"))
            .await;
        let officer = s.t.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (client, trajectory) =
            s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
                .await;
        let (_, elsewhere) =
            s.t.intake(&colleague, "Johan de Vries", "1990-01-02", "amw")
                .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let token = make_token(&c, "Planning koppeling", &["read", "write"], &expires).await;
        let list = c.get("/api-sleutels").await;
        assert!(list.body.contains("Planning koppeling"), "{engine:?}");
        let api = Api::new(&s, &token);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        let me = api.get("/me").await;
        assert_eq!(me.status, 200, "{engine:?}: {}", me.text());
        conforms(&doc, "get", "/me", &me);
        assert_eq!(me.json["scopes"], json!(["read", "write"]));

        let caseload = api.get("/caseload").await;
        assert_eq!(caseload.status, 200, "{}", caseload.text());
        conforms(&doc, "get", "/caseload", &caseload);
        assert_eq!(caseload.json["open"][0]["client_name"], "Fatima Yilmaz");
        assert_eq!(
            caseload.json["open"][0]["trajectory"]["id"],
            trajectory.to_string()
        );

        let found = api.post("/clients/search", &json!({"name": "fat"})).await;
        assert_eq!(found.status, 200, "{}", found.text());
        conforms(&doc, "post", "/clients/search", &found);
        assert_eq!(found.json["results"][0]["id"], client.to_string());
        assert_eq!(found.json["more"], false);
        let profile = api.get(&format!("/clients/{client}")).await;
        assert_eq!(profile.status, 200, "{}", profile.text());
        conforms(&doc, "get", "/clients/{id}", &profile);
        assert_eq!(profile.json["profile"]["name"], "Fatima Yilmaz");

        // Reading the dossier records exactly one read of it, and the same events as a
        // view of it in the web app, naming the API as the access point and the rule that
        // allowed it.
        let before = events_of(&s, &officer, client).await.len();
        let dossier_path = format!("/trajectories/{trajectory}");
        let dossier = api.get(&dossier_path).await;
        assert_eq!(dossier.status, 200, "{}", dossier.text());
        conforms(&doc, "get", "/trajectories/{id}", &dossier);
        let after_api = events_of(&s, &officer, client).await;
        let by_api = &after_api[..after_api.len() - before];
        let reads: Vec<_> = by_api
            .iter()
            .filter(|e| {
                e.event.action == AuditAction::Read && e.event.object == AuditObject::Trajectory
            })
            .collect();
        assert_eq!(
            reads.len(),
            1,
            "{engine:?}: one read of the dossier, one event"
        );
        let read = &reads[0].event;
        assert_eq!(read.object_id, Some(trajectory.as_uuid()));
        assert!(read.rule_ids.contains(&"acc1-assigned-worker".to_owned()));
        for e in by_api {
            assert_eq!(e.event.user_id, worker.user_id());
            assert_eq!(e.event.access_point, "api 127.0.0.1");
        }
        assert_eq!(c.get(&format!("/trajecten/{trajectory}")).await.status, 200);
        let after_web = events_of(&s, &officer, client).await;
        let by_web = &after_web[..after_web.len() - after_api.len()];
        let kinds = |events: &[zv_domain::audit::AuditEvent]| {
            let mut k: Vec<_> = events
                .iter()
                .map(|e| {
                    (
                        e.event.action.code(),
                        e.event.object.code(),
                        e.event.outcome.code(),
                    )
                })
                .collect();
            k.sort_unstable();
            k
        };
        assert_eq!(kinds(by_api), kinds(by_web), "as the web view records it");
        assert!(
            by_web
                .iter()
                .all(|e| e.event.access_point.starts_with("web "))
        );

        // Add an entry, edit it, and an edit on the old version is refused with the
        // current one.
        let added = api
            .post(
                &format!("{dossier_path}/entries"),
                &json!({
                    "kind": "conversation_report",
                    "title": "Gesprek over werk",
                    "body": "Solliciteert bij de bibliotheek",
                }),
            )
            .await;
        assert_eq!(added.status, 201, "{}", added.text());
        conforms(&doc, "post", "/trajectories/{id}/entries", &added);
        let entry = added.json["id"].as_str().unwrap().to_owned();
        let entry_path = format!("/entries/{entry}");
        let got = api.get(&entry_path).await;
        assert_eq!(got.status, 200);
        conforms(&doc, "get", "/entries/{id}", &got);
        assert_eq!(got.json["entry"]["version"], 1);
        let edited = api
            .put(
                &entry_path,
                &json!({"version": 1, "title": "Gesprek over werk", "body": "Aangenomen bij de bibliotheek"}),
            )
            .await;
        assert_eq!(edited.status, 200, "{}", edited.text());
        conforms(&doc, "put", "/entries/{id}", &edited);
        assert_eq!(edited.json["version"], 2);
        let stale = api
            .put(
                &entry_path,
                &json!({"version": 1, "title": "Gesprek over werk", "body": "Oude versie overschrijft"}),
            )
            .await;
        assert_eq!(stale.status, 409, "{}", stale.text());
        conforms(&doc, "put", "/entries/{id}", &stale);
        assert_eq!(stale.error(), "stale");
        assert_eq!(stale.json["current_version"], 2);
        assert_eq!(
            stale.json["current"]["body"],
            "Aangenomen bij de bibliotheek"
        );
        let history = api.get(&format!("{entry_path}/history")).await;
        conforms(&doc, "get", "/entries/{id}/history", &history);
        assert_eq!(history.json.as_array().unwrap().len(), 2);
        assert!(!history.text().contains("Oude versie"));

        // A body that does not fit changes nothing: unknown fields, wrong types, no JSON.
        let count = |d: &Answer| d.json["entries"].as_array().unwrap().len();
        let entries_before = count(&api.get(&dossier_path).await);
        let unknown = api
            .post(
                &format!("{dossier_path}/entries"),
                &json!({"kind": "goal", "title": "Stiekem", "owner": "iemand"}),
            )
            .await;
        assert_eq!(unknown.status, 422, "{}", unknown.text());
        assert_eq!(unknown.error(), "invalid_body");
        assert_eq!(unknown.json["field"], "owner");
        conforms(&doc, "post", "/trajectories/{id}/entries", &unknown);
        let wrong_type = api
            .post(
                &format!("{dossier_path}/entries"),
                &json!({"kind": "goal", "title": "Stiekem", "progress": "veel"}),
            )
            .await;
        assert_eq!(wrong_type.status, 422);
        assert!(!wrong_type.text().contains("veel"), "no value is echoed");
        let not_json = api
            .send(
                "post",
                &format!("{dossier_path}/entries"),
                Some(("application/json", b"{\"kind\": ".to_vec())),
            )
            .await;
        assert_eq!(not_json.status, 400);
        let no_type = api
            .send(
                "post",
                &format!("{dossier_path}/entries"),
                Some(("", b"{\"kind\":\"goal\",\"title\":\"Stiekem\"}".to_vec())),
            )
            .await;
        assert_eq!(no_type.status, 415);
        let refused = api
            .post(
                &format!("{dossier_path}/entries"),
                &json!({"kind": "conversation_report", "title": "Gezondheid", "special_category": "health"}),
            )
            .await;
        assert_eq!(refused.status, 422);
        assert_eq!(refused.json["field"], "necessity");
        assert_eq!(count(&api.get(&dossier_path).await), entries_before);
        assert!(!api.get(&dossier_path).await.text().contains("Stiekem"));

        // Another team's dossier does not exist for this caller, and the refusal is
        // recorded.
        let other = api.get(&format!("/trajectories/{elsewhere}")).await;
        assert_eq!(other.status, 404, "{engine:?}");
        assert_eq!(other.error(), "not_found");
        conforms(&doc, "get", "/trajectories/{id}", &other);
        assert!(!other.text().contains("Johan"));
        let write_elsewhere = api
            .post(
                &format!("/trajectories/{elsewhere}/entries"),
                &json!({"kind": "goal", "title": "Stiekem"}),
            )
            .await;
        assert_eq!(write_elsewhere.status, 404);

        // An attachment goes in and out as bytes.
        let pdf = b"%PDF-1.4 verwijzing".to_vec();
        let upload = api
            .upload(
                &format!("{entry_path}/attachments"),
                "application/pdf",
                "verwijzing café.pdf",
                pdf.clone(),
            )
            .await;
        assert_eq!(upload.status, 201, "{}", upload.text());
        conforms(&doc, "post", "/entries/{id}/attachments", &upload);
        let download = api
            .get(&format!(
                "/attachments/{}",
                upload.json["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(download.status, 200);
        assert_eq!(download.headers["content-type"], "application/pdf");
        assert!(
            download.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("verwijzing%20caf%C3%A9.pdf"),
            "the name comes back as it went in"
        );
        assert_eq!(download.bytes, pdf);
        // A program declared as a PDF: refused by its content, named by field.
        let renamed = api
            .upload(
                &format!("{entry_path}/attachments"),
                "application/pdf",
                "factuur.pdf",
                b"MZ\x90\0\x03\0\0\0".to_vec(),
            )
            .await;
        assert_eq!(renamed.status, 422, "{}", renamed.text());
        assert_eq!(renamed.error(), "invalid");
        assert_eq!(renamed.json["field"], "file", "{}", renamed.text());
        conforms(&doc, "post", "/entries/{id}/attachments", &renamed);

        // A goal and its progress, a work note of one's own, a related person.
        let goal = api
            .post(
                &format!("{dossier_path}/entries"),
                &json!({"kind": "goal", "title": "Eigen woonruimte", "progress": 10}),
            )
            .await;
        assert_eq!(goal.status, 201, "{}", goal.text());
        let progress = api
            .post(
                &format!("/entries/{}/progress", goal.json["id"].as_str().unwrap()),
                &json!({"progress": 40, "note": "Ingeschreven"}),
            )
            .await;
        assert_eq!(progress.status, 204, "{}", progress.text());
        let note = api
            .post(
                &format!("{dossier_path}/work-notes"),
                &json!({"body": "Eigen notitie"}),
            )
            .await;
        assert_eq!(note.status, 201, "{}", note.text());
        let notes = api.get(&format!("{dossier_path}/work-notes")).await;
        conforms(&doc, "get", "/trajectories/{id}/work-notes", &notes);
        assert_eq!(notes.json[0]["body"], "Eigen notitie");
        let related = api
            .post(
                &format!("/clients/{client}/related-persons"),
                &json!({"relation": "family_member", "name": "Ayse Yilmaz"}),
            )
            .await;
        assert_eq!(related.status, 201, "{}", related.text());
        let people = api.get(&format!("/clients/{client}/related-persons")).await;
        conforms(&doc, "get", "/clients/{id}/related-persons", &people);
        assert_eq!(people.json[0]["name"], "Ayse Yilmaz");
        let dossier = api.get(&dossier_path).await;
        conforms(&doc, "get", "/trajectories/{id}", &dossier);

        // Intake through the API.
        let registered = api
            .post(
                "/clients",
                &json!({
                    "branch": s.t.app.policy().branches()[0].code,
                    "name": "Mila Jansen",
                    "birth_date": "2001-03-04",
                    "trajectory": {"service_type": "amw", "team": s.t.first_team(), "opened_on": "2026-11-01"},
                }),
            )
            .await;
        assert_eq!(registered.status, 201, "{}", registered.text());
        conforms(&doc, "post", "/clients", &registered);
        let grants = api.get("/grants").await;
        assert_eq!(grants.status, 200);
        conforms(&doc, "get", "/grants", &grants);

        // Making the token was recorded, without its name.
        let own =
            s.t.app
                .audit_events(
                    &officer,
                    &AuditQuery {
                        user: worker.user_id(),
                        ..AuditQuery::default()
                    },
                    500,
                )
                .await
                .unwrap()
                .events;
        let made = own
            .iter()
            .find(|e| e.event.object == AuditObject::ApiToken)
            .expect("token creation is audited");
        assert_eq!(made.event.action, AuditAction::Create);
        assert!(
            !made
                .event
                .detail
                .clone()
                .unwrap_or_default()
                .contains("Planning")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn scopes_narrow_a_token_and_revoked_or_expired_tokens_are_refused() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret, _, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let today = s.t.clock_today();
        let month = (today + Duration::days(30)).to_string();
        let read_only = make_token(&c, "Alleen lezen", &["read"], &month).await;
        let admin_only = make_token(&c, "Alleen beheer", &["admin"], &month).await;
        let revoked = make_token(&c, "Wordt ingetrokken", &["read", "write"], &month).await;
        let short = make_token(&c, "Kort", &["read"], &today.to_string()).await;

        // Longer than the policy's 90 days, no scope, or no name: refused, nothing made.
        let page = c.get("/api-sleutels").await;
        for (name, scope, until) in [
            (
                "Te lang",
                "scope_read",
                (today + Duration::days(91)).to_string(),
            ),
            ("Geen bevoegdheid", "scope_none", month.clone()),
            ("", "scope_read", month.clone()),
        ] {
            let r = c
                .post(
                    "/api-sleutels",
                    &[
                        ("csrf", page.csrf().as_str()),
                        ("name", name),
                        (scope, "1"),
                        ("expires_on", until.as_str()),
                    ],
                )
                .await;
            assert_eq!(r.status, 422, "{engine:?} {name}: {}", r.body);
            assert!(!r.body.contains("id=\"new-token\""));
        }
        // Without its form token, nothing is made.
        let forged = c
            .post(
                "/api-sleutels",
                &[
                    ("csrf", "fout"),
                    ("name", "Vervalst"),
                    ("scope_read", "1"),
                    ("expires_on", month.as_str()),
                ],
            )
            .await;
        assert_eq!(forged.status, 403);

        let reader = Api::new(&s, &read_only);
        let dossier_path = format!("/trajectories/{trajectory}");
        assert_eq!(reader.get(&dossier_path).await.status, 200, "{engine:?}");
        let write = reader
            .post(
                &format!("{dossier_path}/entries"),
                &json!({"kind": "goal", "title": "Stiekem"}),
            )
            .await;
        assert_eq!(write.status, 403, "{}", write.text());
        assert_eq!(write.error(), "insufficient_scope");
        assert!(
            write.headers["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("insufficient_scope")
        );
        assert!(!reader.get(&dossier_path).await.text().contains("Stiekem"));
        assert_eq!(reader.get("/audit").await.status, 403);
        assert_eq!(reader.get("/users").await.status, 403);

        // Every operation that needs a scope refuses a token without it, before anything
        // happens; the document names the scope each needs.
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let admin = Api::new(&s, &admin_only);
        let any = uuid::Uuid::new_v4().to_string();
        for (method, path) in ROUTES {
            let scope = doc["paths"][path][method]["x-scope"].as_str();
            if matches!(scope, Some(s) if s != "admin") {
                let a = admin
                    .send(
                        method,
                        &path.replace("{id}", &any),
                        Some(("application/json", b"{}".to_vec())),
                    )
                    .await;
                assert_eq!(a.status, 403, "{method} {path} needs {scope:?}");
                conforms(&doc, method, path, &a);
            }
        }
        // The scopes narrow the owner's own rights, never widen them: a caseworker's
        // admin token lists no users.
        let users = admin.get("/users").await;
        assert_eq!(users.status, 403, "{}", users.text());
        assert_eq!(users.error(), "not_allowed");

        // No token, a wrong one, a revoked one, an expired one: 401 with a challenge.
        let none = Api::anonymous(&s).get("/caseload").await;
        assert_eq!(none.status, 401);
        assert!(
            none.headers["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        assert_eq!(
            Api::new(&s, "zv_geen-echte-sleutel")
                .get("/caseload")
                .await
                .status,
            401
        );
        let to_revoke = Api::new(&s, &revoked);
        assert_eq!(to_revoke.get("/caseload").await.status, 200);
        let revoked_id = to_revoke.get("/me").await.json["token_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let list = c.get("/api-sleutels").await;
        let done = c
            .post(
                &format!("/api-sleutels/{revoked_id}/intrekken"),
                &[("csrf", &list.csrf())],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        let gone = to_revoke.get("/caseload").await;
        assert_eq!(gone.status, 401, "{engine:?}: revoked at once");
        assert_eq!(gone.error(), "unauthorized");
        assert!(c.get("/api-sleutels").await.body.contains("ingetrokken"));
        assert_eq!(
            reader.get("/caseload").await.status,
            200,
            "others still work"
        );

        let brief = Api::new(&s, &short);
        assert_eq!(brief.get("/caseload").await.status, 200);
        s.t.clock.advance(Duration::days(1));
        assert_eq!(brief.get("/caseload").await.status, 401, "expired");
        assert_eq!(reader.get("/caseload").await.status, 200);
        s.t.clock.advance(Duration::days(30));
        assert_eq!(reader.get("/caseload").await.status, 401, "expired");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_or_unsigned_accounts_token_reaches_no_client_data() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret, client, trajectory) =
            crate::fixtures::caseworker_with_client(&s).await;
        // A newcomer without a confidentiality statement, assigned to the trajectory.
        let newcomer_secret = crate::fixtures::unsigned_newcomer(&s, &worker, trajectory).await;
        let month = (s.t.clock_today() + Duration::days(30)).to_string();
        let n = s.client();
        n.sign_in("nieuw", &newcomer_secret).await;
        let unsigned = Api::new(&s, &make_token(&n, "Koppeling", &["read"], &month).await);
        let me = unsigned.get("/me").await;
        assert_eq!(me.status, 200, "{engine:?}");
        assert_eq!(me.json["confidentiality_signed"], false);
        assert_eq!(
            unsigned
                .get(&format!("/trajectories/{trajectory}"))
                .await
                .status,
            404
        );
        let profile = unsigned.get(&format!("/clients/{client}")).await;
        assert_eq!(profile.status, 404);
        assert!(!profile.text().contains("Fatima"));

        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let api = Api::new(&s, &make_token(&c, "Koppeling", &["read"], &month).await);
        assert_eq!(
            api.get(&format!("/trajectories/{trajectory}")).await.status,
            200
        );
        s.t.app
            .disable_user(&Actor::cli("test"), "hulpverlener")
            .await
            .unwrap();
        for path in [
            format!("/trajectories/{trajectory}"),
            format!("/clients/{client}"),
            "/caseload".to_owned(),
        ] {
            let r = api.get(&path).await;
            assert_eq!(r.status, 401, "{engine:?} {path}");
            assert!(!r.text().contains("Fatima"));
        }
    }
}

// promise: ACC-7
#[tokio::test(flavor = "multi_thread")]
async fn the_privacy_officer_reads_the_audit_log_through_the_api_and_nobody_else() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let (_, admin_secret) = s.staff("beheer", Role::Administrator, None).await;
        let (client, trajectory) =
            s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
                .await;
        let month = (s.t.clock_today() + Duration::days(30)).to_string();
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;

        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let worker_api = Api::new(
            &s,
            &make_token(&c, "Alles", &["read", "write", "audit", "admin"], &month).await,
        );
        assert_eq!(
            worker_api
                .get(&format!("/trajectories/{trajectory}"))
                .await
                .status,
            200
        );
        // As on the audit screen: the log does not exist for anyone else.
        let refused = worker_api.get("/audit").await;
        assert_eq!(refused.status, 404, "{engine:?}: {}", refused.text());
        let users = worker_api.get("/users").await;
        assert_eq!(users.status, 403);
        assert_eq!(users.error(), "not_allowed");

        let fg = s.client();
        fg.sign_in("fg.privacy", &fg_secret).await;
        let officer = Api::new(&s, &make_token(&fg, "Controle", &["audit"], &month).await);
        let page = officer
            .get(&format!("/audit?client={client}&limit=2"))
            .await;
        assert_eq!(page.status, 200, "{}", page.text());
        conforms(&doc, "get", "/audit", &page);
        assert_eq!(page.json["events"].as_array().unwrap().len(), 2);
        let next = page.json["next_before"].as_i64().unwrap();
        let rest = officer
            .get(&format!("/audit?client={client}&before={next}&limit=500"))
            .await;
        let all: Vec<Value> = page.json["events"]
            .as_array()
            .unwrap()
            .iter()
            .chain(rest.json["events"].as_array().unwrap())
            .cloned()
            .collect();
        assert!(all.iter().any(|e| e["access_point"] == "api 127.0.0.1"
            && e["object"] == "trajectory"
            && e["rule_ids"][0] == "acc1-assigned-worker"));
        assert!(!page.text().contains("Fatima") && !rest.text().contains("Fatima"));
        let bad = officer.get("/audit?from=2026-12-01&to=2026-11-01").await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json["field"], "to");
        conforms(&doc, "get", "/audit", &bad);
        assert_eq!(officer.get("/audit?wat=1").await.status, 422);
        let register = officer.get("/grants/register").await;
        assert_eq!(register.status, 200, "{}", register.text());
        conforms(&doc, "get", "/grants/register", &register);
        // An audit token reads no dossier.
        assert_eq!(
            officer
                .get(&format!("/trajectories/{trajectory}"))
                .await
                .status,
            403
        );

        let b = s.client();
        b.sign_in("beheer", &admin_secret).await;
        let admin = Api::new(
            &s,
            &make_token(&b, "Beheer", &["admin", "read"], &month).await,
        );
        let users = admin.get("/users").await;
        assert_eq!(users.status, 200, "{}", users.text());
        conforms(&doc, "get", "/users", &users);
        assert!(
            users
                .json
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["username"] == "hulpverlener")
        );
        // ACC-7: not even an administrator reads a dossier through the API.
        let nothing = admin.get(&format!("/trajectories/{trajectory}")).await;
        assert_eq!(nothing.status, 404);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_lists_every_route_of_the_router() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let public = Api::anonymous(&s);
        let answer = public.get("/openapi.json").await;
        assert_eq!(answer.status, 200, "public, no token needed");
        assert_eq!(answer.headers["content-type"], "application/json");
        let doc: Value = serde_json::from_slice(&answer.bytes).expect("the document is JSON");
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );

        let mut listed: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(|m| (m.clone(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        listed.sort();
        let mut expected: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(listed, expected);

        // The router has each route: without a token it asks for one, where an unknown
        // path is "not found".
        let any = uuid::Uuid::new_v4().to_string();
        for (method, path) in ROUTES {
            let op = &doc["paths"][path][method];
            assert!(
                !op["operationId"].is_null() && !op["summary"].is_null(),
                "{method} {path}"
            );
            assert!(!op["responses"].as_object().unwrap().is_empty());
            if path.contains("{id}") {
                assert_eq!(op["parameters"][0]["in"], "path", "{method} {path}");
            }
            if let Some(body) = op.get("requestBody")
                && let Some(schema) = body["content"]["application/json"]["schema"].get("$ref")
            {
                let name = schema
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#/components/schemas/");
                assert!(!doc["components"]["schemas"][name].is_null(), "{name}");
            }
            let a = public.send(method, &path.replace("{id}", &any), None).await;
            if path == "/openapi.json" {
                assert_eq!(a.status, 200);
                assert_eq!(op["security"], json!([]));
            } else if method == "get" && PUBLIC.contains(&path) {
                // The privacy statement is public (TRN-2): read without a token.
                assert_ne!(a.status, 401, "{method} {path}");
                assert_ne!(a.status, 500, "{method} {path}");
                assert_eq!(op["security"], json!([]), "{method} {path}");
            } else {
                assert_eq!(a.status, 401, "{method} {path}: {}", a.text());
                assert!(op["responses"]["401"].is_object(), "{method} {path}");
                assert!(!op["security"][0]["bearer"].is_null(), "{method} {path}");
            }
        }
        let unknown = public.get("/bestaat-niet").await;
        assert_eq!(unknown.status, 404, "{engine:?}");
        assert_eq!(unknown.error(), "not_found");
    }
}

// promise: ACC-1
// promise: DOS-2
#[tokio::test(flavor = "multi_thread")]
async fn assigning_through_the_api_opens_the_dossier_and_work_notes_come_with_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (colleague, colleague_secret) = s
            .staff("collega", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (_, trajectory) =
            s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
                .await;
        s.t.app
            .add_work_note(&worker, trajectory, "Nabellen over de huur")
            .await
            .unwrap();
        let expires = (s.t.clock_today() + Duration::days(30)).to_string();
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let api = Api::new(
            &s,
            &make_token(&c, "mine", &["read", "write"], &expires).await,
        );
        let other = s.client();
        other.sign_in("collega", &colleague_secret).await;
        let theirs = Api::new(&s, &make_token(&other, "theirs", &["read"], &expires).await);
        let doc = Api::anonymous(&s).get("/openapi.json").await.json;
        let path = format!("/trajectories/{trajectory}");

        let mine = api.get(&path).await;
        assert_eq!(mine.status, 200, "{engine:?}: {}", mine.text());
        conforms(&doc, "get", "/trajectories/{id}", &mine);
        assert_eq!(mine.json["work_notes"][0]["body"], "Nabellen over de huur");
        assert_eq!(mine.json["workers"].as_array().unwrap().len(), 1);
        assert_eq!(theirs.get(&path).await.status, 404);

        let who = json!({ "user_id": colleague.user_id().unwrap().to_string() });
        let assigned = api.post(&format!("{path}/workers"), &who).await;
        assert_eq!(assigned.status, 204, "{}", assigned.text());
        let seen = theirs.get(&path).await;
        assert_eq!(seen.status, 200);
        assert_eq!(
            seen.json["work_notes"],
            json!([]),
            "a work note is its author's alone"
        );
        assert_eq!(seen.json["workers"].as_array().unwrap().len(), 2);

        let removed = api.post(&format!("{path}/workers/remove"), &who).await;
        assert_eq!(removed.status, 204, "{}", removed.text());
        assert_eq!(theirs.get(&path).await.status, 404);
        let me = json!({ "user_id": worker.user_id().unwrap().to_string() });
        let last = api.post(&format!("{path}/workers/remove"), &me).await;
        assert_eq!(last.status, 422, "{}", last.text());
        assert_eq!(last.json["field"], "worker");
    }
}
