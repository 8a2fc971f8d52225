//! Overdue requests escalate to the privacy officer (RTS-3): an in-app notice on the
//! queue (the request's `escalated_at`, shown until the request is closed) and an e-mail
//! through the outbox (decision 0009). It runs as a loop in `serve` and as
//! `zorgvuldig requests escalate`.
//!
//! Idempotent (decision 0015): each overdue request is escalated once. The mark and the
//! mail are written in one transaction, and the mark is set by a statement that changes
//! nothing when the request was marked already, so a second run, or two runs at once,
//! queue no second mail. Interrupted, a run leaves every request either escalated with
//! its mail queued, or not at all.
//!
//! The mail names the request by its reference and deadline only: no client, no request
//! text, nothing a reader of the mailbox learns about a person.

use std::time::Duration as StdDuration;

use chrono::NaiveDate;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_store::outbox::NewMail;

use super::{FiledStatus, Target};
use crate::app::App;
use crate::error::CoreResult;
use crate::gate::{Access, Actor};
use crate::mail::MailLanguage;

/// The kind of the mail that tells the privacy officer of an overdue request.
pub const KIND_REQUEST_OVERDUE: &str = "request-overdue";
/// The job's name in the audit log.
const JOB: &str = "request-escalation";
/// Requests looked at per run at most; the rest wait for the next run.
const BATCH: u64 = 1_000;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EscalationReport {
    /// Overdue requests escalated now (a notice and a mail each).
    pub escalated: u64,
    /// Overdue requests escalated by an earlier run, left alone.
    pub already: u64,
}

/// The mail's subject and plain-text body: reference and deadline, nothing personal.
fn render(
    language: MailLanguage,
    organisation: &str,
    reference: &str,
    deadline: NaiveDate,
    url: &str,
) -> (String, String) {
    let organisation: String = organisation
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let deadline = deadline.format("%d-%m-%Y");
    match language {
        MailLanguage::Nl => (
            format!("Verzoek {reference} is over de termijn ({organisation})"),
            format!(
                "De termijn van een verzoek over persoonsgegevens is verstreken.\n\
                 \n\
                 Kenmerk:  {reference}\n\
                 Termijn:  {deadline}\n\
                 \n\
                 Handel het verzoek af in Zorgvuldig: {url}\n\
                 \n\
                 Dit bericht noemt met opzet geen cliënt en geen inhoud; die leest u na het\n\
                 aanmelden. Dit is een automatisch bericht van Zorgvuldig.\n"
            ),
        ),
        MailLanguage::En => (
            format!("Request {reference} is overdue ({organisation})"),
            format!(
                "The deadline of a data subject request has passed.\n\
                 \n\
                 Reference:  {reference}\n\
                 Deadline:   {deadline}\n\
                 \n\
                 Handle the request in Zorgvuldig: {url}\n\
                 \n\
                 This message deliberately names no client and no content; read them after\n\
                 signing in. This is an automatic message from Zorgvuldig.\n"
            ),
        ),
    }
}

impl App {
    fn request_url(&self, id: Uuid) -> String {
        let path = format!("/privacy/verzoeken/{id}");
        match self.settings.base_url.as_deref().map(str::trim) {
            Some(base) if !base.is_empty() => format!("{}{path}", base.trim_end_matches('/')),
            _ => path,
        }
    }

    /// One run of the escalation: every open request past its deadline and not yet
    /// escalated gets its notice and its mail. Safe to run twice and to interrupt.
    pub async fn escalate_overdue_requests(
        &self,
        access_point: &str,
    ) -> CoreResult<EscalationReport> {
        let actor = Actor::System {
            job: JOB,
            access_point: access_point.to_owned(),
        };
        let tx = self.store.read_tx().await?;
        let open = zv_store::requests::open_requests(&tx, BATCH).await?;
        let ids: Vec<Uuid> = open.iter().map(|r| r.id).collect();
        let workflows = zv_store::requests::workflow_meta(&tx, &ids).await?;
        tx.commit().await?;
        let mut report = EscalationReport::default();
        for (r, w) in open.iter().zip(workflows) {
            let d = self.request_deadlines(r, &w);
            let (true, Some(deadline)) = (d.overdue, d.next) else {
                continue;
            };
            if r.status == FiledStatus::Closed.code() {
                continue;
            }
            if w.escalated_at.is_some() {
                report.already += 1;
                continue;
            }
            let tx = self
                .authorize_write(
                    &actor,
                    Access::new(
                        AuditAction::Update,
                        AuditObject::RightsRequest,
                        Some(r.client_id),
                    )
                    .target(Target::Request)
                    .object_id(r.id)
                    .purpose(Purpose::RightsRequest)
                    .detail(format!("escalated: overdue since {deadline}")),
                )
                .await?;
            let now = self.now();
            if !zv_store::requests::mark_escalated(&tx, r.id, now).await? {
                // Another run got there first: its mail is queued; this run's audit
                // event goes with the rolled-back transaction.
                report.already += 1;
                continue;
            }
            let (subject, body) = render(
                self.settings.mail_language,
                &self.policy.organisation().name,
                &r.reference,
                deadline,
                &self.request_url(r.id),
            );
            zv_store::outbox::enqueue(
                &tx,
                &NewMail {
                    id: Uuid::now_v7(),
                    recipient: self.policy.privacy_officer().email.clone(),
                    subject,
                    body,
                    kind: KIND_REQUEST_OVERDUE.to_owned(),
                    created_at: now,
                },
            )
            .await?;
            tx.commit().await?;
            report.escalated += 1;
        }
        Ok(report)
    }

    /// The escalation as a background job of `serve`: a run every `every`. A failing run
    /// is logged once until one succeeds again; nothing is lost, the next run catches up.
    pub async fn run_request_escalation(self, every: StdDuration) {
        crate::schedule::repeat(every, "request escalation", || async {
            Ok(self.escalate_overdue_requests("scheduler").await?.escalated)
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // promise: RTS-3
    #[test]
    fn the_mail_names_the_reference_and_the_deadline_only() {
        let deadline = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        let (subject, body) = render(
            MailLanguage::Nl,
            "LEVgroep",
            "VZ-2026-000001",
            deadline,
            "/privacy/verzoeken/x",
        );
        assert!(subject.contains("VZ-2026-000001"));
        assert!(body.contains("06-12-2026") && body.contains("/privacy/verzoeken/x"));
    }
}
