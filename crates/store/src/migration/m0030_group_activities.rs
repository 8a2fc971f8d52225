//! Group activities, courses and workshops, their participants, and the photos and video
//! made at them (GRP-1..3).
//!
//! - `activities`: per branch and team, kind, title, location, first and last day,
//!   whether photos or video will be made and when and how participants were told
//!   (GRP-2); `keep_until`, the last day its participants are kept under the policy's
//!   rule, recomputed when the dates change.
//! - `activity_sessions`: the days it meets; `activity_attendance`: who was there.
//! - `activity_participants`: exactly name, address, birth date, gender, telephone and
//!   e-mail (GRP-1), each sealed with the system key, and whether the participant opted
//!   out of being photographed (GRP-2). No other column may be added: a participant need
//!   not be a client, and the statement names nothing else.
//! - `participant_media_consents`: the written consent for a use of photos and video
//!   (publication, internal use), who signed it by the age rules, and its withdrawal.
//! - `activity_media`: an uploaded photo or video (its content a sealed file under
//!   `data_dir/activity-media/`), the day it was made and the last day it is kept
//!   (GRP-3), its publication and the moment a withdrawn consent stopped it;
//!   `activity_media_tags`: the participants in it.

use sea_orm_migration::prelude::*;

use super::{
    blob, date, date_null, fk, flag, index, integer, text, text_null, time, time_null, uuid,
    uuid_null,
};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0030_group_activities"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("activities")
                .col(uuid("id").primary_key())
                .col(text("branch_code"))
                .col(text("team_code"))
                .col(text("kind"))
                .col(text("title"))
                .col(text("location"))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(flag("photos"))
                .col(date_null("photo_notice_on"))
                .col(text_null("photo_notice_how"))
                .col(date("keep_until"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activities_keep_until", "activities", &["keep_until"]).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("activity_sessions")
                .col(uuid("id").primary_key())
                .col(uuid("activity_id"))
                .col(date("held_on"))
                .foreign_key(&mut fk(
                    "activity_sessions",
                    "activity_id",
                    "activities",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "activity_sessions_day",
                "activity_sessions",
                &["activity_id", "held_on"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activity_participants")
                .col(uuid("id").primary_key())
                .col(uuid("activity_id"))
                .col(blob("name_ct"))
                .col(blob("address_ct"))
                .col(blob("birth_date_ct"))
                .col(blob("gender_ct"))
                .col(blob("phone_ct"))
                .col(blob("email_ct"))
                .col(flag("photo_opt_out"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .foreign_key(&mut fk(
                    "activity_participants",
                    "activity_id",
                    "activities",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "activity_participants_activity",
                "activity_participants",
                &["activity_id"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activity_attendance")
                .col(uuid("session_id"))
                .col(uuid("participant_id"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .primary_key(Index::create().col("session_id").col("participant_id"))
                .foreign_key(&mut fk(
                    "activity_attendance",
                    "session_id",
                    "activity_sessions",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "activity_attendance",
                    "participant_id",
                    "activity_participants",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("participant_media_consents")
                .col(uuid("id").primary_key())
                .col(uuid("participant_id"))
                .col(text("use_code"))
                .col(date("signed_on"))
                .col(text("signed_by"))
                .col(uuid("recorded_by"))
                .col(time("recorded_at"))
                .col(time_null("withdrawn_at"))
                .col(uuid_null("withdrawn_by"))
                .foreign_key(&mut fk(
                    "participant_media_consents",
                    "participant_id",
                    "activity_participants",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "participant_media_consents_participant",
                "participant_media_consents",
                &["participant_id"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activity_media")
                .col(uuid("id").primary_key())
                .col(uuid("activity_id"))
                .col(blob("file_name_ct"))
                .col(text("media_type"))
                .col(integer("size_bytes"))
                .col(date("recorded_on"))
                .col(date("keep_until"))
                .col(flag("no_people"))
                .col(uuid("uploaded_by"))
                .col(time("uploaded_at"))
                .col(time_null("published_at"))
                .col(uuid_null("published_by"))
                .col(text_null("publication"))
                .col(time_null("stopped_at"))
                .col(text_null("stopped_reason"))
                .foreign_key(&mut fk("activity_media", "activity_id", "activities", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "activity_media_activity",
                "activity_media",
                &["activity_id"],
            )
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "activity_media_keep_until",
                "activity_media",
                &["keep_until"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activity_media_tags")
                .col(uuid("media_id"))
                .col(uuid("participant_id"))
                .primary_key(Index::create().col("media_id").col("participant_id"))
                .foreign_key(&mut fk(
                    "activity_media_tags",
                    "media_id",
                    "activity_media",
                    "id",
                ))
                .foreign_key(&mut fk(
                    "activity_media_tags",
                    "participant_id",
                    "activity_participants",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "activity_media_tags_participant",
                "activity_media_tags",
                &["participant_id"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}
