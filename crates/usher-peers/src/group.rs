//! The door group: doors of one event that trust each other, by one random 256-bit key kept
//! in the OS keychain of each. The key is the Noise handshake's pre-shared key
//! (`channel.rs`), so a door without it completes no handshake and learns nothing. What is
//! said in the clear (mDNS) is only the group's *hint*, a hash of the key that tells doors of
//! one group from another's without revealing it or the event.

use crate::PeerError;
use sha2::{Digest, Sha256};
use std::path::Path;
use usher_sync::token::{Token, TokenStore};

/// The keychain "API" under which each data folder's group key is kept (the account is the
/// folder's full path, as for the cache key).
pub const GROUP_KEY_API: &str = "usher:door-group";

/// A door group's key: 256 random bits. Never printed, never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupKey([u8; 32]);

impl std::fmt::Debug for GroupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupKey(…)")
    }
}

impl GroupKey {
    /// A new key from the OS's random source.
    pub fn generate() -> Result<GroupKey, PeerError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| PeerError::Random(e.to_string()))?;
        Ok(GroupKey(bytes))
    }

    /// The key from its 64 hex digits.
    pub fn from_hex(hex: &str) -> Option<GroupKey> {
        let hex = hex.trim();
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(GroupKey(bytes))
    }

    /// The 64 hex digits, for the keychain and the join answer only.
    pub fn expose_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The raw key, for the handshake.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// What doors say of their group in the clear: 16 hex digits of SHA-256 over a label and
    /// the key. It tells one group from another; it reveals neither the key nor the event.
    pub fn hint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"usher door group hint v1\0");
        h.update(self.0);
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn account(data_dir: &Path) -> Result<String, PeerError> {
    let full = std::path::absolute(data_dir).map_err(|e| PeerError::Io(e.to_string()))?;
    Ok(full.display().to_string())
}

/// The group key of `data_dir`'s door, if it is in a group.
pub fn group_key(store: &dyn TokenStore, data_dir: &Path) -> Result<Option<GroupKey>, PeerError> {
    let Some(secret) = store.get(GROUP_KEY_API, &account(data_dir)?)? else {
        return Ok(None);
    };
    GroupKey::from_hex(secret.expose())
        .map(Some)
        .ok_or(PeerError::KeyDamaged)
}

/// Keeps `key` as `data_dir`'s group key (creating a group, joining one, or rotating its
/// key), read back so a keychain that forgets it is found out now, not at the door.
pub fn keep_group_key(
    store: &dyn TokenStore,
    data_dir: &Path,
    key: &GroupKey,
) -> Result<(), PeerError> {
    let secret = Token::new(&key.expose_hex())?;
    store.set(GROUP_KEY_API, &account(data_dir)?, &secret)?;
    match group_key(store, data_dir)? {
        Some(kept) if &kept == key => Ok(()),
        _ => Err(PeerError::KeyNotKept),
    }
}

/// `data_dir`'s group key; a new group (a new random key, kept) when it has none.
pub fn create_group(store: &dyn TokenStore, data_dir: &Path) -> Result<GroupKey, PeerError> {
    if let Some(key) = group_key(store, data_dir)? {
        return Ok(key);
    }
    let key = GroupKey::generate()?;
    keep_group_key(store, data_dir, &key)?;
    Ok(key)
}

/// A new key for the group: doors that are given it stay in, every other door drops out
/// (its handshakes fail). Returns the new key, to hand on to the doors that stay.
pub fn rotate_group(store: &dyn TokenStore, data_dir: &Path) -> Result<GroupKey, PeerError> {
    let key = GroupKey::generate()?;
    keep_group_key(store, data_dir, &key)?;
    Ok(key)
}

/// Leaves the group: the key is taken out of the keychain. Returns whether there was one.
pub fn leave_group(store: &dyn TokenStore, data_dir: &Path) -> Result<bool, PeerError> {
    Ok(store.delete(GROUP_KEY_API, &account(data_dir)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_sync::token::FolderStore;

    #[test]
    fn a_group_key_is_kept_read_back_rotated_and_left() {
        let keys = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = FolderStore::new(keys.path().to_path_buf());
        assert!(group_key(&store, data.path()).unwrap().is_none());
        let first = create_group(&store, data.path()).unwrap();
        assert_eq!(
            create_group(&store, data.path()).unwrap(),
            first,
            "creating twice keeps the group"
        );
        let rotated = rotate_group(&store, data.path()).unwrap();
        assert_ne!(rotated, first);
        assert_ne!(rotated.hint(), first.hint());
        assert_eq!(group_key(&store, data.path()).unwrap(), Some(rotated));
        assert!(leave_group(&store, data.path()).unwrap());
        assert!(group_key(&store, data.path()).unwrap().is_none());
    }

    #[test]
    fn a_key_never_prints_and_its_hint_does_not_contain_it() {
        let key = GroupKey::generate().unwrap();
        let hex = key.expose_hex();
        assert_eq!(format!("{key:?}"), "GroupKey(…)");
        assert_eq!(key.hint().len(), 16);
        assert!(!hex.contains(&key.hint()));
        assert_eq!(GroupKey::from_hex(&hex), Some(key));
        assert_eq!(GroupKey::from_hex("zz"), None);
        assert_eq!(GroupKey::from_hex(&"g".repeat(64)), None);
    }
}
