//! Unit tests of name redaction in the anonymized view.

use super::*;

fn pseudonyms() -> Pseudonyms {
    Pseudonyms::new(
        b"test secret",
        [
            "Maya Lopez",
            "Tomás Rivera",
            "Jonas Becker",
            "+44 7700 900123",
            "Jun",
            "Ana Souza",
            "Ana Lima",
            "田中太郎",
        ]
        .map(String::from),
    )
}

#[test]
fn names_whole_words_any_case_and_accents() {
    let p = pseudonyms();
    let maya = p.get("Maya Lopez").to_string();
    let maya_first = maya.split(' ').next().unwrap_or_default().to_string();
    let tomas = p.get("Tomás Rivera").to_string();
    let out = p.mask_text("Maya Lopez added Tomás Rivera");
    assert_eq!(out, format!("{maya} added {tomas}"));
    let out = p.mask_text(
        "thanks maya! and TOMAS RIVERA, and Mayan ruins, @\u{2068}Maya\u{A0}Lopez\u{2069}",
    );
    assert_eq!(
        out,
        format!("thanks {maya_first}! and {tomas}, and [name] ruins, @\u{2068}{maya}\u{2069}")
    );
    assert_eq!(p.mask_text("Maya's map"), format!("{maya_first}'s map"));
    // Shared first names are masked, but not as either person.
    assert_eq!(p.mask_text("Ana said hi"), "[name] said hi");
    assert_eq!(
        p.mask_text("jun is here"),
        format!("{} is here", p.get("Jun"))
    );
    assert!(!p.mask_text("田中太郎さん").contains("田中"));
    // A name split over lines is two words, not the name; the first name still goes.
    assert!(!p.mask_text("Maya\nLopez").contains("Maya"));
}

#[test]
fn a7_words_holding_a_name_are_masked() {
    let p = Pseudonyms::new(
        b"k",
        ["Heinrich Vogelsang", "Margarethe Ölberg", "Liv"].map(String::from),
    );
    let heinrich = p
        .get("Heinrich Vogelsang")
        .split(' ')
        .next()
        .unwrap_or_default();
    let out = p.mask_text(
        "Heinrichs Rad, MARGARETHES Buch, @heinrichvogelsang, vogelsang-family.de, olberg99",
    );
    assert_eq!(
        out,
        format!("[name] Rad, [name] Buch, @[name], {heinrich}-family.de, [name]")
    );
    // A pseudonym's word holding a name ("Lively" holds Liv) survives masking again.
    let lively = "Lively Fox said hi";
    assert_eq!(p.mask_text(lively), lively);
    assert!(!shareable_word(&p, "heinrichs"));
    assert!(!shareable_word(&p, "heinrichvogelsang"));
    assert!(!shareable_domain(&p, "vogelsang-family.de"));
    assert!(shareable_domain(&p, "example.org"));
    assert!(shareable_word(&p, "fahrrad"));
}

#[test]
fn pseudonyms_are_not_masked_again() {
    let p = pseudonyms();
    let text = p.mask_text("Maya and Jonas and Jun");
    assert_eq!(p.mask_text(&text), text, "masking is idempotent");
}

#[test]
fn emails_numbers_and_names_together() {
    let p = pseudonyms();
    let out = p.mask_text(
        "mail maya.lopez@example.com or jonas (at) example (dot) org, call +44 7700 900123",
    );
    assert_eq!(out, "mail [email] or [email], call [phone]");
    assert_eq!(
        p.mask_text("write to x [at] mail.example.de now"),
        "write to [email] now"
    );
    assert_eq!(p.mask_text("josé+books@exämple.co.uk!"), "[email]!");
    assert_eq!(p.mask_text("meet at home. at 8"), "meet at home. at 8");
    assert_eq!(p.mask_text("maya at example dot com"), "[email]");
}

#[test]
fn chat_names() {
    let p = pseudonyms();
    assert_eq!(p.mask_chat("Jonas Becker"), p.get("Jonas Becker"));
    assert_eq!(p.mask_chat("Hiking Crew"), "Hiking Crew");
    assert_eq!(p.mask_chat("+44 7700 900123"), p.get("+44 7700 900123"));
    assert!(!p.mask_chat("Maya & Jonas").contains("Maya"));
}

#[test]
fn access_keeps_its_person_only() {
    let a = Anonymizer::new([1; 32], pseudonyms()).except("jonas becker");
    assert_eq!(a.sender("Jonas Becker"), "Jonas Becker");
    assert_ne!(a.sender("Maya Lopez"), "Maya Lopez");
    let t = a.text("Jonas here, Maya call 0151 23456789");
    assert!(t.starts_with("Jonas here, ") && !t.contains("Maya") && t.contains("[phone]"));
}

#[test]
fn keyed_ids() {
    let a = Anonymizer::new([1; 32], Pseudonyms::default());
    let b = Anonymizer::new([2; 32], Pseudonyms::default());
    let id = "0123456789abcdef";
    assert_eq!(a.id(id), a.id(id));
    assert_ne!(a.id(id), b.id(id));
    assert_ne!(a.id(id), id);
    assert_eq!(a.id(id).len(), 16);
}
