//! Staff accounts: username, argon2id password, TOTP second factor (ACC-9), roles, teams,
//! the date the confidentiality statement was signed (ACC-8) and the disabled flag.

use chrono::NaiveDate;
use serde::Serialize;
use totp_rs::{Algorithm, Secret, Totp};
use zv_domain::{AuditAction, AuditObject, Role, UserId};
use zv_store::NewStaffUser;

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
    pub confidentiality_signed_on: Option<NaiveDate>,
    pub disabled: bool,
}

fn check_username(username: &str) -> CoreResult<()> {
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

    pub(crate) async fn insert_user(
        &self,
        actor: &Actor,
        input: NewUserInput,
        secret: Vec<u8>,
    ) -> CoreResult<UserId> {
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
        if input.roles.is_empty() {
            return Err(CoreError::invalid(
                "roles",
                "give the account at least one role",
            ));
        }
        for team in &input.teams {
            if self.policy.team(team).is_none() {
                return Err(CoreError::invalid(
                    "teams",
                    format!("unknown team `{team}`"),
                ));
            }
        }
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
        let id = UserId::new();
        let password_hash = zv_crypto::password::hash(&input.password)?;
        let totp_secret_ct = self.keys.system().encrypt(
            &secret,
            &zv_crypto::Aad::new(T, "totp_secret", id.as_uuid()),
        );
        let tx = self.store.begin().await?;
        self.authorize_admin(
            &tx,
            actor,
            Access::new(AuditAction::Create, AuditObject::UserAccount, None).object_id(id),
        )
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
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn list_users(&self, actor: &Actor) -> CoreResult<Vec<UserSummary>> {
        let tx = self.store.begin().await?;
        self.authorize_admin(
            &tx,
            actor,
            Access::new(AuditAction::Read, AuditObject::UserAccount, None),
        )
        .await?;
        let rows = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| UserSummary {
                id: r.id,
                username: r.username,
                display_name: r.display_name,
                roles: r.roles.iter().filter_map(|c| c.parse().ok()).collect(),
                teams: r.teams,
                confidentiality_signed_on: r.confidentiality_signed_on,
                disabled: r.disabled,
            })
            .collect())
    }

    /// Disables an account at once: it can no longer reach any client data (ACC-8).
    pub async fn disable_user(&self, actor: &Actor, username: &str) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        let user = zv_store::staff::find_by_username(&tx, username)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.authorize_admin(
            &tx,
            actor,
            Access::new(AuditAction::Update, AuditObject::UserAccount, None)
                .object_id(user.id)
                .detail("disabled"),
        )
        .await?;
        zv_store::staff::set_disabled(&tx, user.id, true).await?;
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
        if signed_on > self.clock.today() {
            return Err(CoreError::invalid(
                "signed_on",
                "the statement cannot be signed in the future",
            ));
        }
        let tx = self.store.begin().await?;
        let user = zv_store::staff::find_by_username(&tx, username)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.authorize_admin(
            &tx,
            actor,
            Access::new(AuditAction::Update, AuditObject::UserAccount, None)
                .object_id(user.id)
                .detail("confidentiality statement recorded"),
        )
        .await?;
        zv_store::staff::set_confidentiality_signed(&tx, user.id, Some(signed_on)).await?;
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
        Ok(Actor::Staff(crate::gate::StaffActor {
            user_id: user.id,
            display_name: user.display_name,
            roles: user.roles.iter().filter_map(|c| c.parse().ok()).collect(),
            teams: user.teams,
            confidentiality_signed: user
                .confidentiality_signed_on
                .is_some_and(|d| d <= self.clock.today()),
            disabled: user.disabled,
            access_point: access_point.to_owned(),
        }))
    }

    /// Administration events are audited in the same transaction as the change.
    async fn authorize_admin(
        &self,
        tx: &zv_store::Tx,
        actor: &Actor,
        access: Access,
    ) -> CoreResult<()> {
        let decision = self.decide(actor, &access).await?;
        if !decision.allowed {
            return Err(CoreError::NotAllowed(
                "administrators manage accounts".into(),
            ));
        }
        zv_store::audit::append(
            tx,
            &[crate::gate::event(
                actor,
                &access,
                zv_domain::AuditOutcome::Success,
                &decision,
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }
}
