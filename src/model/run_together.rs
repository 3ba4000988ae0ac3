//! Tables whose figures ran together when a crawler flattened a page to text: the body on one line
//! and each row's cells written as one number (`…申请数量713000074二、上年结转…`).
//!
//! Rows are found by their labels, in order; a row's figures are the digits (and spaces) between
//! its label and the next. When the next label starts with an ordinal digit (`2.其他法律…`), that
//! digit belongs to the label. A space is a boundary between cells. A row is recovered only when
//! exactly one split is possible ([`split`]); otherwise it is unreadable: the report may be fine,
//! the copy is not.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::layout::{self, Domain, Edition, T2RowSpec, TableId};
use super::split::{Split, split};
use super::tables::{
    RowCells, RunTogether, T3Matcher, TableSource, TypedCell, TypedRow, TypedTable,
};
use crate::source::{Document, cell::classify};
use crate::text::{Folded, TextRange};

/// Words that mark a paragraph holding one of the tables.
const TABLE_WORDS: &[&str] = &["本年新收", "勾稽", "第二十条", "行政复议"];

/// Where a numbered label starts: `一、`, `(一)`, `1.` / `1、` (normalised forms).
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\)|[0-9][.、]")
        .expect("ordinal pattern is valid")
});

/// A label and the run of figures after it (byte ranges of the normalised paragraph).
struct Pair {
    label: Range<usize>,
    values: Range<usize>,
}

/// One paragraph, normalised with its spaces kept, cut into label / figures pairs.
struct RunOn {
    folded: Folded,
    pairs: Vec<Pair>,
}

impl RunOn {
    fn new(doc: &Document, range: TextRange) -> Self {
        let folded = Folded::with_spaces(doc.slice(range), range.start);
        let pairs = pairs(folded.as_str());
        Self { folded, pairs }
    }

    fn text(&self, range: &Range<usize>) -> &str {
        self.folded.as_str().get(range.clone()).unwrap_or("")
    }

    /// A label without the spaces a crawler left inside it (`本年度办 理结果`).
    fn label(&self, pair: &Pair) -> String {
        self.text(&pair.label).replace(' ', "")
    }

    fn source(&self, range: &Range<usize>) -> TextRange {
        self.folded.source_range(range.clone())
    }
}

/// Cuts text into alternating labels and runs of figures.
fn pairs(text: &str) -> Vec<Pair> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_value = |i: usize| -> bool {
        let c = chars[i].1;
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        match c {
            '0'..='9' | ' ' => true,
            '.' => {
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            }
            // A sign opens a figure, also right after another one (`35-15`: 35 | -15).
            '-' | '+' => next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        }
    };
    // Runs of value characters that hold a digit; everything else is label.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_value(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_value(i) {
            i += 1;
        }
        let byte = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
        let (mut from, mut to) = (byte(start), byte(i));
        // A digit followed by `.`/`、` opens the next label (`00000002.其他…`).
        let next = chars.get(i).map(|&(_, c)| c);
        if matches!(next, Some('.' | '、'))
            && text[from..to].ends_with(|c: char| c.is_ascii_digit())
        {
            to -= 1;
        }
        let run = &text[from..to];
        let trimmed_start = run.len() - run.trim_start().len();
        from += trimmed_start;
        to = from + text[from..to].trim_end().len();
        if text[from..to].contains(|c: char| c.is_ascii_digit()) {
            runs.push(from..to);
        }
    }
    let mut pairs = Vec::with_capacity(runs.len() + 1);
    let mut label_start = 0;
    for run in runs {
        pairs.push(Pair {
            label: label_start..run.start,
            values: run.clone(),
        });
        label_start = run.end;
    }
    if label_start < text.len() {
        pairs.push(Pair {
            label: label_start..text.len(),
            values: text.len()..text.len(),
        });
    }
    pairs
}

/// The parts of a label that each start with an ordinal, as ranges of `label`; the last names the
/// row, the others are the groups above it (`（三）不予公开1.属于国家秘密`).
fn pieces(label: &str) -> Vec<Range<usize>> {
    let starts: Vec<usize> = ORDINAL.find_iter(label).map(|m| m.start()).collect();
    let mut out = Vec::with_capacity(starts.len() + 1);
    if starts.first() != Some(&0) {
        out.push(0..starts.first().copied().unwrap_or(label.len()));
    }
    for (k, &start) in starts.iter().enumerate() {
        out.push(start..starts.get(k + 1).copied().unwrap_or(label.len()));
    }
    out
}

/// The figures of a run as written, as ranges of the paragraph (the run starts at byte `offset`):
/// separated by spaces, or by a sign that follows a digit (`35-15` is 35 | -15).
fn figures_as_written(text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut after_digit = false;
    for (i, c) in text.char_indices() {
        if (c == ' ' || (matches!(c, '-' | '+') && after_digit))
            && let Some(start) = open.take()
        {
            out.push(offset + start..offset + i);
        }
        if c != ' ' && open.is_none() {
            open = Some(i);
        }
        after_digit = c.is_ascii_digit();
    }
    if let Some(start) = open {
        out.push(offset + start..offset + text.len());
    }
    out
}

/// Each digit of a run with the sign before it, as ranges of the paragraph: the cells when a row
/// has one digit per cell.
fn digits_with_signs(text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut sign: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '-' | '+') {
            sign = Some(i);
        } else if c.is_ascii_digit() {
            out.push(offset + sign.take().unwrap_or(i)..offset + i + 1);
        }
    }
    out
}

/// Reads the figures after a label into a row's cells. `groups` is the row's arithmetic for the
/// split (表三 `[7]`, 表四 `[5, 5, 5]`, 表二 one group of one per cell).
fn read_cells(
    run: &RunOn,
    values: &Range<usize>,
    columns: usize,
    groups: &[usize],
) -> (RowCells, Option<RunTogether>) {
    let text = run.text(values);
    // Figures as written: separated by spaces, or by a sign that follows a digit (`35-15`).
    let tokens = figures_as_written(text, values.start);
    let units = digits_with_signs(text, values.start);
    let cell = |range: Range<usize>, recovered: bool| TypedCell {
        content: classify(run.text(&range)),
        range: run.source(&range),
        recovered,
    };
    // Spaces between every pair of figures: the cells are as written.
    if tokens.len() == columns {
        return (
            RowCells::Aligned(tokens.into_iter().map(|r| cell(r, false)).collect()),
            None,
        );
    }
    let source = run.source(values);
    let cuts = if units.len() == columns {
        // One digit per cell: the only possible split, whatever the arithmetic says.
        Some(units)
    } else {
        match split(text, groups) {
            Split::Unique(cuts) => Some(
                cuts.into_iter()
                    .map(|(a, b)| values.start + a..values.start + b)
                    .collect(),
            ),
            Split::Ambiguous => None,
        }
    };
    match cuts {
        Some(cuts) => (
            RowCells::Aligned(cuts.into_iter().map(|r| cell(r, true)).collect()),
            Some(RunTogether {
                range: source,
                recovered: true,
            }),
        ),
        None => (
            RowCells::Unreadable,
            Some(RunTogether {
                range: source,
                recovered: false,
            }),
        ),
    }
}

/// Reads tables 二, 三 and 四 from run-on paragraphs, for the ids in `wanted`.
pub fn read(doc: &Document, year: Option<i32>, wanted: &[TableId]) -> Vec<TypedTable> {
    let mut tables = Vec::new();
    for range in doc.paragraphs() {
        if tables.len() == wanted.len() {
            break;
        }
        let raw = doc.slice(range);
        if !TABLE_WORDS.iter().any(|word| raw.contains(word)) {
            continue;
        }
        let run = RunOn::new(doc, range);
        for &id in wanted {
            if tables.iter().any(|table: &TypedTable| table.id == id) {
                continue;
            }
            let table = match id {
                TableId::T2 => read_t2(&run, year),
                TableId::T3 => read_t3(&run, year),
                TableId::T4 => read_t4(&run),
            };
            tables.extend(table);
        }
    }
    tables
}

fn table(
    id: TableId,
    edition: Option<Edition>,
    run: &RunOn,
    span: Option<Range<usize>>,
    rows: Vec<TypedRow>,
) -> TypedTable {
    TypedTable {
        id,
        edition,
        range: span.map_or_else(TextRange::default, |span| run.source(&span)),
        source: TableSource::RunTogether,
        rows,
        unrecognised: Vec::new(),
    }
}

fn read_t3(run: &RunOn, year: Option<i32>) -> Option<TypedTable> {
    let start = run
        .pairs
        .iter()
        .position(|pair| run.label(pair).contains("本年新收"))?;
    let mut matcher = T3Matcher::default();
    let mut found: HashMap<&'static str, (Range<usize>, Range<usize>)> = HashMap::new();
    let mut end = run.pairs[start].values.end;
    for pair in &run.pairs[start..] {
        let label = run.text(&pair.label);
        let clean = |range: &Range<usize>| label[range.clone()].replace(' ', "");
        if clean(&(0..label.len())).contains("行政复议") || label.chars().count() > 200 {
            break;
        }
        let parts = pieces(label);
        let Some((last, groups)) = parts.split_last() else {
            continue;
        };
        for group in groups {
            matcher.observe(&clean(group));
        }
        matcher.observe(&clean(last));
        if pair.values.is_empty() {
            continue;
        }
        if let Some(spec) = matcher.row(&clean(last)) {
            let own = pair.label.start + last.start
                ..pair.label.start + last.start + label[last.clone()].trim_end().len();
            found.entry(spec.key).or_insert((own, pair.values.clone()));
            end = pair.values.end;
        }
    }
    if found.len() < 2 {
        return None;
    }
    let edition = layout::t3_edition(found.keys().copied(), year);
    let columns = layout::T3_COLUMNS.len();
    let rows = layout::t3_rows(edition)
        .map(|spec| {
            let (label, cells, run_together) = match found.get(spec.key) {
                Some((label, values)) => {
                    let (cells, run_together) = read_cells(run, values, columns, &[columns]);
                    (Some(run.source(label)), cells, run_together)
                }
                None => (None, RowCells::Missing, None),
            };
            TypedRow {
                key: spec.key,
                display: spec.display,
                label,
                columns: layout::T3_COLUMNS
                    .iter()
                    .map(|name| (*name, Domain::Count))
                    .collect(),
                cells,
                run_together,
            }
        })
        .collect();
    let span = run.pairs[start].label.start..end;
    Some(table(TableId::T3, Some(edition), run, Some(span), rows))
}

fn read_t4(run: &RunOn) -> Option<TypedTable> {
    let pair = run.pairs.iter().find(|pair| {
        let label = run.label(pair);
        label.contains("行政复议")
            && (label.contains("复议后起诉") || label.contains("结果维持"))
            && !pair.values.is_empty()
    })?;
    let width = layout::T4_COLUMNS.len();
    let total = layout::T4_GROUPS.len() * width;
    let (cells, run_together) = read_cells(run, &pair.values, total, &[width; 3]);
    let label = run.source(&pair.values);
    let rows = layout::T4_GROUPS
        .iter()
        .enumerate()
        .map(|(g, group)| TypedRow {
            key: group,
            display: group,
            label: Some(label),
            columns: layout::T4_COLUMNS
                .iter()
                .map(|name| (*name, Domain::Count))
                .collect(),
            cells: match &cells {
                RowCells::Aligned(all) => {
                    RowCells::Aligned(all[g * width..(g + 1) * width].to_vec())
                }
                other => other.clone(),
            },
            run_together: run_together.clone(),
        })
        .collect();
    Some(table(
        TableId::T4,
        None,
        run,
        Some(pair.label.start..pair.values.end),
        rows,
    ))
}

fn read_t2(run: &RunOn, year: Option<i32>) -> Option<TypedTable> {
    let start = run.pairs.iter().position(|pair| {
        run.label(pair).contains("第二十条") || run.label(pair).contains("信息内容")
    })?;
    let mut region = Vec::new();
    for pair in &run.pairs[start..] {
        let label = run.label(pair);
        if label.contains("收到和处理") || label.contains("勾稽") || label.contains("本年新收")
        {
            break;
        }
        region.push((label, pair));
    }
    let words: String = region.iter().map(|(label, _)| label.as_str()).collect();
    let edition = layout::t2_edition(&words, year);
    let specs = layout::t2_rows(edition);
    let mut by_length: Vec<&T2RowSpec> = specs.iter().collect();
    by_length.sort_by_key(|spec| std::cmp::Reverse(spec.key.len()));
    let mut found: HashMap<&'static str, &Pair> = HashMap::new();
    for (label, pair) in &region {
        if pair.values.is_empty() {
            continue;
        }
        let label = label.trim_end_matches(|c: char| !c.is_alphanumeric());
        if let Some(spec) = by_length.iter().find(|spec| label.ends_with(spec.key)) {
            found.entry(spec.key).or_insert(pair);
        }
    }
    if found.is_empty() {
        return None;
    }
    let rows = specs
        .iter()
        .map(|spec| {
            let (label, cells, run_together) = match found.get(spec.key) {
                Some(pair) => {
                    let columns = spec.columns.len();
                    let (cells, run_together) =
                        read_cells(run, &pair.values, columns, &vec![1; columns]);
                    let label_end = pair.label.end;
                    let label_start = label_end
                        .saturating_sub(spec.key.len())
                        .max(pair.label.start);
                    (
                        Some(run.source(&(label_start..label_end))),
                        cells,
                        run_together,
                    )
                }
                None => (None, RowCells::Missing, None),
            };
            TypedRow {
                key: spec.key,
                display: spec.key,
                label,
                columns: spec.columns.to_vec(),
                cells,
                run_together,
            }
        })
        .collect();
    let end = region
        .last()
        .map_or(run.pairs[start].values.end, |(_, pair)| pair.values.end);
    Some(table(
        TableId::T2,
        Some(edition),
        run,
        Some(run.pairs[start].label.start..end),
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceKind, read_bytes};

    fn cells(table: &TypedTable, key: &str) -> Option<Vec<String>> {
        match &table.row(key)?.cells {
            RowCells::Aligned(cells) => Some(
                cells
                    .iter()
                    .map(|cell| match &cell.content {
                        crate::source::CellContent::Number(n) => n.value.to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    #[test]
    fn run_together_rows_are_split_only_when_one_reading_exists() {
        let body = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\
            申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\
            一、本年新收政府信息公开申请数量713000074二、上年结转政府信息公开申请数量1000001\
            三、本年度办理结果（一）予以公开210000021（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000\
            （四）无法提供1.本机关不掌握相关政府信息220000325（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\
            3.其他0200002（七）总计723000075四、结转下年度继续办理0000000 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼\
            结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计\
            结果维持结果纠正其他结果尚未审结总计0 1 1 0 2 1 0 0 0 1 0 0 0 0 0 五、存在的主要问题及改进情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2022), &[TableId::T3, TableId::T4]);
        let t3 = tables.iter().find(|t| t.id == TableId::T3).unwrap();
        assert_eq!(t3.source, TableSource::RunTogether);
        assert_eq!(t3.edition, Some(Edition::Y2021));
        assert_eq!(
            cells(t3, "一").unwrap(),
            ["71", "3", "0", "0", "0", "0", "74"]
        );
        assert_eq!(cells(t3, "（三）1").unwrap(), ["0"; 7]);
        assert_eq!(cells(t3, "（三）2").unwrap(), ["0"; 7]);
        assert!(matches!(
            t3.row("（四）1").unwrap().cells,
            RowCells::Unreadable
        ));
        assert_eq!(cells(t3, "（六）1").unwrap(), ["0"; 7]);
        assert!(
            t3.row("（六）1").unwrap().run_together.is_none(),
            "spaced figures are read as written"
        );
        assert_eq!(
            cells(t3, "（六）3").unwrap(),
            ["0", "2", "0", "0", "0", "0", "2"]
        );
        assert_eq!(
            cells(t3, "（七）").unwrap(),
            ["72", "3", "0", "0", "0", "0", "75"]
        );
        assert!(matches!(t3.row("（二）").unwrap().cells, RowCells::Missing));
        let t4 = tables.iter().find(|t| t.id == TableId::T4).unwrap();
        assert_eq!(cells(t4, "行政复议").unwrap(), ["0", "1", "1", "0", "2"]);
        let recovered = t3.row("一").unwrap();
        assert!(recovered.run_together.as_ref().unwrap().recovered);
        assert_eq!(
            doc.slice(recovered.run_together.as_ref().unwrap().range),
            "713000074"
        );
    }

    #[test]
    fn table_two_rows_need_one_digit_per_cell_or_spaces() {
        let body = "二、主动公开政府信息情况第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件8855698\
            第二十条第（五）项信息内容本年处理决定数量行政许可10690第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费9116.36 \
            三、收到和处理政府信息公开申请情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2022), &[TableId::T2]);
        let t2 = &tables[0];
        assert_eq!(t2.edition, Some(Edition::Y2021));
        assert_eq!(cells(t2, "规章").unwrap(), ["0", "0", "0"]);
        assert!(matches!(
            t2.row("行政规范性文件").unwrap().cells,
            RowCells::Unreadable
        ));
        assert_eq!(cells(t2, "行政许可").unwrap(), ["10690"]);
        assert_eq!(cells(t2, "行政事业性收费").unwrap(), ["9116.36"]);
    }

    #[test]
    fn a_sign_after_a_figure_starts_the_next_cell() {
        let body = "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章007\
            第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚2648-18538行政强制3-12\
            第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费35-15\
            三、收到和处理政府信息公开申请情况";
        let doc = read_bytes(body.as_bytes(), Some(SourceKind::Text)).unwrap();
        let tables = read(&doc, Some(2020), &[TableId::T2]);
        let t2 = &tables[0];
        assert_eq!(t2.edition, Some(Edition::Y2019));
        assert_eq!(cells(t2, "行政事业性收费").unwrap(), ["35", "-15"]);
        assert!(
            t2.row("行政事业性收费").unwrap().run_together.is_none(),
            "the sign separates the figures as written"
        );
        assert_eq!(cells(t2, "行政强制").unwrap(), ["3", "-1", "2"]);
        assert!(matches!(
            t2.row("行政处罚").unwrap().cells,
            RowCells::Unreadable
        ));
    }
}
