//! Writes the bundled demo exports in `assets/demo/`: four invented chats (a family group, a
//! German 1:1 chat, an iOS cycling club, a Spanish choir) from January 2023 to June 2025.
//!
//! Run with `cargo run --release --example make_demo -- assets/demo`. The output is
//! deterministic: the same source always writes the same bytes, so the files can be committed
//! and diffed. Every person, number and place in them is made up.
//!
//! Each chat is a cast, a pool of scripted scenes (short exchanges that recur with variations:
//! pizza Fridays, rehearsals, Saturday rides…) and dated scenes (birthdays, holidays, the visa
//! saga, people joining and leaving). A scene line is `(speaker, spec)`; the spec is plain text
//! or one of the markers handled in [`Chat::line`].

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use std::io;
use std::path::{Path, PathBuf};
use whatscope::model::Kind;
use whatscope::synth::{
    android_de, android_en_gb, android_es, ios_en_gb, render_export_lang, HeaderStyle, Lang,
    LineEnding, Rng, SynthMessage, EDITED_MARKER,
};

fn main() -> io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "assets/demo".to_string()),
    );
    std::fs::create_dir_all(&dir)?;
    let mut total = 0;
    for chat in [family()?, lukas()?, club()?, choir()?] {
        total += chat.write(&dir)?;
    }
    eprintln!("{total} messages in all");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Scenes

type Line = (&'static str, &'static str);

/// A recurring exchange and when it may happen.
#[derive(Clone, Copy)]
struct Scene {
    lines: &'static [Line],
    weight: u32,
    /// Weekday bitmask, bit 0 = Monday; 0 = any day.
    days: u8,
    /// Month bitmask, bit m = month m; 0 = any month.
    months: u16,
    /// First and last month (`yyyymm`) the scene fits the story.
    from: u32,
    to: u32,
    hours: (u32, u32),
    /// Minimum number of days between two uses.
    cool: i64,
}

const fn scene(lines: &'static [Line]) -> Scene {
    Scene {
        lines,
        weight: 3,
        days: 0,
        months: 0,
        from: 0,
        to: 999_999,
        hours: (9, 21),
        cool: 30,
    }
}

impl Scene {
    const fn w(self, weight: u32) -> Self {
        Scene { weight, ..self }
    }
    const fn on(self, days: u8) -> Self {
        Scene { days, ..self }
    }
    const fn months(self, months: u16) -> Self {
        Scene { months, ..self }
    }
    const fn between(self, from: u32, to: u32) -> Self {
        Scene { from, to, ..self }
    }
    const fn hours(self, a: u32, b: u32) -> Self {
        Scene {
            hours: (a, b),
            ..self
        }
    }
    const fn cool(self, cool: i64) -> Self {
        Scene { cool, ..self }
    }
}

const MON: u8 = 1;
const TUE: u8 = 2;
const WED: u8 = 4;
const THU: u8 = 8;
const FRI: u8 = 16;
const SAT: u8 = 32;
const SUN: u8 = 64;
const WEEKEND: u8 = SAT | SUN;

const fn month_bits(months: &[u32]) -> u16 {
    let mut bits = 0u16;
    let mut i = 0;
    while i < months.len() {
        bits |= 1 << months[i];
        i += 1;
    }
    bits
}

/// A scene on a fixed date; year 0 means every year of the chat.
struct Dated {
    date: (i32, u32, u32),
    at: (u32, u32),
    lines: &'static [Line],
}

const fn on(y: i32, m: u32, d: u32, h: u32, min: u32, lines: &'static [Line]) -> Dated {
    Dated {
        date: (y, m, d),
        at: (h, min),
        lines,
    }
}

/// The strings a chat's language uses for the non-text kinds.
struct Words {
    deleted: &'static str,
    you_deleted: &'static str,
    location: &'static str,
    live: &'static str,
    voice_call: &'static str,
    video_call: &'static str,
    poll: &'static str,
    option: &'static str,
    vote: &'static str,
    votes: &'static str,
}

const EN_ANDROID: Words = Words {
    deleted: "This message was deleted",
    you_deleted: "You deleted this message",
    location: "location",
    live: "live location shared",
    voice_call: "Missed voice call",
    video_call: "Missed video call",
    poll: "POLL:",
    option: "OPTION:",
    vote: "vote",
    votes: "votes",
};

const EN_IOS: Words = Words {
    deleted: "This message was deleted.",
    you_deleted: "You deleted this message.",
    location: "Location",
    ..EN_ANDROID
};

const DE_ANDROID: Words = Words {
    deleted: "Diese Nachricht wurde gelöscht",
    you_deleted: "Du hast diese Nachricht gelöscht",
    location: "Standort",
    live: "Live-Standort wird geteilt",
    voice_call: "Verpasster Sprachanruf",
    video_call: "Verpasster Videoanruf",
    ..EN_ANDROID
};

const ES_ANDROID: Words = Words {
    deleted: "Se eliminó este mensaje",
    you_deleted: "Eliminaste este mensaje",
    location: "ubicación",
    live: "ubicación en tiempo real compartida",
    voice_call: "Llamada de voz perdida",
    video_call: "Videollamada perdida",
    poll: "ENCUESTA:",
    option: "OPCIÓN:",
    vote: "voto",
    votes: "votos",
};

// ---------------------------------------------------------------------------------------------
// The chat builder

struct Chat {
    file: &'static str,
    style: HeaderStyle,
    lang: Lang,
    ending: LineEnding,
    words: Words,
    /// Whether the export included media (attachment names) or wrote "omitted" placeholders.
    with_media: bool,
    cast: &'static [(&'static str, &'static str)],
    exporter: &'static str,
    fills: &'static [(&'static str, &'static [&'static str])],
    rng: Rng,
    clock: NaiveDateTime,
    msgs: Vec<SynthMessage>,
    active: Vec<&'static str>,
    last_speaker: &'static str,
    media_counter: u32,
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what.to_string())
}

fn day(y: i32, m: u32, d: u32) -> io::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| bad(&format!("no such date {y}-{m}-{d}")))
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> io::Result<NaiveDateTime> {
    date.and_hms_opt(h, m, s)
        .ok_or_else(|| bad(&format!("no such time {h}:{m}:{s}")))
}

impl Chat {
    fn name_of(&self, key: &str) -> io::Result<&'static str> {
        self.cast
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, n)| *n)
            .ok_or_else(|| bad(&format!("{}: nobody called {key:?}", self.file)))
    }

    /// Replaces `{key}` by a value from the fill table (the same value within one scene) and
    /// `{a|b|c}` by one of the alternatives, drawn afresh each time; alternatives may nest.
    fn fill(&mut self, text: &str, chosen: &mut Vec<(String, &'static str)>) -> io::Result<String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let inner_start = open + 1;
            // The matching brace, and the top-level `|` positions inside.
            let mut depth = 0usize;
            let mut close = None;
            let mut bars = Vec::new();
            for (i, c) in rest[inner_start..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        close = Some(inner_start + i);
                        break;
                    }
                    '}' => depth -= 1,
                    '|' if depth == 0 => bars.push(inner_start + i),
                    _ => {}
                }
            }
            let close = close.ok_or_else(|| bad(&format!("unclosed brace in {text:?}")))?;
            let inner = &rest[inner_start..close];
            if bars.is_empty() {
                out.push_str(self.lookup(inner, chosen)?);
            } else {
                let mut options = Vec::with_capacity(bars.len() + 1);
                let mut from = inner_start;
                for bar in bars {
                    options.push(&rest[from..bar]);
                    from = bar + 1;
                }
                options.push(&rest[from..close]);
                let pick = self.rng.pick(&options);
                let filled = self.fill(pick, chosen)?;
                out.push_str(&filled);
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn lookup(
        &mut self,
        key: &str,
        chosen: &mut Vec<(String, &'static str)>,
    ) -> io::Result<&'static str> {
        if let Some((_, v)) = chosen.iter().find(|(k, _)| k == key) {
            return Ok(v);
        }
        let options = self
            .fills
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, o)| *o)
            .filter(|o| !o.is_empty())
            .ok_or_else(|| bad(&format!("no fill for {{{key}}}")))?;
        let v = self.rng.pick(options);
        chosen.push((key.to_string(), v));
        Ok(v)
    }

    fn advance(&mut self, secs: i64) {
        self.clock += TimeDelta::seconds(secs.max(1));
    }

    /// A plausible pause before the next line by `speaker`.
    fn pause(&mut self, speaker: &str, text_len: usize) {
        let typing = (text_len as u64 / 4).min(90);
        let secs = if speaker == self.last_speaker {
            self.rng.range(4, 40) + typing
        } else if self.rng.chance(0.08) {
            self.rng.range(600, 5400)
        } else {
            self.rng.range(20, 300) + typing
        };
        self.advance(secs as i64);
    }

    fn push(&mut self, sender: Option<&str>, kind: Kind, text: String, attachment: Option<String>) {
        let ts = if self.style.has_seconds() {
            self.clock
        } else {
            self.clock.with_second(0).unwrap_or(self.clock)
        };
        self.msgs.push(SynthMessage {
            ts,
            sender: sender.map(str::to_string),
            kind,
            text,
            attachment,
        });
    }

    fn media_name(&mut self, what: &str) -> String {
        let ts = self.clock;
        let n = self.media_counter;
        self.media_counter += 1;
        let (y, mo, d) = (ts.year(), ts.month(), ts.day());
        let (h, mi, s) = (ts.hour(), ts.minute(), ts.second());
        let (android, ios, ext) = match what {
            "video" => ("VID", "VIDEO", "mp4"),
            "audio" => ("PTT", "AUDIO", "opus"),
            "sticker" => ("STK", "STICKER", "webp"),
            "gif" => ("VID", "GIF", "mp4"),
            _ => ("IMG", "PHOTO", "jpg"),
        };
        if self.style.is_ios() {
            let n = self.msgs.len() + 1;
            format!("{n:08}-{ios}-{y:04}-{mo:02}-{d:02}-{h:02}-{mi:02}-{s:02}.{ext}")
        } else {
            format!("{android}-{y:04}{mo:02}{d:02}-WA{n:04}.{ext}")
        }
    }

    fn named_file(&mut self, name: &str) -> String {
        if self.style.is_ios() {
            format!("{:08}-{name}", self.msgs.len() + 1)
        } else {
            name.to_string()
        }
    }

    /// Emits one scripted line. Specs:
    /// `<sys>TEXT` a system event · `<+K>` / `<-K>` K joins / leaves the pool of random
    /// speakers (nothing emitted) · `<wait:MIN>` a pause · `<photo>` `<video>` `<audio>`
    /// `<sticker>` `<gif>` media, the rest of the spec a caption · `<file:NAME>` a document ·
    /// `<contact:NAME>` a contact card · `<deleted>` · `<loc:LAT,LON>` · `<live>` · `<call>` /
    /// `<vcall>` missed calls · `<poll:Q|OPTION:N|…>` · `<edited>TEXT` · `<null>` view-once ·
    /// `<maybe>SPEC` the line only half of the time.
    /// Speaker `?` is anyone in the pool but the last speaker, `A|B` one of A and B.
    fn line(
        &mut self,
        who: &'static str,
        spec: &str,
        chosen: &mut Vec<(String, &'static str)>,
    ) -> io::Result<()> {
        let mut spec = self.fill(spec, chosen)?;
        if let Some(rest) = spec.strip_prefix("<maybe>") {
            if self.rng.chance(0.5) {
                return Ok(());
            }
            spec = rest.to_string();
        }
        if let Some(key) = spec.strip_prefix("<+").and_then(|s| s.strip_suffix('>')) {
            let key = self.cast_key(key)?;
            if !self.active.contains(&key) {
                self.active.push(key);
            }
            return Ok(());
        }
        if let Some(key) = spec.strip_prefix("<-").and_then(|s| s.strip_suffix('>')) {
            self.active.retain(|k| *k != key);
            return Ok(());
        }
        if let Some(min) = spec
            .strip_prefix("<wait:")
            .and_then(|s| s.strip_suffix('>'))
        {
            let min: i64 = min.parse().map_err(|_| bad(&spec))?;
            let jitter = self.rng.range(0, (min as u64 * 20).max(1)) as i64;
            self.advance(min * 60 + jitter);
            return Ok(());
        }
        if let Some(text) = spec.strip_prefix("<sys>") {
            let secs = self.rng.range(5, 90) as i64;
            self.advance(secs);
            self.push(None, Kind::System, text.to_string(), None);
            return Ok(());
        }

        let who = if who == "?" || who.contains('|') {
            let last = self.last_speaker;
            let options: Vec<&'static str> = self
                .active
                .iter()
                .copied()
                .filter(|k| *k != last && (who == "?" || who.split('|').any(|w| w == *k)))
                .collect();
            if options.is_empty() {
                return Ok(());
            }
            self.rng.pick(&options)
        } else {
            who
        };
        let name = self.name_of(who)?;
        // Nobody speaks before joining or after leaving.
        if !self.active.contains(&who) {
            return Ok(());
        }
        self.pause(who, spec.len());
        self.last_speaker = who;

        let (kind, text, attachment) = if let Some((tag, caption)) = media_tag(&spec) {
            let caption = if self.style.is_ios() {
                String::new()
            } else {
                caption.to_string()
            };
            let attachment = match tag {
                Tag::Media(what) => self.with_media.then(|| self.media_name(what)),
                Tag::File(file) => self.with_media.then(|| self.named_file(file)),
                // Contact cards keep their name even in exports without media (Android).
                Tag::Contact(who) => Some(self.named_file(&format!("{who}.vcf"))),
            };
            (Kind::Media, caption, attachment)
        } else if spec == "<deleted>" {
            let text = if name == self.exporter {
                self.words.you_deleted
            } else {
                self.words.deleted
            };
            (Kind::Deleted, text.to_string(), None)
        } else if let Some(ll) = spec.strip_prefix("<loc:").and_then(|s| s.strip_suffix('>')) {
            let text = format!("{}: https://maps.google.com/?q={ll}", self.words.location);
            (Kind::Location, text, None)
        } else if spec == "<live>" {
            (Kind::Location, self.words.live.to_string(), None)
        } else if spec == "<call>" {
            (Kind::Call, self.words.voice_call.to_string(), None)
        } else if spec == "<vcall>" {
            (Kind::Call, self.words.video_call.to_string(), None)
        } else if spec == "<null>" {
            (Kind::Hidden, "null".to_string(), None)
        } else if let Some(poll) = spec
            .strip_prefix("<poll:")
            .and_then(|s| s.strip_suffix('>'))
        {
            (Kind::Poll, self.poll(poll)?, None)
        } else if let Some(text) = spec.strip_prefix("<edited>") {
            (Kind::Text, format!("{text} {EDITED_MARKER}"), None)
        } else {
            (Kind::Text, spec, None)
        };
        self.push(Some(name), kind, text, attachment);
        Ok(())
    }

    fn cast_key(&self, key: &str) -> io::Result<&'static str> {
        self.cast
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(k, _)| *k)
            .ok_or_else(|| bad(&format!("{}: nobody called {key:?}", self.file)))
    }

    fn poll(&self, spec: &str) -> io::Result<String> {
        let mut parts = spec.split('|');
        let question = parts.next().unwrap_or_default();
        let mut text = format!("{}\n{question}", self.words.poll);
        for option in parts {
            let (label, votes) = option
                .rsplit_once(':')
                .ok_or_else(|| bad(&format!("poll option without votes: {option:?}")))?;
            let n: u32 = votes.trim().parse().map_err(|_| bad(option))?;
            let unit = if n == 1 {
                self.words.vote
            } else {
                self.words.votes
            };
            text.push_str(&format!("\n{} {label} ({n} {unit})", self.words.option));
        }
        Ok(text)
    }

    fn play(&mut self, lines: &'static [Line]) -> io::Result<()> {
        let mut chosen = Vec::new();
        for (who, spec) in lines {
            self.line(who, spec, &mut chosen)?;
        }
        Ok(())
    }

    /// Moves the clock to `t` unless it is already later.
    fn at_least(&mut self, t: NaiveDateTime) {
        if t > self.clock {
            self.clock = t;
        }
    }

    /// Runs the story: dated scenes on their days, and on other days a random scene from the
    /// pool with probability `daily` (sometimes two).
    fn run(
        &mut self,
        start: NaiveDate,
        end: NaiveDate,
        daily: f64,
        pool: &'static [Scene],
        dated: &'static [Dated],
    ) -> io::Result<()> {
        let mut last_used = vec![i64::MIN / 2; pool.len()];
        let mut today = start;
        let mut n_day = 0i64;
        while today <= end {
            let mut todays: Vec<&Dated> = dated
                .iter()
                .filter(|d| {
                    (d.date.0 == today.year() || d.date.0 == 0)
                        && d.date.1 == today.month()
                        && d.date.2 == today.day()
                })
                .collect();
            todays.sort_by_key(|d| d.at);
            let busy = !todays.is_empty();
            for d in todays {
                let t = at(today, d.at.0, d.at.1, self.rng.below(60) as u32)?;
                self.at_least(t);
                self.play(d.lines)?;
            }
            let extra = if busy { daily * 0.3 } else { daily };
            let mut runs = u32::from(self.rng.chance(extra));
            if runs == 1 && self.rng.chance(0.25) {
                runs = 2;
            }
            for _ in 0..runs {
                let ym = today.year() as u32 * 100 + today.month();
                let dow = 1u8 << today.weekday().num_days_from_monday();
                let fits: Vec<usize> = (0..pool.len())
                    .filter(|&i| {
                        let s = &pool[i];
                        (s.days == 0 || s.days & dow != 0)
                            && (s.months == 0 || s.months & (1 << today.month()) != 0)
                            && (s.from..=s.to).contains(&ym)
                            && n_day - last_used[i] >= s.cool
                    })
                    .collect();
                let total: u32 = fits.iter().map(|&i| pool[i].weight).sum();
                if total == 0 {
                    break;
                }
                let mut x = self.rng.below(u64::from(total)) as u32;
                let Some(&pick) = fits.iter().find(|&&i| {
                    if x < pool[i].weight {
                        true
                    } else {
                        x -= pool[i].weight;
                        false
                    }
                }) else {
                    break;
                };
                let s = pool[pick];
                let hour = self.rng.range(u64::from(s.hours.0), u64::from(s.hours.1)) as u32;
                let t = at(today, hour.min(23), self.rng.below(60) as u32, 0)?;
                if self.clock.date() == today && self.clock.hour() >= 22 {
                    break;
                }
                self.at_least(t);
                self.play(s.lines)?;
                last_used[pick] = n_day;
            }
            today = today.succ_opt().ok_or_else(|| bad("calendar overflow"))?;
            n_day += 1;
        }
        Ok(())
    }

    fn write(&self, dir: &Path) -> io::Result<usize> {
        let text = render_export_lang(&self.style, &self.msgs, self.ending, self.lang);
        let path = dir.join(self.file);
        std::fs::write(&path, text)?;
        eprintln!("{}: {} messages", path.display(), self.msgs.len());
        Ok(self.msgs.len())
    }
}

enum Tag<'a> {
    Media(&'a str),
    File(&'a str),
    Contact(&'a str),
}

/// `<photo>caption`, `<file:Name.pdf>caption`, … → the tag and the caption.
fn media_tag(spec: &str) -> Option<(Tag<'_>, &str)> {
    for what in ["photo", "video", "audio", "sticker", "gif"] {
        if let Some(rest) = spec
            .strip_prefix('<')
            .and_then(|s| s.strip_prefix(what))
            .and_then(|s| s.strip_prefix('>'))
        {
            return Some((Tag::Media(what), rest));
        }
    }
    let (inner, rest) = spec.strip_prefix('<')?.split_once('>')?;
    if let Some(name) = inner.strip_prefix("file:") {
        return Some((Tag::File(name), rest));
    }
    if let Some(name) = inner.strip_prefix("contact:") {
        return Some((Tag::Contact(name), rest));
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn new_chat(
    file: &'static str,
    style: HeaderStyle,
    lang: Lang,
    words: Words,
    with_media: bool,
    cast: &'static [(&'static str, &'static str)],
    exporter_key: &'static str,
    fills: &'static [(&'static str, &'static [&'static str])],
    seed: u64,
    start: NaiveDateTime,
) -> io::Result<Chat> {
    let ending = if style.is_ios() {
        LineEnding::IosMixed
    } else {
        LineEnding::Lf
    };
    let exporter = cast
        .iter()
        .find(|(k, _)| *k == exporter_key)
        .map(|(_, n)| *n)
        .ok_or_else(|| bad("no exporter"))?;
    Ok(Chat {
        file,
        style,
        lang,
        ending,
        words,
        with_media,
        cast,
        exporter,
        fills,
        rng: Rng::new(seed),
        clock: start,
        msgs: Vec::new(),
        active: Vec::new(),
        last_speaker: "",
        media_counter: 0,
    })
}

// ---------------------------------------------------------------------------------------------
// Family Rivera: Android en-GB, with media, a London family with a Spanish grandmother.

const FAMILY_CAST: &[(&str, &str)] = &[
    ("E", "Elena Rivera"),
    ("M", "Marco Rivera"),
    ("L", "Lucía Rivera"),
    ("O", "Leo Rivera"),
    ("A", "Abuela Carmen"),
    ("R", "Tía Rosa"),
    ("P", "+44 7700 900461"),
];

const FAMILY_FILLS: &[(&str, &[&str])] = &[
    (
        "pizza",
        &[
            "margherita",
            "quattro formaggi",
            "pepperoni",
            "funghi",
            "diavola",
            "ham and pineapple (don't judge)",
            "the one with the burrata",
        ],
    ),
    (
        "dish",
        &[
            "tortilla de patatas",
            "croquetas",
            "lentejas",
            "paella",
            "albóndigas",
            "arroz con leche",
            "cocido",
        ],
    ),
    (
        "shop",
        &[
            "milk",
            "eggs",
            "bread",
            "olive oil",
            "dog food for Churro",
            "bananas",
            "coffee",
            "loo roll",
        ],
    ),
    (
        "chore",
        &[
            "take the bins out",
            "walk Churro",
            "empty the dishwasher",
            "tidy your room",
            "hang the washing",
        ],
    ),
    ("time", &["6", "half 6", "7", "quarter past 7", "8"]),
    (
        "film",
        &[
            "Paddington 2",
            "The Princess Bride",
            "Coco",
            "Back to the Future",
            "Spirited Away",
            "Mamma Mia",
        ],
    ),
    (
        "place",
        &[
            "Richmond Park",
            "Kew Gardens",
            "the river",
            "Greenwich",
            "Hampstead Heath",
        ],
    ),
    (
        "yt",
        &["k3Xb9QpL2wE", "Zr7TQm1vY0c", "p0Lk4sW8JxA", "e9RbN2uQf5M"],
    ),
];

const FAMILY_POOL: &[Scene] = &[
    scene(&[
        ("O", "{Pizza tonight? 🍕|Pizza Friday!! 🍕|It's Friday. You know what that means 🍕|PIZZA?}"),
        ("M", "{It's Friday so obviously|Obviously|Was there ever any doubt|Yes please, long week}"),
        ("O", "{I want {pizza}|{pizza} for me|Can we get {pizza} this time}"),
        ("E", "Ok I'll order at {time}. Anyone else?"),
        ("M|O", "{pizza} for me please"),
        ("E", "{Ordered ✅ 35 minutes|Done, 40 minutes 🍕|Ordered. Someone set the table please}"),
        ("O", "<maybe>{🙌|🍕🍕|Yesss}"),
    ])
    .on(FRI)
    .hours(16, 18)
    .cool(6)
    .w(7),
    scene(&[
        ("O", "Can we do homemade pizza this time"),
        ("E", "Only if you make the dough"),
        ("O", "Deal. Abuela what's the trick for the dough?"),
        (
            "A",
            "Agua tibia, un poquito de azúcar y paciencia 😊\nLet it rest 2 hours minimum",
        ),
        ("O", "2 HOURS"),
        ("M", "Patience is the main ingredient Leo 😂"),
        ("O", "<photo>Not bad for a first try"),
        ("A", "Qué pinta!! 😍"),
    ])
    .on(FRI)
    .hours(15, 17)
    .cool(40)
    .w(3),
    scene(&[
        ("L", "Is it pizza Friday? I miss it so much 😭"),
        ("E", "We'll save you a slice in the freezer 😂"),
        ("O", "No promises"),
        ("L", "Leo I swear"),
        ("O", "<photo>{pizza} tonight. Thinking of you 🍕"),
        ("L", "Rude"),
    ])
    .on(FRI)
    .hours(17, 19)
    .between(202309, 202506)
    .cool(20)
    .w(3),
    scene(&[
        ("M", "Pizza or curry tonight? Voting closes in 10 minutes"),
        ("O", "Pizza"),
        ("E", "Curry, we had pizza last week"),
        ("O", "Pizza is a lifestyle"),
        ("M", "Pizza wins 2 to 1, sorry love 😂"),
    ])
    .on(FRI | SAT)
    .hours(17, 19)
    .cool(10)
    .w(3),
    scene(&[
        ("E", "Can someone grab {shop} on the way home?"),
        ("M|O", "{On it 👍|Will do|Ok, anything else?|👍|Yep, at the shop now}"),
        ("E", "<maybe>{Thank you ❤️|Thanks!|You're a star ⭐|And {shop} if they have it}"),
    ])
    .hours(15, 19)
    .cool(5)
    .w(6),
    scene(&[
        ("E", "Leo did you {chore}?"),
        ("O", "{Doing it now|In a minute|Yes|After this game}"),
        ("M", "<maybe>{He was doing it \"now\" an hour ago|Narrator: he was not doing it now|I'll believe it when I see it 😂}"),
        ("O", "<maybe>{😑|🙄|I SAID now}"),
        ("O", "<maybe>{Done. Happy?|Done ✅|Done. Can I have pizza now}"),
        ("E", "<maybe>{Very ❤️|Thank you cariño|👏}"),
    ])
    .hours(16, 20)
    .cool(8)
    .w(5),
    scene(&[
        ("E", "Mamá can you send the tortilla recipe again? I lost it"),
        ("A", "Claro hija"),
        (
            "A",
            "Tortilla de patatas (4 personas):\n- 5 huevos\n- 4 patatas medianas\n- 1 cebolla\n- aceite de oliva, sal\nFry the potatoes slowly, 20 minutes, NOT crispy.\nFlip it with a plate and be brave 😂",
        ),
        ("E", "Gracias! ❤️"),
        ("M", "\"Flip it with a plate and be brave\" is life advice honestly"),
    ])
    .cool(200),
    scene(&[
        ("L", "Abuela how do you make your lentejas? Trying to cook like an adult 😅"),
        (
            "A",
            "Lentejas de la abuela:\n- 300 g lentejas pardinas\n- 1 chorizo\n- 1 zanahoria, 1 patata\n- 1 pimiento, media cebolla, 2 dientes de ajo\n- 1 hoja de laurel, pimentón\nEverything in the pot, cover with water, 40 minutes slowly.\nY un chorrito de vinagre al final!",
        ),
        ("L", "You're the best ❤️"),
        ("L", "<photo>Attempt number one"),
        ("A", "Muy bien!! Looks just like mine 😍"),
        ("O", "Looks like mud"),
        ("L", "Nobody asked you Leo"),
    ])
    .between(202309, 202506)
    .cool(300),
    scene(&[
        ("R", "Carmen, the flan recipe please! I have guests on Saturday"),
        (
            "A",
            "Flan de huevo:\n- 4 huevos\n- 500 ml leche\n- 100 g azúcar + azúcar para el caramelo\n- piel de limón\nBaño maría, 180 grados, 45 minutos. Overnight in the fridge!",
        ),
        ("R", "Gracias hermana ❤️"),
        ("E", "Save me some Rosa 😋"),
    ])
    .between(202303, 202506)
    .cool(300),
    scene(&[
        ("A", "Domingo comida en mi casa a la 1? Hago {dish}"),
        ("E", "Yes! We'll bring dessert"),
        ("O", "Is there going to be {dish}?? I'm in"),
        ("M", "Can I bring the wine?"),
        ("A", "Sí, pero el bueno 😂"),
    ])
    .on(THU | FRI)
    .hours(10, 13)
    .cool(12)
    .w(5),
    scene(&[
        ("A", "<photo>"),
        ("A", "{Mirad lo que he hecho hoy: {dish} 😋|Hoy {dish}, como en los viejos tiempos|{dish} para el domingo 😋}"),
        ("O", "<maybe>{Save me some!!|Abuela I'm coming over|😍😍}"),
        ("E", "{Looks amazing Mamá|Qué rico!|I can smell it from here 😋|Recipe please!}"),
    ])
    .hours(12, 15)
    .cool(14)
    .w(4),
    scene(&[
        ("M", "<photo>Churro found the sofa again"),
        ("O", "😂😂😂"),
        ("A", "Pobrecito, está cansado"),
        ("E", "He is NOT allowed on the sofa Marco"),
        ("M", "You tell him"),
    ])
    .cool(40)
    .w(4),
    scene(&[
        ("E", "{Who's walking Churro tonight?|Churro needs a walk, volunteers?|Dog walk tonight? Not me, my feet are dead}"),
        ("O", "<maybe>{I did it yesterday|Not me, homework|I did it this morning!}"),
        ("M", "{I'll take him, need the steps anyway|I'll go|Me, after dinner|On my way home, I'll take him round the park}"),
        ("E", "<maybe><photo>{He knows. He's waiting by the door 😂|He heard the word walk 😂|Look at this face}"),
    ])
    .hours(17, 20)
    .cool(10)
    .w(4),
    scene(&[
        ("A", "Aquí llueve muchísimo ☔ how is London?"),
        ("E", "Also raining, as always 😅"),
        ("M", "Classic"),
        ("A", "Abrigaos bien!"),
    ])
    .months(month_bits(&[1, 2, 3, 10, 11, 12]))
    .hours(9, 12)
    .cool(20)
    .w(3),
    scene(&[
        ("M", "<photo>"),
        ("M", "<photo>"),
        ("M", "<photo>{place} this morning 🌳"),
        ("A", "Qué bonito! 😍"),
        ("R", "Lovely!"),
        ("E", "Best walk in ages"),
    ])
    .on(WEEKEND)
    .hours(11, 16)
    .cool(14)
    .w(4),
    scene(&[
        ("E", "How did the maths exam go?"),
        ("O", "Fine I think"),
        ("O", "Maybe"),
        ("M", "Very convincing 😂"),
        ("A", "Seguro que muy bien mi niño ❤️"),
    ])
    .months(month_bits(&[1, 5, 6, 11]))
    .on(MON | TUE | WED | THU | FRI)
    .hours(15, 17)
    .cool(30)
    .w(3),
    scene(&[
        ("M", "<edited>Train delayed again, home by {time}"),
        ("E", "Dinner's in the oven"),
        ("M", "You're the best ❤️"),
    ])
    .on(MON | TUE | WED | THU)
    .hours(17, 19)
    .cool(25)
    .w(3),
    scene(&[
        ("M", "Train cancelled 🙄 getting the bus"),
        ("E", "Oh no. Text me when you're on it"),
        ("M", "<live>"),
        ("M", "On it, 40 minutes"),
    ])
    .on(MON | TUE | WED | THU | FRI)
    .hours(17, 19)
    .cool(40)
    .w(2),
    scene(&[
        ("L", "Call this weekend? Sunday 6pm your time works"),
        ("E", "Perfect ❤️"),
        ("A", "Yo también quiero! How do I join the video?"),
        ("O", "I'll set it up for you Abuela"),
        ("A", "Gracias cariño ❤️"),
    ])
    .on(THU | FRI)
    .between(202309, 202506)
    .cool(14)
    .w(4),
    scene(&[
        ("L", "<photo>"),
        ("L", "<photo>First snow in Toronto ❄️❄️"),
        ("A", "Qué frío!! Ponte el gorro"),
        ("L", "Yes Abuela 😂"),
        ("M", "How cold is it?"),
        ("L", "-14°C. My face hurts"),
    ])
    .months(month_bits(&[11, 12, 1, 2]))
    .between(202311, 202503)
    .cool(45)
    .w(3),
    scene(&[
        ("L", "Exams done!!! 🎉"),
        ("E", "Well done cariño!! So proud ❤️"),
        ("A", "Enhorabuena mi niña!! 👏👏"),
        ("O", "Nerd"),
        ("L", "Love you too Leo"),
    ])
    .months(month_bits(&[4, 12]))
    .between(202312, 202506)
    .cool(90)
    .w(2),
    scene(&[
        ("O", "https://youtu.be/{yt}"),
        ("O", "{This is literally Dad|Watch till the end 😂|Lucía this is you|Mum you need to see this}"),
        ("M", "I don't dance like that"),
        ("E", "You do 😂"),
        ("A", "<maybe>No puedo ver el video, what is it?"),
    ])
    .cool(50)
    .w(3),
    scene(&[
        ("M", "Did you see the match?? 😱"),
        ("O", "Best game of the season"),
        ("A", "Yo no entiendo el fútbol 😂"),
        ("P", "What a finish!!"),
    ])
    .between(202406, 202506)
    .on(SAT | SUN)
    .hours(17, 21)
    .cool(21)
    .w(2),
    scene(&[
        ("M", "Did you see the match?? 😱"),
        ("O", "Best game of the season"),
        ("A", "Yo no entiendo el fútbol 😂"),
    ])
    .on(SAT | SUN)
    .hours(17, 21)
    .cool(21)
    .w(2),
    scene(&[
        ("A", "<audio>"),
        ("A", "<audio>"),
        ("E", "{Mamá you can type you know 😂|Mamá I'm in a meeting, can you write it?|Who wants to summarise for me 😅}"),
        ("A", "{Es más rápido así|Ay, con las gafas no veo las letras|Es para que oigáis mi voz ❤️}"),
        ("O", "<maybe>{She's right though|Abuela's podcast 🎙️}"),
    ])
    .hours(10, 13)
    .cool(45)
    .w(3),
    scene(&[
        ("L", "<deleted>"),
        ("L", "Wrong chat 🙈"),
        ("O", "Screenshot taken 😈"),
        ("L", "LEO"),
    ])
    .cool(120)
    .w(2),
    scene(&[
        ("E", "What do we want for dinner?"),
        ("O", "Pizza"),
        ("M", "It's Tuesday"),
        ("O", "So?"),
        ("E", "Lentejas it is"),
        ("O", "😭"),
    ])
    .on(TUE)
    .hours(15, 17)
    .cool(30)
    .w(3),
    scene(&[
        ("A", "<photo>"),
        ("A", "Mirad lo que he encontrado! Málaga 1994"),
        ("L", "Mum is that you?? 😂"),
        ("E", "We don't talk about the perm"),
        ("M", "I loved the perm"),
        ("O", "I'm making this my wallpaper"),
    ])
    .cool(400),
    scene(&[
        ("E", "Film night? Thinking {film}"),
        ("O", "Again?"),
        ("M", "It's a classic"),
        ("E", "Popcorn's on me 🍿"),
    ])
    .on(FRI | SAT)
    .hours(18, 20)
    .cool(14)
    .w(3),
    scene(&[
        ("R", "Anyone free to help me move the wardrobe on Saturday? 😅"),
        ("M", "I can come in the morning"),
        ("O", "For pizza I'll come"),
        ("R", "Deal 🍕"),
    ])
    .between(202303, 202410)
    .cool(200),
    scene(&[
        ("P", "Anyone up for padel on Saturday? 🎾"),
        ("M", "I'm in"),
        ("O", "Me too"),
        ("P", "<loc:51.462180,-0.300930>"),
        ("P", "Court 3, 10am"),
    ])
    .between(202406, 202506)
    .on(WED | THU)
    .cool(30)
    .w(3),
    scene(&[
        ("O", "<null>"),
        ("O", "Oops that was view once, look quick 😂"),
        ("E", "Leo what was that"),
        ("O", "Nothing 😇"),
    ])
    .cool(500),
    scene(&[
        ("E", "Reminder: dentist for Leo tomorrow 8:30"),
        ("O", "Noooo"),
        ("M", "I'll drive him"),
    ])
    .on(MON | TUE | WED | THU)
    .hours(19, 21)
    .cool(120)
    .w(2),
    scene(&[
        ("A", "{Buenos días familia ☀️|Buenos días a todos 🌞|Buenos días! Qué día tan bonito hoy|Buenos días mis amores ❤️}"),
        ("E", "<maybe>{Buenos días Mamá ❤️|Morning Mamá!|Buenos días ☀️}"),
        ("R", "<maybe>{Buenos días!|Buenos días hermana 😘}"),
    ])
    .hours(8, 10)
    .cool(9)
    .w(4),
    scene(&[
        ("E", "<contact:Dr Alvarez Surgery>"),
        ("E", "Mamá this is the new GP's number, save it please"),
        ("A", "Gracias hija"),
    ])
    .cool(500),
];

const FAMILY_DATED: &[Dated] = &[
    on(2023, 1, 3, 19, 2, &[
        ("", "<sys>Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
        ("", "<sys>You created group \"Family Rivera\""),
        ("", "<sys>You added Marco Rivera"),
        ("", "<sys>You added Lucía Rivera"),
        ("", "<sys>You added Leo Rivera"),
        ("", "<sys>You added Abuela Carmen"),
        ("", "<+E>"), ("", "<+M>"), ("", "<+L>"), ("", "<+O>"), ("", "<+A>"),
        ("E", "Finally a family group! No more 5 separate chats 🙌"),
        ("L", "About time"),
        ("A", "Hola familia!! ❤️❤️"),
        ("A", "Cómo se pone una foto aquí?"),
        ("O", "Abuela press the clip 📎"),
        ("A", "<photo>"),
        ("A", "Ya!! 😂"),
        ("M", "Pro level Carmen 👏"),
    ]),
    on(2023, 1, 22, 18, 30, &[
        ("M", "Summer holiday time. Vote please!"),
        ("M", "<poll:Summer holiday 2023?|Algarve:3|Asturias:2|Lake District:1>"),
        ("O", "Beach beach beach"),
        ("A", "Asturias, la comida!! 😋"),
        ("M", "Algarve it is ☀️ Sorry Carmen, next year Asturias, promise"),
        ("A", "Te tomo la palabra 😂"),
    ]),
    on(2023, 2, 5, 20, 10, &[
        ("M", "Found a villa near Lagos with a pool https://www.airbnb.co.uk/rooms/51234987"),
        ("E", "Book it before it's gone!"),
        ("L", "A POOL 😍"),
        ("M", "Booked ✅ 22 to 29 July"),
    ]),
    on(2023, 2, 11, 12, 0, &[
        ("", "<sys>Marco Rivera added Tía Rosa"),
        ("", "<+R>"),
        ("R", "Hola a todos! Thanks for adding me 😘"),
        ("A", "Mi hermana! ❤️"),
        ("E", "Welcome Rosa!"),
    ]),
    on(2023, 3, 15, 21, 4, &[
        ("L", "GOT THE OFFER FROM TORONTO!!! 🎉🇨🇦"),
        ("E", "WHAT!!! 😭😭 So proud of you ❤️"),
        ("A", "Mi niña!! Qué orgullo 🙏"),
        ("O", "Does that mean I get your room"),
        ("M", "Congratulations Lucía!! Now the fun part: the visa paperwork 😅"),
        ("R", "Enhorabuena guapa!! 🥳"),
    ]),
    on(2023, 4, 20, 19, 30, &[
        ("L", "Study permit checklist 😵‍💫"),
        ("L", "<file:Study permit checklist.pdf>"),
        ("L", "Need proof of funds, passport scans, acceptance letter, biometrics, a letter explaining why I'll come back…"),
        ("M", "I can do the bank letter tomorrow"),
        ("E", "We'll do the rest together this weekend"),
        ("L", "Thank you ❤️ this visa thing is a full time job"),
    ]),
    on(2023, 5, 20, 10, 15, &[
        ("", "<sys>Marco Rivera changed the subject from \"Family Rivera\" to \"Riveras in Portugal ☀️\""),
        ("", "<sys>Marco Rivera changed this group's icon"),
        ("M", "Getting in the mood 😎"),
        ("O", "2 months to go"),
    ]),
    on(2023, 5, 30, 13, 5, &[
        ("L", "Biometrics appointment booked for Thursday at the visa centre"),
        ("M", "Take the original passport!!"),
        ("L", "Yes dad 🙄"),
        ("E", "And the appointment letter printed"),
        ("L", "YES"),
    ]),
    on(2023, 6, 1, 12, 40, &[
        ("L", "Biometrics done ✅ fingerprints and a terrible photo"),
        ("A", "Seguro que sales guapísima"),
        ("L", "Now we wait. 4 to 8 weeks 😬"),
    ]),
    on(2023, 7, 12, 8, 20, &[
        ("L", "VISA APPROVED 🎉🎉🎉"),
        ("A", "Gracias a Dios 🙏🙏"),
        ("O", "Can I have your room now"),
        ("L", "No"),
        ("E", "😂 Congratulations cariño!! Canada here you come"),
        ("M", "Champagne tonight 🥂"),
    ]),
    on(2023, 7, 22, 14, 30, &[
        ("M", "Landed in Faro ✈️"),
        ("E", "<photo>The pool!!"),
        ("A", "Qué envidia!! Disfrutad"),
        ("O", "<video>"),
        ("L", "Leo if you film me again I'm throwing your phone in the pool"),
    ]),
    on(2023, 7, 24, 11, 0, &[
        ("M", "<loc:37.089530,-8.668770>"),
        ("M", "At Praia Dona Ana, come find us"),
        ("L", "On our way with ice creams 🍦"),
        ("E", "<photo>"),
        ("E", "<photo>Sunset in Lagos 🌅"),
        ("R", "Beautiful!! Enjoy every minute"),
    ]),
    on(2023, 7, 27, 20, 30, &[
        ("O", "Best piri piri chicken of my life"),
        ("M", "<photo>"),
        ("A", "Y el pescado? 😂"),
        ("E", "Tomorrow sardinhas, promise Mamá"),
    ]),
    on(2023, 7, 29, 22, 10, &[
        ("E", "Home safe. Best holiday ❤️"),
        ("M", "Already missing the pool"),
        ("O", "Can we move to Portugal"),
    ]),
    on(2023, 9, 4, 9, 0, &[
        ("", "<sys>You changed the subject from \"Riveras in Portugal ☀️\" to \"Family Rivera\""),
        ("E", "Back to normal life 😅"),
    ]),
    on(2023, 9, 6, 6, 30, &[
        ("L", "At the airport. Can't believe this is happening 🥹"),
        ("A", "Mi niña, llámame cuando llegues ❤️"),
        ("E", "Text us when you land. Love you"),
        ("O", "Bye. I'm moving into your room"),
        ("L", "<wait:480>"),
        ("L", "Landed in Toronto!! 🇨🇦"),
        ("L", "Immigration took 2 hours but the study permit is in my passport ✅"),
        ("M", "Welcome to Canada cariño ❤️"),
    ]),
    on(0, 3, 14, 8, 5, &[
        ("E", "Feliz cumpleaños Mamá!! 🎂❤️"),
        ("L", "Happy birthday Abuela!! 🎉"),
        ("O", "Happy birthday Abuela 🎂"),
        ("M", "Felicidades Carmen! 🥳"),
        ("R", "Feliz cumple hermana ❤️"),
        ("A", "Gracias mis amores ❤️❤️❤️"),
        ("A", "<audio>"),
        ("E", "<photo>The cake!"),
    ]),
    on(2023, 5, 7, 8, 30, &[
        ("O", "Happy birthday Mum 🎂"),
        ("L", "Happy birthday Mama!! Love you ❤️"),
        ("A", "Felicidades hija mía 🎉"),
        ("M", "Breakfast in bed is on its way 🥐"),
        ("E", "You are all the best ❤️"),
    ]),
    on(2024, 5, 7, 8, 10, &[
        ("L", "Happy birthday Mum!! Wish I was there ❤️"),
        ("O", "Happy birthday 🎂🎉"),
        ("A", "Felicidades hija ❤️"),
        ("M", "Table booked at the Spanish place tonight 🥘"),
        ("E", "❤️❤️❤️"),
    ]),
    on(2025, 5, 7, 8, 40, &[
        ("L", "Happy birthday Mum!! 🎂 Call later?"),
        ("O", "Happy birthday Mum"),
        ("A", "Felicidades hija mía!! 🎉"),
        ("P", "Happy birthday Tía Elena! 🎉"),
        ("E", "Thank you all ❤️"),
    ]),
    on(2023, 8, 2, 9, 0, &[
        ("E", "Happy 16th birthday Leo!! 🎉🎂"),
        ("M", "Sixteen! Where did the time go"),
        ("L", "Happy birthday little brother 😘"),
        ("A", "Feliz cumpleaños mi niño!! 🎁"),
        ("O", "Thanks!! Pizza party tonight right?"),
        ("E", "Obviously 🍕"),
    ]),
    on(2024, 8, 2, 9, 10, &[
        ("E", "Happy 17th birthday Leo!! 🎉"),
        ("L", "Happy birthday!! Video call later 📱"),
        ("A", "Felicidades mi niño!! 🎂"),
        ("P", "Happy birthday cuz! 🥳"),
        ("O", "Thanks for the phone!!! 📱📱"),
        ("M", "Don't drop this one"),
    ]),
    on(2024, 8, 3, 10, 0, &[
        ("", "<sys>Your security code with Leo Rivera changed. Tap to learn more."),
        ("O", "New phone, new me 😎"),
    ]),
    on(2023, 10, 19, 13, 0, &[
        ("E", "Happy birthday cariño!! First one far from home ❤️"),
        ("A", "Feliz cumpleaños mi niña!! 🎂"),
        ("M", "Happy birthday Lucía! Check your bank account 😉"),
        ("O", "Happy birthday"),
        ("L", "Thank you!! Missing you all so much 🥹"),
        ("L", "<photo>My friends got me a cake"),
    ]),
    on(2024, 10, 19, 13, 30, &[
        ("E", "Happy birthday cariño!! 🎉"),
        ("A", "Felicidades mi niña ❤️"),
        ("O", "Happy birthday, visit soon"),
        ("L", "Thank you!! Christmas at home this year ✈️"),
    ]),
    on(0, 11, 30, 8, 15, &[
        ("E", "Happy birthday to the best husband ❤️"),
        ("O", "Happy birthday Dad 🎂"),
        ("L", "Happy birthday Papa!! 🎉"),
        ("A", "Felicidades Marco!"),
        ("M", "Thanks everyone!! Feeling old 😂"),
    ]),
    on(2023, 12, 18, 19, 0, &[
        ("A", "Nochebuena en mi casa, como siempre 🎄\nI'm making the cordero"),
        ("E", "We'll bring the turrón and the wine"),
        ("R", "I'll do the croquetas"),
        ("O", "I'll bring… my appetite"),
        ("M", "Classic Leo"),
        ("L", "I'll join on video 🥲"),
    ]),
    on(2023, 12, 24, 21, 30, &[
        ("L", "Merry Christmas from Toronto!! ❄️ -12°C here"),
        ("L", "<photo>"),
        ("E", "<photo>We miss you! Your chair is waiting"),
        ("A", "Feliz Navidad mi niña ❤️"),
        ("O", "I ate your croquetas"),
    ]),
    on(2024, 12, 18, 20, 0, &[
        ("A", "Nochebuena en mi casa 🎄 Esta vez con Lucía!!"),
        ("L", "Landing at Heathrow on the 21st at 7:40 ✈️"),
        ("M", "I'll pick you up"),
        ("R", "Croquetas again, by popular demand"),
        ("P", "Can I come too? 😅"),
        ("A", "Claro Pablito! Siempre hay sitio"),
    ]),
    on(2024, 12, 21, 8, 5, &[
        ("L", "Landed!! 🇬🇧"),
        ("M", "Waiting at arrivals with a sign"),
        ("M", "<photo>"),
        ("L", "Dad what does that sign say 😭"),
    ]),
    on(0, 1, 1, 0, 3, &[
        ("E", "Feliz año nuevo familia!! 🎉🥂"),
        ("A", "Feliz año mis amores ❤️"),
        ("M", "Happy New Year!! 🎆"),
        ("O", "Happy new year 🎉"),
    ]),
    on(2024, 1, 14, 19, 0, &[
        ("M", "Promise is a promise: this summer ASTURIAS"),
        ("A", "Por fin!! 😍 Cachopo y sidra"),
        ("M", "<poll:Which week in August?|5 to 12:2|10 to 17:4|19 to 26:0>"),
        ("M", "10 to 17 it is. Lucía can you get the time off?"),
        ("L", "Already asked ✅"),
    ]),
    on(2024, 5, 12, 16, 40, &[
        ("", "<sys>+44 7700 900461 joined using this group's invite link"),
        ("", "<+P>"),
        ("P", "Hi everyone! It's Pablo, new number 😊"),
        ("A", "Pablito!! ❤️"),
        ("E", "Welcome to the chaos Pablo 😂"),
        ("O", "Finally another cousin in here"),
    ]),
    on(2024, 8, 10, 12, 0, &[
        ("M", "Landed in Asturias ✈️"),
        ("L", "Flight from Toronto on time, see you at the hotel tonight"),
        ("A", "<photo>"),
        ("A", "Ya estoy aquí! Llegué ayer con Rosa 😎"),
    ]),
    on(2024, 8, 12, 13, 30, &[
        ("M", "<loc:43.545300,-5.661900>"),
        ("M", "Lunch at the sidrería near the port"),
        ("O", "<video>"),
        ("O", "Abuela pouring cider like a pro"),
        ("A", "Toda la vida haciéndolo 😂"),
        ("E", "<photo>Cachopo. Enough for 6 people. For 2 people."),
    ]),
    on(2024, 8, 14, 18, 0, &[
        ("L", "<photo>"),
        ("L", "<photo>Lagos de Covadonga 😍"),
        ("R", "Qué maravilla"),
        ("M", "My legs are destroyed"),
    ]),
    on(2024, 11, 2, 11, 20, &[
        ("", "<sys>Tía Rosa left"),
        ("", "<-R>"),
        ("E", "Rosa??"),
        ("", "<sys>Marco Rivera added Tía Rosa"),
        ("", "<+R>"),
        ("R", "Sorry!! Pressed the wrong button 🙈"),
        ("O", "Classic"),
    ]),
    on(2025, 1, 12, 18, 30, &[
        ("L", "Proposal: summer 2025 you all come to Toronto 🇨🇦"),
        ("E", "YES"),
        ("M", "Do we need a visa for Canada?"),
        ("L", "No visa for British passports, just an eTA online, takes 5 minutes"),
        ("A", "Y yo? I have the Spanish passport"),
        ("L", "Same, eTA too Abuela, I'll do it for you ❤️"),
    ]),
    on(2025, 2, 10, 20, 0, &[
        ("L", "Abuela's eTA approved ✅ And Leo's. Mum and Dad, do yours!!"),
        ("M", "Done ✅"),
        ("E", "Done ✅ and flights booked: 14 July"),
        ("L", "<file:Toronto plan July.pdf>"),
        ("L", "Itinerary draft. Niagara Falls on day 3!"),
        ("O", "Can we go to a baseball game"),
    ]),
    on(2025, 6, 20, 19, 0, &[
        ("L", "3 weeks!! ✈️🇨🇦"),
        ("A", "Ya tengo la maleta hecha 😂"),
        ("E", "Mamá it's in July"),
        ("A", "Por si acaso"),
    ]),
];

fn family() -> io::Result<Chat> {
    let mut chat = new_chat(
        "WhatsApp Chat with Family Rivera.txt",
        android_en_gb(),
        Lang::En,
        EN_ANDROID,
        true,
        FAMILY_CAST,
        "E",
        FAMILY_FILLS,
        0xFA_111,
        at(day(2023, 1, 3)?, 19, 0, 0)?,
    )?;
    chat.run(
        day(2023, 1, 3)?,
        day(2025, 6, 28)?,
        0.27,
        FAMILY_POOL,
        FAMILY_DATED,
    )?;
    Ok(chat)
}

// ---------------------------------------------------------------------------------------------
// Lukas: Android de, without media, a 1:1 chat between two friends in Berlin (later Hamburg).

const LUKAS_CAST: &[(&str, &str)] = &[("K", "Lukas"), ("I", "Mira Schneider")];

const LUKAS_FILLS: &[(&str, &[&str])] = &[
    (
        "serie",
        &[
            "Dark",
            "Babylon Berlin",
            "How to Sell Drugs Online",
            "The Bear",
            "Severance",
        ],
    ),
    ("zeit", &["19 Uhr", "halb 8", "19:30", "20 Uhr"]),
    (
        "essen",
        &[
            "Döner",
            "Sushi",
            "Ramen",
            "Currywurst",
            "Falafel",
            "Käsespätzle",
        ],
    ),
    (
        "tag",
        &[
            "Anstrengend. Drei Meetings hintereinander 😵",
            "Ganz okay. Viel zu viel Kaffee ☕",
            "Lang. Der Drucker hat mich gehasst",
            "Gut! Früher Feierabend 🙌",
            "Frag nicht 🙃",
        ],
    ),
    (
        "folge",
        &["Folge 2", "Folge 4", "das Staffelfinale", "Folge 7"],
    ),
    (
        "morgen",
        &[
            "Zweiter Kaffee gerade ☕",
            "Noch nicht, Maschine ist kaputt 😭",
            "Schon drei 😅",
            "Gleich, sitze noch in der Bahn",
        ],
    ),
    (
        "ort",
        &[
            "Ostkreuz",
            "Warschauer Straße",
            "Hermannplatz",
            "Alexanderplatz",
        ],
    ),
];

const LUKAS_POOL: &[Scene] = &[
    scene(&[
        ("K", "{Heute Bouldern? 🧗|Bouldern heute?|Mittwoch = Bouldern 🧗‍♀️|Halle heute?}"),
        ("I", "{Ja! {zeit}?|Klar, {zeit}|Bin dabei, {zeit}?}"),
        ("K", "<maybe>{Passt, bis später|👍|Bis gleich!}"),
    ])
    .on(WED)
    .hours(12, 16)
    .between(202302, 202403)
    .cool(6)
    .w(8),
    scene(&[
        ("I", "Bouldern heute fällt bei mir aus, zu viel Arbeit 😩"),
        ("K", "Schwach 😂 Freitag dann?"),
        ("I", "Freitag!"),
    ])
    .on(WED)
    .hours(12, 16)
    .between(202302, 202403)
    .cool(20)
    .w(2),
    scene(&[
        ("I", "Meine Unterarme sind noch tot von Mittwoch 😂"),
        ("K", "Keine Ausreden! Der gelbe Überhang wartet"),
        ("I", "Der gelbe Überhang kann mich mal"),
    ])
    .on(THU | FRI)
    .between(202302, 202403)
    .cool(25)
    .w(2),
    scene(&[
        ("I", "{Tatort heute? 🕵️|Sonntag = Tatort. Kommst du?|Tatort bei mir?}"),
        ("K", "{Münster? Dann ja!|Klar! Welcher?|Bin dabei}"),
        ("I|K", "{Ich bring Chips mit|Ich mach Popcorn 🍿|Pizza bestellen wir dann}"),
        ("K", "<maybe>👍"),
    ])
    .on(SUN)
    .hours(17, 19)
    .between(202302, 202403)
    .cool(6)
    .w(5),
    scene(&[
        ("K", "Tatort läuft, schaust du auch? 😅"),
        ("I", "Klar. Der Kommissar ist heute extrem schlecht gelaunt"),
        ("K", "Der Mörder ist der Gärtner, wetten?"),
        ("I", "Es gibt keinen Gärtner 😂"),
    ])
    .on(SUN)
    .hours(20, 21)
    .between(202404, 202506)
    .cool(6)
    .w(5),
    scene(&[
        ("K", "{essen} oder Pizza?"),
        ("I", "{essen}. Immer {essen}."),
        ("K", "Treffen um {zeit} am {ort}?"),
        ("I", "{Bin da 🙌|Perfekt|Passt! Bis gleich|Ich bin 10 Minuten später da 🙈}"),
    ])
    .between(202302, 202403)
    .hours(16, 19)
    .cool(8)
    .w(5),
    scene(&[
        ("I", "Meine Mitbewohnerin hat schon wieder meinen Käse gegessen 😤"),
        ("K", "Schreib deinen Namen drauf 😂"),
        ("I", "Hab ich! Sie hat ihn trotzdem gegessen"),
        ("K", "Kriminell. Ruf die Polizei"),
    ])
    .cool(60)
    .w(3),
    scene(&[
        ("I", "WG-Versammlung heute Abend. Thema: der Putzplan 🙃"),
        ("K", "Viel Glück. Ich hol schon mal Popcorn"),
        ("I", "<wait:180>"),
        ("I", "Ergebnis: neuer Putzplan. Ändern wird sich nichts"),
    ])
    .hours(15, 18)
    .cool(60)
    .w(2),
    scene(&[
        ("K", "<photo>"),
        ("K", "<photo>"),
        ("I", "Sorry, bin im Büro, kann grad keine Sprachnachrichten hören 🙈"),
        ("K", "Kurz: Samstag Grillen bei mir?"),
        ("I", "Ja!! Ich mach Nudelsalat"),
    ])
    .on(WED | THU)
    .months(month_bits(&[5, 6, 7, 8]))
    .cool(20)
    .w(3),
    scene(&[
        (
            "I",
            "Einkaufsliste fürs Grillen:\n- Würstchen\n- Halloumi\n- Brötchen\n- Bier\n- Kohle!!",
        ),
        ("K", "Kohle hab ich noch"),
        ("I", "Und Senf. Ohne Senf geht gar nichts"),
    ])
    .on(FRI | SAT)
    .months(month_bits(&[5, 6, 7, 8]))
    .cool(30)
    .w(3),
    scene(&[
        ("I", "{<call>|<vcall>}"),
        ("I", "{Ruf mal zurück wenn du kannst|Hast du kurz Zeit?|Ruf zurück, ist nichts Schlimmes 😊}"),
        ("K", "{Sorry, war in der Bahn. Was gibt's?|Bin im Meeting, ruf in 20 Minuten an|Sorry! Jetzt kann ich}"),
        ("I", "<maybe>{Nix Schlimmes, erzähl ich dir heute Abend|Schon erledigt 😅|Egal, schreib ich dir}"),
    ])
    .cool(25)
    .w(3),
    scene(&[
        ("K", "<vcall>"),
        ("K", "Hast du kurz Zeit für Video? Brauch deine Meinung zu einem Sofa 😂"),
        ("I", "In 10 Minuten!"),
    ])
    .between(202404, 202506)
    .cool(60)
    .w(2),
    scene(&[
        (
            "K",
            "Schau mal: https://www.chefkoch.de/rezepte/1823451293/Kaesespaetzle-wie-in-Schwaben.html",
        ),
        ("I", "Käsespätzle am Freitag? 😍"),
        ("K", "Genau mein Plan"),
    ])
    .cool(150)
    .w(2),
    scene(&[
        ("K", "HSV hat schon wieder verloren 😭"),
        ("I", "Du tust mir so leid 😂"),
        ("K", "Nächstes Jahr steigen wir auf. Wie jedes Jahr"),
    ])
    .on(SAT | SUN)
    .hours(17, 20)
    .cool(20)
    .w(3),
    scene(&[
        ("K", "<deleted>"),
        ("K", "Falscher Chat 🙈"),
        ("I", "Jetzt will ich wissen was da stand 😂"),
        ("K", "Niemals"),
    ])
    .cool(150)
    .w(2),
    scene(&[
        ("I", "Nachricht an Lukas: ich hab dein Buch noch"),
        ("I", "<deleted>"),
        ("K", "Hä?"),
        ("I", "Ignorieren 😅 Ich hab dein Buch noch. Und deinen Regenschirm"),
    ])
    .cool(300)
    .w(1),
    scene(&[
        ("I", "Glühwein am Freitag? 🍷🎄"),
        ("K", "Immer!"),
        ("I", "Weihnachtsmarkt am {ort}, {zeit}"),
        ("K", "<live>"),
        ("K", "Bin gleich da, stehe am Crêpes-Stand"),
    ])
    .months(month_bits(&[12]))
    .between(202302, 202403)
    .cool(7)
    .w(6),
    scene(&[
        ("K", "Neue Pizzeria bei mir um die Ecke, die beste Pizza Napoletana der Stadt 🍕"),
        ("I", "Große Worte! Samstag testen?"),
        ("K", "Abgemacht"),
        ("I", "<wait:2880>"),
        ("I", "Okay, du hattest recht. Beste Pizza. Ich geb's zu"),
    ])
    .cool(200)
    .w(2),
    scene(&[
        ("I", "{Na, wie war dein Tag?|Wie war dein Tag?|Na, lebst du noch? 😄|Feierabend?}"),
        ("K", "{tag}"),
        ("I", "{Klingt nach Sofa und Serie heute|Oh je. Sofa und Serie?|Haha, kenn ich|Dann gönn dir was Schönes heute}"),
        ("K", "<maybe>{Genau das. {serie}, {folge}|{essen} und {serie}, der Plan steht|Erstmal Sport, dann Sofa}"),
    ])
    .hours(18, 21)
    .cool(7)
    .w(5),
    scene(&[
        ("K", "Hast du {serie} schon gesehen?"),
        ("I", "{Ja!! Das Ende 😱|Noch nicht, erst Folge 3|Ja! Ich bin noch nicht drüber weg}"),
        ("K", "{KEINE SPOILER|Psst! Nichts verraten|Sag nichts!!}"),
        ("I", "<maybe>🤐"),
    ])
    .hours(19, 22)
    .cool(20)
    .w(3),
    scene(&[
        ("I", "Sonntag Spaziergang am Tempelhofer Feld? ☀️"),
        ("K", "Gern, 14 Uhr am Eingang Columbiadamm"),
        ("I", "<loc:52.478900,13.399200>"),
        ("I", "Hier, ich bin schon da"),
    ])
    .on(SAT | SUN)
    .months(month_bits(&[4, 5, 6, 7, 8, 9]))
    .between(202302, 202403)
    .cool(14)
    .w(3),
    scene(&[
        ("K", "Hamburg regnet schon wieder ☔"),
        ("I", "Überraschung 😂"),
        ("K", "Ich hab mir einen richtigen Friesennerz gekauft"),
        ("I", "Foto oder es ist nicht passiert"),
        ("K", "<photo>"),
        ("I", "😂😂😂 Sehr Hamburg"),
    ])
    .between(202404, 202506)
    .cool(45)
    .w(3),
    scene(&[
        ("I", "Ich komm am Wochenende nach Hamburg! Zug kommt 11:42 an 🚆"),
        ("K", "Ich hol dich am Hauptbahnhof ab"),
        ("I", "Fischbrötchen am Hafen?"),
        ("K", "Natürlich 🐟"),
    ])
    .on(MON | TUE | WED)
    .between(202404, 202506)
    .cool(40)
    .w(3),
    scene(&[
        ("K", "{Wie läuft's im neuen Projekt?|Und, wie läuft die Arbeit?|Stress bei der Arbeit?}"),
        ("I", "{Chaos, aber gutes Chaos. Die Deadline ist nur leider Freitag 😬|Geht so. Zu viele Meetings|Gut! Endlich läuft es|Frag lieber nicht 🙃}"),
        ("K", "<maybe>{Du schaffst das 💪|Halt durch!|Wochenende ist bald 🙌}"),
    ])
    .on(MON | TUE | WED | THU)
    .hours(12, 20)
    .cool(25)
    .w(3),
    scene(&[
        ("K", "Kurze Frage: Pfannkuchen oder Berliner?"),
        ("I", "In Berlin heißen die Pfannkuchen. Ende der Diskussion"),
        ("K", "Hamburg sagt Berliner 😏"),
    ])
    .between(202404, 202506)
    .cool(400)
    .w(1),
    scene(&[
        ("I", "{Guten Morgen ☀️ Kaffee schon gehabt?|Moin! Schon wach?|Guten Morgen! Was für ein Wetter heute 🌧️|Morgen! Gut geschlafen?}"),
        ("K", "{morgen}"),
    ])
    .hours(8, 10)
    .cool(10)
    .w(3),
];

const LUKAS_DATED: &[Dated] = &[
    on(2023, 2, 1, 18, 45, &[
        ("", "<sys>Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren."),
        ("K", "Hey Mira, hier ist Lukas vom Bouldern 👋 Neue Nummer!"),
        ("I", "Hey Lukas! Gespeichert 😊"),
        ("K", "Mittwoch wieder?"),
        ("I", "Klar!"),
    ]),
    on(2023, 3, 9, 20, 10, &[
        ("K", "Ich hab ein Vorstellungsgespräch nächste Woche! In Hamburg 😬"),
        ("I", "Waaas! Erzähl"),
        ("K", "Produktdesign bei einer Reederei. Klingt langweilig, ist es aber nicht"),
        ("I", "Du rockst das 💪"),
    ]),
    on(2023, 3, 16, 17, 30, &[
        ("I", "Und??? Wie war's?"),
        ("K", "Gut glaube ich! Zweite Runde im April"),
        ("I", "🤞🤞"),
    ]),
    on(2023, 6, 9, 8, 15, &[
        ("I", "Alles Gute zum Geburtstag!! 🎂🥳"),
        ("K", "Danke dir! Heute Abend Biergarten?"),
        ("I", "Auf jeden Fall 🍻"),
    ]),
    on(2024, 6, 9, 9, 0, &[
        ("I", "Happy Birthday Lukas!!! 🎉 Alles Liebe nach Hamburg"),
        ("K", "Danke!! Nächstes Wochenende feiern wir nach, ja?"),
        ("I", "Ich bring Kuchen mit 🎂"),
    ]),
    on(2025, 6, 9, 8, 40, &[
        ("I", "Alles Gute zum Geburtstag, alter Mann 🎂😂"),
        ("K", "Danke 😂 Fühl mich auch so"),
    ]),
    on(0, 11, 27, 9, 30, &[
        ("K", "Happy Birthday Mira!!! 🎉 Alles Liebe"),
        ("I", "Dankeee ❤️"),
        ("K", "Heute Abend Essen? Ich lad dich ein"),
        ("I", "Wie könnte ich da nein sagen 😊"),
    ]),
    on(2023, 9, 14, 7, 30, &[
        ("I", "Flughafen BER, Mallorca ich komme ☀️✈️"),
        ("K", "Neid!! Schick Fotos"),
    ]),
    on(2023, 9, 15, 16, 0, &[
        ("I", "<photo>"),
        ("I", "<photo>"),
        ("I", "<loc:39.569600,2.650200>"),
        ("I", "Strand, Sonne, Tapas ☀️ Ich komme nie wieder zurück"),
        ("K", "Ich hasse dich ein bisschen 😂"),
    ]),
    on(2023, 9, 20, 21, 0, &[
        ("I", "Wieder in Berlin. 14 Grad und Regen 🙃"),
        ("K", "Willkommen zurück in der Realität"),
    ]),
    on(2023, 11, 20, 18, 2, &[
        ("K", "ICH HAB DEN JOB 🎉🎉"),
        ("I", "JAAA! Ich wusste es!!"),
        ("I", "Das müssen wir feiern 🍻"),
        ("K", "Start ist am 1. April. Ich zieh nach Hamburg 😳"),
        ("I", "Oh nein. Wer geht dann mit mir Bouldern 😭"),
    ]),
    on(2024, 2, 20, 19, 0, &[
        ("K", "Umzug ist am 16. März. Hast du Zeit zu helfen? 📦"),
        ("I", "Klar! Ich bring Kuchen mit"),
        ("K", "Du bist die Beste"),
    ]),
    on(2024, 3, 16, 8, 0, &[
        ("K", "Transporter ist da 🚚"),
        ("K", "<loc:52.487200,13.425100>"),
        ("I", "Bin in 15 Minuten da"),
        ("K", "<wait:420>"),
        ("K", "Alles drin. Danke für alles ❤️ Ohne dich hätte ich das nie geschafft"),
        ("I", "Fahr vorsichtig! Schreib wenn du da bist"),
        ("K", "<wait:200>"),
        ("K", "Angekommen in Hamburg 🏠"),
        ("K", "<photo>Kartons bis zur Decke"),
    ]),
    on(2024, 4, 3, 20, 0, &[
        ("I", "Erster Mittwoch ohne Bouldern 😢"),
        ("K", "Ich hab hier schon eine Halle gefunden. Aber ohne dich ist es nicht dasselbe"),
        ("I", "Schnulzig 😂 Aber ja"),
    ]),
    on(2024, 10, 8, 12, 30, &[
        ("I", "Mein Visum für Indien ist endlich da! ✈️"),
        ("K", "Endlich! Wie lange hat es gedauert?"),
        ("I", "Drei Wochen und zwei Anrufe bei der Botschaft 🙃"),
        ("K", "Konferenz in Bangalore, ich bin neidisch"),
    ]),
    on(2024, 10, 20, 18, 0, &[
        ("I", "<photo>"),
        ("I", "Bangalore ist verrückt. Und das Essen!! 🤤"),
        ("K", "Bring mir Gewürze mit!"),
    ]),
    on(2024, 12, 14, 15, 0, &[
        ("K", "Kommst du zum Weihnachtsmarkt nach Hamburg? 🎄"),
        ("I", "Nächstes Wochenende! Glühwein geht auf mich"),
        ("K", "Deal 🍷"),
    ]),
    on(2024, 12, 31, 23, 58, &[
        ("I", "Frohes neues Jahr!! 🎆🥂"),
        ("K", "Frohes Neues Mira! 2025 wird gut 🎉"),
    ]),
    on(2023, 12, 31, 23, 59, &[
        ("K", "Guten Rutsch!! 🎆"),
        ("I", "Frohes neues Jahr 🥂🎉"),
    ]),
    on(2025, 5, 2, 19, 0, &[
        ("K", "Ich hab eine Idee: Radtour an der Elbe im Juni?"),
        ("I", "Ja!! Von Hamburg nach Lauenburg?"),
        ("K", "Genau. 60 km, flach, mit Fischbrötchen-Pausen"),
        ("I", "Ich bin dabei 🚴‍♀️"),
    ]),
];

fn lukas() -> io::Result<Chat> {
    let mut chat = new_chat(
        "WhatsApp Chat mit Lukas.txt",
        android_de(),
        Lang::De,
        DE_ANDROID,
        false,
        LUKAS_CAST,
        "I",
        LUKAS_FILLS,
        0x1_0CA5,
        at(day(2023, 2, 1)?, 18, 0, 0)?,
    )?;
    chat.active = vec!["K", "I"];
    chat.run(
        day(2023, 2, 1)?,
        day(2025, 6, 20)?,
        0.25,
        LUKAS_POOL,
        LUKAS_DATED,
    )?;
    Ok(chat)
}

// ---------------------------------------------------------------------------------------------
// Lisbon Cycling Club: iOS, bracket headers, CRLF between messages, media attached.

const CLUB_CAST: &[(&str, &str)] = &[
    ("R", "Rui Almeida"),
    ("T", "Tom Whitaker"),
    ("J", "Joana Costa"),
    ("B", "Beatriz Santos"),
    ("M", "Miguel Ferreira"),
    ("S", "Sophie Laurent"),
    ("K", "Karim Haddad"),
    ("O", "+44 7700 900812"),
    ("A", "Ana Sousa"),
];

const CLUB_FILLS: &[(&str, &[&str])] = &[
    ("v1", &["2", "3", "4", "5", "6"]),
    ("v2", &["1", "2", "3", "4"]),
    ("v3", &["0", "1", "2"]),
    ("km", &["62", "75", "84", "91", "58", "103"]),
    ("elev", &["850", "1100", "1240", "640", "1420"]),
    (
        "act",
        &[
            "9284716350",
            "9301847265",
            "9418275036",
            "9527381640",
            "9630192847",
        ],
    ),
    (
        "cafe",
        &[
            "Piriquita in Sintra",
            "the kiosk in Guincho",
            "Pastéis de Belém",
            "the bakery in Azenhas do Mar",
        ],
    ),
];

const CLUB_POOL: &[Scene] = &[
    scene(&[
        ("R", "<poll:Saturday ride 🚴|Sintra loop (80 km):{v1}|Cascais coast (55 km):{v2}|Monsanto + coffee (30 km):{v3}>"),
        ("J|B|S|O", "{Sintra! My legs are ready 💪|Cascais please, I'm still tired from last week|Sintra 🔥|Monsanto, I have lunch plans 😅}"),
        ("M", "<maybe>{Only if we stop for travesseiros|Coffee stop is mandatory ☕|I'm in either way}"),
        ("R", "{Meeting point as usual, 8:00 at Cais do Sodré|8:00 at Cais do Sodré, don't be late 😉|Same place, 8:00. Bring lights, it's still dark}"),
        ("R", "<maybe><loc:38.705700,-9.144900>"),
    ])
    .on(THU)
    .hours(18, 21)
    .cool(6)
    .w(8),
    scene(&[
        ("R", "<poll:Sunday social ride?|Belém and back:{v1}|Parque das Nações:{v2}|Rest day 😴:{v3}>"),
        ("B", "Belém, and pastéis at the end obviously"),
        ("S", "I'm in"),
    ])
    .on(FRI)
    .hours(12, 20)
    .cool(13)
    .w(3),
    scene(&[
        ("T|M|S|O", "{Running 5 min late, start without me? 🙈|Leaving now, 10 minutes|Flat tyre, go ahead, I'll catch you at the bridge|Overslept 😭 On my way}"),
        ("R", "{We'll wait at the bridge|No stress, we wait|We roll slowly, catch us up}"),
        ("B|J", "<maybe>{Bom dia malta! ☀️|Bom dia! ☀️|Bora! 🚴}"),
        ("", "<wait:240>"),
        ("J|M|S", "{What a day! {km} km, {elev} m 🔥|{km} km done. Legs? Gone.|Great ride everyone, {km} km and {elev} m 💪}"),
        ("R", "<photo>"),
        ("R", "<photo>"),
        ("S", "https://www.strava.com/activities/{act}"),
    ])
    .on(SAT)
    .hours(7, 7)
    .cool(6)
    .w(5),
    scene(&[
        ("J", "<photo>"),
        ("J", "<photo>"),
        ("J", "<video>"),
        ("B|S|A", "{Que vista! 😍|Beautiful 😍|Postcard material|Que dia!}"),
        ("M", "<maybe>{Who took the one of me on the climb? I look dead 😂|Send me the full res please|Best ride of the month}"),
        ("K", "<maybe>That was me. You were dead"),
    ])
    .on(SAT | SUN)
    .hours(12, 15)
    .cool(10)
    .w(4),
    scene(&[
        ("M", "{Puncture #3 this month 😩|Another puncture. Why me 😩}"),
        ("B", "Tubeless, Miguel. TUBELESS."),
        ("M", "{I know I know|Next month, promise}"),
        ("R", "<maybe>Buy new tyres, my friend"),
    ])
    .cool(150)
    .w(2),
    scene(&[
        ("T|O|S", "{Snapped a chain today 🙃|Gears are making a horrible noise again|Rear brake is squeaking like crazy}"),
        ("R", "{Bring it to Ciclo Lx, they're quick|Paulo at Ciclo Lx will sort it|Saturday after the ride I'll have a look}"),
        ("?", "<maybe>{Good luck 😬|Classic|Happens to the best of us}"),
    ])
    .cool(100)
    .w(3),
    scene(&[
        ("J", "Nortada forecast 40 km/h on Saturday 🌬️"),
        ("R", "Then we go inland, Sintra side"),
        ("T", "Headwind home as usual 😂"),
    ])
    .months(month_bits(&[5, 6, 7, 8, 9]))
    .on(THU | FRI)
    .cool(21)
    .w(3),
    scene(&[
        ("B|O|A", "{Best coffee stop on the route?|Where do we stop for coffee on Saturday?|Coffee stop suggestions?}"),
        ("R", "{cafe}, no discussion"),
        ("J", "{Travesseiros > pastéis 🙊|Agreed 👍|Only if the coffee is good|Anywhere with a toilet 😂}"),
        ("M", "<maybe>{Heresy|😂|Seconded}"),
    ])
    .cool(70)
    .w(3),
    scene(&[
        ("R", "Forecast says 90% rain tomorrow 🌧️ Ride cancelled, coffee instead?"),
        ("J", "Café at 10 then!"),
        ("M", "😭"),
        ("S", "Indoor trainer for me 😩"),
    ])
    .on(FRI)
    .months(month_bits(&[1, 2, 3, 10, 11, 12]))
    .hours(18, 21)
    .cool(14)
    .w(3),
    scene(&[
        ("K", "Anyone know a good bike shop near Alvalade? Gears skipping"),
        ("R", "Ciclo Lx, ask for Paulo"),
        ("K", "Thanks!"),
    ])
    .between(202306, 202409)
    .cool(500),
    scene(&[
        ("S", "Summer night ride on Wednesday? Lights mandatory 🔦"),
        ("J", "Yes!! Along the river to Belém?"),
        ("T", "Count me in"),
        ("S", "<loc:38.691600,-9.215900>"),
        ("S", "Meet at the Padrão dos Descobrimentos, 21:30"),
    ])
    .months(month_bits(&[6, 7, 8]))
    .on(MON | TUE)
    .cool(14)
    .w(3),
    scene(&[
        ("J", "<sticker>"),
        ("M", "<gif>"),
        ("T|R|B", "<maybe>{The group chat has peaked|😂😂|Accurate}"),
    ])
    .cool(30)
    .w(2),
    scene(&[
        ("T", "<edited>Meet at 8:15 at Belém instead, road closed at Cais do Sodré"),
        ("R", "Thanks Tom 👍"),
        ("M", "<deleted>"),
        ("M", "Ignore that 😅"),
    ])
    .on(FRI)
    .cool(200)
    .w(2),
    scene(&[
        ("R", "<audio>"),
        ("R", "{Sorry, driving. Summary: route change, we do Guincho|Voice note because I'm lazy 😅 Start is 7:45 tomorrow|Listen when you can, plan for Sunday}"),
        ("J", "Nice"),
    ])
    .cool(70)
    .w(2),
    scene(&[
        ("B", "Alguém vem amanhã? Vou chegar 10 minutos atrasada"),
        ("R", "Esperamos por ti 👍"),
        ("J", "Eu vou!"),
    ])
    .on(FRI)
    .hours(19, 22)
    .cool(20)
    .w(3),
    scene(&[
        ("R", "Boa volta hoje malta 💪"),
        ("J", "Obrigada! Pernas destruídas 😂"),
        ("B", "Para a semana há mais"),
    ])
    .on(SAT)
    .hours(14, 18)
    .cool(14)
    .w(3),
    scene(&[
        ("J", "Someone left a bidon at the café. Blue, with a cat sticker 🐱"),
        ("S", "MINE. Thank you!!"),
    ])
    .on(SAT)
    .hours(13, 16)
    .cool(300),
    scene(&[
        ("O", "Is the Saturday ride ok for a slower rider? Still getting used to the hills here 😅"),
        ("R", "Of course, we regroup at the top of every climb"),
        ("J", "Nobody gets dropped 👍"),
    ])
    .between(202403, 202506)
    .cool(120)
    .w(2),
    scene(&[
        ("A", "<photo>My new bike!! 😍"),
        ("B", "Que linda!"),
        ("R", "Welcome to the addiction"),
    ])
    .between(202410, 202506)
    .cool(400),
    scene(&[
        ("T", "Weekly club stats: https://www.strava.com/clubs/lisbon-cycling-club"),
        ("M", "Joana did 400 km this month?? 😳"),
        ("J", "Commuting counts 😇"),
    ])
    .on(MON)
    .hours(9, 12)
    .cool(30)
    .w(2),
];

const CLUB_DATED: &[Dated] = &[
    on(2023, 3, 5, 10, 0, &[
        ("", "<sys>Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."),
        ("", "<sys>Rui Almeida created group “Lisbon Riders”"),
        ("", "<sys>Rui Almeida added you"),
        ("", "<sys>Rui Almeida added Joana Costa"),
        ("", "<sys>Rui Almeida added Beatriz Santos"),
        ("", "<sys>Rui Almeida added Miguel Ferreira"),
        ("", "<+R>"), ("", "<+T>"), ("", "<+J>"), ("", "<+B>"), ("", "<+M>"),
        ("R", "Olá a todos! Welcome to the group. Saturday rides, coffee, and suffering 🚴‍♂️"),
        ("T", "Thanks Rui! Excited to ride with you all"),
        ("J", "Bora! 💪"),
    ]),
    on(2023, 3, 20, 19, 0, &[
        ("", "<sys>Rui Almeida changed the subject to “Lisbon Cycling Club”"),
        ("", "<sys>Rui Almeida changed this group's icon"),
        ("R", "We're official now 😎"),
        ("", "<sys>Rui Almeida changed the group description"),
    ]),
    on(2023, 4, 12, 18, 0, &[
        ("", "<sys>Rui Almeida added Sophie Laurent"),
        ("", "<+S>"),
        ("S", "Bonjour! Sophie, French, new in Lisbon, very slow on climbs 😅"),
        ("R", "Welcome Sophie!"),
        ("B", "Bem-vinda!"),
    ]),
    on(2023, 6, 3, 20, 0, &[
        ("", "<sys>Karim Haddad joined using this group's invite link"),
        ("", "<+K>"),
        ("K", "Hi all, Karim here. Rui told me about the Saturday rides"),
        ("R", "Welcome Karim! 8:00 at Cais do Sodré"),
    ]),
    on(2023, 10, 10, 19, 30, &[
        ("R", "Club jerseys! Sizes please by Friday"),
        ("R", "<file:Jersey design v3.pdf>"),
        ("R", "<poll:Jersey size|S:2|M:5|L:3|XL:1>"),
        ("J", "Love the design 😍"),
        ("M", "Can we have a pink one? 😂"),
        ("R", "No"),
    ]),
    on(2023, 11, 21, 18, 0, &[
        ("R", "Jerseys arrived!!"),
        ("R", "<photo>"),
        ("R", "<photo>"),
        ("S", "Trop beau! 😍"),
        ("T", "We look like a real team now"),
    ]),
    on(2023, 12, 5, 20, 0, &[
        ("B", "Alguém vai ao jantar de Natal?"),
        ("J", "Eu vou! 🎄"),
        ("R", "Christmas dinner: Saturday 16th, 20:00. I booked for 10 people"),
        ("R", "<loc:38.712600,-9.142700>"),
        ("T", "Secret Santa? 🎅"),
        ("R", "<poll:Secret Santa, max 15€?|Yes:7|No:1>"),
    ]),
    on(2023, 12, 16, 23, 40, &[
        ("J", "<photo>"),
        ("J", "<photo>"),
        ("M", "Best club in Lisbon ❤️"),
        ("S", "Merci pour cette belle soirée!"),
    ]),
    on(2024, 1, 20, 17, 0, &[
        ("R", "Annual meeting minutes attached"),
        ("R", "<file:Annual meeting 2024.pdf>"),
        ("R", "Main points:\n- fees stay at 30€ a year\n- new ride calendar on the website\n- Karim is our new treasurer 🎉"),
        ("K", "I promise not to run away with the money 😂"),
    ]),
    on(2024, 2, 11, 19, 0, &[
        ("S", "Who's doing the Granfondo Arrábida in April? Registration closes Sunday"),
        ("S", "https://www.granfondo-arrabida.pt/inscricoes"),
        ("J", "Signed up ✅"),
        ("M", "Me too. Training starts… tomorrow"),
        ("R", "Long rides every Saturday until then 💪"),
    ]),
    on(2024, 3, 9, 18, 0, &[
        ("", "<sys>Rui Almeida added +44 7700 900812"),
        ("", "<+O>"),
        ("O", "Hi all! Olly here, just moved to Lisbon from Bristol 👋"),
        ("R", "Welcome Olly! Saturday 8:00, Cais do Sodré"),
        ("T", "Another Brit! 🇬🇧"),
    ]),
    on(2024, 4, 14, 15, 30, &[
        ("J", "Granfondo done!!! 🎉 118 km"),
        ("J", "<photo>"),
        ("S", "<photo>Finish line!"),
        ("M", "Never again. See you next year 😂"),
        ("R", "So proud of this team ❤️"),
    ]),
    on(2024, 9, 14, 17, 0, &[
        ("", "<sys>Beatriz Santos added Ana Sousa"),
        ("", "<+A>"),
        ("A", "Olá! Thanks Bea. Beginner here, be gentle 🙏"),
        ("R", "Bem-vinda Ana! Sunday social ride is perfect to start"),
    ]),
    on(2024, 10, 5, 19, 20, &[
        ("K", "Friends, I'm moving to Porto next week 😢 Thank you for everything"),
        ("R", "Noooo! We'll miss you Karim"),
        ("J", "Farewell ride on Saturday?"),
        ("K", "Yes please ❤️"),
    ]),
    on(2024, 10, 13, 21, 0, &[
        ("K", "Handing over the treasurer spreadsheet to Rui. Obrigado a todos 🚴"),
        ("", "<sys>Karim Haddad left"),
        ("", "<-K>"),
        ("M", "End of an era"),
    ]),
    on(2024, 12, 4, 20, 0, &[
        ("R", "Christmas dinner, same place, Saturday 14th 🎄"),
        ("R", "<poll:Christmas dinner|Count me in:9|Can't make it:2>"),
        ("O", "First club Christmas for me! 🎅"),
    ]),
    on(2025, 1, 18, 17, 0, &[
        ("R", "Annual meeting 2025 minutes"),
        ("R", "<file:Annual meeting 2025.pdf>"),
        ("R", "Main points:\n- 2 new routes: Arrábida coast and Mafra\n- Beatriz is the new treasurer\n- jersey reorder in March"),
        ("B", "Obrigada pela confiança!"),
    ]),
    on(2025, 2, 9, 19, 0, &[
        ("S", "Granfondo Arrábida 2025, registration is open! https://www.granfondo-arrabida.pt/inscricoes"),
        ("O", "I'm doing it this year 😬"),
        ("J", "Signed up again ✅"),
    ]),
    on(2025, 6, 14, 20, 0, &[
        ("R", "Summer schedule: Saturday rides start at 7:30 from July, too hot later ☀️"),
        ("A", "👍"),
        ("T", "7:30 🥲"),
    ]),
];

fn club() -> io::Result<Chat> {
    let mut chat = new_chat(
        "WhatsApp Chat - Lisbon Cycling Club.txt",
        ios_en_gb(),
        Lang::En,
        EN_IOS,
        true,
        CLUB_CAST,
        "T",
        CLUB_FILLS,
        0xC1_C1E,
        at(day(2023, 3, 5)?, 9, 0, 0)?,
    )?;
    chat.run(
        day(2023, 3, 5)?,
        day(2025, 6, 29)?,
        0.26,
        CLUB_POOL,
        CLUB_DATED,
    )?;
    Ok(chat)
}

// ---------------------------------------------------------------------------------------------
// Coro Voces del Sur: Android es, 12-hour clock with "p. m.", without media.

const CHOIR_CAST: &[(&str, &str)] = &[
    ("D", "Carmen Ortega"),
    ("I", "Inés Navarro"),
    ("J", "Javier Molina"),
    ("L", "Lucía Herrera"),
    ("P", "Pilar Domínguez"),
    ("A", "Álvaro Castro"),
    ("R", "Rocío Marín"),
    ("F", "Fernando Gil"),
    ("N", "Nuria Vidal"),
];

const CHOIR_FILLS: &[(&str, &[&str])] = &[
    (
        "obra",
        &[
            "el Ave María de Caccini",
            "el Aleluya de Händel",
            "el Gaudete",
            "el Cantique de Jean Racine",
            "Noche de paz",
            "el Hallelujah de Cohen",
        ],
    ),
    ("cuerda", &["sopranos", "contraltos", "tenores", "bajos"]),
    (
        "voz",
        &["las sopranos", "las contraltos", "los tenores", "los bajos"],
    ),
];

const CHOIR_POOL: &[Scene] = &[
    scene(&[
        ("D", "{Recordad: ensayo hoy a las 8 en la parroquia 🎶|Hoy ensayo a las 8! 🎶|Os espero esta tarde a las 8, traed las partituras|Ensayo hoy, puntuales por favor 😊}"),
        ("P|L|N|J", "{Allí estaré|Allí nos vemos|👍|Voy!}"),
        ("A|F|R", "<maybe>{Llego un poco tarde, salgo del trabajo a las 8|Hoy no puedo, lo siento 🙏|Llego a las 8 y cuarto}"),
        ("D", "<maybe>{Sin problema|Gracias por avisar|Vale!}"),
    ])
    .on(TUE)
    .hours(10, 13)
    .months(month_bits(&[1, 2, 3, 4, 5, 6, 9, 10, 11, 12]))
    .cool(6)
    .w(8),
    scene(&[
        ("D", "<file:Partitura.pdf>Partitura para el martes: {obra}"),
        ("L|P|N", "<maybe>{Gracias Carmen!|Gracias!|Perfecto, gracias 🙏}"),
        ("L", "¿Alguien tiene la grabación de {voz}?"),
        ("J|F|A", "<audio>"),
        ("J|F|A", "{Aquí la tienes 😊|Te la mando|Toma, de la semana pasada}"),
    ])
    .on(WED | THU)
    .cool(20)
    .w(4),
    scene(&[
        ("J", "Estoy afónico 🤒 no voy hoy"),
        ("D", "Cuídate Javier! Miel y limón 🍋"),
        ("P", "Que te mejores!"),
    ])
    .on(TUE)
    .months(month_bits(&[1, 2, 11, 12]))
    .hours(12, 17)
    .cool(60)
    .w(2),
    scene(&[
        ("A", "¿Pizza después del ensayo? 🍕"),
        ("L", "Sí!!"),
        ("D", "Yo me apunto"),
        ("F", "La de siempre, en la plaza"),
    ])
    .on(TUE)
    .hours(17, 19)
    .cool(21)
    .w(3),
    scene(&[
        ("F", "<deleted>"),
        ("F", "Perdón, chat equivocado 😅"),
        ("R", "Jajaja"),
    ])
    .cool(200)
    .w(1),
    scene(&[
        (
            "I",
            "Recordatorio: la cuota del trimestre son 25€, Bizum a mí 😊",
        ),
        ("P", "Hecho ✅"),
        ("A", "Enviado"),
        ("I", "Gracias! Faltan 3 personas"),
    ])
    .months(month_bits(&[1, 4, 10]))
    .cool(80)
    .w(3),
    scene(&[
        (
            "D",
            "Hoy trabajamos {obra}. Por favor, {cuerda}, repasad el compás 24 🙏",
        ),
        ("R", "Ese compás es imposible 😂"),
        ("D", "<maybe>{Nada es imposible con suficiente ensayo|Lo repasamos juntos el martes 😊|Despacio primero, luego a tempo}"),
    ])
    .on(TUE)
    .hours(9, 12)
    .cool(20)
    .w(3),
    scene(&[
        ("P", "Qué bien sonó hoy {obra} 👏👏"),
        ("D", "Estoy muy orgullosa de vosotros ❤️"),
        ("L", "<audio>"),
        ("L", "Grabé el final, escuchad"),
    ])
    .on(TUE)
    .hours(21, 22)
    .cool(30)
    .w(3),
    scene(&[
        ("I", "<photo>"),
        ("I", "Foto del ensayo de hoy 📸"),
        ("N", "Salgo con los ojos cerrados, como siempre 😂"),
    ])
    .between(202401, 202506)
    .on(TUE)
    .hours(21, 22)
    .cool(45)
    .w(2),
];

const CHOIR_DATED: &[Dated] = &[
    on(2023, 9, 5, 19, 0, &[
        ("", "<sys>Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información."),
        ("", "<sys>Creaste el grupo \"Coro Voces del Sur\""),
        ("", "<+I>"),
        ("", "<sys>Carmen Ortega se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Javier Molina se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Pilar Domínguez se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Lucía Herrera se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Álvaro Castro se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Rocío Marín se unió usando el enlace de invitación de este grupo"),
        ("", "<sys>Fernando Gil se unió usando el enlace de invitación de este grupo"),
        ("", "<+D>"), ("", "<+J>"), ("", "<+P>"), ("", "<+L>"), ("", "<+A>"), ("", "<+R>"), ("", "<+F>"),
        ("I", "Bienvenidos al grupo del coro! Aquí pondremos horarios, partituras y avisos 🎶"),
        ("D", "Gracias Inés! Empezamos el martes 12 a las 8 de la tarde"),
        ("D", "<loc:37.389100,-5.984500>"),
        ("P", "Qué ilusión! 🥰"),
    ]),
    on(2023, 11, 7, 21, 30, &[
        ("D", "Concierto de Navidad: sábado 16 de diciembre a las 7 de la tarde ✨"),
        ("D", "<poll:¿Ensayo extra antes del concierto?|Jueves 14:6|Sábado 16 por la mañana:2>"),
        ("I", "Jueves 14 entonces 👍"),
    ]),
    on(2023, 12, 16, 21, 45, &[
        ("D", "GRACIAS a todos! Ha sido precioso ❤️🎄"),
        ("I", "<photo>"),
        ("I", "<photo>"),
        ("I", "<video>"),
        ("R", "Qué emoción, casi lloro en el Aleluya 😭"),
        ("J", "Qué bien sonamos!! 👏👏"),
    ]),
    on(2024, 1, 9, 19, 30, &[
        ("", "<sys>Nuria Vidal se unió usando el enlace de invitación de este grupo"),
        ("", "<+N>"),
        ("N", "Hola a todos! Soy Nuria, soprano. Mañana voy a mi primer ensayo 😊"),
        ("D", "Bienvenida Nuria!"),
        ("L", "Bienvenida!! 🎶"),
    ]),
    on(2024, 3, 12, 11, 0, &[
        ("D", "Semana Santa: no hay ensayo el martes 26 🙏"),
        ("D", "Volvemos el 2 de abril"),
        ("F", "Buen descanso a todos"),
    ]),
    on(2024, 5, 28, 22, 0, &[
        ("D", "Concierto de primavera: sábado 15 de junio a las 8 en el auditorio"),
        ("D", "<loc:37.381700,-5.991800>"),
        ("A", "<call>"),
        ("A", "Carmen te llamé, ¿vestimenta negra entera?"),
        ("D", "Sí, todo negro y el pañuelo rojo"),
    ]),
    on(2024, 6, 4, 21, 0, &[
        ("P", "¿Cena de fin de curso? 🍷"),
        ("P", "<poll:¿Qué día para la cena?|Viernes 21:7|Sábado 22:3>"),
        ("P", "Viernes 21 entonces! Reservo para 10"),
    ]),
    on(2024, 6, 15, 22, 30, &[
        ("D", "Bravo!! 👏👏👏 Gracias por este curso"),
        ("N", "Mi primer concierto con vosotros ❤️"),
        ("I", "<photo>"),
        ("I", "<video>"),
    ]),
    on(2024, 9, 17, 20, 0, &[
        ("D", "Volvemos!! Primer ensayo del curso hoy 🎶"),
        ("", "<sys>Rocío Marín salió"),
        ("", "<-R>"),
        ("D", "Rocío se muda a Madrid, le deseamos lo mejor ❤️"),
    ]),
    on(2024, 11, 5, 21, 30, &[
        ("D", "Concierto de Navidad: sábado 14 de diciembre ✨ Programa en el PDF"),
        ("D", "<file:Programa Navidad 2024.pdf>"),
        ("J", "Otra vez Noche de paz 😍"),
    ]),
    on(2024, 12, 14, 21, 50, &[
        ("D", "Qué noche tan bonita. Gracias coro ❤️"),
        ("I", "<photo>"),
        ("N", "<photo>"),
        ("A", "Felices fiestas a todos! 🎄"),
    ]),
    on(2025, 5, 20, 21, 0, &[
        ("D", "Concierto de fin de curso: 14 de junio. Programa: Cantique, Gaudete y una sorpresa 🤫"),
        ("L", "¿Qué sorpresa? 👀"),
        ("D", "Si os lo digo ya no es sorpresa 😂"),
    ]),
    on(2025, 6, 14, 22, 40, &[
        ("D", "Gracias por otro curso maravilloso ❤️ Nos vemos en septiembre"),
        ("I", "<photo>"),
        ("P", "Qué pena que se acabe 😢"),
        ("F", "Feliz verano!! ☀️"),
    ]),
];

fn choir() -> io::Result<Chat> {
    let mut chat = new_chat(
        "Chat de WhatsApp con Coro Voces del Sur.txt",
        android_es(),
        Lang::Es,
        ES_ANDROID,
        false,
        CHOIR_CAST,
        "I",
        CHOIR_FILLS,
        0xC0_20,
        at(day(2023, 9, 5)?, 18, 0, 0)?,
    )?;
    chat.run(
        day(2023, 9, 5)?,
        day(2025, 6, 24)?,
        0.45,
        CHOIR_POOL,
        CHOIR_DATED,
    )?;
    Ok(chat)
}
