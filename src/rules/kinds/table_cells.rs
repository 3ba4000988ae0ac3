//! `table-cells`: every row of the layout is there with the right number of figures, and every
//! cell holds a valid figure for its column (a non-negative whole number for counts).
//!
//! Findings come in types — `missing-row`, `short-row`, `extra-cells`, `blank`, `placeholder`,
//! `invalid`, `unrecognised-row`, `empty-table` — each with its own message and, through
//! `[check.severity]`, its own severity (a blank cell is a warning, "write 0"; text in a count
//! cell an error).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Check, MessageSpec};
use crate::diagnostic::{CellRef, Diagnostic, Label, Severity};
use crate::model::tables::TableSource;
use crate::model::{CellProblem, Domain, RowCells, TableId, TypedRow, TypedTable};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};
use crate::text::TextRange;

const FINDINGS: &[&str] = &[
    "missing-row",
    "short-row",
    "extra-cells",
    "blank",
    "placeholder",
    "invalid",
    "unrecognised-row",
    "empty-table",
];

const ROW_COUNT: &[&str] = &["table", "row", "found", "expected"];

const MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        key: "missing-row",
        placeholders: &["table", "row"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "short-row",
        placeholders: ROW_COUNT,
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "short-row-flattened",
        placeholders: ROW_COUNT,
        required: false,
        extraction: true,
    },
    MessageSpec {
        key: "extra-cells",
        placeholders: ROW_COUNT,
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "blank",
        placeholders: &["table", "row", "columns", "count"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "placeholder",
        placeholders: &["table", "row", "columns", "count", "value"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "invalid",
        placeholders: &["table", "row", "column", "value", "domain"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "unrecognised-row",
        placeholders: &["table", "label"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "empty-table",
        placeholders: &["table"],
        required: true,
        extraction: false,
    },
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
    tables: Vec<Spanned<String>>,
    #[serde(default)]
    severity: Option<Spanned<BTreeMap<String, Severity>>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TableCells {
    tables: Vec<TableId>,
    severity: BTreeMap<String, Severity>,
}

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let tables = super::parse_tables(source, &file.check.tables)?;
    let severity = super::parse_severities(source, file.check.severity.as_ref(), FINDINGS)?;
    let check = Check::TableCells(TableCells { tables, severity });
    load::finish(source, file, check, MESSAGES)
}

fn domain_words(domain: Domain) -> &'static str {
    match domain {
        Domain::Count => "非负整数",
        Domain::Signed => "整数",
        Domain::Amount => "非负数",
    }
}

/// The span of the first line of `range`.
fn first_line(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let end = slice.find('\n').map_or(range.end, |i| range.start + i);
    TextRange::new(range.start, end)
}

impl TableCells {
    fn severity(&self, context: &Context<'_>, finding: &str) -> Severity {
        self.severity
            .get(finding)
            .copied()
            .unwrap_or_else(|| context.severity())
    }

    fn diagnostic(
        &self,
        context: &Context<'_>,
        finding: &str,
        vars: &[(&str, String)],
        table: &TypedTable,
        row: Option<&TypedRow>,
    ) -> Diagnostic {
        let mut diagnostic = context.diagnostic(self.severity(context, finding), finding, vars);
        diagnostic.cell = Some(CellRef {
            table: table.id,
            row: row.map(|row| row.key.to_owned()),
            column: None,
        });
        diagnostic
    }

    pub(super) fn run(&self, context: &mut Context<'_>) {
        for id in &self.tables {
            if let Some(table) = context.report.table(*id) {
                self.check_table(context, table);
            }
        }
    }

    fn check_table(&self, context: &mut Context<'_>, table: &TypedTable) {
        let name = table.id.name().to_owned();
        let table_line = first_line(&context.doc.text, table.range);
        if table
            .rows
            .iter()
            .all(|row| matches!(row.cells, RowCells::Missing))
        {
            let diagnostic = self
                .diagnostic(context, "empty-table", &[("table", name)], table, None)
                .with_primary(Label::new(table_line, "表中没有可识别的数据行"));
            context.emit(diagnostic);
            return;
        }
        // Rows sharing one misaligned source row (表四's three groups) are reported once.
        let mut misaligned: Vec<(Option<TextRange>, Vec<&TypedRow>)> = Vec::new();
        let mut previous_label = None;
        for row in &table.rows {
            match &row.cells {
                RowCells::Missing => {
                    let label = match previous_label {
                        Some(range) => {
                            Label::new(range, format!("此行之后应有「{}」行", row.display))
                        }
                        None => Label::new(table_line, format!("表中应有「{}」行", row.display)),
                    };
                    let vars = [("table", name.clone()), ("row", row.display.to_owned())];
                    let mut diagnostic = self
                        .diagnostic(context, "missing-row", &vars, table, Some(row))
                        .with_primary(label);
                    // In a table rebuilt from a crawler's text or a PDF, a row not found may be
                    // one the reading lost.
                    if matches!(
                        table.source,
                        TableSource::RunTogether | TableSource::PdfLayout
                    ) {
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
                RowCells::Unreadable => {}
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
            let diagnostic = self
                .diagnostic(context, "unrecognised-row", &vars, table, None)
                .with_primary(Label::new(label_text, "不是该表的标准行"));
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
        let flattened = table.source == TableSource::Flattened;
        let (finding, key) = match (found < expected, flattened) {
            (true, true) if context.rule.messages.contains_key("short-row-flattened") => {
                ("short-row", "short-row-flattened")
            }
            (true, _) => ("short-row", "short-row"),
            (false, _) => ("extra-cells", "extra-cells"),
        };
        let severity = self.severity(context, finding);
        let mut diagnostic = context.diagnostic(severity, key, &vars);
        // A row rebuilt from a PDF's positions may be short because of the reading.
        if table.source == TableSource::PdfLayout {
            diagnostic = diagnostic.from_extraction();
        }
        diagnostic.cell = Some(CellRef {
            table: table.id,
            row: rows.first().map(|row| row.key.to_owned()),
            column: None,
        });
        let label_range = label.unwrap_or_else(|| first_line(&context.doc.text, table.range));
        diagnostic = diagnostic.with_primary(Label::new(
            first_line(&context.doc.text, label_range),
            format!("{found} 个数值，应为 {expected} 个"),
        ));
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
                    let vars = [
                        ("table", table.id.name().to_owned()),
                        ("row", row.display.to_owned()),
                        ("column", (*column).to_owned()),
                        ("value", context.doc.slice(cell.range).trim().to_owned()),
                        ("domain", domain_words(*domain).to_owned()),
                    ];
                    let mut diagnostic = self
                        .diagnostic(context, "invalid", &vars, table, Some(row))
                        .with_primary(Label::new(
                            cell.range,
                            format!("应为{}", domain_words(*domain)),
                        ));
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
                diagnostic = diagnostic.with_primary(Label::new(
                    *range,
                    format!("「{}」空白", row.columns[*index].0),
                ));
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
                diagnostic =
                    diagnostic.with_primary(Label::new(*range, format!("「{text}」不是数字")));
            }
            context.emit(diagnostic);
        }
    }
}
