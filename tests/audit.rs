//! `xxgk-lint audit`: every summary format, determinism across thread counts, cross-year pairs,
//! bad files inside a batch, whole-or-nothing output files.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn xxgk() -> Command {
    let mut command = Command::cargo_bin("xxgk-lint").expect("binary is built");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// stdout, stderr and exit code of `xxgk-lint audit --isolated ARGS`.
fn audit(args: &[&str]) -> (String, String, i32) {
    let output = xxgk()
        .args(["audit", "--isolated"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

/// A folder of fixture reports, with a broken PDF among them.
fn batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (from, to) in [
        ("reports/2021-good.html", "county/2021.html"),
        (
            "rules/carry-over-mismatch/trip-2021-2022/2022.txt",
            "county/2022.txt",
        ),
        (
            "rules/identity-mismatch/trip-2020-row-total.txt",
            "county/2020.txt",
        ),
        (
            "rules/not-annual-report/trip-work-points.txt",
            "other/points.txt",
        ),
        ("reports/2017-good.txt", "old/2017.txt"),
    ] {
        let target = dir.path().join(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(root.join(from), target).unwrap();
    }
    fs::write(dir.path().join("county/broken.pdf"), b"%PDF-1.7\n").unwrap();
    dir
}

#[test]
fn the_summary_does_not_depend_on_the_number_of_threads() {
    let dir = batch();
    let path = dir.path().to_str().unwrap();
    for format in ["json", "csv", "html", "table", "markdown"] {
        let (one, _, code) = audit(&["--format", format, "--jobs", "1", path]);
        assert_eq!(code, 0);
        let (four, _, _) = audit(&["--format", format, "--jobs", "4", path]);
        assert_eq!(one, four, "{format}");
    }
}

#[test]
fn json_summary_has_rows_rules_totals_and_pairs() {
    let dir = batch();
    let (out, stderr, code) = audit(&["--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stderr.is_empty(),
        "no progress bar off a terminal: {stderr}"
    );
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["version"], 1);
    let totals = &value["totals"];
    assert_eq!(totals["reports"], 6);
    assert_eq!(
        totals["unreadable"], 1,
        "the broken PDF is one row, not the end of the run"
    );
    let reports = value["reports"].as_array().unwrap();
    let broken = reports
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("broken.pdf"))
        .unwrap();
    assert_eq!(broken["codes"]["E010"], 1);
    let newest = reports
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("2022.txt"))
        .unwrap();
    assert!(
        newest["compared_with"]
            .as_str()
            .unwrap()
            .ends_with("2021.html")
    );
    assert_eq!(newest["codes"]["T005"], 2);
    let rules = value["rules"].as_array().unwrap();
    // 2022 ← 2021 differ by design; the invented 2020 and 2021 reports differ as well.
    let t005 = rules.iter().find(|r| r["code"] == "T005").unwrap();
    assert_eq!(t005["reports"], 2);
    assert!(
        rules.iter().any(|r| r["code"] == "E010"),
        "engine codes that occur get a row"
    );
    let pairs = value["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2, "2021 ← 2020 and 2022 ← 2021: {pairs:?}");
    let alone: Vec<&str> = value["alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert!(alone.iter().any(|p| p.ends_with("2017.txt")), "{alone:?}");
}

#[test]
fn csv_has_a_header_a_row_per_report_and_a_total() {
    let dir = batch();
    let (out, _, _) = audit(&["--format", "csv", dir.path().to_str().unwrap()]);
    let out = out
        .strip_prefix('\u{FEFF}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "文件");
    assert!(header.iter().any(|h| h == "T001 identity-mismatch"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows[6][0].starts_with("合计"));
    assert!(
        rows[7..].iter().all(|row| row[0].starts_with("地区合计")),
        "six reports, the total, then a total per region (the folders)"
    );
    let t001 = header
        .iter()
        .position(|h| h == "T001 identity-mismatch")
        .unwrap();
    let sum: usize = rows[..6]
        .iter()
        .map(|r| r[t001].parse::<usize>().unwrap())
        .sum();
    assert_eq!(rows[6][t001].parse::<usize>().unwrap(), sum);
}

#[test]
fn html_summary_is_one_self_contained_page() {
    let dir = batch();
    let target = dir.path().join("summary.html");
    let (_, _, code) = audit(&[
        "--format",
        "html",
        "--output",
        target.to_str().unwrap(),
        dir.path().join("county").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let page = fs::read_to_string(&target).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<script>") && page.contains("sortable"));
    for external in ["src=\"http", "href=\"http", "<link"] {
        assert!(!page.contains(external), "{external}");
    }
    // Each report row links to its findings.
    for index in 0..4 {
        assert!(page.contains(&format!("href=\"#r{index}\"")), "{index}");
        assert!(page.contains(&format!("id=\"r{index}\"")), "{index}");
    }
    assert!(page.contains("carry-over-mismatch"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        4,
        "no temporary file left"
    );
}

#[test]
fn table_and_markdown_summaries() {
    let (table, _, _) = audit(&["fixtures/rules/carry-over-mismatch"]);
    insta::assert_snapshot!("table", table);
    let (markdown, _, _) = audit(&["--format", "markdown", "fixtures/rules/carry-over-mismatch"]);
    insta::assert_snapshot!("markdown", markdown);
}

#[test]
fn a_failed_audit_leaves_no_file() {
    let dir = batch();
    let target = dir.path().join("missing/dir/summary.csv");
    let (_, stderr, code) = audit(&[
        "--format",
        "csv",
        "--output",
        target.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("无法"), "{stderr}");
    assert!(!target.exists());
    let (_, stderr, code) = audit(&["--jobs", "0", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    let empty = tempfile::tempdir().unwrap();
    let (_, stderr, code) = audit(&[empty.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("没有可检查的报告"), "{stderr}");
}
