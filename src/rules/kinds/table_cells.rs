//! `table-cells`: every row of the layout is there with the right number of figures, and every
//! cell holds a valid figure for its column (a non-negative whole number for counts).
//!
//! Findings come in types — `missing-row`, `short-row`, `extra-cells`, `blank`, `placeholder`,
//! `invalid`, `unrecognised-row`, `empty-table` — each its own message key, so each can have its
//! own severity in the rule's `[severity-for]` (a blank cell is a warning, "write 0"; text in a
//! count cell an error). A row read from a copy whose layout had to be interpreted (text, a PDF's
//! lines) that comes out short is `short-row-extracted`: blank cells may have been dropped by the
//! reading, so it is said to be about the copy.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Diagnostic, Label};
use crate::model::{CellProblem, Domain, Provenance, RowCells, TableId, TypedRow, TypedTable};
use crate::rules::Context;
use crate::text::TextRange;

const ROW_COUNT: &[&str] = &["table", "row", "found", "expected"];

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
        MessageSpec::required("missing-row", &["table", "row"]),
        MessageSpec::required("short-row", ROW_COUNT),
        MessageSpec::required("short-row-extracted", ROW_COUNT).about_reading(),
        MessageSpec::required("extra-cells", ROW_COUNT),
        MessageSpec::required("blank", &["table", "row", "columns", "count"]),
        MessageSpec::required("placeholder", &["table", "row", "columns", "count", "value"]),
        MessageSpec::required("invalid", &["table", "row", "column", "value", "domain"]),
        MessageSpec::required("unrecognised-row", &["table", "label"]),
        MessageSpec::required("empty-table", &["table"]),
        MessageSpec::required("label-empty-table", &["table"]),
        MessageSpec::required("label-row-after", &["row"]),
        MessageSpec::required("label-row-expected", &["row"]),
        MessageSpec::required("label-count", &["found", "expected"]),
        MessageSpec::required("label-blank", &["column"]),
        MessageSpec::required("label-placeholder", &["value"]),
        MessageSpec::required("label-invalid", &["domain"]),
        MessageSpec::required("label-unrecognised", &[]),
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
                self.check_table(context, table);
            }
        }
    }
}

impl TableCells {
    fn diagnostic(
        &self,
        context: &Context<'_>,
        finding: &str,
        vars: &[(&str, String)],
        table: &TypedTable,
        row: Option<&TypedRow>,
    ) -> Diagnostic {
        let mut diagnostic = context.diagnostic(finding, vars);
        diagnostic.cell = Some(CellRef {
            table: table.id,
            row: row.map(|row| row.key.to_owned()),
            column: None,
        });
        diagnostic
    }

    fn check_table(&self, context: &mut Context<'_>, table: &TypedTable) {
        let name = table.id.name().to_owned();
        let table_line = first_line(&context.doc.text, table.range);
        if table
            .rows
            .iter()
            .all(|row| matches!(row.cells, RowCells::Missing))
        {
            let label = context.message("label-empty-table", &[("table", name.clone())]);
            let diagnostic = self
                .diagnostic(context, "empty-table", &[("table", name)], table, None)
                .with_primary(Label::new(table_line, label));
            context.emit(diagnostic);
            return;
        }
        // Rows sharing one misaligned source row (表四's three groups) are reported once.
        let mut misaligned: Vec<(Option<TextRange>, Vec<&TypedRow>)> = Vec::new();
        let mut previous_label = None;
        for row in &table.rows {
            match &row.cells {
                RowCells::Missing => {
                    let row_var = [("row", row.display.to_owned())];
                    let label = match previous_label {
                        Some(range) => {
                            Label::new(range, context.message("label-row-after", &row_var))
                        }
                        None => Label::new(
                            table_line,
                            context.message("label-row-expected", &row_var),
                        ),
                    };
                    let vars = [("table", name.clone()), ("row", row.display.to_owned())];
                    let mut diagnostic = self
                        .diagnostic(context, "missing-row", &vars, table, Some(row))
                        .with_primary(label);
                    // In a table whose layout had to be interpreted, a row not found may be one
                    // the reading lost.
                    if row.provenance != Provenance::AsWritten {
                        diagnostic = diagnostic.from_extraction();
                    }
                    context.emit(diagnostic);
                }
                RowCells::Misaligned(_) => {
                    match misaligned.iter_mut().find(|(label, _)| *label == row.label) {
                        Some((_, rows)) => rows.push(row),
                        None => misaligned.push((row.label, vec![row])),
                    }
                }
                RowCells::Aligned(cells) => self.check_cells(context, table, row, cells),
                // Figures that ran together are table-unreadable's to report.
                RowCells::Unreadable(_) => {}
            }
            previous_label = row.label.or(previous_label);
        }
        for (label, rows) in misaligned {
            self.report_misaligned(context, table, label, &rows);
        }
        for range in &table.unrecognised {
            let label_text = first_line(&context.doc.text, *range);
            let vars = [
                ("table", name.clone()),
                (
                    "label",
                    context.doc.slice(label_text).chars().take(30).collect(),
                ),
            ];
            let label = context.message("label-unrecognised", &[]);
            let diagnostic = self
                .diagnostic(context, "unrecognised-row", &vars, table, None)
                .with_primary(Label::new(label_text, label));
            context.emit(diagnostic);
        }
    }

    fn report_misaligned(
        &self,
        context: &mut Context<'_>,
        table: &TypedTable,
        label: Option<TextRange>,
        rows: &[&TypedRow],
    ) {
        let Some(RowCells::Misaligned(values)) = rows.first().map(|row| &row.cells) else {
            return;
        };
        let found = values.len();
        let expected: usize = rows.iter().map(|row| row.columns.len()).sum();
        let display = rows
            .iter()
            .map(|row| row.display)
            .collect::<Vec<_>>()
            .join("、");
        let vars = [
            ("table", table.id.name().to_owned()),
            ("row", display),
            ("found", found.to_string()),
            ("expected", expected.to_string()),
        ];
        // A row whose place had to be inferred may have lost blank cells (or gained some) in the
        // reading.
        let extracted = rows
            .iter()
            .any(|row| row.provenance != Provenance::AsWritten);
        let key = match (found < expected, extracted) {
            (true, true) => "short-row-extracted",
            (true, false) => "short-row",
            (false, _) => "extra-cells",
        };
        let mut diagnostic = context.diagnostic(key, &vars);
        if extracted {
            diagnostic = diagnostic.from_extraction();
        }
        diagnostic.cell = Some(CellRef {
            table: table.id,
            row: rows.first().map(|row| row.key.to_owned()),
            column: None,
        });
        let label_range = label.unwrap_or_else(|| first_line(&context.doc.text, table.range));
        let label = context.message(
            "label-count",
            &[
                ("found", found.to_string()),
                ("expected", expected.to_string()),
            ],
        );
        diagnostic =
            diagnostic.with_primary(Label::new(first_line(&context.doc.text, label_range), label));
        for value in values {
            diagnostic = diagnostic.with_secondary(Label::new(value.range, ""));
        }
        context.emit(diagnostic);
    }

    fn check_cells(
        &self,
        context: &mut Context<'_>,
        table: &TypedTable,
        row: &TypedRow,
        cells: &[crate::model::TypedCell],
    ) {
        let mut blanks: Vec<(usize, TextRange)> = Vec::new();
        let mut placeholders: Vec<(usize, TextRange, String)> = Vec::new();
        for (index, (cell, (column, domain))) in cells.iter().zip(&row.columns).enumerate() {
            match cell.problem(*domain) {
                None => {}
                Some(CellProblem::Blank) => blanks.push((index, cell.range)),
                Some(CellProblem::Placeholder(text)) => {
                    placeholders.push((index, cell.range, text))
                }
                Some(_) => {
                    let domain_words = context.message(domain_key(*domain), &[]);
                    let vars = [
                        ("table", table.id.name().to_owned()),
                        ("row", row.display.to_owned()),
                        ("column", (*column).to_owned()),
                        ("value", context.doc.slice(cell.range).trim().to_owned()),
                        ("domain", domain_words.clone()),
                    ];
                    let label = context.message("label-invalid", &[("domain", domain_words)]);
                    let mut diagnostic = self
                        .diagnostic(context, "invalid", &vars, table, Some(row))
                        .with_primary(Label::new(cell.range, label));
                    if let Some(cell_ref) = &mut diagnostic.cell {
                        cell_ref.column = Some((*column).to_owned());
                    }
                    context.emit(diagnostic);
                }
            }
        }
        let column_list = |indices: &mut dyn Iterator<Item = usize>| -> String {
            indices
                .map(|index| format!("「{}」", row.columns[index].0))
                .collect::<Vec<_>>()
                .join("")
        };
        if !blanks.is_empty() {
            let vars = [
                ("table", table.id.name().to_owned()),
                ("row", row.display.to_owned()),
                ("columns", column_list(&mut blanks.iter().map(|(i, _)| *i))),
                ("count", blanks.len().to_string()),
            ];
            let mut diagnostic = self.diagnostic(context, "blank", &vars, table, Some(row));
            for (index, range) in &blanks {
                let label =
                    context.message("label-blank", &[("column", row.columns[*index].0.to_owned())]);
                diagnostic = diagnostic.with_primary(Label::new(*range, label));
            }
            context.emit(diagnostic);
        }
        if !placeholders.is_empty() {
            let mut values: Vec<String> = placeholders
                .iter()
                .map(|(_, _, text)| text.clone())
                .collect();
            values.dedup();
            let vars = [
                ("table", table.id.name().to_owned()),
                ("row", row.display.to_owned()),
                (
                    "columns",
                    column_list(&mut placeholders.iter().map(|(i, _, _)| *i)),
                ),
                ("count", placeholders.len().to_string()),
                ("value", values.join("、")),
            ];
            let mut diagnostic = self.diagnostic(context, "placeholder", &vars, table, Some(row));
            for (_, range, text) in &placeholders {
                let label = context.message("label-placeholder", &[("value", text.clone())]);
                diagnostic = diagnostic.with_primary(Label::new(*range, label));
            }
            context.emit(diagnostic);
        }
    }
}
