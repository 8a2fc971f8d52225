//! What a granted rights request does (RTS-5, RTS-7, RTS-9, RTS-10).
//!
//! - `trajectories.frozen_since` and `frozen_kind`: the freeze in force on a trajectory
//!   (restriction, upheld objection, or withdrawn consent). They sit on the row the gate
//!   already reads for every dossier view, so the access rules see the freeze without
//!   another query; both are plain columns added in place on either engine.
//! - `processing_stops`: every freeze with its ground, the notice to the client, and the
//!   lift; the history stays when the freeze is lifted.
//! - `objection_decisions` (RTS-9): the privacy officer's balancing, its reasons sealed.
//! - `consent_withdrawals` (RTS-10): when consent was withdrawn and who registered it.
//! - `rectifications` (RTS-5): which factual field was corrected, by whom, when and why,
//!   with the old value sealed with the client's key.

use sea_orm_migration::prelude::*;

use super::{
    blob, blob_null, date, date_null, index, integer, text, text_null, time, time_null, uuid,
    uuid_null,
};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0014_processing_stops"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table("trajectories")
                .add_column(time_null("frozen_since"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("trajectories")
                .add_column(text_null("frozen_kind"))
                .to_owned(),
        )
        .await?;

        // No foreign key to clients: destruction removes these rows with the client
        // (`processing_stops::delete_of_client`), in the same transaction.
        m.create_table(
            Table::create()
                .table("processing_stops")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                // restriction, objection, consent_withdrawn
                .col(text("kind"))
                // For a restriction: contested_accuracy, unlawful_processing,
                // legal_claims, pending_objection.
                .col(text_null("ground"))
                .col(uuid_null("request_id"))
                .col(uuid_null("decision_id"))
                .col(blob("reason_ct"))
                .col(uuid("started_by"))
                .col(time("started_at"))
                .col(date_null("notice_on"))
                .col(text_null("notice_how"))
                .col(uuid_null("notice_by"))
                .col(time_null("notice_at"))
                .col(uuid_null("lifted_by"))
                .col(time_null("lifted_at"))
                .col(blob_null("lift_reason_ct"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "processing_stops_client",
            "processing_stops",
            &["client_id"],
        ))
        .await?;
        m.create_index(index(
            "processing_stops_trajectory",
            "processing_stops",
            &["trajectory_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("objection_decisions")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(uuid_null("request_id"))
                .col(text("legal_basis"))
                .col(blob("situation_ct"))
                .col(blob("grounds_ct"))
                // upheld or rejected
                .col(text("outcome"))
                .col(uuid("decided_by"))
                .col(time("decided_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "objection_decisions_client",
            "objection_decisions",
            &["client_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("consent_withdrawals")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid_null("request_id"))
                .col(date("withdrawn_on"))
                .col(integer("trajectories_frozen"))
                .col(integer("consents_ended"))
                .col(uuid("registered_by"))
                .col(time("registered_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "consent_withdrawals_client",
            "consent_withdrawals",
            &["client_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("rectifications")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid_null("request_id"))
                // name, address, birth_date
                .col(text("field"))
                .col(blob_null("old_value_ct"))
                .col(blob_null("new_value_ct"))
                .col(blob("reason_ct"))
                .col(uuid("corrected_by"))
                .col(time("corrected_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "rectifications_client",
            "rectifications",
            &["client_id"],
        ))
        .await
    }
}
