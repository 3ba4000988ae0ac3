//! `required-sections`: the sections a format requires are present.
//!
//! A rule lists sets of sections, one set per group of eras. A section is a title (shown to the
//! user) and keyword groups: a heading matches when every group has one of its words in it.
//! With `headings = "top-level"` only `一、` headings count (总体情况's `（一）` sub-headings reuse
//! section names); with `"any-level"` every numbered heading does. With `mentions = true` a
//! section covered only in the body text is reported as such (`mentioned-only`); without it such
//! a section counts as missing.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::{Era, Heading, Provenance};
use crate::rules::Context;
use crate::text::{TextRange, fold};

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    set: Vec<SetSpec>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum HeadingScope {
    TopLevel,
    AnyLevel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SetSpec {
    eras: Vec<Spanned<String>>,
    headings: HeadingScope,
    #[serde(default)]
    mentions: bool,
    section: Vec<SectionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    title: String,
    keywords: Spanned<Vec<Vec<String>>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct RequiredSections {
    sets: Vec<SectionSet>,
}

#[derive(Debug)]
struct SectionSet {
    eras: Vec<Era>,
    scope: HeadingScope,
    mentions: bool,
    sections: Vec<Section>,
}

#[derive(Debug)]
struct Section {
    title: String,
    /// Normalised keywords: every group must have one of its words present.
    keywords: Vec<Vec<String>>,
}

impl Section {
    fn matches(&self, folded: &str) -> bool {
        self.keywords
            .iter()
            .all(|group| group.iter().any(|word| folded.contains(word.as_str())))
    }
}

fn compile_sets(spec: Spec, compile: &Compile<'_>) -> Result<Vec<SectionSet>, LoadError> {
    let mut sets = Vec::new();
    let mut seen_eras = Vec::new();
    for set in &spec.set {
        let mut eras = Vec::new();
        for era in &set.eras {
            let parsed = compile.file.era(era)?;
            if seen_eras.contains(&parsed) {
                return Err(compile.error(
                    era.span(),
                    format!("格式「{}」出现在多个章节清单中", era.get_ref()),
                ));
            }
            seen_eras.push(parsed);
            eras.push(parsed);
        }
        let mut sections = Vec::new();
        for section in &set.section {
            let groups = section.keywords.get_ref();
            if groups.is_empty()
                || groups
                    .iter()
                    .any(|group| group.iter().all(|w| fold(w).is_empty()))
            {
                return Err(compile.error(
                    section.keywords.span(),
                    "keywords 应为非空的词组列表，如 [[\"申请\"], [\"收到\", \"处理\"]]",
                ));
            }
            sections.push(Section {
                title: section.title.clone(),
                keywords: groups
                    .iter()
                    .map(|group| {
                        group
                            .iter()
                            .map(|word| fold(word))
                            .filter(|w| !w.is_empty())
                            .collect()
                    })
                    .collect(),
            });
        }
        sets.push(SectionSet {
            eras,
            scope: set.headings,
            mentions: set.mentions,
            sections,
        });
    }
    Ok(sets)
}

impl CheckKind for RequiredSections {
    const NAME: &'static str = "required-sections";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("missing", &["section", "era"]),
        MessageSpec::optional("mentioned-only", &["section", "era"]),
        MessageSpec::required("no-list", &["era"]),
        MessageSpec::required("label-mentioned", &[]),
        MessageSpec::required("label-before", &[]),
        MessageSpec::required("label-after", &[]),
        MessageSpec::required("label-none-found", &[]),
        MessageSpec::optional("content-without-heading", &["section", "era", "line"]),
        MessageSpec::required("label-content", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            sets: compile_sets(spec, compile)?,
        })
    }

    fn required_messages(&self) -> Vec<&'static str> {
        if self.sets.iter().any(|set| set.mentions) {
            vec!["mentioned-only"]
        } else {
            Vec::new()
        }
    }

    fn run(&self, context: &mut Context<'_>) {
        let era = context.report.era;
        let Some(set) = self.sets.iter().find(|set| set.eras.contains(&era)) else {
            let reason = context.message("no-list", &[("era", era.name().to_owned())]);
            context.not_assessable(context.rule.summary.clone(), reason, Vec::new(), None);
            return;
        };
        let headings: Vec<&Heading> = context
            .report
            .headings
            .iter()
            .filter(|heading| set.scope == HeadingScope::AnyLevel || heading.level == 1)
            .collect();
        let mut used = vec![false; headings.len()];
        let found: Vec<Option<usize>> = set
            .sections
            .iter()
            .map(|section| {
                let index = headings
                    .iter()
                    .enumerate()
                    .position(|(i, heading)| !used[i] && section.matches(&heading.words))?;
                used[index] = true;
                Some(index)
            })
            .collect();
        for (i, section) in set.sections.iter().enumerate() {
            if found[i].is_some() {
                continue;
            }
            let vars = [
                ("section", section.title.clone()),
                ("era", era.name().to_owned()),
            ];
            if set.mentions
                && let Some(mention) = first_mention(context, section)
            {
                let label = Label::new(mention, context.message("label-mentioned", &[]));
                let diagnostic = context
                    .diagnostic("mentioned-only", &vars)
                    .with_primary(label);
                context.emit(diagnostic);
                continue;
            }
            if let Some(content) = content_between(context, set, &headings, &found, i) {
                let (line, _) = crate::text::LineIndex::new(&context.doc.text)
                    .position(&context.doc.text, content.start);
                let vars = [
                    ("section", section.title.clone()),
                    ("era", era.name().to_owned()),
                    ("line", line.to_string()),
                ];
                let label = Label::new(content, context.message("label-content", &[]));
                let mut diagnostic = context
                    .diagnostic("content-without-heading", &vars)
                    .with_primary(label);
                // In a copy whose structure was interpreted (text, Markdown, PDF), a heading line
                // is easily lost in the conversion.
                if context.report.structure != Provenance::AsWritten {
                    diagnostic = diagnostic.from_extraction();
                }
                context.emit(diagnostic);
                continue;
            }
            let label = expected_place(context, &headings, &found, i);
            let diagnostic = context.diagnostic("missing", &vars).with_primary(label);
            context.emit(diagnostic);
        }
    }
}

/// Where a section without its heading has its content: between the headings found before and
/// after it (both must be found), the text holds a word of every keyword group — across its
/// paragraphs and sub-headings (`（一）主要问题` · `（二）改进情况`). Returns the first paragraph
/// with one of its words.
fn content_between(
    context: &Context<'_>,
    set: &SectionSet,
    headings: &[&Heading],
    found: &[Option<usize>],
    missing: usize,
) -> Option<TextRange> {
    // Only for rules that say so (they have the message).
    if set.mentions || !context.rule.messages.contains_key("content-without-heading") {
        return None;
    }
    let before = found[..missing].iter().rev().flatten().next()?;
    let after = found[missing + 1..].iter().flatten().next()?;
    let (start, end) = (headings[*before].range.end, headings[*after].range.start);
    let section = &set.sections[missing];
    let report = context.report;
    let paragraphs: Vec<TextRange> = context
        .doc
        .paragraphs()
        .filter(|range| range.start >= start && range.end <= end)
        .collect();
    let text: String = paragraphs
        .iter()
        .map(|range| report.folded(*range))
        .collect();
    if !section.matches(&text) {
        return None;
    }
    let first_word = section.keywords.iter().flatten().collect::<Vec<_>>();
    paragraphs.into_iter().find(|range| {
        let folded = report.folded(*range);
        first_word.iter().any(|word| folded.contains(word.as_str()))
    })
}

/// Where a missing section should have been: before the next section found, after the previous
/// one, or (when none was found) at the title.
fn expected_place(
    context: &Context<'_>,
    headings: &[&Heading],
    found: &[Option<usize>],
    missing: usize,
) -> Label {
    if let Some(next) = found[missing + 1..].iter().flatten().next() {
        return Label::new(headings[*next].range, context.message("label-before", &[]));
    }
    if let Some(previous) = found[..missing].iter().rev().flatten().next() {
        return Label::new(headings[*previous].range, context.message("label-after", &[]));
    }
    let mut label = context.document_anchor();
    label.message = context.message("label-none-found", &[]);
    label
}

/// The first paragraph that has a word of every keyword group, pointing at its first keyword.
fn first_mention(context: &Context<'_>, section: &Section) -> Option<TextRange> {
    let report = context.report;
    for range in context.doc.paragraphs() {
        let folded = report.folded(range);
        if !section.matches(folded) {
            continue;
        }
        let start = report.folded.folded_range(range).start;
        let word = section.keywords.first()?.iter().find_map(|word| {
            let at = start + folded.find(word.as_str())?;
            Some(report.folded.source_range(at..at + word.len()))
        });
        return Some(word.unwrap_or(range));
    }
    None
}
