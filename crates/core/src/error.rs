//! Error policy of the core (STYLE: "a written error policy").
//!
//! - Libraries below (policy, crypto, store) return their own `thiserror` types; the core
//!   wraps them in [`CoreError`] and never logs them: the boundary (CLI or web handler)
//!   logs an internal error once, with a request id, and shows a generic message.
//! - Variants a user can act on (`Invalid`, `NotFound`, `NotAllowed`, ...) carry a message
//!   that names the field and the rule, never the value: values may be personal data.
//! - A client a caller may not see is `NotFound`, never "forbidden", so the existence of
//!   a dossier does not leak (ARCHITECTURE: errors).
//! - A database that is out of reach or cannot write ([`CoreError::is_unavailable`]) is
//!   not a fault of the software: the boundary answers 503 and logs a warning.

use zv_domain::ValueError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Input was refused; `field` names the form field, the message names the rule.
    #[error("{field}: {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    /// The thing does not exist, or the caller may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The caller is known to be allowed to see the thing but not to do this with it.
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    /// The trajectory is frozen (RTS-7 restriction, RTS-9 upheld objection, RTS-10
    /// withdrawn consent): nothing in it changes or leaves until the freeze is lifted.
    #[error(
        "this trajectory is frozen (restriction, objection or withdrawn consent): nothing in it is changed or exported until the freeze is lifted"
    )]
    Frozen,
    /// A sign-in failed. Deliberately the same for an unknown name, a wrong password, a
    /// wrong code and a disabled account, so none of them can be told apart.
    #[error("the username, password or code is not right")]
    SignInFailed,
    /// Too many failed sign-ins for this account or address: wait before trying again.
    #[error("too many attempts; try again in {wait_seconds} seconds")]
    TooManyAttempts { wait_seconds: u64 },
    /// An edit was made on an older version than the current one: someone else changed
    /// the thing since the form was opened. Nothing was saved.
    #[error("changed by someone else since you opened it (now version {current})")]
    Stale { current: i32 },
    #[error(
        "no Zorgvuldig database at {0}; run `zorgvuldig init` (or `zorgvuldig demo`) first, or point ZV_DATABASE_URL at the right database"
    )]
    NotInitialised(String),
    #[error("already initialised: {0}")]
    AlreadyInitialised(String),
    #[error("key file problem: {0}")]
    Keys(String),
    #[error(transparent)]
    Crypto(#[from] zv_crypto::CryptoError),
    #[error(transparent)]
    Store(#[from] zv_store::StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            problem: problem.into(),
        }
    }

    /// The database is out of reach or cannot write right now (see
    /// [`zv_store::StoreError::Unavailable`]): nothing was changed and the same request
    /// may succeed later, so the boundary answers 503 with a plain message, not an
    /// internal error.
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Store(e) if e.is_unavailable())
    }

    /// Maps a value error to the field it came from.
    pub fn field(field: &'static str) -> impl FnOnce(ValueError) -> Self {
        move |e| Self::invalid(field, e.to_string())
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
