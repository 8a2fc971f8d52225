//! How far the audit intake is drained into the chain (decision 0056): one row, written
//! in the same transaction as the events it moves, so each intake event enters the chain
//! exactly once. The generation names the intake file the sequence counts in. Only
//! SQLite has an intake; PostgreSQL keeps the row at its start for the same schema.

use sea_orm_migration::prelude::*;

use super::text;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0038_audit_intake_marks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_intake_marks")
                .col(
                    ColumnDef::new("id")
                        .integer()
                        .not_null()
                        .primary_key()
                        .to_owned(),
                )
                .col(text("generation"))
                .col(ColumnDef::new("seq").big_integer().not_null().to_owned())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("audit_intake_marks")
                .columns(["id", "generation", "seq"])
                .values_panic([1i32.into(), String::new().into(), 0i64.into()])
                .to_owned(),
        )
        .await
    }
}
