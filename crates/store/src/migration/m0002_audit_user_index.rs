//! The privacy officer's audit screen filters by user as often as by client.

use sea_orm_migration::prelude::*;

use super::index;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0002_audit_user_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("audit_log_user", "audit_log", &["user_id", "seq"]))
            .await
    }
}
