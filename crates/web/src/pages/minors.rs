//! Parents and representatives on the staff's side (MIN-1..4), on the client page: per
//! related person, their portal access (invite, revoke), and for a parent the block the
//! worker on the case records when the child's interest opposes the parent's access
//! (MIN-2, with a reason), the young person's consent (MIN-3, given in the portal only),
//! and for a legal representative the mandate (MIN-4). The privacy officer reviews every
//! block on `/privacy/ouderblokkades`. Each action is decided at the gate and audited;
//! a refused form keeps what was typed and names the field.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zv_core::minors::AgeBand;
use zv_core::related::RelatedPerson;
use zv_core::{Actor, CoreError};
use zv_domain::{ClientId, RelatedPersonId, RelationKind, TrajectoryId};

use super::clients::{Forms, page_with};
use super::dossier::local_time;
use super::forms::CsrfOnly;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The staff's routes of this module; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/betrokkenen/{id}/portaal/uitnodiging", post(invite))
        .route("/betrokkenen/{id}/portaal/intrekken", post(revoke))
        .route("/betrokkenen/{id}/blokkade", post(block))
        .route("/betrokkenen/{id}/blokkade/opheffen", post(lift))
        .route("/betrokkenen/{id}/mandaat", post(mandate))
        .route("/privacy/ouderblokkades", get(review))
}

/// A related person's line in the section.
pub(crate) struct MinorsLine {
    pub(crate) id: String,
    pub(crate) relation: String,
    pub(crate) name: String,
    pub(crate) state: String,
    pub(crate) may_invite: bool,
    pub(crate) may_revoke: bool,
    pub(crate) is_parent: bool,
    pub(crate) is_representative: bool,
    /// The block in force: since when, by whom, why.
    pub(crate) blocked: Option<(String, String, String)>,
    pub(crate) consent: Option<String>,
    pub(crate) mandate: Option<String>,
    /// A code just made for this person, and until when: shown this once.
    pub(crate) issued: Option<(String, String)>,
    /// A refusal of an action on this person.
    pub(crate) error: Option<String>,
    /// The block form as typed.
    pub(crate) reason: String,
    pub(crate) reason_error: Option<String>,
    /// The mandate form as typed.
    pub(crate) mandate_whole: bool,
    pub(crate) mandate_trajectories: Vec<String>,
    pub(crate) ends_on: String,
    pub(crate) ends_on_error: Option<String>,
    pub(crate) trajectories_error: Option<String>,
}

/// The section on the client page.
pub(crate) struct MinorsSection {
    /// Where the client stands in the minors rules today.
    pub(crate) band: String,
    pub(crate) lines: Vec<MinorsLine>,
    /// The client's trajectories, for the mandate form: id and label.
    pub(crate) trajectories: Vec<(String, String)>,
}

/// What an action left to show, for one person.
#[derive(Default)]
pub(crate) struct MinorsNotice {
    pub(crate) person: Option<RelatedPersonId>,
    pub(crate) issued: Option<(String, String)>,
    pub(crate) error: Option<String>,
    pub(crate) reason: String,
    pub(crate) reason_error: Option<String>,
    pub(crate) mandate: Option<MandateForm>,
    pub(crate) ends_on_error: Option<String>,
    pub(crate) trajectories_error: Option<String>,
}

fn band_label(tr: Tr, band: AgeBand) -> String {
    tr.t(match band {
        AgeBand::UnderOwnAccess => "minors-band-under-own-access",
        AgeBand::Consultative => "minors-band-consultative",
        AgeBand::Independent => "minors-band-independent",
        AgeBand::Adult => "minors-band-adult",
    })
}

fn relation_label(tr: Tr, r: RelationKind) -> String {
    tr.t(&format!("relation-{}", r.code().replace('_', "-")))
}

/// The section, for a reader who may manage the client's portal access; `None` for
/// anyone else.
#[expect(
    clippy::too_many_arguments,
    reason = "what the client page read already, passed on rather than read again"
)]
pub(crate) async fn section(
    state: &AppState,
    actor: &Actor,
    tr: Tr,
    client: ClientId,
    birth_date: chrono::NaiveDate,
    people: &[RelatedPerson],
    services: &[zv_core::clients::ServiceLine],
    mut notice: MinorsNotice,
) -> Result<Option<MinorsSection>, WebError> {
    if people.is_empty() || !state.app.may_manage_portal(actor, client).await? {
        return Ok(None);
    }
    let band = state.app.age_band_today(birth_date);
    let states = state.app.related_portal_states(actor, client).await?;
    let blocks = if states.iter().any(|s| s.blocked_since.is_some()) {
        state.app.parent_blocks_of_client(actor, client).await?
    } else {
        Vec::new()
    };
    // The client's trajectories as the page's services overview read them.
    let trajectories: Vec<&zv_core::trajectories::TrajectorySummary> =
        services.iter().map(|s| &s.trajectory).collect();
    let label_of = |id: &TrajectoryId| {
        trajectories
            .iter()
            .find(|t| t.id == *id)
            .map(|t| format!("{} ({})", t.service_type, t.opened_on))
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for s in &states {
        let Some(person) = people.iter().find(|p| p.id == s.related_person_id) else {
            continue;
        };
        let relation = zv_core::access::Relation::of(s.relation);
        let is_parent = relation == zv_core::access::Relation::Parent;
        let is_representative = relation == zv_core::access::Relation::Representative;
        let ours = notice.person == Some(s.related_person_id);
        let state_text = match (s.account_since, s.pending_until) {
            (Some(since), _) => {
                let mut t = tr.t1("minors-state-account", "date", &local_time(since));
                if !s.second_factor_enrolled {
                    t.push(' ');
                    t.push_str(&tr.t("portal-state-not-enrolled"));
                }
                t
            }
            (None, Some(until)) => tr.t1("minors-state-invited", "date", &local_time(until)),
            (None, None) => tr.t("minors-state-none"),
        };
        let blocked = s.blocked_since.map(|since| {
            let reason = blocks
                .iter()
                .find(|b| b.related_person_id == s.related_person_id && b.lifted_at.is_none())
                .map(|b| b.reason.clone())
                .unwrap_or_default();
            (
                local_time(since),
                s.blocked_by.clone().unwrap_or_default(),
                reason,
            )
        });
        let mandate = s.mandate.as_ref().map(|m| {
            let scope = if m.whole_dossier {
                tr.t("minors-mandate-whole")
            } else {
                m.trajectories
                    .iter()
                    .map(label_of)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "{scope} — {}",
                tr.t1("minors-mandate-until", "date", &m.ends_on)
            )
        });
        let form = if ours { notice.mandate.take() } else { None };
        let (mandate_whole, mandate_trajectories, ends_on) = match (form, &s.mandate) {
            (Some(f), _) => (f.scope == "whole", f.trajectories, f.ends_on),
            (None, Some(m)) => (
                m.whole_dossier,
                m.trajectories.iter().map(ToString::to_string).collect(),
                m.ends_on.to_string(),
            ),
            (None, None) => (true, Vec::new(), String::new()),
        };
        lines.push(MinorsLine {
            id: s.related_person_id.to_string(),
            relation: relation_label(tr, s.relation),
            name: person.name.clone(),
            state: state_text,
            may_invite: (is_parent || is_representative) && s.account_since.is_none(),
            may_revoke: s.account_since.is_some() || s.pending_until.is_some(),
            is_parent,
            is_representative,
            blocked,
            consent: s
                .consent_since
                .map(|d| tr.t1("minors-consent-since", "date", &local_time(d))),
            mandate,
            issued: if ours { notice.issued.take() } else { None },
            error: if ours { notice.error.take() } else { None },
            reason: if ours {
                std::mem::take(&mut notice.reason)
            } else {
                String::new()
            },
            reason_error: if ours {
                notice.reason_error.take()
            } else {
                None
            },
            mandate_whole,
            mandate_trajectories,
            ends_on,
            ends_on_error: if ours {
                notice.ends_on_error.take()
            } else {
                None
            },
            trajectories_error: if ours {
                notice.trajectories_error.take()
            } else {
                None
            },
        });
    }
    if lines.is_empty() {
        return Ok(None);
    }
    Ok(Some(MinorsSection {
        band: band_label(tr, band),
        lines,
        trajectories: trajectories
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    format!("{} ({})", t.service_type, t.opened_on),
                )
            })
            .collect(),
    }))
}

fn person_id(raw: &str) -> Result<RelatedPersonId, WebError> {
    super::forms::uuid_of(raw).map(RelatedPersonId::from_uuid)
}

/// The client a related person belongs to, for the page to go back to; "not found"
/// for a reader who may not manage it.
async fn client_of(state: &AppState, person: RelatedPersonId) -> Result<ClientId, WebError> {
    Ok(state.app.client_of_related_person(person).await?)
}

async fn page_with_notice(
    state: &AppState,
    staff: &CurrentStaff,
    client: ClientId,
    notice: MinorsNotice,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut r = page_with(state, staff, client, None, Forms::with_minors(notice)).await?;
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    Ok(r)
}

fn back(client: ClientId) -> Response {
    Redirect::to(&format!("/clienten/{client}#portal-related")).into_response()
}

/// The refusal of an invitation by the rules, in the worker's language.
pub(crate) fn invite_refusal(tr: Tr, e: &CoreError) -> String {
    match e {
        CoreError::Invalid { problem, .. } => tr.t(match problem.as_str() {
            zv_core::minors::INVITE_CHILD_UNDER_OWN_ACCESS => "minors-invite-under-12",
            zv_core::minors::INVITE_PARENT_OF_ADULT => "minors-invite-parent-of-adult",
            zv_core::minors::INVITE_REPRESENTATIVE_OF_MINOR => {
                "minors-invite-representative-of-minor"
            }
            _ => "minors-invite-other-relation",
        }),
        _ => tr.t("minors-invite-has-account"),
    }
}

/// A new invitation code for a parent or representative, shown on the client page
/// this once.
pub async fn invite(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let person = person_id(&id)?;
    let client = client_of(&state, person).await?;
    let tr = staff.tr;
    let (notice, status) = match state
        .app
        .invite_related_to_portal(&staff.as_actor(), person)
        .await
    {
        Ok(issued) => (
            MinorsNotice {
                person: Some(person),
                issued: Some((issued.code.to_string(), local_time(issued.expires_at))),
                ..MinorsNotice::default()
            },
            StatusCode::OK,
        ),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => (
            MinorsNotice {
                person: Some(person),
                error: Some(invite_refusal(tr, &e)),
                ..MinorsNotice::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e.into()),
    };
    page_with_notice(&state, &staff, client, notice, status).await
}

/// Ends a parent's or representative's portal access to this client.
pub async fn revoke(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let person = person_id(&id)?;
    let client = client_of(&state, person).await?;
    match state
        .app
        .revoke_related_portal_access(&staff.as_actor(), person)
        .await
    {
        Ok(_) => Ok(back(client)),
        Err(CoreError::Conflict(_)) => {
            let notice = MinorsNotice {
                person: Some(person),
                error: Some(staff.tr.t("portal-nothing-to-revoke")),
                ..MinorsNotice::default()
            };
            page_with_notice(
                &state,
                &staff,
                client,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// MIN-2: records that the child's interest opposes this parent's access.
pub async fn block(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<BlockForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let person = person_id(&id)?;
    let client = client_of(&state, person).await?;
    let tr = staff.tr;
    match state
        .app
        .record_parent_block(&staff.as_actor(), person, &f.reason)
        .await
    {
        Ok(_) => Ok(back(client)),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (reason_error, error) = match &e {
                CoreError::Invalid {
                    field: "reason",
                    problem,
                } => (
                    Some(if problem.starts_with("at most") {
                        tr.t1(
                            "minors-block-reason-long",
                            "count",
                            &zv_core::minors::REASON_MAX_CHARS,
                        )
                    } else {
                        tr.t("minors-block-reason-required")
                    }),
                    None,
                ),
                CoreError::Invalid { .. } => (None, Some(tr.t("minors-block-only-parents"))),
                _ => (None, Some(tr.t("minors-block-exists"))),
            };
            let notice = MinorsNotice {
                person: Some(person),
                reason: f.reason,
                reason_error,
                error,
                ..MinorsNotice::default()
            };
            page_with_notice(
                &state,
                &staff,
                client,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// MIN-2: lifts the block; the record stays for the privacy officer's review.
pub async fn lift(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let person = person_id(&id)?;
    let client = client_of(&state, person).await?;
    match state.app.lift_parent_block(&staff.as_actor(), person).await {
        Ok(_) => Ok(back(client)),
        Err(CoreError::Conflict(_)) => {
            let notice = MinorsNotice {
                person: Some(person),
                error: Some(staff.tr.t("minors-block-none")),
                ..MinorsNotice::default()
            };
            page_with_notice(
                &state,
                &staff,
                client,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The mandate form as typed: its checkboxes are repeated fields, so it is read as
/// pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct MandateForm {
    pub(crate) scope: String,
    pub(crate) trajectories: Vec<String>,
    pub(crate) ends_on: String,
}

/// MIN-4: records what a legal representative may act in, and until when.
pub async fn mandate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    staff.check_csrf(&field("csrf"))?;
    let person = person_id(&id)?;
    let client = client_of(&state, person).await?;
    let tr = staff.tr;
    let form = MandateForm {
        scope: field("scope"),
        trajectories: fields
            .iter()
            .filter(|(k, _)| k == "trajectory")
            .map(|(_, v)| v.clone())
            .collect(),
        ends_on: field("ends_on"),
    };
    let mut notice = MinorsNotice {
        person: Some(person),
        ..MinorsNotice::default()
    };
    let ends_on = super::forms::date("ends_on", &form.ends_on);
    if ends_on.is_err() {
        notice.ends_on_error = Some(tr.t("minors-mandate-ends-on"));
    }
    let mut trajectories = Vec::new();
    for raw in &form.trajectories {
        match raw.parse::<uuid::Uuid>() {
            Ok(u) => trajectories.push(TrajectoryId::from_uuid(u)),
            Err(_) => notice.trajectories_error = Some(tr.t("minors-mandate-trajectories")),
        }
    }
    let whole_dossier = form.scope != "trajectories";
    let result = match ends_on {
        Ok(ends_on) if notice.trajectories_error.is_none() => Some(
            state
                .app
                .record_mandate(
                    &staff.as_actor(),
                    person,
                    zv_core::minors::MandateInput {
                        whole_dossier,
                        trajectories,
                        ends_on,
                    },
                )
                .await,
        ),
        _ => None,
    };
    match result {
        Some(Ok(_)) => return Ok(back(client)),
        Some(Err(CoreError::Invalid { field, .. })) => match field {
            "ends_on" => notice.ends_on_error = Some(tr.t("minors-mandate-ends-on")),
            "trajectories" => {
                notice.trajectories_error = Some(tr.t("minors-mandate-trajectories"));
            }
            _ => notice.error = Some(tr.t("minors-mandate-only-representatives")),
        },
        Some(Err(e)) => return Err(e.into()),
        None => {}
    }
    notice.mandate = Some(form);
    page_with_notice(
        &state,
        &staff,
        client,
        notice,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A block as the privacy officer reviews it.
struct ReviewLine {
    client: String,
    person: String,
    reason: String,
    recorded: String,
    lifted: Option<String>,
}

#[derive(Template)]
#[template(path = "minors_review.html")]
struct ReviewPage {
    l: Layout,
    blocks: Vec<ReviewLine>,
}

/// MIN-2: the privacy officer's review of every block and its reason (each client's
/// reasons a recorded read).
pub async fn review(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let blocks = state
        .app
        .parent_blocks_for_review(&staff.as_actor())
        .await?
        .into_iter()
        .map(|b| ReviewLine {
            client: b.client_id.to_string(),
            person: b.related_person_id.to_string(),
            reason: b.reason,
            recorded: format!("{} · {}", local_time(b.recorded_at), b.recorded_by),
            lifted: b
                .lifted_at
                .map(|at| format!("{} · {}", local_time(at), b.lifted_by.unwrap_or_default())),
        })
        .collect();
    html(&ReviewPage {
        l: Layout::staff(&staff, "minors-title-review"),
        blocks,
    })
}

#[cfg(test)]
mod tests {
    /// The keys of `locales/*/portal_minors.ftl`.
    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../locales")
            .join(lang)
            .join("portal_minors.ftl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.starts_with('#') && !k.is_empty())
            .collect()
    }

    /// Every key of the minors pages is in Dutch and in English, and only under its own
    /// prefix (the page titles too, which the general check finds by `title-` only).
    #[test]
    fn every_minors_key_exists_in_both_languages() {
        let nl = keys("nl");
        let en = keys("en");
        assert!(nl.len() > 50, "{nl:?}");
        assert_eq!(nl, en);
        assert!(nl.iter().all(|k| k.starts_with("minors-")), "{nl:?}");
        for key in &nl {
            for lang in [crate::i18n::Lang::Nl, crate::i18n::Lang::En] {
                let text = crate::i18n::Tr { lang }.t1(key, "date", &"2026-01-01");
                assert!(!text.is_empty() && text != *key, "{key} in {lang:?}");
            }
        }
    }
}
