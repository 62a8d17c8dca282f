//! `whatscope stats`: the statistics of docs/statistics.md as JSON, or as tables, bars and an hour × weekday
//! heatmap for people (colour on a terminal, never with `NO_COLOR`, every name sanitized).

use super::style::Style;
use super::{GlobalArgs, StatsArgs};
use crate::index::archive::data_dir;
use crate::index::read;
use crate::output::{plural_of, write_json_line};
use crate::sanitize::{display_width, truncate_width, Mode};
use crate::stats::format::{bar, duration};
use crate::stats::{self, Scope, Stats};
use std::io::{BufWriter, Write};

pub fn run(global: &GlobalArgs, args: &StatsArgs) -> anyhow::Result<()> {
    let archive = crate::ops::open(&data_dir(global.data_dir.as_deref())?)?;
    let chat = match &args.chat {
        Some(c) => Some(read::resolve_chat(&archive, c)?),
        None => None,
    };
    let participant = match &args.participant {
        Some(p) => Some(stats::resolve_participant(&archive, p)?),
        None => None,
    };
    let scope = Scope {
        chat,
        query: args.query.clone(),
        participant,
    };
    let mut result = if global.anonymize {
        // Anonymized output shows pseudonyms only, so the query's `from:` takes them too.
        let aliases = crate::people::masks::pseudonyms(&archive)?.aliases();
        stats::compute_with_aliases(&archive, &scope, &aliases)?
    } else {
        stats::compute(&archive, &scope)?
    };
    if global.anonymize {
        let anon = crate::people::masks::anonymizer(&archive)?;
        crate::stats::anonymize_stats(&mut result, anon.pseudonyms());
    }
    let mut out = BufWriter::new(super::stdout());
    if args.json {
        write_json_line(&mut out, &result)?;
    } else {
        let style = Style::for_stdout();
        for note in &result.notes {
            eprintln!("note: {}", style.text(note, Mode::OneLine));
        }
        let width = if style.terminal {
            crossterm::terminal::size().map_or(100, |(w, _)| usize::from(w))
        } else {
            100
        };
        out.write_all(render(&result, &Painter { style, width }).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// Plain-text rendering context.
pub struct Painter {
    pub style: Style,
    /// Terminal width in cells (bars and tables shrink to it, down to a floor).
    pub width: usize,
}

impl Painter {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.style.color && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn heading(&self, s: &str) -> String {
        self.paint("1;36", s)
    }

    fn bar(&self, s: &str) -> String {
        self.paint("32", s)
    }

    /// Untrusted text: sanitized, one line, cut to `max` cells.
    fn name(&self, s: &str, max: usize) -> String {
        let clean = self.style.text(s, Mode::OneLine);
        truncate_width(&clean, max).into_owned()
    }
}

/// The whole report as text.
pub fn render(s: &Stats, p: &Painter) -> String {
    let mut o = String::new();
    summary(&mut o, s, p);
    if s.messages == 0 {
        o.push_str(&format!(
            "{}\n",
            p.style.dim("no messages with a sender in this scope")
        ));
        return o;
    }
    participants(&mut o, s, p);
    media(&mut o, s, p);
    per_chat(&mut o, s, p);
    partners(&mut o, s, p);
    months(&mut o, s, p);
    heatmap(&mut o, s, p);
    interactions(&mut o, s, p);
    tops(&mut o, s, p);
    o
}

fn summary(o: &mut String, s: &Stats, p: &Painter) {
    let mut scope = Vec::new();
    if let Some(c) = &s.scope.chat {
        scope.push(format!("chat {}", p.style.bold(&p.name(c, 60))));
    }
    if let Some(q) = &s.scope.query {
        scope.push(format!("query {}", p.style.bold(&p.name(q, 60))));
    }
    if let Some(who) = &s.scope.participant {
        scope.push(format!("participant {}", p.style.sender(&p.name(who, 60))));
    }
    let scope = if scope.is_empty() {
        "the whole archive".to_string()
    } else {
        scope.join(", ")
    };
    o.push_str(&format!("{} {scope}\n", p.heading("Statistics of")));
    let day = |t: &Option<String>| {
        t.as_deref()
            .map_or("-".to_string(), |t| t.get(..10).unwrap_or(t).to_string())
    };
    // Hidden participants are not "0 participants": the table below says why.
    let people = if crate::stats::per_person_hidden(s) {
        "participants hidden".to_string()
    } else {
        let n = s.participants.len() as u64;
        format!(
            "{} {}",
            thousands(n),
            plural_of(n, "participant", "participants")
        )
    };
    o.push_str(&format!(
        "{} {} · {} system · {people} · {} {} · {} → {} · {} active {}\n",
        p.style.bold(&thousands(s.messages)),
        plural_of(s.messages, "message", "messages"),
        thousands(s.system),
        thousands(s.chats),
        plural_of(s.chats, "chat", "chats"),
        day(&s.first),
        day(&s.last),
        thousands(s.active_days),
        plural_of(s.active_days, "day", "days"),
    ));
    let k = &s.kinds;
    let kinds: Vec<String> = [
        ("text", k.text),
        ("media", k.media),
        ("deleted", k.deleted),
        ("poll", k.poll),
        ("location", k.location),
        ("call", k.call),
        ("hidden", k.hidden),
        ("waiting", k.waiting),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("{name} {}", thousands(*n)))
    .collect();
    if !kinds.is_empty() {
        o.push_str(&format!(
            "{}\n",
            p.style.dim(&format!("kinds: {}", kinds.join(" · ")))
        ));
    }
}

fn participants(o: &mut String, s: &Stats, p: &Painter) {
    if crate::stats::per_person_hidden(s) {
        o.push_str(&format!("\n{}\n", p.heading("Participants")));
        o.push_str(&format!(
            "{}\n",
            p.style.dim(crate::privacy::redact::PER_PERSON_HIDDEN)
        ));
        return;
    }
    let names: Vec<String> = s.participants.iter().map(|x| p.name(&x.name, 22)).collect();
    let name_w = names
        .iter()
        .map(|n| display_width(n))
        .max()
        .unwrap_or(4)
        .max(4);
    // Everything but the bar: name, messages, share, six columns of 7 and the reply column.
    let fixed = name_w + 2 + 8 + 2 + 4 + 2 + 6 * 8 + 8;
    // The bar gives way on a narrow terminal.
    let bar_w = match p.width.saturating_sub(fixed + 2) {
        w if w < 6 => 0,
        w => w.min(24),
    };
    let bar_col = |cells: String| {
        if bar_w == 0 {
            String::new()
        } else {
            format!("{cells}  ")
        }
    };
    let max = s.participants.first().map_or(1, |x| x.messages).max(1);
    o.push_str(&format!("\n{}\n", p.heading("Participants")));
    let header = format!(
        "{:<name_w$}  {:>8}  {}{:>4}  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "name",
        "messages",
        bar_col(" ".repeat(bar_w)),
        "%",
        "words",
        "media",
        "deleted",
        "links",
        "emoji",
        "sessions",
        "reply"
    );
    o.push_str(&format!("{}\n", p.style.dim(&header)));
    for (x, name) in s.participants.iter().zip(&names) {
        let pad = name_w.saturating_sub(display_width(name));
        let share = 100.0 * x.messages as f64 / s.messages.max(1) as f64;
        let reply = x.median_response_secs.map_or("–".to_string(), duration);
        o.push_str(&format!(
            "{}{:pad$}  {:>8}  {}{:>3.0}%  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}\n",
            p.style.sender(name),
            "",
            thousands(x.messages),
            bar_col(p.bar(&bar(x.messages, max, bar_w))),
            share,
            thousands(x.words),
            thousands(x.media),
            thousands(x.deleted),
            thousands(x.links),
            thousands(x.emojis),
            thousands(x.sessions_started),
            reply,
        ));
    }
    let note = "sessions: conversations started after an hour of silence · reply: median time to answer someone else";
    o.push_str(&format!("{}\n", p.style.dim(note)));
}

/// Attachments by type, then who sends which (docs/statistics.md `media_types`).
fn media(o: &mut String, s: &Stats, p: &Painter) {
    if s.media_types.is_empty() {
        return;
    }
    let line = |types: &std::collections::BTreeMap<String, u64>| {
        types
            .iter()
            .map(|(t, n)| format!("{t} {}", thousands(*n)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    o.push_str(&format!("\n{}\n", p.heading("Media")));
    o.push_str(&format!("{}\n", line(&s.media_types)));
    if crate::stats::per_person_hidden(s) {
        return;
    }
    let senders: Vec<(String, String)> = s
        .participants
        .iter()
        .filter(|x| !x.media_types.is_empty())
        .map(|x| (p.name(&x.name, 22), line(&x.media_types)))
        .collect();
    let name_w = senders
        .iter()
        .map(|(n, _)| display_width(n))
        .max()
        .unwrap_or(0);
    for (name, types) in senders {
        let pad = name_w.saturating_sub(display_width(&name));
        o.push_str(&format!("{}{:pad$}  {types}\n", p.style.sender(&name), ""));
    }
}

/// How many rows the person's chats and partners show (all of them are in `--json`).
const ACROSS_SHOWN: usize = 10;

/// A person's messages per chat (`--participant` across every chat).
fn per_chat(o: &mut String, s: &Stats, p: &Painter) {
    let Some(rows) = s.per_chat.as_deref().filter(|r| !r.is_empty()) else {
        return;
    };
    o.push_str(&format!("\n{}\n", p.heading("Chats")));
    let names: Vec<String> = rows
        .iter()
        .take(ACROSS_SHOWN)
        .map(|c| p.name(&c.chat, 30))
        .collect();
    let w = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    let max = rows.first().map_or(1, |c| c.messages).max(1);
    let bar_w = p.width.saturating_sub(w + 14).clamp(8, 30);
    for (c, name) in rows.iter().zip(&names) {
        o.push_str(&format!(
            "{name}{:pad$}  {:>8}  {}\n",
            "",
            thousands(c.messages),
            p.bar(&bar(c.messages, max, bar_w)),
            pad = w.saturating_sub(display_width(name)),
        ));
    }
    more(o, rows.len(), "chats", p);
}

/// Whom the person replies to and who replies to them, with the person's median reply time.
fn partners(o: &mut String, s: &Stats, p: &Painter) {
    let Some(rows) = s.partners.as_deref().filter(|r| !r.is_empty()) else {
        return;
    };
    o.push_str(&format!("\n{}\n", p.heading("Partners")));
    let names: Vec<String> = rows
        .iter()
        .take(ACROSS_SHOWN)
        .map(|x| p.name(&x.person, 22))
        .collect();
    let w = names
        .iter()
        .map(|n| display_width(n))
        .max()
        .unwrap_or(0)
        .max(6);
    let header = format!(
        "{:<w$}  {:>10}  {:>12}  {:>8}",
        "person", "replies to", "replies from", "reply"
    );
    o.push_str(&format!("{}\n", p.style.dim(&header)));
    for (x, name) in rows.iter().zip(&names) {
        let reply = x.median_response_secs.map_or("–".to_string(), duration);
        o.push_str(&format!(
            "{}{:pad$}  {:>10}  {:>12}  {:>8}\n",
            p.style.sender(name),
            "",
            thousands(x.replies_to),
            thousands(x.replies_from),
            reply,
            pad = w.saturating_sub(display_width(name)),
        ));
    }
    more(o, rows.len(), "partners", p);
    let note =
        "replies to: their answers to this partner · reply: their median time to answer them";
    o.push_str(&format!("{}\n", p.style.dim(note)));
}

/// The line saying how many rows of `total` were left out of a short table.
fn more(o: &mut String, total: usize, what: &str, p: &Painter) {
    if total > ACROSS_SHOWN {
        let line = format!("… and {} more {what} (all in --json)", total - ACROSS_SHOWN);
        o.push_str(&format!("{}\n", p.style.dim(&line)));
    }
}

fn months(o: &mut String, s: &Stats, p: &Painter) {
    if s.by_month.is_empty() {
        return;
    }
    let bar_w = p.width.saturating_sub(24).clamp(10, 50);
    if s.by_month.len() <= 18 {
        o.push_str(&format!("\n{}\n", p.heading("Messages by month")));
        let max = s
            .by_month
            .iter()
            .map(|m| m.messages)
            .max()
            .unwrap_or(1)
            .max(1);
        for m in &s.by_month {
            o.push_str(&format!(
                "{}  {:>8}  {}\n",
                m.month,
                thousands(m.messages),
                p.bar(&bar(m.messages, max, bar_w))
            ));
        }
        return;
    }
    // Long spans: one line per year, its twelve months as a sparkline, then the year's bar.
    o.push_str(&format!(
        "\n{}  {}\n",
        p.heading("Messages by year"),
        p.style.dim("(months Jan–Dec as a sparkline)")
    ));
    let mut years: Vec<(String, [Option<u64>; 12])> = Vec::new();
    for m in &s.by_month {
        let (year, month) = m.month.split_once('-').unwrap_or((&m.month, "01"));
        let i = month.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
        if years.last().is_none_or(|(y, _)| y != year) {
            years.push((year.to_string(), [None; 12]));
        }
        if let Some((_, months)) = years.last_mut() {
            months[i] = Some(m.messages);
        }
    }
    let month_max = s
        .by_month
        .iter()
        .map(|m| m.messages)
        .max()
        .unwrap_or(1)
        .max(1);
    let totals: Vec<u64> = years
        .iter()
        .map(|(_, ms)| ms.iter().flatten().sum())
        .collect();
    let year_max = totals.iter().copied().max().unwrap_or(1).max(1);
    let bar_w = bar_w.saturating_sub(14).max(8);
    for ((year, ms), total) in years.iter().zip(totals) {
        let spark: String = ms
            .iter()
            .map(|m| match m {
                Some(n) if *n > 0 => spark(*n, month_max),
                _ => ' ',
            })
            .collect();
        o.push_str(&format!(
            "{year:>4}  {}  {:>8}  {}\n",
            p.bar(&spark),
            thousands(total),
            p.bar(&bar(total, year_max, bar_w))
        ));
    }
}

fn heatmap(o: &mut String, s: &Stats, p: &Painter) {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let max = s
        .by_weekday_hour
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    o.push_str(&format!(
        "\n{}  {}\n",
        p.heading("When: hour × weekday"),
        p.style.dim("(░ ▒ ▓ █ = quarters of the busiest hour)")
    ));
    let mut hours = String::from("     ");
    for h in 0..24 {
        hours.push_str(&if h % 3 == 0 {
            format!("{h:<2}")
        } else {
            "  ".to_string()
        });
    }
    o.push_str(&format!("{}\n", p.style.dim(&format!("{hours}  total"))));
    for (d, row) in s.by_weekday_hour.iter().enumerate() {
        let mut line = format!("{}  ", DAYS[d]);
        for &n in row {
            let (cell, code) = shade(n, max);
            let cell = format!("{cell}{cell}");
            line.push_str(&if n == 0 {
                p.style.dim("··")
            } else {
                p.paint(code, &cell)
            });
        }
        line.push_str(&format!("  {:>7}\n", thousands(s.by_weekday[d])));
        o.push_str(&line);
    }
    let hour_max = s.by_hour.iter().copied().max().unwrap_or(1).max(1);
    let mut sparkline = String::from("all  ");
    for &n in &s.by_hour {
        let c = if n == 0 { ' ' } else { spark(n, hour_max) };
        sparkline.push(c);
        sparkline.push(c);
    }
    o.push_str(&format!("{}\n", p.bar(&sparkline)));
}

fn interactions(o: &mut String, s: &Stats, p: &Painter) {
    if s.interactions.is_empty() {
        return;
    }
    const SHOWN: usize = 10;
    o.push_str(&format!("\n{}\n", p.heading("Who answers whom")));
    let pairs: Vec<(String, String)> = s
        .interactions
        .iter()
        .take(SHOWN)
        .map(|i| (p.name(&i.from, 22), p.name(&i.to, 22)))
        .collect();
    let from_w = pairs
        .iter()
        .map(|(f, _)| display_width(f))
        .max()
        .unwrap_or(0);
    let to_w = pairs
        .iter()
        .map(|(_, t)| display_width(t))
        .max()
        .unwrap_or(0);
    let max = s.interactions.first().map_or(1, |i| i.replies).max(1);
    let bar_w = p.width.saturating_sub(from_w + to_w + 18).clamp(8, 30);
    for (i, (from, to)) in s.interactions.iter().zip(&pairs) {
        o.push_str(&format!(
            "{}{:fp$} → {}{:tp$}  {:>7}  {}\n",
            p.style.sender(from),
            "",
            p.style.sender(to),
            "",
            thousands(i.replies),
            p.bar(&bar(i.replies, max, bar_w)),
            fp = from_w.saturating_sub(display_width(from)),
            tp = to_w.saturating_sub(display_width(to)),
        ));
    }
    if s.interactions.len() > SHOWN {
        let more = format!(
            "… and {} more pairs (all in --json)",
            s.interactions.len() - SHOWN
        );
        o.push_str(&format!("{}\n", p.style.dim(&more)));
    }
}

fn tops(o: &mut String, s: &Stats, p: &Painter) {
    let list = |o: &mut String, title: &str, items: Vec<(String, u64)>, shown: usize| {
        if items.is_empty() {
            return;
        }
        o.push_str(&format!("\n{}\n", p.heading(title)));
        let names: Vec<String> = items
            .iter()
            .take(shown)
            .map(|(w, _)| p.name(w, 30))
            .collect();
        let w = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
        let max = items.first().map_or(1, |(_, c)| *c).max(1);
        let bar_w = p.width.saturating_sub(w + 14).clamp(8, 30);
        for ((_, count), name) in items.iter().zip(&names) {
            o.push_str(&format!(
                "{name}{:pad$}  {:>7}  {}\n",
                "",
                thousands(*count),
                p.bar(&bar(*count, max, bar_w)),
                pad = w.saturating_sub(display_width(name)),
            ));
        }
    };
    list(
        o,
        "Top words (messages using them)",
        s.top_words
            .iter()
            .map(|w| (w.word.clone(), w.count))
            .collect(),
        15,
    );
    if !s.top_emojis.is_empty() {
        o.push_str(&format!("\n{}\n", p.heading("Top emoji")));
        let line: Vec<String> = s
            .top_emojis
            .iter()
            .map(|e| format!("{} {}", p.name(&e.emoji, 8), thousands(e.count)))
            .collect();
        wrap(o, &line, p.width.max(40));
    }
    list(
        o,
        "Top link domains",
        s.top_domains
            .iter()
            .map(|d| (d.domain.clone(), d.count))
            .collect(),
        10,
    );
}

/// Items joined by two spaces, wrapped to `width` cells.
fn wrap(o: &mut String, items: &[String], width: usize) {
    let mut line = String::new();
    let mut used = 0;
    for item in items {
        let w = display_width(item);
        if used > 0 && used + 3 + w > width {
            o.push_str(&line);
            o.push('\n');
            line.clear();
            used = 0;
        }
        if used > 0 {
            line.push_str("   ");
            used += 3;
        }
        line.push_str(item);
        used += w;
    }
    if !line.is_empty() {
        o.push_str(&line);
        o.push('\n');
    }
}

/// One sparkline cell (▁ to █) for `value / max`.
pub fn spark(value: u64, max: u64) -> char {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if max == 0 {
        return LEVELS[0];
    }
    let i = ((value as f64 / max as f64) * 7.0).round() as usize;
    LEVELS[i.min(7)]
}

/// A heatmap cell by quarter of the maximum, with its colour.
fn shade(value: u64, max: u64) -> (char, &'static str) {
    let q = (value * 4).div_ceil(max.max(1));
    match q {
        0 => (' ', "2"),
        1 => ('░', "38;5;22"),
        2 => ('▒', "38;5;28"),
        3 => ('▓', "38;5;34"),
        _ => ('█', "38;5;40"),
    }
}

/// Counts are written the same way in the CLI and the TUI.
pub use crate::output::thousands;

#[cfg(test)]
mod tests;
