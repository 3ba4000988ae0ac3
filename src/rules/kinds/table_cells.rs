//! `table-cells`: every row of the layout is there with the right number of figures, and every
//! cell holds a valid figure for its column (a non-negative whole number for counts).
//!
//! One finding per defect and table, not per cell: the rows missing, the rows with too few or too
//! many figures, the blank cells (columns blank in every row said as such: 「商业企业」至「其他」
//! 五列在全部 25 行空白), the placeholders, the invalid values, the unrecognised rows — each a message
//! key, so each can have its own severity in the rule's `[severity-for]`. A finding shows a few of
//! its cells with labels and lists every one in `cells` (JSON).
//!
//! Rows whose layout had to be interpreted (text, PDF lines, a converter's tables) that are
//! missing or misaligned are the reading's doing as likely as the report's: `table-reading` reports
//! them. Their blank or invalid cells are reported here, as findings about the copy.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Diagnostic, Label};
use crate::model::{CellProblem, Domain, Provenance, RowCells, TableId, TypedRow, TypedTable};
use crate::rules::Context;
use crate::text::TextRange;

/// How many cells or rows a finding labels; the rest are listed in its `cells`.
const LABELLED: usize = 5;

const ROWS: &[&str] = &["table", "rows", "count"];
const CELLS: &[&str] = &["table", "cells", "count"];

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    tables: Vec<Spanned<String>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TableCells {
    tables: Vec<TableId>,
}

/// The message key naming a column domain in words.
fn domain_key(domain: Domain) -> &'static str {
    match domain {
        Domain::Count => "domain-count",
        Domain::Signed => "domain-signed",
        Domain::Amount => "domain-amount",
    }
}

/// The span of the first line of `range`.
fn first_line(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let end = slice.find('\n').map_or(range.end, |i| range.start + i);
    TextRange::new(range.start, end)
}

impl CheckKind for TableCells {
    const NAME: &'static str = "table-cells";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("missing-rows", ROWS),
        MessageSpec::required("short-rows", ROWS),
        MessageSpec::required("extra-cells", ROWS),
        MessageSpec::required("blank-columns", &["table", "columns", "count", "rows"]),
        MessageSpec::required("blank", CELLS),
        MessageSpec::required("placeholder", &["table", "cells", "count", "value"]),
        MessageSpec::required("invalid", CELLS),
        MessageSpec::required("invalid-extracted", CELLS).about_reading(),
        MessageSpec::required("unrecognised-rows", &["table", "labels", "count"]),
        MessageSpec::required("empty-table", &["table"]),
        MessageSpec::required("label-empty-table", &["table"]),
        MessageSpec::required("label-row-after", &["row"]),
        MessageSpec::required("label-row-expected", &["row"]),
        MessageSpec::required("label-count", &["found", "expected"]),
        MessageSpec::required("label-blank", &["column"]),
        MessageSpec::required("label-placeholder", &["value"]),
        MessageSpec::required("label-invalid", &["domain"]),
        MessageSpec::required("label-unrecognised", &[]),
        MessageSpec::required("column-range", &["first", "last", "count"]),
        MessageSpec::required("more", &["count"]),
        MessageSpec::required("domain-count", &[]),
        MessageSpec::required("domain-signed", &[]),
        MessageSpec::required("domain-amount", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            tables: compile.tables(&spec.tables)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        for id in &self.tables {
            if let Some(table) = context.report.table(*id) {
                check_table(context, table);
            }
        }
    }
}

/// A cell with a problem: its row, its column's index in the row, where it is.
struct Flagged<'t> {
    row: &'t TypedRow,
    column: usize,
    range: TextRange,
    provenance: Provenance,
}

impl Flagged<'_> {
    fn name(&self) -> String {
        format!("「{}·{}」", self.row.key, self.row.columns[self.column].0)
    }

    fn cell_ref(&self, table: TableId) -> CellRef {
        CellRef {
            table,
            row: Some(self.row.key.to_owned()),
            column: Some(self.row.columns[self.column].0.to_owned()),
        }
    }
}

/// Names listed compactly: the first few, then how many more.
fn listed(context: &Context<'_>, names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out: String = names.iter().take(SHOWN).cloned().collect();
    if names.len() > SHOWN {
        out.push_str(&context.message("more", &[("count", names.len().to_string())]));
    }
    out
}

fn row_ref(table: TableId, row: &TypedRow) -> CellRef {
    CellRef {
        table,
        row: Some(row.key.to_owned()),
        column: None,
    }
}

fn table_ref(table: TableId) -> CellRef {
    CellRef {
        table,
        row: None,
        column: None,
    }
}

fn check_table(context: &mut Context<'_>, table: &TypedTable) {
    let name = table.id.name().to_owned();
    let table_line = first_line(&context.doc.text, table.range);
    let written = |row: &TypedRow| row.provenance == Provenance::AsWritten;
    if table
        .rows
        .iter()
        .all(|row| matches!(row.cells, RowCells::Missing))
    {
        if table.rows.iter().all(written) {
            let vars = [("table", name.clone())];
            let label = Label::new(table_line, context.message("label-empty-table", &vars));
            let mut diagnostic = context.diagnostic("empty-table", &vars).with_primary(label);
            diagnostic.cell = Some(table_ref(table.id));
            context.emit(diagnostic);
        }
        return;
    }
    missing_rows(context, table, table_line);
    misaligned_rows(context, table, table_line);
    cells(context, table);
    unrecognised(context, table);
}

/// The rows of a table with written cells that are not in it: one finding.
fn missing_rows(context: &mut Context<'_>, table: &TypedTable, table_line: TextRange) {
    let mut missing = Vec::new();
    let mut previous_label = None;
    for row in &table.rows {
        if matches!(row.cells, RowCells::Missing) && row.provenance == Provenance::AsWritten {
            missing.push((row, previous_label));
        }
        previous_label = row.label.or(previous_label);
    }
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing
        .iter()
        .map(|(row, _)| format!("「{}」", row.display))
        .collect();
    let vars = [
        ("table", table.id.name().to_owned()),
        ("rows", listed(context, &names)),
        ("count", missing.len().to_string()),
    ];
    let mut diagnostic = context.diagnostic("missing-rows", &vars);
    for (row, previous) in missing.iter().take(LABELLED) {
        let row_var = [("row", row.display.to_owned())];
        let label = match previous {
            Some(range) => Label::new(*range, context.message("label-row-after", &row_var)),
            None => Label::new(table_line, context.message("label-row-expected", &row_var)),
        };
        diagnostic = diagnostic.with_primary(label);
    }
    diagnostic.cell = missing.first().map(|(row, _)| row_ref(table.id, row));
    diagnostic.cells = missing
        .iter()
        .map(|(row, _)| row_ref(table.id, row))
        .collect();
    context.emit(diagnostic);
}

/// Rows of a table with written cells whose figures cannot be placed (too few or too many): one
/// finding for the short ones, one for the long ones. Rows sharing one source row (表四's three
/// groups) count once.
fn misaligned_rows(context: &mut Context<'_>, table: &TypedTable, table_line: TextRange) {
    let mut groups: Vec<(Option<TextRange>, Vec<&TypedRow>)> = Vec::new();
    for row in &table.rows {
        if let RowCells::Misaligned(_) = row.cells
            && row.provenance == Provenance::AsWritten
        {
            match groups.iter_mut().find(|(label, _)| *label == row.label) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((row.label, vec![row])),
            }
        }
    }
    let mut short = Vec::new();
    let mut long = Vec::new();
    for (label, rows) in groups {
        let Some(RowCells::Misaligned(values)) = rows.first().map(|row| &row.cells) else {
            continue;
        };
        let found = values.len();
        let expected: usize = rows.iter().map(|row| row.columns.len()).sum();
        let entry = (label, rows, found, expected, values.clone());
        if found < expected {
            short.push(entry);
        } else {
            long.push(entry);
        }
    }
    for (key, entries) in [("short-rows", short), ("extra-cells", long)] {
        if entries.is_empty() {
            continue;
        }
        let names: Vec<String> = entries
            .iter()
            .map(|(_, rows, found, expected, _)| {
                let display = rows
                    .iter()
                    .map(|row| row.display)
                    .collect::<Vec<_>>()
                    .join("、");
                format!("「{display}」（{found}/{expected}）")
            })
            .collect();
        let vars = [
            ("table", table.id.name().to_owned()),
            ("rows", listed(context, &names)),
            ("count", entries.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic(key, &vars);
        for (label, _, found, expected, values) in entries.iter().take(LABELLED) {
            let range = label.unwrap_or(table_line);
            let message = context.message(
                "label-count",
                &[
                    ("found", found.to_string()),
                    ("expected", expected.to_string()),
                ],
            );
            diagnostic = diagnostic.with_primary(Label::new(
                first_line(&context.doc.text, range),
                message,
            ));
            for value in values {
                diagnostic = diagnostic.with_secondary(Label::new(value.range, ""));
            }
        }
        diagnostic.cell = entries
            .first()
            .and_then(|(_, rows, ..)| rows.first())
            .map(|row| row_ref(table.id, row));
        diagnostic.cells = entries
            .iter()
            .flat_map(|(_, rows, ..)| rows.iter().map(|row| row_ref(table.id, row)))
            .collect();
        context.emit(diagnostic);
    }
}

/// Blank, placeholder and invalid cells of the rows read: one finding each per table (and whether
/// each cell was read as written decides whether it is about the report or the copy).
fn cells(context: &mut Context<'_>, table: &TypedTable) {
    let mut blanks = Vec::new();
    let mut placeholders: Vec<(Flagged<'_>, String)> = Vec::new();
    let mut invalid: Vec<(Flagged<'_>, Domain)> = Vec::new();
    let mut aligned_rows = 0;
    for row in &table.rows {
        let RowCells::Aligned(cells) = &row.cells else {
            continue;
        };
        aligned_rows += 1;
        for (column, (cell, (_, domain))) in cells.iter().zip(&row.columns).enumerate() {
            let flagged = Flagged {
                row,
                column,
                range: cell.range,
                provenance: cell.provenance,
            };
            match cell.problem(*domain) {
                None => {}
                Some(CellProblem::Blank) => blanks.push(flagged),
                Some(CellProblem::Placeholder(text)) => placeholders.push((flagged, text)),
                Some(_) => invalid.push((flagged, *domain)),
            }
        }
    }
    blank_cells(context, table, blanks, aligned_rows);
    if !placeholders.is_empty() {
        let names: Vec<String> = placeholders.iter().map(|(cell, _)| cell.name()).collect();
        let mut values: Vec<String> = placeholders.iter().map(|(_, text)| text.clone()).collect();
        values.sort();
        values.dedup();
        let vars = [
            ("table", table.id.name().to_owned()),
            ("cells", listed(context, &names)),
            ("count", placeholders.len().to_string()),
            ("value", values.join("、")),
        ];
        let mut diagnostic = context.diagnostic("placeholder", &vars);
        for (cell, text) in placeholders.iter().take(LABELLED) {
            let label = context.message("label-placeholder", &[("value", text.clone())]);
            diagnostic = diagnostic.with_primary(Label::new(cell.range, label));
        }
        finish_cells(
            context,
            diagnostic,
            table,
            placeholders.iter().map(|(cell, _)| cell),
        );
    }
    // A figure misread in a copy (a PDF's text, a converter's table) is not the report's error.
    let (written, copied): (Vec<_>, Vec<_>) = invalid
        .into_iter()
        .partition(|(cell, _)| cell.provenance == Provenance::AsWritten);
    for (key, invalid) in [("invalid", written), ("invalid-extracted", copied)] {
        if invalid.is_empty() {
            continue;
        }
        let names: Vec<String> = invalid
            .iter()
            .map(|(cell, _)| {
                format!(
                    "{}「{}」",
                    cell.name(),
                    context.doc.slice(cell.range).trim()
                )
            })
            .collect();
        let vars = [
            ("table", table.id.name().to_owned()),
            ("cells", listed(context, &names)),
            ("count", invalid.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic(key, &vars);
        for (cell, domain) in invalid.iter().take(LABELLED) {
            let words = context.message(domain_key(*domain), &[]);
            let label = context.message("label-invalid", &[("domain", words)]);
            diagnostic = diagnostic.with_primary(Label::new(cell.range, label));
        }
        finish_cells(context, diagnostic, table, invalid.iter().map(|(cell, _)| cell));
    }
}

/// Blank cells: columns blank in every row read are said as such (one finding); the other blank
/// cells are one finding listing them.
fn blank_cells(
    context: &mut Context<'_>,
    table: &TypedTable,
    blanks: Vec<Flagged<'_>>,
    aligned_rows: usize,
) {
    if blanks.is_empty() {
        return;
    }
    // Columns blank in every row read (of a table whose rows share their columns).
    let shared_columns = table
        .rows
        .iter()
        .all(|row| row.columns.len() == table.column_names().len());
    let columns = table.column_names();
    let whole: Vec<usize> = if shared_columns && aligned_rows > 1 {
        (0..columns.len())
            .filter(|&c| blanks.iter().filter(|cell| cell.column == c).count() == aligned_rows)
            .collect()
    } else {
        Vec::new()
    };
    let (in_whole, rest): (Vec<Flagged<'_>>, Vec<Flagged<'_>>) = blanks
        .into_iter()
        .partition(|cell| whole.contains(&cell.column));
    if !whole.is_empty() {
        let consecutive = whole.windows(2).all(|pair| pair[1] == pair[0] + 1);
        let names = if consecutive && whole.len() > 2 {
            let first = whole.first().copied().unwrap_or_default();
            let last = whole.last().copied().unwrap_or_default();
            context.message(
                "column-range",
                &[
                    ("first", columns[first].to_owned()),
                    ("last", columns[last].to_owned()),
                    ("count", whole.len().to_string()),
                ],
            )
        } else {
            whole
                .iter()
                .map(|&c| format!("「{}」", columns[c]))
                .collect::<String>()
        };
        let vars = [
            ("table", table.id.name().to_owned()),
            ("columns", names),
            ("count", whole.len().to_string()),
            ("rows", aligned_rows.to_string()),
        ];
        let mut diagnostic = context.diagnostic("blank-columns", &vars);
        // One label per column, on its first blank cell.
        for &c in whole.iter().take(LABELLED) {
            if let Some(cell) = in_whole.iter().find(|cell| cell.column == c) {
                let label = context.message("label-blank", &[("column", columns[c].to_owned())]);
                diagnostic = diagnostic.with_primary(Label::new(cell.range, label));
            }
        }
        finish_cells(context, diagnostic, table, in_whole.iter());
    }
    if !rest.is_empty() {
        let names: Vec<String> = rest.iter().map(Flagged::name).collect();
        let vars = [
            ("table", table.id.name().to_owned()),
            ("cells", listed(context, &names)),
            ("count", rest.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic("blank", &vars);
        for cell in rest.iter().take(LABELLED) {
            let column = cell.row.columns[cell.column].0.to_owned();
            let label = context.message("label-blank", &[("column", column)]);
            diagnostic = diagnostic.with_primary(Label::new(cell.range, label));
        }
        finish_cells(context, diagnostic, table, rest.iter());
    }
}

/// Attaches the cells to a finding (the first as its cell) and emits it — about the copy when
/// none of its cells was read as written.
fn finish_cells<'c, 't: 'c>(
    context: &mut Context<'_>,
    mut diagnostic: Diagnostic,
    table: &TypedTable,
    cells: impl Iterator<Item = &'c Flagged<'t>>,
) {
    let cells: Vec<&Flagged<'_>> = cells.collect();
    diagnostic.cell = cells.first().map(|cell| cell.cell_ref(table.id));
    diagnostic.cells = cells.iter().map(|cell| cell.cell_ref(table.id)).collect();
    if cells
        .iter()
        .all(|cell| cell.provenance != Provenance::AsWritten)
    {
        diagnostic = diagnostic.from_extraction();
    }
    context.emit(diagnostic);
}

/// Rows with figures whose label names no row of the layout: one finding.
fn unrecognised(context: &mut Context<'_>, table: &TypedTable) {
    if table.unrecognised.is_empty() {
        return;
    }
    let lines: Vec<TextRange> = table
        .unrecognised
        .iter()
        .map(|range| first_line(&context.doc.text, *range))
        .collect();
    let names: Vec<String> = lines
        .iter()
        .map(|range| {
            let text: String = context.doc.slice(*range).chars().take(30).collect();
            format!("「{text}」")
        })
        .collect();
    let vars = [
        ("table", table.id.name().to_owned()),
        ("labels", listed(context, &names)),
        ("count", lines.len().to_string()),
    ];
    let mut diagnostic = context.diagnostic("unrecognised-rows", &vars);
    for range in lines.iter().take(LABELLED) {
        let label = context.message("label-unrecognised", &[]);
        diagnostic = diagnostic.with_primary(Label::new(*range, label));
    }
    diagnostic.cell = Some(table_ref(table.id));
    context.emit(diagnostic);
}
