//! Renderers: turn checked files into what users and machines read.

pub mod concise;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
mod located;
pub mod sarif;

use std::borrow::Cow;

use crate::diagnostic::Severity;
use crate::lint::{FileResult, FileRole};

/// Whether a character must not reach a terminal or a log viewer as it is: C0 and C1 control
/// characters (ESC starts the escape sequences that move the cursor, retitle the window or hide
/// text; U+009B is a one-character CSI), DEL, and the bidirectional overrides and isolates that
/// make text display in an order other than its own. Tabs are kept.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How an unsafe character is shown: `\x1b` below U+0080, `\u{9b}` above.
pub(crate) fn escaped_char(c: char) -> String {
    let code = u32::from(c);
    if code < 0x80 {
        format!("\\x{code:02x}")
    } else {
        format!("\\u{{{code:x}}}")
    }
}

/// Text from a report or a file name made safe to print: unsafe characters (see
/// [`is_unsafe_char`]) shown escaped, newlines included, so that one finding stays one line.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&escaped_char(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the unsafe characters serde_json leaves as they are (C1 controls, bidirectional
/// overrides and isolates) written as `\uXXXX` escapes: the same data for a JSON reader, nothing
/// that reorders or hides text for someone reading the output in a terminal.
pub fn json_escape_unsafe(json: String) -> String {
    if !json.chars().any(|c| c != '\n' && is_unsafe_char(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && is_unsafe_char(c) {
            // Every such character is in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Info-level findings.
    pub infos: usize,
    /// Checks that could not be carried out.
    pub not_assessable: usize,
    /// Findings waived.
    pub waived: usize,
    /// Findings and checks hidden by `--min-severity`.
    pub hidden: usize,
}

impl Summary {
    /// Totals of a set of results.
    pub fn of(results: &[FileResult]) -> Self {
        let mut summary = Self {
            files: results
                .iter()
                .filter(|result| result.role == FileRole::Report)
                .count(),
            ..Self::default()
        };
        for result in results {
            summary.add(result);
        }
        summary
    }

    /// Adds one file's results.
    pub fn add(&mut self, result: &FileResult) {
        self.errors += result.count(Severity::Error);
        self.warnings += result.count(Severity::Warning);
        self.infos += result.count(Severity::Info);
        self.not_assessable += result.not_assessable.len();
        self.waived += result.waived;
        self.hidden += result.hidden;
    }
}
