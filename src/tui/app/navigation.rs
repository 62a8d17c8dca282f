//! Moving around: focus, selection and scrolling per pane, opening chats and hits, and
//! asking for the messages about to be drawn.

use super::*;

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
    /// Tab / Shift-Tab: the next or previous pane in [`Pane::ORDER`].
    pub(super) fn cycle_pane(&mut self, forward: bool) -> Vec<Effect> {
        let i = Pane::ORDER
            .iter()
            .position(|p| *p == self.focus)
            .unwrap_or(0);
        let n = Pane::ORDER.len();
        let next = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.focus = Pane::ORDER[next];
        self.after_move()
    }

    /// `Esc`: clears the conversation's highlights, else steps back towards the chat list.
    pub(super) fn back(&mut self) -> Vec<Effect> {
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
                _ if self.conv.is_some() && self.focus != Pane::Conversation => Pane::Conversation,
                _ => Pane::Chats,
            };
        }
        Vec::new()
    }

    pub(super) fn focus_pane(&mut self, pane: Pane) -> Vec<Effect> {
        self.focus = pane;
        if pane == Pane::Stats && self.stats.stats.is_none() && !self.stats.loading {
            return self.request_stats();
        }
        self.after_move()
    }

    /// Rows a page holds in the focused pane.
    pub(super) fn page(&self) -> usize {
        let a = self.areas();
        usize::from(a.main.height.saturating_sub(2)).max(1)
    }

    pub(super) fn move_by(&mut self, action: Action) -> Vec<Effect> {
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
    pub(super) fn after_move(&mut self) -> Vec<Effect> {
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

    pub(super) fn open(&mut self) -> Vec<Effect> {
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

    pub(super) fn open_chat(&mut self, chat: String) -> Vec<Effect> {
        let id = self.id();
        self.open_latest = id;
        self.reopen = None;
        self.status = Some(format!("opening {}…", self.chat_name(&chat)));
        self.opening = Some(chat.clone());
        vec![Effect::Request(Request::OpenChat { id, chat })]
    }

    /// Moves the open conversation to its target (a search hit), and asks where the query's
    /// other matches are for `n`/`N`.
    pub(super) fn go_to_target(&mut self) -> Vec<Effect> {
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

    pub(super) fn next_match(&mut self, forward: bool) -> Vec<Effect> {
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
}
