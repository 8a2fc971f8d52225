//! Participants of an activity (GRP-1) and their written consents for photos and video
//! (GRP-2).
//!
//! A participant record holds exactly name, address, birth date, gender, telephone and
//! e-mail address, each sealed with the system key, and whether the participant opted
//! out of being photographed. Nothing else can be given: the input has no other field
//! and the web layer refuses a form or body that carries one.
//!
//! A consent is for one use ([`MediaUse`]) and is written: the day the signed form was
//! signed and who signed it, which the age rules decide by the participant's age that day
//! (the policy's `age_bands`, as for consents in the dossier): under 12 the parent or
//! guardian, from 12 to 16 the participant and the parent together, from 16 the
//! participant alone. A participant who opted out gives no consent until the opt-out is
//! lifted; opting out withdraws every consent in force. A withdrawal takes effect at once
//! ([`super::media`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{Address, AuditAction, BirthDate, Email, Gender, PersonName, Phone, UserId};
use zv_policy::AgeBand;
use zv_store::activities::{ConsentRow, ParticipantRow};

use super::media::{MediaUse, STOPPED_CONSENT_WITHDRAWN};
use super::{activity_access, day, first};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;
use crate::keys::Sealer;

pub(crate) const T: &str = "activity_participants";

/// A participant as a staff member enters it: the six fields of GRP-1 and the opt-out of
/// GRP-2, and nothing else. Name and birth date are required (the birth date decides who
/// signs a consent); the others may stay empty.
#[derive(Clone, Default)]
pub struct ParticipantInput {
    pub name: String,
    pub address: String,
    pub birth_date: String,
    pub gender: String,
    pub phone: String,
    pub email: String,
    pub photo_opt_out: bool,
}

impl std::fmt::Debug for ParticipantInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParticipantInput(***)")
    }
}

/// Who signed a written consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignedBy {
    Participant,
    Parent,
    ParticipantAndParent,
}

impl SignedBy {
    pub const ALL: &'static [Self] = &[Self::Participant, Self::Parent, Self::ParticipantAndParent];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Participant => "participant",
            Self::Parent => "parent",
            Self::ParticipantAndParent => "participant_and_parent",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code.trim())
    }

    /// Who must sign for a participant in this age band.
    #[must_use]
    pub const fn required_for(band: AgeBand) -> Self {
        match band {
            AgeBand::UnderOwnAccess => Self::Parent,
            AgeBand::Consultative => Self::ParticipantAndParent,
            AgeBand::Independent | AgeBand::Adult => Self::Participant,
        }
    }
}

/// A written consent as a staff member records it.
#[derive(Debug, Clone, Default)]
pub struct ConsentInput {
    /// `publication` or `internal`.
    pub use_code: String,
    /// The day the form was signed, `YYYY-MM-DD`.
    pub signed_on: String,
    /// `participant`, `parent` or `participant_and_parent`.
    pub signed_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    pub id: Uuid,
    pub participant: Uuid,
    #[serde(rename = "use")]
    pub use_: MediaUse,
    pub signed_on: NaiveDate,
    pub signed_by: SignedBy,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<UserId>,
}

/// A participant, opened, with the consents recorded for them.
#[derive(Clone, Serialize)]
pub struct ParticipantView {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    pub phone: String,
    pub email: String,
    /// Does not want to be photographed: shown on every list and attendance sheet.
    pub photo_opt_out: bool,
    pub consents: Vec<ConsentView>,
    pub added_by: UserId,
    pub added_at: DateTime<Utc>,
}

impl std::fmt::Debug for ParticipantView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParticipantView({}, ***)", self.id)
    }
}

impl ParticipantView {
    /// Whether a written consent for `use_` is in force.
    #[must_use]
    pub fn consents_to(&self, use_: MediaUse) -> bool {
        !self.photo_opt_out
            && self
                .consents
                .iter()
                .any(|c| c.use_ == use_ && c.withdrawn_at.is_none())
    }
}

fn optional<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, zv_domain::ValueError>) -> bool {
    raw.trim().is_empty() || parse(raw).is_ok()
}

/// Every refused field of a participant, with the rule (never the value).
#[must_use]
pub fn participant_problems(
    input: &ParticipantInput,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if PersonName::parse(&input.name).is_err() {
        out.push(("name", "give the participant's name"));
    }
    if !optional(&input.address, Address::parse) {
        out.push(("address", "an address of at most 300 characters"));
    }
    if BirthDate::parse(&input.birth_date, today).is_err() {
        out.push((
            "birth_date",
            "give the birth date as a date, not in the future",
        ));
    }
    if Gender::parse(&input.gender).is_err() {
        out.push(("gender", "choose female, male, non-binary or unknown"));
    }
    if !optional(&input.phone, Phone::parse) {
        out.push(("phone", "a telephone number of 6 to 15 digits"));
    }
    if !optional(&input.email, Email::parse) {
        out.push(("email", "a valid e-mail address"));
    }
    out
}

impl App {
    fn seal_participant(
        &self,
        input: &ParticipantInput,
        id: Uuid,
        activity: Uuid,
        by: UserId,
        at: DateTime<Utc>,
    ) -> ParticipantRow {
        let s = Sealer {
            key: self.keys.system(),
        };
        let gender = Gender::parse(&input.gender).unwrap_or(Gender::Unknown);
        ParticipantRow {
            id,
            activity_id: activity,
            name_ct: s.seal(T, "name", id, input.name.trim()),
            address_ct: s.seal(T, "address", id, input.address.trim()),
            birth_date_ct: s.seal(T, "birth_date", id, input.birth_date.trim()),
            gender_ct: s.seal(T, "gender", id, gender.code()),
            phone_ct: s.seal(T, "phone", id, input.phone.trim()),
            email_ct: s.seal(T, "email", id, input.email.trim()),
            photo_opt_out: input.photo_opt_out,
            created_by: by,
            created_at: at,
        }
    }

    pub(crate) fn participant_views(
        &self,
        rows: &[ParticipantRow],
        consents: &[ConsentRow],
    ) -> CoreResult<Vec<ParticipantView>> {
        let s = Sealer {
            key: self.keys.system(),
        };
        rows.iter()
            .map(|r| {
                let birth = s.open(T, "birth_date", r.id, &r.birth_date_ct)?;
                let gender = s.open(T, "gender", r.id, &r.gender_ct)?;
                Ok(ParticipantView {
                    id: r.id,
                    name: s.open(T, "name", r.id, &r.name_ct)?,
                    address: s.open(T, "address", r.id, &r.address_ct)?,
                    birth_date: day(&birth)
                        .ok_or_else(|| CoreError::Internal("participant birth date".into()))?,
                    gender: Gender::parse(&gender).unwrap_or(Gender::Unknown),
                    phone: s.open(T, "phone", r.id, &r.phone_ct)?,
                    email: s.open(T, "email", r.id, &r.email_ct)?,
                    photo_opt_out: r.photo_opt_out,
                    consents: consents
                        .iter()
                        .filter(|c| c.participant_id == r.id)
                        .map(consent_view)
                        .collect::<CoreResult<Vec<_>>>()?,
                    added_by: r.created_by,
                    added_at: r.created_at,
                })
            })
            .collect()
    }

    /// Registers a participant of an activity.
    pub async fn add_participant(
        &self,
        actor: &Actor,
        activity: Uuid,
        input: &ParticipantInput,
    ) -> CoreResult<Uuid> {
        let current = self.activity_row(activity).await?;
        first(&participant_problems(input, self.clock.today()))?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("participants are added by staff".into()))?;
        let id = Uuid::now_v7();
        let row = self.seal_participant(input, id, activity, by, self.now());
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Create, &current.team_code)
                    .object_id(activity)
                    .detail(format!("participant {id} added")),
            )
            .await?;
        zv_store::activities::insert_participant(&tx, &row).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects a participant's fields, or sets or lifts the opt-out. Opting out withdraws
    /// every consent in force, and stops the publication of photos and video with them.
    pub async fn update_participant(
        &self,
        actor: &Actor,
        participant: Uuid,
        input: &ParticipantInput,
    ) -> CoreResult<()> {
        first(&participant_problems(input, self.clock.today()))?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("participants are changed by staff".into()))?;
        let (row, current) = self.participant_and_activity(participant).await?;
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(current.id)
                    .detail(format!(
                        "participant {participant} changed{}",
                        if input.photo_opt_out && !row.photo_opt_out {
                            "; opted out of being photographed"
                        } else {
                            ""
                        }
                    )),
            )
            .await?;
        let now = self.now();
        let sealed = self.seal_participant(
            input,
            participant,
            current.id,
            row.created_by,
            row.created_at,
        );
        zv_store::activities::update_participant(&tx, &sealed).await?;
        if input.photo_opt_out {
            self.withdraw_in(&tx, participant, None, by, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn participant_and_activity(
        &self,
        participant: Uuid,
    ) -> CoreResult<(ParticipantRow, zv_store::activities::ActivityRow)> {
        self.activities_or_not_found()?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::activities::participant(&tx, participant).await?;
        tx.commit().await?;
        let row = row.ok_or(CoreError::NotFound)?;
        let current = self.activity_row(row.activity_id).await?;
        Ok((row, current))
    }

    /// Records a participant's written consent for a use of photos and video, signed by
    /// whom the age rules require on the day it was signed.
    pub async fn record_media_consent(
        &self,
        actor: &Actor,
        participant: Uuid,
        input: &ConsentInput,
    ) -> CoreResult<Uuid> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("consents are recorded by staff".into()))?;
        let mut problems = Vec::new();
        let use_ = MediaUse::parse(&input.use_code);
        if use_.is_none() {
            problems.push(("use", "choose publication or internal use"));
        }
        let signed_on = day(&input.signed_on);
        match signed_on {
            None => problems.push(("signed_on", "give the day the form was signed")),
            Some(d) if d > self.clock.today() => {
                problems.push(("signed_on", "the day lies today or earlier"));
            }
            Some(_) => {}
        }
        let signed_by = SignedBy::parse(&input.signed_by);
        if signed_by.is_none() {
            problems.push(("signed_by", "choose the participant, a parent, or both"));
        }
        first(&problems)?;
        let (use_, signed_on, signed_by) = match (use_, signed_on, signed_by) {
            (Some(u), Some(d), Some(s)) => (u, d, s),
            _ => return Err(CoreError::NotFound),
        };
        let (row, current) = self.participant_and_activity(participant).await?;
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(current.id)
                    .detail(format!(
                        "written consent of participant {participant} for {} recorded",
                        use_.code()
                    )),
            )
            .await?;
        if row.photo_opt_out {
            return Err(CoreError::invalid(
                "use",
                "this participant does not want to be photographed; lift the opt-out first",
            ));
        }
        let birth = Sealer {
            key: self.keys.system(),
        }
        .open(T, "birth_date", participant, &row.birth_date_ct)?;
        let birth = day(&birth).ok_or_else(|| CoreError::Internal("birth date".into()))?;
        if birth > signed_on {
            return Err(CoreError::invalid(
                "signed_on",
                "the day lies after the participant's birth",
            ));
        }
        let required = SignedBy::required_for(self.policy.age_bands().band(birth, signed_on));
        if signed_by != required {
            return Err(CoreError::invalid(
                "signed_by",
                match required {
                    SignedBy::Parent => "under 12 a parent or guardian signs the consent",
                    SignedBy::ParticipantAndParent => {
                        "from 12 to 16 the participant and a parent or guardian both sign"
                    }
                    SignedBy::Participant => "from 16 the participant signs alone",
                },
            ));
        }
        if zv_store::activities::consents_of(&tx, &[participant])
            .await?
            .iter()
            .any(|c| c.use_code == use_.code() && c.withdrawn_at.is_none())
        {
            return Err(CoreError::invalid(
                "use",
                "a consent for this use is in force already",
            ));
        }
        let id = Uuid::now_v7();
        zv_store::activities::insert_consent(
            &tx,
            &ConsentRow {
                id,
                participant_id: participant,
                use_code: use_.code().to_owned(),
                signed_on,
                signed_by: signed_by.code().to_owned(),
                recorded_by: by,
                recorded_at: self.now(),
                withdrawn_at: None,
                withdrawn_by: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Withdraws a consent: from this moment the photos and video with the participant
    /// cannot be used for it, and those published are stopped, to be taken down.
    pub async fn withdraw_media_consent(&self, actor: &Actor, consent: Uuid) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("consents are withdrawn by staff".into()))?;
        self.activities_or_not_found()?;
        let tx = self.store.read_tx().await?;
        let c = zv_store::activities::consent(&tx, consent).await?;
        tx.commit().await?;
        let c = c.ok_or(CoreError::NotFound)?;
        let (_, current) = self.participant_and_activity(c.participant_id).await?;
        let tx = self
            .authorize_write(
                actor,
                activity_access(AuditAction::Update, &current.team_code)
                    .object_id(current.id)
                    .detail(format!(
                        "consent of participant {} for {} withdrawn",
                        c.participant_id, c.use_code
                    )),
            )
            .await?;
        if c.withdrawn_at.is_some() {
            return Err(CoreError::Conflict(
                "this consent was withdrawn already".into(),
            ));
        }
        self.withdraw_in(&tx, c.participant_id, Some(&c.use_code), by, self.now())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws consents in force (one use or all) in `tx`; when publication is among
    /// them, the published photos and video with the participant stop.
    async fn withdraw_in(
        &self,
        tx: &zv_store::Tx,
        participant: Uuid,
        use_code: Option<&str>,
        by: UserId,
        at: DateTime<Utc>,
    ) -> CoreResult<()> {
        zv_store::activities::withdraw_consents(tx, participant, use_code, by, at).await?;
        if use_code.is_none_or(|u| u == MediaUse::Publication.code()) {
            let published = zv_store::activities::media::published_with(tx, participant).await?;
            zv_store::activities::media::stop(tx, &published, at, STOPPED_CONSENT_WITHDRAWN)
                .await?;
        }
        Ok(())
    }
}

fn consent_view(c: &ConsentRow) -> CoreResult<ConsentView> {
    Ok(ConsentView {
        id: c.id,
        participant: c.participant_id,
        use_: MediaUse::parse(&c.use_code)
            .ok_or_else(|| CoreError::Internal("unknown media use".into()))?,
        signed_on: c.signed_on,
        signed_by: SignedBy::parse(&c.signed_by)
            .ok_or_else(|| CoreError::Internal("unknown signer".into()))?,
        recorded_by: c.recorded_by,
        recorded_at: c.recorded_at,
        withdrawn_at: c.withdrawn_at,
        withdrawn_by: c.withdrawn_by,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use zv_policy::AgeBand;

    use super::{ParticipantInput, SignedBy, participant_problems};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    // promise: GRP-1
    #[test]
    fn a_participant_needs_a_name_and_birth_date_and_the_rest_is_checked_when_given() {
        let fields = |i: &ParticipantInput| -> Vec<&'static str> {
            participant_problems(i, today())
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        let least = ParticipantInput {
            name: "Noor Bakker".into(),
            birth_date: "2015-04-01".into(),
            ..ParticipantInput::default()
        };
        assert!(fields(&least).is_empty());
        let bad = ParticipantInput {
            name: " ".into(),
            address: "a".repeat(301),
            birth_date: "2027-01-01".into(),
            gender: "onbekend-x".into(),
            phone: "12".into(),
            email: "geen".into(),
            photo_opt_out: false,
        };
        assert_eq!(
            fields(&bad),
            ["name", "address", "birth_date", "gender", "phone", "email"]
        );
    }

    // promise: GRP-2
    #[test]
    fn who_signs_follows_the_age_bands() {
        assert_eq!(
            SignedBy::required_for(AgeBand::UnderOwnAccess),
            SignedBy::Parent
        );
        assert_eq!(
            SignedBy::required_for(AgeBand::Consultative),
            SignedBy::ParticipantAndParent
        );
        assert_eq!(
            SignedBy::required_for(AgeBand::Independent),
            SignedBy::Participant
        );
        assert_eq!(
            SignedBy::required_for(AgeBand::Adult),
            SignedBy::Participant
        );
    }
}
