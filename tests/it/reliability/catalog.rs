//! The catalog checker: every P0 case of the reliability catalog has a test with its ID in the
//! name, and `docs/reliability.md` lists every case with the tests that cover it or the
//! decision taken, naming only tests that exist. Also: the README's two setup commands are
//! the demo and the test command `.ci/run` runs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One row of the catalog table in `docs/reliability.md`.
#[derive(Debug)]
struct Case {
    priority: String,
    covered_by: String,
}

/// `| ID | Pri | Case | Covered by |` rows, keyed by ID.
fn documented_cases(doc: &str) -> BTreeMap<String, Case> {
    let mut cases = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 4 || !is_id(cells[0]) {
            continue;
        }
        let case = Case {
            priority: cells[1].to_string(),
            covered_by: cells[3].to_string(),
        };
        assert!(
            cases.insert(cells[0].to_string(), case).is_none(),
            "{} listed twice in docs/reliability.md",
            cells[0]
        );
    }
    cases
}

/// Catalog IDs: a capital letter and a number (`T1`, `D11`).
fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.clone().next().is_some()
        && chars.all(|c| c.is_ascii_digit())
}

/// The IDs and priorities of the team's upstream catalog (its section 7), when that file is
/// beside the project (it is in the team's workspace, not in a clone of this repository).
fn upstream_cases(text: &str) -> BTreeMap<String, String> {
    let Some(start) = text.find("## 7. The catalog") else {
        return BTreeMap::new();
    };
    let end = text[start..]
        .find("\n## 8.")
        .map_or(text.len(), |e| start + e);
    let mut out = BTreeMap::new();
    for line in text[start..end].lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() >= 3 && is_id(cells[0]) {
            if let Some(last) = cells.last() {
                out.insert(cells[0].to_string(), last.to_string());
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("fixtures") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Names of the functions marked `#[test]` (plain or inside `proptest!`) in a source text.
fn test_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut marked = false;
    for line in source.lines() {
        let t = line.trim();
        if t == "#[test]" {
            marked = true;
        } else if marked && (t.starts_with("#[") || t.starts_with("//")) {
            assert!(!t.starts_with("#[ignore"), "an ignored test: {line}");
        } else if marked {
            let after = t
                .strip_prefix("fn ")
                .or_else(|| t.strip_prefix("async fn "));
            if let Some(rest) = after {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
            marked = false;
        }
    }
    names
}

fn all_tests() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&root().join("tests/it"), &mut files);
    rust_files(&root().join("src"), &mut files);
    let mut names = BTreeSet::new();
    for f in files {
        let text = fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        names.extend(test_names(&text));
    }
    names
}

/// The catalog IDs a test's name starts with: `v12_v14_forget_…` covers V12 and V14.
fn ids_of(test: &str) -> Vec<String> {
    test.split('_')
        .map(str::to_ascii_uppercase)
        .take_while(|part| is_id(part))
        .collect()
}

#[test]
fn every_p0_case_has_a_test_named_by_its_id_and_the_doc_is_true() {
    let doc = fs::read_to_string(root().join("docs/reliability.md")).expect("docs/reliability.md");
    let cases = documented_cases(&doc);
    assert!(
        cases.len() >= 100,
        "the table lists every case: {}",
        cases.len()
    );
    let tests = all_tests();
    let covered: BTreeSet<String> = tests.iter().flat_map(|t| ids_of(t)).collect();

    let mut problems = Vec::new();
    for (id, case) in &cases {
        if case.priority == "P0" && !covered.contains(id) {
            problems.push(format!(
                "{id} (P0) has no test named `{}_…`",
                id.to_lowercase()
            ));
        }
        let named: Vec<&str> = case
            .covered_by
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|n| {
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .collect();
        for n in &named {
            if !tests.contains(*n) {
                problems.push(format!(
                    "{id}: docs/reliability.md names `{n}`, which is no test"
                ));
            }
        }
        if named.is_empty() && !case.covered_by.starts_with("Decision:") {
            problems.push(format!(
                "{id}: neither a test nor a \"Decision:\" in the doc"
            ));
        }
    }
    // Tests that claim an ID the catalog does not have are typos.
    for id in &covered {
        if !cases.contains_key(id) {
            problems.push(format!(
                "a test is named after {id}, which is not in the catalog"
            ));
        }
    }
    let upstream_path = root().join("../shared/RELIABILITY.md");
    match fs::read_to_string(&upstream_path) {
        Ok(text) => {
            let upstream = upstream_cases(&text);
            assert!(
                upstream.len() >= 100,
                "read the shared catalog: {}",
                upstream.len()
            );
            for (id, pri) in &upstream {
                match cases.get(id) {
                    None => {
                        problems.push(format!("{id} ({pri}) is missing from docs/reliability.md"))
                    }
                    Some(c) if &c.priority != pri => problems.push(format!(
                        "{id} is {pri} in the team's catalog but {} in docs/reliability.md",
                        c.priority
                    )),
                    Some(_) => {}
                }
            }
        }
        Err(_) => eprintln!(
            "note: {} not found; checked docs/reliability.md on its own",
            upstream_path.display()
        ),
    }
    assert!(
        problems.is_empty(),
        "catalog problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_tests_and_ids_the_way_it_should() {
    let src = "#[test]\n#[cfg(unix)]\nfn d5_lock() {}\nproptest! {\n    #[test]\n    fn f8_model(x in 0..1) {}\n}\nfn v1_helper() {}\n";
    assert_eq!(test_names(src), ["d5_lock", "f8_model"]);
    assert_eq!(ids_of("v12_v14_forget_for_good"), ["V12", "V14"]);
    assert!(ids_of("forget_v12").is_empty());
    assert!(is_id("D11") && !is_id("P") && !is_id("Pri") && !is_id("ID"));
    let doc =
        "| ID | Pri | Case | Covered by |\n|---|---|---|---|\n| T1 | P0 | escapes | `t1_x` |\n";
    let cases = documented_cases(doc);
    assert_eq!(cases.len(), 1);
    assert_eq!(cases["T1"].covered_by, "`t1_x`");
    let upstream =
        "## 7. The catalog\n| T1 | body | SANITIZE | frame | P0 |\n## 8. More\n| X1 | a | P1 |\n";
    assert_eq!(
        upstream_cases(upstream).into_iter().collect::<Vec<_>>(),
        [("T1".to_string(), "P0".to_string())]
    );
}

/// The README's setup commands: the shell lines of the first fenced block after the
/// `<!-- setup-commands` marker, with trailing `# comments` removed.
fn readme_setup_commands(readme: &str) -> Vec<String> {
    let Some(marker) = readme.find("<!-- setup-commands") else {
        return Vec::new();
    };
    let mut lines = readme[marker..].lines().skip_while(|l| l.trim() != "```sh");
    lines.next();
    lines
        .take_while(|l| l.trim() != "```")
        .map(|l| l.split(" #").next().unwrap_or_default().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The arguments of every `cargo test` that `.ci/run` runs (comments and `unshare -rn`
/// wrappers left out), with `--offline`, which only CI adds, removed.
fn ci_test_commands(script: &str) -> Vec<Vec<String>> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.strip_prefix("unshare -rn ").unwrap_or(l))
        .filter(|l| l.starts_with("cargo test"))
        .map(|l| {
            l.split_whitespace()
                .filter(|w| *w != "--offline")
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn readme_setup_commands_are_the_demo_and_the_test_command_ci_runs() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let commands = readme_setup_commands(&readme);
    assert_eq!(
        commands,
        [
            "cargo run --release -- demo",
            "cargo test --locked --release"
        ],
        "the README's two setup commands (after `<!-- setup-commands`)"
    );
    let script = fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    let ci = ci_test_commands(&script);
    assert!(!ci.is_empty(), ".ci/run runs no `cargo test`");
    let readme_test: Vec<String> = commands[1].split_whitespace().map(str::to_string).collect();
    for run in &ci {
        assert_eq!(
            run,
            &readme_test,
            ".ci/run runs `{}`, the README says `{}` (CI may only add --offline)",
            run.join(" "),
            commands[1]
        );
    }
}

#[test]
fn the_setup_command_reader_sees_what_it_should() {
    let readme = "# x\n```sh\nnot this\n```\n<!-- setup-commands -->\n```sh\na b   # note\n\nc d\n```\n```sh\ne\n```\n";
    assert_eq!(readme_setup_commands(readme), ["a b", "c d"]);
    assert!(readme_setup_commands("```sh\na\n```\n").is_empty());
    let script = "# cargo test --nope\ncargo fmt --check\nif x; then\n  unshare -rn cargo test --locked --offline --release\nelse\n  cargo test --locked --offline --release\nfi\n";
    let runs = ci_test_commands(script);
    assert_eq!(runs.len(), 2);
    assert!(runs
        .iter()
        .all(|r| r.join(" ") == "cargo test --locked --release"));
}
