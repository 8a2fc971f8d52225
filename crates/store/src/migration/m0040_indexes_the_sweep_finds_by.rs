//! Six columns by which the retention sweep finds a dossier's rows had no index: the
//! trajectory, client and complaint of an access grant, and the trajectory of a
//! complaint, of a meldcode step and of an objection decision. Whether a trajectory may
//! go asks, per trajectory, for an open complaint about it (its own, or one of its
//! complaint grants), and each destruction deletes grants and complaints by trajectory
//! or client: without these indexes, a scan of the whole table for every trajectory or
//! batch, so a cost that grows with the square of the organisation. The demo has none of
//! those rows, so no benchmark saw it. On a 100k demo with 3,768 complaints and 16,798
//! grants added, `retention run` swept 3,079-3,283 trajectories/s without these indexes
//! and 4,538-4,883/s with them. A store test keeps every column named after a client,
//! trajectory, entry or complaint under an index.

use sea_orm_migration::prelude::*;

use super::single_column_indexes;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0040_indexes_the_sweep_finds_by"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        single_column_indexes(
            m,
            &[
                ("access_grants_trajectory", "access_grants", "trajectory_id"),
                ("access_grants_client", "access_grants", "client_id"),
                ("access_grants_complaint", "access_grants", "complaint_id"),
                ("complaints_trajectory", "complaints", "trajectory_id"),
                (
                    "meldcode_steps_trajectory",
                    "meldcode_steps",
                    "trajectory_id",
                ),
                (
                    "objection_decisions_trajectory",
                    "objection_decisions",
                    "trajectory_id",
                ),
            ],
        )
        .await
    }
}
