//! Long lines shown as windows around their labels. A crawler's copy puts a whole report on one
//! line; printing 5,000 characters to point at one figure helps nobody. The location header still
//! gives the real line and column: this `Files` maps excerpt positions back to the full text.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::text::{LineIndex, TextRange};

/// Lines with more characters than this are cut down to windows around the labels on them.
const LONG_LINE_CHARS: usize = 160;
/// Characters of context kept on each side of a label.
const CONTEXT_CHARS: usize = 24;
/// Where text was cut.
const ELLIPSIS: &str = "…";

/// A stretch of the excerpt copied from the full text.
#[derive(Debug)]
struct Piece {
    excerpt: usize,
    source: usize,
    len: usize,
}

#[derive(Debug)]
struct Line {
    excerpt_start: usize,
    source_start: usize,
    pieces: Vec<Piece>,
}

/// The canonical text with long lines cut to windows around the given label ranges.
pub(super) struct Excerpt<'a> {
    name: &'a str,
    full: &'a str,
    source: String,
    lines: Vec<Line>,
}

impl<'a> Excerpt<'a> {
    /// Builds the excerpt of `full` that keeps every range in `labels` visible.
    pub(super) fn new(name: &'a str, full: &'a str, labels: &[TextRange]) -> Self {
        let index = LineIndex::new(full);
        let starts = index.starts();
        let mut source = String::with_capacity(full.len().min(64 * 1024));
        let mut lines = Vec::with_capacity(starts.len());
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(full.len(), |next| next - 1);
            let text = &full[start..end];
            let excerpt_start = source.len();
            let mut pieces = Vec::new();
            if text.chars().count() <= LONG_LINE_CHARS {
                pieces.push(Piece {
                    excerpt: source.len(),
                    source: start,
                    len: text.len(),
                });
                source.push_str(text);
            } else {
                for (n, window) in windows(full, start..end, labels).into_iter().enumerate() {
                    if n > 0 || window.start > start {
                        source.push_str(if n > 0 { " … " } else { ELLIPSIS });
                    }
                    pieces.push(Piece {
                        excerpt: source.len(),
                        source: window.start,
                        len: window.len(),
                    });
                    source.push_str(&full[window.clone()]);
                }
                if pieces
                    .last()
                    .is_some_and(|piece| piece.source + piece.len < end)
                {
                    source.push_str(ELLIPSIS);
                }
            }
            lines.push(Line {
                excerpt_start,
                source_start: start,
                pieces,
            });
            if i + 1 < starts.len() {
                source.push('\n');
            }
        }
        Self {
            name,
            full,
            source,
            lines,
        }
    }

    /// Where a range of the full text is in the excerpt (clamped to what was kept).
    pub(super) fn map(&self, range: TextRange) -> Range<usize> {
        let start = self.map_offset(range.start, false);
        let end = self.map_offset(range.end, true).max(start);
        start..end
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        let line = self
            .lines
            .partition_point(|line| line.source_start <= offset)
            .saturating_sub(1);
        let Some(line) = self.lines.get(line) else {
            return self.source.len();
        };
        let mut best = line.excerpt_start;
        for piece in &line.pieces {
            if offset < piece.source {
                return if is_end { best } else { piece.excerpt };
            }
            if offset <= piece.source + piece.len {
                return piece.excerpt + (offset - piece.source);
            }
            best = piece.excerpt + piece.len;
        }
        best
    }
}

/// The windows of `line` that keep the labels on it visible, merged where they touch.
fn windows(full: &str, line: Range<usize>, labels: &[TextRange]) -> Vec<Range<usize>> {
    let char_floor = |mut at: usize| {
        while !full.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let back = |from: usize, chars: usize| {
        full[line.start..from]
            .char_indices()
            .rev()
            .nth(chars.saturating_sub(1))
            .map_or(line.start, |(i, _)| line.start + i)
    };
    let forward = |from: usize, chars: usize| {
        full[from..line.end]
            .char_indices()
            .nth(chars)
            .map_or(line.end, |(i, _)| from + i)
    };
    let mut wanted: Vec<Range<usize>> = labels
        .iter()
        .filter(|label| {
            label.start < line.end && label.end > line.start || label.start == line.start
        })
        .map(|label| {
            let start = char_floor(label.start.max(line.start));
            let end = char_floor(label.end.min(line.end));
            back(start, CONTEXT_CHARS)..forward(end, CONTEXT_CHARS)
        })
        .collect();
    if wanted.is_empty() {
        // Not shown, but keep its start so the line reads sensibly if it is.
        let start = line.start..forward(line.start, LONG_LINE_CHARS);
        return Vec::from([start]);
    }
    wanted.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for window in wanted {
        match merged.last_mut() {
            Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
            _ => merged.push(window),
        }
    }
    merged
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<Self::Name, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<Self::Source, Error> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|line| line.excerpt_start <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let line = self.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })?;
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.source.len(), |next| next.excerpt_start);
        Ok(line.excerpt_start..end)
    }

    /// The column in the full text, not in the excerpt.
    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let Some(line) = self.lines.get(line_index) else {
            return Ok(1);
        };
        let piece = line
            .pieces
            .iter()
            .rev()
            .find(|piece| piece.excerpt <= byte_index)
            .or(line.pieces.first());
        let source = piece.map_or(line.source_start, |piece| {
            piece.source + byte_index.saturating_sub(piece.excerpt).min(piece.len)
        });
        let chars = self
            .full
            .get(line.source_start..source)
            .map_or(0, |s| s.chars().count());
        Ok(chars + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_labels_and_keep_real_columns() {
        let long = format!("{}目标数字713000074{}", "前".repeat(300), "后".repeat(300));
        let full = format!("第一行\n{long}\n末行");
        let at = full.find("713000074").unwrap();
        let label = TextRange::new(at, at + 9);
        let excerpt = Excerpt::new("x.txt", &full, &[label]);
        let mapped = excerpt.map(label);
        assert_eq!(&excerpt.source[mapped.clone()], "713000074");
        let line = excerpt.line_index((), mapped.start).unwrap();
        assert_eq!(line, 1);
        assert_eq!(excerpt.column_number((), line, mapped.start).unwrap(), 305);
        let shown = &excerpt.source[excerpt.line_range((), 1).unwrap()];
        assert!(
            shown.starts_with('…') && shown.trim_end().ends_with('…'),
            "{shown}"
        );
        assert!(shown.chars().count() < 80, "{shown}");
        assert!(excerpt.source.starts_with("第一行\n") && excerpt.source.ends_with("\n末行"));
    }
}
