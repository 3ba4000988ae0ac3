//! Tables drawn with characters in plain text (pandoc's plain and reStructuredText output, many
//! converters):
//!
//! ```text
//! +----------+--------+
//! | 信息内容 | 本年新 |
//! |          | 制作数 |
//! +----------+--------+
//! | 规章     | 0      |
//! +----------+--------+
//! ```
//!
//! Rows lie between border lines; a cell's text is its column's pieces on the row's lines, joined
//! (a label wrapped inside its cell reads whole). Columns are told by the `|` of each line, so a
//! wide character's width does not matter.

use super::cell::classify;
use super::{Cell, Row, Table, TableKind};
use crate::text::TextRange;

fn is_border(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 3
        && line.starts_with('+')
        && line.ends_with('+')
        && line.chars().all(|c| matches!(c, '+' | '-' | '=' | ':'))
}

fn is_content(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 2 && line.starts_with('|') && line.ends_with('|')
}

/// The byte ranges of each line of `text` (without its line break).
fn lines(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let content = piece.trim_end_matches(['\n', '\r']);
        out.push(TextRange::new(start, start + content.len()));
        start += piece.len();
    }
    out
}

/// The grid tables of a text, each with the byte range of its lines.
pub(super) fn find(text: &str) -> Vec<Table> {
    let lines = lines(text);
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_border(lines[i].slice(text)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < lines.len() {
            let line = lines[end].slice(text);
            if is_border(line) || is_content(line) {
                end += 1;
            } else {
                break;
            }
        }
        // A table ends with a border line.
        while end > start + 1 && !is_border(lines[end - 1].slice(text)) {
            end -= 1;
        }
        if end > start + 2
            && let Some(table) = read(text, &lines[start..end])
        {
            tables.push(table);
        }
        i = end.max(start + 1);
    }
    tables
}

/// The `|`-separated pieces of a content line, with their ranges (trimmed).
fn pieces(text: &str, line: TextRange) -> Vec<TextRange> {
    let content = line.slice(text);
    let Some(first) = content.find('|') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first + 1;
    while let Some(offset) = content[at..].find('|') {
        let piece = &content[at..at + offset];
        let leading = piece.len() - piece.trim_start().len();
        let start = line.start + at + leading;
        out.push(TextRange::new(start, start + piece.trim().len()));
        at += offset + 1;
    }
    out
}

fn read(text: &str, lines: &[TextRange]) -> Option<Table> {
    let mut rows = Vec::new();
    let mut pending: Vec<TextRange> = Vec::new();
    for &line in lines {
        if is_border(line.slice(text)) {
            if !pending.is_empty() {
                rows.push(row(text, &pending));
                pending.clear();
            }
        } else {
            pending.push(line);
        }
    }
    if rows.is_empty() {
        return None;
    }
    let range = lines.first()?.cover(*lines.last()?);
    Some(Table::new(range, rows, TableKind::Markdown))
}

/// One row from its lines: each column's pieces joined.
fn row(text: &str, lines: &[TextRange]) -> Row {
    let split: Vec<Vec<TextRange>> = lines.iter().map(|line| pieces(text, *line)).collect();
    let columns = split.iter().map(Vec::len).max().unwrap_or(0);
    let mut cells = Vec::with_capacity(columns);
    for column in 0..columns {
        let parts: Vec<TextRange> = split
            .iter()
            .filter_map(|pieces| pieces.get(column).copied())
            .filter(|piece| !piece.is_empty())
            .collect();
        let mut joined = String::new();
        for part in &parts {
            let piece = part.slice(text);
            // Chinese wrapped inside a cell joins without a space; other words keep one.
            let joins_cjk = joined.chars().next_back().is_some_and(|c| !c.is_ascii())
                && piece.chars().next().is_some_and(|c| !c.is_ascii());
            if !joined.is_empty() && !joins_cjk {
                joined.push(' ');
            }
            joined.push_str(piece);
        }
        // The cell's place: its first piece, or (blank) the start of its column on the first line.
        let range = parts.first().copied().unwrap_or_else(|| {
            split
                .first()
                .and_then(|pieces| pieces.get(column))
                .map_or_else(|| lines[0], |piece| TextRange::empty(piece.start))
        });
        cells.push(Cell {
            range,
            content: classify(&joined),
            text: joined,
            column,
            column_span: 1,
            row_span: 1,
        });
    }
    let range = lines[0].cover(lines[lines.len() - 1]);
    Row { range, cells }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_wrapped_over_lines_are_joined() {
        let text = "前言\n+------+-----+\n| 第二 |     |\n| 十条 |     |\n+------+-----+\n| 规章 | 0   |\n+------+-----+\n后记\n";
        let tables = find(text);
        assert_eq!(tables.len(), 1);
        let texts: Vec<Vec<&str>> = tables[0]
            .rows
            .iter()
            .map(|row| row.cells.iter().map(|cell| cell.text.as_str()).collect())
            .collect();
        assert_eq!(texts, [vec!["第二十条", ""], vec!["规章", "0"]]);
    }
}
