//! What the minors rules read and the staff record (MIN-1..4): the links of a parent's or
//! representative's portal account to the related-person records they read for, the
//! caseworkers' blocks per parent (MIN-2), the young person's consents (MIN-3), and the
//! representatives' mandates (MIN-4).
//!
//! Apart from a block's reason (sealed with the client's key, read only with the gate's
//! [`Authorized`] proof) nothing here is content: ids, relation codes, dates and flags,
//! which the gate reads to decide.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, RelatedPersonId, TrajectoryId, UserId};

use crate::entity::related_persons;
use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod links {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_account_links")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub related_person_id: Uuid,
        pub account_id: Uuid,
        pub client_id: Uuid,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod blocks {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "parent_access_blocks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub related_person_id: Uuid,
        pub reason_ct: Vec<u8>,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
        pub lifted_by: Option<Uuid>,
        pub lifted_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod consents {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "youth_consents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub related_person_id: Uuid,
        pub given_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod mandates {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "representative_mandates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub related_person_id: Uuid,
        pub client_id: Uuid,
        pub whole_dossier: bool,
        pub ends_on: Date,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod mandate_trajectories {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mandate_trajectories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub related_person_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub trajectory_id: Uuid,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A related person's record without its content: to whom it belongs and how it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedPersonMeta {
    pub id: RelatedPersonId,
    pub client_id: ClientId,
    /// The relation's code.
    pub relation: String,
    pub authority_since: Option<NaiveDate>,
}

/// A link of a portal account to a record it reads for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalLinkRow {
    pub related_person_id: RelatedPersonId,
    pub account_id: PortalAccountId,
    pub client_id: ClientId,
    pub created_at: DateTime<Utc>,
}

impl From<links::Model> for PortalLinkRow {
    fn from(m: links::Model) -> Self {
        Self {
            related_person_id: RelatedPersonId::from_uuid(m.related_person_id),
            account_id: PortalAccountId::from_uuid(m.account_id),
            client_id: ClientId::from_uuid(m.client_id),
            created_at: m.created_at,
        }
    }
}

/// A block as stored; the reason stays sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentBlockRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub related_person_id: RelatedPersonId,
    pub reason_ct: Vec<u8>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub lifted_by: Option<UserId>,
    pub lifted_at: Option<DateTime<Utc>>,
}

impl From<blocks::Model> for ParentBlockRow {
    fn from(m: blocks::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            related_person_id: RelatedPersonId::from_uuid(m.related_person_id),
            reason_ct: m.reason_ct,
            recorded_by: UserId::from_uuid(m.recorded_by),
            recorded_at: m.recorded_at,
            lifted_by: m.lifted_by.map(UserId::from_uuid),
            lifted_at: m.lifted_at,
        }
    }
}

/// A mandate as stored, with the trajectories it names (none for the whole dossier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateRow {
    pub related_person_id: RelatedPersonId,
    pub client_id: ClientId,
    pub whole_dossier: bool,
    pub ends_on: NaiveDate,
    pub trajectories: Vec<TrajectoryId>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

/// Everything the gate needs about one account's link to one client, in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFacts {
    pub person: RelatedPersonMeta,
    /// A block is in force for this parent (MIN-2).
    pub blocked: bool,
    /// The young person's consent is in force for this parent (MIN-3).
    pub consent: bool,
    /// The representative's mandate (MIN-4).
    pub mandate: Option<MandateRow>,
}

fn meta_of(m: related_persons::Model) -> RelatedPersonMeta {
    RelatedPersonMeta {
        id: RelatedPersonId::from_uuid(m.id),
        client_id: ClientId::from_uuid(m.client_id),
        relation: m.relation,
        authority_since: m.authority_since,
    }
}

/// A related person's record without its content, if it exists.
pub async fn related_person_meta(
    tx: &Tx,
    id: RelatedPersonId,
) -> Result<Option<RelatedPersonMeta>, StoreError> {
    Ok(related_persons::Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?
        .map(meta_of))
}

/// The client's related-person records without content, oldest first.
pub async fn related_people_meta_of(
    tx: &Tx,
    client: ClientId,
) -> Result<Vec<RelatedPersonMeta>, StoreError> {
    Ok(related_persons::Entity::find()
        .filter(related_persons::Column::ClientId.eq(client.as_uuid()))
        .order_by_asc(related_persons::Column::CreatedAt)
        .order_by_asc(related_persons::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(meta_of)
        .collect())
}

pub async fn insert_link(tx: &Tx, link: &PortalLinkRow) -> Result<(), StoreError> {
    let savepoint = tx.savepoint().await?;
    let result = links::Entity::insert(links::ActiveModel {
        related_person_id: Set(link.related_person_id.as_uuid()),
        account_id: Set(link.account_id.as_uuid()),
        client_id: Set(link.client_id.as_uuid()),
        created_at: Set(micros(link.created_at)),
    })
    .exec_without_returning(&savepoint)
    .await;
    crate::release(savepoint, result).await
}

/// The records an account reads for, oldest link first.
pub async fn links_of_account(
    tx: &Tx,
    account: PortalAccountId,
) -> Result<Vec<PortalLinkRow>, StoreError> {
    Ok(links::Entity::find()
        .filter(links::Column::AccountId.eq(account.as_uuid()))
        .order_by_asc(links::Column::CreatedAt)
        .order_by_asc(links::Column::RelatedPersonId)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(PortalLinkRow::from)
        .collect())
}

/// The link of a related person's record, if an account reads for it.
pub async fn link_of_person(
    tx: &Tx,
    person: RelatedPersonId,
) -> Result<Option<PortalLinkRow>, StoreError> {
    Ok(links::Entity::find_by_id(person.as_uuid())
        .one(&tx.inner)
        .await?
        .map(PortalLinkRow::from))
}

/// The links to a client's records.
pub async fn links_of_client(tx: &Tx, client: ClientId) -> Result<Vec<PortalLinkRow>, StoreError> {
    Ok(links::Entity::find()
        .filter(links::Column::ClientId.eq(client.as_uuid()))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(PortalLinkRow::from)
        .collect())
}

/// How an account stands to a client through its link, with the block, consent and
/// mandate in force, or `None` when the account has no link to the client.
pub async fn link_facts(
    tx: &Tx,
    account: PortalAccountId,
    client: ClientId,
) -> Result<Option<LinkFacts>, StoreError> {
    let Some(link) = links::Entity::find()
        .filter(links::Column::AccountId.eq(account.as_uuid()))
        .filter(links::Column::ClientId.eq(client.as_uuid()))
        .order_by_asc(links::Column::CreatedAt)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    let person = RelatedPersonId::from_uuid(link.related_person_id);
    let Some(meta) = related_person_meta(tx, person).await? else {
        return Ok(None);
    };
    let blocked = active_block_of(tx, person).await?.is_some();
    let consent = active_consent_of(tx, person).await?.is_some();
    let mandate = mandate_of(tx, person).await?;
    Ok(Some(LinkFacts {
        person: meta,
        blocked,
        consent,
        mandate,
    }))
}

/// Ends a record's link. Returns how many rows went (0 or 1).
pub async fn delete_link_of_person(tx: &Tx, person: RelatedPersonId) -> Result<u64, StoreError> {
    Ok(links::Entity::delete_many()
        .filter(links::Column::RelatedPersonId.eq(person.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Ends every link of the accounts of a client (their own account is going).
pub async fn delete_links_of_accounts_of_client(
    tx: &Tx,
    client: ClientId,
) -> Result<u64, StoreError> {
    let accounts = Query::select()
        .column("id")
        .from("portal_accounts")
        .and_where(Expr::col("client_id").eq(client.as_uuid()))
        .to_owned();
    Ok(links::Entity::delete_many()
        .filter(links::Column::AccountId.in_subquery(accounts))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

pub async fn insert_block(tx: &Tx, b: &ParentBlockRow) -> Result<(), StoreError> {
    blocks::Entity::insert(blocks::ActiveModel {
        id: Set(b.id),
        client_id: Set(b.client_id.as_uuid()),
        related_person_id: Set(b.related_person_id.as_uuid()),
        reason_ct: Set(b.reason_ct.clone()),
        recorded_by: Set(b.recorded_by.as_uuid()),
        recorded_at: Set(micros(b.recorded_at)),
        lifted_by: Set(None),
        lifted_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The block in force for a parent's record, without its reason.
pub async fn active_block_of(
    tx: &Tx,
    person: RelatedPersonId,
) -> Result<Option<ParentBlockRow>, StoreError> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(blocks::Column::LiftedAt.is_null())
        .order_by_desc(blocks::Column::RecordedAt)
        .one(&tx.inner)
        .await?
        .map(|m| ParentBlockRow {
            reason_ct: Vec::new(),
            ..ParentBlockRow::from(m)
        }))
}

/// Lifts the block in force for a parent's record: true when there was one.
pub async fn lift_block(
    tx: &Tx,
    person: RelatedPersonId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = blocks::Entity::update_many()
        .col_expr(blocks::Column::LiftedAt, Expr::value(Some(micros(at))))
        .col_expr(blocks::Column::LiftedBy, Expr::value(Some(by.as_uuid())))
        .filter(blocks::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(blocks::Column::LiftedAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected > 0)
}

/// Every block of the proof's client, in force or lifted, newest first, with reasons.
pub async fn blocks_of_client(
    tx: &Tx,
    auth: &Authorized,
) -> Result<Vec<ParentBlockRow>, StoreError> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_desc(blocks::Column::RecordedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ParentBlockRow::from)
        .collect())
}

/// Every block of every client, newest first, without reasons: the privacy officer's
/// list, each of whose reasons is then read with its own proof.
pub async fn all_blocks(tx: &Tx) -> Result<Vec<ParentBlockRow>, StoreError> {
    Ok(blocks::Entity::find()
        .order_by_desc(blocks::Column::RecordedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| ParentBlockRow {
            reason_ct: Vec::new(),
            ..ParentBlockRow::from(m)
        })
        .collect())
}

/// The consent in force for a parent's record: when it was given.
pub async fn active_consent_of(
    tx: &Tx,
    person: RelatedPersonId,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(consents::Entity::find()
        .filter(consents::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(consents::Column::WithdrawnAt.is_null())
        .order_by_desc(consents::Column::GivenAt)
        .one(&tx.inner)
        .await?
        .map(|m| m.given_at))
}

/// Records a consent; none is added while one is in force. True when it was added.
pub async fn give_consent(
    tx: &Tx,
    id: Uuid,
    client: ClientId,
    person: RelatedPersonId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if active_consent_of(tx, person).await?.is_some() {
        return Ok(false);
    }
    consents::Entity::insert(consents::ActiveModel {
        id: Set(id),
        client_id: Set(client.as_uuid()),
        related_person_id: Set(person.as_uuid()),
        given_at: Set(micros(at)),
        withdrawn_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(true)
}

/// Withdraws the consent in force: true when there was one.
pub async fn withdraw_consent(
    tx: &Tx,
    person: RelatedPersonId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = consents::Entity::update_many()
        .col_expr(consents::Column::WithdrawnAt, Expr::value(Some(micros(at))))
        .filter(consents::Column::RelatedPersonId.eq(person.as_uuid()))
        .filter(consents::Column::WithdrawnAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(done.rows_affected > 0)
}

/// A representative's mandate, if one is recorded.
pub async fn mandate_of(
    tx: &Tx,
    person: RelatedPersonId,
) -> Result<Option<MandateRow>, StoreError> {
    let Some(m) = mandates::Entity::find_by_id(person.as_uuid())
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    let trajectories = if m.whole_dossier {
        Vec::new()
    } else {
        mandate_trajectories::Entity::find()
            .filter(mandate_trajectories::Column::RelatedPersonId.eq(person.as_uuid()))
            .order_by_asc(mandate_trajectories::Column::TrajectoryId)
            .all(&tx.inner)
            .await?
            .into_iter()
            .map(|t| TrajectoryId::from_uuid(t.trajectory_id))
            .collect()
    };
    Ok(Some(MandateRow {
        related_person_id: person,
        client_id: ClientId::from_uuid(m.client_id),
        whole_dossier: m.whole_dossier,
        ends_on: m.ends_on,
        trajectories,
        recorded_by: UserId::from_uuid(m.recorded_by),
        recorded_at: m.recorded_at,
    }))
}

/// Records a representative's mandate, replacing an earlier one.
pub async fn replace_mandate(tx: &Tx, m: &MandateRow) -> Result<(), StoreError> {
    let person = m.related_person_id.as_uuid();
    mandate_trajectories::Entity::delete_many()
        .filter(mandate_trajectories::Column::RelatedPersonId.eq(person))
        .exec(&tx.inner)
        .await?;
    mandates::Entity::delete_many()
        .filter(mandates::Column::RelatedPersonId.eq(person))
        .exec(&tx.inner)
        .await?;
    mandates::Entity::insert(mandates::ActiveModel {
        related_person_id: Set(person),
        client_id: Set(m.client_id.as_uuid()),
        whole_dossier: Set(m.whole_dossier),
        ends_on: Set(m.ends_on),
        recorded_by: Set(m.recorded_by.as_uuid()),
        recorded_at: Set(micros(m.recorded_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    if !m.whole_dossier && !m.trajectories.is_empty() {
        mandate_trajectories::Entity::insert_many(m.trajectories.iter().map(|t| {
            mandate_trajectories::ActiveModel {
                related_person_id: Set(person),
                trajectory_id: Set(t.as_uuid()),
            }
        }))
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

/// Removes every trace of the minors rules about a client: links to its records (and
/// the accounts of parents and representatives left with none and no dossier of their
/// own, with their sessions and recovery codes), blocks, consents and mandates. Part of
/// destroying the client. Returns how many rows went.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let id = client.as_uuid();
    let mut n = links::Entity::delete_many()
        .filter(links::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    n += delete_links_of_accounts_of_client(tx, client).await?;
    n += crate::portal::delete_accounts_without_links(tx).await?;
    n += blocks::Entity::delete_many()
        .filter(blocks::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    n += consents::Entity::delete_many()
        .filter(consents::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let of_client = Query::select()
        .column("related_person_id")
        .from("representative_mandates")
        .and_where(Expr::col("client_id").eq(id))
        .to_owned();
    n += mandate_trajectories::Entity::delete_many()
        .filter(mandate_trajectories::Column::RelatedPersonId.in_subquery(of_client))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    n += mandates::Entity::delete_many()
        .filter(mandates::Column::ClientId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n)
}

/// Removes a trajectory from the mandates that name it. Part of destroying it.
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    Ok(mandate_trajectories::Entity::delete_many()
        .filter(mandate_trajectories::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
