//! What a run of digit groups is: a date, a compact date, a year range, a decimal, an IPv4
//! address, or a plausible phone number (the rules are in the parent module's docs).

use super::*;

fn num(g: &Group) -> u32 {
    g.digits.parse::<u32>().unwrap_or(u32::MAX)
}

fn is_year(g: &Group) -> bool {
    g.digits.len() == 4 && (1900..=2100).contains(&num(g))
}

fn same_date_sep(a: &str, b: &str) -> bool {
    a == b && matches!(a, "/" | "." | "-" | "\u{2011}" | "\u{2010}")
}

/// `14/03/2023`, `3.14.24`, `2023-03-14`, and anything that starts so.
pub(super) fn is_date(gs: &[Group], seps: &[String]) -> bool {
    if gs.len() < 3 || !same_date_sep(&seps[0], &seps[1]) {
        return false;
    }
    let (a, b, c) = (&gs[0], &gs[1], &gs[2]);
    let small = |g: &Group, max: u32| g.digits.len() <= 2 && (1..=max).contains(&num(g));
    let dmy = small(a, 31)
        && small(b, 31)
        && (small(a, 12) || small(b, 12))
        && (c.digits.len() == 2 || is_year(c));
    let ymd = is_year(a) && small(b, 12) && small(c, 31);
    dmy || ymd
}

/// `20230314` or `20230314120501`.
pub(super) fn is_compact_date(gs: &[Group]) -> bool {
    let [g] = gs else {
        return false;
    };
    let d = &g.digits;
    if d.len() != 8 && d.len() != 14 {
        return false;
    }
    let part = |r: Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    (1900..=2100).contains(&part(0..4))
        && (1..=12).contains(&part(4..6))
        && (1..=31).contains(&part(6..8))
}

pub(super) fn is_year_range(gs: &[Group], seps: &[String]) -> bool {
    gs.len() == 2 && is_year(&gs[0]) && is_year(&gs[1]) && seps[0] != "."
}

pub(super) fn is_decimal(gs: &[Group], seps: &[String]) -> bool {
    gs.len() == 2
        && matches!(seps[0].as_str(), "." | "\u{FF0E}")
        && (gs[0].digits == "0" || !gs[0].digits.starts_with('0'))
}

pub(super) fn is_ip(gs: &[Group], seps: &[String]) -> bool {
    gs.len() == 4
        && seps.iter().all(|s| s == ".")
        && gs.iter().all(|g| g.digits.len() <= 3 && num(g) <= 255)
}

/// Whether groups `gs` (joined by `seps`) make a phone number.
pub(super) fn is_number(
    gs: &[Group],
    seps: &[String],
    plus: bool,
    chunks: &[Chunk],
    all: &[Group],
) -> bool {
    let digits: String = gs.iter().map(|g| g.digits.as_str()).collect();
    let n = digits.len();
    if !(7..=15).contains(&n) {
        return false;
    }
    if gs.iter().filter(|g| g.digits.len() == 1).count() > 1 {
        return false;
    }
    if plus || (digits.starts_with("00") && !digits.starts_with("000") && n >= 9) {
        return true;
    }
    if digits.starts_with("000") {
        return false;
    }
    // Thousands: `1 299 000`, `12.345.678`.
    let thousands = gs.len() >= 2
        && gs[0].digits.len() <= 3
        && !gs[0].digits.starts_with('0')
        && gs[1..].iter().all(|g| g.digits.len() == 3)
        && seps.windows(2).all(|w| w[0] == w[1])
        && seps.first().is_some_and(|s| {
            s.chars().count() == 1 && s.chars().all(|c| is_space_sep(c) || c == '.' || c == '\'')
        });
    if thousands {
        return false;
    }
    // A list of years: `2022 2023 2024`.
    let years = chunks.iter().all(|c| {
        let gs = &all[c.groups.clone()];
        gs.len() == 1 && is_year(&gs[0])
    });
    if years {
        return false;
    }
    if n >= 8 {
        return true;
    }
    // Seven digits: only as `555-0123` / `555 0123`.
    gs.len() == 2 && gs[0].digits.len() == 3 && gs[1].digits.len() == 4
}
