//! The archive's opt-out list as the importer consults it: a sender whose keyed hash is on
//! the list (`whatscope forget`) is skipped, and counted in the report as opted out.

use super::Error;
use crate::index::archive::Archive;
use crate::privacy::optout::OptOut;
use std::cell::RefCell;
use std::collections::HashMap;

/// Tells whether a sender must be skipped.
pub type SenderFilter = Box<dyn Fn(&str) -> bool>;

/// A predicate telling whether a sender has opted out and must not be imported.
pub fn opted_out(archive: &Archive) -> Result<SenderFilter, Error> {
    let list = OptOut::load(&archive.dir)?;
    // The secret is made with the archive (docs/privacy.md). Without it, the opt-out hashes match
    // nobody (importing would bring back everyone who asked to be forgotten) and every
    // pseudonym would change: the import refuses rather than make a new one.
    let secret = crate::privacy::secret::require(&archive.dir)?;
    if list.is_empty() {
        return Ok(Box::new(|_| false));
    }
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
