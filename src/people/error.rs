//! What can go wrong with the people of an archive (`people.json`, docs/people.md). Causes
//! are kept as sources; the edge makes the one line (docs/architecture.md, "Errors").

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the list of people is damaged", path.display())]
    Damaged {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: unknown format `{format}`", path.display())]
    UnknownFormat { path: PathBuf, format: String },
    #[error("cannot remove {}", path.display())]
    Remove {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the list of people")]
    Encode {
        #[source]
        source: serde_json::Error,
    },
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    #[error(transparent)]
    Privacy(#[from] crate::privacy::Error),
}

impl Error {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::Unreadable { .. } => "check the data dir's permissions",
            Error::Damaged { .. } => "restore it from a backup, or delete it to undo every merge",
            Error::UnknownFormat { .. } => {
                "this archive was written by a newer whatscope; use that version"
            }
            Error::Index(e) => return e.hint(),
            Error::Privacy(e) => return e.hint(),
            Error::Remove { .. } | Error::Encode { .. } => return None,
        };
        Some(hint.to_string())
    }

    /// The process's exit code when this error ends it (docs/cli.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Index(e) => e.exit_code(),
            Error::Privacy(e) => e.exit_code(),
            _ => crate::error::EXIT_FAILURE,
        }
    }
}
