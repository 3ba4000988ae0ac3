//! `section-content`: what a section says. The section is the first top-level section whose
//! heading has the `section` keywords (a section without its heading is `section-missing`'s
//! business, not this kind's); without `section` the whole report is read. Each condition set is
//! a message:
//!
//! - `min-chars`: the section's prose — its sub-headings, punctuation and whitespace left out —
//!   has fewer characters (`thin`; `empty` when it has none, `nil` when it is only one of the
//!   `nil` words such as 无);
//! - `must-mention`: none of these words is in it (`silent`);
//! - `must-not-mention`: one of these words is in it (`mentions`, pointing at the first).
//!
//! `from-year` limits the check to reports of that year on.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::{Keywords, SectionBody};
use crate::rules::Context;
use crate::text::{TextRange, fold};

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    #[serde(default)]
    section: Option<Spanned<Vec<Vec<String>>>>,
    #[serde(default)]
    from_year: Option<i32>,
    #[serde(default)]
    min_chars: Option<usize>,
    #[serde(default)]
    nil: Vec<String>,
    #[serde(default)]
    must_mention: Vec<String>,
    #[serde(default)]
    must_not_mention: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct SectionContent {
    section: Option<Keywords>,
    from_year: Option<i32>,
    min_chars: Option<usize>,
    /// Normalised, letters only.
    nil: Vec<String>,
    must_mention: Vec<String>,
    must_not_mention: Vec<String>,
}

/// How many letters a section's heading may have after its keywords and still be only its title
/// (`存在的主要问题及改进` + `情况`, `其他需要报告` + `的事项`).
const TITLE_TAIL_CHARS: usize = 4;

/// Normalised words, letters and digits only, empty ones dropped.
fn words(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|word| letters(&fold(word)))
        .filter(|word| !word.is_empty())
        .collect()
}

/// The letters and digits of a normalised text (punctuation and spaces dropped).
fn letters(folded: &str) -> String {
    folded.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// What is read: the section's heading (none for the whole report) and its prose, normalised,
/// with the source place of each char kept for pointing at a word.
struct Reading {
    heading: Option<TextRange>,
    /// Whether the heading ran on into the body and was cut after its keywords.
    cut: bool,
    /// The prose's chars (letters and digits) and where each is.
    chars: Vec<(char, TextRange)>,
}

impl Reading {
    fn text(&self) -> String {
        self.chars.iter().map(|(c, _)| *c).collect()
    }

    /// The source range of the first occurrence of a word (letters only).
    fn find(&self, word: &str) -> Option<TextRange> {
        let text = self.text();
        let at = text.find(word)?;
        let first = text[..at].chars().count();
        let count = word.chars().count();
        let start = self.chars.get(first)?.1;
        let end = self.chars.get(first + count - 1)?.1;
        Some(start.cover(end))
    }
}

impl SectionContent {
    /// The prose to read: the section's (sub-headings left out) or the whole report's.
    fn read(&self, context: &Context<'_>) -> Option<Reading> {
        let report = context.report;
        let mut cut = false;
        let (heading, parts): (Option<TextRange>, Vec<TextRange>) = match &self.section {
            Some(keywords) => {
                let body: &SectionBody = report.section(keywords)?;
                let mut heading = report.headings.get(body.heading)?.range;
                // A heading run into its body (a crawler's run-on text, or `…情况：` in a
                // paragraph of its own) may have read the body's first words as its own
                // (`五、存在的主要问题及改进情况存在的问题主要有…`). Its words after the section's
                // keywords are read as the body's when they are more than a title's tail
                // (`情况`, `措施`, `的事项`), so that they are neither missed (`本年度未收取
                // 信息处理费` run into 六's heading) nor shown as the heading.
                let mut run_in = None;
                if body.prose.first().is_some_and(|part| part.start == heading.end) {
                    let folded = report.folded.folded_range(heading);
                    let words = report.folded.as_str().get(folded.clone()).unwrap_or("");
                    if let Some(end) = keywords.end_in(words)
                        && words.get(end..).unwrap_or("").chars().filter(|c| c.is_alphanumeric()).count()
                            > TITLE_TAIL_CHARS
                    {
                        let split = report.folded.source_range(folded.start + end..folded.end);
                        run_in = Some(TextRange::new(split.start, heading.end));
                        cut = true;
                        heading = TextRange::new(heading.start, split.start);
                    }
                }
                let sub_headings: Vec<TextRange> = report
                    .headings
                    .iter()
                    .filter(|h| h.level > 1 && h.range.start >= body.range.start)
                    .filter(|h| h.range.end <= body.range.end)
                    .map(|h| h.range)
                    .collect();
                let mut parts: Vec<TextRange> = run_in.into_iter().collect();
                for part in &body.prose {
                    let mut start = part.start;
                    for sub in sub_headings
                        .iter()
                        .filter(|sub| sub.start >= part.start && sub.end <= part.end)
                    {
                        if sub.start > start {
                            parts.push(TextRange::new(start, sub.start));
                        }
                        start = start.max(sub.end);
                    }
                    if start < part.end {
                        parts.push(TextRange::new(start, part.end));
                    }
                }
                (Some(heading), parts)
            }
            None => (None, context.doc.paragraphs().collect()),
        };
        let mut chars = Vec::new();
        for part in parts {
            let folded_range = report.folded.folded_range(part);
            let Some(text) = report.folded.as_str().get(folded_range.clone()) else {
                continue;
            };
            for (at, c) in text.char_indices() {
                if c.is_alphanumeric() {
                    let start = folded_range.start + at;
                    chars.push((c, report.folded.source_range(start..start + c.len_utf8())));
                }
            }
        }
        Some(Reading {
            heading,
            cut,
            chars,
        })
    }
}

impl CheckKind for SectionContent {
    const NAME: &'static str = "section-content";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::optional("empty", &["section"]),
        MessageSpec::optional("nil", &["section", "text"]),
        MessageSpec::optional("thin", &["section", "chars", "min"]),
        MessageSpec::optional("silent", &["section", "words"]),
        MessageSpec::optional("mentions", &["section", "word"]),
        MessageSpec::required("label-heading", &[]),
        MessageSpec::required("label-word", &["word"]),
        MessageSpec::required("whole-report", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let section = spec
            .section
            .as_ref()
            .map(|groups| compile.keywords(groups))
            .transpose()?;
        Ok(Self {
            section,
            from_year: spec.from_year,
            min_chars: spec.min_chars,
            nil: words(&spec.nil),
            must_mention: words(&spec.must_mention),
            must_not_mention: words(&spec.must_not_mention),
        })
    }

    fn required_messages(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if self.min_chars.is_some() {
            keys.extend(["empty", "thin"]);
        }
        if !self.nil.is_empty() {
            keys.push("nil");
        }
        if !self.must_mention.is_empty() {
            keys.push("silent");
        }
        if !self.must_not_mention.is_empty() {
            keys.push("mentions");
        }
        keys
    }

    fn run(&self, context: &mut Context<'_>) {
        if let Some(from) = self.from_year
            && context.report.year.is_none_or(|year| year < from)
        {
            return;
        }
        let Some(reading) = self.read(context) else {
            return;
        };
        let section = match reading.heading {
            Some(range) if reading.cut => format!("{}…", context.doc.slice(range).trim()),
            Some(range) => context.doc.slice(range).trim().to_owned(),
            None => context.message("whole-report", &[]),
        };
        let at_heading = |context: &Context<'_>| match reading.heading {
            Some(range) => Label::new(range, context.message("label-heading", &[])),
            None => context.document_anchor(),
        };
        let text = reading.text();
        let chars = text.chars().count();
        if let Some(min) = self.min_chars
            && chars < min
        {
            let diagnostic = if chars == 0 {
                context.diagnostic("empty", &[("section", section.clone())])
            } else if self.nil.contains(&text) {
                let written = reading
                    .find(&text)
                    .map_or_else(|| text.clone(), |range| context.doc.slice(range).to_owned());
                context.diagnostic("nil", &[("section", section.clone()), ("text", written)])
            } else {
                context.diagnostic(
                    "thin",
                    &[
                        ("section", section.clone()),
                        ("chars", chars.to_string()),
                        ("min", min.to_string()),
                    ],
                )
            };
            let label = at_heading(context);
            context.emit(diagnostic.with_primary(label));
        }
        if !self.must_mention.is_empty()
            && !self
                .must_mention
                .iter()
                .any(|word| text.contains(word.as_str()))
        {
            let diagnostic = context.diagnostic(
                "silent",
                &[
                    ("section", section.clone()),
                    ("words", self.must_mention.join("、")),
                ],
            );
            let label = at_heading(context);
            context.emit(diagnostic.with_primary(label));
        }
        if let Some(range) = self
            .must_not_mention
            .iter()
            .filter_map(|word| reading.find(word))
            .min_by_key(|range| range.start)
        {
            let written = context.doc.slice(range).to_owned();
            let diagnostic = context
                .diagnostic(
                    "mentions",
                    &[("section", section.clone()), ("word", written.clone())],
                )
                .with_primary(Label::new(
                    range,
                    context.message("label-word", &[("word", written)]),
                ));
            context.emit(diagnostic);
        }
    }
}
