//! How statistics read as text, shared by the CLI's `stats` report and the TUI's statistics
//! pane so both draw the same bar and write the same reply time for the same figure.

/// A horizontal bar of `value / max` over `width` cells, in eighths of a cell (rounded to the
/// nearest eighth), padded with spaces to `width` cells so the columns after it line up. Never
/// empty for a value above zero: the smallest participant still shows a sliver.
pub fn bar(value: u64, max: u64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if value == 0 || max == 0 || width == 0 {
        return " ".repeat(width);
    }
    let eighths = ((value as f64 / max as f64) * (width * 8) as f64).round() as usize;
    let eighths = eighths.clamp(1, width * 8);
    let mut s = "█".repeat(eighths / 8);
    let partial = eighths % 8;
    let cells = eighths / 8 + usize::from(partial > 0);
    if partial > 0 {
        s.push(PARTS[partial]);
    }
    s.push_str(&" ".repeat(width.saturating_sub(cells)));
    s
}

/// A response time: `45s`, `3m 20s`, `2h 01m` (hours keep counting past a day: `50h 00m`).
pub fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_pad_to_their_width() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██  ");
        assert_eq!(bar(1, 1000, 4), "▏   ");
        assert_eq!(bar(0, 10, 3), "   ");
        assert_eq!(bar(3, 8, 1), "▍");
        assert_eq!(bar(3, 8, 0), "");
        assert_eq!(bar(4, 0, 2), "  ");
    }

    #[test]
    fn durations_read_the_same_everywhere() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(200), "3m 20s");
        assert_eq!(duration(3720), "1h 02m");
        assert_eq!(duration(7260), "2h 01m");
        assert_eq!(duration(180_000), "50h 00m");
    }
}
