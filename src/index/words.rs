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
use crate::textscan::{is_cjk_char, links};
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Longer tokens are noise (keyboard mashing, long numbers with letters, hashes).
pub const LONGEST_WORD: usize = 30;

thread_local! {
    static ANALYZER: RefCell<TextAnalyzer> = RefCell::new(analyzer());
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
}
