//! Reading fast-field columns (for statistics and the people listing): whole columns decoded in bulk when most
//! documents are needed, single values on demand when few are, and the dictionaries of
//! string columns mapped to archive-wide ids.

use super::error::Error;
use std::fmt::Debug;
use tantivy::columnar::column_index::{MultiValueIndex, OptionalIndex};
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
    let names = super::read::ordinal_names(col)?;
    let ids: Vec<u32> = names
        .iter()
        .map(|n| {
            if n.is_empty() {
                NONE
            } else {
                interner.intern(n)
            }
        })
        .collect();
    Ok(dense(col.ords(), max_doc, u64::MAX)
        .into_iter()
        .map(|ord| ids.get(ord as usize).copied().unwrap_or(NONE))
        .collect())
}

/// A multi-valued string column (emoji, domain, word): each document's term ordinals.
pub enum Multi {
    /// The segment has no such column.
    Absent,
    /// Decoded in bulk: the values of document `d` are `values[offsets[d]..offsets[d + 1]]`.
    Bulk { offsets: Vec<u32>, values: Vec<u32> },
    /// Read per document.
    Lazy(Column<u64>),
}

impl Multi {
    pub fn open(col: Option<&StrColumn>, max_doc: u32, bulk: bool) -> Multi {
        let Some(col) = col else {
            return Multi::Absent;
        };
        let col = col.ords().clone();
        if !bulk {
            return Multi::Lazy(col);
        }
        let n = max_doc as usize;
        let num_vals = col.values.num_vals();
        // offsets[d] = where the values of the first document at or after d with values
        // start (values are stored in doc order, so that is also where d's values end).
        let mut offsets = vec![num_vals; n + 1];
        let mut next_doc = 0usize;
        let mut spread = |doc: DocId, start: u32| {
            let doc = (doc as usize).min(n);
            while next_doc <= doc {
                offsets[next_doc] = start;
                next_doc += 1;
            }
        };
        match &col.index {
            ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(idx)) => {
                let mut starts = vec![0u32; idx.start_index_column.num_vals() as usize];
                idx.start_index_column.get_range(0, &mut starts);
                for_each_ranked(&idx.optional_index, max_doc, |doc, rank| {
                    spread(doc, starts.get(rank as usize).copied().unwrap_or(num_vals));
                });
            }
            ColumnIndex::Optional(index) => for_each_ranked(index, max_doc, spread),
            index => {
                for doc in 0..max_doc {
                    let rows = index.value_row_ids(doc);
                    if !rows.is_empty() {
                        spread(doc, rows.start);
                    }
                }
            }
        }
        let mut values = Vec::with_capacity(num_vals as usize);
        for_each_value(&col, |v| values.push(v as u32));
        Multi::Bulk { offsets, values }
    }

    /// Calls `f` with each value (term ordinal) of `doc`; returns how many there were.
    pub fn each(&self, doc: DocId, mut f: impl FnMut(u32)) -> u32 {
        match self {
            Multi::Absent => 0,
            Multi::Bulk { offsets, values } => {
                let d = doc as usize;
                let (Some(&start), Some(&end)) = (offsets.get(d), offsets.get(d + 1)) else {
                    return 0;
                };
                let vals = values.get(start as usize..end as usize).unwrap_or(&[]);
                for v in vals {
                    f(*v);
                }
                vals.len() as u32
            }
            Multi::Lazy(col) => {
                let mut n = 0;
                for v in col.values_for_doc(doc) {
                    f(v as u32);
                    n += 1;
                }
                n
            }
        }
    }
}

/// Calls `f` with every value of a column in row order, decoded a block at a time.
fn for_each_value(col: &Column<u64>, mut f: impl FnMut(u64)) {
    const CHUNK: usize = 4096;
    let mut buf = [0u64; CHUNK];
    let total = u64::from(col.values.num_vals());
    let mut start = 0u64;
    while start < total {
        let len = (total - start).min(CHUNK as u64) as usize;
        col.values.get_range(start, &mut buf[..len]);
        for v in &buf[..len] {
            f(*v);
        }
        start += len as u64;
    }
}

/// Adds every value of a string column (all documents, alive or not) to `counts` by ordinal.
pub fn histogram(col: &StrColumn, counts: &mut [u32]) {
    for_each_value(col.ords(), |ord| {
        if let Some(c) = counts.get_mut(ord as usize) {
            *c += 1;
        }
    });
}

/// Takes the values of `doc` back out of `counts` (after [`histogram`]).
pub fn unhistogram(col: &StrColumn, doc: DocId, counts: &mut [u32]) {
    for ord in col.ords().values_for_doc(doc) {
        if let Some(c) = counts.get_mut(ord as usize) {
            *c = c.saturating_sub(1);
        }
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
