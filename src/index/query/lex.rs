//! Lexing the query language: tokens into clauses, `OR`s, `AND`s and `NOT`s, then `AND`/`NOT`
//! resolved and the clauses grouped by `OR` (the grammar is in the parent module's docs).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filter {
    From,
    Chat,
    After,
    Before,
    Kind,
    Has,
}

impl Filter {
    pub(super) fn parse(name: &str) -> Option<Filter> {
        const NAMES: [(&str, Filter); 6] = [
            ("from", Filter::From),
            ("chat", Filter::Chat),
            ("after", Filter::After),
            ("before", Filter::Before),
            ("kind", Filter::Kind),
            ("has", Filter::Has),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Filter::From => "from",
            Filter::Chat => "chat",
            Filter::After => "after",
            Filter::Before => "before",
            Filter::Kind => "kind",
            Filter::Has => "has",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// As typed, possibly ending in `*` or `~`.
    Bare(String),
    /// Between quotes: an exact phrase.
    Quoted(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clause {
    pub(super) negated: bool,
    /// `None` for words and phrases.
    pub(super) filter: Option<Filter>,
    pub(super) value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Lexeme {
    Or,
    And,
    Not,
    Clause(Clause),
}

/// Splits the input into clauses and `OR`s.
pub(super) fn lex(input: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let mut negated = false;
        if let Some(after) = rest.strip_prefix('-') {
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                rest = after; // a lone `-`: nothing to exclude
                continue;
            }
            negated = true;
            rest = after;
        }
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, tail) = quoted(after);
            out.push(Lexeme::Clause(Clause {
                negated,
                filter: None,
                value: Value::Quoted(phrase.to_owned()),
            }));
            rest = tail;
            continue;
        }
        // A bare run: up to white space or a quote.
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        if !negated {
            let operator = match run {
                "OR" => Some(Lexeme::Or),
                "AND" => Some(Lexeme::And),
                "NOT" => Some(Lexeme::Not),
                _ => None,
            };
            if let Some(operator) = operator {
                out.push(operator);
                continue;
            }
        }
        let filter = run
            .split_once(':')
            .and_then(|(name, value)| Some((Filter::parse(name)?, value)));
        let clause = match filter {
            Some((filter, "")) if rest.starts_with('"') => {
                let (phrase, tail) = quoted(&rest[1..]);
                rest = tail;
                Clause {
                    negated,
                    filter: Some(filter),
                    value: Value::Quoted(phrase.to_owned()),
                }
            }
            Some((filter, value)) => Clause {
                negated,
                filter: Some(filter),
                value: Value::Bare(value.to_owned()),
            },
            None => Clause {
                negated,
                filter: None,
                value: Value::Bare(run.to_owned()),
            },
        };
        out.push(Lexeme::Clause(clause));
    }
    out
}

/// The text up to the closing quote (or the end), and what follows the closing quote.
fn quoted(after_open: &str) -> (&str, &str) {
    match after_open.find('"') {
        Some(i) => (&after_open[..i], &after_open[i + 1..]),
        None => (after_open, ""),
    }
}

/// `AND` and `NOT` read as the operators they obviously are: `AND` between two clauses is
/// dropped (clauses are ANDed anyway), `NOT` before a positive clause excludes it. Anywhere
/// else each is the word "and" or "not". `OR` is left for [`group`].
pub(super) fn resolve_and_not(lexemes: Vec<Lexeme>) -> Vec<Lexeme> {
    let word = |w: &str| {
        Lexeme::Clause(Clause {
            negated: false,
            filter: None,
            value: Value::Bare(w.to_owned()),
        })
    };
    let mut out: Vec<Lexeme> = Vec::with_capacity(lexemes.len());
    let mut rest = lexemes.into_iter().peekable();
    while let Some(lexeme) = rest.next() {
        match lexeme {
            Lexeme::And => {
                let after_clause = matches!(out.last(), Some(Lexeme::Clause(_)));
                let before_clause = matches!(rest.peek(), Some(Lexeme::Clause(_) | Lexeme::Not));
                if !(after_clause && before_clause) {
                    out.push(word("and"));
                }
            }
            Lexeme::Not => match rest.peek() {
                Some(Lexeme::Clause(c)) if !c.negated => {
                    let mut c = c.clone();
                    c.negated = true;
                    rest.next();
                    out.push(Lexeme::Clause(c));
                }
                _ => out.push(word("not")),
            },
            other => out.push(other),
        }
    }
    out
}

/// Groups clauses joined by `OR`; each group is one AND-ed clause whose members are OR-ed.
/// Excluded clauses never join a group; an `OR` without a positive clause on both sides
/// becomes the word "or".
pub(super) fn group(lexemes: Vec<Lexeme>) -> Vec<Vec<Clause>> {
    let positive = |l: Option<&Lexeme>| matches!(l, Some(Lexeme::Clause(c)) if !c.negated);
    let mut groups: Vec<Vec<Clause>> = Vec::new();
    let mut join_next = false;
    for (i, lexeme) in lexemes.iter().enumerate() {
        match lexeme {
            Lexeme::Or => {
                let joins = i > 0 && positive(lexemes.get(i - 1)) && positive(lexemes.get(i + 1));
                if joins {
                    join_next = true;
                } else {
                    groups.push(vec![Clause {
                        negated: false,
                        filter: None,
                        value: Value::Bare("or".to_owned()),
                    }]);
                }
            }
            Lexeme::Clause(c) => match groups.last_mut() {
                Some(last) if join_next => last.push(c.clone()),
                _ => groups.push(vec![c.clone()]),
            },
            // Resolved into clauses by `resolve_and_not` before grouping.
            Lexeme::And | Lexeme::Not => {}
        }
        if !matches!(lexeme, Lexeme::Or) {
            join_next = false;
        }
    }
    groups
}
