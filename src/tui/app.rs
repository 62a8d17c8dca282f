//! The TUI's state and its one way to change: `App::update(Event) -> Vec<Effect>`. No I/O
//! here: slow work goes out as `Effect::Request` to the worker and comes back as a reply event;
//! time (debouncing) is the event loop's business.

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
    pub status: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
    next_id: u64,
}

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

/// Longest entry the jump-to-date prompt takes (`2024-03-15 10:30:00` and then some).
const DATE_MAX_CHARS: usize = 24;

/// The first message to draw so that the pane is filled to its last row: when the messages
/// from `top` to the end of the chat leave rows empty below them, earlier ones move in above,
/// so the newest message sits on the last row like in every chat app. `len` messages in all;
/// `height_of(p)` is the rows message `p` takes (missing ones count as one until they arrive).
pub fn fill_to_bottom(
    top: usize,
    len: usize,
    rows: usize,
    height_of: impl Fn(usize) -> usize,
) -> usize {
    // Rows the messages from `top` on take, counted only as far as the pane reaches.
    let mut used = 0;
    for p in top..len {
        used += height_of(p);
        if used >= rows {
            return top;
        }
    }
    let mut top = top;
    while top > 0 {
        let above = height_of(top - 1);
        if used + above > rows {
            break;
        }
        used += above;
        top -= 1;
    }
    top
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

    /// A chat's name as it should be shown: 1:1 chats are named after a person.
    pub fn chat_name(&self, chat: &str) -> String {
        if self.anonymize {
            self.pseudonyms.mask_chat(chat)
        } else {
            chat.to_string()
        }
    }

    /// The statistics' participants as the view may show them: none in an anonymized view
    /// of fewer than three people (docs/reliability.md, V7), where a pseudonym would hide nobody.
    pub fn visible_participants(&self) -> &[crate::stats::Participant] {
        match &self.stats.stats {
            Some(s) if !(self.anonymize && crate::stats::hides_per_person(s)) => &s.participants,
            _ => &[],
        }
    }

    /// The other names `from:` takes: the pseudonyms in the anonymized view, where they are
    /// the only names the user sees (and the queries the TUI builds use them).
    pub fn aliases(&self) -> Aliases {
        if self.anonymize {
            Arc::from(self.pseudonyms.aliases())
        } else {
            Arc::from(Vec::new())
        }
    }

    /// A name as it should be shown: itself, or its pseudonym in anonymized view.
    pub fn name<'a>(&'a self, name: &'a str) -> &'a str {
        if self.anonymize {
            self.pseudonyms.get(name)
        } else {
            name
        }
    }

    /// The people as the pane lists them, busiest first. In the anonymized view ties are
    /// ordered by pseudonym, so the order does not hint at the real names.
    pub fn visible_people(&self) -> Vec<&PersonRow> {
        let mut rows: Vec<&PersonRow> = self.people.rows.iter().flatten().collect();
        if self.anonymize {
            rows.sort_by(|a, b| {
                b.messages.cmp(&a.messages).then_with(|| {
                    self.person_shown(&a.person)
                        .cmp(self.person_shown(&b.person))
                })
            });
        }
        rows
    }

    /// A name the person shown as `display` wrote under. A merged person's display name may
    /// be one they never wrote under (`people merge --as`), which the statistics engine,
    /// `from:` and the pseudonyms do not know; any of their written names stands for all.
    pub fn written_name<'a>(&'a self, display: &'a str) -> &'a str {
        self.people
            .rows
            .iter()
            .flatten()
            .find(|r| r.person == display)
            .and_then(|r| r.names.first())
            .map_or(display, String::as_str)
    }

    /// The display name of the person who wrote under `written` (the name itself when the
    /// people list does not know it).
    pub fn display_of<'a>(&'a self, written: &'a str) -> &'a str {
        self.people
            .rows
            .iter()
            .flatten()
            .find(|r| r.names.iter().any(|n| n == written))
            .map_or(written, |r| r.person.as_str())
    }

    /// A person (by display name) as the view shows them: the display name, or the person's
    /// pseudonym in the anonymized view.
    pub fn person_shown<'a>(&'a self, display: &'a str) -> &'a str {
        if self.anonymize {
            self.pseudonyms.get(self.written_name(display))
        } else {
            display
        }
    }

    /// The name `from:` is given for a person: their pseudonym in the anonymized view, else
    /// their display name when they wrote under it, else a name they wrote under.
    fn name_for_from<'a>(&'a self, display: &'a str) -> &'a str {
        let written_as_display = self
            .people
            .rows
            .iter()
            .flatten()
            .find(|r| r.person == display)
            .is_none_or(|r| r.names.iter().any(|n| n == display));
        match (self.anonymize, written_as_display) {
            (true, _) => self.person_shown(display),
            (false, true) => display,
            (false, false) => self.written_name(display),
        }
    }

    /// The person whose statistics the pane shows across the archive, if it shows one (by a
    /// name they wrote under).
    pub fn stats_person(&self) -> Option<&str> {
        person_of(self.stats.scope.as_ref()?)
    }

    /// The partners of the person shown, in the order the pane lists them (most replies both
    /// ways first; ties by pseudonym in the anonymized view). Empty for other scopes.
    pub fn visible_partners(&self) -> Vec<&Partner> {
        let Some(stats) = self.stats.stats.as_deref() else {
            return Vec::new();
        };
        if self.stats_person().is_none() {
            return Vec::new();
        }
        let mut rows: Vec<&Partner> = stats.partners.iter().flatten().collect();
        if self.anonymize {
            rows.sort_by(|a, b| {
                (b.replies_to + b.replies_from)
                    .cmp(&(a.replies_to + a.replies_from))
                    .then_with(|| {
                        self.person_shown(&a.person)
                            .cmp(self.person_shown(&b.person))
                    })
            });
        }
        rows
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
                self.after_move()
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
        self.status = None;
        match Key::from_event(&key).and_then(|k| self.keymap.action(&k)) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    fn query_key(&mut self, key: KeyEvent) -> Vec<Effect> {
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

    fn date_key(&mut self, key: KeyEvent) -> Vec<Effect> {
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

    fn jump_to_date(&mut self) -> Vec<Effect> {
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

    /// Performs one action.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::NextPane | Action::PrevPane => {
                let i = Pane::ORDER
                    .iter()
                    .position(|p| *p == self.focus)
                    .unwrap_or(0);
                let n = Pane::ORDER.len();
                let next = if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus = Pane::ORDER[next];
                self.after_move()
            }
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
                // A person's statistics walk their partners; others walk the participants.
                let n = if self.stats_person().is_some() {
                    self.visible_partners().len()
                } else {
                    self.visible_participants().len()
                };
                if n > 0 {
                    let p = &mut self.stats.participant;
                    *p = if action == Action::NextParticipant {
                        (*p + 1) % n
                    } else {
                        (*p + n - 1) % n
                    };
                }
                self.focus = Pane::Stats;
                Vec::new()
            }
            Action::JumpToDate => {
                if self.conv.is_some() {
                    self.input = Input::Date;
                    self.date.clear();
                } else {
                    self.status = Some("open a chat first (Enter on a chat)".into());
                }
                Vec::new()
            }
            Action::ToggleAnonymize => {
                // The people list is ordered by the names shown: keep the selected person.
                let selected = self
                    .visible_people()
                    .get(self.people.sel)
                    .map(|p| p.person.clone());
                self.anonymize = !self.anonymize;
                if let Some(i) = selected
                    .and_then(|name| self.visible_people().iter().position(|p| p.person == name))
                {
                    self.people.sel = i;
                }
                self.status = Some(if self.anonymize {
                    "anonymized view: names are pseudonyms".into()
                } else {
                    "real names shown".into()
                });
                Vec::new()
            }
            Action::Help => {
                self.help = true;
                Vec::new()
            }
            Action::TogglePeople => self.toggle_people(),
            Action::SearchPerson => self.search_person(),
            Action::Back if self.focus == Pane::Stats && !self.stats.back.is_empty() => {
                self.back_to_previous_person()
            }
            Action::Back => {
                if self.conv.as_ref().is_some_and(|c| !c.highlight.is_empty())
                    && self.focus == Pane::Conversation
                {
                    if let Some(c) = self.conv.as_mut() {
                        c.highlight.clear();
                        c.matches.clear();
                        c.hit = None;
                    }
                } else {
                    self.focus = match self.focus {
                        Pane::Chats => Pane::Chats,
                        _ if self.conv.is_some() && self.focus != Pane::Conversation => {
                            Pane::Conversation
                        }
                        _ => Pane::Chats,
                    };
                }
                Vec::new()
            }
        }
    }

    /// `p`: the left pane lists people instead of chats, or chats again; it takes the focus.
    fn toggle_people(&mut self) -> Vec<Effect> {
        self.focus = Pane::Chats;
        self.side = match self.side {
            Side::Chats => Side::People,
            Side::People => Side::Chats,
        };
        if self.side == Side::Chats {
            return Vec::new();
        }
        // Asked each time: merges made by `people merge` meanwhile show at once.
        let id = self.id();
        self.people.latest = id;
        vec![Effect::Request(Request::People { id })]
    }

    /// Opens a person's statistics across the archive. A jump from a partner keeps the path
    /// (`from_partner`); opening one from the people list starts a new one.
    fn open_person(&mut self, person: String, from_partner: bool) -> Vec<Effect> {
        if from_partner {
            if let Some(scope) = self.stats.scope.clone() {
                self.stats.back.push((scope, self.stats.participant));
            }
        } else {
            self.stats.back.clear();
        }
        self.focus = Pane::Stats;
        let label = format!("person: {person}");
        let written = self.written_name(&person).to_string();
        self.ask_stats(
            Scope {
                participant: Some(written),
                ..Default::default()
            },
            label,
        )
    }

    /// `Esc` in a person's statistics reached through partners: the previous person again,
    /// with the partner that was selected there.
    fn back_to_previous_person(&mut self) -> Vec<Effect> {
        let Some((scope, selected)) = self.stats.back.pop() else {
            return Vec::new();
        };
        let label = format!("person: {}", person_of(&scope).unwrap_or_default());
        let effects = self.ask_stats(scope, label);
        self.stats.participant = selected;
        effects
    }

    /// `f`: searches the messages of the person shown (or selected in the people pane), by the
    /// name the view shows (`from:` selects every name of a merged person, and a pseudonym in
    /// the anonymized view).
    fn search_person(&mut self) -> Vec<Effect> {
        let person = if self.focus == Pane::Chats && self.side == Side::People {
            self.visible_people()
                .get(self.people.sel)
                .map(|p| p.person.clone())
        } else {
            self.stats_person()
                .map(|written| self.display_of(written).to_string())
        };
        let Some(person) = person else {
            self.status = Some(format!(
                "pick a person first ({} lists the people, Enter opens one)",
                self.keymap.keys_text(Action::TogglePeople)
            ));
            return Vec::new();
        };
        self.query = format!("from:\"{}\"", self.name_for_from(&person));
        self.focus = Pane::Results;
        self.search_now()
    }

    fn focus_pane(&mut self, pane: Pane) -> Vec<Effect> {
        self.focus = pane;
        if pane == Pane::Stats && self.stats.stats.is_none() && !self.stats.loading {
            return self.request_stats();
        }
        self.after_move()
    }

    /// Rows a page holds in the focused pane.
    fn page(&self) -> usize {
        let a = self.areas();
        usize::from(a.main.height.saturating_sub(2)).max(1)
    }

    fn move_by(&mut self, action: Action) -> Vec<Effect> {
        let page = self.page();
        let step = |sel: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            let last = len - 1;
            match action {
                Action::Down => (sel + 1).min(last),
                Action::Up => sel.saturating_sub(1),
                Action::PageDown => (sel + page).min(last),
                Action::PageUp => sel.saturating_sub(page),
                Action::HalfPageDown => (sel + page / 2).min(last),
                Action::HalfPageUp => sel.saturating_sub(page / 2),
                Action::First => 0,
                Action::Last => last,
                _ => sel,
            }
        };
        match self.focus {
            Pane::Chats if self.side == Side::People => {
                let len = self.people.rows.as_ref().map_or(0, Vec::len);
                self.people.sel = step(self.people.sel, len);
            }
            Pane::Chats => {
                let len = self.chats.as_ref().map_or(0, Vec::len);
                self.chat_sel = step(self.chat_sel, len);
            }
            Pane::Results => {
                let len = self.results.result.as_ref().map_or(0, |r| r.hits.len());
                self.results.sel = step(self.results.sel, len);
            }
            Pane::Conversation => {
                if let Some(c) = self.conv.as_mut() {
                    c.sel = step(c.sel, c.order.len());
                }
            }
            Pane::Stats => {
                let s = &mut self.stats.scroll;
                *s = match action {
                    Action::Down => s.saturating_add(1),
                    Action::Up => s.saturating_sub(1),
                    Action::PageDown | Action::HalfPageDown => s.saturating_add(page as u16 / 2),
                    Action::PageUp | Action::HalfPageUp => s.saturating_sub(page as u16 / 2),
                    Action::First => 0,
                    Action::Last => u16::MAX / 2,
                    _ => *s,
                };
            }
        }
        self.after_move()
    }

    /// Keeps the selection visible and asks for the messages about to be drawn.
    fn after_move(&mut self) -> Vec<Effect> {
        let width = self.areas().main.width.saturating_sub(2);
        let height = usize::from(self.areas().main.height.saturating_sub(2));
        let Some(conv) = self.conv.as_ref() else {
            return Vec::new();
        };
        if conv.order.is_empty() {
            return Vec::new();
        }
        // Scroll down until the selected message ends inside the pane (heights need the
        // messages; missing ones count as one line until they arrive).
        let mut top = conv.top.min(conv.sel);
        loop {
            let used: usize = (top..=conv.sel)
                .map(|p| layout::message_height(self, conv, p, width))
                .sum();
            if used <= height.max(1) || top >= conv.sel {
                break;
            }
            top += 1;
        }
        let top = fill_to_bottom(top, conv.order.len(), height.max(1), |p| {
            layout::message_height(self, conv, p, width)
        });
        let Some(conv) = self.conv.as_mut() else {
            return Vec::new();
        };
        conv.top = top;
        let start = conv.top.saturating_sub(height);
        let end = (conv.top + height * 2 + 1).min(conv.order.len());
        // Forget what is far away: memory stays flat however long the chat.
        let keep = start.min(conv.top.saturating_sub(height * 4))..end.max(conv.top + height * 6);
        conv.messages.retain(|p, _| keep.contains(p));
        // Ask only for what is missing: after a page down most of the window is cached.
        let first_missing = (start..end).find(|p| !conv.messages.contains_key(p));
        let last_missing = (start..end).rev().find(|p| !conv.messages.contains_key(p));
        let (start, end) = match (first_missing, last_missing) {
            (Some(a), Some(b)) => (a, b + 1),
            _ => (start, start),
        };
        let missing = start < end;
        let pending_covers = conv.pending.is_some_and(|(_, s, e)| s <= start && e >= end);
        if missing && !pending_covers {
            self.next_id += 1;
            let id = self.next_id;
            let conv = self.conv.as_mut().expect("checked above");
            conv.pending = Some((id, start, end));
            return vec![Effect::Request(Request::Messages {
                id,
                order: Arc::clone(&conv.order),
                start,
                end,
            })];
        }
        Vec::new()
    }

    fn open(&mut self) -> Vec<Effect> {
        match self.focus {
            Pane::Chats if self.side == Side::People => {
                let Some(person) = self
                    .visible_people()
                    .get(self.people.sel)
                    .map(|p| p.person.clone())
                else {
                    return Vec::new();
                };
                self.open_person(person, false)
            }
            Pane::Stats if self.stats_person().is_some() => {
                // Enter on a partner opens the partner's statistics.
                let Some(partner) = self
                    .visible_partners()
                    .get(self.stats.participant)
                    .map(|p| p.person.clone())
                else {
                    return Vec::new();
                };
                self.open_person(partner, true)
            }
            Pane::Chats => {
                let Some(chat) = self.chats.as_ref().and_then(|c| c.get(self.chat_sel)) else {
                    return Vec::new();
                };
                let chat = chat.chat.clone();
                self.open_target = None;
                self.open_chat(chat)
            }
            Pane::Results => {
                let Some(hit) = self
                    .results
                    .result
                    .as_ref()
                    .and_then(|r| r.hits.get(self.results.sel))
                else {
                    return Vec::new();
                };
                let key = order_key(hit.message.secs, hit.message.line);
                let chat = hit.message.message.chat.clone();
                if self.conv.as_ref().is_some_and(|c| c.order.chat == chat) {
                    self.open_target = Some((key, true));
                    return self.go_to_target();
                }
                self.open_target = Some((key, true));
                self.open_chat(chat)
            }
            Pane::Stats => {
                // Enter on a participant searches their messages.
                // By the name the view shows: a pseudonym in the anonymized view.
                let Some(name) = self
                    .visible_participants()
                    .get(self.stats.participant)
                    .map(|p| self.name(&p.name).to_string())
                else {
                    return Vec::new();
                };
                self.query = format!("from:\"{name}\"");
                self.focus = Pane::Results;
                self.search_now()
            }
            Pane::Conversation => Vec::new(),
        }
    }

    fn open_chat(&mut self, chat: String) -> Vec<Effect> {
        let id = self.id();
        self.open_latest = id;
        self.reopen = None;
        self.status = Some(format!("opening {}…", self.chat_name(&chat)));
        self.opening = Some(chat.clone());
        vec![Effect::Request(Request::OpenChat { id, chat })]
    }

    /// Another process changed the archive and the worker now reads the new state: ask again
    /// for everything shown, keeping the user's place (the selected chat, message and hit,
    /// the query and its selected result, the statistics and their scroll).
    fn reloaded(&mut self, pseudonyms: Option<Box<Pseudonyms>>) -> Vec<Effect> {
        if let Some(p) = pseudonyms {
            self.pseudonyms = *p;
        }
        let id = self.id();
        self.chats_latest = id;
        let mut effects = vec![Effect::Request(Request::Chats { id })];
        if self.side == Side::People {
            let id = self.id();
            self.people.latest = id;
            effects.push(Effect::Request(Request::People { id }));
        }
        if let Some(chat) = self.opening.clone() {
            // A chat was being opened: it may have come from the old state, so ask again.
            let id = self.id();
            self.open_latest = id;
            effects.push(Effect::Request(Request::OpenChat { id, chat }));
        } else if let Some(conv) = self.conv.as_ref() {
            self.reopen = Some(Place {
                key: conv.order.keys.get(conv.sel).copied().unwrap_or(u64::MAX),
                above: conv.sel.saturating_sub(conv.top),
                hit: conv.hit == Some(conv.sel),
                highlight: conv.highlight.clone(),
            });
            let chat = conv.order.chat.clone();
            let id = self.id();
            self.open_latest = id;
            effects.push(Effect::Request(Request::OpenChat { id, chat }));
        }
        if !self.query.trim().is_empty() {
            let selected = self
                .results
                .result
                .as_ref()
                .and_then(|r| r.hits.get(self.results.sel))
                .map(|h| h.message.message.id.clone());
            let keep = (selected, self.results.sel);
            effects.extend(self.search_now());
            self.results.keep = Some(keep);
        }
        if let (Some(scope), Some(_)) = (self.stats.scope.clone(), self.stats.stats.as_ref()) {
            let id = self.id();
            self.stats.latest = id;
            self.stats.loading = true;
            effects.push(Effect::Request(Request::Stats {
                id,
                scope,
                aliases: self.aliases(),
            }));
        }
        effects
    }

    /// A chat reopened after a reload, shown where the user was.
    fn reopened(&mut self, order: Arc<ChatOrder>, place: Place) -> Vec<Effect> {
        let sel = order.nearest(place.key);
        let query = live_query(&self.query);
        let matches_wanted = !place.highlight.is_empty() && !query.trim().is_empty();
        self.conv = Some(Conversation {
            sel,
            top: sel.saturating_sub(place.above),
            hit: (place.hit && !order.is_empty()).then_some(sel),
            highlight: place.highlight,
            order: Arc::clone(&order),
            ..Conversation::default()
        });
        let mut effects = self.after_move();
        if matches_wanted {
            // The matches' positions moved with the messages: ask where they are now.
            let id = self.id();
            effects.push(Effect::Request(Request::ChatMatches {
                id,
                order,
                query,
                aliases: self.aliases(),
            }));
        }
        effects
    }

    /// Moves the open conversation to its target (a search hit), and asks where the query's
    /// other matches are for `n`/`N`.
    fn go_to_target(&mut self) -> Vec<Effect> {
        let Some((key, is_hit)) = self.open_target.take() else {
            return self.after_move();
        };
        let query = live_query(&self.query);
        self.next_id += 1;
        let id = self.next_id;
        let Some(conv) = self.conv.as_mut() else {
            return Vec::new();
        };
        let pos = conv.order.nearest(key);
        conv.sel = pos;
        // Context: the hit sits a third of the way down the pane.
        conv.top = pos.saturating_sub(usize::from(self.size.1 / 6));
        conv.hit = is_hit.then_some(pos);
        self.focus = Pane::Conversation;
        let mut effects = self.after_move();
        if is_hit && !query.trim().is_empty() {
            if let Some(conv) = self.conv.as_ref() {
                effects.push(Effect::Request(Request::ChatMatches {
                    id,
                    order: Arc::clone(&conv.order),
                    query,
                    aliases: self.aliases(),
                }));
            }
        }
        effects
    }

    fn next_match(&mut self, forward: bool) -> Vec<Effect> {
        let Some(conv) = self.conv.as_mut() else {
            return Vec::new();
        };
        if conv.matches.is_empty() {
            self.status =
                Some("no matches in this chat (search with /, then Enter on a result)".into());
            return Vec::new();
        }
        let next = if forward {
            conv.matches
                .iter()
                .find(|p| **p > conv.sel)
                .or(conv.matches.first())
        } else {
            conv.matches
                .iter()
                .rev()
                .find(|p| **p < conv.sel)
                .or(conv.matches.last())
        };
        if let Some(p) = next.copied() {
            let n = conv.matches.iter().position(|m| *m == p).unwrap_or(0) + 1;
            let total = conv.matches.len();
            conv.sel = p;
            conv.hit = Some(p);
            self.status = Some(format!("match {n} of {total}"));
        }
        self.focus = Pane::Conversation;
        self.after_move()
    }

    fn request_stats(&mut self) -> Vec<Effect> {
        let query = self.query.trim().to_string();
        let (scope, label) = if self.focus == Pane::Results && !query.is_empty() {
            (
                crate::stats::Scope {
                    query: Some(query.clone()),
                    ..Default::default()
                },
                format!("query: {query}"),
            )
        } else if let Some(conv) = self.conv.as_ref() {
            (
                crate::stats::Scope {
                    chat: Some(conv.order.chat.clone()),
                    ..Default::default()
                },
                format!("chat: {}", conv.order.chat),
            )
        } else if !query.is_empty() {
            (
                crate::stats::Scope {
                    query: Some(query.clone()),
                    ..Default::default()
                },
                format!("query: {query}"),
            )
        } else {
            (
                crate::stats::Scope::default(),
                "the whole archive".to_string(),
            )
        };
        self.focus = Pane::Stats;
        // Another kind of statistics: the path of people jumped through ends here.
        self.stats.back.clear();
        self.ask_stats(scope, label)
    }

    /// Asks for the statistics of `scope`, shown under `label`. Figures of another scope go
    /// at once: the pane never shows one chat's figures under another's name.
    fn ask_stats(&mut self, scope: crate::stats::Scope, label: String) -> Vec<Effect> {
        if self.stats.scope.as_ref() != Some(&scope) {
            self.stats.stats = None;
            self.stats.error = None;
        }
        let id = self.id();
        self.stats.latest = id;
        self.stats.loading = true;
        self.stats.label = label;
        self.stats.participant = 0;
        self.stats.scroll = 0;
        self.stats.scope = Some(scope.clone());
        vec![Effect::Request(Request::Stats {
            id,
            scope,
            aliases: self.aliases(),
        })]
    }

    /// Another chat was opened: statistics of the previous chat follow to the new one.
    fn stats_follow_chat(&mut self, chat: &str) -> Vec<Effect> {
        let of_another_chat = self
            .stats
            .scope
            .as_ref()
            .and_then(|s| s.chat.as_deref())
            .is_some_and(|c| c != chat);
        if !of_another_chat {
            return Vec::new();
        }
        let scope = crate::stats::Scope {
            chat: Some(chat.to_string()),
            ..Default::default()
        };
        self.ask_stats(scope, format!("chat: {chat}"))
    }

    fn search_now(&mut self) -> Vec<Effect> {
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

    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        match reply {
            Reply::Chats { id, chats } => {
                if id != self.chats_latest {
                    return Vec::new();
                }
                match chats {
                    Ok(mut chats) => {
                        // Busiest chats first: that is where people look.
                        chats.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.chat.cmp(&b.chat)));
                        // The selection follows its chat when the list changes under it.
                        let selected = self
                            .chats
                            .as_ref()
                            .and_then(|c| c.get(self.chat_sel))
                            .map(|c| c.chat.clone());
                        self.chat_sel = selected
                            .and_then(|name| chats.iter().position(|c| c.chat == name))
                            .unwrap_or(self.chat_sel)
                            .min(chats.len().saturating_sub(1));
                        self.chats = Some(chats);
                        self.chats_error = None;
                    }
                    Err(e) => self.chats_error = Some(status_line(&e)),
                }
                Vec::new()
            }
            Reply::Search { id, result } => {
                if id != self.results.latest {
                    return Vec::new(); // stale: the user typed on
                }
                self.results.searching = false;
                let keep = self.results.keep.take();
                match result {
                    Ok(r) => {
                        self.results.sel = match keep {
                            Some((id, sel)) => id
                                .and_then(|id| {
                                    r.hits.iter().position(|h| h.message.message.id == id)
                                })
                                .unwrap_or(sel)
                                .min(r.hits.len().saturating_sub(1)),
                            None => 0,
                        };
                        self.results.result = Some(r);
                        self.results.error = None;
                    }
                    Err(e) => self.results.error = Some(status_line(&e)),
                }
                Vec::new()
            }
            Reply::ChatOpened { id, order } => {
                if id != self.open_latest {
                    return Vec::new();
                }
                self.opening = None;
                if let (Some(place), Ok(order)) = (self.reopen.take(), order.as_ref()) {
                    return self.reopened(Arc::clone(order), place);
                }
                self.status = None;
                match order {
                    Ok(order) => {
                        let mut effects = self.stats_follow_chat(&order.chat);
                        let last = order.len().saturating_sub(1);
                        self.conv = Some(Conversation {
                            order,
                            sel: last,
                            top: last,
                            ..Conversation::default()
                        });
                        self.focus = Pane::Conversation;
                        if self.open_target.is_some() {
                            effects.extend(self.go_to_target());
                            return effects;
                        }
                        // A chat opens at its newest message, like the app.
                        let h = usize::from(self.size.1);
                        if let Some(c) = self.conv.as_mut() {
                            c.top = c.top.saturating_sub(h);
                        }
                        effects.extend(self.after_move());
                        effects
                    }
                    Err(e) => {
                        self.status = Some(format!("cannot open the chat: {}", status_line(&e)));
                        Vec::new()
                    }
                }
            }
            Reply::Messages {
                id,
                start,
                messages,
            } => {
                let Some(conv) = self.conv.as_mut() else {
                    return Vec::new();
                };
                if conv.pending.is_some_and(|(p, _, _)| p == id) {
                    conv.pending = None;
                }
                for (i, m) in messages.into_iter().enumerate() {
                    if m.message.chat == conv.order.chat {
                        conv.messages.insert(start + i, m);
                    }
                }
                // Heights are known now: the selection may need the pane to scroll.
                self.after_move()
            }
            Reply::ChatMatches {
                id: _,
                positions,
                highlight,
            } => {
                if let Some(conv) = self.conv.as_mut() {
                    conv.matches = positions;
                    conv.highlight = highlight;
                }
                Vec::new()
            }
            Reply::Reloaded { pseudonyms } => self.reloaded(pseudonyms),
            Reply::People { id, people } => {
                if id != self.people.latest {
                    return Vec::new();
                }
                self.people_arrived(people);
                Vec::new()
            }
            Reply::Stats { id, stats } => {
                if id != self.stats.latest {
                    return Vec::new();
                }
                self.stats.loading = false;
                match stats {
                    Ok(s) => {
                        self.stats.stats = Some(s);
                        self.stats.error = None;
                    }
                    Err(e) => self.stats.error = Some(status_line(&e)),
                }
                Vec::new()
            }
        }
    }

    /// The people list came: the selection stays on its person when the list changes.
    fn people_arrived(&mut self, people: Result<Vec<PersonRow>, WorkerError>) {
        match people {
            Ok(rows) => {
                let selected = self
                    .visible_people()
                    .get(self.people.sel)
                    .map(|p| p.person.clone());
                self.people.rows = Some(rows);
                self.people.error = None;
                let visible = self.visible_people();
                self.people.sel = selected
                    .and_then(|name| visible.iter().position(|p| p.person == name))
                    .unwrap_or(self.people.sel)
                    .min(visible.len().saturating_sub(1));
            }
            Err(e) => self.people.error = Some(status_line(&e)),
        }
    }

    fn mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let a = self.areas();
        let inside = |r: ratatui::layout::Rect| {
            m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
        };
        let pane_at = if inside(a.chats) {
            Some(Pane::Chats)
        } else if inside(a.main) {
            Some(layout::main_pane(self))
        } else {
            None
        };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let Some(pane) = pane_at else {
                    return Vec::new();
                };
                let before = self.focus;
                self.focus = pane;
                let action = if m.kind == MouseEventKind::ScrollDown {
                    Action::Down
                } else {
                    Action::Up
                };
                let mut effects = Vec::new();
                for _ in 0..3 {
                    effects.extend(self.move_by(action));
                }
                if pane != before && pane == Pane::Chats {
                    self.focus = before;
                }
                effects
            }
            MouseEventKind::Down(_) => {
                if inside(a.query) {
                    self.input = Input::Query;
                    return Vec::new();
                }
                if let Some(pane) = pane_at {
                    self.focus = pane;
                    if pane == Pane::Chats {
                        let row = usize::from(m.row.saturating_sub(a.chats.y + 1));
                        let (sel, len) = match self.side {
                            Side::Chats => (self.chat_sel, self.chats.as_ref().map_or(0, Vec::len)),
                            Side::People => (
                                self.people.sel,
                                self.people.rows.as_ref().map_or(0, Vec::len),
                            ),
                        };
                        let first =
                            layout::list_offset(sel, usize::from(a.chats.height.saturating_sub(2)));
                        if first + row < len {
                            match self.side {
                                Side::Chats => self.chat_sel = first + row,
                                Side::People => self.people.sel = first + row,
                            }
                        }
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

/// The person a scope is of, when it is one person across the whole archive.
pub fn person_of(scope: &Scope) -> Option<&str> {
    match scope {
        Scope {
            participant: Some(person),
            chat: None,
            query: None,
        } => Some(person),
        _ => None,
    }
}
