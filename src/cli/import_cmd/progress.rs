//! The import's one progress bar: how far through the input it is (in bytes, so the whole
//! import has a length before any file is parsed), exports done, messages read, their rate
//! and the time left.

use crate::index::writer::Progress;
use crate::sanitize::{to_display, Mode};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// What the bar shows, updated from every thread that builds documents.
#[derive(Default)]
struct Counters {
    files: AtomicU64,
    files_done: AtomicU64,
    messages: AtomicU64,
    /// Bytes of the exports done with.
    bytes_done: AtomicU64,
    /// The export being indexed: its bytes, its messages, and how many were read so far.
    file_bytes: AtomicU64,
    file_messages: AtomicU64,
    file_seen: AtomicU64,
}

impl Counters {
    /// Bytes of input behind us: the exports done, and the share of the current one that
    /// its messages read so far stand for.
    fn position(&self) -> u64 {
        let (bytes, total, seen) = (
            self.file_bytes.load(Relaxed),
            self.file_messages.load(Relaxed),
            self.file_seen.load(Relaxed),
        );
        let within = if total == 0 {
            0
        } else {
            // u128: bytes × messages overflows u64 only past exabytes, but never panics.
            (u128::from(bytes) * u128::from(seen.min(total)) / u128::from(total)) as u64
        };
        self.bytes_done.load(Relaxed) + within
    }
}

/// The import's progress: a bar on a terminal (none when stderr is not one), and whether
/// Ctrl-C asked it to stop.
pub struct CliProgress {
    bar: Option<ProgressBar>,
    counters: Arc<Counters>,
    cancelled: fn() -> bool,
}

impl CliProgress {
    pub fn new(shown: bool, cancelled: fn() -> bool) -> CliProgress {
        let counters = Arc::new(Counters::default());
        let bar = shown.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(style(&counters));
            bar
        });
        CliProgress {
            bar,
            counters,
            cancelled,
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.counters.position());
        }
    }
}

impl Progress for CliProgress {
    fn begin(&self, files: u64, bytes: u64) {
        self.counters.files.store(files, Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(bytes.max(1));
        }
    }

    fn file(&self, display: &str, messages: u64, bytes: u64) {
        let c = &self.counters;
        c.file_bytes.store(bytes, Relaxed);
        c.file_messages.store(messages, Relaxed);
        c.file_seen.store(0, Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_message(to_display(&short_name(display), Mode::OneLine).into_owned());
        }
        self.redraw();
    }

    fn advance(&self, messages: u64) {
        self.counters.messages.fetch_add(messages, Relaxed);
        self.counters.file_seen.fetch_add(messages, Relaxed);
        self.redraw();
    }

    fn file_done(&self) {
        let c = &self.counters;
        c.bytes_done
            .fetch_add(c.file_bytes.swap(0, Relaxed), Relaxed);
        c.file_messages.store(0, Relaxed);
        c.files_done.fetch_add(1, Relaxed);
        self.redraw();
    }

    fn saving(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message("saving the archive");
        }
    }

    fn cancelled(&self) -> bool {
        (self.cancelled)()
    }
}

/// The export's name as the bar shows it: its file name (the zip's, for a chat inside a zip),
/// at most [`NAME_CHARS`] characters.
fn short_name(display: &str) -> String {
    let mut parts = display.rsplit(['/', '\\']).filter(|p| !p.is_empty());
    let last = parts.next().unwrap_or(display);
    let name = match parts.next() {
        Some(zip) if zip.to_ascii_lowercase().ends_with(".zip") => zip,
        _ => last,
    };
    if name.chars().count() <= NAME_CHARS {
        return name.to_string();
    }
    let mut cut: String = name.chars().take(NAME_CHARS - 1).collect();
    cut.push('…');
    cut
}

const NAME_CHARS: usize = 32;

/// `[===>   ] 12/50 exports · 480,000 messages · 150,000/s · ETA 1m 20s  file.txt`: under 80
/// columns, the name last, as wide as the terminal leaves room for, so the bar never wraps.
fn style(counters: &Arc<Counters>) -> ProgressStyle {
    let template =
        "[{bar:12}] {exports} exports · {messages} messages · {rate} · {left}  {wide_msg:.dim}";
    let exports = Arc::clone(counters);
    let messages = Arc::clone(counters);
    let rate = Arc::clone(counters);
    ProgressStyle::with_template(template)
        .map(|style| {
            style
                .with_key("exports", move |_: &ProgressState, w: &mut dyn Write| {
                    let done = exports.files_done.load(Relaxed);
                    let _ = write!(w, "{done}/{}", exports.files.load(Relaxed));
                })
                .with_key("messages", move |_: &ProgressState, w: &mut dyn Write| {
                    let n = messages.messages.load(Relaxed);
                    let _ = w.write_str(&crate::cli::stats_cmd::thousands(n));
                })
                .with_key("rate", move |s: &ProgressState, w: &mut dyn Write| {
                    let secs = s.elapsed().as_secs_f64();
                    let n = rate.messages.load(Relaxed) as f64;
                    let per_sec = if secs > 0.0 { n / secs } else { 0.0 };
                    let _ = w.write_str(&per_second(per_sec));
                })
                .with_key("left", |s: &ProgressState, w: &mut dyn Write| {
                    let _ = w.write_str(&time_left(s));
                })
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A rate as people read it: whole messages a second, thousands separated (`120,800/s`).
fn per_second(per_sec: f64) -> String {
    // `as` saturates: NaN and negatives are 0, which is what a rate before any message is.
    format!(
        "{}/s",
        crate::cli::stats_cmd::thousands(per_sec.round() as u64)
    )
}

/// The time left as the bar's rate so far predicts it; nothing to predict from in the
/// first second.
fn time_left(s: &ProgressState) -> String {
    if s.elapsed().as_secs_f64() < 1.0 || s.pos() == 0 {
        return "ETA ?".to_string();
    }
    let secs = s.eta().as_secs();
    match secs {
        0..=59 => format!("ETA {secs}s"),
        60..=3599 => format!("ETA {}m {:02}s", secs / 60, secs % 60),
        _ => format!("ETA {}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_finished_exports_and_the_read_share_of_the_current_one() {
        let p = CliProgress::new(false, || false);
        p.begin(2, 3_000);
        p.file("a.txt", 100, 1_000);
        p.advance(50);
        assert_eq!(p.counters.position(), 500);
        p.advance(50);
        p.file_done();
        assert_eq!(p.counters.position(), 1_000);
        p.file("b.zip", 10, 2_000);
        p.advance(5);
        assert_eq!(p.counters.position(), 2_000);
        assert_eq!(p.counters.messages.load(Relaxed), 105);
        assert_eq!(p.counters.files_done.load(Relaxed), 1);
    }

    #[test]
    fn an_export_that_fails_before_its_messages_still_moves_the_bar_on() {
        let p = CliProgress::new(false, || false);
        p.begin(2, 300);
        // A file that cannot be read gets no `file` call, only `file_done`.
        p.file_done();
        p.file("b.txt", 0, 200);
        p.file_done();
        assert_eq!(p.counters.files_done.load(Relaxed), 2);
        assert_eq!(p.counters.position(), 200);
    }

    #[test]
    fn the_bar_names_an_export_by_its_file_or_zip_in_at_most_32_characters() {
        assert_eq!(
            short_name("/in/WhatsApp Chat with Ana.txt"),
            "WhatsApp Chat with Ana.txt"
        );
        assert_eq!(short_name("/in/Family.zip/_chat.txt"), "Family.zip");
        assert_eq!(short_name("-"), "-");
        let long = short_name("/in/WhatsApp Chat with Someone With A Very Long Name.txt");
        assert_eq!(long.chars().count(), 32);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn progress_rate_is_whole_messages_with_thousands_separated() {
        assert_eq!(per_second(120_800.496_4), "120,800/s");
        assert_eq!(per_second(999.5), "1,000/s");
        assert_eq!(per_second(0.3), "0/s");
        assert_eq!(per_second(f64::NAN), "0/s");
        assert_eq!(per_second(-1.0), "0/s");
    }
}
