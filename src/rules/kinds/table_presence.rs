//! `table-presence`: the statistical tables a format requires are there and can be read.
//!
//! One kind, two rules, chosen by `finding`:
//! - `missing`: a table is absent and nothing suggests it was ever there — the report lacks it;
//! - `unreadable`: the table is there but this copy cannot be read: its figures ran together
//!   (rows recovered because exactly one split exists are listed at info level, with the values),
//!   or its section is empty between its heading and the next one (published as an image).
//!   These findings are about the reading, not the report.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Check, MessageSpec};
use crate::diagnostic::{CellRef, Label, Severity};
use crate::model::{RowCells, TableId, TypedTable};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};

const MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        key: "missing",
        placeholders: &["table", "section"],
        required: false,
        extraction: false,
    },
    MessageSpec {
        key: "unreadable",
        placeholders: &["table", "rows", "count"],
        required: false,
        extraction: true,
    },
    MessageSpec {
        key: "recovered",
        placeholders: &["table", "rows", "count"],
        required: false,
        extraction: true,
    },
    MessageSpec {
        key: "image",
        placeholders: &["table", "section"],
        required: false,
        extraction: true,
    },
];

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Finding {
    Missing,
    Unreadable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
    finding: Finding,
    tables: Vec<Spanned<String>>,
    /// Report years for which a missing table is only a warning (2019: the 60号 format was
    /// encouraged, not required).
    #[serde(default)]
    lenient_years: Vec<i32>,
    /// Severities by message key (`recovered = "info"`); others take the rule's.
    #[serde(default)]
    severity: Option<Spanned<BTreeMap<String, Severity>>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TablePresence {
    finding: Finding,
    tables: Vec<TableId>,
    lenient_years: Vec<i32>,
    severity: BTreeMap<String, Severity>,
}

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let tables = super::parse_tables(source, &file.check.tables)?;
    let finding = file.check.finding;
    let keys: Vec<&str> = MESSAGES.iter().map(|spec| spec.key).collect();
    let severity = super::parse_severities(source, file.check.severity.as_ref(), &keys)?;
    let check = Check::TablePresence(TablePresence {
        finding,
        tables,
        lenient_years: file.check.lenient_years.clone(),
        severity,
    });
    let rule = load::finish(source, file, check, MESSAGES)?;
    let needed: &[&str] = match finding {
        Finding::Missing => &["missing"],
        Finding::Unreadable => &["unreadable", "recovered", "image"],
    };
    if let Some(key) = needed.iter().find(|key| !rule.messages.contains_key(**key)) {
        return Err(source.error(0..0, format!("[messages] 缺少「{key}」")));
    }
    Ok(rule)
}

/// The section a table belongs to.
fn section(table: TableId) -> (u32, &'static str) {
    match table {
        TableId::T2 => (2, "二、主动公开政府信息情况"),
        TableId::T3 => (3, "三、收到和处理政府信息公开申请情况"),
        TableId::T4 => (4, "四、政府信息公开行政复议、行政诉讼情况"),
    }
}

impl TablePresence {
    /// The severity of a finding: its own from `[check.severity]`, else the rule's.
    fn severity(&self, context: &Context<'_>, key: &str) -> Severity {
        self.severity
            .get(key)
            .copied()
            .unwrap_or_else(|| context.severity())
    }

    pub(super) fn run(&self, context: &mut Context<'_>) {
        for &id in &self.tables {
            match (self.finding, context.report.table(id)) {
                (Finding::Missing, None) => self.missing(context, id),
                (Finding::Unreadable, Some(table)) => self.unreadable(context, table),
                (Finding::Unreadable, None) => self.image(context, id),
                (Finding::Missing, Some(_)) => {}
            }
        }
    }

    fn missing(&self, context: &mut Context<'_>, id: TableId) {
        if context.report.table_gaps.iter().any(|(gap, _)| *gap == id) {
            return; // An image, most likely: table-unreadable says so.
        }
        let (number, title) = section(id);
        let severity = match context.report.year {
            Some(year) if self.lenient_years.contains(&year) => Severity::Warning,
            _ => context.severity(),
        };
        let vars = [
            ("table", id.name().to_owned()),
            ("section", title.to_owned()),
        ];
        let heading = context
            .report
            .headings
            .iter()
            .find(|heading| heading.level == 1 && heading.number == number);
        let label = match heading {
            Some(heading) => Label::new(heading.range, format!("此部分没有{}", id.name())),
            None => {
                let mut anchor = context.document_anchor();
                anchor.message = format!("全文没有{}", id.name());
                anchor
            }
        };
        let mut diagnostic = context
            .diagnostic(severity, "missing", &vars)
            .with_primary(label);
        diagnostic.cell = Some(table_ref(id));
        context.emit(diagnostic);
    }

    fn image(&self, context: &mut Context<'_>, id: TableId) {
        let Some(&(_, range)) = context.report.table_gaps.iter().find(|(gap, _)| *gap == id) else {
            return;
        };
        let vars = [
            ("table", id.name().to_owned()),
            ("section", section(id).1.to_owned()),
        ];
        let mut diagnostic = context
            .diagnostic(self.severity(context, "image"), "image", &vars)
            .with_primary(Label::new(range, "标题之后直接是下一部分"));
        diagnostic.cell = Some(table_ref(id));
        context.emit(diagnostic);
    }

    fn unreadable(&self, context: &mut Context<'_>, table: &TypedTable) {
        let mut unreadable = Vec::new();
        let mut recovered = Vec::new();
        let mut seen = Vec::new();
        for row in &table.rows {
            let Some(run) = &row.run_together else {
                continue;
            };
            // 表四's three groups share one run of figures: report it once.
            if seen.contains(&run.range) {
                continue;
            }
            seen.push(run.range);
            if run.recovered {
                recovered.push(row);
            } else {
                unreadable.push(row);
            }
        }
        let name = table.id.name().to_owned();
        let doc = context.doc;
        let rows_named = |rows: &[&crate::model::TypedRow]| {
            rows.iter()
                .map(|row| format!("「{}」", row.key))
                .collect::<String>()
        };
        if !unreadable.is_empty() {
            let vars = [
                ("table", name.clone()),
                ("rows", rows_named(&unreadable)),
                ("count", unreadable.len().to_string()),
            ];
            let mut diagnostic =
                context.diagnostic(self.severity(context, "unreadable"), "unreadable", &vars);
            // Labels on a few rows; the message names them all.
            for row in unreadable.iter().take(5) {
                if let Some(run) = &row.run_together {
                    diagnostic = diagnostic
                        .with_primary(Label::new(run.range, format!("{} 无法拆分", row.key)));
                }
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
            let mut diagnostic =
                context.diagnostic(self.severity(context, "recovered"), "recovered", &vars);
            // One label (on the first row); the notes give every row's split.
            for (n, row) in recovered.iter().enumerate() {
                let (Some(run), RowCells::Aligned(cells)) = (&row.run_together, &row.cells) else {
                    continue;
                };
                // 表四: the whole run of 15 figures, not only this group's five.
                let all: Vec<&str> = table
                    .rows
                    .iter()
                    .filter(|other| {
                        other
                            .run_together
                            .as_ref()
                            .is_some_and(|r| r.range == run.range)
                    })
                    .flat_map(|other| match &other.cells {
                        RowCells::Aligned(cells) => {
                            cells.iter().map(|c| doc.slice(c.range)).collect()
                        }
                        _ => Vec::new(),
                    })
                    .collect();
                let shown = if all.is_empty() {
                    cells.iter().map(|c| doc.slice(c.range)).collect::<Vec<_>>()
                } else {
                    all
                };
                if n == 0 {
                    diagnostic = diagnostic.with_primary(Label::new(
                        run.range,
                        format!("{} → {}", row.key, shown.join(" | ")),
                    ));
                }
                diagnostic = diagnostic.with_note(format!(
                    "「{}」{} → {}",
                    row.key,
                    doc.slice(run.range),
                    shown.join(" | ")
                ));
            }
            diagnostic.cell = Some(table_ref(table.id));
            context.emit(diagnostic);
        }
    }
}

/// A reference to a whole table (no row or column), for JSON consumers.
fn table_ref(table: TableId) -> CellRef {
    CellRef {
        table,
        row: None,
        column: None,
    }
}
