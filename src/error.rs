//! Errors a user can cause, printed as one line `error: what: why` plus a hint.

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

/// The exit code an error chain ends the process with: the first [`UserError`]'s, else 1.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    err.chain()
        .find_map(|c| c.downcast_ref::<UserError>())
        .map_or(EXIT_FAILURE, |e| e.exit_code)
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

/// Prints an error chain as docs/cli.md asks, sanitized for the terminal.
pub fn report(err: &anyhow::Error) {
    let text = format!("{err:#}");
    eprintln!(
        "error: {}",
        crate::sanitize::to_display(&text, crate::sanitize::Mode::OneLine)
    );
    let output_failed = err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .is_some_and(|e| e.is::<OutputFailed>())
    });
    if output_failed {
        eprintln!("hint: check that the disk or pipe standard output goes to has room and is open");
    }
    for cause in err.chain() {
        if let Some(user) = cause.downcast_ref::<UserError>() {
            if let Some(hint) = &user.hint {
                eprintln!(
                    "hint: {}",
                    crate::sanitize::to_display(hint, crate::sanitize::Mode::OneLine)
                );
            }
        }
    }
}
