//! Audit-log retention (ACC-7, NEN 7513; decision 0028): events are kept for the policy's
//! `[audit] log_retention` (at least 5 years) and then pruned, oldest first, under signed
//! checkpoints, so that `zorgvuldig audit verify` still proves the remaining log intact.
//!
//! "At most the dossier's own term" (DOMAIN.md) is read as a bound on the policy, not a
//! second clock per client: an organisation may keep its log longer than 5 years only up
//! to the dossier terms it keeps (the policy comments say which), and every event, about
//! whichever client, is kept exactly that one term. A shorter dossier term (2 years)
//! does not shorten the log below the 5 years NEN 7513 asks: the log is what proves who
//! read the dossier, and a client's complaint about that can come after the dossier is
//! gone. The log is a hash chain, so it can only lose a prefix; per-client pruning would
//! need a chain per client. The events name clients by id only, so after a client's
//! destruction they point at nothing readable.

use chrono::{DateTime, NaiveDate, Utc};
use zv_domain::{AuditAction, AuditObject, Purpose, start_of_local_day};
use zv_policy::Term;
use zv_store::audit::Anchor;
use zv_store::audit_checkpoints::{self, Checkpoint, FIRST_LINK};
use zv_store::{BreakReason, BrokenLink};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// Events removed per transaction (and per checkpoint): a night's prune is one batch, a
/// first prune of years of events many, each committed on its own so the log stays
/// writable and an interruption loses nothing.
pub const PRUNE_BATCH: u64 = 10_000;

/// Checkpoints read per page by the verifier.
const CHECKPOINT_PAGE: u64 = 1_000;

/// What a prune did, or would do (`dry_run`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPruneReport {
    pub dry_run: bool,
    /// The policy's term.
    pub term: Term,
    /// Events from before this local date are due (today minus the term).
    pub kept_from: NaiveDate,
    /// Events removed (in a dry run: that would be).
    pub pruned: u64,
    /// The first and last sequence number removed.
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// Checkpoints written (none in a dry run).
    pub checkpoints: u64,
}

/// The latest checkpoint, as the audit screen and `audit verify` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointSummary {
    /// Events from before this local date were removed.
    pub kept_from: NaiveDate,
    /// The term it was done under (`None` if the stored text is not one this version
    /// reads; the signature still covers it).
    pub term: Option<Term>,
    /// Every event up to this sequence number is gone: the log starts after it.
    pub last_seq: i64,
    pub created_at: DateTime<Utc>,
    pub key_id: String,
}

impl From<&Checkpoint> for CheckpointSummary {
    fn from(c: &Checkpoint) -> Self {
        Self {
            kept_from: c.kept_from,
            term: parse_term(&c.term),
            last_seq: c.last_seq,
            created_at: c.created_at,
            key_id: c.key_id.clone(),
        }
    }
}

/// The outcome of `audit verify`: the chain after the latest checkpoint, and the
/// checkpoints themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerifyReport {
    /// Events proven intact (up to the first broken link, if any).
    pub events: u64,
    /// The first problem: an event's sequence number, or for a checkpoint problem the
    /// last sequence number that checkpoint covers.
    pub first_broken: Option<BrokenLink>,
    /// Checkpoints whose signature and link were proven.
    pub checkpoints: u64,
    pub latest_checkpoint: Option<CheckpointSummary>,
    /// The key id checkpoints of this installation are signed with.
    pub key_id: String,
}

impl AuditVerifyReport {
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Whether a break is about a checkpoint rather than an event.
#[must_use]
pub fn is_checkpoint_problem(reason: BreakReason) -> bool {
    matches!(
        reason,
        BreakReason::CheckpointForged
            | BreakReason::CheckpointUnlinked
            | BreakReason::CheckpointUnknownKey
    )
}

/// The first local date whose events are kept on `today`: an event of day `d` is kept
/// while `term.add_to(d)` has not passed, so at least the whole term (NEN 7513's "at
/// least 5 years"), and is due the day after.
#[must_use]
pub fn kept_from(today: NaiveDate, term: &Term) -> NaiveDate {
    // A start no later than the answer (every year at most 366 days, month 31), then
    // forward day by day: a few dozen steps for any real term.
    let span = term
        .years
        .saturating_mul(366)
        .saturating_add(term.months.saturating_mul(31))
        .saturating_add(term.weeks.saturating_mul(7))
        .saturating_add(term.days)
        .max(0);
    let mut d = today
        .checked_sub_days(chrono::Days::new(span.unsigned_abs()))
        .unwrap_or(NaiveDate::MIN);
    while d < today && term.add_to(d) < today {
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }
    d
}

/// The term as stored in a checkpoint: ISO 8601 (`P5Y`, `P1Y6M`), the same in every
/// language, so each screen can say it in its own.
#[must_use]
pub fn term_code(t: &Term) -> String {
    let mut s = String::from("P");
    for (n, unit) in [
        (t.years, 'Y'),
        (t.months, 'M'),
        (t.weeks, 'W'),
        (t.days, 'D'),
    ] {
        if n != 0 {
            s.push_str(&format!("{n}{unit}"));
        }
    }
    if s.len() == 1 {
        s.push_str("0D");
    }
    s
}

/// The inverse of [`term_code`].
#[must_use]
pub fn parse_term(code: &str) -> Option<Term> {
    let mut rest = code.strip_prefix('P')?;
    let mut t = Term::days(0);
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        match unit {
            'Y' => t.years = n,
            'M' => t.months = n,
            'W' => t.weeks = n,
            'D' => t.days = n,
            _ => return None,
        }
        rest = &rest[digits + 1..];
    }
    Some(t)
}

impl App {
    /// Prunes the audit events whose retention term has passed on the clock's today
    /// (ACC-7): in batches, each under a signed checkpoint written in the transaction that
    /// deletes it, each recorded as an audit event (action delete, object the audit log,
    /// no personal data). Idempotent and safe to interrupt: a second run continues from
    /// the latest checkpoint, or does nothing; two at once take turns.
    pub async fn prune_audit_log(&self, dry_run: bool) -> CoreResult<AuditPruneReport> {
        self.prune_audit_log_in_batches(dry_run, PRUNE_BATCH).await
    }

    /// As [`App::prune_audit_log`] with another batch size (tests use small ones to see
    /// several checkpoints).
    pub async fn prune_audit_log_in_batches(
        &self,
        dry_run: bool,
        batch: u64,
    ) -> CoreResult<AuditPruneReport> {
        let batch = batch.max(1);
        let term = self.policy.audit().log_retention;
        let kept_from = kept_from(self.clock.today(), &term);
        let cutoff = start_of_local_day(kept_from);
        let mut report = AuditPruneReport {
            dry_run,
            term,
            kept_from,
            pruned: 0,
            first_seq: None,
            last_seq: None,
            checkpoints: 0,
        };
        if dry_run {
            let tx = self.store.read_tx().await?;
            let mut after = audit_checkpoints::latest(&tx)
                .await?
                .map_or(0, |c| c.last_seq);
            while let Some(p) = audit_checkpoints::prunable(&tx, after, cutoff, batch).await? {
                report.first_seq.get_or_insert(p.first_seq);
                report.last_seq = Some(p.last_seq);
                report.pruned += p.count.unsigned_abs();
                after = p.last_seq;
                if p.count.unsigned_abs() < batch {
                    break;
                }
            }
            tx.commit().await?;
            return Ok(report);
        }
        let key = self.keys.checkpoint();
        let actor = Actor::cli("audit-retention");
        loop {
            let tx = self.store.begin().await?;
            audit_checkpoints::lock_for_prune(&tx).await?;
            let latest = audit_checkpoints::latest(&tx).await?;
            if let Some(c) = &latest
                && !key.verifying_key().verify(&c.signed_bytes(), &c.signature)
            {
                // Never build on a checkpoint this installation did not sign.
                return Err(CoreError::Conflict(
                    "the latest audit checkpoint does not verify; run `zorgvuldig audit verify`"
                        .into(),
                ));
            }
            let after = latest.as_ref().map_or(0, |c| c.last_seq);
            let Some(p) = audit_checkpoints::prunable(&tx, after, cutoff, batch).await? else {
                tx.commit().await?;
                break;
            };
            if p.first_seq != after + 1 {
                return Err(CoreError::Conflict(
                    "the audit log does not continue from its latest checkpoint; run \
                     `zorgvuldig audit verify`"
                        .into(),
                ));
            }
            let mut checkpoint = Checkpoint {
                last_seq: p.last_seq,
                last_hash: p.last_hash.clone(),
                last_at: p.last_at,
                pruned: p.count,
                kept_from,
                term: term_code(&term),
                created_at: self.now(),
                prev_link: latest
                    .as_ref()
                    .map_or(FIRST_LINK, Checkpoint::link)
                    .to_vec(),
                key_id: key.verifying_key().key_id(),
                signature: Vec::new(),
            }
            .normalised();
            checkpoint.signature = key.sign(&checkpoint.signed_bytes())?.to_vec();
            audit_checkpoints::insert(&tx, &checkpoint).await?;
            let deleted = audit_checkpoints::delete_through(&tx, p.last_seq).await?;
            if deleted != p.count.unsigned_abs() {
                return Err(CoreError::Internal(format!(
                    "audit prune: expected to remove {} events, removed {deleted}",
                    p.count
                )));
            }
            self.record(
                &tx,
                &actor,
                Access::new(AuditAction::Delete, AuditObject::AuditLog, None)
                    .purpose(Purpose::Retention)
                    .detail(format!(
                        "pruned audit events {}..{} ({}) from before {kept_from} under the \
                         retention term of {term}; checkpoint signed by key {}",
                        p.first_seq, p.last_seq, p.count, checkpoint.key_id
                    )),
            )
            .await?;
            tx.commit().await?;
            report.first_seq.get_or_insert(p.first_seq);
            report.last_seq = Some(p.last_seq);
            report.pruned += p.count.unsigned_abs();
            report.checkpoints += 1;
            tracing::info!(
                audit.pruned = p.count,
                audit.last_seq = p.last_seq,
                "audit events pruned under a signed checkpoint"
            );
            if p.count.unsigned_abs() < batch {
                break;
            }
        }
        Ok(report)
    }

    /// Proves the audit log (ACC-7): every checkpoint's signature and its link to the one
    /// before, then that nothing at or before the latest checkpoint remains, that the first
    /// remaining event links to it, and the whole chain after it up to the head.
    pub(crate) async fn verify_audit_chain(&self) -> CoreResult<AuditVerifyReport> {
        let public = *self.keys.checkpoint().verifying_key();
        let key_id = public.key_id();
        let mut prev_link = FIRST_LINK.to_vec();
        let mut prev_last = 0i64;
        let mut checkpoints = 0u64;
        let mut latest: Option<Checkpoint> = None;
        let mut after = i64::MIN;
        loop {
            let page = audit_checkpoints::page(&self.store, after, CHECKPOINT_PAGE).await?;
            if page.is_empty() {
                break;
            }
            for c in page {
                let problem = if c.key_id != key_id {
                    Some(BreakReason::CheckpointUnknownKey)
                } else if !public.verify(&c.signed_bytes(), &c.signature) {
                    Some(BreakReason::CheckpointForged)
                } else if c.prev_link != prev_link
                    || c.pruned < 1
                    || c.last_seq.checked_sub(c.pruned) != Some(prev_last)
                {
                    Some(BreakReason::CheckpointUnlinked)
                } else {
                    None
                };
                if let Some(reason) = problem {
                    return Ok(AuditVerifyReport {
                        events: 0,
                        first_broken: Some(BrokenLink {
                            seq: c.last_seq,
                            reason,
                        }),
                        checkpoints,
                        latest_checkpoint: latest.as_ref().map(CheckpointSummary::from),
                        key_id,
                    });
                }
                prev_link = c.link().to_vec();
                prev_last = c.last_seq;
                after = c.last_seq;
                checkpoints += 1;
                latest = Some(c);
            }
        }
        let anchor = latest.as_ref().map(|c| Anchor {
            seq: c.last_seq,
            hash: c.last_hash.clone(),
        });
        let chain = zv_store::audit::verify_from(&self.store, anchor.as_ref()).await?;
        Ok(AuditVerifyReport {
            events: chain.events,
            first_broken: chain.first_broken,
            checkpoints,
            latest_checkpoint: latest.as_ref().map(CheckpointSummary::from),
            key_id,
        })
    }

    /// The latest checkpoint for the privacy officer's audit screen ("events before DATE
    /// were removed under the retention term of N years"), and the policy's term. Only for
    /// who may read the audit log; it holds no personal data, so reading it is not itself
    /// recorded (the screen's own read is).
    pub async fn audit_retention_status(
        &self,
        actor: &Actor,
    ) -> CoreResult<(Term, Option<CheckpointSummary>)> {
        let access = Access::new(AuditAction::Read, AuditObject::AuditLog, None)
            .purpose(Purpose::Administration);
        if !self.permitted(actor, &access).await? {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        let latest = audit_checkpoints::latest(&tx).await?;
        tx.commit().await?;
        Ok((
            self.policy.audit().log_retention,
            latest.as_ref().map(CheckpointSummary::from),
        ))
    }

    /// The public key that verifies this installation's checkpoints, in hex, for an
    /// auditor who checks them apart from the application.
    #[must_use]
    pub fn audit_checkpoint_public_key(&self) -> String {
        self.keys
            .checkpoint()
            .verifying_key()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // promise: ACC-7
    #[test]
    fn an_event_is_kept_the_whole_term_and_is_due_the_day_after() {
        let five = Term::years(5);
        let from = kept_from(d("2033-11-22"), &five);
        assert_eq!(from, d("2028-11-22"));
        // The last day kept is exactly five years back; the day before it is due.
        assert!(five.add_to(from) >= d("2033-11-22"));
        assert!(five.add_to(from.pred_opt().unwrap()) < d("2033-11-22"));
        // A leap day: 29 February + 5 years is 28 February.
        assert_eq!(kept_from(d("2033-02-28"), &five), d("2028-02-28"));
        assert_eq!(kept_from(d("2033-03-01"), &five), d("2028-03-01"));
        // Every day of a leap-year cycle: the answer is the first day still in its term.
        let mut day = d("2030-01-01");
        while day < d("2034-01-01") {
            let k = kept_from(day, &five);
            assert!(five.add_to(k) >= day, "{day}");
            assert!(five.add_to(k.pred_opt().unwrap()) < day, "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn terms_round_trip_through_their_code() {
        for t in [
            Term::years(5),
            Term::months(18),
            Term::weeks(4),
            Term::days(0),
            Term {
                years: 6,
                months: 1,
                weeks: 2,
                days: 3,
            },
        ] {
            assert_eq!(parse_term(&term_code(&t)), Some(t), "{t}");
        }
        assert_eq!(term_code(&Term::years(5)), "P5Y");
        for bad in ["", "P", "5Y", "PY", "P5X", "P-1Y"] {
            assert_eq!(parse_term(bad), None, "{bad}");
        }
    }
}
