//! `table-reading`: the statistical tables are there but this copy cannot be read as they were
//! published. Figures of a row ran together (rows split because exactly one split exists are
//! listed at info level, with the split); a section is empty between its heading and the next one
//! (the table was published as an image). These findings are about the reading, not the report.

use serde::Deserialize;

use super::table_presence::{TableSpec, compile_tables, table_ref};
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::{RowCells, TableId, TypedRow, TypedTable};
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
                Some(table) => unreadable(context, table),
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
