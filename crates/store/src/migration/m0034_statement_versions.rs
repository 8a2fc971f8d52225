//! Published versions of the privacy statement (TRN-2, ORG-3). Publishing freezes the
//! statement (and the privacy card) as generated from the policy that day, in Dutch and
//! English, so a client or the Autoriteit Persoonsgegevens can read what was promised
//! when, and two versions can be compared.
//!
//! - `statement_versions`: a number counting up from 1, the label the organisation gives
//!   it, the four documents as JSON (`statement_nl`, `statement_en`, and the card's, null
//!   where the policy has no card), who published it and when. No personal data.

use sea_orm_migration::prelude::*;

use super::{index, integer, text, text_null, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0034_statement_versions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("statement_versions")
                .col(integer("number").primary_key())
                .col(text("label"))
                .col(text("statement_nl"))
                .col(text("statement_en"))
                .col(text_null("card_nl"))
                .col(text_null("card_en"))
                .col(uuid("published_by"))
                .col(time("published_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("statement_versions_label", "statement_versions", &["label"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
