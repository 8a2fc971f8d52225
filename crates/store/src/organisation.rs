//! Branches ("vestigingen") and teams, mirrored from the policy file so that rows can
//! refer to them. The policy file is the source; the database follows it.

use std::collections::BTreeSet;

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{branches, clients, staff_users, team_members, teams, trajectories};
use crate::{StoreError, Tx};

/// Upserts the given branches `(code, name)` and teams `(code, name, branch code)`, and
/// removes those no longer in the policy unless something still refers to them (a
/// referenced one stays, so no row loses its meaning).
pub async fn sync(
    tx: &Tx,
    branch_list: &[(String, String)],
    team_list: &[(String, String, String)],
) -> Result<(), StoreError> {
    for (code, name) in branch_list {
        branches::Entity::insert(branches::ActiveModel {
            code: Set(code.clone()),
            name: Set(name.clone()),
        })
        .on_conflict(
            OnConflict::column(branches::Column::Code)
                .update_column(branches::Column::Name)
                .to_owned(),
        )
        .exec_without_returning(&tx.inner)
        .await?;
    }
    for (code, name, branch) in team_list {
        teams::Entity::insert(teams::ActiveModel {
            code: Set(code.clone()),
            name: Set(name.clone()),
            branch_code: Set(branch.clone()),
        })
        .on_conflict(
            OnConflict::column(teams::Column::Code)
                .update_columns([teams::Column::Name, teams::Column::BranchCode])
                .to_owned(),
        )
        .exec_without_returning(&tx.inner)
        .await?;
    }

    // What the policy no longer names is read first, and is nearly always nothing: then
    // the checks of use are not run at all. PostgreSQL builds each `NOT IN (SELECT …)`
    // over the whole of its table before it applies the cheap filter, which at 1M clients
    // made every start-up 330 ms slower (docs/performance.md, session 32).
    let keep_teams: BTreeSet<&str> = team_list.iter().map(|t| t.0.as_str()).collect();
    let gone_teams: Vec<String> = teams::Entity::find()
        .select_only()
        .column(teams::Column::Code)
        .filter(teams::Column::Code.is_not_in(keep_teams))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    let keep_branches: BTreeSet<&str> = branch_list.iter().map(|b| b.0.as_str()).collect();
    let gone_branches: Vec<String> = branches::Entity::find()
        .select_only()
        .column(branches::Column::Code)
        .filter(branches::Column::Code.is_not_in(keep_branches))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    if gone_teams.is_empty() && gone_branches.is_empty() {
        return Ok(());
    }

    let in_use_by_members = Query::select()
        .column(team_members::Column::TeamCode)
        .from(team_members::Entity)
        .to_owned();
    let in_use_by_trajectories = Query::select()
        .column(trajectories::Column::TeamCode)
        .from(trajectories::Entity)
        .to_owned();
    teams::Entity::delete_many()
        .filter(teams::Column::Code.is_in(gone_teams))
        .filter(teams::Column::Code.not_in_subquery(in_use_by_members))
        .filter(teams::Column::Code.not_in_subquery(in_use_by_trajectories))
        .exec(&tx.inner)
        .await?;

    let mut q = branches::Entity::delete_many().filter(branches::Column::Code.is_in(gone_branches));
    for used in [
        Query::select()
            .column(teams::Column::BranchCode)
            .from(teams::Entity)
            .to_owned(),
        Query::select()
            .column(clients::Column::BranchCode)
            .from(clients::Entity)
            .to_owned(),
        Query::select()
            .column(trajectories::Column::BranchCode)
            .from(trajectories::Entity)
            .to_owned(),
        Query::select()
            .column(staff_users::Column::BranchCode)
            .from(staff_users::Entity)
            .and_where(Expr::col(staff_users::Column::BranchCode).is_not_null())
            .to_owned(),
    ] {
        q = q.filter(branches::Column::Code.not_in_subquery(used));
    }
    q.exec(&tx.inner).await?;
    Ok(())
}

/// All branches `(code, name)`, by code.
pub async fn branch_list(tx: &Tx) -> Result<Vec<(String, String)>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(branches::Entity::find()
        .order_by_asc(branches::Column::Code)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|b| (b.code, b.name))
        .collect())
}

/// All teams `(code, name, branch code)`, by code.
pub async fn team_list(tx: &Tx) -> Result<Vec<(String, String, String)>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(teams::Entity::find()
        .order_by_asc(teams::Column::Code)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|t| (t.code, t.name, t.branch_code))
        .collect())
}
