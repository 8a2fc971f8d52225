//! Related persons: parents with authority and since when, guardians, legal
//! representatives with their mandate, children and other family (MIN-1..4).

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{
    Address, AuditAction, AuditObject, BirthDate, ClientId, Email, PersonName, Phone, Purpose,
    RelatedPersonId, RelationKind,
};
use zv_store::NewRelatedPerson;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::rectification::RectifiedField;

pub(crate) const T: &str = "related_persons";

#[derive(Debug, Clone)]
pub struct RelatedPersonInput {
    pub relation: RelationKind,
    pub name: PersonName,
    pub birth_date: Option<BirthDate>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub address: Option<Address>,
    /// For a parent with authority or a guardian: the date authority began. A parent's
    /// rights do not reach documents from before it (DOMAIN.md).
    pub authority_since: Option<NaiveDate>,
    /// For a legal representative: what the mandate covers.
    pub mandate: Option<String>,
    /// When the related person is a client too.
    pub linked_client: Option<ClientId>,
}

#[derive(Clone, Serialize)]
pub struct RelatedPerson {
    pub id: RelatedPersonId,
    pub relation: RelationKind,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub authority_since: Option<NaiveDate>,
    pub mandate: Option<String>,
    pub linked_client: Option<ClientId>,
}

impl std::fmt::Debug for RelatedPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RelatedPerson({}, {:?}, ***)", self.id, self.relation)
    }
}

impl RelatedPersonInput {
    pub(crate) fn check(&self) -> CoreResult<()> {
        let needs_authority = matches!(
            self.relation,
            RelationKind::ParentWithAuthority | RelationKind::Guardian
        );
        if needs_authority && self.authority_since.is_none() {
            return Err(CoreError::invalid(
                "authority_since",
                "record the date authority began",
            ));
        }
        if !needs_authority && self.authority_since.is_some() {
            return Err(CoreError::invalid(
                "authority_since",
                "only a parent with authority or a guardian has authority",
            ));
        }
        match (self.relation, &self.mandate) {
            (RelationKind::LegalRepresentative, None) => Err(CoreError::invalid(
                "mandate",
                "a legal representative acts within a recorded mandate",
            )),
            (RelationKind::LegalRepresentative, Some(m)) if m.trim().is_empty() => {
                Err(CoreError::invalid(
                    "mandate",
                    "a legal representative acts within a recorded mandate",
                ))
            }
            (RelationKind::Child, _) if self.birth_date.is_none() => Err(CoreError::invalid(
                "birth_date",
                "a child's birth date decides how long the dossier is kept",
            )),
            _ => Ok(()),
        }
    }

    pub(crate) fn seal(
        &self,
        id: RelatedPersonId,
        client: ClientId,
        key: &zv_crypto::DataKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> NewRelatedPerson {
        let s = Sealer { key };
        let u = id.as_uuid();
        NewRelatedPerson {
            id,
            client_id: client,
            relation: self.relation.code().to_owned(),
            name_ct: s.seal(T, "name", u, self.name.expose()),
            birth_date_ct: s.seal_opt(
                T,
                "birth_date",
                u,
                self.birth_date
                    .map(|b| b.date().format("%Y-%m-%d").to_string())
                    .as_deref(),
            ),
            phone_ct: s.seal_opt(T, "phone", u, self.phone.as_ref().map(Phone::expose)),
            email_ct: s.seal_opt(T, "email", u, self.email.as_ref().map(Email::expose)),
            address_ct: s.seal_opt(T, "address", u, self.address.as_ref().map(Address::expose)),
            authority_since: self.authority_since,
            mandate_ct: s.seal_opt(T, "mandate", u, self.mandate.as_deref()),
            linked_client_id: self.linked_client,
            created_at: now,
        }
    }
}

impl App {
    pub async fn add_related_person(
        &self,
        actor: &Actor,
        client: ClientId,
        input: RelatedPersonInput,
    ) -> CoreResult<RelatedPersonId> {
        input.check()?;
        let id = RelatedPersonId::new();
        // RET-2: a child moves the dates of the client's closed trajectories (youngest
        // child rule); the children's birth dates are read for it, recorded.
        let facts = if input.relation == RelationKind::Child {
            Some(self.authorize_retention_facts(actor, client).await?)
        } else {
            None
        };
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::RelatedPerson,
                    Some(client),
                )
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        zv_store::related_persons::insert(&tx, &input.seal(id, client, &key, self.now())).await?;
        if let Some(auth) = &facts {
            self.recompute_client_retention(&tx, auth).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects the birth date of a child recorded with the client, and moves the
    /// retention dates of the client's closed trajectories with it in the same
    /// transaction (RET-2: kept until the youngest child is 18). The old date, the new
    /// one, the reason, who and when go into the client's rectification history (RTS-5).
    /// By whoever may update the client's related persons (the workers on the case).
    pub async fn correct_child_birth_date(
        &self,
        actor: &Actor,
        person: RelatedPersonId,
        birth_date: BirthDate,
        reason: &str,
    ) -> CoreResult<Uuid> {
        crate::rectification::check_reason(reason)?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("corrections are made by staff".into()))?;
        let client = self.client_of_related_person(person).await?;
        // The children's birth dates are read (recorded): the old one for the history,
        // all of them for the youngest-child rule.
        let auth = self.authorize_retention_facts(actor, client).await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::related_persons::get(&tx, &auth, person)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        if row.relation != RelationKind::Child.code() {
            return Err(CoreError::invalid(
                "birth_date",
                "only a child's birth date is corrected here",
            ));
        }
        let new = birth_date.date().format("%Y-%m-%d").to_string();
        let old = Sealer { key: &key }.open_opt(
            T,
            "birth_date",
            person.as_uuid(),
            row.birth_date_ct.as_deref(),
        )?;
        if old.as_deref() == Some(new.as_str()) {
            return Err(CoreError::invalid(
                "birth_date",
                "this is the date already recorded",
            ));
        }
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write_all(
                actor,
                vec![
                    crate::rectification::history_access(
                        client,
                        id,
                        RectifiedField::ChildBirthDate,
                    ),
                    Access::new(
                        AuditAction::Update,
                        AuditObject::RelatedPerson,
                        Some(client),
                    )
                    .object_id(person)
                    .detail(format!("rectification {id}: child's birth date")),
                ],
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let s = Sealer { key: &key };
        let sealed = s.seal(T, "birth_date", person.as_uuid(), &new);
        zv_store::related_persons::set_birth_date(&tx, person, sealed).await?;
        crate::rectification::insert_history(
            &tx,
            &s,
            crate::rectification::HistoryLine {
                id,
                client,
                related_person: Some(person),
                request: None,
                field: RectifiedField::ChildBirthDate,
                old: old.as_deref(),
                new: &new,
                reason,
                by,
                at: self.now(),
            },
        )
        .await?;
        self.recompute_client_retention(&tx, &auth).await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, "child's birth date corrected");
        Ok(id)
    }

    pub async fn related_persons(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<RelatedPerson>> {
        self.related_persons_with_purpose(actor, client, Purpose::Care)
            .await
    }

    pub(crate) async fn related_persons_with_purpose(
        &self,
        actor: &Actor,
        client: ClientId,
        purpose: Purpose,
    ) -> CoreResult<Vec<RelatedPerson>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::RelatedPerson, Some(client))
                    .purpose(purpose),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::related_persons::of_client(&tx, &auth).await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        rows.iter()
            .map(|r| {
                let u = r.id.as_uuid();
                Ok(RelatedPerson {
                    id: r.id,
                    relation: r
                        .relation
                        .parse()
                        .map_err(|_| CoreError::Internal("stored relation unreadable".into()))?,
                    name: s.open(T, "name", u, &r.name_ct)?,
                    birth_date: s
                        .open_opt(T, "birth_date", u, r.birth_date_ct.as_deref())?
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    phone: s.open_opt(T, "phone", u, r.phone_ct.as_deref())?,
                    email: s.open_opt(T, "email", u, r.email_ct.as_deref())?,
                    address: s.open_opt(T, "address", u, r.address_ct.as_deref())?,
                    authority_since: r.authority_since,
                    mandate: s.open_opt(T, "mandate", u, r.mandate_ct.as_deref())?,
                    linked_client: r.linked_client_id,
                })
            })
            .collect()
    }
}
