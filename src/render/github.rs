//! GitHub Actions workflow commands (`::error file=…,line=…::message`): each finding becomes an
//! annotation on the file in a pull request.

use std::fmt::Write as _;

use super::located::locate;
use crate::diagnostic::Severity;
use crate::lint::FileResult;
use crate::text::Span;

/// Escapes a command's message (GitHub's `escapeData`); other control characters, which the log
/// viewer would interpret, are shown escaped.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if super::is_unsafe_char(c) => out.push_str(&super::escaped_char(c)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (GitHub's `escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(kind: &str, path: &str, span: Option<Span>, title: &str, message: &str) -> String {
    let mut properties = format!("file={}", property(path));
    if let Some(span) = span {
        let _ = write!(
            properties,
            ",line={},col={},endLine={},endColumn={}",
            span.line, span.column, span.end_line, span.end_column
        );
    }
    format!(
        "::{kind} {properties},title={}::{}\n",
        property(title),
        data(message)
    )
}

/// One annotation per finding (`error`, `warning`, `notice` for info) and per check that could not
/// be carried out (`notice`).
pub fn render(results: &[FileResult]) -> String {
    let mut out = String::new();
    for result in results {
        let (findings, gaps) = locate(result);
        for located in &findings {
            let d = located.diagnostic;
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            for note in &d.notes {
                message.push('\n');
                message.push_str(note);
            }
            out.push_str(&command(
                kind,
                &result.path,
                located.span,
                &format!("{} {}", d.code, d.name),
                &message,
            ));
        }
        for gap in &gaps {
            out.push_str(&command(
                "notice",
                &result.path,
                gap.span,
                &format!("{} {} 无法校验", gap.item.code, gap.item.name),
                &format!("无法校验「{}」：{}", gap.item.check, gap.item.reason),
            ));
        }
    }
    out
}
