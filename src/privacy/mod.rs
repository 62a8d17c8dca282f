//! Privacy (docs/privacy.md): the per-archive secret, stable pseudonyms, anonymized output,
//! forgetting a person, access and portability exports, and purging the archive.

pub mod export;
pub mod forget;
pub mod optout;
pub mod phone;
pub mod pseudonym;
pub mod purge;
pub mod redact;
pub mod secret;

pub use pseudonym::Pseudonyms;
pub use redact::{anonymize_stats, Anonymizer};
