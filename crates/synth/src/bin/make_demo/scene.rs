//! The `.scene` files the demo maker reads: one chat each, a plain-text format a person can
//! edit (described in assets/demo/README.md).
//!
//! Sections start with a `[header]` line; `#` lines and blank lines are ignored; in any text
//! `\n` stands for a line break inside a message and `\\` for a backslash.

use chrono::{NaiveDate, NaiveDateTime};
use std::io;
use std::path::Path;
use whatscope_synth::{style_by_name, HeaderStyle, Lang};

/// One scripted line: a cast key (`?` anyone, `A|B` one of them, empty for markers that need
/// no speaker) and its spec (text or a marker, see `Chat::line`).
pub type Line = (String, String);

/// A recurring exchange and when it may happen.
pub struct Scene {
    pub lines: Vec<Line>,
    pub weight: u32,
    /// Weekday bitmask, bit 0 = Monday; 0 = any day.
    pub days: u8,
    /// Month bitmask, bit m = month m; 0 = any month.
    pub months: u16,
    /// First and last month (`yyyymm`) the scene fits the story.
    pub from: u32,
    pub to: u32,
    pub hours: (u32, u32),
    /// Minimum number of days between two uses.
    pub cool: i64,
}

impl Scene {
    fn new() -> Self {
        Scene {
            lines: Vec::new(),
            weight: 3,
            days: 0,
            months: 0,
            from: 0,
            to: 999_999,
            hours: (9, 21),
            cool: 30,
        }
    }
}

/// A scene on a fixed date; year 0 means every year of the chat.
pub struct Dated {
    pub date: (i32, u32, u32),
    pub at: (u32, u32),
    pub lines: Vec<Line>,
}

/// The strings a chat's language uses for the non-text kinds.
#[derive(Default)]
pub struct Words {
    pub deleted: String,
    pub you_deleted: String,
    pub location: String,
    pub live: String,
    pub voice_call: String,
    pub video_call: String,
    pub poll: String,
    pub option: String,
    pub vote: String,
    pub votes: String,
}

/// Everything one `.scene` file says: the chat's settings, cast, fills and scenes.
pub struct Story {
    pub file: String,
    pub style: HeaderStyle,
    pub lang: Lang,
    /// Whether the export included media (attachment names) or wrote "omitted" placeholders.
    pub with_media: bool,
    /// The cast key of the person who exported the chat ("You deleted this message").
    pub exporter: String,
    pub seed: u64,
    pub start: NaiveDateTime,
    pub end: NaiveDate,
    /// The chance of a pool scene on a day without a dated scene.
    pub daily: f64,
    /// Cast keys who speak from the start (others join with `<+K>`).
    pub active: Vec<String>,
    pub words: Words,
    pub cast: Vec<(String, String)>,
    pub fills: Vec<(String, Vec<String>)>,
    pub pool: Vec<Scene>,
    pub dated: Vec<Dated>,
}

/// The section the parser is in, i.e. where the next line goes.
enum Section {
    None,
    Chat,
    Words,
    Cast,
    Fill,
    Scene,
    Dated,
}

/// What the `[chat]` section sets; checked complete at the end.
#[derive(Default)]
struct Settings {
    file: Option<String>,
    style: Option<HeaderStyle>,
    lang: Option<Lang>,
    with_media: Option<bool>,
    exporter: Option<String>,
    seed: Option<u64>,
    start: Option<NaiveDateTime>,
    end: Option<NaiveDate>,
    daily: Option<f64>,
    active: Vec<String>,
}

/// Reads and parses one `.scene` file.
pub fn load(path: &Path) -> io::Result<Story> {
    let text = std::fs::read_to_string(path)?;
    parse(&text).map_err(|(line, why)| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}:{line}: {why}", path.display()),
        )
    })
}

/// Parses a `.scene` text; an error names the line (1-based) and what is wrong with it.
pub fn parse(text: &str) -> Result<Story, (usize, String)> {
    let mut settings = Settings::default();
    let mut words = Words::default();
    let mut cast = Vec::new();
    let mut fills: Vec<(String, Vec<String>)> = Vec::new();
    let mut pool: Vec<Scene> = Vec::new();
    let mut dated: Vec<Dated> = Vec::new();
    let mut section = Section::None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if let Some(header) = raw.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = match header.split_once(' ').unwrap_or((header, "")) {
                ("chat", "") => Section::Chat,
                ("words", "") => Section::Words,
                ("cast", "") => Section::Cast,
                ("fill", name) if !name.is_empty() => {
                    fills.push((name.to_string(), Vec::new()));
                    Section::Fill
                }
                ("scene", attrs) => {
                    pool.push(scene_header(attrs).map_err(|why| (n, why))?);
                    Section::Scene
                }
                ("on", when) => {
                    dated.push(dated_header(when).map_err(|why| (n, why))?);
                    Section::Dated
                }
                _ => return Err((n, format!("unknown section [{header}]"))),
            };
            continue;
        }
        let line = unescape(raw);
        let fail = |why: String| (n, why);
        match section {
            Section::None => return Err((n, "text before the first [section]".into())),
            Section::Chat => chat_setting(&mut settings, &line).map_err(fail)?,
            Section::Words => word(&mut words, &line).map_err(fail)?,
            Section::Cast => cast.push(key_value(&line).map_err(fail)?),
            Section::Fill => {
                if let Some((_, options)) = fills.last_mut() {
                    options.push(line);
                }
            }
            Section::Scene => {
                if let Some(scene) = pool.last_mut() {
                    scene.lines.push(script_line(&line));
                }
            }
            Section::Dated => {
                if let Some(d) = dated.last_mut() {
                    d.lines.push(script_line(&line));
                }
            }
        }
    }
    let end = text.lines().count();
    let missing = |what: &str| (end, format!("[chat] does not set `{what}`"));
    Ok(Story {
        file: settings.file.ok_or_else(|| missing("file"))?,
        style: settings.style.ok_or_else(|| missing("style"))?,
        lang: settings.lang.ok_or_else(|| missing("lang"))?,
        with_media: settings.with_media.ok_or_else(|| missing("media"))?,
        exporter: settings.exporter.ok_or_else(|| missing("exporter"))?,
        seed: settings.seed.ok_or_else(|| missing("seed"))?,
        start: settings.start.ok_or_else(|| missing("start"))?,
        end: settings.end.ok_or_else(|| missing("end"))?,
        daily: settings.daily.ok_or_else(|| missing("daily"))?,
        active: settings.active,
        words,
        cast,
        fills,
        pool,
        dated,
    })
}

/// `\n` → line break, `\\` → backslash; any other backslash stays as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `key = value`, both trimmed.
fn key_value(line: &str) -> Result<(String, String), String> {
    let (k, v) = line
        .split_once('=')
        .ok_or_else(|| format!("expected `key = value`, found {line:?}"))?;
    Ok((k.trim().to_string(), v.trim().to_string()))
}

/// `KEY: spec` (a speaker's line) or a bare `<marker>` that needs no speaker.
fn script_line(line: &str) -> Line {
    match line.split_once(": ") {
        Some((who, spec)) if !line.starts_with('<') => (who.to_string(), spec.to_string()),
        _ => (String::new(), line.to_string()),
    }
}

fn chat_setting(s: &mut Settings, line: &str) -> Result<(), String> {
    let (key, value) = key_value(line)?;
    let bad = || format!("bad value for `{key}`: {value:?}");
    match key.as_str() {
        "file" => s.file = Some(value),
        "style" => s.style = Some(style_by_name(&value).ok_or_else(bad)?),
        "lang" => {
            s.lang = Some(match value.as_str() {
                "en" => Lang::En,
                "de" => Lang::De,
                "es" => Lang::Es,
                _ => return Err(bad()),
            })
        }
        "media" => {
            s.with_media = Some(match value.as_str() {
                "yes" => true,
                "no" => false,
                _ => return Err(bad()),
            })
        }
        "exporter" => s.exporter = Some(value),
        "seed" => {
            let seed = match value.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => value.parse(),
            };
            s.seed = Some(seed.map_err(|_| bad())?);
        }
        "start" => {
            let t = NaiveDateTime::parse_from_str(&value, "%Y-%m-%d %H:%M:%S");
            s.start = Some(t.map_err(|_| bad())?);
        }
        "end" => s.end = Some(NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| bad())?),
        "daily" => s.daily = Some(value.parse().map_err(|_| bad())?),
        "active" => s.active = value.split_whitespace().map(str::to_string).collect(),
        _ => return Err(format!("unknown [chat] setting `{key}`")),
    }
    Ok(())
}

fn word(w: &mut Words, line: &str) -> Result<(), String> {
    let (key, value) = key_value(line)?;
    let slot = match key.as_str() {
        "deleted" => &mut w.deleted,
        "you_deleted" => &mut w.you_deleted,
        "location" => &mut w.location,
        "live" => &mut w.live,
        "voice_call" => &mut w.voice_call,
        "video_call" => &mut w.video_call,
        "poll" => &mut w.poll,
        "option" => &mut w.option,
        "vote" => &mut w.vote,
        "votes" => &mut w.votes,
        _ => return Err(format!("unknown [words] entry `{key}`")),
    };
    *slot = value;
    Ok(())
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `weight=7 days=fri,sat months=11,12 between=2023-02..2024-03 hours=16-18 cool=6`, any
/// subset in any order; what is left out keeps the default (weight 3, any day and month,
/// 9 to 21 h, 30 days between two uses).
fn scene_header(attrs: &str) -> Result<Scene, String> {
    let mut scene = Scene::new();
    for attr in attrs.split_whitespace() {
        let (key, value) = attr
            .split_once('=')
            .ok_or_else(|| format!("expected `key=value` in [scene …], found {attr:?}"))?;
        let bad = || format!("bad value for `{key}`: {value:?}");
        match key {
            "weight" => scene.weight = value.parse().map_err(|_| bad())?,
            "cool" => scene.cool = value.parse().map_err(|_| bad())?,
            "hours" => scene.hours = pair(value, "-").ok_or_else(bad)?,
            "days" => {
                for day in value.split(',') {
                    let bit = WEEKDAYS.iter().position(|d| *d == day).ok_or_else(bad)?;
                    scene.days |= 1 << bit;
                }
            }
            "months" => {
                for month in value.split(',') {
                    let m: u32 = month.parse().map_err(|_| bad())?;
                    if !(1..=12).contains(&m) {
                        return Err(bad());
                    }
                    scene.months |= 1 << m;
                }
            }
            "between" => {
                let (from, to) = value.split_once("..").ok_or_else(bad)?;
                scene.from = year_month(from).ok_or_else(bad)?;
                scene.to = year_month(to).ok_or_else(bad)?;
            }
            _ => return Err(format!("unknown [scene] attribute `{key}`")),
        }
    }
    Ok(scene)
}

/// `2023-01-03 19:02`, or `*-12-24 20:00` for every year.
fn dated_header(when: &str) -> Result<Dated, String> {
    let bad = || format!("expected `[on YYYY-MM-DD HH:MM]`, found [on {when}]");
    let (date, time) = when.split_once(' ').ok_or_else(bad)?;
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    let year = match y {
        Some("*") => 0,
        Some(y) => y.parse().map_err(|_| bad())?,
        None => return Err(bad()),
    };
    let month = m.and_then(|m| m.parse().ok()).ok_or_else(bad)?;
    let day = d.and_then(|d| d.parse().ok()).ok_or_else(bad)?;
    Ok(Dated {
        date: (year, month, day),
        at: pair(time, ":").ok_or_else(bad)?,
        lines: Vec::new(),
    })
}

/// `a<sep>b` as two numbers.
fn pair(text: &str, sep: &str) -> Option<(u32, u32)> {
    let (a, b) = text.split_once(sep)?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// `2023-02` → `202302`.
fn year_month(text: &str) -> Option<u32> {
    let (y, m) = pair(text, "-")?;
    Some(y * 100 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\
# a comment
[chat]
file = Demo.txt
style = android-en-GB
lang = en
media = no
exporter = A
seed = 0x10
start = 2024-01-01 09:00:00
end = 2024-01-31
daily = 0.5
active = A

[cast]
A = Ann

[fill x]
one
two

[scene weight=7 days=sat,sun months=1,12 between=2023-02..2024-03 hours=16-18 cool=6]
A: {x} and more\\nsecond line
<+A>

[on *-12-24 20:05]
A: hi
";

    #[test]
    fn reads_every_section() {
        let story = parse(SMALL).expect("parses");
        assert_eq!(story.seed, 16);
        assert_eq!(story.active, ["A"]);
        assert_eq!(story.fills[0].1, ["one", "two"]);
        let scene = &story.pool[0];
        assert_eq!((scene.weight, scene.days, scene.cool), (7, 32 | 64, 6));
        assert_eq!(scene.months, (1 << 1) | (1 << 12));
        assert_eq!(
            (scene.from, scene.to, scene.hours),
            (202302, 202403, (16, 18))
        );
        assert_eq!(
            scene.lines[0],
            ("A".into(), "{x} and more\nsecond line".into())
        );
        assert_eq!(scene.lines[1], (String::new(), "<+A>".into()));
        assert_eq!(story.dated[0].date, (0, 12, 24));
        assert_eq!(story.dated[0].at, (20, 5));
    }

    #[test]
    fn a_mistake_names_its_line() {
        let text = SMALL.replace("cool=6", "cool=often");
        let (line, why) = parse(&text).err().expect("fails");
        assert_eq!(line, 21);
        assert!(why.contains("cool"), "{why}");
    }
}
