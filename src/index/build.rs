//! Building one export's documents on every core: the messages are cut into chunks that
//! worker threads take in turn; each chunk's documents go to the one index writer in the
//! export's order, and the import stays one transaction (docs/architecture.md, "Import, on
//! every core").

use super::document::{cut_to_limit, document};
use super::error::Error;
use super::known::ChatIds;
use super::schema::Fields;
use super::words::MessageWords;
use super::writer::Progress;
use crate::import::media::MediaType;
use crate::import::{self, Parsed, ParsedMessage};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use tantivy::indexer::UserOperation;
use tantivy::IndexWriter;

/// Messages a worker takes at a time: big enough that taking one is rare, small enough that
/// the last chunks of a file keep every core busy.
const CHUNK: usize = 4096;

/// Documents handed to the writer at once. Tantivy queues up to 10 000 batches for its
/// indexing threads, and with several threads building documents they run ahead of it: the
/// batch size is what bounds the documents in flight. Measured on a 1 M-message import
/// (docs/performance.md, "Batches of eight"), alternated runs: with 2, 3.28 s and 5.53 s of
/// user CPU, peak 401 MB; with 8, 3.12 s, 5.29 s, 430 MB; with 16, 3.14 s, 455 MB; with 32,
/// 3.33 s, 535 MB (the queue's memory starts to cost more than the handing over saves).
const BATCH: usize = 8;

/// What one export's messages are, and what to do with them.
pub struct FileWork<'a> {
    pub display: &'a str,
    pub chat: &'a str,
    /// The chat text, for the first lines of left-out attachments' placeholders.
    pub text: &'a str,
    pub parsed: &'a Parsed<'a>,
    /// One id per message, unique within the file (`Parsed::ids`).
    pub ids: &'a [u64],
    pub max_message_bytes: usize,
}

/// How the import treats the messages it is given: the ids already in the archive or in an
/// earlier file of this import, and the senders who opted out.
pub struct Sieve<'a> {
    pub known: ChatIds<'a>,
    pub skip_sender: &'a (dyn Fn(&str) -> bool + Sync),
}

/// What building a file's documents found, summed over the workers.
#[derive(Debug, Default)]
pub struct Built {
    /// The ids of the messages added, so later files see them as known.
    pub added: Vec<u64>,
    pub duplicates: u64,
    pub opted_out: u64,
    /// Lines of the messages stored cut to the size limit, in file order.
    pub cut_lines: Vec<usize>,
}

impl Built {
    fn merge(&mut self, other: Built) {
        self.added.extend(other.added);
        self.duplicates += other.duplicates;
        self.opted_out += other.opted_out;
        self.cut_lines.extend(other.cut_lines);
    }
}

/// The threads that build documents: one per core the process may use.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Builds and hands to `writer` the documents of every message of `work` that `sieve` lets
/// through. `meanwhile` runs on the calling thread as the workers go (the import reads the
/// next file then), and the call returns once both are done.
///
/// Within one file every id is unique, so each worker can decide "new or duplicate" against
/// `known` alone; the caller adds `Built::added` to it before the next file.
pub fn build_file(
    writer: &IndexWriter,
    fields: Fields,
    work: &FileWork<'_>,
    sieve: &Sieve<'_>,
    progress: &dyn Progress,
    meanwhile: impl FnOnce(),
) -> Result<Built, Error> {
    let len = work.parsed.len();
    let threads = workers().min(len.div_ceil(CHUNK)).max(1);
    let next_chunk = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let turns = Turns::default();
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let results: Mutex<Built> = Mutex::new(Built::default());

    let run_worker = || {
        let mut worker = Worker::new(writer, fields, work, sieve, progress);
        let outcome = loop {
            if stop.load(Ordering::Relaxed) {
                break Ok(());
            }
            let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
            let start = chunk * CHUNK;
            if start >= len {
                break Ok(());
            }
            worker.build(start..(start + CHUNK).min(len));
            if !turns.wait_for(chunk, &stop) {
                break Ok(());
            }
            let sent = worker.hand_over();
            turns.done(chunk);
            if let Err(e) = sent {
                break Err(e);
            }
        };
        match outcome {
            Ok(()) => lock(&results).merge(worker.built),
            Err(e) => {
                lock(&first_error).get_or_insert(e);
                turns.stop(&stop);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(run_worker);
        }
        meanwhile();
        run_worker();
    });

    if let Some(e) = lock(&first_error).take() {
        return Err(e);
    }
    let mut built = std::mem::take(&mut *lock(&results));
    // Chunks finish in any order; the report lists lines as the file has them.
    built.cut_lines.sort_unstable();
    Ok(built)
}

/// A poisoned lock only means another worker panicked, which the scope re-raises anyway;
/// the sums inside stay whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One worker's state: its batch on the way to the writer and what it has counted.
struct Worker<'w, 'a> {
    writer: &'w IndexWriter,
    fields: Fields,
    work: &'w FileWork<'a>,
    sieve: &'w Sieve<'w>,
    progress: &'w dyn Progress,
    first_lines: FirstLines<'a>,
    /// The chunk's documents, waiting for its turn to be handed over.
    pending: Vec<tantivy::TantivyDocument>,
    /// Messages of the chunk (added, duplicate or opted out), for `progress`.
    looked_at: u64,
    /// Buffers for each message's words, reused.
    words: MessageWords,
    built: Built,
}

impl<'w, 'a> Worker<'w, 'a> {
    fn new(
        writer: &'w IndexWriter,
        fields: Fields,
        work: &'w FileWork<'a>,
        sieve: &'w Sieve<'w>,
        progress: &'w dyn Progress,
    ) -> Self {
        Worker {
            writer,
            fields,
            work,
            sieve,
            progress,
            first_lines: FirstLines::new(work.text),
            pending: Vec::with_capacity(CHUNK),
            looked_at: 0,
            words: MessageWords::default(),
            built: Built::default(),
        }
    }

    /// Builds the documents of the messages of `range`.
    fn build(&mut self, range: std::ops::Range<usize>) {
        self.looked_at = range.len() as u64;
        for n in range {
            let (Some(m), Some(&id)) = (self.work.parsed.message(n), self.work.ids.get(n)) else {
                continue;
            };
            self.message(m, id);
        }
    }

    /// Hands the chunk's documents to the writer, then reports its messages to `progress`:
    /// the place a Ctrl-C is noticed (a chunk takes milliseconds).
    fn hand_over(&mut self) -> Result<(), Error> {
        let mut documents = self.pending.drain(..);
        loop {
            let batch: Vec<_> = documents.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            self.writer
                .run(batch.into_iter().map(UserOperation::Add))
                .map_err(|source| Error::IndexFile {
                    display: self.work.display.to_string(),
                    source,
                })?;
        }
        self.progress.advance(std::mem::take(&mut self.looked_at));
        if self.progress.cancelled() {
            // The caller sees the request and gives the whole import up.
            return Err(Error::FileInterrupted);
        }
        Ok(())
    }

    fn message(&mut self, m: ParsedMessage<'a>, id: u64) {
        if m.sender.is_some_and(self.sieve.skip_sender) {
            self.built.opted_out += 1;
            return;
        }
        if self.sieve.known.contains(id) {
            self.built.duplicates += 1;
            return;
        }
        let cut = cut_to_limit(m.text, self.work.max_message_bytes);
        if cut.is_some() {
            self.built.cut_lines.push(m.line);
        }
        let media = MediaType::of_message(m.kind, m.attachment, None)
            .map(|t| refine_by_placeholder(t, &m, &mut self.first_lines));
        let fields = self.fields;
        let doc = document(fields, self.work.chat, id, m, cut, media, &mut self.words);
        self.pending.push(doc);
        self.built.added.push(id);
    }
}

/// Whose turn it is to hand documents over: chunks go to the writer in the export's order,
/// whichever worker built them. Tantivy's indexing threads then receive a chat's messages in
/// time order, and each segment keeps them so: the statistics' walk through a chat in time
/// order sorts an almost sorted list (in any order, that sort was a third of a person's
/// statistics; docs/performance.md).
#[derive(Default)]
struct Turns {
    next: Mutex<usize>,
    changed: Condvar,
}

impl Turns {
    /// Waits until chunk `chunk` may hand its documents over; `false` when the build stopped
    /// (another worker failed) meanwhile.
    fn wait_for(&self, chunk: usize, stop: &AtomicBool) -> bool {
        let mut next = lock(&self.next);
        loop {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            if *next == chunk {
                return true;
            }
            next = self
                .changed
                .wait(next)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn done(&self, chunk: usize) {
        *lock(&self.next) = chunk + 1;
        self.changed.notify_all();
    }

    /// Stops the build and wakes every worker waiting for its turn. The flag is set under
    /// the lock, so a worker between its check and its wait cannot miss the wake-up.
    fn stop(&self, stop: &AtomicBool) {
        let _next = lock(&self.next);
        stop.store(true, Ordering::Relaxed);
        self.changed.notify_all();
    }
}

/// The type of an attachment the export left out: the placeholder on the message's first
/// line names it (`image omitted`), which the parse does not keep.
fn refine_by_placeholder(
    from_name: MediaType,
    m: &ParsedMessage<'_>,
    lines: &mut FirstLines<'_>,
) -> MediaType {
    if m.attachment.is_some() {
        return from_name;
    }
    lines
        .line(m.line)
        .and_then(MediaType::of_placeholder)
        .unwrap_or(from_name)
}

/// The lines of a chat text by number, indexed on first use (only exports with left-out
/// attachments need it).
struct FirstLines<'t> {
    text: &'t str,
    starts: Option<Vec<(usize, usize)>>,
}

impl<'t> FirstLines<'t> {
    fn new(text: &'t str) -> Self {
        FirstLines { text, starts: None }
    }

    /// Line `n` (1-based) without its ending.
    fn line(&mut self, n: usize) -> Option<&'t str> {
        let text = self.text;
        let starts = self.starts.get_or_insert_with(|| {
            let mut spans = Vec::new();
            let _ = import::lines::for_each_line::<()>(text, |start, end, _| {
                spans.push((start, end));
                Ok(())
            });
            spans
        });
        let (start, end) = *starts.get(n.checked_sub(1)?)?;
        text.get(start..end)
    }
}
