//! The real binary in a temp data dir: [`Env`] runs `whatscope --data-dir DATA` with a clean
//! environment and checks exit codes and JSON; [`describe`] prints a run for a failed assert.

use super::fixtures::{fixture, BOOK_TXT, HIKING_TXT, REUNION_TXT, ZELDA, ZELDA_TXT};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_whatscope");

/// The binary with no data dir from the environment and no colour.
pub fn bare() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("WHATSCOPE_DATA_DIR").env("NO_COLOR", "1");
    c
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// A temp dir holding a data dir (`data/`, made by the binary) and inputs (`in/`).
pub struct Env {
    pub tmp: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes an input under `in/` and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.tmp.path().join("in");
        fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join(name);
        fs::write(&path, bytes).expect("write input");
        path
    }

    /// Fixtures 01, 04, 15 and the canary export, under export names.
    pub fn inputs(&self) -> Vec<PathBuf> {
        vec![
            self.write(HIKING_TXT, &fixture("01_android_en_gb_24h_group.txt")),
            self.write(BOOK_TXT, &fixture("04_ios_en_us_12h_nnbsp_2024.txt")),
            self.write(REUNION_TXT, &fixture("15_ios_legacy_2016_colon.txt")),
            self.write(ZELDA_TXT, ZELDA.as_bytes()),
        ]
    }

    /// An archive of [`Env::inputs`].
    pub fn archive() -> Env {
        let env = Env::new();
        let inputs = env.inputs();
        let mut args = vec!["import"];
        args.extend(inputs.iter().map(|p| s(p)));
        env.ok(&args);
        env
    }

    /// The binary with `--data-dir DATA` first, a clean environment, stdin closed.
    pub fn cmd(&self) -> Command {
        let mut c = bare();
        c.arg("--data-dir").arg(self.data()).stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run whatscope")
    }

    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "whatscope {args:?} failed: {}",
            describe(&out)
        );
        out
    }

    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "whatscope {args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    #[track_caller]
    pub fn ndjson(&self, args: &[&str]) -> Vec<Value> {
        parse_ndjson(&self.ok(args).stdout)
    }

    /// Total matches of a query.
    pub fn total(&self, query: &str) -> u64 {
        self.json(&["search", query, "--json", "--limit", "1000"])["total"]
            .as_u64()
            .expect("total")
    }
}

pub fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn parse_ndjson(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}
