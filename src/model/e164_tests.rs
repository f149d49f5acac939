use super::*;
use proptest::prelude::*;

fn same(s: &str) {
    assert_eq!(
        is_valid_e164_shaped(s),
        reference(s),
        "fast and reference differ on {s}"
    );
}

fn shaped(s: &str) -> bool {
    in_fast_domain(s)
}

/// Every example number of every region and entity, and numbers one edit away
/// from each: the places where a pattern's boundaries are.
#[test]
fn agrees_with_phonenumber_on_every_example_and_its_neighbours() {
    let mut checked = 0;
    for m in DATABASE.iter() {
        let d = m.descriptors();
        let examples = [
            Some(d.general()),
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ];
        for ex in examples.into_iter().flatten().filter_map(|d| d.example()) {
            let base = format!("+{}{}", m.country_code(), ex);
            let mut variants = vec![base.clone(), format!("{base}0"), format!("{base}7")];
            variants.push(base[..base.len() - 1].to_string());
            for i in 1..base.len() {
                for digit in ['0', '9'] {
                    let mut v: Vec<char> = base.chars().collect();
                    v[i] = digit;
                    variants.push(v.into_iter().collect());
                }
            }
            for v in variants.iter().filter(|v| shaped(v)) {
                same(v);
                checked += 1;
            }
            // Outside the fast path (short numbers, a leading 0), the public check
            // is the library's answer, capped at E.164's 15 digits.
            for v in variants.iter().filter(|v| !shaped(v)) {
                let digits = v.len() - 1;
                let want = digits <= 15 && reference(v);
                assert_eq!(crate::model::normalise::valid_e164(v), want, "{v}");
            }
        }
    }
    assert!(checked > 25_000, "only {checked} numbers checked");
}

#[test]
fn known_answers() {
    assert!(is_valid_e164_shaped("+85291234567"));
    assert!(is_valid_e164_shaped("+6581234567"));
    assert!(is_valid_e164_shaped("+447912345678"));
    assert!(is_valid_e164_shaped("+14155552671") == reference("+14155552671"));
    assert!(!is_valid_e164_shaped("+8529123456"));
    assert!(!is_valid_e164_shaped("+9991234567"));
    assert!(!is_valid_e164_shaped("+85200000000"));
    // Italian fixed lines keep their leading zero in E.164.
    same("+390236618300");
    // A national prefix written after the country code is rewritten by the parser.
    same("+4402012345678");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn agrees_on_random_e164_strings(s in "\\+[1-9][0-9]{7,14}") {
        prop_assert_eq!(is_valid_e164_shaped(&s), reference(&s), "{}", s);
    }

    #[test]
    fn agrees_on_random_numbers_of_real_countries(
        code in prop::sample::select(vec![1u16, 7, 33, 39, 44, 49, 52, 54, 55, 61, 65, 81, 86, 852, 853, 886, 800, 808, 870, 882, 883, 979]),
        rest in "[0-9]{7,12}",
    ) {
        let s = format!("+{code}{rest}");
        prop_assert_eq!(is_valid_e164_shaped(&s), reference(&s), "{}", s);
    }
}
