//! All slow work of the TUI (search, opening a chat, loading messages, statistics) happens
//! here, on its own thread, so a keystroke is never blocked. Requests carry ids; the app drops
//! replies that are no longer wanted. `Backend` does the work synchronously (tests call it
//! directly); `spawn` runs it on a thread and coalesces queued requests of the same kind.
//!
//! Another whatscope (an `import`, a `forget`) may commit while the TUI is open: the thread
//! polls the index's `meta.json` between requests and, when it changed, reloads the reader
//! and says so ([`Reply::Reloaded`]), so erased messages go and new ones come (catalog A5).

use super::picture::{self, Frame, Graphics, Picture};
use crate::index::archive::Archive;
use crate::index::query::parse_query;
use crate::index::read::{self, order_key, ChatSummary, StoredMessage};
use crate::index::schema::field;
use crate::index::search::{self, SearchResult, SortOrder};
use crate::ops::attachment::{self, PrivateCopies};
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Child;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::DocAddress;

/// How often the worker looks whether another process changed the archive.
const WATCH_INTERVAL: Duration = Duration::from_millis(300);

/// A chat's messages in time order: where each one is, and its order key.
#[derive(Debug, Clone, Default)]
pub struct ChatOrder {
    pub chat: String,
    pub docs: Vec<DocAddress>,
    /// `read::order_key(ts, line)` of each doc, ascending.
    pub keys: Vec<u64>,
    /// The index snapshot `docs` point into: addresses are only valid in the searcher that
    /// found them, and the archive may be reloaded while the chat is open.
    pub searcher: Option<tantivy::Searcher>,
}

impl ChatOrder {
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Position of the first message at or after `key`.
    pub fn position_of(&self, key: u64) -> usize {
        self.keys.partition_point(|k| *k < key)
    }

    /// `position_of`, but never past the last message (a key after the end means the last).
    pub fn nearest(&self, key: u64) -> usize {
        self.position_of(key).min(self.len().saturating_sub(1))
    }
}

/// Other names `from:` takes for senders, as `(stored name, alias)`: the pseudonyms while
/// the view is anonymized, none otherwise (see `Names::with_aliases`).
pub type Aliases = Arc<[(String, String)]>;

#[derive(Debug, Clone)]
pub enum Request {
    Chats {
        id: u64,
    },
    Search {
        id: u64,
        query: String,
        limit: usize,
        aliases: Aliases,
    },
    OpenChat {
        id: u64,
        chat: String,
    },
    Messages {
        id: u64,
        order: Arc<ChatOrder>,
        start: usize,
        end: usize,
    },
    /// Positions in the open chat of the messages a query matches (for `n`/`N`).
    ChatMatches {
        id: u64,
        order: Arc<ChatOrder>,
        query: String,
        aliases: Aliases,
    },
    Stats {
        id: u64,
        scope: crate::stats::Scope,
        aliases: Aliases,
    },
    /// Every person of the archive, for the people pane.
    People {
        id: u64,
    },
    /// Opens the attachment of message `message` (its id): an image fitted to `room` cells,
    /// anything else handed to the system opener from a private copy.
    OpenAttachment {
        id: u64,
        message: String,
        room: (u16, u16),
    },
    /// Fits the open image again, to a new popup size.
    FitImage {
        id: u64,
        picture: Arc<Picture>,
        room: (u16, u16),
    },
}

impl Request {
    fn kind(&self) -> u8 {
        match self {
            Request::Chats { .. } => 0,
            Request::Search { .. } => 1,
            Request::OpenChat { .. } => 2,
            Request::Messages { .. } => 3,
            Request::ChatMatches { .. } => 4,
            Request::Stats { .. } => 5,
            Request::People { .. } => 6,
            Request::OpenAttachment { .. } => 7,
            Request::FitImage { .. } => 8,
        }
    }
}

/// Why a request failed: the typed error, shared so that a reply stays cheap to clone. The
/// app shows it with [`status_line`].
pub type WorkerError = Arc<crate::ops::Error>;

fn failed(e: impl Into<crate::ops::Error>) -> WorkerError {
    Arc::new(e.into())
}

/// An error as the TUI's status line shows it: the one line the CLI prints after `error: `
/// (`ops::error::shown`, so both edges say the same). The hint stays out of the line.
pub fn status_line(e: &crate::ops::Error) -> String {
    crate::ops::error::shown(e).line
}

#[derive(Debug, Clone)]
pub enum Reply {
    Chats {
        id: u64,
        chats: Result<Vec<ChatSummary>, WorkerError>,
    },
    Search {
        id: u64,
        result: Result<SearchResult, WorkerError>,
    },
    ChatOpened {
        id: u64,
        order: Result<Arc<ChatOrder>, WorkerError>,
    },
    Messages {
        id: u64,
        start: usize,
        messages: Vec<StoredMessage>,
    },
    ChatMatches {
        id: u64,
        positions: Vec<usize>,
        highlight: Vec<String>,
    },
    Stats {
        id: u64,
        stats: Result<Box<crate::stats::Stats>, WorkerError>,
    },
    People {
        id: u64,
        people: Result<Vec<crate::people::listing::PersonRow>, WorkerError>,
    },
    /// What opening an attachment gave.
    AttachmentOpened {
        id: u64,
        opened: Result<Opened, WorkerError>,
    },
    /// The open image fitted to a new size (or why it could not be).
    ImageFitted {
        id: u64,
        frame: Result<Frame, String>,
    },
    /// The opener of request `id` ended with a failure (`code`: its exit code, `None` when a
    /// signal ended it).
    OpenerFailed {
        id: u64,
        program: String,
        code: Option<i32>,
    },
    /// Another process committed to the archive and the reader now sees it: everything shown
    /// should be asked for again. Carries the pseudonyms of the senders now in the archive
    /// (`None` when they could not be computed: the old ones stay).
    Reloaded {
        pseudonyms: Option<Box<crate::privacy::Pseudonyms>>,
    },
}

/// An attachment opened: shown in the TUI, or handed to a program.
#[derive(Debug, Clone)]
pub enum Opened {
    Image {
        name: String,
        picture: Arc<Picture>,
        frame: Frame,
    },
    Outside {
        name: String,
        program: String,
    },
}

/// Whether an attachment of this name is shown inside the TUI (the image decoders whatscope
/// has: PNG, JPEG, GIF, WebP; stickers are WebP).
fn shown_inside(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "webp")
    )
}

fn unreadable(chat: &str, why: &str) -> StoredMessage {
    StoredMessage {
        message: crate::model::Message {
            id: String::new(),
            chat: chat.to_string(),
            ts: String::new(),
            sender: None,
            kind: crate::model::Kind::System,
            text: format!("(this message could not be read: {why})"),
            attachment: None,
            edited: false,
        },
        secs: 0,
        line: 0,
    }
}

/// Does the work of each request against one archive.
pub struct Backend {
    archive: Archive,
    graphics: Graphics,
    copies: Arc<PrivateCopies>,
    /// Openers started and not yet seen to end, with the request that started them.
    openers: Mutex<Vec<(u64, String, Child)>>,
}

impl Backend {
    /// A backend drawing images in half blocks, its private copies in the system's temporary
    /// folder.
    pub fn new(archive: Archive) -> Backend {
        Backend {
            archive,
            graphics: Graphics::Halfblocks,
            copies: Arc::new(PrivateCopies::new(std::env::temp_dir())),
            openers: Mutex::new(Vec::new()),
        }
    }

    /// Draws images with `graphics` and makes private copies in `copies` (the TUI removes
    /// them on quit).
    pub fn with_opening(mut self, graphics: Graphics, copies: Arc<PrivateCopies>) -> Backend {
        self.graphics = graphics;
        self.copies = copies;
        self
    }

    // One arm per request, each a few lines: a table of what the worker answers, longer than
    // ~80 lines only by its number of arms.
    pub fn handle(&self, request: Request) -> Reply {
        match request {
            Request::Chats { id } => Reply::Chats {
                id,
                chats: read::chats(&self.archive).map_err(failed),
            },
            Request::Search {
                id,
                query,
                limit,
                aliases,
            } => Reply::Search {
                id,
                result: crate::people::archive_names(&self.archive, &aliases)
                    .map_err(failed)
                    .and_then(|names| {
                        search::search_with_names(
                            &self.archive,
                            &query,
                            limit,
                            SortOrder::Relevance,
                            &names,
                        )
                        .map_err(failed)
                    }),
            },
            Request::OpenChat { id, chat } => Reply::ChatOpened {
                id,
                order: self.open_chat(&chat).map(Arc::new).map_err(failed),
            },
            Request::Messages {
                id,
                order,
                start,
                end,
            } => {
                let searcher = order
                    .searcher
                    .clone()
                    .unwrap_or_else(|| self.archive.searcher());
                let end = end.min(order.len());
                // One message per position, so positions never shift; an unreadable one shows
                // as a note rather than leaving a hole the app would ask for again and again.
                let mut loader = read::Loader::new(&self.archive, &searcher);
                let messages = order.docs[start.min(end)..end]
                    .iter()
                    .map(|addr| {
                        loader.load(*addr).unwrap_or_else(|e| {
                            unreadable(&order.chat, &crate::error::one_line(&e))
                        })
                    })
                    .collect();
                Reply::Messages {
                    id,
                    start,
                    messages,
                }
            }
            Request::ChatMatches {
                id,
                order,
                query,
                aliases,
            } => {
                let (positions, highlight) = self
                    .chat_matches(&order, &query, &aliases)
                    .unwrap_or_default();
                Reply::ChatMatches {
                    id,
                    positions,
                    highlight,
                }
            }
            Request::Stats { id, scope, aliases } => Reply::Stats {
                id,
                stats: crate::stats::compute_with_aliases(&self.archive, &scope, &aliases)
                    .map(Box::new)
                    .map_err(failed),
            },
            Request::People { id } => Reply::People {
                id,
                people: crate::people::People::load(&self.archive.dir)
                    .and_then(|people| crate::people::listing::list(&self.archive, &people))
                    .map_err(failed),
            },
            Request::OpenAttachment { id, message, room } => Reply::AttachmentOpened {
                id,
                opened: self.open_attachment(id, &message, room),
            },
            Request::FitImage { id, picture, room } => Reply::ImageFitted {
                id,
                frame: picture::fit(&self.graphics, &picture, room),
            },
        }
    }

    /// Shows an image (decoded and fitted here, off the UI thread) or starts the opener on a
    /// private copy.
    fn open_attachment(
        &self,
        id: u64,
        message: &str,
        room: (u16, u16),
    ) -> Result<Opened, WorkerError> {
        let found = crate::ops::media::find(&self.archive, message).map_err(failed)?;
        let name = found.message.attachment.clone().unwrap_or_default();
        if shown_inside(&name) {
            let image = attachment::image(&found).map_err(failed)?;
            let picture = Arc::new(Picture { image });
            let frame = picture::fit(&self.graphics, &picture, room).map_err(|why| {
                failed(crate::ops::Error::Image {
                    id: message.to_string(),
                    why: attachment::ImageProblem::Draw { why },
                })
            })?;
            return Ok(Opened::Image {
                name,
                picture,
                frame,
            });
        }
        let path = self.copies.copy(&found).map_err(failed)?;
        let program = attachment::opener();
        let child = attachment::launch(&program, &path).map_err(failed)?;
        let program = program.to_string_lossy().into_owned();
        self.openers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, program.clone(), child));
        Ok(Opened::Outside { name, program })
    }

    /// Reaps the openers that ended; a failed one is reported (the app shows it while that
    /// attachment is still the one asked for).
    pub fn reap_openers(&self) -> Vec<Reply> {
        let mut openers = self.openers.lock().unwrap_or_else(|e| e.into_inner());
        let mut failures = Vec::new();
        openers.retain_mut(|(id, program, child)| match child.try_wait() {
            Ok(None) => true,
            Ok(Some(status)) => {
                if !status.success() {
                    failures.push(Reply::OpenerFailed {
                        id: *id,
                        program: program.clone(),
                        code: status.code(),
                    });
                }
                false
            }
            Err(_) => false,
        });
        failures
    }

    /// Makes the reader see the archive's latest commit; the reply tells the app to ask again
    /// for what it shows. Old snapshots (and the files they map) go when the app lets go of
    /// them.
    pub fn reload(&self) -> Result<Reply, crate::ops::Error> {
        self.archive.reload()?;
        let pseudonyms = crate::people::masks::pseudonyms(&self.archive)
            .ok()
            .map(Box::new);
        Ok(Reply::Reloaded { pseudonyms })
    }

    /// The archive's folder (what [`ArchiveWatch`] looks at).
    pub fn dir(&self) -> &std::path::Path {
        &self.archive.dir
    }

    fn open_chat(&self, chat: &str) -> Result<ChatOrder, crate::ops::Error> {
        let searcher = self.archive.searcher();
        let query = read::chat_query(&self.archive.fields, chat);
        let docs = searcher
            .search(&*query, &DocSetCollector)
            .map_err(crate::index::Error::read)?;
        let mut keyed = self.keyed(&searcher, docs)?;
        keyed.sort_unstable();
        Ok(ChatOrder {
            chat: chat.to_string(),
            keys: keyed.iter().map(|(k, _)| *k).collect(),
            docs: keyed.into_iter().map(|(_, d)| d).collect(),
            searcher: Some(searcher),
        })
    }

    /// Order keys of documents, read from the `ts` and `line` columns.
    fn keyed(
        &self,
        searcher: &tantivy::Searcher,
        docs: HashSet<DocAddress>,
    ) -> Result<Vec<(u64, DocAddress)>, crate::ops::Error> {
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            columns.push((
                ff.i64(field::TS).map_err(crate::index::Error::read)?,
                ff.u64(field::LINE).map_err(crate::index::Error::read)?,
            ));
        }
        Ok(docs
            .into_iter()
            .map(|addr| {
                let (ts, line) = &columns[addr.segment_ord as usize];
                let key = order_key(
                    ts.first(addr.doc_id).unwrap_or(0),
                    line.first(addr.doc_id).unwrap_or(0),
                );
                (key, addr)
            })
            .collect())
    }

    fn chat_matches(
        &self,
        order: &ChatOrder,
        query: &str,
        aliases: &[(String, String)],
    ) -> Result<(Vec<usize>, Vec<String>), crate::ops::Error> {
        let searcher = self.archive.searcher();
        let names = crate::people::archive_names(&self.archive, aliases)?;
        let parsed = parse_query(query, &self.archive.fields, &names);
        let both: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, parsed.query),
            (
                Occur::Must,
                read::chat_query(&self.archive.fields, &order.chat),
            ),
        ];
        let docs = searcher
            .search(&BooleanQuery::new(both), &DocSetCollector)
            .map_err(crate::index::Error::read)?;
        let mut positions: Vec<usize> = self
            .keyed(&searcher, docs)?
            .into_iter()
            .map(|(k, _)| order.position_of(k))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        Ok((positions, parsed.highlight))
    }
}

/// Runs a backend on its own thread; each reply goes to `deliver` (which returns false once
/// nobody listens). Dropping the returned sender ends the thread.
pub fn spawn(
    backend: Backend,
    deliver: impl Fn(Reply) -> bool + Send + 'static,
) -> Sender<Request> {
    let (tx, rx): (Sender<Request>, Receiver<Request>) = mpsc::channel();
    std::thread::Builder::new()
        .name("whatscope-worker".into())
        .spawn(move || {
            let mut watch = ArchiveWatch::new(backend.dir().to_path_buf());
            loop {
                match rx.recv_timeout(WATCH_INTERVAL) {
                    Ok(first) => {
                        let mut batch = vec![first];
                        batch.extend(rx.try_iter());
                        for r in newest_of_each_kind(batch) {
                            if !deliver(backend.handle(r)) {
                                return;
                            }
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                for failure in backend.reap_openers() {
                    if !deliver(failure) {
                        return;
                    }
                }
                if watch.changed() {
                    // A failed reload (a commit caught half-way) is tried again next time.
                    match backend.reload() {
                        Ok(reply) => {
                            watch.seen();
                            if !deliver(reply) {
                                return;
                            }
                        }
                        Err(_) => watch.retry(),
                    }
                }
            }
        })
        .ok();
    tx
}

/// Only the newest request of each kind matters: typing fast queues many searches. Message
/// pages are all kept (each fills its own part of the conversation).
fn newest_of_each_kind(batch: Vec<Request>) -> Vec<Request> {
    let mut latest: Vec<Request> = Vec::new();
    for r in batch.into_iter().rev() {
        let keep =
            matches!(r, Request::Messages { .. }) || !latest.iter().any(|l| l.kind() == r.kind());
        if keep {
            latest.push(r);
        }
    }
    latest.reverse();
    latest
}

/// Notices commits of other processes: every commit replaces the index's `meta.json`
/// (written aside and renamed), so its identity, size and time change.
pub struct ArchiveWatch {
    meta: PathBuf,
    /// The stamp the reader was last reloaded at.
    last: Option<Stamp>,
    /// The stamp seen by the last `changed`, adopted by `seen`.
    current: Option<Stamp>,
}

type Stamp = (Option<SystemTime>, u64, u64);

impl ArchiveWatch {
    /// Watches the archive in `dir`, taking what is there now as already seen.
    pub fn new(dir: PathBuf) -> ArchiveWatch {
        let meta = dir.join("index").join("meta.json");
        let last = stamp(&meta);
        ArchiveWatch {
            meta,
            last,
            current: None,
        }
    }

    /// Whether the index changed since the last [`ArchiveWatch::seen`].
    pub fn changed(&mut self) -> bool {
        self.current = stamp(&self.meta);
        self.current.is_some() && self.current != self.last
    }

    /// The change found by `changed` is now loaded.
    pub fn seen(&mut self) {
        self.last = self.current;
    }

    /// The change could not be loaded: it still counts as new.
    pub fn retry(&mut self) {
        self.current = self.last;
    }
}

fn stamp(meta: &std::path::Path) -> Option<Stamp> {
    let m = std::fs::metadata(meta).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some((m.modified().ok(), m.len(), inode))
}
