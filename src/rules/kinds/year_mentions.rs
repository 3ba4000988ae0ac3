//! `year-mentions`: statements of the year's work dated another year (spec S11) — `2022年，本局…`
//! or `本机关2022年度收到…` in a 2023 report, left over from last year's report.
//!
//! What a work statement looks like is data: regular expressions on the normalised sentences of
//! the prose, each capturing the year as `(?P<year>…)`. A mention is a finding when its year is
//! the report year plus one of the `offsets`, and its sentence has none of that offset's `unless`
//! words (a plan, `2024年将…`; a comparison, `较2022年`), does not also name the report year (nor,
//! for an earlier year, does a sentence beside it: a comparison over two sentences), and the match
//! is not inside a quoted title (《…》, “…”). Dates that are legitimately other years —
//! the publication date, `2022年12月31日` as a stock date, `〔2022〕` in a document number — are
//! not work statements and the patterns do not take them.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::narrative_claims::names_other_year;
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::prose::sentences;
use crate::rules::Context;
use crate::rules::patterns::words;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    patterns: Vec<Spanned<String>>,
    offset: Vec<OffsetSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OffsetSpec {
    offset: i32,
    #[serde(default)]
    unless: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct YearMentions {
    patterns: Vec<Regex>,
    /// (years from the report year, words that make a sentence of that year legitimate).
    offsets: Vec<(i32, Vec<String>)>,
}

/// A quoted title or quotation, in normalised text (`“”` become `"`).
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"《[^》]*》|"[^"]*""#).expect("quote pattern is valid"));

impl CheckKind for YearMentions {
    const NAME: &'static str = "year-mentions";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("other-year", &["written", "year", "statement"]),
        MessageSpec::required("label-statement", &["year"]),
        MessageSpec::required("label-title", &["year"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let patterns = compile.patterns_with(&spec.patterns, "year")?;
        let offsets = spec
            .offset
            .iter()
            .map(|offset| (offset.offset, words(&offset.unless)))
            .collect();
        Ok(Self { patterns, offsets })
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let Some(year) = report.year else {
            return;
        };
        let prose = sentences(context.doc, report);
        let this_year = format!("{year}年");
        for (index, sentence) in prose.iter().enumerate() {
            let text = sentence.text(report);
            // A sentence naming the report year too is a comparison or a span of years.
            if !names_other_year(text, Some(year)) || text.contains(&this_year) {
                continue;
            }
            // So is an earlier year's sentence beside one of the report year
            // (`2022年，全区收到申请75件。2023年，全区收到申请81件。`).
            let beside_this_year = [index.wrapping_sub(1), index + 1]
                .iter()
                .filter_map(|&i| prose.get(i))
                .any(|other| other.text(report).contains(&this_year));
            let quoted: Vec<std::ops::Range<usize>> =
                QUOTED.find_iter(text).map(|m| m.range()).collect();
            let found = self.patterns.iter().find_map(|pattern| {
                pattern.captures_iter(text).find_map(|caps| {
                    let written = caps.name("year")?;
                    let value: i32 = written.as_str().parse().ok()?;
                    let (_, unless) = self
                        .offsets
                        .iter()
                        .find(|(offset, _)| year + offset == value)?;
                    if (value < year && beside_this_year)
                        || unless.iter().any(|word| text.contains(word.as_str()))
                        || quoted
                            .iter()
                            .any(|q| q.start <= written.start() && written.end() <= q.end)
                    {
                        return None;
                    }
                    Some((value, written.range(), caps.get(0)?.range()))
                })
            });
            let Some((value, written, whole)) = found else {
                continue;
            };
            // The statement shown: the match, to the end of its clause.
            let shown = sentence.clause_around(report, whole.clone());
            let statement = sentence.source(report, whole.start.min(shown.start)..shown.end);
            let vars = [
                ("written", value.to_string()),
                ("year", year.to_string()),
                ("statement", context.doc.slice(statement).to_owned()),
            ];
            let label = context.message("label-statement", &[("year", year.to_string())]);
            let mut diagnostic = context
                .diagnostic("other-year", &vars)
                .with_primary(Label::new(sentence.source(report, written), label));
            if let Some((crate::model::YearSource::Title, range)) = report.year_source {
                let label = context.message("label-title", &[("year", year.to_string())]);
                diagnostic = diagnostic.with_secondary(Label::new(range, label));
            }
            context.emit(diagnostic);
        }
    }
}
