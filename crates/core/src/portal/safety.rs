//! Help and safety in the portal (POR-5): whether a client's portal offers the quick
//! exit. A person at risk from someone at home must be able to leave the portal at once
//! and leave nothing of it in the browser's back history.
//!
//! The quick exit belongs to domestic-violence services (`domestic_violence_service` in
//! the policy). A trajectory of another service where domestic violence is recorded
//! (LEVgroep's general social work with its 15-year term) puts the client at the same
//! risk, so it counts too. Before sign-in the client is unknown: the sign-in pages offer
//! the quick exit when the organisation has any domestic-violence service.

use zv_domain::ClientId;

use crate::app::App;
use crate::error::CoreResult;

impl App {
    /// Whether the organisation runs a domestic-violence service: its portal's sign-in
    /// pages then offer the quick exit to everyone.
    #[must_use]
    pub fn quick_exit_offered(&self) -> bool {
        self.policy
            .service_types()
            .iter()
            .any(|s| s.domestic_violence_service)
    }

    /// Whether the client's portal offers the quick exit: one of their trajectories is of
    /// a domestic-violence service or has domestic violence recorded.
    ///
    /// Like the gate's own look at a client's trajectories to decide an access, this
    /// reads only the trajectories' service types and flags to decide what the page
    /// offers; nothing of it is shown, so it is not an audited read.
    pub async fn portal_quick_exit(&self, client: ClientId) -> CoreResult<bool> {
        let tx = self.store.read_tx().await?;
        let trajectories = zv_store::trajectories::of_client(&tx, client).await?;
        tx.commit().await?;
        Ok(trajectories.iter().any(|t| {
            t.domestic_violence
                || self
                    .policy
                    .service_type(&t.service_type)
                    .is_some_and(|s| s.domestic_violence_service)
        }))
    }
}
