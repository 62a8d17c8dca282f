//! Privacy policy (docs/privacy.md): the per-archive secret, the opt-out list, stable
//! pseudonyms, anonymized text, and finding names, phone numbers and e-mail addresses. The
//! operations that apply it to the archive (forget, purge, export) are in `ops`.

pub mod error;
pub(crate) mod optout;
pub mod phone;
pub mod pseudonym;
pub(crate) mod redact;
pub(crate) mod secret;

pub use error::Error;
pub use pseudonym::Pseudonyms;
pub use redact::Anonymizer;
