//! `narrative-claims`: what the text claims against what the report shows elsewhere (spec S8,
//! S9). A claim is data: the phrases that make it (regular expressions on the normalised text),
//! what the sentence must be about, what makes it a claim about something else, and what
//! contradicts it — table cells whose sum is above zero (`所有申请均已办结` beside a carry-over,
//! `未发生行政复议` beside cases in 表四), or another statement of an amount above zero (`未收取信息
//! 处理费` beside `收取信息处理费3940元`).
//!
//! A claim is read in its sentence and its clause only, and only when it is about the report's
//! year: a sentence naming another year (`2022年未发生…` in a 2023 report) is left alone. A cell
//! that cannot be read makes the check not assessable, never a finding; a report without the
//! table (a pre-2019 report) is not checked against it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::table_terms::resolve_written;
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Label};
use crate::model::prose::{Sentence, sentences};
use crate::model::{Lookup, Provenance, Report, TableId};
use crate::rules::Context;
use crate::rules::patterns::words;

const TABLE_VARS: &[&str] = &["claim", "table", "cells", "value"];
const STATEMENT_VARS: &[&str] = &["claim", "statement", "amount", "line"];

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    claim: Vec<ClaimSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ClaimSpec {
    id: String,
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    about: Vec<String>,
    #[serde(default)]
    not_about: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    message: Spanned<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    table: Option<TableSpec>,
    #[serde(default)]
    statement: Option<StatementSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TableSpec {
    table: Spanned<String>,
    rows: Vec<Spanned<String>>,
    column: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StatementSpec {
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct NarrativeClaims {
    claims: Vec<Claim>,
}

#[derive(Debug)]
struct Claim {
    /// Its name, for the checks that could not be carried out.
    id: String,
    patterns: Vec<Regex>,
    /// Words that, just before the phrase, negate it (`未能全部办结`).
    not_after: Vec<String>,
    /// The sentence must have one of these (empty: any sentence).
    about: Vec<String>,
    /// The sentence must have none of these: it is about something else.
    not_about: Vec<String>,
    /// The clause must have none of these.
    unless: Vec<String>,
    message: &'static str,
    help: Option<String>,
    contradiction: Contradiction,
}

#[derive(Debug)]
enum Contradiction {
    /// The sum of these cells above zero.
    Table {
        table: TableId,
        rows: Vec<&'static str>,
        column: &'static str,
    },
    /// A statement elsewhere of an amount above zero.
    Statement {
        patterns: Vec<Regex>,
        unless: Vec<String>,
    },
}

/// A year written in a sentence.
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年").expect("year pattern is valid"));

/// Whether a sentence names a year other than the report's (then it is not about this year).
pub(crate) fn names_other_year(text: &str, year: Option<i32>) -> bool {
    YEAR.captures_iter(text).any(|caps| {
        caps.get(1)
            .and_then(|m| m.as_str().parse::<i32>().ok())
            .is_some_and(|written| Some(written) != year)
    })
}

fn compile_claim(spec: ClaimSpec, compile: &Compile<'_>) -> Result<Claim, LoadError> {
    if spec.patterns.is_empty() {
        return Err(compile.error(spec.message.span(), "patterns 不能为空"));
    }
    let contradiction = match (spec.table, spec.statement) {
        (Some(table), None) => {
            let id = compile.table(&table.table)?;
            let row_keys = compile.layouts.row_keys(id);
            let rows = table
                .rows
                .iter()
                .map(|row| resolve_written(compile, row, &row_keys, "行"))
                .collect::<Result<Vec<_>, _>>()?;
            if rows.is_empty() {
                return Err(compile.error(table.table.span(), "rows 不能为空"));
            }
            let column = resolve_written(
                compile,
                &table.column,
                &compile.layouts.column_keys(id),
                "列",
            )?;
            Contradiction::Table {
                table: id,
                rows,
                column,
            }
        }
        (None, Some(statement)) => Contradiction::Statement {
            patterns: compile.patterns_with(&statement.patterns, "amount")?,
            unless: words(&statement.unless),
        },
        _ => {
            return Err(compile.error(
                spec.message.span(),
                "每个说法须有且只有一个 [check.claim.table] 或 [check.claim.statement]",
            ));
        }
    };
    let wanted = match contradiction {
        Contradiction::Table { .. } => ["contradicted", "doubtful"].as_slice(),
        Contradiction::Statement { .. } => ["contradicted-by-statement"].as_slice(),
    };
    let message = wanted
        .iter()
        .copied()
        .find(|key| *key == spec.message.get_ref())
        .ok_or_else(|| {
            compile.error(
                spec.message.span(),
                format!("message 应为 {}", wanted.join(" 或 ")),
            )
        })?;
    Ok(Claim {
        id: spec.id,
        patterns: compile.patterns(&spec.patterns)?,
        not_after: words(&spec.not_after),
        about: words(&spec.about),
        not_about: words(&spec.not_about),
        unless: words(&spec.unless),
        message,
        help: spec.help,
        contradiction,
    })
}

impl CheckKind for NarrativeClaims {
    const NAME: &'static str = "narrative-claims";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::optional("contradicted", TABLE_VARS),
        MessageSpec::optional("doubtful", TABLE_VARS),
        MessageSpec::optional("contradicted-by-statement", STATEMENT_VARS),
        MessageSpec::required("label-claim", &[]),
        MessageSpec::required("label-cell", &["row", "column", "value"]),
        MessageSpec::required("label-statement", &["amount"]),
        MessageSpec::required("cell", &["row", "column"]),
        MessageSpec::required("cells-sum", &["cells"]),
        MessageSpec::required("note-recovered", &[]),
        MessageSpec::required("note-help", &["help"]),
        MessageSpec::required("check", &["claim", "table"]),
        MessageSpec::required("reason-unavailable", &["cells"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let claims = spec
            .claim
            .into_iter()
            .map(|claim| compile_claim(claim, compile))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { claims })
    }

    fn required_messages(&self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = self.claims.iter().map(|claim| claim.message).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let prose = sentences(context.doc, report);
        for claim in &self.claims {
            if let Contradiction::Table { table, .. } = &claim.contradiction
                && report.table(*table).is_none()
            {
                continue;
            }
            for sentence in &prose {
                if let Some(found) = claim.find(report, sentence) {
                    claim.judge(context, &prose, sentence, found);
                }
            }
        }
    }
}

impl Claim {
    /// The claim's phrase in a sentence about what the claim is about, and about the report year.
    fn find(&self, report: &Report, sentence: &Sentence) -> Option<Range<usize>> {
        let text = sentence.text(report);
        if !self.about.is_empty() && !self.about.iter().any(|word| text.contains(word.as_str())) {
            return None;
        }
        if self.not_about.iter().any(|word| text.contains(word.as_str())) {
            return None;
        }
        if names_other_year(text, report.year) {
            return None;
        }
        self.patterns.iter().find_map(|pattern| {
            pattern.find_iter(text).map(|m| m.range()).find(|found| {
                let before = &text[..found.start];
                if self.not_after.iter().any(|word| before.ends_with(word.as_str())) {
                    return false;
                }
                let clause = &text[sentence.clause_around(report, found.clone())];
                !self.unless.iter().any(|word| clause.contains(word.as_str()))
            })
        })
    }

    fn judge(
        &self,
        context: &mut Context<'_>,
        prose: &[Sentence],
        sentence: &Sentence,
        found: Range<usize>,
    ) {
        let report = context.report;
        let text = sentence.text(report);
        let clause = sentence.clause_around(report, found.clone());
        let claim_text = text[clause.clone()].to_owned();
        let claim_range = sentence.source(report, clause);
        let label = Label::new(claim_range, context.message("label-claim", &[]));
        match &self.contradiction {
            Contradiction::Table {
                table,
                rows,
                column,
            } => self.against_table(context, label, &claim_text, *table, rows, column),
            Contradiction::Statement { patterns, unless } => {
                let Some((amount, range)) = amount_stated(report, prose, sentence, patterns, unless)
                else {
                    return;
                };
                let (line, _) = crate::text::LineIndex::new(&context.doc.text)
                    .position(&context.doc.text, range.start);
                let vars = [
                    ("claim", claim_text),
                    ("statement", context.doc.slice(range).to_owned()),
                    ("amount", amount),
                    ("line", line.to_string()),
                ];
                let mut diagnostic = context.diagnostic(self.message, &vars).with_primary(label);
                let amount_label =
                    context.message("label-statement", &[("amount", vars[2].1.clone())]);
                diagnostic = diagnostic.with_secondary(Label::new(range, amount_label));
                if let Some(help) = &self.help {
                    diagnostic = diagnostic
                        .with_note(context.message("note-help", &[("help", help.clone())]));
                }
                context.emit(diagnostic);
            }
        }
    }

    fn against_table(
        &self,
        context: &mut Context<'_>,
        label: Label,
        claim_text: &str,
        table: TableId,
        rows: &[&'static str],
        column: &'static str,
    ) {
        let report = context.report;
        let Some(typed) = report.table(table) else {
            return;
        };
        let mut total = 0_i64;
        let mut cells = Vec::new();
        let mut unavailable = Vec::new();
        let mut recovered = false;
        for row in rows {
            let display = typed.row(row).map_or(*row, |typed_row| typed_row.display);
            let name = context.message("cell", &[("row", display.to_owned()), ("column", column.to_owned())]);
            match typed.lookup(row, column) {
                Lookup::Value { value, cell } => {
                    total += value;
                    recovered |= cell.provenance == Provenance::Recovered;
                    cells.push((*row, display, name, value, cell.range));
                }
                Lookup::Unavailable { range, .. } => unavailable.push((name, range)),
                // A row or column the table's edition does not have: nothing to compare.
                Lookup::NotInLayout => return,
            }
        }
        if !unavailable.is_empty() {
            let names: String = unavailable.iter().map(|(name, _)| name.as_str()).collect();
            let check = context.message(
                "check",
                &[("claim", self.id.clone()), ("table", table.name().to_owned())],
            );
            let reason = context.message("reason-unavailable", &[("cells", names)]);
            let range = unavailable.iter().find_map(|(_, range)| *range);
            context.not_assessable(check, reason, Vec::new(), range.or(Some(label.range)));
            return;
        }
        if total <= 0 {
            return;
        }
        let mut names: String = cells.iter().map(|(_, _, name, _, _)| name.as_str()).collect();
        // Several cells compared as one figure: say it is their sum.
        if cells.len() > 1 {
            names = context.message("cells-sum", &[("cells", names)]);
        }
        let vars = [
            ("claim", claim_text.to_owned()),
            ("table", table.name().to_owned()),
            ("cells", names),
            ("value", total.to_string()),
        ];
        let mut diagnostic = context.diagnostic(self.message, &vars).with_primary(label);
        for (row, display, _, value, range) in &cells {
            let text = context.message(
                "label-cell",
                &[
                    ("row", (*display).to_owned()),
                    ("column", column.to_owned()),
                    ("value", value.to_string()),
                ],
            );
            diagnostic = diagnostic.with_secondary(Label::new(*range, text));
            diagnostic.cells.push(CellRef {
                table,
                row: Some((*row).to_owned()),
                column: Some(column.to_owned()),
            });
        }
        diagnostic.cell = diagnostic.cells.first().cloned();
        diagnostic.found = Some(i128::from(total));
        if recovered {
            diagnostic = diagnostic
                .from_extraction()
                .with_note(context.message("note-recovered", &[]));
        }
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_note(context.message("note-help", &[("help", help.clone())]));
        }
        context.emit(diagnostic);
    }
}

/// The first statement of an amount above zero, outside the claim's own sentence and about the
/// report year: the amount as written, and where.
fn amount_stated(
    report: &Report,
    prose: &[Sentence],
    claim: &Sentence,
    patterns: &[Regex],
    unless: &[String],
) -> Option<(String, crate::text::TextRange)> {
    prose
        .iter()
        .filter(|sentence| sentence.folded != claim.folded)
        .find_map(|sentence| {
            let text = sentence.text(report);
            if names_other_year(text, report.year) {
                return None;
            }
            patterns.iter().find_map(|pattern| {
                pattern.captures_iter(text).find_map(|caps| {
                    let whole = caps.get(0)?;
                    let amount = caps.name("amount")?;
                    let value: f64 = amount.as_str().replace(',', "").parse().ok()?;
                    let clause = &text[sentence.clause_around(report, whole.range())];
                    if value <= 0.0 || unless.iter().any(|word| clause.contains(word.as_str())) {
                        return None;
                    }
                    // The amount with its unit (`120元`, `1.2万元`).
                    Some((
                        text[amount.start()..whole.end()].to_owned(),
                        sentence.source(report, whole.range()),
                    ))
                })
            })
        })
}
