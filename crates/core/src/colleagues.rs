//! Who is who among the staff, as the dossier screens need it: the name of an entry's
//! author, and the colleagues of a team a worker can be assigned from. Staff names are
//! not client data, but disabled accounts are left out of the choices.

use std::collections::HashMap;

use serde::Serialize;
use zv_domain::{Role, UserId};

use crate::app::App;
use crate::error::CoreResult;

/// A colleague as a choice in a form.
#[derive(Debug, Clone, Serialize)]
pub struct Colleague {
    pub id: UserId,
    pub display_name: String,
    pub teams: Vec<String>,
}

impl App {
    /// Display names by user id, for showing authors. Unknown ids are absent.
    pub async fn staff_names(&self) -> CoreResult<HashMap<UserId, String>> {
        let tx = self.store.begin().await?;
        let rows = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
    }

    /// Active caseworkers and team leads of a team: who can be assigned to its
    /// trajectories.
    pub async fn assignable_colleagues(&self, team: &str) -> CoreResult<Vec<Colleague>> {
        let tx = self.store.begin().await?;
        let rows = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        let mut out: Vec<Colleague> = rows
            .into_iter()
            .filter(|r| !r.disabled && r.teams.iter().any(|t| t == team))
            .filter(|r| {
                r.roles.iter().any(|c| {
                    c.parse::<Role>()
                        .is_ok_and(|role| matches!(role, Role::Caseworker | Role::TeamLead))
                })
            })
            .map(|r| Colleague {
                id: r.id,
                display_name: r.display_name,
                teams: r.teams,
            })
            .collect();
        out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        Ok(out)
    }
}
