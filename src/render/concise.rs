//! The concise format: one line per finding, `path:line:col: CODE name message`, for terminals,
//! editors' problem matchers and `grep`.

use std::fmt::Write as _;

use super::escape_controls as safe;
use super::located::locate;
use crate::lint::FileResult;
use crate::text::Span;

fn place(path: &str, span: Option<Span>) -> String {
    match span {
        Some(span) => format!("{}:{}:{}", safe(path), span.line, span.column),
        None => safe(path).into_owned(),
    }
}

/// Every finding, then every check that could not be carried out, one per line.
pub fn render(results: &[FileResult]) -> String {
    let mut out = String::new();
    for result in results {
        let (findings, gaps) = locate(result);
        for located in &findings {
            let d = located.diagnostic;
            let _ = writeln!(
                out,
                "{}: {} {} {}",
                place(&result.path, located.span),
                d.code,
                d.name,
                safe(&d.message)
            );
        }
        for gap in &gaps {
            let _ = writeln!(
                out,
                "{}: {} {} 无法校验「{}」：{}",
                place(&result.path, gap.span),
                gap.item.code,
                gap.item.name,
                safe(&gap.item.check),
                safe(&gap.item.reason)
            );
        }
    }
    out
}
