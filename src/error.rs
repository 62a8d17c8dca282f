//! Errors a user can cause, printed as one line `error: what: why` plus a hint: the command
//! line's own [`UserError`] (usage errors, import's words), and the edge's [`Shown`] that every
//! typed error chain becomes (docs/architecture.md, "Errors").

use std::fmt;

/// An error with an optional hint on how to fix it.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    /// The process's exit code when this error ends it (docs/cli.md: 1 failure, 2 usage error;
    /// 130 interrupted, as a shell reports Ctrl-C).
    pub exit_code: i32,
}

/// Exit code of a failure.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code of a usage error: the command line asked for something that cannot be done.
pub const EXIT_USAGE: i32 = 2;
/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_INTERRUPTED: i32 = 130;

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
            exit_code: EXIT_FAILURE,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks this error as a usage error (exit 2).
    pub fn usage(mut self) -> Self {
        self.exit_code = EXIT_USAGE;
        self
    }

    /// Marks this error as the end of an interrupted command (exit 130).
    pub fn interrupted(mut self) -> Self {
        self.exit_code = EXIT_INTERRUPTED;
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// A write to standard output that failed (a full disk, a closed pipe): says so, so that the
/// one line a user sees names what failed. Travels inside an `io::Error` of the same kind.
#[derive(Debug)]
pub struct OutputFailed(pub std::io::Error);

impl fmt::Display for OutputFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write the output: {}", self.0)
    }
}

impl std::error::Error for OutputFailed {}

impl OutputFailed {
    /// `err`, marked as a failed write to standard output, keeping its kind.
    pub fn wrap(err: std::io::Error) -> std::io::Error {
        if err.get_ref().is_some_and(|e| e.is::<OutputFailed>()) {
            return err;
        }
        std::io::Error::new(err.kind(), OutputFailed(err))
    }
}

/// The one line an error chain reads as: each error's message, then its cause's, joined
/// with ": " (as anyhow's `{:#}` does). Typed errors never repeat their source in their
/// message; tantivy's and serde_json's do, so the chain stops after them.
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut cause = err;
    while !says_its_cause(cause) {
        let Some(next) = cause.source() else { break };
        line.push_str(": ");
        line.push_str(&next.to_string());
        cause = next;
    }
    line
}

/// Whether `err`'s message already names its cause (a foreign library's convention).
fn says_its_cause(err: &(dyn std::error::Error + 'static)) -> bool {
    err.is::<tantivy::TantivyError>() || err.is::<serde_json::Error>()
}

/// Whether `err` is (or carries) a failed write to standard output.
pub fn is_output_failed(err: &(dyn std::error::Error + 'static)) -> bool {
    err.downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref)
        .is_some_and(|e| e.is::<OutputFailed>())
}

/// The hint under a failed write to standard output.
pub const OUTPUT_FAILED_HINT: &str =
    "check that the disk or pipe standard output goes to has room and is open";

/// An error as the edge shows it (docs/cli.md): the one line, the hints under it, and the
/// exit code it ends the process with. `ops::error::shown` makes it from any error chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub line: String,
    pub hints: Vec<String>,
    pub exit_code: i32,
}

/// Prints an error as docs/cli.md asks, sanitized for the terminal.
pub fn report(shown: &Shown) {
    eprintln!(
        "error: {}",
        crate::sanitize::to_display(&shown.line, crate::sanitize::Mode::OneLine)
    );
    for hint in &shown.hints {
        eprintln!(
            "hint: {}",
            crate::sanitize::to_display(hint, crate::sanitize::Mode::OneLine)
        );
    }
}
