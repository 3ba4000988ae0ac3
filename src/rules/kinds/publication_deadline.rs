//! `publication-deadline`: the report was published by its deadline (spec S14, §1.2). The date is
//! the model's ([`crate::model::published`]: the page's 发布时间 …, else the signature); the labels
//! that introduce it are this kind's `words`. The deadline depends on the report year and on the
//! kind of issuer, told from the issuer's name by the kind's `[[check.issuer]]` patterns (data) or
//! declared by the configuration (`[publication] issuer-type`); a configured local deadline
//! (`[publication] deadline`) replaces the statutory one. An issuer of unknown type is judged only
//! by a deadline that holds for every issuer (the 2008 regulation's).

use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::ModelConfig;
use crate::model::published::{DateSource, IssuerType, MonthDay};
use crate::rules::Context;

const LATE: &[&str] = &[
    "date",
    "source",
    "deadline",
    "year",
    "issuer",
    "issuer-type",
    "basis",
    "days",
];

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    words: Spanned<Vec<String>>,
    issuer: Vec<IssuerSpec>,
    deadline: Vec<DeadlineSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IssuerSpec {
    #[serde(rename = "type")]
    issuer_type: Spanned<String>,
    name: String,
    patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DeadlineSpec {
    #[serde(default)]
    from: Option<i32>,
    #[serde(default)]
    until: Option<i32>,
    #[serde(default)]
    issuers: Option<Vec<Spanned<String>>>,
    date: Spanned<String>,
    basis: String,
}

/// The compiled check.
#[derive(Debug)]
pub struct PublicationDeadline {
    words: Vec<String>,
    issuers: Vec<Issuer>,
    deadlines: Vec<Deadline>,
}

#[derive(Debug)]
struct Issuer {
    issuer_type: IssuerType,
    name: String,
    patterns: Vec<Regex>,
}

#[derive(Debug)]
struct Deadline {
    from: Option<i32>,
    until: Option<i32>,
    /// The issuer types it holds for (`None`: every issuer, of known type or not).
    issuers: Option<Vec<IssuerType>>,
    date: MonthDay,
    basis: String,
}

impl Deadline {
    fn holds(&self, year: i32, issuer: Option<IssuerType>) -> bool {
        self.from.is_none_or(|from| year >= from)
            && self.until.is_none_or(|until| year <= until)
            && self.issuers.as_ref().is_none_or(|types| {
                issuer.is_some_and(|issuer| types.contains(&issuer))
            })
    }
}

fn issuer_type(compile: &Compile<'_>, name: &Spanned<String>) -> Result<IssuerType, LoadError> {
    IssuerType::parse(name.get_ref()).ok_or_else(|| {
        compile.error(
            name.span(),
            format!(
                "发布机关类型「{}」无效（可用：{}）",
                name.get_ref(),
                IssuerType::NAMES.join(", ")
            ),
        )
    })
}

impl CheckKind for PublicationDeadline {
    const NAME: &'static str = "publication-deadline";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("late", LATE),
        MessageSpec::required("late-local", LATE),
        MessageSpec::required("source-labelled", &["label"]),
        MessageSpec::required("source-signature", &[]),
        MessageSpec::required("label-date", &["deadline"]),
        MessageSpec::required("label-issuer", &["issuer-type"]),
        MessageSpec::required("issuer-declared", &["issuer-type"]),
        MessageSpec::required("note-signature", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        let words = crate::rules::patterns::words(spec.words.get_ref());
        if words.is_empty() {
            return Err(compile.error(
                spec.words.span(),
                "words 应列出引出发布日期的词，如 [\"发布时间\", \"发布日期\"]",
            ));
        }
        let issuers = spec
            .issuer
            .iter()
            .map(|issuer| {
                Ok(Issuer {
                    issuer_type: issuer_type(compile, &issuer.issuer_type)?,
                    name: issuer.name.clone(),
                    patterns: compile.patterns(&issuer.patterns)?,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let deadlines = spec
            .deadline
            .iter()
            .map(|deadline| {
                let date = MonthDay::parse(deadline.date.get_ref()).ok_or_else(|| {
                    compile.error(
                        deadline.date.span(),
                        format!("日期「{}」无效：应写作 MM-DD，如 03-31", deadline.date.get_ref()),
                    )
                })?;
                let issuers = deadline
                    .issuers
                    .as_ref()
                    .map(|names| names.iter().map(|name| issuer_type(compile, name)).collect())
                    .transpose()?;
                Ok(Deadline {
                    from: deadline.from,
                    until: deadline.until,
                    issuers,
                    date,
                    basis: deadline.basis.clone(),
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        Ok(Self {
            words,
            issuers,
            deadlines,
        })
    }

    fn configure(&self, model: &mut ModelConfig) {
        model.publication_words.extend(self.words.iter().cloned());
    }

    fn run(&self, context: &mut Context<'_>) {
        let report = context.report;
        let (Some(year), Some(published)) = (report.year, &report.published) else {
            return;
        };
        let Ok(next_year) = i16::try_from(year + 1) else {
            return;
        };
        // The issuer's type: as declared, else as its name says (with the pattern's wording).
        let declared = report.declared.issuer_type;
        let guessed = report.issuer.as_deref().and_then(|issuer| {
            let folded = crate::text::fold(issuer);
            self.issuers
                .iter()
                .find(|kind| kind.patterns.iter().any(|p| p.is_match(&folded)))
        });
        let issuer_type = declared.or(guessed.map(|kind| kind.issuer_type));
        let type_name = |issuer_type: IssuerType| {
            self.issuers
                .iter()
                .find(|kind| kind.issuer_type == issuer_type)
                .map_or_else(|| issuer_type.name().to_owned(), |kind| kind.name.clone())
        };
        // (message, deadline, its basis, whether it depends on the issuer's type)
        let (key, deadline, basis, by_type) = match report.declared.deadline {
            Some(local) => ("late-local", local, String::new(), false),
            None => {
                let Some(rule) = self
                    .deadlines
                    .iter()
                    .find(|deadline| deadline.holds(year, issuer_type))
                else {
                    return;
                };
                ("late", rule.date, rule.basis.clone(), rule.issuers.is_some())
            }
        };
        let Some(deadline) = deadline.in_year(next_year) else {
            return;
        };
        if published.date <= deadline {
            return;
        }
        let source = match &published.source {
            DateSource::Labelled(label) => {
                context.message("source-labelled", &[("label", label.clone())])
            }
            DateSource::Signature => context.message("source-signature", &[]),
        };
        let issuer_type_text = issuer_type.map(type_name).unwrap_or_default();
        let vars = [
            ("date", show(published.date)),
            ("source", source),
            ("deadline", show(deadline)),
            ("year", year.to_string()),
            ("issuer", report.issuer.clone().unwrap_or_default()),
            ("issuer-type", issuer_type_text.clone()),
            ("basis", basis),
            ("days", (deadline.until(published.date).map_or(0, |span| span.get_days())).to_string()),
        ];
        let label = context.message("label-date", &[("deadline", show(deadline))]);
        let mut diagnostic = context
            .diagnostic(key, &vars)
            .with_primary(Label::new(published.range, label));
        if let Some(issuer_type) = issuer_type.filter(|_| by_type) {
            let text = if declared.is_some() {
                context.message("issuer-declared", &[("issuer-type", type_name(issuer_type))])
            } else {
                context.message("label-issuer", &[("issuer-type", type_name(issuer_type))])
            };
            match (&report.title, declared) {
                (Some(title), None) => {
                    diagnostic = diagnostic.with_secondary(Label::new(title.range, text));
                }
                _ => diagnostic = diagnostic.with_note(text),
            }
        }
        if published.source == DateSource::Signature {
            diagnostic = diagnostic.with_note(context.message("note-signature", &[]));
        }
        context.emit(diagnostic);
    }
}

fn show(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}
