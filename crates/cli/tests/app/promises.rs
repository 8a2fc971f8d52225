//! `docs/promises.md` maps every promise ID to the tests that prove it; this test keeps
//! the map and the `// promise: ID` citations in the code in agreement.

use std::collections::{BTreeMap, BTreeSet};

fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    zv_testkit::files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

/// Promise ID -> names of the test functions that cite it.
fn citations() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&zv_testkit::repo_root().join("crates")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim().strip_prefix("// promise: ") else {
                continue;
            };
            let id = rest.split_whitespace().next().unwrap().to_owned();
            let name = lines[i..(i + 12).min(lines.len())]
                .iter()
                .find_map(|l| l.split("fn ").nth(1).and_then(|r| r.split('(').next()))
                .unwrap_or_else(|| {
                    panic!("`promise: {id}` in {} is not above a test", file.display())
                });
            out.entry(id).or_default().insert(name.to_owned());
        }
    }
    out
}

#[test]
fn promises_map_is_complete() {
    let map = std::fs::read_to_string(zv_testkit::repo_root().join("docs/promises.md")).unwrap();
    let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in map.lines() {
        let Some((id, tests)) = line.strip_prefix("- ").and_then(|l| l.split_once(": ")) else {
            continue;
        };
        let names = tests
            .split(", ")
            .filter_map(|t| t.strip_prefix('`').and_then(|t| t.strip_suffix('`')))
            .map(str::to_owned)
            .collect();
        listed.insert(id.to_owned(), names);
    }
    let cited = citations();
    for (id, tests) in &cited {
        assert_eq!(
            listed.get(id),
            Some(tests),
            "docs/promises.md disagrees with the citations of {id}"
        );
    }
    for (id, tests) in &listed {
        if !tests.is_empty() {
            assert_eq!(
                cited.get(id),
                Some(tests),
                "docs/promises.md lists tests for {id} that do not cite it"
            );
        }
    }
}
