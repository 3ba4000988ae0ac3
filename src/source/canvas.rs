//! The canonical text of structured documents (HTML pages, Word files) as it is written: one line
//! per paragraph, one line per table row with the cells joined by ` | `, merged cells placed on a
//! grid within fixed limits.

use super::cell::classify;
use super::{Block, Cell, CellContent, Row, Table, TableKind};
use crate::text::TextRange;

/// Limits that keep a hostile table from exhausting memory.
pub(super) const MAX_COLSPAN: usize = 64;
pub(super) const MAX_ROWSPAN: usize = 512;
pub(super) const MAX_COLUMNS: usize = 512;
const GRID_BUDGET: usize = 4_000_000;

/// A cell as read: text, colspan, rowspan (0 = to the end of the table).
pub(super) type RawCell = (String, usize, usize);

/// A placed cell: text, first column, colspan, rowspan.
type PlacedCell = (String, usize, usize, usize);

/// Places cells on the grid, skipping slots taken by cells merged down from rows above.
fn place_cells(rows: &[Vec<RawCell>]) -> Vec<Vec<PlacedCell>> {
    let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    let mut budget = GRID_BUDGET;
    let mut placed = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut column = 0;
        let mut row_cells = Vec::with_capacity(row.len());
        for (text, colspan, rowspan) in row {
            while occupied[r].get(column).copied().unwrap_or(false) {
                column += 1;
            }
            if column >= MAX_COLUMNS {
                break;
            }
            let remaining = rows.len() - r;
            let mut rowspan = if *rowspan == 0 { remaining } else { *rowspan }.clamp(1, remaining);
            let mut colspan = (*colspan).min(MAX_COLUMNS - column);
            if rowspan * colspan > budget {
                rowspan = 1;
                colspan = 1;
            }
            budget = budget.saturating_sub(rowspan * colspan);
            for slots in &mut occupied[r..r + rowspan] {
                if slots.len() < column + colspan {
                    slots.resize(column + colspan, false);
                }
                for slot in &mut slots[column..column + colspan] {
                    *slot = true;
                }
            }
            row_cells.push((text.clone(), column, colspan, rowspan));
            column += colspan;
        }
        placed.push(row_cells);
    }
    placed
}

/// Collapses runs of whitespace (and zero-width characters) to one space, trimming the ends.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The canonical text being written, with the current line still open.
#[derive(Default)]
pub(super) struct Canvas {
    pub(super) text: String,
    pub(super) blocks: Vec<Block>,
    /// Paragraphs the source marks as headings (Word heading styles), with their level.
    pub(super) heading_hints: Vec<(TextRange, u8)>,
    line: String,
    pending_space: bool,
    /// Lines ended so far, counted up to byte `counted` of `text` (for [`Canvas::pad_to_line`]).
    lines_ended: usize,
    counted: usize,
}

impl Canvas {
    /// Appends text to the current line, collapsing whitespace.
    pub(super) fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
                self.pending_space = !self.line.is_empty();
            } else {
                if self.pending_space {
                    self.line.push(' ');
                    self.pending_space = false;
                }
                self.line.push(c);
            }
        }
    }

    /// The line being written.
    pub(super) fn current_line(&self) -> &str {
        &self.line
    }

    /// Drops the line being written.
    pub(super) fn discard_line(&mut self) {
        self.line.clear();
        self.pending_space = false;
    }

    /// Ends the current line as a paragraph; returns its range if it held anything.
    pub(super) fn flush(&mut self) -> Option<TextRange> {
        let mut written = None;
        if !self.line.is_empty() {
            let start = self.text.len();
            self.text.push_str(&self.line);
            let range = TextRange::new(start, self.text.len());
            self.blocks.push(Block::Paragraph(range));
            self.text.push('\n');
            self.line.clear();
            written = Some(range);
        }
        self.pending_space = false;
        written
    }

    /// Ends the current line as a paragraph the source marks as a heading of `level`.
    pub(super) fn flush_heading(&mut self, level: u8) {
        if let Some(range) = self.flush() {
            self.heading_hints.push((range, level));
        }
    }

    /// Writes an image as a line of its own (`[图片：alt]`): a table or chart published as a
    /// picture has no text to read, but its place matters.
    pub(super) fn push_image(&mut self, alt: &str) {
        self.flush();
        let alt = collapse_whitespace(alt);
        let start = self.text.len();
        if alt.is_empty() {
            self.text.push_str("[图片]");
        } else {
            self.text.push_str("[图片：");
            self.text.push_str(&alt);
            self.text.push(']');
        }
        self.blocks
            .push(Block::Image(TextRange::new(start, self.text.len())));
        self.text.push('\n');
    }

    /// Ends the current line and adds blank lines until the next line written is line `line`
    /// (1-based) of the canonical text, when it is not there yet: so that a block keeps the line
    /// number it has in its source (Markdown).
    pub(super) fn pad_to_line(&mut self, line: usize) {
        self.flush();
        self.lines_ended += self.text.as_bytes()[self.counted..]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        while self.lines_ended + 1 < line {
            self.text.push('\n');
            self.lines_ended += 1;
        }
        self.counted = self.text.len();
    }

    /// Writes a table from its rows of cells (text, colspan, rowspan), one line per row.
    pub(super) fn push_table(&mut self, raw_rows: &[Vec<RawCell>], kind: TableKind) {
        if raw_rows.iter().all(Vec::is_empty) {
            return;
        }
        let placed = place_cells(raw_rows);
        let table_start = self.text.len();
        let mut rows = Vec::with_capacity(placed.len());
        for row_cells in placed {
            let row_start = self.text.len();
            let mut cells = Vec::with_capacity(row_cells.len());
            for (i, (text, column, column_span, row_span)) in row_cells.into_iter().enumerate() {
                if i > 0 {
                    self.text.push_str(" | ");
                }
                let start = self.text.len();
                self.text.push_str(&text);
                let content = classify(&text);
                cells.push(Cell {
                    range: TextRange::new(start, self.text.len()),
                    text,
                    content,
                    column,
                    column_span,
                    row_span,
                });
            }
            let row_end = self.text.len();
            for cell in &mut cells {
                if cell.content == CellContent::Blank {
                    // Point at the gap between the separators around a blank cell.
                    let at = cell.range.start;
                    cell.range =
                        TextRange::new(at.saturating_sub(1).max(row_start), (at + 1).min(row_end));
                }
            }
            if row_end > row_start {
                self.text.push('\n');
            }
            rows.push(Row {
                range: TextRange::new(row_start, row_end),
                cells,
            });
        }
        let table_end = self.text.len().saturating_sub(1).max(table_start);
        self.blocks.push(Block::Table(Table::new(
            TextRange::new(table_start, table_end),
            rows,
            kind,
        )));
    }

    /// Puts `line` before everything written so far (the page `<title>`, absent from the body).
    pub(super) fn with_first_line(self, line: &str) -> (String, Vec<Block>) {
        let shift = line.len() + 1;
        let mut text = String::with_capacity(self.text.len() + shift);
        text.push_str(line);
        text.push('\n');
        text.push_str(&self.text);
        let moved = |range: TextRange| TextRange::new(range.start + shift, range.end + shift);
        let mut blocks = vec![Block::Paragraph(TextRange::new(0, line.len()))];
        for block in self.blocks {
            blocks.push(match block {
                Block::Paragraph(range) => Block::Paragraph(moved(range)),
                Block::Image(range) => Block::Image(moved(range)),
                Block::Table(mut table) => {
                    table.range = moved(table.range);
                    for row in &mut table.rows {
                        row.range = moved(row.range);
                        for cell in &mut row.cells {
                            cell.range = moved(cell.range);
                        }
                    }
                    Block::Table(table)
                }
            });
        }
        (text, blocks)
    }
}
