//! Sessions, replies and response times: each chat holding a picked message is laid out in
//! time order (all of its alive messages with a sender, picked ones marked) from its own
//! documents only (its `chat_raw` postings), walked and dropped before the next, so memory
//! holds one chat at a time per thread; big walks run on every core. The picked messages are
//! summed on the way (`sum`), so their senders and times are read once.

use super::select::{docs_of_id, Selection};
use super::sum::{self, Partial, SegCols};
use super::*;
use crate::index::columns::gather;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many picked messages, one thread walks every chat.
const SPLIT_MESSAGES: usize = 200_000;
/// Documents per block read at once.
const BLOCK: usize = 4096;

/// What walking the timelines found: who replied to whom, a person's partners, and how many
/// chats held messages in scope.
pub(super) struct Walked {
    pub(super) interactions: PairCounts,
    pub(super) partners: Vec<PartnerAcc>,
    pub(super) chats_counted: u64,
}

/// One thread's findings: [`Walked`], per sender the sessions started and the response
/// times (added to the participants at the end), and the sums of the picked messages of the
/// chats it walked.
struct Walk {
    walked: Walked,
    sessions: Vec<u64>,
    responses: Vec<Vec<u32>>,
    sums: Partial,
}

/// The segments' columns and selections, as the walk needs them.
pub(super) struct Segments<'a> {
    pub(super) cols: &'a [SegCols<'a>],
    pub(super) fields: &'a Fields,
    pub(super) selections: &'a [Selection],
}

/// Walks every chat of `chats` (docs/statistics.md), sums its picked messages into `sums`
/// (each document's sender and time read once, for both), and adds sessions and response
/// times to `sums`' participants.
pub(super) fn walk_chats(
    segs: &Segments,
    chats: &[u32],
    sums: &mut Partial,
    people: usize,
    across: bool,
) -> Result<Walked, Error> {
    let picked: usize = segs
        .cols
        .iter()
        .zip(segs.selections)
        .map(|(c, s)| s.len(c.reader))
        .sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let walks = if picked < SPLIT_MESSAGES || threads < 2 || chats.len() < 2 {
        vec![walk_some(
            segs,
            chats,
            &AtomicUsize::new(0),
            people,
            across,
        )?]
    } else {
        let next = AtomicUsize::new(0);
        let run = || walk_some(segs, chats, &next, people, across);
        let (mine, others) = std::thread::scope(|s| {
            let handles: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
            let mine = run();
            let others: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
            (mine, others)
        });
        let mut walks = vec![mine?];
        for other in others {
            match other {
                Ok(w) => walks.push(w?),
                // Walking does not panic on archive data; if a worker did, its chats are
                // lost: walk them all again here rather than count part of them.
                Err(_) => {
                    walks = vec![walk_some(
                        segs,
                        chats,
                        &AtomicUsize::new(0),
                        people,
                        across,
                    )?];
                    break;
                }
            }
        }
        walks
    };
    let mut total = Walked {
        interactions: PairCounts::default(),
        partners: Vec::new(),
        chats_counted: 0,
    };
    if across {
        total.partners.resize_with(people, PartnerAcc::default);
    }
    for w in walks {
        sums.merge(w.sums);
        let acc = &mut sums.acc;
        for (sender, n) in (0u32..).zip(w.sessions) {
            if n > 0 {
                acc.participant(sender).sessions_started += n;
            }
        }
        for (sender, times) in (0u32..).zip(w.responses) {
            if !times.is_empty() {
                acc.participant(sender).responses.extend(times);
            }
        }
        for (pair, n) in w.walked.interactions {
            *total.interactions.entry(pair).or_default() += n;
        }
        for (mine, theirs) in total.partners.iter_mut().zip(w.walked.partners) {
            mine.replies_to += theirs.replies_to;
            mine.replies_from += theirs.replies_from;
            mine.responses.extend(theirs.responses);
        }
        total.chats_counted += w.walked.chats_counted;
    }
    Ok(total)
}

/// Walks the chats handed out by `next` until none is left.
fn walk_some(
    segs: &Segments,
    chats: &[u32],
    next: &AtomicUsize,
    people: usize,
    across: bool,
) -> Result<Walk, Error> {
    let mut walk = Walk {
        walked: Walked {
            interactions: PairCounts::default(),
            partners: Vec::new(),
            chats_counted: 0,
        },
        sessions: vec![0; people],
        responses: vec![Vec::new(); people],
        sums: Partial::new(segs.cols),
    };
    if across {
        walk.walked
            .partners
            .resize_with(people, PartnerAcc::default);
    }
    let (mut timeline, mut merged) = (Vec::new(), Vec::new());
    let mut pieces = Vec::new();
    let mut scratch = Scratch::default();
    while let Some(&chat) = chats.get(next.fetch_add(1, Ordering::Relaxed)) {
        timeline.clear();
        pieces.clear();
        let mut in_scope = 0;
        for (seg, c) in segs.cols.iter().enumerate() {
            pieces.push(timeline.len());
            let docs = docs_of_id(
                c.reader,
                segs.fields.chat_raw,
                c.ids.chat_col.as_ref(),
                &c.ids.chat_ids,
                chat,
            )?;
            in_scope += scratch.lay_out(
                &Piece {
                    cols: c,
                    seg,
                    selection: &segs.selections[seg],
                    chat,
                    docs: &docs,
                },
                &mut timeline,
                &mut walk.sums,
                across,
            );
        }
        // Only system messages of this chat in scope: summed, but no session of theirs.
        if in_scope == 0 {
            continue;
        }
        walk.walked.chats_counted += 1;
        if sequence::merge_runs(&timeline, &pieces, &mut merged) {
            std::mem::swap(&mut timeline, &mut merged);
        }
        walk.one(&mut timeline, across);
    }
    Ok(walk)
}

impl Walk {
    /// Walks one chat's timeline in time order: sessions, replies and response times.
    fn one(&mut self, timeline: &mut [Entry], across: bool) {
        let Walk {
            walked,
            sessions,
            responses,
            ..
        } = self;
        let mut on_event = |e: &Entry, ev: Event| match ev {
            // Another person answering a message in scope (only walked `across`).
            Event::Reply { .. } if !e.selected => {
                if let Some(p) = walked.partners.get_mut(e.sender as usize) {
                    p.replies_from += 1;
                }
            }
            Event::SessionStart => {
                if let Some(n) = sessions.get_mut(e.sender as usize) {
                    *n += 1;
                }
            }
            Event::Reply { to, secs } => {
                let secs = secs.clamp(0, i64::from(u32::MAX)) as u32;
                if let Some(r) = responses.get_mut(e.sender as usize) {
                    r.push(secs);
                }
                *walked
                    .interactions
                    .entry((u64::from(e.sender) << 32) | u64::from(to))
                    .or_default() += 1;
                if let Some(p) = walked.partners.get_mut(to as usize) {
                    p.replies_to += 1;
                    p.responses.push(secs);
                }
            }
            Event::Continues => {}
        };
        if across {
            sequence::walk_with_answers(timeline, &mut on_event);
        } else {
            sequence::walk(timeline, &mut on_event);
        }
    }
}

/// One segment's documents of a chat (`docs`, ascending, alive or not).
struct Piece<'a> {
    cols: &'a SegCols<'a>,
    seg: usize,
    selection: &'a Selection,
    chat: u32,
    docs: &'a [DocId],
}

/// Buffers reused from block to block.
#[derive(Default)]
struct Scratch {
    docs: Vec<DocId>,
    ords: Vec<u64>,
    senders: Vec<u32>,
    ts: Vec<i64>,
    lines: Vec<u64>,
    /// The block's picked documents, as indexes into `docs`.
    picked_at: Vec<u32>,
    picked: sum::Scratch,
}

impl Scratch {
    /// Appends the entries of a piece of a chat to its timeline (the alive documents with a
    /// sender, marked when picked) and sums its picked documents into `sums`; returns how
    /// many picked documents have a sender.
    fn lay_out(
        &mut self,
        piece: &Piece,
        timeline: &mut Vec<Entry>,
        sums: &mut Partial,
        across: bool,
    ) -> u64 {
        let Some(&first) = piece.docs.first() else {
            return 0;
        };
        let c = piece.cols;
        let alive = c.reader.alive_bitset();
        let picked_all = matches!(piece.selection, Selection::All);
        let picked: &[DocId] = match piece.selection {
            Selection::All => &[],
            Selection::Docs(d) => d,
        };
        // The next picked document not yet met (documents and picked ones both ascend).
        let mut next_picked = picked.partition_point(|d| *d < first);
        let mut in_scope = 0;
        for block in piece.docs.chunks(BLOCK) {
            self.docs.clear();
            match alive {
                None => self.docs.extend_from_slice(block),
                Some(a) => self.docs.extend(block.iter().filter(|d| a.is_alive(**d))),
            }
            if self.docs.is_empty() {
                continue;
            }
            c.ids
                .senders_of(&self.docs, &mut self.ords, &mut self.senders);
            gather(&c.ts, &self.docs, 0, &mut self.ts);
            gather(&c.line, &self.docs, 0, &mut self.lines);
            // Each step in a loop of its own, which keeps each loop small: the block's picked
            // documents (indexes into it), every document's entry, the picked ones' marks and
            // sums, and last the entries of system messages (no sender) dropped.
            self.picked_at.clear();
            if !picked_all {
                for (i, &doc) in (0u32..).zip(&self.docs) {
                    while picked.get(next_picked).is_some_and(|p| *p < doc) {
                        next_picked += 1;
                    }
                    if picked.get(next_picked) == Some(&doc) {
                        self.picked_at.push(i);
                        next_picked += 1;
                    }
                }
            }
            let start = timeline.len();
            let p = &mut self.picked;
            p.docs.clear();
            p.senders.clear();
            p.ts.clear();
            if picked_all {
                push_entries(timeline, &self.senders, &self.ts, &self.lines, true);
                p.docs.extend_from_slice(&self.docs);
                p.senders.extend_from_slice(&self.senders);
                p.ts.extend_from_slice(&self.ts);
            } else {
                push_entries(timeline, &self.senders, &self.ts, &self.lines, false);
            }
            for &i in &self.picked_at {
                let i = i as usize;
                if let Some(e) = timeline.get_mut(start + i) {
                    e.selected = true;
                }
                p.docs.push(self.docs[i]);
                p.senders.push(self.senders[i]);
                p.ts.push(self.ts[i]);
            }
            in_scope += p.senders.iter().filter(|s| **s != NONE).count() as u64;
            if self.senders.contains(&NONE) {
                let mut kept = start;
                for i in start..timeline.len() {
                    if timeline[i].sender != NONE {
                        timeline[kept] = timeline[i];
                        kept += 1;
                    }
                }
                timeline.truncate(kept);
            }
            p.chats.clear();
            p.chats.resize(p.docs.len(), piece.chat);
            sums.add(c, piece.seg, across, !c.words_whole, p);
        }
        in_scope
    }
}

/// Appends an entry per document of a block (senders, times and lines alike), each marked
/// `selected`.
#[inline(always)]
fn push_entries(
    timeline: &mut Vec<Entry>,
    senders: &[u32],
    ts: &[i64],
    lines: &[u64],
    selected: bool,
) {
    timeline.extend(
        senders
            .iter()
            .zip(ts.iter().zip(lines))
            .map(|(&sender, (&ts, &line))| Entry {
                key: order_key(ts, line),
                sender,
                selected,
            }),
    );
}
