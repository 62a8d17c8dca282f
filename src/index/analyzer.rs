//! The search analyzer: UAX #29 words, CJK characters one per token, emoji kept as tokens,
//! each token normalised (NFC for text, NFKC for names, see `crate::fold`), then lowercased
//! and ASCII-folded so `cafe` finds `Café`. Registered on every index open.
//!
//! `index::words::MessageWords` makes a message's top-words terms by the same walk without
//! running this analyzer (import reads each message's words once): a change to the rules
//! here must be made there too, and its property test, which compares the two, says so.

use crate::fold::{with_folding, Form};
use crate::textscan::{is_cjk_char, is_emoji_token, word_segments, WordSegments};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name the analyzer is registered under.
pub const ANALYZER: &str = "whatscope";

/// Tokens longer than this many bytes are dropped (long URLs stay searchable by their parts).
pub(crate) const LONGEST_TOKEN: usize = 255;

/// The analyzer of message text, file names and queries over them (NFC).
pub fn analyzer() -> TextAnalyzer {
    analyzer_for(Form::Text)
}

/// The analyzer of sender and chat names and of `from:` / `chat:` values (NFKC), so that
/// compatibility forms of a name (`Ｚorblax`, `𝐙orblax`) are its plain letters.
pub fn name_analyzer() -> TextAnalyzer {
    analyzer_for(Form::Name)
}

fn analyzer_for(form: Form) -> TextAnalyzer {
    let tokenizer = ChatTokenizer {
        form,
        token: Token::default(),
    };
    with_folding(TextAnalyzer::builder(tokenizer).filter(RemoveLongFilter::limit(LONGEST_TOKEN)))
        .build()
}

#[derive(Clone, Default)]
pub struct ChatTokenizer {
    /// The normalisation form of every token, before case and accent folding.
    form: Form,
    token: Token,
}

pub struct ChatTokenStream<'a> {
    text: &'a str,
    /// Its UAX #29 words, emoji and CJK runs; simple Latin stretches read without tables.
    words: WordSegments<'a>,
    /// A CJK word being emitted one character at a time: (offset, remaining text).
    pending_cjk: Option<(usize, &'a str)>,
    form: Form,
    token: &'a mut Token,
}

impl Tokenizer for ChatTokenizer {
    type TokenStream<'a> = ChatTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChatTokenStream<'a> {
        self.token.reset();
        ChatTokenStream {
            text,
            words: word_segments(text),
            pending_cjk: None,
            form: self.form,
            token: &mut self.token,
        }
    }
}

impl ChatTokenStream<'_> {
    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        let piece = &self.text[from..to];
        if crate::textscan::holds_emoji_presentation(piece) {
            self.token
                .text
                .extend(piece.chars().filter(|c| *c != '\u{FE0F}'));
        } else {
            self.token.text.push_str(piece);
        }
        // Per token, not per text: the ASCII fast path stays free, and offsets keep pointing
        // into the text as written (highlighting uses them).
        if let std::borrow::Cow::Owned(normal) = crate::fold::normalise(&self.token.text, self.form)
        {
            self.token.text = normal;
        }
        true
    }

    fn next_cjk(&mut self) -> Option<(usize, usize)> {
        let (offset, rest) = self.pending_cjk?;
        let mut chars = rest.chars();
        let c = chars.next()?;
        let len = c.len_utf8();
        let remaining = &rest[len..];
        self.pending_cjk = (!remaining.is_empty()).then_some((offset + len, remaining));
        Some((offset, offset + len))
    }
}

impl TokenStream for ChatTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((from, to)) = self.next_cjk() {
            return self.emit(from, to);
        }
        while let Some(segment) = self.words.next() {
            let (offset, word) = (segment.offset, segment.text);
            if segment.latin {
                return self.emit(offset, offset + word.len());
            }
            let first = word.chars().next().unwrap_or(' ');
            if word.chars().any(is_cjk_char) {
                self.pending_cjk = Some((offset, word));
                if let Some((from, to)) = self.next_cjk() {
                    return self.emit(from, to);
                }
            } else if first.is_alphanumeric() || word.chars().any(char::is_alphanumeric) {
                return self.emit(offset, offset + word.len());
            } else if !word.is_ascii() && is_emoji_token(word) {
                // UAX #29 gives each emoji cluster (with its modifiers and ZWJ) its own segment.
                return self.emit(offset, offset + word.len());
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::textscan::WORD_PIECES;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// The analyzer as it was before `textscan::word_segments`: `unicode_segmentation` over
    /// the whole text (its fast path gave the same words on simple Latin text), the same
    /// choice of tokens and the same token text.
    #[derive(Clone)]
    struct WholeTextTokenizer {
        form: Form,
        token: Token,
    }

    struct WholeTextStream<'a> {
        text: &'a str,
        words: unicode_segmentation::UWordBoundIndices<'a>,
        pending_cjk: Option<(usize, &'a str)>,
        form: Form,
        token: &'a mut Token,
    }

    impl Tokenizer for WholeTextTokenizer {
        type TokenStream<'a> = WholeTextStream<'a>;
        fn token_stream<'a>(&'a mut self, text: &'a str) -> WholeTextStream<'a> {
            self.token.reset();
            WholeTextStream {
                text,
                words: text.split_word_bound_indices(),
                pending_cjk: None,
                form: self.form,
                token: &mut self.token,
            }
        }
    }

    impl WholeTextStream<'_> {
        fn emit(&mut self, from: usize, to: usize) -> bool {
            self.token.text.clear();
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = from;
            self.token.offset_to = to;
            let piece: String = self.text[from..to]
                .chars()
                .filter(|c| *c != '\u{FE0F}')
                .collect();
            self.token.text = crate::fold::normalise(&piece, self.form).into_owned();
            true
        }
    }

    impl TokenStream for WholeTextStream<'_> {
        fn advance(&mut self) -> bool {
            if let Some((offset, rest)) = self.pending_cjk {
                if let Some(c) = rest.chars().next() {
                    let len = c.len_utf8();
                    let remaining = &rest[len..];
                    self.pending_cjk = (!remaining.is_empty()).then_some((offset + len, remaining));
                    return self.emit(offset, offset + len);
                }
            }
            while let Some((offset, word)) = self.words.next() {
                if word.chars().any(is_cjk_char) {
                    self.pending_cjk = Some((offset, word));
                    return self.advance();
                } else if word.chars().any(char::is_alphanumeric)
                    || (!word.is_ascii() && is_emoji_token(word))
                {
                    return self.emit(offset, offset + word.len());
                }
            }
            false
        }

        fn token(&self) -> &Token {
            self.token
        }

        fn token_mut(&mut self) -> &mut Token {
            self.token
        }
    }

    fn whole_text_analyzer(form: Form) -> TextAnalyzer {
        let tokenizer = WholeTextTokenizer {
            form,
            token: Token::default(),
        };
        with_folding(
            TextAnalyzer::builder(tokenizer).filter(RemoveLongFilter::limit(LONGEST_TOKEN)),
        )
        .build()
    }

    /// Every token with its text, offsets and position.
    fn all_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn tokens_equal_the_whole_text_walks_in_both_forms(
            picks in proptest::collection::vec(0..WORD_PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| WORD_PIECES[i]).collect();
            for (mut ours, form) in [(analyzer(), Form::Text), (name_analyzer(), Form::Name)] {
                let mut reference = whole_text_analyzer(form);
                let got = all_tokens(&mut ours, &text);
                let want = all_tokens(&mut reference, &text);
                prop_assert_eq!(got, want, "{:?} {:?}", text, form);
            }
        }
    }

    fn tokens(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn words_fold_case_and_accents() {
        assert_eq!(
            tokens("Café, MÜNCHEN! it's 42"),
            vec!["cafe", "munchen", "it's", "42"]
        );
    }

    #[test]
    fn decomposed_and_precomposed_letters_are_one_token() {
        assert_eq!(
            tokens("A\u{308}nderung \u{C4}NDERUNG"),
            vec!["anderung", "anderung"]
        );
    }

    #[test]
    fn names_compare_in_compatibility_form() {
        let mut a = name_analyzer();
        let mut s = a.token_stream("\u{1D419}orblax \u{FF22}en");
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        assert_eq!(out, vec!["zorblax", "ben"]);
        // Text keeps them: NFC only.
        assert_eq!(tokens("\u{1D419}orblax"), vec!["\u{1D419}orblax"]);
    }

    #[test]
    fn emoji_and_cjk() {
        assert_eq!(tokens("pizza 🍕🍕 ❤️"), vec!["pizza", "🍕", "🍕", "❤"]);
        assert_eq!(tokens("我们去吃饭"), vec!["我", "们", "去", "吃", "饭"]);
        assert_eq!(tokens("thumbs 👍🏽 up"), vec!["thumbs", "👍🏽", "up"]);
        // Every emoji character is a token, shown as text or not; other symbols are not.
        assert_eq!(tokens("❤ © ↔ ✁ ↚"), vec!["❤", "©", "↔"]);
    }
}
