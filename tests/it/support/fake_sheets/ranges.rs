//! The fake's own reading of A1 ranges and percent-encoded path segments. It is
//! written apart from `cinnox_sync::sources::sheets::range` on purpose: if both
//! sides shared one parser, a bug in it could never fail a test.

/// A rectangle of a tab, 0-based and inclusive; `None` bounds are open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    pub row0: Option<usize>,
    pub col0: Option<usize>,
    pub row1: Option<usize>,
    pub col1: Option<usize>,
}

impl Rect {
    pub fn first_row(&self) -> usize {
        self.row0.unwrap_or(0)
    }
    pub fn first_col(&self) -> usize {
        self.col0.unwrap_or(0)
    }
}

/// A range: the tab title (`None`: the first tab) and the cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub tab: Option<String>,
    pub rect: Rect,
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Parses `'It''s'!A1:B2`, `Sheet1!A:C`, `Sheet1`, `'Tab'`, `A1:B2`.
pub fn parse(s: &str) -> Option<Range> {
    if let Some(rest) = s.strip_prefix('\'') {
        let mut title = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                    title.push('\'');
                    continue;
                }
                let tail = &rest[i + 1..];
                let rect = match tail.strip_prefix('!') {
                    Some(cells) => parse_cells(cells)?,
                    None if tail.is_empty() => Rect::default(),
                    None => return None,
                };
                return Some(Range {
                    tab: Some(title),
                    rect,
                });
            }
            title.push(c);
        }
        return None;
    }
    match s.rsplit_once('!') {
        Some((tab, cells)) => Some(Range {
            tab: Some(tab.to_string()),
            rect: parse_cells(cells)?,
        }),
        None => match parse_cells(s) {
            Some(rect) if !s.is_empty() => Some(Range { tab: None, rect }),
            _ => Some(Range {
                tab: Some(s.to_string()),
                rect: Rect::default(),
            }),
        },
    }
}

/// `A1`, `A1:C5`, `A:C`, `2:5`, `A5:C`.
fn parse_cells(s: &str) -> Option<Rect> {
    let (a, b) = match s.split_once(':') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let (c0, r0) = corner(a)?;
    let (c1, r1) = corner(b)?;
    Some(Rect {
        row0: r0,
        col0: c0,
        row1: r1,
        col1: c1,
    })
}

fn corner(s: &str) -> Option<(Option<usize>, Option<usize>)> {
    let split = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() && digits.is_empty() {
        return None;
    }
    if !letters.chars().all(|c| c.is_ascii_alphabetic())
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let col = if letters.is_empty() {
        None
    } else {
        let n = letters.bytes().fold(0usize, |acc, b| {
            acc * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1
        });
        Some(n - 1)
    };
    let row = if digits.is_empty() {
        None
    } else {
        Some(digits.parse::<usize>().ok()?.checked_sub(1)?)
    };
    Some((col, row))
}

/// Column letters of a 0-based column.
pub fn letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `'Title'!A1:C3` for reporting ranges back, as Sheets does.
pub fn a1(tab: &str, row0: usize, col0: usize, row1: usize, col1: usize) -> String {
    format!(
        "'{}'!{}{}:{}{}",
        tab.replace('\'', "''"),
        letters(col0),
        row0 + 1,
        letters(col1),
        row1 + 1
    )
}
