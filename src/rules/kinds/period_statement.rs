//! `period-statement`: the report states its statistical period (统计期限).

use serde::Deserialize;

use super::{Check, MessageSpec};
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};

const MESSAGES: &[MessageSpec] = &[MessageSpec {
    key: "missing",
    placeholders: &["year"],
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
pub struct PeriodStatementCheck;

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    load::finish(
        source,
        file,
        Check::PeriodStatement(PeriodStatementCheck),
        MESSAGES,
    )
}

impl PeriodStatementCheck {
    pub(super) fn run(&self, context: &mut Context<'_>) {
        if context.report.period.is_some() {
            return;
        }
        let year = context
            .report
            .year
            .map_or_else(|| "YYYY".to_owned(), |year| year.to_string());
        let mut anchor = context.document_anchor();
        anchor.message = "全文没有统计期限说明".to_owned();
        let diagnostic = context
            .diagnostic(context.severity(), "missing", &[("year", year)])
            .with_primary(anchor);
        context.emit(diagnostic);
    }
}
