//! The glyph collector: pdf-extract's output device, which receives every glyph with its text
//! matrix and every stroked or filled path, and keeps the glyphs' positions and the ruling lines.

use super::ruling::Segments;
use super::{MAX_GLYPHS, MAX_RULING_LINES};

/// A glyph as placed on its page.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    pub(super) page: u32,
    /// Origin of the glyph in page space (y grows upwards).
    pub(super) x: f64,
    pub(super) y: f64,
    /// Horizontal advance to the next glyph.
    pub(super) advance: f64,
    /// Font size in page space.
    pub(super) size: f64,
    pub(super) text: String,
}

/// What pdf-extract drew, page by page.
#[derive(Default)]
pub(super) struct Collector {
    /// The page being drawn (1-based).
    page: u32,
    /// Each page's height, for telling page furniture in the margins.
    pub(super) heights: Vec<f64>,
    pub(super) glyphs: Vec<Glyph>,
    pub(super) ruling: Segments,
    /// Set when the document has more than `MAX_GLYPHS` glyphs (the rest are not kept).
    pub(super) overflow: bool,
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
        if self.ruling.count() < MAX_RULING_LINES {
            self.ruling.path(self.page, ctm, path, false);
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
        if self.ruling.count() < MAX_RULING_LINES {
            self.ruling.path(self.page, ctm, path, true);
        }
        Ok(())
    }
}
