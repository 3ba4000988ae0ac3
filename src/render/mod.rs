//! Renderers: turn checked files into what users and machines read.

pub mod concise;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
mod located;
pub mod sarif;

use crate::diagnostic::Severity;
use crate::lint::{FileResult, FileRole};

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
