//! What can go wrong in an operation on the whole archive, wrapping the layers below, and
//! [`shown`]: the one function that turns any error chain into what the edge (the CLI's
//! `error:`/`hint:` lines, the TUI's status line) shows (docs/architecture.md, "Errors").

use std::path::PathBuf;

use crate::error::{Shown, UserError, EXIT_FAILURE, EXIT_USAGE};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another whatscope holds the writer while this one must finish an erasure or re-index.
    #[error("the archive is busy: another whatscope is {doing}")]
    Busy { doing: &'static str },
    #[error("forget: the name is empty")]
    EmptyName,
    #[error("cannot finish the erasure: cannot remove {marker}")]
    EraseMarker {
        marker: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot list {}", dir.display())]
    List {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the erasure is incomplete: {} and {} are still in the archive",
        crate::output::count(*messages, "message"),
        crate::output::count(*deleted, "deleted document"))]
    EraseIncomplete { messages: u64, deleted: u64 },
    #[error("cannot read {}", path.display())]
    PurgeRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot delete {}", path.display())]
    PurgeDelete {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An access export for somebody the archive does not know; `close` are names like it.
    #[error("no participant named \"{name}\" in the archive")]
    NoParticipant { name: String, close: Vec<String> },
    /// Parts of an export's query that could not be read (a usage error: an export must not
    /// guess what it writes).
    #[error("export --query: cannot read {}", unread.join("; "))]
    UnreadQuery { unread: Vec<String> },
    #[error("{}: not a file name", target.display())]
    NotAFileName { target: PathBuf },
    #[error("{} is a folder", target.display())]
    IsAFolder { target: PathBuf },
    #[error("cannot write {}: no folder {}", target.display(), dir.display())]
    NoFolder { target: PathBuf, dir: PathBuf },
    #[error("cannot write {}", target.display())]
    Output {
        target: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no attachment with id {id}: no message with an attachment has this id")]
    NoAttachment { id: String },
    #[error("media save: {id:?} is not a message id")]
    NotAnId { id: String },
    #[error("attachment {id} is not available: the export left it out (exported without media)")]
    LeftOut { id: String },
    #[error("attachment {id} is not available")]
    Unavailable {
        id: String,
        #[source]
        why: crate::import::media::Unavailable,
    },
    #[error("attachment {id} cannot be read")]
    Unreadable {
        id: String,
        #[source]
        why: crate::import::media::Unavailable,
    },
    #[error("attachment {id} cannot be shown")]
    Image {
        id: String,
        #[source]
        why: super::attachment::ImageProblem,
    },
    #[error("cannot make a private copy to open")]
    PrivateCopy {
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open it: there is no program {program:?} (the opener)")]
    OpenerMissing { program: String },
    #[error("cannot open it with {program:?}")]
    OpenerFailed {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    #[error(transparent)]
    Privacy(#[from] crate::privacy::Error),
    #[error(transparent)]
    People(#[from] crate::people::Error),
    #[error(transparent)]
    Stats(#[from] crate::stats::Error),
}

impl Error {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::Busy { .. } => "wait for it to finish, then run this again",
            Error::EmptyName => "give the participant's name as `whatscope chats` or `search` shows it",
            Error::EraseMarker { .. } => {
                "the messages are erased; make the data dir writable, then open the archive again"
            }
            Error::EraseIncomplete { .. } => {
                "another whatscope may have written at the same time; run `whatscope forget` again"
            }
            Error::PurgeDelete { .. } => {
                "close every other whatscope (and the TUI), then run purge again"
            }
            Error::NoParticipant { close, .. } if close.is_empty() => {
                "give the name in full as `whatscope search` shows it (any case)"
            }
            Error::NoParticipant { close, .. } => {
                return Some(format!("did you mean: {}?", close.join(", ")))
            }
            Error::UnreadQuery { .. } => {
                "fix or drop that part; `whatscope search` shows what a query matches (it reads such parts leniently)"
            }
            Error::NotAFileName { .. } => "give --output a file path, e.g. --output chats.ndjson",
            Error::IsAFolder { .. } => {
                "give --output a file path inside it, e.g. --output DIR/export.ndjson"
            }
            Error::NoFolder { .. } => "create the folder first",
            Error::Output { .. } => "choose another --output",
            Error::NoAttachment { .. } => "`whatscope media` lists the attachments and their ids",
            Error::NotAnId { .. } => "an id is 16 hex digits, as `whatscope media` lists them",
            Error::LeftOut { .. } => crate::import::media::Unavailable::NotInSource {
                place: String::new(),
            }
            .hint(),
            Error::Unavailable { why, .. } | Error::Unreadable { why, .. } => why.hint(),
            Error::Image { .. } => {
                "`whatscope media save ID --output FILE` writes it out for another program"
            }
            Error::PrivateCopy { .. } => "make the temporary folder (TMPDIR) writable",
            Error::OpenerMissing { .. } | Error::OpenerFailed { .. } => {
                "set WHATSCOPE_OPENER to a program that opens a file given as its one argument"
            }
            Error::Index(e) => return e.hint(),
            Error::Privacy(e) => return e.hint(),
            Error::People(e) => return e.hint(),
            Error::Stats(e) => return e.hint(),
            Error::List { .. } | Error::PurgeRead { .. } | Error::Encode(_) => return None,
        };
        Some(hint.to_string())
    }

    /// The process's exit code when this error ends it (docs/cli.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::UnreadQuery { .. } | Error::NotAnId { .. } => EXIT_USAGE,
            Error::Index(e) => e.exit_code(),
            Error::Privacy(e) => e.exit_code(),
            Error::People(e) => e.exit_code(),
            Error::Stats(e) => e.exit_code(),
            _ => EXIT_FAILURE,
        }
    }
}

/// The hint and exit code of one error of the chain, when it is one of whatscope's.
fn typed(err: &(dyn std::error::Error + 'static)) -> Option<(Option<String>, i32)> {
    if let Some(e) = err.downcast_ref::<Error>() {
        return Some((e.hint(), e.exit_code()));
    }
    if let Some(e) = err.downcast_ref::<crate::stats::Error>() {
        return Some((e.hint(), e.exit_code()));
    }
    if let Some(e) = err.downcast_ref::<crate::people::Error>() {
        return Some((e.hint(), e.exit_code()));
    }
    if let Some(e) = err.downcast_ref::<crate::privacy::Error>() {
        return Some((e.hint(), e.exit_code()));
    }
    if let Some(e) = err.downcast_ref::<crate::index::Error>() {
        return Some((e.hint(), e.exit_code()));
    }
    err.downcast_ref::<UserError>()
        .map(|e| (e.hint.clone(), e.exit_code))
}

/// What the edge shows for `err`: its chain as one line; the hint of a failed write to
/// standard output, then every typed error's hint, in the chain's order; and the exit code
/// of the first typed error (1 when there is none).
pub fn shown(err: &(dyn std::error::Error + 'static)) -> Shown {
    let mut hints = Vec::new();
    let mut exit_code = None;
    let chain = std::iter::successors(Some(err), |e| e.source());
    if chain.clone().any(crate::error::is_output_failed) {
        hints.push(crate::error::OUTPUT_FAILED_HINT.to_string());
    }
    for cause in chain {
        if let Some((hint, code)) = typed(cause) {
            hints.extend(hint);
            exit_code.get_or_insert(code);
        }
    }
    Shown {
        line: crate::error::one_line(err),
        hints,
        exit_code: exit_code.unwrap_or(EXIT_FAILURE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_error_shows_one_line_its_hint_and_its_exit_code() {
        let err = Error::from(crate::index::Error::NoArchive {
            dir: std::path::PathBuf::from("/tmp/none"),
        });
        let s = shown(&err);
        assert_eq!(s.line, "no archive in /tmp/none");
        assert_eq!(
            s.hints,
            vec!["import an export first: `whatscope import PATH` (or try `whatscope demo`)"]
        );
        assert_eq!(s.exit_code, EXIT_FAILURE);
        let usage = shown(&Error::NotAnId { id: "xyz".into() });
        assert_eq!(usage.line, "media save: \"xyz\" is not a message id");
        assert_eq!(usage.exit_code, EXIT_USAGE);
    }

    #[test]
    fn a_cause_is_joined_to_the_line_once() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = Error::Output {
            target: std::path::PathBuf::from("out.ndjson"),
            source: io,
        };
        assert_eq!(shown(&err).line, "cannot write out.ndjson: denied");
    }
}
