//! Bulk loading for the demo data set: multi-row inserts of already-encrypted rows, one
//! batch per transaction, so a load reaches tens of thousands of entries per second.

use chrono::{DateTime, NaiveDate, Utc};
use zv_domain::{ClientId, EntryId, NewAuditEvent, TrajectoryId, UserId};

use crate::{
    NewAttachment, NewClient, NewEntry, NewGoalProgress, NewRelatedPerson, NewTrajectory,
    NewWorkNote, StoreError, Tx, WrappedKeyRow,
};

/// A trajectory's closing facts, set after its rows are in.
#[derive(Debug, Clone)]
pub struct TrajectoryClosing {
    pub id: TrajectoryId,
    pub closed_on: NaiveDate,
    pub last_change_at: DateTime<Utc>,
    pub retention_until: Option<NaiveDate>,
}

/// A later version of an entry: entry, version number, content, author, time.
pub type LaterVersion = (EntryId, i32, Vec<u8>, UserId, DateTime<Utc>);

/// Rows for a batch of demo clients, already encrypted by the core.
#[derive(Debug, Default)]
pub struct DemoBatch {
    pub keys: Vec<(ClientId, WrappedKeyRow)>,
    pub clients: Vec<NewClient>,
    pub tokens: Vec<([u8; 16], ClientId)>,
    pub related: Vec<NewRelatedPerson>,
    pub trajectories: Vec<NewTrajectory>,
    pub workers: Vec<(TrajectoryId, UserId, NaiveDate)>,
    pub entries: Vec<NewEntry>,
    /// Later versions of entries.
    pub versions: Vec<LaterVersion>,
    pub progress: Vec<NewGoalProgress>,
    pub attachments: Vec<NewAttachment>,
    pub work_notes: Vec<NewWorkNote>,
    pub closings: Vec<TrajectoryClosing>,
    pub last_changes: Vec<(TrajectoryId, DateTime<Utc>)>,
    pub audit: Vec<NewAuditEvent>,
}

/// Inserts rows with multi-row statements, chunked to stay under PostgreSQL's limit of
/// 65535 bound values per statement.
async fn bulk(
    tx: &Tx,
    insert: &str,
    placeholders: &str,
    rows: Vec<Vec<sea_orm::Value>>,
) -> Result<(), StoreError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let per = (60_000 / width.max(1)).clamp(1, 2_000);
    let mut iter = rows.into_iter().peekable();
    while iter.peek().is_some() {
        let chunk: Vec<_> = iter.by_ref().take(per).collect();
        let mut sql = String::with_capacity(insert.len() + chunk.len() * (placeholders.len() + 2));
        sql.push_str(insert);
        let mut values = Vec::with_capacity(chunk.len() * width);
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(placeholders);
            values.extend(row);
        }
        crate::dialect::exec(tx, &sql, values).await?;
    }
    Ok(())
}

/// Writes one batch. The caller commits.
pub async fn insert_batch(tx: &Tx, b: &DemoBatch) -> Result<(), StoreError> {
    bulk(
        tx,
        "INSERT INTO zv_keys.client_keys (client_id, kek_version, key_version, wrapped) VALUES ",
        "(?, ?, ?, ?)",
        b.keys
            .iter()
            .map(|(c, k)| {
                vec![
                    c.as_uuid().into(),
                    k.kek_version.into(),
                    k.key_version.into(),
                    k.wrapped.clone().into(),
                ]
            })
            .collect(),
    )
    .await?;
    bulk(
        tx,
        crate::clients::INSERT,
        crate::clients::PLACEHOLDERS,
        b.clients.iter().map(crate::clients::values).collect(),
    )
    .await?;
    bulk(
        tx,
        "INSERT INTO search_tokens (token, client_id) VALUES ",
        "(?, ?)",
        {
            let mut seen = std::collections::HashSet::new();
            b.tokens
                .iter()
                .filter(|(t, c)| seen.insert((*t, *c)))
                .map(|(t, c)| vec![t.to_vec().into(), c.as_uuid().into()])
                .collect()
        },
    )
    .await?;
    bulk(
        tx,
        crate::related_persons::INSERT,
        crate::related_persons::PLACEHOLDERS,
        b.related
            .iter()
            .map(crate::related_persons::values)
            .collect(),
    )
    .await?;
    bulk(
        tx,
        crate::trajectories::INSERT,
        crate::trajectories::PLACEHOLDERS,
        b.trajectories
            .iter()
            .map(crate::trajectories::values)
            .collect(),
    )
    .await?;
    bulk(
        tx,
        "INSERT INTO trajectory_workers (trajectory_id, user_id, assigned_on) VALUES ",
        "(?, ?, ?)",
        b.workers
            .iter()
            .map(|(t, u, d)| vec![t.as_uuid().into(), u.as_uuid().into(), (*d).into()])
            .collect(),
    )
    .await?;
    bulk(
        tx,
        crate::entries::INSERT,
        crate::entries::PLACEHOLDERS,
        b.entries.iter().map(crate::entries::values).collect(),
    )
    .await?;
    let mut versions: Vec<Vec<sea_orm::Value>> = b
        .entries
        .iter()
        .map(|e| {
            crate::entries::version_values(
                e.id,
                1,
                e.content_ct.clone(),
                e.created_by,
                e.created_at,
            )
        })
        .collect();
    versions.extend(
        b.versions
            .iter()
            .map(|(e, v, ct, a, at)| crate::entries::version_values(*e, *v, ct.clone(), *a, *at)),
    );
    bulk(
        tx,
        crate::entries::INSERT_VERSION,
        crate::entries::VERSION_PLACEHOLDERS,
        versions,
    )
    .await?;
    for (e, v, _, _, at) in &b.versions {
        crate::dialect::exec(
            tx,
            "UPDATE entries SET current_version = ?, updated_at = ? WHERE id = ?",
            vec![(*v).into(), (*at).into(), e.as_uuid().into()],
        )
        .await?;
    }
    bulk(
        tx,
        crate::entries::INSERT_PROGRESS,
        crate::entries::PROGRESS_PLACEHOLDERS,
        b.progress
            .iter()
            .map(crate::entries::progress_values)
            .collect(),
    )
    .await?;
    bulk(
        tx,
        crate::attachments::INSERT,
        crate::attachments::PLACEHOLDERS,
        b.attachments
            .iter()
            .map(crate::attachments::values)
            .collect(),
    )
    .await?;
    bulk(
        tx,
        crate::work_notes::INSERT,
        crate::work_notes::PLACEHOLDERS,
        b.work_notes.iter().map(crate::work_notes::values).collect(),
    )
    .await?;
    for c in &b.closings {
        crate::dialect::exec(tx, "UPDATE trajectories SET closed_on = ?, last_change_at = ?, retention_until = ? WHERE id = ?", vec![c.closed_on.into(), c.last_change_at.into(), c.retention_until.into(), c.id.as_uuid().into()]).await?;
    }
    for (t, at) in &b.last_changes {
        crate::dialect::exec(
            tx,
            "UPDATE trajectories SET last_change_at = ? WHERE id = ?",
            vec![(*at).into(), t.as_uuid().into()],
        )
        .await?;
    }
    crate::audit::append(tx, &b.audit, chrono::Utc::now()).await?;
    Ok(())
}
