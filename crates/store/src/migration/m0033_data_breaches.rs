//! The register of data breaches (TRN-3, GDPR art. 33 and 34; decision 0036).
//!
//! - `data_breaches`: a reference (`DL-2026-0001`); the status (`reported` by a staff
//!   member, `open` once the privacy officer took it up, `closed`); the moment the
//!   organisation became aware (`aware_at`, UTC), from which the 72 hours run; who
//!   reported it and when, and when the reporter noticed it; the period it happened in;
//!   how it was discovered, the facts, the likely consequences, the measures and a contact
//!   point, each sealed with the system key (`*_ct`); the categories of data and of people
//!   concerned as codes, whether special categories are involved, the approximate numbers
//!   of people and records; the decision on notifying the Autoriteit Persoonsgegevens and
//!   on informing the people concerned, each with a sealed reason; the notification (when,
//!   the authority's reference, a sealed reason for a late one) and when the people were
//!   informed; the escalation to the privacy officer (`escalation`: `due_soon` or
//!   `overdue`, and when), so each stage's mail is queued once.

use sea_orm_migration::prelude::*;

use super::{
    blob, blob_null, date_null, flag, index, text, text_null, time, time_null, uuid, uuid_null,
};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0033_data_breaches"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("data_breaches")
                .col(uuid("id").primary_key())
                .col(text("reference"))
                .col(text("status"))
                .col(time("aware_at"))
                .col(uuid("reported_by"))
                .col(time("reported_at"))
                .col(time("noticed_at"))
                .col(date_null("occurred_from"))
                .col(date_null("occurred_to"))
                .col(blob_null("discovered_ct"))
                .col(blob("facts_ct"))
                .col(text("data_categories"))
                .col(flag("special_categories"))
                .col(text("people_categories"))
                .col(
                    ColumnDef::new("people_count")
                        .big_integer()
                        .null()
                        .to_owned(),
                )
                .col(
                    ColumnDef::new("records_count")
                        .big_integer()
                        .null()
                        .to_owned(),
                )
                .col(blob_null("consequences_ct"))
                .col(blob_null("measures_ct"))
                .col(blob_null("contact_ct"))
                .col(text_null("notify_decision"))
                .col(blob_null("notify_reason_ct"))
                .col(text_null("inform_decision"))
                .col(blob_null("inform_reason_ct"))
                .col(uuid_null("decided_by"))
                .col(time_null("decided_at"))
                .col(time_null("notified_at"))
                .col(text_null("ap_reference"))
                .col(blob_null("late_reason_ct"))
                .col(time_null("informed_at"))
                .col(text_null("escalation"))
                .col(time_null("escalated_at"))
                .col(uuid_null("closed_by"))
                .col(time_null("closed_at"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("data_breaches_reference", "data_breaches", &["reference"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "data_breaches_status",
                "data_breaches",
                &["status", "aware_at"],
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "data_breaches_reported_by",
                "data_breaches",
                &["reported_by"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}
