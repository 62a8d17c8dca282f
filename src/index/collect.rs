//! The top-k collectors of search and paging: the `limit` best messages by score or by time,
//! in one total order (score, then time and line, then id) so that a page never depends on
//! which segments hold the messages or in what order (tantivy's own top-k keeps the first of
//! equal keys it meets, and an import's segments differ from run to run).
//!
//! The columns that only break ties are read for the documents that can still make the page,
//! not for every match: a common word matches a tenth of the archive.

use super::columns::gather;
use super::read::order_key;
use super::schema::field;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FastFieldReaders;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A message's place in a page, greater first: its score (equal for every match in time
/// order), its time order key (later is greater; earlier when paging forward in time), and
/// its id reversed (a smaller id is greater, so it comes first among equals).
pub type Rank = (u32, u64, u64);

/// The `limit` best documents by score; equal scores newest first, then by id.
pub fn by_score(limit: usize) -> Best {
    Best {
        limit: limit.max(1),
        offset: 0,
        order: Order::Score,
    }
}

/// The `limit` first documents in time order (`ascending`) or the last ones, skipping
/// `offset`; messages at the same time and line (of two chats) by id.
pub fn by_time(limit: usize, offset: usize, ascending: bool) -> Best {
    Best {
        limit: limit.max(1),
        offset,
        order: Order::Time { ascending },
    }
}

#[derive(Debug, Clone, Copy)]
enum Order {
    Score,
    Time { ascending: bool },
}

/// A top-k collector by [`Rank`]; its fruit is the page, best first.
pub struct Best {
    limit: usize,
    offset: usize,
    order: Order,
}

impl Collector for Best {
    type Fruit = Vec<(Rank, DocAddress)>;
    type Child = SegmentBest;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentBest> {
        let keep = self.limit.saturating_add(self.offset);
        Ok(SegmentBest::new(segment_ord, keep, self.order, segment))
    }

    fn requires_scoring(&self) -> bool {
        matches!(self.order, Order::Score)
    }

    fn merge_fruits(&self, segments: Vec<Vec<(Rank, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Rank, DocAddress)> = segments.into_iter().flatten().collect();
        // Ranks are unique but for two copies of one id; the address settles those.
        all.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(all.into_iter().skip(self.offset).take(self.limit).collect())
    }
}

/// One segment's best documents so far, the worst of them on top of the heap. A match is
/// judged first by its score alone; one that may make the page waits in `pending`, and the
/// tie columns are read for a batch of them at once (a block decode, not a lookup per
/// match): with many equal scores, that is most matches.
pub struct SegmentBest {
    segment_ord: SegmentOrdinal,
    keep: usize,
    order: Order,
    /// The segment's columns, opened at the first batch: a segment without a match (most,
    /// for a rare word) never decodes their headers.
    fast: FastFieldReaders,
    columns: Option<TieColumns>,
    heap: BinaryHeap<Reverse<(Rank, DocId)>>,
    /// Matches not yet ranked: their score's part of the rank, and the document.
    pending: Vec<(u32, DocId)>,
    /// Reused for a batch's column values.
    docs: Vec<DocId>,
    secs: Vec<i64>,
    lines: Vec<u64>,
    ids: Vec<u64>,
    ranked: Vec<(Rank, DocId)>,
}

/// The columns that rank matches of equal score: time, line, id.
struct TieColumns {
    ts: Option<Column<i64>>,
    line: Option<Column<u64>>,
    id: Option<Column<u64>>,
}

/// Matches ranked together.
const BATCH: usize = 4096;

impl SegmentBest {
    fn new(
        segment_ord: SegmentOrdinal,
        keep: usize,
        order: Order,
        segment: &SegmentReader,
    ) -> Self {
        SegmentBest {
            segment_ord,
            keep,
            order,
            fast: segment.fast_fields().clone(),
            columns: None,
            heap: BinaryHeap::new(),
            pending: Vec::new(),
            docs: Vec::new(),
            secs: Vec::new(),
            lines: Vec::new(),
            ids: Vec::new(),
            ranked: Vec::new(),
        }
    }

    /// Ranks the pending matches and keeps the best of them with the heap's.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.docs.clear();
        self.docs.extend(self.pending.iter().map(|&(_, doc)| doc));
        let fast = &self.fast;
        let c = self.columns.get_or_insert_with(|| TieColumns {
            ts: fast.i64(field::TS).ok(),
            line: fast.u64(field::LINE).ok(),
            id: fast.u64(field::ID).ok(),
        });
        read(c.ts.as_ref(), &self.docs, &mut self.secs);
        read(c.line.as_ref(), &self.docs, &mut self.lines);
        read(c.id.as_ref(), &self.docs, &mut self.ids);
        let ascending = matches!(self.order, Order::Time { ascending: true });
        self.ranked.clear();
        for (i, &(first, doc)) in self.pending.iter().enumerate() {
            let key = order_key(self.secs[i], self.lines[i]);
            let time = if ascending { u64::MAX - key } else { key };
            self.ranked
                .push(((first, time, u64::MAX - self.ids[i]), doc));
        }
        self.pending.clear();
        // Only the batch's best `keep` can make the page.
        if self.ranked.len() > self.keep {
            self.ranked
                .select_nth_unstable_by(self.keep - 1, |a, b| b.0.cmp(&a.0));
            self.ranked.truncate(self.keep);
        }
        for &(rank, doc) in &self.ranked {
            if self.heap.len() < self.keep {
                self.heap.push(Reverse((rank, doc)));
            } else if self.heap.peek().is_some_and(|w| rank > w.0 .0) {
                self.heap.pop();
                self.heap.push(Reverse((rank, doc)));
            }
        }
    }
}

/// The values of `docs` (in order) of a column every document has; 0 where it is missing.
fn read<T>(col: Option<&Column<T>>, docs: &[DocId], out: &mut Vec<T>)
where
    T: Copy + PartialOrd + std::fmt::Debug + Send + Sync + Default + 'static,
{
    match col {
        Some(col) => gather(col, docs, T::default(), out),
        None => {
            out.clear();
            out.resize(docs.len(), T::default());
        }
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = Vec<(Rank, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let first = match self.order {
            Order::Score => orderable(score),
            Order::Time { .. } => 0,
        };
        // A lower score than the page's worst cannot make it, whatever its time and id.
        if self.heap.len() >= self.keep && self.heap.peek().is_some_and(|w| first < w.0 .0 .0) {
            return;
        }
        self.pending.push((first, doc));
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let segment_ord = self.segment_ord;
        self.heap
            .into_iter()
            .map(|Reverse((rank, doc))| (rank, DocAddress::new(segment_ord, doc)))
            .collect()
    }
}

/// A score as an unsigned number in the same order (the sign bit flipped, negatives
/// inverted), so ranks compare as integers.
fn orderable(score: Score) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    }
}

/// The score a rank was made from.
pub fn score_of(rank: Rank) -> Score {
    let bits = rank.0;
    Score::from_bits(if bits >> 31 == 1 {
        bits & !(1 << 31)
    } else {
        !bits
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_keep_their_order_and_come_back() {
        let scores = [-3.5f32, -0.0, 0.0, 0.25, 1.0, 3.5404253, 1e30];
        for pair in scores.windows(2) {
            assert!(orderable(pair[0]) <= orderable(pair[1]), "{pair:?}");
        }
        for s in scores {
            assert_eq!(score_of((orderable(s), 0, 0)).to_bits(), s.to_bits());
        }
    }
}
