//! What can go wrong computing statistics: a scope naming nobody, or the layers below
//! failing. The edge makes the one line (docs/architecture.md, "Errors").

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--chat` names no chat (statistics take the exact name).
    #[error("no chat named \"{name}\" in the archive")]
    NoChat { name: String },
    /// `--participant` names nobody, as exported (the scope takes the exact name).
    #[error("no participant named \"{name}\" in the archive")]
    NoParticipant { name: String },
    /// A participant as typed names nobody, even in part.
    #[error("no participant named \"{given}\" in the archive")]
    NoParticipantLike { given: String },
    /// A participant as typed names several people (the first 8 shown).
    #[error("\"{given}\" matches {count} participants: {}", shown.join(", "))]
    ManyParticipants {
        given: String,
        count: usize,
        shown: Vec<String>,
    },
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    #[error(transparent)]
    People(#[from] crate::people::Error),
}

impl Error {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::NoChat { .. } => {
                "list the chats with `whatscope chats`; the name must match exactly"
            }
            Error::NoParticipant { .. } => {
                "`whatscope stats` lists the participants; the name must match exactly as exported"
            }
            Error::NoParticipantLike { .. } => "`whatscope stats` lists the participants",
            Error::ManyParticipants { .. } => "give the full name in quotes",
            Error::Index(e) => return e.hint(),
            Error::People(e) => return e.hint(),
        };
        Some(hint.to_string())
    }

    /// The process's exit code when this error ends it (docs/cli.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Index(e) => e.exit_code(),
            Error::People(e) => e.exit_code(),
            _ => crate::error::EXIT_FAILURE,
        }
    }
}
