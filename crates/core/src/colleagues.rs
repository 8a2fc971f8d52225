//! Who is who among the staff, as the dossier screens need it: the name of an entry's
//! author. Staff names are not client data.

use std::collections::HashMap;

use zv_domain::UserId;

use crate::app::App;
use crate::error::CoreResult;

impl App {
    /// Display names by user id, for showing authors. Unknown ids are absent.
    pub async fn staff_names(&self) -> CoreResult<HashMap<UserId, String>> {
        let tx = self.store.read_tx().await?;
        let rows = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
    }
}
