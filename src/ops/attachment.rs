//! Opening an attachment from the TUI (docs/media.md, "In the TUI"): an image's pixels,
//! decoded within caps a hostile file cannot get past, or a private temporary copy handed to
//! the system opener. Both read the bytes through `media::copy_at_most`, the one bounded read
//! path of `media save`.

use super::media::{self, Attachment};
use super::Error;
use image::{DynamicImage, ImageReader, Limits};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Cursor};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The most bytes of an image shown in the TUI: a WhatsApp photo is a few MiB, a full-size
/// camera picture sent as a document a few dozen.
pub const MAX_IMAGE_BYTES: u64 = 64 << 20;
/// The most pixels decoded: 50 Mpx is above any phone camera.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;
/// The most memory the decoder may allocate (50 Mpx of 8-bit RGBA is 200 MB).
const MAX_DECODE_ALLOC: u64 = 256 << 20;
/// The longest side an image is kept at once decoded: more than any terminal shows, and a
/// bound on what the popup holds while it is open.
const KEPT_SIDE: u32 = 2048;

/// Why an image is not shown.
#[derive(Debug, thiserror::Error)]
pub enum ImageProblem {
    #[error("it holds {} MiB, over the {} MiB images are shown up to", bytes >> 20, MAX_IMAGE_BYTES >> 20)]
    TooManyBytes { bytes: u64 },
    #[error("it is {width}×{height} pixels, over the {} megapixels images are shown up to", MAX_IMAGE_PIXELS / 1_000_000)]
    TooManyPixels { width: u32, height: u32 },
    #[error("decoding it would take more than {} MiB of memory", MAX_DECODE_ALLOC >> 20)]
    TooMuchMemory,
    #[error("it is not an image whatscope can show (PNG, JPEG, GIF or WebP)")]
    Unknown,
    #[error("it is damaged: {why}")]
    Damaged { why: String },
    /// Decoded, but it cannot be drawn (no room on a tiny terminal).
    #[error("{why}")]
    Draw { why: String },
}

/// The attachment's image (`media::find` gives it), decoded and, when larger than the popup
/// can use, shrunk.
pub fn image(a: &Attachment) -> Result<DynamicImage, Error> {
    let refused = |why| Error::Image {
        id: a.message.id.clone(),
        why,
    };
    let (export, name) = media::export_of(a)?;
    let declared = export.size(name).unwrap_or(0);
    if declared > MAX_IMAGE_BYTES {
        return Err(refused(ImageProblem::TooManyBytes { bytes: declared }));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    media::copy_at_most(a, &mut bytes, MAX_IMAGE_BYTES)?;
    let decoded = decode(&bytes).map_err(refused)?;
    drop(bytes);
    Ok(if decoded.width().max(decoded.height()) > KEPT_SIDE {
        decoded.thumbnail(KEPT_SIDE, KEPT_SIDE)
    } else {
        decoded
    })
}

/// Decodes an image after reading only its header: the dimensions are judged before a pixel
/// is allocated, and the decoder is held to a memory limit as well.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageProblem> {
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| ImageProblem::Damaged { why: e.to_string() })
    };
    let probe = reader()?;
    if probe.format().is_none() {
        return Err(ImageProblem::Unknown);
    }
    let (width, height) = probe.into_dimensions().map_err(problem)?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(ImageProblem::TooManyPixels { width, height });
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let mut decoder = reader()?;
    decoder.limits(limits);
    decoder.decode().map_err(problem)
}

fn problem(e: image::ImageError) -> ImageProblem {
    match e {
        image::ImageError::Limits(_) => ImageProblem::TooMuchMemory,
        image::ImageError::Unsupported(_) => ImageProblem::Unknown,
        other => ImageProblem::Damaged {
            why: other.to_string(),
        },
    }
}

/// The program that opens a file the way the desktop would: `$WHATSCOPE_OPENER`, else
/// `xdg-open` (`open` on macOS).
pub fn opener() -> OsString {
    match std::env::var_os("WHATSCOPE_OPENER") {
        Some(p) if !p.is_empty() => p,
        _ if cfg!(target_os = "macos") => "open".into(),
        _ => "xdg-open".into(),
    }
}

/// Starts `program` on `path` (one argument, no shell), detached from the terminal: its own
/// process group, no input, output to nowhere. The caller reaps the child.
pub fn launch(program: &OsString, path: &Path) -> Result<Child, Error> {
    let shown = program.to_string_lossy().into_owned();
    let mut command = Command::new(program);
    command
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command.spawn().map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => Error::OpenerMissing { program: shown },
        _ => Error::OpenerFailed {
            program: shown,
            source,
        },
    })
}

/// The start of the per-process folders of private copies, `whatscope-open-PID-RANDOM`.
const COPIES_PREFIX: &str = "whatscope-open-";

/// The private copies one TUI hands to openers: a folder of its own (`0700`) in the system's
/// temporary folder, made on first use, one `0700` sub-folder per copy holding the file
/// (`0600`) under its attachment's name; removed on quit (and on drop), and by the next start
/// when a crash left it ([`remove_stale_copies`]).
#[derive(Debug)]
pub struct PrivateCopies {
    base: PathBuf,
    dir: Mutex<Option<PathBuf>>,
    next: AtomicU64,
}

impl PrivateCopies {
    /// Copies under `base` (the TUI uses `std::env::temp_dir()`); nothing is made yet.
    pub fn new(base: PathBuf) -> PrivateCopies {
        PrivateCopies {
            base,
            dir: Mutex::new(None),
            next: AtomicU64::new(1),
        }
    }

    /// Writes the attachment (`media::find` gives it) to a private file and returns its path.
    pub fn copy(&self, a: &Attachment) -> Result<PathBuf, Error> {
        // Ask first, so an unavailable attachment makes no folder.
        let (_, name) = media::export_of(a)?;
        let file_name = safe_file_name(name);
        let folder = self.new_folder()?;
        let path = folder.join(file_name);
        match write_private(a, &path) {
            Ok(()) => Ok(path),
            Err(e) => {
                let _ = fs::remove_dir_all(&folder);
                Err(e)
            }
        }
    }

    /// A fresh `0700` folder for one copy, inside this process's folder.
    fn new_folder(&self) -> Result<PathBuf, Error> {
        let failed = |source| Error::PrivateCopy { source };
        let mut dir = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        let root = match dir.as_ref() {
            Some(d) => d.clone(),
            None => {
                let made = make_process_folder(&self.base).map_err(failed)?;
                *dir = Some(made.clone());
                made
            }
        };
        let folder = root.join(self.next.fetch_add(1, Ordering::Relaxed).to_string());
        private_dir(&folder).map_err(failed)?;
        Ok(folder)
    }

    /// This process's folder, if one was made.
    pub fn folder(&self) -> Option<PathBuf> {
        self.dir.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Removes every copy and this process's folder.
    pub fn remove(&self) {
        let taken = self.dir.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(dir) = taken {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

impl Drop for PrivateCopies {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Copies the attachment to a new file `0600` (never over an existing one).
fn write_private(a: &Attachment, path: &Path) -> Result<(), Error> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|source| Error::PrivateCopy { source })?;
    media::copy(a, &mut file)?;
    Ok(())
}

/// `whatscope-open-PID-RANDOM` made `0700` under `base`: the random part means a folder
/// somebody else made there in advance is never taken for ours (creating fails, and another
/// name is tried).
fn make_process_folder(base: &Path) -> io::Result<PathBuf> {
    let mut last = io::Error::other("no name was free");
    for _ in 0..8 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(io::Error::other)?;
        let name = format!(
            "{COPIES_PREFIX}{}-{:016x}",
            std::process::id(),
            u64::from_le_bytes(random)
        );
        let dir = base.join(name);
        match private_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Creates `dir` (not its parents) with mode `0700`; fails when it exists.
fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Removes the copy folders under `base` that a whatscope which is no longer running left
/// (it crashed, or its terminal was closed): only folders of ours (by name and owner), never
/// through a symlink, never one whose process may be alive. Returns how many went.
pub fn remove_stale_copies(base: &Path) -> usize {
    let Ok(entries) = fs::read_dir(base) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(copies_pid) else {
            continue;
        };
        if pid == std::process::id() || crate::process::alive(pid) {
            continue;
        }
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && owned_by_us(&m));
        if ours && fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The process id in a copy folder's name `whatscope-open-PID-RANDOM`.
fn copies_pid(name: &str) -> Option<u32> {
    let (pid, random) = name.strip_prefix(COPIES_PREFIX)?.split_once('-')?;
    let hex = random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| pid.parse().ok()).flatten()
}

#[cfg(unix)]
fn owned_by_us(m: &fs::Metadata) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    std::os::unix::fs::MetadataExt::uid(m) == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned_by_us(_m: &fs::Metadata) -> bool {
    true
}

/// The longest file name a copy gets, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 120;

/// A file name for an attachment's copy that is safe to create and to hand to an opener: its
/// last path component only, without control, bidi or invisible characters, no leading dot
/// or dash, at most 120 bytes, its extension kept so the opener picks the right program.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !crate::invisible::is_bidi_control(*c)
                && !crate::invisible::is_invisible_format(*c)
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches(['.', '-', ' ']);
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.len() <= 16 => (stem, Some(ext)),
        _ => (cleaned, None),
    };
    let room = MAX_NAME_BYTES - ext.map_or(0, |e| e.len() + 1);
    let mut stem = cut_at_char(stem, room).trim_end().to_string();
    if stem.is_empty() {
        stem = "attachment".to_string();
    }
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut_at_char(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_safe_name_is_one_component_without_tricks() {
        assert_eq!(
            safe_file_name("IMG-20240502-WA0007.jpg"),
            "IMG-20240502-WA0007.jpg"
        );
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("-rf.pdf"), "rf.pdf");
        assert_eq!(safe_file_name("a\u{1b}[31mred\n.pdf"), "a[31mred.pdf");
        assert_eq!(safe_file_name("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(safe_file_name(""), "attachment");
        assert_eq!(safe_file_name("/"), "attachment");
        assert_eq!(safe_file_name(".."), "attachment");
        assert_eq!(safe_file_name(".pdf"), "pdf");
        assert_eq!(safe_file_name("Tomás.vcf"), "Tomás.vcf");
    }

    #[test]
    fn a_long_name_is_cut_keeping_its_extension() {
        let long = format!("{}.pdf", "é".repeat(200));
        let safe = safe_file_name(&long);
        assert!(safe.len() <= MAX_NAME_BYTES, "{}", safe.len());
        assert!(safe.ends_with("é.pdf"), "{safe}");
    }

    #[test]
    fn copy_folders_are_recognised_by_their_whole_name() {
        assert_eq!(copies_pid("whatscope-open-123-00000000deadbeef"), Some(123));
        assert_eq!(copies_pid("whatscope-open-123-xyz"), None);
        assert_eq!(copies_pid("whatscope-open-abc-00000000deadbeef"), None);
        assert_eq!(copies_pid("other-123-00000000deadbeef"), None);
    }

    #[test]
    fn a_header_claiming_a_huge_image_is_refused_before_decoding() {
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
        let idat = b"IDAT\x78\x9c\0\0\0\0";
        png.extend_from_slice(&6u32.to_be_bytes());
        png.extend_from_slice(idat);
        png.extend_from_slice(&crc32fast::hash(idat).to_be_bytes());
        let got = decode(&png);
        assert!(
            matches!(
                got,
                Err(ImageProblem::TooManyPixels {
                    width: 100_000,
                    height: 100_000
                })
            ),
            "{got:?}"
        );
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\nnot really"),
            Err(ImageProblem::Damaged { .. })
        ));
        assert!(matches!(decode(b"plain text"), Err(ImageProblem::Unknown)));
    }
}
