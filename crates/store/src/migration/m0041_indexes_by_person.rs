//! Eight columns that name a person (a handler, a portal account, a related person) had
//! no index, so a lookup by one of them read the whole table. Four are looked up today:
//! a manager's open complaints by handler, a portal account's downloads (access copies,
//! portability exports) and a related person's pending invitation. The other four (the
//! portal account of a complaint or a rights request, the related person of a consent's
//! giver or of a rectification) are what a rights request from that person, or the
//! removal of that person, must find rows by; indexed now, no such query will scan. A
//! store test keeps every column named after a client, related person, portal account,
//! handler, trajectory, entry or complaint under an index.

use sea_orm_migration::prelude::*;

use super::single_column_indexes;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0041_indexes_by_person"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        single_column_indexes(
            m,
            &[
                ("complaints_handler", "complaints", "handler_id"),
                (
                    "complaints_portal_account",
                    "complaints",
                    "portal_account_id",
                ),
                (
                    "access_copies_portal_account",
                    "access_copies",
                    "portal_account_id",
                ),
                (
                    "portability_exports_portal_account",
                    "portability_exports",
                    "portal_account_id",
                ),
                (
                    "rights_requests_portal_account",
                    "rights_requests",
                    "portal_account_id",
                ),
                (
                    "portal_invitations_related_person",
                    "portal_invitations",
                    "related_person_id",
                ),
                (
                    "consent_givers_related_person",
                    "consent_givers",
                    "related_person_id",
                ),
                (
                    "rectifications_related_person",
                    "rectifications",
                    "related_person_id",
                ),
            ],
        )
        .await
    }
}
