//! Typed identifiers. They are UUIDv7 (time-ordered, so indexes stay compact) and carry no
//! personal data, so they are the only way logs, URLs and audit events name things.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh identifier.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// A client ("cliënt"): a person who receives help.
    ClientId
);
id_type!(
    /// A trajectory ("traject"): one service for one client, with its own dossier.
    TrajectoryId
);
id_type!(
    /// A dossier entry: goal, conversation report, plan, report from others, e-mail summary.
    EntryId
);
id_type!(
    /// A staff account.
    UserId
);
id_type!(
    /// A related person: parent, guardian, representative, family member.
    RelatedPersonId
);
id_type!(
    /// A file attached to a dossier entry.
    AttachmentId
);
id_type!(
    /// A staff member's personal work note ("werkaantekening"), not part of the dossier.
    WorkNoteId
);
id_type!(
    /// One event in the audit log.
    AuditEventId
);
id_type!(
    /// A client's own account for the online dossier ("portaal", POR-1).
    PortalAccountId
);
id_type!(
    /// An invitation to the online dossier: a one-time code handed to the client.
    PortalInvitationId
);
