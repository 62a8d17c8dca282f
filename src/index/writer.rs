//! Import: exports into the archive in one commit, so an interrupted import leaves the
//! archive exactly as it was. Messages are keyed by id, so re-importing adds nothing and a
//! newer, overlapping export of a chat adds only what is new.

use super::archive::{is_disk_full, is_permission_denied, Archive};
use super::build;
pub use super::document::{cut_marker, cut_to_limit, document};
use super::error::Error;
use super::files::restrict_permissions;
use super::known::KnownIds;
use super::schema::{field, Fields};
use crate::faults::crash_point;
use crate::import::{self, source::Limits, ParseOptions};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::IndexWriter;

/// How an import reads its inputs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub chat: Option<String>,
    pub parse: ParseOptions,
    pub limits: Limits,
    /// Longest message text stored, in bytes (`--max-message-kib`); a longer one is kept cut
    /// to this size with a marker, and the import report names its line.
    pub max_message_bytes: usize,
}

/// Default of `--max-message-kib`, in KiB. WhatsApp caps a message at 65 536 characters,
/// at most 256 KiB in UTF-8, so no genuine message is ever cut; a bigger "message" is a
/// damaged or hostile export, and keeping it whole would cost every later `search`, `log`
/// and TUI view memory in proportion (docs/reliability.md, A4).
pub const DEFAULT_MAX_MESSAGE_KIB: usize = 256;

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            chat: None,
            parse: ParseOptions::default(),
            limits: Limits::default(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_KIB << 10,
        }
    }
}

/// What happened to one file (docs/cli.md `import --json`, plus details for people).
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub chat: String,
    /// Where the chat's name came from: `--chat`, `file name`, `folder`, `zip`, `attributed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_name_from: Option<crate::import::chatname::ChatNameFrom>,
    pub format: String,
    pub added: u64,
    pub duplicates: u64,
    pub skipped_lines: Vec<usize>,
    pub messages: u64,
    pub date_order: String,
    pub date_order_reason: String,
    pub opted_out: u64,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How to fix the error, where something helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where the chat's attachments are read from later (`index::media::Sources`).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub added: u64,
    pub duplicates: u64,
    /// What the folders held that was not read (FIFOs, unreadable folders), one line each.
    pub warnings: Vec<String>,
    /// Folders given that held no chat export.
    pub no_exports_in: Vec<String>,
}

/// Progress as an import goes: exports read and messages looked at. `Sync`: the threads that
/// build documents report as they go.
pub trait Progress: Sync {
    /// The import is about to read `files` exports of `bytes` bytes in all.
    fn begin(&self, _files: u64, _bytes: u64) {}
    /// An export is parsed: `messages` to look at, from `bytes` bytes of input.
    fn file(&self, _display: &str, _messages: u64, _bytes: u64) {}
    /// `messages` more were looked at (added, duplicate or opted out).
    fn advance(&self, _messages: u64) {}
    /// An export is done with, imported or failed.
    fn file_done(&self) {}
    /// Every export is read; the import is being saved (the commit, then merging).
    fn saving(&self) {}
    /// Whether the import should stop (Ctrl-C): asked between batches and before the
    /// commit; once it says yes, nothing of this import is saved.
    fn cancelled(&self) -> bool {
        false
    }
}

impl Progress for () {}

const WRITER_MEMORY: usize = 256 << 20;

/// Segments with this many documents or more are not merged any more.
///
/// A merge reads its segments through memory maps, which count as the process's resident
/// memory: merging all of a 10 M-message import (18 segments into 3) took its peak from about
/// 1.0 to 1.6 GB. Under this bound a merge reads at most eight segments of under 250 000
/// messages (about 200 MB of index); a big import's own segments (some 500 000 messages each)
/// stay as they are, and many small imports' segments are still merged together.
const MERGE_MAX_DOCS: usize = 250_000;

fn merge_policy() -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_MAX_DOCS);
    policy
}

/// Opens the archive's single writer; a second whatscope gets a clear "busy" error.
pub fn open_writer(archive: &Archive) -> Result<IndexWriter, Error> {
    try_writer(archive)?.ok_or(Error::Busy)
}

/// Like [`open_writer`], but waits up to `patience` for another whatscope to let go of the
/// writer; `None` when it still holds it then.
pub fn wait_for_writer(
    archive: &Archive,
    patience: Duration,
) -> Result<Option<IndexWriter>, Error> {
    let start = Instant::now();
    loop {
        if let Some(w) = try_writer(archive)? {
            return Ok(Some(w));
        }
        if start.elapsed() >= patience {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The writer, or `None` when another writer (here or in another process) holds the lock.
///
/// Taking the lock is also "startup" for the archive's files (catalog D6): whatever a
/// killed whatscope left behind is removed here, while no other writer can be at work.
fn try_writer(archive: &Archive) -> Result<Option<IndexWriter>, Error> {
    let writer = match archive.index.writer_with_num_threads(2, WRITER_MEMORY) {
        Ok(w) => w,
        Err(tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            _,
        )) => return Ok(None),
        // Not "busy": the lock file cannot be made (a read-only folder, say).
        Err(e) => {
            return Err(write_error(
                &archive.dir,
                "open the archive for writing",
                "nothing was changed",
                e,
            ))
        }
    };
    clean_leftovers(archive, &writer);
    Ok(Some(writer))
}

/// Removes what a killed whatscope can leave: segment files no commit refers to (tantivy
/// registers a file as its own before writing it, so its garbage collection finds them),
/// the `.tmp*` copies of `meta.json` an interrupted atomic write leaves (tantivy does not
/// manage those), and our own `STEM.tmpPID` files of dead processes.
///
/// Best effort: a file that cannot be removed now is tried again next time, and must not
/// stop the import or erasure that asked for the writer.
fn clean_leftovers(archive: &Archive, writer: &IndexWriter) {
    let _ = writer.garbage_collect_files().wait();
    // Under the writer lock no whatscope is in the middle of an atomic write in the index
    // folder (only writers write there), so every temp file in it is a leftover.
    if let Ok(entries) = std::fs::read_dir(archive.dir.join("index")) {
        for entry in entries.flatten() {
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if is_file && entry.file_name().to_string_lossy().starts_with(".tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    crate::index::files::remove_dead_temp_files(&archive.dir);
}

/// A failed write as the user should read it, `cannot WHAT: why; UNSAVED`: a full disk and
/// a folder that cannot be written get their own words and hint; anything else keeps
/// tantivy's. In every case the archive is still as last committed.
pub fn write_error(
    dir: &Path,
    what: &str,
    unsaved: &str,
    e: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    let (what, unsaved) = (what.to_string(), unsaved.to_string());
    let dir = dir.to_path_buf();
    if is_disk_full(&e) {
        Error::DiskFull {
            dir,
            what,
            unsaved,
            cause: Box::new(e),
        }
    } else if is_permission_denied(&e) {
        Error::WriteDenied {
            dir,
            what,
            unsaved,
            cause: Box::new(e),
        }
    } else {
        Error::Write {
            what,
            unsaved,
            cause: Box::new(e),
        }
    }
}

/// Every message id already in the archive, by chat: read from the `id` and `chat_raw` fast
/// fields.
pub fn existing_ids(archive: &Archive) -> Result<KnownIds, Error> {
    let searcher = archive.searcher();
    let mut known = KnownIds::default();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let column = fast
            .u64(field::ID)
            .map_err(|source| Error::IdColumn { source })?;
        let chats = fast
            .str(field::CHAT_RAW)
            .map_err(|source| Error::IdColumn { source })?;
        let names = match &chats {
            Some(chats) => super::read::ordinal_names(chats)?,
            None => Vec::new(),
        };
        // The segment's ids, grouped by chat ordinal (`None`: no chat to be read).
        let mut by_ordinal: Vec<Vec<u64>> = vec![Vec::new(); names.len()];
        let mut unplaced = Vec::new();
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(id) = column.first(doc) else {
                continue;
            };
            let ordinal = chats.as_ref().and_then(|c| c.term_ords(doc).next());
            match ordinal.and_then(|o| by_ordinal.get_mut(o as usize)) {
                Some(ids) => ids.push(id),
                None => unplaced.push(id),
            }
        }
        for (name, ids) in names.iter().zip(by_ordinal) {
            if !ids.is_empty() {
                known.add(name, ids);
            }
        }
        known.add_anywhere(unplaced);
    }
    Ok(known)
}

/// Imports every export under `paths` in one commit. Files that fail are reported and the
/// others still go in; nothing of a failed file is written.
// Kept in one piece (~90 lines): it is the import's transaction, read top to bottom: take the
// writer, index each file, give up or commit, then merge; the steps share the writer's state.
pub fn import(
    archive: &Archive,
    paths: &[PathBuf],
    opts: &ImportOptions,
    skip_sender: &(dyn Fn(&str) -> bool + Sync),
    progress: &dyn Progress,
) -> Result<ImportReport, Error> {
    let mut writer = open_writer(archive)?;
    // No merge may start before the commit: a merge still writing when a failed commit is
    // rolled back would leave its files behind after the clean-up (a full disk stays full).
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    // Another import may have committed between opening the archive and taking the lock.
    archive.reload()?;
    let mut known = existing_ids(archive)?;
    let fields = archive.fields;
    let mut files = Vec::new();

    let expanded = import::source::expand(paths);
    let inputs: Vec<Input> = expanded.files.into_iter().map(Input::new).collect();
    progress.begin(inputs.len() as u64, inputs.iter().map(|i| i.bytes).sum());
    let mut queue = inputs.into_iter();
    // Each export is read while the one before it is indexed: the read overlaps the work.
    let mut next = queue.next().map(|input| input.load(opts));
    while let Some((input, loaded)) = next.take() {
        let report = match loaded {
            Ok(loaded) => {
                let context = Context {
                    writer: &writer,
                    fields,
                    opts,
                    skip_sender,
                    progress,
                };
                let read_next = || next = queue.next().map(|input| input.load(opts));
                import_file(&context, &input, &loaded, &mut known, read_next)
                    .unwrap_or_else(|e| input.failed(&e))
            }
            Err(report) => report,
        };
        if next.is_none() {
            // The file failed before its documents were built, so nothing read ahead.
            next = queue.next().map(|input| input.load(opts));
        }
        files.push(report);
        progress.file_done();
        if progress.cancelled() {
            return Err(give_up(archive, &mut writer));
        }
    }
    // The ids are not needed past here, and saving is where an import's memory peaks.
    drop(known);
    // The last moment to stop without saving anything.
    if progress.cancelled() {
        return Err(give_up(archive, &mut writer));
    }

    progress.saving();
    crash_point("before-commit");
    commit(
        archive,
        &mut writer,
        "save the import",
        "nothing from this import was saved",
    )?;
    // Committed: a crash from here on keeps the whole import (and re-running it adds nothing).
    crash_point("after-commit");
    // Now segments may be merged: an empty commit is what makes the writer look for merges.
    let saved_anyway = |e: tantivy::TantivyError| {
        write_error(
            &archive.dir,
            "finish writing the archive",
            "the import itself is saved",
            e,
        )
    };
    writer.set_merge_policy(Box::new(merge_policy()));
    writer.commit().map_err(saved_anyway)?;
    writer.wait_merging_threads().map_err(saved_anyway)?;
    let mut warnings = expanded.warnings;
    warnings.extend(record_sources(archive, &files));
    restrict_permissions(&archive.dir);
    archive.reload()?;

    let added = files.iter().map(|f| f.added).sum();
    let duplicates = files.iter().map(|f| f.duplicates).sum();
    Ok(ImportReport {
        files,
        added,
        duplicates,
        warnings,
        no_exports_in: expanded.empty_folders,
    })
}

/// Records where each imported chat's attachments are; failing that is a warning, not a
/// failed import (the messages are saved; only `media` cannot find the files).
fn record_sources(archive: &Archive, files: &[FileReport]) -> Option<String> {
    let imported: Vec<(String, Option<PathBuf>)> = files
        .iter()
        .filter(|f| f.error.is_none())
        .map(|f| (f.chat.clone(), f.source.clone()))
        .collect();
    super::media::Sources::record(archive, &imported)
        .err()
        .map(|e| {
            format!(
                "{}; attachments of this import cannot be found",
                crate::error::one_line(&e)
            )
        })
}

/// Gives up an import that was asked to stop: nothing is committed, and the files written so
/// far are collected, so the archive is exactly as it was.
fn give_up(archive: &Archive, writer: &mut IndexWriter) -> Error {
    if writer.rollback().is_ok() {
        collect_until_settled(archive, writer);
    }
    Error::Interrupted
}

/// Commits, or gives everything of this commit up: on an error (a full disk, say) the
/// writer is rolled back and the files it had written are collected at once, so a failed
/// import does not keep the disk full; the archive stays as last committed (tantivy's
/// `save_metas` contract, docs/reliability.md).
pub fn commit(
    archive: &Archive,
    writer: &mut IndexWriter,
    what: &str,
    unsaved: &str,
) -> Result<(), Error> {
    let result = writer.prepare_commit().and_then(|prepared| {
        // The new segments are on disk; `meta.json` does not name them yet.
        crash_point("during-commit");
        prepared.commit()
    });
    match result {
        Ok(_) => Ok(()),
        Err(e) => {
            let err = write_error(&archive.dir, what, unsaved, e);
            if writer.rollback().is_ok() {
                collect_until_settled(archive, writer);
            }
            Err(err)
        }
    }
}

/// Collects the files of a failed commit until no segment outside the last commit is left,
/// for at most two seconds. Tantivy stops waiting for its indexing threads at the first that
/// failed, so another may still be writing its segment after the rollback; its files are
/// registered with the directory first, so a later collection finds them.
fn collect_until_settled(archive: &Archive, writer: &IndexWriter) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let _ = writer.garbage_collect_files().wait();
        if uncommitted_segment_files(archive, writer) == 0 || Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How many files in the index folder belong to no committed segment.
fn uncommitted_segment_files(archive: &Archive, writer: &IndexWriter) -> usize {
    let Ok(committed) = writer.index().searchable_segment_ids() else {
        return 0;
    };
    let committed: HashSet<String> = committed.iter().map(|id| id.uuid_string()).collect();
    let Ok(entries) = std::fs::read_dir(archive.dir.join("index")) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stem = name.split('.').next().unwrap_or("");
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && !committed.contains(stem)
        })
        .count()
}

fn failed(error: String, path: String) -> FileReport {
    FileReport {
        path,
        chat: String::new(),
        chat_name_from: None,
        format: String::new(),
        added: 0,
        duplicates: 0,
        skipped_lines: Vec::new(),
        messages: 0,
        date_order: String::new(),
        date_order_reason: String::new(),
        opted_out: 0,
        warnings: Vec::new(),
        error: Some(error),
        hint: None,
        source: None,
    }
}

/// One export given to the import: its path (or why it cannot be read) and its size, which
/// the progress bar counts in.
struct Input {
    path: Result<PathBuf, import::source::SourceError>,
    bytes: u64,
}

impl Input {
    fn new(path: Result<PathBuf, import::source::SourceError>) -> Input {
        let bytes = path
            .as_ref()
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len());
        Input { path, bytes }
    }

    /// Reads and decodes the export (a zip is opened and its chat inflated), or says in its
    /// report why it cannot be.
    fn load(self, opts: &ImportOptions) -> (Input, Result<import::LoadedExport, FileReport>) {
        let loaded = match &self.path {
            Ok(path) => import::load(path, &opts.limits).map_err(|e| self.failed(&Error::from(e))),
            Err(e) => {
                // The folder walk already found it unreadable.
                let shown = match e {
                    import::source::SourceError::Missing { path } => path.clone(),
                    _ => String::new(),
                };
                let mut report = failed(e.to_string(), shown);
                report.hint = e.hint().map(str::to_string);
                Err(report)
            }
        };
        (self, loaded)
    }

    /// The report of an export that was read but could not be imported.
    fn failed(&self, e: &Error) -> FileReport {
        let shown = self
            .path
            .as_ref()
            .map_or_else(|_| String::new(), |p| p.display().to_string());
        let mut report = failed(crate::error::one_line(e), shown);
        report.hint = e.hint();
        report
    }
}

/// What every file of one import is indexed with.
struct Context<'a> {
    writer: &'a IndexWriter,
    fields: Fields,
    opts: &'a ImportOptions,
    skip_sender: &'a (dyn Fn(&str) -> bool + Sync),
    progress: &'a dyn Progress,
}

/// Parses one loaded export and indexes what is new in it; `meanwhile` runs while its
/// documents are being built (see [`build::build_file`]).
fn import_file(
    context: &Context<'_>,
    input: &Input,
    loaded: &import::LoadedExport,
    known: &mut KnownIds,
    meanwhile: impl FnOnce(),
) -> Result<FileReport, Error> {
    let Context {
        writer,
        fields,
        opts,
        skip_sender,
        progress,
    } = *context;
    let parsed = import::parse_loaded(loaded, &opts.parse)?;
    crash_point("after-parse");
    let (chat, chat_name_from) = import::chat_name(opts.chat.as_deref(), loaded, &parsed)?;
    let ids = parsed.ids(&chat);
    progress.file(&loaded.display, parsed.len() as u64, input.bytes);

    let work = build::FileWork {
        display: &loaded.display,
        chat: &chat,
        text: &loaded.decoded.text,
        parsed: &parsed,
        ids: &ids,
        max_message_bytes: opts.max_message_bytes,
    };
    // Stored, and so looked up, under the name the archive keeps (`index::document`).
    let stored_chat = crate::fold::text(&chat);
    let sieve = build::Sieve {
        known: known.of_chat(&stored_chat),
        skip_sender,
    };
    let built = build::build_file(writer, fields, &work, &sieve, progress, meanwhile)?;
    known.add(&stored_chat, built.added.iter().copied());

    Ok(FileReport {
        path: loaded.display.clone(),
        format: parsed
            .format
            .as_ref()
            .map(|f| f.describe(parsed.order.order))
            .unwrap_or_else(|| "unknown".into()),
        chat,
        chat_name_from: Some(chat_name_from),
        added: built.added.len() as u64,
        duplicates: built.duplicates,
        skipped_lines: parsed.skipped_lines(),
        messages: parsed.len() as u64,
        date_order: parsed.order.order.to_string(),
        date_order_reason: parsed.order.reason.describe().to_string(),
        opted_out: built.opted_out,
        warnings: {
            let mut warnings = import::warnings(loaded, &parsed);
            warnings.extend(cut_warning(&loaded.display, &built.cut_lines, opts));
            warnings
        },
        error: None,
        hint: None,
        source: input
            .path
            .as_ref()
            .ok()
            .and_then(|path| import::media::source_of(path, loaded.zipped)),
    })
}

/// The import report's word on cut messages: which lines, the limit, and the flag.
fn cut_warning(display: &str, lines: &[usize], opts: &ImportOptions) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    let kib = opts.max_message_bytes >> 10;
    let (messages, are, each) = if lines.len() == 1 {
        ("message", "is", "its")
    } else {
        ("messages", "are", "each one's")
    };
    Some(format!(
        "{display}: the {messages} on {} {are} longer than {kib} KiB: kept {each} first {kib} KiB, marked where cut (raise the limit with --max-message-kib to import them whole)",
        import::line_list(lines),
    ))
}
