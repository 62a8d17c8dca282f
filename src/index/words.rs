//! The words a message contributes to `top_words`, worked out once at import and stored in the
//! `word` column, so that top words over any scope are a column scan.
//!
//! A message's words are the index analyzer's tokens of its text (UAX #29 words, lowercased,
//! ASCII-folded, CJK one character per token) that hold a letter, are at most
//! [`LONGEST_WORD`] characters long, are not a single Latin letter, are not part of a link and
//! are not stop words; each distinct word once per message, so `count` in `top_words` is the
//! number of messages that use the word.

use super::analyzer::analyzer;
use super::stopwords::is_stop_word;
use crate::fold::{fold, normalise, Form};
use crate::textscan::{ascii_words, count_words, is_cjk_char, is_simple_latin, links};
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Longer tokens are noise (keyboard mashing, long numbers with letters, hashes).
pub const LONGEST_WORD: usize = 30;

thread_local! {
    static ANALYZER: RefCell<TextAnalyzer> = RefCell::new(analyzer());
}

/// A message's word count (`textscan::count_words`) and its `top_words` terms, worked out
/// in one pass where the text allows, into buffers a worker reuses from message to message.
///
/// Most chat text is ASCII or Latin letters, without a link. There the analyzer's tokens are
/// exactly the `ascii_words` that `count_words` counts, folded, so one walk gives both, and
/// ASCII terms need no allocation of their own. Other text takes the analyzer, as the index
/// does.
#[derive(Default)]
pub struct MessageWords {
    /// The kept terms, lowercased, one after another; `spans` says where each is.
    lowered: String,
    spans: Vec<std::ops::Range<usize>>,
    /// The terms of text off the fast path.
    other: Vec<String>,
}

impl MessageWords {
    /// Reads `text`: returns its word count; its distinct terms are then [`Self::terms`].
    pub fn read(&mut self, text: &str) -> usize {
        self.lowered.clear();
        self.spans.clear();
        self.other.clear();
        if !is_simple_latin(text) || links(text).next().is_some() {
            self.other = top_word_terms(text);
            return count_words(text);
        }
        let mut count = 0;
        for range in ascii_words(text) {
            count += 1;
            let word = &text[range];
            let start = self.lowered.len();
            if word.is_ascii() {
                if word.len() < 2 || word.len() > LONGEST_WORD {
                    continue;
                }
                self.lowered
                    .extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                // As the analyzer treats every token: NFC, then case and accents folded.
                self.lowered.push_str(&fold(&normalise(word, Form::Text)));
            }
            let lower = &self.lowered[start..];
            let seen = self.spans.iter().any(|s| &self.lowered[s.clone()] == lower);
            if seen || !keep(lower) {
                self.lowered.truncate(start);
            } else {
                self.spans.push(start..self.lowered.len());
            }
        }
        let lowered = &self.lowered;
        self.spans
            .sort_unstable_by(|a, b| lowered[a.clone()].cmp(&lowered[b.clone()]));
        count
    }

    /// The distinct terms of the text last read, sorted.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        let fast = self.spans.iter().map(|s| &self.lowered[s.clone()]);
        fast.chain(self.other.iter().map(String::as_str))
    }
}

/// The distinct `top_words` terms of a message text, sorted.
pub fn top_word_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Links are counted as domains, not as words: blank them out first.
    let mut blanked: Option<String> = None;
    for link in links(text) {
        let start = link.as_ptr() as usize - text.as_ptr() as usize;
        let b = blanked.get_or_insert_with(|| text.to_string());
        b.replace_range(start..start + link.len(), &" ".repeat(link.len()));
    }
    let text = blanked.as_deref().unwrap_or(text);
    ANALYZER.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(text);
        while let Some(token) = stream.next() {
            let w = token.text.as_str();
            if keep(w) && !out.iter().any(|o| o == w) {
                out.push(w.to_string());
            }
        }
    });
    out.sort_unstable();
    out
}

fn keep(w: &str) -> bool {
    // Most tokens are ASCII: a char per byte, no CJK, letters by a byte test.
    if w.is_ascii() {
        let b = w.as_bytes();
        return b.len() > 1
            && b.len() <= LONGEST_WORD
            && b.iter().any(u8::is_ascii_alphabetic)
            && !is_stop_word(w);
    }
    let mut chars = 0;
    let mut letter = false;
    let mut cjk = false;
    for c in w.chars() {
        chars += 1;
        letter |= c.is_alphabetic();
        cjk |= is_cjk_char(c);
    }
    letter && chars <= LONGEST_WORD && (chars > 1 || cjk) && !is_stop_word(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of ASCII chat text where word rules have cases: joiners between letters and
    /// digits, stop words, case, underscores, a link's start, a non-ASCII letter.
    const PIECES: &[&str] = &[
        "a", "B", "pizza", "The", "THE", "it", "7", "42", " ", "\n", ".", ",", "'", ":", ";", "_",
        "-", "!", "x2", "www.", "http://", "é", "É", "ß", "\u{C6}", "ǅ", "\u{24F}", "👍",
    ];

    proptest! {
        #[test]
        fn one_pass_reading_equals_the_analyzer_on_any_mix(
            picks in proptest::collection::vec(0..PIECES.len(), 0..30)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let mut words = MessageWords::default();
            let count = words.read(&text);
            let terms: Vec<String> = words.terms().map(str::to_string).collect();
            prop_assert_eq!(terms, top_word_terms(&text));
            prop_assert_eq!(count, count_words(&text));
        }
    }

    #[test]
    fn distinct_folded_words_without_stop_words_links_or_numbers() {
        assert_eq!(
            top_word_terms("Pizza tonight? PIZZA! Café at 8, see https://pizza.example.com/x 🍕"),
            vec!["cafe", "pizza", "tonight"]
        );
        assert_eq!(
            top_word_terms("Kit list so far:\n- boots\n- waterproofs\n- 2L water"),
            vec!["2l", "boots", "far", "kit", "list", "water", "waterproofs"]
        );
        assert_eq!(
            top_word_terms("我们去吃饭"),
            vec!["们", "去", "吃", "我", "饭"]
        );
        assert!(top_word_terms("a 42 3.14 😂 I'm it's").is_empty());
    }

    /// The one-pass reading gives what the analyzer and `count_words` give, on text that
    /// takes the fast path and on text that does not.
    #[test]
    fn one_pass_reading_equals_the_analyzer_and_the_word_count() {
        let texts = [
            "Pizza tonight? PIZZA! pizza... THE end, it's 42 o'clock",
            "Kit list so far:\n- boots\n- waterproofs\n- 2L water x_y a.b 3,5 e.g. U.S.A.",
            "Café at 8 ☕",
            "see https://pizza.example.com/x and www.example.org too",
            "",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "我们去吃饭 ok",
        ];
        let mut words = MessageWords::default();
        for text in texts {
            let count = words.read(text);
            let terms: Vec<String> = words.terms().map(str::to_string).collect();
            assert_eq!(terms, top_word_terms(text), "{text:?}");
            assert_eq!(count, count_words(text), "{text:?}");
        }
    }
}
