//! `narrative-parts`: a total written in the prose and the parts listed after it add up
//! (`共收到申请21条，其中当面申请18条，电子邮件申请3条` → 18 + 3 = 21).
//!
//! A total is a figure with a unit whose head holds one of `total-words` (`共`, `合计`); its parts
//! are the figures after one of `parts-words` (`其中`) that follows it in the same sentence, in the
//! same unit and at the same bracket depth (a part's own breakdown in brackets is not counted
//! twice), up to the next total or the sentence's end. At least two parts are needed. Whether
//! the parts are the whole cannot be known from the words (`其中…等`), so the kind's findings are
//! what its rule's severity says — info for the built-in rule.

use serde::Deserialize;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::rules::Context;
use crate::text::fold;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    units: Vec<String>,
    total_words: Vec<String>,
    parts_words: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct NarrativeParts {
    /// Longest first, so that `万条` is found before `条`.
    units: Vec<String>,
    total_words: Vec<String>,
    parts_words: Vec<String>,
    skip: Vec<String>,
}

/// Bracket depth at each byte of `text`, starting from 0.
fn depth_at(text: &str, at: usize) -> i32 {
    text.get(..at).map_or(0, |before| {
        before.chars().fold(0, |depth, c| match c {
            '(' | '[' => depth + 1,
            ')' | ']' => depth - 1,
            _ => depth,
        })
    })
}

impl NarrativeParts {
    fn unit_after<'t>(&self, text: &'t str, at: usize) -> Option<&'t str> {
        let after = text.get(at..)?;
        self.units
            .iter()
            .find(|unit| after.starts_with(unit.as_str()))
            .and_then(|unit| after.get(..unit.len()))
    }
}

impl CheckKind for NarrativeParts {
    const NAME: &'static str = "narrative-parts";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("mismatch", &["total", "unit", "parts", "sum"]),
        MessageSpec::required("label-total", &["total", "unit", "sum"]),
        MessageSpec::required("label-part", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, _compile: &Compile<'_>) -> Result<Self, LoadError> {
        let mut units: Vec<String> = spec.units.iter().map(|u| fold(u)).collect();
        units.sort_by_key(|unit| std::cmp::Reverse(unit.len()));
        let fold_all = |words: &[String]| words.iter().map(|w| fold(w)).collect::<Vec<_>>();
        Ok(Self {
            units,
            total_words: fold_all(&spec.total_words),
            parts_words: fold_all(&spec.parts_words),
            skip: fold_all(&spec.skip),
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let narrative = &report.narrative;
        let text = report.folded.as_str();
        let figures = &narrative.figures;
        for index in 0..figures.len() {
            let total = &figures[index];
            let Some(unit) = self.unit_after(text, total.folded.end) else {
                continue;
            };
            let head = narrative.head(text, index);
            if !self.total_words.iter().any(|word| head.contains(word.as_str()))
                || self.skip.iter().any(|word| head.contains(word.as_str()))
            {
                continue;
            }
            // `其中` between the total and the next figure of its sentence.
            let Some(next) = figures.get(index + 1).filter(|next| next.clause == total.clause) else {
                continue;
            };
            let between = text.get(total.folded.end..next.folded.start).unwrap_or("");
            let Some(at) = self
                .parts_words
                .iter()
                .filter_map(|word| between.find(word.as_str()))
                .min()
            else {
                continue;
            };
            let clause_text = text.get(total.clause.clone()).unwrap_or("");
            let depth_of = |folded: usize| depth_at(clause_text, folded - total.clause.start);
            let depth = depth_of(total.folded.end + at);
            let mut parts = Vec::new();
            for (offset, part) in figures[index + 1..].iter().enumerate() {
                if part.clause != total.clause {
                    break;
                }
                let part_head = narrative.head(text, index + 1 + offset);
                if self.total_words.iter().any(|word| part_head.contains(word.as_str())) {
                    break;
                }
                let part_depth = depth_of(part.folded.start);
                if part_depth < depth {
                    break;
                }
                if part_depth == depth && self.unit_after(text, part.folded.end) == Some(unit) {
                    parts.push(part);
                }
            }
            if parts.len() < 2 {
                continue;
            }
            let decimals = parts
                .iter()
                .map(|part| part.numeral.decimals)
                .chain([total.numeral.decimals])
                .max()
                .unwrap_or(0);
            let sum: f64 = parts.iter().map(|part| part.numeral.value).sum();
            let step = 10f64.powi(-i32::from(decimals));
            if (sum - total.numeral.value).abs() < step / 2.0 {
                continue;
            }
            let show = |value: f64| format!("{value:.*}", usize::from(decimals));
            let written = |figure: &crate::model::narrative::NarrativeFigure| {
                text.get(figure.folded.clone()).unwrap_or("").to_owned()
            };
            let vars = [
                ("total", written(total)),
                ("unit", unit.to_owned()),
                ("parts", parts.iter().map(|part| written(part)).collect::<Vec<_>>().join(" + ")),
                ("sum", show(sum)),
            ];
            let total_range = report
                .folded
                .source_range(total.folded.start..total.folded.end + unit.len());
            let mut diagnostic = context.diagnostic("mismatch", &vars).with_primary(Label::new(
                total_range,
                context.message("label-total", &vars),
            ));
            for part in &parts {
                diagnostic = diagnostic.with_secondary(Label::new(
                    report
                        .folded
                        .source_range(part.folded.start..part.folded.end + unit.len()),
                    context.message("label-part", &[]),
                ));
            }
            context.emit(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::depth_at;

    #[test]
    fn bracket_depth() {
        assert_eq!(depth_at("a(b(c)d)e", 0), 0);
        assert_eq!(depth_at("a(b(c)d)e", 2), 1);
        assert_eq!(depth_at("a(b(c)d)e", 4), 2);
        assert_eq!(depth_at("a(b(c)d)e", 9), 0);
    }
}
