//! Branches and teams, mirrored from the policy file so rows can refer to them.

use crate::dialect::{exec, query_one};
use crate::{StoreError, Tx};

pub async fn sync(
    tx: &Tx,
    branches: &[(String, String)],
    teams: &[(String, String, String)],
) -> Result<(), StoreError> {
    for (code, name) in branches {
        if query_one(
            tx,
            "SELECT code FROM branches WHERE code = ?",
            vec![code.clone().into()],
        )
        .await?
        .is_some()
        {
            exec(
                tx,
                "UPDATE branches SET name = ? WHERE code = ?",
                vec![name.clone().into(), code.clone().into()],
            )
            .await?;
        } else {
            exec(
                tx,
                "INSERT INTO branches (code, name) VALUES (?, ?)",
                vec![code.clone().into(), name.clone().into()],
            )
            .await?;
        }
    }
    for (code, name, branch) in teams {
        if query_one(
            tx,
            "SELECT code FROM teams WHERE code = ?",
            vec![code.clone().into()],
        )
        .await?
        .is_some()
        {
            exec(
                tx,
                "UPDATE teams SET name = ?, branch_code = ? WHERE code = ?",
                vec![
                    name.clone().into(),
                    branch.clone().into(),
                    code.clone().into(),
                ],
            )
            .await?;
        } else {
            exec(
                tx,
                "INSERT INTO teams (code, name, branch_code) VALUES (?, ?, ?)",
                vec![
                    code.clone().into(),
                    name.clone().into(),
                    branch.clone().into(),
                ],
            )
            .await?;
        }
    }
    Ok(())
}
