//! Opening and creating the archive in the data dir: `0700` folder, `0600` files, the tantivy
//! index with its analyzer registered, and a small metadata file with the schema version.

use super::analyzer::{analyzer, ANALYZER};
use super::error::Error;
use super::files::{
    close_if_opened_up, create_private_dir, open_private_append, refuse_foreign_folder,
    restrict_permissions, write_private, INDEX_DIR, META_FILE,
};
use super::schema::{build_schema, Fields, SCHEMA_VERSION};
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
    /// The metadata as it was when opened (an older `schema_version` asks for a re-index).
    pub meta: Meta,
}

/// The data dir: `--data-dir`, else `WHATSCOPE_DATA_DIR` (clap reads it), else the platform's.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(d) = given {
        return Ok(d.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "whatscope")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(Error::NoDataDir)
}

fn index_dir(dir: &Path) -> PathBuf {
    dir.join(INDEX_DIR)
}

fn meta_path(dir: &Path) -> PathBuf {
    dir.join(META_FILE)
}

impl Archive {
    /// Whether an archive exists in `dir`.
    pub fn exists(dir: &Path) -> bool {
        meta_path(dir).is_file() && index_dir(dir).join("meta.json").is_file()
    }

    /// Creates the archive in `dir` (private to the user) unless there is one. `make_secret`
    /// runs once the index exists and before the metadata that makes it an archive is
    /// written: the secret is made with the archive and only then (docs/privacy.md).
    pub fn create_if_missing<E: From<Error>>(
        dir: &Path,
        make_secret: impl FnOnce(&Path) -> Result<(), E>,
    ) -> Result<(), E> {
        if !Archive::exists(dir) {
            refuse_foreign_folder(dir)?;
            create_private_dir(dir)?;
            // Two first imports at once: the second waits here, then finds the archive made.
            let lock =
                open_private_append(&dir.join(".create.lock")).map_err(|source| Error::Create {
                    dir: dir.to_path_buf(),
                    source,
                })?;
            lock.lock().map_err(|source| Error::Lock {
                dir: dir.to_path_buf(),
                source,
            })?;
            if Archive::exists(dir) {
                return Ok(());
            }
            create_private_dir(&index_dir(dir))?;
            let meta = Meta {
                schema_version: SCHEMA_VERSION,
                created_by: format!("whatscope {}", env!("CARGO_PKG_VERSION")),
            };
            let json = serde_json::to_vec_pretty(&meta).map_err(Error::from)?;
            // The metadata goes last: an archive "exists" only once both are complete.
            if !index_dir(dir).join("meta.json").is_file() {
                let mmap = MmapDirectory::open(index_dir(dir)).map_err(|e| storage(dir, e))?;
                Index::create(mmap, build_schema(), tantivy::IndexSettings::default())
                    .map_err(|e| storage(dir, e))?;
            }
            // A lost secret is never silently replaced: it is made here or never.
            make_secret(dir)?;
            write_private(&meta_path(dir), &json)?;
            restrict_permissions(dir);
        }
        Ok(())
    }

    /// Opens the storage of an existing archive; a friendly error when there is none. An
    /// archive of an older schema is opened for re-indexing (its `meta` says so), and an
    /// interrupted erasure is not finished here: `ops::open` does both before anything reads.
    pub fn open(dir: &Path) -> Result<Archive, Error> {
        if !Archive::exists(dir) {
            return Err(Error::NoArchive {
                dir: dir.to_path_buf(),
            });
        }
        close_if_opened_up(dir);
        let meta = read_meta(dir)?;
        let reindex = super::schema::needs_reindex(meta.schema_version);
        if reindex && !super::schema::REINDEXABLE.contains(&meta.schema_version) {
            return Err(Error::OtherVersion {
                dir: dir.to_path_buf(),
                found: meta.schema_version,
                reads: SCHEMA_VERSION,
            });
        }
        let archive = without_panics(dir, || {
            let index = Index::open_in_dir(index_dir(dir)).map_err(|e| open_error(dir, e))?;
            index.tokenizers().register(ANALYZER, analyzer());
            let fields = Fields::resolve(&index.schema()).map_err(|e| open_error(dir, e))?;
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| open_error(dir, e))?;
            Ok(Archive {
                dir: dir.to_path_buf(),
                index,
                fields,
                reader,
                meta: meta.clone(),
            })
        })?;
        Ok(archive)
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Re-reads the index after a commit.
    pub fn reload(&self) -> Result<(), Error> {
        self.reader.reload().map_err(|e| storage(&self.dir, e))
    }
}

/// The archive's own metadata (`meta.json` beside the index).
pub fn read_meta(dir: &Path) -> Result<Meta, Error> {
    fs::read(meta_path(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| Error::MetaUnreadable {
            dir: dir.to_path_buf(),
        })
}

fn storage(dir: &Path, e: impl Into<super::error::Cause>) -> Error {
    Error::Storage {
        dir: dir.to_path_buf(),
        source: e.into(),
    }
}

/// Why an existing archive does not open, in the user's words (catalog D7, D9): its folder
/// cannot be read, or its files are damaged (truncated, missing, not tantivy's).
fn open_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as T;
    let dir = dir.to_path_buf();
    if is_permission_denied(&e) {
        return Error::OpenDenied { dir };
    }
    if matches!(
        e,
        T::IncompatibleIndex(_) | T::OpenReadError(OpenReadError::IncompatibleIndex(_))
    ) {
        return Error::OtherIndexVersion { dir };
    }
    let damaged = matches!(
        e,
        T::DataCorruption(_)
            | T::OpenReadError(OpenReadError::FileDoesNotExist(_))
            | T::SchemaError(_)
            | T::FieldNotFound(_)
            | T::InternalError(_)
            | T::DeserializeError(_)
    ) || io_cause(&e).is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
        )
    });
    if damaged {
        return self::damaged(&dir, &e.to_string());
    }
    Error::Open { dir, source: e }
}

/// Runs `open` and turns a panic in it into a "damaged" error (catalog D7): tantivy trusts
/// the offsets in its files' footers, and garbage there makes it index out of bounds while
/// opening a segment rather than return an error. The panic message is kept off the
/// terminal (no "panicked at", no backtrace): the error says what happened.
fn without_panics<T>(dir: &Path, open: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
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

fn damaged(dir: &Path, why: &str) -> Error {
    // tantivy quotes the whole damaged file in some messages; the first words say enough.
    let why = why.split(". Content:").next().unwrap_or(why);
    Error::Damaged {
        dir: dir.to_path_buf(),
        why: why.chars().take(200).collect(),
    }
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
