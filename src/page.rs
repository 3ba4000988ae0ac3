//! What the web page (`web/`) shows for one report: the engine's result in the exact JSON of
//! `xxgk-lint check --format json`, plus what the page needs to draw the report beside it (the
//! canonical text, where each table cell is, the top-level sections). The page itself is a thin
//! shell: every judgement is made here or deeper in the library, none in JavaScript.
//!
//! The page passes a file's name and bytes (and optionally last year's report); this module
//! checks them as `xxgk-lint check --isolated FILE [--previous FILE]` would, with no
//! configuration file and no waivers (a browser has neither).

use std::path::Path;

use serde::Serialize;

use crate::config::{Overrides, Settings};
use crate::lint::{self, FileResult};
use crate::model::Report;
use crate::render::{self, Summary};
use crate::rules::Registry;
use crate::session;
use crate::source::{Document, MAX_FILE_BYTES, ReadError, SourceKind, TableKind};
use crate::text::{Locator, Span};
use crate::years::{GivenPrevious, given_previous};

/// The engine as the page uses it: the built-in rules with the default settings.
pub struct Page {
    settings: Settings,
}

/// A file the person chose: its name (no folder: a browser does not tell) and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct PageFile<'a> {
    /// The file's name, shown as its path.
    pub name: &'a str,
    /// Its contents.
    pub bytes: &'a [u8],
}

/// Everything the page shows for one report.
#[derive(Debug, Serialize)]
pub struct PageView {
    /// The output of `xxgk-lint check --format json` for the file, byte for byte: what the page
    /// saves, and what it reads the findings from.
    pub json: String,
    /// The line `--verbose` prints: year, era, kind, title, input form.
    pub describe: String,
    /// The closing line of the human output (`检查了 1 个文件：…`).
    pub summary: String,
    /// The canonical text the findings point into (absent when the file could not be read).
    pub text: Option<String>,
    /// The tables of the document, with the place of every cell.
    pub tables: Vec<TableView>,
    /// The top-level sections (`一、` headings), in order, for grouping the findings.
    pub sections: Vec<SectionView>,
    /// Last year's report, when one was given.
    pub previous: Option<PreviousView>,
}

/// A table of the document.
#[derive(Debug, Serialize)]
pub struct TableView {
    /// How its cells were found (markup, flattened text, PDF layout, run-together figures).
    pub kind: TableKind,
    /// Where the whole table is.
    pub span: Span,
    /// Its rows, top to bottom.
    pub rows: Vec<RowView>,
}

/// A table row.
#[derive(Debug, Serialize)]
pub struct RowView {
    /// Where the row is.
    pub span: Span,
    /// The cells starting in it, left to right.
    pub cells: Vec<CellView>,
}

/// A table cell.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// Where the cell is (a point for a blank cell).
    pub span: Span,
    /// Its text.
    pub text: String,
    /// First grid column (0-based).
    pub column: usize,
    /// Columns it spans.
    pub column_span: usize,
    /// Rows it spans.
    pub row_span: usize,
}

/// A top-level section heading.
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// Its line in the canonical text.
    pub line: usize,
    /// The heading as written.
    pub title: String,
}

/// What became of last year's report.
#[derive(Debug, Serialize)]
pub struct PreviousView {
    /// Its name.
    pub path: String,
    /// How it was read (as [`PageView::describe`]).
    pub describe: String,
    /// Whether the two years were compared.
    pub compared: bool,
    /// Why not, or what to bear in mind (the same words as the command line's warnings).
    pub notices: Vec<String>,
}

/// One rule or engine code, for the page's list of rules.
#[derive(Debug, Serialize)]
pub struct RuleEntry {
    /// `T001`.
    pub code: String,
    /// `identity-mismatch`.
    pub name: String,
    /// Its default severity.
    pub severity: &'static str,
    /// One line.
    pub summary: String,
}

impl Page {
    /// The engine with the built-in rules and no configuration file.
    pub fn new() -> Result<Self, String> {
        Settings::resolve(None, &Overrides::default(), Path::new("."))
            .map(|settings| Self { settings })
            .map_err(|error| error.to_string())
    }

    /// The rules in force.
    pub fn registry(&self) -> &Registry {
        &self.settings.registry
    }

    /// Every rule and engine code.
    pub fn rules(&self) -> Vec<RuleEntry> {
        let rules = self.registry().rules().iter().map(|rule| RuleEntry {
            code: rule.code.clone(),
            name: rule.name.clone(),
            severity: rule.severity.name(),
            summary: rule.summary.clone(),
        });
        let engine = lint::ENGINE_CODES.iter().map(|engine| RuleEntry {
            code: engine.code.to_owned(),
            name: engine.name.to_owned(),
            severity: engine.severity.name(),
            summary: engine.summary.to_owned(),
        });
        rules.chain(engine).collect()
    }

    /// The documentation `xxgk-lint explain` prints for a code or name.
    pub fn explain(&self, wanted: &str) -> Option<String> {
        crate::explain::explain(self.registry(), wanted)
    }

    /// Checks a report, and compares it with last year's when one is given, as
    /// `xxgk-lint check --isolated FILE [--previous FILE]` does.
    pub fn check(&self, file: PageFile<'_>, previous: Option<PageFile<'_>>) -> PageView {
        let (mut result, doc) = self.check_one(file);
        let previous = previous.map(|previous| self.compare(&mut result, previous));
        let sections = doc
            .as_ref()
            .map(|doc| sections(doc, self.registry()))
            .unwrap_or_default();
        let tables = doc.as_ref().map(tables).unwrap_or_default();
        let results = std::slice::from_ref(&result);
        let mut json = render::json::render(results);
        // As `check --format json` writes it: one JSON document and a newline.
        json.push('\n');
        PageView {
            json,
            describe: render::human::describe(&result),
            summary: render::human::summary_line(&Summary::of(results)),
            text: result.source.clone(),
            tables,
            sections,
            previous,
        }
    }

    /// Checks one file with the page's settings, keeping the document read.
    fn check_one(&self, file: PageFile<'_>) -> (FileResult, Option<Document>) {
        let size = u64::try_from(file.bytes.len()).unwrap_or(u64::MAX);
        if size > MAX_FILE_BYTES {
            // The command line refuses such a file before reading it; so does the page.
            let error = ReadError::TooLarge {
                limit: MAX_FILE_BYTES,
            };
            let mut result = FileResult::empty(file.name);
            result.diagnostics.push(lint::engine_diagnostic(
                "E006",
                format!("{}：{error}", file.name),
            ));
            return (result, None);
        }
        let kind = Path::new(file.name)
            .extension()
            .and_then(|ext| SourceKind::from_extension(&ext.to_string_lossy()));
        let (result, doc) = lint::check_bytes_keeping(file.bytes, kind, file.name, self.registry());
        (self.settings.apply(result, Path::new(file.name)), doc)
    }

    /// Compares a checked report with last year's, as `check --previous` does: only when the
    /// years are consecutive (or unknown); a different issuer is said, and compared all the same.
    fn compare(&self, result: &mut FileResult, file: PageFile<'_>) -> PreviousView {
        let (previous, _) = self.check_one(file);
        let mut view = PreviousView {
            path: file.name.to_owned(),
            describe: render::human::describe(&previous),
            compared: false,
            notices: Vec::new(),
        };
        let Some(facts) = &previous.facts else {
            let reason = previous
                .diagnostics
                .first()
                .map_or_else(String::new, |d| format!("：{}", d.message));
            view.notices
                .push(format!("无法读取上一年度报告「{}」{reason}", file.name));
            return view;
        };
        let Some(current) = &result.facts else {
            view.notices
                .push("本报告没有可读的统计表数字，未做跨年度核对".to_owned());
            return view;
        };
        match given_previous(current, &result.path, facts, file.name, "上一年度报告") {
            GivenPrevious::Refused(why) => {
                view.notices.push(why);
                return view;
            }
            GivenPrevious::Compared(notice) => view.notices.extend(notice),
        }
        let path = result.path.clone();
        if let Some(findings) =
            session::cross_year_findings(&self.settings, result, facts, Path::new(&path))
        {
            session::add_findings(result, findings);
            view.compared = true;
        }
        view
    }
}

/// The top-level headings of a document, with their lines.
fn sections(doc: &Document, registry: &Registry) -> Vec<SectionView> {
    let report = Report::build(doc, registry.model());
    let locator = Locator::new(&doc.text);
    report
        .headings
        .iter()
        .filter(|heading| heading.level == 1)
        .map(|heading| SectionView {
            line: locator.span(heading.range).line,
            title: heading.range.slice(&doc.text).trim().to_owned(),
        })
        .collect()
}

/// Every table of a document, with the place of each cell.
fn tables(doc: &Document) -> Vec<TableView> {
    let locator = Locator::new(&doc.text);
    doc.tables()
        .map(|table| TableView {
            kind: table.kind,
            span: locator.span(table.range),
            rows: table
                .rows
                .iter()
                .map(|row| RowView {
                    span: locator.span(row.range),
                    cells: row
                        .cells
                        .iter()
                        .map(|cell| CellView {
                            span: locator.span(cell.range),
                            text: cell.text.clone(),
                            column: cell.column,
                            column_span: cell.column_span,
                            row_span: cell.row_span,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
