//! Where exports come from: a `.txt`, a `.zip` read in place (never extracted), a folder
//! searched recursively, or stdin. Applies the limits of docs/reliability.md, counted on
//! bytes actually read, never on sizes an archive declares.
//!
//! A zip is never unpacked: only its chat text is decompressed, into memory; every other entry
//! is only listed by name (media are never written anywhere, so hostile names, symlinks and
//! huge media cannot touch the disk). Entries that could only be trouble are left out with a
//! warning: unsafe or absurd names, symlinks, password-protected entries, unknown compression.

use super::{chatname, decode};
use crate::sanitize::{to_display, truncate_width, Mode};
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use zip::result::ZipError;
use zip::CompressionMethod;

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
/// The compression ratio is only judged past this many bytes: tiny texts compress wildly.
pub(super) const RATIO_FLOOR_BYTES: u64 = 1 << 20;
/// Skipped names quoted per warning; the rest are counted.
const NAMES_SHOWN: usize = 5;
/// Display width of one quoted entry name.
const NAME_WIDTH: usize = 60;

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

/// Files at least this big are read in two halves at once, on two threads.
const HALVES_FROM_BYTES: u64 = 8 << 20;

/// Reads a whole chat text file, as [`read_limited`] does. A big file is read in two halves
/// at once where the machine has two cores: each thread's copy and the first touches of its
/// half of the buffer (which the kernel must zero) then run side by side. A file that changed
/// size meanwhile is read again from the start, one thread.
fn read_text_file(
    mut file: File,
    limit: u64,
    path: &str,
    size: Option<u64>,
) -> Result<Vec<u8>, SourceError> {
    #[cfg(unix)]
    if let Some(size) = size.filter(|s| (HALVES_FROM_BYTES..=limit).contains(s)) {
        if crate::parallel::two_cores() {
            let mut start = Vec::with_capacity(SAMPLE_BYTES);
            (&file)
                .take(SAMPLE_BYTES as u64)
                .read_to_end(&mut start)
                .map_err(|source| SourceError::Io {
                    path: path.to_string(),
                    source,
                })?;
            refuse_binary(&start, path)?;
            if let Some(bytes) = read_in_halves(&file, size) {
                return Ok(bytes);
            }
        }
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|source| SourceError::Io {
            path: path.to_string(),
            source,
        })?;
    read_limited(file, limit, path, size)
}

/// The file's `size` bytes, read by two threads; `None` when it is not that long any more,
/// has grown, or a read failed (the caller reads it again and reports any error).
#[cfg(unix)]
fn read_in_halves(file: &File, size: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let n = usize::try_from(size).ok()?;
    // Zeroed by the allocator without being touched: fresh pages are zero already.
    let mut bytes = vec![0u8; n];
    crate::hugepages::advise(&bytes);
    let (low, high) = bytes.split_at_mut(n / 2);
    let high_at = (n / 2) as u64;
    let read = std::thread::scope(|s| {
        let upper = s.spawn(|| file.read_exact_at(high, high_at));
        let lower = file.read_exact_at(low, 0);
        lower.is_ok() && upper.join().is_ok_and(|r| r.is_ok())
    });
    let mut past_end = [0u8; 1];
    let grown = file
        .read_at(&mut past_end, size)
        .map_or(true, |got| got > 0);
    (read && !grown).then_some(bytes)
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
    crate::hugepages::advise(&bytes);
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

// ---------------------------------------------------------------------------------------------
// Zips

/// Reads the chat text of a zip from any seekable reader: the file itself, or bytes in memory
/// (the fuzz target). `display` names the zip in messages, `file_name` may name the chat.
pub fn read_zip<R: Read + Seek>(
    reader: R,
    display: &str,
    file_name: &str,
    limits: &Limits,
) -> Result<ExportFile, SourceError> {
    let shared = SharedReader::new(reader);
    check_declared_entries(&mut shared.clone(), display, limits)?;
    let mut zip = zip::ZipArchive::new(shared.clone()).map_err(|e| unreadable_zip(display, &e))?;
    if zip.len() > limits.max_zip_entries {
        return Err(SourceError::TooManyEntries {
            path: display.to_string(),
            entries: zip.len() as u64,
            limit: limits.max_zip_entries,
        });
    }
    if entries_overlap(&zip) {
        return Err(SourceError::Overlapping {
            path: display.to_string(),
        });
    }
    let mut listing = list_entries(&zip);
    let mut warnings = Vec::new();
    if zip.has_duplicate_names() {
        // The zip crate keeps one entry per name: the last one listed, as `unzip` would leave it.
        warnings.push(format!(
            "{display}: the zip lists some names more than once; of each, only the last one is read"
        ));
    }
    let chosen = choose_chat_text(&mut listing, display, &mut warnings)?;
    warnings.extend(skipped_warnings(display, &listing.skipped));
    let bytes = read_chat_text(&mut zip, &shared, &chosen, display, limits)?;
    // The zip's name counts (docs/formats.md), unless only the text inside is named after the chat.
    let name_hint =
        if !chatname::is_export_name(file_name) && chatname::is_export_name(&chosen.base) {
            chatname::from_file_name(&chosen.base).map(|n| (n, chatname::ChatNameFrom::FileName))
        } else {
            chatname::from_file_name(file_name).map(|n| (n, chatname::ChatNameFrom::Zip))
        };
    Ok(ExportFile {
        display: format!("{display}/{}", quote(&chosen.base)),
        name_hint,
        weak_name: false,
        bytes,
        media: listing.media,
        warnings,
        zipped: true,
    })
}

/// The reader the zip crate and this module share (the local-header check reads through a
/// clone), counting the bytes pulled through it: the compressed input of the chat text, which
/// the ratio check needs as it goes.
struct SharedReader<R> {
    inner: Rc<RefCell<R>>,
    pulled: Rc<Cell<u64>>,
}

impl<R> SharedReader<R> {
    fn new(reader: R) -> Self {
        SharedReader {
            inner: Rc::new(RefCell::new(reader)),
            pulled: Rc::new(Cell::new(0)),
        }
    }
}

impl<R> Clone for SharedReader<R> {
    fn clone(&self) -> Self {
        SharedReader {
            inner: Rc::clone(&self.inner),
            pulled: Rc::clone(&self.pulled),
        }
    }
}

fn busy() -> io::Error {
    io::Error::other("zip reader used twice at once")
}

impl<R: Read> Read for SharedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.try_borrow_mut().map_err(|_| busy())?.read(buf)?;
        self.pulled.set(self.pulled.get().saturating_add(n as u64));
        Ok(n)
    }
}

impl<R: Seek> Seek for SharedReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.try_borrow_mut().map_err(|_| busy())?.seek(pos)
    }
}

/// The zip crate's errors in words a user can act on (never "Could not find EOCD").
pub(super) fn unreadable_zip(display: &str, e: &ZipError) -> SourceError {
    let why = match e {
        ZipError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            "it is cut short (an incomplete download or copy?)".to_string()
        }
        ZipError::Io(e) => format!("cannot read it ({e})"),
        ZipError::UnsupportedArchive(what) => {
            format!("it uses a zip feature whatscope does not read ({what})")
        }
        _ => "it is damaged or cut short (its table of contents is missing or broken)".to_string(),
    };
    SourceError::BadZip {
        path: display.to_string(),
        why,
    }
}

/// Refuses a zip whose end record claims more entries than the limit, before the zip crate
/// builds a table of them all.
pub(super) fn check_declared_entries(
    r: &mut (impl Read + Seek),
    display: &str,
    limits: &Limits,
) -> Result<(), SourceError> {
    let declared = declared_entries(r).map_err(|source| SourceError::Io {
        path: display.to_string(),
        source,
    })?;
    if declared > limits.max_zip_entries as u64 {
        return Err(SourceError::TooManyEntries {
            path: display.to_string(),
            entries: declared,
            limit: limits.max_zip_entries,
        });
    }
    Ok(())
}

const EOCD_SIG: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_SIG: &[u8; 4] = b"PK\x06\x07";
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: &[u8; 4] = b"PK\x06\x06";
const ZIP64_EOCD_LEN: usize = 56;
/// Smallest central directory record: signature and fixed fields.
const CENTRAL_HEADER_LEN: u64 = 46;

/// The most entries a plausible end-of-central-directory record in the last 64 KiB claims
/// (ZIP64 ones included). The crate's own count is checked again after it parses.
fn declared_entries(r: &mut (impl Read + Seek)) -> io::Result<u64> {
    let len = r.seek(SeekFrom::End(0))?;
    let tail_len = len.min((EOCD_LEN + u16::MAX as usize + ZIP64_LOCATOR_LEN) as u64);
    let tail_start = len - tail_len;
    r.seek(SeekFrom::Start(tail_start))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    r.take(tail_len).read_to_end(&mut tail)?;
    let mut most = 0;
    for at in memchr::memmem::rfind_iter(&tail, EOCD_SIG) {
        let Some(record) = tail.get(at..at + EOCD_LEN) else {
            continue;
        };
        let claim = if le16(record, 10) == u16::MAX
            || le32(record, 12) == u32::MAX
            || le32(record, 16) == u32::MAX
        {
            zip64_claim(r, &tail, at)?
        } else {
            Some(Claim {
                entries: u64::from(le16(record, 10)),
                directory_size: u64::from(le32(record, 12)),
                directory_end: u64::from(le32(record, 16)) + u64::from(le32(record, 12)),
                record_at: tail_start + at as u64,
            })
        };
        if let Some(claim) = claim.filter(Claim::is_plausible) {
            most = most.max(claim.entries);
        }
    }
    Ok(most)
}

/// What an end record says about the central directory.
struct Claim {
    entries: u64,
    directory_size: u64,
    directory_end: u64,
    record_at: u64,
}

impl Claim {
    /// A directory big enough for its entries, ending before its end record: a signature that
    /// merely occurs in some data is no such record.
    fn is_plausible(&self) -> bool {
        self.entries.saturating_mul(CENTRAL_HEADER_LEN) <= self.directory_size
            && self.directory_end <= self.record_at
    }
}

/// The claim of the ZIP64 end record that the locator before the end record at `at` points to.
fn zip64_claim(r: &mut (impl Read + Seek), tail: &[u8], at: usize) -> io::Result<Option<Claim>> {
    let Some(locator) = at
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|start| tail.get(start..at))
    else {
        return Ok(None);
    };
    if &locator[..4] != ZIP64_LOCATOR_SIG {
        return Ok(None);
    }
    let record_at = le64(locator, 8);
    r.seek(SeekFrom::Start(record_at))?;
    let mut record = [0u8; ZIP64_EOCD_LEN];
    if r.read_exact(&mut record).is_err() || &record[..4] != ZIP64_EOCD_SIG {
        return Ok(None);
    }
    let directory_size = le64(&record, 40);
    Ok(Some(Claim {
        entries: le64(&record, 32),
        directory_size,
        directory_end: le64(&record, 48).saturating_add(directory_size),
        record_at,
    }))
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le64(b: &[u8], at: usize) -> u64 {
    u64::from(le32(b, at)) | (u64::from(le32(b, at + 4)) << 32)
}

/// Local header: signature and fixed fields before the name.
const LOCAL_HEADER_LEN: u64 = 30;

/// Whether two entries claim the same bytes, judged from the central directory alone (no
/// reads): in header order, each entry's header (30 bytes at least) and data must end before
/// the next header begins. Overlap is how non-recursive zip bombs multiply one compressed
/// kernel, and no honest writer produces it.
pub(super) fn entries_overlap<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> bool {
    let mut spans: Vec<(u64, u64)> = (0..zip.len())
        .filter_map(|i| zip.by_index_data(i).ok())
        .map(|e| {
            let start = e.header_start();
            let end = start
                .saturating_add(LOCAL_HEADER_LEN)
                .saturating_add(e.compressed_size());
            (start, end)
        })
        .collect();
    spans.sort_unstable();
    spans.windows(2).any(|w| w[1].0 < w[0].1)
}

/// Why an entry is left out; one warning per reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Skip {
    UnsafeName,
    OddName,
    Symlink,
    Encrypted,
    Method,
}

impl Skip {
    fn describe(self) -> String {
        match self {
            Skip::UnsafeName => "unsafe name: absolute, or leading out of the folder".into(),
            Skip::OddName => {
                format!("name over {MAX_ENTRY_NAME_BYTES} bytes or {MAX_ENTRY_DEPTH} levels deep")
            }
            Skip::Symlink => "symbolic link".into(),
            Skip::Encrypted => "password-protected".into(),
            Skip::Method => "compression method whatscope does not read".into(),
        }
    }
}

/// A `.txt` entry that may be the chat text.
#[derive(Debug)]
struct Candidate {
    index: usize,
    /// The whole name in the zip.
    name: String,
    /// The name after the last folder.
    base: String,
    /// Set when the entry cannot be read (encrypted, unknown compression).
    unreadable: Option<(Skip, CompressionMethod)>,
}

#[derive(Debug, Default)]
struct Listing {
    texts: Vec<Candidate>,
    media: Vec<String>,
    /// Left-out entries: the reason and the name as shown (sanitized).
    skipped: Vec<(Skip, String)>,
}

/// Sorts the entries from the central directory alone, reading nothing: chat text candidates,
/// media (listed by name), and entries left out.
fn list_entries<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Listing {
    let mut listing = Listing::default();
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        if entry.is_dir() || is_mac_metadata(&name) {
            continue;
        }
        if let Some(skip) = name_or_kind_problem(&name, entry.enclosed_name().is_none(), || {
            entry.is_symlink()
        }) {
            listing.skipped.push((skip, quote(&name)));
            continue;
        }
        let method = entry.compression();
        let unreadable = if entry.encrypted() {
            Some((Skip::Encrypted, method))
        } else if !matches!(
            method,
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            Some((Skip::Method, method))
        } else {
            None
        };
        let base = base_name(&name).to_string();
        if base.to_ascii_lowercase().ends_with(".txt") {
            listing.texts.push(Candidate {
                index,
                name,
                base,
                unreadable,
            });
        } else if let Some((skip, method)) = unreadable {
            listing
                .skipped
                .push((skip, skipped_label(&name, skip, method)));
        } else {
            listing.media.push(base);
        }
    }
    listing
}

/// macOS Finder leftovers (`__MACOSX/`, `._name`): never part of an export, never reported.
pub(super) fn is_mac_metadata(name: &str) -> bool {
    name.starts_with("__MACOSX/")
        || name.contains("/__MACOSX/")
        || base_name(name).starts_with("._")
}

pub(super) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Why a name or kind of entry rules it out, if it does.
pub(super) fn name_or_kind_problem(
    name: &str,
    not_enclosed: bool,
    is_symlink: impl FnOnce() -> bool,
) -> Option<Skip> {
    if not_enclosed || is_unsafe_name(name) {
        Some(Skip::UnsafeName)
    } else if name.len() > MAX_ENTRY_NAME_BYTES || path_depth(name) > MAX_ENTRY_DEPTH {
        Some(Skip::OddName)
    } else if is_symlink() {
        Some(Skip::Symlink)
    } else {
        None
    }
}

/// A name that would leave a folder if anything ever used it as a path: absolute (`/x`, `\x`,
/// `C:x`, `\\server\share`), with a `..` component (either separator), or holding a NUL. The
/// zip crate's `enclosed_name` strips roots and drive letters instead of refusing them.
pub fn is_unsafe_name(name: &str) -> bool {
    let b = name.as_bytes();
    name.starts_with(['/', '\\'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || name.split(['/', '\\']).any(|part| part == "..")
        || name.contains('\0')
}

fn path_depth(name: &str) -> usize {
    name.split(['/', '\\']).filter(|p| !p.is_empty()).count()
}

fn skipped_label(name: &str, skip: Skip, method: CompressionMethod) -> String {
    if skip == Skip::Method {
        format!("{} ({})", quote(name), method_name(method))
    } else {
        quote(name)
    }
}

/// What to call a compression method in a message.
fn method_name(method: CompressionMethod) -> String {
    match method {
        CompressionMethod::BZIP2 => "bzip2".into(),
        CompressionMethod::LZMA => "LZMA".into(),
        CompressionMethod::ZSTD => "Zstandard".into(),
        CompressionMethod::DEFLATE64 => "Deflate64".into(),
        CompressionMethod::XZ => "XZ".into(),
        CompressionMethod::PPMD => "PPMd".into(),
        CompressionMethod::AES => "AES encryption".into(),
        other => format!("method {}", method_id(other)),
    }
}

/// The method's number in the zip format (the zip crate deprecates the conversion only in
/// favour of its named constants, which cannot compare with a header's raw field).
#[allow(deprecated)]
fn method_id(method: CompressionMethod) -> u16 {
    method.to_u16()
}

/// An entry name made safe and short for a message.
fn quote(name: &str) -> String {
    truncate_width(&to_display(name, Mode::OneLine), NAME_WIDTH).into_owned()
}

/// `_chat.txt` (iOS) first, then a name WhatsApp gives, then any text.
fn text_rank(base: &str) -> u8 {
    if base.eq_ignore_ascii_case("_chat.txt") {
        0
    } else if base.to_lowercase().contains("whatsapp") {
        1
    } else {
        2
    }
}

/// Picks the chat text: the best-ranked candidate, the first listed on a tie (reported). The
/// other texts become media, or skipped entries when unreadable.
fn choose_chat_text(
    listing: &mut Listing,
    display: &str,
    warnings: &mut Vec<String>,
) -> Result<Candidate, SourceError> {
    listing.texts.sort_by_key(|c| text_rank(&c.base));
    if listing.texts.is_empty() {
        return Err(SourceError::NoChatInZip {
            path: display.to_string(),
        });
    }
    let chosen = listing.texts.remove(0);
    let rank = text_rank(&chosen.base);
    let rivals: Vec<String> = listing
        .texts
        .iter()
        .filter(|c| text_rank(&c.base) == rank)
        .map(|c| quote(&c.name))
        .collect();
    if !rivals.is_empty() {
        warnings.push(format!(
            "{display}: holds {} chat texts; read {}, the first listed, not {}",
            rivals.len() + 1,
            quote(&chosen.name),
            name_list(&rivals)
        ));
    }
    for other in listing.texts.drain(..) {
        match other.unreadable {
            Some((skip, method)) => listing
                .skipped
                .push((skip, skipped_label(&other.name, skip, method))),
            None => listing.media.push(other.base),
        }
    }
    Ok(chosen)
}

/// One warning per reason, quoting the first few names.
fn skipped_warnings(display: &str, skipped: &[(Skip, String)]) -> Vec<String> {
    let mut reasons: Vec<Skip> = skipped.iter().map(|(s, _)| *s).collect();
    reasons.sort_unstable();
    reasons.dedup();
    reasons
        .into_iter()
        .map(|reason| {
            let names: Vec<String> = skipped
                .iter()
                .filter(|(s, _)| *s == reason)
                .map(|(_, n)| n.clone())
                .collect();
            format!(
                "{display}: left out {} zip {} ({}): {}",
                names.len(),
                if names.len() == 1 { "entry" } else { "entries" },
                reason.describe(),
                name_list(&names)
            )
        })
        .collect()
}

/// `a, b, c` or `a, b, c, d, e and 7 more`.
fn name_list(names: &[String]) -> String {
    let shown = names[..names.len().min(NAMES_SHOWN)].join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Decompresses the chosen chat text, after checking it can be read and that its local header
/// agrees with the central directory.
fn read_chat_text<R: Read + Seek>(
    zip: &mut zip::ZipArchive<SharedReader<R>>,
    shared: &SharedReader<R>,
    chosen: &Candidate,
    display: &str,
    limits: &Limits,
) -> Result<Vec<u8>, SourceError> {
    let entry = quote(&chosen.name);
    let corrupt = |why: String| SourceError::Corrupt {
        path: display.to_string(),
        entry: entry.clone(),
        why,
    };
    match chosen.unreadable {
        Some((Skip::Encrypted, _)) => {
            return Err(SourceError::Encrypted {
                path: display.to_string(),
                entry,
            })
        }
        Some((_, method)) => {
            return Err(SourceError::Method {
                path: display.to_string(),
                entry,
                method: method_name(method),
            })
        }
        None => {}
    }
    let central = Central::of(zip, chosen.index).ok_or_else(|| corrupt(INCONSISTENT.into()))?;
    check_local_header(&mut shared.clone(), &central).map_err(|why| corrupt(why.into()))?;
    let mut reader = zip
        .by_index(chosen.index)
        .map_err(|e| corrupt(format!("it cannot be opened ({e})")))?;
    let start = shared.pulled.get();
    let pulled = || shared.pulled.get().saturating_sub(start);
    stream_text(&mut reader, central.size, pulled, limits).map_err(|e| match e {
        TextError::TooLarge => SourceError::TooLarge {
            path: format!("{display}/{}", quote(&chosen.base)),
            limit: limits.max_text_bytes >> 20,
        },
        TextError::Ratio => SourceError::Ratio {
            path: display.to_string(),
            entry: entry.clone(),
            limit: limits.max_zip_ratio,
        },
        TextError::Damaged(why) => corrupt(why),
    })
}

const INCONSISTENT: &str =
    "inconsistent archive: its local header disagrees with the central directory";

/// What the central directory says about an entry, to hold its local header against.
pub(super) struct Central {
    header_start: u64,
    name: Vec<u8>,
    method: CompressionMethod,
    encrypted: bool,
    crc: u32,
    compressed: u64,
    size: u64,
}

impl Central {
    pub(super) fn of<R: Read + Seek>(zip: &zip::ZipArchive<R>, index: usize) -> Option<Central> {
        let e = zip.by_index_data(index).ok()?;
        Some(Central {
            header_start: e.header_start(),
            name: e.name_raw().to_vec(),
            method: e.compression(),
            encrypted: e.encrypted(),
            crc: e.crc32(),
            compressed: e.compressed_size(),
            size: e.size(),
        })
    }
}

/// The local header must agree with the central directory on name, method, encryption and,
/// where it states them, checksum and sizes: otherwise tools that trust one or the other see
/// different files (a parser-differential trick, docs/reliability.md, Z15).
pub(super) fn check_local_header(
    r: &mut (impl Read + Seek),
    c: &Central,
) -> Result<(), &'static str> {
    const CUT: &str = "its local header is missing or cut short";
    r.seek(SeekFrom::Start(c.header_start)).map_err(|_| CUT)?;
    let mut h = [0u8; LOCAL_HEADER_LEN as usize];
    r.read_exact(&mut h).map_err(|_| CUT)?;
    if &h[..4] != b"PK\x03\x04" {
        return Err(CUT);
    }
    let flags = le16(&h, 6);
    let mut name = vec![0u8; usize::from(le16(&h, 26))];
    r.read_exact(&mut name).map_err(|_| CUT)?;
    let mut extra = vec![0u8; usize::from(le16(&h, 28))];
    r.read_exact(&mut extra).map_err(|_| CUT)?;
    let same_name = name == c.name || unicode_path(&extra) == Some(&c.name[..]);
    if !same_name || le16(&h, 8) != method_id(c.method) || (flags & 1 != 0) != c.encrypted {
        return Err(INCONSISTENT);
    }
    let has_descriptor = flags & 8 != 0;
    let stated = |local: u32, central: u64| local == u32::MAX || u64::from(local) == central;
    if !has_descriptor
        && (le32(&h, 14) != c.crc
            || !stated(le32(&h, 18), c.compressed)
            || !stated(le32(&h, 22), c.size))
    {
        return Err(INCONSISTENT);
    }
    Ok(())
}

/// The name an Info-ZIP Unicode Path extra field (0x7075) gives, which the zip crate reports
/// instead of the header's own name.
fn unicode_path(mut extra: &[u8]) -> Option<&[u8]> {
    while extra.len() >= 4 {
        let id = le16(extra, 0);
        let len = usize::from(le16(extra, 2));
        let body = extra.get(4..4 + len)?;
        if id == 0x7075 && body.len() > 5 {
            return Some(&body[5..]);
        }
        extra = &extra[4 + len..];
    }
    None
}

enum TextError {
    TooLarge,
    Ratio,
    Damaged(String),
}

/// Size of one decompression step.
const STEP: usize = 64 << 10;

/// Decompresses the chat text step by step, judging every step: the text limit and the
/// declared size on bytes produced, the ratio on bytes produced over compressed bytes pulled so
/// far, so that a bomb is stopped within a few MiB rather than at the text limit.
fn stream_text(
    r: &mut impl Read,
    declared: u64,
    pulled: impl Fn() -> u64,
    limits: &Limits,
) -> Result<Vec<u8>, TextError> {
    let mut bytes = Vec::new();
    let mut step = vec![0u8; STEP];
    loop {
        // Ask for the declared size, then for one byte more: the zip crate fails a read that
        // outgrows the declared size without handing over its bytes, and having them tells a
        // lie (more data than declared) from damage.
        let left = declared.saturating_sub(bytes.len() as u64);
        let want = left.clamp(1, STEP as u64) as usize;
        let n = match r.read(&mut step[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_failure(&e, bytes.len() as u64, declared)),
        };
        let produced = (bytes.len() + n) as u64;
        if produced > RATIO_FLOOR_BYTES && produced / pulled().max(1) > limits.max_zip_ratio {
            return Err(TextError::Ratio);
        }
        if produced > limits.max_text_bytes {
            return Err(TextError::TooLarge);
        }
        if produced > declared {
            return Err(more_than_declared(declared));
        }
        bytes.extend_from_slice(&step[..n]);
    }
    if bytes.len() as u64 != declared {
        return Err(TextError::Damaged(format!(
            "size mismatch: it holds {} bytes, its header declares {declared}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn more_than_declared(declared: u64) -> TextError {
    TextError::Damaged(format!(
        "size mismatch: it holds more than the {declared} bytes its header declares"
    ))
}

/// A failed read in words: the zip crate stops a stream that outgrows its declared size, and
/// checks the checksum at the end.
fn read_failure(e: &io::Error, produced: u64, declared: u64) -> TextError {
    if produced >= declared {
        return more_than_declared(declared);
    }
    let why = match e.kind() {
        io::ErrorKind::UnexpectedEof => "its data is cut short".to_string(),
        io::ErrorKind::InvalidData if e.to_string().contains("checksum") => {
            "checksum mismatch: the data is not what was stored".to_string()
        }
        _ => format!("its data cannot be decompressed ({e})"),
    };
    TextError::Damaged(why)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn big_file(dir: &Path) -> (PathBuf, Vec<u8>) {
        let text: Vec<u8> = (0..HALVES_FROM_BYTES + 12_345)
            .map(|i| b"0123456789abcdef\n"[(i % 17) as usize])
            .collect();
        let path = dir.join("big.txt");
        let mut f = File::create(&path).expect("create");
        f.write_all(&text).expect("write");
        (path, text)
    }

    #[test]
    fn a_big_file_read_in_halves_is_read_whole() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let (path, text) = big_file(dir.path());
        let read = read(&path, &Limits::default()).expect("reads");
        assert!(read.bytes == text, "the halves join into the file");
    }

    #[test]
    fn a_file_that_changed_size_is_not_taken_from_halves() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let (path, text) = big_file(dir.path());
        let file = File::open(&path).expect("open");
        let len = text.len() as u64;
        assert!(read_in_halves(&file, len).is_some_and(|b| b == text));
        assert!(
            read_in_halves(&file, len - 1).is_none(),
            "grown since its size was taken"
        );
        assert!(
            read_in_halves(&file, len + 1).is_none(),
            "shrunk since its size was taken"
        );
        // The caller then reads it again, whole.
        let again = read_text_file(file, u64::MAX, "big.txt", Some(len + 1)).expect("reads");
        assert!(again == text);
    }
}
