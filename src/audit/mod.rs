//! The audit summary of a whole run: one row per report, one row per rule, totals, and which
//! reports were compared across years. Built from the (detached) results of a run; rendered as a
//! terminal table, CSV, JSON, Markdown or one self-contained HTML page (see [`render`]).

pub mod charts;
pub mod derived;
pub mod regions;
pub mod render;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::lint::{EngineCode, FileResult, FileRole, Published};
use crate::model::figures::Figures;
use crate::model::{Era, ReportKind};
use crate::rules::{Check, Registry};
use crate::source::SourceKind;
use crate::years::Pairing;
use derived::{Derived, Pooled};

/// How many findings a report row names.
const TOP_FINDINGS: usize = 3;
/// How many rules a region's row names.
const TOP_RULES: usize = 3;

/// Width of text in columns of a fixed-width layout (a spreadsheet column, a chart's label
/// area): a CJK character takes two.
pub(super) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// A derived figure of a report or a group of reports, named.
#[derive(Clone, Debug, Serialize)]
pub struct NamedFigure {
    /// Its name (`实质公开率`).
    pub name: &'static str,
    /// A ratio (shown as a percentage) or a count.
    pub rate: bool,
    /// The value (0.25 for 25 %), or `None`.
    pub value: Option<f64>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blank: Option<String>,
}

impl NamedFigure {
    fn new(name: &'static str, rate: bool, derived: Derived) -> Self {
        match derived {
            Derived::Value(value) => Self {
                name,
                rate,
                value: Some(value),
                blank: None,
            },
            Derived::Blank(why) => Self {
                name,
                rate,
                value: None,
                blank: Some(why),
            },
        }
    }

    /// The value as shown: `37.5%`, `120`, or `—`.
    pub fn shown(&self) -> String {
        match self.value {
            None => "—".to_owned(),
            Some(value) if self.rate => format!("{:.1}%", value * 100.0),
            Some(value) => format!("{value:.0}"),
        }
    }
}

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
    /// The region it belongs to (`某市/某县`), if known.
    pub region: Option<String>,
    /// The publication date it states, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
    /// The figures read from its tables (absent when the file could not be read).
    pub figures: Option<Figures>,
    /// The derived figures ([`derived::DEFINITIONS`], then the change of 申请量).
    pub derived: Vec<NamedFigure>,
}

/// One region's row: its reports and those of the regions below it.
#[derive(Clone, Debug, Serialize)]
pub struct RegionRow {
    /// The region (`某市/某县`); levels are separated by `/`.
    pub region: String,
    /// How deep it is: 1 for a top-level region.
    pub depth: usize,
    /// Files checked.
    pub reports: usize,
    /// Reports with at least one error.
    pub with_errors: usize,
    /// Reports found published late.
    pub late: usize,
    /// The rules found in most of its reports: (code, name, reports), most first.
    pub top_rules: Vec<(String, String, usize)>,
    /// The derived figures over its reports, pooled: the sums of the operands of every report
    /// whose operands were all read (a rate is the ratio of the sums, not a mean of rates).
    pub derived: Vec<NamedFigure>,
}

impl RegionRow {
    /// The share of its reports with errors (0 for a region without reports).
    pub fn error_share(&self) -> f64 {
        if self.reports == 0 {
            return 0.0;
        }
        #[allow(clippy::cast_precision_loss)]
        let share = self.with_errors as f64 / self.reports as f64;
        share
    }
}

/// One year's row: the derived figures over its reports, pooled.
#[derive(Clone, Debug, Serialize)]
pub struct YearRow {
    /// The report year.
    pub year: i32,
    /// Reports of that year.
    pub reports: usize,
    /// Reports with at least one error.
    pub with_errors: usize,
    /// The derived figures, pooled as for regions.
    pub derived: Vec<NamedFigure>,
}

/// How reports are grouped by region: the directories audited (folders below them are regions)
/// and an optional issuer → region mapping, which wins.
#[derive(Clone, Debug, Default)]
pub struct Grouping {
    /// The paths given to `audit`.
    pub roots: Vec<PathBuf>,
    /// The mapping file's regions.
    pub map: Option<regions::RegionMap>,
}

impl Grouping {
    /// The region of a report.
    pub fn region(&self, path: &str, issuer: Option<&str>) -> Option<String> {
        issuer
            .and_then(|issuer| self.map.as_ref()?.region(issuer))
            .map(str::to_owned)
            .or_else(|| regions::from_folders(Path::new(path), &self.roots))
    }
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
    /// One row per region and per region above it, by name (empty when no report has one).
    pub regions: Vec<RegionRow>,
    /// One row per report year, in order.
    pub years: Vec<YearRow>,
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
    /// same indices, `registry` for the rule rows, `grouping` for the regions.
    pub fn build(
        results: &[FileResult],
        pairing: &Pairing,
        registry: &Registry,
        grouping: &Grouping,
    ) -> Self {
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
            let figures = result.figures.as_ref();
            let previous_figures = compared
                .get(&index)
                .and_then(|&previous| results.get(previous))
                .and_then(|previous| previous.figures.as_ref());
            let mut figures_derived: Vec<NamedFigure> = derived::DEFINITIONS
                .iter()
                .map(|definition| {
                    NamedFigure::new(
                        definition.name,
                        definition.is_rate(),
                        derived::compute(definition, figures),
                    )
                })
                .collect();
            figures_derived.push(NamedFigure::new(
                derived::CHANGE_NAME,
                true,
                derived::change(figures, previous_figures),
            ));
            let issuer = result.report.as_ref().and_then(|r| r.issuer.clone());
            let row = ReportRow {
                region: grouping.region(&result.path, issuer.as_deref()),
                published: result.report.as_ref().and_then(|r| r.published),
                figures: result.figures.clone(),
                derived: figures_derived,
                path: result.path.clone(),
                issuer,
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
        // A report is late when a rule checking the publication deadline found it so: the
        // built-in P003 or a user's rule of that kind.
        let late_codes: Vec<&str> = registry
            .rules()
            .iter()
            .filter(|rule| matches!(rule.check, Check::PublicationDeadline(_)))
            .map(|rule| rule.code.as_str())
            .collect();
        let regions = region_rows(&reports, &rules, &late_codes);
        let years = year_rows(&reports);
        Self {
            reports,
            rules,
            totals,
            pairs,
            alone,
            duplicates,
            regions,
            years,
        }
    }
}

/// Pooled derived figures (not the change, which is per report) over some reports.
fn pooled(reports: &[&ReportRow]) -> Vec<NamedFigure> {
    derived::DEFINITIONS
        .iter()
        .map(|definition| {
            let mut pool = Pooled::default();
            for report in reports {
                pool.add(definition, report.figures.as_ref());
            }
            NamedFigure::new(
                definition.name,
                definition.is_rate(),
                pool.value(definition),
            )
        })
        .collect()
}

fn region_rows(reports: &[ReportRow], rules: &[RuleRow], late_codes: &[&str]) -> Vec<RegionRow> {
    let mut members: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
    for report in reports {
        if let Some(region) = &report.region {
            for level in regions::with_parents(region) {
                members.entry(level).or_default().push(report);
            }
        }
    }
    let names: HashMap<&str, &str> = rules
        .iter()
        .map(|rule| (rule.code.as_str(), rule.name.as_str()))
        .collect();
    members
        .into_iter()
        .map(|(region, rows)| {
            let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
            for row in &rows {
                for code in row.codes.keys() {
                    *by_rule.entry(code).or_insert(0) += 1;
                }
            }
            let mut top: Vec<(&str, usize)> = by_rule.into_iter().collect();
            // Most reports first; ties by code, so the order is stable.
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            RegionRow {
                region: region.to_owned(),
                depth: region.matches(regions::SEPARATOR).count() + 1,
                reports: rows.len(),
                with_errors: rows.iter().filter(|row| row.errors > 0).count(),
                late: rows
                    .iter()
                    .filter(|row| late_codes.iter().any(|code| row.codes.contains_key(*code)))
                    .count(),
                top_rules: top
                    .into_iter()
                    .take(TOP_RULES)
                    .map(|(code, count)| {
                        (
                            code.to_owned(),
                            names.get(code).copied().unwrap_or_default().to_owned(),
                            count,
                        )
                    })
                    .collect(),
                derived: pooled(&rows),
            }
        })
        .collect()
}

fn year_rows(reports: &[ReportRow]) -> Vec<YearRow> {
    let mut members: BTreeMap<i32, Vec<&ReportRow>> = BTreeMap::new();
    for report in reports {
        if let Some(year) = report.year {
            members.entry(year).or_default().push(report);
        }
    }
    members
        .into_iter()
        .map(|(year, rows)| YearRow {
            year,
            reports: rows.len(),
            with_errors: rows.iter().filter(|row| row.errors > 0).count(),
            derived: pooled(&rows),
        })
        .collect()
}
