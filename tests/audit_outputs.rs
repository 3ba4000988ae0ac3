//! The audit an evaluator hands on: the Excel workbook read back (sheets, headers, a row per
//! report and per finding, numbers as numbers, blanks where a figure was not read), the CSV's
//! byte-order mark, regions from folders and from a mapping file, the derived figures against
//! the tables they come from, `--fail-on`, and the HTML summary opened in headless Chromium
//! (charts present, no network request, a screenshot kept in `target/audit-test/`).
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test code: a failed unwrap is a failed test; a skipped test says why on stderr"
)]

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use calamine::{Data, Reader as _, Xlsx, open_workbook};
use serde_json::{Value, json};

use browser::{Browser, base64_decode, chromium, output_dir, unavailable};
use xxgk_lint::model::TableId;
use xxgk_lint::model::figures::{Figure, SLOTS};

fn xxgk() -> Command {
    let mut command = Command::cargo_bin("xxgk-lint").expect("binary is built");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// stdout (bytes), stderr and exit code of `xxgk-lint audit --isolated ARGS`.
fn audit(args: &[&str]) -> (Vec<u8>, String, i32) {
    let output = xxgk()
        .args(["audit", "--isolated"])
        .args(args)
        .output()
        .unwrap();
    (
        output.stdout,
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

/// A province of fixture reports: 甲市/青禾县 with two years, 甲市/白水县 with a wrong table,
/// 乙市 with a report before the tables existed, and a broken PDF.
fn province() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (from, to) in [
        ("reports/2020-good.html", "甲市/青禾县/2020.html"),
        ("reports/2021-good.html", "甲市/青禾县/2021.html"),
        (
            "rules/identity-mismatch/trip-2021-results-sum.html",
            "甲市/白水县/2021.html",
        ),
        ("reports/2017-good.txt", "乙市/2017.txt"),
    ] {
        let target = dir.path().join(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(root.join(from), target).unwrap();
    }
    fs::write(dir.path().join("乙市/broken.pdf"), b"%PDF-1.7\n").unwrap();
    dir
}

fn json_audit(args: &[&str]) -> Value {
    let (out, stderr, code) = audit(&[&["--format", "json"], args].concat());
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_slice(&out).unwrap()
}

fn report<'a>(value: &'a Value, ending: &str) -> &'a Value {
    value["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(ending))
        .unwrap_or_else(|| panic!("no report ending in {ending}"))
}

fn derived<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["derived"]
        .as_array()
        .unwrap()
        .iter()
        .find(|figure| figure["name"] == name)
        .unwrap()
}

#[test]
fn the_workbook_reads_back_with_its_sheets_rows_and_typed_cells() {
    let dir = province();
    let target = dir.path().join("汇总.xlsx");
    let (_, stderr, code) = audit(&[
        "--format",
        "xlsx",
        "-o",
        target.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: Xlsx<_> = open_workbook(&target).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["汇总", "问题清单", "规则", "数据", "跨年度", "地区", "年度"]
    );

    let summary = workbook.worksheet_range("汇总").unwrap();
    let header: Vec<String> = summary
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(&header[..4], ["文件", "发布机关", "地区", "年度"]);
    assert_eq!(summary.height(), 1 + 5, "a header and a row per file");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |range: &calamine::Range<Data>, ending: &str| {
        range
            .rows()
            .find(|row| row[0].to_string().ends_with(ending))
            .unwrap()
            .to_vec()
    };
    let wrong = row_of(&summary, "白水县/2021.html");
    assert_eq!(wrong[column("地区")], Data::String("甲市/白水县".into()));
    assert_eq!(
        wrong[column("年度")],
        Data::Float(2021.0),
        "years are numbers"
    );
    assert!(
        matches!(wrong[column("错误")], Data::Float(n) if n >= 1.0),
        "counts are numbers: {:?}",
        wrong[column("错误")]
    );

    let findings = workbook.worksheet_range("问题清单").unwrap();
    let header: Vec<String> = findings
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "文件",
            "发布机关",
            "年度",
            "代码",
            "名称",
            "严重程度",
            "来源",
            "问题",
            "行",
            "表格单元格",
            "已豁免"
        ]
    );
    let t001 = findings
        .rows()
        .find(|row| row[3] == Data::String("T001".into()))
        .unwrap();
    assert!(t001[0].to_string().ends_with("白水县/2021.html"));
    assert!(
        matches!(t001[8], Data::Float(line) if line > 1.0),
        "{:?}",
        t001[8]
    );
    assert!(t001[9].to_string().starts_with("表三"), "{:?}", t001[9]);
    assert!(
        findings
            .rows()
            .any(|row| row[3] == Data::String("E010".into())),
        "the broken PDF's finding is listed"
    );

    let data = workbook.worksheet_range("数据").unwrap();
    let header: Vec<String> = data
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let good = row_of(&data, "青禾县/2021.html");
    assert!(matches!(good[column("表三 一 总计")], Data::Float(_)));
    assert!(matches!(good[column("实质公开率")], Data::Float(rate) if rate > 0.0 && rate < 1.0));
    assert_eq!(
        good[column("表三（六）其他处理（2019 格式）")],
        Data::Empty,
        "a row the 2021 format does not have is blank"
    );
    let old = row_of(&data, "2017.txt");
    for name in ["表三 一 总计", "表四 行政复议 总计", "申请量", "实质公开率"]
    {
        assert_eq!(old[column(name)], Data::Empty, "{name}: blank, never 0");
    }
    assert!(
        old[column("空白的原因")]
            .to_string()
            .contains("报告中没有这张表"),
        "{:?}",
        old[column("空白的原因")]
    );
    let broken = row_of(&data, "broken.pdf");
    assert_eq!(broken[column("申请量")], Data::Empty);

    let regions = workbook.worksheet_range("地区").unwrap();
    let names: Vec<String> = regions
        .rows()
        .skip(1)
        .map(|row| row[0].to_string())
        .collect();
    assert_eq!(names, ["乙市", "甲市", "甲市/白水县", "甲市/青禾县"]);
    let cross_year = workbook.worksheet_range("跨年度").unwrap();
    assert!(
        cross_year
            .rows()
            .any(|row| row[0].to_string().ends_with("青禾县/2021.html")
                && row[3].to_string().ends_with("青禾县/2020.html"))
    );
}

#[test]
fn a_failed_xlsx_audit_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.xlsx");
    let (_, stderr, code) = audit(&[
        "--format",
        "xlsx",
        "-o",
        target.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!target.exists());
}

#[test]
fn csv_starts_with_a_byte_order_mark_unless_told_not_to() {
    let dir = province();
    let path = dir.path().to_str().unwrap();
    let (with, _, _) = audit(&["--format", "csv", path]);
    assert!(
        with.starts_with(b"\xEF\xBB\xBF\xE6\x96\x87\xE4\xBB\xB6"),
        "BOM, then 文件"
    );
    let (without, _, _) = audit(&["--format", "csv", "--no-bom", path]);
    assert!(without.starts_with("文件".as_bytes()));
    assert_eq!(&with[3..], without.as_slice());
    // A region's total row follows the run's.
    let text = String::from_utf8(without).unwrap();
    assert!(
        text.lines()
            .any(|line| line.starts_with("地区合计：甲市（3 份）")),
        "{text}"
    );
}

#[test]
fn derived_figures_are_computed_from_the_tables_and_blank_with_the_reason() {
    let dir = province();
    let value = json_audit(&[dir.path().to_str().unwrap()]);
    let good = report(&value, "青禾县/2021.html");
    let figures = &good["figures"];
    let cell = |name: &str| figures[name].as_f64().unwrap();
    assert_eq!(
        derived(good, "申请量")["value"].as_f64().unwrap(),
        cell("表三 一 总计")
    );
    let rate = derived(good, "实质公开率")["value"].as_f64().unwrap();
    let expected =
        (cell("表三（一）予以公开") + cell("表三（二）部分公开")) / cell("表三（七）总计 总计");
    assert!((rate - expected).abs() < 1e-12, "{rate} vs {expected}");
    let refused: f64 = (1..=8)
        .map(|n| {
            figures
                .as_object()
                .unwrap()
                .iter()
                .find(|(name, _)| name.starts_with(&format!("表三（三）{n} ")))
                .unwrap()
                .1
                .as_f64()
                .unwrap()
        })
        .sum();
    let refusal = derived(good, "不予公开率")["value"].as_f64().unwrap();
    assert!((refusal - refused / cell("表三（七）总计 总计")).abs() < 1e-12);
    let change = derived(good, "申请量同比");
    let before = report(&value, "青禾县/2020.html");
    let now = cell("表三 一 总计");
    let then = before["figures"]["表三 一 总计"].as_f64().unwrap();
    assert!((change["value"].as_f64().unwrap() - (now - then) / then).abs() < 1e-12);

    let old = report(&value, "2017.txt");
    assert_eq!(
        old["figures"]["表三 一 总计"],
        Value::Null,
        "blank, never 0"
    );
    let blank = derived(old, "实质公开率");
    assert_eq!(blank["value"], Value::Null);
    assert!(
        blank["blank"]
            .as_str()
            .unwrap()
            .contains("报告中没有这张表"),
        "{blank}"
    );
    assert!(
        derived(report(&value, "乙市/2017.txt"), "申请量同比")["blank"]
            .as_str()
            .unwrap()
            .contains("没有与上一年度的报告比较")
    );
}

#[test]
fn regions_come_from_folders_or_from_a_mapping_file() {
    let dir = province();
    let path = dir.path().to_str().unwrap();
    let value = json_audit(&[path]);
    assert_eq!(report(&value, "白水县/2021.html")["region"], "甲市/白水县");
    let regions = value["regions"].as_array().unwrap();
    let city = regions.iter().find(|r| r["region"] == "甲市").unwrap();
    assert_eq!(city["reports"], 3, "a region holds the regions below it");
    assert_eq!(city["depth"], 1);
    assert_eq!(city["with_errors"], 1);
    assert!(
        city["top_rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|rule| rule[0] == "T001"),
        "{city}"
    );

    // The mapping file (GBK, as Excel saves CSV on a Chinese Windows) wins over the folders.
    let issuer = report(&value, "白水县/2021.html")["issuer"]
        .as_str()
        .unwrap()
        .to_owned();
    let mapping = dir.path().join("地区.csv");
    let text = format!("发布机关,地区\n{issuer},丙市/某区\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(&mapping, bytes).unwrap();
    let mapped = json_audit(&["--regions", mapping.to_str().unwrap(), path]);
    assert_eq!(report(&mapped, "白水县/2021.html")["region"], "丙市/某区");
    assert_eq!(
        report(&mapped, "乙市/broken.pdf")["region"],
        "乙市",
        "unnamed issuers keep their folder"
    );

    for format in ["table", "markdown", "html"] {
        let (out, _, code) = audit(&["--format", format, path]);
        assert_eq!(code, 0);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("甲市/白水县"),
            "{format} has the per-region summary"
        );
    }

    fs::write(&mapping, "只有一列\n").unwrap();
    let (_, stderr, code) = audit(&["--regions", mapping.to_str().unwrap(), path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("第 1 行：应为两列"), "{stderr}");
}

#[test]
fn fail_on_sets_the_exit_code_only_when_asked() {
    let dir = province();
    let path = dir.path().to_str().unwrap();
    assert_eq!(audit(&[path]).2, 0, "an audit exits 0 by default");
    assert_eq!(audit(&["--fail-on", "error", path]).2, 1);
    let good = dir.path().join("甲市/青禾县");
    let good = good.to_str().unwrap();
    assert_eq!(audit(&["--fail-on", "error", good]).2, 0);
    let warned = audit(&["--fail-on", "warning", good]).2;
    let value = json_audit(&[good]);
    let warnings = value["totals"]["warnings"].as_u64().unwrap();
    assert_eq!(warned, i32::from(warnings > 0));
}

#[test]
fn the_html_summary_shows_its_charts_in_a_browser_without_the_network() {
    let dir = province();
    let target = dir.path().join("汇总.html");
    let (_, stderr, code) = audit(&[
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let page = fs::read_to_string(&target).unwrap();
    // Readable without scripts: the figures are in tables as well as in the charts.
    assert!(page.contains("<h2>各地区</h2>") && page.contains("<h2>各报告的数据</h2>"));

    let Some(binary) = chromium() else {
        unavailable("no Chromium (apt-get install chromium, or set XXGK_CHROMIUM)");
        return;
    };
    let mut browser = match Browser::launch(&binary) {
        Ok(browser) => browser,
        Err(why) => {
            unavailable(&why);
            return;
        }
    };
    browser.call("Network.enable", json!({}));
    browser.call("Page.enable", json!({}));
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false}),
    );
    let url = format!("file://{}", target.display());
    browser.call("Page.navigate", json!({"url": url}));
    browser.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(30),
    );
    let titles = browser
        .eval("Array.from(document.querySelectorAll('svg.chart > title')).map(t => t.textContent)");
    let titles: Vec<&str> = titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for expected in [
        "各规则涉及的报告数",
        "各地区有错误的报告",
        "各地区实质公开率",
        "多个年度的机关：申请量",
    ] {
        assert!(titles.contains(&expected), "{expected} in {titles:?}");
    }
    // The charts are drawn: bars have a width on the page.
    let drawn = browser.eval(
        "Array.from(document.querySelectorAll('svg.chart rect')).filter(r => r.getBoundingClientRect().width > 0).length",
    );
    assert!(drawn.as_u64().unwrap() >= 3, "{drawn}");
    // Sorting by a header still works with the charts on the page.
    browser.eval("document.querySelector('table.sortable th').click(); true");
    let requests = browser.requests();
    assert!(
        requests.iter().all(|url| url.starts_with("file://")),
        "no network request: {requests:?}"
    );
    let shot = browser.call(
        "Page.captureScreenshot",
        json!({"format": "png", "captureBeyondViewport": true}),
    );
    let out = output_dir("audit-test");
    fs::write(
        out.join("summary.png"),
        base64_decode(shot["data"].as_str().unwrap()),
    )
    .unwrap();
}

/// Real reports and the copies converters made of them: every figure the audit keeps is the same
/// in every copy that reads it (a copy may leave a figure blank, never give another number),
/// and the copies whose 表三 is known to be readable give all of 表三's figures.
#[test]
fn the_figures_of_a_real_report_agree_across_its_copies() {
    let Some(corpus) = common::shared_or_skip("corpus") else {
        return;
    };
    let registry = common::registry();
    let converted = corpus.join("converted");
    for (original, copies) in [
        (
            "pdf/huaian-city-2024.pdf",
            &[
                "huaian-city-2024.markitdown.md",
                "huaian-city-2024.pdftotext-layout.txt",
                "huaian-city-2024.pdftotext.txt",
            ][..],
        ),
        (
            "html/pingtan-zone-2019.html",
            &[
                "pingtan-zone-2019.markitdown.md",
                "pingtan-zone-2019.pandoc.md",
            ][..],
        ),
        (
            "html/pingtan-zone-2021.html",
            &["pingtan-zone-2021.pandoc.md"][..],
        ),
        (
            "html/pingtan-zone-2024.html",
            &[
                "pingtan-zone-2024.pandoc.docx",
                "pingtan-zone-2024.pandoc.md",
            ][..],
        ),
    ] {
        let read = |path: &Path| {
            let result = xxgk_lint::lint::check_file(path, &path.display().to_string(), &registry);
            result.figures.expect("a report")
        };
        let reference = read(&corpus.join(original));
        let table_three = SLOTS
            .iter()
            .zip(reference.all())
            .filter(|(slot, _)| slot.table == TableId::T3);
        let unread: Vec<&str> = table_three
            .filter(|(_, figure)| {
                // Rows of the other format edition are not in this table's layout.
                figure.value().is_none()
                    && !matches!(
                        figure,
                        Figure::Unread(xxgk_lint::model::figures::Unread::NotInLayout)
                    )
            })
            .map(|(slot, _)| slot.header)
            .collect();
        assert!(
            unread.is_empty(),
            "{original}: 表三 figures not read: {unread:?}"
        );
        for copy in copies {
            let figures = read(&converted.join(copy));
            for ((slot, want), got) in SLOTS.iter().zip(reference.all()).zip(figures.all()) {
                if let (Some(want), Some(got)) = (want.value(), got.value()) {
                    assert_eq!(want, got, "{copy}: {} differs from {original}", slot.header);
                }
            }
        }
    }
}

/// The publication date a report states: in the JSON summary, and as a date cell of 汇总 (a
/// signature date marked as such by its number format).
#[test]
fn the_publication_date_is_given_and_a_signature_date_is_marked() {
    let folder = "fixtures/rules/publication-late";
    let value = json_audit(&[folder]);
    let page = report(&value, "trip-2021-department-february.txt");
    assert_eq!(
        page["published"],
        json!({"date": "2022-02-15", "signed": false})
    );
    let signed = report(&value, "trip-2021-signed-after-deadline.html");
    assert_eq!(
        signed["published"],
        json!({"date": "2022-04-06", "signed": true})
    );

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.xlsx");
    let (_, stderr, code) = audit(&["--format", "xlsx", "-o", target.to_str().unwrap(), folder]);
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: Xlsx<_> = open_workbook(&target).unwrap();
    let summary = workbook.worksheet_range("汇总").unwrap();
    let header: Vec<String> = summary
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let column = header.iter().position(|h| h == "发布日期").unwrap();
    let row = summary
        .rows()
        .find(|row| {
            row[0]
                .to_string()
                .ends_with("trip-2021-department-february.txt")
        })
        .unwrap();
    let Data::DateTime(date) = &row[column] else {
        panic!("a date cell: {:?}", row[column]);
    };
    assert_eq!(date.as_f64(), 44607.0, "2022-02-15 as Excel counts days");
}

#[test]
fn a_region_counts_the_reports_a_deadline_rule_found_late() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/publication-late");
    for (from, to) in [
        ("trip-2021-department-february.txt", "丁市/late.txt"),
        ("pass-2021-government-march.txt", "丁市/in-time.txt"),
    ] {
        let target = dir.path().join(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(root.join(from), target).unwrap();
    }
    let value = json_audit(&[dir.path().to_str().unwrap()]);
    let regions = value["regions"].as_array().unwrap();
    let city = regions.iter().find(|r| r["region"] == "丁市").unwrap();
    assert_eq!(city["reports"], 2, "{city}");
    assert_eq!(city["late"], 1, "{city}");
}
