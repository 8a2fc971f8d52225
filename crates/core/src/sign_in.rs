//! Staff sign-in (ACC-9, SEC-1): password, then a TOTP code or a one-time recovery code;
//! enrolment of the second factor at first sign-in; server-side sessions with idle and
//! absolute expiry from the policy; backoff per account and per address.
//!
//! A session is a random token in the cookie and its SHA-256 in the database. It moves
//! through stages: `password` (the password was right, a code is due), `enrol` (the
//! password was right and the second factor must be set up first), `full` (signed in).
//! Passing the second factor issues a new token, so a token seen before sign-in is
//! worthless after it (no session fixation).

use chrono::{DateTime, Duration, Utc};
use totp_rs::Totp;
use zeroize::Zeroizing;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, NewAuditEvent, Purpose, UserId};
use zv_store::sign_in::SessionRow;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::StaffActor;

const T: &str = "staff_users";

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; the second factor is due.
    Code,
    /// Password accepted; the second factor must be enrolled first.
    Enrol,
    /// Signed in.
    Full,
}

impl Stage {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Code => "password",
            Self::Enrol => "enrol",
            Self::Full => "full",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "password" => Some(Self::Code),
            "enrol" => Some(Self::Enrol),
            "full" => Some(Self::Full),
            _ => None,
        }
    }
}

/// A session just issued: the token goes into the cookie and is never stored.
pub struct IssuedSession {
    pub token: Zeroizing<String>,
    pub stage: Stage,
}

/// A live session, as a request sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub user_id: UserId,
    pub stage: Stage,
    pub csrf: String,
    /// Present when the stage is [`Stage::Full`].
    pub actor: Option<StaffActor>,
}

/// What the enrolment page shows, once.
pub struct EnrolmentView {
    pub otpauth_uri: Zeroizing<String>,
    pub secret_base32: Zeroizing<String>,
}

/// The secret (base32) of an `otpauth://` enrolment URI.
#[must_use]
pub fn otpauth_secret(uri: &str) -> Option<&str> {
    uri.split("secret=")
        .nth(1)
        .and_then(|r| r.split('&').next())
}

/// The code an authenticator app shows for a secret (base32) at a Unix time: for tools
/// that sign in as a program would (the benchmark, the tests).
pub fn totp_code(secret_base32: &str, unix_time: u64) -> CoreResult<String> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32)
        .map_err(|_| CoreError::invalid("secret", "not a base32 secret"))?;
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .map_err(|e| CoreError::Internal(format!("totp: {e}")))?;
    Ok(totp.generate(unix_time).to_string())
}

/// What a session token, recovery code or invitation code is kept as: its SHA-256.
/// They are random, so a plain hash opens nothing.
pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    zv_crypto::sha256(token.as_bytes()).to_vec()
}

fn account_subject(username: &str) -> String {
    format!("account:{}", username.trim().to_lowercase())
}

/// The backoff subject of an address; shared by staff and portal sign-in, so one
/// address guessing at both waits for both.
pub(crate) fn address_subject(address: &str) -> String {
    format!("address:{address}")
}

/// A code as typed: without the spaces and dashes people put in to read it.
pub(crate) fn typed_code(code: &str) -> String {
    code.trim().replace([' ', '-'], "")
}

/// The secrets of a new session: the token for the cookie (never stored), its hash
/// (stored) and the session's CSRF token.
pub(crate) struct SessionSecrets {
    pub token: Zeroizing<String>,
    pub hash: Vec<u8>,
    pub csrf: String,
}

pub(crate) fn new_session_secrets() -> SessionSecrets {
    let token = Zeroizing::new(zv_crypto::random_token(32));
    let hash = token_hash(&token);
    SessionSecrets {
        token,
        hash,
        csrf: zv_crypto::random_token(24),
    }
}

/// The two kinds of session, kept in tables of their own so one can never pass for the
/// other.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SessionTable {
    Staff,
    Portal,
}

/// The idle clock moves in steps of a minute: a session seen within the last minute is
/// not written again, so reading pages costs no write per request.
fn needs_touch(last_seen_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen_at >= Duration::minutes(1)
}

impl App {
    /// Step one: the password. Returns a session in stage `Code` or `Enrol`.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> CoreResult<IssuedSession> {
        let subjects = [account_subject(username), address_subject(address)];
        self.check_backoff(&subjects).await?;
        let tx = self.store.begin().await?;
        let user = zv_store::staff::find_by_username(&tx, username.trim()).await?;
        tx.commit().await?;
        let Some(user) = user else {
            // The same work as for a real account, so timing tells nothing.
            zv_crypto::password::dummy_verify(password);
            self.sign_in_failed(&subjects, None, "password").await?;
            return Err(CoreError::SignInFailed);
        };
        let password_ok = zv_crypto::password::verify(password, &user.password_hash);
        if !password_ok || user.disabled {
            self.sign_in_failed(&subjects, Some(user.id), "password")
                .await?;
            return Err(CoreError::SignInFailed);
        }
        let stage = if user.totp_confirmed {
            Stage::Code
        } else {
            Stage::Enrol
        };
        self.issue_session(user.id, stage, None).await
    }

    /// Step two: a TOTP code, or one of the recovery codes. Returns the signed-in session
    /// (a new token; the old one ends).
    pub async fn sign_in_code(
        &self,
        token: &str,
        code: &str,
        address: &str,
    ) -> CoreResult<IssuedSession> {
        let session = self.pending_session(token, Stage::Code).await?;
        let tx = self.store.begin().await?;
        let user = zv_store::staff::get(&tx, session.user_id)
            .await?
            .ok_or(CoreError::SignInFailed)?;
        tx.commit().await?;
        let subjects = [account_subject(&user.username), address_subject(address)];
        self.check_backoff(&subjects).await?;
        let code = typed_code(code);
        let step = self.totp_step(&self.totp_of(&user)?, &code);
        let by_totp = match step {
            Some(step) => self.claim_step(&user, step).await?,
            None => false,
        };
        let ok = if by_totp {
            true
        } else {
            let tx = self.store.begin().await?;
            let used = zv_store::sign_in::use_recovery_code(
                &tx,
                user.id,
                &token_hash(&code.to_lowercase()),
                self.now(),
            )
            .await?;
            tx.commit().await?;
            used
        };
        if !ok || user.disabled {
            self.sign_in_failed(&subjects, Some(user.id), "second_factor")
                .await?;
            return Err(CoreError::SignInFailed);
        }
        let detail = if by_totp { "totp" } else { "recovery_code" };
        self.complete_sign_in(token, &user, &subjects, detail).await
    }

    /// The secret to enrol, for a session in stage `Enrol`.
    pub async fn enrolment(&self, token: &str) -> CoreResult<EnrolmentView> {
        let session = self.pending_session(token, Stage::Enrol).await?;
        let tx = self.store.begin().await?;
        let user = zv_store::staff::get(&tx, session.user_id)
            .await?
            .ok_or(CoreError::SignInFailed)?;
        tx.commit().await?;
        let totp = self.totp_of(&user)?;
        Ok(EnrolmentView {
            otpauth_uri: Zeroizing::new(
                totp.to_url()
                    .map_err(|e| CoreError::Internal(format!("totp: {e}")))?,
            ),
            secret_base32: Zeroizing::new(totp.secret().to_base32()),
        })
    }

    /// Confirms the enrolment with a first code; returns the signed-in session and the
    /// recovery codes, shown once (only their hashes are kept).
    pub async fn confirm_enrolment(
        &self,
        token: &str,
        code: &str,
        address: &str,
    ) -> CoreResult<(IssuedSession, Vec<Zeroizing<String>>)> {
        let session = self.pending_session(token, Stage::Enrol).await?;
        let tx = self.store.begin().await?;
        let user = zv_store::staff::get(&tx, session.user_id)
            .await?
            .ok_or(CoreError::SignInFailed)?;
        tx.commit().await?;
        let subjects = [account_subject(&user.username), address_subject(address)];
        self.check_backoff(&subjects).await?;
        let code = typed_code(code);
        let accepted = match self.totp_step(&self.totp_of(&user)?, &code) {
            Some(step) => self.claim_step(&user, step).await?,
            None => false,
        };
        if !accepted {
            self.sign_in_failed(&subjects, Some(user.id), "enrolment")
                .await?;
            return Err(CoreError::invalid(
                "code",
                "this code is not right; check the time on your phone and try the next code",
            ));
        }
        let (codes, hashes) = self.new_recovery_codes();
        let tx = self.store.begin().await?;
        zv_store::staff::confirm_totp(&tx, user.id).await?;
        zv_store::sign_in::replace_recovery_codes(&tx, user.id, &hashes).await?;
        self.append_account_event(
            &tx,
            &user,
            AuditAction::Update,
            AuditOutcome::Success,
            "second factor enrolled",
        )
        .await?;
        tx.commit().await?;
        let issued = self
            .complete_sign_in(token, &user, &subjects, "enrolment")
            .await?;
        Ok((issued, codes))
    }

    /// The session behind a cookie token, if it is live; an expired one is removed.
    /// A live session's idle clock restarts.
    pub async fn session(
        &self,
        token: &str,
        access_point: &str,
    ) -> CoreResult<Option<SessionView>> {
        let hash = token_hash(token);
        // Most requests only read: one statement, outside any transaction, never queues
        // behind writers.
        let found = zv_store::sign_in::session_with_user(&self.store, &hash).await?;
        let Some((row, user)) = found else {
            return Ok(None);
        };
        if !self
            .keep_alive(SessionTable::Staff, &hash, row.created_at, row.last_seen_at)
            .await?
        {
            return Ok(None);
        }
        let Some(stage) = Stage::parse(&row.stage) else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        let actor = (stage == Stage::Full).then(|| self.staff_actor_of(user, access_point));
        Ok(Some(SessionView {
            user_id: row.user_id,
            stage,
            csrf: row.csrf,
            actor,
        }))
    }

    /// Ends a session (sign-out).
    pub async fn sign_out(&self, token: &str) -> CoreResult<()> {
        let hash = token_hash(token);
        let tx = self.store.begin().await?;
        if let Some(row) = zv_store::sign_in::get_session(&tx, &hash).await? {
            zv_store::sign_in::delete_session(&tx, &hash).await?;
            if let Some(user) = zv_store::staff::get(&tx, row.user_id).await? {
                self.append_account_event(
                    &tx,
                    &user,
                    AuditAction::SignOut,
                    AuditOutcome::Success,
                    "sign-out",
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The lifecycle step of every session lookup, staff and portal alike: a session past
    /// the policy's idle or absolute limit is removed (false); a live one has its idle
    /// clock restarted, at most once a minute (true).
    pub(crate) async fn keep_alive(
        &self,
        table: SessionTable,
        hash: &[u8],
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let now = self.now();
        if self.session_expired(created_at, last_seen_at, now) {
            let tx = self.store.begin().await?;
            match table {
                SessionTable::Staff => zv_store::sign_in::delete_session(&tx, hash).await?,
                SessionTable::Portal => {
                    zv_store::portal::delete_session(&tx, hash).await?;
                }
            }
            tx.commit().await?;
            return Ok(false);
        }
        if needs_touch(last_seen_at, now) {
            let tx = self.store.begin().await?;
            match table {
                SessionTable::Staff => zv_store::sign_in::touch_session(&tx, hash, now).await?,
                SessionTable::Portal => zv_store::portal::touch_session(&tx, hash, now).await?,
            }
            tx.commit().await?;
        }
        Ok(true)
    }

    /// Whether a session has passed the policy's idle or absolute limit (staff and
    /// portal sessions alike).
    pub(crate) fn session_expired(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        let s = self.policy.security();
        let idle = Duration::minutes(i64::from(s.session_idle_minutes));
        let absolute = Duration::hours(i64::from(s.session_absolute_hours));
        now - last_seen_at > idle || now - created_at > absolute
    }

    /// The policy's number of one-time recovery codes, to show once, and their hashes,
    /// to keep.
    pub(crate) fn new_recovery_codes(&self) -> (Vec<Zeroizing<String>>, Vec<Vec<u8>>) {
        let n = self.policy.security().recovery_codes;
        let codes: Vec<Zeroizing<String>> = (0..n)
            .map(|_| {
                let raw = zv_crypto::random_token(8).to_lowercase();
                Zeroizing::new(
                    raw.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(10)
                        .collect(),
                )
            })
            .collect();
        let hashes = codes.iter().map(|c| token_hash(c)).collect();
        (codes, hashes)
    }

    /// The time step a typed TOTP code is good for now, if it is good at all; whether the
    /// step was used before is for the caller to claim.
    pub(crate) fn totp_step(&self, totp: &Totp, typed: &str) -> Option<u64> {
        if typed.len() == 6 && typed.chars().all(|c| c.is_ascii_digit()) {
            totp.check(typed, self.totp_time())
        } else {
            None
        }
    }

    async fn pending_session(&self, token: &str, stage: Stage) -> CoreResult<SessionView> {
        match self.session(token, "sign-in").await? {
            Some(s) if s.stage == stage => Ok(s),
            _ => Err(CoreError::SignInFailed),
        }
    }

    async fn issue_session(
        &self,
        user: UserId,
        stage: Stage,
        replacing: Option<&str>,
    ) -> CoreResult<IssuedSession> {
        let secrets = new_session_secrets();
        let now = self.now();
        let tx = self.store.begin().await?;
        if let Some(old) = replacing {
            zv_store::sign_in::delete_session(&tx, &token_hash(old)).await?;
        }
        zv_store::sign_in::insert_session(
            &tx,
            &SessionRow {
                token_hash: secrets.hash,
                user_id: user,
                stage: stage.code().to_owned(),
                csrf: secrets.csrf,
                created_at: now,
                last_seen_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedSession {
            token: secrets.token,
            stage,
        })
    }

    async fn complete_sign_in(
        &self,
        old_token: &str,
        user: &zv_store::StaffUserRow,
        subjects: &[String],
        how: &str,
    ) -> CoreResult<IssuedSession> {
        let tx = self.store.begin().await?;
        for s in subjects {
            zv_store::sign_in::clear_failures(&tx, s).await?;
        }
        self.append_account_event(&tx, user, AuditAction::SignIn, AuditOutcome::Success, how)
            .await?;
        tx.commit().await?;
        self.issue_session(user.id, Stage::Full, Some(old_token))
            .await
    }

    /// Refuses while a subject is in its backoff: after the policy's number of failures,
    /// each further attempt waits 1, 2, 4, ... seconds, up to the policy's maximum.
    pub(crate) async fn check_backoff(&self, subjects: &[String]) -> CoreResult<()> {
        let s = self.policy.security();
        let now = self.now();
        let tx = self.store.begin().await?;
        let mut wait = 0u64;
        for subject in subjects {
            if let Some((failures, last)) = zv_store::sign_in::failures(&tx, subject).await? {
                let over = failures - i64::from(s.login_failures_before_backoff);
                if over >= 0 {
                    let step = 1u64 << over.clamp(0, 30);
                    let delay = step.min(u64::from(s.login_backoff_max_seconds));
                    let until = last + Duration::seconds(i64::try_from(delay).unwrap_or(i64::MAX));
                    if now < until {
                        let left = (until - now).num_seconds().max(1);
                        wait = wait.max(u64::try_from(left).unwrap_or(1));
                    }
                }
            }
        }
        tx.commit().await?;
        if wait > 0 {
            return Err(CoreError::TooManyAttempts { wait_seconds: wait });
        }
        Ok(())
    }

    async fn sign_in_failed(
        &self,
        subjects: &[String],
        user: Option<UserId>,
        step: &str,
    ) -> CoreResult<()> {
        let event = NewAuditEvent {
            action: AuditAction::SignIn,
            outcome: AuditOutcome::Failure,
            object: AuditObject::UserAccount,
            object_id: user.map(|u| u.as_uuid()),
            client_id: None,
            user_id: user,
            user_name: String::new(),
            role: String::new(),
            on_behalf_of: None,
            purpose: Purpose::Administration,
            access_point: "sign-in".to_owned(),
            rule_ids: vec!["acc9-second-factor".to_owned()],
            detail: Some(format!("failed at {step}")),
        };
        self.record_sign_in_failure(subjects, event).await
    }

    /// Counts a failed attempt against each backoff subject and records it, in one
    /// transaction (staff and portal sign-in alike).
    pub(crate) async fn record_sign_in_failure(
        &self,
        subjects: &[String],
        event: NewAuditEvent,
    ) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        for s in subjects {
            zv_store::sign_in::record_failure(&tx, s, self.now()).await?;
        }
        zv_store::audit::append(&tx, &[event], self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_account_event(
        &self,
        tx: &zv_store::Tx,
        user: &zv_store::StaffUserRow,
        action: AuditAction,
        outcome: AuditOutcome,
        detail: &str,
    ) -> CoreResult<()> {
        let event = NewAuditEvent {
            action,
            outcome,
            object: AuditObject::UserAccount,
            object_id: Some(user.id.as_uuid()),
            client_id: None,
            user_id: Some(user.id),
            user_name: user.display_name.clone(),
            role: user.roles.join(","),
            on_behalf_of: None,
            purpose: Purpose::Administration,
            access_point: "sign-in".to_owned(),
            rule_ids: vec!["acc9-second-factor".to_owned()],
            detail: Some(detail.to_owned()),
        };
        zv_store::audit::append(tx, &[event], self.now()).await?;
        Ok(())
    }

    fn totp_of(&self, user: &zv_store::StaffUserRow) -> CoreResult<Totp> {
        let secret = self.keys.system().decrypt(
            &user.totp_secret_ct,
            &zv_crypto::Aad::new(T, "totp_secret", user.id.as_uuid()),
        )?;
        self.totp_for(&user.username, secret.to_vec())
    }

    /// A TOTP code is good once (RFC 6238 section 5.2): a code read over someone's
    /// shoulder cannot be used again within its window.
    async fn claim_step(&self, user: &zv_store::StaffUserRow, step: u64) -> CoreResult<bool> {
        let tx = self.store.begin().await?;
        let fresh = zv_store::sign_in::claim_totp_step(&tx, user.id, step).await?;
        tx.commit().await?;
        Ok(fresh)
    }

    fn totp_time(&self) -> u64 {
        u64::try_from(self.now().timestamp()).unwrap_or(0)
    }
}
