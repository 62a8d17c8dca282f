//! `o`: opening the selected message's attachment (docs/media.md, "In the TUI"). The app
//! only asks; the worker reads, decodes and fits, or starts the opener. A reply that is not
//! for the latest `o` (pressed again, or the user moved on) is dropped.

use super::*;
use crate::model::{Kind, Message};
use crate::tui::picture::{Frame, Picture};
use crate::tui::worker::Opened;

/// What the anonymized view says to `o`: a file name or a picture would show what the
/// pseudonyms hide.
pub const ANONYMIZED: &str = "attachments do not open in the anonymized view";

/// The image popup and the `o` requests in flight.
#[derive(Debug, Clone, Default)]
pub struct AttachmentView {
    /// The id of the latest `o` not answered yet (0: none).
    pub latest: u64,
    /// The id of the latest `o` handed to an opener, whose failure is still worth showing.
    pub launched: u64,
    /// The latest request to fit the open image again.
    pub fit_latest: u64,
    /// The room the latest request fitted the image to.
    pub room: (u16, u16),
    pub image: Option<ImagePopup>,
}

/// An image shown over the conversation.
#[derive(Debug, Clone)]
pub struct ImagePopup {
    /// The attachment's file name (sanitized when drawn).
    pub name: String,
    pub picture: Arc<Picture>,
    /// The picture encoded for the popup's size; a resize asks for another.
    pub frame: Option<Frame>,
}

impl App {
    /// The message `o` acts on: the selected one of the conversation or the results pane.
    pub fn selected_message(&self) -> Option<&Message> {
        match self.focus {
            Pane::Conversation => {
                let conv = self.conv.as_ref()?;
                conv.messages.get(&conv.sel).map(|m| &m.message)
            }
            Pane::Results => {
                let hits = &self.results.result.as_ref()?.hits;
                hits.get(self.results.sel).map(|h| &h.message.message)
            }
            _ => None,
        }
    }

    /// `o`: asks the worker to open the selected message's attachment, or says why not.
    pub(super) fn open_attachment(&mut self) -> Vec<Effect> {
        if self.anonymize {
            self.status = Some(ANONYMIZED.to_string());
            return Vec::new();
        }
        let Some(message) = self.selected_message() else {
            self.status = Some(format!(
                "{}: select a message with an attachment in the conversation or the results",
                self.keymap.keys_text(Action::OpenAttachment)
            ));
            return Vec::new();
        };
        if message.attachment.is_none() && message.kind != Kind::Media {
            self.status = Some("this message has no attachment".to_string());
            return Vec::new();
        }
        let what = message.attachment.as_deref().unwrap_or("the attachment");
        let status = format!("opening {what}…");
        let message = message.id.clone();
        let id = self.id();
        self.attachment.latest = id;
        self.attachment.launched = 0;
        self.attachment.room = self.image_room();
        self.status = Some(status);
        vec![Effect::Request(Request::OpenAttachment {
            id,
            message,
            room: self.attachment.room,
        })]
    }

    /// The cells an image can take: the main pane inside the popup's border.
    pub fn image_room(&self) -> (u16, u16) {
        let main = self.areas().main;
        (main.width.saturating_sub(2), main.height.saturating_sub(2))
    }

    /// The user did something else: an answer to an earlier `o` is no longer wanted (an
    /// opener already started may still say it failed).
    pub(super) fn forget_attachment_request(&mut self) {
        self.attachment.latest = 0;
    }

    /// A key while the image popup is open: `Esc` and the quit keys close it (`Ctrl-c`
    /// still quits); the others do nothing behind it.
    pub(super) fn image_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            return self.act(Action::Quit);
        }
        let action = Key::from_event(&key).and_then(|k| self.keymap.action(&k));
        if matches!(action, Some(Action::Back | Action::Quit)) {
            self.attachment.image = None;
            self.attachment.fit_latest = 0;
        }
        Vec::new()
    }

    /// The terminal changed size: the open image is fitted again (in the worker).
    pub(super) fn refit_image(&mut self) -> Vec<Effect> {
        let Some(picture) = self
            .attachment
            .image
            .as_ref()
            .map(|i| Arc::clone(&i.picture))
        else {
            return Vec::new();
        };
        let id = self.id();
        self.attachment.fit_latest = id;
        self.attachment.room = self.image_room();
        vec![Effect::Request(Request::FitImage {
            id,
            picture,
            room: self.attachment.room,
        })]
    }

    /// The worker opened (or could not open) the attachment of request `id`.
    pub(super) fn attachment_opened(
        &mut self,
        id: u64,
        opened: Result<Opened, WorkerError>,
    ) -> Vec<Effect> {
        if id != self.attachment.latest {
            return Vec::new();
        }
        self.attachment.latest = 0;
        match opened {
            Ok(Opened::Image {
                name,
                picture,
                frame,
            }) => {
                self.status = None;
                self.attachment.image = Some(ImagePopup {
                    name,
                    picture,
                    frame: Some(frame),
                });
                // The terminal may have changed size while it was decoded.
                if self.attachment.room != self.image_room() {
                    return self.refit_image();
                }
            }
            Ok(Opened::Outside { name, program }) => {
                self.attachment.launched = id;
                self.status = Some(format!("opened {name} with {program}"));
            }
            Err(e) => self.status = Some(status_line(&e)),
        }
        Vec::new()
    }

    /// The open image fitted to the new size.
    pub(super) fn image_fitted(&mut self, id: u64, frame: Result<Frame, String>) {
        if id != self.attachment.fit_latest {
            return;
        }
        let Some(popup) = self.attachment.image.as_mut() else {
            return;
        };
        match frame {
            Ok(frame) => popup.frame = Some(frame),
            Err(why) => self.status = Some(format!("cannot draw the image: {why}")),
        }
    }

    /// An opener ended with a failure: said while that attachment is the last one opened.
    pub(super) fn opener_failed(&mut self, id: u64, program: &str, code: Option<i32>) {
        if id != self.attachment.launched {
            return;
        }
        self.status = Some(match code {
            Some(code) => format!("{program} could not open it (exit code {code})"),
            None => format!("{program} could not open it (it was stopped)"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::worker::Opened;

    /// An app with a one-message conversation open and focused: a document or a text.
    fn app_with(attachment: Option<&str>) -> App {
        let mut app = App::new(Keymap::default(), (100, 30));
        let message = crate::model::Message {
            id: "00000000000000aa".into(),
            chat: "Tea Club".into(),
            ts: "2024-05-02T10:00:00".into(),
            sender: Some("Jonas".into()),
            kind: if attachment.is_some() {
                Kind::Media
            } else {
                Kind::Text
            },
            text: String::new(),
            attachment: attachment.map(str::to_string),
            edited: false,
        };
        let mut conv = Conversation::default();
        conv.messages.insert(
            0,
            StoredMessage {
                message,
                secs: 0,
                line: 0,
            },
        );
        app.conv = Some(conv);
        app.focus = Pane::Conversation;
        app
    }

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    /// The id of the `OpenAttachment` request among `effects`.
    fn open_request(effects: &[Effect]) -> u64 {
        effects
            .iter()
            .find_map(|e| match e {
                Effect::Request(Request::OpenAttachment { id, message, .. }) => {
                    assert_eq!(message, "00000000000000aa");
                    Some(*id)
                }
                _ => None,
            })
            .expect("an OpenAttachment request")
    }

    fn outside(id: u64) -> Event {
        Event::Reply(Reply::AttachmentOpened {
            id,
            opened: Ok(Opened::Outside {
                name: "Plan.pdf".into(),
                program: "xdg-open".into(),
            }),
        })
    }

    #[test]
    fn only_the_reply_to_the_latest_o_is_applied() {
        let mut app = app_with(Some("Plan.pdf"));
        let first = open_request(&app.update(key('o')));
        let second = open_request(&app.update(key('o')));
        assert_ne!(first, second);
        app.update(outside(first));
        assert_eq!(app.status.as_deref(), Some("opening Plan.pdf…"));
        app.update(outside(second));
        assert_eq!(app.status.as_deref(), Some("opened Plan.pdf with xdg-open"));
    }

    #[test]
    fn a_reply_after_the_user_moved_on_is_dropped() {
        let mut app = app_with(Some("Plan.pdf"));
        let id = open_request(&app.update(key('o')));
        app.update(key('j'));
        app.update(outside(id));
        assert_eq!(app.status, None);
        assert!(app.attachment.image.is_none());
    }

    #[test]
    fn the_anonymized_view_and_a_text_ask_nothing_and_say_why() {
        let mut app = app_with(Some("Plan.pdf"));
        app.anonymize = true;
        assert!(app.update(key('o')).is_empty());
        assert_eq!(app.status.as_deref(), Some(ANONYMIZED));
        let mut app = app_with(None);
        assert!(app.update(key('o')).is_empty());
        assert_eq!(
            app.status.as_deref(),
            Some("this message has no attachment")
        );
    }
}
