//! Findings: our own diagnostic type, converted to codespan or JSON only by the renderers.

use serde::{Deserialize, Serialize};

use crate::model::TableId;
use crate::text::{Span, TextRange};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Should be fixed; does not fail a run.
    Warning,
    /// Must be fixed; fails a run (exit code 1).
    Error,
}

impl Severity {
    /// The lowercase name (`error`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// Whether a finding is about the report itself or about the copy being read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The report is wrong.
    #[default]
    Report,
    /// The reading is uncertain: the copy (a crawler's text, a PDF's text layer) may be damaged
    /// where the published report is fine.
    Extraction,
}

/// A labelled span of the canonical text — of the file the finding is about, or of another file
/// (the previous year's report, for a cross-year check).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    /// Where, in the file's canonical text.
    #[serde(skip)]
    pub range: TextRange,
    /// What to say there (may be empty).
    pub message: String,
    /// Set when the span is in another file.
    #[serde(skip)]
    pub elsewhere: Option<Elsewhere>,
    /// The span as lines and columns, kept once the file's text is dropped (see
    /// [`FileResult::detach`](crate::lint::FileResult::detach)).
    #[serde(skip)]
    pub span: Option<Span>,
}

/// The other file a label points into, with the span already located (its text may be gone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    /// The path as shown.
    pub path: String,
    /// Where in that file's canonical text.
    pub span: Span,
}

impl Label {
    /// A label with a message.
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
            elsewhere: None,
            span: None,
        }
    }

    /// A label in another file.
    pub fn elsewhere(
        path: impl Into<String>,
        range: TextRange,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            range,
            message: message.into(),
            elsewhere: Some(Elsewhere {
                path: path.into(),
                span,
            }),
            span: None,
        }
    }
}

/// The table cell a finding is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellRef {
    /// The table.
    pub table: TableId,
    /// The row key (`（七）`, `行政复议`).
    pub row: Option<String>,
    /// The column name (`总计`).
    pub column: Option<String>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule's code (`T001`) or an engine code (`E001`).
    pub code: String,
    /// The rule's name (`identity-mismatch`).
    pub name: String,
    /// Its severity.
    pub severity: Severity,
    /// Whether the report is wrong or the reading uncertain.
    pub origin: Origin,
    /// The message, in Chinese.
    pub message: String,
    /// The main spans (the wrong figure, the missing place).
    #[serde(skip)]
    pub primary: Vec<Label>,
    /// Supporting spans (the figures a total is computed from).
    #[serde(skip)]
    pub secondary: Vec<Label>,
    /// Notes: the arithmetic, help.
    pub notes: Vec<String>,
    /// The clause of the regulation or format the rule enforces.
    pub clause: Option<String>,
    /// The cell concerned.
    pub cell: Option<CellRef>,
    /// Every cell (or row) concerned, when a finding is about many (the labels show a few).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellRef>,
    /// The value the check computed.
    pub expected: Option<i128>,
    /// The value the report states.
    pub found: Option<i128>,
}

impl Diagnostic {
    /// A finding with no location yet.
    pub fn new(code: &str, name: &str, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            name: name.to_owned(),
            severity,
            origin: Origin::Report,
            message: message.into(),
            primary: Vec::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
            clause: None,
            cell: None,
            cells: Vec::new(),
            expected: None,
            found: None,
        }
    }

    /// Adds a primary label.
    #[must_use]
    pub fn with_primary(mut self, label: Label) -> Self {
        self.primary.push(label);
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    /// Marks the finding as one about the reading, not the report.
    #[must_use]
    pub fn from_extraction(mut self) -> Self {
        self.origin = Origin::Extraction;
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Where the finding starts in its own file, for ordering.
    pub fn start(&self) -> usize {
        self.labels_here()
            .map(|label| label.range.start)
            .min()
            .unwrap_or(0)
    }

    /// The labels in the finding's own file, primary first.
    pub fn labels_here(&self) -> impl Iterator<Item = &Label> {
        self.primary
            .iter()
            .chain(&self.secondary)
            .filter(|label| label.elsewhere.is_none())
    }

    /// A stable identity for the finding, for waivers and review tools: its code and a hash of its
    /// message. Line numbers and the path are left out, so that editing another part of a report or
    /// moving it to another folder keeps the fingerprint; a changed figure changes it.
    pub fn fingerprint(&self) -> String {
        // FNV-1a (64 bit): tiny, stable across versions and platforms, and collisions are harmless
        // here (a waiver would cover two findings with the same code and a near-identical message).
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.code.bytes().chain([0x1f]).chain(self.message.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{}-{hash:016x}", self.code)
    }
}

/// A check that could not be carried out, because a figure it needs is missing, blank or
/// unreadable. Reported as such, never treated as a pass or a failure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotAssessable {
    /// The rule's code.
    pub code: String,
    /// The rule's name.
    pub name: String,
    /// Which check (an identity's id and description, or the rule's summary).
    pub check: String,
    /// Why it could not be carried out.
    pub reason: String,
    /// The rows or columns affected, when the check runs over several.
    pub instances: Vec<String>,
    /// Where the problem is, if it has a place.
    #[serde(skip)]
    pub range: Option<TextRange>,
    /// The same place as lines and columns, kept once the file's text is dropped.
    #[serde(skip)]
    pub span: Option<Span>,
}
