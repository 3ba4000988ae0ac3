//! `period-range`: the statistical period runs from the configured first day to the configured
//! last day of the report year (1 January – 31 December by default).

use serde::Deserialize;
use toml::Spanned;

use super::{CheckKind, Compile, MessageSpec};
use crate::datafile::LoadError;
use crate::diagnostic::Label;
use crate::model::WrittenDate;
use crate::rules::Context;

const RANGE: &[&str] = &["start", "end", "year", "expected-start", "expected-end"];

/// The `[check]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    start: Spanned<String>,
    end: Spanned<String>,
}

/// The compiled check.
#[derive(Debug)]
pub struct PeriodRange {
    start: (u32, u32),
    end: (u32, u32),
}

fn month_day(compile: &Compile<'_>, value: &Spanned<String>) -> Result<(u32, u32), LoadError> {
    let parsed = value.get_ref().split_once('-').and_then(|(m, d)| {
        let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((month, day))
    });
    parsed.ok_or_else(|| {
        compile.error(
            value.span(),
            format!("日期「{}」无效：应写作 MM-DD，如 01-01", value.get_ref()),
        )
    })
}

fn show(date: WrittenDate) -> String {
    match date.year {
        Some(year) => format!("{year}年{}月{}日", date.month, date.day),
        None => format!("{}月{}日", date.month, date.day),
    }
}

impl CheckKind for PeriodRange {
    const NAME: &'static str = "period-range";
    const MESSAGES: &'static [MessageSpec] = &[
        MessageSpec::required("wrong-year", RANGE),
        MessageSpec::required("wrong-days", RANGE),
        MessageSpec::required("no-dates", &[]).about_reading(),
        MessageSpec::required("no-year", &[]),
        MessageSpec::required("label-period", &[]),
        MessageSpec::required("label-no-dates", &[]),
        MessageSpec::required("label-year", &["year"]),
    ];
    type Spec = Spec;

    fn compile(spec: Spec, compile: &Compile<'_>) -> Result<Self, LoadError> {
        Ok(Self {
            start: month_day(compile, &spec.start)?,
            end: month_day(compile, &spec.end)?,
        })
    }

    fn run(&self, context: &mut Context<'_>) {
        let Some(period) = &context.report.period else {
            return;
        };
        let check = context.rule.summary.clone();
        let Some((start, end)) = period.dates else {
            // The statement is there but its dates are not (often lost when a page was copied):
            // say so, rather than calling the period wrong.
            let diagnostic = context
                .diagnostic("no-dates", &[])
                .with_primary(Label::new(period.range, context.message("label-no-dates", &[])));
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
            .diagnostic(key, &vars)
            .with_primary(Label::new(period.range, context.message("label-period", &[])));
        if let Some((source, range)) = context.report.year_source
            && source == crate::model::YearSource::Title
        {
            let label = context.message("label-year", &[("year", year.to_string())]);
            diagnostic = diagnostic.with_secondary(Label::new(range, label));
        }
        context.emit(diagnostic);
    }
}
