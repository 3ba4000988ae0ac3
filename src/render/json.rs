//! The JSON format (version 1) and JSON Lines. Lines and columns are 1-based, columns in
//! characters, ends exclusive, in the canonical text the human format shows.

use serde::Serialize;

use super::Summary;
use super::located::{Located, LocatedGap, locate};
use crate::diagnostic::{CellRef, Origin, Severity};
use crate::lint::{FileResult, FileRole, ReportSummary};
use crate::text::Span;

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
    role: FileRole,
    report: Option<&'a ReportSummary>,
    waived: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    not_assessable: Vec<JsonNotAssessable<'a>>,
}

/// A span whose fields are `null` when the place is unknown.
#[derive(Serialize, Default)]
struct JsonSpan {
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

impl From<Option<Span>> for JsonSpan {
    fn from(span: Option<Span>) -> Self {
        span.map_or_else(Self::default, |span| Self {
            line: Some(span.line),
            column: Some(span.column),
            end_line: Some(span.end_line),
            end_column: Some(span.end_column),
        })
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    /// Only for a label in another file (the previous year's report).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(flatten)]
    span: JsonSpan,
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
    span: JsonSpan,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    clause: Option<&'a str>,
    cell: Option<&'a CellRef>,
    #[serde(skip_serializing_if = "<[CellRef]>::is_empty")]
    cells: &'a [CellRef],
    expected: Option<i128>,
    found: Option<i128>,
    fingerprint: String,
}

#[derive(Serialize)]
struct JsonNotAssessable<'a> {
    code: &'a str,
    name: &'a str,
    check: &'a str,
    reason: &'a str,
    instances: &'a [String],
    #[serde(flatten)]
    span: JsonSpan,
}

fn diagnostic<'a>(located: &Located<'a>) -> JsonDiagnostic<'a> {
    let d = located.diagnostic;
    JsonDiagnostic {
        code: &d.code,
        name: &d.name,
        severity: d.severity,
        origin: d.origin,
        message: &d.message,
        span: located.span.into(),
        labels: located
            .labels
            .iter()
            .map(|label| JsonLabel {
                path: label.elsewhere.then_some(label.path),
                span: label.span.into(),
                primary: label.primary,
                message: label.message,
            })
            .collect(),
        notes: &d.notes,
        clause: d.clause.as_deref(),
        cell: d.cell.as_ref(),
        cells: &d.cells,
        expected: d.expected,
        found: d.found,
        fingerprint: d.fingerprint(),
    }
}

fn not_assessable<'a>(gap: &LocatedGap<'a>) -> JsonNotAssessable<'a> {
    JsonNotAssessable {
        code: &gap.item.code,
        name: &gap.item.name,
        check: &gap.item.check,
        reason: &gap.item.reason,
        instances: &gap.item.instances,
        span: gap.span.into(),
    }
}

fn file(result: &FileResult) -> JsonFile<'_> {
    let (findings, gaps) = locate(result);
    JsonFile {
        path: &result.path,
        role: result.role,
        report: result.report.as_ref(),
        waived: result.waived,
        diagnostics: findings.iter().map(diagnostic).collect(),
        not_assessable: gaps.iter().map(not_assessable).collect(),
    }
}

fn to_json(value: &impl Serialize, pretty: bool) -> String {
    let json = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    // Serialising these plain structs cannot fail; say so in the output if it ever does.
    super::json_escape_unsafe(json.unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}")))
}

/// The whole run as one JSON document.
pub fn render(results: &[FileResult]) -> String {
    let output = Output {
        version: VERSION,
        files: results.iter().map(file).collect(),
        summary: Summary::of(results),
    };
    to_json(&output, true)
}

/// One line of JSON Lines output.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line<'a> {
    /// How a file was read (one per file, before its findings).
    File {
        path: &'a str,
        role: FileRole,
        report: Option<&'a ReportSummary>,
        waived: usize,
    },
    /// A finding.
    Diagnostic {
        path: &'a str,
        #[serde(flatten)]
        diagnostic: JsonDiagnostic<'a>,
    },
    /// A check that could not be carried out.
    NotAssessable {
        path: &'a str,
        #[serde(flatten)]
        item: JsonNotAssessable<'a>,
    },
    /// The totals (last line).
    Summary {
        version: u32,
        #[serde(flatten)]
        summary: Summary,
    },
}

/// JSON Lines: one object per line (`type`: `file`, `diagnostic`, `not_assessable`, then one
/// `summary`), so that a consumer can stream a large run.
pub fn render_lines(results: &[FileResult]) -> String {
    let mut out = String::new();
    let mut push = |line: &Line<'_>| {
        out.push_str(&to_json(line, false));
        out.push('\n');
    };
    for result in results {
        let (findings, gaps) = locate(result);
        push(&Line::File {
            path: &result.path,
            role: result.role,
            report: result.report.as_ref(),
            waived: result.waived,
        });
        for located in &findings {
            push(&Line::Diagnostic {
                path: &result.path,
                diagnostic: diagnostic(located),
            });
        }
        for gap in &gaps {
            push(&Line::NotAssessable {
                path: &result.path,
                item: not_assessable(gap),
            });
        }
    }
    push(&Line::Summary {
        version: VERSION,
        summary: Summary::of(results),
    });
    out
}
