use super::*;

#[test]
fn every_shipped_mapping_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let m = Mapping::load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(!m.fields().is_empty(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 2);
    let b = Mapping::builtin();
    assert_eq!(b.id_column, "CINNOX ID");
    assert_eq!(b.match_keys, vec![MatchKey::AnyEmail, MatchKey::AnyPhone]);
    assert_eq!(b.columns[0], ("First Name".to_string(), FieldId::FirstName));
    assert_eq!(b.headers().len(), 22);
}

#[test]
fn mistakes_name_the_key() {
    let err = |text: &str| Mapping::parse(text, "m.toml").unwrap_err().to_string();
    assert!(
        err("[columns]\n\"Name\" = \"fullname\"")
            .contains("columns.\"Name\": unknown field `fullname`")
    );
    assert!(err("colums = {}").contains("unknown field `colums`"));
    assert!(err("default_region = \"XX\"").contains("default_region"));
    assert!(err("match_keys = [\"fax\"]").contains("match_keys: `fax`"));
    assert!(err("[typed.fax]\ntype_column = \"a\"\nvalue_column = \"b\"").contains("typed.fax"));
    assert!(
        err("[typed.phone]\ntype_column = \"a\"\nvalue_column = \"b\"\ndefault_type = \"Fax\"")
            .contains("default_type")
    );
    let twice = "[columns]\n\"Mobile\" = \"mobilePhone\"\n[typed.phone]\ntype_column = \"T\"\nvalue_column = \"V\"";
    assert!(err(twice).contains("mobilePhone is mapped twice"));
    assert!(err("[columns]\n\"A\" = \"email\"\n\"a\" = \"lastName\"").contains("header `a`"));
    assert!(err("[sync.fields.ownerId]\ndirection = \"both\"").contains("cannot be written"));
}

#[test]
fn field_sync_defaults_and_overrides() {
    let m = Mapping::parse(
        "[sync]\nconflict = \"cinnox-wins\"\n[sync.fields.level]\ndirection = \"to-cinnox\"",
        "m",
    )
    .unwrap();
    assert_eq!(m.field_sync(FieldId::Level).direction, Direction::ToCinnox);
    assert_eq!(
        m.field_sync(FieldId::Level).conflict,
        ConflictPolicy::CinnoxWins
    );
    assert_eq!(m.field_sync(FieldId::FirstName).direction, Direction::Both);
    assert_eq!(
        m.field_sync(FieldId::OwnerName).direction,
        Direction::FromCinnox
    );
}

#[test]
fn a_field_policy_beats_the_job_which_beats_the_mapping_default() {
    let m = Mapping::parse(
        "[sync]\nconflict = \"report\"\n[sync.fields.jobTitle]\nconflict = \"cinnox-wins\"\n[sync.fields.level]\ndirection = \"to-cinnox\"",
        "m",
    )
    .unwrap();
    let job = Some(ConflictPolicy::SourceWins);
    assert_eq!(
        m.conflict_policy(FieldId::JobTitle, job),
        (
            ConflictPolicy::CinnoxWins,
            PolicyFrom::MappingField(FieldId::JobTitle)
        )
    );
    // A field with settings of its own but no conflict policy follows the job.
    assert_eq!(
        m.conflict_policy(FieldId::Level, job),
        (ConflictPolicy::SourceWins, PolicyFrom::Job)
    );
    assert_eq!(
        m.conflict_policy(FieldId::FirstName, None),
        (ConflictPolicy::Report, PolicyFrom::Mapping)
    );
    assert_eq!(
        PolicyFrom::MappingField(FieldId::JobTitle).to_string(),
        "sync.fields.jobTitle.conflict in the mapping"
    );
}
