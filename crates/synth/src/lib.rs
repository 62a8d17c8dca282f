//! Seeded generator of synthetic WhatsApp exports, in every header shape the importer supports.
//!
//! Benchmarks and property tests need exports of any size and format whose correct parse is
//! known in advance. This module renders [`SynthMessage`]s exactly as WhatsApp writes them
//! (the header shapes, invisible marks and English placeholders of `docs/formats.md`)
//! and generates plausible random chats from a seed, deterministically, with no dependency
//! beyond `chrono`.
//!
//! What a correct parser must read back from [`render_export`] (the round-trip contract):
//! - `ts`, exactly (seconds are 0 in styles without seconds);
//! - `sender`, after the normalisation of docs/formats.md (phone numbers are written wrapped in
//!   U+202A/U+202C, on iOS with U+00A0 between digit groups); `None` for system lines;
//! - `kind`;
//! - `text`: the body as written with WhatsApp's invisible marks removed, multi-line text kept;
//!   for [`Kind::Media`] the caption (empty when there is none; iOS exports never carry
//!   captions, so [`generate_messages`] leaves it empty there). A body ending in
//!   `" <This message was edited>"` is written with the marker (and U+200E on iOS); the parser
//!   drops the marker and sets `edited`.
//! - `attachment`: the file name when the export included media (`… (file attached)`,
//!   `<attached: …>`), `None` where WhatsApp wrote an "omitted" placeholder.
//!
//! Rules that keep the round trip well defined: system messages have no sender, a text body
//! never starts with something header-like, sender names never contain `": "`.
//!
//! This is a dev-only crate (`crates/synth`, never shipped): it does not depend on whatscope,
//! so it has its own [`Kind`], whose [`Kind::as_str`] names match whatscope's `model::Kind`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

const LRM: char = '\u{200E}';
const RLM: char = '\u{200F}';
const LRE: char = '\u{202A}';
const PDF: char = '\u{202C}';
const NBSP: char = '\u{00A0}';

/// What a synthetic message is: the kinds of docs/formats.md the generator writes.
///
/// Tests compare it with a parsed message's kind through [`Kind::as_str`], which spells each
/// kind as whatscope does (`"text"`, `"media"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Text,
    Media,
    Deleted,
    System,
    Poll,
    Location,
    Call,
    Hidden,
}

impl Kind {
    /// The kind's name as docs/formats.md and whatscope's `model::Kind::as_str` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Media => "media",
            Kind::Deleted => "deleted",
            Kind::System => "system",
            Kind::Poll => "poll",
            Kind::Location => "location",
            Kind::Call => "call",
            Kind::Hidden => "hidden",
        }
    }
}

/// The English marker WhatsApp appends to an edited message (Android; iOS adds U+200E before it).
pub const EDITED_MARKER: &str = "<This message was edited>";

/// Which date component comes first in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

/// How lines end in the rendered export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\n` everywhere (Android).
    Lf,
    /// `\r\n` everywhere.
    Crlf,
    /// `\r\n` between messages, bare `\n` inside a multi-line message (real iOS `_chat.txt`).
    IosMixed,
}

/// The language of the placeholders WhatsApp writes for media (everything else a message
/// carries is in its `text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    De,
    Es,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Platform {
    Android,
    /// Bracketed iOS headers (2017+).
    Ios,
    /// iOS ≤ 2017: no brackets, `": "` after the timestamp.
    LegacyIos,
}

/// One header shape: how a timestamp is written, plus the platform conventions around it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderStyle {
    /// A stable identifier such as `"android-en-GB"`.
    pub name: &'static str,
    /// LDML-like pattern: `yyyy yy MM M dd d HH H hh h mm ss` and `a` for the day period
    /// (rendered as `am`/`pm`, which include their leading space); anything else is literal.
    pattern: &'static str,
    platform: Platform,
    am: &'static str,
    pm: &'static str,
    arabic_digits: bool,
    /// The bidi mark iOS puts before placeholders and event texts.
    mark: char,
}

impl HeaderStyle {
    pub fn date_order(&self) -> DateOrder {
        let pos = |c: char| self.pattern.find(c).unwrap_or(usize::MAX);
        let (y, m, d) = (pos('y'), pos('M'), pos('d'));
        if y < m && y < d {
            DateOrder::Ymd
        } else if m < d {
            DateOrder::Mdy
        } else {
            DateOrder::Dmy
        }
    }

    /// Whether the style is an iOS one (bracketed or legacy colon).
    pub fn is_ios(&self) -> bool {
        self.platform != Platform::Android
    }

    /// Whether this is the pre-2017 iOS shape (`M/d/yy, h:mm:ss AM: `).
    pub fn is_legacy(&self) -> bool {
        self.platform == Platform::LegacyIos
    }

    pub fn has_seconds(&self) -> bool {
        self.pattern.contains("ss")
    }

    /// Whether the clock is 12-hour (with a localized day period).
    pub fn is_12h(&self) -> bool {
        self.pattern.contains('a')
    }

    /// The header pattern, e.g. `"dd/MM/yyyy, HH:mm - "` (`a` stands for the day period).
    pub fn pattern(&self) -> &'static str {
        self.pattern
    }

    fn android(name: &'static str, pattern: &'static str) -> Self {
        HeaderStyle {
            name,
            pattern,
            platform: Platform::Android,
            am: "",
            pm: "",
            arabic_digits: false,
            mark: LRM,
        }
    }

    fn ios(name: &'static str, pattern: &'static str) -> Self {
        HeaderStyle {
            platform: Platform::Ios,
            ..Self::android(name, pattern)
        }
    }

    fn with_period(self, am: &'static str, pm: &'static str) -> Self {
        HeaderStyle { am, pm, ..self }
    }
}

/// Android en-GB: `14/03/2023, 09:15 - `.
pub fn android_en_gb() -> HeaderStyle {
    HeaderStyle::android("android-en-GB", "dd/MM/yyyy, HH:mm - ")
}

/// Android en-US (2023+): `1/9/24, 7:02⟨U+202F⟩PM - `.
pub fn android_en_us() -> HeaderStyle {
    HeaderStyle::android("android-en-US", "M/d/yy, h:mma - ")
        .with_period("\u{202F}AM", "\u{202F}PM")
}

/// Android de: `03.08.22, 12:35 - `.
pub fn android_de() -> HeaderStyle {
    HeaderStyle::android("android-de", "dd.MM.yy, HH:mm - ")
}

/// Android es (12 h): `9/11/2023 8:02 p.⟨U+00A0⟩m. - `.
pub fn android_es() -> HeaderStyle {
    HeaderStyle::android("android-es", "d/M/yyyy h:mma - ")
        .with_period(" a.\u{00A0}m.", " p.\u{00A0}m.")
}

/// iOS en-GB: `[02/06/2023, 08:01:05] `.
pub fn ios_en_gb() -> HeaderStyle {
    HeaderStyle::ios("ios-en-GB", "[dd/MM/yyyy, HH:mm:ss] ")
}

/// iOS en-US (2024+): `[8/14/24, 9:05:12⟨U+202F⟩PM] `, with a leading U+200E on media lines.
pub fn ios_en_us() -> HeaderStyle {
    HeaderStyle::ios("ios-en-US", "[M/d/yy, h:mm:ssa] ").with_period("\u{202F}AM", "\u{202F}PM")
}

/// One style per distinct supported header shape.
pub fn all_styles() -> Vec<HeaderStyle> {
    vec![
        android_en_gb(),
        android_en_us(),
        HeaderStyle::android("android-es-AR", "d/M/yy HH:mm - "),
        android_de(),
        HeaderStyle::android("android-nl", "dd-MM-yyyy HH:mm - "),
        HeaderStyle::android("android-id", "dd/MM/yy HH.mm - "),
        HeaderStyle::android("android-en-CA", "yyyy-MM-dd, h:mma - ")
            .with_period("\u{202F}a.m.", "\u{202F}p.m."),
        android_es(),
        ios_en_gb(),
        ios_en_us(),
        HeaderStyle::ios("ios-de", "[dd.MM.yy, HH:mm:ss] "),
        HeaderStyle::ios("ios-iso", "[yyyy-MM-dd, HH:mm:ss] "),
        HeaderStyle::ios("ios-tr", "[d.MM.yyyy HH:mm:ss] "),
        HeaderStyle::ios("ios-fi", "[d.M.yyyy, HH.mm.ss] "),
        HeaderStyle {
            platform: Platform::LegacyIos,
            ..HeaderStyle::android("ios-legacy-en-US", "M/d/yy, h:mm:ssa: ")
                .with_period(" AM", " PM")
        },
        HeaderStyle {
            arabic_digits: true,
            mark: RLM,
            ..HeaderStyle::ios(
                "ios-ar",
                "\u{200F}[d\u{200F}/M\u{200F}/yyyy\u{060C} h:mm:ssa] ",
            )
            .with_period("\u{00A0}\u{0635}", "\u{00A0}\u{0645}")
        },
    ]
}

/// The style called `name` (see [`HeaderStyle::name`]), if there is one.
pub fn style_by_name(name: &str) -> Option<HeaderStyle> {
    all_styles().into_iter().find(|s| s.name == name)
}

/// One message to render: what a correct parser reads back (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthMessage {
    pub ts: NaiveDateTime,
    pub sender: Option<String>,
    pub kind: Kind,
    pub text: String,
    pub attachment: Option<String>,
}

/// The header text for a timestamp in a style, e.g. `"14/03/2023, 09:15 - "` (Android) or
/// `"[02/06/2023, 08:01:05] "` (iOS). Bodies and authors are not included, nor the U+200E
/// that iOS puts before the header of a media line.
pub fn render_header(style: &HeaderStyle, ts: NaiveDateTime) -> String {
    let mut out = String::with_capacity(32);
    push_header(&mut out, style, ts);
    out
}

fn push_header(out: &mut String, style: &HeaderStyle, ts: NaiveDateTime) {
    let mut chars = style.pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if !matches!(c, 'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'a') {
            out.push(c);
            continue;
        }
        let mut run = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            run += 1;
        }
        let hour12 = match ts.hour() % 12 {
            0 => 12,
            h => h,
        };
        let (value, width) = match c {
            'y' if run >= 4 => (ts.year().unsigned_abs(), 4),
            'y' => (ts.year().rem_euclid(100).unsigned_abs(), 2),
            'M' => (ts.month(), run),
            'd' => (ts.day(), run),
            'H' => (ts.hour(), run),
            'h' => (hour12, run),
            'm' => (ts.minute(), 2),
            's' => (ts.second(), 2),
            _ => {
                out.push_str(if ts.hour() < 12 { style.am } else { style.pm });
                continue;
            }
        };
        push_number(out, value, width, style.arabic_digits);
    }
}

fn push_number(out: &mut String, value: u32, width: usize, arabic: bool) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut v = value;
    loop {
        digits[len] = (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 || len == digits.len() {
            break;
        }
    }
    for _ in len..width {
        out.push(if arabic { '\u{0660}' } else { '0' });
    }
    for &d in digits[..len].iter().rev() {
        let base = if arabic { 0x0660 } else { u32::from(b'0') };
        out.push(char::from_u32(base + u32::from(d)).unwrap_or('?'));
    }
}

/// A whole export in English: every message rendered as the platform would write it.
pub fn render_export(style: &HeaderStyle, msgs: &[SynthMessage], ending: LineEnding) -> String {
    render_export_lang(style, msgs, ending, Lang::En)
}

/// [`render_export`] with the media placeholders of another language.
pub fn render_export_lang(
    style: &HeaderStyle,
    msgs: &[SynthMessage],
    ending: LineEnding,
    lang: Lang,
) -> String {
    let mut out = String::with_capacity(msgs.len() * 96);
    for m in msgs {
        render_message(&mut out, style, m, ending, lang);
    }
    out
}

/// Appends one message (header, author, body, line end) to `out`.
pub fn render_message(
    out: &mut String,
    style: &HeaderStyle,
    msg: &SynthMessage,
    ending: LineEnding,
    lang: Lang,
) {
    let inner = match ending {
        LineEnding::Crlf => "\r\n",
        LineEnding::Lf | LineEnding::IosMixed => "\n",
    };
    let end = match ending {
        LineEnding::Lf => "\n",
        LineEnding::Crlf | LineEnding::IosMixed => "\r\n",
    };
    let ios = style.platform == Platform::Ios;
    let legacy = style.platform == Platform::LegacyIos;
    let mark = style.mark;
    // Bracketed iOS marks a line whose body is media with U+200E before the header (an
    // RTL style already starts every header with U+200F).
    if ios && msg.kind == Kind::Media && mark == LRM {
        out.push(LRM);
    }
    push_header(out, style, msg.ts);

    let Some(sender) = &msg.sender else {
        // A system line: no author; iOS starts the event text with its bidi mark.
        if style.is_ios() {
            out.push(mark);
        }
        push_lines(out, &msg.text, inner);
        out.push_str(end);
        return;
    };
    push_sender(out, sender, style.is_ios());
    out.push_str(": ");

    match msg.kind {
        Kind::Media => {
            let caption = msg.text.as_str();
            match (&msg.attachment, style.platform) {
                (Some(file), Platform::Android) => {
                    out.push(LRM);
                    out.push_str(file);
                    out.push(' ');
                    out.push_str(match lang {
                        Lang::En => "(file attached)",
                        Lang::De => "(Datei angehängt)",
                        Lang::Es => "(archivo adjuntado)",
                    });
                }
                (None, Platform::Android) => out.push_str(match lang {
                    Lang::En => "<Media omitted>",
                    Lang::De => "<Medien ausgeschlossen>",
                    Lang::Es => "<Multimedia omitido>",
                }),
                (Some(file), Platform::Ios) => {
                    out.push(mark);
                    out.push('<');
                    out.push_str(match lang {
                        Lang::En => "attached",
                        Lang::De => "Anhang",
                        Lang::Es => "adjunto",
                    });
                    out.push_str(": ");
                    out.push_str(file);
                    out.push('>');
                }
                (Some(file), Platform::LegacyIos) => {
                    out.push_str(file);
                    out.push_str(" <");
                    out.push(mark);
                    out.push_str("attached>");
                }
                (None, _) => {
                    let what = omitted_placeholder(lang, msg.ts);
                    if legacy {
                        out.push('<');
                        out.push(mark);
                        out.push_str(what);
                        out.push('>');
                    } else {
                        out.push(mark);
                        out.push_str(what);
                    }
                }
            }
            if !caption.is_empty() {
                out.push_str(inner);
                push_lines(out, caption, inner);
            }
        }
        Kind::Text => push_body(out, &msg.text, inner, style.is_ios().then_some(mark)),
        Kind::Poll if style.is_ios() => {
            // iOS marks the POLL: line and every OPTION: line.
            for (i, line) in msg.text.split('\n').enumerate() {
                if i > 0 {
                    out.push_str(inner);
                }
                if line.starts_with("POLL:")
                    || line.starts_with("OPTION:")
                    || line.starts_with("ENCUESTA:")
                    || line.starts_with("OPCIÓN:")
                {
                    out.push(mark);
                }
                out.push_str(line);
            }
        }
        Kind::Hidden if msg.text.is_empty() => out.push_str("null"),
        _ => {
            // Deleted, location, call, waiting, …: the text is the localized string.
            if style.is_ios() {
                out.push(mark);
            }
            push_body(out, &msg.text, inner, style.is_ios().then_some(mark));
        }
    }
    out.push_str(end);
}

/// The iOS "… omitted" placeholder for a media message without attachment. The text export
/// does not say more than "media", so the type is derived from the timestamp: stable, varied.
fn omitted_placeholder(lang: Lang, ts: NaiveDateTime) -> &'static str {
    const EN: [&str; 6] = [
        "image omitted",
        "video omitted",
        "audio omitted",
        "sticker omitted",
        "GIF omitted",
        "Contact card omitted",
    ];
    const DE: [&str; 6] = [
        "Bild weggelassen",
        "Video weggelassen",
        "Audio weggelassen",
        "Sticker weggelassen",
        "GIF weggelassen",
        "Kontaktkarte ausgelassen",
    ];
    const ES: [&str; 6] = [
        "imagen omitida",
        "Video omitido",
        "audio omitido",
        "sticker omitido",
        "GIF omitido",
        "Tarjeta de contacto omitida",
    ];
    // Mostly images, as in real chats.
    const WHICH: [usize; 16] = [0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 0, 5];
    let h = ts.second() + ts.minute() * 7 + ts.day() * 13 + ts.hour() * 3;
    let i = WHICH[(h as usize) % WHICH.len()];
    match lang {
        Lang::En => EN[i],
        Lang::De => DE[i],
        Lang::Es => ES[i],
    }
}

/// A sender as WhatsApp writes it: a bare phone number is wrapped in LRE…PDF, and on iOS its
/// digit groups are separated by no-break spaces.
fn push_sender(out: &mut String, sender: &str, ios: bool) {
    let is_phone = sender.starts_with('+')
        && sender
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if !is_phone {
        out.push_str(sender);
        return;
    }
    out.push(LRE);
    for c in sender.chars() {
        out.push(if ios && c == ' ' { NBSP } else { c });
    }
    out.push(PDF);
}

/// A body, with iOS's mark inserted before an edit marker.
fn push_body(out: &mut String, text: &str, inner: &str, mark: Option<char>) {
    const MARKERS: [&str; 3] = [
        EDITED_MARKER,
        "<Diese Nachricht wurde bearbeitet>",
        "<Este mensaje fue editado>",
    ];
    if let Some(mark) = mark {
        for m in MARKERS {
            if let Some(head) = text.strip_suffix(m) {
                push_lines(out, head, inner);
                out.push(mark);
                out.push_str(m);
                return;
            }
        }
    }
    push_lines(out, text, inner);
}

fn push_lines(out: &mut String, text: &str, inner: &str) {
    if inner == "\n" {
        out.push_str(text);
        return;
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(inner);
        }
        out.push_str(line);
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// A tiny deterministic PRNG (splitmix64): the same seed gives the same stream everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element.
    ///
    /// # Panics
    /// If `items` is empty (like indexing); callers pass non-empty constant tables.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const WORDS_EN: &[&str] = &[
    "hey",
    "hi",
    "yes",
    "no",
    "maybe",
    "okay",
    "sure",
    "thanks",
    "tomorrow",
    "today",
    "tonight",
    "later",
    "now",
    "soon",
    "weekend",
    "morning",
    "evening",
    "dinner",
    "lunch",
    "breakfast",
    "coffee",
    "tea",
    "pizza",
    "beer",
    "wine",
    "cake",
    "train",
    "bus",
    "car",
    "bike",
    "flight",
    "airport",
    "hotel",
    "beach",
    "park",
    "house",
    "kitchen",
    "garden",
    "party",
    "birthday",
    "holiday",
    "trip",
    "ticket",
    "photo",
    "video",
    "song",
    "movie",
    "game",
    "match",
    "team",
    "work",
    "office",
    "meeting",
    "deadline",
    "project",
    "email",
    "phone",
    "plan",
    "idea",
    "problem",
    "question",
    "news",
    "weather",
    "rain",
    "sun",
    "snow",
    "cold",
    "hot",
    "late",
    "early",
    "great",
    "good",
    "nice",
    "funny",
    "crazy",
    "amazing",
    "perfect",
    "awesome",
    "tired",
    "hungry",
    "happy",
    "sorry",
    "ready",
    "free",
    "busy",
    "home",
    "back",
    "there",
    "here",
    "where",
    "when",
    "what",
    "why",
    "how",
    "who",
    "with",
    "without",
    "about",
    "after",
    "before",
    "again",
    "still",
    "just",
    "really",
    "very",
    "too",
    "also",
    "never",
    "always",
    "probably",
    "definitely",
    "honestly",
    "literally",
    "we",
    "you",
    "they",
    "I",
    "me",
    "us",
    "it",
    "that",
    "this",
    "the",
    "the",
    "a",
    "a",
    "and",
    "and",
    "or",
    "but",
    "so",
    "if",
    "then",
    "for",
    "from",
    "to",
    "to",
    "at",
    "on",
    "in",
    "of",
    "is",
    "are",
    "was",
    "be",
    "have",
    "got",
    "get",
    "go",
    "come",
    "see",
    "know",
    "think",
    "need",
    "want",
    "like",
    "love",
    "bring",
    "meet",
    "wait",
    "leave",
    "start",
    "buy",
    "cook",
    "eat",
    "drink",
    "sleep",
    "walk",
    "ride",
    "call",
    "send",
    "check",
    "remember",
    "forget",
    "tell",
    "ask",
    "help",
    "try",
    "look",
    "make",
    "take",
    "find",
    "visa",
    "recipe",
    "grandma",
    "kids",
    "dog",
    "station",
    "tickets",
    "groceries",
];

const WORDS_ES: &[&str] = &[
    "hola",
    "sí",
    "vale",
    "gracias",
    "mañana",
    "hoy",
    "noche",
    "luego",
    "ahora",
    "semana",
    "cena",
    "comida",
    "desayuno",
    "café",
    "cerveza",
    "playa",
    "casa",
    "fiesta",
    "cumpleaños",
    "viaje",
    "tren",
    "coche",
    "bici",
    "trabajo",
    "reunión",
    "lluvia",
    "calor",
    "frío",
    "tarde",
    "temprano",
    "genial",
    "bueno",
    "bien",
    "mal",
    "perfecto",
    "cansado",
    "hambre",
    "feliz",
    "perdón",
    "listo",
    "libre",
    "ocupado",
    "dónde",
    "cuándo",
    "qué",
    "por",
    "para",
    "con",
    "sin",
    "pero",
    "también",
    "nunca",
    "siempre",
    "quizás",
    "claro",
    "vamos",
    "tengo",
    "quiero",
    "necesito",
    "llegar",
    "salir",
    "comer",
    "dormir",
    "esperar",
    "mucho",
    "muy",
    "amigos",
    "familia",
    "niños",
    "abuela",
    "mejor",
    "después",
    "antes",
    "año",
    "días",
    "el",
    "la",
    "los",
    "de",
    "en",
    "y",
    "que",
    "no",
    "es",
];

const WORDS_DE: &[&str] = &[
    "hallo",
    "ja",
    "nein",
    "vielleicht",
    "danke",
    "morgen",
    "heute",
    "Abend",
    "später",
    "jetzt",
    "bald",
    "Wochenende",
    "Frühstück",
    "Mittagessen",
    "Kaffee",
    "Bier",
    "Kuchen",
    "Zug",
    "Fahrrad",
    "Flughafen",
    "Strand",
    "Haus",
    "Küche",
    "Garten",
    "Geburtstag",
    "Urlaub",
    "Reise",
    "Arbeit",
    "Büro",
    "Termin",
    "Wetter",
    "Regen",
    "Sonne",
    "Schnee",
    "kalt",
    "warm",
    "spät",
    "früh",
    "schnell",
    "super",
    "gut",
    "schön",
    "lustig",
    "müde",
    "Hunger",
    "fertig",
    "frei",
    "wo",
    "wann",
    "was",
    "warum",
    "wie",
    "wer",
    "mit",
    "ohne",
    "über",
    "nach",
    "noch",
    "schon",
    "wirklich",
    "sehr",
    "auch",
    "nie",
    "immer",
    "natürlich",
    "genau",
    "wir",
    "ihr",
    "sie",
    "und",
    "oder",
    "aber",
    "also",
    "kommen",
    "gehen",
    "sehen",
    "wissen",
    "brauchen",
    "treffen",
    "warten",
    "kaufen",
    "kochen",
    "essen",
    "trinken",
    "schlafen",
    "Grüße",
    "Straße",
    "Brötchen",
    "Äpfel",
    "der",
    "die",
    "das",
    "ist",
    "ich",
    "du",
];

const EMOJI: &[&str] = &[
    "😂",
    "❤️",
    "👍🏽",
    "🎉",
    "🙏",
    "😅",
    "🔥",
    "😍",
    "👀",
    "🤔",
    "🍕",
    "☀️",
    "🚴‍♀️",
    "👍",
    "😊",
    "🥳",
];

const NAMES: &[(&str, u8)] = &[
    // (name, language: 0 en, 1 es, 2 de)
    ("Maya Lopez", 0),
    ("Tomás Rivera", 1),
    ("Jonas Becker", 2),
    ("Zoë Müller", 2),
    ("Björn Ólafsson", 0),
    ("Chloé Gagnon", 0),
    ("Sofía Ramírez", 1),
    ("Jürgen Weiß", 2),
    ("Kofi Mensah", 0),
    ("Siobhán Kelly", 0),
    ("Mehmet Yılmaz", 2),
    ("Ana Lucía Pérez", 1),
    ("Grace Okafor", 0),
    ("Lena Park", 0),
    ("Dev", 0),
    ("Priya Nair", 0),
    ("Mateo Gómez", 1),
    ("Inês Carvalho", 0),
    ("Łukasz Nowak", 0),
    ("Amélie Dubois", 0),
    ("Sam Ortiz", 0),
    ("Hannah Cole", 0),
    ("Óscar Fernández", 1),
    ("Frida Sørensen", 2),
    ("Dani 🌻", 0),
    ("Noah Schmidt", 2),
];

const PHONES: &[&str] = &[
    "+44 7700 900123",
    "+1 555 010 4477",
    "+49 151 23456789",
    "+34 612 345 678",
];

const GROUP_NAMES: &[&str] = &[
    "Weekend Crew",
    "Pizza Fridays 🍕",
    "Summer Trip",
    "Los Amigos",
    "Stammtisch",
    "Book Club 📚",
    "Climbing Wall",
    "Flat 4B",
    "Sunday League ⚽",
    "Choir Altos",
];

const DOC_NAMES: &[&str] = &[
    "Itinerary.pdf",
    "Packing list.pdf",
    "Receipt.pdf",
    "Minutes March.docx",
    "Budget.xlsx",
    "Tickets.pdf",
];

// ---------------------------------------------------------------------------------------------
// Generation

struct Person {
    name: String,
    lang: u8,
    weight: f64,
}

/// An endless, seeded stream of plausible messages for one chat in one style.
///
/// [`generate_messages`] takes `n` of them; use this directly to stream huge exports.
pub struct Generator {
    rng: Rng,
    style: HeaderStyle,
    people: Vec<Person>,
    members: Vec<bool>,
    group: String,
    t: NaiveDateTime,
    limit: NaiveDateTime,
    gap_scale: f64,
    prologue: std::collections::VecDeque<SynthMessage>,
    with_media: bool,
    media_counter: u32,
    emitted: u64,
    last_sender: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

impl Generator {
    /// A generator for about `n_hint` messages: gaps shrink for very long runs so that the
    /// last timestamp stays before 2099 (two-digit years stay unambiguous).
    pub fn new(seed: u64, style: &HeaderStyle, n_hint: usize) -> Self {
        let mut rng = Rng::new(seed);
        let n_people = rng.range(3, 12) as usize;
        // Distinct names from the pool; one of them replaced by a phone number.
        let mut pool: Vec<usize> = (0..NAMES.len()).collect();
        let mut people = Vec::with_capacity(n_people);
        for _ in 0..n_people - 1 {
            let i = rng.below(pool.len() as u64) as usize;
            let (name, lang) = NAMES[pool.swap_remove(i)];
            people.push(Person {
                name: name.to_string(),
                lang,
                weight: 0.0,
            });
        }
        let phone_at = rng.range(1, n_people as u64 - 1) as usize;
        people.insert(
            phone_at,
            Person {
                name: rng.pick(PHONES).to_string(),
                lang: 0,
                weight: 0.0,
            },
        );
        // Zipf-like activity: a few people talk a lot.
        for (i, p) in people.iter_mut().enumerate() {
            p.weight = 1.0 / ((i + 1) as f64).powf(0.8);
        }
        // Shuffle the weights (not the exporter's position 0).
        for i in (2..people.len()).rev() {
            let j = 1 + rng.below(i as u64) as usize;
            let w = people[i].weight;
            people[i].weight = people[j].weight;
            people[j].weight = w;
        }
        let group = rng.pick(GROUP_NAMES).to_string();
        let with_media = rng.chance(0.5);
        let start = date(2019, 1, 1)
            + TimeDelta::minutes(rng.range(8 * 60, 20 * 60) as i64)
            + TimeDelta::seconds(rng.below(60) as i64);
        const MEAN_GAP_SECS: f64 = 1900.0;
        let budget = (date(2094, 1, 1) - date(2019, 1, 1)).num_seconds() as f64;
        let gap_scale = (budget / (n_hint.max(1) as f64 * MEAN_GAP_SECS)).min(1.0);
        let mut g = Generator {
            rng,
            style: style.clone(),
            members: vec![false; people.len()],
            people,
            group,
            t: start,
            limit: date(2098, 12, 31),
            gap_scale,
            prologue: Default::default(),
            with_media,
            media_counter: 0,
            emitted: 0,
            last_sender: 0,
        };
        g.build_prologue();
        g
    }

    fn ts(&self) -> NaiveDateTime {
        if self.style.has_seconds() {
            self.t
        } else {
            self.t.with_second(0).unwrap_or(self.t)
        }
    }

    fn system(&self, text: String) -> SynthMessage {
        SynthMessage {
            ts: self.ts(),
            sender: None,
            kind: Kind::System,
            text,
            attachment: None,
        }
    }

    fn quote(&self, s: &str) -> String {
        if self.style.is_ios() {
            format!("“{s}”")
        } else {
            format!("\"{s}\"")
        }
    }

    /// Who did something, as the event text says it: the exporter is "You".
    fn actor(&self, i: usize) -> &str {
        if i == 0 {
            "You"
        } else {
            &self.people[i].name
        }
    }

    fn build_prologue(&mut self) {
        let notice = match self.style.platform {
            Platform::Android => "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
            Platform::Ios => "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            Platform::LegacyIos => "Messages to this group are now secured with end-to-end encryption.",
        };
        let mut msgs = vec![self.system(notice.to_string())];
        let creator = if self.rng.chance(0.5) {
            0
        } else {
            1 + self.rng.below(self.people.len() as u64 - 1) as usize
        };
        self.members[creator] = true;
        let created = if self.style.is_legacy() {
            format!("{} created this group", self.actor(creator))
        } else {
            format!(
                "{} created group {}",
                self.actor(creator),
                self.quote(&self.group)
            )
        };
        msgs.push(self.system(created));
        // Most people are added at once; a few join later by link.
        for i in 0..self.people.len() {
            if i == creator || (i > 0 && self.rng.chance(0.2)) {
                continue;
            }
            self.members[i] = true;
            self.t += TimeDelta::seconds(self.rng.range(1, 20) as i64);
            let text = if i == 0 {
                format!("{} added you", self.people[creator].name)
            } else {
                format!("{} added {}", self.actor(creator), self.people[i].name)
            };
            msgs.push(self.system(text));
        }
        self.prologue = msgs.into();
    }

    fn advance(&mut self) {
        let r = self.rng.unit();
        let secs = if r < 0.60 {
            self.rng.range(3, 60)
        } else if r < 0.88 {
            self.rng.range(60, 480)
        } else if r < 0.97 {
            self.rng.range(480, 3600)
        } else if r < 0.995 {
            self.rng.range(3600, 36_000)
        } else {
            self.rng.range(86_400, 3 * 86_400)
        };
        let secs = (secs as f64 * self.gap_scale) as i64;
        let mut t = self
            .t
            .checked_add_signed(TimeDelta::seconds(secs))
            .unwrap_or(self.t);
        // People mostly sleep between 1 and 7.
        if (1..7).contains(&t.hour()) && self.rng.chance(0.85) && self.gap_scale > 0.5 {
            let morning =
                t.date()
                    .and_hms_opt(7, self.rng.below(60) as u32, self.rng.below(60) as u32);
            t = morning.unwrap_or(t);
        }
        if t < self.limit {
            self.t = t;
        }
    }

    fn pick_sender(&mut self) -> usize {
        let last = self.last_sender;
        if self.members.get(last).copied().unwrap_or(false) && self.rng.chance(0.3) {
            return last;
        }
        let total: f64 = self
            .people
            .iter()
            .zip(&self.members)
            .filter(|(_, &m)| m)
            .map(|(p, _)| p.weight)
            .sum();
        let mut x = self.rng.unit() * total;
        for (i, p) in self.people.iter().enumerate() {
            if !self.members[i] {
                continue;
            }
            x -= p.weight;
            if x < 0.0 {
                return i;
            }
        }
        0
    }

    fn word(&mut self, lang: u8) -> &'static str {
        let table = match (lang, self.rng.chance(0.25)) {
            (1, false) => WORDS_ES,
            (2, false) => WORDS_DE,
            _ => WORDS_EN,
        };
        self.rng.pick(table)
    }

    fn sentence(&mut self, lang: u8, words: usize) -> String {
        let mut s = String::with_capacity(words * 7);
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word(lang);
            if i == 0 && self.rng.chance(0.5) {
                let mut cs = w.chars();
                if let Some(c) = cs.next() {
                    s.extend(c.to_uppercase());
                    s.push_str(cs.as_str());
                }
            } else {
                s.push_str(w);
            }
        }
        let end = self
            .rng
            .pick(&["", "", "", ".", ".", "!", "?", "!!", "...", " haha"]);
        s.push_str(end);
        if self.rng.chance(0.15) {
            for _ in 0..self.rng.range(1, 3) {
                s.push(' ');
                s.push_str(self.rng.pick(EMOJI));
            }
        }
        s
    }

    fn word_count(&mut self) -> usize {
        let r = self.rng.unit();
        (if r < 0.35 {
            self.rng.range(1, 4)
        } else if r < 0.80 {
            self.rng.range(5, 12)
        } else {
            self.rng.range(13, 28)
        }) as usize
    }

    fn text_body(&mut self, lang: u8) -> String {
        let r = self.rng.unit();
        if r < 0.03 {
            let n = self.rng.range(1, 3);
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(self.rng.pick(EMOJI));
            }
            s
        } else if r < 0.06 {
            let path = self.word(0);
            let id = self.rng.range(1, 99_999);
            let link = format!("https://example.com/{path}/{id}");
            if self.rng.chance(0.5) {
                link
            } else {
                let n = self.rng.range(2, 6) as usize;
                format!("{} {link}", self.sentence(lang, n))
            }
        } else if r < 0.10 {
            let lines = self.rng.range(2, 4);
            let mut s = String::new();
            for i in 0..lines {
                if i > 0 {
                    s.push('\n');
                    if self.rng.chance(0.2) {
                        s.push('\n');
                    }
                }
                if i > 0 && self.rng.chance(0.3) {
                    s.push_str("- ");
                    s.push_str(self.word(lang));
                } else {
                    let n = self.rng.range(2, 9) as usize;
                    s.push_str(&self.sentence(lang, n));
                }
            }
            s
        } else {
            let n = self.word_count();
            self.sentence(lang, n)
        }
    }

    fn media(&mut self, sender: usize) -> SynthMessage {
        let ts = self.ts();
        let attachment = if self.with_media && self.rng.chance(0.9) {
            Some(self.attachment_name(ts))
        } else {
            None
        };
        // Only Android exports keep captions.
        let text = if !self.style.is_ios() && self.rng.chance(0.3) {
            let lang = self.people[sender].lang;
            let n = self.rng.range(2, 6) as usize;
            self.sentence(lang, n)
        } else {
            String::new()
        };
        SynthMessage {
            ts,
            sender: Some(self.people[sender].name.clone()),
            kind: Kind::Media,
            text,
            attachment,
        }
    }

    fn attachment_name(&mut self, ts: NaiveDateTime) -> String {
        self.media_counter += 1;
        let n = self.media_counter;
        let r = self.rng.unit();
        // (Android prefix, iOS type, extension); documents and contacts keep a name.
        let (a, i, ext) = if r < 0.62 {
            ("IMG", "PHOTO", "jpg")
        } else if r < 0.74 {
            ("VID", "VIDEO", "mp4")
        } else if r < 0.84 {
            ("PTT", "AUDIO", "opus")
        } else if r < 0.92 {
            ("STK", "STICKER", "webp")
        } else if r < 0.97 {
            let doc = self.rng.pick(DOC_NAMES);
            return match self.style.platform {
                Platform::Ios => format!("{n:08}-{doc}"),
                _ => doc.to_string(),
            };
        } else {
            let who = self.rng.pick(NAMES).0;
            return match self.style.platform {
                Platform::Ios => format!("{n:08}-{who}.vcf"),
                _ => format!("{who}.vcf"),
            };
        };
        let (y, mo, d) = (ts.year(), ts.month(), ts.day());
        let (h, mi, s) = (ts.hour(), ts.minute(), ts.second());
        match self.style.platform {
            Platform::Android => format!("{a}-{y:04}{mo:02}{d:02}-WA{:04}.{ext}", n % 10_000),
            Platform::Ios => {
                format!("{n:08}-{i}-{y:04}-{mo:02}-{d:02}-{h:02}-{mi:02}-{s:02}.{ext}")
            }
            Platform::LegacyIos => format!("{y:04}-{mo:02}-{d:02}-{i}-{n:08}.{ext}"),
        }
    }

    fn event(&mut self) -> Option<SynthMessage> {
        let someone = self.pick_sender();
        let who = self.actor(someone).to_string();
        let outside: Vec<usize> = (1..self.people.len())
            .filter(|&i| !self.members[i])
            .collect();
        let inside = self.members.iter().filter(|&&m| m).count();
        let text = match self.rng.below(5) {
            0 if !outside.is_empty() => {
                let j = self.rng.pick(&outside);
                self.members[j] = true;
                if self.rng.chance(0.5) {
                    format!(
                        "{} joined using this group's invite link",
                        self.people[j].name
                    )
                } else {
                    format!("{who} added {}", self.people[j].name)
                }
            }
            1 if inside > 3 && someone != 0 => {
                self.members[someone] = false;
                format!("{who} left")
            }
            2 => {
                let new = self.rng.pick(GROUP_NAMES);
                if new == self.group {
                    return None;
                }
                let text = if self.style.is_ios() {
                    format!("{who} changed the subject to {}", self.quote(new))
                } else {
                    format!(
                        "{who} changed the subject from {} to {}",
                        self.quote(&self.group),
                        self.quote(new)
                    )
                };
                self.group = new.to_string();
                text
            }
            3 => format!("{who} changed this group's icon"),
            _ => return None,
        };
        Some(self.system(text))
    }

    fn next_message(&mut self) -> SynthMessage {
        loop {
            self.advance();
            let r = self.rng.unit();
            if r < 0.002 {
                if let Some(m) = self.event() {
                    return m;
                }
                continue;
            }
            let s = self.pick_sender();
            self.last_sender = s;
            let lang = self.people[s].lang;
            let name = self.people[s].name.clone();
            let ios = self.style.is_ios();
            let (kind, text) = if r < 0.052 {
                return self.media(s);
            } else if r < 0.062 {
                let text = match (s == 0, ios) {
                    (false, false) => "This message was deleted",
                    (true, false) => "You deleted this message",
                    (false, true) => "This message was deleted.",
                    (true, true) => "You deleted this message.",
                };
                (Kind::Deleted, text.to_string())
            } else if r < 0.065 {
                let lat = self.rng.range(0, 140_000_000) as f64 / 1e6 - 70.0;
                let lon = self.rng.range(0, 360_000_000) as f64 / 1e6 - 180.0;
                let label = if ios { "Location" } else { "location" };
                (
                    Kind::Location,
                    format!("{label}: https://maps.google.com/?q={lat:.6},{lon:.6}"),
                )
            } else if r < 0.067 {
                let text = if self.rng.chance(0.7) {
                    "Missed voice call"
                } else {
                    "Missed video call"
                };
                (Kind::Call, text.to_string())
            } else if r < 0.0685 {
                let n = self.rng.range(3, 7) as usize;
                let q = self.sentence(lang, n);
                let mut text = format!("POLL:\n{}?", q.trim_end_matches(['.', '!', '?']));
                for _ in 0..self.rng.range(2, 4) {
                    let votes = self.rng.below(6);
                    let n = self.rng.range(1, 3) as usize;
                    let opt = self.sentence(lang, n);
                    let unit = if votes == 1 { "vote" } else { "votes" };
                    text.push_str(&format!("\nOPTION: {opt} ({votes} {unit})"));
                }
                (Kind::Poll, text)
            } else {
                (Kind::Text, self.text_body(lang))
            };
            return SynthMessage {
                ts: self.ts(),
                sender: Some(name),
                kind,
                text,
                attachment: None,
            };
        }
    }
}

impl Iterator for Generator {
    type Item = SynthMessage;

    fn next(&mut self) -> Option<SynthMessage> {
        self.emitted += 1;
        Some(match self.prologue.pop_front() {
            Some(m) => m,
            None => self.next_message(),
        })
    }
}

/// `n` random but plausible messages (seeded): 3–12 participants, mostly text in English,
/// Spanish and German with emoji, links and multi-line messages, ~5% media, ~1% deleted, a
/// few system events, locations, calls and polls; timestamps non-decreasing from 2019-01-01.
pub fn generate_messages(seed: u64, n: usize, style: &HeaderStyle) -> Vec<SynthMessage> {
    Generator::new(seed, style, n).take(n).collect()
}

/// [`generate_messages`] + [`render_export`] in one go, streaming into one `String`.
pub fn generate_export(seed: u64, n: usize, style: &HeaderStyle, ending: LineEnding) -> String {
    let header_len = render_header(style, date(2024, 12, 24) + TimeDelta::hours(23)).len();
    let mut out = String::with_capacity(n * (header_len + 80));
    for m in Generator::new(seed, style, n).take(n) {
        render_message(&mut out, style, &m, ending, Lang::En);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .expect("valid test date")
    }

    fn style(name: &str) -> HeaderStyle {
        style_by_name(name).expect("style exists")
    }

    #[test]
    fn headers_match_whatsapp_literally() {
        let cases: &[(&str, NaiveDateTime, &str)] = &[
            (
                "android-en-GB",
                at(2023, 3, 14, 9, 15, 0),
                "14/03/2023, 09:15 - ",
            ),
            (
                "android-en-US",
                at(2024, 1, 9, 19, 2, 0),
                "1/9/24, 7:02\u{202F}PM - ",
            ),
            (
                "android-en-US",
                at(2024, 1, 10, 0, 3, 0),
                "1/10/24, 12:03\u{202F}AM - ",
            ),
            (
                "android-en-US",
                at(2024, 1, 10, 12, 30, 0),
                "1/10/24, 12:30\u{202F}PM - ",
            ),
            (
                "android-es-AR",
                at(2020, 9, 22, 15, 9, 0),
                "22/9/20 15:09 - ",
            ),
            (
                "android-de",
                at(2022, 8, 3, 12, 35, 0),
                "03.08.22, 12:35 - ",
            ),
            (
                "android-nl",
                at(2022, 3, 18, 14, 58, 0),
                "18-03-2022 14:58 - ",
            ),
            ("android-id", at(2025, 8, 30, 18, 5, 0), "30/08/25 18.05 - "),
            (
                "android-en-CA",
                at(2024, 2, 10, 9, 5, 0),
                "2024-02-10, 9:05\u{202F}a.m. - ",
            ),
            (
                "android-es",
                at(2023, 11, 9, 20, 2, 0),
                "9/11/2023 8:02 p.\u{A0}m. - ",
            ),
            (
                "ios-en-GB",
                at(2023, 6, 2, 8, 1, 5),
                "[02/06/2023, 08:01:05] ",
            ),
            (
                "ios-en-US",
                at(2024, 8, 14, 21, 5, 12),
                "[8/14/24, 9:05:12\u{202F}PM] ",
            ),
            (
                "ios-de",
                at(2023, 1, 29, 10, 3, 40),
                "[29.01.23, 10:03:40] ",
            ),
            (
                "ios-iso",
                at(2022, 3, 18, 14, 57, 30),
                "[2022-03-18, 14:57:30] ",
            ),
            (
                "ios-tr",
                at(2024, 2, 3, 20, 16, 40),
                "[3.02.2024 20:16:40] ",
            ),
            (
                "ios-fi",
                at(2026, 4, 22, 20, 20, 13),
                "[22.4.2026, 20.20.13] ",
            ),
            (
                "ios-legacy-en-US",
                at(2016, 6, 2, 19, 45, 32),
                "6/2/16, 7:45:32 PM: ",
            ),
            (
                "ios-ar",
                at(2023, 4, 5, 10, 8, 10),
                "\u{200F}[٥\u{200F}/٤\u{200F}/٢٠٢٣، ١٠:٠٨:١٠\u{A0}ص] ",
            ),
            (
                "ios-ar",
                at(2022, 3, 18, 14, 56, 0),
                "\u{200F}[١٨\u{200F}/٣\u{200F}/٢٠٢٢، ٢:٥٦:٠٠\u{A0}م] ",
            ),
        ];
        for (name, ts, want) in cases {
            assert_eq!(render_header(&style(name), *ts), *want, "{name}");
        }
    }

    #[test]
    fn styles_are_distinct_and_described() {
        let styles = all_styles();
        assert_eq!(styles.len(), 16);
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.pattern, b.pattern);
            }
        }
        assert_eq!(android_en_gb().date_order(), DateOrder::Dmy);
        assert_eq!(ios_en_us().date_order(), DateOrder::Mdy);
        assert_eq!(style("ios-iso").date_order(), DateOrder::Ymd);
        assert_eq!(style("android-en-CA").date_order(), DateOrder::Ymd);
        assert!(ios_en_us().is_ios() && ios_en_us().has_seconds() && ios_en_us().is_12h());
        assert!(!android_en_gb().is_ios() && !android_en_gb().has_seconds());
        assert!(style("ios-legacy-en-US").is_ios());
    }

    #[test]
    fn generation_is_deterministic_per_seed() {
        for s in all_styles() {
            let a = generate_messages(7, 500, &s);
            assert_eq!(a, generate_messages(7, 500, &s));
            assert_ne!(a, generate_messages(8, 500, &s));
            assert_eq!(a.len(), 500);
            assert_eq!(
                generate_export(7, 500, &s, LineEnding::IosMixed),
                render_export(&s, &a, LineEnding::IosMixed)
            );
        }
    }

    #[test]
    fn generated_messages_keep_the_round_trip_rules() {
        for (k, s) in all_styles().iter().enumerate() {
            let msgs = generate_messages(k as u64, 3000, s);
            let senders: std::collections::HashSet<_> =
                msgs.iter().filter_map(|m| m.sender.as_deref()).collect();
            assert!(senders.len() >= 2, "{}", s.name);
            for pair in msgs.windows(2) {
                assert!(pair[0].ts <= pair[1].ts, "{}", s.name);
            }
            for m in &msgs {
                assert!(m.ts.year() >= 2019 && m.ts.year() < 2099);
                if !s.has_seconds() {
                    assert_eq!(m.ts.second(), 0);
                }
                assert_eq!(m.kind == Kind::System, m.sender.is_none());
                if let Some(name) = &m.sender {
                    assert!(!name.contains(": ") && !name.contains('\n'));
                }
                if m.kind == Kind::System {
                    assert!(!m.text.contains(": "), "{}", m.text);
                }
                assert!(!m.text.contains('\r'));
                assert_eq!(m.text.trim(), m.text, "{:?}", m.text);
                if m.kind == Kind::Text {
                    let first = m.text.chars().next().expect("non-empty body");
                    assert!(!first.is_ascii_digit() && first != '[' && first != '\u{200E}');
                }
                if s.is_ios() && m.kind == Kind::Media {
                    assert!(m.text.is_empty());
                }
            }
        }
    }

    #[test]
    fn kinds_come_in_plausible_proportions() {
        let msgs = generate_messages(42, 20_000, &android_en_gb());
        let share = |k: Kind| msgs.iter().filter(|m| m.kind == k).count() as f64 / 20_000.0;
        assert!(
            (0.035..0.07).contains(&share(Kind::Media)),
            "{}",
            share(Kind::Media)
        );
        assert!((0.005..0.02).contains(&share(Kind::Deleted)));
        assert!(share(Kind::System) > 0.0005 && share(Kind::System) < 0.01);
        assert!(share(Kind::Text) > 0.85);
        let multi = msgs.iter().filter(|m| m.text.contains('\n')).count();
        assert!(multi > 300, "{multi}");
        let links = msgs
            .iter()
            .filter(|m| m.text.contains("https://example.com/"))
            .count();
        assert!((300..1000).contains(&links), "{links}");
    }

    #[test]
    fn ten_thousand_messages_render_to_the_expected_size() {
        let text = generate_export(1, 10_000, &android_en_gb(), LineEnding::Lf);
        let per = text.len() / 10_000;
        assert!((70..110).contains(&per), "{per} bytes per message");
        let ios = generate_export(1, 10_000, &ios_en_us(), LineEnding::IosMixed);
        let per = ios.len() / 10_000;
        assert!((75..120).contains(&per), "{per} bytes per message");
    }

    #[test]
    fn every_message_starts_with_its_header() {
        for s in all_styles() {
            let msgs = generate_messages(3, 400, &s);
            for ending in [LineEnding::Lf, LineEnding::Crlf, LineEnding::IosMixed] {
                let mut whole = String::new();
                for m in &msgs {
                    let mut one = String::new();
                    render_message(&mut one, &s, m, ending, Lang::En);
                    let header = render_header(&s, m.ts);
                    let body = one.strip_prefix('\u{200E}').unwrap_or(&one);
                    assert!(body.starts_with(&header), "{}: {one:?}", s.name);
                    let end = if ending == LineEnding::Lf {
                        "\n"
                    } else {
                        "\r\n"
                    };
                    assert!(one.ends_with(end));
                    if ending != LineEnding::Crlf {
                        assert_eq!(one.matches('\r').count(), usize::from(end == "\r\n"));
                    }
                    whole.push_str(&one);
                }
                assert_eq!(whole, render_export(&s, &msgs, ending));
            }
        }
    }

    #[test]
    fn platform_conventions_are_rendered() {
        let ts = at(2023, 6, 2, 8, 1, 30);
        let media = SynthMessage {
            ts,
            sender: Some("Grace Okafor".into()),
            kind: Kind::Media,
            text: String::new(),
            attachment: None,
        };
        let one = |s: &HeaderStyle, m: &SynthMessage| {
            render_export(s, std::slice::from_ref(m), LineEnding::IosMixed)
        };
        assert_eq!(
            one(&ios_en_gb(), &media),
            "\u{200E}[02/06/2023, 08:01:30] Grace Okafor: \u{200E}video omitted\r\n"
        );
        assert_eq!(
            one(&android_en_gb(), &media),
            "02/06/2023, 08:01 - Grace Okafor: <Media omitted>\r\n"
        );
        let attached = SynthMessage {
            attachment: Some("IMG-20230602-WA0001.jpg".into()),
            text: "the view".into(),
            ..media.clone()
        };
        assert_eq!(
            render_export(&android_en_gb(), &[attached], LineEnding::Lf),
            "02/06/2023, 08:01 - Grace Okafor: \u{200E}IMG-20230602-WA0001.jpg (file attached)\nthe view\n"
        );
        let system = SynthMessage {
            sender: None,
            kind: Kind::System,
            text: "Grace Okafor added you".into(),
            ..media.clone()
        };
        assert_eq!(
            one(&ios_en_gb(), &system),
            "[02/06/2023, 08:01:30] \u{200E}Grace Okafor added you\r\n"
        );
        let phone = SynthMessage {
            sender: Some("+1 555 010 4477".into()),
            kind: Kind::Text,
            text: "Me!\nnew number".into(),
            ..media.clone()
        };
        assert_eq!(
            one(&style("ios-legacy-en-US"), &phone),
            "6/2/23, 8:01:30 AM: \u{202A}+1\u{A0}555\u{A0}010\u{A0}4477\u{202C}: Me!\nnew number\r\n"
        );
        let edited = SynthMessage {
            sender: Some("Jun".into()),
            kind: Kind::Text,
            text: format!("Thursday works {EDITED_MARKER}"),
            ..media
        };
        assert_eq!(
            one(&ios_en_gb(), &edited),
            "[02/06/2023, 08:01:30] Jun: Thursday works \u{200E}<This message was edited>\r\n"
        );
    }
}
