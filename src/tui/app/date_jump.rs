//! The jump-to-date prompt: typing a date and moving the conversation to it.

use super::*;

/// Longest entry the jump-to-date prompt takes (`2024-03-15 10:30:00` and then some).
const DATE_MAX_CHARS: usize = 24;

impl App {
    pub(super) fn date_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            // Every character goes in, so a typo shows and is named when Enter rejects it.
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                if self.date.chars().count() < DATE_MAX_CHARS {
                    self.date.push(c);
                }
                Vec::new()
            }
            KeyCode::Backspace => {
                self.date.pop();
                Vec::new()
            }
            KeyCode::Esc => {
                self.input = Input::Normal;
                Vec::new()
            }
            KeyCode::Enter => {
                self.input = Input::Normal;
                self.jump_to_date()
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.act(Action::Quit)
            }
            _ => Vec::new(),
        }
    }

    /// The jump-to-date prompt opens, when there is a conversation to jump in.
    pub(super) fn start_date_jump(&mut self) -> Vec<Effect> {
        if self.conv.is_some() {
            self.input = Input::Date;
            self.date.clear();
        } else {
            self.status = Some("open a chat first (Enter on a chat)".into());
        }
        Vec::new()
    }

    pub(super) fn jump_to_date(&mut self) -> Vec<Effect> {
        // The forms `after:`/`before:` take: 2024, 2024-03, 2024-03-15 (and a time).
        let Some(ts) = crate::timestamp::parse_time(self.date.trim()) else {
            self.status = Some(format!(
                "not a date: \"{}\" — type a year, a month or a day: 2024, 2024-03, 2024-03-15",
                self.date.trim()
            ));
            return Vec::new();
        };
        let key = order_key(crate::index::schema::ts_to_secs(&ts), 0);
        let Some(conv) = self.conv.as_mut() else {
            return Vec::new();
        };
        let pos = conv.order.nearest(key);
        conv.sel = pos;
        conv.top = pos;
        self.focus = Pane::Conversation;
        self.after_move()
    }
}
