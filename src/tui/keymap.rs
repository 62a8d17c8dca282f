//! The keymap as data: docs/tui.md's defaults, overridable by a small config file
//! (`keys.conf` in the platform config dir), from which help and footer hints are generated.
//!
//! File format, one binding per line: `action = key, key` (e.g. `quit = q, ctrl-c`); `#`
//! starts a comment. A line replaces every default key of that action.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A key with its modifiers, comparable and printable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` made orderable for a stable keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    Named(&'static str),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("backspace", KeyCode::Backspace),
    ("space", KeyCode::Char(' ')),
];

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named("space"),
            KeyCode::Char(c) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        Some(Key { code, ctrl, alt })
    }

    /// Parses `q`, `ctrl-d`, `shift-tab`, `pgdn`, `G`, `?`.
    pub fn parse(s: &str) -> Option<Key> {
        let s = s.trim();
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else if lower == "shift-tab" {
                return Some(Key {
                    code: KeyCodeOrd::Named("backtab"),
                    ctrl,
                    alt,
                });
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => KeyCodeOrd::Named(NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(rest))?.0),
        };
        Some(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::Named(n) => f.write_str(match n {
                "enter" => "Enter",
                "esc" => "Esc",
                "tab" => "Tab",
                "backtab" => "Shift-Tab",
                "up" => "↑",
                "down" => "↓",
                "left" => "←",
                "right" => "→",
                "pgup" => "PgUp",
                "pgdn" => "PgDn",
                "home" => "Home",
                "end" => "End",
                "backspace" => "Backspace",
                "space" => "Space",
                other => other,
            }),
        }
    }
}

/// Keys to actions, in both directions.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Key, Action>,
}

const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::NextPane, &["tab"]),
    (Action::PrevPane, &["shift-tab"]),
    (Action::FocusChats, &["1"]),
    (Action::FocusConversation, &["2"]),
    (Action::FocusResults, &["3"]),
    (Action::FocusStats, &["4"]),
    (Action::Down, &["j", "down"]),
    (Action::Up, &["k", "up"]),
    (Action::PageDown, &["pgdn"]),
    (Action::PageUp, &["pgup"]),
    (Action::HalfPageDown, &["ctrl-d"]),
    (Action::HalfPageUp, &["ctrl-u"]),
    (Action::First, &["g", "home"]),
    (Action::Last, &["G", "end"]),
    (Action::Search, &["/"]),
    (Action::Open, &["enter"]),
    (Action::NextMatch, &["n"]),
    (Action::PrevMatch, &["N"]),
    (Action::Stats, &["s"]),
    (Action::NextParticipant, &["]"]),
    (Action::PrevParticipant, &["["]),
    (Action::JumpToDate, &["t"]),
    (Action::ToggleAnonymize, &["a"]),
    (Action::Help, &["?"]),
    (Action::Back, &["esc"]),
    (Action::TogglePeople, &["p"]),
    (Action::SearchPerson, &["f"]),
    (Action::OpenAttachment, &["o"]),
    (Action::Quit, &["q", "ctrl-c"]),
];

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for (action, keys) in DEFAULTS {
            for k in *keys {
                if let Some(key) = Key::parse(k) {
                    bindings.insert(key, *action);
                }
            }
        }
        Keymap { bindings }
    }
}

impl Keymap {
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings.get(key).copied()
    }

    /// The keys bound to an action, in a stable order.
    pub fn keys(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// `j/↓`-style text for hints.
    pub fn keys_text(&self, action: Action) -> String {
        let keys: Vec<String> = self.keys(action).iter().map(Key::to_string).collect();
        keys.join("/")
    }

    /// The default keymap with the overrides of `text` applied; problems are returned as
    /// messages (the TUI shows them) and never stop the program.
    pub fn with_overrides(text: &str) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let Some((name, keys)) = line.split_once('=') else {
                problems.push(format!(
                    "keys.conf line {}: expected `action = key, key`",
                    n + 1
                ));
                continue;
            };
            let Some(action) = Action::from_name(name) else {
                problems.push(format!(
                    "keys.conf line {}: unknown action `{}`",
                    n + 1,
                    name.trim()
                ));
                continue;
            };
            let parsed: Vec<Key> = keys.split(',').filter_map(Key::parse).collect();
            if parsed.is_empty() {
                problems.push(format!("keys.conf line {}: no valid key", n + 1));
                continue;
            }
            map.bindings.retain(|_, a| *a != action);
            for key in parsed {
                map.bindings.insert(key, action);
            }
        }
        (map, problems)
    }

    /// Where the keymap file lives.
    pub fn config_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "whatscope")
            .map(|p| p.config_dir().join("keys.conf"))
    }

    /// The keymap from `path` if it exists, else the defaults.
    pub fn load(path: Option<&Path>) -> (Keymap, Vec<String>) {
        match path.and_then(|p| std::fs::read_to_string(p).ok()) {
            Some(text) => Keymap::with_overrides(&text),
            None => (Keymap::default(), Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_every_action() {
        let map = Keymap::default();
        for a in Action::ALL {
            assert!(!map.keys(a).is_empty(), "{a} has no key");
        }
        assert_eq!(map.action(&Key::parse("G").unwrap()), Some(Action::Last));
        assert_eq!(
            map.action(&Key::parse("ctrl-c").unwrap()),
            Some(Action::Quit)
        );
    }

    #[test]
    fn overrides_replace_and_report() {
        let (map, problems) = Keymap::with_overrides("quit = x, ctrl-q\nbogus = y\nhelp =\n# c\n");
        assert_eq!(map.action(&Key::parse("x").unwrap()), Some(Action::Quit));
        assert_eq!(map.action(&Key::parse("q").unwrap()), None);
        assert_eq!(problems.len(), 2);
    }
}
