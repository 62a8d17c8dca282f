//! Running a query: exact totals, relevance or date order, and `«»`-marked snippets computed
//! with the same analyzer that indexed the text, so highlights line up with what matched.

use super::analyzer::analyzer;
use super::archive::Archive;
use super::query::{parse_query, Names, ParsedQuery};
use super::read::{by_time, err, load, StoredMessage};
use crate::error::UserError;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::tokenizer::TokenStream;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortOrder {
    /// Best matches first (newest first when the query has only filters)
    #[default]
    Relevance,
    /// Newest first
    Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub message: StoredMessage,
    pub score: f32,
    pub snippet: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Marks put around each match in a snippet.
pub const MARK_OPEN: char = '«';
pub const MARK_CLOSE: char = '»';

/// Searches the archive.
pub fn search(
    archive: &Archive,
    input: &str,
    limit: usize,
    sort: SortOrder,
) -> Result<SearchResult, UserError> {
    search_with_aliases(archive, input, limit, sort, &[])
}

/// [`search`], with `from:` also taking the aliases of senders (`(stored name, alias)`,
/// see [`Names::with_aliases`]): an anonymized view searches by pseudonym.
pub fn search_with_aliases(
    archive: &Archive,
    input: &str,
    limit: usize,
    sort: SortOrder,
    aliases: &[(String, String)],
) -> Result<SearchResult, UserError> {
    let searcher = archive.searcher();
    let names = Names::from_searcher(&searcher)
        .map_err(err)?
        .with_aliases(aliases);
    let parsed = parse_query(input, &archive.fields, &names);
    let by_date = sort == SortOrder::Date || parsed.filters_only;
    let (total, addresses): (usize, Vec<(f32, tantivy::DocAddress)>) = if by_date {
        let (total, hits) = searcher
            .search(&*parsed.query, &(Count, by_time(limit, 0, false)))
            .map_err(err)?;
        (total, hits.into_iter().map(|(_, a)| (1.0, a)).collect())
    } else {
        searcher
            .search(
                &*parsed.query,
                &(Count, TopDocs::with_limit(limit.max(1)).order_by_score()),
            )
            .map_err(err)?
    };
    let mut hits: Vec<Hit> = Vec::with_capacity(addresses.len().min(limit));
    for (score, addr) in addresses.into_iter().take(limit) {
        let message = load(archive, &searcher, addr)?;
        let snippet = snippet(&message.message.text, &parsed, 160);
        hits.push(Hit {
            message,
            score,
            snippet,
        });
    }
    if !by_date {
        // Equal scores (short messages often tie) show newest first, the same on every run.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.message.secs.cmp(&a.message.secs))
                .then(b.message.line.cmp(&a.message.line))
        });
    }
    Ok(SearchResult {
        query: input.to_string(),
        total,
        hits,
        notes: parsed.notes,
    })
}

/// Byte ranges of `text` that match the query's terms: exact tokens first, then prefixes,
/// then near spellings (for `word*` and `word~`), phrases as runs of tokens.
pub fn match_ranges(text: &str, parsed: &ParsedQuery) -> Vec<std::ops::Range<usize>> {
    highlight_ranges(text, &parsed.highlight)
}

/// `match_ranges` for a query's highlight terms (see `ParsedQuery::highlight`).
pub fn highlight_ranges(text: &str, highlight: &[String]) -> Vec<std::ops::Range<usize>> {
    if highlight.is_empty() {
        return Vec::new();
    }
    let mut tokens = Vec::new();
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        tokens.push((t.text.clone(), t.offset_from..t.offset_to));
    }
    let mut ranges = Vec::new();
    for entry in highlight {
        let seq: Vec<&str> = entry.split(' ').filter(|s| !s.is_empty()).collect();
        if seq.is_empty() {
            continue;
        }
        let found = find_runs(&tokens, &seq, |t, q| t == q);
        let found = if found.is_empty() && seq.len() == 1 {
            let prefix = find_runs(&tokens, &seq, |t, q| t.starts_with(q));
            if prefix.is_empty() {
                find_runs(&tokens, &seq, within_one_edit)
            } else {
                prefix
            }
        } else {
            found
        };
        ranges.extend(found);
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup_by(|b, a| {
        b.start < a.end && {
            a.end = a.end.max(b.end);
            true
        }
    });
    ranges
}

fn find_runs(
    tokens: &[(String, std::ops::Range<usize>)],
    seq: &[&str],
    eq: impl Fn(&str, &str) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if tokens.len() < seq.len() {
        return out;
    }
    for start in 0..=tokens.len() - seq.len() {
        if seq
            .iter()
            .enumerate()
            .all(|(i, q)| eq(&tokens[start + i].0, q))
        {
            out.push(tokens[start].1.start..tokens[start + seq.len() - 1].1.end);
        }
    }
    out
}

pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 || a.len() < 3 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        if i + 1 < a.len() && j + 1 < b.len() && a[i] == b[j + 1] && a[i + 1] == b[j] {
            i += 2;
            j += 2;
        } else if a.len() > b.len() {
            i += 1;
        } else if b.len() > a.len() {
            j += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// A window of about `width` characters around the first match, each match wrapped in «».
pub fn snippet(text: &str, parsed: &ParsedQuery, width: usize) -> String {
    let ranges = match_ranges(text, parsed);
    let first = ranges.first().map_or(0, |r| r.start);
    // Start a little before the first match, on a char boundary.
    let mut start = first;
    let mut back = 0;
    while start > 0 && back < width / 3 {
        start -= 1;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        back += 1;
    }
    let mut end = start;
    let mut taken = 0;
    while end < text.len() && taken < width {
        end += 1;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        taken += 1;
    }
    let mut out = String::with_capacity(end - start + 8);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for r in ranges.iter().filter(|r| r.start >= start && r.end <= end) {
        out.push_str(&text[at..r.start]);
        out.push(MARK_OPEN);
        out.push_str(&text[r.clone()]);
        out.push(MARK_CLOSE);
        at = r.end;
    }
    out.push_str(&text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_one() {
        assert!(within_one_edit("pizza", "piza"));
        assert!(within_one_edit("pizza", "pizzo"));
        assert!(within_one_edit("pizza", "pziza"));
        assert!(!within_one_edit("pizza", "pasta"));
    }
}
