//! Portal accounts for parents and representatives, and the facts the minors rules read
//! (MIN-1..4).
//!
//! - `portal_accounts.client_id` becomes optional: a parent or a curator who is not a
//!   client has an account of their own. PostgreSQL drops the NOT NULL in place; SQLite
//!   cannot alter a column, so there the three portal account tables are rebuilt (new
//!   tables, rows copied, old ones dropped, new ones renamed to the old names).
//!   Sessions and recovery codes survive, so nobody is signed out by the upgrade.
//! - `portal_account_links`: an account reads for a client as one of the client's
//!   related persons (a parent of several children has one link per child's record).
//! - `portal_invitations.related_person_id`: an invitation for a related person rather
//!   than for the client themselves.
//! - `parent_access_blocks` (MIN-2), `youth_consents` (MIN-3), `representative_mandates`
//!   and `mandate_trajectories` (MIN-4). No age is stored: it is computed on the day.

use sea_orm_migration::prelude::*;

use super::{blob, date, fk, flag, index, text, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0011_portal_minors"
    }
}

fn accounts_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(uuid("id").primary_key())
        // The client whose own dossier the account reads; none for a parent or
        // representative who is not a client. Still one account per client.
        .col(uuid_null("client_id").unique_key())
        .col(
            ColumnDef::new("username_token")
                .binary_len(16)
                .not_null()
                .unique_key()
                .to_owned(),
        )
        .col(text("password_hash"))
        .col(blob("totp_secret_ct"))
        .col(flag("totp_confirmed"))
        .col(ColumnDef::new("totp_last_step").big_integer().null())
        .col(time("created_at"))
        .foreign_key(&mut fk(name, "client_id", "clients", "id"))
        .to_owned()
}

const ACCOUNT_COLUMNS: [&str; 8] = [
    "id",
    "client_id",
    "username_token",
    "password_hash",
    "totp_secret_ct",
    "totp_confirmed",
    "totp_last_step",
    "created_at",
];
const SESSION_COLUMNS: [&str; 6] = [
    "token_hash",
    "account_id",
    "stage",
    "csrf",
    "created_at",
    "last_seen_at",
];
const RECOVERY_COLUMNS: [&str; 3] = ["account_id", "code_hash", "used_at"];

/// `INSERT INTO to (columns) SELECT columns FROM from`.
fn copy(
    from: &'static str,
    to: &'static str,
    columns: &[&'static str],
) -> Result<InsertStatement, DbErr> {
    let mut select = Query::select();
    select.from(from);
    for c in columns {
        select.column(*c);
    }
    Ok(Query::insert()
        .into_table(to)
        .columns(columns.iter().copied().map(Alias::new))
        .select_from(select)
        .map_err(|e| DbErr::Migration(format!("copy {from}: {e}")))?
        .to_owned())
}

/// SQLite alters no column: the three account tables are rebuilt. New tables beside the
/// old ones, rows copied, old ones dropped (dependants first, so dropping the accounts
/// leaves no row pointing at them), new ones renamed into place; renaming rewrites the
/// foreign keys of the new sessions and recovery codes to the old name. No table of an
/// earlier migration points at the accounts; the links of this one are made after.
async fn rebuild_accounts_on_sqlite(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(accounts_table("portal_accounts_v2")).await?;
    m.exec_stmt(copy(
        "portal_accounts",
        "portal_accounts_v2",
        &ACCOUNT_COLUMNS,
    )?)
    .await?;
    m.create_table(
        Table::create()
            .table("portal_sessions_v2")
            .col(blob("token_hash").primary_key())
            .col(uuid("account_id"))
            .col(text("stage"))
            .col(text("csrf"))
            .col(time("created_at"))
            .col(time("last_seen_at"))
            .foreign_key(&mut fk(
                "portal_sessions_v2",
                "account_id",
                "portal_accounts_v2",
                "id",
            ))
            .to_owned(),
    )
    .await?;
    m.exec_stmt(copy(
        "portal_sessions",
        "portal_sessions_v2",
        &SESSION_COLUMNS,
    )?)
    .await?;
    m.create_table(
        Table::create()
            .table("portal_recovery_codes_v2")
            .col(uuid("account_id"))
            .col(blob("code_hash"))
            .col(time_null("used_at"))
            .primary_key(Index::create().col("account_id").col("code_hash"))
            .foreign_key(&mut fk(
                "portal_recovery_codes_v2",
                "account_id",
                "portal_accounts_v2",
                "id",
            ))
            .to_owned(),
    )
    .await?;
    m.exec_stmt(copy(
        "portal_recovery_codes",
        "portal_recovery_codes_v2",
        &RECOVERY_COLUMNS,
    )?)
    .await?;
    for old in [
        "portal_recovery_codes",
        "portal_sessions",
        "portal_accounts",
    ] {
        m.drop_table(Table::drop().table(old).to_owned()).await?;
    }
    for (from, to) in [
        ("portal_accounts_v2", "portal_accounts"),
        ("portal_sessions_v2", "portal_sessions"),
        ("portal_recovery_codes_v2", "portal_recovery_codes"),
    ] {
        m.rename_table(Table::rename().table(from, to).to_owned())
            .await?;
    }
    m.create_index(index(
        "portal_sessions_account",
        "portal_sessions",
        &["account_id"],
    ))
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[expect(
        clippy::too_many_lines,
        reason = "the new tables, in the order their references need"
    )]
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A parent or representative who is not a client has an account without one.
        if m.get_database_backend() == sea_orm::DbBackend::Postgres {
            m.alter_table(
                Table::alter()
                    .table("portal_accounts")
                    .modify_column(ColumnDef::new("client_id").uuid().null().to_owned())
                    .to_owned(),
            )
            .await?;
        } else {
            rebuild_accounts_on_sqlite(m).await?;
        }

        // An invitation for one of the client's related persons (a parent, a guardian, a
        // representative); none for the client's own.
        m.alter_table(
            Table::alter()
                .table("portal_invitations")
                .add_column(uuid_null("related_person_id"))
                .to_owned(),
        )
        .await?;

        // An account reads for a client as one of the client's related persons. A record
        // belongs to one account at most; an account has one link per client at most
        // (the core keeps that).
        m.create_table(
            Table::create()
                .table("portal_account_links")
                .col(uuid("related_person_id").primary_key())
                .col(uuid("account_id"))
                .col(uuid("client_id"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "portal_account_links",
                    "related_person_id",
                    "related_persons",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "portal_account_links",
                    "account_id",
                    "portal_accounts",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "portal_account_links",
                    "client_id",
                    "clients",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "portal_account_links_account",
            "portal_account_links",
            &["account_id"],
        ))
        .await?;
        m.create_index(index(
            "portal_account_links_client",
            "portal_account_links",
            &["client_id"],
        ))
        .await?;

        // MIN-2: per parent, the caseworker's record that the child's interest opposes
        // the parent's access. The reason is about the child (and the parent), so it is
        // sealed with the client's key. Lifting keeps the row, for the privacy officer's
        // review.
        m.create_table(
            Table::create()
                .table("parent_access_blocks")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("related_person_id"))
                .col(blob("reason_ct"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .col(uuid_null("lifted_by"))
                .col(time_null("lifted_at"))
                .foreign_key(&mut fk(
                    "parent_access_blocks",
                    "client_id",
                    "clients",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "parent_access_blocks",
                    "related_person_id",
                    "related_persons",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "parent_access_blocks_client",
            "parent_access_blocks",
            &["client_id"],
        ))
        .await?;
        m.create_index(index(
            "parent_access_blocks_person",
            "parent_access_blocks",
            &["related_person_id"],
        ))
        .await?;

        // MIN-3: the young person's consent per parent, given and withdrawn in the portal.
        // Withdrawing keeps the row with its time.
        m.create_table(
            Table::create()
                .table("youth_consents")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("related_person_id"))
                .col(time("given_at"))
                .col(time_null("withdrawn_at"))
                .foreign_key(&mut fk("youth_consents", "client_id", "clients", "id"))
                .foreign_key(&mut fk(
                    "youth_consents",
                    "related_person_id",
                    "related_persons",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "youth_consents_person",
            "youth_consents",
            &["related_person_id"],
        ))
        .await?;
        m.create_index(index(
            "youth_consents_client",
            "youth_consents",
            &["client_id"],
        ))
        .await?;

        // MIN-4: a representative's mandate: the whole dossier or named trajectories,
        // until a date.
        m.create_table(
            Table::create()
                .table("representative_mandates")
                .col(uuid("related_person_id").primary_key())
                .col(uuid("client_id"))
                .col(flag("whole_dossier"))
                .col(date("ends_on"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .foreign_key(&mut fk(
                    "representative_mandates",
                    "related_person_id",
                    "related_persons",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "representative_mandates",
                    "client_id",
                    "clients",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "representative_mandates_client",
            "representative_mandates",
            &["client_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("mandate_trajectories")
                .col(uuid("related_person_id"))
                .col(uuid("trajectory_id"))
                .primary_key(
                    Index::create()
                        .col("related_person_id")
                        .col("trajectory_id"),
                )
                .foreign_key(&mut fk(
                    "mandate_trajectories",
                    "related_person_id",
                    "representative_mandates",
                    "related_person_id",
                ))
                .foreign_key(&mut fk(
                    "mandate_trajectories",
                    "trajectory_id",
                    "trajectories",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "mandate_trajectories_trajectory",
            "mandate_trajectories",
            &["trajectory_id"],
        ))
        .await
    }
}
