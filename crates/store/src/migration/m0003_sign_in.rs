//! Sign-in: server-side sessions, failed attempts for the backoff, recovery codes.

use sea_orm_migration::prelude::*;

use super::{blob, index, integer, text, time, time_null, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0003_sign_in"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The cookie holds a random token; only its hash is stored, so a copy of the
        // database opens no session.
        m.create_table(
            Table::create()
                .table("staff_sessions")
                .col(blob("token_hash").primary_key())
                .col(uuid("user_id"))
                .col(text("stage"))
                .col(text("csrf"))
                .col(time("created_at"))
                .col(time("last_seen_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("staff_sessions_user", "staff_sessions", &["user_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("login_failures")
                .col(text("subject").primary_key())
                .col(integer("failures"))
                .col(time("last_failure_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("recovery_codes")
                .col(uuid("user_id"))
                .col(blob("code_hash"))
                .col(time_null("used_at"))
                .primary_key(Index::create().col("user_id").col("code_hash"))
                .to_owned(),
        )
        .await
    }
}
