//! `required-sections`: the sections a format requires are present.
//!
//! A rule lists sets of sections, one set per group of eras. A section is a title (shown to the
//! user) and keyword groups: a heading matches when every group has one of its words in it.
//! With `headings = "top-level"` only `一、` headings count (总体情况's `（一）` sub-headings reuse
//! section names); with `"any-level"` every numbered heading does. `mentions` sets the severity
//! of a section covered only in the body text; without it such a section counts as missing.

use serde::Deserialize;
use toml::Spanned;

use super::{Check, MessageSpec};
use crate::diagnostic::{Label, Severity};
use crate::model::{Era, Heading};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};
use crate::text::{TextRange, fold};

const MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        key: "missing",
        placeholders: &["section", "era"],
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "mentioned-only",
        placeholders: &["section", "era"],
        required: false,
        extraction: false,
    },
    MessageSpec {
        key: "no-list",
        placeholders: &["era"],
        required: true,
        extraction: false,
    },
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
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
    mentions: Option<Severity>,
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
    mentions: Option<Severity>,
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

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let mut sets = Vec::new();
    let mut seen_eras = Vec::new();
    for set in &file.check.set {
        let mut eras = Vec::new();
        for era in &set.eras {
            let parsed = load::parse_era(source, era)?;
            if seen_eras.contains(&parsed) {
                return Err(source.error(
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
                return Err(source.error(
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
    let check = Check::RequiredSections(RequiredSections { sets });
    load::finish(source, file, check, MESSAGES)
}

impl RequiredSections {
    pub(super) fn run(&self, context: &mut Context<'_>) {
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
            if let Some(severity) = set.mentions
                && let Some(mention) = first_mention(context, section)
            {
                let diagnostic = context
                    .diagnostic(severity, "mentioned-only", &vars)
                    .with_primary(Label::new(mention, "仅在正文中提及"));
                context.emit(diagnostic);
                continue;
            }
            let label = expected_place(context, &headings, &found, i);
            let diagnostic = context
                .diagnostic(context.severity(), "missing", &vars)
                .with_primary(label);
            context.emit(diagnostic);
        }
    }
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
        return Label::new(headings[*next].range, "应在此章节之前");
    }
    if let Some(previous) = found[..missing].iter().rev().flatten().next() {
        return Label::new(headings[*previous].range, "应在此章节之后");
    }
    let mut label = context.document_anchor();
    label.message = "未找到任何法定章节".to_owned();
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
