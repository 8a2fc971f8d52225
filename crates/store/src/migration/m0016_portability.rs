//! Data portability (RTS-8, AVG art. 20): the files prepared for a portability request,
//! to the client through the portal or to an organisation the client chose. A file is
//! held sealed with the client's key until its one download or until it expires, like an
//! access copy (m0013); a transfer to an organisation keeps who downloaded it to send it,
//! when, and to whom (the recipient's name sealed, its country in the clear: it is
//! checked against the EEA, SHR-2, and is no one's personal data).

use sea_orm_migration::prelude::*;

use super::{blob_null, index, integer, text, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0016_portability"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("portability_exports")
                .col(uuid("id").primary_key())
                .col(uuid("request_id"))
                .col(uuid("client_id"))
                // `client` or `organisation`.
                .col(text("destination"))
                .col(uuid_null("portal_account_id"))
                .col(blob_null("recipient_name_ct"))
                .col(text_null("recipient_country"))
                .col(uuid("prepared_by"))
                .col(time("prepared_at"))
                .col(time("available_until"))
                .col(blob_null("file_ct"))
                .col(integer("size_bytes"))
                .col(blob_null("link_hash"))
                .col(time_null("link_expires_at"))
                .col(time_null("downloaded_at"))
                .col(uuid_null("downloaded_by"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portability_exports_request",
            "portability_exports",
            &["request_id"],
        ))
        .await?;
        m.create_index(index(
            "portability_exports_client",
            "portability_exports",
            &["client_id"],
        ))
        .await?;
        m.create_index(index(
            "portability_exports_link",
            "portability_exports",
            &["link_hash"],
        ))
        .await?;
        Ok(())
    }
}
