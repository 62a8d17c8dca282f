//! Every fixture in `tests/fixtures/` parsed and checked against its `.expected.json`, field by
//! field: counts, kinds, senders, first/last/min/max timestamps, edited and multi-line counts.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use whatscope::import::{self, source::Limits, ParseOptions};
use whatscope::model::Kind;
use whatscope::timestamp::format_ts;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The export a `.expected.json` describes: the sibling with its `file` name.
fn export_for(expected: &Path, json: &Value) -> PathBuf {
    match json["file"].as_str() {
        Some(f) => expected.with_file_name(f),
        None => expected.with_extension("").with_extension("txt"),
    }
}

fn check(expected_path: &Path) -> Result<(), String> {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let export = export_for(expected_path, &json);
    let loaded = import::load(&export, &Limits::default()).map_err(|e| e.to_string())?;
    let parsed =
        import::parse(&loaded.decoded.text, &ParseOptions::default()).map_err(|e| e.to_string())?;
    let msgs: Vec<_> = parsed.messages().collect();
    let mut errors = Vec::new();
    let mut eq = |field: &str, got: Value| {
        let want = match field.split_once('.') {
            Some((outer, inner)) => json.get(outer).and_then(|o| o.get(inner)),
            None => json.get(field),
        };
        if let Some(want) = want {
            if *want != got {
                errors.push(format!("{field}: expected {want}, got {got}"));
            }
        }
    };

    eq("messages", msgs.len().into());
    let count = |k: Kind| msgs.iter().filter(|m| m.kind == k).count();
    eq("system_messages", count(Kind::System).into());
    eq("media_messages", count(Kind::Media).into());
    eq("deleted_messages", count(Kind::Deleted).into());
    eq(
        "edited_messages",
        msgs.iter().filter(|m| m.edited).count().into(),
    );
    eq(
        "multiline_messages",
        msgs.iter().filter(|m| m.lines > 1).count().into(),
    );
    eq("physical_lines", parsed.physical_lines.into());
    let mut kinds = BTreeMap::new();
    for k in Kind::ALL {
        kinds.insert(k.as_str().to_string(), Value::from(count(k)));
    }
    if let Some(want) = json.get("kinds").and_then(Value::as_object) {
        for k in want.keys() {
            let got = kinds.get(k).cloned().unwrap_or(Value::Null);
            eq(&format!("kinds.{k}"), got.clone());
        }
    }
    let mut senders: Vec<String> = msgs
        .iter()
        .filter_map(|m| m.sender.map(str::to_string))
        .collect();
    senders.sort();
    senders.dedup();
    eq("senders", senders.into());
    let ts: Vec<String> = msgs.iter().map(|m| format_ts(&m.ts)).collect();
    eq("first_timestamp", ts.first().cloned().into());
    eq("last_timestamp", ts.last().cloned().into());
    eq("min_timestamp", ts.iter().min().cloned().into());
    eq("max_timestamp", ts.iter().max().cloned().into());
    eq(
        "date_order",
        parsed.order.order.as_str().to_uppercase().into(),
    );
    // No line may be lost: every physical line is in a message, or reported.
    let covered: usize =
        msgs.iter().map(|m| m.lines).sum::<usize>() + first_message_offset(&parsed);
    if covered != parsed.physical_lines {
        errors.push(format!(
            "line accounting: {covered} lines placed of {}",
            parsed.physical_lines
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n  {}", export.display(), errors.join("\n  ")))
    }
}

fn first_message_offset(parsed: &import::Parsed<'_>) -> usize {
    parsed
        .message(0)
        .map_or(parsed.physical_lines, |m| m.line - 1)
}

fn expected_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

macro_rules! fixture_test {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            let path = fixtures_dir().join($file);
            if let Err(e) = check(&path) {
                panic!("{e}");
            }
        }
    };
}

fixture_test!(
    corpus_01_android_en_gb_24h_group,
    "01_android_en_gb_24h_group.expected.json"
);
fixture_test!(
    corpus_02_android_en_us_12h_nnbsp,
    "02_android_en_us_12h_nnbsp.expected.json"
);
fixture_test!(
    corpus_03_ios_en_gb_24h_group_2023,
    "03_ios_en_gb_24h_group_2023.expected.json"
);
fixture_test!(
    corpus_04_ios_en_us_12h_nnbsp_2024,
    "04_ios_en_us_12h_nnbsp_2024.expected.json"
);
fixture_test!(
    corpus_06_android_de_24h_dots,
    "06_android_de_24h_dots.expected.json"
);
fixture_test!(
    corpus_07_ios_de_24h_dots,
    "07_ios_de_24h_dots.expected.json"
);
fixture_test!(
    corpus_09_android_pt_br_24h_nocomma,
    "09_android_pt_br_24h_nocomma.expected.json"
);
fixture_test!(
    corpus_11_android_ru_24h_dots,
    "11_android_ru_24h_dots.expected.json"
);
fixture_test!(
    corpus_13_android_id_bom_dot_time,
    "13_android_id_bom_dot_time.expected.json"
);
fixture_test!(
    corpus_15_ios_legacy_2016_colon,
    "15_ios_legacy_2016_colon.expected.json"
);
fixture_test!(
    corpus_17_android_en_ambiguous_daymonth,
    "17_android_en_ambiguous_daymonth.expected.json"
);
fixture_test!(
    corpus_19_ios_zip_with_media,
    "19_ios_zip_with_media.expected.json"
);

/// Every fixture, including the project's own variants added beside the corpus.
#[test]
fn p1_every_fixture_matches_its_expectation() {
    let files = expected_files();
    assert!(files.len() >= 12, "fixtures missing: {}", files.len());
    let failures: Vec<String> = files.iter().filter_map(|f| check(f).err()).collect();
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn zip_media_is_listed_and_named_after_the_zip() {
    let loaded = import::load(
        &fixtures_dir().join("19_ios_zip_with_media.zip"),
        &Limits::default(),
    )
    .expect("zip loads");
    assert_eq!(loaded.media.len(), 7);
    assert!(loaded
        .media
        .contains(&"00000014-Morag Quinn.vcf".to_string()));
    let parsed = import::parse(&loaded.decoded.text, &ParseOptions::default()).expect("parses");
    // The fixture's file name is not an export name; the chat is then named by the
    // encryption notice's author only when nothing better exists.
    assert_eq!(parsed.title_hint.as_deref(), Some("Lakeside Choir"));
    let photo = parsed
        .messages()
        .find(|m| m.kind == Kind::Media)
        .expect("media");
    assert_eq!(
        photo.attachment,
        Some("00000005-PHOTO-2024-05-07-19-03-12.jpg")
    );
}

// ---------------------------------------------------------------------------------------------
// Fidelity: the shapes other parsers' test suites hold (tests/fixtures/fidelity/), each checked
// message by message and field by field against its `.expected.ndjson`.

fn fidelity_dir() -> PathBuf {
    fixtures_dir().join("fidelity")
}

/// Parses `fidelity/NAME.txt` and compares every message, field by field, with the expected
/// lines; returns the parse's warnings for the import report.
fn check_fidelity(name: &str) -> Vec<String> {
    let export = fidelity_dir().join(format!("{name}.txt"));
    let loaded = import::load(&export, &Limits::default()).expect("fixture loads");
    let parsed = import::parse_loaded(&loaded, &ParseOptions::default()).expect("fixture parses");
    let expected = std::fs::read_to_string(fidelity_dir().join(format!("{name}.expected.ndjson")))
        .expect("expected output");
    let want: Vec<Value> = expected
        .lines()
        .map(|l| serde_json::from_str(l).expect("expected line is JSON"))
        .collect();
    let got: Vec<_> = parsed.messages().collect();
    let mut errors = Vec::new();
    for (n, (w, g)) in want.iter().zip(&got).enumerate() {
        let fields: [(&str, Value); 7] = [
            ("line", g.line.into()),
            ("ts", format_ts(&g.ts).into()),
            ("sender", g.sender.into()),
            ("kind", g.kind.as_str().into()),
            ("text", g.text.into()),
            ("attachment", g.attachment.into()),
            ("edited", g.edited.into()),
        ];
        for (field, value) in fields {
            if w[field] != value {
                errors.push(format!(
                    "message {}: {field}: expected {}, got {value}",
                    n + 1,
                    w[field]
                ));
            }
        }
    }
    if want.len() != got.len() {
        errors.push(format!(
            "expected {} messages, got {}",
            want.len(),
            got.len()
        ));
    }
    assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    import::warnings(&loaded, &parsed)
}

fn senders(name: &str) -> Vec<String> {
    let loaded = import::load(
        &fidelity_dir().join(format!("{name}.txt")),
        &Limits::default(),
    )
    .expect("loads");
    let parsed = import::parse_loaded(&loaded, &ParseOptions::default()).expect("parses");
    let mut names: Vec<String> = parsed
        .messages()
        .filter_map(|m| m.sender.map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn ios_text_starting_with_lrm_is_the_persons_text() {
    check_fidelity("ios_marked_text_is_text");
    // The group that only writes events is never a participant; the people all are.
    assert_eq!(
        senders("ios_marked_text_is_text"),
        ["Alice Moreau", "Burak Kaya", "Tomás Ruiz"]
    );
}

#[test]
fn group_encryption_notice_without_mark_is_system() {
    check_fidelity("android_group_encryption_notice_unmarked");
    check_fidelity("ios_de_group_encryption_notice_unmarked");
    assert_eq!(
        senders("android_group_encryption_notice_unmarked"),
        ["Ash Ketchum", "Misty"]
    );
    assert_eq!(
        senders("ios_de_group_encryption_notice_unmarked"),
        ["Hilde Hoffmann", "Jonas Becker"]
    );
}

#[test]
fn cr_cr_lf_is_one_line_break() {
    let warnings = check_fidelity("android_cr_cr_lf");
    assert!(warnings.is_empty(), "{warnings:?}");
    let loaded = import::load(
        &fidelity_dir().join("android_cr_cr_lf.txt"),
        &Limits::default(),
    )
    .expect("loads");
    let parsed = import::parse_loaded(&loaded, &ParseOptions::default()).expect("parses");
    assert_eq!(parsed.physical_lines, 6);
    assert!(parsed.messages().all(|m| !m.text.ends_with('\n')));
}

#[test]
fn placeholders_match_in_any_letter_case() {
    check_fidelity("android_placeholders_any_case");
}

#[test]
fn mixed_line_ends_are_judged_by_the_file() {
    let warnings = check_fidelity("ios_crlf_with_lf_run");
    // What was decided is reported: the pasted lines kept as text, the run read as messages.
    assert!(
        warnings.iter().any(|w| w.contains("lines 6, 19, 20, 28")
            && w.contains("kept as text of the message before")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("3 header lines after a bare LF")),
        "{warnings:?}"
    );
}
