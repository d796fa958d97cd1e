//! How password sign-in slows down guessing, as pure rules over counters kept by the store.
//!
//! Every password attempt is counted *before* the password is checked, in one atomic step with the
//! decision whether it may be checked at all, so a burst of parallel guesses cannot slip past the
//! limit. Three counters are kept, each with its own limit:
//!
//! - the account from one client address: 5 free attempts in 15 minutes, then a pause of one
//!   minute that doubles with each further attempt (at most an hour). This is what a guesser meets.
//! - the account from all addresses: 20 free attempts. One address cannot reach it (its own
//!   counter stops it first), so locking someone out takes a guess spread over several addresses.
//! - the client address over all accounts: 100 free attempts, against trying one password on many
//!   accounts. Its limit is high because a whole office may share one address.
//!
//! A successful sign-in clears the account's counters and takes its own attempt back from the
//! address. A pause only stops passwords: single sign-on never passes here, and an administrator
//! can lift any pause.

use std::net::IpAddr;

/// Longest username kept or looked at; longer ones are refused before anything is stored.
pub const MAX_USERNAME_CHARS: usize = 254;

/// The limits of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Attempts allowed within the window before a pause starts.
    pub free: u32,
    pub window_secs: i64,
    pub first_pause_secs: i64,
    pub longest_pause_secs: i64,
}

/// What a counter counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// One account from one client address.
    AccountFrom(String, IpAddr),
    /// One account from anywhere.
    Account(String),
    /// One client address, whatever account it tries.
    Address(IpAddr),
}

impl Subject {
    /// The counters one attempt touches, in a fixed order (the store locks them in this order).
    pub fn for_attempt(username: &str, from: Option<IpAddr>) -> Vec<Subject> {
        let mut s = vec![Subject::Account(username.to_string())];
        if let Some(ip) = from {
            s.push(Subject::AccountFrom(username.to_string(), ip));
            s.push(Subject::Address(ip));
        }
        s.sort();
        s
    }

    pub fn limits(&self) -> Limits {
        let free = match self {
            Subject::AccountFrom(..) => 5,
            Subject::Account(_) => 20,
            Subject::Address(_) => 100,
        };
        Limits {
            free,
            window_secs: 15 * 60,
            first_pause_secs: 60,
            longest_pause_secs: 3600,
        }
    }

    /// The stored key: `a:user` account, `af:address user` account from address, `ip:address`.
    pub fn key(&self) -> String {
        match self {
            Subject::Account(u) => format!("a:{u}"),
            Subject::AccountFrom(u, ip) => format!("af:{ip} {u}"),
            Subject::Address(ip) => format!("ip:{ip}"),
        }
    }

    /// Reads a stored key back; `None` for anything this version did not write.
    pub fn parse(key: &str) -> Option<Subject> {
        if let Some(u) = key.strip_prefix("a:") {
            return Some(Subject::Account(u.to_string()));
        }
        if let Some(ip) = key.strip_prefix("ip:") {
            return ip.parse().ok().map(Subject::Address);
        }
        // An address never holds a space, so the first one ends it.
        let (ip, user) = key.strip_prefix("af:")?.split_once(' ')?;
        Some(Subject::AccountFrom(user.to_string(), ip.parse().ok()?))
    }

    /// The username this counter is about, if it is about one.
    pub fn username(&self) -> Option<&str> {
        match self {
            Subject::Account(u) | Subject::AccountFrom(u, _) => Some(u),
            Subject::Address(_) => None,
        }
    }

    pub fn address(&self) -> Option<IpAddr> {
        match self {
            Subject::AccountFrom(_, ip) | Subject::Address(ip) => Some(*ip),
            Subject::Account(_) => None,
        }
    }
}

/// One counter as stored (times in Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub attempts: u32,
    pub window_start: i64,
    pub paused_until: Option<i64>,
}

/// The answer for one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The attempt may go on; store this counter.
    Go(Counter),
    /// Paused: the attempt is refused without checking the password, for this many seconds more.
    Wait(i64),
}

impl Counter {
    pub fn paused_at(&self, now: i64) -> Option<i64> {
        self.paused_until.filter(|t| *t > now).map(|t| t - now)
    }
}

/// Counts one attempt against `counter` (none yet: a fresh one) at `now`.
pub fn attempt(counter: Option<Counter>, limits: Limits, now: i64) -> Verdict {
    if let Some(wait) = counter.and_then(|c| c.paused_at(now)) {
        return Verdict::Wait(wait);
    }
    let mut c = match counter {
        Some(c) if now - c.window_start < limits.window_secs || c.paused_until.is_some() => c,
        _ => Counter {
            attempts: 0,
            window_start: now,
            paused_until: None,
        },
    };
    // A pause that has run out and a window that has passed since it ended start afresh.
    if let Some(until) = c.paused_until {
        if now - until >= limits.window_secs {
            c = Counter {
                attempts: 0,
                window_start: now,
                paused_until: None,
            };
        }
    }
    c.attempts = c.attempts.saturating_add(1);
    if c.attempts >= limits.free {
        let doublings = (c.attempts - limits.free).min(12);
        let pause = (limits.first_pause_secs << doublings).min(limits.longest_pause_secs);
        c.paused_until = Some(now + pause);
    }
    Verdict::Go(c)
}

/// Whether a counter still says anything at `now` (otherwise the store may forget it).
pub fn is_live(c: &Counter, limits: Limits, now: i64) -> bool {
    now - c.window_start < limits.window_secs
        || c.paused_until.is_some_and(|t| now - t < limits.window_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        free: 5,
        window_secs: 900,
        first_pause_secs: 60,
        longest_pause_secs: 3600,
    };

    fn go(v: Verdict) -> Counter {
        match v {
            Verdict::Go(c) => c,
            Verdict::Wait(w) => panic!("refused for {w} s"),
        }
    }

    #[test]
    fn the_fifth_attempt_goes_and_starts_a_pause_that_doubles() {
        let mut c = None;
        for i in 1..=4 {
            let n = go(attempt(c, L, 100));
            assert_eq!(n.attempts, i);
            assert_eq!(n.paused_until, None);
            c = Some(n);
        }
        let fifth = go(attempt(c, L, 100));
        assert_eq!(fifth.paused_until, Some(160));
        assert_eq!(attempt(Some(fifth), L, 130), Verdict::Wait(30));
        let sixth = go(attempt(Some(fifth), L, 160));
        assert_eq!(sixth.paused_until, Some(280), "the pause doubles");
        let mut c = sixth;
        for _ in 0..20 {
            c = go(attempt(Some(c), L, c.paused_until.unwrap()));
        }
        let last = c.paused_until.unwrap();
        let next = go(attempt(Some(c), L, last));
        assert_eq!(next.paused_until, Some(last + 3600), "at most an hour");
    }

    #[test]
    fn a_quiet_window_starts_afresh() {
        let c = go(attempt(None, L, 0));
        let later = go(attempt(Some(c), L, 901));
        assert_eq!(later.attempts, 1);
        let mut c = None;
        for _ in 0..5 {
            c = Some(go(attempt(c, L, 0)));
        }
        // Paused until 60; a window after the pause ended, the count is forgotten.
        let fresh = go(attempt(c, L, 60 + 900));
        assert_eq!(fresh.attempts, 1);
        assert_eq!(fresh.paused_until, None);
        assert!(!is_live(&c.unwrap(), L, 60 + 900));
        assert!(is_live(&c.unwrap(), L, 100));
    }

    #[test]
    fn keys_read_back() {
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        for s in [
            Subject::Account("eva".into()),
            Subject::AccountFrom("eva".into(), v6),
            Subject::AccountFrom("a b:c".into(), "10.0.0.1".parse().unwrap()),
            Subject::Address(v6),
        ] {
            assert_eq!(Subject::parse(&s.key()), Some(s.clone()), "{}", s.key());
        }
        assert_eq!(Subject::parse("x:1"), None);
    }

    #[test]
    fn an_attempt_touches_its_counters_in_one_order() {
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let s = Subject::for_attempt("eva", Some(ip));
        assert_eq!(s.len(), 3);
        let mut sorted = s.clone();
        sorted.sort();
        assert_eq!(s, sorted);
        assert_eq!(Subject::for_attempt("eva", None).len(), 1);
    }
}
