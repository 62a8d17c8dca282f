//! Names as the view shows them: real or pseudonyms, people's display and written names,
//! and the participants and partners the statistics pane may list.

use super::*;

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

impl App {
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
    pub(super) fn name_for_from<'a>(&'a self, display: &'a str) -> &'a str {
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

    /// Switches between real names and pseudonyms. The people list is ordered by the names
    /// shown: the selected person stays selected.
    pub(super) fn toggle_anonymize(&mut self) -> Vec<Effect> {
        let selected = self
            .visible_people()
            .get(self.people.sel)
            .map(|p| p.person.clone());
        self.anonymize = !self.anonymize;
        if let Some(i) =
            selected.and_then(|name| self.visible_people().iter().position(|p| p.person == name))
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
}
