//! The HTML report in a real headless browser (Chromium), used as a person would:
//! read the totals and when and by what the page was made, type in the filter,
//! pick a rule, click a bar of the chart, sort by a column; at desktop width and
//! at 400 px, where nothing may need scrolling sideways and no phone number or id
//! may be broken across lines. A list's report and a report of CINNOX.

use super::planted;
use crate::support::browser::Browser;
use crate::sync_support::sandbox::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

/// `cinnox-sync audit ARGS` in `dir`: its standard output.
fn audit(dir: &Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("cinnox-sync")
        .unwrap()
        .current_dir(dir)
        .env("RUST_LOG", "error")
        .arg("audit")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code() == Some(1), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Filters, sorts and reads the violations table; the page's own numbers and
/// what it shows after each step.
const USE_THE_TABLE: &str = r##"
  var rows = function () { return $$("#t tbody tr"); };
  var cell = function (tr, label) {
    var td = Array.prototype.find.call(tr.cells, function (c) { return c.dataset.label === label; });
    return td ? text(td) : null;
  };
  var out = { made: text($("#made")), count: text($("#count")), shown: rows().length };
  type($("#q"), "+852");
  await sleep(400);
  out.filtered = { count: text($("#count")), values: rows().map(function (tr) { return text(tr); }) };
  type($("#q"), "");
  await sleep(400);
  choose($("#rule"), "phone_format");
  out.byRule = rows().map(function (tr) { return cell(tr, "Rule"); });
  choose($("#rule"), "");
  click($(".chart .bar[data-rule=duplicate]"));
  out.byBar = { select: $("#rule").value, rules: rows().map(function (tr) { return cell(tr, "Rule"); }) };
  choose($("#rule"), "");
  var first = $("#t th");
  click(first);
  out.firstDesc = rows().map(function (tr) { return text(tr.cells[0]); });
  var valueHead = $$("#t th").find(function (th) { return th.textContent === "Value"; });
  click(valueHead);
  var values = rows().map(function (tr) { return cell(tr, "Value"); });
  out.valueSorted = values.every(function (v, i) { return i === 0 || values[i - 1].localeCompare(v) <= 0; });
  out.valueHeadClass = valueHead.className;
  // Layout: no sideways scrolling; phone numbers and ids on one line each.
  out.width = win.innerWidth;
  out.scrollWidth = doc.documentElement.scrollWidth;
  out.unbroken = $$(".nb").filter(function (e) { return text(e) !== ""; }).map(function (e) {
    return { text: text(e), lines: lineBoxes(e) };
  });
  out.cardLayout = win.getComputedStyle(rows()[0].cells[0]).display === "block";
  return out;
"##;

fn check_unbroken(seen: &Value, what: &str) -> usize {
    let cells = seen["unbroken"].as_array().unwrap();
    for c in cells {
        assert_eq!(c["lines"], 1, "{what}: broken across lines: {c}");
    }
    cells.len()
}

fn check_layout(seen: &Value, width: u64, what: &str) {
    assert_eq!(seen["width"], width, "{what}: the frame is the viewport");
    assert!(
        seen["scrollWidth"].as_u64().unwrap() <= width,
        "{what}: the page scrolls sideways ({} px wide in {width})",
        seen["scrollWidth"]
    );
}

#[test]
fn a_list_report_filters_sorts_and_reads_well_wide_and_narrow() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("audit.html");
    let json = audit(&fixtures(), &["contacts.csv", "--json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let all = report["violations"].as_array().unwrap();
    let phone_format = report["summary"]["phone_format"].as_u64().unwrap() as usize;
    let with_852 = all
        .iter()
        .filter(|v| v.to_string().to_lowercase().contains("+852"))
        .count();
    audit(
        &fixtures(),
        &[
            "contacts.csv",
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ],
    );

    for width in [1280u64, 400] {
        let seen = browser.drive(&page, width as u32, 900, USE_THE_TABLE);
        let what = format!("list report at {width} px");
        let made = seen["made"].as_str().unwrap();
        let year = &made["Generated ".len().min(made.len())..];
        assert!(
            made.starts_with("Generated ") && year.chars().take(4).all(|c| c.is_ascii_digit()),
            "{what}: {made}"
        );
        assert!(
            made.ends_with(&format!("by cinnox-sync {}", env!("CARGO_PKG_VERSION"))),
            "{what}: {made}"
        );
        assert_eq!(
            seen["count"],
            format!("showing {n} of {n} matching ({n} in all)", n = all.len()),
            "{what}"
        );
        assert_eq!(seen["shown"], all.len());
        let filtered = seen["filtered"]["values"].as_array().unwrap();
        assert_eq!(filtered.len(), with_852, "{what}: {seen:#}");
        assert!(
            filtered
                .iter()
                .all(|r| r.as_str().unwrap().contains("+852"))
        );
        assert_eq!(
            seen["byRule"].as_array().unwrap().len(),
            phone_format,
            "{what}"
        );
        assert!(
            seen["byRule"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r == "phone_format")
        );
        assert_eq!(seen["byBar"]["select"], "duplicate");
        assert!(
            seen["byBar"]["rules"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r == "duplicate")
        );
        let lines: Vec<u64> = seen["firstDesc"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                l.as_str()
                    .unwrap()
                    .trim_start_matches("Line: ")
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(
            lines.windows(2).all(|w| w[0] >= w[1]),
            "{what}: not descending: {lines:?}"
        );
        assert_eq!(seen["valueSorted"], true, "{what}");
        assert_eq!(seen["valueHeadClass"], "asc");
        assert_eq!(seen["cardLayout"], width <= 900, "{what}");
        check_layout(&seen, width, &what);
        assert!(
            check_unbroken(&seen, &what) >= all.len(),
            "{what}: every line number"
        );
    }
    if let Some(dir) = std::env::var_os("CINNOX_SYNC_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        browser.screenshot(&page, 1280, 1000, &dir.join("audit-list-1280.png"));
        browser.screenshot(&page, 400, 1400, &dir.join("audit-list-400.png"));
    }
}

/// Reads the merge suggestions and finds a contact by its id.
const USE_THE_MERGES: &str = r##"
  var out = {};
  out.merges = $$("#merges tbody tr").map(function (tr) { return text(tr); });
  type($("#q"), "g2-c");
  await sleep(400);
  out.ids = $$("#t tbody tr").map(function (tr) {
    return text(Array.prototype.find.call(tr.cells, function (c) { return c.dataset.label === "CINNOX ID"; }));
  });
  type($("#q"), "");
  await sleep(400);
  out.width = win.innerWidth;
  out.scrollWidth = doc.documentElement.scrollWidth;
  out.unbroken = $$(".nb").filter(function (e) { return text(e) !== ""; }).map(function (e) {
    return { text: text(e), lines: lineBoxes(e) };
  });
  out.heads = $$("#t th").map(function (th) { return th.textContent; });
  return out;
"##;

#[test]
fn a_report_of_cinnox_reads_well_wide_and_narrow() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let env = Env::new(&planted::list_csv(), planted::all());
    let page = env.dir.path().join("cinnox.html");
    let out = env
        .cmd()
        .args(["audit", "--cinnox", "-c", env.job.to_str().unwrap()])
        .args(["--format", "html", "-o", page.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    for width in [1280u64, 960, 400] {
        let what = format!("CINNOX report at {width} px");
        let seen = browser.drive(&page, width as u32, 900, USE_THE_MERGES);
        let merges = seen["merges"].as_array().unwrap();
        assert_eq!(merges.len(), 4, "{what}: {seen:#}");
        assert!(
            merges[1].as_str().unwrap().contains("g2-b"),
            "{what}: {seen:#}"
        );
        let ids = seen["ids"].as_array().unwrap();
        assert!(!ids.is_empty());
        // g2-c's own rows, and the row of the contact its phone is shared with.
        assert!(
            ids.iter().any(|i| i.as_str().unwrap().ends_with("g2-c")),
            "{seen:#}"
        );
        assert_eq!(
            seen["heads"].as_array().unwrap()[..3],
            [
                Value::from("CINNOX ID"),
                Value::from("Name"),
                Value::from("Owner")
            ]
        );
        check_layout(&seen, width, &what);
        let n = check_unbroken(&seen, &what);
        assert!(
            n > 20,
            "{what}: ids and phones are marked unbreakable ({n})"
        );
        let texts: Vec<&str> = seen["unbroken"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap())
            .collect();
        assert!(
            texts.iter().any(|t| t.contains("+852 6123 4567")),
            "{texts:?}"
        );
    }
    if let Some(dir) = std::env::var_os("CINNOX_SYNC_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        browser.screenshot(&page, 1280, 1000, &dir.join("audit-cinnox-1280.png"));
        browser.screenshot(&page, 400, 1600, &dir.join("audit-cinnox-400.png"));
    }
}
