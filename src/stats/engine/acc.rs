//! The per-message sums of a statistics scope and how they become [`Stats`]: participants,
//! kinds, the calendar, top words, emoji and domains (docs/statistics.md).

use super::*;

/// One segment's string column (emoji, domain or word) with counts by term ordinal.
pub(super) struct Tally {
    pub(super) col: Option<StrColumn>,
    pub(super) counts: Vec<u32>,
}

/// The most frequent strings over every segment's counts: count descending, then string.
pub(super) fn top_of<'a>(
    parts: impl Iterator<Item = &'a Tally>,
) -> Result<Vec<(String, u64)>, Error> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    let mut single: Option<Vec<(String, u64)>> = None;
    let parts: Vec<&Tally> = parts.filter(|p| p.counts.iter().any(|c| *c > 0)).collect();
    for Tally { col, counts, .. } in &parts {
        let Some(col) = col else { continue };
        let mut nonzero: Vec<(u64, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(o, c)| (o as u64, u64::from(*c)))
            .collect();
        if parts.len() == 1 {
            // One segment: its ordinals are in string order, so the top needs only the few
            // strings it shows.
            nonzero.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            nonzero.truncate(TOP);
            let mut ords: Vec<u64> = nonzero.iter().map(|(o, _)| *o).collect();
            ords.sort_unstable();
            let names = resolve(col, &ords)?;
            let by_ord: HashMap<u64, String> = ords.into_iter().zip(names).collect();
            single = Some(
                nonzero
                    .into_iter()
                    .map(|(o, c)| (by_ord.get(&o).cloned().unwrap_or_default(), c))
                    .collect(),
            );
            break;
        }
        let ords: Vec<u64> = nonzero.iter().map(|(o, _)| *o).collect();
        for (name, (_, c)) in resolve(col, &ords)?.into_iter().zip(nonzero) {
            *totals.entry(name).or_default() += c;
        }
    }
    if let Some(top) = single {
        return Ok(top);
    }
    let mut all: Vec<(String, u64)> = totals.into_iter().collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.truncate(TOP);
    Ok(all)
}

#[derive(Default)]
pub(super) struct PAcc {
    pub(super) messages: u64,
    pub(super) words: u64,
    pub(super) media: u64,
    pub(super) deleted: u64,
    pub(super) links: u64,
    pub(super) emojis: u64,
    pub(super) first: i64,
    pub(super) last: i64,
    pub(super) sessions_started: u64,
    pub(super) responses: Vec<u32>,
}

/// Counts per day, dense over the days seen so far (a calendar span is a few thousand days).
#[derive(Default)]
pub(super) struct Days {
    pub(super) base: i64,
    pub(super) counts: Vec<u64>,
    pub(super) heat: [[u64; 24]; 7],
    /// The day counted last: its first second, its slot in `counts` and its weekday (messages
    /// come in time order mostly, so the next one is likely of the same day).
    last: Option<(i64, usize, usize)>,
}

impl Days {
    pub(super) fn add(&mut self, secs: i64) {
        if let Some((start, at, weekday)) = self.last {
            let into = secs.wrapping_sub(start);
            if (0..calendar::SECS_PER_DAY).contains(&into) {
                if let (Some(row), Some(n)) = (self.heat.get_mut(weekday), self.counts.get_mut(at))
                {
                    row[(into / 3600) as usize] += 1;
                    *n += 1;
                    return;
                }
            }
        }
        let day = calendar::day(secs);
        let weekday = calendar::weekday(day);
        self.heat[weekday][calendar::hour(secs)] += 1;
        *self.slot(day) += 1;
        let at = (day - self.base) as usize;
        self.last = Some((day * calendar::SECS_PER_DAY, at, weekday));
    }

    /// Adds counts made on another thread.
    pub(super) fn merge(&mut self, other: &Days) {
        // Merging may move the slots.
        self.last = None;
        for (mine, theirs) in self.heat.iter_mut().zip(&other.heat) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        for (day, count) in other.each() {
            *self.slot(day) += count;
        }
    }

    /// The count of `day`, made room for.
    fn slot(&mut self, day: i64) -> &mut u64 {
        if self.counts.is_empty() {
            self.base = day;
        }
        if day < self.base {
            // Room for as many days again as held: messages out of time order cost amortized
            // O(1), not a shift of the whole table each.
            let grow = (self.base - day) as usize + self.counts.len();
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.base -= grow as i64;
        }
        let at = (day - self.base) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        &mut self.counts[at]
    }

    pub(super) fn each(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (self.base + i as i64, *c))
    }
}

#[derive(Default)]
pub(super) struct Acc {
    pub(super) messages: u64,
    pub(super) system: u64,
    pub(super) kinds: [u64; Kind::ALL.len()],
    pub(super) first: Option<i64>,
    pub(super) last: Option<i64>,
    pub(super) days: Days,
    pub(super) people: Vec<Option<PAcc>>,
}

impl PAcc {
    /// Adds a person's sums made on another thread.
    fn merge(&mut self, other: PAcc) {
        self.messages += other.messages;
        self.words += other.words;
        self.media += other.media;
        self.deleted += other.deleted;
        self.links += other.links;
        self.emojis += other.emojis;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.sessions_started += other.sessions_started;
        self.responses.extend(other.responses);
    }
}

impl Acc {
    /// Adds sums made on another thread (the same figures as if one thread had made both).
    pub(super) fn merge(&mut self, other: Acc) {
        self.messages += other.messages;
        self.system += other.system;
        for (a, b) in self.kinds.iter_mut().zip(other.kinds) {
            *a += b;
        }
        self.first = either(self.first, other.first, i64::min);
        self.last = either(self.last, other.last, i64::max);
        self.days.merge(&other.days);
        for (id, p) in other.people.into_iter().enumerate() {
            if let Some(p) = p {
                self.participant(id as u32).merge(p);
            }
        }
    }

    pub(super) fn message(&mut self, kind: u64, secs: i64) {
        self.messages += 1;
        if let Some(k) = self.kinds.get_mut(kind as usize) {
            *k += 1;
        }
        self.first = Some(self.first.map_or(secs, |f| f.min(secs)));
        self.last = Some(self.last.map_or(secs, |l| l.max(secs)));
        self.days.add(secs);
    }

    pub(super) fn participant(&mut self, sender: u32) -> &mut PAcc {
        let i = sender as usize;
        if i >= self.people.len() {
            self.people.resize_with(i + 1, || None);
        }
        self.people[i].get_or_insert_with(|| PAcc {
            first: i64::MAX,
            last: i64::MIN,
            ..PAcc::default()
        })
    }

    pub(super) fn finish(
        mut self,
        scope: &Scope,
        senders: &Interner,
        interactions: PairCounts,
        tops: &[super::sum::SegmentTops],
        chats: u64,
        notes: Vec<String>,
    ) -> Result<Stats, Error> {
        let ts = |secs: i64| format_ts(&secs_to_ts(secs));
        let participants = self.participants(senders);
        let heat = self.days.heat;
        let by_weekday = heat.map(|row| row.iter().sum());
        let by_hour: [u64; 24] = std::array::from_fn(|h| heat.iter().map(|row| row[h]).sum());
        let (by_month, active_days) = self.months();
        let interactions = interaction_rows(interactions, senders);
        let k = |kind: Kind| self.kinds[kind.code() as usize];
        Ok(Stats {
            scope: scope.clone(),
            messages: self.messages,
            system: self.system,
            first: self.first.map(ts),
            last: self.last.map(ts),
            active_days,
            kinds: Kinds {
                text: k(Kind::Text),
                media: k(Kind::Media),
                deleted: k(Kind::Deleted),
                poll: k(Kind::Poll),
                location: k(Kind::Location),
                call: k(Kind::Call),
                hidden: k(Kind::Hidden),
                waiting: k(Kind::Waiting),
                system: self.system + k(Kind::System),
            },
            media_types: Default::default(),
            participants,
            by_hour,
            by_weekday,
            by_weekday_hour: heat,
            by_month,
            interactions,
            top_words: top_of(tops.iter().map(|t| &t.word))?
                .into_iter()
                .map(|(word, count)| WordCount { word, count })
                .collect(),
            top_emojis: top_of(tops.iter().map(|t| &t.emoji))?
                .into_iter()
                .map(|(emoji, count)| EmojiCount { emoji, count })
                .collect(),
            top_domains: top_of(tops.iter().map(|t| &t.domain))?
                .into_iter()
                .map(|(domain, count)| DomainCount { domain, count })
                .collect(),
            chats,
            per_chat: None,
            partners: None,
            notes,
        })
    }

    /// One row per person with messages in scope, most messages first.
    pub(super) fn participants(&mut self, senders: &Interner) -> Vec<Participant> {
        let ts = |secs: i64| format_ts(&secs_to_ts(secs));
        let name = |id: u32| senders.names.get(id as usize).cloned().unwrap_or_default();
        let mut participants: Vec<Participant> = Vec::new();
        for (id, p) in self.people.iter_mut().enumerate() {
            let Some(p) = p else { continue };
            if p.messages == 0 {
                continue;
            }
            let median = lower_median(&mut p.responses);
            participants.push(Participant {
                name: name(id as u32),
                messages: p.messages,
                words: p.words,
                media: p.media,
                deleted: p.deleted,
                links: p.links,
                emojis: p.emojis,
                first: Some(ts(p.first)),
                last: Some(ts(p.last)),
                sessions_started: p.sessions_started,
                median_response_secs: median,
                media_types: Default::default(),
            });
        }
        participants.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.name.cmp(&b.name)));
        participants
    }

    /// Messages per month from the first month to the last (empty months too), and the
    /// number of days with a message.
    pub(super) fn months(&self) -> (Vec<MonthCount>, u64) {
        let mut months: Vec<(i64, u64)> = Vec::new();
        let mut active_days = 0;
        for (day, count) in self.days.each() {
            active_days += 1;
            let m = calendar::month_index(day);
            match months.last_mut() {
                Some((last, c)) if *last == m => *c += count,
                _ => months.push((m, count)),
            }
        }
        let by_month = match (months.first(), months.last()) {
            (Some(&(lo, _)), Some(&(hi, _))) => {
                let mut all: Vec<MonthCount> = (lo..=hi)
                    .map(|m| MonthCount {
                        month: calendar::month_label(m),
                        messages: 0,
                    })
                    .collect();
                for (m, c) in months {
                    all[(m - lo) as usize].messages += c;
                }
                all
            }
            _ => Vec::new(),
        };
        (by_month, active_days)
    }
}

/// `pick` of two optional values, either when only one is there.
fn either(a: Option<i64>, b: Option<i64>, pick: fn(i64, i64) -> i64) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// Who replied to whom, most replies first.
pub(super) fn interaction_rows(interactions: PairCounts, senders: &Interner) -> Vec<Interaction> {
    let name = |id: u32| senders.names.get(id as usize).cloned().unwrap_or_default();
    let mut rows: Vec<Interaction> = interactions
        .into_iter()
        .map(|(pair, replies)| Interaction {
            from: name((pair >> 32) as u32),
            to: name(pair as u32),
            replies,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.replies
            .cmp(&a.replies)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    rows
}
