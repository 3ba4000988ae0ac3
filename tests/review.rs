//! Review use: every output format, configuration discovery and precedence, waivers.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;

const TRIP: &str = "fixtures/rules/identity-mismatch/trip-2021-results-sum.html";
const CLEAN: &str = "fixtures/reports/2021-good.html";
const RUN_TOGETHER: &str = "fixtures/rules/table-unreadable/trip-2022-run-together.txt";

fn xxgk() -> Command {
    let mut command = Command::cargo_bin("xxgk-lint").expect("binary is built");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

/// Runs in `dir`, returning stdout, stderr and the exit code.
fn run_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = xxgk().current_dir(dir).args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

fn run(args: &[&str]) -> (String, String, i32) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn check_format(format: &str) -> (String, i32) {
    let (stdout, stderr, code) = run(&["check", "--format", format, TRIP, CLEAN, RUN_TOGETHER]);
    assert!(stderr.is_empty(), "{stderr}");
    (stdout, code)
}

#[test]
fn concise_is_one_line_per_finding() {
    let (out, code) = check_format("concise");
    assert_eq!(code, 1);
    let pattern = regex::Regex::new(r"^[^:]+:\d+:\d+: [A-Z]\d{3} [a-z-]+ \S").unwrap();
    for line in out.lines() {
        assert!(pattern.is_match(line), "{line}");
    }
    assert_eq!(
        out.lines()
            .filter(|l| l.contains(" T001 identity-mismatch 表三"))
            .count(),
        2
    );
    assert!(out.contains("T001 identity-mismatch 无法校验「H2"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn json_lines_stream_files_findings_and_a_summary() {
    let (out, _) = check_format("jsonl");
    let lines: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types.iter().filter(|t| **t == "file").count(), 3);
    assert_eq!(types.last(), Some(&"summary"));
    assert!(types.contains(&"not_assessable"));
    let diagnostic = lines.iter().find(|l| l["type"] == "diagnostic").unwrap();
    for key in ["path", "code", "severity", "line", "column", "fingerprint"] {
        assert!(!diagnostic[key].is_null(), "{key} in {diagnostic}");
    }
    assert_eq!(lines.last().unwrap()["errors"], 2);
}

#[test]
fn sarif_has_every_required_field() {
    let (out, _) = check_format("sarif");
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "xxgk-lint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for wanted in ["T001", "S001", "E001", "E999"] {
        assert!(ids.contains(&wanted), "{wanted}");
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(ids[index], id);
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let level = result["level"].as_str().unwrap();
        assert!(
            ["none", "note", "warning", "error"].contains(&level),
            "{level}"
        );
        let kind = result["kind"].as_str().unwrap();
        assert!(["fail", "open"].contains(&kind), "{kind}");
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string(), "{result}");
        let region = &location["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        if kind == "fail" {
            assert!(result["partialFingerprints"]["xxgkLint/v1"].is_string());
        }
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    // Non-ASCII paths are percent-encoded URIs.
    let dir = tempfile::tempdir().unwrap();
    let chinese = dir.path().join("青禾县.html");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(TRIP), &chinese).unwrap();
    let (out, _, _) = run_in(dir.path(), &["check", "--format", "sarif", "青禾县.html"]);
    let log: Value = serde_json::from_str(&out).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "%E9%9D%92%E7%A6%BE%E5%8E%BF.html");
}

#[test]
fn github_annotations_escape_their_data() {
    let (out, _) = check_format("github");
    for line in out.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
        assert!(line.contains("file="), "{line}");
    }
    let first = out.lines().next().unwrap();
    assert!(first.contains(",line=60,col=9,"), "{first}");
    assert!(first.contains("%0A计算值"), "newlines escaped: {first}");
    insta::assert_snapshot!(out);
}

#[test]
fn junit_is_parsable_and_counts_add_up() {
    let (out, _) = check_format("junit");
    let mut reader = quick_xml::Reader::from_str(&out);
    let (mut suites, mut cases, mut failures, mut skipped) = (0, 0, 0, 0);
    let mut declared_tests = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(tag) | Event::Empty(tag) => match tag.name().as_ref() {
                "testsuites" => {
                    let tests = tag.try_get_attribute("tests").unwrap().unwrap();
                    declared_tests = Some(tests.value.into_owned());
                }
                "testsuite" => suites += 1,
                "testcase" => cases += 1,
                "failure" => failures += 1,
                "skipped" => skipped += 1,
                _ => {}
            },
            _ => {}
        }
    }
    assert_eq!(suites, 3);
    assert_eq!(declared_tests, Some(cases.to_string()));
    assert!(failures >= 2 && skipped >= 2, "{failures} {skipped}");
    assert!(
        out.contains(r#"name="xxgk-lint""#),
        "a clean report is one passing case"
    );
}

#[test]
fn output_files_are_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.sarif");
    let (_, _, code) = run(&[
        "check",
        "--format",
        "sarif",
        "--output",
        target.to_str().unwrap(),
        TRIP,
    ]);
    assert_eq!(code, 1);
    let written: Value = serde_json::from_str(&fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // A folder that does not exist: a failed run, and no file.
    let missing = dir.path().join("no/such/dir/out.json");
    let (_, stderr, code) = run(&["check", "--output", missing.to_str().unwrap(), TRIP]);
    assert_eq!(code, 2);
    assert!(stderr.contains("无法"), "{stderr}");
    assert!(!missing.exists());
}

/// A folder with a configuration file, a sub-folder with its own, and a report in each.
fn configured_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(dir.path().join("county/2019")).unwrap();
    fs::copy(root.join(TRIP), dir.path().join("top.html")).unwrap();
    fs::copy(root.join(TRIP), dir.path().join("county/a.html")).unwrap();
    fs::copy(
        root.join(RUN_TOGETHER),
        dir.path().join("county/2019/b.txt"),
    )
    .unwrap();
    fs::write(
        dir.path().join("xxgk-lint.toml"),
        "ignore = [\"identity-mismatch\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("county/.xxgk-lint.toml"),
        "ignore = [\"T003\", \"T005\", \"T006\", \"S009\"]\n[severity]\nT001 = \"warning\"\n[per-file-ignores]\n\"2019/*.txt\" = [\"T001\"]\n",
    )
    .unwrap();
    dir
}

fn codes_of(out: &str) -> Vec<String> {
    out.lines()
        .map(|line| {
            let (place, rest) = line.split_once(": ").unwrap();
            let file = Path::new(place.split(':').next().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            format!("{file} {}", rest.split(' ').next().unwrap())
        })
        .collect()
}

#[test]
fn the_nearest_configuration_file_applies() {
    let dir = configured_tree();
    let (out, _, code) = run_in(dir.path(), &["check", "--format", "concise", "."]);
    // top.html: T001 ignored at the top. county/a.html: the nearer file re-grades T001 to a
    // warning (it does not ignore it). county/2019/b.txt: T003 ignored, T001 ignored there.
    assert_eq!(codes_of(&out), ["a.html T001", "a.html T001"], "{out}");
    assert_eq!(code, 0, "warnings only");
    let (out, _, _) = run_in(dir.path(), &["show-config", "county/a.html"]);
    assert!(out.contains(".xxgk-lint.toml"), "{out}");
    assert!(out.contains("# T001 identity-mismatch warning"), "{out}");
    let (out, _, _) = run_in(dir.path(), &["show-config", "county/2019/b.txt"]);
    assert!(out.contains("# T001 identity-mismatch off"), "{out}");
}

#[test]
fn flags_take_precedence_over_files() {
    let dir = configured_tree();
    // --config replaces discovery for every file.
    let (out, _, code) = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--config",
            "xxgk-lint.toml",
            "county/a.html",
        ],
    );
    assert!(out.is_empty(), "{out}");
    assert_eq!(code, 0);
    // --isolated reads no file: the error is back.
    let (out, _, code) = run_in(
        dir.path(),
        &["check", "--format", "concise", "--isolated", "top.html"],
    );
    assert_eq!(codes_of(&out), ["top.html T001", "top.html T001"]);
    assert_eq!(code, 1);
    // --select replaces the file's selection; --ignore adds to its ignore list.
    let (out, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "T",
            "--ignore",
            "T002",
            "county/2019/b.txt",
        ],
    );
    assert!(out.is_empty(), "T003 stays ignored by the file: {out}");
    let (out, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--isolated",
            "--select",
            "table-unreadable",
            "county/2019/b.txt",
        ],
    );
    assert!(
        !out.is_empty() && out.lines().all(|l| l.contains(" T003 ")),
        "{out}"
    );
    // --min-severity hides, --exit-zero forgives.
    let (out, _, code) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--min-severity",
            "error",
            "--exit-zero",
            "county/2019/b.txt",
            "top.html",
        ],
    );
    assert_eq!(code, 0);
    assert!(!out.contains("T003"), "{out}");
    assert!(out.contains("error[T001]"), "{out}");
    assert!(out.contains("低于 min-severity，未显示"), "{out}");
}

#[test]
fn a_wrong_configuration_is_a_failed_run_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(TRIP),
        dir.path().join("a.html"),
    )
    .unwrap();
    fs::write(
        dir.path().join("xxgk-lint.toml"),
        "select = [\"T001\"]\nignor = []\n",
    )
    .unwrap();
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("xxgk-lint.toml:2:1"), "{stderr}");
    assert!(stderr.contains("ignor"), "{stderr}");
    fs::write(
        dir.path().join("xxgk-lint.toml"),
        "ignore = [\"identity-mismach\"]\n",
    )
    .unwrap();
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("是否想写「identity-mismatch」"), "{stderr}");
    let (_, stderr, code) = run_in(
        dir.path(),
        &["check", "--isolated", "--select", "Z", "a.html"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--select"), "{stderr}");
}

#[test]
fn waivers_used_unused_expired_and_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(root.join(TRIP), dir.path().join("a.html")).unwrap();
    // A baseline first: every finding gets a waiver, still without reason and approver.
    let (out, stderr, code) = run_in(dir.path(), &["check", "--add-waivers", "a.html"]);
    assert_eq!(code, 0, "{out}{stderr}");
    assert!(stderr.contains("已为 2 条问题写入豁免"), "{stderr}");
    let baseline = fs::read_to_string(dir.path().join("xxgk-lint.waivers.toml")).unwrap();
    assert_eq!(baseline.matches("[[waiver]]").count(), 2);
    let (out, _, code) = run_in(dir.path(), &["check", "--format", "concise", "a.html"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        codes_of(&out),
        ["xxgk-lint.waivers.toml E014", "xxgk-lint.waivers.toml E014"]
    );

    // Complete, expired, unused.
    let fingerprints: Vec<&str> = baseline
        .lines()
        .filter_map(|l| l.strip_prefix("fingerprint = "))
        .collect();
    fs::write(
        dir.path().join("xxgk-lint.waivers.toml"),
        format!(
            "[[waiver]]\npath = \"a.html\"\nfingerprint = {}\nreason = \"按原件发布\"\napproved-by = \"张三\"\nexpires = 2999-12-31\n\n\
             [[waiver]]\nfingerprint = {}\nreason = \"按原件发布\"\napproved-by = \"张三\"\nexpires = 2000-01-01\n\n\
             [[waiver]]\nmatches = \"没有这样的问题\"\nreason = \"x\"\napproved-by = \"y\"\nexpires = 2999-12-31\n\n\
             [[waiver]]\npath = \"elsewhere/*.html\"\nmatches = \"没有这样的问题\"\nreason = \"x\"\napproved-by = \"y\"\nexpires = 2999-12-31\n",
            fingerprints[0], fingerprints[1]
        ),
    )
    .unwrap();
    let (out, _, code) = run_in(dir.path(), &["check", "--format", "json", "a.html"]);
    assert_eq!(code, 1, "the expired waiver no longer applies");
    let value: Value = serde_json::from_str(&out).unwrap();
    let report = &value["files"][0];
    assert_eq!(report["waived"], 1);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1);
    let waivers = &value["files"][1];
    assert_eq!(waivers["role"], "waivers");
    let found: Vec<(&str, u64)> = waivers["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    // The expired one (line 8) and the unused one (line 14); the one for files not checked is
    // not "unused".
    assert_eq!(found, [("E012", 8), ("E013", 14)]);
    assert_eq!(value["summary"]["waived"], 1);
    assert_eq!(value["summary"]["files"], 1);
}

#[test]
fn a_waiver_expires_at_the_end_of_its_day_in_the_local_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(TRIP),
        dir.path().join("a.html"),
    )
    .unwrap();
    // Today's date twelve hours behind UTC: still today there, and always already past fourteen
    // hours ahead of UTC (26 hours apart). POSIX TZ strings need no time zone database.
    let behind = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(-12)))
        .date();
    fs::write(
        dir.path().join("xxgk-lint.waivers.toml"),
        format!(
            "[[waiver]]\nmatches = \"（七）总计\"\ncode = \"T001\"\nreason = \"r\"\napproved-by = \"a\"\nexpires = {behind}\n"
        ),
    )
    .unwrap();
    let check = |tz: &str| {
        let output = xxgk()
            .current_dir(dir.path())
            .env("TZ", tz)
            .args(["check", "--format", "concise", "a.html"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let west = check("WEST12");
    assert!(!west.contains("T001") && !west.contains("E012"), "{west}");
    let east = check("EAST-14");
    assert!(east.contains("T001") && east.contains("E012"), "{east}");
}

#[test]
fn a_waiver_file_that_cannot_be_used_is_a_failed_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(TRIP),
        dir.path().join("a.html"),
    )
    .unwrap();
    fs::write(
        dir.path().join("xxgk-lint.waivers.toml"),
        "[[waiver]]\nreason = \"no fingerprint and no fragment\"\n",
    )
    .unwrap();
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("fingerprint"), "{stderr}");
}

#[test]
fn explain_prints_a_rules_docs_by_code_or_name() {
    let (by_code, _, code) = run(&["explain", "T001"]);
    assert_eq!(code, 0);
    let (by_name, _, _) = run(&["explain", "identity-mismatch"]);
    assert_eq!(by_code, by_name);
    for part in [
        "T001 identity-mismatch",
        "检查什么",
        "为什么",
        "示例",
        "依据：",
    ] {
        assert!(by_code.contains(part), "{part}: {by_code}");
    }
    let (_, stderr, code) = run(&["explain", "identity-mismach"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("是否想写「identity-mismatch」"), "{stderr}");
    let (engine, _, code) = run(&["explain", "E013"]);
    assert_eq!(code, 0);
    assert!(engine.contains("waiver-unused"), "{engine}");
}

const PAIR: &str = "fixtures/rules/carry-over-mismatch/trip-2021-2022";

fn t005_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|line| line.contains(" T005 ")).collect()
}

#[test]
fn consecutive_years_are_compared_whatever_the_order_given() {
    let newer = format!("{PAIR}/2022.txt");
    let older = format!("{PAIR}/2021.html");
    for order in [[&older, &newer], [&newer, &older]] {
        let (out, _, code) = run(&["check", "--format", "concise", order[0], order[1]]);
        assert_eq!(code, 0, "warnings only: {out}");
        let found = t005_lines(&out);
        assert_eq!(found.len(), 2, "{out}");
        assert!(found.iter().all(|line| line.starts_with(&newer)), "{out}");
    }
    // The label in the previous year's report, in JSON.
    let (out, _, _) = run(&["check", "--format", "json", PAIR]);
    let value: Value = serde_json::from_str(&out).unwrap();
    let newer_file = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("2022.txt"))
        .unwrap();
    let carry_over = newer_file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "T005")
        .unwrap();
    let labels = carry_over["labels"].as_array().unwrap();
    let elsewhere = labels
        .iter()
        .find(|label| !label["path"].is_null())
        .unwrap();
    assert!(elsewhere["path"].as_str().unwrap().ends_with("2021.html"));
    assert_eq!(elsewhere["line"], 61);
}

#[test]
fn previous_names_the_year_before_explicitly() {
    let newer = format!("{PAIR}/2022.txt");
    let older = format!("{PAIR}/2021.html");
    let (out, stderr, _) = run(&["check", "--format", "concise", &newer, "--previous", &older]);
    assert_eq!(t005_lines(&out).len(), 2, "{out}{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // The wrong way round: said, not compared.
    let (out, stderr, code) = run(&["check", "--format", "concise", &older, "--previous", &newer]);
    assert_eq!(code, 0);
    assert!(t005_lines(&out).is_empty(), "{out}");
    assert!(stderr.contains("应为 2020 年度"), "{stderr}");
    // A previous report that cannot be read is a failed run.
    let (_, stderr, code) = run(&["check", &newer, "--previous", "no/such/file.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("上一年度报告"), "{stderr}");
}

#[test]
fn the_severity_of_recovered_rows_is_rule_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join("rules/tables/T003-table-unreadable.toml")).unwrap();
    assert!(text.contains("recovered = \"info\""));
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("T003-table-unreadable.toml"),
        text.replace("recovered = \"info\"", "recovered = \"warning\""),
    )
    .unwrap();
    let (out, _, _) = run(&[
        "check",
        "--isolated",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        RUN_TOGETHER,
    ]);
    let value: Value = serde_json::from_str(&out).unwrap();
    let severities: Vec<&str> = value["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "T003")
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(!severities.is_empty());
    assert!(severities.iter().all(|s| *s == "warning"), "{severities:?}");
    // An unknown key in [severity-for] is a rule-file error with its place.
    fs::write(
        dir.path().join("T003-table-unreadable.toml"),
        text.replace("recovered = \"info\"", "recoverd = \"info\""),
    )
    .unwrap();
    let (_, stderr, code) = run(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        RUN_TOGETHER,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("recoverd"), "{stderr}");
}
