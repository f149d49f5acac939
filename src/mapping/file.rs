//! Mapping files: the TOML that says which column holds which CINNOX field, plus the
//! default phone region, required fields, match keys and per-field sync settings.
//! `Mapping::parse` checks the whole file up front, so a mistake is reported with
//! the file and the key before any row is read. `mappings/cinnox-columns.toml` is
//! compiled in as the default (`builtin` has every shipped mapping by name).

use super::policy::{ConflictPolicy, Direction, FieldSync, MatchKey, PolicyFrom};
use super::typed::{TypedKind, TypedPair};
use crate::model::{FieldId, FieldKind, Normaliser};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The default mapping's text, compiled in.
pub const BUILTIN: &str = super::builtin::BUILTINS[0].1;

/// A field that must be filled, or a group of which one must be.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Required {
    Field(FieldId),
    AnyPhone,
    AnyEmail,
}

/// A checked mapping.
#[derive(Clone, Debug)]
pub struct Mapping {
    /// Its `name`, or the file name.
    pub name: String,
    /// Where it came from, for messages: a path, or `built-in`.
    pub origin: String,
    pub id_column: String,
    pub status_column: Option<String>,
    pub normaliser: Normaliser,
    pub required: Vec<Required>,
    pub match_keys: Vec<MatchKey>,
    /// `(header, field)` in the order of the file.
    pub columns: Vec<(String, FieldId)>,
    pub typed: Vec<TypedPair>,
    default_sync: FieldSync,
    field_sync: BTreeMap<FieldId, FieldSync>,
    /// The conflict policies set for one field (`[sync.fields.F] conflict`), which
    /// beat the job's.
    field_conflict: BTreeMap<FieldId, ConflictPolicy>,
}

/// A mapping file that cannot be used, with what to fix.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("cannot read mapping {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("mapping {origin} is not valid: {message}")]
    Invalid { origin: String, message: String },
    #[error(
        "{what} has no column {} (mapping {origin}); add the column, or use a mapping without it (--mapping)",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingColumns {
        what: String,
        origin: String,
        names: Vec<String>,
    },
    /// A required field none of whose columns the list has.
    #[error("{message}")]
    MissingRequired { message: String },
    #[error("{what} has the column `{name}` twice; rename or remove one of them")]
    DuplicateColumn { what: String, name: String },
    #[error(
        "there is no mapping file `{name}` and no built-in mapping of that name (built-in: {builtins}); `cinnox-sync init LIST` writes a mapping that fits a list"
    )]
    Unknown { name: String, builtins: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    name: Option<String>,
    #[allow(dead_code)]
    description: Option<String>,
    id_column: Option<String>,
    status_column: Option<String>,
    default_region: Option<String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    match_keys: Vec<String>,
    #[serde(default)]
    columns: toml::Table,
    #[serde(default)]
    typed: BTreeMap<String, RawTyped>,
    #[serde(default)]
    sync: RawSync,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTyped {
    type_column: String,
    value_column: String,
    default_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSync {
    direction: Option<Direction>,
    conflict: Option<ConflictPolicy>,
    #[serde(default)]
    fields: BTreeMap<String, RawFieldSync>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFieldSync {
    direction: Option<Direction>,
    conflict: Option<ConflictPolicy>,
}

impl Mapping {
    /// The compiled-in default (`mappings/cinnox-columns.toml`).
    pub fn builtin() -> Mapping {
        // The built-in text is checked by a unit test, so this cannot fail at run time.
        Mapping::parse(BUILTIN, "built-in cinnox-columns").unwrap_or_else(|e| panic!("{e}"))
    }

    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|cause| MappingError::Read {
            path: path.display().to_string(),
            cause,
        })?;
        Mapping::parse(&text, &path.display().to_string())
    }

    /// Checks a mapping given as TOML text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Mapping, MappingError> {
        let invalid = |message: String| MappingError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let raw: RawMapping = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let field = |key: &str, place: &str| {
            FieldId::parse(key).ok_or_else(|| {
                invalid(format!("{place}: unknown field `{key}` (field ids are listed in mappings/cinnox-columns.toml)"))
            })
        };

        let mut columns = Vec::new();
        for (header, v) in &raw.columns {
            let key = v.as_str().ok_or_else(|| {
                invalid(format!("columns.\"{header}\" must be a field id in quotes"))
            })?;
            columns.push((
                header.clone(),
                field(key, &format!("columns.\"{header}\""))?,
            ));
        }
        let mut typed = Vec::new();
        for (kind, t) in raw.typed {
            let kind = TypedKind::parse(&kind).ok_or_else(|| {
                invalid(format!(
                    "typed.{kind}: unknown pair kind (use phone, email or social)"
                ))
            })?;
            let default_type = match t.default_type.as_deref() {
                None => None,
                Some(d) => Some(kind.enum_kind().canonical(d).ok_or_else(|| {
                    invalid(format!(
                        "typed.{}.default_type: `{d}` is not one of {}",
                        kind.name(),
                        kind.enum_kind().values().join(", ")
                    ))
                })?),
            };
            typed.push(TypedPair {
                kind,
                type_column: t.type_column,
                value_column: t.value_column,
                default_type,
            });
        }
        check_unique(&columns, &typed).map_err(invalid)?;

        let mut required = Vec::new();
        for r in &raw.required {
            required.push(match r.as_str() {
                "phone" => Required::AnyPhone,
                "email" => Required::AnyEmail,
                key => Required::Field(field(key, "required")?),
            });
        }
        let match_keys = raw
            .match_keys
            .iter()
            .map(|k| {
                MatchKey::parse(k).ok_or_else(|| {
                    invalid(format!(
                        "match_keys: `{k}` is not `email`, `phone` or a field id"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let normaliser = Normaliser::with_region_code(raw.default_region.as_deref())
            .map_err(|e| invalid(format!("default_region: {e}")))?;

        let default_sync = FieldSync {
            direction: raw.sync.direction.unwrap_or_default(),
            conflict: raw.sync.conflict.unwrap_or_default(),
        };
        let mut field_sync = BTreeMap::new();
        let mut field_conflict = BTreeMap::new();
        for (key, s) in raw.sync.fields {
            let f = field(&key, &format!("sync.fields.{key}"))?;
            let direction = s.direction.unwrap_or(default_sync.direction);
            if f.kind() == FieldKind::ReadOnly && s.direction.is_some_and(Direction::to_cinnox) {
                return Err(invalid(format!(
                    "sync.fields.{key}.direction: {key} cannot be written through the CINNOX API; use from-cinnox or ignore"
                )));
            }
            if let Some(c) = s.conflict {
                field_conflict.insert(f, c);
            }
            field_sync.insert(
                f,
                FieldSync {
                    direction,
                    conflict: s.conflict.unwrap_or(default_sync.conflict),
                },
            );
        }

        Ok(Mapping {
            name: raw.name.unwrap_or_else(|| origin.to_string()),
            origin: origin.to_string(),
            id_column: raw.id_column.unwrap_or_else(|| "CINNOX ID".to_string()),
            status_column: raw.status_column,
            normaliser,
            required,
            match_keys,
            columns,
            typed,
            default_sync,
            field_sync,
            field_conflict,
        })
    }

    /// The sync settings of `field`. Read-only fields (owner) never flow to CINNOX.
    pub fn field_sync(&self, field: FieldId) -> FieldSync {
        let mut s = self
            .field_sync
            .get(&field)
            .copied()
            .unwrap_or(self.default_sync);
        if field.kind() == FieldKind::ReadOnly && s.direction.to_cinnox() {
            s.direction = Direction::FromCinnox;
        }
        s
    }

    /// The policy that settles a conflict on `field`, and where it was set: the
    /// mapping's policy for that field, else the job's (`job`), else the mapping's
    /// `[sync] conflict`.
    pub fn conflict_policy(
        &self,
        field: FieldId,
        job: Option<ConflictPolicy>,
    ) -> (ConflictPolicy, PolicyFrom) {
        if let Some(p) = self.field_conflict.get(&field) {
            return (*p, PolicyFrom::MappingField(field));
        }
        match job {
            Some(p) => (p, PolicyFrom::Job),
            None => (self.default_sync.conflict, PolicyFrom::Mapping),
        }
    }

    /// Every field some column of this mapping can hold.
    pub fn fields(&self) -> Vec<FieldId> {
        let mut out: Vec<FieldId> = self.columns.iter().map(|(_, f)| *f).collect();
        for t in &self.typed {
            out.extend_from_slice(t.kind.fields());
        }
        out.sort();
        out.dedup();
        out
    }

    /// Every column header the mapping names (data columns, pairs, id), in file order:
    /// the header of a new file or of a rejected-rows file.
    pub fn headers(&self) -> Vec<String> {
        let mut out: Vec<String> = self.columns.iter().map(|(h, _)| h.clone()).collect();
        for t in &self.typed {
            out.push(t.type_column.clone());
            out.push(t.value_column.clone());
        }
        out.push(self.id_column.clone());
        out
    }
}

/// A field may be held by one column or one pair, and a header may be used once.
fn check_unique(columns: &[(String, FieldId)], typed: &[TypedPair]) -> Result<(), String> {
    let mut by_field: BTreeMap<FieldId, String> = BTreeMap::new();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut claim_header =
        |h: &str, what: String| match headers.insert(crate::sources::header_key(h), what.clone()) {
            Some(prev) => Err(format!("the header `{h}` is used by {prev} and by {what}")),
            None => Ok(()),
        };
    for (h, f) in columns {
        claim_header(h, format!("columns.\"{h}\""))?;
        if let Some(prev) = by_field.insert(*f, format!("columns.\"{h}\"")) {
            return Err(format!(
                "the field {f} is mapped twice: by {prev} and by columns.\"{h}\""
            ));
        }
    }
    for t in typed {
        claim_header(
            &t.type_column,
            format!("typed.{}.type_column", t.kind.name()),
        )?;
        claim_header(
            &t.value_column,
            format!("typed.{}.value_column", t.kind.name()),
        )?;
        for f in t.kind.fields() {
            if let Some(prev) = by_field.insert(*f, format!("typed.{}", t.kind.name())) {
                return Err(format!(
                    "the field {f} is mapped twice: by {prev} and by typed.{}",
                    t.kind.name()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
