//! The register of processing activities (AVG art. 30, TRN-2), generated from the policy
//! file and the register of recipients, so that what the organisation declares and what
//! the software enforces cannot drift apart: the purposes and their categories are the
//! ones validated at start (DOS-5), the terms are the rules the sweep applies, the
//! recipients are the organisations a disclosure may go to, and the security figures are
//! the ones sign-in and the gate use.
//!
//! The register holds no personal data, so reading it is not an access to anyone's data
//! and is not an audit event; who may read it is decided by the access rules.

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, RecipientKind};
use zv_policy::{
    Contact, DataCategory, DataSubject, LegalBasis, Policy, Purpose, RetentionRule, Term,
};

pub use zv_documents::{ActivityDoc, CategoryDoc, ProcessingRegisterDoc};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;

/// The whole register, as of one day.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessingRegister {
    pub generated_on: NaiveDate,
    pub controller: Controller,
    pub privacy_officer: Contact,
    /// The version of the privacy statement the policy encodes (ORG-3).
    pub statement_version: String,
    pub statement_url: String,
    /// One processing activity per purpose, in the order of the policy.
    pub activities: Vec<Activity>,
    /// Every category of personal data held, with its purposes and terms (DOS-5).
    pub categories: Vec<CategoryLine>,
    pub security: SecurityFigures,
}

/// The controller (verwerkingsverantwoordelijke), art. 30(1)(a).
#[derive(Debug, Clone, Serialize)]
pub struct Controller {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub chamber_of_commerce: Option<String>,
    pub website: String,
}

/// One processing activity: a purpose with what is processed for it and who receives it.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// The statement's own words for the purpose.
    pub statement: String,
    pub legal_basis: LegalBasis,
    pub categories: Vec<DataCategory>,
    /// Whose data, from the categories.
    pub subjects: Vec<DataSubject>,
    pub recipients: Vec<RecipientGroup>,
    /// The recipients receive anonymised figures only (SHR-5).
    pub recipients_receive_anonymised_only: bool,
    /// Whether any recipient of this activity is outside the EEA. The register of
    /// recipients refuses such an organisation (SHR-2), so this is false unless the EEA
    /// list changed under a saved row; it is computed, not assumed.
    pub transfers_outside_eea: bool,
}

/// The organisations of one kind that receive data for an activity.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientGroup {
    pub kind: RecipientKind,
    pub organisations: Vec<RecipientName>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecipientName {
    pub name: String,
    pub country: String,
}

/// A category of personal data with its purposes and how long it is kept (art. 30(1)(f)).
#[derive(Debug, Clone, Serialize)]
pub struct CategoryLine {
    pub category: DataCategory,
    pub subjects: Vec<DataSubject>,
    /// Codes of the purposes it is processed for.
    pub purposes: Vec<String>,
    pub kept: Vec<Kept>,
}

/// How long a category is kept.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kept {
    /// By a retention rule of the policy; for dossier data, per service type.
    Rule {
        service: Option<ServiceScope>,
        rule: Box<RetentionRule>,
    },
    /// Until the trajectory closes (work notes, DOS-2).
    UntilTrajectoryCloses,
    /// While the contact is subscribed (newsletter contacts, NWS-1).
    WhileSubscribed,
    /// While the staff member works with the system.
    WhileAccountInUse,
    /// The access log's own term (ACC-7).
    AccessLog { term: Term },
}

/// The service type a dossier term applies to.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceScope {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// The term applies when domestic violence is involved (LEVgroep, RET-1).
    pub domestic_violence: bool,
}

/// The figures behind the security measures (art. 30(1)(g), SEC-1), from the policy.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SecurityFigures {
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub login_failures_before_backoff: u32,
    pub login_backoff_max_seconds: u32,
    pub emergency_access_max_hours: u32,
    pub access_grant_max_days: u32,
    pub audit_log_retention: Term,
}

impl App {
    /// The register of processing activities as of today (TRN-2).
    pub async fn processing_register(&self, actor: &Actor) -> CoreResult<ProcessingRegister> {
        if !self.capability(
            actor,
            AuditAction::Read,
            Target::Organisation(AuditObject::ProcessingRegister),
        )? {
            return Err(CoreError::NotAllowed(
                "the register of processing activities is for staff".into(),
            ));
        }
        let tx = self.store.read_tx().await?;
        let rows = zv_store::recipients::all(&tx).await?;
        tx.commit().await?;
        let recipients: Vec<(RecipientKind, RecipientName, bool)> = rows
            .iter()
            .filter(|r| r.retired_at.is_none())
            .filter_map(|r| {
                let kind = RecipientKind::from_code(&r.kind)?;
                Some((
                    kind,
                    RecipientName {
                        name: r.name.clone(),
                        country: r.country.clone(),
                    },
                    zv_policy::is_eea(&r.country),
                ))
            })
            .collect();
        Ok(build(&self.policy, &recipients, self.clock.today()))
    }
}

/// The worded register as a PDF. The words come from the caller (the web layer words it in
/// the reader's language), from a register [`App::processing_register`] allowed.
pub async fn render_pdf(
    doc: ProcessingRegisterDoc,
    language: zv_documents::Language,
) -> CoreResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || zv_documents::render_processing_register(&doc, language))
        .await
        .map_err(|e| CoreError::Internal(format!("rendering the register: {e}")))?
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// The worded register as CSV, one row per purpose and category.
pub fn render_csv(doc: &ProcessingRegisterDoc, header: [&str; 8]) -> CoreResult<Vec<u8>> {
    zv_documents::processing_register_csv(doc, header)
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// The register from the policy and the recipients in use (kind, name, in the EEA).
fn build(
    policy: &Policy,
    recipients: &[(RecipientKind, RecipientName, bool)],
    today: NaiveDate,
) -> ProcessingRegister {
    let o = policy.organisation();
    let s = policy.security();
    ProcessingRegister {
        generated_on: today,
        controller: Controller {
            name: o.name.clone(),
            legal_name: o.legal_name.clone(),
            address: o.address.clone(),
            chamber_of_commerce: o.chamber_of_commerce.clone(),
            website: o.website.clone(),
        },
        privacy_officer: policy.privacy_officer().clone(),
        statement_version: o.statement_version.clone(),
        statement_url: o.privacy_statement_url.clone(),
        activities: policy
            .purposes()
            .iter()
            .map(|p| activity(p, recipients))
            .collect(),
        categories: policy
            .data_categories()
            .into_iter()
            .map(|c| CategoryLine {
                category: c,
                subjects: c.subjects().to_vec(),
                purposes: policy.purposes_of(c).map(|p| p.code.clone()).collect(),
                kept: kept(policy, c),
            })
            .collect(),
        security: SecurityFigures {
            session_idle_minutes: s.session_idle_minutes,
            session_absolute_hours: s.session_absolute_hours,
            login_failures_before_backoff: s.login_failures_before_backoff,
            login_backoff_max_seconds: s.login_backoff_max_seconds,
            emergency_access_max_hours: s.emergency_access_max_hours,
            access_grant_max_days: s.access_grant_max_days,
            audit_log_retention: policy.audit().log_retention,
        },
    }
}

fn activity(p: &Purpose, recipients: &[(RecipientKind, RecipientName, bool)]) -> Activity {
    let mut subjects: Vec<DataSubject> = p
        .categories
        .iter()
        .flat_map(|c| c.subjects().iter().copied())
        .collect();
    subjects.sort_unstable();
    subjects.dedup();
    let of_kind = |kind: RecipientKind| recipients.iter().filter(move |(k, _, _)| *k == kind);
    Activity {
        code: p.code.clone(),
        name_nl: p.name_nl.clone(),
        name_en: p.name_en.clone(),
        statement: p.statement.clone(),
        legal_basis: p.legal_basis,
        categories: p.categories.clone(),
        subjects,
        recipients: p
            .recipients
            .iter()
            .map(|kind| RecipientGroup {
                kind: *kind,
                organisations: of_kind(*kind).map(|(_, n, _)| n.clone()).collect(),
            })
            .collect(),
        recipients_receive_anonymised_only: p.recipients_receive_anonymised_only,
        transfers_outside_eea: p
            .recipients
            .iter()
            .any(|kind| of_kind(*kind).any(|(_, _, in_eea)| !in_eea)),
    }
}

fn kept(policy: &Policy, category: DataCategory) -> Vec<Kept> {
    if category.kept_with_dossier() {
        let mut lines = Vec::new();
        for service in policy.service_types() {
            let scope = |domestic_violence| ServiceScope {
                code: service.code.clone(),
                name_nl: service.name_nl.clone(),
                name_en: service.name_en.clone(),
                domestic_violence,
            };
            if let Some(rule) = policy.retention_rule(&service.retention) {
                lines.push(Kept::Rule {
                    service: Some(scope(false)),
                    rule: Box::new(rule.clone()),
                });
            }
            if let Some(rule) = service
                .retention_if_domestic_violence
                .as_deref()
                .and_then(|code| policy.retention_rule(code))
            {
                lines.push(Kept::Rule {
                    service: Some(scope(true)),
                    rule: Box::new(rule.clone()),
                });
            }
        }
        return lines;
    }
    match category {
        DataCategory::WorkNotes => vec![Kept::UntilTrajectoryCloses],
        DataCategory::NewsletterContacts => vec![Kept::WhileSubscribed],
        DataCategory::StaffAccounts => vec![Kept::WhileAccountInUse],
        DataCategory::AccessLog => vec![Kept::AccessLog {
            term: policy.audit().log_retention,
        }],
        c => c
            .record_kind()
            .and_then(|kind| policy.record_retention_rule(kind))
            .map(|rule| Kept::Rule {
                service: None,
                rule: Box::new(rule.clone()),
            })
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policies() -> [Policy; 2] {
        [
            zv_policy::parse(include_str!("../../../policies/levgroep.toml")).unwrap(),
            zv_policy::parse(include_str!("../../../policies/blijfgroep.toml")).unwrap(),
        ]
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    // promise: DOS-5
    // promise: TRN-2
    #[test]
    fn every_category_has_a_purpose_and_a_term_and_every_service_is_listed() {
        for policy in policies() {
            let r = build(&policy, &[], day());
            assert_eq!(r.activities.len(), policy.purposes().len());
            for line in &r.categories {
                assert!(!line.purposes.is_empty(), "{:?}", line.category);
                assert!(!line.kept.is_empty(), "{:?} has no term", line.category);
                assert!(!line.subjects.is_empty(), "{:?}", line.category);
            }
            let dossier = r
                .categories
                .iter()
                .find(|l| l.category == DataCategory::Dossier)
                .unwrap();
            for service in policy.service_types() {
                assert!(
                    dossier.kept.iter().any(|k| matches!(
                        k,
                        Kept::Rule { service: Some(s), rule }
                            if s.code == service.code && !s.domestic_violence
                                && rule.code == service.retention
                    )),
                    "{} is not in the register",
                    service.code
                );
            }
            for record in policy.record_categories() {
                let line = r
                    .categories
                    .iter()
                    .find(|l| l.category == DataCategory::from(record.kind))
                    .unwrap();
                assert!(line.kept.iter().any(
                    |k| matches!(k, Kept::Rule { service: None, rule } if rule.code == record.retention)
                ));
            }
        }
    }

    // promise: TRN-2
    #[test]
    fn recipients_are_grouped_by_kind_and_a_row_outside_the_eea_is_a_transfer() {
        let [lev, _] = policies();
        let name = |n: &str, c: &str| RecipientName {
            name: n.into(),
            country: c.into(),
        };
        let r = build(
            &lev,
            &[
                (RecipientKind::VeiligThuis, name("Veilig Thuis", "NL"), true),
                (RecipientKind::Processor, name("Hosting", "DE"), true),
            ],
            day(),
        );
        let services = r
            .activities
            .iter()
            .find(|a| a.code == "dienstverlening")
            .unwrap();
        let kinds: Vec<_> = services.recipients.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds,
            [
                RecipientKind::CarePartner,
                RecipientKind::VeiligThuis,
                RecipientKind::Processor
            ]
        );
        assert_eq!(services.recipients[1].organisations[0].name, "Veilig Thuis");
        assert!(services.recipients[0].organisations.is_empty());
        assert!(!services.transfers_outside_eea);
        let r = build(
            &lev,
            &[(RecipientKind::Processor, name("Cloud", "US"), false)],
            day(),
        );
        let services = r
            .activities
            .iter()
            .find(|a| a.code == "dienstverlening")
            .unwrap();
        assert!(services.transfers_outside_eea);
        let newsletters = r
            .activities
            .iter()
            .find(|a| a.code == "nieuwsbrieven")
            .unwrap();
        assert!(!newsletters.transfers_outside_eea);
        assert_eq!(newsletters.subjects, [DataSubject::PartnerContacts]);
    }
}
