//! The command line: exit codes, output formats, directories, encodings, bad input.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use encoding_rs::GB18030;
use predicates::prelude::*;
use serde_json::Value;

fn xxgk() -> Command {
    let mut command = Command::cargo_bin("xxgk-lint").expect("binary is built");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

fn json(args: &[&str]) -> (Value, i32) {
    let output = xxgk()
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (value, output.status.code().unwrap_or(-1))
}

fn codes(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_clean_report_exits_zero() {
    xxgk()
        .args(["check", "fixtures/reports/2021-good.html"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("检查了 1 个文件，未发现问题"));
}

#[test]
fn an_error_finding_exits_one_and_warnings_alone_exit_zero() {
    xxgk()
        .args([
            "check",
            "fixtures/rules/identity-mismatch/trip-2021-table4.html",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[T001]"));
    xxgk()
        .args([
            "check",
            "fixtures/rules/period-missing/trip-2017-warning.txt",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[P001]"));
}

#[test]
fn json_output_follows_version_1() {
    let (value, code) = json(&["fixtures/rules/identity-mismatch/trip-2021-results-sum.html"]);
    assert_eq!(code, 1);
    assert_eq!(value["version"], 1);
    let file = &value["files"][0];
    assert_eq!(
        file["path"],
        "fixtures/rules/identity-mismatch/trip-2021-results-sum.html"
    );
    assert_eq!(file["report"]["year"], 2021);
    assert_eq!(file["report"]["era"], "format-2021");
    assert_eq!(file["report"]["kind"], "annual-report");
    assert_eq!(
        file["report"]["title"],
        "青禾县人民政府2021年政府信息公开工作年度报告"
    );
    let diagnostic = &file["diagnostics"][0];
    assert_eq!(diagnostic["code"], "T001");
    assert_eq!(diagnostic["name"], "identity-mismatch");
    assert_eq!(diagnostic["severity"], "error");
    for key in ["line", "column", "end_line", "end_column"] {
        assert!(
            diagnostic[key].as_u64().is_some_and(|n| n >= 1),
            "{key}: {diagnostic}"
        );
    }
    assert_eq!(diagnostic["cell"]["table"], "表三");
    assert_eq!(diagnostic["found"], 53);
    assert_eq!(diagnostic["expected"], 54);
    assert_eq!(value["summary"]["files"], 1);
    assert_eq!(value["summary"]["errors"], 2);
    assert_eq!(value["summary"]["warnings"], 0);
    assert_eq!(value["summary"]["infos"], 0);
}

#[test]
fn json_positions_are_those_of_the_canonical_text() {
    // The wrong figure is on line 60 of the rendered page, after "（七）总计 | ".
    let (value, _) = json(&["fixtures/rules/identity-mismatch/trip-2021-results-sum.html"]);
    let diagnostic = &value["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["line"], 60);
    assert_eq!(diagnostic["column"], 9);
    assert_eq!(diagnostic["end_line"], 60);
    assert_eq!(diagnostic["end_column"], 11);
}

#[test]
fn not_assessable_checks_are_listed_in_json() {
    let (value, code) = json(&["fixtures/rules/table-unreadable/trip-2020-short-row.txt"]);
    assert_eq!(code, 0);
    let items = value["files"][0]["not_assessable"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], "identity-mismatch");
    assert_eq!(value["summary"]["not_assessable"], 2);
    assert!(!codes(&value["files"][0]).contains(&"T001".to_owned()));
}

#[test]
fn directories_are_checked_in_sorted_order() {
    let (value, code) = json(&["fixtures/reports"]);
    assert_eq!(code, 0);
    let paths: Vec<&str> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    let on_disk = fs::read_dir("fixtures/reports").unwrap().count();
    assert_eq!(paths.len(), on_disk);
    assert!(
        paths
            .iter()
            .all(|path| path.starts_with("fixtures/reports/"))
    );
}

#[test]
fn a_missing_path_is_an_error_on_that_path_and_the_others_are_still_checked() {
    let (value, code) = json(&["no/such/report.txt", "fixtures/reports/2017-good.txt"]);
    assert_eq!(code, 1);
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(codes(&files[0]), ["E001"]);
    assert!(files[0]["report"].is_null());
    assert!(codes(&files[1]).is_empty());
}

#[test]
fn bad_files_get_one_clear_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    };
    let empty = write("empty.txt", b"");
    let blank = write("blank.txt", " \n\u{3000}\n".as_bytes());
    let binary = write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let nul = write("nul.html", b"<html>\0\0\0</html>");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| [0x80u8, 0xFF, 0xFE, 0x81][(i % 4) as usize])
        .collect();
    let undecodable = write("garbage.txt", &garbage);
    let pdf = write("report.pdf", b"%PDF-1.7\n");
    let scanned = write("scanned.pdf", &minimal_pdf("0 0 1 rg 10 10 100 100 re f"));
    let docx = write("draft.docx", b"PK\x03\x04 this is not really a zip archive");
    let doc = write("draft.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0");
    let bomb = dir.path().join("bomb.docx");
    write_bomb(&bomb);
    let huge = dir.path().join("huge.txt");
    fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let cases: [(&Path, &str); 11] = [
        (&empty, "E004"),
        (&blank, "E004"),
        (&binary, "E005"),
        (&nul, "E005"),
        (&undecodable, "E002"),
        (&pdf, "E010"),
        (&scanned, "E011"),
        (&docx, "E009"),
        (&doc, "E003"),
        (&bomb, "E009"),
        (&huge, "E006"),
    ];
    for (path, expected) in cases {
        let output = xxgk()
            .args(["check", "--color", "never"])
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        let stdout = String::from_utf8(output.stdout).unwrap();
        let first = stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("error[{expected}]: ")),
            "{}: {stdout}",
            path.display()
        );
        assert!(first.contains(&path.display().to_string()), "{first}");
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn deeply_nested_html_gets_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.html");
    let depth = 10_000;
    let page = format!(
        "<html><head><title>青禾县人民政府2021年政府信息公开工作年度报告</title></head><body>{}<p>一、总体情况</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    fs::write(&path, page).unwrap();
    let output = xxgk()
        .args(["check", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("error[E008]: "), "{stdout}");
    assert!(stdout.lines().next().unwrap().contains("嵌套"), "{stdout}");
}

#[test]
fn moderately_nested_html_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested.html");
    let page = format!(
        "<html><head><title>青禾县人民政府2021年政府信息公开工作年度报告</title></head><body>{}<p>一、总体情况</p>{}</body></html>",
        "<div><span>".repeat(500),
        "</span></div>".repeat(500)
    );
    fs::write(&path, page).unwrap();
    let (value, _) = json(&[path.to_str().unwrap()]);
    assert_eq!(value["files"][0]["report"]["year"], 2021);
}

#[test]
fn an_empty_directory_is_a_failed_run() {
    let dir = tempfile::tempdir().unwrap();
    xxgk()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("没有可检查的报告"));
}

#[test]
fn bad_arguments_exit_two() {
    xxgk().arg("check").assert().code(2);
    xxgk()
        .args(["check", "--format", "xml", "fixtures/reports/2017-good.txt"])
        .assert()
        .code(2);
    xxgk().arg("frobnicate").assert().code(2);
    xxgk().arg("--help").assert().code(0);
    xxgk().arg("--version").assert().code(0);
}

#[test]
fn gbk_text_and_gbk_pages_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("fixtures/reports/2021-good.txt").unwrap();
    let (bytes, _, _) = GB18030.encode(&text);
    let gbk_text = dir.path().join("gbk.txt");
    fs::write(&gbk_text, &bytes).unwrap();
    let page = fs::read_to_string("fixtures/reports/2021-good.html")
        .unwrap()
        .replace(
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
    let (bytes, _, _) = GB18030.encode(&page);
    let gbk_page = dir.path().join("gbk.html");
    fs::write(&gbk_page, &bytes).unwrap();
    let bom = dir.path().join("bom.txt");
    fs::write(&bom, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
    for (path, encoding) in [(&gbk_text, "gb18030"), (&gbk_page, "GBK"), (&bom, "UTF-8")] {
        let (value, code) = json(&[path.to_str().unwrap()]);
        let file = &value["files"][0];
        assert_eq!(code, 0, "{file}");
        assert_eq!(file["report"]["encoding"], encoding);
        assert_eq!(file["report"]["year"], 2021);
        assert!(codes(file).is_empty(), "{file}");
    }
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let trip = "fixtures/rules/identity-mismatch/trip-2021-table4.html";
    let coloured = xxgk()
        .args(["check", "--color", "always", trip])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\u{1b}["));
    let plain = xxgk().args(["check", trip]).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\u{1b}["));
}

#[test]
fn verbose_output_says_how_each_file_was_read() {
    xxgk()
        .args(["check", "--verbose", "fixtures/reports/2020-good.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "2020年度 · format-2019 · 年度报告",
        ));
}

#[test]
fn verbose_output_says_whether_text_was_hard_wrapped() {
    xxgk()
        .args([
            "check",
            "--verbose",
            "fixtures/reports/2024-good-layout.txt",
            "fixtures/reports/2021-good.txt",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "文本 UTF-8（按页面宽度（约 68 半角字符）折行的文本，8 行已接回所在段落，略去页码 2 处）",
        ))
        .stdout(predicate::str::contains("文本 UTF-8（每行一段的文本）"));
}

#[test]
fn rules_lists_every_rule() {
    let output = xxgk().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    for name in [
        "section-missing",
        "not-annual-report",
        "identity-mismatch",
        "table-incomplete",
        "period-missing",
        "period-mismatch",
        "unreadable-file",
    ] {
        assert!(stdout.contains(name), "{name} missing from:\n{stdout}");
    }
}

fn rule_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_malformed_rules_file_is_reported_with_its_line() {
    let dir = rule_dir(&[(
        "bad.toml",
        "code = \"X001\"\nname = \"bad\"\nseverity = \"fatal\"\n",
    )]);
    xxgk()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("fixtures/reports/2017-good.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:3:12"))
        .stderr(predicate::str::contains("fatal"));
}

#[test]
fn a_rules_directory_that_does_not_exist_is_a_failed_run() {
    xxgk()
        .args([
            "check",
            "--rules",
            "no/such/dir",
            "fixtures/reports/2017-good.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
}

#[test]
fn user_rules_override_built_in_ones_by_code() {
    let p001 = fs::read_to_string("rules/period/P001-period-missing.toml")
        .unwrap()
        .replace("severity = \"error\"", "severity = \"warning\"");
    let dir = rule_dir(&[("P001-period-missing.toml", &p001)]);
    xxgk()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("fixtures/rules/period-missing/trip-2021.txt")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[P001]"));
}

#[test]
fn a_new_required_section_is_a_rule_file_not_code() {
    let rule = r#"
code = "L001"
name = "attachment-missing"
severity = "error"
summary = "缺少附件说明"
clause = "某省年度报告编制要求"
[docs]
what = "要求第七部分为附件说明。"
why = "本省要求附上统计口径说明。"
example = "补写「七、附件」。"
[messages]
missing = "缺少「{section}」"
no-list = "格式 {era} 没有清单"
[check]
kind = "required-sections"
[[check.set]]
eras = ["format-2021"]
headings = "top-level"
[[check.set.section]]
title = "七、附件"
keywords = [["附件"]]
"#;
    let dir = rule_dir(&[("L001-attachment-missing.toml", rule)]);
    xxgk()
        .args(["check", "--color", "never", "--rules"])
        .arg(dir.path())
        .arg("fixtures/reports/2021-good.html")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[L001]: 缺少「七、附件」"));
}

#[test]
fn huge_figures_are_summed_exactly() {
    // Four applicant cells of 2^62 in row 一: their sum overflows i64; the finding must be exact.
    let big = 1i128 << 62;
    let cells = format!("<td><p>{big}</p></td>").repeat(4);
    let page = fs::read_to_string("fixtures/reports/2021-good.html")
        .unwrap()
        .replacen(
            "<td><p>52</p></td><td><p>6</p></td><td><p>0</p></td><td><p>1</p></td>",
            &cells,
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.html");
    fs::write(&path, page).unwrap();
    let output = xxgk()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // serde_json's Value would round integers beyond u64; read the text itself.
    let text = String::from_utf8(output.stdout).unwrap();
    // 总计 is still 62; the applicant columns now add up to 4 × 2^62 + 2 + 1.
    let exact = format!("\"expected\": {},\n", 4 * big + 3);
    assert!(text.contains(&exact), "{exact} not in {text}");
    assert!(text.contains("\"found\": 62"));
}

#[test]
fn origin_says_whether_the_report_or_the_reading_is_at_fault() {
    let (value, _) = json(&["fixtures/rules/identity-mismatch/trip-2021-table4.html"]);
    assert_eq!(value["files"][0]["diagnostics"][0]["origin"], "report");
    let (value, code) = json(&["fixtures/rules/table-unreadable/trip-2022-run-together.txt"]);
    assert_eq!(code, 0, "reading problems are warnings and infos");
    let diagnostics = value["files"][0]["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for diagnostic in diagnostics {
        assert_eq!(diagnostic["origin"], "extraction", "{diagnostic}");
    }
    let severities: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(severities.contains(&"info") && severities.contains(&"warning"));
}

/// A one-page PDF whose page draws `content` (no text unless `content` shows some).
fn minimal_pdf(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A .docx whose document part expands to 65 MiB of nothing.
fn write_bomb(path: &Path) {
    use std::io::Write as _;
    let file = fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn word_drafts_and_pdfs_are_checked_like_pages() {
    xxgk()
        .args([
            "check",
            "--verbose",
            "fixtures/reports/2021-good.docx",
            "fixtures/reports/2021-good.pdf",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "2021年度 · format-2021 · 年度报告",
        ))
        .stdout(predicate::str::contains("· Word 文档\n"))
        .stdout(predicate::str::contains("· PDF\n"))
        .stdout(predicate::str::contains("检查了 2 个文件，未发现问题"));
    for trip in [
        "fixtures/rules/identity-mismatch/trip-2021-word-draft.docx",
        "fixtures/rules/identity-mismatch/trip-2021-results-sum.pdf",
    ] {
        let (value, code) = json(&[trip]);
        assert_eq!(code, 1, "{trip}");
        let file = &value["files"][0];
        assert!(codes(file).contains(&"T001".to_owned()), "{trip}: {file}");
        assert_eq!(file["diagnostics"][0]["origin"], "report", "{trip}");
    }
}

#[test]
fn files_are_read_by_their_content_whatever_their_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (source, disguise) in [
        ("fixtures/reports/2021-good.docx", "draft.txt"),
        ("fixtures/reports/2021-good.pdf", "report.html"),
    ] {
        let path = dir.path().join(disguise);
        fs::copy(source, &path).unwrap();
        xxgk()
            .args(["check", "--verbose"])
            .arg(&path)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "2021年度 · format-2021 · 年度报告",
            ));
    }
}

#[test]
fn engine_findings_have_names_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let scanned = dir.path().join("scanned.pdf");
    fs::write(&scanned, minimal_pdf("0 0 1 rg 10 10 100 100 re f")).unwrap();
    let (value, code) = json(&[scanned.to_str().unwrap()]);
    assert_eq!(code, 1);
    let diagnostic = &value["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E011");
    assert_eq!(diagnostic["name"], "no-text-layer");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("没有文字层"),
        "{diagnostic}"
    );
}

#[test]
fn table_unreadable_names_its_table_in_json() {
    let (value, _) = json(&["fixtures/rules/table-unreadable/trip-2022-run-together.txt"]);
    let tables: Vec<&str> = value["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "T003")
        .map(|d| d["cell"]["table"].as_str().unwrap())
        .collect();
    assert!(tables.contains(&"表三"), "{tables:?}");
}
