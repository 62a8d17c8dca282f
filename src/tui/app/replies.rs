//! The worker's replies applied to the state; stale ones (not the latest request) dropped.

use super::*;

impl App {
    /// A worker reply: applied only when it answers the latest request of its kind.
    pub(super) fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        match reply {
            Reply::Chats { id, chats } => {
                if id == self.chats_latest {
                    self.chats_arrived(chats);
                }
                Vec::new()
            }
            Reply::Search { id, result } => {
                if id == self.results.latest {
                    self.search_arrived(result);
                }
                Vec::new() // a stale one: the user typed on
            }
            Reply::ChatOpened { id, order } => {
                if id != self.open_latest {
                    return Vec::new();
                }
                self.chat_opened(order)
            }
            Reply::Messages {
                id,
                start,
                messages,
            } => self.messages_arrived(id, start, messages),
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
                if id == self.people.latest {
                    self.people_arrived(people);
                }
                Vec::new()
            }
            Reply::Stats { id, stats } => {
                if id == self.stats.latest {
                    self.stats_arrived(stats);
                }
                Vec::new()
            }
            Reply::AttachmentOpened { id, opened } => self.attachment_opened(id, opened),
            Reply::ImageFitted { id, frame } => {
                self.image_fitted(id, frame);
                Vec::new()
            }
            Reply::OpenerFailed { id, program, code } => {
                self.opener_failed(id, &program, code);
                Vec::new()
            }
        }
    }

    /// The chat list came: busiest first, the selection following its chat.
    fn chats_arrived(&mut self, chats: Result<Vec<ChatSummary>, WorkerError>) {
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
    }

    /// The latest search's results came: after a reload the selection stays on its hit.
    fn search_arrived(&mut self, result: Result<SearchResult, WorkerError>) {
        self.results.searching = false;
        let keep = self.results.keep.take();
        match result {
            Ok(r) => {
                self.results.sel = match keep {
                    Some((id, sel)) => id
                        .and_then(|id| r.hits.iter().position(|h| h.message.message.id == id))
                        .unwrap_or(sel)
                        .min(r.hits.len().saturating_sub(1)),
                    None => 0,
                };
                self.results.result = Some(r);
                self.results.error = None;
            }
            Err(e) => self.results.error = Some(status_line(&e)),
        }
    }

    /// The chat being opened came: shown at its target, where the user was before a reload,
    /// or at its newest message.
    fn chat_opened(&mut self, order: Result<Arc<ChatOrder>, WorkerError>) -> Vec<Effect> {
        self.opening = None;
        if let (Some(place), Ok(order)) = (self.reopen.take(), order.as_ref()) {
            return self.reopened(Arc::clone(order), place);
        }
        self.status = None;
        let order = match order {
            Ok(order) => order,
            Err(e) => {
                self.status = Some(format!("cannot open the chat: {}", status_line(&e)));
                return Vec::new();
            }
        };
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

    /// Messages of the open conversation came (those of another chat are dropped).
    fn messages_arrived(
        &mut self,
        id: u64,
        start: usize,
        messages: Vec<StoredMessage>,
    ) -> Vec<Effect> {
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

    /// The latest statistics came.
    fn stats_arrived(&mut self, stats: Result<Box<crate::stats::Stats>, WorkerError>) {
        self.stats.loading = false;
        match stats {
            Ok(s) => {
                self.stats.stats = Some(s);
                self.stats.error = None;
            }
            Err(e) => self.stats.error = Some(status_line(&e)),
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
}
