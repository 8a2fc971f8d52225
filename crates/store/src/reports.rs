//! Anonymous reports to municipalities (SHR-5, m0035): the non-identifying facts of
//! trajectories, counted by the core, and the register of reports handed over. Only codes,
//! dates of the help and counts are read here; nothing needs a client's proof.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TryGetable,
};
use uuid::Uuid;
use zv_domain::clock::start_of_local_day;
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::entity::trajectories;
use crate::rows::micros;
use crate::{StoreError, Tx};

mod releases {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_releases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub scope_kind: String,
        pub scope_code: String,
        pub municipalities: String,
        pub service_type: Option<String>,
        pub period_from: Date,
        pub period_to: Date,
        pub recipient: String,
        pub released_by: Uuid,
        pub released_at: DateTimeUtc,
        pub cells: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One trajectory as a report sees it: who (an id, only to count people once), which
/// help, where, when, and the coarse facts. The id never leaves the core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRow {
    pub trajectory_id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub branch_code: String,
    pub municipality: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

type FactTuple = (
    Uuid,
    Uuid,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
);

/// Which trajectories a report covers: those of `branches` that ran at some time in
/// `from..=to`. Its rows and its goals are read by the same condition.
fn running_in(branches: &[String], from: NaiveDate, to: NaiveDate) -> Condition {
    use trajectories::Column as C;
    Condition::all()
        .add(C::BranchCode.is_in(branches.iter().cloned()))
        .add(C::OpenedOn.lte(to))
        .add(
            Condition::any()
                .add(C::ClosedOn.is_null())
                .add(C::ClosedOn.gte(from)),
        )
}

/// The trajectories of `branches` that ran at some time in `from..=to`.
pub async fn trajectories_in_period(
    tx: &Tx,
    branches: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FactRow>, StoreError> {
    use trajectories::Column as C;
    let rows: Vec<FactTuple> = trajectories::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::ClientId,
            C::ServiceType,
            C::BranchCode,
            C::Municipality,
            C::AgeBand,
            C::Gender,
            C::OpenedOn,
            C::ClosedOn,
        ])
        .filter(running_in(branches, from, to))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| FactRow {
            trajectory_id: TrajectoryId::from_uuid(r.0),
            client_id: ClientId::from_uuid(r.1),
            service_type: r.2,
            branch_code: r.3,
            municipality: r.4,
            age_band: r.5,
            gender: r.6,
            opened_on: r.7,
            closed_on: r.8,
        })
        .collect())
}

/// Per trajectory that [`trajectories_in_period`] returns for the same arguments: the
/// goals set on a (Dutch) day of `from..=to` and the goals reached (progress recorded at
/// 100%) on one. Trajectories without either are left out.
pub async fn goals_in_period(
    tx: &Tx,
    branches: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<TrajectoryId, (i64, i64)>, StoreError> {
    Ok(goal_counts(tx, Some((branches, from, to)))
        .await?
        .into_iter()
        .map(|(t, n)| (TrajectoryId::from_uuid(t), n))
        .collect())
}

/// Per trajectory (running in a report's branches and days, or all): the goals set and
/// the goals reached (progress recorded at 100%), within those days or over the
/// trajectory's whole life. One grouped query over the goals of those trajectories,
/// never a list of ids (which would outgrow the engines' limit on parameters in a large
/// organisation).
async fn goal_counts(
    tx: &Tx,
    scope: Option<(&[String], NaiveDate, NaiveDate)>,
) -> Result<HashMap<Uuid, (i64, i64)>, StoreError> {
    let instants = scope.map(|(_, from, to)| {
        (
            micros(start_of_local_day(from)),
            micros(start_of_local_day(to + chrono::Duration::days(1))),
        )
    });
    let within = |table: &'static str| {
        instants.map(|(start, end)| {
            Expr::col((table, "created_at"))
                .gte(start)
                .and(Expr::col((table, "created_at")).lt(end))
        })
    };
    let mut notes = Query::select()
        .column(("g", "entry_id"))
        .from_as("goal_progress", "g")
        .and_where(Expr::col(("g", "progress")).gte(100))
        .to_owned();
    // A report's goals each look up their own notes by index, a small share of all
    // notes; over the whole organisation one pass over the notes is cheaper.
    let reached = match within("g") {
        Some(c) => Expr::exists(
            notes
                .and_where(c)
                .and_where(Expr::col(("g", "entry_id")).equals(("e", "id")))
                .to_owned(),
        ),
        None => Expr::col(("e", "id")).in_subquery(notes),
    };
    let set: Expr = match within("e") {
        Some(c) => Expr::case(c, 1).into(),
        None => Expr::val(1),
    };
    let mut stmt = Query::select()
        .column(("e", "trajectory_id"))
        .expr(Func::count(set))
        .expr(Func::count(Expr::case(reached, 1)))
        .from_as("entries", "e")
        .and_where(crate::entries::is_goal(("e", "kind")))
        .group_by_col(("e", "trajectory_id"))
        .to_owned();
    if let Some((branches, from, to)) = scope {
        stmt.and_where(
            Expr::col(("e", "trajectory_id")).in_subquery(
                Query::select()
                    .column(trajectories::Column::Id)
                    .from(trajectories::Entity)
                    .cond_where(running_in(branches, from, to))
                    .to_owned(),
            ),
        );
    }
    let mut out: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for row in tx.inner.query_all(&stmt).await? {
        let t = Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
        let set = i64::try_get_by_index(&row, 1).map_err(sea_orm::DbErr::from)?;
        let reached = i64::try_get_by_index(&row, 2).map_err(sea_orm::DbErr::from)?;
        if set > 0 || reached > 0 {
            out.insert(t, (set, reached));
        }
    }
    Ok(out)
}

/// Up to `limit` trajectories whose age band or gender is not known yet (opened before
/// the facts were kept), with their client and opening day.
pub async fn missing_person_facts(
    tx: &Tx,
    limit: u64,
) -> Result<Vec<(TrajectoryId, ClientId, NaiveDate)>, StoreError> {
    use trajectories::Column as C;
    let rows: Vec<(Uuid, Uuid, NaiveDate)> = trajectories::Entity::find()
        .select_only()
        .columns([C::Id, C::ClientId, C::OpenedOn])
        .filter(
            sea_orm::Condition::any()
                .add(C::AgeBand.is_null())
                .add(C::Gender.is_null()),
        )
        .order_by_asc(C::ClientId)
        .limit(limit)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, c, o)| (TrajectoryId::from_uuid(t), ClientId::from_uuid(c), o))
        .collect())
}

/// Sets the age band and gender of a trajectory where given (computed by the core from
/// the sealed birth date and gender).
pub async fn set_person_facts(
    tx: &Tx,
    trajectory: TrajectoryId,
    age_band: Option<&str>,
    gender: Option<&str>,
) -> Result<(), StoreError> {
    use trajectories::Column as C;
    let mut update = trajectories::Entity::update_many();
    if let Some(band) = age_band {
        update = update.col_expr(C::AgeBand, Expr::value(band));
    }
    if let Some(gender) = gender {
        update = update.col_expr(C::Gender, Expr::value(gender));
    }
    if age_band.is_none() && gender.is_none() {
        return Ok(());
    }
    update
        .filter(C::Id.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// A report as it was handed to a municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    pub id: Uuid,
    pub scope_kind: String,
    pub scope_code: String,
    /// JSON list of municipality names.
    pub municipalities: String,
    pub service_type: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub recipient: String,
    pub released_by: UserId,
    pub released_at: DateTime<Utc>,
    /// JSON, written and read by the core.
    pub cells: String,
}

impl From<releases::Model> for ReleaseRow {
    fn from(m: releases::Model) -> Self {
        Self {
            id: m.id,
            scope_kind: m.scope_kind,
            scope_code: m.scope_code,
            municipalities: m.municipalities,
            service_type: m.service_type,
            period_from: m.period_from,
            period_to: m.period_to,
            recipient: m.recipient,
            released_by: UserId::from_uuid(m.released_by),
            released_at: m.released_at,
            cells: m.cells,
        }
    }
}

pub async fn insert_release(tx: &Tx, r: &ReleaseRow) -> Result<(), StoreError> {
    releases::Entity::insert(releases::ActiveModel {
        id: Set(r.id),
        scope_kind: Set(r.scope_kind.clone()),
        scope_code: Set(r.scope_code.clone()),
        municipalities: Set(r.municipalities.clone()),
        service_type: Set(r.service_type.clone()),
        period_from: Set(r.period_from),
        period_to: Set(r.period_to),
        recipient: Set(r.recipient.clone()),
        released_by: Set(r.released_by.as_uuid()),
        released_at: Set(micros(r.released_at)),
        cells: Set(r.cells.clone()),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every release, newest first.
pub async fn releases(tx: &Tx) -> Result<Vec<ReleaseRow>, StoreError> {
    use releases::Column as C;
    Ok(releases::Entity::find()
        .order_by_desc(C::ReleasedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ReleaseRow::from)
        .collect())
}

/// The releases whose period shares a day with `from..=to`.
pub async fn releases_overlapping(
    tx: &Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ReleaseRow>, StoreError> {
    use releases::Column as C;
    Ok(releases::Entity::find()
        .filter(C::PeriodFrom.lte(to))
        .filter(C::PeriodTo.gte(from))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ReleaseRow::from)
        .collect())
}

pub async fn release(tx: &Tx, id: Uuid) -> Result<Option<ReleaseRow>, StoreError> {
    Ok(releases::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(ReleaseRow::from))
}

/// One trajectory as the export for training and research (SHR-5, decision 0039) starts
/// from: the facts a report counts, the domestic-violence flag and the goals. The client's
/// id is there only so the core counts people, not trajectories; neither id leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingFactRow {
    pub client_id: ClientId,
    pub service_type: String,
    pub branch_code: String,
    pub municipality: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub domestic_violence: bool,
    pub goals_set: i64,
    pub goals_reached: i64,
}

type TrainingTuple = (
    Uuid,
    Uuid,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
    bool,
);

/// Every trajectory not under a freeze, with its goals set and reached (progress
/// recorded at 100%) over its whole life. A frozen trajectory (restriction, upheld
/// objection, withdrawn consent: RTS-7, RTS-9, RTS-10) is not processed for another
/// purpose, so it stays out.
pub async fn training_facts(tx: &Tx) -> Result<Vec<TrainingFactRow>, StoreError> {
    use trajectories::Column as C;
    let rows: Vec<TrainingTuple> = trajectories::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::ClientId,
            C::ServiceType,
            C::BranchCode,
            C::Municipality,
            C::AgeBand,
            C::Gender,
            C::OpenedOn,
            C::ClosedOn,
            C::DomesticViolence,
        ])
        .filter(C::FrozenKind.is_null())
        .into_tuple()
        .all(&tx.inner)
        .await?;
    let goals = goal_counts(tx, None).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (goals_set, goals_reached) = goals.get(&r.0).copied().unwrap_or((0, 0));
            TrainingFactRow {
                client_id: ClientId::from_uuid(r.1),
                service_type: r.2,
                branch_code: r.3,
                municipality: r.4,
                age_band: r.5,
                gender: r.6,
                opened_on: r.7,
                closed_on: r.8,
                domestic_violence: r.9,
                goals_set,
                goals_reached,
            }
        })
        .collect())
}
