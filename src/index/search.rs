//! Running a query: exact totals, relevance or date order, and `«»`-marked snippets computed
//! with the same analyzer that indexed the text, so highlights line up with what matched.

use super::analyzer::analyzer;
use super::archive::Archive;
use super::collect::{by_score, by_time, score_of};
use super::error::Error;
use super::query::{parse_query, Names, ParsedQuery};
use super::read::{Loader, StoredMessage};
use serde::Serialize;
use std::collections::VecDeque;
use tantivy::collector::Count;
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
    /// Whether a part of the query could not be read and was ignored (`notes` says which).
    pub lenient: bool,
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
) -> Result<SearchResult, Error> {
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
) -> Result<SearchResult, Error> {
    let names = Names::from_searcher(&archive.searcher())
        .map_err(Error::read)?
        .with_aliases(aliases);
    search_with_names(archive, input, limit, sort, &names)
}

/// [`search`] with the names `from:` and `chat:` match given: the archive's names with
/// aliases and the people merged by the user (see `people::People::group`).
pub fn search_with_names(
    archive: &Archive,
    input: &str,
    limit: usize,
    sort: SortOrder,
    names: &Names,
) -> Result<SearchResult, Error> {
    let searcher = archive.searcher();
    let parsed = parse_query(input, &archive.fields, names);
    let by_date = sort == SortOrder::Date || parsed.filters_only;
    let (total, addresses): (usize, Vec<(f32, tantivy::DocAddress)>) = if by_date {
        let (total, hits) = searcher
            .search(&*parsed.query, &(Count, by_time(limit, 0, false)))
            .map_err(Error::read)?;
        (total, hits.into_iter().map(|(_, a)| (1.0, a)).collect())
    } else {
        let (total, hits) = searcher
            .search(&*parsed.query, &(Count, by_score(limit)))
            .map_err(Error::read)?;
        let scored = hits.into_iter().map(|(rank, a)| (score_of(rank), a));
        (total, scored.collect())
    };
    let mut hits: Vec<Hit> = Vec::with_capacity(addresses.len().min(limit));
    let mut loader = Loader::new(archive, &searcher);
    for (score, addr) in addresses.into_iter().take(limit) {
        let message = loader.load(addr)?;
        let snippet = snippet(&message.message.text, &parsed, 160);
        hits.push(Hit {
            message,
            score,
            snippet,
        });
    }
    // Equal scores (short messages often tie) show newest first; the id settles the rest
    // (the same line of two chats), so the order is the same on every run whatever segments
    // the index holds; the collectors pick the page by the same order. By date, every score
    // is 1.0 and only time, line and id order.
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.message.secs.cmp(&a.message.secs))
            .then(b.message.line.cmp(&a.message.line))
            .then(a.message.message.id.cmp(&b.message.message.id))
    });
    Ok(SearchResult {
        query: input.to_string(),
        total,
        hits,
        lenient: !parsed.notes.is_empty(),
        notes: parsed.notes,
    })
}

/// Byte ranges of `text` that match the query's terms: exact tokens first, then prefixes,
/// then near spellings (for `word*` and `word~`), phrases as runs of tokens.
pub fn match_ranges(text: &str, parsed: &ParsedQuery) -> Vec<std::ops::Range<usize>> {
    highlight_ranges(text, &parsed.highlight)
}

/// `match_ranges` for a query's highlight terms (see `ParsedQuery::highlight`).
///
/// One pass over the text's tokens holding only the last few (as many as the longest phrase)
/// and the matches found, so memory grows with the matches, never with the text
/// (docs/reliability.md, A4).
pub fn highlight_ranges(text: &str, highlight: &[String]) -> Vec<std::ops::Range<usize>> {
    let mut entries: Vec<EntryMatches> = highlight
        .iter()
        .map(|entry| EntryMatches::new(entry))
        .filter(|e| !e.seq.is_empty())
        .collect();
    let Some(longest) = entries.iter().map(|e| e.seq.len()).max() else {
        return Vec::new();
    };
    let mut window: VecDeque<(String, std::ops::Range<usize>)> = VecDeque::with_capacity(longest);
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        // Reuse the buffer of the token leaving the window: no allocation per token.
        let mut buf = if window.len() == longest {
            window.pop_front().map(|(b, _)| b).unwrap_or_default()
        } else {
            String::new()
        };
        buf.clear();
        buf.push_str(&t.text);
        window.push_back((buf, t.offset_from..t.offset_to));
        for entry in &mut entries {
            entry.see(&window);
        }
    }
    let mut ranges: Vec<std::ops::Range<usize>> =
        entries.into_iter().flat_map(EntryMatches::best).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup_by(|b, a| {
        b.start < a.end && {
            a.end = a.end.max(b.end);
            true
        }
    });
    ranges
}

/// The matches of one highlight entry (a word or a phrase): exact runs of tokens; for a single
/// word also prefixes and near spellings, used only when nothing closer matched, and dropped
/// as soon as something closer does.
struct EntryMatches<'q> {
    seq: Vec<&'q str>,
    exact: Vec<std::ops::Range<usize>>,
    prefix: Vec<std::ops::Range<usize>>,
    near: Vec<std::ops::Range<usize>>,
}

impl<'q> EntryMatches<'q> {
    fn new(entry: &'q str) -> Self {
        EntryMatches {
            seq: entry.split(' ').filter(|s| !s.is_empty()).collect(),
            exact: Vec::new(),
            prefix: Vec::new(),
            near: Vec::new(),
        }
    }

    /// Looks at the run of tokens that ends with the newest one in `window`.
    fn see(&mut self, window: &VecDeque<(String, std::ops::Range<usize>)>) {
        let n = self.seq.len();
        if window.len() < n {
            return;
        }
        let run = window.range(window.len() - n..);
        let Some(first) = run.clone().next() else {
            return;
        };
        let whole = first.1.start..window.back().map_or(first.1.end, |t| t.1.end);
        if run.zip(&self.seq).all(|(t, q)| t.0 == *q) {
            self.exact.push(whole);
            self.prefix = Vec::new();
            self.near = Vec::new();
            return;
        }
        if n != 1 || !self.exact.is_empty() {
            return;
        }
        let (token, query) = (first.0.as_str(), self.seq[0]);
        if token.starts_with(query) {
            self.prefix.push(whole);
            self.near = Vec::new();
        } else if self.prefix.is_empty() && within_one_edit(token, query) {
            self.near.push(whole);
        }
    }

    /// Exact runs, else prefixes, else near spellings.
    fn best(self) -> Vec<std::ops::Range<usize>> {
        if !self.exact.is_empty() {
            self.exact
        } else if !self.prefix.is_empty() {
            self.prefix
        } else {
            self.near
        }
    }
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

    fn marked(text: &str, highlight: &[&str]) -> Vec<String> {
        let highlight: Vec<String> = highlight.iter().map(|s| s.to_string()).collect();
        highlight_ranges(text, &highlight)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn exact_beats_prefix_beats_near_spelling_phrases_are_runs() {
        assert_eq!(marked("pizzeria pizza piza", &["pizza"]), ["pizza"]);
        assert_eq!(marked("pizzeria piza", &["pizz"]), ["pizzeria"]);
        assert_eq!(marked("a piza here", &["pizza"]), ["piza"]);
        assert_eq!(
            marked("big pizza party, pizza night", &["pizza party"]),
            ["pizza party"]
        );
        assert_eq!(
            marked("pizza party pizza", &["pizza party", "pizza"]),
            ["pizza party", "pizza"]
        );
        assert!(marked("nothing", &["pizza"]).is_empty());
    }

    #[test]
    fn edit_distance_one() {
        assert!(within_one_edit("pizza", "piza"));
        assert!(within_one_edit("pizza", "pizzo"));
        assert!(within_one_edit("pizza", "pziza"));
        assert!(!within_one_edit("pizza", "pasta"));
    }
}
