//! The `whatscope` binary: everything lives in the library; this only runs the CLI.

fn main() {
    std::process::exit(whatscope::cli::run());
}
