//! Group activities, courses and workshops (GRP-1..3, LEVgroep §6): "Als je deelneemt aan
//! groepsactiviteiten, cursussen of workshops, verwerken we meestal alleen: naam, adres,
//! geboortedatum, geslacht, telefoonnummer en e-mailadres."
//!
//! - An activity belongs to a team (and so a branch), with its kind, title, location, first
//!   and last day, the days it meets and who attended. Whether photos or video will be
//!   made is set on the activity; if so, how and when participants were told in advance
//!   is recorded before any photo can be uploaded (GRP-2).
//! - A participant holds exactly the six fields of the statement ([`participants`]),
//!   sealed with the system key; a participant need not be a client and is never part
//!   of a client's data. A participant can opt out of being photographed: the marker shows
//!   on every list and attendance sheet.
//! - Photos and video ([`media`]) are stored sealed, tagged with the participants in them,
//!   and used (published, downloaded for a use) only while every tagged participant has a
//!   written consent for that use; a withdrawal stops them at once.
//! - The policy's rules give each activity (with its participants) and each photo or
//!   video its last day; the retention sweep removes them after it ([`sweep`]), with a
//!   line in the destruction register, and the destruction schedule lists them before.
//!
//! Every access passes the gate (`access/grp_group_activities.cedar`): the activity's team
//! (caseworkers and team lead) and managers keep it; the privacy officer reads it.

mod demo;
pub mod media;
pub mod participants;
pub mod sweep;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose, Role, UserId};
use zv_policy::RecordKind;
use zv_store::activities::{ActivityRow, SessionRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

pub use self::media::{MediaFile, MediaInput, MediaUse, MediaView};
pub use self::participants::{
    ConsentInput, ConsentView, ParticipantInput, ParticipantView, SignedBy, participant_problems,
};

const TITLE_MAX_CHARS: usize = 200;
const LOCATION_MAX_CHARS: usize = 200;
const NOTICE_MIN_CHARS: usize = 5;
const NOTICE_MAX_CHARS: usize = 500;

/// What kind of group work it is (the statement's "groepsactiviteiten, cursussen of
/// workshops").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Activity,
    Course,
    Workshop,
}

impl ActivityKind {
    pub const ALL: &'static [Self] = &[Self::Activity, Self::Course, Self::Workshop];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Activity => "activity",
            Self::Course => "course",
            Self::Workshop => "workshop",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code.trim())
    }
}

/// An activity as a staff member enters it; dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    pub team: String,
    pub kind: String,
    pub title: String,
    pub location: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Photos or video will be made.
    pub photos: bool,
}

/// An activity on the list, the page and in the API: no participant's data.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub id: Uuid,
    pub branch: String,
    pub team: String,
    pub kind: ActivityKind,
    pub title: String,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub photos: bool,
    /// When and how participants were told in advance that photos or video will be made.
    pub photo_notice_on: Option<NaiveDate>,
    pub photo_notice_how: Option<String>,
    /// The last day it is kept with its participants; removed the day after.
    pub keep_until: NaiveDate,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// A day the activity meets, with who was there.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub present: Vec<Uuid>,
}

/// Everything of one activity, for its team: a recorded read of its participants.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityDetail {
    pub activity: ActivityView,
    pub sessions: Vec<SessionView>,
    pub participants: Vec<ParticipantView>,
    pub media: Vec<MediaView>,
    /// The reader may change it (not the privacy officer, who reviews).
    pub may_edit: bool,
}

fn activity_view(r: &ActivityRow) -> CoreResult<ActivityView> {
    Ok(ActivityView {
        id: r.id,
        branch: r.branch_code.clone(),
        team: r.team_code.clone(),
        kind: ActivityKind::parse(&r.kind)
            .ok_or_else(|| CoreError::Internal("unknown activity kind".into()))?,
        title: r.title.clone(),
        location: r.location.clone(),
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        photos: r.photos,
        photo_notice_on: r.photo_notice_on,
        photo_notice_how: r.photo_notice_how.clone(),
        keep_until: r.keep_until,
        created_by: r.created_by,
        created_at: r.created_at,
    })
}

/// `YYYY-MM-DD`, or the rule.
pub(crate) fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn chars_between(raw: &str, min: usize, max: usize) -> bool {
    let t = raw.trim();
    (min..=max).contains(&t.chars().count()) && !t.chars().any(char::is_control)
}

/// Every refused field of an activity, with the rule (never the value).
#[must_use]
pub fn activity_problems(
    input: &ActivityInput,
    policy: &zv_policy::Policy,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if policy.team(input.team.trim()).is_none() {
        out.push(("team", "choose the team that runs it"));
    }
    if ActivityKind::parse(&input.kind).is_none() {
        out.push(("kind", "choose activity, course or workshop"));
    }
    if !chars_between(&input.title, 2, TITLE_MAX_CHARS) {
        out.push(("title", "give a title of 2 to 200 characters"));
    }
    if !chars_between(&input.location, 2, LOCATION_MAX_CHARS) {
        out.push(("location", "give the location in 2 to 200 characters"));
    }
    let starts = day(&input.starts_on);
    if starts.is_none() {
        out.push(("starts_on", "give the first day as a date"));
    }
    match (starts, day(&input.ends_on)) {
        (_, None) => out.push(("ends_on", "give the last day as a date")),
        (Some(s), Some(e)) if e < s => {
            out.push(("ends_on", "the last day is on or after the first day"));
        }
        _ => {}
    }
    out
}

pub(crate) fn first(problems: &[(&'static str, &'static str)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => Ok(()),
    }
}

/// An access to one activity's records, decided for its team.
pub(crate) fn activity_access(action: AuditAction, team: &str) -> Access {
    Access::new(action, AuditObject::GroupActivity, None)
        .target(Target::Organisation(AuditObject::GroupActivity))
        .team(team.to_owned())
        .purpose(Purpose::Care)
}

impl App {
    /// Whether the organisation runs group activities (the policy keeps participants).
    #[must_use]
    pub fn runs_group_activities(&self) -> bool {
        self.participants_rule().is_some()
    }

    fn participants_rule(&self) -> Option<&zv_policy::RetentionRule> {
        self.policy
            .record_retention_rule(RecordKind::GroupParticipants)
    }

    pub(crate) fn activities_or_not_found(&self) -> CoreResult<&zv_policy::RetentionRule> {
        self.participants_rule().ok_or(CoreError::NotFound)
    }

    /// The last day an activity ending on `ends_on` is kept with its participants: the
    /// policy's rule, its term counted from the activity's end (the end of the help).
    fn activity_keep_until(&self, ends_on: NaiveDate) -> CoreResult<NaiveDate> {
        let rule = self.activities_or_not_found()?;
        Ok(rule
            .retention_until(&zv_policy::RetentionFacts {
                closed_on: Some(ends_on),
                last_change: Some(ends_on),
                recorded_on: Some(ends_on),
                procedure_ended_on: Some(ends_on),
                ..zv_policy::RetentionFacts::default()
            })
            .unwrap_or(ends_on))
    }

    /// Whether the actor may run activities for some team (the menu and the new form).
    pub fn may_run_activities(&self, actor: &Actor) -> CoreResult<bool> {
        if !self.runs_group_activities() {
            return Ok(false);
        }
        let Actor::Staff(s) = actor else {
            return Ok(false);
        };
        Ok(s.roles.contains(&Role::Manager)
            || (!s.teams.is_empty()
                && (s.roles.contains(&Role::Caseworker) || s.roles.contains(&Role::TeamLead))))
    }

    /// The teams whose activities the actor sees, `None` for all (a manager, the privacy
    /// officer); refused when none.
    fn visible_teams(&self, actor: &Actor) -> CoreResult<Option<Vec<String>>> {
        let Actor::Staff(s) = actor else {
            return Err(CoreError::NotAllowed("activities are for staff".into()));
        };
        if s.roles.contains(&Role::Manager) || s.roles.contains(&Role::PrivacyOfficer) {
            return Ok(None);
        }
        Ok(Some(s.teams.clone()))
    }

    /// The activities of the actor's teams (all for a manager and the privacy officer),
    /// latest first. Each team's list is a recorded read, decided for that team.
    pub async fn activities(&self, actor: &Actor) -> CoreResult<Vec<ActivityView>> {
        self.activities_or_not_found()?;
        let teams = self.visible_teams(actor)?;
        let decided: Vec<String> = match &teams {
            None => vec![String::new()],
            Some(t) => t.clone(),
        };
        if decided.is_empty() {
            return Err(CoreError::NotAllowed(
                "you are in no team that runs activities".into(),
            ));
        }
        let mut allowed = Vec::new();
        for team in &decided {
            let access = if team.is_empty() {
                Access::new(AuditAction::Read, AuditObject::GroupActivity, None)
                    .target(Target::Organisation(AuditObject::GroupActivity))
                    .purpose(Purpose::Care)
            } else {
                activity_access(AuditAction::Read, team)
            }
            .detail("activities listed");
            let tx = self.authorize_organisation_write(actor, access).await?;
            tx.commit().await?;
            allowed.push(team.clone());
        }
        let tx = self.store.read_tx().await?;
        let rows = match teams {
            None => zv_store::activities::activities(&tx, None).await?,
            Some(_) => zv_store::activities::activities(&tx, Some(&allowed)).await?,
        };
        tx.commit().await?;
        rows.iter().map(activity_view).collect()
    }

    /// Registers an activity for a team the actor works in (a manager: any team).
    pub async fn create_activity(&self, actor: &Actor, input: &ActivityInput) -> CoreResult<Uuid> {
        self.activities_or_not_found()?;
        first(&activity_problems(input, &self.policy))?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("activities are registered by staff".into()))?;
        let team = self
            .policy
            .team(input.team.trim())
            .ok_or(CoreError::NotFound)?
            .clone();
        let (starts_on, ends_on) = (
            day(&input.starts_on).ok_or(CoreError::NotFound)?,
            day(&input.ends_on).ok_or(CoreError::NotFound)?,
        );
        let id = Uuid::now_v7();
        let row = ActivityRow {
            id,
            branch_code: team.branch.clone(),
            team_code: team.code.clone(),
            kind: ActivityKind::parse(&input.kind)
                .map(ActivityKind::code)
                .unwrap_or_default()
                .to_owned(),
            title: input.title.trim().to_owned(),
            location: input.location.trim().to_owned(),
            starts_on,
            ends_on,
            photos: input.photos,
            photo_notice_on: None,
            photo_notice_how: None,
            keep_until: self.activity_keep_until(ends_on)?,
            created_by: by,
            created_at: self.now(),
        };
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Create, &team.code)
                    .object_id(id)
                    .detail("activity registered"),
            )
            .await?;
        zv_store::activities::insert_activity(&tx, &row).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Reads an activity's row for the gate (its team decides), without its content.
    pub(crate) async fn activity_row(&self, id: Uuid) -> CoreResult<ActivityRow> {
        self.activities_or_not_found()?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::activities::activity(&tx, id).await?;
        tx.commit().await?;
        row.ok_or(CoreError::NotFound)
    }

    /// Changes an activity's team-independent facts: kind, title, location, dates,
    /// whether photos will be made. Its term follows the new last day. A day it met on
    /// must stay within the dates, and so must the photos made.
    pub async fn update_activity(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ActivityInput,
    ) -> CoreResult<()> {
        let current = self.activity_row(id).await?;
        let mut problems = activity_problems(input, &self.policy);
        // The team stays: moving an activity to another team would hand its participants
        // to people who were never meant to see them.
        problems.retain(|(f, _)| *f != "team");
        first(&problems)?;
        let (starts_on, ends_on) = (
            day(&input.starts_on).ok_or(CoreError::NotFound)?,
            day(&input.ends_on).ok_or(CoreError::NotFound)?,
        );
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(id)
                    .detail("activity changed"),
            )
            .await?;
        let sessions = zv_store::activities::sessions_of(&tx, id).await?;
        if sessions
            .iter()
            .any(|s| s.held_on < starts_on || s.held_on > ends_on)
        {
            return Err(CoreError::invalid(
                "ends_on",
                "a day the activity met lies outside these dates",
            ));
        }
        let media = zv_store::activities::media::of_activity(&tx, id).await?;
        if media
            .iter()
            .any(|m| m.recorded_on < starts_on || m.recorded_on > ends_on)
        {
            return Err(CoreError::invalid(
                "ends_on",
                "a photo or video was made outside these dates",
            ));
        }
        if !input.photos && !media.is_empty() {
            return Err(CoreError::invalid(
                "photos",
                "photos or video of this activity exist; remove them first",
            ));
        }
        let row = ActivityRow {
            kind: ActivityKind::parse(&input.kind)
                .map(ActivityKind::code)
                .unwrap_or_default()
                .to_owned(),
            title: input.title.trim().to_owned(),
            location: input.location.trim().to_owned(),
            starts_on,
            ends_on,
            photos: input.photos,
            keep_until: self.activity_keep_until(ends_on)?,
            ..current
        };
        zv_store::activities::update_activity(&tx, &row).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records how and when participants were told in advance that photos or video will
    /// be made (GRP-2): on or before the first day, and not in the future.
    pub async fn record_photo_notice(
        &self,
        actor: &Actor,
        id: Uuid,
        on: &str,
        how: &str,
    ) -> CoreResult<()> {
        let current = self.activity_row(id).await?;
        let mut problems = Vec::new();
        if !current.photos {
            problems.push((
                "photo_notice_on",
                "this activity is not marked for photos or video",
            ));
        }
        match day(on) {
            None => problems.push(("photo_notice_on", "give the day participants were told")),
            Some(d) if d > self.clock.today() => {
                problems.push(("photo_notice_on", "the day lies today or earlier"));
            }
            Some(d) if d > current.starts_on => problems.push((
                "photo_notice_on",
                "participants are told in advance: on or before the first day",
            )),
            Some(_) => {}
        }
        if !chars_between(how, NOTICE_MIN_CHARS, NOTICE_MAX_CHARS) {
            problems.push((
                "photo_notice_how",
                "say how participants were told, in 5 to 500 characters",
            ));
        }
        first(&problems)?;
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(id)
                    .detail("notice about photos and video recorded"),
            )
            .await?;
        let row = ActivityRow {
            photo_notice_on: day(on),
            photo_notice_how: Some(how.trim().to_owned()),
            ..current
        };
        zv_store::activities::update_activity(&tx, &row).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a day the activity meets, within its dates.
    pub async fn add_activity_session(
        &self,
        actor: &Actor,
        activity: Uuid,
        held_on: &str,
    ) -> CoreResult<Uuid> {
        let current = self.activity_row(activity).await?;
        let Some(held) = day(held_on) else {
            return Err(CoreError::invalid("held_on", "give the day as a date"));
        };
        if held < current.starts_on || held > current.ends_on {
            return Err(CoreError::invalid(
                "held_on",
                "the day lies within the activity's first and last day",
            ));
        }
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(activity)
                    .detail("session added"),
            )
            .await?;
        if zv_store::activities::sessions_of(&tx, activity)
            .await?
            .iter()
            .any(|s| s.held_on == held)
        {
            return Err(CoreError::invalid(
                "held_on",
                "this day is on the list already",
            ));
        }
        zv_store::activities::insert_session(
            &tx,
            &SessionRow {
                id,
                activity_id: activity,
                held_on: held,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records who was present at a session (replacing what was recorded): only the
    /// activity's own participants, and only for a day that has come.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        session: Uuid,
        present: &[Uuid],
    ) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("attendance is recorded by staff".into()))?;
        let tx = self.store.read_tx().await?;
        let s = zv_store::activities::session(&tx, session).await?;
        tx.commit().await?;
        let s = s.ok_or(CoreError::NotFound)?;
        let current = self.activity_row(s.activity_id).await?;
        if s.held_on > self.clock.today() {
            return Err(CoreError::invalid(
                "present",
                "attendance is recorded on or after the day itself",
            ));
        }
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(s.activity_id)
                    .detail(format!("attendance of {} recorded", s.held_on)),
            )
            .await?;
        let own: std::collections::HashSet<Uuid> =
            zv_store::activities::participants_of(&tx, s.activity_id)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
        if present.iter().any(|p| !own.contains(p)) {
            return Err(CoreError::invalid(
                "present",
                "only participants of this activity can be present",
            ));
        }
        let mut present = present.to_vec();
        present.sort();
        present.dedup();
        zv_store::activities::set_attendance(&tx, session, &present, by, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One activity with its sessions, attendance, participants (opened), their consents,
    /// and its photos and video with what each may be used for: a recorded read.
    pub async fn activity_detail(&self, actor: &Actor, id: Uuid) -> CoreResult<ActivityDetail> {
        let current = self.activity_row(id).await?;
        let may_edit = self.capability_in_team(actor, AuditAction::Update, &current.team_code)?;
        let tx = self
            .authorize_organisation_write(
                actor,
                activity_access(AuditAction::Read, &current.team_code)
                    .object_id(id)
                    .detail("activity with its participants read"),
            )
            .await?;
        let sessions = zv_store::activities::sessions_of(&tx, id).await?;
        let session_ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
        let attendance = zv_store::activities::attendance_of(&tx, &session_ids).await?;
        let participant_rows = zv_store::activities::participants_of(&tx, id).await?;
        let ids: Vec<Uuid> = participant_rows.iter().map(|p| p.id).collect();
        let consents = zv_store::activities::consents_of(&tx, &ids).await?;
        let media_rows = zv_store::activities::media::of_activity(&tx, id).await?;
        tx.commit().await?;
        let participants = self.participant_views(&participant_rows, &consents)?;
        let media = media_rows
            .iter()
            .map(|m| self.media_view(m, &participants))
            .collect::<CoreResult<Vec<_>>>()?;
        let sessions = sessions
            .iter()
            .map(|s| SessionView {
                id: s.id,
                held_on: s.held_on,
                present: participants
                    .iter()
                    .filter(|p| attendance.contains(&(s.id, p.id)))
                    .map(|p| p.id)
                    .collect(),
            })
            .collect();
        Ok(ActivityDetail {
            activity: activity_view(&current)?,
            sessions,
            participants,
            media,
            may_edit,
        })
    }

    /// Whether the actor may do `action` on the records of the given team, decided by the
    /// rules for a member of it or not, without recording (for showing forms).
    pub(crate) fn capability_in_team(
        &self,
        actor: &Actor,
        action: AuditAction,
        team: &str,
    ) -> CoreResult<bool> {
        let in_team = matches!(actor, Actor::Staff(s) if s.teams.iter().any(|t| t == team));
        let standing = crate::access::Standing {
            in_team,
            ..crate::access::Standing::default()
        };
        Ok(Self::permitted_on(
            actor,
            &standing,
            &[(action, Target::Organisation(AuditObject::GroupActivity))],
        )?
        .first()
        .copied()
        .unwrap_or(false))
    }
}

#[cfg(test)]
mod tests {
    use super::{ActivityInput, activity_problems};

    fn fields(input: &ActivityInput) -> Vec<&'static str> {
        let policy = zv_policy::parse(include_str!("../../../../policies/levgroep.toml"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        activity_problems(input, &policy)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn every_field_of_an_activity_is_checked_on_its_own() {
        let good = ActivityInput {
            team: "groepen-best".into(),
            kind: "course".into(),
            title: "Cursus opvoeden".into(),
            location: "Wijkhuis Best".into(),
            starts_on: "2026-03-02".into(),
            ends_on: "2026-04-06".into(),
            photos: true,
        };
        assert!(fields(&good).is_empty());
        let bad = ActivityInput {
            team: "onbekend".into(),
            kind: "feest".into(),
            title: "x".into(),
            location: String::new(),
            starts_on: "2 maart".into(),
            ends_on: "2026-13-01".into(),
            photos: false,
        };
        assert_eq!(
            fields(&bad),
            ["team", "kind", "title", "location", "starts_on", "ends_on"]
        );
        let backwards = ActivityInput {
            ends_on: "2026-03-01".into(),
            ..good
        };
        assert_eq!(fields(&backwards), ["ends_on"]);
    }
}
