//! Unit tests of the stats command's text report.

use super::*;

#[test]
fn numbers_and_sparks() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(1234567), "1,234,567");
    assert_eq!(thousands(100), "100");
    assert_eq!(spark(0, 8), '▁');
    assert_eq!(spark(8, 8), '█');
}

#[test]
fn renders_at_every_width_without_control_characters() {
    use crate::stats::{Interaction, MonthCount, Participant, WordCount};
    let mut s = Stats {
        messages: 3,
        system: 1,
        first: Some("2019-01-01T10:00:00".into()),
        last: Some("2021-03-01T10:00:00".into()),
        ..Stats::default()
    };
    s.participants.push(Participant {
        name: "E\u{1b}[2Jve \u{202E}x".into(),
        messages: 3,
        median_response_secs: Some(61),
        ..Participant::default()
    });
    s.by_month = (0..27)
        .map(|i| MonthCount {
            month: format!("{}-{:02}", 2019 + i / 12, i % 12 + 1),
            messages: u64::from(i % 5 == 0),
        })
        .collect();
    s.by_weekday_hour[2][23] = 3;
    s.interactions.push(Interaction {
        from: "a\u{7}".into(),
        to: "b".into(),
        replies: 1,
    });
    s.top_words.push(WordCount {
        word: "\u{9b}31m".into(),
        count: 2,
    });
    s.per_chat = Some(vec![crate::stats::ChatCount {
        chat: "Fam\u{1b}]0;x\u{7}ily".into(),
        messages: 3,
    }]);
    s.partners = Some(vec![crate::stats::Partner {
        person: "\u{202E}Bob\r".into(),
        replies_to: 2,
        replies_from: 1,
        median_response_secs: Some(75),
    }]);
    let sgr = regex::Regex::new("\x1b\\[[0-9;]*m").expect("a valid pattern");
    for width in 0..130 {
        for color in [false, true] {
            let style = Style {
                color,
                terminal: color,
            };
            let out = render(&s, &Painter { style, width });
            let text = if color {
                // Only our own SGR sequences may appear.
                sgr.replace_all(&out, "").into_owned()
            } else {
                out
            };
            assert!(crate::sanitize::is_terminal_safe(&text), "{text:?}");
        }
    }
}
