//! Turns the numbers of every header into timestamps: infers the file's date order exactly as
//! docs/formats.md says (a part above 12 decides; else the order under which time goes backwards least
//! often; else the part that changes more often is the day; else day-first) and builds checked
//! local timestamps.

use super::header::{Meridiem, RawHeader};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::fmt;
use std::str::FromStr;

/// The order of a date's day, month and year. A clap value enum, so that `--help` lists the
/// orders `--date-order` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum DateOrder {
    /// Day first: 31/12/2024 (most of the world)
    Dmy,
    /// Month first: 12/31/2024 (the US)
    Mdy,
    /// Year first: 2024-12-31 (ISO, Canada, East Asia)
    Ymd,
}

impl DateOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DateOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            "ymd" => Ok(DateOrder::Ymd),
            other => Err(format!(
                "unknown date order `{other}` (expected dmy, mdy or ymd)"
            )),
        }
    }
}

/// Why an order was chosen, for the import report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderReason {
    Given,
    YearFirst,
    PartAbove12,
    FewestBackwardSteps,
    ChangesMoreOften,
    Default,
}

impl OrderReason {
    pub fn describe(self) -> &'static str {
        match self {
            OrderReason::Given => "given with --date-order",
            OrderReason::YearFirst => "the year comes first",
            OrderReason::PartAbove12 => "a day above 12 decides",
            OrderReason::FewestBackwardSteps => "time goes backwards least often in this order",
            OrderReason::ChangesMoreOften => "the day changes more often than the month",
            OrderReason::Default => "undecidable, day-first by default",
        }
    }
}

/// The outcome of inference, including evidence against the chosen order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDecision {
    pub order: DateOrder,
    pub reason: OrderReason,
    /// Headers whose numbers only fit the order that was not chosen.
    pub contradicting: usize,
}

/// Error when both orders have strong evidence: the file mixes two regional formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InconsistentOrder {
    pub dmy_lines: usize,
    pub mdy_lines: usize,
}

pub fn infer_order(headers: &[RawHeader]) -> Result<OrderDecision, InconsistentOrder> {
    let decided = |order, reason| {
        Ok(OrderDecision {
            order,
            reason,
            contradicting: 0,
        })
    };
    if headers.is_empty() {
        return decided(DateOrder::Dmy, OrderReason::Default);
    }
    // One walk for the three counts: the list is as long as the file has messages.
    let (mut year_first, mut first_above, mut second_above) = (0usize, 0usize, 0usize);
    for h in headers {
        year_first += usize::from(h.widths[0] >= 3 || h.parts[0] > 31);
        first_above += usize::from(h.parts[0] > 12);
        second_above += usize::from(h.parts[1] > 12);
    }
    if year_first * 2 > headers.len() {
        return decided(DateOrder::Ymd, OrderReason::YearFirst);
    }

    if first_above > 0 || second_above > 0 {
        let (order, winner, loser) = if first_above >= second_above {
            (DateOrder::Dmy, first_above, second_above)
        } else {
            (DateOrder::Mdy, second_above, first_above)
        };
        // One stray line is noise (a forged or corrupt header); many are two formats mixed.
        if loser > 0 && loser * 10 >= winner {
            return Err(InconsistentOrder {
                dmy_lines: first_above,
                mdy_lines: second_above,
            });
        }
        return Ok(OrderDecision {
            order,
            reason: OrderReason::PartAbove12,
            contradicting: loser,
        });
    }

    let (dmy_back, mdy_back) = (
        backward_steps(headers, DateOrder::Dmy),
        backward_steps(headers, DateOrder::Mdy),
    );
    if dmy_back != mdy_back {
        let order = if dmy_back < mdy_back {
            DateOrder::Dmy
        } else {
            DateOrder::Mdy
        };
        return decided(order, OrderReason::FewestBackwardSteps);
    }

    let (first_changes, second_changes) = (part_changes(headers, 0), part_changes(headers, 1));
    if first_changes != second_changes {
        let order = if first_changes > second_changes {
            DateOrder::Dmy
        } else {
            DateOrder::Mdy
        };
        return decided(order, OrderReason::ChangesMoreOften);
    }
    decided(DateOrder::Dmy, OrderReason::Default)
}

/// How often the time goes backwards from one header to the next, read in `order`.
fn backward_steps(headers: &[RawHeader], order: DateOrder) -> usize {
    let mut steps = 0usize;
    let mut prev: Option<NaiveDateTime> = None;
    for h in headers {
        if let Some(ts) = timestamp(h, order) {
            if prev.is_some_and(|p| ts < p) {
                steps += 1;
            }
            prev = Some(ts);
        }
    }
    steps
}

/// How often date part `i` changes from one header to the next (the day changes more often
/// than the month).
fn part_changes(headers: &[RawHeader], i: usize) -> usize {
    headers
        .windows(2)
        .filter(|w| w[0].parts[i] != w[1].parts[i])
        .count()
}

/// The header's local timestamp under `order`, or `None` for an impossible date or time
/// (30/02, 24:00, 12:60: kept as text by the parser, never guessed at).
pub fn timestamp(h: &RawHeader, order: DateOrder) -> Option<NaiveDateTime> {
    Some(NaiveDateTime::new(date(h, order)?, time(h)?))
}

/// [`timestamp`] for a file's headers in order: messages come in runs of the same day, so
/// the date of the one before is reused when its numbers are the same.
pub struct Stamper {
    order: DateOrder,
    last: Option<(DateKey, Option<NaiveDate>)>,
}

/// What a header's date depends on: its three numbers and how many digits each has.
type DateKey = ([u16; 3], [u8; 3]);

impl Stamper {
    pub fn new(order: DateOrder) -> Stamper {
        Stamper { order, last: None }
    }

    pub fn stamp(&mut self, h: &RawHeader) -> Option<NaiveDateTime> {
        let key = (h.parts, h.widths);
        let date = match self.last {
            Some((k, d)) if k == key => d,
            _ => {
                let d = date(h, self.order);
                self.last = Some((key, d));
                d
            }
        };
        Some(NaiveDateTime::new(date?, time(h)?))
    }
}

fn date(h: &RawHeader, order: DateOrder) -> Option<NaiveDate> {
    let [a, b, c] = h.parts;
    let [wa, _, wc] = h.widths;
    let (year, year_width, month, day) = match order {
        DateOrder::Dmy => (c, wc, b, a),
        DateOrder::Mdy => (c, wc, a, b),
        DateOrder::Ymd => (a, wa, b, c),
    };
    let year = match year_width {
        1 | 2 => 2000 + i32::from(year),
        4 => i32::from(year),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
}

fn time(h: &RawHeader) -> Option<NaiveTime> {
    let hour = match (h.meridiem, h.hour) {
        (Meridiem::None, hh) => hh,
        (Meridiem::Am, 12) => 0,
        (Meridiem::Pm, hh) if hh < 12 => hh + 12,
        // `12 PM` is noon; `13:19 PM` and `00:04 AM` are 24-hour times with a stray marker.
        (_, hh) => hh,
    };
    NaiveTime::from_hms_opt(u32::from(hour), u32::from(h.minute), u32::from(h.second))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::header::scan;
    use crate::timestamp::format_ts;

    fn headers(lines: &[&str]) -> Vec<RawHeader> {
        lines.iter().filter_map(|l| scan(l)).collect()
    }

    #[test]
    fn stamper_agrees_with_timestamp_across_runs_of_days() {
        let h = headers(&[
            "28/02/2023, 23:59 - a: b",
            "28/02/2023, 24:00 - a: b",
            "30/02/2023, 10:00 - a: b",
            "30/02/2023, 10:01 - a: b",
            "01/03/2023, 00:00 - a: b",
            "01/03/23, 00:00 - a: b",
            "01/03/2023, 12:30 - a: b",
        ]);
        for order in [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd] {
            let mut stamper = Stamper::new(order);
            for header in &h {
                assert_eq!(stamper.stamp(header), timestamp(header, order), "{order}");
            }
        }
    }

    #[test]
    fn part_above_twelve_decides() {
        let h = headers(&["30/12/2020, 10:00 - a: b", "13/1/2021, 10:00 - a: b"]);
        let d = infer_order(&h).unwrap();
        assert_eq!(
            (d.order, d.reason),
            (DateOrder::Dmy, OrderReason::PartAbove12)
        );
        let h = headers(&["1/9/24, 7:02 PM - a: b", "1/13/24, 7:02 PM - a: b"]);
        assert_eq!(infer_order(&h).unwrap().order, DateOrder::Mdy);
    }

    #[test]
    fn backward_steps_decide_when_all_parts_are_small() {
        // Day-first: 03/02, 05/02, 11/02, 02/03 go forward; month-first would jump back.
        let h = headers(&[
            "03/02/24, 10:00 - a: b",
            "05/02/24, 10:00 - a: b",
            "11/02/24, 10:00 - a: b",
            "02/03/24, 10:00 - a: b",
        ]);
        let d = infer_order(&h).unwrap();
        assert_eq!(
            (d.order, d.reason),
            (DateOrder::Dmy, OrderReason::FewestBackwardSteps)
        );
    }

    #[test]
    fn mixed_orders_are_reported() {
        let h = headers(&[
            "13/01/24, 10:00 - a: b",
            "14/01/24, 10:00 - a: b",
            "01/13/24, 10:00 - a: b",
            "01/14/24, 10:00 - a: b",
        ]);
        assert!(infer_order(&h).is_err());
    }

    #[test]
    fn year_first_and_clock() {
        let h = headers(&["2024-02-10, 9:05\u{202F}a.m. - C: x"]);
        let d = infer_order(&h).unwrap();
        assert_eq!(d.order, DateOrder::Ymd);
        let ts = timestamp(&h[0], d.order).unwrap();
        assert_eq!(format_ts(&ts), "2024-02-10T09:05:00");
        let noon = headers(&["[1/1/24, 12:15:31\u{202F}PM] a: b"]);
        assert_eq!(
            format_ts(&timestamp(&noon[0], DateOrder::Mdy).unwrap()),
            "2024-01-01T12:15:31"
        );
        let midnight = headers(&["[1/1/24, 12:15:31\u{202F}AM] a: b"]);
        assert_eq!(
            format_ts(&timestamp(&midnight[0], DateOrder::Mdy).unwrap()),
            "2024-01-01T00:15:31"
        );
        let bogus = headers(&["[1/1/24, 13:19:20 PM] a: b"]);
        assert_eq!(
            format_ts(&timestamp(&bogus[0], DateOrder::Mdy).unwrap()),
            "2024-01-01T13:19:20"
        );
    }

    #[test]
    fn impossible_dates_and_times_are_none() {
        for line in [
            "30/02/2021, 10:00 - a: b",
            "29/02/2023, 10:00 - a: b",
            "00/01/2020, 10:00 - a: b",
            "32/01/2020, 10:00 - a: b",
            "01/01/2020, 24:00 - a: b",
            "01/01/2020, 12:60 - a: b",
        ] {
            let h = scan(line).unwrap();
            assert!(timestamp(&h, DateOrder::Dmy).is_none(), "{line}");
        }
        let h = scan("29/02/2024, 10:00 - a: b").unwrap();
        assert!(timestamp(&h, DateOrder::Dmy).is_some());
    }
}
