//! `narrative-shares`: a percentage written beside a count (`予以公开30件，占46.2%`,
//! `部分公开10件（15.4%）`) agrees with the share that count is of a table total, at the precision
//! written.
//!
//! The count must be about applications (one of `about` in its head) and be linked to the
//! percentage by one of `links` (`占`, `(`, `占总数的` …, nothing else between them). The share is
//! computed against each of `denominators` (the year's new applications; those plus last year's;
//! the applications handled); the percentage agrees if it is one of them rounded or truncated to
//! the decimals written. A denominator whose cells are missing is skipped; when none can be
//! computed the check is not assessable.

use serde::Deserialize;
use toml::Spanned;

use super::narrative_figures::count;
use super::table_terms::{Base, BaseSpec, BaseValue, compile_bases, evaluate};
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::TableId;
use crate::rules::Context;
use crate::text::fold;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    units: Vec<String>,
    about: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    links: Vec<String>,
    table: Spanned<String>,
    denominators: Vec<BaseSpec>,
}

/// The compiled check.
#[derive(Debug)]
pub struct NarrativeShares {
    units: Vec<String>,
    about: Vec<String>,
    unless: Vec<String>,
    links: Vec<String>,
    table: TableId,
    denominators: Vec<Base>,
}

/// Whether `written` (with `decimals` digits after the point) is `exact` rounded or truncated.
fn agrees(written: f64, decimals: u8, exact: f64) -> bool {
    let step = 10f64.powi(-i32::from(decimals));
    let rounded = (exact / step).round() * step;
    let truncated = (exact / step).floor() * step;
    let close = |a: f64, b: f64| (a - b).abs() < step / 1000.0;
    close(written, rounded) || close(written, truncated)
}

/// The share, shown at the decimals written (one more when there are none).
fn shown(share: f64, decimals: u8) -> String {
    format!("{share:.*}", usize::from(decimals.max(1)))
}

impl CheckKind for NarrativeShares {
    const NAME: &'static str = "narrative-shares";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("mismatch", &["written", "count", "shares"]),
        MessageSpec::required("share", &["base", "value", "share"]),
        MessageSpec::required("label-written", &["written", "count"]),
        MessageSpec::required("not-assessable", &["count"]),
        MessageSpec::required("not-assessable-reason", &["table"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let table = compile.table(&spec.table)?;
        let fold_all = |words: &[String]| words.iter().map(|w| fold(w)).collect::<Vec<_>>();
        Ok(Self {
            units: spec.units,
            about: fold_all(&spec.about),
            unless: fold_all(&spec.unless),
            links: fold_all(&spec.links),
            table,
            denominators: compile_bases(compile, table, &spec.denominators)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let narrative = &report.narrative;
        let text = report.folded.as_str();
        let mut unassessed = Vec::new();
        for index in 1..narrative.figures.len() {
            let percent = &narrative.figures[index];
            if !text
                .get(percent.folded.end..)
                .is_some_and(|after| after.starts_with('%'))
            {
                continue;
            }
            let before = index - 1;
            let counted = &narrative.figures[before];
            if counted.clause != percent.clause {
                continue;
            }
            let Some(count) = count(narrative, text, before, &self.units) else {
                continue;
            };
            let link = text
                .get(counted.folded.end + count.unit_len..percent.folded.start)
                .unwrap_or("");
            let link = link.strip_prefix(',').unwrap_or(link);
            if !self.links.iter().any(|word| word == link) {
                continue;
            }
            let head = narrative.head(text, before);
            if !self.about.iter().any(|word| head.contains(word.as_str()))
                || self.unless.iter().any(|word| head.contains(word.as_str()))
            {
                continue;
            }
            let written = percent.numeral.value;
            let decimals = percent.numeral.decimals;
            let mut shares = Vec::new();
            let mut fits = false;
            for base in &self.denominators {
                if let BaseValue::Value(total, _) = evaluate(report, self.table, base, None)
                    && total > 0
                {
                    let exact = 100.0 * count.value as f64 / total as f64;
                    fits |= agrees(written, decimals, exact);
                    shares.push(context.message(
                        "share",
                        &[
                            ("base", base.name.clone()),
                            ("value", total.to_string()),
                            ("share", shown(exact, decimals)),
                        ],
                    ));
                }
            }
            if fits {
                continue;
            }
            let percent_text = text
                .get(percent.folded.start..percent.folded.end + 1)
                .unwrap_or("")
                .to_owned();
            if shares.is_empty() {
                unassessed.push(percent_text);
                continue;
            }
            let count_text = count.value.to_string();
            let vars = [
                ("written", percent_text.clone()),
                ("count", count_text.clone()),
                ("shares", shares.join("；")),
            ];
            let range = report
                .folded
                .source_range(counted.folded.start..percent.folded.end + 1);
            let diagnostic = context.diagnostic("mismatch", &vars).with_primary(Label::new(
                range,
                context.message(
                    "label-written",
                    &[("written", percent_text), ("count", count_text)],
                ),
            ));
            context.emit(diagnostic);
        }
        if !unassessed.is_empty() {
            let check = context.message("not-assessable", &[("count", unassessed.len().to_string())]);
            let reason = context.message(
                "not-assessable-reason",
                &[("table", self.table.name().to_owned())],
            );
            context.not_assessable(check, reason, unassessed, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::agrees;

    #[test]
    fn rounded_or_truncated_at_the_decimals_written() {
        assert!(agrees(46.2, 1, 46.153));
        assert!(agrees(46.15, 2, 46.153));
        assert!(agrees(46.1, 1, 46.153)); // truncated
        assert!(!agrees(46.3, 1, 46.153));
        assert!(agrees(46.0, 0, 46.153));
        assert!(!agrees(33.9, 1, 100.0 * 258.0 / 877.0));
    }
}
