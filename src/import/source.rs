//! Where exports come from: a `.txt`, a `.zip` read in place (never extracted), a folder
//! searched recursively, or stdin. Applies the size limits of RELIABILITY.md §2.3/§3.3,
//! counted on bytes actually read, never on sizes an archive declares.

use super::chatname;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Limits on what is read; each names itself in the error that hits it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest chat text, in bytes (`--max-text-mib`).
    pub max_text_bytes: u64,
    /// Most entries a zip may hold (`--max-zip-entries`).
    pub max_zip_entries: usize,
    /// Largest expansion of a compressed chat text over 1 MiB (`--max-zip-ratio`).
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

/// One chat text, read and ready to decode.
#[derive(Debug)]
pub struct ExportFile {
    /// What to call it in reports: the path, or `zip/_chat.txt`.
    pub display: String,
    /// Chat name from the file (or zip) name, when it names one.
    pub name_hint: Option<String>,
    pub bytes: Vec<u8>,
    /// Other files of the export (zip members), by name.
    pub media: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: cannot read it: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: is {size} MiB, over the {limit} MiB limit for a chat text")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not a readable zip archive: {why}")]
    BadZip { path: String, why: String },
    #[error("{path}: the zip holds {entries} entries, over the limit of {limit}")]
    TooManyEntries {
        path: String,
        entries: usize,
        limit: usize,
    },
    #[error("{path}: {entry} expands more than {limit}:1, which no chat text does (a zip bomb?)")]
    Ratio {
        path: String,
        entry: String,
        limit: u64,
    },
    #[error("{path}: no chat text (.txt) inside the zip")]
    NoChatInZip { path: String },
    #[error("{path}: no such file or folder")]
    Missing { path: String },
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
            SourceError::NoChatInZip { .. } => {
                Some("export the chat again from WhatsApp (Export chat) and pass that zip")
            }
            SourceError::BadZip { .. } => {
                Some("the download may be incomplete; export the chat again")
            }
            _ => None,
        }
    }
}

/// Expands the paths given on the command line into export files (folders recursively,
/// in a stable order). `-` is stdin.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, SourceError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(p.clone()));
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, 0);
            found.sort();
            out.extend(found.into_iter().map(Ok));
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            out.push(Err(SourceError::Missing {
                path: p.display().to_string(),
            }));
        }
    }
    out
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
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
            walk(&path, found, depth + 1);
        } else if has_ext(&path, "txt") || has_ext(&path, "zip") {
            found.push(path);
        }
    }
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Reads one export: the chat text of a `.txt`, a `.zip` or stdin.
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
            bytes,
            media: Vec::new(),
        });
    }
    let mut file = File::open(path).map_err(io_err)?;
    let mut magic = [0u8; 4];
    let n = file.read(&mut magic).map_err(io_err)?;
    drop(file);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if n == 4 && (&magic == b"PK\x03\x04" || &magic == b"PK\x05\x06") {
        return read_zip(path, &display, &file_name, limits);
    }
    let file = File::open(path).map_err(io_err)?;
    let size = file.metadata().ok().map(|m| m.len());
    let bytes = read_limited(file, limits.max_text_bytes, &display, size)?;
    // A loose `_chat.txt` usually sits in a folder named after the export.
    let name_hint = chatname::from_file_name(&file_name).or_else(|| {
        path.parent()
            .and_then(|p| p.file_name())
            .and_then(|d| chatname::from_file_name(&d.to_string_lossy()))
            .filter(|n| !n.is_empty() && n != ".")
    });
    Ok(ExportFile {
        display,
        name_hint: if file_name.eq_ignore_ascii_case("_chat.txt") {
            name_hint.filter(|_| looks_like_export_dir(path))
        } else {
            name_hint
        },
        bytes,
        media: Vec::new(),
    })
}

/// Only a folder that WhatsApp (or the user) named after the chat names a loose `_chat.txt`.
fn looks_like_export_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .is_some_and(|d| d.to_string_lossy().to_lowercase().contains("whatsapp"))
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
    r.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| SourceError::Io {
            path: path.to_string(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            path: path.to_string(),
            size: (bytes.len() as u64) >> 20,
            limit: limit >> 20,
        });
    }
    Ok(bytes)
}

fn read_zip(
    path: &Path,
    display: &str,
    file_name: &str,
    limits: &Limits,
) -> Result<ExportFile, SourceError> {
    let bad = |why: String| SourceError::BadZip {
        path: display.to_string(),
        why,
    };
    let file = File::open(path).map_err(|source| SourceError::Io {
        path: display.to_string(),
        source,
    })?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file)).map_err(|e| bad(e.to_string()))?;
    if zip.len() > limits.max_zip_entries {
        return Err(SourceError::TooManyEntries {
            path: display.to_string(),
            entries: zip.len(),
            limit: limits.max_zip_entries,
        });
    }
    let mut texts: Vec<(usize, String)> = Vec::new();
    let mut media = Vec::new();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let Ok(name) = entry.name().map(|n| n.to_string()) else {
            continue;
        };
        if entry.is_dir()
            || entry.is_symlink()
            || entry.encrypted()
            || name.starts_with("__MACOSX/")
            || name.contains("/__MACOSX/")
            || entry.enclosed_name().is_none()
        {
            continue;
        }
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        if base.starts_with("._") {
            continue;
        }
        if base.to_ascii_lowercase().ends_with(".txt") {
            texts.push((i, base));
        } else {
            media.push(base);
        }
    }
    // `_chat.txt` (iOS) first, then a name WhatsApp gives, then any text.
    texts.sort_by_key(|(_, n)| {
        if n.eq_ignore_ascii_case("_chat.txt") {
            0
        } else if n.to_lowercase().contains("whatsapp") {
            1
        } else {
            2
        }
    });
    let Some((index, inner_name)) = texts.first().cloned() else {
        return Err(SourceError::NoChatInZip {
            path: display.to_string(),
        });
    };
    for (_, other) in texts.iter().skip(1) {
        media.push(other.clone());
    }
    let entry = zip.by_index(index).map_err(|e| bad(e.to_string()))?;
    let compressed = entry.compressed_size().max(1);
    let mut bytes = Vec::new();
    entry
        .take(limits.max_text_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("{inner_name}: {e}")))?;
    let produced = bytes.len() as u64;
    if produced > limits.max_text_bytes {
        return Err(SourceError::TooLarge {
            path: format!("{display}/{inner_name}"),
            size: produced >> 20,
            limit: limits.max_text_bytes >> 20,
        });
    }
    if produced > 1 << 20 && produced / compressed > limits.max_zip_ratio {
        return Err(SourceError::Ratio {
            path: display.to_string(),
            entry: inner_name,
            limit: limits.max_zip_ratio,
        });
    }
    // The zip's name counts (SPEC §1), unless only the text inside is named after the chat.
    let name_hint = if !chatname::is_export_name(file_name) && chatname::is_export_name(&inner_name)
    {
        chatname::from_file_name(&inner_name)
    } else {
        chatname::from_file_name(file_name)
    };
    Ok(ExportFile {
        display: format!("{display}/{inner_name}"),
        name_hint,
        bytes,
        media,
    })
}
