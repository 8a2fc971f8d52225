//! Keeping data longer than its term (RET-5).
//!
//! - `retention_extensions`: a new end date for one trajectory's dossier with the reason,
//!   who decided and when. A later extension supersedes the earlier one
//!   (`superseded_at`), so the history stays and exactly one is current.
//! - `retention_holds`: a hold on one trajectory or on all of a client's trajectories
//!   (`trajectory_id` empty): a legal claim or an incident under investigation, with who
//!   placed and who released it. While a hold is open nothing it covers is destroyed.
//!
//! Open rights requests and open complaints hold a dossier too, but are read live from
//! their own tables, never copied here, so they cannot go stale.
//!
//! Reasons are written without naming the client (the forms say so): the privacy
//! officer's destruction schedule shows them without opening any dossier. No foreign
//! keys: destruction removes these rows with the trajectory or client in its transaction.

use sea_orm_migration::prelude::*;

use super::{date, index, text, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0023_retention_keep_longer"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("retention_extensions")
                .col(uuid("id").primary_key())
                .col(uuid("trajectory_id"))
                .col(uuid("client_id"))
                .col(date("extended_until"))
                .col(text("reason"))
                .col(uuid("decided_by"))
                .col(time("decided_at"))
                .col(time_null("superseded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "retention_extensions_trajectory",
            "retention_extensions",
            &["trajectory_id"],
        ))
        .await?;
        m.create_index(index(
            "retention_extensions_client",
            "retention_extensions",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("retention_holds")
                .col(uuid("id").primary_key())
                .col(uuid_null("trajectory_id"))
                .col(uuid("client_id"))
                .col(text("kind"))
                .col(text("reason"))
                .col(uuid("placed_by"))
                .col(time("placed_at"))
                .col(uuid_null("released_by"))
                .col(time_null("released_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "retention_holds_trajectory",
            "retention_holds",
            &["trajectory_id"],
        ))
        .await?;
        m.create_index(index(
            "retention_holds_client",
            "retention_holds",
            &["client_id"],
        ))
        .await?;
        Ok(())
    }
}
