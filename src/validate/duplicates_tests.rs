use super::*;
use crate::model::FieldId;

fn header() -> Vec<String> {
    vec!["Email".into(), "Phone".into()]
}

#[test]
fn same_values_on_two_rows_are_both_reported() {
    let mut idx = DuplicateIndex::default();
    let mut k = Keys::default();
    let email = Subject::Field(FieldId::Email);
    k.push(KeyKind::Email, 2, 0, email, "ann@x.hk", "Ann@X.hk");
    k.push(
        KeyKind::Phone,
        2,
        1,
        Subject::Field(FieldId::MobilePhone),
        "+85291234567",
        "+85291234567",
    );
    k.push(KeyKind::Email, 3, 0, email, "bob@x.hk", "bob@x.hk");
    idx.add(k);
    let mut k = Keys::default();
    k.push(KeyKind::Email, 9, 0, email, "ann@x.hk", "ann@x.hk");
    // The same text as a phone is not the same as an email.
    k.push(
        KeyKind::Phone,
        9,
        1,
        Subject::Field(FieldId::WorkPhone),
        "ann@x.hk",
        "ann@x.hk",
    );
    idx.add(k);
    let v = idx.finish(&header());
    assert_eq!(v.len(), 2);
    assert_eq!((v[0].line, v[0].value.as_str()), (2, "Ann@X.hk"));
    assert_eq!(v[0].message, "Email has the same email as line 9");
    assert_eq!(v[1].message, "Email has the same email as line 2");
    assert_eq!(v[1].severity, Severity::Warning);
}

#[test]
fn a_value_twice_on_one_row_is_not_a_duplicate() {
    let mut idx = DuplicateIndex::default();
    let mut k = Keys::default();
    k.push(
        KeyKind::Phone,
        5,
        0,
        Subject::Field(FieldId::MobilePhone),
        "+6581234567",
        "+6581234567",
    );
    k.push(
        KeyKind::Phone,
        5,
        1,
        Subject::Field(FieldId::WorkPhone),
        "+6581234567",
        "+6581234567",
    );
    idx.add(k);
    assert!(idx.finish(&header()).is_empty());
}

#[test]
fn a_key_is_32_bytes() {
    assert_eq!(std::mem::size_of::<Entry>(), 32);
}

#[test]
fn lines_far_apart_in_one_batch_keep_their_numbers() {
    // A batch's lines are kept as offsets from its first; one more than 4
    // billion lines after it, or before it, is kept whole.
    let far = 2 + (1u64 << 32) + 7;
    let email = Subject::Field(FieldId::Email);
    let mut idx = DuplicateIndex::default();
    let mut k = Keys::default();
    k.push(KeyKind::Email, 10, 0, email, "a@x.hk", "a@x.hk");
    k.push(KeyKind::Email, far, 0, email, "b@x.hk", "b@x.hk");
    k.push(KeyKind::Email, 3, 0, email, "c@x.hk", "c@x.hk");
    k.push(KeyKind::Email, 11, 0, email, "d@x.hk", "d@x.hk");
    idx.add(k);
    let mut k = Keys::default();
    for (line, v) in [
        (far + 1, "a@x.hk"),
        (far + 2, "b@x.hk"),
        (far + 3, "c@x.hk"),
    ] {
        k.push(KeyKind::Email, line, 0, email, v, v);
    }
    k.push(KeyKind::Email, far + 4, 0, email, "d@x.hk", "d@x.hk");
    idx.add(k);
    let got: Vec<(u64, String)> = idx
        .finish(&header())
        .into_iter()
        .map(|v| (v.line, v.message))
        .collect();
    let want = |line: u64, other: u64| (line, format!("Email has the same email as line {other}"));
    assert_eq!(
        got,
        vec![
            want(3, far + 3),
            want(10, far + 1),
            want(11, far + 4),
            want(far, far + 2),
            want(far + 1, 10),
            want(far + 2, far),
            want(far + 3, 3),
            want(far + 4, 11),
        ]
    );
}

#[test]
fn hash_collisions_are_told_apart_by_the_bytes() {
    let mut idx = DuplicateIndex::default();
    let mut k = Keys::default();
    k.push(KeyKind::Email, 2, 0, Subject::Id, "a", "a");
    k.push(KeyKind::Email, 3, 0, Subject::Id, "b", "b");
    // Force a collision: same hash, different values.
    k.entries[1].hash = k.entries[0].hash;
    idx.add(k);
    assert!(idx.finish(&header()).is_empty());
}

#[test]
fn long_groups_name_a_few_lines_and_count_the_rest() {
    assert_eq!(other_lines(&[2, 3], 2), "line 3");
    assert_eq!(other_lines(&[2, 3, 4], 3), "lines 2 and 4");
    assert_eq!(
        other_lines(&(1..=10).collect::<Vec<_>>(), 1),
        "lines 2, 3, 4, 5, 6 and 4 more"
    );
}
