//! The machine's list layout: its mapping, header and the fields the steps edit,
//! with the values each may take (valid, invalid, empty), and the over-long values
//! CINNOX refuses.

use cinnox_sync::model::{FieldId as F, FieldId};

pub const MAPPING: &str = r#"
id_column = "CINNOX ID"
status_column = "Sync Status"
match_keys = ["email"]
required = ["firstName"]
[columns]
"First Name" = "firstName"
"Last Name" = "lastName"
"Email" = "email"
"Mobile" = "mobilePhone"
"WhatsApp" = "whatsApp"
"Company" = "companyName"
"Job Title" = "jobTitle"
"Level" = "level"
"Owner" = "ownerName"
"Owner ID" = "ownerId"
[sync]
conflict = "report"
[sync.fields.ownerName]
direction = "from-cinnox"
[sync.fields.ownerId]
direction = "from-cinnox"
# The row's token flows one way, so a first link never overwrites it.
[sync.fields.lastName]
direction = "to-cinnox"
"#;

pub const HEADER: [&str; 12] = [
    "First Name",
    "Last Name",
    "Email",
    "Mobile",
    "WhatsApp",
    "Company",
    "Job Title",
    "Level",
    "Owner",
    "Owner ID",
    "CINNOX ID",
    "Sync Status",
];

/// The fields edited, with the values each side types: the list's include an
/// emptied required field and values over CINNOX's limits; CINNOX's a first name
/// over its own limit (typed in the dashboard) and every level.
pub const FIELDS: [(FieldId, &str, &[&str], &[&str]); 6] = [
    (
        F::FirstName,
        "First Name",
        &["Ann", "Bo", ""],
        &["Ann", "Cy", LONG_NAME],
    ),
    (
        F::JobTitle,
        "Job Title",
        &["Eng", "CTO", "", LONG_TITLE],
        &["Eng", "COO", ""],
    ),
    (
        F::CompanyName,
        "Company",
        &["Acme", "Beta", ""],
        &["Acme", "Gamma", ""],
    ),
    (
        F::MobilePhone,
        "Mobile",
        &["+85291234567", "+852 9123 4567", "", "12ab"],
        &["+85291234567", "+85261234567", ""],
    ),
    (
        F::WhatsApp,
        "WhatsApp",
        &["+852 6419 2136", "+85264192136", ""],
        &["+85264192136", "+85261234567", ""],
    ),
    (
        F::Level,
        "Level",
        &["Primary", "Secondary", ""],
        &["Primary", "Secondary", "Tertiary"],
    ),
];
pub const LONG_NAME: &str = "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
pub const LONG_TITLE: &str = "Jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj";

pub fn col(name: &str) -> usize {
    HEADER.iter().position(|h| *h == name).unwrap()
}
