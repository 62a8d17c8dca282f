//! The whole TUI drawn on ratatui's `TestBackend` (gitui style) and compared with insta
//! snapshots: every pane and overlay, at 80×24 and 120×40, on the demo chats and on fixtures.
//! Colour is off (`Theme { color: false }`) so the text is the whole picture; temp and config
//! paths are replaced by placeholders.
//!
//! Each scenario is played from the start at each size, as a user with that terminal would.
//! The statistics pane is checked with `contains` on key lines rather than a snapshot: its
//! charts are still changing.

use crate::support::tui::{rows_with, Harness, DEMO_NAMES};
use crossterm::event::KeyCode;
use whatscope::tui::app::Pane;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A query over all four demo chats whose hits all score differently. Hits of equal score come
/// out in an order that depends on how the import spread documents over its two indexing
/// threads, which differs from run to run, so snapshots avoid ties.
const QUERY: &str = "concierto OR bike OR party OR regen OR strand";

/// The fixtures archive: a group with every kind of line, a German group, a chat with
/// attachments and edits, and a zip with media.
const FIXTURES: &[(&str, &str)] = &[
    (
        "01_android_en_gb_24h_group.txt",
        "WhatsApp Chat with Hiking Crew.txt",
    ),
    (
        "06_android_de_24h_dots.txt",
        "WhatsApp Chat mit Radtour Mosel.txt",
    ),
    (
        "38_android_de_12h_attachments_edited.txt",
        "WhatsApp Chat mit Katrin Weber.txt",
    ),
    (
        "19_ios_zip_with_media.zip",
        "WhatsApp Chat - Lakeside Choir.zip",
    ),
];

/// Plays `scenario` at both sizes and snapshots the screens as `{name}_{w}x{h}`.
fn snap(name: &str, scenario: impl Fn(&mut Harness), make: impl Fn((u16, u16)) -> Harness) {
    for (w, h) in SIZES {
        let mut harness = make((w, h));
        scenario(&mut harness);
        let screen = harness.screen(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn demo(size: (u16, u16)) -> Harness {
    Harness::demo(size)
}

fn fixtures(size: (u16, u16)) -> Harness {
    Harness::fixtures(FIXTURES, size)
}

#[test]
fn empty_archive() {
    snap("empty_archive", |_| {}, Harness::empty);
}

/// The issue asks for a welcome screen on an empty archive that says how to import and offers
/// the demo; "no chats yet" and "pick a chat" leave a new user stuck.
#[test]
fn empty_archive_says_how_to_import_and_offers_the_demo() {
    for (w, h) in SIZES {
        let mut harness = Harness::empty((w, h));
        let screen = harness.screen(w, h);
        assert!(
            screen.contains("whatscope import"),
            "{w}×{h}: no import hint:\n{screen}"
        );
        assert!(
            screen.contains("whatscope demo"),
            "{w}×{h}: no demo offer:\n{screen}"
        );
    }
}

#[test]
fn chat_list_demo() {
    snap("chat_list_demo", |_| {}, demo);
}

#[test]
fn chat_list_fixtures() {
    snap("chat_list_fixtures", |_| {}, fixtures);
}

#[test]
fn conversation_fixture_with_every_kind_of_line() {
    snap(
        "conversation_hiking_crew",
        |h| {
            h.open_chat("Hiking Crew");
            h.press(KeyCode::Char('g'));
        },
        fixtures,
    );
}

#[test]
fn conversation_with_attachments_and_edits() {
    snap(
        "conversation_katrin_weber",
        |h| {
            h.open_chat("Katrin Weber");
            h.press(KeyCode::Char('g'));
        },
        fixtures,
    );
}

#[test]
fn conversation_demo_multiline_and_media() {
    // 8 June 2025: a seven-line recipe; 23 June: a photo with a caption.
    snap(
        "conversation_demo",
        |h| {
            h.open_chat("Family Rivera");
            h.press(KeyCode::Char('t'));
            h.typ("2025-06-08");
            h.press(KeyCode::Enter);
        },
        demo,
    );
    let mut h = Harness::demo((80, 24));
    h.open_chat("Family Rivera");
    h.press(KeyCode::Char('t'));
    h.typ("2025-06-08");
    h.press(KeyCode::Enter);
    let s = h.screen(80, 24);
    assert!(s.contains("Flan de huevo:"));
    assert!(
        s.contains("      - 4 huevos"),
        "continuation lines indented:\n{s}"
    );
    assert!(s.contains("Sunday, 8 June 2025"), "day separator:\n{s}");
}

#[test]
fn conversation_opened_at_the_newest_message() {
    snap("conversation_newest", |h| h.open_chat("Lukas"), demo);
}

#[test]
fn typing_a_query() {
    snap(
        "typing_query",
        |h| {
            h.press(KeyCode::Char('/'));
            h.typ("pizz");
            h.settle();
        },
        demo,
    );
}

#[test]
fn results_for_a_query() {
    snap("results", |h| h.search(QUERY), demo);
}

#[test]
fn results_when_nothing_matches() {
    snap("results_none", |h| h.search("xylophone"), demo);
}

#[test]
fn conversation_after_jumping_to_a_hit() {
    snap(
        "jump_to_hit",
        |h| {
            h.search(QUERY);
            for _ in 0..3 {
                h.press(KeyCode::Char('j'));
            }
            h.press(KeyCode::Enter);
        },
        demo,
    );
}

#[test]
fn help_overlay() {
    snap("help", |h| h.press(KeyCode::Char('?')), demo);
}

/// The help overlay is the key reference (docs/tui.md): at 80×24, the most common terminal size,
/// every action must be listed (it is cut after `[` today, and any key closes it, so `t`, `a`,
/// `?` and `Esc` cannot be looked up).
#[test]
fn help_lists_every_action_at_80x24() {
    let mut h = demo((80, 24));
    h.press(KeyCode::Char('?'));
    let screen = h.screen(80, 24);
    for action in whatscope::tui::action::Action::ALL {
        assert!(
            screen.contains(action.describe()),
            "help at 80×24 does not list `{}`:\n{screen}",
            action.describe()
        );
    }
}

#[test]
fn date_prompt() {
    snap(
        "date_prompt",
        |h| {
            h.open_chat("Family Rivera");
            h.press(KeyCode::Char('t'));
            h.typ("2024-1");
        },
        demo,
    );
}

/// The anonymized conversation, results and statistics: pseudonyms everywhere a name was,
/// including names mentioned inside messages.
#[test]
fn anonymized_view() {
    let scenario = |h: &mut Harness| {
        h.open_chat("Family Rivera");
        h.press(KeyCode::Char('t'));
        h.typ("2025-06-08");
        h.press(KeyCode::Enter);
        h.press(KeyCode::Char('a'));
    };
    snap("anonymized_conversation", scenario, demo);
    snap(
        "anonymized_results",
        |h| {
            h.press(KeyCode::Char('a'));
            h.search(QUERY);
        },
        demo,
    );
    for (w, hgt) in SIZES {
        let mut h = demo((w, hgt));
        scenario(&mut h);
        let mut screens = vec![h.screen(w, hgt)];
        h.search(QUERY);
        screens.push(h.screen(w, hgt));
        h.press(KeyCode::Char('4'));
        h.press(KeyCode::Char('s'));
        screens.push(h.screen(w, hgt));
        for screen in &screens {
            for name in DEMO_NAMES {
                assert!(!screen.contains(name), "{name} shown:\n{screen}");
            }
            // First names alone are masked too.
            for first in ["Elena", "Marco", "Lucía"] {
                assert!(!screen.contains(first), "{first} shown:\n{screen}");
            }
        }
    }
}

/// docs/reliability.md, V3: a pseudonymised view redacts identifiers inside text. The names
/// "Tía Rosa" and "Abuela Carmen" are masked only as whole names or by their first word
/// (`Tía`, `Abuela`), so "Save me some Rosa" shows the real name in the anonymized view.
#[test]
fn anonymized_view_masks_every_part_of_a_name_in_text() {
    let mut h = demo((120, 40));
    h.open_chat("Family Rivera");
    h.press(KeyCode::Char('t'));
    h.typ("2025-06-08");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('a'));
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Save me some"),
        "the message is on screen:\n{screen}"
    );
    assert!(
        !screen.contains("Rosa"),
        "\"Rosa\" (of Tía Rosa) shown in the anonymized view:\n{screen}"
    );
}

/// A 1:1 chat is named after the other person: "Lukas" is both a participant (masked as a
/// sender and in text) and the chat's name, which the chat list, the pane title and the results
/// still show in the anonymized view.
#[test]
fn anonymized_view_masks_participant_names_used_as_chat_names() {
    let mut h = demo((120, 40));
    h.press(KeyCode::Char('a'));
    h.open_chat("Lukas");
    let mut screens = vec![h.screen(120, 40)];
    h.search("regen");
    screens.push(h.screen(120, 40));
    assert!(
        h.app.pseudonyms.get("Lukas") != "Someone",
        "Lukas is a participant"
    );
    for screen in &screens {
        assert!(
            !screen.contains("Lukas"),
            "the participant \"Lukas\" shown in the anonymized view:\n{screen}"
        );
    }
}

#[test]
fn terminal_too_small() {
    for (w, h) in [(30, 10), (39, 24), (80, 11), (20, 8), (1, 1)] {
        let mut harness = Harness::demo((w, h));
        let screen = harness.screen(w, h);
        let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        if w >= 20 {
            assert!(flat.contains("too small"), "{w}×{h}:\n{screen}");
        }
        if (w, h) == (30, 10) {
            insta::assert_snapshot!("too_small_30x10", screen);
        }
    }
    // The smallest size that draws.
    let mut h = Harness::demo((40, 12));
    h.open_chat("Family Rivera");
    let screen = h.screen(40, 12);
    assert!(!screen.contains("too small"));
    insta::assert_snapshot!("smallest_40x12", screen);
}

/// The first screen at 80×24 tells a new user what to do: the hint must not be cut.
#[test]
fn start_hint_fits_at_80x24() {
    let mut h = demo((80, 24));
    let screen = h.screen(80, 24);
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("search everything"),
        "hint cut at 80×24:\n{screen}"
    );
}

/// The `1396/1396` position counter is drawn over the last row of the conversation: at 60
/// columns it hides the end of the chat's last message, which cannot be scrolled into view.
#[test]
fn position_counter_hides_no_text() {
    let mut h = demo((60, 20));
    h.open_chat("Family Rivera");
    let screen = h.screen(60, 20);
    assert!(
        screen.contains("No puedo ver el video, what is it?"),
        "the last message is cut by the position counter:\n{screen}"
    );
}

/// Under 80 columns one pane is shown at a time.
#[test]
fn narrow_terminal_shows_one_pane() {
    let mut h = Harness::demo((60, 20));
    let chats = h.screen(60, 20);
    insta::assert_snapshot!("narrow_chats_60x20", chats);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.focus, Pane::Conversation);
    let conv = h.screen(60, 20);
    assert!(!conv.contains("Chats 4"), "chat list still shown:\n{conv}");
    insta::assert_snapshot!("narrow_conversation_60x20", conv);
}

/// Statistics: key lines only (the charts are still changing).
#[test]
fn statistics_pane() {
    for (w, hgt) in SIZES {
        let mut h = demo((w, hgt));
        h.open_chat("Family Rivera");
        h.press(KeyCode::Char('s'));
        let s = h.screen(w, hgt);
        assert!(s.contains("chat: Family Rivera"), "{w}×{hgt}:\n{s}");
        assert!(s.contains("Messages per participant"), "{w}×{hgt}:\n{s}");
        let elena = rows_with(&s, "Elena Rivera");
        assert!(
            elena
                .iter()
                .any(|r| r.contains("▸ Elena Rivera") && r.contains('█')),
            "{w}×{hgt}: Elena selected with a bar:\n{s}"
        );
        for name in DEMO_NAMES {
            assert!(s.contains(name), "{w}×{hgt}: {name} missing:\n{s}");
        }
        assert!(s.contains("1,382"), "{w}×{hgt}: message count:\n{s}");
        // Scroll down to the later charts.
        h.press(KeyCode::PageDown);
        h.press(KeyCode::PageDown);
        let later = h.screen(w, hgt);
        assert_ne!(later, s, "{w}×{hgt}: the statistics do not scroll");
        // `]` moves the marker.
        h.press(KeyCode::Char('g'));
        h.press(KeyCode::Char(']'));
        let s = h.screen(w, hgt);
        let second = &h.app.stats.stats.as_ref().unwrap().participants[1].name;
        assert!(
            rows_with(&s, second)
                .iter()
                .any(|r| r.contains(&format!("▸ {second}"))),
            "{w}×{hgt}: marker on {second}:\n{s}"
        );
    }
    // At 120×40 the heatmap and activity are on the first screen.
    let mut h = demo((120, 40));
    h.open_chat("Family Rivera");
    h.press(KeyCode::Char('s'));
    let s = h.screen(120, 40);
    for needle in ["Activity by month", "Hour × weekday", "Mon", "Sun"] {
        assert!(s.contains(needle), "{needle} missing:\n{s}");
    }
}

#[test]
fn statistics_before_and_while_computing() {
    let mut h = demo((120, 40));
    h.app.focus = Pane::Stats;
    let s = h.screen(120, 40);
    assert!(s.contains("statistics of the open chat"), "{s}");
}

/// `p`: the people of the demo, busiest first, with their message and chat counts.
#[test]
fn people_list_demo() {
    snap("people_list_demo", |h| h.press(KeyCode::Char('p')), demo);
}

/// Enter on the busiest person: their chats, their partners with replies both ways and
/// reply times, then activity, heatmap and words.
#[test]
fn person_statistics_demo() {
    snap(
        "person_statistics_demo",
        |h| {
            h.press(KeyCode::Char('p'));
            h.press(KeyCode::Enter);
        },
        demo,
    );
}

/// The people list and a person's statistics in the anonymized view: pseudonyms only.
#[test]
fn anonymized_people_and_person_statistics() {
    for (w, h) in SIZES {
        let mut harness = demo((w, h));
        harness.press(KeyCode::Char('a'));
        harness.press(KeyCode::Char('p'));
        let list = harness.screen(w, h);
        harness.press(KeyCode::Enter);
        let stats = harness.screen(w, h);
        for screen in [&list, &stats] {
            for name in DEMO_NAMES {
                assert!(!screen.contains(name), "{w}×{h}: {name} shown:\n{screen}");
            }
        }
        insta::assert_snapshot!(format!("anonymized_people_{w}x{h}"), list);
        insta::assert_snapshot!(format!("anonymized_person_statistics_{w}x{h}"), stats);
    }
}

/// The demo's chat exported with media (docs/media.md).
const MEDIA_DEMO: &[(&str, &str)] = &[(
    "../../assets/demo/WhatsApp Chat with Media Demo.zip",
    "WhatsApp Chat with Media Demo.zip",
)];

/// Attachments in the conversation carry their type and file name; one left out says so.
#[test]
fn conversation_with_media_marks() {
    snap(
        "conversation_media_demo",
        |h| h.open_chat("Media Demo"),
        |size| Harness::fixtures(MEDIA_DEMO, size),
    );
}

/// The statistics' media section: the types, then who sends which.
#[test]
fn media_statistics() {
    let (w, hgt) = (120, 40);
    let mut h = Harness::fixtures(MEDIA_DEMO, (w, hgt));
    h.open_chat("Media Demo");
    h.press(KeyCode::Char('s'));
    h.press(KeyCode::Char('G'));
    let s = h.screen(w, hgt);
    let media: String = s
        .lines()
        .skip_while(|l| !l.contains("││Media "))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(media.contains("image 2"), "{s}");
    insta::assert_snapshot!("media_statistics_120x40", media);
}
