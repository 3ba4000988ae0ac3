//! Table figures named in rule files as `行:列` (`一:总计`, `规章:现行有效件数`), and sums of them
//! (*bases*): what a narrative figure is compared with. Shared by the kinds that read the prose.

use serde::Deserialize;
use toml::Spanned;

use super::Compile;
use crate::datafile::LoadError;
use crate::model::{Lookup, Provenance, Report, TableId, TypedCell};
use crate::text::fold;

/// One cell: a row key and a column name of a table.
#[derive(Clone, Copy, Debug)]
pub(super) struct CellTerm {
    pub(super) row: &'static str,
    pub(super) column: &'static str,
}

/// A sum of cells a narrative figure may stand for, with its name for messages.
#[derive(Clone, Debug)]
pub(super) struct Base {
    pub(super) name: String,
    pub(super) terms: Vec<CellTerm>,
}

/// A base as a rule file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct BaseSpec {
    name: String,
    terms: Vec<Spanned<String>>,
}

/// The layout's own key for a key written in a rule file (brackets of either width alike).
pub(super) fn resolve_key(
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

/// [`resolve_key`] for a key written as a value of its own, reported at its place.
pub(super) fn resolve_written(
    compile: &Compile<'_>,
    written: &toml::Spanned<String>,
    known: &[&'static str],
    what: &str,
) -> Result<&'static str, LoadError> {
    resolve_key(compile, written.span(), written.get_ref(), known, what)
}

/// Reads `行:列`.
fn cell_term(
    compile: &Compile<'_>,
    table: TableId,
    written: &Spanned<String>,
) -> Result<CellTerm, LoadError> {
    let text = written.get_ref();
    let Some((row, column)) = text.split_once([':', '：']) else {
        return Err(compile.error(
            written.span(),
            format!("「{text}」应写作「行:列」，如「一:总计」"),
        ));
    };
    Ok(CellTerm {
        row: resolve_key(
            compile,
            written.span(),
            row.trim(),
            &compile.layouts.row_keys(table),
            "行",
        )?,
        column: resolve_key(
            compile,
            written.span(),
            column.trim(),
            &compile.layouts.column_keys(table),
            "列",
        )?,
    })
}

/// Reads a list of bases of one table.
pub(super) fn compile_bases(
    compile: &Compile<'_>,
    table: TableId,
    bases: &[BaseSpec],
) -> Result<Vec<Base>, LoadError> {
    bases
        .iter()
        .map(|base| {
            Ok(Base {
                name: base.name.clone(),
                terms: base
                    .terms
                    .iter()
                    .map(|term| cell_term(compile, table, term))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

/// A column list resolved against a table's layouts.
pub(super) fn compile_columns(
    compile: &Compile<'_>,
    table: TableId,
    columns: &[Spanned<String>],
) -> Result<Vec<&'static str>, LoadError> {
    let known = compile.layouts.column_keys(table);
    columns
        .iter()
        .map(|column| resolve_key(compile, column.span(), column.get_ref(), &known, "列"))
        .collect()
}

/// A cell that went into a base's value.
#[derive(Clone, Copy, Debug)]
pub(super) struct UsedCell<'r> {
    pub(super) row: &'static str,
    pub(super) column: &'static str,
    pub(super) value: i64,
    pub(super) cell: &'r TypedCell,
}

/// What a base comes to in a report.
#[derive(Debug)]
pub(super) enum BaseValue<'r> {
    /// The report has no such table (that is `table-missing`'s to say).
    TableAbsent,
    /// The table's layout lacks one of its cells (the base does not apply to this edition).
    NotInLayout,
    /// A cell it needs holds no usable figure.
    Unavailable,
    /// Its value, and the cells summed.
    Value(i64, Vec<UsedCell<'r>>),
}

impl BaseValue<'_> {
    /// Whether a figure read from the table was recovered from digits run together.
    pub(super) fn recovered(&self) -> bool {
        matches!(self, Self::Value(_, cells) if cells.iter().any(|used| used.cell.provenance == Provenance::Recovered))
    }
}

/// The value of a base in a report's table; `columns` replaces a term's `总计` (the narrative named
/// a kind of applicant: `自然人申请…`).
pub(super) fn evaluate<'r>(
    report: &'r Report,
    table: TableId,
    base: &Base,
    columns: Option<&[&'static str]>,
) -> BaseValue<'r> {
    let Some(typed) = report.table(table) else {
        return BaseValue::TableAbsent;
    };
    let mut total = 0i64;
    let mut used = Vec::new();
    for term in &base.terms {
        let expanded: Vec<&'static str> = match columns {
            Some(columns) if term.column == "总计" => columns.to_vec(),
            _ => vec![term.column],
        };
        for column in expanded {
            match typed.lookup(term.row, column) {
                Lookup::NotInLayout => return BaseValue::NotInLayout,
                Lookup::Unavailable { .. } => return BaseValue::Unavailable,
                Lookup::Value { value, cell } => {
                    total = total.saturating_add(value);
                    used.push(UsedCell {
                        row: term.row,
                        column,
                        value,
                        cell,
                    });
                }
            }
        }
    }
    BaseValue::Value(total, used)
}
