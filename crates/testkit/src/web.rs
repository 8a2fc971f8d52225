//! The web app on a real socket, and a client with a cookie jar that signs in the way a
//! person does (password, then the code from an authenticator app).

use std::net::SocketAddr;

use reqwest::redirect::Policy;
use zv_core::Actor;
use zv_domain::Role;

use crate::{Engine, TestApp};

pub struct TestServer {
    pub t: TestApp,
    pub base: String,
}

impl TestServer {
    pub async fn start(engine: Engine, policy: &str) -> Self {
        Self::on(TestApp::start(engine, policy).await).await
    }

    /// On a policy a test changed.
    pub async fn start_with_policy(engine: Engine, policy: zv_policy::Policy) -> Self {
        Self::on(TestApp::start_with_policy(engine, policy).await).await
    }

    async fn on(t: TestApp) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = zv_web::router(t.app.clone(), zv_web::WebOptions::default());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Self {
            t,
            base: format!("http://{addr}"),
        }
    }

    /// A staff member and their second-factor secret (base32), not yet enrolled.
    pub async fn staff(&self, username: &str, role: Role, team: Option<&str>) -> (Actor, String) {
        self.t.staff_with_secret(username, role, team).await
    }

    #[must_use]
    pub fn client(&self) -> WebClient {
        WebClient {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
            clock: self.t.clock.clone(),
        }
    }
}

/// A neutral site on its own port, standing in for the weather site a quick exit (POR-5)
/// leaves for: every path answers the same page. Returns its base address.
pub async fn neutral_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = axum::Router::new().fallback(|| async {
        axum::response::Html(
            "<!DOCTYPE html><title>Het weer</title><h1>Het weer</h1><p>Zonnig.</p>",
        )
    });
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

pub struct WebClient {
    pub http: reqwest::Client,
    pub base: String,
    clock: zv_domain::FixedClock,
}

/// A response read whole.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    #[must_use]
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    /// The first CSRF token in the page's forms.
    #[must_use]
    pub fn csrf(&self) -> String {
        self.body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_owned()
    }
}

impl WebClient {
    async fn read(r: reqwest::Response) -> Page {
        Page {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Self::read(
            self.http
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Uploads a file as a browser's multipart form does (CSRF token first).
    pub async fn upload(
        &self,
        path: &str,
        csrf: &str,
        name: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Page {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(media_type)
            .unwrap();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_owned())
            .part("file", part);
        match self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
        {
            Ok(r) => Self::read(r).await,
            // A server may refuse an oversized body and close the connection before the
            // client has finished sending it; the client then sees no status at all.
            Err(e) => Page {
                status: 0,
                headers: reqwest::header::HeaderMap::new(),
                body: e.to_string(),
            },
        }
    }

    /// Posts a multipart form with a file and other fields, as a browser does: the fields
    /// in order (a repeated name is a repeated field), then the file as `file`.
    pub async fn upload_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, Vec<u8>),
    ) -> Page {
        let (name, media_type, bytes) = file;
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(media_type)
            .unwrap();
        form = form.part("file", part);
        Self::read(
            self.http
                .post(format!("{}{path}", self.base))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// The current code of a base32 secret, at the server's (test) clock.
    #[must_use]
    pub fn code(&self, secret: &str) -> String {
        use zv_domain::Clock;
        zv_core::sign_in::totp_code(secret, u64::try_from(self.clock.now().timestamp()).unwrap())
            .unwrap()
    }

    /// Signs in with password and code, enrolling the second factor when the account has
    /// not yet. Returns the recovery codes when it enrolled.
    pub async fn sign_in(&self, username: &str, secret: &str) -> Vec<String> {
        let first = self
            .post(
                "/aanmelden",
                &[("username", username), ("password", crate::TEST_PASSWORD)],
            )
            .await;
        assert_eq!(first.status, 303, "{}", first.body);
        match first.location() {
            Some("/aanmelden/code") => {
                let form = self.get("/aanmelden/code").await;
                let done = self
                    .post(
                        "/aanmelden/code",
                        &[("csrf", &form.csrf()), ("code", &self.code(secret))],
                    )
                    .await;
                assert_eq!(done.location(), Some("/"), "{}", done.body);
                Vec::new()
            }
            Some("/aanmelden/koppelen") => {
                let form = self.get("/aanmelden/koppelen").await;
                let done = self
                    .post(
                        "/aanmelden/koppelen",
                        &[("csrf", &form.csrf()), ("code", &self.code(secret))],
                    )
                    .await;
                assert_eq!(done.status, 200, "{}", done.body);
                done.body
                    .split("<li><code>")
                    .skip(1)
                    .filter_map(|r| r.split('<').next())
                    .map(str::to_owned)
                    .collect()
            }
            other => panic!("unexpected redirect {other:?}"),
        }
    }
}
