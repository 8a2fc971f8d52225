//! A course in the demo installation, so a newcomer finds group activities with
//! participants, an opt-out, attendance and a consent to look at (GRP-1, GRP-2).

use chrono::Days;

use super::{ActivityInput, ConsentInput, ParticipantInput};
use crate::app::App;
use crate::error::CoreResult;

impl App {
    /// Registers a running course for the policy's last team (LEVgroep: group activities
    /// Best), as that team's demo caseworker. Nothing when the organisation runs none.
    pub(crate) async fn demo_activities(&self) -> CoreResult<()> {
        if !self.runs_group_activities() {
            return Ok(());
        }
        let teams = self.policy.teams();
        let Some(team) = teams.last() else {
            return Ok(());
        };
        // The demo's staff plan names a caseworker per team in the policy's order.
        let worker = self
            .staff_actor(&format!("hulpverlener{}", teams.len()), "demo")
            .await?;
        // Today's clock, not the demo's reference day: attendance and the notice about
        // photos lie on or before today.
        let as_of = self.clock.today();
        let day = |back: u64| as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of);
        let starts = day(21);
        let ends = as_of.checked_add_days(Days::new(21)).unwrap_or(as_of);
        let activity = self
            .create_activity(
                &worker,
                &ActivityInput {
                    team: team.code.clone(),
                    kind: "course".into(),
                    title: "Cursus Opvoeden met plezier".into(),
                    location: "Wijkhuis De Ontmoeting".into(),
                    starts_on: starts.to_string(),
                    ends_on: ends.to_string(),
                    photos: true,
                },
            )
            .await?;
        self.record_photo_notice(
            &worker,
            activity,
            &day(28).to_string(),
            "In de uitnodiging en mondeling bij de aanmelding",
        )
        .await?;
        let mut people = Vec::new();
        for (name, birth, gender, opt_out) in [
            ("Fatima el Amrani", "1988-04-12", "female", false),
            ("Mark Jansen", "1983-09-30", "male", true),
            ("Yvonne Smit", "1991-01-17", "female", false),
        ] {
            people.push(
                self.add_participant(
                    &worker,
                    activity,
                    &ParticipantInput {
                        name: name.into(),
                        address: String::new(),
                        birth_date: birth.into(),
                        gender: gender.into(),
                        phone: String::new(),
                        email: String::new(),
                        photo_opt_out: opt_out,
                    },
                )
                .await?,
            );
        }
        for back in [21, 14, 7] {
            let session = self
                .add_activity_session(&worker, activity, &day(back).to_string())
                .await?;
            let present: Vec<_> = people
                .iter()
                .copied()
                .take(if back == 14 { 2 } else { 3 })
                .collect();
            self.record_attendance(&worker, session, &present).await?;
        }
        self.record_media_consent(
            &worker,
            people[0],
            &ConsentInput {
                use_code: "internal".into(),
                signed_on: day(21).to_string(),
                signed_by: "participant".into(),
            },
        )
        .await?;
        Ok(())
    }
}
