//! Minors and representatives (MIN-1..4), the staff's side and the facts the gate gives
//! the rules.
//!
//! - **Standing of a portal account** ([`App::portal_standing`]): a client reads their
//!   own data (`relation` "self"); a parent with authority, a guardian or a legal
//!   representative reads for a client through a link of their account to their own
//!   record in the client's file ("parent" or "representative"). For a link the gate
//!   computes the client's age band on the day of the request in Europe/Amsterdam from
//!   the decrypted birth date (a read recorded in the audit log under the account, rule
//!   `min4-age-on-the-day`), whether a caseworker blocked this parent (MIN-2), whether
//!   the young person consented (MIN-3), whether a running mandate covers the data
//!   (MIN-4), and whether the data is dated before the parent's authority began. The
//!   Cedar rules in `access/min_minors.cedar` decide with those facts; no age is stored,
//!   so everything changes by itself on the birthday.
//! - **Invitations** for related persons: the worker on the case invites a parent with
//!   authority or a guardian of a minor, or a legal representative of an adult; the
//!   rules refuse a child under 12 an account of its own and every other relation.
//! - **Blocks** (MIN-2): per parent, with a reason sealed with the client's key,
//!   recorded and lifted by the worker on the case, reviewed by the privacy officer.
//! - **Mandates** (MIN-4): the whole dossier or named trajectories, until a date.
//! - **Confidential address**: decided on its own (`Zv::Address`), shown only to the
//!   assigned workers and the client, each display its own audit event.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, ClientId, Purpose, RelatedPersonId, RelationKind, TrajectoryId,
    UserId,
};
pub use zv_policy::AgeBand;
use zv_store::{Authorized, Tx};

use crate::access::{Relation, Standing, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::portal::PortalActor;

/// The table a block's reason is sealed for.
const BLOCKS: &str = "parent_access_blocks";

/// The rule the gate's own read of a birth date is recorded under (MIN-4).
pub const AGE_RULE: &str = "min4-age-on-the-day";

/// The longest reason of a block.
pub const REASON_MAX_CHARS: usize = 2_000;

/// Refusals of an invitation by the rules, for the staff's forms.
pub const INVITE_CHILD_UNDER_OWN_ACCESS: &str = "a child under the age of its own access has no account; the parents with authority read for it";
pub const INVITE_PARENT_OF_ADULT: &str = "a parent's authority ends when the child comes of age";
pub const INVITE_REPRESENTATIVE_OF_MINOR: &str = "a legal representative acts for an adult client";
pub const INVITE_OTHER_RELATION: &str =
    "only a parent with authority, a guardian or a legal representative reads for a client";

/// What a use case knows for the minors rules about one access.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinorsAccess {
    /// The local date of the data (an entry's day): a parent's access does not reach
    /// what is dated before their authority began.
    pub dated: Option<NaiveDate>,
    /// The related person a record is about (a parent's own record).
    pub about_person: Option<RelatedPersonId>,
    /// How the person the access is for stands to the client (an invitation).
    pub relation: Option<Relation>,
    /// The client's age band today, where the use case read it (an invitation, the
    /// young person's consent).
    pub age_band: Option<AgeBand>,
}

impl MinorsAccess {
    #[must_use]
    pub fn dated(day: Option<NaiveDate>) -> Self {
        Self {
            dated: day,
            ..Self::default()
        }
    }
}

/// The local date in the Netherlands of an instant (an entry's creation).
#[must_use]
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// A portal account reading for someone else as a parent or representative acts in that
/// role in the audit log (the ground of the access says so); an account without a
/// dossier of its own always does. Anything else it does, it does as the client.
pub(crate) fn audit_role(
    actor: &Actor,
    access: &Access,
    decision: &crate::access::Decision,
    role: &mut String,
) {
    if let Actor::Portal(p) = actor {
        let representing = p.client_id.is_none()
            || decision.purpose == Some(Purpose::RepresentativeAccess)
            || access.purpose == Purpose::RepresentativeAccess;
        if representing {
            crate::portal::REPRESENTATIVE_AUDIT_ROLE.clone_into(role);
        }
    }
}

/// How a portal account stands to one client, computed once per request and then
/// applied to each item (its trajectory, its date).
#[derive(Debug, Clone, Default)]
pub(crate) struct PortalFacts {
    pub relation: Relation,
    pub age_band: Option<AgeBand>,
    /// The account holder's own record in the client's file (a link).
    pub person: Option<RelatedPersonId>,
    pub blocked: bool,
    pub consent: bool,
    pub authority_since: Option<NaiveDate>,
    /// The representative's mandate: the whole dossier, or these trajectories; until.
    pub mandate: Option<(bool, Vec<TrajectoryId>, NaiveDate)>,
    pub today: Option<NaiveDate>,
}

impl PortalFacts {
    /// The standing towards the data of one access.
    #[must_use]
    pub fn standing(&self, access: &Access) -> Standing {
        let own_data = match self.relation {
            Relation::Client => true,
            // A parent's or representative's own data is their own record.
            Relation::Parent | Relation::Representative | Relation::Other => {
                access.target == Target::PersonRecord
                    && self.person.is_some()
                    && access.minors.about_person == self.person
            }
            Relation::None => false,
        };
        let mandate_covers = self.relation == Relation::Representative
            && self
                .mandate
                .as_ref()
                .is_some_and(|(whole, trajectories, until)| {
                    self.today.is_some_and(|today| today <= *until)
                        && (*whole || access.trajectory.is_some_and(|t| trajectories.contains(&t)))
                });
        Standing {
            own_data,
            relation: self.relation,
            age_band: access.minors.age_band.or(self.age_band),
            parent_blocked: self.blocked,
            youth_consent: self.consent,
            mandate_covers,
            authority_since: self.authority_since,
            ..Standing::default()
        }
        .for_date(access.minors.dated)
    }
}

/// A related person's state towards the portal and the minors rules, for the client
/// page and the API (no content: ids, dates and flags).
#[derive(Debug, Clone, Serialize)]
pub struct RelatedPortalState {
    pub related_person_id: RelatedPersonId,
    pub relation: RelationKind,
    /// The person has a portal account reading for this client, since.
    pub account_since: Option<DateTime<Utc>>,
    pub second_factor_enrolled: bool,
    /// An unused invitation, valid until.
    pub pending_until: Option<DateTime<Utc>>,
    /// A block in force (MIN-2): when, by whom.
    pub blocked_since: Option<DateTime<Utc>>,
    pub blocked_by: Option<String>,
    /// The young person's consent in force (MIN-3), since.
    pub consent_since: Option<DateTime<Utc>>,
    /// The recorded mandate (MIN-4).
    pub mandate: Option<MandateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MandateView {
    pub whole_dossier: bool,
    pub trajectories: Vec<TrajectoryId>,
    pub ends_on: NaiveDate,
}

/// A representative's mandate as the worker records it.
#[derive(Debug, Clone)]
pub struct MandateInput {
    pub whole_dossier: bool,
    pub trajectories: Vec<TrajectoryId>,
    pub ends_on: NaiveDate,
}

/// A block with its reason, for the worker on the case and the privacy officer.
#[derive(Clone, Serialize)]
pub struct ParentBlockView {
    pub id: Uuid,
    pub client_id: ClientId,
    pub related_person_id: RelatedPersonId,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ParentBlockView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParentBlockView({}, ***)", self.id)
    }
}

fn relation_kind(code: &str) -> CoreResult<RelationKind> {
    code.parse()
        .map_err(|_| CoreError::Internal("stored relation unreadable".into()))
}

/// Which refusal of the rules an invitation met, as a field and a message.
pub(crate) fn invitation_refusal(
    rule_ids: &[String],
    for_person: bool,
) -> Option<(&'static str, &'static str)> {
    let field = if for_person {
        "related_person"
    } else {
        "client"
    };
    let has = |id: &str| rule_ids.iter().any(|r| r == id);
    if has("min1-no-own-account-under-12") {
        Some((field, INVITE_CHILD_UNDER_OWN_ACCESS))
    } else if has("min-parent-account-for-a-minor") {
        Some((field, INVITE_PARENT_OF_ADULT))
    } else if has("min4-representative-account-for-an-adult") {
        Some((field, INVITE_REPRESENTATIVE_OF_MINOR))
    } else if has("min-no-account-for-other-relations") {
        Some((field, INVITE_OTHER_RELATION))
    } else {
        None
    }
}

fn check_reason(reason: &str) -> CoreResult<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::invalid(
            "reason",
            "record why the child's interest opposes this parent's access",
        ));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(CoreError::invalid(
            "reason",
            format!("at most {REASON_MAX_CHARS} characters"),
        ));
    }
    if reason
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(CoreError::invalid("reason", "no control characters"));
    }
    Ok(reason.to_owned())
}

impl App {
    /// The age band of someone born on `birth`, today (MIN-4).
    #[must_use]
    pub fn age_band_today(&self, birth: NaiveDate) -> AgeBand {
        self.policy.age_bands().band(birth, self.clock.today())
    }

    /// The client's age band today from the stored birth date, read with `auth`.
    async fn age_band_with(&self, auth: &Authorized, client: ClientId) -> CoreResult<AgeBand> {
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, auth).await?;
        tx.commit().await?;
        let birth = Sealer { key: &key }.open(
            crate::clients::T,
            "birth_date",
            client.as_uuid(),
            &row.birth_date_ct,
        )?;
        let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?;
        Ok(self.age_band_today(birth))
    }

    /// The client's age band today, read by someone who may read the profile (the
    /// worker inviting, the young person themselves): an ordinary recorded read.
    pub(crate) async fn client_age_band(
        &self,
        actor: &Actor,
        client: ClientId,
        detail: &str,
    ) -> CoreResult<AgeBand> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
                    .object_id(client)
                    .detail(detail),
            )
            .await?;
        self.age_band_with(&auth, client).await
    }

    /// How a portal account stands to a client: the client's own, or through a link.
    /// For a link, the birth date is read by the gate itself to apply the age rules,
    /// recorded under the account (MIN-4).
    pub(crate) async fn portal_facts(
        &self,
        tx: &Tx,
        actor: &Actor,
        p: &PortalActor,
        client: ClientId,
    ) -> CoreResult<PortalFacts> {
        if p.client_id == Some(client) {
            return Ok(PortalFacts {
                relation: Relation::Client,
                ..PortalFacts::default()
            });
        }
        let Some(link) = zv_store::minors::link_facts(tx, p.account_id, client).await? else {
            return Ok(PortalFacts::default());
        };
        let relation = Relation::of(relation_kind(&link.person.relation)?);
        let age_band = if matches!(relation, Relation::Parent | Relation::Representative) {
            let access = Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
                .object_id(client)
                .purpose(Purpose::RepresentativeAccess)
                .detail("birth date, for the rules by age on the day (MIN-4)");
            let auth = self
                .authorize_read_for_decision(actor, &access, AGE_RULE)
                .await?;
            Some(self.age_band_with(&auth, client).await?)
        } else {
            None
        };
        Ok(PortalFacts {
            relation,
            age_band,
            person: Some(link.person.id),
            blocked: link.blocked,
            consent: link.consent,
            authority_since: (relation == Relation::Parent)
                .then_some(link.person.authority_since)
                .flatten(),
            mandate: link
                .mandate
                .map(|m| (m.whole_dossier, m.trajectories, m.ends_on)),
            today: Some(self.clock.today()),
        })
    }

    /// [`Self::portal_facts`] in a transaction of its own.
    pub(crate) async fn portal_facts_of(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<PortalFacts> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        // The client's own dossier needs nothing from the database (the common case).
        if p.client_id == Some(client) {
            return Ok(PortalFacts {
                relation: Relation::Client,
                ..PortalFacts::default()
            });
        }
        let tx = self.store.read_tx().await?;
        let facts = self.portal_facts(&tx, actor, p, client).await?;
        tx.commit().await?;
        Ok(facts)
    }

    /// The gate's standing of a portal account towards the data of an access.
    pub(crate) async fn portal_standing(
        &self,
        tx: &Tx,
        actor: &Actor,
        p: &PortalActor,
        access: &Access,
    ) -> CoreResult<Standing> {
        let Some(client) = access.client else {
            return Ok(Standing::default());
        };
        Ok(self
            .portal_facts(tx, actor, p, client)
            .await?
            .standing(access))
    }

    /// The related person's record without content, and the client it belongs to.
    async fn person_meta(
        &self,
        person: RelatedPersonId,
    ) -> CoreResult<zv_store::minors::RelatedPersonMeta> {
        let tx = self.store.read_tx().await?;
        let meta = zv_store::minors::related_person_meta(&tx, person).await?;
        tx.commit().await?;
        meta.ok_or(CoreError::NotFound)
    }

    /// The worker on the case invites a related person to the portal: a parent with
    /// authority or a guardian of a minor, or a legal representative of an adult (the
    /// rules decide, MIN-1..4). A one-time code as for a client.
    pub async fn invite_related_to_portal(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
    ) -> CoreResult<crate::portal::IssuedInvitation> {
        let meta = self.person_meta(person).await?;
        let relation = Relation::of(relation_kind(&meta.relation)?);
        self.issue_invitation(actor, meta.client_id, Some((person, relation)))
            .await
    }

    /// Ends a related person's portal access to this client: the link and any unused
    /// invitation; the account itself when it reads for nobody else and is no client's
    /// own.
    pub async fn revoke_related_portal_access(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
    ) -> CoreResult<ClientId> {
        let meta = self.person_meta(person).await?;
        let client = meta.client_id;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Delete,
                    AuditObject::PortalAccount,
                    Some(client),
                )
                .target(Target::PortalAccess)
                .object_id(person)
                .detail("portal access of a related person revoked"),
            )
            .await?;
        let link = zv_store::minors::link_of_person(&tx, person).await?;
        let mut removed = zv_store::minors::delete_link_of_person(&tx, person).await?;
        removed += zv_store::portal::delete_unused_invitations_of_person(&tx, person).await?;
        if link.is_some() {
            removed += zv_store::portal::delete_accounts_without_links(&tx).await?;
        }
        if removed == 0 {
            return Err(CoreError::Conflict(
                "this person has no portal account or invitation for this client".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, related_person.id = %person, "related person's portal access revoked");
        Ok(client)
    }

    /// The related persons' portal access, blocks, consents and mandates, for the worker
    /// who manages the client's portal access (a recorded read).
    pub async fn related_portal_states(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<RelatedPortalState>> {
        self.authorize_read(
            actor,
            Access::new(AuditAction::Read, AuditObject::PortalAccount, Some(client))
                .target(Target::PortalAccess)
                .object_id(client)
                .detail("related persons' portal access, blocks, consents and mandates"),
        )
        .await?;
        let now = self.now();
        let tx = self.store.read_tx().await?;
        let people = zv_store::minors::related_people_meta_of(&tx, client).await?;
        let links: HashMap<RelatedPersonId, zv_store::minors::PortalLinkRow> =
            zv_store::minors::links_of_client(&tx, client)
                .await?
                .into_iter()
                .map(|l| (l.related_person_id, l))
                .collect();
        let mut states = Vec::with_capacity(people.len());
        let mut recorders = Vec::new();
        let mut blocks = Vec::new();
        for p in &people {
            let account = match links.get(&p.id) {
                Some(l) => zv_store::portal::get_account(&tx, l.account_id).await?,
                None => None,
            };
            let pending = zv_store::portal::pending_invitation_of_person(&tx, p.id, now).await?;
            let block = zv_store::minors::active_block_of(&tx, p.id).await?;
            if let Some(b) = &block {
                recorders.push(b.recorded_by);
            }
            blocks.push(block);
            let consent = zv_store::minors::active_consent_of(&tx, p.id).await?;
            let mandate = zv_store::minors::mandate_of(&tx, p.id).await?;
            states.push(RelatedPortalState {
                related_person_id: p.id,
                relation: relation_kind(&p.relation)?,
                account_since: links.get(&p.id).map(|l| l.created_at),
                second_factor_enrolled: account.is_some_and(|a| a.totp_confirmed),
                pending_until: pending.map(|i| i.expires_at),
                blocked_since: None,
                blocked_by: None,
                consent_since: consent,
                mandate: mandate.map(|m| MandateView {
                    whole_dossier: m.whole_dossier,
                    trajectories: m.trajectories,
                    ends_on: m.ends_on,
                }),
            });
        }
        let names = zv_store::staff::names_of(&tx, &recorders).await?;
        tx.commit().await?;
        for (state, block) in states.iter_mut().zip(blocks) {
            if let Some(b) = block {
                state.blocked_since = Some(b.recorded_at);
                state.blocked_by = names.get(&b.recorded_by).cloned();
            }
        }
        Ok(states)
    }

    /// MIN-2: the worker on the case records that the child's interest opposes this
    /// parent's access, with a reason (sealed with the client's key). From then on the
    /// parent reads nothing of the child's dossier from 12 to 16, at once.
    pub async fn record_parent_block(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
        reason: &str,
    ) -> CoreResult<ClientId> {
        let reason = check_reason(reason)?;
        let meta = self.person_meta(person).await?;
        if Relation::of(relation_kind(&meta.relation)?) != Relation::Parent {
            return Err(CoreError::invalid(
                "related_person",
                "only a parent with authority or a guardian reads as a parent",
            ));
        }
        let recorded_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a block is recorded by staff".into()))?;
        let client = meta.client_id;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Create, AuditObject::ParentBlock, Some(client))
                    .object_id(id)
                    .detail(format!(
                        "parent's access blocked for related person {person}"
                    )),
            )
            .await?;
        if zv_store::minors::active_block_of(&tx, person)
            .await?
            .is_some()
        {
            return Err(CoreError::Conflict(
                "this parent's access is blocked already".into(),
            ));
        }
        let key = self.keys.client_key_for_write(&tx, client).await?;
        zv_store::minors::insert_block(
            &tx,
            &zv_store::minors::ParentBlockRow {
                id,
                client_id: client,
                related_person_id: person,
                reason_ct: Sealer { key: &key }.seal(BLOCKS, "reason", id, &reason),
                recorded_by,
                recorded_at: self.now(),
                lifted_by: None,
                lifted_at: None,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, parent_block.id = %id, "parent's access blocked");
        Ok(client)
    }

    /// MIN-2: the worker on the case lifts the block; the record stays for review.
    pub async fn lift_parent_block(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
    ) -> CoreResult<ClientId> {
        let meta = self.person_meta(person).await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a block is lifted by staff".into()))?;
        let client = meta.client_id;
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Update, AuditObject::ParentBlock, Some(client))
                    .object_id(person)
                    .detail(format!(
                        "parent's access block lifted for related person {person}"
                    )),
            )
            .await?;
        if !zv_store::minors::lift_block(&tx, person, by, self.now()).await? {
            return Err(CoreError::Conflict(
                "this parent's access is not blocked".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, related_person.id = %person, "parent's access block lifted");
        Ok(client)
    }

    /// The blocks of one client with their reasons: in force and lifted (a recorded
    /// read, for the worker on the case and the privacy officer).
    pub async fn parent_blocks_of_client(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<ParentBlockView>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ParentBlock, Some(client))
                    .object_id(client)
                    .detail("parent blocks and their reasons"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::minors::blocks_of_client(&tx, &auth).await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let mut staff: Vec<UserId> = rows
            .iter()
            .flat_map(|b| std::iter::once(b.recorded_by).chain(b.lifted_by))
            .collect();
        staff.sort_unstable();
        staff.dedup();
        let names = zv_store::staff::names_of(&tx, &staff).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        rows.into_iter()
            .map(|b| {
                Ok(ParentBlockView {
                    id: b.id,
                    client_id: b.client_id,
                    related_person_id: b.related_person_id,
                    reason: s.open(BLOCKS, "reason", b.id, &b.reason_ct)?,
                    recorded_by: names.get(&b.recorded_by).cloned().unwrap_or_default(),
                    recorded_at: b.recorded_at,
                    lifted_by: b.lifted_by.and_then(|u| names.get(&u).cloned()),
                    lifted_at: b.lifted_at,
                })
            })
            .collect()
    }

    /// MIN-2: the privacy officer's review of every block of every client, with the
    /// reasons; each client's reasons are a read of their own in the audit log.
    pub async fn parent_blocks_for_review(
        &self,
        actor: &Actor,
    ) -> CoreResult<Vec<ParentBlockView>> {
        if !self.capability(actor, AuditAction::Read, Target::ParentBlock)? {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        let all = zv_store::minors::all_blocks(&tx).await?;
        tx.commit().await?;
        let mut clients: Vec<ClientId> = all.iter().map(|b| b.client_id).collect();
        clients.sort_unstable();
        clients.dedup();
        let mut out = Vec::with_capacity(all.len());
        for client in clients {
            out.extend(self.parent_blocks_of_client(actor, client).await?);
        }
        out.sort_by(|a, b| b.recorded_at.cmp(&a.recorded_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// MIN-4: the worker on the case records what a legal representative may act in:
    /// the whole dossier or some of the client's trajectories, until a date. Replaces
    /// an earlier mandate.
    pub async fn record_mandate(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
        input: MandateInput,
    ) -> CoreResult<ClientId> {
        let meta = self.person_meta(person).await?;
        if Relation::of(relation_kind(&meta.relation)?) != Relation::Representative {
            return Err(CoreError::invalid(
                "related_person",
                "a mandate is recorded for a legal representative",
            ));
        }
        if input.ends_on < self.clock.today() {
            return Err(CoreError::invalid(
                "ends_on",
                "the mandate runs until today or a later day",
            ));
        }
        if !input.whole_dossier && input.trajectories.is_empty() {
            return Err(CoreError::invalid(
                "trajectories",
                "choose the whole dossier or the trajectories the mandate covers",
            ));
        }
        let client = meta.client_id;
        let recorded_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a mandate is recorded by staff".into()))?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Update, AuditObject::Mandate, Some(client))
                    .object_id(person)
                    .detail(format!(
                        "mandate recorded for related person {person}: {} until {}",
                        if input.whole_dossier {
                            "whole dossier".to_owned()
                        } else {
                            format!("{} trajectories", input.trajectories.len())
                        },
                        input.ends_on
                    )),
            )
            .await?;
        let of_client: Vec<TrajectoryId> = zv_store::trajectories::of_client(&tx, client)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut trajectories = if input.whole_dossier {
            Vec::new()
        } else {
            input.trajectories
        };
        trajectories.sort_unstable();
        trajectories.dedup();
        if trajectories.iter().any(|t| !of_client.contains(t)) {
            return Err(CoreError::invalid(
                "trajectories",
                "a trajectory of this client",
            ));
        }
        zv_store::minors::replace_mandate(
            &tx,
            &zv_store::minors::MandateRow {
                related_person_id: person,
                client_id: client,
                whole_dossier: input.whole_dossier,
                ends_on: input.ends_on,
                trajectories,
                recorded_by,
                recorded_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(client)
    }
}

impl App {
    /// The client a related person's record belongs to (an id, no content), for a page
    /// to go back to after an action on the record, which is decided on its own.
    pub async fn client_of_related_person(&self, person: RelatedPersonId) -> CoreResult<ClientId> {
        Ok(self.person_meta(person).await?.client_id)
    }
}
