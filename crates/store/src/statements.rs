//! Published versions of the privacy statement (TRN-2, ORG-3): frozen documents, no
//! personal data. A version is inserted once and never changed.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

mod versions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub number: i64,
        pub label: String,
        pub statement_nl: String,
        pub statement_en: String,
        pub card_nl: Option<String>,
        pub card_en: Option<String>,
        pub published_by: Uuid,
        pub published_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A published version; the documents as their JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub number: i64,
    pub label: String,
    pub statement_nl: String,
    pub statement_en: String,
    pub card_nl: Option<String>,
    pub card_en: Option<String>,
    pub published_by: UserId,
    pub published_at: DateTime<Utc>,
}

impl From<versions::Model> for VersionRow {
    fn from(m: versions::Model) -> Self {
        Self {
            number: m.number,
            label: m.label,
            statement_nl: m.statement_nl,
            statement_en: m.statement_en,
            card_nl: m.card_nl,
            card_en: m.card_en,
            published_by: UserId::from_uuid(m.published_by),
            published_at: m.published_at,
        }
    }
}

/// A version as listed: without its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionLine {
    pub number: i64,
    pub label: String,
    pub published_by: UserId,
    pub published_at: DateTime<Utc>,
}

pub async fn insert(tx: &Tx, v: &VersionRow) -> Result<(), StoreError> {
    versions::Entity::insert(versions::ActiveModel {
        number: Set(v.number),
        label: Set(v.label.clone()),
        statement_nl: Set(v.statement_nl.clone()),
        statement_en: Set(v.statement_en.clone()),
        card_nl: Set(v.card_nl.clone()),
        card_en: Set(v.card_en.clone()),
        published_by: Set(v.published_by.as_uuid()),
        published_at: Set(micros(v.published_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

pub async fn get(tx: &Tx, number: i64) -> Result<Option<VersionRow>, StoreError> {
    Ok(versions::Entity::find_by_id(number)
        .one(&tx.inner)
        .await?
        .map(Into::into))
}

/// The newest version, if any was published.
pub async fn latest(tx: &Tx) -> Result<Option<VersionRow>, StoreError> {
    Ok(versions::Entity::find()
        .order_by_desc(versions::Column::Number)
        .limit(1)
        .one(&tx.inner)
        .await?
        .map(Into::into))
}

/// Every version, newest first, without the documents.
pub async fn all(tx: &Tx) -> Result<Vec<VersionLine>, StoreError> {
    Ok(versions::Entity::find()
        .select_only()
        .column(versions::Column::Number)
        .column(versions::Column::Label)
        .column(versions::Column::PublishedBy)
        .column(versions::Column::PublishedAt)
        .order_by_desc(versions::Column::Number)
        .into_tuple::<(i64, String, uuid::Uuid, DateTime<Utc>)>()
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|(number, label, by, at)| VersionLine {
            number,
            label,
            published_by: UserId::from_uuid(by),
            published_at: at,
        })
        .collect())
}
