//! Line building: glyphs grouped into lines by baseline and into tokens by the gaps between them;
//! page furniture (page numbers, repeated headers and footers) dropped; each line classified as
//! figures, label or prose; prose lines joined into paragraphs when one continues the previous.

use std::sync::LazyLock;

use regex::Regex;

use super::collector::Glyph;
use super::ruling::RulingLines;
use crate::source::canvas::Canvas;
use crate::source::cell::classify;

/// Lines in this share of the page height at the top or bottom may be page furniture.
const MARGIN_SHARE: f64 = 0.1;

/// A run of glyphs without a wide gap: a word, a label, a figure.
#[derive(Clone, Debug)]
pub(super) struct Token {
    /// Left edge.
    pub(super) x0: f64,
    /// Right edge.
    pub(super) x1: f64,
    pub(super) text: String,
}

/// A line of text on a page.
#[derive(Clone, Debug)]
pub(super) struct Line {
    pub(super) page: u32,
    /// Baseline (y grows upwards).
    pub(super) y: f64,
    /// Largest font size on the line.
    pub(super) size: f64,
    /// Tokens, left to right.
    pub(super) tokens: Vec<Token>,
}

impl Line {
    /// Left edge of the first token.
    pub(super) fn x0(&self) -> f64 {
        self.tokens.first().map_or(0.0, |t| t.x0)
    }
    /// Right edge of the last token.
    pub(super) fn x1(&self) -> f64 {
        self.tokens.last().map_or(0.0, |t| t.x1)
    }
    /// The tokens joined by spaces.
    pub(super) fn text(&self) -> String {
        self.tokens
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// The tokens that hold a figure (or a stand-in for one, like `/`).
    pub(super) fn values(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|t| classify(&t.text).is_value_like())
    }
    fn has_values(&self) -> bool {
        self.values().next().is_some()
    }
}

/// Groups glyphs into lines by baseline, and lines into tokens by the gaps between glyphs.
pub(super) fn build_lines(mut glyphs: Vec<Glyph>, ruling: &RulingLines) -> Vec<Line> {
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
                            && !ruling.separates(page, y, token.x1 - 0.5, glyph.x + 0.5) =>
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
pub(super) fn drop_page_furniture(lines: Vec<Line>, heights: &[f64]) -> Vec<Line> {
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
pub(super) enum Kind {
    /// Holds figures: a table row.
    Values,
    /// Short fragments: labels, headers, captions.
    Label,
    /// A line of running text.
    Prose,
}

pub(super) static TOP_LEVEL_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[一二三四五六七八九十]{1,3}\s*[、.．]").expect("ordinal pattern is valid")
});

/// Margins of the running text: the leftmost start and rightmost end of wide lines.
pub(super) struct Margins {
    pub(super) left: f64,
    pub(super) right: f64,
    /// The median font size: the body text's.
    pub(super) body_size: f64,
}

/// The margins and body font size of the document's lines.
pub(super) fn margins(lines: &[Line]) -> Margins {
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

/// What a line is: figures, a label or a line of prose.
pub(super) fn kind(line: &Line, margins: &Margins) -> Kind {
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

/// Writes a paragraph line, joining it to the previous one when it continues it.
pub(super) fn paragraph_line(
    canvas: &mut Canvas,
    line: &Line,
    previous: Option<&Line>,
    margins: &Margins,
) {
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
