//! Newsletter contacts, their subscriptions and the objections left of unsubscribed ones
//! (NWS-1, m0028). Contacts are people at partner organisations, not clients: no client's
//! proof covers them, so the core's gate decides and records every read before it calls
//! these functions; their data is sealed with the system key by the core.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

mod contacts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "newsletter_contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name_ct: Vec<u8>,
        pub organisation_ct: Vec<u8>,
        pub email_ct: Vec<u8>,
        pub email_hash: Vec<u8>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod subscriptions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "newsletter_subscriptions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub contact_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub newsletter: String,
        pub since: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod objections {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "newsletter_objections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub email_hash: Vec<u8>,
        pub objected_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A contact to add, with the newsletters it receives from now on.
#[derive(Clone, PartialEq, Eq)]
pub struct NewContact {
    pub id: Uuid,
    pub name_ct: Vec<u8>,
    pub organisation_ct: Vec<u8>,
    pub email_ct: Vec<u8>,
    pub email_hash: Vec<u8>,
    pub newsletters: Vec<String>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewContact({}, ***)", self.id)
    }
}

/// A contact as stored, with its subscriptions (newsletter code and since when).
#[derive(Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: Uuid,
    pub name_ct: Vec<u8>,
    pub organisation_ct: Vec<u8>,
    pub email_ct: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub subscriptions: Vec<(String, DateTime<Utc>)>,
}

impl std::fmt::Debug for ContactRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContactRow({}, ***)", self.id)
    }
}

pub async fn insert_contact(tx: &Tx, c: &NewContact) -> Result<(), StoreError> {
    contacts::Entity::insert(contacts::ActiveModel {
        id: Set(c.id),
        name_ct: Set(c.name_ct.clone()),
        organisation_ct: Set(c.organisation_ct.clone()),
        email_ct: Set(c.email_ct.clone()),
        email_hash: Set(c.email_hash.clone()),
        created_by: Set(c.created_by.as_uuid()),
        created_at: Set(micros(c.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    for n in &c.newsletters {
        subscriptions::Entity::insert(subscriptions::ActiveModel {
            contact_id: Set(c.id),
            newsletter: Set(n.clone()),
            since: Set(micros(c.created_at)),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

/// Whether a contact with this address hash exists.
pub async fn email_known(tx: &Tx, email_hash: &[u8]) -> Result<bool, StoreError> {
    Ok(contacts::Entity::find()
        .filter(contacts::Column::EmailHash.eq(email_hash.to_vec()))
        .count(&tx.inner)
        .await?
        > 0)
}

/// When the address objected to newsletters, if it did.
pub async fn objected_at(tx: &Tx, email_hash: &[u8]) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(objections::Entity::find_by_id(email_hash.to_vec())
        .one(&tx.inner)
        .await?
        .map(|o| o.objected_at))
}

async fn with_subscriptions(
    tx: &Tx,
    rows: Vec<contacts::Model>,
) -> Result<Vec<ContactRow>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut subs: HashMap<Uuid, Vec<(String, DateTime<Utc>)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for s in subscriptions::Entity::find()
            .filter(subscriptions::Column::ContactId.is_in(chunk.to_vec()))
            .order_by_asc(subscriptions::Column::Newsletter)
            .all(&tx.inner)
            .await?
        {
            subs.entry(s.contact_id)
                .or_default()
                .push((s.newsletter, s.since));
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| ContactRow {
            subscriptions: subs.remove(&m.id).unwrap_or_default(),
            id: m.id,
            name_ct: m.name_ct,
            organisation_ct: m.organisation_ct,
            email_ct: m.email_ct,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
        })
        .collect())
}

/// Every contact, oldest first (the core sorts what it opened).
pub async fn contacts(tx: &Tx) -> Result<Vec<ContactRow>, StoreError> {
    let rows = contacts::Entity::find()
        .order_by_asc(contacts::Column::CreatedAt)
        .order_by_asc(contacts::Column::Id)
        .all(&tx.inner)
        .await?;
    with_subscriptions(tx, rows).await
}

/// One contact.
pub async fn contact(tx: &Tx, id: Uuid) -> Result<Option<ContactRow>, StoreError> {
    let Some(row) = contacts::Entity::find_by_id(id).one(&tx.inner).await? else {
        return Ok(None);
    };
    Ok(with_subscriptions(tx, vec![row]).await?.pop())
}

/// The contacts subscribed to a newsletter: its mailing list.
pub async fn subscribers(tx: &Tx, newsletter: &str) -> Result<Vec<ContactRow>, StoreError> {
    let ids: Vec<Uuid> = subscriptions::Entity::find()
        .filter(subscriptions::Column::Newsletter.eq(newsletter))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|s| s.contact_id)
        .collect();
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            contacts::Entity::find()
                .filter(contacts::Column::Id.is_in(chunk.to_vec()))
                .all(&tx.inner)
                .await?,
        );
    }
    rows.sort_by_key(|r| (r.created_at, r.id));
    with_subscriptions(tx, rows).await
}

/// Removes a contact with its subscriptions and records the objection of its address,
/// in the caller's transaction. Rows removed per table; empty when the contact was gone
/// already (a second click on the link).
pub async fn unsubscribe(
    tx: &Tx,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<std::collections::BTreeMap<String, u64>>, StoreError> {
    let Some(row) = contacts::Entity::find_by_id(id).one(&tx.inner).await? else {
        return Ok(None);
    };
    let subs = subscriptions::Entity::delete_many()
        .filter(subscriptions::Column::ContactId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let contact = contacts::Entity::delete_by_id(id)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if objections::Entity::find_by_id(row.email_hash.clone())
        .one(&tx.inner)
        .await?
        .is_none()
    {
        objections::Entity::insert(objections::ActiveModel {
            email_hash: Set(row.email_hash),
            objected_at: Set(micros(at)),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(Some(
        [
            ("newsletter_contacts".to_owned(), contact),
            ("newsletter_subscriptions".to_owned(), subs),
        ]
        .into_iter()
        .collect(),
    ))
}
