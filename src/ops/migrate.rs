//! Bringing an archive of the previous schema up to date, once, when it is opened: every
//! stored message is indexed again by this version's analyzer (Unicode normalisation, see
//! docs/query-language.md), so old and new documents never answer a query differently.
//!
//! The archive stores every field a document is made of, so no export is needed. The old
//! documents are deleted and the new ones added in one commit: a crash leaves the archive as
//! it was (the next opening starts over) or re-indexed (the version mark is written after
//! the commit, and re-indexing documents of this version gives the same documents). Senders
//! on the opt-out list are left out, which the folded names of this version may now catch.

use super::Error;
use crate::import::media::MediaType;
use crate::import::ParsedMessage;
use crate::index::archive::{Archive, Meta};
use crate::index::files::{restrict_permissions, write_private, META_FILE};
use crate::index::read::Loader;
use crate::index::schema::{secs_to_ts, SCHEMA_VERSION};
use crate::index::words::MessageWords;
use crate::index::writer::{commit, document, wait_for_writer};
use crate::privacy::optout::OptOut;
use tantivy::query::AllQuery;
use tantivy::{DocAddress, IndexWriter};

/// How long opening waits for another whatscope to let go of the writer (it may be doing
/// this same re-index).
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// Re-indexes `archive` (opened from a `schema::REINDEXABLE` schema) and marks it with this
/// version's schema. Tells the user on stderr: it happens once and takes a while.
pub fn reindex(archive: &Archive, meta: &Meta) -> Result<(), Error> {
    let busy = || Error::Busy {
        doing: "using it while it must be re-indexed for this version",
    };
    let mut writer = wait_for_writer(archive, PATIENCE)?.ok_or_else(busy)?;
    if crate::index::archive::read_meta(&archive.dir)?.schema_version == SCHEMA_VERSION {
        // Another whatscope did it while we waited.
        return Ok(archive.reload()?);
    }
    archive.reload()?;
    let total = archive.searcher().num_docs();
    eprintln!(
        "note: re-indexing the archive for this version of whatscope (schema {} to {SCHEMA_VERSION}, {}); this happens once",
        meta.schema_version,
        crate::output::count(total, "message")
    );
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    // Deletes apply to the documents added before them: the new ones stay.
    writer
        .delete_query(Box::new(AllQuery))
        .map_err(crate::index::Error::read)?;
    copy_documents(archive, &writer)?;
    commit(
        archive,
        &mut writer,
        "re-index the archive",
        "the archive stays as it was, and the next whatscope to open it tries again",
    )?;
    archive.reload()?;
    // One segment of new documents: nothing of the old index is left on disk.
    super::forget::compact(archive, writer)?;
    let updated = Meta {
        schema_version: SCHEMA_VERSION,
        ..meta.clone()
    };
    let json = serde_json::to_vec_pretty(&updated)?;
    write_private(&archive.dir.join(META_FILE), &json)?;
    restrict_permissions(&archive.dir);
    Ok(())
}

/// Adds a document of this version for every live stored message, but those of opted-out
/// senders.
fn copy_documents(archive: &Archive, writer: &IndexWriter) -> Result<(), Error> {
    let optout = OptOut::load(&archive.dir)?;
    let secret = match optout.is_empty() {
        true => None,
        false => crate::privacy::secret::load(&archive.dir)?,
    };
    let opted_out = |sender: &str| secret.as_ref().is_some_and(|s| optout.contains(s, sender));
    let searcher = archive.searcher();
    let mut loader = Loader::new(archive, &searcher);
    let mut words = MessageWords::default();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for doc_id in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc_id)) {
                continue;
            }
            let stored = loader.load(DocAddress::new(segment_ord as u32, doc_id))?;
            let m = &stored.message;
            if m.sender.as_deref().is_some_and(opted_out) {
                continue;
            }
            let id = u64::from_str_radix(&m.id, 16).map_err(crate::index::Error::read)?;
            let parsed = ParsedMessage {
                line: stored.line as usize,
                lines: 1,
                ts: secs_to_ts(stored.secs),
                sender: m.sender.as_deref(),
                kind: m.kind,
                text: &m.text,
                attachment: m.attachment.as_deref(),
                edited: m.edited,
            };
            // The stored text as it is: a text cut at import keeps its marker. An attachment's
            // type comes from its name (the placeholder of one left out is not stored).
            let media = MediaType::of_message(m.kind, m.attachment.as_deref(), None);
            let doc = document(archive.fields, &m.chat, id, parsed, None, media, &mut words);
            writer
                .add_document(doc)
                .map_err(crate::index::Error::read)?;
        }
    }
    Ok(())
}
