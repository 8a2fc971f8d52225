//! Camera images (CAM-1): the register of cameras per location, the recorded files the
//! recorder writes under the configured directory (one folder per camera, named by its
//! code), and holds for an incident investigation.
//!
//! - `cameras`: code (the folder's name), branch, where it hangs; retired, never
//!   deleted, so the register keeps naming what recorded.
//! - `camera_recordings`: one row per recorded file (path within the camera's folder, the
//!   moment it was written, its size), with the last day it is kept under the policy's
//!   term; `deleted_at` once the sweep removed the file. The register of periods: no
//!   image content is ever in the database.
//! - `camera_holds`: a period of one camera kept for an incident investigation, with a
//!   description of the incident (no names), until released with the outcome.

use sea_orm_migration::prelude::*;

use super::{date, fk, index, integer, text, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0029_cameras"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("cameras")
                .col(uuid("id").primary_key())
                .col(text("code"))
                .col(text("branch_code"))
                .col(text("location"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time_null("retired_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("cameras_code", "cameras", &["code"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("camera_recordings")
                .col(uuid("id").primary_key())
                .col(uuid("camera_id"))
                .col(text("file_name"))
                .col(time("recorded_at"))
                .col(integer("size_bytes"))
                .col(date("keep_until"))
                .col(time("registered_at"))
                .col(time_null("deleted_at"))
                .foreign_key(&mut fk("camera_recordings", "camera_id", "cameras", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "camera_recordings_file",
                "camera_recordings",
                &["camera_id", "file_name"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("camera_holds")
                .col(uuid("id").primary_key())
                .col(uuid("camera_id"))
                .col(time("from_at"))
                .col(time("to_at"))
                .col(text("incident"))
                .col(uuid("placed_by"))
                .col(time("placed_at"))
                .col(uuid_null("released_by"))
                .col(time_null("released_at"))
                .col(text_null("outcome"))
                .foreign_key(&mut fk("camera_holds", "camera_id", "cameras", "id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
