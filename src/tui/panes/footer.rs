//! The query line and the footer, whose key hints come from the keymap for what has focus.

use crate::sanitize::{self, Mode};
use crate::tui::action::Action;
use crate::tui::app::{App, Input, Pane, Side};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw_query(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let line = match app.input {
        Input::Date => Line::from(vec![
            Span::styled(" jump to date ", theme.title(true)),
            Span::raw(sanitize::to_display(&app.date, Mode::OneLine).into_owned()),
            Span::styled("▏", theme.accent()),
            Span::styled("  YYYY, YYYY-MM or YYYY-MM-DD", theme.dim()),
        ]),
        Input::Query => Line::from(vec![
            Span::styled(" / ", theme.title(true)),
            Span::raw(sanitize::to_display(&app.query, Mode::OneLine).into_owned()),
            Span::styled("▏", theme.accent()),
        ]),
        Input::Normal if app.query.is_empty() => Line::from(Span::styled(
            format!(" {} to search", app.keymap.keys_text(Action::Search)),
            theme.dim(),
        )),
        Input::Normal => Line::from(vec![
            Span::styled(" / ", theme.dim()),
            Span::raw(sanitize::to_display(&app.query, Mode::OneLine).into_owned()),
        ]),
    };
    frame.render_widget(Paragraph::new(line), area);
    // Hit count on the right.
    let count = match &app.results.result {
        Some(r) if !app.query.is_empty() => {
            format!("{} hits ", crate::output::thousands(r.total as u64))
        }
        _ if app.results.searching => "searching… ".to_string(),
        _ => String::new(),
    };
    let w = sanitize::display_width(&count) as u16;
    if w > 0 && area.width > w + 20 {
        frame.render_widget(
            Paragraph::new(Span::styled(count, theme.accent())),
            Rect::new(area.x + area.width - w, area.y, w, 1),
        );
    }
}

/// The actions worth a hint in the current context, most useful first.
pub fn hint_actions(app: &App) -> Vec<Action> {
    if app.help {
        return vec![Action::Help, Action::Quit];
    }
    if app.attachment.image.is_some() {
        return vec![Action::Back];
    }
    let mut actions = pane_actions(app);
    // `o` where it would open something: the selected message has an attachment.
    let attached = app
        .selected_message()
        .is_some_and(|m| m.attachment.is_some() || m.kind == crate::model::Kind::Media);
    if attached {
        actions.insert(1.min(actions.len()), Action::OpenAttachment);
    }
    actions
}

/// The hints of the focused pane.
fn pane_actions(app: &App) -> Vec<Action> {
    match app.focus {
        Pane::Chats if app.side == Side::People => vec![
            Action::Open,
            Action::SearchPerson,
            Action::TogglePeople,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
        Pane::Stats if app.stats_person().is_some() => vec![
            Action::NextParticipant,
            Action::Open,
            Action::SearchPerson,
            Action::Back,
            Action::ToggleAnonymize,
            Action::Help,
            Action::Quit,
        ],
        Pane::Chats => vec![
            Action::Open,
            Action::Search,
            Action::NextPane,
            Action::Stats,
            Action::TogglePeople,
            Action::Help,
            Action::Quit,
        ],
        Pane::Conversation => vec![
            Action::Down,
            Action::NextMatch,
            Action::JumpToDate,
            Action::Stats,
            Action::ToggleAnonymize,
            Action::Back,
            Action::Help,
            Action::Quit,
        ],
        Pane::Results => vec![
            Action::Open,
            Action::Search,
            Action::Stats,
            Action::Back,
            Action::Help,
            Action::Quit,
        ],
        Pane::Stats => vec![
            Action::NextParticipant,
            Action::Open,
            Action::ToggleAnonymize,
            Action::Back,
            Action::Help,
            Action::Quit,
        ],
    }
}

pub fn draw_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    if let Some(status) = &app.status {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" {}", sanitize::to_display(status, Mode::OneLine)),
                theme.accent(),
            )),
            area,
        );
        return;
    }
    let hints: Vec<(String, &str)> = match app.input {
        Input::Query => vec![
            ("Enter".into(), "results"),
            ("Esc".into(), "leave"),
            ("Ctrl-U".into(), "clear"),
            ("↓".into(), "results"),
        ],
        Input::Date => vec![("Enter".into(), "jump"), ("Esc".into(), "cancel")],
        Input::Normal => hint_actions(app)
            .into_iter()
            .map(|a| (app.keymap.keys_text(a), a.describe()))
            .collect(),
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    // The anonymized view says so first: it must never be mistaken for real names.
    if app.anonymize {
        spans.push(Span::styled("[anonymized] ", theme.accent()));
        used += 13;
    }
    for (i, (keys, what)) in hints.iter().enumerate() {
        let piece = format!("{keys} {what}");
        let w = sanitize::display_width(&piece) + 3;
        if used + w > usize::from(area.width) {
            break;
        }
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(keys.clone(), theme.title(false)));
        spans.push(Span::styled(format!(" {what}"), theme.dim()));
        used += w;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
