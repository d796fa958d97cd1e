//! The HTML part of a received mail: sanitised so it can be shown inside a Serva page, and
//! placed beside the message (or the case description) the mail became.
//!
//! Sanitising is `ammonia`'s (no scripts, styles, event handlers, forms or frames) with two
//! rules more: an image never loads — its address is dropped and its `alt` text stays, so
//! opening a case tells no sender that it was read — and a link or image address relative to
//! Serva's own host is dropped, so a mail cannot point into the application.

use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use crate::case::Message;
use crate::MessageId;

static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.rm_tag_attributes("img", &["src", "srcset"])
        .url_relative(UrlRelative::Deny);
    b
});

/// A mail's HTML made safe to show in a page. Running it again changes nothing, so HTML
/// kept under older rules is sanitised again when shown.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// One received mail's HTML, as kept with its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedHtml {
    /// The mail's Message-ID.
    pub message_id: String,
    pub html: String,
    /// When the mail was taken in (ms, UTC): just after its text was written on the case.
    pub received_at: i64,
}

/// A mail's HTML beside what the mail became: the case's description (`message: None`, the
/// mail that opened the case) or one of its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedHtml {
    pub message: Option<MessageId>,
    /// Sanitised again (see [`sanitise`]).
    pub html: String,
}

/// Places each received mail's HTML beside what it became. A mail is taken in by writing its
/// text first (the case, or a message without an author) and then keeping its HTML, so the
/// message it became is the last authorless, non-internal message written before the HTML was
/// kept; with none, the mail opened the case. Such messages are never internal, so whoever
/// may read the case sees them all and `messages` may be the reader's own list.
pub fn place(received: &[ReceivedHtml], messages: &[Message]) -> Vec<PlacedHtml> {
    received
        .iter()
        .map(|r| PlacedHtml {
            message: messages
                .iter()
                .filter(|m| m.author_id.is_none() && !m.internal && m.created_at <= r.received_at)
                .max_by_key(|m| (m.created_at, m.id))
                .map(|m| m.id),
            html: sanitise(&r.html),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CaseId, UserId};

    #[test]
    fn nothing_in_a_mail_runs_loads_or_points_into_serva() {
        let html = sanitise(
            "<p onclick=\"x()\">Hej <b>du</b></p><script>steal()</script>\
             <img src=\"https://tracker.example/p.gif\" alt=\"Logga\" onerror=\"x()\">\
             <img srcset=\"https://t.example/a.png 2x\"><img src=\"data:image/png;base64,AAAA\">\
             <a href=\"https://example.org/\">ok</a> <a href=\"/logout\">ut</a>\
             <a href=\"javascript:alert(1)\">js</a><style>body{display:none}</style>\
             <iframe src=\"https://e.example\"></iframe><form action=\"/x\"><input></form>",
        );
        assert!(html.contains("<b>du</b>"), "{html}");
        assert!(html.contains("alt=\"Logga\""), "the alt text stays: {html}");
        for gone in [
            "onclick",
            "script",
            "steal",
            "src",
            "tracker",
            "onerror",
            "data:",
            "/logout",
            "javascript",
            "style",
            "display",
            "iframe",
            "form",
            "input",
        ] {
            assert!(!html.contains(gone), "{gone} is gone: {html}");
        }
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert_eq!(sanitise(&html), html, "sanitising again changes nothing");
    }

    fn message(id: i64, at: i64, author: Option<i64>, internal: bool) -> Message {
        Message {
            id: MessageId(id),
            case_id: CaseId(1),
            author_id: author.map(UserId),
            author_name: None,
            internal,
            body: String::new(),
            created_at: at,
        }
    }

    fn received(at: i64) -> ReceivedHtml {
        ReceivedHtml {
            message_id: format!("m{at}@example.org"),
            html: format!("<p>{at}</p>"),
            received_at: at,
        }
    }

    #[test]
    fn each_mail_sits_beside_what_it_became() {
        let messages = [
            message(1, 200, Some(7), false), // the agent answers
            message(2, 300, None, false),    // the customer's reply by mail
            message(3, 305, Some(7), true),  // a note, written just after
            message(4, 400, None, false),    // a reply by the follow link, no HTML
        ];
        let placed = place(&[received(100), received(301)], &messages);
        assert_eq!(placed[0].message, None, "the first mail opened the case");
        assert_eq!(placed[1].message, Some(MessageId(2)));
        assert_eq!(placed[1].html, "<p>301</p>");
    }
}
