//! whatscope's own timestamps: `YYYY-MM-DDTHH:MM:SS` as every output writes them, and the
//! times users type (docs/query-language.md, docs/cli.md).

use chrono::{NaiveDate, NaiveDateTime};

/// `YYYY-MM-DDTHH:MM:SS`, written by hand into a stack buffer: it runs for every message.
#[derive(Clone, Copy)]
pub struct TsBuf([u8; 19]);

impl TsBuf {
    pub fn new(ts: &NaiveDateTime) -> TsBuf {
        use chrono::{Datelike, Timelike};
        let mut b = *b"0000-00-00T00:00:00";
        let year = ts.year().clamp(0, 9999) as u32;
        put(&mut b[0..4], year);
        put(&mut b[5..7], ts.month());
        put(&mut b[8..10], ts.day());
        put(&mut b[11..13], ts.hour());
        put(&mut b[14..16], ts.minute());
        put(&mut b[17..19], ts.second());
        TsBuf(b)
    }

    pub fn as_str(&self) -> &str {
        // Checking 19 bytes costs under 5 % of `parse` (issue 16's measurement, see
        // docs/performance.md): not worth an `unsafe`.
        std::str::from_utf8(&self.0).expect("`new` writes only ASCII digits into an ASCII template")
    }
}

fn put(out: &mut [u8], mut v: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// `YYYY-MM-DDTHH:MM:SS` (years outside 0..=9999 are clamped; WhatsApp has none).
pub fn format_ts(ts: &NaiveDateTime) -> String {
    TsBuf::new(ts).as_str().to_string()
}

/// A time as users type it (`after:`/`before:` in queries, `log --after`, the TUI's jump to a
/// date): `YYYY-MM-DD` (optionally with `THH:MM[:SS]` or ` HH:MM[:SS]`), `YYYY-MM` or
/// `YYYY`, as the first second it names. Spaces around it are ignored.
pub fn parse_time(value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
            return Some(t);
        }
    }
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    let date = match parts.as_slice() {
        [y] if digits(y, 4) => NaiveDate::from_ymd_opt(y.parse().ok()?, 1, 1),
        [y, m] if digits(y, 4) && (digits(m, 1) || digits(m, 2)) => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
        }
        [y, m, d]
            if digits(y, 4) && (digits(m, 1) || digits(m, 2)) && (digits(d, 1) || digits(d, 2)) =>
        {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }?;
    date.and_hms_opt(0, 0, 0)
}
