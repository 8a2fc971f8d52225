//! The one migration set for both engines (sea-orm-migration). Column types come from
//! sea-query, which writes each engine's own: `uuid`/`bytea`/`timestamptz`/`date` on
//! PostgreSQL, `uuid_text`/`blob`/`timestamp_with_timezone_text`/`date_text` on SQLite.
//! Only the statements sea-query cannot express (the key schema, the append-only
//! triggers) come from [`crate::dialect`].
//!
//! A migration, once released, is never edited: later changes are new migrations, so a
//! database migrated by any release ends up with the same schema. The migrations name
//! their tables and columns as plain strings rather than through the entities, so that a
//! later change to an entity cannot silently rewrite an old migration.

use sea_orm_migration::prelude::*;

mod m0002_audit_user_index;
mod m0003_sign_in;
mod m0004_totp_last_step;
mod m0005_access_grants;
mod m0006_api_tokens;
mod m0007_mail_outbox;
mod m0008_portal;
mod m0009_statement_receipts;
mod m0010_withholdings_requests;
mod m0011_portal_minors;
mod m0012_request_workflow;
mod m0013_access_copies;
mod m0014_processing_stops;
mod m0015_erasure;
mod m0016_portability;
mod m0017_letter_reasons;
mod m0018_recipients;
mod m0019_consents;
mod m0020_complaint_handling;
mod m0021_meldcode;
mod m0022_disclosures;
mod m0023_retention_keep_longer;
mod m0024_retention_sweep;
mod m0025_audit_checkpoints;
mod m0026_consent_confirmations;
mod m0027_rectified_related_person;
mod m0028_newsletters;
mod m0029_cameras;
mod m0030_group_activities;
mod m0031_correspondence;
mod m0032_personnel_and_finance;
mod m0033_data_breaches;
mod m0034_statement_versions;
mod m0035_trajectory_report_facts;
mod m0036_entries_in_dossier_order;
mod m0037_indexes_under_foreign_keys;
mod m0038_audit_intake_marks;
mod m0039_goal_entries;
mod m0040_indexes_the_sweep_finds_by;
mod m0041_indexes_by_person;
mod m0042_audit_log_emergency;

pub(crate) struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_audit_user_index::Migration),
            Box::new(m0003_sign_in::Migration),
            Box::new(m0004_totp_last_step::Migration),
            Box::new(m0005_access_grants::Migration),
            Box::new(m0006_api_tokens::Migration),
            Box::new(m0007_mail_outbox::Migration),
            Box::new(m0008_portal::Migration),
            Box::new(m0009_statement_receipts::Migration),
            Box::new(m0010_withholdings_requests::Migration),
            Box::new(m0011_portal_minors::Migration),
            Box::new(m0012_request_workflow::Migration),
            Box::new(m0013_access_copies::Migration),
            Box::new(m0014_processing_stops::Migration),
            Box::new(m0015_erasure::Migration),
            Box::new(m0016_portability::Migration),
            Box::new(m0017_letter_reasons::Migration),
            Box::new(m0018_recipients::Migration),
            Box::new(m0019_consents::Migration),
            Box::new(m0020_complaint_handling::Migration),
            Box::new(m0021_meldcode::Migration),
            Box::new(m0022_disclosures::Migration),
            Box::new(m0023_retention_keep_longer::Migration),
            Box::new(m0024_retention_sweep::Migration),
            Box::new(m0025_audit_checkpoints::Migration),
            Box::new(m0026_consent_confirmations::Migration),
            Box::new(m0027_rectified_related_person::Migration),
            Box::new(m0028_newsletters::Migration),
            Box::new(m0029_cameras::Migration),
            Box::new(m0030_group_activities::Migration),
            Box::new(m0031_correspondence::Migration),
            Box::new(m0032_personnel_and_finance::Migration),
            Box::new(m0033_data_breaches::Migration),
            Box::new(m0034_statement_versions::Migration),
            Box::new(m0035_trajectory_report_facts::Migration),
            Box::new(m0036_entries_in_dossier_order::Migration),
            Box::new(m0037_indexes_under_foreign_keys::Migration),
            Box::new(m0038_audit_intake_marks::Migration),
            Box::new(m0039_goal_entries::Migration),
            Box::new(m0040_indexes_the_sweep_finds_by::Migration),
            Box::new(m0041_indexes_by_person::Migration),
            Box::new(m0042_audit_log_emergency::Migration),
        ]
    }
}

mod m0001_initial {
    use sea_orm_migration::prelude::*;

    use super::{
        blob, blob_null, date, date_null, fk, flag, index, text, text_null, time, uuid, uuid_null,
    };
    use crate::dialect;

    pub(super) struct Migration;

    impl MigrationName for Migration {
        fn name(&self) -> &'static str {
            "m0001_initial"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for Migration {
        #[expect(
            clippy::too_many_lines,
            reason = "the whole first schema, table by table"
        )]
        async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
            let backend = m.get_database_backend();
            for sql in dialect::create_key_schema(backend) {
                m.get_connection().execute_unprepared(sql).await?;
            }

            // Organisation, mirrored from the policy file.
            m.create_table(
                Table::create()
                    .table("branches")
                    .col(text("code").primary_key())
                    .col(text("name"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("teams")
                    .col(text("code").primary_key())
                    .col(text("name"))
                    .col(text("branch_code"))
                    .foreign_key(&mut fk("teams", "branch_code", "branches", "code"))
                    .to_owned(),
            )
            .await?;

            // Staff.
            m.create_table(
                Table::create()
                    .table("staff_users")
                    .col(uuid("id").primary_key())
                    .col(text("username").unique_key())
                    .col(text("display_name"))
                    .col(text("password_hash"))
                    .col(blob("totp_secret_ct"))
                    .col(flag("totp_confirmed"))
                    .col(text_null("branch_code"))
                    .col(date_null("confidentiality_signed_on"))
                    .col(flag("disabled"))
                    .col(time("created_at"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("staff_roles")
                    .col(uuid("user_id"))
                    .col(text("role"))
                    .primary_key(Index::create().col("user_id").col("role"))
                    .foreign_key(&mut fk("staff_roles", "user_id", "staff_users", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("team_members")
                    .col(uuid("user_id"))
                    .col(text("team_code"))
                    .primary_key(Index::create().col("user_id").col("team_code"))
                    .foreign_key(&mut fk("team_members", "user_id", "staff_users", "id"))
                    .foreign_key(&mut fk("team_members", "team_code", "teams", "code"))
                    .to_owned(),
            )
            .await?;

            // Clients and what hangs off them. Personal fields are ciphertext (`*_ct`).
            m.create_table(
                Table::create()
                    .table("clients")
                    .col(uuid("id").primary_key())
                    .col(text("branch_code"))
                    .col(blob("name_ct"))
                    .col(blob("birth_date_ct"))
                    .col(blob_null("gender_ct"))
                    .col(blob_null("address_ct"))
                    .col(blob_null("phone_ct"))
                    .col(blob_null("email_ct"))
                    .col(blob_null("bsn_ct"))
                    .col(flag("confidential_address"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("search_tokens")
                    .col(ColumnDef::new("token").binary_len(16).not_null().to_owned())
                    .col(uuid("client_id"))
                    .primary_key(Index::create().col("token").col("client_id"))
                    .foreign_key(&mut fk("search_tokens", "client_id", "clients", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "search_tokens_client",
                "search_tokens",
                &["client_id"],
            ))
            .await?;
            m.create_table(
                Table::create()
                    .table("related_persons")
                    .col(uuid("id").primary_key())
                    .col(uuid("client_id"))
                    .col(text("relation"))
                    .col(blob("name_ct"))
                    .col(blob_null("birth_date_ct"))
                    .col(blob_null("phone_ct"))
                    .col(blob_null("email_ct"))
                    .col(blob_null("address_ct"))
                    .col(date_null("authority_since"))
                    .col(blob_null("mandate_ct"))
                    .col(uuid_null("linked_client_id"))
                    .col(time("created_at"))
                    .foreign_key(&mut fk("related_persons", "client_id", "clients", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "related_persons_client",
                "related_persons",
                &["client_id"],
            ))
            .await?;
            m.create_index(index(
                "related_persons_linked",
                "related_persons",
                &["linked_client_id"],
            ))
            .await?;

            // Trajectories and the dossier.
            m.create_table(
                Table::create()
                    .table("trajectories")
                    .col(uuid("id").primary_key())
                    .col(uuid("client_id"))
                    .col(text("service_type"))
                    .col(text("branch_code"))
                    .col(text("team_code"))
                    .col(flag("domestic_violence"))
                    .col(date("opened_on"))
                    .col(date_null("closed_on"))
                    .col(time("last_change_at"))
                    .col(date_null("retention_until"))
                    .col(time("created_at"))
                    .foreign_key(&mut fk("trajectories", "client_id", "clients", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("trajectories_client", "trajectories", &["client_id"]))
                .await?;
            m.create_index(index(
                "trajectories_retention",
                "trajectories",
                &["retention_until"],
            ))
            .await?;
            m.create_table(
                Table::create()
                    .table("trajectory_workers")
                    .col(uuid("trajectory_id"))
                    .col(uuid("user_id"))
                    .col(date("assigned_on"))
                    .primary_key(Index::create().col("trajectory_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "trajectory_workers",
                        "trajectory_id",
                        "trajectories",
                        "id",
                    ))
                    .foreign_key(&mut fk(
                        "trajectory_workers",
                        "user_id",
                        "staff_users",
                        "id",
                    ))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "trajectory_workers_user",
                "trajectory_workers",
                &["user_id"],
            ))
            .await?;
            m.create_table(
                Table::create()
                    .table("entries")
                    .col(uuid("id").primary_key())
                    .col(uuid("trajectory_id"))
                    .col(uuid("client_id"))
                    .col(text("kind"))
                    .col(text_null("special_category"))
                    .col(blob_null("necessity_ct"))
                    .col(
                        ColumnDef::new("current_version")
                            .integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(uuid("created_by"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut fk("entries", "trajectory_id", "trajectories", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "entries_trajectory",
                "entries",
                &["trajectory_id", "created_at"],
            ))
            .await?;
            m.create_index(index("entries_client", "entries", &["client_id"]))
                .await?;
            m.create_table(
                Table::create()
                    .table("entry_versions")
                    .col(uuid("entry_id"))
                    .col(ColumnDef::new("version").integer().not_null().to_owned())
                    .col(blob("content_ct"))
                    .col(uuid("author_id"))
                    .col(time("created_at"))
                    .primary_key(Index::create().col("entry_id").col("version"))
                    .foreign_key(&mut fk("entry_versions", "entry_id", "entries", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table("goal_progress")
                    .col(uuid("id").primary_key())
                    .col(uuid("entry_id"))
                    .col(uuid("client_id"))
                    .col(ColumnDef::new("progress").integer().not_null().to_owned())
                    .col(blob("note_ct"))
                    .col(uuid("author_id"))
                    .col(time("created_at"))
                    .foreign_key(&mut fk("goal_progress", "entry_id", "entries", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("goal_progress_entry", "goal_progress", &["entry_id"]))
                .await?;
            m.create_index(index(
                "goal_progress_client",
                "goal_progress",
                &["client_id"],
            ))
            .await?;
            m.create_table(
                Table::create()
                    .table("work_notes")
                    .col(uuid("id").primary_key())
                    .col(uuid("trajectory_id"))
                    .col(uuid("client_id"))
                    .col(uuid("author_id"))
                    .col(blob("body_ct"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut fk("work_notes", "trajectory_id", "trajectories", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "work_notes_trajectory",
                "work_notes",
                &["trajectory_id", "author_id"],
            ))
            .await?;
            m.create_index(index("work_notes_client", "work_notes", &["client_id"]))
                .await?;
            m.create_table(
                Table::create()
                    .table("attachments")
                    .col(uuid("id").primary_key())
                    .col(uuid("entry_id"))
                    .col(uuid("client_id"))
                    .col(blob("filename_ct"))
                    .col(text("media_type"))
                    .col(
                        ColumnDef::new("size_bytes")
                            .big_integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(uuid("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut fk("attachments", "entry_id", "entries", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index("attachments_entry", "attachments", &["entry_id"]))
                .await?;
            m.create_index(index("attachments_client", "attachments", &["client_id"]))
                .await?;

            // The audit log (ACC-7): append-only, hash-chained. `seq` is a big integer,
            // which sea-query writes as `integer` on SQLite: the primary key is then the
            // rowid itself, so the log needs no second index to be read in order.
            m.create_table(
                Table::create()
                    .table("audit_log")
                    .col(
                        ColumnDef::new("seq")
                            .big_integer()
                            .not_null()
                            .primary_key()
                            .to_owned(),
                    )
                    .col(uuid("id"))
                    .col(time("at"))
                    .col(text("action"))
                    .col(text("outcome"))
                    .col(text("object"))
                    .col(uuid_null("object_id"))
                    .col(uuid_null("client_id"))
                    .col(uuid_null("user_id"))
                    .col(text("user_name"))
                    .col(text("role"))
                    .col(uuid_null("on_behalf_of"))
                    .col(text("purpose"))
                    .col(text("access_point"))
                    .col(text("rule_ids"))
                    .col(text_null("detail"))
                    .col(blob("prev_hash"))
                    .col(blob("hash"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "audit_log_client",
                "audit_log",
                &["client_id", "seq"],
            ))
            .await?;
            m.create_table(
                Table::create()
                    .table("audit_head")
                    .col(
                        ColumnDef::new("id")
                            .integer()
                            .not_null()
                            .primary_key()
                            .to_owned(),
                    )
                    .col(ColumnDef::new("seq").big_integer().not_null().to_owned())
                    .col(blob("hash"))
                    .to_owned(),
            )
            .await?;
            // The genesis: before the first event the chain's hash is 32 zero bytes.
            m.exec_stmt(
                Query::insert()
                    .into_table("audit_head")
                    .columns(["id", "seq", "hash"])
                    .values_panic([1i32.into(), 0i64.into(), vec![0u8; 32].into()])
                    .to_owned(),
            )
            .await?;
            for sql in dialect::append_only_audit(backend) {
                m.get_connection().execute_unprepared(sql).await?;
            }

            // What remains of destroyed data: no personal data (RET-6).
            m.create_table(
                Table::create()
                    .table("destruction_records")
                    .col(uuid("id").primary_key())
                    .col(time("at"))
                    .col(text("subject_kind"))
                    .col(uuid("subject_id"))
                    .col(text("rule"))
                    .col(text("reason"))
                    .col(uuid_null("by_user"))
                    .col(text("counts"))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(
                "destruction_records_subject",
                "destruction_records",
                &["subject_id"],
            ))
            .await?;

            // The key store: the attached `keys.db` on SQLite, a schema on PostgreSQL.
            m.create_table(
                Table::create()
                    .table(("zv_keys", "client_keys"))
                    .col(uuid("client_id").primary_key())
                    .col(
                        ColumnDef::new("kek_version")
                            .integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(
                        ColumnDef::new("key_version")
                            .integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(blob("wrapped"))
                    .to_owned(),
            )
            .await?;
            m.create_table(
                Table::create()
                    .table(("zv_keys", "system_keys"))
                    .col(text("name").primary_key())
                    .col(
                        ColumnDef::new("kek_version")
                            .integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(
                        ColumnDef::new("key_version")
                            .integer()
                            .not_null()
                            .to_owned(),
                    )
                    .col(blob("wrapped"))
                    .to_owned(),
            )
            .await?;
            Ok(())
        }
    }
}

fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn uuid(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().to_owned()
}

fn blob(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).blob().not_null().to_owned()
}

fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

fn uuid_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().null().to_owned()
}

fn blob_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).blob().null().to_owned()
}

fn date_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().null().to_owned()
}

fn flag(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().to_owned()
}

fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().not_null().to_owned()
}

/// Instants: `timestamptz` on PostgreSQL, RFC 3339 text in UTC on SQLite.
fn time(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn integer(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

fn time_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn fk(
    from: &'static str,
    column: &'static str,
    to: &'static str,
    to_column: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{column}"))
        .from(from, column)
        .to(to, to_column)
        .to_owned()
}

/// Creates one index per `(name, table, column)`, each on that column alone: the shape
/// of the migrations that put an index under columns rows are found by.
async fn single_column_indexes(
    m: &SchemaManager<'_>,
    indexes: &[(&'static str, &'static str, &'static str)],
) -> Result<(), DbErr> {
    for &(name, table, column) in indexes {
        m.create_index(index(name, table, &[column])).await?;
    }
    Ok(())
}

fn index(
    name: &'static str,
    table: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in columns {
        i.col(*c);
    }
    i.to_owned()
}

/// What SQLite's planner does with `query` on a table made by `schema` with `index`
/// added: the steps of `EXPLAIN QUERY PLAN`, for the tests of partial indexes. SQLite
/// plans a statement before its values are bound, so they are bound as NULL, and `bound`
/// says how many the statement may bind before it is taken for a condition bound rather
/// than written into the text.
#[cfg(test)]
fn sqlite_plan(
    schema: &str,
    index: &IndexCreateStatement,
    query: &sea_orm::sea_query::SelectStatement,
    bound: usize,
) -> Vec<String> {
    use sea_orm::sea_query::SqliteQueryBuilder;
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(schema).unwrap();
    db.execute_batch(&index.to_string(SqliteQueryBuilder))
        .unwrap();
    let (sql, values) = query.build(SqliteQueryBuilder);
    assert!(
        values.0.len() <= bound,
        "more is bound than expected: {sql}"
    );
    let nulls = vec![rusqlite::types::Null; values.0.len()];
    let mut plan = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    plan.query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}
