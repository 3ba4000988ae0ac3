//! `table-identity`: sums of table cells that must be equal — within one report, or between a
//! report and the same body's report for the year before.
//!
//! An identity names a table, an orientation and two lists of terms: for `for-each = "column"` it
//! is checked in every column (or those in `over`), the terms being row keys; for
//! `for-each = "row"` in every row (or those in `over`), the terms being column names. A term
//! written `上年:四` is read from the year before's report, one written `-本年废止件数` is
//! subtracted. The total side is "reported" (this year's report), the parts side "computed".
//!
//! An identity with a term of the year before runs only when that report is there (`check
//! --previous`, or two years of one body in a run) — on the figures kept of both reports, since an
//! audit no longer holds the documents. A cell that is missing, blank or unreadable makes that
//! instance not assessable — never a zero, never a mismatch; a term the table's layout does not
//! have (a `小计` column in a 7-column 表三) skips the instance. Every word of a finding — labels,
//! notes, reasons — is a message key: the kind's defaults are in `rules/kinds/table-identity.toml`.

mod evaluate;
mod figures;

use serde::Deserialize;
use toml::Spanned;

use self::evaluate::{Outcome, Reports, evaluate};
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::model::TableId;
use crate::rules::{Context, PairContext};
use crate::text::fold;

const MISMATCH: &[&str] = &[
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
const REASON: &[&str] = &["report", "table", "rows", "cells"];

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    identity: Vec<IdentitySpec>,
}

/// Whether an identity runs down each column (terms are rows) or along each row (terms are
/// columns).
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum ForEach {
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

/// Which report a term is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Year {
    This,
    Last,
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
pub struct TableIdentity {
    identities: Vec<Identity>,
}

#[derive(Debug)]
struct Identity {
    id: String,
    description: String,
    table: TableId,
    edition: Option<&'static str>,
    for_each: ForEach,
    over: Option<Vec<&'static str>>,
    total: Vec<Term>,
    parts: Vec<Term>,
    message: Option<String>,
}

impl Identity {
    /// Whether a term is read from the year before's report.
    fn compares_years(&self) -> bool {
        self.total
            .iter()
            .chain(&self.parts)
            .any(|term| term.year == Year::Last)
    }

    /// (row, column) of a term's key in an instance.
    fn address(&self, instance: &'static str, key: &'static str) -> (&'static str, &'static str) {
        match self.for_each {
            ForEach::Column => (key, instance),
            ForEach::Row => (instance, key),
        }
    }
}

/// The layout's own key for a key written in a rule file (full- or half-width brackets alike).
fn resolve_key(
    compile: &Compile<'_>,
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
            compile.error(
                span,
                format!("未知的{what}「{written}」（可用：{}）", known.join("、")),
            )
        })
}

fn parse_term(
    compile: &Compile<'_>,
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
    let mut year = Year::This;
    for prefix in ["上年:", "上年："] {
        if let Some(after) = rest.strip_prefix(prefix) {
            year = Year::Last;
            rest = after.trim_start();
        }
    }
    let key = resolve_key(compile, text.span(), rest, known, what)?;
    Ok(Term {
        year,
        negative,
        key,
    })
}

fn compile_identity(spec: &IdentitySpec, compile: &Compile<'_>) -> Result<Identity, LoadError> {
    let table = compile.table(&spec.table)?;
    let editions = compile.layouts.editions(table);
    let edition = spec
        .edition
        .as_ref()
        .map(|edition| {
            editions
                .iter()
                .copied()
                .find(|known| *known == edition.get_ref().trim())
                .ok_or_else(|| {
                    compile.error(
                        edition.span(),
                        format!(
                            "{}没有版本「{}」（可用：{}）",
                            table.name(),
                            edition.get_ref(),
                            editions.join("、")
                        ),
                    )
                })
        })
        .transpose()?;
    let (key_kind, over_kind) = match spec.for_each {
        ForEach::Column => ("行", "列"),
        ForEach::Row => ("列", "行"),
    };
    let (keys, over_keys) = match spec.for_each {
        ForEach::Column => (
            compile.layouts.row_keys(table),
            compile.layouts.column_keys(table),
        ),
        ForEach::Row => (
            compile.layouts.column_keys(table),
            compile.layouts.row_keys(table),
        ),
    };
    if spec.total.is_empty() || spec.parts.is_empty() {
        return Err(compile.error(spec.table.span(), "total 和 parts 都不能为空"));
    }
    let total = spec
        .total
        .iter()
        .map(|term| {
            let parsed = parse_term(compile, term, &keys, key_kind)?;
            if parsed.year == Year::Last || parsed.negative {
                return Err(compile.error(
                    term.span(),
                    "total 必须是本年度报告中的项（不加「上年:」或负号）",
                ));
            }
            Ok(parsed)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let parts = spec
        .parts
        .iter()
        .map(|term| parse_term(compile, term, &keys, key_kind))
        .collect::<Result<Vec<_>, _>>()?;
    let over = spec
        .over
        .as_ref()
        .map(|over| {
            over.iter()
                .map(|key| resolve_key(compile, key.span(), key.get_ref(), &over_keys, over_kind))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let identity = Identity {
        id: spec.id.clone(),
        description: spec.description.clone(),
        table,
        edition,
        for_each: spec.for_each,
        over,
        total,
        parts,
        message: spec.message.as_ref().map(|m| m.get_ref().clone()),
    };
    if identity.compares_years() && identity.for_each == ForEach::Row && identity.over.is_none() {
        return Err(compile.error(
            spec.table.span(),
            "取上一年度数值（「上年:」）且 for-each = \"row\" 时，须用 over 列出要核对的行",
        ));
    }
    if let Some(message) = &spec.message {
        crate::rules::load::check_placeholders(compile.file, message, "message", MISMATCH)?;
    }
    Ok(identity)
}

impl CheckKind for TableIdentity {
    const NAME: &'static str = "table-identity";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("mismatch", MISMATCH),
        MessageSpec::required("table-absent", &["table", "count", "report"]),
        MessageSpec::required("label-total", &["reported", "computed"]),
        MessageSpec::required("label-term", &["name", "value"]),
        MessageSpec::required("label-last-year", &["year", "name", "value"]),
        MessageSpec::required("term-last-year", &["value"]),
        MessageSpec::required("note-reported", &["terms", "reported"]),
        MessageSpec::required("note-computed", &["terms", "computed"]),
        MessageSpec::required("note-check", &["id", "description"]),
        MessageSpec::required("note-recovered", &[]),
        MessageSpec::required("report-this", &[]),
        MessageSpec::required("report-last", &[]),
        MessageSpec::required("report-both", &[]),
        MessageSpec::required("year-this", &[]),
        MessageSpec::required("year-last", &[]),
        MessageSpec::required("reason-row-missing", REASON),
        MessageSpec::required("reason-misaligned", REASON),
        MessageSpec::required("reason-unreadable", REASON),
        MessageSpec::required("reason-blank", REASON),
        MessageSpec::required("reason-placeholder", REASON),
        MessageSpec::required("reason-invalid", REASON),
        MessageSpec::required("reason-more", &["count"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let identities = spec
            .identity
            .iter()
            .map(|identity| compile_identity(identity, compile))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { identities })
    }

    fn run(&self, context: &mut Context<'_>) {
        let reports = Reports {
            this: context.report,
            last: None,
            this_year: context.report.year,
            last_year: None,
            last_path: "",
            era: context.report.era,
        };
        let mut out = Outcome::default();
        for identity in self.identities.iter().filter(|i| !i.compares_years()) {
            evaluate(identity, &reports, context.rule, &mut out);
        }
        for diagnostic in std::mem::take(&mut out.diagnostics) {
            context.emit(diagnostic);
        }
        for item in out.finish(context.rule) {
            context.push_not_assessable(item);
        }
    }

    fn year_needs(&self) -> Vec<(TableId, &'static str)> {
        let mut out = Vec::new();
        for identity in self.identities.iter().filter(|i| i.compares_years()) {
            let rows: Vec<&'static str> = match identity.for_each {
                ForEach::Column => identity
                    .total
                    .iter()
                    .chain(&identity.parts)
                    .map(|term| term.key)
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

    fn run_pair(&self, context: &mut PairContext<'_>) {
        let reports = Reports {
            this: context.current,
            last: Some(context.previous),
            this_year: context.current.year,
            last_year: context.previous.year,
            last_path: &context.previous.path,
            era: context.current.era,
        };
        let mut out = Outcome::default();
        for identity in self.identities.iter().filter(|i| i.compares_years()) {
            evaluate(identity, &reports, context.rule, &mut out);
        }
        for diagnostic in std::mem::take(&mut out.diagnostics) {
            context.emit(diagnostic);
        }
        for item in out.finish(context.rule) {
            context.push_not_assessable(item);
        }
    }
}
