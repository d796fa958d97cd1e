//! Text people wrote, cut to a length without cutting a character in two.
//!
//! A Rust string slice (`&s[..n]`) counts bytes, and a byte index inside a multi-byte character
//! (`å`, `–`, an emoji) panics. Nothing in Serva slices text someone typed by bytes: it counts
//! characters here, or asks with `str::get`, which answers `None` instead of panicking.

use std::borrow::Cow;

/// The most characters of someone's text (a user name, a path, a period) a log line carries.
pub const LOG_TEXT_MAX: usize = 64;

/// The most characters of an error message a log line carries: errors from the database or a
/// renderer may quote what someone sent, so they are bounded too, but more loosely.
pub const LOG_ERROR_MAX: usize = 300;

/// At most `max` characters of `s`, counted as characters; a shortened text ends with `…`
/// (which counts as one of the `max`).
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().nth(max).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    if max > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// Someone's text as a log line may carry it: at most [`LOG_TEXT_MAX`] characters, control
/// characters (a line break that would forge a log line) replaced by `�`.
pub fn for_log(s: &str) -> String {
    printable(&clip(s, LOG_TEXT_MAX))
}

/// An error message as a log line may carry it: at most [`LOG_ERROR_MAX`] characters, control
/// characters replaced by `�`.
pub fn error_for_log(e: &dyn std::fmt::Display) -> String {
    printable(&clip(&e.to_string(), LOG_ERROR_MAX))
}

fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_by_characters_never_inside_one() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("", 0), "");
        assert_eq!(clip("a", 0), "");
        // Three-byte characters: a byte count of 4 would fall inside the second one.
        assert_eq!(clip("–––––", 2), "–…");
        assert_eq!(clip("2018–", 5), "2018–");
        assert_eq!(clip("åäöåäö", 4), "åäö…");
        assert_eq!(clip("👩‍👩‍👧", 2).chars().count(), 2);
        for n in 0..12 {
            let s = "aå–😀".repeat(3);
            assert!(clip(&s, n).chars().count() <= n);
        }
    }

    #[test]
    fn log_text_is_bounded_and_on_one_line() {
        let long = "å".repeat(100_000);
        assert_eq!(for_log(&long).chars().count(), LOG_TEXT_MAX);
        assert_eq!(for_log("eva\nINFO forged"), "eva\u{FFFD}INFO forged");
        let e = format!("duplicate key {}", "x".repeat(10_000));
        assert_eq!(error_for_log(&e).chars().count(), LOG_ERROR_MAX);
    }
}
