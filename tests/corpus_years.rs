//! The corpus's series of one issuer across years (`../shared/corpus/text`: 平潭综合实验区
//! 2011–2025, 平潭县 2011–2013) checked as one run, so consecutive years are paired as `check` and
//! `audit` pair them: the findings of the rules comparing years are snapshotted (read by hand),
//! and the measurement `copied-from-previous-year`'s threshold rests on is kept true — the share
//! of each compared section found in the year before's, for every pair.
//!
//! Skips when `../shared/corpus` is absent; fails then when `CI` is set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;

use common::{registry, shared_or_skip};
use xxgk_lint::config::{ConfigSource, Overrides};
use xxgk_lint::model::Report;
use xxgk_lint::model::facts::YearFacts;
use xxgk_lint::model::prints::repeated_share;
use xxgk_lint::session::Session;

/// The pairs whose narrative sections were copied from the year before (read by hand: the same
/// sentences, the year and a few names changed), as (issuer file prefix, year).
const COPIED: &[(&str, i32)] = &[
    ("pingtan-county", 2012),
    ("pingtan-county", 2013),
    ("pingtan-zone", 2012),
    ("pingtan-zone", 2013),
];

/// The series: every `text/` report of an issuer with more than one year, by issuer then year.
fn series() -> Option<Vec<(String, i32, PathBuf)>> {
    let dir = shared_or_skip("corpus")?.join("text");
    let mut files: Vec<(String, i32, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            let (issuer, year) = stem.rsplit_once('-')?;
            Some((issuer.to_owned(), year.parse().ok()?, path))
        })
        .collect();
    files.sort();
    let count = |issuer: &str| files.iter().filter(|(i, _, _)| i == issuer).count();
    let kept = files
        .iter()
        .filter(|(issuer, _, _)| count(issuer) > 1)
        .cloned()
        .collect();
    Some(kept)
}

/// Copied sections repeat 75% or more of last year's text, rewritten ones 30% at most: the rule's
/// 60% lies between, with room for the estimate's sampling error.
#[test]
fn copied_sections_and_rewritten_ones_lie_apart() {
    let Some(series) = series() else {
        return;
    };
    let registry = registry();
    let prints = registry
        .model()
        .prints
        .as_ref()
        .expect("S009 asks for prints");
    let facts: Vec<(String, i32, YearFacts)> = series
        .iter()
        .map(|(issuer, year, path)| {
            let doc = xxgk_lint::source::read_file(path).unwrap();
            let report = Report::build(&doc, registry.model());
            let facts = YearFacts::extract(&doc, &report, "", &[], &[], Some(prints));
            (issuer.clone(), *year, facts)
        })
        .collect();
    let mut table = String::new();
    let mut compared = 0;
    for pair in facts.windows(2) {
        let [(issuer, last_year, last), (same, year, this)] = pair else {
            continue;
        };
        if issuer != same || *year != last_year + 1 {
            continue;
        }
        let copied = COPIED.contains(&(issuer.as_str(), *year));
        for section in &this.sections {
            let Some(before) = last.sections.iter().find(|s| s.section == section.section) else {
                continue;
            };
            let share = repeated_share(section, before).unwrap();
            compared += 1;
            // Whole percent, rounded down as the rule's message shows it.
            let _ = writeln!(
                table,
                "{issuer} {year} section {} {}%",
                section.section,
                (share * 100.0).floor()
            );
            if copied {
                assert!(share >= 0.75, "{issuer} {year}: copied, but {share}");
            } else {
                assert!(share <= 0.30, "{issuer} {year}: rewritten, but {share}");
            }
        }
    }
    assert!(
        compared >= 20,
        "only {compared} sections compared:\n{table}"
    );
    insta::assert_snapshot!(table);
}

/// The series checked as one run: what the rules comparing years find (and only the rules
/// comparing years: each report's own findings are in the corpus snapshots).
#[test]
fn findings_across_years() {
    let Some(series) = series() else {
        return;
    };
    let mut session = Session::new(
        ConfigSource::Isolated,
        Overrides::default(),
        common::root(),
        xxgk_lint::waivers::today(),
    );
    let inputs = xxgk_lint::input::collect(
        &series
            .iter()
            .map(|(_, _, path)| path.clone())
            .collect::<Vec<_>>(),
    );
    let jobs = session.plan(inputs.files, false).unwrap();
    let (results, _) = session.check_all(&jobs, false, true, &|| {});
    let cross_year = ["T005", "T006", "T008", "S009"];
    let mut shown = String::new();
    for result in &results {
        let name = PathBuf::from(&result.path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let lines: String = common::concise(result)
            .lines()
            .filter(|line| {
                cross_year
                    .iter()
                    .any(|code| line.contains(&format!("[{code} ")))
            })
            .map(|line| format!("{name} {line}\n"))
            .collect();
        shown.push_str(&lines);
    }
    for (issuer, year) in COPIED {
        assert!(
            shown
                .lines()
                .any(|line| line.starts_with(&format!("{issuer}-{year}")) && line.contains("S009")),
            "{issuer} {year} not found copied:\n{shown}"
        );
    }
    let copies = shown.lines().filter(|line| line.contains("S009")).count();
    assert_eq!(copies, 2 * COPIED.len(), "{shown}");
    insta::assert_snapshot!(shown);
}
