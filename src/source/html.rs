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
/// Tags with more attributes than this are refused: the parser checks each attribute against the
/// ones before it (a tag of 500,000 attributes runs for minutes); real tags have a handful.
pub(super) const MAX_ATTRIBUTES: usize = 1_000;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];
/// Elements whose content is text up to their end tag (any case).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
];
/// Start tags that close an open `<p>` (HTML's "close a p element").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "xmp",
];
/// How far down the stack an implied end tag is looked for (the parser looks further; stopping
/// early only over-estimates the depth).
const IMPLIED_REACH: usize = 8;

/// What the pre-scan found: how deep the parser will nest the page, and the most attributes on
/// one tag.
#[derive(Debug, Default)]
pub(super) struct Shape {
    /// The deepest nesting.
    pub(super) depth: usize,
    /// The most attributes on one tag.
    pub(super) attributes: usize,
}

/// The parser's stack of open elements, simulated: names and how many of each are open.
#[derive(Default)]
struct OpenElements {
    stack: Vec<String>,
    open: std::collections::HashMap<String, usize>,
    deepest: usize,
}

impl OpenElements {
    fn count(&self, name: &str) -> usize {
        self.open.get(name).copied().unwrap_or(0)
    }

    fn push(&mut self, name: &str) {
        self.stack.push(name.to_owned());
        *self.open.entry(name.to_owned()).or_default() += 1;
        self.deepest = self.deepest.max(self.stack.len());
    }

    fn pop(&mut self) -> Option<String> {
        let name = self.stack.pop()?;
        if let Some(count) = self.open.get_mut(&name) {
            *count = count.saturating_sub(1);
        }
        Some(name)
    }

    fn top_is(&self, names: &[&str]) -> bool {
        self.stack
            .last()
            .is_some_and(|top| names.contains(&top.as_str()))
    }

    /// Closes the nearest element named in `names` among the top few, unless one named in
    /// `stops` comes first. Each element is popped once, so the pre-scan stays linear.
    fn close_near(&mut self, names: &[&str], stops: &[&str]) {
        let found = self
            .stack
            .iter()
            .rev()
            .take(IMPLIED_REACH)
            .take_while(|name| !stops.contains(&name.as_str()))
            .position(|name| names.contains(&name.as_str()));
        if let Some(from_top) = found {
            for _ in 0..=from_top {
                self.pop();
            }
        }
    }

    /// An end tag: closes the nearest open element of that name, and everything inside it.
    fn close(&mut self, name: &str) {
        if self.count(name) == 0 {
            return;
        }
        while let Some(popped) = self.pop() {
            if popped == name {
                break;
            }
        }
    }

    /// A start tag, following the parser where it closes elements implicitly (the cases that
    /// real pages rely on: unclosed `<p>`, `<li>`, `<td>`, `<tr>`, `<option>`); everything else
    /// that is not void nests, whatever its name and even written self-closing (`<div/>` opens a
    /// div) — except inside `<svg>` and `<math>`, where `/>` closes.
    fn start(&mut self, name: &str, self_closing: bool) {
        if VOID.contains(&name) || matches!(name, "html" | "head" | "body") {
            return;
        }
        let foreign = self.count("svg") + self.count("math") > 0;
        if self_closing && foreign {
            return;
        }
        let in_table = self.count("table") > 0;
        match name {
            _ if CLOSES_P.contains(&name) => {
                self.close_near(
                    &["p"],
                    &["table", "td", "th", "caption", "button", "object"],
                );
            }
            "li" => self.close_near(&["li"], &["ul", "ol", "menu", "table", "td", "th"]),
            "dt" | "dd" => self.close_near(&["dt", "dd"], &["dl", "table", "td", "th"]),
            "option" if self.top_is(&["option"]) => {
                self.pop();
            }
            "optgroup" if self.count("select") > 0 => {
                if self.top_is(&["option"]) {
                    self.pop();
                }
                if self.top_is(&["optgroup"]) {
                    self.pop();
                }
            }
            "rb" | "rt" | "rp" | "rtc" if self.count("ruby") > 0 => {
                while self.top_is(&["rb", "rt", "rp", "rtc"]) {
                    self.pop();
                }
            }
            // Outside a table the parser drops these tags.
            "tr" | "td" | "th" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup"
                if !in_table =>
            {
                return;
            }
            "tr" => self.close_near(&["tr", "td", "th"], &["table"]),
            "td" | "th" => self.close_near(&["td", "th"], &["tr", "table"]),
            "tbody" | "thead" | "tfoot" => {
                self.close_near(&["tbody", "thead", "tfoot", "tr", "td", "th"], &["table"]);
            }
            "a" | "nobr" | "button" => self.close(name),
            _ => {}
        }
        self.push(name);
    }
}

/// A tag read by the pre-scan: its name (lower case), attribute count, whether written `/>`, and
/// where it ends.
struct Tag {
    name: String,
    attributes: usize,
    self_closing: bool,
    end: usize,
}

/// Reads a tag from its name at `at` to its `>`, attributes and quoted values included (a `>`
/// inside quotes does not end it).
fn read_tag(bytes: &[u8], at: usize) -> Tag {
    let name_end = bytes[at..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .map_or(bytes.len(), |n| at + n);
    let name = String::from_utf8_lossy(&bytes[at..name_end]).to_ascii_lowercase();
    let (mut i, mut attributes, mut self_closing) = (name_end, 0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'>' => {
                return Tag {
                    name,
                    attributes,
                    self_closing,
                    end: i + 1,
                };
            }
            b'/' => {
                self_closing = true;
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                self_closing = false;
                attributes += 1;
                // The attribute's name, then perhaps `=` and a value.
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !matches!(bytes[i], b'/' | b'>' | b'=')
                {
                    i += 1;
                }
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        i = bytes[i + 1..]
                            .iter()
                            .position(|b| *b == quote)
                            .map_or(bytes.len(), |n| i + 1 + n + 1);
                    }
                    _ => {
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    Tag {
        name,
        attributes,
        self_closing,
        end: bytes.len(),
    }
}

/// Where the end tag `</name` (any case) starts, from `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(n) = bytes.get(at..)?.windows(2).position(|w| w == b"</") {
        let start = at + n;
        let after = start + 2;
        if bytes
            .get(after..after + name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(start);
        }
        at = after;
    }
    None
}

/// Estimates, in one linear pass over the tags (comments and raw text skipped, as the parser
/// reads them), how deep the parser will nest a page and the most attributes on one of its
/// tags, before the page is handed to the parser.
pub(super) fn shape(source: &str) -> Shape {
    let bytes = source.as_bytes();
    let mut open = OpenElements::default();
    let mut attributes = 0;
    let mut at = 0;
    while let Some(n) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| *b == b'<'))
    {
        let next = at + n + 1;
        at = next;
        match bytes.get(next) {
            Some(b'!') if bytes[next..].starts_with(b"!--") => {
                at = bytes[next..]
                    .windows(3)
                    .position(|w| w == b"-->")
                    .map_or(bytes.len(), |end| next + end + 3);
            }
            Some(b'!' | b'?') => {
                at = bytes[next..]
                    .iter()
                    .position(|b| *b == b'>')
                    .map_or(bytes.len(), |end| next + end + 1);
            }
            Some(b'/') if bytes.get(next + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let tag = read_tag(bytes, next + 1);
                attributes = attributes.max(tag.attributes);
                at = tag.end;
                if tag.name != "br" {
                    open.close(&tag.name);
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let tag = read_tag(bytes, next);
                attributes = attributes.max(tag.attributes);
                at = tag.end;
                if tag.name == "plaintext" {
                    // Everything after it is text.
                    open.start(&tag.name, false);
                    break;
                }
                if RAW_TEXT.contains(&tag.name.as_str()) && !tag.self_closing {
                    at = find_end_tag(bytes, at, &tag.name).unwrap_or(bytes.len());
                    continue;
                }
                open.start(&tag.name, tag.self_closing);
            }
            _ => {}
        }
    }
    Shape {
        depth: open.deepest,
        attributes,
    }
}

/// How deep the parser will nest a page (see [`shape`]).
#[cfg(test)]
pub(super) fn nesting_depth(source: &str) -> usize {
    shape(source).depth
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
        // As the parser nests them: an unclosed <p> or <li> is closed by the next one.
        assert_eq!(
            nesting_depth("<div><div><p>a<p>b</div><br><img src=x></div>"),
            3
        );
        assert_eq!(
            nesting_depth("<ul><li>a<li>b</ul><!-- <div><div> --><script>if (a<b) {}</script>"),
            2
        );
        assert_eq!(
            nesting_depth("<table><tr><td>1<td>2<tr><td>3</table><option>a<option>b"),
            4
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("<svg><path/><path/></svg>"), 1);
    }

    #[test]
    fn the_estimate_is_not_fooled() {
        // Self-closing syntax opens a div; an upper-case SCRIPT ends at </SCRIPT>; <rb> and
        // <optgroup> nest outside <ruby> and <select>; a '>' in quotes does not end a tag.
        let deep = 5_000;
        for page in [
            "<div/>".repeat(deep),
            format!("<SCRIPT></SCRIPT>{}", "<div>".repeat(deep)),
            "<rb>".repeat(deep),
            "<optgroup>".repeat(deep),
            format!("<p title='>'>{}", "<span>".repeat(deep)),
        ] {
            assert!(nesting_depth(&page) >= deep, "{}", &page[..40]);
        }
        let attributes: Vec<String> = (0..2000).map(|i| format!("a{i}=1")).collect();
        assert_eq!(
            shape(&format!("<p {}>x", attributes.join(" "))).attributes,
            2000
        );
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
