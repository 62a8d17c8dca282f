//! Parsing cases of docs/reliability.md not covered by `tests/it/bad_input.rs` and the corpus:
//! date-order outcomes (P2), extreme years (P4), times that go backwards (P5), daylight-
//! saving repeats (P6), two formats in one file (P7) and hostile author names (P9).

use crate::support::bin::{describe, parse_ndjson, s, Env};
use serde_json::Value;

fn parse(env: &Env, name: &str, text: &str, extra: &[&str]) -> std::process::Output {
    let path = env.write(name, text.as_bytes());
    let mut args = vec!["parse", s(&path)];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn messages(out: &std::process::Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", describe(out));
    parse_ndjson(&out.stdout)
}

fn stamps(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["ts"].as_str().expect("ts"))
        .collect()
}

#[test]
fn p2_date_order_decided_by_the_whole_file_or_refused() {
    let env = Env::new();
    // Every day ≤ 12, and the first part changes more often: day-first.
    let low = "01/02/2021, 10:00 - Ana: a\n02/02/2021, 10:00 - Ana: b\n03/02/2021, 10:00 - Bo: c\n";
    let got = messages(&parse(&env, "low.txt", low, &[]));
    assert_eq!(stamps(&got)[2], "2021-02-03T10:00:00");
    // The same file where the user says month-first.
    let got = messages(&parse(&env, "low.txt", low, &["--date-order", "mdy"]));
    assert_eq!(stamps(&got)[2], "2021-03-02T10:00:00");
    // One day above 12, late in the file, decides for every line, the first included.
    let one = "01/02/2021, 10:00 - Ana: a\n13/02/2021, 10:00 - Ana: b\n";
    let got = messages(&parse(&env, "one.txt", one, &[]));
    assert_eq!(stamps(&got), ["2021-02-01T10:00:00", "2021-02-13T10:00:00"]);
    // Evidence for both orders: refused with the counts and a hint, nothing printed.
    let mut both = String::new();
    for i in 1..=6 {
        both.push_str(&format!(
            "13/0{i}/2021, 10:00 - Ana: d{i}\n0{i}/14/2021, 10:00 - Bo: m{i}\n"
        ));
    }
    let out = parse(&env, "both.txt", &both, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("day-first and month-first"),
        "{err}"
    );
    assert!(
        err.contains("hint: ") && err.contains("--date-order"),
        "{err}"
    );
    let forced = messages(&parse(&env, "both.txt", &both, &["--date-order", "dmy"]));
    assert_eq!(
        forced.len(),
        6,
        "lines that do not fit the given order are not messages"
    );
}

#[test]
fn p4_extreme_years_and_the_two_digit_pivot() {
    let env = Env::new();
    let text = "01/01/1900, 10:00 - Ana: a\n01/01/69, 10:00 - Ana: b\n\
                01/01/9999, 10:00 - Ana: c\n01/01/00, 10:00 - Ana: d\n";
    let got = messages(&parse(&env, "years.txt", text, &[]));
    // Two-digit years are 20xx: WhatsApp did not exist before 2009 (documented pivot).
    assert_eq!(
        stamps(&got),
        [
            "1900-01-01T10:00:00",
            "2069-01-01T10:00:00",
            "9999-01-01T10:00:00",
            "2000-01-01T10:00:00"
        ]
    );
    // The archive and its statistics take the whole span without overflow.
    let path = env.write("years.txt", text.as_bytes());
    env.ok(&["import", s(&path)]);
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["first"], "1900-01-01T10:00:00");
    assert_eq!(stats["last"], "9999-01-01T10:00:00");
    assert_eq!(stats["messages"], 4);
}

#[test]
fn p5_times_that_go_backwards_keep_file_order_and_no_negative_durations() {
    let env = Env::new();
    let text =
        "10/01/2021, 10:05 - Ana: a\n10/01/2021, 10:03 - Bo: b\n10/01/2021, 10:04 - Ana: c\n";
    let got = messages(&parse(&env, "back.txt", text, &[]));
    let lines: Vec<u64> = got
        .iter()
        .map(|m| m["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [1, 2, 3], "parse keeps file order");
    let path = env.write("back.txt", text.as_bytes());
    env.ok(&["import", s(&path)]);
    let stats = env.json(&["stats", "--json"]);
    for p in stats["participants"].as_array().expect("participants") {
        if let Some(secs) = p["median_response_secs"].as_i64() {
            assert!(secs >= 0, "{stats}");
        }
    }
    // The log is in time order, with file order breaking ties.
    let log = env.ndjson(&["log", "--chat", "back", "--json"]);
    assert_eq!(
        stamps(&log),
        [
            "2021-01-10T10:03:00",
            "2021-01-10T10:04:00",
            "2021-01-10T10:05:00"
        ]
    );
}

#[test]
fn p6_daylight_saving_repeats_and_gaps_are_all_kept() {
    // Exports carry local wall-clock time without a zone, and whatscope keeps it so
    // (documented): the repeated 02:30 of 29/10/2023 and the skipped 02:30 of 26/03/2023 in
    // Europe/Berlin are ordinary times, each message kept, in file order.
    let env = Env::new();
    let text = "26/03/2023, 02:30 - Ana: in the gap\n29/10/2023, 02:30 - Ana: first\n\
                29/10/2023, 02:30 - Bo: second\n29/10/2023, 02:10 - Ana: after the shift\n";
    let got = messages(&parse(&env, "dst.txt", text, &[]));
    assert_eq!(got.len(), 4);
    assert_eq!(stamps(&got)[0], "2023-03-26T02:30:00");
    let path = env.write("dst.txt", text.as_bytes());
    env.ok(&["import", s(&path)]);
    let log = env.ndjson(&["log", "--chat", "dst", "--json"]);
    assert_eq!(log.len(), 4);
    let texts: Vec<&str> = log
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        texts[2..],
        ["first", "second"],
        "equal times keep file order"
    );
}

#[test]
fn p7_android_and_ios_halves_in_one_file_are_both_parsed() {
    let env = Env::new();
    let text = "01/02/2021, 10:00 - Ana: android one\n01/02/2021, 10:01 - Bo: android two\n\
                [02/02/2021, 11:00:00] Ana: ios one\n[02/02/2021, 11:01:00] Bo: ios two\n";
    let got = messages(&parse(&env, "mixed.txt", text, &[]));
    let texts: Vec<&str> = got
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(texts, ["android one", "android two", "ios one", "ios two"]);
}

#[test]
fn p9_hostile_author_names_keep_a_stable_identity() {
    let env = Env::new();
    let long = "N".repeat(1000);
    let text = format!(
        "01/02/2021, 10:00 - \u{202a}+49 1512 3456789\u{202c}: wrapped number\n\
         01/02/2021, 10:01 - ~\u{a0}Maya: tilde\n\
         01/02/2021, 10:02 - 😀😀: emoji only\n\
         01/02/2021, 10:03 - You: me\n\
         01/02/2021, 10:04 - {long}: long name\n\
         01/02/2021, 10:05 - +49 1512 3456789: plain number\n\
         01/02/2021, 10:06 - Maya: plain name\n"
    );
    let got = messages(&parse(&env, "names.txt", &text, &[]));
    let senders: Vec<&str> = got
        .iter()
        .map(|m| m["sender"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        senders,
        [
            "+49 1512 3456789",
            "Maya",
            "😀😀",
            "You",
            long.as_str(),
            "+49 1512 3456789",
            "Maya"
        ]
    );
    let path = env.write("names.txt", text.as_bytes());
    env.ok(&["import", s(&path)]);
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(
        stats["participants"].as_array().map(Vec::len),
        Some(5),
        "{stats}"
    );
    assert_eq!(env.total("from:Maya"), 2);
}
