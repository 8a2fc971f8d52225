//! The portal of parents and representatives, and the young person's consent
//! (MIN-1..4).
//!
//! A parent with authority, a guardian or a legal representative signs in as a client
//! does, and reads for the clients their account is linked to: the list of those clients
//! (each name a recorded read), each one's trajectories and entries as the rules let
//! them on the day of the request, their own record in each client's file always, and
//! never a work note (DOS-2) or a confidential address. A young person of 16 or 17 gives
//! and withdraws, per parent, the consent that lets that parent read (MIN-3); the effect
//! is immediate, since every request decides again.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, ClientId, RelatedPersonId, RelationKind, TrajectoryId};
use zv_policy::AgeBand;

use crate::access::{self, Relation, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::minors::{MandateView, MinorsAccess, PortalFacts, local_date};
use crate::trajectories::TrajectorySummary;

const RELATED: &str = "related_persons";

/// A client a parent or representative reads for, as their portal shows it.
#[derive(Clone, Serialize)]
pub struct LinkedDossier {
    pub client_id: ClientId,
    pub name: String,
    /// "parent" or "representative" (or "other" for a link that no longer gives rights).
    pub relation: &'static str,
    /// The holder's own record in the client's file.
    pub related_person_id: RelatedPersonId,
    /// The trajectories the rules let them read today; empty when none.
    pub trajectories: Vec<TrajectorySummary>,
    /// The client's address, where the rules let them see it (never a confidential one).
    pub address: Option<String>,
}

impl std::fmt::Debug for LinkedDossier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LinkedDossier({}, ***)", self.client_id)
    }
}

/// A parent's or representative's own record in a client's file: always theirs to see.
#[derive(Clone, Serialize)]
pub struct OwnRecord {
    pub client_id: ClientId,
    pub relation: RelationKind,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub authority_since: Option<NaiveDate>,
    /// The mandate as the worker described it.
    pub mandate_text: Option<String>,
    pub mandate: Option<MandateView>,
}

impl std::fmt::Debug for OwnRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OwnRecord({}, ***)", self.client_id)
    }
}

/// A parent of the young person and whether they may read (MIN-3).
#[derive(Clone, Serialize)]
pub struct ConsentLine {
    pub related_person_id: RelatedPersonId,
    pub relation: RelationKind,
    pub name: String,
    pub given_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ConsentLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentLine({}, ***)", self.related_person_id)
    }
}

/// The young person's consent page: only from 16 to 18 does it list the parents.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentPage {
    pub age_band: AgeBand,
    pub parents: Vec<ConsentLine>,
}

/// The client's own details in the portal.
#[derive(Clone, Serialize)]
pub struct OwnProfile {
    pub name: String,
    pub birth_date: NaiveDate,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl std::fmt::Debug for OwnProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OwnProfile(***)")
    }
}

fn own_client(actor: &Actor) -> CoreResult<ClientId> {
    match actor {
        Actor::Portal(p) => p.client_id.ok_or(CoreError::NotFound),
        _ => Err(CoreError::NotFound),
    }
}

impl App {
    /// The entries of a trajectory a portal account may read: all of their own; for a
    /// parent, only those dated on or after the day their authority began (MIN-1..3).
    pub(crate) fn portal_visible_entries(
        &self,
        actor: &Actor,
        facts: &PortalFacts,
        trajectory: TrajectoryId,
        rows: Vec<zv_store::EntryRow>,
    ) -> CoreResult<Vec<zv_store::EntryRow>> {
        if facts.relation == Relation::Client {
            return Ok(rows);
        }
        let rules = access::rules()?;
        let mut shown = Vec::with_capacity(rows.len());
        for r in rows {
            let target = Target::Entry {
                special_category: r.special_category.is_some(),
            };
            let read = Access::new(AuditAction::Read, AuditObject::Entry, Some(r.client_id))
                .in_trajectory(trajectory)
                .target(target)
                .minors(MinorsAccess::dated(Some(local_date(r.created_at))));
            if rules
                .decide(actor, AuditAction::Read, target, &facts.standing(&read))?
                .allowed
            {
                shown.push(r);
            }
        }
        Ok(shown)
    }

    /// The clients a parent's or representative's account reads for, each with the
    /// trajectories the rules let them read today (the list itself a recorded read per
    /// client: the name, and each trajectory shown).
    pub async fn portal_linked_dossiers(&self, actor: &Actor) -> CoreResult<Vec<LinkedDossier>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.read_tx().await?;
        let links = zv_store::minors::links_of_account(&tx, p.account_id).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(links.len());
        for link in links {
            out.push(self.linked_dossier(actor, link.client_id, false).await?);
        }
        Ok(out)
    }

    /// One client a parent or representative reads for, with the address where the
    /// rules let them see it; "not found" for a client the account is not linked to.
    pub async fn portal_linked_dossier(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<LinkedDossier> {
        self.linked_dossier(actor, client, true).await
    }

    async fn linked_dossier(
        &self,
        actor: &Actor,
        client: ClientId,
        with_address: bool,
    ) -> CoreResult<LinkedDossier> {
        let facts = self.portal_facts_of(actor, client).await?;
        let Some(person) = facts.person else {
            return Err(CoreError::NotFound);
        };
        let rules = access::rules()?;
        let name = Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
            .target(Target::PortalLink)
            .object_id(client)
            .detail("name, for the list of dossiers read for");
        let name_standing = facts.standing(&name);
        let tx = self.store.read_tx().await?;
        let rows = zv_store::trajectories::of_client(&tx, client).await?;
        tx.commit().await?;
        let mut reads = vec![(name, name_standing)];
        let mut shown = Vec::new();
        for t in &rows {
            let read = Access::new(AuditAction::Read, AuditObject::Trajectory, Some(client))
                .in_trajectory(t.id)
                .object_id(t.id)
                .detail("listed in the portal");
            let standing = facts.standing(&read);
            if rules
                .decide(actor, AuditAction::Read, Target::Dossier, &standing)?
                .allowed
            {
                shown.push(TrajectorySummary::from(t));
                reads.push((read, standing));
            }
        }
        let auth = self.authorize_reads_each(actor, reads).await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let name = s.open(crate::clients::T, "name", client.as_uuid(), &row.name_ct)?;
        // The address is decided on its own: a confidential one never reaches a parent,
        // a representative or other family, and each display is recorded.
        let mut address = None;
        if with_address && row.address_ct.is_some() {
            let target = Target::Address {
                confidential: row.confidential_address,
            };
            let read = Access::new(AuditAction::Read, AuditObject::Address, Some(client))
                .target(target)
                .object_id(client);
            let standing = facts.standing(&read);
            if rules
                .decide(actor, AuditAction::Read, target, &standing)?
                .allowed
            {
                self.authorize_read_on(actor, read, &standing).await?;
                address = s.open_opt(
                    crate::clients::T,
                    "address",
                    client.as_uuid(),
                    row.address_ct.as_deref(),
                )?;
            }
        }
        Ok(LinkedDossier {
            client_id: client,
            name,
            relation: facts.relation.code(),
            related_person_id: person,
            trajectories: shown,
            address,
        })
    }

    /// A parent's or representative's own record in a client's file: always theirs to
    /// read, whatever the rules say of the dossier.
    pub async fn portal_own_record(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<OwnRecord> {
        let facts = self.portal_facts_of(actor, client).await?;
        let Some(person) = facts.person else {
            return Err(CoreError::NotFound);
        };
        let read = Access::new(AuditAction::Read, AuditObject::RelatedPerson, Some(client))
            .target(Target::PersonRecord)
            .object_id(person)
            .minors(MinorsAccess {
                about_person: Some(person),
                ..MinorsAccess::default()
            });
        let standing = facts.standing(&read);
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::related_persons::get(&tx, &auth, person)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let mandate = zv_store::minors::mandate_of(&tx, person).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let u = person.as_uuid();
        Ok(OwnRecord {
            client_id: client,
            relation: row
                .relation
                .parse()
                .map_err(|_| CoreError::Internal("stored relation unreadable".into()))?,
            name: s.open(RELATED, "name", u, &row.name_ct)?,
            birth_date: s
                .open_opt(RELATED, "birth_date", u, row.birth_date_ct.as_deref())?
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            phone: s.open_opt(RELATED, "phone", u, row.phone_ct.as_deref())?,
            email: s.open_opt(RELATED, "email", u, row.email_ct.as_deref())?,
            address: s.open_opt(RELATED, "address", u, row.address_ct.as_deref())?,
            authority_since: row.authority_since,
            mandate_text: s.open_opt(RELATED, "mandate", u, row.mandate_ct.as_deref())?,
            mandate: mandate.map(|m| MandateView {
                whole_dossier: m.whole_dossier,
                trajectories: m.trajectories,
                ends_on: m.ends_on,
            }),
        })
    }

    /// The client's own details, their address included (also a confidential one: it
    /// is theirs; its display is recorded on its own).
    pub async fn portal_own_profile(&self, actor: &Actor) -> CoreResult<OwnProfile> {
        let client = own_client(actor)?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
                    .object_id(client)
                    .detail("own details in the portal"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let u = client.as_uuid();
        let t = crate::clients::T;
        if row.confidential_address && row.address_ct.is_some() {
            self.authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Address, Some(client))
                    .target(Target::Address { confidential: true })
                    .object_id(client),
            )
            .await?;
        }
        let birth = s.open(t, "birth_date", u, &row.birth_date_ct)?;
        Ok(OwnProfile {
            name: s.open(t, "name", u, &row.name_ct)?,
            birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?,
            address: s.open_opt(t, "address", u, row.address_ct.as_deref())?,
            phone: s.open_opt(t, "phone", u, row.phone_ct.as_deref())?,
            email: s.open_opt(t, "email", u, row.email_ct.as_deref())?,
        })
    }

    /// The young person's parents and the consent each has (MIN-3), from 16 to 18; in
    /// another age band the page lists nobody.
    pub async fn portal_consents(&self, actor: &Actor) -> CoreResult<ConsentPage> {
        let client = own_client(actor)?;
        let band = self
            .client_age_band(
                actor,
                client,
                "birth date, for the consent for parents (MIN-3)",
            )
            .await?;
        if band != AgeBand::Independent {
            return Ok(ConsentPage {
                age_band: band,
                parents: Vec::new(),
            });
        }
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::YouthConsent, Some(client))
                    .object_id(client)
                    .minors(MinorsAccess {
                        age_band: Some(band),
                        ..MinorsAccess::default()
                    })
                    .detail("parents and the consent given them"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::related_persons::of_client(&tx, &auth).await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let mut parents = Vec::new();
        for r in rows {
            let relation: RelationKind = r
                .relation
                .parse()
                .map_err(|_| CoreError::Internal("stored relation unreadable".into()))?;
            if Relation::of(relation) != Relation::Parent {
                continue;
            }
            let given_at = zv_store::minors::active_consent_of(&tx, r.id).await?;
            parents.push((r, relation, given_at));
        }
        tx.commit().await?;
        let s = Sealer { key: &key };
        Ok(ConsentPage {
            age_band: band,
            parents: parents
                .into_iter()
                .map(|(r, relation, given_at)| {
                    Ok(ConsentLine {
                        related_person_id: r.id,
                        relation,
                        name: s.open(RELATED, "name", r.id.as_uuid(), &r.name_ct)?,
                        given_at,
                    })
                })
                .collect::<CoreResult<_>>()?,
        })
    }

    /// MIN-3: the young person gives (`give`) or withdraws a parent's consent to read.
    /// The next request of that parent is decided on it.
    pub async fn set_youth_consent(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
        give: bool,
    ) -> CoreResult<()> {
        let client = own_client(actor)?;
        let tx = self.store.read_tx().await?;
        let meta = zv_store::minors::related_person_meta(&tx, person).await?;
        tx.commit().await?;
        // Only a parent in the young person's own file; anything else does not exist.
        let meta = meta
            .filter(|m| m.client_id == client)
            .ok_or(CoreError::NotFound)?;
        let relation: RelationKind = meta
            .relation
            .parse()
            .map_err(|_| CoreError::Internal("stored relation unreadable".into()))?;
        if Relation::of(relation) != Relation::Parent {
            return Err(CoreError::NotFound);
        }
        let band = self
            .client_age_band(
                actor,
                client,
                "birth date, for the consent for parents (MIN-3)",
            )
            .await?;
        let (action, detail) = if give {
            (AuditAction::Create, "consent given to a parent")
        } else {
            (AuditAction::Delete, "consent withdrawn from a parent")
        };
        let tx = self
            .authorize_write(
                actor,
                Access::new(action, AuditObject::YouthConsent, Some(client))
                    .object_id(person)
                    .minors(MinorsAccess {
                        age_band: Some(band),
                        ..MinorsAccess::default()
                    })
                    .detail(format!("{detail}: related person {person}")),
            )
            .await?;
        let changed = if give {
            zv_store::minors::give_consent(&tx, uuid::Uuid::now_v7(), client, person, self.now())
                .await?
        } else {
            zv_store::minors::withdraw_consent(&tx, person, self.now()).await?
        };
        if !changed {
            return Err(CoreError::Conflict(if give {
                "this parent has consent already".into()
            } else {
                "this parent has no consent to withdraw".into()
            }));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, related_person.id = %person, give, "young person's consent changed");
        Ok(())
    }
}
