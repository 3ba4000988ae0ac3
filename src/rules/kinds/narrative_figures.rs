//! `narrative-figures`: a count written in the prose (`共收到政府信息公开申请65件`) agrees with the
//! table cell it speaks of.
//!
//! Each phrase names the words that make a figure its own — one of `words` in the figure's head
//! (the clause text before it, back to the previous figure), one of `also` in its head or tail,
//! none of `unless` — and the table values it may stand for (`bases`, alternatives: 收到 may be the
//! year's new applications or those plus last year's carried over). A figure is compared only
//! when it is a whole count in one of `units`; a head holding a comparison or a cumulative word
//! (`skip`) or a year before the report's is not this year's count. When several phrases name a
//! figure, it agrees if any of their bases gives its value. A qualifier in the head (`自然人`)
//! replaces the 总计 column of 表三's bases. Bases whose cells are missing or unreadable make the
//! comparison not assessable, never a finding.

use serde::Deserialize;
use toml::Spanned;

use super::table_terms::{Base, BaseSpec, BaseValue, compile_bases, compile_columns, evaluate};
use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::{CellRef, Label};
use crate::model::TableId;
use crate::model::narrative::Narrative;
use crate::rules::Context;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    units: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
    #[serde(default)]
    qualifier: Vec<QualifierSpec>,
    phrase: Vec<PhraseSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct QualifierSpec {
    words: Vec<String>,
    table: Spanned<String>,
    columns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PhraseSpec {
    name: String,
    words: Vec<String>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    table: Spanned<String>,
    bases: Vec<BaseSpec>,
}

/// Words in a figure's head that replace 表三's 总计 with some columns.
#[derive(Debug)]
struct Qualifier {
    words: Vec<String>,
    table: TableId,
    columns: Vec<&'static str>,
}

/// What a phrase names, and what it may stand for.
#[derive(Debug)]
pub(super) struct Phrase {
    pub(super) name: String,
    words: Vec<String>,
    also: Vec<String>,
    unless: Vec<String>,
    pub(super) table: TableId,
    pub(super) bases: Vec<Base>,
}

/// The compiled check.
#[derive(Debug)]
pub struct NarrativeFigures {
    units: Vec<String>,
    skip: Vec<String>,
    qualifiers: Vec<Qualifier>,
    phrases: Vec<Phrase>,
}

fn folded_words(words: &[String]) -> Vec<String> {
    words.iter().map(|word| crate::text::fold(word)).collect()
}

impl Phrase {
    /// Where the last of this phrase's words ends in `head`, if the figure is this phrase's:
    /// (start, end) of the word found.
    fn find(&self, head: &str, tail: &str) -> Option<(usize, usize)> {
        let found = self
            .words
            .iter()
            .filter_map(|word| head.rfind(word.as_str()).map(|at| (at, at + word.len())))
            .max_by_key(|&(start, end)| (end, std::cmp::Reverse(start)))?;
        let around = |word: &String| head.contains(word.as_str()) || tail.contains(word.as_str());
        if !self.also.is_empty() && !self.also.iter().any(around) {
            return None;
        }
        if self.unless.iter().any(around) {
            return None;
        }
        Some(found)
    }
}

/// A figure of the narrative read as a count: its value and what follows it.
pub(super) struct Count {
    pub(super) value: i64,
    /// Bytes of the unit after the figure (in folded text).
    pub(super) unit_len: usize,
}

/// The count a narrative figure states, if it is a whole number followed by one of `units`
/// (`65件`; `二十余件` is approximate and not read).
pub(super) fn count(narrative: &Narrative, text: &str, index: usize, units: &[String]) -> Option<Count> {
    let figure = &narrative.figures[index];
    let value = figure.numeral.integer?;
    let tail = narrative.tail(text, index);
    let unit = units.iter().find(|unit| tail.starts_with(unit.as_str()))?;
    Some(Count {
        value,
        unit_len: unit.len(),
    })
}

/// Whether a head names a year other than the report's before it (`2021年收到…` in a 2022 report:
/// a comparison with an earlier year).
pub(super) fn names_earlier_year(head: &str, year: Option<i32>) -> bool {
    let Some(year) = year else {
        return false;
    };
    let bytes = head.as_bytes();
    let mut at = 0;
    while at + 4 <= bytes.len() {
        if bytes[at..at + 4].iter().all(u8::is_ascii_digit)
            && (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 4).is_none_or(|b| !b.is_ascii_digit())
            && let Some(written) = head.get(at..at + 4).and_then(|s| s.parse::<i32>().ok())
            && (1990..year).contains(&written)
        {
            return true;
        }
        at += 1;
    }
    false
}

/// The phrases that name figure `index`, innermost last: a phrase whose word lies inside a longer
/// word another phrase found (`予以公开` in `予以公开及部分公开`) is dropped.
pub(super) fn phrases_naming<'p>(
    phrases: &'p [Phrase],
    head: &str,
    tail: &str,
) -> Vec<(&'p Phrase, (usize, usize))> {
    let found: Vec<(&Phrase, (usize, usize))> = phrases
        .iter()
        .filter_map(|phrase| Some((phrase, phrase.find(head, tail)?)))
        .collect();
    let mut kept: Vec<(&Phrase, (usize, usize))> = found
        .iter()
        .filter(|(_, (start, end))| {
            !found.iter().any(|(_, (other_start, other_end))| {
                other_start <= start
                    && end <= other_end
                    && (other_end - other_start) > (end - start)
            })
        })
        .copied()
        .collect();
    // The phrase nearest the figure first: its bases are the ones shown.
    kept.sort_by_key(|(_, (_, end))| std::cmp::Reverse(*end));
    kept
}

pub(super) fn compile_phrase(
    compile: &Compile<'_>,
    name: String,
    words: &[String],
    also: &[String],
    unless: &[String],
    table: &Spanned<String>,
    bases: &[BaseSpec],
) -> Result<Phrase, LoadError> {
    let table = compile.table(table)?;
    Ok(Phrase {
        name,
        words: folded_words(words),
        also: folded_words(also),
        unless: folded_words(unless),
        table,
        bases: compile_bases(compile, table, bases)?,
    })
}

impl CheckKind for NarrativeFigures {
    const NAME: &'static str = "narrative-figures";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("mismatch", &["phrase", "written", "unit", "table", "values"]),
        MessageSpec::required("value", &["base", "value"]),
        MessageSpec::required("label-written", &["written", "unit"]),
        MessageSpec::required("label-cell", &["row", "column", "value"]),
        MessageSpec::required("not-assessable", &["count"]),
        MessageSpec::required("not-assessable-reason", &["phrases"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let qualifiers = spec
            .qualifier
            .iter()
            .map(|qualifier| {
                let table = compile.table(&qualifier.table)?;
                Ok(Qualifier {
                    words: folded_words(&qualifier.words),
                    table,
                    columns: compile_columns(compile, table, &qualifier.columns)?,
                })
            })
            .collect::<Result<_, LoadError>>()?;
        let phrases = spec
            .phrase
            .iter()
            .map(|phrase| {
                compile_phrase(
                    compile,
                    phrase.name.clone(),
                    &phrase.words,
                    &phrase.also,
                    &phrase.unless,
                    &phrase.table,
                    &phrase.bases,
                )
            })
            .collect::<Result<_, LoadError>>()?;
        Ok(Self {
            units: spec.units,
            skip: folded_words(&spec.skip),
            qualifiers,
            phrases,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let narrative = &report.narrative;
        let text = report.folded.as_str();
        let mut unassessed: Vec<String> = Vec::new();
        for index in 0..narrative.figures.len() {
            let Some(count) = count(narrative, text, index, &self.units) else {
                continue;
            };
            let head = narrative.head(text, index);
            let tail = narrative.tail(text, index);
            if self.skip.iter().any(|word| head.contains(word.as_str()))
                || names_earlier_year(head, report.year)
            {
                continue;
            }
            let named = phrases_naming(&self.phrases, head, tail);
            if named.is_empty() {
                continue;
            }
            // Words right after the figure naming another phrase (`已办结的…，另有2件结转下年度`)
            // make it that phrase's, or ambiguous: not compared.
            let named_after = self.phrases.iter().any(|phrase| {
                !named.iter().any(|(kept, _)| std::ptr::eq(*kept, phrase))
                    && phrase.words.iter().any(|word| tail.contains(word.as_str()))
            });
            if named_after {
                continue;
            }
            let qualifier = self
                .qualifiers
                .iter()
                .find(|q| q.words.iter().any(|word| head.contains(word.as_str())));
            let mut candidates = Vec::new();
            let mut agrees = false;
            let mut missing = false;
            for (phrase, _) in &named {
                let columns = qualifier
                    .filter(|q| q.table == phrase.table)
                    .map(|q| q.columns.as_slice());
                for base in &phrase.bases {
                    match evaluate(report, phrase.table, base, columns) {
                        BaseValue::NotInLayout | BaseValue::TableAbsent => {}
                        BaseValue::Unavailable => missing = true,
                        value @ BaseValue::Value(total, _) => {
                            agrees |= total == count.value;
                            candidates.push((*phrase, base, value));
                        }
                    }
                }
            }
            if agrees {
                continue;
            }
            let (phrase, _) = named[0];
            if candidates.is_empty() {
                if missing {
                    unassessed.push(format!("「{}」{}", phrase.name, count.value));
                }
                continue;
            }
            let figure = &narrative.figures[index];
            let unit = text
                .get(figure.folded.end..figure.folded.end + count.unit_len)
                .unwrap_or("")
                .to_owned();
            let values = candidates
                .iter()
                .map(|(_, base, value)| {
                    let total = match value {
                        BaseValue::Value(total, _) => *total,
                        _ => 0,
                    };
                    context.message(
                        "value",
                        &[("base", base.name.clone()), ("value", total.to_string())],
                    )
                })
                .collect::<Vec<_>>()
                .join("，");
            let vars = [
                ("phrase", phrase.name.clone()),
                ("written", count.value.to_string()),
                ("unit", unit.clone()),
                ("table", phrase.table.name().to_owned()),
                ("values", values),
            ];
            let written_range = report
                .folded
                .source_range(figure.folded.start..figure.folded.end + count.unit_len);
            let mut diagnostic = context.diagnostic("mismatch", &vars).with_primary(Label::new(
                written_range,
                context.message(
                    "label-written",
                    &[("written", count.value.to_string()), ("unit", unit)],
                ),
            ));
            let mut recovered = false;
            // The cells of the first candidate (the phrase nearest the figure) are shown.
            if let Some((shown_phrase, _, value @ BaseValue::Value(total, cells))) = candidates.first() {
                recovered = value.recovered();
                for used in cells {
                    let display = report
                        .table(shown_phrase.table)
                        .and_then(|t| t.row(used.row))
                        .map_or(used.row, |row| row.display);
                    diagnostic = diagnostic.with_secondary(Label::new(
                        used.cell.range,
                        context.message(
                            "label-cell",
                            &[
                                ("row", display.to_owned()),
                                ("column", used.column.to_owned()),
                                ("value", used.value.to_string()),
                            ],
                        ),
                    ));
                }
                if let [single] = cells.as_slice() {
                    diagnostic.cell = Some(CellRef {
                        table: shown_phrase.table,
                        row: Some(single.row.to_owned()),
                        column: Some(single.column.to_owned()),
                    });
                }
                diagnostic.expected = Some(i128::from(*total));
            }
            diagnostic.found = Some(i128::from(count.value));
            if recovered {
                diagnostic = diagnostic.from_extraction();
            }
            context.emit(diagnostic);
        }
        if !unassessed.is_empty() {
            let check = context.message("not-assessable", &[("count", unassessed.len().to_string())]);
            let reason = context.message("not-assessable-reason", &[("phrases", unassessed.join("、"))]);
            context.not_assessable(check, reason, unassessed, None);
        }
    }
}
