//! The words the contact generator picks from: names in English, Cantonese and
//! with accents, domains, companies, titles, teams, enum values and places.

// (display name, ascii form for emails)
pub(super) const FIRST: &[(&str, &str)] = &[
    ("Ann", "ann"),
    ("Tai Man", "taiman"),
    ("Wing Yee", "wingyee"),
    ("Ka Ho", "kaho"),
    ("David", "david"),
    ("Priya", "priya"),
    ("Wei Ling", "weiling"),
    ("Oliver", "oliver"),
    ("大文", "daman"),
    ("小明", "siuming"),
    ("美玲", "meiling"),
    ("志強", "chikeung"),
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Chloé", "chloe"),
    ("Søren", "soren"),
    ("Ngọc Anh", "ngocanh"),
];
pub(super) const LAST: &[(&str, &str)] = &[
    ("Chan", "chan"),
    ("Wong", "wong"),
    ("Lee", "lee"),
    ("Ng", "ng"),
    ("Tan", "tan"),
    ("Smith", "smith"),
    ("Patel", "patel"),
    ("陳", "chan"),
    ("李", "lee"),
    ("張", "cheung"),
    ("黃", "wong"),
    ("Nguyễn", "nguyen"),
    ("Müller", "muller"),
    ("O'Brien", "obrien"),
];
pub(super) const DOMAINS: &[&str] = &[
    "example.com",
    "example.com.hk",
    "mail.example.sg",
    "example.co.uk",
    "corp.example.org",
];
pub(super) const COMPANIES: &[&str] = &[
    "Acme Trading Ltd",
    "香港貿易有限公司",
    "Lion City Logistics Pte. Ltd.",
    "Société Générale Asia",
    "Harbour View Properties",
    "",
    "Kowloon Dairy, Ltd.",
    "新加坡科技集團",
];
pub(super) const TITLES: &[&str] = &[
    "Sales Manager",
    "CEO",
    "經理",
    "Account Executive",
    "",
    "Directeur Général",
];
pub(super) const TEAMS: &[&str] = &["Sales", "Support", "", "客戶服務部", "Finance"];
pub(super) const GROUPS: &[&str] = &["VIP", "Retail", "", "Wholesale"];
pub(super) const LEVELS: &[&str] = &["Primary", "Secondary", "Tertiary", ""];
pub(super) const TYPES: &[&str] = &["Lead", "Prospect", "Customer", "Others", ""];
pub(super) const LANGS: &[&str] = &["en", "zh-hant", "zh-hans", "ja", "th", "it", ""];
pub(super) const PHONE_TYPES: &[&str] = &["Mobile", "Mobile", "Work", "Home", "Other"];
pub(super) const EMAIL_TYPES: &[&str] = &["Work", "Personal", "Other"];
pub(super) const SOCIAL_TYPES: &[&str] = &[
    "WhatsApp",
    "WeChat",
    "LINE",
    "Messenger",
    "LinkedIn",
    "WOZTELL (Instagram)",
    "",
];
// (street, city, state, zip, country)
pub(super) const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Flat 12A, 88 Queen's Road Central",
        "Hong Kong",
        "",
        "999077",
        "Hong Kong",
    ),
    ("彌敦道 188 號", "九龍", "Kowloon", "", "香港"),
    (
        "1 Raffles Place, #20-01",
        "Singapore",
        "",
        "048616",
        "Singapore",
    ),
    (
        "221B Baker Street",
        "London",
        "",
        "NW1 6XE",
        "United Kingdom",
    ),
    ("350 Fifth Avenue", "New York", "NY", "10118", "US"),
];
