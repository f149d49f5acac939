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
    assert_eq!(d.notes[0], (F::JobTitle, NoteKind::OverwrittenInCinnox));
    assert!(
        d.notes[0]
            .1
            .message(F::JobTitle, "Job Title")
            .starts_with("Job Title flows from the list only")
    );
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
    assert!(
        d.notes[0]
            .1
            .message(F::OwnerName, "Owner")
            .contains("ownership transfer")
    );
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

#[test]
fn a_field_policy_beats_the_job_policy_and_says_where_it_was_set() {
    let m = mapping(
        "[sync]\nconflict = \"report\"\n[sync.fields.jobTitle]\nconflict = \"cinnox-wins\"",
    );
    let base = vals(&[(F::JobTitle, "CEO")]);
    let (row, contact) = (vals(&[(F::JobTitle, "CTO")]), vals(&[(F::JobTitle, "COO")]));
    let d = diff_pair(
        &m,
        Some(ConflictPolicy::SourceWins),
        &[F::JobTitle],
        &row,
        &contact,
        Some(&base),
    );
    assert_eq!(d.to_row, vec![(F::JobTitle, "COO".to_string())]);
    assert!(d.to_cinnox.is_empty());
    assert_eq!(
        d.conflicts[0].policy_from,
        Some(crate::mapping::PolicyFrom::MappingField(F::JobTitle))
    );
}

fn enum_mapping() -> Mapping {
    Mapping::parse(
        "[columns]\n\"Level\" = \"level\"\n[sync.fields.level]\nconflict = \"report\"",
        "t",
    )
    .unwrap()
}

#[test]
fn an_empty_level_is_unset_filled_from_cinnox_never_a_conflict() {
    let m = enum_mapping();
    let empty = vals(&[]);
    let secondary = vals(&[(F::Level, "Secondary")]);
    // A first link: filled, not a conflict between a default and CINNOX's value.
    let d = diff_pair(&m, None, &[F::Level], &empty, &secondary, None);
    assert!(d.conflicts.is_empty());
    assert_eq!(d.to_row, vec![(F::Level, "Secondary".to_string())]);
    assert_eq!(d.new_base.unwrap().get(F::Level), "Secondary");
    // Emptied in the list: never sent (CINNOX cannot hold it empty), filled again.
    let d = diff_pair(&m, None, &[F::Level], &empty, &secondary, Some(&secondary));
    assert!(d.to_cinnox.is_empty() && d.conflicts.is_empty());
    assert_eq!(d.to_row, vec![(F::Level, "Secondary".to_string())]);
    // A level typed in the list still differs from CINNOX's.
    let primary = vals(&[(F::Level, "Primary")]);
    let d = diff_pair(&m, None, &[F::Level], &primary, &secondary, None);
    assert_eq!(d.conflicts.len(), 1);
}
