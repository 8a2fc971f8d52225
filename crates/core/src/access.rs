//! The access rules, as a pure function of who acts and what they act on.
//!
//! This is the foundation's rule set: assigned workers (ACC-1), the confidentiality
//! statement and disabled accounts (ACC-8), the system's own maintenance jobs, and
//! "nobody else" (ACC-7). Each decision names the rules that made it, and the ids are
//! stored in the audit event. The staff web app replaces this module with the Cedar
//! policy set under `access/`, keeping the same `decide` signature and rule ids.

use zv_domain::{AuditAction, AuditObject, Role};

use crate::gate::Actor;

/// What the decision is about, with the facts the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// A client's data; `assigned` is whether the actor works on one of its trajectories.
    Client { assigned: bool },
    /// Organisation-wide data without client content (users, keys, backups).
    Organisation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub rule_ids: Vec<String>,
}

impl Decision {
    fn permit(rule: &str) -> Self {
        Self {
            allowed: true,
            rule_ids: vec![rule.to_owned()],
        }
    }

    fn forbid(rule: &str) -> Self {
        Self {
            allowed: false,
            rule_ids: vec![rule.to_owned()],
        }
    }
}

#[must_use]
pub fn decide(
    actor: &Actor,
    action: AuditAction,
    object: AuditObject,
    resource: &Resource,
) -> Decision {
    let staff = match actor {
        // Maintenance jobs (demo load, retention, destruction, key rotation) run from
        // the operator's command line with access to the key file itself.
        Actor::System { .. } => return Decision::permit("system-maintenance"),
        Actor::Staff(s) => s,
    };
    if staff.disabled {
        return Decision::forbid("acc8-disabled-account");
    }
    match resource {
        Resource::Organisation => {
            if staff.roles.contains(&Role::Administrator)
                && matches!(
                    object,
                    AuditObject::UserAccount | AuditObject::Backup | AuditObject::KeyRing
                )
            {
                Decision::permit("acc5-administration")
            } else if staff.roles.contains(&Role::PrivacyOfficer) && object == AuditObject::AuditLog
            {
                Decision::permit("acc7-privacy-officer-audit")
            } else {
                Decision::forbid("acc7-nobody-else")
            }
        }
        Resource::Client { assigned } => {
            if !staff.confidentiality_signed {
                return Decision::forbid("acc8-no-confidentiality-statement");
            }
            // Work notes are the author's own; the store filters on author (DOS-2).
            let _ = action;
            if *assigned {
                Decision::permit("acc1-assigned-worker")
            } else {
                Decision::forbid("acc7-nobody-else")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::StaffActor;
    use zv_domain::UserId;

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

    // promise: ACC-1
    #[test]
    fn an_assigned_worker_reads_the_dossier() {
        let d = decide(
            &staff(vec![Role::Caseworker], true, false),
            AuditAction::Read,
            AuditObject::Entry,
            &Resource::Client { assigned: true },
        );
        assert!(d.allowed);
        assert_eq!(d.rule_ids, vec!["acc1-assigned-worker"]);
    }

    // promise: ACC-7
    #[test]
    fn nobody_else_reads_the_dossier_not_even_an_administrator() {
        for roles in [
            vec![Role::Caseworker],
            vec![Role::Administrator],
            vec![Role::Manager],
        ] {
            let d = decide(
                &staff(roles, true, false),
                AuditAction::Read,
                AuditObject::Entry,
                &Resource::Client { assigned: false },
            );
            assert!(!d.allowed);
        }
    }

    // promise: ACC-8
    #[test]
    fn no_client_data_without_a_confidentiality_statement_or_when_disabled() {
        let unsigned = decide(
            &staff(vec![Role::Caseworker], false, false),
            AuditAction::Read,
            AuditObject::Entry,
            &Resource::Client { assigned: true },
        );
        assert_eq!(unsigned.rule_ids, vec!["acc8-no-confidentiality-statement"]);
        assert!(!unsigned.allowed);
        let disabled = decide(
            &staff(vec![Role::Caseworker], true, true),
            AuditAction::Read,
            AuditObject::Entry,
            &Resource::Client { assigned: true },
        );
        assert!(!disabled.allowed);
    }
}
