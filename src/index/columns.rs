//! Reading fast-field columns (for statistics and the people listing): whole columns decoded in
//! bulk, or the values of just the documents asked for, a block at a time, and the
//! dictionaries of string columns mapped to archive-wide ids.

use super::error::Error;
use std::fmt::Debug;
use tantivy::columnar::column_index::{MultiValueIndex, OptionalIndex, Set};
use tantivy::columnar::{Column, ColumnIndex, ColumnValues, StrColumn};
use tantivy::DocId;

/// A single-valued column decoded for every document (`missing` where a document has none).
pub fn dense<T>(col: &Column<T>, max_doc: u32, missing: T) -> Vec<T>
where
    T: Copy + PartialOrd + Debug + Send + Sync + 'static,
{
    let n = max_doc as usize;
    let mut out = vec![missing; n];
    match &col.index {
        ColumnIndex::Full if col.values.num_vals() >= max_doc => {
            col.values.get_range(0, &mut out);
        }
        ColumnIndex::Empty { .. } => {}
        ColumnIndex::Optional(index) => {
            let mut vals = vec![missing; col.values.num_vals() as usize];
            col.values.get_range(0, &mut vals);
            for_each_ranked(index, max_doc, |doc, rank| {
                if let (Some(slot), Some(v)) = (out.get_mut(doc as usize), vals.get(rank as usize))
                {
                    *slot = *v;
                }
            });
        }
        _ => {
            for (doc, slot) in out.iter_mut().enumerate() {
                if let Some(v) = col.first(doc as DocId) {
                    *slot = v;
                }
            }
        }
    }
    out
}

/// The values of the documents `docs` of a single-valued column, into `out` (`missing` where
/// a document has none): a block of a full column decoded at once, others a document at a
/// time. For walking a big segment in small buffers, where [`dense`] would hold it whole.
pub fn dense_range<T>(col: &Column<T>, docs: std::ops::Range<DocId>, missing: T, out: &mut Vec<T>)
where
    T: Copy + PartialOrd + Debug + Send + Sync + 'static,
{
    out.clear();
    out.resize(docs.len(), missing);
    match &col.index {
        ColumnIndex::Full if col.values.num_vals() >= docs.end => {
            col.values.get_range(u64::from(docs.start), out);
        }
        ColumnIndex::Empty { .. } => {}
        _ => {
            for (slot, doc) in out.iter_mut().zip(docs) {
                if let Some(v) = col.first(doc) {
                    *slot = v;
                }
            }
        }
    }
}

/// Calls `f(doc, rank)` for every document an optional index holds, in doc order, looking
/// the documents up a block at a time (far cheaper than one rank or select per document).
fn for_each_ranked(index: &OptionalIndex, max_doc: u32, mut f: impl FnMut(DocId, u32)) {
    const CHUNK: u32 = 1 << 14;
    let mut docs = Vec::with_capacity(CHUNK as usize);
    let (mut docs_out, mut ranks) = (Vec::new(), Vec::new());
    let mut start = 0;
    while start < max_doc {
        let end = start.saturating_add(CHUNK).min(max_doc);
        docs.clear();
        docs.extend(start..end);
        docs_out.clear();
        ranks.clear();
        index.rank_if_exists_batch(&docs, &mut docs_out, &mut ranks);
        for (doc, rank) in docs_out.iter().zip(&ranks) {
            f(*doc, *rank);
        }
        start = end;
    }
}

/// Gives each name an archive-wide id: `people::Interner` groups a person's names as one.
pub trait Intern {
    fn intern(&mut self, name: &str) -> u32;
}

/// Marks a document without a value, or an empty string (a system message's sender).
pub const NONE: u32 = u32::MAX;

/// A string column's ordinals of every document, as archive-wide ids (`NONE` for a missing
/// or empty value).
pub fn interned(
    col: Option<&StrColumn>,
    max_doc: u32,
    interner: &mut impl Intern,
) -> Result<Vec<u32>, Error> {
    let Some(col) = col else {
        return Ok(vec![NONE; max_doc as usize]);
    };
    let ids = ord_ids(col, interner)?;
    Ok(dense(col.ords(), max_doc, u64::MAX)
        .into_iter()
        .map(|ord| ids.get(ord as usize).copied().unwrap_or(NONE))
        .collect())
}

/// The archive-wide id of each term ordinal of a string column (`NONE` for the empty
/// string), interning its whole dictionary in ordinal order without reading any document.
pub fn ord_ids(col: &StrColumn, interner: &mut impl Intern) -> Result<Vec<u32>, Error> {
    let names = super::read::ordinal_names(col)?;
    Ok(names
        .iter()
        .map(|n| {
            if n.is_empty() {
                NONE
            } else {
                interner.intern(n)
            }
        })
        .collect())
}

/// The values of the sorted documents `docs` of a single-valued column, into `out`
/// (`missing` where a document has none): a run of consecutive documents decoded as one
/// range, scattered ones looked up in one batch, so only the documents asked for are read.
pub fn gather<T>(col: &Column<T>, docs: &[DocId], missing: T, out: &mut Vec<T>)
where
    T: Copy + PartialOrd + Debug + Send + Sync + 'static,
{
    out.clear();
    out.resize(docs.len(), missing);
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
        return;
    };
    match &col.index {
        ColumnIndex::Full if col.values.num_vals() > last => {
            if (last - first) as usize + 1 == docs.len() {
                col.values.get_range(u64::from(first), out);
            } else {
                col.values.get_vals(docs, out);
            }
        }
        ColumnIndex::Empty { .. } => {}
        _ => {
            for (slot, doc) in out.iter_mut().zip(docs) {
                if let Some(v) = col.first(*doc) {
                    *slot = v;
                }
            }
        }
    }
}

/// Values between two documents' values up to which one read takes both (decoding a value is
/// far cheaper than starting a read).
const CLUSTER_GAP: u32 = 32;

/// The values (term ordinals) of some documents of a multi-valued string column, kept for
/// the documents with a value only (most have no emoji or link): see [`MultiBatch::each`].
/// Reused from one batch to the next.
#[derive(Default)]
pub struct MultiBatch {
    pub values: Vec<u32>,
    /// Per document with a value: its index among the documents read, and where its values
    /// end in `values` (they start where the previous one's end).
    with: Vec<(u32, u32)>,
    rows: Vec<std::ops::Range<u32>>,
    buf: Vec<u64>,
    ranks: Ranks,
}

/// Buffers of [`value_ranges`], reused from one batch to the next.
#[derive(Default)]
struct Ranks {
    have: Vec<DocId>,
    ranks: Vec<u32>,
    next: Vec<u32>,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl MultiBatch {
    /// Reads the values of the sorted documents `docs` (none when the column is absent).
    pub fn read(&mut self, col: Option<&StrColumn>, docs: &[DocId]) {
        self.values.clear();
        self.with.clear();
        let Some(col) = col else {
            return;
        };
        let col = col.ords();
        value_ranges(&col.index, docs, &mut self.ranks, &mut self.rows, true);
        // Each document with a value, as its index among `docs` (both ascend).
        let (rows, mut have) = (
            std::mem::take(&mut self.rows),
            std::mem::take(&mut self.ranks.have),
        );
        let mut at = 0usize;
        for doc in &mut have {
            while docs.get(at).is_some_and(|d| d < doc) {
                at += 1;
            }
            *doc = at as u32;
        }
        for_each_cluster(&rows, |cluster, bounds| {
            self.read_cluster(col, &rows, cluster, bounds, &have);
        });
        (self.rows, self.ranks.have) = (rows, have);
    }

    /// Decodes the values `bounds` of a column in one read and appends those of the rows
    /// `rows[cluster]`, of the documents at `at[cluster]` among those read.
    fn read_cluster(
        &mut self,
        col: &Column<u64>,
        rows: &[std::ops::Range<u32>],
        cluster: std::ops::Range<usize>,
        bounds: std::ops::Range<u32>,
        at: &[u32],
    ) {
        let buf = decode(col, bounds.clone(), &mut self.buf);
        let each = rows
            .get(cluster.clone())
            .unwrap_or(&[])
            .iter()
            .zip(at.get(cluster).unwrap_or(&[]));
        for (r, &at) in each {
            let from = r.start.saturating_sub(bounds.start) as usize;
            let to = r.end.saturating_sub(bounds.start) as usize;
            if let Some(vals) = buf.get(from..to) {
                self.values.extend(vals.iter().map(|v| *v as u32));
            }
            self.with.push((at, self.values.len() as u32));
        }
    }

    /// Each document read with a value: its index among the documents read and its values,
    /// in document order.
    pub fn each(&self) -> impl Iterator<Item = (usize, &[u32])> + '_ {
        let mut start = 0;
        self.with.iter().map(move |&(i, end)| {
            let vals = self.values.get(start as usize..end as usize).unwrap_or(&[]);
            start = end;
            (i as usize, vals)
        })
    }

    /// Counts by ordinal (wrapping) the values of the sorted documents `docs` (none when the
    /// column is absent), keeping no split by document: for a column whose values are only
    /// tallied. The documents' values are decoded a cluster at a time, as in [`Self::read`].
    pub fn tally(&mut self, col: Option<&StrColumn>, docs: &[DocId], counts: &mut [u32]) {
        self.rows.clear();
        let Some(col) = col else {
            return;
        };
        let col = col.ords();
        value_ranges(&col.index, docs, &mut self.ranks, &mut self.rows, false);
        let buf = &mut self.buf;
        for_each_cluster(&self.rows, |cluster, bounds| {
            let vals = decode(col, bounds.clone(), buf);
            for r in self.rows.get(cluster).unwrap_or(&[]) {
                let from = r.start.saturating_sub(bounds.start) as usize;
                let to = r.end.saturating_sub(bounds.start) as usize;
                for ord in vals.get(from..to).unwrap_or(&[]) {
                    if let Some(c) = counts.get_mut(*ord as usize) {
                        *c = c.wrapping_add(1);
                    }
                }
            }
        });
    }
}

/// Calls `f(cluster, bounds)` for each cluster of the ascending, non-empty `rows` whose values
/// lie close together (values are stored in doc order): the indexes of its rows and the
/// values they span, read at once (a read costs far more than decoding a few values nobody
/// asked for).
fn for_each_cluster(
    rows: &[std::ops::Range<u32>],
    mut f: impl FnMut(std::ops::Range<usize>, std::ops::Range<u32>),
) {
    let Some(r0) = rows.first() else {
        return;
    };
    let (mut first, mut bounds) = (0, r0.clone());
    for (i, r) in rows.iter().enumerate().skip(1) {
        if r.start <= bounds.end.saturating_add(CLUSTER_GAP) {
            bounds.end = r.end;
        } else {
            f(first..i, bounds);
            (first, bounds) = (i, r.clone());
        }
    }
    f(first..rows.len(), bounds);
}

/// The values `rows` of a column, decoded into `buf` (grown, never shrunk or cleared: every
/// slot returned is written by the read).
fn decode<'b>(col: &Column<u64>, rows: std::ops::Range<u32>, buf: &'b mut Vec<u64>) -> &'b [u64] {
    let n = rows.len();
    if buf.len() < n {
        buf.resize(n, 0);
    }
    let out = &mut buf[..n];
    col.values.get_range(u64::from(rows.start), out);
    out
}

/// Each sorted document's rows in a column's values (empty for none), ranks found a batch
/// at a time.
fn row_ranges(index: &ColumnIndex, docs: &[DocId], out: &mut Vec<std::ops::Range<u32>>) {
    out.clear();
    match index {
        ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(idx)) => {
            let (mut have, mut ranks) = (Vec::new(), Vec::new());
            ranks_of(&idx.optional_index, docs, &mut have, &mut ranks);
            let mut bounds = vec![0u32; ranks.len() + 1];
            let contiguous = ranks
                .first()
                .zip(ranks.last())
                .is_some_and(|(a, b)| (b - a) as usize + 1 == ranks.len());
            if contiguous {
                idx.start_index_column
                    .get_range(u64::from(ranks[0]), &mut bounds);
            } else {
                let mut ends = vec![0u32; ranks.len()];
                let next: Vec<u32> = ranks.iter().map(|r| r + 1).collect();
                idx.start_index_column
                    .get_vals(&ranks, &mut bounds[..ranks.len()]);
                idx.start_index_column.get_vals(&next, &mut ends);
                bounds.truncate(ranks.len());
                // Pairs (start, end) per rank, laid out below without the shared bound.
                let mut with_values = have.iter().zip(bounds.iter().zip(&ends)).peekable();
                for doc in docs {
                    match with_values.next_if(|(d, _)| *d == doc) {
                        Some((_, (s, e))) => out.push(*s..*e),
                        None => out.push(0..0),
                    }
                }
                return;
            }
            let mut with_values = have.iter().zip(bounds.windows(2)).peekable();
            for doc in docs {
                match with_values.next_if(|(d, _)| *d == doc) {
                    Some((_, w)) => out.push(w[0]..w[1]),
                    None => out.push(0..0),
                }
            }
        }
        ColumnIndex::Optional(index) => {
            let (mut have, mut ranks) = (Vec::new(), Vec::new());
            ranks_of(index, docs, &mut have, &mut ranks);
            let mut with_values = have.iter().zip(&ranks).peekable();
            for doc in docs {
                match with_values.next_if(|(d, _)| *d == doc) {
                    Some((_, r)) => out.push(*r..*r + 1),
                    None => out.push(0..0),
                }
            }
        }
        index => out.extend(docs.iter().map(|d| index.value_row_ids(*d))),
    }
}

/// The rows in a column's values of those of the sorted documents `docs` that have a value,
/// in document order, with nothing for the others; those documents into `s.have` when
/// `with_docs` (values only counted need not know whose they are, which spares a lookup).
fn value_ranges(
    index: &ColumnIndex,
    docs: &[DocId],
    s: &mut Ranks,
    out: &mut Vec<std::ops::Range<u32>>,
    with_docs: bool,
) {
    out.clear();
    s.have.clear();
    s.ranks.clear();
    let ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(idx)) = index else {
        row_ranges(index, docs, out);
        for (doc, r) in docs.iter().zip(out.iter()) {
            if !r.is_empty() {
                s.have.push(*doc);
            }
        }
        out.retain(|r| !r.is_empty());
        return;
    };
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
        return;
    };
    let index = &idx.optional_index;
    if (last - first) as usize + 1 == docs.len() && !with_docs {
        s.ranks
            .extend(index.rank(first)..index.rank(last.saturating_add(1)));
    } else {
        ranks_of(index, docs, &mut s.have, &mut s.ranks);
    }
    let (Some(&lo), Some(&hi)) = (s.ranks.first(), s.ranks.last()) else {
        return;
    };
    let starts = &idx.start_index_column;
    if (hi - lo) as usize + 1 == s.ranks.len() {
        s.starts.clear();
        s.starts.resize(s.ranks.len() + 1, 0);
        starts.get_range(u64::from(lo), &mut s.starts);
        out.extend(s.starts.windows(2).map(|w| w[0]..w[1]));
    } else {
        s.next.clear();
        s.next.extend(s.ranks.iter().map(|r| r + 1));
        s.starts.clear();
        s.starts.resize(s.ranks.len(), 0);
        s.ends.clear();
        s.ends.resize(s.ranks.len(), 0);
        starts.get_vals(&s.ranks, &mut s.starts);
        starts.get_vals(&s.next, &mut s.ends);
        out.extend(s.starts.iter().zip(&s.ends).map(|(a, b)| *a..*b));
    }
}

/// The documents of the sorted `docs` an optional index holds, into `have`, and their ranks.
fn ranks_of(index: &OptionalIndex, docs: &[DocId], have: &mut Vec<DocId>, ranks: &mut Vec<u32>) {
    match (docs.first(), docs.last()) {
        // A run of consecutive documents: the ranks between the run's bounds, and the
        // documents holding them found by select, far cheaper than a rank per document.
        (Some(&first), Some(&last)) if (last - first) as usize + 1 == docs.len() => {
            ranks.extend(index.rank(first)..index.rank(last + 1));
            have.extend_from_slice(ranks);
            index.select_batch(have);
        }
        _ => index.rank_if_exists_batch(docs, have, ranks),
    }
}

/// The strings of the `ords` (sorted, distinct) of a string column, in the same order.
pub fn resolve(col: &StrColumn, ords: &[u64]) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(ords.len());
    col.dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| {
            out.push(String::from_utf8_lossy(bytes).into_owned());
        })
        .map_err(Error::read)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{for_each_cluster, CLUSTER_GAP};

    #[test]
    fn rows_close_together_are_read_as_one_cluster() {
        let far = CLUSTER_GAP + 1;
        let rows = vec![0..3, 3..5, 5 + CLUSTER_GAP..40, 40 + far..50 + far];
        let mut got = Vec::new();
        for_each_cluster(&rows, |cluster, bounds| got.push((cluster, bounds)));
        assert_eq!(
            got,
            vec![(0..3, 0..40), (3..4, 40 + far..50 + far)],
            "a gap of {CLUSTER_GAP} values joins, one more splits"
        );
        got.clear();
        for_each_cluster(&[], |cluster, bounds| got.push((cluster, bounds)));
        assert!(got.is_empty());
    }
}
