//! Recognises WhatsApp's own event wording (encryption notices, group changes) in a body that
//! came with an author, as iOS writes events since 2024 and the encryption notice for longer.
//!
//! A leading U+200E alone does not make an event: people's own messages carry it too (see
//! `docs/formats.md`, "Events with an author"). The parser asks this module whether a marked
//! body reads like an event, and looks at the whole file for the rest (an author who writes
//! nothing unmarked is the group; a body that repeats its author's name is the actor's event).

use super::classify::{lowercase_starts_with, FirstBytes};
use std::sync::OnceLock;

/// The start of the end-to-end encryption notice, in every language WhatsApp is known to
/// write it in. Matched in any letter case at the start of a one-line body.
const ENCRYPTION_NOTICES: &[&str] = &[
    "Messages and calls are end-to-end encrypted",
    "Messages to this group are now secured with end-to-end encryption",
    "Messages to this chat and calls are now secured with end-to-end encryption",
    "Messages you send to this group are now secured with end-to-end encryption",
    "Messages you send to this chat and calls are now secured with end-to-end encryption",
    "Messages to yourself are end-to-end encrypted",
    "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
    "Los mensajes y las llamadas están cifrados de extremo a extremo",
    "Los mensajes y llamadas están cifrados de extremo a extremo",
    "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta",
    "As mensagens e chamadas são protegidas com a criptografia de ponta a ponta",
    "Les messages et les appels sont chiffrés de bout en bout",
    "I messaggi e le chiamate sono crittografati end-to-end",
    "Berichten en oproepen worden end-to-end versleuteld",
    "Сообщения и звонки защищены сквозным шифрованием",
    "Mesajlar ve aramalar uçtan uca şifrelidir",
    "Pesan dan panggilan terenkripsi secara end-to-end",
    "Zprávy a hovory jsou zabezpečeny koncovým šifrováním",
    "Viestit ja puhelut ovat päästä päähän salattuja",
    "Poruke i pozivi zaštićeni su",
    "الرسائل والمكالمات مشفرة تمامًا بين الطرفين",
    "消息和通话已进行端到端加密",
    "メッセージと通話はエンドツーエンド暗号化されています",
    "메시지와 통화는 종단간 암호화되어",
];

/// Wording that only WhatsApp writes, found anywhere in a one-line body.
const EVENT_WORDING: &[&str] = &[
    "changed this group's icon",
    "changed this group’s icon",
    "deleted this group's icon",
    "deleted this group’s icon",
    "changed the group description",
    "deleted the group description",
    "changed this group's settings",
    "changed this group’s settings",
    "changed the subject from ",
    "changed the subject to ",
    "changed the group name",
    "joined using this group's invite link",
    "joined using this group’s invite link",
    "joined using an invite link",
    "joined from the community",
    "added you to a group in the community",
    "changed their phone number",
    "security code with ",
    "'s security code changed",
    "’s security code changed",
    "disappearing messages",
    "the message timer",
    "this contact. Tap to",
    "turned on advanced chat privacy",
    "turned off advanced chat privacy",
    "This chat is with a business account",
    "created this group",
    "pinned a message",
    // The security code and disappearing-message notices, in the languages of the export
    // formats catalog (docs/formats.md).
    "Sicherheitsnummer",
    "código de seguridad",
    "código de segurança",
    "code de sécurité",
    "codice di sicurezza",
    "beveiligingscode",
    "код безопасности",
    "güvenlik kodu",
    "Kode keamanan",
    "sigurnosni kôd",
    "turvakoodi",
    "selbstlöschende Nachrichten",
    "mensajes temporales",
    "mensagens temporárias",
    "messages éphémères",
    "messaggi effimeri",
    "verdwijnende berichten",
    "исчезающие сообщения",
    "süreli mesajlar",
    "pesan sementara",
    "hat das Gruppenbild geändert",
    "hat die Gruppenbeschreibung geändert",
    "hat den Betreff ",
    "mit dem Einladungslink beigetreten",
    "hat die Gruppe verlassen",
    "cambió el icono de este grupo",
    "cambió la descripción del grupo",
    "cambió el asunto",
    "se unió usando el enlace de invitación",
    "alterou a imagem deste grupo",
    "alterou a descrição do grupo",
    "mudou o assunto",
    "entrou usando o link de convite",
    "a changé l'icône de ce groupe",
    "a changé l’icône de ce groupe",
    "a modifié le sujet",
    "grâce au lien d'invitation",
    "grâce au lien d’invitation",
    "ha cambiato l'immagine del gruppo",
    "ha cambiato l’immagine del gruppo",
    "ha cambiato l'oggetto",
    "usando il link d'invito",
    "heeft de groepsafbeelding gewijzigd",
    "heeft het onderwerp gewijzigd",
    "via de uitnodigingslink van deze groep",
    "heeft de groep verlaten",
    "изменил(-а) картинку группы",
    "изменил(-а) тему",
    "присоединился(-ась) к группе",
    "покинул(-а) группу",
    "bu grubun simgesini değiştirdi",
    "davet bağlantısını kullanarak katıldı",
    "telah mengubah ikon grup ini",
    "menggunakan tautan undangan grup ini",
];

/// Openings of events told to the exporter ("You …") or about the group itself.
const EVENT_OPENINGS: &[&str] = &[
    "You created group ",
    "You added ",
    "You removed ",
    "You left",
    "You joined ",
    "You changed ",
    "You deleted this group",
    "You're now an admin",
    "You’re now an admin",
    "You're no longer an admin",
    "You’re no longer an admin",
    "You blocked this contact",
    "You unblocked this contact",
    "You turned on ",
    "You turned off ",
    "You updated the message timer",
    "A participant changed ",
    "Du hast die Gruppe ",
    "Du hast ",
    "Creaste el grupo ",
    "Añadiste a ",
    "Você criou o grupo ",
    "Você adicionou ",
    "Vous avez créé le groupe ",
    "Vous avez ajouté ",
    "Hai creato il gruppo ",
    "Hai aggiunto ",
    "U hebt de groep ",
    "Вы создали группу ",
    "Вы добавили ",
    "Anda membuat grup ",
    "Anda menambahkan ",
];

/// `NAME verb NAME` and `NAME verb` events: the words between names (or after one).
const NAME_VERB_NAME: &[&str] = &[
    " added ",
    " removed ",
    " created group ",
    " hat die Gruppe ",
    " añadió a ",
    " eliminó a ",
    " creó el grupo ",
    " adicionou ",
    " removeu ",
    " criou o grupo ",
    " a ajouté ",
    " a retiré ",
    " a créé le groupe ",
    " ha aggiunto ",
    " ha rimosso ",
    " ha creato il gruppo ",
    " heeft ",
    " добавил(-а) ",
    " удалил(-а) ",
    " создал(-а) группу ",
    " menambahkan ",
    " mengeluarkan ",
    " membuat grup ",
];

/// `NAME verb`: the words that end a one-name event.
const NAME_VERB: &[&str] = &[
    " left",
    " added you",
    " removed you",
    " was added",
    " were added",
    " was removed",
    " joined",
    " hat die Gruppe verlassen",
    " wurde hinzugefügt",
    " hinzugefügt",
    " salió",
    " saiu",
    " est parti",
    " est partie",
    " ha abbandonato",
    " heeft de groep verlaten",
    " toegevoegd",
    " покинул(-а) группу",
    " ayrıldı",
    " kişisini ekledi",
    " keluar",
    " bu grubu oluşturdu",
];

/// The first two bytes the notices may start with: most bodies are ruled out by one lookup.
fn notice_openings() -> &'static FirstBytes {
    static CELL: OnceLock<FirstBytes> = OnceLock::new();
    CELL.get_or_init(|| FirstBytes::of(ENCRYPTION_NOTICES))
}

/// The shortest notice's length in bytes: most bodies are shorter, and are ruled out first.
const SHORTEST_NOTICE: usize = 30;

/// Whether a one-line body is WhatsApp's end-to-end encryption notice.
#[inline]
pub fn is_encryption_notice(line: &str) -> bool {
    line.len() >= SHORTEST_NOTICE
        && notice_openings().may_start(line)
        && ENCRYPTION_NOTICES
            .iter()
            .any(|notice| lowercase_starts_with(line, notice))
}

/// Whether a marked one-line body reads as one of WhatsApp's events.
pub fn reads_as_event(line: &str) -> bool {
    if is_encryption_notice(line) {
        return true;
    }
    if line.contains('\n') {
        return false;
    }
    if EVENT_WORDING.iter().any(|w| line.contains(w))
        || EVENT_OPENINGS.iter().any(|o| line.starts_with(o))
    {
        return true;
    }
    let named = |s: &str| looks_like_a_name(s);
    NAME_VERB_NAME.iter().any(|verb| {
        line.split_once(verb)
            .is_some_and(|(who, whom)| named(who) && named(whom))
    }) || NAME_VERB
        .iter()
        .any(|verb| line.strip_suffix(verb).is_some_and(named))
}

/// A display name or phone number as events write them: short, one clause, no sentence
/// punctuation, and not a pronoun (`I added the photos` is a person talking).
fn looks_like_a_name(s: &str) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    !s.is_empty()
        && words <= 6
        && s.chars().count() <= 60
        && !s.contains(['.', '!', '?', ',', ';', '\n'])
        && !matches!(
            s.to_lowercase().as_str(),
            "i" | "we" | "he" | "she" | "they" | "it" | "ich" | "wir" | "yo" | "eu" | "je"
        )
        && s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '+' || c == '~' || !c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_in_many_languages() {
        assert_eq!(
            ENCRYPTION_NOTICES.iter().map(|n| n.len()).min(),
            Some(SHORTEST_NOTICE)
        );
        assert!(is_encryption_notice(
            "Messages and calls are end-to-end encrypted. No one outside of this chat can read them."
        ));
        assert!(is_encryption_notice(
            "messages and calls are end-to-end encrypted."
        ));
        assert!(is_encryption_notice(
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb."
        ));
        assert!(is_encryption_notice(
            "Сообщения и звонки защищены сквозным шифрованием."
        ));
        assert!(!is_encryption_notice("Are messages end-to-end encrypted?"));
    }

    #[test]
    fn events_read_as_events() {
        for event in [
            "Rita Alves added you",
            "Rita Alves added Ben",
            "+44 7700 900123 left",
            "Burak Kaya bu grubu oluşturdu",
            "Boris created group “Hiking”",
            "You're now an admin",
            "Rita changed this group's icon",
            "Your security code with Ben changed. Tap to learn more.",
            "Mia hat die Gruppe verlassen",
        ] {
            assert!(reads_as_event(event), "{event}");
        }
    }

    #[test]
    fn people_talking_are_not_events() {
        for text in [
            "No idea, lets try it out!",
            "I added the photos to the album",
            "we left early",
            "ok",
            "The heater has left the building. Finally.",
            "Have you added the photos? They left me out!",
        ] {
            assert!(!reads_as_event(text), "{text}");
        }
    }
}
