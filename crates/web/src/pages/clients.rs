//! Finding a client and the client page: the profile, the BSN (masked, shown on request
//! with its own audit event, DOS-4) and the services the client uses.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::access::Target;
use zv_core::clients::{ClientProfile, ServicesOverview};
use zv_core::related::RelatedPersonInput;
use zv_domain::{
    Address, AuditAction, BirthDate, Bsn, ClientId, Email, PersonName, Phone, RelatedPersonId,
    RelationKind,
};

use super::forms::{self, FieldErrors};
use super::intake::{choices, trajectory_input};
use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::session::CurrentStaff;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    name: String,
    birth_date: String,
    searched: bool,
    results: Vec<ServicesOverview>,
    /// When more clients matched than a search looks at: how many it looked at.
    more: Option<usize>,
    error: Option<String>,
    may_intake: bool,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    l: Layout,
    overview: ServicesOverview,
    /// Only for readers of the dossier; a colleague of another team sees the overview.
    profile: Option<ClientProfile>,
    bsn: Option<String>,
    /// The reader may break the glass (ACC-5) on a service they cannot open.
    may_break_glass: bool,
    /// The reader handles complaints (ACC-3).
    may_register_complaint: bool,
    max_hours: u32,
    today: String,
    related: Vec<RelatedLine>,
    relations: Vec<(String, String)>,
    rp: RelatedForm,
    /// The client's children, for the correction of a birth date: id and name.
    children: Vec<(String, String)>,
    bd: BirthDateForm,
    /// The further-trajectory form (`f`, shared fields with intake).
    f: TrajectoryForm,
    bsn_form: String,
    /// The profile reader may record a BSN: an open trajectory's service needs it.
    may_record_bsn: bool,
    teams: Vec<(String, String)>,
    municipalities: super::intake::MunicipalityChoices,
    service_types: Vec<(String, String)>,
    errors: FieldErrors,
    /// Which form the errors belong to, so it is shown open.
    open_form: &'static str,
    /// The client's portal access, for a reader who may manage it (POR-1).
    portal: Option<super::portal_access::PortalSection>,
    /// Parents' and representatives' portal access, blocks and mandates (MIN-1..4).
    minors: Option<super::minors::MinorsSection>,
    /// The privacy statements the client was given, for a reader of the profile (ORG-3).
    statement: Option<super::statement_receipts::StatementSection>,
}

/// A related person as a line on the client page.
struct RelatedLine {
    relation: String,
    name: String,
    birth_date: Option<String>,
    authority_since: Option<String>,
    mandate: Option<String>,
    contact: String,
}

#[derive(Default, Deserialize)]
pub struct RelatedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    authority_since: String,
    #[serde(default)]
    mandate: String,
}

/// A child's birth date corrected, with the reason kept in the history (RET-2, RTS-5).
#[derive(Default, Deserialize)]
pub struct BirthDateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    reason: String,
}

#[derive(Default, Deserialize)]
pub struct TrajectoryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    service_type: String,
    domestic_violence: Option<String>,
    #[serde(default)]
    opened_on: String,
    #[serde(default)]
    municipality: String,
}

#[derive(Deserialize)]
pub struct BsnForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    bsn: String,
}

/// What the forms of a client page held when one was refused.
#[derive(Default)]
pub(super) struct Forms {
    rp: RelatedForm,
    bd: BirthDateForm,
    f: TrajectoryForm,
    bsn: String,
    errors: Option<FieldErrors>,
    open_form: &'static str,
    /// What an action on the client's portal access left to show.
    portal: super::portal_access::PortalNotice,
    /// What an action on a parent's or representative's access left to show.
    minors: super::minors::MinorsNotice,
    /// What a refused record of the privacy statement left to show (ORG-3).
    statement: super::statement_receipts::StatementNotice,
}

impl Forms {
    /// The page after an action on a parent's or representative's access (MIN-1..4).
    pub(super) fn with_minors(minors: super::minors::MinorsNotice) -> Self {
        Self {
            minors,
            ..Self::default()
        }
    }

    /// The page after an action on the client's portal access (POR-1).
    pub(super) fn with_portal(portal: super::portal_access::PortalNotice) -> Self {
        Self {
            portal,
            ..Self::default()
        }
    }

    /// The page after a refused record of the privacy statement (ORG-3).
    pub(super) fn with_statement(statement: super::statement_receipts::StatementNotice) -> Self {
        let open_form = if statement.is_refusal() {
            "statement"
        } else {
            ""
        };
        Self {
            statement,
            open_form,
            ..Self::default()
        }
    }
}

/// A search. It is posted, never put in the URL: a name or birth date there would end up
/// in browser histories and server logs.
#[derive(Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    naam: String,
    #[serde(default)]
    geboortedatum: String,
}

/// The search form.
pub async fn search_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    search_page(&state, &staff, SearchQuery::default()).await
}

pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(q): Form<SearchQuery>,
) -> Result<Response, WebError> {
    staff.check_csrf(&q.csrf)?;
    search_page(&state, &staff, q).await
}

async fn search_page(
    state: &AppState,
    staff: &CurrentStaff,
    q: SearchQuery,
) -> Result<Response, WebError> {
    let searched = !q.naam.trim().is_empty() || !q.geboortedatum.trim().is_empty();
    let mut results = Vec::new();
    let mut more = None;
    let mut error = None;
    if searched {
        let birth = if q.geboortedatum.trim().is_empty() {
            Ok(None)
        } else {
            BirthDate::parse(q.geboortedatum.trim(), state.app.clock().today())
                .map(Some)
                .map_err(|_| CoreError::invalid("birth_date", "not a date"))
        };
        let found = match birth {
            Ok(b) => {
                state
                    .app
                    .search_clients(&staff.as_actor(), &q.naam, b)
                    .await
            }
            Err(e) => Err(e),
        };
        match found {
            Ok(r) => {
                results = r.found;
                more = r.more.then_some(zv_core::clients::MAX_SEARCH_RESULTS);
            }
            Err(e @ CoreError::Invalid { .. }) => error = Some(field_error(staff.tr, &e)),
            Err(e) => return Err(e.into()),
        }
    }
    html(&SearchPage {
        l: Layout::staff(staff, "title-search"),
        name: q.naam,
        birth_date: q.geboortedatum,
        searched,
        results,
        more,
        error,
        may_intake: state
            .app
            .capability(&staff.as_actor(), AuditAction::Create, Target::Intake)?,
    })
}

pub(super) fn client_id(raw: &str) -> Result<ClientId, WebError> {
    raw.parse::<uuid::Uuid>()
        .map(ClientId::from_uuid)
        .map_err(|_| WebError::NotFound)
}

async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    id: ClientId,
    bsn: Option<String>,
) -> Result<Response, WebError> {
    page_with(state, staff, id, bsn, Forms::default()).await
}

pub(super) async fn page_with(
    state: &AppState,
    staff: &CurrentStaff,
    id: ClientId,
    bsn: Option<String>,
    mut forms: Forms,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let tr = staff.tr;
    let overview = state.app.services_overview(&actor, id).await?;
    let profile = if state.app.may_read_profile(&actor, id).await? {
        Some(state.app.client_profile(&actor, id).await?)
    } else {
        None
    };
    let people = if profile.is_some() {
        state.app.related_persons(&actor, id).await?
    } else {
        Vec::new()
    };
    // MIN-1..4: parents' and representatives' portal access, blocks and mandates.
    let minors = match &profile {
        Some(p) => {
            super::minors::section(
                state,
                &actor,
                tr,
                id,
                p.birth_date,
                &people,
                &overview.services,
                std::mem::take(&mut forms.minors),
            )
            .await?
        }
        None => None,
    };
    let children: Vec<(String, String)> = if profile.is_some() {
        people
            .iter()
            .filter(|p| p.relation == RelationKind::Child)
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let related = if profile.is_some() {
        people
            .into_iter()
            .map(|p| RelatedLine {
                relation: relation_label(tr, p.relation),
                name: p.name,
                birth_date: p.birth_date.map(|d| d.to_string()),
                authority_since: p.authority_since.map(|d| d.to_string()),
                mandate: p.mandate,
                contact: [p.phone, p.email, p.address]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect()
    } else {
        Vec::new()
    };
    let portal = if profile.is_some() {
        super::portal_access::section(state, &actor, tr, id, std::mem::take(&mut forms.portal))
            .await?
    } else {
        None
    };
    let statement = if profile.is_some() {
        Some(
            super::statement_receipts::section(
                state,
                &actor,
                id,
                std::mem::take(&mut forms.statement),
            )
            .await?,
        )
    } else {
        None
    };
    let policy = state.app.policy();
    let may_record_bsn = profile.as_ref().is_some_and(|p| p.bsn_masked.is_none())
        && overview.services.iter().any(|s| {
            s.open
                && s.trajectory.closed_on.is_none()
                && policy
                    .service_type(&s.trajectory.service_type)
                    .is_some_and(|t| t.bsn_legal_basis.is_some())
        });
    let (teams, service_types) = choices(state, tr);
    if forms.f.opened_on.is_empty() {
        forms.f.opened_on = state.app.clock().today().to_string();
    }
    let errors = forms.errors.take().unwrap_or_else(|| FieldErrors::new(tr));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut l = Layout::staff(staff, "title-client");
    l.title = overview.name.clone();
    let mut r = html(&ClientPage {
        l,
        overview,
        profile,
        bsn,
        related,
        relations: RelationKind::ALL
            .iter()
            .map(|r| (r.code().to_owned(), relation_label(tr, *r)))
            .collect(),
        rp: forms.rp,
        children,
        bd: forms.bd,
        f: forms.f,
        bsn_form: forms.bsn,
        may_record_bsn,
        teams,
        municipalities: super::intake::municipality_choices(state),
        service_types,
        errors,
        open_form: forms.open_form,
        portal,
        minors,
        statement,
        may_break_glass: state.app.capability(
            &actor,
            AuditAction::EmergencyAccess,
            Target::Dossier,
        )?,
        may_register_complaint: state.app.capability(
            &actor,
            AuditAction::Create,
            Target::Complaint,
        )?,
        max_hours: state.app.policy().security().emergency_access_max_hours,
        today: state.app.clock().today().to_string(),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

fn relation_label(tr: crate::i18n::Tr, r: RelationKind) -> String {
    tr.t(&format!("relation-{}", r.code().replace('_', "-")))
}

/// After a change on the client page: back to it, or the page again with the refusal
/// next to the field and what was typed kept.
async fn after_change<T>(
    state: &AppState,
    staff: &CurrentStaff,
    id: ClientId,
    result: Result<T, CoreError>,
    mut forms: Forms,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/clienten/{id}#{anchor}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            forms
                .errors
                .get_or_insert_with(|| FieldErrors::new(staff.tr))
                .add(&e);
            page_with(state, staff, id, None, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Registers a parent, guardian, representative, child or other family member (MIN-1..4).
pub async fn add_related(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RelatedForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(staff.tr);
    let relation = errors.check(
        f.relation
            .parse::<RelationKind>()
            .map_err(|_| CoreError::invalid("relation", "choose a relation")),
    );
    let name = errors.check(PersonName::parse(&f.name).map_err(CoreError::field("name")));
    let birth_date = errors.check(forms::optional("birth_date", &f.birth_date, |t| {
        BirthDate::parse(t, today)
    }));
    let phone = errors.check(forms::optional("phone", &f.phone, Phone::parse));
    let email = errors.check(forms::optional("email", &f.email, Email::parse));
    let address = errors.check(forms::optional("address", &f.address, Address::parse));
    let authority_since = errors.check(forms::date_opt("authority_since", &f.authority_since));
    let input = match (
        relation,
        name,
        birth_date,
        phone,
        email,
        address,
        authority_since,
    ) {
        (
            Some(relation),
            Some(name),
            Some(birth_date),
            Some(phone),
            Some(email),
            Some(address),
            Some(authority_since),
        ) => Some(RelatedPersonInput {
            relation,
            name,
            birth_date,
            phone,
            email,
            address,
            authority_since,
            mandate: forms::text_opt(&f.mandate).map(str::to_owned),
            linked_client: None,
        }),
        _ => None,
    };
    let forms = |errors: Option<FieldErrors>, f: RelatedForm| Forms {
        rp: f,
        errors,
        open_form: "related",
        ..Forms::default()
    };
    let Some(input) = input else {
        return page_with(&state, &staff, id, None, forms(Some(errors), f)).await;
    };
    let result = state
        .app
        .add_related_person(&staff.as_actor(), id, input)
        .await;
    after_change(&state, &staff, id, result, forms(None, f), "related").await
}

/// Corrects a child's birth date (RET-2: the retention dates move with it), with the
/// reason kept in the client's rectification history (RTS-5).
pub async fn correct_child_birth_date(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<BirthDateForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(staff.tr);
    let person = errors.check(
        forms::uuid_of(&f.person)
            .map(RelatedPersonId::from_uuid)
            .map_err(|_| CoreError::invalid("person", "choose the child")),
    );
    let birth_date = errors.check(
        BirthDate::parse(f.birth_date.trim(), today).map_err(CoreError::field("birth_date")),
    );
    let reason = errors.check(zv_core::rectification::check_reason(&f.reason));
    let forms = |errors: Option<FieldErrors>, bd: BirthDateForm| Forms {
        bd,
        errors,
        open_form: "birth-date",
        ..Forms::default()
    };
    let (Some(person), Some(birth_date), Some(())) = (person, birth_date, reason) else {
        return page_with(&state, &staff, id, None, forms(Some(errors), f)).await;
    };
    let result = state
        .app
        .correct_child_birth_date(&staff.as_actor(), person, birth_date, &f.reason)
        .await;
    after_change(&state, &staff, id, result, forms(None, f), "related").await
}

/// Opens a further trajectory for this client; the opener is assigned to it.
pub async fn open_trajectory(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<TrajectoryForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let mut errors = FieldErrors::new(staff.tr);
    let input = trajectory_input(
        &state,
        &mut errors,
        &f.team,
        &f.service_type,
        &f.domestic_violence,
        &f.opened_on,
        &f.municipality,
    );
    let Some(input) = input else {
        let forms = Forms {
            f,
            errors: Some(errors),
            open_form: "trajectory",
            ..Forms::default()
        };
        return page_with(&state, &staff, id, None, forms).await;
    };
    match state
        .app
        .open_trajectory(&staff.as_actor(), id, input)
        .await
    {
        Ok(t) => Ok(Redirect::to(&format!("/trajecten/{t}")).into_response()),
        Err(e) => {
            let forms = Forms {
                f,
                open_form: "trajectory",
                ..Forms::default()
            };
            after_change(&state, &staff, id, Err::<(), _>(e), forms, "services").await
        }
    }
}

/// Records the BSN where a law requires it (DOS-4), checked with the elfproef.
pub async fn record_bsn(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<BsnForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let result = match Bsn::parse(&f.bsn).map_err(CoreError::field("bsn")) {
        Ok(bsn) => state.app.record_bsn(&staff.as_actor(), id, &bsn).await,
        Err(e) => Err(e),
    };
    let forms = Forms {
        bsn: f.bsn,
        open_form: "bsn",
        ..Forms::default()
    };
    after_change(&state, &staff, id, result, forms, "profile").await
}

pub async fn profile(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = client_id(&id)?;
    page(&state, &staff, id, None).await
}

pub async fn reveal_bsn(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let bsn = state.app.reveal_bsn(&staff.as_actor(), id).await?;
    page(&state, &staff, id, bsn).await
}
