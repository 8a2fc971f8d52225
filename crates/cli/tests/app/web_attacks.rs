//! Attacks on the web app through HTTP, as an attacker's browser or script makes them, on
//! both engines (SEC-1, SEC-2): a corpus of cross-site-scripting payloads typed into every
//! text field the staff app and the portal offer, then every page read back and checked
//! for markup that came from a user (and, in Chromium, for script that ran); session
//! fixation and replay after sign-out; the security headers on every kind of response;
//! a scripted brute-force run against the sign-in, and no way to tell which usernames
//! exist.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chrono::Duration;
use reqwest::redirect::Policy;
use zv_domain::Role;
use zv_testkit::web::{Page, TestServer, WebClient};
use zv_testkit::{Engine, TEST_PASSWORD, engines};

use crate::portal::{invite, redeem_and_enrol};

/// The payloads of `xss_payloads.txt`.
fn corpus() -> Vec<String> {
    include_str!("xss_payloads.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// What `{{7*7191}}` and its kin would render as, were user text ever evaluated as a
/// template.
const EVALUATED: &str = "50337";

/// Whether the page holds [`EVALUATED`] as a number of its own. The same digits inside a
/// longer token are an id's (a UUID's hex, ids on the page are random), not a result.
fn evaluated(html: &str) -> bool {
    let part_of_token = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
    memchr::memmem::find_iter(html.as_bytes(), EVALUATED).any(|at| {
        !part_of_token(html[..at].chars().next_back())
            && !part_of_token(html[at + EVALUATED.len()..].chars().next())
    })
}

// ---------------------------------------------------------------------------------------
// A small HTML tag scanner: enough to see the tags and attributes a page really has.
// ---------------------------------------------------------------------------------------

struct Attr {
    name: String,
    /// The value with character references decoded.
    value: String,
    quoted: bool,
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<Attr>,
    /// Byte offset just past the tag's `>`.
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// Decodes the character references askama and the templates write.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let text = |from: usize, to: usize| String::from_utf8_lossy(&b[from..to]).into_owned();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = text(start, i).to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let n = i;
            i += 1;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            let attr_name = text(n, i).to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value, quoted) = if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let v = i + 1;
                        let e = b[v..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(b.len(), |p| v + p);
                        i = (e + 1).min(b.len());
                        (text(v, e), true)
                    }
                    _ => {
                        let v = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        (text(v, i), false)
                    }
                }
            } else {
                (String::new(), false)
            };
            attrs.push(Attr {
                name: attr_name,
                value: decode(&value),
                quoted,
            });
        }
        out.push(Tag {
            name,
            closing,
            attrs,
            end: i,
        });
    }
    out
}

/// The ways a page can show that a user's text became markup. Empty when it did not.
fn injection_findings(html: &str, payloads: &[String]) -> Vec<String> {
    const MARKERS: [&str; 2] = ["zvx", "zv_xss"];
    const URL_ATTRS: [&str; 8] = [
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "xlink:href",
        "poster",
        "background",
    ];
    const FOREIGN: [&str; 9] = [
        "iframe", "frame", "frameset", "object", "embed", "base", "applet", "math", "noscript",
    ];
    let mut found = Vec::new();
    let marked = |s: &str| MARKERS.iter().any(|m| s.contains(m));
    for t in tags(html).iter().filter(|t| !t.closing) {
        if marked(&t.name) || FOREIGN.contains(&t.name.as_str()) {
            found.push(format!("element <{}>", t.name));
        }
        if t.name == "script" && t.attr("src") != Some("/static/quick-exit.js") {
            found.push("a script that is not the app's own".to_owned());
        }
        if t.name == "meta" && t.attr("http-equiv").is_some() {
            found.push("<meta http-equiv>".to_owned());
        }
        if t.name == "link" && !t.attr("href").is_some_and(|h| h.starts_with("/static/")) {
            found.push("<link> to elsewhere".to_owned());
        }
        if t.name == "img"
            && !t
                .attr("src")
                .is_some_and(|s| s.starts_with('/') || s.starts_with("data:image/"))
        {
            found.push(format!("<img src={:?}>", t.attr("src")));
        }
        for a in &t.attrs {
            if a.name.starts_with("on") || a.name == "style" || a.name == "formaction" {
                found.push(format!("<{} {}=...>", t.name, a.name));
            }
            if marked(&a.name) || (!a.quoted && marked(&a.value)) {
                found.push(format!(
                    "user text as an attribute of <{}>: {}",
                    t.name, a.name
                ));
            }
            if URL_ATTRS.contains(&a.name.as_str()) {
                let v: String = a
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:text/html"]
                    .iter()
                    .any(|s| v.starts_with(s))
                {
                    found.push(format!("<{} {}={:?}>", t.name, a.name, a.value));
                }
            }
        }
    }
    for p in payloads {
        // memchr's search, built optimised with the dependencies: `str::contains` here
        // is compiled with the tests, unoptimised, and 60 payloads over every page was
        // a quarter of this suite's slowest test.
        if p.contains(['<', '>', '"', '\'', '&'])
            && memchr::memmem::find(html.as_bytes(), p.as_bytes()).is_some()
        {
            found.push(format!("the payload unescaped: {p}"));
        }
    }
    if evaluated(html) {
        found.push("a template expression was evaluated".to_owned());
    }
    found
}

// ---------------------------------------------------------------------------------------
// Forms as a browser sees them, filled with the corpus.
// ---------------------------------------------------------------------------------------

#[derive(Clone)]
enum Kind {
    /// Sent as it is (hidden fields, dates, numbers, codes).
    Keep,
    /// Free text: where the payloads go.
    Text,
    Select(Vec<String>),
    Checkbox,
    Radio,
    File,
    Button,
}

#[derive(Clone)]
struct Field {
    name: String,
    kind: Kind,
    value: String,
    /// The input's type (or `numeric` for a numeric input mode).
    ty: String,
}

#[derive(Clone)]
struct Form {
    post: bool,
    action: String,
    fields: Vec<Field>,
}

impl Form {
    fn text_fields(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| matches!(f.kind, Kind::Text))
            .map(|f| f.name.as_str())
            .collect()
    }

    fn key(&self) -> String {
        let names: BTreeSet<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        format!(
            "{} {} {:?}",
            if self.post { "POST" } else { "GET" },
            shape(&self.action),
            names
        )
    }

    /// The values a browser sends: payload `p` in the fields of `target` (all text
    /// fields when `None`), ordinary text in the others, option `round` of each list.
    fn values(
        &self,
        p: &str,
        target: Option<&str>,
        round: usize,
        (today, later): (&str, &str),
    ) -> Vec<(String, String)> {
        let mut seen_radio = BTreeSet::new();
        let mut seen_button = false;
        let mut out = Vec::new();
        for f in &self.fields {
            let v = match &f.kind {
                Kind::Text if target.is_none_or(|t| t == f.name) => p.to_owned(),
                Kind::Text => benign(&f.name, &f.value, round),
                Kind::Keep if !f.value.is_empty() => f.value.clone(),
                Kind::Keep if f.ty == "datetime-local" || f.name.ends_with("_at") => {
                    format!("{today}T09:00")
                }
                Kind::Keep if f.ty == "date" || is_date(&f.name) => {
                    if ["ends", "expires", "until"]
                        .iter()
                        .any(|w| f.name.contains(w))
                    {
                        later.to_owned()
                    } else {
                        today.to_owned()
                    }
                }
                Kind::Keep if f.ty == "number" || f.ty == "numeric" => "1".to_owned(),
                Kind::Keep if f.ty == "password" => TEST_PASSWORD.to_owned(),
                Kind::Keep => f.value.clone(),
                Kind::Select(options) if options.is_empty() => continue,
                Kind::Select(options) => options[round % options.len()].clone(),
                Kind::Radio if seen_radio.insert(f.name.clone()) => f.value.clone(),
                Kind::Button if !seen_button && !f.name.is_empty() => {
                    seen_button = true;
                    f.value.clone()
                }
                // Every other round ticks the boxes: some forms need one (a scope, a role).
                Kind::Checkbox if round % 2 == 1 => f.value.clone(),
                Kind::Radio | Kind::Checkbox | Kind::File | Kind::Button => continue,
            };
            out.push((f.name.clone(), v));
        }
        out
    }
}

fn is_date(name: &str) -> bool {
    name.ends_with("_on") || name.ends_with("_at") || name.contains("date") || name == "discovered"
}

/// An ordinary value for a text field that is not the target of this submission.
fn benign(name: &str, current: &str, round: usize) -> String {
    if !current.is_empty() {
        current.to_owned()
    } else if name == "username" {
        format!("gebruiker{round}")
    } else if name.contains("email") {
        "iemand@voorbeeld.nl".to_owned()
    } else if name.contains("phone") {
        "0612345678".to_owned()
    } else if name.contains("country") {
        "NL".to_owned()
    } else {
        "Gewone tekst".to_owned()
    }
}

/// Fields that take a format rather than free text: left as the page has them.
fn formatted(name: &str, input_type: &str, inputmode: Option<&str>) -> bool {
    matches!(
        input_type,
        "date" | "datetime-local" | "time" | "number" | "password" | "hidden" | "month"
    ) || inputmode == Some("numeric")
        || ["csrf", "code", "bsn", "password", "hours", "version"].contains(&name)
        || is_date(name)
}

fn forms(html: &str) -> Vec<Form> {
    let all = tags(html);
    let mut out: Vec<Form> = Vec::new();
    let mut current: Option<Form> = None;
    let mut select: Option<(String, Vec<String>, Option<String>)> = None;
    for t in &all {
        let Some(form) = current.as_mut() else {
            if t.name == "form" && !t.closing {
                current = Some(Form {
                    post: t
                        .attr("method")
                        .is_some_and(|m| m.eq_ignore_ascii_case("post")),
                    action: t.attr("action").unwrap_or_default().to_owned(),
                    fields: Vec::new(),
                });
            }
            continue;
        };
        let name = t.attr("name").unwrap_or_default().to_owned();
        match (t.name.as_str(), t.closing) {
            ("form", true) => out.extend(current.take()),
            ("input", false) if !name.is_empty() => {
                let ty = t.attr("type").unwrap_or("text").to_ascii_lowercase();
                let kind = match ty.as_str() {
                    "checkbox" => Kind::Checkbox,
                    "radio" => Kind::Radio,
                    "file" => Kind::File,
                    "submit" => Kind::Button,
                    _ if formatted(&name, &ty, t.attr("inputmode")) => Kind::Keep,
                    _ => Kind::Text,
                };
                form.fields.push(Field {
                    name,
                    kind,
                    value: t.attr("value").unwrap_or_default().to_owned(),
                    ty: if t.attr("inputmode") == Some("numeric") {
                        "numeric".to_owned()
                    } else {
                        ty
                    },
                });
            }
            ("textarea", false) => {
                let rest = &html[t.end..];
                let content = decode(&rest[..rest.find("</textarea").unwrap_or(0)]);
                form.fields.push(Field {
                    kind: if formatted(&name, "", None) {
                        Kind::Keep
                    } else {
                        Kind::Text
                    },
                    name,
                    value: content,
                    ty: "textarea".to_owned(),
                });
            }
            ("select", false) => select = Some((name, Vec::new(), None)),
            ("option", false) => {
                if let Some((_, options, selected)) = select.as_mut()
                    && let Some(v) = t.attr("value").filter(|v| !v.is_empty())
                {
                    options.push(v.to_owned());
                    if t.attrs.iter().any(|a| a.name == "selected") {
                        *selected = Some(v.to_owned());
                    }
                }
            }
            ("select", true) => {
                if let Some((name, mut options, selected)) = select.take() {
                    // The option the page chose comes first: the first round keeps it.
                    if let Some(s) = selected {
                        options.retain(|o| *o != s);
                        options.insert(0, s);
                    }
                    form.fields.push(Field {
                        name,
                        kind: Kind::Select(options),
                        value: String::new(),
                        ty: "select".to_owned(),
                    });
                }
            }
            ("button", false) if !name.is_empty() => form.fields.push(Field {
                name,
                kind: Kind::Button,
                value: t.attr("value").unwrap_or_default().to_owned(),
                ty: "button".to_owned(),
            }),
            _ => {}
        }
    }
    out
}

/// A path with its ids folded, so a crawl reads a few pages of each kind.
fn shape(path: &str) -> String {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let folded: Vec<String> = p
        .split('/')
        .map(|seg| {
            if uuid::Uuid::parse_str(seg).is_ok()
                || seg.chars().any(|c| c.is_ascii_digit())
                || seg.len() > 30
            {
                "{}".to_owned()
            } else {
                seg.to_owned()
            }
        })
        .collect();
    let keys: BTreeSet<&str> = q
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    format!("{}?{keys:?}", folded.join("/"))
}

/// Actions the corpus is not sent to: they end a session or destroy, close or freeze
/// what the other forms need, and hold no free text worth the loss.
const SPARED: [&str; 16] = [
    "afmelden",
    "/taal/",
    "aanmelden",
    "uitnodiging",
    "intrekken",
    "/afsluiten",
    "blokkeren",
    "tweede-factor",
    "verwijdering",
    "verwijderen",
    "beperking",
    "bezwaar",
    "uit-dienst",
    "uit-gebruik",
    "beeindigen",
    "snel-weg",
];

/// Links a crawl does not follow.
fn followed(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains("snel-weg")
}

// ---------------------------------------------------------------------------------------
// The run: users who fill every form they reach, then read every page they reach.
// ---------------------------------------------------------------------------------------

struct User {
    name: &'static str,
    secret: String,
    c: WebClient,
    portal: bool,
    /// Pages the crawl starts from besides the start page.
    roots: Vec<String>,
}

#[derive(Default)]
struct Tally {
    /// (field, payload) pairs the app accepted, by form.
    entered: BTreeMap<String, usize>,
    /// (field, payload) pairs the app refused as invalid input.
    refused: usize,
    /// Forms whose text fields took the corpus.
    forms: BTreeSet<String>,
    /// Forms the corpus was sent to.
    tried: BTreeSet<String>,
    /// HTML pages (and form answers) checked for injected markup.
    pages: usize,
    /// Every response checked for the security headers.
    responses: usize,
    problems: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: &str, page: &Page, payloads: &[String]) {
        self.responses += 1;
        for p in headers_missing(what, page) {
            self.problems.push(p);
        }
        let html = page
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if html {
            self.pages += 1;
            for f in injection_findings(&page.body, payloads) {
                self.problems.push(format!("{what}: {f}"));
            }
        }
    }
}

/// What a response lacks of the security headers (SEC-1, SEC-2).
fn headers_missing(what: &str, page: &Page) -> Vec<String> {
    let h = &page.headers;
    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut missing = Vec::new();
    let csp = get("content-security-policy");
    let script_ok = csp.contains("script-src 'none'")
        || (what.contains("/portaal") && csp.contains("script-src 'self'"));
    if !script_ok || !csp.contains("frame-ancestors 'none'") || csp.contains("http") {
        missing.push(format!("{what}: content-security-policy {csp:?}"));
    }
    if get("x-content-type-options") != "nosniff" {
        missing.push(format!("{what}: x-content-type-options"));
    }
    if get("referrer-policy") != "no-referrer" {
        missing.push(format!("{what}: referrer-policy"));
    }
    if !what.contains("/static/") && get("cache-control") != "no-store" {
        missing.push(format!("{what}: cache-control {:?}", get("cache-control")));
    }
    missing
}

fn links(html: &str) -> Vec<String> {
    tags(html)
        .iter()
        .filter(|t| t.name == "a" && !t.closing)
        .filter_map(|t| t.attr("href"))
        .map(|h| h.split('#').next().unwrap_or_default().to_owned())
        .filter(|h| followed(h))
        .collect()
}

/// Reads every page `u` reaches from its start page (a few of each kind), checking each;
/// returns the pages read and the forms found on them, with the page each was on.
async fn crawl(
    u: &User,
    tally: &mut Tally,
    payloads: &[String],
) -> (Vec<String>, Vec<(String, Form)>) {
    let start = if u.portal { "/portaal" } else { "/" };
    let mut queue: VecDeque<String> = VecDeque::from([start.to_owned()]);
    queue.extend(u.roots.iter().cloned());
    let mut seen = BTreeSet::new();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut pages = Vec::new();
    let mut found = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || pages.len() >= 400 {
            continue;
        }
        let n = per_shape.entry(shape(&path)).or_default();
        *n += 1;
        if *n > 3 {
            continue;
        }
        let page = u.c.get(&path).await;
        tally.check(&format!("{} GET {path}", u.name), &page, payloads);
        let html = page
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if page.status == 200 && html {
            pages.push(path.clone());
            queue.extend(links(&page.body));
            found.extend(forms(&page.body).into_iter().map(|f| (path.clone(), f)));
        }
    }
    (pages, found)
}

/// Sends the corpus through one form: every payload, in all its text fields at once, or
/// field by field where the form refuses the whole.
async fn fill(
    u: &User,
    source: &str,
    form: &Form,
    s: &TestServer,
    tally: &mut Tally,
    payloads: &[String],
) {
    let today = s.t.clock_today().to_string();
    let later = (s.t.clock_today() + Duration::days(30)).to_string();
    let mut form = form.clone();
    tally.tried.insert(form.key());
    let mut idle = 0;
    for (round, p) in payloads.iter().enumerate() {
        if idle >= 3 {
            break;
        }
        let targets = form.text_fields().len();
        let mut accepted = 0;
        let mut attempts: Vec<Option<String>> = vec![None];
        if targets > 1 {
            attempts.extend(form.text_fields().iter().map(|f| Some((*f).to_owned())));
        }
        for (i, target) in attempts.iter().enumerate() {
            if i > 0 && accepted > 0 {
                break;
            }
            let values = form.values(p, target.as_deref(), round, (&today, &later));
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let answer = if form.post {
                u.c.post(&form.action, &pairs).await
            } else {
                let query = serde_urlencoded(&pairs);
                u.c.get(&format!("{}?{query}", form.action)).await
            };
            let label = format!(
                "{} {} {}",
                u.name,
                if form.post { "POST" } else { "GET" },
                form.action
            );
            tally.check(&label, &answer, payloads);
            if answer.status < 400 {
                let n = if target.is_some() { 1 } else { targets };
                accepted += n;
                *tally.entered.entry(form.key()).or_default() += n;
            } else if answer.status == 422 {
                tally.refused += 1;
            }
            if let Some(location) = answer.location().filter(|l| followed(l)) {
                let next = u.c.get(location).await;
                tally.check(&format!("{} GET {location}", u.name), &next, payloads);
            }
        }
        if accepted == 0 {
            idle += 1;
            // A page may have moved on (a version, a state): read the form again.
            let page = u.c.get(source).await;
            if let Some(again) = forms(&page.body)
                .into_iter()
                .find(|f| f.key() == form.key())
            {
                form = again;
            }
        } else {
            idle = 0;
            tally.forms.insert(form.key());
        }
    }
}

fn serde_urlencoded(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://x/").unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}

/// The organisation's people, each signed in: staff in every role that has forms of its
/// own, and a client in the portal.
async fn people(s: &TestServer) -> (Vec<User>, zv_domain::ClientId, zv_domain::TrajectoryId) {
    let mut users = Vec::new();
    let roles: [(&'static str, Role, Option<&str>); 8] = [
        ("hulpverlener", Role::Caseworker, Some("amw-helmond")),
        ("teamleider", Role::TeamLead, Some("amw-helmond")),
        ("groepswerker", Role::Caseworker, Some("groepen-best")),
        ("manager", Role::Manager, None),
        ("fg.privacy", Role::PrivacyOfficer, None),
        ("beheerder", Role::Administrator, None),
        ("hr.medewerker", Role::HrOfficer, None),
        ("financien", Role::FinanceOfficer, None),
    ];
    let mut worker = None;
    for (name, role, team) in roles {
        let (actor, secret) = s.staff(name, role, team).await;
        worker.get_or_insert(actor);
        let c = s.client();
        c.sign_in(name, &secret).await;
        users.push(User {
            name,
            secret,
            c,
            portal: false,
            roots: Vec::new(),
        });
    }
    let (client, trajectory) =
        s.t.intake(&worker.unwrap(), "Fatima Yilmaz", "1985-06-15", "amw")
            .await;
    let p = s.client();
    let (secret, _) = redeem_and_enrol(&p, &invite(&users[0].c, client).await, "fatima").await;
    // The first client's own pages come first: the payloads' clients crowd the lists.
    for u in &mut users {
        u.roots = vec![
            format!("/clienten/{client}"),
            format!("/trajecten/{trajectory}"),
        ];
    }
    // The client goes first, before staff decide on what the client filed.
    users.insert(
        0,
        User {
            name: "portaal",
            secret,
            c: p,
            portal: true,
            roots: vec![format!("/portaal/trajecten/{trajectory}")],
        },
    );
    (users, client, trajectory)
}

struct Run {
    tally: Tally,
    /// The pages each user read in the last round, by user.
    pages: Vec<(&'static str, Vec<String>)>,
}

/// Every user fills every form they reach with the corpus (twice round, so forms on
/// pages the first round made are reached too), then reads every page again.
async fn attack(s: &TestServer, users: &[User], payloads: &[String]) -> Run {
    let mut tally = Tally::default();
    let mut done = BTreeSet::new();
    for _ in 0..2 {
        for u in users {
            let (_, found) = crawl(u, &mut tally, payloads).await;
            for (source, form) in found {
                // A decision on a rights request may erase or restrict the client the
                // portal user is.
                let decision = form.action.starts_with("/privacy/verzoeken/")
                    && form.action.ends_with("/besluit");
                let spared = decision
                    || SPARED.iter().any(|x| form.action.contains(x))
                    || form.fields.iter().any(|f| matches!(f.kind, Kind::File))
                    || form.text_fields().is_empty()
                    || !followed(&form.action);
                if spared || !done.insert(format!("{} {}", u.name, form.key())) {
                    continue;
                }
                fill(u, &source, &form, s, &mut tally, payloads).await;
            }
        }
    }
    let mut pages = Vec::new();
    for u in users {
        let (read, _) = crawl(u, &mut tally, payloads).await;
        pages.push((u.name, read));
    }
    Run { tally, pages }
}

// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn every_text_field_takes_the_payload_corpus_and_no_page_shows_it_as_markup() {
    let payloads = corpus();
    assert!(payloads.len() >= 30, "{}", payloads.len());
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (users, _, _) = people(&s).await;
        let run = attack(&s, &users, &payloads).await;
        let t = &run.tally;
        assert!(
            t.problems.is_empty(),
            "{engine:?}:\n{}",
            t.problems.join("\n")
        );

        // The audit log as CSV: a name that is a formula is not one in a spreadsheet.
        let fg = &users.iter().find(|u| u.name == "fg.privacy").unwrap().c;
        let csv = fg.get("/auditlog.csv").await;
        assert_eq!(csv.status, 200);
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        for row in reader.records() {
            for cell in &row.unwrap() {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "a formula: {cell}");
            }
        }

        let entered: usize = t.entered.values().sum();
        let pages: usize = run.pages.iter().map(|(_, p)| p.len()).sum();
        println!(
            "{engine:?}: {} payloads x text fields entered {entered} times in {} forms \
             ({} refused as invalid input); {} HTML pages and answers checked, {} \
             responses with their headers, {pages} pages in the last read",
            payloads.len(),
            t.forms.len(),
            t.refused,
            t.pages,
            t.responses,
        );
        for (form, n) in &t.entered {
            println!("  {n:>5}  {form}");
        }
        for form in t.tried.difference(&t.forms) {
            println!("  refused every payload: {form}");
        }
        // The corpus reached the forms that hold the most personal text.
        for needle in [
            "/trajecten/{}/items",
            "/trajecten/{}/werkaantekeningen",
            "/items/{}/voortgang",
            "/clienten/nieuw",
            "/portaal/verzoeken",
            "/api-sleutels",
            "/beheer/gebruikers",
        ] {
            assert!(
                t.forms.iter().any(|k| k.contains(needle)),
                "{engine:?}: no payload went through {needle}: {:?}",
                t.forms
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sessions: fixation, replay, sign-out.
// ---------------------------------------------------------------------------------------

/// The password a client chose in the portal (as in `portal.rs`).
const CLIENT_PASSWORD: &str = "een zin die ik onthoud";

/// A browser whose cookie jar the test can see and plant cookies in.
fn jar_client(s: &TestServer) -> (WebClient, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let mut c = s.client();
    c.http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .build()
        .unwrap();
    (c, jar)
}

/// A browser on another address of this machine (127.0.0.`last`).
fn client_from(s: &TestServer, last: u8) -> WebClient {
    let mut c = s.client();
    c.http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .unwrap();
    c
}

/// The value of cookie `name` in a jar.
fn jar_cookie(jar: &reqwest::cookie::Jar, base: &str, name: &str) -> Option<String> {
    use reqwest::cookie::CookieStore;
    let url = reqwest::Url::parse(base).unwrap();
    let header = jar.cookies(&url)?;
    header
        .to_str()
        .unwrap()
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A request that carries only the cookie given: what an attacker holding a session id
/// sends.
async fn replay(s: &TestServer, cookie: &str, path: &str) -> Page {
    let r = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", s.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    Page {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

/// The session token a response sets in cookie `name`.
fn set_token(page: &Page, name: &str) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn a_session_id_planted_or_seen_before_sign_in_opens_nothing_and_sign_out_ends_it() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (_, secret, client, trajectory) = crate::fixtures::caseworker_with_client(&s).await;
        let first = s.client();
        first.sign_in("hulpverlener", &secret).await;
        let p = s.client();
        let (portal_secret, _) =
            redeem_and_enrol(&p, &invite(&first, client).await, "fatima").await;
        // The next codes, for the sign-ins below.
        s.t.clock.advance(Duration::seconds(30));

        for (prefix, cookie, username, password, code_secret, home) in [
            (
                "",
                "zv_session",
                "hulpverlener",
                TEST_PASSWORD,
                &secret,
                "/",
            ),
            (
                "/portaal",
                "zv_portal",
                "fatima",
                CLIENT_PASSWORD,
                &portal_secret,
                "/portaal",
            ),
        ] {
            let signed_out = |page: &Page| {
                page.location()
                    .is_some_and(|l| l.starts_with(&format!("{prefix}/aanmelden")))
            };
            // An attacker plants a session id of their choosing in the victim's browser.
            let planted = "aangeplant-door-de-aanvaller-0123456789abcdef";
            let (c, jar) = jar_client(&s);
            jar.add_cookie_str(
                &format!("{cookie}={planted}; Path=/"),
                &reqwest::Url::parse(&s.base).unwrap(),
            );
            let step = c
                .post(
                    &format!("{prefix}/aanmelden"),
                    &[("username", username), ("password", password)],
                )
                .await;
            assert_eq!(
                step.location(),
                Some(format!("{prefix}/aanmelden/code").as_str()),
                "{engine:?}: {}",
                step.body
            );
            let pending = jar_cookie(&jar, &s.base, cookie).unwrap();
            assert_ne!(
                pending, planted,
                "{engine:?}: the password step makes its own id"
            );
            let form = c.get(&format!("{prefix}/aanmelden/code")).await;
            let done = c
                .post(
                    &format!("{prefix}/aanmelden/code"),
                    &[("csrf", &form.csrf()), ("code", &c.code(code_secret))],
                )
                .await;
            assert!(done.status == 303, "{engine:?}: {}", done.body);
            let full = jar_cookie(&jar, &s.base, cookie).unwrap();
            assert!(
                full != pending && full != planted,
                "a new id after the code"
            );
            assert_eq!(c.get(home).await.status, 200, "{engine:?}: signed in");

            // Neither the planted id nor the one seen before the code opens anything; the
            // signed-in one does (so the replays below are real requests).
            for old in [planted, pending.as_str()] {
                let r = replay(&s, &format!("{cookie}={old}"), home).await;
                assert!(signed_out(&r), "{engine:?} {cookie}={old}: {}", r.status);
                let r = replay(
                    &s,
                    &format!("{cookie}={old}"),
                    &format!("{prefix}/aanmelden/code"),
                )
                .await;
                assert_ne!(r.status, 200, "{engine:?}: no code form on an old id");
            }
            let live = replay(&s, &format!("{cookie}={full}"), home).await;
            assert_eq!(live.status, 200, "{engine:?}: the live session works");

            // A staff id is no portal id, nor the other way round.
            let other = if cookie == "zv_session" {
                "zv_portal"
            } else {
                "zv_session"
            };
            let other_home = if cookie == "zv_session" {
                "/portaal"
            } else {
                "/"
            };
            let crossed = replay(&s, &format!("{other}={full}"), other_home).await;
            assert_ne!(crossed.status, 200, "{engine:?}: {other} from a {cookie}");

            // Sign-out ends the session on the server: the old id, replayed, is refused.
            let page = c.get(home).await;
            let out = c
                .post(&format!("{prefix}/afmelden"), &[("csrf", &page.csrf())])
                .await;
            assert!(out.status == 303, "{engine:?}: {}", out.body);
            let cleared = out.headers["set-cookie"].to_str().unwrap();
            assert!(cleared.contains("Max-Age=0"), "{cleared}");
            let r = replay(&s, &format!("{cookie}={full}"), home).await;
            assert!(
                signed_out(&r),
                "{engine:?}: replayed after sign-out: {}",
                r.status
            );
        }
        // Replaying a signed-out staff session with a form is refused and saves nothing.
        let (c, jar) = jar_client(&s);
        s.t.clock.advance(Duration::seconds(30));
        c.sign_in("hulpverlener", &secret).await;
        let token = jar_cookie(&jar, &s.base, "zv_session").unwrap();
        let dossier = c.get(&format!("/trajecten/{trajectory}")).await;
        let csrf = dossier.csrf();
        c.post("/afmelden", &[("csrf", &csrf)]).await;
        let late = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap()
            .post(format!(
                "{}/trajecten/{trajectory}/werkaantekeningen",
                s.base
            ))
            .header("cookie", format!("zv_session={token}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "Na het afmelden geschreven"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            late.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/aanmelden"),
            "{engine:?}: {}",
            late.status()
        );
        let after = first.get(&format!("/trajecten/{trajectory}")).await;
        assert_eq!(after.status, 200);
        assert!(!after.body.contains("Na het afmelden"), "{engine:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Security headers on every kind of response.
// ---------------------------------------------------------------------------------------

async fn send(
    http: &reqwest::Client,
    method: &str,
    url: String,
    headers: &[(&str, &str)],
    body: Option<(&str, Vec<u8>)>,
) -> Page {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http.request(method, url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some((kind, bytes)) = body {
        req = req.header("content-type", kind).body(bytes);
    }
    let r = req.send().await.unwrap();
    Page {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
    }
}

// promise: SEC-1
// promise: SEC-2
#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_response_carries_the_security_headers_and_only_functional_cookies() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret, client, trajectory) =
            crate::fixtures::caseworker_with_client(&s).await;
        let (_, fg_secret) = s.staff("fg.privacy", Role::PrivacyOfficer, None).await;
        let entry = crate::fixtures::entry(
            &s,
            worker.clone(),
            trajectory,
            zv_domain::EntryKind::ConversationReport,
            "Eerste gesprek".to_owned(),
            "Kennismaking".to_owned(),
        )
        .await;
        let c = s.client();
        c.sign_in("hulpverlener", &secret).await;
        let fg = s.client();
        fg.sign_in("fg.privacy", &fg_secret).await;
        let until = (s.t.clock_today() + Duration::days(30)).to_string();
        let token = crate::api::make_token(&c, "Koppen", &["read", "write"], &until).await;
        let p = s.client();
        redeem_and_enrol(&p, &invite(&c, client).await, "fatima").await;
        let anonymous = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        let bearer = format!("Bearer {token}");
        let api_auth = [("authorization", bearer.as_str())];
        let unknown = uuid::Uuid::new_v4();
        let base = &s.base;

        // (who, method, path, expected status): one of each kind the app answers.
        let mut answers: Vec<(String, u16, Page)> = Vec::new();
        for (method, path, status) in [
            ("GET", "/aanmelden", 200),
            ("POST", "/aanmelden", 401),
            ("GET", "/", 303),
            ("GET", "/portaal/aanmelden", 200),
            ("GET", "/portaal", 303),
            ("GET", "/privacyverklaring", 200),
            ("GET", "/privacyverklaring.pdf", 200),
            ("GET", "/privacykaart", 404),
            ("GET", "/bestaat-niet", 404),
            ("GET", "/portaal/bestaat-niet", 404),
            ("GET", "/afmelden", 405),
            ("GET", "/static/style.css", 200),
            ("GET", "/static/quick-exit.js", 200),
            ("GET", "/api/v1/openapi.json", 200),
            ("GET", "/api/v1/statements", 200),
            ("GET", "/api/v1/me", 401),
            ("GET", "/api/v1/bestaat-niet", 404),
        ] {
            let body = (method == "POST").then(|| {
                (
                    "application/x-www-form-urlencoded",
                    b"username=niemand&password=fout".to_vec(),
                )
            });
            let page = send(&anonymous, method, format!("{base}{path}"), &[], body).await;
            answers.push((format!("anonymous {method} {path}"), status, page));
        }
        let dossier = format!("/trajecten/{trajectory}");
        for (who, web, path, status) in [
            ("staff", &c, "/".to_owned(), 200),
            ("staff", &c, dossier.clone(), 200),
            ("staff", &c, format!("/clienten/{client}"), 200),
            ("staff", &c, format!("/items/{entry}/geschiedenis"), 200),
            ("staff", &c, format!("/trajecten/{unknown}"), 404),
            ("staff", &c, "/trajecten/geen-id".to_owned(), 404),
            ("staff", &c, "/auditlog".to_owned(), 404),
            ("staff", &c, "/api-sleutels".to_owned(), 200),
            ("officer", &fg, "/auditlog".to_owned(), 200),
            ("officer", &fg, "/auditlog.csv".to_owned(), 200),
            (
                "officer",
                &fg,
                "/auditlog?van=2026-12-01&tot=2026-11-01".to_owned(),
                422,
            ),
            ("officer", &fg, "/register/verwerkingen".to_owned(), 200),
            ("officer", &fg, "/register/verwerkingen.csv".to_owned(), 200),
            ("officer", &fg, "/register/verwerkingen.pdf".to_owned(), 200),
            (
                "officer",
                &fg,
                "/privacy/vernietigingen.csv".to_owned(),
                200,
            ),
            ("officer", &fg, "/privacy/verzoeken".to_owned(), 200),
            ("portal", &p, "/portaal".to_owned(), 200),
            ("portal", &p, "/portaal/inzage-log".to_owned(), 200),
            ("portal", &p, format!("/portaal/trajecten/{unknown}"), 404),
        ] {
            let page = web.get(&path).await;
            answers.push((format!("{who} GET {path}"), status, page));
        }
        // A form without its token, and one posted by the client in the portal.
        let forged = c
            .post(
                &format!("{dossier}/werkaantekeningen"),
                &[("csrf", "vals"), ("body", "x")],
            )
            .await;
        answers.push(("staff POST without token".to_owned(), 403, forged));
        let portal_forged = p
            .post(
                "/portaal/verzoeken",
                &[("csrf", "vals"), ("kind", "access"), ("scope", "all")],
            )
            .await;
        answers.push((
            "portal POST /portaal/verzoeken without token".to_owned(),
            403,
            portal_forged,
        ));
        // The API: JSON answers, its errors, and a file.
        for (method, path, body, status) in [
            ("GET", "/api/v1/me".to_owned(), None, 200),
            ("GET", "/api/v1/caseload".to_owned(), None, 200),
            (
                "GET",
                format!("/api/v1/trajectories/{trajectory}"),
                None,
                200,
            ),
            ("GET", format!("/api/v1/trajectories/{unknown}"), None, 404),
            ("DELETE", "/api/v1/me".to_owned(), None, 405),
            (
                "POST",
                "/api/v1/clients".to_owned(),
                Some(("application/json", b"{ niet af".to_vec())),
                400,
            ),
            (
                "POST",
                "/api/v1/clients".to_owned(),
                Some(("text/plain", b"tekst".to_vec())),
                415,
            ),
        ] {
            let page = send(&anonymous, method, format!("{base}{path}"), &api_auth, body).await;
            answers.push((format!("api {method} {path}"), status, page));
        }

        let mut problems = Vec::new();
        for (what, status, page) in &answers {
            if page.status != *status {
                problems.push(format!(
                    "{what}: status {} (expected {status})",
                    page.status
                ));
            }
            // The portal's pages may run the app's own quick-exit script; name them so.
            let label = if what.starts_with("portal") && !what.contains("/portaal") {
                format!("{what} /portaal")
            } else {
                what.clone()
            };
            problems.extend(headers_missing(&label, page));
            // SEC-2: only the session, portal and language cookies, all functional.
            for cookie in page.headers.get_all("set-cookie") {
                let cookie = cookie.to_str().unwrap();
                let name = cookie.split('=').next().unwrap_or_default();
                if !["zv_session", "zv_portal", "zv_lang"].contains(&name) {
                    problems.push(format!("{what}: cookie {cookie}"));
                }
                if name != "zv_lang"
                    && !(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                {
                    problems.push(format!("{what}: cookie flags {cookie}"));
                }
            }
        }
        assert!(problems.is_empty(), "{engine:?}:\n{}", problems.join("\n"));
        println!(
            "{engine:?}: security headers checked on {} responses",
            answers.len()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Brute force and user enumeration.
// ---------------------------------------------------------------------------------------

/// The seconds a refusal says to wait ("Probeer het over 4 seconden opnieuw").
fn wait_seconds(body: &str) -> i64 {
    let tail = body
        .split("Probeer het over")
        .nth(1)
        .unwrap_or_else(|| panic!("no wait in {body}"));
    tail.chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

// promise: SEC-1
// promise: ACC-9
#[tokio::test(flavor = "multi_thread")]
async fn a_scripted_brute_force_run_waits_ever_longer_and_never_tells_which_usernames_exist() {
    for engine in engines() {
        let s = TestServer::start(engine, "levgroep").await;
        let (worker, secret) = s
            .staff("hulpverlener", Role::Caseworker, Some("amw-helmond"))
            .await;
        let mut colleagues = Vec::new();
        for i in 1..=6 {
            let name = format!("collega{i}");
            let (_, secret) = s.staff(&name, Role::Caseworker, Some("amw-helmond")).await;
            colleagues.push((name, secret));
        }
        let mut attempts = 0;

        // 1. Thirty wrong passwords against one account, from one address.
        let attacker = client_from(&s, 2);
        let owner = client_from(&s, 3);
        let mut waits = Vec::new();
        let mut wrong = 0;
        while wrong < 30 {
            let r = attacker
                .post(
                    "/aanmelden",
                    &[
                        ("username", "hulpverlener"),
                        ("password", &format!("gok {wrong}")),
                    ],
                )
                .await;
            attempts += 1;
            match r.status {
                401 => wrong += 1,
                429 => {
                    let wait = wait_seconds(&r.body);
                    // While it lasts even the right password, from another address, waits.
                    let right = owner
                        .post(
                            "/aanmelden",
                            &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
                        )
                        .await;
                    attempts += 1;
                    assert_eq!(right.status, 429, "{engine:?} after {wrong} failures");
                    // A second short of the wait it still holds.
                    s.t.clock.advance(Duration::seconds(wait - 1));
                    let early = attacker
                        .post(
                            "/aanmelden",
                            &[("username", "hulpverlener"), ("password", "nog te vroeg")],
                        )
                        .await;
                    attempts += 1;
                    assert_eq!(early.status, 429, "{engine:?}: {wait}s, one second early");
                    s.t.clock.advance(Duration::seconds(1));
                    waits.push(wait);
                }
                other => panic!("{engine:?}: {other} {}", r.body),
            }
        }
        assert_eq!(
            waits.len(),
            25,
            "{engine:?}: five free failures, then a wait before each"
        );
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(&waits[..4], &[1, 2, 4, 8], "doubling: {waits:?}");
        assert_eq!(
            waits.last(),
            Some(&900),
            "up to the policy's maximum: {waits:?}"
        );
        // The thirtieth failure waits too; then the owner gets in.
        let r = owner
            .post(
                "/aanmelden",
                &[("username", "hulpverlener"), ("password", TEST_PASSWORD)],
            )
            .await;
        attempts += 1;
        assert_eq!(r.status, 429);
        s.t.clock.advance(Duration::seconds(900));
        owner.sign_in("hulpverlener", &secret).await;
        attempts += 1;
        assert_eq!(owner.get("/").await.status, 200, "{engine:?}");

        // 2. One address tries one password against many accounts, real and made up.
        let sprayer = client_from(&s, 4);
        let mut names: Vec<String> = colleagues.iter().map(|(n, _)| n.clone()).collect();
        names.extend((1..=6).map(|i| format!("verzonnen{i}")));
        names.sort_by_key(|n| n.chars().last());
        for (i, name) in names.iter().enumerate() {
            let forwarded = format!("10.0.0.{i}");
            let r = send(
                &sprayer.http,
                "POST",
                format!("{}/aanmelden", s.base),
                // A forwarded-for header does not make it another address.
                &[("x-forwarded-for", forwarded.as_str())],
                Some((
                    "application/x-www-form-urlencoded",
                    format!("username={name}&password=Welkom01").into_bytes(),
                )),
            )
            .await;
            attempts += 1;
            let expected = if i < 5 { 401 } else { 429 };
            assert_eq!(r.status, expected, "{engine:?}: attempt {i} on {name}");
        }
        // The accounts themselves are not locked for their owners elsewhere.
        let (name, secret) = &colleagues[0];
        let elsewhere = client_from(&s, 5);
        elsewhere.sign_in(name, secret).await;
        attempts += 1;
        assert_eq!(elsewhere.get("/").await.status, 200, "{engine:?}");

        // 3. An account that exists and one that does not answer alike, failure for
        // failure, wait for wait; in the staff app and in the portal.
        let p = s.client();
        redeem_and_enrol(
            &p,
            &invite(&owner, s_client(&s, &worker).await).await,
            "fatima",
        )
        .await;
        for (prefix, real) in [("", "collega6"), ("/portaal", "fatima")] {
            let (a, b) = if prefix.is_empty() { (6, 7) } else { (8, 9) };
            let (known, unknown) = (client_from(&s, a), client_from(&s, b));
            for step in 0..8 {
                let mut answers = Vec::new();
                for (c, name) in [(&known, real), (&unknown, "niemand")] {
                    let r = c
                        .post(
                            &format!("{prefix}/aanmelden"),
                            &[("username", name), ("password", "fout wachtwoord")],
                        )
                        .await;
                    attempts += 1;
                    answers.push((r.status, r.body.replace(name, "")));
                }
                assert_eq!(
                    answers[0].0, answers[1].0,
                    "{engine:?} {prefix} step {step}"
                );
                assert_eq!(
                    answers[0].1, answers[1].1,
                    "{engine:?} {prefix} step {step}"
                );
                assert_eq!(
                    answers[0].0,
                    if step < 5 {
                        401
                    } else if step % 2 == 1 {
                        429
                    } else {
                        401
                    }
                );
                if answers[0].0 == 429 {
                    s.t.clock
                        .advance(Duration::seconds(wait_seconds(&answers[0].1)));
                }
            }
        }
        println!("{engine:?}: {attempts} sign-in attempts in the brute-force run");
    }
}

/// A client the caseworker takes in, for the portal account of the enumeration check.
async fn s_client(s: &TestServer, worker: &zv_core::Actor) -> zv_domain::ClientId {
    s.t.intake(worker, "Fatima Yilmaz", "1985-06-15", "amw")
        .await
        .0
}

// ---------------------------------------------------------------------------------------
// In Chromium: no payload runs, none becomes an element.
// ---------------------------------------------------------------------------------------

/// Signs in through HTTP and returns the session id (for the browser to carry).
async fn session_id(s: &TestServer, u: &User) -> (&'static str, String) {
    let (prefix, cookie, password) = if u.portal {
        ("/portaal", "zv_portal", CLIENT_PASSWORD)
    } else {
        ("", "zv_session", TEST_PASSWORD)
    };
    let c = s.client();
    let username = if u.portal { "fatima" } else { u.name };
    let first = c
        .post(
            &format!("{prefix}/aanmelden"),
            &[("username", username), ("password", password)],
        )
        .await;
    assert_eq!(first.status, 303, "{}", first.body);
    let form = c.get(&format!("{prefix}/aanmelden/code")).await;
    let done = c
        .post(
            &format!("{prefix}/aanmelden/code"),
            &[("csrf", &form.csrf()), ("code", &c.code(&u.secret))],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    (cookie, set_token(&done, cookie).unwrap())
}

/// Elements and links in the live page that a payload would have made.
const INJECTED: &str = r"
    const bad = [];
    for (const e of document.querySelectorAll('*')) {
        const tag = e.tagName.toLowerCase();
        if (['iframe','frame','object','embed','base','math','noscript','x'].includes(tag)
            || (tag === 'script' && e.getAttribute('src') !== '/static/quick-exit.js')
            || (tag === 'img' && e.getAttribute('src') === 'x')) {
            bad.push(e.outerHTML.slice(0, 160));
        }
        for (const a of e.attributes) {
            const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
            if (a.name.startsWith('on') || a.name === 'style' || a.name === 'formaction'
                || a.name.includes('zvx')
                || (['href','src','action','data'].includes(a.name)
                    && /^(javascript|vbscript|data:text\/html)/.test(v))) {
                bad.push(tag + ' ' + a.name + '=' + a.value.slice(0, 80));
            }
        }
    }
    return bad;";

// promise: SEC-1
#[tokio::test(flavor = "multi_thread")]
async fn browser_no_payload_in_any_page_runs_script_or_becomes_an_element() {
    if !zv_testkit::browser::enabled() {
        return;
    }
    let payloads = corpus();
    let s = TestServer::start(Engine::Sqlite, "levgroep").await;
    let (users, _, _) = people(&s).await;
    let run = attack(&s, &users, &payloads).await;
    assert!(
        run.tally.problems.is_empty(),
        "{}",
        run.tally.problems.join("\n")
    );
    // Each person's next code, for the browser's sessions.
    s.t.clock.advance(Duration::seconds(30));
    let b = zv_testkit::browser::Browser::start().await;
    let mut visited = 0;
    let mut problems = Vec::new();
    for u in &users {
        let (cookie, id) = session_id(&s, u).await;
        // The browser carries the session: set on the app's own origin.
        b.goto(&format!("{}/aanmelden", s.base)).await;
        b.execute(&format!(
            "document.cookie = '{cookie}={id}; path=/'; return true;"
        ))
        .await;
        let pages = &run.pages.iter().find(|(n, _)| *n == u.name).unwrap().1;
        for page in pages {
            b.goto(&format!("{}{page}", s.base)).await;
            visited += 1;
            if b.script_ran().await {
                problems.push(format!("{} {page}: a payload ran", u.name));
            }
            let bad = b.execute(INJECTED).await;
            if bad.as_array().is_some_and(|a| !a.is_empty()) {
                problems.push(format!("{} {page}: {bad}", u.name));
            }
        }
        // Signed in, not bounced to the sign-in page.
        assert!(
            !b.url().await.contains("/aanmelden"),
            "{}: {}",
            u.name,
            b.url().await
        );
    }
    b.screenshot("web-attacks-last-page").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(visited > 50, "{visited}");
    println!("browser: {visited} pages with payloads opened, no script ran, nothing injected");
}

#[test]
fn the_markup_check_sees_a_payload_that_became_markup_and_passes_one_that_did_not() {
    let payloads = corpus();
    // The digits of an evaluated expression inside an id are the id's.
    let escaped = "<p>&#60;img src=x onerror=window.__zv_xss=true&#62; {{7*7191}}</p>\
                   <input name=\"title\" value=\"&#34;&#62;&#60;script&#62;\">\
                   <a href=\"/items/01950337-5ea6-7245-91c7-5bbbeb78d90f\">zv</a>";
    assert!(
        injection_findings(escaped, &payloads).is_empty(),
        "{:?}",
        injection_findings(escaped, &payloads)
    );
    for raw in [
        "<p><img src=x onerror=window.__zv_xss=true></p>",
        "<input value=\"\" onmouseover=\"window.__zv_xss=true\" zvx=\"\">",
        "<a href=\" &#14;javascript:window.__zv_xss=true\">zvx</a>",
        "<p>50337</p>",
        "<iframe src=\"/x\"></iframe>",
        "<div style=\"width:expression(1)\">zvx</div>",
    ] {
        assert!(
            !injection_findings(raw, &payloads).is_empty(),
            "missed: {raw}"
        );
    }
    let form = &forms(
        "<form method=\"post\" action=\"/a\"><input type=\"hidden\" name=\"csrf\" value=\"t\">\
         <input name=\"title\"><textarea name=\"body\">x &#38; y</textarea>\
         <select name=\"kind\"><option value=\"a\">A</option><option value=\"b\" selected>B</option></select>\
         <input name=\"on\" type=\"date\"></form>",
    )[0];
    assert_eq!(form.text_fields(), ["title", "body"]);
    let values = form.values("P", None, 0, ("2026-01-01", "2026-02-01"));
    assert_eq!(
        values,
        [
            ("csrf", "t"),
            ("title", "P"),
            ("body", "P"),
            ("kind", "b"),
            ("on", "2026-01-01")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}
