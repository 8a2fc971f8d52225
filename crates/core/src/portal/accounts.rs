//! Portal accounts (POR-1): invitations by the assigned worker, redemption, password and
//! TOTP sign-in, sessions and revocation.
//!
//! An invitation is a random one-time code, shown once to the worker who hands it over
//! and kept only as its SHA-256, valid for the policy's `portal_invitation_days`. The
//! username a client chooses may be their own name, so it is kept only as a keyed
//! blind-index token. Everything else mirrors staff sign-in (ACC-9, SEC-1) through the
//! helpers of [`crate::sign_in`]: argon2id and the staff password length, TOTP set up
//! with a QR code and accepted once per time step, recovery codes, backoff per account
//! and per address, idle and absolute session expiry, and a new token once signed in.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use totp_rs::{Secret, Totp};
use zeroize::Zeroizing;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, ClientId, NewAuditEvent, PortalAccountId,
    PortalInvitationId, Purpose, RelatedPersonId,
};
use zv_store::portal::{NewPortalAccount, NewPortalInvitation, PortalAccountRow, PortalSessionRow};

use super::{AUDIT_ROLE, PortalActor};
use crate::access::{Decision, Relation, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::minors::MinorsAccess;
use crate::sign_in::{
    EnrolmentView, IssuedSession, SessionTable, Stage, address_subject, new_session_secrets,
    token_hash, typed_code,
};

const T: &str = "portal_accounts";

/// The blind-index domain of portal usernames.
const USERNAME_DOMAIN: &str = "portal_username";

/// Letters and digits that cannot be mistaken for each other when read aloud or copied
/// from paper (no I, O, 0 or 1): 32 of them, so each character carries 5 random bits.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Characters of an invitation code: 60 random bits, shown in groups of four.
pub const INVITATION_CODE_CHARS: usize = 12;

/// The refusals of an invitation code. The web shows each in the person's language.
pub const CODE_UNKNOWN: &str = "this invitation code is not known; check what you typed";
pub const CODE_USED: &str = "this invitation code has been used already";
pub const CODE_EXPIRED: &str = "this invitation code has expired; ask for a new one";
/// A signed-in account adds a code for a client it reads for already, or a client's own
/// code while it has a dossier of its own.
pub const CODE_LINKED: &str = "this account reads this dossier already";

/// Why the events of portal sign-in are recorded (not a Cedar rule: nothing about a
/// client's data is decided there).
const SIGN_IN_RULE: &str = "por1-portal-sign-in";
const REDEEM_RULE: &str = "por1-invitation-redeemed";

/// An invitation just made: the code is shown this once.
pub struct IssuedInvitation {
    pub id: PortalInvitationId,
    /// Grouped for reading (`ABCD-EFGH-JKLM`).
    pub code: Zeroizing<String>,
    pub expires_at: DateTime<Utc>,
}

/// Whether a client can reach the portal, for the worker's client page and the API.
#[derive(Debug, Clone, Serialize)]
pub struct PortalStatus {
    pub client_id: ClientId,
    pub account: Option<PortalAccountState>,
    pub pending_invitation: Option<PendingInvitation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortalAccountState {
    pub created_at: DateTime<Utc>,
    /// The client has set up the second factor (and so has signed in at least once).
    pub second_factor_enrolled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingInvitation {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A live portal session, as a request sees it.
#[derive(Debug, Clone)]
pub struct PortalSessionView {
    pub account_id: PortalAccountId,
    pub stage: Stage,
    pub csrf: String,
    /// Present when the stage is [`Stage::Full`].
    pub actor: Option<PortalActor>,
}

/// A fresh invitation code, ungrouped.
fn new_invitation_code() -> Zeroizing<String> {
    let bytes = Zeroizing::new(zv_crypto::random_bytes::<INVITATION_CODE_CHARS>());
    Zeroizing::new(
        bytes
            .iter()
            .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
            .collect(),
    )
}

/// An invitation code as typed: case, spaces and dashes do not matter.
fn normalised_code(typed: &str) -> String {
    typed_code(typed).to_uppercase()
}

fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Usernames are case-insensitive: "Amal" and "amal" are one account.
fn normalised_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// The backoff subject of a portal account: its username token, never the name.
fn account_subject(username_token: &[u8]) -> String {
    let hex: String = username_token.iter().map(|b| format!("{b:02x}")).collect();
    format!("portal:{hex}")
}

fn portal_access(action: AuditAction, client: ClientId) -> Access {
    Access::new(action, AuditObject::PortalAccount, Some(client)).target(Target::PortalAccess)
}

fn actor_of(account: &PortalAccountRow, access_point: &str) -> PortalActor {
    PortalActor {
        account_id: account.id,
        client_id: account.client_id,
        access_point: access_point.to_owned(),
    }
}

fn access_point_of(address: &str) -> String {
    format!("portal {address}")
}

/// The ground of an account made or linked with an invitation.
fn purpose_of_invitation(invitation: &zv_store::portal::PortalInvitationRow) -> Purpose {
    if invitation.related_person_id.is_some() {
        Purpose::RepresentativeAccess
    } else {
        Purpose::OwnAccess
    }
}

impl App {
    fn portal_username_token(&self, username: &str) -> Vec<u8> {
        self.keys
            .index()
            .token(USERNAME_DOMAIN, &normalised_username(username))
            .to_vec()
    }

    /// Whether the actor may see and manage the client's portal access (to offer it).
    pub async fn may_manage_portal(&self, actor: &Actor, client: ClientId) -> CoreResult<bool> {
        self.permitted(actor, &portal_access(AuditAction::Create, client))
            .await
    }

    /// Whether the client has a portal account or an open invitation; the read is
    /// decided and recorded like any read about a client.
    pub async fn portal_status(&self, actor: &Actor, client: ClientId) -> CoreResult<PortalStatus> {
        self.authorize_read(
            actor,
            portal_access(AuditAction::Read, client).object_id(client),
        )
        .await?;
        let tx = self.store.read_tx().await?;
        let account = zv_store::portal::account_of_client(&tx, client).await?;
        let pending = zv_store::portal::pending_invitation_of(&tx, client, self.now()).await?;
        tx.commit().await?;
        Ok(PortalStatus {
            client_id: client,
            account: account.map(|a| PortalAccountState {
                created_at: a.created_at,
                second_factor_enrolled: a.totp_confirmed,
            }),
            pending_invitation: pending.map(|i| PendingInvitation {
                created_at: i.created_at,
                expires_at: i.expires_at,
            }),
        })
    }

    /// The assigned worker invites the client to the portal: a new one-time code, valid
    /// for the policy's number of days, that replaces any earlier unused one. Refused for
    /// a client who has an account already (revoke it first) and, by the rules, for a
    /// child under 12 (MIN-1: the parents with authority read for it).
    pub async fn invite_to_portal(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<IssuedInvitation> {
        self.issue_invitation(actor, client, None).await
    }

    /// An invitation for the client (`person` none) or for one of the client's related
    /// persons. The rules decide with how the person stands to the client and the
    /// client's age band today (MIN-1..4); a refusal by one of those rules names why.
    pub(crate) async fn issue_invitation(
        &self,
        actor: &Actor,
        client: ClientId,
        person: Option<(RelatedPersonId, Relation)>,
    ) -> CoreResult<IssuedInvitation> {
        let created_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("invitations are made by staff".into()))?;
        let id = PortalInvitationId::new();
        let now = self.now();
        let days = self.policy.security().portal_invitation_days;
        let expires_at = now + Duration::days(i64::from(days));
        let relation = person.map_or(Relation::Client, |(_, r)| r);
        let mut create = portal_access(AuditAction::Create, client)
            .object_id(id)
            .detail(match person {
                None => format!("invitation valid until {}", expires_at.to_rfc3339()),
                Some((p, _)) => format!(
                    "invitation for related person {p} valid until {}",
                    expires_at.to_rfc3339()
                ),
            })
            .minors(MinorsAccess {
                relation: Some(relation),
                ..MinorsAccess::default()
            });
        // The age is looked at only by someone who may invite at all; anyone else is
        // refused (and recorded) by the write below, without a read of the profile.
        if self
            .permitted(actor, &portal_access(AuditAction::Create, client))
            .await?
        {
            create.minors.age_band = Some(
                self.client_age_band(actor, client, "birth date, for a portal invitation")
                    .await?,
            );
            let decision = self.decide(actor, &create).await?;
            if !decision.allowed
                && let Some((field, problem)) =
                    crate::minors::invitation_refusal(&decision.rule_ids, person.is_some())
            {
                return match self.refuse(actor, &create, decision).await {
                    CoreError::NotFound => Err(CoreError::invalid(field, problem)),
                    other => Err(other),
                };
            }
        }
        let code = new_invitation_code();
        let tx = self.authorize_write(actor, create).await?;
        match person {
            None => {
                if zv_store::portal::account_of_client(&tx, client)
                    .await?
                    .is_some()
                {
                    return Err(CoreError::Conflict(
                        "this client has a portal account already; revoke it before inviting again"
                            .into(),
                    ));
                }
                zv_store::portal::delete_unused_invitations_of(&tx, client).await?;
            }
            Some((p, _)) => {
                if zv_store::minors::link_of_person(&tx, p).await?.is_some() {
                    return Err(CoreError::Conflict(
                        "this person has a portal account for this client already; revoke it before inviting again"
                            .into(),
                    ));
                }
                zv_store::portal::delete_unused_invitations_of_person(&tx, p).await?;
            }
        }
        zv_store::portal::insert_invitation(
            &tx,
            &NewPortalInvitation {
                id,
                client_id: client,
                related_person_id: person.map(|(p, _)| p),
                code_hash: token_hash(&code),
                created_by,
                created_at: now,
                expires_at,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, invitation.id = %id, "portal invitation made");
        Ok(IssuedInvitation {
            id,
            code: Zeroizing::new(grouped(&code)),
            expires_at,
        })
    }

    /// Ends a client's portal access: the account, its sessions and recovery codes, and
    /// any open invitation. Decided and recorded like the invitation.
    pub async fn revoke_portal_access(&self, actor: &Actor, client: ClientId) -> CoreResult<()> {
        let tx = self
            .authorize_write(
                actor,
                portal_access(AuditAction::Delete, client)
                    .object_id(client)
                    .detail("portal access revoked: account, sessions and invitations"),
            )
            .await?;
        let removed = zv_store::portal::delete_own_access_of_client(&tx, client).await?;
        if removed == 0 {
            return Err(CoreError::Conflict(
                "this client has no portal account or invitation".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, "portal access revoked");
        Ok(())
    }

    /// The client redeems an invitation: with the code they choose a username and a
    /// password; the account is made and a session starts at the second factor's
    /// enrolment. The code works once, until it expires; a refused code is counted for
    /// the address's backoff, so codes cannot be guessed at speed.
    pub async fn redeem_portal_invitation(
        &self,
        code: &str,
        username: &str,
        password: &str,
        address: &str,
    ) -> CoreResult<IssuedSession> {
        let subjects = [address_subject(address)];
        let now = self.now();
        let invitation = self.valid_invitation(code, &subjects, address).await?;
        let username = normalised_username(username);
        crate::users::check_username(&username)?;
        if password.chars().count() < crate::users::MIN_PASSWORD_CHARS {
            return Err(CoreError::invalid(
                "password",
                format!("at least {} characters", crate::users::MIN_PASSWORD_CHARS),
            ));
        }
        let id = PortalAccountId::new();
        let secret = Secret::generate().as_bytes().to_vec();
        let totp_secret_ct = self.keys.system().encrypt(
            &secret,
            &zv_crypto::Aad::new(T, "totp_secret", id.as_uuid()),
        );
        let password_hash = zv_crypto::password::hash(password)?;
        // A parent's or representative's account has no dossier of its own: it reads
        // for the client through a link to its record in the client's file (MIN-1..4).
        let own_client = invitation
            .related_person_id
            .is_none()
            .then_some(invitation.client_id);
        let actor = Actor::Portal(PortalActor {
            account_id: id,
            client_id: own_client,
            access_point: access_point_of(address),
        });
        let secrets = new_session_secrets();
        let tx = self.store.begin().await?;
        // Used by a request in between, or an account made meanwhile: either way this
        // code no longer opens anything.
        if !zv_store::portal::use_invitation(&tx, invitation.id, now).await?
            || self.invitation_taken(&tx, &invitation).await?
        {
            return Err(CoreError::invalid("code", CODE_USED));
        }
        let inserted = zv_store::portal::insert_account(
            &tx,
            &NewPortalAccount {
                id,
                client_id: own_client,
                username_token: self.portal_username_token(&username),
                password_hash,
                totp_secret_ct,
                created_at: now,
            },
        )
        .await;
        match inserted {
            Err(zv_store::StoreError::Conflict) => {
                return Err(CoreError::invalid("username", "this username is taken"));
            }
            other => other?,
        }
        if let Some(person) = invitation.related_person_id {
            zv_store::minors::insert_link(
                &tx,
                &zv_store::minors::PortalLinkRow {
                    related_person_id: person,
                    account_id: id,
                    client_id: invitation.client_id,
                    created_at: now,
                },
            )
            .await?;
        }
        zv_store::audit::append(
            &tx,
            &[crate::gate::event(
                &actor,
                &portal_access(AuditAction::Create, invitation.client_id)
                    .object_id(id)
                    .purpose(purpose_of_invitation(&invitation))
                    .detail(format!("account made with invitation {}", invitation.id)),
                AuditOutcome::Success,
                &Decision::recorded(REDEEM_RULE),
            )],
            now,
        )
        .await?;
        zv_store::portal::insert_session(
            &tx,
            &PortalSessionRow {
                token_hash: secrets.hash,
                account_id: id,
                stage: Stage::Enrol.code().to_owned(),
                csrf: secrets.csrf,
                created_at: now,
                last_seen_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %invitation.client_id, portal_account.id = %id, "portal account made");
        Ok(IssuedSession {
            token: secrets.token,
            stage: Stage::Enrol,
        })
    }

    /// An invitation code that is known, unused and not expired; a refusal is counted
    /// for the backoff and recorded.
    async fn valid_invitation(
        &self,
        code: &str,
        subjects: &[String],
        address: &str,
    ) -> CoreResult<zv_store::portal::PortalInvitationRow> {
        self.check_backoff(subjects).await?;
        let now = self.now();
        let tx = self.store.read_tx().await?;
        let found =
            zv_store::portal::find_invitation(&tx, &token_hash(&normalised_code(code))).await?;
        tx.commit().await?;
        let problem = match &found {
            None => Some(CODE_UNKNOWN),
            Some(i) if i.used_at.is_some() => Some(CODE_USED),
            Some(i) if i.expires_at <= now => Some(CODE_EXPIRED),
            Some(_) => None,
        };
        match (found, problem) {
            (Some(i), None) => Ok(i),
            (found, problem) => {
                let problem = problem.unwrap_or(CODE_UNKNOWN);
                self.portal_failure(
                    subjects,
                    found.as_ref().map(|i| (i.id.as_uuid(), Some(i.client_id))),
                    address,
                    AuditAction::Create,
                    match problem {
                        CODE_USED => "invitation used before",
                        CODE_EXPIRED => "invitation expired",
                        _ => "invitation unknown",
                    },
                )
                .await?;
                Err(CoreError::invalid("code", problem))
            }
        }
    }

    /// Whether what an invitation opens has an account already: the client's own, or
    /// the related person's link.
    async fn invitation_taken(
        &self,
        tx: &zv_store::Tx,
        invitation: &zv_store::portal::PortalInvitationRow,
    ) -> CoreResult<bool> {
        Ok(match invitation.related_person_id {
            None => zv_store::portal::account_of_client(tx, invitation.client_id)
                .await?
                .is_some(),
            Some(person) => zv_store::minors::link_of_person(tx, person)
                .await?
                .is_some(),
        })
    }

    /// A signed-in account redeems another invitation: a parent adds a second child, a
    /// parent who is a client too adds their own dossier. The code works once, as for
    /// a new account; the account must not read that client's dossier already.
    pub async fn link_portal_invitation(
        &self,
        actor: &Actor,
        code: &str,
        address: &str,
    ) -> CoreResult<()> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.read_tx().await?;
        let account = zv_store::portal::get_account(&tx, p.account_id).await?;
        tx.commit().await?;
        let account = account.ok_or(CoreError::NotFound)?;
        let subjects = [
            account_subject(&account.username_token),
            address_subject(address),
        ];
        let invitation = self.valid_invitation(code, &subjects, address).await?;
        let client = invitation.client_id;
        let now = self.now();
        let tx = self.store.begin().await?;
        if account.client_id == Some(client)
            || zv_store::minors::link_facts(&tx, account.id, client)
                .await?
                .is_some()
        {
            return Err(CoreError::invalid("code", CODE_LINKED));
        }
        if !zv_store::portal::use_invitation(&tx, invitation.id, now).await?
            || self.invitation_taken(&tx, &invitation).await?
        {
            return Err(CoreError::invalid("code", CODE_USED));
        }
        match invitation.related_person_id {
            Some(person) => {
                zv_store::minors::insert_link(
                    &tx,
                    &zv_store::minors::PortalLinkRow {
                        related_person_id: person,
                        account_id: account.id,
                        client_id: client,
                        created_at: now,
                    },
                )
                .await?;
            }
            None => {
                if !zv_store::portal::set_account_client(&tx, account.id, client).await? {
                    return Err(CoreError::invalid("code", CODE_LINKED));
                }
            }
        }
        zv_store::audit::append(
            &tx,
            &[crate::gate::event(
                actor,
                &portal_access(AuditAction::Create, client)
                    .object_id(account.id)
                    .purpose(purpose_of_invitation(&invitation))
                    .detail(format!("account linked with invitation {}", invitation.id)),
                AuditOutcome::Success,
                &Decision::recorded(REDEEM_RULE),
            )],
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, portal_account.id = %account.id, "portal account linked");
        Ok(())
    }

    /// Portal sign-in, step one: the password. A session in stage `Code`, or `Enrol` for
    /// an account whose second factor is not set up yet.
    pub async fn portal_sign_in_password(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> CoreResult<IssuedSession> {
        let username_token = self.portal_username_token(username);
        let subjects = [account_subject(&username_token), address_subject(address)];
        self.check_backoff(&subjects).await?;
        let tx = self.store.read_tx().await?;
        let account = zv_store::portal::find_account_by_username(&tx, &username_token).await?;
        tx.commit().await?;
        let Some(account) = account else {
            // The same work as for a real account, so timing tells nothing.
            zv_crypto::password::dummy_verify(password);
            self.portal_failure(
                &subjects,
                None,
                address,
                AuditAction::SignIn,
                "failed at password",
            )
            .await?;
            return Err(CoreError::SignInFailed);
        };
        if !zv_crypto::password::verify(password, &account.password_hash) {
            self.portal_failure(
                &subjects,
                Some((account.id.as_uuid(), account.client_id)),
                address,
                AuditAction::SignIn,
                "failed at password",
            )
            .await?;
            return Err(CoreError::SignInFailed);
        }
        let stage = if account.totp_confirmed {
            Stage::Code
        } else {
            Stage::Enrol
        };
        self.issue_portal_session(account.id, stage, None).await
    }

    /// Portal sign-in, step two: a TOTP code or a recovery code. A new token for the
    /// signed-in session; the old one ends.
    pub async fn portal_sign_in_code(
        &self,
        token: &str,
        code: &str,
        address: &str,
    ) -> CoreResult<IssuedSession> {
        let account = self.pending_portal_account(token, Stage::Code).await?;
        let subjects = [
            account_subject(&account.username_token),
            address_subject(address),
        ];
        self.check_backoff(&subjects).await?;
        let code = typed_code(code);
        let by_totp = match self.totp_step(&self.portal_totp(&account)?, &code) {
            Some(step) => self.claim_portal_step(account.id, step).await?,
            None => false,
        };
        let ok = if by_totp {
            true
        } else {
            let tx = self.store.begin().await?;
            let used = zv_store::portal::use_recovery_code(
                &tx,
                account.id,
                &token_hash(&code.to_lowercase()),
                self.now(),
            )
            .await?;
            tx.commit().await?;
            used
        };
        if !ok {
            self.portal_failure(
                &subjects,
                Some((account.id.as_uuid(), account.client_id)),
                address,
                AuditAction::SignIn,
                "failed at second factor",
            )
            .await?;
            return Err(CoreError::SignInFailed);
        }
        let how = if by_totp { "totp" } else { "recovery_code" };
        self.complete_portal_sign_in(token, &account, &subjects, address, how)
            .await
    }

    /// The secret to enrol, for a portal session in stage `Enrol`.
    pub async fn portal_enrolment(&self, token: &str) -> CoreResult<EnrolmentView> {
        let account = self.pending_portal_account(token, Stage::Enrol).await?;
        let totp = self.portal_totp(&account)?;
        Ok(EnrolmentView {
            otpauth_uri: Zeroizing::new(
                totp.to_url()
                    .map_err(|e| CoreError::Internal(format!("totp: {e}")))?,
            ),
            secret_base32: Zeroizing::new(totp.secret().to_base32()),
        })
    }

    /// Confirms the enrolment with a first code: the signed-in session and the recovery
    /// codes, shown once (only their hashes are kept).
    pub async fn portal_confirm_enrolment(
        &self,
        token: &str,
        code: &str,
        address: &str,
    ) -> CoreResult<(IssuedSession, Vec<Zeroizing<String>>)> {
        let account = self.pending_portal_account(token, Stage::Enrol).await?;
        let subjects = [
            account_subject(&account.username_token),
            address_subject(address),
        ];
        self.check_backoff(&subjects).await?;
        let accepted = match self.totp_step(&self.portal_totp(&account)?, &typed_code(code)) {
            Some(step) => self.claim_portal_step(account.id, step).await?,
            None => false,
        };
        if !accepted {
            self.portal_failure(
                &subjects,
                Some((account.id.as_uuid(), account.client_id)),
                address,
                AuditAction::Update,
                "failed at enrolment",
            )
            .await?;
            return Err(CoreError::invalid(
                "code",
                "this code is not right; check the time on your phone and try the next code",
            ));
        }
        let (codes, hashes) = self.new_recovery_codes();
        let tx = self.store.begin().await?;
        zv_store::portal::confirm_totp(&tx, account.id).await?;
        zv_store::portal::replace_recovery_codes(&tx, account.id, &hashes).await?;
        self.append_portal_event(
            &tx,
            &account,
            address,
            AuditAction::Update,
            "second factor enrolled",
        )
        .await?;
        tx.commit().await?;
        let issued = self
            .complete_portal_sign_in(token, &account, &subjects, address, "enrolment")
            .await?;
        Ok((issued, codes))
    }

    /// The portal session behind a cookie token, if it is live; an expired one is
    /// removed. Looked up only among portal sessions: a staff token finds nothing here.
    pub async fn portal_session(
        &self,
        token: &str,
        access_point: &str,
    ) -> CoreResult<Option<PortalSessionView>> {
        let hash = token_hash(token);
        let tx = self.store.read_tx().await?;
        let found = zv_store::portal::session_with_account(&tx, &hash).await?;
        tx.commit().await?;
        let Some((row, account)) = found else {
            return Ok(None);
        };
        if !self
            .keep_alive(
                SessionTable::Portal,
                &hash,
                row.created_at,
                row.last_seen_at,
            )
            .await?
        {
            return Ok(None);
        }
        let Some(stage) = Stage::parse(&row.stage) else {
            return Ok(None);
        };
        Ok(Some(PortalSessionView {
            account_id: account.id,
            stage,
            csrf: row.csrf,
            actor: (stage == Stage::Full).then(|| actor_of(&account, access_point)),
        }))
    }

    /// Ends a portal session (sign-out).
    pub async fn portal_sign_out(&self, token: &str, address: &str) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        if let Some(account) = zv_store::portal::delete_session(&tx, &token_hash(token)).await?
            && let Some(account) = zv_store::portal::get_account(&tx, account).await?
        {
            self.append_portal_event(&tx, &account, address, AuditAction::SignOut, "sign-out")
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn pending_portal_account(
        &self,
        token: &str,
        stage: Stage,
    ) -> CoreResult<PortalAccountRow> {
        let tx = self.store.read_tx().await?;
        let found = zv_store::portal::session_with_account(&tx, &token_hash(token)).await?;
        tx.commit().await?;
        match found {
            Some((row, account))
                if Stage::parse(&row.stage) == Some(stage)
                    && !self.session_expired(row.created_at, row.last_seen_at, self.now()) =>
            {
                Ok(account)
            }
            _ => Err(CoreError::SignInFailed),
        }
    }

    async fn issue_portal_session(
        &self,
        account: PortalAccountId,
        stage: Stage,
        replacing: Option<&str>,
    ) -> CoreResult<IssuedSession> {
        let secrets = new_session_secrets();
        let now = self.now();
        let tx = self.store.begin().await?;
        if let Some(old) = replacing {
            zv_store::portal::delete_session(&tx, &token_hash(old)).await?;
        }
        zv_store::portal::insert_session(
            &tx,
            &PortalSessionRow {
                token_hash: secrets.hash,
                account_id: account,
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

    async fn complete_portal_sign_in(
        &self,
        old_token: &str,
        account: &PortalAccountRow,
        subjects: &[String],
        address: &str,
        how: &str,
    ) -> CoreResult<IssuedSession> {
        let tx = self.store.begin().await?;
        for s in subjects {
            zv_store::sign_in::clear_failures(&tx, s).await?;
        }
        self.append_portal_event(&tx, account, address, AuditAction::SignIn, how)
            .await?;
        tx.commit().await?;
        self.issue_portal_session(account.id, Stage::Full, Some(old_token))
            .await
    }

    /// A failed step, counted for the backoff and recorded. `known` is the object and the
    /// client when the attempt named a real account or invitation.
    async fn portal_failure(
        &self,
        subjects: &[String],
        known: Option<(uuid::Uuid, Option<ClientId>)>,
        address: &str,
        action: AuditAction,
        detail: &str,
    ) -> CoreResult<()> {
        self.record_sign_in_failure(
            subjects,
            NewAuditEvent {
                action,
                outcome: AuditOutcome::Failure,
                object: AuditObject::PortalAccount,
                object_id: known.map(|(id, _)| id),
                client_id: known.and_then(|(_, client)| client),
                user_id: None,
                user_name: String::new(),
                role: AUDIT_ROLE.to_owned(),
                on_behalf_of: None,
                purpose: Purpose::OwnAccess,
                access_point: access_point_of(address),
                rule_ids: vec![SIGN_IN_RULE.to_owned()],
                detail: Some(detail.to_owned()),
            },
        )
        .await
    }

    async fn append_portal_event(
        &self,
        tx: &zv_store::Tx,
        account: &PortalAccountRow,
        address: &str,
        action: AuditAction,
        detail: &str,
    ) -> CoreResult<()> {
        let actor = Actor::Portal(actor_of(account, &access_point_of(address)));
        zv_store::audit::append(
            tx,
            &[crate::gate::event(
                &actor,
                &Access::new(action, AuditObject::PortalAccount, account.client_id)
                    .target(Target::PortalAccess)
                    .object_id(account.id)
                    .purpose(if account.client_id.is_some() {
                        Purpose::OwnAccess
                    } else {
                        Purpose::RepresentativeAccess
                    })
                    .detail(detail),
                AuditOutcome::Success,
                &Decision::recorded(SIGN_IN_RULE),
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }

    /// The account's authenticator entry is labelled with the organisation's name: the
    /// username is not kept in a readable form.
    fn portal_totp(&self, account: &PortalAccountRow) -> CoreResult<Totp> {
        let secret = self.keys.system().decrypt(
            &account.totp_secret_ct,
            &zv_crypto::Aad::new(T, "totp_secret", account.id.as_uuid()),
        )?;
        let label: String = self
            .policy
            .organisation()
            .name
            .chars()
            .filter(|c| *c != ':')
            .collect();
        self.totp_for(&label, secret.to_vec())
    }

    /// A TOTP code is good once (RFC 6238 section 5.2), as for staff.
    async fn claim_portal_step(&self, account: PortalAccountId, step: u64) -> CoreResult<bool> {
        let tx = self.store.begin().await?;
        let fresh = zv_store::portal::claim_totp_step(&tx, account, step).await?;
        tx.commit().await?;
        Ok(fresh)
    }
}

impl App {
    /// The demo's portal account (`zorgvuldig demo`): the client's own account, made the
    /// way a client makes one (the worker's invitation, redeemed), then given the demo's
    /// shared second-factor secret as enrolled, so the printed secret signs in. Demo data
    /// only.
    pub(crate) async fn demo_portal_account(
        &self,
        worker: &Actor,
        client: ClientId,
        username: &str,
        password: &str,
        totp_secret: &[u8],
    ) -> CoreResult<()> {
        let issued = self.invite_to_portal(worker, client).await?;
        let session = self
            .redeem_portal_invitation(&issued.code, username, password, "demo")
            .await?;
        self.portal_sign_out(&session.token, "demo").await?;
        let tx = self.store.begin().await?;
        let account = zv_store::portal::account_of_client(&tx, client)
            .await?
            .ok_or_else(|| CoreError::Internal("the demo portal account was not made".into()))?;
        let sealed = self.keys.system().encrypt(
            totp_secret,
            &zv_crypto::Aad::new(T, "totp_secret", account.id.as_uuid()),
        );
        zv_store::portal::set_confirmed_totp_secret(&tx, account.id, &sealed).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_codes_are_random_readable_and_forgiving_to_type() {
        let a = new_invitation_code();
        let b = new_invitation_code();
        assert_ne!(*a, *b);
        assert_eq!(a.len(), INVITATION_CODE_CHARS);
        assert!(a.bytes().all(|c| CODE_ALPHABET.contains(&c)));
        let shown = grouped(&a);
        assert_eq!(shown.len(), INVITATION_CODE_CHARS + 2);
        assert_eq!(normalised_code(&shown.to_lowercase()), *a);
        assert_eq!(
            normalised_code(&format!(" {} ", shown.replace('-', " "))),
            *a
        );
    }

    #[test]
    fn a_username_subject_never_holds_the_name() {
        let subject = account_subject(&[0xab; 16]);
        assert_eq!(subject, format!("portal:{}", "ab".repeat(16)));
    }
}
