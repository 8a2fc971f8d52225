//! The application context: the store, the key ring, the policy and the clock, opened
//! once and shared by every use case.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zv_crypto::KeyRing;
use zv_domain::Clock;
use zv_policy::Policy;
use zv_store::{OpenMode, PageCache, Store, StoreConfig};

use crate::error::{CoreError, CoreResult};
use crate::keys::{KeySource, Keys};

/// Where the data lives. Resolved by the CLI from flags, `ZV_` variables and the config file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Holds the SQLite database, the key store, the key file and attachment blobs.
    pub data_dir: PathBuf,
    /// PostgreSQL instead of the embedded SQLite database.
    pub database_url: Option<String>,
    pub key_source: KeySource,
    /// Largest accepted attachment, in bytes.
    pub max_attachment_bytes: u64,
    /// Where people reach the app (`https://dossier.example.nl`), for links in mail;
    /// without it a mail names the page's path only.
    pub base_url: Option<String>,
    /// The language of notifications by mail.
    pub mail_language: crate::mail::MailLanguage,
    /// Where the camera recorders write, one folder per camera (CAM-1); by default
    /// `camerabeelden` in the data directory.
    pub camera_dir: Option<PathBuf>,
    /// SQLite's page cache per connection: `serve` keeps it small (decision 0045).
    pub page_cache: PageCache,
}

impl Settings {
    #[must_use]
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        Self {
            key_source: KeySource::File(data_dir.join(crate::keys::KEY_FILE_NAME)),
            data_dir,
            database_url: None,
            max_attachment_bytes: 25 * 1024 * 1024,
            base_url: None,
            mail_language: crate::mail::MailLanguage::default(),
            camera_dir: None,
            page_cache: PageCache::default(),
        }
    }

    /// These settings as a server works with them: many short requests, each read
    /// after other connections' commits, want the small page cache (decision 0045).
    #[must_use]
    pub fn for_serving(self) -> Self {
        Self {
            page_cache: PageCache::Online,
            ..self
        }
    }

    pub(crate) fn store_config(&self) -> StoreConfig {
        StoreConfig {
            database_url: self.database_url.clone(),
            data_dir: self.data_dir.clone(),
            page_cache: self.page_cache,
        }
    }

    /// Where the database is, for messages (never a password).
    #[must_use]
    pub fn database_label(&self) -> String {
        match &self.database_url {
            Some(url) => redact_url(url),
            None => self.data_dir.join("zorgvuldig.db").display().to_string(),
        }
    }
}

/// Drops the password of a URL, so a URL can appear in messages and logs.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{}@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The opened application. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) keys: Arc<Keys>,
    pub(crate) policy: Arc<Policy>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: Arc<Settings>,
}

impl App {
    /// Opens an initialised installation. Refuses a missing database (never creates an
    /// empty one elsewhere), a missing key file and a key file of another installation.
    pub async fn open(
        settings: Settings,
        policy: Policy,
        clock: Arc<dyn Clock>,
    ) -> CoreResult<Self> {
        let store = match Store::open(&settings.store_config(), OpenMode::MustExist).await {
            Ok(store) => store,
            Err(zv_store::StoreError::NotInitialised { .. }) => {
                return Err(CoreError::NotInitialised(settings.database_label()));
            }
            Err(e) => return Err(e.into()),
        };
        store.migrate().await?;
        if !store.is_initialised().await? {
            return Err(CoreError::NotInitialised(settings.database_label()));
        }
        let ring = settings.key_source.load()?;
        let keys = Keys::load(&store, ring, settings.key_source.clone()).await?;
        let app = Self {
            store,
            keys: Arc::new(keys),
            policy: Arc::new(policy),
            clock,
            settings: Arc::new(settings),
        };
        app.sync_organisation().await?;
        Ok(app)
    }

    /// Creates a new installation: key file (mode 0600) first, then the database with its
    /// system keys. On failure both are removed again, so nothing half-made remains.
    pub async fn create(
        settings: Settings,
        policy: Policy,
        clock: Arc<dyn Clock>,
    ) -> CoreResult<Self> {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            CoreError::Internal(format!(
                "cannot create data directory {}: {e}",
                settings.data_dir.display()
            ))
        })?;
        if let Ok(existing) = Store::open(&settings.store_config(), OpenMode::MustExist).await {
            existing.migrate().await?;
            if existing.is_initialised().await? {
                return Err(CoreError::AlreadyInitialised(settings.database_label()));
            }
        }
        let ring = KeyRing::generate();
        let created_key_file = settings.key_source.create(&ring)?;
        let result = async {
            let store = Store::open(&settings.store_config(), OpenMode::CreateIfMissing).await?;
            store.migrate().await?;
            let keys = Keys::create(&store, ring, settings.key_source.clone()).await?;
            let app = Self {
                store,
                keys: Arc::new(keys),
                policy: Arc::new(policy),
                clock,
                settings: Arc::new(settings.clone()),
            };
            app.sync_organisation().await?;
            Ok::<_, CoreError>(app)
        }
        .await;
        if result.is_err() {
            if let Some(path) = created_key_file {
                let _ = std::fs::remove_file(path);
            }
            if settings.database_url.is_none() {
                for name in [
                    "zorgvuldig.db",
                    "zorgvuldig.db-wal",
                    "zorgvuldig.db-shm",
                    "keys.db",
                    "keys.db-wal",
                    "keys.db-shm",
                ] {
                    let _ = std::fs::remove_file(settings.data_dir.join(name));
                }
            }
        }
        result
    }

    async fn sync_organisation(&self) -> CoreResult<()> {
        let branches: Vec<(String, String)> = self
            .policy
            .branches()
            .iter()
            .map(|b| (b.code.clone(), b.name.clone()))
            .collect();
        let teams: Vec<(String, String, String)> = self
            .policy
            .teams()
            .iter()
            .map(|t| (t.code.clone(), t.name.clone(), t.branch.clone()))
            .collect();
        let tx = self.store.begin().await?;
        zv_store::organisation::sync(&tx, &branches, &teams).await?;
        tx.commit().await?;
        Ok(())
    }

    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    #[must_use]
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.settings.data_dir
    }

    #[must_use]
    pub fn engine(&self) -> zv_store::Engine {
        self.store.engine()
    }
}
