//! Sessions, replies and response times: each chat holding a picked message is laid out in
//! time order (all of its alive messages with a sender, picked ones marked) from its own
//! documents only (its `chat_raw` postings), walked and dropped before the next, so memory
//! holds one chat at a time per thread; big walks run on every core.

use super::select::{docs_of_id, SegIds, Selection};
use super::*;
use crate::index::columns::gather;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many picked messages, one thread walks every chat.
const SPLIT_MESSAGES: u64 = 200_000;

/// What walking the timelines found: who replied to whom, a person's partners, and how many
/// chats held messages in scope.
pub(super) struct Walked {
    pub(super) interactions: PairCounts,
    pub(super) partners: Vec<PartnerAcc>,
    pub(super) chats_counted: u64,
}

/// One thread's findings: [`Walked`], and per sender the sessions started and the response
/// times (added to the participants at the end).
struct Walk {
    walked: Walked,
    sessions: Vec<u64>,
    responses: Vec<Vec<u32>>,
}

/// The segments' readers, ids and selections, as the walk needs them.
pub(super) struct Segments<'a> {
    pub(super) readers: &'a [SegmentReader],
    pub(super) fields: &'a Fields,
    pub(super) ids: &'a [SegIds],
    pub(super) selections: &'a [Selection],
}

/// Walks every touched chat (docs/statistics.md) and adds sessions and response times to
/// `acc`'s participants.
pub(super) fn walk_chats(
    segs: &Segments,
    touched: &[bool],
    acc: &mut Acc,
    people: usize,
    across: bool,
) -> Result<Walked, Error> {
    let chats: Vec<u32> = (0u32..)
        .zip(touched)
        .filter(|(_, t)| **t)
        .map(|(c, _)| c)
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let walks = if acc.messages < SPLIT_MESSAGES || threads < 2 || chats.len() < 2 {
        vec![walk_some(
            segs,
            &chats,
            &AtomicUsize::new(0),
            people,
            across,
        )?]
    } else {
        let next = AtomicUsize::new(0);
        let run = || walk_some(segs, &chats, &next, people, across);
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
                        &chats,
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
    };
    if across {
        walk.walked
            .partners
            .resize_with(people, PartnerAcc::default);
    }
    let mut timeline = Vec::new();
    let mut scratch = Scratch::default();
    while let Some(&chat) = chats.get(next.fetch_add(1, Ordering::Relaxed)) {
        timeline.clear();
        for (ord, reader) in segs.readers.iter().enumerate() {
            let ids = &segs.ids[ord];
            let docs = docs_of_id(
                reader,
                segs.fields.chat_raw,
                ids.chat_col.as_ref(),
                &ids.chat_ids,
                chat,
            )?;
            scratch.lay_out(reader, ids, &segs.selections[ord], &docs, &mut timeline)?;
        }
        if timeline.is_empty() {
            continue;
        }
        walk.walked.chats_counted += 1;
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

/// Buffers reused from block to block.
#[derive(Default)]
struct Scratch {
    docs: Vec<DocId>,
    ords: Vec<u64>,
    senders: Vec<u32>,
    ts: Vec<i64>,
    lines: Vec<u64>,
}

impl Scratch {
    /// Appends the entries of one segment's documents of a chat (`docs`, ascending, alive or
    /// not): the alive ones with a sender, marked when picked.
    fn lay_out(
        &mut self,
        reader: &SegmentReader,
        ids: &SegIds,
        selection: &Selection,
        docs: &[DocId],
        timeline: &mut Vec<Entry>,
    ) -> Result<(), Error> {
        if docs.is_empty() {
            return Ok(());
        }
        let ff = reader.fast_fields();
        let ts_col = ff.i64(field::TS).map_err(crate::index::Error::read)?;
        let line_col = ff.u64(field::LINE).map_err(crate::index::Error::read)?;
        let alive = reader.alive_bitset();
        let picked_all = matches!(selection, Selection::All);
        let picked: &[DocId] = match selection {
            Selection::All => &[],
            Selection::Docs(d) => d,
        };
        let mut picked = picked[picked.partition_point(|d| *d < docs[0])..]
            .iter()
            .peekable();
        for block in docs.chunks(4096) {
            self.docs.clear();
            self.docs.extend(
                block
                    .iter()
                    .filter(|d| alive.is_none_or(|a| a.is_alive(**d))),
            );
            if self.docs.is_empty() {
                continue;
            }
            ids.senders_of(&self.docs, &mut self.ords, &mut self.senders);
            gather(&ts_col, &self.docs, 0, &mut self.ts);
            gather(&line_col, &self.docs, 0, &mut self.lines);
            for (i, doc) in self.docs.iter().enumerate() {
                while picked.next_if(|p| **p < *doc).is_some() {}
                let is_picked = picked_all || picked.next_if_eq(&doc).is_some();
                let sender = self.senders[i];
                if sender == NONE {
                    continue;
                }
                timeline.push(Entry {
                    key: order_key(self.ts[i], self.lines[i]),
                    sender,
                    selected: is_picked,
                });
            }
        }
        Ok(())
    }
}
