//! Unicode normalisation and folding, defined once for indexing, queries, word statistics and
//! every comparison of names (docs/query-language.md, "Unicode normalisation").
//!
//! Text is compared in NFC, so a decomposed `Ä` (`A` + U+0308, as macOS tools write it) and
//! the precomposed one are the same letter; names are compared in NFKC, so compatibility
//! forms (full-width `Ｚ`, mathematical `𝐙`, ligatures) are their plain letters. After that,
//! both are lowercased and their Latin accents folded (`Ä` → `a`). Stored text is never
//! rewritten: only what is indexed, counted and compared.

use std::borrow::Cow;
use std::cell::RefCell;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, TextAnalyzerBuilder, TokenStream,
    Tokenizer,
};
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which normalisation form a string is compared in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Form {
    /// NFC: canonical equivalence only. Message text and queries over it.
    #[default]
    Text,
    /// NFKC: compatibility forms too. Sender and chat names.
    Name,
}

/// `s` in `form`, borrowed when it already is (ASCII always is: the common case costs one
/// pass over the bytes).
pub fn normalise(s: &str, form: Form) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    match form {
        Form::Text if is_nfc_quick(s.chars()) != IsNormalized::Yes => Cow::Owned(s.nfc().collect()),
        Form::Name if is_nfkc_quick(s.chars()) != IsNormalized::Yes => {
            Cow::Owned(s.nfkc().collect())
        }
        _ => Cow::Borrowed(s),
    }
}

/// Text as indexed and counted: NFC.
pub fn text(s: &str) -> Cow<'_, str> {
    normalise(s, Form::Text)
}

/// The case and accent folding every token gets after normalisation: lowercase, then Latin
/// letters with diacritics (and other ASCII look-alikes) to plain ASCII.
pub fn with_folding<T: Tokenizer>(
    builder: TextAnalyzerBuilder<T>,
) -> TextAnalyzerBuilder<impl Tokenizer> {
    builder.filter(LowerCaser).filter(AsciiFoldingFilter)
}

thread_local! {
    static FOLDER: RefCell<TextAnalyzer> =
        RefCell::new(with_folding(TextAnalyzer::builder(RawTokenizer::default())).build());
}

/// `s` (already normalised) with the analyzer's case and accent folding, as one string:
/// what names are compared by, where they are compared whole rather than word by word.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // Folding leaves ASCII as it is: only the case changes.
        return s.to_ascii_lowercase();
    }
    FOLDER.with(|folder| {
        let mut folder = folder.borrow_mut();
        let mut stream = folder.token_stream(s);
        // The raw tokenizer gives the whole input as one token.
        match stream.next() {
            Some(token) => token.text.clone(),
            None => s.to_lowercase(),
        }
    })
}

/// A name as it is compared everywhere names are matched: NFKC, lowercased, accents folded.
/// (`privacy::pseudonym::normalise_name` adds the rules about spaces, marks and phone
/// numbers around this.)
pub fn name(s: &str) -> String {
    fold(&normalise(s, Form::Name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc_and_borrowed_when_it_already_is() {
        assert_eq!(text("A\u{308}nderung"), "\u{C4}nderung");
        assert!(matches!(text("\u{C4}nderung"), Cow::Borrowed(_)));
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        // NFC keeps compatibility forms: only names are compared in NFKC.
        assert_eq!(text("\u{FF3A}orblax"), "\u{FF3A}orblax");
    }

    #[test]
    fn names_fold_compatibility_forms_case_and_accents() {
        for look_alike in [
            "Zorblax",
            "ZORBLAX",
            "\u{FF3A}orblax",
            "\u{1D419}orblax",
            "Z\u{F6}rblax",
            "Zo\u{308}rblax",
            "\u{17D}orblax",
        ] {
            assert_eq!(name(look_alike), "zorblax", "{look_alike:?}");
        }
        assert_eq!(name("J\u{F6}rg Stra\u{DF}e"), "jorg strasse");
        assert_eq!(name(""), "");
    }
}
