//! Disclosures (SHR-1): every time personal data leaves the organisation, to whom (a
//! registered recipient, SHR-2/3), on which ground (a consent in the register, a named
//! law, or the prevention of a crime or protection of someone with a sealed reason), what
//! (the package as it left, sealed with the client's key, and a count of its parts in
//! the clear for the registers), by whom and when; and whether the client was informed
//! (SHR-4) or a sealed safety reason forbids it, with the privacy officer's review.

use sea_orm_migration::prelude::*;

use super::{
    blob, blob_null, date, date_null, fk, index, integer, text, text_null, time, time_null, uuid,
    uuid_null,
};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0022_disclosures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("disclosures")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(uuid("recipient_id"))
                // consent, legal_obligation, legal_permission, prevent_crime,
                // protect_person.
                .col(text("ground"))
                .col(uuid_null("consent_id"))
                // The law named for a legal ground: not personal data.
                .col(text_null("law"))
                .col(blob_null("reason_ct"))
                // The package as it left, JSON sealed with the client's key.
                .col(blob("package_ct"))
                .col(integer("entry_count"))
                .col(integer("with_summary"))
                .col(date("disclosed_on"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                // not_needed (consent), due, given, withheld_for_safety.
                .col(text("client_notice"))
                .col(date_null("notice_given_on"))
                .col(text_null("notice_channel"))
                .col(uuid_null("notice_by"))
                .col(blob_null("safety_reason_ct"))
                .col(uuid_null("safety_reviewed_by"))
                .col(time_null("safety_reviewed_at"))
                // upheld or overruled.
                .col(text_null("safety_review"))
                .foreign_key(&mut fk("disclosures", "recipient_id", "recipients", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disclosures_client", "disclosures", &["client_id"]))
            .await?;
        m.create_index(index(
            "disclosures_trajectory",
            "disclosures",
            &["trajectory_id"],
        ))
        .await?;
        m.create_index(index(
            "disclosures_notice",
            "disclosures",
            &["client_notice"],
        ))
        .await?;
        Ok(())
    }
}
