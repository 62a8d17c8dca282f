//! One test in a process of its own. The suite is one binary whose tests share a process, so
//! two things a test cannot ignore come from its neighbours: a child's peak resident set on
//! Linux counts this process's own peak at spawn time (the spawn shares its memory until the
//! exec, and in-process imports grow it by the writer's 256 MB arena), and a child forked by
//! another test holds copies of this process's file descriptors, tantivy's writer lock among
//! them, until its exec. Tests that measure a child's memory, or open writers in process
//! while others spawn children, run alone in a fresh copy of the binary instead.

use super::bin::describe;
use std::process::Command;

/// Names the test a fresh copy of the binary runs alone.
const ALONE: &str = "WHATSCOPE_TEST_ALONE";

/// Whether the test `name` of `module` (`module_path!()`) should run its body here: yes in
/// the process made for it; elsewhere, runs it in such a process (with `--exact`, one
/// thread), fails with its output unless it passed, passes its stderr on (figures printed
/// for `--nocapture`), and says no.
#[track_caller]
pub fn this_process(module: &str, name: &str) -> bool {
    let module = module.split_once("::").map_or("", |(_, rest)| rest);
    let test = format!("{module}::{name}");
    if std::env::var_os(ALONE).is_some_and(|t| t == test.as_str()) {
        return true;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args(["--exact", &test, "--nocapture", "--test-threads", "1"])
        .env(ALONE, &test)
        .output()
        .expect("run the test alone");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{test}, run alone: {}",
        describe(&out)
    );
    false
}
