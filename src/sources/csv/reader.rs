//! Reading CSV files as people export them: UTF-8 with or without a BOM or in
//! another encoding (`TextEncoding`), LF or CRLF, quoted fields holding commas and
//! newlines. Records are parsed as bytes (commas, quotes and line breaks are ASCII
//! in every encoding accepted) and decoded afterwards, so an undecodable record is
//! reported with its line instead of ending the read. Shared by the streaming audit
//! and by `CsvStore` (the sync engine's view of a file, in `store`).
//! The records themselves are read by `records`.

use super::encoding::TextEncoding;
use std::borrow::Cow;

pub use super::records::{Batch, Record, RecordReader, RecordRef};
pub use super::store::CsvStore;

/// The UTF-8 byte-order mark Excel writes (and needs, to show CJK text correctly).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a file ends its lines; kept when the file is rewritten.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
    /// A lone carriage return: what Excel for Mac saved as "CSV (Macintosh)".
    Cr,
}

impl LineEnding {
    /// The ending of the first line of `bytes` (LF when there is none).
    pub fn detect(bytes: &[u8]) -> LineEnding {
        match memchr::memchr2(b'\r', b'\n', bytes) {
            Some(i) if bytes[i] == b'\r' => match bytes.get(i + 1) {
                Some(b'\n') => LineEnding::CrLf,
                _ => LineEnding::Cr,
            },
            _ => LineEnding::Lf,
        }
    }

    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::Lf => b"\n",
            LineEnding::CrLf => b"\r\n",
            LineEnding::Cr => b"\r",
        }
    }
}

/// How a CSV file is written: its text encoding, whether it starts with a UTF-8
/// byte-order mark (Excel needs one to show Chinese text), and its line ending. A
/// file made from a list that is not a file (a rejected-rows file for a sheet) is
/// written as Excel reads it best: UTF-8 with a BOM, CRLF.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FileForm {
    pub encoding: TextEncoding,
    pub bom: bool,
    pub eol: LineEnding,
}

impl Default for FileForm {
    fn default() -> Self {
        FileForm {
            encoding: TextEncoding::UTF_8,
            bom: true,
            eol: LineEnding::CrLf,
        }
    }
}

/// The line breaks in `bytes`: `\n`, `\r\n` and a lone `\r` count one each;
/// `after_cr` says the byte before `bytes` was a `\r` (so a leading `\n` ends no
/// new line). Also: whether `bytes` ends with a `\r` (else `after_cr` when empty).
pub fn line_breaks(bytes: &[u8], after_cr: bool) -> (u64, bool) {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        let lf_of_crlf = bytes[i] == b'\n'
            && match i.checked_sub(1) {
                Some(j) => bytes[j] == b'\r',
                None => after_cr,
            };
        if !lf_of_crlf {
            n += 1;
        }
    }
    let ends_cr = bytes.last().map_or(after_cr, |b| *b == b'\r');
    (n, ends_cr)
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

/// What is wrong with a record that has a quote where CSV allows none.
pub const STRAY_QUOTE: &str = "has a quote inside a value that does not start with one, or text after a value's closing quote, so its cells may not be what was meant: put the whole value in quotes and double each quote inside it (\"O\"\"Brien\")";

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
    use crate::sources::csv::records::{Record, RecordReader};

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
