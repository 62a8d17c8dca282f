//! The anonymized view's masks for a whole archive: one pseudonym per person, so the names the
//! user merged (docs/people.md) are masked as one (docs/privacy.md).

use super::Error;
use super::People;
use crate::index::archive::Archive;
use crate::privacy::pseudonym::Persons;
use crate::privacy::{secret, Anonymizer, Pseudonyms};

impl Persons for People {
    fn pseudonym_key(&self, name: &str) -> String {
        People::pseudonym_key(self, name)
    }

    fn shown_as(&self) -> Vec<(String, String)> {
        self.persons()
            .iter()
            .filter_map(|p| Some((p.names.first()?.clone(), p.display.clone())))
            .collect()
    }
}

/// The pseudonyms of every sender in an archive, keyed by its secret.
pub fn pseudonyms(archive: &Archive) -> Result<Pseudonyms, Error> {
    let secret = secret::require(&archive.dir)?;
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?;
    let people = People::load(&archive.dir)?;
    Ok(Pseudonyms::of_people(&secret, names.senders(), &people))
}

/// Everybody in the archive masked.
pub fn anonymizer(archive: &Archive) -> Result<Anonymizer, Error> {
    let secret = secret::require(&archive.dir)?;
    Ok(Anonymizer::new(secret, pseudonyms(archive)?))
}
