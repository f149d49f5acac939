//! `audit LIST --against-cinnox`: per row, an unknown CINNOX ID, a match to several
//! contacts, and a new contact that would duplicate a stored one, each naming the
//! contacts concerned; the list's own rules as before.

use super::planted;
use crate::sync_support::sandbox::Env;
use serde_json::Value;

const HEADER: &str = "First Name,Last Name,Level,Type,Phone Type,Phone Number,Email Type,Email Address,Company,Job Title,Team,Group,Language,Birth Date,Zip Code,Street,City,State,Country,Social Messaging Type,Social Messaging Name Id,CINNOX ID";

fn row(first: &str, last: &str, phone: &str, email: &str, company: &str, id: &str) -> String {
    let phone_type = if phone.is_empty() { "" } else { "Mobile" };
    let email_type = if email.is_empty() { "" } else { "Work" };
    format!(
        "{first},{last},,,{phone_type},{phone},{email_type},{email},{company},,,,,,,,,,,,,{id}\n"
    )
}

#[test]
fn each_row_is_checked_against_the_contacts_cinnox_holds() {
    let env = Env::new(&planted::list_csv(), planted::all());
    let mut text = format!("{HEADER}\n");
    text += &row("Pat", "", "", "", "", "bad-phone"); // 2: matched by id
    text += &row("Who", "", "", "", "", "no-such-id"); // 3: unknown id
    text += &row("Ivy", "", "+852 9611 0002", "", "", ""); // 4: g4-a and g4-b by phone
    text += &row("Tai Man", "Chan", "", "taiman@new.example.com", "ACME", ""); // 5: twin-1 by name+company
    text += &row("Olive", "", "", "OLIVE@example.com", "", ""); // 6: clean-1 by email
    text += &row("Brand", "New", "", "brand@new.example.com", "", ""); // 7: new
    text += &row("Bad", "", "12345", "", "", ""); // 8: the list's own rule
    std::fs::write(env.dir.path().join("leads.csv"), text).unwrap();
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    let out = env
        .cmd()
        .args([
            "audit",
            "leads.csv",
            "-c",
            env.job.to_str().unwrap(),
            "-m",
            m,
        ])
        .args(["--against-cinnox", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(u64, &str, &str, Vec<&str>)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let related = x["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            (
                x["line"].as_u64().unwrap(),
                x["column"].as_str().unwrap(),
                x["rule"].as_str().unwrap(),
                related,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "CINNOX ID", "unknown_id", vec![]),
            (4, "Phone Number", "phone_format", vec![]),
            (4, "Phone Number", "ambiguous_match", vec!["g4-a", "g4-b"]),
            (5, "First Name", "would_duplicate", vec!["twin-1"]),
            (8, "Phone Number", "phone_format", vec![]),
        ]
    );
    let dup = &v["violations"][3];
    assert_eq!(dup["severity"], "warning");
    assert!(
        dup["message"]
            .as_str()
            .unwrap()
            .contains("twin-1 (Tai Man Chan, owner Ada Wong)"),
        "{dup:#}"
    );
    assert_eq!(
        v["cinnox"],
        serde_json::json!({"contacts": planted::all().len(), "matched": 2, "new": 3})
    );
    for code in [
        "unknown_id",
        "ambiguous_match",
        "would_duplicate",
        "structure",
    ] {
        assert!(v["summary"].get(code).is_some(), "{code}");
    }

    // The terminal report says the same, in words.
    let out = env
        .cmd()
        .args([
            "audit",
            "leads.csv",
            "-c",
            env.job.to_str().unwrap(),
            "-m",
            m,
        ])
        .arg("--against-cinnox")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("against CINNOX (22 contacts)"), "{text}");
    assert!(
        text.contains("matches 2 CINNOX contacts by phone"),
        "{text}"
    );
}
