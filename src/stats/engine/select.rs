//! Which documents a scope picks, found before any column is decoded: a chat's or a
//! sender's documents from the postings of their `chat_raw` / `sender_raw` terms, a query's
//! from its matches, every alive document for the whole archive.

use super::*;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// One segment's chat and sender columns and their term ordinals as archive-wide ids.
pub(super) struct SegIds {
    pub(super) chat_col: Option<StrColumn>,
    pub(super) sender_col: Option<StrColumn>,
    pub(super) chat_ids: Vec<u32>,
    pub(super) sender_ids: Vec<u32>,
}

impl SegIds {
    /// Interns the segment's chat and sender dictionaries (no document is read).
    pub(super) fn open(
        reader: &SegmentReader,
        chats: &mut Interner,
        senders: &mut Interner,
    ) -> Result<SegIds, Error> {
        let ff = reader.fast_fields();
        let chat_col = ff.str(field::CHAT_RAW).map_err(crate::index::Error::read)?;
        let chat_ids = match &chat_col {
            Some(col) => ord_ids(col, chats)?,
            None => Vec::new(),
        };
        let sender_col = ff
            .str(field::SENDER_RAW)
            .map_err(crate::index::Error::read)?;
        let sender_ids = match &sender_col {
            Some(col) => ord_ids(col, senders)?,
            None => Vec::new(),
        };
        Ok(SegIds {
            chat_col,
            sender_col,
            chat_ids,
            sender_ids,
        })
    }

    /// The chat ids of the sorted documents `docs`, into `out` (`NONE` for none).
    pub(super) fn chats_of(&self, docs: &[DocId], ords: &mut Vec<u64>, out: &mut Vec<u32>) {
        ids_of(self.chat_col.as_ref(), &self.chat_ids, docs, ords, out);
    }

    /// The sender ids of the sorted documents `docs`, into `out` (`NONE` for none).
    pub(super) fn senders_of(&self, docs: &[DocId], ords: &mut Vec<u64>, out: &mut Vec<u32>) {
        ids_of(self.sender_col.as_ref(), &self.sender_ids, docs, ords, out);
    }
}

fn ids_of(
    col: Option<&StrColumn>,
    ids: &[u32],
    docs: &[DocId],
    ords: &mut Vec<u64>,
    out: &mut Vec<u32>,
) {
    out.clear();
    let Some(col) = col else {
        out.resize(docs.len(), NONE);
        return;
    };
    gather(col.ords(), docs, u64::MAX, ords);
    out.extend(
        ords.iter()
            .map(|ord| ids.get(*ord as usize).copied().unwrap_or(NONE)),
    );
}

/// The documents of one segment in scope: alive, in the scope's chat, of its sender,
/// matching its query; system messages included.
pub(super) enum Selection {
    /// Every alive document (no part of the scope narrows it).
    All,
    /// These, ascending.
    Docs(Vec<DocId>),
}

impl Selection {
    pub(super) fn len(&self, reader: &SegmentReader) -> usize {
        match self {
            Selection::All => reader.num_docs() as usize,
            Selection::Docs(docs) => docs.len(),
        }
    }
}

/// Picks each segment's documents in scope from postings and the query's matches.
pub(super) fn select(
    readers: &[SegmentReader],
    fields: &Fields,
    segs: &[SegIds],
    want: &Wanted,
    matches: Option<PerSegment>,
) -> Result<Vec<Selection>, Error> {
    let mut matches = matches.map(|m| m.into_iter());
    let mut out = Vec::with_capacity(readers.len());
    for (reader, seg) in readers.iter().zip(segs) {
        let mut docs: Option<Vec<DocId>> = matches.as_mut().map(|m| m.next().unwrap_or_default());
        if let Some(chat) = want.chat {
            let of_chat = docs_of_id(
                reader,
                fields.chat_raw,
                seg.chat_col.as_ref(),
                &seg.chat_ids,
                chat,
            )?;
            docs = Some(narrow(docs, of_chat));
        }
        if let Some(sender) = want.sender {
            let of_sender = docs_of_id(
                reader,
                fields.sender_raw,
                seg.sender_col.as_ref(),
                &seg.sender_ids,
                sender,
            )?;
            docs = Some(narrow(docs, of_sender));
        }
        out.push(match docs {
            None => Selection::All,
            Some(mut docs) => {
                if let Some(alive) = reader.alive_bitset() {
                    docs.retain(|d| alive.is_alive(*d));
                }
                Selection::Docs(docs)
            }
        });
    }
    Ok(out)
}

/// A segment of which at least one document in this many is picked has its every chat
/// walked (see [`chats_in_scope`]): at worst the walk reads this many times the picked
/// documents, and it spares a chat lookup per picked document.
const EVERY_CHAT_RATIO: usize = 4;

/// The chats holding a document in scope (ascending ids), and per segment the documents in
/// scope without a chat (almost always none): the chats are walked whole, their documents in
/// scope summed on the way (`timeline`); the others are summed alone (`sum`).
pub(super) fn chats_in_scope(
    readers: &[SegmentReader],
    segs: &[SegIds],
    selections: &[Selection],
) -> (Vec<u32>, Vec<Selection>) {
    let mut in_scope: Vec<bool> = Vec::new();
    let mut mark = |id: u32| {
        let i = id as usize;
        if i >= in_scope.len() {
            in_scope.resize(i + 1, false);
        }
        in_scope[i] = true;
    };
    let mut without_chat = Vec::with_capacity(readers.len());
    let (mut ords, mut chats) = (Vec::new(), Vec::new());
    for ((reader, seg), selection) in readers.iter().zip(segs).zip(selections) {
        let mut none = Vec::new();
        match selection {
            // A big part of a segment picked (the archive's owner, in every chat): every chat
            // of the segment is taken as in scope rather than each picked document's chat
            // looked up. Walking a chat without a picked message changes no figure (the walk
            // counts only chats with a picked message with a sender).
            Selection::Docs(docs)
                if docs.len().saturating_mul(EVERY_CHAT_RATIO) >= reader.num_docs() as usize
                    && seg.every_doc_has_a_chat() =>
            {
                seg.chat_ids
                    .iter()
                    .filter(|id| **id != NONE)
                    .for_each(|id| mark(*id));
            }
            Selection::Docs(docs) => {
                for block in docs.chunks(4096) {
                    seg.chats_of(block, &mut ords, &mut chats);
                    for (doc, chat) in block.iter().zip(&chats) {
                        match *chat {
                            NONE => none.push(*doc),
                            id => mark(id),
                        }
                    }
                }
            }
            Selection::All => {
                seg.chat_ids
                    .iter()
                    .filter(|id| **id != NONE)
                    .for_each(|id| mark(*id));
                if !seg.every_doc_has_a_chat() {
                    none = seg.docs_without_chat(reader);
                }
            }
        }
        without_chat.push(Selection::Docs(none));
    }
    let chats = (0u32..)
        .zip(in_scope)
        .filter(|(_, t)| *t)
        .map(|(c, _)| c)
        .collect();
    (chats, without_chat)
}

impl SegIds {
    /// Whether every document of the segment has a chat (cheap: from the column's index and
    /// dictionary, no document read).
    fn every_doc_has_a_chat(&self) -> bool {
        self.chat_col.as_ref().is_some_and(|col| {
            matches!(col.ords().index, tantivy::columnar::ColumnIndex::Full)
                && !self.chat_ids.contains(&NONE)
        })
    }

    /// The alive documents of the segment without a chat, ascending.
    fn docs_without_chat(&self, reader: &SegmentReader) -> Vec<DocId> {
        let alive = reader.alive_bitset();
        let mut out = Vec::new();
        let (mut docs, mut ords, mut chats) = (Vec::new(), Vec::new(), Vec::new());
        for start in (0..reader.max_doc()).step_by(4096) {
            docs.clear();
            docs.extend(start..start.saturating_add(4096).min(reader.max_doc()));
            self.chats_of(&docs, &mut ords, &mut chats);
            out.extend(
                docs.iter()
                    .zip(&chats)
                    .filter(|(d, c)| **c == NONE && alive.is_none_or(|a| a.is_alive(**d)))
                    .map(|(d, _)| *d),
            );
        }
        out
    }
}

/// `docs` narrowed to those also in `other` (both ascending); `other` when `docs` is `None`.
fn narrow(docs: Option<Vec<DocId>>, other: Vec<DocId>) -> Vec<DocId> {
    let Some(mut docs) = docs else {
        return other;
    };
    let mut it = other.iter().peekable();
    docs.retain(|d| {
        while it.next_if(|o| **o < *d).is_some() {}
        it.peek().is_some_and(|o| **o == *d)
    });
    docs
}

/// Every document (alive or not, ascending) whose value of a string field has the
/// archive-wide `id`: the postings of each of the segment's spellings of it.
pub(super) fn docs_of_id(
    reader: &SegmentReader,
    field: Field,
    col: Option<&StrColumn>,
    ids: &[u32],
    id: u32,
) -> Result<Vec<DocId>, Error> {
    let Some(col) = col else {
        return Ok(Vec::new());
    };
    let ords: Vec<u64> = (0u64..)
        .zip(ids)
        .filter(|(_, i)| **i == id)
        .map(|(o, _)| o)
        .collect();
    if ords.is_empty() {
        return Ok(Vec::new());
    }
    let index = reader
        .inverted_index(field)
        .map_err(crate::index::Error::read)?;
    let mut docs = Vec::new();
    for name in resolve(col, &ords)? {
        let term = Term::from_field_text(field, &name);
        // A block of documents at a time, not one: a chat's or a sender's are often
        // millions. One allocation for them, not a doubling and a copy at every power of two.
        let Some(mut postings) = index
            .read_block_postings(&term, IndexRecordOption::Basic)
            .map_err(crate::index::Error::read)?
        else {
            continue;
        };
        docs.reserve(postings.doc_freq() as usize);
        loop {
            let block = postings.docs();
            if block.is_empty() {
                break;
            }
            docs.extend_from_slice(block);
            postings.advance();
        }
    }
    if ords.len() > 1 {
        docs.sort_unstable();
        docs.dedup();
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::narrow;

    #[test]
    fn narrowing_keeps_the_common_documents() {
        assert_eq!(narrow(None, vec![1, 4]), vec![1, 4]);
        assert_eq!(
            narrow(Some(vec![0, 1, 3, 4, 9]), vec![1, 2, 4, 5, 9, 10]),
            vec![1, 4, 9]
        );
        assert_eq!(narrow(Some(vec![3]), Vec::new()), Vec::<u32>::new());
    }
}
