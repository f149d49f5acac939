//! Control characters in a value: NUL and the other C0 controls but tab and line
//! breaks, DEL, and the C1 controls. CINNOX cannot store them and no one can see
//! them, so every value is looked at, and the audit asks this of every cell of a
//! million-row file: the usual cell, or a whole row of a file, is cleared by a look
//! at its bytes many at a time ([`may_hold_control`]), and only a value that may
//! hold one is read byte by byte (a look at each character of each cell cost a
//! sixth of a million-row audit).

use super::rules::{Finding, Rule};

/// Whether a value still needs a look for control characters.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Controls {
    /// Look at it.
    Look,
    /// Its bytes were already looked at and hold none.
    Cleared,
}

/// No control character: NUL and the other C0 controls but tab and line breaks,
/// DEL, and the C1 controls (what text decoded in the wrong encoding, or pasted from
/// a terminal or another program, brings along). CINNOX cannot store them, and they
/// do not show in a sheet or a report, so they are named by code point.
// Out of line: the audit's usual cell is cleared with its row, and the rules
// that call this stay small without it.
#[inline(never)]
pub fn check_controls(raw: &str) -> Option<Finding> {
    first_control(raw).map(control_finding)
}

/// The finding for a value holding the control character `c`.
#[cold]
fn control_finding(c: char) -> Finding {
    let name = match c {
        '\u{0}' => " (NUL)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    Finding::error(
        Rule::ControlCharacter,
        format!(
            "holds the control character U+{:04X}{name}, which CINNOX cannot store and no one can see: delete it (retype the value)",
            c as u32
        ),
        None,
    )
}

/// The first control character of `s`, read from its UTF-8 bytes: a C0 control
/// (but tab and line breaks) or DEL is one byte, and a C1 control (U+0080 to
/// U+009F) is the two bytes C2 80 to C2 9F.
#[inline]
fn first_control(s: &str) -> Option<char> {
    let b = s.as_bytes();
    if !may_hold_control(b) {
        return None;
    }
    b.iter().enumerate().find_map(|(i, &c)| match c {
        0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f => Some(char::from(c)),
        // C2 only ever leads a character, and C2 nn is U+00nn.
        0xc2 => b
            .get(i + 1)
            .filter(|n| (0x80..=0x9f).contains(*n))
            .map(|&n| char::from(n)),
        _ => None,
    })
}

/// [`may_hold_control`] eight bytes at a time, for the short values cells hold.
#[inline]
fn may_hold_word(b: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);
    const DELS: u64 = u64::from_ne_bytes([0x7f; 8]);
    const C2S: u64 = u64::from_ne_bytes([0xc2; 8]);
    // Each test is exact about whether any byte of `x` matches: a borrow only
    // crosses into the next byte from a byte that matched itself.
    let below = |x: u64, n: u64| x.wrapping_sub(n) & !x & HIGH;
    let suspect = |x: u64| below(x, SPACES) | below(x ^ DELS, ONES) | below(x ^ C2S, ONES);
    let word = |w: &[u8]| w.try_into().map_or(0, u64::from_ne_bytes);
    let half = |w: &[u8]| u64::from(w.try_into().map_or(0, u32::from_ne_bytes));
    let n = b.len();
    let seen = match n {
        0 => 0,
        // The first, middle and last bytes are all of them; spaces pad the word.
        1..=3 => suspect(u64::from_ne_bytes([
            b[0],
            b[n / 2],
            b[n - 1],
            32,
            32,
            32,
            32,
            32,
        ])),
        // The first four and the last four bytes (overlapping) are all of them.
        4..=7 => suspect(half(&b[..4]) | half(&b[n - 4..]) << 32),
        // Whole words, then the last eight bytes (overlapping the last word read).
        _ => b
            .chunks_exact(8)
            .fold(suspect(word(&b[n - 8..])), |seen, w| {
                seen | suspect(word(w))
            }),
    };
    seen != 0
}

/// Whether a byte of `b` is below 0x20 (a C0 control, or a tab or line break),
/// DEL, or C2 (the first byte of U+0080 to U+00BF, the C1 controls among them).
/// Any other byte belongs to no control character, so text in any script passes;
/// `true` only sends a value to the exact look. Long runs of bytes (a whole row)
/// go 32 at a time, in a loop the compiler turns into vector instructions.
pub fn may_hold_control(b: &[u8]) -> bool {
    let (blocks, rest) = b.as_chunks::<32>();
    let block = |c: &[u8; 32]| {
        c.iter().fold(false, |seen, &c| {
            seen | (c < 0x20) | (c == 0x7f) | (c == 0xc2)
        })
    };
    blocks.iter().any(block) || may_hold_word(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The many-bytes-at-a-time tests answer as a look at each byte, on any
        /// bytes (every byte value, at every position and length).
        #[test]
        fn the_fast_tests_agree_with_each_byte(b in prop::collection::vec(any::<u8>(), 0..100)) {
            let each = b.iter().any(|&c| c < 0x20 || c == 0x7f || c == 0xc2);
            prop_assert_eq!(may_hold_control(&b), each, "{:?}", b);
        }

        /// The same on long runs of clean bytes holding at most one suspect.
        #[test]
        fn one_suspect_byte_is_found_anywhere_in_a_row(
            len in 0usize..200,
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![Just(0u8), Just(0x0a), Just(0x1f), Just(0x7f), Just(0xc2), Just(0x20), Just(0xe9)],
        ) {
            let mut b = vec![b'a'; len];
            if len > 0 {
                b[at.index(len)] = byte;
            }
            let suspect = len > 0 && (byte < 0x20 || byte == 0x7f || byte == 0xc2);
            prop_assert_eq!(may_hold_control(&b), suspect, "{:?}", b);
        }

        /// A control character is found wherever it stands in a value.
        #[test]
        fn a_control_character_is_found_anywhere(
            before in "[ -~]{0,20}",
            c in prop::char::range('\u{0}', '\u{a0}'),
            after in "[ -~é陳\u{a0}\t\n]{0,20}",
        ) {
            let s = format!("{before}{c}{after}");
            let control = matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}');
            prop_assert_eq!(check_controls(&s).is_some(), control, "{:?}", s);
            prop_assert_eq!(first_control(&s), control.then_some(c), "{:?}", s);
        }
    }
}
