//! The mappings shipped in `mappings/`, compiled into the binary so that `-m wide`
//! works from any folder (an installed binary has no checkout beside it), and how
//! a mapping is named on the command line or in a job file: a built-in's name, or
//! the path of a TOML file.

use super::file::{Mapping, MappingError};
use std::path::Path;

/// `(name, text)` of every shipped mapping; the name is the file's stem.
pub const BUILTINS: [(&str, &str); 3] = [
    (
        "cinnox-columns",
        include_str!("../../mappings/cinnox-columns.toml"),
    ),
    ("wide", include_str!("../../mappings/wide.toml")),
    (
        "cinnox-fields",
        include_str!("../../mappings/cinnox-fields.toml"),
    ),
];

/// The names of the built-in mappings, for messages and help.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(n, _)| *n).collect()
}

impl Mapping {
    /// The built-in mapping called `name` (`wide`, `cinnox-columns`), if any.
    pub fn builtin_named(name: &str) -> Option<Mapping> {
        let (name, text) = BUILTINS.iter().find(|(n, _)| *n == name)?;
        // Every built-in text is parsed by a unit test, so this cannot fail at run time.
        Some(Mapping::parse(text, &format!("built-in {name}")).unwrap_or_else(|e| panic!("{e}")))
    }

    /// Whether `arg` names a built-in mapping rather than a file: a bare word (no
    /// folder, no extension) that is a built-in's name. `./wide` is always a file.
    pub fn is_builtin_name(arg: &Path) -> bool {
        arg.to_str()
            .is_some_and(|s| BUILTINS.iter().any(|(n, _)| *n == s))
    }

    /// The mapping `arg` names: a built-in by its name, else the file at that path.
    /// A bare word that is neither says which built-ins there are.
    pub fn load_named(arg: &Path) -> Result<Mapping, MappingError> {
        if let Some(m) = arg.to_str().and_then(Mapping::builtin_named) {
            return Ok(m);
        }
        match Mapping::load(arg) {
            Err(MappingError::Read { path, cause })
                if cause.kind() == std::io::ErrorKind::NotFound && is_bare_word(arg) =>
            {
                Err(MappingError::Unknown {
                    name: path,
                    builtins: builtin_names().join(", "),
                })
            }
            other => other,
        }
    }

    /// `load_named(arg)` when a mapping is named, else the default built-in.
    pub fn load_or_builtin(arg: Option<&Path>) -> Result<Mapping, MappingError> {
        arg.map_or_else(|| Ok(Mapping::builtin()), Mapping::load_named)
    }
}

/// A name with no folder and no extension: meant as a built-in's name, most likely.
fn is_bare_word(arg: &Path) -> bool {
    arg.components().count() == 1 && arg.extension().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_file_in_mappings_is_built_in_under_its_stem() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings");
        let mut shipped = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
                let text = std::fs::read_to_string(&path).unwrap();
                let (_, built_in) = BUILTINS
                    .iter()
                    .find(|(n, _)| *n == stem)
                    .unwrap_or_else(|| panic!("{} is not built in", path.display()));
                assert_eq!(*built_in, text, "{stem}");
                shipped.insert(stem);
            }
        }
        let names: BTreeSet<String> = builtin_names().iter().map(|s| s.to_string()).collect();
        assert_eq!(names, shipped);
        for name in builtin_names() {
            let m = Mapping::builtin_named(name).unwrap();
            assert_eq!(m.origin, format!("built-in {name}"));
        }
    }

    #[test]
    fn names_and_paths() {
        assert!(Mapping::is_builtin_name(Path::new("wide")));
        assert!(!Mapping::is_builtin_name(Path::new("./wide")));
        assert!(!Mapping::is_builtin_name(Path::new("wide.toml")));
        let wide = Mapping::load_named(Path::new("wide")).unwrap();
        assert_eq!(wide.status_column.as_deref(), Some("Sync Status"));
        let e = Mapping::load_named(Path::new("wdie"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`wdie`") && e.contains("cinnox-columns, wide, cinnox-fields"),
            "{e}"
        );
        let e = Mapping::load_named(Path::new("no/such.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read mapping no/such.toml"), "{e}");
    }
}
