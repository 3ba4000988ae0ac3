//! The human format: codespan-reporting diagnostics over the canonical text, in Chinese.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

use super::Summary;
use crate::diagnostic::{Diagnostic, NotAssessable, Severity};
use crate::lint::FileResult;

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn convert(diagnostic: &Diagnostic, has_source: bool) -> CsDiagnostic<()> {
    let mut labels = Vec::new();
    if has_source {
        labels.extend(
            diagnostic.primary.iter().map(|label| {
                CsLabel::primary((), label.range.range()).with_message(&label.message)
            }),
        );
        labels.extend(
            diagnostic.secondary.iter().map(|label| {
                CsLabel::secondary((), label.range.range()).with_message(&label.message)
            }),
        );
    }
    let mut notes = diagnostic.notes.clone();
    if let Some(clause) = &diagnostic.clause {
        notes.push(format!("规则 {}：{clause}", diagnostic.name));
    }
    CsDiagnostic::new(severity(diagnostic.severity))
        .with_code(&diagnostic.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn convert_not_assessable(item: &NotAssessable, has_source: bool) -> CsDiagnostic<()> {
    let mut diagnostic = CsDiagnostic::note()
        .with_code(&item.code)
        .with_message(format!("无法校验「{}」：{}", item.check, item.reason));
    if let (true, Some(range)) = (has_source, item.range) {
        diagnostic = diagnostic.with_labels(vec![
            CsLabel::primary((), range.range()).with_message("数值缺失或无法定位"),
        ]);
    }
    let mut notes = Vec::new();
    if !item.instances.is_empty() {
        notes.push(format!("涉及：{}", item.instances.join("、")));
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
        writeln!(out, "{}", describe(result))?;
    }
    let source = result.source.as_deref().unwrap_or("");
    let file = SimpleFile::new(result.path.as_str(), source);
    let config = Config::default();
    let has_source = result.source.is_some();
    let emit = |out: &mut dyn WriteColor, diagnostic: &CsDiagnostic<()>| {
        term::emit_to_write_style(out, &config, &file, diagnostic).map_err(std::io::Error::other)
    };
    for diagnostic in &result.diagnostics {
        emit(out, &convert(diagnostic, has_source))?;
    }
    for item in &result.not_assessable {
        emit(out, &convert_not_assessable(item, has_source))?;
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
            format!(
                "{}：{year} · {} · {kind} · {} · {}",
                result.path,
                report.era.name(),
                report.title.as_deref().unwrap_or("（无标题）"),
                report.encoding,
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
    line
}
