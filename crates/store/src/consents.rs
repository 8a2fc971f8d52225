//! The consent register (m0019; SHR-1 consent ground, RTS-10): per client and purpose,
//! how and when the consent was given and by whom, and its withdrawal.
//!
//! The description of what a consent covers is free text about the client, held sealed
//! with the client's key (`description_ct`) and handed out only with the gate's
//! [`Authorized`] proof for that client. Purposes, channels, dates, recipient ids and
//! the givers' ids are no content, so the disclosure check
//! ([`sharing_candidates`]) and the withdrawal need no proof; the core authorizes those
//! steps itself.
//!
//! The recipients a sharing consent names live in the recipient register (m0018); this
//! module reads the few columns it needs (exists, retired, name) with its own query.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, RelatedPersonId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod records {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub purpose: String,
        pub recipient_id: Option<Uuid>,
        pub given_how: String,
        pub given_on: Date,
        pub description_ct: Option<Vec<u8>>,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub withdrawn_how: Option<String>,
        pub withdrawn_by_person: Option<Uuid>,
        pub withdrawal_recorded_by: Option<Uuid>,
        pub withdrawal_recorded_as: Option<String>,
        pub recorded_as: String,
        pub in_force_from: Option<Date>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod givers {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consent_givers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub consent_id: Uuid,
        pub client_id: Uuid,
        pub related_person_id: Option<Uuid>,
        pub confirmed_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who gave or withdrew a consent: the client, or one of the client's related persons
/// (a parent with authority, a guardian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentPerson {
    Client,
    Related(RelatedPersonId),
}

impl ConsentPerson {
    fn stored(self) -> Option<Uuid> {
        match self {
            Self::Client => None,
            Self::Related(p) => Some(p.as_uuid()),
        }
    }

    fn of_stored(id: Option<Uuid>) -> Self {
        id.map_or(Self::Client, |p| {
            Self::Related(RelatedPersonId::from_uuid(p))
        })
    }
}

/// A consent as stored, with its givers; the description still sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsentRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub purpose: String,
    pub recipient_id: Option<Uuid>,
    pub given_how: String,
    pub given_on: NaiveDate,
    pub given_by: Vec<ConsentPerson>,
    /// The givers who have not confirmed yet (a consent proposed in the portal).
    pub awaiting: Vec<ConsentPerson>,
    pub description_ct: Option<Vec<u8>>,
    /// The staff member, or the portal account, that recorded it.
    pub recorded_by: Uuid,
    /// `staff` or `portal`.
    pub recorded_as: String,
    pub recorded_at: DateTime<Utc>,
    /// The day it took effect; none while a giver has not confirmed.
    pub in_force_from: Option<NaiveDate>,
    pub withdrawal: Option<WithdrawalRow>,
}

impl std::fmt::Debug for ConsentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentRow({}, {}, ***)", self.id, self.purpose)
    }
}

/// The withdrawal of a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub at: DateTime<Utc>,
    pub how: String,
    pub by: ConsentPerson,
    /// The staff member, or the portal account, that recorded it.
    pub recorded_by: Option<Uuid>,
    /// `staff` or `portal`.
    pub recorded_as: String,
}

fn row(m: records::Model, given: &[&givers::Model]) -> ConsentRow {
    let withdrawal = m.withdrawn_at.map(|at| WithdrawalRow {
        at,
        how: m.withdrawn_how.clone().unwrap_or_default(),
        by: ConsentPerson::of_stored(m.withdrawn_by_person),
        recorded_by: m.withdrawal_recorded_by,
        recorded_as: m.withdrawal_recorded_as.clone().unwrap_or_default(),
    });
    ConsentRow {
        id: m.id,
        client_id: ClientId::from_uuid(m.client_id),
        purpose: m.purpose,
        recipient_id: m.recipient_id,
        given_how: m.given_how,
        given_on: m.given_on,
        given_by: given
            .iter()
            .map(|g| ConsentPerson::of_stored(g.related_person_id))
            .collect(),
        awaiting: given
            .iter()
            .filter(|g| g.confirmed_at.is_none())
            .map(|g| ConsentPerson::of_stored(g.related_person_id))
            .collect(),
        description_ct: m.description_ct,
        recorded_by: m.recorded_by,
        recorded_as: m.recorded_as,
        recorded_at: m.recorded_at,
        in_force_from: m.in_force_from,
        withdrawal,
    }
}

/// A new consent, its description sealed by the core.
pub struct NewConsent {
    pub id: Uuid,
    pub client_id: ClientId,
    pub purpose: &'static str,
    pub recipient_id: Option<Uuid>,
    pub given_how: &'static str,
    pub given_on: NaiveDate,
    pub given_by: Vec<ConsentPerson>,
    /// Those of `given_by` whose confirmation is still awaited; empty for a consent
    /// recorded by staff, which takes effect on `given_on`.
    pub awaiting: Vec<ConsentPerson>,
    pub description_ct: Option<Vec<u8>>,
    /// A staff member (`recorded_as` `staff`) or a portal account (`portal`).
    pub recorded_by: Uuid,
    pub recorded_as: &'static str,
    pub recorded_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewConsent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewConsent({}, {}, ***)", self.id, self.purpose)
    }
}

/// Records a consent and its givers.
pub async fn insert(tx: &Tx, c: &NewConsent) -> Result<(), StoreError> {
    records::Entity::insert(records::ActiveModel {
        id: Set(c.id),
        client_id: Set(c.client_id.as_uuid()),
        purpose: Set(c.purpose.to_owned()),
        recipient_id: Set(c.recipient_id),
        given_how: Set(c.given_how.to_owned()),
        given_on: Set(c.given_on),
        description_ct: Set(c.description_ct.clone()),
        recorded_by: Set(c.recorded_by),
        recorded_as: Set(c.recorded_as.to_owned()),
        in_force_from: Set(c.awaiting.is_empty().then_some(c.given_on)),
        recorded_at: Set(micros(c.recorded_at)),
        withdrawn_at: Set(None),
        withdrawn_how: Set(None),
        withdrawn_by_person: Set(None),
        withdrawal_recorded_by: Set(None),
        withdrawal_recorded_as: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    for person in &c.given_by {
        givers::Entity::insert(givers::ActiveModel {
            id: Set(Uuid::now_v7()),
            consent_id: Set(c.id),
            client_id: Set(c.client_id.as_uuid()),
            related_person_id: Set(person.stored()),
            confirmed_at: Set((!c.awaiting.contains(person)).then(|| micros(c.recorded_at))),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

/// The consents of the proof's client, newest given first, with their givers.
pub async fn of_client(tx: &Tx, auth: &Authorized) -> Result<Vec<ConsentRow>, StoreError> {
    let client = auth.client_id().as_uuid();
    let models = records::Entity::find()
        .filter(records::Column::ClientId.eq(client))
        .order_by_desc(records::Column::GivenOn)
        .order_by_desc(records::Column::RecordedAt)
        .order_by_desc(records::Column::Id)
        .all(&tx.inner)
        .await?;
    let all_givers = givers::Entity::find()
        .filter(givers::Column::ClientId.eq(client))
        .order_by_asc(givers::Column::Id)
        .all(&tx.inner)
        .await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let given: Vec<_> = all_givers.iter().filter(|g| g.consent_id == m.id).collect();
            row(m, &given)
        })
        .collect())
}

/// What a consent is about without content: its client, purpose and whether it was
/// withdrawn (to authorize a withdrawal before anything of it is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentMeta {
    pub client_id: ClientId,
    pub withdrawn: bool,
    pub in_force_from: Option<NaiveDate>,
}

pub async fn meta(tx: &Tx, id: Uuid) -> Result<Option<ConsentMeta>, StoreError> {
    Ok(records::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(|m| ConsentMeta {
            client_id: ClientId::from_uuid(m.client_id),
            withdrawn: m.withdrawn_at.is_some(),
            in_force_from: m.in_force_from,
        }))
}

/// A withdrawal to record.
#[derive(Debug, Clone, Copy)]
pub struct NewWithdrawal {
    pub at: DateTime<Utc>,
    pub how: &'static str,
    pub by: ConsentPerson,
    pub recorded_by: Uuid,
    /// `staff` or `portal`.
    pub recorded_as: &'static str,
}

/// Withdraws a consent still in force; `false` when it was withdrawn already (the
/// first withdrawal stands).
pub async fn withdraw(tx: &Tx, id: Uuid, w: &NewWithdrawal) -> Result<bool, StoreError> {
    let n = records::Entity::update_many()
        .col_expr(records::Column::WithdrawnAt, Expr::value(micros(w.at)))
        .col_expr(records::Column::WithdrawnHow, Expr::value(w.how))
        .col_expr(
            records::Column::WithdrawnByPerson,
            Expr::value(w.by.stored()),
        )
        .col_expr(
            records::Column::WithdrawalRecordedBy,
            Expr::value(w.recorded_by),
        )
        .col_expr(
            records::Column::WithdrawalRecordedAs,
            Expr::value(w.recorded_as),
        )
        .filter(records::Column::Id.eq(id))
        .filter(records::Column::WithdrawnAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n == 1)
}

/// A sharing consent of a client for one recipient, without content: the disclosure
/// check decides from these whether one is in force on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharingCandidate {
    pub id: Uuid,
    /// None while a giver has not confirmed: not in force on any day.
    pub in_force_from: Option<NaiveDate>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// The client's consents of purpose `sharing` naming `recipient`, oldest first.
pub async fn sharing_candidates(
    tx: &Tx,
    client: ClientId,
    recipient: Uuid,
) -> Result<Vec<SharingCandidate>, StoreError> {
    Ok(records::Entity::find()
        .filter(records::Column::ClientId.eq(client.as_uuid()))
        .filter(records::Column::Purpose.eq("sharing"))
        .filter(records::Column::RecipientId.eq(recipient))
        .order_by_asc(records::Column::GivenOn)
        .order_by_asc(records::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| SharingCandidate {
            id: m.id,
            in_force_from: m.in_force_from,
            withdrawn_at: m.withdrawn_at,
        })
        .collect())
}

/// Who gives a consent (its givers, confirmed or not), without content.
pub async fn givers_of(tx: &Tx, id: Uuid) -> Result<Vec<ConsentPerson>, StoreError> {
    Ok(givers::Entity::find()
        .filter(givers::Column::ConsentId.eq(id))
        .order_by_asc(givers::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|g| ConsentPerson::of_stored(g.related_person_id))
        .collect())
}

/// What a giver's confirmation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// This giver was not awaited (not a giver, or confirmed already).
    NotAwaited,
    /// Confirmed; others are still awaited.
    Recorded,
    /// Confirmed, and the consent is now in force from the given day.
    Complete,
}

/// Records one giver's confirmation of a consent still in the making; when it was the
/// last one awaited, the consent takes effect on `on`. A withdrawn consent (declined by
/// one of the givers) takes no confirmation.
pub async fn confirm(
    tx: &Tx,
    id: Uuid,
    person: ConsentPerson,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Confirmation, StoreError> {
    let open = records::Entity::find_by_id(id)
        .filter(records::Column::WithdrawnAt.is_null())
        .filter(records::Column::InForceFrom.is_null())
        .one(&tx.inner)
        .await?;
    if open.is_none() {
        return Ok(Confirmation::NotAwaited);
    }
    let who = match person.stored() {
        None => givers::Column::RelatedPersonId.is_null(),
        Some(p) => givers::Column::RelatedPersonId.eq(p),
    };
    let n = givers::Entity::update_many()
        .col_expr(givers::Column::ConfirmedAt, Expr::value(micros(at)))
        .filter(givers::Column::ConsentId.eq(id))
        .filter(who)
        .filter(givers::Column::ConfirmedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        return Ok(Confirmation::NotAwaited);
    }
    let waiting = givers::Entity::find()
        .filter(givers::Column::ConsentId.eq(id))
        .filter(givers::Column::ConfirmedAt.is_null())
        .count(&tx.inner)
        .await?;
    if waiting > 0 {
        return Ok(Confirmation::Recorded);
    }
    records::Entity::update_many()
        .col_expr(records::Column::InForceFrom, Expr::value(on))
        .filter(records::Column::Id.eq(id))
        .exec(&tx.inner)
        .await?;
    Ok(Confirmation::Complete)
}

/// A recipient of the register as a consent names it: an organisation, not a data
/// subject, so its name is plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientLine {
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub retired: bool,
}

impl From<crate::recipients::RecipientRow> for RecipientLine {
    fn from(r: crate::recipients::RecipientRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            country: r.country,
            kind: r.kind,
            retired: r.retired_at.is_some(),
        }
    }
}

/// One recipient of the register, retired or not.
pub async fn recipient(tx: &Tx, id: Uuid) -> Result<Option<RecipientLine>, StoreError> {
    Ok(crate::recipients::get(tx, id)
        .await?
        .map(RecipientLine::from))
}

/// Every recipient of the register, by name (retired ones too: old consents name them).
pub async fn recipients(tx: &Tx) -> Result<Vec<RecipientLine>, StoreError> {
    Ok(crate::recipients::all(tx)
        .await?
        .into_iter()
        .map(RecipientLine::from)
        .collect())
}

/// Removes a client's consents and their givers (destruction, RET-4).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let g = givers::Entity::delete_many()
        .filter(givers::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let c = records::Entity::delete_many()
        .filter(records::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(g + c)
}
