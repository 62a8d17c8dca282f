//! The top-k collectors of search and paging: the `limit` best messages by score or by time,
//! in one total order (score, then time and line, then id) so that a page never depends on
//! which segments hold the messages or in what order (tantivy's own top-k keeps the first of
//! equal keys it meets, and an import's segments differ from run to run).
//!
//! The columns that only break ties are read for the documents that can still make the page,
//! not for every match: a common word matches a tenth of the archive.

use super::read::order_key;
use super::schema::field;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
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
        let fast = segment.fast_fields();
        Ok(SegmentBest {
            segment_ord,
            keep: self.limit + self.offset,
            order: self.order,
            ts: fast.i64(field::TS).ok(),
            line: fast.u64(field::LINE).ok(),
            id: fast.u64(field::ID).ok(),
            heap: BinaryHeap::new(),
        })
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

/// One segment's best documents so far, the worst of them on top of the heap.
pub struct SegmentBest {
    segment_ord: SegmentOrdinal,
    keep: usize,
    order: Order,
    ts: Option<Column<i64>>,
    line: Option<Column<u64>>,
    id: Option<Column<u64>>,
    heap: BinaryHeap<Reverse<(Rank, DocId)>>,
}

impl SegmentBest {
    fn time_key(&self, doc: DocId) -> u64 {
        let secs = self.ts.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let line = self.line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let key = order_key(secs, line);
        match self.order {
            Order::Time { ascending: true } => u64::MAX - key,
            _ => key,
        }
    }

    fn reversed_id(&self, doc: DocId) -> u64 {
        u64::MAX - self.id.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = Vec<(Rank, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let first = match self.order {
            Order::Score => orderable(score),
            Order::Time { .. } => 0,
        };
        let worst = (self.heap.len() >= self.keep).then(|| self.heap.peek().map(|w| w.0 .0));
        if let Some(Some(worst)) = worst {
            if first < worst.0 {
                return;
            }
        }
        let time = self.time_key(doc);
        if let Some(Some(worst)) = worst {
            if (first, time) < (worst.0, worst.1) {
                return;
            }
        }
        let rank = (first, time, self.reversed_id(doc));
        if let Some(Some(worst)) = worst {
            if rank <= worst {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Reverse((rank, doc)));
    }

    fn harvest(self) -> Self::Fruit {
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
