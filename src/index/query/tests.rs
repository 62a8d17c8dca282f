//! Unit tests of the query language: lexing, OR groups, times and prefix bounds.

use super::lex::Lexeme;
use super::*;

fn bare(negated: bool, filter: Option<Filter>, v: &str) -> Lexeme {
    Lexeme::Clause(Clause {
        negated,
        filter,
        value: Value::Bare(v.to_owned()),
    })
}

fn quoted_lx(negated: bool, filter: Option<Filter>, v: &str) -> Lexeme {
    Lexeme::Clause(Clause {
        negated,
        filter,
        value: Value::Quoted(v.to_owned()),
    })
}

#[test]
fn lexes_every_shape() {
    assert_eq!(
        lex(r#"pizza -"bad day" FROM:"Ana Souza" -chat:fam OR caf* x~ foo:bar "open"#),
        vec![
            bare(false, None, "pizza"),
            quoted_lx(true, None, "bad day"),
            quoted_lx(false, Some(Filter::From), "Ana Souza"),
            bare(true, Some(Filter::Chat), "fam"),
            Lexeme::Or,
            bare(false, None, "caf*"),
            bare(false, None, "x~"),
            bare(false, None, "foo:bar"),
            quoted_lx(false, None, "open"),
        ]
    );
    assert_eq!(lex(" - -  "), vec![]);
    assert_eq!(
        lex("a\"b c\"d"),
        vec![
            bare(false, None, "a"),
            quoted_lx(false, None, "b c"),
            bare(false, None, "d")
        ]
    );
}

#[test]
fn groups_or_chains_and_dangling_or() {
    let g = group(lex("a OR b OR c d"));
    assert_eq!(g.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 1]);
    let g = group(lex("OR a OR -b OR"));
    assert_eq!(
        g.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![1, 1, 1, 1, 1]
    );
    assert_eq!(g[0][0].value, Value::Bare("or".into()));
}

#[test]
fn times() {
    let t = |s: &str| parse_time(s).map(|t| t.to_string());
    assert_eq!(t("2024-03-05").as_deref(), Some("2024-03-05 00:00:00"));
    assert_eq!(t("2024-3").as_deref(), Some("2024-03-01 00:00:00"));
    assert_eq!(t("2024").as_deref(), Some("2024-01-01 00:00:00"));
    assert_eq!(
        t("2024-03-05T10:20").as_deref(),
        Some("2024-03-05 10:20:00")
    );
    assert_eq!(t("2024-02-30"), None);
    assert_eq!(t("notadate"), None);
    assert_eq!(t(""), None);
    assert_eq!(t("99999"), None);
}

#[test]
fn prefix_end_skips_max_bytes() {
    assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
    assert_eq!(prefix_end(&[b'a', 0xFF]), Some(b"b".to_vec()));
    assert_eq!(prefix_end(&[0xFF]), None);
}
