//! Maps a field path (`service_types[2].retention`) to a line and column of the file, and
//! a byte offset back to a field path, so that every problem points at its place.
//!
//! The file is parsed a second time with `toml_edit::Document`, which keeps the span of
//! every key, value and table header. From it we keep one entry per field: its path and
//! the byte offset where it starts (the key of a `key = value` line, the header of a
//! table, or the value of an array element).

use std::collections::HashMap;

use toml_edit::{Document, Item, TableLike, Value};

pub(crate) struct Locator<'s> {
    source: &'s str,
    /// Path of every field and the offset where it starts.
    starts: HashMap<String, usize>,
    /// The same, ordered by offset, to find the field at an offset.
    by_offset: Vec<(usize, String)>,
}

impl<'s> Locator<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        let mut by_offset = Vec::new();
        // toml_edit 0.23 panics on some malformed text ("all items have spans", found by
        // fuzzing: `={[]` then `.` on the next line), so it reads only text that `toml`
        // has read as TOML; for any other text the lines are scanned.
        if source.parse::<toml::Table>().is_ok()
            && let Ok(doc) = Document::parse(source)
        {
            walk_table(doc.as_table(), "", &mut by_offset);
        }
        // Stable by offset; at equal offsets the longer (deeper) path comes last.
        by_offset.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.len().cmp(&b.1.len())));
        let mut starts = HashMap::new();
        for (offset, path) in &by_offset {
            starts.entry(path.clone()).or_insert(*offset);
        }
        Self {
            source,
            starts,
            by_offset,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// Line and column of the field at `path`, or of the nearest enclosing field that
    /// exists (a missing field is reported at its table).
    pub(crate) fn locate(&self, path: &str) -> (usize, usize) {
        if self.starts.is_empty() {
            return self.scan(path);
        }
        let mut path = path;
        loop {
            if let Some(offset) = self.starts.get(path) {
                return self.line_col(*offset);
            }
            match path.rfind(['.', '[']) {
                Some(cut) if cut > 0 => path = &path[..cut],
                _ => return (1, 1),
            }
        }
    }

    /// The path of the field at `offset` (for errors of the TOML parser and of
    /// deserialisation, which come with a position only).
    pub(crate) fn path_at(&self, offset: usize) -> String {
        let found = self
            .by_offset
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .map(|(_, path)| path.clone());
        found.unwrap_or_else(|| self.header_before(offset))
    }

    /// For a file `toml` reads but `toml_edit` 0.23 cannot (TOML 1.1 syntax such as an
    /// inline table over several lines): the table header whose path is the longest
    /// prefix of `path`, and in its section the line of the next key.
    fn scan(&self, path: &str) -> (usize, usize) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut best: Option<(usize, usize)> = None; // (header length, line index)
        let mut section = String::new();
        let mut key_line = None;
        let lines: Vec<&str> = self.source.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let Some(header) = header_path(line.trim(), &mut counts) else {
                continue;
            };
            let matches = path == header
                || path
                    .strip_prefix(header.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
            if matches && best.is_none_or(|(len, _)| header.len() > len) {
                best = Some((header.len(), n));
                section = header;
            }
        }
        if let Some((_, header_line)) = best {
            let key = path[section.len()..]
                .trim_start_matches('.')
                .split(['.', '['])
                .next()
                .unwrap_or("");
            if !key.is_empty() {
                key_line = lines
                    .iter()
                    .enumerate()
                    .skip(header_line + 1)
                    .take_while(|(_, l)| !l.trim_start().starts_with('['))
                    .find(|(_, l)| {
                        l.trim_start()
                            .strip_prefix(key)
                            .is_some_and(|rest| rest.trim_start().starts_with('='))
                    })
                    .map(|(n, l)| (n, l.chars().count() - l.trim_start().chars().count()));
            }
            return match key_line {
                Some((n, indent)) => (n + 1, indent + 1),
                None => (header_line + 1, 1),
            };
        }
        (1, 1)
    }

    /// The table header above `offset`, for a file `toml_edit` could not parse.
    fn header_before(&self, offset: usize) -> String {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let mut header = String::new();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for line in self.source[..offset].lines() {
            if let Some(h) = header_path(line.trim(), &mut counts) {
                header = h;
            }
        }
        if header.is_empty() {
            "(file)".to_owned()
        } else {
            header
        }
    }
}

/// The path of a table header line (`[a.b]` is `a.b`, the third `[[x]]` is `x[2]`),
/// counting array-of-tables headers in `counts`.
fn header_path(line: &str, counts: &mut HashMap<String, usize>) -> Option<String> {
    if let Some(name) = line.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
        let name = name.trim().to_owned();
        let n = counts.entry(name.clone()).or_insert(0);
        let path = format!("{name}[{n}]");
        *n += 1;
        Some(path)
    } else {
        line.strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .map(|name| name.trim().to_owned())
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk_table(table: &dyn TableLike, prefix: &str, out: &mut Vec<(usize, String)>) {
    for (name, item) in table.iter() {
        let path = join(prefix, name);
        match item {
            Item::Table(t) => {
                if let Some(span) = t.span() {
                    out.push((span.start, path.clone()));
                }
                walk_table(t, &path, out);
            }
            Item::ArrayOfTables(tables) => {
                if let Some(span) = tables.iter().next().and_then(|t| t.span()) {
                    out.push((span.start, path.clone()));
                }
                for (i, t) in tables.iter().enumerate() {
                    let at = format!("{path}[{i}]");
                    if let Some(span) = t.span() {
                        out.push((span.start, at.clone()));
                    }
                    walk_table(t, &at, out);
                }
            }
            Item::Value(value) => {
                if let Some(span) = table
                    .get_key_value(name)
                    .and_then(|(key, _)| key.span())
                    .or_else(|| value.span())
                {
                    out.push((span.start, path.clone()));
                }
                walk_value(value, &path, out);
            }
            Item::None => {}
        }
    }
}

fn walk_value(value: &Value, path: &str, out: &mut Vec<(usize, String)>) {
    match value {
        Value::InlineTable(t) => walk_table(t, path, out),
        Value::Array(values) => {
            for (i, v) in values.iter().enumerate() {
                let at = format!("{path}[{i}]");
                if let Some(span) = v.span() {
                    out.push((span.start, at.clone()));
                }
                walk_value(v, &at, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# comment\n[organisation]\nname = \"X\"\n\n[[teams]]\ncode = \"a\"\n\n[[teams]]\ncode = \"b\"\nterm = { years = 2 }\nlist = [\"p\", \"q\"]\n";

    #[test]
    fn paths_map_to_lines_and_back() {
        let l = Locator::new(TEXT);
        assert_eq!(l.locate("organisation"), (2, 1));
        assert_eq!(l.locate("organisation.name"), (3, 1));
        assert_eq!(l.locate("teams[1]"), (8, 1));
        assert_eq!(l.locate("teams[1].code"), (9, 1));
        assert_eq!(l.locate("teams[1].term.years"), (10, 10));
        assert_eq!(l.locate("teams[1].list[1]"), (11, 14));
        // A missing field is reported at the nearest enclosing one.
        assert_eq!(l.locate("teams[1].term.months"), (10, 1));
        assert_eq!(l.locate("teams[7].code"), (5, 1));
        assert_eq!(l.locate("nothing"), (1, 1));
        let offset = TEXT.find("\"b\"").unwrap_or(0);
        assert_eq!(l.path_at(offset), "teams[1].code");
        assert_eq!(l.path_at(0), "(file)");
    }

    #[test]
    fn without_spans_the_lines_are_scanned() {
        // A table defined twice: toml_edit refuses the document, the scan still works.
        let text = "[reports]\nrounding = 5\n[[teams]]\ncode = \"a\"\n[[teams]]\n  code = \"b\"\nterm = {\n  years = 2,\n}\n[reports]\nrounding = 6\n";
        let l = Locator::new(text);
        assert!(l.starts.is_empty());
        assert_eq!(l.locate("reports.rounding"), (2, 1));
        assert_eq!(l.locate("teams[1].code"), (6, 3));
        assert_eq!(l.locate("teams[1].term.years"), (7, 1));
        assert_eq!(l.locate("teams[1].name"), (5, 1));
        assert_eq!(l.locate("audit.log_retention"), (1, 1));
    }

    #[test]
    fn an_unparseable_file_still_names_the_table() {
        let text = "[organisation]\nname = \"X\"\n[[teams]]\ncode = = \"a\"\n";
        let l = Locator::new(text);
        let offset = text.find("= \"a\"").unwrap_or(0);
        assert_eq!(l.path_at(offset), "teams[0]");
        assert_eq!(l.line_col(offset), (4, 8));
    }
}
