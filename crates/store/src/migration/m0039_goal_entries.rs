//! The goals of a trajectory, found without reading its other entries: a municipality
//! report counts the goals set and reached in the trajectories it covers, and the sweep
//! counts those of the trajectories it anonymises (RET-4). With only the dossier's index
//! both read every entry row of those trajectories to see its kind, most of them not
//! goals (about four in five in the demo); at 1,000,000 clients the goals took about
//! half of a report's time. The index holds only goals, and the columns those counts
//! read, so they never open an entry row. Its condition and the queries'
//! (`entries::is_goal`) are the same literal, which is what lets the engines use it.

use sea_orm_migration::prelude::*;
use zv_domain::EntryKind;

use super::index;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0039_goal_entries"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(goals_index()).await
    }
}

fn goals_index() -> IndexCreateStatement {
    index(
        "entries_goals",
        "entries",
        &["trajectory_id", "created_at", "id"],
    )
    .and_where(Expr::col("kind").eq(EntryKind::Goal.code()))
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index earns its upkeep only if the goal counts use it, and SQLite decides that
    /// from the statement's text before any value is bound: a kind passed as a parameter
    /// would leave it unused, silently.
    #[test]
    fn sqlite_counts_goals_from_the_index_alone() {
        let steps = super::super::sqlite_plan(
            "CREATE TABLE entries (id BLOB PRIMARY KEY, trajectory_id BLOB, kind TEXT, \
             created_at TEXT, content_ct BLOB); \
             CREATE INDEX entries_dossier_order ON entries (trajectory_id, created_at, id);",
            &goals_index(),
            Query::select()
                .column("trajectory_id")
                .expr(Expr::col("created_at").max())
                .expr(Expr::col("id").count())
                .from("entries")
                .and_where(crate::entries::is_goal("kind"))
                .and_where(Expr::col("trajectory_id").eq(vec![0u8; 16]))
                .group_by_col("trajectory_id"),
            1,
        );
        assert!(
            steps
                .iter()
                .any(|s| s.contains("USING COVERING INDEX entries_goals")),
            "{steps:?}"
        );
    }
}
