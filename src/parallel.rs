//! Work on big message lists split over two threads, results kept in order. Two because
//! that is what a laptop spares without noticing; small lists stay on one thread, where
//! starting another costs more than it saves.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;

/// Below this many items everything runs on the calling thread.
const SPLIT_AT: usize = 50_000;

/// Items formatted per hand-off: big enough that the hand-off is noise, small enough that
/// the buffers stay in cache.
const CHUNK: usize = 4096;

/// Whether the machine runs two threads at once.
pub fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|p| p.get() > 1)
}

fn two_threads(n: usize) -> bool {
    n >= SPLIT_AT && two_cores()
}

/// `out[i] = f(i)` for every `i`, the upper half computed on a second thread.
pub fn fill<T: Send>(out: &mut [T], f: impl Fn(usize) -> T + Sync) {
    if !two_threads(out.len()) {
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = f(i);
        }
        return;
    }
    let mid = out.len() / 2;
    let (low, high) = out.split_at_mut(mid);
    let f = &f;
    std::thread::scope(|s| {
        s.spawn(move || {
            for (i, slot) in high.iter_mut().enumerate() {
                *slot = f(mid + i);
            }
        });
        for (i, slot) in low.iter_mut().enumerate() {
            *slot = f(i);
        }
    });
}

/// Writes items `0..n` to `out` in order, `format(range, buf)` appending the bytes of a range
/// of items to `buf`. On two threads, each formats every other chunk while this one writes.
pub fn write_in_order(
    out: &mut impl Write,
    n: usize,
    format: impl Fn(Range<usize>, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    let chunk = |k: usize| k * CHUNK..((k + 1) * CHUNK).min(n);
    let chunks = n.div_ceil(CHUNK);
    let mut mine = Vec::with_capacity(1 << 20);
    if !two_threads(n) {
        for k in 0..chunks {
            mine.clear();
            format(chunk(k), &mut mine);
            out.write_all(&mine)?;
        }
        return Ok(());
    }
    let format = &format;
    std::thread::scope(|s| {
        // Two formatted chunks in flight at most; written buffers go back to be refilled.
        let (done, formatted) = mpsc::sync_channel::<Vec<u8>>(2);
        let (recycle, empty) = mpsc::channel::<Vec<u8>>();
        s.spawn(move || {
            for k in (1..chunks).step_by(2) {
                let mut buf = empty.try_recv().unwrap_or_default();
                buf.clear();
                format(chunk(k), &mut buf);
                if done.send(buf).is_err() {
                    return; // the writer stopped (a write failed)
                }
            }
        });
        for k in (0..chunks).step_by(2) {
            mine.clear();
            format(chunk(k), &mut mine);
            out.write_all(&mine)?;
            if k + 1 < chunks {
                let theirs = formatted
                    .recv()
                    .map_err(|_| io::Error::other("the formatting thread stopped"))?;
                out.write_all(&theirs)?;
                let _ = recycle.send(theirs);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_computes_every_slot_on_both_paths() {
        for n in [0, 7, SPLIT_AT + 3] {
            let mut out = vec![0u64; n];
            fill(&mut out, |i| (i as u64) * 3 + 1);
            assert!(out
                .iter()
                .enumerate()
                .all(|(i, v)| *v == (i as u64) * 3 + 1));
        }
    }

    #[test]
    fn output_keeps_item_order_on_both_paths() {
        for n in [0, 1, CHUNK, CHUNK * 3 + 5, SPLIT_AT * 2 + 17] {
            let mut out = Vec::new();
            write_in_order(&mut out, n, |r, buf| {
                for i in r {
                    buf.extend_from_slice(format!("{i}\n").as_bytes());
                }
            })
            .expect("writes to a Vec");
            let want: String = (0..n).map(|i| format!("{i}\n")).collect();
            assert_eq!(String::from_utf8(out).expect("utf-8"), want, "{n}");
        }
    }

    /// A writer that fails after some bytes, as a closed pipe does.
    struct Fails(usize);

    impl Write for Fails {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if self.0 < b.len() {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            self.0 -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_both_threads_with_its_error() {
        let err = write_in_order(&mut Fails(100_000), SPLIT_AT * 4, |r, buf| {
            for i in r {
                buf.extend_from_slice(format!("{i}\n").as_bytes());
            }
        })
        .expect_err("the writer fails");
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
