//! What the caseworker withholds from the client's online dossier (POR-2), and the rights
//! requests and complaints a client files from the portal (POR-4), with the references
//! they are acknowledged with.
//!
//! Complaints from the portal go into the one `complaints` table (ACC-3, CMP-1), which
//! so far held only complaints a manager registered about a trajectory and handles. A
//! complaint from the portal has no handler yet and need not be about one trajectory, so
//! `trajectory_id` and `handler_id` become optional; it gains a reference and the body
//! the client wrote. SQLite cannot drop a NOT NULL constraint, so the table is rebuilt
//! the same way on both engines: new table, rows copied, old table dropped, new renamed.

use sea_orm_migration::prelude::*;

use super::{
    blob, blob_null, date, date_null, fk, flag, index, integer, text, text_null, time, time_null,
    uuid, uuid_null,
};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0010_withholdings_requests"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[expect(
        clippy::too_many_lines,
        reason = "the tables of two promises and one rebuilt table, in order"
    )]
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // POR-2. The passage, the explanation, the reason for lifting and the privacy
        // officer's note may all say something about the client or others, so they are
        // sealed with the client's key; scope, ground, flags and dates are not personal
        // content.
        m.create_table(
            Table::create()
                .table("withholdings")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(uuid("entry_id"))
                .col(text("scope"))
                .col(blob_null("passage_ct"))
                .col(text("ground"))
                .col(blob("explanation_ct"))
                .col(flag("hide_fact"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time_null("lifted_at"))
                .col(uuid_null("lifted_by"))
                .col(blob_null("lift_reason_ct"))
                .col(time_null("reviewed_at"))
                .col(uuid_null("reviewed_by"))
                .col(text_null("review_outcome"))
                .col(blob_null("review_note_ct"))
                .foreign_key(&mut fk("withholdings", "client_id", "clients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "withholdings_trajectory",
            "withholdings",
            &["trajectory_id"],
        ))
        .await?;
        m.create_index(index("withholdings_entry", "withholdings", &["entry_id"]))
            .await?;
        m.create_index(index("withholdings_client", "withholdings", &["client_id"]))
            .await?;

        // POR-4 (RTS-1). A reference such as VZ-2026-000123 names a request without
        // naming the person: a prefix, the year and a number from the counter below.
        m.create_table(
            Table::create()
                .table("reference_counters")
                .col(text("prefix"))
                .col(integer("year"))
                .col(integer("last"))
                .primary_key(Index::create().col("prefix").col("year"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rights_requests")
                .col(uuid("id").primary_key())
                .col(text("reference").unique_key())
                .col(uuid("client_id"))
                .col(text("kind"))
                .col(text("scope"))
                .col(text("channel"))
                .col(date("received_on"))
                .col(text("status"))
                .col(blob_null("text_ct"))
                .col(uuid_null("portal_account_id"))
                .col(uuid_null("registered_by"))
                .col(time("created_at"))
                .foreign_key(&mut fk("rights_requests", "client_id", "clients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "rights_requests_client",
            "rights_requests",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("rights_request_trajectories")
                .col(uuid("request_id"))
                .col(uuid("trajectory_id"))
                .primary_key(Index::create().col("request_id").col("trajectory_id"))
                .foreign_key(&mut fk(
                    "rights_request_trajectories",
                    "request_id",
                    "rights_requests",
                    "id",
                ))
                .to_owned(),
        )
        .await?;

        // The complaints table, rebuilt with optional trajectory and handler.
        m.create_table(
            Table::create()
                .table("complaints_v2")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid_null("trajectory_id"))
                .col(date("received_on"))
                .col(text("channel"))
                .col(blob("subject_ct"))
                .col(uuid_null("handler_id"))
                .col(date_null("closed_on"))
                .col(time("created_at"))
                .col(text_null("reference"))
                .col(blob_null("body_ct"))
                .col(uuid_null("portal_account_id"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO complaints_v2 (id, client_id, trajectory_id, received_on, channel, \
                 subject_ct, handler_id, closed_on, created_at) \
                 SELECT id, client_id, trajectory_id, received_on, channel, subject_ct, \
                 handler_id, closed_on, created_at FROM complaints",
            )
            .await?;
        m.drop_table(Table::drop().table("complaints").to_owned())
            .await?;
        m.rename_table(
            Table::rename()
                .table("complaints_v2", "complaints")
                .to_owned(),
        )
        .await?;
        m.create_index(index("complaints_client", "complaints", &["client_id"]))
            .await?;
        // Staff-registered complaints have no reference yet; NULLs do not collide.
        m.create_index(
            Index::create()
                .name("complaints_reference")
                .table("complaints")
                .col("reference")
                .unique()
                .to_owned(),
        )
        .await
    }
}
