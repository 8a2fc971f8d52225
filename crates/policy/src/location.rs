//! Maps a field path (`service_types[2].retention`) or a byte offset to a line and column
//! of the file, so every problem points at its place.

use toml_edit::{Document, Item};

pub struct Locator<'s> {
    source: &'s str,
    doc: Option<Document<String>>,
}

enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Seg::Key(rest[..i].to_owned()));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    out.push(Seg::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_owned()));
        }
    }
    out
}

impl<'s> Locator<'s> {
    pub fn new(source: &'s str) -> Self {
        Self {
            source,
            doc: Document::parse(source.to_owned()).ok(),
        }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.source[..offset.min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// The deepest existing field along `path`, and its position.
    pub fn locate(&self, path: &str) -> (usize, usize) {
        let Some(doc) = &self.doc else { return (1, 1) };
        let mut item: &Item = doc.as_item();
        let mut best = None;
        for seg in segments(path) {
            let next = match seg {
                Seg::Key(k) => item.get(k.as_str()),
                Seg::Index(i) => item.get(i),
            };
            match next {
                Some(n) => {
                    item = n;
                    if let Some(span) = span_of(item) {
                        best = Some(span);
                    }
                }
                None => break,
            }
        }
        self.line_col(best.unwrap_or(0))
    }

    /// The path of the field at `offset`, from the table header above it and the key on
    /// its line (for syntax and type errors, which come with a position only).
    pub fn path_at(&self, offset: usize) -> String {
        let before = &self.source[..offset.min(self.source.len())];
        let mut header = String::new();
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for line in before.lines() {
            let t = line.trim();
            if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
                let n = counts.entry(name.trim().to_owned()).or_insert(0);
                header = format!("{}[{}]", name.trim(), *n);
                *n += 1;
            } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
                header = name.trim().to_owned();
            }
        }
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let rest = &self.source[line_start..];
        let key = rest
            .split(['=', '\n'])
            .next()
            .map(str::trim)
            .filter(|k| !k.is_empty() && !k.starts_with('['));
        match (header.is_empty(), key) {
            (true, None) => "(file)".to_owned(),
            (true, Some(k)) => k.to_owned(),
            (false, None) => header,
            (false, Some(k)) => format!("{header}.{k}"),
        }
    }
}

fn span_of(item: &Item) -> Option<usize> {
    match item {
        Item::ArrayOfTables(a) => a.iter().next().and_then(|t| t.span()).map(|s| s.start),
        other => other.span().map(|s| s.start),
    }
}
