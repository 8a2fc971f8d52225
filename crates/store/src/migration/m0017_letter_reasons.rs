//! The facts behind the reasons the system states itself (issue 5 item 10): a decision
//! letter for an erasure or a portability request gives its reasons in the letter's
//! language and names each trajectory by its service and opening day, so those facts
//! are kept at decision time (a granted erasure destroys the trajectory it names).
//!
//! - `erasure_parts.subject_ct`: a trajectory part's service type and opening day,
//!   sealed with the client's key (which help someone received is personal data); removed
//!   with the sealed reasons when the client's record is destroyed.
//! - `portability_decisions`: the trajectories a portability decision's generated
//!   reasons rest on (service type, opening day, legal basis, in the file or not), one
//!   sealed value per request; absent when the privacy officer wrote the reasons. No
//!   foreign key: destruction removes it with the client, in the same transaction.

use sea_orm_migration::prelude::*;

use super::{blob, blob_null, index, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0017_letter_reasons"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("erasure_parts")
                .add_column(blob_null("subject_ct"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("portability_decisions")
                .col(uuid("request_id").primary_key())
                .col(uuid("client_id"))
                .col(blob("facts_ct"))
                .col(time("decided_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portability_decisions_client",
            "portability_decisions",
            &["client_id"],
        ))
        .await?;
        Ok(())
    }
}
