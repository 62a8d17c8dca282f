//! The archive's random secret: 32 bytes made with the archive, `0600`, never exported.
//! Pseudonyms and opt-out hashes are keyed with it, so they cannot be reversed by hashing
//! guessed names or phone numbers.

use crate::error::UserError;
use crate::index::archive::write_private;
use std::path::Path;

pub const SECRET_FILE: &str = "secret.key";
const LEN: usize = 32;

/// The secret of the archive in `dir`, created on first use.
pub fn load_or_create(dir: &Path) -> Result<[u8; LEN], UserError> {
    let path = dir.join(SECRET_FILE);
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(secret) = <[u8; LEN]>::try_from(bytes.as_slice()) {
            return Ok(secret);
        }
        return Err(UserError::new(format!(
            "{}: the archive secret is damaged",
            path.display()
        ))
        .hint("pseudonyms depend on it; restore it from a backup, or purge the archive and import again"));
    }
    let mut secret = [0u8; LEN];
    getrandom::fill(&mut secret)
        .map_err(|e| UserError::new(format!("cannot make the archive secret: {e}")))?;
    write_private(&path, &secret)?;
    Ok(secret)
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
