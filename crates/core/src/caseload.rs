//! A caseworker's own work: the trajectories they are assigned to, with each client's
//! name (every name shown is an audited read of that client's profile, ACC-7).

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::ClientId;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;
use crate::trajectories::TrajectorySummary;

/// One line of a caseload.
#[derive(Debug, Clone, Serialize)]
pub struct CaseloadItem {
    pub trajectory: TrajectorySummary,
    pub client_name: String,
    pub client_birth_date: NaiveDate,
}

/// The caseload: open trajectories first (newest opened first), then closed ones.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Caseload {
    pub open: Vec<CaseloadItem>,
    pub closed: Vec<CaseloadItem>,
}

impl App {
    /// The trajectories the actor is assigned to. A client the actor may no longer read
    /// (an account without a confidentiality statement, say) makes the whole caseload
    /// refused rather than silently partial.
    pub async fn caseload(&self, actor: &Actor) -> CoreResult<Caseload> {
        let user = actor.user_id().ok_or(CoreError::NotFound)?;
        let tx = self.store.begin().await?;
        let rows = zv_store::trajectories::of_worker(&tx, user).await?;
        tx.commit().await?;
        let mut names: std::collections::HashMap<ClientId, (String, NaiveDate)> =
            std::collections::HashMap::new();
        let mut caseload = Caseload::default();
        for row in &rows {
            let (name, birth) = match names.get(&row.client_id) {
                Some(known) => known.clone(),
                None => {
                    let p = self.client_profile(actor, row.client_id).await?;
                    let known = (p.name, p.birth_date);
                    names.insert(row.client_id, known.clone());
                    known
                }
            };
            let item = CaseloadItem {
                trajectory: TrajectorySummary::from(row),
                client_name: name,
                client_birth_date: birth,
            };
            if row.closed_on.is_some() {
                caseload.closed.push(item);
            } else {
                caseload.open.push(item);
            }
        }
        Ok(caseload)
    }
}
