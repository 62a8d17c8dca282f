//! N1–N5 (docs/reliability.md): offline by construction and by observation. N1 checks
//! the resolved dependency graph against a deny list of network crates; N2 runs the real binary
//! in a network namespace with only loopback and under strace, watching for internet sockets;
//! N3 resolves the locked graph offline; N4 replaces `cargo deny check advisories` (whose
//! advisory database needs the network) with the catalog's concrete minimum versions; N5 keeps
//! zip down to deflate. Each checker is shown to fail on a bad input, so a pass means something.

use crate::support::bin::BIN;
use crate::support::fixtures::fixture_path as fixture;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Set in CI where the sandbox must exist: a missing `unshare`/`strace` then fails N2 instead
/// of skipping it.
const REQUIRE_SANDBOX: &str = "WHATSCOPE_TEST_REQUIRE_SANDBOX";

/// Reports a check that cannot run here, loudly; fails when the environment demands it.
fn skipped(what: &str, why: &str) {
    let msg = format!("skipped: {what}: {why}");
    assert!(
        std::env::var_os(REQUIRE_SANDBOX).is_none(),
        "{msg} ({REQUIRE_SANDBOX} is set)"
    );
    eprintln!("{msg}");
}

// ---------------------------------------------------------------------------------------------
// Cargo.lock and Cargo.toml, read by hand (no TOML crate among the dev-dependencies)

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Package {
    name: String,
    version: String,
    /// As Cargo.lock writes them: `name`, or `name version` when several versions exist.
    deps: Vec<String>,
}

fn parse_lock(lock: &str) -> Vec<Package> {
    let mut out: Vec<Package> = Vec::new();
    let mut in_deps = false;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            out.push(Package {
                name: String::new(),
                version: String::new(),
                deps: Vec::new(),
            });
            in_deps = false;
        } else if let Some(p) = out.last_mut() {
            if in_deps {
                if line == "]" {
                    in_deps = false;
                } else {
                    p.deps
                        .push(line.trim_matches(|c| c == '"' || c == ',').to_string());
                }
            } else if let Some(v) = quoted_value(line, "name") {
                p.name = v;
            } else if let Some(v) = quoted_value(line, "version") {
                p.version = v;
            } else if line.starts_with("dependencies = [") {
                in_deps = !line.ends_with(']');
            }
        }
    }
    out
}

/// `key = "value"` → `value`.
fn quoted_value(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    Some(rest.strip_prefix('"')?.strip_suffix('"')?.to_string())
}

/// The packages named in `manifest`'s `[dependencies]` and `[build-dependencies]`, for every
/// target (`[target.'cfg(..)'.dependencies]`), under their package name (`package = ".."`).
/// Dev-dependencies are left out: they never ship.
fn shipped_direct_deps(manifest: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut section = String::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_string();
            // `[dependencies.foo]` / `[target.'x'.build-dependencies.foo]`
            for table in [".dependencies.", ".build-dependencies."] {
                let s = format!(".{section}");
                if let Some(i) = s.find(table) {
                    out.insert(s[i + table.len()..].to_string());
                }
            }
            continue;
        }
        let listed = section == "dependencies"
            || section == "build-dependencies"
            || (section.starts_with("target.")
                && (section.ends_with(".dependencies")
                    || section.ends_with(".build-dependencies")));
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if !listed || key.trim().starts_with('#') {
            continue;
        }
        let renamed = value
            .split_once("package")
            .and_then(|(_, r)| r.split('"').nth(1))
            .map(str::to_string);
        out.insert(renamed.unwrap_or_else(|| key.trim().to_string()));
    }
    out
}

/// Everything reachable from `start` (package names) through Cargo.lock's dependency lists.
fn reachable(packages: &[Package], start: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let find = |dep: &str| -> Vec<&Package> {
        let mut parts = dep.split(' ');
        let name = parts.next().unwrap_or_default();
        let version = parts.next();
        packages
            .iter()
            .filter(|p| p.name == name && version.is_none_or(|v| p.version == v))
            .collect()
    };
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Package> = start.iter().flat_map(|d| find(d)).collect();
    while let Some(p) = stack.pop() {
        if seen.insert((p.name.clone(), p.version.clone())) {
            stack.extend(p.deps.iter().flat_map(|d| find(d)));
        }
    }
    seen
}

fn lock() -> Vec<Package> {
    let packages = parse_lock(&read("Cargo.lock"));
    assert!(
        packages
            .iter()
            .any(|p| p.name == "tantivy" && !p.deps.is_empty()),
        "Cargo.lock was not read right"
    );
    packages
}

/// The crates the shipped binary is built from, per Cargo.lock (all targets).
fn shipped_crates_from_lock() -> BTreeSet<String> {
    let direct = shipped_direct_deps(&read("Cargo.toml"));
    assert!(
        direct.contains("tantivy") && direct.contains("libc") && !direct.contains("proptest"),
        "Cargo.toml was not read right: {direct:?}"
    );
    reachable(&lock(), &direct)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// N1: no network crate in the dependency graph

/// The crates that speak a network protocol (docs/reliability.md, N1), plus the
/// `-sys`/protocol crates under those names.
/// `mio` is fine: crossterm polls the terminal with it.
const DENIED: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "h3",
    "ureq",
    "isahc",
    "curl",
    "curl-sys",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tungstenite",
    "tokio-tungstenite",
    "hickory-resolver",
    "hickory-proto",
    "trust-dns-resolver",
    "trust-dns-proto",
    "attohttpc",
    "minreq",
    "surf",
    "quinn",
    "tokio",
];

/// Crate names in `cargo tree --prefix none` output (`name vX.Y.Z [(...)]` per line).
fn tree_crates(tree: &str) -> BTreeSet<String> {
    tree.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn denied_among<'a>(crates: impl IntoIterator<Item = &'a String>) -> Vec<&'a String> {
    crates
        .into_iter()
        .filter(|c| DENIED.contains(&c.as_str()))
        .collect()
}

/// `cargo tree -p whatscope --locked --offline -e normal,build --prefix none` for the host
/// target, or why it could not run (`-p`: the shipped package, not the dev-only workspace crate).
fn cargo_tree() -> Result<String, String> {
    let out = Command::new(cargo())
        .args([
            "tree",
            "-p",
            "whatscope",
            "--locked",
            "--offline",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn n1_no_network_crate_in_dependency_graph() {
    // Cargo.lock walked from the shipped dependencies, for every target: always possible.
    let from_lock = shipped_crates_from_lock();
    assert!(from_lock.contains("zip") && from_lock.contains("crossterm"));
    let bad = denied_among(&from_lock);
    assert!(
        bad.is_empty(),
        "network crates reachable from whatscope's dependencies in Cargo.lock: {bad:?}; \
         find who pulls them in with `cargo tree -i NAME`"
    );

    // cargo's own resolution (features and all) for this platform, as docs/reliability.md
    // prescribes; offline, because the test itself must not touch the network.
    match cargo_tree() {
        Ok(tree) => {
            let crates = tree_crates(&tree);
            assert!(
                crates.contains("whatscope") && crates.contains("tantivy"),
                "unexpected cargo tree output: {tree}"
            );
            // What cargo builds is a subset of what the lock walk saw: the walk is no weaker.
            let unseen: Vec<&String> = crates
                .iter()
                .filter(|c| *c != "whatscope" && !from_lock.contains(*c))
                .collect();
            assert!(unseen.is_empty(), "lock walk missed {unseen:?}");
            let bad = denied_among(&crates);
            assert!(bad.is_empty(), "network crates in `cargo tree`: {bad:?}");
        }
        Err(why) => skipped("N1 via cargo tree (the Cargo.lock walk above ran)", &why),
    }
}

/// The N1 matchers flag a branch that adds `reqwest`: directly in tree output, and through an
/// intermediate crate in a lock file, while a dev-only `tokio` is rightly ignored.
#[test]
fn n1_deny_list_check_catches_a_network_crate() {
    let tree = "app v0.1.0 (/src/app)\nserde v1.0.0\nreqwest v0.12.9\nhyper v1.5.0 (*)\n\
                rustls-pki-types v1.10.0\nserde_derive v1.0.0 (proc-macro)\n";
    let crates = tree_crates(tree);
    assert_eq!(denied_among(&crates), vec!["hyper", "reqwest"]);

    let manifest = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\n\
                    web = { version = \"1\", package = \"net-helper\" }\n\n\
                    [dev-dependencies]\ntokio = \"1\"\n";
    let lock = "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"net-helper\",\n \
                \"serde\",\n \"tokio\",\n]\n\n[[package]]\nname = \"net-helper\"\nversion = \"1.0.0\"\n\
                dependencies = [\n \"reqwest 0.12.9\",\n]\n\n[[package]]\nname = \"reqwest\"\n\
                version = \"0.12.9\"\n\n[[package]]\nname = \"reqwest\"\nversion = \"0.11.0\"\n\n\
                [[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"tokio\"\n\
                version = \"1.0.0\"\n";
    let direct = shipped_direct_deps(manifest);
    assert_eq!(
        direct,
        BTreeSet::from(["net-helper".into(), "serde".into()])
    );
    let reached = reachable(&parse_lock(lock), &direct);
    assert!(reached.contains(&("reqwest".into(), "0.12.9".into())));
    assert!(!reached.contains(&("reqwest".into(), "0.11.0".into())));
    let names: BTreeSet<String> = reached.into_iter().map(|(n, _)| n).collect();
    assert_eq!(denied_among(&names), vec!["reqwest"]);
}

// ---------------------------------------------------------------------------------------------
// N2: the binary opens no internet socket

/// import, search, stats, export and parse on real fixtures (a .txt and a .zip), each through
/// `wrap` (a sandbox command line, or strace), asserting that each did its job.
fn run_cli_session(label: &str, data_dir: &Path, wrap: &dyn Fn(usize) -> Vec<String>) {
    let txt = fixture("01_android_en_gb_24h_group.txt");
    let zip = fixture("19_ios_zip_with_media.zip");
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let steps: Vec<(Vec<String>, &str)> = vec![
        (vec!["parse".into(), s(&txt)], "Snowdon"),
        (vec!["import".into(), s(&txt), s(&zip)], ""),
        (vec!["search".into(), "Snowdon".into()], "Snowdon"),
        (vec!["stats".into()], "Maya"),
        (vec!["export".into()], "Snowdon"),
    ];
    for (i, (args, expect)) in steps.iter().enumerate() {
        let mut line = wrap(i);
        line.push(BIN.to_string());
        line.extend(args.iter().cloned());
        let out = Command::new(&line[0])
            .args(&line[1..])
            .env("WHATSCOPE_DATA_DIR", data_dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{label}: cannot run {line:?}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains(expect),
            "{label}: `whatscope {}` failed or printed no {expect:?}: {}\nstdout: {stdout}\nstderr: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn run(line: &[&str]) -> std::io::Result<Output> {
    Command::new(line[0])
        .args(&line[1..])
        .stdin(Stdio::null())
        .output()
}

/// Why `unshare -rn` cannot give a loopback-only network namespace here, if it cannot.
fn netns_unavailable() -> Option<String> {
    // /proc/net/dev lists the interfaces of the reading process's namespace.
    match run(&["unshare", "-rn", "cat", "/proc/net/dev"]) {
        Err(e) => Some(format!("cannot run unshare: {e}")),
        Ok(o) if !o.status.success() => Some(format!(
            "`unshare -rn` failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout);
            let ifaces: Vec<&str> = text
                .lines()
                .skip(2)
                .filter_map(|l| l.split(':').next())
                .map(str::trim)
                .collect();
            // Only loopback: the sandbox really is one; otherwise the pass would prove nothing.
            assert_eq!(ifaces, ["lo"], "unshare -rn left interfaces: {text}");
            None
        }
    }
}

#[test]
fn n2_cli_runs_inside_a_network_namespace_without_network() {
    if let Some(why) = netns_unavailable() {
        skipped("N2 under unshare -rn", &why);
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let wrap = |_: usize| vec!["unshare".to_string(), "-rn".to_string()];
    run_cli_session("unshare -rn", &tmp.path().join("data"), &wrap);
}

/// Internet sockets in an `strace -e trace=socket,connect` log.
fn inet_socket_calls(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .filter(|l| l.contains("AF_INET") || l.contains("AF_PACKET"))
        .collect()
}

fn strace_line(log: &Path) -> Vec<String> {
    // execve too: the log then shows that the traced program really ran under strace.
    [
        "strace",
        "-f",
        "-qq",
        "-e",
        "trace=socket,connect,execve",
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([log.to_string_lossy().into_owned()])
    .collect()
}

/// Why strace cannot trace here (no binary, ptrace forbidden), if it cannot.
fn strace_unavailable(dir: &Path) -> Option<String> {
    let log = dir.join("probe.trace");
    let mut line = strace_line(&log);
    line.push("true".into());
    let line: Vec<&str> = line.iter().map(String::as_str).collect();
    match run(&line) {
        Err(e) => Some(format!("cannot run strace: {e}")),
        Ok(o) if !o.status.success() => Some(format!(
            "strace cannot trace: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => None,
    }
}

#[test]
fn n2_cli_creates_no_inet_socket_under_strace() {
    let tmp = tempfile::tempdir().expect("temp dir");
    if let Some(why) = strace_unavailable(tmp.path()) {
        skipped("N2 under strace", &why);
        return;
    }

    // The detector sees a socket when there is one: bash's /dev/tcp opens an AF_INET socket
    // (to a closed local port; the connection failing is fine).
    let probe = tmp.path().join("bash.trace");
    let mut line = strace_line(&probe);
    line.extend(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9 || true"].map(String::from));
    let line: Vec<&str> = line.iter().map(String::as_str).collect();
    run(&line).expect("strace bash");
    let trace = std::fs::read_to_string(&probe).expect("probe trace");
    assert!(
        !inet_socket_calls(&trace).is_empty(),
        "strace harness missed bash's AF_INET socket: {trace}"
    );

    let logs: Vec<PathBuf> = (0..5)
        .map(|i| tmp.path().join(format!("step{i}.trace")))
        .collect();
    let wrap = |i: usize| strace_line(&logs[i]);
    run_cli_session("strace", &tmp.path().join("data"), &wrap);
    for log in &logs {
        let trace = std::fs::read_to_string(log).expect("trace");
        assert!(
            trace.contains(BIN),
            "{}: whatscope was not traced: {trace}",
            log.display()
        );
        let calls = inet_socket_calls(&trace);
        assert!(
            calls.is_empty(),
            "{}: internet sockets: {calls:?}",
            log.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// N3: the locked graph resolves without the network

/// Cargo.lock is current (CI builds with `--locked`) and every crate this platform needs to
/// build and test, dev-dependencies included, is already on disk: an offline build downloads
/// nothing. (`cargo metadata` would also want other platforms' crates, which are never
/// fetched.) Building offline, which also runs build scripts, is `.ci/run`'s job; this is the
/// cheap half that runs with the tests.
#[test]
fn n3_locked_dependency_graph_resolves_offline() {
    let out = Command::new(cargo())
        .args([
            "tree",
            "--locked",
            "--offline",
            "-e",
            "all",
            "--prefix",
            "none",
        ])
        .current_dir(root())
        .output()
        .expect("cargo runs the tests, so it can be started");
    assert!(
        out.status.success(),
        "`cargo tree --locked --offline -e all` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crates = tree_crates(&String::from_utf8_lossy(&out.stdout));
    // Dev-dependencies are in: the test build itself is covered.
    assert!(crates.contains("proptest") && crates.contains("tempfile"));
}

// ---------------------------------------------------------------------------------------------
// N4: advisories, as concrete minimum versions

/// `major.minor.patch`, ignoring pre-release and build suffixes.
fn version(v: &str) -> (u64, u64, u64) {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let mut n = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        n.next().unwrap_or(0),
        n.next().unwrap_or(0),
        n.next().unwrap_or(0),
    )
}

/// Why each minimum: docs/reliability.md, N4.
const MINIMUMS: &[(&str, &str, bool, &str)] = &[
    // (crate, minimum, must be present, advisory)
    ("zip", "9.0.1", true, "path traversal in extract"),
    (
        "ratatui",
        "0.30.0",
        true,
        "control chars reaching the terminal (ratatui #1211)",
    ),
    (
        "phonenumber",
        "0.3.6",
        false,
        "panics on crafted numbers (GHSA-mjw4-jj88-v687)",
    ),
    (
        "tracing-subscriber",
        "0.3.20",
        false,
        "ANSI escapes in logs (RUSTSEC-2025-0055)",
    ),
];

/// Lock entries below their minimum (or required and missing), as messages.
fn below_minimums(packages: &[Package]) -> Vec<String> {
    let mut bad = Vec::new();
    for (name, min, required, why) in MINIMUMS {
        let found: Vec<&Package> = packages.iter().filter(|p| p.name == *name).collect();
        if found.is_empty() && *required {
            bad.push(format!("{name} missing from Cargo.lock"));
        }
        for p in found {
            if version(&p.version) < version(min) {
                bad.push(format!("{name} {} < {min}: {why}", p.version));
            }
        }
    }
    bad
}

/// Calls of zip's whole-archive extractors in `src/`, which write entry paths to disk
/// (`source.rs` reads entries in place instead).
fn extract_calls(sources: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut hits = Vec::new();
    for (path, text) in sources {
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains(".extract(") || code.contains("extract_unwrapped_root_dir") {
                hits.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    hits
}

fn rust_sources(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list src").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).expect("read source");
                out.insert(p, text);
            }
        }
    }
    out
}

/// No advisory database offline, so the known advisories are pinned as minimum versions.
#[test]
fn n4_known_advisories_fixed_in_locked_versions() {
    let bad = below_minimums(&lock());
    assert!(bad.is_empty(), "vulnerable versions in Cargo.lock: {bad:?}");
    let sources = rust_sources(&root().join("src"));
    assert!(sources.len() > 20, "src/ was not read: {}", sources.len());
    let calls = extract_calls(&sources);
    assert!(calls.is_empty(), "zip extraction used: {calls:?}");
}

#[test]
fn n4_version_checks_catch_old_versions_and_extract_calls() {
    assert!(version("9.0.1") > version("9.0.0"));
    assert!(version("0.30.0") > version("0.29.99"));
    assert!(version("0.3.20") > version("0.3.9"));
    assert_eq!(version("1.2.3-alpha.1"), (1, 2, 3));
    let pkg = |name: &str, version: &str| Package {
        name: name.into(),
        version: version.into(),
        deps: Vec::new(),
    };
    let old = [
        pkg("zip", "9.0.0"),
        pkg("ratatui", "0.29.0"),
        pkg("phonenumber", "0.3.5"),
        pkg("tracing-subscriber", "0.3.19"),
    ];
    assert_eq!(below_minimums(&old).len(), 4, "{:?}", below_minimums(&old));
    let fine = [pkg("zip", "9.8.2"), pkg("ratatui", "0.30.2")];
    assert!(below_minimums(&fine).is_empty());
    assert_eq!(
        below_minimums(&[pkg("ratatui", "0.30.0")]).len(),
        1,
        "zip is required"
    );

    let src = BTreeMap::from([(
        PathBuf::from("src/x.rs"),
        "// never archive.extract(dir)\nlet a = 1;\n    archive.extract(&dir)?;\nz.extract_unwrapped_root_dir(d, f)"
            .to_string(),
    )]);
    assert_eq!(extract_calls(&src).len(), 2, "{:?}", extract_calls(&src));
}

// ---------------------------------------------------------------------------------------------
// N5: zip with deflate only

/// Compression crates zip pulls in only for methods WhatsApp never uses (bzip2, LZMA, XZ,
/// Zstandard, PPMd, Deflate64): each is more parser code facing untrusted input.
const EXTRA_CODECS: &[&str] = &[
    "bzip2",
    "bzip2-sys",
    "libbz2-rs-sys",
    "lzma-rs",
    "lzma-sys",
    "liblzma",
    "liblzma-sys",
    "xz2",
    "zstd",
    "zstd-safe",
    "zstd-sys",
    "ppmd-rust",
    "deflate64",
];

#[test]
fn n5_zip_is_built_with_deflate_only() {
    let packages = lock();
    let zips: BTreeSet<String> = ["zip".to_string()].into();
    let under_zip: BTreeSet<String> = reachable(&packages, &zips)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        under_zip.contains("flate2"),
        "zip lost its deflate backend: {under_zip:?}"
    );
    let extra: Vec<&String> = under_zip
        .iter()
        .filter(|c| EXTRA_CODECS.contains(&c.as_str()))
        .collect();
    assert!(extra.is_empty(), "zip pulls in codecs: {extra:?}");
    // Nothing else brings them in either (tantivy's zstd feature, say).
    let shipped = shipped_crates_from_lock();
    let extra: Vec<&String> = shipped
        .iter()
        .filter(|c| EXTRA_CODECS.contains(&c.as_str()))
        .collect();
    assert!(extra.is_empty(), "codecs in the shipped graph: {extra:?}");
}
