//! Staff accounts: username, argon2id password, TOTP second factor (ACC-9), roles, teams,
//! the date the confidentiality statement was signed (ACC-8) and the disabled flag.
//!
//! Administrators manage them (ACC-5) and see nothing of any dossier here. Every change
//! is decided by the access rules and audited in the same transaction as the change, with
//! a detail that names what changed (codes and dates only: never a name, a password or a
//! secret). A refused attempt is recorded too.

use chrono::NaiveDate;
use serde::Serialize;
use totp_rs::{Algorithm, Secret, Totp};
use zv_domain::{AuditAction, AuditObject, AuditOutcome, Role, UserId};
use zv_store::NewStaffUser;

use crate::access::Decision;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

const T: &str = "staff_users";
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A new staff account.
#[derive(Clone)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub password: zeroize::Zeroizing<String>,
    pub roles: Vec<Role>,
    pub teams: Vec<String>,
    pub branch: Option<String>,
    pub confidentiality_signed_on: Option<NaiveDate>,
}

impl std::fmt::Debug for NewUserInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewUserInput({}, password: ***)", self.username)
    }
}

/// What a new user needs to set up the second factor: shown once, never stored in clear.
pub struct Enrolment {
    pub user_id: UserId,
    pub otpauth_uri: zeroize::Zeroizing<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub teams: Vec<String>,
    pub branch: Option<String>,
    pub confidentiality_signed_on: Option<NaiveDate>,
    pub disabled: bool,
    /// Whether the second factor is set up; false for a new account and after a reset,
    /// until the user enrols at their next sign-in.
    pub second_factor_enrolled: bool,
}

impl From<zv_store::StaffUserRow> for UserSummary {
    fn from(r: zv_store::StaffUserRow) -> Self {
        Self {
            id: r.id,
            roles: r.roles.iter().filter_map(|c| c.parse().ok()).collect(),
            username: r.username,
            display_name: r.display_name,
            teams: r.teams,
            branch: r.branch_code,
            confidentiality_signed_on: r.confidentiality_signed_on,
            disabled: r.disabled,
            second_factor_enrolled: r.totp_confirmed,
        }
    }
}

pub(crate) fn check_username(username: &str) -> CoreResult<()> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "username",
            "3 to 64 characters: lower-case letters, digits, '.', '-' or '_'",
        ))
    }
}

/// Role codes for an audit detail, in a stable order.
fn role_codes(roles: &[Role]) -> String {
    let mut codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(",")
}

fn team_codes(teams: &[String]) -> String {
    let mut codes: Vec<&str> = teams.iter().map(String::as_str).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(",")
}

/// An administrator may not lock themselves out: the account that acts keeps working, so
/// an organisation always has an administrator who can undo a mistake.
fn refuse_own_account(actor: &Actor, id: UserId, what: &str) -> CoreResult<()> {
    if actor.user_id() == Some(id) {
        return Err(CoreError::invalid(
            "own_account",
            format!("an administrator cannot {what} their own account"),
        ));
    }
    Ok(())
}

impl App {
    pub(crate) fn totp_for(&self, username: &str, secret: Vec<u8>) -> CoreResult<Totp> {
        totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(secret)
            .with_account_name(username.to_owned())
            .with_issuer(Some("Zorgvuldig"))
            .build()
            .map_err(|e| CoreError::Internal(format!("totp: {e}")))
    }

    /// Creates a staff account. Administrators do this; the first one is made by `init`.
    pub async fn add_user(&self, actor: &Actor, input: NewUserInput) -> CoreResult<Enrolment> {
        let secret = Secret::generate().as_bytes().to_vec();
        let totp = self.totp_for(&input.username, secret.clone())?;
        let user_id = self.insert_user(actor, input, secret).await?;
        Ok(Enrolment {
            user_id,
            otpauth_uri: zeroize::Zeroizing::new(
                totp.to_url()
                    .map_err(|e| CoreError::Internal(format!("totp: {e}")))?,
            ),
        })
    }

    /// Creates a staff account whose second factor the user sets up at first sign-in (the
    /// sign-in shows the QR code then); the administrator never sees the secret.
    pub async fn create_user(&self, actor: &Actor, input: NewUserInput) -> CoreResult<UserId> {
        let secret = Secret::generate().as_bytes().to_vec();
        self.insert_user(actor, input, secret).await
    }

    pub(crate) async fn insert_user(
        &self,
        actor: &Actor,
        input: NewUserInput,
        secret: Vec<u8>,
    ) -> CoreResult<UserId> {
        let id = UserId::new();
        let access = Access::new(AuditAction::Create, AuditObject::UserAccount, None);
        // Decided before the input is looked at: a non-administrator learns nothing.
        let decision = self.admin_decision(actor, &access).await?;
        check_username(&input.username)?;
        let display_name = input.display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 200 {
            return Err(CoreError::invalid(
                "display_name",
                "a name of 1 to 200 characters",
            ));
        }
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(CoreError::invalid(
                "password",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        self.check_roles_and_teams(&input.roles, &input.teams)?;
        if let Some(branch) = input
            .branch
            .as_ref()
            .filter(|b| self.policy.branch(b).is_none())
        {
            return Err(CoreError::invalid(
                "branch",
                format!("unknown branch `{branch}`"),
            ));
        }
        if let Some(on) = input.confidentiality_signed_on {
            self.check_signed_on(on)?;
        }
        let mut detail = format!(
            "account created; roles: {}; teams: {}",
            role_codes(&input.roles),
            team_codes(&input.teams)
        );
        if let Some(b) = &input.branch {
            detail.push_str(&format!("; branch: {b}"));
        }
        if let Some(on) = input.confidentiality_signed_on {
            detail.push_str(&format!("; confidentiality statement signed on {on}"));
        }
        let password_hash = zv_crypto::password::hash(&input.password)?;
        let totp_secret_ct = self.keys.system().encrypt(
            &secret,
            &zv_crypto::Aad::new(T, "totp_secret", id.as_uuid()),
        );
        let tx = self.store.begin().await?;
        self.append_admin(&tx, actor, &access.object_id(id).detail(detail), &decision)
            .await?;
        let inserted = zv_store::staff::insert(
            &tx,
            &NewStaffUser {
                id,
                username: input.username.clone(),
                display_name: display_name.to_owned(),
                password_hash,
                totp_secret_ct,
                branch_code: input.branch.clone(),
                confidentiality_signed_on: input.confidentiality_signed_on,
                roles: input.roles.iter().map(|r| r.code().to_owned()).collect(),
                teams: input.teams.clone(),
                created_at: self.now(),
            },
        )
        .await;
        match inserted {
            Err(zv_store::StoreError::Conflict) => {
                return Err(CoreError::invalid("username", "this username is taken"));
            }
            other => other?,
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn list_users(&self, actor: &Actor) -> CoreResult<Vec<UserSummary>> {
        let access = Access::new(AuditAction::Read, AuditObject::UserAccount, None);
        let decision = self.admin_decision(actor, &access).await?;
        let tx = self.store.begin().await?;
        self.append_admin(&tx, actor, &access, &decision).await?;
        let rows = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(UserSummary::from).collect())
    }

    /// One account, for the administration screen; the read is recorded.
    pub async fn user(&self, actor: &Actor, id: UserId) -> CoreResult<UserSummary> {
        let access = Access::new(AuditAction::Read, AuditObject::UserAccount, None).object_id(id);
        let decision = self.admin_decision(actor, &access).await?;
        let tx = self.store.begin().await?;
        let row = zv_store::staff::get(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.append_admin(&tx, actor, &access, &decision).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Disables an account at once: its sessions end, it cannot sign in, and it can no
    /// longer reach any client data (ACC-8).
    pub async fn disable_user(&self, actor: &Actor, username: &str) -> CoreResult<()> {
        let id = self.user_id_of(username).await?;
        self.disable_user_by_id(actor, id).await
    }

    /// As [`App::disable_user`], by account id (the administration screen).
    pub async fn disable_user_by_id(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        self.set_disabled(actor, id, true).await
    }

    /// Enables a disabled account again; the user signs in as before.
    pub async fn enable_user(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        self.set_disabled(actor, id, false).await
    }

    async fn set_disabled(&self, actor: &Actor, id: UserId, disabled: bool) -> CoreResult<()> {
        let detail = if disabled {
            "account disabled; sessions ended; API tokens revoked"
        } else {
            "account enabled"
        };
        let access = Access::new(AuditAction::Update, AuditObject::UserAccount, None)
            .object_id(id)
            .detail(detail);
        let decision = self.admin_decision(actor, &access).await?;
        if disabled {
            refuse_own_account(actor, id, "disable")?;
        }
        let tx = self.store.begin().await?;
        zv_store::staff::get(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.append_admin(&tx, actor, &access, &decision).await?;
        zv_store::staff::set_disabled(&tx, id, disabled).await?;
        if disabled {
            // A session or token already out would otherwise live on until it expires,
            // and come back if the account were enabled again.
            zv_store::sign_in::delete_sessions_of(&tx, id).await?;
            zv_store::api_tokens::revoke_all_of(&tx, id, self.now()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an account's roles and team memberships: at least one role, and teams the
    /// policy knows. An administrator cannot take their own administrator role away.
    pub async fn set_roles_and_teams(
        &self,
        actor: &Actor,
        id: UserId,
        roles: Vec<Role>,
        teams: Vec<String>,
    ) -> CoreResult<()> {
        let access = Access::new(AuditAction::Update, AuditObject::UserAccount, None).object_id(id);
        let decision = self.admin_decision(actor, &access).await?;
        self.check_roles_and_teams(&roles, &teams)?;
        if !roles.contains(&Role::Administrator) {
            refuse_own_account(actor, id, "remove the administrator role from")?;
        }
        let tx = self.store.begin().await?;
        let user = zv_store::staff::get(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let before_roles: Vec<Role> = user.roles.iter().filter_map(|c| c.parse().ok()).collect();
        let (before_roles, after_roles) = (role_codes(&before_roles), role_codes(&roles));
        let (before_teams, after_teams) = (team_codes(&user.teams), team_codes(&teams));
        let mut changes = Vec::new();
        if before_roles != after_roles {
            changes.push(format!("roles: {before_roles} -> {after_roles}"));
        }
        if before_teams != after_teams {
            changes.push(format!("teams: {before_teams} -> {after_teams}"));
        }
        let detail = if changes.is_empty() {
            "roles and teams unchanged".to_owned()
        } else {
            changes.join("; ")
        };
        self.append_admin(&tx, actor, &access.detail(detail), &decision)
            .await?;
        let role_codes: Vec<String> = roles.iter().map(|r| r.code().to_owned()).collect();
        zv_store::staff::set_roles(&tx, id, &role_codes).await?;
        zv_store::staff::set_teams(&tx, id, &teams).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a staff member signed the confidentiality statement (ACC-8).
    pub async fn record_confidentiality(
        &self,
        actor: &Actor,
        username: &str,
        signed_on: NaiveDate,
    ) -> CoreResult<()> {
        let id = self.user_id_of(username).await?;
        self.record_confidentiality_by_id(actor, id, signed_on)
            .await
    }

    /// As [`App::record_confidentiality`], by account id (the administration screen).
    pub async fn record_confidentiality_by_id(
        &self,
        actor: &Actor,
        id: UserId,
        signed_on: NaiveDate,
    ) -> CoreResult<()> {
        let access = Access::new(AuditAction::Update, AuditObject::UserAccount, None)
            .object_id(id)
            .detail(format!("confidentiality statement signed on {signed_on}"));
        let decision = self.admin_decision(actor, &access).await?;
        self.check_signed_on(signed_on)?;
        let tx = self.store.begin().await?;
        zv_store::staff::get(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.append_admin(&tx, actor, &access, &decision).await?;
        zv_store::staff::set_confidentiality_signed(&tx, id, Some(signed_on)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Resets an account's second factor (a lost phone, ACC-9): a new secret nobody has
    /// seen, the recovery codes gone and every session ended. At the next sign-in the
    /// password leads to enrolment again, and codes of the old secret are worthless.
    pub async fn reset_second_factor(&self, actor: &Actor, id: UserId) -> CoreResult<()> {
        let access = Access::new(AuditAction::Update, AuditObject::UserAccount, None)
            .object_id(id)
            .detail("second factor reset; recovery codes removed; sessions ended");
        let decision = self.admin_decision(actor, &access).await?;
        let secret = Secret::generate().as_bytes().to_vec();
        let secret_ct = self.keys.system().encrypt(
            &secret,
            &zv_crypto::Aad::new(T, "totp_secret", id.as_uuid()),
        );
        let tx = self.store.begin().await?;
        zv_store::staff::get(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.append_admin(&tx, actor, &access, &decision).await?;
        // Unconfirmed, so the next sign-in enrols the new secret before anything else.
        zv_store::staff::reset_totp(&tx, id, secret_ct).await?;
        zv_store::sign_in::replace_recovery_codes(&tx, id, &[]).await?;
        zv_store::sign_in::delete_sessions_of(&tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The acting identity of a staff account, for the CLI and tests (the web app builds
    /// the same from a verified session).
    pub async fn staff_actor(&self, username: &str, access_point: &str) -> CoreResult<Actor> {
        let tx = self.store.begin().await?;
        let user = zv_store::staff::find_by_username(&tx, username)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        Ok(Actor::Staff(self.staff_actor_of(user, access_point)))
    }

    async fn user_id_of(&self, username: &str) -> CoreResult<UserId> {
        let tx = self.store.begin().await?;
        let user = zv_store::staff::find_by_username(&tx, username)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        Ok(user.id)
    }

    fn check_roles_and_teams(&self, roles: &[Role], teams: &[String]) -> CoreResult<()> {
        if roles.is_empty() {
            return Err(CoreError::invalid(
                "roles",
                "give the account at least one role",
            ));
        }
        if let Some(team) = teams.iter().find(|t| self.policy.team(t).is_none()) {
            return Err(CoreError::invalid(
                "teams",
                format!("unknown team `{team}`"),
            ));
        }
        Ok(())
    }

    fn check_signed_on(&self, signed_on: NaiveDate) -> CoreResult<()> {
        if signed_on > self.clock.today() {
            return Err(CoreError::invalid(
                "signed_on",
                "the statement cannot be signed in the future",
            ));
        }
        Ok(())
    }

    /// Asks the rules whether the actor may administer accounts (ACC-5). A refusal is
    /// recorded at once, in its own transaction, and answers "not allowed".
    async fn admin_decision(&self, actor: &Actor, access: &Access) -> CoreResult<Decision> {
        let decision = self.decide(actor, access).await?;
        if decision.allowed {
            return Ok(decision);
        }
        let tx = self.store.begin().await?;
        zv_store::audit::append(
            &tx,
            &[crate::gate::event(
                actor,
                access,
                AuditOutcome::Denied,
                &decision,
            )],
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Err(CoreError::NotAllowed(
            "administrators manage accounts".into(),
        ))
    }

    /// Administration events are audited in the same transaction as the change.
    async fn append_admin(
        &self,
        tx: &zv_store::Tx,
        actor: &Actor,
        access: &Access,
        decision: &Decision,
    ) -> CoreResult<()> {
        zv_store::audit::append(
            tx,
            &[crate::gate::event(
                actor,
                access,
                AuditOutcome::Success,
                decision,
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }
}
