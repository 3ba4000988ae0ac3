//! The kinds of check a rule file can declare. Adding a kind means one module here, one variant of
//! [`Check`] and one line in [`load`]; adding a rule of an existing kind needs no Rust at all.

pub mod cross_year;
pub mod document_kind;
pub mod period_range;
pub mod period_statement;
pub mod required_sections;
pub mod table_cells;
pub mod table_identity;
pub mod table_presence;

use std::collections::BTreeMap;

use toml::Spanned;

use super::load::{LoadError, RuleSource};
use super::{Context, Rule};
use crate::diagnostic::Severity;
use crate::model::TableId;

/// A message a kind emits: its key in `[messages]`, the placeholders it may use, and whether the
/// rule file must provide it.
#[derive(Debug)]
pub struct MessageSpec {
    /// The key in `[messages]`.
    pub key: &'static str,
    /// Placeholders the template may use.
    pub placeholders: &'static [&'static str],
    /// Whether the rule file must define it.
    pub required: bool,
    /// Whether the finding is about the reading rather than the report (see [`Origin`]).
    ///
    /// [`Origin`]: crate::diagnostic::Origin
    pub extraction: bool,
}

/// A compiled check.
#[derive(Debug)]
pub enum Check {
    /// `required-sections`: the sections a format requires are present.
    RequiredSections(required_sections::RequiredSections),
    /// `table-identity`: arithmetic identities between table cells hold.
    TableIdentity(table_identity::TableIdentity),
    /// `table-cells`: tables are complete and every cell holds a valid figure.
    TableCells(table_cells::TableCells),
    /// `table-presence`: the tables a format requires are there and readable.
    TablePresence(table_presence::TablePresence),
    /// `period-statement`: a statistical-period statement exists.
    PeriodStatement(period_statement::PeriodStatementCheck),
    /// `period-range`: the statement covers the report year.
    PeriodRange(period_range::PeriodRange),
    /// `document-kind`: the document is an annual report.
    DocumentKind(document_kind::DocumentKind),
    /// `cross-year`: identities between a report and the year before's (run on pairs).
    CrossYear(cross_year::CrossYear),
}

/// The kinds a rule file may name.
pub const KIND_NAMES: &[&str] = &[
    "required-sections",
    "table-identity",
    "table-cells",
    "table-presence",
    "period-statement",
    "period-range",
    "document-kind",
    "cross-year",
];

impl Check {
    /// The kind's name.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::RequiredSections(_) => "required-sections",
            Self::TableIdentity(_) => "table-identity",
            Self::TableCells(_) => "table-cells",
            Self::TablePresence(_) => "table-presence",
            Self::PeriodStatement(_) => "period-statement",
            Self::PeriodRange(_) => "period-range",
            Self::DocumentKind(_) => "document-kind",
            Self::CrossYear(_) => "cross-year",
        }
    }

    pub(crate) fn run(&self, context: &mut Context<'_>) {
        match self {
            Self::RequiredSections(check) => check.run(context),
            Self::TableIdentity(check) => check.run(context),
            Self::TableCells(check) => check.run(context),
            Self::TablePresence(check) => check.run(context),
            Self::PeriodStatement(check) => check.run(context),
            Self::PeriodRange(check) => check.run(context),
            Self::DocumentKind(check) => check.run(context),
            // Runs on pairs of reports: see `Registry::check_pair`.
            Self::CrossYear(_) => {}
        }
    }
}

/// Reads a rule file whose `[check]` is of the given kind.
pub(crate) fn load(kind: Spanned<String>, source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    match kind.get_ref().as_str() {
        "required-sections" => required_sections::load(source),
        "table-identity" => table_identity::load(source),
        "table-cells" => table_cells::load(source),
        "table-presence" => table_presence::load(source),
        "period-statement" => period_statement::load(source),
        "period-range" => period_range::load(source),
        "document-kind" => document_kind::load(source),
        "cross-year" => cross_year::load(source),
        other => {
            let suggestion = crate::text::closest(other, KIND_NAMES.iter().copied())
                .map(|name| format!("；是否想写「{name}」？"))
                .unwrap_or_default();
            Err(source.error(
                kind.span(),
                format!(
                    "未知的检查类型「{other}」（可用：{}）{suggestion}",
                    KIND_NAMES.join(", ")
                ),
            ))
        }
    }
}

/// A table named in a rule file (`表三`, `T3`).
pub(super) fn parse_table(
    source: &RuleSource<'_>,
    table: &Spanned<String>,
) -> Result<TableId, LoadError> {
    TableId::parse(table.get_ref()).ok_or_else(|| {
        source.error(
            table.span(),
            format!("未知的表「{}」（可用：表二、表三、表四）", table.get_ref()),
        )
    })
}

/// The tables named in a rule file.
pub(super) fn parse_tables(
    source: &RuleSource<'_>,
    tables: &[Spanned<String>],
) -> Result<Vec<TableId>, LoadError> {
    tables
        .iter()
        .map(|name| parse_table(source, name))
        .collect()
}

/// Per-finding severities of a `[check.severity]` table, each key one of `findings`.
pub(super) fn parse_severities(
    source: &RuleSource<'_>,
    map: Option<&Spanned<BTreeMap<String, Severity>>>,
    findings: &[&str],
) -> Result<BTreeMap<String, Severity>, LoadError> {
    let Some(map) = map else {
        return Ok(BTreeMap::new());
    };
    for finding in map.get_ref().keys() {
        if !findings.contains(&finding.as_str()) {
            return Err(source.error(
                map.span(),
                format!(
                    "未知的问题类型「{finding}」（可用：{}）",
                    findings.join(", ")
                ),
            ));
        }
    }
    Ok(map.get_ref().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        let closest = |word| crate::text::closest(word, KIND_NAMES.iter().copied());
        assert_eq!(closest("table-identiy"), Some("table-identity"));
        assert_eq!(closest("nonsense"), None);
    }
}
