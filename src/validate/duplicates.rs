//! Duplicates across rows: the same normalised email, phone number or CINNOX ID on
//! two or more rows. A million rows carry two million keys, so the index holds a
//! 32-bit hash, the line and the column of each key, and the normalised bytes in
//! one arena. At the end the hashes are sorted (cheaper than a hash map fed two
//! million keys one by one) and keys whose hashes meet are compared byte for byte,
//! so a hash collision never makes a false duplicate.

use super::rules::{Rule, Severity};
use super::violation::{Subject, Violation};
use std::hash::{DefaultHasher, Hash, Hasher};

/// What kind of value a key is; only keys of the same kind are compared.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Email,
    Phone,
    Id,
}

impl KeyKind {
    fn noun(self) -> &'static str {
        match self {
            KeyKind::Email => "email",
            KeyKind::Phone => "phone number",
            KeyKind::Id => "CINNOX ID",
        }
    }
}

/// One key of one row, in 32 bytes: a million rows carry two million of them.
#[derive(Copy, Clone, Debug)]
struct Entry {
    /// 32 bits of the key's hash: keys whose hashes meet are compared byte for byte,
    /// so a collision costs a comparison, never a false duplicate.
    hash: u32,
    /// The line, counted from the first key's line of the batch; `FAR` when it is
    /// not within 4 billion lines after it, and then `Keys::far_lines` holds it.
    line: u32,
    /// The normalised value at `off..off + len` in the arena; the cell as written
    /// follows it when it differs (`raw_len`), else `raw_len` is `SAME`.
    off: usize,
    len: u32,
    raw_len: u32,
    column: u32,
    subject: Subject,
    kind: KeyKind,
}

const FAR: u32 = u32::MAX;
const SAME: u32 = u32::MAX;

/// Keys gathered by a worker for one batch of rows, hashed off the merge thread.
#[derive(Debug, Default)]
pub struct Keys {
    entries: Vec<Entry>,
    arena: Vec<u8>,
    first_line: u64,
    /// `(entry, line)` of the keys whose line is `FAR` (none, in any real file).
    far_lines: Vec<(usize, u64)>,
}

impl Keys {
    /// Adds the key `normalised` of the cell `raw` at `line`, `column`. A value of
    /// 4 GiB or more is no email, phone number or id, and is not indexed.
    pub fn push(
        &mut self,
        kind: KeyKind,
        line: u64,
        column: usize,
        subject: Subject,
        normalised: &str,
        raw: &str,
    ) {
        let fits = |n: usize| u32::try_from(n).ok().filter(|n| *n != SAME);
        let (Some(len), Some(raw_len), Some(column)) =
            (fits(normalised.len()), fits(raw.len()), fits(column))
        else {
            return;
        };
        let mut h = DefaultHasher::new();
        (kind, normalised).hash(&mut h);
        if self.entries.is_empty() {
            self.first_line = line;
        }
        let near = line
            .checked_sub(self.first_line)
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| *d != FAR);
        if near.is_none() {
            self.far_lines.push((self.entries.len(), line));
        }
        let off = self.arena.len();
        self.arena.extend_from_slice(normalised.as_bytes());
        let raw_len = if raw == normalised {
            SAME
        } else {
            self.arena.extend_from_slice(raw.as_bytes());
            raw_len
        };
        self.entries.push(Entry {
            // The low half of the 64-bit hash.
            hash: h.finish() as u32,
            line: near.unwrap_or(FAR),
            off,
            len,
            raw_len,
            column,
            subject,
            kind,
        });
    }

    /// The line of the key at `index`.
    fn line(&self, index: usize) -> u64 {
        match self.entries[index].line {
            FAR => self
                .far_lines
                .binary_search_by_key(&index, |(i, _)| *i)
                .map_or(self.first_line, |at| self.far_lines[at].1),
            near => self.first_line + u64::from(near),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Every key of the file, fed in line order. Each batch's keys stay where the
/// worker built them (no copy into one growing table, which would hold the old and
/// the new table at once whenever it grew); `finish` indexes them all at once.
#[derive(Default)]
pub struct DuplicateIndex {
    batches: Vec<Keys>,
}

/// Where a key is: its batch and its place in it.
#[derive(Copy, Clone)]
struct At {
    batch: u32,
    entry: u32,
}

impl DuplicateIndex {
    /// Adds a batch of keys (batches must come in line order).
    pub fn add(&mut self, keys: Keys) {
        if !keys.is_empty() {
            self.batches.push(keys);
        }
    }

    fn entry(&self, at: At) -> (&Keys, &Entry) {
        let keys = &self.batches[at.batch as usize];
        (keys, &keys.entries[at.entry as usize])
    }

    fn line(&self, at: At) -> u64 {
        self.batches[at.batch as usize].line(at.entry as usize)
    }

    fn normalised(&self, at: At) -> &[u8] {
        let (keys, e) = self.entry(at);
        &keys.arena[e.off..e.off + e.len as usize]
    }

    fn raw(&self, at: At) -> String {
        let (keys, e) = self.entry(at);
        let bytes = if e.raw_len == SAME {
            self.normalised(at)
        } else {
            let start = e.off + e.len as usize;
            &keys.arena[start..start + e.raw_len as usize]
        };
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// `(hash, where)` for every key, sorted by hash, in one allocation of the
    /// exact size. More than 4 billion batches or keys in a batch would not fit in
    /// memory long before this.
    fn sorted_hashes(&self) -> Vec<(u32, At)> {
        let total = self.batches.iter().map(Keys::len).sum();
        let mut hashes = Vec::with_capacity(total);
        for (b, keys) in self.batches.iter().enumerate() {
            let batch = u32::try_from(b).unwrap_or(u32::MAX);
            hashes.extend(keys.entries.iter().enumerate().map(|(i, e)| {
                let entry = u32::try_from(i).unwrap_or(u32::MAX);
                (e.hash, At { batch, entry })
            }));
        }
        // Equal hashes stay in line order, as the keys came.
        hashes.sort_unstable_by_key(|(h, at)| (*h, at.batch, at.entry));
        hashes
    }

    /// A `duplicate` warning for every key whose value appears on another line,
    /// naming the other line(s). `header` names the columns.
    pub fn finish(self, header: &[String]) -> Vec<Violation> {
        let hashes = self.sorted_hashes();
        let mut out = Vec::new();
        for run in hashes.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            let mut chain: Vec<At> = run.iter().map(|(_, at)| *at).collect();
            // Same hash: split by kind and exact bytes.
            while let Some(first) = chain.first().copied() {
                let kind = self.entry(first).1.kind;
                let (same, rest): (Vec<At>, Vec<At>) = chain.into_iter().partition(|at| {
                    self.entry(*at).1.kind == kind && self.normalised(*at) == self.normalised(first)
                });
                chain = rest;
                self.report_group(same, header, &mut out);
            }
        }
        out.sort_by_key(|v| (v.line, v.column));
        out
    }

    fn report_group(&self, mut group: Vec<At>, header: &[String], out: &mut Vec<Violation>) {
        group.sort_by_key(|at| (self.line(*at), self.entry(*at).1.column));
        let mut lines: Vec<u64> = group.iter().map(|at| self.line(*at)).collect();
        lines.dedup();
        if lines.len() < 2 {
            return;
        }
        for &at in &group {
            let (e, line) = (self.entry(at).1, self.line(at));
            let column = header.get(e.column as usize).map_or("", String::as_str);
            out.push(Violation {
                line,
                column: Some(e.column as usize),
                subject: e.subject,
                rule: Rule::Duplicate,
                severity: Severity::Warning,
                value: self.raw(at),
                message: format!(
                    "{column} has the same {} as {}",
                    e.kind.noun(),
                    other_lines(&lines, line)
                ),
                suggestion: None,
                guess: None,
                related: Vec::new(),
            });
        }
    }
}

/// "line 17", "lines 17 and 230", "lines 17, 230, 412, 988, 1203 and 37 more".
fn other_lines(lines: &[u64], own: u64) -> String {
    const SHOWN: usize = 5;
    let others: Vec<u64> = lines.iter().copied().filter(|l| *l != own).collect();
    let listed: Vec<String> = others.iter().take(SHOWN).map(u64::to_string).collect();
    match others.len() {
        1 => format!("line {}", listed[0]),
        n if n <= SHOWN => format!("lines {} and {}", listed[..n - 1].join(", "), listed[n - 1]),
        n => format!("lines {} and {} more", listed.join(", "), n - SHOWN),
    }
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;
