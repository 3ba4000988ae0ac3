//! `issuer-figures`: figures a report's issuer cannot have (spec S7) — 表二's 规章 row above zero
//! from a body that cannot make 规章 (a township, a county-level body or its department). The
//! kinds of body are data: names and regular expressions on the issuer's name as the title gives
//! it; a name matching none is not judged. Figures that cannot be read make the check not
//! assessable for a body that matched.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Label};
use crate::model::{Lookup, Provenance, TableId};
use crate::rules::Context;
use crate::rules::patterns::words;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    table: Spanned<String>,
    row: Spanned<String>,
    body: Vec<BodySpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BodySpec {
    name: String,
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct IssuerFigures {
    table: TableId,
    row: &'static str,
    bodies: Vec<Body>,
}

#[derive(Debug)]
struct Body {
    name: String,
    patterns: Vec<Regex>,
    /// Names holding one of these are not of this kind.
    unless: Vec<String>,
}

impl Body {
    fn matches(&self, issuer: &str) -> bool {
        self.patterns.iter().any(|pattern| pattern.is_match(issuer))
            && !self.unless.iter().any(|word| issuer.contains(word.as_str()))
    }
}

impl CheckKind for IssuerFigures {
    const NAME: &'static str = "issuer-figures";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("implausible", &["issuer", "body", "table", "row", "cells"]),
        MessageSpec::required("label-cell", &["column", "value"]),
        MessageSpec::required("label-issuer", &["body"]),
        MessageSpec::required("cell", &["column", "value"]),
        MessageSpec::required("note-recovered", &[]),
        MessageSpec::required("check", &["table", "row"]),
        MessageSpec::required("reason-unavailable", &["cells"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let table = compile.table(&spec.table)?;
        let known = compile.layouts.row_keys(table);
        let wanted = crate::text::fold(spec.row.get_ref());
        let row = known
            .iter()
            .copied()
            .find(|key| crate::text::fold(key) == wanted)
            .ok_or_else(|| {
                compile.error(
                    spec.row.span(),
                    format!("未知的行「{}」（可用：{}）", spec.row.get_ref(), known.join("、")),
                )
            })?;
        let bodies = spec
            .body
            .iter()
            .map(|body| {
                Ok(Body {
                    name: body.name.clone(),
                    patterns: compile.patterns(&body.patterns)?,
                    unless: words(&body.unless),
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        Ok(Self { table, row, bodies })
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let Some(issuer) = &report.issuer else {
            return;
        };
        let folded = crate::text::fold(issuer);
        let Some(body) = self.bodies.iter().find(|body| body.matches(&folded)) else {
            return;
        };
        let Some(table) = report.table(self.table) else {
            return;
        };
        let Some(row) = table.row(self.row) else {
            return;
        };
        let mut above = Vec::new();
        let mut unavailable = Vec::new();
        for (column, _) in &row.columns {
            match table.lookup(row.key, column) {
                Lookup::Value { value, cell } if value > 0 => above.push((*column, value, cell)),
                Lookup::Value { .. } | Lookup::NotInLayout => {}
                Lookup::Unavailable { range, .. } => unavailable.push((*column, range)),
            }
        }
        let table_name = self.table.name().to_owned();
        if above.is_empty() {
            if !unavailable.is_empty() {
                let cells: String = unavailable
                    .iter()
                    .map(|(column, _)| format!("「{column}」"))
                    .collect();
                let check = context.message(
                    "check",
                    &[("table", table_name), ("row", row.display.to_owned())],
                );
                let reason = context.message("reason-unavailable", &[("cells", cells)]);
                let range = unavailable.iter().find_map(|(_, range)| *range);
                context.not_assessable(check, reason, Vec::new(), range.or(row.label));
            }
            return;
        }
        let cells: String = above
            .iter()
            .map(|(column, value, _)| {
                context.message(
                    "cell",
                    &[("column", (*column).to_owned()), ("value", value.to_string())],
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        let vars = [
            ("issuer", issuer.clone()),
            ("body", body.name.clone()),
            ("table", table_name),
            ("row", row.display.to_owned()),
            ("cells", cells),
        ];
        let mut diagnostic = context.diagnostic("implausible", &vars);
        let mut recovered = false;
        for (i, (column, value, cell)) in above.iter().enumerate() {
            let text = context.message(
                "label-cell",
                &[("column", (*column).to_owned()), ("value", value.to_string())],
            );
            let label = Label::new(cell.range, text);
            diagnostic = if i == 0 {
                diagnostic.with_primary(label)
            } else {
                diagnostic.with_secondary(label)
            };
            diagnostic.cells.push(CellRef {
                table: self.table,
                row: Some(row.key.to_owned()),
                column: Some((*column).to_owned()),
            });
            recovered |= cell.provenance == Provenance::Recovered;
        }
        diagnostic.cell = diagnostic.cells.first().cloned();
        if let Some(title) = &report.title {
            let text = context.message("label-issuer", &[("body", body.name.clone())]);
            diagnostic = diagnostic.with_secondary(Label::new(title.range, text));
        }
        if recovered {
            diagnostic = diagnostic
                .from_extraction()
                .with_note(context.message("note-recovered", &[]));
        }
        context.emit(diagnostic);
    }
}
