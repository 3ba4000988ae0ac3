//! Lines and columns of the canonical text, shared by the machine-readable formats: 1-based,
//! columns counted in characters, ends exclusive.

use serde::Serialize;

use super::{LineIndex, TextRange};

/// Where a span of the canonical text is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the end.
    pub end_column: usize,
}

/// Turns byte ranges of one text into [`Span`]s.
pub struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Locator<'a> {
    /// A locator over `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The span of a range.
    pub fn span(&self, range: TextRange) -> Span {
        let (line, column) = self.index.position(self.text, range.start);
        let (end_line, end_column) = self.index.position(self.text, range.end);
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }
}
