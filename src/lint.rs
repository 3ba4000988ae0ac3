//! Checking one file: read → model → rules. A panic while checking one document is caught and
//! reported as a finding on that document, so a batch always finishes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, NotAssessable, Severity};
use crate::model::facts::YearFacts;
use crate::model::figures::Figures;
use crate::model::published::DateSource;
use crate::model::{Era, Report, ReportKind};
use crate::rules::Registry;
use crate::source::{self, Document, ReadError, SourceKind};
use crate::text::Locator;

/// Codes the engine itself reports, with their names and what they mean.
pub const ENGINE_CODES: &[EngineCode] = &[
    EngineCode::error("E001", "unreadable-file", "文件不存在或无法读取"),
    EngineCode::error(
        "E002",
        "undecodable-text",
        "内容不是有效的 UTF-8、GB18030/GBK 或 Big5 文本",
    ),
    EngineCode::error(
        "E003",
        "unsupported-format",
        "不支持的文件类型（含旧版 Word .doc：请另存为 .docx）",
    ),
    EngineCode::error("E004", "empty-document", "文件没有正文内容"),
    EngineCode::error("E005", "binary-file", "文件不是文本（如图片、压缩包）"),
    EngineCode::error(
        "E006",
        "file-too-large",
        "文件超过 32 MiB，不像是一份年度报告",
    ),
    EngineCode::warning("E007", "damaged-bytes", "少量字节无法解码，已替换为 �"),
    EngineCode::error(
        "E008",
        "nesting-too-deep",
        "网页嵌套过深（超过 4000 层）或标签属性过多（超过 1000 个），未检查",
    ),
    EngineCode::error(
        "E009",
        "bad-docx",
        "Word 文档损坏，或解压后过大（疑似压缩炸弹）",
    ),
    EngineCode::error("E010", "bad-pdf", "PDF 损坏或无法解析"),
    EngineCode::error(
        "E011",
        "no-text-layer",
        "PDF 没有文字层（扫描件或图片），无法检查",
    ),
    EngineCode::warning("E012", "waiver-expired", "豁免已到期，相应问题重新报告"),
    EngineCode::warning("E013", "waiver-unused", "豁免没有对应任何问题"),
    EngineCode::warning("E014", "waiver-incomplete", "豁免缺少理由、批准人或到期日"),
    EngineCode::warning(
        "E015",
        "too-many-findings",
        "一个文件的问题超过 1000 条，其余未列出",
    ),
    EngineCode::error(
        "E999",
        "internal-error",
        "检查此文件时发生内部错误（程序缺陷，请报告）",
    ),
];

/// A problem the engine itself reports (the file could not be read, or checking it failed).
#[derive(Clone, Copy, Debug)]
pub struct EngineCode {
    /// `E001` …
    pub code: &'static str,
    /// `unreadable-file` …
    pub name: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One line, for `xxgk-lint rules`.
    pub summary: &'static str,
}

impl EngineCode {
    /// The engine code with this code.
    pub fn find(code: &str) -> Option<&'static Self> {
        ENGINE_CODES.iter().find(|engine| engine.code == code)
    }

    const fn error(code: &'static str, name: &'static str, summary: &'static str) -> Self {
        Self {
            code,
            name,
            severity: Severity::Error,
            summary,
        }
    }

    const fn warning(code: &'static str, name: &'static str, summary: &'static str) -> Self {
        Self {
            code,
            name,
            severity: Severity::Warning,
            summary,
        }
    }
}

/// Findings listed per file; past this, one `E015` finding says how many more there were. A
/// page built to produce tens of thousands of findings would otherwise produce output (and
/// rendering time) without bound; no reader goes through a thousand.
pub const MAX_FINDINGS: usize = 1_000;

/// Keeps at most [`MAX_FINDINGS`] findings and as many checks not assessable, the most severe
/// first (so the exit code stays what it would be), and says how many were left out.
pub fn cap_findings(result: &mut FileResult) {
    let extra_findings = result.diagnostics.len().saturating_sub(MAX_FINDINGS);
    let extra_checks = result.not_assessable.len().saturating_sub(MAX_FINDINGS);
    if extra_findings + extra_checks == 0 {
        return;
    }
    result
        .diagnostics
        .sort_by_key(|diagnostic| std::cmp::Reverse(diagnostic.severity));
    result.diagnostics.truncate(MAX_FINDINGS);
    result.diagnostics.sort_by_key(Diagnostic::start);
    result.not_assessable.truncate(MAX_FINDINGS);
    result.diagnostics.push(engine_diagnostic(
        "E015",
        format!(
            "{}：另有 {extra_findings} 条问题和 {extra_checks} 项无法校验的核对未列出（每个文件最多列出 {MAX_FINDINGS} 条）",
            result.path
        ),
    ));
}

/// A finding of the engine, with the name and severity of its code.
pub fn engine_diagnostic(code: &str, message: impl Into<String>) -> Diagnostic {
    let (name, severity) = EngineCode::find(code).map_or(("", Severity::Error), |engine| {
        (engine.name, engine.severity)
    });
    Diagnostic::new(code, name, severity, message)
}

/// What the model says about a document, for the output.
#[derive(Clone, Debug, Serialize)]
pub struct ReportSummary {
    /// The title, if found.
    pub title: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The issuing body named in the title.
    pub issuer: Option<String>,
    /// The format era.
    pub era: Era,
    /// Why that era.
    pub era_evidence: Vec<String>,
    /// Annual report or not.
    pub kind: ReportKind,
    /// Why that kind.
    pub kind_evidence: String,
    /// The input format.
    pub format: SourceKind,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
    /// How plain text was laid out (hard-wrapped or one paragraph per line), in words.
    pub reading: Option<String>,
    /// The publication date the report states (its page's, else the date signed under it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
}

/// A publication date a report states, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// The date.
    pub date: jiff::civil::Date,
    /// True when it is the date signed under the report rather than the page's publication date.
    pub signed: bool,
}

impl Serialize for Published {
    /// `{"date": "2022-01-20", "signed": false}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("Published", 2)?;
        state.serialize_field("date", &self.date.to_string())?;
        state.serialize_field("signed", &self.signed)?;
        state.end()
    }
}

/// The result of checking one file.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// The path as given (or as found under a directory given).
    pub path: String,
    /// The canonical text the diagnostics point into (absent when the file could not be read).
    pub source: Option<String>,
    /// The model's summary.
    pub report: Option<ReportSummary>,
    /// Findings, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// Checks that could not be carried out.
    pub not_assessable: Vec<NotAssessable>,
    /// Findings and checks hidden by `--min-severity`.
    pub hidden: usize,
    /// Findings waived (see [`crate::waivers`]).
    pub waived: usize,
    /// What the file is: a checked report, or a waiver file with problems of its own.
    pub role: FileRole,
    /// The figures checks across years need (when any rule compares years).
    pub facts: Option<YearFacts>,
    /// The figures an audit compares across reports (absent when the file could not be read).
    pub figures: Option<Figures>,
    /// The findings waivers removed from [`diagnostics`](Self::diagnostics), for listings
    /// that show them as waived.
    pub waived_findings: Vec<Diagnostic>,
}

/// What a [`FileResult`] is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileRole {
    /// A checked report (or a file that could not be read as one).
    #[default]
    Report,
    /// A waiver file, reported for its expired, unused or incomplete waivers.
    Waivers,
}

impl FileResult {
    /// Findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    }

    /// Keeps what a summary shows and drops the rest: the file's text (the places of the primary
    /// labels are kept as lines and columns), the supporting labels, the notes and clauses, the
    /// evidence behind era and kind. An audit keeps thousands of results, not thousands of
    /// documents.
    pub fn detach(&mut self) {
        let Some(text) = self.source.take() else {
            return;
        };
        let locator = Locator::new(&text);
        for diagnostic in self
            .diagnostics
            .iter_mut()
            .chain(self.waived_findings.iter_mut())
        {
            diagnostic.secondary = Vec::new();
            diagnostic.notes = Vec::new();
            diagnostic.clause = None;
            for label in diagnostic
                .primary
                .iter_mut()
                .filter(|label| label.elsewhere.is_none())
            {
                label.span = Some(locator.span(label.range));
            }
        }
        for item in &mut self.not_assessable {
            item.span = item.range.map(|range| locator.span(range));
        }
        if let Some(report) = &mut self.report {
            report.era_evidence = Vec::new();
            report.kind_evidence = String::new();
        }
    }

    /// A result with nothing in it (a placeholder while a result is being rebuilt).
    pub fn empty(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            source: None,
            report: None,
            diagnostics: Vec::new(),
            not_assessable: Vec::new(),
            hidden: 0,
            waived: 0,
            role: FileRole::Report,
            facts: None,
            figures: None,
            waived_findings: Vec::new(),
        }
    }

    fn failed(path: &str, code: &str, message: String) -> Self {
        Self {
            diagnostics: vec![engine_diagnostic(code, message)],
            ..Self::empty(path)
        }
    }
}

fn read_error_code(error: &ReadError) -> &'static str {
    match error {
        ReadError::NotFound | ReadError::Io(_) | ReadError::NotRegular { .. } => "E001",
        ReadError::Undecodable { .. } => "E002",
        ReadError::Unsupported { .. } | ReadError::LegacyWord => "E003",
        ReadError::Docx { .. } => "E009",
        ReadError::Pdf { .. } => "E010",
        ReadError::NoTextLayer { .. } => "E011",
        ReadError::Empty => "E004",
        ReadError::Binary { .. } => "E005",
        ReadError::TooLarge { .. } => "E006",
        ReadError::TooDeep { .. } | ReadError::TooManyAttributes { .. } => "E008",
    }
}

/// Reads and checks a file. `display` is the path shown in the output.
pub fn check_file(path: &Path, display: &str, registry: &Registry) -> FileResult {
    guarded(display, || match source::read_file(path) {
        Ok(doc) => check_document(doc, display, registry),
        Err(error) => FileResult::failed(
            display,
            read_error_code(&error),
            format!("{display}：{error}"),
        ),
    })
}

/// Checks bytes as if read from a file of the given kind (for tests, benchmarks, fuzzing).
pub fn check_bytes(
    bytes: &[u8],
    kind: Option<SourceKind>,
    display: &str,
    registry: &Registry,
) -> FileResult {
    guarded(display, || match source::read_bytes(bytes, kind) {
        Ok(doc) => check_document(doc, display, registry),
        Err(error) => FileResult::failed(
            display,
            read_error_code(&error),
            format!("{display}：{error}"),
        ),
    })
}

/// Like [`check_bytes`], also handing back the document read (`None` when it could not be read),
/// for a caller that shows the document beside the findings (the web page draws its tables).
pub fn check_bytes_keeping(
    bytes: &[u8],
    kind: Option<SourceKind>,
    display: &str,
    registry: &Registry,
) -> (FileResult, Option<Document>) {
    let mut kept = None;
    let result = guarded(display, || match source::read_bytes(bytes, kind) {
        Ok(doc) => {
            kept = Some(doc.clone());
            check_document(doc, display, registry)
        }
        Err(error) => FileResult::failed(
            display,
            read_error_code(&error),
            format!("{display}：{error}"),
        ),
    });
    (result, kept)
}

fn guarded(display: &str, work: impl FnOnce() -> FileResult) -> FileResult {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        FileResult::failed(
            display,
            "E999",
            format!("{display}：检查此文件时发生内部错误（{detail}），这是程序缺陷，请报告"),
        )
    })
}

/// Builds the model of a document and runs the rules on it.
pub fn check_document(doc: Document, display: &str, registry: &Registry) -> FileResult {
    let report = Report::build(&doc, registry.model());
    let findings = registry.check(&doc, &report);
    let mut diagnostics = findings.diagnostics;
    if doc.replaced_bytes > 0 {
        diagnostics.insert(
            0,
            engine_diagnostic(
                "E007",
                format!(
                    "{display}：有 {} 处字节无法按 {} 解码，已替换为 �",
                    doc.replaced_bytes, doc.encoding
                ),
            )
            .from_extraction(),
        );
    }
    let facts = registry.has_cross_year().then(|| {
        YearFacts::extract(
            &doc,
            &report,
            display,
            &registry.cross_year_needs(),
            &registry.cross_year_cells(),
            registry.model().prints.as_ref(),
        )
    });
    FileResult {
        path: display.to_owned(),
        report: Some(ReportSummary {
            title: report.title.as_ref().map(|title| title.text.clone()),
            year: report.year,
            issuer: report.issuer.clone(),
            era: report.era,
            era_evidence: report.era_evidence.clone(),
            kind: report.kind,
            kind_evidence: report.kind_evidence.clone(),
            format: doc.kind,
            encoding: doc.encoding,
            reading: doc.reading.clone(),
            published: report.published.as_ref().map(|published| Published {
                date: published.date,
                signed: matches!(published.source, DateSource::Signature),
            }),
        }),
        source: Some(doc.text),
        diagnostics,
        not_assessable: findings.not_assessable,
        hidden: 0,
        waived: 0,
        role: FileRole::Report,
        facts,
        figures: Some(Figures::read(&report)),
        waived_findings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every read error has a code with a name (a missing entry would print an empty name).
    #[test]
    fn every_read_error_has_a_named_engine_code() {
        let errors = [
            ReadError::NotFound,
            ReadError::Io(std::io::Error::other("x")),
            ReadError::TooLarge { limit: 0 },
            ReadError::NotRegular { what: "设备" },
            ReadError::Binary {
                detail: String::new(),
            },
            ReadError::Undecodable { encoding: "UTF-8" },
            ReadError::Empty,
            ReadError::TooDeep { depth: 1, limit: 0 },
            ReadError::TooManyAttributes { count: 1, limit: 0 },
            ReadError::Docx {
                detail: String::new(),
            },
            ReadError::Pdf {
                detail: String::new(),
            },
            ReadError::NoTextLayer { pages: 1 },
            ReadError::LegacyWord,
            ReadError::Unsupported {
                extension: String::new(),
            },
        ];
        for error in &errors {
            let code = read_error_code(error);
            assert!(
                ENGINE_CODES.iter().any(|engine| engine.code == code),
                "{code} ({error}) is not in ENGINE_CODES"
            );
        }
    }
}
