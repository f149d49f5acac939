use super::*;
use crate::model::FieldId as F;

fn contact(id: &str, fields: &[(F, &str)]) -> Contact {
    let mut c = Contact {
        id: id.into(),
        ..Contact::default()
    };
    for (f, v) in fields {
        c.values.set(*f, *v);
    }
    c
}

fn table(rows: &[&[&str]]) -> Table {
    let header = [
        "CINNOX ID",
        "First Name",
        "Last Name",
        "Company",
        "Email",
        "Mobile Phone",
    ];
    Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
        row_numbers: (2..2 + rows.len()).collect(),
        ..Table::default()
    }
}

#[test]
fn each_row_is_told_what_an_import_would_do_wrong() {
    let mapping = Mapping::parse(
        "match_keys = [\"email\", \"phone\"]\n[columns]\n\"First Name\" = \"firstName\"\n\
         \"Last Name\" = \"lastName\"\n\"Company\" = \"companyName\"\n\"Email\" = \"email\"\n\
         \"Mobile Phone\" = \"mobilePhone\"",
        "test",
    )
    .unwrap();
    let contacts = [
        contact("c1", &[(F::FirstName, "Ann"), (F::Email, "ann@x.hk")]),
        contact(
            "c2",
            &[(F::FirstName, "Bo"), (F::MobilePhone, "+85291234567")],
        ),
        contact(
            "c3",
            &[(F::FirstName, "Bob"), (F::WorkPhone, "+852 9123 4567")],
        ),
        contact(
            "c4",
            &[
                (F::FirstName, "Cy"),
                (F::LastName, "Ng"),
                (F::CompanyName, "Acme"),
            ],
        ),
        Contact {
            slave_contacts: vec!["old".into()],
            ..contact("c5", &[(F::FirstName, "Dee")])
        },
    ];
    let t = table(&[
        &["c1", "Ann", "", "", "", ""],
        &["c404", "Who", "", "", "", ""],
        &["old", "Dee", "", "", "", ""],
        &["", "Ann", "", "", "ANN@x.hk", ""],
        &["", "Bo", "", "", "", "+852 9123 4567"],
        &["", "cy", "NG", "ACME", "cy@new.hk", ""],
        &["", "New", "Person", "", "new@x.hk", ""],
        &["", "", "", "", "", ""],
    ]);
    let columns = mapping.resolve(&t.header, "t").unwrap();
    let (found, counts) = check_against(&t, &columns, &mapping, &contacts);
    let got: Vec<(u64, &str, &str, Vec<&str>)> = found
        .iter()
        .map(|v| {
            let col = &t.header[v.column.unwrap()];
            let related = v.related.iter().map(String::as_str).collect();
            (v.line, col.as_str(), v.rule.code(), related)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "CINNOX ID", "unknown_id", vec![]),
            (6, "Mobile Phone", "ambiguous_match", vec!["c2", "c3"]),
            (7, "First Name", "would_duplicate", vec!["c4"]),
        ]
    );
    assert_eq!(found[2].severity, crate::validate::Severity::Warning);
    assert!(found[1].message.contains("c2 (Bo)"), "{}", found[1].message);
    assert!(
        found[2].message.contains("same name and company"),
        "{}",
        found[2].message
    );
    // Matched: c1 by id, old (merged into c5), Ann by email; new: Cy and New.
    assert_eq!(
        counts,
        Against {
            contacts: 5,
            matched: 3,
            new: 2
        }
    );
    let rows = rows_by_contact(&t, &columns, &mapping, &contacts);
    assert_eq!(rows.get("c1"), Some(&2), "the first row naming it");
    assert_eq!(rows.get("c404"), Some(&3));
}
