//! Five foreign keys had no index on their column: attendance to a group activity's
//! participant, a disclosure to its recipient, a camera hold to its camera, a team
//! membership to its team and a team to its branch. Deleting the parent row (a
//! participant whose term ended, a recipient, a camera) then made the database scan the
//! whole child table for each deleted row to check the key. Every other foreign key
//! already leads an index, and a store test keeps it so.

use sea_orm_migration::prelude::*;

use super::single_column_indexes;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0037_indexes_under_foreign_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        single_column_indexes(
            m,
            &[
                (
                    "activity_attendance_participant",
                    "activity_attendance",
                    "participant_id",
                ),
                ("disclosures_recipient", "disclosures", "recipient_id"),
                ("camera_holds_camera", "camera_holds", "camera_id"),
                ("team_members_team", "team_members", "team_code"),
                ("teams_branch", "teams", "branch_code"),
            ],
        )
        .await
    }
}
