//! Table layouts are data: a new edition of a table, or a label variant seen in a real report, is
//! a TOML file in a rules folder — no Rust.
#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::fs;

use xxgk_lint::lint::check_bytes;
use xxgk_lint::model::{Report, RowCells, TableId};
use xxgk_lint::rules::Registry;
use xxgk_lint::source::{SourceKind, read_bytes};

/// A made-up edition of 表四 with a sixth column per group, 撤回 (withdrawn), before 总计.
const TABLE4_2030: &str = r#"
[layout]
table = "表四"
edition = "试行2030"
years = [2030]
identify = [["行政复议"], ["复议后起诉", "结果维持"]]
section = 4
one-line = true

[[column]]
key = "结果维持"
[[column]]
key = "结果纠正"
[[column]]
key = "其他结果"
[[column]]
key = "尚未审结"
[[column]]
key = "撤回"
marker = true
[[column]]
key = "总计"
total = true

[[row]]
key = "行政复议"
[[row]]
key = "未经复议直接起诉"
[[row]]
key = "复议后起诉"
"#;

/// An identity over the new column, written against the new edition.
const WITHDRAWN_RULE: &str = r#"
code = "X901"
name = "withdrawn-in-total"
severity = "error"
summary = "表四总计应含撤回的案件"
clause = "假设的 2030 年格式"

[docs]
what = "表四每组：结果维持 + 结果纠正 + 其他结果 + 尚未审结 + 撤回 = 总计"
why = "测试用"
example = "测试用"

[messages]
mismatch = "{table}「{row}」：总计为 {reported}，含撤回应为 {computed}"
table-absent = "未找到{table}"

[check]
kind = "table-identity"

[[check.identity]]
id = "W1"
description = "总计含撤回"
table = "表四"
edition = "试行2030"
for-each = "row"
total = ["总计"]
parts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "撤回"]
"#;

/// A 2031 report whose 表四 has six columns per group; 复议后起诉's 总计 (9) leaves out its 撤回.
const REPORT_2031: &str = "<html><body>\
<p>青禾县人民政府2031年政府信息公开工作年度报告</p>\
<p>四、政府信息公开行政复议、行政诉讼情况</p>\
<table>\
<tr><td colspan=\"6\">行政复议</td><td colspan=\"6\">未经复议直接起诉</td><td colspan=\"6\">复议后起诉</td></tr>\
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>撤回</td><td>总计</td>\
<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>撤回</td><td>总计</td>\
<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>撤回</td><td>总计</td></tr>\
<tr><td>1</td><td>2</td><td>0</td><td>0</td><td>1</td><td>4</td>\
<td>0</td><td>0</td><td>0</td><td>3</td><td>0</td><td>3</td>\
<td>5</td><td>1</td><td>1</td><td>1</td><td>2</td><td>9</td></tr>\
</table>\
</body></html>";

#[test]
fn a_new_edition_of_table_four_is_a_data_edit() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("table4-2030.toml"), TABLE4_2030).unwrap();
    fs::write(
        dir.path().join("X901-withdrawn-in-total.toml"),
        WITHDRAWN_RULE,
    )
    .unwrap();
    let mut registry = Registry::builtin().unwrap();
    registry.extend_from_dir(dir.path()).unwrap();

    // The table is read into the new edition: its 撤回 header selects it.
    let doc = read_bytes(REPORT_2031.as_bytes(), Some(SourceKind::Html)).unwrap();
    let report = Report::build(&doc, registry.model());
    let table = report.table(TableId::T4).unwrap();
    assert_eq!(table.edition(), "试行2030");
    let RowCells::Aligned(cells) = &table.row("复议后起诉").unwrap().cells else {
        panic!("复议后起诉 is read");
    };
    assert_eq!(cells.len(), 6);

    // The identity over the new column holds in two groups and fails in the third.
    let result = check_bytes(
        REPORT_2031.as_bytes(),
        Some(SourceKind::Html),
        "2031.html",
        &registry,
    );
    let found: Vec<(&str, Option<i128>, Option<i128>)> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "X901")
        .map(|d| {
            (
                d.cell.as_ref().and_then(|c| c.row.as_deref()).unwrap(),
                d.found,
                d.expected,
            )
        })
        .collect();
    assert_eq!(found, [("复议后起诉", Some(9), Some(10))], "{found:?}");

    // Without the layout file the built-in edition reads the table: 18 figures where it expects
    // 15, so nothing is placed and nothing is checked against the new column.
    let builtin = common::registry();
    let report = Report::build(&doc, builtin.model());
    let table = report.table(TableId::T4).unwrap();
    assert_eq!(table.edition(), "2019");
    assert!(matches!(
        table.row("行政复议").unwrap().cells,
        RowCells::Misaligned(_)
    ));
}

#[test]
fn a_label_variant_is_a_data_edit() {
    // A report that writes 「（一）同意公开」 for 「（一）予以公开」.
    let text = "青禾县人民政府2021年政府信息公开工作年度报告\n\
        三、收到和处理政府信息公开申请情况\n\
        <table><tr><td>（一）同意公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>\
        <tr><td>一、本年新收政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr></table>";
    let html = format!("<html><body>{}</body></html>", text.replace('\n', "<br>"));
    let doc = read_bytes(html.as_bytes(), Some(SourceKind::Html)).unwrap();

    let builtin = common::registry();
    let report = Report::build(&doc, builtin.model());
    let table = report.table(TableId::T3).unwrap();
    assert!(matches!(
        table.row("（一）").unwrap().cells,
        RowCells::Missing
    ));

    // The built-in layout with one more word for the row, in a rules folder.
    let layout = fs::read_to_string(common::root().join("layouts/table3-2021.toml")).unwrap();
    let edited = layout.replace(
        "words = [\"予以公开\"]",
        "words = [\"予以公开\", \"同意公开\"]",
    );
    assert_ne!(layout, edited);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("table3-2021.toml"), edited).unwrap();
    let mut registry = Registry::builtin().unwrap();
    registry.extend_from_dir(dir.path()).unwrap();
    let report = Report::build(&doc, registry.model());
    let table = report.table(TableId::T3).unwrap();
    assert!(matches!(
        table.row("（一）").unwrap().cells,
        RowCells::Aligned(_)
    ));
}

#[test]
fn a_layout_file_with_a_mistake_is_a_placed_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        TABLE4_2030.replace(
            "key = \"撤回\"\nmarker = true",
            "key = \"撤回\"\nmarker = \"yes\"",
        ),
    )
    .unwrap();
    let mut registry = Registry::builtin().unwrap();
    let error = registry.extend_from_dir(dir.path()).unwrap_err();
    assert!(error.path.ends_with("bad.toml"), "{error}");
    assert_eq!((error.line, error.column), (20, 10), "{error}");
}
