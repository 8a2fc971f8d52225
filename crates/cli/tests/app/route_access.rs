//! ACC-7 across every route: each route of the HTML app (read from the web crate's
//! sources) and every operation of the API (from its OpenAPI document) is called by every
//! kind of caller who may not see one client, with that client's ids in the path. No
//! answer may carry the client's personal data, a route about the client's objects is
//! refused, a state-changing request changes nothing, and nothing answers 500. The client's
//! own caseworker then sends every form without or with a wrong CSRF token (SEC-1).

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use zv_core::Actor;
use zv_core::entries::SpecialMarking;
use zv_core::related::RelatedPersonInput;
use zv_core::requests::RequestKind;
use zv_domain::{EntryContent, EntryKind, PersonName, RelationKind, Role, SpecialCategory};
use zv_testkit::web::{TestServer, WebClient};
use zv_testkit::{date, engines};

use crate::api::make_token;
use crate::fixtures;
use crate::routes::{self, ApiOperation, HtmlRoute};

/// The client's name, birth date and BSN, and the content of the dossier: distinctive
/// strings, so that any of them in an answer is a leak. Compared in lower case.
const NAME: &str = "Xandravo Quelling";
const BIRTH: &str = "1979-03-14";
const BSN: &str = "111222333";
const IDENTITY_MARKERS: [&str; 8] = [
    "xandravo",
    "quelling",
    "wobbel",
    "1979-03-14",
    "14-03-1979",
    "14 maart 1979",
    "14 march 1979",
    "111222333",
];
/// Every piece of dossier content carries this. Six letters, because a page's random
/// tokens (CSRF, nonce) are long enough to hold a three-letter marker by chance, which
/// once failed CI.
const CONTENT_MARKER: &str = "qzxvlq";

/// The values a form or JSON body carries: plausible for many forms, and none of them
/// personal data of the client (a form kept after a refusal shows what was typed).
const FIELDS: [(&str, &str); 30] = [
    ("title", "Poging"),
    ("body", "Poging tot wijziging"),
    ("text", "Poging"),
    ("note", "Poging"),
    ("subject", "Poging"),
    ("reason", "Poging zonder grond"),
    ("explanation", "Poging"),
    ("passage", "Poging"),
    ("kind", "note"),
    ("naam", "Poging"),
    ("name", "Poging Persoon"),
    ("relation", "other"),
    ("service_type", "amw"),
    ("team", "jeugd-eindhoven"),
    ("bsn", "123456782"),
    ("birth_date", "2015-01-01"),
    ("authority_since", "2026-01-01"),
    ("mandate", "Poging"),
    ("channel", "letter"),
    ("decision", "granted"),
    ("outcome", "granted"),
    ("ground", "safety"),
    ("scope", "all"),
    ("date", "2026-11-20"),
    ("given_on", "2026-11-20"),
    ("received_on", "2026-11-20"),
    ("opened_on", "2026-11-20"),
    ("closed_on", "2026-11-20"),
    ("ends_on", "2026-12-20"),
    ("until", "2026-12-20"),
];

/// The routes that create an access grant (ACC-3 complaint, ACC-4 quality review, ACC-5
/// emergency access, ACC-6 substitute), which some of the roles here may use: they are
/// sent with no fields but the token, so that no caller gains access to the client
/// while the test runs. Their refusal for the wrong roles is the access matrix's subject.
const GRANTING: [&str; 8] = [
    "/trajecten/{id}/noodtoegang",
    "/trajecten/{id}/klacht",
    "/toegang/kwaliteitsreview",
    "/toegang/vervanging",
    "/trajectories/{id}/emergency-access",
    "/trajectories/{id}/complaints",
    "/grants/quality-reviews",
    "/grants/substitutes",
];

/// Routes that end or start a session: called last, after the checks that need the
/// caller's session.
fn is_session_route(path: &str) -> bool {
    [
        "/aanmelden",
        "/afmelden",
        "/taal/",
        "/portaal/aanmelden",
        "/portaal/afmelden",
        "/portaal/taal/",
        "/portaal/uitnodiging",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// The client and its objects.
struct Scene {
    client: String,
    trajectory: String,
    youth_trajectory: String,
    entry: String,
    special_entry: String,
    attachment: String,
    work_note: String,
    request: String,
    related: String,
    worker_user: String,
}

impl Scene {
    /// A path with its parameters filled in: the client's own ids where the route is
    /// about one of its objects, else a random id. Whether the path names the client's
    /// objects, and whether it holds a random id (of nothing that exists).
    fn fill(&self, path: &str, api: bool) -> (String, bool, bool) {
        let kinds: &[(&str, &str)] = if api {
            &[
                ("/clients/{id}", &self.client),
                ("/trajectories/{id}", &self.trajectory),
                ("/entries/{id}", &self.special_entry),
                ("/attachments/{id}", &self.attachment),
                ("/work-notes/{id}", &self.work_note),
                ("/requests/{id}", &self.request),
                ("/related-persons/{id}", &self.related),
            ]
        } else {
            &[
                ("/clienten/{id}", &self.client),
                ("/trajecten/{id}", &self.trajectory),
                ("/items/{id}", &self.special_entry),
                ("/bijlagen/{id}", &self.attachment),
                ("/werkaantekeningen/{id}", &self.work_note),
                ("/privacy/verzoeken/{id}", &self.request),
                ("/betrokkenen/{id}", &self.related),
                ("/portaal/trajecten/{id}", &self.trajectory),
                ("/portaal/bijlagen/{id}", &self.attachment),
                ("/portaal/verzoeken/{id}", &self.request),
                ("/portaal/dossiers/{id}", &self.client),
            ]
        };
        let mut names_client = false;
        let mut out = path.to_owned();
        if let Some((_, id)) = kinds.iter().find(|(p, _)| path.starts_with(p)) {
            out = out.replacen("{id}", id, 1);
            names_client = true;
        }
        let fills = [
            ("{user}", self.worker_user.clone()),
            ("{note}", self.work_note.clone()),
            ("{lang}", "en".to_owned()),
            ("{number}", "1".to_owned()),
        ];
        for (param, value) in fills {
            out = out.replace(param, &value);
        }
        let random = out.contains('{');
        while let Some(start) = out.find('{') {
            let end = out[start..].find('}').unwrap() + start;
            out.replace_range(start..=end, &uuid::Uuid::new_v4().to_string());
        }
        (out, names_client, random)
    }
}

/// Who calls: a signed-in browser (or none) and an API token (or none).
struct Caller {
    label: &'static str,
    web: Arc<WebClient>,
    token: Option<String>,
    /// The caller's own staff user id, offered where a form names a worker.
    user: String,
    /// A staff account (its form token comes from the staff app, else from the portal).
    staff: bool,
}

/// One answer, read whole.
struct Reply {
    status: u16,
    location: String,
    text: String,
}

enum Body {
    None,
    Form(Vec<(String, String)>),
    Multipart(Vec<(String, String)>),
    Json(Value),
    Bytes(String),
}

/// A multipart form as a browser sends it, the fields then a small file, by hand: the
/// boundary and the bytes.
fn multipart(fields: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = "zv-route-access-boundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"poging.txt\"\r\nContent-Type: text/plain\r\n\r\nPoging\r\n--{boundary}--\r\n"
    ));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

async fn send(
    web: &WebClient,
    method: &str,
    url: String,
    token: Option<&str>,
    body: Body,
) -> Reply {
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let upload = matches!(body, Body::Bytes(_));
    let (content_type, bytes) = match body {
        Body::None => (None, Vec::new()),
        Body::Form(fields) => (
            Some("application/x-www-form-urlencoded".to_owned()),
            fields
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes(),
        ),
        Body::Multipart(fields) => {
            let (t, b) = multipart(&fields);
            (Some(t), b)
        }
        Body::Json(v) => (
            Some("application/json".to_owned()),
            serde_json::to_vec(&v).unwrap(),
        ),
        Body::Bytes(media) => (Some(media), b"Poging".to_vec()),
    };
    // A server may answer a refused upload before it has read the body and close the
    // connection, so that the client sees a broken pipe instead of the answer: try again.
    let mut attempt = 0;
    let r = loop {
        let mut req = web.http.request(m.clone(), url.clone());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(t) = &content_type {
            req = req.header("content-type", t).body(bytes.clone());
        }
        if upload {
            req = req.header(
                "content-disposition",
                "attachment; filename*=UTF-8''poging.txt",
            );
        }
        match req.send().await {
            Ok(r) => break r,
            Err(_) if attempt < 5 => attempt += 1,
            Err(e) => panic!("{url}: {e}"),
        }
    };
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = r.bytes().await.unwrap().to_vec();
    // A PDF's text is compressed: read it out before looking for names.
    let text = if bytes.starts_with(b"%PDF") {
        pdf_extract::extract_text_from_mem(&bytes)
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned())
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Reply {
        status,
        location,
        text,
    }
}

/// A form value, percent-encoded.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The personal data of the client in an answer.
fn leaked(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    std::iter::once(CONTENT_MARKER)
        .chain(IDENTITY_MARKERS)
        .filter(|m| lower.contains(m))
        .collect()
}

/// The client's name and birth date, as the services overview (ACC-2) and a rights
/// request (RTS) show them.
const NAME_AND_BIRTH: [&str; 7] = [
    "xandravo",
    "quelling",
    "1979-03-14",
    "14-03-1979",
    "14 maart 1979",
    "14 march 1979",
    "march 14, 1979",
];

const OTHER_CASEWORKER: &str = "caseworker of another team";
const OTHER_TEAM_LEAD: &str = "team lead of another team";
const MANAGER: &str = "manager without a complaint";
const QUALITY: &str = "quality officer without a review";
const ADMIN: &str = "administrator without emergency access";
const OFFICER: &str = "privacy officer";

/// What a caller may legitimately get about the client from a route, by promise.
#[derive(Default)]
struct Allowance {
    /// The route may answer with success.
    success: bool,
    /// The client's name and birth date may appear (never the BSN, a related person or
    /// anything of the dossier).
    name_and_birth: bool,
}

fn allowance(caller: &str, call: &Call) -> Allowance {
    let (m, r) = (call.method.as_str(), call.route.as_str());
    let acc2 = [OTHER_CASEWORKER, OTHER_TEAM_LEAD, MANAGER, QUALITY].contains(&caller);
    if acc2 {
        // ACC-2: colleagues of other teams see the services overview: the client's name,
        // birth date and services; a refused form about the client shows it again.
        let overview = if call.api {
            m == "get" && r == "/clients/{id}"
        } else {
            m == "get" && r == "/clienten/{id}"
        };
        let shows_overview =
            !call.api && (r.starts_with("/clienten/{id}") || r.starts_with("/betrokkenen/{id}"));
        return Allowance {
            success: overview,
            name_and_birth: overview || shows_overview,
        };
    }
    if caller == OFFICER {
        // RTS: the privacy officer handles the client's rights request, which names the
        // client.
        let request = if call.api {
            r.starts_with("/requests/{id}")
        } else {
            r.starts_with("/privacy/verzoeken/{id}")
        };
        if request {
            return Allowance {
                success: true,
                name_and_birth: true,
            };
        }
        // The officer's oversight, without the dossier's content: rights effects and
        // registering a request for the client (RTS), the retention term (RET-5), the
        // disclosures (SHR-4), parental blocks (MIN), processing stops and rectifications
        // (RTS-7).
        let oversight: &[&str] = if call.api {
            &[
                "/clients/{id}/parent-blocks",
                "/clients/{id}/processing-stops",
                "/clients/{id}/rectifications",
                "/trajectories/{id}/disclosures",
                "/trajectories/{id}/retention",
            ]
        } else {
            &[
                "/clienten/{id}/rechten",
                "/clienten/{id}/verzoeken/nieuw",
                "/trajecten/{id}/bewaartermijn",
                "/trajecten/{id}/verstrekkingen",
            ]
        };
        return Allowance {
            success: m == "get" && oversight.contains(&r),
            name_and_birth: false,
        };
    }
    Allowance::default()
}

/// One request to make: method, path as routed, whether it is an API operation, and the
/// body kind.
#[derive(Clone)]
struct Call {
    method: String,
    route: String,
    api: bool,
    multipart: bool,
    body_media: Option<String>,
}

/// The body of a state-changing request by the staff member `user`, with `csrf` as the
/// form token, and with the plausible `FIELDS` or only the token.
fn body_for(call: &Call, csrf: Option<&str>, user: &str, fields: bool) -> Body {
    let granting = !fields || GRANTING.contains(&call.route.as_str());
    if call.api {
        return match call.body_media.as_deref() {
            None => Body::None,
            Some("application/json") => {
                let mut v = serde_json::Map::new();
                if !granting {
                    for (k, val) in FIELDS {
                        v.insert(k.to_owned(), json!(val));
                    }
                    v.insert("user_id".to_owned(), json!(user));
                }
                Body::Json(Value::Object(v))
            }
            // An upload: a small text file (for a document that accepts any type).
            Some(media) if media.contains('*') => Body::Bytes("text/plain".to_owned()),
            Some(media) => Body::Bytes(media.to_owned()),
        };
    }
    if call.method == "get" {
        return Body::None;
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(t) = csrf {
        fields.push(("csrf".to_owned(), t.to_owned()));
    }
    if !granting {
        fields.extend(
            FIELDS
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        fields.push(("worker".to_owned(), user.to_owned()));
    }
    if call.multipart {
        Body::Multipart(fields)
    } else {
        Body::Form(fields)
    }
}

/// The staff pages the client's own caseworker sees, with the form tokens taken out: what
/// "nothing changed" compares.
async fn snapshot(owner: &WebClient, scene: &Scene) -> Vec<String> {
    let mut pages = Vec::new();
    for path in [
        format!("/trajecten/{}", scene.trajectory),
        format!("/trajecten/{}", scene.youth_trajectory),
        format!("/clienten/{}", scene.client),
        format!("/items/{}/geschiedenis", scene.special_entry),
        format!("/items/{}/geschiedenis", scene.entry),
        format!("/werkaantekeningen/{}", scene.work_note),
    ] {
        let page = owner.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let mut body = page.body;
        while let Some(at) = body.find("name=\"csrf\" value=\"") {
            let start = at + "name=\"csrf\" value=\"".len();
            let end = body[start..].find('"').unwrap() + start;
            body.replace_range(at..end, "CSRF");
        }
        pages.push(body);
    }
    pages
}

/// Calls every route as `caller` and returns the problems found.
async fn sweep(
    s: &TestServer,
    caller: &Caller,
    scene: &Arc<Scene>,
    calls: &[Call],
    session_routes: bool,
) -> (usize, Vec<String>) {
    let csrf = if caller.staff {
        Some(caller.web.get("/api-sleutels").await.csrf())
    } else {
        let portal = caller.web.get("/portaal/verzoeken").await;
        Some(portal.csrf()).filter(|t| !t.is_empty())
    };
    let limit = Arc::new(Semaphore::new(8));
    let mut set = JoinSet::new();
    let mut n = 0;
    for call in calls {
        if is_session_route(&call.route) != session_routes {
            continue;
        }
        n += 1;
        let (path, names_client, _) = scene.fill(&call.route, call.api);
        let url = if call.api {
            format!("{}/api/v1{path}", s.base)
        } else {
            format!("{}{path}", s.base)
        };
        let body = body_for(call, csrf.as_deref(), &caller.user, true);
        let web = caller.web.clone();
        let token = if call.api { caller.token.clone() } else { None };
        let call = call.clone();
        let label = caller.label;
        let limit = limit.clone();
        set.spawn(async move {
            let _permit = limit.acquire().await.unwrap();
            let r = send(&web, &call.method, url, token.as_deref(), body).await;
            let what = format!(
                "{label}: {} {}{} -> {} {}",
                call.method.to_uppercase(),
                if call.api { "/api/v1" } else { "" },
                call.route,
                r.status,
                r.location
            );
            let mut problems = Vec::new();
            if r.status >= 500 || r.status == 0 {
                problems.push(format!("{what}: server error"));
            }
            let may = allowance(label, &call);
            let shown: Vec<&str> = leaked(&r.text)
                .into_iter()
                .filter(|m| !(may.name_and_birth && NAME_AND_BIRTH.contains(m)))
                .collect();
            if !shown.is_empty() {
                problems.push(format!("{what}: shows {shown:?}"));
            }
            if names_client && !may.success {
                let to_sign_in = r.status == 303 && r.location.contains("/aanmelden");
                let refused = matches!(r.status, 401 | 403 | 404 | 405) || to_sign_in;
                // A form refused for its fields, with nothing changed (checked after).
                let malformed = call.method != "get" && matches!(r.status, 400 | 413 | 415 | 422);
                if !refused && !malformed {
                    problems.push(format!("{what}: not refused"));
                }
            }
            problems
        });
    }
    let mut problems = Vec::new();
    while let Some(p) = set.join_next().await {
        problems.extend(p.unwrap());
    }
    (n, problems)
}

/// A staff member of `role` in `team`, signed in, with a token of every scope.
async fn staff_caller(
    s: &TestServer,
    label: &'static str,
    username: &str,
    role: Role,
    team: Option<&str>,
    month: &str,
) -> (Caller, Actor) {
    let (actor, secret) = s.staff(username, role, team).await;
    let web = s.client();
    web.sign_in(username, &secret).await;
    let token = make_token(&web, "Alles", &["read", "write", "audit", "admin"], month).await;
    let caller = Caller {
        label,
        web: Arc::new(web),
        token: Some(token),
        user: actor.user_id().unwrap().to_string(),
        staff: true,
    };
    (caller, actor)
}

// promise: ACC-2
// promise: ACC-7
// promise: ACC-8
// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn no_route_shows_or_changes_a_client_for_a_caller_who_may_not_see_it() {
    let html = routes::html_routes();
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let month = (s.t.clock_today() + Duration::days(30)).to_string();
        let app = &s.t.app;

        // The client of team amw-helmond, with every kind of thing a dossier holds.
        let (worker, worker_secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let (client, trajectory) = s.t.intake(&worker, NAME, BIRTH, "amw").await;
        let youth_trajectory =
            s.t.open_trajectory(&worker, client, "jeugdhulp", "2026-03-01")
                .await;
        app.record_bsn(&worker, client, &zv_domain::Bsn::parse(BSN).unwrap())
            .await
            .unwrap();
        let entry = fixtures::entry(
            &s,
            worker.clone(),
            trajectory,
            EntryKind::ConversationReport,
            "Qzxvlq gesprek titel".into(),
            "Qzxvlq gesprek inhoud".into(),
        )
        .await;
        let special_entry = app
            .add_entry(
                &worker,
                trajectory,
                EntryKind::ConversationReport,
                EntryContent {
                    title: "Qzxvlq gezondheid titel".into(),
                    body: "Qzxvlq gezondheid inhoud".into(),
                    progress: None,
                },
                Some(SpecialMarking {
                    category: SpecialCategory::Health,
                    necessity: "Qzxvlq nodig voor de hulp".into(),
                }),
            )
            .await
            .unwrap();
        let attachment = app
            .add_attachment(
                &worker,
                special_entry,
                "qzxvlq-bijlage.txt",
                "text/plain",
                b"Qzxvlq bijlage inhoud",
            )
            .await
            .unwrap();
        let work_note = app
            .add_work_note(&worker, trajectory, "Qzxvlq werkaantekening")
            .await
            .unwrap();
        let related = app
            .add_related_person(
                &worker,
                client,
                RelatedPersonInput {
                    relation: RelationKind::ParentWithAuthority,
                    name: PersonName::parse("Wobbel Quelling").unwrap(),
                    birth_date: None,
                    phone: None,
                    email: None,
                    address: None,
                    authority_since: Some(date("2026-05-01")),
                    mandate: None,
                    linked_client: None,
                },
            )
            .await
            .unwrap();
        let owner = s.client();
        owner.sign_in("hulpverlener", &worker_secret).await;
        let own_portal = fixtures::portal(&s, &owner, client, "xandravo").await;
        let request = fixtures::file_in_portal(&s, &own_portal, RequestKind::Copy).await;
        let scene = Arc::new(Scene {
            client: client.to_string(),
            trajectory: trajectory.to_string(),
            youth_trajectory: youth_trajectory.to_string(),
            entry: entry.to_string(),
            special_entry: special_entry.to_string(),
            attachment: attachment.to_string(),
            work_note: work_note.to_string(),
            request: request.to_string(),
            related: related.to_string(),
            worker_user: worker.user_id().unwrap().to_string(),
        });
        // Everyone who may not see the client.
        let mut callers = vec![
            staff_caller(
                &s,
                OTHER_CASEWORKER,
                "collega",
                Role::Caseworker,
                Some("jeugd-eindhoven"),
                &month,
            )
            .await
            .0,
            staff_caller(
                &s,
                OTHER_TEAM_LEAD,
                "teamleider",
                Role::TeamLead,
                Some("jeugd-eindhoven"),
                &month,
            )
            .await
            .0,
            staff_caller(&s, MANAGER, "manager", Role::Manager, None, &month)
                .await
                .0,
            staff_caller(&s, QUALITY, "kwaliteit", Role::QualityOfficer, None, &month)
                .await
                .0,
            staff_caller(&s, ADMIN, "beheer", Role::Administrator, None, &month)
                .await
                .0,
            staff_caller(
                &s,
                OFFICER,
                "fg.privacy",
                Role::PrivacyOfficer,
                None,
                &month,
            )
            .await
            .0,
        ];
        // A caseworker on the case, signed in with a token, then disabled.
        let (disabled, leaver) = staff_caller(
            &s,
            "disabled caseworker on the case",
            "vertrokken",
            Role::Caseworker,
            Some("amw-helmond"),
            &month,
        )
        .await;
        app.assign_worker(&worker, trajectory, leaver.user_id().unwrap())
            .await
            .unwrap();
        app.disable_user(&Actor::cli("test"), "vertrokken")
            .await
            .unwrap();
        callers.push(disabled);
        // ACC-8: a newcomer on the case without a signed confidentiality statement.
        let newcomer_secret = crate::fixtures::unsigned_newcomer(&s, &worker, trajectory).await;
        let newcomer = app.staff_actor("nieuw", "test").await.unwrap();
        let n = s.client();
        n.sign_in("nieuw", &newcomer_secret).await;
        let token = make_token(&n, "Alles", &["read", "write", "audit", "admin"], &month).await;
        callers.push(Caller {
            label: "caseworker on the case without a confidentiality statement",
            web: Arc::new(n),
            token: Some(token),
            user: newcomer.user_id().unwrap().to_string(),
            staff: true,
        });
        callers.push(Caller {
            label: "anonymous",
            web: Arc::new(s.client()),
            token: None,
            user: uuid::Uuid::new_v4().to_string(),
            staff: false,
        });
        // The portal account of another client of the same caseworker.
        let (other, _) = s.t.intake(&worker, "Olaf Ander", "1990-01-01", "amw").await;
        let other_portal = fixtures::portal(&s, &owner, other, "olaf").await;
        callers.push(Caller {
            label: "portal account of another client",
            web: Arc::new(other_portal),
            token: None,
            user: uuid::Uuid::new_v4().to_string(),
            staff: false,
        });

        let before = snapshot(&owner, &scene).await;

        // Every route of both apps.
        let doc = crate::api::Api::anonymous(&s)
            .get("/openapi.json")
            .await
            .json;
        let api_ops: Vec<ApiOperation> = routes::api_operations(&doc);
        let mut calls: Vec<Call> = html
            .iter()
            .flat_map(|r: &HtmlRoute| {
                r.methods.iter().map(move |m| Call {
                    method: (*m).to_owned(),
                    route: r.path.clone(),
                    api: false,
                    multipart: r.multipart && *m == "post",
                    body_media: None,
                })
            })
            .collect();
        calls.extend(api_ops.iter().map(|o| Call {
            method: o.method.clone(),
            route: o.path.clone(),
            api: true,
            multipart: false,
            body_media: o.body.clone(),
        }));

        let mut total = 0;
        let mut problems = Vec::new();
        for caller in &callers {
            let (n, p) = sweep(&s, caller, &scene, &calls, false).await;
            total += n;
            problems.extend(p);
        }

        // SEC-1: the client's own caseworker (and the client in the portal) sends every
        // form without a token and with a wrong one; each is refused.
        let mut csrf_tried = 0;
        let mut csrf_refused = 0;
        let own_portal = Arc::new(own_portal);
        let owner = Arc::new(owner);
        for call in calls.iter().filter(|c| !c.api && c.method != "get") {
            if is_session_route(&call.route) {
                continue;
            }
            let web = if call.route.starts_with("/portaal") {
                own_portal.clone()
            } else {
                owner.clone()
            };
            let (path, _, random) = scene.fill(&call.route, false);
            for token in ["", "verkeerd"] {
                csrf_tried += 1;
                // Only the token: a form that refuses unknown fields would otherwise be
                // refused for those before its token is looked at.
                let body = body_for(call, Some(token), &scene.worker_user, false);
                let r = send(&web, "post", format!("{}{path}", s.base), None, body).await;
                // A route about an object that does not exist may say so first.
                if r.status == 403 || (random && r.status == 404) {
                    if r.status == 403 {
                        csrf_refused += 1;
                    }
                } else {
                    problems.push(format!(
                        "csrf {token:?}: POST {} -> {} {}",
                        call.route, r.status, r.location
                    ));
                }
            }
        }

        let after = snapshot(&owner, &scene).await;
        for (b, a) in before.iter().zip(&after) {
            if b != a {
                problems.push(format!(
                    "the client's dossier changed:\n--- before\n{b}\n--- after\n{a}"
                ));
            }
        }

        // Last, the routes that start or end a session.
        for caller in &callers {
            let (n, p) = sweep(&s, caller, &scene, &calls, true).await;
            total += n;
            problems.extend(p);
        }

        let routes_count = calls.len();
        eprintln!(
            "route access ({engine:?}): {} HTML routes ({} method routes) and {} API operations \
             = {routes_count} routes x {} callers = {total} requests; CSRF: {csrf_tried} requests, {csrf_refused} refused for the token",
            html.len(),
            calls.iter().filter(|c| !c.api).count(),
            api_ops.len(),
            callers.len(),
        );
        assert!(
            problems.is_empty(),
            "{engine:?}: {} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}
