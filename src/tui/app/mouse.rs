//! Mouse input: the wheel scrolls the pane under it, a click focuses and selects.

use super::*;

impl App {
    pub(super) fn mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
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
