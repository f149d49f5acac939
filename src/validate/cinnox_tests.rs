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

#[test]
fn rows_are_contacts_and_columns_are_fields() {
    let contacts = [
        contact("ok", &[(F::FirstName, "Fine"), (F::Email, "fine@x.hk")]),
        contact(
            "bad",
            &[
                (F::FirstName, "Bad"),
                (F::MobilePhone, "+852 9123 4567"),
                (F::Level, "primary"),
                (F::OwnerName, "Ada Wong"),
            ],
        ),
        contact("noname", &[(F::Email, "x@x.hk")]),
    ];
    let r = audit_contacts(&contacts, &Mapping::builtin(), &HashMap::new(), "CINNOX");
    assert!(r.of_cinnox());
    assert_eq!(r.rows, 3);
    let got: Vec<(&str, &str, &str, Option<&str>)> = r
        .violations
        .iter()
        .map(|v| {
            let crate::validate::violation::Place::Contact(c) = r.place(v) else {
                panic!("placed by line: {v:?}");
            };
            (
                c.id.as_str(),
                r.column_name(v),
                v.rule.code(),
                v.suggestion.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("bad", "Mobile Phone", "phone_format", Some("+85291234567")),
            ("bad", "Level", "enum", Some("Primary")),
            ("noname", "First Name", "required", None),
        ]
    );
    // Only the contacts the report names are kept, in listing order.
    assert_eq!(r.contacts.len(), 2);
    assert_eq!(r.contacts[0].owner, "Ada Wong");
    assert!(
        r.violations[0]
            .message
            .starts_with("Mobile Phone is not written as E.164")
    );
    assert!(r.merges.is_empty());
}

#[test]
fn a_group_is_one_suggestion_with_a_warning_on_each_shared_value() {
    let contacts = [
        contact("a", &[(F::FirstName, "Ann"), (F::Email, "ann@x.hk")]),
        contact("z", &[(F::FirstName, "Zoe"), (F::Email, "zoe@x.hk")]),
        contact(
            "b",
            &[
                (F::FirstName, "Ann"),
                (F::LastName, "Lee"),
                (F::PersonalEmail, "ANN@x.hk"),
            ],
        ),
    ];
    let rows: HashMap<String, u64> = [("a".to_string(), 12)].into_iter().collect();
    let r = audit_contacts(&contacts, &Mapping::builtin(), &rows, "CINNOX");
    assert_eq!(r.merges.len(), 1);
    let m = &r.merges[0];
    assert_eq!(r.contacts[m.keep].id, "a", "the one with a row in the list");
    assert_eq!(m.absorb.len(), 1);
    assert_eq!(r.contacts[m.absorb[0]].id, "b");
    assert!(m.why.contains("line 12"), "{}", m.why);
    assert_eq!(
        m.shared,
        vec![("email".into(), "ann@x.hk".into(), vec![0, 1])]
    );
    let dups: Vec<(&str, &str, &[String])> = r
        .violations
        .iter()
        .map(|v| (r.column_name(v), v.message.as_str(), v.related.as_slice()))
        .collect();
    assert_eq!(dups.len(), 2, "{dups:#?}");
    assert_eq!(dups[0].0, "Email");
    assert_eq!(
        dups[0].1,
        "Email is the same email as on b (Ann Lee); merge suggestion 1: keep this contact and merge the other one into it"
    );
    assert_eq!(dups[1].0, "Personal Email");
    assert!(
        dups[1].1.ends_with("merge this contact into a (Ann)"),
        "{}",
        dups[1].1
    );
    assert_eq!(dups[1].2, ["a".to_string()]);
    assert_eq!(r.warnings(), 2);
}

/// A fix list built from a report of CINNOX is imported with this mapping: its
/// columns must be the report's column names, one per field.
#[test]
fn the_fix_list_mapping_names_every_field_as_the_report_does() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-fields.toml");
    let m = Mapping::load(std::path::Path::new(path)).unwrap();
    let want: Vec<(String, F)> = F::ALL.iter().map(|f| (f.label().to_string(), *f)).collect();
    assert_eq!(m.columns, want);
    assert!(m.required.is_empty() && m.match_keys.is_empty());
    assert_eq!(m.id_column, "CINNOX ID");
    assert_eq!(
        crate::validate::report::csv::CINNOX_HEADER[0],
        m.id_column,
        "the report's id column is the fix list's"
    );
}
