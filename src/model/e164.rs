//! Fast, exact validity of numbers already written in E.164 (`+85291234567`).
//!
//! `phonenumber` answers this in ~12 µs per number, most of it spent outside the
//! rules themselves: every pattern lookup hashes the whole pattern text into an LRU
//! cache behind one process-wide mutex (so two threads also queue on each other),
//! and `parse` and `format` run regexes whose results an E.164 check never uses.
//! An audit of a million rows cannot afford that, so this module walks the same
//! steps `phonenumber` walks for a `+digits` string (country code split, region
//! choice, national-prefix handling, type patterns), with the same metadata patterns
//! compiled once per country code into anchored regexes. Wherever the library would
//! rewrite the number (a national prefix it strips), we do not guess: we ask the
//! library itself. `tests` compare both paths on every example number of every
//! region plus mutations, and on random strings.

use super::normalise::valid_e164_reference as reference;
use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex_automata::dfa::{
    Automaton, StartKind,
    dense::{self, DFA},
};
use regex_automata::{Input, util::syntax};
use std::str::FromStr;
use std::sync::OnceLock;

/// Country calling codes are 1 to 3 digits (`MAX_LENGTH_FOR_COUNTRY_CODE`).
const MAX_CODE: usize = 999;

/// The strings the fast path answers for: `+`, 8 to 15 digits, no leading 0 (nearly
/// every number in a contact list). Others go to the library.
pub fn in_fast_domain(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// `true` when `s` (in [`in_fast_domain`]) is a real number: exactly what
/// `normalise::valid_e164_reference` answers.
pub fn is_valid_e164_shaped(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() < 3 {
        return reference(s);
    }
    // The library takes the shortest prefix that is a known country code.
    let Some((entry, nat)) = (1..=3).find_map(|len| {
        let code: usize = digits[..len].parse().ok()?;
        rules(code).map(|r| (r, &digits[len..]))
    }) else {
        return false;
    };
    let Entry::Known(code) = entry else {
        return reference(s);
    };
    // An all-zero national number does not parse (`NationalNumber` needs a value).
    if nat.bytes().all(|b| b == b'0') {
        return false;
    }
    if code.may_rewrite(nat) {
        return reference(s);
    }
    code.is_valid(nat)
}

/// What is known about one country code.
enum Entry {
    Known(Box<CodeRules>),
    /// A code the library knows but this module cannot mirror (a pattern that does
    /// not compile, a region id that is not a `country::Id`): ask the library.
    Unsure,
}

/// One country code's rules, compiled on first use and kept for the process;
/// `None` for a code the database does not know.
fn rules(code: usize) -> Option<&'static Entry> {
    static TABLE: OnceLock<Vec<OnceLock<Option<Entry>>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| (0..=MAX_CODE).map(|_| OnceLock::new()).collect());
    table
        .get(code)?
        .get_or_init(|| {
            let code = code as u16;
            DATABASE.by_code(&code)?;
            Some(CodeRules::build(code).map_or(Entry::Unsure, |r| Entry::Known(Box::new(r))))
        })
        .as_ref()
}

/// A type pattern: the lengths it allows and its regex, anchored at the start.
struct Desc {
    lengths: Vec<u16>,
    re: Anchored,
}

impl Desc {
    fn build(d: &Descriptor) -> Option<Desc> {
        Some(Desc {
            lengths: d.possible_length().to_vec(),
            re: anchored(d.national_number().as_str())?,
        })
    }

    /// `Descriptor::is_match`: a listed length (if any are listed), and a match
    /// of the pattern starting at the first digit. A leftmost search finds a match
    /// at 0 exactly when an anchored search finds one.
    fn is_match(&self, value: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(value.len() as u16)))
            && self.re.is_match(value)
    }
}

/// A metadata pattern as an anchored search ("a match starting at the first
/// digit"), compiled to a dense DFA: a lookup per digit, no allocation, no locks.
/// Compiled as the library compiles its patterns (white space ignored: the XML
/// patterns are indented). Only ASCII digits are ever searched, on which `\d`
/// means the same with or without Unicode classes; without them the automaton is
/// much smaller. `None` if it does not compile (then the library is asked).
struct Anchored(DFA<Vec<u32>>);

impl Anchored {
    fn is_match(&self, digits: &str) -> bool {
        let input = Input::new(digits)
            .anchored(regex_automata::Anchored::Yes)
            .earliest(true);
        // A dense DFA only fails on a quit byte or a search limit; neither is set.
        matches!(self.0.try_search_fwd(&input), Ok(Some(_)))
    }
}

fn anchored(pattern: &str) -> Option<Anchored> {
    let dfa = dense::Builder::new()
        .configure(dense::Config::new().start_kind(StartKind::Anchored))
        .syntax(
            syntax::Config::new()
                .ignore_whitespace(true)
                .unicode(false)
                .utf8(false),
        )
        // The newline ends a trailing `#` comment, if any.
        .build(&format!("(?:{pattern}\n)"))
        .ok()?;
    Some(Anchored(dfa))
}

/// The rules of one region (or non-geographic entity) of a country code.
struct RegionRules {
    general: Desc,
    /// Every type that makes a number valid (anything but `Unknown`).
    types: Vec<Desc>,
    leading_digits: Option<Anchored>,
}

impl RegionRules {
    fn build(m: &Metadata) -> Option<RegionRules> {
        let d = m.descriptors();
        let mut types = Vec::new();
        // Validity asks whether any type matches, so the order is free: the
        // common types first, to stop early.
        for t in [
            d.mobile(),
            d.fixed_line(),
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        {
            types.push(Desc::build(t)?);
        }
        Some(RegionRules {
            general: Desc::build(d.general())?,
            types,
            leading_digits: match m.leading_digits() {
                Some(re) => Some(anchored(re.as_str())?),
                None => None,
            },
        })
    }

    /// `validator::number_type(..) != Type::Unknown`: every other answer needs the
    /// general pattern and one type pattern to match.
    fn is_valid(&self, nat: &str) -> bool {
        self.general.is_match(nat) && self.types.iter().any(|d| d.is_match(nat))
    }
}

/// A national prefix the parser may strip: `national_prefix_for_parsing` (anchored)
/// or the plain `national_prefix`.
struct Prefix {
    for_parsing: Option<Anchored>,
    plain: Option<String>,
}

struct CodeRules {
    /// `Database::region(code)` in its order, `None` where the library's
    /// `source_for` would not find a region (an id that is not a `country::Id`).
    regions: Vec<Option<RegionRules>>,
    /// The metadata `source_for` falls back on when the only region is `001`.
    non_geo: Option<RegionRules>,
    single: bool,
    prefixes: Vec<Prefix>,
}

impl CodeRules {
    /// `None` when this module cannot mirror the library for this code.
    fn build(code: u16) -> Option<CodeRules> {
        let metas = DATABASE.by_code(&code)?;
        let ids = DATABASE.region(&code)?;
        let single = ids.len() == 1;
        let mut regions = Vec::new();
        let mut non_geo = None;
        for id in &ids {
            if single && *id == "001" {
                non_geo = Some(RegionRules::build(metas.first()?)?);
                regions.push(None);
                continue;
            }
            let known = phonenumber::country::Id::from_str(id).is_ok();
            regions.push(match (known, DATABASE.by_id(*id)) {
                (true, Some(m)) => Some(RegionRules::build(m)?),
                // The library unwraps these for codes shared by several regions.
                _ if !single => return None,
                _ => None,
            });
        }
        // The regions of a shared code mostly share their prefixes (NANP: 25 × "1").
        let mut seen = std::collections::HashSet::new();
        let mut prefixes = Vec::new();
        for m in &metas {
            let parsing = m.national_prefix_for_parsing().map(|re| re.as_str());
            if !seen.insert((parsing, m.national_prefix())) {
                continue;
            }
            prefixes.push(Prefix {
                for_parsing: match parsing {
                    Some(re) => Some(anchored(re)?),
                    None => None,
                },
                plain: m.national_prefix().map(str::to_string),
            });
        }
        Some(CodeRules {
            regions,
            non_geo,
            single,
            prefixes,
        })
    }

    /// Whether `phonenumber::parse` might strip a national prefix from `nat`, which
    /// would make its E.164 form differ from the input. Conservative: any region of
    /// the code counts, whichever the parser would pick.
    fn may_rewrite(&self, nat: &str) -> bool {
        self.prefixes.iter().any(|p| {
            p.for_parsing.as_ref().is_some_and(|re| re.is_match(nat))
                || p.plain
                    .as_deref()
                    .is_some_and(|pre| !pre.is_empty() && nat.starts_with(pre))
        })
    }

    /// `validator::is_valid`: pick the region as `source_for` does, then its types.
    fn is_valid(&self, nat: &str) -> bool {
        if self.single {
            return match (&self.non_geo, &self.regions[0]) {
                (Some(r), _) | (None, Some(r)) => r.is_valid(nat),
                (None, None) => false,
            };
        }
        // `build` made sure every region of a shared code is known.
        for r in self.regions.iter().flatten() {
            match &r.leading_digits {
                Some(ld) => {
                    if ld.is_match(nat) {
                        return r.is_valid(nat);
                    }
                }
                None => {
                    if r.is_valid(nat) {
                        return true;
                    }
                }
            }
        }
        false
    }
}

#[cfg(test)]
#[path = "e164_tests.rs"]
mod tests;
