//! The text encoding of a CSV file. UTF-8 is the default; Excel in Hong Kong and
//! Taiwan saves "CSV" in Big5, which `--encoding big5` reads. Any encoding that
//! keeps ASCII bytes as ASCII works (so commas, quotes and newlines can be found
//! before decoding); UTF-16 does not, and is refused with a way out.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// An ASCII-compatible text encoding.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TextEncoding(&'static encoding_rs::Encoding);

impl Default for TextEncoding {
    fn default() -> Self {
        TextEncoding::UTF_8
    }
}

impl TextEncoding {
    pub const UTF_8: TextEncoding = TextEncoding(encoding_rs::UTF_8);
    /// Big5 as browsers and Excel use it (with the Hong Kong extensions).
    pub const BIG5: TextEncoding = TextEncoding(encoding_rs::BIG5);

    /// Its name, lower case (`utf-8`, `big5`).
    pub fn name(self) -> String {
        self.0.name().to_ascii_lowercase()
    }

    pub fn is_utf8(self) -> bool {
        self.0 == encoding_rs::UTF_8
    }

    /// The text of `bytes`, or `None` when they are not valid in this encoding.
    /// Borrows for UTF-8.
    pub fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        if self.is_utf8() {
            return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
        }
        self.0
            .decode_without_bom_handling_and_without_replacement(bytes)
    }

    /// The text of `bytes` with U+FFFD where they are not valid: for messages.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        self.0.decode_without_bom_handling(bytes).0.into_owned()
    }

    /// `text` in this encoding, or `None` when a character cannot be written in it
    /// (rather than the `&#...;` stand-ins `encoding_rs` would write).
    pub fn encode(self, text: &str) -> Option<Cow<'_, [u8]>> {
        if self.is_utf8() {
            return Some(Cow::Borrowed(text.as_bytes()));
        }
        let (bytes, _, unmappable) = self.0.encode(text);
        (!unmappable).then_some(bytes)
    }

    /// Whether bytes that are not UTF-8 read cleanly as Big5 and hold something
    /// other than ASCII: then `--encoding big5` is worth suggesting.
    pub fn looks_like_big5(bytes: &[u8]) -> bool {
        !bytes.is_ascii()
            && encoding_rs::BIG5
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some()
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for TextEncoding {
    type Err = String;

    /// Any WHATWG label (`utf-8`, `utf8`, `big5`, `big5-hkscs`, `gbk`, `shift_jis`...).
    fn from_str(label: &str) -> Result<Self, Self::Err> {
        let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            format!("unknown encoding `{label}`; use utf-8 (the default) or big5")
        })?;
        if !enc.is_ascii_compatible() {
            return Err(format!(
                "{} is not supported: save the file as \"CSV UTF-8\" in Excel, or convert it (iconv -f {} -t utf-8)",
                enc.name(),
                enc.name()
            ));
        }
        Ok(TextEncoding(enc))
    }
}

/// `Some(name)` when `bytes` start with a UTF-16 byte-order mark: a file saved as
/// "Unicode Text", which cannot be read as CSV without converting it first.
pub fn utf16_bom(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_utf16_is_refused() {
        assert_eq!("big5".parse::<TextEncoding>(), Ok(TextEncoding::BIG5));
        assert_eq!("UTF8".parse::<TextEncoding>(), Ok(TextEncoding::UTF_8));
        assert_eq!(TextEncoding::BIG5.to_string(), "big5");
        assert!(
            "utf-16"
                .parse::<TextEncoding>()
                .unwrap_err()
                .contains("CSV UTF-8")
        );
        assert!("klingon".parse::<TextEncoding>().is_err());
        assert_eq!(utf16_bom(&[0xFF, 0xFE, b'a']), Some("UTF-16LE"));
    }

    #[test]
    fn big5_round_trips_and_unmappable_text_is_refused() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("陳大文");
        assert!(TextEncoding::UTF_8.decode(&bytes).is_none());
        assert!(TextEncoding::looks_like_big5(&bytes));
        assert_eq!(TextEncoding::BIG5.decode(&bytes).unwrap(), "陳大文");
        assert_eq!(
            TextEncoding::BIG5.encode("陳大文").unwrap().as_ref(),
            bytes.as_ref()
        );
        assert!(TextEncoding::BIG5.encode("😀").is_none());
        assert!(!TextEncoding::looks_like_big5(b"plain"));
    }
}
