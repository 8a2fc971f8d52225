//! The client portal (POR-1): invitations, the clients' own accounts, their sessions and
//! recovery codes. Apart from the staff tables, so a portal session can never be taken
//! for a staff one, whatever a cookie holds.

use sea_orm_migration::prelude::*;

use super::{blob, fk, flag, index, text, time, time_null, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0008_portal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The code is shown once to the caseworker who hands it over; only its SHA-256
        // is kept. A used invitation keeps its row with `used_at`, so a second use is
        // told apart from a mistyped code.
        m.create_table(
            Table::create()
                .table("portal_invitations")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(blob("code_hash").unique_key())
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time("expires_at"))
                .col(time_null("used_at"))
                .foreign_key(&mut fk("portal_invitations", "client_id", "clients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_invitations_client",
            "portal_invitations",
            &["client_id"],
        ))
        .await?;
        // One account per client. The username a client chooses may well be their name,
        // so it is kept only as a keyed blind-index token (16 bytes), never as text.
        m.create_table(
            Table::create()
                .table("portal_accounts")
                .col(uuid("id").primary_key())
                .col(uuid("client_id").unique_key())
                .col(
                    ColumnDef::new("username_token")
                        .binary_len(16)
                        .not_null()
                        .unique_key()
                        .to_owned(),
                )
                .col(text("password_hash"))
                .col(blob("totp_secret_ct"))
                .col(flag("totp_confirmed"))
                .col(ColumnDef::new("totp_last_step").big_integer().null())
                .col(time("created_at"))
                .foreign_key(&mut fk("portal_accounts", "client_id", "clients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("portal_sessions")
                .col(blob("token_hash").primary_key())
                .col(uuid("account_id"))
                .col(text("stage"))
                .col(text("csrf"))
                .col(time("created_at"))
                .col(time("last_seen_at"))
                .foreign_key(&mut fk(
                    "portal_sessions",
                    "account_id",
                    "portal_accounts",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_sessions_account",
            "portal_sessions",
            &["account_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("portal_recovery_codes")
                .col(uuid("account_id"))
                .col(blob("code_hash"))
                .col(time_null("used_at"))
                .primary_key(Index::create().col("account_id").col("code_hash"))
                .foreign_key(&mut fk(
                    "portal_recovery_codes",
                    "account_id",
                    "portal_accounts",
                    "id",
                ))
                .to_owned(),
        )
        .await
    }
}
