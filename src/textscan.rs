//! What a message's text holds, by docs/statistics.md's definitions: UAX #29 words, emoji grapheme
//! clusters and links. Shared by the search analyzer, import and statistics.

use unicode_segmentation::UnicodeSegmentation;

/// Characters that make a grapheme cluster an emoji (Extended_Pictographic blocks; regional-indicator
/// flags sit inside U+1F000..U+1FAFF), without pulling in a table crate.
pub fn is_emoji_char(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x2300..=0x23FF
        | 0x2B00..=0x2BFF
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139
        | 0x2194..=0x21AA
        | 0x24C2 | 0x25AA..=0x25FE | 0x2934 | 0x2935)
}

/// Whether a grapheme cluster is an emoji.
pub fn is_emoji_cluster(g: &str) -> bool {
    g.chars().next().is_some_and(is_emoji_char) || (g.contains('\u{20E3}')) // keycaps: 1️⃣
}

/// Han, kana and Hangul: scripts written without spaces, indexed one character per token so
/// that any run of characters can be found.
pub fn is_cjk_char(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // hiragana, katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified
        | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0x1100..=0x11FF
        | 0x20000..=0x2FFFF)
}

/// Words by docs/statistics.md: UAX #29 words that contain a letter or a digit.
pub fn count_words(text: &str) -> usize {
    if is_simple_latin(text) {
        return ascii_words(text).count();
    }
    text.split_word_bounds()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Text of ASCII and Latin letters (U+00C0..U+024F): its words follow the same few rules
/// as ASCII, every such letter being an ALetter. Most chat text in Latin scripts qualifies.
pub fn is_simple_latin(text: &str) -> bool {
    text.is_ascii()
        || text.chars().all(|c| {
            c.is_ascii()
                || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
        })
}

/// UAX #29 word segmentation restricted to ASCII text, where its rules reduce to a few
/// cases; the general tables cost a lookup per character and most chat text is ASCII.
/// Yields the byte ranges of the words that hold a letter or digit. Also right for text that
/// `is_simple_latin` accepts: every non-ASCII byte there belongs to a letter.
pub fn ascii_words(text: &str) -> AsciiWords<'_> {
    AsciiWords {
        b: text.as_bytes(),
        i: 0,
    }
}

pub struct AsciiWords<'a> {
    b: &'a [u8],
    i: usize,
}

fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn letter_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || c >= 0x80
}

/// WB6/7: letter (: . ') letter; WB11/12: digit (, . ; ') digit.
fn joins(before: u8, mid: u8, after: u8) -> bool {
    (letter_byte(before) && letter_byte(after) && matches!(mid, b':' | b'.' | b'\''))
        || (before.is_ascii_digit()
            && after.is_ascii_digit()
            && matches!(mid, b',' | b'.' | b';' | b'\''))
}

impl Iterator for AsciiWords<'_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        while self.i < b.len() {
            if !word_byte(b[self.i]) {
                self.i += 1;
                continue;
            }
            let start = self.i;
            let mut j = start + 1;
            while j < b.len() {
                if word_byte(b[j]) {
                    j += 1;
                } else if j + 1 < b.len() && joins(b[j - 1], b[j], b[j + 1]) {
                    j += 2;
                } else {
                    break;
                }
            }
            self.i = j;
            if b[start..j]
                .iter()
                .any(|c| c.is_ascii_alphanumeric() || *c >= 0x80)
            {
                return Some(start..j);
            }
        }
        None
    }
}

/// The emoji grapheme clusters of a text, with U+FE0F dropped so `❤️` and `❤` count as one.
pub fn emojis(text: &str) -> impl Iterator<Item = String> + '_ {
    let quick = text.is_ascii();
    text.graphemes(true)
        .filter(move |g| !quick && is_emoji_cluster(g))
        .map(|g| g.chars().filter(|c| *c != '\u{FE0F}').collect())
}

/// The links of a text: `http://`, `https://` or `www.` up to the next space.
pub fn links(text: &str) -> impl Iterator<Item = &str> + '_ {
    // Most messages hold no link: one fast scan rules them out.
    let b = text.as_bytes();
    let maybe = memchr::memmem::find(b, b"ttp").is_some()
        || memchr::memmem::find(b, b"TTP").is_some()
        || memchr::memmem::find(b, b"ww.").is_some()
        || memchr::memmem::find(b, b"WW.").is_some();
    text.split(|c: char| c.is_whitespace())
        .filter(move |_| maybe)
        .filter_map(|w| {
            let start = ["https://", "http://", "www."]
                .iter()
                .filter_map(|p| find_ignore_ascii_case(w, p))
                .min()?;
            let link = w[start..]
                .trim_end_matches(['.', ',', ')', '!', '?', ';', ':', '"', '\'', '>', ']']);
            (link.len() > 4).then_some(link)
        })
}

/// The domain of a link, lowercased, without `www.`.
pub fn link_domain(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

fn find_ignore_ascii_case(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_words_match_uax29() {
        for text in [
            "Hello, world! it's 3.14 or 1,000; e.g. a:b a.1 1.a __ x_y don't-stop 10:30 U.S.A. ok...",
            "  spaces   and\ttabs\nnew lines 'quoted' \"double\" (paren) [x] {y} a--b a/b 50% #tag @me",
            "a'b' 'a'b 1'000 a.b.c 1.2.3 1..2 a..b .a a. :a a: 1,a a,1 ;1 1; end",
            "Café à São Paulo, l'été dernier: Ärger über Łódź e Ñandú's 3,5 km.",
        ] {
            assert!(is_simple_latin(text));
            let ours: Vec<&str> = ascii_words(text).map(|r| &text[r]).collect();
            let uax: Vec<&str> = text
                .split_word_bounds()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            assert_eq!(ours, uax, "{text}");
        }
    }

    #[test]
    fn words_emojis_links() {
        assert_eq!(count_words("Hello, wörld! 42 times — ok?"), 5);
        assert_eq!(count_words("😂😂 !!"), 0);
        let e: Vec<String> = emojis("nice 👍🏽 ❤️ and 👨‍👩‍👧 ok").collect();
        assert_eq!(e, vec!["👍🏽", "❤", "👨‍👩‍👧"]);
        let l: Vec<&str> = links("see https://Example.com/a?b=1, and www.test.org.").collect();
        assert_eq!(l, vec!["https://Example.com/a?b=1", "www.test.org"]);
        assert_eq!(link_domain("https://www.Example.com:8080/a"), "example.com");
        assert_eq!(link_domain("www.test.org"), "test.org");
    }
}
