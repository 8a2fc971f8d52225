//! Consent given in the portal (SHR-1, RTS-10, MIN-1..4): a consent that needs more than
//! one person (a child of 12 to 16 and its parents; both parents of a younger child) is
//! proposed by one of them in the portal and is in force only once every other giver has
//! confirmed it in their own portal account.
//!
//! - `consents.recorded_as`: `staff` (a caseworker recorded a written or in-person
//!   consent; `recorded_by` is a staff member) or `portal` (`recorded_by` is the portal
//!   account that proposed it).
//! - `consents.in_force_from`: the day the consent took effect; null while a giver has
//!   not yet confirmed. A consent recorded by staff takes effect on the day it was given.
//! - `consent_givers.confirmed_at`: when that giver confirmed; null while awaited.
//!
//! Consents recorded before this migration were complete when recorded: they take
//! effect on their `given_on`, their givers confirmed at `recorded_at`.

use sea_orm_migration::prelude::*;

use super::{date_null, time_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0026_consent_confirmations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        m.alter_table(
            Table::alter()
                .table("consents")
                .add_column(
                    ColumnDef::new("recorded_as")
                        .text()
                        .not_null()
                        .default("staff")
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("consents")
                .add_column(date_null("in_force_from"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("consent_givers")
                .add_column(time_null("confirmed_at"))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("UPDATE consents SET in_force_from = given_on")
            .await?;
        db.execute_unprepared(
            "UPDATE consent_givers SET confirmed_at = \
             (SELECT c.recorded_at FROM consents c WHERE c.id = consent_givers.consent_id)",
        )
        .await?;
        Ok(())
    }
}
