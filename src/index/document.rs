//! One message as a tantivy document: its fields, the per-message figures statistics read
//! (words, top words, emoji, domains, `has` terms), and a text over the size limit cut with a
//! marker saying so (docs/reliability.md, A4).

use super::schema::{ts_to_secs, Fields};
use super::words::MessageWords;
use crate::import::media::MediaType;
use crate::import::ParsedMessage;
use crate::model::Kind;
use crate::textscan;
use tantivy::TantivyDocument;

/// A message text over the limit, cut: the part kept (whole chars, at most `max_bytes`) and
/// the text stored in its place, that part plus a marker saying how much is missing.
#[derive(Debug)]
pub struct Cut<'a> {
    pub kept: &'a str,
    pub stored: String,
}

/// Says where and why a text was cut, in the text itself, so nobody reading it later takes
/// the cut text for the whole message.
pub fn cut_marker(missing_bytes: usize) -> String {
    format!(
        "\n[… whatscope cut this message here: {} KiB more were not imported (--max-message-kib)]",
        missing_bytes.div_ceil(1024)
    )
}

/// `None` when `text` fits in `max_bytes`; otherwise the text cut on a char boundary.
pub fn cut_to_limit(text: &str, max_bytes: usize) -> Option<Cut<'_>> {
    if text.len() <= max_bytes {
        return None;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = &text[..end];
    let marker = cut_marker(text.len() - end);
    let mut stored = String::with_capacity(kept.len() + marker.len());
    stored.push_str(kept);
    stored.push_str(&marker);
    Some(Cut { kept, stored })
}

/// Room in a document for its numbers and the names' and values' lengths (a message's own
/// text, and its words, are added to this).
const DOCUMENT_BYTES: usize = 256;

/// The tantivy document of one message, with its per-message statistics. A message over the
/// size limit is stored `cut` (its statistics count only the part kept). Chat and sender
/// names are stored in NFC, so one name written two ways is one chat or participant; the
/// text is stored as the export wrote it (the analyzer normalises its tokens).
pub fn document<'a>(
    f: Fields,
    chat: &str,
    id: u64,
    mut m: ParsedMessage<'a>,
    cut: Option<Cut<'a>>,
    media: Option<MediaType>,
    words: &mut MessageWords,
) -> TantivyDocument {
    // Sized for the message: the default reserves 1 KiB for every document, most of which a
    // chat message never fills, and documents are freed on tantivy's threads, not here.
    let mut doc = TantivyDocument::with_capacity(DOCUMENT_BYTES + chat.len() + 2 * m.text.len());
    doc.add_u64(f.id, id);
    doc.add_text(f.chat_raw, crate::fold::text(chat));
    doc.add_text(f.sender_raw, crate::fold::text(m.sender.unwrap_or("")));
    match cut {
        Some(cut) => {
            doc.add_text(f.text, cut.stored);
            m.text = cut.kept;
        }
        None => doc.add_text(f.text, m.text),
    }
    if let Some(a) = m.attachment {
        doc.add_text(f.file, a);
    }
    doc.add_i64(f.ts, ts_to_secs(&m.ts));
    doc.add_u64(f.line, m.line as u64);
    doc.add_u64(f.kind, m.kind.code());
    doc.add_u64(f.edited, u64::from(m.edited));
    // Whether the text may hold a link: known once its words are read.
    let may_link = if matches!(m.kind, Kind::Text | Kind::Media) {
        doc.add_u64(f.words, words.read(m.text) as u64);
        for word in words.terms() {
            doc.add_text(f.word, word);
        }
        words.linked()
    } else {
        doc.add_u64(f.words, 0);
        true
    };
    if m.kind == Kind::Media || m.attachment.is_some() {
        doc.add_text(f.has, "media");
    }
    if let Some(t) = media {
        doc.add_text(f.has, super::media::has_value(t));
    }
    let mut any_link = false;
    if may_link {
        for link in textscan::links(m.text) {
            any_link = true;
            doc.add_text(f.domain, textscan::link_domain(link));
        }
    }
    if any_link {
        doc.add_text(f.has, "link");
    }
    let mut any_emoji = false;
    for e in textscan::emojis(m.text) {
        any_emoji = true;
        doc.add_text(f.emoji, e);
    }
    if any_emoji {
        doc.add_text(f.has, "emoji");
    }
    doc
}
