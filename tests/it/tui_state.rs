//! The TUI as pure state (atuin style): key sequences go into `App::update`, the real backend
//! answers every request synchronously, and the tests assert on the state that results.
//! Nothing is drawn here except where the names on screen are the point (anonymized view).

use crate::support::tui::{rows_with, Harness, DEMO_NAMES};
use crossterm::event::{KeyCode, KeyModifiers};
use whatscope::stats::Scope;
use whatscope::tui::app::{Effect, Event, Input, Pane, Side};
use whatscope::tui::keymap::Keymap;
use whatscope::tui::worker::{Reply, Request};

const SIZE: (u16, u16) = (120, 40);
const FAMILY: &str = "Family Rivera";

/// How many lines of the demo exports hold the word `word` (any case): the oracle for the
/// search total, independent of the index.
fn demo_lines_with_word(word: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    crate::support::tui::DEMO_FILES
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).expect("demo file"))
        .flat_map(|t| t.lines().map(str::to_lowercase).collect::<Vec<_>>())
        .filter(|l| l.split(|c: char| !c.is_alphanumeric()).any(|w| w == word))
        .count()
}

fn searches(h: &Harness) -> usize {
    h.requests
        .iter()
        .filter(|r| matches!(r, Request::Search { .. }))
        .count()
}

fn last_stats_scope(h: &Harness) -> whatscope::stats::Scope {
    h.requests
        .iter()
        .rev()
        .find_map(|r| match r {
            Request::Stats { scope, .. } => Some(scope.clone()),
            _ => None,
        })
        .expect("a stats request")
}

#[test]
fn starts_on_the_chat_list_busiest_first() {
    let h = Harness::demo(SIZE);
    assert_eq!(h.app.focus, Pane::Chats);
    assert_eq!(h.app.input, Input::Normal);
    let chats = h.app.chats.as_ref().expect("chat list loaded at start");
    let names: Vec<&str> = chats.iter().map(|c| c.chat.as_str()).collect();
    assert_eq!(
        names,
        [FAMILY, "Lukas", "Lisbon Cycling Club", "Coro Voces del Sur"]
    );
    assert!(chats.windows(2).all(|w| w[0].messages >= w[1].messages));
    assert!(h.app.conv.is_none());
    assert!(!h.app.quit);
}

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let mut h = Harness::demo(SIZE);
    let mut seen = Vec::new();
    for _ in 0..4 {
        h.press(KeyCode::Tab);
        seen.push(h.app.focus);
    }
    assert_eq!(
        seen,
        [Pane::Conversation, Pane::Results, Pane::Stats, Pane::Chats]
    );
    let mut back = Vec::new();
    for _ in 0..4 {
        h.press_mod(KeyCode::BackTab, KeyModifiers::SHIFT);
        back.push(h.app.focus);
    }
    assert_eq!(
        back,
        [Pane::Stats, Pane::Results, Pane::Conversation, Pane::Chats]
    );
}

#[test]
fn number_keys_focus_each_pane() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('2'));
    assert_eq!(h.app.focus, Pane::Conversation);
    h.press(KeyCode::Char('3'));
    assert_eq!(h.app.focus, Pane::Results);
    h.press(KeyCode::Char('4'));
    assert_eq!(h.app.focus, Pane::Stats);
    // Nothing open, no query: the stats pane asks for the whole archive at once.
    assert_eq!(last_stats_scope(&h), whatscope::stats::Scope::default());
    let stats = h.app.stats.stats.as_ref().expect("stats arrived");
    assert!(stats.participants.len() > 6);
    h.press(KeyCode::Char('1'));
    assert_eq!(h.app.focus, Pane::Chats);
    // The main area keeps showing the pane focused last.
    assert_eq!(h.app.last_main, Pane::Stats);
}

#[test]
fn moving_in_the_chat_list() {
    let mut h = Harness::demo(SIZE);
    let n = h.app.chats.as_ref().unwrap().len();
    assert_eq!(h.app.chat_sel, 0);
    h.press(KeyCode::Char('k'));
    assert_eq!(h.app.chat_sel, 0, "k at the top stays");
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.chat_sel, 1);
    h.press(KeyCode::Down);
    assert_eq!(h.app.chat_sel, 2);
    h.press(KeyCode::Up);
    assert_eq!(h.app.chat_sel, 1);
    h.typ("G");
    assert_eq!(h.app.chat_sel, n - 1);
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.chat_sel, n - 1, "j at the bottom stays");
    h.press(KeyCode::Char('g'));
    assert_eq!(h.app.chat_sel, 0);
    h.press(KeyCode::PageDown);
    assert_eq!(h.app.chat_sel, n - 1, "a page is more than 4 chats");
    h.press(KeyCode::Home);
    assert_eq!(h.app.chat_sel, 0);
    h.press(KeyCode::End);
    assert_eq!(h.app.chat_sel, n - 1);
}

#[test]
fn enter_opens_the_selected_chat_at_its_newest_message() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('j'));
    let want = h.app.chats.as_ref().unwrap()[1].chat.clone();
    h.press(KeyCode::Enter);
    assert_eq!(h.app.focus, Pane::Conversation);
    let conv = h.app.conv.as_ref().expect("conversation open");
    assert_eq!(conv.order.chat, want);
    assert_eq!(conv.sel, conv.order.len() - 1);
    assert!(conv.top <= conv.sel);
    assert!(
        conv.messages.contains_key(&conv.sel),
        "the selected message is loaded"
    );
    assert!(conv.pending.is_none());
}

#[test]
fn moving_in_the_conversation() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    let len = h.app.conv.as_ref().unwrap().order.len();
    assert!(len > 1000);
    let sel = |h: &Harness| h.app.conv.as_ref().unwrap().sel;
    assert_eq!(sel(&h), len - 1);
    h.press(KeyCode::Char('k'));
    assert_eq!(sel(&h), len - 2);
    h.press(KeyCode::Char('g'));
    assert_eq!(sel(&h), 0);
    h.press(KeyCode::Char('j'));
    assert_eq!(sel(&h), 1);
    // A page is the pane's inner height: 40 rows - query - footer - 2 borders - 2.
    let page = usize::from(SIZE.1) - 2 - 2;
    h.press(KeyCode::PageDown);
    assert_eq!(sel(&h), 1 + page);
    h.press(KeyCode::PageUp);
    assert_eq!(sel(&h), 1);
    h.ctrl('d');
    assert_eq!(sel(&h), 1 + page / 2);
    h.ctrl('u');
    assert_eq!(sel(&h), 1);
    h.typ("G");
    assert_eq!(sel(&h), len - 1);
    h.press(KeyCode::Char('j'));
    assert_eq!(sel(&h), len - 1, "j at the end stays");
    h.press(KeyCode::Home);
    assert_eq!(sel(&h), 0);
    // Wherever the selection goes, it is loaded and inside the drawn window.
    for _ in 0..5 {
        h.press(KeyCode::PageDown);
        let conv = h.app.conv.as_ref().unwrap();
        assert!(conv.messages.contains_key(&conv.sel));
        assert!(conv.top <= conv.sel);
        assert!(
            conv.sel - conv.top < page + 2,
            "selection scrolled out of view"
        );
    }
}

#[test]
fn typing_a_query_searches_after_the_debounce() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('/'));
    assert_eq!(h.app.input, Input::Query);
    h.typ("pizza");
    assert_eq!(h.app.query, "pizza");
    assert_eq!(h.app.focus, Pane::Results, "typing shows the results pane");
    assert!(h.debounce, "each keystroke restarts the debounce");
    assert_eq!(searches(&h), 0, "no search before the debounce passes");
    assert!(h.app.results.result.is_none());
    h.settle();
    assert_eq!(searches(&h), 1, "one search for the whole word");
    let r = h.app.results.result.as_ref().expect("results arrived");
    assert_eq!(r.total, demo_lines_with_word("pizza"));
    assert_eq!(r.total, 73);
    assert!(!h.app.results.searching);
    assert_eq!(h.app.results.sel, 0);
    // Still typing: the query line keeps the keys.
    assert_eq!(h.app.input, Input::Query);
    // Backspace and Ctrl-u edit the query and search again after the debounce.
    h.press(KeyCode::Backspace);
    assert_eq!(h.app.query, "pizz");
    h.ctrl('u');
    assert_eq!(h.app.query, "");
    h.settle();
    assert!(
        h.app.results.result.is_none(),
        "an empty query clears the results"
    );
}

#[test]
fn enter_in_the_query_line_focuses_the_results_at_once() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('/'));
    h.typ("churro");
    // No debounce: Enter searches now.
    h.press(KeyCode::Enter);
    assert_eq!(h.app.input, Input::Normal);
    assert_eq!(h.app.focus, Pane::Results);
    let r = h
        .app
        .results
        .result
        .as_ref()
        .expect("results without waiting");
    assert_eq!(r.total, demo_lines_with_word("churro"));
    // Keys are actions again.
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.results.sel, 1);
    assert_eq!(h.app.query, "churro");
}

#[test]
fn moving_in_the_results() {
    let mut h = Harness::demo(SIZE);
    h.search("pizza");
    let hits = h.app.results.result.as_ref().unwrap().hits.len();
    assert_eq!(hits, 73);
    h.press(KeyCode::Char('j'));
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.results.sel, 2);
    h.press(KeyCode::Char('k'));
    assert_eq!(h.app.results.sel, 1);
    h.typ("G");
    assert_eq!(h.app.results.sel, hits - 1);
    h.press(KeyCode::Char('g'));
    assert_eq!(h.app.results.sel, 0);
    h.press(KeyCode::PageDown);
    assert_eq!(h.app.results.sel, usize::from(SIZE.1) - 4);
    h.press(KeyCode::End);
    assert_eq!(h.app.results.sel, hits - 1);
}

/// Opens the `nth` result and checks the conversation landed on it.
fn jump_to_result(h: &mut Harness, nth: usize) -> whatscope::index::read::StoredMessage {
    for _ in 0..nth {
        h.press(KeyCode::Char('j'));
    }
    let hit = h.app.results.result.as_ref().unwrap().hits[nth]
        .message
        .clone();
    h.press(KeyCode::Enter);
    assert_eq!(h.app.focus, Pane::Conversation);
    let conv = h.app.conv.as_ref().expect("conversation open");
    assert_eq!(conv.order.chat, hit.message.chat);
    assert_eq!(conv.hit, Some(conv.sel), "the hit is marked");
    let shown = conv.messages.get(&conv.sel).expect("hit loaded");
    assert_eq!(shown, &hit, "selection is at the message of the result");
    assert!(
        conv.top <= conv.sel && conv.sel > conv.top,
        "context above the hit"
    );
    hit
}

#[test]
fn enter_on_a_result_jumps_to_the_message_in_its_chat() {
    let mut h = Harness::demo(SIZE);
    h.search("pizza");
    let hit = jump_to_result(&mut h, 3);
    assert!(hit.message.text.to_lowercase().contains("pizza"));
    let conv = h.app.conv.as_ref().unwrap();
    assert_eq!(
        conv.highlight,
        ["pizza"],
        "the query's terms are highlighted"
    );
    // Back to the results and onto a hit in another chat: that chat opens.
    h.press(KeyCode::Char('3'));
    let other = h
        .app
        .results
        .result
        .as_ref()
        .unwrap()
        .hits
        .iter()
        .position(|x| x.message.message.chat != hit.message.chat)
        .expect("pizza is in several chats");
    h.press(KeyCode::Char('g'));
    let hit2 = jump_to_result(&mut h, other);
    assert_ne!(hit2.message.chat, hit.message.chat);
}

#[test]
fn n_and_shift_n_walk_the_matches_and_wrap() {
    let mut h = Harness::demo(SIZE);
    h.search("pizza chat:\"Family Rivera\"");
    jump_to_result(&mut h, 0);
    let matches = h.app.conv.as_ref().unwrap().matches.clone();
    assert_eq!(
        matches.len(),
        h.app.results.result.as_ref().unwrap().total,
        "every hit of the query in this chat is a match"
    );
    assert!(matches.windows(2).all(|w| w[0] < w[1]));
    // From the first match, n visits each in order, then wraps to the first.
    h.press(KeyCode::Char('g'));
    let mut visited = Vec::new();
    for _ in 0..=matches.len() {
        h.press(KeyCode::Char('n'));
        let conv = h.app.conv.as_ref().unwrap();
        assert_eq!(conv.hit, Some(conv.sel));
        visited.push(conv.sel);
    }
    let mut want = matches.clone();
    want.push(matches[0]);
    assert_eq!(visited, want);
    assert_eq!(h.app.status.as_deref(), Some("match 1 of 36"));
    // N from the first wraps to the last, then walks back.
    h.typ("N");
    assert_eq!(h.app.conv.as_ref().unwrap().sel, *matches.last().unwrap());
    h.typ("N");
    assert_eq!(h.app.conv.as_ref().unwrap().sel, matches[matches.len() - 2]);
    assert_eq!(h.app.status.as_deref(), Some("match 35 of 36"));
}

#[test]
fn n_without_a_search_says_so() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    let before = h.app.conv.as_ref().unwrap().sel;
    h.press(KeyCode::Char('n'));
    assert_eq!(h.app.conv.as_ref().unwrap().sel, before);
    assert!(h.app.status.as_deref().unwrap().contains("no matches"));
}

#[test]
fn s_asks_for_the_statistics_of_the_open_chat() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('s'));
    assert_eq!(h.app.focus, Pane::Stats);
    let scope = last_stats_scope(&h);
    assert_eq!(scope.chat.as_deref(), Some(FAMILY));
    assert_eq!(scope.query, None);
    let stats = h.app.stats.stats.as_ref().expect("stats arrived");
    assert!(!h.app.stats.loading);
    let names: Vec<&str> = stats.participants.iter().map(|p| p.name.as_str()).collect();
    for n in DEMO_NAMES {
        assert!(names.contains(n), "{n} missing from {names:?}");
    }
    assert_eq!(names[0], "Elena Rivera", "most messages first");
    assert!(h.app.stats.label.contains(FAMILY));
}

#[test]
fn s_on_the_results_asks_for_the_statistics_of_the_query() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.search("pizza");
    assert_eq!(h.app.focus, Pane::Results);
    h.press(KeyCode::Char('s'));
    let scope = last_stats_scope(&h);
    assert_eq!(scope.query.as_deref(), Some("pizza"));
    assert_eq!(scope.chat, None);
    let stats = h.app.stats.stats.as_ref().expect("stats arrived");
    assert_eq!(stats.messages + stats.system, 73);
}

#[test]
fn brackets_cycle_participants_and_enter_searches_from_them() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('s'));
    let participants: Vec<(String, u64)> = h
        .app
        .stats
        .stats
        .as_ref()
        .unwrap()
        .participants
        .iter()
        .map(|p| (p.name.clone(), p.messages))
        .collect();
    let n = participants.len();
    assert_eq!(h.app.stats.participant, 0);
    h.press(KeyCode::Char(']'));
    assert_eq!(h.app.stats.participant, 1);
    h.press(KeyCode::Char('['));
    h.press(KeyCode::Char('['));
    assert_eq!(h.app.stats.participant, n - 1, "[ wraps to the last");
    h.press(KeyCode::Char(']'));
    assert_eq!(h.app.stats.participant, 0, "] wraps to the first");
    h.press(KeyCode::Char(']'));
    h.press(KeyCode::Char(']'));
    let (name, messages) = participants[2].clone();
    h.press(KeyCode::Enter);
    assert_eq!(h.app.query, format!("from:\"{name}\""));
    assert_eq!(h.app.focus, Pane::Results);
    let r = h.app.results.result.as_ref().expect("results of from:");
    assert_eq!(
        r.total as u64, messages,
        "from:\"{name}\" finds as many messages as the stats count"
    );
    assert!(r
        .hits
        .iter()
        .all(|x| x.message.message.sender.as_deref() == Some(&name)));
}

fn ts_at(h: &Harness, p: usize) -> String {
    h.app.conv.as_ref().unwrap().messages[&p].message.ts.clone()
}

#[test]
fn t_jumps_to_the_first_message_of_a_day() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('t'));
    assert_eq!(h.app.input, Input::Date);
    h.typ("2024-12-20");
    assert_eq!(h.app.date, "2024-12-20");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.input, Input::Normal);
    assert_eq!(h.app.focus, Pane::Conversation);
    let sel = h.app.conv.as_ref().unwrap().sel;
    let ts = ts_at(&h, sel);
    assert!(ts.starts_with("2024-12-20T20:52"), "landed on {ts}");
    assert!(
        ts_at(&h, sel - 1).as_str() < "2024-12-20",
        "not the first of the day"
    );
    let msg = &h.app.conv.as_ref().unwrap().messages[&sel].message;
    assert_eq!(msg.text, "Leo did you tidy your room?");

    // A day without messages lands on the next day that has some.
    h.press(KeyCode::Char('t'));
    h.typ("2024-12-18");
    h.press(KeyCode::Enter);
    let sel = h.app.conv.as_ref().unwrap().sel;
    assert!(ts_at(&h, sel).as_str() >= "2024-12-18");
    assert!(ts_at(&h, sel - 1).as_str() < "2024-12-18");

    // Not a date: a message, the selection stays.
    h.press(KeyCode::Char('t'));
    h.typ("2024-99");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.conv.as_ref().unwrap().sel, sel);
    assert!(h.app.status.as_deref().unwrap().contains("not a date"));

    // Esc cancels; letters are typed into the date too (Enter names them, never drops them).
    h.press(KeyCode::Char('t'));
    h.typ("x2");
    assert_eq!(h.app.date, "x2");
    h.press(KeyCode::Esc);
    assert_eq!(h.app.input, Input::Normal);
    assert_eq!(h.app.conv.as_ref().unwrap().sel, sel);
}

#[test]
fn t_without_an_open_chat_says_what_to_do() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('t'));
    assert_eq!(h.app.input, Input::Normal);
    assert!(h.app.status.as_deref().unwrap().contains("open a chat"));
}

#[test]
fn a_toggles_the_anonymized_view() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    let real = h.screen(SIZE.0, SIZE.1);
    assert!(real.contains("Elena Rivera"));
    h.press(KeyCode::Char('a'));
    assert!(h.app.anonymize);
    let anon = h.screen(SIZE.0, SIZE.1);
    for n in DEMO_NAMES {
        assert!(!anon.contains(n), "{n} still shown:\n{anon}");
    }
    let pseudonym = h.app.pseudonyms.get("Elena Rivera").to_string();
    assert_ne!(pseudonym, "Someone");
    assert!(
        anon.contains(&format!("{pseudonym}:")),
        "no {pseudonym}:\n{anon}"
    );
    assert!(anon.contains("anonymized view"), "no notice:\n{anon}");
    // Statistics are anonymized too.
    h.press(KeyCode::Char('s'));
    let stats = h.screen(SIZE.0, SIZE.1);
    for n in DEMO_NAMES {
        assert!(!stats.contains(n), "{n} in the stats:\n{stats}");
    }
    assert!(stats.contains(&pseudonym));
    // And back.
    h.press(KeyCode::Char('a'));
    assert!(!h.app.anonymize);
    assert!(h.screen(SIZE.0, SIZE.1).contains("Elena Rivera"));
}

/// Once the "anonymized view" notice is gone (any key clears it), the footer is the only sign
/// that the names on screen are pseudonyms: it must stay visible in every pane.
#[test]
fn the_anonymized_view_stays_marked_in_the_footer() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('a'));
    h.press(KeyCode::Char('k')); // clears the notice
    for pane in ['2', '3', '4', '1'] {
        h.press(KeyCode::Char(pane));
        let s = h.screen(SIZE.0, SIZE.1);
        let footer = s.lines().last().unwrap_or("");
        assert!(
            footer.contains("[anonymized]"),
            "pane {pane}: footer without [anonymized]: {footer:?}"
        );
    }
}

#[test]
fn question_mark_opens_help_and_any_key_closes_it() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('?'));
    assert!(h.app.help);
    assert!(h.screen(SIZE.0, SIZE.1).contains("Help"));
    // The key that closes help does nothing else.
    h.press(KeyCode::Char('j'));
    assert!(!h.app.help);
    assert_eq!(h.app.chat_sel, 0);
    h.press(KeyCode::Char('?'));
    h.press(KeyCode::Enter);
    assert!(!h.app.help);
    assert!(h.app.conv.is_none(), "Enter closing help opened nothing");
    // Quit keys still quit from help.
    h.press(KeyCode::Char('?'));
    h.press(KeyCode::Char('q'));
    assert!(h.app.quit);
}

#[test]
fn esc_goes_back() {
    let mut h = Harness::demo(SIZE);
    // In the query line: leaves it, the query stays.
    h.press(KeyCode::Char('/'));
    h.typ("pizza");
    h.press(KeyCode::Esc);
    assert_eq!(h.app.input, Input::Normal);
    assert_eq!(h.app.query, "pizza");
    // On the chat list: nowhere further back.
    h.press(KeyCode::Char('1'));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Pane::Chats);
    // Results with nothing open: back to the chats.
    h.press(KeyCode::Char('3'));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Pane::Chats);
    // After a jump: the first Esc clears the highlight, the second leaves the chat.
    h.search("pizza");
    jump_to_result(&mut h, 0);
    h.press(KeyCode::Esc);
    let conv = h.app.conv.as_ref().unwrap();
    assert_eq!(h.app.focus, Pane::Conversation);
    assert!(conv.highlight.is_empty() && conv.matches.is_empty() && conv.hit.is_none());
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Pane::Chats);
    // From results or stats with a chat open: back to the conversation.
    h.press(KeyCode::Char('3'));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Pane::Conversation);
    h.press(KeyCode::Char('4'));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Pane::Conversation);
    assert!(!h.app.quit);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut h = Harness::demo(SIZE);
    let effects = h.app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
    )));
    assert!(h.app.quit);
    assert!(effects.iter().any(|e| matches!(e, Effect::Quit)));

    let mut h = Harness::demo(SIZE);
    h.ctrl('c');
    assert!(h.app.quit);

    // In the query line `q` is a letter, Ctrl-c still quits.
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('/'));
    h.typ("q");
    assert!(!h.app.quit);
    assert_eq!(h.app.query, "q");
    h.ctrl('c');
    assert!(h.app.quit);

    // In the date prompt too.
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('t'));
    h.ctrl('c');
    assert!(h.app.quit);
}

/// The search request an event produced, not yet answered.
fn take_search(effects: Vec<Effect>) -> Request {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Request(r @ Request::Search { .. }) => Some(r),
            _ => None,
        })
        .expect("a search request")
}

#[test]
fn stale_search_replies_are_dropped() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('/'));
    h.typ("pi");
    let old = take_search(h.app.update(Event::SearchDue));
    h.typ("zza");
    let new = take_search(h.app.update(Event::SearchDue));
    let (Request::Search { id: old_id, .. }, Request::Search { id: new_id, .. }) = (&old, &new)
    else {
        unreachable!()
    };
    assert!(new_id > old_id);
    let old_reply = h.handle(old);
    let new_reply = h.handle(new);
    let Reply::Search {
        result: Ok(old_result),
        ..
    } = &old_reply
    else {
        panic!("old search failed")
    };
    assert_ne!(old_result.query, "pizza");

    // The old reply arrives first, while the new search runs: dropped.
    h.event(Event::Reply(old_reply.clone()));
    assert!(h.app.results.result.is_none(), "stale reply shown");
    assert!(h.app.results.searching);
    h.event(Event::Reply(new_reply));
    assert_eq!(h.app.results.result.as_ref().unwrap().query, "pizza*");
    assert_eq!(h.app.results.result.as_ref().unwrap().total, 73);
    // The old reply arrives late: dropped too.
    h.event(Event::Reply(old_reply));
    assert_eq!(h.app.results.result.as_ref().unwrap().query, "pizza*");
    assert!(!h.app.results.searching);
}

#[test]
fn stale_chat_and_stats_replies_are_dropped() {
    let mut h = Harness::demo(SIZE);
    // Two chats opened in quick succession: only the last one opens.
    let first = h.app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    h.press(KeyCode::Char('1'));
    h.press(KeyCode::Char('j'));
    let second = h.app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let want = h.app.chats.as_ref().unwrap()[1].chat.clone();
    h.run(second);
    for e in first {
        if let Effect::Request(r) = e {
            let reply = h.handle(r);
            h.event(Event::Reply(reply));
        }
    }
    assert_eq!(h.app.conv.as_ref().unwrap().order.chat, want);

    // Statistics of the chat asked for, then of a query: the chat's arrive last and are dropped.
    let chat_stats = h.app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::NONE,
    )));
    h.search("pizza");
    h.press(KeyCode::Char('s'));
    assert_eq!(
        h.app.stats.stats.as_ref().unwrap().scope.query.as_deref(),
        Some("pizza")
    );
    for e in chat_stats {
        if let Effect::Request(r) = e {
            let reply = h.handle(r);
            h.event(Event::Reply(reply));
        }
    }
    let stats = h.app.stats.stats.as_ref().unwrap();
    assert_eq!(
        stats.scope.query.as_deref(),
        Some("pizza"),
        "stale stats shown"
    );
    assert_eq!(stats.scope.chat, None);
    assert!(h.app.stats.label.contains("pizza"));
}

#[test]
fn keymap_overrides_from_a_keys_conf() {
    let conf = "# mine\nquit = x, ctrl-q\nnext_pane = ctrl-n\ndown = J\nbogus = z\n";
    let (keymap, problems) = Keymap::with_overrides(conf);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("bogus"));
    let mut h = Harness::demo_with_keymap(keymap, SIZE);
    // `q` no longer quits, `x` does.
    h.press(KeyCode::Char('q'));
    assert!(!h.app.quit);
    // `j` no longer moves, `J` does; `↓` was replaced too.
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.chat_sel, 0);
    h.press(KeyCode::Down);
    assert_eq!(h.app.chat_sel, 0);
    h.typ("J");
    assert_eq!(h.app.chat_sel, 1);
    // Tab no longer cycles, Ctrl-n does.
    h.press(KeyCode::Tab);
    assert_eq!(h.app.focus, Pane::Chats);
    h.ctrl('n');
    assert_eq!(h.app.focus, Pane::Conversation);
    // Help and footer show the new keys.
    h.press(KeyCode::Char('?'));
    let help = h.screen(SIZE.0, SIZE.1);
    assert!(
        rows_with(&help, "quit")
            .iter()
            .any(|r| r.contains("Ctrl-q/x") || r.contains("x/Ctrl-q")),
        "help does not show the new quit keys:\n{help}"
    );
    h.press(KeyCode::Esc);
    h.ctrl('q');
    assert!(h.app.quit);
    let mut h = Harness::demo_with_keymap(Keymap::with_overrides(conf).0, SIZE);
    h.press(KeyCode::Char('x'));
    assert!(h.app.quit);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('g'));
    for _ in 0..30 {
        h.press(KeyCode::Char('j'));
    }
    h.event(Event::Resize(80, 14));
    let conv = h.app.conv.as_ref().unwrap();
    assert_eq!(conv.sel, 30);
    assert!(conv.top <= conv.sel && conv.sel - conv.top < 10);
    assert!(conv.messages.contains_key(&conv.sel));
}

/// With a chat open, a terminal below 40×12 has no conversation area: `after_move` then keeps
/// no page (`keep` is an empty range), drops the message that just arrived, and asks for it
/// again, forever. The real loop does this every 250 ms while idle (a request and a redraw
/// each time); the app should settle.
#[test]
fn too_small_with_a_chat_open_stops_asking_for_messages() {
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    let mut effects = h.app.update(Event::Resize(30, 10));
    let mut rounds = 0;
    while rounds < 50 {
        let requests: Vec<Request> = effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Request(r) => Some(r),
                _ => None,
            })
            .collect();
        if requests.is_empty() {
            break;
        }
        rounds += 1;
        effects = Vec::new();
        for r in requests {
            let reply = h.handle(r);
            effects.extend(h.app.update(Event::Reply(reply)));
        }
    }
    assert!(
        rounds < 50,
        "still requesting messages after {rounds} replies at 30×10"
    );
    // And back to a usable size: the conversation is whole again.
    h.event(Event::Resize(120, 40));
    let conv = h.app.conv.as_ref().unwrap();
    assert!(conv.messages.contains_key(&conv.sel));
}

#[test]
fn keymap_file_is_read_and_problems_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.conf");
    std::fs::write(&path, "search = f\nhelp = F1\n").unwrap();
    let (keymap, problems) = Keymap::load(Some(&path));
    assert_eq!(problems.len(), 1, "F1 is not a key it knows: {problems:?}");
    let mut h = Harness::demo_with_keymap(keymap, SIZE);
    h.press(KeyCode::Char('/'));
    assert_eq!(h.app.input, Input::Normal, "`/` was replaced");
    h.press(KeyCode::Char('f'));
    assert_eq!(h.app.input, Input::Query);
    // A missing file means the defaults, without complaint.
    let (defaults, problems) = Keymap::load(Some(&dir.path().join("none.conf")));
    assert!(problems.is_empty());
    assert_eq!(
        defaults.keys_text(whatscope::tui::action::Action::Search),
        "/"
    );
}

fn mouse(h: &mut Harness, kind: crossterm::event::MouseEventKind, column: u16, row: u16) {
    h.event(Event::Mouse(crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

#[test]
fn mouse_wheel_scrolls_and_clicks_focus() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let mut h = Harness::demo(SIZE);
    h.open_chat(FAMILY);
    h.press(KeyCode::Char('g'));
    let a = h.app.areas();
    // The wheel over the conversation moves three messages.
    mouse(
        &mut h,
        MouseEventKind::ScrollDown,
        a.main.x + 5,
        a.main.y + 5,
    );
    assert_eq!(h.app.conv.as_ref().unwrap().sel, 3);
    mouse(&mut h, MouseEventKind::ScrollUp, a.main.x + 5, a.main.y + 5);
    assert_eq!(h.app.conv.as_ref().unwrap().sel, 0);
    assert_eq!(h.app.focus, Pane::Conversation);
    // The wheel over the chat list moves its selection but leaves the focus.
    mouse(
        &mut h,
        MouseEventKind::ScrollDown,
        a.chats.x + 2,
        a.chats.y + 2,
    );
    assert_eq!(h.app.chat_sel, 3);
    assert_eq!(h.app.focus, Pane::Conversation);
    // A click on a chat selects it and focuses the list.
    mouse(
        &mut h,
        MouseEventKind::Down(MouseButton::Left),
        a.chats.x + 3,
        a.chats.y + 2,
    );
    assert_eq!(h.app.focus, Pane::Chats);
    assert_eq!(h.app.chat_sel, 1);
    // A click in the main area focuses it; on the query line, starts typing.
    mouse(
        &mut h,
        MouseEventKind::Down(MouseButton::Left),
        a.main.x + 10,
        a.main.y + 10,
    );
    assert_eq!(h.app.focus, Pane::Conversation);
    mouse(
        &mut h,
        MouseEventKind::Down(MouseButton::Left),
        a.query.x + 3,
        a.query.y,
    );
    assert_eq!(h.app.input, Input::Query);
}

/// Anna (2 messages) and Anna Fischer (3) in one chat: a name is that name, never another
/// name holding it.
const ANNA_AND_ANNA_FISCHER: &str = "\
01/02/2024, 10:00 - Anna: hello
01/02/2024, 10:01 - Anna Fischer: hi Anna
01/02/2024, 10:02 - Bob: morning both
01/02/2024, 10:03 - Anna Fischer: coffee?
01/02/2024, 10:04 - Anna: yes
01/02/2024, 10:05 - Anna Fischer: great
";

#[test]
fn enter_on_the_participant_anna_finds_anna_not_anna_fischer() {
    let mut h = Harness::from_exports(
        &[("WhatsApp Chat with Anna.txt", ANNA_AND_ANNA_FISCHER)],
        None,
        SIZE,
    );
    h.open_chat("Anna");
    h.press(KeyCode::Char('s'));
    let stats = h.app.stats.stats.as_ref().expect("stats arrived");
    let counts: Vec<(String, u64)> = stats
        .participants
        .iter()
        .map(|p| (p.name.clone(), p.messages))
        .collect();
    assert_eq!(
        counts,
        [
            ("Anna Fischer".to_string(), 3),
            ("Anna".to_string(), 2),
            ("Bob".to_string(), 1)
        ]
    );
    h.press(KeyCode::Char(']'));
    h.press(KeyCode::Enter);
    assert_eq!(h.app.query, "from:\"Anna\"");
    let r = h.app.results.result.as_ref().expect("results of from:");
    assert_eq!(r.total, 2, "Anna's two messages, none of Anna Fischer's");
    assert!(r
        .hits
        .iter()
        .all(|x| x.message.message.sender.as_deref() == Some("Anna")));
    // The statistics of that query agree with the participant's row, to the message.
    h.press(KeyCode::Char('s'));
    let stats = h.app.stats.stats.as_ref().expect("stats of the query");
    let rows: Vec<(&str, u64)> = stats
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.messages))
        .collect();
    assert_eq!(rows, [("Anna", 2)]);
}

/// `p`, then the person named `name` selected in the people list.
fn select_person(h: &mut Harness, name: &str) {
    if h.app.side != Side::People {
        h.press(KeyCode::Char('p'));
    }
    h.press(KeyCode::Char('1'));
    let i = h
        .app
        .visible_people()
        .iter()
        .position(|p| p.person == name)
        .unwrap_or_else(|| panic!("no person {name}"));
    h.press(KeyCode::Char('g'));
    for _ in 0..i {
        h.press(KeyCode::Char('j'));
    }
}

/// In a person's statistics, `]` until the partner `name` is selected; returns its row.
fn select_partner(h: &mut Harness, name: &str) -> usize {
    let i = h
        .app
        .visible_partners()
        .iter()
        .position(|p| p.person == name)
        .unwrap_or_else(|| panic!("{name} is no partner of {:?}", h.app.stats_person()));
    while h.app.stats.participant != i {
        h.press(KeyCode::Char(']'));
    }
    i
}

fn person_scope(name: &str) -> Scope {
    Scope {
        participant: Some(name.to_string()),
        ..Scope::default()
    }
}

#[test]
fn p_switches_the_left_pane_between_chats_and_people() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Down);
    assert_eq!(h.app.chat_sel, 1);
    h.press(KeyCode::Char('p'));
    assert_eq!(h.app.side, Side::People);
    assert_eq!(h.app.focus, Pane::Chats);
    assert!(h
        .requests
        .iter()
        .any(|r| matches!(r, Request::People { .. })));
    let people = h.app.visible_people();
    assert!(people.len() > DEMO_NAMES.len());
    assert!(people.windows(2).all(|w| w[0].messages >= w[1].messages));
    // Every message with a sender belongs to one person: the rows add up to the archive.
    let total: u64 = people.iter().map(|p| p.messages).sum();
    let whole = h.handle(Request::Stats {
        id: 0,
        scope: Scope::default(),
        aliases: std::sync::Arc::from(Vec::new()),
    });
    let Reply::Stats {
        stats: Ok(whole), ..
    } = whole
    else {
        panic!("whole-archive stats failed");
    };
    assert_eq!(total, whole.messages);
    // The keys move in the people list now, and the chat selection waits.
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    assert_eq!(h.app.people.sel, 2);
    assert_eq!(h.app.chat_sel, 1);
    let screen = h.screen(SIZE.0, SIZE.1);
    assert!(screen.contains("People"), "{screen}");
    assert!(screen.contains("p people"), "no hint for p:\n{screen}");
    h.press(KeyCode::Char('p'));
    assert_eq!(h.app.side, Side::Chats);
    assert_eq!(h.app.chat_sel, 1);
    assert!(h.screen(SIZE.0, SIZE.1).contains("Chats 4"));
    h.press(KeyCode::Char('?'));
    assert!(h.screen(SIZE.0, SIZE.1).contains("p         people"));
}

#[test]
fn enter_on_a_person_opens_their_statistics_across_the_archive() {
    let mut h = Harness::demo(SIZE);
    select_person(&mut h, "Elena Rivera");
    let row_messages = h.app.visible_people()[h.app.people.sel].messages;
    h.press(KeyCode::Enter);
    assert_eq!(h.app.focus, Pane::Stats);
    assert_eq!(last_stats_scope(&h), person_scope("Elena Rivera"));
    let stats = h.app.stats.stats.as_deref().expect("person stats");
    assert_eq!(stats.messages, row_messages);
    let per_chat = stats.per_chat.as_deref().expect("per_chat of a person");
    assert_eq!(
        per_chat.iter().map(|c| c.messages).sum::<u64>(),
        row_messages
    );
    let partners: Vec<&str> = h
        .app
        .visible_partners()
        .iter()
        .map(|p| p.person.as_str())
        .collect();
    assert!(partners.contains(&"Marco Rivera"), "{partners:?}");
    assert!(!partners.contains(&"Elena Rivera"), "{partners:?}");
    let screen = h.screen(SIZE.0, SIZE.1);
    for needle in ["person: Elena Rivera", "Chats", "Partners", "Family Rivera"] {
        assert!(screen.contains(needle), "no {needle}:\n{screen}");
    }
}

#[test]
fn esc_walks_back_along_the_partners_jumped_through() {
    let mut h = Harness::demo(SIZE);
    select_person(&mut h, "Elena Rivera");
    h.press(KeyCode::Enter);
    let marco_row = select_partner(&mut h, "Marco Rivera");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats_person(), Some("Marco Rivera"));
    assert_eq!(h.app.stats.back.len(), 1);
    let leo_row = select_partner(&mut h, "Leo Rivera");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats_person(), Some("Leo Rivera"));
    assert_eq!(h.app.stats.back.len(), 2);
    assert_eq!(
        h.app.stats.participant, 0,
        "a new person starts at their first partner"
    );

    h.press(KeyCode::Esc);
    assert_eq!(last_stats_scope(&h), person_scope("Marco Rivera"));
    assert_eq!(h.app.stats_person(), Some("Marco Rivera"));
    assert_eq!(
        h.app.stats.participant, leo_row,
        "the partner jumped to stays selected"
    );
    assert_eq!(h.app.focus, Pane::Stats);
    h.press(KeyCode::Esc);
    assert_eq!(h.app.stats_person(), Some("Elena Rivera"));
    assert_eq!(h.app.stats.participant, marco_row);
    assert!(h.app.stats.back.is_empty());
    // The path is walked: Esc goes on as everywhere else.
    h.press(KeyCode::Esc);
    assert_ne!(h.app.focus, Pane::Stats);
}

#[test]
fn a_new_person_or_other_statistics_start_a_new_path() {
    let mut h = Harness::demo(SIZE);
    select_person(&mut h, "Elena Rivera");
    h.press(KeyCode::Enter);
    select_partner(&mut h, "Marco Rivera");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats.back.len(), 1);
    select_person(&mut h, "Lukas");
    h.press(KeyCode::Enter);
    assert!(h.app.stats.back.is_empty());
    select_partner(&mut h, "Mira Schneider");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats.back.len(), 1);
    h.press(KeyCode::Char('s'));
    assert!(h.app.stats.back.is_empty());
    assert_eq!(h.app.stats_person(), None);
}

#[test]
fn f_searches_the_messages_of_the_person_shown() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('f'));
    assert!(h
        .app
        .status
        .as_deref()
        .is_some_and(|s| s.contains("pick a person")));
    select_person(&mut h, "Marco Rivera");
    let messages = h.app.visible_people()[h.app.people.sel].messages;
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('f'));
    assert_eq!(h.app.query, "from:\"Marco Rivera\"");
    assert_eq!(h.app.focus, Pane::Results);
    let total = h.app.results.result.as_ref().expect("results").total as u64;
    assert_eq!(total, messages);
}

#[test]
fn anonymized_people_partners_and_queries_use_pseudonyms_only() {
    let mut h = Harness::demo(SIZE);
    h.press(KeyCode::Char('a'));
    select_person(&mut h, "Elena Rivera");
    let messages = h.app.visible_people()[h.app.people.sel].messages;
    let list = h.screen(SIZE.0, SIZE.1);
    h.press(KeyCode::Enter);
    select_partner(&mut h, "Marco Rivera");
    h.press(KeyCode::Enter);
    let marco = h.screen(SIZE.0, SIZE.1);
    let pseudonym = h.app.pseudonyms.get("Marco Rivera").to_string();
    assert!(marco.contains(&format!("person: {pseudonym}")), "{marco}");
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('f'));
    let elena = h.app.pseudonyms.get("Elena Rivera").to_string();
    assert_eq!(h.app.query, format!("from:\"{elena}\""));
    let total = h.app.results.result.as_ref().expect("results").total as u64;
    assert_eq!(
        total, messages,
        "from: by pseudonym selects the person's messages"
    );
    let results = h.screen(SIZE.0, SIZE.1);
    for screen in [&list, &marco, &results] {
        for name in DEMO_NAMES {
            assert!(!screen.contains(name), "{name} shown:\n{screen}");
        }
    }
}

/// A merged person shown by a display name they never wrote under (`people merge --as`):
/// their statistics, partners and `f` still find every name's messages.
#[test]
fn a_merged_person_under_a_new_display_name_opens_and_searches() {
    let mut h = Harness::demo(SIZE);
    let number = "+44 7700 900461";
    let mut people = whatscope::people::People::load(&h.archive_dir).expect("people");
    people.merge(
        &[number.to_string(), "Lucía Rivera".to_string()],
        Some("Lucy R."),
    );
    people.save(&h.archive_dir).expect("save people");
    let reloaded = h.backend.reload().expect("reload");
    h.event(Event::Reply(reloaded));
    h.press(KeyCode::Char('p'));
    let rows = h.app.visible_people();
    let lucy = rows
        .iter()
        .find(|r| r.person == "Lucy R.")
        .expect("the merged person listed");
    assert_eq!(lucy.names, [number, "Lucía Rivera"]);
    let messages = lucy.messages;
    select_person(&mut h, "Lucy R.");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats.error, None);
    let stats = h
        .app
        .stats
        .stats
        .as_deref()
        .expect("the person's statistics");
    assert_eq!(stats.messages, messages);
    assert!(h.screen(SIZE.0, SIZE.1).contains("person: Lucy R."));
    h.press(KeyCode::Char('f'));
    let total = h.app.results.result.as_ref().expect("results").total as u64;
    assert_eq!(total, messages, "query {:?}", h.app.query);
    // Reached as a partner, too.
    select_person(&mut h, "Elena Rivera");
    h.press(KeyCode::Enter);
    select_partner(&mut h, "Lucy R.");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.stats.error, None);
    assert_eq!(
        h.app.stats.stats.as_deref().map(|s| s.messages),
        Some(messages)
    );
}

/// The anonymized view orders ties by pseudonym: `a` keeps the selected person selected.
#[test]
fn anonymizing_keeps_the_selected_person() {
    let mut h = Harness::demo(SIZE);
    for name in ["Marco Rivera", "Ana Sousa", "Karim Haddad"] {
        select_person(&mut h, name);
        h.press(KeyCode::Char('a'));
        let selected = &h.app.visible_people()[h.app.people.sel];
        assert_eq!(selected.person, name);
        h.press(KeyCode::Char('a'));
        assert_eq!(h.app.visible_people()[h.app.people.sel].person, name);
    }
}
