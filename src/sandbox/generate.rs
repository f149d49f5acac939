//! Realistic generated contacts and staff, for `--seed-contacts`, demos and
//! benchmarks: Hong Kong and international names (some in Chinese characters),
//! valid E.164 numbers, unique emails, companies, levels, types, languages and
//! birthdays, each within CINNOX's field rules. Deterministic for a given seed.

use super::wire::Staff;
use crate::model::{Contact, FieldId as F};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const FIRST: &[&str] = &[
    "Tai Man",
    "Siu Ming",
    "Ka Yan",
    "Wing Sze",
    "Chi Keung",
    "Mei Ling",
    "Ann",
    "Ben",
    "Carmen",
    "David",
    "Emily",
    "Frank",
    "Grace",
    "Henry",
    "Iris",
    "Jason",
    "Kelly",
    "Leo",
    "Mandy",
    "Nathan",
    "Olivia",
    "Peter",
    "Queenie",
    "Raymond",
    "Sharon",
    "Tommy",
    "大文",
    "美玲",
    "志強",
    "Priya",
    "Hiroshi",
    "Somchai",
    "Giulia",
];
const LAST: &[&str] = &[
    "Chan", "Wong", "Lee", "Cheung", "Lau", "Ng", "Leung", "Ho", "Lam", "Tsang", "Yip", "Kwok",
    "Smith", "Brown", "Taylor", "Patel", "Tanaka", "Suzuki", "Rossi", "陳", "黃", "李",
];
const COMPANIES: &[&str] = &[
    "Harbour Logistics Ltd",
    "Kowloon Trading Co",
    "Peak Financial Services",
    "Victoria Dental",
    "Lantau Travel",
    "Star Ferry Foods",
    "Jade Garden Restaurants",
    "Pearl River Tech",
    "Tsim Sha Tsui Optical",
    "Central Legal Partners",
    "",
];
const TEAMS: &[&str] = &[
    "Sales",
    "Procurement",
    "Finance",
    "Operations",
    "IT",
    "Marketing",
    "",
];
const TITLES: &[&str] = &[
    "Manager",
    "Director",
    "Assistant",
    "Engineer",
    "Accountant",
    "Buyer",
    "Owner",
    "",
];
const CITIES: &[(&str, &str)] = &[
    ("Hong Kong", "Hong Kong"),
    ("Kowloon", "Hong Kong"),
    ("Sha Tin", "Hong Kong"),
    ("Singapore", "Singapore"),
    ("Bangkok", "Thailand"),
    ("Tokyo", "Japan"),
];
const LEVELS: &[&str] = &["Primary", "Primary", "Secondary", "Tertiary"];
const TYPES: &[&str] = &["Lead", "Prospect", "Customer", "Customer", "Others"];
const LANGS: &[&str] = &["en", "zh-hant", "zh-hant", "zh-hans", "ja", "th", "it"];

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// An ASCII local part for an email: the name's letters, or `contact` for names
/// written in Chinese characters.
fn local_part(first: &str, last: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (f, l) = (clean(first), clean(last));
    match (f.is_empty(), l.is_empty()) {
        (false, false) => format!("{f}.{l}"),
        (false, true) => f,
        (true, false) => l,
        (true, true) => "contact".into(),
    }
}

/// `n` contacts (without ids or owners: the sandbox gives those), numbered from
/// `first_index` so that emails stay unique across calls.
pub fn contacts(n: usize, seed: u64, first_index: usize) -> Vec<Contact> {
    let mut rng = StdRng::seed_from_u64(seed ^ first_index as u64);
    (first_index..first_index + n)
        .map(|i| contact(&mut rng, i))
        .collect()
}

fn contact(rng: &mut StdRng, i: usize) -> Contact {
    let mut c = Contact::default();
    let v = &mut c.values;
    let (first, last) = (pick(rng, FIRST), pick(rng, LAST));
    v.set(F::FirstName, first);
    v.set(F::LastName, last);
    // Prefixes that libphonenumber's metadata holds as HK mobile ranges throughout.
    let mobile_prefix = pick(rng, &["94", "96", "97", "61", "63", "65", "69"]);
    v.set(
        F::MobilePhone,
        format!("+852{mobile_prefix}{}", digits(rng, 6)),
    );
    if rng.random_bool(0.3) {
        v.set(
            F::WorkPhone,
            format!("+8522{}{}", rng.random_range(3..10u8), digits(rng, 6)),
        );
    }
    if rng.random_bool(0.9) {
        v.set(
            F::Email,
            format!("{}{i}@example.hk", local_part(first, last)),
        );
    }
    if rng.random_bool(0.2) {
        v.set(
            F::PersonalEmail,
            format!("{}.{i}@mail.example.com", local_part(first, last)),
        );
    }
    if rng.random_bool(0.25) {
        v.set(F::WhatsApp, v.get(F::MobilePhone).to_string());
    }
    v.set(F::CompanyName, pick(rng, COMPANIES));
    v.set(F::Department, pick(rng, TEAMS));
    v.set(F::JobTitle, pick(rng, TITLES));
    v.set(F::Level, pick(rng, LEVELS));
    v.set(F::CustomerType, pick(rng, TYPES));
    v.set(F::Language, pick(rng, LANGS));
    if rng.random_bool(0.4) {
        let (d, m, y) = (
            rng.random_range(1..=28u8),
            rng.random_range(1..=12u8),
            rng.random_range(1950..=2005u16),
        );
        v.set(F::Birthday, format!("{d:02}/{m:02}/{y}"));
    }
    if rng.random_bool(0.5) {
        let (city, country) = CITIES[rng.random_range(0..CITIES.len())];
        v.set(F::City, city);
        v.set(F::Country, country);
        v.set(
            F::Street,
            format!("{} Nathan Road", rng.random_range(1..500u16)),
        );
    }
    c
}

/// The staff a fresh sandbox starts with; the first is the default owner of
/// contacts created through the API.
pub fn default_staff() -> Vec<Staff> {
    let s = |first: &str, last: &str, dept: &str, status: &str| Staff {
        id: String::new(),
        first_name: first.into(),
        last_name: last.into(),
        email: format!(
            "{}.{}@sandbox.example",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        display_name: format!("{first} {last}"),
        status: status.into(),
        department: dept.into(),
    };
    vec![
        s("Ada", "Wong", "Customer Care", "Activated"),
        s("Ben", "Chan", "Sales", "Activated"),
        s("Carmen", "Lee", "Sales", "Not activated"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Normaliser;
    use crate::validate::check_value;

    #[test]
    fn generated_contacts_pass_every_rule_and_repeat() {
        let n = Normaliser::default();
        let cs = contacts(2000, 42, 0);
        for c in &cs {
            for (f, v) in c.values.iter() {
                assert_eq!(check_value(f, v, &n), None, "{f}={v}");
            }
        }
        assert_eq!(contacts(5, 42, 0), cs[..5].to_vec());
        let emails: std::collections::HashSet<_> = cs
            .iter()
            .map(|c| c.values.get(F::Email))
            .filter(|e| !e.is_empty())
            .collect();
        assert!(emails.len() > 1700);
    }
}
