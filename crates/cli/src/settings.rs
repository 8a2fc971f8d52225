//! Settings: a flag wins over a `ZV_` environment variable, which wins over the optional
//! config file (`--config`, `ZV_CONFIG`, or `zorgvuldig.toml` in the working directory).
//! Secrets (the master key, the SMTP password) come only from the environment or the key
//! file, never from a flag (flags show in process lists) or the config file, and are never
//! printed. The mail settings have no flags: a variable or the file's `[mail]` table.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;
use zv_core::mail::{MailLanguage, SmtpSecurity, SmtpSettings};
use zv_core::{KeySource, Settings};

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Directory for the SQLite database, the key store, the key file and attachments.
    #[arg(long, env = "ZV_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user@host/db); without it the embedded SQLite is used.
    #[arg(long, env = "ZV_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// The organisation's policy file (TOML).
    #[arg(long, env = "ZV_POLICY", global = true)]
    pub policy: Option<PathBuf>,
    /// The key file (default: DATA_DIR/zorgvuldig.key). `ZV_MASTER_KEY` overrides it.
    #[arg(long, env = "ZV_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// Where people reach the app (https://dossier.example.nl), for links in mail.
    #[arg(long, env = "ZV_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Where the camera recorders write, one folder per camera (default:
    /// DATA_DIR/camerabeelden).
    #[arg(long, env = "ZV_CAMERA_DIR", global = true)]
    pub camera_dir: Option<PathBuf>,
    /// A config file with the same settings (data_dir, database_url, policy, key_file,
    /// base_url, camera_dir) and a `[mail]` table.
    #[arg(long, env = "ZV_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub policy: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    pub base_url: Option<String>,
    pub camera_dir: Option<PathBuf>,
    #[serde(default)]
    pub mail: MailFile,
}

/// `[mail]` of the config file. The SMTP password is not here: `ZV_SMTP_PASSWORD` only.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailFile {
    pub language: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub from: Option<String>,
}

pub struct Resolved {
    pub settings: Settings,
    pub policy_path: Option<PathBuf>,
    /// `None` when no SMTP server is configured: mail then stays queued.
    pub smtp: Option<SmtpSettings>,
}

/// A `ZV_` variable that is set and not blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The SMTP server from `ZV_SMTP_*`/`ZV_MAIL_FROM`, else the file; `None` without a host.
fn smtp_settings(file: MailFile) -> Result<Option<SmtpSettings>> {
    let Some(host) = env("ZV_SMTP_HOST").or(file.smtp_host) else {
        return Ok(None);
    };
    let security = match env("ZV_SMTP_SECURITY").or(file.smtp_security) {
        Some(word) => SmtpSecurity::parse(&word).map_err(|_| {
            anyhow::anyhow!("ZV_SMTP_SECURITY / mail.smtp_security: use starttls, tls or none")
        })?,
        None => SmtpSecurity::default(),
    };
    let port = match env("ZV_SMTP_PORT") {
        Some(p) => p
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("ZV_SMTP_PORT is not a port number"))?,
        None => file.smtp_port.unwrap_or_else(|| security.default_port()),
    };
    let Some(from) = env("ZV_MAIL_FROM").or(file.from) else {
        bail!("an SMTP server is configured but no sender: set ZV_MAIL_FROM or mail.from");
    };
    Ok(Some(SmtpSettings {
        host: host.trim().to_owned(),
        port,
        security,
        username: env("ZV_SMTP_USERNAME").or(file.smtp_username),
        password: std::env::var("ZV_SMTP_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(zeroize::Zeroizing::new),
        from,
    }))
}

impl GlobalArgs {
    fn config_file(&self) -> Result<ConfigFile> {
        let (path, explicit) = match &self.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from("zorgvuldig.toml"), false),
        };
        if !path.exists() {
            if explicit {
                bail!("config file {} does not exist", path.display());
            }
            return Ok(ConfigFile::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("config file {} is not valid", path.display()))
    }

    pub fn resolve(&self) -> Result<Resolved> {
        let file = self.config_file()?;
        let data_dir = self
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = self
            .database_url
            .clone()
            .or(file.database_url)
            .filter(|u| !u.trim().is_empty());
        let known = |u: &str| {
            ["postgres://", "postgresql://", "sqlite://"]
                .iter()
                .any(|p| u.starts_with(p))
        };
        if let Some(url) = database_url.as_deref().filter(|u| !known(u)) {
            bail!(
                "ZV_DATABASE_URL must start with postgres://, postgresql:// or sqlite:// (got {})",
                zv_core::redact_url(url)
            );
        }
        let key_source = match std::env::var("ZV_MASTER_KEY") {
            Ok(v) if !v.trim().is_empty() => KeySource::Env(zeroize::Zeroizing::new(v)),
            _ => KeySource::File(
                self.key_file
                    .clone()
                    .or(file.key_file)
                    .unwrap_or_else(|| data_dir.join(zv_core::keys::KEY_FILE_NAME)),
            ),
        };
        let base_url = self
            .base_url
            .clone()
            .or(file.base_url)
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(url) = base_url
            .as_deref()
            .filter(|u| !u.starts_with("https://") && !u.starts_with("http://"))
        {
            bail!("ZV_BASE_URL must start with https:// or http:// (got {url})");
        }
        let mail_language = match env("ZV_MAIL_LANGUAGE").or(file.mail.language.clone()) {
            Some(code) => MailLanguage::parse(&code)
                .map_err(|_| anyhow::anyhow!("ZV_MAIL_LANGUAGE / mail.language: use nl or en"))?,
            None => MailLanguage::default(),
        };
        let smtp = smtp_settings(file.mail)?;
        let mut settings = Settings::new(data_dir);
        settings.database_url = database_url;
        settings.key_source = key_source;
        settings.base_url = base_url;
        settings.mail_language = mail_language;
        settings.camera_dir = self.camera_dir.clone().or(file.camera_dir);
        Ok(Resolved {
            settings,
            policy_path: self.policy.clone().or(file.policy),
            smtp,
        })
    }
}

/// Reads and validates a policy file; every problem is reported with line and column.
pub fn load_policy(path: Option<&Path>) -> Result<zv_policy::Policy> {
    let Some(path) = path else {
        bail!(
            "no policy file: pass --policy FILE or set ZV_POLICY (examples: policies/levgroep.toml, policies/blijfgroep.toml)"
        );
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read policy file {}", path.display()))?;
    zv_policy::parse(&text).map_err(|errors| {
        anyhow::anyhow!(
            "policy file {} is invalid:\n{}",
            path.display(),
            prefix_lines(&path.display().to_string(), &errors)
        )
    })
}

pub fn prefix_lines(file: &str, errors: &zv_policy::PolicyErrors) -> String {
    errors
        .problems
        .iter()
        .map(|p| {
            format!(
                "  {file}:{}:{}: {}: {}",
                p.line, p.column, p.path, p.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
