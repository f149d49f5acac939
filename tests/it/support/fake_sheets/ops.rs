//! The fake's spreadsheet operations on in-memory tabs, as Sheets behaves:
//! trailing blanks left out of reads, `RAW` versus `USER_ENTERED` input, grid
//! limits on writes, append below the table it finds, structure changes all or
//! nothing.

use super::ranges::{self, Range};
use super::{Cell, Tab};
use serde_json::{Value, json};
use std::collections::HashMap;

/// An error status and message.
pub(super) type Failed = (u16, String);

fn tab_of<'a>(book: &'a mut [Tab], r: &Range) -> Result<&'a mut Tab, Failed> {
    match &r.tab {
        None => book.first_mut().ok_or((400, "no tabs".into())),
        Some(t) => book
            .iter_mut()
            .find(|x| x.title == *t)
            .ok_or((400, format!("Unable to parse range: {t}"))),
    }
}

pub(super) fn read(
    book: &mut [Tab],
    r: &Range,
    q: &HashMap<String, String>,
) -> Result<Value, Failed> {
    let tab = tab_of(book, r)?;
    let unformatted = q.get("valueRenderOption").map(String::as_str) == Some("UNFORMATTED_VALUE");
    let dates_as_text =
        q.get("dateTimeRenderOption").map(String::as_str) == Some("FORMATTED_STRING");
    let (r0, c0) = (r.rect.first_row(), r.rect.first_col());
    let r1 = r.rect.row1.unwrap_or(tab.row_count.saturating_sub(1));
    let c1 = r.rect.col1.unwrap_or(tab.col_count.saturating_sub(1));
    let mut values: Vec<Value> = Vec::new();
    for row in r0..=r1.min(tab.rows.len().saturating_sub(1)) {
        let mut cells: Vec<Value> = (c0..=c1)
            .map(|c| match tab.get(row, c) {
                None => json!(""),
                Some(cell) if !unformatted => json!(cell.shown()),
                Some(Cell::Text(t)) => json!(t),
                Some(Cell::Bool(b)) => json!(b),
                Some(Cell::Number(n)) => number(*n),
                Some(Cell::Date { shown, .. }) if dates_as_text => json!(shown),
                Some(Cell::Date { serial, .. }) => number(*serial),
            })
            .collect();
        while cells.last().is_some_and(|v| v == "") {
            cells.pop();
        }
        values.push(Value::Array(cells));
    }
    while values
        .last()
        .is_some_and(|v| v.as_array().is_some_and(Vec::is_empty))
    {
        values.pop();
    }
    let mut out =
        json!({"range": ranges::a1(&tab.title, r0, c0, r1, c1), "majorDimension": "ROWS"});
    if !values.is_empty() {
        out["values"] = Value::Array(values);
    }
    Ok(out)
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// `valueInputOption`, required on every write as in Sheets.
pub(super) fn input<'a>(
    q: &'a HashMap<String, String>,
    body: &'a Value,
) -> Result<&'a str, Failed> {
    let v = q
        .get("valueInputOption")
        .map(String::as_str)
        .or_else(|| body.get("valueInputOption").and_then(Value::as_str));
    match v {
        Some(v @ ("RAW" | "USER_ENTERED")) => Ok(v),
        _ => Err((
            400,
            "'valueInputOption' is required and must be RAW or USER_ENTERED".into(),
        )),
    }
}

/// What a written JSON value becomes; `None` (null) leaves the cell alone.
fn to_cell(v: &Value, input: &str) -> Option<Cell> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(Cell::Bool(*b)),
        Value::Number(n) => Some(Cell::Number(n.as_f64().unwrap_or_default())),
        // USER_ENTERED parses as if typed: `+85291234567` becomes a number.
        Value::String(s) if input == "USER_ENTERED" => Some(match s.trim().parse::<f64>() {
            Ok(n) if !s.trim().is_empty() => Cell::Number(n),
            _ => match s.as_str() {
                "TRUE" => Cell::Bool(true),
                "FALSE" => Cell::Bool(false),
                _ => Cell::Text(s.clone()),
            },
        }),
        Value::String(s) => Some(Cell::Text(s.clone())),
        other => Some(Cell::Text(other.to_string())),
    }
}

fn rows_of(body: &Value) -> Vec<Vec<Value>> {
    body.get("values")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| r.as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

/// Checks that `values` written at the range's corner fit the range and the grid.
fn check_fit(tab: &Tab, r: &Range, values: &[Vec<Value>]) -> Result<(), Failed> {
    let (r0, c0) = (r.rect.first_row(), r.rect.first_col());
    let height = values.len();
    let width = values.iter().map(Vec::len).max().unwrap_or(0);
    if height == 0 {
        return Ok(());
    }
    let (last_r, last_c) = (r0 + height - 1, c0 + width.max(1) - 1);
    if r.rect.row1.is_some_and(|r1| last_r > r1) || r.rect.col1.is_some_and(|c1| last_c > c1) {
        return Err((
            400,
            "Requested writing within range, but tried writing outside it".into(),
        ));
    }
    if last_r >= tab.row_count || last_c >= tab.col_count {
        return Err((
            400,
            format!(
                "Range ({}) exceeds grid limits. Max rows: {}, max columns: {}",
                ranges::a1(&tab.title, r0, c0, last_r, last_c),
                tab.row_count,
                tab.col_count
            ),
        ));
    }
    Ok(())
}

fn put(tab: &mut Tab, r0: usize, c0: usize, values: &[Vec<Value>], input: &str) -> usize {
    let mut n = 0;
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if let Some(cell) = to_cell(v, input) {
                tab.set(r0 + i, c0 + j, cell);
                n += 1;
            }
        }
    }
    n
}

pub(super) fn update(
    book: &mut [Tab],
    r: &Range,
    input: &str,
    body: &Value,
) -> Result<Value, Failed> {
    let tab = tab_of(book, r)?;
    let values = rows_of(body);
    check_fit(tab, r, &values)?;
    let n = put(tab, r.rect.first_row(), r.rect.first_col(), &values, input);
    Ok(json!({"updatedCells": n}))
}

pub(super) fn batch_update(book: &mut [Tab], input: &str, body: &Value) -> Result<Value, Failed> {
    let data = body
        .get("data")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut parsed = Vec::new();
    for d in &data {
        let text = d.get("range").and_then(Value::as_str).unwrap_or_default();
        let r = ranges::parse(text).ok_or((400, format!("Unable to parse range: {text}")))?;
        let values = rows_of(d);
        check_fit(tab_of(book, &r)?, &r, &values)?;
        parsed.push((r, values));
    }
    let mut total = 0;
    for (r, values) in &parsed {
        let tab = tab_of(book, r)?;
        total += put(tab, r.rect.first_row(), r.rect.first_col(), values, input);
    }
    Ok(json!({"totalUpdatedCells": total, "responses": []}))
}

pub(super) fn append(
    book: &mut [Tab],
    r: &Range,
    input: &str,
    q: &HashMap<String, String>,
    body: &Value,
) -> Result<Value, Failed> {
    let tab = tab_of(book, r)?;
    let values = rows_of(body);
    let (r0, c0) = (r.rect.first_row(), r.rect.first_col());
    let c1 = r.rect.col1.unwrap_or(usize::MAX);
    // The table: from the range's first row down to the last row with a value in
    // the range's columns; new rows go right below it.
    let last = (r0..tab.rows.len())
        .rev()
        .find(|&row| tab.row_filled(row, (c0, c1)));
    let at = last.map_or(r0, |l| l + 1);
    let n = values.len();
    let width = values.iter().map(Vec::len).max().unwrap_or(0);
    if q.get("insertDataOption").map(String::as_str) == Some("INSERT_ROWS") {
        if at < tab.rows.len() {
            for _ in 0..n {
                tab.rows.insert(at, Vec::new());
            }
        }
        tab.row_count += n;
    }
    tab.row_count = tab.row_count.max(at + n);
    tab.col_count = tab.col_count.max(c0 + width);
    let cells = put(tab, at, c0, &values, input);
    let updated = ranges::a1(&tab.title, at, c0, at + n.max(1) - 1, c0 + width.max(1) - 1);
    Ok(json!({"updates": {"updatedRange": updated, "updatedRows": n, "updatedCells": cells}}))
}

/// `spreadsheets.get`: every tab's properties or, given `ranges`, the tabs they
/// touch, with their shown cells when `grid` is asked for.
pub(super) fn meta(book: &[Tab], id: &str, asked: &[String], grid: bool) -> Result<Value, Failed> {
    let mut wanted: Vec<(usize, Option<Range>)> = Vec::new();
    for text in asked {
        let r = ranges::parse(text).ok_or((400, format!("Unable to parse range: {text}")))?;
        let i = match &r.tab {
            None => 0,
            Some(t) => book
                .iter()
                .position(|x| x.title == *t)
                .ok_or((400, format!("Unable to parse range: {text}")))?,
        };
        wanted.push((i, Some(r)));
    }
    if asked.is_empty() {
        wanted = (0..book.len()).map(|i| (i, None)).collect();
    }
    let mut sheets: Vec<Value> = Vec::new();
    for (i, t) in book.iter().enumerate() {
        let mine: Vec<&Option<Range>> = wanted
            .iter()
            .filter(|(w, _)| *w == i)
            .map(|(_, r)| r)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut sheet = json!({"properties": {"sheetId": t.sheet_id, "title": t.title, "index": i,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": t.row_count, "columnCount": t.col_count}}});
        if grid {
            let data: Vec<Value> = mine
                .iter()
                .filter_map(|r| r.as_ref())
                .map(|r| grid_data(t, r))
                .collect();
            sheet["data"] = Value::Array(data);
        }
        sheets.push(sheet);
    }
    Ok(json!({"spreadsheetId": id, "properties": {"title": "Fake"}, "sheets": sheets}))
}

/// Grid data of one range: each cell's `formattedValue`, empty cells as `{}`.
fn grid_data(t: &Tab, r: &Range) -> Value {
    let (r0, c0) = (r.rect.first_row(), r.rect.first_col());
    let r1 = r.rect.row1.unwrap_or(t.row_count.saturating_sub(1));
    let c1 = r.rect.col1.unwrap_or(t.col_count.saturating_sub(1));
    let rows: Vec<Value> = (r0..=r1.min(t.rows.len().saturating_sub(1)))
        .map(|row| {
            let cells: Vec<Value> = (c0..=c1.min(t.col_count.saturating_sub(1)))
                .map(|c| match t.get(row, c) {
                    Some(cell) => json!({"formattedValue": cell.shown()}),
                    None => json!({}),
                })
                .collect();
            json!({"values": cells})
        })
        .collect();
    json!({"startRow": r0, "startColumn": c0, "rowData": rows})
}

/// `spreadsheets:batchUpdate`, all or nothing.
pub(super) fn structural(book: &mut Vec<Tab>, body: &Value) -> Result<Value, Failed> {
    let mut work = book.clone();
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, req) in requests.iter().enumerate() {
        let bad = |m: &str| (400, format!("Invalid requests[{i}]: {m}"));
        let (op, spec) = req
            .as_object()
            .and_then(|o| o.iter().next())
            .ok_or_else(|| bad("empty request"))?;
        let range = if op == "appendDimension" {
            spec
        } else {
            spec.get("range").unwrap_or(&Value::Null)
        };
        let sheet_id = range
            .get("sheetId")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("no sheetId"))?;
        let tab = work
            .iter_mut()
            .find(|t| i64::from(t.sheet_id) == sheet_id)
            .ok_or_else(|| bad("no grid with that id"))?;
        let rows = match range.get("dimension").and_then(Value::as_str) {
            Some("ROWS") => true,
            Some("COLUMNS") => false,
            _ => return Err(bad("dimension must be ROWS or COLUMNS")),
        };
        let index = |k: &str| range.get(k).and_then(Value::as_u64).map(|v| v as usize);
        match op.as_str() {
            "appendDimension" => {
                let n = spec
                    .get("length")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| bad("no length"))? as usize;
                if rows {
                    tab.row_count += n
                } else {
                    tab.col_count += n
                }
            }
            "deleteDimension" | "insertDimension" => {
                let (start, end) = (
                    index("startIndex").unwrap_or(0),
                    index("endIndex").ok_or_else(|| bad("no endIndex"))?,
                );
                let limit = if rows { tab.row_count } else { tab.col_count };
                if start >= end || (op == "deleteDimension" && end > limit) || start > limit {
                    return Err(bad("range outside the grid"));
                }
                edit_dimension(tab, rows, start, end, op == "insertDimension");
            }
            other => return Err(bad(&format!("the fake does not do {other}"))),
        }
    }
    *book = work;
    Ok(json!({"replies": requests.iter().map(|_| json!({})).collect::<Vec<_>>()}))
}

fn edit_dimension(tab: &mut Tab, rows: bool, start: usize, end: usize, insert: bool) {
    let n = end - start;
    if rows {
        if insert {
            let at = start.min(tab.rows.len());
            tab.rows.splice(at..at, std::iter::repeat_n(Vec::new(), n));
            tab.row_count += n;
        } else {
            let stop = end.min(tab.rows.len());
            if start < stop {
                tab.rows.drain(start..stop);
            }
            tab.row_count -= n;
        }
    } else {
        for row in &mut tab.rows {
            if insert {
                if row.len() > start {
                    row.splice(
                        start..start,
                        std::iter::repeat_n(Cell::Text(String::new()), n),
                    );
                }
            } else if row.len() > start {
                row.drain(start..end.min(row.len()));
            }
        }
        if insert {
            tab.col_count += n
        } else {
            tab.col_count -= n
        }
    }
}
