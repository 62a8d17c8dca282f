//! Where exports come from: a `.txt`, a `.zip` read in place (never extracted), a folder
//! searched recursively, or stdin. Applies the limits of docs/reliability.md, counted on
//! bytes actually read, never on sizes an archive declares.
//!
//! A zip is never unpacked: only its chat text is decompressed, into memory; every other entry
//! is only listed by name (media are never written anywhere, so hostile names, symlinks and
//! huge media cannot touch the disk). Entries that could only be trouble are left out with a
//! warning: unsafe or absurd names, symlinks, password-protected entries, unknown compression.

use super::{chatname, decode};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub use super::zipfile::read_zip;

/// Limits on what is read; each names its flag in the error that hits it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest chat text, in bytes (`--max-text-mib`).
    pub max_text_bytes: u64,
    /// Most entries a zip may hold (`--max-zip-entries`).
    pub max_zip_entries: usize,
    /// Largest expansion of a zipped chat text, checked once over 1 MiB (`--max-zip-ratio`).
    pub max_zip_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_text_bytes: 256 << 20,
            max_zip_entries: 50_000,
            max_zip_ratio: 200,
        }
    }
}

/// Longest entry name listed; longer ones are skipped (docs/reliability.md).
pub const MAX_ENTRY_NAME_BYTES: usize = 1024;
/// Deepest entry path listed; deeper ones are skipped.
pub const MAX_ENTRY_DEPTH: usize = 16;

/// One chat text, read and ready to decode.
#[derive(Debug)]
pub struct ExportFile {
    /// What to call it in reports: the path, or `zip/_chat.txt`.
    pub display: String,
    /// Chat name from the file (or zip) name, when it names one, and where it came from.
    pub name_hint: Option<(String, chatname::ChatNameFrom)>,
    /// Whether the name is only that of a folder not named after an export (`Downloads`):
    /// the export's own attribution goes first then.
    pub weak_name: bool,
    pub bytes: Vec<u8>,
    /// Other files of the export (zip members), by name.
    pub media: Vec<String>,
    /// What was left out of the zip or guessed, one line each (names already sanitized).
    pub warnings: Vec<String>,
    /// Whether the text came out of a zip.
    pub zipped: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: cannot read it: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: the chat text is larger than {limit} MiB (--max-text-mib)")]
    TooLarge { path: String, limit: u64 },
    #[error("{path}: not a readable zip archive: {why}")]
    BadZip { path: String, why: String },
    #[error(
        "{path}: the zip holds {entries} entries, over the limit of {limit} (--max-zip-entries)"
    )]
    TooManyEntries {
        path: String,
        entries: u64,
        limit: usize,
    },
    #[error("{path}: {entry} expands more than {limit}:1 (--max-zip-ratio), which no chat text does (a zip bomb?)")]
    Ratio {
        path: String,
        entry: String,
        limit: u64,
    },
    #[error("{path}: malformed zip archive: its entries overlap (a zip bomb?)")]
    Overlapping { path: String },
    #[error("{path}: the chat text {entry} is password-protected")]
    Encrypted { path: String, entry: String },
    #[error(
        "{path}: the chat text {entry} is compressed with {method}, which whatscope does not read"
    )]
    Method {
        path: String,
        entry: String,
        method: String,
    },
    #[error("{path}: the chat text {entry} is damaged: {why}")]
    Corrupt {
        path: String,
        entry: String,
        why: String,
    },
    #[error("{path}: no chat text (.txt) inside the zip")]
    NoChatInZip { path: String },
    #[error("{path}: no such file or folder")]
    Missing { path: String },
    #[error("{path}: this is {what}, not a WhatsApp text export")]
    NotText { path: String, what: &'static str },
    #[error("{path}: not a file but {what}; whatscope does not open it (it could wait forever)")]
    NotAFile { path: String, what: &'static str },
}

impl SourceError {
    /// A hint for the user, where one helps.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            SourceError::TooLarge { .. } => {
                Some("raise the limit with --max-text-mib if the file is genuine")
            }
            SourceError::TooManyEntries { .. } => {
                Some("raise the limit with --max-zip-entries if the zip is genuine")
            }
            SourceError::Ratio { .. } => {
                Some("raise the limit with --max-zip-ratio if the zip is genuine")
            }
            SourceError::Encrypted { .. } => {
                Some("export the chat again from WhatsApp (Export chat), without a password")
            }
            SourceError::NoChatInZip { .. } => {
                Some("export the chat again from WhatsApp (Export chat) and pass that zip")
            }
            SourceError::Method { .. } => Some(
                "export the chat again from WhatsApp, or zip the .txt again with ordinary (deflate) compression",
            ),
            SourceError::Missing { .. } => {
                Some("check the path; folders are searched for .txt and .zip exports")
            }
            SourceError::NotText { .. } => {
                Some("pass the .txt or .zip that WhatsApp's \"Export chat\" produced")
            }
            SourceError::NotAFile { .. } => Some(
                "pass the export file itself, or pipe it in: `... | whatscope import - --chat NAME`",
            ),
            SourceError::BadZip { .. }
            | SourceError::Overlapping { .. }
            | SourceError::Corrupt { .. } => {
                Some("the download or copy may be incomplete or damaged; export the chat again")
            }
            _ => None,
        }
    }
}

/// The export files under the paths given on the command line, and what was passed over.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Files to read, in a stable order; a path that does not exist is an error in its place.
    pub files: Vec<Result<PathBuf, SourceError>>,
    /// What a folder held that is not read (FIFOs, sockets, unreadable or too deep folders),
    /// one line each: nothing is skipped silently.
    pub warnings: Vec<String>,
    /// Folders given that held no export at all.
    pub empty_folders: Vec<String>,
}

/// Folders deeper than this below a given folder are not searched (symlinked folders are
/// never followed, so this only bounds real nesting).
const MAX_FOLDER_DEPTH: usize = 16;

/// Expands the paths given on the command line into export files (folders recursively,
/// in a stable order). `-` is stdin.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut out = Expanded::default();
    for p in paths {
        if p.as_os_str() == "-" {
            out.files.push(Ok(p.clone()));
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut out.warnings, 0);
            if found.is_empty() {
                out.empty_folders.push(p.display().to_string());
            }
            found.sort();
            out.files.extend(found.into_iter().map(Ok));
        } else if p.exists() {
            out.files.push(Ok(p.clone()));
        } else {
            out.files.push(Err(SourceError::Missing {
                path: p.display().to_string(),
            }));
        }
    }
    out
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, warnings: &mut Vec<String>, depth: usize) {
    if depth > MAX_FOLDER_DEPTH {
        warnings.push(format!(
            "{}: skipped: more than {MAX_FOLDER_DEPTH} folders deep",
            dir.display()
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(format!(
                "{}: skipped: cannot read the folder: {e}",
                dir.display()
            ));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                warnings.push(format!("{}: an entry was skipped: {e}", dir.display()));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "__MACOSX" {
            continue;
        }
        // Never follow symlinked folders: they can loop.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, found, warnings, depth + 1);
        } else if has_ext(&path, "txt") || has_ext(&path, "zip") {
            match export_file_kind(&path, &kind) {
                Ok(()) => found.push(path),
                Err(why) => warnings.push(format!("{}: skipped: {why}", path.display())),
            }
        }
    }
}

/// Whether a `.txt` or `.zip` met in a folder is a file to read: a regular file, or a
/// symlink to one. Anything else is never opened (a FIFO would wait for a writer forever).
fn export_file_kind(path: &Path, kind: &std::fs::FileType) -> Result<(), String> {
    let target = if kind.is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m.file_type(),
            Err(e) => return Err(format!("a symlink to nothing readable ({e})")),
        }
    } else {
        *kind
    };
    if target.is_file() {
        return Ok(());
    }
    Err(match never_opened(&target) {
        Some(what) => format!("not a file but {what}"),
        None if target.is_dir() => "a symlink to a folder (not followed)".to_string(),
        None => "not a regular file".to_string(),
    })
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Reads one export: the chat text of a `.txt`, a `.zip` or stdin. What the bytes are decides
/// the handler, not the file's name: a zip renamed `.txt` is read as a zip, a text renamed
/// `.zip` as a text.
pub fn read(path: &Path, limits: &Limits) -> Result<ExportFile, SourceError> {
    let display = path.display().to_string();
    let io_err = |source| SourceError::Io {
        path: display.clone(),
        source,
    };
    if path.as_os_str() == "-" {
        let bytes = read_limited(io::stdin().lock(), limits.max_text_bytes, "stdin", None)?;
        return Ok(ExportFile {
            display: "stdin".into(),
            name_hint: None,
            weak_name: false,
            bytes,
            media: Vec::new(),
            warnings: Vec::new(),
            zipped: false,
        });
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Judged before opening: opening a FIFO waits for a writer, forever if none comes.
    let kind = std::fs::metadata(path).map_err(io_err)?.file_type();
    if let Some(what) = never_opened(&kind) {
        return Err(SourceError::NotAFile {
            path: display,
            what,
        });
    }
    let file = File::open(path).map_err(io_err)?;
    let size = file.metadata().ok().map(|m| m.len());
    let mut magic = Vec::with_capacity(4);
    (&file).take(4).read_to_end(&mut magic).map_err(io_err)?;
    if is_zip_magic(&magic) {
        return read_zip(io::BufReader::new(file), &display, &file_name, limits);
    }
    if magic.is_empty() && named_like_zip(path) {
        return Err(SourceError::BadZip {
            path: display,
            why: "the file is empty (0 bytes)".into(),
        });
    }
    let bytes = read_text_file(file, limits.max_text_bytes, &display, size)?;
    // A bare `_chat.txt` (iOS) names nothing: it is named after its folder, as a zip is
    // after its own name, so two of them in different folders stay two chats.
    let (name_hint, weak_name) = match chatname::from_file_name(&file_name) {
        Some(name) => (Some((name, chatname::ChatNameFrom::FileName)), false),
        None => match folder_name(path) {
            Some(name) => (
                Some((name, chatname::ChatNameFrom::Folder)),
                !looks_like_export_dir(path),
            ),
            None => (None, false),
        },
    };
    Ok(ExportFile {
        display,
        name_hint,
        weak_name,
        bytes,
        media: Vec::new(),
        warnings: Vec::new(),
        zipped: false,
    })
}

/// What a file of this type is when whatscope must not open it to read: FIFOs and sockets
/// block (an open FIFO waits for a writer). Regular files and devices are read; a device
/// that is no text (`/dev/urandom`) is refused from its first bytes (see [`read_limited`]).
pub fn never_opened(kind: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    let _ = kind;
    None
}

/// A local file header or (for an empty archive) the end record: how every zip starts.
fn is_zip_magic(magic: &[u8]) -> bool {
    magic == b"PK\x03\x04" || magic == b"PK\x05\x06"
}

/// Whether the path ends in `.zip` (any case): such a file that holds no zip gets a zip error.
pub fn named_like_zip(path: &Path) -> bool {
    has_ext(path, "zip")
}

/// The folder `path` is in (resolved, so `_chat.txt` given from inside it counts).
fn folder_of(path: &Path) -> Option<PathBuf> {
    let parent = std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .or_else(|| path.parent().map(Path::to_path_buf))?;
    Some(parent)
}

/// The chat name a folder gives the export in it (`WhatsApp Chat - Family` → `Family`).
fn folder_name(path: &Path) -> Option<String> {
    let folder = folder_of(path)?;
    let name = folder.file_name()?.to_string_lossy().into_owned();
    chatname::from_file_name(&name).filter(|n| !n.is_empty() && n != "." && n != "..")
}

/// Whether the folder was named after the export (by WhatsApp's unzip: `WhatsApp Chat -
/// Family`): such a name is as good as a zip's.
fn looks_like_export_dir(path: &Path) -> bool {
    folder_of(path)
        .and_then(|p| p.file_name().map(|d| d.to_string_lossy().to_lowercase()))
        .is_some_and(|d| d.contains("whatsapp"))
}

/// Reads a whole chat text file from its start (its first bytes were read to tell a zip), as
/// [`read_limited`] does. (Reading a big file in two halves on two threads saved nothing
/// measurable on a 1 M-message export and was dropped: see docs/performance.md.)
fn read_text_file(
    mut file: File,
    limit: u64,
    path: &str,
    size: Option<u64>,
) -> Result<Vec<u8>, SourceError> {
    file.seek(SeekFrom::Start(0))
        .map_err(|source| SourceError::Io {
            path: path.to_string(),
            source,
        })?;
    read_limited(file, limit, path, size)
}

/// Reads at most `limit` bytes (one more tells that the source is larger). `size_hint` sizes
/// the buffer once, so a big file is held once, not in a doubling buffer.
fn read_limited(
    r: impl Read,
    limit: u64,
    path: &str,
    size_hint: Option<u64>,
) -> Result<Vec<u8>, SourceError> {
    let capacity = size_hint.unwrap_or(0).min(limit) as usize + 1;
    let mut bytes = Vec::with_capacity(capacity);
    let io_err = |source| SourceError::Io {
        path: path.to_string(),
        source,
    };
    let mut r = r.take(limit.saturating_add(1));
    // The start first: what is no text (`/dev/urandom`, a photo on stdin) is refused from
    // it at once, not read up to the limit.
    (&mut r)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    refuse_binary(&bytes, path)?;
    r.read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            path: path.to_string(),
            limit: limit >> 20,
        });
    }
    Ok(bytes)
}

/// Bytes read before anything is judged (see [`decode::SAMPLE_BYTES`]).
const SAMPLE_BYTES: usize = decode::SAMPLE_BYTES;

/// An error when the start of a source is no text (as `decode` would judge the whole).
fn refuse_binary(start: &[u8], path: &str) -> Result<(), SourceError> {
    match decode::not_text(start) {
        Some(what) => Err(SourceError::NotText {
            path: path.to_string(),
            what,
        }),
        None => Ok(()),
    }
}
