//! The benchmark's generator at a small size: the audit reports exactly the
//! injected defects (none missed, nothing else), whatever the number of workers.

use crate::audit_support;
#[path = "../../../benches/audit/contacts.rs"]
#[allow(dead_code)]
mod contacts;

use std::collections::BTreeSet;

#[test]
fn every_injected_defect_is_found_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    let mut manifest = Vec::new();
    let g = contacts::generate(6_000, 7, &mut data, &mut manifest).unwrap();
    assert!(g.defects > 60, "{}", g.defects);
    std::fs::write(dir.path().join("gen.csv"), &data).unwrap();
    let expected: BTreeSet<(u64, String, String)> = csv::Reader::from_reader(manifest.as_slice())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].to_string(), r[2].to_string())
        })
        .collect();
    let kinds: BTreeSet<&str> = expected.iter().map(|(_, _, rule)| rule.as_str()).collect();
    assert_eq!(kinds.len(), 10, "every rule is injected: {kinds:?}");

    let mut reports = Vec::new();
    for threads in ["1", "2", "3"] {
        let r = audit_support::audit_in(dir.path(), &["gen.csv", "--json", "--threads", threads]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let found = audit_support::triples(&r.stdout);
        let found_set: BTreeSet<_> = found.iter().cloned().collect();
        assert_eq!(found.len(), found_set.len(), "a violation reported twice");
        let missed: Vec<_> = expected.difference(&found_set).collect();
        let extra: Vec<_> = found_set.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "missed {missed:?}\nextra {extra:?}"
        );
        reports.push(r.stdout);
    }
    assert!(
        reports.windows(2).all(|w| w[0] == w[1]),
        "reports differ by thread count"
    );
}
