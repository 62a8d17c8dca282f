//! The terminal UI: browse, search and mine the archive from the keyboard.
//!
//! Architecture (STYLE.md): `App::update(Event) -> Vec<Effect>` holds every decision and does
//! no I/O; `view::draw` is a pure function of the state; slow work runs on the worker thread
//! with request ids so stale replies are dropped; the loop drains all pending input, then
//! draws at most once, and only when something changed.

pub mod action;
pub mod app;
pub mod keymap;
pub mod layout;
pub mod panes;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

use crate::error::UserError;
use crate::index::archive::Archive;
use crate::privacy::Pseudonyms;
use app::{App, Effect, Event};
use crossterm::event::{self as term_event, Event as TermEvent, KeyEventKind};
use keymap::Keymap;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use worker::{Backend, Reply, Request};

/// Pause after the last keystroke before searching: fast typists never wait on stale queries.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Options of a TUI session.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Start in anonymized view.
    pub anonymize: bool,
    /// A message shown in the footer at start (e.g. the demo's welcome).
    pub greeting: Option<String>,
}

/// The app with the pseudonyms of the archive's participants loaded.
pub fn new_app(
    archive: &Archive,
    keymap: Keymap,
    size: (u16, u16),
    opts: &Options,
) -> Result<App, UserError> {
    let mut app = App::new(keymap, size);
    let secret = crate::privacy::secret::load_or_create(&archive.dir)?;
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::read::err)?;
    app.pseudonyms = Pseudonyms::new(&secret, names.senders());
    app.anonymize = opts.anonymize;
    app.status = opts.greeting.clone();
    Ok(app)
}

/// Runs the TUI on an archive until the user quits.
pub fn run(archive: Archive, opts: Options) -> Result<(), UserError> {
    let (keymap, problems) = Keymap::load(Keymap::config_path().as_deref());
    let mut term = terminal::Terminal::enter()?;
    let size = term.size();
    let mut app = new_app(&archive, keymap, size, &opts)?;
    app.theme = theme::Theme::from_env();
    if let Some(p) = problems.first() {
        app.status = Some(p.clone());
    }

    let (reply_tx, reply_rx) = mpsc::channel::<Reply>();
    let requests = worker::spawn(Backend::new(archive), reply_tx);
    let send = |r: Request| requests.send(r).is_ok();

    let mut debounce: Option<Instant> = None;
    let mut dirty = true;
    let effects = app.start();
    for e in effects {
        if let Effect::Request(r) = e {
            send(r);
        }
    }
    loop {
        if terminal::terminated() {
            break;
        }
        if dirty {
            term.draw(&app)?;
            dirty = false;
        }
        // Sleep until input, a reply, or the debounce deadline; never spin while idle.
        let wait = debounce.map_or(Duration::from_millis(250), |d| {
            d.saturating_duration_since(Instant::now())
        });
        let mut events = Vec::new();
        if term_event::poll(wait.min(Duration::from_millis(250))).map_err(io)? {
            while term_event::poll(Duration::ZERO).map_err(io)? && !terminal::terminated() {
                match term_event::read().map_err(io)? {
                    TermEvent::Key(k) if k.kind == KeyEventKind::Press => {
                        events.push(Event::Key(k))
                    }
                    TermEvent::Mouse(m) => events.push(Event::Mouse(m)),
                    TermEvent::Resize(w, h) => events.push(Event::Resize(w, h)),
                    _ => {}
                }
            }
        }
        events.extend(reply_rx.try_iter().map(Event::Reply));
        if debounce.is_some_and(|d| Instant::now() >= d) {
            debounce = None;
            events.push(Event::SearchDue);
        }
        for event in events {
            dirty = true;
            for effect in app.update(event) {
                match effect {
                    Effect::Request(r) => {
                        send(r);
                    }
                    Effect::Debounce => debounce = Some(Instant::now() + DEBOUNCE),
                    Effect::Quit => {}
                }
            }
            if app.quit {
                return term.leave();
            }
        }
        // Replies can arrive while we slept on input: pick them up without another wait.
        if !dirty {
            let late: Vec<Reply> = reply_rx.try_iter().collect();
            for r in late {
                dirty = true;
                for effect in app.update(Event::Reply(r)) {
                    if let Effect::Request(r) = effect {
                        send(r);
                    }
                }
            }
        }
    }
    term.leave()
}

fn io(e: std::io::Error) -> UserError {
    UserError::new(format!("terminal: {e}"))
}
