//! Newsletter contacts (NWS-1): people at partner organisations who receive a newsletter
//! of the policy's `[[newsletters]]` while subscribed.
//!
//! - `newsletter_contacts`: name, organisation and work e-mail address, exactly what a
//!   mailing needs, sealed with the system key (backups never hold keys); `email_hash`
//!   (the keyed blind index of the lower-cased address) keeps one contact per address.
//!   Removed whole when the contact unsubscribes.
//! - `newsletter_subscriptions`: which newsletters a contact receives, since when.
//! - `newsletter_objections`: what stays of an unsubscribed contact, only the keyed hash of
//!   the address and the moment: an objection to direct marketing is absolute (AVG art.
//!   21(3)), so the address is never added again, without keeping the address itself.

use sea_orm_migration::prelude::*;

use super::{blob, fk, index, text, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0028_newsletters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("newsletter_contacts")
                .col(uuid("id").primary_key())
                .col(blob("name_ct"))
                .col(blob("organisation_ct"))
                .col(blob("email_ct"))
                .col(blob("email_hash"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "newsletter_contacts_email",
                "newsletter_contacts",
                &["email_hash"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("newsletter_subscriptions")
                .col(uuid("contact_id"))
                .col(text("newsletter"))
                .col(time("since"))
                .primary_key(Index::create().col("contact_id").col("newsletter"))
                .foreign_key(&mut fk(
                    "newsletter_subscriptions",
                    "contact_id",
                    "newsletter_contacts",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("newsletter_objections")
                .col(blob("email_hash").primary_key())
                .col(time("objected_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
