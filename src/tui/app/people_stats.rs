//! People and statistics navigation: the people list, a person's statistics and their
//! partners, the path back, and which statistics to ask for.

use super::*;

impl App {
    /// `]`/`[`: the next or previous participant. A person's statistics walk their partners;
    /// others walk the participants.
    pub(super) fn step_participant(&mut self, forward: bool) -> Vec<Effect> {
        let n = if self.stats_person().is_some() {
            self.visible_partners().len()
        } else {
            self.visible_participants().len()
        };
        if n > 0 {
            let p = &mut self.stats.participant;
            *p = if forward {
                (*p + 1) % n
            } else {
                (*p + n - 1) % n
            };
        }
        self.focus = Pane::Stats;
        Vec::new()
    }

    /// `p`: the left pane lists people instead of chats, or chats again; it takes the focus.
    pub(super) fn toggle_people(&mut self) -> Vec<Effect> {
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
    pub(super) fn open_person(&mut self, person: String, from_partner: bool) -> Vec<Effect> {
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
    pub(super) fn back_to_previous_person(&mut self) -> Vec<Effect> {
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
    pub(super) fn search_person(&mut self) -> Vec<Effect> {
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

    pub(super) fn request_stats(&mut self) -> Vec<Effect> {
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
    pub(super) fn stats_follow_chat(&mut self, chat: &str) -> Vec<Effect> {
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
}
