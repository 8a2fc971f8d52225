//! The goals of a trajectory, found without reading its other entries: a municipality
//! report counts the goals set and reached in the trajectories it covers, and the sweep
//! counts those of the trajectories it anonymises (RET-4). With only the dossier's index
//! both read every entry row of those trajectories to see its kind, most of them not
//! goals (about four in five in the demo); at 1,000,000 clients that was half of a
//! report's time. The index holds only goals, and the columns those counts read, so they
//! never open an entry row. Its condition and the queries' (`entries::is_goal`) are the
//! same literal, which is what lets the engines use it.

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
        m.create_index(
            index(
                "entries_goals",
                "entries",
                &["trajectory_id", "created_at", "id"],
            )
            .and_where(Expr::col("kind").eq(EntryKind::Goal.code()))
            .to_owned(),
        )
        .await
    }
}
