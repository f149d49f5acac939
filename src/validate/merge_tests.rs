use super::*;
use crate::model::FieldId as F;
use proptest::prelude::*;

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

fn member_sets(contacts: &[Contact]) -> Vec<Vec<&str>> {
    groups(contacts, &Normaliser::default())
        .iter()
        .map(|g| g.members.iter().map(|i| contacts[*i].id.as_str()).collect())
        .collect()
}

#[test]
fn tricky_cases_group_only_the_same_person() {
    use F::*;
    let cs = [
        // Same name, different company: two people.
        contact(
            "a1",
            &[(FirstName, "Ann"), (LastName, "Lee"), (CompanyName, "Acme")],
        ),
        contact(
            "a2",
            &[(FirstName, "Ann"), (LastName, "Lee"), (CompanyName, "Beta")],
        ),
        // Same name, no company on either: not enough to say.
        contact("a3", &[(FirstName, "Ann"), (LastName, "Lee")]),
        contact("a4", &[(FirstName, "Ann"), (LastName, "Lee")]),
        // Same name and company, spelt differently: one person.
        contact(
            "b1",
            &[
                (FirstName, "Bo"),
                (LastName, "Chan"),
                (CompanyName, "Kowloon Trading"),
            ],
        ),
        contact(
            "b2",
            &[
                (FirstName, " bo "),
                (LastName, "CHAN"),
                (CompanyName, "kowloon  trading"),
            ],
        ),
        // A phone spelt differently: one person.
        contact("c1", &[(FirstName, "Cy"), (MobilePhone, "+852 9123 4567")]),
        contact("c2", &[(FirstName, "Cyrus"), (WorkPhone, "+85291234567")]),
        // The same invalid phone, the same junk email: no key, no group.
        contact(
            "d1",
            &[(FirstName, "Di"), (MobilePhone, "+852 12"), (Email, "n/a")],
        ),
        contact(
            "d2",
            &[(FirstName, "Dot"), (MobilePhone, "+852 12"), (Email, "n/a")],
        ),
        // One phone in two fields of one contact is no duplicate.
        contact(
            "e1",
            &[(MobilePhone, "+85261234567"), (HomePhone, "+85261234567")],
        ),
        // An email in different fields and cases links.
        contact("f1", &[(Email, "Fay@Example.com ")]),
        contact("f2", &[(PersonalEmail, "fay@example.com")]),
        // The same text as a phone and as an email is nothing.
        contact("g1", &[(Email, "g@x.hk")]),
    ];
    assert_eq!(
        member_sets(&cs),
        vec![vec!["b1", "b2"], vec!["c1", "c2"], vec!["f1", "f2"]]
    );
}

#[test]
fn transitive_links_and_a_contact_in_two_groups_make_one_group() {
    use F::*;
    let cs = [
        contact("x", &[(Email, "ann@x.hk")]),
        contact("lone", &[(Email, "lone@x.hk")]),
        contact("y", &[(Email, "ann@x.hk"), (MobilePhone, "+85291234567")]),
        contact(
            "z",
            &[
                (MobilePhone, "+852 9123 4567"),
                (FirstName, "Zed"),
                (CompanyName, "Acme"),
            ],
        ),
        contact("w", &[(FirstName, "zed"), (CompanyName, "ACME")]),
    ];
    let gs = groups(&cs, &Normaliser::default());
    assert_eq!(gs.len(), 1);
    let g = &gs[0];
    assert_eq!(g.members, vec![0, 2, 3, 4]);
    let kinds: Vec<DupKind> = g.links.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        vec![DupKind::Email, DupKind::Phone, DupKind::NameCompany]
    );
    assert_eq!(g.links[1].members, vec![(2, MobilePhone), (3, MobilePhone)]);
    assert_eq!(shown(DupKind::NameCompany, &g.links[2].value), "zed, acme");
}

#[test]
fn a_default_region_lets_national_numbers_link() {
    let cs = [
        contact("a", &[(F::MobilePhone, "9123 4567")]),
        contact("b", &[(F::MobilePhone, "+85291234567")]),
    ];
    assert!(groups(&cs, &Normaliser::default()).is_empty());
    let hk = Normaliser::with_region_code(Some("HK")).unwrap();
    assert_eq!(groups(&cs, &hk).len(), 1);
}

#[test]
fn the_keeper_has_a_row_else_is_the_most_complete_else_the_first() {
    use F::*;
    let cs = [
        contact("a", &[(Email, "ann@x.hk")]),
        contact(
            "b",
            &[(Email, "ann@x.hk"), (FirstName, "Ann"), (LastName, "Lee")],
        ),
        contact("c", &[(Email, "ann@x.hk"), (FirstName, "Ann")]),
    ];
    let g = &groups(&cs, &Normaliser::default())[0];
    let none = vec![Standing::default(); 3];
    let (k, why) = keeper(g, &cs, &none);
    assert_eq!(k, 1);
    assert!(
        why.starts_with("the most complete: 3 fields filled, against 2"),
        "{why}"
    );

    let mut rows = none.clone();
    rows[2].row = Some(7);
    let (k, why) = keeper(g, &cs, &rows);
    assert_eq!(k, 2);
    assert_eq!(
        why,
        "it has a row in the list (line 7); the others have none"
    );

    rows[1].row = Some(9);
    let (k, why) = keeper(g, &cs, &rows);
    assert_eq!(k, 1, "{why}");
    assert!(why.contains("2 of them have rows in the list"), "{why}");

    let same = [
        contact("p", &[(Email, "p@x.hk")]),
        contact("q", &[(Email, "p@x.hk")]),
    ];
    let g = &groups(&same, &Normaliser::default())[0];
    let mut errors = vec![Standing::default(); 2];
    assert!(keeper(g, &same, &errors).1.contains("first CINNOX lists"));
    errors[0].errors = 2;
    let (k, why) = keeper(g, &same, &errors);
    assert_eq!(k, 1);
    assert!(why.contains("fewer problems (0 against 2)"), "{why}");
}

// Property: on contacts drawn from small pools of spellings whose identity is
// known, the groups are exactly the connected components of "shares a person's
// email, phone, or name and company", of two contacts or more.

const EMAILS: &[(&str, Option<u8>)] = &[
    ("ann@x.hk", Some(0)),
    ("ANN@x.hk", Some(0)),
    (" ann@x.hk ", Some(0)),
    ("bo@x.hk", Some(1)),
    ("Bo@X.HK", Some(1)),
    ("cy@x.hk", Some(2)),
    ("n/a", None),
    ("ann@x", None),
];
const PHONES: &[(&str, Option<u8>)] = &[
    ("+85291234567", Some(0)),
    ("+852 9123 4567", Some(0)),
    ("+852-9123-4567", Some(0)),
    ("+85261234567", Some(1)),
    ("+852.6123.4567", Some(1)),
    ("+6581234567", Some(2)),
    ("12345", None),
    ("+852 12", None),
];
const NAMES: &[(&str, &str, u8)] = &[
    ("Ann", "Lee", 0),
    ("ann", "LEE", 0),
    ("Ann ", " Lee", 0),
    ("Bo", "Chan", 1),
    ("陳", "大文", 2),
];
const COMPANIES: &[(&str, Option<u8>)] = &[
    ("Acme", Some(0)),
    ("ACME", Some(0)),
    (" acme ", Some(0)),
    ("Beta Ltd", Some(1)),
    ("", None),
];

#[derive(Clone, Debug)]
struct Drawn {
    email: Option<usize>,
    phone: Option<usize>,
    name: usize,
    company: usize,
}

fn drawn() -> impl Strategy<Value = Drawn> {
    (
        proptest::option::of(0..EMAILS.len()),
        proptest::option::of(0..PHONES.len()),
        0..NAMES.len(),
        0..COMPANIES.len(),
    )
        .prop_map(|(email, phone, name, company)| Drawn {
            email,
            phone,
            name,
            company,
        })
}

fn linked(a: &Drawn, b: &Drawn) -> bool {
    let same = |x: Option<Option<u8>>, y: Option<Option<u8>>| matches!((x, y), (Some(Some(p)), Some(Some(q))) if p == q);
    let email = |d: &Drawn| d.email.map(|i| EMAILS[i].1);
    let phone = |d: &Drawn| d.phone.map(|i| PHONES[i].1);
    let person = |d: &Drawn| COMPANIES[d.company].1.map(|c| (NAMES[d.name].2, c));
    same(email(a), email(b))
        || same(phone(a), phone(b))
        || (person(a).is_some() && person(a) == person(b))
}

fn components(ds: &[Drawn]) -> Vec<Vec<usize>> {
    let mut seen = vec![false; ds.len()];
    let mut out = Vec::new();
    for start in 0..ds.len() {
        if seen[start] {
            continue;
        }
        let (mut comp, mut todo) = (Vec::new(), vec![start]);
        seen[start] = true;
        while let Some(x) = todo.pop() {
            comp.push(x);
            for y in 0..ds.len() {
                if !seen[y] && linked(&ds[x], &ds[y]) {
                    seen[y] = true;
                    todo.push(y);
                }
            }
        }
        comp.sort_unstable();
        if comp.len() > 1 {
            out.push(comp);
        }
    }
    out
}

proptest! {
    #[test]
    fn groups_are_exactly_the_components_of_shared_keys(ds in proptest::collection::vec(drawn(), 0..24)) {
        let contacts: Vec<Contact> = ds
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut c = Contact { id: format!("c{i}"), ..Contact::default() };
                if let Some(e) = d.email {
                    c.values.set(F::Email, EMAILS[e].0);
                }
                if let Some(p) = d.phone {
                    c.values.set(F::MobilePhone, PHONES[p].0);
                }
                c.values.set(F::FirstName, NAMES[d.name].0);
                c.values.set(F::LastName, NAMES[d.name].1);
                c.values.set(F::CompanyName, COMPANIES[d.company].0);
                c
            })
            .collect();
        let got: Vec<Vec<usize>> = groups(&contacts, &Normaliser::default())
            .into_iter()
            .map(|g| {
                // Every link of a group joins members of that group only.
                for l in &g.links {
                    prop_assert!(l.members.len() >= 2);
                    prop_assert!(l.members.iter().all(|(i, _)| g.members.contains(i)));
                }
                Ok(g.members)
            })
            .collect::<Result<_, _>>()?;
        prop_assert_eq!(got, components(&ds));
    }
}
