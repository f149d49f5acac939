//! Values a spreadsheet mangled before the list reached us, and what to tell the
//! person about each. Excel and Google Sheets read `+85291234567` typed into a
//! column not formatted as text as the number 85291234567 (the `+` is gone), show a
//! long number as `8.52912E+10` and save it to CSV that way (the digits are gone),
//! and write dates month first when set to US English (`12/3/1988` may be either
//! day first or month first). Each check says why, offers the fixed value as a
//! `suggestion` only when it is certain, and as a `guess` when it is not. Pure.

use super::rules::{Finding, Rule, Severity};
use crate::model::normalise::{self, Normaliser};
use chrono::NaiveDate;

/// A phone number as a spreadsheet mangled it, or `None` when it does not look so.
/// `t` is the trimmed cell, not E.164-shaped.
pub fn phone(t: &str, n: &Normaliser) -> Option<Finding> {
    if is_scientific(t) {
        return Some(error(
            Rule::PhoneFormat,
            "is a number in scientific notation, as Excel shows a long number in a column formatted \
             as General and saves it to CSV: the digits after the first few are lost, so no fix can \
             be worked out. In Excel, format the column as Text, type (or paste) the numbers again \
             with + and the country code, and save the file again",
            None,
            None,
        ));
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.starts_with('0') {
        return None;
    }
    // A national number of the default region is read as such by the caller first.
    if n.region().is_some() && normalise::phone_e164(t, n.region()).is_some() {
        return None;
    }
    let plus = format!("+{t}");
    if !normalise::valid_e164(&plus) {
        return None;
    }
    // An international number has 11 digits or more in most countries; a shorter
    // one is as likely a national number that happens to read as a foreign one
    // with a +, so it is only a guess.
    Some(if t.len() >= 11 {
        error(
            Rule::PhoneFormat,
            "has no + before its country code: Excel and Google Sheets drop a leading + when a number \
             is typed into a column not formatted as text. The suggestion puts the + back; format \
             the column as text so the spreadsheet keeps it",
            Some(plus),
            None,
        )
    } else {
        error(
            Rule::PhoneFormat,
            "has no country code. If a spreadsheet dropped its leading + (as Excel and Google Sheets \
             do in a column not formatted as text), it is the number in the guess; if not, write + \
             and the country code, or set `default_region` in the mapping",
            None,
            Some(plus),
        )
    })
}

/// `8.52912E+10`, `8,52912E+10` (a comma-decimal locale), `1E+11`.
fn is_scientific(t: &str) -> bool {
    let Some((mantissa, exp)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (int, frac) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && digits(exp)
}

/// A birth date not written dd/mm/yyyy (`t` trimmed): the finding, with the date as
/// a suggestion when only one reading exists, as a guess when day and month could
/// be either way round or the cell is an Excel day count.
pub fn date(t: &str) -> Finding {
    const FORMAT: &str = "must be written dd/mm/yyyy";
    if let Some(d) = excel_serial(t) {
        return error(
            Rule::DateFormat,
            "is a number, not a date: Excel keeps a date as a count of days and shows that count in a \
             column formatted as General or Number. The guess reads it as such a count; format the \
             column as a date (dd/mm/yyyy) or as Text, and check the dates",
            None,
            Some(d),
        );
    }
    let Some((a, b, year)) = day_month_year(t) else {
        return error(Rule::DateFormat, FORMAT, normalise::date(t), None);
    };
    let day_first = dmy(a, b, year);
    let month_first = dmy(b, a, year);
    match (day_first, month_first) {
        (Some(d), Some(_)) if a != b => error(
            Rule::DateFormat,
            "must be written dd/mm/yyyy. Its day and month could be either way round (a spreadsheet \
             set to US English writes the month first), so the guess reads the day first: check it \
             against the person's record before using it",
            None,
            Some(d),
        ),
        (Some(d), _) => error(Rule::DateFormat, FORMAT, Some(d), None),
        (None, Some(d)) => error(
            Rule::DateFormat,
            "must be written dd/mm/yyyy; it is written month first (as a spreadsheet set to US \
             English writes dates), and the suggestion puts the day first",
            Some(d),
            None,
        ),
        (None, None) => error(Rule::DateFormat, FORMAT, None, None),
    }
}

/// `d/m/yyyy` with one- or two-digit day and month, separated by `/`, `-` or `.`.
fn day_month_year(t: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let small = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if !small(a) || !small(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

fn dmy(d: u32, m: u32, y: i32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|_| format!("{d:02}/{m:02}/{y:04}"))
}

/// A five-digit whole number read as Excel's day count (1900 date system): the
/// dates from 1927 to 2173. Shorter numbers are more likely a year or a typo.
fn excel_serial(t: &str) -> Option<String> {
    if t.len() != 5 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = t.parse().ok()?;
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = epoch.checked_add_signed(chrono::Duration::days(days))?;
    Some(d.format("%d/%m/%Y").to_string())
}

fn error(rule: Rule, message: &str, suggestion: Option<String>, guess: Option<String>) -> Finding {
    Finding {
        rule,
        severity: Severity::Error,
        message: message.to_string(),
        suggestion,
        guess,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Normaliser {
        Normaliser::new(None)
    }

    #[test]
    fn a_dropped_plus_is_put_back_when_the_number_is_international() {
        let f = phone("85291234567", &none()).unwrap();
        assert_eq!(f.suggestion.as_deref(), Some("+85291234567"));
        assert_eq!(f.guess, None);
        assert!(f.message.contains("drop a leading +"), "{}", f.message);
        // Ten digits (Singapore's +65 and 8): as likely a national number, so a
        // guess only.
        let f = phone("6591234567", &none()).unwrap();
        assert_eq!(f.suggestion, None);
        assert_eq!(f.guess.as_deref(), Some("+6591234567"));
        assert!(f.message.contains("guess"), "{}", f.message);
        // Not a number with a + either, a leading 0, or not digits: not this case.
        assert!(phone("12345", &none()).is_none());
        assert!(phone("091234567", &none()).is_none());
        assert!(phone("9123 4567", &none()).is_none());
    }

    #[test]
    fn scientific_notation_says_the_digits_are_lost() {
        for t in ["8.52912E+10", "8,52912E+10", "1E+11", "8.52912e10"] {
            let f = phone(t, &none()).unwrap_or_else(|| panic!("{t}"));
            assert_eq!((f.suggestion, f.guess), (None, None), "{t}");
            assert!(
                f.message.contains("lost") && f.message.contains("format the column as Text"),
                "{}",
                f.message
            );
        }
        assert!(!is_scientific("E+10"));
        assert!(!is_scientific("8.5E"));
        assert!(!is_scientific("Ext 12"));
    }

    #[test]
    fn dates_are_fixed_when_certain_and_guessed_when_not() {
        let f = date("12/3/1988");
        assert_eq!(f.suggestion, None);
        assert_eq!(f.guess.as_deref(), Some("12/03/1988"));
        assert!(f.message.contains("either way round"), "{}", f.message);
        let f = date("25/3/1988");
        assert_eq!(
            (f.suggestion.as_deref(), f.guess),
            (Some("25/03/1988"), None)
        );
        let f = date("3/25/1988");
        assert_eq!(f.suggestion.as_deref(), Some("25/03/1988"));
        assert!(f.message.contains("month first"), "{}", f.message);
        // The same either way: certain.
        assert_eq!(date("3/3/1988").suggestion.as_deref(), Some("03/03/1988"));
        // Year first is ISO, never ambiguous.
        assert_eq!(date("1988-03-12").suggestion.as_deref(), Some("12/03/1988"));
        let f = date("32214");
        assert_eq!(
            (f.suggestion, f.guess.as_deref()),
            (None, Some("12/03/1988"))
        );
        let f = date("31/31/1988");
        assert_eq!((f.suggestion, f.guess), (None, None));
        assert_eq!(date("1988").guess, None);
    }
}
