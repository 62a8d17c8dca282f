use std::time::Instant;
use tantivy::collector::Count;
use tantivy::query::{FuzzyTermQuery, Query};
use tantivy::{Index, TantivyDocument, Term};
use whatscope::index::analyzer::{analyzer, ANALYZER};
use whatscope::index::query::parse_query;
use whatscope::index::schema::{build_schema, Fields};

#[test]
#[ignore]
fn perf() {
    let schema = build_schema();
    let f = Fields::resolve(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let index = Index::create_in_dir(dir.path(), schema).unwrap();
    index.tokenizers().register(ANALYZER, analyzer());
    let mut w = index.writer_with_num_threads(4, 400_000_000).unwrap();
    let mut x: u64 = 12345;
    let mut word = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = x % 60_000;
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let mut s = String::new();
        let mut m = n + 27;
        while m > 0 {
            s.push(letters[(m % 26) as usize] as char);
            m /= 26;
        }
        s
    };
    let t0 = Instant::now();
    for i in 0..2_000_000u64 {
        let text: Vec<String> = (0..8).map(|_| word()).collect();
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, i);
        d.add_text(f.text, text.join(" "));
        d.add_text(f.from, if i % 3 == 0 { "Ana Souza" } else { "Bob" });
        d.add_i64(f.ts, 1_600_000_000 + i as i64 * 60);
        d.add_u64(f.kind, i % 3);
        w.add_document(d).unwrap();
    }
    w.commit().unwrap();
    drop(w);
    println!("indexed in {:?}", t0.elapsed());
    let reader = index.reader().unwrap();
    let s = reader.searcher();
    println!("segments {}", s.segment_readers().len());
    for q in [
        "a*",
        "ab*",
        "abc*",
        "abc",
        "abc~",
        "abc abd",
        "\"abc abd\"",
        "-abc",
        "from:ana after:2021 abc*",
        "abc OR abd OR abe",
        "from:ana",
    ] {
        let p = parse_query(q, &f);
        let t = Instant::now();
        let n = s.search(&*p.query, &Count).unwrap();
        let top = s
            .search(
                &*p.query,
                &tantivy::collector::TopDocs::with_limit(20).order_by_score(),
            )
            .unwrap();
        println!("{q:30} {n:8} {:?} top{}", t.elapsed(), top.len());
    }
    for pre in ["a", "ab", "abc"] {
        let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.text, pre), 0, true);
        for _ in 0..2 {
        let t = Instant::now();
        let n = s.search(&q as &dyn Query, &Count).unwrap();
        println!("fuzzy-prefix {pre:10} {n:8} {:?}", t.elapsed());
        let p = parse_query(&format!("{pre}*"), &f);
        let t = Instant::now();
        let n = s.search(&*p.query, &Count).unwrap();
        println!("range-prefix(text|file) {pre:10} {n:8} {:?}", t.elapsed());
        let q2 = whatscope_prefix(f.text, pre);
        let t = Instant::now();
        let n = s.search(&*q2, &Count).unwrap();
        println!("range-prefix(text) {pre:10} {n:8} {:?}", t.elapsed());
        }
    }
}

fn whatscope_prefix(field: tantivy::schema::Field, p: &str) -> Box<dyn Query> {
    use std::ops::Bound;
    let mut end = p.as_bytes().to_vec();
    *end.last_mut().unwrap() += 1;
    let mut t = Term::from_field_text(field, "");
    t.append_bytes(&end);
    Box::new(tantivy::query::InvertedIndexRangeQuery::new(Bound::Included(Term::from_field_text(field, p)), Bound::Excluded(t)))
}
