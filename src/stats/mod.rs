//! Statistics of docs/statistics.md over any slice of the archive (everything, one chat, one participant,
//! the messages a query matches), computed from fast-field columns, never from stored
//! documents: the CLI's `stats` and the TUI's statistics pane both call [`compute`].
//!
//! Decisions where docs/statistics.md leaves room:
//! - `by_month` lists every month from the first counted message's month to the last one's,
//!   months without messages included (with 0), so it reads as a time line.
//! - `top_words`, `top_emojis` and `top_domains` hold the [`TOP`] most frequent entries, by
//!   count descending, then by the string ascending (byte order). A word counts once per
//!   message that uses it (see [`words`]); emoji and domains count every occurrence.
//! - `participants` are ordered by messages descending, then name ascending; `interactions`
//!   by replies descending, then `from`, then `to`.
//! - `kinds` also carries `system`, so its values sum to `messages + system`.
//! - Extra fields: `scope.participant`, `by_weekday_hour` (7 rows of 24, the heatmap),
//!   `chats` (how many chats the counted messages come from) and `notes` (how a query was
//!   read leniently; left out when empty).
//! - `per_chat` and `partners` exist only for a participant across every chat; `per_chat` is
//!   ordered by messages descending, then chat; `partners` by replies both ways descending,
//!   then person.

pub(crate) mod anonymize;
mod calendar;

mod engine;
pub mod error;
pub(crate) mod format;
mod media;
pub(crate) mod sequence;

pub use anonymize::{anonymize_stats, anonymize_stats_except, hides_per_person, per_person_hidden};
pub use engine::{compute, compute_on, compute_with_aliases, resolve_participant};
pub use error::Error;

use serde::{Deserialize, Serialize};

/// How many entries `top_words`, `top_emojis` and `top_domains` hold.
pub const TOP: usize = 20;

/// Which messages to count. Every part narrows the set; all `None` is the whole archive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// One chat, by its exact name.
    pub chat: Option<String>,
    /// The messages a query matches (the whole query language, docs/query-language.md).
    pub query: Option<String>,
    /// Only this sender's messages (exact name as exported).
    pub participant: Option<String>,
}

/// The statistics object of docs/statistics.md.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub scope: Scope,
    /// Messages with a sender, of any kind.
    pub messages: u64,
    /// Messages without a sender.
    pub system: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub active_days: u64,
    pub kinds: Kinds,
    /// Attachments per type (`image`, `voice`, …; docs/media.md), the types present only.
    #[serde(default)]
    pub media_types: std::collections::BTreeMap<String, u64>,
    pub participants: Vec<Participant>,
    pub by_hour: [u64; 24],
    /// Monday first.
    pub by_weekday: [u64; 7],
    /// Messages per weekday (rows, Monday first) and hour (columns): the heatmap.
    pub by_weekday_hour: [[u64; 24]; 7],
    pub by_month: Vec<MonthCount>,
    pub interactions: Vec<Interaction>,
    pub top_words: Vec<WordCount>,
    pub top_emojis: Vec<EmojiCount>,
    pub top_domains: Vec<DomainCount>,
    /// How many chats the counted messages come from.
    pub chats: u64,
    /// A person across every chat (`--participant` without `--chat`): their messages per
    /// chat, most first. Absent for other scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_chat: Option<Vec<ChatCount>>,
    /// A person across every chat: who they reply to and who replies to them, by person.
    /// Absent for other scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners: Option<Vec<Partner>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kinds {
    pub text: u64,
    pub media: u64,
    pub deleted: u64,
    pub poll: u64,
    pub location: u64,
    pub call: u64,
    pub hidden: u64,
    pub waiting: u64,
    /// Messages without a sender (the same number as `Stats::system`).
    pub system: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub messages: u64,
    pub words: u64,
    pub media: u64,
    pub deleted: u64,
    pub links: u64,
    pub emojis: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub sessions_started: u64,
    /// The lower median of this participant's response times, in seconds.
    pub median_response_secs: Option<u64>,
    /// Their attachments per type, as [`Stats::media_types`].
    #[serde(default)]
    pub media_types: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub messages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub from: String,
    pub to: String,
    pub replies: u64,
}

/// One chat of a person's `per_chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatCount {
    pub chat: String,
    pub messages: u64,
}

/// Someone a person exchanges replies with (docs/statistics.md, "A person across chats").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub person: String,
    /// The person's replies to this partner.
    pub replies_to: u64,
    /// This partner's replies to the person.
    pub replies_from: u64,
    /// The lower median of the times the person took to reply to this partner, in seconds.
    pub median_response_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    pub word: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiCount {
    pub emoji: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCount {
    pub domain: String,
    pub count: u64,
}
