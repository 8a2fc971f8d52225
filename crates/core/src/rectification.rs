//! Rectification ("rectificatie", RTS-5): a client's factual data (name, address, birth
//! date) corrected by a caseworker or team lead assigned to the client, or by the
//! privacy officer acting on a request, with a reason. Who, when, which field and why
//! are kept, with the old value sealed in the history; the search tokens follow a new
//! name or birth date in the same transaction, and the age rules (MIN-4) read the
//! corrected birth date from the next request on, since ages are never stored.
//!
//! "Earlier recipients of the wrong data are listed so they can be told" (art. 19):
//! nothing in the system records disclosures yet (issue 7), so the list is empty and
//! says so; [`Rectifications::recipients_recorded`] is false until disclosures exist.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{
    Address, AuditAction, AuditObject, BirthDate, ClientId, PersonName, RelatedPersonId, UserId,
};
use zv_store::rectifications::RectificationRow;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

pub(crate) const T: &str = "rectifications";

/// A factual field that can be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RectifiedField {
    Name,
    Address,
    BirthDate,
    /// The birth date of a child recorded with the client: corrected on the related
    /// person, kept in the client's history (it moves the retention dates, RET-2).
    ChildBirthDate,
}

impl RectifiedField {
    /// The client's own fields, corrected with [`App::rectify`].
    pub const ALL: &'static [Self] = &[Self::Name, Self::Address, Self::BirthDate];
    /// Every field the history can name.
    pub const IN_HISTORY: &'static [Self] = &[
        Self::Name,
        Self::Address,
        Self::BirthDate,
        Self::ChildBirthDate,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Address => "address",
            Self::BirthDate => "birth_date",
            Self::ChildBirthDate => "child_birth_date",
        }
    }

    /// One of the client's own fields ([`Self::ALL`]), as a correction names it.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.code() == code)
    }

    fn from_stored(code: &str) -> Option<Self> {
        Self::IN_HISTORY.iter().copied().find(|f| f.code() == code)
    }
}

fn child_field() -> CoreError {
    CoreError::invalid("field", "a child's birth date is corrected on the child")
}

/// The audit access of a new line in a client's rectification history.
pub(crate) fn history_access(client: ClientId, id: Uuid, field: RectifiedField) -> Access {
    Access::new(
        AuditAction::Create,
        AuditObject::Rectification,
        Some(client),
    )
    .object_id(id)
    .detail(format!("field {} corrected", field.code()))
}

/// A line of a client's rectification history, before it is sealed.
pub(crate) struct HistoryLine<'a> {
    pub id: Uuid,
    pub client: ClientId,
    pub related_person: Option<RelatedPersonId>,
    pub request: Option<Uuid>,
    pub field: RectifiedField,
    pub old: Option<&'a str>,
    pub new: &'a str,
    pub reason: &'a str,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// Writes a history line, its values and reason sealed with the client's key.
pub(crate) async fn insert_history(
    tx: &zv_store::Tx,
    s: &Sealer<'_>,
    line: HistoryLine<'_>,
) -> CoreResult<()> {
    let id = line.id;
    zv_store::rectifications::insert(
        tx,
        &RectificationRow {
            id,
            client_id: line.client,
            related_person: line.related_person,
            request_id: line.request,
            field: line.field.code().to_owned(),
            old_value_ct: line.old.map(|o| s.seal(T, "old_value", id, o)),
            new_value_ct: Some(s.seal(T, "new_value", id, line.new)),
            reason_ct: s.seal(T, "reason", id, line.reason.trim()),
            corrected_by: line.by,
            corrected_at: line.at,
        },
    )
    .await?;
    Ok(())
}

/// A correction's reason, checked as every correction's is: it says why the recorded
/// value was wrong.
pub fn check_reason(reason: &str) -> CoreResult<()> {
    if reason.trim().chars().count() < crate::processing_stops::MIN_REASON_CHARS {
        return Err(CoreError::invalid(
            "reason",
            "say why the data was wrong (at least 10 characters)",
        ));
    }
    Ok(())
}

/// A correction as typed: the value is checked as the field's own type.
#[derive(Clone)]
pub struct RectificationInput {
    pub field: RectifiedField,
    pub value: String,
    pub reason: String,
    pub request: Option<Uuid>,
}

impl std::fmt::Debug for RectificationInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RectificationInput({:?}, ***)", self.field)
    }
}

/// One correction in the history.
#[derive(Clone, Serialize)]
pub struct RectificationView {
    pub id: Uuid,
    pub field: RectifiedField,
    /// The child whose birth date was corrected; `None` for the client's own data.
    pub related_person: Option<RelatedPersonId>,
    /// The value before the correction; `None` when there was none, or when it is a
    /// confidential address this reader may not see.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The reader may not see the values (a confidential address).
    pub values_withheld: bool,
    pub reason: String,
    pub request: Option<Uuid>,
    pub corrected_by: UserId,
    pub corrected_by_name: String,
    pub corrected_at: DateTime<Utc>,
}

impl std::fmt::Debug for RectificationView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RectificationView({}, {:?}, ***)", self.id, self.field)
    }
}

/// A client's rectification history with who may correct, and the earlier recipients.
#[derive(Debug, Clone, Serialize)]
pub struct Rectifications {
    pub history: Vec<RectificationView>,
    /// The reader may correct this client's factual data.
    pub may_rectify: bool,
    /// Who received the data before (art. 19), to be told of the correction.
    pub recipients: Vec<String>,
    /// Whether anything records recipients yet: until disclosures are recorded (issue
    /// 7) the list is empty for want of a record, not because nobody received data.
    pub recipients_recorded: bool,
}

/// The value, parsed as the field's type, in the form it is stored.
fn parse_value(field: RectifiedField, raw: &str, today: chrono::NaiveDate) -> CoreResult<String> {
    match field {
        RectifiedField::Name => PersonName::parse(raw)
            .map(|n| n.expose().to_owned())
            .map_err(CoreError::field("value")),
        RectifiedField::Address => Address::parse(raw)
            .map(|a| a.expose().to_owned())
            .map_err(CoreError::field("value")),
        RectifiedField::BirthDate | RectifiedField::ChildBirthDate => BirthDate::parse(raw, today)
            .map(|b| b.date().format("%Y-%m-%d").to_string())
            .map_err(CoreError::field("value")),
    }
}

impl App {
    /// Corrects one factual field of a client (RTS-5). The old value is read (a recorded
    /// read), kept sealed in the history with the new one, the reason, who and when; the
    /// profile and, for a name or birth date, the search tokens change in the same
    /// transaction as the history and its audit events.
    pub async fn rectify(
        &self,
        actor: &Actor,
        client: ClientId,
        input: RectificationInput,
    ) -> CoreResult<Uuid> {
        if input.field == RectifiedField::ChildBirthDate {
            return Err(child_field());
        }
        let value = parse_value(input.field, &input.value, self.clock.today());
        let reason = check_reason(&input.reason);
        let value = value?;
        reason?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("corrections are made by staff".into()))?;
        if let Some(request) = input.request {
            let tx = self.store.read_tx().await?;
            let row = zv_store::requests::request_meta(&tx, request).await?;
            tx.commit().await?;
            if row.is_none_or(|r| r.client_id != client) {
                return Err(CoreError::invalid(
                    "request",
                    "no rights request of this client has this id",
                ));
            }
        }
        let id = Uuid::now_v7();
        // The current value is read to be kept in the history: a read of its own.
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
                    .target(Target::Rectification)
                    .object_id(client)
                    .detail(format!(
                        "rectification {id}: the {} before correction",
                        input.field.code()
                    )),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let u = client.as_uuid();
        let name = s.open(crate::clients::T, "name", u, &row.name_ct)?;
        let birth = s.open(crate::clients::T, "birth_date", u, &row.birth_date_ct)?;
        let old = match input.field {
            RectifiedField::Name => Some(name.clone()),
            RectifiedField::BirthDate => Some(birth.clone()),
            RectifiedField::ChildBirthDate => return Err(child_field()),
            RectifiedField::Address => {
                s.open_opt(crate::clients::T, "address", u, row.address_ct.as_deref())?
            }
        };
        if old.as_deref() == Some(value.as_str()) {
            return Err(CoreError::invalid(
                "value",
                "this is the value already recorded",
            ));
        }
        let tx = self
            .authorize_write_all(
                actor,
                vec![
                    history_access(client, id, input.field),
                    Access::new(
                        AuditAction::Update,
                        AuditObject::ClientProfile,
                        Some(client),
                    )
                    .target(Target::Rectification)
                    .object_id(client)
                    .detail(format!("rectification {id}: {}", input.field.code())),
                ],
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let s = Sealer { key: &key };
        let mut update = zv_store::ClientUpdate::default();
        match input.field {
            RectifiedField::Name => {
                update.name_ct = Some(s.seal(crate::clients::T, "name", u, &value));
            }
            RectifiedField::BirthDate => {
                update.birth_date_ct = Some(s.seal(crate::clients::T, "birth_date", u, &value));
            }
            RectifiedField::ChildBirthDate => return Err(child_field()),
            RectifiedField::Address => {
                update.address_ct = Some(Some(s.seal(crate::clients::T, "address", u, &value)));
            }
        }
        let now = self.now();
        zv_store::clients::update_fields(&tx, client, &update, now).await?;
        if input.field == RectifiedField::BirthDate {
            // The age bands the anonymous reports count follow the corrected date.
            if let Ok(birth) = chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
                self.refresh_age_bands(&tx, client, birth).await?;
            }
        }
        if input.field != RectifiedField::Address {
            // The blind index follows the correction: the old name or date finds the
            // client no more, the new one does.
            let (name, birth) = match input.field {
                RectifiedField::Name => (value.as_str(), birth.as_str()),
                _ => (name.as_str(), value.as_str()),
            };
            let parsed = PersonName::parse(name).map_err(CoreError::field("value"))?;
            let mut tokens = self.keys.index().name_prefix_tokens(&parsed.search_parts());
            tokens.push(self.keys.index().birth_date_token(birth));
            zv_store::search::replace_tokens(&tx, client, &tokens).await?;
        }
        insert_history(
            &tx,
            &s,
            HistoryLine {
                id,
                client,
                related_person: None,
                request: input.request,
                field: input.field,
                old: old.as_deref(),
                new: &value,
                reason: &input.reason,
                by,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, field = input.field.code(), "client data rectified");
        Ok(id)
    }

    /// A client's rectification history (a recorded read), for the workers on the case
    /// and the privacy officer. A confidential address's values are shown only to a reader
    /// who may see that address.
    pub async fn rectifications(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Rectifications> {
        let read = Access::new(AuditAction::Read, AuditObject::Rectification, Some(client))
            .object_id(client);
        let tx = self.store.read_tx().await?;
        let standing = self.standing_in(&tx, actor, &read).await?;
        let confidential = zv_store::clients::has_confidential_address(&tx, client).await?;
        tx.commit().await?;
        let may = Self::permitted_on(
            actor,
            &standing,
            &[
                (AuditAction::Create, Target::Rectification),
                (AuditAction::Read, Target::Address { confidential: true }),
            ],
        )?;
        let show_address = !confidential || may.get(1).copied().unwrap_or(false);
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::rectifications::of_client(&tx, &auth, client).await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let mut staff: Vec<UserId> = rows.iter().map(|r| r.corrected_by).collect();
        staff.sort_unstable();
        staff.dedup();
        let names = zv_store::staff::names_of(&tx, &staff).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let history = rows
            .iter()
            .map(|r| {
                let field = RectifiedField::from_stored(&r.field).ok_or_else(|| {
                    CoreError::Internal("stored rectification field unreadable".into())
                })?;
                let withheld = field == RectifiedField::Address && !show_address;
                let open = |column: &str, ct: Option<&[u8]>| {
                    if withheld {
                        Ok(None)
                    } else {
                        s.open_opt(T, column, r.id, ct)
                    }
                };
                Ok(RectificationView {
                    id: r.id,
                    field,
                    related_person: r.related_person,
                    old_value: open("old_value", r.old_value_ct.as_deref())?,
                    new_value: open("new_value", r.new_value_ct.as_deref())?,
                    values_withheld: withheld,
                    reason: s.open(T, "reason", r.id, &r.reason_ct)?,
                    request: r.request_id,
                    corrected_by: r.corrected_by,
                    corrected_by_name: names.get(&r.corrected_by).cloned().unwrap_or_default(),
                    corrected_at: r.corrected_at,
                })
            })
            .collect::<CoreResult<_>>()?;
        Ok(Rectifications {
            history,
            may_rectify: may.first().copied().unwrap_or(false),
            // Nothing records disclosures yet (issue 7): no recipients to list.
            recipients: Vec::new(),
            recipients_recorded: false,
        })
    }
}
