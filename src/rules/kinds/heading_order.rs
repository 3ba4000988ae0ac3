//! `heading-order`: the statutory sections stand in their order, numbered 一 to 六, with nothing
//! else at their level in between. The sections are data: a title (the canonical heading) and
//! keyword groups, matched against the top-level (`一、`) headings as `required-sections` does.
//!
//! A heading is taken for a section when it has that section's keywords and no other section's;
//! when several headings have a section's keywords (`二、主动公开工作情况` promoted out of 总体情况
//! and `三、主动公开政府信息情况`), the one closest to the canonical title is the section's, and
//! none when two are equally close. On the headings so taken:
//!
//! - `out-of-order`: a section placed after a section that should follow it (the headings outside
//!   the longest run in statutory order);
//! - `renumbered`: in order, but two or more sections numbered with the same shift (`一…五` for
//!   `二…六`), one finding;
//! - `wrong-number` / `duplicate`: in order, a section numbered otherwise (the number another
//!   section also has, for `duplicate`);
//! - `promoted`: top-level headings between the first section and the second (总体情况 and
//!   主动公开) that are no section but have a word of `sub-topics` — 总体情况's parts numbered as
//!   sections — one finding for all.
//!
//! A section without a heading is `section-missing`'s business, a section without its table
//! `table-missing`'s: neither is reported here.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::ordinal::{split_ordinal, to_chinese};
use crate::model::{Heading, Keywords, ModelConfig};
use crate::rules::Context;
use crate::text::fold;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    section: Vec<SectionSpec>,
    #[serde(default)]
    sub_topics: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    title: String,
    keywords: Spanned<Vec<Vec<String>>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct HeadingOrder {
    sections: Vec<Section>,
    sub_topics: Vec<String>,
}

#[derive(Debug)]
struct Section {
    /// The canonical heading, shown to the user.
    title: String,
    /// Its words without the ordinal, normalised (to choose among several candidates).
    words: String,
    keywords: Keywords,
}

/// A top-level heading taken for a section.
#[derive(Clone, Copy, Debug)]
struct Placed<'a> {
    section: usize,
    heading: &'a Heading,
}

impl Placed<'_> {
    fn expected(&self) -> u32 {
        u32::try_from(self.section + 1).unwrap_or(u32::MAX)
    }
}

impl HeadingOrder {
    /// The top-level headings taken for sections, in text order.
    fn place<'a>(&self, headings: &[&'a Heading]) -> Vec<Placed<'a>> {
        let matches: Vec<Vec<usize>> = headings
            .iter()
            .map(|heading| {
                (0..self.sections.len())
                    .filter(|&i| self.sections[i].keywords.matches(&heading.words))
                    .collect()
            })
            .collect();
        let mut placed = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            let candidates: Vec<&'a Heading> = headings
                .iter()
                .zip(&matches)
                .filter(|(_, found)| found.as_slice() == [i])
                .map(|(heading, _)| *heading)
                .collect();
            let closeness = |heading: &Heading| {
                strsim::normalized_levenshtein(&heading.words, &section.words)
            };
            let best = candidates
                .iter()
                .map(|heading| closeness(heading))
                .fold(f64::NEG_INFINITY, f64::max);
            let closest: Vec<&'a Heading> = candidates
                .iter()
                .copied()
                .filter(|heading| (closeness(heading) - best).abs() < 1e-9)
                .collect();
            if let [heading] = closest.as_slice() {
                placed.push(Placed {
                    section: i,
                    heading,
                });
            }
        }
        placed.sort_by_key(|placed| placed.heading.range.start);
        placed
    }
}

/// The indices (into `placed`) outside one longest run whose sections increase.
fn out_of_order(placed: &[Placed<'_>]) -> Vec<usize> {
    let n = placed.len();
    // Longest increasing subsequence, quadratic: at most a handful of sections.
    let mut length = vec![1usize; n];
    let mut before = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if placed[j].section < placed[i].section && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                before[i] = Some(j);
            }
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (length[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut kept = vec![false; n];
    loop {
        kept[at] = true;
        match before[at] {
            Some(previous) => at = previous,
            None => break,
        }
    }
    (0..n).filter(|&i| !kept[i]).collect()
}

fn numbered(number: u32) -> String {
    format!("{}、", to_chinese(number))
}

impl CheckKind for HeadingOrder {
    const NAME: &'static str = "heading-order";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("out-of-order", &["heading", "section", "after"]),
        MessageSpec::required(
            "renumbered",
            &["first", "last", "written", "expected", "count"],
        ),
        MessageSpec::required("wrong-number", &["heading", "written", "expected"]),
        MessageSpec::required("duplicate", &["heading", "written", "expected", "other"]),
        MessageSpec::required("promoted", &["headings", "count", "parent"]),
        MessageSpec::required("label-out-of-order", &["after"]),
        MessageSpec::required("label-number", &["expected"]),
        MessageSpec::required("label-promoted", &[]),
        MessageSpec::required("label-other", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let sections = spec
            .section
            .iter()
            .map(|section| {
                let folded = fold(&section.title);
                let words = split_ordinal(&folded).1.to_owned();
                Ok(Section {
                    title: section.title.clone(),
                    words,
                    keywords: compile.keywords(&section.keywords)?,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        Ok(Self {
            sections,
            sub_topics: spec
                .sub_topics
                .iter()
                .map(|word| fold(word))
                .filter(|word| !word.is_empty())
                .collect(),
        })
    }

    fn configure(&self, model: &mut ModelConfig) {
        // Tables are placed in their sections by these headings too.
        if model.statutory.is_empty() {
            model.statutory = self
                .sections
                .iter()
                .map(|section| section.keywords.clone())
                .collect();
        }
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        // Top-level headings with an ordinal: a Word heading style without one says nothing of
        // numbering.
        let headings: Vec<&Heading> = report
            .headings
            .iter()
            .filter(|heading| heading.level == 1 && heading.number > 0)
            .collect();
        let placed = self.place(&headings);
        let written = |heading: &Heading| context.doc.slice(heading.range).trim().to_owned();

        self.promoted(context, &headings, &placed);

        let misplaced = out_of_order(&placed);
        for &index in &misplaced {
            let this = placed[index];
            // The nearest section before it in the text that should come after it.
            let Some(after) = placed[..index]
                .iter()
                .rev()
                .find(|other| other.section > this.section)
            else {
                continue;
            };
            let vars = [
                ("heading", written(this.heading)),
                ("section", self.sections[this.section].title.clone()),
                ("after", written(after.heading)),
            ];
            let label = Label::new(
                this.heading.range,
                context.message("label-out-of-order", &[("after", written(after.heading))]),
            );
            let diagnostic = context
                .diagnostic("out-of-order", &vars)
                .with_primary(label)
                .with_secondary(Label::new(after.heading.range, ""));
            context.emit(diagnostic);
        }
        if !misplaced.is_empty() {
            // Numbers follow from the order: put the sections in order first.
            return;
        }

        let wrong: Vec<&Placed<'_>> = placed
            .iter()
            .filter(|placed| placed.heading.number != placed.expected())
            .collect();
        let shift = |placed: &Placed<'_>| i64::from(placed.heading.number) - i64::from(placed.expected());
        let shifted_together = wrong.len() >= 2
            && wrong.iter().all(|p| shift(p) == shift(wrong[0]))
            // Consecutive sections: one block renumbered.
            && wrong.windows(2).all(|pair| pair[1].section == pair[0].section + 1);
        if shifted_together {
            let (first, last) = (wrong[0], wrong[wrong.len() - 1]);
            let vars = [
                ("first", written(first.heading)),
                ("last", written(last.heading)),
                (
                    "written",
                    format!(
                        "{}…{}",
                        to_chinese(first.heading.number),
                        to_chinese(last.heading.number)
                    ),
                ),
                (
                    "expected",
                    format!(
                        "{}…{}",
                        to_chinese(first.expected()),
                        to_chinese(last.expected())
                    ),
                ),
                ("count", wrong.len().to_string()),
            ];
            let mut diagnostic = context.diagnostic("renumbered", &vars);
            for (i, placed) in wrong.iter().enumerate() {
                let label = Label::new(
                    placed.heading.range,
                    context.message("label-number", &[("expected", numbered(placed.expected()))]),
                );
                diagnostic = if i == 0 {
                    diagnostic.with_primary(label)
                } else {
                    diagnostic.with_secondary(label)
                };
            }
            context.emit(diagnostic);
            return;
        }
        for this in wrong {
            let other = placed.iter().find(|other| {
                other.section != this.section && other.heading.number == this.heading.number
            });
            let mut vars = vec![
                ("heading", written(this.heading)),
                ("written", numbered(this.heading.number)),
                ("expected", numbered(this.expected())),
            ];
            let label = Label::new(
                this.heading.range,
                context.message("label-number", &[("expected", numbered(this.expected()))]),
            );
            let diagnostic = match other {
                Some(other) => {
                    vars.push(("other", written(other.heading)));
                    context
                        .diagnostic("duplicate", &vars)
                        .with_primary(label)
                        .with_secondary(Label::new(
                            other.heading.range,
                            context.message("label-other", &[]),
                        ))
                }
                None => context.diagnostic("wrong-number", &vars).with_primary(label),
            };
            context.emit(diagnostic);
        }
    }
}

impl HeadingOrder {
    /// Top-level headings between the first section's heading and the second's that are no
    /// section but have a word of 总体情况's parts.
    fn promoted(&self, context: &mut Context<'_>, headings: &[&Heading], placed: &[Placed<'_>]) {
        if self.sub_topics.is_empty() {
            return;
        }
        let Some(second) = placed.iter().find(|p| p.section == 1) else {
            return;
        };
        let first = placed.iter().find(|p| p.section == 0);
        let start = first.map_or(0, |p| p.heading.range.end);
        let promoted: Vec<&Heading> = headings
            .iter()
            .copied()
            .filter(|heading| {
                heading.range.start >= start && heading.range.end <= second.heading.range.start
            })
            .filter(|heading| {
                !placed
                    .iter()
                    .any(|p| std::ptr::eq(p.heading, *heading))
            })
            .filter(|heading| {
                self.sub_topics
                    .iter()
                    .any(|word| heading.words.contains(word.as_str()))
            })
            .collect();
        let Some(head) = promoted.first() else {
            return;
        };
        let parent = match first {
            Some(first) => context.doc.slice(first.heading.range).trim().to_owned(),
            None => self.sections[0].title.clone(),
        };
        let list: Vec<String> = promoted
            .iter()
            .map(|heading| format!("「{}」", context.doc.slice(heading.range).trim()))
            .collect();
        let vars = [
            ("headings", list.join("")),
            ("count", promoted.len().to_string()),
            ("parent", parent),
        ];
        let mut diagnostic = context.diagnostic("promoted", &vars).with_primary(Label::new(
            head.range,
            context.message("label-promoted", &[]),
        ));
        for heading in &promoted[1..] {
            diagnostic = diagnostic.with_secondary(Label::new(
                heading.range,
                context.message("label-promoted", &[]),
            ));
        }
        context.emit(diagnostic);
    }
}
