//! Every word on a screen comes from `locales/<lang>/*.ftl` (Fluent). Dutch is the
//! default; English is complete (a test checks that every key exists in both).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use rustc_hash::FxHashMap;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "nl",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LazyLock<LanguageIdentifier> = LazyLock::new(|| langid("nl"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| langid("en"));

fn langid(code: &str) -> LanguageIdentifier {
    code.parse().unwrap_or_default()
}

/// The languages of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Self::Nl),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Nl => &NL,
            Self::En => &EN,
        }
    }
}

/// Translation in one language; templates call `tr.t` with a message id.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

type Resolved = RwLock<HashMap<Box<str>, &'static str>>;

/// Messages without arguments, once resolved, per language. A dossier page asks for the
/// same labels for every entry, and Fluent resolves a message anew each time (it was a
/// fourteenth of the CPU time of a dossier view). The keys are the finite set the
/// templates and handlers name, so the map stays small, and each text is kept for the
/// life of the process: a template borrows it instead of copying it for every entry.
static PLAIN: [LazyLock<Resolved>; 2] = [
    LazyLock::new(RwLock::default),
    LazyLock::new(RwLock::default),
];

type Seen = [FxHashMap<Box<str>, &'static str>; 2];

thread_local! {
    /// Each thread's own view of `PLAIN`: a page reads hundreds of labels, and the
    /// shared map's lock (its reader count bounces between the cores) with its SipHash
    /// cost 7% of the server's CPU under the HTTP load.
    static SEEN: RefCell<Seen> = RefCell::default();
}

impl Tr {
    /// The message as an owned string, for a handler that keeps it.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.label(key).to_owned()
    }

    /// The message, borrowed: what templates print.
    #[must_use]
    pub fn label(&self, key: &str) -> &'static str {
        let lang = match self.lang {
            Lang::Nl => 0,
            Lang::En => 1,
        };
        if let Some(text) = SEEN.with_borrow(|seen| seen[lang].get(key).copied()) {
            return text;
        }
        let text = self.resolved(lang, key);
        SEEN.with_borrow_mut(|seen| seen[lang].insert(key.into(), text));
        text
    }

    /// The one kept copy of a message, resolved on first use by any thread.
    fn resolved(&self, lang: usize, key: &str) -> &'static str {
        let cache = &PLAIN[lang];
        // A poisoned lock only means a panic elsewhere while inserting a finished string.
        if let Some(text) = cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
        {
            return text;
        }
        let mut resolved = cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Another request may have resolved it meanwhile: keep one copy per key.
        resolved
            .entry(key.into())
            .or_insert_with(|| Box::leak(LOCALES.lookup(self.lang.id(), key).into_boxed_str()))
    }

    /// With one named argument (Fluent `{ $name }`).
    #[must_use]
    pub fn t1(&self, key: &str, name: &'static str, value: &dyn std::fmt::Display) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_string()));
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// The other language, for the switch in the header.
    #[must_use]
    pub const fn other(&self) -> Lang {
        match self.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key a template or handler asks for exists in Dutch and in English.
    #[test]
    fn every_key_used_exists_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = std::collections::BTreeSet::new();
        let mut sources = Vec::new();
        for dir in ["templates", "src", "src/pages", "src/portal"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    sources.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        for text in &sources {
            // `.t("`, `.label("` and `.t1("`: a call on a translator, not any `get("…")`.
            for pattern in [".t(\"", ".label(\"", ".t1(\""] {
                for part in text.split(pattern).skip(1) {
                    if let Some(key) = part.split('"').next()
                        && !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    {
                        keys.insert(key.to_owned());
                    }
                }
            }
        }
        // Keys built at run time: page titles passed by name, kinds and categories.
        for text in &sources {
            for part in text.split("\"title-").skip(1) {
                if let Some(rest) = part.split('"').next()
                    && !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                {
                    keys.insert(format!("title-{rest}"));
                }
            }
        }
        for k in zv_domain::EntryKind::ALL {
            keys.insert(format!("kind-{}", k.code().replace('_', "-")));
        }
        for c in zv_domain::SpecialCategory::ALL {
            keys.insert(format!("category-{}", c.code().replace('_', "-")));
        }
        for kind in ["complaint", "quality-review", "substitute", "emergency"] {
            keys.insert(format!("grant-kind-{kind}"));
        }
        for r in zv_domain::RelationKind::ALL {
            keys.insert(format!("relation-{}", r.code().replace('_', "-")));
        }
        for g in crate::pages::intake::GENDERS {
            keys.insert(format!("gender-{}", g.replace('_', "-")));
        }
        for channel in zv_core::grants::COMPLAINT_CHANNELS {
            keys.insert(format!("channel-{channel}"));
        }
        assert!(keys.len() > 20, "found only {keys:?}");
        // Messages with a variable need it to resolve; every variable the app passes.
        let mut args: HashMap<&str, FluentValue<'_>> = HashMap::new();
        for name in [
            "version",
            "seconds",
            "count",
            "date",
            "days",
            "number",
            "until",
            "at",
            "reference",
            "who",
            "page",
            "pages",
            "term",
            "minutes",
            "hours",
            "failures",
            "age",
            "name",
            "names",
            "channels",
            "email",
            "url",
            "phone",
            "address",
            "n",
            "period",
            "what",
        ] {
            args.insert(name, FluentValue::from("1"));
        }
        for lang in [Lang::Nl, Lang::En] {
            for key in &keys {
                assert!(
                    LOCALES
                        .lookup_single_language(lang.id(), key, Some(&args))
                        .is_ok(),
                    "{key} is missing in {}",
                    lang.code()
                );
            }
        }
    }
}
