//! Operations on the whole archive, composing storage (`index`), policy (`privacy`) and
//! people: opening it ready to read, importing with the opt-out list, forgetting a person,
//! purging, exporting, and bringing an older schema up to date (docs/architecture.md).

pub(crate) mod atomic_file;
pub mod attachment;
pub mod error;
pub(crate) mod export;
pub mod forget;
pub mod import;
pub(crate) mod media;
pub(crate) mod migrate;
pub(crate) mod purge;

use crate::index::archive::Archive;
use crate::index::schema::needs_reindex;
use std::path::Path;

pub use error::Error;

/// Opens an existing archive ready to read: an archive of the previous schema is re-indexed
/// first (old and new documents must not answer queries differently), and an erasure a
/// crash interrupted is finished before anything is shown (docs/reliability.md, D11).
pub fn open(dir: &Path) -> Result<Archive, Error> {
    let archive = Archive::open(dir)?;
    if needs_reindex(archive.meta.schema_version) {
        migrate::reindex(&archive, &archive.meta)?;
    }
    forget::finish_interrupted(&archive)?;
    Ok(archive)
}

/// Opens the archive in `dir`, creating it (private to the user, with its secret) when
/// missing.
pub fn open_or_create(dir: &Path) -> Result<Archive, Error> {
    Archive::create_if_missing(dir, |dir| {
        crate::privacy::secret::create_for_new_archive(dir).map_err(Error::from)
    })?;
    open(dir)
}
