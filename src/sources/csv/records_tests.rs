use super::*;
use proptest::prelude::*;

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

type Recs = Vec<(u64, u64, Vec<String>)>;

fn records(bytes: &[u8], step: usize) -> (bool, Recs) {
    records_with(bytes, step, true)
}

fn records_with(bytes: &[u8], step: usize, shortcut: bool) -> (bool, Recs) {
    let mut r = RecordReader::new(Trickle(bytes, step));
    r.shortcut = shortcut;
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
        // Lone carriage returns (old Excel for Mac) end lines too.
        let (_, recs) = records(b"h\ra,\"x\ry\"\r\rb\r\nc\n", step);
        let lines: Vec<_> = recs.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 2, 5, 6], "step {step}");
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
fn a_quote_left_open_to_the_end_is_flagged() {
    let mut r = RecordReader::new(&b"a,b\nAnn,\"Lee\nBob,Smith\n"[..]);
    let mut rec = Record::default();
    assert!(r.read(&mut rec).unwrap() && !rec.open_quote);
    assert!(r.read(&mut rec).unwrap());
    assert!(rec.open_quote && rec.line == 2 && rec.len() == 2);
    let mut r = RecordReader::new(&b"a,b\n\"x\",\"y\""[..]);
    while r.read(&mut rec).unwrap() {
        assert!(!rec.open_quote);
    }
}

#[test]
fn stray_quotes_are_flagged_and_proper_quoting_is_not() {
    let stray = |text: &[u8]| {
        let mut r = RecordReader::new(text);
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.read(&mut rec).unwrap() {
            out.push(rec.stray_quote);
        }
        out
    };
    // A quote inside an unquoted cell, text after a closing quote, a space first.
    assert_eq!(stray(b"a,b\nO\"Brien,x\n"), [false, true]);
    assert_eq!(stray(b"a,b\n\"Ann\"x,y\n"), [false, true]);
    assert_eq!(stray(b"a,b\n \"Ann\",y\r\n"), [false, true]);
    // Doubled quotes, commas and line breaks inside quotes are CSV.
    assert_eq!(
        stray(b"a,b\n\"O\"\"Brien\",\"1, Main St\nFlat 2\"\r\n\"\",x\n"),
        [false, false, false]
    );
}

#[test]
fn empty_input_has_no_records() {
    assert!(records(b"", 1).1.is_empty());
    assert!(records(b"\r\n\n", 1).1.is_empty());
    assert!(!records(b"\xEF\xBB", 1).0);
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"ab".to_vec()),
        Just(b"\"a,b\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b",\"x\",".to_vec()),
        Just(" é".as_bytes().to_vec()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The plain-line shortcut reads exactly what csv_core reads, whatever
    /// the bytes and however they arrive.
    #[test]
    fn the_shortcut_agrees_with_csv_core(bytes in csvish(), step in 1usize..9) {
        let general = records_with(&bytes, step, false);
        prop_assert_eq!(records_with(&bytes, step, true), general.clone());
        prop_assert_eq!(records_with(&bytes, 1 << 20, true), general.clone());
        let mut r = RecordReader::new(bytes.as_slice());
        let mut batch = Batch::default();
        while r.read_into(&mut batch).unwrap() {}
        let batched: Vec<(u64, Vec<String>)> = batch
            .iter()
            .map(|v| (v.line, (0..v.len()).map(|i| String::from_utf8_lossy(v.cell(i)).into_owned()).collect()))
            .collect();
        // A record's line is one more than the line breaks before it.
        for (line, start, _) in &general.1 {
            prop_assert_eq!(*line, 1 + line_breaks(&bytes[..*start as usize], false).0);
        }
        let want: Vec<(u64, Vec<String>)> = general.1.into_iter().map(|(l, _, c)| (l, c)).collect();
        prop_assert_eq!(batched, want);
    }
}
