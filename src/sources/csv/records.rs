//! Records of a CSV file as bytes, with the exact line and byte where each
//! starts: `RecordReader` (streaming, any `Read`), filling a `Record` (in `record`,
//! with `Batch`, many records in two flat buffers for the audit's workers).
//!
//! It drives `csv_core` itself rather than using `csv::Reader`: the latter's record
//! positions point before the previous line break and any blank lines, so neither
//! line numbers nor byte spans of records would be exact. Plain lines (most lines
//! of most files: no line break or doubled quote inside quotes) are split directly,
//! several times faster than the general parser and with the same result (a
//! property test compares both). Lines end with `\n`, `\r\n` or a lone `\r` (old
//! Excel for Mac files), as csv_core ends records. A quote where CSV allows none is
//! noted on the record (`Record::stray_quote`, found by `QuoteScan`), so every
//! reader can report the row instead of taking its cells as meant.

use super::reader::{BOM, line_breaks};
use super::record::Span;
pub use super::record::{Batch, Record, RecordRef};
use std::io::{self, Read};

/// Reads records with exact lines and offsets; a UTF-8 BOM is skipped (and noted).
pub struct RecordReader<R> {
    inner: R,
    core: csv_core::Reader,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    line: u64,
    /// The last byte consumed was a `\r`: a `\n` right after it ends no new line.
    after_cr: bool,
    byte: u64,
    started: bool,
    bom: bool,
    /// Split quote-free lines directly (off only to test it against csv_core).
    shortcut: bool,
    scratch: Record,
}

/// Where a record's bytes stand with respect to quoting, byte by byte, to find a
/// quote CSV does not allow (the plain lines `simple_line` splits have none).
#[derive(Copy, Clone, Default)]
enum Quoting {
    /// At the start of a cell.
    #[default]
    Start,
    /// Inside a cell that did not start with a quote.
    Plain,
    /// Inside quotes.
    Quoted,
    /// Just after a quote inside quotes: the closing one, or the first of a pair.
    QuoteInQuoted,
}

/// Finds stray quotes in a record's bytes, fed in pieces as they are read.
#[derive(Default)]
struct QuoteScan {
    at: Quoting,
    stray: bool,
}

impl QuoteScan {
    fn feed(&mut self, bytes: &[u8]) {
        use Quoting::*;
        for &b in bytes {
            self.at = match (self.at, b) {
                (Start, b'"') => Quoted,
                (Start | Plain, b',' | b'\n' | b'\r') => Start,
                (Plain, b'"') => {
                    self.stray = true;
                    Plain
                }
                (Start | Plain, _) => Plain,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (QuoteInQuoted, b',' | b'\n' | b'\r') => Start,
                (QuoteInQuoted, _) => {
                    self.stray = true;
                    Plain
                }
            };
        }
    }
}

impl<R: Read> RecordReader<R> {
    pub fn new(inner: R) -> Self {
        RecordReader {
            inner,
            core: csv_core::Reader::new(),
            buf: vec![0; 1 << 18].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
            after_cr: false,
            byte: 0,
            started: false,
            bom: false,
            shortcut: true,
            scratch: Record::default(),
        }
    }

    /// Whether the input started with a UTF-8 BOM (known after the first read).
    pub fn had_bom(&self) -> bool {
        self.bom
    }

    /// Bytes consumed so far, for progress.
    pub fn position(&self) -> u64 {
        self.byte
    }

    /// Refills the buffer once it is used up; `false` at the end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.len {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.pos = 0;
        self.len = loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.eof = self.len == 0;
        Ok(!self.eof)
    }

    /// Reads the next record into `rec`; `false` at the end of input.
    pub fn read(&mut self, rec: &mut Record) -> io::Result<bool> {
        (rec.line, rec.start) = self.begin()?;
        rec.open_quote = false;
        rec.stray_quote = false;
        rec.data.clear();
        rec.starts.clear();
        rec.ends.clear();
        if self.simple_line(&mut rec.data, &mut rec.starts, &mut rec.ends) {
            return Ok(true);
        }
        self.read_core(rec)
    }

    /// Reads the next record onto the end of `batch`; `false` at the end of input.
    pub fn read_into(&mut self, batch: &mut Batch) -> io::Result<bool> {
        let (line, start) = self.begin()?;
        let (d0, e0) = (batch.data.len(), batch.ends.len());
        if self.simple_line(&mut batch.data, &mut batch.starts, &mut batch.ends) {
            batch.records.push(Span {
                line,
                open_quote: false,
                stray_quote: false,
                first_end: e0,
                cells: batch.ends.len() - e0,
                first_byte: d0,
            });
            return Ok(true);
        }
        let mut rec = std::mem::take(&mut self.scratch);
        (rec.line, rec.start) = (line, start);
        rec.open_quote = false;
        rec.stray_quote = false;
        rec.data.clear();
        rec.starts.clear();
        rec.ends.clear();
        let read = self.read_core(&mut rec);
        if matches!(read, Ok(true)) {
            batch.push(&rec);
        }
        self.scratch = rec;
        read
    }

    /// Skips the BOM (at the start) and blank lines, and the `\n` of a CRLF,
    /// which csv_core would otherwise count into the next record; the line and
    /// byte where the next record starts. (csv_core ends a record at its `\r`.)
    fn begin(&mut self) -> io::Result<(u64, u64)> {
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        while self.fill()? {
            match self.buf[self.pos] {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.line += 1,
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => break,
            }
            self.pos += 1;
            self.byte += 1;
        }
        Ok((self.line, self.byte))
    }

    /// A whole line in the buffer, with no carriage return but its final one, whose
    /// quotes (if any) only wrap whole cells with no quote or line break inside:
    /// csv_core would split it on the commas outside quotes and end it at its line
    /// break, so do exactly that here, without copying cell by cell: the line is
    /// appended to `data` as it is, and each cell's bounds (relative to where this
    /// record's data starts) to `starts`/`ends`. `false`: not such a line; nothing
    /// consumed and the buffers as they were.
    fn simple_line(
        &mut self,
        data: &mut Vec<u8>,
        starts: &mut Vec<usize>,
        ends: &mut Vec<usize>,
    ) -> bool {
        if !self.shortcut {
            return false;
        }
        let rest = &self.buf[self.pos..self.len];
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            return false;
        };
        let line = rest[..nl].strip_suffix(b"\r").unwrap_or(&rest[..nl]);
        if memchr::memchr(b'\r', line).is_some() {
            return false;
        }
        let cells = ends.len();
        let mut cell = |range: std::ops::Range<usize>| {
            starts.push(range.start);
            ends.push(range.end);
        };
        // One scan finds every comma and quote of the line.
        let mut marks = memchr::memchr2_iter(b',', b'"', line);
        let mut from = 0;
        let plain = loop {
            if line.get(from) == Some(&b'"') {
                marks.next(); // the opening quote, at `from`
                // Commas inside the quotes are text: skip to the closing quote.
                let Some(q) = marks.find(|&i| line[i] == b'"') else {
                    break false;
                };
                match line.get(q + 1) {
                    None => {
                        cell(from + 1..q);
                        break true;
                    }
                    Some(b',') => {
                        marks.next(); // that comma
                        cell(from + 1..q);
                        from = q + 2;
                    }
                    // A doubled quote, or text after the closing one.
                    Some(_) => break false,
                }
            } else {
                match marks.next() {
                    None => {
                        cell(from..line.len());
                        break true;
                    }
                    Some(i) if line[i] == b',' => {
                        cell(from..i);
                        from = i + 1;
                    }
                    // A quote inside a cell that does not start with one.
                    Some(_) => break false,
                }
            }
        };
        if !plain {
            starts.truncate(cells);
            ends.truncate(cells);
            return false;
        }
        data.extend_from_slice(line);
        self.pos += nl + 1;
        self.byte += nl as u64 + 1;
        self.line += 1;
        self.after_cr = false;
        true
    }

    /// The general case: csv_core parses one record (quotes, line breaks inside
    /// quotes, a last line without a line break, lines longer than the buffer).
    fn read_core(&mut self, rec: &mut Record) -> io::Result<bool> {
        if rec.data.capacity() == 0 {
            rec.data.resize(1024, 0);
            rec.ends.resize(64, 0);
        } else {
            rec.data.resize(rec.data.capacity(), 0);
            rec.ends.resize(rec.ends.capacity().max(64), 0);
        }
        let (mut nout, mut nend, mut quotes) = (0, 0, 0);
        let mut scan = QuoteScan::default();
        loop {
            self.fill()?;
            let input = &self.buf[self.pos..self.len];
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut rec.data[nout..], &mut rec.ends[nend..]);
            let (breaks, after_cr) = line_breaks(&input[..nin], self.after_cr);
            self.line += breaks;
            self.after_cr = after_cr;
            quotes += memchr::memchr_iter(b'"', &input[..nin]).count();
            scan.feed(&input[..nin]);
            self.pos += nin;
            self.byte += nin as u64;
            nout += o;
            nend += e;
            use csv_core::ReadRecordResult as R;
            match res {
                R::InputEmpty => continue,
                R::OutputFull => {
                    let n = rec.data.len() * 2;
                    rec.data.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = rec.ends.len() * 2;
                    rec.ends.resize(n, 0);
                }
                R::Record => {
                    rec.data.truncate(nout);
                    rec.ends.truncate(nend);
                    // csv_core writes the cells one after the other.
                    rec.starts.clear();
                    if nend > 0 {
                        rec.starts.push(0);
                        rec.starts.extend_from_slice(&rec.ends[..nend - 1]);
                    }
                    // Ended by the end of the input rather than a line break,
                    // with a quote left open.
                    rec.open_quote = self.eof && self.pos == self.len && quotes % 2 == 1;
                    rec.stray_quote = scan.stray;
                    return Ok(true);
                }
                R::End => {
                    rec.data.clear();
                    rec.starts.clear();
                    rec.ends.clear();
                    return Ok(false);
                }
            }
        }
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        // Gather at least 3 bytes (or all there is), however the input is chunked.
        while self.len < BOM.len() {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => break,
                Ok(n) => self.len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if self.buf[..self.len].starts_with(BOM) {
            self.bom = true;
            self.pos = BOM.len();
            self.byte = BOM.len() as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
