//! The query line: typing, the search as you type, and the results' requests.

use super::*;

/// The query as typed, with its last word read as a prefix while it is still being typed:
/// `pizz` already finds `pizza`. Words with operators, filters and quotes are left alone.
pub fn live_query(q: &str) -> String {
    let last = q.rsplit(char::is_whitespace).next().unwrap_or("");
    let plain = !last.is_empty()
        && last.chars().all(char::is_alphanumeric)
        && last != "OR"
        && !q.ends_with(char::is_whitespace)
        && q.matches('"').count().is_multiple_of(2);
    if plain {
        format!("{q}*")
    } else {
        q.to_string()
    }
}

/// Results shown as you type.
pub const RESULT_LIMIT: usize = 200;

impl App {
    pub(super) fn query_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => self.act(Action::Quit),
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                vec![Effect::Debounce]
            }
            KeyCode::Char('w') if ctrl => {
                let trimmed = self.query.trim_end().len();
                let cut = self.query[..trimmed].rfind(' ').map_or(0, |i| i + 1);
                self.query.truncate(cut);
                vec![Effect::Debounce]
            }
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.focus = Pane::Results;
                vec![Effect::Debounce]
            }
            KeyCode::Backspace => {
                self.query.pop();
                vec![Effect::Debounce]
            }
            KeyCode::Enter => {
                self.input = Input::Normal;
                self.focus = Pane::Results;
                // Results now, without waiting for the debounce.
                self.search_now()
            }
            KeyCode::Esc => {
                self.input = Input::Normal;
                Vec::new()
            }
            KeyCode::Down | KeyCode::Up => {
                self.focus = Pane::Results;
                let action = if key.code == KeyCode::Down {
                    Action::Down
                } else {
                    Action::Up
                };
                self.move_by(action)
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn search_now(&mut self) -> Vec<Effect> {
        let id = self.id();
        self.results.latest = id;
        if self.query.trim().is_empty() {
            self.results = Results {
                latest: id,
                ..Results::default()
            };
            return Vec::new();
        }
        self.results.searching = true;
        vec![Effect::Request(Request::Search {
            id,
            query: live_query(&self.query),
            limit: RESULT_LIMIT,
            aliases: self.aliases(),
        })]
    }
}
