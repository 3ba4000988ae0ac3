//! The audit summary's formats: a terminal table, CSV (one row per report with a column per
//! rule, then a total row), JSON, Markdown, and one self-contained HTML page (sortable table,
//! per-rule bar chart, each report's findings one click away).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::charts::{self, Bar, Line};
use super::derived::DEFINITIONS;
use super::{Audit, NamedFigure, RegionRow, ReportRow};
use crate::diagnostic::Severity;
use crate::lint::{FileResult, FileRole};
use crate::model::ReportKind;
use crate::source::SourceKind;

/// The JSON format's version.
pub const JSON_VERSION: u32 = 1;

/// The byte-order mark the CSV starts with: without it Excel and WPS on a Chinese Windows read
/// UTF-8 as GBK.
pub const BOM: &str = "\u{FEFF}";

pub(super) fn form(format: Option<SourceKind>) -> &'static str {
    match format {
        Some(SourceKind::Text) => "文本",
        Some(SourceKind::Markdown) => "Markdown",
        Some(SourceKind::Html) => "网页",
        Some(SourceKind::Docx) => "Word",
        Some(SourceKind::Pdf) => "PDF",
        None => "无法读取",
    }
}

pub(super) fn kind(kind: Option<ReportKind>) -> &'static str {
    match kind {
        Some(ReportKind::AnnualReport) => "年度报告",
        Some(ReportKind::Other) => "非年度报告",
        None => "—",
    }
}

fn year(year: Option<i32>) -> String {
    year.map_or_else(|| "—".to_owned(), |y| y.to_string())
}

fn era(row: &ReportRow) -> &'static str {
    row.era.map_or("—", |era| era.name())
}

/// `T001×2 P001` — the codes found in a report, with counts above one.
pub(super) fn codes(row: &ReportRow) -> String {
    row.codes
        .iter()
        .map(|(code, &count)| {
            if count > 1 {
                format!("{code}×{count}")
            } else {
                code.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn totals_line(audit: &Audit) -> String {
    let t = &audit.totals;
    let mut line = format!(
        "共 {} 份：年度报告 {} 份，无法读取 {} 份；有错误的 {} 份，没有问题的 {} 份。错误 {} 个，警告 {} 个，提示 {} 条，无法校验 {} 项",
        t.reports,
        t.annual_reports,
        t.unreadable,
        t.reports_with_errors,
        t.clean_reports,
        t.errors,
        t.warnings,
        t.infos,
        t.not_assessable
    );
    if t.waived > 0 {
        let _ = write!(line, "，已豁免 {} 条", t.waived);
    }
    if t.waiver_problems > 0 {
        let _ = write!(line, "，豁免文件问题 {} 条", t.waiver_problems);
    }
    line
}

fn cross_year_lines(audit: &Audit) -> Vec<String> {
    let mut lines = vec![format!(
        "跨年度核对：{} 对报告已比较，{} 份没有相邻年度的报告",
        audit.pairs.len(),
        audit.alone.len()
    )];
    for pair in &audit.pairs {
        lines.push(format!("  已比较：{} ← {}", pair.current, pair.previous));
    }
    for alone in &audit.alone {
        lines.push(format!("  未比较：{}（{}）", alone.path, alone.reason));
    }
    for duplicate in &audit.duplicates {
        lines.push(format!(
            "  同一机关同一年度有多份：{}、{}（作为上一年度比较时用第一份）",
            duplicate.kept,
            duplicate.others.join("、")
        ));
    }
    lines
}

fn top_rules(region: &RegionRow) -> String {
    region
        .top_rules
        .iter()
        .map(|(code, name, reports)| format!("{code} {name}（{reports} 份）"))
        .collect::<Vec<_>>()
        .join("；")
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn figures_shown(figures: &[NamedFigure]) -> impl Iterator<Item = String> + '_ {
    figures.iter().map(NamedFigure::shown)
}

/// The header of the per-region table.
fn region_header() -> Vec<&'static str> {
    let mut header = vec!["地区", "报告数", "有错误", "占比", "逾期发布", "主要问题"];
    header.extend(DEFINITIONS.iter().map(|definition| definition.name));
    header
}

fn region_cells(region: &RegionRow) -> Vec<String> {
    let mut cells = vec![
        region.region.clone(),
        region.reports.to_string(),
        region.with_errors.to_string(),
        percent(region.error_share()),
        region.late.to_string(),
        top_rules(region),
    ];
    cells.extend(figures_shown(&region.derived));
    cells
}

/// A terminal table: reports, rules, regions, totals, cross-year pairs.
pub fn table(audit: &Audit) -> String {
    let mut reports = Table::new();
    reports
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "文件",
            "发布机关",
            "年度",
            "格式",
            "类型",
            "错误",
            "警告",
            "无法校验",
            "问题",
        ]);
    for row in &audit.reports {
        reports.add_row(vec![
            row.path.clone(),
            row.issuer.clone().unwrap_or_else(|| "—".to_owned()),
            year(row.year),
            era(row).to_owned(),
            kind(row.kind).to_owned(),
            row.errors.to_string(),
            row.warnings.to_string(),
            row.not_assessable.to_string(),
            codes(row),
        ]);
    }
    let mut rules = Table::new();
    rules
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["代码", "名称", "严重程度", "报告数", "问题数"]);
    for rule in &audit.rules {
        rules.add_row(vec![
            rule.code.clone(),
            rule.name.clone(),
            rule.severity.name().to_owned(),
            rule.reports.to_string(),
            rule.findings.to_string(),
        ]);
    }
    let mut out = String::new();
    let _ = writeln!(out, "报告\n{reports}\n");
    let _ = writeln!(out, "规则\n{rules}\n");
    if !audit.regions.is_empty() {
        let mut regions = Table::new();
        regions
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(region_header());
        for region in &audit.regions {
            regions.add_row(region_cells(region));
        }
        let _ = writeln!(out, "地区\n{regions}\n");
    }
    for line in cross_year_lines(audit) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\n{}", totals_line(audit));
    out
}

/// CSV: one row per report (with a count column per rule), then a total row.
pub fn csv(audit: &Audit) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "文件",
        "发布机关",
        "地区",
        "年度",
        "格式时代",
        "类型",
        "来源形式",
        "错误",
        "警告",
        "提示",
        "无法校验",
        "已豁免",
        "对比的上一年度报告",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(
        audit
            .rules
            .iter()
            .map(|rule| format!("{} {}", rule.code, rule.name)),
    );
    header.push("主要问题".to_owned());
    writer.write_record(&header)?;
    for row in &audit.reports {
        let mut record = vec![
            row.path.clone(),
            row.issuer.clone().unwrap_or_default(),
            row.region.clone().unwrap_or_default(),
            row.year.map(|y| y.to_string()).unwrap_or_default(),
            row.era.map(|e| e.name().to_owned()).unwrap_or_default(),
            kind(row.kind).to_owned(),
            form(row.format).to_owned(),
            row.errors.to_string(),
            row.warnings.to_string(),
            row.infos.to_string(),
            row.not_assessable.to_string(),
            row.waived.to_string(),
            row.compared_with.clone().unwrap_or_default(),
        ];
        record.extend(
            audit
                .rules
                .iter()
                .map(|rule| row.codes.get(&rule.code).copied().unwrap_or(0).to_string()),
        );
        record.push(
            row.top
                .iter()
                .map(|f| format!("{} {}", f.code, f.message))
                .collect::<Vec<_>>()
                .join("；"),
        );
        writer.write_record(&record)?;
    }
    let t = &audit.totals;
    let mut total = vec![
        format!("合计（{} 份）", t.reports),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        t.errors.to_string(),
        t.warnings.to_string(),
        t.infos.to_string(),
        t.not_assessable.to_string(),
        t.waived.to_string(),
        format!("{} 对", audit.pairs.len()),
    ];
    total.extend(audit.rules.iter().map(|rule| rule.findings.to_string()));
    total.push(String::new());
    writer.write_record(&total)?;
    // One total row per region, after the run's, in the same columns.
    let columns = total.len();
    for region in &audit.regions {
        let mut record = vec![
            format!("地区合计：{}（{} 份）", region.region, region.reports),
            String::new(),
            region.region.clone(),
        ];
        record.resize(columns, String::new());
        record[columns - 1] = format!(
            "有错误的报告 {}（{}）；逾期发布 {}；{}",
            region.with_errors,
            percent(region.error_share()),
            region.late,
            top_rules(region)
        );
        writer.write_record(&record)?;
    }
    let bytes = writer.into_inner().map_err(|error| error.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    #[serde(flatten)]
    audit: &'a Audit,
}

/// JSON (version 1): the summary's rows and totals.
pub fn json(audit: &Audit) -> String {
    let mut out = crate::render::json_escape_unsafe(
        serde_json::to_string_pretty(&JsonAudit {
            version: JSON_VERSION,
            audit,
        })
        .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}")),
    );
    out.push('\n');
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Markdown: the same tables, for a wiki or a pull request.
pub fn markdown(audit: &Audit) -> String {
    let mut out = String::from("# 政府信息公开工作年度报告检查汇总\n\n");
    let _ = writeln!(out, "{}\n", totals_line(audit));
    out.push_str(
        "## 规则\n\n| 代码 | 名称 | 严重程度 | 报告数 | 问题数 |\n|---|---|---|---:|---:|\n",
    );
    for rule in &audit.rules {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            rule.code,
            rule.name,
            rule.severity.name(),
            rule.reports,
            rule.findings
        );
    }
    out.push_str("\n## 报告\n\n| 文件 | 发布机关 | 年度 | 格式 | 错误 | 警告 | 无法校验 | 主要问题 |\n|---|---|---:|---|---:|---:|---:|---|\n");
    for row in &audit.reports {
        let top = row
            .top
            .iter()
            .map(|f| format!("{} {}", f.code, md(&f.message)))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&row.path),
            md(row.issuer.as_deref().unwrap_or("—")),
            year(row.year),
            era(row),
            row.errors,
            row.warnings,
            row.not_assessable,
            top
        );
    }
    if !audit.regions.is_empty() {
        let header = region_header();
        let _ = writeln!(out, "\n## 地区\n\n| {} |", header.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            header
                .iter()
                .enumerate()
                .map(|(i, _)| if i == 0 || i == 5 { "---|" } else { "---:|" })
                .collect::<String>()
        );
        for region in &audit.regions {
            let cells: Vec<String> = region_cells(region).iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out.push_str("\n## 跨年度核对\n\n");
    for line in cross_year_lines(audit) {
        let _ = writeln!(out, "- {}", md(line.trim()));
    }
    out
}

/// Escapes text for HTML (quick-xml's escaping: `<`, `>`, `&`, `'`, `"`).
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

const STYLE: &str = "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#f3f3f3;cursor:pointer;user-select:none}th.num,td.num{text-align:right}\
.error{color:#c0392b}.warn{color:#e67e22}.note{color:#2980b9}section{margin:1.5em 0}h3{font-size:1em}\
.totals{font-size:1.1em;background:#fafafa;border:1px solid #ddd;padding:.8em}.bar{font-family:monospace;letter-spacing:-1px;white-space:nowrap}\
.charts{display:flex;flex-wrap:wrap;gap:0 2em}.charts svg{display:block;margin:1em 0;max-width:100%;height:auto}td.blank{color:#999}\
@media print{th{cursor:auto}.charts svg{break-inside:avoid}section{break-inside:avoid}}";

/// Sorts a table by the clicked header: numbers as numbers, then text.
const SCRIPT: &str = "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){\
var t=th.closest('table'),b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.d==='a'?'d':'a';th.dataset.d=d;\
r.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,q=y.cells[i].dataset.v||y.cells[i].textContent,\
m=parseFloat(p),n=parseFloat(q),c=(!isNaN(m)&&!isNaN(n))?m-n:p.localeCompare(q,'zh');return d==='a'?c:-c;});\
r.forEach(function(x){b.appendChild(x);});});});";

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warn",
        Severity::Info => "note",
    }
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#c0392b",
        Severity::Warning => "#e67e22",
        Severity::Info => "#2980b9",
    }
}

/// Regions charted: the top level, or the next one down when everything is in one region.
fn charted_regions(audit: &Audit) -> Vec<&RegionRow> {
    let top: Vec<&RegionRow> = audit.regions.iter().filter(|r| r.depth == 1).collect();
    if top.len() == 1 {
        let below: Vec<&RegionRow> = audit.regions.iter().filter(|r| r.depth == 2).collect();
        if !below.is_empty() {
            return below;
        }
    }
    top
}

/// Issuers with reports of several years, and their 申请量 by year.
fn timelines(audit: &Audit) -> Vec<Line> {
    let mut by_issuer: BTreeMap<&str, BTreeMap<i32, f64>> = BTreeMap::new();
    for row in &audit.reports {
        let (Some(issuer), Some(year)) = (row.issuer.as_deref(), row.year) else {
            continue;
        };
        if let Some(value) = row.derived.first().and_then(|figure| figure.value) {
            by_issuer.entry(issuer).or_default().insert(year, value);
        }
    }
    by_issuer
        .into_iter()
        .filter(|(_, years)| years.len() >= 2)
        .map(|(issuer, years)| Line {
            name: issuer.to_owned(),
            points: years.into_iter().collect(),
        })
        .collect()
}

/// How many issuers one timeline chart shows, and how many charts at most.
const LINES_PER_CHART: usize = 8;
const TIMELINE_CHARTS: usize = 6;

/// Charts: findings per rule, reports with errors per region, the derived figures by region and
/// by year, and a timeline of 申请量 for issuers with several years. Inline SVG; the tables below
/// hold the same figures.
fn charts_section(out: &mut String, audit: &Audit) {
    out.push_str("<h2>图表</h2>\n<div class=\"charts\">\n");
    let rule_bars: Vec<Bar> = audit
        .rules
        .iter()
        .filter(|rule| rule.reports > 0)
        .map(|rule| Bar {
            label: format!("{} {}", rule.code, rule.name),
            #[allow(clippy::cast_precision_loss)]
            value: rule.reports as f64,
            shown: format!("{} 份", rule.reports),
            colour: severity_colour(rule.severity),
        })
        .collect();
    if rule_bars.is_empty() {
        out.push_str("<p>没有发现问题。</p>\n");
    } else {
        out.push_str(&charts::bars("各规则涉及的报告数", &rule_bars));
        out.push('\n');
    }
    let regions = charted_regions(audit);
    if !regions.is_empty() {
        let bars: Vec<Bar> = regions
            .iter()
            .map(|region| Bar {
                label: region.region.clone(),
                #[allow(clippy::cast_precision_loss)]
                value: region.with_errors as f64,
                shown: format!(
                    "{}/{} 份（{}）",
                    region.with_errors,
                    region.reports,
                    percent(region.error_share())
                ),
                colour: "#c0392b",
            })
            .collect();
        out.push_str(&charts::bars("各地区有错误的报告", &bars));
        out.push('\n');
        for (index, definition) in DEFINITIONS.iter().enumerate() {
            let bars: Vec<Bar> = regions
                .iter()
                .filter_map(|region| {
                    let figure = region.derived.get(index)?;
                    Some(Bar {
                        label: region.region.clone(),
                        value: figure.value?,
                        shown: figure.shown(),
                        colour: "#2e6da4",
                    })
                })
                .collect();
            if !bars.is_empty() {
                out.push_str(&charts::bars(&format!("各地区{}", definition.name), &bars));
                out.push('\n');
            }
        }
    }
    if audit.years.len() >= 2 {
        let rates: Vec<Line> = DEFINITIONS
            .iter()
            .enumerate()
            .filter(|(_, definition)| definition.is_rate())
            .map(|(index, definition)| Line {
                name: definition.name.to_owned(),
                points: audit
                    .years
                    .iter()
                    .filter_map(|year| Some((year.year, year.derived.get(index)?.value?)))
                    .collect(),
            })
            .filter(|line| !line.points.is_empty())
            .collect();
        out.push_str(&charts::lines("各年度比率", &rates, true));
        let applications = Line {
            name: "申请量".to_owned(),
            points: audit
                .years
                .iter()
                .filter_map(|year| Some((year.year, year.derived.first()?.value?)))
                .collect(),
        };
        if !applications.points.is_empty() {
            out.push_str(&charts::lines(
                "各年度申请量（合计）",
                &[applications],
                false,
            ));
        }
        out.push('\n');
    }
    let timelines = timelines(audit);
    for (index, chunk) in timelines
        .chunks(LINES_PER_CHART)
        .take(TIMELINE_CHARTS)
        .enumerate()
    {
        let title = if timelines.len() > LINES_PER_CHART {
            format!("多个年度的机关：申请量（{}）", index + 1)
        } else {
            "多个年度的机关：申请量".to_owned()
        };
        out.push_str(&charts::lines(&title, chunk, false));
        out.push('\n');
    }
    out.push_str("</div>\n");
}

fn regions_section(out: &mut String, audit: &Audit) {
    if audit.regions.is_empty() {
        return;
    }
    out.push_str("<h2>各地区</h2>\n<table class=\"sortable\">\n<thead><tr>");
    for (index, title) in region_header().iter().enumerate() {
        let class = if index == 0 || index == 5 {
            ""
        } else {
            " class=\"num\""
        };
        let _ = write!(out, "<th{class}>{title}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for region in &audit.regions {
        out.push_str("<tr>");
        for (index, cell) in region_cells(region).iter().enumerate() {
            if index == 0 {
                let indent = region.depth.saturating_sub(1) * 2;
                let _ = write!(
                    out,
                    "<td style=\"padding-left:{}em\">{}</td>",
                    indent + 1,
                    esc(cell)
                );
            } else if index == 5 {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            } else {
                let _ = write!(out, "<td class=\"num\">{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The derived figures of every report; a blank's reason is its cell's tooltip.
fn data_section(out: &mut String, audit: &Audit) {
    out.push_str("<h2>各报告的数据</h2>\n<p>“—”为无法计算：所需数字未读出或分母为 0（鼠标悬停可见原因）。</p>\n<table class=\"sortable\">\n<thead><tr><th>文件</th><th>发布机关</th><th class=\"num\">年度</th>");
    for definition in DEFINITIONS {
        let _ = write!(
            out,
            "<th class=\"num\" title=\"{}\">{}</th>",
            esc(definition.formula),
            definition.name
        );
    }
    let _ = write!(
        out,
        "<th class=\"num\" title=\"{}\">{}</th></tr></thead>\n<tbody>\n",
        esc(super::derived::CHANGE_FORMULA),
        super::derived::CHANGE_NAME
    );
    for row in &audit.reports {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
            esc(&row.path),
            esc(row.issuer.as_deref().unwrap_or("—")),
            year(row.year)
        );
        for figure in &row.derived {
            let value = figure.value.map_or_else(String::new, |v| v.to_string());
            match &figure.blank {
                Some(why) => {
                    let _ = write!(
                        out,
                        "<td class=\"num blank\" data-v=\"{value}\" title=\"{}\">—</td>",
                        esc(why)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-v=\"{value}\">{}</td>",
                        figure.shown()
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// One self-contained HTML page: totals, a bar per rule, a sortable table of reports whose rows
/// link to each report's findings, the cross-year pairs. `results` are the run's results (for the
/// findings), in the order the summary was built from.
pub fn html(audit: &Audit, results: &[FileResult]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>政府信息公开工作年度报告检查汇总</title>\n",
    );
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    out.push_str("<h1>政府信息公开工作年度报告检查汇总</h1>\n");
    let _ = writeln!(out, "<p class=\"totals\">{}</p>", esc(&totals_line(audit)));

    charts_section(&mut out, audit);
    regions_section(&mut out, audit);
    out.push_str("<h2>各规则涉及的报告数</h2>\n<table>\n<thead><tr><th>代码</th><th>名称</th><th>严重程度</th><th class=\"num\">报告数</th><th>占比</th><th class=\"num\">问题数</th></tr></thead>\n<tbody>\n");
    let reports = audit.totals.reports.max(1);
    for rule in &audit.rules {
        // A bar of block characters: it survives mail clients and office suites, which drop
        // styled boxes and inline SVG.
        let blocks = (rule.reports * 30).div_ceil(reports);
        let bar = "█".repeat(blocks);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td><span class=\"bar\" style=\"color:{}\">{bar}</span></td><td class=\"num\">{}</td></tr>",
            esc(&rule.code),
            esc(&rule.name),
            rule.severity.name(),
            rule.reports,
            match rule.severity {
                Severity::Error => "#c0392b",
                Severity::Warning => "#e67e22",
                Severity::Info => "#2980b9",
            },
            rule.findings
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str("<h2>报告</h2>\n<p>点击表头排序；点击文件名查看该报告的问题。</p>\n<table class=\"sortable\">\n<thead><tr><th>文件</th><th>发布机关</th><th class=\"num\">年度</th><th>格式</th><th>类型</th><th class=\"num\">错误</th><th class=\"num\">警告</th><th class=\"num\">无法校验</th><th>主要问题</th></tr></thead>\n<tbody>\n");
    let report_results: Vec<&FileResult> = results
        .iter()
        .filter(|result| result.role == FileRole::Report)
        .collect();
    for (index, row) in audit.reports.iter().enumerate() {
        let top = row
            .top
            .iter()
            .map(|f| {
                format!(
                    "<span class=\"{}\">{}</span> {}",
                    severity_class(f.severity),
                    esc(&f.code),
                    esc(&f.message)
                )
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#r{index}\">{}</a></td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{top}</td></tr>",
            esc(&row.path),
            esc(row.issuer.as_deref().unwrap_or("—")),
            year(row.year),
            era(row),
            kind(row.kind),
            row.errors,
            row.warnings,
            row.not_assessable
        );
    }
    out.push_str("</tbody>\n</table>\n");

    data_section(&mut out, audit);
    out.push_str("<h2>跨年度核对</h2>\n<ul>\n");
    for line in cross_year_lines(audit) {
        let _ = writeln!(out, "<li>{}</li>", esc(line.trim()));
    }
    out.push_str("</ul>\n");

    out.push_str("<h2>各报告的问题</h2>\n");
    for (index, (row, result)) in audit.reports.iter().zip(&report_results).enumerate() {
        let _ = writeln!(
            out,
            "<section id=\"r{index}\">\n<h3>{}</h3>",
            esc(&row.path)
        );
        if result.diagnostics.is_empty() && result.not_assessable.is_empty() {
            out.push_str("<p>没有发现问题。</p>\n</section>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for d in &result.diagnostics {
            let line = d
                .labels_here()
                .find_map(|label| label.span)
                .map_or_else(String::new, |span| format!("第 {} 行：", span.line));
            let _ = writeln!(
                out,
                "<li><span class=\"{}\">{}[{} {}]</span> {}{}</li>",
                severity_class(d.severity),
                d.severity.name(),
                esc(&d.code),
                esc(&d.name),
                esc(&line),
                esc(&d.message)
            );
        }
        for item in &result.not_assessable {
            let _ = writeln!(
                out,
                "<li><span class=\"note\">无法校验[{} {}]</span> {}：{}</li>",
                esc(&item.code),
                esc(&item.name),
                esc(&item.check),
                esc(&item.reason)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    let waiver_results: Vec<&FileResult> = results
        .iter()
        .filter(|result| result.role == FileRole::Waivers)
        .collect();
    if !waiver_results.is_empty() {
        out.push_str("<h2>豁免文件的问题</h2>\n<ul>\n");
        for result in waiver_results {
            for d in &result.diagnostics {
                let _ = writeln!(
                    out,
                    "<li>{}：<span class=\"warn\">{}</span> {}</li>",
                    esc(&result.path),
                    esc(&d.code),
                    esc(&d.message)
                );
            }
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}
