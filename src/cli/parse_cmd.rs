//! `whatscope parse`: an export to NDJSON, in file order, without touching the archive.

use super::ParseArgs;
use crate::import;
use crate::model::hex_id;
use crate::output::MessageOut;
use std::io::{self, Write};

pub fn run(args: &ParseArgs) -> anyhow::Result<()> {
    let loaded = import::load(&args.path, &args.read.limits())?;
    let parsed = import::parse_loaded(&loaded, &args.read.parse_options())?;
    let chat = import::chat_name(args.read.chat.as_deref(), &loaded, &parsed);
    super::warn(&import::warnings(&loaded, &parsed));

    let stamps = parsed.stamps();
    let ids = parsed.ids_stamped(&chat, &stamps);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // Lines are built in one buffer and written in large blocks.
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
    for ((m, raw_id), ts) in parsed.messages().zip(ids).zip(&stamps) {
        let id = hex_id(raw_id);
        let msg = MessageOut {
            id: id.as_str(),
            chat: &chat,
            ts: ts.as_str(),
            sender: m.sender,
            kind: m.kind,
            text: m.text,
            attachment: m.attachment,
            edited: m.edited,
            line: Some(m.line),
        };
        msg.push_ndjson(&mut buf);
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(())
}
