//! Who a signed-in person is allowed to be, cached. Every request needs the person's grants
//! with each unit expanded to its subtree; both change seldom, so the result is kept for a few
//! seconds per person. Changes made through this node (grants, users, units, imports, bulk
//! loads) clear the cache at once; other nodes behind the same PostgreSQL notice within
//! `TTL`. Sessions and API tokens are never cached: signing out, deactivating a person and
//! revoking a token take effect on the next request everywhere.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serva_domain::access::Principal;

/// How long another node's change may go unseen.
pub const TTL: Duration = Duration::from_secs(5);

/// (user, home unit)
type Key = (i64, Option<i64>);

#[derive(Debug, Default)]
pub(crate) struct PrincipalCache {
    generation: AtomicU64,
    /// Key → (when computed, generation, principal)
    entries: Mutex<HashMap<Key, (Instant, u64, Principal)>>,
}

impl PrincipalCache {
    pub fn get(&self, key: Key) -> Option<Principal> {
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.lock().ok()?;
        let (at, g, p) = entries.get(&key)?;
        (*g == generation && at.elapsed() < TTL).then(|| p.clone())
    }

    /// Stores a principal computed while `generation` was current.
    pub fn put(&self, key: Key, generation: u64, p: Principal) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 10_000 {
                entries.retain(|_, (at, _, _)| at.elapsed() < TTL);
            }
            entries.insert(key, (Instant::now(), generation, p));
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Something grants depend on has changed: forget everything.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
