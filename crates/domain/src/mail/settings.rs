//! A provider unit's mail settings: its mailbox address, the service new mail cases get, and
//! the IMAP mailbox Serva fetches from (how it connects, and where the password is read).

/// How Serva talks to an IMAP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImapTls {
    /// Plain text: only for a server on the same machine or a closed network.
    None,
    /// Plain connection upgraded with STARTTLS (port 143).
    StartTls,
    /// TLS from the first byte (port 993).
    Tls,
}

impl ImapTls {
    pub const ALL: [ImapTls; 3] = [ImapTls::Tls, ImapTls::StartTls, ImapTls::None];

    pub fn as_str(self) -> &'static str {
        match self {
            ImapTls::None => "none",
            ImapTls::StartTls => "starttls",
            ImapTls::Tls => "tls",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The usual port.
    pub fn default_port(self) -> u16 {
        match self {
            ImapTls::Tls => 993,
            ImapTls::None | ImapTls::StartTls => 143,
        }
    }
}

/// Where the IMAP password is read when Serva connects. The password itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// The name of an environment variable of the `serve` process.
    Env(String),
    /// A file (its first line), readable by the `serve` process alone.
    File(String),
}

impl PasswordSource {
    /// Checks what an administrator typed: an environment variable's name (letters, digits and
    /// `_`, not starting with a digit) or an absolute file path.
    pub fn new(kind: &str, value: &str) -> Result<Self, String> {
        let v = value.trim();
        match kind {
            "env" => {
                let ok = !v.is_empty()
                    && v.len() <= 128
                    && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !v.as_bytes()[0].is_ascii_digit();
                if ok {
                    Ok(PasswordSource::Env(v.to_string()))
                } else {
                    Err(format!(
                        "{v:?} is not the name of an environment variable (A-Z, 0-9, _)"
                    ))
                }
            }
            "file" => {
                if v.starts_with('/') && v.len() <= 1024 && !v.contains('\0') {
                    Ok(PasswordSource::File(v.to_string()))
                } else {
                    Err(format!("{v:?} is not an absolute file path"))
                }
            }
            _ => Err("the password source is an environment variable or a file".into()),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            PasswordSource::Env(_) => "env",
            PasswordSource::File(_) => "file",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            PasswordSource::Env(v) | PasswordSource::File(v) => v,
        }
    }
}

/// A unit's IMAP mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapMailbox {
    pub host: String,
    pub port: u16,
    pub tls: ImapTls,
    pub user: String,
    pub folder: String,
    pub password: PasswordSource,
}

impl ImapMailbox {
    /// The mailbox's name in the record of fetched messages: a new host, user or folder is a
    /// new mailbox whose UIDs mean something else.
    pub fn key(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.folder)
    }
}

/// A provider unit's mail settings as the administration page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMailSettings {
    pub unit_id: crate::UnitId,
    pub unit_code: String,
    pub unit_name: String,
    /// The unit's mailbox address (`units.mail_address`), where SMTP mail for it is sent.
    pub mail_address: Option<String>,
    /// The service new mail cases get; `None`: the unit's first open service without
    /// required form fields.
    pub service_id: Option<crate::ServiceId>,
    pub imap: Option<ImapMailbox>,
    pub last_poll_at: Option<i64>,
    pub last_error: Option<String>,
}
