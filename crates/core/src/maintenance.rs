//! Operator tasks: verifying the audit chain, backups, key rotation and the database's
//! upkeep. None of them reads personal data.

use std::path::Path;

use zv_domain::{AuditAction, AuditObject};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::RotationReport;

pub use crate::audit_retention::AuditVerifyReport as VerifyReport;

impl App {
    /// Walks the whole hash chain of the audit log (ACC-7): from the genesis, or, once
    /// events were pruned after their term, from the latest signed checkpoint (decision
    /// 0028), whose signature and link are proven first.
    pub async fn verify_audit(&self) -> CoreResult<VerifyReport> {
        self.verify_audit_chain().await
    }

    /// Gathers the database's statistics for its query planner, after a bulk load
    /// (the demo, a restore); see [`zv_store::statistics`]. Returns whether the engine
    /// needed it.
    pub async fn refresh_planner_statistics(&self) -> CoreResult<bool> {
        Ok(zv_store::statistics::refresh(&self.store).await?)
    }

    /// Whether the database server tidies its tables itself (PostgreSQL's autovacuum);
    /// when it does not, the nightly jobs do ([`App::tidy_database`]).
    pub async fn database_tidied_by_server(&self) -> CoreResult<bool> {
        Ok(zv_store::statistics::kept_by_server(&self.store).await?)
    }

    /// Removes dead rows and refreshes the planner's statistics, as autovacuum would.
    pub async fn tidy_database(&self) -> CoreResult<bool> {
        Ok(zv_store::statistics::tidy(&self.store).await?)
    }

    /// How many clients the installation holds (a count, no personal data): what the
    /// demo refuses to mix into and the benchmark reuses.
    pub async fn client_count(&self) -> CoreResult<u64> {
        let tx = self.store.read_tx().await?;
        let n = zv_store::clients::count(&tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// How many audit events the log holds (its head; no scan).
    pub async fn audit_event_count(&self) -> CoreResult<u64> {
        let tx = self.store.begin().await?;
        let n = zv_store::audit::count(&tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// A consistent copy of the data without the key store: restoring it needs the key
    /// store too, and a destroyed client's key is in neither (crypto-shredding). The
    /// stored files (attachments, activity media, record files, all encrypted) are copied
    /// into the directory `OUT.files` beside it, after the database, so that every row
    /// of the copy has its file ([`zv_store::backup::backup_files`]).
    pub async fn backup(&self, actor: &Actor, out: &Path) -> CoreResult<()> {
        let files_dir = zv_store::backup::files_dir_of(out);
        if files_dir.exists() {
            return Err(CoreError::Conflict(format!(
                "{} already exists; a backup never overwrites anything",
                files_dir.display()
            )));
        }
        zv_store::backup::backup(&self.store, out).await?;
        let files = match zv_store::backup::backup_files(&self.store, &files_dir).await {
            Ok(n) => n,
            Err(e) => {
                // Half a backup is no backup: the database copy goes too.
                let _ = std::fs::remove_file(out);
                return Err(e.into());
            }
        };
        let tx = self.store.begin().await?;
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Export, AuditObject::Backup, None)
                .detail(format!("data backup with {files} files")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A copy of the key store, to be kept apart from the data backups and for a short
    /// time only (docs/operations/backup.md explains why).
    pub async fn backup_key_store(&self, actor: &Actor, out: &Path) -> CoreResult<()> {
        zv_store::backup::backup_key_store(&self.store, out).await?;
        let tx = self.store.begin().await?;
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Export, AuditObject::KeyRing, None).detail("key store backup"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-wraps every data key under a new key-encryption key (`zorgvuldig keys rotate`).
    pub async fn rotate_keys(&self, actor: &Actor) -> CoreResult<RotationReport> {
        let report = self.keys.rotate(&self.store).await?;
        let tx = self.store.begin().await?;
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Update, AuditObject::KeyRing, None).detail(format!(
                "rotated to key version {}; {} client keys re-wrapped",
                report.new_version, report.client_keys
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}
