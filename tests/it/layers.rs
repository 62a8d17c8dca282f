//! The layering of `src/` (docs/architecture.md): every `crate::…` path in a module points
//! down a layer, or to its own layer without closing a cycle; the table in the doc names
//! exactly the top-level modules that exist.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Module → layer, from the "## Layers" table of docs/architecture.md.
fn layers_from_doc(doc: &str) -> BTreeMap<String, u32> {
    let mut layers = BTreeMap::new();
    let Some(start) = doc.find("## Layers") else {
        return layers;
    };
    for line in doc[start..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(layer), Some(modules)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Ok(layer) = layer.parse::<u32>() else {
            continue;
        };
        for module in modules.split(',') {
            let name = module.trim().trim_matches('`');
            if !name.is_empty() {
                layers.insert(name.to_string(), layer);
            }
        }
    }
    layers
}

/// The library's top-level modules: `src/NAME.rs` and `src/NAME/mod.rs`.
fn modules_in_src() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in fs::read_dir(root().join("src")).expect("src/").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && path.join("mod.rs").is_file() {
            out.insert(name);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            if stem != "lib" && stem != "main" {
                out.insert(stem.to_string());
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source text names through `crate::`: `crate::index::…`,
/// `use crate::{index, stats::Stats}`. Comments are skipped (doc links are not imports).
fn crate_refs(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = &rest[..at];
            rest = &rest[at + "crate::".len()..];
            // `whatscope_crate::` or `my_crate::` are other names.
            if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or_default();
                for item in inner.split(',') {
                    let first = item.trim().split("::").next().unwrap_or_default().trim();
                    if !first.is_empty() && first != "self" {
                        out.insert(first.to_string());
                    }
                }
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Module → the other top-level modules it names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in modules_in_src() {
        let mut files = Vec::new();
        let dir = root().join("src").join(&module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(root().join("src").join(format!("{module}.rs")));
        }
        let entry = deps.entry(module.clone()).or_default();
        for file in files {
            let text = fs::read_to_string(&file).expect("read source");
            entry.extend(crate_refs(&text).into_iter().filter(|m| *m != module));
        }
    }
    deps
}

/// What breaks the layering: imports that point up, and cycles within a layer.
fn violations(
    layers: &BTreeMap<String, u32>,
    deps: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (module, uses) in deps {
        let Some(&own) = layers.get(module) else {
            continue;
        };
        for used in uses {
            match layers.get(used) {
                Some(&layer) if layer > own => out.push(format!(
                    "{module} (layer {own}) uses {used} (layer {layer}): it points up"
                )),
                None => out.push(format!("{module} uses {used}, which no layer names")),
                _ => {}
            }
        }
    }
    // Cycles among modules of one layer: a depth-first search from each module.
    for start in deps.keys() {
        let mut path = vec![start.clone()];
        if let Some(cycle) = cycle_from(start, start, layers, deps, &mut path) {
            let shown = cycle.join(" -> ");
            if !out.contains(&shown) && cycle.first() == cycle.iter().min() {
                out.push(format!("cycle: {shown}"));
            }
        }
    }
    out
}

fn cycle_from(
    start: &str,
    at: &str,
    layers: &BTreeMap<String, u32>,
    deps: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let layer = layers.get(at)?;
    for next in deps.get(at).into_iter().flatten() {
        if layers.get(next) != Some(layer) {
            continue;
        }
        if next == start {
            let mut cycle = path.clone();
            cycle.push(start.to_string());
            return Some(cycle);
        }
        if path.contains(next) {
            continue;
        }
        path.push(next.clone());
        if let Some(c) = cycle_from(start, next, layers, deps, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}

#[test]
fn every_module_of_src_is_in_the_layer_table_and_every_import_points_down() {
    let doc =
        fs::read_to_string(root().join("docs/architecture.md")).expect("docs/architecture.md");
    let layers = layers_from_doc(&doc);
    let in_doc: BTreeSet<String> = layers.keys().cloned().collect();
    let in_src = modules_in_src();
    assert_eq!(
        in_doc, in_src,
        "docs/architecture.md's layer table must name exactly the modules of src/"
    );
    let broken = violations(&layers, &dependencies());
    assert!(
        broken.is_empty(),
        "the layering of docs/architecture.md is broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_layer_checker_sees_what_it_should() {
    let doc = "# x\n## Layers\n| Layer | Modules | Owns |\n|---|---|---|\n| 0 | `model`, `fold` | a |\n| 1 | `index`, `files` | b |\n| 2 | `stats` | c |\n## Next\n| 9 | `nope` | d |\n";
    let layers = layers_from_doc(doc);
    assert_eq!(layers.len(), 5);
    assert_eq!(layers.get("stats"), Some(&2));
    assert!(!layers.contains_key("nope"));

    let refs = crate_refs(
        "use crate::index::archive::Archive;\n// crate::stats in a comment\nlet x = crate::fold::name(a);\nuse crate::{model::Kind, stats};\nuse whatscope_crate::other;\n",
    );
    let want: BTreeSet<String> = ["index", "fold", "model", "stats"].map(String::from).into();
    assert_eq!(refs, want);

    let deps = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
        pairs
            .iter()
            .map(|(m, uses)| (m.to_string(), uses.iter().map(|u| u.to_string()).collect()))
            .collect()
    };
    // Down and sideways without a cycle: fine.
    let ok = deps(&[
        ("index", &["model", "files"]),
        ("files", &["fold"]),
        ("stats", &["index"]),
    ]);
    assert!(violations(&layers, &ok).is_empty());
    // Up a layer.
    let up = deps(&[("index", &["stats"])]);
    assert_eq!(violations(&layers, &up).len(), 1);
    // A cycle within a layer.
    let cycle = deps(&[("index", &["files"]), ("files", &["index"])]);
    let found = violations(&layers, &cycle);
    assert_eq!(found, vec!["cycle: files -> index -> files".to_string()]);
    // A module the table does not name.
    let unknown = deps(&[("stats", &["synth"])]);
    assert_eq!(violations(&layers, &unknown).len(), 1);
}
