//! The archive's random secret: 32 bytes made with the archive, `0600`, never exported.
//! Pseudonyms and opt-out hashes are keyed with it, so they cannot be reversed by hashing
//! guessed names or phone numbers.

use super::error::Error;
use crate::index::files::write_private;
use crate::index::files::SECRET_FILE;
use std::path::Path;

const LEN: usize = 32;

/// Makes the secret of an archive being created in `dir` (kept when one is there already:
/// an earlier creation was interrupted after it). Only a new archive gets a secret this way;
/// an existing one whose secret is lost gets a new one only from [`reset`].
pub fn create_for_new_archive(dir: &Path) -> Result<(), Error> {
    if load(dir)?.is_some() {
        return Ok(());
    }
    write_new(dir)
}

/// The secret of the archive in `dir`; an error when it is missing. Pseudonyms and the
/// opt-out list are keyed with it: a new one would change every pseudonym and let everyone
/// who was forgotten back in, so it is never made silently (issue 13 A3).
pub fn require(dir: &Path) -> Result<[u8; LEN], Error> {
    load(dir)?.ok_or_else(|| Error::SecretLost {
        dir: dir.to_path_buf(),
    })
}

/// What [`reset`] costs, in the words every message about it uses.
pub const RESET_COST: &str = "every pseudonym changes, and the people you made whatscope forget must be forgotten again by name";

/// Makes a new secret for the archive in `dir`, replacing any: the explicit, documented way
/// (`whatscope secret reset --yes`) to go on after the secret is lost.
pub fn reset(dir: &Path) -> Result<(), Error> {
    write_new(dir)
}

fn write_new(dir: &Path) -> Result<(), Error> {
    let mut secret = [0u8; LEN];
    getrandom::fill(&mut secret).map_err(|source| Error::NoRandomness { source })?;
    Ok(write_private(&dir.join(SECRET_FILE), &secret)?)
}

/// The secret of the archive in `dir`, if it has one (never creates it).
pub fn load(dir: &Path) -> Result<Option<[u8; LEN]>, Error> {
    let path = dir.join(SECRET_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => <[u8; LEN]>::try_from(bytes.as_slice())
            .map(Some)
            .map_err(|_| Error::SecretDamaged { path: path.clone() }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::SecretUnreadable { path, source }),
    }
}
