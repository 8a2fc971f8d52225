//! Vacancies and applicants, staff records and financial records (RET-2, m0032), with their
//! documents as sealed files under `data_dir/record-files/<id>`. None of these people is a
//! client, so no client's proof covers them: the core's gate decides and records every
//! access before it calls these functions, and the personal fields arrive here sealed
//! with the system key (ciphertext only).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::rows::micros;
use crate::{Store, StoreError, Tx};

const DIR: &str = "record-files";

/// The owner kinds of a file, as stored.
pub const OWNER_APPLICANT: &str = "applicant";
pub const OWNER_STAFF: &str = "staff_record";
pub const OWNER_FINANCIAL: &str = "financial_record";
/// The kind of file that is a copy of an identity document, with its own term.
pub const FILE_ID_COPY: &str = "id_copy";

pub mod vacancy {
    use sea_orm::entity::prelude::*;

    /// A vacancy: no personal data.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vacancies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub title: String,
        pub closing_on: Date,
        pub procedure_ended_on: Option<Date>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod applicant {
    use sea_orm::entity::prelude::*;

    /// An applicant; the personal fields are ciphertext.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "applicants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub vacancy_id: Uuid,
        pub name_ct: Vec<u8>,
        pub email_ct: Option<Vec<u8>>,
        pub phone_ct: Option<Vec<u8>>,
        pub applied_on: Date,
        pub consent_on: Option<Date>,
        pub portfolio_until: Option<Date>,
        pub keep_until: Option<Date>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff {
    use sea_orm::entity::prelude::*;

    /// A staff record; the personal fields are ciphertext.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name_ct: Vec<u8>,
        pub job_title_ct: Option<Vec<u8>>,
        pub started_on: Date,
        pub left_on: Option<Date>,
        pub keep_until: Option<Date>,
        pub id_copy_until: Option<Date>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod financial {
    use sea_orm::entity::prelude::*;

    /// A financial record; the personal fields are ciphertext.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "financial_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub booked_on: Date,
        pub description_ct: Vec<u8>,
        pub party_ct: Option<Vec<u8>>,
        pub amount_ct: Option<Vec<u8>>,
        pub keep_until: Date,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod file {
    use sea_orm::entity::prelude::*;

    /// A document of one of these records; its name is ciphertext, its content a sealed
    /// file.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "record_files")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_kind: String,
        pub owner_id: Uuid,
        pub kind: String,
        pub file_name_ct: Vec<u8>,
        pub media_type: String,
        pub size_bytes: i64,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub type VacancyRow = vacancy::Model;
pub type ApplicantRow = applicant::Model;
pub type StaffRow = staff::Model;
pub type FinancialRow = financial::Model;
pub type FileRow = file::Model;

/// A record's id and last day, for the sweep and the destruction schedule: no content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub id: Uuid,
    pub keep_until: NaiveDate,
}

// --- vacancies ---------------------------------------------------------------------

pub async fn insert_vacancy(tx: &Tx, v: &VacancyRow) -> Result<(), StoreError> {
    vacancy::Entity::insert(vacancy::ActiveModel {
        id: Set(v.id),
        title: Set(v.title.clone()),
        closing_on: Set(v.closing_on),
        procedure_ended_on: Set(v.procedure_ended_on),
        created_by: Set(v.created_by),
        created_at: Set(micros(v.created_at)),
        updated_at: Set(micros(v.updated_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every vacancy, the latest closing first.
pub async fn vacancies(tx: &Tx) -> Result<Vec<VacancyRow>, StoreError> {
    Ok(vacancy::Entity::find()
        .order_by_desc(vacancy::Column::ClosingOn)
        .order_by_asc(vacancy::Column::Id)
        .all(&tx.inner)
        .await?)
}

pub async fn find_vacancy(tx: &Tx, id: Uuid) -> Result<Option<VacancyRow>, StoreError> {
    Ok(vacancy::Entity::find_by_id(id).one(&tx.inner).await?)
}

/// Records the end of a running procedure; `false` when it had ended already (or is gone).
pub async fn end_procedure(
    tx: &Tx,
    id: Uuid,
    on: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(vacancy::Entity::update_many()
        .col_expr(vacancy::Column::ProcedureEndedOn, Expr::value(Some(on)))
        .col_expr(vacancy::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(vacancy::Column::Id.eq(id))
        .filter(vacancy::Column::ProcedureEndedOn.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

// --- applicants ----------------------------------------------------------------------

pub async fn insert_applicant(tx: &Tx, a: &ApplicantRow) -> Result<(), StoreError> {
    applicant::Entity::insert(applicant::ActiveModel {
        id: Set(a.id),
        vacancy_id: Set(a.vacancy_id),
        name_ct: Set(a.name_ct.clone()),
        email_ct: Set(a.email_ct.clone()),
        phone_ct: Set(a.phone_ct.clone()),
        applied_on: Set(a.applied_on),
        consent_on: Set(a.consent_on),
        portfolio_until: Set(a.portfolio_until),
        keep_until: Set(a.keep_until),
        created_by: Set(a.created_by),
        created_at: Set(micros(a.created_at)),
        updated_at: Set(micros(a.updated_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The applicants of a vacancy, in the order they applied.
pub async fn applicants_of(tx: &Tx, vacancy: Uuid) -> Result<Vec<ApplicantRow>, StoreError> {
    Ok(applicant::Entity::find()
        .filter(applicant::Column::VacancyId.eq(vacancy))
        .order_by_asc(applicant::Column::AppliedOn)
        .order_by_asc(applicant::Column::Id)
        .all(&tx.inner)
        .await?)
}

/// How many applicants each vacancy has left.
pub async fn applicant_counts(tx: &Tx) -> Result<BTreeMap<Uuid, u64>, StoreError> {
    let mut out = BTreeMap::new();
    for a in applicant::Entity::find().all(&tx.inner).await? {
        *out.entry(a.vacancy_id).or_insert(0) += 1;
    }
    Ok(out)
}

pub async fn find_applicant(tx: &Tx, id: Uuid) -> Result<Option<ApplicantRow>, StoreError> {
    Ok(applicant::Entity::find_by_id(id).one(&tx.inner).await?)
}

/// Sets an applicant's portfolio consent (or clears it) and the last day that follows.
pub async fn set_portfolio(
    tx: &Tx,
    id: Uuid,
    consent_on: Option<NaiveDate>,
    portfolio_until: Option<NaiveDate>,
    keep_until: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(applicant::Entity::update_many()
        .col_expr(applicant::Column::ConsentOn, Expr::value(consent_on))
        .col_expr(
            applicant::Column::PortfolioUntil,
            Expr::value(portfolio_until),
        )
        .col_expr(applicant::Column::KeepUntil, Expr::value(keep_until))
        .col_expr(applicant::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(applicant::Column::Id.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Applicants whose last day is `until` or earlier. Those of a running procedure have
/// none and are never among them.
pub async fn applicants_until(tx: &Tx, until: NaiveDate) -> Result<Vec<Term>, StoreError> {
    Ok(applicant::Entity::find()
        .filter(applicant::Column::KeepUntil.is_not_null())
        .filter(applicant::Column::KeepUntil.lte(until))
        .order_by_asc(applicant::Column::KeepUntil)
        .order_by_asc(applicant::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .filter_map(|a| {
            a.keep_until.map(|keep_until| Term {
                id: a.id,
                keep_until,
            })
        })
        .collect())
}

// --- staff records -------------------------------------------------------------------

pub async fn insert_staff(tx: &Tx, s: &StaffRow) -> Result<(), StoreError> {
    staff::Entity::insert(staff::ActiveModel {
        id: Set(s.id),
        name_ct: Set(s.name_ct.clone()),
        job_title_ct: Set(s.job_title_ct.clone()),
        started_on: Set(s.started_on),
        left_on: Set(s.left_on),
        keep_until: Set(s.keep_until),
        id_copy_until: Set(s.id_copy_until),
        created_by: Set(s.created_by),
        created_at: Set(micros(s.created_at)),
        updated_at: Set(micros(s.updated_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every staff record, those still employed first, then by first day.
pub async fn staff_records(tx: &Tx) -> Result<Vec<StaffRow>, StoreError> {
    Ok(staff::Entity::find()
        .order_by_asc(staff::Column::StartedOn)
        .order_by_asc(staff::Column::Id)
        .all(&tx.inner)
        .await?)
}

pub async fn find_staff(tx: &Tx, id: Uuid) -> Result<Option<StaffRow>, StoreError> {
    Ok(staff::Entity::find_by_id(id).one(&tx.inner).await?)
}

/// Records the day of leaving and the two last days it sets; `false` when it was
/// recorded already (or the record is gone).
pub async fn record_leaving(
    tx: &Tx,
    id: Uuid,
    left_on: NaiveDate,
    keep_until: NaiveDate,
    id_copy_until: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(staff::Entity::update_many()
        .col_expr(staff::Column::LeftOn, Expr::value(Some(left_on)))
        .col_expr(staff::Column::KeepUntil, Expr::value(Some(keep_until)))
        .col_expr(staff::Column::IdCopyUntil, Expr::value(Some(id_copy_until)))
        .col_expr(staff::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(staff::Column::Id.eq(id))
        .filter(staff::Column::LeftOn.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Staff records whose last day is `until` or earlier.
pub async fn staff_until(tx: &Tx, until: NaiveDate) -> Result<Vec<Term>, StoreError> {
    Ok(staff::Entity::find()
        .filter(staff::Column::KeepUntil.is_not_null())
        .filter(staff::Column::KeepUntil.lte(until))
        .order_by_asc(staff::Column::KeepUntil)
        .order_by_asc(staff::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .filter_map(|s| {
            s.keep_until.map(|keep_until| Term {
                id: s.id,
                keep_until,
            })
        })
        .collect())
}

/// Staff records that still hold a copy of an identity document whose last day is
/// `until` or earlier: the record's id and that day.
pub async fn id_copies_until(tx: &Tx, until: NaiveDate) -> Result<Vec<Term>, StoreError> {
    let due: Vec<Term> = staff::Entity::find()
        .filter(staff::Column::IdCopyUntil.is_not_null())
        .filter(staff::Column::IdCopyUntil.lte(until))
        .order_by_asc(staff::Column::IdCopyUntil)
        .order_by_asc(staff::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .filter_map(|s| {
            s.id_copy_until.map(|keep_until| Term {
                id: s.id,
                keep_until,
            })
        })
        .collect();
    if due.is_empty() {
        return Ok(due);
    }
    let mut holding = HashSet::new();
    for chunk in due.chunks(500) {
        for f in file::Entity::find()
            .filter(file::Column::OwnerKind.eq(OWNER_STAFF))
            .filter(file::Column::Kind.eq(FILE_ID_COPY))
            .filter(file::Column::OwnerId.is_in(chunk.iter().map(|t| t.id).collect::<Vec<_>>()))
            .all(&tx.inner)
            .await?
        {
            holding.insert(f.owner_id);
        }
    }
    Ok(due
        .into_iter()
        .filter(|t| holding.contains(&t.id))
        .collect())
}

// --- financial records ---------------------------------------------------------------

pub async fn insert_financial(tx: &Tx, r: &FinancialRow) -> Result<(), StoreError> {
    financial::Entity::insert(financial::ActiveModel {
        id: Set(r.id),
        booked_on: Set(r.booked_on),
        description_ct: Set(r.description_ct.clone()),
        party_ct: Set(r.party_ct.clone()),
        amount_ct: Set(r.amount_ct.clone()),
        keep_until: Set(r.keep_until),
        created_by: Set(r.created_by),
        created_at: Set(micros(r.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every financial record, the latest booking first.
pub async fn financial_records(tx: &Tx) -> Result<Vec<FinancialRow>, StoreError> {
    Ok(financial::Entity::find()
        .order_by_desc(financial::Column::BookedOn)
        .order_by_asc(financial::Column::Id)
        .all(&tx.inner)
        .await?)
}

pub async fn find_financial(tx: &Tx, id: Uuid) -> Result<Option<FinancialRow>, StoreError> {
    Ok(financial::Entity::find_by_id(id).one(&tx.inner).await?)
}

/// Financial records whose last day is `until` or earlier.
pub async fn financial_until(tx: &Tx, until: NaiveDate) -> Result<Vec<Term>, StoreError> {
    Ok(financial::Entity::find()
        .filter(financial::Column::KeepUntil.lte(until))
        .order_by_asc(financial::Column::KeepUntil)
        .order_by_asc(financial::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|r| Term {
            id: r.id,
            keep_until: r.keep_until,
        })
        .collect())
}

// --- destruction ---------------------------------------------------------------------

/// The ids of the files of the given owners (of one kind of file, or all).
async fn file_ids(
    tx: &Tx,
    owner_kind: &str,
    owners: &[Uuid],
    kind: Option<&str>,
) -> Result<Vec<Uuid>, StoreError> {
    let mut out = Vec::new();
    for chunk in owners.chunks(500) {
        let mut q = file::Entity::find()
            .filter(file::Column::OwnerKind.eq(owner_kind))
            .filter(file::Column::OwnerId.is_in(chunk.to_vec()));
        if let Some(k) = kind {
            q = q.filter(file::Column::Kind.eq(k));
        }
        out.extend(q.all(&tx.inner).await?.into_iter().map(|f| f.id));
    }
    Ok(out)
}

async fn delete_file_rows(tx: &Tx, ids: &[Uuid]) -> Result<u64, StoreError> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += file::Entity::delete_many()
            .filter(file::Column::Id.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
    }
    Ok(n)
}

/// What a destruction removed: rows per table, and the files to remove after the commit.
#[derive(Debug, Default)]
pub struct Destroyed {
    pub counts: BTreeMap<String, u64>,
    pub files: Vec<Uuid>,
}

impl Destroyed {
    fn count(&mut self, table: &str, n: u64) {
        if n > 0 {
            *self.counts.entry(table.to_owned()).or_insert(0) += n;
        }
    }

    /// The records (not files) removed.
    #[must_use]
    pub fn records(&self, table: &str) -> u64 {
        self.counts.get(table).copied().unwrap_or(0)
    }
}

/// Of `ids`, those whose last day (`until`) is before `today`: the condition repeated
/// at the moment of destruction, so a record whose term changed meanwhile stays.
async fn past_term<E>(
    tx: &Tx,
    ids: &[Uuid],
    id: E::Column,
    until: E::Column,
    today: NaiveDate,
) -> Result<Vec<Uuid>, StoreError>
where
    E: EntityTrait,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let found: Vec<Uuid> = E::find()
            .select_only()
            .column(id)
            .filter(id.is_in(chunk.to_vec()))
            .filter(until.lt(today))
            .into_tuple()
            .all(&tx.inner)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// Removes the records of `ids` past their term, with all their files' rows, counted
/// under `table`.
async fn destroy_past_term<E>(
    tx: &Tx,
    ids: &[Uuid],
    (id, until): (E::Column, E::Column),
    (owner, table): (&str, &'static str),
    today: NaiveDate,
) -> Result<Destroyed, StoreError>
where
    E: EntityTrait,
{
    let mut out = Destroyed::default();
    let gone = past_term::<E>(tx, ids, id, until, today).await?;
    out.files = file_ids(tx, owner, &gone, None).await?;
    let n = delete_file_rows(tx, &out.files).await?;
    out.count("record_files", n);
    for chunk in gone.chunks(500) {
        let n = E::delete_many()
            .filter(id.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
        out.count(table, n);
    }
    Ok(out)
}

/// Removes applicants whose last day is before `today`, with their files' rows, in the
/// caller's transaction; the condition is repeated here, so one whose term changed
/// meanwhile stays.
pub async fn destroy_applicants(
    tx: &Tx,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Destroyed, StoreError> {
    use applicant::Column as C;
    destroy_past_term::<applicant::Entity>(
        tx,
        ids,
        (C::Id, C::KeepUntil),
        (OWNER_APPLICANT, "applicants"),
        today,
    )
    .await
}

/// Removes the copies of identity documents of staff records whose ID copy's last day is
/// before `today`; the rest of the record stays.
pub async fn destroy_id_copies(
    tx: &Tx,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Destroyed, StoreError> {
    use staff::Column as C;
    let mut out = Destroyed::default();
    let due = past_term::<staff::Entity>(tx, ids, C::Id, C::IdCopyUntil, today).await?;
    out.files = file_ids(tx, OWNER_STAFF, &due, Some(FILE_ID_COPY)).await?;
    let n = delete_file_rows(tx, &out.files).await?;
    out.count("record_files", n);
    Ok(out)
}

/// Removes staff records whose last day is before `today`, with all their files' rows.
pub async fn destroy_staff(
    tx: &Tx,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Destroyed, StoreError> {
    use staff::Column as C;
    destroy_past_term::<staff::Entity>(
        tx,
        ids,
        (C::Id, C::KeepUntil),
        (OWNER_STAFF, "staff_records"),
        today,
    )
    .await
}

/// Removes financial records whose last day is before `today`, with their files' rows.
pub async fn destroy_financial(
    tx: &Tx,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Destroyed, StoreError> {
    use financial::Column as C;
    destroy_past_term::<financial::Entity>(
        tx,
        ids,
        (C::Id, C::KeepUntil),
        (OWNER_FINANCIAL, "financial_records"),
        today,
    )
    .await
}

// --- files ---------------------------------------------------------------------------

pub async fn insert_file(tx: &Tx, f: &FileRow) -> Result<(), StoreError> {
    file::Entity::insert(file::ActiveModel {
        id: Set(f.id),
        owner_kind: Set(f.owner_kind.clone()),
        owner_id: Set(f.owner_id),
        kind: Set(f.kind.clone()),
        file_name_ct: Set(f.file_name_ct.clone()),
        media_type: Set(f.media_type.clone()),
        size_bytes: Set(f.size_bytes),
        created_by: Set(f.created_by),
        created_at: Set(micros(f.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The files of one record, oldest first.
pub async fn files_of(tx: &Tx, owner_kind: &str, owner: Uuid) -> Result<Vec<FileRow>, StoreError> {
    Ok(file::Entity::find()
        .filter(file::Column::OwnerKind.eq(owner_kind))
        .filter(file::Column::OwnerId.eq(owner))
        .order_by_asc(file::Column::CreatedAt)
        .order_by_asc(file::Column::Id)
        .all(&tx.inner)
        .await?)
}

pub async fn find_file(tx: &Tx, id: Uuid) -> Result<Option<FileRow>, StoreError> {
    Ok(file::Entity::find_by_id(id).one(&tx.inner).await?)
}

fn path(store: &Store, id: Uuid) -> std::path::PathBuf {
    store.data_dir().join(DIR).join(id.to_string())
}

/// Writes a document's sealed content. Call before committing its row: a file without a
/// row is harmless (the sweep removes it), a row without a file is not.
pub async fn put_content(store: &Store, id: Uuid, bytes: &[u8]) -> Result<(), StoreError> {
    crate::blobs::put_path(&store.data_dir().join(DIR), &path(store, id), bytes).await
}

/// The sealed content; a removed file is [`StoreError::NotFound`].
pub async fn get_content(store: &Store, id: Uuid) -> Result<Vec<u8>, StoreError> {
    match tokio::fs::read(path(store, id)).await {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Removes a file; a missing file is not an error (destruction is idempotent).
pub async fn delete_content(store: &Store, id: Uuid) -> Result<(), StoreError> {
    match tokio::fs::remove_file(path(store, id)).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The ids of the files last written at least `settled` ago (a younger one may belong to
/// an upload whose row is about to commit). Temporary files are skipped.
pub async fn list_contents(
    store: &Store,
    settled: std::time::Duration,
) -> Result<Vec<Uuid>, StoreError> {
    let dir = store.data_dir().join(DIR);
    let now = std::time::SystemTime::now();
    let mut out = Vec::new();
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    while let Some(entry) = entries.next_entry().await? {
        let Ok(id) = entry.file_name().to_string_lossy().parse::<Uuid>() else {
            continue;
        };
        let age = now
            .duration_since(entry.metadata().await?.modified()?)
            .unwrap_or_default();
        if age >= settled {
            out.push(id);
        }
    }
    out.sort();
    Ok(out)
}

/// Which of the given files still have their row.
pub async fn existing_files(tx: &Tx, ids: &[Uuid]) -> Result<HashSet<Uuid>, StoreError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        out.extend(
            file::Entity::find()
                .filter(file::Column::Id.is_in(chunk.to_vec()))
                .all(&tx.inner)
                .await?
                .into_iter()
                .map(|f| f.id),
        );
    }
    Ok(out)
}
