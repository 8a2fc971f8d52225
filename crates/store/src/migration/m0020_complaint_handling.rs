//! Complaints handled end to end (CMP-1, ACC-3) and recordings in a dossier (SEC-3).
//!
//! - `complaints` gains who assigned it and when, and its decision: the outcome
//!   (`upheld`, `partly_upheld`, `not_upheld`, `withdrawn`), the reasons sealed with the
//!   client's key (what the organisation concluded about the client's care is personal
//!   data), the day and who decided. Which trajectories a complaint concerns is the set
//!   of complaint grants bound to it (`access_grants.complaint_id`), one per trajectory.
//! - `complaint_steps`: what was done while handling it, on which day, by whom; the text
//!   is sealed with the client's key.
//! - `recording_agreements`: the recorded agreement of those recorded in an image or
//!   sound recording attached to an entry (SEC-3): who (sealed, with how each agreed) and
//!   on which day. One per attachment; removed with the attachment.
//!
//! No foreign keys: destruction removes these rows with the client in its transaction.

use sea_orm_migration::prelude::*;

use super::{blob, blob_null, date, date_null, index, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0020_complaint_handling"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            uuid_null("assigned_by"),
            time_null("assigned_at"),
            text_null("decision"),
            blob_null("decision_reasons_ct"),
            date_null("decided_on"),
            uuid_null("decided_by"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("complaints")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("complaint_steps")
                .col(uuid("id").primary_key())
                .col(uuid("complaint_id"))
                .col(uuid("client_id"))
                .col(date("taken_on"))
                .col(uuid("recorded_by"))
                .col(blob("text_ct"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "complaint_steps_complaint",
            "complaint_steps",
            &["complaint_id"],
        ))
        .await?;
        m.create_index(index(
            "complaint_steps_client",
            "complaint_steps",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("recording_agreements")
                .col(uuid("attachment_id").primary_key())
                .col(uuid("client_id"))
                .col(blob("persons_ct"))
                .col(date("agreed_on"))
                .col(uuid("recorded_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "recording_agreements_client",
            "recording_agreements",
            &["client_id"],
        ))
        .await?;
        Ok(())
    }
}
