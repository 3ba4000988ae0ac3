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

/// The ruling lines of each page.
#[derive(Default)]
pub(super) struct RulingLines {
    segments: Vec<RulingLine>,
}

impl RulingLines {
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

    /// Whether a vertical ruling line on `page` separates x-positions `a` < `b` at height `y`.
    pub(super) fn separates(&self, page: u32, y: f64, a: f64, b: f64) -> bool {
        self.segments.iter().any(|line| {
            !line.horizontal
                && line.page == page
                && line.at > a
                && line.at < b
                && line.from <= y + 2.0
                && line.to >= y - 2.0
        })
    }

    /// The nearest horizontal ruling lines below and above `y` on `page` that cross x-position
    /// `x`.
    pub(super) fn band(&self, page: u32, y: f64, x: f64) -> Option<(f64, f64)> {
        let crossing = self
            .segments
            .iter()
            .filter(|line| line.horizontal && line.page == page && line.from <= x && line.to >= x);
        let above = crossing
            .clone()
            .filter(|line| line.at > y)
            .map(|line| line.at)
            .fold(f64::INFINITY, f64::min);
        let below = crossing
            .filter(|line| line.at < y)
            .map(|line| line.at)
            .fold(f64::NEG_INFINITY, f64::max);
        (above.is_finite() && below.is_finite()).then_some((below, above))
    }
}
