//! `row-labels`: the tables' row labels are worded as the format document words them. The
//! official wording is the layout's (`official`, else `label`, in `layouts/*.toml`); the layout's
//! `words` only find the row. A label is taken as written officially when, normalised, with its
//! ordinals (`（三）`, `1.`), punctuation and a trailing parenthesised note (`（区分处理的，…）`,
//! a local template's `（设区的市…应提供相关数据）`) left out, it reads as the official one.
//!
//! Only labels as written are judged — a page's or a Word file's table cells: a copy whose rows
//! were pieced together from lines (text, PDF, Markdown) cuts and wraps labels, which says nothing
//! of the report. Column headers are not judged: the reader only knows a column by its official
//! name, so a header worded otherwise is never matched to a column in the first place.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::layout::strip_annotation;
use crate::model::ordinal::{Ordinal, split_ordinal};
use crate::model::{Provenance, TableId};
use crate::rules::Context;
use crate::text::fold;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    tables: Vec<Spanned<String>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct RowLabels {
    tables: Vec<TableId>,
}

/// A label's words for comparing: normalised, ordinals and punctuation dropped.
fn words_of(folded: &str) -> String {
    let mut rest = folded;
    while let (Some(_), after) = split_ordinal(rest) {
        rest = after;
    }
    rest.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether a written label reads as the official one.
fn conforms(written: &str, official: &str) -> bool {
    let (written, official) = (fold(written), fold(official));
    words_of(&written) == words_of(&official)
        || words_of(strip_annotation(&written)) == words_of(strip_annotation(&official))
}

/// The official label as the report would write it: without the group's ordinal (`（三）`) when
/// the written label has none, its group standing in a cell of its own.
fn shown(official: &str, written: &str) -> String {
    let written_ordinal = split_ordinal(&fold(written)).0;
    let folded = fold(official);
    let (first, rest) = split_ordinal(&folded);
    let nested = matches!(first, Some(Ordinal::Paren(_)))
        && matches!(split_ordinal(rest).0, Some(Ordinal::Digit(_)));
    if nested
        && !matches!(written_ordinal, Some(Ordinal::Paren(_)))
        && let Some(close) = official.find(['）', ')'])
    {
        let after = close + official[close..].chars().next().map_or(1, char::len_utf8);
        return official[after..].to_owned();
    }
    official.to_owned()
}

impl CheckKind for RowLabels {
    const NAME: &'static str = "row-labels";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("nonstandard", &["table", "row", "written", "official"]),
        MessageSpec::required("label-written", &["official"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            tables: compile.tables(&spec.tables)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        if context.report.structure != Provenance::AsWritten {
            return;
        }
        for table in &context.report.tables {
            if !self.tables.contains(&table.id) || table.layout.one_line {
                continue;
            }
            for row in &table.rows {
                let Some(range) = row.label.filter(|_| row.provenance == Provenance::AsWritten)
                else {
                    continue;
                };
                let Some(spec) = table.layout.row(row.key) else {
                    continue;
                };
                let written = context.doc.slice(range).trim();
                if written.is_empty() || conforms(written, &spec.official) {
                    continue;
                }
                let official = shown(&spec.official, written);
                let vars = [
                    ("table", table.id.name().to_owned()),
                    ("row", row.display.to_owned()),
                    ("written", written.to_owned()),
                    ("official", official.clone()),
                ];
                let label = Label::new(
                    range,
                    context.message("label-written", &[("official", official)]),
                );
                let diagnostic = context.diagnostic("nonstandard", &vars).with_primary(label);
                context.emit(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_punctuation_and_notes_do_not_matter() {
        let official = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）";
        assert!(conforms("（二）部分公开", official));
        assert!(conforms("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", official));
        assert!(conforms("1、属于国家秘密", "（三）1.属于国家秘密"));
        assert!(conforms("3.危及三安全一稳定", "（三）3.危及“三安全一稳定”"));
        assert!(conforms("规章（设区的市、自治州人民政府应提供相关数据）", "规章"));
        assert!(!conforms("1.涉及国家秘密", "（三）1.属于国家秘密"));
        assert!(!conforms("规范性文件", "行政规范性文件"));
    }

    #[test]
    fn the_official_label_is_shown_as_the_report_writes_its_labels() {
        assert_eq!(
            shown("（三）1.属于国家秘密", "1.涉及国家秘密"),
            "1.属于国家秘密"
        );
        assert_eq!(
            shown("（三）1.属于国家秘密", "（三）1.涉及国家秘密"),
            "（三）1.属于国家秘密"
        );
        assert_eq!(shown("行政规范性文件", "规范性文件"), "行政规范性文件");
    }
}
