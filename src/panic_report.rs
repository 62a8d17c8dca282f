//! What a panic prints: one line naming where, never the panic's message, because messages
//! can quote chat text (a bad string slice prints the string) and stderr ends up in bug
//! reports, terminals and logs (docs/reliability.md, V10, T11).

use std::panic::{self, PanicHookInfo};

/// Environment variable that, when set to `1`, adds the panic message (for developers).
pub const DETAILS_VAR: &str = "WHATSCOPE_PANIC_DETAILS";

/// Test hook: when set, the program panics with its value right after start-up, so tests can
/// check what a panic prints. Only with the cargo feature `fault-injection` (docs/design.md).
#[cfg(feature = "fault-injection")]
pub const TEST_PANIC_VAR: &str = "WHATSCOPE_TEST_PANIC";

/// Replaces the default hook (message and backtrace hint) with [`report`].
pub fn install() {
    panic::set_hook(Box::new(report));
}

fn report(info: &PanicHookInfo<'_>) {
    let place = info.location().map_or_else(
        || "an unknown place".to_string(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    eprintln!("error: internal error at {place}: this is a bug in whatscope");
    if std::env::var_os(DETAILS_VAR).is_some_and(|v| v == "1") {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "detail: {}",
            crate::sanitize::to_display(&message, crate::sanitize::Mode::OneLine)
        );
    }
    eprintln!(
        "hint: please report the place above; the message is withheld because it may quote \
         your chats ({DETAILS_VAR}=1 shows it)"
    );
}

/// Panics on purpose when [`TEST_PANIC_VAR`] is set (see there).
#[cfg(feature = "fault-injection")]
pub fn test_hook() {
    if let Some(text) = std::env::var_os(TEST_PANIC_VAR) {
        panic!("test panic: {}", text.to_string_lossy());
    }
}

/// Without `fault-injection`: nothing, so a shipped build cannot be made to panic on purpose.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn test_hook() {}
