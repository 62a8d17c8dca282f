//! The archive: a tantivy index of messages in the data dir, with its metadata.

pub mod analyzer;
pub mod archive;
pub(crate) mod build;
pub mod collect;
pub(crate) mod columns;
pub(crate) mod document;
pub mod error;
pub mod files;
pub mod known;
pub mod media;
pub mod query;
pub mod read;
pub mod schema;
pub mod search;
pub mod stopwords;
pub mod words;
pub mod writer;

pub use error::Error;
