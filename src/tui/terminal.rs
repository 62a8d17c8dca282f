//! Terminal setup and restore: raw mode, the alternate screen, mouse capture and the cursor,
//! restored in one function that runs on quit, on error, on panic and on SIGTERM/SIGHUP.

use super::app::App;
use crate::error::UserError;
use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::ExecutableCommand;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

/// Set by the SIGTERM handler, which holds its own handle to it.
static TERMINATED: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Whether SIGTERM or SIGHUP arrived.
pub fn terminated() -> bool {
    TERMINATED.load(Ordering::Relaxed)
}

/// SIGTERM asks the TUI to restore the terminal and quit; SIGHUP (the terminal is gone:
/// nothing to restore, and input would never come) exits at once with 129, which leaves
/// nothing half-written since the archive is only ever read here.
fn install_signal_handlers() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        use signal_hook::flag;
        // Failing to install leaves the default actions, which end the process too.
        let _ = flag::register(SIGTERM, Arc::clone(&TERMINATED));
        let _ = flag::register_conditional_shutdown(SIGHUP, 129, Arc::new(AtomicBool::new(true)));
    }
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = out.execute(DisableMouseCapture);
    let _ = out.execute(LeaveAlternateScreen);
    let _ = out.execute(Show);
    let _ = terminal::disable_raw_mode();
}

pub struct Terminal {
    inner: ratatui::Terminal<CrosstermBackend<Stdout>>,
}

impl Terminal {
    pub fn enter() -> Result<Terminal, UserError> {
        use std::io::IsTerminal;
        if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
            return Err(UserError::new("the TUI needs a terminal").hint(
                "run it in a terminal; for scripts use `whatscope search`, `log` or `stats`",
            ));
        }
        install_signal_handlers();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let fail = |e: io::Error| UserError::new(format!("cannot set up the terminal: {e}"));
        terminal::enable_raw_mode().map_err(fail)?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        let setup = out
            .execute(EnterAlternateScreen)
            .and_then(|o| o.execute(EnableMouseCapture))
            .and_then(|o| o.execute(Hide))
            .map(|_| ());
        if let Err(e) = setup {
            restore();
            return Err(fail(e));
        }
        match ratatui::Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(inner) => Ok(Terminal { inner }),
            Err(e) => {
                restore();
                Err(fail(e))
            }
        }
    }

    pub fn size(&self) -> (u16, u16) {
        terminal::size().unwrap_or((80, 24))
    }

    pub fn draw(&mut self, app: &App) -> Result<(), UserError> {
        self.inner
            .draw(|f| super::view::draw(app, f))
            .map(|_| ())
            .map_err(|e| UserError::new(format!("cannot draw: {e}")))
    }

    pub fn leave(self) -> Result<(), UserError> {
        drop(self);
        Ok(())
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        restore();
    }
}
