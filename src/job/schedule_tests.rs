use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn table(toml_text: &str) -> Result<ServeTable, String> {
    let raw: RawServe = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    raw.check()
}

#[test]
fn durations_read_as_written() {
    assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
    assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_duration(" 250ms "), Ok(Duration::from_millis(250)));
    assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
    for bad in [
        "",
        "15",
        "m",
        "15 minutes",
        "-5s",
        "1.5h",
        "5x",
        "99999999999999999999s",
    ] {
        assert!(parse_duration(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn defaults_and_every() {
    let t = table("every = \"15m\"").unwrap();
    assert_eq!(t.schedule, Schedule::Every(Duration::from_secs(900)));
    assert!(t.at_start);
    assert_eq!(t.coalesce, Coalesce::default());
    assert_eq!(t.describe(), "every 15m");
    // A tenth of the period, at most five minutes.
    let now = Local::now();
    assert_eq!(t.jitter_for(now), Duration::from_secs(90));
    let long = table("every = \"1d\"").unwrap();
    assert_eq!(long.jitter_for(now), MAX_DEFAULT_JITTER);
    assert_eq!(
        table("every = \"1h\"\njitter = \"0s\"")
            .unwrap()
            .jitter_for(now),
        Duration::ZERO
    );
    assert_eq!(table("").unwrap().schedule, Schedule::Webhooks);
}

#[test]
fn cron_ticks_follow_the_expression() {
    let t = table("cron = \"0 */2 * * *\"").unwrap();
    let at = Local.with_ymd_and_hms(2026, 3, 4, 10, 15, 0).unwrap();
    let next = t.next_tick(at).unwrap();
    assert_eq!(next, Local.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap());
    // Strictly after: a tick exactly now is not "next".
    assert_eq!(
        t.next_tick(next).unwrap(),
        Local.with_ymd_and_hms(2026, 3, 4, 14, 0, 0).unwrap()
    );
    // A tenth of two hours is 12 minutes: capped at five.
    assert_eq!(t.jitter_for(next), Duration::from_secs(300));
}

#[test]
fn mistakes_name_the_key() {
    let e = |s: &str| table(s).unwrap_err();
    assert!(e("every = \"15\"").contains("serve.every"));
    assert!(e("every = \"500ms\"").contains("at least 1s"));
    assert!(e("cron = \"every day\"").contains("serve.cron"));
    assert!(e("every = \"1m\"\ncron = \"* * * * *\"").contains("not both"));
    assert!(e("settle = \"soon\"").contains("serve.settle"));
    assert!(e("max_delay = \"10s\"\nmin_gap = \"30s\"").contains("serve.max_delay"));
    assert!(e("evry = \"1m\"").contains("evry"));
    assert!(e("name = \"a\\\"b\"").contains("serve.name"));
}

proptest! {
    /// What `show_duration` writes, `parse_duration` reads back.
    #[test]
    fn durations_round_trip(ms in 0u64..10_000_000_000) {
        let d = Duration::from_millis(ms);
        prop_assert_eq!(parse_duration(&show_duration(d)), Ok(d));
    }

    /// No text panics the parser.
    #[test]
    fn any_text_is_read_or_refused(s in "\\PC{0,12}") {
        let _ = parse_duration(&s);
    }
}
