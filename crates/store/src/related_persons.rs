//! Related persons of a client.

use zv_domain::{ClientId, RelatedPersonId};

use crate::dialect::{exec, query};
use crate::rows::{NewRelatedPerson, RelatedPersonRow, get};
use crate::{Authorized, StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO related_persons (id, client_id, relation, name_ct, birth_date_ct, phone_ct, email_ct, address_ct, authority_since, mandate_ct, linked_client_id, created_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) fn values(p: &NewRelatedPerson) -> Vec<sea_orm::Value> {
    vec![
        p.id.as_uuid().into(),
        p.client_id.as_uuid().into(),
        p.relation.clone().into(),
        p.name_ct.clone().into(),
        p.birth_date_ct.clone().into(),
        p.phone_ct.clone().into(),
        p.email_ct.clone().into(),
        p.address_ct.clone().into(),
        p.authority_since.into(),
        p.mandate_ct.clone().into(),
        p.linked_client_id.map(|c| c.as_uuid()).into(),
        p.created_at.into(),
    ]
}

pub async fn insert(tx: &Tx, p: &NewRelatedPerson) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(p)).await?;
    Ok(())
}

pub async fn of_client(tx: &Tx, auth: &Authorized) -> Result<Vec<RelatedPersonRow>, StoreError> {
    let client = auth.client_id();
    query(
        tx,
        "SELECT * FROM related_persons WHERE client_id = ? ORDER BY created_at",
        vec![client.as_uuid().into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(RelatedPersonRow {
            id: RelatedPersonId::from_uuid(get(r, "id")?),
            client_id: client,
            relation: get(r, "relation")?,
            name_ct: get(r, "name_ct")?,
            birth_date_ct: get(r, "birth_date_ct")?,
            phone_ct: get(r, "phone_ct")?,
            email_ct: get(r, "email_ct")?,
            address_ct: get(r, "address_ct")?,
            authority_since: get(r, "authority_since")?,
            mandate_ct: get(r, "mandate_ct")?,
            linked_client_id: get::<Option<uuid::Uuid>>(r, "linked_client_id")?
                .map(ClientId::from_uuid),
            created_at: get(r, "created_at")?,
        })
    })
    .collect()
}
