//! Retention dates (RET-1, RET-2): computed from the policy's rule for the trajectory's
//! service type, and recomputed in the transaction of every event that moves them:
//!
//! - closing the trajectory starts the term ([`App::close_trajectory`]);
//! - a change to a closed dossier under a "last change" rule (Jeugdwet: 20 years from the
//!   last change) moves it ([`App::touch_last_change`]);
//! - a child added, or a child's birth date corrected, moves it under Blijf Groep's
//!   youngest-child rule ([`App::recompute_client_retention`]).
//!
//! An open trajectory has no date: nothing of it is due while the help goes on.

use chrono::{DateTime, NaiveDate, Utc};
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, RelationKind};
use zv_policy::{RetentionFacts, StartEvent};
use zv_store::{Authorized, TrajectoryRow, Tx};

use crate::app::App;
use crate::error::CoreResult;
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::minors::local_date;

/// A client's own data (profile, related persons, key) is kept as long as any of its
/// trajectories needs it: the latest of their last days, and `None` (no end) while any is
/// open or when there is none.
#[must_use]
pub fn client_keep_until(
    keep_until: impl IntoIterator<Item = Option<NaiveDate>>,
) -> Option<NaiveDate> {
    let mut latest: Option<NaiveDate> = None;
    for d in keep_until {
        let d = d?;
        latest = Some(latest.map_or(d, |l| l.max(d)));
    }
    latest
}

/// The facts of a closed trajectory's term: closing counts as a change of the dossier,
/// so the last change is never before the closing day.
pub(crate) fn facts_of(meta: &TrajectoryRow, children: Vec<NaiveDate>) -> RetentionFacts {
    RetentionFacts {
        closed_on: meta.closed_on,
        last_change: meta
            .closed_on
            .map(|closed| local_date(meta.last_change_at).max(closed)),
        children_birth_dates: children,
        ..RetentionFacts::default()
    }
}

impl App {
    /// Records a change in a trajectory's dossier and, when its rule counts from the last
    /// change (Jeugdwet art. 7.3.8) and the term has started, moves the date in the same
    /// transaction. Since the last change only moves forward, the new date is the later of
    /// the stored one (which already holds any "not before" condition) and the term from
    /// the new change: no other fact needs to be read.
    pub(crate) async fn touch_last_change(
        &self,
        tx: &Tx,
        meta: &TrajectoryRow,
        at: DateTime<Utc>,
    ) -> CoreResult<()> {
        zv_store::trajectories::touch_last_change(tx, meta.id, at).await?;
        let Some(closed_on) = meta.closed_on else {
            return Ok(());
        };
        let rule = self.rule_of(meta)?;
        if rule.start != StartEvent::LastChange {
            return Ok(());
        }
        let facts = RetentionFacts {
            closed_on: Some(closed_on),
            last_change: Some(local_date(at).max(closed_on)),
            ..RetentionFacts::default()
        };
        let Some(from_change) = rule.retention_until(&facts) else {
            return Ok(());
        };
        let until = meta
            .retention_until
            .map_or(from_change, |d| d.max(from_change));
        if meta.retention_until != Some(until) {
            zv_store::trajectories::set_retention_until(tx, meta.id, Some(until)).await?;
            tracing::info!(trajectory.id = %meta.id, "retention date moved by a change");
        }
        Ok(())
    }

    /// The proof to read a client's children's birth dates for its retention dates
    /// (RET-2): a read decided by the rules and recorded under the retention purpose.
    /// Taken before the write's transaction opens (the record commits on its own), and
    /// used inside it, so the dates read include the child just added or corrected.
    pub(crate) async fn authorize_retention_facts(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Authorized> {
        self.authorize_read(
            actor,
            Access::new(AuditAction::Read, AuditObject::RelatedPerson, Some(client))
                .purpose(Purpose::Retention)
                .detail("children's birth dates for the retention date"),
        )
        .await
    }

    /// Recomputes the dates of every closed trajectory of a client inside `tx` (a child
    /// added or a birth date corrected: Blijf Groep keeps the dossier until the youngest
    /// child is 18, or its own term if that is later).
    pub(crate) async fn recompute_client_retention(
        &self,
        tx: &Tx,
        auth: &Authorized,
    ) -> CoreResult<()> {
        let client = auth.client_id();
        let trajectories = zv_store::trajectories::of_client(tx, client).await?;
        if trajectories.iter().all(|t| t.closed_on.is_none()) {
            return Ok(());
        }
        let children = self.children_birth_dates_in(tx, auth).await?;
        for meta in trajectories.iter().filter(|t| t.closed_on.is_some()) {
            let rule = self.rule_of(meta)?;
            let until = rule.retention_until(&facts_of(meta, children.clone()));
            if until != meta.retention_until {
                zv_store::trajectories::set_retention_until(tx, meta.id, until).await?;
                tracing::info!(trajectory.id = %meta.id, "retention date recomputed");
            }
        }
        Ok(())
    }

    /// The birth dates of the client's children, read inside `tx`.
    pub(crate) async fn children_birth_dates_in(
        &self,
        tx: &Tx,
        auth: &Authorized,
    ) -> CoreResult<Vec<NaiveDate>> {
        let rows = zv_store::related_persons::of_client(tx, auth).await?;
        if !rows
            .iter()
            .any(|r| r.relation == RelationKind::Child.code())
        {
            return Ok(Vec::new());
        }
        let key = self.keys.client_key(tx, auth).await?;
        let s = Sealer { key: &key };
        let mut out = Vec::new();
        for r in rows
            .iter()
            .filter(|r| r.relation == RelationKind::Child.code())
        {
            let opened = s.open_opt(
                crate::related::T,
                "birth_date",
                r.id.as_uuid(),
                r.birth_date_ct.as_deref(),
            )?;
            if let Some(d) = opened.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
                out.push(d);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // promise: RET-1
    #[test]
    fn a_client_is_kept_as_long_as_its_longest_trajectory_and_while_one_is_open() {
        assert_eq!(client_keep_until([]), None);
        assert_eq!(
            client_keep_until([Some(d("2030-01-01")), Some(d("2041-06-30"))]),
            Some(d("2041-06-30"))
        );
        assert_eq!(client_keep_until([Some(d("2030-01-01")), None]), None);
    }
}
