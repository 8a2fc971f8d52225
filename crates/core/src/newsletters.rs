//! Newsletters to contacts of partner organisations (NWS-1, LEVgroep §2 and §4): a
//! contact receives a newsletter of the policy's `[[newsletters]]` only while subscribed.
//!
//! - A contact holds exactly what a mailing needs: name, organisation, work e-mail
//!   address, sealed with the system key; and the newsletters it receives.
//! - Unsubscribing is one step and takes effect at once: the link in every mailing
//!   (`/nieuwsbrief/afmelden/{id}/{key}`, the key an HMAC of the contact's id, so the
//!   link proves itself and needs no account), or a manager acting on the contact's
//!   request. The contact's row goes at once, with a line in the destruction register.
//! - Unsubscribing is an objection to direct marketing, which is absolute (AVG art.
//!   21(3)): only the keyed hash of the address stays, and the address is never added
//!   again.
//! - The mailing list of a newsletter (its current subscribers with their links) is an
//!   export, recorded like every read of the contacts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Email, PersonName, Purpose, UserId};
use zv_store::destruction::NewRegisterRecord;
use zv_store::newsletters::{ContactRow, NewContact};
use zv_store::{SubjectKind, Tx};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const T: &str = "newsletter_contacts";
/// The blind index's domain of an address (one contact per address, objections).
const EMAIL_DOMAIN: &str = "newsletter-email";
/// The blind index's domain of an unsubscribe link's key.
const LINK_DOMAIN: &str = "newsletter-unsubscribe";
/// The job that acts when a contact follows the link.
pub const UNSUBSCRIBE_JOB: &str = "newsletter-unsubscribe";
/// The rule named in the destruction register.
pub const UNSUBSCRIBED_RULE: &str = "newsletter-unsubscribed";
const ORGANISATION_MAX_CHARS: usize = 200;
/// The refusal of an address that unsubscribed before.
pub const OBJECTED: &str = "this address unsubscribed from the newsletters; an objection to newsletters is absolute, so it is not added again";
/// The refusal of an address that is a contact already.
pub const KNOWN: &str = "this address is a contact already";

/// A contact as a manager enters it.
#[derive(Clone, Default)]
pub struct ContactInput {
    pub name: String,
    pub organisation: String,
    pub email: String,
    /// The codes of the newsletters the contact asked for.
    pub newsletters: Vec<String>,
}

impl std::fmt::Debug for ContactInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContactInput({:?}, ***)", self.newsletters)
    }
}

/// A contact on the page and in the API.
#[derive(Clone, Serialize)]
pub struct ContactView {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub email: String,
    /// The newsletters it receives and since when.
    pub newsletters: Vec<Subscription>,
    pub added_by: UserId,
    pub added_at: DateTime<Utc>,
}

impl std::fmt::Debug for ContactView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContactView({}, ***)", self.id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub newsletter: String,
    pub since: DateTime<Utc>,
}

/// One address of a mailing, with the contact's own link to unsubscribe.
#[derive(Clone, Serialize)]
pub struct MailingLine {
    pub name: String,
    pub organisation: String,
    pub email: String,
    pub unsubscribe_url: String,
}

impl std::fmt::Debug for MailingLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MailingLine(***)")
    }
}

/// What following an unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsubscribed {
    /// The contact was on a list and is now removed.
    Now,
    /// Nothing left to do: the link was used before.
    Already,
}

/// Every refused field of a contact, with the rule (never the value).
#[must_use]
pub fn contact_problems(
    input: &ContactInput,
    known: &[zv_policy::Newsletter],
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if PersonName::parse(&input.name).is_err() {
        out.push(("name", "give the contact's name"));
    }
    let organisation = input.organisation.trim().chars().count();
    if !(2..=ORGANISATION_MAX_CHARS).contains(&organisation) {
        out.push((
            "organisation",
            "name the partner organisation (2 to 200 characters)",
        ));
    }
    if Email::parse(&input.email).is_err() {
        out.push(("email", "give a valid e-mail address"));
    }
    if input.newsletters.is_empty()
        || input
            .newsletters
            .iter()
            .any(|n| !known.iter().any(|k| k.code == *n))
    {
        out.push(("newsletters", "choose at least one newsletter of the list"));
    }
    out
}

fn normalised(email: &str) -> String {
    email.trim().to_lowercase()
}

fn access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::NewsletterContact, None)
        .target(Target::Organisation(AuditObject::NewsletterContact))
        .purpose(Purpose::Administration)
}

impl App {
    /// Whether the organisation sends newsletters at all (the policy names one).
    #[must_use]
    pub fn sends_newsletters(&self) -> bool {
        !self.policy.newsletters().is_empty()
    }

    fn newsletters_or_not_found(&self) -> CoreResult<()> {
        if self.sends_newsletters() {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// Whether the actor keeps the mailing lists (adds, unsubscribes, exports).
    pub fn may_keep_newsletters(&self, actor: &Actor) -> CoreResult<bool> {
        Ok(self.sends_newsletters()
            && self.capability(
                actor,
                AuditAction::Create,
                Target::Organisation(AuditObject::NewsletterContact),
            )?)
    }

    /// Every contact with its newsletters, by organisation and name: a recorded read.
    pub async fn newsletter_contacts(&self, actor: &Actor) -> CoreResult<Vec<ContactView>> {
        self.newsletters_or_not_found()?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read).detail("newsletter contacts listed"),
            )
            .await?;
        let rows = zv_store::newsletters::contacts(&tx).await?;
        tx.commit().await?;
        let mut views = rows
            .iter()
            .map(|r| self.contact_view(r))
            .collect::<CoreResult<Vec<_>>>()?;
        views.sort_by(|a, b| {
            (a.organisation.to_lowercase(), a.name.to_lowercase(), a.id).cmp(&(
                b.organisation.to_lowercase(),
                b.name.to_lowercase(),
                b.id,
            ))
        });
        Ok(views)
    }

    fn contact_view(&self, r: &ContactRow) -> CoreResult<ContactView> {
        let s = Sealer {
            key: self.keys.system(),
        };
        Ok(ContactView {
            id: r.id,
            name: s.open(T, "name", r.id, &r.name_ct)?,
            organisation: s.open(T, "organisation", r.id, &r.organisation_ct)?,
            email: s.open(T, "email", r.id, &r.email_ct)?,
            newsletters: r
                .subscriptions
                .iter()
                .map(|(n, since)| Subscription {
                    newsletter: n.clone(),
                    since: *since,
                })
                .collect(),
            added_by: r.created_by,
            added_at: r.created_at,
        })
    }

    /// Adds a contact who asked for the given newsletters. Refused field by field; an
    /// address that unsubscribed before is refused for good (an objection to newsletters
    /// is absolute), and one that is a contact already is refused as such.
    pub async fn add_newsletter_contact(
        &self,
        actor: &Actor,
        input: &ContactInput,
    ) -> CoreResult<Uuid> {
        self.newsletters_or_not_found()?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("contacts are added by staff".into()))?;
        if let Some((field, rule)) = contact_problems(input, self.policy.newsletters()).first() {
            return Err(CoreError::invalid(field, *rule));
        }
        let email = normalised(&input.email);
        let hash = self.keys.index().token(EMAIL_DOMAIN, &email).to_vec();
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create)
                    .object_id(id)
                    .detail(format!("newsletters: {}", input.newsletters.join(","))),
            )
            .await?;
        if zv_store::newsletters::objected_at(&tx, &hash)
            .await?
            .is_some()
        {
            return Err(CoreError::invalid("email", OBJECTED));
        }
        if zv_store::newsletters::email_known(&tx, &hash).await? {
            return Err(CoreError::invalid("email", KNOWN));
        }
        let s = Sealer {
            key: self.keys.system(),
        };
        let mut newsletters = input.newsletters.clone();
        newsletters.sort();
        newsletters.dedup();
        zv_store::newsletters::insert_contact(
            &tx,
            &NewContact {
                id,
                name_ct: s.seal(T, "name", id, input.name.trim()),
                organisation_ct: s.seal(T, "organisation", id, input.organisation.trim()),
                email_ct: s.seal(T, "email", id, &email),
                email_hash: hash,
                newsletters,
                created_by: by,
                created_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A manager unsubscribes a contact at its request (by phone, by mail): as the link
    /// does, at once and for good.
    pub async fn unsubscribe_newsletter_contact(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        self.newsletters_or_not_found()?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Delete)
                    .object_id(id)
                    .detail("unsubscribed at the contact's request"),
            )
            .await?;
        match self.remove_contact(&tx, id, actor.user_id(), None).await? {
            Unsubscribed::Now => {
                tx.commit().await?;
                Ok(())
            }
            Unsubscribed::Already => Err(CoreError::NotFound),
        }
    }

    /// The contact's own link to unsubscribe, as a path of the app.
    #[must_use]
    pub fn unsubscribe_path(&self, id: Uuid) -> String {
        let key = self.keys.index().token(LINK_DOMAIN, &id.to_string());
        format!("/nieuwsbrief/afmelden/{id}/{}", hex::encode(key))
    }

    /// Whether a link's key is the contact's: the link page is shown only then, and says
    /// nothing about the contact either way.
    #[must_use]
    pub fn unsubscribe_link_valid(&self, id: Uuid, key: &str) -> bool {
        hex::decode(key).is_ok_and(|k| self.keys.index().verify(LINK_DOMAIN, &id.to_string(), &k))
    }

    /// Following the link in a newsletter: no account, the link's key is the proof. An
    /// unknown or altered link is "not found"; a link used before says so.
    pub async fn unsubscribe_by_link(&self, id: Uuid, key: &str) -> CoreResult<Unsubscribed> {
        self.newsletters_or_not_found()?;
        if !self.unsubscribe_link_valid(id, key) {
            return Err(CoreError::NotFound);
        }
        let actor = Actor::System {
            job: UNSUBSCRIBE_JOB,
            access_point: "web".to_owned(),
        };
        let tx = self
            .authorize_write(
                &actor,
                access(AuditAction::Delete)
                    .object_id(id)
                    .detail("unsubscribed by the contact's link"),
            )
            .await?;
        let outcome = self
            .remove_contact(&tx, id, None, Some(UNSUBSCRIBE_JOB))
            .await?;
        if outcome == Unsubscribed::Now {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    /// Removes the contact and its subscriptions, keeps the objection of its address and
    /// writes the register's line, in `tx`.
    async fn remove_contact(
        &self,
        tx: &Tx,
        id: Uuid,
        by_user: Option<UserId>,
        by_job: Option<&str>,
    ) -> CoreResult<Unsubscribed> {
        let now = self.now();
        let Some(counts) = zv_store::newsletters::unsubscribe(tx, id, now).await? else {
            return Ok(Unsubscribed::Already);
        };
        zv_store::destruction::insert_register_records(
            tx,
            vec![NewRegisterRecord {
                at: now,
                kind: SubjectKind::NewsletterContact,
                subject: id,
                rule: UNSUBSCRIBED_RULE.to_owned(),
                reason: "unsubscribed from the newsletters; objection recorded".to_owned(),
                outcome: "destroyed",
                term_ended_on: Some(self.clock.today()),
                by_user,
                by_job: by_job.map(str::to_owned),
                counts: counts.into_iter().collect::<BTreeMap<_, _>>(),
            }],
        )
        .await?;
        Ok(Unsubscribed::Now)
    }

    /// A newsletter's mailing list: its subscribers today, each with its own link to
    /// unsubscribe. Recorded as an export of the contacts.
    pub async fn newsletter_mailing(
        &self,
        actor: &Actor,
        newsletter: &str,
    ) -> CoreResult<Vec<MailingLine>> {
        self.newsletters_or_not_found()?;
        if self.policy.newsletter(newsletter).is_none() {
            return Err(CoreError::NotFound);
        }
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Export).detail(format!("mailing list of {newsletter}")),
            )
            .await?;
        let rows = zv_store::newsletters::subscribers(&tx, newsletter).await?;
        tx.commit().await?;
        let mut lines = rows
            .iter()
            .map(|r| {
                let v = self.contact_view(r)?;
                Ok(MailingLine {
                    unsubscribe_url: self.app_url(&self.unsubscribe_path(r.id)),
                    name: v.name,
                    organisation: v.organisation,
                    email: v.email,
                })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        lines.sort_by(|a, b| {
            (a.organisation.to_lowercase(), a.name.to_lowercase())
                .cmp(&(b.organisation.to_lowercase(), b.name.to_lowercase()))
        });
        Ok(lines)
    }
}

/// A mailing list as CSV (UTF-8, with a header row), for the mailing tool: name,
/// organisation, e-mail address and the contact's own link to unsubscribe.
pub fn mailing_csv(lines: &[MailingLine]) -> CoreResult<String> {
    use crate::audit_log::{csv_error, spreadsheet_safe};
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["name", "organisation", "email", "unsubscribe_url"])
        .map_err(csv_error)?;
    for l in lines {
        out.write_record([
            spreadsheet_safe(&l.name),
            spreadsheet_safe(&l.organisation),
            spreadsheet_safe(&l.email),
            l.unsubscribe_url.clone(),
        ])
        .map_err(csv_error)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| CoreError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CoreError::Internal(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{ContactInput, contact_problems};

    fn known() -> Vec<zv_policy::Newsletter> {
        vec![zv_policy::Newsletter {
            code: "relaties".into(),
            name_nl: "Nieuwsbrief".into(),
            name_en: "Newsletter".into(),
        }]
    }

    fn fields(input: &ContactInput) -> Vec<&'static str> {
        contact_problems(input, &known())
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn every_field_is_checked_on_its_own() {
        let good = ContactInput {
            name: "Sanne de Wit".into(),
            organisation: "Wijkteam Helmond".into(),
            email: "sanne@wijkteam.example".into(),
            newsletters: vec!["relaties".into()],
        };
        assert!(fields(&good).is_empty());
        let bad = ContactInput {
            name: String::new(),
            organisation: "W".into(),
            email: "geen adres".into(),
            newsletters: vec!["onbekend".into()],
        };
        assert_eq!(
            fields(&bad),
            ["name", "organisation", "email", "newsletters"]
        );
        let none = ContactInput {
            newsletters: Vec::new(),
            ..good
        };
        assert_eq!(fields(&none), ["newsletters"]);
    }
}
