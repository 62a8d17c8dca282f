//! Reading fast-field columns for statistics: whole columns decoded in bulk when most
//! documents are needed, single values on demand when few are, and the dictionaries of
//! string columns mapped to archive-wide ids.

use crate::error::UserError;
use crate::index::read::err;
use std::collections::HashMap;
use std::fmt::Debug;
use tantivy::columnar::column_index::MultiValueIndex;
use tantivy::columnar::{Column, ColumnIndex, ColumnValues, StrColumn};
use tantivy::DocId;

/// A single-valued column decoded for every document (`missing` where a document has none).
pub fn dense<T>(col: &Column<T>, max_doc: u32, missing: T) -> Vec<T>
where
    T: Copy + PartialOrd + Debug + Send + Sync + 'static,
{
    let mut out = vec![missing; max_doc as usize];
    match &col.index {
        ColumnIndex::Full if col.values.num_vals() >= max_doc => {
            col.values.get_range(0, &mut out);
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

/// Names interned across segments: one id per distinct string.
#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<String, u32>,
    pub names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }
}

/// Marks a document without a value, or an empty string (a system message's sender).
pub const NONE: u32 = u32::MAX;

/// A string column's ordinals of every document, as archive-wide ids (`NONE` for a missing
/// or empty value).
pub fn interned(
    col: Option<&StrColumn>,
    max_doc: u32,
    interner: &mut Interner,
) -> Result<Vec<u32>, UserError> {
    let Some(col) = col else {
        return Ok(vec![NONE; max_doc as usize]);
    };
    let names = crate::index::read::ordinal_names(col)?;
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
        let mut offsets = vec![0u32; n + 1];
        let num_vals = col.values.num_vals();
        match &col.index {
            ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(idx)) => {
                // Start offsets exist only for documents with values; spread them out.
                let mut starts = vec![0u32; idx.start_index_column.num_vals() as usize];
                idx.start_index_column.get_range(0, &mut starts);
                let mut next_doc = 0usize;
                for (rank, doc) in idx.optional_index.iter_non_null_docs().enumerate() {
                    let doc = doc as usize;
                    let start = starts.get(rank).copied().unwrap_or(num_vals);
                    while next_doc <= doc.min(n) {
                        offsets[next_doc] = start;
                        next_doc += 1;
                    }
                }
                while next_doc <= n {
                    offsets[next_doc] = num_vals;
                    next_doc += 1;
                }
            }
            index => {
                for doc in 0..n {
                    offsets[doc] = index.value_row_ids(doc as DocId).start;
                }
                offsets[n] = num_vals;
                // Documents without values get an empty range: an offset of 0 from
                // `value_row_ids(..)` on them is raised to the next document's start.
                for doc in (0..n).rev() {
                    if index.value_row_ids(doc as DocId).is_empty() {
                        offsets[doc] = offsets[doc + 1];
                    }
                }
            }
        }
        let mut wide = vec![0u64; num_vals as usize];
        col.values.get_range(0, &mut wide);
        let values = wide.into_iter().map(|v| v as u32).collect();
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

/// The strings of the `ords` (sorted, distinct) of a string column, in the same order.
pub fn resolve(col: &StrColumn, ords: &[u64]) -> Result<Vec<String>, UserError> {
    let mut out = Vec::with_capacity(ords.len());
    col.dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| {
            out.push(String::from_utf8_lossy(bytes).into_owned());
        })
        .map_err(err)?;
    Ok(out)
}
