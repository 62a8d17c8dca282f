//! The words a message contributes to `top_words`, worked out once at import and stored in the
//! `word` column, so that top words over any scope are a column scan.
//!
//! A message's words are the index analyzer's tokens of its text (UAX #29 words, lowercased,
//! ASCII-folded, CJK one character per token) that hold a letter, are at most
//! [`LONGEST_WORD`] characters long, are not a single Latin letter, are not part of a link and
//! are not stop words; each distinct word once per message, so `count` in `top_words` is the
//! number of messages that use the word.

use super::analyzer::{analyzer, LONGEST_TOKEN};
use super::stopwords::is_stop_word;
use crate::fold::{fold, normalise, Form};
use crate::textscan::{count_words, is_cjk_char, links, word_segments};
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Longer tokens are noise (keyboard mashing, long numbers with letters, hashes).
pub const LONGEST_WORD: usize = 30;

thread_local! {
    static ANALYZER: RefCell<TextAnalyzer> = RefCell::new(analyzer());
}

/// A message's word count (`textscan::count_words`) and its `top_words` terms, worked out
/// in one walk over its words, into buffers a worker reuses from message to message.
///
/// `count_words` and the analyzer split text the same way (`textscan::word_segments`: UAX #29
/// words, simple Latin stretches read by `ascii_words`, which gives the same words faster),
/// so the word count and the terms come from one walk, each term made as the analyzer makes
/// its token. Text with a link takes the analyzer on the text with its links blanked out
/// ([`top_word_terms`]).
#[derive(Default)]
pub struct MessageWords {
    /// The kept terms, one after another; `spans` says where each is.
    lowered: String,
    spans: Vec<std::ops::Range<usize>>,
    /// The terms of a text with a link.
    other: Vec<String>,
    /// Whether the text last read holds a link.
    linked: bool,
}

impl MessageWords {
    /// Reads `text`: returns its word count; its distinct terms are then [`Self::terms`].
    pub fn read(&mut self, text: &str) -> usize {
        self.lowered.clear();
        self.spans.clear();
        self.other.clear();
        self.linked = links(text).next().is_some();
        if self.linked {
            self.other = top_word_terms(text);
            return count_words(text);
        }
        // In the order they come: a message's terms are counted, never listed, so sorting
        // them (2 % of an import) bought nothing.
        self.unicode_words(text)
    }

    /// The analyzer's walk (`index::analyzer`): a word with a CJK character gives one token
    /// per character, another word with a letter or digit one token (a simple Latin segment
    /// is such a word). Words without a letter or digit (emoji, punctuation) give no term: a
    /// term needs a letter.
    fn unicode_words(&mut self, text: &str) -> usize {
        let mut count = 0;
        for segment in word_segments(text) {
            let word = segment.text;
            if segment.latin {
                count += 1;
                self.offer(word);
                continue;
            }
            if !word.chars().any(char::is_alphanumeric) {
                continue;
            }
            count += 1;
            if word.chars().any(is_cjk_char) {
                let mut one = [0u8; 4];
                for c in word.chars() {
                    self.offer(c.encode_utf8(&mut one));
                }
            } else {
                self.offer(word);
            }
        }
        count
    }

    /// Keeps `token`'s term if it is one and is new: the token as the analyzer makes it
    /// (U+FE0F dropped, NFC, too long dropped, case and accents folded), then [`keep`].
    fn offer(&mut self, token: &str) {
        let start = self.lowered.len();
        if token.is_ascii() {
            if token.len() < 2 || token.len() > LONGEST_WORD {
                return;
            }
            self.lowered.push_str(token);
            self.lowered[start..].make_ascii_lowercase();
        } else {
            let plain: std::borrow::Cow<str> = if crate::textscan::holds_emoji_presentation(token) {
                token
                    .chars()
                    .filter(|c| *c != '\u{FE0F}')
                    .collect::<String>()
                    .into()
            } else {
                token.into()
            };
            let normal = normalise(&plain, Form::Text);
            if normal.len() >= LONGEST_TOKEN {
                return;
            }
            self.lowered.push_str(&fold(&normal));
        }
        let term = &self.lowered[start..];
        // Kept first: most tokens are stop words, which need no look at the terms so far.
        if !keep(term) || self.spans.iter().any(|s| &self.lowered[s.clone()] == term) {
            self.lowered.truncate(start);
        } else {
            self.spans.push(start..self.lowered.len());
        }
    }

    /// Whether the text last read holds a link (so a caller that also wants the links need
    /// not look for them in every text: most hold none).
    pub fn linked(&self) -> bool {
        self.linked
    }

    /// The distinct terms of the text last read, in no particular order.
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
    use crate::textscan::WORD_PIECES;
    use proptest::prelude::*;

    /// Pieces of ASCII chat text where word rules have cases: joiners between letters and
    /// digits, stop words, case, underscores, a link's start, a non-ASCII letter.
    const PIECES: &[&str] = &[
        "a",
        "B",
        "pizza",
        "The",
        "THE",
        "it",
        "7",
        "42",
        " ",
        "\n",
        ".",
        ",",
        "'",
        ":",
        ";",
        "_",
        "-",
        "!",
        "x2",
        "www.",
        "http://",
        "é",
        "É",
        "ß",
        "\u{C6}",
        "ǅ",
        "\u{24F}",
        "👍",
        "\u{FE0F}",
        "\u{200D}",
        "\u{301}",
        "\u{1F3FD}",
        "1\u{20E3}",
        "Ⓜ",
        "\u{202A}",
        "\u{202C}",
        "我",
        "们",
        "。",
        "カタカナ",
        "ー",
        "한국",
        "ᄀ",
        "Ａ",
        "ﬀ",
        "²",
        "ह",
        "\u{94D}",
        "ع",
        "٣",
        "\u{600}",
        "Ω",
        "ΣΊΣΥΦΟΣ",
        "İ",
        "\u{1D419}",
    ];

    /// `MessageWords`' reading of `text`: its terms, sorted (it keeps them as they come), and
    /// its word count.
    fn one_pass(text: &str) -> (Vec<String>, usize) {
        let mut words = MessageWords::default();
        let count = words.read(text);
        let mut terms: Vec<String> = words.terms().map(str::to_string).collect();
        terms.sort_unstable();
        (terms, count)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn one_pass_reading_equals_the_analyzer_on_any_mix(
            picks in proptest::collection::vec(0..PIECES.len(), 0..30)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let (terms, count) = one_pass(&text);
            prop_assert_eq!(terms, top_word_terms(&text));
            prop_assert_eq!(count, count_words(&text));
        }

        #[test]
        fn one_pass_reading_equals_the_analyzer_where_the_walk_cuts_text(
            picks in proptest::collection::vec(0..WORD_PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| WORD_PIECES[i]).collect();
            let (terms, count) = one_pass(&text);
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
            "pizza\u{FE0F} ❤\u{FE0F} 1\u{FE0F}\u{20E3} Ⓜ\u{FE0F}ay 我们去\u{FE0F}吃饭",
            "see https://pizza.example.com/x and www.example.org too",
            "",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "我们去吃饭 ok",
        ];
        let mut words = MessageWords::default();
        for text in texts {
            let count = words.read(text);
            let mut terms: Vec<String> = words.terms().map(str::to_string).collect();
            terms.sort_unstable();
            assert_eq!(terms, top_word_terms(text), "{text:?}");
            assert_eq!(count, count_words(text), "{text:?}");
        }
    }
}
