//! What the `serva` process sets up for itself before anything else: the files it creates
//! are its own, and a panic is logged like any other error, its message bounded.

/// Every file and folder the process creates from here on is readable by its own user only
/// (umask 077): the SQLite database and its journals, backups, reports written with
/// `--output`. The data folder, the database and backups also get their modes set outright
/// where they are created, so they are private even when Serva runs as a library.
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        use nix::sys::stat::{umask, Mode};
        umask(Mode::from_bits_truncate(0o077));
    }
}

/// Raises the process's limit of open files to the most it may have (the hard limit). Each
/// open chat socket, event stream and database connection is a file; the soft limit many
/// systems start a service with (1 024) would stop a node short of the thousand open
/// connections it is sized for. The new soft limit (`None` where there is none to raise).
pub fn raise_open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use nix::sys::resource::{getrlimit, setrlimit, Resource};
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
        if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
            return Some(hard);
        }
        Some(soft)
    }
    #[cfg(not(unix))]
    None
}

/// A panic goes to the log (not plain stderr) with where it happened; its message may quote
/// what someone sent (a panic on a string index quotes the whole string), so it is cut to
/// [`serva_domain::text::LOG_ERROR_MAX`] characters.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let backtrace = match backtrace.status() {
            std::backtrace::BacktraceStatus::Captured => backtrace.to_string(),
            _ => String::new(),
        };
        tracing::error!(
            panic = %serva_domain::text::error_for_log(&message),
            at = %at,
            backtrace = %backtrace,
            "a thread panicked"
        );
    }));
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn the_open_files_limit_is_raised_to_the_hard_limit() {
        use nix::sys::resource::{getrlimit, setrlimit, Resource};
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
        if hard == nix::sys::resource::RLIM_INFINITY {
            return; // Linux refuses an unlimited number of files; nothing to check here.
        }
        // Lower the soft limit first (a process may), so there is something to raise.
        let lower = soft.min(hard).min(256);
        setrlimit(Resource::RLIMIT_NOFILE, lower, hard).unwrap();
        assert_eq!(super::raise_open_files_limit(), Some(hard));
        assert_eq!(getrlimit(Resource::RLIMIT_NOFILE).unwrap(), (hard, hard));
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        super::restrict_new_files();
        let dir = std::env::temp_dir().join(format!("serva_umask_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"x").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!((mode(&dir) & 0o777, mode(&file) & 0o777), (0o700, 0o600));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
