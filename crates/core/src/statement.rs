//! The privacy statement and card as documents (TRN-2, ORG-3). The web layer words them
//! from the policy in the reader's language; this module renders the PDF off the async
//! threads, and publishes versions: publishing freezes the documents as they are that
//! day, earlier versions stay readable, and two versions can be compared line by line.
//! The statement is public and holds no personal data, so reading it takes no access
//! decision; publishing is the privacy officer's, recorded in the audit log.

pub use zv_documents::{StatementDoc, StatementSection};

use chrono::{DateTime, Utc};
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, Purpose};
use zv_store::statements::VersionRow;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// The statement or card as a PDF; `compact` sets the card on one page.
pub async fn render_pdf(doc: StatementDoc, compact: bool) -> CoreResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || zv_documents::render_statement(&doc, compact))
        .await
        .map_err(|e| CoreError::Internal(format!("rendering the statement: {e}")))?
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// The same, for a caller without an async runtime (the CLI's `policy render`).
pub fn render_pdf_blocking(doc: &StatementDoc, compact: bool) -> CoreResult<Vec<u8>> {
    zv_documents::render_statement(doc, compact).map_err(|e| CoreError::Internal(e.to_string()))
}

// ---------------------------------------------------------------------------------------
// Published versions: publishing freezes what the policy says that day.

/// The documents of one version, as the web layer words them from the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    pub statement_nl: StatementDoc,
    pub statement_en: StatementDoc,
    /// `None` where the policy has no privacy card.
    pub card_nl: Option<StatementDoc>,
    pub card_en: Option<StatementDoc>,
}

/// A published version, frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub number: i64,
    pub label: String,
    pub published_at: DateTime<Utc>,
    #[serde(skip)]
    pub documents: Documents,
}

/// A published version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionLine {
    pub number: i64,
    pub label: String,
    pub published_at: DateTime<Utc>,
}

/// One line of a comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", content = "text", rename_all = "snake_case")]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

const LABEL_MAX_CHARS: usize = 60;

fn to_json(doc: &StatementDoc) -> CoreResult<String> {
    serde_json::to_string(doc).map_err(|e| CoreError::Internal(format!("statement: {e}")))
}

fn from_json(text: &str) -> CoreResult<StatementDoc> {
    serde_json::from_str(text).map_err(|e| CoreError::Internal(format!("statement: {e}")))
}

fn version_of(row: VersionRow) -> CoreResult<Version> {
    Ok(Version {
        number: row.number,
        label: row.label,
        published_at: row.published_at,
        documents: Documents {
            statement_nl: from_json(&row.statement_nl)?,
            statement_en: from_json(&row.statement_en)?,
            card_nl: row.card_nl.as_deref().map(from_json).transpose()?,
            card_en: row.card_en.as_deref().map(from_json).transpose()?,
        },
    })
}

/// Why a version was not published: the rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishProblem {
    LabelMissing,
    LabelTooLong,
    LabelNotOneLine,
    /// The documents are the same as the newest version's.
    NothingChanged,
    /// The name was used for an earlier version.
    LabelUsed,
}

impl PublishProblem {
    pub const ALL: [Self; 5] = [
        Self::LabelMissing,
        Self::LabelTooLong,
        Self::LabelNotOneLine,
        Self::NothingChanged,
        Self::LabelUsed,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::LabelMissing => "label-missing",
            Self::LabelTooLong => "label-too-long",
            Self::LabelNotOneLine => "label-not-one-line",
            Self::NothingChanged => "nothing-changed",
            Self::LabelUsed => "label-used",
        }
    }

    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::LabelMissing => "name the version, for instance the month it takes effect",
            Self::LabelTooLong => "the version's name is longer than 60 characters",
            Self::LabelNotOneLine => "the version's name is one line of text",
            Self::NothingChanged => {
                "nothing changed since the newest version: there is nothing to publish"
            }
            Self::LabelUsed => "a version with this name was published before",
        }
    }

    /// The problem an error of [`App::publish_statement`] names, if it is one.
    #[must_use]
    pub fn of(e: &CoreError) -> Option<Self> {
        match e {
            CoreError::Invalid { problem, .. } => {
                Self::ALL.into_iter().find(|p| p.message() == problem)
            }
            _ => None,
        }
    }

    fn error(self) -> CoreError {
        CoreError::invalid("label", self.message())
    }
}

/// The label as typed: required, short, one line.
fn label_problem(label: &str) -> Option<PublishProblem> {
    let label = label.trim();
    if label.is_empty() {
        Some(PublishProblem::LabelMissing)
    } else if label.chars().count() > LABEL_MAX_CHARS {
        Some(PublishProblem::LabelTooLong)
    } else if label.chars().any(char::is_control) {
        Some(PublishProblem::LabelNotOneLine)
    } else {
        None
    }
}

impl App {
    /// Publishes the statement as generated now (TRN-2): the privacy officer names the
    /// version; the documents are frozen as they are. Refused when nothing changed since
    /// the last version, or when the name was used before. Returns the new number.
    pub async fn publish_statement(
        &self,
        actor: &Actor,
        label: &str,
        documents: &Documents,
    ) -> CoreResult<i64> {
        if let Some(problem) = label_problem(label) {
            return Err(problem.error());
        }
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer publishes".into()))?;
        let label = label.trim().to_owned();
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Create, AuditObject::StatementVersion, None)
                    .target(Target::Organisation(AuditObject::StatementVersion))
                    .purpose(Purpose::Administration)
                    .detail("privacy statement published"),
            )
            .await?;
        let latest = zv_store::statements::latest(&tx).await?;
        if let Some(latest) = &latest
            && version_of(latest.clone())?.documents == *documents
        {
            return Err(PublishProblem::NothingChanged.error());
        }
        if zv_store::statements::all(&tx)
            .await?
            .iter()
            .any(|v| v.label.eq_ignore_ascii_case(&label))
        {
            return Err(PublishProblem::LabelUsed.error());
        }
        let number = latest.map_or(1, |v| v.number + 1);
        zv_store::statements::insert(
            &tx,
            &VersionRow {
                number,
                label,
                statement_nl: to_json(&documents.statement_nl)?,
                statement_en: to_json(&documents.statement_en)?,
                card_nl: documents.card_nl.as_ref().map(to_json).transpose()?,
                card_en: documents.card_en.as_ref().map(to_json).transpose()?,
                published_by: by,
                published_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Every published version, newest first. Public: the statement is.
    pub async fn statement_versions(&self) -> CoreResult<Vec<VersionLine>> {
        let tx = self.store.read_tx().await?;
        let all = zv_store::statements::all(&tx).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .map(|v| VersionLine {
                number: v.number,
                label: v.label,
                published_at: v.published_at,
            })
            .collect())
    }

    /// One published version; `NotFound` for a number never published.
    pub async fn statement_version(&self, number: i64) -> CoreResult<Version> {
        let tx = self.store.read_tx().await?;
        let row = zv_store::statements::get(&tx, number).await?;
        tx.commit().await?;
        version_of(row.ok_or(CoreError::NotFound)?)
    }

    /// The newest published version, if any.
    pub async fn latest_statement(&self) -> CoreResult<Option<Version>> {
        let tx = self.store.read_tx().await?;
        let row = zv_store::statements::latest(&tx).await?;
        tx.commit().await?;
        row.map(version_of).transpose()
    }
}

/// The lines of `before` and `after` compared: what stayed, went and came, in reading
/// order (a longest-common-subsequence comparison; statements are a few hundred lines).
#[must_use]
pub fn diff(before: &[String], after: &[String]) -> Vec<DiffLine> {
    let (n, m) = (before.len(), after.len());
    // lcs[i][j]: the longest common subsequence of before[i..] and after[j..].
    let mut lcs = vec![vec![0_usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if before[i] == after[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n && j < m {
        if before[i] == after[j] {
            out.push(DiffLine::Same(before[i].clone()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(before[i].clone()));
            i += 1;
        } else {
            out.push(DiffLine::Added(after[j].clone()));
            j += 1;
        }
    }
    out.extend(before[i..].iter().cloned().map(DiffLine::Removed));
    out.extend(after[j..].iter().cloned().map(DiffLine::Added));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn diff_keeps_the_common_lines_and_marks_the_rest() {
        let d = diff(&lines("a b c d"), &lines("a c d e"));
        assert_eq!(
            d,
            [
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Same("c".into()),
                DiffLine::Same("d".into()),
                DiffLine::Added("e".into()),
            ]
        );
        assert!(
            diff(&lines("x"), &lines("x"))
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
        assert_eq!(diff(&[], &lines("y")), [DiffLine::Added("y".into())]);
    }

    #[test]
    fn a_version_needs_a_short_one_line_name() {
        assert!(label_problem("  ").is_some());
        assert!(label_problem(&"x".repeat(61)).is_some());
        assert!(label_problem("januari\n2027").is_some());
        assert!(label_problem("januari 2027").is_none());
    }
}
