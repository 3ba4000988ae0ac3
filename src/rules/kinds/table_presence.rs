//! `table-presence`: the statistical tables a format requires are in the report. A table absent
//! whose section heading is followed directly by the next section's heading was probably
//! published as an image: that is `table-reading`'s to say, not a missing table.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Label};
use crate::model::TableId;
use crate::rules::Context;

/// A table the format requires, and the section it belongs in (as shown to the user).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TableSpec {
    table: Spanned<String>,
    section: String,
}

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    tables: Vec<TableSpec>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TablePresence {
    tables: Vec<(TableId, String)>,
}

/// The tables of a `tables = [{ table, section }]` list.
pub(super) fn compile_tables(
    tables: Vec<TableSpec>,
    compile: &Compile<'_>,
) -> Result<Vec<(TableId, String)>, LoadError> {
    tables
        .into_iter()
        .map(|spec| Ok((compile.table(&spec.table)?, spec.section)))
        .collect()
}

/// A reference to a whole table (no row or column), for JSON consumers.
pub(super) fn table_ref(table: TableId) -> CellRef {
    CellRef {
        table,
        row: None,
        column: None,
    }
}

impl CheckKind for TablePresence {
    const NAME: &'static str = "table-presence";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("missing", &["table", "section"]),
        MessageSpec::required("label-section", &["table"]),
        MessageSpec::required("label-document", &["table"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            tables: compile_tables(spec.tables, compile)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        for (id, section) in &self.tables {
            if context.report.table(*id).is_some() || context.report.table_gap(*id).is_some() {
                continue;
            }
            let number = context.report.section_of(*id);
            let vars = [
                ("table", id.name().to_owned()),
                ("section", section.clone()),
            ];
            let heading = context.report.headings.iter().find(|heading| {
                heading.level == 1 && Some(heading.number) == number && heading.number > 0
            });
            let label = match heading {
                Some(heading) => Label::new(heading.range, context.message("label-section", &vars)),
                None => {
                    let mut anchor = context.document_anchor();
                    anchor.message = context.message("label-document", &vars);
                    anchor
                }
            };
            let mut diagnostic = context.diagnostic("missing", &vars).with_primary(label);
            diagnostic.cell = Some(table_ref(*id));
            context.emit(diagnostic);
        }
    }
}
