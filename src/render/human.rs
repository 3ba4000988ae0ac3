//! The human format: codespan-reporting diagnostics over the canonical text, in Chinese.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

use super::Summary;
use super::escape_controls as safe;
use super::excerpt::Excerpt;
use crate::diagnostic::{Diagnostic, Label, NotAssessable, Origin, Severity};
use crate::lint::FileResult;
use crate::source::SourceKind;

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn convert(diagnostic: &Diagnostic, excerpt: Option<&Excerpt<'_>>) -> CsDiagnostic<()> {
    let mut labels = Vec::new();
    if let Some(excerpt) = excerpt {
        let here = |label: &&Label| label.elsewhere.is_none();
        labels.extend(diagnostic.primary.iter().filter(here).map(|label| {
            CsLabel::primary((), excerpt.map(label.range)).with_message(safe(&label.message))
        }));
        labels.extend(diagnostic.secondary.iter().filter(here).map(|label| {
            CsLabel::secondary((), excerpt.map(label.range)).with_message(safe(&label.message))
        }));
    }
    let mut notes: Vec<String> = diagnostic
        .notes
        .iter()
        .map(|note| safe(note).into_owned())
        .collect();
    // Labels in another file (the previous year's report) are named with their place.
    for label in diagnostic.primary.iter().chain(&diagnostic.secondary) {
        if let Some(other) = &label.elsewhere {
            notes.push(format!(
                "{}:{}:{}：{}",
                safe(&other.path),
                other.span.line,
                other.span.column,
                safe(&label.message)
            ));
        }
    }
    if diagnostic.origin == Origin::Extraction {
        notes.push(
            "读取问题：这可能只是本副本（网页转文本、PDF 文字层等）的损坏，原报告未必有误"
                .to_owned(),
        );
    }
    if let Some(clause) = &diagnostic.clause {
        notes.push(format!("规则 {}：{clause}", diagnostic.name));
    }
    CsDiagnostic::new(severity(diagnostic.severity))
        .with_code(&diagnostic.code)
        .with_message(safe(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes)
}

fn convert_not_assessable(item: &NotAssessable, excerpt: Option<&Excerpt<'_>>) -> CsDiagnostic<()> {
    let mut diagnostic = CsDiagnostic::note()
        .with_code(&item.code)
        .with_message(format!(
            "无法校验「{}」：{}",
            safe(&item.check),
            safe(&item.reason)
        ));
    if let (Some(excerpt), Some(range)) = (excerpt, item.range) {
        diagnostic = diagnostic.with_labels(vec![
            CsLabel::primary((), excerpt.map(range)).with_message("数值缺失或无法定位"),
        ]);
    }
    let mut notes = Vec::new();
    if !item.instances.is_empty() {
        notes.push(format!("涉及：{}", safe(&item.instances.join("、"))));
    }
    notes.push(format!(
        "规则 {}：缺少数值时不作判断，既不按 0 计算，也不报告为不一致",
        item.name
    ));
    diagnostic.with_notes(notes)
}

/// Writes one file's findings. With `verbose`, first a line saying how the file was read.
pub fn render_file(
    out: &mut dyn WriteColor,
    result: &FileResult,
    verbose: bool,
) -> std::io::Result<()> {
    if verbose {
        writeln!(out, "{}", safe(&describe(result)))?;
    }
    let source = result.source.as_deref().unwrap_or("");
    let name = safe(&result.path);
    // Indexed once per file: each diagnostic copies only the lines it shows.
    let index = crate::text::LineIndex::new(source);
    let config = Config::default();
    let emit = |out: &mut dyn WriteColor,
                ranges: &[crate::text::TextRange],
                make: &dyn Fn(Option<&Excerpt<'_>>) -> CsDiagnostic<()>| {
        let excerpt = Excerpt::new(&name, source, &index, ranges);
        let has_source = result.source.is_some();
        let diagnostic = make(has_source.then_some(&excerpt));
        term::emit_to_write_style(out, &config, &excerpt, &diagnostic)
            .map_err(std::io::Error::other)
    };
    for diagnostic in &result.diagnostics {
        let ranges: Vec<_> = diagnostic.labels_here().map(|label| label.range).collect();
        emit(out, &ranges, &|excerpt| convert(diagnostic, excerpt))?;
    }
    for item in &result.not_assessable {
        let ranges: Vec<_> = item.range.into_iter().collect();
        emit(out, &ranges, &|excerpt| {
            convert_not_assessable(item, excerpt)
        })?;
    }
    Ok(())
}

/// One line on how a file was read: year, era, kind, title.
pub fn describe(result: &FileResult) -> String {
    match &result.report {
        None => format!("{}：无法读取", result.path),
        Some(report) => {
            let year = report
                .year
                .map_or_else(|| "年度未知".to_owned(), |year| format!("{year}年度"));
            let kind = match report.kind {
                crate::model::ReportKind::AnnualReport => "年度报告",
                crate::model::ReportKind::Other => "非年度报告",
            };
            let form = match report.format {
                SourceKind::Text => match &report.reading {
                    Some(reading) => format!("文本 {}（{reading}）", report.encoding),
                    None => format!("文本 {}", report.encoding),
                },
                SourceKind::Markdown => format!("Markdown {}", report.encoding),
                SourceKind::Html => format!("网页 {}", report.encoding),
                SourceKind::Docx => "Word 文档".to_owned(),
                SourceKind::Pdf => "PDF".to_owned(),
            };
            format!(
                "{}：{year} · {} · {kind} · {} · {form}",
                result.path,
                report.era.name(),
                report.title.as_deref().unwrap_or("（无标题）"),
            )
        }
    }
}

/// The closing line of a run.
pub fn summary_line(summary: &Summary) -> String {
    let mut line = if summary.errors + summary.warnings + summary.infos == 0 {
        format!("检查了 {} 个文件，未发现问题", summary.files)
    } else {
        format!(
            "检查了 {} 个文件：{} 个错误，{} 个警告，{} 条提示",
            summary.files, summary.errors, summary.warnings, summary.infos
        )
    };
    if summary.not_assessable > 0 {
        line.push_str(&format!(
            "；{} 项核对因数值缺失无法进行",
            summary.not_assessable
        ));
    }
    if summary.waived > 0 {
        line.push_str(&format!("；{} 条已豁免", summary.waived));
    }
    if summary.hidden > 0 {
        line.push_str(&format!("；{} 条低于 min-severity，未显示", summary.hidden));
    }
    line
}
