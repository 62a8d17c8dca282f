//! Calendar arithmetic on the archive's `ts` (seconds since 1970-01-01T00:00:00 local wall
//! clock, no zone): day numbers, hours, weekdays and months without a date library call per
//! message.

pub const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 (negative before).
pub fn day(secs: i64) -> i64 {
    secs.div_euclid(SECS_PER_DAY)
}

/// Hour of the day, 0–23.
pub fn hour(secs: i64) -> usize {
    (secs.rem_euclid(SECS_PER_DAY) / 3600) as usize
}

/// Day of the week, 0 = Monday (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// (year, month 1–12, day 1–31) of a day number: Howard Hinnant's `civil_from_days`.
pub fn civil(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Months since year 0 (`year * 12 + month - 1`), the key `by_month` counts under.
pub fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil(day);
    y * 12 + i64::from(m) - 1
}

/// `YYYY-MM` of a month index.
pub fn month_label(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Timelike};

    #[test]
    fn agrees_with_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for d in (-800_000..800_000).step_by(997) {
            let date = epoch + chrono::TimeDelta::days(d);
            assert_eq!(
                civil(d),
                (i64::from(date.year()), date.month(), date.day()),
                "{d}"
            );
            assert_eq!(weekday(d), date.weekday().num_days_from_monday() as usize);
        }
        for secs in [-1i64, 0, 3599, 3600, 86_399, 1_700_000_123, -90_000] {
            let t = chrono::DateTime::from_timestamp(secs, 0)
                .unwrap()
                .naive_utc();
            assert_eq!(hour(secs), t.hour() as usize);
            assert_eq!(day(secs), (t.date() - epoch).num_days());
        }
        assert_eq!(month_label(month_index(19_783)), "2024-03");
    }
}
