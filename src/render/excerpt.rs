//! Long lines shown as windows around their labels. A crawler's copy puts a whole report on one
//! line; printing 5,000 characters to point at one figure helps nobody. The location header still
//! gives the real line and column: this `Files` maps excerpt positions back to the full text.
//!
//! Only the lines a diagnostic shows are copied (its labels' lines and two on either side, which
//! is all codespan asks for), so rendering many diagnostics costs the size of what they show, not
//! the size of the document each time; and a label longer than a long line is shown as its start
//! and its end.

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
    /// Its index in the full text (0-based).
    number: usize,
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
    /// Builds the excerpt of `full` (whose line starts `index` holds) that keeps every range in
    /// `labels` visible.
    pub(super) fn new(
        name: &'a str,
        full: &'a str,
        index: &LineIndex,
        labels: &[TextRange],
    ) -> Self {
        let starts = index.starts();
        let line_of = |offset: usize| {
            starts
                .partition_point(|&start| start <= offset)
                .saturating_sub(1)
        };
        let last_line = starts.len().saturating_sub(1);
        let mut wanted: Vec<usize> = Vec::new();
        for label in labels {
            let first = line_of(label.start).saturating_sub(2);
            let last = (line_of(label.end) + 2).min(last_line);
            wanted.extend(first..=last);
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut source = String::new();
        let mut lines = Vec::with_capacity(wanted.len());
        for (n, &i) in wanted.iter().enumerate() {
            let start = starts[i];
            let end = starts.get(i + 1).map_or(full.len(), |next| next - 1);
            let text = &full[start..end];
            let excerpt_start = source.len();
            let mut pieces = Vec::new();
            if text.len() <= LONG_LINE_CHARS || text.chars().count() <= LONG_LINE_CHARS {
                copy(&mut source, &mut pieces, full, start..end);
            } else {
                for (n, window) in windows(full, start..end, labels).into_iter().enumerate() {
                    if n > 0 || window.start > start {
                        source.push_str(if n > 0 { " … " } else { ELLIPSIS });
                    }
                    copy(&mut source, &mut pieces, full, window);
                }
                if pieces
                    .last()
                    .is_some_and(|piece| piece.source + piece.len < end)
                {
                    source.push_str(ELLIPSIS);
                }
            }
            lines.push(Line {
                number: i,
                excerpt_start,
                source_start: start,
                pieces,
            });
            if n + 1 < wanted.len() {
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

    /// The excerpt's line with this index in the full text.
    fn line(&self, number: usize) -> Option<&Line> {
        let at = self.lines.partition_point(|line| line.number < number);
        self.lines.get(at).filter(|line| line.number == number)
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

/// Copies a stretch of the full text into the excerpt as pieces, showing the characters a
/// terminal would interpret (escape sequences in a report's text) escaped between them.
fn copy(source: &mut String, pieces: &mut Vec<Piece>, full: &str, range: Range<usize>) {
    let text = &full[range.clone()];
    let mut from = 0;
    for (at, c) in text
        .char_indices()
        .filter(|&(_, c)| super::is_unsafe_char(c))
    {
        if at > from {
            pieces.push(Piece {
                excerpt: source.len(),
                source: range.start + from,
                len: at - from,
            });
            source.push_str(&text[from..at]);
        }
        source.push_str(&super::escaped_char(c));
        from = at + c.len_utf8();
    }
    pieces.push(Piece {
        excerpt: source.len(),
        source: range.start + from,
        len: text.len() - from,
    });
    source.push_str(&text[from..]);
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
        .flat_map(|label| {
            let start = char_floor(label.start.max(line.start));
            let end = char_floor(label.end.min(line.end));
            if full[start..end].chars().nth(LONG_LINE_CHARS).is_some() {
                // A label longer than a long line: its start and its end.
                vec![
                    back(start, CONTEXT_CHARS)..forward(start, CONTEXT_CHARS),
                    back(end, CONTEXT_CHARS)..forward(end, CONTEXT_CHARS),
                ]
            } else {
                let window = back(start, CONTEXT_CHARS)..forward(end, CONTEXT_CHARS);
                vec![window]
            }
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

    /// The index in the full text of the line holding this excerpt position.
    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let at = self
            .lines
            .partition_point(|line| line.excerpt_start <= byte_index)
            .saturating_sub(1);
        Ok(self.lines.get(at).map_or(0, |line| line.number))
    }

    /// The excerpt range of a line of the full text; an error for a line not copied (codespan
    /// then stops looking for context lines).
    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let at = self.lines.partition_point(|line| line.number < line_index);
        let line = self
            .lines
            .get(at)
            .filter(|line| line.number == line_index)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.last().map_or(0, |line| line.number),
            })?;
        let end = self
            .lines
            .get(at + 1)
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
        let Some(line) = self.line(line_index) else {
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
        let excerpt = Excerpt::new("x.txt", &full, &LineIndex::new(&full), &[label]);
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
