//! A deterministic generator of realistic contact files in CINNOX's 21 template
//! columns (English, Cantonese, accented names; HK, SG, GB and US numbers; emails,
//! dates, enums, addresses with commas and the odd line break inside quotes; a BOM
//! and CRLF as Excel writes them), with known defects injected into about 2% of
//! the rows, one per row, of every rule kind. The manifest lists each injected
//! violation as `line,column,rule`: an exact audit reports exactly those.
//! Shared by the benchmark (`benches/audit/main.rs`) and an integration test.

use cinnox_sync::model::normalise::{is_e164_shape, valid_e164};
use std::collections::HashSet;
use std::io::{self, Write};

#[path = "words.rs"]
mod words;
use words::*;

pub const HEADER: [&str; 21] = [
    "First Name",
    "Last Name",
    "Phone Type",
    "Phone Number",
    "Email Type",
    "Email Address",
    "Social Messaging Type",
    "Social Messaging Name Id",
    "Company",
    "Job Title",
    "Team",
    "Group",
    "Level",
    "Type",
    "Language",
    "Birth Date",
    "Street",
    "City",
    "State",
    "Zip Code",
    "Country",
];

/// SplitMix64: tiny, fast, and the same sequence on every machine and version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, per_10000: u64) -> bool {
        self.below(10_000) < per_10000
    }
}

/// The kinds of injected defect, each with the column it lands in and the rule
/// the audit must report.
const DEFECTS: &[(&str, &str, &str)] = &[
    ("long_first_name", "First Name", "max_length"),
    ("long_company", "Company", "max_length"),
    ("long_zip", "Zip Code", "max_length"),
    ("phone_spaces", "Phone Number", "phone_format"),
    ("phone_no_plus", "Phone Number", "phone_format"),
    ("phone_extension", "Phone Number", "phone_format"),
    ("phone_unknown_country", "Phone Number", "phone_invalid"),
    ("phone_short", "Phone Number", "phone_invalid"),
    ("date_iso", "Birth Date", "date_format"),
    ("date_not_leap", "Birth Date", "date_invalid"),
    ("level_case", "Level", "enum"),
    ("type_other", "Type", "enum"),
    ("phone_type_cell", "Phone Type", "enum"),
    ("language_name", "Language", "enum"),
    ("email_no_at", "Email Address", "email"),
    ("no_first_name", "First Name", "required"),
    ("duplicate_email", "Email Address", "duplicate"),
    ("duplicate_phone", "Phone Number", "duplicate"),
    ("extra_cell", "", "structure"),
    ("missing_cell", "Country", "structure"),
];

pub struct Generated {
    pub rows: u64,
    pub defects: u64,
}

/// A valid, not yet used E.164 number of one of four countries; `parts` gives
/// (country code, national number) so defects can rewrite it.
fn phone(rng: &mut Rng, used: &mut HashSet<u64>) -> (String, String) {
    loop {
        let (cc, national) = match rng.below(4) {
            0 => (
                "852",
                format!("{}{:07}", rng.pick(&[5, 6, 9, 2, 3]), rng.below(10_000_000)),
            ),
            1 => (
                "65",
                format!("{}{:07}", rng.pick(&[8, 9, 6]), rng.below(10_000_000)),
            ),
            2 => (
                "44",
                format!(
                    "7{}{:08}",
                    rng.pick(&[4, 5, 7, 8, 9]),
                    rng.below(100_000_000)
                ),
            ),
            _ => (
                "1",
                format!(
                    "{}{:07}",
                    rng.pick(&[212, 415, 646, 312, 617]),
                    rng.below(10_000_000)
                ),
            ),
        };
        let e164 = format!("+{cc}{national}");
        let Ok(n) = e164[1..].parse::<u64>() else {
            continue;
        };
        if valid_e164(&e164) && used.insert(n) {
            return (cc.to_string(), national);
        }
    }
}

/// The number with its last digits dropped, still E.164-shaped but no real number
/// (some countries have valid shorter numbers, so each candidate is checked).
fn shortened(cc: &str, national: &str) -> String {
    (1..=3)
        .map(|k| format!("+{cc}{}", &national[..national.len() - k]))
        .find(|s| is_e164_shape(s) && !valid_e164(s))
        .unwrap_or_else(|| format!("+999{national}"))
}

fn spaced(cc: &str, national: &str) -> String {
    let (a, b) = national.split_at(national.len() / 2);
    format!("+{cc} {a} {b}")
}

/// Writes `rows` data rows (plus a header) to `csv` and the expected violations to
/// `manifest`. Deterministic for a given seed.
pub fn generate(
    rows: u64,
    seed: u64,
    csv: &mut dyn Write,
    manifest: &mut dyn Write,
) -> io::Result<Generated> {
    let mut rng = Rng::new(seed);
    let mut used = HashSet::new();
    csv.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(csv);
    w.write_record(HEADER)?;
    writeln!(manifest, "line,column,rule")?;
    let mut line: u64 = 2;
    let mut defects = 0;
    // The last clean row's (line, email, phone), offered once as a duplicate source.
    let mut source: Option<(u64, String, String)> = None;
    for i in 0..rows {
        let (first, first_ascii) = *rng.pick(FIRST);
        let (last, last_ascii) = *rng.pick(LAST);
        let (cc, national) = phone(&mut rng, &mut used);
        let email = format!("{first_ascii}.{last_ascii}.{i}@{}", rng.pick(DOMAINS));
        let email = if rng.chance(1000) {
            capitalise(&email)
        } else {
            email
        };
        let (street, city, state, zip, country) = *rng.pick(PLACES);
        let street = if rng.chance(50) {
            format!("{street}\nBlock B")
        } else {
            street.to_string()
        };
        let social = *rng.pick(SOCIAL_TYPES);
        let mut r: Vec<String> = vec![
            first.into(),
            last.into(),
            rng.pick(PHONE_TYPES).to_string(),
            format!("+{cc}{national}"),
            rng.pick(EMAIL_TYPES).to_string(),
            email.clone(),
            social.into(),
            if social.is_empty() {
                String::new()
            } else {
                format!("{first_ascii}_{last_ascii}_{i}")
            },
            rng.pick(COMPANIES).to_string(),
            rng.pick(TITLES).to_string(),
            rng.pick(TEAMS).to_string(),
            rng.pick(GROUPS).to_string(),
            rng.pick(LEVELS).to_string(),
            rng.pick(TYPES).to_string(),
            rng.pick(LANGS).to_string(),
            if rng.chance(2000) {
                String::new()
            } else {
                format!(
                    "{:02}/{:02}/{}",
                    1 + rng.below(28),
                    1 + rng.below(12),
                    1940 + rng.below(66)
                )
            },
            street,
            city.into(),
            state.into(),
            zip.into(),
            country.into(),
        ];
        let mut expect: Vec<(u64, &str, &str)> = Vec::new();
        if rng.chance(200) {
            let (kind, column, rule) = *rng.pick(DEFECTS);
            let mut expected = true;
            match kind {
                "long_first_name" => r[0] = "陳".repeat(51),
                "long_company" => {
                    r[8] = format!("{} Holdings", "Pacific Rim ".repeat(8))
                        .chars()
                        .take(101)
                        .collect()
                }
                "long_zip" => r[19] = "12345678901".into(),
                "phone_spaces" => r[3] = spaced(&cc, &national),
                "phone_no_plus" => r[3] = format!("{cc}{national}"),
                "phone_extension" => r[3] = format!("+{cc}{national} ext. 12"),
                "phone_unknown_country" => r[3] = format!("+999{national}"),
                "phone_short" => r[3] = shortened(&cc, &national),
                "date_iso" => {
                    r[15] = format!(
                        "{}-{:02}-{:02}",
                        1950 + rng.below(50),
                        1 + rng.below(12),
                        1 + rng.below(28)
                    )
                }
                "date_not_leap" => r[15] = "29/02/2023".into(),
                "level_case" => r[12] = "primary".into(),
                "type_other" => r[13] = "Other".into(),
                "phone_type_cell" => r[2] = "Cell".into(),
                "language_name" => r[14] = "English".into(),
                "email_no_at" => r[5] = email.replace('@', "."),
                "no_first_name" => r[0] = String::new(),
                "duplicate_email" | "duplicate_phone" => match source.take() {
                    Some((src_line, src_email, src_phone)) => {
                        if kind == "duplicate_email" {
                            r[5] = src_email.to_uppercase();
                        } else {
                            r[3] = src_phone;
                        }
                        expect.push((src_line, column, rule));
                    }
                    None => expected = false,
                },
                "extra_cell" => r.push("extra".into()),
                _ => {
                    r.pop();
                }
            }
            if expected {
                expect.push((line, column, rule));
                defects += 1;
            }
        } else if !r[16].contains('\n') {
            source = Some((line, r[5].clone(), r[3].clone()));
        }
        for (l, c, rule) in &expect {
            writeln!(manifest, "{l},{c},{rule}")?;
        }
        w.write_record(&r)?;
        line += 1 + r
            .iter()
            .map(|c| c.matches('\n').count() as u64)
            .sum::<u64>();
        // Now and then a row Excel leaves empty (all commas): skipped, not a violation.
        if rng.chance(5) {
            w.write_record(vec![""; HEADER.len()])?;
            line += 1;
        }
    }
    w.flush()?;
    Ok(Generated { rows, defects })
}

fn capitalise(email: &str) -> String {
    let mut c = email.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
