//! The retention sweep (RET-4, RET-6):
//! - `anonymised_facts`: what an anonymised trajectory leaves for the reports to
//!   municipalities and research (SHR-5): service type, branch and municipality, year,
//!   age band and the outcome of goals. No id of the client or trajectory, no date finer
//!   than a year, nothing that leads back to the person.
//! - `job_leases`: one row per running job, so two sweeps never run at once (the second
//!   waits or does nothing); a lease expires, so a killed run does not block forever.
//! - the destruction register's columns on `destruction_records`: the outcome (destroyed
//!   or anonymised), the day the term ended, and which job did it.

use sea_orm_migration::prelude::*;

use super::{date_null, index, integer, text, text_null, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0024_retention_sweep"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("anonymised_facts")
                .col(uuid("id").primary_key())
                .col(text("service_type"))
                .col(text("branch_code"))
                .col(text_null("municipality"))
                // The year the help ended.
                .col(integer("year"))
                // The policy's age band at the start of the help (`adult`, ...).
                .col(text_null("age_band"))
                .col(integer("goals"))
                .col(integer("goals_reached"))
                .col(text("rule"))
                // The day of anonymisation; the register says what went that day.
                .col(ColumnDef::new("anonymised_on").date().not_null().to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "anonymised_facts_year",
            "anonymised_facts",
            &["year", "service_type"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("job_leases")
                .col(text("job").primary_key())
                .col(uuid("holder"))
                .col(time("until"))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per ALTER TABLE.
        for col in [
            text_null("outcome"),
            date_null("term_ended_on"),
            text_null("by_job"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("destruction_records")
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index(
            "destruction_records_at",
            "destruction_records",
            &["at"],
        ))
        .await?;
        Ok(())
    }
}
