//! The audit command: real-world inputs, report formats, the generated benchmark
//! data, lists as Excel leaves them (workbooks, standard input, mangled values:
//! `excel`); audits of CINNOX and against it, and the HTML report in a browser
//! (`cinnox`).

mod cinnox;
mod excel;
mod formats;
mod generated;
mod inputs;
