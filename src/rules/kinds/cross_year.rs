//! `cross-year`: identities between a report and the same body's report for the year before.
//!
//! Each identity names a table and an orientation, like `table-identity`: for
//! `for-each = "column"` it is checked in every column the two tables share (or those in `over`),
//! `total` and `parts` being row keys; for `for-each = "row"` in every row of `over`, the keys being
//! column names. A term written `上年:四` is read from the previous year's report, one written
//! `-本年废止件数` is subtracted. The total side is this year's report. A figure missing from
//! either report makes the instance not assessable; a report without the table makes the whole
//! identity not assessable.

use serde::Deserialize;
use toml::Spanned;

use super::table_identity::ForEach;
use super::{Check, MessageSpec};
use crate::diagnostic::{CellRef, Label, NotAssessable};
use crate::model::facts::{FactLookup, FactValue, YearFacts};
use crate::model::layout::{Edition, TableId};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Findings, Rule};

const MISMATCH_PLACEHOLDERS: &[&str] = &[
    "table",
    "row",
    "column",
    "reported",
    "computed",
    "difference",
    "id",
    "description",
    "year",
    "previous-year",
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
        placeholders: &["table", "report"],
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
    total: Spanned<String>,
    parts: Vec<Spanned<String>>,
    #[serde(default)]
    message: Option<Spanned<String>>,
}

/// Which report a term is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Year {
    Current,
    Previous,
}

/// One term of an identity.
#[derive(Clone, Debug)]
struct Term {
    year: Year,
    negative: bool,
    key: &'static str,
}

/// The compiled check.
#[derive(Debug)]
pub struct CrossYear {
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
    total: &'static str,
    parts: Vec<Term>,
    message: Option<String>,
}

fn parse_term(
    source: &RuleSource<'_>,
    text: &Spanned<String>,
    known: &[&'static str],
    what: &str,
) -> Result<Term, LoadError> {
    let mut rest = text.get_ref().trim();
    let mut negative = false;
    if let Some(after) = rest.strip_prefix(['-', '−']) {
        negative = true;
        rest = after.trim_start();
    } else if let Some(after) = rest.strip_prefix('+') {
        rest = after.trim_start();
    }
    let mut year = Year::Current;
    for prefix in ["上年:", "上年："] {
        if let Some(after) = rest.strip_prefix(prefix) {
            year = Year::Previous;
            rest = after.trim_start();
        }
    }
    let key = super::table_identity::resolve_key(source, text.span(), rest, known, what)?;
    Ok(Term {
        year,
        negative,
        key,
    })
}

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let mut identities = Vec::new();
    for spec in &file.check.identity {
        let table = super::parse_table(source, &spec.table)?;
        let edition = spec
            .edition
            .as_ref()
            .map(|edition| super::table_identity::parse_edition(source, edition))
            .transpose()?;
        let (key_kind, over_kind) = match spec.for_each {
            ForEach::Column => ("行", "列"),
            ForEach::Row => ("列", "行"),
        };
        let keys = super::table_identity::known_keys(table, spec.for_each == ForEach::Column);
        let over_keys = super::table_identity::known_keys(table, spec.for_each == ForEach::Row);
        if spec.parts.is_empty() {
            return Err(source.error(spec.table.span(), "parts 不能为空"));
        }
        let total = parse_term(source, &spec.total, &keys, key_kind)?;
        if total.year != Year::Current || total.negative {
            return Err(source.error(
                spec.total.span(),
                "total 必须是本年度报告中的一项（不加「上年:」或负号）",
            ));
        }
        let parts = spec
            .parts
            .iter()
            .map(|part| parse_term(source, part, &keys, key_kind))
            .collect::<Result<Vec<_>, _>>()?;
        if !parts.iter().any(|part| part.year == Year::Previous) {
            return Err(source.error(
                spec.table.span(),
                "parts 中至少要有一项取自上一年度报告（写作「上年:行或列名」）",
            ));
        }
        let over = spec
            .over
            .as_ref()
            .map(|over| {
                over.iter()
                    .map(|key| {
                        super::table_identity::resolve_key(
                            source,
                            key.span(),
                            key.get_ref(),
                            &over_keys,
                            over_kind,
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        if spec.for_each == ForEach::Row && over.is_none() {
            return Err(source.error(
                spec.table.span(),
                "for-each = \"row\" 时须用 over 列出要核对的行",
            ));
        }
        if let Some(message) = &spec.message {
            super::table_identity::check_template(source, message, MISMATCH_PLACEHOLDERS)?;
        }
        identities.push(Identity {
            id: spec.id.clone(),
            description: spec.description.clone(),
            table,
            edition,
            for_each: spec.for_each,
            over,
            total: total.key,
            parts,
            message: spec.message.as_ref().map(|m| m.get_ref().clone()),
        });
    }
    let check = Check::CrossYear(CrossYear { identities });
    load::finish(source, file, check, MESSAGES)
}

/// An operand looked up.
struct Operand<'a> {
    term: Term,
    row_display: &'a str,
    cell: &'a crate::model::facts::FactCell,
    value: i64,
}

impl CrossYear {
    /// The rows the check needs from every report: (table, row key).
    pub fn needs(&self) -> Vec<(TableId, &'static str)> {
        let mut out = Vec::new();
        for identity in &self.identities {
            let rows: Vec<&'static str> = match identity.for_each {
                ForEach::Column => std::iter::once(identity.total)
                    .chain(identity.parts.iter().map(|term| term.key))
                    .collect(),
                ForEach::Row => identity.over.clone().unwrap_or_default(),
            };
            for row in rows {
                if !out.contains(&(identity.table, row)) {
                    out.push((identity.table, row));
                }
            }
        }
        out
    }

    /// Checks a report against the report of the year before.
    pub fn run_pair(
        &self,
        rule: &Rule,
        current: &YearFacts,
        previous: &YearFacts,
        findings: &mut Findings,
    ) {
        for identity in &self.identities {
            identity.run(rule, current, previous, findings);
        }
    }
}

impl Identity {
    fn instances(&self, current: &YearFacts, previous: &YearFacts) -> Vec<&'static str> {
        if let Some(over) = &self.over {
            return over.clone();
        }
        let (Some(now), Some(before)) = (current.table(self.table), previous.table(self.table))
        else {
            return Vec::new();
        };
        let earlier: Vec<&str> = before.columns().collect();
        now.columns()
            .filter(|column| earlier.contains(column))
            .collect()
    }

    fn address(&self, instance: &'static str, key: &'static str) -> (&'static str, &'static str) {
        match self.for_each {
            ForEach::Column => (key, instance),
            ForEach::Row => (instance, key),
        }
    }

    fn run(&self, rule: &Rule, current: &YearFacts, previous: &YearFacts, findings: &mut Findings) {
        let check = format!("{} {}", self.id, self.description);
        let mut absent = Vec::new();
        for (facts, which) in [(current, "本年度报告"), (previous, "上一年度报告")] {
            if facts.table(self.table).is_none() {
                absent.push(which);
            }
        }
        if !absent.is_empty() {
            let vars = [
                ("table", self.table.name().to_owned()),
                ("report", absent.join("和")),
            ];
            findings.not_assessable.push(not_assessable(
                rule,
                check,
                rule.render("table-absent", &vars),
                Vec::new(),
                None,
            ));
            return;
        }
        if let Some(edition) = self.edition {
            let same = |facts: &YearFacts| {
                facts
                    .table(self.table)
                    .is_some_and(|t| t.edition == Some(edition))
            };
            if !same(current) || !same(previous) {
                return;
            }
        }
        let mut unassessable = Vec::new();
        // (which report, row, why) → the columns affected, to say each reason once.
        let mut reasons: Vec<(&str, &str, String, Vec<&str>)> = Vec::new();
        let mut first_range = None;
        'instances: for instance in self.instances(current, previous) {
            let total_term = Term {
                year: Year::Current,
                negative: false,
                key: self.total,
            };
            let mut operands = Vec::new();
            let mut missing = false;
            for term in std::iter::once(&total_term).chain(&self.parts) {
                let facts = match term.year {
                    Year::Current => current,
                    Year::Previous => previous,
                };
                let (row, column) = self.address(instance, term.key);
                match facts.lookup(self.table, row, column) {
                    FactLookup::NoTable | FactLookup::NotInLayout => continue 'instances,
                    FactLookup::Cell(fact_row, cell) => match &cell.value {
                        FactValue::Value(value) => operands.push(Operand {
                            term: term.clone(),
                            row_display: fact_row.display,
                            cell,
                            value: *value,
                        }),
                        FactValue::Unavailable(why) => {
                            let year = match term.year {
                                Year::Current => "本年度",
                                Year::Previous => "上一年度",
                            };
                            match reasons
                                .iter_mut()
                                .find(|(y, r, w, _)| *y == year && *r == row && w == why)
                            {
                                Some((_, _, _, columns)) => {
                                    if !columns.contains(&column) {
                                        columns.push(column);
                                    }
                                }
                                None => reasons.push((year, row, why.clone(), vec![column])),
                            }
                            if term.year == Year::Current {
                                first_range = first_range.or(cell.range.map(|r| (r, cell.span)));
                            }
                            missing = true;
                        }
                    },
                }
            }
            if missing {
                unassessable.push(instance.to_owned());
                continue;
            }
            self.compare(rule, current, previous, instance, &operands, findings);
        }
        if !unassessable.is_empty() {
            const SHOWN: usize = 6;
            let mut reason = reasons
                .iter()
                .take(SHOWN)
                .map(|(year, row, why, columns)| {
                    format!("{year}「{row}」（{}）{why}", columns.join("、"))
                })
                .collect::<Vec<_>>()
                .join("；");
            if reasons.len() > SHOWN {
                reason.push_str(&format!("等 {} 处", reasons.len()));
            }
            let mut item = not_assessable(
                rule,
                check,
                reason,
                unassessable,
                first_range.map(|(range, _)| range),
            );
            item.span = first_range.and_then(|(_, span)| span);
            findings.not_assessable.push(item);
        }
    }

    fn compare(
        &self,
        rule: &Rule,
        current: &YearFacts,
        previous: &YearFacts,
        instance: &'static str,
        operands: &[Operand<'_>],
        findings: &mut Findings,
    ) {
        let Some((total, parts)) = operands.split_first() else {
            return;
        };
        let signed = |operand: &Operand<'_>| {
            let value = i128::from(operand.value);
            if operand.term.negative { -value } else { value }
        };
        let reported = i128::from(total.value);
        let computed: i128 = parts.iter().map(signed).sum();
        if reported == computed {
            return;
        }
        let year = current
            .year
            .map_or_else(|| "本".to_owned(), |y| y.to_string());
        let previous_year = previous
            .year
            .map_or_else(|| "上一".to_owned(), |y| y.to_string());
        let (row_var, column_var) = match self.for_each {
            ForEach::Column => (total.row_display.to_owned(), instance.to_owned()),
            ForEach::Row => (instance.to_owned(), self.total.to_owned()),
        };
        let vars = [
            ("table", self.table.name().to_owned()),
            ("row", row_var),
            ("column", column_var),
            ("reported", reported.to_string()),
            ("computed", computed.to_string()),
            ("difference", (reported - computed).abs().to_string()),
            ("id", self.id.clone()),
            ("description", self.description.clone()),
            ("year", year.clone()),
            ("previous-year", previous_year.clone()),
        ];
        let mut diagnostic = rule.diagnostic(rule.severity_for(current.era), "mismatch", &vars);
        if let Some(template) = &self.message {
            diagnostic.message = crate::rules::template::render(template, &vars);
        }
        let name = |operand: &Operand<'_>| match self.for_each {
            ForEach::Column => operand.row_display.to_owned(),
            ForEach::Row => operand.term.key.to_owned(),
        };
        if let Some(range) = total.cell.range {
            // The place is kept with the figure: the report's text may be gone (an audit).
            let mut label = Label::new(
                range,
                format!("本年度为 {reported}，按上一年度报告应为 {computed}"),
            );
            label.span = total.cell.span;
            diagnostic = diagnostic.with_primary(label);
        }
        for operand in parts {
            let Some(range) = operand.cell.range else {
                continue;
            };
            match operand.term.year {
                Year::Current => {
                    let mut label =
                        Label::new(range, format!("{} {}", name(operand), operand.value));
                    label.span = operand.cell.span;
                    diagnostic = diagnostic.with_secondary(label);
                }
                Year::Previous => {
                    if let Some(span) = operand.cell.span {
                        diagnostic = diagnostic.with_secondary(Label::elsewhere(
                            previous.path.clone(),
                            range,
                            span,
                            format!("{previous_year}年度「{}」{}", name(operand), operand.value),
                        ));
                    }
                }
            }
        }
        let terms = parts
            .iter()
            .enumerate()
            .map(|(i, operand)| {
                let sign = match (i, operand.term.negative) {
                    (0, false) => "",
                    (0, true) => "−",
                    (_, false) => " + ",
                    (_, true) => " − ",
                };
                let year = match operand.term.year {
                    Year::Current => "",
                    Year::Previous => "上年 ",
                };
                format!("{sign}{year}{}", operand.value)
            })
            .collect::<String>();
        diagnostic = diagnostic
            .with_note(format!("计算值：{terms} = {computed}"))
            .with_note(format!("核对：{} {}", self.id, self.description));
        let (row, column) = self.address(instance, self.total);
        diagnostic.cell = Some(CellRef {
            table: self.table,
            row: Some(row.to_owned()),
            column: Some(column.to_owned()),
        });
        if operands.iter().any(|operand| operand.cell.recovered) {
            diagnostic = diagnostic
                .with_note("部分数值是从连写数字中唯一拆分得到的，请用原网页或原文件复核")
                .from_extraction();
        }
        diagnostic.expected = Some(computed);
        diagnostic.found = Some(reported);
        findings.diagnostics.push(diagnostic);
    }
}

fn not_assessable(
    rule: &Rule,
    check: String,
    reason: String,
    instances: Vec<String>,
    range: Option<crate::text::TextRange>,
) -> NotAssessable {
    NotAssessable {
        code: rule.code.clone(),
        name: rule.name.clone(),
        check,
        reason,
        instances,
        range,
        span: None,
    }
}
