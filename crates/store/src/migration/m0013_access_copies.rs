//! The access copy of a rights request (RTS-4, TRN-1): what the privacy officer prepared,
//! held sealed with the client's key until the one-time download or until it expires,
//! and which personal work notes (DOS-2) the privacy officer released into it.
//!
//! No foreign key to `clients`: destruction removes these rows with the client's others
//! (`access_copies::delete_of_client`), and a key that is gone makes a copy left behind
//! unreadable anyway.

use sea_orm_migration::prelude::*;

use super::{blob, blob_null, index, integer, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0013_access_copies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The bundle (PDF, JSON and attachments in one ZIP) is ciphertext under the
        // client's key; it is emptied once downloaded or expired. The link is stored as
        // a hash only: the token itself is shown once, to the account that asked for it.
        m.create_table(
            Table::create()
                .table("access_copies")
                .col(uuid("id").primary_key())
                .col(uuid("request_id"))
                .col(uuid("client_id"))
                .col(uuid_null("portal_account_id"))
                .col(integer("copy_number"))
                .col(uuid("prepared_by"))
                .col(time("prepared_at"))
                .col(time("available_until"))
                .col(blob_null("bundle_ct"))
                .col(integer("size_bytes"))
                .col(blob_null("link_hash"))
                .col(time_null("link_expires_at"))
                .col(time_null("downloaded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "access_copies_request",
            "access_copies",
            &["request_id"],
        ))
        .await?;
        m.create_index(index(
            "access_copies_client",
            "access_copies",
            &["client_id"],
        ))
        .await?;
        m.create_index(index("access_copies_link", "access_copies", &["link_hash"]))
            .await?;
        // DOS-2: a work note is in a copy only where the privacy officer released it for
        // that request, with a reason (sealed: it may describe the note).
        m.create_table(
            Table::create()
                .table("access_copy_note_releases")
                .col(uuid("request_id"))
                .col(uuid("work_note_id"))
                .col(uuid("client_id"))
                .col(blob("reason_ct"))
                .col(uuid("released_by"))
                .col(time("released_at"))
                .primary_key(Index::create().col("request_id").col("work_note_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "access_copy_note_releases_client",
            "access_copy_note_releases",
            &["client_id"],
        ))
        .await?;
        Ok(())
    }
}
