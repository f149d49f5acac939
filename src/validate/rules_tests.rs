use super::*;
use crate::model::FieldId as F;

fn rule(field: F, raw: &str) -> Option<Rule> {
    check_value(field, raw, &Normaliser::default()).map(|f| f.rule)
}

fn suggestion(field: F, raw: &str, region: Option<&str>) -> Option<String> {
    let n = Normaliser::with_region_code(region).unwrap();
    check_value(field, raw, &n).and_then(|f| f.suggestion)
}

#[test]
fn lengths_count_characters_after_nfc() {
    assert_eq!(rule(F::FirstName, &"陳".repeat(50)), None);
    assert_eq!(rule(F::FirstName, &"陳".repeat(51)), Some(Rule::MaxLength));
    // 50 letters each with a combining accent: 100 code points, 50 after NFC.
    assert_eq!(rule(F::LastName, &"e\u{301}".repeat(50)), None);
    assert_eq!(
        rule(F::LastName, &"e\u{301}".repeat(51)),
        Some(Rule::MaxLength)
    );
    // A family emoji is several scalar values: CINNOX counts them, so do we.
    assert_eq!(rule(F::FirstName, &"👨‍👩‍👧".repeat(10)), None);
    assert_eq!(rule(F::FirstName, &"👨‍👩‍👧".repeat(11)), Some(Rule::MaxLength));
    assert_eq!(rule(F::Zipcode, "12345678901"), Some(Rule::MaxLength));
    assert_eq!(rule(F::Zipcode, "  1234567890  "), None);
    assert_eq!(rule(F::CompanyName, &"a".repeat(100)), None);
    assert_eq!(rule(F::Group, &"a".repeat(101)), Some(Rule::MaxLength));
    assert_eq!(rule(F::WeChat, &"w".repeat(101)), Some(Rule::MaxLength));
    let m = check_length(&"陳".repeat(51), 50).unwrap().message;
    assert!(m.contains("51") && m.contains("50"), "{m}");
}

/// `check_length` relies on it to skip normalising short values.
#[test]
fn no_character_decomposes_into_more_than_nfd_max() {
    use unicode_normalization::UnicodeNormalization;
    let mut buf = [0u8; 4];
    let most = (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .map(|c| c.encode_utf8(&mut buf).nfd().count())
        .max();
    assert_eq!(most, Some(NFD_MAX));
}

#[test]
fn dates_agree_with_normalise_on_every_shaped_value() {
    for y in [1900, 2000, 2023, 2024, 9999] {
        for m in 0..=13 {
            for d in 0..=32 {
                let s = format!("{d:02}/{m:02}/{y:04}");
                let invalid = matches!(check_date(&s), Some(f) if f.rule == Rule::DateInvalid);
                assert_eq!(invalid, normalise::date(&s).is_none(), "{s}");
            }
        }
    }
}

#[test]
fn phones_must_be_e164_and_real() {
    assert_eq!(rule(F::MobilePhone, "+85291234567"), None);
    // E.164-shaped (+ and digits) but the wrong length or country: invalid, not format.
    assert_eq!(rule(F::MobilePhone, "+85212"), Some(Rule::PhoneInvalid));
    assert_eq!(
        rule(F::MobilePhone, "+0085291234567"),
        Some(Rule::PhoneInvalid)
    );
    assert_eq!(
        rule(F::MobilePhone, "+8529123456789012"),
        Some(Rule::PhoneInvalid)
    );
    // Short but real: Niue (+683) numbers have 4 digits, Saint Helena (+290) 5.
    assert_eq!(rule(F::MobilePhone, "+6834002"), None);
    assert_eq!(rule(F::HomePhone, "+29022123"), None);
    assert_eq!(
        rule(F::MobilePhone, "+9991234567"),
        Some(Rule::PhoneInvalid)
    );
    assert_eq!(
        rule(F::MobilePhone, "+8529123456"),
        Some(Rule::PhoneInvalid)
    );
    assert_eq!(
        suggestion(F::MobilePhone, "+852 9123 4567", None).as_deref(),
        Some("+85291234567")
    );
    assert_eq!(
        suggestion(F::MobilePhone, "9123 4567", Some("HK")).as_deref(),
        Some("+85291234567")
    );
    assert_eq!(suggestion(F::MobilePhone, "9123 4567", None), None);
    assert_eq!(
        suggestion(F::MobilePhone, "++852 9123 4567", None).as_deref(),
        Some("+85291234567")
    );
    assert_eq!(
        suggestion(F::MobilePhone, "＋８５２９１２３４５６７", None).as_deref(),
        Some("+85291234567")
    );
    assert_eq!(
        rule(F::MobilePhone, "++85291234567"),
        Some(Rule::PhoneFormat)
    );
    let ext = check_value(
        F::WorkPhone,
        "+852 2123 4567 ext. 12",
        &Normaliser::default(),
    )
    .unwrap();
    assert_eq!((ext.rule, ext.suggestion), (Rule::PhoneFormat, None));
    assert!(ext.message.contains("extension"));
    let letters = check_value(F::WorkPhone, "+1 800 FLOWERS", &Normaliser::default()).unwrap();
    assert!(letters.message.contains("letters"));
    assert!(
        check_phone("91234567", &Normaliser::default())
            .unwrap()
            .message
            .contains("default_region")
    );
}

#[test]
fn dates_are_dd_mm_yyyy_and_real() {
    assert_eq!(rule(F::Birthday, "29/02/2024"), None);
    assert_eq!(rule(F::Birthday, "29/02/2000"), None);
    assert_eq!(rule(F::Birthday, "29/02/1900"), Some(Rule::DateInvalid));
    assert_eq!(rule(F::Birthday, "29/02/2023"), Some(Rule::DateInvalid));
    assert_eq!(rule(F::Birthday, "31/11/2023"), Some(Rule::DateInvalid));
    assert_eq!(rule(F::Birthday, "00/01/2023"), Some(Rule::DateInvalid));
    assert_eq!(
        suggestion(F::Birthday, "1990-02-01", None).as_deref(),
        Some("01/02/1990")
    );
    // Day and month either way round: a guess, not a suggestion.
    assert_eq!(suggestion(F::Birthday, "1/2/1990", None), None);
    assert_eq!(
        check_date("1/2/1990").unwrap().guess.as_deref(),
        Some("01/02/1990")
    );
    assert_eq!(
        suggestion(F::Birthday, "13/2/1990", None).as_deref(),
        Some("13/02/1990")
    );
    assert_eq!(rule(F::Birthday, "Feb 1 1990"), Some(Rule::DateFormat));
    let why = |s: &str| check_date(s).unwrap().message;
    assert!(why("29/02/2023").contains("2023 is not a leap year"));
    assert!(why("31/04/1979").contains("April has 30 days"));
    assert!(why("12/13/1990").contains("no month 13"));
    assert!(why("00/01/1990").contains("no day 00"));
}

#[test]
fn enums_suggest_the_canonical_spelling() {
    assert_eq!(rule(F::Level, "Primary"), None);
    assert_eq!(
        suggestion(F::Level, "primary", None).as_deref(),
        Some("Primary")
    );
    assert_eq!(
        suggestion(F::CustomerType, "Other", None).as_deref(),
        Some("Others")
    );
    assert_eq!(rule(F::CustomerType, "Others"), None);
    assert_eq!(suggestion(F::Language, "EN", None).as_deref(), Some("en"));
    let none = check_enum(EnumKind::Level, "Gold").unwrap();
    assert_eq!(none.suggestion, None);
    assert!(none.message.contains("Primary, Secondary, Tertiary"));
    assert_eq!(check_enum(EnumKind::PhoneType, "Mobile"), None);
}

#[test]
fn emails_are_checked_and_trivially_fixed() {
    assert_eq!(rule(F::Email, "ann@example.com"), None);
    assert_eq!(rule(F::Email, "ann.example.com"), Some(Rule::Email));
    let no_tld = check_value(F::Email, "priya.patel@example", &Normaliser::default()).unwrap();
    assert_eq!((no_tld.rule, no_tld.suggestion), (Rule::Email, None));
    assert!(
        no_tld.message.contains("top-level domain"),
        "{}",
        no_tld.message
    );
    assert_eq!(rule(F::Email, "ops@[192.168.0.1]"), None);
    assert_eq!(
        suggestion(F::Email, "ann @example.com", None).as_deref(),
        Some("ann@example.com")
    );
    assert_eq!(
        suggestion(F::Email, "ann@example.com.", None).as_deref(),
        Some("ann@example.com")
    );
}

#[test]
fn required_ignores_white_space() {
    assert_eq!(check_required("  ").map(|f| f.rule), Some(Rule::Required));
    assert_eq!(check_required("x"), None);
    assert_eq!(rule(F::FirstName, "   "), None);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn no_string_panics_any_rule(s in "\\PC{0,80}", region in prop_oneof![Just(None), Just(Some("HK")), Just(Some("US"))]) {
            let n = Normaliser::with_region_code(region).unwrap();
            for f in FieldId::ALL {
                let _ = check_value(*f, &s, &n);
            }
            for k in [EnumKind::PhoneType, EnumKind::EmailType, EnumKind::SocialType] {
                let _ = check_enum(k, &s);
            }
        }

        #[test]
        fn phone_like_strings_never_panic(s in "[+＋0-9０-９ ()./x#a-z-]{0,30}") {
            let n = Normaliser::with_region_code(Some("HK")).unwrap();
            let _ = check_value(FieldId::MobilePhone, &s, &n);
        }

        #[test]
        fn a_suggestion_always_passes_its_rule(s in "\\PC{0,40}") {
            let n = Normaliser::with_region_code(Some("HK")).unwrap();
            for f in FieldId::ALL {
                if let Some(sug) = check_value(*f, &s, &n).and_then(|x| x.suggestion) {
                    prop_assert_eq!(check_value(*f, &sug, &n), None, "field {} suggestion {:?}", f, sug);
                }
            }
        }

        /// The shortcut for short NFC values answers as counting after NFC does.
        #[test]
        fn length_shortcut_agrees_with_counting(
            s in prop::collection::vec(prop_oneof![
                Just("a"), Just("陳"), Just("e\u{301}"), Just("\u{1D5}"), Just("\u{323}"),
                Just("\u{2000}"), Just(" "), Just("👨‍👩‍👧"), Just("\u{958}"), Just("\u{FB2C}"),
            ], 0..30).prop_map(|v| v.concat()),
            max in 1usize..40,
        ) {
            let count = normalise::text(&s).chars().count();
            prop_assert_eq!(check_length(&s, max).is_some(), count > max, "{:?}", s);
        }

        #[test]
        fn normalise_is_idempotent(s in "\\PC{0,40}") {
            let n = Normaliser::with_region_code(Some("HK")).unwrap();
            for f in FieldId::ALL {
                let once = n.value(*f, &s);
                prop_assert_eq!(n.value(*f, &once), once.clone(), "field {}", f);
            }
        }
    }
}
