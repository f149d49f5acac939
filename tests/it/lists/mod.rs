//! Scenarios written once over a list environment (`env::ListEnv`) and run on each
//! kind of list: every scenario in `scenarios` becomes a module here with one test
//! per kind (`csv`, `sheet`).

mod env;
mod scenarios;

use env::{CsvList, SheetList};

/// One module per scenario, one test per kind of list.
macro_rules! on_every_kind {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn csv() {
                    super::scenarios::$name::<super::CsvList>();
                }

                #[test]
                fn sheet() {
                    super::scenarios::$name::<super::SheetList>();
                }
            }
        )*
    };
}

on_every_kind!(
    first_sync_goes_both_ways_then_rests,
    edits_on_both_sides_cost_one_write_each,
    a_conflict_under_each_policy,
    a_merge_relinks_and_marks_the_second_row,
    an_ownership_transfer_flows_into_the_owner_columns,
    deletes_both_ways,
);
