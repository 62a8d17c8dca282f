//! Privacy: the per-archive secret and the stable pseudonyms derived from it (SPEC §6).

pub mod pseudonym;
pub mod secret;

pub use pseudonym::Pseudonyms;
