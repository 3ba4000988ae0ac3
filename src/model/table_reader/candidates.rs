//! Candidate rows: a row's label pieces and its figures, from whatever the readers produced.
//!
//! A table with cells (HTML, Word, a PDF rebuilt by geometry) gives its rows as they are. A table
//! whose layout had to be interpreted — text flattened one cell per line, a Markdown pipe table
//! made by a converter — is tidied first, because converters cut rows apart: blank cells in the
//! label area (a merged label cell repeated as blanks) are left out, a cell holding several
//! figures (`3001 53`) gives each of them, and label lines without figures are held as *pending*
//! labels of the next row with figures, a numbered label wrapped over lines (`5.要求行政机关确认
//! 或重新出` · `具已获取信息`) joined back into one. The row reader may then name a row by a pending
//! label when its own names none: a converter put the label on a line of its own. Unnumbered label
//! lines right after a row with figures are also kept as that row's *trailing* labels: a label
//! wrapped around its figures (`1.申请人无正当理由逾期不` · figures · `补正、行政机关…`) ends there.

use super::super::ordinal::split_ordinal;
use crate::source::{Cell, CellContent, Document, Table, TableKind, cell::classify};
use crate::text::{TextRange, fold};

/// A label piece of a row.
#[derive(Clone, Debug)]
pub(super) struct Label {
    pub(super) text: String,
    /// The text normalised ([`fold`]), once: every layout tried matches it.
    pub(super) folded: String,
    pub(super) range: TextRange,
}

impl Label {
    pub(super) fn new(text: String, range: TextRange) -> Self {
        Self {
            folded: fold(&text),
            text,
            range,
        }
    }
}

/// A figure (or blank, or placeholder) of a row.
#[derive(Clone, Debug)]
pub(super) struct Value {
    pub(super) content: CellContent,
    pub(super) range: TextRange,
    /// The grid column of the cell it came from (for placing by header cells).
    pub(super) column: usize,
}

/// A physical row: its leading label pieces and the figures after them.
#[derive(Debug)]
pub(super) struct Candidate<'a> {
    pub(super) labels: Vec<Label>,
    pub(super) values: Vec<Value>,
    /// Label lines just before this row that have no figures of their own (a converter may have
    /// put this row's label there).
    pub(super) pending: Vec<Label>,
    /// Unnumbered label lines just after this row (the end of its label, wrapped around its
    /// figures); they are the next row's pending labels too.
    pub(super) trailing: Vec<Label>,
    pub(super) range: TextRange,
    /// The source table, and the row's index in it (for its header cells); none for a paragraph.
    pub(super) table: Option<&'a Table>,
    pub(super) row: usize,
    pub(super) kind: TableKind,
}

impl Candidate<'_> {
    pub(super) fn has_figure(&self) -> bool {
        self.values
            .iter()
            .any(|value| matches!(value.content, CellContent::Number(_) | CellContent::Run(_)))
    }

    pub(super) fn run_on(&self) -> bool {
        self.kind == TableKind::RunTogether
    }
}

/// Whether a reader had to interpret a table's layout (rather than read written cells), so that
/// its rows may come apart.
pub(super) fn interpreted(kind: TableKind) -> bool {
    matches!(kind, TableKind::Flattened | TableKind::Markdown)
}

fn label(cell: &Cell) -> Label {
    Label::new(cell.text.clone(), cell.range)
}

fn value(cell: &Cell) -> Value {
    Value {
        content: cell.content.clone(),
        range: cell.range,
        column: cell.column,
    }
}

/// The figures of a text cell that holds several of them apart (`3001 53`), with their spans.
fn figures_in(doc: &Document, cell: &Cell) -> Option<Vec<Value>> {
    let source = doc.slice(cell.range);
    let mut figures = Vec::new();
    let mut offset = 0;
    for token in source.split_whitespace() {
        let at = offset + source[offset..].find(token)?;
        offset = at + token.len();
        let content = classify(token);
        if !content.is_value_like() {
            return None;
        }
        let start = cell.range.start + at;
        figures.push(Value {
            content,
            range: TextRange::new(start, start + token.len()),
            column: cell.column,
        });
    }
    (figures.len() > 1).then_some(figures)
}

/// The candidate rows of a source table, as written.
pub(super) fn of_table<'a>(doc: &Document, table: &'a Table) -> Vec<Candidate<'a>> {
    let tidy = interpreted(table.kind);
    table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut labels = Vec::new();
            let mut values = Vec::new();
            for cell in &row.cells {
                let is_text = matches!(cell.content, CellContent::Text(_));
                if values.is_empty() && is_text {
                    if tidy && let Some(figures) = figures_in(doc, cell) {
                        values.extend(figures);
                    } else {
                        labels.push(label(cell));
                    }
                } else if values.is_empty() && tidy && cell.content == CellContent::Blank {
                    // A merged label cell repeated as blanks.
                } else if tidy
                    && is_text
                    && let Some(figures) = figures_in(doc, cell)
                {
                    values.extend(figures);
                } else {
                    values.push(value(cell));
                }
            }
            Candidate {
                labels,
                values,
                pending: Vec::new(),
                trailing: Vec::new(),
                range: row.range,
                table: Some(table),
                row: r,
                kind: table.kind,
            }
        })
        .collect()
}

/// A short paragraph between the pieces of an interpreted table: a label on a line of its own.
pub(super) fn of_paragraph<'a>(doc: &Document, range: TextRange) -> Option<Candidate<'a>> {
    let text = doc.slice(range).trim();
    let short = text.chars().count() <= 64 && !text.contains(['。', '；', '！', '？']);
    (short && !text.is_empty()).then(|| Candidate {
        labels: vec![Label::new(text.to_owned(), range)],
        values: Vec::new(),
        pending: Vec::new(),
        trailing: Vec::new(),
        range,
        table: None,
        row: 0,
        kind: TableKind::Markdown,
    })
}

fn numbered(label: &Label) -> bool {
    split_ordinal(&label.folded).0.is_some()
}

/// Gathers label lines without figures into the pending labels of the next row with figures,
/// joining a numbered label wrapped over several lines. Rows of tables with written cells are
/// left as they are.
pub(super) fn tidy(candidates: Vec<Candidate<'_>>) -> Vec<Candidate<'_>> {
    let mut out = Vec::with_capacity(candidates.len());
    let mut pending: Vec<Label> = Vec::new();
    let mut continues = false;
    // Whether label lines may still end the label of the last row pushed.
    let mut trailing_open = false;
    for mut candidate in candidates {
        if !interpreted(candidate.kind) {
            pending.clear();
            continues = false;
            trailing_open = false;
            out.push(candidate);
            continue;
        }
        if candidate.values.is_empty() {
            for label in candidate.labels {
                trailing_open &= !numbered(&label);
                if trailing_open && let Some(last) = out.last_mut() {
                    last.trailing.push(label.clone());
                }
                match pending.last_mut() {
                    // A numbered label wrapped onto this line.
                    Some(previous) if continues && !numbered(&label) => {
                        previous.text.push_str(&label.text);
                        previous.folded = fold(&previous.text);
                        previous.range = previous.range.cover(label.range);
                    }
                    _ => {
                        continues = numbered(&label);
                        pending.push(label);
                    }
                }
            }
            continue;
        }
        candidate.pending = std::mem::take(&mut pending);
        continues = false;
        trailing_open = true;
        out.push(candidate);
    }
    if !pending.is_empty() {
        let range = pending
            .iter()
            .map(|label| label.range)
            .reduce(TextRange::cover)
            .unwrap_or_default();
        out.push(Candidate {
            labels: pending,
            values: Vec::new(),
            pending: Vec::new(),
            trailing: Vec::new(),
            range,
            table: None,
            row: 0,
            kind: TableKind::Markdown,
        });
    }
    out
}
