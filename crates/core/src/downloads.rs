//! The one download of a held file by the portal account it was made for: an access
//! copy (RTS-4) or a portability file (RTS-8). Both are sealed with the client's key and
//! held until downloaded once or expired. The account asks for a link: a random token,
//! kept as a hash, valid for the policy's minutes, and an earlier link of the same file
//! stops working. The download takes the file out of the database in the transaction
//! that reads it, after its export event is recorded, so a second use finds nothing. A
//! link that is unknown, used, expired or another account's is "not found", as is a file
//! of someone else, whoever else may read the client's dossier.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_store::downloads::{HeldFile, HeldRow};

use crate::access::Target;
use crate::access_copy::IssuedLink;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What differs between the kinds of held file in their one download.
pub(crate) trait OneDownload: HeldRow {
    /// The table and column the file is sealed under, bound into its associated data.
    const SEALED_AS: (&'static str, &'static str);
    /// The audit event's detail when a link is issued.
    const LINK_ISSUED: &'static str;
    /// The audit event's detail when the file is downloaded.
    const DOWNLOADED: &'static str;

    /// What the account downloads the file for: `own` when the account is the client's
    /// own. `None` when such an account may not have it at all.
    fn purpose(own: bool) -> Option<Purpose>;

    /// The name the file is downloaded under.
    fn file_name(&self, reference: &str) -> String;
}

impl App {
    /// The held files of a kind the signed-in portal account may download, newest
    /// first, each as a line with its request's reference: no content. Files not
    /// downloaded in time are erased first, so an expired one never lingers.
    pub(crate) async fn my_downloads<R: OneDownload, L>(
        &self,
        actor: &Actor,
        line: impl Fn(&R, &str, DateTime<Utc>) -> L,
    ) -> CoreResult<Vec<L>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.begin().await?;
        zv_store::downloads::erase_expired(&tx, R::TABLE, self.now()).await?;
        tx.commit().await?;
        let tx = self.store.read_tx().await?;
        let rows: Vec<(R, HeldFile)> =
            zv_store::downloads::of_portal_account(&tx, p.account_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        let now = self.now();
        for (row, file) in &rows {
            let reference = zv_store::requests::request_meta(&tx, file.request_id)
                .await?
                .map(|r| r.reference)
                .unwrap_or_default();
            out.push(line(row, &reference, now));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The decision on a portal account's download, as the account the file was made
    /// for.
    async fn own_download<R: OneDownload>(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<(R, HeldFile, Access)> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.read_tx().await?;
        let row: Option<(R, HeldFile)> = zv_store::downloads::meta(&tx, id).await?;
        tx.commit().await?;
        let (row, file, purpose) = row
            .and_then(|(row, file)| {
                if file.portal_account != Some(p.account_id) {
                    return None;
                }
                let purpose = R::purpose(p.client_id == Some(file.client_id))?;
                Some((row, file, purpose))
            })
            .ok_or(CoreError::NotFound)?;
        let access = Access::new(
            AuditAction::Export,
            AuditObject::RightsRequest,
            Some(file.client_id),
        )
        .target(Target::Request)
        .object_id(file.id)
        .purpose(purpose);
        Ok((row, file, access))
    }

    /// Issues a one-time link to download a held file; an earlier link of the file
    /// stops working.
    pub(crate) async fn issue_download_link<R: OneDownload>(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<IssuedLink> {
        let (_, file, access) = self.own_download::<R>(actor, id).await?;
        let now = self.now();
        if !file.held || file.available_until <= now {
            return Err(CoreError::NotFound);
        }
        let token = zv_crypto::random_token(32);
        let expires_at =
            now + Duration::minutes(i64::from(self.policy().security().access_copy_link_minutes));
        let tx = self
            .authorize_write(actor, access.detail(R::LINK_ISSUED))
            .await?;
        zv_store::downloads::set_link(
            &tx,
            R::TABLE,
            file.id,
            crate::sign_in::token_hash(&token),
            expires_at,
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedLink { token, expires_at })
    }

    /// Downloads a held file through its link, once: its name and its bytes.
    pub(crate) async fn download_once<R: OneDownload>(
        &self,
        actor: &Actor,
        token: &str,
    ) -> CoreResult<(String, zeroize::Zeroizing<Vec<u8>>)> {
        let now = self.now();
        let tx = self.store.read_tx().await?;
        let found: Option<(R, HeldFile)> =
            zv_store::downloads::find_by_link(&tx, &crate::sign_in::token_hash(token), now).await?;
        tx.commit().await?;
        let found = found
            .map(|(_, f)| f)
            .filter(|f| f.held && f.available_until > now)
            .ok_or(CoreError::NotFound)?;
        let (row, file, access) = self.own_download::<R>(actor, found.id).await?;
        let auth = self
            .authorize_read(actor, access.detail(R::DOWNLOADED))
            .await?;
        let tx = self.store.begin().await?;
        let sealed = zv_store::downloads::take(&tx, R::TABLE, &auth, file.id, now, None)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let (table, column) = R::SEALED_AS;
        let bytes = key.decrypt(&sealed, &zv_crypto::Aad::new(table, column, file.id))?;
        tx.commit().await?;
        let reference = {
            let tx = self.store.read_tx().await?;
            let r = zv_store::requests::request_meta(&tx, file.request_id).await?;
            tx.commit().await?;
            r.map(|r| r.reference).unwrap_or_default()
        };
        Ok((row.file_name(&reference), bytes))
    }
}
