//! `period-statement`: the report states its statistical period (统计期限). Its `wordings` are the
//! words that introduce the statement (`统计期限`, `统计时限` …): the model looks for them in every
//! report, and the period rules check what follows.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::model::ModelConfig;
use crate::rules::Context;

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    wordings: Spanned<Vec<String>>,
}

/// The compiled check.
#[derive(Debug)]
pub struct PeriodStatement {
    wordings: Vec<String>,
}

impl CheckKind for PeriodStatement {
    const NAME: &'static str = "period-statement";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("missing", &["year"]),
        MessageSpec::required("label-missing", &[]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        if spec.wordings.get_ref().iter().all(|word| word.trim().is_empty()) {
            return Err(compile.error(
                spec.wordings.span(),
                "wordings 应列出引出统计期限的词，如 [\"统计期限\", \"统计时限\"]",
            ));
        }
        Ok(Self {
            wordings: spec.wordings.into_inner(),
        })
    }

    fn configure(&self, model: &mut ModelConfig) {
        model.period.extend(self.wordings.iter().cloned());
    }

    fn run(&self, context: &mut Context<'_>) {
        if context.report.period.is_some() {
            return;
        }
        let year = context
            .report
            .year
            .map_or_else(|| "YYYY".to_owned(), |year| year.to_string());
        let mut anchor = context.document_anchor();
        anchor.message = context.message("label-missing", &[]);
        let diagnostic = context
            .diagnostic("missing", &[("year", year)])
            .with_primary(anchor);
        context.emit(diagnostic);
    }
}
