//! A fake Google Sheets API and OAuth token endpoint on 127.0.0.1, for tests and
//! benchmarks driving the real google-sheets4 hub and real yup-oauth2
//! authenticators. It holds spreadsheets in memory (tabs of typed cells with a grid
//! size) and implements what `SheetsStore` uses: `values.get` (formatted and
//! unformatted), `values.update`, `values:batchUpdate`, `values/{range}:append`,
//! `spreadsheets.get`, `spreadsheets:batchUpdate` (`deleteDimension`,
//! `appendDimension`, `insertDimension`), `/token` (JWT bearer grant, code exchange,
//! refresh) and `/auth` (a consent page that approves at once). It counts applied
//! requests by kind and can answer the next requests with 429 or 5xx, before or
//! after applying them, or hold an answer back after applying (for killing a
//! client at a known point).
//!
//! It lives under `tests/it/support` (benches include it with `#[path]`) rather than
//! in the library behind a feature: it is test code, it should not ship in the
//! binary, and keeping it out of `src` means it never shares code with what it tests.

mod api;
mod ops;
pub mod ranges;
mod token;

use axum::Router;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

pub const SCOPE: &str = "https://www.googleapis.com/auth/spreadsheets";

/// One cell as Sheets holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date: its serial number and how it is shown.
    Date {
        serial: f64,
        shown: String,
    },
}

impl Cell {
    pub fn text(s: &str) -> Self {
        Cell::Text(s.to_string())
    }

    /// The text a person sees in the cell (its formatted value).
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).into(),
            Cell::Date { shown, .. } => shown.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Cell::Text(s) if s.is_empty())
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A grid of cells; rows and cells past the data are absent.
#[derive(Clone, Debug)]
pub struct Tab {
    pub sheet_id: i32,
    pub title: String,
    pub rows: Vec<Vec<Cell>>,
    pub row_count: usize,
    pub col_count: usize,
}

impl Tab {
    fn get(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .filter(|c| !c.is_empty())
    }

    fn set(&mut self, r: usize, c: usize, cell: Cell) {
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Text(String::new()));
        }
        row[c] = cell;
    }

    fn row_filled(&self, r: usize, cols: (usize, usize)) -> bool {
        (cols.0..=cols.1.min(self.col_count.saturating_sub(1))).any(|c| self.get(r, c).is_some())
    }
}

/// What a request did, for counting and fault matching.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Meta,
    BatchUpdate,
    Append,
    Update,
    Structural,
}

/// Applied requests by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `values.get`.
    pub reads: usize,
    /// `spreadsheets.get`.
    pub meta_reads: usize,
    /// `values:batchUpdate`.
    pub batch_updates: usize,
    pub appends: usize,
    /// `values.update`.
    pub updates: usize,
    /// `spreadsheets:batchUpdate`.
    pub structural: usize,
    /// Answers replaced by an injected failure.
    pub faults: usize,
    /// Access tokens handed out.
    pub tokens: usize,
}

impl Counts {
    /// Requests that change the spreadsheet.
    pub fn writes(&self) -> usize {
        self.batch_updates + self.appends + self.updates + self.structural
    }
}

/// An injected failure for the next request (of `kind`, or any).
#[derive(Clone, Debug)]
struct Fault {
    status: u16,
    retry_after: Option<u64>,
    after_apply: bool,
    kind: Option<Kind>,
    /// Applied, then answered normally after this long (`status` unused).
    stall: Option<std::time::Duration>,
}

/// One API request as received, for assertions.
#[derive(Clone, Debug)]
pub struct Logged {
    pub kind: Kind,
    /// The path as sent, still percent-encoded.
    pub raw_path: String,
    pub query: HashMap<String, String>,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct State {
    base: String,
    books: HashMap<String, Vec<Tab>>,
    next_sheet_id: i32,
    counts: Counts,
    faults: VecDeque<Fault>,
    tokens: HashSet<String>,
    refuse_tokens: bool,
    clients: HashMap<String, String>,
    codes: HashMap<String, String>,
    refresh_tokens: HashSet<String>,
    log: Vec<Logged>,
    /// Set by a stall fault for the request being answered.
    stall_now: Option<std::time::Duration>,
}

/// A running fake; stops when dropped.
pub struct FakeSheets {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeSheets {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeSheets {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            base: format!("http://{addr}/"),
            next_sheet_id: 1000,
            ..State::default()
        }));
        let app = Router::new()
            .fallback(api::handle)
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state, task }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where the API lives, ending in `/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn token_uri(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    pub fn auth_uri(&self) -> String {
        format!("http://{}/auth", self.addr)
    }

    /// Adds a tab (and the spreadsheet, if new) holding `rows`, with the default
    /// 1000 x 26 grid or larger if the data needs it.
    pub fn add_tab(&self, book: &str, title: &str, rows: Vec<Vec<Cell>>) {
        let mut s = self.state();
        let sheet_id = s.next_sheet_id;
        s.next_sheet_id += 1;
        let row_count = rows.len().max(1000);
        let col_count = rows.iter().map(Vec::len).max().unwrap_or(0).max(26);
        s.books.entry(book.to_string()).or_default().push(Tab {
            sheet_id,
            title: title.to_string(),
            rows,
            row_count,
            col_count,
        });
    }

    /// Resizes a tab's grid, as when a CSV import sizes it to its data.
    pub fn set_grid(&self, book: &str, title: &str, rows: usize, cols: usize) {
        self.with_tab(book, title, |t| {
            t.row_count = rows;
            t.col_count = cols;
        });
    }

    pub fn with_tab<R>(&self, book: &str, title: &str, f: impl FnOnce(&mut Tab) -> R) -> R {
        let mut s = self.state();
        let tab = s
            .books
            .get_mut(book)
            .and_then(|b| b.iter_mut().find(|t| t.title == title))
            .expect("no such tab in the fake");
        f(tab)
    }

    /// Types into a cell as a person would (0-based row and column).
    pub fn type_cell(&self, book: &str, title: &str, row: usize, col: usize, cell: Cell) {
        self.with_tab(book, title, |t| t.set(row, col, cell));
    }

    /// Every row as shown, trailing empty cells and rows cut.
    pub fn shown(&self, book: &str, title: &str) -> Vec<Vec<String>> {
        self.with_tab(book, title, |t| {
            let mut out: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| {
                    let mut v: Vec<String> = r.iter().map(Cell::shown).collect();
                    while v.last().is_some_and(String::is_empty) {
                        v.pop();
                    }
                    v
                })
                .collect();
            while out.last().is_some_and(Vec::is_empty) {
                out.pop();
            }
            out
        })
    }

    /// The cell at a 0-based position.
    pub fn cell(&self, book: &str, title: &str, row: usize, col: usize) -> Option<Cell> {
        self.with_tab(book, title, |t| t.get(row, col).cloned())
    }

    pub fn counts(&self) -> Counts {
        self.state().counts.clone()
    }

    pub fn reset_counts(&self) {
        let mut s = self.state();
        s.counts = Counts::default();
        s.log.clear();
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state().log.clone()
    }

    /// The next `n` API requests are refused with `status` (and `Retry-After`).
    pub fn fail_next(&self, n: usize, status: u16, retry_after: Option<u64>) {
        self.push_faults(n, status, retry_after, false, None);
    }

    /// The next `n` requests of `kind` are applied, then answered with `status`,
    /// as when a server errs after doing the work.
    pub fn fail_after_apply(&self, n: usize, status: u16, kind: Kind) {
        self.push_faults(n, status, None, true, Some(kind));
    }

    /// The next `n` requests of `kind` are refused with `status`.
    pub fn fail_next_of(&self, n: usize, status: u16, kind: Kind) {
        self.push_faults(n, status, None, false, Some(kind));
    }

    /// The next request of `kind` is applied, then its answer is held back for
    /// `d`: a client can be killed while it waits, its request known applied.
    pub fn stall_after_apply(&self, kind: Kind, d: std::time::Duration) {
        self.state().faults.push_back(Fault {
            status: 200,
            retry_after: None,
            after_apply: true,
            kind: Some(kind),
            stall: Some(d),
        });
    }

    /// Drops every injected fault not yet used.
    pub fn clear_faults(&self) {
        self.state().faults.clear();
    }

    fn push_faults(
        &self,
        n: usize,
        status: u16,
        retry_after: Option<u64>,
        after_apply: bool,
        kind: Option<Kind>,
    ) {
        let mut s = self.state();
        for _ in 0..n {
            s.faults.push_back(Fault {
                status,
                retry_after,
                after_apply,
                kind,
                stall: None,
            });
        }
    }

    /// While set, the token endpoint answers `invalid_grant` (401).
    pub fn refuse_tokens(&self, refuse: bool) {
        self.state().refuse_tokens = refuse;
    }

    /// Registers an OAuth client for the installed-app flow.
    pub fn register_client(&self, id: &str, secret: &str) {
        self.state().clients.insert(id.into(), secret.into());
    }
}
