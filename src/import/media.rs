//! Attachments (docs/media.md): what one is (image, voice note, sticker, …) from its
//! placeholder or file name, and reading one from the export it came in, a zip read in place
//! or a folder, within the zip limits of `source` and never by a path taken from the export.

use super::source::{self, Limits, SourceError};
use super::{zipcheck, zipfile};
use crate::model::Kind;
use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use zip::CompressionMethod;

/// What an attachment is, as `media --type` and `stats`' `media_types` name it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Image,
    Video,
    Audio,
    /// A voice note (push-to-talk): WhatsApp's `PTT-….opus`.
    Voice,
    Sticker,
    Gif,
    Document,
    /// A contact card (`.vcf`).
    Contact,
    Other,
}

impl MediaType {
    pub const ALL: [MediaType; 9] = [
        MediaType::Image,
        MediaType::Video,
        MediaType::Audio,
        MediaType::Voice,
        MediaType::Sticker,
        MediaType::Gif,
        MediaType::Document,
        MediaType::Contact,
        MediaType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Image => "image",
            MediaType::Video => "video",
            MediaType::Audio => "audio",
            MediaType::Voice => "voice",
            MediaType::Sticker => "sticker",
            MediaType::Gif => "gif",
            MediaType::Document => "document",
            MediaType::Contact => "contact",
            MediaType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<MediaType> {
        MediaType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The number stored in the `media` column: 0 is "no attachment", so a type is 1 to 9.
    pub fn code(self) -> u64 {
        MediaType::ALL.iter().position(|t| *t == self).unwrap_or(8) as u64 + 1
    }

    pub fn from_code(code: u64) -> Option<MediaType> {
        let at = usize::try_from(code.checked_sub(1)?).ok()?;
        MediaType::ALL.get(at).copied()
    }

    /// The type of an attachment from its file name: WhatsApp's own prefixes first (`PTT-`
    /// is a voice note, `STK-` a sticker; iOS writes `00000012-AUDIO-…`), then the extension.
    pub fn of_name(name: &str) -> MediaType {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let lower = base.to_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        let tagged = |tag: &str| lower.starts_with(tag) || lower.contains(&format!("-{tag}"));
        if tagged("ptt-") || (ext == "opus" && !tagged("aud-")) {
            return MediaType::Voice;
        }
        if tagged("stk-") || tagged("sticker-") || ext == "webp" {
            return MediaType::Sticker;
        }
        if tagged("gif-") || ext == "gif" {
            return MediaType::Gif;
        }
        match ext {
            "jpg" | "jpeg" | "png" | "heic" | "heif" | "bmp" | "tif" | "tiff" | "avif" => {
                MediaType::Image
            }
            "mp4" | "mov" | "3gp" | "mkv" | "avi" | "webm" | "m4v" => MediaType::Video,
            "mp3" | "m4a" | "aac" | "wav" | "ogg" | "oga" | "amr" | "flac" | "wma" => {
                MediaType::Audio
            }
            "vcf" => MediaType::Contact,
            "pdf" | "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "odt" | "ods" | "odp"
            | "rtf" | "txt" | "csv" | "epub" | "pages" | "numbers" | "key" | "zip" | "rar"
            | "7z" | "apk" | "html" | "json" | "xml" | "md" => MediaType::Document,
            _ if tagged("img-") || tagged("photo-") => MediaType::Image,
            _ if tagged("vid-") || tagged("video-") => MediaType::Video,
            _ if tagged("aud-") || tagged("audio-") => MediaType::Audio,
            _ if tagged("doc-") => MediaType::Document,
            _ => MediaType::Other,
        }
    }

    /// The type a "left out of the export" placeholder names, when `line` (a message's first
    /// line, header included) ends with one: iOS writes one per type in many languages
    /// (`image omitted`, `Bild weggelassen`); Android's `<Media omitted>` names none.
    pub fn of_placeholder(line: &str) -> Option<MediaType> {
        let clean: String = line
            .chars()
            .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}'))
            .collect();
        let clean = clean.trim_end().trim_end_matches('>').trim_end();
        let lower = clean.to_lowercase();
        let placeholders = lowercased_placeholders();
        let placeholder = placeholders
            .ios
            .iter()
            .filter(|p| lower.ends_with(p.as_str()))
            .max_by_key(|p| p.len());
        if let Some(p) = placeholder {
            return Some(placeholder_type(p));
        }
        let android = placeholders
            .android
            .iter()
            .any(|p| lower.ends_with(p.as_str()));
        android.then(|| {
            if lower.contains("video") {
                MediaType::Video
            } else {
                MediaType::Other
            }
        })
    }

    /// The type of a message's attachment, or `None` when it has none: from the file name
    /// when the export names one, else from the placeholder (`first_line`, when known), else
    /// `other` for a media message.
    pub fn of_message(
        kind: Kind,
        attachment: Option<&str>,
        first_line: Option<&str>,
    ) -> Option<MediaType> {
        if let Some(name) = attachment {
            return Some(MediaType::of_name(name));
        }
        if kind != Kind::Media {
            return None;
        }
        Some(
            first_line
                .and_then(MediaType::of_placeholder)
                .unwrap_or(MediaType::Other),
        )
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The placeholders of `locale`, lowercased once: `of_placeholder` runs for every media
/// message an export left out, and lowercasing both lists each time was a tenth of an import.
struct LowercasedPlaceholders {
    ios: Vec<String>,
    /// Android's, without their closing `>` (`of_placeholder` trims it off the line too).
    android: Vec<String>,
}

fn lowercased_placeholders() -> &'static LowercasedPlaceholders {
    static CELL: std::sync::OnceLock<LowercasedPlaceholders> = std::sync::OnceLock::new();
    CELL.get_or_init(|| LowercasedPlaceholders {
        ios: super::locale::IOS_OMITTED
            .iter()
            .map(|p| p.to_lowercase())
            .collect(),
        android: super::locale::MEDIA_OMITTED
            .iter()
            .map(|p| p.to_lowercase().trim_end_matches('>').to_string())
            .collect(),
    })
}

/// Words of `locale::IOS_OMITTED`'s placeholders (lowercased) that tell the type, most
/// specific first: "Contact card", "GIF" and "sticker" before "video" and "image".
const PLACEHOLDER_WORDS: &[(MediaType, &[&str])] = &[
    (
        MediaType::Contact,
        &[
            "contact",
            "kontakt",
            "contato",
            "visitekaartje",
            "kişi kartı",
            "контакт",
            "联系人",
            "جهة اتصال",
        ],
    ),
    (MediaType::Gif, &["gif"]),
    (
        MediaType::Sticker,
        &[
            "sticker",
            "figurinha",
            "стикер",
            "çıkartma",
            "stiker",
            "贴图",
            "الملصقات",
        ],
    ),
    (
        MediaType::Video,
        &["video", "vídeo", "vidéo", "видео", "视频", "الفيديو"],
    ),
    (
        MediaType::Voice,
        &["audio", "áudio", "аудио", "ses ", "音频", "الصوتية"],
    ),
    (
        MediaType::Document,
        &[
            "document",
            "dokument",
            "belge",
            "документ",
            "文档",
            "المستند",
        ],
    ),
    (
        MediaType::Image,
        &[
            "image",
            "imagen",
            "imagem",
            "immagine",
            "bild",
            "afbeelding",
            "изображение",
            "görüntü",
            "gambar",
            "照片",
            "画像",
            "이미지",
            "الصورة",
            "kuva",
            "slika",
        ],
    ),
];

/// The type a known placeholder names. iOS writes voice notes as `audio omitted`: they are
/// by far the most common audio in a chat, so the audio placeholders count as voice notes.
fn placeholder_type(placeholder: &str) -> MediaType {
    PLACEHOLDER_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| placeholder.contains(w)))
        .map_or(MediaType::Other, |(t, _)| *t)
}

// ---------------------------------------------------------------------------------------------
// Reading attachments

/// The largest attachment read (`media save`, the TUI): WhatsApp sends documents of up to
/// 2 GiB, so this is where a declared size stops being believable.
pub const MAX_MEDIA_BYTES: u64 = 2 << 30;

/// Why an attachment cannot be read now.
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error("where it came from is not recorded (imported from standard input, or before whatscope recorded sources)")]
    NoSource,
    #[error("{place} is gone (moved or deleted since the import)")]
    SourceGone { place: String },
    #[error("{place} does not hold it (exported without media?)")]
    NotInSource { place: String },
    #[error("{place}: {why}")]
    Unreadable { place: String, why: String },
    #[error("it is larger than {limit} MiB")]
    TooLarge { limit: u64 },
    #[error(
        "it expands more than {limit}:1 (--max-zip-ratio), which no attachment does (a zip bomb?)"
    )]
    Ratio { limit: u64 },
    #[error("it is damaged: {why}")]
    Damaged { why: String },
}

impl Unavailable {
    /// How to make it available, where something helps.
    pub fn hint(&self) -> &'static str {
        match self {
            Unavailable::NoSource | Unavailable::SourceGone { .. } => {
                "import the export (the .zip or folder with the media) again from where it is now"
            }
            Unavailable::NotInSource { .. } => {
                "export the chat again from WhatsApp with \"Include media\", and import that zip"
            }
            _ => "export the chat again from WhatsApp, or read the file from the export by hand",
        }
    }
}

/// Where an attachment of an export is: an entry of the zip, or a file of the folder.
#[derive(Debug, Clone)]
enum Place {
    Zip { index: usize },
    File(PathBuf),
}

#[derive(Debug, Clone)]
struct Found {
    size: u64,
    place: Place,
}

/// An export's attachments by file name, listed once (a zip's central directory is read,
/// nothing is decompressed); then sizes and bytes of any of them.
#[derive(Debug)]
pub struct Export {
    source: PathBuf,
    shown: String,
    zipped: bool,
    limits: Limits,
    by_name: HashMap<String, Found>,
}

impl Export {
    /// Lists the attachments of the export at `source` (a `.zip`, or a folder).
    pub fn open(source: &Path, limits: &Limits) -> Result<Export, Unavailable> {
        let shown = shown(source);
        let meta = std::fs::metadata(source).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Unavailable::SourceGone {
                place: shown.clone(),
            },
            _ => Unavailable::Unreadable {
                place: shown.clone(),
                why: e.to_string(),
            },
        })?;
        let mut export = Export {
            source: source.to_path_buf(),
            shown,
            zipped: meta.is_file(),
            limits: *limits,
            by_name: HashMap::new(),
        };
        if export.zipped {
            export.list_zip()?;
        }
        Ok(export)
    }

    fn unreadable(&self, e: impl std::fmt::Display) -> Unavailable {
        Unavailable::Unreadable {
            place: self.shown.clone(),
            why: e.to_string(),
        }
    }

    fn unavailable_from(&self, e: SourceError) -> Unavailable {
        match e {
            SourceError::Ratio { limit, .. } => Unavailable::Ratio { limit },
            other => {
                let text = other.to_string();
                let why = text
                    .strip_prefix(&format!("{}: ", self.source.display()))
                    .unwrap_or(&text);
                self.unreadable(why)
            }
        }
    }

    /// The zip's attachments, from its central directory alone, with the checks `source`
    /// makes before reading a chat text: entry count, overlapping entries, and the same
    /// names left out (unsafe, symlinks, encrypted, unknown compression).
    fn list_zip(&mut self) -> Result<(), Unavailable> {
        let mut file = File::open(&self.source).map_err(|e| self.unreadable(e))?;
        zipcheck::check_declared_entries(&mut file, &self.shown, &self.limits)
            .map_err(|e| self.unavailable_from(e))?;
        let zip = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| self.unavailable_from(zipfile::unreadable_zip(&self.shown, &e)))?;
        if zip.len() > self.limits.max_zip_entries {
            return Err(self.unreadable(format!(
                "the zip holds {} entries, over the limit of {} (--max-zip-entries)",
                zip.len(),
                self.limits.max_zip_entries
            )));
        }
        if zipcheck::entries_overlap(&zip) {
            return Err(self.unreadable("malformed zip archive: its entries overlap (a zip bomb?)"));
        }
        for index in 0..zip.len() {
            let Ok(entry) = zip.by_index_data(index) else {
                continue;
            };
            let Ok(name) = entry.name().map(|n| n.into_owned()) else {
                continue;
            };
            let readable = !entry.encrypted()
                && matches!(
                    entry.compression(),
                    CompressionMethod::Stored | CompressionMethod::Deflated
                );
            if entry.is_dir()
                || !readable
                || zipfile::is_mac_metadata(&name)
                || zipfile::name_or_kind_problem(&name, entry.enclosed_name().is_none(), || {
                    entry.is_symlink()
                })
                .is_some()
            {
                continue;
            }
            // The last one of a name, as the zip crate (and `unzip`) would keep it.
            self.by_name.insert(
                zipfile::base_name(&name).to_string(),
                Found {
                    size: entry.size(),
                    place: Place::Zip { index },
                },
            );
        }
        Ok(())
    }

    /// The attachment named `name`: a zip entry of that file name, or a regular file of
    /// that name directly in the folder (a name with a folder in it is never looked up).
    fn find(&self, name: &str) -> Result<Found, Unavailable> {
        let missing = || Unavailable::NotInSource {
            place: self.shown.clone(),
        };
        if name.is_empty()
            || name.contains(['/', '\\', '\0'])
            || name == "."
            || name == ".."
            || name.len() > source::MAX_ENTRY_NAME_BYTES
        {
            return Err(missing());
        }
        if self.zipped {
            return self.by_name.get(name).cloned().ok_or_else(missing);
        }
        let path = self.source.join(name);
        // Never through a symlink: a folder's file must be the folder's own.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => Ok(Found {
                size: m.len(),
                place: Place::File(path),
            }),
            _ => Err(missing()),
        }
    }

    /// The attachment's size in bytes, as the zip's directory (or the file system) says.
    pub fn size(&self, name: &str) -> Result<u64, Unavailable> {
        self.find(name).map(|f| f.size)
    }

    /// Copies the attachment's bytes to `out`, at most `max_bytes` of them, judging as it
    /// goes: the size declared, the compression ratio, the checksum (a zip's entry); returns
    /// how many were written.
    pub fn copy(
        &self,
        name: &str,
        out: &mut dyn Write,
        max_bytes: u64,
    ) -> Result<u64, Unavailable> {
        let found = self.find(name)?;
        if found.size > max_bytes {
            return Err(Unavailable::TooLarge {
                limit: max_bytes >> 20,
            });
        }
        match found.place {
            Place::File(path) => {
                let file = File::open(&path).map_err(|e| self.unreadable(e))?;
                let mut limited = file.take(max_bytes.saturating_add(1));
                let n = io::copy(&mut limited, out).map_err(|e| self.unreadable(e))?;
                if n > max_bytes {
                    return Err(Unavailable::TooLarge {
                        limit: max_bytes >> 20,
                    });
                }
                Ok(n)
            }
            Place::Zip { index } => self.copy_zip_entry(index, out),
        }
    }

    fn copy_zip_entry(&self, index: usize, out: &mut dyn Write) -> Result<u64, Unavailable> {
        let pulled = Rc::new(Cell::new(0u64));
        let file = File::open(&self.source).map_err(|e| self.unreadable(e))?;
        let counting = Counting {
            inner: BufReader::new(file),
            pulled: Rc::clone(&pulled),
        };
        let mut zip = zip::ZipArchive::new(counting)
            .map_err(|e| self.unavailable_from(zipfile::unreadable_zip(&self.shown, &e)))?;
        let central = zipcheck::Central::of(&zip, index).ok_or_else(|| Unavailable::Damaged {
            why: "it is not in the zip's directory any more".into(),
        })?;
        let mut header = File::open(&self.source).map_err(|e| self.unreadable(e))?;
        zipcheck::check_local_header(&mut header, &central)
            .map_err(|why| Unavailable::Damaged { why: why.into() })?;
        let declared = zip
            .by_index_data(index)
            .map(|e| e.size())
            .map_err(|e| self.unreadable(e))?;
        let mut entry = zip.by_index(index).map_err(|e| Unavailable::Damaged {
            why: format!("it cannot be opened ({e})"),
        })?;
        let start = pulled.get();
        let mut produced = 0u64;
        let mut step = vec![0u8; 64 << 10];
        loop {
            let n = match entry.read(&mut step) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(damaged(&e, produced, declared)),
            };
            produced += n as u64;
            let compressed = pulled.get().saturating_sub(start).max(1);
            if produced > zipfile::RATIO_FLOOR_BYTES
                && produced / compressed > self.limits.max_zip_ratio
            {
                return Err(Unavailable::Ratio {
                    limit: self.limits.max_zip_ratio,
                });
            }
            if produced > declared {
                return Err(damaged_size(declared));
            }
            out.write_all(&step[..n])
                .map_err(|e| self.unreadable(format!("cannot write it: {e}")))?;
        }
        if produced != declared {
            return Err(Unavailable::Damaged {
                why: format!("it holds {produced} bytes, its header declares {declared}"),
            });
        }
        Ok(produced)
    }
}

fn damaged_size(declared: u64) -> Unavailable {
    Unavailable::Damaged {
        why: format!("it holds more than the {declared} bytes its header declares"),
    }
}

/// A failed read of an entry in words (the zip crate stops at the declared size and checks
/// the checksum at the end).
fn damaged(e: &io::Error, produced: u64, declared: u64) -> Unavailable {
    if produced >= declared {
        return damaged_size(declared);
    }
    let why = if e.to_string().contains("checksum") {
        "checksum mismatch: the data is not what was stored".to_string()
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        "its data is cut short".to_string()
    } else {
        format!("its data cannot be decompressed ({e})")
    };
    Unavailable::Damaged { why }
}

/// A path as a message shows it: sanitized, on one line.
fn shown(path: &Path) -> String {
    crate::sanitize::to_display(&path.display().to_string(), crate::sanitize::Mode::OneLine)
        .into_owned()
}

/// Counts the compressed bytes the zip crate pulls, for the ratio check.
struct Counting<R> {
    inner: R,
    pulled: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pulled.set(self.pulled.get().saturating_add(n as u64));
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Where an export's attachments are read from later: the zip itself, the folder a `.txt`
/// is in, nothing for stdin. Absolute, so it holds from any working folder.
pub fn source_of(path: &Path, zipped: bool) -> Option<PathBuf> {
    if path.as_os_str() == "-" {
        return None;
    }
    let absolute = std::fs::canonicalize(path).ok()?;
    if zipped {
        Some(absolute)
    } else {
        absolute.parent().map(Path::to_path_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_names() {
        let t = MediaType::of_name;
        assert_eq!(t("PTT-20240101-WA0001.opus"), MediaType::Voice);
        assert_eq!(
            t("00000012-AUDIO-2023-01-01-10-00-00.opus"),
            MediaType::Voice
        );
        assert_eq!(t("AUD-20240101-WA0001.opus"), MediaType::Audio);
        assert_eq!(t("song.mp3"), MediaType::Audio);
        assert_eq!(t("STK-20240101-WA0001.webp"), MediaType::Sticker);
        assert_eq!(t("IMG-20240101-WA0001.jpg"), MediaType::Image);
        assert_eq!(t("00000001-PHOTO-2023.jpg"), MediaType::Image);
        assert_eq!(t("VID-20240101-WA0001.mp4"), MediaType::Video);
        assert_eq!(t("00000010-GIF-2023-01-01.mp4"), MediaType::Gif);
        assert_eq!(t("Plan.PDF"), MediaType::Document);
        assert_eq!(t("Иван Петров.vcf"), MediaType::Contact);
        assert_eq!(t("mystery.bin"), MediaType::Other);
    }

    #[test]
    fn types_from_placeholders() {
        let p = MediaType::of_placeholder;
        assert_eq!(
            p("[1/2/24, 10:00:00] Ana: \u{200E}image omitted"),
            Some(MediaType::Image)
        );
        assert_eq!(
            p("[1/2/24, 10:00:00] Ana: \u{200E}audio omitted"),
            Some(MediaType::Voice)
        );
        assert_eq!(
            p("[1/2/24, 10:00:00] Ana: \u{200E}Kontaktkarte ausgelassen"),
            Some(MediaType::Contact)
        );
        assert_eq!(
            p("[1/2/24, 10:00:00] Ana: \u{200E}GIF omitido"),
            Some(MediaType::Gif)
        );
        assert_eq!(
            p("[1/2/24, 10:00:00] Ana: \u{200E}figurinha omitida"),
            Some(MediaType::Sticker)
        );
        assert_eq!(
            p("1/2/24, 10:00 - Ana: <Media omitted>"),
            Some(MediaType::Other)
        );
        assert_eq!(
            p("1/2/24, 10:00 - Ana: <Video note omitted>"),
            Some(MediaType::Video)
        );
        assert_eq!(p("1/2/24, 10:00 - Ana: hello"), None);
    }

    #[test]
    fn codes_round_trip() {
        for t in MediaType::ALL {
            assert_eq!(MediaType::from_code(t.code()), Some(t));
        }
        assert_eq!(MediaType::from_code(0), None);
    }
}
