//! API tokens ("API-sleutels"): bearer tokens a staff member creates for an integration,
//! each with scopes and an expiry, revoked by their owner at any time.
//!
//! A token is `zv_` and 32 random bytes; it is shown once, at creation, and only its
//! SHA-256 is stored, like a session token. A request with a token acts as its owner,
//! built exactly as a signed-in session builds its actor: every call still passes the
//! gate, so the access rules decide and the audit log records it as for the web app
//! (ACC-1, ACC-7), and an account without a confidentiality statement gets no client
//! data (ACC-8). A disabled account's tokens stop working at once, as its sessions do.
//! Scopes narrow what a token may be used for; they never widen what its owner may do.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zeroize::Zeroizing;
use zv_domain::{AuditAction, AuditObject, Purpose, UserId};
use zv_store::api_tokens::ApiTokenRow;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Reading personal data: caseload, clients, dossiers, grants.
    Read,
    /// Creating and changing: intake, entries, trajectories, grants.
    Write,
    /// The privacy officer's audit log and register of grants.
    Audit,
    /// User administration.
    Admin,
}

impl Scope {
    pub const ALL: [Self; 4] = [Self::Read, Self::Write, Self::Audit, Self::Admin];

    /// Stable code, stored and used in the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Audit => "audit",
            Self::Admin => "admin",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A token just created: the token itself is here once and never again.
pub struct IssuedApiToken {
    pub id: Uuid,
    pub token: Zeroizing<String>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for IssuedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedApiToken({}, ***)", self.id)
    }
}

/// A token as its owner sees it in the list.
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Usable now: neither revoked nor expired.
    pub active: bool,
}

/// The identity a valid token acts as, and what the token may be used for.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub actor: Actor,
    pub scopes: Vec<Scope>,
    pub token_id: Uuid,
}

impl ApiCaller {
    #[must_use]
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// The prefix of every token, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "zv_";

/// The longest name a token may have.
pub const NAME_MAX: usize = 100;

fn token_hash(token: &str) -> Vec<u8> {
    zv_crypto::sha256(token.as_bytes()).to_vec()
}

fn active_at(row: &ApiTokenRow, now: DateTime<Utc>) -> bool {
    row.revoked_at.is_none() && now < row.expires_at
}

fn scopes_of(row: &ApiTokenRow) -> Vec<Scope> {
    row.scopes
        .iter()
        .filter_map(|c| Scope::from_code(c))
        .collect()
}

impl App {
    fn token_owner(actor: &Actor) -> CoreResult<UserId> {
        match actor {
            Actor::Staff(s) if !s.disabled => Ok(s.user_id),
            _ => Err(CoreError::NotAllowed(
                "API tokens belong to a staff member".into(),
            )),
        }
    }

    /// Creates a token for the actor; it runs until the end of `expires_on` (a local
    /// date), at most the policy's `api_token_max_days` from today. Audited in the same
    /// transaction (the scopes and the expiry; not the name, which is free text).
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        scopes: &[Scope],
        expires_on: NaiveDate,
    ) -> CoreResult<IssuedApiToken> {
        let owner = Self::token_owner(actor)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid("name", "the field is required"));
        }
        if name.chars().count() > NAME_MAX {
            return Err(CoreError::invalid(
                "name",
                format!("at most {NAME_MAX} characters"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(CoreError::invalid("name", "no control characters"));
        }
        let mut scopes: Vec<Scope> = scopes.to_vec();
        scopes.sort_unstable();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(CoreError::invalid("scopes", "choose at least one scope"));
        }
        let today = self.clock.today();
        let max = i64::from(self.policy.security().api_token_max_days);
        if expires_on < today {
            return Err(CoreError::invalid(
                "expires_on",
                "the end date lies in the past",
            ));
        }
        if expires_on > today + Duration::days(max) {
            return Err(CoreError::invalid(
                "expires_on",
                format!("a token runs at most {max} days"),
            ));
        }
        let expires_at = zv_domain::start_of_local_day(expires_on + Duration::days(1));
        let id = Uuid::new_v4();
        let token = Zeroizing::new(format!("{TOKEN_PREFIX}{}", zv_crypto::random_token(32)));
        let codes: Vec<String> = scopes.iter().map(|s| s.code().to_owned()).collect();
        let tx = self.store.begin().await?;
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Create, AuditObject::ApiToken, None)
                .target(Target::Organisation(AuditObject::ApiToken))
                .purpose(Purpose::Administration)
                .object_id(id)
                .detail(format!(
                    "scopes={} expires_on={expires_on}",
                    codes.join(",")
                )),
        )
        .await?;
        zv_store::api_tokens::insert(
            &tx,
            &ApiTokenRow {
                id,
                user_id: owner,
                name: name.to_owned(),
                token_hash: token_hash(&token),
                scopes: codes,
                created_at: self.now(),
                expires_at,
                revoked_at: None,
                last_used_at: None,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(token.id = %id, user.id = %owner, "api token created");
        Ok(IssuedApiToken {
            id,
            token,
            expires_at,
        })
    }

    /// The actor's own tokens, newest first, ended ones included.
    pub async fn my_api_tokens(&self, actor: &Actor) -> CoreResult<Vec<ApiTokenView>> {
        let owner = Self::token_owner(actor)?;
        let now = self.now();
        let tx = self.store.begin().await?;
        let rows = zv_store::api_tokens::of_user(&tx, owner).await?;
        tx.commit().await?;
        Ok(rows
            .iter()
            .map(|r| ApiTokenView {
                id: r.id,
                name: r.name.clone(),
                scopes: scopes_of(r),
                created_at: r.created_at,
                expires_at: r.expires_at,
                revoked_at: r.revoked_at,
                last_used_at: r.last_used_at,
                active: active_at(r, now),
            })
            .collect())
    }

    /// Revokes one of the actor's own tokens at once. Another's token, or an unknown id,
    /// is "not found"; one already revoked is a conflict.
    pub async fn revoke_api_token(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        let owner = Self::token_owner(actor)?;
        let tx = self.store.begin().await?;
        let mine = zv_store::api_tokens::of_user(&tx, owner)
            .await?
            .into_iter()
            .any(|t| t.id == id);
        if !mine {
            return Err(CoreError::NotFound);
        }
        if !zv_store::api_tokens::revoke(&tx, id, owner, self.now()).await? {
            return Err(CoreError::Conflict("this token was already revoked".into()));
        }
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Update, AuditObject::ApiToken, None)
                .target(Target::Organisation(AuditObject::ApiToken))
                .purpose(Purpose::Administration)
                .object_id(id)
                .detail("revoked"),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(token.id = %id, user.id = %owner, "api token revoked");
        Ok(())
    }

    /// The caller behind a bearer token, if the token is live: known, not revoked, not
    /// expired, and its owner's account not disabled. The actor is built as a web session
    /// builds it ([`App::staff_actor`]), so the same rules apply to it at the gate.
    pub async fn api_actor(
        &self,
        token: &str,
        access_point: &str,
    ) -> CoreResult<Option<ApiCaller>> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        let now = self.now();
        let tx = self.store.begin().await?;
        let Some(row) = zv_store::api_tokens::find_by_hash(&tx, &token_hash(token)).await? else {
            tx.commit().await?;
            return Ok(None);
        };
        if !active_at(&row, now) {
            tx.commit().await?;
            return Ok(None);
        }
        // As with sessions, the last use is written at most once a minute, so a busy
        // integration costs no write per request.
        if row
            .last_used_at
            .is_none_or(|t| now - t >= Duration::minutes(1))
        {
            zv_store::api_tokens::touch(&tx, row.id, now).await?;
        }
        let user = zv_store::staff::get(&tx, row.user_id).await?;
        tx.commit().await?;
        let Some(user) = user else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        let actor = self.staff_actor(&user.username, access_point).await?;
        Ok(Some(ApiCaller {
            actor,
            scopes: scopes_of(&row),
            token_id: row.id,
        }))
    }
}
