//! The chat text of a `.zip`, read in place and never extracted: the entries are listed from
//! the central directory, the chat text is chosen and decompressed into memory under the
//! limits of docs/reliability.md, and every other entry is only listed by name. The `zip`
//! crate parses the archive; `zipcheck` holds what it does not check.

use super::chatname;
use super::source::{ExportFile, Limits, SourceError, MAX_ENTRY_DEPTH, MAX_ENTRY_NAME_BYTES};
use super::zipcheck::{
    check_declared_entries, check_local_header, entries_overlap, method_id, Central, INCONSISTENT,
};
use crate::sanitize::{to_display, truncate_width, Mode};
use std::cell::{Cell, RefCell};
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;
use zip::result::ZipError;
use zip::CompressionMethod;

/// The compression ratio is only judged past this many bytes: tiny texts compress wildly.
pub(super) const RATIO_FLOOR_BYTES: u64 = 1 << 20;
/// Skipped names quoted per warning; the rest are counted.
const NAMES_SHOWN: usize = 5;
/// Display width of one quoted entry name.
const NAME_WIDTH: usize = 60;

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
