//! Reading CSV files as people export them: UTF-8 with or without a BOM or in
//! another encoding (`TextEncoding`), LF or CRLF, quoted fields holding commas and
//! newlines. Records are parsed as bytes (commas, quotes and line breaks are ASCII
//! in every encoding accepted) and decoded afterwards, so an undecodable record is
//! reported with its line instead of ending the read. Shared by the streaming audit
//! and by `CsvStore` (the sync engine's view of a file, in `csv_store`).
//!
//! `RecordReader` drives `csv_core` itself rather than using `csv::Reader`: the
//! latter's record positions point before the previous line break and any blank
//! lines, so neither line numbers nor byte spans of records would be exact.

use super::encoding::TextEncoding;
use std::borrow::Cow;
use std::io::{self, Read};

pub use super::csv_store::CsvStore;

/// The UTF-8 byte-order mark Excel writes (and needs, to show CJK text correctly).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One record: its cells as bytes, where it starts, and on which line.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The line of the record's first character; the first line is 1.
    pub line: u64,
    /// The offset of its first byte in the file.
    pub start: u64,
    data: Vec<u8>,
    ends: Vec<usize>,
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
            data: &self.data,
            ends: &self.ends,
        }
    }
}

/// A record borrowed from a `Record` or a `Batch`.
#[derive(Copy, Clone, Debug)]
pub struct RecordRef<'a> {
    pub line: u64,
    /// Every cell's bytes, one after the other.
    pub data: &'a [u8],
    /// The end of each cell in `data`.
    pub ends: &'a [usize],
}

impl<'a> RecordRef<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        start..self.ends[i]
    }

    pub fn cell(&self, i: usize) -> &'a [u8] {
        &self.data[self.range(i)]
    }

    /// How many lines the record spans (quoted line breaks make it more than 1).
    pub fn lines_spanned(&self) -> usize {
        1 + self.data.iter().filter(|b| **b == b'\n').count()
    }
}

/// Many records in two flat buffers: what the audit hands to a worker thread,
/// without an allocation per record.
#[derive(Debug, Default)]
pub struct Batch {
    data: Vec<u8>,
    ends: Vec<usize>,
    /// `(line, first end, number of cells, first byte)` of each record.
    records: Vec<(u64, usize, usize, usize)>,
}

impl Batch {
    pub fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
        self.records.clear();
    }

    pub fn push(&mut self, r: &Record) {
        self.records
            .push((r.line, self.ends.len(), r.ends.len(), self.data.len()));
        self.data.extend_from_slice(&r.data);
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
        self.records
            .iter()
            .enumerate()
            .map(|(k, &(line, e0, n, d0))| {
                let d1 = self
                    .records
                    .get(k + 1)
                    .map_or(self.data.len(), |next| next.3);
                RecordRef {
                    line,
                    data: &self.data[d0..d1],
                    ends: &self.ends[e0..e0 + n],
                }
            })
    }
}

/// Reads records with exact lines and offsets; a UTF-8 BOM is skipped (and noted).
pub struct RecordReader<R> {
    inner: R,
    core: csv_core::Reader,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    line: u64,
    byte: u64,
    started: bool,
    bom: bool,
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
            byte: 0,
            started: false,
            bom: false,
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
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        // Blank lines and the `\n` of a CRLF are skipped here rather than by
        // csv_core, so the record's own first line and byte are known exactly.
        while self.fill()? {
            match self.buf[self.pos] {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
            self.byte += 1;
        }
        rec.line = self.line;
        rec.start = self.byte;
        rec.data.clear();
        rec.ends.clear();
        if rec.data.capacity() == 0 {
            rec.data.resize(1024, 0);
            rec.ends.resize(64, 0);
        } else {
            rec.data.resize(rec.data.capacity(), 0);
            rec.ends.resize(rec.ends.capacity().max(64), 0);
        }
        let (mut nout, mut nend) = (0, 0);
        loop {
            self.fill()?;
            let input = &self.buf[self.pos..self.len];
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut rec.data[nout..], &mut rec.ends[nend..]);
            self.line += input[..nin].iter().filter(|b| **b == b'\n').count() as u64;
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
                    return Ok(true);
                }
                R::End => {
                    rec.data.clear();
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

/// How a file ends its lines; kept when the file is rewritten.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
}

impl LineEnding {
    /// The ending of the first line of `bytes` (LF when there is none).
    pub fn detect(bytes: &[u8]) -> LineEnding {
        match bytes.iter().position(|b| *b == b'\n') {
            Some(i) if i > 0 && bytes[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }

    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::Lf => b"\n",
            LineEnding::CrLf => b"\r\n",
        }
    }
}

/// A record that is not valid text in the file's encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecodable {
    /// The first cell that does not decode.
    pub column: usize,
    /// That cell decoded with replacement characters, to help find it.
    pub lossy: String,
    /// The file is read as UTF-8 but the record reads cleanly as Big5.
    pub big5_hint: bool,
}

impl Undecodable {
    /// What is wrong and how to fix it; `header` names the column.
    pub fn explain(&self, enc: TextEncoding, header: Option<&str>) -> String {
        let place = header
            .map(|h| format!(" (column `{h}`)"))
            .unwrap_or_default();
        let fix = if self.big5_hint {
            "it reads as Big5, as Excel saves CSV in Hong Kong: run again with --encoding big5, or save the file as \"CSV UTF-8\""
        } else if enc.is_utf8() {
            "save the file as \"CSV UTF-8\" in Excel, or name its encoding with --encoding"
        } else {
            "check the file's encoding (--encoding) or save it as \"CSV UTF-8\""
        };
        format!("is not valid {}{place}: {fix}", enc.name().to_uppercase())
    }
}

/// The cells of `rec` as text in `enc`, into `out` (cleared first). UTF-8 cells
/// borrow from the record: the whole record is checked once, then sliced.
pub fn decode_record<'a>(
    rec: RecordRef<'a>,
    enc: TextEncoding,
    out: &mut Vec<Cow<'a, str>>,
) -> Result<(), Undecodable> {
    out.clear();
    if enc.is_utf8()
        && let Ok(all) = std::str::from_utf8(rec.data)
    {
        out.extend((0..rec.len()).map(|i| Cow::Borrowed(&all[rec.range(i)])));
        return Ok(());
    }
    for i in 0..rec.len() {
        let cell = rec.cell(i);
        match enc.decode(cell) {
            Some(text) => out.push(text),
            None => {
                return Err(Undecodable {
                    column: i,
                    lossy: enc.decode_lossy(cell),
                    // Cell by cell: a lead byte at the end of one cell must not
                    // pair up with the first byte of the next.
                    big5_hint: enc.is_utf8()
                        && !rec.data.is_ascii()
                        && (0..rec.len()).all(|k| {
                            TextEncoding::looks_like_big5(rec.cell(k)) || rec.cell(k).is_ascii()
                        }),
                });
            }
        }
    }
    Ok(())
}

/// What is wrong with a row of `cells` cells under a header of `width` columns.
pub fn ragged_message(cells: usize, width: usize, lines_spanned: usize) -> String {
    let mut m = if cells > width {
        format!(
            "has {cells} cells but the header has {width}: a value probably holds a comma without quotes around it; the row was not checked further"
        )
    } else {
        format!(
            "has {cells} cells but the header has {width}; the missing cells were read as empty"
        )
    };
    if lines_spanned > 1 {
        m.push_str(&format!(
            " (its quoted text runs over {lines_spanned} lines: check for a missing closing quote)"
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes `step` at a time, to cross every buffer boundary.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn records(bytes: &[u8], step: usize) -> (bool, Vec<(u64, u64, Vec<String>)>) {
        let mut r = RecordReader::new(Trickle(bytes, step));
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.read(&mut rec).unwrap() {
            let v = rec.view();
            let cells = (0..v.len())
                .map(|i| String::from_utf8_lossy(v.cell(i)).into_owned())
                .collect();
            out.push((rec.line, rec.start, cells));
        }
        (r.had_bom(), out)
    }

    #[test]
    fn lines_and_offsets_are_exact_for_lf_crlf_blank_lines_and_quoted_newlines() {
        for step in [1, 2, 7, 1 << 20] {
            let (bom, recs) = records(b"\xEF\xBB\xBFh1,h2\r\na,b\r\n\r\nc,\"x\r\ny\"\r\nd,e", step);
            assert!(bom);
            let lines: Vec<_> = recs.iter().map(|r| (r.0, r.1)).collect();
            assert_eq!(
                lines,
                vec![(1, 3), (2, 10), (4, 17), (6, 27)],
                "step {step}"
            );
            assert_eq!(recs[2].2, vec!["c", "x\r\ny"]);
            let (bom, recs) = records(b"h\n\n\nlast\n", step);
            assert!(!bom);
            assert_eq!(recs.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 4]);
        }
    }

    #[test]
    fn long_records_and_many_cells_are_read_whole() {
        let long = "x".repeat(5000);
        let wide = vec!["c"; 300].join(",");
        let text = format!("{long},\"{long}\"\n{wide}\n");
        let (_, recs) = records(text.as_bytes(), 333);
        assert_eq!(recs[0].2, vec![long.clone(), long]);
        assert_eq!(recs[1].2.len(), 300);
        let mut batch = Batch::default();
        let mut r = RecordReader::new(text.as_bytes());
        let mut rec = Record::default();
        while r.read(&mut rec).unwrap() {
            batch.push(&rec);
        }
        let got: Vec<_> = batch.iter().map(|v| (v.line, v.len())).collect();
        assert_eq!(got, vec![(1, 2), (2, 300)]);
        assert_eq!(r.position(), text.len() as u64);
    }

    #[test]
    fn empty_input_has_no_records() {
        assert!(records(b"", 1).1.is_empty());
        assert!(records(b"\r\n\n", 1).1.is_empty());
        assert!(!records(b"\xEF\xBB", 1).0);
    }

    #[test]
    fn undecodable_records_name_the_cell_and_hint_at_big5() {
        let (big5, _, _) = encoding_rs::BIG5.encode("陳大文");
        let mut bytes = b"ok,".to_vec();
        bytes.extend_from_slice(&big5);
        let mut r = RecordReader::new(bytes.as_slice());
        let mut rec = Record::default();
        assert!(r.read(&mut rec).unwrap());
        let mut out = Vec::new();
        let e = decode_record(rec.view(), TextEncoding::UTF_8, &mut out).unwrap_err();
        assert_eq!((e.column, e.big5_hint), (1, true));
        assert!(
            e.explain(TextEncoding::UTF_8, Some("First Name"))
                .contains("--encoding big5")
        );
        decode_record(rec.view(), TextEncoding::BIG5, &mut out).unwrap();
        assert_eq!(out, vec!["ok", "陳大文"]);
    }
}
