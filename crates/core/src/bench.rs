//! Fixtures and baselines for `zorgvuldig bench`: a fictional subject with a dossier of a
//! known size, added to a demo installation, and the plain read the gate is compared with.

use zeroize::Zeroizing;
use zv_domain::{BirthDate, EntryContent, EntryKind, Gender, PersonName, Role, TrajectoryId};

use crate::app::App;
use crate::clients::NewClientInput;
use crate::error::{CoreError, CoreResult};
use crate::gate::Actor;
use crate::trajectories::TrajectoryInput;
use crate::users::NewUserInput;

/// The caseworker the benchmark acts as; created on first use.
pub const BENCH_USER: &str = "bench.caseworker";

/// Who reads, which dossier (it keeps its size), and where the write workload writes.
#[derive(Debug, Clone)]
pub struct BenchSubject {
    pub actor: Actor,
    pub trajectory: TrajectoryId,
    pub write_trajectory: TrajectoryId,
}

impl App {
    /// Finds the benchmark's subject, or makes it: a caseworker of the first team and one
    /// fictional client whose trajectory holds `entries` conversation reports.
    pub async fn bench_subject(&self, entries: u32) -> CoreResult<BenchSubject> {
        let system = Actor::cli("bench");
        let team = self
            .policy()
            .teams()
            .first()
            .ok_or_else(|| CoreError::Internal("the policy has no teams".into()))?
            .clone();
        if self.staff_actor(BENCH_USER, "bench").await.is_err() {
            self.add_user(
                &system,
                NewUserInput {
                    username: BENCH_USER.to_owned(),
                    display_name: "Benchmark Hulpverlener".to_owned(),
                    password: Zeroizing::new(zv_crypto::random_token(24)),
                    roles: vec![Role::Caseworker],
                    teams: vec![team.code.clone()],
                    branch: None,
                    confidentiality_signed_on: Some(self.clock.today()),
                },
            )
            .await?;
        }
        let actor = self.staff_actor(BENCH_USER, "bench").await?;
        // The read dossier is made first, so it sorts first among same-day trajectories.
        let mut open: Vec<_> = self.caseload(&actor).await?.open;
        open.sort_by_key(|i| i.trajectory.id);
        if let [read, write, ..] = open.as_slice() {
            return Ok(BenchSubject {
                trajectory: read.trajectory.id,
                write_trajectory: write.trajectory.id,
                actor,
            });
        }
        let service = self
            .policy()
            .service_types()
            .iter()
            .find(|s| !s.youth_care)
            .or_else(|| self.policy().service_types().first())
            .ok_or_else(|| CoreError::Internal("the policy has no service types".into()))?
            .code
            .clone();
        let today = self.clock.today();
        let (client, trajectory) = self
            .register_client(
                &actor,
                NewClientInput {
                    branch: team.branch.clone(),
                    name: PersonName::parse("Bench Vijftig").map_err(CoreError::field("name"))?,
                    birth_date: BirthDate::parse("1980-05-05", today)
                        .map_err(CoreError::field("birth_date"))?,
                    gender: Gender::Unknown,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                TrajectoryInput {
                    service_type: service.clone(),
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on: today,
                },
            )
            .await?;
        for n in 1..=entries {
            let body = format!(
                "Gesprek {n}: de cliënt vertelt over de week, de afspraken met de school en het \
                 budgetplan. We spreken af dat zij de brief van de gemeente meeneemt. {}",
                "Vervolgafspraak over twee weken. ".repeat(8)
            );
            let content = EntryContent::parse(
                EntryKind::ConversationReport,
                &format!("Gesprek {n}"),
                &body,
                None,
            )
            .map_err(CoreError::field("body"))?;
            self.add_entry(
                &actor,
                trajectory,
                EntryKind::ConversationReport,
                content,
                None,
            )
            .await?;
        }
        let write_trajectory = self
            .open_trajectory(
                &actor,
                client,
                TrajectoryInput {
                    service_type: service,
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on: today,
                },
            )
            .await?;
        Ok(BenchSubject {
            actor,
            trajectory,
            write_trajectory,
        })
    }

    /// The baseline: the same entry rows by plain SQL, no gate, audit or decryption.
    pub async fn bench_plain_read(&self, trajectory: TrajectoryId) -> CoreResult<usize> {
        let tx = self.store.begin().await?;
        let bytes = zv_store::entries::plain_read_bytes_for_benchmark(&tx, trajectory).await?;
        tx.commit().await?;
        Ok(bytes)
    }
}
