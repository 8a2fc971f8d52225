//! The privacy statement at intake (ORG-3): which version of the organisation's privacy
//! statement a client was given, and for Blijf Groep whether the privacy card (its
//! summary, handed to every client at intake) came with it, on which day.
//!
//! The version recorded is always the policy's current `organisation.statement_version`:
//! what is handed over is the statement in force that day, and the version is never typed
//! by hand, so it cannot be misspelt. A new version of the statement is a new policy; the
//! receipts recorded under an earlier one keep the version they were given.
//!
//! Recording is a write about the client, decided at the gate like any other (the worker
//! assigned to the client; emergency access), its audit event in the same transaction.
//! Reading is a recorded read; the client reads their own in the portal.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, UserId};
use zv_store::statement_receipts::StatementReceiptRow;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What was handed over, as the worker states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementReceiptInput {
    pub given_on: NaiveDate,
    /// The privacy statement itself (on paper, by e-mail, or its address).
    pub statement_given: bool,
    /// The privacy card, where the organisation hands one out (`organisation.privacy_card`).
    pub privacy_card_given: bool,
}

/// A recorded receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementReceipt {
    pub id: Uuid,
    pub client_id: ClientId,
    pub statement_version: String,
    pub statement_given: bool,
    pub privacy_card_given: bool,
    pub given_on: NaiveDate,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    /// The version is the one the policy names now.
    pub is_current: bool,
}

/// The refusals, by field. The web shows each in the person's language.
pub const NOTHING_GIVEN: &str = "record what was given: the statement, the privacy card or both";
pub const NO_PRIVACY_CARD: &str = "this organisation hands out no privacy card";
pub const IN_THE_FUTURE: &str = "the day it was given lies in the future";

impl App {
    /// Checks a receipt as typed, before anything is written: the intake checks it
    /// before it registers the client, so a refusal registers nothing.
    pub fn check_statement_receipt(&self, input: &StatementReceiptInput) -> CoreResult<()> {
        if input.privacy_card_given && !self.policy.organisation().privacy_card {
            return Err(CoreError::invalid("privacy_card_given", NO_PRIVACY_CARD));
        }
        if !input.statement_given && !input.privacy_card_given {
            return Err(CoreError::invalid("statement_given", NOTHING_GIVEN));
        }
        if input.given_on > self.clock.today() {
            return Err(CoreError::invalid("given_on", IN_THE_FUTURE));
        }
        Ok(())
    }

    /// Records that the client was given the current privacy statement (and the card).
    pub async fn record_statement_receipt(
        &self,
        actor: &Actor,
        client: ClientId,
        input: StatementReceiptInput,
    ) -> CoreResult<StatementReceipt> {
        self.check_statement_receipt(&input)?;
        let (row, detail) = self.statement_receipt_row(actor, client, &input);
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::StatementReceipt,
                    Some(client),
                )
                .object_id(row.id)
                .detail(detail),
            )
            .await?;
        zv_store::statement_receipts::insert(&tx, &row).await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, receipt.id = %row.id, "privacy statement receipt recorded");
        Ok(self.receipt_of(row))
    }

    /// The row of a checked receipt and its audit detail: the version and the day, never
    /// anything of the client. Shared with the intake, which writes both in its own
    /// transaction.
    pub(crate) fn statement_receipt_row(
        &self,
        actor: &Actor,
        client: ClientId,
        input: &StatementReceiptInput,
    ) -> (StatementReceiptRow, String) {
        let version = self.policy.organisation().statement_version.clone();
        let detail = format!(
            "statement version {version:?} given on {}{}{}",
            input.given_on,
            if input.statement_given {
                "; statement"
            } else {
                ""
            },
            if input.privacy_card_given {
                "; privacy card"
            } else {
                ""
            },
        );
        let row = StatementReceiptRow {
            id: Uuid::now_v7(),
            client_id: client,
            statement_version: version,
            statement_given: input.statement_given,
            privacy_card_given: input.privacy_card_given,
            given_on: input.given_on,
            recorded_by: actor.user_id(),
            recorded_at: self.now(),
        };
        (row, detail)
    }

    /// The statements a client was given, oldest first (a recorded read).
    pub async fn statement_receipts(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<StatementReceipt>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(
                    AuditAction::Read,
                    AuditObject::StatementReceipt,
                    Some(client),
                )
                .object_id(client),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::statement_receipts::list_of_client(&tx, &auth, client).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| self.receipt_of(r)).collect())
    }

    /// The client's own receipts, in the portal (ORG-3): which versions they were given
    /// and when. Decided by the portal's own-dossier rule and recorded like every
    /// portal read.
    pub async fn portal_statement_receipts(
        &self,
        actor: &Actor,
    ) -> CoreResult<Vec<StatementReceipt>> {
        // A parent's or representative's account without a dossier of its own was
        // given no statement here.
        let Actor::Portal(crate::portal::PortalActor {
            client_id: Some(client),
            ..
        }) = actor
        else {
            return Err(CoreError::NotFound);
        };
        self.statement_receipts(actor, *client).await
    }

    fn receipt_of(&self, r: StatementReceiptRow) -> StatementReceipt {
        StatementReceipt {
            is_current: r.statement_version == self.policy.organisation().statement_version,
            id: r.id,
            client_id: r.client_id,
            statement_version: r.statement_version,
            statement_given: r.statement_given,
            privacy_card_given: r.privacy_card_given,
            given_on: r.given_on,
            recorded_by: r.recorded_by,
            recorded_at: r.recorded_at,
        }
    }
}
