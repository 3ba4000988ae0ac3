//! Markdown, as converters (pandoc, MinerU, marker, markitdown) and people write it, read with a
//! CommonMark + GFM parser (pulldown-cmark).
//!
//! The canonical text is the rendered text, one line per paragraph or heading and one per table
//! row, each block written on the line it starts on in the file when it can be (blank lines are
//! added before it), so that a finding's line is the file's line. Headings (ATX and setext) are
//! headings; a paragraph's soft line breaks join it; pipe tables are tables; raw HTML — the
//! `<table>` blocks converters emit for merged cells — goes through the HTML renderer, a `<table>`
//! taken whole from the file even where blank lines cut it into several Markdown blocks; an image
//! is an image (a table published as a picture).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::canvas::{Canvas, RawCell};
use super::html::render_fragment;
use super::{Block, TableKind};
use crate::text::{LineIndex, TextRange};

/// A pipe table being read.
#[derive(Default)]
struct PipeTable {
    rows: Vec<Vec<RawCell>>,
    row: Vec<RawCell>,
    cell: Option<String>,
    /// The row being read is a line without a pipe that GFM's lazy continuation took into the
    /// table: text, not a row (converters write prose right after a table).
    prose: bool,
}

/// Inline formatting tags of the HTML converters leave in Markdown (Word's `<span style=…>`
/// soup, often cut over lines inside a table row, where a Markdown parser takes them for text).
const INLINE_TAGS: &[&str] = &[
    "span", "font", "o:p", "b", "strong", "i", "em", "u", "a", "sup", "sub", "s", "strike", "ins",
    "del", "mark", "small", "big",
];

/// The source with inline formatting tags outside `<table>` elements blanked: every byte of the
/// tag becomes a space, line breaks kept, so offsets and lines stay those of the file.
fn blank_inline_tags(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(offset) = source.get(at..).and_then(|rest| rest.find('<')) {
        let open = at + offset;
        at = open + 1;
        let name_start = open + 1 + usize::from(bytes.get(open + 1) == Some(&b'/'));
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b':'))
            .map_or(bytes.len(), |n| name_start + n);
        let name = source[name_start..name_end].to_ascii_lowercase();
        if name == "table" && name_start == open + 1 {
            at = table_end(source, open);
            continue;
        }
        if !INLINE_TAGS.contains(&name.as_str()) {
            continue;
        }
        // The tag ends at its `>`, within a bounded distance (an unclosed `<` is text).
        let Some(close) = bytes[name_end..]
            .iter()
            .take(4096)
            .position(|b| *b == b'>')
            .map(|n| name_end + n)
        else {
            continue;
        };
        for byte in &mut out[open..=close] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        at = close + 1;
    }
    // Only whole ASCII tags were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| source.to_owned())
}

/// Reads a Markdown file into canonical text, blocks and the headings it marks.
pub(super) fn read(source: &str) -> (String, Vec<Block>, Vec<(TextRange, u8)>) {
    let blanked = blank_inline_tags(source);
    let source = blanked.as_str();
    let lines = LineIndex::new(source);
    let line_of = |offset: usize| lines.position(source, offset).0;
    let mut canvas = Canvas::default();
    let mut table: Option<PipeTable> = None;
    let mut image_alt: Option<String> = None;
    let mut code_block = false;
    let mut html_block = String::new();
    let mut html_block_start = None;
    // Raw HTML already rendered (a whole `<table>` region): events inside it are skipped.
    let mut rendered_until = 0;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        if range.start < rendered_until {
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::BlockQuote(_) => {
                    canvas.pad_to_line(line_of(range.start));
                }
                Tag::CodeBlock(_) => {
                    canvas.pad_to_line(line_of(range.start));
                    code_block = true;
                }
                Tag::HtmlBlock => {
                    html_block.clear();
                    html_block_start = Some(range.start);
                }
                Tag::Table(_) => {
                    canvas.pad_to_line(line_of(range.start));
                    table = Some(PipeTable::default());
                }
                Tag::TableHead | Tag::TableRow => {
                    if let Some(table) = &mut table {
                        table.row.clear();
                        table.prose = !source[range.clone()].contains('|');
                        if table.prose {
                            // The table ends before this line.
                            let rows = std::mem::take(&mut table.rows);
                            canvas.push_table(&rows, TableKind::Markdown);
                            canvas.pad_to_line(line_of(range.start));
                        }
                    }
                }
                Tag::TableCell => {
                    if let Some(table) = &mut table
                        && !table.prose
                    {
                        table.cell = Some(String::new());
                    }
                }
                Tag::Image { .. } => image_alt = Some(String::new()),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) => {
                    flush_line(&mut canvas);
                }
                TagEnd::Heading(level) => canvas.flush_heading(level as u8),
                TagEnd::CodeBlock => {
                    canvas.flush();
                    code_block = false;
                }
                TagEnd::HtmlBlock => {
                    if let Some(start) = html_block_start.take() {
                        canvas.pad_to_line(line_of(start));
                        render_fragment(&html_block, &mut canvas);
                    }
                }
                TagEnd::TableCell => {
                    if let Some(table) = &mut table
                        && let Some(cell) = table.cell.take()
                    {
                        table.row.push((cell, 1, 1));
                    }
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    if let Some(table) = &mut table {
                        let row = std::mem::take(&mut table.row);
                        if table.prose {
                            flush_line(&mut canvas);
                        } else if !is_delimiter_row(&row) {
                            // A delimiter row taken as a row by lazy continuation is not one.
                            table.rows.push(row);
                        }
                    }
                }
                TagEnd::Table => {
                    if let Some(table) = table.take() {
                        canvas.push_table(&table.rows, TableKind::Markdown);
                    }
                }
                TagEnd::Image => {
                    if let Some(alt) = image_alt.take() {
                        canvas.push_image(&alt);
                    }
                }
                _ => {}
            },
            Event::Text(text) | Event::Code(text) => {
                if let Some(alt) = &mut image_alt {
                    alt.push_str(&text);
                } else if let Some(cell) = table.as_mut().and_then(|table| table.cell.as_mut()) {
                    cell.push_str(&text);
                } else if code_block {
                    // Indented "code" in a report is text indented by its writer: a line each.
                    for line in text.lines() {
                        canvas.push_text(line);
                        canvas.flush();
                    }
                } else {
                    canvas.push_text(&text);
                }
            }
            Event::SoftBreak => {
                if let Some(cell) = table.as_mut().and_then(|table| table.cell.as_mut()) {
                    cell.push(' ');
                } else if breaks_paragraph(&source[..range.start], &source[range.end..]) {
                    // A converter's Markdown keeps the page's lines: a line that ends a sentence,
                    // or one that starts a numbered item, ends the paragraph.
                    flush_line(&mut canvas);
                } else {
                    canvas.push_text(" ");
                }
            }
            Event::HardBreak => {
                canvas.flush();
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(start) = table_start(&html) {
                    // A whole `<table>`, wherever blank lines cut it into Markdown blocks.
                    let from = range.start + start;
                    let to = table_end(source, from);
                    canvas.pad_to_line(line_of(from));
                    render_fragment(&source[from..to], &mut canvas);
                    rendered_until = to;
                    html_block_start = None;
                } else if html_block_start.is_some() {
                    html_block.push_str(&html);
                } else if is_line_break(&html) {
                    canvas.flush();
                }
            }
            Event::Rule => {
                canvas.flush();
            }
            _ => {}
        }
    }
    if let Some(start) = html_block_start {
        canvas.pad_to_line(line_of(start));
        render_fragment(&html_block, &mut canvas);
    }
    canvas.flush();
    let blocks = flattened_tables(&canvas.text, canvas.blocks);
    (canvas.text, blocks, canvas.heading_hints)
}

/// Runs of one-line paragraphs read as the plain-text reader reads text: a converter that could
/// not make a table writes its cells one per line. Lines of nothing but pipes and dashes (what is
/// left of a broken pipe table) are dropped.
fn flattened_tables(text: &str, blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut run: Vec<TextRange> = Vec::new();
    let flush = |run: &mut Vec<TextRange>, out: &mut Vec<Block>| {
        if !run.is_empty() {
            out.extend(super::plain::blocks_from_lines(text, run));
            run.clear();
        }
    };
    for block in blocks {
        match block {
            Block::Paragraph(range) if !range.slice(text).contains('\n') => {
                let line = range.slice(text);
                if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                    continue;
                }
                run.push(range);
            }
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Whether every cell of a row is a pipe table's delimiter (`---`, `:--:`).
fn is_delimiter_row(row: &[RawCell]) -> bool {
    !row.is_empty()
        && row.iter().all(|(text, _, _)| {
            let text = text.trim();
            text.contains('-') && text.chars().all(|c| matches!(c, '-' | ':'))
        })
}

/// Ends the current line, dropping it when it is a page number a converter left (`- 1 -`).
fn flush_line(canvas: &mut Canvas) {
    if crate::source::is_page_furniture(canvas.current_line()) {
        canvas.discard_line();
    }
    canvas.flush();
}

/// Whether a line break between `before` and `after` ends a paragraph: the line before ends a
/// sentence, or the line after starts a numbered heading or item (`一、`, `（一）`, `1.`).
fn breaks_paragraph(before: &str, after: &str) -> bool {
    let ends_sentence = before
        .trim_end()
        .ends_with(['。', '！', '？', '；', '：', ':', ';']);
    let next: String = after.trim_start().chars().take(8).collect();
    // A short numbered line of its own is a heading (`六、其他需要报告的事项`).
    let line = before.rsplit('\n').next().unwrap_or(before).trim();
    let heading = crate::source::starts_numbered(line) && line.chars().count() <= 30;
    ends_sentence || heading || crate::source::starts_numbered(&next)
}

/// Where a `<table` tag starts in a piece of HTML (any case).
fn table_start(html: &str) -> Option<usize> {
    html.to_ascii_lowercase().find("<table")
}

/// `<br>`, `<br/>`, `<br />`.
fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '/')
        .collect::<String>()
        .to_ascii_lowercase();
    tag == "<br>"
}

/// The end of the `<table>` that opens at `from` (after its matching `</table>`), counting nested
/// tables; the end of the file if it is never closed.
fn table_end(source: &str, from: usize) -> usize {
    let lower = source.get(from..).unwrap_or("").to_ascii_lowercase();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = lower[at..].find("table") {
        let position = at + offset;
        let opening = lower[..position].ends_with('<');
        let closing = lower[..position].ends_with("</");
        at = position + "table".len();
        if opening {
            depth += 1;
        } else if closing {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let close = lower[at..].find('>').map_or(lower.len(), |n| at + n + 1);
                return from + close;
            }
        }
    }
    source.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str, blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|block| match block {
                Block::Paragraph(range) => Some(range.slice(text).to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_pipe_tables() {
        let source = "# 青禾县2025年政府信息公开工作年度报告\n\n本报告所列数据统计期限为\n2025年1月1日至12月31日。\n\n## 一、总体情况\n\n| 信息内容 | 本年制发件数 |\n| --- | --- |\n| 规章 | 0 |\n\n![表三](t3.png)\n";
        let (text, blocks, hints) = read(source);
        assert_eq!(
            paragraphs(&text, &blocks),
            [
                "青禾县2025年政府信息公开工作年度报告",
                "本报告所列数据统计期限为 2025年1月1日至12月31日。",
                "一、总体情况"
            ]
        );
        assert_eq!(hints.len(), 2);
        let table = blocks.iter().find_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        });
        assert_eq!(table.map(|t| t.rows.len()), Some(2));
        assert!(blocks.iter().any(|block| matches!(block, Block::Image(_))));
        // Blocks keep their source lines: the heading of line 6 is on line 6.
        let line_of_heading = text.lines().position(|l| l == "一、总体情况");
        assert_eq!(line_of_heading, Some(5));
    }

    #[test]
    fn a_raw_html_table_cut_by_blank_lines_is_read_whole() {
        let source = "三、收到和处理政府信息公开申请情况\n\n<table>\n<tr><td>申请人情况</td>\n\n<td>自然人</td></tr>\n\n<tr><td>一、本年新收</td><td>3</td></tr>\n</table>\n\n四、结转\n";
        let (text, blocks, _) = read(source);
        let tables: Vec<_> = blocks
            .iter()
            .filter_map(|block| match block {
                Block::Table(table) => Some(table),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 1, "{text}");
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(tables[0].kind, TableKind::Grid);
        assert!(paragraphs(&text, &blocks).contains(&"四、结转".to_owned()));
    }
}
