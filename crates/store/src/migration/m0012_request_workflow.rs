//! The privacy officer's handling of a rights request (RTS-1..3, and the outcome of every
//! request type): how identity was established, the first reaction, the extension, the
//! decision with its reasons and the day the answer was sent, and whether an overdue
//! request was escalated.
//!
//! One row per request in a table of its own rather than columns added to
//! `rights_requests`: SQLite adds columns one statement at a time, and a request that was
//! filed before this migration simply has no row yet (nothing recorded). Reasons, notes
//! and the extension's reasons can say something about the client, so they are sealed
//! with the client's key; methods, dates and outcome codes are not personal content.

use sea_orm_migration::prelude::*;

use super::{blob_null, date_null, fk, index, text_null, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0012_request_workflow"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rights_request_workflow")
                .col(uuid("request_id").primary_key())
                // RTS-2: how identity was established, on which day, recorded by whom
                // (none for a portal filing: the sign-in with the second factor).
                .col(text_null("identity_method"))
                .col(date_null("identity_on"))
                .col(uuid_null("identity_recorded_by"))
                .col(time_null("identity_recorded_at"))
                .col(blob_null("identity_note_ct"))
                // RTS-3: the first reaction, and the extension with its reasons.
                .col(date_null("responded_on"))
                .col(uuid_null("responded_by"))
                .col(date_null("extended_on"))
                .col(blob_null("extension_reasons_ct"))
                .col(uuid_null("extended_by"))
                // The decision, its reasons and the day the answer was sent.
                .col(text_null("outcome"))
                .col(blob_null("outcome_reasons_ct"))
                .col(date_null("answer_sent_on"))
                .col(uuid_null("decided_by"))
                .col(time_null("decided_at"))
                // Escalated once when overdue; the notice shows while the request is open.
                .col(time_null("escalated_at"))
                .foreign_key(&mut fk(
                    "rights_request_workflow",
                    "request_id",
                    "rights_requests",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "rights_requests_status",
            "rights_requests",
            &["status"],
        ))
        .await
    }
}
