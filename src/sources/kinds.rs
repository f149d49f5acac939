//! The kinds of contact list, registered in one place (`KINDS`). A kind says how a
//! job file names it (its key in `[source]`), whether a file named on the command
//! line is one of its lists, and how its list opens; the list it names is a
//! `ListSource`. Adding a kind of list is a folder under `sources/` and one line in
//! `KINDS`; no command asks which kind it has: a store states its `Capabilities`.

use super::{AnyStore, SourceError};
use std::any::Any;
use std::fmt::Debug;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// Every kind of list, in the order a FILE argument is offered to them (the last,
/// CSV, takes any file).
pub static KINDS: &[&dyn ListKind] = &[
    &super::sheets::SheetKind,
    &super::xlsx::XlsxKind,
    &super::csv::CsvKind,
];

/// Where opening a list tells the person something (a file it made): the caller
/// decides how (stderr for the command line, a log for a service).
pub type Tell<'a> = &'a (dyn Fn(String) + Send + Sync);

/// The future `ListSpec::open` answers.
pub type Opening<'a> = Pin<Box<dyn Future<Output = Result<AnyStore, SourceError>> + Send + 'a>>;

/// A kind of contact list.
pub trait ListKind: Sync {
    /// Its key in a job file's `[source]` table (`csv = "contacts.csv"`).
    fn job_key(&self) -> &'static str;
    /// The other `[source]` keys it reads.
    fn job_options(&self) -> &'static [&'static str];
    /// How a job file names a list of this kind, for messages: `source.csv = "contacts.csv"`.
    fn job_example(&self) -> &'static str;
    /// Reads its `[source]` table; `at` resolves a path written in the job file.
    fn read_job(
        &self,
        source: &toml::Table,
        at: &dyn Fn(&Path) -> PathBuf,
    ) -> Result<ListSource, String>;
    /// Whether a job file may name it (a read-only kind says why not in `read_job`,
    /// and is left out of the job examples).
    fn in_jobs(&self) -> bool {
        true
    }
    /// The list a FILE argument names, when it is of this kind.
    fn take_file(&self, path: &Path) -> Option<ListSource>;
}

/// One list of some kind, as a job or a command names it.
pub trait ListSpec: Any + Debug + Send + Sync {
    /// How the list is named in summaries: a path, `sheet ID/TAB`.
    fn describe(&self) -> String;
    /// A file that belongs to the list (a state file, rejected rows), with `ext` for
    /// its extension: beside a file list, else in `dir`.
    fn companion(&self, dir: &Path, ext: &str) -> PathBuf;
    /// The job's state file when the job `job` names none.
    fn default_state(&self, job: &Path) -> PathBuf;
    /// Opens the list; `origin` is the job file, for messages. Runs inside a tokio
    /// runtime (a remote list's HTTP client lives on it).
    fn open<'a>(&'a self, origin: Option<&'a Path>, tell: Tell<'a>) -> Opening<'a>;
    fn as_any(&self) -> &dyn Any;
}

/// A list of some kind (cheap to clone).
#[derive(Clone, Debug)]
pub struct ListSource(Arc<dyn ListSpec>);

impl ListSource {
    pub fn new(spec: impl ListSpec) -> Self {
        ListSource(Arc::new(spec))
    }

    pub fn describe(&self) -> String {
        self.0.describe()
    }

    pub fn companion(&self, dir: &Path, ext: &str) -> PathBuf {
        self.0.companion(dir, ext)
    }

    pub fn default_state(&self, job: &Path) -> PathBuf {
        self.0.default_state(job)
    }

    pub async fn open(
        &self,
        origin: Option<&Path>,
        tell: Tell<'_>,
    ) -> Result<AnyStore, SourceError> {
        self.0.open(origin, tell).await
    }

    /// The list's own settings, when it is of the kind whose settings are `T`.
    pub fn get<T: ListSpec>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref::<T>()
    }
}

/// The list a job file's `[source]` table names: exactly one kind's key, and only
/// keys some kind reads.
pub fn from_job(source: &toml::Table, at: &dyn Fn(&Path) -> PathBuf) -> Result<ListSource, String> {
    let named: Vec<&&dyn ListKind> = KINDS
        .iter()
        .filter(|k| source.contains_key(k.job_key()))
        .collect();
    let known = |key: &str| {
        KINDS
            .iter()
            .any(|k| k.job_key() == key || k.job_options().contains(&key))
    };
    if let Some(key) = source.keys().find(|key| !known(key)) {
        let keys: Vec<String> = KINDS
            .iter()
            .flat_map(|k| std::iter::once(k.job_key()).chain(k.job_options().iter().copied()))
            .map(|k| format!("`{k}`"))
            .collect();
        return Err(format!(
            "unknown field `{key}` in [source], expected one of {}",
            keys.join(", ")
        ));
    }
    match named.as_slice() {
        [kind] => kind.read_job(source, at),
        [] => Err(format!(
            "source names no list: give {}",
            KINDS
                .iter()
                .rev()
                .filter(|k| k.in_jobs())
                .map(|k| k.job_example())
                .collect::<Vec<_>>()
                .join(" or ")
        )),
        _ => Err(format!(
            "source names {}: a job syncs one list",
            named
                .iter()
                .map(|k| format!("a {}", k.job_key()))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// The list a FILE argument names: the first kind that takes it.
pub fn from_file(path: &Path) -> Option<ListSource> {
    KINDS.iter().find_map(|k| k.take_file(path))
}
