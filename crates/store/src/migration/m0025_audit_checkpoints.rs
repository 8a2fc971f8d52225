//! Audit-log retention (ACC-7, decision 0028).
//!
//! - `audit_checkpoints`: one signed checkpoint per pruned batch of audit events; the
//!   primary key is the last pruned event's sequence number, `prev_link` (the hash of the
//!   checkpoint before) is unique so the checkpoints form one chain that cannot fork.
//! - The audit log's DELETE trigger now lets through events a checkpoint covers, and
//!   nothing else; the checkpoints are append-only (see `dialect::audit_retention`).

use sea_orm_migration::prelude::*;

use super::{blob, date, text, time};
use crate::dialect;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0025_audit_checkpoints"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_checkpoints")
                .col(
                    ColumnDef::new("last_seq")
                        .big_integer()
                        .not_null()
                        .primary_key()
                        .to_owned(),
                )
                .col(blob("last_hash"))
                .col(time("last_at"))
                .col(ColumnDef::new("pruned").big_integer().not_null().to_owned())
                .col(date("kept_from"))
                .col(text("term"))
                .col(time("created_at"))
                .col(blob("prev_link"))
                .col(text("key_id"))
                .col(blob("signature"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_checkpoints_prev_link")
                .table("audit_checkpoints")
                .col("prev_link")
                .unique()
                .to_owned(),
        )
        .await?;
        for sql in dialect::audit_retention(m.get_database_backend()) {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
