//! The retention sweep's queries (RET-4): its work list in id order, the re-check inside
//! a batch's transaction, the anonymised facts, and the lease that keeps two sweeps from
//! running at once. Ids and codes only: nothing here returns personal data.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TryGetable,
};
use uuid::Uuid;
use zv_domain::{ClientId, TrajectoryId};

use crate::entity::trajectories;
use crate::in_list::padded;
use crate::rows::micros;
use crate::{StoreError, Tx};

mod facts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "anonymised_facts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub service_type: String,
        pub branch_code: String,
        pub municipality: Option<String>,
        pub year: i64,
        pub age_band: Option<String>,
        pub goals: i64,
        pub goals_reached: i64,
        pub rule: String,
        pub anonymised_on: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod leases {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_leases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub job: String,
        pub holder: Uuid,
        pub until: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A trajectory whose term has passed, with what the sweep needs to decide on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTrajectory {
    pub id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub branch_code: String,
    pub domestic_violence: bool,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub retention_until: NaiveDate,
    /// The report facts (SHR-5) the anonymised facts keep, where known.
    pub municipality: Option<String>,
    pub age_band: Option<String>,
}

type DueTuple = (
    Uuid,
    Uuid,
    String,
    String,
    bool,
    NaiveDate,
    Option<NaiveDate>,
    NaiveDate,
    Option<String>,
    Option<String>,
);

fn due_select() -> sea_orm::Select<trajectories::Entity> {
    use trajectories::Column as C;
    trajectories::Entity::find()
        .select_only()
        .column(C::Id)
        .column(C::ClientId)
        .column(C::ServiceType)
        .column(C::BranchCode)
        .column(C::DomesticViolence)
        .column(C::OpenedOn)
        .column(C::ClosedOn)
        .column(C::RetentionUntil)
        .column(C::Municipality)
        .column(C::AgeBand)
}

fn due_of(t: DueTuple) -> DueTrajectory {
    DueTrajectory {
        id: TrajectoryId::from_uuid(t.0),
        client_id: ClientId::from_uuid(t.1),
        service_type: t.2,
        branch_code: t.3,
        domestic_violence: t.4,
        opened_on: t.5,
        closed_on: t.6,
        retention_until: t.7,
        municipality: t.8,
        age_band: t.9,
    }
}

/// Trajectories whose retention date lies before `on` (the retention date is the last day
/// kept; the data goes the day after, RET-4), in id order after `after`:
/// the sweep's work list, read in batches. The id order lets a batch resume after items
/// it had to skip (held, extended) without reading them again.
pub async fn due_after(
    tx: &Tx,
    on: NaiveDate,
    after: Option<TrajectoryId>,
    limit: u64,
) -> Result<Vec<DueTrajectory>, StoreError> {
    use trajectories::Column as C;
    let mut q = trajectories::Entity::find()
        .filter(C::RetentionUntil.lt(on))
        .filter(C::ClosedOn.is_not_null());
    if let Some(after) = after {
        q = q.filter(C::Id.gt(after.as_uuid()));
    }
    let ids: Vec<Uuid> = q
        .select_only()
        .column(C::Id)
        .order_by_asc(C::Id)
        .limit(limit)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<DueTrajectory> = due_select()
        .filter(C::Id.is_in(padded(ids)))
        .into_tuple::<DueTuple>()
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(due_of)
        .collect();
    rows.sort_by_key(|r| r.id.as_uuid());
    Ok(rows)
}

/// Of the given trajectories, those still there and still due on `on`: the re-check
/// inside the transaction that destroys them (an extension may have come in between).
pub async fn still_due(
    tx: &Tx,
    ids: &[TrajectoryId],
    on: NaiveDate,
) -> Result<Vec<DueTrajectory>, StoreError> {
    use trajectories::Column as C;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<DueTrajectory> = due_select()
        .filter(C::Id.is_in(padded(ids.iter().map(|t| t.as_uuid()))))
        .filter(C::RetentionUntil.lt(on))
        .filter(C::ClosedOn.is_not_null())
        .into_tuple::<DueTuple>()
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(due_of)
        .collect();
    rows.sort_by_key(|r| r.id.as_uuid());
    Ok(rows)
}

/// How many trajectories are due on `on` (held and extended ones included).
pub async fn due_count(tx: &Tx, on: NaiveDate) -> Result<u64, StoreError> {
    use trajectories::Column as C;
    Ok(trajectories::Entity::find()
        .filter(C::RetentionUntil.lt(on))
        .filter(C::ClosedOn.is_not_null())
        .count(&tx.inner)
        .await?)
}

/// Every trajectory of the given clients: id, client and retention date (none while
/// open). For the dry run, which destroys nothing and so must reason about what would be
/// left.
pub async fn trajectories_of_clients(
    tx: &Tx,
    clients: &[ClientId],
) -> Result<Vec<(TrajectoryId, ClientId, Option<NaiveDate>)>, StoreError> {
    use trajectories::Column as C;
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid, Option<NaiveDate>)> = trajectories::Entity::find()
        .select_only()
        .column(C::Id)
        .column(C::ClientId)
        .column(C::RetentionUntil)
        .filter(C::ClientId.is_in(padded(clients.iter().map(|c| c.as_uuid()))))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, c, d)| (TrajectoryId::from_uuid(t), ClientId::from_uuid(c), d))
        .collect())
}

/// Of the given clients, those that still have a trajectory other than `going`.
pub async fn clients_keeping_trajectories(
    tx: &Tx,
    clients: &[ClientId],
    going: &[TrajectoryId],
) -> Result<HashSet<ClientId>, StoreError> {
    use trajectories::Column as C;
    if clients.is_empty() {
        return Ok(HashSet::new());
    }
    let mut q = trajectories::Entity::find()
        .select_only()
        .column(C::ClientId)
        .distinct()
        .filter(C::ClientId.is_in(padded(clients.iter().map(|c| c.as_uuid()))));
    if !going.is_empty() {
        q = q.filter(C::Id.is_not_in(padded(going.iter().map(|t| t.as_uuid()))));
    }
    let rows: Vec<Uuid> = q.into_tuple().all(&tx.inner).await?;
    Ok(rows.into_iter().map(ClientId::from_uuid).collect())
}

/// Per trajectory: how many goals it had and how many reached 100% (the outcome of goals
/// for the anonymised facts). Only codes and numbers are read.
pub async fn goal_outcomes(
    tx: &Tx,
    ids: &[TrajectoryId],
) -> Result<HashMap<TrajectoryId, (i64, i64)>, StoreError> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    // Correlated, so it reads only the progress of these goals (index
    // `goal_progress_entry`): an uncorrelated `IN (SELECT ...)` built the set of every
    // reached goal in the database once per batch.
    let reached = Query::select()
        .expr(Expr::val(1))
        .from_as("goal_progress", "p")
        .and_where(Expr::col(("p", "entry_id")).equals(("entries", "id")))
        .and_where(Expr::col(("p", "progress")).gte(100))
        .to_owned();
    let goals = Query::select()
        .column("trajectory_id")
        .expr(Expr::col("id").count())
        .from("entries")
        .and_where(crate::entries::is_goal("kind"))
        .and_where(Expr::col("trajectory_id").is_in(padded(ids.iter().map(|t| t.as_uuid()))))
        .group_by_col("trajectory_id")
        .to_owned();
    for row in tx.inner.query_all(&goals).await? {
        let t = Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
        let n = i64::try_get_by_index(&row, 1).map_err(sea_orm::DbErr::from)?;
        out.insert(TrajectoryId::from_uuid(t), (n, 0));
    }
    let done = Query::select()
        .column("trajectory_id")
        .expr(Expr::col("id").count())
        .from("entries")
        .and_where(crate::entries::is_goal("kind"))
        .and_where(Expr::col("trajectory_id").is_in(padded(ids.iter().map(|t| t.as_uuid()))))
        .and_where(Expr::exists(reached))
        .group_by_col("trajectory_id")
        .to_owned();
    for row in tx.inner.query_all(&done).await? {
        let t = Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
        let n = i64::try_get_by_index(&row, 1).map_err(sea_orm::DbErr::from)?;
        out.entry(TrajectoryId::from_uuid(t)).or_insert((0, 0)).1 = n;
    }
    Ok(out)
}

/// The facts an anonymised trajectory leaves (RET-4): nothing that leads to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonymisedFacts {
    pub service_type: String,
    pub branch_code: String,
    pub municipality: Option<String>,
    pub year: i32,
    pub age_band: Option<String>,
    pub goals: i64,
    pub goals_reached: i64,
    pub rule: String,
    pub anonymised_on: NaiveDate,
}

pub async fn insert_facts(tx: &Tx, rows: Vec<AnonymisedFacts>) -> Result<u64, StoreError> {
    let rows = rows
        .into_iter()
        .map(|f| facts::ActiveModel {
            id: Set(Uuid::now_v7()),
            service_type: Set(f.service_type),
            branch_code: Set(f.branch_code),
            municipality: Set(f.municipality),
            year: Set(i64::from(f.year)),
            age_band: Set(f.age_band),
            goals: Set(f.goals),
            goals_reached: Set(f.goals_reached),
            rule: Set(f.rule),
            anonymised_on: Set(f.anonymised_on),
        })
        .collect();
    crate::bulk::insert_all(tx, rows).await
}

/// All anonymised facts, for the reports (SHR-5) and the tests.
pub async fn all_facts(tx: &Tx) -> Result<Vec<AnonymisedFacts>, StoreError> {
    Ok(facts::Entity::find()
        .order_by_asc(facts::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| AnonymisedFacts {
            service_type: m.service_type,
            branch_code: m.branch_code,
            municipality: m.municipality,
            year: i32::try_from(m.year).unwrap_or(0),
            age_band: m.age_band,
            goals: m.goals,
            goals_reached: m.goals_reached,
            rule: m.rule,
            anonymised_on: m.anonymised_on,
        })
        .collect())
}

/// Takes the lease of `job` for `holder` until `until`, if nobody holds it or the
/// holder's lease ran out (a killed run). `false`: someone else holds it.
pub async fn take_lease(
    tx: &Tx,
    job: &str,
    holder: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use leases::{ActiveModel, Column, Entity};
    let taken = Entity::update_many()
        .col_expr(Column::Holder, Expr::value(holder))
        .col_expr(Column::Until, Expr::value(micros(until)))
        .filter(Column::Job.eq(job))
        .filter(
            sea_orm::Condition::any()
                .add(Column::Until.lt(micros(now)))
                .add(Column::Holder.eq(holder)),
        )
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if taken == 1 {
        return Ok(true);
    }
    let exists = Entity::find_by_id(job.to_owned()).one(&tx.inner).await?;
    if exists.is_some() {
        return Ok(false);
    }
    Entity::insert(ActiveModel {
        job: Set(job.to_owned()),
        holder: Set(holder),
        until: Set(micros(until)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(true)
}

/// Gives the lease back, if `holder` still has it.
pub async fn release_lease(tx: &Tx, job: &str, holder: Uuid) -> Result<(), StoreError> {
    use leases::{Column, Entity};
    Entity::delete_many()
        .filter(Column::Job.eq(job))
        .filter(Column::Holder.eq(holder))
        .exec(&tx.inner)
        .await?;
    Ok(())
}
