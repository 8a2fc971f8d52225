//! The non-identifying facts of a trajectory that anonymous reports count (SHR-5), kept
//! in the clear next to the trajectory's other metadata so that a report never opens a
//! client's sealed data:
//! - `municipality`: the municipality the help is given for (one of the branch's), or
//!   null where it was not recorded;
//! - `age_band`: the policy's age band on the day the trajectory opened
//!   (`under_own_access`, `consultative`, `independent`, `adult`), never the birth date;
//! - `gender`: the gender code (`female`, `male`, `non_binary`, `unknown`).
//!
//! Trajectories opened before this migration have null facts until the report-facts job
//! fills them (it reads the birth date and gender through the gate, recorded).
//!
//! And `report_releases`: every anonymous report handed to a municipality, frozen as it
//! was handed over (the published cells, for the CSV and PDF), with the unrounded counts
//! behind each cell so that a later report can refuse to publish a cell whose difference
//! with a released one would single out a person (SHR-5). Counts only, no personal data.

use sea_orm_migration::prelude::*;

use super::{date, index, text, text_null, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0035_trajectory_report_facts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            text_null("municipality"),
            text_null("age_band"),
            text_null("gender"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("trajectories")
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index(
            "trajectories_report",
            "trajectories",
            &["branch_code", "opened_on"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("report_releases")
                .col(uuid("id").primary_key())
                // `municipality` or `branch`, and its name or code.
                .col(text("scope_kind"))
                .col(text("scope_code"))
                // The municipalities the scope covers, as a JSON list.
                .col(text("municipalities"))
                .col(text_null("service_type"))
                .col(date("period_from"))
                .col(date("period_to"))
                .col(text("recipient"))
                .col(uuid("released_by"))
                .col(time("released_at"))
                // JSON: per cell its key, the published value (null: suppressed) and
                // the count behind it.
                .col(text("cells"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "report_releases_period",
            "report_releases",
            &["period_from", "period_to"],
        ))
        .await?;
        Ok(())
    }
}
