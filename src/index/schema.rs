//! The archive's tantivy schema: fields named after the query syntax (`from`, `chat`, `kind`,
//! `has`), fast fields for everything statistics and sorting read, stored fields as the
//! message store for the texts (numbers are read back from their fast fields).

use super::analyzer::ANALYZER;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
};

/// Bumped whenever the schema or the analyzer changes what is on disk. 3: tokens and names
/// normalised (NFC / NFKC, see `crate::fold`). 4: emoji told by Unicode's emoji data (the
/// `emoji` column and emoji tokens, see `crate::textscan`), and each attachment's type as a
/// `has` term (`index::media`). An archive of an older version in [`REINDEXABLE`] re-indexes
/// itself when opened (`ops::migrate`).
///
/// 5 (0.2): fewer fields and field options, in new archives only (tantivy keeps the schema
/// an index was created with). A message's numbers (id, time, line, kind, edited) and its
/// chat and sender names are kept only in their columns (the store was 57 % of an archive and
/// the numbers a third of it);
/// the hour, weekday and month columns are gone (statistics work them out from the time);
/// time, kind, emoji and domains are no longer indexed as terms (ranges read the time's
/// column, `kind:` the kind's, see `query::kind_query`; emoji and domains are only counted). A schema-4 archive holds all of that and more, so it
/// is read as it is ([`READ_AS_IS`]): `index::read::Loader` takes the numbers from its
/// store, and nothing reads its extra columns and terms. The bump is for older versions of
/// whatscope, which would not find the fields they expect in a new archive: they say it was
/// written by another version instead of calling it damaged.
pub const SCHEMA_VERSION: u32 = 5;

/// Older schema versions whose stored fields this version can index again (`ops::migrate`
/// reads the stored documents back, so their field set must be this one's).
pub const REINDEXABLE: &[u32] = &[2, 3];

/// Older schema versions this version reads and adds to without re-indexing (their meta
/// keeps their version, so the version that wrote them can still open them).
pub const READ_AS_IS: &[u32] = &[4];

/// Whether an archive of schema `version` must be re-indexed before it is read.
pub fn needs_reindex(version: u32) -> bool {
    version != SCHEMA_VERSION && !READ_AS_IS.contains(&version)
}

/// The name of every field, written once: the schema builder, `Fields::resolve` and every
/// reader of a fast-field column by name use these, so a renamed field cannot leave a reader
/// behind (a wrong name is no compile error for tantivy, only a missing column at run time).
/// Each field's meaning is on its [`Fields`](crate::index::schema::Fields) handle.
pub mod field {
    pub const ID: &str = "id";
    pub const CHAT_RAW: &str = "chat_raw";
    pub const SENDER_RAW: &str = "sender_raw";
    pub const TEXT: &str = "text";
    pub const FILE: &str = "file";
    pub const TS: &str = "ts";
    pub const LINE: &str = "line";
    pub const KIND: &str = "kind";
    pub const HAS: &str = "has";
    pub const EDITED: &str = "edited";
    pub const WORDS: &str = "words";
    pub const EMOJI: &str = "emoji";
    pub const DOMAIN: &str = "domain";
    pub const WORD: &str = "word";

    /// Every name above, in schema order.
    pub const ALL: [&str; 14] = [
        ID, CHAT_RAW, SENDER_RAW, TEXT, FILE, TS, LINE, KIND, HAS, EDITED, WORDS, EMOJI, DOMAIN,
        WORD,
    ];
}

/// Handles to every field, resolved once per open.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Message id (u64 of the 16 hex digits): the upsert key.
    pub id: Field,
    /// Chat name as given: grouping, listing, and `chat:` (names are matched by words first,
    /// see `query::Names`).
    pub chat_raw: Field,
    /// Sender as normalised; empty for system messages. `from:` works like `chat:`.
    pub sender_raw: Field,
    /// Message body, analyzed with positions (phrases), stored.
    pub text: Field,
    /// Attachment file name, analyzed and stored.
    pub file: Field,
    /// Local wall-clock time as seconds since 1970-01-01T00:00:00 (no zone).
    pub ts: Field,
    /// Line of the message in its export: the tiebreak after `ts`.
    pub line: Field,
    pub kind: Field,
    /// `media`, `link`, `emoji`: what `has:` filters on; and `media-TYPE`, the attachment's
    /// type (`index::media`).
    pub has: Field,
    pub edited: Field,
    /// Per-message figures computed once at import for statistics.
    pub words: Field,
    pub emoji: Field,
    pub domain: Field,
    /// The message's distinct words for `top_words` (lowercased, folded, no stop words; kinds
    /// `text` and `media`): a column only, see `index::words`.
    pub word: Field,
}

fn analyzed(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// An untokenized field that only selects: no field norms (they serve scoring only).
fn keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    )
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let num_fast = NumericOptions::default().set_fast();
    // Ids are read from their column; indexing a million unique terms would cost more than
    // the rest of the dictionary.
    b.add_u64_field(field::ID, FAST);
    // Names are read back from their columns (`index::read::Loader`), not stored with every
    // message: the store holds the texts.
    b.add_text_field(field::CHAT_RAW, keyword().set_fast("raw"));
    b.add_text_field(field::SENDER_RAW, keyword().set_fast("raw"));
    b.add_text_field(field::TEXT, analyzed(true));
    b.add_text_field(field::FILE, analyzed(true));
    b.add_i64_field(field::TS, FAST);
    b.add_u64_field(field::LINE, FAST);
    b.add_u64_field(field::KIND, FAST);
    b.add_text_field(field::HAS, keyword());
    b.add_u64_field(field::EDITED, FAST);
    b.add_u64_field(field::WORDS, num_fast);
    // Emoji and domains are counted from their columns, never searched by term (`has:emoji`
    // and `has:link` are `has` terms), so they are not indexed.
    b.add_text_field(field::EMOJI, TextOptions::default().set_fast("raw"));
    b.add_text_field(field::DOMAIN, TextOptions::default().set_fast("raw"));
    b.add_text_field(field::WORD, TextOptions::default().set_fast("raw"));
    b.build()
}

impl Fields {
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f(field::ID)?,
            chat_raw: f(field::CHAT_RAW)?,
            sender_raw: f(field::SENDER_RAW)?,
            text: f(field::TEXT)?,
            file: f(field::FILE)?,
            ts: f(field::TS)?,
            line: f(field::LINE)?,
            kind: f(field::KIND)?,
            has: f(field::HAS)?,
            edited: f(field::EDITED)?,
            words: f(field::WORDS)?,
            emoji: f(field::EMOJI)?,
            domain: f(field::DOMAIN)?,
            word: f(field::WORD)?,
        })
    }
}

/// Seconds since 1970-01-01T00:00:00 of a local wall-clock time, and back.
pub fn ts_to_secs(ts: &chrono::NaiveDateTime) -> i64 {
    ts.and_utc().timestamp()
}

pub fn secs_to_ts(secs: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_and_schema_are_one_to_one() {
        let schema = build_schema();
        let in_schema: Vec<&str> = schema.fields().map(|(_, entry)| entry.name()).collect();
        assert_eq!(in_schema, field::ALL);
        assert!(Fields::resolve(&schema).is_ok());
    }
}
