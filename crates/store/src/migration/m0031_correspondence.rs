//! The correspondence register (RET-3): letters, contact-form messages, e-mails and calls,
//! registered with their handling status and kept until handled plus the policy's term.
//!
//! - `correspondence`: kind (`letter`, `contact_form`, `email`, `call`), direction
//!   (`incoming`, `outgoing`), the day it came in or went out; the correspondent's name,
//!   the contact detail (address, e-mail address or telephone number), the subject, a
//!   summary and the outcome, each sealed with the system key (`*_ct`); the team it is
//!   assigned to; status (`open`, `handled`), who handled it and on which day;
//!   `keep_until`, the last day it is kept under the policy's rule, set when it is handled
//!   and cleared when it is reopened, so an open item has none and is never due.

use sea_orm_migration::prelude::*;

use super::{blob, blob_null, date, date_null, index, text, text_null, time, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0031_correspondence"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("correspondence")
                .col(uuid("id").primary_key())
                .col(text("kind"))
                .col(text("direction"))
                .col(date("received_on"))
                .col(blob("correspondent_ct"))
                .col(blob_null("contact_ct"))
                .col(blob("subject_ct"))
                .col(blob_null("summary_ct"))
                .col(text_null("team_code"))
                .col(text("status"))
                .col(uuid_null("handled_by"))
                .col(date_null("handled_on"))
                .col(blob_null("outcome_ct"))
                .col(date_null("keep_until"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "correspondence_keep_until",
                "correspondence",
                &["keep_until"],
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "correspondence_status",
                "correspondence",
                &["status", "received_on"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}
