//! A mapping guessed from a list's header row, for `cinnox-sync init`: each column
//! is matched to the CINNOX field its name says (`synonyms`, English and Chinese),
//! CINNOX's own template pairs (`Phone Type` + `Phone Number`) are kept as pairs,
//! and what matches nothing is left out with the reason. `render` writes the
//! guess as a commented TOML mapping that `Mapping::parse` accepts. Pure.

use super::synonyms::{fields_for, is_whole_name};
use super::typed::TypedKind;
use crate::model::FieldId;
use crate::sources::header_key;

/// What a matched column holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Holds {
    Field(FieldId),
    /// The type and the value column of a typed pair.
    PairType(TypedKind),
    PairValue(TypedKind),
    Id,
    Status,
}

/// A column of the list that the guess maps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub col: usize,
    pub header: String,
    pub holds: Holds,
    /// Why, when the name alone does not say it.
    pub note: Option<String>,
}

/// A column the guess leaves out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    pub col: usize,
    pub header: String,
    pub why: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guess {
    /// In header order.
    pub matched: Vec<Matched>,
    pub left_out: Vec<LeftOut>,
}

/// CINNOX's template pairs, as the built-in mapping names them.
const PAIRS: [(TypedKind, &str, &str, Option<&str>); 3] = [
    (
        TypedKind::Phone,
        "Phone Type",
        "Phone Number",
        Some("Mobile"),
    ),
    (
        TypedKind::Email,
        "Email Type",
        "Email Address",
        Some("Work"),
    ),
    (
        TypedKind::Social,
        "Social Messaging Type",
        "Social Messaging Name Id",
        None,
    ),
];

/// Guesses what each column of `header` holds.
pub fn guess(header: &[String]) -> Guess {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let mut holds: Vec<Option<(Holds, Option<String>)>> = vec![None; header.len()];
    let mut why: Vec<Option<String>> = vec![None; header.len()];
    let mut taken: Vec<(FieldId, usize)> = Vec::new();
    for (c, k) in keys.iter().enumerate() {
        if k.is_empty() {
            why[c] = Some("has no name".into());
        } else if let Some(first) = keys[..c].iter().position(|p| p == k) {
            why[c] = Some(format!("has the same name as column {}", first + 1));
        }
    }
    let free = |c: usize, holds: &[Option<(Holds, Option<String>)>], why: &[Option<String>]| {
        holds[c].is_none() && why[c].is_none()
    };
    let find = |name: &str| keys.iter().position(|k| *k == header_key(name));
    for (kind, t, v, _) in PAIRS {
        if let (Some(tc), Some(vc)) = (find(t), find(v))
            && free(tc, &holds, &why)
            && free(vc, &holds, &why)
        {
            holds[tc] = Some((Holds::PairType(kind), None));
            holds[vc] = Some((Holds::PairValue(kind), None));
            taken.extend(kind.fields().iter().map(|f| (*f, vc)));
        }
    }
    for (name, role) in [("CINNOX ID", Holds::Id), ("Sync Status", Holds::Status)] {
        if let Some(c) = find(name).filter(|c| free(*c, &holds, &why)) {
            holds[c] = Some((role, None));
        }
    }
    // Columns whose name fits one field first, so `Mobile` keeps mobilePhone and a
    // plain `Phone` beside it takes the next phone field.
    let candidates: Vec<Vec<FieldId>> = header.iter().map(|h| fields_for(h)).collect();
    for specific in [true, false] {
        for c in 0..header.len() {
            let fields = &candidates[c];
            if !free(c, &holds, &why) || fields.is_empty() || (fields.len() == 1) != specific {
                continue;
            }
            match fields.iter().find(|f| !taken.iter().any(|(t, _)| t == *f)) {
                Some(f) => {
                    let note = (!specific && *f != fields[0])
                        .then(|| format!("{} is held by another column", fields[0].key()));
                    holds[c] = Some((Holds::Field(*f), note));
                    taken.push((*f, c));
                }
                None => {
                    let (_, by) = taken
                        .iter()
                        .find(|(t, _)| *t == fields[0])
                        .copied()
                        .unwrap_or((fields[0], c));
                    why[c] = Some(format!(
                        "names {}, which `{}` holds already",
                        fields[0].key(),
                        header[by]
                    ));
                }
            }
        }
    }
    for c in 0..header.len() {
        if !free(c, &holds, &why) || !is_whole_name(&header[c]) {
            continue;
        }
        match taken.iter().find(|(f, _)| *f == FieldId::FirstName) {
            None => {
                let note =
                    "the whole name goes into First Name: CINNOX has first and last names only";
                holds[c] = Some((Holds::Field(FieldId::FirstName), Some(note.into())));
                taken.push((FieldId::FirstName, c));
            }
            Some((_, by)) => {
                why[c] = Some(format!(
                    "is a whole name; CINNOX has first and last names only, and `{}` holds firstName",
                    header[*by]
                ));
            }
        }
    }
    let mut g = Guess::default();
    for (c, h) in header.iter().enumerate() {
        match (holds[c].take(), why[c].take()) {
            (Some((holds, note)), _) => g.matched.push(Matched {
                col: c,
                header: h.clone(),
                holds,
                note,
            }),
            (None, why) => g.left_out.push(LeftOut {
                col: c,
                header: h.clone(),
                why: why.unwrap_or_else(|| "is not the name of a CINNOX field".into()),
            }),
        }
    }
    g
}

impl Guess {
    fn has(&self, pred: impl Fn(Holds) -> bool) -> bool {
        self.matched.iter().any(|m| pred(m.holds))
    }

    fn holds_kind(&self, fields: &[FieldId], kind: TypedKind) -> bool {
        self.has(|h| match h {
            Holds::Field(f) => fields.contains(&f),
            Holds::PairValue(k) => k == kind,
            _ => false,
        })
    }
}

/// The guess as a commented mapping file for the list `list` (as the user named
/// it), to be saved as `path`.
pub fn render(g: &Guess, list: &str, path: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    out.push_str(&format!(
        "# A mapping for {list}, written by `cinnox-sync init` from its header row.\n\
         # Each column below was matched by its name; check the guesses, then audit:\n\
         #   cinnox-sync audit {list} -m {path}\n\
         # Field ids are CINNOX's read-model names (see `cinnox-sync init --help`).\n\n"
    ));
    out.push_str(&format!("name = {}\n", q(&format!("Columns of {list}"))));
    let id = g
        .matched
        .iter()
        .find(|m| m.holds == Holds::Id)
        .map_or("CINNOX ID", |m| m.header.as_str());
    out.push_str(&format!(
        "\n# The column that links a row to its CINNOX contact; a sync adds it when missing.\nid_column = {}\n",
        q(id)
    ));
    if let Some(m) = g.matched.iter().find(|m| m.holds == Holds::Status) {
        out.push_str(&format!("status_column = {}\n", q(&m.header)));
    }
    out.push_str(
        "\n# Region of phone numbers written without a country code (e.g. 9123 4567 in\n\
         # Hong Kong): with it, the audit suggests the E.164 form of each.\n\
         # default_region = \"HK\"\n",
    );
    let first_name = g.has(|h| h == Holds::Field(FieldId::FirstName));
    if first_name {
        out.push_str("\n# Fields that must not be empty.\nrequired = [\"firstName\"]\n");
    } else {
        out.push_str(
            "\n# Fields that must not be empty. No column holds a first name, which CINNOX\n\
             # needs to create a contact: add one and list \"firstName\" here.\nrequired = []\n",
        );
    }
    let mut keys = Vec::new();
    if g.holds_kind(&FieldId::EMAILS, TypedKind::Email) {
        keys.push("\"email\"");
    }
    if g.holds_kind(&FieldId::PHONES, TypedKind::Phone) {
        keys.push("\"phone\"");
    }
    out.push_str(&format!(
        "\n# How a row without an id is matched to an existing contact, in order.\nmatch_keys = [{}]\n",
        keys.join(", ")
    ));
    out.push_str("\n[columns]\n");
    for m in &g.matched {
        if let Holds::Field(f) = m.holds {
            let note = m
                .note
                .as_deref()
                .map(|n| format!("  # {n}"))
                .unwrap_or_default();
            out.push_str(&format!("{} = {}{note}\n", q(&m.header), q(f.key())));
        }
    }
    let named: Vec<&LeftOut> = g
        .left_out
        .iter()
        .filter(|l| !l.header.trim().is_empty())
        .collect();
    if !named.is_empty() {
        out.push_str("# Left out (kept in the list, never checked or synced); map one here if it\n# holds a CINNOX field:\n");
        for l in named {
            out.push_str(&format!("# {} {}\n", q(&l.header), l.why));
        }
    }
    for (kind, _, _, default) in PAIRS {
        let col = |role: Holds| g.matched.iter().find(|m| m.holds == role);
        if let (Some(t), Some(v)) = (col(Holds::PairType(kind)), col(Holds::PairValue(kind))) {
            out.push_str(&format!(
                "\n# `{}` says which {} field `{}` fills.\n[typed.{}]\ntype_column = {}\nvalue_column = {}\n",
                t.header,
                kind.name(),
                v.header,
                kind.name(),
                q(&t.header),
                q(&v.header)
            ));
            if let Some(d) = default {
                out.push_str(&format!("default_type = {}\n", q(d)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Mapping;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn field_of(g: &Guess, h: &str) -> Option<FieldId> {
        g.matched
            .iter()
            .find(|m| m.header == h)
            .and_then(|m| match m.holds {
                Holds::Field(f) => Some(f),
                _ => None,
            })
    }

    #[test]
    fn a_four_column_chinese_list() {
        let h = header(&["姓名", "手機", "電郵", "公司", "備註"]);
        let g = guess(&h);
        assert_eq!(field_of(&g, "姓名"), Some(FieldId::FirstName));
        assert_eq!(field_of(&g, "手機"), Some(FieldId::MobilePhone));
        assert_eq!(field_of(&g, "電郵"), Some(FieldId::Email));
        assert_eq!(field_of(&g, "公司"), Some(FieldId::CompanyName));
        assert_eq!(g.left_out.len(), 1);
        assert_eq!(g.left_out[0].header, "備註");
        let text = render(&g, "leads.csv", "leads.mapping.toml");
        let m = Mapping::parse(&text, "guess").unwrap_or_else(|e| panic!("{e}\n{text}"));
        let cols = m.resolve(&h, "leads.csv").unwrap();
        assert_eq!(cols.field_col(FieldId::MobilePhone), Some(1));
        assert_eq!(m.match_keys.len(), 2);
        assert!(text.contains("# \"備註\" is not the name"), "{text}");
    }

    #[test]
    fn specific_names_win_and_conflicts_are_left_out_with_the_reason() {
        let h = header(&[
            "Phone",
            "Mobile",
            "手機",
            "Name",
            "First Name",
            "Job Title",
            "",
        ]);
        let g = guess(&h);
        assert_eq!(field_of(&g, "Mobile"), Some(FieldId::MobilePhone));
        assert_eq!(field_of(&g, "Phone"), Some(FieldId::OtherPhone));
        assert_eq!(field_of(&g, "First Name"), Some(FieldId::FirstName));
        assert_eq!(field_of(&g, "Job Title"), Some(FieldId::JobTitle));
        let why = |h: &str| {
            g.left_out
                .iter()
                .find(|l| l.header == h)
                .map(|l| l.why.clone())
        };
        assert_eq!(
            why("手機").as_deref(),
            Some("names mobilePhone, which `Mobile` holds already")
        );
        assert!(
            why("Name")
                .unwrap()
                .contains("`First Name` holds firstName")
        );
        assert_eq!(why("").as_deref(), Some("has no name"));
        let text = render(&g, "x.csv", "x.toml");
        Mapping::parse(&text, "guess").unwrap_or_else(|e| panic!("{e}\n{text}"));
    }

    #[test]
    fn the_template_keeps_its_pairs_and_id() {
        let b = Mapping::builtin();
        let h = b.headers();
        let g = guess(&h);
        assert!(g.left_out.is_empty(), "{:?}", g.left_out);
        let text = render(&g, "t.csv", "t.toml");
        let m = Mapping::parse(&text, "guess").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(m.typed.len(), 3);
        assert_eq!(m.fields(), b.fields());
        assert_eq!(m.id_column, "CINNOX ID");
        // No name and no contact keys: said in the file, still a valid mapping.
        let g = guess(&header(&["Notes"]));
        let text = render(&g, "n.csv", "n.toml");
        assert!(text.contains("required = []") && text.contains("match_keys = []"));
        Mapping::parse(&text, "guess").unwrap();
    }
}
