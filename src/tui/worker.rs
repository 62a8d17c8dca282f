//! All slow work of the TUI (search, opening a chat, loading messages, statistics) happens
//! here, on its own thread, so a keystroke is never blocked. Requests carry ids; the app drops
//! replies that are no longer wanted. `Backend` does the work synchronously (tests call it
//! directly); `spawn` runs it on a thread and coalesces queued requests of the same kind.

use crate::index::archive::Archive;
use crate::index::query::{parse_query, Names};
use crate::index::read::{self, order_key, ChatSummary, StoredMessage};
use crate::index::search::{self, SearchResult, SortOrder};
use std::collections::HashSet;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::DocAddress;

/// A chat's messages in time order: where each one is, and its order key.
#[derive(Debug, Clone, Default)]
pub struct ChatOrder {
    pub chat: String,
    pub docs: Vec<DocAddress>,
    /// `read::order_key(ts, line)` of each doc, ascending.
    pub keys: Vec<u64>,
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

#[derive(Debug, Clone)]
pub enum Request {
    Chats {
        id: u64,
    },
    Search {
        id: u64,
        query: String,
        limit: usize,
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
    },
    Stats {
        id: u64,
        scope: crate::stats::Scope,
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
        }
    }
}

#[derive(Debug, Clone)]
pub enum Reply {
    Chats {
        id: u64,
        chats: Result<Vec<ChatSummary>, String>,
    },
    Search {
        id: u64,
        result: Result<SearchResult, String>,
    },
    ChatOpened {
        id: u64,
        order: Result<Arc<ChatOrder>, String>,
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
        stats: Result<Box<crate::stats::Stats>, String>,
    },
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
}

impl Backend {
    pub fn new(archive: Archive) -> Backend {
        Backend { archive }
    }

    pub fn handle(&self, request: Request) -> Reply {
        match request {
            Request::Chats { id } => Reply::Chats {
                id,
                chats: read::chats(&self.archive).map_err(|e| e.to_string()),
            },
            Request::Search { id, query, limit } => Reply::Search {
                id,
                result: search::search(&self.archive, &query, limit, SortOrder::Relevance)
                    .map_err(|e| e.to_string()),
            },
            Request::OpenChat { id, chat } => Reply::ChatOpened {
                id,
                order: self
                    .open_chat(&chat)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
            },
            Request::Messages {
                id,
                order,
                start,
                end,
            } => {
                let searcher = self.archive.searcher();
                let end = end.min(order.len());
                // One message per position, so positions never shift; an unreadable one shows
                // as a note rather than leaving a hole the app would ask for again and again.
                let messages = order.docs[start.min(end)..end]
                    .iter()
                    .map(|addr| {
                        read::load(&self.archive, &searcher, *addr)
                            .unwrap_or_else(|e| unreadable(&order.chat, &e.to_string()))
                    })
                    .collect();
                Reply::Messages {
                    id,
                    start,
                    messages,
                }
            }
            Request::ChatMatches { id, order, query } => {
                let (positions, highlight) = self.chat_matches(&order, &query).unwrap_or_default();
                Reply::ChatMatches {
                    id,
                    positions,
                    highlight,
                }
            }
            Request::Stats { id, scope } => Reply::Stats {
                id,
                stats: crate::stats::compute(&self.archive, &scope)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            },
        }
    }

    fn open_chat(&self, chat: &str) -> Result<ChatOrder, crate::error::UserError> {
        let searcher = self.archive.searcher();
        let query = read::chat_query(&self.archive.fields, chat);
        let docs = searcher
            .search(&*query, &DocSetCollector)
            .map_err(read::err)?;
        let mut keyed = self.keyed(&searcher, docs)?;
        keyed.sort_unstable();
        Ok(ChatOrder {
            chat: chat.to_string(),
            keys: keyed.iter().map(|(k, _)| *k).collect(),
            docs: keyed.into_iter().map(|(_, d)| d).collect(),
        })
    }

    /// Order keys of documents, read from the `ts` and `line` columns.
    fn keyed(
        &self,
        searcher: &tantivy::Searcher,
        docs: HashSet<DocAddress>,
    ) -> Result<Vec<(u64, DocAddress)>, crate::error::UserError> {
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            columns.push((
                ff.i64("ts").map_err(read::err)?,
                ff.u64("line").map_err(read::err)?,
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
    ) -> Result<(Vec<usize>, Vec<String>), crate::error::UserError> {
        let searcher = self.archive.searcher();
        let names = Names::from_searcher(&searcher).map_err(read::err)?;
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
            .map_err(read::err)?;
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
            while let Ok(first) = rx.recv() {
                // Only the newest request of each kind matters: typing fast queues many searches.
                let mut batch = vec![first];
                batch.extend(rx.try_iter());
                let mut latest: Vec<Request> = Vec::new();
                for r in batch.into_iter().rev() {
                    let keep = matches!(r, Request::Messages { .. })
                        || !latest.iter().any(|l| l.kind() == r.kind());
                    if keep {
                        latest.push(r);
                    }
                }
                for r in latest.into_iter().rev() {
                    if !deliver(backend.handle(r)) {
                        return;
                    }
                }
            }
        })
        .ok();
    tx
}
