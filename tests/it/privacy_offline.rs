//! Offline by construction (docs/privacy.md, docs/reliability.md, N1): no crate that speaks a
//! network protocol is in the dependency tree, and the source opens no socket. CI builds
//! with `--locked`, so `Cargo.lock` is the tree that ships.

use std::path::Path;

/// Crates that exist to talk over a network: HTTP clients and servers, TLS stacks, DNS
/// resolvers, QUIC, WebSocket, async runtimes with sockets, mail. A TLS stack has no use in
/// a tool that never connects anywhere. (`mio` is allowed: crossterm polls the terminal
/// with it.)
const DENIED: &[&str] = &[
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "hyper-tls",
    "reqwest",
    "ureq",
    "h2",
    "h3",
    "quinn",
    "quinn-proto",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "minreq",
    "http-client",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tungstenite",
    "tokio-tungstenite",
    "websocket",
    "ws",
    "hickory-resolver",
    "hickory-proto",
    "trust-dns-resolver",
    "trust-dns-proto",
    "socket2",
    "tokio",
    "async-std",
    "smol",
    "libp2p",
    "axum",
    "actix-web",
    "warp",
    "tiny_http",
    "rouille",
    "lettre",
    "ssh2",
    "libssh2-sys",
];

fn locked_crates() -> Vec<String> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock is committed");
    lock.lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .map(str::to_string)
        .collect()
}

#[test]
fn n1_no_networking_crate_in_cargo_lock() {
    let crates = locked_crates();
    assert!(
        crates.iter().any(|c| c == "tantivy"),
        "Cargo.lock was not read right: {crates:?}"
    );
    let bad: Vec<&String> = crates
        .iter()
        .filter(|c| DENIED.contains(&c.as_str()))
        .collect();
    assert!(
        bad.is_empty(),
        "networking crates in Cargo.lock: {bad:?}; find who pulls them in with `cargo tree -i NAME`"
    );
}

#[test]
fn the_source_opens_no_socket() {
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let needles = [
        "std::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "ToSocketAddrs",
        "libc::socket",
        "libc::connect",
    ];
    let mut hits = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("list src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                for n in needles {
                    if text.contains(n) {
                        hits.push(format!("{}: {n}", path.display()));
                    }
                }
            }
        }
    }
    assert!(hits.is_empty(), "network code in the source: {hits:?}");
}

/// `assets/scale/` describes exactly the fields `export --format ndjson` writes (docs/formats.md).
#[test]
fn scale_assets_match_the_export_fields() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scale");
    let fields = [
        "attachment",
        "chat",
        "edited",
        "id",
        "kind",
        "sender",
        "text",
        "ts",
    ];
    let es: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("elasticsearch-mapping.json")).expect("mapping"),
    )
    .expect("the mapping is JSON");
    let mut es_fields: Vec<&str> = es["mappings"]["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    es_fields.sort();
    assert_eq!(es_fields, fields);
    assert_eq!(es["mappings"]["dynamic"], "strict");

    let qw = std::fs::read_to_string(root.join("quickwit-index.yaml")).expect("quickwit");
    let mut qw_fields: Vec<&str> = qw
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- name: "))
        .collect();
    qw_fields.sort();
    assert_eq!(qw_fields, fields);
    assert!(qw.contains("timestamp_field: ts"));
}
