//! Login rate limiting: after five failed logins for an account within fifteen minutes, the
//! account's logins pause for a minute (doubling with each further failure, at most an hour),
//! whatever the password. Kept per node in memory; a success clears it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);
const FIRST_PAUSE: Duration = Duration::from_secs(60);
const LONGEST_PAUSE: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy)]
struct Attempts {
    failures: u32,
    first: Instant,
    paused_until: Option<Instant>,
}

#[derive(Default)]
pub struct LoginLimiter {
    accounts: Mutex<HashMap<String, Attempts>>,
}

impl LoginLimiter {
    /// How long the account must wait before trying again, if it must.
    pub fn wait(&self, username: &str) -> Option<Duration> {
        let now = Instant::now();
        let map = self.accounts.lock().ok()?;
        map.get(username)
            .and_then(|a| a.paused_until)
            .and_then(|t| t.checked_duration_since(now))
            .filter(|d| !d.is_zero())
    }

    pub fn failed(&self, username: &str) {
        let now = Instant::now();
        let Ok(mut map) = self.accounts.lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, a| {
                now.duration_since(a.first) < WINDOW || a.paused_until.is_some_and(|t| t > now)
            });
        }
        let a = map.entry(username.to_string()).or_insert(Attempts {
            failures: 0,
            first: now,
            paused_until: None,
        });
        if now.duration_since(a.first) > WINDOW && a.paused_until.is_none_or(|t| t <= now) {
            *a = Attempts {
                failures: 0,
                first: now,
                paused_until: None,
            };
        }
        a.failures += 1;
        if a.failures >= FREE_FAILURES {
            let doublings = (a.failures - FREE_FAILURES).min(6);
            let pause = (FIRST_PAUSE * 2u32.pow(doublings)).min(LONGEST_PAUSE);
            a.paused_until = Some(now + pause);
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.accounts.lock() {
            map.remove(username);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_pause_the_account_and_success_clears_it() {
        let l = LoginLimiter::default();
        for _ in 0..4 {
            l.failed("eva");
            assert_eq!(l.wait("eva"), None);
        }
        l.failed("eva");
        let w = l.wait("eva").expect("paused");
        assert!(w > Duration::from_secs(55) && w <= FIRST_PAUSE);
        l.failed("eva");
        assert!(
            l.wait("eva").unwrap() > Duration::from_secs(110),
            "the pause doubles"
        );
        assert_eq!(l.wait("olle"), None, "other accounts are not affected");
        l.succeeded("eva");
        assert_eq!(l.wait("eva"), None);
    }
}
