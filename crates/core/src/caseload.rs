//! A caseworker's own work: the trajectories they are assigned to, with each client's
//! name (every name shown is an audited read of that client's profile, ACC-7).

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::ClientId;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use zv_domain::Role;

use crate::gate::{
    Actor, GRANT_COMPLAINT, GRANT_EMERGENCY, GRANT_QUALITY_REVIEW, GRANT_SUBSTITUTE,
};
use crate::trajectories::TrajectorySummary;

/// One line of a caseload.
#[derive(Debug, Clone, Serialize)]
pub struct CaseloadItem {
    pub trajectory: TrajectorySummary,
    pub client_name: String,
    pub client_birth_date: NaiveDate,
}

/// The caseload: open trajectories first (newest opened first), then closed ones; then
/// the dossiers open to the actor through a running grant, with the grant's kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Caseload {
    pub open: Vec<CaseloadItem>,
    pub closed: Vec<CaseloadItem>,
    pub granted: Vec<(CaseloadItem, String)>,
    /// The dossiers changed most recently, newest first.
    pub recent: Vec<CaseloadItem>,
    /// Open dossiers without a change for [`QUIET_DAYS`]: a client who may have dropped
    /// out of sight, or reports not yet written.
    pub attention: Vec<CaseloadItem>,
}

/// How many recently changed dossiers the start page lists.
const RECENT: usize = 5;
/// An open dossier without a change for this long needs attention.
pub const QUIET_DAYS: i64 = 30;

/// A quality review lists at most this many dossiers at once.
const MAX_REVIEW_LISTING: u64 = 500;

impl App {
    /// The trajectories the actor is assigned to. A client the actor may no longer read
    /// (an account without a confidentiality statement, say) makes the whole caseload
    /// refused rather than silently partial.
    pub async fn caseload(&self, actor: &Actor) -> CoreResult<Caseload> {
        let user = actor.user_id().ok_or(CoreError::NotFound)?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::trajectories::of_worker(&tx, user).await?;
        tx.commit().await?;
        // Each client's name is read (and audited) once, however many lines show it.
        let mut names: std::collections::HashMap<ClientId, (String, NaiveDate)> =
            std::collections::HashMap::new();
        let mut caseload = Caseload::default();
        for row in &rows {
            let item = self.caseload_item(actor, row, &mut names).await?;
            if row.closed_on.is_some() {
                caseload.closed.push(item);
            } else {
                caseload.open.push(item);
            }
        }
        for (row, kind) in self.granted_trajectories(actor).await? {
            let item = self.caseload_item(actor, &row, &mut names).await?;
            caseload.granted.push((item, kind));
        }
        let mut recent: Vec<&CaseloadItem> = caseload.open.iter().chain(&caseload.closed).collect();
        recent.sort_by_key(|i| std::cmp::Reverse(i.trajectory.last_change_at));
        caseload.recent = recent.into_iter().take(RECENT).cloned().collect();
        let quiet_since = self.now() - chrono::Duration::days(QUIET_DAYS);
        caseload.attention = caseload
            .open
            .iter()
            .filter(|i| i.trajectory.last_change_at < quiet_since)
            .cloned()
            .collect();
        Ok(caseload)
    }

    async fn caseload_item(
        &self,
        actor: &Actor,
        row: &zv_store::TrajectoryRow,
        names: &mut std::collections::HashMap<ClientId, (String, NaiveDate)>,
    ) -> CoreResult<CaseloadItem> {
        let (name, birth) = match names.get(&row.client_id) {
            Some(known) => known.clone(),
            None => {
                let p = self.client_profile(actor, row.client_id).await?;
                let known = (p.name, p.birth_date);
                names.insert(row.client_id, known.clone());
                known
            }
        };
        Ok(CaseloadItem {
            trajectory: TrajectorySummary::from(row),
            client_name: name,
            client_birth_date: birth,
        })
    }

    /// The trajectories the actor may open through a running grant and not through an
    /// assignment: the listing mirrors the access rules in queries (ARCHITECTURE: "which
    /// dossiers may I see" is a SQL filter), and a test checks the two agree.
    pub async fn granted_trajectories(
        &self,
        actor: &Actor,
    ) -> CoreResult<Vec<(zv_store::TrajectoryRow, String)>> {
        let Actor::Staff(s) = actor else {
            return Ok(Vec::new());
        };
        if s.disabled || !s.confidentiality_signed {
            return Ok(Vec::new());
        }
        let now = self.now();
        let tx = self.store.read_tx().await?;
        let grants = zv_store::grants::current_of_holder(&tx, s.user_id, now).await?;
        let mine: std::collections::HashSet<_> = zv_store::trajectories::of_worker(&tx, s.user_id)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut out: Vec<(zv_store::TrajectoryRow, String)> = Vec::new();
        for g in grants.iter().filter(|g| g.active_at(now)) {
            let rows = match g.kind.as_str() {
                GRANT_COMPLAINT if s.roles.contains(&Role::Manager) => match g.trajectory {
                    Some(t) => zv_store::trajectories::get_meta(&tx, t)
                        .await?
                        .into_iter()
                        .collect(),
                    None => Vec::new(),
                },
                GRANT_EMERGENCY => match g.trajectory {
                    Some(t) => zv_store::trajectories::get_meta(&tx, t)
                        .await?
                        .into_iter()
                        .collect(),
                    None => Vec::new(),
                },
                GRANT_SUBSTITUTE => match g.absent_user {
                    Some(u) => zv_store::trajectories::of_worker(&tx, u).await?,
                    None => Vec::new(),
                },
                GRANT_QUALITY_REVIEW if s.roles.contains(&Role::QualityOfficer) => {
                    zv_store::trajectories::in_scope(
                        &tx,
                        g.scope_team.as_deref(),
                        g.scope_service_type.as_deref(),
                        MAX_REVIEW_LISTING,
                    )
                    .await?
                }
                _ => Vec::new(),
            };
            for row in rows {
                if !mine.contains(&row.id) && !out.iter().any(|(r, _)| r.id == row.id) {
                    out.push((row, g.kind.clone()));
                }
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
