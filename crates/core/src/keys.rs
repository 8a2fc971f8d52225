//! The key ring and the keys derived from it: one data key per client (so destroying a
//! client destroys its key, "crypto-shredding"), the blind-index key for search, and the
//! system key for staff secrets. The key ring itself comes from the key file or the
//! `ZV_MASTER_KEY` environment variable and never enters the database.

use std::path::PathBuf;
use std::sync::RwLock;

use zv_crypto::{Aad, BlindIndexKey, DataKey, KeyRing, WrappedKey};
use zv_domain::ClientId;
use zv_store::{Authorized, Store, Tx, WrappedKeyRow};

use crate::error::{CoreError, CoreResult};

pub const KEY_FILE_NAME: &str = "zorgvuldig.key";
const INDEX_KEY: &str = "blind_index";
const SYSTEM_KEY: &str = "system";
/// Derives the audit checkpoints' signing key from the system key (decision 0028): it
/// lives wherever the system key lives (the key store, never the data), survives every
/// rotation (the system key is re-wrapped, never replaced) and is in every key-store copy.
const CHECKPOINT_KEY_LABEL: &str = "zorgvuldig/audit-checkpoint-signing/v1";

/// Where the key ring comes from.
#[derive(Clone)]
pub enum KeySource {
    File(PathBuf),
    /// The text of a key file, from `ZV_MASTER_KEY`. Rotation cannot rewrite it.
    Env(zeroize::Zeroizing<String>),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => write!(f, "KeySource::File({})", p.display()),
            Self::Env(_) => f.write_str("KeySource::Env(***)"),
        }
    }
}

impl KeySource {
    pub(crate) fn load(&self) -> CoreResult<KeyRing> {
        match self {
            Self::File(path) => {
                zv_crypto::keyfile::read(path).map_err(|e| CoreError::Keys(e.to_string()))
            }
            Self::Env(text) => KeyRing::from_env_value(text)
                .map_err(|e| CoreError::Keys(format!("ZV_MASTER_KEY: {e}"))),
        }
    }

    /// Writes a new key file; returns its path so a failed initialisation can remove it.
    pub(crate) fn create(&self, ring: &KeyRing) -> CoreResult<Option<PathBuf>> {
        match self {
            Self::File(path) => {
                zv_crypto::keyfile::create(path, ring)
                    .map_err(|e| CoreError::Keys(e.to_string()))?;
                Ok(Some(path.clone()))
            }
            Self::Env(_) => Ok(None),
        }
    }

    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::File(p) => p.display().to_string(),
            Self::Env(_) => "ZV_MASTER_KEY".to_owned(),
        }
    }
}

fn client_key_aad(client: ClientId) -> Vec<u8> {
    format!("zv_keys.client_keys:{client}").into_bytes()
}

fn system_key_aad(name: &str) -> Vec<u8> {
    format!("zv_keys.system_keys:{name}").into_bytes()
}

pub(crate) fn to_row(w: &WrappedKey) -> WrappedKeyRow {
    WrappedKeyRow {
        kek_version: i32::try_from(w.kek_version).unwrap_or(i32::MAX),
        key_version: i32::try_from(w.key_version).unwrap_or(i32::MAX),
        wrapped: w.bytes.clone(),
    }
}

pub(crate) fn from_row(r: &WrappedKeyRow) -> WrappedKey {
    WrappedKey {
        kek_version: u32::try_from(r.kek_version).unwrap_or(0),
        key_version: u32::try_from(r.key_version).unwrap_or(0),
        bytes: r.wrapped.clone(),
    }
}

pub struct Keys {
    ring: RwLock<KeyRing>,
    source: KeySource,
    index: BlindIndexKey,
    system: DataKey,
    checkpoint: zv_crypto::SigningKey,
}

impl Keys {
    pub(crate) async fn create(
        store: &Store,
        ring: KeyRing,
        source: KeySource,
    ) -> CoreResult<Self> {
        let index_secret = zv_crypto::random_bytes::<32>();
        let system_secret = zv_crypto::random_bytes::<32>();
        let tx = store.begin().await?;
        let wrapped_index = ring.wrap_secret(&index_secret, 1, &system_key_aad(INDEX_KEY));
        let wrapped_system = ring.wrap_secret(&system_secret, 1, &system_key_aad(SYSTEM_KEY));
        zv_store::keys::put_system_key(&tx, INDEX_KEY, &to_row(&wrapped_index)).await?;
        zv_store::keys::put_system_key(&tx, SYSTEM_KEY, &to_row(&wrapped_system)).await?;
        tx.commit().await?;
        Ok(Self {
            ring: RwLock::new(ring),
            source,
            index: BlindIndexKey::from_secret(&index_secret),
            checkpoint: zv_crypto::SigningKey::derive(&system_secret, CHECKPOINT_KEY_LABEL)?,
            system: DataKey::from_secret(&system_secret, 1),
        })
    }

    /// Loads the system keys. A key ring that cannot unwrap them belongs to another
    /// installation: refuse to start rather than write data nobody can read.
    pub(crate) async fn load(store: &Store, ring: KeyRing, source: KeySource) -> CoreResult<Self> {
        let tx = store.begin().await?;
        let index_row = zv_store::keys::get_system_key(&tx, INDEX_KEY).await?;
        let system_row = zv_store::keys::get_system_key(&tx, SYSTEM_KEY).await?;
        tx.commit().await?;
        let (Some(index_row), Some(system_row)) = (index_row, system_row) else {
            return Err(CoreError::Keys(
                "the key store of this database is missing its system keys (keys.db lost?)".into(),
            ));
        };
        let mismatch = |e: zv_crypto::CryptoError| {
            CoreError::Keys(format!(
                "the key in {} does not belong to this database ({e})",
                source.describe()
            ))
        };
        let index = ring
            .unwrap_secret(&from_row(&index_row), &system_key_aad(INDEX_KEY))
            .map_err(mismatch)?;
        let system = ring
            .unwrap_secret(&from_row(&system_row), &system_key_aad(SYSTEM_KEY))
            .map_err(mismatch)?;
        Ok(Self {
            index: BlindIndexKey::from_secret(&index),
            checkpoint: zv_crypto::SigningKey::derive(&system, CHECKPOINT_KEY_LABEL)?,
            system: DataKey::from_secret(
                &system,
                u32::try_from(system_row.key_version).unwrap_or(1),
            ),
            ring: RwLock::new(ring),
            source,
        })
    }

    pub(crate) fn index(&self) -> &BlindIndexKey {
        &self.index
    }

    pub(crate) fn system(&self) -> &DataKey {
        &self.system
    }

    /// Signs the audit log's checkpoints (ACC-7).
    pub(crate) fn checkpoint(&self) -> &zv_crypto::SigningKey {
        &self.checkpoint
    }

    /// A fresh data key for a new client, and its wrapped form to store.
    pub(crate) fn new_client_key(&self, client: ClientId) -> CoreResult<(DataKey, WrappedKeyRow)> {
        let key = DataKey::generate(1);
        let ring = self
            .ring
            .read()
            .map_err(|_| CoreError::Internal("key ring lock".into()))?;
        let wrapped = ring.wrap(&key, &client_key_aad(client));
        Ok((key, to_row(&wrapped)))
    }

    fn unwrap_row(&self, client: ClientId, row: &WrappedKeyRow) -> CoreResult<DataKey> {
        let wrapped = from_row(row);
        let attempt = {
            let ring = self
                .ring
                .read()
                .map_err(|_| CoreError::Internal("key ring lock".into()))?;
            ring.unwrap(&wrapped, &client_key_aad(client))
        };
        match attempt {
            Ok(k) => Ok(k),
            // Another process rotated the key ring while we run: reload it once.
            Err(zv_crypto::CryptoError::UnknownKekVersion(_)) => {
                let fresh = self.source.load()?;
                let key = fresh.unwrap(&wrapped, &client_key_aad(client))?;
                if let Ok(mut ring) = self.ring.write() {
                    *ring = fresh;
                }
                Ok(key)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The client's key for reading, behind the gate's proof.
    pub(crate) async fn client_key(&self, tx: &Tx, auth: &Authorized) -> CoreResult<DataKey> {
        let row = zv_store::keys::get_client_key(tx, auth).await?;
        self.open_client_key(auth, row.as_ref())
    }

    /// The client's key, from its wrapped row read earlier under a [`zv_store::Decided`]
    /// proof: unwrapped only now, under the proof that the read's audit event is durable
    /// (decision 0059). A missing row (the client destroyed meanwhile) is not found.
    pub(crate) fn open_client_key(
        &self,
        auth: &Authorized,
        row: Option<&WrappedKeyRow>,
    ) -> CoreResult<DataKey> {
        self.unwrap_row(auth.client_id(), row.ok_or(CoreError::NotFound)?)
    }

    /// Several clients' keys for reading, each behind its proof; a client whose key is
    /// gone is left out.
    pub(crate) async fn client_keys(
        &self,
        tx: &Tx,
        auths: &[Authorized],
    ) -> CoreResult<Vec<(ClientId, DataKey)>> {
        zv_store::keys::get_client_keys(tx, auths)
            .await?
            .iter()
            .map(|(client, row)| Ok((*client, self.unwrap_row(*client, row)?)))
            .collect()
    }

    /// The client's key for writing new data (no data is returned to the caller).
    pub(crate) async fn client_key_for_write(
        &self,
        tx: &Tx,
        client: ClientId,
    ) -> CoreResult<DataKey> {
        let row = zv_store::keys::client_key_for_write(tx, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.unwrap_row(client, &row)
    }

    /// Re-wraps every data key and system key under a new key-encryption key, while the
    /// data stays online: ciphertexts of the data are untouched. The key file first gains
    /// the new version (so a crash leaves a ring that opens both), then the keys are
    /// re-wrapped in batches, then the old version is retired from the file.
    pub(crate) async fn rotate(&self, store: &Store) -> CoreResult<RotationReport> {
        let KeySource::File(path) = &self.source else {
            return Err(CoreError::Keys(
                "the key comes from ZV_MASTER_KEY; rotate by generating a new key file instead"
                    .into(),
            ));
        };
        let mut ring =
            zv_crypto::keyfile::read(path).map_err(|e| CoreError::Keys(e.to_string()))?;
        let new_version = ring.rotate();
        zv_crypto::keyfile::replace(path, &ring).map_err(|e| CoreError::Keys(e.to_string()))?;
        if let Ok(mut live) = self.ring.write() {
            *live = ring.clone();
        }
        let mut rewrapped = 0u64;
        let mut after: Option<ClientId> = None;
        loop {
            let tx = store.begin().await?;
            let page = zv_store::keys::all_client_keys_page(&tx, after, 1000).await?;
            if page.is_empty() {
                tx.commit().await?;
                break;
            }
            for (client, row) in &page {
                let w = ring.rewrap(&from_row(row), &client_key_aad(*client))?;
                zv_store::keys::update_client_key_wrap(&tx, *client, &to_row(&w)).await?;
                rewrapped += 1;
            }
            after = page.last().map(|(c, _)| *c);
            tx.commit().await?;
        }
        let tx = store.begin().await?;
        for name in [INDEX_KEY, SYSTEM_KEY] {
            if let Some(row) = zv_store::keys::get_system_key(&tx, name).await? {
                let w = ring.rewrap(&from_row(&row), &system_key_aad(name))?;
                zv_store::keys::put_system_key(&tx, name, &to_row(&w)).await?;
            }
        }
        tx.commit().await?;
        ring.retire_old();
        zv_crypto::keyfile::replace(path, &ring).map_err(|e| CoreError::Keys(e.to_string()))?;
        if let Ok(mut live) = self.ring.write() {
            *live = ring;
        }
        Ok(RotationReport {
            new_version,
            client_keys: rewrapped,
        })
    }
}

/// What a key rotation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationReport {
    pub new_version: u32,
    pub client_keys: u64,
}

/// Seals and opens the fields of one client under its data key, bound to their place.
pub(crate) struct Sealer<'k> {
    pub key: &'k DataKey,
}

impl Sealer<'_> {
    pub fn seal(&self, table: &str, column: &str, row: uuid::Uuid, plain: &str) -> Vec<u8> {
        self.key
            .encrypt(plain.as_bytes(), &Aad::new(table, column, row))
    }

    pub fn seal_opt(
        &self,
        table: &str,
        column: &str,
        row: uuid::Uuid,
        plain: Option<&str>,
    ) -> Option<Vec<u8>> {
        plain.map(|p| self.seal(table, column, row, p))
    }

    pub fn open(
        &self,
        table: &str,
        column: &str,
        row: uuid::Uuid,
        ct: &[u8],
    ) -> CoreResult<String> {
        let plain = self.key.decrypt_string(ct, &Aad::new(table, column, row))?;
        Ok(plain.as_str().to_owned())
    }

    pub fn open_opt(
        &self,
        table: &str,
        column: &str,
        row: uuid::Uuid,
        ct: Option<&[u8]>,
    ) -> CoreResult<Option<String>> {
        ct.map(|c| self.open(table, column, row, c)).transpose()
    }
}
