//! The audit command: real-world inputs, report formats, the generated benchmark
//! data, and lists as Excel leaves them (workbooks, standard input, mangled values).

mod excel;
mod formats;
mod generated;
mod inputs;
