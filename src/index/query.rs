//! The query language of docs/query-language.md, parsed leniently into a tantivy query: never an error,
//! anything that does not parse strictly is searched as plain words, with a note.
//!
//! Grammar, token by token (tokens are separated by white space):
//! - `word`, `word*` (prefix), `word~` (fuzzy, edit distance 1): must match in `text` or `file`;
//! - `"exact phrase"` (an unclosed quote runs to the end of the input): must match in `text`;
//! - `name:value` / `name:"quoted value"` for the filters `from`, `chat`, `after`, `before`,
//!   `kind`, `has` (names case-insensitive; any other `name:` is a plain word);
//! - a leading `-` excludes a word, phrase or filter;
//! - `OR` (uppercase) between two positive terms, phrases or filters groups them
//!   (`a OR b OR c`); an `OR` without a term on each side is the word "or";
//! - `AND` (uppercase) between two terms is what a space is already (`pizza AND curry`);
//!   `NOT` (uppercase) before a term excludes it as `-` does (`pizza NOT curry`); either one
//!   without a term where it needs one is the word "and" or "not".
//!
//! Everything else is ANDed. A query without any positive term matches every message the
//! filters (and exclusions) allow; a query of which no word and no filter could be read
//! (`(`, `***`) matches nothing, with a note, rather than everything.

use crate::index::analyzer::{analyzer, name_analyzer};
use crate::index::schema::{field, ts_to_secs, Fields};
use crate::model::Kind;
use crate::timestamp::parse_time;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, InvertedIndexRangeQuery,
    Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

mod lex;

use lex::{group, lex, resolve_and_not, Clause, Filter, Value};

/// A parsed query, ready to run, with what the UI needs around it.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    /// Lowercased, folded terms/phrases the user searched for (not filters, not excluded), for
    /// snippet highlighting. Each entry is the analyzer tokens of one term or phrase joined by
    /// single spaces (split on `' '` for the token sequence); a prefix term (`caf*`) is given
    /// as its prefix (`caf`), a fuzzy term (`cafe~`) as typed (`cafe`).
    pub highlight: Vec<String>,
    /// True when the query has no positive text term (only filters, or empty): results are
    /// "all messages matching filters".
    pub filters_only: bool,
    /// Notes for the user when a part was read leniently (e.g. "unknown kind `foo`",
    /// "after: needs YYYY-MM-DD").
    pub notes: Vec<String>,
    /// The parts that could not be read, each as "`part`: why": what a command that must
    /// not guess (`export --query`) refuses the query for. Empty when `notes` is.
    pub unread: Vec<String>,
}

/// Parses a query string; never fails.
pub fn parse_query(input: &str, fields: &Fields, names: &Names) -> ParsedQuery {
    let lexemes = resolve_and_not(lex(input));
    let groups = group(lexemes);
    let mut builder = Builder {
        fields,
        names,
        analyzer: analyzer(),
        name_analyzer: name_analyzer(),
        highlight: Vec::new(),
        notes: Vec::new(),
        unread: Vec::new(),
        has_text: false,
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in groups {
        if let [only] = group.as_slice() {
            if only.negated {
                if let Some(q) = builder.clause(only) {
                    clauses.push((Occur::MustNot, q));
                }
                continue;
            }
        }
        let mut alternatives: Vec<Box<dyn Query>> =
            group.iter().filter_map(|c| builder.clause(c)).collect();
        match alternatives.len() {
            0 => {}
            1 => clauses.extend(alternatives.pop().map(|q| (Occur::Must, q))),
            _ => clauses.push((Occur::Must, Box::new(BooleanQuery::union(alternatives)))),
        }
    }
    let query: Box<dyn Query> = if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        if clauses.is_empty() && !input.trim().is_empty() {
            // Something was typed and none of it could be used: matching every message
            // would answer a question nobody asked.
            builder.lenient(
                input.trim(),
                "no word or filter to search for, so nothing matches",
            );
            Box::new(EmptyQuery)
        } else if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            clauses.push((Occur::Must, Box::new(AllQuery)));
            Box::new(BooleanQuery::new(clauses))
        }
    } else if clauses.len() == 1 {
        match clauses.pop() {
            Some((_, q)) => q,
            None => Box::new(AllQuery),
        }
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    let mut highlight: Vec<String> = Vec::new();
    for h in builder.highlight {
        if !highlight.contains(&h) {
            highlight.push(h);
        }
    }
    ParsedQuery {
        query,
        highlight,
        filters_only: !builder.has_text,
        notes: builder.notes,
        unread: builder.unread,
    }
}

// ---------------------------------------------------------------------------------------------
// Building

/// How a bare word matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exact,
    Prefix,
    Fuzzy,
}

struct Builder<'a> {
    fields: &'a Fields,
    names: &'a Names,
    analyzer: TextAnalyzer,
    /// For `from:` and `chat:` values: names compare in NFKC (see `crate::fold`).
    name_analyzer: TextAnalyzer,
    highlight: Vec<String>,
    notes: Vec<String>,
    unread: Vec<String>,
    has_text: bool,
}

impl Builder<'_> {
    /// Records a part of the query that could not be read, and why: a note for the lenient
    /// commands, a reason to refuse for the strict ones.
    fn lenient(&mut self, part: &str, why: &str) {
        self.notes.push(format!("`{part}` ignored: {why}"));
        self.unread.push(format!("`{part}`: {why}"));
    }

    /// The query of one clause, or `None` (with a note) when it has nothing to search.
    fn clause(&mut self, c: &Clause) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        match c.filter {
            None => {
                let (text, mode, targets): (&str, Mode, &[Field]) = match &c.value {
                    Value::Quoted(p) => (p, Mode::Exact, &[f.text]),
                    Value::Bare(w) => {
                        let (w, mode) = split_mode(w);
                        (w, mode, &[f.text, f.file])
                    }
                };
                let tokens = self.tokens(text);
                if tokens.is_empty() {
                    if !text.trim().is_empty() {
                        self.lenient(text.trim(), "no letter or digit to search for");
                    }
                    return None;
                }
                if !c.negated {
                    self.has_text = true;
                    self.highlight.push(tokens.join(" "));
                }
                let mut per_field: Vec<Box<dyn Query>> = targets
                    .iter()
                    .map(|field| tokens_query(*field, &tokens, mode))
                    .collect();
                if per_field.len() == 1 {
                    per_field.pop()
                } else {
                    Some(Box::new(BooleanQuery::union(per_field)))
                }
            }
            Some(filter) => self.filter(filter, &c.value).map(|q| {
                // Filters select, they do not rank.
                Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>
            }),
        }
    }

    fn filter(&mut self, filter: Filter, value: &Value) -> Option<Box<dyn Query>> {
        let name = filter.name();
        let (raw, quoted) = match value {
            Value::Bare(v) => (v.as_str(), false),
            Value::Quoted(v) => (v.as_str(), true),
        };
        let raw = raw.trim();
        let part = if quoted {
            format!("{name}:\"{raw}\"")
        } else {
            format!("{name}:{raw}")
        };
        match filter {
            Filter::From | Filter::Chat => self.name_filter(filter, raw, quoted, &part),
            Filter::After | Filter::Before => self.date_filter(filter, raw, &part),
            Filter::Kind => self.kind_filter(raw, &part),
            Filter::Has => self.has_filter(raw, &part),
        }
    }

    /// `from:` and `chat:`: the messages of every name the value fits.
    fn name_filter(
        &mut self,
        filter: Filter,
        raw: &str,
        quoted: bool,
        part: &str,
    ) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        let name = filter.name();
        let (field, names) = if filter == Filter::From {
            (f.sender_raw, self.names.sender_spellings())
        } else {
            (f.chat_raw, self.names.chats.iter().collect())
        };
        let (text, mode) = if quoted {
            (raw, Mode::Exact)
        } else {
            split_mode(raw)
        };
        let tokens = analyze(&mut self.name_analyzer, text);
        if tokens.is_empty() {
            self.lenient(part, &format!("{name}: needs a name"));
            return None;
        }
        // Names are few: match the words against each one, then select the
        // messages of every name that fits, by its exact stored form. A value that
        // is a whole name selects that name alone (`from:"Anna"` is never Anna
        // Fischer); only a value that is no whole name matches names by their words.
        let whole = |(_, name_tokens): &&(String, Vec<String>)| *name_tokens == tokens;
        let exact = mode == Mode::Exact && names.iter().any(whole);
        let mut chosen: Vec<&String> = names
            .into_iter()
            .filter(|n| {
                if exact {
                    whole(n)
                } else {
                    name_fits(&n.1, &tokens, mode)
                }
            })
            .flat_map(|(name, _)| {
                if filter == Filter::From {
                    self.names.person_of(name)
                } else {
                    vec![name]
                }
            })
            .collect();
        chosen.sort();
        chosen.dedup();
        let fitting: Vec<Box<dyn Query>> = chosen
            .into_iter()
            .map(|name| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, name),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        if fitting.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        Some(Box::new(BooleanQuery::union(fitting)))
    }

    /// `after:` (from the start of the date on) and `before:` (up to its start).
    fn date_filter(&mut self, filter: Filter, raw: &str, part: &str) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        let name = filter.name();
        let Some(start) = parse_time(raw) else {
            self.lenient(
                part,
                &format!("{name}: needs a date, YYYY-MM-DD (or YYYY-MM, YYYY)"),
            );
            return None;
        };
        let at = Term::from_field_i64(f.ts, ts_to_secs(&start));
        let (lower, upper) = if filter == Filter::After {
            (Bound::Included(at), Bound::Unbounded)
        } else {
            (Bound::Unbounded, Bound::Excluded(at))
        };
        Some(Box::new(RangeQuery::new(lower, upper)))
    }

    /// `kind:`: one message kind.
    fn kind_filter(&mut self, raw: &str, part: &str) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        match Kind::parse(raw) {
            Some(kind) => Some(kind_query(&f, kind)),
            None => {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                self.lenient(part, &format!("unknown kind (kinds: {})", kinds.join(", ")));
                None
            }
        }
    }

    /// `has:`: media, a link or an emoji.
    fn has_filter(&mut self, raw: &str, part: &str) -> Option<Box<dyn Query>> {
        let f = *self.fields;
        let v = raw.to_ascii_lowercase();
        if matches!(v.as_str(), "media" | "link" | "emoji") {
            Some(Box::new(TermQuery::new(
                Term::from_field_text(f.has, &v),
                IndexRecordOption::Basic,
            )))
        } else {
            self.lenient(part, "has: takes media, link or emoji");
            None
        }
    }

    /// The analyzer's tokens of `text`: normalised, lowercased, folded, CJK split per
    /// character.
    fn tokens(&mut self, text: &str) -> Vec<String> {
        analyze(&mut self.analyzer, text)
    }
}

/// Every token `analyzer` makes of `text`.
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The chat and sender names of the archive, with their analyzer tokens, for `chat:` and
/// `from:`: matching a handful of names beats indexing every message's name again.
#[derive(Debug, Clone, Default)]
pub struct Names {
    chats: Vec<(String, Vec<String>)>,
    senders: Vec<(String, Vec<String>)>,
    /// Other names `from:` accepts for a sender: (stored name, tokens of the other name).
    /// An anonymized view adds each sender's pseudonym, the only name its user ever sees.
    aliases: Vec<(String, Vec<String>)>,
    /// Stored sender names that are one person (merged by the user): `from:` any of them
    /// selects all of them.
    groups: Vec<Vec<String>>,
}

impl Names {
    pub fn new(
        chats: impl IntoIterator<Item = String>,
        senders: impl IntoIterator<Item = String>,
    ) -> Names {
        let mut a = name_analyzer();
        let mut tokenize = |names: &mut dyn Iterator<Item = String>| -> Vec<(String, Vec<String>)> {
            let mut out: Vec<(String, Vec<String>)> = names
                .filter(|n| !n.is_empty())
                .map(|n| {
                    let tokens = analyze(&mut a, &n);
                    (n, tokens)
                })
                .collect();
            out.sort();
            out.dedup();
            out
        };
        Names {
            chats: tokenize(&mut chats.into_iter()),
            senders: tokenize(&mut senders.into_iter()),
            aliases: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// These names, with each group of stored sender names taken as one person by `from:`.
    pub fn with_groups(mut self, groups: Vec<Vec<String>>) -> Names {
        self.groups = groups;
        self
    }

    /// The stored names `from:` selects for one that fits: every name of its person.
    fn person_of<'a>(&'a self, name: &'a String) -> Vec<&'a String> {
        match self.groups.iter().find(|g| g.contains(name)) {
            Some(group) => group.iter().collect(),
            None => vec![name],
        }
    }

    /// These names, with `from:` also taking each `(stored name, alias)` pair's alias for
    /// the stored name: `from:"Amber Fox"` selects the messages of the sender so named in an
    /// anonymized view, whose real name never has to be typed (or shown).
    pub fn with_aliases(mut self, pairs: &[(String, String)]) -> Names {
        let mut a = analyzer();
        for (stored, alias) in pairs {
            let mut tokens = Vec::new();
            let mut stream = a.token_stream(alias);
            while stream.advance() {
                tokens.push(stream.token().text.clone());
            }
            drop(stream);
            if !tokens.is_empty() {
                self.aliases.push((stored.clone(), tokens));
            }
        }
        self
    }

    /// What `from:` matches against: every sender's name and aliases, each with the stored
    /// name it selects.
    fn sender_spellings(&self) -> Vec<&(String, Vec<String>)> {
        self.senders.iter().chain(&self.aliases).collect()
    }

    /// Every sender name.
    pub fn senders(&self) -> impl Iterator<Item = String> + '_ {
        self.senders.iter().map(|(n, _)| n.clone())
    }

    /// Every chat name.
    pub fn chats(&self) -> impl Iterator<Item = String> + '_ {
        self.chats.iter().map(|(n, _)| n.clone())
    }

    /// The names held in an index, read from the dictionaries of its name columns.
    pub fn from_searcher(searcher: &tantivy::Searcher) -> tantivy::Result<Names> {
        let mut chats = Vec::new();
        let mut senders = Vec::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            for (column, out) in [
                (field::CHAT_RAW, &mut chats),
                (field::SENDER_RAW, &mut senders),
            ] {
                if let Some(col) = ff.str(column)? {
                    let mut buf = String::new();
                    for ord in 0..col.num_terms() as u64 {
                        buf.clear();
                        col.ord_to_str(ord, &mut buf)?;
                        out.push(buf.clone());
                    }
                }
            }
        }
        Ok(Names::new(chats, senders))
    }
}

/// Whether a name's tokens hold the filter's tokens as a run (the last one as a prefix for
/// `name*`, within one edit for a single `name~`).
fn name_fits(name: &[String], want: &[String], mode: Mode) -> bool {
    if want.is_empty() || name.len() < want.len() {
        return false;
    }
    (0..=name.len() - want.len()).any(|start| {
        want.iter().enumerate().all(|(i, w)| {
            let t = &name[start + i];
            let last = i + 1 == want.len();
            match mode {
                Mode::Exact => t == w,
                Mode::Prefix if last => t.starts_with(w.as_str()),
                Mode::Fuzzy if last => crate::index::search::within_one_edit(t, w) || t == w,
                _ => t == w,
            }
        })
    })
}

/// Strips a trailing `*` (prefix) or `~` (fuzzy) from a bare word.
fn split_mode(word: &str) -> (&str, Mode) {
    if let Some(w) = word.strip_suffix('*') {
        (w.trim_end_matches('*'), Mode::Prefix)
    } else if let Some(w) = word.strip_suffix('~') {
        (w.trim_end_matches('~'), Mode::Fuzzy)
    } else {
        (word, Mode::Exact)
    }
}

/// One word or phrase (non-empty `tokens`) on one field. Several tokens make a phrase; a
/// fuzzy phrase is matched exactly, a prefix phrase with its last token as the prefix.
fn tokens_query(field: Field, tokens: &[String], mode: Mode) -> Box<dyn Query> {
    let terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    match (terms.as_slice(), mode) {
        ([term], Mode::Exact) => {
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
        }
        ([term], Mode::Fuzzy) => Box::new(FuzzyTermQuery::new(term.clone(), 1, true)),
        ([_], Mode::Prefix) => prefix_query(field, &tokens[0]),
        (_, Mode::Prefix) => Box::new(PhrasePrefixQuery::new(terms)),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

/// Every term of `field` starting with `prefix`, read as one range of the term dictionary:
/// no automaton and no expansion limit, so it stays exact and fast on large indexes.
fn prefix_query(field: Field, prefix: &str) -> Box<dyn Query> {
    let lower = Bound::Included(Term::from_field_text(field, prefix));
    let upper = match prefix_end(prefix.as_bytes()) {
        Some(end) => {
            let mut term = Term::from_field_text(field, "");
            term.append_bytes(&end);
            Bound::Excluded(term)
        }
        None => Bound::Unbounded,
    };
    Box::new(InvertedIndexRangeQuery::new(lower, upper))
}

/// The smallest byte string greater than every string starting with `prefix`.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last != u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The messages of one kind, from the `kind` column: new archives do not index it as terms
/// (every message would add a posting for a filter people rarely type; docs/architecture.md,
/// "Archive versions"), and a range over the column reads schema-4 archives the same way.
pub fn kind_query(f: &Fields, kind: Kind) -> Box<dyn Query> {
    let term = Term::from_field_u64(f.kind, kind.code());
    Box::new(RangeQuery::new(
        Bound::Included(term.clone()),
        Bound::Included(term),
    ))
}

#[cfg(test)]
mod tests;
