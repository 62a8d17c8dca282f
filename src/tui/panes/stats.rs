//! The statistics pane: who writes most (bars), when (activity by month as a sparkline, the
//! hour × weekday heatmap), what (top words and emojis), and who answers whom how fast.
//! Drawn as text charts so it reads at any size and scrolls with the usual keys.

use crate::sanitize::{self, Mode};
use crate::stats::format::{bar, duration};
use crate::stats::Stats;
use crate::tui::action::Action;
use crate::tui::app::App;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const SHADES: [&str; 5] = ["  ", "░░", "▒▒", "▓▓", "██"];

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let s = &app.stats;
    let lines: Vec<Line> = match (&s.stats, s.loading, &s.error) {
        (_, _, Some(e)) => vec![Line::from(Span::styled(format!("statistics failed: {e}"), theme.dim()))],
        (None, true, _) => vec![Line::from(Span::styled("computing…", theme.dim()))],
        (None, false, _) => vec![Line::from(Span::styled(
            format!(
                "Press {} for the statistics of the open chat, of the current search, or of everything.",
                app.keymap.keys_text(crate::tui::action::Action::Stats)
            ),
            theme.dim(),
        ))],
        (Some(stats), _, _) => report(app, stats, usize::from(area.width)),
    };
    let max_scroll = (lines.len() as u16).saturating_sub(area.height);
    frame.render_widget(
        Paragraph::new(lines).scroll((s.scroll.min(max_scroll), 0)),
        area,
    );
}

fn heading(app: &App, text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), app.theme.title(true)))
}

/// A sparkline of values, one cell each.
pub fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if max == 0 || *v == 0 {
                ' '
            } else {
                SPARK[((*v as u128 * 7) / max as u128) as usize]
            }
        })
        .collect()
}

fn report(app: &App, st: &Stats, width: usize) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut out: Vec<Line<'static>> = Vec::new();
    let person = app.stats_person();
    let label = match person {
        // A person is named as the view names them: their pseudonym when anonymized.
        Some(p) => format!("person: {}", app.person_shown(app.display_of(p))),
        None if app.anonymize => app.pseudonyms.mask_text(&app.stats.label),
        None => app.stats.label.clone(),
    };
    let label = sanitize::to_display(&label, Mode::OneLine).into_owned();
    let span = match (&st.first, &st.last) {
        (Some(f), Some(l)) => format!("{} → {}", &f[..10.min(f.len())], &l[..10.min(l.len())]),
        _ => "no messages".to_string(),
    };
    out.push(Line::from(Span::styled(label, theme.title(true))));
    out.push(Line::from(Span::styled(
        format!(
            "{} messages · {} system · {} · {} active days",
            crate::output::thousands(st.messages),
            crate::output::thousands(st.system),
            span,
            crate::output::thousands(st.active_days)
        ),
        theme.dim(),
    )));
    out.push(Line::from(""));

    if person.is_some() {
        person_sections(app, st, width, &mut out);
    } else {
        participant_section(app, st, width, &mut out);
    }
    out.push(Line::from(""));
    when_and_what(app, st, width, &mut out);
    out
}

/// A person across the archive: the chats they write in and the people they exchange replies
/// with, the selected partner marked for `]`/`[` and Enter.
fn person_sections(app: &App, st: &Stats, width: usize, out: &mut Vec<Line<'static>>) {
    person_chats_section(app, st, width, out);
    partners_section(app, out);
}

/// The chats a person writes in, busiest first.
fn person_chats_section(app: &App, st: &Stats, width: usize, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    let chats = st.per_chat.as_deref().unwrap_or_default();
    out.push(heading(app, "Chats"));
    let name_w = width.saturating_sub(2 + 8 + 2).clamp(8, 40);
    let max = chats.iter().map(|c| c.messages).max().unwrap_or(0);
    for c in chats.iter().take(PERSON_ROWS) {
        let name = sanitize::to_display(&app.chat_name(&c.chat), Mode::OneLine).into_owned();
        let name = sanitize::truncate_width(&name, name_w).into_owned();
        let pad = name_w.saturating_sub(sanitize::display_width(&name));
        let bar_w = width.saturating_sub(2 + name_w + 10).clamp(1, 30);
        out.push(Line::from(vec![
            Span::raw(format!("  {name}{} ", " ".repeat(pad))),
            Span::styled(
                format!("{:>7} ", crate::output::thousands(c.messages)),
                theme.dim(),
            ),
            Span::styled(bar(c.messages, max, bar_w), theme.accent()),
        ]));
    }
    more(app, chats.len(), "chats", out);
    out.push(Line::from(""));
}

/// The people a person exchanges replies with, the selected one marked.
fn partners_section(app: &App, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    out.push(heading(app, "Partners"));
    out.push(Line::from(Span::styled(
        "  → replies to · ← replies from · median reply time",
        theme.dim(),
    )));
    let partners = app.visible_partners();
    if partners.is_empty() {
        out.push(Line::from(Span::styled(
            "  no replies with anyone",
            theme.dim(),
        )));
        return;
    }
    let name_w = partners
        .iter()
        .map(|p| {
            sanitize::display_width(&sanitize::to_display(
                app.person_shown(&p.person),
                Mode::OneLine,
            ))
        })
        .max()
        .unwrap_or(4)
        .clamp(4, 22);
    for (i, p) in partners.iter().enumerate() {
        let name = sanitize::to_display(app.person_shown(&p.person), Mode::OneLine);
        let name = sanitize::truncate_width(&name, name_w).into_owned();
        let pad = name_w.saturating_sub(sanitize::display_width(&name));
        let response = p.median_response_secs.map_or("—".to_string(), duration);
        let selected = i == app.stats.participant;
        let marker = if selected { "▸ " } else { "  " };
        let mut line = Line::from(vec![
            Span::styled(marker, theme.accent()),
            Span::styled(
                format!("{name}{} ", " ".repeat(pad)),
                theme.sender(&p.person),
            ),
            Span::styled(
                format!(
                    "→ {:>6} · ← {:>6} · {response:>6}",
                    crate::output::thousands(p.replies_to),
                    crate::output::thousands(p.replies_from)
                ),
                theme.dim(),
            ),
        ]);
        if selected {
            line = line.style(theme.selected());
        }
        out.push(line);
    }
    let keys = |a: Action| app.keymap.keys_text(a);
    out.push(Line::from(Span::styled(
        format!(
            "  {}/{} select · {} opens theirs · {} searches this person · {} back",
            keys(Action::NextParticipant),
            keys(Action::PrevParticipant),
            keys(Action::Open),
            keys(Action::SearchPerson),
            keys(Action::Back)
        ),
        theme.dim(),
    )));
}

/// Rows of a person's chats the pane lists (the partners are all listed: they are walked).
const PERSON_ROWS: usize = 10;

fn more(app: &App, total: usize, what: &str, out: &mut Vec<Line<'static>>) {
    if total > PERSON_ROWS {
        out.push(Line::from(Span::styled(
            format!("  … and {} more {what}", total - PERSON_ROWS),
            app.theme.dim(),
        )));
    }
}

/// Who writes most, with the selected participant for `]`/`[` and Enter.
fn participant_section(app: &App, st: &Stats, width: usize, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    // Who writes most.
    out.push(heading(app, "Messages per participant"));
    let participants = app.visible_participants();
    if participants.is_empty() && !st.participants.is_empty() {
        out.push(Line::from(Span::styled(
            format!("  {}", crate::privacy::redact::PER_PERSON_HIDDEN),
            theme.dim(),
        )));
    }
    let max = participants.iter().map(|p| p.messages).max().unwrap_or(0);
    let name_w = participants
        .iter()
        .map(|p| sanitize::display_width(&sanitize::to_display(app.name(&p.name), Mode::OneLine)))
        .max()
        .unwrap_or(4)
        .clamp(4, 22);
    for (i, p) in participants.iter().enumerate() {
        let name = sanitize::to_display(app.name(&p.name), Mode::OneLine);
        let name = sanitize::truncate_width(&name, name_w).into_owned();
        let pad = name_w.saturating_sub(sanitize::display_width(&name));
        let response = p.median_response_secs.map_or("—".to_string(), duration);
        // The figures after the bar; the bar takes what is left, and narrow panes drop detail.
        let tail = if width >= 70 {
            format!(
                " {:>6} msgs {:>7} words  reply {response:>6}",
                crate::output::thousands(p.messages),
                crate::output::thousands(p.words)
            )
        } else {
            format!(" {:>6}", crate::output::thousands(p.messages))
        };
        let bar_w = width
            .saturating_sub(2 + name_w + 1 + sanitize::display_width(&tail))
            .clamp(1, 48);
        // The bar is padded to its width, so the figures after it line up.
        let b = bar(p.messages, max, bar_w);
        let selected = i == app.stats.participant;
        let marker = if selected { "▸ " } else { "  " };
        let mut line = Line::from(vec![
            Span::styled(marker, theme.accent()),
            Span::styled(format!("{name}{} ", " ".repeat(pad)), theme.sender(&p.name)),
            Span::styled(b, theme.sender(&p.name)),
            Span::styled(tail, theme.dim()),
        ]);
        if selected {
            line = line.style(theme.selected());
        }
        out.push(line);
    }
    if !participants.is_empty() {
        out.push(Line::from(Span::styled(
            format!(
                "  {}/{} select · {} searches from: them",
                app.keymap
                    .keys_text(crate::tui::action::Action::NextParticipant),
                app.keymap
                    .keys_text(crate::tui::action::Action::PrevParticipant),
                app.keymap.keys_text(crate::tui::action::Action::Open)
            ),
            theme.dim(),
        )));
    }
}

/// When (months, hour × weekday), what (words, emojis, links) and who answers whom.
fn when_and_what(app: &App, st: &Stats, width: usize, out: &mut Vec<Line<'static>>) {
    month_section(app, st, width, out);
    heatmap_section(app, st, out);
    words_section(app, st, out);
    replies_section(app, st, out);
    kinds_line(app, st, out);
}

/// When: activity over time, months squeezed into the width.
fn month_section(app: &App, st: &Stats, width: usize, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    if !st.by_month.is_empty() {
        out.push(heading(app, "Activity by month"));
        let values: Vec<u64> = st.by_month.iter().map(|m| m.messages).collect();
        let room = width.saturating_sub(4).max(8);
        // Squeeze many months into the width by summing neighbours.
        let per = values.len().div_ceil(room).max(1);
        let squeezed: Vec<u64> = values.chunks(per).map(|c| c.iter().sum()).collect();
        out.push(Line::from(Span::styled(
            format!("  {}", sparkline(&squeezed)),
            theme.accent(),
        )));
        let first = &st.by_month[0].month;
        let last = &st.by_month[st.by_month.len() - 1].month;
        let gap = squeezed
            .len()
            .saturating_sub(first.len() + last.len())
            .max(1);
        out.push(Line::from(Span::styled(
            format!("  {first}{}{last}", " ".repeat(gap)),
            theme.dim(),
        )));
        let peak = st.by_month.iter().max_by_key(|m| m.messages);
        if let Some(p) = peak {
            out.push(Line::from(Span::styled(
                format!(
                    "  busiest month: {} ({} messages)",
                    p.month,
                    crate::output::thousands(p.messages)
                ),
                theme.dim(),
            )));
        }
        out.push(Line::from(""));
    }
}

/// When: hour × weekday, from the engine's 7 × 24 counts.
fn heatmap_section(app: &App, st: &Stats, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    out.push(heading(app, "Hour × weekday"));
    let mut hours = String::from("     ");
    for h in (0..24).step_by(3) {
        hours.push_str(&format!("{h:<6}"));
    }
    out.push(Line::from(Span::styled(hours, theme.dim())));
    let grid = &st.by_weekday_hour;
    let max_cell = grid.iter().flatten().copied().max().unwrap_or(0);
    for (d, day) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        let mut spans = vec![Span::styled(format!("  {day}"), theme.dim())];
        for &v in &grid[d] {
            let level = if max_cell == 0 {
                0.0
            } else {
                v as f64 / max_cell as f64
            };
            // Any activity shows at least the lightest shade.
            let level = if v > 0 { level.max(0.13) } else { 0.0 };
            let shade = SHADES[((level * 4.0).round() as usize).min(4)];
            let style: Style = theme.heat(level);
            spans.push(Span::styled(shade, style));
        }
        out.push(Line::from(spans));
    }
    out.push(Line::from(""));
}

/// What: words and emojis side by side, then the linked domains. The anonymized view drops
/// words and domains that hold a name, by the rule `stats --anonymize` follows.
fn words_section(app: &App, st: &Stats, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    let (top_words, top_domains): (Vec<_>, Vec<_>) = if app.anonymize {
        let p = &app.pseudonyms;
        (
            st.top_words
                .iter()
                .filter(|w| crate::privacy::redact::shareable_word(p, &w.word))
                .collect(),
            st.top_domains
                .iter()
                .filter(|d| crate::privacy::redact::shareable_domain(p, &d.domain))
                .collect(),
        )
    } else {
        (
            st.top_words.iter().collect(),
            st.top_domains.iter().collect(),
        )
    };
    out.push(heading(app, "Top words                      Top emojis"));
    let rows = top_words.len().max(st.top_emojis.len()).min(10);
    for i in 0..rows {
        let w = top_words
            .get(i)
            .map(|w| {
                format!(
                    "{:<22}{:>6}",
                    sanitize::truncate_width(&sanitize::to_display(&w.word, Mode::OneLine), 21),
                    crate::output::thousands(w.count)
                )
            })
            .unwrap_or_default();
        let e = st
            .top_emojis
            .get(i)
            .map(|e| {
                format!(
                    "{}  {}",
                    sanitize::to_display(&crate::tui::layout::cells(&e.emoji), Mode::OneLine),
                    crate::output::thousands(e.count)
                )
            })
            .unwrap_or_default();
        let pad = 31usize.saturating_sub(sanitize::display_width(&w));
        out.push(Line::from(vec![
            Span::raw(format!("  {w}")),
            Span::raw(" ".repeat(pad)),
            Span::raw(e),
        ]));
    }
    if !top_domains.is_empty() {
        let domains: Vec<String> = top_domains
            .iter()
            .take(5)
            .map(|d| {
                format!(
                    "{} {}",
                    sanitize::to_display(&d.domain, Mode::OneLine),
                    crate::output::thousands(d.count)
                )
            })
            .collect();
        out.push(Line::from(Span::styled(
            format!("  links: {}", domains.join(" · ")),
            theme.dim(),
        )));
    }
    out.push(Line::from(""));
}

/// Who answers whom (a person's partners say it for a person).
fn replies_section(app: &App, st: &Stats, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    let participants = app.visible_participants();
    if app.stats_person().is_none() && !participants.is_empty() && !st.interactions.is_empty() {
        out.push(heading(app, "Who replies to whom"));
        let mut inter = st.interactions.clone();
        inter.sort_by_key(|i| std::cmp::Reverse(i.replies));
        let max = inter.first().map_or(0, |i| i.replies);
        for i in inter.iter().take(10) {
            let from = sanitize::to_display(app.name(&i.from), Mode::OneLine).into_owned();
            let to = sanitize::to_display(app.name(&i.to), Mode::OneLine).into_owned();
            out.push(Line::from(vec![
                Span::styled(format!("  {from}"), theme.sender(&i.from)),
                Span::styled(" → ", theme.dim()),
                Span::styled(to, theme.sender(&i.to)),
                Span::raw(format!("  {} ", crate::output::thousands(i.replies))),
                Span::styled(bar(i.replies, max, 20), theme.accent()),
            ]));
        }
    }
}

/// How many messages of each kind.
fn kinds_line(app: &App, st: &Stats, out: &mut Vec<Line<'static>>) {
    let theme = app.theme;
    let k = &st.kinds;
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        format!(
            "  kinds: {} text · {} media · {} deleted · {} polls · {} locations · {} calls · {} hidden · {} waiting",
            crate::output::thousands(k.text), crate::output::thousands(k.media), crate::output::thousands(k.deleted), crate::output::thousands(k.poll), crate::output::thousands(k.location), crate::output::thousands(k.call), crate::output::thousands(k.hidden), crate::output::thousands(k.waiting)
        ),
        theme.dim(),
    )));
    media_section(app, st, out);
}

/// Attachments by type, then who sends which: the photos, the voice notes (`media_types`).
fn media_section(app: &App, st: &Stats, out: &mut Vec<Line<'static>>) {
    if st.media_types.is_empty() {
        return;
    }
    let theme = app.theme;
    let types = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(t, n)| format!("{t} {}", crate::output::thousands(*n)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    out.push(Line::from(""));
    out.push(heading(app, "Media"));
    out.push(Line::from(Span::styled(
        format!("  {}", types(&st.media_types)),
        theme.dim(),
    )));
    for p in app.visible_participants() {
        if p.media_types.is_empty() {
            continue;
        }
        let name = sanitize::to_display(app.name(&p.name), Mode::OneLine);
        let name = sanitize::truncate_width(&name, 22).into_owned();
        out.push(Line::from(vec![
            Span::styled(format!("  {name}  "), theme.sender(&p.name)),
            Span::styled(types(&p.media_types), theme.dim()),
        ]));
    }
}

#[cfg(test)]
mod tests;
