//! Splits a text into lines at LF, CRLF, CR CR LF and lone CR, finding the line-end bytes
//! with `memchr` (vectorised, as ripgrep does); a hand-written SSE2 scanner saved under 5 %
//! of `parse` (docs/performance.md) and was dropped.

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Lf,
    CrLf,
    /// `CR CR LF`: one line break, written so by old exports passed through Windows tools
    /// that turned each LF into CRLF after the exporter had already written CRLF.
    CrCrLf,
    Cr,
    /// The text's last line, with no line end.
    Eof,
}

impl Ending {
    /// Its length in bytes.
    pub fn bytes(self) -> usize {
        match self {
            Ending::Lf | Ending::Cr => 1,
            Ending::CrLf => 2,
            Ending::CrCrLf => 3,
            Ending::Eof => 0,
        }
    }

    /// Whether it holds a CR (a body spanning it must have its line ends rewritten).
    pub fn has_cr(self) -> bool {
        matches!(self, Ending::Cr | Ending::CrLf | Ending::CrCrLf)
    }

    /// Whether it ends a line the way a whole-message end does in a CRLF file.
    pub fn is_crlf(self) -> bool {
        matches!(self, Ending::CrLf | Ending::CrCrLf)
    }
}

/// Calls `visit(start, end, ending)` for every line of `text` in order; `text[start..end]` is
/// the line without its ending. A final line with no ending is visited with [`Ending::Eof`];
/// an empty text has no lines. Stops at the first error `visit` returns.
pub fn for_each_line<E>(
    text: &str,
    mut visit: impl FnMut(usize, usize, Ending) -> Result<(), E>,
) -> Result<(), E> {
    let b = text.as_bytes();
    let mut start = 0;
    let mut at_end = |pos: usize, start: &mut usize| -> Result<(), E> {
        if pos < *start {
            return Ok(()); // the LF of a CRLF already consumed
        }
        let ending = if b[pos] == b'\r' {
            match (b.get(pos + 1), b.get(pos + 2)) {
                (Some(b'\n'), _) => Ending::CrLf,
                (Some(b'\r'), Some(b'\n')) => Ending::CrCrLf,
                _ => Ending::Cr,
            }
        } else {
            Ending::Lf
        };
        visit(*start, pos, ending)?;
        *start = pos + ending.bytes();
        Ok(())
    };
    for pos in memchr::memchr2_iter(b'\n', b'\r', b) {
        at_end(pos, &mut start)?;
    }
    if start < b.len() {
        visit(start, b.len(), Ending::Eof)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lines(text: &str) -> Vec<(usize, usize, Ending)> {
        let mut out = Vec::new();
        let _ = for_each_line(text, |s, e, end| {
            out.push((s, e, end));
            Ok::<(), ()>(())
        });
        out
    }

    /// The obvious byte-at-a-time splitter the block version must agree with.
    fn reference(text: &str) -> Vec<(usize, usize, Ending)> {
        let b = text.as_bytes();
        let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
        while i < b.len() {
            let ending = match (b[i], b.get(i + 1), b.get(i + 2)) {
                (b'\r', Some(b'\n'), _) => Some(Ending::CrLf),
                (b'\r', Some(b'\r'), Some(b'\n')) => Some(Ending::CrCrLf),
                (b'\r', _, _) => Some(Ending::Cr),
                (b'\n', _, _) => Some(Ending::Lf),
                _ => None,
            };
            if let Some(e) = ending {
                out.push((start, i, e));
                i += e.bytes();
                start = i;
            } else {
                i += 1;
            }
        }
        if start < b.len() {
            out.push((start, b.len(), Ending::Eof));
        }
        out
    }

    #[test]
    fn endings_at_block_edges() {
        for n in [0, 1, 62, 63, 64, 65, 127, 128, 129] {
            for end in ["\n", "\r\n", "\r", "\r\r\n", ""] {
                let text = format!("{}{end}x\r{}\n", "a".repeat(n), "b".repeat(n));
                assert_eq!(lines(&text), reference(&text), "{n} {end:?}");
            }
        }
        assert_eq!(lines(""), vec![]);
        assert_eq!(lines("\r\n"), vec![(0, 0, Ending::CrLf)]);
        assert_eq!(
            lines("a\r\r\nb\r\r\r\n"),
            vec![
                (0, 1, Ending::CrCrLf),
                (4, 5, Ending::Cr),
                (6, 6, Ending::CrCrLf)
            ]
        );
    }

    proptest! {
        #[test]
        fn agrees_with_a_byte_at_a_time_split(
            parts in prop::collection::vec(("[a-z\u{e9}\u{200e}]{0,70}", 0..5u8), 0..40)
        ) {
            let text: String = parts
                .iter()
                .map(|(s, e)| format!("{s}{}", ["\n", "\r\n", "\r", "\r\r\n", ""][usize::from(*e)]))
                .collect();
            prop_assert_eq!(lines(&text), reference(&text));
        }
    }
}
