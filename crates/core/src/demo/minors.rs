//! The demo's parent in the portal (MIN-1): a child under 12 of the first team's
//! caseworker, with a small dossier and a confidential address, and a parent with
//! authority who reads it through a portal account of their own.

use chrono::{Days, Months};
use zv_domain::{Address, BirthDate, EntryContent, EntryKind, Gender, PersonName, RelationKind};

use super::{DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoOptions, DemoPortalAccount};
use crate::app::App;
use crate::clients::NewClientInput;
use crate::error::{CoreError, CoreResult};
use crate::related::RelatedPersonInput;

/// The username of the demo's parent in the portal.
pub const DEMO_PARENT_USERNAME: &str = "demo.ouder";

impl App {
    /// A child of 9 with a parent with authority who has a portal account: the parent
    /// reads the child's dossier, never its work notes or its confidential address.
    pub(super) async fn demo_parent(&self, opts: DemoOptions) -> CoreResult<DemoPortalAccount> {
        let team = self.policy.teams().first().ok_or_else(|| {
            CoreError::Internal("the policy has no teams to give the demo child".into())
        })?;
        let caseworker = "hulpverlener1";
        let worker = self.staff_actor(caseworker, "demo").await?;
        let service = self
            .policy
            .service_types()
            .iter()
            .find(|s| s.youth_care)
            .or_else(|| self.policy.service_types().first())
            .ok_or_else(|| CoreError::Internal("the policy has no service types".into()))?;
        let today = self.clock.today();
        let born = opts
            .as_of
            .checked_sub_months(Months::new(12 * 9))
            .unwrap_or(opts.as_of);
        let opened_on = opts
            .as_of
            .checked_sub_days(Days::new(30))
            .unwrap_or(opts.as_of)
            .min(today);
        let (child, trajectory) = self
            .register_client(
                &worker,
                NewClientInput {
                    branch: team.branch.clone(),
                    name: PersonName::parse("Lieke Mulder").map_err(CoreError::field("name"))?,
                    birth_date: BirthDate::parse(&born.to_string(), today)
                        .map_err(CoreError::field("birth_date"))?,
                    gender: Gender::Female,
                    address: Some(
                        Address::parse("Opvangadres 1\n5701 AB Voorbeeldstad")
                            .map_err(CoreError::field("address"))?,
                    ),
                    phone: None,
                    email: None,
                    confidential_address: true,
                },
                crate::trajectories::TrajectoryInput {
                    service_type: service.code.clone(),
                    team: team.code.clone(),
                    domestic_violence: false,
                    opened_on,
                    municipality: None,
                },
            )
            .await?;
        self.add_entry(
            &worker,
            trajectory,
            EntryKind::ConversationReport,
            EntryContent {
                title: "Gesprek met Lieke en haar vader".to_owned(),
                body: "Kennismaking; afspraken over school en slapen.".to_owned(),
                progress: None,
            },
            None,
        )
        .await?;
        self.add_work_note(
            &worker,
            trajectory,
            "Eigen aantekening: nooit zichtbaar in het portaal.",
        )
        .await?;
        let parent = self
            .add_related_person(
                &worker,
                child,
                RelatedPersonInput {
                    relation: RelationKind::ParentWithAuthority,
                    name: PersonName::parse("Mark Mulder").map_err(CoreError::field("name"))?,
                    birth_date: None,
                    phone: None,
                    email: None,
                    address: None,
                    authority_since: Some(born),
                    mandate: None,
                    linked_client: None,
                },
            )
            .await?;
        let issued = self.invite_related_to_portal(&worker, parent).await?;
        let session = self
            .redeem_portal_invitation(&issued.code, DEMO_PARENT_USERNAME, DEMO_PASSWORD, "demo")
            .await?;
        self.portal_sign_out(&session.token, "demo").await?;
        let secret = totp_rs::Secret::try_from_base32(DEMO_TOTP_SECRET)
            .map_err(|e| CoreError::Internal(format!("demo totp secret: {e}")))?
            .as_bytes()
            .to_vec();
        let tx = self.store.begin().await?;
        let link = zv_store::minors::link_of_person(&tx, parent)
            .await?
            .ok_or_else(|| CoreError::Internal("the demo parent's account was not made".into()))?;
        let sealed = self.keys.system().encrypt(
            &secret,
            &zv_crypto::Aad::new("portal_accounts", "totp_secret", link.account_id.as_uuid()),
        );
        zv_store::portal::set_confirmed_totp_secret(&tx, link.account_id, &sealed).await?;
        tx.commit().await?;
        Ok(DemoPortalAccount {
            username: DEMO_PARENT_USERNAME.to_owned(),
            caseworker: caseworker.to_owned(),
        })
    }
}
