//! Sessions, response times and interactions (docs/statistics.md): figures that depend on the message
//! before, so they are worked out on a whole chat in time order, system messages skipped,
//! and then counted only for the messages the scope selected.

/// A new session starts after this long a silence (or at a chat's first message).
pub const SESSION_GAP_SECS: i64 = 60 * 60;

/// One non-system message of a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Time order: `read::order_key(ts, line)`, the time in its top bits.
    pub key: u64,
    pub sender: u32,
    pub selected: bool,
}

/// What a selected message contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The message starts a session: its sender started it.
    SessionStart,
    /// The message answers `to` (another sender) within the session, after `secs`.
    Reply { to: u32, secs: i64 },
    /// Same session, same sender as the message before.
    Continues,
}

/// Seconds of a key made by `read::order_key`.
pub fn key_secs(key: u64) -> i64 {
    (key >> 24) as i64 - (1 << 38)
}

/// A chat's entries laid out from two segments (`starts`: where each segment's run begins;
/// empty runs allowed), each run already in time order, merged into `out` in the order
/// [`walk`]'s stable sort would give them (equal keys: the earlier run first). `false` (and
/// `out` left as it is) when there are not exactly two runs or one is out of order: the walk
/// sorts those itself. A chat's messages are usually shared between two segments by the
/// import's two indexing threads, each in time order, so a linear merge replaces the sort.
pub fn merge_runs(entries: &[Entry], starts: &[usize], out: &mut Vec<Entry>) -> bool {
    let mut bounds: Vec<usize> = starts.to_vec();
    bounds.push(entries.len());
    let runs: Vec<&[Entry]> = bounds
        .windows(2)
        .filter_map(|w| entries.get(w[0]..w[1]))
        .filter(|r| !r.is_empty())
        .collect();
    let [a, b] = runs[..] else {
        return false;
    };
    let sorted = |r: &[Entry]| r.is_sorted_by_key(|e| e.key);
    if !sorted(a) || !sorted(b) {
        return false;
    }
    out.clear();
    out.reserve(entries.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        if y.key < x.key {
            out.push(*y);
            j += 1;
        } else {
            out.push(*x);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    true
}

/// Walks one chat's entries in time order and reports each selected entry's event.
///
/// Entries come in document order, which is file order within a segment, so they are a few
/// sorted runs: the stable sort merges them in near-linear time (and keeps equal keys in
/// document order), cheaper than any search for a few selected entries' predecessors.
pub fn walk(entries: &mut [Entry], on: impl FnMut(&Entry, Event)) {
    walk_inner(entries, false, on);
}

/// [`walk`], also reporting each entry that is not selected but replies to a selected one
/// (an `Event::Reply` on an entry with `selected == false`): how others answered the
/// messages in scope, for a person's partners.
pub fn walk_with_answers(entries: &mut [Entry], on: impl FnMut(&Entry, Event)) {
    walk_inner(entries, true, on);
}

fn walk_inner(entries: &mut [Entry], answers: bool, mut on: impl FnMut(&Entry, Event)) {
    if !entries.is_sorted_by_key(|e| e.key) {
        entries.sort_by_key(|e| e.key);
    }
    let mut prev: Option<&Entry> = None;
    for e in entries.iter() {
        if e.selected {
            on(e, event(prev, e));
        } else if answers && prev.is_some_and(|p| p.selected) {
            if let reply @ Event::Reply { .. } = event(prev, e) {
                on(e, reply);
            }
        }
        prev = Some(e);
    }
}

fn event(prev: Option<&Entry>, e: &Entry) -> Event {
    match prev {
        None => Event::SessionStart,
        Some(p) => {
            let gap = key_secs(e.key) - key_secs(p.key);
            if gap >= SESSION_GAP_SECS {
                Event::SessionStart
            } else if p.sender != e.sender {
                Event::Reply {
                    to: p.sender,
                    secs: gap,
                }
            } else {
                Event::Continues
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::read::order_key;

    fn entry(secs: i64, line: u64, sender: u32, selected: bool) -> Entry {
        Entry {
            key: order_key(secs, line),
            sender,
            selected,
        }
    }

    fn events_of(entries: &mut [Entry]) -> Vec<(u32, Event)> {
        let mut out = Vec::new();
        walk(entries, |e, ev| out.push((e.sender, ev)));
        out
    }

    #[test]
    fn sessions_replies_and_continuations() {
        let mut es = vec![
            entry(1000, 1, 0, true),
            entry(1060, 2, 1, true),
            entry(1090, 3, 1, true),
            entry(1090 + 3600, 4, 0, true),
            entry(1090 + 3600 + 3599, 5, 2, true),
        ];
        assert_eq!(
            events_of(&mut es),
            vec![
                (0, Event::SessionStart),
                (1, Event::Reply { to: 0, secs: 60 }),
                (1, Event::Continues),
                (0, Event::SessionStart),
                (2, Event::Reply { to: 0, secs: 3599 }),
            ]
        );
        assert_eq!(key_secs(order_key(-5, 9)), -5);
    }

    #[test]
    fn answers_to_selected_entries_are_reported() {
        let mut es = vec![
            entry(1000, 1, 0, true),
            entry(1060, 2, 1, false),
            entry(1070, 3, 2, false),
            entry(1080, 4, 0, true),
            entry(1080 + 3600, 5, 1, false),
        ];
        let mut got = Vec::new();
        walk_with_answers(&mut es, |e, ev| got.push((e.sender, e.selected, ev)));
        assert_eq!(
            got,
            vec![
                (0, true, Event::SessionStart),
                (1, false, Event::Reply { to: 0, secs: 60 }),
                (0, true, Event::Reply { to: 2, secs: 10 }),
            ]
        );
    }

    #[test]
    fn two_runs_in_time_order_merge_as_the_stable_sort_orders_them() {
        // Two segments' runs, interleaved, with equal keys across them.
        let es = vec![
            entry(100, 1, 0, true),
            entry(300, 3, 0, false),
            entry(300, 3, 9, true),
            entry(500, 5, 0, true),
            entry(100, 1, 1, false),
            entry(200, 2, 1, true),
            entry(300, 3, 1, false),
            entry(600, 6, 1, true),
        ];
        let mut sorted = es.clone();
        sorted.sort_by_key(|e| e.key);
        let mut merged = Vec::new();
        assert!(merge_runs(&es, &[0, 4], &mut merged));
        assert_eq!(merged, sorted);
        // Empty runs of segments without the chat do not count.
        assert!(merge_runs(&es, &[0, 0, 4, 8], &mut merged));
        assert_eq!(merged, sorted);
    }

    #[test]
    fn runs_out_of_order_or_more_than_two_are_left_to_the_sort() {
        let es = vec![
            entry(300, 3, 0, true),
            entry(100, 1, 0, true),
            entry(200, 2, 1, true),
        ];
        let mut out = Vec::new();
        assert!(
            !merge_runs(&es, &[0, 2], &mut out),
            "first run out of order"
        );
        assert!(!merge_runs(&es, &[0, 1, 2], &mut out), "three runs");
        assert!(!merge_runs(&es, &[0], &mut out), "one run");
        assert!(out.is_empty());
    }

    #[test]
    fn out_of_order_input_is_walked_in_time_order() {
        let mut es = vec![entry(200, 2, 1, true), entry(100, 1, 0, false)];
        assert_eq!(
            events_of(&mut es),
            vec![(1, Event::Reply { to: 0, secs: 100 })]
        );
    }
}
