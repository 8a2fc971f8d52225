//! Related persons of a client: parents, guardians, representatives, family members.

use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use zv_domain::RelatedPersonId;

use crate::entity::related_persons::{ActiveModel, Column, Entity};
use crate::rows::micros;
use crate::rows::{NewRelatedPerson, RelatedPersonRow};
use crate::{Authorized, StoreError, Tx, bulk};

pub(crate) fn active(p: &NewRelatedPerson) -> ActiveModel {
    ActiveModel {
        id: Set(p.id.as_uuid()),
        client_id: Set(p.client_id.as_uuid()),
        relation: Set(p.relation.clone()),
        name_ct: Set(p.name_ct.clone()),
        birth_date_ct: Set(p.birth_date_ct.clone()),
        phone_ct: Set(p.phone_ct.clone()),
        email_ct: Set(p.email_ct.clone()),
        address_ct: Set(p.address_ct.clone()),
        authority_since: Set(p.authority_since),
        mandate_ct: Set(p.mandate_ct.clone()),
        linked_client_id: Set(p.linked_client_id.map(|c| c.as_uuid())),
        created_at: Set(micros(p.created_at)),
    }
}

pub async fn insert(tx: &Tx, p: &NewRelatedPerson) -> Result<(), StoreError> {
    Entity::insert(active(p))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn insert_many(tx: &Tx, persons: &[NewRelatedPerson]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, persons.iter().map(active).collect()).await
}

/// The related persons of the client the proof was minted for.
pub async fn of_client(tx: &Tx, auth: &Authorized) -> Result<Vec<RelatedPersonRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(RelatedPersonRow::from)
        .collect())
}

/// Replaces a related person's sealed birth date (a correction).
pub async fn set_birth_date(
    tx: &Tx,
    id: RelatedPersonId,
    birth_date_ct: Vec<u8>,
) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    let n = Entity::update_many()
        .col_expr(Column::BirthDateCt, Expr::value(birth_date_ct))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// One related person, if it belongs to the proof's client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: RelatedPersonId,
) -> Result<Option<RelatedPersonRow>, StoreError> {
    let Some(m) = Entity::find_by_id(id.as_uuid()).one(&tx.inner).await? else {
        return Ok(None);
    };
    auth.check(zv_domain::ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.into()))
}
