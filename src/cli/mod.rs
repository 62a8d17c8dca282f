//! The command line: flags defined once (clap derive), each command a thin layer over the
//! library.

mod chats_cmd;
mod export_cmd;
mod forget_cmd;
mod import_cmd;
mod log_cmd;
mod media_cmd;
mod parse_cmd;
mod people_cmd;
mod purge_cmd;
mod search_cmd;
mod secret_cmd;
mod stats_cmd;
pub(crate) mod style;
pub(crate) mod tui_cmd;

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
    /// Show every participant as a pseudonym ("Amber Fox") and mask names, phone numbers and
    /// e-mail addresses in text (every command and the TUI)
    #[arg(long, global = true)]
    pub anonymize: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal UI on the archive (the default without a command)
    Tui,
    /// Open the TUI on the bundled demo chats (in a temporary archive)
    Demo {
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
    /// Statistics (who, when, how fast, about what) of everything, one chat, one participant or a query's matches
    Stats(StatsArgs),
    /// Write messages for other tools (NDJSON or CSV), or everything held about one person
    Export(ExportArgs),
    /// Attachments (photos, voice notes, documents…) with their type and size, read from the
    /// export they came in; `media save ID --output FILE` writes one out
    Media(MediaArgs),
    /// Erase a participant's messages for good and keep them out of later imports
    Forget(ForgetArgs),
    /// The people of the archive (one person under many names); merge or split their names
    People {
        /// Print JSON
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<PeopleAction>,
    },
    /// Delete the whole archive: index, secret, opt-out list
    Purge {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    /// The archive's secret, which keys pseudonyms and the opt-out list
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum PeopleAction {
    /// Make one person of these names (idempotent); from:, statistics, forget and pseudonyms
    /// then take them as one
    Merge {
        /// Two names or more, as `whatscope people` shows them
        #[arg(required = true, num_args = 2..)]
        names: Vec<String>,
        /// The name to show for the person (default: the first name given)
        #[arg(long = "as", value_name = "DISPLAY")]
        display: Option<String>,
    },
    /// Take a name back out of its person
    Split { name: String },
    /// Candidate merges with the reason for each (never applied without you)
    Suggest {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretAction {
    /// Make a new secret, when secret.key is lost and no backup is left. It costs: every
    /// pseudonym changes, and the people you made whatscope forget must be forgotten again
    /// by name (their opt-outs were keyed with the old secret)
    Reset {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

/// Options shared by every command that reads exports.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Date order of the export's timestamps, when inference gets it wrong
    #[arg(long, value_name = "ORDER", value_enum, ignore_case = true)]
    pub date_order: Option<DateOrder>,
    /// Name of the chat (default: from the export's file name)
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    /// Largest chat text read, in MiB (counted as it is read or unzipped)
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_text_mib: u64,
    /// Longest line accepted, in KiB
    #[arg(long, value_name = "KIB", default_value_t = 1024)]
    pub max_line_kib: usize,
    /// Most entries a zip may hold (WhatsApp exports hold at most ~10 000 media)
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub max_zip_entries: usize,
    /// Largest compression ratio (N:1) accepted for a zipped chat text over 1 MiB; real chat
    /// texts compress about 10:1, zip bombs about 1000:1
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
    /// Longest message imported whole, in KiB; a longer one is kept cut, with a marker in its
    /// text and a warning (a WhatsApp message holds at most 65 536 characters, ≤ 256 KiB)
    #[arg(long, value_name = "KIB", default_value_t = crate::index::writer::DEFAULT_MAX_MESSAGE_KIB as u64,
          value_parser = clap::value_parser!(u64).range(1..=(1 << 20)))]
    pub max_message_kib: u64,
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
pub struct StatsArgs {
    /// Only this chat (its full name, or a unique part of it)
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    /// Only the messages this query matches (the search language); sessions and reply times
    /// are still worked out on the whole chat
    #[arg(long, value_name = "Q", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only this participant's messages (name as exported, or a unique part of it)
    #[arg(long, value_name = "NAME")]
    pub participant: Option<String>,
    /// Print JSON (docs/statistics.md): {"scope", "messages", "system", "participants", "by_hour", ...}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: crate::ops::export::Format,
    /// Only this chat (its full name, or a unique part of it)
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    /// Everything the archive holds about this person (their messages and a summary with
    /// their statistics), with everyone else masked
    #[arg(long, value_name = "NAME")]
    pub participant: Option<String>,
    /// Only the messages this query matches (the search language)
    #[arg(long, value_name = "Q")]
    pub query: Option<String>,
    /// Write to FILE (atomically, private to you) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV only: keep cells that start with =, +, -, @, TAB or CR exact. By default they get a
    /// leading ' so that a spreadsheet shows them as text instead of running them as formulas;
    /// use this when a program, not a spreadsheet, reads the file. (On a terminal, control
    /// characters are always shown as visible stand-ins; to a file or pipe bytes stay exact.)
    #[arg(long)]
    pub no_formula_guard: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MediaArgs {
    /// Only this chat (its full name, or a unique part of it)
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    /// Only this person's attachments (every name of a merged person, as `from:` takes them)
    #[arg(long, value_name = "NAME")]
    pub participant: Option<String>,
    /// Only this type
    #[arg(long = "type", value_name = "T", value_enum, ignore_case = true)]
    pub media_type: Option<crate::import::media::MediaType>,
    /// One JSON array (fields in docs/media.md)
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub action: Option<MediaAction>,
}

#[derive(Debug, Subcommand)]
pub enum MediaAction {
    /// Write one attachment's bytes to a file (atomically, private to you)
    Save(MediaSaveArgs),
}

#[derive(Debug, Args)]
pub struct MediaSaveArgs {
    /// The message id, as `whatscope media` lists it
    pub id: String,
    /// The file to write
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["participant", "undo"])))]
pub struct ForgetArgs {
    /// The participant to erase (their name as whatscope shows it; any case)
    #[arg(long, value_name = "NAME")]
    pub participant: Option<String>,
    /// Lift NAME's opt-out, so that later imports take their messages again
    #[arg(long, value_name = "NAME")]
    pub undo: Option<String>,
    /// Only record NAME as opted out, so that later imports skip their messages: for someone
    /// who is not (yet) in the archive. Without it, a name with no messages is an error
    #[arg(long, requires = "participant")]
    pub opt_out_only: bool,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
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
    crate::panic_report::install();
    let cli = Cli::parse();
    crate::panic_report::test_hook();
    if cli.global.anonymize {
        if let Err(err) = anonymize_applies(cli.command.as_ref()) {
            crate::error::report(&crate::ops::error::shown(&*err));
            return 2;
        }
    }
    let result = match cli.command {
        Some(Command::Parse(args)) => parse_cmd::run(&args),
        Some(Command::Import(args)) => import_cmd::run(&cli.global, &args),
        Some(Command::Chats { json }) => chats_cmd::run(&cli.global, json),
        Some(Command::Log(args)) => log_cmd::run(&cli.global, &args),
        Some(Command::Search(args)) => search_cmd::run(&cli.global, &args),
        Some(Command::Stats(args)) => stats_cmd::run(&cli.global, &args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "whatscope", &mut std::io::stdout());
            Ok(())
        }
        Some(Command::Export(args)) => export_cmd::run(&cli.global, &args),
        Some(Command::Media(args)) => match &args.action {
            None => media_cmd::run(&cli.global, &args),
            Some(MediaAction::Save(save)) => media_cmd::save(&cli.global, save),
        },
        Some(Command::Forget(args)) => forget_cmd::run(&cli.global, &args),
        Some(Command::People { json, action }) => match action {
            None => people_cmd::list(&cli.global, json),
            Some(PeopleAction::Merge { names, display }) => {
                people_cmd::merge(&cli.global, &names, display.as_deref())
            }
            Some(PeopleAction::Split { name }) => people_cmd::split(&cli.global, &name),
            Some(PeopleAction::Suggest { json: j }) => people_cmd::suggest(&cli.global, json || j),
        },
        Some(Command::Purge { yes }) => purge_cmd::run(&cli.global, yes),
        Some(Command::Secret {
            action: SecretAction::Reset { yes },
        }) => secret_cmd::reset(&cli.global, yes),
        None | Some(Command::Tui) => tui_cmd::run_tui(&cli.global, cli.global.anonymize),
        Some(Command::Demo { no_tui }) => tui_cmd::run_demo(cli.global.anonymize, no_tui),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            if is_broken_pipe(&err) {
                return 0;
            }
            let shown = crate::ops::error::shown(&*err);
            crate::error::report(&shown);
            shown.exit_code
        }
    }
}

/// `--anonymize` masks every output that shows the archive; the commands that print an
/// export as it is (`parse`) or report on files (`import`) would ignore it, so they refuse
/// it rather than print real names to someone who asked for none.
fn anonymize_applies(command: Option<&Command>) -> anyhow::Result<()> {
    let (name, hint) = match command {
        Some(Command::Parse(_)) => (
            "parse",
            "parse prints the export as it is; import it, then `whatscope export --anonymize`",
        ),
        Some(Command::Import(_)) => (
            "import",
            "the import report names files and chats as they are; import without --anonymize, then use --anonymize to look",
        ),
        _ => return Ok(()),
    };
    Err(
        crate::error::UserError::new(format!("--anonymize does not apply to {name}"))
            .hint(hint)
            .usage()
            .into(),
    )
}

/// Standard output for a command's results, whose failed writes say what failed (see
/// [`crate::error::OutputFailed`]).
pub struct Output(std::io::StdoutLock<'static>);

pub fn stdout() -> Output {
    Output(std::io::stdout().lock())
}

impl std::io::Write for Output {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b).map_err(crate::error::OutputFailed::wrap)
    }

    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.0
            .write_all(b)
            .map_err(crate::error::OutputFailed::wrap)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(crate::error::OutputFailed::wrap)
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
