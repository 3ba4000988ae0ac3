//! `table-reading`: the statistical tables are there but this copy cannot be read as they were
//! published. Figures of a row ran together (rows split because exactly one split exists are
//! listed at info level, with the split); a section is empty between its heading and the next one
//! (the table was published as an image); rows of a copy whose layout had to be interpreted that
//! the reading could not find or place (`unplaced`: one finding per table listing them). These
//! findings are about the reading, not the report.

use serde::Deserialize;

use super::table_presence::{TableSpec, compile_tables, table_ref};
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::diagnostic::CellRef;
use crate::model::{Provenance, RowCells, TableId, TypedRow, TypedTable};
use crate::rules::Context;
use crate::text::TextRange;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    tables: Vec<TableSpec>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TableReading {
    tables: Vec<(TableId, String)>,
}

impl CheckKind for TableReading {
    const NAME: &'static str = "table-reading";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("unreadable", &["table", "rows", "count"]).about_reading(),
        MessageSpec::required("recovered", &["table", "rows", "count"]).about_reading(),
        MessageSpec::required("image", &["table", "section"]).about_reading(),
        MessageSpec::required("label-unreadable", &["row"]),
        MessageSpec::required("label-recovered", &["row", "cells"]),
        MessageSpec::required("note-recovered", &["row", "written", "cells"]),
        MessageSpec::required("label-image", &[]),
        MessageSpec::required("label-picture", &[]),
        MessageSpec::required("unplaced", &["table", "rows", "count"]).about_reading(),
        MessageSpec::required("row-not-found", &[]),
        MessageSpec::required("row-count", &["found", "expected"]),
        MessageSpec::required("row-scattered", &[]),
        MessageSpec::required("note-orphans", &["count"]),
        MessageSpec::required("label-unplaced", &["row"]),
        MessageSpec::required("label-orphans", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            tables: compile_tables(spec.tables, compile)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        for (id, section) in &self.tables {
            match context.report.table(*id) {
                Some(table) => {
                    unreadable(context, table);
                    unplaced(context, table);
                }
                None => image(context, *id, section),
            }
        }
    }
}

fn image(context: &mut Context<'_>, id: TableId, section: &str) {
    let Some(gap) = context.report.table_gap(id).copied() else {
        return;
    };
    let vars = [
        ("table", id.name().to_owned()),
        ("section", section.to_owned()),
    ];
    let label = match gap.image {
        Some(image) => Label::new(image, context.message("label-picture", &[])),
        None => Label::new(gap.heading, context.message("label-image", &[])),
    };
    let mut diagnostic = context.diagnostic("image", &vars).with_primary(label);
    diagnostic.cell = Some(table_ref(id));
    context.emit(diagnostic);
}

/// Where a row's figures ran together, and whether they were recovered.
fn run_of(row: &TypedRow) -> Option<(TextRange, bool)> {
    match (&row.cells, row.recovered_from) {
        (RowCells::Unreadable(run), _) => Some((*run, false)),
        (_, Some(run)) => Some((run, true)),
        _ => None,
    }
}

fn unreadable(context: &mut Context<'_>, table: &TypedTable) {
    let mut unreadable = Vec::new();
    let mut recovered = Vec::new();
    let mut seen = Vec::new();
    for row in &table.rows {
        let Some((run, was_recovered)) = run_of(row) else {
            continue;
        };
        // 表四's three groups share one run of figures: report it once.
        if seen.contains(&run) {
            continue;
        }
        seen.push(run);
        if was_recovered {
            recovered.push((row, run));
        } else {
            unreadable.push((row, run));
        }
    }
    let name = table.id.name().to_owned();
    let doc = context.doc;
    let rows_named = |rows: &[(&TypedRow, TextRange)]| {
        rows.iter()
            .map(|(row, _)| format!("「{}」", row.key))
            .collect::<String>()
    };
    if !unreadable.is_empty() {
        let vars = [
            ("table", name.clone()),
            ("rows", rows_named(&unreadable)),
            ("count", unreadable.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic("unreadable", &vars);
        // Labels on a few rows; the message names them all.
        for (row, run) in unreadable.iter().take(5) {
            let label = context.message("label-unreadable", &[("row", row.key.to_owned())]);
            diagnostic = diagnostic.with_primary(Label::new(*run, label));
        }
        diagnostic.cell = Some(table_ref(table.id));
        context.emit(diagnostic);
    }
    if !recovered.is_empty() {
        let vars = [
            ("table", name),
            ("rows", rows_named(&recovered)),
            ("count", recovered.len().to_string()),
        ];
        let mut diagnostic = context.diagnostic("recovered", &vars);
        // One label (on the first row); the notes give every row's split.
        for (n, (row, run)) in recovered.iter().enumerate() {
            // 表四: the whole run of figures, not only this group's.
            let cells: Vec<&str> = table
                .rows
                .iter()
                .filter(|other| other.recovered_from == Some(*run))
                .flat_map(|other| match &other.cells {
                    RowCells::Aligned(cells) => cells.iter().map(|c| doc.slice(c.range)).collect(),
                    _ => Vec::new(),
                })
                .collect();
            let shown = cells.join(" | ");
            let vars = [
                ("row", row.key.to_owned()),
                ("written", doc.slice(*run).to_owned()),
                ("cells", shown),
            ];
            if n == 0 {
                let label = context.message("label-recovered", &vars);
                diagnostic = diagnostic.with_primary(Label::new(*run, label));
            }
            diagnostic = diagnostic.with_note(context.message("note-recovered", &vars));
        }
        diagnostic.cell = Some(table_ref(table.id));
        context.emit(diagnostic);
    }
}

/// Rows of a copy whose layout was interpreted that the reading did not find, or whose figures it
/// could not place; and figures whose row it could not find. One finding per table.
fn unplaced(context: &mut Context<'_>, table: &TypedTable) {
    let mut rows: Vec<(&TypedRow, String)> = Vec::new();
    let mut seen = Vec::new();
    for row in &table.rows {
        if row.provenance == Provenance::AsWritten {
            continue;
        }
        let why = match &row.cells {
            RowCells::Missing => context.message("row-not-found", &[]),
            RowCells::Misaligned(values) => {
                // 表四's groups share one run of figures: once.
                if seen.contains(&row.label) {
                    continue;
                }
                seen.push(row.label);
                let expected: usize = table
                    .rows
                    .iter()
                    .filter(|other| other.label == row.label)
                    .map(|other| other.columns.len())
                    .sum();
                if values.len() == expected {
                    context.message("row-scattered", &[])
                } else {
                    context.message(
                        "row-count",
                        &[
                            ("found", values.len().to_string()),
                            ("expected", expected.to_string()),
                        ],
                    )
                }
            }
            _ => continue,
        };
        rows.push((row, why));
    }
    if rows.is_empty() && table.unplaced.is_empty() {
        return;
    }
    const SHOWN: usize = 10;
    let mut names: String = rows
        .iter()
        .take(SHOWN)
        .map(|(row, why)| format!("「{}」（{why}）", row.key))
        .collect();
    if rows.len() > SHOWN {
        names.push('…');
    }
    let vars = [
        ("table", table.id.name().to_owned()),
        ("rows", names),
        ("count", rows.len().to_string()),
    ];
    let mut diagnostic = context.diagnostic("unplaced", &vars);
    for (row, _) in rows.iter().take(5) {
        let range = row.label.unwrap_or(table.range);
        let line = first_line(&context.doc.text, range);
        let label = context.message("label-unplaced", &[("row", row.key.to_owned())]);
        diagnostic = diagnostic.with_primary(Label::new(line, label));
    }
    if !table.unplaced.is_empty() {
        diagnostic = diagnostic.with_note(
            context.message("note-orphans", &[("count", table.unplaced.len().to_string())]),
        );
        for range in table.unplaced.iter().take(3) {
            let line = first_line(&context.doc.text, *range);
            let label = context.message("label-orphans", &[]);
            diagnostic = diagnostic.with_secondary(Label::new(line, label));
        }
    }
    diagnostic.cell = Some(table_ref(table.id));
    diagnostic.cells = rows
        .iter()
        .map(|(row, _)| CellRef {
            table: table.id,
            row: Some(row.key.to_owned()),
            column: None,
        })
        .collect();
    context.emit(diagnostic);
}

/// The span of the first line of `range`.
fn first_line(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let end = slice.find('\n').map_or(range.end, |i| range.start + i);
    TextRange::new(range.start, end)
}
