//! The terminal UI: browse, search and mine the archive from the keyboard.
//!
//! Architecture (STYLE.md): `App::update(Event) -> Vec<Effect>` holds every decision and does
//! no I/O; `view::draw` is a pure function of the state; slow work runs on the worker thread
//! with request ids so stale replies are dropped; the loop drains all pending input, then
//! draws at most once, and only when something changed.

pub mod action;
pub mod app;
pub mod keymap;
pub(crate) mod layout;
pub(crate) mod panes;
pub mod picture;
pub(crate) mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

use crate::index::archive::Archive;
use crate::privacy::Pseudonyms;
use app::{App, Effect, Event};
use crossterm::event::{self as term_event, Event as TermEvent, KeyEventKind};
use keymap::Keymap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use worker::{Backend, Reply, Request};

/// Pause after the last keystroke before searching: fast typists never wait on stale queries.
const DEBOUNCE: Duration = Duration::from_millis(25);

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
) -> Result<App, crate::ops::Error> {
    let mut app = App::new(keymap, size);
    let secret = crate::privacy::secret::require(&archive.dir)?;
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?;
    let people = crate::people::People::load(&archive.dir)?;
    app.pseudonyms = Pseudonyms::of_people(&secret, names.senders(), &people);
    app.anonymize = opts.anonymize;
    app.status = opts.greeting.clone();
    Ok(app)
}

/// Runs the TUI on an archive until the user quits.
pub fn run(archive: Archive, opts: Options) -> anyhow::Result<()> {
    let (keymap, problems) = Keymap::load(Keymap::config_path().as_deref());
    // The anonymized view needs the secret: say so before the screen is taken over.
    crate::privacy::secret::require(&archive.dir)?;
    let mut term = terminal::Terminal::enter()?;
    // Before the input thread starts: the terminal answers on stdin.
    let graphics = picture::Graphics::detect();
    let size = term.size();
    let mut app = new_app(&archive, keymap, size, &opts)?;
    app.theme = theme::Theme::from_env();
    if let Some(p) = problems.first() {
        app.status = Some(p.clone());
    }

    // One queue for everything that can change the screen: keys, mouse, resizes and the
    // worker's replies. The loop sleeps on it, so a reply is drawn the moment it arrives.
    let (tx, rx) = mpsc::channel::<Event>();
    let replies = tx.clone();
    // Copies of attachments handed to openers: a crashed run's are removed now, this run's
    // on quit (docs/media.md).
    let temp = std::env::temp_dir();
    crate::ops::attachment::remove_stale_copies(&temp);
    let copies = Arc::new(crate::ops::attachment::PrivateCopies::new(temp));
    let backend = Backend::new(archive).with_opening(graphics, Arc::clone(&copies));
    let requests = worker::spawn(backend, move |r: Reply| {
        replies.send(Event::Reply(r)).is_ok()
    });
    let send = |r: Request| requests.send(r).is_ok();
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx, Arc::clone(&stop));

    let mut debounce: Option<Instant> = None;
    let mut dirty = true;
    for e in app.start() {
        if let Effect::Request(r) = e {
            send(r);
        }
    }
    let result = loop {
        if terminal::terminated() {
            break Ok(());
        }
        if dirty {
            if let Err(e) = term.draw(&app) {
                break Err(e.into());
            }
            dirty = false;
        }
        let Some(events) = next_events(&rx, &mut debounce) else {
            break Ok(());
        };
        for event in events {
            if let Event::Input(Err(e)) = &event {
                // Reading the terminal failed: it is gone or broken. Dropping `term`
                // restores what can be restored.
                stop.store(true, Ordering::SeqCst);
                copies.remove();
                return Err(anyhow::Error::new(Arc::clone(e)).context("terminal"));
            }
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
        }
        if app.quit {
            break Ok(());
        }
    };
    stop.store(true, Ordering::SeqCst);
    let _ = input.join();
    copies.remove();
    term.leave()?;
    result
}

/// Waits for what can change the screen (or for the search debounce to pass), then takes
/// everything pending: the loop then draws once for all of it. `None` when every sender is
/// gone.
fn next_events(rx: &mpsc::Receiver<Event>, debounce: &mut Option<Instant>) -> Option<Vec<Event>> {
    let wait = debounce.map_or(Duration::from_millis(250), |d| {
        d.saturating_duration_since(Instant::now())
    });
    let mut events = Vec::new();
    match rx.recv_timeout(wait) {
        Ok(event) => {
            events.push(event);
            events.extend(rx.try_iter());
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {}
        Err(mpsc::RecvTimeoutError::Disconnected) => return None,
    }
    if debounce.is_some_and(|d| Instant::now() >= d) {
        *debounce = None;
        events.push(Event::SearchDue);
    }
    Some(events)
}

/// Reads the terminal on its own thread, so the loop can wait on input and replies at once.
/// Stops within 50 ms of `stop` being set, leaving stdin alone after the TUI ends.
fn spawn_input(tx: mpsc::Sender<Event>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) && !terminal::terminated() {
            match term_event::poll(Duration::from_millis(50)) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(e) => {
                    let _ = tx.send(Event::Input(Err(Arc::new(e))));
                    return;
                }
            }
            let event = match term_event::read() {
                Ok(TermEvent::Key(k)) if k.kind == KeyEventKind::Press => Event::Key(k),
                Ok(TermEvent::Mouse(m)) => Event::Mouse(m),
                Ok(TermEvent::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(e) => Event::Input(Err(Arc::new(e))),
            };
            if tx.send(event).is_err() {
                return;
            }
        }
    })
}
