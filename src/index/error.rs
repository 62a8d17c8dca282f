//! What can go wrong in storage: the archive's folder, its tantivy index and its files.
//!
//! Each variant names a situation; the cause (a tantivy, I/O or JSON error) is kept as its
//! `source`, and the edge (docs/architecture.md, "Errors") joins the chain into the one line
//! a user reads, with [`Error::hint`] under it.

use std::path::{Path, PathBuf};

use crate::error::{UserError, EXIT_FAILURE, EXIT_INTERRUPTED};

/// Any error a cause can be.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot find a data directory: no home directory is set")]
    NoDataDir,
    #[error("no archive in {}", shown(dir))]
    NoArchive { dir: PathBuf },
    #[error(
        "{}: the archive was written by another version of whatscope (schema {found}, this one reads {reads})",
        dir.display()
    )]
    OtherVersion {
        dir: PathBuf,
        found: u32,
        reads: u32,
    },
    #[error(
        "cannot open the archive in {}: its index was written by another version of whatscope",
        shown(dir)
    )]
    OtherIndexVersion { dir: PathBuf },
    #[error("cannot open the archive in {}: permission denied", shown(dir))]
    OpenDenied { dir: PathBuf },
    /// `why` is tantivy's word (or its panic's), cut short: some quote a whole file.
    #[error("the archive in {} is damaged: {why}", shown(dir))]
    Damaged { dir: PathBuf, why: String },
    #[error("cannot open the archive in {}", shown(dir))]
    Open {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("{}: the archive metadata is unreadable", dir.display())]
    MetaUnreadable { dir: PathBuf },
    #[error("cannot create the archive in {}", dir.display())]
    Create {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot lock {}", dir.display())]
    Lock {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The index folder itself failed (opening its directory, re-reading it).
    #[error("{}", dir.display())]
    Storage {
        dir: PathBuf,
        #[source]
        source: Cause,
    },
    #[error(
        "{} is not empty and holds no whatscope archive: it will not be made one",
        shown(dir)
    )]
    ForeignFolder { dir: PathBuf },
    #[error("cannot create {}", dir.display())]
    CreateDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    WriteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the archive")]
    Read {
        #[source]
        source: Cause,
    },
    #[error("the archive's id column is unreadable")]
    IdColumn {
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("no chat named \"{given}\" in the archive")]
    NoChat { given: String },
    #[error("\"{given}\" matches {} chats: {}", matches.len(), matches.join(", "))]
    ManyChats { given: String, matches: Vec<String> },
    #[error("the archive is busy: another whatscope is importing or changing it")]
    Busy,
    /// A write that failed for want of space. The message says so in the user's words, so
    /// the I/O error is kept as `cause`, not as a source the one line would repeat.
    #[error(
        "cannot {what}: the disk is full (no space left for {}); {unsaved}",
        shown(dir)
    )]
    DiskFull {
        dir: PathBuf,
        what: String,
        unsaved: String,
        cause: Cause,
    },
    /// A write the folder's permissions (or a read-only filesystem) refused; `cause` as above.
    #[error(
        "cannot {what}: permission denied: {} cannot be written; {unsaved}",
        shown(dir)
    )]
    WriteDenied {
        dir: PathBuf,
        what: String,
        unsaved: String,
        cause: Cause,
    },
    /// Any other failed write: the cause is named in the middle of the line, before what was
    /// not saved (docs/reliability.md), so it is part of the message rather than a source.
    #[error("cannot {what}: {cause}; {unsaved}")]
    Write {
        what: String,
        unsaved: String,
        cause: Cause,
    },
    #[error("cannot index {display}")]
    IndexFile {
        display: String,
        #[source]
        source: tantivy::TantivyError,
    },
    /// One file's import stopped by a request to stop; the whole import is then given up.
    #[error("interrupted")]
    FileInterrupted,
    #[error(
        "import interrupted: the archive was left as it was (nothing of this import was saved)"
    )]
    Interrupted,
    /// An export that cannot be read or parsed (the import layer's error, with its hint).
    #[error(transparent)]
    Import(#[from] UserError),
    #[error(transparent)]
    Encode(#[from] serde_json::Error),
}

impl Error {
    /// A failed read of the index, whatever the cause.
    pub fn read(source: impl Into<Cause>) -> Error {
        Error::Read {
            source: source.into(),
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::NoDataDir => "pass --data-dir DIR or set WHATSCOPE_DATA_DIR",
            Error::NoArchive { .. } => {
                "import an export first: `whatscope import PATH` (or try `whatscope demo`)"
            }
            Error::OtherVersion { .. } => "import your exports again into a new --data-dir",
            Error::OtherIndexVersion { .. } => {
                "open it with the whatscope that wrote it, or import your exports again into a new --data-dir"
            }
            Error::OpenDenied { .. } => {
                "make the folder and its files readable and writable by you, or use another --data-dir"
            }
            Error::Damaged { .. } => {
                "move the folder away (or delete it with `whatscope purge`), then import your exports again"
            }
            Error::Open { .. } => {
                "if this persists, move the folder away and import your exports again"
            }
            Error::MetaUnreadable { .. } => "move the folder away and import your exports again",
            Error::ForeignFolder { dir } => {
                return Some(format!(
                    "give --data-dir a new or empty folder (whatscope creates it), e.g. --data-dir {}",
                    shown(&dir.join("whatscope"))
                ))
            }
            Error::CreateDir { .. } => "choose another place with --data-dir",
            Error::NoChat { .. } => "list the chats with `whatscope chats`",
            Error::ManyChats { .. } => "give the full name in quotes",
            Error::Busy => "wait for it to finish, then run this again",
            Error::DiskFull { .. } => {
                "free some disk space, then run it again (an import adds only what is missing)"
            }
            Error::WriteDenied { .. } => {
                "make the folder and its files writable by you (or use another --data-dir), then run it again"
            }
            Error::Write { .. } => "run it again; the archive stays as it was last saved",
            Error::Import(e) => return e.hint.clone(),
            Error::Create { .. }
            | Error::Lock { .. }
            | Error::Storage { .. }
            | Error::WriteFile { .. }
            | Error::Read { .. }
            | Error::IdColumn { .. }
            | Error::IndexFile { .. }
            | Error::FileInterrupted
            | Error::Interrupted
            | Error::Encode(_) => return None,
        };
        Some(hint.to_string())
    }

    /// The process's exit code when this error ends it (docs/cli.md).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Interrupted => EXIT_INTERRUPTED,
            Error::Import(e) => e.exit_code,
            _ => EXIT_FAILURE,
        }
    }
}

/// A folder as a terminal may show it (its name is the user's, but may hold anything).
fn shown(dir: &Path) -> String {
    crate::sanitize::to_display(&dir.display().to_string(), crate::sanitize::Mode::OneLine)
        .into_owned()
}
