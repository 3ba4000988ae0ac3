//! The kinds of check a rule file can declare (`[check] kind = "…"`).
//!
//! A kind is one module here holding a type that implements [`CheckKind`], and one line in the
//! [`check_kinds!`] list at the bottom of this file; the [`Check`] enum, the list of kind names,
//! loading and dispatch all come from that list. The kind's default wording for its labels and
//! notes, if it has any, is data: `rules/kinds/<kind>.toml`. Adding a rule of an existing kind
//! needs no Rust at all.

use serde::de::DeserializeOwned;
use toml::Spanned;

mod table_terms;

use super::{Context, PairContext, Rule};
use crate::datafile::{DataFile, LoadError};
use crate::model::{Keywords, LayoutSet, ModelConfig, TableId};

/// A message a kind emits: its key in `[messages]`, the placeholders it may use, and whether the
/// rule file must provide it.
#[derive(Debug)]
pub struct MessageSpec {
    /// The key in `[messages]`.
    pub key: &'static str,
    /// Placeholders the template may use.
    pub placeholders: &'static [&'static str],
    /// Whether the rule (or the kind's default wording) must define it.
    pub required: bool,
    /// Whether the finding is about the reading rather than the report (see [`Origin`]).
    ///
    /// [`Origin`]: crate::diagnostic::Origin
    pub extraction: bool,
}

impl MessageSpec {
    /// A message every rule of the kind must have.
    pub const fn required(key: &'static str, placeholders: &'static [&'static str]) -> Self {
        Self {
            key,
            placeholders,
            required: true,
            extraction: false,
        }
    }

    /// A message a rule of the kind may have.
    pub const fn optional(key: &'static str, placeholders: &'static [&'static str]) -> Self {
        Self {
            key,
            placeholders,
            required: false,
            extraction: false,
        }
    }

    /// The same message, marking findings about the reading rather than the report.
    #[must_use]
    pub const fn about_reading(self) -> Self {
        Self {
            extraction: true,
            ..self
        }
    }
}

/// What a check is compiled against: its rule file (for spanned errors) and the table layouts.
pub struct Compile<'a> {
    /// The rule file.
    pub(crate) file: &'a DataFile<'a>,
    /// The layouts rules resolve table keys against.
    pub layouts: &'a LayoutSet,
}

impl Compile<'_> {
    /// An error at a span of the rule file.
    pub fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> LoadError {
        self.file.error(span, message)
    }

    /// A table named in a rule file (`表三`, `T3`).
    pub fn table(&self, table: &Spanned<String>) -> Result<TableId, LoadError> {
        TableId::parse(table.get_ref()).ok_or_else(|| {
            self.error(
                table.span(),
                format!("未知的表「{}」（可用：表二、表三、表四）", table.get_ref()),
            )
        })
    }

    /// Keyword groups written in a rule file (`[["问题", "不足"], ["改进"]]`).
    pub fn keywords(&self, groups: &Spanned<Vec<Vec<String>>>) -> Result<Keywords, LoadError> {
        Keywords::new(groups.get_ref()).ok_or_else(|| {
            self.error(
                groups.span(),
                "关键词应为非空的词组列表，如 [[\"问题\", \"不足\"], [\"改进\"]]",
            )
        })
    }

    /// The tables named in a rule file.
    pub fn tables(&self, tables: &[Spanned<String>]) -> Result<Vec<TableId>, LoadError> {
        tables.iter().map(|name| self.table(name)).collect()
    }
}

/// A kind of check.
pub trait CheckKind: Sized + std::fmt::Debug + Send + Sync {
    /// The name a rule file gives it (`kind = "table-identity"`).
    const NAME: &'static str;
    /// The messages its rules may define, with their placeholders.
    const MESSAGES: &'static [MessageSpec];
    /// The rule file's `[check]` table, without its `kind` key.
    type Spec: DeserializeOwned;

    /// Compiles a rule's `[check]`: keys resolved, patterns built, mistakes reported with their
    /// place in the file.
    fn compile(spec: Self::Spec, compile: &Compile<'_>) -> Result<Self, LoadError>;

    /// Runs on one report.
    fn run(&self, context: &mut Context<'_>);

    /// Messages this rule needs beyond the kind's required ones (depending on its `[check]`).
    fn required_messages(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// What the rule sets for building every report's model (words, wordings).
    fn configure(&self, _model: &mut ModelConfig) {}

    /// The rows (table, row key) it needs from the year before's report, when it compares years.
    fn year_needs(&self) -> Vec<(TableId, &'static str)> {
        Vec::new()
    }

    /// Single cells (table, row key, column) it needs from the year before's report, beyond
    /// whole rows: an audit keeps them for every report, so only what is compared.
    fn year_cells(&self) -> Vec<(TableId, &'static str, &'static str)> {
        Vec::new()
    }

    /// Whether it compares a report with the same body's report for the year before (by
    /// default: when it needs figures of the year before's).
    fn compares_years(&self) -> bool {
        !self.year_needs().is_empty() || !self.year_cells().is_empty()
    }

    /// Runs on a report and the same body's report for the year before.
    fn run_pair(&self, _context: &mut PairContext<'_>) {}
}

/// The object-safe face of [`CheckKind`], for dispatch.
trait DynCheck {
    fn run(&self, context: &mut Context<'_>);
    fn required_messages(&self) -> Vec<&'static str>;
    fn configure(&self, model: &mut ModelConfig);
    fn year_needs(&self) -> Vec<(TableId, &'static str)>;
    fn year_cells(&self) -> Vec<(TableId, &'static str, &'static str)>;
    fn compares_years(&self) -> bool;
    fn run_pair(&self, context: &mut PairContext<'_>);
}

impl<K: CheckKind> DynCheck for K {
    fn run(&self, context: &mut Context<'_>) {
        CheckKind::run(self, context);
    }
    fn required_messages(&self) -> Vec<&'static str> {
        CheckKind::required_messages(self)
    }
    fn configure(&self, model: &mut ModelConfig) {
        CheckKind::configure(self, model);
    }
    fn year_needs(&self) -> Vec<(TableId, &'static str)> {
        CheckKind::year_needs(self)
    }
    fn year_cells(&self) -> Vec<(TableId, &'static str, &'static str)> {
        CheckKind::year_cells(self)
    }
    fn compares_years(&self) -> bool {
        CheckKind::compares_years(self)
    }
    fn run_pair(&self, context: &mut PairContext<'_>) {
        CheckKind::run_pair(self, context);
    }
}

/// Declares every kind: `module::Type` per line. Generates the modules, the [`Check`] enum with a
/// variant per kind (named after its type), [`KIND_NAMES`], loading by name and dispatch.
macro_rules! check_kinds {
    ($($module:ident :: $kind:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// A compiled check, of one of the kinds.
        #[derive(Debug)]
        pub enum Check {
            $(
                #[doc = concat!("`", stringify!($module), "`")]
                $kind($module::$kind),
            )*
        }

        /// The kinds a rule file may name.
        pub const KIND_NAMES: &[&str] = &[$(<$module::$kind as CheckKind>::NAME),*];

        impl Check {
            /// The kind's name.
            pub fn kind_name(&self) -> &'static str {
                match self {
                    $(Self::$kind(_) => <$module::$kind as CheckKind>::NAME,)*
                }
            }

            fn as_dyn(&self) -> &dyn DynCheck {
                match self {
                    $(Self::$kind(check) => check,)*
                }
            }
        }

        /// Reads a rule file whose `[check]` is of the given kind.
        pub(crate) fn load(
            kind: &Spanned<String>,
            file: &DataFile<'_>,
            layouts: &LayoutSet,
        ) -> Result<Rule, LoadError> {
            $(
                if kind.get_ref() == <$module::$kind as CheckKind>::NAME {
                    return super::load::load_kind::<$module::$kind>(file, layouts, Check::$kind);
                }
            )*
            Err(unknown_kind(kind, file))
        }
    };
}

impl Check {
    /// Runs on one report.
    pub fn run(&self, context: &mut Context<'_>) {
        self.as_dyn().run(context);
    }

    /// Messages the rule needs beyond its kind's required ones.
    pub fn required_messages(&self) -> Vec<&'static str> {
        self.as_dyn().required_messages()
    }

    /// What the rule sets for building every report's model.
    pub fn configure(&self, model: &mut ModelConfig) {
        self.as_dyn().configure(model);
    }

    /// The rows it needs from the year before's report (empty when it does not compare years).
    pub fn year_needs(&self) -> Vec<(TableId, &'static str)> {
        self.as_dyn().year_needs()
    }

    /// Single cells it needs from the year before's report, beyond whole rows.
    pub fn year_cells(&self) -> Vec<(TableId, &'static str, &'static str)> {
        self.as_dyn().year_cells()
    }

    /// Whether it compares a report with the year before's.
    pub fn compares_years(&self) -> bool {
        self.as_dyn().compares_years()
    }

    /// Runs on a report and the year before's.
    pub fn run_pair(&self, context: &mut PairContext<'_>) {
        self.as_dyn().run_pair(context);
    }
}

fn unknown_kind(kind: &Spanned<String>, file: &DataFile<'_>) -> LoadError {
    let other = kind.get_ref();
    let suggestion = crate::text::closest(other, KIND_NAMES.iter().copied())
        .map(|name| format!("；是否想写「{name}」？"))
        .unwrap_or_default();
    file.error(
        kind.span(),
        format!(
            "未知的检查类型「{other}」（可用：{}）{suggestion}",
            KIND_NAMES.join(", ")
        ),
    )
}

check_kinds! {
    required_sections::RequiredSections,
    table_identity::TableIdentity,
    table_cells::TableCells,
    table_presence::TablePresence,
    table_reading::TableReading,
    period_statement::PeriodStatement,
    period_range::PeriodRange,
    document_kind::DocumentKind,
    narrative_figures::NarrativeFigures,
    narrative_shares::NarrativeShares,
    narrative_parts::NarrativeParts,
    heading_order::HeadingOrder,
    format_markers::FormatMarkers,
    row_labels::RowLabels,
    section_content::SectionContent,
    repeated_text::RepeatedText,
    year_change::YearChange,
    narrative_claims::NarrativeClaims,
    year_mentions::YearMentions,
    issuer_figures::IssuerFigures,
    publication_deadline::PublicationDeadline,
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
