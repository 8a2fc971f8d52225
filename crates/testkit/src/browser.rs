//! Headless Chromium through ChromeDriver's W3C WebDriver protocol, spoken directly over
//! HTTP (no browser download, no extra client library). Used by the browser journeys;
//! screenshots go to `target/screenshots/` and are kept as CI artifacts.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the browser suite should run (CI sets `ZV_BROWSER_TESTS=1`).
#[must_use]
pub fn enabled() -> bool {
    std::env::var("ZV_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    pub async fn start() -> Self {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "chromedriver (Debian package chromium-driver) is needed for the browser suite",
            );
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1200,900",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
            }}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Self {
            driver,
            http,
            session,
            base,
            _profile: profile,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.http.request(method.clone(), url);
        let request = if method == reqwest::Method::GET {
            request
        } else {
            request.json(&body)
        };
        let r = request.send().await.unwrap();
        let v: Value = r.json().await.unwrap();
        assert!(v["value"].get("error").is_none(), "webdriver {path}: {v}");
        v["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .to_owned()
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    /// Clicks something that loads another page, and waits until it has.
    pub async fn click_and_wait(&self, css: &str) {
        let before = self.url().await;
        self.click(css).await;
        for _ in 0..100 {
            if self.url().await != before {
                let ready = self
                    .call(
                        reqwest::Method::POST,
                        "/execute/sync",
                        json!({"script": "return document.readyState;", "args": []}),
                    )
                    .await;
                if ready.as_str() == Some("complete") {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("clicking {css} loaded no new page");
    }

    pub async fn text(&self) -> String {
        let id = self.find("body").await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{id}/text"),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs a script in the page and returns its value.
    pub async fn execute(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
        .await
    }

    /// Clicks something whose result shows in the page without a new address (a form
    /// the page sends itself), and waits until the page's text holds `needle`.
    pub async fn click_and_wait_for(&self, css: &str, needle: &str) {
        self.click(css).await;
        self.wait_for_text(needle).await;
    }

    /// Waits until the page's text holds `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        for _ in 0..100 {
            let text = self
                .execute("return document.body ? document.body.innerText : '';")
                .await;
            if text.as_str().is_some_and(|t| t.contains(needle)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page never showed `{needle}`: {}", self.text().await);
    }

    /// Waits until the address satisfies `pred`, and returns it.
    pub async fn wait_for_url(&self, pred: impl Fn(&str) -> bool) -> String {
        let mut url = String::new();
        for _ in 0..100 {
            url = self.url().await;
            if pred(&url) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the address never became what was expected: {url}");
    }

    /// Presses and releases keys, one after another, as a person at the keyboard does
    /// (WebDriver key codes: `\u{E00C}` is Escape).
    pub async fn press_keys(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.call(
            reqwest::Method::POST,
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )
        .await;
    }

    /// The browser's back button.
    pub async fn back(&self) {
        self.call(reqwest::Method::POST, "/back", json!({})).await;
    }

    /// Saves a PNG under `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let v = self
            .call(reqwest::Method::GET, "/screenshot", Value::Null)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .unwrap();
        let dir = crate::repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Whether any script ran on the page (the CSP forbids all; an injected one must not).
    pub async fn script_ran(&self) -> bool {
        // Executing script through WebDriver is allowed even under the page's CSP; it
        // reads a marker an injected payload would set.
        let v = self
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                json!({"script": "return window.__zv_xss === true;", "args": []}),
            )
            .await;
        v.as_bool().unwrap_or(false)
    }
}
