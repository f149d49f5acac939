//! A1 notation for the Sheets API: quoting a tab name, column letters, cell and row
//! ranges, reading back the range Sheets reports, and percent-encoding a range for
//! the URL path. google-sheets4 puts the range into the path as it is, so an
//! unencoded `#` would end the path (`Sheet#1!A1` silently reads `Sheet`) and a `/`
//! would give a 404: every range goes through [`encode`] before it reaches the hub.

/// `'name'` with every `'` doubled: always quoted, because a name with spaces, `!`,
/// digits first or CJK needs quotes and a quoted plain name is still valid.
pub fn quote_tab(tab: &str) -> String {
    format!("'{}'", tab.replace('\'', "''"))
}

/// Column letters for a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The whole tab: `'Tab'`.
pub fn whole_tab(tab: &str) -> String {
    quote_tab(tab)
}

/// Cells `first..=last` (0-based columns) of one sheet row (1-based): `'Tab'!C5:E5`.
pub fn row_span(tab: &str, row: usize, first: usize, last: usize) -> String {
    let (a, b) = (column_letters(first), column_letters(last));
    if first == last {
        format!("{}!{a}{row}", quote_tab(tab))
    } else {
        format!("{}!{a}{row}:{b}{row}", quote_tab(tab))
    }
}

/// Percent-encodes a range for use as one URL path segment: everything but the
/// RFC 3986 unreserved characters, as Google's own clients expand `{range}`.
pub fn encode(range: &str) -> String {
    let mut out = String::with_capacity(range.len() * 3);
    for b in range.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where a range reported by Sheets starts: 1-based row and 0-based column. Sheets
/// answers a whole-tab read with `'Tab'!A1:Z1000`; the values start at that corner.
/// Anything unreadable counts as `A1`, the corner of a whole-tab read.
pub fn start_of(range: &str) -> (usize, usize) {
    let cells = match range.strip_prefix('\'') {
        Some(rest) => quoted_tail(rest),
        None => range.rsplit_once('!').map(|(_, c)| c),
    };
    let Some(first) = cells.and_then(|c| c.split(':').next()) else {
        return (1, 0);
    };
    let letters: String = first
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let digits = &first[letters.len()..];
    let col = letters
        .bytes()
        .try_fold(0usize, |acc, b| {
            acc.checked_mul(26)?
                .checked_add((b.to_ascii_uppercase() - b'A') as usize + 1)
        })
        .filter(|c| *c > 0)
        .map_or(0, |c| c - 1);
    let row = digits.parse::<usize>().ok().filter(|r| *r > 0).unwrap_or(1);
    (row, col)
}

/// The part after `!` of a quoted range whose opening quote is already gone.
fn quoted_tail(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return rest[i + 1..].strip_prefix('!');
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_go_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn tab_names_are_quoted_and_quotes_doubled() {
        assert_eq!(quote_tab("It's"), "'It''s'");
        assert_eq!(row_span("It's", 5, 2, 4), "'It''s'!C5:E5");
        assert_eq!(row_span("S", 2, 0, 0), "'S'!A2");
    }

    #[test]
    fn encoding_leaves_nothing_that_ends_or_splits_a_path() {
        let e = encode("'聯絡人 #1/香港!'!A1:B2");
        assert!(!e.contains(['#', '/', '?', ' ', '!', '\'', ':']), "{e}");
        assert!(e.starts_with("%27%E8%81%AF"));
        assert_eq!(encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn start_of_reads_quoted_and_plain_ranges() {
        assert_eq!(start_of("'It''s!'!C5:E9"), (5, 2));
        assert_eq!(start_of("Sheet1!A1:Z1000"), (1, 0));
        assert_eq!(start_of("'a!b'!AA3"), (3, 26));
        assert_eq!(start_of("'Tab'"), (1, 0));
        assert_eq!(start_of(""), (1, 0));
    }
}
