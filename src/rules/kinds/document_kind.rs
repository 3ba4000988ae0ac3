//! `document-kind`: the document is a 政府信息公开工作年度报告. A rule of this kind applies to
//! documents the model judged to be something else (`applies-to = ["other"]`), and says why.

use serde::Deserialize;

use super::{Check, MessageSpec};
use crate::model::ReportKind;
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};

const MESSAGES: &[MessageSpec] = &[MessageSpec {
    key: "other",
    placeholders: &["evidence"],
    required: true,
    extraction: false,
}];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
}

/// The compiled check.
#[derive(Debug)]
pub struct DocumentKind;

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    load::finish(source, file, Check::DocumentKind(DocumentKind), MESSAGES)
}

impl DocumentKind {
    pub(super) fn run(&self, context: &mut Context<'_>) {
        if context.report.kind == ReportKind::AnnualReport {
            return;
        }
        let evidence = context.report.kind_evidence.clone();
        let mut anchor = context.document_anchor();
        anchor.message = "文档开头".to_owned();
        let diagnostic = context
            .diagnostic(context.severity(), "other", &[("evidence", evidence)])
            .with_primary(anchor);
        context.emit(diagnostic);
    }
}
