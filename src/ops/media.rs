//! `whatscope media` (docs/media.md): the archive's attachments with their type, size and
//! whether they can be read now from the export they came in, and one attachment's bytes
//! (`media save`), read from the zip or folder recorded at import, never copied into the
//! archive.

use super::forget::{sender_query, spellings, suggestions};
use super::Error;
use crate::import::media::{Export, MediaType, Unavailable, MAX_MEDIA_BYTES};
use crate::import::source::Limits;
use crate::index::archive::Archive;
use crate::index::collect::by_time;
use crate::index::media::{type_query, types_of_segment, Sources};
use crate::index::read::{self, chat_query, load, Loader};
use crate::privacy::Anonymizer;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

/// What `media` lists: every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct MediaOptions {
    pub chat: Option<String>,
    pub participant: Option<String>,
    pub media_type: Option<MediaType>,
}

/// One attachment (`media --json`, docs/media.md).
#[derive(Debug, Clone, Serialize)]
pub struct MediaItem {
    pub id: String,
    pub chat: String,
    pub ts: String,
    pub sender: Option<String>,
    /// The file name; `null` for one the export left out (`<Media omitted>`).
    pub attachment: Option<String>,
    #[serde(rename = "type")]
    pub media_type: MediaType,
    /// Its size as the zip's directory (or the folder) says; `null` when not available.
    pub bytes: Option<u64>,
    pub available: bool,
    /// Where it is read from (or was looked for): the zip or folder of the import.
    pub source: Option<String>,
    /// Why it is not available, for people.
    #[serde(skip)]
    pub why: Option<String>,
}

/// Every attachment `opts` picks: chats by name, each in time order. With an anonymizer,
/// as the anonymized view shows them: ids keyed, chat and sender pseudonymized, file
/// names masked like text, and no source path (it names the chat).
pub fn list(
    archive: &Archive,
    opts: &MediaOptions,
    anonymizer: Option<&Anonymizer>,
) -> Result<Vec<MediaItem>, Error> {
    let f = &archive.fields;
    let mut filters: Vec<Box<dyn Query>> = vec![has_media(archive)];
    let chat = match &opts.chat {
        Some(c) => Some(read::resolve_chat(archive, c)?),
        None => None,
    };
    if let Some(name) = &opts.participant {
        filters.push(sender_query(archive, &participant(archive, name)?));
    }
    if let Some(t) = opts.media_type {
        filters.push(type_query(f, t));
    }
    let searcher = archive.searcher();
    let mut types: HashMap<u32, Vec<u8>> = HashMap::new();
    let sources = Sources::load(&archive.dir);
    let mut out = Vec::new();
    for c in read::chats(archive)? {
        if chat.as_ref().is_some_and(|want| *want != c.chat) {
            continue;
        }
        let mut parts: Vec<Box<dyn Query>> = vec![chat_query(f, &c.chat)];
        parts.extend(filters.iter().map(|q| q.box_clone()));
        let query = BooleanQuery::intersection(parts);
        let total = searcher
            .search(&query, &Count)
            .map_err(crate::index::Error::read)?;
        if total == 0 {
            continue;
        }
        let export = sources.of(&c.chat).map(|s| (s, open_export(s)));
        let hits = searcher
            .search(&query, &by_time(total, 0, true))
            .map_err(crate::index::Error::read)?;
        let mut loader = Loader::new(archive, &searcher);
        for (_, addr) in hits {
            let media_type = type_of(archive, &mut types, addr)?;
            let mut m = loader.load(addr)?.message;
            let mut item = locate(&m, media_type, export.as_ref());
            if let Some(a) = anonymizer {
                a.message(&mut m);
                item.source = None;
            }
            item.id = m.id;
            item.chat = m.chat;
            item.sender = m.sender;
            item.attachment = m.attachment;
            out.push(item);
        }
    }
    Ok(out)
}

/// The messages that have an attachment, named or left out (`has:media`).
fn has_media(archive: &Archive) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(archive.fields.has, "media"),
        IndexRecordOption::Basic,
    ))
}

/// The stored names of a participant, as `from:` takes them (every name of a merged
/// person, any case); an error naming close names when there is none.
fn participant(archive: &Archive, name: &str) -> Result<Vec<String>, Error> {
    let found = spellings(archive, name)?;
    if !found.is_empty() {
        return Ok(found);
    }
    Err(Error::NoParticipant {
        name: name.to_string(),
        close: suggestions(archive, name)?,
    })
}

fn open_export(source: &Path) -> Result<Export, Unavailable> {
    Export::open(source, &Limits::default())
}

/// The attachment type of a document, from its segment's `media-TYPE` terms (read once
/// per segment).
fn type_of(
    archive: &Archive,
    cache: &mut HashMap<u32, Vec<u8>>,
    addr: DocAddress,
) -> Result<MediaType, Error> {
    let searcher = archive.searcher();
    let codes = match cache.entry(addr.segment_ord) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(v) => {
            let reader = searcher.segment_reader(addr.segment_ord);
            v.insert(types_of_segment(reader, &archive.fields)?)
        }
    };
    let code = codes.get(addr.doc_id as usize).copied().unwrap_or(0);
    Ok(MediaType::from_code(u64::from(code)).unwrap_or(MediaType::Other))
}

/// Whether the message's attachment can be read now, and its size.
fn locate(
    m: &crate::model::Message,
    media_type: MediaType,
    export: Option<&(&Path, Result<Export, Unavailable>)>,
) -> MediaItem {
    let (bytes, why) = match (&m.attachment, export) {
        (_, None) => (None, Some(Unavailable::NoSource.to_string())),
        (None, Some(_)) => (
            None,
            Some("the export left it out (exported without media)".to_string()),
        ),
        (Some(_), Some((_, Err(e)))) => (None, Some(e.to_string())),
        (Some(name), Some((_, Ok(export)))) => match export.size(name) {
            Ok(size) => (Some(size), None),
            Err(e) => (None, Some(e.to_string())),
        },
    };
    MediaItem {
        id: m.id.clone(),
        chat: m.chat.clone(),
        ts: m.ts.clone(),
        sender: m.sender.clone(),
        attachment: m.attachment.clone(),
        media_type,
        bytes,
        available: why.is_none(),
        source: export.map(|(s, _)| s.display().to_string()),
        why,
    }
}

/// A message with an attachment, found by its id (16 hex digits), and where its export is.
pub struct Attachment {
    pub message: crate::model::Message,
    pub source: Option<PathBuf>,
}

/// The attachment of message `id`; an error saying why when there is none.
pub fn find(archive: &Archive, id: &str) -> Result<Attachment, Error> {
    let not_found = || Error::NoAttachment { id: id.to_string() };
    let wanted = u64::from_str_radix(id.trim(), 16)
        .ok()
        .filter(|_| id.trim().len() == 16)
        .ok_or_else(|| Error::NotAnId { id: id.to_string() })?;
    let searcher = archive.searcher();
    let docs = searcher
        .search(&*has_media(archive), &tantivy::collector::DocSetCollector)
        .map_err(crate::index::Error::read)?;
    for addr in docs {
        let reader = searcher.segment_reader(addr.segment_ord);
        let ids = reader
            .fast_fields()
            .u64(crate::index::schema::field::ID)
            .map_err(crate::index::Error::read)?;
        if ids.first(addr.doc_id) != Some(wanted) {
            continue;
        }
        let message = load(archive, &searcher, addr)?.message;
        let source = Sources::load(&archive.dir)
            .of(&message.chat)
            .map(Path::to_path_buf);
        return Ok(Attachment { message, source });
    }
    Err(not_found())
}

/// The attachment's export, opened; an error saying why it cannot be read.
pub fn export_of(a: &Attachment) -> Result<(Export, &str), Error> {
    let name = a
        .message
        .attachment
        .as_deref()
        .ok_or_else(|| Error::LeftOut {
            id: a.message.id.clone(),
        })?;
    let unavailable = |why: Unavailable| Error::Unavailable {
        id: a.message.id.clone(),
        why,
    };
    let source = a
        .source
        .as_deref()
        .ok_or_else(|| unavailable(Unavailable::NoSource))?;
    let export = open_export(source).map_err(unavailable)?;
    export.size(name).map_err(unavailable)?;
    Ok((export, name))
}

/// Copies the attachment's bytes to `out` (`media save`), within the zip limits.
pub fn copy(a: &Attachment, out: &mut dyn Write) -> Result<u64, Error> {
    copy_at_most(a, out, MAX_MEDIA_BYTES)
}

/// [`copy`] of at most `max_bytes` (an image the TUI shows is held in memory).
pub fn copy_at_most(a: &Attachment, out: &mut dyn Write, max_bytes: u64) -> Result<u64, Error> {
    let (export, name) = export_of(a)?;
    export
        .copy(name, out, max_bytes)
        .map_err(|why| Error::Unreadable {
            id: a.message.id.clone(),
            why,
        })
}
