//! Every route of the web app, so that a test can call each one and a new route is covered
//! without anyone remembering to add it: the HTML routes read from the web crate's
//! sources (axum cannot list its routes), the API's operations from its OpenAPI document.

use std::path::Path;

use serde_json::Value;

/// One route of the HTML app: its full path and the methods it answers.
#[derive(Debug, Clone)]
pub(crate) struct HtmlRoute {
    pub path: String,
    pub methods: Vec<&'static str>,
    /// The POST takes a multipart form (an upload): a body limit is layered on it.
    pub multipart: bool,
}

/// One operation of the JSON API: method and path below `/api/v1`, and the media type of
/// its request body, if it takes one.
#[derive(Debug, Clone)]
pub(crate) struct ApiOperation {
    pub method: String,
    pub path: String,
    pub body: Option<String>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// The text of a source file with comment lines left out, so a `.route(` in a doc
/// comment is not counted.
fn code_of(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The argument text of the call whose opening parenthesis is at `open`, up to its
/// matching closing one (string literals may hold parentheses).
fn call_arguments(code: &str, open: usize) -> &str {
    let bytes = code.as_bytes();
    assert_eq!(bytes[open], b'(');
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return &code[open + 1..i];
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    panic!("unbalanced call at byte {open}");
}

/// The first top-level comma of an argument list.
fn split_first_argument(args: &str) -> (&str, &str) {
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, c) in args.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => return (&args[..i], &args[i + 1..]),
            _ => {}
        }
    }
    panic!("a route call without a method router: {args}");
}

/// The value of a `const NAME: &str = "...";` somewhere in `sources`.
fn constant(sources: &[String], name: &str) -> String {
    let needle = format!("const {name}: &str = \"");
    sources
        .iter()
        .find_map(|code| {
            code.split(&needle)
                .nth(1)
                .and_then(|rest| rest.split('"').next())
        })
        .unwrap_or_else(|| panic!("route path constant {name} not found"))
        .to_owned()
}

/// The methods a method router chains (`get(h).post(h)`), in order.
fn methods_of(expr: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let bytes = expr.as_bytes();
    for (i, _) in expr.char_indices() {
        for m in METHODS {
            let before_ok =
                i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
            if before_ok && expr[i..].starts_with(m) && expr[i + m.len()..].starts_with('(') {
                found.push(m);
            }
        }
    }
    found
}

/// The Rust files of the HTML app: the web crate's sources without the API, whose routes
/// the OpenAPI document lists.
fn html_sources() -> Vec<std::path::PathBuf> {
    let src = zv_testkit::repo_root().join("crates/web/src");
    let mut files: Vec<_> = zv_testkit::files_under(&src)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .filter(|f| !f.starts_with(src.join("api")))
        .collect();
    files.sort();
    files
}

/// Every route of the HTML app, read from the web crate's sources. Strict: it fails when
/// a `.route(` call is not understood, or when the routers are combined in a way other
/// than the ones it knows (`merge` of full paths, the API nested at `/api/v1`), so a new
/// route cannot be skipped silently.
pub(crate) fn html_routes() -> Vec<HtmlRoute> {
    let files = html_sources();
    let sources: Vec<String> = files.iter().map(|f| code_of(f)).collect();
    let mut calls = 0;
    let mut routes: Vec<HtmlRoute> = Vec::new();
    for code in &sources {
        for (at, _) in code.match_indices(".nest(") {
            let args = call_arguments(code, at + ".nest".len());
            assert!(
                args.trim_start().starts_with("\"/api/v1\""),
                "a nested router the route parser does not know: .nest({args}); teach \
                 routes.rs its prefix"
            );
        }
        for (at, _) in code.match_indices(".route(") {
            calls += 1;
            let args = call_arguments(code, at + ".route".len());
            let (path, router) = split_first_argument(args);
            let path = path.trim();
            let path = if let Some(literal) = path.strip_prefix('"') {
                literal.strip_suffix('"').unwrap().to_owned()
            } else {
                constant(&sources, path.rsplit("::").next().unwrap())
            };
            let methods = methods_of(router);
            assert!(
                path.starts_with('/') && !methods.is_empty(),
                "a route the parser does not understand: .route({args})"
            );
            let multipart = router.contains("DefaultBodyLimit") || router.contains("limit()");
            routes.push(HtmlRoute {
                path,
                methods,
                multipart,
            });
        }
    }
    assert!(calls > 0, "no routes found in the web crate's sources");
    assert_eq!(
        routes.len(),
        calls,
        "every .route( call of the HTML app is understood"
    );
    routes.sort_by(|a, b| a.path.cmp(&b.path));
    let mut paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
    paths.dedup();
    assert_eq!(paths.len(), routes.len(), "a path routed twice");
    routes
}

/// Every operation of the API's OpenAPI document.
pub(crate) fn api_operations(doc: &Value) -> Vec<ApiOperation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(METHODS.contains(&method.as_str()), "{method} {path}");
            let body = op
                .get("requestBody")
                .and_then(|b| b["content"].as_object())
                .and_then(|c| c.keys().next().cloned());
            ops.push(ApiOperation {
                method: method.clone(),
                path: path.clone(),
                body,
            });
        }
    }
    ops.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    assert!(!ops.is_empty());
    ops
}
