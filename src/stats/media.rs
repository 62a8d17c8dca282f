//! `media_types` (docs/statistics.md): how many attachments of each type the counted
//! messages hold, overall and per participant ("who sends the photos, who the voice notes"),
//! read from the `has` field's `media-TYPE` postings (`index::media`), so only the messages
//! with an attachment are touched.

use super::{Error, Stats};
use crate::import::media::MediaType;
use crate::index::columns::NONE;
use crate::index::media::types_of_segment;
use crate::index::schema::Fields;
use crate::people::Interner;
use std::collections::BTreeMap;
use tantivy::{DocId, SegmentReader};

/// Counts per type (index: `MediaType::code() - 1`), overall and per sender id.
#[derive(Default)]
pub(super) struct MediaCounts {
    overall: [u64; MediaType::ALL.len()],
    per_sender: Vec<[u64; MediaType::ALL.len()]>,
}

impl MediaCounts {
    /// Adds the attachments of one segment's selected messages (`sender`: the segment's
    /// sender ids, `NONE` for events, which are not counted, as in `messages`).
    pub(super) fn add_segment(
        &mut self,
        reader: &SegmentReader,
        fields: &Fields,
        selected: &[DocId],
        sender: &[u32],
    ) -> Result<(), Error> {
        let types = types_of_segment(reader, fields)?;
        for &doc in selected {
            let d = doc as usize;
            let (Some(&code), Some(&who)) = (types.get(d), sender.get(d)) else {
                continue;
            };
            if code == 0 || who == NONE {
                continue;
            }
            let slot = usize::from(code - 1);
            self.overall[slot] += 1;
            let who = who as usize;
            if who >= self.per_sender.len() {
                self.per_sender.resize(who + 1, [0; MediaType::ALL.len()]);
            }
            self.per_sender[who][slot] += 1;
        }
        Ok(())
    }

    /// Writes the counts into the statistics, each participant's by their sender id's name.
    pub(super) fn finish(self, stats: &mut Stats, senders: &Interner) {
        stats.media_types = as_map(&self.overall);
        for (id, counts) in self.per_sender.iter().enumerate() {
            let Some(name) = senders.names.get(id) else {
                continue;
            };
            if let Some(p) = stats.participants.iter_mut().find(|p| &p.name == name) {
                p.media_types = as_map(counts);
            }
        }
    }
}

/// `{type: count}` of the types present.
fn as_map(counts: &[u64; MediaType::ALL.len()]) -> BTreeMap<String, u64> {
    MediaType::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| (t.as_str().to_string(), *n))
        .collect()
}
