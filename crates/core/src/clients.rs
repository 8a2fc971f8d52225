//! Clients ("cliënten"): registration, the profile, the BSN (DOS-4) and search by name or
//! birth date through the blind index.

use serde::Serialize;
use zv_domain::{
    Address, AuditAction, AuditObject, BirthDate, Bsn, ClientId, Email, Gender, PersonName, Phone,
    TrajectoryId,
};
use zv_store::{ClientRow, NewClient};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::trajectories::TrajectoryInput;

pub(crate) const T: &str = "clients";

/// A search looks at most at this many matching clients; a narrower search finds the
/// rest.
pub const MAX_SEARCH_RESULTS: usize = 50;

/// A new client as entered on the intake form; every field is already validated.
#[derive(Debug, Clone)]
pub struct NewClientInput {
    pub branch: String,
    pub name: PersonName,
    pub birth_date: BirthDate,
    pub gender: Gender,
    pub address: Option<Address>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    /// The address must not be shown to family members (domestic violence).
    pub confidential_address: bool,
}

/// A client's profile as a reader with access sees it. The BSN is only ever masked here;
/// the full number takes a separate, audited action ([`App::reveal_bsn`]).
#[derive(Clone, Serialize)]
pub struct ClientProfile {
    pub id: ClientId,
    pub branch: String,
    pub name: String,
    pub birth_date: chrono::NaiveDate,
    pub gender: Gender,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub bsn_masked: Option<String>,
    pub confidential_address: bool,
    /// The client has a confidential address this reader may not see (only the
    /// workers assigned to the client do).
    pub address_withheld: bool,
}

impl std::fmt::Debug for ClientProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientProfile({}, ***)", self.id)
    }
}

/// What a colleague of another team may see of a client (ACC-2): who, and which services
/// (without content); `open` says which trajectories the reader may also open.
#[derive(Clone, Serialize)]
pub struct ServicesOverview {
    pub id: ClientId,
    pub name: String,
    pub birth_date: chrono::NaiveDate,
    pub services: Vec<ServiceLine>,
}

impl std::fmt::Debug for ServicesOverview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServicesOverview({}, ***)", self.id)
    }
}

/// What a search found: the matching clients the reader may see, in id order, and
/// whether more clients matched than a search looks at ([`MAX_SEARCH_RESULTS`]), so the
/// reader knows to narrow it.
#[derive(Debug, Clone)]
pub struct ClientSearch {
    pub found: Vec<ServicesOverview>,
    pub more: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceLine {
    pub trajectory: crate::trajectories::TrajectorySummary,
    /// The reader may open this trajectory's dossier.
    pub open: bool,
}

pub(crate) struct SealedClient {
    pub row: NewClient,
    pub tokens: Vec<[u8; 16]>,
}

impl App {
    /// Encrypts a new client's fields under its own data key and computes its search
    /// tokens. Shared by intake and the demo loader, so both store the same shape.
    pub(crate) fn seal_client(
        &self,
        id: ClientId,
        input: &NewClientInput,
        key: &zv_crypto::DataKey,
    ) -> SealedClient {
        let s = Sealer { key };
        let u = id.as_uuid();
        let now = self.now();
        let birth = input.birth_date.date().format("%Y-%m-%d").to_string();
        let mut tokens = self
            .keys
            .index()
            .name_prefix_tokens(&input.name.search_parts());
        tokens.push(self.keys.index().birth_date_token(&birth));
        SealedClient {
            row: NewClient {
                id,
                branch_code: input.branch.clone(),
                name_ct: s.seal(T, "name", u, input.name.expose()),
                birth_date_ct: s.seal(T, "birth_date", u, &birth),
                gender_ct: Some(s.seal(T, "gender", u, input.gender.code())),
                address_ct: s.seal_opt(
                    T,
                    "address",
                    u,
                    input.address.as_ref().map(Address::expose),
                ),
                phone_ct: s.seal_opt(T, "phone", u, input.phone.as_ref().map(Phone::expose)),
                email_ct: s.seal_opt(T, "email", u, input.email.as_ref().map(Email::expose)),
                bsn_ct: None,
                confidential_address: input.confidential_address,
                created_at: now,
            },
            tokens,
        }
    }

    /// Intake: registers a client with a fresh data key and opens the first trajectory,
    /// with the registering worker assigned to it, in one transaction.
    pub async fn register_client(
        &self,
        actor: &Actor,
        input: NewClientInput,
        first: TrajectoryInput,
    ) -> CoreResult<(ClientId, TrajectoryId)> {
        self.register_client_with_receipt(actor, input, first, None)
            .await
    }

    /// [`Self::register_client`], with the privacy statement handed over at intake
    /// (ORG-3) recorded in the same transaction: a failure registers neither.
    pub async fn register_client_with_receipt(
        &self,
        actor: &Actor,
        input: NewClientInput,
        first: TrajectoryInput,
        receipt: Option<crate::statement_receipts::StatementReceiptInput>,
    ) -> CoreResult<(ClientId, TrajectoryId)> {
        if self.policy.branch(&input.branch).is_none() {
            return Err(CoreError::invalid("branch", "unknown branch"));
        }
        if let Some(r) = &receipt {
            self.check_statement_receipt(r)?;
        }
        // A new client has no trajectory yet, so no standing: the intake rule decides.
        let intake = Access::new(AuditAction::Create, AuditObject::ClientProfile, None)
            .target(crate::access::Target::Intake);
        let decision = self.decide(actor, &intake).await?;
        if !decision.allowed {
            return Err(CoreError::NotAllowed(
                "registering clients is for caseworkers and team leads with a recorded confidentiality statement".into(),
            ));
        }
        let id = ClientId::new();
        let trajectory =
            self.new_trajectory_row(id, &first, Some((input.birth_date.date(), input.gender)))?;
        let (key, wrapped) = self.keys.new_client_key(id)?;
        let sealed = self.seal_client(id, &input, &key);
        let tx = self.store.begin().await?;
        self.record_client_event(
            &tx,
            actor,
            Access::new(AuditAction::Create, AuditObject::ClientProfile, Some(id)).object_id(id),
            &decision,
        )
        .await?;
        self.record_client_event(
            &tx,
            actor,
            Access::new(AuditAction::Create, AuditObject::Trajectory, Some(id))
                .object_id(trajectory.id),
            &decision,
        )
        .await?;
        zv_store::keys::insert_client_key(&tx, id, &wrapped).await?;
        zv_store::clients::insert(&tx, &sealed.row).await?;
        zv_store::search::replace_tokens(&tx, id, &sealed.tokens).await?;
        zv_store::trajectories::insert(&tx, &trajectory).await?;
        if let Some(user) = actor.user_id() {
            zv_store::trajectories::assign_worker(&tx, trajectory.id, user, first.opened_on)
                .await?;
        }
        if let Some(r) = &receipt {
            let (row, detail) = self.statement_receipt_row(actor, id, r);
            self.record_client_event(
                &tx,
                actor,
                Access::new(AuditAction::Create, AuditObject::StatementReceipt, Some(id))
                    .object_id(row.id)
                    .detail(detail),
                &decision,
            )
            .await?;
            zv_store::statement_receipts::insert(&tx, &row).await?;
        }
        tx.commit().await?;
        tracing::info!(client.id = %id, trajectory.id = %trajectory.id, "client registered");
        Ok((id, trajectory.id))
    }

    /// Reads a client's profile (audited). A confidential address (a shelter) is
    /// decided on its own: shown only to the workers assigned to the client, each
    /// display recorded as a read of the address; anyone else gets the profile without
    /// it (`address` empty, `confidential_address` set).
    pub async fn client_profile(&self, actor: &Actor, id: ClientId) -> CoreResult<ClientProfile> {
        let read =
            Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(id)).object_id(id);
        let tx = self.store.read_tx().await?;
        let standing = self.standing_in(&tx, actor, &read).await?;
        let confidential = zv_store::clients::has_confidential_address(&tx, id).await?;
        tx.commit().await?;
        let address_target = crate::access::Target::Address { confidential: true };
        let show_address = !confidential
            || Self::permitted_on(actor, &standing, &[(AuditAction::Read, address_target)])?
                .first()
                .copied()
                .unwrap_or(false);
        let mut reads = vec![read];
        if confidential && show_address {
            reads.push(
                Access::new(AuditAction::Read, AuditObject::Address, Some(id))
                    .target(address_target)
                    .object_id(id)
                    .detail("confidential address shown"),
            );
        }
        let auth = self.authorize_reads_on(actor, reads, &standing).await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        open_profile(&row, &Sealer { key: &key }, show_address)
    }

    /// The services overview of a client (ACC-2), audited as a read of it.
    pub async fn services_overview(
        &self,
        actor: &Actor,
        id: ClientId,
    ) -> CoreResult<ServicesOverview> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ServicesOverview, Some(id))
                    .object_id(id),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let overview = self
            .overviews_in(&tx, actor, std::slice::from_ref(&auth))
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        Ok(overview)
    }

    /// The overviews behind proofs already minted, in their order: each client's name and
    /// birth date, and each service with whether the reader may open its dossier. One
    /// query per kind of row for all of them (a search shows up to
    /// [`MAX_SEARCH_RESULTS`]).
    async fn overviews_in(
        &self,
        tx: &zv_store::Tx,
        actor: &Actor,
        auths: &[zv_store::Authorized],
    ) -> CoreResult<Vec<ServicesOverview>> {
        let rows = zv_store::clients::get_many(tx, auths).await?;
        let keys = self.keys.client_keys(tx, auths).await?;
        let ids: Vec<ClientId> = auths.iter().map(|a| a.client_id()).collect();
        let trajectories = zv_store::trajectories::of_clients(tx, &ids).await?;
        let dossiers: Vec<Access> = trajectories
            .iter()
            .map(|t| {
                Access::new(
                    AuditAction::Read,
                    AuditObject::Trajectory,
                    Some(t.client_id),
                )
                .in_trajectory(t.id)
                .frozen_per_row(t)
            })
            .collect();
        let standings = self.standings_in(tx, actor, &dossiers).await?;
        let mut services: Vec<(ClientId, ServiceLine)> = Vec::with_capacity(trajectories.len());
        for ((t, dossier), standing) in trajectories.iter().zip(&dossiers).zip(&standings) {
            let open = Self::permitted_on(actor, standing, &[(dossier.action, dossier.target)])?
                .first()
                .copied()
                .unwrap_or(false);
            services.push((
                t.client_id,
                ServiceLine {
                    trajectory: crate::trajectories::TrajectorySummary::from(t),
                    open,
                },
            ));
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            let row = rows
                .iter()
                .find(|r| r.id == id)
                .ok_or(CoreError::NotFound)?;
            let key = keys
                .iter()
                .find_map(|(c, k)| (*c == id).then_some(k))
                .ok_or(CoreError::NotFound)?;
            let s = Sealer { key };
            let u = id.as_uuid();
            let birth = s.open(T, "birth_date", u, &row.birth_date_ct)?;
            found.push(ServicesOverview {
                id,
                name: s.open(T, "name", u, &row.name_ct)?,
                birth_date: chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                    .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?,
                services: services
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, line)| line.clone())
                    .collect(),
            });
        }
        Ok(found)
    }

    /// Whether the actor may read the client's full profile (assigned, or by a grant).
    pub async fn may_read_profile(&self, actor: &Actor, id: ClientId) -> CoreResult<bool> {
        self.permitted(
            actor,
            &Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(id)),
        )
        .await
    }

    /// Records the BSN (DOS-4): only when one of the client's trajectories is of a service
    /// type whose policy names the law that requires it; checked with the elfproef by
    /// [`Bsn::parse`]; stored encrypted.
    pub async fn record_bsn(&self, actor: &Actor, id: ClientId, bsn: &Bsn) -> CoreResult<()> {
        let tx0 = self.store.read_tx().await?;
        let trajectories = zv_store::trajectories::of_client(&tx0, id).await?;
        tx0.commit().await?;
        let allowed = trajectories.iter().any(|t| {
            t.closed_on.is_none()
                && self
                    .policy
                    .service_type(&t.service_type)
                    .is_some_and(|s| s.bsn_legal_basis.is_some())
        });
        if !allowed {
            return Err(CoreError::invalid(
                "bsn",
                "no open trajectory of this client has a service type whose policy names a legal obligation for the BSN",
            ));
        }
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Update, AuditObject::Bsn, Some(id)).object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, id).await?;
        let ct = Sealer { key: &key }.seal(T, "bsn", id.as_uuid(), bsn.expose());
        zv_store::clients::set_bsn(&tx, id, Some(ct), self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Shows the full BSN: a separate action with its own audit event (DOS-4).
    pub async fn reveal_bsn(&self, actor: &Actor, id: ClientId) -> CoreResult<Option<String>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Bsn, Some(id))
                    .object_id(id)
                    .detail("bsn revealed"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        Sealer { key: &key }.open_opt(T, "bsn", id.as_uuid(), row.bsn_ct.as_deref())
    }

    /// Finds clients by a name prefix (each word at least two letters) and/or an exact
    /// birth date, through the blind index; returns only clients the actor may see, and
    /// records the search itself (NEN 7513 counts searches as events).
    pub async fn search_clients(
        &self,
        actor: &Actor,
        name: &str,
        birth_date: Option<BirthDate>,
    ) -> CoreResult<ClientSearch> {
        let mut tokens = Vec::new();
        for word in zv_domain::person::normalise_for_search(name)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let token =
                self.keys.index().name_query_token(word).ok_or_else(|| {
                    CoreError::invalid("name", "type at least two letters of a name")
                })?;
            tokens.push(token);
        }
        if let Some(b) = birth_date {
            tokens.push(
                self.keys
                    .index()
                    .birth_date_token(&b.date().format("%Y-%m-%d").to_string()),
            );
        }
        if tokens.is_empty() {
            return Err(CoreError::invalid(
                "name",
                "type at least two letters of a name, or a birth date",
            ));
        }
        // One more than is shown tells whether the search was narrow enough.
        let tx = self.store.read_tx().await?;
        let mut candidates =
            zv_store::search::find_clients_with_all(&tx, &tokens, MAX_SEARCH_RESULTS as u64 + 1)
                .await?;
        tx.commit().await?;
        let more = candidates.len() > MAX_SEARCH_RESULTS;
        candidates.truncate(MAX_SEARCH_RESULTS);
        let search =
            Access::new(AuditAction::Search, AuditObject::ClientSearch, None).detail(if more {
                format!("candidates>{MAX_SEARCH_RESULTS}")
            } else {
                format!("candidates={}", candidates.len())
            });
        // Each candidate is decided on its own: colleagues see who a client is and which
        // services they use (ACC-2), and each result shown is a recorded read of that.
        // The search and the reads of all results commit as one group (one sync, not one
        // per result), and only then is any of them read.
        let accesses: Vec<Access> = candidates
            .into_iter()
            .map(|client| {
                Access::new(
                    AuditAction::Read,
                    AuditObject::ServicesOverview,
                    Some(client),
                )
                .object_id(client)
            })
            .collect();
        let tx = self.store.read_tx().await?;
        let standings = self.standings_in(&tx, actor, &accesses).await?;
        tx.commit().await?;
        let mut reads = Vec::new();
        for (access, standing) in accesses.into_iter().zip(standings) {
            if Self::permitted_on(actor, &standing, &[(access.action, access.target)])?
                .first()
                .copied()
                .unwrap_or(false)
            {
                reads.push((access, standing));
            }
        }
        let proofs = self
            .authorize_reads_of_clients(actor, Some(&search), reads)
            .await?;
        let tx = self.store.read_tx().await?;
        let found = self.overviews_in(&tx, actor, &proofs).await?;
        tx.commit().await?;
        Ok(ClientSearch { found, more })
    }

    /// Appends a client event inside an already open transaction, under a decision
    /// already taken for it.
    pub(crate) async fn record_client_event(
        &self,
        tx: &zv_store::Tx,
        actor: &Actor,
        access: Access,
        decision: &crate::access::Decision,
    ) -> CoreResult<()> {
        zv_store::audit::append(
            tx,
            &[crate::gate::event(
                actor,
                &access,
                zv_domain::AuditOutcome::Success,
                decision,
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }
}

fn open_profile(row: &ClientRow, s: &Sealer<'_>, show_address: bool) -> CoreResult<ClientProfile> {
    let u = row.id.as_uuid();
    let birth = s.open(T, "birth_date", u, &row.birth_date_ct)?;
    let gender = s.open_opt(T, "gender", u, row.gender_ct.as_deref())?;
    let bsn = s.open_opt(T, "bsn", u, row.bsn_ct.as_deref())?;
    Ok(ClientProfile {
        id: row.id,
        branch: row.branch_code.clone(),
        name: s.open(T, "name", u, &row.name_ct)?,
        birth_date: chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?,
        gender: gender
            .as_deref()
            .map(Gender::parse)
            .transpose()
            .map_err(|_| CoreError::Internal("stored gender unreadable".into()))?
            .unwrap_or(Gender::Unknown),
        address: if show_address {
            s.open_opt(T, "address", u, row.address_ct.as_deref())?
        } else {
            None
        },
        phone: s.open_opt(T, "phone", u, row.phone_ct.as_deref())?,
        email: s.open_opt(T, "email", u, row.email_ct.as_deref())?,
        bsn_masked: bsn
            .as_deref()
            .and_then(|b| Bsn::parse(b).ok())
            .map(|b| b.masked()),
        confidential_address: row.confidential_address,
        address_withheld: !show_address && row.address_ct.is_some(),
    })
}
