//! Browser sessions as their owner sees them: when they began and were last used, from which
//! browser, and the rules for when a quiet session ends.

use serde::Serialize;

/// A session ends after this long without a request, unless `serve` is told otherwise.
pub const DEFAULT_IDLE_MINUTES: u32 = 30;

/// How finely a session's last request is kept: once a minute at most, so that a busy page
/// costs one small write a minute. The idle timeout is therefore exact to within a minute.
pub const LAST_SEEN_RESOLUTION_MS: i64 = 60 * 1000;

/// Whether the stored last request is old enough to be written again.
pub fn last_seen_is_stale(last_seen_at: i64, now: i64) -> bool {
    now - last_seen_at >= LAST_SEEN_RESOLUTION_MS
}

/// The longest user agent kept; browsers send a few hundred characters at most.
pub const MAX_USER_AGENT_CHARS: usize = 256;

/// One live session of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// Names the session in forms (random, not the session id or its hash).
    pub handle: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The browser's `User-Agent` as sent at sign-in (cut to 256 characters).
    pub user_agent: Option<String>,
    /// The address the sign-in came from, as the server saw it.
    pub ip: Option<String>,
}

/// A handle as the forms send it: 32 lowercase hexadecimal digits.
pub fn is_session_handle(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A user agent said briefly, as a person recognises their browser: "Firefox 128, Windows".
/// What it does not recognise is shown cut to 40 characters.
pub fn short_user_agent(ua: &str) -> String {
    let ua = ua.trim();
    // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
        ("curl/", "curl"),
        ("reqwest", "reqwest"),
    ];
    const SYSTEMS: [(&str, &str); 6] = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let browser = BROWSERS.iter().find_map(|(marker, name)| {
        let at = ua.find(marker)?;
        let version: String = ua[at + marker.len()..]
            .chars()
            .skip_while(|c| *c == '/')
            .take_while(char::is_ascii_digit)
            .collect();
        Some(if version.is_empty() {
            name.to_string()
        } else {
            format!("{name} {version}")
        })
    });
    let system = SYSTEMS
        .iter()
        .find(|(marker, _)| ua.contains(marker))
        .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b}, {s}"),
        (Some(b), None) => b,
        (None, Some(s)) => s.to_string(),
        (None, None) => {
            let cut: String = ua.chars().take(40).collect();
            if cut.len() < ua.len() {
                format!("{cut}…")
            } else {
                cut
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_shortened() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128, Windows"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge 126, Windows"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari 17, macOS"),
            ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36", "Chrome 126, Android"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17, iOS"),
            ("curl/8.5.0", "curl 8"),
            ("", ""),
            ("SomeRobot", "SomeRobot"),
        ];
        for (ua, short) in cases {
            assert_eq!(short_user_agent(ua), short, "{ua}");
        }
        let long = "x".repeat(100);
        assert_eq!(short_user_agent(&long), format!("{}…", "x".repeat(40)));
    }

    #[test]
    fn last_seen_is_written_once_a_minute() {
        assert!(!last_seen_is_stale(1_000, 60_999));
        assert!(last_seen_is_stale(1_000, 61_000));
    }

    #[test]
    fn handles_are_32_hex_digits() {
        assert!(is_session_handle("0123456789abcdef0123456789abcdef"));
        assert!(!is_session_handle("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_session_handle("0123"));
        assert!(!is_session_handle("../../0123456789abcdef0123456789a"));
    }
}
