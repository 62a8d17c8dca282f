//! The command line: flags defined once (clap derive), each command a thin layer over the
//! library.

mod chats_cmd;
mod import_cmd;
mod log_cmd;
mod parse_cmd;
mod search_cmd;
pub mod style;
mod tui_cmd;

use crate::import::source::Limits;
use crate::import::DateOrder;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "whatscope",
    version,
    about = "A private, searchable, measurable archive of your WhatsApp chat exports",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where the archive lives (default: the platform data dir, e.g. ~/.local/share/whatscope)
    #[arg(long, global = true, env = "WHATSCOPE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal UI on the archive (the default without a command)
    Tui {
        /// Start with names shown as pseudonyms
        #[arg(long)]
        anonymize: bool,
    },
    /// Open the TUI on the bundled demo chats (in a temporary archive)
    Demo {
        /// Start with names shown as pseudonyms
        #[arg(long)]
        anonymize: bool,
        /// Only build the demo archive and print where it is (for scripts and tests)
        #[arg(long)]
        no_tui: bool,
    },
    /// Parse an export without indexing it; print one JSON object per message (NDJSON)
    Parse(ParseArgs),
    /// Import exports (.txt, .zip, folders, - for stdin) into the archive; idempotent
    Import(ImportArgs),
    /// List the chats in the archive
    Chats {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Print a chat's messages in time order, from the start or from --after on
    Log(LogArgs),
    /// Search the archive (words, "phrases", -exclude, prefix*, fuzzy~, OR, from: chat: after: before: kind: has:)
    Search(SearchArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Options shared by every command that reads exports.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Date order of the export's timestamps, when inference gets it wrong
    #[arg(long, value_name = "ORDER", value_parser = parse_order)]
    pub date_order: Option<DateOrder>,
    /// Name of the chat (default: from the export's file name)
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    /// Largest chat text read, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_text_mib: u64,
    /// Longest line accepted, in KiB
    #[arg(long, value_name = "KIB", default_value_t = 1024)]
    pub max_line_kib: usize,
    /// Most entries a zip may hold
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub max_zip_entries: usize,
    /// Largest compression ratio accepted for a zipped chat text
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_zip_ratio: u64,
}

impl ReadArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_text_bytes: self.max_text_mib.saturating_mul(1 << 20),
            max_zip_entries: self.max_zip_entries,
            max_zip_ratio: self.max_zip_ratio,
        }
    }

    pub fn parse_options(&self) -> crate::import::ParseOptions {
        crate::import::ParseOptions {
            date_order: self.date_order,
            max_line_bytes: self.max_line_kib.saturating_mul(1024),
        }
    }
}

fn parse_order(s: &str) -> Result<DateOrder, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The export: a .txt, a .zip, or - for stdin
    pub path: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Exports: .txt or .zip files, folders (searched recursively), or - for stdin
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The chat (its full name, or a unique part of it)
    #[arg(long, value_name = "NAME")]
    pub chat: String,
    /// Start at this time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS), inclusive
    #[arg(long, value_name = "TS")]
    pub after: Option<String>,
    /// Most messages to print
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    /// Skip this many messages first (for paging)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Print NDJSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; quote it, or put `--` before a query that starts with `-`
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Most hits to print
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Order of the hits
    #[arg(long, value_enum, default_value_t)]
    pub sort: crate::index::search::SortOrder,
    /// Print JSON: {"query", "total", "hits": [...]}
    #[arg(long)]
    pub json: bool,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Parse(args)) => parse_cmd::run(&args),
        Some(Command::Import(args)) => import_cmd::run(&cli.global, &args),
        Some(Command::Chats { json }) => chats_cmd::run(&cli.global, json),
        Some(Command::Log(args)) => log_cmd::run(&cli.global, &args),
        Some(Command::Search(args)) => search_cmd::run(&cli.global, &args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "whatscope", &mut std::io::stdout());
            Ok(())
        }
        None | Some(Command::Tui { anonymize: false }) => tui_cmd::run_tui(&cli.global, false),
        Some(Command::Tui { anonymize: true }) => tui_cmd::run_tui(&cli.global, true),
        Some(Command::Demo { anonymize, no_tui }) => tui_cmd::run_demo(anonymize, no_tui),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            if is_broken_pipe(&err) {
                return 0;
            }
            crate::error::report(&err);
            1
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints warnings to stderr, one line each, sanitized.
pub fn warn(lines: &[String]) {
    for w in lines {
        eprintln!(
            "warning: {}",
            crate::sanitize::to_display(w, crate::sanitize::Mode::OneLine)
        );
    }
}
