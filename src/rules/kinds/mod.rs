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

use toml::Spanned;

use super::load::{LoadError, RuleSource};
use super::{Context, Rule};

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
            let suggestion = closest(other, KIND_NAMES)
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

/// The candidate nearest to `word`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count() / 3 + 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(closest("table-identiy", KIND_NAMES), Some("table-identity"));
        assert_eq!(closest("nonsense", KIND_NAMES), None);
    }
}
