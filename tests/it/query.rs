//! The query language (docs/query-language.md) against a small hand-written in-RAM index: exact hit counts,
//! one test per feature, and lenient parsing that never panics.

use proptest::prelude::*;
use std::sync::OnceLock;
use tantivy::collector::Count;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, TantivyDocument};
use whatscope::index::analyzer::{analyzer, ANALYZER};
use whatscope::index::query::{parse_query, Names, ParsedQuery};
use whatscope::index::schema::{build_schema, ts_to_secs, Fields};
use whatscope::model::Kind;

/// One message of the test index.
struct M {
    chat: &'static str,
    from: Option<&'static str>,
    ts: &'static str,
    kind: Kind,
    text: &'static str,
    file: Option<&'static str>,
    has: &'static [&'static str],
}

const FAMILY: &str = "Family Rivera";
const WORK: &str = "Work Team";

#[rustfmt::skip]
const MESSAGES: &[M] = &[
    // 0
    M { chat: FAMILY, from: Some("Ana Souza"), ts: "2023-12-31T23:59:59", kind: Kind::Text, text: "Let's meet at the Café tomorrow", file: None, has: &[] },
    // 1
    M { chat: FAMILY, from: Some("Bob Rivera"), ts: "2024-01-01T00:00:00", kind: Kind::Text, text: "the cafe was closed, pizza instead 🍕", file: None, has: &["emoji"] },
    // 2
    M { chat: FAMILY, from: Some("Ana Souza"), ts: "2024-01-15T12:00:00", kind: Kind::Text, text: "PIZZA night at home", file: None, has: &[] },
    // 3
    M { chat: FAMILY, from: Some("Carla Souza"), ts: "2024-02-01T08:30:00", kind: Kind::Media, text: "", file: Some("IMG-20240201-WA0001.jpg"), has: &["media"] },
    // 4
    M { chat: FAMILY, from: Some("Bob Rivera"), ts: "2024-02-10T09:00:00", kind: Kind::Text, text: "see https://example.com/menu for the menu", file: None, has: &["link"] },
    // 5
    M { chat: FAMILY, from: None, ts: "2024-02-11T10:00:00", kind: Kind::System, text: "Ana Souza added Carla Souza", file: None, has: &[] },
    // 6
    M { chat: WORK, from: Some("Dan Wu"), ts: "2024-03-01T00:00:00", kind: Kind::Text, text: "我们去吃饭吧", file: None, has: &[] },
    // 7
    M { chat: WORK, from: Some("Dan Wu"), ts: "2024-03-02T14:00:00", kind: Kind::Text, text: "happy birthday! ❤️ 🎉", file: None, has: &["emoji"] },
    // 8
    M { chat: WORK, from: Some("Ana Lima"), ts: "2024-03-05T16:45:00", kind: Kind::Text, text: "the quarterly report is ready", file: None, has: &[] },
    // 9
    M { chat: WORK, from: Some("Ana Lima"), ts: "2024-03-06T11:00:00", kind: Kind::Text, text: "report ready, quarterly numbers attached", file: None, has: &[] },
    // 10
    M { chat: WORK, from: Some("Eve Park"), ts: "2024-04-01T10:00:00", kind: Kind::Deleted, text: "This message was deleted", file: None, has: &[] },
    // 11
    M { chat: WORK, from: Some("Eve Park"), ts: "2024-04-02T10:00:00", kind: Kind::Media, text: "the report as pdf", file: Some("report-q1.pdf"), has: &["media"] },
    // 12
    M { chat: WORK, from: Some("Dan Wu"), ts: "2024-05-20T18:00:00", kind: Kind::Text, text: "reprot numbers look off", file: None, has: &[] },
    // 13
    M { chat: WORK, from: Some("Eve Park"), ts: "2024-06-01T07:00:00", kind: Kind::Call, text: "Missed voice call", file: None, has: &[] },
    // 14
    M { chat: WORK, from: Some("Ana Lima"), ts: "2025-01-01T00:00:00", kind: Kind::Text, text: "Happy new year or something, e-mail me", file: None, has: &[] },
];

const TOTAL: usize = MESSAGES.len();

struct Fixture {
    reader: IndexReader,
    fields: Fields,
    names: Names,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let schema: Schema = build_schema();
        let fields = Fields::resolve(&schema).expect("fields");
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(ANALYZER, analyzer());
        let mut writer = index
            .writer_with_num_threads(1, 20_000_000)
            .expect("writer");
        for (i, m) in MESSAGES.iter().enumerate() {
            let mut doc = TantivyDocument::new();
            doc.add_u64(fields.id, i as u64);
            doc.add_text(fields.chat_raw, m.chat);
            doc.add_text(fields.sender_raw, m.from.unwrap_or(""));
            doc.add_text(fields.text, m.text);
            if let Some(file) = m.file {
                doc.add_text(fields.file, file);
            }
            let ts = chrono::NaiveDateTime::parse_from_str(m.ts, "%Y-%m-%dT%H:%M:%S")
                .expect("fixture ts");
            doc.add_i64(fields.ts, ts_to_secs(&ts));
            doc.add_u64(fields.line, i as u64 + 1);
            doc.add_u64(fields.kind, m.kind.code());
            for h in m.has {
                doc.add_text(fields.has, h);
            }
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        let names = Names::from_searcher(&reader.searcher()).expect("names");
        Fixture {
            reader,
            fields,
            names,
        }
    })
}

fn parse(q: &str) -> ParsedQuery {
    parse_query(q, &fixture().fields, &fixture().names)
}

/// The number of messages `q` matches.
fn count(q: &str) -> usize {
    let parsed = parse(q);
    fixture()
        .reader
        .searcher()
        .search(&*parsed.query, &Count)
        .unwrap_or_else(|e| panic!("query {q:?} failed: {e}"))
}

#[test]
fn word() {
    assert_eq!(count("pizza"), 2);
    assert_eq!(count("report"), 3); // 8, 9, 11 (text and file)
    let p = parse("pizza");
    assert_eq!(p.highlight, vec!["pizza"]);
    assert!(!p.filters_only);
    assert!(p.notes.is_empty());
}

#[test]
fn two_words_and() {
    assert_eq!(count("quarterly report"), 2);
    assert_eq!(count("report pdf"), 1);
    assert_eq!(count("pizza report"), 0);
}

#[test]
fn accents() {
    assert_eq!(count("cafe"), 2);
    assert_eq!(count("café"), 2);
    assert_eq!(count("CAFÉ"), 2);
}

#[test]
fn case() {
    assert_eq!(count("PiZzA"), 2);
    assert_eq!(count("happy"), 2);
}

#[test]
fn phrase() {
    assert_eq!(count("\"quarterly report\""), 1);
    assert_eq!(count("\"report ready\""), 1);
    assert_eq!(count("\"ready report\""), 0);
    assert_eq!(count("\"pizza\""), 2);
    assert_eq!(
        parse("\"Quarterly Report\"").highlight,
        vec!["quarterly report"]
    );
}

#[test]
fn word_split_into_tokens_is_a_phrase() {
    assert_eq!(count("e-mail"), 1);
    assert_eq!(count("mail-e"), 0);
    assert_eq!(count("let's"), 1);
}

#[test]
fn exclusion() {
    assert_eq!(count("report -pdf"), 2);
    assert_eq!(count("report -\"quarterly report\""), 2);
    assert_eq!(count("pizza -from:bob"), 1);
    let p = parse("report -pdf");
    assert_eq!(p.highlight, vec!["report"]);
}

#[test]
fn prefix() {
    assert_eq!(count("piz*"), 2);
    assert_eq!(count("rep*"), 4); // report and reprot
    assert_eq!(count("quart*"), 2);
    assert_eq!(count("zzz*"), 0);
    // The attachment name counts: `img` is only in a file name.
    assert_eq!(count("img*"), 1);
    assert_eq!(parse("Caf*").highlight, vec!["caf"]);
    // Several tokens: a phrase whose last token is the prefix.
    assert_eq!(count("e-ma*"), 1);
    assert_eq!(count("我们去*"), 1);
    // Filters take a prefix too.
    assert_eq!(count("from:an*"), 5);
}

#[test]
fn fuzzy() {
    // `report~` also finds the typo `reprot` (a transposition).
    assert_eq!(count("report~"), 4);
    assert_eq!(count("pizzq~"), 2);
    assert_eq!(count("from:anna~"), 5);
    assert_eq!(count("report"), 3);
}

#[test]
fn or() {
    assert_eq!(count("pizza OR birthday"), 3);
    assert_eq!(count("pizza OR birthday OR quarterly"), 5);
    assert_eq!(count("pizza OR birthday night"), 1);
    assert_eq!(count("from:bob OR from:eve"), 5);
    // Lowercase `or` is a word.
    assert_eq!(count("pizza or birthday"), 0);
    assert_eq!(count("happy or"), 1);
}

#[test]
fn from_filter() {
    assert_eq!(count("from:ana"), 5);
    assert_eq!(count("FROM:Ana"), 5);
    assert_eq!(count("from:souza"), 3);
    assert_eq!(count("from:ana report"), 2);
    let p = parse("from:ana");
    assert!(p.filters_only);
    assert!(p.highlight.is_empty());
}

#[test]
fn from_quoted_two_words() {
    assert_eq!(count("from:\"Ana Souza\""), 2);
    assert_eq!(count("from:\"ana lima\""), 3);
    assert_eq!(count("from:\"Souza Ana\""), 0);
}

#[test]
fn chat_filter() {
    assert_eq!(count("chat:family"), 6);
    assert_eq!(count("chat:\"work team\""), 9);
    assert_eq!(count("chat:work report"), 3);
}

#[test]
fn after_inclusive() {
    assert_eq!(count("after:2024-01-01"), 14);
    assert_eq!(count("after:2024-03-01"), 9);
    assert_eq!(count("after:2024-03"), 9);
    assert_eq!(count("after:2025"), 1);
}

#[test]
fn before_exclusive() {
    assert_eq!(count("before:2024-01-01"), 1);
    assert_eq!(count("before:2024-03-01"), 6);
    assert_eq!(count("before:2024"), 1);
}

#[test]
fn after_and_before() {
    assert_eq!(count("after:2024-03-01 before:2024-04-01"), 4);
    assert_eq!(count("after:2024-03 before:2024-04 report"), 2);
    assert_eq!(count("after:2024-04-01 before:2024-03-01"), 0);
}

#[test]
fn kind_filter() {
    assert_eq!(count("kind:media"), 2);
    assert_eq!(count("kind:TEXT"), 10);
    assert_eq!(count("kind:system"), 1);
    assert_eq!(count("kind:call"), 1);
    assert_eq!(count("-kind:text"), TOTAL - 10);
}

#[test]
fn has_media() {
    assert_eq!(count("has:media"), 2);
}

#[test]
fn has_link() {
    assert_eq!(count("has:link"), 1);
}

#[test]
fn has_emoji() {
    assert_eq!(count("has:emoji"), 2);
    assert_eq!(count("HAS:Emoji"), 2);
}

#[test]
fn emoji_token() {
    assert_eq!(count("🍕"), 1);
    assert_eq!(count("🎉"), 1);
    // The variation selector does not matter.
    assert_eq!(count("❤️"), 1);
    assert_eq!(count("❤"), 1);
    assert_eq!(parse("🍕").highlight, vec!["🍕"]);
}

#[test]
fn cjk_substring() {
    assert_eq!(count("吃饭"), 1);
    assert_eq!(count("去吃"), 1);
    assert_eq!(count("饭吃"), 0);
    assert_eq!(count("\"我们\""), 1);
    assert_eq!(parse("吃饭").highlight, vec!["吃 饭"]);
}

#[test]
fn empty_query_lists_everything_or_the_filtered() {
    assert_eq!(count(""), TOTAL);
    assert_eq!(count("   "), TOTAL);
    assert!(parse("").filters_only);
    assert_eq!(count("has:media"), 2);
    assert_eq!(count("chat:family kind:text"), 4);
    assert!(parse("chat:family kind:text").filters_only);
}

#[test]
fn only_exclusions() {
    assert_eq!(count("-pizza"), TOTAL - 2);
    assert_eq!(count("-pizza -report"), TOTAL - 5);
    assert_eq!(count("-from:ana"), TOTAL - 5);
    let p = parse("-pizza");
    assert!(p.filters_only);
    assert!(p.highlight.is_empty());
}

#[test]
fn lenient_garbage() {
    // An unclosed quote: the rest is the phrase.
    assert_eq!(count("\"quarterly report"), 1);
    assert_eq!(count("\"unclosed"), 0);
    // Filters without a usable value are ignored, with a note; when nothing else is left,
    // nothing matches (issue 15: never every message for a query nobody could read).
    let p = parse("from:");
    assert_eq!(p.unread.len(), 2, "{:?}", p.unread);
    assert_eq!(count("from:"), 0);
    assert_eq!(count("from: pizza"), 2);
    let p = parse("kind:nonsense");
    assert!(p.notes[0].contains("nonsense"), "{:?}", p.notes);
    assert_eq!(count("kind:nonsense"), 0);
    assert_eq!(count("kind:nonsense pizza"), 2);
    let p = parse("after:notadate");
    assert!(p.notes[0].contains("after:"), "{:?}", p.notes);
    assert_eq!(count("after:notadate"), 0);
    assert_eq!(count("before:2024-02-30 pizza"), 2);
    assert_eq!(count("has:pictures pizza"), 2);
    // Nothing searchable at all: nothing matches, with a note.
    assert_eq!(count("(("), 0);
    assert!(!parse("((").notes.is_empty());
    assert_eq!(count("(( pizza ))"), 2);
    assert_eq!(count("-"), 0);
    assert_eq!(count("*"), 0);
    assert_eq!(count("~"), 0);
    assert_eq!(count("\"\""), 0);
    // An empty query is no query: everything.
    assert_eq!(count(""), TOTAL);
    assert!(parse("").notes.is_empty());
    // An unknown filter is words.
    assert_eq!(count("foo:pizza"), 0);
    // A dangling OR is the word "or".
    assert_eq!(count("OR"), 1);
    assert_eq!(count("pizza OR"), 0);
    assert_eq!(count("OR OR OR"), 1);
    assert_eq!(count("-pizza OR birthday"), 0);
    assert_eq!(count("--pizza"), TOTAL - 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_input_never_panics(input in "\\PC{0,40}") {
        let n = count(&input);
        prop_assert!(n <= TOTAL);
    }

    #[test]
    fn query_syntax_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("\"".to_owned()), Just("-".to_owned()), Just("*".to_owned()),
                Just("~".to_owned()), Just(":".to_owned()), Just("OR".to_owned()),
                Just(" ".to_owned()), Just("from:".to_owned()), Just("chat:".to_owned()),
                Just("after:".to_owned()), Just("before:".to_owned()), Just("kind:".to_owned()),
                Just("has:".to_owned()), Just("2024-03".to_owned()), Just("pizza".to_owned()),
                Just("吃饭".to_owned()), Just("🍕".to_owned()), Just("ana".to_owned()),
                "\\PC{0,4}",
            ],
            0..12,
        )
    ) {
        let input: String = parts.concat();
        let n = count(&input);
        prop_assert!(n <= TOTAL);
    }
}
