//! Destruction (RET-4, RET-6) of a client by decision (an erasure granted, RTS-6) and, by
//! the sweep, of what passed its term. Rows, attachment files, search tokens and, for a
//! client, the data key go; what remains is a destruction
//! record without personal data. Because the key goes, copies of the data in older
//! backups (which never hold keys) become unreadable too ("crypto-shredding").
//!
//! The retention sweep ([`sweep`]) destroys or anonymises ([`anonymise`]) what has passed
//! its term, in batches; the register ([`register`]) shows what went (decision 0027).

mod anonymise;
mod register;
mod sweep;

pub use register::{
    REGISTER_PAGE_SIZE, RegisterLine, RegisterPage, RegisterQuery, RegisterRuleChoice,
};
pub use sweep::{SWEEP_JOB, SweepOptions, SweepProgress, SweepReport, next_daily_run};

use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose};
use zv_store::NewDestructionRecord;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What was destroyed, in numbers.
#[derive(Debug, Clone, Serialize)]
pub struct DestructionReport {
    pub rows: std::collections::BTreeMap<String, u64>,
    pub files: u64,
}

impl App {
    /// Destroys a client and everything of it. `rule` names the retention rule or the
    /// decision (e.g. a granted erasure request) under which this happens.
    pub async fn destroy_client(
        &self,
        actor: &Actor,
        client: ClientId,
        rule: &str,
        reason: &str,
    ) -> CoreResult<DestructionReport> {
        check_reason(rule, reason)?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Delete, AuditObject::Destruction, Some(client))
                    .object_id(client)
                    .purpose(Purpose::Retention)
                    .detail(format!("client; rule {rule}")),
            )
            .await?;
        let outcome = zv_store::destruction::destroy_client(
            &tx,
            client,
            self.destruction_record(actor, rule, reason),
        )
        .await?;
        tx.commit().await?;
        self.finish(outcome).await
    }

    fn destruction_record(&self, actor: &Actor, rule: &str, reason: &str) -> NewDestructionRecord {
        NewDestructionRecord {
            rule: rule.to_owned(),
            reason: reason.to_owned(),
            by_user: actor.user_id(),
            at: self.now(),
        }
    }

    /// Files go after the rows are committed: a crash in between leaves encrypted files
    /// whose key is already gone, removed by the next sweep.
    async fn finish(&self, outcome: zv_store::DestroyOutcome) -> CoreResult<DestructionReport> {
        let mut files = 0;
        for id in &outcome.attachment_ids {
            zv_store::blobs::delete(&self.store, *id).await?;
            files += 1;
        }
        Ok(DestructionReport {
            rows: outcome.counts,
            files,
        })
    }
}

/// The destruction record says why; it must not carry personal data, so the reason is a
/// short code-like text, refused when it looks like free prose with digits of a BSN.
fn check_reason(rule: &str, reason: &str) -> CoreResult<()> {
    if rule.trim().is_empty() || rule.len() > 100 {
        return Err(CoreError::invalid(
            "rule",
            "name the retention rule or decision (1 to 100 characters)",
        ));
    }
    if reason.trim().is_empty() || reason.len() > 500 {
        return Err(CoreError::invalid(
            "reason",
            "give a reason (1 to 500 characters), without personal data",
        ));
    }
    Ok(())
}
