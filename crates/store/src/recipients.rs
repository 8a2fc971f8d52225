//! The register of outside organisations (SHR-1..3) and the processing agreements of
//! processors. Organisation data, not personal data: no proof is needed to read it, and
//! nothing in it is sealed. Rows are retired, never deleted, so that every disclosure
//! keeps naming the organisation it went to.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

mod register {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recipients")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub country: String,
        pub kind: String,
        pub contact: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub retired_at: Option<DateTimeUtc>,
        pub retired_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod agreements {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "processing_agreements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub recipient_id: Uuid,
        pub reference: String,
        pub signed_on: Date,
        pub valid_from: Date,
        pub valid_until: Option<Date>,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An outside organisation in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub contact: Option<String>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

impl From<register::Model> for RecipientRow {
    fn from(m: register::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            country: m.country,
            kind: m.kind,
            contact: m.contact,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            retired_at: m.retired_at,
        }
    }
}

/// A processor's processing agreement (SHR-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub reference: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

impl From<agreements::Model> for AgreementRow {
    fn from(m: agreements::Model) -> Self {
        Self {
            id: m.id,
            recipient_id: m.recipient_id,
            reference: m.reference,
            signed_on: m.signed_on,
            valid_from: m.valid_from,
            valid_until: m.valid_until,
            recorded_by: UserId::from_uuid(m.recorded_by),
            recorded_at: m.recorded_at,
        }
    }
}

pub async fn insert(tx: &Tx, r: &RecipientRow) -> Result<(), StoreError> {
    register::Entity::insert(register::ActiveModel {
        id: Set(r.id),
        name: Set(r.name.clone()),
        country: Set(r.country.clone()),
        kind: Set(r.kind.clone()),
        contact: Set(r.contact.clone()),
        created_by: Set(r.created_by.as_uuid()),
        created_at: Set(micros(r.created_at)),
        retired_at: Set(None),
        retired_by: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Changes an organisation's name, country, kind or contact.
pub async fn update(tx: &Tx, r: &RecipientRow) -> Result<bool, StoreError> {
    let res = register::Entity::update_many()
        .col_expr(register::Column::Name, r.name.clone().into())
        .col_expr(register::Column::Country, r.country.clone().into())
        .col_expr(register::Column::Kind, r.kind.clone().into())
        .col_expr(register::Column::Contact, r.contact.clone().into())
        .filter(register::Column::Id.eq(r.id))
        .filter(register::Column::RetiredAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Takes an organisation out of use; its past disclosures keep naming it.
pub async fn retire(tx: &Tx, id: Uuid, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let res = register::Entity::update_many()
        .col_expr(register::Column::RetiredAt, Some(micros(at)).into())
        .col_expr(register::Column::RetiredBy, Some(by.as_uuid()).into())
        .filter(register::Column::Id.eq(id))
        .filter(register::Column::RetiredAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn get(tx: &Tx, id: Uuid) -> Result<Option<RecipientRow>, StoreError> {
    Ok(register::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(RecipientRow::from))
}

/// The whole register, retired organisations included, by name.
pub async fn all(tx: &Tx) -> Result<Vec<RecipientRow>, StoreError> {
    Ok(register::Entity::find()
        .order_by_asc(register::Column::Name)
        .order_by_asc(register::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(RecipientRow::from)
        .collect())
}

pub async fn insert_agreement(tx: &Tx, a: &AgreementRow) -> Result<(), StoreError> {
    agreements::Entity::insert(agreements::ActiveModel {
        id: Set(a.id),
        recipient_id: Set(a.recipient_id),
        reference: Set(a.reference.clone()),
        signed_on: Set(a.signed_on),
        valid_from: Set(a.valid_from),
        valid_until: Set(a.valid_until),
        recorded_by: Set(a.recorded_by.as_uuid()),
        recorded_at: Set(micros(a.recorded_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every agreement on record, newest first within each recipient.
pub async fn all_agreements(tx: &Tx) -> Result<Vec<AgreementRow>, StoreError> {
    Ok(agreements::Entity::find()
        .order_by_asc(agreements::Column::RecipientId)
        .order_by_desc(agreements::Column::ValidFrom)
        .order_by_asc(agreements::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(AgreementRow::from)
        .collect())
}

pub async fn agreements_of(tx: &Tx, recipient: Uuid) -> Result<Vec<AgreementRow>, StoreError> {
    Ok(agreements::Entity::find()
        .filter(agreements::Column::RecipientId.eq(recipient))
        .order_by_desc(agreements::Column::ValidFrom)
        .order_by_asc(agreements::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(AgreementRow::from)
        .collect())
}
