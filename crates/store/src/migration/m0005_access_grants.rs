//! Purpose-bound access grants (ACC-3 complaint, ACC-4 quality review, ACC-5 emergency
//! access, ACC-6 substitute) and the complaints a manager's grant is bound to.

use sea_orm_migration::prelude::*;

use super::{blob, date, date_null, index, text, text_null, time, time_null, uuid, uuid_null};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0005_access_grants"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The complaint's subject is about the client, so it is sealed with the client's
        // key; date, channel and state are not personal data.
        m.create_table(
            Table::create()
                .table("complaints")
                .col(uuid("id").primary_key())
                .col(uuid("client_id"))
                .col(uuid("trajectory_id"))
                .col(date("received_on"))
                .col(text("channel"))
                .col(blob("subject_ct"))
                .col(uuid("handler_id"))
                .col(date_null("closed_on"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("complaints_client", "complaints", &["client_id"]))
            .await?;
        // One row per grant. Which columns are set depends on the kind: a trajectory for
        // complaint and emergency grants, an absent worker for a substitute, a team or
        // service type for a quality review's scope. Reasons and purposes are written
        // without naming a client (the forms say so); they are shown to the privacy
        // officer, who reviews every grant.
        m.create_table(
            Table::create()
                .table("access_grants")
                .col(uuid("id").primary_key())
                .col(text("kind"))
                .col(uuid("holder_id"))
                .col(uuid_null("trajectory_id"))
                .col(uuid_null("client_id"))
                .col(uuid_null("absent_user_id"))
                .col(text_null("scope_team"))
                .col(text_null("scope_service_type"))
                .col(uuid_null("complaint_id"))
                .col(text("purpose"))
                .col(time("starts_at"))
                .col(time("ends_at"))
                .col(time_null("ended_at"))
                .col(uuid_null("granted_by"))
                .col(time_null("reviewed_at"))
                .col(uuid_null("reviewed_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "access_grants_holder",
            "access_grants",
            &["holder_id"],
        ))
        .await
    }
}
