//! What the `zip` crate does not check, read from the raw zip structures: the entry count an
//! end record declares (judged before the crate builds a table of them all), entries that
//! claim the same bytes (how non-recursive zip bombs work), and a local header that disagrees
//! with the central directory (docs/reliability.md). The crate's `has_overlapping_entries`
//! reads every entry's local header and fails the whole zip on one damaged media header; the
//! overlap check here reads nothing.

use super::source::{Limits, SourceError};
use std::io::{self, Read, Seek, SeekFrom};
use zip::CompressionMethod;

/// Refuses a zip whose end record claims more entries than the limit, before the zip crate
/// builds a table of them all.
pub(super) fn check_declared_entries(
    r: &mut (impl Read + Seek),
    display: &str,
    limits: &Limits,
) -> Result<(), SourceError> {
    let declared = declared_entries(r).map_err(|source| SourceError::Io {
        path: display.to_string(),
        source,
    })?;
    if declared > limits.max_zip_entries as u64 {
        return Err(SourceError::TooManyEntries {
            path: display.to_string(),
            entries: declared,
            limit: limits.max_zip_entries,
        });
    }
    Ok(())
}

const EOCD_SIG: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_SIG: &[u8; 4] = b"PK\x06\x07";
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: &[u8; 4] = b"PK\x06\x06";
const ZIP64_EOCD_LEN: usize = 56;
/// Smallest central directory record: signature and fixed fields.
const CENTRAL_HEADER_LEN: u64 = 46;

/// The most entries a plausible end-of-central-directory record in the last 64 KiB claims
/// (ZIP64 ones included). The crate's own count is checked again after it parses.
fn declared_entries(r: &mut (impl Read + Seek)) -> io::Result<u64> {
    let len = r.seek(SeekFrom::End(0))?;
    let tail_len = len.min((EOCD_LEN + u16::MAX as usize + ZIP64_LOCATOR_LEN) as u64);
    let tail_start = len - tail_len;
    r.seek(SeekFrom::Start(tail_start))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    r.take(tail_len).read_to_end(&mut tail)?;
    let mut most = 0;
    for at in memchr::memmem::rfind_iter(&tail, EOCD_SIG) {
        let Some(record) = tail.get(at..at + EOCD_LEN) else {
            continue;
        };
        let claim = if le16(record, 10) == u16::MAX
            || le32(record, 12) == u32::MAX
            || le32(record, 16) == u32::MAX
        {
            zip64_claim(r, &tail, at)?
        } else {
            Some(Claim {
                entries: u64::from(le16(record, 10)),
                directory_size: u64::from(le32(record, 12)),
                directory_end: u64::from(le32(record, 16)) + u64::from(le32(record, 12)),
                record_at: tail_start + at as u64,
            })
        };
        if let Some(claim) = claim.filter(Claim::is_plausible) {
            most = most.max(claim.entries);
        }
    }
    Ok(most)
}

/// What an end record says about the central directory.
struct Claim {
    entries: u64,
    directory_size: u64,
    directory_end: u64,
    record_at: u64,
}

impl Claim {
    /// A directory big enough for its entries, ending before its end record: a signature that
    /// merely occurs in some data is no such record.
    fn is_plausible(&self) -> bool {
        self.entries.saturating_mul(CENTRAL_HEADER_LEN) <= self.directory_size
            && self.directory_end <= self.record_at
    }
}

/// The claim of the ZIP64 end record that the locator before the end record at `at` points to.
fn zip64_claim(r: &mut (impl Read + Seek), tail: &[u8], at: usize) -> io::Result<Option<Claim>> {
    let Some(locator) = at
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|start| tail.get(start..at))
    else {
        return Ok(None);
    };
    if &locator[..4] != ZIP64_LOCATOR_SIG {
        return Ok(None);
    }
    let record_at = le64(locator, 8);
    r.seek(SeekFrom::Start(record_at))?;
    let mut record = [0u8; ZIP64_EOCD_LEN];
    if r.read_exact(&mut record).is_err() || &record[..4] != ZIP64_EOCD_SIG {
        return Ok(None);
    }
    let directory_size = le64(&record, 40);
    Ok(Some(Claim {
        entries: le64(&record, 32),
        directory_size,
        directory_end: le64(&record, 48).saturating_add(directory_size),
        record_at,
    }))
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le64(b: &[u8], at: usize) -> u64 {
    u64::from(le32(b, at)) | (u64::from(le32(b, at + 4)) << 32)
}

/// Local header: signature and fixed fields before the name.
const LOCAL_HEADER_LEN: u64 = 30;

/// Whether two entries claim the same bytes, judged from the central directory alone (no
/// reads): in header order, each entry's header (30 bytes at least) and data must end before
/// the next header begins. Overlap is how non-recursive zip bombs multiply one compressed
/// kernel, and no honest writer produces it.
pub(super) fn entries_overlap<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> bool {
    let mut spans: Vec<(u64, u64)> = (0..zip.len())
        .filter_map(|i| zip.by_index_data(i).ok())
        .map(|e| {
            let start = e.header_start();
            let end = start
                .saturating_add(LOCAL_HEADER_LEN)
                .saturating_add(e.compressed_size());
            (start, end)
        })
        .collect();
    spans.sort_unstable();
    spans.windows(2).any(|w| w[1].0 < w[0].1)
}

pub(super) const INCONSISTENT: &str =
    "inconsistent archive: its local header disagrees with the central directory";

/// What the central directory says about an entry, to hold its local header against.
pub(super) struct Central {
    header_start: u64,
    name: Vec<u8>,
    method: CompressionMethod,
    encrypted: bool,
    crc: u32,
    compressed: u64,
    /// The uncompressed size it declares.
    pub(super) size: u64,
}

impl Central {
    pub(super) fn of<R: Read + Seek>(zip: &zip::ZipArchive<R>, index: usize) -> Option<Central> {
        let e = zip.by_index_data(index).ok()?;
        Some(Central {
            header_start: e.header_start(),
            name: e.name_raw().to_vec(),
            method: e.compression(),
            encrypted: e.encrypted(),
            crc: e.crc32(),
            compressed: e.compressed_size(),
            size: e.size(),
        })
    }
}

/// The local header must agree with the central directory on name, method, encryption and,
/// where it states them, checksum and sizes: otherwise tools that trust one or the other see
/// different files (a parser-differential trick, docs/reliability.md, Z15).
pub(super) fn check_local_header(
    r: &mut (impl Read + Seek),
    c: &Central,
) -> Result<(), &'static str> {
    const CUT: &str = "its local header is missing or cut short";
    r.seek(SeekFrom::Start(c.header_start)).map_err(|_| CUT)?;
    let mut h = [0u8; LOCAL_HEADER_LEN as usize];
    r.read_exact(&mut h).map_err(|_| CUT)?;
    if &h[..4] != b"PK\x03\x04" {
        return Err(CUT);
    }
    let flags = le16(&h, 6);
    let mut name = vec![0u8; usize::from(le16(&h, 26))];
    r.read_exact(&mut name).map_err(|_| CUT)?;
    let mut extra = vec![0u8; usize::from(le16(&h, 28))];
    r.read_exact(&mut extra).map_err(|_| CUT)?;
    let same_name = name == c.name || unicode_path(&extra) == Some(&c.name[..]);
    if !same_name || le16(&h, 8) != method_id(c.method) || (flags & 1 != 0) != c.encrypted {
        return Err(INCONSISTENT);
    }
    let has_descriptor = flags & 8 != 0;
    let stated = |local: u32, central: u64| local == u32::MAX || u64::from(local) == central;
    if !has_descriptor
        && (le32(&h, 14) != c.crc
            || !stated(le32(&h, 18), c.compressed)
            || !stated(le32(&h, 22), c.size))
    {
        return Err(INCONSISTENT);
    }
    Ok(())
}

/// The name an Info-ZIP Unicode Path extra field (0x7075) gives, which the zip crate reports
/// instead of the header's own name.
fn unicode_path(mut extra: &[u8]) -> Option<&[u8]> {
    while extra.len() >= 4 {
        let id = le16(extra, 0);
        let len = usize::from(le16(extra, 2));
        let body = extra.get(4..4 + len)?;
        if id == 0x7075 && body.len() > 5 {
            return Some(&body[5..]);
        }
        extra = &extra[4 + len..];
    }
    None
}

/// The method's number in the zip format (the zip crate deprecates the conversion only in
/// favour of its named constants, which cannot compare with a header's raw field).
#[allow(deprecated)]
pub(super) fn method_id(method: CompressionMethod) -> u16 {
    method.to_u16()
}
