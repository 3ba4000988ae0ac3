//! The five seed reports (`../shared/seeds`) read as issue 2 expects. Skips when that folder is
//! absent (a checkout without the shared material); fails then when `CI` is set.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::path::PathBuf;

use common::{check, concise, human, names, shared, shared_or_skip};
use xxgk_lint::lint::FileResult;
use xxgk_lint::model::{Era, ReportKind};

fn seed(prefix: &str) -> Option<(PathBuf, FileResult)> {
    let dir = shared("seeds")?;
    let path = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(prefix))
        })?;
    let result = check(&path);
    Some((path, result))
}

macro_rules! seed_or_skip {
    ($prefix:expr) => {{
        if shared_or_skip("seeds").is_none() {
            return;
        }
        seed($prefix).unwrap_or_else(|| panic!("no seed {}* in ../shared/seeds", $prefix))
    }};
}

fn report(result: &FileResult) -> &xxgk_lint::lint::ReportSummary {
    result.report.as_ref().expect("seed is readable")
}

#[test]
fn seed_001_is_a_2020_report_in_the_2019_format_read_completely() {
    let (_, result) = seed_or_skip!("001_");
    let report = report(&result);
    assert_eq!(report.year, Some(2020));
    assert_eq!(report.era, Era::Format2019);
    assert_eq!(report.kind, ReportKind::AnnualReport);
    let fired = names(&result);
    for absent in [
        "section-missing",
        "identity-mismatch",
        "period-missing",
        "period-mismatch",
    ] {
        assert!(
            !fired.contains(&absent),
            "{absent} fired:\n{}",
            human(&result)
        );
    }
    // The four rows that lost cells when the page was flattened, and only those: one finding
    // about the reading (the flattening may have dropped blank cells), listing them.
    assert!(!fired.contains(&"table-incomplete"), "{}", human(&result));
    let unplaced: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.name == "table-unreadable")
        .collect();
    assert_eq!(unplaced.len(), 1, "{}", human(&result));
    assert_eq!(
        unplaced[0].origin,
        xxgk_lint::diagnostic::Origin::Extraction
    );
    let short: Vec<_> = unplaced[0]
        .cells
        .iter()
        .filter_map(|cell| cell.row.clone())
        .collect();
    assert_eq!(
        short,
        ["（三）3", "（三）4", "（三）5", "（三）6"],
        "{}",
        human(&result)
    );
    // H3′ cannot be assessed in any column; H1 and H4 were assessed (no not-assessable for them).
    let h3 = result
        .not_assessable
        .iter()
        .find(|item| item.check.starts_with("H3"))
        .expect("H3 is not assessable");
    assert_eq!(h3.instances.len(), 7);
    assert!(
        !result
            .not_assessable
            .iter()
            .any(|item| item.check.starts_with("H1") || item.check.starts_with("H4"))
    );
}

#[test]
fn seed_002_is_a_2017_report_with_its_period_accepted() {
    let (_, result) = seed_or_skip!("002_");
    let report = report(&result);
    assert_eq!(report.year, Some(2017));
    assert_eq!(report.era, Era::Pre2019);
    let fired = names(&result);
    assert!(
        !fired.contains(&"period-missing") && !fired.contains(&"period-mismatch"),
        "{}",
        human(&result)
    );
}

#[test]
fn seeds_000_and_004_are_pre_2019_without_a_period() {
    for (prefix, year) in [("000_", 2017), ("004_", 2012)] {
        let (_, result) = seed_or_skip!(prefix);
        let report = report(&result);
        assert_eq!(report.year, Some(year), "{prefix}");
        assert_eq!(report.era, Era::Pre2019, "{prefix}");
        assert!(
            names(&result).contains(&"period-missing"),
            "{prefix}:\n{}",
            human(&result)
        );
        // Before 2019 a missing period is a warning.
        assert!(result.diagnostics.iter().all(|d| d.name != "period-missing"
            || d.severity == xxgk_lint::diagnostic::Severity::Warning));
    }
}

#[test]
fn seed_003_is_not_an_annual_report() {
    let (_, result) = seed_or_skip!("003_");
    assert_eq!(report(&result).kind, ReportKind::Other);
    assert_eq!(names(&result), ["not-annual-report"], "{}", human(&result));
    assert!(result.not_assessable.is_empty());
}

#[test]
fn seed_findings() {
    let Some(dir) = shared_or_skip("seeds") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("seed_{name}"), concise(&check(&path)));
    }
}
