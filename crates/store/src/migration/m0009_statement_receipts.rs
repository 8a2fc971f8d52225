//! Which privacy statement a client was given (ORG-3): the version, whether the
//! statement and (where the organisation hands one out, as Blijf Groep does) the privacy
//! card were given, on which day, and who recorded it. No personal content: a version
//! text, two flags and a date per client.

use sea_orm_migration::prelude::*;

use super::{date, fk, flag, index, text, time, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0009_statement_receipts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("statement_receipts")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(text("statement_version"))
                .col(flag("statement_given"))
                .col(flag("privacy_card_given"))
                .col(date("given_on"))
                .col(uuid_null("recorded_by"))
                .col(time("recorded_at"))
                .foreign_key(&mut fk("statement_receipts", "client_id", "clients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "statement_receipts_client",
            "statement_receipts",
            &["client_id", "given_on"],
        ))
        .await
    }
}
