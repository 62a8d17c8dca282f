//! The archive's random secret: 32 bytes made with the archive, `0600`, never exported.
//! Pseudonyms and opt-out hashes are keyed with it, so they cannot be reversed by hashing
//! guessed names or phone numbers.

use crate::error::UserError;
use crate::index::files::write_private;
use crate::index::files::SECRET_FILE;
use std::path::Path;

const LEN: usize = 32;

/// Makes the secret of an archive being created in `dir` (kept when one is there already:
/// an earlier creation was interrupted after it). Only a new archive gets a secret this way;
/// an existing one whose secret is lost gets a new one only from [`reset`].
pub fn create_for_new_archive(dir: &Path) -> Result<(), UserError> {
    if load(dir)?.is_some() {
        return Ok(());
    }
    write_new(dir)
}

/// The secret of the archive in `dir`; an error when it is missing. Pseudonyms and the
/// opt-out list are keyed with it: a new one would change every pseudonym and let everyone
/// who was forgotten back in, so it is never made silently (issue 13 A3).
pub fn require(dir: &Path) -> Result<[u8; LEN], UserError> {
    load(dir)?.ok_or_else(|| {
        UserError::new(format!(
            "the archive in {} has lost its secret ({SECRET_FILE})",
            crate::sanitize::to_display(&dir.display().to_string(), crate::sanitize::Mode::OneLine)
        ))
        .hint(format!(
            "restore {SECRET_FILE} from a backup; or make a new one with `whatscope secret reset --yes` ({RESET_COST})"
        ))
    })
}

/// What [`reset`] costs, in the words every message about it uses.
pub const RESET_COST: &str = "every pseudonym changes, and the people you made whatscope forget must be forgotten again by name";

/// Makes a new secret for the archive in `dir`, replacing any: the explicit, documented way
/// (`whatscope secret reset --yes`) to go on after the secret is lost.
pub fn reset(dir: &Path) -> Result<(), UserError> {
    write_new(dir)
}

fn write_new(dir: &Path) -> Result<(), UserError> {
    let mut secret = [0u8; LEN];
    getrandom::fill(&mut secret)
        .map_err(|e| UserError::new(format!("cannot make the archive secret: {e}")))?;
    write_private(&dir.join(SECRET_FILE), &secret)
}

/// The secret of the archive in `dir`, if it has one (never creates it).
pub fn load(dir: &Path) -> Result<Option<[u8; LEN]>, UserError> {
    let path = dir.join(SECRET_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => <[u8; LEN]>::try_from(bytes.as_slice())
            .map(Some)
            .map_err(|_| {
                UserError::new(format!("{}: the archive secret is damaged", path.display()))
                    .hint("pseudonyms and the opt-out list depend on it; restore it from a backup")
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(UserError::new(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}
