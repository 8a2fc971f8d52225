//! The consent register (SHR-1 consent ground, RTS-10, MIN-1..3): per client and purpose
//! (`sharing` with a named recipient, `photo_video`, `applicant_portfolio`,
//! `newsletter`) how the consent was given (`written`, `portal`, `in_person`), on which
//! day, by whom (the client, and or the parents with authority, as the age band on that
//! day needs: `consent_givers`, one row per person, a null person being the client
//! themselves), which caseworker recorded it, and an optional description of what it
//! covers, sealed with the client's key (free text about the client). A withdrawal is
//! kept on the consent itself: when, through which channel, by whom (a person as for the
//! givers) and who recorded it (a staff member or, from the portal, the portal
//! account). Nothing is ever deleted but with the client (destruction).
//!
//! `recipient_id` names a row of `recipients` (m0018); it is checked in the core inside
//! the recording transaction (the recipient exists and is not retired) rather than by a
//! foreign key, so that a recipient's own lifecycle (retirement, never deletion) stays
//! the register's business.

use sea_orm_migration::prelude::*;

use super::{blob_null, date, fk, index, text, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0019_consents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consents")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                // sharing, photo_video, applicant_portfolio, newsletter.
                .col(text("purpose"))
                // Required for purpose `sharing`, absent otherwise.
                .col(uuid_null("recipient_id"))
                // written, portal, in_person.
                .col(text("given_how"))
                .col(date("given_on"))
                .col(blob_null("description_ct"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .col(time_null("withdrawn_at"))
                .col(text_null("withdrawn_how"))
                // The person who withdrew it: a related person, or null for the client
                // (meaningful only when `withdrawn_at` is set).
                .col(uuid_null("withdrawn_by_person"))
                // Who recorded the withdrawal: a staff member, or the portal account.
                .col(uuid_null("withdrawal_recorded_by"))
                // `staff` or `portal`.
                .col(text_null("withdrawal_recorded_as"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("consents_client", "consents", &["client_id"]))
            .await?;
        m.create_index(index(
            "consents_client_recipient",
            "consents",
            &["client_id", "recipient_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("consent_givers")
                .col(uuid("id").primary_key())
                .col(uuid("consent_id"))
                .col(uuid("client_id"))
                // Null: the client themselves; otherwise a related person of the client.
                .col(uuid_null("related_person_id"))
                .foreign_key(&mut fk("consent_givers", "consent_id", "consents", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "consent_givers_consent",
            "consent_givers",
            &["consent_id"],
        ))
        .await?;
        m.create_index(index(
            "consent_givers_client",
            "consent_givers",
            &["client_id"],
        ))
        .await?;
        Ok(())
    }
}
