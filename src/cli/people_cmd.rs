//! `whatscope people`: the people of the archive, and merging or splitting their names
//! (see `docs/people.md`).

use super::style::Style;
use super::GlobalArgs;
use crate::error::UserError;
use crate::index::archive::{data_dir, Archive};
use crate::output::write_json_line;
use crate::people::listing::{self, PersonRow};
use crate::people::{suggest, People};
use crate::privacy::pseudonym::normalise_name;
use crate::sanitize::{to_display, Mode};
use std::io::Write;

fn open(global: &GlobalArgs) -> Result<Archive, crate::ops::Error> {
    crate::ops::open(&data_dir(global.data_dir.as_deref())?)
}

/// The people, merges applied; in an anonymized view every name is the person's pseudonym.
fn rows(archive: &Archive, people: &People, anonymize: bool) -> anyhow::Result<Vec<PersonRow>> {
    let mut rows = listing::list(archive, people)?;
    if anonymize {
        let anon = crate::people::masks::anonymizer(archive)?;
        for r in &mut rows {
            // The pseudonym of the person's names (a display name given to a merge is no
            // sender, and has none of its own).
            let pseudonym = anon.sender(r.names.first().unwrap_or(&r.person));
            r.names = vec![pseudonym.clone()];
            r.person = pseudonym;
            for c in &mut r.chats {
                *c = anon.chat(c);
            }
        }
        rows.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.person.cmp(&b.person)));
    }
    Ok(rows)
}

pub fn list(global: &GlobalArgs, json: bool) -> anyhow::Result<()> {
    let archive = open(global)?;
    let people = People::load(&archive.dir)?;
    let rows = rows(&archive, &people, global.anonymize)?;
    let mut out = super::stdout();
    if json {
        write_json_line(&mut out, &rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(
            out,
            "the archive holds nobody yet: import an export with `whatscope import PATH`"
        )?;
        return Ok(());
    }
    let style = Style::for_stdout();
    for r in &rows {
        let also: Vec<String> = r
            .names
            .iter()
            .filter(|n| **n != r.person)
            .map(|n| style.text(n, Mode::OneLine).into_owned())
            .collect();
        let chats: Vec<String> = r
            .chats
            .iter()
            .map(|c| style.text(c, Mode::OneLine).into_owned())
            .collect();
        writeln!(
            out,
            "{}  {} · {} → {} · {}{}",
            style.text(&r.person, Mode::OneLine),
            if r.messages == 1 {
                "1 message".to_string()
            } else {
                format!("{} messages", r.messages)
            },
            &r.first[..10.min(r.first.len())],
            &r.last[..10.min(r.last.len())],
            chats.join(", "),
            if also.is_empty() {
                String::new()
            } else {
                format!(" · also {}", also.join(", "))
            }
        )?;
    }
    Ok(())
}

/// The stored sender name for `given`, compared folded, or an error naming the closest.
fn known_name(archive: &Archive, given: &str) -> anyhow::Result<String> {
    let names = crate::index::query::Names::from_searcher(&archive.searcher())
        .map_err(crate::index::Error::read)?;
    let want = normalise_name(given);
    if let Some(n) = names.senders().find(|n| normalise_name(n) == want) {
        return Ok(n);
    }
    let close = crate::ops::forget::suggestions(archive, given)?;
    let hint = if close.is_empty() {
        "`whatscope people` lists everybody's names".to_string()
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    Err(
        UserError::new(format!("people: nobody named \"{given}\" in the archive"))
            .hint(hint)
            .into(),
    )
}

pub fn merge(global: &GlobalArgs, names: &[String], display: Option<&str>) -> anyhow::Result<()> {
    no_anonymized(global, "merge")?;
    let archive = open(global)?;
    let known: Vec<String> = names
        .iter()
        .map(|n| known_name(&archive, n))
        .collect::<Result<_, _>>()?;
    let mut people = People::load(&archive.dir)?;
    let person = people.merge(&known, display).clone();
    people.save(&archive.dir)?;
    // Messages for people go to stderr, always shown safely.
    let shown: Vec<String> = person
        .names
        .iter()
        .map(|n| to_display(n, Mode::OneLine).into_owned())
        .collect();
    eprintln!(
        "{} is one person now: {}",
        to_display(&person.display, Mode::OneLine),
        shown.join(", ")
    );
    Ok(())
}

pub fn split(global: &GlobalArgs, name: &str) -> anyhow::Result<()> {
    no_anonymized(global, "split")?;
    let archive = open(global)?;
    let mut people = People::load(&archive.dir)?;
    if !people.split(name) {
        return Err(UserError::new(format!(
            "people split: \"{name}\" is not merged with anybody"
        ))
        .hint("`whatscope people` lists the people and their names")
        .into());
    }
    people.save(&archive.dir)?;
    eprintln!(
        "{} is a person of their own again",
        to_display(name, Mode::OneLine)
    );
    Ok(())
}

pub fn suggest(global: &GlobalArgs, json: bool) -> anyhow::Result<()> {
    let archive = open(global)?;
    let people = People::load(&archive.dir)?;
    let rows = listing::list(&archive, &people)?;
    let mut found = suggest::suggest(&archive, &rows)?;
    if global.anonymize {
        let anon = crate::people::masks::anonymizer(&archive)?;
        for s in &mut found {
            for n in &mut s.names {
                *n = anon.sender(n);
            }
            s.reason = anon.text(&s.reason);
        }
    }
    let mut out = super::stdout();
    if json {
        write_json_line(&mut out, &found)?;
        return Ok(());
    }
    if found.is_empty() {
        writeln!(out, "no suggestions: nobody looks like somebody else")?;
        return Ok(());
    }
    let style = Style::for_stdout();
    for s in &found {
        let names: Vec<String> = s
            .names
            .iter()
            .map(|n| format!("\"{}\"", style.text(n, Mode::OneLine)))
            .collect();
        writeln!(
            out,
            "{}: {}",
            names.join(" + "),
            style.text(&s.reason, Mode::OneLine)
        )?;
        if !global.anonymize {
            writeln!(out, "  whatscope people merge {}", names.join(" "))?;
        }
    }
    Ok(())
}

/// Merging shows names; the anonymized view must not make the user type or see them.
fn no_anonymized(global: &GlobalArgs, what: &str) -> Result<(), UserError> {
    if global.anonymize {
        return Err(UserError::new(format!(
            "people {what}: --anonymize does not apply (merging works on real names)"
        ))
        .hint("run it without --anonymize"));
    }
    Ok(())
}
