//! The register of data breaches (TRN-3, m0033). Whoever a breach concerns, no client's
//! proof covers the register: the core's gate decides and records every access before
//! it calls these functions; the free-text fields (how it was discovered, the facts, the
//! consequences, the measures, a contact point, the reasons) are sealed with the system
//! key by the core and arrive here as ciphertext.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

/// Reported by a staff member, not yet taken up by the privacy officer.
pub const REPORTED: &str = "reported";
/// Taken up: the facts are being completed and the decisions made.
pub const OPEN: &str = "open";
/// Decided and done; no longer changed.
pub const CLOSED: &str = "closed";

mod rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "data_breaches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub reference: String,
        pub status: String,
        pub aware_at: DateTimeUtc,
        pub reported_by: Uuid,
        pub reported_at: DateTimeUtc,
        pub noticed_at: DateTimeUtc,
        pub occurred_from: Option<Date>,
        pub occurred_to: Option<Date>,
        pub discovered_ct: Option<Vec<u8>>,
        pub facts_ct: Vec<u8>,
        pub data_categories: String,
        pub special_categories: bool,
        pub people_categories: String,
        pub people_count: Option<i64>,
        pub records_count: Option<i64>,
        pub consequences_ct: Option<Vec<u8>>,
        pub measures_ct: Option<Vec<u8>>,
        pub contact_ct: Option<Vec<u8>>,
        pub notify_decision: Option<String>,
        pub notify_reason_ct: Option<Vec<u8>>,
        pub inform_decision: Option<String>,
        pub inform_reason_ct: Option<Vec<u8>>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub notified_at: Option<DateTimeUtc>,
        pub ap_reference: Option<String>,
        pub late_reason_ct: Option<Vec<u8>>,
        pub informed_at: Option<DateTimeUtc>,
        pub escalation: Option<String>,
        pub escalated_at: Option<DateTimeUtc>,
        pub closed_by: Option<Uuid>,
        pub closed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A breach as stored; the free-text fields are ciphertext.
#[derive(Clone, PartialEq, Eq)]
pub struct BreachRow {
    pub id: Uuid,
    pub reference: String,
    /// [`REPORTED`], [`OPEN`] or [`CLOSED`].
    pub status: String,
    pub aware_at: DateTime<Utc>,
    pub reported_by: UserId,
    pub reported_at: DateTime<Utc>,
    pub noticed_at: DateTime<Utc>,
    pub facts: BreachFacts,
    pub notify_decision: Option<String>,
    pub notify_reason_ct: Option<Vec<u8>>,
    pub inform_decision: Option<String>,
    pub inform_reason_ct: Option<Vec<u8>>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub notified_at: Option<DateTime<Utc>>,
    pub ap_reference: Option<String>,
    pub late_reason_ct: Option<Vec<u8>>,
    pub informed_at: Option<DateTime<Utc>>,
    /// `due_soon` or `overdue`: the last stage the privacy officer was mailed about.
    pub escalation: Option<String>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub closed_by: Option<UserId>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for BreachRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BreachRow({}, {}, {}, ***)",
            self.id, self.reference, self.status
        )
    }
}

/// The facts of a breach, as the privacy officer completes them.
#[derive(Clone, PartialEq, Eq)]
pub struct BreachFacts {
    pub aware_at: DateTime<Utc>,
    pub occurred_from: Option<NaiveDate>,
    pub occurred_to: Option<NaiveDate>,
    pub discovered_ct: Option<Vec<u8>>,
    pub facts_ct: Vec<u8>,
    /// Codes of `zv_policy::DataCategory`, comma-separated.
    pub data_categories: String,
    pub special_categories: bool,
    /// Codes of `zv_policy::DataSubject`, comma-separated.
    pub people_categories: String,
    pub people_count: Option<i64>,
    pub records_count: Option<i64>,
    pub consequences_ct: Option<Vec<u8>>,
    pub measures_ct: Option<Vec<u8>>,
    pub contact_ct: Option<Vec<u8>>,
}

impl std::fmt::Debug for BreachFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BreachFacts({}, ***)", self.aware_at)
    }
}

impl From<rows::Model> for BreachRow {
    fn from(m: rows::Model) -> Self {
        Self {
            id: m.id,
            reference: m.reference,
            status: m.status,
            aware_at: m.aware_at,
            reported_by: UserId::from_uuid(m.reported_by),
            reported_at: m.reported_at,
            noticed_at: m.noticed_at,
            facts: BreachFacts {
                aware_at: m.aware_at,
                occurred_from: m.occurred_from,
                occurred_to: m.occurred_to,
                discovered_ct: m.discovered_ct,
                facts_ct: m.facts_ct,
                data_categories: m.data_categories,
                special_categories: m.special_categories,
                people_categories: m.people_categories,
                people_count: m.people_count,
                records_count: m.records_count,
                consequences_ct: m.consequences_ct,
                measures_ct: m.measures_ct,
                contact_ct: m.contact_ct,
            },
            notify_decision: m.notify_decision,
            notify_reason_ct: m.notify_reason_ct,
            inform_decision: m.inform_decision,
            inform_reason_ct: m.inform_reason_ct,
            decided_by: m.decided_by.map(UserId::from_uuid),
            decided_at: m.decided_at,
            notified_at: m.notified_at,
            ap_reference: m.ap_reference,
            late_reason_ct: m.late_reason_ct,
            informed_at: m.informed_at,
            escalation: m.escalation,
            escalated_at: m.escalated_at,
            closed_by: m.closed_by.map(UserId::from_uuid),
            closed_at: m.closed_at,
            updated_at: m.updated_at,
        }
    }
}

/// A reported breach to insert: the clock starts at `aware_at`.
#[derive(Clone)]
pub struct NewBreach {
    pub id: Uuid,
    pub reference: String,
    pub aware_at: DateTime<Utc>,
    pub reported_by: UserId,
    pub reported_at: DateTime<Utc>,
    pub noticed_at: DateTime<Utc>,
    pub facts_ct: Vec<u8>,
}

/// A reporter's own report: its reference and when, no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnReport {
    pub id: Uuid,
    pub reference: String,
    pub reported_at: DateTime<Utc>,
}

/// What the escalation needs of a breach whose clock runs: no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningClock {
    pub id: Uuid,
    pub reference: String,
    pub aware_at: DateTime<Utc>,
    pub escalation: Option<String>,
}

/// The decision on notifying the authority and informing the people concerned.
#[derive(Clone)]
pub struct BreachDecision {
    pub notify: String,
    pub notify_reason_ct: Option<Vec<u8>>,
    pub inform: String,
    pub inform_reason_ct: Option<Vec<u8>>,
}

pub async fn insert(tx: &Tx, b: &NewBreach) -> Result<(), StoreError> {
    let at = micros(b.reported_at);
    rows::Entity::insert(rows::ActiveModel {
        id: Set(b.id),
        reference: Set(b.reference.clone()),
        status: Set(REPORTED.to_owned()),
        aware_at: Set(micros(b.aware_at)),
        reported_by: Set(b.reported_by.as_uuid()),
        reported_at: Set(at),
        noticed_at: Set(micros(b.noticed_at)),
        occurred_from: Set(None),
        occurred_to: Set(None),
        discovered_ct: Set(None),
        facts_ct: Set(b.facts_ct.clone()),
        data_categories: Set(String::new()),
        special_categories: Set(false),
        people_categories: Set(String::new()),
        people_count: Set(None),
        records_count: Set(None),
        consequences_ct: Set(None),
        measures_ct: Set(None),
        contact_ct: Set(None),
        notify_decision: Set(None),
        notify_reason_ct: Set(None),
        inform_decision: Set(None),
        inform_reason_ct: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        notified_at: Set(None),
        ap_reference: Set(None),
        late_reason_ct: Set(None),
        informed_at: Set(None),
        escalation: Set(None),
        escalated_at: Set(None),
        closed_by: Set(None),
        closed_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every breach, most recent awareness first.
pub async fn list(tx: &Tx) -> Result<Vec<BreachRow>, StoreError> {
    Ok(rows::Entity::find()
        .order_by_desc(rows::Column::AwareAt)
        .order_by_desc(rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(BreachRow::from)
        .collect())
}

pub async fn find(tx: &Tx, id: Uuid) -> Result<Option<BreachRow>, StoreError> {
    Ok(rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(BreachRow::from))
}

/// The references of what one staff member reported, most recent first.
pub async fn reported_by(tx: &Tx, user: UserId) -> Result<Vec<OwnReport>, StoreError> {
    Ok(rows::Entity::find()
        .filter(rows::Column::ReportedBy.eq(user.as_uuid()))
        .order_by_desc(rows::Column::ReportedAt)
        .order_by_desc(rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| OwnReport {
            id: m.id,
            reference: m.reference,
            reported_at: m.reported_at,
        })
        .collect())
}

/// Changes the facts of a breach that is not closed, and takes a reported one up
/// (status open); `false` when it is closed (or gone).
pub async fn update_facts(
    tx: &Tx,
    id: Uuid,
    f: &BreachFacts,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(OPEN))
        .col_expr(rows::Column::AwareAt, Expr::value(micros(f.aware_at)))
        .col_expr(rows::Column::OccurredFrom, Expr::value(f.occurred_from))
        .col_expr(rows::Column::OccurredTo, Expr::value(f.occurred_to))
        .col_expr(
            rows::Column::DiscoveredCt,
            Expr::value(f.discovered_ct.clone()),
        )
        .col_expr(rows::Column::FactsCt, Expr::value(f.facts_ct.clone()))
        .col_expr(
            rows::Column::DataCategories,
            Expr::value(f.data_categories.clone()),
        )
        .col_expr(
            rows::Column::SpecialCategories,
            Expr::value(f.special_categories),
        )
        .col_expr(
            rows::Column::PeopleCategories,
            Expr::value(f.people_categories.clone()),
        )
        .col_expr(rows::Column::PeopleCount, Expr::value(f.people_count))
        .col_expr(rows::Column::RecordsCount, Expr::value(f.records_count))
        .col_expr(
            rows::Column::ConsequencesCt,
            Expr::value(f.consequences_ct.clone()),
        )
        .col_expr(rows::Column::MeasuresCt, Expr::value(f.measures_ct.clone()))
        .col_expr(rows::Column::ContactCt, Expr::value(f.contact_ct.clone()))
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.ne(CLOSED))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Records (or changes) the decision on notifying and informing; takes a reported breach
/// up. `false` when it is closed (or gone).
pub async fn set_decision(
    tx: &Tx,
    id: Uuid,
    d: &BreachDecision,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let at = micros(at);
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(OPEN))
        .col_expr(
            rows::Column::NotifyDecision,
            Expr::value(Some(d.notify.clone())),
        )
        .col_expr(
            rows::Column::NotifyReasonCt,
            Expr::value(d.notify_reason_ct.clone()),
        )
        .col_expr(
            rows::Column::InformDecision,
            Expr::value(Some(d.inform.clone())),
        )
        .col_expr(
            rows::Column::InformReasonCt,
            Expr::value(d.inform_reason_ct.clone()),
        )
        .col_expr(rows::Column::DecidedBy, Expr::value(Some(by.as_uuid())))
        .col_expr(rows::Column::DecidedAt, Expr::value(Some(at)))
        .col_expr(rows::Column::UpdatedAt, Expr::value(at))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.ne(CLOSED))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Records the notification to the authority, once; `false` when it was recorded
/// already or the breach is closed (or gone).
pub async fn set_notified(
    tx: &Tx,
    id: Uuid,
    notified_at: DateTime<Utc>,
    ap_reference: &str,
    late_reason_ct: Option<Vec<u8>>,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(
            rows::Column::NotifiedAt,
            Expr::value(Some(micros(notified_at))),
        )
        .col_expr(
            rows::Column::ApReference,
            Expr::value(Some(ap_reference.to_owned())),
        )
        .col_expr(rows::Column::LateReasonCt, Expr::value(late_reason_ct))
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.ne(CLOSED))
        .filter(rows::Column::NotifiedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Records when the people concerned were informed, once; `false` when it was recorded
/// already or the breach is closed (or gone).
pub async fn set_informed(
    tx: &Tx,
    id: Uuid,
    informed_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(
            rows::Column::InformedAt,
            Expr::value(Some(micros(informed_at))),
        )
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.ne(CLOSED))
        .filter(rows::Column::InformedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Closes a breach; `false` when it was closed already (or gone).
pub async fn close(tx: &Tx, id: Uuid, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let at = micros(at);
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(CLOSED))
        .col_expr(rows::Column::ClosedBy, Expr::value(Some(by.as_uuid())))
        .col_expr(rows::Column::ClosedAt, Expr::value(Some(at)))
        .col_expr(rows::Column::UpdatedAt, Expr::value(at))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.ne(CLOSED))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Breaches whose clock runs: not closed, not notified, and not decided against
/// notifying.
pub async fn running_clocks(tx: &Tx) -> Result<Vec<RunningClock>, StoreError> {
    Ok(rows::Entity::find()
        .filter(rows::Column::Status.ne(CLOSED))
        .filter(rows::Column::NotifiedAt.is_null())
        .filter(
            Condition::any()
                .add(rows::Column::NotifyDecision.is_null())
                .add(rows::Column::NotifyDecision.ne("not_notify")),
        )
        .order_by_asc(rows::Column::AwareAt)
        .order_by_asc(rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| RunningClock {
            id: m.id,
            reference: m.reference,
            aware_at: m.aware_at,
            escalation: m.escalation,
        })
        .collect())
}

/// Marks that the privacy officer was told a breach reached `stage` (`due_soon` or
/// `overdue`). Changes nothing, and answers `false`, when that stage or a later one was
/// marked already: so two runs at once queue one mail.
pub async fn mark_escalated(
    tx: &Tx,
    id: Uuid,
    stage: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let earlier = match stage {
        "overdue" => Condition::any()
            .add(rows::Column::Escalation.is_null())
            .add(rows::Column::Escalation.eq("due_soon")),
        _ => Condition::all().add(rows::Column::Escalation.is_null()),
    };
    Ok(rows::Entity::update_many()
        .col_expr(
            rows::Column::Escalation,
            Expr::value(Some(stage.to_owned())),
        )
        .col_expr(rows::Column::EscalatedAt, Expr::value(Some(micros(at))))
        .filter(rows::Column::Id.eq(id))
        .filter(earlier)
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}
