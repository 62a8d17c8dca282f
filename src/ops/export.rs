//! `whatscope export`: messages for other tools (portability, GDPR art. 20) and a person's
//! copy of everything held about them (access, art. 15): docs/cli.md and docs/privacy.md.
//!
//! - NDJSON: one docs/formats.md message object per line (`id`, `chat`, `ts`, `sender`, `kind`,
//!   `text`, `attachment`, `edited`); CSV: the same columns under a header row, RFC 4180
//!   (CRLF between records, fields with `"`, `,`, CR or LF quoted, `"` doubled; `null` is an
//!   empty field; `edited` is `true`/`false`). A cell that starts with `=`, `+`, `-`, `@`,
//!   TAB or CR gets a leading `'` (OWASP's guard against CSV injection: a spreadsheet would
//!   run it as a formula); `--no-formula-guard` keeps every cell exact for programs. On a
//!   terminal, each cell is shown as the other commands show text (control characters as
//!   visible stand-ins, see `crate::sanitize`); to a file or a pipe the bytes stay exact
//!   (docs/export.md).
//! - Order: chats by name, each in time order (then file order).
//! - `--chat`, `--participant`, `--query` narrow the messages (all must hold).
//! - `--participant NAME` is an access export: that person's messages, with everyone
//!   else's names, numbers and addresses masked (also inside their own messages), and a
//!   summary (counts, first/last, per chat, the system lines naming them, their statistics
//!   (docs/statistics.md), their pseudonym, what whatscope keeps). With `--output FILE` the summary
//!   goes beside it as `FILE.summary.json`, so the message file stays one shape; on stdout
//!   (NDJSON only) it is the last line, `{"summary": {…}}`.
//! - Whenever anything is masked (`--anonymize`, `--participant`), ids are keyed (see
//!   [`crate::privacy::redact::Anonymizer::id`]): stable across re-exports of one archive, not
//!   recomputable from a guessed name.
//! - `--output FILE` is written atomically: a `0600` temp file beside it, synced, renamed
//!   over it. A crash leaves the old file (or none), never a partial one; the temp file of a
//!   dead export is removed by the next export to the same place.

pub use super::atomic_file::AtomicFile;
use super::forget::{mention_query, sender_query, spellings};
use super::Error;
use crate::index::archive::Archive;
use crate::index::collect::by_time;
use crate::index::query::parse_query;
use crate::index::read::{self, chat_query, Loader};
use crate::model::{Kind, Message};
use crate::output::{write_json_line, MessageOut};
use crate::privacy::Anonymizer;
use crate::stats::anonymize_stats_except;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Query};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line (docs/formats.md fields)
    #[default]
    Ndjson,
    /// Comma-separated values with a header row (RFC 4180)
    Csv,
}

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub format: Format,
    pub chat: Option<String>,
    pub participant: Option<String>,
    pub query: Option<String>,
    pub anonymize: bool,
    pub cells: CsvCells,
}

/// How CSV cells are written besides RFC 4180 quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvCells {
    /// A leading `'` before a cell a spreadsheet would run as a formula (OWASP).
    pub formula_guard: bool,
    /// The output is a terminal: control characters become visible stand-ins.
    pub for_terminal: bool,
}

impl Default for CsvCells {
    fn default() -> Self {
        CsvCells {
            formula_guard: true,
            for_terminal: false,
        }
    }
}

/// The first characters OWASP lists for CSV injection: a spreadsheet reads a cell that
/// starts with one of them as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

impl CsvCells {
    /// One cell's text as it is written, before quoting.
    pub fn cell<'a>(&self, field: &'a str) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        let guarded: Cow<'a, str> = if self.formula_guard && field.starts_with(FORMULA_STARTS) {
            Cow::Owned(format!("'{field}"))
        } else {
            Cow::Borrowed(field)
        };
        if !self.for_terminal {
            return guarded;
        }
        match crate::sanitize::to_display(&guarded, crate::sanitize::Mode::MultiLine) {
            Cow::Borrowed(_) => guarded,
            Cow::Owned(shown) => Cow::Owned(shown),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    pub messages: u64,
    /// For `--participant`: the summary of what the archive holds about them.
    pub summary: Option<Summary>,
    /// How the query was read leniently.
    pub notes: Vec<String>,
}

/// The access summary's layout and version: a field added keeps it, a field changed or
/// removed bumps it.
pub const ACCESS_FORMAT: &str = "whatscope-access/1";

/// An access export's summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Which layout this is, versioned, so readers can check it (docs/reliability.md, R1).
    pub format: &'static str,
    /// The person, as the archive stores them (their pseudonym with `--anonymize`).
    pub participant: String,
    /// Their pseudonym in whatscope's anonymized views (none when they have no messages).
    pub pseudonym: Option<String>,
    pub messages: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub kinds: BTreeMap<String, u64>,
    pub chats: Vec<ChatCount>,
    /// System lines (WhatsApp's own events) that name them, others masked.
    pub events: Vec<Event>,
    /// Statistics (docs/statistics.md) over their messages, others masked (null without messages).
    pub statistics: Option<crate::stats::Stats>,
    /// Whether later imports skip them (`whatscope forget`).
    pub opted_out: bool,
    /// What whatscope keeps, for the person reading this.
    pub about: &'static str,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ChatCount {
    pub chat: String,
    pub messages: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub chat: String,
    pub ts: String,
    pub text: String,
}

const ABOUT: &str = "whatscope keeps, on this computer only, the WhatsApp chat exports its user \
imported: for each message its chat, time, sender, kind, text, attachment file name and edited \
flag, in a full-text index, plus figures derived from them (statistics). Nothing is sent anywhere. \
This file holds every message the archive has from you, your statistics, and the system lines that \
name you; other people's names, phone numbers and e-mail addresses are masked. Other people's \
messages that mention you are not included (they are theirs). `whatscope forget` erases your \
messages from the archive and keeps only a keyed hash of your name, so that later imports skip you.";

/// The CSV header row.
pub const CSV_HEADER: [&str; 8] = [
    "id",
    "chat",
    "ts",
    "sender",
    "kind",
    "text",
    "attachment",
    "edited",
];

/// Writes one CSV record (RFC 4180), CRLF-terminated, each cell written as `cells` says.
pub fn write_csv_record<W: Write + ?Sized>(
    w: &mut W,
    fields: &[&str],
    cells: CsvCells,
) -> io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        let f = cells.cell(f);
        if f.contains([',', '"', '\n', '\r']) {
            w.write_all(b"\"")?;
            w.write_all(f.replace('"', "\"\"").as_bytes())?;
            w.write_all(b"\"")?;
        } else {
            w.write_all(f.as_bytes())?;
        }
    }
    w.write_all(b"\r\n")
}

fn write_message<W: Write + ?Sized>(
    w: &mut W,
    format: Format,
    cells: CsvCells,
    m: &Message,
) -> io::Result<()> {
    match format {
        Format::Ndjson => {
            let mut line = Vec::with_capacity(128 + m.text.len());
            MessageOut::from(m).push_ndjson(&mut line);
            w.write_all(&line)
        }
        Format::Csv => write_csv_record(
            w,
            &[
                &m.id,
                &m.chat,
                &m.ts,
                m.sender.as_deref().unwrap_or(""),
                m.kind.as_str(),
                &m.text,
                m.attachment.as_deref().unwrap_or(""),
                if m.edited { "true" } else { "false" },
            ],
            cells,
        ),
    }
}

/// The person an access export is for: their stored spellings, the one with most messages
/// first. Someone with no messages (forgotten, or only named in system lines) still gets an
/// export: no messages, and a summary that says why.
fn resolve_participant(archive: &Archive, name: &str) -> Result<Vec<String>, Error> {
    let mut found = spellings(archive, name)?;
    if found.is_empty()
        && (super::forget::is_opted_out(archive, name)? || named_in_events(archive, name)? > 0)
    {
        return Ok(Vec::new());
    }
    if found.is_empty() {
        return Err(Error::NoParticipant {
            name: name.to_string(),
            close: super::forget::suggestions(archive, name)?,
        });
    }
    let mut counted = Vec::new();
    for s in found.drain(..) {
        let n = super::forget::count_messages(archive, std::slice::from_ref(&s))?;
        counted.push((n, s));
    }
    counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(counted.into_iter().map(|(_, s)| s).collect())
}

/// An export writes what its query selects, so it must not guess: a part of the query that
/// could not be read is a usage error naming it, where `search` and `stats` read on with a
/// note (docs/query-language.md).
fn refuse_unread(unread: &[String]) -> Result<(), Error> {
    if unread.is_empty() {
        return Ok(());
    }
    Err(Error::UnreadQuery {
        unread: unread.to_vec(),
    })
}

/// Writes the export to `out`. Errors writing are `io::Error`s in the chain (a closed pipe
/// is not a failure for the CLI).
pub fn export(
    archive: &Archive,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> anyhow::Result<ExportReport> {
    let chat = match &opts.chat {
        Some(c) => Some(read::resolve_chat(archive, c)?),
        None => None,
    };
    let person = match &opts.participant {
        Some(p) => Some(resolve_participant(archive, p)?),
        None => None,
    };
    let (filters, mut notes) = filters_of(archive, opts, person.as_deref())?;
    let anonymizer = anonymizer_of(archive, opts, person.as_deref())?;

    if opts.format == Format::Csv {
        write_csv_record(out, &CSV_HEADER, opts.cells)?;
    }
    let mut summary = person.as_ref().map(|_| Summary::default());
    let written = write_chats(
        archive,
        opts,
        chat.as_deref(),
        &filters,
        anonymizer.as_ref(),
        summary.as_mut(),
        out,
    )?;
    if let (Some(s), Some(spellings), Some(a)) = (summary.as_mut(), &person, &anonymizer) {
        let primary = spellings
            .first()
            .or(opts.participant.as_ref())
            .cloned()
            .unwrap_or_default();
        fill_summary(archive, s, &primary, spellings, a)?;
    }
    out.flush()?;
    if let Some(a) = &anonymizer {
        for note in &mut notes {
            *note = a.text(note);
        }
    }
    Ok(ExportReport {
        messages: written,
        summary,
        notes,
    })
}

/// Queries every exported message must match.
type Filters = Vec<Box<dyn Query>>;

/// The queries an export's messages must match besides their chat: the person's messages
/// (`--participant`) and `--query`; with the query's notes.
fn filters_of(
    archive: &Archive,
    opts: &ExportOptions,
    person: Option<&[String]>,
) -> anyhow::Result<(Filters, Vec<String>)> {
    let mut filters: Filters = Vec::new();
    let mut notes = Vec::new();
    if let Some(spellings) = person {
        filters.push(if spellings.is_empty() {
            Box::new(tantivy::query::EmptyQuery)
        } else {
            sender_query(archive, spellings)
        });
    }
    if let Some(q) = &opts.query {
        // The names `from:` takes: every name of a merged person, and in an anonymized
        // export the pseudonyms its user sees (docs/privacy.md).
        let aliases = if opts.anonymize {
            crate::people::masks::pseudonyms(archive)?.aliases()
        } else {
            Vec::new()
        };
        let names = crate::people::archive_names(archive, &aliases)?;
        let parsed = parse_query(q, &archive.fields, &names);
        refuse_unread(&parsed.unread)?;
        notes = parsed.notes;
        filters.push(parsed.query);
    }
    Ok((filters, notes))
}

/// What masks an export: everybody when anonymized; everybody but the person in an access
/// export (`--participant`); nothing otherwise.
fn anonymizer_of(
    archive: &Archive,
    opts: &ExportOptions,
    person: Option<&[String]>,
) -> anyhow::Result<Option<Anonymizer>> {
    if !opts.anonymize && person.is_none() {
        return Ok(None);
    }
    let a = crate::people::masks::anonymizer(archive)?;
    Ok(Some(match (person, opts.anonymize) {
        (Some(spellings), false) => {
            let own = own_names(archive, spellings, opts.participant.as_deref())?;
            a.except_all(&own.iter().map(String::as_str).collect::<Vec<_>>())
        }
        _ => a,
    }))
}

/// Writes every chat's matching messages in time order (one chat when `only` names it),
/// counting them into an access export's `summary`; returns how many were written.
fn write_chats(
    archive: &Archive,
    opts: &ExportOptions,
    only: Option<&str>,
    filters: &[Box<dyn Query>],
    anonymizer: Option<&Anonymizer>,
    mut summary: Option<&mut Summary>,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let searcher = archive.searcher();
    let mut written = 0u64;
    for c in read::chats(archive)? {
        if only.is_some_and(|want| want != c.chat) {
            continue;
        }
        let mut parts: Vec<Box<dyn Query>> = vec![chat_query(&archive.fields, &c.chat)];
        parts.extend(filters.iter().map(|q| q.box_clone()));
        let query = BooleanQuery::intersection(parts);
        let total = searcher
            .search(&query, &Count)
            .map_err(crate::index::Error::read)?;
        if total == 0 {
            continue;
        }
        let hits = searcher
            .search(&query, &by_time(total, 0, true))
            .map_err(crate::index::Error::read)?;
        let mut per_chat = ChatCount::default();
        let mut loader = Loader::new(archive, &searcher);
        for (_, addr) in hits {
            let mut m = loader.load(addr)?.message;
            if let Some(s) = summary.as_deref_mut() {
                *s.kinds.entry(m.kind.as_str().to_string()).or_insert(0) += 1;
                per_chat.messages += 1;
                if per_chat.first.is_none() {
                    per_chat.first = Some(m.ts.clone());
                }
                per_chat.last = Some(m.ts.clone());
            }
            if let Some(a) = anonymizer {
                a.message(&mut m);
            }
            write_message(out, opts.format, opts.cells, &m)?;
            written += 1;
        }
        if let (Some(s), Some(a)) = (summary.as_deref_mut(), anonymizer) {
            per_chat.chat = a.chat(&c.chat);
            s.chats.push(per_chat);
        }
    }
    Ok(written)
}

/// The names an access export leaves unmasked: every stored name of the person (a merged
/// person's names are all their own, docs/people.md), the name asked for when they have none,
/// and a merged person's display name (statistics show them by it) unless it is someone
/// else's name.
fn own_names(
    archive: &Archive,
    stored: &[String],
    asked: Option<&str>,
) -> Result<Vec<String>, Error> {
    let mut own = stored.to_vec();
    if own.is_empty() {
        own.extend(asked.map(str::to_string));
    }
    let people = crate::people::People::load(&archive.dir)?;
    if let Some(display) = own.first().map(|n| people.display(n).to_string()) {
        if spellings(archive, &display)?
            .iter()
            .all(|s| own.contains(s))
        {
            own.push(display);
        }
    }
    Ok(own)
}

fn fill_summary(
    archive: &Archive,
    s: &mut Summary,
    person: &str,
    names: &[String],
    a: &Anonymizer,
) -> anyhow::Result<()> {
    s.participant = a.sender(person);
    let everyone = crate::people::masks::anonymizer(archive)?;
    s.pseudonym = everyone
        .pseudonyms()
        .knows(person)
        .then(|| everyone.pseudonyms().get(person).to_string());
    s.messages = s.chats.iter().map(|c| c.messages).sum();
    s.first = s.chats.iter().filter_map(|c| c.first.clone()).min();
    s.last = s.chats.iter().filter_map(|c| c.last.clone()).max();
    s.opted_out = super::forget::is_opted_out(archive, person)?;
    s.about = ABOUT;
    s.format = ACCESS_FORMAT;

    // System lines naming them, under any of their names.
    let asked = [person.to_string()];
    let names = if names.is_empty() { &asked[..] } else { names };
    if let Some(query) = events_query(archive, names) {
        let searcher = archive.searcher();
        let total = searcher
            .search(&query, &Count)
            .map_err(crate::index::Error::read)?;
        if total > 0 {
            let mut loader = Loader::new(archive, &searcher);
            for (_, addr) in searcher
                .search(&query, &by_time(total, 0, true))
                .map_err(crate::index::Error::read)?
            {
                let m = loader.load(addr)?.message;
                s.events.push(Event {
                    chat: a.chat(&m.chat),
                    ts: m.ts,
                    text: a.text(&m.text),
                });
            }
        }
    }

    // Statistics of their messages (none when the archive has none).
    if s.messages > 0 {
        let scope = crate::stats::Scope {
            participant: Some(person.to_string()),
            ..Default::default()
        };
        let mut stats = crate::stats::compute(archive, &scope)?;
        anonymize_stats_except(&mut stats, a);
        s.statistics = Some(stats);
    }
    Ok(())
}

/// System lines whose text names any of `names` (one person's).
fn events_query(archive: &Archive, names: &[String]) -> Option<BooleanQuery> {
    let mentions: Vec<Box<dyn Query>> = names
        .iter()
        .filter_map(|n| mention_query(archive, n))
        .collect();
    if mentions.is_empty() {
        return None;
    }
    let named: Box<dyn Query> = Box::new(BooleanQuery::union(mentions));
    let system = crate::index::query::kind_query(&archive.fields, Kind::System);
    Some(BooleanQuery::intersection(vec![named, system]))
}

fn named_in_events(archive: &Archive, person: &str) -> Result<usize, Error> {
    match events_query(archive, &[person.to_string()]) {
        Some(q) => Ok(archive
            .searcher()
            .search(&q, &Count)
            .map_err(crate::index::Error::read)?),
        None => Ok(0),
    }
}

/// The summary as one JSON line: `{"summary": {…}}`.
pub fn write_summary_line<W: Write + ?Sized>(w: &mut W, summary: &Summary) -> io::Result<()> {
    #[derive(Serialize)]
    struct Wrapped<'a> {
        summary: &'a Summary,
    }
    write_json_line(&mut &mut *w, &Wrapped { summary })
}

/// Where the summary of an access export written to `output` goes.
pub fn summary_path(output: &Path) -> PathBuf {
    let mut name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".summary.json");
    output.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        let mut out = Vec::new();
        write_csv_record(
            &mut out,
            &["a", "b,c", "say \"hi\"", "two\nlines", ""],
            CsvCells::default(),
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    #[test]
    fn formula_cells_guarded_unless_asked_not_to() {
        let guarded = CsvCells::default();
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guarded.cell(risky), format!("'{risky}"));
        }
        for plain in ["a=1", "", "'=1", " =1"] {
            assert_eq!(guarded.cell(plain), plain);
        }
        let raw = CsvCells {
            formula_guard: false,
            for_terminal: false,
        };
        assert_eq!(raw.cell("=1+1"), "=1+1");
        let tty = CsvCells {
            formula_guard: false,
            for_terminal: true,
        };
        assert_eq!(
            tty.cell("a\u{1b}]0;x\u{7}b\rc"),
            "a\u{241B}]0;x\u{2407}b\u{240D}c"
        );
    }

    #[test]
    fn summary_beside_output() {
        assert_eq!(
            summary_path(Path::new("/tmp/a/jonas.ndjson")),
            Path::new("/tmp/a/jonas.ndjson.summary.json")
        );
    }
}
