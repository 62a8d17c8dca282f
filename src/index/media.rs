//! Media in the archive (docs/media.md): each attachment's type, stored as a `media-TYPE`
//! term of the `has` field (read back per segment from its postings, so counting types
//! touches only the messages that have one), and `sources.json`, where each chat's
//! attachments can be read from.

use super::archive::Archive;
use super::error::Error;
use super::files::{write_private, SOURCES_FILE};
use super::schema::Fields;
use crate::import::media::MediaType;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, SegmentReader, Term, TERMINATED};

/// The `has` value a message of this attachment type is indexed with: `media-image`,
/// `media-voice`, ….
pub fn has_value(t: MediaType) -> String {
    format!("media-{}", t.as_str())
}

/// The `has` term of a type.
pub fn type_term(f: &Fields, t: MediaType) -> Term {
    Term::from_field_text(f.has, &has_value(t))
}

/// A query for the messages whose attachment is of type `t`.
pub fn type_query(f: &Fields, t: MediaType) -> Box<dyn tantivy::query::Query> {
    Box::new(TermQuery::new(type_term(f, t), IndexRecordOption::Basic))
}

/// Every document's attachment type in one segment, as [`MediaType::code`] (0: none).
pub fn types_of_segment(reader: &SegmentReader, f: &Fields) -> Result<Vec<u8>, Error> {
    let mut out = vec![0u8; reader.max_doc() as usize];
    let index = reader.inverted_index(f.has).map_err(Error::read)?;
    for t in MediaType::ALL {
        let Some(mut postings) = index
            .read_postings(&type_term(f, t), IndexRecordOption::Basic)
            .map_err(Error::read)?
        else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if let Some(slot) = out.get_mut(doc as usize) {
                *slot = t.code() as u8;
            }
            doc = postings.advance();
        }
    }
    Ok(out)
}

/// `sources.json`: per chat, the absolute path of the export (zip or folder) its
/// attachments are read from, as the last import of the chat found it.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Sources {
    pub chats: BTreeMap<String, PathBuf>,
}

impl Sources {
    /// The recorded sources; none when the file is missing or unreadable (attachments are
    /// then reported unavailable, never an error).
    pub fn load(dir: &Path) -> Sources {
        std::fs::read(dir.join(SOURCES_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Where the attachments of `chat` are read from.
    pub fn of(&self, chat: &str) -> Option<&Path> {
        self.chats.get(chat).map(PathBuf::as_path)
    }

    /// Records where the chats just imported came from; a chat imported from standard input
    /// keeps what it had.
    pub fn record(archive: &Archive, imported: &[(String, Option<PathBuf>)]) -> Result<(), Error> {
        let mut sources = Sources::load(&archive.dir);
        let mut changed = false;
        for (chat, source) in imported {
            if let Some(source) = source {
                changed |= sources.chats.get(chat) != Some(source);
                sources.chats.insert(chat.clone(), source.clone());
            }
        }
        if !changed {
            return Ok(());
        }
        sources.save(&archive.dir)
    }

    pub fn save(&self, dir: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec_pretty(self).map_err(Error::read)?;
        write_private(&dir.join(SOURCES_FILE), &json)
    }
}
