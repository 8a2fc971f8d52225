//! The blind index: keyed tokens (HMAC, computed by the core) of name prefixes and birth
//! dates, per client. The store sees only opaque 16-byte tokens, and a lookup returns
//! client ids, no personal data, so neither side needs a proof.

use std::collections::BTreeSet;

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::ClientId;

use crate::entity::search_tokens::{ActiveModel, Column, Entity};
use crate::{StoreError, Tx, bulk};

fn active(token: &[u8; 16], client: ClientId) -> ActiveModel {
    ActiveModel {
        token: Set(token.to_vec()),
        client_id: Set(client.as_uuid()),
    }
}

/// Replaces all tokens of a client (after an intake or a change of name or birth date).
pub async fn replace_tokens(
    tx: &Tx,
    client: ClientId,
    tokens: &[[u8; 16]],
) -> Result<(), StoreError> {
    Entity::delete_many()
        .filter(Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?;
    let unique: BTreeSet<&[u8; 16]> = tokens.iter().collect();
    bulk::insert_all(tx, unique.into_iter().map(|t| active(t, client)).collect()).await?;
    Ok(())
}

/// Bulk insert of (token, client) pairs for clients that have no tokens yet (demo load).
/// Duplicate pairs are dropped.
pub async fn insert_many(tx: &Tx, tokens: &[([u8; 16], ClientId)]) -> Result<u64, StoreError> {
    // In client order, as clients arrive one at a time in use: a client's rows then lie
    // together in the table, and destroying it rewrites a page or two of the table
    // instead of one per token (the demo's bulk loads had them in token order).
    let unique: BTreeSet<(ClientId, &[u8; 16])> = tokens.iter().map(|(t, c)| (*c, t)).collect();
    bulk::insert_all(tx, unique.into_iter().map(|(c, t)| active(t, c)).collect()).await
}

/// The first `limit` clients, in id order, that carry every one of the tokens (each
/// typed word must match). Returns ids only; the caller filters them through the access
/// rules.
///
/// The first token's range of the primary key is walked in client order and each other
/// token is a key lookup per client, so the query stops after `limit` matches: a
/// two-letter prefix that thousands of clients share costs no more than a rare one.
pub async fn find_clients_with_all(
    tx: &Tx,
    tokens: &[[u8; 16]],
    limit: u64,
) -> Result<Vec<ClientId>, StoreError> {
    let mut unique = tokens.iter().collect::<BTreeSet<_>>().into_iter();
    let Some(first) = unique.next() else {
        return Ok(Vec::new());
    };
    let mut query = Entity::find()
        .select_only()
        .column(Column::ClientId)
        .filter(Column::Token.eq(first.to_vec()));
    for (i, token) in unique.enumerate() {
        let other = Alias::new(format!("also_{i}"));
        query = query.filter(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(Entity, other.clone())
                .and_where(Expr::col((other.clone(), Column::Token)).eq(token.to_vec()))
                .and_where(Expr::col((other, Column::ClientId)).equals((Entity, Column::ClientId)))
                .to_owned(),
        ));
    }
    let ids = query
        .order_by_asc(Column::ClientId)
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(&tx.inner)
        .await?;
    Ok(ids.into_iter().map(ClientId::from_uuid).collect())
}
