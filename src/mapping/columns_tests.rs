use super::*;
use crate::mapping::Mapping;

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const SMALL: &str = r#"
id_column = "CINNOX ID"
[columns]
"First Name" = "firstName"
[typed.phone]
type_column = "Phone Type"
value_column = "Phone Number"
default_type = "Mobile"
"#;

#[test]
fn headers_match_loosely_and_extras_are_ignored() {
    let m = Mapping::parse(SMALL, "small").unwrap();
    let cols = m
        .resolve(
            &header(&[
                "phone  number",
                "Notes",
                "FIRST_NAME",
                "Phone Type",
                "cinnox id",
            ]),
            "f.csv",
        )
        .unwrap();
    assert_eq!(cols.field_col(FieldId::FirstName), Some(2));
    assert_eq!(cols.id_col, Some(4));
    assert_eq!(cols.ignored, vec![(1, "Notes".to_string())]);
    assert_eq!(cols.role(0), Some(Role::PairValue(0)));
}

#[test]
fn missing_and_duplicate_columns_are_named() {
    let m = Mapping::parse(SMALL, "small").unwrap();
    let e = m
        .resolve(&header(&["First Name"]), "f.csv")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`Phone Type`, `Phone Number`") && e.contains("f.csv"),
        "{e}"
    );
    let e = m
        .resolve(
            &header(&["First Name", "first name", "Phone Type", "Phone Number"]),
            "f.csv",
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("twice"), "{e}");
    // The id column may be absent: sync adds it.
    assert_eq!(
        m.resolve(&header(&["First Name", "Phone Type", "Phone Number"]), "f")
            .unwrap()
            .id_col,
        None
    );
}

#[test]
fn pairs_place_values_by_type() {
    let m = Mapping::parse(SMALL, "small").unwrap();
    let cols = m
        .resolve(
            &header(&["First Name", "Phone Type", "Phone Number", "CINNOX ID"]),
            "f",
        )
        .unwrap();
    let row = cells(&["Ann", "work", "+85221234567", " c1 "]);
    assert_eq!(cols.id(&row), "c1");
    let v = cols.values(&row);
    assert_eq!(v.get(FieldId::WorkPhone), "+85221234567");
    assert_eq!(
        cols.covered(&row, None),
        vec![FieldId::FirstName, FieldId::WorkPhone]
    );
    // Empty type: the default type.
    let row = cells(&["Ann", "", "+85291234567", ""]);
    assert_eq!(cols.values(&row).get(FieldId::MobilePhone), "+85291234567");
    // Unknown type: the value is not placed.
    let row = cells(&["Ann", "Fax", "+85221234567", ""]);
    assert_eq!(cols.pair_slot(0, &row), PairSlot::Unplaced);
    assert!(!cols.values(&row).has(FieldId::OtherPhone));
}

#[test]
fn writing_back_goes_through_the_pair() {
    let m = Mapping::parse(SMALL, "small").unwrap();
    let cols = m
        .resolve(
            &header(&["First Name", "Phone Type", "Phone Number", "CINNOX ID"]),
            "f",
        )
        .unwrap();
    let empty = cells(&["Ann", "", "", ""]);
    let mut contact = FieldValues::new();
    contact.set(FieldId::HomePhone, "+85221234567");
    assert_eq!(
        cols.covered(&empty, Some(&contact)),
        vec![FieldId::FirstName, FieldId::HomePhone]
    );
    assert_eq!(
        cols.cell_edits(&empty, FieldId::HomePhone, "+85221234567"),
        vec![(1, "Home".to_string()), (2, "+85221234567".to_string())]
    );
    let work = cells(&["Ann", "Work", "+85221234567", ""]);
    assert!(
        cols.cell_edits(&work, FieldId::MobilePhone, "+85291234567")
            .is_empty()
    );
    assert_eq!(
        cols.cell_edits(&work, FieldId::WorkPhone, "+85221111111"),
        vec![(2, "+85221111111".to_string())]
    );
    contact.set(FieldId::FirstName, "Bo");
    assert_eq!(
        cols.new_row("c9", &contact),
        cells(&["Bo", "Home", "+85221234567", "c9"])
    );
}

#[test]
fn resolve_present_lists_what_the_list_lacks_and_reads_the_rest() {
    let m = Mapping::parse(SMALL, "small").unwrap();
    // A list with the phone numbers only: no first name, no type column.
    let cols = m
        .resolve_present(&header(&["Phone Number", "Notes"]), "f.csv")
        .unwrap();
    let absent: Vec<&str> = cols.absent.iter().map(|a| a.header.as_str()).collect();
    assert_eq!(absent, ["First Name", "Phone Type"]);
    assert_eq!(cols.absent[0].fields, [FieldId::FirstName]);
    assert_eq!(cols.pairs[0].type_col, None);
    assert_eq!(cols.ignored, vec![(1, "Notes".to_string())]);
    // Every number is the pair's default type (Mobile), and writes go to it only.
    let row = cells(&["+85291234567", ""]);
    assert_eq!(
        cols.pair_slot(0, &row),
        PairSlot::Field(FieldId::MobilePhone)
    );
    assert_eq!(cols.values(&row).get(FieldId::MobilePhone), "+85291234567");
    let empty = cells(&["", ""]);
    assert_eq!(
        cols.cell_edits(&empty, FieldId::MobilePhone, "+1"),
        vec![(0, "+1".to_string())]
    );
    assert!(cols.cell_edits(&empty, FieldId::WorkPhone, "+1").is_empty());
    let mut c = crate::model::FieldValues::new();
    c.set(FieldId::WorkPhone, "+85221234567");
    assert!(cols.covered(&empty, Some(&c)).is_empty());
    c.set(FieldId::MobilePhone, "+85291234567");
    assert_eq!(cols.covered(&empty, Some(&c)), vec![FieldId::MobilePhone]);
    // The strict form refuses the same list, naming both columns.
    let e = m
        .resolve(&header(&["Phone Number", "Notes"]), "f.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("`First Name`, `Phone Type`"), "{e}");
}

#[test]
fn a_pair_without_default_type_needs_its_type_column() {
    let m = Mapping::parse(
        "[typed.social]\ntype_column = \"Social Type\"\nvalue_column = \"Social Id\"",
        "s",
    )
    .unwrap();
    let cols = m.resolve_present(&header(&["Social Id"]), "f.csv").unwrap();
    assert!(cols.pairs.is_empty());
    let absent: Vec<&str> = cols.absent.iter().map(|a| a.header.as_str()).collect();
    assert_eq!(absent, ["Social Type"]);
    assert_eq!(cols.ignored, vec![(0, "Social Id".to_string())]);
}
