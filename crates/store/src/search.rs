//! The blind index: keyed tokens of name prefixes and birth dates, per client.

use zv_domain::ClientId;

use crate::dialect::{exec, query};
use crate::rows::get;
use crate::{StoreError, Tx};

pub async fn replace_tokens(
    tx: &Tx,
    client: ClientId,
    tokens: &[[u8; 16]],
) -> Result<(), StoreError> {
    exec(
        tx,
        "DELETE FROM search_tokens WHERE client_id = ?",
        vec![client.as_uuid().into()],
    )
    .await?;
    for chunk in tokens.chunks(400) {
        let mut sql = String::from("INSERT INTO search_tokens (token, client_id) VALUES ");
        let mut values = Vec::with_capacity(chunk.len() * 2);
        for (i, t) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
            values.push(t.to_vec().into());
            values.push(client.as_uuid().into());
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        exec(tx, &sql, values).await?;
    }
    Ok(())
}

/// Clients that carry every one of the tokens (each typed word must match).
pub async fn find_clients_with_all(
    tx: &Tx,
    tokens: &[[u8; 16]],
) -> Result<Vec<ClientId>, StoreError> {
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; tokens.len()].join(", ");
    let mut values: Vec<sea_orm::Value> = tokens.iter().map(|t| t.to_vec().into()).collect();
    values.push(i64::try_from(tokens.len()).unwrap_or(i64::MAX).into());
    let rows = query(tx, &format!("SELECT client_id FROM search_tokens WHERE token IN ({marks}) GROUP BY client_id HAVING COUNT(DISTINCT token) = ? LIMIT 200"), values).await?;
    rows.iter()
        .map(|r| Ok(ClientId::from_uuid(get(r, "client_id")?)))
        .collect()
}
