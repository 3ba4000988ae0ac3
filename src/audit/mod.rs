//! The audit summary of a whole run: one row per report, one row per rule, totals, and which
//! reports were compared across years. Built from the (detached) results of a run; rendered as a
//! terminal table, CSV, JSON, Markdown or one self-contained HTML page (see [`render`]).

pub mod render;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::lint::{EngineCode, FileResult, FileRole};
use crate::model::{Era, ReportKind};
use crate::rules::Registry;
use crate::source::SourceKind;
use crate::years::Pairing;

/// How many findings a report row names.
const TOP_FINDINGS: usize = 3;

/// A finding named in a report's row.
#[derive(Clone, Debug, Serialize)]
pub struct TopFinding {
    /// Its code.
    pub code: String,
    /// Its rule's name.
    pub name: String,
    /// Its severity.
    pub severity: Severity,
    /// Its message.
    pub message: String,
    /// Its line in the report's canonical text, if it has one.
    pub line: Option<usize>,
}

/// One report's row.
#[derive(Clone, Debug, Serialize)]
pub struct ReportRow {
    /// The path, as shown.
    pub path: String,
    /// The issuing body named in the title.
    pub issuer: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The format era.
    pub era: Option<Era>,
    /// Annual report or not (`None`: the file could not be read).
    pub kind: Option<ReportKind>,
    /// The input form.
    pub format: Option<SourceKind>,
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Info-level findings.
    pub infos: usize,
    /// Checks that could not be carried out.
    pub not_assessable: usize,
    /// Findings waived.
    pub waived: usize,
    /// Findings by code.
    pub codes: BTreeMap<String, usize>,
    /// The most serious findings, most serious first.
    pub top: Vec<TopFinding>,
    /// The report of the year before it was compared with, if any.
    pub compared_with: Option<String>,
}

/// One rule's row.
#[derive(Clone, Debug, Serialize)]
pub struct RuleRow {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// The default severity.
    pub severity: Severity,
    /// Reports with at least one finding of the rule.
    pub reports: usize,
    /// Findings of the rule, in all reports.
    pub findings: usize,
}

/// Totals of the run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Files checked.
    pub reports: usize,
    /// Files that could not be read as reports.
    pub unreadable: usize,
    /// Annual reports.
    pub annual_reports: usize,
    /// Reports with at least one error.
    pub reports_with_errors: usize,
    /// Reports without any finding.
    pub clean_reports: usize,
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Info-level findings.
    pub infos: usize,
    /// Checks that could not be carried out.
    pub not_assessable: usize,
    /// Findings waived.
    pub waived: usize,
    /// Problems of the waiver files (expired, unused, incomplete waivers).
    pub waiver_problems: usize,
}

/// Two reports compared across years.
#[derive(Clone, Debug, Serialize)]
pub struct PairRow {
    /// The issuer, as the later report names it.
    pub issuer: Option<String>,
    /// The later report.
    pub current: String,
    /// Its year.
    pub year: Option<i32>,
    /// The report of the year before.
    pub previous: String,
}

/// A report compared with no other year.
#[derive(Clone, Debug, Serialize)]
pub struct AloneRow {
    /// The report.
    pub path: String,
    /// Why.
    pub reason: &'static str,
}

/// Several copies of one issuer's report for one year.
#[derive(Clone, Debug, Serialize)]
pub struct DuplicateRow {
    /// The copy used as "the year before" for the next year's report.
    pub kept: String,
    /// The other copies.
    pub others: Vec<String>,
}

/// The audit summary.
#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    /// One row per checked file, in input order.
    pub reports: Vec<ReportRow>,
    /// One row per rule and engine code, by code.
    pub rules: Vec<RuleRow>,
    /// Totals.
    pub totals: Totals,
    /// Reports compared across years.
    pub pairs: Vec<PairRow>,
    /// Reports compared with no other year.
    pub alone: Vec<AloneRow>,
    /// Years with several copies.
    pub duplicates: Vec<DuplicateRow>,
}

fn top_findings(result: &FileResult) -> Vec<TopFinding> {
    let mut findings: Vec<_> = result.diagnostics.iter().collect();
    // Most serious first; then in text order (already the order of the list).
    findings.sort_by_key(|d| std::cmp::Reverse(d.severity));
    findings
        .into_iter()
        .take(TOP_FINDINGS)
        .map(|d| TopFinding {
            code: d.code.clone(),
            name: d.name.clone(),
            severity: d.severity,
            message: d.message.clone(),
            line: d
                .labels_here()
                .find_map(|label| label.span.map(|span| span.line)),
        })
        .collect()
}

impl Audit {
    /// Summarises a run: `results` in input order (waiver-file results last), `pairing` over the
    /// same indices, `registry` for the rule rows.
    pub fn build(results: &[FileResult], pairing: &Pairing, registry: &Registry) -> Self {
        let mut compared: BTreeMap<usize, usize> = BTreeMap::new();
        for &(current, previous) in &pairing.pairs {
            compared.insert(current, previous);
        }
        let path = |index: usize| {
            results
                .get(index)
                .map_or_else(String::new, |result| result.path.clone())
        };
        let mut totals = Totals::default();
        let mut reports = Vec::new();
        for (index, result) in results.iter().enumerate() {
            if result.role == FileRole::Waivers {
                totals.waiver_problems += result.diagnostics.len();
                continue;
            }
            let mut codes = BTreeMap::new();
            for diagnostic in &result.diagnostics {
                *codes.entry(diagnostic.code.clone()).or_insert(0) += 1;
            }
            let row = ReportRow {
                path: result.path.clone(),
                issuer: result.report.as_ref().and_then(|r| r.issuer.clone()),
                year: result.report.as_ref().and_then(|r| r.year),
                era: result.report.as_ref().map(|r| r.era),
                kind: result.report.as_ref().map(|r| r.kind),
                format: result.report.as_ref().map(|r| r.format),
                errors: result.count(Severity::Error),
                warnings: result.count(Severity::Warning),
                infos: result.count(Severity::Info),
                not_assessable: result.not_assessable.len(),
                waived: result.waived,
                codes,
                top: top_findings(result),
                compared_with: compared.get(&index).map(|&previous| path(previous)),
            };
            totals.reports += 1;
            totals.unreadable += usize::from(result.report.is_none());
            totals.annual_reports += usize::from(
                result
                    .report
                    .as_ref()
                    .is_some_and(|r| r.kind == ReportKind::AnnualReport),
            );
            totals.reports_with_errors += usize::from(row.errors > 0);
            totals.clean_reports +=
                usize::from(result.report.is_some() && result.diagnostics.is_empty());
            totals.errors += row.errors;
            totals.warnings += row.warnings;
            totals.infos += row.infos;
            totals.not_assessable += row.not_assessable;
            totals.waived += row.waived;
            reports.push(row);
        }
        let mut rules: Vec<RuleRow> = registry
            .rules()
            .iter()
            .map(|rule| RuleRow {
                code: rule.code.clone(),
                name: rule.name.clone(),
                severity: rule.severity,
                reports: 0,
                findings: 0,
            })
            .collect();
        for report in &reports {
            for (code, &count) in &report.codes {
                let row = match rules.iter_mut().position(|row| row.code == *code) {
                    Some(index) => &mut rules[index],
                    None => {
                        let (name, severity) = EngineCode::find(code)
                            .map_or(("", Severity::Error), |engine| {
                                (engine.name, engine.severity)
                            });
                        rules.push(RuleRow {
                            code: code.clone(),
                            name: name.to_owned(),
                            severity,
                            reports: 0,
                            findings: 0,
                        });
                        let last = rules.len() - 1;
                        &mut rules[last]
                    }
                };
                row.reports += 1;
                row.findings += count;
            }
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        let pairs = pairing
            .pairs
            .iter()
            .map(|&(current, previous)| PairRow {
                issuer: results
                    .get(current)
                    .and_then(|r| r.report.as_ref())
                    .and_then(|r| r.issuer.clone()),
                current: path(current),
                year: results
                    .get(current)
                    .and_then(|r| r.report.as_ref())
                    .and_then(|r| r.year),
                previous: path(previous),
            })
            .collect();
        let alone = pairing
            .alone
            .iter()
            .filter(|(index, _)| {
                results
                    .get(*index)
                    .is_some_and(|result| result.role == FileRole::Report)
            })
            .map(|&(index, why)| AloneRow {
                path: path(index),
                reason: why.describe(),
            })
            .collect();
        let duplicates = pairing
            .duplicates
            .iter()
            .map(|(kept, others)| DuplicateRow {
                kept: path(*kept),
                others: others.iter().map(|&index| path(index)).collect(),
            })
            .collect();
        Self {
            reports,
            rules,
            totals,
            pairs,
            alone,
            duplicates,
        }
    }
}
