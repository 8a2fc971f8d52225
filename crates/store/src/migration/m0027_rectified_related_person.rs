//! A child's birth date corrected (RET-2, RTS-5) is kept in the client's rectification
//! history like a correction of the client's own data: which child, the old and the new
//! date, why, who and when. `rectifications.related_person_id` names the child; it is
//! null for a correction of the client's own name, address or birth date.

use sea_orm_migration::prelude::*;

use super::uuid_null;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0027_rectified_related_person"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("rectifications")
                .add_column(uuid_null("related_person_id"))
                .to_owned(),
        )
        .await
    }
}
