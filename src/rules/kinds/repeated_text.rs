//! `repeated-text`: a section repeats the same body's report for the year before. Each `section`
//! is found in both reports by its heading's keywords (optionally only in reports of some eras);
//! what is compared is its prose with figures and years masked, as prints kept once the
//! documents are gone (`src/model/prints.rs`). A section shorter than `min-chars` is not compared:
//! one-line statements rightly repeat. A finding says which share of this year's section is found
//! in last year's, when that share reaches `share`.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::prints::{PrintConfig, PrintedSection, repeated_share};
use crate::model::{Era, ModelConfig};
use crate::rules::PairContext;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    min_chars: usize,
    share: Spanned<f64>,
    section: Vec<SectionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    title: String,
    keywords: Spanned<Vec<Vec<String>>>,
    #[serde(default)]
    eras: Option<Vec<Spanned<String>>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct RepeatedText {
    /// The sections, in the order the model prints them.
    prints: PrintConfig,
    /// Their titles, for messages.
    titles: Vec<String>,
    share: f64,
}

impl CheckKind for RepeatedText {
    const NAME: &'static str = "repeated-text";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required(
            "repeated",
            &["section", "heading", "share", "year", "previous-year"],
        ),
        MessageSpec::required("label-this-year", &["share"]),
        MessageSpec::required("label-last-year", &["year"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let share = *spec.share.get_ref();
        if !(share > 0.0 && share <= 1.0) {
            return Err(compile.error(spec.share.span(), "share 应为 0 到 1 之间的比例，如 0.8"));
        }
        let mut sections = Vec::new();
        let mut titles = Vec::new();
        for section in &spec.section {
            let eras = section
                .eras
                .as_ref()
                .map(|eras| {
                    eras.iter()
                        .map(|era| compile.file.era(era))
                        .collect::<Result<Vec<Era>, _>>()
                })
                .transpose()?;
            sections.push(PrintedSection {
                keywords: compile.keywords(&section.keywords)?,
                eras,
            });
            titles.push(section.title.clone());
        }
        Ok(Self {
            prints: PrintConfig {
                sections,
                min_chars: spec.min_chars,
            },
            titles,
            share,
        })
    }

    fn configure(&self, model: &mut ModelConfig) {
        // One rule of this kind decides what is printed (the built-in S009, or a replacement).
        model.prints = Some(self.prints.clone());
    }

    fn compares_years(&self) -> bool {
        true
    }

    fn run(&self, _context: &mut crate::rules::Context<'_>) {}

    fn run_pair(&self, context: &mut PairContext<'_>) {
        let (current, previous) = (context.current, context.previous);
        for this in &current.sections {
            let Some(last) = previous
                .sections
                .iter()
                .find(|last| last.section == this.section)
            else {
                continue;
            };
            let Some(share) = repeated_share(this, last) else {
                continue;
            };
            if share < self.share {
                continue;
            }
            // Shown rounded down: 99.6% repeated is not "100%".
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a share between 0 and 1, times 100"
            )]
            let percent = (share * 100.0).floor() as u32;
            let year = current
                .year
                .map_or_else(|| "本".to_owned(), |y| y.to_string());
            let previous_year = previous
                .year
                .or_else(|| current.year.map(|y| y - 1))
                .map_or_else(|| "上一".to_owned(), |y| y.to_string());
            let title = self.titles.get(this.section).cloned().unwrap_or_default();
            let vars = [
                ("section", title),
                ("heading", this.heading.clone()),
                ("share", percent.to_string()),
                ("year", year),
                ("previous-year", previous_year.clone()),
            ];
            let rule = context.rule;
            let mut label = Label::new(
                this.range,
                rule.render("label-this-year", &[("share", percent.to_string())]),
            );
            label.span = Some(this.span);
            let diagnostic = rule
                .diagnostic("repeated", &vars, current.year, current.era)
                .with_primary(label)
                .with_secondary(Label::elsewhere(
                    &previous.path,
                    last.range,
                    last.span,
                    rule.render("label-last-year", &[("year", previous_year)]),
                ));
            context.emit(diagnostic);
        }
    }
}
