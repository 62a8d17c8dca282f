//! Forgetting a person (docs/privacy.md, GDPR art. 17 and 21, docs/reliability.md, V12–V16).
//!
//! `forget` takes the writer, marks the erasure as unfinished (`erase.pending`), records the
//! opt-out (so an interrupted run still keeps them out of later imports), deletes every
//! message whose sender is that person (any stored spelling of the name: same normalised
//! form), commits, merges every segment into one so the deleted documents are rewritten
//! away, then collects the files of the old segments, checks that nothing of theirs is left
//! in the index (no document, no deleted-but-stored document, no file of an old segment),
//! and removes the mark. A run killed after the mark is finished by the next whatscope that
//! opens the archive, before it shows anything (docs/reliability.md, D11): the opt-out list is
//! the record of whom to erase.
//!
//! What it does not erase, on purpose: other people's messages that mention or quote the
//! person, and the system lines WhatsApp wrote about them ("Maya added Jonas", "Jonas
//! left"): those are other people's words and the chat's history, and erasure is of
//! the person's own messages (docs/privacy.md). The count of such messages is reported, and anonymized output
//! masks the name in them. Nor can it reach copies outside whatscope (the export itself,
//! backups, snapshots, SSD blocks): see docs/privacy.md.
//!
//! Statistics: opting out and erasing are one step here (there is no "hidden but kept"
//! state), so every total is computed from the messages that remain, and no difference of
//! totals can reveal the erased person (docs/reliability.md, V7, V16).

use super::Error;
use crate::faults::crash_point;
use crate::index::analyzer::analyzer;
use crate::index::archive::Archive;
use crate::index::files::{restrict_permissions, write_private, ERASE_MARKER};
use crate::index::writer::{open_writer, wait_for_writer};
use crate::privacy::optout::OptOut;
use crate::privacy::pseudonym::normalise_name;
use crate::privacy::secret;
use std::collections::HashSet;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{IndexWriter, Term};

/// What `forget` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    /// Stored spellings of the name whose messages were erased.
    pub spellings: Vec<String>,
    /// Messages erased.
    pub erased: u64,
    /// False when the person was already opted out.
    pub newly_opted_out: bool,
    /// Messages still naming the person (others' messages, system lines): not erased.
    pub mentions: u64,
    /// Files of old segments another process still holds (removed at the next compaction).
    pub pending_files: usize,
}

/// The stored sender names that are `name`'s person: the same normalised form (any case,
/// spaces, invisible marks; phone numbers by their digits) as `name` or as any name merged
/// with it (`whatscope people merge`).
pub fn spellings(archive: &Archive, name: &str) -> Result<Vec<String>, Error> {
    if normalise_name(name).is_empty() {
        return Ok(Vec::new());
    }
    // Every name of the person `name` belongs to, when the user merged names.
    let wanted: Vec<String> = crate::people::People::load(&archive.dir)?
        .names_of(name)
        .iter()
        .map(|n| normalise_name(n))
        .collect();
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?;
    let mut out: Vec<String> = names
        .senders()
        .filter(|s| wanted.contains(&normalise_name(s)))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The senders closest to `name`, closest first: suggestions when `name` matches nobody.
/// Names are compared as everywhere (NFKC, case and accents folded); a sender is close when
/// it shares a word with `name` or is a few edits away from it (a typo).
pub fn suggestions(archive: &Archive, name: &str) -> Result<Vec<String>, Error> {
    let want = normalise_name(name);
    if want.is_empty() {
        return Ok(Vec::new());
    }
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?;
    let mut close: Vec<(usize, String)> = names
        .senders()
        .filter_map(|s| name_distance(&want, &normalise_name(&s)).map(|d| (d, s)))
        .collect();
    close.sort();
    close.dedup_by(|a, b| a.1 == b.1);
    Ok(close.into_iter().take(5).map(|(_, s)| s).collect())
}

/// How far a sender's compared name is from the wanted one, or `None` when it is not close:
/// 0 when they share a word, else the edit distance when it is at most a third of the
/// longer name (at least 1, at most 3).
fn name_distance(want: &str, sender: &str) -> Option<usize> {
    if sender.split(' ').any(|w| want.split(' ').any(|v| v == w)) {
        return Some(0);
    }
    let longer = want.chars().count().max(sender.chars().count());
    let allowed = (longer / 3).clamp(1, 3);
    let d = edit_distance(want, sender);
    (d <= allowed).then_some(d)
}

/// Levenshtein distance over characters (names are short: the plain two-row version).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// The query for every message sent under these names.
pub fn sender_query(archive: &Archive, spellings: &[String]) -> Box<dyn Query> {
    let terms: Vec<Box<dyn Query>> = spellings
        .iter()
        .map(|s| {
            Box::new(TermQuery::new(
                Term::from_field_text(archive.fields.sender_raw, s),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>
        })
        .collect();
    Box::new(BooleanQuery::union(terms))
}

/// How many messages these names sent.
pub fn count_messages(archive: &Archive, spellings: &[String]) -> Result<u64, Error> {
    if spellings.is_empty() {
        return Ok(0);
    }
    let q = sender_query(archive, spellings);
    Ok(archive
        .searcher()
        .search(&*q, &Count)
        .map_err(crate::index::Error::read)? as u64)
}

/// The query for messages whose text names `name` (its words in a row).
pub fn mention_query(archive: &Archive, name: &str) -> Option<Box<dyn Query>> {
    let field = archive.fields.text;
    let mut a = analyzer();
    let mut stream = a.token_stream(name);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(Term::from_field_text(field, &stream.token().text));
    }
    match terms.len() {
        0 => None,
        1 => terms
            .pop()
            .map(|t| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Messages (of anyone) whose text names `name`.
pub fn count_mentions(archive: &Archive, name: &str) -> Result<u64, Error> {
    match mention_query(archive, name) {
        Some(q) => Ok(archive
            .searcher()
            .search(&*q, &Count)
            .map_err(crate::index::Error::read)? as u64),
        None => Ok(0),
    }
}

const MARKER_TEXT: &str = "whatscope: an erasure (`whatscope forget`) has not finished; \
the next whatscope to open the archive finishes it.\n";

/// How long opening the archive waits for another whatscope to let go of the writer when an
/// erasure must be finished first (that whatscope may be the erasure itself, still running).
const RESUME_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Erases `name`'s messages for good and records the opt-out (see the module docs).
///
/// Crash safety (catalog D11): the erase marker goes first, then the opt-out; from then on
/// a crash at any point leaves work that the next opening of the archive completes, and
/// nothing of the person is shown before it has.
pub fn forget(archive: &Archive, name: &str) -> Result<Erasure, Error> {
    if normalise_name(name).is_empty() {
        return Err(Error::EmptyName);
    }
    let secret = secret::require(&archive.dir)?;
    // The writer first: when another whatscope is busy with the archive, nothing changes.
    let writer = open_writer(archive)?;
    write_private(&archive.dir.join(ERASE_MARKER), MARKER_TEXT.as_bytes())?;
    crash_point("after-erase-marker");
    // A person merged under several names is forgotten under every one of them.
    let mut people = crate::people::People::load(&archive.dir)?;
    let every_name = people.names_of(name);
    let mut list = OptOut::load(&archive.dir)?;
    let newly_opted_out = every_name.iter().any(|n| !list.contains(&secret, n));
    // Also when an earlier version's entry is completed with the folded one.
    let mut added = false;
    for n in &every_name {
        added |= list.add(&secret, n);
    }
    if added {
        list.save(&archive.dir)?;
    }
    crash_point("after-optout");

    // Another whatscope may have committed since the archive was opened.
    archive.reload()?;
    let spellings = spellings(archive, name)?;
    let erased = count_messages(archive, &spellings)?;
    let pending_files = erase(archive, writer, &spellings)?;
    let mut mentions = 0;
    for n in &every_name {
        mentions += count_mentions(archive, n)?;
    }
    // The merge named the person: it goes with them, kept only as their opt-out entries.
    people.forget_person_of(name, |n| OptOut::entry_of(&secret, n));
    people.save(&archive.dir)?;
    Ok(Erasure {
        spellings,
        erased,
        newly_opted_out,
        mentions,
        pending_files,
    })
}

/// Finishes an erasure that a crash (or a full disk) interrupted, if the erase marker says
/// there is one: every sender still in the archive whose name is on the opt-out list is
/// erased, the segments compacted and collected, the result verified, the marker removed.
///
/// Called whenever the archive is opened. Waits a little when another whatscope holds the
/// writer, and fails rather than show the archive when it keeps holding it.
pub fn finish_interrupted(archive: &Archive) -> Result<(), Error> {
    let marker = archive.dir.join(ERASE_MARKER);
    if !marker.exists() {
        return Ok(());
    }
    let busy = || Error::Busy {
        doing: "erasing a participant",
    };
    let writer = wait_for_writer(archive, RESUME_PATIENCE)?.ok_or_else(busy)?;
    if !marker.exists() {
        // The whatscope that held the writer was the erasure, and it has finished.
        return Ok(());
    }
    archive.reload()?;
    let list = OptOut::load(&archive.dir)?;
    let spellings = match secret::load(&archive.dir)? {
        Some(secret) if !list.is_empty() => {
            let names = crate::index::query::Names::from_searcher(&archive.searcher())
                .map_err(crate::index::Error::read)?;
            let mut out: Vec<String> = names
                .senders()
                .filter(|s| list.contains(&secret, s))
                .collect();
            out.sort();
            out.dedup();
            out
        }
        // Nothing recorded yet (the crash came before the opt-out): only the compaction.
        _ => Vec::new(),
    };
    erase(archive, writer, &spellings)?;
    Ok(())
}

/// Deletes the messages of `spellings`, commits, compacts, verifies, and removes the erase
/// marker. Returns how many old files another process still holds.
fn erase(archive: &Archive, mut writer: IndexWriter, spellings: &[String]) -> Result<usize, Error> {
    // Our merge takes every segment: no background merge may hold one.
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    for s in spellings {
        writer.delete_term(Term::from_field_text(archive.fields.sender_raw, s));
    }
    crate::index::writer::commit(
        archive,
        &mut writer,
        "erase the messages",
        "the person stays opted out and hidden, and the erasure finishes when the archive is next opened",
    )?;
    crash_point("after-delete-commit");
    archive.reload()?;
    let pending_files = compact(archive, writer)?;
    verify(archive, spellings)?;
    std::fs::remove_file(archive.dir.join(ERASE_MARKER))
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        })
        .map_err(|source| Error::EraseMarker {
            marker: ERASE_MARKER,
            source,
        })?;
    Ok(pending_files)
}

/// Merges every segment into one (dropping deleted documents) and removes the files of
/// the old segments. Returns how many old files are still there (held by another process).
pub fn compact(archive: &Archive, mut writer: IndexWriter) -> Result<usize, Error> {
    let fail = |what: &str, e: tantivy::TantivyError| {
        crate::index::writer::write_error(
            &archive.dir,
            &format!("{what} the archive"),
            "nothing is lost, the archive stays as last committed",
            e,
        )
    };
    let ids = archive
        .index
        .searchable_segment_ids()
        .map_err(|e| fail("read", e))?;
    crash_point("before-merge");
    if !ids.is_empty() {
        writer.merge(&ids).wait().map_err(|e| fail("merge", e))?;
    }
    writer
        .wait_merging_threads()
        .map_err(|e| fail("merge", e))?;
    crash_point("before-gc");
    // Our own reader still maps the old segments; let go of them before collecting.
    archive.reload()?;
    let writer = open_writer(archive)?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| fail("clean up", e))?;
    drop(writer);
    crash_point("after-gc");
    restrict_permissions(&archive.dir);
    stale_segment_files(archive)
}

/// Files in the index folder that belong to no live segment.
fn stale_segment_files(archive: &Archive) -> Result<usize, Error> {
    let live: HashSet<String> = archive
        .index
        .searchable_segment_ids()
        .map_err(crate::index::Error::read)?
        .iter()
        .map(|id| id.uuid_string())
        .collect();
    let dir = archive.dir.join("index");
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::List {
        dir: dir.clone(),
        source,
    })?;
    let mut stale = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, _)) = name.split_once('.') else {
            continue;
        };
        if stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && !live.contains(stem) {
            stale += 1;
        }
    }
    Ok(stale)
}

/// After an erasure: no document of theirs, and no deleted document kept in any segment.
fn verify(archive: &Archive, spellings: &[String]) -> Result<(), Error> {
    let left = count_messages(archive, spellings)?;
    let searcher = archive.searcher();
    let deleted: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.num_deleted_docs()))
        .sum();
    if left > 0 || deleted > 0 {
        return Err(Error::EraseIncomplete {
            messages: left,
            deleted,
        });
    }
    Ok(())
}

/// Lifts `name`'s opt-out; false when they were not opted out.
pub fn undo(archive: &Archive, name: &str) -> Result<bool, Error> {
    let mut list = OptOut::load(&archive.dir)?;
    if list.is_empty() {
        return Ok(false);
    }
    let secret = secret::require(&archive.dir)?;
    let mut removed = list.remove(&secret, name);
    // A person forgotten under several merged names comes back under all of them; the next
    // import makes them one person again (`people::People::restore`).
    let people = crate::people::People::load(&archive.dir)?;
    for entry in people.forgotten_with(&OptOut::entry_of(&secret, name)) {
        removed |= list.remove_entry(&entry);
    }
    if removed {
        list.save(&archive.dir)?;
    }
    Ok(removed)
}

/// Whether `name` is opted out.
pub fn is_opted_out(archive: &Archive, name: &str) -> Result<bool, Error> {
    let list = OptOut::load(&archive.dir)?;
    if list.is_empty() {
        return Ok(false);
    }
    Ok(list.contains(&secret::require(&archive.dir)?, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("nobody", "nobody"), 0);
        assert_eq!(edit_distance("jonas", "jnoas"), 2);
        assert_eq!(edit_distance("maya lopez", "maya lopes"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("zoë", "zoe"), 1);
    }

    #[test]
    fn close_names_share_a_word_or_are_a_typo_away() {
        assert_eq!(name_distance("maya", "maya lopez"), Some(0));
        assert_eq!(name_distance("maya lopes", "maya lopez"), Some(0));
        assert_eq!(name_distance("jonas beker", "jonas becker"), Some(0));
        assert_eq!(name_distance("jonaz", "jonas"), Some(1));
        assert_eq!(name_distance("rita alvez", "rita alves"), Some(0));
        assert_eq!(name_distance("ritaalvez", "rita alves"), Some(2));
        assert_eq!(name_distance("nobody", "rita alves"), None);
    }
}
