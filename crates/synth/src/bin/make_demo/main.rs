//! Writes the bundled demo exports in `assets/demo/`: four invented chats (a family group, a
//! German 1:1 chat, an iOS cycling club, a Spanish choir) from January 2023 to June 2025.
//!
//! Run with `cargo run --release -p whatscope-synth --bin make_demo` (optionally
//! `-- OUT_DIR [SCENES_DIR]`; the defaults are `assets/demo` and `crates/synth/demo`). The
//! output is deterministic: the same scenes always write the same bytes, so the files can be
//! committed and diffed, and `tests/demo_assets.rs` fails when an edited scene was not
//! followed by a regenerated asset. Every person, number and place in them is made up.
//!
//! Each chat is one `.scene` file (the format is in assets/demo/README.md): a cast, a pool of
//! scripted scenes (short exchanges that recur with variations: pizza Fridays, rehearsals,
//! Saturday rides…) and dated scenes (birthdays, holidays, the visa saga, people joining and
//! leaving). A scene line is a speaker and a spec; the spec is plain text or one of the
//! markers handled in [`Chat::line`].

mod scene;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use scene::{Line, Scene, Story};
use std::io;
use std::path::{Path, PathBuf};
use whatscope_synth::{render_export_lang, Kind, LineEnding, Rng, SynthMessage, EDITED_MARKER};

/// Where the scenes and the committed assets live, wherever the maker is run from.
const SCENES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo");
const ASSETS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo");

fn main() {
    let mut args = std::env::args_os().skip(1);
    let out = args
        .next()
        .map_or_else(|| PathBuf::from(ASSETS_DIR), PathBuf::from);
    let scenes = args
        .next()
        .map_or_else(|| PathBuf::from(SCENES_DIR), PathBuf::from);
    if let Err(e) = make_all(&scenes, &out) {
        eprintln!("error: cannot make the demo exports: {e}");
        eprintln!("hint: usage: make_demo [OUT_DIR] [SCENES_DIR]; the scene format is in assets/demo/README.md");
        std::process::exit(1);
    }
}

/// Plays every `*.scene` file of `scenes` (in name order) and writes its export into `out`.
fn make_all(scenes: &Path, out: &Path) -> io::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenes)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|x| x == "scene"));
    files.sort();
    if files.is_empty() {
        return Err(bad(&format!("no .scene file in {}", scenes.display())));
    }
    std::fs::create_dir_all(out)?;
    let mut total = 0;
    for path in files {
        let story = scene::load(&path)?;
        let chat = Chat::play_story(&story)?;
        total += chat.write(out)?;
    }
    eprintln!("{total} messages in all");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The chat builder

struct Chat<'a> {
    story: &'a Story,
    ending: LineEnding,
    /// The exporter's name (their deleted messages read "You deleted this message").
    exporter: &'a str,
    rng: Rng,
    clock: NaiveDateTime,
    msgs: Vec<SynthMessage>,
    active: Vec<&'a str>,
    last_speaker: &'a str,
    media_counter: u32,
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what.to_string())
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> io::Result<NaiveDateTime> {
    date.and_hms_opt(h, m, s)
        .ok_or_else(|| bad(&format!("no such time {h}:{m}:{s}")))
}

impl<'a> Chat<'a> {
    /// Plays a story from its start to its end.
    fn play_story(story: &'a Story) -> io::Result<Chat<'a>> {
        let ending = if story.style.is_ios() {
            LineEnding::IosMixed
        } else {
            LineEnding::Lf
        };
        let mut chat = Chat {
            story,
            ending,
            exporter: "",
            rng: Rng::new(story.seed),
            clock: story.start,
            msgs: Vec::new(),
            active: story.active.iter().map(String::as_str).collect(),
            last_speaker: "",
            media_counter: 0,
        };
        chat.exporter = chat.name_of(&story.exporter)?;
        chat.run()?;
        Ok(chat)
    }

    fn name_of(&self, key: &str) -> io::Result<&'a str> {
        let story = self.story;
        story
            .cast
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| n.as_str())
            .ok_or_else(|| bad(&format!("{}: nobody called {key:?}", story.file)))
    }

    /// Replaces `{key}` by a value from the fill table (the same value within one scene) and
    /// `{a|b|c}` by one of the alternatives, drawn afresh each time; alternatives may nest.
    fn fill(&mut self, text: &str, chosen: &mut Vec<(String, &'a str)>) -> io::Result<String> {
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

    fn lookup(&mut self, key: &str, chosen: &mut Vec<(String, &'a str)>) -> io::Result<&'a str> {
        if let Some((_, v)) = chosen.iter().find(|(k, _)| k == key) {
            return Ok(v);
        }
        let story = self.story;
        let options = story
            .fills
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, o)| o)
            .filter(|o| !o.is_empty())
            .ok_or_else(|| bad(&format!("no fill for {{{key}}}")))?;
        // The same draw as `Rng::pick`, which needs `Copy` items.
        let v = options[self.rng.below(options.len() as u64) as usize].as_str();
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
        let ts = if self.story.style.has_seconds() {
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
        if self.story.style.is_ios() {
            let n = self.msgs.len() + 1;
            format!("{n:08}-{ios}-{y:04}-{mo:02}-{d:02}-{h:02}-{mi:02}-{s:02}.{ext}")
        } else {
            format!("{android}-{y:04}{mo:02}{d:02}-WA{n:04}.{ext}")
        }
    }

    fn named_file(&mut self, name: &str) -> String {
        if self.story.style.is_ios() {
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
        who: &'a str,
        spec: &str,
        chosen: &mut Vec<(String, &'a str)>,
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
            let options: Vec<&'a str> = self
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
            let caption = if self.story.style.is_ios() {
                String::new()
            } else {
                caption.to_string()
            };
            let attachment = match tag {
                Tag::Media(what) => self.story.with_media.then(|| self.media_name(what)),
                Tag::File(file) => self.story.with_media.then(|| self.named_file(file)),
                // Contact cards keep their name even in exports without media (Android).
                Tag::Contact(who) => Some(self.named_file(&format!("{who}.vcf"))),
            };
            (Kind::Media, caption, attachment)
        } else if spec == "<deleted>" {
            let words = &self.story.words;
            let text = if name == self.exporter {
                &words.you_deleted
            } else {
                &words.deleted
            };
            (Kind::Deleted, text.to_string(), None)
        } else if let Some(ll) = spec.strip_prefix("<loc:").and_then(|s| s.strip_suffix('>')) {
            let text = format!(
                "{}: https://maps.google.com/?q={ll}",
                self.story.words.location
            );
            (Kind::Location, text, None)
        } else if spec == "<live>" {
            (Kind::Location, self.story.words.live.clone(), None)
        } else if spec == "<call>" {
            (Kind::Call, self.story.words.voice_call.clone(), None)
        } else if spec == "<vcall>" {
            (Kind::Call, self.story.words.video_call.clone(), None)
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

    fn cast_key(&self, key: &str) -> io::Result<&'a str> {
        let story = self.story;
        story
            .cast
            .iter()
            .find(|(k, _)| k == key)
            .map(|(k, _)| k.as_str())
            .ok_or_else(|| bad(&format!("{}: nobody called {key:?}", story.file)))
    }

    fn poll(&self, spec: &str) -> io::Result<String> {
        let mut parts = spec.split('|');
        let question = parts.next().unwrap_or_default();
        let words = &self.story.words;
        let mut text = format!("{}\n{question}", words.poll);
        for option in parts {
            let (label, votes) = option
                .rsplit_once(':')
                .ok_or_else(|| bad(&format!("poll option without votes: {option:?}")))?;
            let n: u32 = votes.trim().parse().map_err(|_| bad(option))?;
            let unit = if n == 1 { &words.vote } else { &words.votes };
            text.push_str(&format!("\n{} {label} ({n} {unit})", words.option));
        }
        Ok(text)
    }

    fn play(&mut self, lines: &'a [Line]) -> io::Result<()> {
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
    fn run(&mut self) -> io::Result<()> {
        let story = self.story;
        let (start, end, daily) = (story.start.date(), story.end, story.daily);
        let (pool, dated): (&'a [Scene], _) = (&story.pool, &story.dated);
        let mut last_used = vec![i64::MIN / 2; pool.len()];
        let mut today = start;
        let mut n_day = 0i64;
        while today <= end {
            let mut todays: Vec<&scene::Dated> = dated
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
                self.play(&d.lines)?;
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
                let s = &pool[pick];
                let hour = self.rng.range(u64::from(s.hours.0), u64::from(s.hours.1)) as u32;
                let t = at(today, hour.min(23), self.rng.below(60) as u32, 0)?;
                if self.clock.date() == today && self.clock.hour() >= 22 {
                    break;
                }
                self.at_least(t);
                self.play(&s.lines)?;
                last_used[pick] = n_day;
            }
            today = today.succ_opt().ok_or_else(|| bad("calendar overflow"))?;
            n_day += 1;
        }
        Ok(())
    }

    fn write(&self, dir: &Path) -> io::Result<usize> {
        let story = self.story;
        let text = render_export_lang(&story.style, &self.msgs, self.ending, story.lang);
        let path = dir.join(&story.file);
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
