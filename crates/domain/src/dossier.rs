//! The kinds of content a dossier holds (DOS-1), special categories (DOS-3) and the
//! relations of other people to a client.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::person::ValueError;

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Stable code, stored in the database and the audit log.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(Self::$variant),)+
                    other => Err(UnknownCode { kind: stringify!($name), code: other.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// A code that names no known variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code `{code}`")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

coded_enum!(
    /// The kinds of dossier entry of DOS-1.
    EntryKind {
        /// "Doel": a goal the client wants to reach, with progress updates.
        Goal = "goal",
        /// "Gespreksverslag".
        ConversationReport = "conversation_report",
        /// "Plan of document": help plan, plan of approach.
        PlanDocument = "plan_document",
        /// "Rapport van anderen": referral by a GP or school, usually with an attachment.
        ThirdPartyReport = "third_party_report",
        /// "Samenvatting e-mail": the important points only, never the raw e-mail.
        EmailSummary = "email_summary",
        /// A step of the reporting code ("meldcode", MLD-1), written only by its workflow
        /// (`zv_core::meldcode`), never as a free entry and never edited afterwards.
        Meldcode = "meldcode",
    }
);

impl EntryKind {
    /// The kinds a worker writes freely in the dossier (and edits); a meldcode step is
    /// recorded by its workflow only (MLD-1).
    pub const WRITTEN_FREELY: &'static [Self] = &[
        Self::Goal,
        Self::ConversationReport,
        Self::PlanDocument,
        Self::ThirdPartyReport,
        Self::EmailSummary,
    ];

    /// Whether a worker may write and edit an entry of this kind freely.
    #[must_use]
    pub const fn written_freely(self) -> bool {
        !matches!(self, Self::Meldcode)
    }
}

coded_enum!(
    /// Special categories of personal data (DOS-3, AVG art. 9 and 10).
    SpecialCategory {
        Health = "health",
        CriminalPast = "criminal_past",
        Ethnicity = "ethnicity",
        PoliticalOpinion = "political_opinion",
        ReligionOrBelief = "religion_or_belief",
        SexualOrientation = "sexual_orientation",
    }
);

coded_enum!(
    /// How a related person stands to a client.
    RelationKind {
        /// Parent with parental authority ("ouder met gezag"), from a recorded date.
        ParentWithAuthority = "parent_with_authority",
        /// Parent without authority: informed where the law says so, no access rights.
        ParentWithoutAuthority = "parent_without_authority",
        /// Guardian ("voogd").
        Guardian = "guardian",
        /// Legal representative of an adult (curator, mentor) within a recorded mandate.
        LegalRepresentative = "legal_representative",
        /// A child of the client (Blijf Groep keeps the dossier until the youngest is 18).
        Child = "child",
        /// Other family member.
        FamilyMember = "family_member",
    }
);

/// The content of one version of a dossier entry. Stored encrypted as one value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
pub struct EntryContent {
    pub title: String,
    pub body: String,
    /// Only for goals: progress in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
}

impl std::fmt::Debug for EntryContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntryContent(***)")
    }
}

impl EntryContent {
    pub const TITLE_MAX: usize = 200;
    pub const BODY_MAX: usize = 100_000;

    /// Checks a title and body; `progress` is only meaningful for goals and at most 100.
    pub fn parse(
        kind: EntryKind,
        title: &str,
        body: &str,
        progress: Option<u8>,
    ) -> Result<Self, ValueError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(ValueError::Required);
        }
        if title.chars().count() > Self::TITLE_MAX {
            return Err(ValueError::TooLong {
                max: Self::TITLE_MAX,
            });
        }
        if body.chars().count() > Self::BODY_MAX {
            return Err(ValueError::TooLong {
                max: Self::BODY_MAX,
            });
        }
        if title.chars().any(char::is_control)
            || body
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ValueError::ControlCharacters);
        }
        let progress = match (kind, progress) {
            (EntryKind::Goal, Some(p)) if p > 100 => return Err(ValueError::TooLong { max: 100 }),
            (EntryKind::Goal, p) => Some(p.unwrap_or(0)),
            (_, _) => None,
        };
        Ok(Self {
            title: title.to_owned(),
            body: body.to_owned(),
            progress,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(k.code().parse::<EntryKind>(), Ok(*k));
        }
        for c in SpecialCategory::ALL {
            assert_eq!(c.code().parse::<SpecialCategory>(), Ok(*c));
        }
        for r in RelationKind::ALL {
            assert_eq!(r.code().parse::<RelationKind>(), Ok(*r));
        }
        assert!("diary".parse::<EntryKind>().is_err());
    }

    #[test]
    fn entry_content_rules() {
        assert!(EntryContent::parse(EntryKind::Goal, "", "x", None).is_err());
        let g = EntryContent::parse(EntryKind::Goal, "Werk vinden", "", None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(g.progress, Some(0));
        assert!(EntryContent::parse(EntryKind::Goal, "t", "", Some(101)).is_err());
        let r = EntryContent::parse(EntryKind::ConversationReport, "t", "b", Some(50))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.progress, None);
    }
}
