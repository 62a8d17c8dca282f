//! The data dir's files: which entries are whatscope's own, how they are written (`0600`
//! files, `0700` folders, atomically through a `STEM.tmpPID` file), and the clean-up of what
//! a crashed run left (docs/privacy.md, docs/reliability.md).

use super::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// The tantivy index's folder.
pub const INDEX_DIR: &str = "index";
/// The archive's own metadata (schema version), beside the index.
pub const META_FILE: &str = "meta.json";
/// The per-archive secret that keys pseudonyms and the opt-out list (docs/privacy.md).
pub const SECRET_FILE: &str = "secret.key";
/// The keyed hashes of the people who asked to be forgotten.
pub const OPTOUT_FILE: &str = "opted-out.txt";
/// The people the user merged (docs/people.md).
pub const PEOPLE_FILE: &str = "people.json";
/// Present while an erasure (`forget`) is under way; a crash leaves it for the next open.
pub const ERASE_MARKER: &str = "erase.pending";
/// Where each chat's attachments are read from (docs/media.md).
pub const SOURCES_FILE: &str = "sources.json";

/// Names of whatscope's entries in a data dir.
const ENTRIES: [&str; 8] = [
    INDEX_DIR,
    META_FILE,
    SECRET_FILE,
    OPTOUT_FILE,
    PEOPLE_FILE,
    ".create.lock",
    ERASE_MARKER,
    SOURCES_FILE,
];

/// Stems of files written through a temp file (`write_private` names them `STEM.tmpPID`).
const TEMP_STEMS: [&str; 6] = ["meta", "secret", "opted-out", "erase", "people", "sources"];

/// Whether an entry of a data dir, by name, is one of whatscope's own.
pub fn is_ours(name: &str) -> bool {
    ENTRIES.contains(&name) || temp_file_pid(name).is_some()
}

/// The process id in the name of one of our temp files (`STEM.tmpPID`), if it is one.
pub fn temp_file_pid(name: &str) -> Option<u32> {
    TEMP_STEMS.iter().find_map(|stem| {
        name.strip_prefix(stem)
            .and_then(|r| r.strip_prefix(".tmp"))
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|pid| pid.parse().ok())
    })
}

/// whatscope's entries present in `dir`.
pub fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(list) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = list
        .flatten()
        .filter(|e| is_ours(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Removes our own `STEM.tmpPID` files (see [`write_private`]) left by a whatscope that
/// died before renaming them: copies of the metadata, the secret or the opt-out list that
/// should not outlive it. A file of a process still running is left alone.
pub fn remove_dead_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temp_file_pid(&name) else {
            continue;
        };
        if pid != std::process::id() && !crate::process::alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A folder that already holds other things and no archive is not made one: the archive
/// would mix with them, and its private modes must never touch files that are not its own
/// (issue 13 A2; `--data-dir ~` would otherwise be the home folder).
pub(super) fn refuse_foreign_folder(dir: &Path) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(dir) else {
        // Missing (it is made next) or unreadable (making it says why).
        return Ok(());
    };
    let foreign = entries
        .flatten()
        .any(|e| !is_ours(&e.file_name().to_string_lossy()));
    if !foreign {
        return Ok(());
    }
    Err(Error::ForeignFolder {
        dir: dir.to_path_buf(),
    })
}

/// Creates `dir` (and parents) with mode 0700.
pub fn create_private_dir(dir: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    set_mode(dir, 0o700);
    Ok(())
}

/// Writes a file with mode 0600, atomically (temp file, then rename).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let err = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    {
        use std::io::Write;
        let mut f = open_private(&tmp).map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
    }
    fs::rename(&tmp, path).map_err(err)
}

pub(super) fn open_private_append(path: &Path) -> std::io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

fn open_private(path: &Path) -> std::io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// A data dir opened up since it was made (`chmod 755`, a restore from a backup) is closed
/// again: it holds private messages (docs/reliability.md, V8).
pub(super) fn close_if_opened_up(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            set_mode(dir, 0o700);
            restrict_permissions(dir);
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// tantivy creates its files with the process umask; bring every file of the archive to 0600
/// and every folder to 0700 (called after each commit). Only whatscope's own entries of the
/// data dir are touched (see [`is_ours`]): anything else a user keeps there
/// keeps its mode (issue 13 A2).
pub fn restrict_permissions(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_ours(&entry.file_name().to_string_lossy()) {
            restrict_tree(&entry);
        }
    }
}

/// One entry of the archive private: a file `0600`, a folder `0700` with all it holds.
/// Symlinks are never followed.
fn restrict_tree(entry: &fs::DirEntry) {
    let path = entry.path();
    match entry.file_type() {
        Ok(t) if t.is_dir() => {
            set_mode(&path, 0o700);
            if let Ok(inner) = fs::read_dir(&path) {
                for e in inner.flatten() {
                    restrict_tree(&e);
                }
            }
        }
        Ok(t) if t.is_file() => set_mode(&path, 0o600),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_entries() {
        assert!(is_ours("index") && is_ours("secret.key") && is_ours("meta.tmp1234"));
        assert!(!is_ours("notes.txt") && !is_ours("meta.tmp") && !is_ours("metax.tmp1"));
    }
}
