//! Group activities, courses and workshops (GRP-1..3): the list of activities and a new
//! one; an activity's page with its facts, the notice about photos and video, its
//! sessions with an attendance sheet each, its participants with their written consents,
//! and its photos and video with what each may be used for.
//!
//! A participant form takes exactly the six fields of the statement and the opt-out
//! (GRP-1): any other field refuses the whole form, so nothing beyond them is stored.
//! Who does not want to be photographed is marked on every list and attendance sheet
//! (GRP-2).
//!
//! Forms about a session, participant, consent or photo name the activity to come back to
//! in the query (`?activiteit=<id>`, an id and never a name): the core changes those by
//! their own id and does not say which activity they belong to.

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::activities::participants::participant_problems;
use zv_core::activities::{
    ActivityDetail, ActivityInput, ActivityKind, ConsentInput, MediaInput, MediaUse,
    ParticipantInput, SignedBy, activity_problems,
};
use zv_domain::{Gender, Role};

use super::forms::{self, CsrfOnly, FieldErrors, Fields};
use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/activiteiten", get(list).post(create))
        .route("/activiteiten/{id}", get(detail))
        .route("/activiteiten/{id}/wijzigen", post(update))
        .route("/activiteiten/{id}/aankondiging", post(notice))
        .route("/activiteiten/{id}/bijeenkomsten", post(add_session))
        .route(
            "/activiteiten/bijeenkomsten/{id}/aanwezigheid",
            post(attendance),
        )
        .route("/activiteiten/{id}/deelnemers", post(add_participant))
        .route("/activiteiten/deelnemers/{id}", post(edit_participant))
        .route(
            "/activiteiten/deelnemers/{id}/toestemmingen",
            post(record_consent),
        )
        .route(
            "/activiteiten/toestemmingen/{id}/intrekken",
            post(withdraw_consent),
        )
        .route(
            "/activiteiten/{id}/beeldmateriaal",
            post(upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/activiteiten/beeldmateriaal/{id}/personen", post(retag))
        .route(
            "/activiteiten/beeldmateriaal/{id}/weggehaald",
            post(taken_down),
        )
        .route(
            "/activiteiten/beeldmateriaal/{id}/publiceren",
            post(publish),
        )
        .route("/activiteiten/beeldmateriaal/{id}/bekijken", get(view))
        .route(
            "/activiteiten/beeldmateriaal/{id}/downloaden",
            get(download),
        )
}

/// Core field names as the pages name them, where the wording of an existing
/// `invalid-<field>` message means something else (a camera's location, a search's name).
const ACTIVITY_FIELDS: &[(&str, &str)] = &[
    ("team", "activity_team"),
    ("kind", "activity_kind"),
    ("title", "activity_title"),
    ("location", "activity_location"),
    ("starts_on", "activity_starts_on"),
    ("ends_on", "activity_ends_on"),
    ("photos", "activity_photos"),
];
const SESSION_FIELDS: &[(&str, &str)] = &[
    ("held_on", "session_held_on"),
    ("present", "session_present"),
];
/// Address, birth date, gender, phone and e-mail keep the words they have everywhere.
const PARTICIPANT_FIELDS: &[(&str, &str)] = &[("name", "participant_name")];
const CONSENT_FIELDS: &[(&str, &str)] = &[
    ("use", "consent_use"),
    ("signed_on", "consent_signed_on"),
    ("signed_by", "consent_signed_by"),
];
const MEDIA_FIELDS: &[(&str, &str)] = &[
    ("file", "media_file"),
    ("recorded_on", "media_recorded_on"),
    ("tags", "media_tags"),
    ("publication", "media_publication"),
    ("use", "media_use"),
];

/// The fields of the activity form that show their refusal next to them.
const INLINE_ACTIVITY: &[&str] = &[
    "activity_team",
    "activity_kind",
    "activity_title",
    "activity_location",
    "activity_starts_on",
    "activity_ends_on",
    "activity_photos",
];
/// The same for the form that adds a participant.
const INLINE_PARTICIPANT: &[&str] = &[
    "participant_name",
    "address",
    "birth_date",
    "gender",
    "phone",
    "email",
];

/// The same refusal under the page's name for the field.
fn renamed(e: CoreError, map: &[(&'static str, &'static str)]) -> CoreError {
    match e {
        CoreError::Invalid { field, problem } => CoreError::Invalid {
            field: map
                .iter()
                .find(|(from, _)| *from == field)
                .map_or(field, |(_, to)| *to),
            problem,
        },
        other => other,
    }
}

/// The pages exist only where the policy keeps participants of group activities.
fn enabled(state: &AppState) -> Result<(), WebError> {
    if state.app.runs_group_activities() {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// The activity a form comes back to (`?activiteit=<id>`).
#[derive(Default, Deserialize)]
pub struct Back {
    #[serde(default)]
    activiteit: Option<String>,
}

fn back_of(q: Result<Query<Back>, QueryRejection>) -> Option<Uuid> {
    q.ok()
        .and_then(|Query(b)| b.activiteit)
        .and_then(|a| a.trim().parse().ok())
}

fn to_activity(back: Option<Uuid>) -> Response {
    match back {
        Some(id) => Redirect::to(&format!("/activiteiten/{id}")).into_response(),
        None => Redirect::to("/activiteiten").into_response(),
    }
}

fn kind_label(tr: Tr, k: ActivityKind) -> String {
    match k {
        ActivityKind::Activity => tr.t("activity-kind-activity"),
        ActivityKind::Course => tr.t("activity-kind-course"),
        ActivityKind::Workshop => tr.t("activity-kind-workshop"),
    }
}

fn use_label(tr: Tr, u: MediaUse) -> String {
    match u {
        MediaUse::Publication => tr.t("activity-use-publication"),
        MediaUse::Internal => tr.t("activity-use-internal"),
    }
}

fn signer_label(tr: Tr, s: SignedBy) -> String {
    match s {
        SignedBy::Participant => tr.t("activity-signed-participant"),
        SignedBy::Parent => tr.t("activity-signed-parent"),
        SignedBy::ParticipantAndParent => tr.t("activity-signed-both"),
    }
}

fn gender_label(tr: Tr, g: Gender) -> String {
    match g {
        Gender::Female => tr.t("gender-female"),
        Gender::Male => tr.t("gender-male"),
        Gender::NonBinary => tr.t("gender-non-binary"),
        Gender::Unknown => tr.t("gender-unknown"),
    }
}

const GENDERS: [Gender; 4] = [
    Gender::Female,
    Gender::Male,
    Gender::NonBinary,
    Gender::Unknown,
];

/// An option of a select or a check box: value, words, and whether it is chosen.
struct Choice {
    code: String,
    label: String,
    selected: bool,
}

fn kinds(tr: Tr, chosen: &str) -> Vec<Choice> {
    ActivityKind::ALL
        .iter()
        .map(|k| Choice {
            code: k.code().to_owned(),
            label: kind_label(tr, *k),
            selected: k.code() == chosen,
        })
        .collect()
}

fn genders(tr: Tr, chosen: &str) -> Vec<Choice> {
    GENDERS
        .iter()
        .map(|g| Choice {
            code: g.code().to_owned(),
            label: gender_label(tr, *g),
            selected: g.code() == chosen,
        })
        .collect()
}

fn team_name(state: &AppState, code: &str) -> String {
    state
        .app
        .policy()
        .team(code)
        .map_or_else(|| code.to_owned(), |t| t.name.clone())
}

// ---------------------------------------------------------------------------------------
// The list and a new activity.

/// The activity form as typed (new, and changed without its team).
#[derive(Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    photos: Option<String>,
}

impl ActivityForm {
    fn input(&self) -> ActivityInput {
        ActivityInput {
            team: self.team.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            location: self.location.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            photos: forms::checked(&self.photos),
        }
    }
}

struct ActivityLine {
    id: String,
    title: String,
    kind: String,
    team: String,
    starts_on: String,
    ends_on: String,
    photos: bool,
    keep_until: String,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    l: Layout,
    activities: Vec<ActivityLine>,
    may_create: bool,
    teams: Vec<Choice>,
    kinds: Vec<Choice>,
    f: ActivityForm,
    photos: bool,
    errors: FieldErrors,
    banner: Vec<String>,
}

async fn render_list(
    state: &AppState,
    staff: &CurrentStaff,
    f: ActivityForm,
    errors: FieldErrors,
    banner: Vec<String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let actor = staff.as_actor();
    let activities = state.app.activities(&actor).await?;
    let may_create = state.app.may_run_activities(&actor)?;
    let manager = staff.actor.roles.contains(&Role::Manager);
    let teams = state
        .app
        .policy()
        .teams()
        .iter()
        .filter(|t| manager || staff.actor.teams.contains(&t.code))
        .map(|t| Choice {
            code: t.code.clone(),
            label: t.name.clone(),
            selected: t.code == f.team,
        })
        .collect();
    let mut banner = banner;
    if may_create {
        banner.extend(errors.other(INLINE_ACTIVITY).into_iter().map(str::to_owned));
    } else {
        banner.extend(errors.other(&[]).into_iter().map(str::to_owned));
    }
    let refused = !errors.is_empty() || !banner.is_empty();
    let mut r = html(&ListPage {
        l: Layout::staff(staff, "activity-title"),
        activities: activities
            .iter()
            .map(|a| ActivityLine {
                id: a.id.to_string(),
                title: a.title.clone(),
                kind: kind_label(tr, a.kind),
                team: team_name(state, &a.team),
                starts_on: a.starts_on.to_string(),
                ends_on: a.ends_on.to_string(),
                photos: a.photos,
                keep_until: a.keep_until.to_string(),
            })
            .collect(),
        may_create,
        teams,
        kinds: kinds(tr, &f.kind),
        photos: forms::checked(&f.photos),
        f,
        errors,
        banner,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let errors = FieldErrors::new(staff.tr);
    render_list(&state, &staff, ActivityForm::default(), errors, Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<ActivityForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let input = f.input();
    let mut errors = FieldErrors::new(staff.tr);
    for (field, rule) in activity_problems(&input, state.app.policy()) {
        errors.add(&renamed(CoreError::invalid(field, rule), ACTIVITY_FIELDS));
    }
    if !errors.is_empty() {
        return render_list(&state, &staff, f, errors, Vec::new()).await;
    }
    match state.app.create_activity(&staff.as_actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/activiteiten/{id}")).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&renamed(e, ACTIVITY_FIELDS));
            render_list(&state, &staff, f, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// One activity.

#[derive(Default, Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    photo_notice_on: String,
    #[serde(default)]
    photo_notice_how: String,
}

#[derive(Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    held_on: String,
}

/// A participant: exactly the six fields of the statement and the opt-out (GRP-1). Any
/// other field refuses the form (`deny_unknown_fields`), so nothing else can be stored.
/// No `Debug`: it holds personal data.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    photo_opt_out: Option<String>,
}

impl ParticipantForm {
    fn input(&self) -> ParticipantInput {
        ParticipantInput {
            name: self.name.clone(),
            address: self.address.clone(),
            birth_date: self.birth_date.clone(),
            gender: self.gender.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            photo_opt_out: forms::checked(&self.photo_opt_out),
        }
    }
}

#[derive(Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "use")]
    use_: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    signed_by: String,
}

#[derive(Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    publication: String,
}

/// What the single forms of the page held when one was refused; the rest shows the
/// activity as it is.
#[derive(Default)]
struct Typed {
    /// The changed facts (`None`: as they are).
    edit: Option<ActivityForm>,
    notice: NoticeForm,
    held_on: String,
    participant: ParticipantForm,
    recorded_on: String,
    tags: Vec<String>,
    no_people: bool,
    /// The participant whose form was refused, shown open.
    open: Option<Uuid>,
}

struct Facts {
    kind: String,
    team: String,
    location: String,
    starts_on: String,
    ends_on: String,
    photos: bool,
    notice_on: Option<String>,
    notice_how: String,
    keep_until: String,
}

struct AttendRow {
    id: String,
    name: String,
    opt_out: bool,
    present: bool,
}

struct SessionLine {
    id: String,
    held_on: String,
    rows: Vec<AttendRow>,
}

struct ConsentLine {
    id: String,
    use_: String,
    signed_on: String,
    signed_by: String,
    withdrawn: bool,
}

struct ParticipantLine {
    id: String,
    name: String,
    address: String,
    birth_date: String,
    gender: String,
    genders: Vec<Choice>,
    phone: String,
    email: String,
    opt_out: bool,
    consents: Vec<ConsentLine>,
    open: bool,
}

struct TagLine {
    name: String,
    opt_out: bool,
}

/// A participant as a check box of a photo's people.
struct TagChoice {
    id: String,
    name: String,
    opt_out: bool,
    checked: bool,
}

struct UseLine {
    code: String,
    label: String,
    usable: bool,
    /// Names of who in it lacks a consent for this use.
    lacking: String,
}

struct MediaLine {
    id: String,
    file_name: String,
    recorded_on: String,
    keep_until: String,
    no_people: bool,
    tags: Vec<TagLine>,
    choices: Vec<TagChoice>,
    uses: Vec<UseLine>,
    published: bool,
    publication: String,
    /// The publication stopped after a withdrawal: to be taken down (GRP-2).
    stopped: bool,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct DetailPage {
    l: Layout,
    id: String,
    a: Facts,
    may_edit: bool,
    /// Photos may be added: the activity is marked for them and the notice is recorded.
    may_upload: bool,
    edit: ActivityForm,
    edit_photos: bool,
    edit_open: bool,
    kinds: Vec<Choice>,
    notice: NoticeForm,
    held_on: String,
    sessions: Vec<SessionLine>,
    participants: Vec<ParticipantLine>,
    p: ParticipantForm,
    p_opt_out: bool,
    p_genders: Vec<Choice>,
    uses: Vec<Choice>,
    signers: Vec<Choice>,
    media: Vec<MediaLine>,
    recorded_on: String,
    upload_choices: Vec<TagChoice>,
    no_people: bool,
    errors: FieldErrors,
    banner: Vec<String>,
}

fn facts(state: &AppState, tr: Tr, d: &ActivityDetail) -> Facts {
    let a = &d.activity;
    Facts {
        kind: kind_label(tr, a.kind),
        team: team_name(state, &a.team),
        location: a.location.clone(),
        starts_on: a.starts_on.to_string(),
        ends_on: a.ends_on.to_string(),
        photos: a.photos,
        notice_on: a.photo_notice_on.map(|d| d.to_string()),
        notice_how: a.photo_notice_how.clone().unwrap_or_default(),
        keep_until: a.keep_until.to_string(),
    }
}

fn media_lines(tr: Tr, d: &ActivityDetail) -> Vec<MediaLine> {
    let name_of = |id: &Uuid| {
        d.participants
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    d.media
        .iter()
        .map(|m| MediaLine {
            id: m.id.to_string(),
            file_name: m.file_name.clone(),
            recorded_on: m.recorded_on.to_string(),
            keep_until: m.keep_until.to_string(),
            no_people: m.no_people,
            tags: m
                .tags
                .iter()
                .map(|t| TagLine {
                    name: t.name.clone(),
                    opt_out: t.photo_opt_out,
                })
                .collect(),
            choices: d
                .participants
                .iter()
                .map(|p| TagChoice {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    opt_out: p.photo_opt_out,
                    checked: m.tags.iter().any(|t| t.participant == p.id),
                })
                .collect(),
            uses: m
                .uses
                .iter()
                .map(|u| UseLine {
                    code: u.use_.code().to_owned(),
                    label: use_label(tr, u.use_),
                    usable: u.usable,
                    lacking: u
                        .without_consent
                        .iter()
                        .map(&name_of)
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
            published: m.published_at.is_some(),
            publication: m.publication.clone().unwrap_or_default(),
            stopped: m.stopped_at.is_some(),
        })
        .collect()
}

async fn render_detail(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    typed: Typed,
    errors: FieldErrors,
    banner: Vec<String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let d = state.app.activity_detail(&staff.as_actor(), id).await?;
    let a = facts(state, tr, &d);
    let edit_open = typed.edit.is_some();
    let edit = typed.edit.unwrap_or_else(|| ActivityForm {
        kind: d.activity.kind.code().to_owned(),
        title: d.activity.title.clone(),
        location: d.activity.location.clone(),
        starts_on: d.activity.starts_on.to_string(),
        ends_on: d.activity.ends_on.to_string(),
        photos: d.activity.photos.then(|| "on".to_owned()),
        ..ActivityForm::default()
    });
    let sessions = d
        .sessions
        .iter()
        .map(|s| SessionLine {
            id: s.id.to_string(),
            held_on: s.held_on.to_string(),
            rows: d
                .participants
                .iter()
                .map(|p| AttendRow {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    opt_out: p.photo_opt_out,
                    present: s.present.contains(&p.id),
                })
                .collect(),
        })
        .collect();
    let participants = d
        .participants
        .iter()
        .map(|p| ParticipantLine {
            id: p.id.to_string(),
            name: p.name.clone(),
            address: p.address.clone(),
            birth_date: p.birth_date.to_string(),
            gender: gender_label(tr, p.gender),
            genders: genders(tr, p.gender.code()),
            phone: p.phone.clone(),
            email: p.email.clone(),
            opt_out: p.photo_opt_out,
            consents: p
                .consents
                .iter()
                .map(|c| ConsentLine {
                    id: c.id.to_string(),
                    use_: use_label(tr, c.use_),
                    signed_on: c.signed_on.to_string(),
                    signed_by: signer_label(tr, c.signed_by),
                    withdrawn: c.withdrawn_at.is_some(),
                })
                .collect(),
            open: typed.open == Some(p.id),
        })
        .collect();
    let upload_choices = d
        .participants
        .iter()
        .map(|p| TagChoice {
            id: p.id.to_string(),
            name: p.name.clone(),
            opt_out: p.photo_opt_out,
            checked: typed.tags.contains(&p.id.to_string()),
        })
        .collect();
    let uses = MediaUse::ALL
        .iter()
        .map(|u| Choice {
            code: u.code().to_owned(),
            label: use_label(tr, *u),
            selected: false,
        })
        .collect();
    let signers = SignedBy::ALL
        .iter()
        .map(|s| Choice {
            code: s.code().to_owned(),
            label: signer_label(tr, *s),
            selected: false,
        })
        .collect();
    let mut l = Layout::staff(staff, "activity-title");
    l.title = format!("{} · {}", d.activity.title, l.title);
    // A refusal of a field the page shows no form for (a form sent anyway) goes on top.
    let may_upload = d.activity.photos && d.activity.photo_notice_on.is_some();
    let mut placed: Vec<&str> = Vec::new();
    if d.may_edit {
        placed.extend(INLINE_ACTIVITY);
        placed.extend(INLINE_PARTICIPANT);
        placed.push("session_held_on");
        if d.activity.photos {
            placed.extend(["photo_notice_on", "photo_notice_how"]);
        }
        if may_upload {
            placed.extend(["media_file", "media_recorded_on", "media_tags"]);
        }
    }
    let mut banner = banner;
    banner.extend(errors.other(&placed).into_iter().map(str::to_owned));
    let refused = !errors.is_empty() || !banner.is_empty();
    let mut r = html(&DetailPage {
        l,
        id: id.to_string(),
        may_upload,
        a,
        may_edit: d.may_edit,
        edit_photos: forms::checked(&edit.photos),
        kinds: kinds(tr, &edit.kind),
        edit,
        edit_open,
        notice: if typed.notice.photo_notice_on.is_empty()
            && typed.notice.photo_notice_how.is_empty()
        {
            NoticeForm {
                photo_notice_on: d
                    .activity
                    .photo_notice_on
                    .map(|on| on.to_string())
                    .unwrap_or_default(),
                photo_notice_how: d.activity.photo_notice_how.clone().unwrap_or_default(),
                ..NoticeForm::default()
            }
        } else {
            typed.notice
        },
        held_on: typed.held_on,
        sessions,
        participants,
        p_opt_out: forms::checked(&typed.participant.photo_opt_out),
        p_genders: genders(tr, &typed.participant.gender),
        p: typed.participant,
        uses,
        signers,
        media: media_lines(tr, &d),
        recorded_on: typed.recorded_on,
        upload_choices,
        no_people: typed.no_people,
        errors,
        banner,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// A refused form about a part of an activity: its page with the refusal on top, or the
/// list when the form did not say which activity.
/// After a form about a session, participant, consent or photo: back to its activity,
/// or the activity's page with the refused field's message.
async fn back_or_refuse(
    state: &AppState,
    staff: &CurrentStaff,
    back: Option<Uuid>,
    result: Result<(), CoreError>,
    fields: &[(&'static str, &'static str)],
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(to_activity(back)),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &renamed(e, fields));
            refuse(state, staff, back, None, message).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse(
    state: &AppState,
    staff: &CurrentStaff,
    back: Option<Uuid>,
    open: Option<Uuid>,
    message: String,
) -> Result<Response, WebError> {
    let errors = FieldErrors::new(staff.tr);
    match back {
        Some(id) => {
            let typed = Typed {
                open,
                ..Typed::default()
            };
            render_detail(state, staff, id, typed, errors, vec![message]).await
        }
        None => render_list(state, staff, ActivityForm::default(), errors, vec![message]).await,
    }
}

pub async fn detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let id = forms::uuid_of(&id)?;
    let errors = FieldErrors::new(staff.tr);
    render_detail(&state, &staff, id, Typed::default(), errors, Vec::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ActivityForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let input = f.input();
    let mut errors = FieldErrors::new(staff.tr);
    // The team stays with the activity: it is not on this form.
    for (field, rule) in activity_problems(&input, state.app.policy()) {
        if field != "team" {
            errors.add(&renamed(CoreError::invalid(field, rule), ACTIVITY_FIELDS));
        }
    }
    let result = if errors.is_empty() {
        state
            .app
            .update_activity(&staff.as_actor(), id, &input)
            .await
    } else {
        Ok(())
    };
    match result {
        Ok(()) if errors.is_empty() => Ok(to_activity(Some(id))),
        Ok(()) => {
            let typed = Typed {
                edit: Some(f),
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&renamed(e, ACTIVITY_FIELDS));
            let typed = Typed {
                edit: Some(f),
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// GRP-2: how and when participants were told in advance about photos and video.
pub async fn notice(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<NoticeForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    match state
        .app
        .record_photo_notice(
            &staff.as_actor(),
            id,
            &f.photo_notice_on,
            &f.photo_notice_how,
        )
        .await
    {
        Ok(()) => Ok(to_activity(Some(id))),
        Err(e @ CoreError::Invalid { .. }) => {
            let errors = FieldErrors::of_core(staff.tr, &e);
            let typed = Typed {
                notice: f,
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_session(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<SessionForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    match state
        .app
        .add_activity_session(&staff.as_actor(), id, &f.held_on)
        .await
    {
        Ok(_) => Ok(to_activity(Some(id))),
        Err(e @ CoreError::Invalid { .. }) => {
            let errors = FieldErrors::of_core(staff.tr, &renamed(e, SESSION_FIELDS));
            let typed = Typed {
                held_on: f.held_on,
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Who was present at a session: one `present` check box per participant.
pub async fn attendance(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let fields = Fields(fields);
    staff.check_csrf(fields.one("csrf"))?;
    let session = forms::uuid_of(&id)?;
    let back = back_of(back);
    let present: Result<Vec<Uuid>, CoreError> = fields
        .all("present")
        .iter()
        .map(|p| {
            p.parse::<Uuid>()
                .map_err(|_| CoreError::invalid("present", "only participants of this activity"))
        })
        .collect();
    let result = match present {
        Ok(present) => {
            state
                .app
                .record_attendance(&staff.as_actor(), session, &present)
                .await
        }
        Err(e) => Err(e),
    };
    back_or_refuse(&state, &staff, back, result, SESSION_FIELDS).await
}

/// Whether a participant form was refused for not being exactly the participant's
/// fields: refused whole, with nothing stored (GRP-1). Other rejections (not a form at
/// all) answer as axum does.
fn extra_field(rejection: &FormRejection) -> bool {
    matches!(
        rejection,
        FormRejection::FailedToDeserializeForm(_) | FormRejection::FailedToDeserializeFormBody(_)
    )
}

pub async fn add_participant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    form: Result<Form<ParticipantForm>, FormRejection>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let id = forms::uuid_of(&id)?;
    let f = match form {
        Ok(Form(f)) => f,
        Err(rejection) => {
            if !extra_field(&rejection) {
                return Ok(rejection.into_response());
            }
            let message = staff.tr.t("activity-extra-field");
            return refuse(&state, &staff, Some(id), None, message).await;
        }
    };
    staff.check_csrf(&f.csrf)?;
    let input = f.input();
    let mut errors = FieldErrors::new(staff.tr);
    for (field, rule) in participant_problems(&input, state.app.clock().today()) {
        errors.add(&renamed(
            CoreError::invalid(field, rule),
            PARTICIPANT_FIELDS,
        ));
    }
    let result = if errors.is_empty() {
        state
            .app
            .add_participant(&staff.as_actor(), id, &input)
            .await
            .map(|_| ())
    } else {
        Ok(())
    };
    match result {
        Ok(()) if errors.is_empty() => Ok(to_activity(Some(id))),
        Ok(()) => {
            let typed = Typed {
                participant: f,
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&renamed(e, PARTICIPANT_FIELDS));
            let typed = Typed {
                participant: f,
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Corrects a participant, or sets or lifts the opt-out (which withdraws every consent).
pub async fn edit_participant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    form: Result<Form<ParticipantForm>, FormRejection>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let participant = forms::uuid_of(&id)?;
    let back = back_of(back);
    let f = match form {
        Ok(Form(f)) => f,
        Err(rejection) => {
            if !extra_field(&rejection) {
                return Ok(rejection.into_response());
            }
            let message = staff.tr.t("activity-extra-field");
            return refuse(&state, &staff, back, Some(participant), message).await;
        }
    };
    staff.check_csrf(&f.csrf)?;
    let input = f.input();
    let problems = participant_problems(&input, state.app.clock().today());
    let result = match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => {
            state
                .app
                .update_participant(&staff.as_actor(), participant, &input)
                .await
        }
    };
    match result {
        Ok(()) => Ok(to_activity(back)),
        Err(e @ CoreError::Invalid { .. }) => {
            let mut messages: Vec<String> = problems
                .iter()
                .map(|(field, rule)| {
                    field_error(
                        staff.tr,
                        &renamed(CoreError::invalid(field, *rule), PARTICIPANT_FIELDS),
                    )
                })
                .collect();
            if messages.is_empty() {
                messages.push(field_error(staff.tr, &renamed(e, PARTICIPANT_FIELDS)));
            }
            refuse(&state, &staff, back, Some(participant), messages.join(" ")).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A written consent for a use of photos and video (GRP-2).
pub async fn record_consent(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let participant = forms::uuid_of(&id)?;
    let back = back_of(back);
    let input = ConsentInput {
        use_code: f.use_,
        signed_on: f.signed_on,
        signed_by: f.signed_by,
    };
    match state
        .app
        .record_media_consent(&staff.as_actor(), participant, &input)
        .await
    {
        Ok(_) => Ok(to_activity(back)),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &renamed(e, CONSENT_FIELDS));
            refuse(&state, &staff, back, Some(participant), message).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A withdrawal: from now on nothing with the participant is used for it, and what is
/// published stops, to be taken down.
pub async fn withdraw_consent(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let consent = forms::uuid_of(&id)?;
    state
        .app
        .withdraw_media_consent(&staff.as_actor(), consent)
        .await?;
    Ok(to_activity(back_of(back)))
}

/// Participant ids of repeated `tags` fields; one that is not an id is refused.
fn tag_ids(raw: &[String]) -> Result<Vec<Uuid>, CoreError> {
    raw.iter()
        .map(|t| {
            t.parse::<Uuid>().map_err(|_| {
                CoreError::invalid("tags", "only participants of this activity can be tagged")
            })
        })
        .collect()
}

/// Upload of a photo or video (multipart), tagged with the participants in it.
pub async fn upload(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let id = forms::uuid_of(&id)?;
    let mut csrf = String::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    let mut recorded_on = String::new();
    let mut tags: Vec<String> = Vec::new();
    let mut no_people = false;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::Core(CoreError::invalid("file", "the upload could not be read"))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let media = field.content_type().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, media, bytes.to_vec()));
            }
            Some("recorded_on") => recorded_on = field.text().await.map_err(unreadable)?,
            Some("tags") => {
                let t = field.text().await.map_err(unreadable)?;
                if !t.trim().is_empty() {
                    tags.push(t.trim().to_owned());
                }
            }
            Some("no_people") => {
                no_people = !field.text().await.map_err(unreadable)?.trim().is_empty();
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let (file_name, media_type, bytes) = file.unwrap_or_default();
    let result = match tag_ids(&tags) {
        Ok(ids) => {
            let input = MediaInput {
                file_name,
                media_type,
                bytes,
                recorded_on: recorded_on.clone(),
                tags: ids,
                no_people,
            };
            state
                .app
                .upload_activity_media(&staff.as_actor(), id, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(to_activity(Some(id))),
        Err(e @ CoreError::Invalid { .. }) => {
            let errors = FieldErrors::of_core(staff.tr, &renamed(e, MEDIA_FIELDS));
            let typed = Typed {
                recorded_on,
                tags,
                no_people,
                ..Typed::default()
            };
            render_detail(&state, &staff, id, typed, errors, Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Who is in a photo or video, or that nobody recognisable is.
pub async fn retag(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let fields = Fields(fields);
    staff.check_csrf(fields.one("csrf"))?;
    let media = forms::uuid_of(&id)?;
    let back = back_of(back);
    let no_people = !fields.one("no_people").trim().is_empty();
    let result = match tag_ids(&fields.all("tags")) {
        Ok(tags) => {
            state
                .app
                .tag_activity_media(&staff.as_actor(), media, &tags, no_people)
                .await
        }
        Err(e) => Err(e),
    };
    back_or_refuse(&state, &staff, back, result, MEDIA_FIELDS).await
}

/// Records where a photo or video is published: only with everyone's consent for it.
pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(f): Form<PublishForm>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let media = forms::uuid_of(&id)?;
    let back = back_of(back);
    let result = state
        .app
        .publish_activity_media(&staff.as_actor(), media, &f.publication)
        .await;
    back_or_refuse(&state, &staff, back, result, MEDIA_FIELDS).await
}

/// Records that a publication ended: the photo or video was taken down.
pub async fn taken_down(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    back: Result<Query<Back>, QueryRejection>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    staff.check_csrf(&f.csrf)?;
    let media = forms::uuid_of(&id)?;
    let back = back_of(back);
    let result = state.app.record_taken_down(&staff.as_actor(), media).await;
    back_or_refuse(&state, &staff, back, result, MEDIA_FIELDS).await
}

/// A photo or video to look at in the app (to tag it): a recorded read.
pub async fn view(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let media = forms::uuid_of(&id)?;
    let file = state
        .app
        .activity_media_file(&staff.as_actor(), media, None)
        .await?;
    Ok(crate::disposition::media(file, true))
}

#[derive(Default, Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    gebruik: Option<String>,
    #[serde(default)]
    activiteit: Option<String>,
}

/// A photo or video downloaded for a use: a recorded export, only while everyone in it
/// has a written consent for that use.
pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    query: Result<Query<DownloadQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    enabled(&state)?;
    let media = forms::uuid_of(&id)?;
    let Query(q) = query.map_err(|_| WebError::NotFound)?;
    let back = q.activiteit.as_deref().and_then(|a| a.trim().parse().ok());
    let Some(use_) = q.gebruik.as_deref().and_then(MediaUse::parse) else {
        return Err(WebError::NotFound);
    };
    match state
        .app
        .activity_media_file(&staff.as_actor(), media, Some(use_))
        .await
    {
        Ok(file) => Ok(crate::disposition::media(file, false)),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &renamed(e, MEDIA_FIELDS));
            refuse(&state, &staff, back, None, message).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every field the core can refuse an activity's forms on is shown in its own words,
    /// in both languages, never the generic line (the keys are spelled out so the i18n
    /// test checks them too).
    #[test]
    fn every_refused_field_has_its_own_words() {
        let core_fields: [(&str, &[(&str, &str)]); 24] = [
            ("team", ACTIVITY_FIELDS),
            ("kind", ACTIVITY_FIELDS),
            ("title", ACTIVITY_FIELDS),
            ("location", ACTIVITY_FIELDS),
            ("starts_on", ACTIVITY_FIELDS),
            ("ends_on", ACTIVITY_FIELDS),
            ("photos", ACTIVITY_FIELDS),
            ("photo_notice_on", &[]),
            ("photo_notice_how", &[]),
            ("held_on", SESSION_FIELDS),
            ("present", SESSION_FIELDS),
            ("name", PARTICIPANT_FIELDS),
            ("address", PARTICIPANT_FIELDS),
            ("birth_date", PARTICIPANT_FIELDS),
            ("gender", PARTICIPANT_FIELDS),
            ("phone", PARTICIPANT_FIELDS),
            ("email", PARTICIPANT_FIELDS),
            ("use", CONSENT_FIELDS),
            ("signed_on", CONSENT_FIELDS),
            ("signed_by", CONSENT_FIELDS),
            ("file", MEDIA_FIELDS),
            ("recorded_on", MEDIA_FIELDS),
            ("tags", MEDIA_FIELDS),
            ("publication", MEDIA_FIELDS),
        ];
        for lang in [Lang::Nl, Lang::En] {
            let tr = Tr { lang };
            let generic = tr.t("invalid-generic");
            let own = [
                tr.t("invalid-activity-team"),
                tr.t("invalid-activity-kind"),
                tr.t("invalid-activity-title"),
                tr.t("invalid-activity-location"),
                tr.t("invalid-activity-starts-on"),
                tr.t("invalid-activity-ends-on"),
                tr.t("invalid-activity-photos"),
                tr.t("invalid-photo-notice-on"),
                tr.t("invalid-photo-notice-how"),
                tr.t("invalid-session-held-on"),
                tr.t("invalid-session-present"),
                tr.t("invalid-participant-name"),
                tr.t("invalid-address"),
                tr.t("invalid-birth-date"),
                tr.t("invalid-gender"),
                tr.t("invalid-phone"),
                tr.t("invalid-email"),
                tr.t("invalid-consent-use"),
                tr.t("invalid-consent-signed-on"),
                tr.t("invalid-consent-signed-by"),
                tr.t("invalid-media-file"),
                tr.t("invalid-media-recorded-on"),
                tr.t("invalid-media-tags"),
                tr.t("invalid-media-publication"),
            ];
            for ((field, map), own) in core_fields.iter().zip(own) {
                let shown = field_error(tr, &renamed(CoreError::invalid(field, "x"), map));
                assert_ne!(shown, generic, "{field} in {}", lang.code());
                assert_eq!(shown, own, "{field} in {}", lang.code());
            }
            let media_use = field_error(tr, &renamed(CoreError::invalid("use", "x"), MEDIA_FIELDS));
            assert_eq!(media_use, tr.t("invalid-media-use"));
        }
    }
}
