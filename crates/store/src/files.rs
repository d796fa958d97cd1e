//! The SQLite files are the server's own: created readable and writable by its user only
//! (0600), whatever the process's umask, because they hold every case, person and password
//! hash. SQLite gives a database's `-wal` and `-shm` files the mode of the database file, so
//! making the database file private makes them private too.

use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The mode of the database file, its journal files and backups.
#[cfg(unix)]
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// The database file an `sqlite:` URL names, or `None` for an in-memory database or a file
/// opened read-only (someone else's file being checked, whose mode is not ours to change).
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    if query
        .split('&')
        .any(|kv| kv == "mode=ro" || kv == "mode=memory")
    {
        return None;
    }
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    let path = opts.get_filename();
    let name = path.to_string_lossy();
    if name.is_empty() || name == ":memory:" || name.starts_with("file:sqlx-in-memory") {
        return None;
    }
    Some(path.to_path_buf())
}

/// Creates the database file empty and private when it is missing, and takes group and
/// other access away from an existing database and its journal files (an installation made
/// before Serva did this).
pub(crate) fn make_database_private(db: &Path) -> io::Result<()> {
    if !db.exists() {
        return create_private_file(db);
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        match restrict(file) {
            // Someone else's file this user may write (a shared group): say so, and go on.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => tracing::warn!(
                file = %file.display(),
                "cannot make the database file private (0600): {e}"
            ),
            other => other?,
        }
    }
    Ok(())
}

/// The mode of the data folder.
#[cfg(unix)]
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Creates the data folder (and any folder above it that is missing) open to its owner only.
/// A folder that exists is left as it is; the answer says whether others may enter it, so
/// the caller can warn.
pub fn create_private_dir(path: &Path) -> io::Result<bool> {
    if !path.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, PRIVATE_DIR_MODE);
        b.create(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_DIR_MODE))?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(std::fs::metadata(path)?.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    Ok(false)
}

/// Creates `path` as a new, empty file only its owner may read and write; fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, PRIVATE_FILE_MODE);
    o.open(path)?;
    // The mode given at creation is masked by the umask; set it outright.
    restrict(path)
}

/// Sets an existing file to 0600; a file that is not there is left alone.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o777 != PRIVATE_FILE_MODE => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_FILE_MODE))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_file_of_a_url() {
        assert_eq!(
            sqlite_file("sqlite:data/serva.db"),
            Some(PathBuf::from("data/serva.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:/tmp/x/serva.db?mode=rwc"),
            Some(PathBuf::from("/tmp/x/serva.db"))
        );
        assert_eq!(sqlite_file("sqlite:/tmp/backup.db?mode=ro"), None);
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite:x.db?mode=memory"), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("serva_files_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let db = dir.join("serva.db");
        let _ = std::fs::remove_file(&db);
        make_database_private(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        let wal = dir.join("serva.db-wal");
        std::fs::write(&wal, b"").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        make_database_private(&db).unwrap();
        assert_eq!((mode(&db), mode(&wal)), (0o600, 0o600));
        assert!(
            create_private_file(&db).is_err(),
            "never over an existing file"
        );
        let data = dir.join("a").join("data");
        assert!(!create_private_dir(&data).unwrap(), "not open to others");
        assert_eq!(mode(&data), 0o700);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(
            create_private_dir(&data).unwrap(),
            "an existing open folder is reported"
        );
        assert_eq!(mode(&data), 0o755, "and left alone");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
