//! PDF reports: text rebuilt from the positions of the glyphs on each page.
//!
//! Glyphs come from pdf-extract (pure Rust, font encodings and ToUnicode maps). Lines are rebuilt
//! from baselines, words from the gaps between glyphs. Page-number lines (`-3-`, `— 3 —`,
//! `第 3 页`) and running headers repeated on several pages are dropped. Lines that continue a
//! paragraph (the previous one reached the right margin, this one starts at the left) are joined,
//! across pages too. Tables are rebuilt by geometry: each line holding figures is a row; the label
//! fragments around it (a label wrapped over two or three lines, the one-character lines of a
//! vertical group label) belong to the nearest row; a short row's figures are placed by the column
//! positions of the complete rows. A PDF without a text layer is refused: no guessing at images.

use std::cell::Cell as FlagCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{LazyLock, Once};

use regex::Regex;

use super::canvas::{Canvas, RawCell};
use super::cell::classify;
use super::{Block, ReadError, TableKind};

/// Refuse documents with more glyphs than this (a report has tens of thousands).
const MAX_GLYPHS: usize = 3_000_000;

/// Lines in this share of the page height at the top or bottom may be page furniture.
const MARGIN_SHARE: f64 = 0.1;

/// A glyph as placed on its page.
#[derive(Clone, Debug)]
struct Glyph {
    page: u32,
    x: f64,
    y: f64,
    advance: f64,
    size: f64,
    text: String,
}

/// A ruling line of a table (a stroked segment, or a thin filled rectangle), in page space.
#[derive(Clone, Copy, Debug)]
struct Rule {
    page: u32,
    horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    at: f64,
    /// The extent along the rule.
    from: f64,
    to: f64,
}

/// The ruling lines of each page.
#[derive(Default)]
struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    fn add(&mut self, page: u32, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) {
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        if dy < 1.5 && dx > 3.0 {
            self.rules.push(Rule {
                page,
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0.min(x1),
                to: x0.max(x1),
            });
        } else if dx < 1.5 && dy > 3.0 {
            self.rules.push(Rule {
                page,
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0.min(y1),
                to: y0.max(y1),
            });
        }
    }

    fn path(
        &mut self,
        page: u32,
        ctm: &pdf_extract::Transform,
        path: &pdf_extract::Path,
        filled: bool,
    ) {
        let point = |x: f64, y: f64| {
            (
                ctm.m11 * x + ctm.m21 * y + ctm.m31,
                ctm.m12 * x + ctm.m22 * y + ctm.m32,
            )
        };
        let mut current = None;
        let mut start = None;
        for op in &path.ops {
            match *op {
                pdf_extract::PathOp::MoveTo(x, y) => {
                    current = Some(point(x, y));
                    start = current;
                }
                pdf_extract::PathOp::LineTo(x, y) => {
                    let next = point(x, y);
                    if let (Some(from), false) = (current, filled) {
                        self.add(page, from, next);
                    }
                    current = Some(next);
                }
                pdf_extract::PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (point(x, y), point(x + w, y + h));
                    let (width, height) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
                    if filled {
                        // A thin filled rectangle is a rule; a large one is a background.
                        if height < 2.0 && width > 3.0 {
                            self.add(page, (a.0, (a.1 + b.1) / 2.0), (b.0, (a.1 + b.1) / 2.0));
                        } else if width < 2.0 && height > 3.0 {
                            self.add(page, ((a.0 + b.0) / 2.0, a.1), ((a.0 + b.0) / 2.0, b.1));
                        }
                    } else {
                        for (from, to) in [
                            (a, (b.0, a.1)),
                            ((b.0, a.1), b),
                            (b, (a.0, b.1)),
                            ((a.0, b.1), a),
                        ] {
                            self.add(page, from, to);
                        }
                    }
                }
                pdf_extract::PathOp::Close => {
                    if let (Some(from), Some(to), false) = (current, start, filled) {
                        self.add(page, from, to);
                    }
                    current = start;
                }
                pdf_extract::PathOp::CurveTo(.., x, y) => current = Some(point(x, y)),
            }
        }
    }

    /// Whether a vertical rule on `page` separates x-positions `a` < `b` at height `y`.
    fn separates(&self, page: u32, y: f64, a: f64, b: f64) -> bool {
        self.rules.iter().any(|rule| {
            !rule.horizontal
                && rule.page == page
                && rule.at > a
                && rule.at < b
                && rule.from <= y + 2.0
                && rule.to >= y - 2.0
        })
    }

    /// The nearest horizontal rules above and below `y` on `page` that cross x-position `x`.
    fn band(&self, page: u32, y: f64, x: f64) -> Option<(f64, f64)> {
        let crossing = self
            .rules
            .iter()
            .filter(|rule| rule.horizontal && rule.page == page && rule.from <= x && rule.to >= x);
        let above = crossing
            .clone()
            .filter(|rule| rule.at > y)
            .map(|rule| rule.at)
            .fold(f64::INFINITY, f64::min);
        let below = crossing
            .filter(|rule| rule.at < y)
            .map(|rule| rule.at)
            .fold(f64::NEG_INFINITY, f64::max);
        (above.is_finite() && below.is_finite()).then_some((below, above))
    }
}

/// A run of glyphs without a wide gap: a word, a label, a figure.
#[derive(Clone, Debug)]
struct Token {
    x0: f64,
    x1: f64,
    text: String,
}

/// A line of text on a page.
#[derive(Clone, Debug)]
struct Line {
    page: u32,
    y: f64,
    size: f64,
    tokens: Vec<Token>,
}

impl Line {
    fn x0(&self) -> f64 {
        self.tokens.first().map_or(0.0, |t| t.x0)
    }
    fn x1(&self) -> f64 {
        self.tokens.last().map_or(0.0, |t| t.x1)
    }
    fn text(&self) -> String {
        self.tokens
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn values(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|t| classify(&t.text).is_value_like())
    }
    fn has_values(&self) -> bool {
        self.values().next().is_some()
    }
}

struct Collector {
    page: u32,
    heights: Vec<f64>,
    glyphs: Vec<Glyph>,
    rules: Rules,
    overflow: bool,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        page: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = page;
        let index = page.saturating_sub(1) as usize;
        if self.heights.len() <= index {
            self.heights.resize(index + 1, 842.0);
        }
        self.heights[index] = (media_box.ury - media_box.lly).abs().max(1.0);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.glyphs.len() >= MAX_GLYPHS {
            self.overflow = true;
            return Ok(());
        }
        let scale = trm.m11.hypot(trm.m12).max(trm.m21.hypot(trm.m22));
        let size = (font_size * scale).abs();
        if !size.is_finite() || size <= 0.0 || text.is_empty() {
            return Ok(());
        }
        self.glyphs.push(Glyph {
            page: self.page,
            x: trm.m31,
            y: trm.m32,
            advance: (width * font_size * trm.m11.abs()).max(0.0),
            size,
            text: text.to_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &pdf_extract::Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.rules.rules.len() < MAX_GLYPHS {
            self.rules.path(self.page, ctm, path, false);
        }
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &pdf_extract::Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.rules.rules.len() < MAX_GLYPHS {
            self.rules.path(self.page, ctm, path, true);
        }
        Ok(())
    }
}

thread_local! {
    static QUIET: FlagCell<bool> = const { FlagCell::new(false) };
}
static QUIET_HOOK: Once = Once::new();

/// Runs `work`, turning a panic into `None` without printing it: the PDF library panics on some
/// malformed files, which is a property of the file, not a bug to report.
fn quietly<T>(work: impl FnOnce() -> T) -> Option<T> {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(FlagCell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = catch_unwind(AssertUnwindSafe(work)).ok();
    QUIET.with(|quiet| quiet.set(false));
    result
}

fn invalid(detail: impl Into<String>) -> ReadError {
    ReadError::Pdf {
        detail: detail.into(),
    }
}

/// A read PDF: canonical text and blocks.
pub(super) struct Pdf {
    pub(super) text: String,
    pub(super) blocks: Vec<Block>,
}

/// Reads a PDF's text layer.
pub(super) fn read(bytes: &[u8]) -> Result<Pdf, ReadError> {
    let loaded = quietly(|| pdf_extract::Document::load_mem(bytes))
        .ok_or_else(|| invalid("文件结构无法解析"))?;
    let mut document = loaded.map_err(|error| invalid(format!("文件结构无法解析（{error}）")))?;
    let mut collector = Collector {
        page: 0,
        heights: Vec::new(),
        glyphs: Vec::new(),
        rules: Rules::default(),
        overflow: false,
    };
    let outcome = quietly(|| {
        if document.is_encrypted() {
            pdf_extract::output_doc_encrypted(&mut document, &mut collector, "")
        } else {
            pdf_extract::output_doc(&document, &mut collector)
        }
    })
    .ok_or_else(|| invalid("无法提取文字（文件可能损坏或使用了不支持的字体编码）"))?;
    if let Err(error) = outcome {
        if document.is_encrypted() {
            return Err(invalid("文件已加密，无法读取文字"));
        }
        if collector.glyphs.is_empty() {
            return Err(invalid(format!("无法提取文字（{error}）")));
        }
    }
    if collector.overflow {
        return Err(invalid(format!(
            "文字超过 {MAX_GLYPHS} 个字符，不像是一份年度报告"
        )));
    }
    let pages = collector.heights.len();
    if collector
        .glyphs
        .iter()
        .all(|glyph| glyph.text.trim().is_empty())
    {
        return Err(ReadError::NoTextLayer { pages });
    }
    let rules = collector.rules;
    let lines = drop_page_furniture(build_lines(collector.glyphs, &rules), &collector.heights);
    Ok(layout(&lines, &rules))
}

/// Groups glyphs into lines by baseline, and lines into tokens by the gaps between glyphs.
fn build_lines(mut glyphs: Vec<Glyph>, rules: &Rules) -> Vec<Line> {
    glyphs.sort_by(|a, b| {
        a.page
            .cmp(&b.page)
            .then(b.y.total_cmp(&a.y))
            .then(a.x.total_cmp(&b.x))
    });
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match lines.last_mut() {
            Some(line)
                if line[0].page == glyph.page
                    && (line[0].y - glyph.y).abs() <= 0.35 * line[0].size.min(glyph.size) =>
            {
                line.push(glyph);
            }
            _ => lines.push(vec![glyph]),
        }
    }
    lines
        .into_iter()
        .filter_map(|mut glyphs| {
            glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
            // Fake bold prints a glyph twice at almost the same place.
            glyphs.dedup_by(|b, a| a.text == b.text && (a.x - b.x).abs() < 0.2 * a.size);
            let size = glyphs.iter().map(|g| g.size).fold(0.0, f64::max);
            let y = glyphs[0].y;
            let page = glyphs[0].page;
            let mut tokens: Vec<Token> = Vec::new();
            for glyph in glyphs {
                let end = glyph.x + glyph.advance;
                match tokens.last_mut() {
                    Some(token)
                        if glyph.x - token.x1 < 0.9 * glyph.size
                            && !rules.separates(page, y, token.x1 - 0.5, glyph.x + 0.5) =>
                    {
                        if glyph.x - token.x1 > 0.2 * glyph.size && !token.text.ends_with(' ') {
                            token.text.push(' ');
                        }
                        token.text.push_str(&glyph.text);
                        token.x1 = token.x1.max(end);
                    }
                    _ => tokens.push(Token {
                        x0: glyph.x,
                        x1: end,
                        text: glyph.text,
                    }),
                }
            }
            for token in &mut tokens {
                token.text = token.text.trim().to_owned();
            }
            tokens.retain(|token| !token.text.is_empty());
            (!tokens.is_empty()).then_some(Line {
                page,
                y,
                size,
                tokens,
            })
        })
        .collect()
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$")
        .expect("page number pattern is valid")
});

/// Drops page numbers, and headers or footers repeated on several pages.
fn drop_page_furniture(lines: Vec<Line>, heights: &[f64]) -> Vec<Line> {
    let height = |page: u32| {
        heights
            .get(page.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(842.0)
    };
    let in_margin = |line: &Line| {
        let h = height(line.page);
        line.y > h * (1.0 - MARGIN_SHARE) || line.y < h * MARGIN_SHARE
    };
    let key = |line: &Line| -> String {
        line.text()
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect()
    };
    let mut repeated: std::collections::HashMap<String, std::collections::HashSet<u32>> =
        std::collections::HashMap::new();
    for line in lines.iter().filter(|line| in_margin(line)) {
        let key = key(line);
        if key.chars().count() >= 4 {
            repeated.entry(key).or_default().insert(line.page);
        }
    }
    lines
        .into_iter()
        .filter(|line| {
            if !in_margin(line) {
                return true;
            }
            let text: String = line.text().split_whitespace().collect();
            if PAGE_NUMBER.is_match(&text) {
                return false;
            }
            repeated.get(&key(line)).is_none_or(|pages| pages.len() < 2)
        })
        .collect()
}

/// What a line is, for the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Holds figures: a table row.
    Values,
    /// Short fragments: labels, headers, captions.
    Label,
    /// A line of running text.
    Prose,
}

static TOP_LEVEL_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[一二三四五六七八九十]{1,3}\s*[、.．]").expect("ordinal pattern is valid")
});

/// Margins of the running text: the leftmost start and rightmost end of wide lines.
struct Margins {
    left: f64,
    right: f64,
    body_size: f64,
}

fn margins(lines: &[Line]) -> Margins {
    let mut sizes: Vec<f64> = lines.iter().map(|line| line.size).collect();
    sizes.sort_by(f64::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(12.0);
    let left = lines.iter().map(Line::x0).fold(f64::INFINITY, f64::min);
    let right = lines.iter().map(Line::x1).fold(0.0, f64::max);
    Margins {
        left: if left.is_finite() { left } else { 0.0 },
        right,
        body_size,
    }
}

fn kind(line: &Line, margins: &Margins) -> Kind {
    if line.has_values() && line.tokens.len() > 1
        || line.tokens.len() == 1 && classify(&line.tokens[0].text).is_value_like()
    {
        return Kind::Values;
    }
    let wide = line.x1() - line.x0() > 0.6 * (margins.right - margins.left);
    let sentence = line.text().contains(['。', '；']);
    if line.tokens.len() == 1 && (wide || sentence) {
        Kind::Prose
    } else {
        Kind::Label
    }
}

/// Lays the lines out as paragraphs and tables.
fn layout(lines: &[Line], rules: &Rules) -> Pdf {
    let margins = margins(lines);
    let kinds: Vec<Kind> = lines.iter().map(|line| kind(line, &margins)).collect();
    let mut canvas = Canvas::default();
    let mut i = 0;
    let mut previous_prose: Option<&Line> = None;
    while i < lines.len() {
        if kinds[i] == Kind::Prose || !starts_table(lines, &kinds, i) {
            paragraph_line(&mut canvas, &lines[i], previous_prose, &margins);
            previous_prose = Some(&lines[i]);
            i += 1;
            continue;
        }
        let end = (i..lines.len())
            .find(|&k| kinds[k] == Kind::Prose)
            .unwrap_or(lines.len());
        canvas.flush();
        let consumed = table_run(&mut canvas, &lines[i..end], &kinds[i..end], &margins, rules);
        previous_prose = None;
        i += consumed.max(1);
    }
    canvas.flush();
    Pdf {
        text: canvas.text,
        blocks: canvas.blocks,
    }
}

/// Whether a table starts at line `i`: a run of label and value lines holding at least two rows
/// of figures (or one long row under a header) before the next line of prose.
fn starts_table(lines: &[Line], kinds: &[Kind], i: usize) -> bool {
    let run = kinds[i..].iter().take_while(|kind| **kind != Kind::Prose);
    let mut value_rows = 0;
    let mut figures = 0;
    for (offset, kind) in run.enumerate() {
        if *kind == Kind::Values {
            value_rows += 1;
            figures += lines[i + offset].values().count();
        }
    }
    figures >= 4 && (value_rows >= 2 || figures >= 5)
}

/// Writes a paragraph line, joining it to the previous one when it continues it.
fn paragraph_line(canvas: &mut Canvas, line: &Line, previous: Option<&Line>, margins: &Margins) {
    let text = line.text();
    let continues = previous.is_some_and(|previous| {
        let reached_right = previous.x1() >= margins.right - 1.5 * previous.size;
        let starts_left = line.x0() <= margins.left + 0.5 * line.size;
        let same_style = (previous.size - line.size).abs() < 0.5;
        let headline = previous.size > margins.body_size * 1.15 && same_style;
        (reached_right && starts_left && same_style && !TOP_LEVEL_ORDINAL.is_match(&text))
            || headline
    });
    if !continues {
        canvas.flush();
    }
    canvas.push_text(&text);
}

/// Reads a run of label and value lines as one or more tables (split at captions); returns the
/// number of lines consumed.
fn table_run(
    canvas: &mut Canvas,
    lines: &[Line],
    kinds: &[Kind],
    margins: &Margins,
    rules: &Rules,
) -> usize {
    let mut start = 0;
    for k in 0..=lines.len() {
        let caption = k < lines.len() && is_caption(lines, kinds, k);
        if k == lines.len() || caption {
            table_segment(
                canvas,
                &lines[start..k],
                kinds.get(start..k).unwrap_or(&[]),
                margins,
                rules,
            );
            if caption {
                canvas.flush();
                canvas.push_text(&lines[k].text());
                canvas.flush();
            }
            start = k + 1;
        }
    }
    lines.len()
}

/// A top-level numbered label line followed by two or more label lines before the next figures,
/// or by none: a section heading, not a row label (as in flattened text).
fn is_caption(lines: &[Line], kinds: &[Kind], k: usize) -> bool {
    if kinds[k] != Kind::Label
        || lines[k].tokens.len() != 1
        || !TOP_LEVEL_ORDINAL.is_match(&lines[k].text())
    {
        return false;
    }
    let before_values = kinds[k + 1..].iter().position(|kind| *kind == Kind::Values);
    before_values.is_none_or(|labels| labels >= 2)
}

/// One table: rows anchored on the lines holding figures. A label line close to a row's figures
/// (within one and a half line heights: a label wrapped in its cell, a character of a vertical
/// group label) joins that row; any other label line is a row of its own (a caption, a header).
fn table_segment(
    canvas: &mut Canvas,
    lines: &[Line],
    kinds: &[Kind],
    margins: &Margins,
    rules: &Rules,
) {
    let data: Vec<usize> = (0..lines.len())
        .filter(|&k| kinds[k] == Kind::Values)
        .collect();
    let Some(&last) = data.last() else {
        for line in lines {
            canvas.push_text(&line.text());
            canvas.flush();
        }
        return;
    };
    let label_limit = data
        .iter()
        .flat_map(|&k| lines[k].values().map(|t| t.x0))
        .fold(f64::INFINITY, f64::min);
    let columns = value_columns(&data.iter().map(|&k| &lines[k]).collect::<Vec<_>>());
    // How close a label line must be to a row of figures to belong to it: most of the table's
    // row pitch (the smallest spacing between rows of figures), within sane bounds of the font
    // size. Wrapped labels sit well inside it; captions and headers a full row away.
    let size = lines[data[0]].size;
    let pitch = data
        .windows(2)
        .filter(|pair| lines[pair[0]].page == lines[pair[1]].page)
        .map(|pair| (lines[pair[0]].y - lines[pair[1]].y).abs())
        .filter(|gap| *gap > 0.5 * size)
        .fold(f64::INFINITY, f64::min);
    let reach = if pitch.is_finite() {
        (0.8 * pitch).clamp(1.2 * size, 2.2 * size)
    } else {
        1.5 * size
    };
    // Each row of figures' band between the table's horizontal rules, where the page has them.
    let bands: Vec<Option<(f64, f64)>> = data
        .iter()
        .map(|&k| {
            let line = &lines[k];
            let x = line
                .values()
                .next()
                .map_or(line.x0(), |t| (t.x0 + t.x1) / 2.0);
            rules.band(line.page, line.y, x)
        })
        .collect();
    // The row a label line belongs to: the one whose ruled band holds it; without rules, the
    // nearest row of figures on the same page, if close enough.
    let owner = |line: &Line| -> Option<usize> {
        let ruled = data.iter().enumerate().find(|(band, k)| {
            lines[**k].page == line.page
                && bands[*band].is_some_and(|(below, above)| line.y > below && line.y < above)
        });
        if let Some((band, _)) = ruled {
            return Some(band);
        }
        if bands.iter().any(Option::is_some) {
            return None;
        }
        data.iter()
            .enumerate()
            .filter(|(_, k)| lines[**k].page == line.page)
            .map(|(band, k)| (band, (lines[*k].y - line.y).abs()))
            .filter(|(_, distance)| *distance <= reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(band, _)| band)
    };
    enum Item<'l> {
        Row(usize),
        Own(&'l Line),
    }
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut fragments: Vec<Vec<Fragment<'_>>> = vec![Vec::new(); data.len()];
    let mut trailing = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let position = f64::from(line.page) * 100_000.0 - line.y;
        let band = if kinds[k] == Kind::Values {
            data.iter().position(|&d| d == k)
        } else {
            owner(line)
        };
        match band {
            Some(band) => {
                if kinds[k] == Kind::Values {
                    items.push(Item::Row(band));
                }
                for token in &line.tokens {
                    if token.x1 <= label_limit + 0.5 * line.size
                        && !classify(&token.text).is_value_like()
                    {
                        fragments[band].push((position, token.x0, token));
                    }
                }
            }
            None if k > last => trailing.push(line),
            None => items.push(Item::Own(line)),
        }
    }
    let mut rows: Vec<Vec<RawCell>> = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Own(line) => rows.push(vec![(line.text(), 1, 1)]),
            Item::Row(band) => {
                let mut cells: Vec<RawCell> = label_cells(&mut fragments[band], margins.body_size)
                    .into_iter()
                    .map(|text| (text, 1, 1))
                    .collect();
                cells.extend(
                    placed_values(&lines[data[band]], &columns)
                        .into_iter()
                        .map(|text| (text, 1, 1)),
                );
                rows.push(cells);
            }
        }
    }
    canvas.push_table(&rows, TableKind::PdfLayout);
    for line in trailing {
        canvas.push_text(&line.text());
        canvas.flush();
    }
}

/// A label fragment: its vertical position (top to bottom across pages), its left edge, its token.
type Fragment<'t> = (f64, f64, &'t Token);

/// Label fragments of one row grouped into columns by where they start (a vertical group label,
/// a group, the row label), each column's fragments joined top to bottom.
fn label_cells(fragments: &mut [Fragment<'_>], size: f64) -> Vec<String> {
    fragments.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut columns: Vec<(f64, Vec<Fragment<'_>>)> = Vec::new();
    for fragment in fragments.iter() {
        match columns.last_mut() {
            Some((x, members)) if fragment.1 - *x < 1.2 * size => members.push(*fragment),
            _ => columns.push((fragment.1, vec![*fragment])),
        }
    }
    columns
        .into_iter()
        .map(|(_, mut members)| {
            members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            members
                .iter()
                .map(|(_, _, token)| token.text.as_str())
                .collect::<String>()
        })
        .filter(|text| !text.is_empty())
        .collect()
}

/// The x-centres of the value columns, from the rows with the most figures, when those are most
/// of the rows (a table whose rows differ in width, like 表二, gets none).
fn value_columns(rows: &[&Line]) -> Vec<f64> {
    let widest = rows
        .iter()
        .map(|line| line.values().count())
        .max()
        .unwrap_or(0);
    let full: Vec<&&Line> = rows
        .iter()
        .filter(|line| line.values().count() == widest)
        .collect();
    if widest < 2 || full.len() * 2 < rows.len() {
        return Vec::new();
    }
    (0..widest)
        .map(|column| {
            let sum: f64 = full
                .iter()
                .filter_map(|line| line.values().nth(column))
                .map(|token| (token.x0 + token.x1) / 2.0)
                .sum();
            sum / full.len() as f64
        })
        .collect()
}

/// A row's figures, with an empty cell where a column has none — placed by position, and only
/// when every figure falls clearly in one column.
fn placed_values(line: &Line, columns: &[f64]) -> Vec<String> {
    let values: Vec<&Token> = line.values().collect();
    if columns.is_empty() || values.len() >= columns.len() {
        return values.iter().map(|token| token.text.clone()).collect();
    }
    let spacing = columns
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .fold(f64::INFINITY, f64::min);
    let mut placed: Vec<Option<String>> = vec![None; columns.len()];
    for token in &values {
        let centre = (token.x0 + token.x1) / 2.0;
        let nearest = columns
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| (*a - centre).abs().total_cmp(&(*b - centre).abs()))
            .map(|(index, _)| index);
        match nearest {
            Some(index)
                if placed[index].is_none() && (columns[index] - centre).abs() < spacing / 2.0 =>
            {
                placed[index] = Some(token.text.clone());
            }
            // Ambiguous: keep the figures as they are (the row will read as misaligned).
            _ => return values.iter().map(|token| token.text.clone()).collect(),
        }
    }
    placed.into_iter().map(Option::unwrap_or_default).collect()
}
