//! Plain text: every non-blank line is a paragraph, except runs of short lines and number lines that
//! form a table flattened one cell per line (a label line followed by its figures), or laid out
//! with its figures after the label on one line (`pdftotext -layout`).
//!
//! Text copied out of a PDF is *hard-wrapped*: its lines break at the page width, inside
//! sentences. It is told apart from text whose every line is a paragraph by its many lines of the
//! same width that end mid-sentence; its lines are then joined into paragraphs (a full-width line
//! that does not end a sentence, followed by one that does not start a heading, an item or a table
//! row). Page numbers (`-3-`, `— 4 —`, `第 3 页`) are blanked in the canonical text (same length,
//! so every line keeps its place) and a paragraph runs on across them.
//!
//! Flattened text loses blank cells, so rows may come out short; the table is marked `Flattened`
//! so that later stages never guess which column a surviving figure belongs to.

use std::sync::LazyLock;

use regex::Regex;

use super::cell::classify;
use super::{Block, Cell, Row, Table, TableKind};
use crate::text::{TextRange, trim_range};

/// Lines longer than this (in chars) are prose, never table labels.
const MAX_LABEL_CHARS: usize = 64;

/// A run of table lines becomes a table only with at least this many figures, in two or more rows
/// or under a header line (表四 is one row of 15 figures under its header).
const MIN_TABLE_VALUES: usize = 4;

static TOP_LEVEL_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[一二三四五六七八九十]{1,3}\s*[、.．]").expect("ordinal pattern is valid")
});

#[derive(Debug)]
enum LineClass {
    /// A short line: a label, a heading or a caption.
    Short,
    /// A line holding only figures (one, or several separated by spaces).
    Values(Vec<TextRange>),
    /// A label followed on the same line by its figures, set apart by spaces (a table laid out
    /// as on the page).
    LabelValues(TextRange, Vec<TextRange>),
    /// Anything else.
    Prose,
    /// A table drawn with characters (its index among the text's grid tables), standing for all
    /// its lines.
    Grid(usize),
    /// A converter's placeholder where it dropped a table or a picture (`[TABLE]`).
    Placeholder,
}

/// Placeholders converters write for what they could not render.
const PLACEHOLDERS: &[&str] = &[
    "[TABLE]", "[Table]", "[IMAGE]", "[Image]", "[表格]", "[图片]",
];

/// How a plain text was read, for `--verbose`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextReading {
    /// The width (in half-width columns) at which a hard-wrapped text breaks its lines; `None`
    /// when every line is a paragraph.
    pub wrap_width: Option<usize>,
    /// Lines joined into the paragraph before them.
    pub joined: usize,
    /// Page numbers left out.
    pub page_numbers: usize,
}

impl TextReading {
    /// In words, for the user.
    pub fn describe(&self) -> String {
        let mut out = match self.wrap_width {
            Some(width) => format!(
                "按页面宽度（约 {width} 半角字符）折行的文本，{} 行已接回所在段落",
                self.joined
            ),
            None => "每行一段的文本".to_owned(),
        };
        if self.page_numbers > 0 {
            out.push_str(&format!("，略去页码 {} 处", self.page_numbers));
        }
        out
    }
}

#[derive(Debug)]
struct Line {
    range: TextRange,
    class: LineClass,
}

/// Splits text into paragraphs and flattened tables.
pub(super) fn read(text: String) -> (String, Vec<Block>, TextReading) {
    let (text, page_numbers) = blank_page_numbers(text);
    let mut grids: Vec<Option<Table>> = super::grid_text::find(&text)
        .into_iter()
        .map(Some)
        .collect();
    let mut lines = classify_lines(&text, &grids);
    let wrap_width = wrap_width(&text, &lines);
    let joined = match wrap_width {
        Some(width) => join_wrapped(&text, &mut lines, width),
        None => 0,
    };
    let blocks = blocks(&text, &lines, &mut grids);
    let reading = TextReading {
        wrap_width,
        joined,
        page_numbers,
    };
    (text, blocks, reading)
}

/// The text with its page-number lines blanked (each byte a space, line breaks kept), and how
/// many there were.
fn blank_page_numbers(text: String) -> (String, usize) {
    let mut count = 0;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if super::is_page_furniture(content) {
            count += 1;
            out.extend(std::iter::repeat_n(' ', content.len()));
            out.push_str(&line[content.len()..]);
        } else {
            out.push_str(line);
        }
    }
    (out, count)
}

/// The width of a line in half-width columns (a CJK character is two).
fn width(line: &str) -> usize {
    line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with([
        '。', '！', '？', '；', '：', '!', '?', ';', '”', '」', '）', ')',
    ])
}

/// The width at which the text breaks its lines, if it is hard-wrapped: at least a quarter of its
/// prose lines (and five) reach within two columns of the same width without ending a sentence.
fn wrap_width(text: &str, lines: &[Line]) -> Option<usize> {
    let prose: Vec<(usize, bool)> = lines
        .iter()
        .filter(|line| {
            !matches!(
                line.class,
                LineClass::Values(_) | LineClass::LabelValues(..)
            )
        })
        .map(|line| line.range.slice(text))
        .filter(|content| !content.is_ascii() && !laid_out(content))
        .map(|content| (width(content), ends_sentence(content)))
        .filter(|(width, _)| *width >= 30)
        .collect();
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for (width, ends) in &prose {
        if !ends {
            *counts.entry(*width).or_default() += 1;
        }
    }
    let (best, at) = counts
        .keys()
        .map(|&width| {
            let near: usize = counts
                .range(width.saturating_sub(2)..=width)
                .map(|(_, n)| n)
                .sum();
            (near, width)
        })
        .max()?;
    (best >= 5 && best * 4 >= prose.len()).then_some(at)
}

/// Joins the lines of a hard-wrapped text that continue a sentence into the line before, making
/// one line (of several) per paragraph; returns how many lines were joined.
fn join_wrapped(text: &str, lines: &mut Vec<Line>, width: usize) -> usize {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut joined = 0;
    let mut continues = false;
    for line in lines.drain(..) {
        let content = line.range.slice(text);
        let starts_new = super::starts_numbered(content)
            || matches!(
                line.class,
                LineClass::Values(_) | LineClass::LabelValues(..)
            )
            || indented(text, line.range);
        if continues
            && !starts_new
            && let Some(previous) = out.last_mut()
        {
            previous.range = previous.range.cover(line.range);
            previous.class = LineClass::Prose;
            joined += 1;
        } else {
            out.push(line);
        }
        let Some(last) = out.last() else {
            continue;
        };
        // The last physical line of the paragraph so far decides whether it goes on.
        let tail = last.range.slice(text).rsplit('\n').next().unwrap_or("");
        continues = matches!(last.class, LineClass::Short | LineClass::Prose)
            && crate::source::plain::width(tail.trim()) + 6 >= width
            && !ends_sentence(tail)
            && !laid_out(tail.trim());
    }
    *lines = out;
    joined
}

/// Whether a line spreads its words across the page with runs of spaces (a table's header laid
/// out as on the page), rather than running as prose.
fn laid_out(line: &str) -> bool {
    line.contains("   ")
}

/// Whether a line starts with two or more spaces (a paragraph's first line in a laid-out copy).
fn indented(text: &str, range: TextRange) -> bool {
    let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
    let leading = &text[line_start..range.start];
    leading.chars().filter(|c| *c == ' ').count() >= 2 || leading.contains('\u{3000}')
}

/// The paragraphs and flattened tables of some lines of a text (each a range of one line), as
/// the plain-text reader would make of them: for converters' Markdown, where a table came out as
/// one cell per line.
pub(super) fn blocks_from_lines(text: &str, ranges: &[TextRange]) -> Vec<Block> {
    let lines: Vec<Line> = ranges
        .iter()
        .map(|&range| Line {
            range,
            class: classify_line(text, range),
        })
        .collect();
    blocks(text, &lines, &mut Vec::new())
}

/// Whether a line stands on its own, outside runs of table lines.
fn stands_alone(line: &Line) -> bool {
    matches!(
        line.class,
        LineClass::Prose | LineClass::Grid(_) | LineClass::Placeholder
    )
}

fn blocks(text: &str, lines: &[Line], grids: &mut [Option<Table>]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match lines[i].class {
            LineClass::Prose => blocks.push(Block::Paragraph(lines[i].range)),
            LineClass::Placeholder => blocks.push(Block::Image(lines[i].range)),
            LineClass::Grid(index) => {
                if let Some(table) = grids.get_mut(index).and_then(Option::take) {
                    blocks.push(Block::Table(table));
                }
            }
            _ => {
                let end = lines[i..]
                    .iter()
                    .position(stands_alone)
                    .map_or(lines.len(), |offset| i + offset);
                read_run(text, &lines[i..end], &mut blocks);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    blocks
}

/// The text's lines, classified; a grid table's lines are one line standing for the table.
fn classify_lines(text: &str, grids: &[Option<Table>]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut next_grid: usize = 0;
    for piece in text.split_inclusive('\n') {
        let line_start = start;
        let range = trim_range(text, TextRange::new(start, start + piece.len()));
        start += piece.len();
        if range.is_empty() {
            continue;
        }
        let grid = grids
            .iter()
            .enumerate()
            .skip(next_grid.saturating_sub(1))
            .find_map(|(index, table)| {
                let table = table.as_ref()?;
                (table.range.start <= line_start + piece.len() && line_start < table.range.end)
                    .then_some((index, table.range))
            });
        if let Some((index, table_range)) = grid {
            if index + 1 != next_grid {
                next_grid = index + 1;
                lines.push(Line {
                    range: table_range,
                    class: LineClass::Grid(index),
                });
            }
            continue;
        }
        let class = if PLACEHOLDERS.contains(&range.slice(text)) {
            LineClass::Placeholder
        } else {
            classify_line(text, range)
        };
        lines.push(Line { range, class });
    }
    lines
}

fn classify_line(text: &str, range: TextRange) -> LineClass {
    let content = range.slice(text);
    if classify(content).is_value_like() {
        return LineClass::Values(vec![range]);
    }
    let tokens = split_tokens(text, range);
    if tokens.len() > 1
        && tokens
            .iter()
            .all(|token| classify(token.slice(text)).is_value_like())
    {
        return LineClass::Values(tokens);
    }
    if let Some(class) = label_values(text, &tokens) {
        return class;
    }
    // Spaces do not count: a laid-out copy spreads a row of headers across the page.
    let is_short = content.chars().filter(|c| !c.is_whitespace()).count() <= MAX_LABEL_CHARS
        && !content.contains(['。', '；', '！', '？'])
        && !content.ends_with([';', '!', '?']);
    if is_short {
        LineClass::Short
    } else {
        LineClass::Prose
    }
}

/// A label followed by figures set apart by spaces: two or more figures, or one after a gap of two
/// or more spaces (`行政许可          447228`). A sentence that ends in a number is not one.
fn label_values(text: &str, tokens: &[TextRange]) -> Option<LineClass> {
    let figures = tokens
        .iter()
        .rev()
        .take_while(|token| classify(token.slice(text)).is_value_like())
        .count();
    let labels = tokens.len().checked_sub(figures)?;
    if figures == 0 || labels == 0 {
        return None;
    }
    let label = tokens[0].cover(tokens[labels - 1]);
    let label_text = label.slice(text);
    let first_figure = tokens[labels];
    let gap = text.get(label.end..first_figure.start).unwrap_or("");
    let apart = figures >= 2 || gap.chars().filter(|c| *c == ' ').count() >= 2;
    let is_label = !label_text.is_ascii()
        && label_text.chars().count() <= MAX_LABEL_CHARS + 16
        && !label_text.contains(['。', '；', '！', '？', '，']);
    (apart && is_label).then(|| LineClass::LabelValues(label, tokens[labels..].to_vec()))
}

/// Whitespace-separated tokens of a line, as ranges.
fn split_tokens(text: &str, range: TextRange) -> Vec<TextRange> {
    let mut tokens = Vec::new();
    let mut token_start = None;
    for (offset, c) in range.slice(text).char_indices() {
        let at = range.start + offset;
        match (c.is_whitespace(), token_start) {
            (true, Some(start)) => {
                tokens.push(TextRange::new(start, at));
                token_start = None;
            }
            (false, None) => token_start = Some(at),
            _ => {}
        }
    }
    if let Some(start) = token_start {
        tokens.push(TextRange::new(start, range.end));
    }
    tokens
}

/// A run of short and value lines: split at captions, keep the parts that hold a table.
fn read_run(text: &str, run: &[Line], blocks: &mut Vec<Block>) {
    // For each line, how many lines after it come before the next one holding figures: computed
    // once from the end, so that the look-ahead of every line is not a scan of the rest.
    let mut labels_before_values = vec![None; run.len()];
    let mut next_value: Option<usize> = None;
    for k in (0..run.len()).rev() {
        labels_before_values[k] = next_value.map(|at| at - k - 1);
        if has_values(&run[k]) {
            next_value = Some(k);
        }
    }
    let mut segment_start = 0;
    for (k, line) in run.iter().enumerate() {
        if is_caption(text, run, k, labels_before_values[k]) {
            read_segment(text, &run[segment_start..k], blocks);
            blocks.push(Block::Paragraph(line.range));
            segment_start = k + 1;
        }
    }
    read_segment(text, &run[segment_start..], blocks);
}

/// A top-level numbered line (`三、…`) that is not a row label: it is followed by two or more label
/// lines before the next figure, by a header laid out across the page, or by no figure at all.
/// (`三、本年度办理结果` is followed by `（一）予以公开` and then figures, so it stays inside its
/// table.)
fn is_caption(text: &str, run: &[Line], k: usize, labels_before_values: Option<usize>) -> bool {
    let line = &run[k];
    if !matches!(line.class, LineClass::Short)
        || !TOP_LEVEL_ORDINAL.is_match(line.range.slice(text))
    {
        return false;
    }
    // Counted once for the whole run (`labels_before_values`): a scan per line was quadratic.
    match labels_before_values {
        None => true,
        Some(0) => false,
        Some(1) => laid_out(run[k + 1].range.slice(text)),
        Some(_) => true,
    }
}

fn has_values(line: &Line) -> bool {
    matches!(
        line.class,
        LineClass::Values(_) | LineClass::LabelValues(..)
    )
}

fn read_segment(text: &str, segment: &[Line], blocks: &mut Vec<Block>) {
    let last_value = segment.iter().rposition(has_values);
    let Some(last_value) = last_value else {
        blocks.extend(segment.iter().map(|line| Block::Paragraph(line.range)));
        return;
    };
    let (body, trailing) = segment.split_at(last_value + 1);
    match build_table(text, body) {
        Some(table) => blocks.push(Block::Table(table)),
        None => blocks.extend(body.iter().map(|line| Block::Paragraph(line.range))),
    }
    blocks.extend(trailing.iter().map(|line| Block::Paragraph(line.range)));
}

/// Rows are a label line followed by the value lines under it; leading label lines are headers.
fn build_table(text: &str, lines: &[Line]) -> Option<Table> {
    let mut rows: Vec<Row> = Vec::new();
    let mut values = 0;
    for line in lines {
        match &line.class {
            LineClass::Short | LineClass::Prose | LineClass::Grid(_) | LineClass::Placeholder => {
                rows.push(Row {
                    range: line.range,
                    cells: vec![make_cell(text, line.range, 0)],
                })
            }
            LineClass::LabelValues(label, tokens) => {
                let mut cells = vec![make_cell(text, *label, 0)];
                for &token in tokens {
                    cells.push(make_cell(text, token, cells.len()));
                    values += 1;
                }
                rows.push(Row {
                    range: line.range,
                    cells,
                });
            }
            LineClass::Values(tokens) => {
                if rows.is_empty() {
                    rows.push(Row {
                        range: line.range,
                        cells: Vec::new(),
                    });
                }
                let row = rows.last_mut()?;
                for &token in tokens {
                    let column = row.cells.len();
                    row.cells.push(make_cell(text, token, column));
                    values += 1;
                }
                row.range = row.range.cover(line.range);
            }
        }
    }
    let value_rows = rows
        .iter()
        .filter(|row| row.cells.iter().any(|cell| cell.content.is_value_like()))
        .count();
    let has_header = rows.len() > value_rows;
    if values < MIN_TABLE_VALUES || (value_rows < 2 && !has_header) {
        return None;
    }
    let range = rows.first()?.range.cover(rows.last()?.range);
    Some(Table::new(range, rows, TableKind::Flattened))
}

fn make_cell(text: &str, range: TextRange, column: usize) -> Cell {
    let content_text = range.slice(text);
    Cell {
        range,
        text: content_text.to_owned(),
        content: classify(content_text),
        column,
        column_span: 1,
        row_span: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<Table> {
        let (_, blocks, _) = read(text.to_owned());
        blocks
            .into_iter()
            .filter_map(|block| match block {
                Block::Table(table) => Some(table),
                Block::Paragraph(_) | Block::Image(_) => None,
            })
            .collect()
    }

    fn paragraphs(text: &str) -> Vec<String> {
        let (text, blocks, _) = read(text.to_owned());
        blocks
            .iter()
            .filter_map(|block| match block {
                Block::Paragraph(range) => Some(range.slice(&text).to_owned()),
                Block::Table(_) | Block::Image(_) => None,
            })
            .collect()
    }

    const FLATTENED: &str = "三、收到和处理政府信息公开申请情况\n\n申请人情况\n\n自然人\n\n总计\n\n\
        一、本年新收政府信息公开申请数量\n\n3\n\n1\n\n4\n\n二、上年结转政府信息公开申请数量\n\n0\n\n0\n\n0\n\n\
        三、本年度办理结果\n\n（一）予以公开\n\n2\n\n1\n\n3\n\n四、结转下年度继续办理\n\n1\n\n0\n\n1\n\n\
        四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n\n行政诉讼\n\n0 0 0 0 0\n\n\
        五、存在的主要问题及改进情况\n\n这是一段很长的正文。";

    #[test]
    fn flattened_rows_are_label_then_values() {
        let tables = tables(FLATTENED);
        assert_eq!(tables.len(), 2, "{tables:#?}");
        let first = &tables[0];
        assert_eq!(first.kind, TableKind::Flattened);
        let labels: Vec<&str> = first
            .rows
            .iter()
            .map(|row| row.cells[0].text.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "申请人情况",
                "自然人",
                "总计",
                "一、本年新收政府信息公开申请数量",
                "二、上年结转政府信息公开申请数量",
                "三、本年度办理结果",
                "（一）予以公开",
                "四、结转下年度继续办理"
            ]
        );
        assert_eq!(first.rows[3].cells.len(), 4);
        assert_eq!(tables[1].rows.last().unwrap().cells.len(), 6);
    }

    #[test]
    fn captions_and_trailing_headings_stay_paragraphs() {
        let paragraphs = paragraphs(FLATTENED);
        assert_eq!(
            paragraphs,
            [
                "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题及改进情况",
                "这是一段很长的正文。"
            ]
        );
    }

    #[test]
    fn a_stray_dash_is_not_a_table() {
        assert!(tables("关联稿件:\n-\n扫一扫在手机打开当前页\n").is_empty());
    }
}
