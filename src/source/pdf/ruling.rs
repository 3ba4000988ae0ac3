//! Ruling lines: the stroked segments and thin filled rectangles that draw a table's grid, kept
//! per page so that glyphs on either side of a vertical line are never joined into one word and a
//! label line can be placed in the row whose horizontal lines enclose it.

/// A ruling line of a table (a stroked segment, or a thin filled rectangle), in page space.
#[derive(Clone, Copy, Debug)]
struct RulingLine {
    page: u32,
    horizontal: bool,
    /// y of a horizontal line, x of a vertical one.
    at: f64,
    /// The extent along the line.
    from: f64,
    to: f64,
}

/// The ruling lines of each page, as drawn.
#[derive(Default)]
pub(super) struct Segments {
    segments: Vec<RulingLine>,
}

impl Segments {
    /// How many ruling lines are kept.
    pub(super) fn count(&self) -> usize {
        self.segments.len()
    }

    fn add(&mut self, page: u32, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) {
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        if dy < 1.5 && dx > 3.0 {
            self.segments.push(RulingLine {
                page,
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0.min(x1),
                to: x0.max(x1),
            });
        } else if dx < 1.5 && dy > 3.0 {
            self.segments.push(RulingLine {
                page,
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0.min(y1),
                to: y0.max(y1),
            });
        }
    }

    /// Adds the ruling lines of a stroked or filled path drawn with transform `ctm`.
    pub(super) fn path(
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
                        // A thin filled rectangle is a ruling line; a large one is a background.
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

    /// The lines indexed by page and position, for the queries of [`RulingLines`].
    pub(super) fn indexed(self) -> RulingLines {
        let mut pages: std::collections::HashMap<u32, PageLines> = std::collections::HashMap::new();
        for line in self.segments {
            let page = pages.entry(line.page).or_default();
            if line.horizontal {
                page.horizontal.push(line);
            } else {
                page.vertical.push(line);
            }
        }
        for page in pages.values_mut() {
            page.horizontal.sort_by(|a, b| a.at.total_cmp(&b.at));
            page.vertical.sort_by(|a, b| a.at.total_cmp(&b.at));
        }
        RulingLines { pages }
    }
}

/// One page's ruling lines, each kind sorted by position.
#[derive(Default)]
struct PageLines {
    horizontal: Vec<RulingLine>,
    vertical: Vec<RulingLine>,
}

/// Lines a query looks at before giving its answer. Every glyph asks; a scan of every line per
/// glyph made a page of 600,000 lines and 200,000 glyphs run for minutes. Real grids put one or
/// two lines between two glyphs, and the lines above a cell within a few of it.
const MAX_LOOKED_AT: usize = 64;

/// The ruling lines, indexed: each query is a binary search and a bounded walk.
#[derive(Default)]
pub(super) struct RulingLines {
    pages: std::collections::HashMap<u32, PageLines>,
}

impl RulingLines {
    /// Whether a vertical ruling line on `page` separates x-positions `a` < `b` at height `y`.
    /// Past [`MAX_LOOKED_AT`] lines between them, they are taken as separated (a dense grid).
    pub(super) fn separates(&self, page: u32, y: f64, a: f64, b: f64) -> bool {
        let Some(lines) = self.pages.get(&page).map(|page| &page.vertical) else {
            return false;
        };
        let first = lines.partition_point(|line| line.at <= a);
        let mut between = lines[first..].iter().take_while(|line| line.at < b);
        let mut looked = 0;
        between.any(|line| {
            looked += 1;
            looked > MAX_LOOKED_AT || (line.from <= y + 2.0 && line.to >= y - 2.0)
        })
    }

    /// The nearest horizontal ruling lines below and above `y` on `page` that cross x-position
    /// `x` (each looked for among the [`MAX_LOOKED_AT`] nearest lines on that side).
    pub(super) fn band(&self, page: u32, y: f64, x: f64) -> Option<(f64, f64)> {
        let lines = &self.pages.get(&page)?.horizontal;
        let crosses = |line: &&RulingLine| line.from <= x && line.to >= x;
        let split = lines.partition_point(|line| line.at <= y);
        let above = lines[split..]
            .iter()
            .take(MAX_LOOKED_AT)
            .find(crosses)
            .map(|line| line.at)?;
        let below_end = lines.partition_point(|line| line.at < y);
        let below = lines[..below_end]
            .iter()
            .rev()
            .take(MAX_LOOKED_AT)
            .find(crosses)
            .map(|line| line.at)?;
        Some((below, above))
    }
}
