//! Opening and creating the archive in the data dir: `0700` folder, `0600` files, the tantivy
//! index with its analyzer registered, and a small metadata file with the schema version.

use super::analyzer::{analyzer, ANALYZER};
use super::schema::{build_schema, Fields, SCHEMA_VERSION};
use crate::error::UserError;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

/// The archive's own metadata, beside the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub schema_version: u32,
    pub created_by: String,
}

pub struct Archive {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
}

/// The data dir: `--data-dir`, else `WHATSCOPE_DATA_DIR` (clap reads it), else the platform's.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf, UserError> {
    if let Some(d) = given {
        return Ok(d.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "whatscope")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            UserError::new("cannot find a data directory: no home directory is set")
                .hint("pass --data-dir DIR or set WHATSCOPE_DATA_DIR")
        })
}

fn index_dir(dir: &Path) -> PathBuf {
    dir.join("index")
}

fn meta_path(dir: &Path) -> PathBuf {
    dir.join("meta.json")
}

impl Archive {
    /// Whether an archive exists in `dir`.
    pub fn exists(dir: &Path) -> bool {
        meta_path(dir).is_file() && index_dir(dir).join("meta.json").is_file()
    }

    /// Opens the archive in `dir`, creating it (private to the user) when missing.
    pub fn open_or_create(dir: &Path) -> Result<Archive, UserError> {
        if !Archive::exists(dir) {
            refuse_foreign_folder(dir)?;
            create_private_dir(dir)?;
            // Two first imports at once: the second waits here, then finds the archive made.
            let lock = open_private_append(&dir.join(".create.lock")).map_err(|e| {
                UserError::new(format!(
                    "cannot create the archive in {}: {e}",
                    dir.display()
                ))
            })?;
            lock.lock()
                .map_err(|e| UserError::new(format!("cannot lock {}: {e}", dir.display())))?;
            if Archive::exists(dir) {
                return Archive::open(dir);
            }
            create_private_dir(&index_dir(dir))?;
            let meta = Meta {
                schema_version: SCHEMA_VERSION,
                created_by: format!("whatscope {}", env!("CARGO_PKG_VERSION")),
            };
            let json =
                serde_json::to_vec_pretty(&meta).map_err(|e| UserError::new(e.to_string()))?;
            // The metadata goes last: an archive "exists" only once both are complete.
            if !index_dir(dir).join("meta.json").is_file() {
                let mmap = MmapDirectory::open(index_dir(dir)).map_err(|e| io_error(dir, e))?;
                Index::create(mmap, build_schema(), tantivy::IndexSettings::default())
                    .map_err(|e| io_error(dir, e))?;
            }
            // The secret is made with the archive, and only then (docs/privacy.md): a lost one is
            // never silently replaced (see `privacy::secret`).
            crate::privacy::secret::create_for_new_archive(dir)?;
            write_private(&meta_path(dir), &json)?;
            restrict_permissions(dir);
        }
        Archive::open(dir)
    }

    /// Opens an existing archive; a friendly error when there is none.
    pub fn open(dir: &Path) -> Result<Archive, UserError> {
        if !Archive::exists(dir) {
            return Err(UserError::new(format!(
                "no archive in {}",
                crate::sanitize::to_display(
                    &dir.display().to_string(),
                    crate::sanitize::Mode::OneLine
                )
            ))
            .hint("import an export first: `whatscope import PATH` (or try `whatscope demo`)"));
        }
        close_if_opened_up(dir);
        let meta = read_meta(dir)?;
        let reindex = meta.schema_version != SCHEMA_VERSION;
        if reindex && !super::migrate::REINDEXABLE.contains(&meta.schema_version) {
            return Err(UserError::new(format!(
                "{}: the archive was written by another version of whatscope (schema {}, this one reads {})",
                dir.display(),
                meta.schema_version,
                SCHEMA_VERSION
            ))
            .hint("import your exports again into a new --data-dir"));
        }
        let archive = without_panics(dir, || {
            let index = Index::open_in_dir(index_dir(dir)).map_err(|e| open_error(dir, &e))?;
            index.tokenizers().register(ANALYZER, analyzer());
            let fields = Fields::resolve(&index.schema()).map_err(|e| open_error(dir, &e))?;
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| open_error(dir, &e))?;
            Ok(Archive {
                dir: dir.to_path_buf(),
                index,
                fields,
                reader,
            })
        })?;
        if reindex {
            // An archive of the previous schema is brought up to date before anything
            // reads it: old and new documents must not answer queries differently.
            super::migrate::reindex(&archive, &meta)?;
        }
        // An erasure a crash interrupted is finished before anything is shown (catalog D11).
        crate::privacy::forget::finish_interrupted(&archive)?;
        Ok(archive)
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Re-reads the index after a commit.
    pub fn reload(&self) -> Result<(), UserError> {
        self.reader.reload().map_err(|e| io_error(&self.dir, e))
    }
}

/// The archive's own metadata (`meta.json` beside the index).
pub fn read_meta(dir: &Path) -> Result<Meta, UserError> {
    fs::read(meta_path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            UserError::new(format!(
                "{}: the archive metadata is unreadable",
                dir.display()
            ))
            .hint("move the folder away and import your exports again")
        })
}

fn io_error(dir: &Path, e: impl std::fmt::Display) -> UserError {
    UserError::new(format!("{}: {e}", dir.display()))
}

/// Why an existing archive does not open, in the user's words (catalog D7, D9): its folder
/// cannot be read, or its files are damaged (truncated, missing, not tantivy's).
fn open_error(dir: &Path, e: &tantivy::TantivyError) -> UserError {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as T;
    let shown =
        crate::sanitize::to_display(&dir.display().to_string(), crate::sanitize::Mode::OneLine)
            .into_owned();
    if is_permission_denied(e) {
        return UserError::new(format!(
            "cannot open the archive in {shown}: permission denied"
        ))
        .hint(
            "make the folder and its files readable and writable by you, or use another --data-dir",
        );
    }
    if matches!(
        e,
        T::IncompatibleIndex(_) | T::OpenReadError(OpenReadError::IncompatibleIndex(_))
    ) {
        return UserError::new(format!(
            "cannot open the archive in {shown}: its index was written by another version of whatscope"
        ))
        .hint("open it with the whatscope that wrote it, or import your exports again into a new --data-dir");
    }
    let damaged = matches!(
        e,
        T::DataCorruption(_)
            | T::OpenReadError(OpenReadError::FileDoesNotExist(_))
            | T::SchemaError(_)
            | T::FieldNotFound(_)
            | T::InternalError(_)
            | T::DeserializeError(_)
    ) || io_cause(e).is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
        )
    });
    if damaged {
        return self::damaged(dir, &e.to_string());
    }
    UserError::new(format!("cannot open the archive in {shown}: {e}"))
        .hint("if this persists, move the folder away and import your exports again")
}

/// Runs `open` and turns a panic in it into a "damaged" error (catalog D7): tantivy trusts
/// the offsets in its files' footers, and garbage there makes it index out of bounds while
/// opening a segment rather than return an error. The panic message is kept off the
/// terminal (no "panicked at", no backtrace): the error says what happened.
fn without_panics<T>(
    dir: &Path,
    open: impl FnOnce() -> Result<T, UserError>,
) -> Result<T, UserError> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(open));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a file of the index is inconsistent");
        Err(damaged(dir, why))
    })
}

fn damaged(dir: &Path, why: &str) -> UserError {
    let dir = dir.display().to_string();
    let shown = crate::sanitize::to_display(&dir, crate::sanitize::Mode::OneLine);
    // tantivy quotes the whole damaged file in some messages; the first words say enough.
    let why = why.split(". Content:").next().unwrap_or(why);
    let why: String = why.chars().take(200).collect();
    UserError::new(format!("the archive in {shown} is damaged: {why}")).hint(
        "move the folder away (or delete it with `whatscope purge`), then import your exports again",
    )
}

/// The I/O error inside a tantivy error, when it carries one (tantivy keeps them as fields,
/// not as `source()`).
pub fn io_cause(e: &tantivy::TantivyError) -> Option<&std::io::Error> {
    use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError as T;
    match e {
        T::IoError(io)
        | T::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
        | T::OpenReadError(OpenReadError::IoError { io_error: io, .. })
        | T::OpenDirectoryError(OpenDirectoryError::IoError { io_error: io, .. })
        | T::OpenDirectoryError(OpenDirectoryError::FailedToCreateTempDir(io))
        | T::LockFailure(LockError::IoError(io), _) => Some(io),
        _ => None,
    }
}

/// Every I/O error in `e`'s chain: `source()`s, errors wrapped in an `io::Error`, and the
/// ones tantivy keeps inside its own error type.
fn io_errors<'a>(e: &'a (dyn std::error::Error + 'static)) -> Vec<&'a std::io::Error> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            out.push(io);
            if let Some(inner) = io.get_ref() {
                out.extend(io_errors(inner));
            }
        }
        if let Some(t) = err.downcast_ref::<tantivy::TantivyError>() {
            out.extend(io_cause(t));
        }
        next = err.source();
    }
    out
}

/// Whether the disk (or the user's quota) is full, anywhere in `e`'s chain (catalog D3).
pub fn is_disk_full(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind;
    let full = |io: &std::io::Error| {
        matches!(io.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
            || os_code_is(io, &[ENOSPC, EDQUOT])
    };
    // tantivy hands an indexing thread's error on as text only (`ErrorInThread`).
    let text = e.to_string();
    io_errors(e).into_iter().any(full)
        || text.contains("No space left on device")
        || text.contains(&format!("(os error {ENOSPC})"))
}

/// Whether `e` says the archive's files cannot be written or read for want of permission,
/// or because they sit on a read-only filesystem (catalog D9).
pub fn is_permission_denied(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind;
    io_errors(e).into_iter().any(|io| {
        matches!(
            io.kind(),
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
        )
    })
}

#[cfg(unix)]
const ENOSPC: i32 = libc::ENOSPC;
#[cfg(unix)]
const EDQUOT: i32 = libc::EDQUOT;
// Windows: ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL (std maps both to StorageFull anyway).
#[cfg(not(unix))]
const ENOSPC: i32 = 112;
#[cfg(not(unix))]
const EDQUOT: i32 = 39;

fn os_code_is(io: &std::io::Error, codes: &[i32]) -> bool {
    io.raw_os_error().is_some_and(|c| codes.contains(&c))
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
        let Some(pid) = crate::privacy::purge::temp_file_pid(&name) else {
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
fn refuse_foreign_folder(dir: &Path) -> Result<(), UserError> {
    let Ok(entries) = fs::read_dir(dir) else {
        // Missing (it is made next) or unreadable (making it says why).
        return Ok(());
    };
    let foreign = entries
        .flatten()
        .any(|e| !crate::privacy::purge::is_ours(&e.file_name().to_string_lossy()));
    if !foreign {
        return Ok(());
    }
    let shown =
        crate::sanitize::to_display(&dir.display().to_string(), crate::sanitize::Mode::OneLine)
            .into_owned();
    Err(UserError::new(format!(
        "{shown} is not empty and holds no whatscope archive: it will not be made one"
    ))
    .hint(format!(
        "give --data-dir a new or empty folder (whatscope creates it), e.g. --data-dir {}",
        crate::sanitize::to_display(
            &dir.join("whatscope").display().to_string(),
            crate::sanitize::Mode::OneLine
        )
    )))
}

/// Creates `dir` (and parents) with mode 0700.
pub fn create_private_dir(dir: &Path) -> Result<(), UserError> {
    fs::create_dir_all(dir).map_err(|e| {
        UserError::new(format!("cannot create {}: {e}", dir.display()))
            .hint("choose another place with --data-dir")
    })?;
    set_mode(dir, 0o700);
    Ok(())
}

/// Writes a file with mode 0600, atomically (temp file, then rename).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), UserError> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let err = |e: std::io::Error| UserError::new(format!("cannot write {}: {e}", path.display()));
    {
        use std::io::Write;
        let mut f = open_private(&tmp).map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
    }
    fs::rename(&tmp, path).map_err(err)
}

fn open_private_append(path: &Path) -> std::io::Result<fs::File> {
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
fn close_if_opened_up(dir: &Path) {
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
/// data dir are touched (see `privacy::purge::is_ours`): anything else a user keeps there
/// keeps its mode (issue 13 A2).
pub fn restrict_permissions(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if crate::privacy::purge::is_ours(&entry.file_name().to_string_lossy()) {
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
