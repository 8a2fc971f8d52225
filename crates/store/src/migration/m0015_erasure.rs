//! Erasure requests (RTS-6).
//!
//! - `erasure_parts`: the privacy officer's decision on each part of an erasure request
//!   (a trajectory, or the client's own record): grant or refuse, the reason code the
//!   assessment or the officer gave, the officer's own words sealed with the client's
//!   key, and when a granted part was destroyed. A granted part without `destroyed_at`
//!   is pending: the page shows it and the next submit finishes it.
//! - `erasure_proofs`: what remains of an erasure request once the client's record is
//!   destroyed too (destruction removes the client's rights requests): reference, kind,
//!   dates and outcome, no personal data.
//!
//! No foreign keys: the parts outlive the trajectories they name (that is their point).

use sea_orm_migration::prelude::*;

use super::{blob_null, date, date_null, index, integer, text, time, time_null, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0015_erasure"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("erasure_parts")
                .col(uuid("request_id"))
                // trajectory, client
                .col(text("part_kind"))
                .col(uuid("subject_id"))
                .col(uuid("client_id"))
                // grant, refuse
                .col(text("proposal"))
                .col(text("decision"))
                .col(text("reason_code"))
                .col(blob_null("reason_ct"))
                .col(date_null("destroy_by"))
                .col(uuid("decided_by"))
                .col(time("decided_at"))
                .col(time_null("destroyed_at"))
                .primary_key(
                    Index::create()
                        .col("request_id")
                        .col("part_kind")
                        .col("subject_id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "erasure_parts_client",
            "erasure_parts",
            &["client_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("erasure_proofs")
                .col(uuid("request_id").primary_key())
                .col(text("reference"))
                .col(text("kind"))
                .col(date("received_on"))
                .col(text("outcome"))
                .col(date("answer_sent_on"))
                .col(integer("parts_granted"))
                .col(integer("parts_refused"))
                .col(time("client_destroyed_at"))
                .to_owned(),
        )
        .await
    }
}
