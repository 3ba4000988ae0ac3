//! The audit as an Excel workbook, for the evaluator who works in Excel or WPS: 汇总 (one row per
//! report), 问题清单 (one row per finding, waived ones marked), 规则, 数据 (the figures read and
//! the derived ones; a figure not read is a blank cell, never 0), 跨年度, 地区 and 年度. Every sheet
//! has a frozen header row, a filter, columns wide enough for Chinese text, numbers as numbers.

use std::borrow::Cow;

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::derived::{self, DEFINITIONS};
use super::render::{codes, form, kind};
use super::{Audit, NamedFigure, ReportRow, display_width};
use crate::diagnostic::{Diagnostic, Origin};
use crate::lint::{FileResult, FileRole, Published};
use crate::model::Era;
use crate::model::figures::{Figure, SLOTS};

/// A cell to write.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Percent(f64),
    /// A date stated in the report; a signature date is marked (落款).
    Date(Published),
    Blank,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell::Text(Cow::Owned(text))
    }
}

fn count(value: usize) -> Cell<'static> {
    #[allow(clippy::cast_precision_loss)] // counts of findings and reports
    Cell::Number(value as f64)
}

fn optional_text(text: Option<&str>) -> Cell<'_> {
    text.map_or(Cell::Blank, Cell::from)
}

fn figure<'a>(named: &NamedFigure) -> Cell<'a> {
    match named.value {
        None => Cell::Blank,
        Some(value) if named.rate => Cell::Percent(value),
        Some(value) => Cell::Number(value),
    }
}

/// Rows of one sheet, written in order, with the widths the columns need.
struct Sheet<'w> {
    sheet: &'w mut Worksheet,
    row: u32,
    widths: Vec<usize>,
    percent: Format,
    date: Format,
    signed: Format,
}

/// The widest a column gets (characters), so a long message does not push the others away.
const MAX_WIDTH: usize = 60;

impl<'w> Sheet<'w> {
    fn new(
        workbook: &'w mut Workbook,
        name: &str,
        header: &[&str],
        frozen_columns: u16,
    ) -> Result<Self, XlsxError> {
        let bold = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x00DD_EBF7))
            .set_border_bottom(FormatBorder::Thin);
        // Rows go to a temporary file as they are written (strings stay shared): an audit of
        // ten thousand reports writes about a million cells.
        let sheet = workbook.add_worksheet_with_low_memory()?;
        sheet.set_name(name)?;
        for (column, title) in (0u16..).zip(header) {
            sheet.write_string_with_format(0, column, *title, &bold)?;
        }
        sheet.set_freeze_panes(1, frozen_columns)?;
        Ok(Self {
            sheet,
            row: 1,
            widths: header
                .iter()
                .map(|title| display_width(title) + 2)
                .collect(),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            signed: Format::new().set_num_format("yyyy-mm-dd\"（落款）\""),
        })
    }

    fn push(&mut self, cells: &[Cell<'_>]) -> Result<(), XlsxError> {
        for (column, cell) in (0u16..).zip(cells) {
            let shown = match cell {
                Cell::Text(text) => {
                    self.sheet.write_string(self.row, column, text.as_ref())?;
                    display_width(text)
                }
                Cell::Number(value) => {
                    self.sheet.write_number(self.row, column, *value)?;
                    value.to_string().len()
                }
                Cell::Percent(value) => {
                    self.sheet
                        .write_number_with_format(self.row, column, *value, &self.percent)?;
                    7
                }
                Cell::Date(date) => {
                    let day = ExcelDateTime::from_ymd(
                        u16::try_from(date.date.year()).unwrap_or(1900),
                        u8::try_from(date.date.month()).unwrap_or(1),
                        u8::try_from(date.date.day()).unwrap_or(1),
                    )?;
                    let format = if date.signed {
                        &self.signed
                    } else {
                        &self.date
                    };
                    self.sheet
                        .write_datetime_with_format(self.row, column, &day, format)?;
                    16
                }
                Cell::Blank => 0,
            };
            if let Some(known) = self.widths.get_mut(usize::from(column)) {
                *known = (*known).max(shown + 1);
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Sets the filter over the rows written and the columns' widths.
    fn finish(self) -> Result<(), XlsxError> {
        let last_column = u16::try_from(self.widths.len().saturating_sub(1)).unwrap_or(u16::MAX);
        self.sheet
            .autofilter(0, 0, self.row.saturating_sub(1).max(1), last_column)?;
        for (column, needed) in (0u16..).zip(&self.widths) {
            #[allow(clippy::cast_precision_loss)] // at most MAX_WIDTH
            self.sheet
                .set_column_width(column, (*needed).clamp(6, MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}

fn year(row: &ReportRow) -> Cell<'static> {
    row.year
        .map_or(Cell::Blank, |year| Cell::Number(f64::from(year)))
}

fn summary(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        workbook,
        "汇总",
        &[
            "文件",
            "发布机关",
            "地区",
            "年度",
            "格式时代",
            "类型",
            "来源形式",
            "发布日期",
            "错误",
            "警告",
            "提示",
            "无法校验",
            "已豁免",
            "涉及规则",
            "对比的上一年度报告",
        ],
        1,
    )?;
    for row in &audit.reports {
        sheet.push(&[
            row.path.as_str().into(),
            optional_text(row.issuer.as_deref()),
            optional_text(row.region.as_deref()),
            year(row),
            row.era.map_or(Cell::Blank, |era: Era| era.name().into()),
            row.kind
                .map_or(Cell::Blank, |known| kind(Some(known)).into()),
            form(row.format).into(),
            row.published.map_or(Cell::Blank, Cell::Date),
            count(row.errors),
            count(row.warnings),
            count(row.infos),
            count(row.not_assessable),
            count(row.waived),
            codes(row).into(),
            optional_text(row.compared_with.as_deref()),
        ])?;
    }
    sheet.finish()
}

/// Where a finding points: its line, and the table cell when it is about one.
fn place(diagnostic: &Diagnostic) -> (Cell<'static>, Cell<'static>) {
    let line = diagnostic
        .labels_here()
        .find_map(|label| label.span.map(|span| span.line))
        .map_or(Cell::Blank, count);
    let cell = diagnostic.cell.as_ref().map_or(Cell::Blank, |cell| {
        let mut text = cell.table.name().to_owned();
        for part in [&cell.row, &cell.column].into_iter().flatten() {
            text.push(' ');
            text.push_str(part);
        }
        Cell::from(text)
    });
    (line, cell)
}

fn findings(
    workbook: &mut Workbook,
    audit: &Audit,
    results: &[FileResult],
) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        workbook,
        "问题清单",
        &[
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
            "已豁免",
        ],
        1,
    )?;
    let reports = results
        .iter()
        .filter(|result| result.role == FileRole::Report);
    for (row, result) in audit.reports.iter().zip(reports) {
        let listed = result
            .diagnostics
            .iter()
            .map(|d| (d, false))
            .chain(result.waived_findings.iter().map(|d| (d, true)));
        for (diagnostic, waived) in listed {
            let (line, cell) = place(diagnostic);
            sheet.push(&[
                row.path.as_str().into(),
                optional_text(row.issuer.as_deref()),
                year(row),
                diagnostic.code.as_str().into(),
                diagnostic.name.as_str().into(),
                diagnostic.severity.name().into(),
                match diagnostic.origin {
                    Origin::Report => "报告",
                    Origin::Extraction => "读取",
                }
                .into(),
                diagnostic.message.as_str().into(),
                line,
                cell,
                if waived { "是" } else { "" }.into(),
            ])?;
        }
    }
    // Problems of the waiver files themselves, after the reports'.
    for result in results
        .iter()
        .filter(|result| result.role == FileRole::Waivers)
    {
        for diagnostic in &result.diagnostics {
            let (line, cell) = place(diagnostic);
            sheet.push(&[
                result.path.as_str().into(),
                Cell::Blank,
                Cell::Blank,
                diagnostic.code.as_str().into(),
                diagnostic.name.as_str().into(),
                diagnostic.severity.name().into(),
                "豁免文件".into(),
                diagnostic.message.as_str().into(),
                line,
                cell,
                "".into(),
            ])?;
        }
    }
    sheet.finish()
}

fn rules(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        workbook,
        "规则",
        &["代码", "名称", "严重程度", "报告数", "问题数"],
        0,
    )?;
    for rule in &audit.rules {
        sheet.push(&[
            rule.code.as_str().into(),
            rule.name.as_str().into(),
            rule.severity.name().into(),
            count(rule.reports),
            count(rule.findings),
        ])?;
    }
    sheet.finish()
}

fn data(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut header = vec!["文件", "发布机关", "地区", "年度"];
    header.extend(DEFINITIONS.iter().map(|definition| definition.name));
    header.push(derived::CHANGE_NAME);
    header.push("空白的原因");
    header.extend(SLOTS.iter().map(|slot| slot.header));
    let mut sheet = Sheet::new(workbook, "数据", &header, 1)?;
    for row in &audit.reports {
        let mut cells: Vec<Cell<'_>> = vec![
            row.path.as_str().into(),
            optional_text(row.issuer.as_deref()),
            optional_text(row.region.as_deref()),
            year(row),
        ];
        cells.extend(row.derived.iter().map(figure));
        let reasons: Vec<String> = row
            .derived
            .iter()
            .filter_map(|named| {
                named
                    .blank
                    .as_ref()
                    .map(|why| format!("{}：{why}", named.name))
            })
            .collect();
        cells.push(reasons.join("；").into());
        match &row.figures {
            Some(figures) => cells.extend(figures.all().iter().map(|figure| match figure {
                #[allow(clippy::cast_precision_loss)] // counts
                Figure::Value(value) => Cell::Number(*value as f64),
                Figure::Unread(_) => Cell::Blank,
            })),
            None => cells.extend(SLOTS.iter().map(|_| Cell::Blank)),
        }
        sheet.push(&cells)?;
    }
    sheet.finish()
}

fn cross_year(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        workbook,
        "跨年度",
        &["报告", "发布机关", "年度", "上一年度的报告", "说明"],
        1,
    )?;
    for pair in &audit.pairs {
        sheet.push(&[
            pair.current.as_str().into(),
            optional_text(pair.issuer.as_deref()),
            pair.year
                .map_or(Cell::Blank, |year| Cell::Number(f64::from(year))),
            pair.previous.as_str().into(),
            "已比较".into(),
        ])?;
    }
    for alone in &audit.alone {
        sheet.push(&[
            alone.path.as_str().into(),
            Cell::Blank,
            Cell::Blank,
            Cell::Blank,
            format!("未比较：{}", alone.reason).into(),
        ])?;
    }
    for duplicate in &audit.duplicates {
        for other in &duplicate.others {
            sheet.push(&[
                other.as_str().into(),
                Cell::Blank,
                Cell::Blank,
                Cell::Blank,
                format!(
                    "同一机关同一年度有多份，作为上一年度比较时用「{}」",
                    duplicate.kept
                )
                .into(),
            ])?;
        }
    }
    sheet.finish()
}

fn regions(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut header = vec![
        "地区",
        "层级",
        "报告数",
        "有错误的报告",
        "有错误的占比",
        "逾期发布",
        "主要问题",
    ];
    header.extend(DEFINITIONS.iter().map(|definition| definition.name));
    let mut sheet = Sheet::new(workbook, "地区", &header, 1)?;
    for region in &audit.regions {
        let mut cells: Vec<Cell<'_>> = vec![
            region.region.as_str().into(),
            count(region.depth),
            count(region.reports),
            count(region.with_errors),
            Cell::Percent(region.error_share()),
            count(region.late),
            region
                .top_rules
                .iter()
                .map(|(code, name, reports)| format!("{code} {name}（{reports} 份）"))
                .collect::<Vec<_>>()
                .join("；")
                .into(),
        ];
        cells.extend(region.derived.iter().map(figure));
        sheet.push(&cells)?;
    }
    sheet.finish()
}

fn years(workbook: &mut Workbook, audit: &Audit) -> Result<(), XlsxError> {
    let mut header = vec!["年度", "报告数", "有错误的报告"];
    header.extend(DEFINITIONS.iter().map(|definition| definition.name));
    let mut sheet = Sheet::new(workbook, "年度", &header, 1)?;
    for row in &audit.years {
        let mut cells: Vec<Cell<'_>> = vec![
            Cell::Number(f64::from(row.year)),
            count(row.reports),
            count(row.with_errors),
        ];
        cells.extend(row.derived.iter().map(figure));
        sheet.push(&cells)?;
    }
    sheet.finish()
}

/// The workbook's bytes. `results` are the run's results (for the findings), in the order the
/// summary was built from.
pub fn workbook(audit: &Audit, results: &[FileResult]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    summary(&mut workbook, audit)?;
    findings(&mut workbook, audit, results)?;
    rules(&mut workbook, audit)?;
    data(&mut workbook, audit)?;
    cross_year(&mut workbook, audit)?;
    regions(&mut workbook, audit)?;
    years(&mut workbook, audit)?;
    workbook.save_to_buffer()
}
