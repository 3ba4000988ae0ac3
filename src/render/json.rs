//! The JSON format (version 1). Lines and columns are 1-based, columns in characters, ends
//! exclusive, in the canonical text the human format shows.

use serde::Serialize;

use super::Summary;
use crate::diagnostic::{CellRef, Label, Origin, Severity};
use crate::lint::{FileResult, ReportSummary};
use crate::text::{LineIndex, TextRange};

/// The JSON schema version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    report: Option<&'a ReportSummary>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    not_assessable: Vec<JsonNotAssessable<'a>>,
}

#[derive(Serialize, Default)]
struct Span {
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    span: Span,
    primary: bool,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    origin: Origin,
    message: &'a str,
    #[serde(flatten)]
    span: Span,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    clause: Option<&'a str>,
    cell: Option<&'a CellRef>,
    expected: Option<i128>,
    found: Option<i128>,
}

#[derive(Serialize)]
struct JsonNotAssessable<'a> {
    code: &'a str,
    name: &'a str,
    check: &'a str,
    reason: &'a str,
    instances: &'a [String],
    #[serde(flatten)]
    span: Span,
}

struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
}

impl Locator<'_> {
    fn span(&self, range: TextRange) -> Span {
        let (line, column) = self.index.position(self.text, range.start);
        let (end_line, end_column) = self.index.position(self.text, range.end);
        Span {
            line: Some(line),
            column: Some(column),
            end_line: Some(end_line),
            end_column: Some(end_column),
        }
    }
}

fn file<'a>(result: &'a FileResult) -> JsonFile<'a> {
    let locator = result.source.as_deref().map(|text| Locator {
        text,
        index: LineIndex::new(text),
    });
    let span_of = |range: Option<TextRange>| match (&locator, range) {
        (Some(locator), Some(range)) => locator.span(range),
        _ => Span::default(),
    };
    let label = |label: &'a Label, primary: bool| JsonLabel {
        span: span_of(Some(label.range)),
        primary,
        message: &label.message,
    };
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic {
            code: &diagnostic.code,
            name: &diagnostic.name,
            severity: diagnostic.severity,
            origin: diagnostic.origin,
            message: &diagnostic.message,
            span: span_of(
                diagnostic
                    .primary
                    .first()
                    .or(diagnostic.secondary.first())
                    .map(|label| label.range),
            ),
            labels: diagnostic
                .primary
                .iter()
                .map(|l| label(l, true))
                .chain(diagnostic.secondary.iter().map(|l| label(l, false)))
                .collect(),
            notes: &diagnostic.notes,
            clause: diagnostic.clause.as_deref(),
            cell: diagnostic.cell.as_ref(),
            expected: diagnostic.expected,
            found: diagnostic.found,
        })
        .collect();
    let not_assessable = result
        .not_assessable
        .iter()
        .map(|item| JsonNotAssessable {
            code: &item.code,
            name: &item.name,
            check: &item.check,
            reason: &item.reason,
            instances: &item.instances,
            span: span_of(item.range),
        })
        .collect();
    JsonFile {
        path: &result.path,
        report: result.report.as_ref(),
        diagnostics,
        not_assessable,
    }
}

/// The whole run as one JSON document.
pub fn render(results: &[FileResult]) -> String {
    let output = Output {
        version: VERSION,
        files: results.iter().map(file).collect(),
        summary: Summary::of(results),
    };
    serde_json::to_string_pretty(&output)
        .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
}
