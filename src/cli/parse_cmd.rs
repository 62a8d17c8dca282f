//! `whatscope parse`: an export to NDJSON, in file order, without touching the archive.

use super::ParseArgs;
use crate::import;

pub fn run(args: &ParseArgs) -> anyhow::Result<()> {
    let loaded = import::load(&args.path, &args.read.limits())?;
    let parsed = import::parse_loaded(&loaded, &args.read.parse_options())?;
    // Nothing is merged here: an export with no name of its own is printed as chat `chat`.
    let chat = import::chat_name(args.read.chat.as_deref(), &loaded, &parsed)
        .map_or_else(|_| "chat".to_string(), |(name, _)| name);
    super::warn(&import::warnings(&loaded, &parsed));

    crate::output::write_parsed_ndjson(&mut super::stdout(), &parsed, &chat)?;
    Ok(())
}
