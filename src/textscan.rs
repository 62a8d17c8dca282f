//! What a message's text holds, by docs/statistics.md's definitions: UAX #29 words, emoji grapheme
//! clusters and links. Shared by the search analyzer, import and statistics.

use unicode_properties::emoji::{EmojiStatus, UnicodeEmoji};
use unicode_segmentation::UnicodeSegmentation;

/// Whether `c` is an emoji character (Unicode's `Emoji=Yes`), whatever its default
/// presentation: `😂`, but also `©`, `↔` and the digits, which show as text unless asked to
/// show as emoji (see [`is_emoji_cluster`]).
pub fn is_emoji_char(c: char) -> bool {
    // No char below U+00A9 is an emoji but the keycap bases (a test checks it): text in Latin
    // scripts is told apart without a table lookup.
    if c < '\u{A9}' {
        return is_keycap_base(c);
    }
    UnicodeEmoji::is_emoji_char(c)
}

/// Whether a grapheme cluster is an emoji, by Unicode's emoji data (UTS #51, via
/// `unicode-properties`): its first char is an emoji character and the cluster shows as an
/// emoji, that is
/// * the char shows as an emoji by default (`Emoji_Presentation`: `😂`, `🫠`, flags, a skin
///   tone alone), unless U+FE0E right after it asks for text;
/// * or it shows as text by default (`©`, `❤`, `↔`, `☝`) and the cluster asks for an emoji:
///   U+FE0F (`❤️`), a skin tone (`☝🏽`) or a ZWJ sequence (`⛹‍♀`);
/// * or it is a keycap: `#`, `*` or a digit with U+20E3 (`1️⃣`; a plain digit is no emoji,
///   nor is `1` with U+FE0F alone).
///
/// The grapheme cluster keeps ZWJ sequences, skin tones and flags together, so each counts
/// as one emoji.
pub fn is_emoji_cluster(g: &str) -> bool {
    let mut chars = g.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if is_keycap_base(first) {
        return g.contains(KEYCAP);
    }
    if !is_emoji_char(first) {
        return false;
    }
    let mut rest = chars.peekable();
    if has_emoji_presentation(first) {
        return rest.peek() != Some(&TEXT_PRESENTATION);
    }
    rest.any(|c| c == EMOJI_PRESENTATION || c == ZWJ || is_emoji_modifier(c))
}

/// Whether a grapheme cluster is a symbol search keeps as a token: any cluster that starts
/// with an emoji character, however it is shown. Wider than [`is_emoji_cluster`] on purpose:
/// a query typed without U+FE0F (`❤`, as many keyboards write it) must still find `❤️`, and
/// `©` stays findable though it counts as no emoji. Keycap bases are digits, `#` and `*`:
/// words or punctuation, never symbol tokens on their own.
pub fn is_emoji_token(g: &str) -> bool {
    g.chars()
        .next()
        .is_some_and(|c| is_emoji_char(c) && !is_keycap_base(c))
        || is_emoji_cluster(g)
}

/// VS16: shows the char before it as an emoji.
const EMOJI_PRESENTATION: char = '\u{FE0F}';

/// Whether `s` holds U+FE0F, which tokens and terms drop. It is `EF B8 8F` in UTF-8, so a
/// text without an `EF` byte (nearly every token) is ruled out by one `memchr`: `contains`
/// with a non-ASCII char builds a substring searcher on every call, which cost 2 % of an
/// import when the analyzer asked it of every token.
pub fn holds_emoji_presentation(s: &str) -> bool {
    memchr::memchr(0xEF, s.as_bytes()).is_some() && s.contains(EMOJI_PRESENTATION)
}
/// VS15: shows the char before it as text.
const TEXT_PRESENTATION: char = '\u{FE0E}';
const ZWJ: char = '\u{200D}';
/// COMBINING ENCLOSING KEYCAP, which makes `1` the keycap `1️⃣`.
const KEYCAP: char = '\u{20E3}';

/// The chars a keycap sequence starts with.
fn is_keycap_base(c: char) -> bool {
    matches!(c, '#' | '*' | '0'..='9')
}

/// `Emoji_Presentation=Yes`: shown as an emoji without U+FE0F.
fn has_emoji_presentation(c: char) -> bool {
    matches!(
        c.emoji_status(),
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiPresentationAndModifierBase
            | EmojiStatus::EmojiPresentationAndEmojiComponent
            | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    )
}

/// `Emoji_Modifier=Yes`: the five skin tones U+1F3FB–U+1F3FF.
fn is_emoji_modifier(c: char) -> bool {
    matches!(
        c.emoji_status(),
        EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    )
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
    word_segments(text)
        .filter(|s| s.latin || s.text.chars().any(char::is_alphanumeric))
        .count()
}

/// Simple Latin text: ASCII and Latin letters ([`is_latin_letter`]), what [`ascii_words`]
/// reads right.
#[cfg(test)]
fn is_simple_latin(text: &str) -> bool {
    text.is_ascii() || text.chars().all(|c| c.is_ascii() || is_latin_letter(c))
}

/// The Latin letters U+00C0..U+024F: text of these and ASCII ("simple Latin") has its words
/// by the same few rules as ASCII, every such letter being an ALetter. Most chat text in
/// Latin scripts is such text.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
}

/// UAX #29 word segmentation restricted to ASCII text, where its rules reduce to a few
/// cases; the general tables cost a lookup per character and most chat text is ASCII.
/// Yields the byte ranges of the words that hold a letter or digit. Also right for simple
/// Latin text (`is_latin_letter`): every non-ASCII byte there belongs to a letter.
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

/// A UAX #29 segment of a text that [`word_segments`] yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Where it starts in the text, in bytes.
    pub offset: usize,
    pub text: &'a str,
    /// Read by [`ascii_words`] in a stretch of simple Latin text: a word with a letter or
    /// digit and no CJK char (callers skip their tests).
    pub latin: bool,
}

/// The UAX #29 segments of `text` that hold a letter, a digit or a char outside ASCII (every
/// word, emoji and CJK run), in order: what the word count, the search analyzer and the top
/// words read.
///
/// The whole text through `unicode_segmentation` costs a table lookup per char, and one
/// emoji or one Greek letter used to send a whole message there. So the text is cut into
/// pieces where UAX #29 certainly breaks and nothing across the cut matters (`is_cut`);
/// a piece of simple Latin text (`is_latin_letter`) takes [`ascii_words`], and only the
/// piece around each other char takes the tables. A property test holds the result equal
/// to the whole-text walk, segment by segment.
pub fn word_segments(text: &str) -> WordSegments<'_> {
    WordSegments {
        text,
        pos: 0,
        latin: ascii_words(""),
        other: "".split_word_bound_indices(),
        other_at: 0,
    }
}

pub struct WordSegments<'a> {
    text: &'a str,
    /// Where the text not yet cut into pieces begins: a cut, or the start.
    pos: usize,
    /// The simple Latin piece being read, its offsets those of the whole text.
    latin: AsciiWords<'a>,
    /// The piece after it, read by the tables, and where it starts.
    other: unicode_segmentation::UWordBoundIndices<'a>,
    other_at: usize,
}

impl<'a> Iterator for WordSegments<'a> {
    type Item = Segment<'a>;

    #[inline]
    fn next(&mut self) -> Option<Segment<'a>> {
        loop {
            // The common case stays small, inlined where words are read: the rest is out of
            // line.
            if let Some(r) = self.latin.next() {
                let text = self.text.get(r.clone())?;
                return Some(Segment {
                    offset: r.start,
                    text,
                    latin: true,
                });
            }
            if let Some(segment) = self.next_other() {
                return Some(segment);
            }
            if self.pos >= self.text.len() {
                return None;
            }
            self.cut_next_pieces();
        }
    }
}

impl<'a> WordSegments<'a> {
    /// The next segment of the piece read by the tables that holds a letter, a digit or a
    /// char outside ASCII.
    #[inline(never)]
    fn next_other(&mut self) -> Option<Segment<'a>> {
        let (offset, text) = self
            .other
            .find(|(_, s)| !s.is_ascii() || s.bytes().any(|b| b.is_ascii_alphanumeric()))?;
        Some(Segment {
            offset: self.other_at + offset,
            text,
            latin: false,
        })
    }

    /// Takes the simple Latin piece from `pos` up to the cut before the next other char
    /// (all the rest if there is none) and the piece from that cut to the first cut after
    /// the char.
    #[inline(never)]
    fn cut_next_pieces(&mut self) {
        let b = self.text.as_bytes();
        let start = self.pos;
        let Some(other) = next_non_latin(self.text, start) else {
            self.latin = AsciiWords { b, i: start };
            self.pos = b.len();
            return;
        };
        let from = (start + 1..=other)
            .rev()
            .find(|&j| is_cut(b, j))
            .unwrap_or(start);
        let to = (other + 1..b.len())
            .find(|&j| is_cut(b, j))
            .unwrap_or(b.len());
        self.latin = AsciiWords {
            b: &b[..from],
            i: start,
        };
        self.other = self
            .text
            .get(from..to)
            .unwrap_or("")
            .split_word_bound_indices();
        self.other_at = from;
        self.pos = to;
    }
}

/// The byte offset of the first char at or after `from` that is neither ASCII nor a Latin
/// letter ([`is_latin_letter`]); `from` is a char boundary.
fn next_non_latin(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    loop {
        i += first_non_ascii(b.get(i..)?)?;
        let c = text.get(i..)?.chars().next()?;
        if !is_latin_letter(c) {
            return Some(i);
        }
        i += c.len_utf8();
    }
}

/// Where the first byte outside ASCII is, looked for eight bytes at a time.
fn first_non_ascii(b: &[u8]) -> Option<usize> {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let high = u64::from_le_bytes(eight) & HIGH_BITS;
        if high != 0 {
            return Some(at + high.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = chunks.remainder();
    rest.iter().position(|c| !c.is_ascii()).map(|i| at + i)
}

/// Whether the text may be cut before byte `j`: UAX #29 breaks there and no rule looks
/// across. That is so right after an ASCII space, tab, CR or LF that an ASCII char or an
/// emoji pictograph ([`is_pictograph_at`]) follows, but for space space and CR LF:
/// * only WB3 (CR × LF), WB3d (space × space) and WB4 (× Extend, Format, ZWJ) join a char
///   to the whitespace before it, and WB4 joins no ASCII char and no pictograph. A cut
///   inside a run of spaces would not even be harmless: the run may go on into U+3000 or a
///   mark, and `  \u{93E}` is an analyzer token (the mark is alphabetic);
/// * the rules that look further (WB6/7, WB7b/c, WB11/12, WB15/16) need a letter, digit,
///   quote or regional indicator where the whitespace is.
fn is_cut(b: &[u8], j: usize) -> bool {
    let (Some(&before), Some(&at)) = (j.checked_sub(1).and_then(|i| b.get(i)), b.get(j)) else {
        return false;
    };
    if !at.is_ascii() {
        return matches!(before, b' ' | b'\t' | b'\r' | b'\n') && is_pictograph_at(b, j);
    }
    match before {
        b' ' => at != b' ',
        b'\r' => at != b'\n',
        b'\t' | b'\n' => true,
        _ => false,
    }
}

/// Whether a char of the emoji blocks U+1F000..U+1FAFF is at byte `j`, the skin tones
/// U+1F3FB..U+1F3FF (Extend) aside: none of them is Extend, Format or ZWJ (a test checks
/// each), so a segment starts with it after whitespace. Most emoji in chats follow a space:
/// the word before them then keeps the fast path.
fn is_pictograph_at(b: &[u8], j: usize) -> bool {
    let Some(c) = b
        .get(j..j + 4)
        .and_then(|four| std::str::from_utf8(four).ok())
        .and_then(|s| s.chars().next())
    else {
        return false;
    };
    matches!(c, '\u{1F000}'..='\u{1F3FA}' | '\u{1F400}'..='\u{1FAFF}')
}

/// The emoji grapheme clusters of a text, with U+FE0F dropped so `❤️` and `❤` count as one.
pub fn emojis(text: &str) -> impl Iterator<Item = String> + '_ {
    non_ascii_clusters(text)
        .filter(|g| is_emoji_cluster(g))
        .map(|g| g.chars().filter(|c| *c != '\u{FE0F}').collect())
}

/// The grapheme clusters of `text` that hold a character outside ASCII, in order.
///
/// Every emoji holds one (a keycap's U+20E3 too), and walking a text cluster by cluster
/// costs a table lookup per character (12 % of an import's instructions when every text
/// was walked). So the ASCII stretches between such clusters are skipped: in ASCII every
/// character is a cluster of its own, except CR LF, and nothing extends either, so a walk
/// can stop at its first ASCII cluster and start again one character before the next byte
/// outside ASCII (that character may begin the cluster: `1` of a keycap, a letter with a
/// combining accent).
pub fn non_ascii_clusters(text: &str) -> NonAsciiClusters<'_> {
    NonAsciiClusters {
        text,
        pos: 0,
        walk: None,
    }
}

pub struct NonAsciiClusters<'a> {
    text: &'a str,
    /// Where the ASCII stretch not yet looked at begins (a cluster boundary).
    pos: usize,
    walk: Option<unicode_segmentation::Graphemes<'a>>,
}

impl<'a> Iterator for NonAsciiClusters<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some(walk) = &mut self.walk {
                match walk.next() {
                    Some(cluster) if cluster.is_ascii() => {
                        // Back in ASCII: the walk's own text is a suffix of `text`.
                        self.pos = self.text.len() - walk.as_str().len();
                        self.walk = None;
                    }
                    Some(cluster) => return Some(cluster),
                    None => {
                        self.pos = self.text.len();
                        self.walk = None;
                        return None;
                    }
                }
            }
            let rest = self.text.as_bytes().get(self.pos..)?;
            let first = self.pos + rest.iter().position(|b| !b.is_ascii())?;
            let start = if first > self.pos { first - 1 } else { first };
            self.walk = Some(self.text.get(start..)?.graphemes(true));
        }
    }
}

/// The links of a text: `http://`, `https://` or `www.` up to the next space.
pub fn links(text: &str) -> impl Iterator<Item = &str> + '_ {
    // Most messages hold no link: one fast scan rules them out.
    let b = text.as_bytes();
    // The searchers are built once: building one costs more than scanning a short message.
    static FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 4]> =
        std::sync::LazyLock::new(|| {
            [b"ttp", b"TTP", b"ww.", b"WW."].map(memchr::memmem::Finder::new)
        });
    let maybe = FINDERS.iter().any(|f| f.find(b).is_some());
    // Without a candidate there is nothing to split: the split walks every char.
    let candidates = if maybe { text } else { "" };
    candidates
        .split(|c: char| c.is_whitespace())
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

/// Pieces of text where the UAX #29 word rules have cases, for the property tests that hold
/// [`word_segments`] and its users equal to a whole-text walk: whitespace of every kind
/// (where the walk cuts), joiners between letters and digits, marks that extend what comes
/// before (also a space), emoji sequences, regional indicators (which pair up), scripts with
/// rules of their own (Hebrew quotes, Katakana, CJK, Hangul, Thai) and Latin letters on
/// both sides of what [`is_latin_letter`] takes.
#[cfg(test)]
pub(crate) const WORD_PIECES: &[&str] = &[
    "a",
    "Z",
    "pizza",
    "The",
    "it's",
    "e.g.",
    "U.S.A.",
    "x_y",
    "_",
    "7",
    "42",
    "3.14",
    "1,000",
    "10:30",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\t",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\u{B}",
    "\u{C}",
    "\u{85}",
    "\u{2028}",
    "\u{A0}",
    "\u{202F}",
    "\u{3000}",
    "\u{2003}",
    ".",
    ",",
    ";",
    ":",
    "'",
    "\"",
    "-",
    "!",
    "#",
    "*",
    "\u{2019}",
    "\u{B7}",
    "\u{301}",
    "\u{93E}",
    "\u{FE0F}",
    "\u{FE0E}",
    "\u{200D}",
    "\u{200C}",
    "\u{AD}",
    "\u{2060}",
    "\u{200B}",
    "😂",
    "👍\u{1F3FD}",
    "\u{1F3FD}",
    "👨\u{200D}👩\u{200D}👧",
    "❤\u{FE0F}",
    "❤",
    "©",
    "1\u{FE0F}\u{20E3}",
    "\u{20E3}",
    "🇩🇪🇫🇷",
    "🇩🇪 🇫🇷",
    "\u{1F1E9}",
    "\u{1F1EA}",
    "🏴\u{E0067}\u{E0062}\u{E007F}",
    "我们",
    "去",
    "。",
    "カタカナ",
    "ー",
    "ｶ",
    "한국어",
    "ᄀ",
    "ᅡ",
    "مرحبا",
    "٣",
    "\u{600}",
    "שלום",
    "צה\"ל",
    "ג\u{5F3}",
    "\u{5F4}",
    "סי'",
    "สวัสดี",
    "नमस्ते",
    "ह",
    "é",
    "Ä",
    "ß",
    "Łódź",
    "ǅ",
    "\u{24F}",
    "ḁ",
    "Ａ",
    "１",
    "：",
    "Ⓜ",
    "Ⓜ\u{FE0F}",
    "Ω",
    "İ",
    "\u{1D419}",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The walk before pieces: `unicode_segmentation` over the whole text.
    fn whole_text_segments(text: &str) -> Vec<(usize, &str)> {
        text.split_word_bound_indices()
            .filter(|(_, s)| !s.is_ascii() || s.chars().any(char::is_alphanumeric))
            .collect()
    }

    fn words_of(picks: &[usize]) -> String {
        picks.iter().map(|&i| WORD_PIECES[i]).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8192))]
        #[test]
        fn the_piecewise_walk_finds_the_segments_the_whole_text_walk_finds(
            picks in proptest::collection::vec(0..WORD_PIECES.len(), 0..40)
        ) {
            let text = words_of(&picks);
            let pieces: Vec<Segment> = word_segments(&text).collect();
            let found: Vec<(usize, &str)> = pieces.iter().map(|s| (s.offset, s.text)).collect();
            prop_assert_eq!(found, whole_text_segments(&text), "{:?}", text);
            for s in pieces.iter().filter(|s| s.latin) {
                prop_assert!(s.text.chars().any(char::is_alphanumeric), "{:?}", s);
                prop_assert!(!s.text.chars().any(is_cjk_char), "{:?}", s);
            }
            let old_count = text
                .split_word_bounds()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            prop_assert_eq!(count_words(&text), old_count);
        }
    }

    #[test]
    fn pictographs_start_a_segment_after_whitespace() {
        for c in
            ('\u{1F000}'..='\u{1FAFF}').filter(|c| is_pictograph_at(c.to_string().as_bytes(), 0))
        {
            for space in [" ", "\t", "\r", "\n"] {
                let text = format!("a{space}{c}");
                let at = 1 + space.len();
                assert!(is_cut(text.as_bytes(), at), "U+{:04X}", c as u32);
                let starts = text
                    .split_word_bound_indices()
                    .any(|(offset, _)| offset == at);
                assert!(starts, "{space:?} U+{:04X}", c as u32);
            }
        }
        assert!(!is_pictograph_at("\u{1F3FD}".as_bytes(), 0));
    }

    #[test]
    fn eight_bytes_at_a_time_finds_the_first_byte_outside_ascii() {
        for len in 0..20 {
            assert_eq!(first_non_ascii(&vec![b'a'; len]), None);
            for at in 0..len {
                let mut b = vec![b'a'; len];
                b[at] = 0xC3;
                b[len - 1] = 0x80;
                assert_eq!(first_non_ascii(&b), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn the_walk_cuts_only_where_nothing_joins_across() {
        let text = "ok \u{301}x 🇩🇪 🇫🇷🇩🇪\r\nגד\"ל  שלום hi 😂 and\tthe 1\u{FE0F}\u{20E3} end";
        let found: Vec<(usize, &str)> = word_segments(text).map(|s| (s.offset, s.text)).collect();
        assert_eq!(found, whole_text_segments(text));
        let latin: Vec<&str> = word_segments(text)
            .filter(|s| s.latin)
            .map(|s| s.text)
            .collect();
        // Only the stretches away from other chars take the fast path.
        assert_eq!(latin, vec!["hi", "and", "the", "end"]);
    }

    /// Pieces that make clusters interesting: combining marks, keycaps, ZWJ sequences,
    /// skin tones, flags (regional indicators pair up), Hangul jamo, a prepended mark, CR LF.
    const PIECES: &[&str] = &[
        "a",
        "1",
        "#",
        "*",
        " ",
        "\r",
        "\n",
        "é",
        "\u{301}",
        "\u{FE0F}",
        "\u{20E3}",
        "\u{200D}",
        "👍",
        "\u{1F3FD}",
        "\u{1F1E9}",
        "\u{1F1EA}",
        "❤",
        "ह",
        "\u{94D}",
        "ᄀ",
        "ᅡ",
        "\u{600}",
        "我",
    ];

    proptest! {
        #[test]
        fn skipping_ascii_finds_the_clusters_a_whole_walk_finds(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let skipping: Vec<&str> = non_ascii_clusters(&text).collect();
            let whole: Vec<&str> = text.graphemes(true).filter(|g| !g.is_ascii()).collect();
            prop_assert_eq!(skipping, whole);
        }
    }

    #[test]
    fn clusters_that_begin_with_an_ascii_character_are_found_whole() {
        let found: Vec<&str> =
            non_ascii_clusters("go 1\u{FE0F}\u{20E3} now e\u{301}\r\n👍").collect();
        assert_eq!(found, vec!["1\u{FE0F}\u{20E3}", "e\u{301}", "👍"]);
    }

    fn emoji_of(text: &str) -> Vec<String> {
        emojis(text).collect()
    }

    #[test]
    fn text_default_symbols_are_emoji_only_when_asked() {
        // The old hand-written ranges counted these plain symbols as emoji.
        for plain in ["©", "®", "™", "↔", "‼", "ℹ", "❤", "☺", "✔", "➡", "♥"] {
            assert!(!is_emoji_cluster(plain), "{plain}");
            let asked = format!("{plain}\u{FE0F}");
            assert!(is_emoji_cluster(&asked), "{plain} with VS16");
        }
        assert_eq!(emoji_of("© 2024, ↔ and ❤️ ©\u{FE0F}"), vec!["❤", "©"]);
        // A skin tone or a ZWJ sequence asks for an emoji too.
        assert!(is_emoji_cluster("☝\u{1F3FD}"));
        assert!(is_emoji_cluster("⛹\u{200D}♀\u{FE0F}"));
    }

    #[test]
    fn symbols_next_to_emoji_in_unicode_are_not_emoji() {
        // Inside the blocks the old ranges took whole, yet no emoji: arrows, dingbats,
        // geometric shapes, technical symbols, mahjong tiles, playing cards, chess symbols.
        for c in ["↚", "✁", "❶", "⬀", "▬", "⌀", "♩", "🀀", "🂡", "🨀"] {
            assert!(!is_emoji_cluster(c), "{c}");
        }
    }

    #[test]
    fn digits_are_emoji_only_as_keycaps() {
        assert_eq!(emoji_of("call 1 or #2 *"), Vec::<String>::new());
        assert!(!is_emoji_cluster("1\u{FE0F}"));
        assert!(is_emoji_cluster("1\u{FE0F}\u{20E3}"));
        assert!(is_emoji_cluster("#\u{20E3}"));
        // A keycap mark on a letter is no keycap emoji.
        assert!(!is_emoji_cluster("a\u{20E3}"));
    }

    #[test]
    fn new_and_default_emoji_count_and_text_presentation_does_not() {
        for e in [
            "🫠",
            "🪿",
            "🫨",
            "😂",
            "🇩🇪",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "🏽",
        ] {
            assert!(is_emoji_cluster(e), "{e}");
        }
        // U+FE0E asks an emoji-by-default char to show as text.
        assert!(!is_emoji_cluster("⌚\u{FE0E}"));
        assert!(is_emoji_cluster("⌚"));
    }

    #[test]
    fn search_keeps_every_emoji_char_as_a_token() {
        for t in [
            "❤",
            "❤\u{FE0F}",
            "©",
            "↔",
            "🫠",
            "1\u{FE0F}\u{20E3}",
            "⌚\u{FE0E}",
        ] {
            assert!(is_emoji_token(t), "{t}");
        }
        for t in ["1", "#", "✁", "↚", "a\u{20E3}"] {
            assert!(!is_emoji_token(t), "{t}");
        }
    }

    #[test]
    fn below_u00a9_only_keycap_bases_are_emoji_chars() {
        // The fast path of `is_emoji_char` relies on this.
        for c in ('\0'..'\u{A9}').filter(|c| UnicodeEmoji::is_emoji_char(*c)) {
            assert!(is_keycap_base(c), "U+{:04X}", c as u32);
        }
    }

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
