//! API tokens: bearer tokens a staff member creates for an integration, scoped and
//! expiring, revoked by their owner.

use sea_orm_migration::prelude::*;

use super::{blob, index, text, time, time_null, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0006_api_tokens"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Like a session, the token itself is shown once and never stored: only its
        // SHA-256, so a copy of the database opens nothing. `scopes` is a space-separated
        // list of scope codes. A revoked token keeps its row (with `revoked_at`), so its
        // owner still sees what it was and when it ended.
        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(uuid("id").primary_key())
                .col(uuid("user_id"))
                .col(text("name"))
                .col(blob("token_hash").unique_key())
                .col(text("scopes"))
                .col(time("created_at"))
                .col(time("expires_at"))
                .col(time_null("revoked_at"))
                .col(time_null("last_used_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("api_tokens_user", "api_tokens", &["user_id"]))
            .await
    }
}
