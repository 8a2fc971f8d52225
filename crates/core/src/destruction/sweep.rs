//! The retention sweep (RET-4): for a day, every trajectory whose term has passed is
//! destroyed or anonymised as its rule says, and a client goes with its last trajectory.
//! It never touches a trajectory under hold or extension (RET-5).
//!
//! How it stays correct when interrupted or run twice:
//! - The work list is read in batches in id order. Each batch is one transaction: the
//!   re-check (still due, not held, not extended: the authoritative
//!   [`zv_store::retention::due_trajectories`] inside the transaction), the facts of the
//!   anonymised, the set deletes, one register line per item and one audit event per
//!   item. A batch commits whole or not at all; a killed run leaves whole batches done
//!   and the rest still due, which the next run finds.
//! - Attachment files go after the commit, as [`App::destroy_client`] does: a file
//!   without its row and key is unreadable ciphertext.
//! - A lease row (`job_leases`) admits one run at a time: the second waits for it or
//!   returns at once saying so. The lease expires, so a killed run blocks only briefly.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, Purpose, TrajectoryId};
use zv_policy::OnExpiry;
use zv_store::destruction::{NewRegisterRecord, SetOutcome};
use zv_store::sweep::DueTrajectory;
use zv_store::{SubjectKind, Tx};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// The job's name in the audit log, the register and the lease.
pub const SWEEP_JOB: &str = "retention-sweep";

/// How a sweep runs.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// The day whose due items go; today when `None`.
    pub on: Option<NaiveDate>,
    /// Report what would go and change nothing.
    pub dry_run: bool,
    /// Trajectories per transaction.
    pub batch_size: u64,
    /// Wait for another run to finish instead of returning at once.
    pub wait: bool,
    /// How long a lease lasts without renewal; a killed run blocks others this long.
    pub lease: Duration,
    /// A pause after each batch (to leave room for other work, and for tests that
    /// interrupt a run between batches).
    pub pause: Duration,
    /// How old an attachment file without a row must be before the run removes it: a
    /// younger one may be an upload whose row is about to commit.
    pub settled: Duration,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self {
            on: None,
            dry_run: false,
            batch_size: 500,
            wait: false,
            lease: Duration::from_secs(60),
            pause: Duration::ZERO,
            settled: Duration::from_secs(3600),
        }
    }
}

/// What a sweep did (or, dry, would do).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SweepReport {
    pub on: Option<NaiveDate>,
    pub dry_run: bool,
    /// Another run held the lease and this one did nothing.
    pub busy: bool,
    /// Trajectories past their retention date, held ones included.
    pub due: u64,
    pub destroyed: u64,
    pub anonymised: u64,
    /// Left alone: under hold or extension (RET-5).
    pub skipped_held: u64,
    /// Left alone: the policy no longer knows the trajectory's service type or rule.
    pub skipped_unknown_rule: u64,
    pub clients_destroyed: u64,
    pub files: u64,
    /// Attachment files left without their row by an interrupted destruction or upload.
    pub orphan_files: u64,
    /// Sent mails older than the policy's `retention.sent_mail_kept`.
    pub mails_pruned: u64,
    /// Recorded camera files found and registered (CAM-1).
    pub camera_files_registered: u64,
    /// Recorded camera files past their term deleted from disk.
    pub camera_files_deleted: u64,
    /// Recorded camera files past their term kept for an incident investigation.
    pub camera_files_held: u64,
    /// Group activities removed with their participants past their term (GRP-1).
    pub activities_destroyed: u64,
    /// Photos and video of activities removed past their own term (GRP-3).
    pub activity_media_destroyed: u64,
    /// Handled correspondence removed past its term (RET-3).
    pub correspondence_destroyed: u64,
    /// Applicants removed with their CV and letter past their term (RET-2).
    pub applicants_destroyed: u64,
    /// Copies of staff identity documents removed past their own term (RET-2).
    pub staff_id_copies_destroyed: u64,
    /// Staff records removed with their documents past their term (RET-2).
    pub staff_records_destroyed: u64,
    /// Financial records removed with their documents past their term (RET-2).
    pub financial_records_destroyed: u64,
    pub batches: u64,
    /// Rows removed per table.
    pub rows: BTreeMap<String, u64>,
}

/// Progress of a run, for a progress bar or log lines.
pub trait SweepProgress: Send {
    /// The number of items due, once known.
    fn start(&mut self, due: u64);
    /// Items handled so far (gone or skipped).
    fn advance(&mut self, done: u64, report: &SweepReport);
}

/// No progress output (the scheduled run inside `serve`).
impl SweepProgress for () {
    fn start(&mut self, _: u64) {}
    fn advance(&mut self, _: u64, _: &SweepReport) {}
}

/// What the policy says for one trajectory.
struct Decided {
    item: DueTrajectory,
    rule: String,
    on_expiry: OnExpiry,
}

impl App {
    /// Runs the sweep for the day `opts.on` (today by default) as the system job `job`
    /// from `access_point` (`cli`, `scheduler`). See the module docs.
    pub async fn run_retention_sweep(
        &self,
        access_point: &str,
        opts: &SweepOptions,
        progress: &mut dyn SweepProgress,
    ) -> CoreResult<SweepReport> {
        let actor = Actor::System {
            job: SWEEP_JOB,
            access_point: access_point.to_owned(),
        };
        let on = opts.on.unwrap_or_else(|| self.clock.today());
        let mut report = SweepReport {
            on: Some(on),
            dry_run: opts.dry_run,
            ..SweepReport::default()
        };
        let holder = Uuid::now_v7();
        if !opts.dry_run && !self.take_sweep_lease(holder, opts).await? {
            report.busy = true;
            return Ok(report);
        }
        let mut result = self
            .sweep_batches(&actor, on, holder, opts, &mut report, progress)
            .await;
        if result.is_ok() {
            result = self.sweep_leftovers(opts, &mut report).await;
        }
        if result.is_ok() {
            result = self
                .sweep_camera_images(&actor, on, opts.dry_run)
                .await
                .map(|c| {
                    report.camera_files_registered = c.registered;
                    report.camera_files_deleted = c.deleted;
                    report.camera_files_held = c.held;
                });
        }
        if result.is_ok() {
            result = self
                .sweep_group_activities(&actor, on, opts.dry_run, opts.settled)
                .await
                .map(|g| {
                    report.activities_destroyed = g.activities;
                    report.activity_media_destroyed = g.media;
                    report.orphan_files += g.orphan_files;
                });
        }
        if result.is_ok() {
            result = self
                .sweep_correspondence(&actor, on, opts.dry_run)
                .await
                .map(|n| report.correspondence_destroyed = n);
        }
        if result.is_ok() {
            result = self
                .sweep_personnel(&actor, on, opts.dry_run, opts.settled)
                .await
                .map(|p| {
                    report.applicants_destroyed = p.applicants;
                    report.staff_id_copies_destroyed = p.staff_id_copies;
                    report.staff_records_destroyed = p.staff_records;
                    report.financial_records_destroyed = p.financial_records;
                    report.orphan_files += p.orphan_files;
                });
        }
        if !opts.dry_run {
            let tx = self.store.begin().await?;
            zv_store::sweep::release_lease(&tx, SWEEP_JOB, holder).await?;
            tx.commit().await?;
        }
        result.map(|()| report)
    }

    /// What no trajectory's destruction reaches: attachment files whose row is gone (a
    /// run or an upload killed between its commit and its files) and sent mail past
    /// its days. A dry run counts them and changes nothing.
    async fn sweep_leftovers(
        &self,
        opts: &SweepOptions,
        report: &mut SweepReport,
    ) -> CoreResult<()> {
        let files = zv_store::blobs::list_settled(&self.store, opts.settled).await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::attachments::existing(&tx, &files).await?;
        tx.commit().await?;
        for id in files.into_iter().filter(|id| !rows.contains(id)) {
            if !opts.dry_run {
                zv_store::blobs::delete(&self.store, id).await?;
            }
            report.orphan_files += 1;
        }
        let kept = self.policy.retention_settings().sent_mail_kept;
        let before = zv_domain::start_of_local_day(kept.subtract_from(self.clock.today()));
        let tx = self.store.begin().await?;
        report.mails_pruned = zv_store::outbox::prune_sent(&tx, before).await?;
        if opts.dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(())
    }

    async fn take_sweep_lease(&self, holder: Uuid, opts: &SweepOptions) -> CoreResult<bool> {
        loop {
            let now = self.now();
            let until = now + chrono::Duration::from_std(opts.lease).unwrap_or_default();
            let tx = self.store.begin().await?;
            let taken = zv_store::sweep::take_lease(&tx, SWEEP_JOB, holder, now, until).await;
            // Two runs inserting the lease row at once: one of them gets a conflict.
            let taken = match taken {
                Ok(t) => {
                    tx.commit().await?;
                    t
                }
                Err(zv_store::StoreError::Conflict) => false,
                Err(e) => return Err(e.into()),
            };
            if taken || !opts.wait {
                return Ok(taken);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    async fn sweep_batches(
        &self,
        actor: &Actor,
        on: NaiveDate,
        holder: Uuid,
        opts: &SweepOptions,
        report: &mut SweepReport,
        progress: &mut dyn SweepProgress,
    ) -> CoreResult<()> {
        let tx = self.store.read_tx().await?;
        report.due = zv_store::sweep::due_count(&tx, on).await?;
        tx.commit().await?;
        progress.start(report.due);
        let mut after: Option<TrajectoryId> = None;
        let mut done = 0;
        loop {
            let tx = self.store.read_tx().await?;
            let list = zv_store::sweep::due_after(&tx, on, after, opts.batch_size).await?;
            // A real batch asks what holds its items inside its own transaction (a hold
            // may come in between); only the dry run answers from this read.
            let dry_free = if opts.dry_run {
                Some(
                    self.unblocked(&tx, on, after, &list, opts.batch_size)
                        .await?,
                )
            } else {
                None
            };
            tx.commit().await?;
            let Some(last) = list.last() else { break };
            let cursor = after;
            after = Some(last.id);
            done += list.len() as u64;
            if let Some(free) = &dry_free {
                self.dry_batch(on, &list, free, report).await?;
            } else {
                self.sweep_batch(actor, on, holder, cursor, list, opts, report)
                    .await?;
            }
            report.batches += 1;
            progress.advance(done, report);
            if !opts.pause.is_zero() {
                tokio::time::sleep(opts.pause).await;
            }
        }
        Ok(())
    }

    /// Of a batch of the work list, the ids nothing holds back on `on`: helper of the
    /// retention module's own query, asked from the same cursor, so one query answers
    /// for the whole batch.
    async fn unblocked(
        &self,
        tx: &Tx,
        on: NaiveDate,
        cursor: Option<TrajectoryId>,
        list: &[DueTrajectory],
        batch: u64,
    ) -> CoreResult<HashSet<TrajectoryId>> {
        let Some(last) = list.last() else {
            return Ok(HashSet::new());
        };
        let last = last.id.as_uuid();
        Ok(zv_store::retention::due_trajectories(tx, on, cursor, batch)
            .await?
            .into_iter()
            .filter(|t| t.as_uuid() <= last)
            .collect())
    }

    /// The rule of a trajectory and what it says at the end of the term.
    fn decide_expiry(&self, item: DueTrajectory) -> Option<Decided> {
        let service = self.policy.service_type(&item.service_type)?;
        let code = service
            .retention_rule_code(item.domestic_violence)
            .to_owned();
        let rule = self.policy.retention_rule(&code)?;
        Some(Decided {
            on_expiry: rule.on_expiry,
            rule: code,
            item,
        })
    }

    async fn dry_batch(
        &self,
        on: NaiveDate,
        list: &[DueTrajectory],
        free: &HashSet<TrajectoryId>,
        report: &mut SweepReport,
    ) -> CoreResult<()> {
        let mut clients = Vec::new();
        for item in list {
            if !free.contains(&item.id) {
                report.skipped_held += 1;
                continue;
            }
            match self.decide_expiry(item.clone()) {
                None => report.skipped_unknown_rule += 1,
                Some(d) => {
                    match d.on_expiry {
                        OnExpiry::Destroy => report.destroyed += 1,
                        OnExpiry::Anonymise => report.anonymised += 1,
                    }
                    clients.push(d.item.client_id);
                }
            }
        }
        clients.sort_by_key(|c| c.as_uuid());
        clients.dedup();
        // A client would go when every trajectory of it would; it is counted in the batch
        // that holds the last of them (the work list runs in id order).
        let Some(last) = list.last().map(|t| t.id.as_uuid()) else {
            return Ok(());
        };
        let tx = self.store.read_tx().await?;
        let all = zv_store::sweep::trajectories_of_clients(&tx, &clients).await?;
        let mut by_client: HashMap<ClientId, Vec<(TrajectoryId, Option<NaiveDate>)>> =
            HashMap::new();
        for (t, c, until) in all {
            by_client.entry(c).or_default().push((t, until));
        }
        for (_, trajectories) in by_client {
            if trajectories.iter().any(|(t, _)| t.as_uuid() > last) {
                continue;
            }
            let mut goes = true;
            for (t, until) in &trajectories {
                let due = until.is_some_and(|u| u < on);
                if !due || zv_store::retention::is_blocked(&tx, *t, on).await? {
                    goes = false;
                    break;
                }
            }
            report.clients_destroyed += u64::from(goes);
        }
        tx.commit().await?;
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one batch of a run: the run's state passed down whole"
    )]
    async fn sweep_batch(
        &self,
        actor: &Actor,
        on: NaiveDate,
        holder: Uuid,
        cursor: Option<TrajectoryId>,
        list: Vec<DueTrajectory>,
        opts: &SweepOptions,
        report: &mut SweepReport,
    ) -> CoreResult<()> {
        // The birth dates for the age bands are read (and recorded) before the batch's
        // transaction: reads are released only after their events commit. A trajectory
        // that carries its age band (SHR-5 report facts) needs no read at all.
        let anonymise_clients: Vec<ClientId> = {
            let mut set: Vec<ClientId> = list
                .iter()
                .filter(|t| t.age_band.is_none())
                .filter(|t| {
                    self.decide_expiry((*t).clone())
                        .is_some_and(|d| d.on_expiry == OnExpiry::Anonymise)
                })
                .map(|t| t.client_id)
                .collect();
            set.sort_by_key(|c| c.as_uuid());
            set.dedup();
            set
        };
        let births = self
            .birth_dates_for_anonymising(actor, &anonymise_clients)
            .await?;
        // The job's standing is the same for every item: decided once, before the
        // batch's transaction opens.
        let Some(first) = list.first() else {
            return Ok(());
        };
        let probe = Access::new(
            AuditAction::Delete,
            AuditObject::Destruction,
            Some(first.client_id),
        )
        .purpose(Purpose::Retention);
        let decision = self.decide(actor, &probe).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &probe, decision).await);
        }

        // A long write: dossier views meanwhile make their audit events durable in the
        // intake rather than wait for this batch (decision 0056).
        let tx = self.store.begin_long().await?;
        // Still this run's lease, renewed for the next batch in the batch's own commit.
        let now = self.now();
        let until = now + chrono::Duration::from_std(opts.lease).unwrap_or_default();
        if !zv_store::sweep::take_lease(&tx, SWEEP_JOB, holder, now, until).await? {
            return Err(CoreError::Conflict(
                "another sweep took over the lease; this one stops".into(),
            ));
        }
        let ids: Vec<TrajectoryId> = list.iter().map(|t| t.id).collect();
        let free = self
            .unblocked(&tx, on, cursor, &list, opts.batch_size)
            .await?;
        let still = zv_store::sweep::still_due(&tx, &ids, on).await?;
        let mut going: Vec<Decided> = Vec::new();
        for item in still {
            if !free.contains(&item.id) {
                report.skipped_held += 1;
                continue;
            }
            match self.decide_expiry(item) {
                Some(d) => going.push(d),
                None => report.skipped_unknown_rule += 1,
            }
        }
        let going_ids: Vec<TrajectoryId> = going.iter().map(|d| d.item.id).collect();

        // RET-4: the facts first, while the rows they come from are still there.
        let anonymised: Vec<&Decided> = going
            .iter()
            .filter(|d| d.on_expiry == OnExpiry::Anonymise)
            .collect();
        if !anonymised.is_empty() {
            let ids: Vec<TrajectoryId> = anonymised.iter().map(|d| d.item.id).collect();
            let goals = zv_store::sweep::goal_outcomes(&tx, &ids).await?;
            let facts = anonymised
                .iter()
                .map(|d| {
                    self.anonymised_facts(
                        &d.item,
                        &d.rule,
                        births.get(&d.item.client_id).copied(),
                        goals.get(&d.item.id).copied().unwrap_or((0, 0)),
                        on,
                    )
                })
                .collect();
            zv_store::sweep::insert_facts(&tx, facts).await?;
        }

        let trajectories = zv_store::destruction::destroy_trajectories(&tx, &going_ids).await?;
        let mut clients: Vec<ClientId> = going.iter().map(|d| d.item.client_id).collect();
        clients.sort_by_key(|c| c.as_uuid());
        clients.dedup();
        let keeping = zv_store::sweep::clients_keeping_trajectories(&tx, &clients, &[]).await?;
        let leaving: Vec<ClientId> = clients
            .into_iter()
            .filter(|c| !keeping.contains(c))
            .collect();
        let of_clients = zv_store::destruction::destroy_clients(&tx, &leaving).await?;

        let mut records = Vec::with_capacity(going.len() + leaving.len());
        let mut accesses = Vec::with_capacity(going.len() + leaving.len());
        // A client goes under the rule of the last of its trajectories to end.
        let mut client_rule: HashMap<ClientId, (NaiveDate, String)> = HashMap::new();
        for d in &going {
            let outcome = match d.on_expiry {
                OnExpiry::Destroy => "destroyed",
                OnExpiry::Anonymise => "anonymised",
            };
            records.push(NewRegisterRecord {
                at: now,
                kind: SubjectKind::Trajectory,
                subject: d.item.id.as_uuid(),
                rule: d.rule.clone(),
                reason: format!("retention term ended; {outcome}"),
                outcome,
                term_ended_on: Some(d.item.retention_until),
                by_user: None,
                by_job: Some(SWEEP_JOB.to_owned()),
                counts: counts_of(&trajectories, d.item.id.as_uuid()),
            });
            accesses.push(
                Access::new(
                    AuditAction::Delete,
                    AuditObject::Destruction,
                    Some(d.item.client_id),
                )
                .object_id(d.item.id)
                .purpose(Purpose::Retention)
                .detail(format!("trajectory {outcome}; rule {}", d.rule)),
            );
            let entry = client_rule
                .entry(d.item.client_id)
                .or_insert((d.item.retention_until, d.rule.clone()));
            if d.item.retention_until >= entry.0 {
                *entry = (d.item.retention_until, d.rule.clone());
            }
        }
        for c in &leaving {
            let (ended, rule) = client_rule
                .get(c)
                .cloned()
                .ok_or_else(|| CoreError::Internal("a client left without a trajectory".into()))?;
            records.push(NewRegisterRecord {
                at: now,
                kind: SubjectKind::Client,
                subject: c.as_uuid(),
                rule: rule.clone(),
                reason: "last trajectory's retention term ended".to_owned(),
                outcome: "destroyed",
                term_ended_on: Some(ended),
                by_user: None,
                by_job: Some(SWEEP_JOB.to_owned()),
                counts: counts_of(&of_clients, c.as_uuid()),
            });
            accesses.push(
                Access::new(AuditAction::Delete, AuditObject::Destruction, Some(*c))
                    .object_id(*c)
                    .purpose(Purpose::Retention)
                    .detail(format!("client destroyed; rule {rule}")),
            );
        }
        if !accesses.is_empty() {
            let events: Vec<_> = accesses
                .iter()
                .map(|a| crate::gate::event(actor, a, AuditOutcome::Success, &decision))
                .collect();
            zv_store::audit::append(&tx, &events, now).await?;
        }
        zv_store::destruction::insert_register_records(&tx, records).await?;
        tx.commit().await?;

        // Files after the commit (see the module docs).
        for id in trajectories
            .attachment_ids
            .iter()
            .chain(&of_clients.attachment_ids)
        {
            zv_store::blobs::delete(&self.store, *id).await?;
            report.files += 1;
        }
        for (table, n) in trajectories.totals.iter().chain(&of_clients.totals) {
            *report.rows.entry(table.clone()).or_default() += n;
        }
        for d in &going {
            match d.on_expiry {
                OnExpiry::Destroy => report.destroyed += 1,
                OnExpiry::Anonymise => report.anonymised += 1,
            }
        }
        report.clients_destroyed += leaving.len() as u64;
        Ok(())
    }
}

fn counts_of(outcome: &SetOutcome, subject: Uuid) -> BTreeMap<String, u64> {
    outcome
        .per_subject
        .get(&subject)
        .cloned()
        .unwrap_or_default()
}

/// The next moment after `after` that the local time (Europe/Amsterdam) is `at`: when
/// the daily sweep inside `serve` runs next. On the night the clocks go forward a time
/// that does not exist runs an hour later; on the night they go back, at its first
/// occurrence.
#[must_use]
pub fn next_daily_run(
    after: chrono::DateTime<chrono::Utc>,
    at: chrono::NaiveTime,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    use chrono_tz::Europe::Amsterdam;
    let today = after.with_timezone(&Amsterdam).date_naive();
    let mut day = today;
    loop {
        let local = day.and_time(at);
        let instant = match Amsterdam.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                Some(t.with_timezone(&chrono::Utc))
            }
            chrono::LocalResult::None => Amsterdam
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.with_timezone(&chrono::Utc)),
        };
        if let Some(t) = instant.filter(|t| *t > after) {
            return t;
        }
        match day.succ_opt() {
            Some(next) if next <= today + chrono::Duration::days(2) => day = next,
            _ => return after + chrono::Duration::days(1),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{NaiveTime, TimeZone, Utc};

    use super::next_daily_run;

    #[test]
    fn the_next_run_is_the_local_time_today_or_tomorrow() {
        let at = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        // 22 November: UTC+1, so 02:30 local is 01:30 UTC.
        let before = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        assert_eq!(
            next_daily_run(before, at),
            Utc.with_ymd_and_hms(2026, 11, 22, 1, 30, 0).unwrap()
        );
        let after = Utc.with_ymd_and_hms(2026, 11, 22, 1, 30, 0).unwrap();
        assert_eq!(
            next_daily_run(after, at),
            Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap()
        );
        // 29 March 2026: 02:30 does not exist in Amsterdam; the run is at 03:30 local.
        let spring = Utc.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap();
        assert_eq!(
            next_daily_run(spring, at),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap()
        );
    }
}
