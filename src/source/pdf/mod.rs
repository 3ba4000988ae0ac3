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
//!
//! The reader is in four parts: [`collector`] receives glyphs and paths from pdf-extract,
//! [`ruling`] keeps the table grid lines, [`lines`] builds lines and paragraphs, and [`table`]
//! rebuilds tables from their geometry. This module runs them in turn.

mod collector;
mod guard;
mod lines;
mod ruling;
mod table;

use std::cell::Cell as FlagCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use super::canvas::Canvas;
use super::{Block, ReadError};
use collector::Collector;
use lines::{Kind, Line, build_lines, drop_page_furniture, kind, margins, paragraph_line};
use ruling::RulingLines;
use table::{starts_table, table_run};

/// Refuse documents with more glyphs than this (a report has tens of thousands; a hundred dense
/// pages a few hundred thousand).
pub(super) const MAX_GLYPHS: usize = 1_000_000;
/// Ruling lines kept (a table's grid has a few hundred); past this, no more are kept and the
/// tables are read from the positions of their figures alone.
pub(super) const MAX_RULING_LINES: usize = 100_000;
/// The stack of the thread pdf-extract runs on. Its recursion is bounded by [`guard`] (forms
/// nest at most [`guard::MAX_FORM_DEPTH`] deep); this leaves a wide margin whatever the caller's
/// stack (rayon's workers have 2 MiB).
#[cfg(not(target_family = "wasm"))]
const PDF_STACK_BYTES: usize = 64 * 1024 * 1024;

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

/// Runs `work` on a thread of its own with a stack of [`PDF_STACK_BYTES`]; `None` if it panicked
/// or the thread could not be started.
#[cfg(not(target_family = "wasm"))]
fn on_own_stack<T: Send>(work: impl FnOnce() -> Option<T> + Send) -> Option<T> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("xxgk-lint-pdf".to_owned())
            .stack_size(PDF_STACK_BYTES)
            .spawn_scoped(scope, work)
            .ok()?
            .join()
            .ok()
            .flatten()
    })
}

/// The web page's engine has no threads: `work` runs where it is. The depth bounds of [`guard`]
/// still apply, and a stack overflow there traps the engine, which the page restarts.
#[cfg(target_family = "wasm")]
fn on_own_stack<T: Send>(work: impl FnOnce() -> Option<T> + Send) -> Option<T> {
    work()
}

/// Reads a PDF's text layer.
pub(super) fn read(bytes: &[u8]) -> Result<Pdf, ReadError> {
    guard::check_raw(bytes).map_err(invalid)?;
    let loaded = quietly(|| pdf_extract::Document::load_mem(bytes))
        .ok_or_else(|| invalid("文件结构无法解析"))?;
    let mut document = loaded.map_err(|error| invalid(format!("文件结构无法解析（{error}）")))?;
    if document.is_encrypted() && !quietly(|| document.decrypt("").is_ok()).unwrap_or(false) {
        return Err(invalid("文件已加密，无法读取文字"));
    }
    let pages = quietly(|| guard::prepare(&mut document))
        .ok_or_else(|| invalid("文件结构无法解析"))?
        .map_err(invalid)?;
    let mut collector = Collector::default();
    let outcome = on_own_stack(|| quietly(|| pdf_extract::output_doc(&document, &mut collector)))
        .ok_or_else(|| invalid("无法提取文字（文件可能损坏或使用了不支持的字体编码）"))?;
    if let Err(error) = outcome
        && collector.glyphs.is_empty()
    {
        return Err(invalid(format!("无法提取文字（{error}）")));
    }
    if collector.overflow {
        return Err(invalid(format!(
            "文字超过 {MAX_GLYPHS} 个字符，不像是一份年度报告"
        )));
    }
    if collector
        .glyphs
        .iter()
        .all(|glyph| glyph.text.trim().is_empty())
    {
        return Err(ReadError::NoTextLayer { pages });
    }
    let ruling = collector.ruling.indexed();
    let lines = drop_page_furniture(build_lines(collector.glyphs, &ruling), &collector.heights);
    Ok(layout(&lines, &ruling))
}

/// Lays the lines out as paragraphs and tables.
fn layout(lines: &[Line], ruling: &RulingLines) -> Pdf {
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
        let consumed = table_run(
            &mut canvas,
            &lines[i..end],
            &kinds[i..end],
            &margins,
            ruling,
        );
        previous_prose = None;
        i += consumed.max(1);
    }
    canvas.flush();
    Pdf {
        text: canvas.text,
        blocks: canvas.blocks,
    }
}
