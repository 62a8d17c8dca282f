//! The in-process TUI driver: an archive in a temp dir, an `App` on it, and a synchronous
//! driver that feeds key events to `App::update`, answers every request with the real
//! `Backend` at once, and draws on ratatui's `TestBackend`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use whatscope::index::archive::Archive;
use whatscope::index::writer::{self, ImportOptions};
use whatscope::tui::app::{App, Effect, Event};
use whatscope::tui::keymap::Keymap;
use whatscope::tui::theme::Theme;
use whatscope::tui::worker::{Backend, Reply, Request};
use whatscope::tui::Options;

/// A fixed archive secret, so pseudonyms (and snapshots of the anonymized view) are stable.
pub const SECRET: [u8; 32] = [7; 32];

/// The demo's participants, to check the anonymized view hides them.
pub const DEMO_NAMES: &[&str] = &[
    "Elena Rivera",
    "Marco Rivera",
    "Leo Rivera",
    "Lucía Rivera",
    "Abuela Carmen",
    "Tía Rosa",
];

pub struct Harness {
    pub app: App,
    pub backend: Backend,
    /// Set when the app asked for a debounce and `SearchDue` has not been fed yet.
    pub debounce: bool,
    /// Every request the app made, in order (for scope and id checks).
    pub requests: Vec<Request>,
    pub archive_dir: PathBuf,
    _dir: TempDir,
}

/// The files `whatscope demo` imports (`cli::tui_cmd::build_demo_archive` is private to the
/// binary's CLI module, so the harness does the same from `assets/demo/`).
pub const DEMO_FILES: &[&str] = &[
    "WhatsApp Chat with Family Rivera.txt",
    "WhatsApp Chat mit Lukas.txt",
    "WhatsApp Chat - Lisbon Cycling Club.txt",
    "Chat de WhatsApp con Coro Voces del Sur.txt",
];

/// The demo chats imported into `dir/archive`, as `whatscope demo` does.
pub fn build_demo_archive(dir: &Path) -> Archive {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports).expect("exports dir");
    let mut paths = Vec::new();
    for name in DEMO_FILES {
        let p = exports.join(name);
        std::fs::copy(assets.join(name), &p).expect("copy demo export");
        paths.push(p);
    }
    let archive = whatscope::ops::open_or_create(&dir.join("archive")).expect("archive");
    let report = writer::import(&archive, &paths, &ImportOptions::default(), &|_| false, &())
        .expect("import the demo");
    assert!(report.added > 3000, "demo imported only {}", report.added);
    archive
}

/// Writes the fixed secret before the app loads it.
fn fix_secret(archive_dir: &Path) {
    std::fs::write(
        archive_dir.join(whatscope::index::files::SECRET_FILE),
        SECRET,
    )
    .expect("write the archive secret");
}

impl Harness {
    fn with_archive(dir: TempDir, archive: Archive, keymap: Keymap, size: (u16, u16)) -> Harness {
        let archive_dir = archive.dir.clone();
        fix_secret(&archive_dir);
        let mut app =
            whatscope::tui::new_app(&archive, keymap, size, &Options::default()).expect("new_app");
        app.theme = Theme { color: false };
        let mut h = Harness {
            app,
            backend: Backend::new(archive),
            debounce: false,
            requests: Vec::new(),
            archive_dir,
            _dir: dir,
        };
        let effects = h.app.start();
        h.run(effects);
        h
    }

    /// The bundled demo chats (4 chats, ~3.6k messages).
    pub fn demo(size: (u16, u16)) -> Harness {
        Harness::demo_with_keymap(Keymap::default(), size)
    }

    pub fn demo_with_keymap(keymap: Keymap, size: (u16, u16)) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let archive = build_demo_archive(dir.path());
        Harness::with_archive(dir, archive, keymap, size)
    }

    /// An archive with nothing imported.
    pub fn empty(size: (u16, u16)) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let archive = whatscope::ops::open_or_create(&dir.path().join("archive")).expect("archive");
        Harness::with_archive(dir, archive, Keymap::default(), size)
    }

    /// Exports written under the given file names (e.g. `WhatsApp Chat with X.txt`) and
    /// imported; `chat` overrides the chat name of every file.
    pub fn from_exports(files: &[(&str, &str)], chat: Option<&str>, size: (u16, u16)) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let exports = dir.path().join("exports");
        std::fs::create_dir_all(&exports).expect("exports dir");
        let mut paths = Vec::new();
        for (name, text) in files {
            let p = exports.join(name);
            std::fs::write(&p, text).expect("write export");
            paths.push(p);
        }
        let archive = whatscope::ops::open_or_create(&dir.path().join("archive")).expect("archive");
        let opts = ImportOptions {
            chat: chat.map(str::to_string),
            ..ImportOptions::default()
        };
        let report = writer::import(&archive, &paths, &opts, &|_| false, &()).expect("import");
        for f in &report.files {
            assert!(
                f.error.is_none(),
                "import of {} failed: {:?}",
                f.path,
                f.error
            );
        }
        Harness::with_archive(dir, archive, Keymap::default(), size)
    }

    /// Files of tests/fixtures copied under export names (`(fixture, export name)`) and
    /// imported in one go.
    pub fn fixtures(files: &[(&str, &str)], size: (u16, u16)) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let exports = dir.path().join("exports");
        std::fs::create_dir_all(&exports).expect("exports dir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut paths = Vec::new();
        for (fixture, name) in files {
            let p = exports.join(name);
            std::fs::copy(src.join(fixture), &p).expect("copy fixture");
            paths.push(p);
        }
        let archive = whatscope::ops::open_or_create(&dir.path().join("archive")).expect("archive");
        let report = writer::import(&archive, &paths, &ImportOptions::default(), &|_| false, &())
            .expect("import");
        for f in &report.files {
            assert!(
                f.error.is_none(),
                "import of {} failed: {:?}",
                f.path,
                f.error
            );
        }
        Harness::with_archive(dir, archive, Keymap::default(), size)
    }

    /// Answers requests at once until none are left; remembers a debounce request.
    pub fn run(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        let mut rounds = 0;
        while !queue.is_empty() {
            rounds += 1;
            // Every reply may ask for more, but a settled app stops asking: a loop here means
            // the real event loop would keep the worker and the screen busy forever.
            assert!(
                rounds <= 100,
                "the app keeps making requests (100 rounds); last: {:?}",
                queue.iter().find_map(|e| match e {
                    Effect::Request(Request::Messages { start, end, .. }) =>
                        Some(format!("Messages {start}..{end}")),
                    Effect::Request(r) => Some(format!("{r:?}").chars().take(80).collect()),
                    _ => None,
                })
            );
            let mut next = Vec::new();
            for e in queue {
                match e {
                    Effect::Request(r) => {
                        self.requests.push(r.clone());
                        let reply = self.backend.handle(r);
                        next.extend(self.app.update(Event::Reply(reply)));
                    }
                    Effect::Debounce => self.debounce = true,
                    Effect::Quit => {}
                }
            }
            queue = next;
        }
    }

    /// Feeds one event and settles its requests (not the debounce).
    pub fn event(&mut self, event: Event) {
        let effects = self.app.update(event);
        self.run(effects);
    }

    pub fn press(&mut self, code: KeyCode) {
        self.press_mod(code, KeyModifiers::NONE);
    }

    pub fn press_mod(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.event(Event::Key(KeyEvent::new(code, mods)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.press_mod(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    /// Types each char as a key press (upper case with Shift, as terminals report it).
    pub fn typ(&mut self, text: &str) {
        for c in text.chars() {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.press_mod(KeyCode::Char(c), mods);
        }
    }

    /// The debounce delay passes: the pending search runs and its reply arrives.
    pub fn settle(&mut self) {
        if std::mem::take(&mut self.debounce) {
            self.event(Event::SearchDue);
        }
    }

    /// `/`, Ctrl-u, the query, the debounce, `Enter`: results focused.
    pub fn search(&mut self, query: &str) {
        self.press(KeyCode::Char('/'));
        self.ctrl('u');
        self.typ(query);
        self.settle();
        self.press(KeyCode::Enter);
    }

    /// Selects the chat named `chat` in the list and opens it.
    pub fn open_chat(&mut self, chat: &str) {
        self.press(KeyCode::Char('1'));
        let i = self
            .app
            .chats
            .as_ref()
            .expect("chats loaded")
            .iter()
            .position(|c| c.chat == chat)
            .unwrap_or_else(|| panic!("no chat {chat}"));
        self.press(KeyCode::Char('g'));
        for _ in 0..i {
            self.press(KeyCode::Char('j'));
        }
        self.press(KeyCode::Enter);
        assert_eq!(
            self.app.conv.as_ref().map(|c| c.order.chat.as_str()),
            Some(chat)
        );
    }

    /// The app drawn on a `TestBackend` of `w`×`h` (the app's size follows).
    pub fn buffer(&mut self, w: u16, h: u16) -> Buffer {
        if self.app.size != (w, h) {
            self.event(Event::Resize(w, h));
        }
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        term.draw(|f| whatscope::tui::view::draw(&self.app, f))
            .expect("draw");
        term.backend().buffer().clone()
    }

    /// The screen as text, one line per row, trailing spaces kept, temp and config paths
    /// replaced by placeholders.
    pub fn screen(&mut self, w: u16, h: u16) -> String {
        let buf = self.buffer(w, h);
        let text = buffer_text(&buf);
        self.scrub(&text)
    }

    fn scrub(&self, text: &str) -> String {
        let tmp = self._dir.path().display().to_string();
        let text = text.replace(&tmp, "[TMP]");
        text.lines()
            .map(mask_config_path)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    /// Sends a request of our own and returns the reply (for stale-reply tests).
    pub fn handle(&self, r: Request) -> Reply {
        self.backend.handle(r)
    }
}

/// A buffer's cells as text; wide characters take their cell and the skipped one after it.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            let sym = cell.symbol();
            out.push_str(sym);
            let w = unicode_width::UnicodeWidthStr::width(sym);
            skip = w.saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// The help overlay names the keymap file under the user's config dir: replaced by a
/// placeholder of the same width so the box keeps its shape.
fn mask_config_path(line: &str) -> String {
    const MARK: &str = " keys: ";
    let Some(at) = line.find(MARK) else {
        return line.to_string();
    };
    let start = at + MARK.len();
    let end = line[start..].find('│').map_or(line.len(), |i| start + i);
    let width = line[start..end].chars().count();
    let placeholder = "[CONFIG]/keys.conf";
    let mut masked: String = placeholder.chars().take(width).collect();
    while masked.chars().count() < width {
        masked.push(' ');
    }
    format!("{}{}{}", &line[..start], masked, &line[end..])
}

/// Rows of a screen that contain `needle`.
pub fn rows_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}
