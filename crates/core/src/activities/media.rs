//! Photos and video of activities (GRP-2, GRP-3, LEVgroep §6): "Voor het gebruik van
//! foto's of video's vragen we schriftelijke toestemming. We verwijderen oude foto's en
//! video's regelmatig."
//!
//! - Uploaded only for an activity marked for photos whose notice to participants is
//!   recorded; sealed with the system key and written as a file before its row commits.
//! - Tagged with the participants in it, or marked as showing nobody recognisable; one of
//!   the two is required, so nothing is usable merely because nobody looked.
//! - Used, for publication or internal use ([`MediaUse`]), only while every tagged
//!   participant has a written consent for that use in force and has not opted out
//!   ([`usable_for`]). A withdrawal takes effect at once: nothing can be downloaded for
//!   the use any more, and a publication is stopped, with a request on the activity's
//!   page to take it down where it was published.
//! - Looking at it in the app, to tag it, is a recorded read for the activity's team.
//! - Its last day follows the policy's rule for photos and video from the day it was made.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose, UserId};
use zv_policy::RecordKind;
use zv_store::activities::media::MediaRow;

use super::participants::ParticipantView;
use super::{day, first};
use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const T: &str = "activity_media";
/// Why a publication stopped: a tagged participant withdrew the consent (or opted out).
pub const STOPPED_CONSENT_WITHDRAWN: &str = "consent_withdrawn";
const PUBLICATION_MAX_CHARS: usize = 200;

/// The types of photo and video accepted; [`zv_domain::upload::content_matches`] knows how
/// each file starts.
pub const ACCEPTED_MEDIA_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
];

/// What a photo or video is used for, each with its own written consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaUse {
    /// Published: the website, social media, a newsletter, printed matter.
    Publication,
    /// Used inside the organisation: a presentation, a report to a funder.
    Internal,
}

impl MediaUse {
    pub const ALL: &'static [Self] = &[Self::Publication, Self::Internal];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Publication => "publication",
            Self::Internal => "internal",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|u| u.code() == code.trim())
    }
}

/// An upload.
#[derive(Clone, Default)]
pub struct MediaInput {
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    /// The day it was made, `YYYY-MM-DD`.
    pub recorded_on: String,
    /// The participants in it.
    pub tags: Vec<Uuid>,
    /// Nobody recognisable is in it.
    pub no_people: bool,
}

impl std::fmt::Debug for MediaInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MediaInput({}, {} bytes)",
            self.media_type,
            self.bytes.len()
        )
    }
}

/// A participant tagged in a photo or video.
#[derive(Clone, Serialize)]
pub struct TagView {
    pub participant: Uuid,
    pub name: String,
    pub photo_opt_out: bool,
}

impl std::fmt::Debug for TagView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TagView({}, ***)", self.participant)
    }
}

/// For one use: whether it may be used, and who in it lacks a consent.
#[derive(Debug, Clone, Serialize)]
pub struct UseView {
    #[serde(rename = "use")]
    pub use_: MediaUse,
    pub usable: bool,
    /// Tagged participants without a written consent for this use in force.
    pub without_consent: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub recorded_on: NaiveDate,
    pub keep_until: NaiveDate,
    pub no_people: bool,
    pub tags: Vec<TagView>,
    pub uses: Vec<UseView>,
    pub uploaded_by: UserId,
    pub uploaded_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub publication: Option<String>,
    /// Its publication stopped (a consent was withdrawn): to be taken down.
    pub stopped_at: Option<DateTime<Utc>>,
    pub stopped_reason: Option<String>,
}

/// A photo or video's content for the browser.
#[derive(Clone)]
pub struct MediaFile {
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MediaFile({}, {} bytes)",
            self.media_type,
            self.bytes.len()
        )
    }
}

/// Whether media with these tagged participants may be used for `use_`: every one of
/// them has a written consent for it in force (and has not opted out); media without
/// tags only when the uploader stated that nobody recognisable is in it. `Err` names
/// those without a consent.
pub fn usable_for(
    use_: MediaUse,
    tagged: &[&ParticipantView],
    no_people: bool,
) -> Result<(), Vec<Uuid>> {
    if tagged.is_empty() {
        return if no_people { Ok(()) } else { Err(Vec::new()) };
    }
    let without: Vec<Uuid> = tagged
        .iter()
        .filter(|p| !p.consents_to(use_))
        .map(|p| p.id)
        .collect();
    if without.is_empty() {
        Ok(())
    } else {
        Err(without)
    }
}

fn media_access(action: AuditAction, team: &str, media: Uuid) -> Access {
    Access::new(action, AuditObject::ActivityMedia, None)
        .target(Target::Organisation(AuditObject::ActivityMedia))
        .team(team.to_owned())
        .purpose(Purpose::Care)
        .object_id(media)
}

impl App {
    /// The last day a photo or video made on `recorded_on` is kept (GRP-3); never later
    /// than its activity, which takes its media along.
    fn media_keep_until(&self, recorded_on: NaiveDate, activity_until: NaiveDate) -> NaiveDate {
        self.policy
            .record_retention_rule(RecordKind::ActivityMedia)
            .and_then(|r| {
                r.retention_until(&zv_policy::RetentionFacts {
                    recorded_on: Some(recorded_on),
                    ..zv_policy::RetentionFacts::default()
                })
            })
            .map_or(activity_until, |d| d.min(activity_until))
    }

    pub(crate) fn media_view(
        &self,
        m: &MediaRow,
        participants: &[ParticipantView],
    ) -> CoreResult<MediaView> {
        let tagged: Vec<&ParticipantView> = participants
            .iter()
            .filter(|p| m.tags.contains(&p.id))
            .collect();
        let uses = MediaUse::ALL
            .iter()
            .map(|u| {
                let verdict = usable_for(*u, &tagged, m.no_people);
                UseView {
                    use_: *u,
                    usable: verdict.is_ok(),
                    without_consent: verdict.err().unwrap_or_default(),
                }
            })
            .collect();
        Ok(MediaView {
            id: m.id,
            file_name: Sealer {
                key: self.keys.system(),
            }
            .open(T, "file_name", m.id, &m.file_name_ct)?,
            media_type: m.media_type.clone(),
            size_bytes: m.size_bytes,
            recorded_on: m.recorded_on,
            keep_until: m.keep_until,
            no_people: m.no_people,
            tags: tagged
                .iter()
                .map(|p| TagView {
                    participant: p.id,
                    name: p.name.clone(),
                    photo_opt_out: p.photo_opt_out,
                })
                .collect(),
            uses,
            uploaded_by: m.uploaded_by,
            uploaded_at: m.uploaded_at,
            published_at: m.published_at,
            publication: m.publication.clone(),
            stopped_at: m.stopped_at,
            stopped_reason: m.stopped_reason.clone(),
        })
    }

    /// Uploads a photo or video of an activity, tagged with the participants in it.
    pub async fn upload_activity_media(
        &self,
        actor: &Actor,
        activity: Uuid,
        input: &MediaInput,
    ) -> CoreResult<Uuid> {
        let current = self.activity_row(activity).await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("photos are uploaded by staff".into()))?;
        let mut problems = Vec::new();
        if !current.photos {
            problems.push(("file", "this activity is not marked for photos or video"));
        } else if current.photo_notice_on.is_none() {
            problems.push((
                "file",
                "record first how participants were told about photos and video",
            ));
        }
        let name = input.file_name.trim();
        if zv_domain::upload::file_name(name).is_err() {
            problems.push(("file", "a file name of 1 to 255 characters without slashes"));
        }
        if !ACCEPTED_MEDIA_TYPES.contains(&input.media_type.as_str()) {
            problems.push((
                "file",
                "a photo (JPEG, PNG, WebP) or video (MP4, QuickTime, WebM)",
            ));
        } else if !zv_domain::upload::content_matches(&input.media_type, &input.bytes) {
            problems.push(("file", "the file is not the photo or video its type says"));
        }
        if input.bytes.len() as u64 > self.settings.max_attachment_bytes {
            problems.push(("file", "the file is too large"));
        }
        match day(&input.recorded_on) {
            None => problems.push(("recorded_on", "give the day it was made")),
            Some(d) if d < current.starts_on || d > current.ends_on => problems.push((
                "recorded_on",
                "the day lies within the activity's first and last day",
            )),
            Some(d) if d > self.clock.today() => {
                problems.push(("recorded_on", "the day lies today or earlier"));
            }
            Some(_) => {}
        }
        problems.extend(tag_problems(&input.tags, input.no_people));
        first(&problems)?;
        let recorded_on = day(&input.recorded_on).ok_or(CoreError::NotFound)?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                media_access(AuditAction::Create, &current.team_code, id)
                    .detail(format!("photo or video of activity {activity} uploaded")),
            )
            .await?;
        self.check_own_participants(&tx, activity, &input.tags)
            .await?;
        let key = self.keys.system();
        let sealed = key.encrypt(&input.bytes, &zv_crypto::Aad::new(T, "content", id));
        // The file is written before the row commits: a crash in between leaves a sealed
        // file without a row, never a row without its file.
        zv_store::activities::media::put_file(&self.store, id, &sealed).await?;
        let mut tags = input.tags.clone();
        tags.sort();
        tags.dedup();
        let row = MediaRow {
            id,
            activity_id: activity,
            file_name_ct: Sealer { key }.seal(T, "file_name", id, name),
            media_type: input.media_type.clone(),
            size_bytes: i64::try_from(input.bytes.len()).unwrap_or(i64::MAX),
            recorded_on,
            keep_until: self.media_keep_until(recorded_on, current.keep_until),
            no_people: input.no_people,
            uploaded_by: by,
            uploaded_at: self.now(),
            published_at: None,
            published_by: None,
            publication: None,
            stopped_at: None,
            stopped_reason: None,
            tags,
        };
        let written = async {
            zv_store::activities::media::insert(&tx, &row).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(())
        }
        .await;
        if let Err(e) = written {
            let _ = zv_store::activities::media::delete_file(&self.store, id).await;
            return Err(e);
        }
        Ok(id)
    }

    async fn check_own_participants(
        &self,
        tx: &zv_store::Tx,
        activity: Uuid,
        tags: &[Uuid],
    ) -> CoreResult<()> {
        let own: std::collections::HashSet<Uuid> =
            zv_store::activities::participants_of(tx, activity)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
        if tags.iter().any(|t| !own.contains(t)) {
            return Err(CoreError::invalid(
                "tags",
                "only participants of this activity can be tagged",
            ));
        }
        Ok(())
    }

    async fn media_and_team(&self, media: Uuid) -> CoreResult<(MediaRow, String)> {
        self.activities_or_not_found()?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::activities::media::get(&tx, media).await?;
        tx.commit().await?;
        let row = row.ok_or(CoreError::NotFound)?;
        let activity = self.activity_row(row.activity_id).await?;
        Ok((row, activity.team_code))
    }

    /// Who is in a photo or video, or that nobody recognisable is: replaces the tags.
    pub async fn tag_activity_media(
        &self,
        actor: &Actor,
        media: Uuid,
        tags: &[Uuid],
        no_people: bool,
    ) -> CoreResult<()> {
        first(&tag_problems(tags, no_people))?;
        let (row, team) = self.media_and_team(media).await?;
        let tx = self
            .authorize_write(
                actor,
                media_access(AuditAction::Update, &team, media).detail("tags changed"),
            )
            .await?;
        self.check_own_participants(&tx, row.activity_id, tags)
            .await?;
        let mut tags = tags.to_vec();
        tags.sort();
        tags.dedup();
        zv_store::activities::media::set_tags(&tx, media, &tags, no_people).await?;
        // Someone tagged anew may not have consented: a running publication must then
        // stop, as it would on a withdrawal.
        if row.published_at.is_some() && row.stopped_at.is_none() {
            let participants = self.open_participants(&tx, row.activity_id).await?;
            let tagged: Vec<&ParticipantView> = participants
                .iter()
                .filter(|p| tags.contains(&p.id))
                .collect();
            if usable_for(MediaUse::Publication, &tagged, no_people).is_err() {
                zv_store::activities::media::stop(
                    &tx,
                    &[media],
                    self.now(),
                    STOPPED_CONSENT_WITHDRAWN,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn open_participants(
        &self,
        tx: &zv_store::Tx,
        activity: Uuid,
    ) -> CoreResult<Vec<ParticipantView>> {
        let rows = zv_store::activities::participants_of(tx, activity).await?;
        let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
        let consents = zv_store::activities::consents_of(tx, &ids).await?;
        self.participant_views(&rows, &consents)
    }

    /// Decides in `tx` whether the media may be used for `use_` now.
    async fn check_usable(
        &self,
        tx: &zv_store::Tx,
        row: &MediaRow,
        use_: MediaUse,
    ) -> CoreResult<()> {
        let participants = self.open_participants(tx, row.activity_id).await?;
        let tagged: Vec<&ParticipantView> = participants
            .iter()
            .filter(|p| row.tags.contains(&p.id))
            .collect();
        usable_for(use_, &tagged, row.no_people).map_err(|without| {
            if without.is_empty() {
                CoreError::invalid(
                    "use",
                    "tag the participants in it, or state that nobody recognisable is in it",
                )
            } else {
                CoreError::invalid(
                    "use",
                    match use_ {
                        MediaUse::Publication => {
                            "not everyone in it has a written consent for publication"
                        }
                        MediaUse::Internal => {
                            "not everyone in it has a written consent for internal use"
                        }
                    },
                )
            }
        })
    }

    /// Records that a photo or video is published, and where: only while everyone in it
    /// has a written consent for publication.
    pub async fn publish_activity_media(
        &self,
        actor: &Actor,
        media: Uuid,
        publication: &str,
    ) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("media are published by staff".into()))?;
        let publication = publication.trim();
        if !(2..=PUBLICATION_MAX_CHARS).contains(&publication.chars().count())
            || publication.chars().any(char::is_control)
        {
            return Err(CoreError::invalid(
                "publication",
                "say where it is published, in 2 to 200 characters",
            ));
        }
        let (row, team) = self.media_and_team(media).await?;
        let tx = self
            .authorize_write(
                actor,
                media_access(AuditAction::Update, &team, media).detail("published"),
            )
            .await?;
        self.check_usable(&tx, &row, MediaUse::Publication).await?;
        zv_store::activities::media::publish(&tx, media, by, self.now(), publication).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a publication ended: taken down where it was published, after a
    /// withdrawal stopped it or because the team ends it. The take-down request goes.
    pub async fn record_taken_down(&self, actor: &Actor, media: Uuid) -> CoreResult<()> {
        let (row, team) = self.media_and_team(media).await?;
        if row.published_at.is_none() {
            return Err(CoreError::invalid("publication", "it is not published"));
        }
        let tx = self
            .authorize_write(
                actor,
                media_access(AuditAction::Update, &team, media)
                    .detail("publication ended: taken down"),
            )
            .await?;
        if !zv_store::activities::media::unpublish(&tx, media).await? {
            return Err(CoreError::invalid("publication", "it is not published"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The content of a photo or video. Without a use: to look at it in the app (to tag
    /// it), a recorded read for the activity's team. With a use: a download for that use,
    /// a recorded export, only while everyone in it has a written consent for it.
    pub async fn activity_media_file(
        &self,
        actor: &Actor,
        media: Uuid,
        use_: Option<MediaUse>,
    ) -> CoreResult<MediaFile> {
        let (row, team) = self.media_and_team(media).await?;
        let access = match use_ {
            None => media_access(AuditAction::Read, &team, media).detail("looked at"),
            Some(u) => media_access(AuditAction::Export, &team, media)
                .detail(format!("downloaded for {}", u.code())),
        };
        let tx = self.authorize_organisation_write(actor, access).await?;
        if let Some(u) = use_ {
            self.check_usable(&tx, &row, u).await?;
        }
        tx.commit().await?;
        let sealed = zv_store::activities::media::get_file(&self.store, media).await?;
        let key = self.keys.system();
        let bytes = key.decrypt(&sealed, &zv_crypto::Aad::new(T, "content", media))?;
        Ok(MediaFile {
            file_name: Sealer { key }.open(T, "file_name", media, &row.file_name_ct)?,
            media_type: row.media_type,
            bytes: bytes.to_vec(),
        })
    }
}

fn tag_problems(tags: &[Uuid], no_people: bool) -> Vec<(&'static str, &'static str)> {
    match (tags.is_empty(), no_people) {
        (true, false) => vec![(
            "tags",
            "tag the participants in it, or state that nobody recognisable is in it",
        )],
        (false, true) => vec![("tags", "participants are tagged, so it does show people")],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use uuid::Uuid;
    use zv_domain::{Gender, UserId};

    use super::{MediaUse, usable_for};
    use crate::activities::participants::{ConsentView, ParticipantView, SignedBy};

    fn person(consents: &[(MediaUse, bool)], opt_out: bool) -> ParticipantView {
        let id = Uuid::now_v7();
        ParticipantView {
            id,
            name: "Deelnemer".into(),
            address: String::new(),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default(),
            gender: Gender::Unknown,
            phone: String::new(),
            email: String::new(),
            photo_opt_out: opt_out,
            consents: consents
                .iter()
                .map(|(u, withdrawn)| ConsentView {
                    id: Uuid::now_v7(),
                    participant: id,
                    use_: *u,
                    signed_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
                    signed_by: SignedBy::Participant,
                    recorded_by: UserId::new(),
                    recorded_at: Utc::now(),
                    withdrawn_at: withdrawn.then(Utc::now),
                    withdrawn_by: None,
                })
                .collect(),
            added_by: UserId::new(),
            added_at: Utc::now(),
        }
    }

    // promise: GRP-2
    #[test]
    fn media_are_usable_only_with_everyone_s_consent_for_that_use() {
        let both = person(
            &[(MediaUse::Publication, false), (MediaUse::Internal, false)],
            false,
        );
        let internal_only = person(&[(MediaUse::Internal, false)], false);
        let withdrawn = person(&[(MediaUse::Publication, true)], false);
        let opted_out = person(&[(MediaUse::Publication, false)], true);
        assert!(usable_for(MediaUse::Publication, &[&both], false).is_ok());
        assert_eq!(
            usable_for(MediaUse::Publication, &[&both, &internal_only], false),
            Err(vec![internal_only.id])
        );
        assert!(usable_for(MediaUse::Internal, &[&both, &internal_only], false).is_ok());
        assert_eq!(
            usable_for(MediaUse::Publication, &[&withdrawn], false),
            Err(vec![withdrawn.id])
        );
        assert_eq!(
            usable_for(MediaUse::Publication, &[&opted_out], false),
            Err(vec![opted_out.id])
        );
        // Untagged: only when the uploader stated nobody recognisable is in it.
        assert!(usable_for(MediaUse::Publication, &[], true).is_ok());
        assert_eq!(
            usable_for(MediaUse::Publication, &[], false),
            Err(Vec::new())
        );
    }
}
