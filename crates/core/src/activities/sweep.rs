//! The end of group activities' records (GRP-1, GRP-3, RET-4): the retention sweep
//! removes photos and video after their last day, and an activity with its sessions,
//! attendance, participants, consents and remaining media after its own, each with a line
//! in the destruction register and an audit event under the sweep's job. Files go after
//! the commit; one left behind by an interrupted run is removed by the next (a file
//! without its row). A dry run counts and changes nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_policy::RecordKind;
use zv_store::SubjectKind;
use zv_store::destruction::NewRegisterRecord;

use crate::access::Target;
use crate::app::App;
use crate::error::CoreResult;
use crate::gate::{Access, Actor};

/// What the sweep did with group activities' records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActivitySweep {
    /// Activities removed with their participants.
    pub activities: u64,
    /// Photos and video removed past their own term (those of a removed activity are
    /// counted with it).
    pub media: u64,
    /// Sealed media files found without their row and removed.
    pub orphan_files: u64,
}

impl App {
    pub(crate) async fn sweep_group_activities(
        &self,
        actor: &Actor,
        today: NaiveDate,
        dry_run: bool,
        settled: std::time::Duration,
    ) -> CoreResult<ActivitySweep> {
        let mut out = ActivitySweep::default();
        let Some(rule) = self
            .policy
            .record_retention_rule(RecordKind::GroupParticipants)
            .cloned()
        else {
            return Ok(out);
        };
        let media_rule = self
            .policy
            .record_retention_rule(RecordKind::ActivityMedia)
            .map_or_else(|| rule.code.clone(), |r| r.code.clone());
        let Some(yesterday) = today.pred_opt() else {
            return Ok(out);
        };
        let tx = self.store.read_tx().await?;
        let activities = zv_store::activities::retention::activities_until(&tx, yesterday).await?;
        let media = zv_store::activities::retention::media_until(&tx, yesterday).await?;
        tx.commit().await?;
        let going: std::collections::HashSet<Uuid> = activities.iter().map(|a| a.id).collect();
        let mut per_activity: BTreeMap<Uuid, Vec<zv_store::activities::retention::MediaTerm>> =
            BTreeMap::new();
        for m in media
            .into_iter()
            .filter(|m| !going.contains(&m.activity_id))
        {
            per_activity.entry(m.activity_id).or_default().push(m);
        }
        for (activity, items) in per_activity {
            if dry_run {
                out.media += items.len() as u64;
                continue;
            }
            let tx = self
                .authorize_write(
                    actor,
                    Access::new(AuditAction::Delete, AuditObject::ActivityMedia, None)
                        .target(Target::Organisation(AuditObject::ActivityMedia))
                        .purpose(Purpose::Retention)
                        .object_id(activity)
                        .detail(format!(
                            "photos and video of activity {activity} past their term; rule {media_rule}"
                        )),
                )
                .await?;
            let ids: Vec<Uuid> = items.iter().map(|m| m.id).collect();
            let counts = zv_store::activities::retention::destroy_media(&tx, &ids).await?;
            zv_store::destruction::insert_register_records(
                &tx,
                vec![NewRegisterRecord {
                    at: self.now(),
                    kind: SubjectKind::ActivityMedia,
                    subject: activity,
                    rule: media_rule.clone(),
                    reason: "photos and video past their term".to_owned(),
                    outcome: "destroyed",
                    term_ended_on: items.iter().map(|m| m.keep_until).max(),
                    by_user: None,
                    by_job: Some(crate::destruction::SWEEP_JOB.to_owned()),
                    counts,
                }],
            )
            .await?;
            tx.commit().await?;
            for id in &ids {
                zv_store::activities::media::delete_file(&self.store, *id).await?;
            }
            out.media += ids.len() as u64;
        }
        for a in activities {
            if dry_run {
                out.activities += 1;
                continue;
            }
            let tx = self
                .authorize_write(
                    actor,
                    Access::new(AuditAction::Delete, AuditObject::GroupActivity, None)
                        .target(Target::Organisation(AuditObject::GroupActivity))
                        .purpose(Purpose::Retention)
                        .object_id(a.id)
                        .detail(format!("activity past its term; rule {}", rule.code)),
                )
                .await?;
            let (counts, media_ids) =
                zv_store::activities::retention::destroy_activity(&tx, a.id).await?;
            if counts.is_empty() {
                continue;
            }
            zv_store::destruction::insert_register_records(
                &tx,
                vec![NewRegisterRecord {
                    at: self.now(),
                    kind: SubjectKind::GroupActivity,
                    subject: a.id,
                    rule: rule.code.clone(),
                    reason: "group activity with its participants past its term".to_owned(),
                    outcome: "destroyed",
                    term_ended_on: Some(a.keep_until),
                    by_user: None,
                    by_job: Some(crate::destruction::SWEEP_JOB.to_owned()),
                    counts,
                }],
            )
            .await?;
            tx.commit().await?;
            for id in media_ids {
                zv_store::activities::media::delete_file(&self.store, id).await?;
            }
            out.activities += 1;
        }
        let files = zv_store::activities::media::list_files(&self.store, settled).await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::activities::media::existing(&tx, &files).await?;
        tx.commit().await?;
        for id in files.into_iter().filter(|id| !rows.contains(id)) {
            if !dry_run {
                zv_store::activities::media::delete_file(&self.store, id).await?;
            }
            out.orphan_files += 1;
        }
        Ok(out)
    }
}
