//! The mail outbox: notifications written in the same transaction as the event that
//! causes them, delivered later by the sender (decision 0009).

use sea_orm_migration::prelude::*;

use super::{index, text, text_null, time, time_null, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0007_mail_outbox"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A row is never deleted by the sender: an unsent mail stays until it is sent, and
        // a sent one keeps `sent_at` as the record that the notification went out. The
        // body is plain text written without client data; `last_error` is a short
        // category and an SMTP reply code, never the server's words (which may quote an
        // address).
        m.create_table(
            Table::create()
                .table("mail_outbox")
                .col(uuid("id").primary_key())
                .col(time("created_at"))
                .col(text("recipient"))
                .col(text("subject"))
                .col(text("body"))
                .col(text("kind"))
                .col(
                    ColumnDef::new("attempts")
                        .integer()
                        .not_null()
                        .default(0)
                        .to_owned(),
                )
                .col(text_null("last_error"))
                .col(time("next_attempt_at"))
                .col(time_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "mail_outbox_due",
            "mail_outbox",
            &["sent_at", "next_attempt_at"],
        ))
        .await
    }
}
