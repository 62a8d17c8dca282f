//! The committed demo exports are exactly what the scenes make: running `make_demo` into an
//! empty folder writes assets/demo/*.txt byte for byte, so a scene edited without
//! regenerating the assets (or an asset edited by hand) fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ASSETS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo");

/// The `.txt` files of a folder, by name.
fn exports_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".txt"))
        .collect()
}

#[test]
fn make_demo_regenerates_the_committed_assets_byte_for_byte() {
    let out = tempfile::tempdir().expect("a temp dir");
    let status = Command::new(env!("CARGO_BIN_EXE_make_demo"))
        .arg(out.path())
        .status()
        .expect("make_demo runs");
    assert!(status.success(), "make_demo failed: {status}");

    let assets = PathBuf::from(ASSETS_DIR);
    let made = exports_in(out.path());
    assert_eq!(
        made,
        exports_in(&assets),
        "the scenes and assets/demo name different chats"
    );
    for name in &made {
        let want = fs::read(assets.join(name)).expect("the committed asset");
        let got = fs::read(out.path().join(name)).expect("the made export");
        assert!(
            want == got,
            "assets/demo/{name} differs from what its scene makes: run \
             `cargo run --release -p whatscope-synth --bin make_demo` and commit the result"
        );
    }
}
