//! The TUI's state and its one way to change: `App::update(Event) -> Vec<Effect>`. No I/O
//! here: slow work goes out as `Effect::Request` to the worker and comes back as a reply event;
//! time (debouncing) is the event loop's business.
//!
//! This file holds the state and the dispatch of events and actions; the work is split by job
//! into the submodules below (each an `impl App` block).

use super::action::Action;
use super::keymap::{Key, Keymap};
use super::layout::{self, Areas};
use super::worker::{status_line, Aliases, ChatOrder, Reply, Request, WorkerError};
use crate::index::read::{order_key, ChatSummary, StoredMessage};
use crate::index::search::SearchResult;
use crate::people::listing::PersonRow;
use crate::privacy::Pseudonyms;
use crate::stats::{Partner, Scope};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use std::collections::HashMap;
use std::sync::Arc;

mod attachment;
mod date_jump;
mod mouse;
mod names;
mod navigation;
mod people_stats;
mod replies;
mod search;

pub use attachment::{AttachmentView, ImagePopup, ANONYMIZED};
pub use names::person_of;
pub use navigation::fill_to_bottom;
pub use search::{live_query, RESULT_LIMIT};

/// The panes docs/tui.md names, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Chats,
    Conversation,
    Results,
    Stats,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Chats, Pane::Conversation, Pane::Results, Pane::Stats];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Chats => "Chats",
            Pane::Conversation => "Conversation",
            Pane::Results => "Results",
            Pane::Stats => "Statistics",
        }
    }
}

/// What the left pane lists: the chats, or the people of the archive (`p` switches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Chats,
    People,
}

/// The people pane's list (docs/people.md): one row per person, merges applied.
#[derive(Debug, Clone, Default)]
pub struct PeopleList {
    pub latest: u64,
    pub rows: Option<Vec<PersonRow>>,
    pub error: Option<String>,
    /// Selected row, in the order the pane shows ([`App::visible_people`]).
    pub sel: usize,
}

/// Where typed characters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Normal,
    Query,
    Date,
}

/// What the loop hands the app.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Reply(Reply),
    /// The debounce delay after the last keystroke in the query line has passed.
    SearchDue,
    /// Reading the terminal failed (the loop ends; the app never sees this).
    Input(Result<(), Arc<std::io::Error>>),
}

/// What the app asks of the loop.
#[derive(Debug, Clone)]
pub enum Effect {
    Request(Request),
    /// Start (or restart) the search debounce timer.
    Debounce,
    Quit,
}

/// An open conversation, paged in from the archive.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    pub order: Arc<ChatOrder>,
    pub messages: HashMap<usize, StoredMessage>,
    /// Selected message (position in the chat).
    pub sel: usize,
    /// First message drawn.
    pub top: usize,
    /// The message a search result jumped to, shown highlighted.
    pub hit: Option<usize>,
    /// Terms to highlight, and the positions of the messages matching the query.
    pub highlight: Vec<String>,
    pub matches: Vec<usize>,
    /// Positions requested and not yet arrived.
    pub pending: Option<(u64, usize, usize)>,
}

#[derive(Debug, Clone, Default)]
pub struct Results {
    pub latest: u64,
    pub result: Option<SearchResult>,
    pub sel: usize,
    pub searching: bool,
    pub error: Option<String>,
    /// After a reload: the id of the hit that was selected, and where it was, so the
    /// selection stays on it (or near it) when the results come again.
    pub keep: Option<(Option<String>, usize)>,
}

#[derive(Debug, Clone, Default)]
pub struct StatsView {
    pub latest: u64,
    pub label: String,
    pub stats: Option<Box<crate::stats::Stats>>,
    pub loading: bool,
    pub error: Option<String>,
    /// Selected participant for `]`/`[`.
    pub participant: usize,
    pub scroll: u16,
    /// What the statistics shown are of (asked again after a reload).
    pub scope: Option<crate::stats::Scope>,
    /// The person scopes jumped from (partner to partner), with the partner that was
    /// selected in each: `Esc` walks back along them.
    pub back: Vec<(crate::stats::Scope, usize)>,
}

/// Where the user was in the open conversation when the archive was reloaded.
#[derive(Debug, Clone)]
pub struct Place {
    /// Order key of the selected message (the next one is selected if it is gone).
    pub key: u64,
    /// Messages between the first one drawn and the selected one.
    pub above: usize,
    /// Whether the selected message was the search hit.
    pub hit: bool,
    pub highlight: Vec<String>,
}

pub struct App {
    pub keymap: Keymap,
    pub focus: Pane,
    /// The pane the main area shows while the chat list has the focus.
    pub last_main: Pane,
    pub input: Input,
    pub query: String,
    pub date: String,
    pub chats: Option<Vec<ChatSummary>>,
    pub chats_error: Option<String>,
    pub chat_sel: usize,
    pub chats_latest: u64,
    /// What the left pane lists.
    pub side: Side,
    pub people: PeopleList,
    pub open_latest: u64,
    /// Where to go once the chat being opened arrives: (order key, is a search hit).
    pub open_target: Option<(u64, bool)>,
    /// The chat being opened, until it arrives.
    pub opening: Option<String>,
    /// Where to put the user back once a chat reopened after a reload arrives.
    pub reopen: Option<Place>,
    pub conv: Option<Conversation>,
    pub results: Results,
    pub stats: StatsView,
    pub anonymize: bool,
    pub pseudonyms: Pseudonyms,
    pub theme: super::theme::Theme,
    pub help: bool,
    /// `o`: the image popup and the requests in flight.
    pub attachment: AttachmentView,
    pub status: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    next_id: u64,
}

impl App {
    pub fn new(keymap: Keymap, size: (u16, u16)) -> App {
        App {
            keymap,
            focus: Pane::Chats,
            last_main: Pane::Conversation,
            input: Input::Normal,
            query: String::new(),
            date: String::new(),
            chats: None,
            chats_error: None,
            chat_sel: 0,
            chats_latest: 0,
            side: Side::Chats,
            people: PeopleList::default(),
            open_latest: 0,
            open_target: None,
            opening: None,
            reopen: None,
            conv: None,
            results: Results::default(),
            stats: StatsView::default(),
            anonymize: false,
            pseudonyms: Pseudonyms::default(),
            theme: super::theme::Theme { color: true },
            help: false,
            attachment: AttachmentView::default(),
            status: None,
            size,
            quit: false,
            next_id: 1,
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The requests to make at start: the chat list.
    pub fn start(&mut self) -> Vec<Effect> {
        let id = self.id();
        self.chats_latest = id;
        vec![Effect::Request(Request::Chats { id })]
    }

    pub fn areas(&self) -> Areas {
        layout::areas(self.size, self)
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        let effects = self.dispatch(event);
        if self.focus != Pane::Chats {
            self.last_main = self.focus;
        }
        effects
    }

    fn dispatch(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.key(key),
            Event::Mouse(m) => self.mouse(m),
            Event::Resize(w, h) => {
                self.size = (w, h);
                let mut effects = self.after_move();
                effects.extend(self.refit_image());
                effects
            }
            Event::Reply(reply) => self.reply(reply),
            Event::SearchDue => self.search_now(),
            Event::Input(_) => Vec::new(),
        }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.input {
            Input::Query => return self.query_key(key),
            Input::Date => return self.date_key(key),
            Input::Normal => {}
        }
        if self.help {
            // Any key closes help; the quit keys still quit.
            self.help = false;
            let quits =
                Key::from_event(&key).and_then(|k| self.keymap.action(&k)) == Some(Action::Quit);
            return if quits {
                self.act(Action::Quit)
            } else {
                Vec::new()
            };
        }
        if self.attachment.image.is_some() {
            return self.image_key(key);
        }
        self.status = None;
        let action = Key::from_event(&key).and_then(|k| self.keymap.action(&k));
        if action != Some(Action::OpenAttachment) {
            self.forget_attachment_request();
        }
        match action {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Performs one action.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::NextPane | Action::PrevPane => self.cycle_pane(action == Action::NextPane),
            Action::FocusChats => self.focus_pane(Pane::Chats),
            Action::FocusConversation => self.focus_pane(Pane::Conversation),
            Action::FocusResults => self.focus_pane(Pane::Results),
            Action::FocusStats => self.focus_pane(Pane::Stats),
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::First
            | Action::Last => self.move_by(action),
            Action::Search => {
                self.input = Input::Query;
                Vec::new()
            }
            Action::Open => self.open(),
            Action::NextMatch | Action::PrevMatch => self.next_match(action == Action::NextMatch),
            Action::Stats => self.request_stats(),
            Action::NextParticipant | Action::PrevParticipant => {
                self.step_participant(action == Action::NextParticipant)
            }
            Action::JumpToDate => self.start_date_jump(),
            Action::ToggleAnonymize => self.toggle_anonymize(),
            Action::Help => {
                self.help = true;
                Vec::new()
            }
            Action::TogglePeople => self.toggle_people(),
            Action::SearchPerson => self.search_person(),
            Action::OpenAttachment => self.open_attachment(),
            Action::Back if self.focus == Pane::Stats && !self.stats.back.is_empty() => {
                self.back_to_previous_person()
            }
            Action::Back => self.back(),
        }
    }
}
