//! The search-server configs in `assets/scale/` (docs/scale.md): both are strict, so every
//! field `export` writes must be mapped in each, or loading an export would fail there.

use crate::support::bin::Env;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every key of every line an NDJSON export writes, plain and anonymized.
fn exported_fields(env: &Env) -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    for args in [&["export"][..], &["--anonymize", "export"][..]] {
        let lines = env.ndjson(args);
        assert!(lines.len() > 10, "the export wrote {} lines", lines.len());
        for line in lines {
            let Value::Object(map) = line else {
                panic!("an export line is not an object: {line}");
            };
            fields.extend(map.keys().cloned());
        }
    }
    fields
}

/// The properties of the Elasticsearch/OpenSearch mapping.
fn elasticsearch_fields(text: &str) -> BTreeSet<String> {
    let mapping: Value = serde_json::from_str(text).expect("elasticsearch-mapping.json is JSON");
    assert_eq!(
        mapping["mappings"]["dynamic"], "strict",
        "the mapping must be strict"
    );
    mapping["mappings"]["properties"]
        .as_object()
        .expect("mappings.properties")
        .keys()
        .cloned()
        .collect()
}

/// The `name:` of each entry of the Quickwit config's `field_mappings` (the config is read as
/// lines: `- name: X` entries indented under `field_mappings:`).
fn quickwit_fields(text: &str) -> BTreeSet<String> {
    assert!(
        text.lines().any(|l| l.trim() == "mode: strict"),
        "the Quickwit doc mapping must be strict"
    );
    let mut fields = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "field_mappings:" {
            inside = true;
            continue;
        }
        if inside && !line.starts_with("    ") && !trimmed.is_empty() && !trimmed.starts_with('#') {
            break;
        }
        if let Some(name) = trimmed.strip_prefix("- name:").filter(|_| inside) {
            fields.insert(name.trim().to_string());
        }
    }
    fields
}

#[test]
fn every_exported_field_is_mapped_in_both_search_server_configs() {
    let env = Env::archive();
    let exported = exported_fields(&env);
    for want in [
        "id",
        "chat",
        "ts",
        "sender",
        "kind",
        "text",
        "attachment",
        "edited",
    ] {
        assert!(
            exported.contains(want),
            "the export lost `{want}`: {exported:?}"
        );
    }
    let es = elasticsearch_fields(
        &fs::read_to_string(root().join("assets/scale/elasticsearch-mapping.json")).expect("read"),
    );
    let qw = quickwit_fields(
        &fs::read_to_string(root().join("assets/scale/quickwit-index.yaml")).expect("read"),
    );
    let missing_es: Vec<_> = exported.difference(&es).collect();
    let missing_qw: Vec<_> = exported.difference(&qw).collect();
    assert!(
        missing_es.is_empty(),
        "not in elasticsearch-mapping.json: {missing_es:?}"
    );
    assert!(
        missing_qw.is_empty(),
        "not in quickwit-index.yaml: {missing_qw:?}"
    );
}

#[test]
fn the_config_readers_see_what_they_should() {
    let qw = "doc_mapping:\n  mode: strict\n  field_mappings:\n    - name: id\n      type: text\n    - name: ts\n      type: datetime\n  timestamp_field: ts\n  tag_fields: [kind]\nsearch_settings:\n  default_search_fields: [text]\n";
    let want: BTreeSet<String> = ["id", "ts"].map(String::from).into();
    assert_eq!(quickwit_fields(qw), want);
    let es = r#"{"mappings": {"dynamic": "strict", "properties": {"id": {}, "ts": {}}}}"#;
    assert_eq!(elasticsearch_fields(es), want);
}
