//! Scenarios written once over a list environment (`env::ListEnv`) and run on each
//! kind of list: every scenario in `scenarios` (what a sync does) and `promises`
//! (what it must never do: drop an edit, send a doomed write, create a person
//! twice, surprise an admin) becomes a module here with one test per kind (`csv`,
//! `sheet`).

mod env;
mod promises;
mod scenarios;

use env::{CsvList, SheetList};

/// One module per scenario, one test per kind of list.
macro_rules! on_every_kind {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::promises::*;
                #[allow(unused_imports)]
                use super::scenarios::*;

                #[test]
                fn csv() {
                    $name::<super::CsvList>();
                }

                #[test]
                fn sheet() {
                    $name::<super::SheetList>();
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
    an_edit_in_a_row_merged_away_reaches_the_survivor,
    an_edit_merged_into_a_survivor_holding_another_value_is_a_conflict,
    an_edit_survives_a_merge_into_a_contact_without_a_row,
    an_edit_typed_into_a_marked_row_is_reported,
    a_cleared_required_field_is_held_and_the_rest_is_sent,
    a_value_cinnox_stores_against_its_rules_costs_no_refused_request,
    rows_sharing_an_email_are_created_once_settled,
    a_per_field_policy_beats_the_job_policy,
    an_owner_transfer_of_every_contact_does_not_trip_the_guard,
    the_guard_counts_the_links_known_before_the_run,
    an_empty_level_is_filled_on_a_first_link_never_a_conflict,
    a_whatsapp_number_is_compared_as_a_phone_number,
);
