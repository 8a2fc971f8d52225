//! The non-identifying facts a trajectory carries for anonymous reports (SHR-5, decision
//! 0038): the municipality the help is for, the age band on the day it opened and the
//! gender code. They are computed where the sealed birth date and gender are at hand
//! anyway (intake, a correction) or read through the gate once (a further trajectory,
//! and trajectories opened before the facts were kept), so a report never opens a
//! client's data.

use chrono::NaiveDate;
use zv_domain::{AuditAction, AuditObject, ClientId, Gender, Purpose};
use zv_policy::AgeBand;
use zv_store::{Authorized, ReportFacts, Tx};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

/// The rule recorded with the system's reads of birth dates for the report facts.
const FACTS_RULE: &str = "shr5-report-facts";

/// How many trajectories the fill job handles per round.
const FILL_BATCH: u64 = 500;

/// The stable code of an age band, as the report facts and anonymised facts keep it.
#[must_use]
pub fn age_band_code(band: AgeBand) -> &'static str {
    match band {
        AgeBand::UnderOwnAccess => "under_own_access",
        AgeBand::Consultative => "consultative",
        AgeBand::Independent => "independent",
        AgeBand::Adult => "adult",
    }
}

impl App {
    /// The municipality a trajectory of `branch` is for: the one asked for, which must be
    /// one of the branch's; or, when none is given, the branch's only municipality.
    pub(crate) fn trajectory_municipality(
        &self,
        branch: &str,
        asked: Option<&str>,
    ) -> CoreResult<Option<String>> {
        let list = self
            .policy
            .branches()
            .iter()
            .find(|b| b.code == branch)
            .map(|b| b.municipalities.as_slice())
            .unwrap_or_default();
        match asked.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => list
                .iter()
                .find(|x| x.as_str() == m)
                .cloned()
                .map(Some)
                .ok_or_else(|| {
                    CoreError::invalid("municipality", "not a municipality of this branch")
                }),
            None => Ok(match list {
                [one] => Some(one.clone()),
                _ => None,
            }),
        }
    }

    /// The facts of a trajectory opened on `opened_on` for a person born on `birth`.
    pub(crate) fn report_facts(
        &self,
        municipality: Option<String>,
        birth: NaiveDate,
        gender: Gender,
        opened_on: NaiveDate,
    ) -> ReportFacts {
        ReportFacts {
            municipality,
            age_band: Some(
                age_band_code(self.policy.age_bands().band(birth, opened_on)).to_owned(),
            ),
            gender: Some(gender.code().to_owned()),
        }
    }

    /// The client's birth date and gender, read inside `tx` with a proof the caller
    /// obtained. `None` when the client is gone.
    pub(crate) async fn person_facts_in(
        &self,
        tx: &Tx,
        auth: &Authorized,
    ) -> CoreResult<Option<(NaiveDate, Gender)>> {
        let client = auth.client_id();
        let Some(row) = zv_store::clients::get(tx, auth, client).await? else {
            return Ok(None);
        };
        let key = match self.keys.client_key(tx, auth).await {
            Ok(key) => key,
            Err(CoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let s = Sealer { key: &key };
        let u = client.as_uuid();
        let birth = s.open(crate::clients::T, "birth_date", u, &row.birth_date_ct)?;
        let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?;
        let gender = s
            .open_opt(crate::clients::T, "gender", u, row.gender_ct.as_deref())?
            .map(|g| Gender::parse(&g))
            .transpose()
            .map_err(|_| CoreError::Internal("stored gender unreadable".into()))?
            .unwrap_or(Gender::Unknown);
        Ok(Some((birth, gender)))
    }

    /// The person facts for a further trajectory of a client the actor works with: one
    /// read of the profile, recorded for the actor, whose values never leave the core.
    pub(crate) async fn person_facts_for_trajectory(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Option<(NaiveDate, Gender)>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
                    .object_id(client)
                    .purpose(Purpose::Care)
                    .detail("age band and gender for the anonymous reports"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let facts = self.person_facts_in(&tx, &auth).await?;
        tx.commit().await?;
        Ok(facts)
    }

    /// Fills the age band and gender of trajectories opened before the facts were kept,
    /// in rounds, each read of a birth date recorded first (for the job, purpose
    /// statistics). Returns how many trajectories were filled. Idempotent: a second run
    /// finds nothing to do.
    pub async fn fill_report_facts(&self, actor: &Actor) -> CoreResult<u64> {
        let mut filled = 0u64;
        let mut unreadable = std::collections::HashSet::new();
        loop {
            let tx = self.store.read_tx().await?;
            let todo = zv_store::reports::missing_person_facts(&tx, FILL_BATCH).await?;
            tx.commit().await?;
            let todo: Vec<_> = todo
                .into_iter()
                .filter(|(t, _, _)| !unreadable.contains(t))
                .collect();
            if todo.is_empty() {
                return Ok(filled);
            }
            let mut clients: Vec<ClientId> = todo.iter().map(|(_, c, _)| *c).collect();
            clients.dedup();
            let proofs = self
                .authorize_job_profile_reads(
                    actor,
                    &clients,
                    (
                        FACTS_RULE,
                        Purpose::Statistics,
                        "age band and gender for the anonymous reports",
                    ),
                )
                .await?;
            let tx = self.store.begin().await?;
            for (client, auth) in clients.iter().zip(proofs) {
                let person = self.person_facts_in(&tx, &auth).await?;
                for (trajectory, _, opened_on) in todo.iter().filter(|(_, c, _)| c == client) {
                    match person {
                        Some((birth, gender)) => {
                            let facts = self.report_facts(None, birth, gender, *opened_on);
                            zv_store::reports::set_person_facts(
                                &tx,
                                *trajectory,
                                facts.age_band.as_deref(),
                                facts.gender.as_deref(),
                            )
                            .await?;
                            filled += 1;
                        }
                        // A client whose key is gone is being destroyed; the sweep
                        // takes the trajectory, the job does not loop on it.
                        None => {
                            unreadable.insert(*trajectory);
                        }
                    }
                }
            }
            tx.commit().await?;
        }
    }

    /// After a birth date is corrected: the age band of each of the client's
    /// trajectories follows, inside the correction's transaction.
    pub(crate) async fn refresh_age_bands(
        &self,
        tx: &Tx,
        client: ClientId,
        birth: NaiveDate,
    ) -> CoreResult<()> {
        for t in zv_store::trajectories::of_client(tx, client).await? {
            let band = age_band_code(self.policy.age_bands().band(birth, t.opened_on));
            zv_store::reports::set_person_facts(tx, t.id, Some(band), None).await?;
        }
        Ok(())
    }
}
