//! Everything a user can ask of the TUI, as named actions: keys map to these (the keymap is
//! data), and `App::update` is the only place that interprets them.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    NextPane,
    PrevPane,
    FocusChats,
    FocusConversation,
    FocusResults,
    FocusStats,
    Down,
    Up,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    First,
    Last,
    Search,
    Open,
    NextMatch,
    PrevMatch,
    Stats,
    NextParticipant,
    PrevParticipant,
    JumpToDate,
    ToggleAnonymize,
    Help,
    Back,
    TogglePeople,
    SearchPerson,
    OpenAttachment,
}

impl Action {
    pub const ALL: [Action; 29] = [
        Action::Quit,
        Action::NextPane,
        Action::PrevPane,
        Action::FocusChats,
        Action::FocusConversation,
        Action::FocusResults,
        Action::FocusStats,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::First,
        Action::Last,
        Action::Search,
        Action::Open,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Stats,
        Action::NextParticipant,
        Action::PrevParticipant,
        Action::JumpToDate,
        Action::ToggleAnonymize,
        Action::Help,
        Action::Back,
        Action::TogglePeople,
        Action::SearchPerson,
        Action::OpenAttachment,
    ];

    /// The name used in the keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::FocusChats => "focus_chats",
            Action::FocusConversation => "focus_conversation",
            Action::FocusResults => "focus_results",
            Action::FocusStats => "focus_stats",
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::First => "first",
            Action::Last => "last",
            Action::Search => "search",
            Action::Open => "open",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Stats => "stats",
            Action::NextParticipant => "next_participant",
            Action::PrevParticipant => "prev_participant",
            Action::JumpToDate => "jump_to_date",
            Action::ToggleAnonymize => "toggle_anonymize",
            Action::Help => "help",
            Action::Back => "back",
            Action::TogglePeople => "toggle_people",
            Action::SearchPerson => "search_person",
            Action::OpenAttachment => "open_attachment",
        }
    }

    /// What it does, for the help overlay and the footer.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::FocusChats => "chats",
            Action::FocusConversation => "conversation",
            Action::FocusResults => "results",
            Action::FocusStats => "statistics",
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half page down",
            Action::HalfPageUp => "half page up",
            Action::First => "first",
            Action::Last => "last",
            Action::Search => "search",
            Action::Open => "open / jump to message",
            Action::NextMatch => "next match in chat",
            Action::PrevMatch => "previous match in chat",
            Action::Stats => "stats of chat or query",
            Action::NextParticipant => "next participant",
            Action::PrevParticipant => "previous participant",
            Action::JumpToDate => "jump to a date",
            Action::ToggleAnonymize => "anonymize names",
            Action::Help => "help",
            Action::Back => "back",
            Action::TogglePeople => "people",
            Action::SearchPerson => "search person",
            Action::OpenAttachment => "open attachment",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name.trim())
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
