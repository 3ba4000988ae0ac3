//! `period-range`: the statistical period runs from the configured first day to the configured
//! last day of the report year (1 January – 31 December by default).

use serde::Deserialize;
use toml::Spanned;

use super::{Check, MessageSpec};
use crate::diagnostic::{Label, Severity};
use crate::model::Date;
use crate::rules::load::{self, LoadError, RuleFile, RuleSource};
use crate::rules::{Context, Rule};

const RANGE: &[&str] = &["start", "end", "year", "expected-start", "expected-end"];

const MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        key: "wrong-year",
        placeholders: RANGE,
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "wrong-days",
        placeholders: RANGE,
        required: true,
        extraction: false,
    },
    MessageSpec {
        key: "no-dates",
        placeholders: &[],
        required: true,
        extraction: true,
    },
    MessageSpec {
        key: "no-year",
        placeholders: &[],
        required: true,
        extraction: false,
    },
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Spec {
    #[allow(dead_code, reason = "read by the first loading pass")]
    kind: String,
    start: Spanned<String>,
    end: Spanned<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct PeriodRange {
    start: (u32, u32),
    end: (u32, u32),
}

fn month_day(source: &RuleSource<'_>, value: &Spanned<String>) -> Result<(u32, u32), LoadError> {
    let parsed = value.get_ref().split_once('-').and_then(|(m, d)| {
        let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((month, day))
    });
    parsed.ok_or_else(|| {
        source.error(
            value.span(),
            format!("日期「{}」无效：应写作 MM-DD，如 01-01", value.get_ref()),
        )
    })
}

pub(super) fn load(source: &RuleSource<'_>) -> Result<Rule, LoadError> {
    let file: RuleFile<Spec> = source.parse()?;
    let check = PeriodRange {
        start: month_day(source, &file.check.start)?,
        end: month_day(source, &file.check.end)?,
    };
    load::finish(source, file, Check::PeriodRange(check), MESSAGES)
}

fn show(date: Date) -> String {
    match date.year {
        Some(year) => format!("{year}年{}月{}日", date.month, date.day),
        None => format!("{}月{}日", date.month, date.day),
    }
}

impl PeriodRange {
    pub(super) fn run(&self, context: &mut Context<'_>) {
        let Some(period) = &context.report.period else {
            return;
        };
        let check = context.rule.summary.clone();
        let Some((start, end)) = period.dates else {
            // The statement is there but its dates are not (often lost when a page was copied):
            // say so, rather than calling the period wrong.
            let diagnostic = context
                .diagnostic(context.severity().min(Severity::Warning), "no-dates", &[])
                .with_primary(Label::new(period.range, "日期缺失"));
            context.emit(diagnostic);
            return;
        };
        let Some(year) = context.report.year else {
            let reason = context.message("no-year", &[]);
            context.not_assessable(check, reason, Vec::new(), Some(period.range));
            return;
        };
        let year_ok = start.year == Some(year) && end.year.is_none_or(|end_year| end_year == year);
        let days_ok = (start.month, start.day) == self.start && (end.month, end.day) == self.end;
        if year_ok && days_ok {
            return;
        }
        let vars = [
            ("start", show(start)),
            ("end", show(end)),
            ("year", year.to_string()),
            (
                "expected-start",
                format!("{year}年{}月{}日", self.start.0, self.start.1),
            ),
            (
                "expected-end",
                format!("{year}年{}月{}日", self.end.0, self.end.1),
            ),
        ];
        let key = if year_ok { "wrong-days" } else { "wrong-year" };
        let mut diagnostic = context
            .diagnostic(context.severity(), key, &vars)
            .with_primary(Label::new(period.range, "统计期限"));
        if let Some((source, range)) = context.report.year_source
            && source == crate::model::YearSource::Title
        {
            diagnostic = diagnostic.with_secondary(Label::new(range, format!("报告年度 {year}")));
        }
        context.emit(diagnostic);
    }
}
