//! `media_types` (docs/statistics.md): how many attachments of each type the counted
//! messages hold, overall and per participant ("who sends the photos, who the voice notes"),
//! read from the `has` field's `media-TYPE` postings (`index::media`), so only the messages
//! with an attachment are touched.

use super::{Error, Stats};
use crate::import::media::MediaType;
use crate::index::media::type_term;
use crate::index::schema::Fields;
use crate::people::Interner;
use std::collections::BTreeMap;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, SegmentReader};

/// Counts per type (index: `MediaType::code() - 1`), overall and per sender id.
#[derive(Default)]
pub(super) struct MediaCounts {
    overall: [u64; MediaType::ALL.len()],
    per_sender: Vec<[u64; MediaType::ALL.len()]>,
}

impl MediaCounts {
    /// Counts one attachment of type `code` (a [`MediaType::code`], not 0) sent by `who`.
    pub(super) fn add(&mut self, code: u8, who: u32) {
        let Some(slot) = usize::from(code).checked_sub(1) else {
            return;
        };
        let Some(n) = self.overall.get_mut(slot) else {
            return;
        };
        *n += 1;
        let who = who as usize;
        if who >= self.per_sender.len() {
            self.per_sender.resize(who + 1, [0; MediaType::ALL.len()]);
        }
        self.per_sender[who][slot] += 1;
    }

    /// Adds counts made on another thread.
    pub(super) fn merge(&mut self, other: MediaCounts) {
        for (a, b) in self.overall.iter_mut().zip(other.overall) {
            *a += b;
        }
        if other.per_sender.len() > self.per_sender.len() {
            self.per_sender
                .resize(other.per_sender.len(), [0; MediaType::ALL.len()]);
        }
        for (mine, theirs) in self.per_sender.iter_mut().zip(other.per_sender) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// Writes the counts into the statistics, each participant's by their sender id's name.
    pub(super) fn finish(self, stats: &mut Stats, senders: &Interner) {
        stats.media_types = as_map(&self.overall);
        for (id, counts) in self.per_sender.iter().enumerate() {
            let Some(name) = senders.names.get(id) else {
                continue;
            };
            if let Some(p) = stats.participants.iter_mut().find(|p| &p.name == name) {
                p.media_types = as_map(counts);
            }
        }
    }
}

/// One segment's documents with an attachment, ascending, with its type (as
/// `index::media::types_of_segment` gives it, the last type of `MediaType::ALL` winning), read
/// from the `media-TYPE` postings: a list of the few such documents, not a byte per document.
pub(super) struct SegmentMedia {
    docs: Vec<(DocId, u8)>,
}

impl SegmentMedia {
    pub(super) fn open(reader: &SegmentReader, fields: &Fields) -> Result<SegmentMedia, Error> {
        let index = reader
            .inverted_index(fields.has)
            .map_err(crate::index::Error::read)?;
        let mut docs = Vec::new();
        for t in MediaType::ALL {
            let Some(mut postings) = index
                .read_block_postings(&type_term(fields, t), IndexRecordOption::Basic)
                .map_err(crate::index::Error::read)?
            else {
                continue;
            };
            // A block of documents at a time.
            loop {
                let block = postings.docs();
                if block.is_empty() {
                    break;
                }
                docs.extend(block.iter().map(|d| (*d, t.code() as u8)));
                postings.advance();
            }
        }
        // Stable: a document under several types keeps them in `ALL` order; the last wins.
        docs.sort_by_key(|(d, _)| *d);
        let mut last: Vec<(DocId, u8)> = Vec::with_capacity(docs.len());
        for (d, code) in docs {
            match last.last_mut() {
                Some((prev, c)) if *prev == d => *c = code,
                _ => last.push((d, code)),
            }
        }
        Ok(SegmentMedia { docs: last })
    }

    /// A cursor for ascending lookups from document `first` on.
    pub(super) fn from(&self, first: DocId) -> MediaCursor<'_> {
        let at = self.docs.partition_point(|(d, _)| *d < first);
        MediaCursor {
            rest: self.docs.get(at..).unwrap_or(&[]),
        }
    }
}

/// Walks a segment's attachments alongside ascending document ids.
pub(super) struct MediaCursor<'a> {
    rest: &'a [(DocId, u8)],
}

impl MediaCursor<'_> {
    /// The attachment type of `doc` (ids asked in ascending order), `None` for none.
    pub(super) fn type_of(&mut self, doc: DocId) -> Option<u8> {
        while let Some(((d, code), rest)) = self.rest.split_first() {
            if *d > doc {
                return None;
            }
            self.rest = rest;
            if *d == doc && *code != 0 {
                return Some(*code);
            }
        }
        None
    }
}

/// `{type: count}` of the types present.
fn as_map(counts: &[u64; MediaType::ALL.len()]) -> BTreeMap<String, u64> {
    MediaType::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| (t.as_str().to_string(), *n))
        .collect()
}
