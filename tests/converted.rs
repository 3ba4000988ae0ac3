//! Reports as people hold them after a converter: the copies in `../shared/corpus/converted`
//! (pdftotext, markitdown, pandoc), and fresh copies made here at test time with the converters
//! of this machine from the corpus and from this repository's own fixtures.
//!
//! The sources have no error-level finding, so every error-level finding on a copy is false: at
//! most a copy is damaged, which is a reading problem. On every copy: no error, no
//! `table-missing` (the tables are on the page), the year, era and kind of the source. Copies
//! whose tables are intact `<table>` blocks (pandoc from a page) must read completely, every
//! identity assessed. How much of 表三 each copy lets us read is printed (`--nocapture`).
//!
//! The corpus copies are checked when `../shared/corpus/converted` exists (with `CI` set, its
//! absence fails). Fresh copies need `pandoc`, `pdftotext` and `markitdown` on the PATH; `.ci/run`
//! installs them, and with `CI` set a missing converter fails the test.
#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test code: a failed unwrap is a failed test; the cell counts are printed"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{concise, human, root};
use xxgk_lint::diagnostic::Severity;
use xxgk_lint::lint::FileResult;
use xxgk_lint::model::{Era, Report, ReportKind, RowCells, TableId};
use xxgk_lint::source::{self, CellContent};

/// What a copy must read as, from its source.
struct Expected {
    year: i32,
    era: Era,
    /// The copy's tables are intact: every row of 表三 and 表四 read, every identity assessed.
    complete: bool,
}

fn era(name: &str) -> Era {
    Era::parse(name).unwrap_or_else(|| panic!("unknown era {name}"))
}

/// 表三's cells read as numbers, and how many its layout has.
fn table_three_cells(path: &Path) -> (usize, usize) {
    let doc = source::read_file(path).unwrap();
    let report = Report::build(&doc, common::registry().model());
    let Some(table) = report.table(TableId::T3) else {
        return (0, 0);
    };
    let expected = table.rows.iter().map(|row| row.columns.len()).sum();
    let read = table
        .rows
        .iter()
        .map(|row| match &row.cells {
            RowCells::Aligned(cells) => cells
                .iter()
                .filter(|cell| matches!(cell.content, CellContent::Number(_)))
                .count(),
            _ => 0,
        })
        .sum();
    (read, expected)
}

/// Everything a copy must satisfy; the problems found.
fn problems(path: &Path, result: &FileResult, expected: &Expected) -> Vec<String> {
    let mut wrong = Vec::new();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    for d in &result.diagnostics {
        if d.severity == Severity::Error {
            wrong.push(format!("{name}: error {} {}", d.code, d.message));
        }
        if d.name == "table-missing" {
            wrong.push(format!("{name}: table-missing {}", d.message));
        }
    }
    match &result.report {
        None => wrong.push(format!("{name}: not read")),
        Some(report) => {
            if report.year != Some(expected.year) {
                wrong.push(format!("{name}: year {:?}", report.year));
            }
            if report.era != expected.era {
                wrong.push(format!("{name}: era {:?}", report.era));
            }
            if report.kind != ReportKind::AnnualReport {
                wrong.push(format!("{name}: kind {:?}", report.kind));
            }
        }
    }
    if expected.complete {
        let (read, cells) = table_three_cells(path);
        if read != cells || cells == 0 {
            wrong.push(format!("{name}: 表三 {read} of {cells} cells read"));
        }
        for item in &result.not_assessable {
            wrong.push(format!(
                "{name}: not assessable {} {}",
                item.check, item.reason
            ));
        }
    }
    wrong
}

fn check(path: &Path) -> FileResult {
    xxgk_lint::lint::check_file(path, &path.display().to_string(), &common::registry())
}

/// The rows of a tab-separated index, by column name.
fn index(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(str::to_owned)
        .collect();
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            header
                .iter()
                .cloned()
                .zip(line.split('\t').map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn converted_copies_in_the_corpus_have_no_false_error() {
    let Some(dir) = common::shared_or_skip("corpus/converted") else {
        return;
    };
    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in index(&dir.join("INDEX.tsv")) {
        let path = dir.join(&row["file"]);
        let expected = Expected {
            year: row["year"].parse().unwrap(),
            era: era(&row["era"]),
            complete: row["converter"].starts_with("pandoc"),
        };
        let result = check(&path);
        wrong.extend(problems(&path, &result, &expected));
        let (read, cells) = table_three_cells(&path);
        println!("{}: 表三 {read}/{cells} cells read", row["file"]);
        checked += 1;
        let name = row["file"].replace('/', "__");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("converted", concise(&result));
        });
    }
    assert!(checked >= 8, "only {checked} copies listed");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Whether a converter can be run; with `CI` set it must be.
fn converter(program: &str) -> bool {
    // pdftotext answers `-v`, the others `--version`.
    let flag = if program == "pdftotext" {
        "-v"
    } else {
        "--version"
    };
    let found = Command::new(program)
        .arg(flag)
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none_or(|value| value.is_empty()),
            "{program} is not installed and CI is set (.ci/run installs it)"
        );
        eprintln!("skipped copies made with {program}: not installed");
    }
    found
}

fn run(command: &mut Command) -> bool {
    command.output().is_ok_and(|output| output.status.success())
}

/// Makes copies of `source` with every converter available; returns their paths.
fn copies(source: &Path, out: &Path) -> Vec<PathBuf> {
    let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
    let extension = source.extension().unwrap().to_string_lossy().into_owned();
    let mut made = Vec::new();
    let mut make = |suffix: &str, command: &mut Command, target: &Path| {
        if run(command) && target.exists() {
            made.push(target.to_path_buf());
        } else {
            panic!("converting {} to {suffix} failed", source.display());
        }
    };
    let target = |suffix: &str| out.join(format!("{stem}.{extension}.{suffix}"));
    if extension == "html" && converter("pandoc") {
        for (suffix, to) in [
            ("pandoc.md", "gfm"),
            ("pandoc.docx", "docx"),
            ("pandoc.txt", "plain"),
        ] {
            let path = target(suffix);
            make(
                suffix,
                Command::new("pandoc")
                    .args(["-f", "html", "-t", to, "-o"])
                    .arg(&path)
                    .arg(source),
                &path,
            );
        }
    }
    if extension == "docx" && converter("pandoc") {
        let path = target("pandoc.md");
        make(
            "pandoc.md",
            Command::new("pandoc")
                .args(["-f", "docx", "-t", "gfm", "-o"])
                .arg(&path)
                .arg(source),
            &path,
        );
    }
    if extension == "pdf" && converter("pdftotext") {
        for (suffix, layout) in [("pdftotext.txt", false), ("pdftotext-layout.txt", true)] {
            let path = target(suffix);
            let mut command = Command::new("pdftotext");
            if layout {
                command.arg("-layout");
            }
            make(suffix, command.arg(source).arg(&path), &path);
        }
    }
    if converter("markitdown") {
        let path = target("markitdown.md");
        let output = Command::new("markitdown").arg(source).output();
        match output {
            Ok(output) if output.status.success() => {
                std::fs::write(&path, output.stdout).unwrap();
                made.push(path);
            }
            _ => panic!("markitdown failed on {}", source.display()),
        }
    }
    made
}

#[test]
fn fresh_copies_made_by_converters_have_no_false_error() {
    let out = tempfile::tempdir().unwrap();
    // This repository's own good reports, in each form a converter takes.
    let mut sources: Vec<(PathBuf, Expected)> = Vec::new();
    for (name, year, era_name) in [
        ("2021-good.html", 2021, "format-2021"),
        ("2020-good.html", 2020, "format-2019"),
        ("2021-good.docx", 2021, "format-2021"),
        ("2021-good.pdf", 2021, "format-2021"),
        ("2021-good-narrow-columns.pdf", 2021, "format-2021"),
    ] {
        sources.push((
            root().join("fixtures/reports").join(name),
            Expected {
                year,
                era: era(era_name),
                complete: false,
            },
        ));
    }
    // The corpus's published pages and PDF, when the corpus is here.
    if let Some(dir) = common::shared_or_skip("corpus") {
        for row in index(&dir.join("INDEX.tsv")) {
            let file = &row["file"];
            if file.starts_with("html/") || file.starts_with("pdf/") {
                sources.push((
                    dir.join(file),
                    Expected {
                        year: row["year"].parse().unwrap(),
                        era: era(&row["era"]),
                        complete: false,
                    },
                ));
            }
        }
    }
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (source, expected) in &sources {
        for copy in copies(source, out.path()) {
            let result = check(&copy);
            let found = problems(&copy, &result, expected);
            if !found.is_empty() {
                eprintln!("{}", human(&result));
            }
            wrong.extend(found);
            let (read, cells) = table_three_cells(&copy);
            println!(
                "{}: 表三 {read}/{cells} cells read",
                copy.file_name().unwrap().to_string_lossy()
            );
            checked += 1;
        }
    }
    println!("{checked} fresh copies checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
