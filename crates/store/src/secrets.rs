//! Passwords, session ids and API tokens.
//!
//! Passwords are hashed with argon2id (the crate's defaults follow OWASP's recommendation).
//! Session ids and API tokens are 256 random bits; only their SHA-256 is stored, so a leaked
//! database holds nothing that logs anyone in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// At most this many password hashes are computed at once (each takes about 19 MiB and a core
/// for a moment); further sign-ins wait their turn instead of eating memory.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static S: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    S.get_or_init(|| tokio::sync::Semaphore::new(hashing_capacity()))
}

/// How many password hashes may run at once; see [`verify_password_bounded`].
pub fn hashing_capacity() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _slot = hashing_slots()
        .acquire()
        .await
        .expect("the hashing semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing does not panic")
}

/// [`hash_password`] on a blocking thread, with at most [`hashing_capacity`] at once.
pub async fn hash_password_bounded(password: String) -> String {
    bounded(move || hash_password(&password)).await
}

/// [`verify_password`] on a blocking thread, with at most [`hashing_capacity`] at once.
/// `None` as the hash checks against [`dummy_hash`], so an unknown user costs the same.
pub async fn verify_password_bounded(password: String, hash: Option<String>) -> bool {
    bounded(move || verify_password(&password, hash.as_deref().unwrap_or(dummy_hash()))).await
}

/// A hash to verify against when the user does not exist, so a login takes as long either way.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not a password of anyone"))
}

/// 256 random bits, base64url without padding.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the OS random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// 128 random bits as 32 lowercase hexadecimal digits: a name for a session in forms.
pub fn random_handle() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source works");
    b.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_the_capacity_of_hashes_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut all = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let (running, most) = (running.clone(), most.clone());
            all.spawn(bounded(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        while all.join_next().await.is_some() {}
        let most = most.load(Ordering::SeqCst);
        assert!(most >= 1 && most <= hashing_capacity(), "{most} at once");
    }

    #[test]
    fn passwords_verify() {
        let h = hash_password("demo");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo", &h));
        assert!(!verify_password("Demo", &h));
        assert!(!verify_password("demo", "garbage"));
    }

    #[test]
    fn tokens_are_random_and_compare() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
