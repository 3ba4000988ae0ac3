//! `table-identity`: sums of table cells that must be equal.
//!
//! An identity names a table, an orientation and two lists of keys: for `for-each = "column"` it
//! is checked in every column (or those in `over`), `total` and `parts` being row keys; for
//! `for-each = "row"` it is checked in every row, the keys being column names. The total side is
//! "reported", the parts side "computed". A cell that is missing, blank or unreadable makes that
//! instance not assessable — never a zero, never a mismatch. A key the table's layout does not have
//! (a `小计` column in a 7-column 表三) skips the instance.

use std::collections::BTreeSet;

use serde::Deserialize;
use toml::Spanned;

use super::{Check, MessageSpec};
use crate::diagnostic::{CellRef, Label};
use crate::model::layout::{self, Edition, TableId};
use crate::model::{CellProblem, Lookup, TypedTable};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::template::placeholders;
use crate::rules::{Context, Rule};
use crate::text::fold;

const MISMATCH_PLACEHOLDERS: &[&str] = &[
    "table",
    "row",
    "column",
    "reported",
    "computed",
    "difference",
    "id",
    "description",
];

const MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        key: "mismatch",
        placeholders: MISMATCH_PLACEHOLDERS,
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "table-absent",
        placeholders: &["table", "count"],
        required: true,
        extraction: false,
    },
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
    identity: Vec<IdentitySpec>,
}

/// Whether an identity runs down each column (keys are rows) or along each row (keys are columns).
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum ForEach {
    Row,
    Column,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IdentitySpec {
    id: String,
    description: String,
    table: Spanned<String>,
    #[serde(default)]
    edition: Option<Spanned<String>>,
    for_each: ForEach,
    #[serde(default)]
    over: Option<Vec<Spanned<String>>>,
    total: Vec<Spanned<String>>,
    parts: Vec<Spanned<String>>,
    #[serde(default)]
    message: Option<Spanned<String>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct TableIdentity {
    identities: Vec<Identity>,
}

#[derive(Debug)]
struct Identity {
    id: String,
    description: String,
    table: TableId,
    edition: Option<Edition>,
    for_each: ForEach,
    over: Option<Vec<&'static str>>,
    total: Vec<&'static str>,
    parts: Vec<&'static str>,
    message: Option<String>,
}

/// Row keys and column names a table's layouts know.
pub(super) fn known_keys(table: TableId, rows: bool) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match (table, rows) {
        (TableId::T3, true) => layout::t3_all_rows().map(|spec| spec.key).collect(),
        (TableId::T3, false) => layout::T3_COLUMNS_WITH_SUBTOTAL.to_vec(),
        (TableId::T4, true) => layout::T4_GROUPS.to_vec(),
        (TableId::T4, false) => layout::T4_COLUMNS.to_vec(),
        (TableId::T2, true) => layout::T2_ROWS_2019
            .iter()
            .chain(layout::T2_ROWS_2021)
            .map(|spec| spec.key)
            .collect(),
        (TableId::T2, false) => layout::T2_ROWS_2019
            .iter()
            .chain(layout::T2_ROWS_2021)
            .flat_map(|spec| spec.columns.iter().map(|(name, _)| *name))
            .collect(),
    };
    let mut seen = BTreeSet::new();
    keys.retain(|key| seen.insert(*key));
    keys
}

/// The layout's own key for a key written in a rule file (full- or half-width brackets alike).
pub(super) fn resolve_key(
    source: &RuleSource<'_>,
    span: std::ops::Range<usize>,
    written: &str,
    known: &[&'static str],
    what: &str,
) -> Result<&'static str, LoadError> {
    let wanted = fold(written);
    known
        .iter()
        .find(|candidate| fold(candidate) == wanted)
        .copied()
        .ok_or_else(|| {
            source.error(
                span,
                format!("未知的{what}「{written}」（可用：{}）", known.join("、")),
            )
        })
}

fn resolve(
    source: &RuleSource<'_>,
    keys: &[Spanned<String>],
    known: &[&'static str],
    what: &str,
) -> Result<Vec<&'static str>, LoadError> {
    keys.iter()
        .map(|key| resolve_key(source, key.span(), key.get_ref(), known, what))
        .collect()
}

/// A format edition named in a rule file.
pub(super) fn parse_edition(
    source: &RuleSource<'_>,
    edition: &Spanned<String>,
) -> Result<Edition, LoadError> {
    match edition.get_ref().as_str() {
        "2019" => Ok(Edition::Y2019),
        "2021" => Ok(Edition::Y2021),
        other => Err(source.error(
            edition.span(),
            format!("版本「{other}」无效（可用：2019、2021）"),
        )),
    }
}

/// Checks an identity's own message template: balanced braces, known placeholders.
pub(super) fn check_template(
    source: &RuleSource<'_>,
    message: &Spanned<String>,
    allowed: &[&str],
) -> Result<(), LoadError> {
    let names = placeholders(message.get_ref())
        .map_err(|_| source.error(message.span(), "消息模板中的花括号不成对或占位符名称无效"))?;
    match names.iter().find(|name| !allowed.contains(name)) {
        Some(unknown) => Err(source.error(
            message.span(),
            format!("占位符 {{{unknown}}} 无效（可用：{}）", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let mut identities = Vec::new();
    for spec in &file.check.identity {
        let table = super::parse_table(source, &spec.table)?;
        let edition = spec
            .edition
            .as_ref()
            .map(|edition| parse_edition(source, edition))
            .transpose()?;
        let (key_kind, over_kind) = match spec.for_each {
            ForEach::Column => ("行", "列"),
            ForEach::Row => ("列", "行"),
        };
        let keys = known_keys(table, spec.for_each == ForEach::Column);
        let over_keys = known_keys(table, spec.for_each == ForEach::Row);
        if spec.total.is_empty() || spec.parts.is_empty() {
            return Err(source.error(spec.table.span(), "total 和 parts 都不能为空"));
        }
        let total = resolve(source, &spec.total, &keys, key_kind)?;
        let parts = resolve(source, &spec.parts, &keys, key_kind)?;
        let over = spec
            .over
            .as_ref()
            .map(|over| resolve(source, over, &over_keys, over_kind))
            .transpose()?;
        if let Some(message) = &spec.message {
            check_template(source, message, MISMATCH_PLACEHOLDERS)?;
        }
        identities.push(Identity {
            id: spec.id.clone(),
            description: spec.description.clone(),
            table,
            edition,
            for_each: spec.for_each,
            over,
            total,
            parts,
            message: spec.message.as_ref().map(|m| m.get_ref().clone()),
        });
    }
    let check = Check::TableIdentity(TableIdentity { identities });
    load::finish(source, file, check, MESSAGES)
}

/// One operand: its name in messages, its value or the reason it has none.
struct Operand<'a> {
    key: &'static str,
    lookup: Lookup<'a>,
}

impl TableIdentity {
    pub(super) fn run(&self, context: &mut Context<'_>) {
        let mut absent: Vec<(TableId, usize)> = Vec::new();
        for identity in &self.identities {
            let Some(table) = context.report.table(identity.table) else {
                match absent.iter_mut().find(|(id, _)| *id == identity.table) {
                    Some((_, count)) => *count += 1,
                    None => absent.push((identity.table, 1)),
                }
                continue;
            };
            if identity.edition.is_some() && identity.edition != table.edition {
                continue;
            }
            identity.run(context, table);
        }
        for (table, count) in absent {
            let vars = [
                ("table", table.name().to_owned()),
                ("count", count.to_string()),
            ];
            let reason = context.message("table-absent", &vars);
            context.not_assessable(context.rule.summary.clone(), reason, Vec::new(), None);
        }
    }
}

impl Identity {
    fn instances(&self, table: &TypedTable) -> Vec<&'static str> {
        if let Some(over) = &self.over {
            return over.clone();
        }
        match self.for_each {
            ForEach::Column => table.column_names(),
            ForEach::Row => table.rows.iter().map(|row| row.key).collect(),
        }
    }

    fn operand<'t>(&self, table: &'t TypedTable, instance: &str, key: &'static str) -> Operand<'t> {
        let lookup = match self.for_each {
            ForEach::Column => table.lookup(key, instance),
            ForEach::Row => table.lookup(instance, key),
        };
        Operand { key, lookup }
    }

    fn run(&self, context: &mut Context<'_>, table: &TypedTable) {
        let mut unassessable: Vec<&str> = Vec::new();
        let mut problems = Problems::default();
        let mut first_range = None;
        for instance in self.instances(table) {
            let total: Vec<Operand<'_>> = self
                .total
                .iter()
                .map(|key| self.operand(table, instance, key))
                .collect();
            let parts: Vec<Operand<'_>> = self
                .parts
                .iter()
                .map(|key| self.operand(table, instance, key))
                .collect();
            let all = || total.iter().chain(&parts);
            if all().any(|operand| matches!(operand.lookup, Lookup::NotInLayout)) {
                continue;
            }
            let mut assessable = true;
            for operand in all() {
                if let Lookup::Unavailable { problem, range } = &operand.lookup {
                    let (row, column) = match self.for_each {
                        ForEach::Column => (operand.key, instance),
                        ForEach::Row => (instance, operand.key),
                    };
                    problems.add(row, column, problem);
                    first_range = first_range.or(*range);
                    assessable = false;
                }
            }
            if assessable {
                self.compare(context, table, instance, &total, &parts);
            } else {
                unassessable.push(instance);
            }
        }
        if !unassessable.is_empty() {
            let instances = unassessable.iter().map(|name| (*name).to_owned()).collect();
            context.not_assessable(
                format!("{} {}", self.id, self.description),
                problems.describe(table),
                instances,
                first_range,
            );
        }
    }

    fn compare(
        &self,
        context: &mut Context<'_>,
        table: &TypedTable,
        instance: &str,
        total: &[Operand<'_>],
        parts: &[Operand<'_>],
    ) {
        let value = |operand: &Operand<'_>| match operand.lookup {
            Lookup::Value { value, .. } => i128::from(value),
            _ => 0,
        };
        // Summed in i128: exact for any figures a cell can hold (each fits in i64).
        let reported: i128 = total.iter().map(value).sum();
        let computed: i128 = parts.iter().map(value).sum();
        if reported == computed {
            return;
        }
        let name = |key: &str| -> String {
            match self.for_each {
                ForEach::Column => table.row(key).map_or(key, |row| row.display).to_owned(),
                ForEach::Row => key.to_owned(),
            }
        };
        let (row_var, column_var) = match self.for_each {
            ForEach::Column => (
                total
                    .iter()
                    .map(|operand| name(operand.key))
                    .collect::<Vec<_>>()
                    .join("」「"),
                instance.to_owned(),
            ),
            ForEach::Row => (
                table
                    .row(instance)
                    .map_or(instance, |row| row.display)
                    .to_owned(),
                total
                    .iter()
                    .map(|operand| operand.key)
                    .collect::<Vec<_>>()
                    .join("」「"),
            ),
        };
        let vars = [
            ("table", table.id.name().to_owned()),
            ("row", row_var),
            ("column", column_var),
            ("reported", reported.to_string()),
            ("computed", computed.to_string()),
            ("difference", (reported - computed).abs().to_string()),
            ("id", self.id.clone()),
            ("description", self.description.clone()),
        ];
        let mut diagnostic = context.diagnostic(context.severity(), "mismatch", &vars);
        if let Some(template) = &self.message {
            diagnostic.message = crate::rules::template::render(template, &vars);
        }
        for operand in total {
            if let Lookup::Value { value, cell } = &operand.lookup {
                let message = if total.len() == 1 {
                    format!("报告为 {value}，计算应为 {computed}")
                } else {
                    format!("{} {value}", name(operand.key))
                };
                diagnostic = diagnostic.with_primary(Label::new(cell.range, message));
            }
        }
        // Row-wise, a column name alone is ambiguous (表四 repeats its five columns per group).
        let operand_label = |key: &str| match self.for_each {
            ForEach::Column => name(key),
            ForEach::Row => format!("{instance}·{key}"),
        };
        for operand in parts {
            if let Lookup::Value { value, cell } = &operand.lookup
                && *value != 0
            {
                diagnostic = diagnostic.with_secondary(Label::new(
                    cell.range,
                    format!("{} {value}", operand_label(operand.key)),
                ));
            }
        }
        let terms = |operands: &[Operand<'_>]| -> String {
            operands
                .iter()
                .map(|operand| value(operand).to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        if total.len() > 1 {
            diagnostic = diagnostic.with_note(format!("报告值：{} = {reported}", terms(total)));
        }
        diagnostic = diagnostic
            .with_note(format!("计算值：{} = {computed}", terms(parts)))
            .with_note(format!("核对：{} {}", self.id, self.description));
        let (row, column) = match self.for_each {
            ForEach::Column => (total.first().map(|operand| operand.key), Some(instance)),
            ForEach::Row => (Some(instance), total.first().map(|operand| operand.key)),
        };
        diagnostic.cell = Some(CellRef {
            table: table.id,
            row: row.map(str::to_owned),
            column: column.map(str::to_owned),
        });
        let recovered = total
            .iter()
            .chain(parts)
            .any(|operand| matches!(&operand.lookup, Lookup::Value { cell, .. } if cell.recovered));
        if recovered {
            diagnostic = diagnostic
                .with_note("部分数值是从连写数字中唯一拆分得到的，请用原网页或原文件复核")
                .from_extraction();
        }
        diagnostic.expected = Some(computed);
        diagnostic.found = Some(reported);
        context.emit(diagnostic);
    }
}

/// Why operands were unusable, grouped by kind so a reason reads once for many cells.
#[derive(Default)]
struct Problems {
    missing_rows: Vec<String>,
    misaligned_rows: Vec<String>,
    unreadable_rows: Vec<String>,
    blank: Vec<String>,
    placeholder: Vec<String>,
    invalid: Vec<String>,
}

impl Problems {
    fn add(&mut self, row: &str, column: &str, problem: &CellProblem) {
        let cell = || format!("「{row}·{column}」");
        let (list, item) = match problem {
            CellProblem::RowMissing => (&mut self.missing_rows, format!("「{row}」")),
            CellProblem::RowMisaligned { .. } => (&mut self.misaligned_rows, format!("「{row}」")),
            CellProblem::Unreadable => (&mut self.unreadable_rows, format!("「{row}」")),
            CellProblem::Blank => (&mut self.blank, cell()),
            CellProblem::Placeholder(_) => (&mut self.placeholder, cell()),
            CellProblem::Invalid(_) => (&mut self.invalid, cell()),
        };
        if !list.contains(&item) {
            list.push(item);
        }
    }

    fn describe(&self, table: &TypedTable) -> String {
        const SHOWN: usize = 8;
        let join = |items: &[String]| {
            let mut text = items.iter().take(SHOWN).cloned().collect::<String>();
            if items.len() > SHOWN {
                text.push_str(&format!("等 {} 个", items.len()));
            }
            text
        };
        let mut reasons = Vec::new();
        if !self.missing_rows.is_empty() {
            reasons.push(format!(
                "{}缺少{}行",
                table.id.name(),
                join(&self.missing_rows)
            ));
        }
        if !self.misaligned_rows.is_empty() {
            reasons.push(format!(
                "{}行的数值个数与格式不符，无法确定各数值所在的列",
                join(&self.misaligned_rows)
            ));
        }
        if !self.unreadable_rows.is_empty() {
            reasons.push(format!(
                "{}行的数字连在一起，无法拆分成单元格",
                join(&self.unreadable_rows)
            ));
        }
        if !self.blank.is_empty() {
            reasons.push(format!("{}为空白", join(&self.blank)));
        }
        if !self.placeholder.is_empty() {
            reasons.push(format!("{}填写的不是数字", join(&self.placeholder)));
        }
        if !self.invalid.is_empty() {
            reasons.push(format!("{}不是有效数值", join(&self.invalid)));
        }
        reasons.join("；")
    }
}
