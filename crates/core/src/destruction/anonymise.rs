//! Anonymising (RET-4): of a trajectory whose rule says `on_expiry = "anonymise"`, only
//! the facts the organisation reports on stay (service type, branch and municipality,
//! the year the help ended, the age band at its start, the outcome of goals), in a table
//! without any id of the client or trajectory; everything else is destroyed as for
//! `destroy`, with the client's data key when the client goes.
//!
//! The age band and municipality come with the trajectory's report facts (SHR-5,
//! decision 0038). Only a trajectory from before those were kept needs the client's birth
//! date: the sweep reads it through the gate like any read (recorded first, for the job,
//! with purpose retention); the date itself never leaves this module, only the band does.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use zv_domain::{ClientId, Purpose};
use zv_store::sweep::{AnonymisedFacts, DueTrajectory};

use crate::app::App;
use crate::error::CoreResult;
use crate::gate::Actor;

/// The rule recorded with the read of a birth date for anonymising.
const AGE_BAND_RULE: &str = "ret4-anonymised-age-band";

impl App {
    /// The birth dates of the clients, each read recorded before it is read. One group of
    /// audit events for the whole batch.
    pub(super) async fn birth_dates_for_anonymising(
        &self,
        actor: &Actor,
        clients: &[ClientId],
    ) -> CoreResult<HashMap<ClientId, NaiveDate>> {
        let mut out = HashMap::new();
        let proofs = self
            .authorize_job_profile_reads(
                actor,
                clients,
                (
                    AGE_BAND_RULE,
                    Purpose::Retention,
                    "birth date for the age band of anonymised facts",
                ),
            )
            .await?;
        if proofs.is_empty() {
            return Ok(out);
        }
        let tx = self.store.read_tx().await?;
        for (client, auth) in clients.iter().zip(proofs) {
            // A client destroyed in the meantime has nothing left to anonymise.
            if let Some((birth, _)) = self.person_facts_in(&tx, &auth).await? {
                out.insert(*client, birth);
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The facts an anonymised trajectory leaves: codes, a year, a band and two counts.
    pub(super) fn anonymised_facts(
        &self,
        t: &DueTrajectory,
        rule: &str,
        birth: Option<NaiveDate>,
        goals: (i64, i64),
        on: NaiveDate,
    ) -> AnonymisedFacts {
        // The municipality recorded with the trajectory; otherwise a branch serving one
        // municipality names it, and one serving several cannot say which without the
        // client's address, which is not kept.
        let municipality = t.municipality.clone().or_else(|| {
            self.policy
                .branches()
                .iter()
                .find(|b| b.code == t.branch_code)
                .and_then(|b| match b.municipalities.as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                })
        });
        AnonymisedFacts {
            service_type: t.service_type.clone(),
            branch_code: t.branch_code.clone(),
            municipality,
            year: t.closed_on.unwrap_or(t.retention_until).year(),
            age_band: t.age_band.clone().or_else(|| {
                birth.map(|b| {
                    crate::reports::facts::age_band_code(
                        self.policy.age_bands().band(b, t.opened_on),
                    )
                    .to_owned()
                })
            }),
            goals: goals.0,
            goals_reached: goals.1,
            rule: rule.to_owned(),
            anonymised_on: on,
        }
    }
}
