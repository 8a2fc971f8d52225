//! The privacy officer's audit screen filters on emergency accesses (the access itself,
//! or what it enabled), and nothing indexed them: the filter read the log from its
//! newest event back to its oldest. With the demo's audit history (about twenty events
//! per client) the 100,000-client installation holds two million events, and the filter
//! took 1.5-18 s when there were none to find (SQLite); at a million clients, ten times
//! that. The index holds only those events, a handful in a year; its condition and the
//! search's (`audit::is_emergency`) are the same literal, which is what lets the engines
//! use it. A period is not indexed: see `docs/performance.md`, "Session 50", for why an
//! index on the time made the common query (this month) slower.

use sea_orm_migration::prelude::*;

use super::index;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0042_audit_log_emergency"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(emergency_index()).await
    }
}

fn emergency_index() -> IndexCreateStatement {
    index("audit_log_emergency", "audit_log", &["seq"])
        .and_where(crate::audit::is_emergency())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite decides whether a partial index serves a statement from the statement's
    /// text, before any value is bound: the emergency condition passed as parameters
    /// would leave the index unused, silently, and the filter a scan of the whole log.
    #[test]
    fn sqlite_finds_emergency_events_by_their_index() {
        let steps = super::super::sqlite_plan(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT, action TEXT, \
             purpose TEXT, client_id BLOB); \
             CREATE INDEX audit_log_client ON audit_log (client_id, seq);",
            &emergency_index(),
            Query::select()
                .column("seq")
                .from("audit_log")
                .and_where(crate::audit::is_emergency())
                .order_by("seq", Order::Desc)
                .limit(50),
            // At most the limit.
            1,
        );
        assert!(
            steps
                .iter()
                .any(|s| s.contains("INDEX audit_log_emergency")),
            "{steps:?}"
        );
    }
}
