//! Reading WhatsApp exports: from files, zips, folders or stdin to parsed messages.

pub(crate) mod chatname;
pub(crate) mod classify;
pub mod dates;
pub mod decode;
mod events;
pub mod header;
pub mod lines;
pub(crate) mod locale;
pub(crate) mod media;
pub(crate) mod normalize;
pub(crate) mod parser;
pub mod source;
mod zipcheck;
mod zipfile;

pub use dates::DateOrder;
pub use parser::{parse, ParseOptions, Parsed, ParsedMessage};

use crate::error::UserError;
use std::path::Path;

/// An export read from disk and decoded, ready to parse (the parse borrows from it).
#[derive(Debug)]
pub struct LoadedExport {
    pub display: String,
    /// The chat's name from the file, zip or folder name, and which it came from.
    pub name_hint: Option<(String, chatname::ChatNameFrom)>,
    /// The name is only a folder's not named after an export (see [`chat_name`]).
    pub weak_name: bool,
    pub media: Vec<String>,
    /// What reading the file left out or had to guess (zip entries skipped, several chat texts).
    pub source_warnings: Vec<String>,
    pub decoded: decode::Decoded,
    /// Whether the text came out of a zip (which then holds the attachments).
    pub zipped: bool,
}

/// Reads and decodes one export file (a `.txt`, a `.zip` or `-`).
pub fn load(path: &Path, limits: &source::Limits) -> Result<LoadedExport, UserError> {
    let file = source::read(path, limits).map_err(|e| {
        if let source::SourceError::NotText { path: shown, what } = &e {
            return not_text(path, shown, false, what);
        }
        let hint = e.hint();
        let err = UserError::new(e.to_string());
        match hint {
            Some(h) => err.hint(h),
            None => err,
        }
    })?;
    let decoded = decode::decode(file.bytes).map_err(|e| {
        let decode::DecodeError::NotText(what) = &e;
        not_text(path, &file.display, file.zipped, what)
    })?;
    Ok(LoadedExport {
        display: file.display,
        name_hint: file.name_hint,
        weak_name: file.weak_name,
        media: file.media,
        source_warnings: file.warnings,
        decoded,
        zipped: file.zipped,
    })
}

/// The error for an export that is no text (`what` it is instead).
fn not_text(path: &Path, shown: &str, zipped: bool, what: &str) -> UserError {
    let message = if !zipped && source::named_like_zip(path) {
        // Read as text because its bytes are no zip: say so, not only what it is not.
        format!("{shown}: not a zip archive, nor a chat text: {what}")
    } else {
        format!("{shown}: this is {what}, not a WhatsApp text export")
    };
    UserError::new(message).hint("pass the .txt or .zip that WhatsApp's \"Export chat\" produced")
}

/// Parses a loaded export, turning parse failures into user errors with hints.
pub fn parse_loaded<'a>(
    loaded: &'a LoadedExport,
    opts: &ParseOptions,
) -> Result<Parsed<'a>, UserError> {
    parse(&loaded.decoded.text, opts).map_err(|e| {
        let hint = match e {
            parser::ParseError::InconsistentDateOrder { .. } => {
                "say which order the dates use with --date-order dmy|mdy|ymd"
            }
            parser::ParseError::LineTooLong { .. } => {
                "this does not look like a chat export; raise the limit with --max-line-kib if it is one"
            }
            parser::ParseError::TooLarge { .. } => {
                "split the export into smaller files (WhatsApp exports are far smaller than this)"
            }
        };
        UserError::new(format!("{}: {e}", loaded.display)).hint(hint)
    })
}

/// The chat's name and where it came from: `--chat`, else the file's (or zip's) name, else
/// the folder of a bare `_chat.txt` when WhatsApp named it, else what the export itself names
/// (iOS attributes the encryption notice to the chat), else any other folder's name.
///
/// With none of them (a `_chat.txt` or stdin with nothing attributed) it is an error, not a
/// made-up name: two such chats would be merged into one (issue 12).
pub fn chat_name(
    given: Option<&str>,
    loaded: &LoadedExport,
    parsed: &Parsed<'_>,
) -> Result<(String, chatname::ChatNameFrom), UserError> {
    if let Some(name) = given {
        return Ok((name.to_string(), chatname::ChatNameFrom::Flag));
    }
    let attributed = || {
        parsed.title_hint.as_deref().map(|t| {
            (
                normalize::normalize_sender(t).into_owned(),
                chatname::ChatNameFrom::Attributed,
            )
        })
    };
    let named = if loaded.weak_name {
        attributed().or_else(|| loaded.name_hint.clone())
    } else {
        loaded.name_hint.clone().or_else(attributed)
    };
    named.ok_or_else(|| {
        UserError::new(format!(
            "{}: no chat name: neither a file or folder name nor the export names the chat",
            loaded.display
        ))
        .hint("name it with --chat NAME (one name per chat, so that two chats never mix)")
    })
}

/// Human-readable warnings about what the parse had to repair or could not place.
pub fn warnings(loaded: &LoadedExport, parsed: &Parsed<'_>) -> Vec<String> {
    let mut out = loaded.source_warnings.clone();
    let name = &loaded.display;
    let d = &loaded.decoded;
    if !d.repaired_lines.is_empty() {
        let encoding = match d.encoding {
            decode::Encoding::Utf8 | decode::Encoding::Utf8Bom => "UTF-8",
            decode::Encoding::Utf16Le | decode::Encoding::Utf16Be => "UTF-16",
            decode::Encoding::Utf32Le => "UTF-32",
        };
        out.push(format!(
            "{name}: invalid {encoding} replaced by U+FFFD on {}",
            line_list(&d.repaired_lines)
        ));
    }
    if !d.nul_lines.is_empty() {
        out.push(format!(
            "{name}: NUL bytes replaced by U+FFFD on {}",
            line_list(&d.nul_lines)
        ));
    }
    if !parsed.orphan_lines.is_empty() {
        out.push(format!(
            "{name}: {} not imported: text before the first message",
            line_list(&parsed.orphan_lines)
        ));
    }
    if !parsed.bad_date_lines.is_empty() {
        out.push(format!(
            "{name}: {} look like message headers but hold an impossible date or time; kept as text of the message before",
            line_list(&parsed.bad_date_lines)
        ));
    }
    let lf = &parsed.line_ends;
    if !lf.folded_lines.is_empty() {
        out.push(format!(
            "{name}: {} look like message headers after a line break typed inside a message (iOS ends messages with CRLF); kept as text of the message before",
            line_list(&lf.folded_lines)
        ));
    }
    if lf.kept_as_messages > 0 {
        let n = lf.kept_as_messages;
        let lines = if n == 1 {
            "header line"
        } else {
            "header lines"
        };
        out.push(format!(
            "{name}: {n} {lines} after a bare LF in this CRLF file read as messages: they come in a run, in the file's header format and time order (edited by hand?)"
        ));
    }
    if let Some(line) = parsed.cut_off_at {
        out.push(format!(
            "{name}: the file ends in the middle of line {line} (no final line break); the last message may be cut off"
        ));
    }
    if parsed.order.contradicting > 0 {
        out.push(format!(
            "{name}: {} header(s) only fit the other date order; read as {} ({})",
            parsed.order.contradicting,
            parsed.order.order,
            parsed.order.reason.describe()
        ));
    }
    if parsed.is_empty() && d.text.trim().is_empty() {
        out.push(format!("{name}: the file is empty"));
    } else if parsed.is_empty() {
        out.push(format!(
            "{name}: no WhatsApp messages found (is this a chat export?)"
        ));
    }
    out
}

/// `line 3`, `lines 3, 7, 9` or `lines 3, 7, 9 and 40 more`.
pub fn line_list(lines: &[usize]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(usize::to_string).collect();
    let more = lines.len().saturating_sub(SHOWN);
    let word = if lines.len() == 1 { "line" } else { "lines" };
    if more > 0 {
        format!("{word} {} and {more} more", shown.join(", "))
    } else {
        format!("{word} {}", shown.join(", "))
    }
}
