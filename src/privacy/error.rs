//! What can go wrong with the archive's privacy policy: its secret and its opt-out list.
//! Causes are kept as sources; the edge makes the one line (docs/architecture.md, "Errors").

use std::path::{Path, PathBuf};

use crate::index::files::SECRET_FILE;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the archive in {} has lost its secret ({SECRET_FILE})", shown(dir))]
    SecretLost { dir: PathBuf },
    #[error("{}: the archive secret is damaged", path.display())]
    SecretDamaged { path: PathBuf },
    #[error("cannot read {}", path.display())]
    SecretUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot make the archive secret")]
    NoRandomness {
        #[source]
        source: getrandom::Error,
    },
    #[error("cannot read the opt-out list {}", path.display())]
    OptOutUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the opt-out list is damaged", path.display())]
    OptOutDamaged { path: PathBuf },
    /// Writing the secret or the list (storage's error, with its hint).
    #[error(transparent)]
    Index(#[from] crate::index::Error),
}

impl Error {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::SecretLost { .. } => {
                return Some(format!(
                    "restore {SECRET_FILE} from a backup; or make a new one with `whatscope secret reset --yes` ({})",
                    super::secret::RESET_COST
                ))
            }
            Error::SecretDamaged { .. } => {
                "pseudonyms and the opt-out list depend on it; restore it from a backup"
            }
            Error::OptOutUnreadable { .. } => {
                "it must stay readable, or people who asked to be forgotten would be imported again"
            }
            Error::OptOutDamaged { .. } => {
                "restore it from a backup; do not delete it, or forgotten people come back on the next import"
            }
            Error::Index(e) => return e.hint(),
            Error::SecretUnreadable { .. } | Error::NoRandomness { .. } => return None,
        };
        Some(hint.to_string())
    }

    /// The process's exit code when this error ends it (docs/cli.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Index(e) => e.exit_code(),
            _ => crate::error::EXIT_FAILURE,
        }
    }
}

fn shown(dir: &Path) -> String {
    crate::sanitize::to_display(&dir.display().to_string(), crate::sanitize::Mode::OneLine)
        .into_owned()
}
