//! `cinnox-sync init LIST`: writes a commented mapping guessed from the list's
//! header row (English and Chinese names alike, `mapping::guess`), prints what it
//! matched and what it left out, and checks that the file it wrote loads and fits
//! the list, so `audit LIST -m FILE` works straight away.

use super::source::SheetArgs;
use crate::job::{ListChoice, list};
use crate::mapping::Mapping;
use crate::mapping::guess::{self, Guess, Holds};
use crate::sources::csv::{Record, RecordReader, decode_record};
use crate::sources::sheets::SheetsConfig;
use crate::sources::xlsx::XlsxSource;
use crate::sources::{CsvSource, ListSource, Store, TextEncoding};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Examples:
  cinnox-sync init leads.csv                  # writes leads.mapping.toml
  cinnox-sync init contacts.xlsx --tab Customers -o customers.toml
  cinnox-sync init export.csv --encoding big5 -o - | less

  # then check the list with it (and edit the guesses where they are wrong):
  cinnox-sync audit leads.csv -m leads.mapping.toml

Headers are matched by name, ignoring case, spaces and punctuation, in English
and Chinese: Mobile, 手機 and Tel go to mobilePhone; Email, 電郵 to email; Company,
公司 to companyName; Job Title, 職位 to jobTitle; Name, 姓名 (a whole name) to
firstName when no column holds a first name. CINNOX's template columns (Phone Type
and Phone Number...) are kept as typed pairs. Field ids: firstName, lastName,
mobilePhone, workPhone, homePhone, otherPhone, email, personalEmail, otherEmail,
companyName, department, jobTitle, group, birthday, language, customerType, level,
address.street, address.city, address.state, address.zipcode, address.country,
whatsApp, weChat, line, facebook, twitter, linkedin, ownerName.";

/// Write a mapping that fits a list, guessed from its header row.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct InitArgs {
    /// The list: a CSV file or an Excel workbook (.xlsx); or --sheet.
    #[arg(value_name = "LIST")]
    pub file: Option<PathBuf>,
    /// The sheet of the Excel workbook [default: the first].
    #[arg(long, value_name = "NAME")]
    pub tab: Option<String>,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// Where to write the mapping; - for standard output [default: beside the
    /// list, LIST's name with .mapping.toml].
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// The CSV file's text encoding (utf-8, or big5 for Excel in Hong Kong).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<TextEncoding>,
}

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let choice = ListChoice {
        tab: args.tab.clone(),
        ..args.sheet.choice(args.file.as_deref())
    };
    let source = list::resolve(&choice, None)?;
    let header = read_header(&source, args.encoding)?;
    let list = list_name(&source, &args);
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| source.companion(Path::new(""), "mapping.toml"));
    let to_stdout = out == Path::new("-");
    let shown = out.display().to_string();
    let hint = if to_stdout {
        "MAPPING.toml".to_string()
    } else {
        crate::validate::report::shell_word(&shown)
    };
    let g = guess::guess(&header);
    let text = guess::render(&g, &list, &hint);
    // The file must load and fit the list it was written for: a bug here would
    // otherwise surface as a puzzling error in the next command.
    let mapping = Mapping::parse(&text, &shown)
        .with_context(|| "the mapping written from the header does not load (a bug)")?;
    mapping
        .resolve_present(&header, &list)
        .with_context(|| "the mapping written from the header does not fit it (a bug)")?;
    if to_stdout {
        super::print_stdout(text.as_bytes())?;
    } else {
        if out.exists() && !args.force {
            bail!("{shown} exists already; give another --output, or --force to replace it");
        }
        std::fs::write(&out, &text).with_context(|| format!("cannot write {shown}"))?;
    }
    summary(&g, &list, &shown, &hint, to_stdout)?;
    Ok(ExitCode::SUCCESS)
}

/// The list as the user names it to other commands.
fn list_name(source: &ListSource, args: &InitArgs) -> String {
    let word = |s: &str| crate::validate::report::shell_word(s);
    if let Some(x) = source.get::<XlsxSource>() {
        let file = word(&x.path.display().to_string());
        return match &x.tab {
            Some(t) => format!("{file} --tab {}", word(t)),
            None => file,
        };
    }
    if source.get::<SheetsConfig>().is_some() {
        return format!(
            "--sheet {}",
            word(args.sheet.sheet.as_deref().unwrap_or_default())
        );
    }
    word(&source.describe())
}

/// The header row: the first record of a CSV file (nothing else is read, so a
/// ragged row further down does not stop it), or the header of a spreadsheet.
fn read_header(source: &ListSource, encoding: Option<TextEncoding>) -> anyhow::Result<Vec<String>> {
    match source.get::<CsvSource>() {
        Some(CsvSource { path, .. }) => {
            let what = path.display().to_string();
            let file = std::fs::File::open(path).with_context(|| format!("cannot read {what}"))?;
            let enc = encoding.unwrap_or_default();
            let mut reader = RecordReader::new(file);
            let mut rec = Record::default();
            if !reader
                .read(&mut rec)
                .with_context(|| format!("cannot read {what}"))?
            {
                bail!("{what} is empty: init needs a header row naming the columns");
            }
            let mut cells = Vec::new();
            decode_record(rec.view(), enc, &mut cells).map_err(|u| {
                anyhow::anyhow!("the header row of {what} {}", u.explain(enc, None))
            })?;
            Ok(cells.into_iter().map(|c| c.into_owned()).collect())
        }
        None => {
            if encoding.is_some() {
                bail!("--encoding is for a CSV file, not a spreadsheet");
            }
            super::in_context(false, async |ctx| {
                let mut store = list::open(source, None, ctx).await?;
                anyhow::Ok(store.read().await?.header)
            })
        }
    }
}

/// What was matched and left out, and what to run next: on stdout, or on stderr
/// when stdout holds the mapping itself.
fn summary(g: &Guess, list: &str, out: &str, hint: &str, to_stdout: bool) -> anyhow::Result<()> {
    let mut text = String::new();
    let say = |text: &mut String, line: String| {
        text.push_str(&line);
        text.push('\n');
    };
    say(
        &mut text,
        format!(
            "{}: matched {} of {} columns{}",
            list,
            g.matched.len(),
            g.matched.len() + g.left_out.len(),
            if to_stdout {
                String::new()
            } else {
                format!("; mapping written to {out}")
            }
        ),
    );
    for m in &g.matched {
        let holds = match m.holds {
            Holds::Field(f) => f.key().to_string(),
            Holds::PairType(k) => format!("the type of the {} pair", k.name()),
            Holds::PairValue(k) => format!("the value of the {} pair", k.name()),
            Holds::Id => "the CINNOX ID (links rows to contacts)".into(),
            Holds::Status => "the sync status".into(),
        };
        let note = m
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        say(
            &mut text,
            format!("  {} -> {holds}{note}", padded(&m.header)),
        );
    }
    if !g.left_out.is_empty() {
        say(
            &mut text,
            "left out (kept in the list, not checked):".into(),
        );
        for l in &g.left_out {
            let name = if l.header.trim().is_empty() {
                format!("column {}", l.col + 1)
            } else {
                l.header.clone()
            };
            say(&mut text, format!("  {} {}", padded(&name), l.why));
        }
    }
    if !to_stdout {
        say(
            &mut text,
            format!("Check the guesses in {out}, then: cinnox-sync audit {list} -m {hint}"),
        );
    }
    if to_stdout {
        eprint!("{text}");
    } else {
        super::print_stdout(text.as_bytes())?;
    }
    Ok(())
}

/// `s` padded to 24 terminal columns: a CJK character takes two, so `{:<24}`
/// (which counts characters) would misalign Chinese headers.
fn padded(s: &str) -> String {
    let width = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(24usize.saturating_sub(width)))
}
