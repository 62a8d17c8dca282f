//! The archive's opt-out list as the importer consults it: a sender whose keyed hash is on
//! the list (`whatscope forget`) is skipped, and counted in the report as opted out.

use super::Error;
use crate::index::archive::Archive;
use crate::privacy::optout::OptOut;
use std::collections::HashMap;
use std::sync::Mutex;

/// Tells whether a sender must be skipped.
/// `Sync`: the import asks it from every thread that builds documents.
pub type SenderFilter = Box<dyn Fn(&str) -> bool + Sync>;

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
    let seen: Mutex<HashMap<String, bool>> = Mutex::new(HashMap::new());
    Ok(Box::new(move |sender: &str| {
        // A poisoned cache only lost a memo: the answer is worked out again.
        let mut seen = seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = seen.get(sender) {
            return *known;
        }
        let out = list.contains(&secret, sender);
        seen.insert(sender.to_string(), out);
        out
    }))
}
