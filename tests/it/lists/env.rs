//! One list environment over two kinds of list: a CSV file (`CsvList`) and a tab of
//! the fake Google Sheet (`SheetList`), each with a CINNOX sandbox on loopback and
//! the real binary. Scenarios written against `ListEnv` run on both; what only one
//! kind has is asked for by `sheet_requests` (the Sheets requests of the last run).

use crate::sheets_sync::env::{Run, SheetEnv, sheet_header};
use crate::support::fake_sheets::{Cell, Counts, Logged};
use crate::sync_support::sandbox::{Env, csv_text};
use assert_cmd::Command;
use cinnox_sync::model::Contact;
use cinnox_sync::sandbox::{RunningSandbox, StatsSnapshot};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Rows to start a list with: each a set of (column, text).
pub type Rows<'a> = &'a [Vec<(&'a str, String)>];

pub trait ListEnv: Sized {
    /// How the kind is named in failure messages.
    const KIND: &'static str;
    fn new(rows: Rows<'_>, seed: Vec<Contact>) -> Self {
        Self::with_policy(rows, seed, "")
    }
    /// A list with `policy` as the job's `[policy]` table.
    fn with_policy(rows: Rows<'_>, seed: Vec<Contact>, policy: &str) -> Self;
    fn sb(&self) -> &RunningSandbox;
    fn job_arg(&self) -> &str;
    fn state_path(&self) -> PathBuf;
    /// The binary, pointed at the list's world.
    fn cmd(&self) -> Command;
    /// Runs `cinnox-sync ARGS --json`: (exit code, summary).
    fn json(&self, args: &[&str]) -> (i32, Value);
    fn sync(&self) -> (i32, Value);
    /// Syncs expecting `code`; a second sync must write nothing anywhere.
    fn sync_settled(&self, code: i32) -> Value;
    fn header(&self) -> Vec<String>;
    /// The rows as column → text.
    fn rows(&self) -> Vec<BTreeMap<String, String>>;
    /// Types `text` into `column` of data row `row` (0-based), as a person would.
    fn set_cell(&self, row: usize, column: &str, text: &str);
    /// Deletes the row holding `id`, as a person would.
    fn delete_row_of(&self, id: &str);
    /// Deletes data row `row` (0-based), as a person would.
    fn delete_row(&self, row: usize);
    /// The Sheets requests of the first run of the last `sync_settled` (a sheet only).
    fn sheet_requests(&self) -> Option<(Counts, Vec<Logged>)>;

    fn stats(&self) -> StatsSnapshot {
        self.sb().sandbox().stats()
    }
    /// Points the job at a mapping with this text (written beside the job file).
    fn set_mapping(&self, toml: &str) {
        let job = PathBuf::from(self.job_arg());
        let path = job.with_file_name("custom-mapping.toml");
        std::fs::write(&path, toml).unwrap();
        let text = std::fs::read_to_string(&job).unwrap();
        let text: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with("mapping = ") {
                    format!("mapping = {:?}", path.display().to_string())
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&job, text.join("\n") + "\n").unwrap();
    }
    /// The binary's text output of `cinnox-sync ARGS` (stdout, stderr) and exit code.
    fn text(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn contacts(&self) -> Vec<Contact> {
        self.sb().sandbox().contacts()
    }
    fn contact(&self, id: &str) -> Contact {
        self.sb()
            .sandbox()
            .contact(id)
            .unwrap_or_else(|| panic!("no contact {id}"))
    }
    fn row_of(&self, id: &str) -> Option<BTreeMap<String, String>> {
        self.rows()
            .into_iter()
            .find(|r| r.get("CINNOX ID").map(String::as_str) == Some(id))
    }
    /// The 0-based data row holding `id`.
    fn index_of(&self, id: &str) -> usize {
        self.rows()
            .iter()
            .position(|r| r.get("CINNOX ID").map(String::as_str) == Some(id))
            .unwrap_or_else(|| panic!("no row for {id}"))
    }
}

pub struct CsvList(pub Env);

impl ListEnv for CsvList {
    const KIND: &'static str = "csv";

    fn with_policy(rows: Rows<'_>, seed: Vec<Contact>, policy: &str) -> Self {
        CsvList(Env::with_policy(&csv_text(rows), seed, policy))
    }
    fn sb(&self) -> &RunningSandbox {
        &self.0.sb
    }
    fn job_arg(&self) -> &str {
        self.0.job.to_str().unwrap()
    }
    fn state_path(&self) -> PathBuf {
        self.0.state.clone()
    }
    fn cmd(&self) -> Command {
        self.0.cmd()
    }
    fn json(&self, args: &[&str]) -> (i32, Value) {
        self.0.json(args)
    }
    fn sync(&self) -> (i32, Value) {
        self.0.sync()
    }
    fn sync_settled(&self, code: i32) -> Value {
        self.0.sync_settled(code)
    }
    fn header(&self) -> Vec<String> {
        let mut r = csv::Reader::from_path(&self.0.csv).unwrap();
        r.headers().unwrap().iter().map(String::from).collect()
    }
    fn rows(&self) -> Vec<BTreeMap<String, String>> {
        self.0.rows()
    }
    fn set_cell(&self, row: usize, column: &str, text: &str) {
        self.0.edit_csv(|rows| {
            rows[row].insert(column.into(), text.into());
        });
    }
    fn delete_row_of(&self, id: &str) {
        self.0
            .edit_csv(|rows| rows.retain(|r| r["CINNOX ID"] != id));
    }
    fn delete_row(&self, row: usize) {
        self.0.edit_csv(|rows| {
            rows.remove(row);
        });
    }
    fn sheet_requests(&self) -> Option<(Counts, Vec<Logged>)> {
        None
    }
}

pub struct SheetList {
    pub env: SheetEnv,
    last: RefCell<Option<Run>>,
}

impl ListEnv for SheetList {
    const KIND: &'static str = "sheet";

    fn with_policy(rows: Rows<'_>, seed: Vec<Contact>, policy: &str) -> Self {
        SheetList {
            env: SheetEnv::with(&sheet_header(), rows, seed, policy),
            last: RefCell::new(None),
        }
    }
    fn sb(&self) -> &RunningSandbox {
        &self.env.sb
    }
    fn job_arg(&self) -> &str {
        self.env.job_arg()
    }
    fn state_path(&self) -> PathBuf {
        self.env.dir.path().join("contacts.state.db")
    }
    fn cmd(&self) -> Command {
        self.env.cmd()
    }
    fn json(&self, args: &[&str]) -> (i32, Value) {
        self.env.json(args)
    }
    fn sync(&self) -> (i32, Value) {
        self.env.sync()
    }
    fn sync_settled(&self, code: i32) -> Value {
        let run = self.env.sync_settled(code);
        let v = run.v.clone();
        *self.last.borrow_mut() = Some(run);
        v
    }
    fn header(&self) -> Vec<String> {
        self.env.header()
    }
    fn rows(&self) -> Vec<BTreeMap<String, String>> {
        self.env.rows()
    }
    fn set_cell(&self, row: usize, column: &str, text: &str) {
        self.env.type_at(row, column, Cell::text(text));
    }
    fn delete_row_of(&self, id: &str) {
        let at = self.env.index_of(id);
        self.env.edit_rows(|rows| {
            rows.remove(at);
        });
    }
    fn delete_row(&self, row: usize) {
        self.env.edit_rows(|rows| {
            rows.remove(row);
        });
    }
    fn sheet_requests(&self) -> Option<(Counts, Vec<Logged>)> {
        self.last
            .borrow()
            .as_ref()
            .map(|r| (r.c.clone(), r.log.clone()))
    }
}
