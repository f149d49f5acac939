//! What the tests plant in CINNOX, and what an audit must find there: contacts
//! that break CINNOX's rules (each violation known), duplicate groups (each with
//! the contact to keep), and look-alikes that are no duplicates.

use cinnox_sync::model::{Contact, FieldId as F};
use serde_json::Value;
use std::collections::BTreeSet;

pub fn contact(id: &str, fields: &[(F, &str)]) -> Contact {
    let mut c = Contact {
        id: id.into(),
        ..Contact::default()
    };
    for (f, v) in fields {
        c.values.set(*f, *v);
    }
    c
}

/// Contacts that break CINNOX's rules.
pub fn bad() -> Vec<Contact> {
    use F::*;
    let long = "陳".repeat(51);
    vec![
        contact(
            "bad-phone",
            &[
                (FirstName, "Pat"),
                (Email, "pat@example.com"),
                (MobilePhone, "+852 6123 4567"),
            ],
        ),
        contact(
            "bad-name",
            &[(FirstName, &long), (Email, "longname@example")],
        ),
        contact(
            "bad-date",
            &[
                (FirstName, "Dora"),
                (Email, "dora@example.com"),
                (Birthday, "31/04/1979"),
                (Level, "primary"),
            ],
        ),
        contact(
            "no-first",
            &[
                (LastName, "Only"),
                (Email, "only@example.com"),
                (CustomerType, "Other"),
            ],
        ),
        contact(
            "bad-number",
            &[
                (FirstName, "Ned"),
                (Email, "ned@example.com"),
                (WorkPhone, "+99912345678"),
                (Zipcode, "99907777777"),
            ],
        ),
        contact(
            "bad-lang",
            &[
                (FirstName, "Lin"),
                (Email, "lin@example.com"),
                (Language, "English"),
            ],
        ),
        contact("junk-1", &[(FirstName, "Jo"), (Email, "n/a")]),
        contact("junk-2", &[(FirstName, "Jon"), (Email, "n/a")]),
    ]
}

/// The violations `bad()` and `groups()` plant, besides duplicates: (id, column, rule).
pub fn planted_violations() -> BTreeSet<(String, String, String)> {
    [
        ("bad-phone", "Mobile Phone", "phone_format"),
        ("bad-name", "First Name", "max_length"),
        ("bad-name", "Email", "email"),
        ("bad-date", "Birth Date", "date_invalid"),
        ("bad-date", "Level", "enum"),
        ("no-first", "First Name", "required"),
        ("no-first", "Type", "enum"),
        ("bad-number", "Work Phone", "phone_invalid"),
        ("bad-number", "Zip Code", "max_length"),
        ("bad-lang", "Language", "enum"),
        ("junk-1", "Email", "email"),
        ("junk-2", "Email", "email"),
        ("g2-c", "Work Phone", "phone_format"),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect()
}

/// Duplicate groups, and look-alikes that are not duplicates.
pub fn groups() -> Vec<Contact> {
    use F::*;
    vec![
        // An email in different fields and cases; the more complete is kept.
        contact(
            "g1-a",
            &[(FirstName, "Grace"), (Email, "grace@example.com")],
        ),
        contact(
            "g1-b",
            &[
                (FirstName, "Grace"),
                (LastName, "Ho"),
                (PersonalEmail, "GRACE@Example.com"),
                (JobTitle, "Buyer"),
            ],
        ),
        // Transitive: a shares an email with b, b a phone (spelt differently) with c.
        contact("g2-a", &[(FirstName, "Hank"), (Email, "hank@example.com")]),
        contact(
            "g2-b",
            &[
                (FirstName, "Henry"),
                (Email, "hank@example.com"),
                (MobilePhone, "+85294110001"),
                (CompanyName, "Lantau Travel"),
                (JobTitle, "Manager"),
            ],
        ),
        contact("g2-c", &[(FirstName, "H."), (WorkPhone, "+852 9411 0001")]),
        // The same name and company, spelt differently.
        contact(
            "g3-a",
            &[
                (FirstName, "Wing Sze"),
                (LastName, "Lau"),
                (CompanyName, "Kowloon Trading Co"),
                (Email, "wsl@example.com"),
            ],
        ),
        contact(
            "g3-b",
            &[
                (FirstName, "wing sze"),
                (LastName, "LAU"),
                (CompanyName, "kowloon  trading co"),
                (Email, "wing.sze@example.hk"),
                (Department, "Sales"),
            ],
        ),
        // The less complete one has a row in the job's list: it is kept.
        contact(
            "g4-a",
            &[
                (FirstName, "Ivy"),
                (Email, "ivy@example.com"),
                (MobilePhone, "+85296110002"),
            ],
        ),
        contact(
            "g4-b",
            &[
                (FirstName, "Ivy"),
                (LastName, "Yip"),
                (MobilePhone, "+85296110002"),
                (CompanyName, "Acme"),
                (JobTitle, "Director"),
                (Department, "IT"),
            ],
        ),
        // Not duplicates: the same name at two companies, the same name and no company.
        contact(
            "twin-1",
            &[
                (FirstName, "Tai Man"),
                (LastName, "Chan"),
                (CompanyName, "Acme"),
                (Email, "tm1@example.com"),
            ],
        ),
        contact(
            "twin-2",
            &[
                (FirstName, "Tai Man"),
                (LastName, "Chan"),
                (CompanyName, "Beta"),
                (Email, "tm2@example.com"),
            ],
        ),
        contact(
            "mei-1",
            &[
                (FirstName, "Mei"),
                (LastName, "Wong"),
                (Email, "mei1@example.com"),
            ],
        ),
        contact(
            "mei-2",
            &[
                (FirstName, "Mei"),
                (LastName, "Wong"),
                (Email, "mei2@example.com"),
            ],
        ),
        contact(
            "clean-1",
            &[
                (FirstName, "Olive"),
                (Email, "olive@example.com"),
                (MobilePhone, "+85297110003"),
            ],
        ),
    ]
}

/// Every planted contact.
pub fn all() -> Vec<Contact> {
    let mut v = bad();
    v.extend(groups());
    v
}

/// The planted groups as (keeper with the job's list, absorbed) and (keeper
/// without a list) for the group whose keeper the list decides.
pub fn planted_groups(with_list: bool) -> BTreeSet<(String, BTreeSet<String>)> {
    let g = |keep: &str, absorb: &[&str]| {
        (
            keep.to_string(),
            absorb
                .iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<String>>(),
        )
    };
    let g4 = if with_list {
        g("g4-a", &["g4-b"])
    } else {
        g("g4-b", &["g4-a"])
    };
    [
        g("g1-b", &["g1-a"]),
        g("g2-b", &["g2-a", "g2-c"]),
        g("g3-b", &["g3-a"]),
        g4,
    ]
    .into_iter()
    .collect()
}

/// The job's list: one row, for g4-a (matched by its email).
pub fn list_csv() -> String {
    crate::sync_support::sandbox::csv_text(&[vec![
        ("First Name", "Ivy".into()),
        ("Email", "ivy@example.com".into()),
    ]])
}

/// The `(id, column, rule)` of every violation of a JSON report of CINNOX that is
/// not a duplicate, and the ids of those that are.
pub fn found(report: &Value) -> (BTreeSet<(String, String, String)>, BTreeSet<String>) {
    let mut rules = BTreeSet::new();
    let mut dups = BTreeSet::new();
    for v in report["violations"].as_array().expect("violations") {
        let id = v["id"].as_str().expect("placed by contact id").to_string();
        if v["rule"] == "duplicate" {
            dups.insert(id);
        } else {
            let column = v["column"].as_str().unwrap_or_default().to_string();
            rules.insert((
                id,
                column,
                v["rule"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    (rules, dups)
}

/// The merge suggestions of a JSON report, as `planted_groups` gives them.
pub fn merges(report: &Value) -> BTreeSet<(String, BTreeSet<String>)> {
    report["merges"]
        .as_array()
        .expect("merges")
        .iter()
        .map(|m| {
            let keep = m["keep"]["id"].as_str().unwrap_or_default().to_string();
            let absorb = m["absorb"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap_or_default().to_string())
                .collect();
            (keep, absorb)
        })
        .collect()
}
