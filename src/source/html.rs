//! HTML pages: rendered to canonical text, one line per paragraph and one line per table row.
//!
//! The DOM is walked iteratively (a page nested 10,000 levels deep must not overflow the stack).
//! Site chrome — `<nav>`, `<footer>`, scripts, elements whose class or id names navigation, menus,
//! footers, breadcrumbs or share widgets — is skipped. A `<table>` holding another table is page
//! layout and is read as paragraphs; a table holding none is a data table.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::canvas::{Canvas, MAX_COLSPAN, MAX_ROWSPAN, RawCell, collapse_whitespace};
use super::{Block, TableKind};
use crate::text::fold;

/// Elements whose content is never part of the report.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "footer", "aside", "iframe",
    "object", "embed", "svg", "math", "select", "button", "textarea", "input", "map",
];

/// Elements that end the current line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "main",
    "blockquote",
    "pre",
    "address",
    "center",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "hr",
    "br",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
    "body",
    "html",
];

/// Class or id words that mark site chrome.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "footer",
    "foot",
    "breadcrumb",
    "crumb",
    "crumbs",
    "sidebar",
    "copyright",
    "share",
    "toolbar",
    "topbar",
];

/// Pages nested deeper than this are refused: the HTML parser's cost grows with the square of the
/// depth, and real pages nest a few dozen levels.
pub(super) const MAX_NESTING: usize = 4_000;

/// Elements that never wait for an end tag (void, or closed implicitly by the next sibling);
/// they do not add to the nesting estimate.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option",
    "optgroup", "rb", "rt", "rp", "colgroup", "caption", "html", "head", "body", "o:p",
];

/// Estimates how deep a page nests, in one linear pass over its tags (comments, scripts and
/// styles skipped), before it is handed to the parser.
pub(super) fn nesting_depth(source: &str) -> usize {
    let bytes = source.as_bytes();
    let lower = |start: usize| {
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b':' || *b == b'-'))
            .map_or(bytes.len(), |n| start + n);
        (source[start..end].to_ascii_lowercase(), end)
    };
    let find = |from: usize, needle: &str| {
        source
            .get(from..)
            .and_then(|rest| rest.find(needle))
            .map(|n| from + n)
    };
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(open) = find(at, "<") {
        let next = open + 1;
        at = next;
        match bytes.get(next) {
            Some(b'!') if source[next..].starts_with("!--") => {
                at = find(next, "-->").map_or(bytes.len(), |end| end + 3);
            }
            Some(b'/') => {
                let (name, _) = lower(next + 1);
                if !name.is_empty() && !NOT_NESTING.contains(&name.as_str()) {
                    depth = depth.saturating_sub(1);
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let (name, end) = lower(next);
                let close = find(end, ">").unwrap_or(bytes.len());
                let self_closing = close > 0 && bytes.get(close - 1) == Some(&b'/');
                at = close;
                if name == "script" || name == "style" {
                    at = find(close, &format!("</{name}")).unwrap_or(bytes.len());
                } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

static TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("selector is valid"));

/// Renders a page to canonical text and blocks.
pub(super) fn read(source: &str) -> (String, Vec<Block>) {
    let html = Html::parse_document(source);
    let mut canvas = Canvas::default();
    render(&html, &mut canvas);
    let title = html
        .select(&TITLE)
        .next()
        .map(|element| normalise_cell_text(element))
        .filter(|title| !title.is_empty());
    match title {
        Some(title) if !shown_in_body(&title, &canvas.text) => canvas.with_first_line(&title),
        _ => (canvas.text, canvas.blocks),
    }
}

/// Renders a piece of HTML (a table block inside a Markdown file) onto `canvas`.
pub(super) fn render_fragment(source: &str, canvas: &mut Canvas) {
    render(&Html::parse_fragment(source), canvas);
}

/// Walks a parsed page onto `canvas`: text nodes in order, a line break at every block element,
/// data tables as tables, site chrome skipped.
fn render(html: &Html, canvas: &mut Canvas) {
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => canvas.push_text(text),
                    Node::Element(element) => {
                        let name = element.name();
                        if is_skipped(element) {
                            skip = Some(node.id());
                        } else if name == "table" && !has_nested_table(node) {
                            canvas.flush();
                            if let Some(element) = ElementRef::wrap(node) {
                                canvas.push_table(&read_rows(element), TableKind::Grid);
                            }
                            skip = Some(node.id());
                        } else if name == "img" {
                            canvas.flush();
                            canvas.push_image(element.attr("alt").unwrap_or(""));
                        } else if BLOCKS.contains(&name) {
                            canvas.flush();
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                } else if skip.is_none()
                    && let Node::Element(element) = node.value()
                    && BLOCKS.contains(&element.name())
                {
                    canvas.flush();
                }
            }
        }
    }
    canvas.flush();
}

/// Whether the page body already shows the `<title>`, perhaps without the site name the title
/// appends (`…年度报告_某某县人民政府门户网站`).
fn shown_in_body(title: &str, body: &str) -> bool {
    let body = fold(body);
    let without_site = title
        .split(['_', '|'])
        .next()
        .and_then(|part| part.split(" - ").next())
        .unwrap_or(title);
    [title, without_site]
        .iter()
        .map(|candidate| fold(candidate))
        .any(|candidate| candidate.chars().count() >= 6 && body.contains(&candidate))
}

fn is_skipped(element: &scraper::node::Element) -> bool {
    if SKIPPED.contains(&element.name()) {
        return true;
    }
    if element.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = element.attr("style") {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        if style.to_ascii_lowercase().contains("display:none") {
            return true;
        }
    }
    let names = element
        .attr("class")
        .into_iter()
        .chain(element.attr("id"))
        .flat_map(|value| value.split(|c: char| c.is_whitespace() || c == '-' || c == '_'));
    names
        .map(str::to_ascii_lowercase)
        .any(|word| CHROME_WORDS.contains(&word.as_str()))
}

fn has_nested_table(table: NodeRef<'_, Node>) -> bool {
    table.descendants().skip(1).any(|node| {
        node.value()
            .as_element()
            .is_some_and(|element| element.name() == "table")
    })
}

/// The text of an element: text nodes joined, block boundaries removed between CJK characters
/// (`<p>商业</p><p>企业</p>` reads `商业企业`) and kept as one space elsewhere.
fn normalise_cell_text(element: ElementRef<'_>) -> String {
    let mut pieces: Vec<String> = vec![String::new()];
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => {
                    if let Some(piece) = pieces.last_mut() {
                        piece.push_str(text);
                    }
                }
                Node::Element(element) if BLOCKS.contains(&element.name()) => {
                    pieces.push(String::new());
                }
                _ => {}
            },
            Edge::Close(node) => {
                if node
                    .value()
                    .as_element()
                    .is_some_and(|element| BLOCKS.contains(&element.name()))
                {
                    pieces.push(String::new());
                }
            }
        }
    }
    let mut out = String::new();
    for piece in pieces {
        let piece = collapse_whitespace(&piece);
        if piece.is_empty() {
            continue;
        }
        let joins_cjk = out.chars().next_back().is_some_and(|c| !c.is_ascii())
            && piece.chars().next().is_some_and(|c| !c.is_ascii());
        if !out.is_empty() && !joins_cjk {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

fn read_rows(table: ElementRef<'_>) -> Vec<Vec<RawCell>> {
    let mut rows = Vec::new();
    for node in table.descendants() {
        let Some(row) = ElementRef::wrap(node) else {
            continue;
        };
        if row.value().name() != "tr" {
            continue;
        }
        let cells = row
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|cell| matches!(cell.value().name(), "td" | "th"))
            .map(|cell| {
                let span = |name: &str| cell.value().attr(name).and_then(parse_span);
                (
                    normalise_cell_text(cell),
                    span("colspan").unwrap_or(1).clamp(1, MAX_COLSPAN),
                    span("rowspan").unwrap_or(1).min(MAX_ROWSPAN),
                )
            })
            .collect();
        rows.push(cells);
    }
    rows
}

fn parse_span(value: &str) -> Option<usize> {
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::CellContent;
    use crate::source::canvas::MAX_COLUMNS;

    fn render(source: &str) -> (String, Vec<Block>) {
        read(source)
    }

    #[test]
    fn paragraphs_and_title() {
        let (text, blocks) = render(
            "<html><head><title>某县2021年政府信息公开工作年度报告</title><script>var x=1;</script></head>\
             <body><nav>首页 | 政务公开</nav><p>　　一、总体情况&nbsp;</p><p>正文<b>加粗</b>内容。</p>\
             <div class=\"footer\">主办单位：某县人民政府</div></body></html>",
        );
        assert_eq!(
            text,
            "某县2021年政府信息公开工作年度报告\n一、总体情况\n正文加粗内容。\n"
        );
        assert_eq!(blocks.len(), 3);
    }

    #[test]
    fn merged_cells_are_placed_on_the_grid() {
        let (text, blocks) = render(
            "<table><tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr>\
             <tr><td>（二）部分公开</td><td></td></tr></table>",
        );
        assert_eq!(
            text,
            "三、本年度办理结果 | （一）予以公开 | 5\n（二）部分公开 | \n"
        );
        let Block::Table(table) = &blocks[0] else {
            panic!("expected a table")
        };
        assert_eq!(table.kind, TableKind::Grid);
        assert_eq!(table.width(), 3);
        assert_eq!(table.rows[1].cells[0].column, 1);
        assert_eq!(
            table.covering(1, 0).map(|c| c.text.as_str()),
            Some("三、本年度办理结果")
        );
        let blank = &table.rows[1].cells[1];
        assert_eq!(blank.content, CellContent::Blank);
        assert!(!blank.range.is_empty());
    }

    #[test]
    fn cell_paragraphs_join_without_spaces_between_cjk() {
        let (text, _) =
            render("<table><tr><td><p>商业</p><p>企业</p></td><td>12</td></tr></table>");
        assert_eq!(text, "商业企业 | 12\n");
    }

    #[test]
    fn layout_tables_are_read_as_paragraphs() {
        let (text, blocks) = render(
            "<table><tr><td><p>一、总体情况</p><table><tr><td>自然人</td><td>3</td></tr></table></td></tr></table>",
        );
        assert_eq!(text, "一、总体情况\n自然人 | 3\n");
        assert!(matches!(blocks[0], Block::Paragraph(_)));
        assert!(matches!(blocks[1], Block::Table(_)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // The deepest page read_bytes lets through; the walk itself is iterative.
        let depth = MAX_NESTING;
        let source = format!("{}正文{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let (text, _) = render(&source);
        assert_eq!(text.trim(), "正文");
    }

    #[test]
    fn nesting_is_estimated_without_parsing() {
        assert_eq!(
            nesting_depth("<div><div><p>a<p>b</div><br><img src=x></div>"),
            2
        );
        assert_eq!(
            nesting_depth("<ul><li>a<li>b</ul><!-- <div><div> --><script>if (a<b) {}</script>"),
            1
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("<span/><span/>"), 0);
    }

    #[test]
    fn hostile_spans_are_bounded() {
        let source = format!(
            "<table>{}</table>",
            "<tr><td colspan=100000 rowspan=100000>1</td></tr>".repeat(200)
        );
        let (_, blocks) = render(&source);
        let Block::Table(table) = &blocks[0] else {
            panic!("expected a table")
        };
        assert!(table.width() <= MAX_COLUMNS);
    }
}
