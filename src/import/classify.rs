//! Decides a message's kind from its body (docs/formats.md), using the localized strings of
//! `locale`, and pulls out the attachment name, the caption and the edited marker.

use super::events;
use super::locale;
use super::normalize::strip_marks;
use crate::model::Kind;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A table of phrases matched in any letter case (old exports write `<media omitted>`),
/// sorted by length and then by their lower-case bytes: a lookup is a binary search that
/// mostly compares lengths, with no hashing and no copy of the line (this runs on most
/// message bodies), after two table lookups (length, first byte) that rule out most lines.
pub struct Phrases {
    sorted: Vec<String>,
    first: FirstBytes,
    /// The range of `sorted` holding the phrases `n` bytes long, by `n` (all are under 128).
    by_length: [(u16, u16); 128],
}

impl Phrases {
    fn new(table: &'static [&'static str]) -> Phrases {
        let mut sorted: Vec<String> = table.iter().map(|p| p.to_lowercase()).collect();
        sorted.sort_unstable_by(|a, b| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
        sorted.dedup();
        debug_assert!(sorted.iter().all(|p| p.len() < 128) && sorted.len() < 1 << 16);
        let mut by_length = [(0u16, 0u16); 128];
        for (i, p) in sorted.iter().enumerate() {
            if let Some(range) = by_length.get_mut(p.len()) {
                let i = i as u16;
                *range = if range.0 == range.1 {
                    (i, i + 1)
                } else {
                    (range.0, i + 1)
                };
            }
        }
        Phrases {
            first: FirstBytes::of(table),
            sorted,
            by_length,
        }
    }

    /// Whether `s` is one of the phrases, in any letter case. The gates are inlined; the
    /// search, which few lines reach, is not.
    #[inline(always)]
    pub fn contains(&self, s: &str) -> bool {
        match self.by_length.get(s.len()) {
            Some(&(from, to)) if from < to && self.first.may_start(s) => {
                self.search(usize::from(from)..usize::from(to), s)
            }
            _ => false,
        }
    }

    #[inline(never)]
    fn search(&self, range: std::ops::Range<usize>, s: &str) -> bool {
        self.sorted[range]
            .binary_search_by(|p| cmp_lowered(p, s))
            .is_ok()
    }
}

/// Orders a lower-case phrase against `s` as if `s` were lower-cased, without copying it.
/// Byte order and code point order agree in UTF-8, so this matches the table's sort. ASCII
/// bytes are compared as they come; the rest, from the first non-ASCII byte, by characters.
fn cmp_lowered(lower: &str, s: &str) -> std::cmp::Ordering {
    let (x, y) = (lower.as_bytes(), s.as_bytes());
    for (i, (p, q)) in x.iter().zip(y).enumerate() {
        if *p >= 0x80 || *q >= 0x80 {
            // Every byte before `i` is ASCII in both, so `i` is a character boundary.
            return lower[i..]
                .chars()
                .cmp(s[i..].chars().flat_map(char::to_lowercase));
        }
        match p.cmp(&q.to_ascii_lowercase()) {
            std::cmp::Ordering::Equal => {}
            other => return other,
        }
    }
    x.len().cmp(&y.len())
}

/// The first two bytes a table's phrases start with, in either letter case: one bit lookup
/// rules out nearly every line before any comparison (this runs on most message bodies).
pub struct FirstBytes(Box<[u64; 1024]>);

impl FirstBytes {
    pub(super) fn of(table: &[&str]) -> FirstBytes {
        let mut set = Box::new([0u64; 1024]);
        for p in table {
            let mut chars = p.chars();
            let Some(c) = chars.next() else { continue };
            let rest = chars.as_str();
            for form in c.to_lowercase().chain(c.to_uppercase()).chain([c]) {
                let mut opening = form.to_string();
                opening.push_str(rest);
                if let Some(key) = Self::key(opening.as_bytes()) {
                    set[key >> 6] |= 1 << (key & 63);
                }
            }
        }
        FirstBytes(set)
    }

    /// The first two bytes, ASCII letters folded to lower case (the second byte of a letter
    /// from another script is case-specific, so each case of a phrase's first letter is in
    /// the set).
    #[inline(always)]
    fn key(s: &[u8]) -> Option<usize> {
        match s {
            [a, b, ..] => {
                Some(usize::from(a.to_ascii_lowercase()) << 8 | usize::from(b.to_ascii_lowercase()))
            }
            _ => None,
        }
    }

    #[inline(always)]
    pub(super) fn may_start(&self, s: &str) -> bool {
        Self::key(s.as_bytes()).is_some_and(|key| self.0[key >> 6] & (1 << (key & 63)) != 0)
    }
}

/// Whether a line starts with one of a table's phrases, in any letter case.
fn starts_with_any(table: &'static [&'static str], first: &FirstBytes, line: &str) -> bool {
    first.may_start(line) && table.iter().any(|p| lowercase_starts_with(line, p))
}

/// Whether `s` starts with `prefix` in any letter case.
#[inline]
pub(super) fn lowercase_starts_with(s: &str, prefix: &str) -> bool {
    // The first bytes rule out most lines before any call (letters of other scripts that
    // differ in case may differ in their first byte, so those go on to the full test).
    match (s.as_bytes().first(), prefix.as_bytes().first()) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) || (*a >= 0x80 && *b >= 0x80) => {}
        _ => return prefix.is_empty(),
    }
    s.get(..prefix.len())
        .is_some_and(|head| lowercase_eq(head, prefix))
}

fn waiting_first() -> &'static FirstBytes {
    static CELL: OnceLock<FirstBytes> = OnceLock::new();
    CELL.get_or_init(|| FirstBytes::of(locale::WAITING))
}

fn deleted_prefix_first() -> &'static FirstBytes {
    static CELL: OnceLock<FirstBytes> = OnceLock::new();
    CELL.get_or_init(|| FirstBytes::of(locale::DELETED_PREFIXES))
}

fn deleted_set() -> &'static Phrases {
    static CELL: OnceLock<Phrases> = OnceLock::new();
    CELL.get_or_init(|| Phrases::new(locale::DELETED))
}

fn call_set() -> &'static Phrases {
    static CELL: OnceLock<Phrases> = OnceLock::new();
    CELL.get_or_init(|| Phrases::new(locale::CALLS))
}

/// Lowercased live-location phrases, and the byte lengths they come in.
/// Substring finders built once: `str::find` with a `&str` pattern sets up a searcher per call.
fn finder(
    cell: &'static OnceLock<memchr::memmem::Finder<'static>>,
    needle: &'static str,
) -> &'static memchr::memmem::Finder<'static> {
    cell.get_or_init(|| memchr::memmem::Finder::new(needle))
}

fn has_foursquare(s: &str) -> bool {
    static CELL: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    finder(&CELL, "foursquare.com/v/")
        .find(s.as_bytes())
        .is_some()
}

/// Whether a line is a live-location notice, in any case.
fn is_live_location(line: &str) -> bool {
    locale::LIVE_LOCATION
        .iter()
        .any(|p| p.len() == line.len() && lowercase_eq(p, line))
}

/// What a body turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified<'a> {
    pub kind: Kind,
    pub text: Cow<'a, str>,
    pub attachment: Option<Cow<'a, str>>,
    pub edited: bool,
    /// A `system` kind decided by the leading U+200E alone: the parser keeps it an event only
    /// if the whole file backs that up (see `parser::settle_marked_bodies`).
    pub event_by_mark_only: bool,
}

/// Classifies the body of a message that has an author.
///
/// `ios` tells whether the export is iOS-shaped: there a body that starts with U+200E and is
/// no placeholder may be an event attributed to the group or the acting member (2024+
/// exports). It is `system` when its wording is an event's; otherwise it is marked
/// [`Classified::event_by_mark_only`] for the parser to settle from the whole file. The
/// encryption notice is `system` in any shape, with or without the mark.
pub fn classify(body: &str, ios: bool) -> Classified<'_> {
    let (body, edited) = strip_edited_marker(body);
    let facts = Facts::of(body);
    // Most bodies hold no invisible mark, and then need no copy.
    let marks = facts.mark_lead;
    // iOS prefixes every UI string with U+200E (U+200F in right-to-left languages).
    let starts_with_lrm = marks && body.starts_with(['\u{200E}', '\u{200F}']);
    let clean = if marks {
        strip_marks(body)
    } else {
        Cow::Borrowed(body)
    };
    // iOS placeholders always carry U+200E (or legacy `<…>`); plain text skips those tables.
    let may_be_ios_placeholder =
        ios && ((marks && body.contains(['\u{200E}', '\u{200F}'])) || body.starts_with('<'));
    let facts = match &clean {
        Cow::Borrowed(_) => facts,
        Cow::Owned(stripped) => Facts::of(stripped),
    };
    let kind_and_parts = recognise(
        &clean,
        &facts,
        ios && starts_with_lrm,
        may_be_ios_placeholder,
    );
    let (kind, caption_from, attachment, event_by_mark_only) = match kind_and_parts {
        Some(Recognised::Event { by_mark_only }) => (Kind::System, None, None, by_mark_only),
        Some(Recognised::Kind(kind, caption_from, attachment)) => {
            (kind, caption_from, attachment, false)
        }
        None => (Kind::Text, None, None, false),
    };
    let (text, attachment) = match clean {
        Cow::Borrowed(s) => (
            Cow::Borrowed(caption_from.map_or(s, |at| &s[at..])),
            attachment.map(|r: std::ops::Range<usize>| Cow::Borrowed(&s[r])),
        ),
        Cow::Owned(s) => (
            Cow::Owned(caption_from.map_or(s.as_str(), |at| &s[at..]).to_string()),
            attachment.map(|r| Cow::Owned(s[r].to_string())),
        ),
    };
    Classified {
        kind,
        text,
        attachment,
        edited,
        event_by_mark_only,
    }
}

/// Classifies a line with no author: always a WhatsApp event.
pub fn classify_event(body: &str) -> Classified<'_> {
    Classified {
        kind: Kind::System,
        text: strip_marks(body),
        attachment: None,
        edited: false,
        event_by_mark_only: false,
    }
}

/// What three `memchr` searches over a body tell the classifier, asked once.
struct Facts {
    /// Where the first line ends.
    first_newline: Option<usize>,
    /// Whether a `/` is there (every URL has one).
    slash: bool,
    /// Whether a byte that starts an invisible mark (U+2000..U+2FFF, U+FEFF) is there.
    mark_lead: bool,
}

impl Facts {
    fn of(body: &str) -> Facts {
        let b = body.as_bytes();
        Facts {
            first_newline: memchr::memchr(b'\n', b),
            slash: memchr::memchr(b'/', b).is_some(),
            mark_lead: memchr::memchr2(0xE2, 0xEF, b).is_some(),
        }
    }
}

enum Recognised {
    /// The kind, where the caption starts (for media: after the placeholder line), and the
    /// attachment's byte range, all within the mark-free `clean` body.
    Kind(Kind, Option<usize>, Option<std::ops::Range<usize>>),
    /// One of WhatsApp's events; `by_mark_only` when only its leading U+200E says so.
    Event { by_mark_only: bool },
}

/// What a mark-free body is.
fn recognise(
    clean: &str,
    facts: &Facts,
    lrm_event: bool,
    may_be_ios_placeholder: bool,
) -> Option<Recognised> {
    let (first, rest_at) = match facts.first_newline {
        Some(nl) => (&clean[..nl], Some(nl + 1)),
        None => (clean, None),
    };
    let line = trim(first);
    let single = rest_at.is_none();
    let whole = |k: Kind| Some(Recognised::Kind(k, None, None));

    // Placeholders and notices are short; long lines skip those comparisons.
    let short = line.len() <= 96;
    if single && line == "null" {
        return whole(Kind::Hidden);
    }
    if single && short && is_deleted(line) {
        return whole(Kind::Deleted);
    }
    if short && line.len() >= 17 && starts_with_any(locale::WAITING, waiting_first(), line) {
        return whole(Kind::Waiting);
    }
    if !single && is_poll_head(line) {
        return whole(Kind::Poll);
    }
    if is_location(line, clean, single, facts.slash) {
        return whole(Kind::Location);
    }
    if single && short && is_call(line) {
        return whole(Kind::Call);
    }
    if let Some(attachment) = media(first, may_be_ios_placeholder) {
        return Some(Recognised::Kind(
            Kind::Media,
            Some(rest_at.unwrap_or(clean.len())),
            attachment,
        ));
    }
    // The group's encryption notice comes with an author and often without the mark.
    if single && events::is_encryption_notice(line) {
        return Some(Recognised::Event {
            by_mark_only: false,
        });
    }
    if lrm_event {
        let by_mark_only = !(single && events::reads_as_event(line));
        return Some(Recognised::Event { by_mark_only });
    }
    None
}

fn strip_edited_marker(body: &str) -> (&str, bool) {
    // Every marker ends in `>`, perhaps followed by spaces or a mark: a visible ASCII last
    // byte other than `>` rules them all out.
    if body
        .as_bytes()
        .last()
        .is_some_and(|b| b.is_ascii_graphic() && *b != b'>')
    {
        return (body, false);
    }
    let trimmed = body.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{200E}');
    if !trimmed.ends_with('>') {
        return (body, false);
    }
    for marker in locale::EDITED_MARKERS {
        if let Some(before) = strip_suffix_ignore_case(trimmed, marker) {
            let before = before.trim_end_matches([' ', '\u{200E}', '\u{00A0}']);
            return (before, true);
        }
    }
    (body, false)
}

fn is_deleted(line: &str) -> bool {
    let without_period = line.strip_suffix('.').unwrap_or(line);
    let set = deleted_set();
    set.contains(without_period)
        || set.contains(line)
        || (line.len() > 30
            && starts_with_any(locale::DELETED_PREFIXES, deleted_prefix_first(), line))
}

fn is_poll_head(line: &str) -> bool {
    line.strip_suffix(':')
        .map(str::trim_end)
        .is_some_and(|head| locale::POLL_HEADS.iter().any(|p| lowercase_eq(p, head)))
}

fn is_location(line: &str, clean: &str, single: bool, slash: bool) -> bool {
    // Pins and venues are URLs, so they hold a `/`, which most bodies do not.
    if !slash {
        return single && is_live_location(line);
    }
    // A pin: `LABEL: URL` (Indonesian and French put a space before the colon), with the
    // first colon of the line within 40 bytes.
    let head = &line.as_bytes()[..line.len().min(41)];
    if let Some(colon) = head.iter().position(|c| *c == b':') {
        let after = line[colon + 1..].trim_start();
        if after.starts_with("https://") || after.starts_with("http://") {
            let label = line[..colon].trim_end();
            if locale::LOCATION_LABELS
                .iter()
                .any(|l| lowercase_eq(l, label))
            {
                return true;
            }
        }
    }
    if single && is_live_location(line) {
        return true;
    }
    // Foursquare venues: one iOS line `Venue (Area): URL`, or Android's three lines.
    has_foursquare(clean)
        && clean.lines().count() <= 3
        && clean
            .lines()
            .last()
            .is_some_and(|l| l.contains("foursquare.com/v/"))
}

fn is_call(line: &str) -> bool {
    let calls = call_set();
    if calls.contains(line) {
        return true;
    }
    // The words before the tail are a call phrase, so start as one does.
    if !calls.first.may_start(line) {
        return false;
    }
    // "Voice call. 12 min", "Video call, No answer": the call words, then a short tail.
    match memchr::memchr2(b',', b'.', line.as_bytes()) {
        Some(at) => {
            let tail = &line[at..];
            calls.contains(&line[..at])
                && (tail.starts_with(". ") || tail.starts_with(", "))
                && tail.chars().count() <= 30
        }
        None => false,
    }
}

/// Recognises a media first line; returns the attachment range within `first` (offsets are
/// also valid in the whole body, which starts with `first`).
fn media(first: &str, may_be_ios_placeholder: bool) -> Option<Option<std::ops::Range<usize>>> {
    let line = trim(first);
    let offset = if line.len() == first.len() {
        0
    } else {
        first.len() - first.trim_start().len()
    };
    let at = |r: std::ops::Range<usize>| Some(Some(r.start + offset..r.end + offset));

    if line.starts_with('<')
        && locale::MEDIA_OMITTED
            .iter()
            .any(|p| p.len() == line.len() && lowercase_eq(p, line))
    {
        return Some(None);
    }
    // Legacy iOS wraps placeholders in angle brackets: `<image omitted>`.
    let inner = line
        .strip_prefix('<')
        .and_then(|l| l.strip_suffix('>'))
        .unwrap_or(line);
    // Both tables are skipped whole for the lines that cannot hold them (most).
    let ios_placeholders: &[&str] = if may_be_ios_placeholder {
        locale::IOS_OMITTED
    } else {
        &[]
    };
    for placeholder in ios_placeholders {
        if lowercase_eq(placeholder, inner) {
            return Some(None);
        }
        if let Some(prefix) = strip_suffix_ignore_case(inner, placeholder) {
            // A document placeholder names the document: `Plan.pdf • 2 pages document omitted`.
            if prefix.ends_with(' ') {
                let name = prefix.split(" • ").next().unwrap_or(prefix).trim();
                if name.is_empty() {
                    return Some(None);
                }
                let start = line.find(name).unwrap_or(0);
                return at(start..start + name.len());
            }
        }
    }
    if line.ends_with('>') {
        if let Some(range) = attached_tag(line) {
            return at(range);
        }
    }
    let attached_phrases: &[&str] = if line.ends_with(')') {
        locale::FILE_ATTACHED
    } else {
        &[]
    };
    for phrase in attached_phrases {
        if let Some(name) = strip_suffix_ignore_case(line, phrase) {
            let name = name.trim_end();
            if !name.is_empty() {
                return at(0..name.len());
            }
        }
    }
    // Pre-2018 iOS wrote the file first: `2015-08-04-PHOTO-00004762.jpg <attached>`.
    if let Some(name) = strip_suffix_ignore_case(line, "<attached>").filter(|_| line.ends_with('>'))
    {
        let name = name.trim_end();
        if !name.is_empty() {
            return at(0..name.len());
        }
    }
    None
}

/// `<attached: FILE>` in any language (also `< pièce jointe : FILE >`, Turkish `<FILE eklendi>`,
/// Chinese `<附件：FILE>`); returns the range of FILE in `line`.
fn attached_tag(line: &str) -> Option<std::ops::Range<usize>> {
    let open = line.rfind('<')?;
    let close = open + line[open..].find('>')?;
    let inside = &line[open + 1..close];
    let name_range = |name: &str| {
        let name = name.trim();
        let start = open + 1 + inside.find(name)?;
        (!name.is_empty()).then_some(start..start + name.len())
    };
    if let Some(colon) = inside.find([':', '：']) {
        let word = inside[..colon].trim();
        if locale::ATTACHED_WORDS.iter().any(|w| lowercase_eq(w, word)) {
            let sep_len = inside[colon..].chars().next().map_or(1, char::len_utf8);
            return name_range(&inside[colon + sep_len..]);
        }
    }
    if let Some(name) = inside.trim().strip_suffix(" eklendi") {
        return name_range(name);
    }
    None
}

/// `str::trim`, skipping its Unicode tables when both ends are visible ASCII (most lines).
#[inline]
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Case-insensitive equality for any script, stopping at the first difference: ASCII bytes
/// are compared as they come, the rest by characters from the first non-ASCII byte.
fn lowercase_eq(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (i, (p, q)) in x.iter().zip(y).enumerate() {
        if *p >= 0x80 || *q >= 0x80 {
            // Every byte before `i` is ASCII in both, so `i` is a character boundary.
            return chars_lowercase_eq(&a[i..], &b[i..]);
        }
        if !p.eq_ignore_ascii_case(q) {
            return false;
        }
    }
    x.len() == y.len()
}

fn chars_lowercase_eq(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q || p.to_lowercase().eq(q.to_lowercase()) => {}
            _ => return false,
        }
    }
}

/// `s` without `suffix`, in any letter case. The tail is taken at the suffix's byte length
/// (letter case keeps the byte length of the scripts WhatsApp's phrases use).
fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let split = s.len().checked_sub(suffix.len())?;
    let tail = s.get(split..)?;
    // As long as the suffix: starting with it is being equal to it.
    lowercase_starts_with(tail, suffix).then_some(&s[..split])
}

#[cfg(test)]
mod tests;
