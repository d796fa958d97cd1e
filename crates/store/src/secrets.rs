//! Passwords, session ids and API tokens.
//!
//! Passwords are hashed with argon2id (the crate's defaults follow OWASP's recommendation).
//! Session ids and API tokens are 256 random bits; only their SHA-256 is stored, so a leaked
//! database holds nothing that logs anyone in.

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source works");
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(
        &Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone()),
        password.as_bytes(),
        &salt,
        &mut out,
    )
    .expect("argon2 with default parameters");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).expect("default parameters print"),
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).expect("32 bytes is a valid output")),
    }
    .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(h.algorithm),
        Params::try_from(&h),
        h.salt,
        h.hash,
    ) else {
        return false;
    };
    let version = match h.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    argon2_into(
        &Argon2::new(algorithm, version, params),
        password.as_bytes(),
        salt,
        &mut out,
    )
    .is_ok()
        && constant_time_eq_bytes(&out, expected.as_bytes())
}

/// Argon2 into `out`, with the working memory (about 19 MiB) kept by the thread and used again
/// for the next hash, instead of allocated anew each time: the allocator would keep each freed
/// block of that size, and memory would grow with every sign-in.
fn argon2_into(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    thread_local! {
        static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        let need = argon.params().block_count();
        if m.len() != need {
            *m = vec![Block::default(); need];
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut m[..])
    })
}

/// How many password hashes may run at once: one per core, at most 8.
pub fn hashing_capacity() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

type Job = Box<dyn FnOnce() + Send>;

/// Password hashing runs on [`hashing_capacity`] threads of its own, fed by a queue. Each argon2
/// check takes about 19 MiB; doing them on a fixed set of threads bounds both how many run at
/// once and how much memory the allocator keeps afterwards (a freed block stays with the thread
/// that used it, to be used again — on ever-new blocking threads, each would keep its own).
/// Further sign-ins wait in the queue instead of eating memory.
fn hashing_queue() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Job>> {
    static Q: std::sync::OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    Q.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..hashing_capacity() {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("serva-hash-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("starting a password hashing thread");
        }
        std::sync::Mutex::new(tx)
    })
}

async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    hashing_queue()
        .lock()
        .expect("the hashing queue's lock is never poisoned")
        .send(job)
        .expect("the hashing threads run as long as the process");
    result.await.expect("password hashing does not panic")
}

/// [`hash_password`] on a hashing thread, with at most [`hashing_capacity`] at once.
pub async fn hash_password_bounded(password: String) -> String {
    bounded(move || hash_password(&password)).await
}

/// [`verify_password`] on a hashing thread, with at most [`hashing_capacity`] at once.
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
    constant_time_eq_bytes(a.as_bytes(), b.as_bytes())
}

fn constant_time_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    fn hashes_agree_with_the_argon2_crate() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Ours verify with the crate's verifier, and the crate's (as older Serva stored) with ours.
        let ours = hash_password("demo");
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"demo", &parsed).is_ok());
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = Argon2::default()
            .hash_password(b"demo", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password("demo", &theirs));
        assert!(!verify_password("demO", &theirs));
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
