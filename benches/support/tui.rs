//! The TUI driven synchronously, as `benches/tui.rs` does: `App::update`, the worker's
//! `Backend::handle` in this thread and `view::draw` on ratatui's `TestBackend`, so a figure
//! is the work between a key and its frame, without a terminal or the event loop's waits.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use whatscope::tui::app::{App, Effect, Event};
use whatscope::tui::keymap::Keymap;
use whatscope::tui::theme::Theme;
use whatscope::tui::worker::Backend;
use whatscope::tui::Options;

/// The terminal size every figure is drawn at.
pub const SIZE: (u16, u16) = (120, 40);

pub struct Tui {
    pub app: App,
    backend: Backend,
    term: Terminal<TestBackend>,
}

impl Tui {
    /// What happens between starting `whatscope` and its first frame, but the frame: open the
    /// archive, make the app, run its start requests (the chat list).
    pub fn open(data_dir: &Path) -> Tui {
        let archive = whatscope::ops::open(data_dir).expect("open archive");
        let mut app =
            whatscope::tui::new_app(&archive, Keymap::default(), SIZE, &Options::default())
                .expect("app");
        app.theme = Theme { color: true };
        let mut tui = Tui {
            app,
            backend: Backend::new(archive),
            term: Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal"),
        };
        let effects = tui.app.start();
        tui.run(effects);
        tui
    }

    /// Answers every request the way the worker thread would, until none is left.
    pub fn run(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                if let Effect::Request(r) = e {
                    let reply = self.backend.handle(r);
                    next.extend(self.app.update(Event::Reply(reply)));
                }
            }
            queue = next;
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        let effects = self
            .app
            .update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.run(effects);
    }

    pub fn draw(&mut self) {
        let app = &self.app;
        self.term
            .draw(|f| whatscope::tui::view::draw(app, f))
            .expect("draw");
    }

    /// Selects chat number `i` of the chat list (busiest first); returns its message count.
    pub fn select_chat(&mut self, i: usize) -> usize {
        self.key(KeyCode::Char('1'));
        let size = self
            .app
            .chats
            .as_ref()
            .and_then(|c| c.get(i))
            .map(|c| (c.messages + c.system) as usize)
            .expect("chat listed");
        self.key(KeyCode::Char('g'));
        for _ in 0..i {
            self.key(KeyCode::Char('j'));
        }
        size
    }

    /// Enter on the selected chat and its first frame; `size` is its message count.
    pub fn enter_chat(&mut self, size: usize) {
        self.key(KeyCode::Enter);
        self.draw();
        assert_eq!(self.app.conv.as_ref().map(|c| c.order.len()), Some(size));
    }

    /// Opens chat number `i` of the chat list.
    pub fn open_chat(&mut self, i: usize) {
        let size = self.select_chat(i);
        self.enter_chat(size);
    }

    /// The search as typed, in the search pane (`/` pressed before): everything but the last
    /// letter typed before (its searches superseded), then the last key, the debounce
    /// firing, the search, the frame. Returns the exact total.
    pub fn search_last_key(&mut self, query: &str) -> u64 {
        let last = query.chars().last().expect("a query");
        self.app.query = query[..query.len() - last.len_utf8()].to_string();
        let effects = self.app.update(Event::Key(KeyEvent::new(
            KeyCode::Char(last),
            KeyModifiers::NONE,
        )));
        debug_assert!(effects.iter().any(|e| matches!(e, Effect::Debounce)));
        let effects = self.app.update(Event::SearchDue);
        self.run(effects);
        self.draw();
        self.app
            .results
            .result
            .as_ref()
            .map_or(0, |r| r.total as u64)
    }
}
