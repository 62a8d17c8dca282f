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
        let meta: Meta = fs::read(meta_path(dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                UserError::new(format!(
                    "{}: the archive metadata is unreadable",
                    dir.display()
                ))
                .hint("move the folder away and import your exports again")
            })?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(UserError::new(format!(
                "{}: the archive was written by another version of whatscope (schema {}, this one reads {})",
                dir.display(),
                meta.schema_version,
                SCHEMA_VERSION
            ))
            .hint("import your exports again into a new --data-dir"));
        }
        let index = Index::open_in_dir(index_dir(dir)).map_err(|e| io_error(dir, e))?;
        index.tokenizers().register(ANALYZER, analyzer());
        let fields = Fields::resolve(&index.schema()).map_err(|e| io_error(dir, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| io_error(dir, e))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
        })
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Re-reads the index after a commit.
    pub fn reload(&self) -> Result<(), UserError> {
        self.reader.reload().map_err(|e| io_error(&self.dir, e))
    }
}

fn io_error(dir: &Path, e: impl std::fmt::Display) -> UserError {
    UserError::new(format!("{}: {e}", dir.display()))
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
/// again: it holds private messages (RELIABILITY V8).
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

/// tantivy creates its files with the process umask; bring every file in the archive to 0600
/// and every folder to 0700 (called after each commit).
pub fn restrict_permissions(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                set_mode(&path, 0o700);
                restrict_permissions(&path);
            }
            Ok(t) if t.is_file() => set_mode(&path, 0o600),
            _ => {}
        }
    }
}
