use super::*;
use crate::model::FieldId as F;

fn vals(pairs: &[(F, &str)]) -> FieldValues {
    pairs.iter().map(|(f, v)| (*f, *v)).collect()
}

fn mapping(sync: &str) -> Mapping {
    Mapping::parse(
        &format!("[columns]\n\"A\" = \"jobTitle\"\n\"O\" = \"ownerName\"\n{sync}"),
        "t",
    )
    .unwrap()
}

#[test]
fn one_sided_changes_flow_and_equal_spellings_do_not() {
    let m = mapping("");
    let base = vals(&[(F::JobTitle, "CEO")]);
    let d = diff_pair(
        &m,
        None,
        &[F::JobTitle],
        &vals(&[(F::JobTitle, "CTO")]),
        &base,
        Some(&base),
    );
    assert_eq!(d.to_cinnox.len(), 1);
    assert_eq!(d.new_base.unwrap().get(F::JobTitle), "CTO");
    let d = diff_pair(
        &m,
        None,
        &[F::JobTitle],
        &base,
        &vals(&[(F::JobTitle, "COO")]),
        Some(&base),
    );
    assert_eq!(d.to_row, vec![(F::JobTitle, "COO".to_string())]);
    let d = diff_pair(
        &m,
        None,
        &[F::JobTitle],
        &vals(&[(F::JobTitle, " CEO ")]),
        &base,
        Some(&base),
    );
    assert!(d.is_quiet() && d.new_base.is_none());
}

#[test]
fn directions_decide_who_wins_and_say_so() {
    // to-cinnox: a change made in CINNOX is overwritten by the list's value.
    let m = mapping("[sync.fields.jobTitle]\ndirection = \"to-cinnox\"");
    let base = vals(&[(F::JobTitle, "CEO")]);
    let d = diff_pair(
        &m,
        None,
        &[F::JobTitle],
        &base,
        &vals(&[(F::JobTitle, "COO")]),
        Some(&base),
    );
    assert_eq!(d.to_cinnox[0].to, "CEO");
    assert!(d.to_row.is_empty());
    assert!(d.notes[0].1.contains("overwritten"));
    // from-cinnox (owner): an edit in the list is replaced and reported.
    let m = mapping("");
    let base = vals(&[(F::OwnerName, "Ada")]);
    let d = diff_pair(
        &m,
        None,
        &[F::OwnerName],
        &vals(&[(F::OwnerName, "Me")]),
        &base,
        Some(&base),
    );
    assert_eq!(d.to_row, vec![(F::OwnerName, "Ada".to_string())]);
    assert!(d.to_cinnox.is_empty());
    assert!(d.notes[0].1.contains("ownership transfer"));
    // ignore: never compared.
    let m = mapping("[sync.fields.jobTitle]\ndirection = \"ignore\"");
    let d = diff_pair(
        &m,
        None,
        &[F::JobTitle],
        &vals(&[(F::JobTitle, "X")]),
        &vals(&[(F::JobTitle, "Y")]),
        None,
    );
    assert!(d.is_quiet());
}

#[test]
fn report_keeps_the_base_and_an_override_beats_the_mapping() {
    let m = mapping("[sync]\nconflict = \"report\"");
    let base = vals(&[(F::JobTitle, "CEO")]);
    let (row, contact) = (vals(&[(F::JobTitle, "CTO")]), vals(&[(F::JobTitle, "COO")]));
    let d = diff_pair(&m, None, &[F::JobTitle], &row, &contact, Some(&base));
    assert_eq!(d.conflicts.len(), 1);
    assert!(
        d.new_base.is_none(),
        "the base stays until someone settles it"
    );
    let d = diff_pair(
        &m,
        Some(ConflictPolicy::CinnoxWins),
        &[F::JobTitle],
        &row,
        &contact,
        Some(&base),
    );
    assert_eq!(d.to_row, vec![(F::JobTitle, "COO".to_string())]);
}
