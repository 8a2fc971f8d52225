//! The fixture the rights-request tests share: the staff around a client signed in (the
//! caseworker on the case, a colleague not on it, the privacy officer), the client in
//! the portal, a request the client files there, and the client's audit trail as a
//! privacy officer reads it.

use zv_core::Actor;
use zv_core::audit_log::AuditQuery;
use zv_core::requests::RequestKind;
use zv_domain::audit::AuditEvent;
use zv_domain::{ClientId, EntryContent, EntryId, EntryKind, Role, TrajectoryId};
use zv_testkit::web::{TestServer, WebClient};

use crate::portal::{invite, redeem_and_enrol};

/// The staff around a client, each signed in to the staff app in a browser of their own.
pub(crate) struct Staff {
    /// The caseworker ("hulpverlener") who takes the client in.
    pub worker: Actor,
    /// The caseworker's browser.
    pub staff: WebClient,
    /// A caseworker ("collega") not on the case.
    pub colleague: WebClient,
    /// The privacy officer ("fg.privacy").
    pub officer: WebClient,
    pub officer_secret: String,
}

/// The caseworker of `team`, a colleague of `colleague_team` and the privacy officer,
/// signed in.
pub(crate) async fn staff(s: &TestServer, team: &str, colleague_team: &str) -> Staff {
    let (worker, secret) = s.staff("hulpverlener", Role::Caseworker, Some(team)).await;
    let (_, colleague_secret) = s
        .staff("collega", Role::Caseworker, Some(colleague_team))
        .await;
    let (_, officer_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
    let staff = s.client();
    staff.sign_in("hulpverlener", &secret).await;
    let colleague = s.client();
    colleague.sign_in("collega", &colleague_secret).await;
    let officer = s.client();
    officer.sign_in("fg.privacy", &officer_secret).await;
    Staff {
        worker,
        staff,
        colleague,
        officer,
        officer_secret,
    }
}

/// The client in the portal: invited by the caseworker (`staff`), the code redeemed and
/// the account enrolled as `username`.
pub(crate) async fn portal(
    s: &TestServer,
    staff: &WebClient,
    client: ClientId,
    username: &str,
) -> WebClient {
    let portal = s.client();
    redeem_and_enrol(&portal, &invite(staff, client).await, username).await;
    portal
}

/// The client files a request of `kind` for everything in the portal; its id, as the
/// privacy officer finds it among the filed requests.
pub(crate) async fn file_in_portal(s: &TestServer, p: &WebClient, kind: RequestKind) -> uuid::Uuid {
    let page = p.get("/portaal/verzoeken").await;
    let filed = p
        .post(
            "/portaal/verzoeken",
            &[
                ("csrf", &page.csrf()),
                ("kind", kind.code()),
                ("scope", "all"),
            ],
        )
        .await;
    assert_eq!(filed.status, 303, "{}", filed.body);
    let fg = s.t.staff("fg.lijst", Role::PrivacyOfficer, None).await;
    s.t.app
        .filed_requests(&fg)
        .await
        .unwrap()
        .iter()
        .find(|f| f.kind == Some(kind))
        .unwrap()
        .id
}

/// A client `worker` registers at intake, without contact details, with a first
/// trajectory of general social work ("amw") in the Helmond team opened on `opened_on`.
pub(crate) async fn amw_client(
    s: &TestServer,
    worker: &Actor,
    name: &str,
    birth: &str,
    domestic_violence: bool,
    opened_on: &str,
) -> (ClientId, TrajectoryId) {
    let app = &s.t.app;
    app.register_client(
        worker,
        zv_core::clients::NewClientInput {
            branch: app.policy().branches()[0].code.clone(),
            name: zv_domain::PersonName::parse(name).unwrap(),
            birth_date: zv_domain::BirthDate::parse(birth, s.t.clock_today()).unwrap(),
            gender: zv_domain::Gender::Unknown,
            address: None,
            phone: None,
            email: None,
            confidential_address: false,
        },
        zv_core::trajectories::TrajectoryInput {
            service_type: "amw".to_owned(),
            team: "amw-helmond".to_owned(),
            domestic_violence,
            opened_on: zv_testkit::date(opened_on),
            municipality: None,
        },
    )
    .await
    .unwrap()
}

/// An entry's content without progress.
pub(crate) fn content(title: &str, body: &str) -> EntryContent {
    EntryContent {
        title: title.to_owned(),
        body: body.to_owned(),
        progress: None,
    }
}

/// An entry `worker` writes in `trajectory`.
pub(crate) async fn entry(
    s: &TestServer,
    worker: Actor,
    trajectory: TrajectoryId,
    kind: EntryKind,
    title: String,
    body: String,
) -> EntryId {
    s.t.app
        .add_entry(&worker, trajectory, kind, content(&title, &body), None)
        .await
        .unwrap()
}

/// The audit events of a client, newest first, as the privacy officer `fg` reads them.
pub(crate) async fn client_events(s: &TestServer, fg: &Actor, client: ClientId) -> Vec<AuditEvent> {
    s.t.app
        .audit_events(
            fg,
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

/// A GET whose body is a file: status, content type and bytes.
pub(crate) async fn get_file(c: &WebClient, path: &str) -> (u16, String, Vec<u8>) {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// The text of a PDF, its white space folded.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// ACC-8: a newcomer "nieuw" of amw-helmond, assigned to `trajectory` by `worker`, whose
/// confidentiality statement is not recorded. Returns the second-factor secret to sign in.
pub(crate) async fn unsigned_newcomer(
    s: &TestServer,
    worker: &Actor,
    trajectory: TrajectoryId,
) -> String {
    let enrolment =
        s.t.app
            .add_user(
                &Actor::cli("test"),
                zv_core::users::NewUserInput {
                    username: "nieuw".into(),
                    display_name: "Nieuwe Medewerker".into(),
                    password: zeroize::Zeroizing::new(zv_testkit::TEST_PASSWORD.to_owned()),
                    roles: vec![Role::Caseworker],
                    teams: vec!["amw-helmond".into()],
                    branch: None,
                    confidentiality_signed_on: None,
                },
            )
            .await
            .unwrap();
    let newcomer = s.t.app.staff_actor("nieuw", "test").await.unwrap();
    s.t.app
        .assign_worker(worker, trajectory, newcomer.user_id().unwrap())
        .await
        .unwrap();
    zv_core::sign_in::otpauth_secret(&enrolment.otpauth_uri)
        .unwrap()
        .to_owned()
}

/// The caseworker ("hulpverlener", team Helmond) and the client they take in ("Fatima
/// Yilmaz", general social work): the start of most web and API tests. Returns the
/// caseworker, the second-factor secret to sign in with, the client and the trajectory.
pub(crate) async fn caseworker_with_client(
    s: &TestServer,
) -> (Actor, String, ClientId, TrajectoryId) {
    let (worker, secret) = s
        .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
        .await;
    let (client, trajectory) =
        s.t.intake(&worker, "Fatima Yilmaz", "1985-06-15", "amw")
            .await;
    (worker, secret, client, trajectory)
}
