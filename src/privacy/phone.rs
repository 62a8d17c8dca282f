//! Finding phone numbers in free text, without a phone-number library (docs/reliability.md:
//! the `phonenumber` crate has no "find in text", and fictional numbers such as
//! `+44 7700 900123` are *invalid* there, so a validating redactor would leave them).
//!
//! The recognizer reads runs of digits joined by the separators people and WhatsApp put in
//! numbers, then decides, chunk by chunk, what is a number to mask and what is a date, a
//! time, a price or a decimal to leave alone. It prefers masking too much to too little.
//!
//! A *span* is a `+` or a digit (or `(` before a digit) not glued to a letter or digit,
//! followed by digit groups joined by separator runs of at most three characters: spaces
//! (U+0020, U+00A0, U+202F, U+2007, U+2009, …), `-` and its Unicode cousins (U+2010–U+2013,
//! U+2212), `.`, `/`, `(`, `)`. Invisible marks (`crate::invisible::is_key_ignorable`: U+200B–U+200F,
//! U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF, soft hyphen) are skipped anywhere, so `0151\u{200B}23456789` is one group. Digits
//! are ASCII, full-width, Arabic-Indic, extended Arabic-Indic and Devanagari.
//!
//! A span is split into *chunks* at separators holding a space. A chunk is left alone when
//! it is
//! - a date: its first three groups read `d/m/y`, `m/d/y` or `y-m-d` with one separator
//!   (`/`, `.` or `-`), which also covers `2024-08-14-21-05-12` in media file names;
//! - alone in its span (one chunk, no `+`): a compact date `yyyymmdd` or stamp
//!   `yyyymmddhhmmss`, a year range `2019-2023`, a decimal `3.14159` (two groups joined by
//!   `.`, the first not a `0`-led area code), an IPv4 address;
//! - next to a time (`…09:12`: the group before a `:` or after a digit's `:`), a decimal
//!   comma (`1.299,00`), a currency sign or `%` (the whole span then).
//!
//! What is left is masked where a run of chunks is a plausible number:
//! - at most 15 digits (E.164), at most one one-digit group;
//! - with a leading `+` (or `00` international prefix): at least 7 digits;
//! - else at least 8 digits, or 7 as `555-0123`; not led by `000` (media counters);
//!   not thousands (`1 299 000`, `12.345.678`); not a list of years.
//!
//! Known gaps, on purpose or for now: numbers split over a line break; spelled-out digits;
//! numbers with letters for digits; very short local numbers (6 digits or fewer); national
//! numbers are not linked to their international form (that needs a region).

use std::ops::Range;

use crate::invisible::is_key_ignorable;

mod shapes;

use shapes::{is_compact_date, is_date, is_decimal, is_ip, is_number, is_year_range};

/// The byte ranges of `text` that hold phone numbers, in order, not overlapping.
pub fn phone_spans(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if can_start(&chars, i) {
            if let Some(span) = read_span(&chars, i) {
                let next = span.next;
                out.extend(judge(&chars, &span, text.len()));
                i = next.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Replaces every phone number in `text` with `with`.
pub fn mask_phones(text: &str, with: &str) -> String {
    let spans = phone_spans(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in spans {
        out.push_str(&text[at..r.start]);
        out.push_str(with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The value of a decimal digit in the scripts chat text uses.
pub fn digit_value(c: char) -> Option<u8> {
    let base = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{0966}'..='\u{096F}' => '\u{0966}',
        _ => return None,
    };
    Some((c as u32 - base as u32) as u8)
}

fn is_space_sep(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{202F}' | '\u{2002}'..='\u{2009}' | '\u{3000}'
    )
}

fn is_punct_sep(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '/' | '(' | ')' | '\u{2010}'
            ..='\u{2013}' | '\u{2212}' | '\u{FF0D}' | '\u{FF08}' | '\u{FF09}' | '\u{FF0E}'
    )
}

fn is_plus(c: char) -> bool {
    matches!(c, '+' | '\u{FF0B}')
}

fn is_currency(c: char) -> bool {
    matches!(
        c,
        '€' | '$' | '£' | '¥' | '₹' | '₽' | '₺' | '₩' | '₪' | '¢' | '₫' | '₱' | '%' | '‰'
    )
}

/// A word character that glues onto a number and makes it something else (`v1.2`, `2nd`).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || digit_value(c).is_some()
}

/// The previous visible character before index `i`.
/// (Looks past at most [`LOOK`] invisible marks, so a flood of them stays linear.)
fn prev_visible(chars: &[(usize, char)], i: usize) -> Option<(usize, char)> {
    (0..i)
        .rev()
        .take(LOOK)
        .map(|k| (k, chars[k].1))
        .find(|(_, c)| !is_key_ignorable(*c))
}

fn next_visible(chars: &[(usize, char)], i: usize) -> Option<(usize, char)> {
    (i..chars.len())
        .take(LOOK)
        .map(|k| (k, chars[k].1))
        .find(|(_, c)| !is_key_ignorable(*c))
}

const LOOK: usize = 16;

fn can_start(chars: &[(usize, char)], i: usize) -> bool {
    let c = chars[i].1;
    let starts = if is_plus(c) || c == '(' || c == '\u{FF08}' {
        next_visible(chars, i + 1).is_some_and(|(_, n)| digit_value(n).is_some())
    } else {
        digit_value(c).is_some()
    };
    if !starts {
        return false;
    }
    match prev_visible(chars, i) {
        None => true,
        Some((k, p)) => {
            if is_word(p) {
                return false;
            }
            // `09:12`, `1.299`, `1,5`: the digits after a digit and `:`, `.` or `,` continue
            // another number.
            if matches!(p, ':' | '.' | ',') {
                return prev_visible(chars, k).is_none_or(|(_, q)| digit_value(q).is_none());
            }
            true
        }
    }
}

/// One run of digits.
#[derive(Debug, Clone)]
struct Group {
    digits: String,
    /// Index (in `chars`) of the first and one past the last character.
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct Span {
    plus: bool,
    /// Index of the `+`, or of a leading `(`, or of the first digit.
    start: usize,
    groups: Vec<Group>,
    /// `seps[k]` joins `groups[k]` and `groups[k + 1]` (visible characters only).
    seps: Vec<String>,
    /// Where scanning resumes.
    next: usize,
}

const MAX_SEP: usize = 3;

fn read_span(chars: &[(usize, char)], i: usize) -> Option<Span> {
    let mut j = i;
    let mut plus = false;
    if is_plus(chars[j].1) {
        plus = true;
        j += 1;
    }
    // A leading `(` (after an optional `+`).
    while j < chars.len()
        && (is_key_ignorable(chars[j].1) || matches!(chars[j].1, '(' | '\u{FF08}'))
    {
        j += 1;
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut seps: Vec<String> = Vec::new();
    while let Some(group) = read_group(chars, j) {
        let last_digit = group.end;
        groups.push(group);
        // A separator run, then another group?
        let (sep, k) = read_sep(chars, last_digit);
        let continues = !sep.is_empty()
            && k < chars.len()
            && digit_value(chars[k].1).is_some()
            && sep.chars().filter(|c| *c == '.' || *c == '/').count() <= 1;
        if !continues {
            j = last_digit;
            break;
        }
        seps.push(sep);
        j = k;
    }
    if groups.is_empty() {
        return None;
    }
    let start = if plus {
        i
    } else if groups[0].start > i
        && seps
            .first()
            .is_some_and(|s| s.starts_with(')') || s.starts_with('\u{FF09}'))
    {
        // `(030) 123 4567`: the opening parenthesis belongs to the number.
        i
    } else {
        groups[0].start
    };
    Some(Span {
        plus,
        start,
        groups,
        seps,
        next: j,
    })
}

/// A group of digits from `j` on, with invisible marks inside; `None` when no digit is there.
fn read_group(chars: &[(usize, char)], mut j: usize) -> Option<Group> {
    let start = j;
    let mut digits = String::new();
    let mut last_digit = j;
    while j < chars.len() {
        let c = chars[j].1;
        if let Some(v) = digit_value(c) {
            digits.push(char::from(b'0' + v));
            j += 1;
            last_digit = j;
        } else if is_key_ignorable(c) {
            j += 1;
        } else {
            break;
        }
    }
    (!digits.is_empty()).then_some(Group {
        digits,
        start,
        end: last_digit,
    })
}

/// The separator run from `k` on (at most [`MAX_SEP`] visible characters, invisible marks
/// skipped) and where it ends.
fn read_sep(chars: &[(usize, char)], mut k: usize) -> (String, usize) {
    let mut sep = String::new();
    while k < chars.len() {
        let c = chars[k].1;
        if is_key_ignorable(c) {
            k += 1;
        } else if (is_space_sep(c) || is_punct_sep(c)) && sep.chars().count() < MAX_SEP {
            sep.push(c);
            k += 1;
        } else {
            break;
        }
    }
    (sep, k)
}

/// One chunk: groups joined by separators without a space.
#[derive(Debug)]
struct Chunk {
    /// Group indices in the span.
    groups: Range<usize>,
    excluded: bool,
}

/// The byte ranges of `span` that are phone numbers to mask (none when it is an amount).
fn judge(chars: &[(usize, char)], span: &Span, len: usize) -> Vec<Range<usize>> {
    let last_end = span.groups.last().map_or(span.start, |x| x.end);
    if next_to_currency(chars, span.start, last_end) {
        return Vec::new();
    }
    let mut chunks = chunks_of(span);
    exclude_non_numbers(chars, span, last_end, &mut chunks);
    number_runs(chars, span, len, &chunks)
}

/// Whether a currency sign or code stands right before the span or a sign right after it
/// (spaces aside): `R$ 10`, `10 €` are amounts.
fn next_to_currency(chars: &[(usize, char)], start: usize, last_end: usize) -> bool {
    let currency_before = {
        let mut k = start;
        let mut found = false;
        for _ in 0..LOOK {
            let Some((p, c)) = prev_visible(chars, k) else {
                break;
            };
            if is_space_sep(c) {
                k = p;
                continue;
            }
            found = is_currency(c) || (c.is_ascii_uppercase() && is_currency_code(chars, p));
            break;
        }
        found
    };
    let currency_after = {
        let mut k = last_end;
        let mut found = false;
        for _ in 0..LOOK {
            let Some((n, c)) = next_visible(chars, k) else {
                break;
            };
            if is_space_sep(c) {
                k = n + 1;
                continue;
            }
            found = is_currency(c);
            break;
        }
        found
    };
    currency_before || currency_after
}

/// The span cut into chunks at every separator holding a space.
fn chunks_of(span: &Span) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut from = 0;
    for (k, sep) in span.seps.iter().enumerate() {
        if sep.chars().any(is_space_sep) {
            chunks.push(Chunk {
                groups: from..k + 1,
                excluded: false,
            });
            from = k + 1;
        }
    }
    chunks.push(Chunk {
        groups: from..span.groups.len(),
        excluded: false,
    });
    chunks
}

/// Marks the chunks that are dates, decimals, addresses and the like, and the last one when
/// what follows the span shows it is no number's end.
fn exclude_non_numbers(
    chars: &[(usize, char)],
    span: &Span,
    last_end: usize,
    chunks: &mut [Chunk],
) {
    let g = &span.groups;
    let alone = chunks.len() == 1 && !span.plus;
    for chunk in chunks.iter_mut() {
        let gs = &g[chunk.groups.clone()];
        let seps = &span.seps[chunk.groups.start..chunk.groups.end - 1];
        // `3.14159` and `20230314` alone are not numbers to mask, but `+41 1234.5678` and
        // `+1 19000110` are.
        chunk.excluded = is_date(gs, seps)
            || (alone
                && (is_compact_date(gs)
                    || is_year_range(gs, seps)
                    || is_decimal(gs, seps)
                    || is_ip(gs, seps)));
    }
    let after = next_visible(chars, last_end);
    let after2 = after.and_then(|(k, _)| next_visible(chars, k + 1));
    // A time right after the span (`… 09:12`) or a decimal comma (`1.299,00`).
    if let Some(last) = chunks.last_mut() {
        match (after, after2) {
            (Some((k, ':')), Some((_, d))) if digit_value(d).is_some() && k == last_end => {
                last.excluded = true
            }
            (Some((k, ',' | '.')), Some((_, d))) if digit_value(d).is_some() && k == last_end => {
                last.excluded = true
            }
            // Glued to a letter: `2nd`, `3rd`, `12abc`.
            (Some((k, c)), _) if k == last_end && c.is_alphabetic() => last.excluded = true,
            _ => {}
        }
    }
}

/// Runs of chunks that are numbers, longest first from the left, as byte ranges.
fn number_runs(
    chars: &[(usize, char)],
    span: &Span,
    len: usize,
    chunks: &[Chunk],
) -> Vec<Range<usize>> {
    let g = &span.groups;
    let byte_start = |idx: usize| chars.get(idx).map_or(len, |c| c.0);
    let mut out = Vec::new();
    let mut a = 0;
    while a < chunks.len() {
        if chunks[a].excluded {
            a += 1;
            continue;
        }
        let mut best = None;
        let mut digits = 0;
        for (b, chunk) in chunks.iter().enumerate().skip(a) {
            if chunk.excluded {
                break;
            }
            digits += g[chunk.groups.clone()]
                .iter()
                .map(|x| x.digits.len())
                .sum::<usize>();
            if digits > 15 {
                break;
            }
            let plus = span.plus && a == 0;
            let first = chunks[a].groups.start;
            let last = chunk.groups.end;
            if is_number(
                &g[first..last],
                &span.seps[first..last - 1],
                plus,
                &chunks[a..=b],
                g,
            ) {
                best = Some(b);
            }
        }
        match best {
            Some(b) => {
                let from = if a == 0 {
                    span.start
                } else {
                    g[chunks[a].groups.start].start
                };
                let to = g[chunks[b].groups.end - 1].end;
                out.push(byte_start(from)..byte_start(to));
                a = b + 1;
            }
            None => a += 1,
        }
    }
    out
}

/// `R$ 10`, `USD 10`: a currency code right before the number.
fn is_currency_code(chars: &[(usize, char)], p: usize) -> bool {
    let mut k = p + 1;
    let mut code = String::new();
    while k > 0 {
        k -= 1;
        let c = chars[k].1;
        if c.is_ascii_uppercase() || c == '$' {
            code.insert(0, c);
        } else {
            break;
        }
        if code.len() > 3 {
            return false;
        }
    }
    matches!(
        code.as_str(),
        "R$" | "USD"
            | "EUR"
            | "GBP"
            | "BRL"
            | "CHF"
            | "INR"
            | "JPY"
            | "MXN"
            | "ARS"
            | "COP"
            | "TRY"
            | "RUB"
            | "CAD"
            | "AUD"
            | "NZD"
            | "ZAR"
            | "IDR"
            | "SEK"
            | "NOK"
            | "DKK"
            | "PLN"
            | "CZK"
            | "HUF"
    )
}

#[cfg(test)]
mod tests;
