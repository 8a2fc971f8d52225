//! The register of outside organisations personal data may go to (SHR-1..3), kept by the
//! privacy officer: care partners, municipalities, Veilig Thuis, processors, auditors
//! and research institutes, each with its country. An organisation outside the EEA is
//! refused when it is saved and again whenever it is used (SHR-2): the EEA list lives in
//! the code, and a register row from before a change of that list must not slip through.
//! A processor works under a recorded processing agreement (SHR-3): the register warns
//! before one ends, and a disclosure to a processor without one in force is refused.
//!
//! The register holds no personal data, so reading it is not an access to any client's
//! data; changing it is recorded in the audit log under the privacy officer.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_store::recipients::{AgreementRow, RecipientRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::portability::{RecipientProblem, recipient_problems};

/// How long before a processing agreement ends the register warns (SHR-3): long enough
/// to renew a contract, short enough not to cry wolf.
pub const AGREEMENT_WARNING_DAYS: i64 = 60;
const REFERENCE_MAX_CHARS: usize = 100;
const CONTACT_MAX_CHARS: usize = 200;

pub use zv_domain::RecipientKind;

/// An organisation as the privacy officer enters it.
#[derive(Debug, Clone, Default)]
pub struct RecipientInput {
    pub name: String,
    pub country: String,
    pub kind: String,
    pub contact: Option<String>,
}

/// A processing agreement as the privacy officer enters it.
#[derive(Debug, Clone)]
pub struct AgreementInput {
    pub reference: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// Why a field was refused: the rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterProblem {
    Recipient(RecipientProblem),
    KindUnknown,
    ContactTooLong,
    ReferenceMissing,
    ReferenceTooLong,
    SignedInFuture,
    EndsBeforeStart,
}

impl RegisterProblem {
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::Recipient(p) => p.message(),
            Self::KindUnknown => "choose the kind of organisation",
            Self::ContactTooLong => "the contact is longer than 200 characters",
            Self::ReferenceMissing => "state the agreement's reference",
            Self::ReferenceTooLong => "the reference is longer than 100 characters",
            Self::SignedInFuture => "the signing date lies in the future",
            Self::EndsBeforeStart => "the agreement ends before it starts",
        }
    }
}

/// Every refused field of an organisation, with its rule. Empty when all are fine.
#[must_use]
pub fn recipient_input_problems(input: &RecipientInput) -> Vec<(&'static str, RegisterProblem)> {
    let mut out: Vec<(&'static str, RegisterProblem)> =
        recipient_problems(&input.name, &input.country)
            .into_iter()
            .map(|(field, p)| {
                let field = if field == "recipient_name" {
                    "name"
                } else {
                    "country"
                };
                (field, RegisterProblem::Recipient(p))
            })
            .collect();
    if RecipientKind::from_code(input.kind.trim()).is_none() {
        out.push(("kind", RegisterProblem::KindUnknown));
    }
    if input
        .contact
        .as_deref()
        .is_some_and(|c| c.trim().chars().count() > CONTACT_MAX_CHARS)
    {
        out.push(("contact", RegisterProblem::ContactTooLong));
    }
    out
}

/// Every refused field of an agreement, with its rule.
#[must_use]
pub fn agreement_input_problems(
    input: &AgreementInput,
    today: NaiveDate,
) -> Vec<(&'static str, RegisterProblem)> {
    let mut out = Vec::new();
    let reference = input.reference.trim();
    if reference.is_empty() {
        out.push(("reference", RegisterProblem::ReferenceMissing));
    } else if reference.chars().count() > REFERENCE_MAX_CHARS {
        out.push(("reference", RegisterProblem::ReferenceTooLong));
    }
    if input.signed_on > today {
        out.push(("signed_on", RegisterProblem::SignedInFuture));
    }
    if input.valid_until.is_some_and(|u| u < input.valid_from) {
        out.push(("valid_until", RegisterProblem::EndsBeforeStart));
    }
    out
}

fn first_problem(problems: &[(&'static str, RegisterProblem)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, p)) => Err(CoreError::invalid(field, p.message())),
        None => Ok(()),
    }
}

/// Where a processor's agreement stands on a day (SHR-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStanding {
    /// Not a processor: no agreement needed.
    NotNeeded,
    /// In force, not ending within the warning period.
    InForce,
    /// In force, but ending within [`AGREEMENT_WARNING_DAYS`].
    EndingSoon,
    /// None in force: disclosures to this processor are refused.
    Missing,
}

/// An agreement as the register shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    pub id: Uuid,
    pub reference: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub in_force: bool,
}

/// An organisation in the register with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientView {
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub kind: RecipientKind,
    pub contact: Option<String>,
    pub in_eea: bool,
    pub retired: bool,
    pub agreement: AgreementStanding,
    /// The last day of the agreement in force, when it has one.
    pub agreement_ends_on: Option<NaiveDate>,
    pub agreements: Vec<AgreementView>,
    /// Whether personal data may go here today: in the EEA, not retired, not a research
    /// institute, and a processor with an agreement in force.
    pub usable: bool,
}

fn in_force(a: &AgreementRow, on: NaiveDate) -> bool {
    a.valid_from <= on && a.valid_until.is_none_or(|u| on <= u)
}

fn standing_of(
    kind: RecipientKind,
    agreements: &[AgreementRow],
    on: NaiveDate,
) -> (AgreementStanding, Option<NaiveDate>) {
    if kind != RecipientKind::Processor {
        return (AgreementStanding::NotNeeded, None);
    }
    // The agreement that runs longest today decides.
    let running: Vec<&AgreementRow> = agreements.iter().filter(|a| in_force(a, on)).collect();
    if running.is_empty() {
        return (AgreementStanding::Missing, None);
    }
    if running.iter().any(|a| a.valid_until.is_none()) {
        return (AgreementStanding::InForce, None);
    }
    let ends = running.iter().filter_map(|a| a.valid_until).max();
    match ends {
        Some(end) if end - on <= Duration::days(AGREEMENT_WARNING_DAYS) => {
            (AgreementStanding::EndingSoon, Some(end))
        }
        _ => (AgreementStanding::InForce, ends),
    }
}

fn view(r: &RecipientRow, agreements: &[AgreementRow], on: NaiveDate) -> CoreResult<RecipientView> {
    let kind = RecipientKind::from_code(&r.kind)
        .ok_or_else(|| CoreError::Internal("recipient of an unknown kind".into()))?;
    let own: Vec<AgreementRow> = agreements
        .iter()
        .filter(|a| a.recipient_id == r.id)
        .cloned()
        .collect();
    let (agreement, agreement_ends_on) = standing_of(kind, &own, on);
    let in_eea = zv_policy::is_eea(&r.country);
    let retired = r.retired_at.is_some();
    Ok(RecipientView {
        id: r.id,
        name: r.name.clone(),
        country: r.country.clone(),
        kind,
        contact: r.contact.clone(),
        in_eea,
        retired,
        agreement,
        agreement_ends_on,
        agreements: own
            .iter()
            .map(|a| AgreementView {
                id: a.id,
                reference: a.reference.clone(),
                signed_on: a.signed_on,
                valid_from: a.valid_from,
                valid_until: a.valid_until,
                in_force: in_force(a, on),
            })
            .collect(),
        usable: in_eea
            && !retired
            && kind != RecipientKind::ResearchInstitute
            && agreement != AgreementStanding::Missing,
    })
}

/// Why personal data may not go to a recipient today (SHR-2, SHR-3), as the disclosure
/// refuses it.
pub(crate) fn unusable_reason(v: &RecipientView) -> Option<&'static str> {
    if !v.in_eea {
        Some("the recipient is outside the EEA: personal data is not sent there (SHR-2)")
    } else if v.retired {
        Some("the recipient was taken out of the register")
    } else if v.kind == RecipientKind::ResearchInstitute {
        Some("a research institute receives only anonymised data, never a client's personal data")
    } else if v.agreement == AgreementStanding::Missing {
        Some(
            "the processor has no processing agreement in force: nothing goes to it until one is recorded (SHR-3)",
        )
    } else {
        None
    }
}

/// One organisation with where it stands on `on`, read inside the caller's transaction.
pub(crate) async fn recipient_in(
    tx: &zv_store::Tx,
    id: Uuid,
    on: NaiveDate,
) -> CoreResult<Option<RecipientView>> {
    let Some(row) = zv_store::recipients::get(tx, id).await? else {
        return Ok(None);
    };
    let agreements = zv_store::recipients::agreements_of(tx, id).await?;
    view(&row, &agreements, on).map(Some)
}

impl App {
    fn register_access(action: AuditAction, id: Uuid, detail: &str) -> Access {
        Access::new(action, AuditObject::Recipient, None)
            .target(Target::Organisation(AuditObject::Recipient))
            .purpose(Purpose::Administration)
            .object_id(id)
            .detail(detail)
    }

    fn may_read_register(&self, actor: &Actor) -> CoreResult<()> {
        if self.capability(
            actor,
            AuditAction::Read,
            Target::Organisation(AuditObject::Recipient),
        )? {
            Ok(())
        } else {
            Err(CoreError::NotAllowed(
                "the register of recipients is for staff".into(),
            ))
        }
    }

    /// The whole register, with each organisation's standing today.
    pub async fn recipients(&self, actor: &Actor) -> CoreResult<Vec<RecipientView>> {
        self.may_read_register(actor)?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::recipients::all(&tx).await?;
        let agreements = zv_store::recipients::all_agreements(&tx).await?;
        tx.commit().await?;
        let today = self.clock.today();
        rows.iter().map(|r| view(r, &agreements, today)).collect()
    }

    /// One organisation of the register.
    pub async fn recipient(&self, actor: &Actor, id: Uuid) -> CoreResult<RecipientView> {
        self.may_read_register(actor)?;
        let tx = self.store.read_tx().await?;
        let v = recipient_in(&tx, id, self.clock.today()).await?;
        tx.commit().await?;
        v.ok_or(CoreError::NotFound)
    }

    /// Processors whose agreement ends within the warning period or is missing: the
    /// privacy officer's notice (SHR-3).
    pub async fn agreements_needing_attention(
        &self,
        actor: &Actor,
    ) -> CoreResult<Vec<RecipientView>> {
        Ok(self
            .recipients(actor)
            .await?
            .into_iter()
            .filter(|r| {
                !r.retired
                    && matches!(
                        r.agreement,
                        AgreementStanding::EndingSoon | AgreementStanding::Missing
                    )
            })
            .collect())
    }

    /// Adds an organisation to the register. Outside the EEA it is refused (SHR-2).
    pub async fn add_recipient(&self, actor: &Actor, input: RecipientInput) -> CoreResult<Uuid> {
        first_problem(&recipient_input_problems(&input))?;
        let by = actor.user_id().ok_or_else(|| {
            CoreError::NotAllowed("the privacy officer keeps the register".into())
        })?;
        let id = Uuid::now_v7();
        let kind = input.kind.trim().to_owned();
        let tx = self
            .authorize_write(
                actor,
                Self::register_access(AuditAction::Create, id, &format!("recipient: {kind}")),
            )
            .await?;
        zv_store::recipients::insert(
            &tx,
            &RecipientRow {
                id,
                name: input.name.trim().to_owned(),
                country: input.country.trim().to_ascii_uppercase(),
                kind,
                contact: clean(input.contact),
                created_by: by,
                created_at: self.now(),
                retired_at: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an organisation's details; the same rules as adding it.
    pub async fn update_recipient(
        &self,
        actor: &Actor,
        id: Uuid,
        input: RecipientInput,
    ) -> CoreResult<()> {
        first_problem(&recipient_input_problems(&input))?;
        let tx = self
            .authorize_write(
                actor,
                Self::register_access(AuditAction::Update, id, "recipient: details"),
            )
            .await?;
        let Some(old) = zv_store::recipients::get(&tx, id).await? else {
            return Err(CoreError::NotFound);
        };
        if old.retired_at.is_some() {
            return Err(CoreError::Conflict(
                "this organisation was taken out of the register".into(),
            ));
        }
        zv_store::recipients::update(
            &tx,
            &RecipientRow {
                name: input.name.trim().to_owned(),
                country: input.country.trim().to_ascii_uppercase(),
                kind: input.kind.trim().to_owned(),
                contact: clean(input.contact),
                ..old
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes an organisation out of use; what went to it stays on record.
    pub async fn retire_recipient(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        let by = actor.user_id().ok_or_else(|| {
            CoreError::NotAllowed("the privacy officer keeps the register".into())
        })?;
        let tx = self
            .authorize_write(
                actor,
                Self::register_access(AuditAction::Delete, id, "recipient: retired"),
            )
            .await?;
        if zv_store::recipients::get(&tx, id).await?.is_none() {
            return Err(CoreError::NotFound);
        }
        if !zv_store::recipients::retire(&tx, id, by, self.now()).await? {
            return Err(CoreError::Conflict(
                "this organisation was taken out of the register already".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a processor's processing agreement (SHR-3).
    pub async fn add_agreement(
        &self,
        actor: &Actor,
        recipient: Uuid,
        input: AgreementInput,
    ) -> CoreResult<Uuid> {
        first_problem(&agreement_input_problems(&input, self.clock.today()))?;
        let by = actor.user_id().ok_or_else(|| {
            CoreError::NotAllowed("the privacy officer keeps the register".into())
        })?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                Self::register_access(
                    AuditAction::Update,
                    recipient,
                    "recipient: processing agreement",
                ),
            )
            .await?;
        let Some(r) = zv_store::recipients::get(&tx, recipient).await? else {
            return Err(CoreError::NotFound);
        };
        if r.kind != RecipientKind::Processor.code() {
            return Err(CoreError::invalid(
                "reference",
                "only a processor works under a processing agreement",
            ));
        }
        zv_store::recipients::insert_agreement(
            &tx,
            &AgreementRow {
                id,
                recipient_id: recipient,
                reference: input.reference.trim().to_owned(),
                signed_on: input.signed_on,
                valid_from: input.valid_from,
                valid_until: input.valid_until,
                recorded_by: by,
                recorded_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl App {
    /// The demo's register: a care partner, the municipality, Veilig Thuis and a
    /// processor with an agreement that ends within the warning period, added as the
    /// demo privacy officer `officer` would (each change recorded).
    pub(crate) async fn demo_recipients(&self, officer: &str) -> CoreResult<()> {
        let tx = self.store.read_tx().await?;
        let by = zv_store::staff::find_by_username(&tx, officer)
            .await?
            .ok_or_else(|| CoreError::Internal("demo privacy officer missing".into()))?;
        tx.commit().await?;
        let actor = Actor::Staff(self.staff_actor_of(by, "demo"));
        let municipality = self
            .policy()
            .branches()
            .first()
            .and_then(|b| b.municipalities.first())
            .map_or_else(|| "Gemeente".to_owned(), |m| format!("Gemeente {m}"));
        for (name, kind) in [
            (
                "Huisartsenpraktijk De Linde".to_owned(),
                RecipientKind::CarePartner,
            ),
            (municipality, RecipientKind::Municipality),
            ("Veilig Thuis".to_owned(), RecipientKind::VeiligThuis),
            (
                "Archiefdiensten Nederland BV".to_owned(),
                RecipientKind::Processor,
            ),
        ] {
            let id = self
                .add_recipient(
                    &actor,
                    RecipientInput {
                        name,
                        country: "NL".into(),
                        kind: kind.code().into(),
                        contact: None,
                    },
                )
                .await?;
            if kind == RecipientKind::Processor {
                let today = self.clock.today();
                self.add_agreement(
                    &actor,
                    id,
                    AgreementInput {
                        reference: "VWO-DEMO-1".into(),
                        signed_on: today - Duration::days(300),
                        valid_from: today - Duration::days(300),
                        valid_until: Some(today + Duration::days(45)),
                    },
                )
                .await?;
            }
        }
        Ok(())
    }
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn agreement(from: &str, until: Option<&str>) -> AgreementRow {
        AgreementRow {
            id: Uuid::nil(),
            recipient_id: Uuid::nil(),
            reference: "VWO-1".into(),
            signed_on: d(from),
            valid_from: d(from),
            valid_until: until.map(d),
            recorded_by: zv_domain::UserId::from_uuid(Uuid::nil()),
            recorded_at: chrono::Utc::now(),
        }
    }

    // promise: SHR-3
    #[test]
    fn a_processor_needs_an_agreement_in_force_and_is_warned_before_it_ends() {
        let on = d("2026-12-02");
        let p = RecipientKind::Processor;
        assert_eq!(standing_of(p, &[], on).0, AgreementStanding::Missing);
        assert_eq!(
            standing_of(p, &[agreement("2025-01-01", Some("2026-12-01"))], on).0,
            AgreementStanding::Missing
        );
        assert_eq!(
            standing_of(p, &[agreement("2027-01-01", None)], on).0,
            AgreementStanding::Missing
        );
        assert_eq!(
            standing_of(p, &[agreement("2025-01-01", Some("2027-01-31"))], on),
            (AgreementStanding::EndingSoon, Some(d("2027-01-31")))
        );
        assert_eq!(
            standing_of(p, &[agreement("2025-01-01", Some("2027-06-30"))], on).0,
            AgreementStanding::InForce
        );
        assert_eq!(
            standing_of(
                p,
                &[
                    agreement("2025-01-01", Some("2027-01-31")),
                    agreement("2026-11-01", None)
                ],
                on
            )
            .0,
            AgreementStanding::InForce
        );
        assert_eq!(
            standing_of(RecipientKind::CarePartner, &[], on).0,
            AgreementStanding::NotNeeded
        );
    }

    // promise: SHR-2
    #[test]
    fn the_register_refuses_a_country_outside_the_eea_field_by_field() {
        let mut input = RecipientInput {
            name: "Zorgpartner".into(),
            country: "CH".into(),
            kind: "care_partner".into(),
            contact: None,
        };
        assert_eq!(
            recipient_input_problems(&input),
            vec![(
                "country",
                RegisterProblem::Recipient(RecipientProblem::CountryOutsideEea)
            )]
        );
        input.country = "GB".into();
        assert!(!recipient_input_problems(&input).is_empty());
        input.country = "NO".into();
        assert!(recipient_input_problems(&input).is_empty());
        input.kind = "friend".into();
        assert_eq!(
            recipient_input_problems(&input),
            vec![("kind", RegisterProblem::KindUnknown)]
        );
    }
}
