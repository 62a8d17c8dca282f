//! The chat's name from the export's file name, in the languages WhatsApp names exports in.

use super::locale::{EXPORT_NAME_PREFIXES, EXPORT_NAME_WRAPPERS};
use serde::Serialize;

/// Where a chat's name came from, as the import report says it (issue 12: two chats are
/// never merged under a made-up name, so every name has a source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChatNameFrom {
    /// `--chat NAME`.
    #[serde(rename = "--chat")]
    Flag,
    /// The export's file name (`WhatsApp Chat with Ana.txt`), or the name of the text
    /// inside a zip.
    #[serde(rename = "file name")]
    FileName,
    /// The folder a bare `_chat.txt` sits in.
    #[serde(rename = "folder")]
    Folder,
    /// The zip's file name.
    #[serde(rename = "zip")]
    Zip,
    /// The export itself: iOS attributes the encryption notice to the chat.
    #[serde(rename = "attributed")]
    Attributed,
}

impl ChatNameFrom {
    /// For the import report: `chat: Ana (from the file name)`.
    pub fn describe(self) -> &'static str {
        match self {
            ChatNameFrom::Flag => "given with --chat",
            ChatNameFrom::FileName => "from the file name",
            ChatNameFrom::Folder => "from the folder name",
            ChatNameFrom::Zip => "from the zip's name",
            ChatNameFrom::Attributed => "as the export names it",
        }
    }
}

/// `WhatsApp Chat with Ana.txt` → `Ana`; `_chat.txt` → `None` (iOS names nothing there);
/// any other file → its stem, so every export gets a name.
pub fn from_file_name(file_name: &str) -> Option<String> {
    let mut stem = file_name.trim();
    for ext in [".txt", ".zip", ".TXT", ".ZIP"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    // Browsers and mail clients add ` (1)` to repeated downloads.
    let stem = strip_copy_suffix(stem);
    let spaced: String = stem
        .chars()
        .map(|c| match c {
            '\u{00A0}' | '\u{202F}' => ' ',
            c => c,
        })
        .collect();
    if spaced.eq_ignore_ascii_case("_chat") || spaced.is_empty() {
        return None;
    }
    // Some platforms replace every space with `_`.
    let candidates = [spaced.clone(), spaced.replace('_', " ")];
    for candidate in &candidates {
        for prefix in EXPORT_NAME_PREFIXES {
            if let Some(name) = strip_prefix_ignore_case(candidate, prefix) {
                let name = name.trim();
                if !name.is_empty() {
                    return Some(name.to_string());
                }
            }
        }
        for (pre, post) in EXPORT_NAME_WRAPPERS {
            if let Some(name) = candidate
                .strip_prefix(pre)
                .and_then(|n| n.strip_suffix(post))
            {
                if !name.trim().is_empty() {
                    return Some(name.trim().to_string());
                }
            }
        }
    }
    Some(spaced.trim().to_string())
}

/// Whether the file name is one WhatsApp gives an export (`WhatsApp Chat with …`).
pub fn is_export_name(file_name: &str) -> bool {
    let lower = file_name.to_lowercase();
    lower.contains("whatsapp")
}

fn strip_copy_suffix(stem: &str) -> &str {
    if let Some(open) = stem.rfind(" (") {
        let inner = &stem[open + 2..];
        if let Some(num) = inner.strip_suffix(')') {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                return &stem[..open];
            }
        }
    }
    stem
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_export_names() {
        for (file, chat) in [
            ("WhatsApp Chat with Ana.txt", "Ana"),
            ("WhatsApp Chat - Lakeside Choir.zip", "Lakeside Choir"),
            ("WhatsApp-Chat mit Jonas.txt", "Jonas"),
            ("Chat de WhatsApp con Mateo (1).txt", "Mateo"),
            ("Conversa do WhatsApp com Bia.zip", "Bia"),
            ("Discussion WhatsApp avec Camille.txt", "Camille"),
            ("Чат WhatsApp с Ольга.txt", "Ольга"),
            ("Chat WhatsApp s\u{00A0}uživatelem Petr.txt", "Petr"),
            ("与王芳的 WhatsApp 聊天.txt", "王芳"),
            ("WhatsApp_Chat_with_Book_Club.txt", "Book Club"),
            ("family.txt", "family"),
        ] {
            assert_eq!(from_file_name(file).as_deref(), Some(chat), "{file}");
        }
        assert_eq!(from_file_name("_chat.txt"), None);
    }
}
