//! Errors a user can cause, printed as one line `error: what: why` plus a hint.

use std::fmt;

/// An error with an optional hint on how to fix it.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Prints an error chain as SPEC §3 asks, sanitized for the terminal.
pub fn report(err: &anyhow::Error) {
    let text = format!("{err:#}");
    eprintln!(
        "error: {}",
        crate::sanitize::to_display(&text, crate::sanitize::Mode::OneLine)
    );
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
