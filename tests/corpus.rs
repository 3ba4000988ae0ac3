//! The published corpus (`../shared/corpus`) reads as its `INDEX.tsv` says, established by hand:
//! year, era and kind; the state of 表三; the period statement; no `identity-mismatch` except on
//! the reports known to be inconsistent. Every report's findings are snapshotted (codes, positions
//! and messages only: corpus text must not be copied into the repository).
//!
//! Skips when `../shared/corpus` is absent; fails then when `CI` is set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{concise, human, shared};
use xxgk_lint::diagnostic::{Origin, Severity};
use xxgk_lint::lint::FileResult;
use xxgk_lint::model::{Era, Report, ReportKind, RowCells, TableId};
use xxgk_lint::source::{self, CellContent};

/// Reports whose published figures really are inconsistent, with the identity that fails and why
/// the finding is true. `identity-mismatch` anywhere else is a false finding.
const KNOWN_INCONSISTENT: &[(&str, &str, &str)] = &[(
    "text/pingtan-zone-2020.txt",
    "（七）",
    // Every row of 表三 splits one way only (each row's 总计 fixes it); the result rows sum to 26
    // (自然人) and 27 (总计) while the report's （七）总计 says 20 and 21 — the total was copied
    // from the 本年新收 row instead of adding up the results.
    "results sum to more than the stated total",
)];

/// The state of 表三 as the index records it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Table3 {
    Readable,
    Squashed,
    None,
}

/// One row of `INDEX.tsv`.
#[derive(Debug)]
struct Entry {
    file: String,
    year: i32,
    issuer: String,
    era: Era,
    kind: ReportKind,
    table3: Table3,
    period: String,
}

fn parse_index(path: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(path).expect("INDEX.tsv is readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("INDEX.tsv has no column {name}"))
    };
    let (file, year, issuer, era, kind, table3, period) = (
        column("file"),
        column("year"),
        column("issuer"),
        column("era"),
        column("kind"),
        column("table3"),
        column("period"),
    );
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Entry {
                file: fields[file].to_owned(),
                year: fields[year].parse().expect("year is a number"),
                issuer: fields[issuer].to_owned(),
                era: match fields[era] {
                    "pre-2019" => Era::Pre2019,
                    "format-2019" => Era::Format2019,
                    "format-2021" => Era::Format2021,
                    other => panic!("unknown era {other}"),
                },
                kind: match fields[kind] {
                    "annual-report" => ReportKind::AnnualReport,
                    _ => ReportKind::Other,
                },
                table3: match fields[table3] {
                    "readable" => Table3::Readable,
                    "squashed" => Table3::Squashed,
                    "none" => Table3::None,
                    other => panic!("unknown table3 state {other}"),
                },
                period: fields[period].to_owned(),
            }
        })
        .collect()
}

/// The corpus: its folder, its index, and every listed file checked once (shared by the tests).
struct Corpus {
    dir: PathBuf,
    entries: Vec<Entry>,
    results: Vec<FileResult>,
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let dir = shared("corpus")?;
            let entries = parse_index(&dir.join("INDEX.tsv"));
            let results = entries
                .iter()
                .map(|entry| common::check(&dir.join(&entry.file)))
                .collect();
            Some(Corpus {
                dir,
                entries,
                results,
            })
        })
        .as_ref()
}

macro_rules! corpus_or_skip {
    () => {
        match common::shared_or_skip("corpus").and_then(|_| corpus()) {
            Some(corpus) => corpus,
            None => return,
        }
    };
}

fn model(path: &Path) -> Report {
    let doc = source::read_file(path).expect("corpus file reads");
    Report::build(&doc, common::registry().model())
}

/// Everything the index establishes, checked on every file; all disagreements listed at once.
#[test]
fn every_corpus_report_reads_as_indexed() {
    let corpus = corpus_or_skip!();
    assert!(!corpus.entries.is_empty(), "INDEX.tsv lists no files");
    let mut problems = Vec::new();
    for (entry, result) in corpus.entries.iter().zip(&corpus.results) {
        let mut wrong = |what: String| problems.push(format!("{}: {what}", entry.file));
        if let Some(engine) = result.diagnostics.iter().find(|d| d.code.starts_with('E')) {
            wrong(format!("engine error {} {}", engine.code, engine.message));
            continue;
        }
        let Some(report) = &result.report else {
            wrong("no report".into());
            continue;
        };
        if report.year != Some(entry.year) {
            wrong(format!("year {:?}, index says {}", report.year, entry.year));
        }
        if report.era != entry.era {
            wrong(format!("era {:?}, index says {:?}", report.era, entry.era));
        }
        if report.kind != entry.kind {
            wrong(format!(
                "kind {:?}, index says {:?}",
                report.kind, entry.kind
            ));
        }
        if let Some(issuer) = &report.issuer
            && !entry.issuer.contains(issuer.as_str())
            && !issuer.contains(entry.issuer.as_str())
        {
            wrong(format!("issuer {issuer}, index says {}", entry.issuer));
        }

        let fired = |name: &'static str| result.diagnostics.iter().filter(move |d| d.name == name);
        let on_table_three = |name: &'static str| {
            fired(name)
                .filter(|d| d.cell.as_ref().is_some_and(|c| c.table == TableId::T3))
                .count()
        };
        let doc_model = model(&corpus.dir.join(&entry.file));
        let table3 = doc_model.table(TableId::T3);
        match entry.table3 {
            Table3::Readable => match table3 {
                None => wrong("表三 not found".into()),
                Some(table) => {
                    for row in &table.rows {
                        if !matches!(&row.cells, RowCells::Aligned(cells)
                            if cells.iter().all(|c| matches!(c.content, CellContent::Number(_))))
                        {
                            wrong(format!("表三 row {} not read completely", row.key));
                        }
                    }
                    for name in ["table-incomplete", "table-unreadable", "table-missing"] {
                        if on_table_three(name) > 0 {
                            wrong(format!("{name} on a readable 表三"));
                        }
                    }
                    if let Some(item) = result
                        .not_assessable
                        .iter()
                        .find(|item| item.check.contains("表三") || item.check.starts_with('H'))
                    {
                        wrong(format!("not assessable: {} {}", item.check, item.reason));
                    }
                }
            },
            Table3::Squashed => match table3 {
                None => wrong("squashed 表三 not found at all".into()),
                Some(table) => {
                    let ran_together = table.rows.iter().any(|row| {
                        row.recovered_from.is_some() || matches!(row.cells, RowCells::Unreadable(_))
                    });
                    if !ran_together {
                        wrong("squashed 表三 not read as figures that ran together".into());
                    }
                    // Every row is either reported unreadable or recovered at info level.
                    let unreadable = table
                        .rows
                        .iter()
                        .filter(|row| !matches!(row.cells, RowCells::Aligned(_)))
                        .count();
                    let reported: Vec<_> = fired("table-unreadable")
                        .filter(|d| d.cell.as_ref().is_some_and(|c| c.table == TableId::T3))
                        .collect();
                    if reported.is_empty() {
                        wrong("squashed 表三 not reported as table-unreadable".into());
                    }
                    if unreadable == 0 && reported.iter().any(|d| d.severity != Severity::Info) {
                        wrong("fully recovered 表三 reported above info level".into());
                    }
                    if reported.iter().any(|d| d.origin != Origin::Extraction) {
                        wrong("table-unreadable not marked as a reading problem".into());
                    }
                }
            },
            Table3::None => {
                if table3.is_some() {
                    wrong("表三 found in a report without one".into());
                }
                if fired("table-missing").count() > 0 && entry.era == Era::Pre2019 {
                    wrong("table-missing on a pre-2019 report".into());
                }
            }
        }

        let period_findings: Vec<_> = fired("period-missing")
            .chain(fired("period-mismatch"))
            .collect();
        match entry.period.as_str() {
            "ok" => {
                for d in period_findings {
                    wrong(format!("{} on a correct period: {}", d.name, d.message));
                }
            }
            "dates-lost" => {
                let said = period_findings
                    .iter()
                    .any(|d| d.name == "period-mismatch" && d.origin == Origin::Extraction);
                if !said || period_findings.iter().any(|d| d.name == "period-missing") {
                    wrong("lost dates not reported as a reading problem of the period".into());
                }
            }
            other => wrong(format!("unknown period state {other}")),
        }

        for d in fired("identity-mismatch") {
            let row = d.cell.as_ref().and_then(|c| c.row.as_deref());
            let known = KNOWN_INCONSISTENT
                .iter()
                .any(|(file, key, _)| *file == entry.file && Some(*key) == row);
            if !known {
                wrong(format!("identity-mismatch: {}", d.message));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The known inconsistencies are still found (so the allowance above cannot hide a regression).
#[test]
fn known_inconsistent_reports_are_reported() {
    let corpus = corpus_or_skip!();
    for (file, key, why) in KNOWN_INCONSISTENT {
        let Some(index) = corpus.entries.iter().position(|e| e.file == *file) else {
            continue;
        };
        let result = &corpus.results[index];
        assert!(
            result
                .diagnostics
                .iter()
                .any(|d| d.name == "identity-mismatch"
                    && d.cell.as_ref().and_then(|c| c.row.as_deref()) == Some(*key)),
            "{file}: {why} — not reported:\n{}",
            human(result)
        );
    }
}

/// Where the corpus holds a crawler's text copy and the published page of the same report, every
/// figure recovered from the text equals the page's.
#[test]
fn recovered_figures_agree_with_the_published_pages() {
    let corpus = corpus_or_skip!();
    let mut compared = 0;
    let mut pairs = 0;
    let mut disagreements = Vec::new();
    for page in corpus
        .entries
        .iter()
        .filter(|e| e.file.starts_with("html/"))
    {
        let Some(copy) = corpus.entries.iter().find(|e| {
            e.file.starts_with("text/") && e.year == page.year && e.issuer == page.issuer
        }) else {
            continue;
        };
        pairs += 1;
        let page_model = model(&corpus.dir.join(&page.file));
        let copy_model = model(&corpus.dir.join(&copy.file));
        for id in [TableId::T2, TableId::T3, TableId::T4] {
            let (Some(truth), Some(copied)) = (page_model.table(id), copy_model.table(id)) else {
                continue;
            };
            let truth_rows: BTreeMap<_, _> = truth.rows.iter().map(|r| (r.key, r)).collect();
            for row in &copied.rows {
                let (RowCells::Aligned(cells), Some(true_row)) =
                    (&row.cells, truth_rows.get(row.key))
                else {
                    continue;
                };
                let RowCells::Aligned(true_cells) = &true_row.cells else {
                    continue;
                };
                let values = |cells: &[xxgk_lint::model::TypedCell]| -> Vec<Option<i64>> {
                    cells
                        .iter()
                        .map(|c| match &c.content {
                            CellContent::Number(n) => n.integer,
                            _ => None,
                        })
                        .collect()
                };
                compared += 1;
                if values(cells) != values(true_cells) {
                    disagreements.push(format!(
                        "{} {} {}: copy {:?}, page {:?}",
                        copy.file,
                        id.name(),
                        row.key,
                        values(cells),
                        values(true_cells)
                    ));
                }
            }
        }
    }
    assert!(pairs > 0, "no text/html pair in the corpus");
    assert!(compared > 0, "no row compared");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Each report's findings, one line each (code, position, message), read by hand.
#[test]
fn corpus_findings() {
    let corpus = corpus_or_skip!();
    for (entry, result) in corpus.entries.iter().zip(&corpus.results) {
        let mut shown = String::new();
        if let Some(report) = &result.report {
            let _ = writeln!(
                shown,
                "year {:?} era {:?} kind {:?}",
                report.year, report.era, report.kind
            );
        }
        shown.push_str(&concise(result));
        let name = entry.file.replace('/', "__");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("corpus", shown);
        });
    }
}
