//! The register of outside organisations personal data may go to (SHR-1..3): care
//! partners, municipalities, Veilig Thuis, processors, auditors and research institutes,
//! each with its country (SHR-2: only inside the EEA), and the processing agreements a
//! processor works under (SHR-3). Organisations are not data subjects, so the register
//! is plain text; a contact is the organisation's general address, not a person's.

use sea_orm_migration::prelude::*;

use super::{date, date_null, fk, index, text, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0018_recipients"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("recipients")
                .col(uuid("id").primary_key())
                .col(text("name"))
                // ISO 3166 alpha-2, checked against the EEA on every save and use.
                .col(text("country"))
                // care_partner, municipality, veilig_thuis, processor, auditor,
                // research_institute.
                .col(text("kind"))
                .col(text_null("contact"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time_null("retired_at"))
                .col(uuid_null("retired_by"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("processing_agreements")
                .col(uuid("id").primary_key())
                .col(uuid("recipient_id"))
                // The agreement's own reference, as filed.
                .col(text("reference"))
                .col(date("signed_on"))
                .col(date("valid_from"))
                .col(date_null("valid_until"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .foreign_key(&mut fk(
                    "processing_agreements",
                    "recipient_id",
                    "recipients",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "processing_agreements_recipient",
            "processing_agreements",
            &["recipient_id"],
        ))
        .await?;
        Ok(())
    }
}
