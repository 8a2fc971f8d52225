//! Clients through the API: the caseload, search, intake, the client (services overview
//! and profile), the BSN (DOS-4) and related persons. The same core calls as the pages
//! in `pages::home` and `pages::clients`.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::clients::NewClientInput;
use zv_core::related::RelatedPersonInput;
use zv_core::trajectories::{TrajectoryInput, TrajectorySummary};
use zv_domain::{
    Address, BirthDate, Bsn, ClientId, Email, Gender, PersonName, Phone, RelationKind,
};

use super::auth::Caller;
use super::{ApiError, Created, JsonBody, created, no_content, ok, path_id};
use crate::state::AppState;

/// A trajectory without dossier content.
#[derive(Serialize)]
pub struct Trajectory {
    id: uuid::Uuid,
    client_id: uuid::Uuid,
    service_type: String,
    team: String,
    branch: String,
    domestic_violence: bool,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    retention_until: Option<NaiveDate>,
    /// The freeze in force (RTS-7, RTS-9, RTS-10), for every reader of the trajectory.
    frozen: Option<zv_core::processing_stops::Frozen>,
}

impl From<&TrajectorySummary> for Trajectory {
    fn from(t: &TrajectorySummary) -> Self {
        Self {
            id: t.id.as_uuid(),
            client_id: t.client_id.as_uuid(),
            service_type: t.service_type.clone(),
            team: t.team.clone(),
            branch: t.branch.clone(),
            domestic_violence: t.domestic_violence,
            opened_on: t.opened_on,
            closed_on: t.closed_on,
            retention_until: t.retention_until,
            frozen: t.frozen,
        }
    }
}

#[derive(Serialize)]
struct CaseloadItem {
    trajectory: Trajectory,
    client_name: String,
    client_birth_date: NaiveDate,
}

impl From<&zv_core::caseload::CaseloadItem> for CaseloadItem {
    fn from(i: &zv_core::caseload::CaseloadItem) -> Self {
        Self {
            trajectory: Trajectory::from(&i.trajectory),
            client_name: i.client_name.clone(),
            client_birth_date: i.client_birth_date,
        }
    }
}

#[derive(Serialize)]
struct GrantedItem {
    #[serde(flatten)]
    item: CaseloadItem,
    grant_kind: String,
}

#[derive(Serialize)]
struct Caseload {
    open: Vec<CaseloadItem>,
    closed: Vec<CaseloadItem>,
    granted: Vec<GrantedItem>,
}

#[derive(Serialize)]
struct ServiceLine {
    trajectory: Trajectory,
    /// The caller may open this trajectory's dossier.
    open: bool,
}

#[derive(Serialize)]
struct ServicesOverview {
    id: uuid::Uuid,
    name: String,
    birth_date: NaiveDate,
    services: Vec<ServiceLine>,
}

impl From<&zv_core::clients::ServicesOverview> for ServicesOverview {
    fn from(o: &zv_core::clients::ServicesOverview) -> Self {
        Self {
            id: o.id.as_uuid(),
            name: o.name.clone(),
            birth_date: o.birth_date,
            services: o
                .services
                .iter()
                .map(|s| ServiceLine {
                    trajectory: Trajectory::from(&s.trajectory),
                    open: s.open,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ClientProfile {
    id: uuid::Uuid,
    branch: String,
    name: String,
    birth_date: NaiveDate,
    gender: &'static str,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    bsn_masked: Option<String>,
    confidential_address: bool,
}

#[derive(Serialize)]
struct ClientSearchResults {
    results: Vec<ServicesOverview>,
    more: bool,
}

#[derive(Serialize)]
struct Client {
    overview: ServicesOverview,
    /// Only for a reader of the dossier; a colleague of another team sees the overview.
    profile: Option<ClientProfile>,
}

#[derive(Serialize)]
struct RevealedBsn {
    bsn: Option<String>,
}

#[derive(Serialize)]
struct RegisteredClient {
    client_id: uuid::Uuid,
    trajectory_id: uuid::Uuid,
}

#[derive(Serialize)]
struct RelatedPerson {
    id: uuid::Uuid,
    relation: RelationKind,
    name: String,
    birth_date: Option<NaiveDate>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    authority_since: Option<NaiveDate>,
    mandate: Option<String>,
    linked_client: Option<uuid::Uuid>,
}

/// A date of a body or query, YYYY-MM-DD.
pub fn date(field: &'static str, raw: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CoreError::invalid(field, "a date is written as YYYY-MM-DD"))
}

fn optional<T>(
    field: &'static str,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, zv_domain::ValueError>,
) -> Result<Option<T>, CoreError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map(Some).map_err(CoreError::field(field)),
        None => Ok(None),
    }
}

fn client_id(raw: &str) -> Result<ClientId, ApiError> {
    path_id(raw).map(ClientId::from_uuid)
}

pub async fn caseload(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let c = state.app.caseload(caller.actor()).await?;
    ok(&Caseload {
        open: c.open.iter().map(CaseloadItem::from).collect(),
        closed: c.closed.iter().map(CaseloadItem::from).collect(),
        granted: c
            .granted
            .iter()
            .map(|(item, kind)| GrantedItem {
                item: CaseloadItem::from(item),
                grant_kind: kind.clone(),
            })
            .collect(),
    })
}

/// What a search asks for. It travels in the body: a name in a URL would end up in
/// logs and histories.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
}

pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(q): JsonBody<SearchQuery>,
) -> Result<Response, ApiError> {
    let birth = if q.birth_date.trim().is_empty() {
        None
    } else {
        Some(
            BirthDate::parse(q.birth_date.trim(), state.app.clock().today())
                .map_err(CoreError::field("birth_date"))?,
        )
    };
    let found = state
        .app
        .search_clients(caller.actor(), &q.name, birth)
        .await?;
    ok(&ClientSearchResults {
        results: found.found.iter().map(ServicesOverview::from).collect(),
        more: found.more,
    })
}

pub async fn client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let actor = caller.actor();
    let overview = state.app.services_overview(actor, id).await?;
    let profile = if state.app.may_read_profile(actor, id).await? {
        let p = state.app.client_profile(actor, id).await?;
        Some(ClientProfile {
            id: p.id.as_uuid(),
            branch: p.branch.clone(),
            name: p.name.clone(),
            birth_date: p.birth_date,
            gender: p.gender.code(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            bsn_masked: p.bsn_masked.clone(),
            confidential_address: p.confidential_address,
        })
    } else {
        None
    };
    ok(&Client {
        overview: ServicesOverview::from(&overview),
        profile,
    })
}

pub async fn reveal_bsn(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let bsn = state.app.reveal_bsn(caller.actor(), id).await?;
    ok(&RevealedBsn { bsn })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BsnInput {
    bsn: String,
}

pub async fn record_bsn(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<BsnInput>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let bsn = Bsn::parse(&b.bsn).map_err(CoreError::field("bsn"))?;
    state.app.record_bsn(caller.actor(), id, &bsn).await?;
    no_content()
}

/// The first trajectory of an intake, or a further one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTrajectory {
    service_type: String,
    team: String,
    #[serde(default)]
    domestic_violence: bool,
    opened_on: String,
    /// The municipality the help is for; may be left out where the branch serves one.
    #[serde(default)]
    municipality: Option<String>,
}

impl NewTrajectory {
    pub fn input(&self) -> Result<TrajectoryInput, CoreError> {
        Ok(TrajectoryInput {
            service_type: self.service_type.trim().to_owned(),
            team: self.team.trim().to_owned(),
            domestic_violence: self.domestic_violence,
            opened_on: date("opened_on", &self.opened_on)?,
            municipality: self.municipality.clone(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    branch: String,
    name: String,
    birth_date: String,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    confidential_address: bool,
    trajectory: NewTrajectory,
    /// The privacy statement handed over at intake (ORG-3).
    #[serde(default)]
    statement_receipt: Option<NewStatementReceipt>,
}

pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<NewClient>,
) -> Result<Response, ApiError> {
    let today = state.app.clock().today();
    let input = NewClientInput {
        branch: b.branch.trim().to_owned(),
        name: PersonName::parse(&b.name).map_err(CoreError::field("name"))?,
        birth_date: BirthDate::parse(b.birth_date.trim(), today)
            .map_err(CoreError::field("birth_date"))?,
        gender: Gender::parse(b.gender.as_deref().unwrap_or_default())
            .map_err(CoreError::field("gender"))?,
        address: optional("address", b.address.as_deref(), Address::parse)?,
        phone: optional("phone", b.phone.as_deref(), Phone::parse)?,
        email: optional("email", b.email.as_deref(), Email::parse)?,
        confidential_address: b.confidential_address,
    };
    let first = b.trajectory.input()?;
    // Written with the client in one transaction, so a refusal registers nothing.
    let receipt = b
        .statement_receipt
        .as_ref()
        .map(NewStatementReceipt::input)
        .transpose()?;
    let (client, trajectory) = state
        .app
        .register_client_with_receipt(caller.actor(), input, first, receipt)
        .await?;
    created(&RegisteredClient {
        client_id: client.as_uuid(),
        trajectory_id: trajectory.as_uuid(),
    })
}

pub async fn related_persons(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let people = state.app.related_persons(caller.actor(), id).await?;
    ok(&people
        .into_iter()
        .map(|p| RelatedPerson {
            id: p.id.as_uuid(),
            relation: p.relation,
            name: p.name,
            birth_date: p.birth_date,
            phone: p.phone,
            email: p.email,
            address: p.address,
            authority_since: p.authority_since,
            mandate: p.mandate,
            linked_client: p.linked_client.map(|c| c.as_uuid()),
        })
        .collect::<Vec<_>>())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRelatedPerson {
    relation: String,
    name: String,
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    authority_since: Option<String>,
    #[serde(default)]
    mandate: Option<String>,
    #[serde(default)]
    linked_client: Option<uuid::Uuid>,
}

pub async fn add_related_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewRelatedPerson>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let today = state.app.clock().today();
    let input = RelatedPersonInput {
        relation: b
            .relation
            .trim()
            .parse()
            .map_err(|_| CoreError::invalid("relation", "unknown relation"))?,
        name: PersonName::parse(&b.name).map_err(CoreError::field("name"))?,
        birth_date: optional("birth_date", b.birth_date.as_deref(), |s| {
            BirthDate::parse(s, today)
        })?,
        phone: optional("phone", b.phone.as_deref(), Phone::parse)?,
        email: optional("email", b.email.as_deref(), Email::parse)?,
        address: optional("address", b.address.as_deref(), Address::parse)?,
        authority_since: b
            .authority_since
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| date("authority_since", s))
            .transpose()?,
        mandate: b.mandate.filter(|m| !m.trim().is_empty()),
        linked_client: b.linked_client.map(ClientId::from_uuid),
    };
    let person = state
        .app
        .add_related_person(caller.actor(), id, input)
        .await?;
    created(&Created {
        id: person.as_uuid(),
    })
}

/// Which privacy statement the client was given (ORG-3).
#[derive(Serialize)]
struct StatementReceipt {
    id: uuid::Uuid,
    client_id: uuid::Uuid,
    statement_version: String,
    statement_given: bool,
    privacy_card_given: bool,
    given_on: NaiveDate,
    recorded_by: Option<uuid::Uuid>,
    recorded_at: chrono::DateTime<chrono::Utc>,
    is_current: bool,
}

impl From<zv_core::statement_receipts::StatementReceipt> for StatementReceipt {
    fn from(r: zv_core::statement_receipts::StatementReceipt) -> Self {
        Self {
            id: r.id,
            client_id: r.client_id.as_uuid(),
            statement_version: r.statement_version,
            statement_given: r.statement_given,
            privacy_card_given: r.privacy_card_given,
            given_on: r.given_on,
            recorded_by: r.recorded_by.map(|u| u.as_uuid()),
            recorded_at: r.recorded_at,
            is_current: r.is_current,
        }
    }
}

/// What was handed over; the version is always the policy's current one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStatementReceipt {
    given_on: String,
    #[serde(default = "given")]
    statement_given: bool,
    #[serde(default)]
    privacy_card_given: bool,
}

const fn given() -> bool {
    true
}

impl NewStatementReceipt {
    fn input(&self) -> Result<zv_core::statement_receipts::StatementReceiptInput, CoreError> {
        Ok(zv_core::statement_receipts::StatementReceiptInput {
            given_on: date("given_on", &self.given_on)?,
            statement_given: self.statement_given,
            privacy_card_given: self.privacy_card_given,
        })
    }
}

pub async fn statement_receipts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let receipts = state.app.statement_receipts(caller.actor(), id).await?;
    ok(&receipts
        .into_iter()
        .map(StatementReceipt::from)
        .collect::<Vec<_>>())
}

pub async fn record_statement_receipt(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewStatementReceipt>,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let receipt = state
        .app
        .record_statement_receipt(caller.actor(), id, b.input()?)
        .await?;
    created(&StatementReceipt::from(receipt))
}
