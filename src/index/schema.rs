//! The archive's tantivy schema: fields named after the query syntax (`from`, `chat`, `kind`,
//! `has`), fast fields for everything statistics and sorting read, stored fields as the
//! message store.

use super::analyzer::ANALYZER;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED,
};

/// Bumped whenever the schema or the analyzer changes what is on disk. 3: tokens and names
/// normalised (NFC / NFKC, see `crate::fold`); an archive of 2 re-indexes itself
/// (`ops::migrate`). 4: each attachment's type as a `has` term (`index::media`).
pub const SCHEMA_VERSION: u32 = 4;

/// Older schema versions whose stored fields this version can index again (`ops::migrate`
/// reads the stored documents back, so their field set must be this one's).
pub const REINDEXABLE: &[u32] = &[2, 3];

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
    pub hour: Field,
    /// 0 = Monday.
    pub weekday: Field,
    /// `YYYYMM`.
    pub month: Field,
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
    b.add_u64_field("id", STORED | FAST);
    b.add_text_field("chat_raw", keyword().set_stored().set_fast("raw"));
    b.add_text_field("sender_raw", keyword().set_stored().set_fast("raw"));
    b.add_text_field("text", analyzed(true));
    b.add_text_field("file", analyzed(true));
    b.add_i64_field("ts", INDEXED | STORED | FAST);
    b.add_u64_field("line", STORED | FAST);
    b.add_u64_field("kind", INDEXED | STORED | FAST);
    b.add_text_field("has", keyword());
    b.add_u64_field("edited", STORED | FAST);
    b.add_u64_field("hour", num_fast.clone());
    b.add_u64_field("weekday", num_fast.clone());
    b.add_u64_field("month", num_fast.clone());
    b.add_u64_field("words", num_fast);
    b.add_text_field("emoji", keyword().set_fast("raw"));
    b.add_text_field("domain", keyword().set_fast("raw"));
    b.add_text_field("word", TextOptions::default().set_fast("raw"));
    b.build()
}

impl Fields {
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            chat_raw: f("chat_raw")?,
            sender_raw: f("sender_raw")?,
            text: f("text")?,
            file: f("file")?,
            ts: f("ts")?,
            line: f("line")?,
            kind: f("kind")?,
            has: f("has")?,
            edited: f("edited")?,
            hour: f("hour")?,
            weekday: f("weekday")?,
            month: f("month")?,
            words: f("words")?,
            emoji: f("emoji")?,
            domain: f("domain")?,
            word: f("word")?,
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
