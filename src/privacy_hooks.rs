//! The archive's opt-out list as the importer consults it: a sender whose keyed hash is on
//! the list (`whatscope forget`) is skipped, and counted in the report as opted out.

use crate::error::UserError;
use crate::index::archive::Archive;
use crate::privacy::optout::OptOut;
use std::cell::RefCell;
use std::collections::HashMap;

/// Tells whether a sender must be skipped.
pub type SenderFilter = Box<dyn Fn(&str) -> bool>;

/// A predicate telling whether a sender has opted out and must not be imported.
pub fn opted_out(archive: &Archive) -> Result<SenderFilter, UserError> {
    let list = OptOut::load(&archive.dir)?;
    if list.is_empty() {
        // The secret is made with the archive (SPEC §6): pseudonyms never wait for it.
        crate::privacy::secret::load_or_create(&archive.dir)?;
        return Ok(Box::new(|_| false));
    }
    let Some(secret) = crate::privacy::secret::load(&archive.dir)? else {
        // Hashes without their key match nobody: importing now would bring back everyone
        // who asked to be forgotten.
        return Err(UserError::new(format!(
            "{}: the archive has an opt-out list but its secret (secret.key) is missing",
            archive.dir.display()
        ))
        .hint(
            "restore secret.key from a backup; without it, forgotten people cannot be recognised",
        ));
    };
    // One keyed hash per distinct sender, not per message.
    let seen: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    Ok(Box::new(move |sender: &str| {
        if let Some(known) = seen.borrow().get(sender) {
            return *known;
        }
        let out = list.contains(&secret, sender);
        seen.borrow_mut().insert(sender.to_string(), out);
        out
    }))
}
