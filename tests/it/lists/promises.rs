//! The planner's promises (issue 9), written once and run on every kind of list:
//! an edit survives a merge (into a contact with a row, or without one) and an edit
//! typed into a row already marked merged or deleted is reported; a required field
//! cleared in the list, or a value over a limit, is held while the row's other
//! changes go; a value CINNOX stores against its own rules costs no refused request;
//! rows sharing an email are created once they are told apart; a per-field policy
//! beats the job's; routine owner transfers do not trip the guard, whose figures
//! count the links known before the run; an empty Level is filled, not a conflict;
//! a WhatsApp number is compared as a phone number.

use super::env::ListEnv;
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::{Contact, FieldId as F};

fn ids<E: ListEnv>(env: &E) -> Vec<String> {
    env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect()
}

fn line_of<E: ListEnv>(env: &E, id: &str) -> usize {
    // The header is line 1 on both kinds of list.
    env.index_of(id) + 2
}

pub fn an_edit_in_a_row_merged_away_reaches_the_survivor<E: ListEnv>() {
    let env = E::new(&[person(1), person(2)], vec![]);
    env.sync_settled(0);
    let ids = ids(&env);
    // Typed into row 2; before the next run CINNOX merges 2 into 1, which has a row.
    env.set_cell(env.index_of(&ids[1]), "Job Title", "Director");
    env.sb()
        .sandbox()
        .merge(&ids[0], std::slice::from_ref(&ids[1]))
        .unwrap();
    let (code, out, _) = env.text(&["plan", "--config", env.job_arg()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("merged into {}", ids[0])), "{out}");
    assert!(!out.contains("contact gone from CINNOX"), "{out}");
    let v = env.sync_settled(0);
    assert_eq!(
        env.contact(&ids[0]).values.get(F::JobTitle),
        "Director",
        "the edit travelled to the survivor: {v:#}"
    );
    assert_eq!(env.row_of(&ids[0]).unwrap()["Job Title"], "Director");
    assert_eq!(
        env.row_of(&ids[1]).unwrap()["Sync Status"],
        format!("merged into {}", ids[0])
    );
    assert_eq!(env.contacts().len(), 1, "nothing re-created");
}

pub fn an_edit_merged_into_a_survivor_holding_another_value_is_a_conflict<E: ListEnv>() {
    let env = E::new(&[person(1), person(2)], vec![]);
    env.sync_settled(0);
    let ids = ids(&env);
    env.set_cell(env.index_of(&ids[1]), "Job Title", "Director");
    env.sb()
        .sandbox()
        .edit(&ids[0], &[(F::JobTitle, "Chief".into())])
        .unwrap();
    env.sb()
        .sandbox()
        .merge(&ids[0], std::slice::from_ref(&ids[1]))
        .unwrap();
    let line = line_of(&env, &ids[1]);
    let v = env.sync_settled(1);
    let problems = v["problems"].to_string();
    assert_eq!(v["counts"]["unresolved"], 1, "{v:#}");
    assert!(
        problems.contains("Director") && problems.contains(&format!("line {line}")),
        "the absorbed row's edit is named with its line: {v:#}"
    );
    assert_eq!(env.contact(&ids[0]).values.get(F::JobTitle), "Chief");
}

pub fn an_edit_survives_a_merge_into_a_contact_without_a_row<E: ListEnv>() {
    let env = E::new(&[person(1)], vec![]);
    env.sync_settled(0);
    let id = ids(&env).remove(0);
    env.set_cell(0, "Job Title", "Director");
    let mut s = cinnox_person(9);
    s.values.set(F::JobTitle, "Engineer");
    let survivor = env
        .sb()
        .sandbox()
        .seed_contacts(vec![s], false)
        .unwrap()
        .remove(0);
    env.sb()
        .sandbox()
        .merge(&survivor, std::slice::from_ref(&id))
        .unwrap();
    let v = env.sync_settled(0);
    assert_eq!(env.rows()[0]["CINNOX ID"], survivor, "{v:#}");
    assert_eq!(env.contact(&survivor).values.get(F::JobTitle), "Director");
}

pub fn an_edit_typed_into_a_marked_row_is_reported<E: ListEnv>() {
    let env = E::new(&[person(1), person(2), person(3)], vec![]);
    env.sync_settled(0);
    let ids = ids(&env);
    env.sb()
        .sandbox()
        .merge(&ids[0], std::slice::from_ref(&ids[1]))
        .unwrap();
    env.sb().sandbox().delete(&ids[2]).unwrap();
    env.sync_settled(0);
    env.set_cell(env.index_of(&ids[1]), "Job Title", "Director");
    env.set_cell(env.index_of(&ids[2]), "Company", "Acme");
    let (merged, deleted) = (line_of(&env, &ids[1]), line_of(&env, &ids[2]));
    let v = env.sync_settled(1);
    assert_eq!(v["outcome"], "finished_with_problems", "{v:#}");
    let problems = v["problems"].to_string();
    for (line, column) in [(merged, "Job Title"), (deleted, "Company")] {
        assert!(
            problems.contains(&format!("line {line}")) && problems.contains(column),
            "line {line}, {column}: {v:#}"
        );
    }
    let status = |id: &str| env.row_of(id).unwrap()["Sync Status"].clone();
    assert!(
        status(&ids[1]).starts_with(&format!("merged into {}", ids[0]))
            && status(&ids[1]).contains("Job Title"),
        "{}",
        status(&ids[1])
    );
    assert!(
        status(&ids[2]).starts_with("deleted in CINNOX") && status(&ids[2]).contains("Company"),
        "{}",
        status(&ids[2])
    );
    assert_eq!(env.contact(&ids[0]).values.get(F::JobTitle), "Engineer");
    // Reported again until the row is fixed, never forgotten in silence.
    let (code, again) = env.sync();
    assert_eq!(code, 1, "{again:#}");
}

pub fn a_cleared_required_field_is_held_and_the_rest_is_sent<E: ListEnv>() {
    let env = E::new(&[person(1)], vec![]);
    env.sync_settled(0);
    let id = ids(&env).remove(0);
    env.set_cell(0, "First Name", "");
    env.set_cell(0, "Job Title", &"J".repeat(101));
    env.set_cell(0, "Company", "Acme");
    let v = env.sync_settled(1);
    assert_eq!(v["counts"]["invalid"], 1, "{v:#}");
    let c = env.contact(&id);
    assert_eq!(
        c.values.get(F::FirstName),
        "Person1",
        "never blanked in CINNOX"
    );
    assert_eq!(c.values.get(F::JobTitle), "Engineer");
    assert_eq!(
        c.values.get(F::CompanyName),
        "Acme",
        "the valid change went"
    );
    let status = env.rows()[0]["Sync Status"].clone();
    assert!(
        status.starts_with("error: First Name is required but empty")
            && status.contains("Job Title is 101 characters long"),
        "{status}"
    );
    // Fixed in the list: sent.
    env.set_cell(0, "First Name", "Ann");
    env.set_cell(0, "Job Title", "Director");
    env.sync_settled(0);
    let c = env.contact(&id);
    assert_eq!(
        (c.values.get(F::FirstName), c.values.get(F::JobTitle)),
        ("Ann", "Director")
    );
    assert_eq!(env.rows()[0]["Sync Status"], "ok");
}

pub fn a_value_cinnox_stores_against_its_rules_costs_no_refused_request<E: ListEnv>() {
    let long = "X".repeat(60);
    let mut planted = Contact::default();
    planted.values.set(F::FirstName, long.clone());
    planted.values.set(F::Email, "person1@example.com");
    planted.values.set(F::JobTitle, "Engineer");
    let row = vec![
        ("Email", "person1@example.com".to_string()),
        ("Job Title", "Engineer".into()),
    ];
    let env = E::new(&[row], vec![planted]);
    env.sync_settled(0);
    assert_eq!(env.rows()[0]["First Name"], long, "filled from CINNOX");
    env.set_cell(0, "Job Title", "Director");
    let v = env.sync_settled(1);
    let s = env.stats();
    assert_eq!(
        s.total("update"),
        0,
        "no request CINNOX would refuse: {v:#}"
    );
    let problems = v["problems"].to_string();
    assert!(
        problems.contains("First Name") && problems.contains("stored in CINNOX"),
        "{v:#}"
    );
    // A valid value in the list goes out in its place, with the held edit.
    env.set_cell(0, "First Name", "Xavier");
    env.sync_settled(0);
    let id = env.rows()[0]["CINNOX ID"].clone();
    let c = env.contact(&id);
    assert_eq!(
        (c.values.get(F::FirstName), c.values.get(F::JobTitle)),
        ("Xavier", "Director")
    );
}

pub fn rows_sharing_an_email_are_created_once_settled<E: ListEnv>() {
    let dup = |name: &str, email: &str| {
        vec![
            ("First Name", name.to_string()),
            ("Email", email.to_string()),
        ]
    };
    let env = E::new(
        &[
            dup("Ann", "dup@example.com"),
            person(1),
            dup("Annie", "DUP@example.com"),
            dup("A.", " dup@example.com"),
        ],
        vec![],
    );
    let v = env.sync_settled(1);
    assert_eq!(v["calls"]["create"], 1, "only Person1: {v:#}");
    assert_eq!(env.contacts().len(), 1);
    let problems = v["problems"].to_string();
    for line in [2, 4, 5] {
        assert!(problems.contains(&format!("line {line}")), "{line}: {v:#}");
    }
    for i in [0, 2, 3] {
        let status = env.rows()[i]["Sync Status"].clone();
        assert!(status.starts_with("ambiguous"), "row {i}: {status}");
    }
    // One row left for the person: created once.
    env.delete_row(3);
    env.delete_row(2);
    env.sync_settled(0);
    assert_eq!(env.contacts().len(), 2);
    assert_eq!(
        env.contacts()
            .iter()
            .filter(|c| c.values.get(F::Email) == "dup@example.com")
            .count(),
        1
    );
}

pub fn a_per_field_policy_beats_the_job_policy<E: ListEnv>() {
    let env = E::with_policy(&[person(1)], vec![], "conflict = \"source-wins\"");
    let wide = std::fs::read_to_string(crate::sync_support::sandbox::wide()).unwrap();
    env.set_mapping(&format!(
        "{wide}\n[sync.fields.jobTitle]\nconflict = \"cinnox-wins\"\n"
    ));
    env.sync_settled(0);
    let id = ids(&env).remove(0);
    env.set_cell(0, "Job Title", "Director");
    env.set_cell(0, "Company", "RowCo");
    env.sb()
        .sandbox()
        .edit(
            &id,
            &[
                (F::JobTitle, "Chief".into()),
                (F::CompanyName, "CinCo".into()),
            ],
        )
        .unwrap();
    let (code, out, _) = env.text(&["plan", "--config", env.job_arg()]);
    assert_eq!(code, 0, "{out}");
    let line = |col: &str| {
        out.lines()
            .find(|l| l.starts_with("conflict") && l.contains(col))
            .unwrap_or_else(|| panic!("no conflict on {col}: {out}"))
            .to_string()
    };
    assert!(
        line("Job Title")
            .contains("cinnox-wins, from sync.fields.jobTitle.conflict in the mapping"),
        "{out}"
    );
    assert!(
        line("Company").contains("source-wins, from [policy] conflict in the job file"),
        "{out}"
    );
    env.sync_settled(0);
    let c = env.contact(&id);
    assert_eq!(c.values.get(F::JobTitle), "Chief");
    assert_eq!(c.values.get(F::CompanyName), "RowCo");
    assert_eq!(env.rows()[0]["Job Title"], "Chief");
}

pub fn an_owner_transfer_of_every_contact_does_not_trip_the_guard<E: ListEnv>() {
    let rows: Vec<_> = (1..=12).map(person).collect();
    let env = E::new(&rows, vec![]);
    env.sync_settled(0);
    let ids = ids(&env);
    let owner = env.rows()[0]["Owner ID"].clone();
    let staff = env.sb().sandbox().staff_page(0, 100, "").0;
    let other = staff.iter().find(|s| s.id != owner).unwrap();
    env.sb().sandbox().transfer(&ids, &other.id).unwrap();
    let v = env.sync_settled(0);
    assert!(v["guard"].is_null(), "{v:#}");
    assert_eq!(v["counts"]["linked_changed"], 0, "{v:#}");
    for r in env.rows() {
        assert_eq!(r["Owner ID"], other.id);
    }
}

pub fn the_guard_counts_the_links_known_before_the_run<E: ListEnv>() {
    let rows: Vec<_> = (1..=20).map(person).collect();
    let env = E::new(&rows, vec![]);
    env.sync_settled(0);
    for id in ids(&env).iter().take(12) {
        env.sb().sandbox().delete(id).unwrap();
    }
    let (code, v) = env.sync();
    assert_eq!(code, 2, "{v:#}");
    let message = v["guard"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("change 12 of 20 linked records (60%)"),
        "{message}"
    );
}

pub fn an_empty_level_is_filled_on_a_first_link_never_a_conflict<E: ListEnv>() {
    let mut c = cinnox_person(1);
    c.values.set(F::Level, "Secondary");
    c.values.set(F::CustomerType, "Customer");
    let matched = vec![
        ("First Name", "Cin1".to_string()),
        ("Email", "cin1@example.com".into()),
    ];
    let env = E::new(&[matched, person(2)], vec![c]);
    let (code, v) = env.json(&["plan", "--config", env.job_arg()]);
    assert_eq!(
        (code, v["counts"]["conflicts"].as_u64()),
        (0, Some(0)),
        "{v:#}"
    );
    let create = v["plan"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["actions"].as_array().unwrap())
        .find(|a| a["action"] == "create_contact")
        .unwrap()
        .clone();
    assert!(
        create["values"]["level"].is_null() && create["values"]["customerType"].is_null(),
        "no default the person did not type: {create}"
    );
    let v = env.sync_settled(0);
    assert_eq!(v["counts"]["conflicts"], 0, "{v:#}");
    let rows = env.rows();
    assert_eq!(
        (rows[0]["Level"].as_str(), rows[0]["Type"].as_str()),
        ("Secondary", "Customer")
    );
    // What CINNOX stored for the new contact's empty level is in its row already.
    assert_eq!(
        (rows[1]["Level"].as_str(), rows[1]["Type"].as_str()),
        ("Primary", "Lead")
    );
}

pub fn a_whatsapp_number_is_compared_as_a_phone_number<E: ListEnv>() {
    let mut c = cinnox_person(1);
    c.values.set(F::WhatsApp, "+85264192136");
    let matched = vec![
        ("First Name", "Cin1".to_string()),
        ("Email", "cin1@example.com".into()),
        ("WhatsApp", "+852 6419 2136".into()),
    ];
    let mut new = person(2);
    new.push(("WhatsApp", "+852 6419 2137".into()));
    let env = E::new(&[matched, new], vec![c]);
    let v = env.sync_settled(0);
    assert_eq!(v["counts"]["conflicts"], 0, "{v:#}");
    let sent = env
        .contacts()
        .into_iter()
        .find(|c| c.values.get(F::FirstName) == "Person2")
        .unwrap();
    assert_eq!(
        sent.values.get(F::WhatsApp),
        "+85264192137",
        "sent as E.164"
    );
}
