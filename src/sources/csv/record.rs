//! One record of a CSV file as bytes (`Record`, and `RecordRef` borrowing one),
//! and `Batch`: many records in two flat buffers, what the audit hands to a worker
//! thread without an allocation per record. `records` reads them.

use super::reader::line_breaks;

/// One record: its cells as bytes, where it starts, and on which line.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The line of the record's first character; the first line is 1.
    pub line: u64,
    /// The offset of its first byte in the file.
    pub start: u64,
    /// Its last cell opens a quote the file never closes: the record ran to the
    /// end of the file (an odd number of quotes in a record that ends there).
    pub open_quote: bool,
    /// A quote stands where CSV does not allow one: inside a cell that does not
    /// start with a quote, or followed by text after a cell's closing quote. The
    /// cells are read as csv_core reads them, which may not be what was meant.
    pub stray_quote: bool,
    pub(super) data: Vec<u8>,
    pub(super) starts: Vec<usize>,
    pub(super) ends: Vec<usize>,
}

impl Record {
    /// How many cells it has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn view(&self) -> RecordRef<'_> {
        RecordRef {
            line: self.line,
            open_quote: self.open_quote,
            stray_quote: self.stray_quote,
            data: &self.data,
            starts: &self.starts,
            ends: &self.ends,
        }
    }
}

/// A record borrowed from a `Record` or a `Batch`.
#[derive(Copy, Clone, Debug)]
pub struct RecordRef<'a> {
    pub line: u64,
    /// See `Record::open_quote`.
    pub open_quote: bool,
    /// See `Record::stray_quote`.
    pub stray_quote: bool,
    /// The cells' bytes: one after the other, or (for a plain line) the line as
    /// written, commas and wrapping quotes included.
    pub data: &'a [u8],
    /// Where each cell starts and ends in `data`.
    pub starts: &'a [usize],
    pub ends: &'a [usize],
}

impl<'a> RecordRef<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub(crate) fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.ends[i]
    }

    pub fn cell(&self, i: usize) -> &'a [u8] {
        &self.data[self.range(i)]
    }

    /// How many lines the record spans (quoted line breaks make it more than 1).
    pub fn lines_spanned(&self) -> usize {
        1 + line_breaks(self.data, false).0 as usize
    }
}

/// Many records in two flat buffers: what the audit hands to a worker thread,
/// without an allocation per record.
#[derive(Debug, Default)]
pub struct Batch {
    pub(super) data: Vec<u8>,
    pub(super) starts: Vec<usize>,
    pub(super) ends: Vec<usize>,
    pub(super) records: Vec<Span>,
}

/// Where one record of a `Batch` is.
#[derive(Copy, Clone, Debug)]
pub(super) struct Span {
    pub(super) line: u64,
    pub(super) open_quote: bool,
    pub(super) stray_quote: bool,
    /// Its first cell in `starts`/`ends`, how many cells, its first byte in `data`.
    pub(super) first_end: usize,
    pub(super) cells: usize,
    pub(super) first_byte: usize,
}

impl Batch {
    pub fn clear(&mut self) {
        self.data.clear();
        self.starts.clear();
        self.ends.clear();
        self.records.clear();
    }

    pub fn push(&mut self, r: &Record) {
        self.records.push(Span {
            line: r.line,
            open_quote: r.open_quote,
            stray_quote: r.stray_quote,
            first_end: self.ends.len(),
            cells: r.ends.len(),
            first_byte: self.data.len(),
        });
        self.data.extend_from_slice(&r.data);
        self.starts.extend_from_slice(&r.starts);
        self.ends.extend_from_slice(&r.ends);
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes held, to size batches by volume rather than count.
    pub fn bytes(&self) -> usize {
        self.data.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = RecordRef<'_>> {
        self.records.iter().enumerate().map(|(k, r)| {
            let end = self
                .records
                .get(k + 1)
                .map_or(self.data.len(), |next| next.first_byte);
            RecordRef {
                line: r.line,
                open_quote: r.open_quote,
                stray_quote: r.stray_quote,
                data: &self.data[r.first_byte..end],
                starts: &self.starts[r.first_end..r.first_end + r.cells],
                ends: &self.ends[r.first_end..r.first_end + r.cells],
            }
        })
    }
}
