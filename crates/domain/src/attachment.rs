//! Attachments (bilagor): files on a case or a message from every channel — the portal, the
//! API, e-mail, chat. What a file may be is decided here from its bytes, not from what the
//! sender claims, and nothing is ever served as something a browser would run.

use serde::Serialize;

use crate::{AttachmentId, CaseId, MessageId};

/// The largest file kept: 25 MiB, as most mail systems allow.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// The longest file name kept, in characters.
pub const NAME_MAX: usize = 200;

/// A file as it is listed (its bytes are read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub case_id: CaseId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadAttachment {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {0} bytes; at most {MAX_BYTES} bytes (25 MB) are accepted")]
    TooLarge(usize),
    #[error("the file has no name")]
    NoName,
    #[error(
        "files of type {0:?} are not accepted; send PDF, images, office documents, text or CSV"
    )]
    Kind(String),
    #[error("the file's content is not what its name {0:?} says")]
    Mismatch(String),
}

/// The kinds of files accepted: what the name ends with, the type it is served as, and how
/// its first bytes look.
struct Kind {
    extensions: &'static [&'static str],
    content_type: &'static str,
    magic: Magic,
}

enum Magic {
    Prefix(&'static [&'static [u8]]),
    /// Text: valid UTF-8 (or Latin-1 without control bytes) and no NUL.
    Text,
}

const ZIP: &[&[u8]] = &[b"PK\x03\x04"];
const OLE: &[&[u8]] = &[b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];

const KINDS: &[Kind] = &[
    Kind {
        extensions: &["pdf"],
        content_type: "application/pdf",
        magic: Magic::Prefix(&[b"%PDF-"]),
    },
    Kind {
        extensions: &["png"],
        content_type: "image/png",
        magic: Magic::Prefix(&[b"\x89PNG\r\n\x1a\n"]),
    },
    Kind {
        extensions: &["jpg", "jpeg"],
        content_type: "image/jpeg",
        magic: Magic::Prefix(&[b"\xFF\xD8\xFF"]),
    },
    Kind {
        extensions: &["gif"],
        content_type: "image/gif",
        magic: Magic::Prefix(&[b"GIF87a", b"GIF89a"]),
    },
    Kind {
        extensions: &["webp"],
        content_type: "image/webp",
        magic: Magic::Prefix(&[b"RIFF"]),
    },
    Kind {
        extensions: &["tif", "tiff"],
        content_type: "image/tiff",
        magic: Magic::Prefix(&[b"II*\x00", b"MM\x00*"]),
    },
    Kind {
        extensions: &["txt", "log"],
        content_type: "text/plain; charset=utf-8",
        magic: Magic::Text,
    },
    Kind {
        extensions: &["csv"],
        content_type: "text/csv; charset=utf-8",
        magic: Magic::Text,
    },
    Kind {
        extensions: &["eml"],
        content_type: "message/rfc822",
        magic: Magic::Text,
    },
    Kind {
        extensions: &["docx"],
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["xlsx"],
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["pptx"],
        content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["odt"],
        content_type: "application/vnd.oasis.opendocument.text",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["ods"],
        content_type: "application/vnd.oasis.opendocument.spreadsheet",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["zip"],
        content_type: "application/zip",
        magic: Magic::Prefix(ZIP),
    },
    Kind {
        extensions: &["doc"],
        content_type: "application/msword",
        magic: Magic::Prefix(OLE),
    },
    Kind {
        extensions: &["xls"],
        content_type: "application/vnd.ms-excel",
        magic: Magic::Prefix(OLE),
    },
    Kind {
        extensions: &["msg"],
        content_type: "application/vnd.ms-outlook",
        magic: Magic::Prefix(OLE),
    },
];

/// A file that passed the checks: its tidy name and the type it is stored and served as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub filename: String,
    pub content_type: &'static str,
}

/// Checks a file by its name and bytes: the name without any path or control characters,
/// an accepted kind by its extension, and content that looks like that kind. HTML, SVG,
/// scripts and programs are never accepted, whatever they are called.
pub fn check(filename: &str, bytes: &[u8]) -> Result<CheckedFile, BadAttachment> {
    if bytes.is_empty() {
        return Err(BadAttachment::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(BadAttachment::TooLarge(bytes.len()));
    }
    let filename = clean_name(filename).ok_or(BadAttachment::NoName)?;
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = KINDS
        .iter()
        .find(|k| k.extensions.contains(&ext.as_str()))
        .ok_or_else(|| {
            BadAttachment::Kind(if ext.is_empty() {
                filename.clone()
            } else {
                ext.clone()
            })
        })?;
    let looks_right = match &kind.magic {
        Magic::Prefix(prefixes) => prefixes.iter().any(|p| bytes.starts_with(p)),
        Magic::Text => is_text(bytes),
    };
    if !looks_right || looks_like_markup(bytes) && !matches!(kind.magic, Magic::Prefix(_)) {
        return Err(BadAttachment::Mismatch(filename));
    }
    Ok(CheckedFile {
        filename,
        content_type: kind.content_type,
    })
}

/// The last part of a path, without control characters or quotes, at most [`NAME_MAX`]
/// characters (keeping the extension).
pub fn clean_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() <= NAME_MAX {
        return Some(cleaned);
    }
    let (stem, ext) = cleaned.rsplit_once('.').unwrap_or((&cleaned, ""));
    let keep = NAME_MAX.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(keep).collect();
    Some(if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    })
}

fn is_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    !head.contains(&0)
        && head
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
}

/// Text that a browser would take for HTML or SVG if it ever sniffed it.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    [
        "<!doctype",
        "<html",
        "<svg",
        "<script",
        "<?xml",
        "<body",
        "<head",
        "<iframe",
    ]
    .iter()
    .any(|t| head.starts_with(t))
}

/// `Content-Disposition` for a download: always an attachment, with the name in RFC 6266 /
/// RFC 5987 form (an ASCII fallback and the UTF-8 name percent-encoded).
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A size for people: `1,2 MB`, `340 kB`, `12 byte`.
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0).replace('.', ",")
    } else if bytes >= 1_000 {
        format!("{} kB", bytes / 1_000)
    } else {
        format!("{bytes} byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_their_bytes() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(
            check("Faktura 12.PDF", pdf).unwrap().content_type,
            "application/pdf"
        );
        assert_eq!(
            check("faktura.pdf", b"<html><script>alert(1)</script>"),
            Err(BadAttachment::Mismatch("faktura.pdf".into()))
        );
        assert!(matches!(
            check("sida.html", b"<html></html>"),
            Err(BadAttachment::Kind(_))
        ));
        assert!(matches!(
            check("bild.svg", b"<svg/>"),
            Err(BadAttachment::Kind(_))
        ));
        assert!(matches!(
            check("program.exe", b"MZ\x90"),
            Err(BadAttachment::Kind(_))
        ));
        assert!(matches!(
            check("utan-filändelse", b"hej"),
            Err(BadAttachment::Kind(_))
        ));
        assert_eq!(
            check("anteckning.txt", b"<!DOCTYPE html><html>"),
            Err(BadAttachment::Mismatch("anteckning.txt".into()))
        );
        assert_eq!(
            check("lista.csv", "namn;belopp\nÅsa;12,50\n".as_bytes())
                .unwrap()
                .content_type,
            "text/csv; charset=utf-8"
        );
        assert!(check("binär.txt", b"a\x00b").is_err());
        assert_eq!(check("x.pdf", b""), Err(BadAttachment::Empty));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            check("stor.txt", &big),
            Err(BadAttachment::TooLarge(MAX_BYTES + 1))
        );
    }

    #[test]
    fn names_lose_paths_and_dangerous_characters() {
        assert_eq!(
            clean_name("C:\\Users\\åsa\\Skärmbild 1.png").as_deref(),
            Some("Skärmbild 1.png")
        );
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("a\r\nb\".pdf").as_deref(), Some("ab.pdf"));
        assert_eq!(clean_name(".hidden").as_deref(), Some("hidden"));
        assert_eq!(clean_name("  /  "), None);
        let long = format!("{}.pdf", "x".repeat(300));
        let cut = clean_name(&long).unwrap();
        assert_eq!(cut.chars().count(), NAME_MAX);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn downloads_are_attachments_with_safe_names() {
        assert_eq!(
            content_disposition("Lönespec \"maj\".pdf"),
            "attachment; filename=\"L_nespec _maj_.pdf\"; filename*=UTF-8''L%C3%B6nespec%20%22maj%22.pdf"
        );
        assert_eq!(size_text(1_234_567), "1,2 MB");
        assert_eq!(size_text(340_100), "340 kB");
        assert_eq!(size_text(12), "12 byte");
    }
}
