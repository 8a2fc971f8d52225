//! The last accepted TOTP time step per account, so a code is accepted once (RFC 6238
//! section 5.2): a code seen over someone's shoulder cannot be replayed in its window.

use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0004_totp_last_step"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("staff_users")
                .add_column(ColumnDef::new("totp_last_step").big_integer().null())
                .to_owned(),
        )
        .await
    }
}
