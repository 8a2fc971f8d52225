//! The access rules: the Cedar policy set under `access/` (one file per promise group),
//! parsed and validated against its schema once, and asked at the gate for every access.
//!
//! The gate supplies the facts: who acts (roles, disabled, confidentiality statement),
//! what kind of data (a [`Target`]), and the actor's [`Standing`] towards it, computed from
//! assignments and grants in the database. Entities are built natively per request
//! (ARCHITECTURE: never from JSON). Each decision names the rules that made it; their ids
//! (the `@id` annotations) go into the audit event. A refusal that no rule names is
//! "nobody else" (ACC-7).

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::LazyLock;

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, Entity, EntityId, EntityTypeName,
    EntityUid, PolicyId, PolicySet, Request, RestrictedExpression, Schema, ValidationMode,
    Validator,
};
use zv_domain::{AuditAction, AuditObject, Purpose, Role, UserId};
use zv_policy::AgeBand;

use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;

const SCHEMA: &str = include_str!("../../../access/schema.cedarschema");
const RULE_FILES: &[(&str, &str)] = &[
    (
        "acc1_assigned_workers",
        include_str!("../../../access/acc1_assigned_workers.cedar"),
    ),
    (
        "acc2_services_overview",
        include_str!("../../../access/acc2_services_overview.cedar"),
    ),
    (
        "acc3_complaints",
        include_str!("../../../access/acc3_complaints.cedar"),
    ),
    (
        "acc4_quality_review",
        include_str!("../../../access/acc4_quality_review.cedar"),
    ),
    (
        "acc5_administration",
        include_str!("../../../access/acc5_administration.cedar"),
    ),
    (
        "acc6_substitutes",
        include_str!("../../../access/acc6_substitutes.cedar"),
    ),
    (
        "acc7_acc8_never",
        include_str!("../../../access/acc7_acc8_never.cedar"),
    ),
    (
        "por1_portal",
        include_str!("../../../access/por1_portal.cedar"),
    ),
    (
        "por3_access_log",
        include_str!("../../../access/por3_access_log.cedar"),
    ),
    (
        "min_minors",
        include_str!("../../../access/min_minors.cedar"),
    ),
    (
        "por2_withholding",
        include_str!("../../../access/por2_withholding.cedar"),
    ),
    (
        "por4_requests",
        include_str!("../../../access/por4_requests.cedar"),
    ),
    (
        "rts4_access_copy",
        include_str!("../../../access/rts4_access_copy.cedar"),
    ),
    (
        "rts1_requests",
        include_str!("../../../access/rts1_requests.cedar"),
    ),
    (
        "rts7_restriction",
        include_str!("../../../access/rts7_restriction.cedar"),
    ),
    (
        "rts6_erasure",
        include_str!("../../../access/rts6_erasure.cedar"),
    ),
    (
        "shr1_consents",
        include_str!("../../../access/shr1_consents.cedar"),
    ),
    (
        "shr_disclosures",
        include_str!("../../../access/shr_disclosures.cedar"),
    ),
    (
        "mld1_meldcode",
        include_str!("../../../access/mld1_meldcode.cedar"),
    ),
    (
        "ret5_keep_longer",
        include_str!("../../../access/ret5_keep_longer.cedar"),
    ),
    (
        "ret6_destruction_register",
        include_str!("../../../access/ret6_destruction_register.cedar"),
    ),
    (
        "nws1_newsletters",
        include_str!("../../../access/nws1_newsletters.cedar"),
    ),
    (
        "cam1_cameras",
        include_str!("../../../access/cam1_cameras.cedar"),
    ),
    (
        "grp_group_activities",
        include_str!("../../../access/grp_group_activities.cedar"),
    ),
    (
        "ret3_correspondence",
        include_str!("../../../access/ret3_correspondence.cedar"),
    ),
    (
        "trn2_processing_register",
        include_str!("../../../access/trn2_processing_register.cedar"),
    ),
    (
        "trn2_privacy_statement",
        include_str!("../../../access/trn2_privacy_statement.cedar"),
    ),
    (
        "ret2_personnel",
        include_str!("../../../access/ret2_personnel.cedar"),
    ),
    (
        "trn3_data_breaches",
        include_str!("../../../access/trn3_data_breaches.cedar"),
    ),
    (
        "shr5_municipality_reports",
        include_str!("../../../access/shr5_municipality_reports.cedar"),
    ),
    (
        "shr5_training_export",
        include_str!("../../../access/shr5_training_export.cedar"),
    ),
];

/// The rule id recorded when no rule permits: ACC-7, nobody else.
pub const NOBODY_ELSE: &str = "acc7-nobody-else";

/// Which kind of data an access concerns, with the facts the rules need about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    ServicesOverview,
    Dossier,
    Entry {
        special_category: bool,
    },
    Bsn,
    WorkNote {
        author: UserId,
    },
    Attachment,
    Complaint,
    Intake,
    ClientSearch,
    Assignment,
    Review,
    /// A client's portal account and its invitations (POR-1).
    PortalAccess,
    /// A client's own view of the access log of their data (POR-3).
    AccessLog,
    /// A client's address, decided on its own when confidential (a shelter).
    Address {
        confidential: bool,
    },
    /// A caseworker's record that a parent may not read the child's dossier (MIN-2).
    ParentBlock,
    /// A young person's consent that a parent reads their dossier (MIN-3).
    YouthConsent,
    /// What a legal representative of an adult may act in (MIN-4).
    Mandate,
    /// A parent's or representative's own record in the client's file.
    PersonRecord,
    /// For whom a parent's or representative's portal account reads.
    PortalLink,
    /// A part of a dossier withheld from the client (POR-2).
    Withholding,
    /// The privacy officer's review of withholdings (POR-2).
    WithholdingReview,
    /// A rights request or complaint a client filed (POR-4).
    Request,
    /// A freeze of processing and its notice and lift (RTS-7, RTS-9, RTS-10).
    ProcessingStop,
    /// The privacy officer's balancing of an objection (RTS-9).
    ObjectionDecision,
    /// A registered withdrawal of consent (RTS-10).
    ConsentWithdrawal,
    /// A correction of the client's factual data (RTS-5).
    Rectification,
    /// A consent in the consent register, and its withdrawal (SHR-1, RTS-10).
    Consent,
    /// The meldcode workflow on a trajectory and its steps (MLD-1).
    Meldcode,
    /// Personal data disclosed to an outside organisation, its notice to the client and
    /// the review of a safety reason (SHR-1, SHR-4).
    Disclosure,
    /// The privacy officer's review of a safety reason not to tell the client (SHR-4).
    DisclosureReview,
    /// A dossier's term: its extension and holds, and the destruction schedule (RET-5).
    Retention,
    /// Organisation-wide records; the object names which.
    Organisation(AuditObject),
}

/// The record category (RET-2) an organisation-wide object belongs to, when the policy
/// names the roles that keep it.
#[must_use]
pub const fn record_kind_of(object: AuditObject) -> Option<zv_policy::RecordKind> {
    use zv_policy::RecordKind as K;
    match object {
        AuditObject::Vacancy | AuditObject::Applicant => Some(K::Applicants),
        AuditObject::StaffRecord => Some(K::StaffRecords),
        AuditObject::StaffIdCopy => Some(K::StaffIdCopies),
        AuditObject::FinancialRecord => Some(K::FinancialRecords),
        _ => None,
    }
}

impl Target {
    /// The usual target for an audit object; callers refine entries and work notes.
    #[must_use]
    pub fn of(object: AuditObject) -> Self {
        match object {
            AuditObject::ServicesOverview => Self::ServicesOverview,
            AuditObject::Bsn => Self::Bsn,
            AuditObject::Entry => Self::Entry {
                special_category: false,
            },
            // A work note of nobody in particular: only its author's own pass (DOS-2).
            AuditObject::WorkNote => Self::WorkNote {
                author: UserId::from_uuid(uuid::Uuid::nil()),
            },
            AuditObject::Attachment => Self::Attachment,
            AuditObject::Complaint => Self::Complaint,
            AuditObject::ClientSearch => Self::ClientSearch,
            AuditObject::AccessGrant => Self::Assignment,
            AuditObject::PortalAccount => Self::PortalAccess,
            // The strict reading unless the caller knows better.
            AuditObject::Address => Self::Address { confidential: true },
            AuditObject::ParentBlock => Self::ParentBlock,
            AuditObject::YouthConsent => Self::YouthConsent,
            AuditObject::Mandate => Self::Mandate,
            AuditObject::Withholding => Self::Withholding,
            AuditObject::RightsRequest => Self::Request,
            AuditObject::ProcessingStop => Self::ProcessingStop,
            AuditObject::ObjectionDecision => Self::ObjectionDecision,
            AuditObject::ConsentWithdrawal => Self::ConsentWithdrawal,
            AuditObject::Rectification => Self::Rectification,
            AuditObject::Consent => Self::Consent,
            AuditObject::Disclosure => Self::Disclosure,
            AuditObject::Meldcode => Self::Meldcode,
            AuditObject::RetentionTerm => Self::Retention,
            AuditObject::ClientProfile
            | AuditObject::StatementReceipt
            | AuditObject::RelatedPerson
            | AuditObject::Trajectory
            | AuditObject::GoalProgress
            | AuditObject::Destruction => Self::Dossier,
            AuditObject::UserAccount
            | AuditObject::KeyRing
            | AuditObject::Backup
            | AuditObject::AuditLog
            | AuditObject::ApiToken
            | AuditObject::Recipient
            | AuditObject::DestructionRegister
            | AuditObject::NewsletterContact
            | AuditObject::CameraRegister
            | AuditObject::CameraImage
            | AuditObject::GroupActivity
            | AuditObject::ActivityMedia
            | AuditObject::Correspondence
            | AuditObject::ProcessingRegister
            | AuditObject::StatementVersion
            | AuditObject::Vacancy
            | AuditObject::Applicant
            | AuditObject::StaffRecord
            | AuditObject::StaffIdCopy
            | AuditObject::FinancialRecord
            | AuditObject::DataBreach
            | AuditObject::DataBreachReport
            | AuditObject::MunicipalityReport
            | AuditObject::TrainingExport => Self::Organisation(object),
        }
    }

    fn entity_type(self) -> &'static str {
        match self {
            Self::ServicesOverview => "Zv::ServicesOverview",
            Self::Dossier => "Zv::Dossier",
            Self::Entry { .. } => "Zv::Entry",
            Self::Bsn => "Zv::Bsn",
            Self::WorkNote { .. } => "Zv::WorkNote",
            Self::Attachment => "Zv::Attachment",
            Self::Complaint => "Zv::Complaint",
            Self::Intake => "Zv::Intake",
            Self::ClientSearch => "Zv::ClientSearch",
            Self::Assignment => "Zv::Assignment",
            Self::Review => "Zv::Review",
            Self::PortalAccess => "Zv::PortalAccess",
            Self::AccessLog => "Zv::AccessLog",
            Self::Address { .. } => "Zv::Address",
            Self::ParentBlock => "Zv::ParentBlock",
            Self::YouthConsent => "Zv::YouthConsent",
            Self::Mandate => "Zv::Mandate",
            Self::PersonRecord => "Zv::PersonRecord",
            Self::PortalLink => "Zv::PortalLink",
            Self::Withholding => "Zv::Withholding",
            Self::WithholdingReview => "Zv::WithholdingReview",
            Self::Request => "Zv::Request",
            Self::ProcessingStop => "Zv::ProcessingStop",
            Self::ObjectionDecision => "Zv::ObjectionDecision",
            Self::ConsentWithdrawal => "Zv::ConsentWithdrawal",
            Self::Rectification => "Zv::Rectification",
            Self::Consent => "Zv::Consent",
            Self::Meldcode => "Zv::Meldcode",
            Self::Disclosure => "Zv::Disclosure",
            Self::DisclosureReview => "Zv::DisclosureReview",
            Self::Retention => "Zv::Retention",
            Self::Organisation(_) => "Zv::Organisation",
        }
    }
}

/// The actor's standing towards the data, from the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub assigned: bool,
    pub complaint: bool,
    pub quality_review: bool,
    /// The absent worker the actor stands in for, while a delegation runs.
    pub substitute_for: Option<UserId>,
    pub emergency: bool,
    pub leads_team: bool,
    /// A member of the team the access names (a group activity's team, GRP-1).
    pub in_team: bool,
    /// The policy names one of the actor's roles for the record category the access
    /// concerns (RET-2: HR, finance).
    pub named_by_policy: bool,
    /// The data is the acting portal account holder's own (POR-1).
    pub own_data: bool,
    /// How a portal account holder stands to the client (MIN-1..4).
    pub relation: Relation,
    /// The client's age band on the day of the request, where the rules need it (MIN-4).
    pub age_band: Option<AgeBand>,
    /// A caseworker recorded that this parent may not read (MIN-2).
    pub parent_blocked: bool,
    /// The young person consented that this parent reads (MIN-3).
    pub youth_consent: bool,
    /// A representative's running mandate covers the data (MIN-4).
    pub mandate_covers: bool,
    /// The data is dated before the day the parent's authority began.
    pub before_authority: bool,
    /// The day the parent's authority began: not a fact of the rules itself, but what
    /// the gate compares each item's date with to set `before_authority`.
    pub authority_since: Option<chrono::NaiveDate>,
    /// The trajectory the access names is frozen (RTS-7, RTS-9, RTS-10).
    pub frozen: bool,
}

/// How a portal account holder stands to a client (MIN-1..4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Not a portal account's relation (staff, or no link at all).
    #[default]
    None,
    /// The client themselves.
    Client,
    /// A parent with authority or a guardian of the client.
    Parent,
    /// A legal representative (curator, mentor) of an adult client.
    Representative,
    /// A parent without authority, a child or other family member.
    Other,
}

impl Relation {
    /// As the rules name it (`context.relation`).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Client => "self",
            Self::Parent => "parent",
            Self::Representative => "representative",
            Self::Other => "other",
        }
    }

    /// The relation a related person's record gives in the portal.
    #[must_use]
    pub const fn of(kind: zv_domain::RelationKind) -> Self {
        use zv_domain::RelationKind as K;
        match kind {
            K::ParentWithAuthority | K::Guardian => Self::Parent,
            K::LegalRepresentative => Self::Representative,
            K::ParentWithoutAuthority | K::Child | K::FamilyMember => Self::Other,
        }
    }
}

/// An age band as the rules name it (`context.age_band`).
#[must_use]
pub const fn age_band_code(band: Option<AgeBand>) -> &'static str {
    match band {
        None => "unknown",
        Some(AgeBand::UnderOwnAccess) => "under_own_access",
        Some(AgeBand::Consultative) => "consultative",
        Some(AgeBand::Independent) => "independent",
        Some(AgeBand::Adult) => "adult",
    }
}

impl Standing {
    /// The standing towards one item of the data, by the item's date (an entry's day):
    /// a parent's access does not reach what is dated before their authority began.
    #[must_use]
    pub fn for_date(mut self, dated: Option<chrono::NaiveDate>) -> Self {
        self.before_authority = self.relation == Relation::Parent
            && matches!((dated, self.authority_since), (Some(d), Some(since)) if d < since);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub rule_ids: Vec<String>,
    /// The ground of the access, from the rule that permitted it (NEN 7513 purpose).
    pub purpose: Option<Purpose>,
    /// For a substitute: the worker on whose behalf (NEN 7513 "namens").
    pub on_behalf_of: Option<UserId>,
}

impl Decision {
    /// An event recorded without a decision about client data (the rule names why).
    #[must_use]
    pub fn recorded(rule: &str) -> Self {
        Self {
            allowed: true,
            rule_ids: vec![rule.to_owned()],
            purpose: None,
            on_behalf_of: None,
        }
    }
}

/// The parsed and validated policy set.
pub struct Rules {
    policies: PolicySet,
    ids: HashMap<PolicyId, String>,
    authorizer: Authorizer,
    /// Decisions already taken. The rules are fixed for the life of the process and a
    /// decision depends only on what [`MemoKey`] holds, so a page that asks the same
    /// question for every request pays for Cedar once.
    memo: std::sync::Mutex<HashMap<MemoKey, Decision>>,
}

/// Everything a decision depends on. The rules look at the principal only through its
/// roles and two flags, and at a work note's author only to compare it with the
/// principal; the key keeps exactly that.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MemoKey {
    who: Who,
    action: AuditAction,
    target: Target,
    own_work_note: bool,
    standing: [bool; 9],
    /// The minors facts (MIN-1..4).
    minors: (Relation, Option<AgeBand>, [bool; 4]),
    /// The trajectory is frozen (RTS-7).
    frozen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Who {
    System(&'static str),
    Staff {
        roles: Vec<Role>,
        disabled: bool,
        signed: bool,
    },
    /// A client's portal account: the rules look only at its standing.
    Portal,
}

/// The memo stays small (roles × actions × targets × standings); past this it is
/// cleared rather than grown, as a guard.
const MEMO_LIMIT: usize = 4_096;

impl MemoKey {
    fn of(actor: &Actor, action: AuditAction, target: Target, standing: &Standing) -> Self {
        let (who, me) = match actor {
            Actor::System { job, .. } => (Who::System(job), None),
            Actor::Portal(_) => (Who::Portal, None),
            Actor::Staff(s) => {
                let mut roles = s.roles.clone();
                roles.sort_unstable();
                roles.dedup();
                (
                    Who::Staff {
                        roles,
                        disabled: s.disabled,
                        signed: s.confidentiality_signed,
                    },
                    Some(s.user_id),
                )
            }
        };
        let (target, own_work_note) = match target {
            Target::WorkNote { author } => (
                Target::WorkNote {
                    author: UserId::from_uuid(uuid::Uuid::nil()),
                },
                Some(author) == me,
            ),
            other => (other, false),
        };
        Self {
            who,
            action,
            target,
            own_work_note,
            standing: [
                standing.assigned,
                standing.complaint,
                standing.quality_review,
                standing.substitute_for.is_some(),
                standing.emergency,
                standing.leads_team,
                standing.own_data,
                standing.in_team,
                standing.named_by_policy,
            ],
            minors: (
                standing.relation,
                standing.age_band,
                [
                    standing.parent_blocked,
                    standing.youth_consent,
                    standing.mandate_covers,
                    standing.before_authority,
                ],
            ),
            frozen: standing.frozen,
        }
    }
}

static RULES: LazyLock<Result<Rules, String>> = LazyLock::new(Rules::load);

/// The rules, parsed and validated on first use.
pub fn rules() -> CoreResult<&'static Rules> {
    RULES
        .as_ref()
        .map_err(|e| CoreError::Internal(format!("access rules: {e}")))
}

impl Rules {
    fn load() -> Result<Self, String> {
        let (schema, _) =
            Schema::from_cedarschema_str(SCHEMA).map_err(|e| format!("schema: {e}"))?;
        let mut policies = PolicySet::new();
        let mut ids = HashMap::new();
        for (file, text) in RULE_FILES {
            let set = PolicySet::from_str(text).map_err(|e| format!("{file}: {e}"))?;
            for policy in set.policies() {
                let id = policy
                    .annotation("id")
                    .ok_or_else(|| format!("{file}: a rule without @id"))?
                    .to_owned();
                let pid = PolicyId::new(&id);
                if ids.insert(pid.clone(), id.clone()).is_some() {
                    return Err(format!("{file}: rule id {id} used twice"));
                }
                policies
                    .add(policy.new_id(pid))
                    .map_err(|e| format!("{file}: {e}"))?;
            }
        }
        let validation = Validator::new(schema).validate(&policies, ValidationMode::Strict);
        if !validation.validation_passed() {
            let errors: Vec<String> = validation
                .validation_errors()
                .map(ToString::to_string)
                .collect();
            return Err(format!(
                "rules do not match the schema: {}",
                errors.join("; ")
            ));
        }
        Ok(Self {
            policies,
            ids,
            authorizer: Authorizer::new(),
            memo: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// Every rule id, for documentation and tests.
    #[must_use]
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.ids.values().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Decides one access.
    pub fn decide(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: Target,
        standing: &Standing,
    ) -> CoreResult<Decision> {
        let key = MemoKey::of(actor, action, target, standing);
        let known = self.memo().get(&key).cloned();
        let mut decision = match known {
            Some(d) => d,
            None => {
                let d = self.evaluate(actor, action, target, standing)?;
                let mut memo = self.memo();
                if memo.len() >= MEMO_LIMIT {
                    memo.clear();
                }
                memo.insert(key, d.clone());
                d
            }
        };
        decision.on_behalf_of =
            if decision.allowed && decision.purpose == Some(Purpose::Substitution) {
                standing.substitute_for
            } else {
                None
            };
        Ok(decision)
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<MemoKey, Decision>> {
        // Inserts and clears are whole operations; a poisoned map is still sound.
        self.memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks Cedar.
    fn evaluate(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: Target,
        standing: &Standing,
    ) -> CoreResult<Decision> {
        let (principal, mut entities) = principal_entities(actor)?;
        let resource = uid(target.entity_type(), "this")?;
        entities.push(resource_entity(resource.clone(), target)?);
        // RTS-7: the trajectory with its freeze, as the rules read it.
        let trajectory = uid("Zv::Trajectory", "this")?;
        entities.push(
            Entity::new(
                trajectory.clone(),
                HashMap::from([("frozen".to_owned(), bool_expr(standing.frozen))]),
                HashSet::new(),
            )
            .map_err(|e| CoreError::Internal(format!("access trajectory: {e}")))?,
        );
        let entities = Entities::from_entities(entities, None)
            .map_err(|e| CoreError::Internal(format!("access entities: {e}")))?;
        let context = Context::from_pairs([
            ("assigned".to_owned(), bool_expr(standing.assigned)),
            ("complaint".to_owned(), bool_expr(standing.complaint)),
            (
                "quality_review".to_owned(),
                bool_expr(standing.quality_review),
            ),
            (
                "substitute".to_owned(),
                bool_expr(standing.substitute_for.is_some()),
            ),
            ("emergency".to_owned(), bool_expr(standing.emergency)),
            ("leads_team".to_owned(), bool_expr(standing.leads_team)),
            ("in_team".to_owned(), bool_expr(standing.in_team)),
            (
                "named_by_policy".to_owned(),
                bool_expr(standing.named_by_policy),
            ),
            ("own_data".to_owned(), bool_expr(standing.own_data)),
            (
                "relation".to_owned(),
                RestrictedExpression::new_string(standing.relation.code().to_owned()),
            ),
            (
                "age_band".to_owned(),
                RestrictedExpression::new_string(age_band_code(standing.age_band).to_owned()),
            ),
            (
                "parent_blocked".to_owned(),
                bool_expr(standing.parent_blocked),
            ),
            (
                "youth_consent".to_owned(),
                bool_expr(standing.youth_consent),
            ),
            (
                "mandate_covers".to_owned(),
                bool_expr(standing.mandate_covers),
            ),
            (
                "before_authority".to_owned(),
                bool_expr(standing.before_authority),
            ),
            (
                "trajectory".to_owned(),
                RestrictedExpression::new_entity_uid(trajectory),
            ),
        ])
        .map_err(|e| CoreError::Internal(format!("access context: {e}")))?;
        let request = Request::new(
            principal,
            uid("Zv::Action", action_name(action))?,
            resource,
            context,
            None,
        )
        .map_err(|e| CoreError::Internal(format!("access request: {e}")))?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &entities);
        if response.diagnostics().errors().next().is_some() {
            // A rule that errors is skipped by Cedar; for a privacy rule that would be a
            // silent gap, so it is an internal error instead.
            let errors: Vec<String> = response
                .diagnostics()
                .errors()
                .map(ToString::to_string)
                .collect();
            return Err(CoreError::Internal(format!(
                "access rule failed: {}",
                errors.join("; ")
            )));
        }
        let mut rule_ids: Vec<String> = response
            .diagnostics()
            .reason()
            .filter_map(|p| self.ids.get(p).cloned())
            .collect();
        rule_ids.sort_unstable();
        let allowed = response.decision() == CedarDecision::Allow;
        if !allowed && rule_ids.is_empty() {
            rule_ids.push(NOBODY_ELSE.to_owned());
        }
        let purpose = allowed.then(|| purpose_of(&rule_ids)).flatten();
        let on_behalf_of = if allowed && purpose == Some(Purpose::Substitution) {
            standing.substitute_for
        } else {
            None
        };
        Ok(Decision {
            allowed,
            rule_ids,
            purpose,
            on_behalf_of,
        })
    }
}

/// The ground of a permitted access: the strongest tie wins (one's own caseload before a
/// grant; a grant before breaking the glass), so an emergency is recorded as one only
/// when nothing else allowed it.
fn purpose_of(rule_ids: &[String]) -> Option<Purpose> {
    let has = |id: &str| rule_ids.iter().any(|r| r == id);
    if has("acc1-assigned-worker") {
        Some(Purpose::Care)
    } else if has("por1-own-dossier")
        || has("por1-own-address")
        || has("min-own-record")
        || has("min3-young-person-decides")
        || has("shr1-own-consents")
    {
        Some(Purpose::OwnAccess)
    } else if has("min1-parent-reads-child-under-12")
        || has("min2-parent-reads-unless-blocked")
        || has("min3-parent-reads-with-consent")
        || has("min4-representative-within-mandate")
        || has("min-linked-dossier-listed")
        || has("shr1-parent-consents")
    {
        Some(Purpose::RepresentativeAccess)
    } else if has("acc6-substitute") {
        Some(Purpose::Substitution)
    } else if has("acc3-complaint-grant") || has("acc3-register-complaint") {
        Some(Purpose::Complaint)
    } else if has("acc4-quality-review") || has("acc4-start-review") {
        Some(Purpose::QualityReview)
    } else if has("acc5-emergency-access") || has("acc5-break-the-glass") {
        Some(Purpose::Emergency)
    } else if has("acc5-administration")
        || has("acc7-privacy-officer-audit")
        || has("min2-privacy-officer-reviews-blocks")
    {
        Some(Purpose::Administration)
    } else if has("por4-client-files-requests") {
        Some(Purpose::OwnAccess)
    } else if has("por4-privacy-officer-sees-requests")
        || has("rts7-privacy-officer-freezes")
        || has("rts9-privacy-officer-decides-objections")
        || has("rts5-rts10-privacy-officer")
    {
        Some(Purpose::RightsRequest)
    } else if has("por2-privacy-officer-reviews") {
        // Like the review of a parent's block (MIN-2): supervision, not care.
        Some(Purpose::Administration)
    } else {
        None
    }
}

fn action_name(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Read | AuditAction::SignIn | AuditAction::SignOut => "read",
        AuditAction::Create => "create",
        AuditAction::Update => "update",
        AuditAction::Delete => "delete",
        AuditAction::PrintCopy => "print_copy",
        AuditAction::Export => "export",
        AuditAction::Search => "search",
        AuditAction::EmergencyAccess => "emergency_access",
    }
}

fn uid(type_name: &str, id: &str) -> CoreResult<EntityUid> {
    let t = EntityTypeName::from_str(type_name)
        .map_err(|e| CoreError::Internal(format!("access type {type_name}: {e}")))?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn bool_expr(b: bool) -> RestrictedExpression {
    RestrictedExpression::new_bool(b)
}

fn principal_entities(actor: &Actor) -> CoreResult<(EntityUid, Vec<Entity>)> {
    match actor {
        Actor::System { job, .. } => {
            let u = uid("Zv::System", job)?;
            Ok((u.clone(), vec![Entity::new_no_attrs(u, HashSet::new())]))
        }
        Actor::Portal(p) => {
            let u = uid("Zv::PortalAccount", &p.account_id.to_string())?;
            Ok((u.clone(), vec![Entity::new_no_attrs(u, HashSet::new())]))
        }
        Actor::Staff(s) => {
            let u = uid("Zv::User", &s.user_id.to_string())?;
            let mut parents = HashSet::new();
            for role in &s.roles {
                parents.insert(uid("Zv::Role", role.code())?);
            }
            let attrs = HashMap::from([
                ("disabled".to_owned(), bool_expr(s.disabled)),
                (
                    "confidentiality_signed".to_owned(),
                    bool_expr(s.confidentiality_signed),
                ),
            ]);
            let user = Entity::new(u.clone(), attrs, parents)
                .map_err(|e| CoreError::Internal(format!("access principal: {e}")))?;
            Ok((u, vec![user]))
        }
    }
}

fn resource_entity(resource: EntityUid, target: Target) -> CoreResult<Entity> {
    let attrs: HashMap<String, RestrictedExpression> = match target {
        Target::Entry { special_category } => {
            HashMap::from([("special_category".to_owned(), bool_expr(special_category))])
        }
        Target::WorkNote { author } => HashMap::from([(
            "author".to_owned(),
            RestrictedExpression::new_entity_uid(uid("Zv::User", &author.to_string())?),
        )]),
        Target::Address { confidential } => {
            HashMap::from([("confidential".to_owned(), bool_expr(confidential))])
        }
        Target::Organisation(object) => HashMap::from([(
            "kind".to_owned(),
            RestrictedExpression::new_string(object.code().to_owned()),
        )]),
        _ => HashMap::new(),
    };
    Entity::new(resource, attrs, HashSet::new())
        .map_err(|e| CoreError::Internal(format!("access resource: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::StaffActor;
    use zv_domain::Role;

    fn staff(roles: Vec<Role>, signed: bool, disabled: bool) -> Actor {
        Actor::Staff(StaffActor {
            user_id: UserId::new(),
            display_name: "t".into(),
            roles,
            teams: vec![],
            confidentiality_signed: signed,
            disabled,
            access_point: "test".into(),
        })
    }

    fn decide(actor: &Actor, action: AuditAction, target: Target, s: Standing) -> Decision {
        match rules().and_then(|r| r.decide(actor, action, target, &s)) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    // promise: ACC-8
    // promise: GRP-1
    #[test]
    fn records_of_people_outside_the_dossier_need_the_confidentiality_statement_too() {
        let in_team = Standing {
            in_team: true,
            ..Standing::default()
        };
        for (role, object, action) in [
            (
                Role::Caseworker,
                AuditObject::GroupActivity,
                AuditAction::Read,
            ),
            (
                Role::Caseworker,
                AuditObject::ActivityMedia,
                AuditAction::Export,
            ),
            (
                Role::Manager,
                AuditObject::Correspondence,
                AuditAction::Read,
            ),
            (Role::TeamLead, AuditObject::CameraImage, AuditAction::Read),
            (
                Role::Manager,
                AuditObject::NewsletterContact,
                AuditAction::Read,
            ),
        ] {
            let target = Target::Organisation(object);
            let signed = decide(&staff(vec![role], true, false), action, target, in_team);
            assert!(signed.allowed, "{role:?} {object:?}");
            let unsigned = decide(&staff(vec![role], false, false), action, target, in_team);
            assert!(!unsigned.allowed, "{role:?} {object:?} without a statement");
        }
        // Outside the activity's team a caseworker reads nothing of it; a manager does.
        let outside = Standing::default();
        let target = Target::Organisation(AuditObject::GroupActivity);
        assert!(
            !decide(
                &staff(vec![Role::Caseworker], true, false),
                AuditAction::Read,
                target,
                outside
            )
            .allowed
        );
        assert!(
            decide(
                &staff(vec![Role::Manager], true, false),
                AuditAction::Read,
                target,
                outside
            )
            .allowed
        );
    }

    // promise: RET-2
    // promise: ACC-7
    // promise: ACC-8
    #[test]
    fn personnel_and_financial_records_only_for_the_roles_the_policy_names() {
        let named = Standing {
            named_by_policy: true,
            ..Standing::default()
        };
        let objects = [
            AuditObject::Vacancy,
            AuditObject::Applicant,
            AuditObject::StaffRecord,
            AuditObject::StaffIdCopy,
            AuditObject::FinancialRecord,
        ];
        for object in objects {
            let target = Target::Organisation(object);
            for action in [
                AuditAction::Read,
                AuditAction::Create,
                AuditAction::Update,
                AuditAction::Export,
            ] {
                for role in [Role::HrOfficer, Role::FinanceOfficer] {
                    let signed = decide(&staff(vec![role], true, false), action, target, named);
                    assert!(signed.allowed, "{role:?} {object:?} {action:?}");
                    assert!(
                        signed
                            .rule_ids
                            .contains(&"ret2-personnel-kept-by-policy-roles".to_owned())
                    );
                    // ACC-8: not before the confidentiality statement.
                    let unsigned = decide(&staff(vec![role], false, false), action, target, named);
                    assert!(!unsigned.allowed, "{role:?} {object:?} without a statement");
                }
                // Nobody decides a deletion but the sweep.
                assert!(
                    !decide(
                        &staff(vec![Role::HrOfficer], true, false),
                        AuditAction::Delete,
                        target,
                        named
                    )
                    .allowed
                );
            }
            // ACC-7: a role the policy does not name reaches nothing, whatever it is.
            for role in Role::ALL {
                for action in AuditAction::ALL {
                    let d = decide(
                        &staff(vec![role], true, false),
                        *action,
                        target,
                        Standing::default(),
                    );
                    assert!(!d.allowed, "{role:?} {object:?} {action:?}");
                }
            }
        }
    }

    #[test]
    fn the_rules_parse_and_match_their_schema() {
        let r = match rules() {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert!(r.rule_ids().contains(&"acc1-assigned-worker"));
        assert!(r.rule_ids().contains(&"acc8-disabled-account"));
    }

    // promise: ACC-1
    #[test]
    fn an_assigned_worker_reads_the_dossier() {
        let assigned = Standing {
            assigned: true,
            ..Standing::default()
        };
        let d = decide(
            &staff(vec![Role::Caseworker], true, false),
            AuditAction::Read,
            Target::Dossier,
            assigned,
        );
        assert!(d.allowed);
        assert_eq!(d.rule_ids, vec!["acc1-assigned-worker"]);
        assert_eq!(d.purpose, Some(Purpose::Care));
    }

    // promise: ACC-7
    #[test]
    fn nobody_else_reads_the_dossier_not_even_an_administrator() {
        for roles in [
            vec![Role::Caseworker],
            vec![Role::Administrator],
            vec![Role::Manager],
            vec![Role::PrivacyOfficer],
        ] {
            let d = decide(
                &staff(roles, true, false),
                AuditAction::Read,
                Target::Dossier,
                Standing::default(),
            );
            assert!(!d.allowed);
            assert_eq!(d.rule_ids, vec![NOBODY_ELSE]);
        }
    }

    // promise: ACC-8
    #[test]
    fn no_client_data_without_a_confidentiality_statement_or_when_disabled() {
        let assigned = Standing {
            assigned: true,
            ..Standing::default()
        };
        let unsigned = decide(
            &staff(vec![Role::Caseworker], false, false),
            AuditAction::Read,
            Target::Dossier,
            assigned,
        );
        assert!(!unsigned.allowed);
        assert_eq!(unsigned.rule_ids, vec!["acc8-no-confidentiality-statement"]);
        let disabled = decide(
            &staff(vec![Role::Caseworker], true, true),
            AuditAction::Read,
            Target::Dossier,
            assigned,
        );
        assert!(!disabled.allowed);
        assert_eq!(disabled.rule_ids, vec!["acc8-disabled-account"]);
    }

    // promise: DOS-2
    #[test]
    fn a_work_note_is_its_authors_alone_even_in_an_emergency() {
        let me = staff(vec![Role::Caseworker], true, false);
        let Actor::Staff(s) = &me else {
            panic!("staff")
        };
        let all = Standing {
            assigned: true,
            emergency: true,
            ..Standing::default()
        };
        let own = decide(
            &me,
            AuditAction::Read,
            Target::WorkNote { author: s.user_id },
            all,
        );
        assert!(own.allowed);
        let other = decide(
            &me,
            AuditAction::Read,
            Target::WorkNote {
                author: UserId::new(),
            },
            all,
        );
        assert!(!other.allowed);
        assert_eq!(other.rule_ids, vec!["dos2-work-note-author-only"]);
    }

    fn portal_actor() -> Actor {
        Actor::Portal(crate::portal::PortalActor {
            account_id: zv_domain::PortalAccountId::new(),
            client_id: Some(zv_domain::ClientId::new()),
            access_point: "test".into(),
        })
    }

    // promise: POR-1
    // promise: DOS-2
    #[test]
    fn a_client_reads_only_their_own_dossier_and_never_a_work_note() {
        let client = portal_actor();
        let own = Standing {
            own_data: true,
            ..Standing::default()
        };
        for target in [
            Target::Dossier,
            Target::Entry {
                special_category: false,
            },
            Target::Entry {
                special_category: true,
            },
            Target::Attachment,
        ] {
            for action in [AuditAction::Read, AuditAction::PrintCopy] {
                let d = decide(&client, action, target, own);
                assert!(d.allowed, "{action:?} {target:?}");
                assert_eq!(d.rule_ids, vec!["por1-own-dossier"]);
                assert_eq!(d.purpose, Some(Purpose::OwnAccess));
                let other = decide(&client, action, target, Standing::default());
                assert!(!other.allowed, "another client's {target:?}");
                assert_eq!(other.rule_ids, vec![NOBODY_ELSE]);
            }
        }
        let note = decide(
            &client,
            AuditAction::Read,
            Target::WorkNote {
                author: UserId::new(),
            },
            own,
        );
        assert!(!note.allowed);
        assert!(note.rule_ids.contains(&"dos2-never-in-portal".to_owned()));
        for (action, target) in [
            (AuditAction::Read, Target::Bsn),
            (AuditAction::Read, Target::ServicesOverview),
            (AuditAction::Read, Target::PortalAccess),
            (AuditAction::Read, Target::Complaint),
            (
                AuditAction::Read,
                Target::Organisation(AuditObject::AuditLog),
            ),
            (
                AuditAction::Create,
                Target::Entry {
                    special_category: false,
                },
            ),
            (AuditAction::Update, Target::Dossier),
            (AuditAction::Delete, Target::Dossier),
            (AuditAction::Export, Target::Dossier),
        ] {
            assert!(
                !decide(&client, action, target, own).allowed,
                "{action:?} {target:?}"
            );
        }
        // A staff member's standing means nothing for a portal account.
        let everything_but_own = Standing {
            assigned: true,
            complaint: true,
            quality_review: true,
            substitute_for: Some(UserId::new()),
            emergency: true,
            leads_team: true,
            own_data: false,
            ..Standing::default()
        };
        assert!(
            !decide(
                &client,
                AuditAction::Read,
                Target::Dossier,
                everything_but_own
            )
            .allowed
        );
    }

    // promise: POR-1
    #[test]
    fn only_the_worker_on_the_case_manages_a_clients_portal_access() {
        let worker = staff(vec![Role::Caseworker], true, false);
        let assigned = Standing {
            assigned: true,
            ..Standing::default()
        };
        for action in [AuditAction::Read, AuditAction::Create, AuditAction::Delete] {
            let d = decide(&worker, action, Target::PortalAccess, assigned);
            assert!(d.allowed, "{action:?}");
            assert!(
                d.rule_ids
                    .contains(&"por1-assigned-worker-invites".to_owned())
            );
        }
        for standing in [
            Standing::default(),
            Standing {
                emergency: true,
                ..Standing::default()
            },
            Standing {
                substitute_for: Some(UserId::new()),
                ..Standing::default()
            },
            Standing {
                complaint: true,
                ..Standing::default()
            },
        ] {
            for roles in [
                vec![Role::Caseworker],
                vec![Role::Manager],
                vec![Role::Administrator],
            ] {
                assert!(
                    !decide(
                        &staff(roles, true, false),
                        AuditAction::Create,
                        Target::PortalAccess,
                        standing
                    )
                    .allowed
                );
            }
        }
        let unsigned = decide(
            &staff(vec![Role::Caseworker], false, false),
            AuditAction::Create,
            Target::PortalAccess,
            assigned,
        );
        assert!(!unsigned.allowed);
    }

    /// The memo answers exactly what Cedar answers, for every role, action, kind of
    /// target and standing, including a work note of oneself and of another.
    #[test]
    fn remembered_decisions_equal_fresh_ones() {
        let r = rules().unwrap();
        let me = UserId::new();
        let targets = [
            Target::ServicesOverview,
            Target::Dossier,
            Target::Entry {
                special_category: false,
            },
            Target::Entry {
                special_category: true,
            },
            Target::Bsn,
            Target::WorkNote { author: me },
            Target::WorkNote {
                author: UserId::new(),
            },
            Target::Attachment,
            Target::Complaint,
            Target::Intake,
            Target::ClientSearch,
            Target::Assignment,
            Target::PortalAccess,
            Target::Organisation(AuditObject::UserAccount),
            Target::Organisation(AuditObject::AuditLog),
        ];
        let mut compared = 0;
        for role in Role::ALL {
            for (signed, disabled) in [(true, false), (false, false), (true, true)] {
                let Actor::Staff(mut s) = staff(vec![role], signed, disabled) else {
                    unreachable!()
                };
                s.user_id = me;
                let actor = Actor::Staff(s);
                // No standing, each fact alone, and all together.
                for bits in [0u8, 1, 2, 4, 8, 16, 32, 64, 127] {
                    let standing = Standing {
                        assigned: bits & 1 != 0,
                        complaint: bits & 2 != 0,
                        quality_review: bits & 4 != 0,
                        substitute_for: (bits & 8 != 0).then(UserId::new),
                        emergency: bits & 16 != 0,
                        leads_team: bits & 32 != 0,
                        own_data: bits & 64 != 0,
                        ..Standing::default()
                    };
                    for action in AuditAction::ALL {
                        for target in targets {
                            let fresh = r.evaluate(&actor, *action, target, &standing).unwrap();
                            // Twice: the first may fill the memo, the second reads it.
                            for _ in 0..2 {
                                assert_eq!(
                                    r.decide(&actor, *action, target, &standing).unwrap(),
                                    fresh,
                                    "{role:?} {action:?} {target:?} {bits:b}"
                                );
                            }
                            compared += 1;
                        }
                    }
                }
            }
        }
        let client = portal_actor();
        for own_data in [false, true] {
            let standing = Standing {
                own_data,
                ..Standing::default()
            };
            for action in AuditAction::ALL {
                for target in targets {
                    let fresh = r.evaluate(&client, *action, target, &standing).unwrap();
                    for _ in 0..2 {
                        assert_eq!(
                            r.decide(&client, *action, target, &standing).unwrap(),
                            fresh
                        );
                    }
                }
            }
        }
        assert!(compared > 5_000, "{compared}");
    }

    // promise: MIN-1
    // promise: MIN-2
    // promise: MIN-3
    // promise: MIN-4
    #[test]
    fn the_minors_rules_decide_by_relation_age_band_and_the_recorded_facts() {
        use AgeBand::{Adult, Consultative, Independent, UnderOwnAccess};
        let r = rules().unwrap();
        let account = portal_actor();
        // relation, age band today, blocked, consent, mandate covers, dated before the
        // authority: reads the dossier.
        let table = [
            (
                Relation::Parent,
                Some(UnderOwnAccess),
                false,
                false,
                false,
                false,
                true,
            ),
            // A block counts from 12, not before (MIN-1: parents always involved).
            (
                Relation::Parent,
                Some(UnderOwnAccess),
                true,
                false,
                false,
                false,
                true,
            ),
            (
                Relation::Parent,
                Some(UnderOwnAccess),
                false,
                false,
                false,
                true,
                false,
            ),
            (
                Relation::Parent,
                Some(Consultative),
                false,
                false,
                false,
                false,
                true,
            ),
            (
                Relation::Parent,
                Some(Consultative),
                true,
                false,
                false,
                false,
                false,
            ),
            (
                Relation::Parent,
                Some(Consultative),
                false,
                false,
                false,
                true,
                false,
            ),
            (
                Relation::Parent,
                Some(Independent),
                false,
                false,
                false,
                false,
                false,
            ),
            (
                Relation::Parent,
                Some(Independent),
                false,
                true,
                false,
                false,
                true,
            ),
            (
                Relation::Parent,
                Some(Independent),
                false,
                true,
                false,
                true,
                false,
            ),
            (
                Relation::Parent,
                Some(Adult),
                false,
                true,
                false,
                false,
                false,
            ),
            (Relation::Parent, None, false, true, false, false, false),
            (
                Relation::Representative,
                Some(Adult),
                false,
                false,
                true,
                false,
                true,
            ),
            (
                Relation::Representative,
                Some(Adult),
                false,
                false,
                false,
                false,
                false,
            ),
            (
                Relation::Representative,
                Some(Independent),
                false,
                false,
                true,
                false,
                false,
            ),
            (
                Relation::Other,
                Some(UnderOwnAccess),
                false,
                false,
                false,
                false,
                false,
            ),
            (
                Relation::None,
                Some(UnderOwnAccess),
                false,
                false,
                false,
                false,
                false,
            ),
        ];
        for row @ (relation, age_band, blocked, consent, mandate, before, reads) in table {
            let standing = Standing {
                relation,
                age_band,
                parent_blocked: blocked,
                youth_consent: consent,
                mandate_covers: mandate,
                before_authority: before,
                ..Standing::default()
            };
            for target in [
                Target::Dossier,
                Target::Entry {
                    special_category: false,
                },
                Target::Entry {
                    special_category: true,
                },
                Target::Attachment,
                Target::Address {
                    confidential: false,
                },
            ] {
                let d = decide(&account, AuditAction::Read, target, standing);
                assert_eq!(d.allowed, reads, "{row:?} {target:?}");
                assert_eq!(
                    d,
                    r.evaluate(&account, AuditAction::Read, target, &standing)
                        .unwrap(),
                    "the memo agrees"
                );
                if reads {
                    assert_eq!(d.purpose, Some(Purpose::RepresentativeAccess));
                }
            }
            for (action, target) in [
                (
                    AuditAction::Read,
                    Target::WorkNote {
                        author: UserId::new(),
                    },
                ),
                (AuditAction::Read, Target::Address { confidential: true }),
                (
                    AuditAction::Create,
                    Target::Entry {
                        special_category: false,
                    },
                ),
                (AuditAction::Read, Target::Bsn),
                (AuditAction::Create, Target::YouthConsent),
            ] {
                assert!(
                    !decide(&account, action, target, standing).allowed,
                    "{row:?} {action:?} {target:?}"
                );
            }
        }
        // Their own record, always, whatever else holds.
        let own = Standing {
            relation: Relation::Parent,
            age_band: Some(Independent),
            parent_blocked: true,
            own_data: true,
            ..Standing::default()
        };
        let d = decide(&account, AuditAction::Read, Target::PersonRecord, own);
        assert!(d.allowed);
        assert_eq!(d.rule_ids, vec!["min-own-record"]);
        // The young person decides on consent from 16 to 18 only; staff never.
        for (band, allowed) in [(Consultative, false), (Independent, true), (Adult, false)] {
            let me = Standing {
                relation: Relation::Client,
                own_data: true,
                age_band: Some(band),
                ..Standing::default()
            };
            for action in [AuditAction::Create, AuditAction::Delete] {
                assert_eq!(
                    decide(&account, action, Target::YouthConsent, me).allowed,
                    allowed,
                    "{band:?}"
                );
            }
        }
        let worker = staff(vec![Role::Caseworker], true, false);
        let assigned = Standing {
            assigned: true,
            ..Standing::default()
        };
        assert!(!decide(&worker, AuditAction::Create, Target::YouthConsent, assigned).allowed);
        // Invitations: by the rules, with the relation and the band.
        for (relation, band, allowed, rule) in [
            (
                Relation::Client,
                UnderOwnAccess,
                false,
                "min1-no-own-account-under-12",
            ),
            (Relation::Client, Consultative, true, ""),
            (Relation::Parent, Independent, true, ""),
            (
                Relation::Parent,
                Adult,
                false,
                "min-parent-account-for-a-minor",
            ),
            (
                Relation::Representative,
                Consultative,
                false,
                "min4-representative-account-for-an-adult",
            ),
            (Relation::Representative, Adult, true, ""),
            (
                Relation::Other,
                UnderOwnAccess,
                false,
                "min-no-account-for-other-relations",
            ),
        ] {
            let standing = Standing {
                relation,
                age_band: Some(band),
                ..assigned
            };
            let d = decide(&worker, AuditAction::Create, Target::PortalAccess, standing);
            assert_eq!(d.allowed, allowed, "{relation:?} {band:?}");
            if !allowed {
                assert!(d.rule_ids.contains(&rule.to_owned()), "{:?}", d.rule_ids);
            }
        }
        // A confidential address: the assigned worker and the client, nobody else.
        let confidential = Target::Address { confidential: true };
        assert!(decide(&worker, AuditAction::Read, confidential, assigned).allowed);
        for standing in [
            Standing {
                emergency: true,
                ..Standing::default()
            },
            Standing {
                substitute_for: Some(UserId::new()),
                ..Standing::default()
            },
            Standing {
                complaint: true,
                ..Standing::default()
            },
        ] {
            for roles in [vec![Role::Caseworker], vec![Role::Manager]] {
                let d = decide(
                    &staff(roles, true, false),
                    AuditAction::Read,
                    confidential,
                    standing,
                );
                assert!(!d.allowed, "{standing:?}");
            }
        }
        let me = Standing {
            relation: Relation::Client,
            own_data: true,
            ..Standing::default()
        };
        assert!(decide(&account, AuditAction::Read, confidential, me).allowed);
    }
}
