//! The meldcode workflow (MLD-1): a case on a trajectory, and its recorded steps
//! (signals with the child check, consultations, the conversation or why it was skipped,
//! the assessment framework's answers, the decision). Each step is also an entry of the
//! dossier (kind `meldcode`) that carries its readable record; the step row keeps the
//! structured record the workflow reasons on, sealed with the client's key as one value.
//! Step kind, order, the shielding flag, who and when are not personal content.

use sea_orm_migration::prelude::*;

use super::{blob, flag, index, integer, text, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0021_meldcode"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("meldcode_cases")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(uuid("started_by"))
                .col(time("started_at"))
                .col(time_null("decided_at"))
                .col(uuid_null("decided_by"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "meldcode_cases_trajectory",
            "meldcode_cases",
            &["trajectory_id"],
        ))
        .await?;
        m.create_index(index(
            "meldcode_cases_client",
            "meldcode_cases",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("meldcode_steps")
                .col(uuid("id").primary_key())
                .col(uuid("case_id"))
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(uuid("entry_id"))
                // `signals`, `consultation`, `conversation`, `answer`, `decision`.
                .col(text("step"))
                .col(integer("position"))
                .col(blob("record_ct"))
                .col(flag("shielded"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("meldcode_steps_case", "meldcode_steps", &["case_id"]))
            .await?;
        m.create_index(index(
            "meldcode_steps_client",
            "meldcode_steps",
            &["client_id"],
        ))
        .await?;
        m.create_index(index(
            "meldcode_steps_entry",
            "meldcode_steps",
            &["entry_id"],
        ))
        .await?;
        Ok(())
    }
}
