//! Unit tests of message-kind classification.

use super::*;

fn kind(body: &str, ios: bool) -> Kind {
    classify(body, ios).kind
}

#[test]
fn placeholders_and_events() {
    assert_eq!(kind("<Media omitted>", false), Kind::Media);
    assert_eq!(kind("\u{200E}image omitted", true), Kind::Media);
    assert_eq!(kind("<\u{200E}video omitted>", true), Kind::Media);
    assert_eq!(kind("\u{200E}Bild weggelassen", true), Kind::Media);
    assert_eq!(kind("null", false), Kind::Hidden);
    assert_eq!(kind("This message was deleted", false), Kind::Deleted);
    assert_eq!(
        kind("\u{200E}You deleted this message.", true),
        Kind::Deleted
    );
    assert_eq!(kind("Missed voice call", false), Kind::Call);
    assert_eq!(kind("Voice call tomorrow?", false), Kind::Text);
    assert_eq!(kind("live location shared", false), Kind::Location);
    assert_eq!(
        kind("lokasi : https://maps.google.com/?q=1,2", false),
        Kind::Location
    );
    assert_eq!(
        kind("\u{200E}Rita Alves changed this group's icon", true),
        Kind::System
    );
    assert_eq!(
        kind("\u{200E}Rita Alves changed this group's icon", false),
        Kind::Text
    );
    assert_eq!(
        kind("Waiting for this message. This may take a while.", false),
        Kind::Waiting
    );
}

#[test]
fn poll_keeps_its_lines() {
    let c = classify(
        "\u{200E}POLL:\nMeeting day?\n\u{200E}OPTION: Thu (2 votes)",
        true,
    );
    assert_eq!(c.kind, Kind::Poll);
    assert_eq!(c.text, "POLL:\nMeeting day?\nOPTION: Thu (2 votes)");
}

#[test]
fn attachments_are_named() {
    let c = classify(
        "\u{200E}<attached: 00000005-PHOTO-2024-05-07-19-03-12.jpg>",
        true,
    );
    assert_eq!(c.kind, Kind::Media);
    assert_eq!(
        c.attachment.as_deref(),
        Some("00000005-PHOTO-2024-05-07-19-03-12.jpg")
    );
    let c = classify(
        "Summer concert.pdf • \u{200E}2 pages \u{200E}<attached: 00000006-Summer concert.pdf>",
        true,
    );
    assert_eq!(c.attachment.as_deref(), Some("00000006-Summer concert.pdf"));
    let c = classify(
        "\u{200E}IMG-20240511-WA0000.jpg (file attached)\nLook at this",
        false,
    );
    assert_eq!(c.kind, Kind::Media);
    assert_eq!(c.attachment.as_deref(), Some("IMG-20240511-WA0000.jpg"));
    assert_eq!(c.text, "Look at this");
    let c = classify("Plan.pdf • \u{200E}2 pages \u{200E}document omitted", true);
    assert_eq!(c.attachment.as_deref(), Some("Plan.pdf"));
    let c = classify("< pièce jointe : 00000001-PHOTO.jpg >", true);
    assert_eq!(c.attachment.as_deref(), Some("00000001-PHOTO.jpg"));
    let c = classify("<00000001-PHOTO.jpg eklendi>", true);
    assert_eq!(c.attachment.as_deref(), Some("00000001-PHOTO.jpg"));
    let c = classify("Иван Петров.vcf (файл добавлен)", false);
    assert_eq!(c.attachment.as_deref(), Some("Иван Петров.vcf"));
}

#[test]
fn edited_marker_is_removed() {
    let c = classify("Thursday works \u{200E}<This message was edited>", true);
    assert!(c.edited);
    assert_eq!(c.text, "Thursday works");
    assert_eq!(c.kind, Kind::Text);
    let c = classify("nvm, sorted it out <This message was edited>", false);
    assert!(c.edited);
    assert_eq!(c.text, "nvm, sorted it out");
}
