//! `document-kind`: the document is a 政府信息公开工作年度报告. A rule of this kind applies to
//! documents the model judged to be something else (`applies-to = ["other"]`), and says why. Its
//! `other-words` are the words that make the model judge so (a title or opening that says
//! `工作要点落实情况` and does not say 年度报告).

use serde::Deserialize;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::model::{ModelConfig, ReportKind};
use crate::rules::Context;
use crate::text::fold;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    other_words: Vec<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct DocumentKind {
    other_words: Vec<String>,
}

impl CheckKind for DocumentKind {
    const NAME: &'static str = "document-kind";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("other", &["evidence"]),
        MessageSpec::required("label-opening", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, _compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            other_words: spec
                .other_words
                .iter()
                .map(|word| fold(word))
                .filter(|word| !word.is_empty())
                .collect(),
        })
    }

    fn configure(&self, model: &mut ModelConfig) {
        for word in &self.other_words {
            if !model.other_document_words.contains(word) {
                model.other_document_words.push(word.clone());
            }
        }
    }

    fn run(&self, context: &mut Context<'_>) {
        if context.report.kind == ReportKind::AnnualReport {
            return;
        }
        let evidence = context.report.kind_evidence.clone();
        let mut anchor = context.document_anchor();
        anchor.message = context.message("label-opening", &[]);
        let diagnostic = context
            .diagnostic("other", &[("evidence", evidence)])
            .with_primary(anchor);
        context.emit(diagnostic);
    }
}
