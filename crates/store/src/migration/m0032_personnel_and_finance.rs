//! Applicants, staff records and financial records (RET-2, decision 0034).
//!
//! - `vacancies`: title, closing day, and the day the procedure ended (null while it
//!   runs). A vacancy names nobody; its applicants carry the terms.
//! - `applicants`: the vacancy, name, e-mail and telephone sealed with the system key
//!   (`*_ct`), the day they applied; the written consent to keep them in portfolio (day
//!   and chosen last day); `keep_until`, set when the procedure ends (the later of the
//!   policy's term and the portfolio's), so an applicant of a running procedure is never
//!   due.
//! - `staff_records`: name and function sealed, first day, day of leaving (null while
//!   employed); `keep_until` (the rest of the record) and `id_copy_until` (the copy of
//!   the identity document), both set when the day of leaving is recorded.
//! - `financial_records`: booking day, description, counterparty and amount sealed;
//!   `keep_until` from the end of the financial year, set at once.
//! - `record_files`: the documents of these records (CV, letter, ID copy, other document),
//!   sealed files under `data_dir/record-files/`; the name sealed, owner by kind and id.

use sea_orm_migration::prelude::*;

use super::{blob, blob_null, date, date_null, fk, index, integer, text, time, uuid};

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m0032_personnel_and_finance"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("vacancies")
                .col(uuid("id").primary_key())
                .col(text("title"))
                .col(date("closing_on"))
                .col(date_null("procedure_ended_on"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("applicants")
                .col(uuid("id").primary_key())
                .col(uuid("vacancy_id"))
                .col(blob("name_ct"))
                .col(blob_null("email_ct"))
                .col(blob_null("phone_ct"))
                .col(date("applied_on"))
                .col(date_null("consent_on"))
                .col(date_null("portfolio_until"))
                .col(date_null("keep_until"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .foreign_key(&mut fk("applicants", "vacancy_id", "vacancies", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("applicants_vacancy", "applicants", &["vacancy_id"]).to_owned())
            .await?;
        m.create_index(index("applicants_keep_until", "applicants", &["keep_until"]).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("staff_records")
                .col(uuid("id").primary_key())
                .col(blob("name_ct"))
                .col(blob_null("job_title_ct"))
                .col(date("started_on"))
                .col(date_null("left_on"))
                .col(date_null("keep_until"))
                .col(date_null("id_copy_until"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .col(time("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("staff_records_keep_until", "staff_records", &["keep_until"]).to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "staff_records_id_copy_until",
                "staff_records",
                &["id_copy_until"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("financial_records")
                .col(uuid("id").primary_key())
                .col(date("booked_on"))
                .col(blob("description_ct"))
                .col(blob_null("party_ct"))
                .col(blob_null("amount_ct"))
                .col(date("keep_until"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "financial_records_keep_until",
                "financial_records",
                &["keep_until"],
            )
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("record_files")
                .col(uuid("id").primary_key())
                .col(text("owner_kind"))
                .col(uuid("owner_id"))
                .col(text("kind"))
                .col(blob("file_name_ct"))
                .col(text("media_type"))
                .col(integer("size_bytes"))
                .col(uuid("created_by"))
                .col(time("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "record_files_owner",
                "record_files",
                &["owner_kind", "owner_id"],
            )
            .to_owned(),
        )
        .await?;
        Ok(())
    }
}
